"""The identity picture of the readouts dock: H(p, q) over H(p) + D_KL(p ‖ q), painted.

Two horizontal bars on a shared x axis: the top one is H(p, q); the bottom one is H(p) followed
by D_KL(p ‖ q), so both always end at the same place.  A dashed line marks H(p), the least
H(p, q) can be.  An infinite value is drawn to the right edge and marked "∞".

It repaints on every move of a drag, so it is a :class:`~explorer.ui.widgets.painted.PaintedPlot`:
the axes and names are a cached pixmap, and a repaint fills four rectangles.
"""
from __future__ import annotations

import math

from PySide6.QtCore import QLineF, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPen

from explorer.ui.widgets.painted import PaintedPlot, mix, nice_ticks, tick_text

#: data y of the two bars' centres, their height, and the y range shown
TOP_Y, BOTTOM_Y, BAR_HEIGHT = 1.0, 0.0, 0.62
Y_RANGE = (-0.55, 1.55)
#: fewest pixels between two x ticks
MIN_X_TICK_PX = 56


class IdentityBars(PaintedPlot):
    """Draws H(p, q) = H(p) + D_KL(p ‖ q) as two bars (values in the current unit)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSizePolicy(self.sizePolicy().horizontalPolicy(),
                           self.sizePolicy().Policy.Preferred)
        self._h = 0.0
        self._kl = 0.0
        self._ce = 0.0
        self._x_max = 1.0
        self._names = ("H(p, q)", "H(p) + D_KL")
        self._layout_cache = None
        self.set_colors("#202020", "#0072B2", "#009E73", "#CC79A7", "#C0392B")

    # ------------------------------------------------------------------ appearance
    def set_colors(self, foreground: str, p: str, ce: str, kl: str, warning: str,
                   background: str | None = None) -> None:
        if background is not None:
            self._background = QColor(background)
        bg = self._background
        self._fg = QColor(foreground)
        self._fills = {}
        for key, colour in (("ce", ce), ("h", p), ("kl", kl)):
            c = QColor(colour)
            self._fills[key] = (QBrush(mix(c, bg, 210 / 255)), QPen(c, 1))
        self._floor_pen = QPen(self._fg, 1, Qt.DashLine)
        self._warning = QColor(warning)
        self._invalidate_static()

    def set_names(self, top: str, bottom: str) -> None:
        """The names of the two bars on the left axis."""
        if (top, bottom) != self._names:
            self._names = (top, bottom)
            self._invalidate_static()

    # ------------------------------------------------------------------ data
    def set_values(self, h: float, kl: float, ce: float, x_max: float) -> None:
        """H(p), D_KL(p ‖ q), H(p, q) (any may be inf except H(p)) on an axis from 0 to x_max."""
        if not (math.isfinite(x_max) and x_max > 0):
            raise ValueError(f"x_max must be finite and positive, got {x_max}")
        if x_max != self._x_max:
            self._x_max = float(x_max)
            self._invalidate_static()
        if (h, kl, ce) != (self._h, self._kl, self._ce):
            self._h, self._kl, self._ce = float(h), float(kl), float(ce)
            self.update()

    @property
    def x_range(self) -> tuple[float, float]:
        return (0.0, self._x_max)

    @property
    def infinite(self) -> bool:
        """True when H(p, q) or D_KL(p ‖ q) is infinite (the bars run to the edge, marked ∞)."""
        return math.isinf(self._ce) or math.isinf(self._kl)

    def spans(self) -> dict[str, tuple[float, float]]:
        """What is drawn, in data units: ``{"cross": (x0, width), "h": …, "kl": …}`` (an infinite
        bar runs to the right edge), and ``"floor": (x, 0)``, the dashed line at H(p)."""
        x_max = self._x_max
        ce = x_max if math.isinf(self._ce) else self._ce
        kl = x_max - self._h if math.isinf(self._kl) else self._kl
        return {"cross": (0.0, ce), "h": (0.0, self._h), "kl": (self._h, kl),
                "floor": (self._h, 0.0)}

    def sizeHint(self) -> QSize:
        return QSize(300, 115)

    def minimumSizeHint(self) -> QSize:
        return QSize(160, 95)

    # ------------------------------------------------------------------ geometry
    def _invalidate_static(self) -> None:
        self._layout_cache = None
        super()._invalidate_static()

    def _layout(self):
        key = (self.width(), self.height(), self._x_max, self._names)
        if self._layout_cache is not None and self._layout_cache[0] == key:
            return self._layout_cache[1]
        fm = QFontMetricsF(self.font())
        text_h = fm.height()
        left = max(fm.horizontalAdvance(n) for n in self._names) + 12
        rect = QRectF(left, 4, max(1.0, self.width() - left - 10),
                      max(1.0, self.height() - 4 - text_h - 8))
        sx = rect.width() / self._x_max
        dx = rect.left()
        lo, hi = Y_RANGE
        sy = -rect.height() / (hi - lo)
        dy = rect.bottom() - lo * sy
        values = nice_ticks(0.0, self._x_max, max(2, int(rect.width() // MIN_X_TICK_PX)))
        step = values[1] - values[0] if len(values) > 1 else 1.0
        ticks = [(v, tick_text(v, step)) for v in values]
        geo = (rect, (sx, dx, sy, dy), ticks, fm)
        self._layout_cache = (key, geo)
        return geo

    def map_to_widget(self, x: float, y: float) -> QPointF:
        _rect, (sx, dx, sy, dy), _t, _fm = self._layout()
        return QPointF(sx * x + dx, sy * y + dy)

    # ------------------------------------------------------------------ painting
    def _paint_static(self, p: QPainter) -> None:
        rect, (sx, dx, sy, dy), ticks, fm = self._layout()
        p.fillRect(QRectF(0, 0, self.width(), self.height()), self._background)
        p.setFont(self.font())
        p.setPen(QPen(self._fg, 1))
        left = round(rect.left()) + 0.5
        bottom = round(rect.bottom()) + 0.5
        p.drawLine(QLineF(left, rect.top(), left, rect.bottom()))
        p.drawLine(QLineF(rect.left(), bottom, rect.right(), bottom))
        for v, text in ticks:
            x = round(sx * v + dx) + 0.5
            p.drawLine(QLineF(x, bottom, x, bottom + 4))
            w = fm.horizontalAdvance(text)
            p.drawText(QPointF(min(x - w / 2, self.width() - w - 1), bottom + 4 + fm.ascent()), text)
        for y, name in ((TOP_Y, self._names[0]), (BOTTOM_Y, self._names[1])):
            yy = sy * y + dy
            p.drawLine(QLineF(left - 4, round(yy) + 0.5, left, round(yy) + 0.5))
            w = fm.horizontalAdvance(name)
            p.drawText(QPointF(rect.left() - 6 - w, yy + fm.ascent() - fm.height() / 2), name)

    def _paint_dynamic(self, p: QPainter) -> None:
        rect, (sx, dx, sy, dy), _ticks, fm = self._layout()
        p.save()
        p.setClipRect(rect.adjusted(1, 0, 0, 0))
        half = BAR_HEIGHT / 2
        spans = self.spans()
        for key, y in (("cross", TOP_Y), ("h", BOTTOM_Y), ("kl", BOTTOM_Y)):
            x0, w = spans[key]
            if w <= 0:
                continue
            brush, pen = self._fills["ce" if key == "cross" else key]
            r = QRectF(sx * x0 + dx, sy * (y + half) + dy, sx * w, sy * -BAR_HEIGHT)
            p.fillRect(r, brush)
            p.setPen(pen)
            p.setBrush(Qt.NoBrush)
            p.drawRect(r.adjusted(0, 0, -1, -1))
        x = round(sx * self._h + dx) + 0.5
        p.setPen(self._floor_pen)
        p.drawLine(QLineF(x, rect.top(), x, rect.bottom()))
        if self.infinite:
            p.setPen(self._warning)
            font = self.font()
            font.setBold(True)
            p.setFont(font)
            w = QFontMetricsF(font).horizontalAdvance("∞")
            yy = sy * 0.5 + dy
            p.drawText(QPointF(rect.right() - w - 3, yy + fm.ascent() - fm.height() / 2), "∞")
        p.restore()
