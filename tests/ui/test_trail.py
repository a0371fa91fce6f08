"""TrailCurve (explorer/ui/widgets/trail.py): a race curve grown one point per frame is drawn
as pyqtgraph's own PlotCurveItem draws the same points, at scale 1 and 2, after a loop back to
the start and a resize; a frame repaints only the new segment's rectangle, not the plot."""
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QImage, QPainter, QPen
from PySide6.QtWidgets import QApplication, QGraphicsPathItem

from explorer.ui.widgets.trail import TrailBand, TrailCurve

ROOT = Path(__file__).resolve().parents[2]
X = np.arange(301.0)
Y = np.exp(-X / 60.0) * (0.6 + 0.4 * np.cos(X / 9.0))      # wiggles: joins at every angle
PEN = {"color": "#cc3311", "width": 2.5}


def _view(size=(500, 300)):
    pw = pg.PlotWidget()
    pw.resize(*size)
    pw.setXRange(0, 300, padding=0)
    pw.setYRange(-0.1, 1.1, padding=0)
    pw.show()
    QApplication.processEvents()
    return pw


def _pixels(pw) -> np.ndarray:
    """What is on screen: the window's backing store, as the frames left it (a grab() would
    paint the whole view again and hide a frame that repainted too little).  At scale 2 the
    offscreen platform's grabWindow returns a corner of the window: there, a grab()."""
    if pw.devicePixelRatioF() == 1:
        shot = pw.screen().grabWindow(pw.winId())
    else:
        shot = pw.grab()
    image = shot.toImage().convertToFormat(QImage.Format.Format_RGB32)
    return np.asarray(image.constBits()).reshape(image.height(), image.width(), 4)[..., :3] \
        .astype(int).copy()


def _paint_regions(pw, step):
    regions = []

    class Spy(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Paint:
                regions.append(event.region().boundingRect())
            return False

    spy = Spy()
    pw.viewport().installEventFilter(spy)
    step()
    pw.viewport().removeEventFilter(spy)
    return regions


def _grow(trail, start, stop):
    for k in range(start, stop + 1):            # one point per painted frame, as in a race
        trail.set_count(k)
        QApplication.processEvents()


def _assert_drawn_alike(trail_view, stock_view, x, y):
    """The two views' pixels agree, but for a shade at joins and the caps at the two ends."""
    a, b = _pixels(trail_view), _pixels(stock_view)
    assert a.shape == b.shape
    diff = np.abs(a - b).max(axis=2)
    ratio = a.shape[0] / trail_view.height()
    # the ends: a stroke of the whole curve has square caps there, the trail's first and last
    # strokes round ones
    for k in (0, len(x) - 1):
        p = trail_view.mapFromScene(trail_view.plotItem.vb.mapViewToScene(pg.Point(x[k], y[k])))
        cx, cy = round(p.x() * ratio), round(p.y() * ratio)
        r = round(4 * ratio)
        diff[max(cy - r, 0):cy + r + 1, max(cx - r, 0):cx + r + 1] = 0
    ink = np.abs(b - b[2, -3]).max(axis=2) > 0        # what the stock curve and axes cover
    assert ink.sum() > 1000 * ratio
    assert diff.max() <= 100, diff.max()
    assert (diff > 32).sum() < 0.1 * ink.sum(), ((diff > 32).sum(), ink.sum())


def check_matches_stock(**pen):
    """Grown point by point, looped back, resized: always drawn as the stock curve."""
    pen = dict(PEN, **pen)
    trail_view, stock_view = _view(), _view()
    trail = TrailCurve(pg.mkPen(**pen))
    trail_view.addItem(trail)
    trail.set_series(X, Y, count=1)
    stock = pg.PlotCurveItem(pen=pg.mkPen(**pen))
    stock_view.addItem(stock)
    _grow(trail, 2, 301)
    stock.setData(X, Y)
    QApplication.processEvents()
    assert trail.count() == 301
    np.testing.assert_array_equal(trail.getData()[1], Y)
    _assert_drawn_alike(trail_view, stock_view, X, Y)
    # the loop starts again: nothing of the old run stays
    trail.set_count(2)
    _grow(trail, 3, 150)
    stock.setData(X[:150], Y[:150])
    QApplication.processEvents()
    _assert_drawn_alike(trail_view, stock_view, X[:150], Y[:150])
    # a new size: drawn again for it
    for view in (trail_view, stock_view):
        view.resize(420, 260)
    QApplication.processEvents()
    _grow(trail, 151, 200)
    stock.setData(X[:200], Y[:200])
    QApplication.processEvents()
    _assert_drawn_alike(trail_view, stock_view, X[:200], Y[:200])
    for view in (trail_view, stock_view):
        view.close()


def test_a_trail_grown_point_by_point_is_drawn_as_pyqtgraph_draws_the_curve(qapp):
    check_matches_stock()


def test_a_dashed_trail_keeps_its_dashes(qapp):
    """Each stroke would start the dash pattern again: drawn a segment per frame, a dashed
    trail came out solid."""
    check_matches_stock(width=1.5, style=Qt.DashLine)


def _at_scale_2(checks: str) -> None:
    """Run *checks* (this module's check_… calls) in a child process at QT_SCALE_FACTOR=2."""
    env = dict(os.environ, QT_SCALE_FACTOR="2", QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=str(ROOT))
    code = ("from PySide6.QtWidgets import QApplication; import pyqtgraph as pg\n"
            "app = QApplication([]); pg.setConfigOptions(antialias=True)\n"
            "import tests.ui.test_trail as t\n"
            "from PySide6.QtCore import Qt\n"
            "assert app.primaryScreen().devicePixelRatio() == 2\n"
            f"{checks}\n"
            "print('ok')")
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=str(ROOT),
                         capture_output=True, text=True, timeout=120, check=False)
    assert out.returncode == 0 and out.stdout.strip().endswith("ok"), out.stderr[-2000:]


def test_the_same_at_scale_2():
    _at_scale_2("t.check_matches_stock(); "
                "t.check_matches_stock(width=1.5, style=Qt.DashLine)")


def test_a_frame_repaints_only_the_new_segment(qapp):
    pw = _view()
    trail = TrailCurve(pg.mkPen(**PEN))
    pw.addItem(trail)
    trail.set_series(X, Y, count=1)
    _grow(trail, 2, 100)
    regions = _paint_regions(pw, lambda: _grow(trail, 101, 110))
    assert len(regions) == 10
    area = pw.viewport().width() * pw.viewport().height()
    for rect in regions:                 # a step of ~1.7 px, the pen and a margin
        assert rect.width() <= 16 and rect.width() * rect.height() < 0.02 * area, rect
    pw.close()


def test_a_gap_in_the_series_breaks_the_line_and_bounds_are_the_whole_series(qapp):
    pw = _view()
    y = Y.copy()
    y[100:110] = np.nan
    trail = TrailCurve(pg.mkPen(**PEN))
    pw.addItem(trail)
    trail.set_series(X, y, count=1)
    _grow(trail, 2, 301)
    assert trail.dataBounds(0) == (0.0, 300.0)
    assert trail.dataBounds(1) == (pytest.approx(np.nanmin(y)), pytest.approx(np.nanmax(y)))
    pixels = _pixels(pw)
    background = pixels[2, -3]
    vb = pw.plotItem.vb
    ratio = pixels.shape[0] / pw.height()
    for xv in (103.0, 106.0):                # inside the gap: no ink in the column there
        p = pw.mapFromScene(vb.mapViewToScene(pg.Point(xv, 0.5)))
        col = round(p.x() * ratio)
        top = round(pw.mapFromScene(vb.mapViewToScene(pg.Point(xv, 1.05))).y() * ratio)
        bottom = round(pw.mapFromScene(vb.mapViewToScene(pg.Point(xv, -0.05))).y() * ratio)
        assert (np.abs(pixels[top:bottom, col] - background).max(axis=1) == 0).all()
    pw.close()


def test_follow_keeps_the_drawn_trail_for_equal_arrays_and_restarts_for_new_ones(qapp):
    """A panel hands the series every frame, sometimes as a fresh slice of the same numbers:
    equal numbers grow the trail, different ones (a new race) start it again."""
    pw = _view()
    trail = TrailCurve(pg.mkPen(**PEN))
    pw.addItem(trail)
    trail.follow(X, Y, 50)
    QApplication.processEvents()
    drawn = trail._cache
    assert drawn is not None and drawn.drawn == 50
    trail.follow(X.copy(), np.array(Y), 60)             # the same race, new array objects
    QApplication.processEvents()
    assert trail._cache is drawn and drawn.drawn == 60
    other = Y * 0.5
    trail.follow(X, other, 60)                           # a new race
    np.testing.assert_array_equal(trail.getData()[1], other[:60])
    QApplication.processEvents()
    assert trail._cache is not drawn
    trail.zoom_to(1.5)                                   # the presentation zoom
    assert trail.pen().widthF() == pytest.approx(2.5 * 1.5)
    trail.setPen(pg.mkPen(**PEN))                        # a new colour keeps the zoom
    assert trail.pen().widthF() == pytest.approx(2.5 * 1.5)
    pw.close()


# ---------------------------------------------------------------------- a series that grows
def check_extended_matches_stock():
    """``extend``: a series known only as far as it has grown (a running mean), subsampled on
    a grid with the newest point live; every frame drawn as the stock curve of the same points."""
    trail_view, stock_view = _view(), _view()
    trail = TrailCurve(pg.mkPen(**PEN))
    trail_view.addItem(trail)
    stock = pg.PlotCurveItem(pen=pg.mkPen(**PEN))
    stock_view.addItem(stock)
    for view in (trail_view, stock_view):
        view.setXRange(0, 150, padding=0)
    for n in range(5, 301, 7):             # the series so far: every 3rd point, plus the newest
        idx = np.arange(0, n, 3)
        settled = idx.size
        if idx[-1] != n - 1:
            idx = np.append(idx, n - 1)
        trail.extend(X[idx], Y[idx], settled=settled)
        if n > 150 and trail_view.viewRange()[0][1] == 150:
            # the range steps in the same frame, after the new points (as the sampling panel
            # does): the trail is drawn for the new range, all of it
            for view in (trail_view, stock_view):
                view.setXRange(0, 300, padding=0)
        QApplication.processEvents()
    stock.setData(X[idx], Y[idx])
    QApplication.processEvents()
    np.testing.assert_array_equal(trail.getData()[1], Y[idx])
    _assert_drawn_alike(trail_view, stock_view, X[idx], Y[idx])
    # a series that does not start with the settled points (a new sample): drawn afresh
    trail.extend(X[:120], 0.5 * Y[:120])
    stock.setData(X[:120], 0.5 * Y[:120])
    QApplication.processEvents()
    _assert_drawn_alike(trail_view, stock_view, X[:120], 0.5 * Y[:120])
    for view in (trail_view, stock_view):
        view.close()


def test_an_extended_trail_is_drawn_as_the_stock_curve_of_its_points(qapp):
    check_extended_matches_stock()


def _band_views():
    lo, hi = Y - 0.08 - 0.05 * np.sin(X / 13.0) ** 2, Y + 0.1
    brush = "#9fc5e8"
    trail_view, stock_view = _view(), _view()
    stock_view.setRenderHint(QPainter.Antialiasing)      # one polygon, antialiased
    band = TrailBand(brush)
    trail_view.addItem(band)
    stock = QGraphicsPathItem()
    stock.setPen(QPen(Qt.NoPen))
    stock.setBrush(pg.mkBrush(brush))
    stock_view.addItem(stock)
    return trail_view, stock_view, band, stock, lo, hi


def _polygon(x, lo, hi):
    path = pg.arrayToQPath(np.concatenate([x, x[::-1]]), np.concatenate([lo, hi[::-1]]))
    path.closeSubpath()
    return path


def check_band_matches_stock():
    """A band grown a few points per frame looks like one polygon: no seams where the pieces
    meet, edges within a shade of antialiasing."""
    trail_view, stock_view, band, stock, lo, hi = _band_views()
    for n in range(2, 302, 5):
        band.extend(X[:n], lo[:n], hi[:n], settled=n - 1)
        QApplication.processEvents()
    n = min(n, 301)
    stock.setPath(_polygon(X[:n], lo[:n], hi[:n]))
    QApplication.processEvents()
    a, b = _pixels(trail_view), _pixels(stock_view)
    diff = np.abs(a - b).max(axis=2)
    filled = np.abs(b - b[2, -3]).max(axis=2) > 0
    assert filled.sum() > 5000
    # a seam would be a column of background-coloured pixels across the band: none is more
    # than a shade off, and all but a few edge pixels are exact
    assert diff.max() <= 60, diff.max()
    assert (diff > 0).sum() < 0.02 * filled.sum(), ((diff > 0).sum(), filled.sum())
    x, lo_, hi_ = band.getData()
    np.testing.assert_array_equal(x, X[:n])
    np.testing.assert_array_equal(lo_, lo[:n])
    np.testing.assert_array_equal(hi_, hi[:n])
    for view in (trail_view, stock_view):
        view.close()


def test_a_band_grown_piece_by_piece_is_filled_as_one_polygon(qapp):
    check_band_matches_stock()


def test_extended_trails_at_scale_2():
    _at_scale_2("t.check_extended_matches_stock(); t.check_band_matches_stock()")


def test_a_growing_trail_and_band_repaint_only_their_new_end(qapp):
    """A new point of an extended series — even one that widens its bounds — repaints the new
    segment and the live one, not the plot (a change of geometry would repaint all of it)."""
    pw = _view()
    trail = TrailCurve(pg.mkPen(**PEN))
    band = TrailBand("#9fc5e8")
    pw.addItem(band)
    pw.addItem(trail)
    y = Y.copy()
    y[150:] = np.linspace(0.5, 1.05, 151)          # climbs past everything drawn before
    for n in range(2, 150):
        trail.extend(X[:n], y[:n], settled=n - 1)
        band.extend(X[:n], y[:n] - 0.05, y[:n] + 0.05, settled=n - 1)
    QApplication.processEvents()

    def grow():
        for n in range(150, 160):
            trail.extend(X[:n], y[:n], settled=n - 1)
            band.extend(X[:n], y[:n] - 0.05, y[:n] + 0.05, settled=n - 1)
            QApplication.processEvents()

    regions = _paint_regions(pw, grow)
    assert len(regions) == 10
    area = pw.viewport().width() * pw.viewport().height()
    for rect in regions:
        assert rect.width() <= 24 and rect.width() * rect.height() < 0.05 * area, rect
    pw.close()
