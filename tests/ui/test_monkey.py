"""A seeded 'monkey': hundreds of random real mouse, wheel and keyboard events all over the window.

Whatever the user does must not raise (pytest-qt fails the test on any exception inside a Qt
callback) nor crash, and afterwards the model must still hold valid distributions and finite
numbers.  Besides clicks, drags and keys the monkey types text (numbers, hostile numbers, words)
into line edits and spin boxes, turns the mouse wheel, presses the window's shortcuts, and moves
docks around: float buttons (clicked or pressed with the keyboard), title-bar drags and double
clicks, drags on the dock tab bars.  Each seed starts with the sequence that crashed Qt 6.11
(issue 14 item 1).  Events go out in bursts, as a fast user's do: the event loop runs only every
few steps, so Qt sees input before its posted relayouts.  Modal dialogs and popup menus the monkey
opens are closed by a timer, as a user would.

Run it long with ``EXPLORER_MONKEY_STEPS=20000 EXPLORER_MONKEY_SEEDS=1,2,3,4,5 pytest --timeout 0
tests/ui/test_monkey.py`` (about 25 ms a step).
"""
import math
import os

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, QTimer, Qt
from PySide6.QtGui import QKeyEvent, QWheelEvent
from PySide6.QtWidgets import (QAbstractButton, QAbstractSpinBox, QApplication, QComboBox,
                               QDockWidget, QLineEdit, QSlider, QTabBar, QWidget)
import pyqtgraph as pg

from explorer.ui import zoom

KEYS = [Qt.Key_Left, Qt.Key_Right, Qt.Key_Up, Qt.Key_Down, Qt.Key_0, Qt.Key_L, Qt.Key_Space,
        Qt.Key_Escape, Qt.Key_Return, Qt.Key_R, Qt.Key_Delete, Qt.Key_Backspace, Qt.Key_Tab,
        Qt.Key_5, Qt.Key_Minus, Qt.Key_Period, Qt.Key_A, Qt.Key_Z, Qt.Key_E, Qt.Key_PageUp,
        Qt.Key_PageDown, Qt.Key_Home, Qt.Key_End]
MODS = [Qt.NoModifier, Qt.NoModifier, Qt.NoModifier, Qt.ShiftModifier, Qt.ControlModifier]
#: Window shortcuts a user presses (not Quit, Export or Record: they leave the window or
#: write files; Open and Save ask for nothing under EXPLORER_NO_DIALOGS)
SHORTCUTS = [(Qt.Key_Z, Qt.ControlModifier), (Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier),
             (Qt.Key_Y, Qt.ControlModifier), (Qt.Key_C, Qt.ControlModifier),
             (Qt.Key_A, Qt.ControlModifier), (Qt.Key_S, Qt.ControlModifier),
             (Qt.Key_S, Qt.ControlModifier | Qt.ShiftModifier), (Qt.Key_O, Qt.ControlModifier),
             (Qt.Key_F1, Qt.NoModifier), (Qt.Key_Space, Qt.NoModifier),
             (Qt.Key_Right, Qt.NoModifier), (Qt.Key_Left, Qt.NoModifier),
             (Qt.Key_R, Qt.NoModifier), (Qt.Key_Escape, Qt.NoModifier),
             # workspaces, zoom, full screen, presentation mode, presenting a demo (its picker
             # is a modal dialog the popup closer shuts)
             (Qt.Key_1, Qt.ControlModifier), (Qt.Key_2, Qt.ControlModifier),
             (Qt.Key_3, Qt.ControlModifier), (Qt.Key_4, Qt.ControlModifier),
             (Qt.Key_5, Qt.ControlModifier), (Qt.Key_Equal, Qt.ControlModifier),
             (Qt.Key_Minus, Qt.ControlModifier), (Qt.Key_0, Qt.ControlModifier),
             (Qt.Key_F11, Qt.NoModifier), (Qt.Key_F5, Qt.NoModifier),
             (Qt.Key_F5, Qt.ShiftModifier)]
#: What a user (or a cat) types into a field
TEXTS = ["0.5", "1", "0", "-1", "0.25", "1e-310", "5e-324", "1e400", "-0", "nan", "inf", "∞",
         "9" * 40, "0.333333333333333333", "abc", "猫", "", " ", "1,5", "2e2", "-740", "1000",
         "\t", "0x10", "½"]
STEPS = int(os.environ.get("EXPLORER_MONKEY_STEPS", "400"))
#: action -> weight
ACTIONS = {"click": 5, "right_click": 1, "drag": 4, "double_click": 1, "key": 4, "type": 3,
           "wheel": 3, "shortcut": 2, "dock": 2}


def _close_popups():
    for _ in range(5):
        w = QApplication.activePopupWidget() or QApplication.activeModalWidget()
        if w is None:
            return
        w.close()


def _visible(widgets):
    return [w for w in widgets if w.isVisible() and w.isEnabled()]


def _targets(window):
    kinds = (QAbstractButton, QAbstractSpinBox, QComboBox, QLineEdit, QSlider, QTabBar)
    out = [w for w in window.findChildren(QWidget) if isinstance(w, kinds) and w.isVisible() and w.isEnabled()]
    out += [pw.viewport() for pw in window.findChildren(pg.GraphicsView) if pw.isVisible()]
    return out


def _check_model(model):
    for d in (model.p, model.q):
        assert np.all(np.isfinite(d)) and np.all(d >= 0) and np.all(d <= 1)
        assert abs(d.sum() - 1) < 1e-9
    info = model.info
    for v in (info.entropy_p, info.entropy_q, info.cross_pq, info.kl_pq, info.js):
        assert not math.isnan(v)


def _drag(qtbot, w, start, points):
    qtbot.mousePress(w, Qt.LeftButton, pos=start)
    for p in points:
        qtbot.mouseMove(w, pos=p)
    qtbot.mouseRelease(w, Qt.LeftButton, pos=points[-1])


def _type(qtbot, w, text):
    """Type *text* key by key; characters QTest has no key for (猫, ∞, ½) arrive as a key event
    carrying the text, as an input method delivers them (QTest would abort on them)."""
    for ch in text:
        if ch.isascii() and (ch.isprintable() or ch == "\t"):
            qtbot.keyClick(w, ch)
        else:
            for kind in (QEvent.KeyPress, QEvent.KeyRelease):
                QApplication.sendEvent(w, QKeyEvent(kind, 0, Qt.NoModifier, ch))


def _wheel(w, pos, rng):
    delta = int(rng.choice([-240, -120, -15, 15, 120, 240]))
    mods = MODS[rng.integers(len(MODS))]
    event = QWheelEvent(QPointF(pos), QPointF(w.mapToGlobal(pos)), QPoint(0, 0), QPoint(0, delta),
                        Qt.NoButton, mods, Qt.NoScrollPhase, False)
    QApplication.sendEvent(w, event)


def _float_button(dock):
    return dock.findChild(QAbstractButton, "qt_dockwidget_floatbutton")


def _dock_tab_bars(window):
    return [t for t in window.findChildren(QTabBar) if t.parent() is window and t.isVisible()]


def _replay_issue_14_crash(window, qtbot):
    """Float "Information readouts"; open and close q's Presets menu; Shift+Space on the float
    button of "Per category"; drag the dock tab bar from (261, 23) to (250, -1) - no event-loop
    turn in between.  Crashed Qt 6.8-6.12 in QTabBarPrivate::setupMovableTab."""
    d = window.docks
    b = _float_button(d["readoutsDock"])
    qtbot.mouseClick(b, Qt.LeftButton, pos=b.rect().center())
    menu = d["qEditorDock"].preset_button
    qtbot.mouseClick(menu, Qt.LeftButton, pos=menu.rect().center())
    _close_popups()
    b = _float_button(d["breakdownDock"])
    b.setFocus()
    qtbot.keyClick(b, Qt.Key_Space, Qt.ShiftModifier)
    bar = _dock_tab_bars(window)[0]
    _drag(qtbot, bar, QPoint(261, 23), [QPoint(255, 17), QPoint(250, -1)])
    QApplication.processEvents()
    assert d["readoutsDock"].isFloating() and d["breakdownDock"].isFloating()


def _dock_action(window, qtbot, rng):
    docks = _visible(window.findChildren(QDockWidget))
    if not docks:
        window.act_reset_layout.trigger()
        return
    dock = docks[rng.integers(len(docks))]
    kind = rng.integers(7)
    if kind == 0:                                    # click its float button
        b = _float_button(dock)
        if b is not None and b.isVisible():
            qtbot.mouseClick(b, Qt.LeftButton, pos=b.rect().center())
    elif kind == 1:                                  # the float button from the keyboard
        b = _float_button(dock)
        if b is not None and b.isVisible():
            b.setFocus()
            qtbot.keyClick(b, Qt.Key_Space, MODS[rng.integers(len(MODS))])
    elif kind == 2:                                  # drag on a dock tab bar, maybe out of it
        bars = _dock_tab_bars(window)
        if bars:
            bar = bars[rng.integers(len(bars))]
            start = QPoint(int(rng.integers(1, max(2, bar.width() - 1))),
                           int(rng.integers(1, max(2, bar.height() - 1))))
            end = start + QPoint(int(rng.integers(-120, 121)), int(rng.integers(-60, 61)))
            _drag(qtbot, bar, start, [(start + end) / 2 + QPoint(0, 6), end])
    elif kind == 3:                                  # drag the title bar somewhere
        start = QPoint(int(rng.integers(20, max(21, dock.width() - 60))), 8)
        moves = [start + QPoint(int(rng.integers(-40, 41)) * k, int(rng.integers(-40, 41)) * k)
                 for k in (1, 3, 6)]
        _drag(qtbot, dock, start, moves)
    elif kind == 4:                                  # double-click the title: float / dock back
        qtbot.mouseDClick(dock, Qt.LeftButton, pos=QPoint(max(2, dock.width() // 3), 8))
    elif kind == 5:                                  # raise a tab behind another one
        dock.raise_()
    else:                                            # View > Reset layout, now and then
        if rng.random() < 0.3:
            window.act_reset_layout.trigger()


@pytest.mark.parametrize("seed", [int(s) for s in os.environ.get("EXPLORER_MONKEY_SEEDS", "1,2").split(",")])
def test_random_events_never_break_the_app(window, qtbot, seed):
    model = window.model
    rng = np.random.default_rng(seed)
    changes = []
    model.sigChanged.connect(changes.append)
    closer = QTimer()
    closer.timeout.connect(_close_popups)
    closer.start(20)
    names, weights = zip(*ACTIONS.items())
    weights = np.array(weights, float) / sum(weights)
    done = dict.fromkeys(names, 0)
    from explorer.ui.present import PresentController
    window.presenter = PresentController(window)      # as run_gui installs it
    try:
        _replay_issue_14_crash(window, qtbot)
        window.act_reset_layout.trigger()
        for step in range(STEPS):
            action = names[rng.choice(len(names), p=weights)]
            targets = _targets(window)
            w = targets[rng.integers(len(targets))]
            pos = QPoint(int(rng.integers(1, max(2, w.width() - 1))),
                         int(rng.integers(1, max(2, w.height() - 1))))
            if action == "click":
                qtbot.mouseClick(w, Qt.LeftButton, pos=pos)
            elif action == "right_click":
                qtbot.mouseClick(w, Qt.RightButton, pos=pos)
            elif action == "drag":
                end = QPoint(pos.x() + int(rng.integers(-60, 61)), pos.y() + int(rng.integers(-80, 81)))
                _drag(qtbot, w, pos, [QPoint((pos.x() + end.x()) // 2, (pos.y() + end.y()) // 2 + 6), end])
            elif action == "double_click":
                qtbot.mouseDClick(w, Qt.LeftButton, pos=pos)
            elif action == "key":
                w.setFocus()
                qtbot.keyClick(w, KEYS[rng.integers(len(KEYS))], MODS[rng.integers(len(MODS))])
            elif action == "type":
                fields = _visible([f for f in window.findChildren(QWidget)
                                   if isinstance(f, (QLineEdit, QAbstractSpinBox))])
                if fields:
                    f = fields[rng.integers(len(fields))]
                    qtbot.mouseClick(f, Qt.LeftButton, pos=QPoint(max(1, f.width() // 2), f.height() // 2))
                    if rng.random() < 0.7:
                        qtbot.keyClick(f, Qt.Key_A, Qt.ControlModifier)
                    _type(qtbot, f, TEXTS[rng.integers(len(TEXTS))])
                    qtbot.keyClick(f, [Qt.Key_Return, Qt.Key_Tab, Qt.Key_Escape][rng.integers(3)])
            elif action == "wheel":
                _wheel(w, pos, rng)
            elif action == "shortcut":
                key, mods = SHORTCUTS[rng.integers(len(SHORTCUTS))]
                focus = QApplication.focusWidget()
                qtbot.keyClick(focus if focus is not None and focus.window() is window else window,
                               key, mods)
            else:
                _dock_action(window, qtbot, rng)
            done[action] += 1
            _close_popups()
            if step % 50 == 0:
                QApplication.processEvents()
                _check_model(model)
    finally:
        closer.stop()
        _close_popups()
        if window.presenter.presentation is not None:
            window.presenter.presentation.leave()
        window.view_modes.set_presentation(False, remember=False)
        window.showNormal()
        zoom.apply(window, 100)                      # the zoom is the application's
    QApplication.processEvents()
    _check_model(model)
    assert window.isVisible()
    assert all(done[a] > 0 for a in names) or STEPS < 100, done
    assert len(changes) > 10, f"the monkey should have changed the state ({len(changes)} changes)"
