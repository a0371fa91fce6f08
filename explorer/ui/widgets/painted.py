"""Small charts that paint themselves with ``QPainter``, for views redrawn on every drag move.

A pyqtgraph ``PlotWidget`` repaints through a ``QGraphicsScene`` with Python calls for the view
box, the axes and every item: about a millisecond per repaint here, whatever it shows.  The
charts on a drag's hot path (the p/q editors, the identity bars) are :class:`PaintedPlot`
subclasses instead: what changes only with the size, range, names or colours is drawn once into
a cached pixmap (:meth:`PaintedPlot._paint_static`), and a repaint is that pixmap plus the data
(:meth:`PaintedPlot._paint_dynamic`).  Export (PNG at any scale, SVG) calls both again on the
target, so the exported picture is drawn, not scaled.

Helpers shared by those charts: round tick values, colour mixing, outlines as filled strips.
"""
from __future__ import annotations

import math

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget


def nice_ticks(lo: float, hi: float, max_count: int) -> list[float]:
    """Round tick values (1, 2, 2.5 or 5 × 10^k apart) covering [lo, hi], at most about
    *max_count* of them."""
    span = hi - lo
    if not (math.isfinite(span) and span > 0) or max_count < 1:
        return []
    raw = span / max(1, max_count)
    mag = 10.0 ** math.floor(math.log10(raw))
    for m in (1.0, 2.0, 2.5, 5.0, 10.0):
        step = m * mag
        if step >= raw * (1 - 1e-9):
            break
    first = math.ceil(lo / step - 1e-9)
    last = math.floor(hi / step + 1e-9)
    return [round(k * step, 12) + 0.0 for k in range(first, last + 1)]


def tick_text(v: float, step: float) -> str:
    """*v* with as many decimals as the tick *step* needs (0.25 steps get two), minus as −."""
    decimals = max(0, -int(math.floor(math.log10(step) + 1e-9))) if step > 0 else 0
    if abs(step * 10 ** decimals - round(step * 10 ** decimals)) > 1e-6:
        decimals += 1
    return f"{v:.{decimals}f}".replace("-", "−")


def mix(color: QColor, background: QColor, alpha: float) -> QColor:
    """*color* drawn at opacity *alpha* over *background*, as one opaque colour (filling with an
    opaque colour is several times faster than blending every pixel on each paint)."""
    return QColor.fromRgbF(*(alpha * c + (1 - alpha) * b for c, b in zip(
        color.getRgbF()[:3], background.getRgbF()[:3])))


def outline(p: QPainter, r: QRectF, width: float, color: QColor) -> None:
    """A solid outline *width* px thick centred on *r*'s edges, drawn as four filled strips
    (stroking a wide pen costs tens of microseconds per rectangle; filling is nearly free)."""
    h = width / 2
    left, top, right, bottom = r.left() - h, r.top() - h, r.right() + h, r.bottom() + h
    p.fillRect(QRectF(left, top, right - left, width), color)
    p.fillRect(QRectF(left, bottom - width, right - left, width), color)
    p.fillRect(QRectF(left, top, width, bottom - top), color)
    p.fillRect(QRectF(right - width, top, width, bottom - top), color)


class FocusFrameMixin:
    """Repaint on focus changes: a painted widget draws its own focus frame."""

    def focusInEvent(self, ev):
        self.update()
        super().focusInEvent(ev)

    def focusOutEvent(self, ev):
        self.update()
        super().focusOutEvent(ev)


class PaintedPlot(FocusFrameMixin, QWidget):
    """Base of the self-painted charts: cached static layer, export, opaque painting.

    Subclasses implement :meth:`_paint_static` (everything that does not change with the data)
    and :meth:`_paint_dynamic` (the data), and call :meth:`_invalidate_static` when something
    drawn by the former changes.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAttribute(Qt.WA_OpaquePaintEvent)       # paints every pixel: parents need not
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self._static: QPixmap | None = None
        self._background = QColor("#FFFFFF")

    # -- subclass API ---------------------------------------------------------------------
    def _paint_static(self, p: QPainter) -> None:
        p.fillRect(QRectF(0, 0, self.width(), self.height()), self._background)

    def _paint_dynamic(self, p: QPainter) -> None:
        pass

    def _paint_overlay(self, p: QPainter) -> None:
        """Drawn on screen only, never exported (e.g. the keyboard-focus frame)."""

    def _invalidate_static(self) -> None:
        self._static = None
        self.update()

    # -- painting ---------------------------------------------------------------------------
    def paintEvent(self, ev):
        p = QPainter(self)
        dpr = self.devicePixelRatioF()
        static = self._static
        if static is None or static.devicePixelRatioF() != dpr:
            static = QPixmap(QSize(max(1, round(self.width() * dpr)),
                                   max(1, round(self.height() * dpr))))
            static.setDevicePixelRatio(dpr)
            sp = QPainter(static)
            self._paint_static(sp)
            sp.end()
            self._static = static
        p.drawPixmap(0, 0, static)
        self._paint_dynamic(p)
        self._paint_overlay(p)
        p.end()

    def paint_to(self, p: QPainter) -> None:
        """Paint the whole chart (no cached pixmap) with *p*, e.g. into an SVG or a 2× image."""
        self._paint_static(p)
        self._paint_dynamic(p)

    def render_image(self, scale: float = 2.0) -> QImage:
        """The chart drawn at *scale* times its on-screen size (crisp text and lines)."""
        img = QImage(max(1, round(self.width() * scale)), max(1, round(self.height() * scale)),
                     QImage.Format_ARGB32_Premultiplied)
        img.fill(self._background)
        p = QPainter(img)
        p.setRenderHint(QPainter.TextAntialiasing, True)
        p.scale(img.width() / max(1, self.width()), img.height() / max(1, self.height()))
        self.paint_to(p)
        p.end()
        return img

    def viewport(self) -> QWidget:
        """The widget that receives mouse events: the chart itself (pyqtgraph plots have a
        separate viewport; code that works with both calls this)."""
        return self

    def owns_context_menu(self, pos) -> bool:
        """True when a context-menu request at *pos* is the chart's own, so a generic plot
        menu (export) should stay away."""
        return False

    #: the generic plot menu (export), set by :func:`explorer.ui.export.install_plot_exports`;
    #: shown here rather than from an event filter, which would run Python for every event
    plot_menu = None

    def contextMenuEvent(self, ev):
        from PySide6.QtWidgets import QApplication

        busy = QApplication.mouseButtons() & ~Qt.RightButton      # a right-click in a drag
        if self.plot_menu is None or busy or self.owns_context_menu(ev.pos()):
            ev.ignore()
            return
        self.plot_menu.popup(ev.globalPos())
        ev.accept()

    def resizeEvent(self, ev):
        self._invalidate_static()
        super().resizeEvent(ev)

    def changeEvent(self, ev):
        if ev.type() in (ev.Type.FontChange, ev.Type.PaletteChange, ev.Type.StyleChange):
            self._font_changed()
            self._invalidate_static()
        super().changeEvent(ev)

    def _font_changed(self) -> None:
        """Forget anything laid out with the old font."""

    def _zoom_changed(self) -> None:
        """The zoom factor changed (:mod:`explorer.ui.zoom`): every pen this chart keeps as an
        attribute gets its built width × the factor (texts follow the widget font already).
        A pen the chart replaced since (a theme switch) is taken as the new built width."""
        from PySide6.QtGui import QPen

        from explorer.ui import zoom

        f = zoom.factor()
        bases = self.__dict__.setdefault("_pen_bases", {})
        for name, value in list(vars(self).items()):
            if not isinstance(value, QPen):
                continue
            base, zoomed = bases.get(name, (None, None))
            if zoomed is None or value is not zoomed:
                base = value.widthF()
            pen = QPen(value)
            pen.setWidthF(base * f if base > 0 else f)
            setattr(self, name, pen)
            bases[name] = (base, pen)
        self._invalidate_static()
