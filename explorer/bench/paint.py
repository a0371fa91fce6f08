"""Bring a window's pixels up to date after an edit, the way the event loop would."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def flush_paint(window=None) -> None:
    """Deliver pending events until every widget marked dirty by the edit has painted.

    pyqtgraph schedules scene updates with a queued call, which in turn posts the viewport's
    UpdateRequest, so two turns of the event loop are needed; only dirty widgets repaint, as in
    the running app.  (*window* is accepted for symmetry; the whole application is flushed.)
    """
    QCoreApplication.processEvents()
    QCoreApplication.processEvents()
