"""Trails: curves (and filled bands) that grow point by point, drawn incrementally.

A ``PlotCurveItem`` fed ``x[:k + 1]`` every frame strokes the whole curve again and repaints
its whole bounding rectangle (with every item under it) on every frame.  A trail keeps what it
has drawn in a pixmap at device resolution, strokes only the new segment into it, and asks the
view to repaint only the segment's rectangle; a change of the view (range, size, zoom), the
pen, the series, or a count that goes back (a loop restarting) draws it afresh.

Two ways to feed one:

* a series known in advance (a training race): :meth:`TrailCurve.set_series` or
  :meth:`TrailCurve.follow`, then a growing count;
* a series that grows as it goes (a running mean over a sample): :meth:`TrailCurve.extend`
  with the whole series so far; its first *settled* points are final (a later series must start
  with them, or the trail starts again) and the rest are drawn live on every paint (the newest
  point of a sample that is subsampled for the plot).

The pixels match a ``PlotCurveItem`` of the same points and pen to within antialiasing
(``tests/ui/test_trail.py``): each new stroke starts at the last point drawn, with round caps,
which fill the join as the whole polyline's bevel join would; only the pixels at a join differ
by a shade.  :class:`TrailBand`
fills the region between two such lines, as one ``QGraphicsPathItem`` polygon would; each new
piece overlaps the last segment already filled, so antialiased pieces leave no seam.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QPainter, QPainterPath, QPen, QPixmap, QTransform

#: pixels of margin around a stroke (half the pen, antialiasing and the cap)
_MARGIN_PX = 2.0


@dataclass
class _Cache:
    key: tuple
    pixmap: QPixmap
    origin: QPointF           # where the pixmap sits, in the widget's logical pixels
    transform: QTransform     # data -> pixmap's logical pixels
    drawn: int                # points stroked into the pixmap so far
    lengths: np.ndarray | None = None   # a dashed pen's path length to each point, in pixels


def _as_series(*arrays) -> list[np.ndarray]:
    out = [np.array(a, dtype=np.float64, copy=True).ravel() for a in arrays]
    if len({a.size for a in out}) > 1:
        raise ValueError("trail: the series' arrays differ in length "
                         f"({', '.join(str(a.size) for a in out)})")
    return out


def _union(a: QRectF, b: QRectF) -> QRectF:
    """The smallest rectangle holding both (an empty one, QRectF(), holds nothing)."""
    if a == QRectF():
        return QRectF(b)
    if b == QRectF():
        return QRectF(a)
    x0, y0 = min(a.left(), b.left()), min(a.top(), b.top())
    x1, y1 = max(a.right(), b.right()), max(a.bottom(), b.bottom())
    return QRectF(x0, y0, x1 - x0, y1 - y0)


class TrailCurve(pg.GraphicsObject):
    """The first :meth:`count` points of a series, as a polyline.

    ``setPen`` takes what ``pg.mkPen`` takes; ``getData`` returns the points shown.  Non-finite
    points break the line (``connect="finite"``), as pyqtgraph's curves do."""

    #: the arrays of a series beside x (a curve: y; a band: its lower and upper line)
    _ARRAYS = 1

    def __init__(self, pen=None):
        super().__init__()
        self._x = np.empty(0)
        self._ys = [np.empty(0)] * self._ARRAYS
        self._src = (None, None)             # the arrays :meth:`follow` was given last
        self._n = 0
        self._open = False                   # fed by :meth:`extend`
        self._settled = 0                    # open: the points that are final
        self._live_rect = QRectF()           # open: data rectangle of the live points
        self._settled_bounds = QRectF()      # open: … and of the settled ones
        self._bounds = QRectF()              # the finite points of the whole series
        self._pad = (0.0, 0.0)               # _MARGIN_PX + half the pen, in data units
        self._cache: _Cache | None = None
        self._base_pen = pg.mkPen(pen if pen is not None else "w")
        self._zoom = 1.0
        self._pen = self._chunk_pen = None
        self._make_pens()
        # as pyqtgraph's curves: antialiased unless the app's configuration says otherwise
        self._antialias = bool(pg.getConfigOption("antialias"))

    @property
    def _y(self) -> np.ndarray:
        return self._ys[0]

    # ------------------------------------------------------------------ data
    def set_series(self, x, *ys, count: int | None = None) -> None:
        """Follow the series (*x*, *y*) (equal-length 1-D arrays), showing its first *count*
        points (default: as many as before, at most all)."""
        if len(ys) != self._ARRAYS:
            raise TypeError(f"{type(self).__name__}.set_series takes x and {self._ARRAYS} more "
                            f"arrays (got {len(ys)})")
        x, *ys = _as_series(x, *ys)
        self.prepareGeometryChange()
        self._x, self._ys = x, ys
        self._src = (None, None)
        self._open = False
        self._n = min(self._n if count is None else max(int(count), 0), x.size)
        self._bounds = self._rect_of(0, x.size)
        self._cache = None
        self.update()

    def set_count(self, count: int) -> None:
        """Show the first *count* points; growing by a few repaints only the new segment."""
        n = min(max(int(count), 0), self._x.size)
        if n == self._n:
            return
        self._n = n
        if self._open:
            self._settled = min(self._settled, n)
        cache = self._cache
        if cache is not None and n >= cache.drawn:
            self._update_data_rect(self._rect_of(max(cache.drawn - 1, 0), n))
        else:                                 # shorter: the drawn pixels are wrong now
            self._cache = None
            self.update()

    def count(self) -> int:
        return self._n

    def getData(self) -> tuple[np.ndarray, ...]:
        return (self._x[: self._n],) + tuple(a[: self._n] for a in self._ys)

    def follow(self, x, y, count: int) -> None:
        """Show the first *count* points of (*x*, *y*): :meth:`set_count` when that is the
        series already followed (the same arrays, or equal ones), else :meth:`set_series`."""
        same = (x is self._src[0] and y is self._src[1]) or (
            np.shape(x) == self._x.shape and np.shape(y) == self._y.shape
            and np.array_equal(x, self._x, equal_nan=True)
            and np.array_equal(y, self._y, equal_nan=True))
        if same and not self._open:
            self._src = (x, y)
            self.set_count(count)
        else:
            self.set_series(x, y, count=count)
            self._src = (x, y)

    def extend(self, x, *ys, settled: int | None = None) -> None:
        """Show the whole series (*x*, *y*) — one that grows as it goes.  Its first *settled*
        points (default: all) are final: when the series so far starts with the points that
        were final before, only what is new is drawn; else the trail starts again.  The points
        after *settled* are drawn afresh on every paint (the view repaints only their
        rectangle)."""
        if len(ys) != self._ARRAYS:
            raise TypeError(f"{type(self).__name__}.extend takes x and {self._ARRAYS} more "
                            f"arrays (got {len(ys)})")
        x, *ys = _as_series(x, *ys)
        size = x.size
        settled = size if settled is None else min(max(int(settled), 0), size)
        k = self._settled
        grows = (self._open and k <= settled and np.array_equal(x[:k], self._x[:k])
                 and all(np.array_equal(a[:k], b[:k], equal_nan=True)
                         for a, b in zip(ys, self._ys)))
        if not grows:
            self.prepareGeometryChange()
            self._open = True
            self._x, self._ys = x, ys
            self._src = (None, None)
            self._n, self._settled = size, settled
            self._settled_bounds = self._rect_of(0, settled)
            self._live_rect = self._rect_of(max(settled - 1, 0), size)
            self._bounds = _union(self._settled_bounds, self._live_rect)
            self._cache = None
            self.update()
            self._bounds_changed()
            return
        old_live = self._live_rect
        drawn = self._cache.drawn if self._cache is not None else None
        self._x, self._ys = x, ys
        self._settled_bounds = _union(self._settled_bounds, self._rect_of(max(k - 1, 0), settled))
        self._n, self._settled = size, settled
        self._live_rect = self._rect_of(max(settled - 1, 0), size)
        bounds = _union(self._settled_bounds, self._live_rect)
        moved = bounds != self._bounds
        self._bounds = bounds
        if drawn is None:
            self.update()
        else:
            self._update_data_rect(old_live)
            self._update_data_rect(self._rect_of(max(drawn - 1, 0), size))
        if moved:
            self._bounds_changed()

    def _bounds_changed(self) -> None:
        # an auto-ranging view learns of the trail's new extent (a fixed range is left alone:
        # telling its view box would repaint the whole plot)
        vb = self.getViewBox()
        if vb is not None and any(vb.autoRangeEnabled()):
            self.informViewBoundsChanged()

    def _update_data_rect(self, rect: QRectF) -> None:
        if rect.isNull():                     # no point, or one: nothing to draw
            return
        if self._pad == (0.0, 0.0):
            self._pad = self._padding()
        px, py = self._pad
        self.update(rect.adjusted(-px, -py, px, py))

    def setPen(self, *args, **kwargs) -> None:
        """The pen at 100 % zoom (a presentation zoom widens it: :meth:`zoom_to`)."""
        self._base_pen = pg.mkPen(*args, **kwargs)
        self._make_pens()

    def pen(self):
        return self._pen

    def zoom_to(self, factor: float) -> None:
        """Draw the pen *factor* × as wide as set (the presentation zoom calls this)."""
        if factor != self._zoom:
            self._zoom = float(factor)
            self._make_pens()

    def _make_pens(self) -> None:
        pen = QPen(self._base_pen)
        if self._zoom != 1.0:
            pen.setWidthF((pen.widthF() or 1.0) * self._zoom)
        self._pen = pen
        # the pen of the strokes that extend the trail: round caps for a solid line (see paint);
        # a dashed one keeps its caps, which every dash has
        self._chunk_pen = QPen(pen)
        if pen.style() == Qt.SolidLine:
            self._chunk_pen.setCapStyle(Qt.RoundCap)
        self._pad = self._padding()
        self.prepareGeometryChange()
        self._cache = None
        self.update()

    def _rect_of(self, a: int, b: int) -> QRectF:
        """Data rectangle of the finite points a … b − 1 (an empty QRectF() if there are
        none)."""
        xs = self._x[a:b]
        ok = np.isfinite(xs)
        for arr in self._ys:
            ok &= np.isfinite(arr[a:b])
        if not ok.any():
            return QRectF()
        xs = xs[ok]
        ys = np.concatenate([arr[a:b][ok] for arr in self._ys])
        x0, x1, y0, y1 = float(xs.min()), float(xs.max()), float(ys.min()), float(ys.max())
        # (a zero width or height is fine, the padding gives it a size; one point is nothing)
        return QRectF(x0, y0, x1 - x0, y1 - y0)

    # ------------------------------------------------------------------ the view
    def _padding(self) -> tuple[float, float]:
        px, py = self.pixelVectors()
        if px is None or py is None:
            return 0.0, 0.0
        width = self._pen.widthF() if not self._pen.isCosmetic() or self._pen.widthF() > 0 else 1.0
        margin = _MARGIN_PX + width / 2.0
        return (margin * math.hypot(px.x(), px.y()), margin * math.hypot(py.x(), py.y()))

    def viewTransformChanged(self) -> None:
        # a new range or size: the pixmap is drawn again at the next paint (its key changes),
        # and the margin in data units changes
        self.prepareGeometryChange()
        self._pad = self._padding()
        self._cache = None

    def boundingRect(self) -> QRectF:
        if self._bounds.isNull():
            return QRectF()
        if self._pad == (0.0, 0.0):
            self._pad = self._padding()
        px, py = self._pad
        bounds = QRectF(self._bounds).adjusted(-px, -py, px, py)
        if self._open:
            # a growing trail claims the whole view (its view box clips it there), so that a
            # new point never changes its geometry — which would repaint all of it
            # (the view box's range as it is now: pyqtgraph's cached viewRect() can be the one
            # before a range step; with the margin, as its clip reaches half a pixel further)
            vb = self.getViewBox()
            if vb is not None:
                view = vb.viewRect()
                return bounds.united(view.adjusted(-px, -py, px, py))
        return bounds

    def dataBounds(self, ax: int, frac: float = 1.0, orthoRange=None):
        """The range of the whole series (what the trail will cover), for auto range."""
        b = self._bounds
        if b.isNull():
            return None, None
        return (b.left(), b.right()) if ax == 0 else (b.top(), b.bottom())

    # ------------------------------------------------------------------ drawing
    def _draw(self, painter: QPainter, a: int, b: int, lengths) -> None:
        """Stroke points a … b − 1 with the painter's transform (data → pixels)."""
        if lengths is None:
            painter.setPen(self._chunk_pen)
        else:                                 # dashes go on where the last stroke left off
            pen = QPen(self._chunk_pen)
            pen.setDashOffset(pen.dashOffset() + lengths[a] / max(pen.widthF(), 1.0))
            painter.setPen(pen)
        painter.drawPath(pg.arrayToQPath(self._x[a:b], self._y[a:b], connect="finite"))

    def _draw_export(self, p: QPainter, n: int) -> None:
        p.setPen(self._pen)
        p.drawPath(pg.arrayToQPath(self._x[:n], self._y[:n], connect="finite"))

    #: a new piece starts this many points before the last one drawn
    _OVERLAP = 1

    def paint(self, p: QPainter, opt, widget) -> None:
        n = self._n
        if n < 2:
            return
        tr = p.transform()
        aa = self._antialias
        if widget is None:                    # an export: draw it as it is, once
            p.setRenderHint(QPainter.Antialiasing, aa)
            self._draw_export(p, n)
            return
        settled = self._settled if self._open else n
        dpr = widget.devicePixelRatioF()
        key = (tr.m11(), tr.m12(), tr.m21(), tr.m22(), tr.dx(), tr.dy(), dpr, aa,
               widget.width(), widget.height())
        cache = self._cache
        if cache is None or cache.key != key or settled < cache.drawn:
            cache = self._new_cache(key, tr, dpr, widget)
            if cache is None:
                return
        lengths = self._lengths(cache, tr, dpr)
        if cache.drawn < settled and settled >= 2:
            painter = QPainter(cache.pixmap)
            painter.setRenderHint(QPainter.Antialiasing, aa)
            painter.setTransform(cache.transform)
            # from the last point drawn, with round caps: a square cap would stick out past
            # every join, a flat one leave a wedge open on its outer side (where one stroke of
            # the whole polyline has a bevel)
            self._draw(painter, max(cache.drawn - self._OVERLAP, 0), settled, lengths)
            painter.end()
            cache.drawn = settled
        p.save()
        p.resetTransform()
        p.drawPixmap(cache.origin, cache.pixmap)
        p.restore()
        if n > settled:                       # the live points, drawn afresh
            p.save()
            p.setRenderHint(QPainter.Antialiasing, aa)
            self._draw(p, max(settled - self._OVERLAP, 0), n, lengths)
            p.restore()

    def _lengths(self, cache: _Cache, tr: QTransform, dpr: float):
        """A dashed pen's path length to each point (device pixels), else None."""
        if self._pen.style() == Qt.SolidLine:
            return None
        if cache.lengths is None or cache.lengths.size < self._x.size:
            # each stroke would start its dash pattern afresh (a dashed trail drawn a segment
            # at a time would look solid): the pattern's offset is the length drawn before it,
            # in device pixels (a cosmetic pen's dashes are measured there)
            px = (tr.m11() * self._x + tr.m21() * self._y) * dpr
            py = (tr.m12() * self._x + tr.m22() * self._y) * dpr
            step = np.hypot(np.diff(px), np.diff(py))
            cache.lengths = np.concatenate(
                [[0.0], np.cumsum(np.where(np.isfinite(step), step, 0.0))])
        return cache.lengths

    def _new_cache(self, key, tr: QTransform, dpr: float, widget) -> _Cache | None:
        self._cache = None
        box = tr.mapRect(self.boundingRect()).intersected(QRectF(widget.rect()))
        rect = box.toAlignedRect()
        if rect.isEmpty():
            return None
        pixmap = QPixmap(math.ceil(rect.width() * dpr), math.ceil(rect.height() * dpr))
        pixmap.setDevicePixelRatio(dpr)
        pixmap.fill(Qt.transparent)
        shift = QTransform.fromTranslate(-rect.x(), -rect.y())
        self._cache = _Cache(key, pixmap, QPointF(rect.topLeft()), tr * shift, 0)
        return self._cache


class TrailBand(TrailCurve):
    """The region between a lower and an upper line over the same x, filled with one brush and
    no outline — a growing confidence band.  Fed as a :class:`TrailCurve` is, with two arrays
    after x (``set_series(x, lower, upper)``, ``extend(x, lower, upper, settled=…)``);
    ``getData`` returns ``(x, lower, upper)``.  Points where either line is not finite are left
    out of the fill."""

    _ARRAYS = 2
    #: a new piece also covers the last segment filled: its left edge then falls inside what is
    #: already opaque, where two antialiased pieces meeting edge to edge would leave a seam
    _OVERLAP = 2

    def __init__(self, brush=None):
        self._brush = QBrush(pg.mkBrush(brush if brush is not None else "w"))
        super().__init__(pen=pg.mkPen(None))

    def setBrush(self, *args, **kwargs) -> None:
        self._brush = QBrush(pg.mkBrush(*args, **kwargs))
        self._cache = None
        self.update()

    def brush(self) -> QBrush:
        return self._brush

    def follow(self, x, y, count):            # a band has two lines: set_series / extend
        raise TypeError("TrailBand: use set_series(x, lower, upper) or extend()")

    def _padding(self) -> tuple[float, float]:
        px, py = self.pixelVectors()
        if px is None or py is None:
            return 0.0, 0.0
        return (_MARGIN_PX * math.hypot(px.x(), px.y()), _MARGIN_PX * math.hypot(py.x(), py.y()))

    def _polygon(self, a: int, b: int) -> QPainterPath:
        x, lo, hi = self._x[a:b], self._ys[0][a:b], self._ys[1][a:b]
        ok = np.isfinite(x) & np.isfinite(lo) & np.isfinite(hi)
        if ok.sum() < 2:
            return QPainterPath()
        x, lo, hi = x[ok], lo[ok], hi[ok]
        path = pg.arrayToQPath(np.concatenate([x, x[::-1]]), np.concatenate([lo, hi[::-1]]),
                               connect="all")
        path.closeSubpath()
        return path

    def _draw(self, painter: QPainter, a: int, b: int, lengths) -> None:
        painter.setPen(Qt.NoPen)
        painter.setBrush(self._brush)
        painter.drawPath(self._polygon(a, b))

    def _draw_export(self, p: QPainter, n: int) -> None:
        self._draw(p, 0, n, None)

    def _lengths(self, cache, tr, dpr):        # a fill has no dashes to carry on
        return None
