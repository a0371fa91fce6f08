"""Frames grabbed from Qt as numpy arrays, and painting the recorder's own widgets out of them
(the renderer and the live recorder both use it)."""
from __future__ import annotations

import numpy as np


def qimage_to_rgb(img) -> np.ndarray:
    """Copy a QImage into a new (H, W, 3) uint8 RGB array (safe after the image is freed)."""
    from PySide6.QtGui import QImage

    rgb = img.convertToFormat(QImage.Format_RGB888)     # Qt's SIMD conversion: fast
    w, h = rgb.width(), rgb.height()
    buf = np.frombuffer(rgb.constBits(), dtype=np.uint8, count=rgb.sizeInBytes())
    return buf.reshape(h, rgb.bytesPerLine())[:, : 3 * w].reshape(h, w, 3).copy()


def painting_parent(widget, window):
    """The ancestor of *widget* whose own painting (without children) shows what lies behind
    it: the menu bar or status bar it sits in, else the nearest ancestor that fills its
    background, else its parent."""
    from PySide6.QtWidgets import QMenuBar, QStatusBar

    w = widget.parentWidget()
    while w is not None and w is not window:
        if isinstance(w, (QMenuBar, QStatusBar)) or w.autoFillBackground():
            return w
        w = w.parentWidget()
    return widget.parentWidget() or window


def scrub_widgets(img, window, rect, widgets) -> int:
    """Paint *widgets* (visible ones inside *rect* of *window*) out of *img*, which shows *rect*
    (logical px; *img* carries its device pixel ratio): each is replaced by what its painting
    parent draws there without children.  Returns how many were painted out."""
    from PySide6.QtCore import QPoint, QRect
    from PySide6.QtGui import QPainter, QRegion
    from PySide6.QtWidgets import QWidget

    painter = None
    done = 0
    for w in widgets:
        if w is None or not w.isVisible() or w.window() is not window:
            continue
        wr = QRect(w.mapTo(window, QPoint(0, 0)), w.size())
        if not wr.intersects(rect):
            continue
        if painter is None:
            painter = QPainter(img)
        back = painting_parent(w, window)
        src = QRect(w.mapTo(back, QPoint(0, 0)), w.size())
        dest = wr.translated(-rect.topLeft())
        painter.save()
        painter.setClipRect(dest)
        painter.fillRect(dest, back.palette().window())
        back.render(painter, dest.topLeft(), QRegion(src), QWidget.RenderFlag.DrawWindowBackground)
        painter.restore()
        done += 1
    if painter is not None:
        painter.end()
    return done
