"""Help → Tour: highlight each dock in turn with a short explanation.

A translucent overlay (it lets every click through) dims the window except the current dock,
which gets an accent frame; a small bubble beside it names the dock, says what it is for (texts
from ``resources/help/help.json``, both languages) and offers Back / Next / Close.  Keys: Enter or
→ next, ← back, Esc close.  Docks that were closed are shown for their step and closed again at
the end; tabbed docks are brought to the front and the previous front tabs restored.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QPainter, QPen, QShortcut
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from explorer import i18n
from explorer.ui import theme

BUBBLE_WIDTH = 340
MARGIN = 12


def dock_rect(window, dock) -> QRect:
    """*dock*'s rectangle in *window* coordinates (also for floating docks)."""
    top_left = window.mapFromGlobal(dock.mapToGlobal(QPoint(0, 0)))
    return QRect(top_left, dock.size())


class _Highlight(QWidget):
    """Dims the window outside ``rect`` and frames ``rect``; transparent to the mouse."""

    def __init__(self, window):
        super().__init__(window)
        self.setObjectName("tourHighlight")
        self.setAttribute(Qt.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WA_NoSystemBackground)
        self.rect_ = QRect()

    def paintEvent(self, _event) -> None:
        th = theme.current()
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        dim = QColor("#000000")
        dim.setAlpha(70 if th.name == "light" else 110)
        outside = QRect(self.rect())
        for r in (QRect(outside.left(), outside.top(), outside.width(), self.rect_.top()),
                  QRect(outside.left(), self.rect_.bottom() + 1, outside.width(),
                        outside.bottom() - self.rect_.bottom()),
                  QRect(outside.left(), self.rect_.top(), self.rect_.left(), self.rect_.height()),
                  QRect(self.rect_.right() + 1, self.rect_.top(),
                        outside.right() - self.rect_.right(), self.rect_.height())):
            if r.isValid():
                p.fillRect(r, dim)
        pen = QPen(QColor(th.accent), 4)
        p.setPen(pen)
        p.drawRoundedRect(self.rect_.adjusted(2, 2, -2, -2), 6, 6)
        p.end()


class Tour(QObject):
    """One walk through the window's docks (``window.docks`` order)."""

    sigStepChanged = Signal(int)
    sigFinished = Signal()

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.steps = list(window.docks)
        self.index = -1
        self._was_hidden: list[str] = []
        self._was_front: list[str] = []
        self._watched = None
        self.highlight = _Highlight(window)
        self.bubble = QFrame(window)
        self.bubble.setObjectName("tourBubble")
        self.bubble.setFrameShape(QFrame.StyledPanel)
        layout = QVBoxLayout(self.bubble)
        layout.setContentsMargins(12, 10, 12, 10)
        self.step_label = QLabel()
        self.step_label.setObjectName("tourStep")
        self.title_label = QLabel()
        self.title_label.setObjectName("tourTitle")
        self.text_label = QLabel()
        self.text_label.setObjectName("tourText")
        self.text_label.setWordWrap(True)
        buttons = QHBoxLayout()
        self.back_button = QPushButton()
        self.back_button.setObjectName("tourBack")
        self.next_button = QPushButton()
        self.next_button.setObjectName("tourNext")
        self.next_button.setDefault(True)
        self.close_button = QPushButton()
        self.close_button.setObjectName("tourClose")
        buttons.addWidget(self.close_button)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        for w in (self.step_label, self.title_label, self.text_label):
            layout.addWidget(w)
        layout.addLayout(buttons)
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        self.close_button.clicked.connect(self.finish)
        for key, slot in ((Qt.Key_Escape, self.finish), (Qt.Key_Right, self.next),
                          (Qt.Key_Left, self.back), (Qt.Key_Return, self.next)):
            sc = QShortcut(QKeySequence(key), self.bubble, slot)
            sc.setContext(Qt.WidgetWithChildrenShortcut)
        self.bubble.setFixedWidth(BUBBLE_WIDTH)
        self.highlight.hide()
        self.bubble.hide()
        window.installEventFilter(self)
        i18n.notifier.languageChanged.connect(self._on_language_changed)

    # ------------------------------------------------------------------ state
    @property
    def active(self) -> bool:
        return self.index >= 0

    @property
    def current_dock(self):
        return self.window.docks[self.steps[self.index]] if self.active else None

    @property
    def highlight_rect(self) -> QRect:
        return QRect(self.highlight.rect_)

    # ------------------------------------------------------------------ navigation
    def start(self) -> None:
        docks = self.window.docks
        self._was_hidden = [n for n, d in docks.items() if d.isHidden()]
        self._was_front = [n for n, d in docks.items()
                           if not d.isHidden() and not d.visibleRegion().isEmpty()]
        self.highlight.setGeometry(self.window.rect())
        self.highlight.show()
        self.bubble.show()
        self.go(0)

    def go(self, index: int) -> None:
        if not self.steps:
            return self.finish()
        self.index = max(0, min(index, len(self.steps) - 1))
        dock = self.current_dock
        if dock.isHidden():
            dock.show()
        dock.raise_()
        self._watch(dock)
        self.retranslate()
        self.reposition()
        self.next_button.setFocus(Qt.OtherFocusReason)
        self.sigStepChanged.emit(self.index)

    def next(self) -> None:
        if not self.active:
            return
        if self.index >= len(self.steps) - 1:
            self.finish()
        else:
            self.go(self.index + 1)

    def back(self) -> None:
        if self.active and self.index > 0:
            self.go(self.index - 1)

    def finish(self) -> None:
        if not self.active and not self.bubble.isVisible():
            return
        self.index = -1
        self._watch(None)
        self.highlight.hide()
        self.bubble.hide()
        docks = self.window.docks
        for name in self._was_front:
            if name in docks:
                docks[name].raise_()
        for name in self._was_hidden:
            if name in docks:
                docks[name].hide()
        try:
            i18n.notifier.languageChanged.disconnect(self._on_language_changed)
        except (RuntimeError, TypeError):
            pass
        self.window.removeEventFilter(self)
        self.sigFinished.emit()

    # ------------------------------------------------------------------ drawing
    def retranslate(self) -> None:
        if not self.active:
            return
        from explorer.ui.help_content import tour_text

        tr = i18n.tr
        dock = self.current_dock
        n = len(self.steps)
        self.step_label.setText(tr("Step {index} of {count}").format(index=self.index + 1, count=n))
        self.title_label.setText(f"<b>{dock.windowTitle()}</b>")
        self.text_label.setText(tour_text(dock.objectName(), dock.windowTitle()))
        self.back_button.setText(tr("← &Back"))
        self.back_button.setToolTip(tr("Previous panel (←)"))
        self.back_button.setEnabled(self.index > 0)
        last = self.index == n - 1
        self.next_button.setText(tr("&Finish") if last else tr("&Next →"))
        self.next_button.setToolTip(tr("End the tour") if last else tr("Next panel (→ or Enter)"))
        self.close_button.setText(tr("&Close"))
        self.close_button.setToolTip(tr("Stop the tour (Esc)"))
        th = theme.current()
        self.bubble.setStyleSheet(
            f"QFrame#tourBubble {{ background: {th.background}; border: 2px solid {th.accent};"
            f" border-radius: 8px; }} QLabel {{ color: {th.foreground}; border: none; }}")
        self.bubble.adjustSize()

    def reposition(self) -> None:
        if not self.active:
            return
        win = self.window.rect()
        self.highlight.setGeometry(win)
        r = dock_rect(self.window, self.current_dock).intersected(win)
        self.highlight.rect_ = r
        self.highlight.raise_()
        self.highlight.update()
        self.bubble.adjustSize()
        bw, bh = self.bubble.width(), self.bubble.height()
        # beside the dock if there is room, else inside it near the bottom
        if r.right() + MARGIN + bw <= win.right():
            x = r.right() + MARGIN
        elif r.left() - MARGIN - bw >= win.left():
            x = r.left() - MARGIN - bw
        else:
            x = r.left() + max(MARGIN, (r.width() - bw) // 2)
        y = r.top() + MARGIN if x >= r.right() or x + bw <= r.left() else \
            r.bottom() - bh - MARGIN
        x = max(win.left() + MARGIN, min(x, win.right() - bw - MARGIN))
        y = max(win.top() + MARGIN, min(y, win.bottom() - bh - MARGIN))
        self.bubble.move(x, y)
        self.bubble.raise_()

    def _watch(self, dock) -> None:
        if self._watched is not None:
            self._watched.removeEventFilter(self)
        self._watched = dock
        if dock is not None:
            dock.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if self.active and event.type() in (QEvent.Resize, QEvent.Move, QEvent.Show):
            self.reposition()
        return False

    def _on_language_changed(self, _lang: str) -> None:
        self.retranslate()
        self.reposition()
