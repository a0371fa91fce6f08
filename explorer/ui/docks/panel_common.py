"""Small helpers shared by the sigmoid and softmax docks: a draggable marker line that only *asks*
the model to move (the redraw comes back from it), the panels' body widget."""
from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QGraphicsItem, QWidget

from explorer.ui.fmt import fmt_sig  # noqa: F401  (the docks import it from here)


class MarkerLine(pg.InfiniteLine):
    """A vertical line the user drags; it emits the value it is dragged to and never moves itself.

    ``sigIntent(value, finished)`` is emitted on every move and once with ``finished=True`` at
    the end.  A right click or Esc during the drag cancels it: the start value is emitted as
    finished.  The value is computed from the button-down position (no accumulated steps).
    """

    sigIntent = Signal(float, bool)

    def __init__(self, **kwargs):
        super().__init__(angle=90, movable=True, **kwargs)
        self.setFlag(self.GraphicsItemFlag.ItemIsFocusable, True)
        self._drag_start: float | None = None
        self._offset = 0.0

    @property
    def dragging(self) -> bool:
        return self._drag_start is not None

    def mouseDragEvent(self, ev):
        if ev.button() != Qt.MouseButton.LeftButton:
            ev.ignore()
            return
        if ev.isStart():
            self._drag_start = self.value()
            self._offset = self.value() - self.mapToParent(ev.buttonDownPos()).x()
            self.setFocus()
        ev.accept()
        if self._drag_start is None:          # cancelled: swallow the rest of this drag
            return
        value = self._offset + self.mapToParent(ev.pos()).x()
        if ev.isFinish():
            self._drag_start = None
        self.sigIntent.emit(float(value), bool(ev.isFinish()))

    def _cancel(self) -> bool:
        if self._drag_start is None:
            return False
        start, self._drag_start = self._drag_start, None
        self.sigIntent.emit(float(start), True)
        return True

    def mouseClickEvent(self, ev):
        if ev.button() == Qt.MouseButton.RightButton and self._cancel():
            ev.accept()
            return
        ev.ignore()

    def keyPressEvent(self, ev):
        if ev.key() == Qt.Key.Key_Escape and self._cancel():
            ev.accept()
            return
        ev.ignore()


class PanelBody(QWidget):
    """A dock's content widget with a fixed preferred size, so that the main window splits the
    space between stacked docks evenly instead of by the plots' large default size hints."""

    def __init__(self, width: int = 480, height: int = 430, parent=None):
        super().__init__(parent)
        self._hint = QSize(width, height)

    def sizeHint(self) -> QSize:
        return QSize(self._hint)


def cache_static_items(pw: pg.PlotWidget, curves=()) -> None:
    """Render a plot's axes (with their grid lines) and the given curves into pixmap caches.

    While a marker line moves over a plot, Qt repaints the part under it; without a cache every
    such repaint redraws all grid lines and all curve points (≈ 3× slower in ``main.py bench``).
    A cache is redrawn automatically when its item changes (new data, pen, range or size).
    """
    pi = pw.getPlotItem()
    for name in ("left", "bottom"):
        pi.getAxis(name).setCacheMode(QGraphicsItem.DeviceCoordinateCache)
    for item in curves:
        target = getattr(item, "curve", item)       # PlotDataItem -> its PlotCurveItem
        target.setCacheMode(QGraphicsItem.DeviceCoordinateCache)
