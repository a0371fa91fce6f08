"""What the layout test asserts, as a reusable walk over a shown window (no pytest here: the
layout test runs it in subprocesses, since ``QT_SCALE_FACTOR`` must be set before the
``QApplication`` exists).

:func:`audit` returns one line per problem found among the widgets a user can see:

* **elided or clipped text** — a label narrower or shorter than its text (word-wrapped labels:
  shorter than their height for their width), a button, check box or tool button smaller than
  its text needs, a combo box whose edit field is narrower than the current item, a spin box
  whose number does not fit, a tab narrower than its full title (dock tabs and tab widgets);
  painted texts through the widgets' own API: :meth:`BarChart.text_rects` inside the chart,
  :meth:`ReadoutNumbers.text_rects` inside their room, :class:`Paragraphs` at least as tall as
  its wrapped text;
* **sideways scrolling** — a horizontal scroll bar shown by a dock's scroll area or a table;
* **overlap** — two visible sibling widgets that overlap, a child sticking out of its parent
  (a layout squeezed below its minimum), a dock tab bar Qt left floating over the docks;
* **collapse** — a chart lower than ``MIN_PLOT_HEIGHT`` × zoom
  (:data:`explorer.ui.zoom.MIN_PLOT_HEIGHT`).

Widgets in a dock hidden behind another dock's tab, or scrolled out of a scroll area's view, are
not "seen" for overlap and size checks of the dock area, but their own texts are checked all the
same (scrolling brings them into view).
"""
from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QAbstractSpinBox, QComboBox,
                               QDockWidget, QLabel, QMainWindow, QScrollArea, QScrollBar,
                               QStyle, QStyleOptionComboBox, QTabBar, QTableView, QWidget)

TOL = 1        # px of rounding allowed everywhere


def _name(w: QWidget) -> str:
    parts = []
    while w is not None and len(parts) < 4:
        parts.append(w.objectName() or type(w).__name__)
        w = w.parentWidget()
    return "/".join(reversed(parts))


def _text_of(w) -> str:
    try:
        return w.text()[:40]
    except (AttributeError, RuntimeError):
        return ""


def on_screen_docks(window: QMainWindow) -> list[QDockWidget]:
    return [d for d in window.docks.values()
            if d.isVisible() and not d.visibleRegion().isEmpty()]


def _shown_descendants(root: QWidget):
    for w in root.findChildren(QWidget):
        if w.isVisible() and not w.isWindow():
            yield w


def audit(window: QMainWindow, min_plot_height: float) -> list[str]:
    from explorer.ui.widgets.bar_chart import BarChart
    from explorer.ui.widgets.paragraphs import Paragraphs
    from explorer.ui.widgets.readout_numbers import ReadoutNumbers

    problems: list[str] = []
    add = problems.append
    docks = on_screen_docks(window)
    if not docks:
        add("no dock on screen")
    # the dock area: docks and dock tab bars do not overlap, and fit in the window
    area = [d for d in docks if not d.isFloating()]
    bars = [b for b in window.findChildren(QTabBar) if b.parent() is window and b.isVisible()]
    pieces = [(d.objectName(), d.geometry()) for d in area] + \
        [(f"tabbar[{'|'.join(b.tabText(i) for i in range(b.count()))}]", b.geometry())
         for b in bars]
    for i, (na, ga) in enumerate(pieces):
        if not window.rect().contains(ga):
            add(f"{na} sticks out of the window: {ga.getRect()} in {window.rect().getRect()}")
        for nb, gb in pieces[i + 1:]:
            inter = ga.intersected(gb)
            if inter.width() > TOL and inter.height() > TOL:
                add(f"overlap: {na} {ga.getRect()} and {nb} {gb.getRect()}")
    for b in bars:
        _check_tabs(b, add)
    for dock in docks:
        _audit_dock(dock, add, min_plot_height, BarChart, Paragraphs, ReadoutNumbers)
    # the menu bar's corner (workspace buttons, Record)
    if window.menuBar().isVisible():
        for w in _shown_descendants(window.menuBar()):
            _check_text_widget(w, add)
    return problems


def _check_tabs(bar: QTabBar, add) -> None:
    from PySide6.QtWidgets import QToolButton

    scrolls = any(b.isVisible() for b in bar.findChildren(QToolButton))
    if not scrolls and bar.count():
        right = max(bar.tabRect(i).right() for i in range(bar.count()))
        if right > bar.width() + TOL:
            add(f"tabs cut: {bar.tabText(bar.count() - 1)!r} ends at {right}, the bar is "
                f"{bar.width()} px wide and shows no scroll buttons")
    for i in range(bar.count()):
        need = bar.tabSizeHint(i)
        got = bar.tabRect(i)
        if got.width() + TOL < need.width():
            add(f"tab elided: {bar.tabText(i)!r} {got.width()} < {need.width()} px")


def _visible_in(w: QWidget, dock: QDockWidget) -> bool:
    """True when some of *w* is inside the dock's visible area (not scrolled away): its
    rectangle clipped by every ancestor's up to the dock."""
    r = QRect(w.rect())
    cur = w
    while cur is not None and cur is not dock:
        parent = cur.parentWidget()
        if parent is None:
            break
        r = r.translated(cur.pos()).intersected(parent.rect())
        if r.isEmpty():
            return False
        cur = parent
    return True


def charts(root: QWidget) -> list[QWidget]:
    """The charts inside *root*: pyqtgraph views and the app's painted charts."""
    import pyqtgraph as pg

    from explorer.ui.widgets.painted import PaintedPlot

    return [w for w in root.findChildren(QWidget) if isinstance(w, (pg.GraphicsView, PaintedPlot))]


def _audit_dock(dock, add, min_plot_height, BarChart, Paragraphs, ReadoutNumbers) -> None:
    name = dock.objectName()
    widgets = list(_shown_descendants(dock))
    for w in widgets:
        _check_text_widget(w, add)
        if isinstance(w, QTabBar):
            _check_tabs(w, add)
        if isinstance(w, QScrollBar) and w.orientation() == Qt.Horizontal and w.maximum() > 0:
            owner = w.parentWidget().parentWidget() if w.parentWidget() else None
            if isinstance(owner, (QScrollArea, QTableView)):
                add(f"{name}: sideways scrolling in {_name(owner)} (range {w.maximum()} px)")
        if isinstance(w, BarChart):
            bounds = QRectF(w.rect()).adjusted(-TOL, -TOL, TOL, TOL)
            rects = w.text_rects()
            for key in ("names", "values"):
                for i, r in rects[key]:
                    if not bounds.contains(r):
                        add(f"{name}: {_name(w)} {key}[{i}] text outside the chart "
                            f"{r.getRect()} in {w.rect().getRect()}")
            for r in rects["ticks"]:
                if not bounds.contains(r):
                    add(f"{name}: {_name(w)} tick text outside the chart {r.getRect()}")
        elif isinstance(w, ReadoutNumbers):
            for key, (room, text) in (w.text_rects() if hasattr(w, "text_rects") else {}).items():
                if text.width() and not room.adjusted(-TOL, -TOL, TOL, TOL).contains(text):
                    add(f"{name}: readout {key} cut: text {text.getRect()} in {room.getRect()}")
                if text.width() and not w.rect().adjusted(-TOL, -TOL, TOL, TOL).contains(room):
                    add(f"{name}: readout {key} outside the widget: {room.getRect()} in "
                        f"{w.rect().getRect()}")
            if w.height() + TOL < w.heightForWidth(w.width()):
                add(f"{name}: readouts cut: {w.height()} < {w.heightForWidth(w.width())} px")
        elif isinstance(w, Paragraphs):
            if w.height() + TOL < w.heightForWidth(w.width()):
                add(f"{name}: {_name(w)} paragraphs cut: {w.height()} < "
                    f"{w.heightForWidth(w.width())} px")
    # children inside their parents, siblings apart, charts tall enough
    for w in [dock.widget()] + widgets:
        if w is None:
            continue
        kids = [c for c in w.children() if isinstance(c, QWidget) and c.isVisible()
                and not c.isWindow() and not isinstance(w, (QTabBar,))]
        if isinstance(w, QScrollArea) or w.objectName() == "qt_scrollarea_viewport":
            kids = []              # the content of a scroll area is meant to be larger
        inside = QRect(w.rect()).adjusted(-TOL, -TOL, TOL, TOL)
        for c in kids:
            if isinstance(w, QAbstractItemView) or isinstance(w, QAbstractSpinBox):
                continue
            if not inside.contains(c.geometry()):
                add(f"{name}: {_name(c)} sticks out of its parent: {c.geometry().getRect()} "
                    f"in {w.rect().getRect()}")
        for i, a in enumerate(kids):
            for b in kids[i + 1:]:
                inter = a.geometry().intersected(b.geometry())
                if inter.width() > TOL and inter.height() > TOL:
                    add(f"{name}: overlap: {_name(a)} {a.geometry().getRect()} and {_name(b)} "
                        f"{b.geometry().getRect()}")
    for w in charts(dock):
        if w.isVisible() and _visible_in(w, dock) and w.height() + TOL < min_plot_height:
            add(f"{name}: chart {_name(w)} is {w.height()} px tall (< {min_plot_height:.0f})")


def _check_text_widget(w: QWidget, add) -> None:
    if isinstance(w, QLabel):
        text = w.text()
        if not text or w.pixmap() is not None and not w.pixmap().isNull():
            return
        if w.wordWrap():
            need_h = w.heightForWidth(w.width())
            if need_h > w.height() + TOL:
                add(f"label cut: {_name(w)} {text[:50]!r} needs {need_h} px height, has "
                    f"{w.height()}")
        else:
            hint = w.sizeHint()
            if hint.width() > w.width() + TOL or hint.height() > w.height() + TOL + 2:
                add(f"label clipped: {_name(w)} {text[:50]!r} needs {hint.width()}x"
                    f"{hint.height()}, has {w.width()}x{w.height()}")
    elif isinstance(w, QAbstractButton):
        if not w.text():
            return
        hint = w.sizeHint()
        if hint.width() > w.width() + TOL or hint.height() > w.height() + TOL + 2:
            add(f"button text clipped: {_name(w)} {w.text()[:40]!r} needs {hint.width()}x"
                f"{hint.height()}, has {w.width()}x{w.height()}")
    elif isinstance(w, QComboBox):
        if not w.currentText():
            return
        opt = QStyleOptionComboBox()
        w.initStyleOption(opt)
        field = w.style().subControlRect(QStyle.CC_ComboBox, opt, QStyle.SC_ComboBoxEditField, w)
        need = w.fontMetrics().horizontalAdvance(w.currentText())
        if not w.itemIcon(w.currentIndex()).isNull():
            need += w.iconSize().width() + 4
        if need > field.width() + TOL:
            add(f"combo text elided: {_name(w)} {w.currentText()[:40]!r} needs {need} px, "
                f"field {field.width()}")
    elif isinstance(w, QAbstractSpinBox):
        edit = w.lineEdit()
        need = edit.fontMetrics().horizontalAdvance(edit.text()) + 4
        if need > edit.width() + TOL:
            add(f"spin box text cut: {_name(w)} {edit.text()!r} needs {need} px, "
                f"has {edit.width()}")
