"""The Play/Pause, Step and Reset buttons of a panel that runs something over time (the
training race, the sampling panel): one place for how they look and how Play turns to Pause.

The Play button's icon and text change only when the running state (or the language) does: a
new QIcon on every frame fills Qt's pixmap cache (the soak test measured 1.9 MB/min when the
training dock did that)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyle, QToolButton

from explorer import i18n


def tool_button(icon=None) -> QToolButton:
    """A compact text-and-icon button (QPushButton's style minimum width is too wide here)."""
    btn = QToolButton()
    btn.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
    btn.setFocusPolicy(Qt.StrongFocus)
    if icon is not None:
        btn.setIcon(icon)
    return btn


class Transport:
    """Three buttons named ``<prefix>Play``, ``<prefix>Step`` and ``<prefix>Reset`` that call
    *on_play*, *on_step* and *on_reset*; ``tip(running)`` gives the Play button's tooltip in
    the interface language."""

    def __init__(self, owner, prefix: str, on_play, on_step, on_reset, tip):
        style = owner.style()
        self._style = style
        self._tip = tip
        self._shown = None
        self.play = tool_button()
        self.step = tool_button(style.standardIcon(QStyle.SP_MediaSeekForward))
        self.reset = tool_button(style.standardIcon(QStyle.SP_MediaSkipBackward))
        for btn, name, slot in ((self.play, "Play", on_play), (self.step, "Step", on_step),
                                (self.reset, "Reset", on_reset)):
            btn.setObjectName(prefix + name)
            btn.clicked.connect(slot)

    def buttons(self) -> tuple[QToolButton, QToolButton, QToolButton]:
        return self.play, self.step, self.reset

    def show_running(self, running: bool, force: bool = False) -> None:
        """Play or Pause on the button; *force* after a language switch."""
        running = bool(running)
        if not force and self._shown == running:
            return
        self._shown = running
        tr = i18n.tr
        self.play.setIcon(self._style.standardIcon(QStyle.SP_MediaPause if running
                                                   else QStyle.SP_MediaPlay))
        self.play.setText(tr("Pause") if running else tr("Play"))
        self.play.setToolTip(self._tip(running))
