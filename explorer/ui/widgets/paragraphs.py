"""Live sentences painted by one widget: word-wrapped paragraphs whose numbers change on every
drag move (the readouts' identity and inequality lines).

Two word-wrapped labels cost Qt two paint passes and their own height bookkeeping per move;
this widget lays each paragraph out once per text and width (``QStaticText``) and paints them
in one pass.  It keeps what a label gave: the height follows the width (``heightForWidth``),
right-click or Ctrl+C (with the focus, Tab) copies the text, and the accessible description is
the text.  During a drag its height only grows, so the dock's layout re-runs only when a
paragraph needs another line; :meth:`set_paragraphs` with ``grow_only=False`` fits it again.
"""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics, QKeySequence, QPainter, QPen, QStaticText
from PySide6.QtWidgets import QMenu, QSizePolicy

from explorer.ui.widgets.copyable import CopyableText

GAP = 4          # between paragraphs


class Paragraphs(CopyableText):

    def __init__(self, parent=None):
        super().__init__(parent)
        sp = QSizePolicy(QSizePolicy.Preferred, QSizePolicy.Fixed)
        sp.setHeightForWidth(True)
        self.setSizePolicy(sp)
        self._texts: list[str] = []
        self._static: dict[tuple, QStaticText] = {}
        self._heights: dict[tuple, int] = {}
        self._copy_text = "Copy text"
        self._font_key = self.font().key()

    def set_menu_text(self, copy: str) -> None:
        self._copy_text = copy

    # ------------------------------------------------------------------ contents
    def set_paragraphs(self, texts, grow_only: bool = False) -> None:
        texts = [str(t) for t in texts]
        if texts == self._texts:
            return
        self._texts = texts
        need = self.heightForWidth(self.width()) if self.width() > 0 else None
        if need is not None and (need > self.height() or (not grow_only and need != self.height())):
            self.updateGeometry()
        self.update()

    def paragraphs(self) -> list[str]:
        return list(self._texts)

    def text(self) -> str:
        return "\n".join(self._texts)

    # ------------------------------------------------------------------ geometry
    def _height_of(self, text: str, width: int) -> int:
        key = (text, width, self._font_key)
        h = self._heights.get(key)
        if h is None:
            if len(self._heights) > 256:
                self._heights.clear()
            h = self._heights[key] = QFontMetrics(self.font()).boundingRect(
                QRect(0, 0, max(20, width), 100000), int(Qt.TextWordWrap | Qt.AlignLeft), text).height()
        return h

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        if not self._texts:
            return QFontMetrics(self.font()).height()
        return sum(self._height_of(t, width) for t in self._texts) + GAP * (len(self._texts) - 1)

    def sizeHint(self) -> QSize:
        width = max(200, self.width())
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        return QSize(120, self.heightForWidth(120))

    # ------------------------------------------------------------------ painting
    def _layout(self, text: str, width: int) -> QStaticText:
        key = (text, width)
        st = self._static.get(key)
        if st is None:
            if len(self._static) > 256:
                self._static.clear()
            st = QStaticText(text)
            st.setTextFormat(Qt.PlainText)
            st.setTextWidth(width)
            st.prepare(font=self.font())
            self._static[key] = st
        return st

    def paintEvent(self, ev):
        p = QPainter(self)
        pal = self.palette()
        p.fillRect(self.rect(), pal.window())
        p.setPen(pal.windowText().color())
        p.setFont(self.font())
        y = 0
        w = self.width()
        for text in self._texts:
            p.drawStaticText(QPointF(0, y), self._layout(text, w))
            y += self._height_of(text, w) + GAP
        if self.hasFocus():
            p.setPen(QPen(pal.windowText().color(), 1, Qt.DotLine))
            p.drawRect(self.rect().adjusted(0, 0, -1, -1))
        p.end()

    def changeEvent(self, ev):
        if ev.type() in (ev.Type.FontChange, ev.Type.StyleChange):
            self._font_key = self.font().key()
            self._static.clear()
            self._heights.clear()
            self.updateGeometry()
        super().changeEvent(ev)

    def resizeEvent(self, ev):
        super().resizeEvent(ev)
        if self.heightForWidth(self.width()) != self.height():
            self.updateGeometry()        # wrapped lines changed with the width

    # ------------------------------------------------------------------ copying
    def all_text(self) -> str:
        return self.text()

    def copy(self) -> str:
        return self.copy_all()

    def context_menu(self, pos=None) -> QMenu:
        menu = QMenu(self)
        act = menu.addAction(self._copy_text, self.copy_all)
        act.setShortcut(QKeySequence.Copy)
        return menu
