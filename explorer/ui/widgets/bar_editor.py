"""A bar chart whose bars can be dragged, clicked, hovered and driven from the keyboard.

:class:`BarEditorItem` draws the bars (one ``drawRects`` call, like pyqtgraph's BarGraphItem) and
the overlays (locks, ghost outline, hover/selection, impossible categories, value texts), and
turns mouse input into *intents*; :class:`BarEditorPlot` adds keyboard handling.  Neither ever
changes the bars itself: the owner connects the signals to model commands, and the redraw
arrives through :meth:`BarEditorItem.set_data` (see ``../shared/STYLE.md``: the drag handler
follows pyqtgraph's ``InfiniteLine.mouseDragEvent``).
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from pyqtgraph.Qt import internals
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPen, QStaticText

BAR_WIDTH = 0.7


class BarEditorItem(pg.GraphicsObject):
    """Bars at x = 0..n-1 with heights from the model.

    Signals (intents; nothing is changed here):

    * ``sigDragged(index, value, finished)`` — on every move of a drag and once at release;
      *value* is computed from the button-down position (start value + vertical distance), then
      clamped to :attr:`value_range` and, when :attr:`snap` is on, snapped to its ends within
      :attr:`SNAP_PX` pixels;
    * ``sigDragCancelled(index)`` — right-click or :meth:`cancel_drag` (Esc) during a drag;
    * ``sigHovered(index | None)``, ``sigClicked(index)``, ``sigDoubleClicked(index)``,
      ``sigContextMenu(index, QPoint screen_pos)``.
    """

    sigDragged = Signal(int, float, bool)
    sigDragCancelled = Signal(int)
    sigHovered = Signal(object)
    sigClicked = Signal(int)
    sigDoubleClicked = Signal(int)
    sigContextMenu = Signal(int, object)

    GRAB_MARGIN_PX = 8      # a press this close above (or below) a bar's end still grabs it
    SNAP_PX = 6             # a dragged value this close to either end of the range snaps there
    TEXT_MIN_BAR_PX = 26    # value texts are drawn only when bars are at least this wide

    def __init__(self):
        super().__init__()
        self.setAcceptHoverEvents(True)
        self._x = np.zeros(0)
        self._h = np.zeros(0)
        self._rects = internals.PrimitiveArray(QRectF, 4)
        self._ghost = None
        self._ghost_rects = internals.PrimitiveArray(QRectF, 4)
        self._device_tmp = internals.PrimitiveArray(QRectF, 4)
        self._locked = np.zeros(0, dtype=bool)
        self._impossible: tuple = ()
        self._texts: list[str] = []
        self._highlight: int | None = None
        self._selected: int | None = None
        self._hover: int | None = None
        self._hover_text = ""
        self._drag: tuple[int, float] | None = None
        self._area = QRectF(-0.5, -0.05, 1.0, 1.15)
        self.value_range = (0.0, 1.0)
        self.snap = True
        self.editable = True
        self._font = QFont()
        self._metrics = QFontMetricsF(self._font)
        self._static: dict[str, QStaticText] = {}     # laid-out value texts, reused every paint
        self.set_colors("#0072B2", "#202020", "#CC79A7", "#C0392B", "#7F7F7F")

    # ------------------------------------------------------------------ appearance
    def set_colors(self, bar: str, foreground: str, accent: str, warning: str, ghost: str) -> None:
        c = pg.mkColor(bar)
        fill = QColor(c)
        fill.setAlpha(200)
        self._brush = QBrush(fill)
        self._pen = pg.mkPen(c, width=1)
        lock = QColor(foreground)
        lock.setAlpha(150)
        self._lock_brush = QBrush(lock, Qt.BDiagPattern)
        self._lock_pen = pg.mkPen(foreground, width=2)
        self._ghost_pen = pg.mkPen(ghost, width=1.5, style=Qt.DashLine)
        self._highlight_pen = pg.mkPen(accent, width=2.5)
        band = QColor(pg.mkColor(accent))
        band.setAlpha(45)
        self._band_brush = QBrush(band)
        self._warning_pen = pg.mkPen(warning, width=2.5)
        self._select_pen = pg.mkPen(foreground, width=1, style=Qt.DotLine)
        self._text_color = pg.mkColor(foreground)
        self._warning_color = pg.mkColor(warning)
        tip = QColor(pg.mkColor(foreground))
        self._tip_pen = QPen(tip)
        self.update()

    # ------------------------------------------------------------------ data from the owner
    @property
    def opts(self) -> dict:
        """BarGraphItem-compatible view of what is drawn: ``x`` and ``height``."""
        return {"x": self._x, "height": self._h, "width": BAR_WIDTH}

    @property
    def heights(self) -> np.ndarray:
        return self._h

    @property
    def n(self) -> int:
        return int(self._h.size)

    def set_data(self, heights, texts: list[str] | None = None) -> None:
        """Draw *heights* (one per category) with optional value *texts* above them."""
        h = np.array(heights, dtype=np.float64)
        texts = list(texts) if texts is not None else []
        if h.size == self._h.size and np.array_equal(h, self._h) and texts == self._texts:
            return                      # nothing to redraw: keep this view from repainting
        if h.size != self._h.size:
            self._x = np.arange(h.size, dtype=np.float64)
            self._rects.resize(h.size)
            m = self._rects.ndarray()
            m[:, 0] = self._x - BAR_WIDTH / 2
            m[:, 2] = BAR_WIDTH
            if self._locked.size != h.size:
                self._locked = np.zeros(h.size, dtype=bool)
            # fewer categories: a selected / hovered bar past the end moves to the last one
            if self._selected is not None and self._selected >= h.size:
                self._selected = h.size - 1 if h.size else None
            if self._hover is not None and self._hover >= h.size:
                self._hover = None
        self._h = h
        m = self._rects.ndarray()
        np.minimum(h, 0.0, out=m[:, 1])
        np.abs(h, out=m[:, 3])
        self._texts = texts
        self.update()

    def set_ghost(self, heights) -> None:
        """Dashed outline of another distribution (None hides it)."""
        if heights is None:
            if self._ghost is None:
                return
            self._ghost = None
        else:
            g = np.array(heights, dtype=np.float64)
            if self._ghost is not None and np.array_equal(g, self._ghost):
                return
            self._ghost = g
            self._ghost_rects.resize(g.size)
            m = self._ghost_rects.ndarray()
            m[:, 0] = np.arange(g.size) - BAR_WIDTH / 2
            m[:, 1] = np.minimum(g, 0.0)
            m[:, 2] = BAR_WIDTH
            m[:, 3] = np.abs(g)
        self.update()

    def set_locked(self, locked) -> None:
        lk = np.array(locked, dtype=bool)
        if not np.array_equal(lk, self._locked):
            self._locked = lk
            self.update()

    def set_impossible(self, indices) -> None:
        indices = tuple(int(i) for i in indices)
        if indices != self._impossible:
            self._impossible = indices
            self.update()

    def set_highlight(self, index: int | None) -> None:
        if index != self._highlight:
            self._highlight = index
            self.update()

    def set_selected(self, index: int | None) -> None:
        if index != self._selected:
            self._selected = index
            self.update()

    def set_hover_text(self, text: str) -> None:
        """Text shown beside the hovered bar (label and value), set by the owner."""
        if text != self._hover_text:
            self._hover_text = text
            self.update()

    def set_area(self, x0: float, y0: float, x1: float, y1: float) -> None:
        """The region (view coordinates) where the item takes mouse input and draws."""
        area = QRectF(x0, y0, x1 - x0, y1 - y0)
        if area != self._area:
            self.prepareGeometryChange()
            self._area = area

    @property
    def highlight(self):
        return self._highlight

    @property
    def selected(self):
        return self._selected

    @property
    def hovered(self):
        return self._hover

    @property
    def dragging(self) -> int | None:
        return None if self._drag is None else self._drag[0]

    @property
    def value_texts(self) -> list[str]:
        """The value texts drawn above the bars (empty when bars are too narrow for them)."""
        return list(self._texts) if self._texts_fit() else []

    # ------------------------------------------------------------------ geometry
    def boundingRect(self) -> QRectF:
        return QRectF(self._area)

    def dataBounds(self, ax, frac=1.0, orthoRange=None):
        if ax == 0:
            return (-0.5, max(0, self.n - 1) + 0.5)
        return (self._area.top(), self._area.bottom())

    def _pixel(self) -> tuple[float, float]:
        vb = self.getViewBox()
        if vb is None:
            return 0.01, 0.01
        px, py = vb.viewPixelSize()
        return px, py

    def bar_at(self, pos) -> int | None:
        """Index of the bar under *pos* (item coordinates), allowing a grab margin of a few
        pixels beyond the bar's end so that a bar at 0 can still be picked up."""
        n = self.n
        if n == 0:
            return None
        x, y = pos.x(), pos.y()
        i = int(np.floor(x + 0.5))
        if not 0 <= i < n:
            return None
        px, py = self._pixel()
        if abs(x - i) > BAR_WIDTH / 2 + 2 * px:
            return None
        h = self._h[i]
        margin = self.GRAB_MARGIN_PX * py
        if min(0.0, h) - margin <= y <= max(0.0, h) + margin:
            return i
        return None

    # ------------------------------------------------------------------ mouse
    def _value_from_drag(self, ev) -> float:
        index, start = self._drag
        v = start + (ev.pos().y() - ev.buttonDownPos().y())
        lo, hi = self.value_range
        v = min(max(v, lo), hi)
        if self.snap:
            snap = self.SNAP_PX * self._pixel()[1]
            if v - lo <= snap:
                v = lo
            elif hi - v <= snap:
                v = hi
        return float(v)

    def mouseDragEvent(self, ev):
        if ev.button() != Qt.LeftButton:
            ev.ignore()
            return
        if ev.isStart():
            index = self.bar_at(ev.buttonDownPos()) if self.editable else None
            if index is None:
                ev.ignore()             # let the ViewBox have it
                return
            self._drag = (index, float(self._h[index]))
            self._set_hover(index)
        ev.accept()
        if self._drag is None:          # cancelled: swallow the rest of this drag
            return
        index = self._drag[0]
        value = self._value_from_drag(ev)
        if ev.isFinish():
            self._drag = None
            self.sigDragged.emit(index, value, True)
        else:
            self.sigDragged.emit(index, value, False)

    def cancel_drag(self) -> bool:
        """Abandon the drag in progress (Esc / right-click).  Returns True if there was one."""
        if self._drag is None:
            return False
        index = self._drag[0]
        self._drag = None
        self.sigDragCancelled.emit(index)
        return True

    def mouseClickEvent(self, ev):
        if self._drag is not None:
            if ev.button() == Qt.RightButton:
                ev.accept()
                self.cancel_drag()
            return
        index = self.bar_at(ev.pos())
        if index is None:
            ev.ignore()
            return
        if ev.button() == Qt.LeftButton:
            ev.accept()
            if ev.double():
                self.sigDoubleClicked.emit(index)
            else:
                self.sigClicked.emit(index)
        elif ev.button() == Qt.RightButton:
            ev.accept()
            self.sigContextMenu.emit(index, ev.screenPos().toPoint())

    def hoverEvent(self, ev):
        if self._drag is not None:
            return
        if ev.isExit():
            self._set_hover(None)
            return
        index = self.bar_at(ev.pos())
        if index is not None:
            if self.editable:
                ev.acceptDrags(Qt.LeftButton)
            ev.acceptClicks(Qt.LeftButton)
            ev.acceptClicks(Qt.RightButton)
        self._set_hover(index)

    def _set_hover(self, index: int | None) -> None:
        if index == self._hover:
            return
        self._hover = index
        if index is None:
            self.unsetCursor()
        else:
            self.setCursor(Qt.SizeVerCursor if self.editable else Qt.ArrowCursor)
        self.update()
        self.sigHovered.emit(index)

    # ------------------------------------------------------------------ painting
    def _texts_fit(self) -> bool:
        if not self._texts or len(self._texts) != self.n:
            return False
        px = self._pixel()[0]
        return px > 0 and BAR_WIDTH / px >= self.TEXT_MIN_BAR_PX

    def _device_column(self, tr, i: int, min_px: float = 0.0) -> QRectF:
        """Bar *i* in device pixels (at least *min_px* tall, growing away from 0)."""
        h = float(self._h[i])
        r = tr.mapRect(QRectF(i - BAR_WIDTH / 2, min(0.0, h), BAR_WIDTH, abs(h))).normalized()
        if r.height() < min_px:
            if h >= 0:
                r.setTop(r.bottom() - min_px)
            else:
                r.setBottom(r.top() + min_px)
        return r

    def _device_rects(self, tr, rects) -> "internals.PrimitiveArray":
        """Map a PrimitiveArray of data rects to device pixels with numpy (scale + offset)."""
        src = rects.ndarray()
        out = self._device_tmp
        out.resize(src.shape[0])
        dst = out.ndarray()
        sx, sy, dx, dy = tr.m11(), tr.m22(), tr.dx(), tr.dy()
        dst[:, 0] = src[:, 0] * sx + dx
        dst[:, 2] = src[:, 2] * sx
        y0 = src[:, 1] * sy + dy
        y1 = (src[:, 1] + src[:, 3]) * sy + dy
        np.minimum(y0, y1, out=dst[:, 1])
        np.abs(y1 - y0, out=dst[:, 3])
        return out

    def paint(self, p: QPainter, *args):
        n = self.n
        if n == 0:
            return
        p.setRenderHint(QPainter.Antialiasing, False)     # axis-aligned rects: crisp and cheaper
        tr = p.transform()
        if tr.m12() != 0 or tr.m21() != 0:                # never in a plot; keep it simple
            return
        p.save()
        # Everything is drawn in device pixels: stroking outlines through the view's scale
        # transform costs far more than the rectangles themselves.
        p.resetTransform()
        area = tr.mapRect(self._area).normalized()
        if self._highlight is not None and 0 <= self._highlight < n:
            p.setPen(Qt.NoPen)
            p.setBrush(self._band_brush)
            band = tr.mapRect(QRectF(self._highlight - 0.5, 0, 1.0, 1)).normalized()
            p.drawRect(QRectF(band.left(), area.top(), band.width(), area.height()))
        p.setPen(self._pen)
        p.setBrush(self._brush)
        p.drawRects(*self._device_rects(tr, self._rects).drawargs())
        if self._locked.size == n and self._locked.any():
            p.setPen(self._lock_pen)
            p.setBrush(self._lock_brush)
            for i in np.flatnonzero(self._locked):
                p.drawRect(self._device_column(tr, int(i), 3))
        if self._ghost is not None and self._ghost.size == n:
            p.setPen(self._ghost_pen)
            p.setBrush(Qt.NoBrush)
            p.drawRects(*self._device_rects(tr, self._ghost_rects).drawargs())
        p.setBrush(Qt.NoBrush)
        for i in self._impossible:
            if 0 <= i < n:
                p.setPen(self._warning_pen)
                p.drawRect(self._device_column(tr, i, 12))
        marked = {i for i in (self._highlight, self._hover) if i is not None and 0 <= i < n}
        if marked:
            p.setPen(self._highlight_pen)
            for i in marked:
                p.drawRect(self._device_column(tr, i, 4))
        if self._selected is not None and 0 <= self._selected < n:
            p.setPen(self._select_pen)
            p.drawRect(self._device_column(tr, self._selected, 4).adjusted(-3, -3, 3, 3))
        p.restore()
        self._paint_texts(p)

    def _paint_texts(self, p: QPainter) -> None:
        show_values = self._texts_fit()
        hover = self._hover if self._hover is not None else self._drag[0] if self._drag else None
        if not show_values and not (self._hover_text and hover is not None):
            return
        tr = p.transform()
        p.save()
        p.resetTransform()
        p.setFont(self._font)
        fm = self._metrics
        top_dev = tr.map(QPointF(0, self._area.bottom())).y()
        text_h = fm.height()
        if show_values:
            p.setPen(self._text_color)
            zero_y = tr.map(QPointF(0, 0.0)).y()
            if len(self._static) > 4000:
                self._static.clear()
            for i, text in enumerate(self._texts):
                st = self._static.get(text)
                if st is None:
                    st = QStaticText(text)
                    st.prepare(font=self._font)
                    self._static[text] = st
                anchor = tr.map(QPointF(i, max(self._h[i], 0.0)))
                if i in self._impossible:         # clear of the red marker of a zero bar
                    anchor.setY(min(anchor.y(), zero_y - 12))
                y = anchor.y() - 3 - text_h
                if y < top_dev:                   # no room above the bar: draw inside it
                    y = anchor.y() + 1
                p.drawStaticText(QPointF(anchor.x() - st.size().width() / 2, y), st)
        if self._hover_text and hover is not None and 0 <= hover < self.n:
            text = self._hover_text
            w = fm.horizontalAdvance(text) + 8
            # centred over the bar at the top of the plot, clear of the bars' value texts
            centre = tr.map(QPointF(hover, 0)).x()
            left_edge = tr.map(QPointF(-0.5, 0)).x()
            right_edge = tr.map(QPointF(self.n - 0.5, 0)).x()
            x = min(max(centre - w / 2, left_edge + 2), right_edge - w - 2)
            box = QRectF(x, top_dev + 2, w, text_h + 4)
            bg = QColor(self._text_color)
            bg = QColor(255 - bg.red(), 255 - bg.green(), 255 - bg.blue(), 225)
            p.setPen(self._tip_pen)
            p.setBrush(QBrush(bg))
            p.drawRoundedRect(box, 3, 3)
            p.setPen(self._text_color)
            p.drawText(box, Qt.AlignCenter, text)
        p.restore()


class BarEditorPlot(pg.PlotWidget):
    """A PlotWidget holding one :class:`BarEditorItem`, with keyboard editing.

    Keys (the chart takes focus when clicked or tabbed to): Left/Right select a bar, Up/Down
    nudge it by :attr:`step` (Shift: :attr:`big_step`), 0 sets it to zero, L toggles its lock,
    Enter/F2 asks to type its value, Esc cancels a drag.  All of these are emitted as intents.
    """

    sigSelected = Signal(object)        # index or None
    sigNudged = Signal(int, float)      # index, delta
    sigZeroed = Signal(int)
    sigLockToggled = Signal(int)
    sigEditRequested = Signal(int)
    sigDragCancelled = Signal(int)

    def __init__(self, background=None):
        super().__init__(background=background)
        self.bars = BarEditorItem()
        self.addItem(self.bars)
        self.step = 0.01
        self.big_step = 0.1
        self.setFocusPolicy(Qt.StrongFocus)
        pi = self.getPlotItem()
        # The axes (and the grid lines they draw) change only with the range or the ticks:
        # keep them as cached pixmaps so that a bar update does not replay their text and lines.
        for name in ("left", "bottom"):
            pi.getAxis(name).setCacheMode(pg.QtWidgets.QGraphicsItem.DeviceCoordinateCache)
        pi.setMenuEnabled(False)
        pi.hideButtons()
        vb = pi.getViewBox()
        vb.setMouseEnabled(x=False, y=False)
        vb.disableAutoRange()
        self.bars.sigClicked.connect(self.select)
        self.bars.sigDoubleClicked.connect(self._on_double_clicked)

    @property
    def selected(self) -> int | None:
        return self.bars.selected

    def select(self, index: int | None) -> None:
        if index is not None and not 0 <= index < self.bars.n:
            index = None
        if index != self.bars.selected:
            self.bars.set_selected(index)
            self.sigSelected.emit(index)

    def _on_double_clicked(self, index: int) -> None:
        self.select(index)
        self.sigEditRequested.emit(index)

    def keyPressEvent(self, ev):
        key, mods = ev.key(), ev.modifiers()
        n = self.bars.n
        sel = self.bars.selected
        if key == Qt.Key_Escape:
            if self.bars.cancel_drag():
                ev.accept()
                return
        elif key in (Qt.Key_Left, Qt.Key_Right) and n:
            if sel is None:
                sel = 0 if key == Qt.Key_Right else n - 1
            else:
                sel = max(0, min(n - 1, sel + (1 if key == Qt.Key_Right else -1)))
            self.select(sel)
            ev.accept()
            return
        elif key in (Qt.Key_Home, Qt.Key_End) and n:
            self.select(0 if key == Qt.Key_Home else n - 1)
            ev.accept()
            return
        elif sel is not None and self.bars.dragging is None:
            if key in (Qt.Key_Up, Qt.Key_Down):
                step = self.big_step if mods & Qt.ShiftModifier else self.step
                self.sigNudged.emit(sel, step if key == Qt.Key_Up else -step)
                ev.accept()
                return
            if key == Qt.Key_0 and not mods & ~(Qt.KeypadModifier | Qt.ShiftModifier):
                self.sigZeroed.emit(sel)
                ev.accept()
                return
            if key == Qt.Key_L and not mods & ~Qt.ShiftModifier:
                self.sigLockToggled.emit(sel)
                ev.accept()
                return
            if key in (Qt.Key_Return, Qt.Key_Enter, Qt.Key_F2):
                self.sigEditRequested.emit(sel)
                ev.accept()
                return
        super().keyPressEvent(ev)
