"""The plots' cached items (axes with their grid lines, static curves) fit in Qt's pixmap cache.

``cache_static_items`` keeps them as device-resolution pixmaps in QPixmapCache.  When the
cache is too small for the window's cached items, Qt evicts and redraws them on every frame
(a sampling frame took 58 ms instead of 16 at scale 2).  The pixels needed grow with the
square of the scale factor, so the check below sizes the "All panels" window's cached items at
scale 2 from their sizes at scale 1 (the tests run at scale 1).
"""
import pyqtgraph as pg
from PySide6.QtGui import QPixmapCache
from PySide6.QtWidgets import QGraphicsItem


def _cached_bytes(window) -> int:
    """Bytes of the on-screen parts of every cached item in the window's plots at scale 1."""
    total = 0
    for view in window.findChildren(pg.GraphicsView):
        if not view.isVisible():
            continue
        viewport = view.viewport().rect()
        for item in view.scene().items():
            if item.cacheMode() == QGraphicsItem.NoCache or not item.isVisible():
                continue
            shown = view.mapFromScene(item.sceneBoundingRect()).boundingRect() \
                .intersected(viewport)
            total += max(shown.width(), 0) * max(shown.height(), 0) * 4
    return total


def test_the_app_gives_the_pixmap_cache_room_for_every_cached_plot_item_at_scale_2(
        qtbot, window):
    from explorer.app import get_app

    get_app()                           # what the app does at start-up, on this QApplication
    window.switch_workspace("all", restore=False)
    for name in ("samplingDock", "trainingDock", "sigmoidDock", "softmaxDock"):
        window.docks[name].raise_()
    qtbot.wait(100)
    at_scale_1 = _cached_bytes(window)
    assert at_scale_1 > 1_000_000       # the measure sees the plots' cached axes
    at_scale_2 = 4 * at_scale_1
    assert QPixmapCache.cacheLimit() * 1024 >= at_scale_2, (
        f"QPixmapCache holds {QPixmapCache.cacheLimit()} KiB; the plots' cached items need "
        f"{at_scale_2 // 1024} KiB at scale 2")
