"""The plots' grid (explorer.ui.widgets.plots.PlotGrid): drawn under the data, in the colours
pyqtgraph's own translucent grid gives on the plot background, and redrawn when the range
changes.  The reference is a stock pyqtgraph PlotWidget with ``showGrid`` at the same alpha,
rendered beside ours at the same size and range."""
import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtGui import QImage

from explorer.ui import theme
from explorer.ui.widgets.plots import make_plot

SIZE = (420, 300)


def _pixels(pw) -> np.ndarray:
    img = pw.grab().toImage().convertToFormat(QImage.Format_RGB32)
    raw = np.frombuffer(img.constBits(), np.uint8).reshape(img.height(), img.bytesPerLine() // 4, 4)
    return raw[:, :img.width(), 2::-1].astype(int)          # BGRA in memory -> RGB


def _view_slice(pw):
    vb = pw.getPlotItem().getViewBox()
    r = pw.mapFromScene(vb.mapRectToScene(vb.boundingRect())).boundingRect()
    return slice(r.top() + 1, r.bottom() - 1), slice(r.left() + 1, r.right() - 1)


def _pair(qtbot, x_range=(0, 10), y_range=(-1, 1)):
    th = theme.current()
    ours = make_plot()
    ref = pg.PlotWidget(background=th.background)
    ri = ref.getPlotItem()
    ri.showGrid(x=True, y=True, alpha=th.grid_alpha)
    ri.setMenuEnabled(False)
    ri.hideButtons()
    for pw in (ours, ref):
        qtbot.addWidget(pw)
        pw.resize(*SIZE)
        pw.getPlotItem().setXRange(*x_range, padding=0)
        pw.getPlotItem().setYRange(*y_range, padding=0)
        pw.show()
        qtbot.waitExposed(pw)
    return ours, ref


def _compare(ours, ref, background=None):
    """(ours, reference) pixels of the plot area, and which of them lie where a horizontal
    and a vertical grid line of the reference cross."""
    sl = _view_slice(ours)
    assert sl == _view_slice(ref)                 # same layout: the same pixels to compare
    a, b = _pixels(ours)[sl], _pixels(ref)[sl]
    bg = np.array(pg.mkColor(background or theme.current().background).getRgb()[:3])
    off = np.abs(b - bg).max(axis=2) > 0
    rows = off.mean(axis=1) > 0.8                 # a horizontal line spans the whole row
    cols = off.mean(axis=0) > 0.8
    crossing = rows[:, None] & cols[None, :]
    return a, b, crossing, rows, cols, bg


@pytest.fixture(params=["light", "dark"])
def each_theme(request):
    old = theme.current()
    theme.apply_app(theme.DARK if request.param == "dark" else theme.LIGHT)
    yield request.param
    theme.apply_app(old)


def test_the_grid_has_pyqtgraphs_colours_on_the_background(qtbot, each_theme):
    ours, ref = _pair(qtbot)
    a, b, crossing, rows, cols, bg = _compare(ours, ref)
    assert rows.sum() >= 5 and cols.sum() >= 5    # the reference has a grid to compare with
    diff = np.abs(a - b).max(axis=2)
    assert diff[~crossing].max() <= 2, "a grid line or the background differs from pyqtgraph's"
    # where two lines cross, the stronger line shows (translucent lines would add up): never a
    # gap lighter (on the light theme; darker on the dark one) than either line
    a_dist = np.abs(a - bg).max(axis=2)
    row_line = np.abs(b - bg).max(axis=2)[:, ~cols].max(axis=1)      # each row's line colour
    col_line = np.abs(b - bg).max(axis=2)[~rows, :].max(axis=0)
    strongest = np.maximum(row_line[:, None], col_line[None, :])
    assert (a_dist[crossing] >= strongest[crossing] - 2).all()


def test_the_grid_follows_a_range_change(qtbot):
    ours, ref = _pair(qtbot)
    _compare(ours, ref)
    for pw in (ours, ref):
        pw.getPlotItem().setXRange(0, 3, padding=0)
        pw.getPlotItem().setYRange(0, 50, padding=0)
    qtbot.wait(20)
    a, b, crossing, rows, cols, _ = _compare(ours, ref)
    assert rows.sum() >= 5 and cols.sum() >= 5
    assert np.abs(a - b).max(axis=2)[~crossing].max() <= 2


def test_the_grid_follows_a_resize(qtbot):
    ours, ref = _pair(qtbot)
    _compare(ours, ref)
    for pw in (ours, ref):
        pw.resize(SIZE[0] + 130, SIZE[1] - 60)
    qtbot.wait(20)
    a, b, crossing, _, _, _ = _compare(ours, ref)
    assert np.abs(a - b).max(axis=2)[~crossing].max() <= 2


def test_the_data_is_drawn_over_the_grid(qtbot):
    ours, ref = _pair(qtbot)
    colour = (0, 114, 178)
    curve = pg.PlotCurveItem([0, 10], [0, 0], pen=pg.mkPen(colour, width=7))
    ours.getPlotItem().addItem(curve)
    qtbot.wait(20)
    sl = _view_slice(ours)
    a = _pixels(ours)[sl]
    vb = ours.getPlotItem().getViewBox()
    y = round(ours.mapFromScene(vb.mapViewToScene(pg.Point(5, 0))).y()) - sl[0].start
    cols = _compare(ours, ref)[4]
    assert cols.sum() >= 5                        # vertical grid lines cross the curve ...
    row = a[y, 5:-5]
    assert (np.abs(row - np.array(colour)).max(axis=1) <= 1).all(), \
        "a grid line shows through the curve"     # ... and none of them shows on it


def test_the_grid_follows_a_background_change(qtbot):
    ours, ref = _pair(qtbot)
    _compare(ours, ref)
    grey = "#A0A8B0"
    for pw in (ours, ref):
        pw.setBackground(grey)                    # only the background, nothing else
    qtbot.wait(20)
    a, b, crossing, rows, cols, _ = _compare(ours, ref, grey)
    assert rows.sum() >= 5 and cols.sum() >= 5
    assert np.abs(a - b).max(axis=2)[~crossing].max() <= 2


def test_tick_marks_of_a_plot_without_grid_stay_above_its_data(qtbot):
    th = theme.current()
    ours = make_plot()
    ours.getPlotItem().showGrid(x=False, y=False)
    ref = pg.PlotWidget(background=th.background)
    ref.getPlotItem().hideButtons()
    for pw in (ours, ref):
        qtbot.addWidget(pw)
        pw.resize(*SIZE)
        pi = pw.getPlotItem()
        pi.setXRange(0, 10, padding=0)
        pi.setYRange(0, 1, padding=0)
        for name in ("left", "bottom"):         # the same pens as ours
            pi.getAxis(name).setPen(ours.getPlotItem().getAxis(name).pen())
        # an opaque bar over the whole plot: pyqtgraph's inward tick marks are drawn over it
        pi.addItem(pg.BarGraphItem(x0=[0], y0=[0], width=[10], height=[1],
                                   brush=pg.mkBrush(0, 114, 178), pen=pg.mkPen(None)))
        pw.show()
        qtbot.waitExposed(pw)
    qtbot.wait(20)
    sl = _view_slice(ours)
    a, b = _pixels(ours)[sl], _pixels(ref)[sl]
    bar = np.array([0, 114, 178])
    assert (np.abs(b - bar).max(axis=2) > 40).sum() > 20      # the reference shows tick marks
    assert np.abs(a - b).max() <= 2
