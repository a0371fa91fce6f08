"""Light / dark themes: the whole window switches (Qt palette, every plot's background, axes,
curves and text), p/q and MSE/CE stay distinguishable for colour-blind viewers, the choice is
remembered."""
import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QDockWidget

from explorer.model import AppModel
from explorer.ui import theme
from explorer.ui.main_window import MainWindow
from explorer.ui.preferences import THEME_KEY

from tests.ui.helpers import look_at_every_dock


@pytest.fixture(autouse=True)
def _back_to_light():
    yield
    theme.apply_app(theme.LIGHT)


# ------------------------------------------------------------------------------ palette choice
# Machado, Oliveira & Fernandes (2009) dichromacy simulation matrices (severity 1), linear RGB.
CVD = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                   [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                   [0.004733, 0.691367, 0.303900]],
}


def _linear(hex_colour):
    c = QColor(hex_colour)
    v = np.array([c.redF(), c.greenF(), c.blueF()])
    return np.where(v <= 0.04045, v / 12.92, ((v + 0.055) / 1.055) ** 2.4)


def _lab(rgb):
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                    [0.0193, 0.1192, 0.9505]]) @ np.clip(rgb, 0, 1)
    t = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > 0.008856, np.cbrt(t), 7.787 * t + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def _contrast(a, b):
    la, lb = (float(np.dot([0.2126, 0.7152, 0.0722], _linear(c))) for c in (a, b))
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


@pytest.mark.parametrize("th", [theme.LIGHT, theme.DARK], ids=["light", "dark"])
@pytest.mark.parametrize("pair", [("p", "q"), ("mse", "ce"), ("focal", "mse"), ("focal", "ce"),
                                  ("hinge", "mse"), ("hinge", "ce"), ("smoothed", "mse"),
                                  ("smoothed", "ce")])
def test_pairs_stay_distinguishable_for_colour_blind_viewers(th, pair):
    a, b = (getattr(th, name) for name in pair)
    for name, matrix in CVD.items():
        delta_e = np.linalg.norm(_lab(np.array(matrix) @ _linear(a)) - _lab(np.array(matrix) @ _linear(b)))
        assert delta_e > 30, f"{th.name} {pair} under {name}: ΔE = {delta_e:.1f}"
    for name in pair:        # filled bars and thick lines must stand out from the background
        assert _contrast(getattr(th, name), th.background) > 2.0, (th.name, name)


def test_q_mse_ce_keep_their_colours_in_both_themes():
    for name in ("q", "mse", "ce", "focal", "smoothed"):
        assert getattr(theme.LIGHT, name) == getattr(theme.DARK, name)
    assert theme.LIGHT.p != theme.LIGHT.q and theme.DARK.p != theme.DARK.q


# ------------------------------------------------------------------------------ switching
def _views(window):
    return window.findChildren(pg.GraphicsView)


def _pen_colour(item):
    return pg.mkPen(item.opts["pen"]).color().name().upper()


def _mean_luma(window):
    img = window.grab().toImage().convertToFormat(window.grab().toImage().Format.Format_RGB32)
    ptr = img.constBits()
    arr = np.frombuffer(ptr, np.uint8, img.sizeInBytes()).reshape(img.height(), img.bytesPerLine())
    arr = arr[:, : img.width() * 4].reshape(img.height(), img.width(), 4).copy()
    return float(arr[..., :3].mean())


def test_switch_restyles_every_plot_and_widget(window, qtbot):
    views = _views(window)
    assert len(views) >= 6
    # a plain dock without apply_theme(): restyled generically
    extra = QDockWidget("extra", window)
    extra.setObjectName("extraTestDock")
    pw = pg.PlotWidget(background=theme.LIGHT.background)
    curve = pw.plot([0, 1, 2], [1, 0, 1], pen=theme.pen(theme.LIGHT.p))
    label = pg.TextItem("H(p)", color=theme.LIGHT.foreground)
    pw.addItem(label)
    bars = pg.BarGraphItem(x=[0, 1], height=[1, 2], width=0.5, brush=theme.LIGHT.p)
    pw.addItem(bars)
    extra.setWidget(pw)
    window.addDockWidget(Qt.LeftDockWidgetArea, extra)
    p_curves = [c for v in views for c in v.scene().items()
                if isinstance(c, pg.PlotDataItem) and _pen_colour(c) == theme.LIGHT.p.upper()]
    assert p_curves, "expected at least one curve drawn in p's colour"
    applied = []
    for dock in window.docks.values():
        if hasattr(dock, "apply_theme"):
            original = dock.apply_theme
            dock.apply_theme = (lambda d=dock, f=original: (applied.append(d.objectName()), f()))
    qtbot.wait(50)
    light_luma = _mean_luma(window)

    window.prefs.theme_actions["dark"].trigger()            # View → Theme → Dark
    qtbot.wait(50)
    # the docks on screen restyled at once; the others (behind tabs, closed) when shown
    on_screen = [d for d in window.docks.values() if not d.visibleRegion().isEmpty()]
    assert on_screen
    for dock in on_screen:
        for v in dock.findChildren(pg.GraphicsView):
            assert v.backgroundBrush().color().name().upper() == theme.DARK.background.upper()
    look_at_every_dock(window, qtbot)
    assert theme.current() is theme.DARK
    assert window.settings.value(THEME_KEY) == "dark"
    assert window.prefs.theme_actions["dark"].isChecked()
    for v in _views(window):
        assert v.backgroundBrush().color().name().upper() == theme.DARK.background.upper()
    for c in p_curves:
        assert _pen_colour(c) == theme.DARK.p.upper()
    assert _pen_colour(curve) == theme.DARK.p.upper()
    assert label.color.name().upper() == theme.DARK.foreground.upper()
    assert pg.mkBrush(bars.opts["brush"]).color().name().upper() == theme.DARK.p.upper()
    axis = pw.getPlotItem().getAxis("left")
    assert axis.pen().color().name().upper() == theme.DARK.foreground.upper()
    assert axis.textPen().color().name().upper() == theme.DARK.foreground.upper()
    assert QApplication.palette().color(QPalette.Window).name().upper() == theme.DARK.window.upper()
    assert QApplication.palette().color(QPalette.WindowText).name().upper() == theme.DARK.foreground.upper()
    assert sorted(applied) == sorted(n for n, d in window.docks.items() if hasattr(d, "apply_theme"))
    dark_luma = _mean_luma(window)
    assert dark_luma < light_luma - 80, (light_luma, dark_luma)   # what is drawn really is dark

    window.prefs.theme_actions["light"].trigger()
    qtbot.wait(50)
    look_at_every_dock(window, qtbot)
    assert theme.current() is theme.LIGHT and window.settings.value(THEME_KEY) == "light"
    for v in _views(window):
        assert v.backgroundBrush().color().name().upper() == theme.LIGHT.background.upper()
    assert _pen_colour(curve) == theme.LIGHT.p.upper()
    assert axis.pen().color().name().upper() == theme.LIGHT.foreground.upper()
    assert abs(_mean_luma(window) - light_luma) < 5


def test_theme_is_remembered(qtbot, tmp_path):
    ini = str(tmp_path / "s.ini")
    w1 = MainWindow(AppModel(), settings=QSettings(ini, QSettings.IniFormat), restore_layout=False)
    qtbot.addWidget(w1)
    w1.prefs.set_theme("dark")
    w1.close()
    theme.apply_app(theme.LIGHT)                              # as in a fresh process
    w2 = MainWindow(AppModel(), settings=QSettings(ini, QSettings.IniFormat), restore_layout=False)
    qtbot.addWidget(w2)
    assert theme.current() is theme.DARK and w2.prefs.theme_actions["dark"].isChecked()
    for v in _views(w2):          # plots created dark from the start
        assert v.backgroundBrush().color().name().upper() == theme.DARK.background.upper()
    with pytest.raises(ValueError, match="theme"):
        w2.prefs.set_theme("purple")


def test_window_without_a_saved_theme_inherits_the_active_one(window, qtbot, tmp_path):
    """A recording renders in a private window (fresh settings): it must use the theme the user
    is looking at, and must not switch the user's window back."""
    window.prefs.set_theme("dark")
    private = MainWindow(AppModel(), settings=QSettings(str(tmp_path / "rec.ini"), QSettings.IniFormat),
                         restore_layout=False)
    qtbot.addWidget(private)
    assert theme.current() is theme.DARK
    private.resize(800, 600)
    private.show()
    qtbot.waitExposed(private)
    private.build_pending_docks()
    look_at_every_dock(window, qtbot)
    for v in _views(private) + _views(window):
        assert v.backgroundBrush().color().name().upper() == theme.DARK.background.upper()
    assert _mean_luma(private) < 90
    private.close()


def test_a_theme_switch_keeps_the_zoom(window, qtbot):
    """Zoom 150 %, then switch themes: the docks' new pens are zoomed too (they were set back
    to their 100 % widths, 2 px curves drawn 2 px wide at 150 %)."""
    curves = window.docks["curvesDock"]
    curves.show()
    curves.raise_()                  # on screen: a dock behind a tab restyles when shown
    qtbot.waitUntil(lambda: not curves.visibleRegion().isEmpty())
    base = curves.info_curve.opts["pen"].widthF()
    window.view_modes.set_zoom(150)
    assert curves.info_curve.opts["pen"].widthF() == pytest.approx(base * 1.5)
    window.prefs.set_theme("dark")
    assert curves.info_curve.opts["pen"].widthF() == pytest.approx(base * 1.5)
    assert pg.mkColor(curves.info_curve.opts["pen"].color()) == pg.mkColor(theme.DARK.foreground)
    window.prefs.set_theme("light")
    assert curves.info_curve.opts["pen"].widthF() == pytest.approx(base * 1.5)
    window.view_modes.set_zoom(100)
    assert curves.info_curve.opts["pen"].widthF() == pytest.approx(base)
