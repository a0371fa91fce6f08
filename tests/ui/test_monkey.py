"""A seeded 'monkey': thousands of random real mouse and keyboard events all over the window.

Whatever the user does must not raise (pytest-qt fails the test on any exception inside a Qt
callback), and afterwards the model must still hold valid distributions and finite numbers.
Modal dialogs and popup menus the monkey opens are closed by a timer, as a user would.
"""
import math
import os

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QTimer, Qt
from PySide6.QtWidgets import (QAbstractButton, QAbstractSpinBox, QApplication, QComboBox,
                               QLineEdit, QSlider, QTabBar, QWidget)
import pyqtgraph as pg

KEYS = [Qt.Key_Left, Qt.Key_Right, Qt.Key_Up, Qt.Key_Down, Qt.Key_0, Qt.Key_L, Qt.Key_Space,
        Qt.Key_Escape, Qt.Key_Return, Qt.Key_R, Qt.Key_Delete, Qt.Key_Backspace, Qt.Key_Tab,
        Qt.Key_5, Qt.Key_Minus, Qt.Key_Period, Qt.Key_A, Qt.Key_Z, Qt.Key_E]
STEPS = int(os.environ.get("EXPLORER_MONKEY_STEPS", "600"))
MODS = [Qt.NoModifier, Qt.NoModifier, Qt.NoModifier, Qt.ShiftModifier, Qt.ControlModifier]


def _close_popups():
    for _ in range(5):
        w = QApplication.activePopupWidget() or QApplication.activeModalWidget()
        if w is None:
            return
        w.close()


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


@pytest.mark.parametrize("seed", [int(s) for s in os.environ.get("EXPLORER_MONKEY_SEEDS", "1,2").split(",")])
def test_random_events_never_break_the_app(window, qtbot, seed):
    model = window.model
    rng = np.random.default_rng(seed)
    changes = []
    model.sigChanged.connect(changes.append)
    closer = QTimer()
    closer.timeout.connect(_close_popups)
    closer.start(20)
    try:
        for step in range(STEPS):
            targets = _targets(window)
            w = targets[rng.integers(len(targets))]
            pos = QPoint(int(rng.integers(1, max(2, w.width() - 1))),
                         int(rng.integers(1, max(2, w.height() - 1))))
            action = rng.integers(6)
            if action == 0:
                qtbot.mouseClick(w, Qt.LeftButton, pos=pos)
            elif action == 1:
                qtbot.mouseClick(w, Qt.RightButton, pos=pos)
            elif action == 2:      # a drag
                end = QPoint(pos.x() + int(rng.integers(-60, 61)), pos.y() + int(rng.integers(-80, 81)))
                qtbot.mousePress(w, Qt.LeftButton, pos=pos)
                qtbot.mouseMove(w, pos=QPoint((pos.x() + end.x()) // 2, (pos.y() + end.y()) // 2 + 6))
                qtbot.mouseMove(w, pos=end)
                qtbot.mouseRelease(w, Qt.LeftButton, pos=end)
            elif action == 3:
                qtbot.mouseDClick(w, Qt.LeftButton, pos=pos)
            else:
                w.setFocus()
                key = KEYS[rng.integers(len(KEYS))]
                qtbot.keyClick(w, key, MODS[rng.integers(len(MODS))])
            _close_popups()
            if step % 50 == 0:
                QApplication.processEvents()
                _check_model(model)
    finally:
        closer.stop()
        _close_popups()
    _check_model(model)
    assert window.isVisible()
    assert len(changes) > 10, f"the monkey should have changed the state ({len(changes)} changes)"
