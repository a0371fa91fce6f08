"""The one bar chart of the app: signed bars that can be dragged, clicked, hovered and keyed.

Every bar plot redrawn on a drag's path is a :class:`BarChart`: the p and q editors, the
q = softmax(z / T) chart beside q's logits, the softmax dock's logits, a = softmax(z / T) with
its target y and gradient with its finite-difference marks, and (lying down, stacked) the
identity picture H(p, q) = H(p) + D_KL(p ‖ q) of the readouts.  It paints itself
(:class:`~explorer.ui.widgets.painted.PaintedPlot`): the axes, grid and category names are a
cached pixmap, and a repaint is that pixmap plus the bars (one ``drawRects`` per colour), the
overlays (locks, ghost outline, marks, impossible categories, hover / selection, off-scale
arrows) and the value texts.

The chart never changes its own bars.  Mouse and keyboard input become *intents* (signals); the
owner connects them to model commands and the redraw arrives through :meth:`BarChart.set_data`
(``../shared/STYLE.md``).  A drag follows pyqtgraph's ``InfiniteLine.mouseDragEvent``: the value
is the start value plus the distance from the button-down position, never a sum of small steps;
right-click or Esc during a drag cancels it; every move emits ``sigDragged(i, v, False)`` and the
release ``sigDragged(i, v, True)`` (changing / finished).  A drag or a click selects the bar.

Off-scale values (outside the value axis, e.g. the −30·T stand-in logit of a q_i = 0, or an
infinite cross-entropy) are drawn as a bar clipped at the edge with an arrow and their number,
so they do not squash the scale of the others; :func:`fit_value_range` picks a range that
leaves such outliers out.  Value texts stay inside the plot rectangle, never on the axes, the
names or each other (:meth:`BarChart.text_rects` says where each went); long category names are
elided, with the full name as a tooltip.

Coordinates: bar *i* sits at category coordinate i; its value runs along the value axis.  A
vertical chart (the default) has categories along x and values along y; a horizontal one
(:meth:`BarChart.set_horizontal`) has values along x and categories down y, the first on top.
:meth:`BarChart.map_to_widget` and :meth:`BarChart.map_from_widget` convert between these
(x, y) data coordinates and widget pixels (tests, the recorder's pointer and the benchmark use
them).
"""
from __future__ import annotations

import math
import numpy as np
from pyqtgraph.Qt import internals
from PySide6.QtCore import QLineF, QMetaMethod, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (QBrush, QColor, QFontMetrics, QFontMetricsF, QPainter, QPen,
                           QPolygonF, QStaticText)
from PySide6.QtWidgets import QApplication

from explorer.ui.fmt import fmt
from explorer.ui.widgets.painted import PaintedPlot, mix, nice_ticks, outline, tick_text

BAR_WIDTH = 0.7
#: narrowest room (px) for one category name under the bars before names are thinned out
MIN_TICK_PX = 20
#: fewest pixels between two value ticks (a vertical value axis; a horizontal one needs more)
MIN_Y_TICK_PX = 28
MIN_X_TICK_PX = 56
#: prepared texts kept per chart (least recently drawn dropped first)
TEXT_CACHE_SIZE = 256
#: length (px) of the arrow that marks a bar clipped at the edge of the plot
ARROW_PX = 7
#: an infinite value is drawn as this one (clipped at the plot's edge)
BIG = 1e300
#: set_data's default stack: keep the one there is
_KEEP = object()
#: looked up once (a Qt enum lookup costs microseconds on every paint)
_ANTIALIASING = QPainter.RenderHint.Antialiasing
_NO_BRUSH = QBrush(Qt.NoBrush)


class TextCache:
    """Prepared :class:`QStaticText` per string, at most *size* of them: when a new one would
    make more, the cache starts again empty (a drag produces new value texts on every move,
    so an unbounded cache grows for as long as the app runs; a rebuild costs one repaint a
    few dozen prepared texts, and a hit stays one dict lookup)."""

    def __init__(self, size: int = TEXT_CACHE_SIZE):
        if size < 1:
            raise ValueError(f"size must be at least 1, got {size}")
        self.size = int(size)
        self.items: dict[str, tuple[QStaticText, float, float]] = {}

    def get(self, text: str, font) -> tuple[QStaticText, float, float]:
        """``(static text, width, height)`` of *text* in *font* (prepared once)."""
        entry = self.items.get(text)
        return entry if entry is not None else self.prepare(text, font)

    def prepare(self, text: str, font) -> tuple[QStaticText, float, float]:
        items = self.items
        if len(items) >= self.size:
            items.clear()
        st = QStaticText(text)
        st.prepare(font=font)
        size = st.size()
        entry = items[text] = (st, size.width(), size.height())
        return entry

    def clear(self) -> None:
        self.items.clear()

    def __len__(self) -> int:
        return len(self.items)

    def __contains__(self, text: str) -> bool:
        return text in self.items


def fit_value_range(values, current: tuple[float, float] | None = None, *, pad: float = 0.15,
                    min_span: float = 2.0, outlier_factor: float = 4.0,
                    too_wide: float = 3.0) -> tuple[float, float]:
    """A value axis for signed bars standing on 0: the values and 0, padded by *pad* × span.

    Values far below (or above) all the others — further from them and 0 than *outlier_factor*
    times the span of the others and 0 (at least *min_span*, the smallest span taken as their
    scale) — are left out, so one stand-in logit of −30 does not squash bars of ±2; the chart
    draws them clipped at the edge.  ``outlier_factor=inf`` keeps every value.

    *current* is kept while it still holds the others and is less than *too_wide* times the
    wanted span (no jitter while values move a little).

    Parameters
    ----------
    values : array_like
        The bar values (non-finite ones are ignored).
    current : (lo, hi), optional
        The range shown now.
    pad, min_span, outlier_factor, too_wide : float
        As above.

    Returns
    -------
    (lo, hi)
        ``lo ≤ min(0, kept values)``, ``hi ≥ max(0, kept values)``, ``hi > lo``.
    """
    v = np.sort(np.asarray(values, dtype=np.float64).ravel())
    v = v[np.isfinite(v)]
    if v.size:
        # drop the low outliers, then the high ones: a value is one when its distance to the
        # rest and 0 exceeds outlier_factor × the span of the rest and 0
        while v.size > 1:
            rest = v[v > v[0]]
            if rest.size == 0:
                break
            r_lo, r_hi = min(float(rest[0]), 0.0), max(float(rest[-1]), 0.0)
            if r_lo - v[0] <= outlier_factor * max(r_hi - r_lo, min_span):
                break
            v = rest
        while v.size > 1:
            rest = v[v < v[-1]]
            if rest.size == 0:
                break
            r_lo, r_hi = min(float(rest[0]), 0.0), max(float(rest[-1]), 0.0)
            if v[-1] - r_hi <= outlier_factor * max(r_hi - r_lo, min_span):
                break
            v = rest
        lo, hi = min(0.0, float(v[0])), max(0.0, float(v[-1]))
    else:
        lo, hi = 0.0, 1.0
    span = max(hi - lo, min_span)
    want = (lo - pad * span, hi + pad * span)
    if current is not None:
        c_lo, c_hi = float(current[0]), float(current[1])
        if c_lo <= lo and hi <= c_hi and (c_hi - c_lo) <= too_wide * (want[1] - want[0]):
            return (c_lo, c_hi)
    return want


class BarChart(PaintedPlot):
    """Bars at category coordinates 0..n-1 with signed values from the owner.

    Signals (intents; nothing is changed here):

    * ``sigDragged(index, value, finished)`` — on every move of a drag and once at release;
      *value* is the start value plus the distance from the button-down position along the
      value axis, clamped to :attr:`value_range` and, when :attr:`snap` is on, snapped to its
      ends within :attr:`SNAP_PX` pixels;
    * ``sigDragCancelled(index, start_value)`` — right-click or Esc during a drag;
    * ``sigHovered(index | None)``, ``sigClicked(index)``, ``sigDoubleClicked(index)``,
      ``sigContextMenu(index, QPoint global_pos)`` (when nobody listens, a right-click on a bar
      opens the plot's own menu);
    * ``sigSelected(index | None)`` — a click or a drag on a bar, or the arrow keys along the
      categories (Left/Right in a vertical chart, Up/Down in a horizontal one), Home/End;
    * keys (the chart takes focus when clicked or tabbed to): ``sigNudged(index, delta)`` for
      the arrows along the values (:attr:`step`, with Shift :attr:`big_step`), ``sigZeroed``
      for 0, ``sigLockToggled`` for L, ``sigEditRequested`` for Enter/F2 and double-click.

    Options: :attr:`editable` (drags and value keys at all), :attr:`selectable` (clicks and
    keys select a bar), :attr:`grab_column` (a press
    anywhere in a bar's column grabs it, not only on the bar), :attr:`value_range`,
    :attr:`snap`, :attr:`step`, :attr:`big_step`, :attr:`ghost_width`, :attr:`show_grid`.
    """

    sigDragged = Signal(int, float, bool)
    sigDragCancelled = Signal(int, float)
    sigHovered = Signal(object)
    sigClicked = Signal(int)
    sigDoubleClicked = Signal(int)
    sigContextMenu = Signal(int, object)
    sigSelected = Signal(object)        # index or None
    sigNudged = Signal(int, float)      # index, delta
    sigZeroed = Signal(int)
    sigLockToggled = Signal(int)
    sigEditRequested = Signal(int)

    GRAB_MARGIN_PX = 8      # a press this close beyond a bar's end still grabs it
    SNAP_PX = 6             # a dragged value this close to either end of the range snaps there
    MOVE_PX = 4             # a press becomes a drag once the pointer has moved this far
    TEXT_GAP_PX = 3         # between a value text and the end of its bar
    NOTE_MS = 6000          # how long a note (why an edit was refused) stays

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.StrongFocus)
        self._horizontal = False
        self._h = np.zeros(0)
        self._rects = internals.PrimitiveArray(QRectF, 4)
        self._stack = None
        self._stack_rects = internals.PrimitiveArray(QRectF, 4)
        self._ghost = None
        self._ghost_rects = internals.PrimitiveArray(QRectF, 4)
        self._device_tmp = internals.PrimitiveArray(QRectF, 4)
        self._marks = None
        self._reference: float | None = None
        self._bar_colors: list | None = None
        self._locked = np.zeros(0, dtype=bool)
        self._any_locked = False
        self._impossible: tuple = ()
        self._texts: list[str] = []
        self._labels: list[str] = []
        self._title = ""
        self._highlight: int | None = None
        self._selected: int | None = None
        self._hover: int | None = None
        self._hover_text = ""
        self._note: tuple[int, str] | None = None
        self._note_timer = QTimer(self)
        self._note_timer.setSingleShot(True)
        self._note_timer.timeout.connect(self.clear_note)
        self._press: tuple[int, QPointF] | None = None  # left press on a bar, not yet a drag
        self._drag: tuple[int, float, float] | None = None   # index, start value, press (px)
        self._swallow_menu = False                      # the right-click cancelled a drag
        self._value_axis = (0.0, 1.0)
        self._clipped: list[int] = []
        self._axis_label = ""
        self._tooltip = ""
        self._name_tip: str | None = None
        self._any_elided = False
        self.value_range = (0.0, 1.0)
        self.snap = True
        self.editable = True
        self.selectable = True
        self.grab_column = False
        self.show_grid = True
        self.step = 0.01
        self.big_step = 0.1
        self.ghost_width = BAR_WIDTH
        self._text_cache = TextCache()
        self._ticks: list[tuple[int, str, bool]] = []
        self._grid_lines: list[QLineF] = []
        self._layout_cache = None
        self._metrics = QFontMetricsF(self.font())
        self._grid_alpha = 0.25
        BarChart.set_colors(self, "#0072B2", "#202020", "#CC79A7", "#C0392B", "#7F7F7F")
        self.set_background("#FFFFFF", 0.25)
        self.sigClicked.connect(self.select)

    # ------------------------------------------------------------------ appearance
    def set_colors(self, bar: str, foreground: str, accent: str, warning: str, ghost: str,
                   ghost_pen_width: float = 1.5) -> None:
        """Bar fill/edge, text and axes, hover/highlight outline, impossible marker, note and
        off-scale arrows, and the dashed ghost outline (*ghost_pen_width* px)."""
        self._bar_color = QColor(bar)
        fg = QColor(foreground)
        lock = QColor(fg)
        lock.setAlpha(150)
        self._lock_brush = QBrush(lock, Qt.BDiagPattern)
        self._lock_color = QColor(fg)
        self._ghost_pen = QPen(QColor(ghost), ghost_pen_width, Qt.DashLine)
        self._accent_color = QColor(accent)
        self._warning_color = QColor(warning)
        self._note_pen = QPen(self._warning_color, 1.5)
        self._text_color = QColor(fg)
        self._mark_pen = QPen(fg, 2)
        self._reference_pen = QPen(fg, 1, Qt.DashLine)
        self._tip_pen = QPen(fg)
        self._arrow_brush = QBrush(self._warning_color)
        self._update_fills()

    def set_bar_colors(self, colors) -> None:
        """One colour per bar (None: every bar in the colour of :meth:`set_colors`)."""
        colors = None if colors is None else [QColor(c) for c in colors]
        self._bar_colors = colors
        self._update_fills()

    def set_stack_color(self, color: str) -> None:
        """The colour of the stacked segments (:meth:`set_stack`)."""
        self._stack_color = QColor(color)
        self._update_fills()

    def set_background(self, background: str, grid_alpha: float) -> None:
        self._background = QColor(background)
        self._grid_alpha = float(grid_alpha)
        self._update_fills()

    def _fill(self, color: QColor) -> tuple[QBrush, QPen]:
        return QBrush(mix(color, self._background, 200 / 255)), QPen(color, 1)

    def _update_fills(self) -> None:
        # Translucent colours mixed with the background once, here: filling with an opaque
        # colour is several times faster than blending every pixel of a tall bar on each paint.
        bg = getattr(self, "_background", None)
        if bg is None:
            return
        self._brush, self._pen = self._fill(self._bar_color)
        self._bar_fills = None
        if self._bar_colors is not None:
            groups: dict[str, list] = {}
            for i, c in enumerate(self._bar_colors):
                groups.setdefault(c.name(), [c, []])[1].append(i)
            self._bar_fills = [(*self._fill(c), idx) for c, idx in groups.values()]
        self._stack_fill = self._fill(getattr(self, "_stack_color", self._accent_color))
        self._band_brush = QBrush(mix(self._accent_color, bg, 45 / 255))
        self._tip_brush = QBrush(mix(bg, self._text_color, 0.9))
        self._frame_color = mix(self._accent_color, bg, 0.8)
        grid = QColor(self._text_color)
        grid.setAlphaF(max(0.0, min(1.0, self._grid_alpha)))
        self._grid_pen = QPen(grid, 1)
        self._zero_pen = QPen(mix(self._text_color, bg, 110 / 255), 1)
        self._invalidate_static()

    def set_horizontal(self, horizontal: bool) -> None:
        """Lay the chart down: values along x, categories down y (the first one on top)."""
        if bool(horizontal) != self._horizontal:
            self._horizontal = bool(horizontal)
            self._invalidate_static()

    @property
    def horizontal(self) -> bool:
        return self._horizontal

    def set_axis_label(self, text: str) -> None:
        """The name of the value axis ("probability", "logit z")."""
        if text != self._axis_label:
            self._axis_label = text
            self._invalidate_static()

    def set_title(self, text: str) -> None:
        """A title above the plot (drawn, so it is in exported pictures too)."""
        if text != self._title:
            self._title = text
            self._invalidate_static()

    @property
    def title(self) -> str:
        return self._title

    def set_category_labels(self, labels) -> None:
        """Category names beside the bars (thinned out and elided to the room each one has;
        an elided name shows in full as a tooltip)."""
        labels = [str(x) for x in labels]
        if labels != self._labels:
            self._labels = labels
            self._invalidate_static()

    def set_value_axis(self, lo: float, hi: float) -> None:
        """The range of the value axis; bars beyond it are drawn clipped, with an arrow."""
        lo, hi = float(lo), float(hi)
        if not (math.isfinite(lo) and math.isfinite(hi) and hi > lo):
            raise ValueError(f"value axis must be finite with lo < hi, got ({lo}, {hi})")
        if (lo, hi) != self._value_axis:
            self._value_axis = (lo, hi)
            self._update_clipped()
            self._invalidate_static()

    @property
    def value_axis(self) -> tuple[float, float]:
        return self._value_axis

    @property
    def category_range(self) -> tuple[float, float]:
        n = max(1, self.n)
        return (-0.6, n - 0.4)

    @property
    def x_range(self) -> tuple[float, float]:
        """The data range along x: the categories of a vertical chart, the values of a
        horizontal one."""
        return self._value_axis if self._horizontal else self.category_range

    @property
    def y_range(self) -> tuple[float, float]:
        """The data range along y: the values of a vertical chart, the categories of a
        horizontal one."""
        return self.category_range if self._horizontal else self._value_axis

    def tick_labels(self) -> list[tuple[int, str]]:
        """The category names drawn beside the bars: (index, possibly elided text)."""
        self._layout()
        return [(i, text) for i, text, _ in self._ticks]

    def _invalidate_static(self) -> None:
        self._layout_cache = None
        super()._invalidate_static()

    # ------------------------------------------------------------------ data from the owner
    @property
    def heights(self) -> np.ndarray:
        return self._h

    @property
    def n(self) -> int:
        return int(self._h.size)

    def set_data(self, heights, texts: list[str] | None = None, stack=_KEEP) -> None:
        """Draw *heights* (one per category, ±inf allowed: drawn clipped) with optional value
        *texts* beside them, and (when given) the *stack* of :meth:`set_stack` with them."""
        h = np.array(heights, dtype=np.float64)
        finite = math.isfinite(np.add.reduce(h))      # one C call (a huge sum: "not finite")
        if not finite and np.isnan(h).any():
            raise ValueError("heights must be numbers, not NaN")
        texts = list(texts) if texts is not None else []
        old_stack = self._stack
        if stack is _KEEP:
            s, same_stack = old_stack, True
        elif stack is None:
            s, same_stack = None, old_stack is None
        else:
            s = np.array(stack, dtype=np.float64)
            if math.isnan(np.add.reduce(s)) and np.isnan(s).any():
                raise ValueError("stacked values must be numbers, not NaN")
            same_stack = (old_stack is not None and s.shape == old_stack.shape
                          and bool(np.logical_and.reduce(s == old_stack)))
        if (same_stack and h.shape == self._h.shape and bool(np.logical_and.reduce(h == self._h))
                and texts == self._texts):
            return                      # nothing to redraw: keep this view from repainting
        if h.size != self._h.size:
            self._rects.resize(h.size)
            m = self._rects.ndarray()
            m[:, 0] = np.arange(h.size) - BAR_WIDTH / 2
            m[:, 2] = BAR_WIDTH
            if self._locked.size != h.size:
                self._locked = np.zeros(h.size, dtype=bool)
                self._any_locked = False
            # fewer categories: a selected / hovered bar past the end moves to the last one
            if self._selected is not None and self._selected >= h.size:
                self._selected = h.size - 1 if h.size else None
            if self._hover is not None and self._hover >= h.size:
                self._hover = None
            if self._drag is not None and self._drag[0] >= h.size:
                self._drag = None
            if self._note is not None and self._note[0] >= h.size:
                self._note = None
            self._press = None
            self._invalidate_static()   # the category range follows n
        self._h = h
        m = self._rects.ndarray()
        hf = h if finite else np.clip(h, -BIG, BIG)     # ±inf: finite rects, clipped when painted
        np.minimum(hf, 0.0, out=m[:, 1])
        np.abs(hf, out=m[:, 3])
        self._texts = texts
        self._stack = s
        if s is not None:
            self._update_stack_rects()
        self._update_clipped()
        self.update()

    def set_stack(self, values) -> None:
        """A second segment on each bar, from its end to its end + ``values[i]``, in the
        :meth:`set_stack_color` (None removes them)."""
        self.set_data(self._h, self._texts, stack=values)

    def _update_stack_rects(self) -> None:
        s, h = self._stack, self._h
        if s.size != h.size:
            return
        rects = self._stack_rects
        if len(rects) != s.size:
            rects.resize(s.size)
            m = rects.ndarray()
            m[:, 0] = np.arange(s.size) - BAR_WIDTH / 2
            m[:, 2] = BAR_WIDTH
        m = rects.ndarray()
        top = h + s
        if math.isfinite(np.add.reduce(top)):
            hf, sf = h, s
        else:
            hf, sf = np.clip(h, -BIG, BIG), np.clip(s, -BIG, BIG)
            top = hf + sf
        np.minimum(hf, top, out=m[:, 1])
        np.abs(sf, out=m[:, 3])

    @property
    def stack(self) -> np.ndarray | None:
        return self._stack

    def _ends(self) -> np.ndarray:
        """Where each bar ends: its value, plus its stacked segment."""
        if self._stack is not None and self._stack.size == self._h.size:
            return self._h + self._stack
        return self._h

    def set_ghost(self, heights) -> None:
        """Dashed outline of other heights, :attr:`ghost_width` wide (None hides it)."""
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
            m[:, 0] = np.arange(g.size) - self.ghost_width / 2
            m[:, 1] = np.minimum(g, 0.0)
            m[:, 2] = self.ghost_width
            m[:, 3] = np.abs(g)
        self.update()

    @property
    def ghost(self) -> np.ndarray | None:
        return self._ghost

    def set_marks(self, values) -> None:
        """A short mark across bar *i* at value ``values[i]`` (NaN: none), e.g. a numeric check
        of the value the bar shows; None hides them."""
        if values is None:
            if self._marks is None:
                return
            self._marks = None
        else:
            v = np.array(values, dtype=np.float64)
            if self._marks is not None and np.array_equal(v, self._marks, equal_nan=True):
                return
            self._marks = v
        self.update()

    def mark_points(self) -> tuple[np.ndarray, np.ndarray]:
        """The marks drawn: (category, value) of every finite one."""
        if self._marks is None:
            return np.zeros(0), np.zeros(0)
        ok = np.isfinite(self._marks)
        return np.flatnonzero(ok).astype(np.float64), self._marks[ok]

    def set_reference(self, value: float | None) -> None:
        """A dashed line across the plot at *value* (None: none)."""
        value = None if value is None else float(value)
        if value != self._reference:
            self._reference = value
            self.update()

    @property
    def reference(self) -> float | None:
        return self._reference

    def set_locked(self, locked) -> None:
        lk = np.array(locked, dtype=bool)
        if not np.array_equal(lk, self._locked):
            self._locked = lk
            self._any_locked = bool(lk.any())
            self.update()

    @property
    def locked(self) -> np.ndarray:
        return self._locked

    def set_impossible(self, indices) -> None:
        indices = tuple(int(i) for i in indices)
        if indices != self._impossible:
            self._impossible = indices
            self.update()

    @property
    def impossible(self) -> tuple:
        return self._impossible

    def set_highlight(self, index: int | None) -> None:
        if index != self._highlight:
            self._highlight = index
            self._invalidate_static()   # the band is part of the background (see _paint_static)

    def set_selected(self, index: int | None) -> None:
        """Mark bar *index* as selected without emitting anything (the owner's echo)."""
        if index is not None and not 0 <= index < self.n:
            index = None
        if index != self._selected:
            self._selected = index
            self.update()

    def set_hover_text(self, text: str) -> None:
        """Text shown at the hovered bar (label and value), set by the owner."""
        if text != self._hover_text:
            self._hover_text = text
            self.update()

    @property
    def hover_text(self) -> str:
        return self._hover_text

    def show_note(self, index: int, text: str, msec: int | None = None) -> None:
        """A short note at bar *index* (why an edit was refused), framed in the warning colour,
        for *msec* ms (:attr:`NOTE_MS` by default) or until :meth:`clear_note`."""
        if not 0 <= index < self.n or not text:
            self.clear_note()
            return
        if self._note != (index, text):
            self._note = (index, text)
            self.update()
        self._note_timer.start(self.NOTE_MS if msec is None else int(msec))

    def clear_note(self) -> None:
        self._note_timer.stop()
        if self._note is not None:
            self._note = None
            self.update()

    @property
    def note(self) -> tuple[int, str] | None:
        """``(index, text)`` of the note shown, or None."""
        return self._note

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
        """The value texts drawn beside the bars (empty when the bars are too narrow)."""
        return list(self._texts) if self._texts_fit() else []

    def _update_clipped(self) -> None:
        lo, hi = self._value_axis
        ends = self._ends()
        if ends.size <= 16:                         # a few bars: plain Python is quicker
            self._clipped = [i for i, v in enumerate(ends.tolist()) if v > hi or v < lo]
        elif np.minimum.reduce(ends) < lo or np.maximum.reduce(ends) > hi:
            self._clipped = np.flatnonzero((ends > hi) | (ends < lo)).tolist()
        else:
            self._clipped = []

    def clipped(self) -> list[int]:
        """Indices of the bars that end beyond the value axis (drawn to the edge, arrowed)."""
        return list(self._clipped)

    def select(self, index: int | None) -> None:
        """Select bar *index* (None: none) and say so (``sigSelected``), as a click does."""
        if not self.selectable:
            return
        if index is not None and not 0 <= index < self.n:
            index = None
        if index != self._selected:
            self.set_selected(index)
            self.sigSelected.emit(index)

    def accessible_summary(self, digits: int) -> str:
        """Every category's name and value, for a screen reader ("cat 0.7000; dog 0.2000")."""
        labels = self._labels if len(self._labels) == self.n else [str(i) for i in range(self.n)]
        return "; ".join(f"{label} {fmt(v, digits)}" for label, v in zip(labels, self._h.tolist()))

    # ------------------------------------------------------------------ geometry
    def _layout(self):
        """Plot rectangle, the data → pixel map ``(sc, dc, sv, dv)`` (category pixel =
        sc·c + dc, value pixel = sv·v + dv) and the value ticks ``[(v, text)]``, recomputed
        only when the size, ranges, names or title change (also sets the name ticks and grid)."""
        key = (self.width(), self.height(), self.n, self._value_axis, self._horizontal,
               self.show_grid)
        if self._layout_cache is not None and self._layout_cache[0] == key:
            return self._layout_cache[1]
        fm = self._metrics = QFontMetricsF(self.font())
        geo = self._layout_horizontal(fm) if self._horizontal else self._layout_vertical(fm)
        self._layout_cache = (key, geo)
        return geo

    def _value_ticks(self, fm, lo: float, hi: float, length: float, min_px: float):
        count = max(2, int(length // min_px))
        values = nice_ticks(lo, hi, count)
        while len(values) < 2 and count < 6:           # a short axis still gets two ticks
            count += 1
            values = nice_ticks(lo, hi, count)
        step = values[1] - values[0] if len(values) > 1 else 1.0
        return [(v, tick_text(v, step)) for v in values]

    def _names(self, fm, room: float, pitch: float, min_px: float) -> list:
        """The category names: every k-th (so each has *min_px* of pitch), elided to *room*."""
        n = len(self._labels) if len(self._labels) == self.n else 0
        names = []
        if n:
            k = 1
            if not self._horizontal:                    # room for at least "x…" each
                min_px = max(min_px, fm.horizontalAdvance("x…") + 4)
            while pitch * k < min_px and k < n:
                k += 1
            room = max(room if self._horizontal else pitch * k - 4, fm.horizontalAdvance("x…"))
            fmi = QFontMetrics(self.font())
            # a horizontal chart's room is the widest name (not cut for rounding to pixels)
            limit = math.ceil(room) + 1 if self._horizontal else int(room)
            for i in range(0, n, k):
                text = fmi.elidedText(self._labels[i], Qt.ElideRight, limit)
                names.append((i, text, text != self._labels[i]))
        self._any_elided = any(elided for _i, _t, elided in names)
        return names

    def _layout_vertical(self, fm):
        text_h = fm.height()
        lo, hi = self._value_axis
        top_pad = 6.0 + (text_h + 2 if self._title else 0.0)
        bottom = text_h + 8.0
        usable = max(1.0, self.height() - top_pad - bottom)
        y_ticks = self._value_ticks(fm, lo, hi, usable, MIN_Y_TICK_PX)
        tick_w = max((fm.horizontalAdvance(t) for _, t in y_ticks), default=0.0)
        left = (text_h + 4 if self._axis_label else 2) + tick_w + 8
        rect = QRectF(left, top_pad, max(1.0, self.width() - left - 8), usable)
        c0, c1 = self.category_range
        sc = rect.width() / (c1 - c0)
        dc = rect.left() - c0 * sc
        sv = -rect.height() / (hi - lo)
        dv = rect.bottom() - lo * sv
        self._ticks = self._names(fm, 0.0, sc, MIN_TICK_PX)
        ys = [round(sv * v + dv) + 0.5 for v, _ in y_ticks]
        self._grid_lines = [QLineF(rect.left(), y, rect.right(), y) for y in ys]
        return rect, (sc, dc, sv, dv), y_ticks

    def _layout_horizontal(self, fm):
        text_h = fm.height()
        lo, hi = self._value_axis
        top_pad = 4.0 + (text_h + 2 if self._title else 0.0)
        bottom = text_h + 8.0 + (text_h + 2 if self._axis_label else 0.0)
        widest = max((fm.horizontalAdvance(t) for t in self._labels), default=0.0)
        room = min(widest, 0.4 * self.width())
        left = room + 12
        rect = QRectF(left, top_pad, max(1.0, self.width() - left - 10),
                      max(1.0, self.height() - top_pad - bottom))
        x_ticks = self._value_ticks(fm, lo, hi, rect.width(), MIN_X_TICK_PX)
        c0, c1 = self.category_range
        sc = rect.height() / (c1 - c0)
        dc = rect.top() - c0 * sc
        sv = rect.width() / (hi - lo)
        dv = rect.left() - lo * sv
        self._ticks = self._names(fm, room, sc, text_h + 2)
        xs = [round(sv * v + dv) + 0.5 for v, _ in x_ticks]
        self._grid_lines = [QLineF(x, rect.top(), x, rect.bottom()) for x in xs]
        return rect, (sc, dc, sv, dv), x_ticks

    def _point(self, tf, c: float, v: float) -> QPointF:
        sc, dc, sv, dv = tf
        if self._horizontal:
            return QPointF(sv * v + dv, sc * c + dc)
        return QPointF(sc * c + dc, sv * v + dv)

    def map_to_widget(self, x: float, y: float) -> QPointF:
        """Widget pixel position of the data point (x, y): (category, value) in a vertical
        chart, (value, category) in a horizontal one."""
        tf = self._layout()[1]
        return self._point(tf, y, x) if self._horizontal else self._point(tf, x, y)

    def map_from_widget(self, pos) -> tuple[float, float]:
        """Data coordinates (x, y) of a widget pixel position (see :meth:`map_to_widget`)."""
        sc, dc, sv, dv = self._layout()[1]
        if self._horizontal:
            return (pos.x() - dv) / sv, (pos.y() - dc) / sc
        return (pos.x() - dc) / sc, (pos.y() - dv) / sv

    def _cv(self, pos) -> tuple[float, float]:
        """(category, value) data coordinates of a widget pixel position."""
        x, y = self.map_from_widget(pos)
        return (y, x) if self._horizontal else (x, y)

    def _along_values(self, pos) -> float:
        """The pixel coordinate of *pos* along the value axis."""
        return pos.x() if self._horizontal else pos.y()

    def plot_rect(self) -> QRectF:
        return QRectF(self._layout()[0])

    def pixel_size(self) -> tuple[float, float]:
        """Data units per pixel along x and y."""
        sc, _dc, sv, _dv = self._layout()[1]
        pc, pv = 1.0 / abs(sc), 1.0 / abs(sv)
        return (pv, pc) if self._horizontal else (pc, pv)

    def _value_per_px(self) -> float:
        return 1.0 / abs(self._layout()[1][2])

    def bar_at(self, pos) -> int | None:
        """Index of the bar under widget position *pos*, allowing a grab margin of a few pixels
        beyond the bar's end so that a bar at 0 can still be picked up (with
        :attr:`grab_column`, anywhere in the bar's column inside the plot)."""
        n = self.n
        if n == 0:
            return None
        c, v = self._cv(pos)
        i = int(np.floor(c + 0.5))
        if not 0 <= i < n:
            return None
        sc = self._layout()[1][0]
        if abs(c - i) > BAR_WIDTH / 2 + 2 / abs(sc):
            return None
        if self.grab_column:
            rect = self.plot_rect()
            u = self._along_values(pos)
            lo, hi = ((rect.left(), rect.right()) if self._horizontal
                      else (rect.top(), rect.bottom()))
            return i if lo - 2 <= u <= hi + 2 else None
        lo, hi = self._value_axis
        end = min(max(float(self._ends()[i]), lo), hi)      # an off-scale bar ends at the edge
        margin = self.GRAB_MARGIN_PX * self._value_per_px()
        if min(0.0, end) - margin <= v <= max(0.0, end) + margin:
            return i
        return None

    def name_at(self, pos) -> str | None:
        """The full category name whose (possibly elided) text is drawn at *pos*, or None."""
        for i, rect in self.text_rects()["names"]:
            if rect.adjusted(-2, -2, 2, 2).contains(QPointF(pos)):
                return self._labels[i]
        return None

    def text_rects(self) -> dict:
        """Where the texts are drawn, in widget pixels: ``"plot"`` (the plot rectangle, whose
        edges carry the axes), ``"ticks"`` [rect] (value tick labels), ``"names"``
        [(index, rect)], ``"values"`` [(index, rect)] (value texts, and the number of a clipped
        bar), ``"zero"`` (the zero line's pixel coordinate along the value axis, or None),
        ``"note"`` (rect or None)."""
        rect, tf, ticks = self._layout()
        fm = self._metrics
        return {"plot": QRectF(rect),
                "ticks": [r for _v, _t, r in self._tick_rects(rect, tf, ticks, fm)],
                "names": [(i, r) for i, _t, r in self._name_rects(rect, tf, fm)],
                "values": [(e[0], QRectF(*e[1:5])) for e in self._value_layout(rect, tf)],
                "zero": self._zero_px(tf),
                "note": self._box_rect(rect, tf, *self._note) if self._note else None}

    def _zero_px(self, tf) -> float | None:
        lo, hi = self._value_axis
        return tf[3] if lo < 0 < hi else None

    def _tick_rects(self, rect, tf, ticks, fm) -> list:
        """``[(value, text, rect)]`` of the value tick labels."""
        _sc, _dc, sv, dv = tf
        text_h = fm.height()
        out = []
        for v, text in ticks:
            w = fm.horizontalAdvance(text)
            u = sv * v + dv
            if self._horizontal:
                x = min(max(u - w / 2, 1.0), self.width() - w - 1)
                out.append((v, text, QRectF(x, round(rect.bottom()) + 4.5, w, text_h)))
            else:
                out.append((v, text, QRectF(rect.left() - 6 - w, u - text_h / 2, w, text_h)))
        return out

    def _name_rects(self, rect, tf, fm) -> list:
        """``[(index, text, rect)]`` of the category names drawn."""
        sc, dc, _sv, _dv = tf
        text_h = fm.height()
        out = []
        for i, text, _elided in self._ticks:
            w = fm.horizontalAdvance(text)
            c = sc * i + dc
            if self._horizontal:
                out.append((i, text, QRectF(rect.left() - 6 - w, c - text_h / 2, w, text_h)))
            else:                                       # clear of the value tick labels
                x = min(max(c - w / 2, rect.left() - 5), self.width() - w - 1)
                out.append((i, text, QRectF(x, round(rect.bottom()) + 4.5, w, text_h)))
        return out

    def sizeHint(self) -> QSize:
        return QSize(360, 220)

    def minimumSizeHint(self) -> QSize:
        return QSize(96, 90)

    # ------------------------------------------------------------------ mouse
    def _drag_value(self, pos) -> float:
        index, start, press_u = self._drag
        per_px = self._value_per_px()
        moved = self._along_values(pos) - press_u
        v = start + (moved if self._horizontal else -moved) * per_px
        lo, hi = self.value_range
        v = min(max(v, lo), hi)
        if self.snap:
            snap = self.SNAP_PX * per_px
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
                self._drag = (index, float(self._h[index]), self._along_values(start))
                self._set_hover(index)
                self.select(index)                      # a drag selects its bar
                if self._drag is not None:              # (the owner may have changed n)
                    self.sigDragged.emit(index, self._drag_value(pos), False)
            return
        self._set_hover(self.bar_at(pos))
        self._update_name_tip(pos)

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
        """True when a context-menu request at *pos* is this chart's own (on a bar with a menu
        of its own, or the right-click that cancelled a drag), so a generic plot menu should
        stay away."""
        return (self._swallow_menu or self._drag is not None
                or bool(QApplication.mouseButtons() & Qt.LeftButton)
                or (self._has_bar_menu() and self.bar_at(pos) is not None))

    def _has_bar_menu(self) -> bool:
        """True when the owner shows a menu of its own for a bar (it listens to
        ``sigContextMenu``); otherwise a right-click on a bar opens the plot menu."""
        return self.isSignalConnected(QMetaMethod.fromSignal(self.sigContextMenu))

    def contextMenuEvent(self, ev):
        if self._swallow_menu or self._drag is not None or QApplication.mouseButtons() & Qt.LeftButton:
            self._swallow_menu = False
            ev.accept()
            return
        index = self.bar_at(QPointF(ev.pos()))
        if index is None or not self._has_bar_menu():
            super().contextMenuEvent(ev)            # the plot's own menu (export), if any
            return
        ev.accept()
        self.sigContextMenu.emit(index, ev.globalPos())

    def leaveEvent(self, ev):
        if self._drag is None:
            self._set_hover(None)
        self._update_name_tip(QPointF(-1e9, -1e9))
        super().leaveEvent(ev)

    # An elided name shows in full as the tooltip while the pointer is over it.  This is done
    # on hover rather than in an event() override: a Python event() runs for every event of
    # the widget, paints included, and costs a drag move tens of microseconds.
    def setToolTip(self, text: str) -> None:
        """The chart's tooltip (over an elided name, that name in full is shown instead)."""
        self._tooltip = text
        if self._name_tip is None:
            super().setToolTip(text)

    def toolTip(self) -> str:
        return self._tooltip

    def _update_name_tip(self, pos) -> None:
        name = None
        if self._any_elided:
            rect = self.plot_rect()
            if (pos.x() < rect.left()) if self._horizontal else (pos.y() > rect.bottom()):
                name = self.name_at(pos)
        if name != self._name_tip:
            self._name_tip = name
            super().setToolTip(self._tooltip if name is None else name)

    def cancel_drag(self) -> bool:
        """Abandon the drag in progress (Esc / right-click).  Returns True if there was one."""
        if self._drag is None:
            return False
        index, start, _ = self._drag
        self._drag = None
        self.sigDragCancelled.emit(index, start)
        return True

    def _set_hover(self, index: int | None) -> None:
        if index == self._hover:
            return
        self._hover = index
        if index is None:
            self.unsetCursor()
        elif self.editable:
            self.setCursor(Qt.SizeHorCursor if self._horizontal else Qt.SizeVerCursor)
        else:
            self.setCursor(Qt.ArrowCursor)
        self.update()
        self.sigHovered.emit(index)

    # ------------------------------------------------------------------ keyboard
    def keyPressEvent(self, ev):
        key, mods = ev.key(), ev.modifiers()
        n = self.n
        sel = self._selected
        back, fwd, up, down = ((Qt.Key_Up, Qt.Key_Down, Qt.Key_Right, Qt.Key_Left)
                               if self._horizontal else
                               (Qt.Key_Left, Qt.Key_Right, Qt.Key_Up, Qt.Key_Down))
        if key == Qt.Key_Escape:
            if self.cancel_drag():
                ev.accept()
                return
        elif key in (back, fwd) and n:
            if sel is None:
                sel = 0 if key == fwd else n - 1
            else:
                sel = max(0, min(n - 1, sel + (1 if key == fwd else -1)))
            self.select(sel)
            ev.accept()
            return
        elif key in (Qt.Key_Home, Qt.Key_End) and n:
            self.select(0 if key == Qt.Key_Home else n - 1)
            ev.accept()
            return
        elif sel is not None and self._drag is None and self.editable:
            if key in (up, down):
                step = self.big_step if mods & Qt.ShiftModifier else self.step
                self.sigNudged.emit(sel, step if key == up else -step)
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
        self._text_cache.clear()

    # ------------------------------------------------------------------ text layout
    def _texts_fit(self) -> bool:
        """Value texts are drawn when there is one per bar and each fits in the pitch of the
        categories (so no two of them can touch)."""
        if not self._texts or len(self._texts) != self.n:
            return False
        cache, font = self._text_cache, self.font()
        rect, (sc, _dc, _sv, _dv), _ = self._layout()
        widest = max(cache.get(t, font)[1] for t in self._texts)
        return self._fits(rect, sc, widest, self._metrics.height())

    def _fits(self, rect: QRectF, sc: float, widest: float, th: float) -> bool:
        """Texts this wide and high fit once per category (and inside the plot)."""
        if self._horizontal:
            return th + 2 <= abs(sc) and widest + 2 <= rect.width()
        return widest + 4 <= sc and th + 2 <= rect.height()

    def _value_layout(self, rect: QRectF, tf) -> list:
        """``[(index, x, y, w, h, boxed, static_text)]`` of the value texts drawn (top-left
        corners, widget pixels).

        A text sits just beyond its bar's end (above a positive bar, below a negative one, or
        right / left of it lying down); when that leaves the plot it goes inside the bar, next
        to its end; when the bar is too short for that, on the other side of the zero line.  It
        stays inside the plot rectangle and clear of the zero line.  Bars beyond the value axis
        show their number inside, next to the arrow.  With too little room for every text, only
        off-scale bars show theirs, and only where they do not touch each other.  A text with no
        room at all (a chart too small for it) is left out.  *boxed* texts lie over a bar and get
        a box.

        The rules are worked out along u, the pixel coordinate along the value axis measured
        in the direction of growing values (−y in a vertical chart, x in a horizontal one).
        This runs on every repaint of a drag, for a few dozen texts at most: plain Python is
        quicker here than numpy's per-call overhead.
        """
        n = self.n
        texts = self._texts
        if n == 0 or len(texts) != n:
            return []
        cache = self._text_cache
        found, font = cache.items.get, self.font()
        entries = [found(t) or cache.prepare(t, font) for t in texts]
        sc, dc, sv, dv = tf
        lo, hi = self._value_axis
        ends = self._ends().tolist()
        th = self._metrics.height()
        horizontal = self._horizontal
        fit = self._fits(rect, sc, max([e[1] for e in entries]), th)
        if fit:
            candidates = range(n)
        else:                                           # only the off-scale numbers
            candidates = [i for i, e in enumerate(ends) if e > hi or e < lo]
            if not candidates:
                return []
        if horizontal:
            flip, u_min, u_max = 1.0, rect.left(), rect.right()
            across_lo, across_hi = rect.top(), rect.bottom()
        else:
            flip, u_min, u_max = -1.0, -rect.bottom(), -rect.top()
            across_lo, across_hi = rect.left(), rect.right()
        u_base = min(max(flip * dv, u_min), u_max)
        zero_drawn = lo < 0 < hi
        impossible = set(self._impossible)
        gap = self.TEXT_GAP_PX
        out, last = [], -math.inf
        for i in candidates:
            if not texts[i]:
                continue
            st, w, _h = entries[i]
            ext = w if horizontal else th
            end = ends[i]
            over, under = end > hi, end < lo
            u_end = flip * (sv * (lo if end < lo else hi if end > hi else end) + dv)
            if i in impossible and u_end < u_base + 12:     # clear of the impossible marker
                u_end = u_base + 12
            if over:
                u_end -= ARROW_PX + 1
            elif under:
                u_end += ARROW_PX + 1
            if end >= 0:
                u0 = u_end + gap                        # just beyond the end
                leaves = over or under or u0 + ext > u_max
                inside = u_end - 1 - ext
                fits_inside = inside >= u_base + 1
                opposite = u_base - gap - ext
            else:
                u0 = u_end - gap - ext
                leaves = over or under or u0 < u_min
                inside = u_end + 1
                fits_inside = inside + ext <= u_base - 1
                opposite = u_base + gap
            if leaves:
                u0 = inside if fits_inside else opposite
            if u0 < u_min + 1:
                u0 = u_min + 1
            if u0 > u_max - ext - 1:
                u0 = u_max - ext - 1
                if u0 < u_min + 1 - 1e-9:
                    continue                            # no room for it at all
            if zero_drawn and u0 < u_base < u0 + ext:
                continue
            centre = sc * i + dc
            size = th if horizontal else w              # across the bars
            a = centre - size / 2
            if not fit:                                 # kept inside, apart from each other
                a = min(max(a, across_lo + 1), across_hi - size - 1)
                if a < last + 4 or a < across_lo + 1:
                    continue
                last = a + size
            x, y = (u0, a) if horizontal else (a, -(u0 + ext))
            out.append((i, x, y, w, th, leaves and fits_inside, st))
        return out

    def _box_rect(self, rect: QRectF, tf, index: int, text: str) -> QRectF:
        """The box of a hover text or note at bar *index*: at the top of the plot over the bar,
        or (lying down) at the right end of its row."""
        sc, dc, _sv, _dv = tf
        fm = self._metrics
        w = min(fm.horizontalAdvance(text) + 8, self.width() - 4)
        h = fm.height() + 4
        centre = sc * index + dc
        if self._horizontal:
            y = min(max(centre - h / 2, 2), self.height() - h - 2)
            return QRectF(max(2.0, rect.right() - w - 2), y, w, h)
        x = min(max(centre - w / 2, 2), self.width() - w - 2)
        return QRectF(x, rect.top() + 2, w, h)

    # ------------------------------------------------------------------ painting
    def _paint_overlay(self, p: QPainter) -> None:
        if self.hasFocus():                             # keyboard focus: a thin frame
            outline(p, self._layout()[0].adjusted(1.5, 1.5, -1.5, -1.5), 1, self._frame_color)

    def _paint_static(self, p: QPainter) -> None:
        """Background, grid, axes, tick values, axis name, title and category names."""
        rect, tf, ticks = self._layout()
        sc, dc, sv, dv = tf
        p.fillRect(QRectF(0, 0, self.width(), self.height()), self._background)
        fg = QColor(self._text_color)
        fm = QFontMetricsF(self.font())
        p.setFont(self.font())
        horizontal = self._horizontal
        # the highlighted category's band: it changes on hover, not on a drag move, so it is
        # drawn here under the grid rather than on every repaint
        if self._highlight is not None and 0 <= self._highlight < self.n:
            c = sc * (self._highlight - 0.5) + dc
            band = (QRectF(rect.left(), c, rect.width(), sc) if horizontal
                    else QRectF(c, rect.top(), sc, rect.height()))
            p.fillRect(band, self._band_brush)
        if self.show_grid:
            p.setPen(self._grid_pen)
            p.drawLines(self._grid_lines)
        zero = self._zero_px(tf)
        if zero is not None:                            # the zero line the bars stand on
            z = round(zero) + 0.5
            p.setPen(self._zero_pen)
            p.drawLine(QLineF(z, rect.top(), z, rect.bottom()) if horizontal
                       else QLineF(rect.left(), z, rect.right(), z))
        p.setPen(QPen(fg, 1))
        left = round(rect.left()) + 0.5
        bottom = round(rect.bottom()) + 0.5
        p.drawLine(QPointF(left, rect.top()), QPointF(left, rect.bottom()))
        p.drawLine(QPointF(rect.left(), bottom), QPointF(rect.right(), bottom))
        for v, text, r in self._tick_rects(rect, tf, ticks, fm):
            u = round(sv * v + dv) + 0.5
            if horizontal:
                p.drawLine(QPointF(u, bottom), QPointF(u, bottom + 4))
            else:
                p.drawLine(QPointF(left - 4, u), QPointF(left, u))
            p.drawText(QPointF(r.left(), r.top() + fm.ascent()), text)
        for i, text, r in self._name_rects(rect, tf, fm):
            c = round(sc * i + dc) + 0.5
            if horizontal:
                p.drawLine(QPointF(left - 4, c), QPointF(left, c))
            else:
                p.drawLine(QPointF(c, bottom), QPointF(c, bottom + 4))
            p.drawText(QPointF(r.left(), r.top() + fm.ascent()), text)
        if self._axis_label:
            w = fm.horizontalAdvance(self._axis_label)
            if horizontal:
                p.drawText(QPointF(rect.center().x() - w / 2,
                                   self.height() - 3 - fm.descent()), self._axis_label)
            else:
                p.save()
                p.translate(2 + fm.ascent(), rect.center().y())
                p.rotate(-90)
                p.drawText(QPointF(-w / 2, 0), self._axis_label)
                p.restore()
        if self._title:
            text = fm.elidedText(self._title, Qt.ElideRight, max(10.0, self.width() - 8.0))
            w = fm.horizontalAdvance(text)
            x = min(max(rect.center().x() - w / 2, 4.0), self.width() - w - 4)
            p.drawText(QPointF(x, 3 + fm.ascent()), text)

    def _affine(self, tf) -> tuple[np.ndarray, np.ndarray]:
        """The data → pixel map of a rect (category, value, width, height ≥ 0) as a matrix
        and an offset: ``pixels = rect @ M + b``, a QRectF (x, y, w, h) with w, h ≥ 0."""
        key = (tf, self._horizontal)
        if getattr(self, "_affine_key", None) != key:
            sc, dc, sv, dv = tf
            if self._horizontal:        # x = sv·v + dv, w = sv·h; y = sc·c + dc, h = sc·w
                m = [[0, sc, 0, 0], [sv, 0, 0, 0], [0, 0, 0, sc], [0, 0, sv, 0]]
                b = [dv, dc, 0, 0]
            else:                       # x = sc·c + dc, w = sc·w; top = sv·(v + h) + dv
                m = [[sc, 0, 0, 0], [0, sv, 0, 0], [0, 0, sc, 0], [0, sv, 0, -sv]]
                b = [dc, dv, 0, 0]
            self._affine_key = key
            self._affine_map = (np.array(m, dtype=np.float64), np.array(b, dtype=np.float64))
        return self._affine_map

    def _device_rects(self, rects, tf, rect: QRectF) -> "internals.PrimitiveArray":
        """Map a PrimitiveArray of data rects (category, value, width, height) to device
        pixels (one matrix product; when some bar is off the scale, clipped a little beyond
        the plot *rect*, so an infinite bar stays drawable)."""
        src = rects.ndarray()
        out = self._device_tmp
        out.resize(src.shape[0])
        dst = out.ndarray()
        m, b = self._affine(tf)
        np.matmul(src, m, out=dst)
        dst += b
        if self._clipped:
            if self._horizontal:
                pos, size, lo, hi = dst[:, 0], dst[:, 2], rect.left() - 4, rect.right() + 4
            else:
                pos, size, lo, hi = dst[:, 1], dst[:, 3], rect.top() - 4, rect.bottom() + 4
            end = np.minimum(pos + size, hi)
            np.maximum(pos, lo, out=pos)
            np.maximum(end - pos, 0.0, out=size)
        return out

    def _column(self, tf, i: int, min_px: float = 0.0) -> QRectF:
        """Bar *i* (with its stacked segment) in pixels, clipped to the value axis, at least
        *min_px* long (growing away from 0)."""
        sc, dc, sv, dv = tf
        lo, hi = self._value_axis
        end = float(self._ends()[i])
        a = sv * min(max(end, lo), hi) + dv
        b = sv * min(max(0.0, lo), hi) + dv
        u0, u1 = min(a, b), max(a, b)
        if u1 - u0 < min_px:                             # grow away from the base
            if (end >= 0) == (sv > 0):
                u1 = u0 + min_px
            else:
                u0 = u1 - min_px
        c = sc * (i - BAR_WIDTH / 2) + dc
        if self._horizontal:
            return QRectF(u0, c, u1 - u0, sc * BAR_WIDTH)
        return QRectF(c, u0, sc * BAR_WIDTH, u1 - u0)

    def _paint_dynamic(self, p: QPainter) -> None:
        n = self.n
        if n == 0:
            return
        rect, tf, _ = self._layout()
        sc, dc, sv, dv = tf
        p.save()
        p.setClipRect(rect.adjusted(1, 0, 4, 0) if self._horizontal else rect.adjusted(1, -4, 0, 0))
        p.setRenderHint(_ANTIALIASING, False)           # axis-aligned rects: crisp and cheaper
        bars = self._device_rects(self._rects, tf, rect)
        if self._bar_fills is None or len(self._bar_colors) != n:
            p.setPen(self._pen)
            p.setBrush(self._brush)
            p.drawRects(*bars.drawargs())
        else:                                           # a few bars, each in its colour
            px = bars.ndarray().tolist()
            for brush, pen, rows in self._bar_fills:
                p.setPen(pen)
                p.setBrush(brush)
                for i in rows:
                    p.drawRect(QRectF(*px[i]))
        if self._stack is not None and self._stack.size == n:      # a few, the empty left out
            p.setBrush(self._stack_fill[0])
            p.setPen(self._stack_fill[1])
            for r in self._device_rects(self._stack_rects, tf, rect).ndarray().tolist():
                if r[2] > 0 and r[3] > 0:
                    p.drawRect(QRectF(*r))
        if self._any_locked and self._locked.size == n:
            for i in np.flatnonzero(self._locked):
                r = self._column(tf, int(i), 3)
                p.fillRect(r, self._lock_brush)
                outline(p, r, 2, self._lock_color)
        if self._ghost is not None and self._ghost.size == n:
            p.setPen(self._ghost_pen)
            p.setBrush(_NO_BRUSH)
            p.drawRects(*self._device_rects(self._ghost_rects, tf, rect).drawargs())
        if self._marks is not None and self._marks.size == n:
            half = min(12.0, sc * BAR_WIDTH * 0.6)
            p.setPen(self._mark_pen)
            lines = []
            for c, v in zip(*(a.tolist() for a in self.mark_points())):
                pt = self._point(tf, c, v)
                lines.append(QLineF(pt.x(), pt.y() - half, pt.x(), pt.y() + half)
                             if self._horizontal else
                             QLineF(pt.x() - half, pt.y(), pt.x() + half, pt.y()))
            p.drawLines(lines)
        if self._reference is not None and math.isfinite(self._reference):
            u = round(sv * self._reference + dv) + 0.5
            p.setPen(self._reference_pen)
            p.drawLine(QLineF(u, rect.top(), u, rect.bottom()) if self._horizontal
                       else QLineF(rect.left(), u, rect.right(), u))
        p.setBrush(_NO_BRUSH)
        for i in self._impossible:
            if 0 <= i < n:
                outline(p, self._column(tf, i, 12), 3, self._warning_color)
        hover = self._hover if self.editable else None     # "you can grab this one"
        for i in {i for i in (self._highlight, hover) if i is not None and 0 <= i < n}:
            outline(p, self._column(tf, i, 4), 3, self._accent_color)
        if self._selected is not None and 0 <= self._selected < n:
            # a frame around the selected bar (filled strips: a dotted pen costs far more)
            outline(p, self._column(tf, self._selected, 4).adjusted(-3, -3, 3, 3), 1.5,
                    self._text_color)
        if self._clipped:
            self._paint_arrows(p, rect, tf, self._clipped, self._ends())
        p.restore()
        self._paint_texts(p, rect, tf)

    def _paint_arrows(self, p: QPainter, rect: QRectF, tf, indices, ends) -> None:
        """A solid arrow at the clipped end of each off-scale bar, pointing off the plot."""
        sc, dc, _sv, _dv = tf
        half = max(3.0, min(ARROW_PX, abs(sc) * BAR_WIDTH * 0.35))
        p.setRenderHint(_ANTIALIASING, True)
        p.setPen(Qt.NoPen)
        p.setBrush(self._arrow_brush)
        hi = self._value_axis[1]
        for i in indices:
            c = sc * i + dc
            beyond = ends[i] > hi
            if self._horizontal:
                tip = rect.right() - 1 if beyond else rect.left() + 2
                foot = tip - ARROW_PX if beyond else tip + ARROW_PX
                pts = [QPointF(tip, c), QPointF(foot, c - half), QPointF(foot, c + half)]
            else:
                tip = rect.top() + 1 if beyond else rect.bottom() - 1
                foot = tip + ARROW_PX if beyond else tip - ARROW_PX
                pts = [QPointF(c, tip), QPointF(c - half, foot), QPointF(c + half, foot)]
            p.drawPolygon(QPolygonF(pts))
        p.setRenderHint(_ANTIALIASING, False)

    def _paint_texts(self, p: QPainter, rect: QRectF, tf) -> None:
        layout = self._value_layout(rect, tf) if any(self._texts) else ()
        if layout:
            p.setPen(self._text_color)
            draw = p.drawStaticText
            for _i, x, y, w, h, boxed, st in layout:
                if boxed:
                    p.fillRect(QRectF(x - 2, y, w + 4, h), self._tip_brush)
                draw(QPointF(x, y), st)
        if self._note is not None:
            self._paint_box(p, rect, tf, self._note[0], self._note[1], self._note_pen)
            return
        hover = self._hover if self._hover is not None else self._drag[0] if self._drag else None
        if self._hover_text and hover is not None and 0 <= hover < self.n:
            self._paint_box(p, rect, tf, hover, self._hover_text, self._tip_pen)

    def _paint_box(self, p: QPainter, rect: QRectF, tf, index: int, text: str, pen: QPen) -> None:
        box = self._box_rect(rect, tf, index, text)
        p.setPen(pen)
        p.setBrush(self._tip_brush)
        p.drawRoundedRect(box, 3, 3)
        p.setPen(self._text_color)
        st, w, h = self._text_cache.get(text, self.font())
        if w <= box.width() - 8:
            p.drawStaticText(QPointF(box.center().x() - w / 2, box.center().y() - h / 2), st)
        else:                                           # wider than the chart: elided
            fm = self._metrics
            p.setFont(self.font())
            p.drawText(QPointF(box.left() + 4, box.top() + 2 + fm.ascent()),
                       fm.elidedText(text, Qt.ElideRight, box.width() - 8))
