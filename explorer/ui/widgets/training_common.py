"""Small helpers shared by the training dock's panels: compact plots, spin boxes, colours."""
from __future__ import annotations

import re

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPolygonF
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from explorer.ui import theme, zoom

TICK_FONT_PT = 8


class SmallPlot(pg.PlotWidget):
    """A PlotWidget with a small preferred size, so layouts that size by preference (word-wrapped
    labels switch a layout to height-for-width, which uses preferred heights) stay compact."""

    def sizeHint(self):
        return QSize(160, 110)


def small_plot(*, log_y: bool = False) -> pg.PlotWidget:
    """A compact plot (small tick font, no mouse pan/zoom) for the dense training dock.

    No grid and no pyqtgraph title: in these animated plots a grid costs ~1.5 ms and a title
    label ~1 ms per repaint (measured); titles are QLabels above the plot instead (see
    :func:`titled`), which Qt does not repaint when the plot changes.
    """
    th = theme.current()
    pw = SmallPlot(background=th.background)
    pi = pw.getPlotItem()
    pi.setMenuEnabled(False)
    pi.hideButtons()
    pi.getViewBox().setMouseEnabled(x=False, y=False)
    font = QFont()
    font.setPointSize(TICK_FONT_PT)
    for name in ("left", "bottom"):
        ax = pi.getAxis(name)
        ax.setStyle(tickFont=font, tickTextOffset=2)
        ax.setTextPen(theme.current().foreground)
    # the axes only change with the range: blit them from a pixmap while curves animate
    # next to them (a growing curve's dirty rectangle reaches over the axes every frame)
    cache_static(pi.getAxis("left"), pi.getAxis("bottom"))
    pi.getAxis("left").setWidth(34)
    pi.getAxis("bottom").setHeight(20)
    pi.setContentsMargins(2, 2, 4, 2)
    if log_y:
        pi.setLogMode(x=False, y=True)
    pw.setMinimumSize(110, 80)
    titled(pw)
    return pw


class TitleLabel(QLabel):
    """A one-line plot title that, when too long for its width, ends in "…" (a centred QLabel
    cut both ends off: "ged point: P(class) — MSE left, CE ri").  The tooltip has it all."""

    def shown_text(self) -> str:
        """The text as drawn: all of it, or its start and an ellipsis."""
        return self.fontMetrics().elidedText(self.text(), Qt.ElideRight,
                                             max(self.contentsRect().width(), 0))

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(self.contentsRect(), int(self.alignment() | Qt.AlignVCenter),
                         self.shown_text())
        painter.end()


def titled(pw: pg.PlotWidget) -> QWidget:
    """Wrap *pw* with a one-line title label above it (``pw.title_label``)."""
    box = QWidget()
    lay = QVBoxLayout(box)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.setSpacing(0)
    label = TitleLabel()
    label.setAlignment(Qt.AlignHCenter)
    # a long title is cut short in a narrow dock (its tooltip has all of it) rather than
    # widening the plots beyond the dock
    label.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
    zoom.set_point_size(label, TICK_FONT_PT + 1)
    lay.addWidget(label)
    lay.addWidget(pw, 1)
    pw.title_label = label
    pw.box = box
    return box


def legend_html(entries) -> str:
    """Rich text for a legend row: ``entries`` are ``(colour, symbol, text)``, e.g.
    ``(th.mse, "━", "MSE")``; the symbol is drawn in the colour, the text in the normal one.
    Static QLabels cost the animated plots nothing (a pyqtgraph legend would repaint with them).
    A row too long for its label wraps between entries, never inside one ("smoothed CE ε =" on
    one line and its "0.1" on the next)."""
    return "&nbsp;&nbsp; ".join(
        f"<span style='white-space:nowrap'><span style='color:{colour}'><b>{symbol}</b></span>"
        f"&nbsp;{text}</span>" for colour, symbol, text in entries)


def legend_label() -> QLabel:
    label = QLabel()
    label.setObjectName("legendRow")
    label.setTextFormat(Qt.RichText)
    label.setWordWrap(True)
    zoom.set_point_size(label, TICK_FONT_PT + 1)
    return label


def set_small_title(pw: pg.PlotWidget, text: str) -> None:
    """Set the title shown above a plot wrapped by :func:`titled` (and as its tooltip, which
    shows the whole of a title cut short)."""
    pw.title_label.setText(text)
    pw.title_label.setToolTip(text)


def set_spin(box, value) -> None:
    """Show a model value in a spin box without emitting (no feedback loop)."""
    if box.value() != value:
        box.blockSignals(True)
        box.setValue(value)
        box.blockSignals(False)


def class_colours(n_classes: int) -> list[str]:
    """Colours of the data classes (never the MSE/CE colours, which mark the two runs)."""
    th = theme.current()
    return [th.p, th.q, th.accent, th.neutral][:n_classes]


def rgb(colour: str) -> np.ndarray:
    c = QColor(colour)
    return np.array([c.red(), c.green(), c.blue()], dtype=np.float32)


def two_colour_lut(c0: str, c1: str, background: str, alpha: int = 110) -> np.ndarray:
    """256-entry RGBA lookup table: P = 0 -> c0, 0.5 -> background, 1 -> c1 (for shading P)."""
    t = np.linspace(0.0, 1.0, 256)[:, None]
    a, m, b = rgb(c0), rgb(background), rgb(c1)
    lo = a + (m - a) * np.clip(2 * t, 0, 1)
    hi = m + (b - m) * np.clip(2 * t - 1, 0, 1)
    col = np.where(t < 0.5, lo, hi)
    strength = np.abs(2 * t - 1)                       # transparent at P = 1/2
    out = np.empty((256, 4), dtype=np.ubyte)
    out[:, :3] = np.clip(col, 0, 255)
    out[:, 3] = (alpha * strength[:, 0]).astype(np.ubyte)
    return out


def ramp_lut(background: str, colour: str) -> np.ndarray:
    """256-entry RGB lookup table from the background colour (low) to *colour* (high)."""
    t = np.linspace(0.0, 1.0, 256)[:, None] ** 0.8
    a, b = rgb(background), rgb(colour)
    return np.clip(a + (b - a) * t, 0, 255).astype(np.ubyte)


def data_to_widget(pw: pg.PlotWidget, x: float, y: float):
    """Widget (viewport) position of data point (x, y) -- for hit tests in pixels."""
    return pw.mapFromScene(pw.getPlotItem().vb.mapViewToScene(QPointF(x, y)))


def view_pos(pw: pg.PlotWidget, scene_pos) -> tuple[float, float]:
    p = pw.getPlotItem().vb.mapSceneToView(scene_pos)
    return float(p.x()), float(p.y())


class Dot(QGraphicsPathItem):
    """A marker of constant pixel size whose move is just ``setPos`` (far cheaper per frame
    than ``ScatterPlotItem.setData``, whose paint runs some 0.3 ms of Python per item).

    *symbol* is pyqtgraph's: ``"o"`` a circle of *radius*, ``"d"`` its diamond (0.8 × as wide
    as tall) of height 2 × *radius*.  A presentation zoom scales it (:meth:`zoom_to`).  Add it
    with ``ignoreBounds=True``: its rectangle is in pixels, not in data units."""

    def __init__(self, radius: float = 4.0, symbol: str = "o"):
        super().__init__()
        if symbol not in ("o", "d"):
            raise ValueError(f"Dot: symbol must be 'o' or 'd', got {symbol!r}")
        self._radius, self._symbol, self._zoom = float(radius), symbol, 1.0
        self._shape()
        self.setFlag(QGraphicsItem.ItemIgnoresTransformations, True)
        self.setZValue(20)

    def _shape(self) -> None:
        r = self._radius * self._zoom
        path = QPainterPath()
        if self._symbol == "o":
            path.addEllipse(QPointF(0.0, 0.0), r, r)
        else:
            path.addPolygon(QPolygonF([QPointF(0.0, -r), QPointF(-0.8 * r, 0.0),
                                       QPointF(0.0, r), QPointF(0.8 * r, 0.0),
                                       QPointF(0.0, -r)]))
        self.setPath(path)

    @property
    def radius(self) -> float:
        """The radius as drawn (zoom included), in pixels."""
        return self._radius * self._zoom

    def zoom_to(self, factor: float) -> None:
        """Draw at *factor* × the built size (the presentation zoom calls this)."""
        if factor != self._zoom:
            self._zoom = float(factor)
            self._shape()

    def set_colours(self, fill: str, outline: str, width: float = 1.0) -> None:
        self.setBrush(theme.brush(fill))
        self.setPen(pg.mkPen(outline, width=width))

    def move_to(self, x: float, y: float) -> None:
        """Put the dot at data point (x, y), or hide it where there is no such point (NaN, ±inf)."""
        if np.isfinite(x) and np.isfinite(y):
            x, y = float(x), float(y)
            at = self.pos()
            if at.x() != x or at.y() != y:
                self.setPos(x, y)
            if not self.isVisible():
                self.setVisible(True)
        elif self.isVisible():
            self.setVisible(False)

    def data_pos(self) -> tuple[float, float] | None:
        """Where the dot is, in data coordinates; None while hidden."""
        return (self.pos().x(), self.pos().y()) if self.isVisible() else None


def cache_static(*items) -> None:
    """Let Qt keep a pixmap of items that do not change while the race animates (ghost
    curves, heat maps, contours): each frame then blits them instead of redrawing.

    A PlotDataItem paints nothing itself (its PlotCurveItem and ScatterPlotItem children do,
    and an item's cache does not hold its children), so those children are cached instead."""
    for item in items:
        if isinstance(item, pg.PlotDataItem):
            item.curve.setCacheMode(QGraphicsItem.DeviceCoordinateCache)
            item.scatter.setCacheMode(QGraphicsItem.DeviceCoordinateCache)
        else:
            item.setCacheMode(QGraphicsItem.DeviceCoordinateCache)


def fixed_width(label: QLabel, sample: str) -> None:
    """Give *label* the size of *sample* so changing numbers never re-lay out the dock (a
    label of fixed width and height posts no layout request when its text changes; one of
    fixed width only does, every frame, and in a scroll area that repaints the scroll bar)."""
    zoom.fix_size_to(label, sample)          # measured again when the zoom changes its font


class LiveText(QWidget):
    """A word-wrapped label whose text changes on every frame or drag move, without re-laying
    out its dock each time.

    A QLabel asks its parent's layout to run again whenever its text changes (unless its width
    and height are both fixed), and a dock's layout then asks the main window's: on every
    frame.  Here the label sits alone in this box, which has no layout: the box has a fixed
    height that only grows when a text needs another line (one relayout), and places the label
    over its whole rectangle itself.  ``text()``, ``setText()`` and the label's other methods
    are those of :attr:`label`.
    """

    def __init__(self, name: str = "", rich: bool = False, parent=None):
        super().__init__(parent)
        self.label = QLabel(self)
        if name:
            self.setObjectName(name)
            self.label.setObjectName(name + "Text")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.RichText if rich else Qt.PlainText)
        self.label.setAlignment(Qt.AlignLeft | Qt.AlignTop)
        self.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Fixed)
        self._min_lines = 1
        self._fitted = None          # what the height was last fitted to (see _fit)
        self.setFixedHeight(self.label.fontMetrics().lineSpacing() + 2)

    def set_minimum_lines(self, lines: int) -> None:
        self._min_lines = lines
        self._fit(grow_only=True)

    def text(self) -> str:
        return self.label.text()

    def setText(self, text: str) -> None:
        if self.label.text() == text:
            return
        self.label.setText(text)
        self._fit(grow_only=True)

    def __getattr__(self, name):
        # what a QWidget does not have (setTextInteractionFlags, textFormat, …) is the label's
        if name == "label":
            raise AttributeError(name)
        return getattr(self.label, name)

    def _fit(self, grow_only: bool) -> None:
        width = self.width() if self.width() > 0 else max(200, self.sizeHint().width())
        text = self.label.text()
        # a running count or mean changes digits only: where every digit is as wide as every
        # other (most fonts' default figures), the text wraps the same and needs the same
        # height — no need to lay it out again (≈ 1 ms of every frame of a playing sample)
        font = f"{self.label.font().key()}@{self.label.logicalDpiY()}"   # widths round per dpi
        if _even_digits(font, self.label.fontMetrics()):
            key = (width, grow_only, self._min_lines, font, _digits_as_zero(text))
            if key == self._fitted:
                return
            self._fitted = key
        need = max(self.label.heightForWidth(width) if self.label.text() else 0,
                   self._min_lines * self.label.fontMetrics().lineSpacing()) + 2
        if need > self.height() or (not grow_only and need != self.height()):
            self.setFixedHeight(need)

    def sizeHint(self) -> QSize:
        return QSize(200, self.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(40, self.height())

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.FontChange:      # a zoom step: the lines are taller or shorter
            QTimer.singleShot(0, self, lambda: self._fit(grow_only=False))

    def resizeEvent(self, ev):
        super().resizeEvent(ev)
        self.label.setGeometry(self.rect())
        if ev.oldSize().width() != ev.size().width():
            self._fit(grow_only=False)          # wrapped lines changed with the width



_DIGITS_TO_ZERO = str.maketrans("123456789", "000000000")
_NUMBER = re.compile(r"(?<![&#\d])\d+")       # not the code of an entity such as &#8722;
_TEXT = re.compile(r"(^|>)([^<]*)")             # what lies outside the tags of rich text


_EVEN_DIGITS: dict[str, bool] = {}


def _even_digits(font_key: str, fm) -> bool:
    """Whether the ten digits of a font (its ``QFont.key()`` at a dpi) share one width."""
    even = _EVEN_DIGITS.get(font_key)
    if even is None:
        even = _EVEN_DIGITS[font_key] = len({fm.horizontalAdvance(d) for d in "0123456789"}) == 1
    return even


def _digits_as_zero(text: str) -> str:
    """*text* with every digit of its words (not of its tags or entities) made 0."""
    return _TEXT.sub(lambda m: m.group(1) + _NUMBER.sub(
        lambda d: d.group(0).translate(_DIGITS_TO_ZERO), m.group(2)), text)


def dashed(colour: str, width: float = 1.0):
    return theme.pen(colour, width, style=Qt.DashLine)
