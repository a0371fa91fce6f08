"""Main window: six docks with stable names, real numbers drawn, menus, layout persistence."""
import json

import numpy as np
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDockWidget, QLabel

from explorer.ui.docks import DOCK_NAMES
from explorer.ui.main_window import MainWindow

EXPECTED = ["pEditorDock", "qEditorDock", "readoutsDock", "sigmoidDock", "softmaxDock", "trainingDock"]
EXPECTED += ["breakdownDock", "formulaDock", "curvesDock"]   # readout tabs (issue 4)
EXPECTED += ["samplingDock", "batchDock"]   # sampling and batch tabs (issue 17)
EXPECTED += ["helpDock"]   # help tab behind the readouts (issue 8)
EXPECTED += ["codeDock"]   # the numbers in code, a tab behind the readouts (issue 19)


def test_docks_have_stable_names(window):
    names = sorted(d.objectName() for d in window.findChildren(QDockWidget))
    assert names == sorted(EXPECTED) == sorted(DOCK_NAMES)
    for dock in window.findChildren(QDockWidget):
        if window.tabifiedDockWidgets(dock) and dock.visibleRegion().isEmpty():
            continue                      # a tab behind another one; check it once raised
        assert dock.isVisible() and dock.width() > 150 and dock.height() > 150, dock.objectName()
        f = dock.features()
        assert f & QDockWidget.DockWidgetMovable and f & QDockWidget.DockWidgetFloatable
        assert f & QDockWidget.DockWidgetClosable


def test_window_keeps_model(window, model):
    assert window.model is model


def test_bars_show_model_values(window, model):
    model.set_p([0.7, 0.2, 0.1])
    bars = window.docks["pEditorDock"].plot
    np.testing.assert_allclose(bars.heights, [0.7, 0.2, 0.1])
    np.testing.assert_allclose(window.docks["qEditorDock"].plot.heights, model.q)


def test_readouts_show_numbers(window, model):
    dock = window.docks["readoutsDock"]
    assert dock.value_text("cross_pq") == "0.9163 nats"
    model.set_distributions([0.5, 0.25, 0.125, 0.125], [0.125, 0.5, 0.25, 0.125])
    model.set_unit("bits")
    assert dock.value_text("entropy_p") == "1.7500 bits"
    assert dock.value_text("kl_pq") == "0.6250 bits"
    model.set_q([0.5, 0.5, 0.0, 0.0])
    assert dock.value_text("cross_pq").startswith("∞")


def test_training_curves_from_train_neuron(window, model):
    dock = window.docks["trainingDock"]
    x, y = dock.ce_curve.getData()
    np.testing.assert_allclose(y, model.histories["ce"].loss)
    assert len(x) == model.training.epochs + 1


def test_view_menu_hides_and_reset_layout_restores(window, qtbot):
    dock = window.docks["softmaxDock"]
    act = dock.toggleViewAction()
    assert act in window.view_menu.actions()
    act.trigger()
    assert not dock.isVisible()
    window.act_reset_layout.trigger()
    qtbot.wait(20)
    assert all(d.isVisible() for d in window.docks.values())


def test_layout_persists(qtbot, model, tmp_path):
    ini = str(tmp_path / "s.ini")
    w1 = MainWindow(model, settings=QSettings(ini, QSettings.IniFormat), restore_layout=False)
    qtbot.addWidget(w1)
    w1.show()
    qtbot.waitExposed(w1)
    w1.docks["sigmoidDock"].close()
    w1.close()
    w2 = MainWindow(model, settings=QSettings(ini, QSettings.IniFormat))
    qtbot.addWidget(w2)
    w2.show()
    qtbot.waitExposed(w2)
    assert not w2.docks["sigmoidDock"].isVisible()
    assert w2.docks["pEditorDock"].isVisible()


def test_usable_at_1280x800(window, qtbot):
    window.resize(1280, 800)
    qtbot.wait(50)
    for dock in window.docks.values():
        assert dock.width() >= 150 and dock.height() >= 120, dock.objectName()


def test_session_save_and_open(window, model, tmp_path):
    path = tmp_path / "s.json"
    model.set_p([0.7, 0.2, 0.1])
    assert window.save_session(path)
    data = json.loads(path.read_text())
    assert data["version"] == 2 and data["model"]["p"] == [0.7, 0.2, 0.1]   # file format 2 (issue 8)
    model.set_p([0.1, 0.1, 0.8])
    assert window.load_session(path)
    np.testing.assert_allclose(model.p, [0.7, 0.2, 0.1])


@pytest.mark.parametrize("content", ["not json", '{"version": 1, "p": [NaN, 0.5, 0.5]}',
                                     '{"version": 1, "p": [0.5, 0.5], "q": "x"}', "[1, 2]"])
def test_bad_session_refused_state_intact(window, model, tmp_path, content):
    path = tmp_path / "bad.json"
    path.write_text(content)
    before = model.to_dict()
    assert not window.load_session(path)
    assert model.to_dict() == before
    assert "bad.json" in window.statusBar().currentMessage() or window.statusBar().currentMessage()


def test_dock_retitled_on_language_signal(window):
    from explorer import i18n
    dock = window.docks["readoutsDock"]
    i18n._catalog["Information readouts"] = "XX"
    try:
        i18n.notifier.languageChanged.emit("en")
        assert dock.windowTitle() == "XX"
    finally:
        i18n._catalog.pop("Information readouts")
        i18n.notifier.languageChanged.emit("en")
    assert dock.windowTitle() == "Information readouts"


def test_drag_sigmoid_marker_with_mouse(window, model, qtbot):
    from PySide6.QtCore import QPointF
    dock = window.docks["sigmoidDock"]
    pw = dock.plot
    vb = pw.getPlotItem().vb

    def to_widget(x, y):
        return pw.mapFromScene(vb.mapViewToScene(QPointF(x, y)))

    start, end = to_widget(model.z_marker, 0.5), to_widget(-4.0, 0.5)
    seen = []
    model.sigChanged.connect(lambda c: seen.append(c.finished))
    qtbot.mousePress(pw.viewport(), Qt.LeftButton, pos=start)
    mid = to_widget(0.0, 0.5)
    qtbot.mouseMove(pw.viewport(), pos=mid)
    qtbot.mouseMove(pw.viewport(), pos=end)
    qtbot.mouseRelease(pw.viewport(), Qt.LeftButton, pos=end)
    assert model.z_marker == pytest.approx(-4.0, abs=0.1)
    assert False in seen and seen[-1] is True
    assert "σ′(z)" in dock.readout.text()


def test_app_has_an_icon(window):
    from explorer.app import ICON_PATH, get_app
    assert ICON_PATH.is_file()
    img = get_app().windowIcon().pixmap(32, 32).toImage()
    assert not img.isNull()
    colours = {img.pixel(x, y) for x in range(32) for y in range(32)}
    assert len(colours) > 4      # the SVG really rendered (bars and curve), not a blank square


def _visible_dock_tab_bars(window):
    from PySide6.QtWidgets import QTabBar
    return [b for b in window.findChildren(QTabBar) if b.parent() is window and b.isVisible()]


@pytest.mark.parametrize("size", [(1280, 800), (1600, 1000)])
def test_no_stray_dock_tab_bar_is_left_on_screen(window, qtbot, size):
    """With two tab groups Qt left the first bar of one group drawn over the training dock."""
    window.resize(*size)
    qtbot.wait(50)
    for _ in range(2):
        bars = _visible_dock_tab_bars(window)
        assert len(bars) == 2, [b.geometry() for b in bars]        # readouts and softmax groups
        assert not window.dock_tab_guard.stale_bars()
        window.reset_layout()
        qtbot.wait(50)


def test_closing_the_other_docks_of_a_tab_group_leaves_the_window_idle(window, qtbot):
    """Closing the softmax and batch docks (their title bars' close buttons) left the training
    dock alone in its tab group; Qt parks that group's bar off the window, still "visible", the
    tab guard hid it as stale, Qt's next relayout showed it again, and so on: ~140 layouts a
    second and most of a core while the app sat idle (every race frame paid for it too)."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QAbstractButton

    window.workspaces.switch("all")
    qtbot.wait(50)
    for name in ("softmaxDock", "batchDock"):
        dock = window.docks[name]
        dock.raise_()
        qtbot.wait(20)
        button = dock.findChild(QAbstractButton, "qt_dockwidget_closebutton")
        assert button is not None and button.isVisible()
        qtbot.mouseClick(button, Qt.LeftButton)
        qtbot.wait(20)
        assert dock.isHidden()
    qtbot.wait(100)

    class Count(QObject):
        n = 0

        def eventFilter(self, obj, event):
            if obj is window and event.type() == QEvent.LayoutRequest:
                self.n += 1
            return False

    counter = Count()
    window.installEventFilter(counter)
    qtbot.wait(300)
    window.removeEventFilter(counter)
    assert counter.n <= 1
    assert window.docks["trainingDock"].isVisible()
    on_window = [b for b in _visible_dock_tab_bars(window) if b.geometry().intersects(window.rect())]
    assert not [b for b in on_window if b in window.dock_tab_guard.stale_bars()]
