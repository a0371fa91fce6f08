"""``TrailCurve``: a curve that grows point by point along a series known in advance (a
training race's loss, output or weight path), drawn incrementally.

A ``PlotCurveItem`` fed ``x[:k + 1]`` every frame strokes the whole curve again and repaints
its whole bounding rectangle (with every item under it) on every frame.  A trail keeps what it
has drawn in a pixmap at device resolution, strokes only the new segment into it, and asks the
view to repaint only the segment's rectangle; a change of the view (range, size, zoom), the
pen, the series, or a count that goes back (a loop restarting) draws it afresh.

The pixels match a ``PlotCurveItem`` of the same points and pen to within antialiasing
(``tests/ui/test_trail.py``): each new stroke starts at the last point drawn, with flat caps,
so strokes meet edge to edge; only the pixels at a join differ by a shade.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPen, QPixmap, QTransform

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


class TrailCurve(pg.GraphicsObject):
    """The first :meth:`count` points of a series set by :meth:`set_series`, as a polyline.

    ``setPen`` takes what ``pg.mkPen`` takes; ``getData`` returns the points shown.  Non-finite
    points break the line (``connect="finite"``), as pyqtgraph's curves do."""

    def __init__(self, pen=None):
        super().__init__()
        self._x = np.empty(0)
        self._y = np.empty(0)
        self._src = (None, None)             # the arrays :meth:`follow` was given last
        self._n = 0
        self._bounds = QRectF()              # the finite points of the whole series
        self._pad = (0.0, 0.0)               # _MARGIN_PX + half the pen, in data units
        self._cache: _Cache | None = None
        self._base_pen = pg.mkPen(pen if pen is not None else "w")
        self._zoom = 1.0
        self._pen = self._chunk_pen = None
        self._make_pens()
        # as pyqtgraph's curves: antialiased unless the app's configuration says otherwise
        self._antialias = bool(pg.getConfigOption("antialias"))

    # ------------------------------------------------------------------ data
    def set_series(self, x, y, count: int | None = None) -> None:
        """Follow the series (*x*, *y*) (equal-length 1-D arrays), showing its first *count*
        points (default: as many as before, at most all)."""
        x = np.array(x, dtype=np.float64, copy=True).ravel()
        y = np.array(y, dtype=np.float64, copy=True).ravel()
        if x.shape != y.shape:
            raise ValueError(f"TrailCurve: x and y differ in length ({x.size} and {y.size})")
        self.prepareGeometryChange()
        self._x, self._y = x, y
        self._src = (None, None)
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
        cache = self._cache
        if cache is not None and n >= cache.drawn:
            rect = self._rect_of(max(cache.drawn - 1, 0), n)
            if not rect.isNull():
                if self._pad == (0.0, 0.0):
                    self._pad = self._padding()
                px, py = self._pad
                self.update(rect.adjusted(-px, -py, px, py))
        else:                                 # shorter: the drawn pixels are wrong now
            self._cache = None
            self.update()

    def count(self) -> int:
        return self._n

    def getData(self) -> tuple[np.ndarray, np.ndarray]:
        return self._x[: self._n], self._y[: self._n]

    def follow(self, x, y, count: int) -> None:
        """Show the first *count* points of (*x*, *y*): :meth:`set_count` when that is the
        series already followed (the same arrays, or equal ones), else :meth:`set_series`."""
        same = (x is self._src[0] and y is self._src[1]) or (
            np.shape(x) == self._x.shape and np.shape(y) == self._y.shape
            and np.array_equal(x, self._x, equal_nan=True)
            and np.array_equal(y, self._y, equal_nan=True))
        if same:
            self._src = (x, y)
            self.set_count(count)
        else:
            self.set_series(x, y, count)
            self._src = (x, y)

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
        # the pen of the strokes that extend the trail: flat caps for a solid line (see paint);
        # a dashed one keeps its caps, which every dash has
        self._chunk_pen = QPen(pen)
        if pen.style() == Qt.SolidLine:
            self._chunk_pen.setCapStyle(Qt.FlatCap)
        self._pad = self._padding()
        self.prepareGeometryChange()
        self._cache = None
        self.update()

    def _rect_of(self, a: int, b: int) -> QRectF:
        """Data rectangle of the finite points a … b − 1 (a null rectangle if there are none)."""
        xs, ys = self._x[a:b], self._y[a:b]
        ok = np.isfinite(xs) & np.isfinite(ys)
        if not ok.any():
            return QRectF()
        xs, ys = xs[ok], ys[ok]
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
        return QRectF(self._bounds).adjusted(-px, -py, px, py)

    def dataBounds(self, ax: int, frac: float = 1.0, orthoRange=None):
        """The range of the whole series (what the trail will cover), for auto range."""
        b = self._bounds
        if b.isNull():
            return None, None
        return (b.left(), b.right()) if ax == 0 else (b.top(), b.bottom())

    def paint(self, p: QPainter, opt, widget) -> None:
        n = self._n
        if n < 2:
            return
        tr = p.transform()
        aa = self._antialias
        if widget is None:                    # an export: draw it as it is, once
            p.setRenderHint(QPainter.Antialiasing, aa)
            p.setPen(self._pen)
            p.drawPath(pg.arrayToQPath(self._x[:n], self._y[:n], connect="finite"))
            return
        dpr = widget.devicePixelRatioF()
        key = (tr.m11(), tr.m12(), tr.m21(), tr.m22(), tr.dx(), tr.dy(), dpr, aa,
               widget.width(), widget.height())
        cache = self._cache
        if cache is None or cache.key != key or n < cache.drawn:
            cache = self._new_cache(key, tr, dpr, widget)
            if cache is None:
                return
        if cache.drawn < n:
            painter = QPainter(cache.pixmap)
            painter.setRenderHint(QPainter.Antialiasing, aa)
            painter.setTransform(cache.transform)
            # from the last point drawn, with flat caps: a square cap would stick out past
            # every join (where one stroke of the whole polyline has none)
            a = max(cache.drawn - 1, 0)
            if cache.lengths is None:
                painter.setPen(self._chunk_pen)
            else:                             # dashes go on where the last stroke left off
                pen = QPen(self._chunk_pen)
                pen.setDashOffset(pen.dashOffset() + cache.lengths[a] / max(pen.widthF(), 1.0))
                painter.setPen(pen)
            painter.drawPath(pg.arrayToQPath(self._x[a:n], self._y[a:n], connect="finite"))
            painter.end()
            cache.drawn = n
        p.save()
        p.resetTransform()
        p.drawPixmap(cache.origin, cache.pixmap)
        p.restore()

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
        lengths = None
        if self._pen.style() != Qt.SolidLine:
            # each stroke would start its dash pattern afresh (a dashed trail drawn a segment at
            # a time would look solid): the pattern's offset is the length drawn before it, in
            # device pixels (a cosmetic pen's dashes are measured there)
            px = (tr.m11() * self._x + tr.m21() * self._y) * dpr
            py = (tr.m12() * self._x + tr.m22() * self._y) * dpr
            step = np.hypot(np.diff(px), np.diff(py))
            lengths = np.concatenate([[0.0], np.cumsum(np.where(np.isfinite(step), step, 0.0))])
        self._cache = _Cache(key, pixmap, QPointF(rect.topLeft()), tr * shift, 0, lengths)
        return self._cache
