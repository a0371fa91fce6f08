"""Helpers the GUI tests share: a dock shown on its own, real mouse drags on a pyqtgraph plot,
typing into a spin box, clicking, and reading a rich-text label as the user sees it.

Every helper sends real events through pytest-qt's ``qtbot`` (mouse presses, moves, key
clicks), so a test using them exercises the same paths a user does."""
from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QTextDocument


def show_dock(qtbot, cls, model, size):
    """Yield a dock of class *cls* on *model*, shown alone at *size* (w, h); disconnected from
    the model afterwards (standalone, nobody else would).  Use with ``yield from`` in a
    fixture."""
    d = cls(model)
    qtbot.addWidget(d)
    d.resize(*size)
    d.show()
    qtbot.waitExposed(d)
    qtbot.wait(20)
    yield d
    d.disconnect_model()


def to_widget(pw, x, y):
    """The viewport pixel of data point (x, y) of the pyqtgraph PlotWidget *pw*."""
    return pw.mapFromScene(pw.plotItem.vb.mapViewToScene(QPointF(x, y)))


def drag(qtbot, pw, start, end, steps=6, release=True, to_pixel=to_widget):
    """Press at data point *start* of *pw*, move in *steps* to *end* (and release): the pixel
    where it ended.  *to_pixel* maps a data point to a viewport pixel."""
    vp = pw.viewport()
    p0, p1 = to_pixel(pw, *start), to_pixel(pw, *end)
    qtbot.mouseMove(vp, p0)
    qtbot.mousePress(vp, Qt.LeftButton, pos=p0)
    for k in range(1, steps + 1):
        qtbot.mouseMove(vp, p0 + (p1 - p0) * (k / steps))
    if release:
        qtbot.mouseRelease(vp, Qt.LeftButton, pos=p1)
    return p1


def click(qtbot, widget, button=Qt.LeftButton):
    qtbot.mouseClick(widget, button, pos=widget.rect().center())


def type_into(qtbot, box, text):
    """Select all in *box*, type *text* and press Return."""
    box.setFocus()
    qtbot.keyClick(box, Qt.Key_A, Qt.ControlModifier)
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, Qt.Key_Return)


def rendered(label) -> str:
    """A rich-text label's text as Qt renders it: tags gone, entities decoded."""
    doc = QTextDocument()
    doc.setHtml(label.text())
    return doc.toPlainText()


def look_at_every_dock(window, qtbot):
    """Bring each of *window*'s docks on screen in turn (its tab chosen, a closed one shown),
    as a user looking at every panel would: a dock behind a tab catches up (a theme switch,
    edits) when it is shown, not before."""
    for dock in window.docks.values():
        dock.show()
        dock.raise_()
        qtbot.waitUntil(lambda d=dock: not d.visibleRegion().isEmpty(), timeout=3000)
