"""Force a synchronous repaint of a window (what the user would see after an edit)."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def flush_paint(window) -> None:
    """Deliver pending events, then repaint *window* and all its children immediately."""
    QCoreApplication.processEvents()
    window.repaint()
