"""Docks build their bodies when they are first needed (issue 16: start-up paints only what is
on screen).  A dock behind a tab or closed has just its title until its tab is chosen, it is
shown, a program reads one of its widgets, or the window builds it in the background after the
first paint; whatever happened meanwhile (edits, theme, zoom, language) is what it then shows.
The training dock does the same with its three race modes."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QTabBar

from explorer import i18n
from explorer.model import AppModel
from explorer.ui import theme, zoom
from explorer.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def _defaults_afterwards():
    yield
    i18n.set_language("en")
    theme.apply_app(theme.LIGHT)
    zoom.apply(None, 100)                # the zoom is the application's


def _window(qtbot, tmp_path, name="lazy.ini", model=None, build_later=False):
    w = MainWindow(model or AppModel(), settings=QSettings(str(tmp_path / name), QSettings.IniFormat),
                   restore_layout=False, workspace="all")
    qtbot.addWidget(w)
    if not build_later:
        w._idle_builder.timeout.disconnect()     # this test decides when the rest is built
    w.resize(1600, 1000)
    w.show()
    qtbot.waitExposed(w)
    return w


def _on_screen(dock) -> bool:
    return dock.isVisible() and not dock.visibleRegion().isEmpty()


def _tab_of(window, dock):
    """The main window's dock tab bar holding *dock* and its index there."""
    for bar in window.findChildren(QTabBar):
        if bar.parent() is window and bar.isVisible():
            for i in range(bar.count()):
                if bar.tabText(i) == dock.windowTitle():
                    return bar, i
    raise AssertionError(f"no tab for {dock.objectName()}")


def test_only_the_docks_on_screen_are_built_at_start_up(qtbot, tmp_path):
    w = _window(qtbot, tmp_path)
    qtbot.wait(30)
    shown = [d for d in w.docks.values() if _on_screen(d)]
    assert len(shown) >= 4
    assert all(d.is_built() for d in shown)
    pending = w.pending_docks()
    assert pending, "every dock was built although some are behind tabs"
    assert not any(_on_screen(d) for d in pending)
    # an unbuilt dock still has its title (its tab says what it is)
    assert all(d.windowTitle() for d in pending)
    # the training dock built the race on screen only
    training = w.docks["trainingDock"]
    assert set(training.panels) == {w.model.training_mode}


def test_choosing_a_tab_builds_the_dock_with_what_changed_meanwhile(qtbot, tmp_path):
    w = _window(qtbot, tmp_path)
    softmax = w.docks["softmaxDock"]
    assert not softmax.is_built()
    # edit while it is not built: the logits it will show
    w.model.set_softmax_logits(np.array([3.0, -1.0, 0.5]))
    bar, i = _tab_of(w, softmax)
    qtbot.mouseClick(bar, Qt.LeftButton, pos=bar.tabRect(i).center())
    qtbot.waitUntil(lambda: _on_screen(softmax))
    assert softmax.is_built()
    # what it draws: the softmax of those logits (closed form, not the app's function)
    z = np.array([3.0, -1.0, 0.5])
    expected = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    np.testing.assert_allclose(softmax.prob_plot.heights, expected, rtol=1e-9)
    # and it follows later edits like any other dock
    w.model.set_softmax_logits(np.array([0.0, 0.0, 2.0]))
    z = np.array([0.0, 0.0, 2.0])
    np.testing.assert_allclose(softmax.prob_plot.heights, np.exp(z) / np.exp(z).sum(), rtol=1e-9)


def test_a_program_reading_a_dock_gets_it_built(qtbot, tmp_path):
    w = _window(qtbot, tmp_path)
    curves = w.docks["curvesDock"]
    assert not curves.is_built()
    assert curves.findChildren(pg.PlotWidget) == []
    # any widget of the dock: built on first access, the caller never sees the difference
    plots = curves.findChildren(pg.PlotWidget) if curves.ensure_built() else []
    assert plots and curves.is_built()
    sampling = w.docks["samplingDock"]
    assert not sampling.is_built()
    assert sampling.refresh is not None and sampling.body() is not None
    with pytest.raises(AttributeError):
        sampling.no_such_widget          # a real typo still raises
    assert sampling.is_built()


def test_the_rest_is_built_in_the_background_after_the_first_paint(qtbot, tmp_path):
    w = _window(qtbot, tmp_path, build_later=True)
    qtbot.waitUntil(lambda: not w.pending_docks(), timeout=10000)
    # every dock's plots got the export menu and undo works in its fields
    from explorer.ui.export import plot_menu
    for dock in w.docks.values():
        for pw in dock.findChildren(pg.PlotWidget):
            assert plot_menu(pw) is not None, dock.objectName()


def _axis_fonts(dock):
    return sorted(round(ax.style["tickFont"].pointSizeF(), 2) if ax.style.get("tickFont")
                  else 0.0 for pw in dock.findChildren(pg.PlotWidget)
                  for ax in (pw.getPlotItem().getAxis("bottom"), pw.getPlotItem().getAxis("left")))


def _curve_widths(dock):
    """The pen widths of the curves dock's curves and lines."""
    return {name: round(getattr(dock, name).opts["pen"].widthF(), 3)
            for name in ("info_curve", "hb_curve")} | {
        name: round(getattr(dock, name).pen.widthF(), 3) for name in ("peak_line", "max_line")}


def test_zoom_theme_and_language_set_before_the_build_apply_to_it(qtbot, tmp_path):
    # reference: every dock built first, then zoom 150 %, dark theme, Chinese
    ref = _window(qtbot, tmp_path, "ref.ini")
    ref.build_pending_docks()
    ref.prefs.set_theme("dark")
    ref.prefs.set_language("zh")
    ref.view_modes.set_zoom(150)
    ref_curves = ref.docks["curvesDock"]
    ref_fonts, ref_widths = _axis_fonts(ref_curves), _curve_widths(ref_curves)
    assert ref_widths["info_curve"] == 3.0          # 2 px × 150 %
    ref_title = ref_curves.windowTitle()
    ref.close()
    theme.apply_app(theme.LIGHT)
    i18n.set_language("en")
    # lazy: the same switches while the dock is not built, then build it
    w = _window(qtbot, tmp_path, "lazy2.ini")
    curves = w.docks["curvesDock"]
    assert not curves.is_built()
    w.prefs.set_theme("dark")
    w.prefs.set_language("zh")
    w.view_modes.set_zoom(150)
    assert not curves.is_built()
    assert curves.windowTitle() == ref_title != "Curves"     # the tab follows at once
    curves.ensure_built()
    assert _axis_fonts(curves) == ref_fonts
    assert _curve_widths(curves) == ref_widths
    dark = pg.mkColor(theme.DARK.background)
    for pw in curves.findChildren(pg.PlotWidget):
        assert pw.backgroundBrush().color() == dark


def test_a_built_dock_behind_a_tab_redraws_when_chosen(qtbot, tmp_path):
    w = _window(qtbot, tmp_path)
    softmax = w.docks["softmaxDock"]
    softmax.ensure_built()
    calls = []
    real = softmax.refresh
    softmax.refresh = lambda change: (calls.append(change), real(change))
    w.prefs.set_theme("dark")
    assert calls == []                   # behind the training tab: nothing redrawn yet
    # a language switch redraws it at once (texts drawn inside its plots), the tab's title too
    w.prefs.set_language("zh")
    assert calls == [None]
    assert softmax.windowTitle() == i18n.tr(softmax.TITLE) != softmax.TITLE
    calls.clear()
    w.prefs.set_theme("light")
    bar, i = _tab_of(w, softmax)
    qtbot.mouseClick(bar, Qt.LeftButton, pos=bar.tabRect(i).center())
    qtbot.waitUntil(lambda: bool(calls))
    assert calls[0] is None              # one full redraw, in the light theme
    light = pg.mkColor(theme.LIGHT.background)
    assert all(pw.backgroundBrush().color() == light for pw in softmax.findChildren(pg.PlotWidget))


def test_training_modes_build_when_their_tab_is_chosen(qtbot, tmp_path):
    w = _window(qtbot, tmp_path)
    w.view_modes.set_zoom(125)
    training = w.docks["trainingDock"]
    assert "dataset" not in training.panels
    tabs = training.tabs
    qtbot.mouseClick(tabs.tabBar(), Qt.LeftButton, pos=tabs.tabBar().tabRect(1).center())
    assert w.model.training_mode == "dataset"
    assert "dataset" in training.panels
    panel = training.panels["dataset"]
    assert training.scrolls["dataset"].widget() is panel
    qtbot.waitUntil(panel.isVisible)
    # zoomed like the rest, and drawn: the loss curves hold every epoch of both runs
    from explorer.ui.export import plot_menu
    for pw in panel.findChildren(pg.PlotWidget):
        assert plot_menu(pw) is not None
        axis = pw.getPlotItem().getAxis("bottom")
        assert axis.style["tickFont"] is not None
    neuron_axis = training.panels["neuron"].findChildren(pg.PlotWidget)[0].getPlotItem().getAxis("bottom")
    data_axis = panel.findChildren(pg.PlotWidget)[0].getPlotItem().getAxis("bottom")
    assert data_axis.style["tickFont"].pointSizeF() == pytest.approx(
        neuron_axis.style["tickFont"].pointSizeF())


def test_a_dock_built_while_closed_has_its_texts_measured(qtbot, tmp_path):
    """A dock built in the background while it is not on screen, then shown: its combo boxes
    are as wide as their texts (a combo measured before its items had texts kept a 5 px field,
    found by the layout matrix in the Sampling workspace)."""
    w = _window(qtbot, tmp_path)
    code = w.docks["codeDock"]
    assert not code.is_built()
    w.build_pending_docks()
    w.switch_workspace("sampling", restore=False)
    qtbot.waitUntil(lambda: not code.visibleRegion().isEmpty())
    qtbot.wait(50)
    combo = code.lib_combo
    text = combo.currentText()
    assert text
    from PySide6.QtWidgets import QStyle, QStyleOptionComboBox
    opt = QStyleOptionComboBox()
    combo.initStyleOption(opt)
    field = combo.style().subControlRect(QStyle.CC_ComboBox, opt, QStyle.SC_ComboBoxEditField, combo)
    assert field.width() >= combo.fontMetrics().horizontalAdvance(text)
