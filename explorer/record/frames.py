"""Frames grabbed from Qt as numpy arrays (the renderer and the live recorder both use it)."""
from __future__ import annotations

import numpy as np


def qimage_to_rgb(img) -> np.ndarray:
    """Copy a QImage into a new (H, W, 3) uint8 RGB array (safe after the image is freed)."""
    from PySide6.QtGui import QImage

    rgb = img.convertToFormat(QImage.Format_RGB888)     # Qt's SIMD conversion: fast
    w, h = rgb.width(), rgb.height()
    buf = np.frombuffer(rgb.constBits(), dtype=np.uint8, count=rgb.sizeInBytes())
    return buf.reshape(h, rgb.bytesPerLine())[:, : 3 * w].reshape(h, w, 3).copy()
