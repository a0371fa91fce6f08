"""Workspaces, zoom, full screen, presentation mode, the welcome and the shortcut list (issue 15),
driven with real key presses and clicks."""
from __future__ import annotations

import json

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QByteArray, QPoint, QSettings, Qt
from PySide6.QtGui import QAction, QColor, QFont
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QMenu, QToolButton

from explorer.model import AppModel
from explorer.ui import zoom
from explorer.ui.main_window import MainWindow

INFO_DOCKS = {"pEditorDock", "qEditorDock", "readoutsDock", "breakdownDock", "curvesDock"}


@pytest.fixture(autouse=True)
def _zoom_back():
    yield
    zoom.apply(None, 100)          # the application font is global: later tests get 100 %


def make_window(qtbot, tmp_path, name="s.ini", size=(1280, 800), **kw):
    w = MainWindow(AppModel(), settings=QSettings(str(tmp_path / name), QSettings.IniFormat), **kw)
    qtbot.addWidget(w)
    w.resize(*size)
    w.show()
    qtbot.waitExposed(w)
    qtbot.wait(30)
    return w


def on_screen(window) -> set[str]:
    return {n for n, d in window.docks.items() if d.isVisible() and not d.visibleRegion().isEmpty()}


def geometries(window) -> dict:
    return {n: d.geometry().getRect() for n, d in window.docks.items() if n in on_screen(window)}


def key(qtbot, window, k, mod=Qt.NoModifier):
    qtbot.keyClick(window, k, mod)
    qtbot.wait(20)


# ------------------------------------------------------------------ workspaces
def test_ctrl_number_and_buttons_switch_workspaces(window, qtbot):
    assert window.workspaces.current == "all"        # program windows: the dashboard
    key(qtbot, window, Qt.Key_2, Qt.ControlModifier)
    assert window.workspaces.current == "ce_vs_mse"
    assert on_screen(window) == {"sigmoidDock", "trainingDock"}
    assert window.workspaces.actions["ce_vs_mse"].isChecked()
    button = window.workspaces.buttons["softmax"]
    assert button.isVisible() and button.text() == "Softmax"
    qtbot.mouseClick(button, Qt.LeftButton)
    qtbot.wait(20)
    assert window.workspaces.current == "softmax"
    assert {"softmaxDock", "qEditorDock", "readoutsDock"} <= on_screen(window)
    assert not window.docks["sigmoidDock"].isVisible()
    key(qtbot, window, Qt.Key_1, Qt.ControlModifier)
    assert on_screen(window) == INFO_DOCKS
    assert window.model.undo_stack.count() == 0       # a workspace never changes the model


def test_each_workspace_remembers_changes_and_reset_restores_the_design(qtbot, tmp_path):
    w = make_window(qtbot, tmp_path, restore_layout=True)       # a first launch: focused
    assert w.workspaces.current == "information" and on_screen(w) == INFO_DOCKS
    first = geometries(w)
    curves = w.docks["curvesDock"]
    close = next(b for b in curves.findChildren(QAbstractButton)
                 if b.objectName() == "qt_dockwidget_closebutton")
    qtbot.mouseClick(close, Qt.LeftButton)
    qtbot.wait(20)
    assert not curves.isVisible()
    key(qtbot, w, Qt.Key_3, Qt.ControlModifier)
    assert w.workspaces.current == "softmax"
    key(qtbot, w, Qt.Key_1, Qt.ControlModifier)
    assert not curves.isVisible()                          # remembered
    assert on_screen(w) == INFO_DOCKS - {"curvesDock"}
    w.view_menu.show()
    w.act_reset_layout.trigger()                           # View → Reset workspace
    qtbot.wait(20)
    assert on_screen(w) == INFO_DOCKS
    assert geometries(w) == first                          # exactly the first launch's splits
    w.close()
    # the next launch opens the workspace used last, as it was left
    w2 = make_window(qtbot, tmp_path, restore_layout=True)
    assert w2.workspaces.current == "information"
    assert geometries(w2) == first


def test_layout_saved_before_workspaces_opens_the_dashboard(qtbot, tmp_path):
    old = make_window(qtbot, tmp_path, "old.ini", restore_layout=False)
    state = old.saveState()
    old.close()
    s = QSettings(str(tmp_path / "legacy.ini"), QSettings.IniFormat)
    s.clear()
    s.setValue("window/state", state)      # what a version without workspaces saved
    s.sync()
    w = make_window(qtbot, tmp_path, "legacy.ini", restore_layout=True)
    assert w.workspaces.current == "all"
    assert "trainingDock" in on_screen(w)


def test_session_names_its_workspace(window, qtbot, tmp_path):
    key(qtbot, window, Qt.Key_3, Qt.ControlModifier)
    path = tmp_path / "s.json"
    assert window.save_session(path)
    assert json.loads(path.read_text())["layout"]["workspace"] == "softmax"
    key(qtbot, window, Qt.Key_1, Qt.ControlModifier)
    assert window.load_session(path)
    assert window.workspaces.current == "softmax"
    assert "softmaxDock" in on_screen(window)
    doc = json.loads(path.read_text())
    doc["layout"]["workspace"] = "kitchen"
    doc["model"]["p"] = [0.2, 0.3, 0.5]
    path.write_text(json.dumps(doc))
    before = window.model.to_dict()
    assert not window.load_session(path)
    assert window.model.to_dict() == before
    assert "layout.workspace" in window.statusBar().currentMessage()


# ------------------------------------------------------------------ zoom
def _tick_font(window) -> QFont:
    axis = window.docks["sigmoidDock"].plots[0].getPlotItem().getAxis("left")
    return axis.style["tickFont"]


def test_zoom_keys_scale_texts_charts_and_lines_and_are_remembered(qtbot, tmp_path):
    w = make_window(qtbot, tmp_path, restore_layout=False)
    base_pt = QApplication.font().pointSizeF()
    sig = w.docks["sigmoidDock"]
    curve = sig.sigma_curve
    base_width = curve.opts["pen"].widthF()
    dots = (sig.loss_dots["ce"], sig.race_dots[0])               # markers of pixel size
    base_radii = [dot.radius for dot in dots]
    chart = w.docks["softmaxDock"].prob_plot
    base_ghost = chart._ghost_pen.widthF()
    base_min = chart.minimumHeight()
    key(qtbot, w, Qt.Key_Equal, Qt.ControlModifier)          # Ctrl+= : 110 %
    assert zoom.percent() == 110
    assert QApplication.font().pointSizeF() == pytest.approx(base_pt * 1.1)
    key(qtbot, w, Qt.Key_Equal, Qt.ControlModifier)          # 125 %
    assert zoom.percent() == 125
    assert QApplication.font().pointSizeF() == pytest.approx(base_pt * 1.25)
    assert _tick_font(w).pointSizeF() == pytest.approx(base_pt * 1.25)
    assert curve.opts["pen"].widthF() == pytest.approx(base_width * 1.25)
    assert [dot.radius for dot in dots] == pytest.approx([r * 1.25 for r in base_radii])
    assert dots[0].path().boundingRect().width() == pytest.approx(2 * base_radii[0] * 1.25)
    assert chart._ghost_pen.widthF() == pytest.approx(base_ghost * 1.25)
    assert chart.minimumHeight() >= round(zoom.MIN_PLOT_HEIGHT * 1.25)
    assert chart.minimumHeight() >= base_min
    # painted texts follow the application font
    assert chart.font().pointSizeF() == pytest.approx(base_pt * 1.25)
    assert w.settings.value(zoom.ZOOM_KEY) in (125, "125")
    key(qtbot, w, Qt.Key_Minus, Qt.ControlModifier)          # back to 110 %
    assert zoom.percent() == 110
    w.close()
    w2 = make_window(qtbot, tmp_path, restore_layout=True)   # remembered
    assert zoom.percent() == 110
    assert QApplication.font().pointSizeF() == pytest.approx(base_pt * 1.1)
    key(qtbot, w2, Qt.Key_0, Qt.ControlModifier)             # Ctrl+0: exactly as built
    assert zoom.percent() == 100
    assert QApplication.font().pointSizeF() == pytest.approx(base_pt)
    assert w2.docks["sigmoidDock"].sigma_curve.opts["pen"].widthF() == pytest.approx(base_width)
    assert w2.docks["sigmoidDock"].loss_dots["ce"].radius == pytest.approx(base_radii[0])


def test_view_zoom_menu_offers_75_to_250(window, qtbot):
    menu = window.view_modes.zoom_menu
    steps = [a.text() for a in menu.actions() if a.isCheckable()]
    assert steps[0] == "75 %" and steps[-1] == "250 %"
    window.view_modes.zoom_actions[250].trigger()
    assert zoom.percent() == 250 and not window.view_modes.act_zoom_in.isEnabled()
    key(qtbot, window, Qt.Key_Equal, Qt.ControlModifier)     # stays at the top
    assert zoom.percent() == 250
    window.view_modes.zoom_actions[75].trigger()
    key(qtbot, window, Qt.Key_Minus, Qt.ControlModifier)
    assert zoom.percent() == 75


# ------------------------------------------------------------------ full screen, presentation
def test_f11_full_screen_and_esc_leaves(window, qtbot):
    key(qtbot, window, Qt.Key_F11)
    assert window.isFullScreen() and window.view_modes.act_full_screen.isChecked()
    key(qtbot, window, Qt.Key_Escape)
    assert not window.isFullScreen()


def test_presentation_mode_is_keyboard_only_and_remembered(qtbot, tmp_path):
    w = make_window(qtbot, tmp_path, restore_layout=True)
    key(qtbot, w, Qt.Key_F5)
    vm = w.view_modes
    assert vm.presenting and w.isFullScreen()
    assert not w.menuBar().isVisible() and not w.statusBar().isVisible()
    shown = [d for d in w.docks.values() if d.isVisible()]
    assert shown and all(d.titleBarWidget() is not None and d.titleBarWidget().sizeHint().height() <= 0
                         for d in shown)
    assert zoom.percent() == zoom.DEFAULT_PRESENTATION_ZOOM
    key(qtbot, w, Qt.Key_2, Qt.ControlModifier)              # workspaces by keyboard
    assert w.workspaces.current == "ce_vs_mse"
    key(qtbot, w, Qt.Key_Equal, Qt.ControlModifier)          # the presentation zoom grows
    assert zoom.percent() == 175
    menu = vm.popup_menus()                                  # F10: every menu as one pop-up
    titles = [a.text() for a in menu.actions()]
    assert w.view_menu.title() in titles and w.help_menu.title() in titles
    menu.close()
    w.close()
    w2 = make_window(qtbot, tmp_path, restore_layout=True)   # closed presenting: opens presenting
    assert w2.view_modes.presenting and zoom.percent() == 175
    key(qtbot, w2, Qt.Key_Escape)
    assert not w2.view_modes.presenting and not w2.isFullScreen()
    assert w2.menuBar().isVisible()
    assert all(d.titleBarWidget() is None for d in w2.docks.values())
    assert zoom.percent() == 100                             # the normal zoom again


# ------------------------------------------------------------------ help
def test_keyboard_shortcuts_lists_every_shortcut_from_the_actions(window, qtbot):
    dialog = window.show_shortcuts()
    table = dialog.table
    rows = {(table.item(r, 1).text(), table.item(r, 2).text()) for r in range(table.rowCount())}
    keys = {k for _a, ks in rows for k in ks.split(", ")}
    for expected in ("Ctrl+1", "Ctrl+5", "F11", "F5", "F10", "Ctrl+=", "Ctrl+-", "Ctrl+0",
                     "Ctrl+O", "Ctrl+S", "Ctrl+Z", "F1", "Ctrl+/"):
        assert expected in keys, expected
    assert ("Presentation mode", "F5") in rows
    assert ("Full screen", "F11") in rows
    assert ("Sampling & likelihood", "Ctrl+4") in rows
    # the panels' own keys, under the panel's title, and the keys a focused chart takes
    full = {(table.item(r, 0).text(), table.item(r, 1).text(), table.item(r, 2).text())
            for r in range(table.rowCount())}
    race = window.docks["trainingDock"].windowTitle()
    for what, key in (("Play or pause the race", "Space"), ("Advance one epoch", "Right"),
                      ("Go back one epoch", "Left"), ("Stop and go back to epoch 0", "R")):
        assert (race, what, key) in full, (what, key)
    sampling = window.docks["samplingDock"].windowTitle()
    assert (sampling, "Draw continuously or pause", "Space") in full
    assert ("Lock or unlock the selected bar", "L") in rows
    assert ("Copy the focused number", "Ctrl+C") in rows
    # a shortcut added to any action later shows up too: the list is generated
    extra = QAction("Frobnicate", window)
    extra.setShortcut("Ctrl+Alt+J")
    window.addAction(extra)
    again = window.show_shortcuts().table
    assert any(again.item(r, 1).text() == "Frobnicate" for r in range(again.rowCount()))


def test_first_run_welcome_names_workspaces_and_offers_the_tour(qtbot, tmp_path, monkeypatch):
    monkeypatch.delenv("EXPLORER_NO_DIALOGS")
    w = make_window(qtbot, tmp_path, restore_layout=True)
    dialog = w.maybe_welcome()
    assert dialog is not None and dialog.isVisible()
    text = dialog.label.text()
    for title in ("Information", "Why cross-entropy, not MSE", "Softmax", "Sampling &amp; likelihood",
                  "All panels", "Ctrl+1"):
        assert title in text
    qtbot.mouseClick(dialog.tour_button, Qt.LeftButton)
    qtbot.wait(20)
    assert w.help_actions.tour is not None
    w.help_actions.tour.finish()
    assert w.maybe_welcome() is None                         # once
    w.close()
    w2 = make_window(qtbot, tmp_path, restore_layout=True)
    assert w2.maybe_welcome() is None


def test_menu_corner_shows_workspaces_and_record(window, qtbot):
    corner = window.menuBar().cornerWidget(Qt.TopRightCorner)
    buttons = [b.text() for b in corner.findChildren(QToolButton) if b.isVisible()]
    assert buttons[:5] == ["Information", "CE vs MSE", "Softmax", "Sampling", "All panels"]
    assert window.recording.record_button in corner.findChildren(QToolButton)
    window.prefs.set_language("zh")
    try:
        corner = window.menuBar().cornerWidget(Qt.TopRightCorner)
        assert window.recording.record_button.isVisible()
        assert window.workspaces.buttons["information"].text() == "信息量"
    finally:
        window.prefs.set_language("en")


def _ink_rows(image, left: int, width: int) -> int:
    """Rows of *image* (a QImage) with dark text pixels between x = left and left + width."""
    rows = 0
    for y in range(image.height()):
        if any(QColor(image.pixel(x, y)).lightness() < 110 for x in range(left, left + width)):
            rows += 1
    return rows


def test_zoom_scales_legends_plot_titles_and_fixed_labels(qtbot, tmp_path):
    """At 150 % the legend rows, the small plot titles and the race's fixed-size number labels
    were still at 100 % (each had a point size of its own)."""
    w = make_window(qtbot, tmp_path, restore_layout=False)
    w.workspaces.switch("ce_vs_mse")
    dock = w.docks["sigmoidDock"]
    race = w.docks["trainingDock"]
    legend = dock.act_legend
    title = race.neuron.curve_plots[next(iter(race.neuron.curve_plots))].title_label
    number = next(lab for lab in race.neuron.findChildren(QLabel)
                  if lab.property(zoom.FIXED_SAMPLE_PROPERTY))

    def measure():
        QApplication.processEvents()
        top = legend.mapTo(dock, legend.rect().topLeft()).y()
        strip = dock.grab().toImage().copy(0, top, dock.width(), legend.height())
        return (_ink_rows(strip, 4, 120), legend.font().pointSizeF(), title.font().pointSizeF(),
                number.width(), number.height())

    ink, legend_pt, title_pt, num_w, num_h = measure()
    key(qtbot, w, Qt.Key_Equal, Qt.ControlModifier)          # 110 %
    key(qtbot, w, Qt.Key_Equal, Qt.ControlModifier)          # 125 %
    key(qtbot, w, Qt.Key_Equal, Qt.ControlModifier)          # 150 %
    assert zoom.percent() == 150
    ink2, legend_pt2, title_pt2, num_w2, num_h2 = measure()
    assert ink2 >= ink * 1.3, (ink, ink2)                      # the legend is drawn taller
    assert legend_pt2 == pytest.approx(legend_pt * 1.5)
    assert title_pt2 == pytest.approx(title_pt * 1.5)
    assert num_w2 > num_w * 1.3 and num_h2 > num_h * 1.2
    key(qtbot, w, Qt.Key_0, Qt.ControlModifier)              # Ctrl+0: exactly as built
    assert measure() == (ink, legend_pt, title_pt, num_w, num_h)
