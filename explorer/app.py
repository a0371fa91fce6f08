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
    size_pixmap_cache(app)
    return app


#: the least room (in KiB) for the plots' cached axes, grids and static curves
PIXMAP_CACHE_MIN_KB = 64 * 1024


def size_pixmap_cache(app) -> int:
    """Give QPixmapCache room for every cached plot item of a full-screen window; returns the
    limit in KiB.

    The plots keep their axes with grid lines (and static curves) as device-resolution
    pixmaps (``panel_common.cache_static_items``), which Qt stores in QPixmapCache.  Its
    default 10 MiB holds them at scale 1 but not at scale 2 (the "All panels" window needs
    about 21 MiB there), and then every frame evicts and redraws them: a sampling frame took
    58 ms instead of 16 at scale 2.  Three full screens of pixels leave room for the axes'
    rectangles, which overlap their plots."""
    from PySide6.QtGui import QPixmapCache

    need = 0
    for screen in app.screens():
        size, dpr = screen.size(), screen.devicePixelRatio()
        need = max(need, int(3 * size.width() * size.height() * dpr * dpr * 4 / 1024))
    limit = max(PIXMAP_CACHE_MIN_KB, need, QPixmapCache.cacheLimit())
    QPixmapCache.setCacheLimit(limit)
    return limit


def settle(window, ms: int = 300) -> None:
    """Show *window* and let layout and first paints finish (process events for *ms*)."""
    import time

    from PySide6.QtCore import QCoreApplication

    window.show()
    deadline = time.perf_counter() + ms / 1000
    while time.perf_counter() < deadline:
        QCoreApplication.processEvents()
        time.sleep(0.005)
