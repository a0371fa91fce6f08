"""Base of the painted text widgets that stand in for labels: copying and keyboard focus.

A label's text can be selected and copied; a painted one offers instead a right-click menu
(:meth:`CopyableText.context_menu`, built fresh so its texts are current) and Ctrl+C, when the
widget has the focus (Tab), for :meth:`CopyableText.copy_all`.  A dotted frame shows the focus
(the subclass draws it when ``hasFocus()``).
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from explorer.ui.widgets.painted import FocusFrameMixin


class CopyableText(FocusFrameMixin, QWidget):
    sigCopied = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAttribute(Qt.WA_OpaquePaintEvent)
        self.setFocusPolicy(Qt.TabFocus)

    # -- subclass API ---------------------------------------------------------------------
    def context_menu(self, pos) -> QMenu:
        raise NotImplementedError

    def all_text(self) -> str:
        raise NotImplementedError

    # -- copying --------------------------------------------------------------------------
    def copy_string(self, text: str) -> str:
        """Put *text* on the clipboard and announce it; returns it."""
        QGuiApplication.clipboard().setText(text)
        self.sigCopied.emit(text)
        return text

    def copy_all(self) -> str:
        return self.copy_string(self.all_text())

    def contextMenuEvent(self, ev):
        self._menu = self.context_menu(ev.pos())
        self._menu.popup(ev.globalPos())
        ev.accept()

    def keyPressEvent(self, ev):
        if ev.matches(QKeySequence.Copy):
            self.copy_all()
            ev.accept()
            return
        super().keyPressEvent(ev)
