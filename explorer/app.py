"""QApplication bootstrap shared by the GUI, ``screenshot``, ``bench`` and the tests."""
from __future__ import annotations

import os
import sys

from explorer import desktop, resources


def ensure_platform(headless: bool = False) -> None:
    """Use the offscreen platform when asked to, or when there is no display at all."""
    if "QT_QPA_PLATFORM" in os.environ:
        return
    no_display = sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if headless or no_display:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


ICON_PATH = resources.path("icons", "app.svg")

_QUIET = ("propagateSizeHints",)


def _message_handler(mode, context, message):
    if any(q in message for q in _QUIET):
        return
    sys.stderr.write(message + "\n")


def get_app(headless: bool = False):
    """Return the QApplication, creating it (and configuring pyqtgraph) on first use."""
    ensure_platform(headless)
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from explorer import APP_NAME, ORG_NAME, __version__
    from explorer.ui import theme

    app = QApplication.instance()
    if app is None:
        QApplication.setOrganizationName(ORG_NAME)
        QApplication.setApplicationName("explorer")
        QApplication.setApplicationDisplayName(APP_NAME)
        QApplication.setApplicationVersion(__version__)
        QApplication.setDesktopFileName(desktop.APP_ID)   # Wayland shows the menu entry's icon
        qInstallMessageHandler(_message_handler)
        app = QApplication(sys.argv[:1])
    if app.windowIcon().isNull():
        from PySide6.QtGui import QIcon
        app.setWindowIcon(QIcon(str(ICON_PATH)))
    theme.apply_pyqtgraph()
    return app


def settle(window, ms: int = 300) -> None:
    """Show *window* and let layout and first paints finish (process events for *ms*)."""
    import time

    from PySide6.QtCore import QCoreApplication

    window.show()
    deadline = time.perf_counter() + ms / 1000
    while time.perf_counter() < deadline:
        QCoreApplication.processEvents()
        time.sleep(0.005)
