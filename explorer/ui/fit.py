"""Nothing clips, nothing collapses: the generic room rules every dock gets from the base class
and the window.

* **A dock scrolls vertically, never sideways.**  Its body sits in a :class:`QScrollArea`
  (:func:`wrap_body`; a dock whose body already is one keeps it) that is never narrower than
  the body's minimum width, so the window gives every column the width its numbers need; when
  a dock is given less height than its body needs, the body scrolls inside the dock.  Scroll
  areas nested inside a dock body get the same rule (:func:`fit_scroll_area`).
* **A dock asks the window for a bounded height.**  Its minimum height is the body's, capped
  at :data:`DOCK_MIN_HEIGHT` × zoom: a panel that expands (the softmax derivation, a long
  note) takes room from its own dock — the body scrolls — instead of squeezing its neighbours,
  and collapsing it leaves the window as it was.
* **Every chart keeps a readable height**: pyqtgraph plots and painted charts at least
  :data:`explorer.ui.zoom.MIN_PLOT_HEIGHT` × zoom (:func:`enforce_plot_minimums`).
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QSizePolicy, QWidget

from explorer.ui import zoom

#: the most height (logical px at 100 %, × zoom) a dock asks the window for: room for a
#: panel's controls and one chart; the rest of a tall panel scrolls inside the dock
DOCK_MIN_HEIGHT = 200


class _Fitter(QObject):
    """Sizes a scroll area's content and limits the scroll area itself.

    The content gets the viewport's width and the larger of the viewport's height and the
    *minimum* height its layout needs at that width (``totalMinimumHeightForWidth``): a
    resizable ``QScrollArea`` gives a content with word-wrapped labels its *preferred* height
    instead, so it scrolls when it need not.  The scroll area is never narrower than the
    content's minimum width (no sideways scrolling), and asks for the content's minimum height,
    capped at *cap* px × zoom (``None``: no minimum height of its own)."""

    def __init__(self, scroll: QScrollArea, cap: int | None):
        super().__init__(scroll)
        self.scroll = scroll
        self.cap = cap
        self._content = None
        self._busy = False
        scroll.setWidgetResizable(False)
        scroll.installEventFilter(self)
        self.track()

    def track(self) -> None:
        content = self.scroll.widget()
        if content is self._content:
            return
        if self._content is not None:
            try:
                self._content.removeEventFilter(self)
            except RuntimeError:
                pass
        self._content = content
        if content is not None:
            content.installEventFilter(self)
        self.update()

    def eventFilter(self, obj, event) -> bool:
        kind = event.type()
        if obj is self.scroll:
            if kind in (QEvent.Resize, QEvent.Show):
                self.size_content()
        elif kind in (QEvent.LayoutRequest, QEvent.Show, QEvent.FontChange):
            self.update()
        return False

    def _min_width(self, content) -> int:
        layout = content.layout()
        width = content.minimumSizeHint().width()
        if layout is not None:
            width = max(width, layout.totalMinimumSize().width())
        return max(width, content.minimumWidth())

    def _min_height(self, content, width: int) -> int:
        layout = content.layout()
        if layout is None:
            height = content.minimumSizeHint().height()
        elif layout.hasHeightForWidth():
            height = layout.totalMinimumHeightForWidth(width)
        else:
            height = layout.totalMinimumSize().height()
        return max(height, content.minimumHeight())

    def update(self) -> None:
        content = self.scroll.widget()
        if content is None:
            return
        bar = self.scroll.verticalScrollBar().sizeHint().width()
        frame = 2 * self.scroll.frameWidth()
        min_w = self._min_width(content)
        if self.cap is not None and \
                self._min_height(content, min_w) + frame <= round(self.cap * zoom.factor()):
            bar = 0          # the dock never gets less than the content needs: no scroll bar
        width = min_w + bar + frame
        if self.scroll.minimumWidth() != width:
            self.scroll.setMinimumWidth(width)
        if self.cap is not None:
            need = self._min_height(content, max(min_w, self.scroll.width() - frame - bar))
            height = min(need + frame, round(self.cap * zoom.factor()))
            if self.scroll.minimumHeight() != height:
                self.scroll.setMinimumHeight(height)
        self.size_content()

    def size_content(self) -> None:
        content = self.scroll.widget()
        if content is None or self._busy:
            return
        self._busy = True
        try:
            frame = 2 * self.scroll.frameWidth()
            avail_w = max(1, self.scroll.width() - frame)
            avail_h = max(1, self.scroll.height() - frame)
            min_w = self._min_width(content)
            w = max(min_w, avail_w)
            need = self._min_height(content, w)
            if need > avail_h:                      # the vertical scroll bar takes its width
                w = max(min_w, avail_w - self.scroll.verticalScrollBar().sizeHint().width())
                need = self._min_height(content, w)
            size = QSize(w, max(avail_h, need)).boundedTo(content.maximumSize())
            if content.size() != size:
                content.resize(size)
        finally:
            self._busy = False


def fit_scroll_area(scroll: QScrollArea, cap: int | None = None) -> None:
    """Vertical scrolling only for *scroll* (see the module docstring)."""
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
    fitter = scroll.findChild(_Fitter, options=Qt.FindDirectChildrenOnly)
    if fitter is None:
        _Fitter(scroll, cap)
    else:
        fitter.cap = cap if cap is not None else fitter.cap
        fitter.track()


class DockScroll(QScrollArea):
    """A dock body's scroll area: vertical only (see :class:`_Fitter`); it asks for the size
    its content prefers, so the window shares space between docks as it did without it."""

    def sizeHint(self) -> QSize:
        content = self.widget()
        if content is None:
            return super().sizeHint()
        hint = content.sizeHint().expandedTo(content.minimumSizeHint())
        frame = 2 * self.frameWidth()
        return QSize(max(self.minimumWidth(), hint.width() + frame), hint.height() + frame)


def wrap_body(dock, body=None) -> None:
    """Put *dock*'s body (*body*, or the dock's widget) in a :class:`DockScroll` and make that
    the dock's widget (a body that is a plain scroll area already gives up its content to
    it)."""
    if body is None:
        body = dock.widget()
    if body is None or isinstance(body, DockScroll):
        return
    if type(body) is QScrollArea and body.widget() is not None:
        name = body.objectName()
        old, body = body, body.takeWidget()
        old.setParent(None)
        old.deleteLater()
    else:
        name = ""
    scroll = DockScroll()
    scroll.setObjectName(name or f"{dock.objectName()}Scroll")
    scroll.setFrameShape(QFrame.NoFrame)
    scroll.setWidget(body)
    dock.setWidget(scroll)
    fit_scroll_area(scroll, DOCK_MIN_HEIGHT)


def refit(window, docks=None) -> None:
    """Recompute every scroll area's limits (after a zoom change) and the charts' minimums
    (only in *docks*, when given: a dock whose body was just built)."""
    docks = list(getattr(window, "docks", {}).values()) if docks is None else docks
    for dock in docks:
        for scroll in dock.findChildren(QScrollArea):
            if scroll.findChild(_Fitter, options=Qt.FindDirectChildrenOnly) is None:
                fit_scroll_area(scroll)
            else:
                scroll.findChild(_Fitter, options=Qt.FindDirectChildrenOnly).update()
    enforce_plot_minimums(window, docks)


def plots(root: QWidget) -> list[QWidget]:
    import pyqtgraph as pg

    from explorer.ui.widgets.painted import PaintedPlot

    return [w for w in root.findChildren(QWidget) if isinstance(w, (pg.GraphicsView, PaintedPlot))
            and not isinstance(w.parentWidget(), (pg.GraphicsView,))]


def enforce_plot_minimums(window, docks=None) -> None:
    """Every chart in a dock at least ``MIN_PLOT_HEIGHT × zoom`` tall (its own larger minimum,
    and its maximum, scaled with the zoom too)."""
    f = zoom.factor()
    floor = round(zoom.MIN_PLOT_HEIGHT * f)
    for dock in (getattr(window, "docks", {}).values() if docks is None else docks):
        for w in plots(dock):
            base_min = w.property("explorerBaseMinHeight")
            if base_min is None:
                base_min = w.minimumHeight()
                w.setProperty("explorerBaseMinHeight", base_min)
                w.setProperty("explorerBaseMaxHeight", w.maximumHeight())
            base_max = w.property("explorerBaseMaxHeight")
            low = max(floor, round(base_min * f))
            if base_max is not None and base_max < 16777215:
                w.setMaximumHeight(max(low, round(base_max * f)))
            w.setMinimumHeight(low)
            policy = w.sizePolicy()
            if policy.verticalPolicy() == QSizePolicy.Ignored:
                policy.setVerticalPolicy(QSizePolicy.Expanding)
                w.setSizePolicy(policy)
