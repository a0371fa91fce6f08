"""A bar chart whose bars can be dragged, clicked, hovered and driven from the keyboard.

:class:`BarEditor` is a plain ``QWidget`` that paints itself with ``QPainter``: the axes, grid
and category names are drawn once into a cached pixmap (redrawn only when the size, range,
names or colours change), and every update paints that pixmap plus the bars (one ``drawRects``
call), the overlays (locks, ghost outline, hover/selection, impossible categories) and the
value texts.  Dragging a bar is the editors' hot path, so it avoids a ``QGraphicsScene``
altogether: a move costs one mouse event, one model update and two small repaints.

The widget never changes the bars itself.  Mouse and keyboard input become *intents*
(signals); the owner connects them to model commands, and the redraw arrives through
:meth:`BarEditor.set_data` (see ``../shared/STYLE.md``; the drag follows pyqtgraph's
``InfiniteLine.mouseDragEvent``: the value is computed from the button-down position, never by
summing small steps).

Coordinates: bar *i* is centred at x = i; y is the bar's value.  :meth:`map_to_widget` and
:meth:`map_from_widget` convert between these and widget pixels (tests, the recorder's pointer
and the benchmark use them).
"""
from __future__ import annotations

import math

import numpy as np
from pyqtgraph.Qt import internals
from PySide6.QtCore import QLineF, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFontMetrics, QFontMetricsF, QPainter, QPen, QStaticText
from PySide6.QtWidgets import QApplication

from explorer.ui.widgets.painted import PaintedPlot, mix, nice_ticks, outline, tick_text

BAR_WIDTH = 0.7
#: narrowest room (px) for one category name under the bars before names are thinned out
MIN_TICK_PX = 28
#: fewest pixels between two value ticks on the left axis
MIN_Y_TICK_PX = 28


class BarEditor(PaintedPlot):
    """Bars at x = 0..n-1 with heights from the model.

    Signals (intents; nothing is changed here):

    * ``sigDragged(index, value, finished)`` — on every move of a drag and once at release;
      *value* is the start value plus the vertical distance from the button-down position,
      clamped to :attr:`value_range` and, when :attr:`snap` is on, snapped to its ends within
      :attr:`SNAP_PX` pixels;
    * ``sigDragCancelled(index)`` — right-click or Esc during a drag;
    * ``sigHovered(index | None)``, ``sigClicked(index)``, ``sigDoubleClicked(index)``,
      ``sigContextMenu(index, QPoint global_pos)``;
    * keyboard (the chart takes focus when clicked or tabbed to): ``sigSelected(index | None)``
      for Left/Right/Home/End, ``sigNudged(index, delta)`` for Up/Down (:attr:`step`, with Shift
      :attr:`big_step`), ``sigZeroed`` for 0, ``sigLockToggled`` for L, ``sigEditRequested`` for
      Enter/F2 and double-click.
    """

    sigDragged = Signal(int, float, bool)
    sigDragCancelled = Signal(int)
    sigHovered = Signal(object)
    sigClicked = Signal(int)
    sigDoubleClicked = Signal(int)
    sigContextMenu = Signal(int, object)
    sigSelected = Signal(object)        # index or None
    sigNudged = Signal(int, float)      # index, delta
    sigZeroed = Signal(int)
    sigLockToggled = Signal(int)
    sigEditRequested = Signal(int)

    GRAB_MARGIN_PX = 8      # a press this close above (or below) a bar's end still grabs it
    SNAP_PX = 6             # a dragged value this close to either end of the range snaps there
    TEXT_MIN_BAR_PX = 26    # value texts are drawn only when bars are at least this wide
    MOVE_PX = 4             # a press becomes a drag once the pointer has moved this far

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.StrongFocus)
        self._h = np.zeros(0)
        self._rects = internals.PrimitiveArray(QRectF, 4)
        self._ghost = None
        self._ghost_rects = internals.PrimitiveArray(QRectF, 4)
        self._device_tmp = internals.PrimitiveArray(QRectF, 4)
        self._locked = np.zeros(0, dtype=bool)
        self._impossible: tuple = ()
        self._texts: list[str] = []
        self._labels: list[str] = []
        self._highlight: int | None = None
        self._selected: int | None = None
        self._hover: int | None = None
        self._hover_text = ""
        self._press: tuple[int, QPointF] | None = None  # left press on a bar, not yet a drag
        self._drag: tuple[int, float, float] | None = None   # index, start value, press y (px)
        self._swallow_menu = False                      # the right-click cancelled a drag
        self._y_range = (0.0, 1.0)
        self._axis_label = ""
        self.value_range = (0.0, 1.0)
        self.snap = True
        self.editable = True
        self.step = 0.01
        self.big_step = 0.1
        self._static_texts: dict[str, QStaticText] = {}
        self._ticks: list[tuple[int, str]] = []
        self._layout_cache = None
        self._metrics = QFontMetricsF(self.font())
        self._grid_alpha = 0.25
        self.set_colors("#0072B2", "#202020", "#CC79A7", "#C0392B", "#7F7F7F")
        self.set_background("#FFFFFF", 0.25)
        self.sigClicked.connect(self.select)

    # ------------------------------------------------------------------ appearance
    def set_colors(self, bar: str, foreground: str, accent: str, warning: str, ghost: str) -> None:
        c = QColor(bar)
        self._bar_color = c
        self._pen = QPen(c, 1)
        fg = QColor(foreground)
        lock = QColor(fg)
        lock.setAlpha(150)
        self._lock_brush = QBrush(lock, Qt.BDiagPattern)
        self._lock_color = QColor(fg)
        self._ghost_pen = QPen(QColor(ghost), 1.5, Qt.DashLine)
        self._accent_color = QColor(accent)
        self._warning_color = QColor(warning)
        self._select_pen = QPen(fg, 1, Qt.DotLine)
        self._text_color = QColor(fg)
        self._tip_pen = QPen(fg)
        self._tip_brush = QBrush(QColor(255 - fg.red(), 255 - fg.green(), 255 - fg.blue(), 225))
        self._update_fills()

    def set_background(self, background: str, grid_alpha: float) -> None:
        self._background = QColor(background)
        self._grid_alpha = float(grid_alpha)
        self._update_fills()

    def _update_fills(self) -> None:
        # Translucent colours mixed with the background once, here: filling with an opaque
        # colour is several times faster than blending every pixel of a tall bar on each paint.
        bg = getattr(self, "_background", None)
        if bg is None:
            return
        self._brush = QBrush(mix(self._bar_color, bg, 200 / 255))
        self._band_brush = QBrush(mix(self._accent_color, bg, 45 / 255))
        grid = QColor(self._text_color)
        grid.setAlphaF(max(0.0, min(1.0, self._grid_alpha)))
        self._grid_pen = QPen(grid, 1)
        self._zero_pen = QPen(mix(self._text_color, bg, 110 / 255), 1)
        self._invalidate_static()

    def set_axis_label(self, text: str) -> None:
        """The rotated name of the value axis ("probability", "logit z")."""
        if text != self._axis_label:
            self._axis_label = text
            self._invalidate_static()

    def set_category_labels(self, labels) -> None:
        """Category names under the bars (thinned out and elided to the room each one has)."""
        labels = [str(x) for x in labels]
        if labels != self._labels:
            self._labels = labels
            self._invalidate_static()

    def set_y_range(self, lo: float, hi: float) -> None:
        lo, hi = float(lo), float(hi)
        if not (math.isfinite(lo) and math.isfinite(hi) and hi > lo):
            raise ValueError(f"y range must be finite with lo < hi, got ({lo}, {hi})")
        if (lo, hi) != self._y_range:
            self._y_range = (lo, hi)
            self._invalidate_static()

    @property
    def y_range(self) -> tuple[float, float]:
        return self._y_range

    @property
    def x_range(self) -> tuple[float, float]:
        n = max(1, self.n)
        return (-0.6, n - 0.4)

    def tick_labels(self) -> list[tuple[int, str]]:
        """The category names drawn under the bars: (index, possibly elided text)."""
        self._layout()
        return list(self._ticks)

    def _invalidate_static(self) -> None:
        self._layout_cache = None
        super()._invalidate_static()

    # ------------------------------------------------------------------ data from the owner
    @property
    def opts(self) -> dict:
        """BarGraphItem-compatible view of what is drawn: ``x`` and ``height``."""
        return {"x": np.arange(self.n, dtype=np.float64), "height": self._h, "width": BAR_WIDTH}

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
            self._rects.resize(h.size)
            m = self._rects.ndarray()
            m[:, 0] = np.arange(h.size) - BAR_WIDTH / 2
            m[:, 2] = BAR_WIDTH
            if self._locked.size != h.size:
                self._locked = np.zeros(h.size, dtype=bool)
            # fewer categories: a selected / hovered bar past the end moves to the last one
            if self._selected is not None and self._selected >= h.size:
                self._selected = h.size - 1 if h.size else None
            if self._hover is not None and self._hover >= h.size:
                self._hover = None
            if self._drag is not None and self._drag[0] >= h.size:
                self._drag = None
            self._press = None
            self._invalidate_static()   # the x range follows n
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
            self._invalidate_static()   # the band is part of the background (see _paint_static)

    def set_selected(self, index: int | None) -> None:
        if index != self._selected:
            self._selected = index
            self.update()

    def set_hover_text(self, text: str) -> None:
        """Text shown above the hovered bar (label and value), set by the owner."""
        if text != self._hover_text:
            self._hover_text = text
            self.update()

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

    def select(self, index: int | None) -> None:
        if index is not None and not 0 <= index < self.n:
            index = None
        if index != self._selected:
            self.set_selected(index)
            self.sigSelected.emit(index)

    # ------------------------------------------------------------------ geometry
    def _layout(self):
        """Plot rectangle, the data → pixel map (sx, dx, sy, dy), value ticks and name ticks,
        recomputed only when the size, range or names change."""
        key = (self.width(), self.height(), self.n, self._y_range)
        if self._layout_cache is not None and self._layout_cache[0] == key:
            return self._layout_cache[1]
        fm = self._metrics = QFontMetricsF(self.font())
        text_h = fm.height()
        lo, hi = self._y_range
        top_pad, bottom = 6.0, text_h + 8.0
        usable = max(1.0, self.height() - top_pad - bottom)
        values = nice_ticks(lo, hi, max(2, int(usable // MIN_Y_TICK_PX)))
        step = values[1] - values[0] if len(values) > 1 else 1.0
        y_ticks = [(v, tick_text(v, step)) for v in values]
        tick_w = max((fm.horizontalAdvance(t) for _, t in y_ticks), default=0.0)
        left = (text_h + 4 if self._axis_label else 2) + tick_w + 8
        rect = QRectF(left, top_pad, max(1.0, self.width() - left - 8), usable)
        x0, x1 = self.x_range
        sx = rect.width() / (x1 - x0)
        dx = rect.left() - x0 * sx
        sy = -rect.height() / (hi - lo)
        dy = rect.bottom() - lo * sy
        # category names: thinned to every k-th and elided to the room they have
        n = len(self._labels) if len(self._labels) == self.n else 0
        names = []
        if n:
            per = sx
            k = 1
            while per * k < MIN_TICK_PX and k < n:
                k += 1
            room = max(int(per * k) - 6, int(fm.horizontalAdvance("x…")))
            fmi = QFontMetrics(self.font())
            names = [(i, fmi.elidedText(self._labels[i], Qt.ElideRight, room)) for i in range(0, n, k)]
        self._ticks = names
        self._grid_ys = [round(sy * v + dy) + 0.5 for v, _ in y_ticks]
        geo = (rect, (sx, dx, sy, dy), y_ticks)
        self._layout_cache = (key, geo)
        return geo

    def map_to_widget(self, x: float, y: float) -> QPointF:
        """Widget pixel position of the data point (x, y)."""
        _rect, (sx, dx, sy, dy), _ = self._layout()
        return QPointF(sx * x + dx, sy * y + dy)

    def map_from_widget(self, pos) -> tuple[float, float]:
        """Data coordinates (x, y) of a widget pixel position."""
        _rect, (sx, dx, sy, dy), _ = self._layout()
        return (pos.x() - dx) / sx, (pos.y() - dy) / sy

    def plot_rect(self) -> QRectF:
        return QRectF(self._layout()[0])

    def pixel_size(self) -> tuple[float, float]:
        """Data units per pixel along x and y."""
        _rect, (sx, _dx, sy, _dy), _ = self._layout()
        return 1.0 / abs(sx), 1.0 / abs(sy)

    def bar_at(self, pos) -> int | None:
        """Index of the bar under widget position *pos*, allowing a grab margin of a few pixels
        beyond the bar's end so that a bar at 0 can still be picked up."""
        n = self.n
        if n == 0:
            return None
        x, y = self.map_from_widget(pos)
        i = int(np.floor(x + 0.5))
        if not 0 <= i < n:
            return None
        px, py = self.pixel_size()
        if abs(x - i) > BAR_WIDTH / 2 + 2 * px:
            return None
        h = self._h[i]
        margin = self.GRAB_MARGIN_PX * py
        if min(0.0, h) - margin <= y <= max(0.0, h) + margin:
            return i
        return None

    def sizeHint(self) -> QSize:
        return QSize(360, 220)

    def minimumSizeHint(self) -> QSize:
        return QSize(160, 110)

    # ------------------------------------------------------------------ mouse
    def _drag_value(self, pos) -> float:
        index, start, press_y = self._drag
        py = self.pixel_size()[1]
        v = start + (press_y - pos.y()) * py
        lo, hi = self.value_range
        v = min(max(v, lo), hi)
        if self.snap:
            snap = self.SNAP_PX * py
            if v - lo <= snap:
                v = lo
            elif hi - v <= snap:
                v = hi
        return float(v)

    def mousePressEvent(self, ev):
        pos = ev.position()
        if ev.button() == Qt.LeftButton:
            self._swallow_menu = False
            index = self.bar_at(pos)
            self._press = (index, QPointF(pos)) if index is not None else None
            ev.accept()
            return
        if ev.button() == Qt.RightButton and (self._drag is not None or self._press is not None):
            self._swallow_menu = True       # no context menu for this right-click
            self._press = None
            self.cancel_drag()
            ev.accept()
            return
        super().mousePressEvent(ev)

    def mouseMoveEvent(self, ev):
        pos = ev.position()
        if self._drag is not None:
            if not ev.buttons() & Qt.LeftButton:        # the release went elsewhere
                self._finish_drag(pos)
                return
            self.sigDragged.emit(self._drag[0], self._drag_value(pos), False)
            return
        if self._press is not None and ev.buttons() & Qt.LeftButton:
            index, start = self._press
            if self.editable and (pos - start).manhattanLength() >= self.MOVE_PX:
                self._press = None
                self._drag = (index, float(self._h[index]), start.y())
                self._set_hover(index)
                self.sigDragged.emit(index, self._drag_value(pos), False)
            return
        self._set_hover(self.bar_at(pos))

    def mouseReleaseEvent(self, ev):
        if ev.button() != Qt.LeftButton:
            super().mouseReleaseEvent(ev)
            return
        pos = ev.position()
        if self._drag is not None:
            self._finish_drag(pos)
        elif self._press is not None:
            index = self._press[0]
            self._press = None
            self.sigClicked.emit(index)
        ev.accept()

    def _finish_drag(self, pos) -> None:
        index = self._drag[0]
        value = self._drag_value(pos)
        self._drag = None
        self.sigDragged.emit(index, value, True)
        self._set_hover(self.bar_at(pos))

    def mouseDoubleClickEvent(self, ev):
        if ev.button() == Qt.LeftButton:
            index = self.bar_at(ev.position())
            if index is not None:
                self._press = None
                self.select(index)
                self.sigDoubleClicked.emit(index)
                self.sigEditRequested.emit(index)
                ev.accept()
                return
        super().mouseDoubleClickEvent(ev)

    def owns_context_menu(self, pos) -> bool:
        """True when a context-menu request at *pos* is this chart's own (on a bar, or the
        right-click that cancelled a drag), so a generic plot menu should stay away."""
        return (self._swallow_menu or self._drag is not None
                or bool(QApplication.mouseButtons() & Qt.LeftButton) or self.bar_at(pos) is not None)

    def contextMenuEvent(self, ev):
        if self._swallow_menu or self._drag is not None or QApplication.mouseButtons() & Qt.LeftButton:
            self._swallow_menu = False
            ev.accept()
            return
        index = self.bar_at(QPointF(ev.pos()))
        if index is None:
            super().contextMenuEvent(ev)            # the plot's own menu (export), if any
            return
        ev.accept()
        self.sigContextMenu.emit(index, ev.globalPos())

    def leaveEvent(self, ev):
        if self._drag is None:
            self._set_hover(None)
        super().leaveEvent(ev)

    def cancel_drag(self) -> bool:
        """Abandon the drag in progress (Esc / right-click).  Returns True if there was one."""
        if self._drag is None:
            return False
        index = self._drag[0]
        self._drag = None
        self.sigDragCancelled.emit(index)
        return True

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

    # ------------------------------------------------------------------ keyboard
    def keyPressEvent(self, ev):
        key, mods = ev.key(), ev.modifiers()
        n = self.n
        sel = self._selected
        if key == Qt.Key_Escape:
            if self.cancel_drag():
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
        elif sel is not None and self._drag is None:
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


    def _font_changed(self) -> None:
        self._static_texts.clear()

    # ------------------------------------------------------------------ painting
    def _texts_fit(self) -> bool:
        if not self._texts or len(self._texts) != self.n:
            return False
        return BAR_WIDTH / self.pixel_size()[0] >= self.TEXT_MIN_BAR_PX

    def _paint_overlay(self, p: QPainter) -> None:
        if self.hasFocus():                             # keyboard focus: a dotted frame
            p.setPen(self._select_pen)
            p.setBrush(Qt.NoBrush)
            p.drawRect(self._layout()[0].adjusted(1, 1, -1, -1))

    def _paint_static(self, p: QPainter) -> None:
        """Background, grid, axes, tick values, axis name and category names."""
        rect, (sx, dx, sy, dy), y_ticks = self._layout()
        p.fillRect(QRectF(0, 0, self.width(), self.height()), self._background)
        fg = QColor(self._text_color)
        fm = QFontMetricsF(self.font())
        p.setFont(self.font())
        # the highlighted category's band: it changes on hover, not on a drag move, so it is
        # drawn here under the grid rather than on every repaint
        if self._highlight is not None and 0 <= self._highlight < self.n:
            x = sx * (self._highlight - 0.5) + dx
            p.fillRect(QRectF(x, rect.top(), sx, rect.height()), self._band_brush)
        self._paint_grid(p, rect.left(), rect.right())
        lo, hi = self._y_range
        axis_pen = QPen(fg, 1)
        p.setPen(axis_pen)
        left = round(rect.left()) + 0.5
        bottom = round(rect.bottom()) + 0.5
        p.drawLine(QPointF(left, rect.top()), QPointF(left, rect.bottom()))
        p.drawLine(QPointF(rect.left(), bottom), QPointF(rect.right(), bottom))
        text_h = fm.height()
        for v, text in y_ticks:
            y = sy * v + dy
            p.drawLine(QPointF(left - 4, round(y) + 0.5), QPointF(left, round(y) + 0.5))
            w = fm.horizontalAdvance(text)
            p.drawText(QPointF(rect.left() - 6 - w, y + fm.ascent() - text_h / 2), text)
        for i, text in self._ticks:
            x = sx * i + dx
            p.drawLine(QPointF(round(x) + 0.5, bottom), QPointF(round(x) + 0.5, bottom + 4))
            w = fm.horizontalAdvance(text)
            p.drawText(QPointF(x - w / 2, bottom + 4 + fm.ascent()), text)
        if self._axis_label:
            p.save()
            p.translate(2 + fm.ascent(), rect.center().y())
            p.rotate(-90)
            w = fm.horizontalAdvance(self._axis_label)
            p.drawText(QPointF(-w / 2, 0), self._axis_label)
            p.restore()

    def _paint_grid(self, p: QPainter, x0: float, x1: float) -> None:
        """The horizontal grid lines at the value ticks, from x0 to x1 (pixels)."""
        _rect, (_sx, _dx, sy, dy), y_ticks = self._layout()
        p.setPen(self._grid_pen)
        p.drawLines([QLineF(x0, y, x1, y) for y in self._grid_ys])
        lo, hi = self._y_range
        if lo < 0 < hi:                                 # the zero line the bars stand on
            y = round(dy) + 0.5
            p.setPen(self._zero_pen)
            p.drawLine(QLineF(x0, y, x1, y))

    def _device_rects(self, rects, tf) -> "internals.PrimitiveArray":
        """Map a PrimitiveArray of data rects to device pixels with numpy (scale + offset)."""
        sx, dx, sy, dy = tf
        src = rects.ndarray()
        out = self._device_tmp
        out.resize(src.shape[0])
        dst = out.ndarray()
        dst[:, 0] = src[:, 0] * sx + dx
        dst[:, 2] = src[:, 2] * sx
        y0 = src[:, 1] * sy + dy
        y1 = (src[:, 1] + src[:, 3]) * sy + dy
        np.minimum(y0, y1, out=dst[:, 1])
        np.abs(y1 - y0, out=dst[:, 3])
        return out

    def _column(self, tf, i: int, min_px: float = 0.0) -> QRectF:
        """Bar *i* in pixels (at least *min_px* tall, growing away from 0)."""
        sx, dx, sy, dy = tf
        h = float(self._h[i])
        x = sx * (i - BAR_WIDTH / 2) + dx
        ya, yb = sy * h + dy, dy
        r = QRectF(x, min(ya, yb), sx * BAR_WIDTH, abs(yb - ya))
        if r.height() < min_px:
            if h >= 0:
                r.setTop(r.bottom() - min_px)
            else:
                r.setBottom(r.top() + min_px)
        return r

    def _paint_dynamic(self, p: QPainter) -> None:
        n = self.n
        if n == 0:
            return
        rect, tf, _ = self._layout()
        sx, dx, sy, dy = tf
        p.save()
        p.setClipRect(rect.adjusted(1, -4, 0, 0))
        p.setRenderHint(QPainter.Antialiasing, False)   # axis-aligned rects: crisp and cheaper
        p.setPen(self._pen)
        p.setBrush(self._brush)
        p.drawRects(*self._device_rects(self._rects, tf).drawargs())
        if self._locked.size == n and self._locked.any():
            for i in np.flatnonzero(self._locked):
                r = self._column(tf, int(i), 3)
                p.fillRect(r, self._lock_brush)
                outline(p, r, 2, self._lock_color)
        if self._ghost is not None and self._ghost.size == n:
            p.setPen(self._ghost_pen)
            p.setBrush(Qt.NoBrush)
            p.drawRects(*self._device_rects(self._ghost_rects, tf).drawargs())
        p.setBrush(Qt.NoBrush)
        for i in self._impossible:
            if 0 <= i < n:
                outline(p, self._column(tf, i, 12), 3, self._warning_color)
        for i in {i for i in (self._highlight, self._hover) if i is not None and 0 <= i < n}:
            outline(p, self._column(tf, i, 4), 3, self._accent_color)
        if self._selected is not None and 0 <= self._selected < n:
            p.setPen(self._select_pen)
            p.drawRect(self._column(tf, self._selected, 4).adjusted(-3, -3, 3, 3))
        p.restore()
        self._paint_texts(p, rect, tf)

    def _paint_texts(self, p: QPainter, rect: QRectF, tf) -> None:
        show_values = self._texts_fit()
        hover = self._hover if self._hover is not None else self._drag[0] if self._drag else None
        if not show_values and not (self._hover_text and hover is not None):
            return
        sx, dx, sy, dy = tf
        font = self.font()
        fm = self._metrics
        p.setFont(font)
        text_h = fm.height()
        top = rect.top()
        if show_values:
            p.setPen(self._text_color)
            cache = self._static_texts
            if len(cache) > 4000:
                cache.clear()
            # anchors with numpy: above each bar's top (or above 0 for negative bars), inside
            # the bar when there is no room above it, clear of an impossible bar's red marker
            n = self.n
            ax = sx * np.arange(n) + dx
            ay = sy * np.maximum(self._h, 0.0) + dy
            if self._impossible:
                idx = [i for i in self._impossible if 0 <= i < n]
                ay[idx] = np.minimum(ay[idx], dy - 12)
            ys = ay - 3 - text_h
            ys = np.where(ys < top, ay + 1, ys)
            draw = p.drawStaticText
            for x, y, text in zip(ax.tolist(), ys.tolist(), self._texts):
                entry = cache.get(text)
                if entry is None:
                    st = QStaticText(text)
                    st.prepare(font=font)
                    entry = cache[text] = (st, st.size().width() / 2)
                draw(QPointF(x - entry[1], y), entry[0])
        if self._hover_text and hover is not None and 0 <= hover < self.n:
            text = self._hover_text
            w = fm.horizontalAdvance(text) + 8
            # centred over the bar at the top of the plot, clear of the bars' value texts
            centre = sx * hover + dx
            x = min(max(centre - w / 2, rect.left() + 2), rect.right() - w - 2)
            box = QRectF(x, top + 2, w, text_h + 4)
            p.setPen(self._tip_pen)
            p.setBrush(self._tip_brush)
            p.drawRoundedRect(box, 3, 3)
            p.setPen(self._text_color)
            entry = self._static_texts.get(text)
            if entry is None:
                st = QStaticText(text)
                st.prepare(font=font)
                entry = self._static_texts[text] = (st, st.size().width() / 2)
            p.drawStaticText(QPointF(box.center().x() - entry[1],
                                     box.center().y() - entry[0].size().height() / 2), entry[0])
