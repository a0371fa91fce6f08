"""Things drawn over recorded frames: the mouse pointer, click ripples and captions (any
language).

Captions placed ``top`` or ``bottom`` sit in a *band* of their own above or below the content
(:func:`band_height`: the frame grows by the band, so a caption never covers a control); a
caption placed explicitly (a corner, ``center`` or ``[x, y]``) is drawn over the content.

Everything is painted with a :class:`QPainter` on the frame image in *logical* pixels (the
painter is scaled by the recording scale), so a 2x recording gets crisp 2x overlays.
"""
from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF

#: Font families tried in order; the CJK ones give Chinese/Japanese captions their glyphs.
CAPTION_FAMILIES = ["DejaVu Sans", "Noto Sans", "Segoe UI", "Helvetica Neue", "Arial",
                    "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Source Han Sans SC",
                    "Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", "sans-serif"]

CAPTION_BOX = QColor(24, 26, 32, 220)
CAPTION_TEXT = QColor(255, 255, 255)
CAPTION_MARGIN = 24.0          # logical px from the frame edge
BAND_PADDING = 10.0            # logical px above and below a caption in its band
#: positions whose captions go into a band of their own
BAND_POSITIONS = ("top", "bottom")
RIPPLE_SECONDS = 0.45          # how long a click ripple grows and fades


def caption_font(pixel_size: float) -> QFont:
    font = QFont()
    font.setFamilies(CAPTION_FAMILIES)
    font.setPixelSize(max(6, int(round(pixel_size))))
    font.setWeight(QFont.DemiBold)
    font.setStyleStrategy(QFont.PreferAntialias)
    return font


def in_band(position) -> bool:
    """True if a caption at *position* goes into a band above or below the content."""
    return isinstance(position, str) and position in BAND_POSITIONS


def caption_box_size(text: str, frame_w: float, size: float) -> tuple[float, float]:
    """Width and height (logical px) of a caption's box in a frame *frame_w* wide."""
    font = caption_font(size)
    fm = QFontMetricsF(font)
    pad_x, pad_y = 0.8 * size, 0.45 * size
    max_text_w = max(40.0, 0.84 * frame_w - 2 * pad_x)
    flags = int(Qt.TextWordWrap | Qt.AlignHCenter)
    br = fm.boundingRect(QRectF(0, 0, max_text_w, 1e5), flags, text)
    return br.width() + 2 * pad_x, br.height() + 2 * pad_y


def band_height(captions, frame_w: float) -> float:
    """Height (logical px) of a band holding the tallest of *captions* ``(text, size)``: 0
    without captions."""
    heights = [caption_box_size(text, frame_w, size)[1] for text, size in captions]
    return (max(heights) + 2 * BAND_PADDING) if heights else 0.0


def caption_rect(text: str, position, frame_w: float, frame_h: float, size: float) -> tuple[QRectF, QRectF]:
    """Box and text rectangles (logical px) of a caption at *position* in a frame."""
    pad_x, pad_y = 0.8 * size, 0.45 * size
    box_w, box_h = caption_box_size(text, frame_w, size)
    m = CAPTION_MARGIN
    if isinstance(position, (tuple, list)):
        cx, cy = position[0] * frame_w, position[1] * frame_h
        x, y = cx - box_w / 2, cy - box_h / 2
    else:
        vertical, _, horizontal = position.partition("-")
        if position == "center":
            vertical, horizontal = "center", "center"
        horizontal = horizontal or "center"
        x = {"left": m, "right": frame_w - m - box_w}.get(horizontal, (frame_w - box_w) / 2)
        y = {"top": m, "bottom": frame_h - m - box_h}.get(vertical, (frame_h - box_h) / 2)
    x = min(max(x, 0.0), max(0.0, frame_w - box_w))
    y = min(max(y, 0.0), max(0.0, frame_h - box_h))
    box = QRectF(x, y, box_w, box_h)
    return box, box.adjusted(pad_x, pad_y, -pad_x, -pad_y)


def draw_caption(painter: QPainter, text: str, position, frame_w: float, frame_h: float,
                 size: float, alpha: float, point=None, accent: str = "#CC79A7") -> None:
    """A rounded dark box with white text, faded by *alpha*; with *point* (logical px) an arrow
    from the box to that point (a callout)."""
    if alpha <= 0.0:
        return
    box, text_rect = caption_rect(text, position, frame_w, frame_h, size)
    painter.save()
    painter.setOpacity(max(0.0, min(1.0, alpha)))
    painter.setRenderHint(QPainter.Antialiasing, True)
    painter.setRenderHint(QPainter.TextAntialiasing, True)
    if point is not None:
        _draw_arrow(painter, box, QPointF(*point), QColor(accent), size)
    painter.setPen(Qt.NoPen)
    painter.setBrush(QBrush(CAPTION_BOX))
    radius = 0.35 * size
    painter.drawRoundedRect(box, radius, radius)
    painter.setFont(caption_font(size))
    painter.setPen(CAPTION_TEXT)
    painter.drawText(text_rect, int(Qt.TextWordWrap | Qt.AlignHCenter | Qt.AlignVCenter), text)
    painter.restore()


class CaptionSprite:
    """A caption's box and text painted once into an image, then drawn each frame with its
    opacity (much cheaper than re-rasterising rounded boxes and glyphs every frame)."""

    def __init__(self, text: str, position, frame_w: float, frame_h: float, size: float,
                 scale: float = 1.0, offset: tuple[float, float] = (0.0, 0.0)):
        from PySide6.QtGui import QImage

        box, _ = caption_rect(text, position, frame_w, frame_h, size)
        self.box = box.translated(*offset)
        self.size = size
        w = int(math.ceil(self.box.width() * scale)) + 2
        h = int(math.ceil(self.box.height() * scale)) + 2
        self.image = QImage(w, h, QImage.Format_ARGB32_Premultiplied)
        self.image.fill(Qt.transparent)
        self.image.setDevicePixelRatio(scale)
        p = QPainter(self.image)
        p.translate(-box.x(), -box.y())
        draw_caption(p, text, position, frame_w, frame_h, size, 1.0)
        p.end()

    def draw(self, painter: QPainter, alpha: float, point=None, accent: str = "#CC79A7") -> None:
        if alpha <= 0.0:
            return
        painter.save()
        painter.setOpacity(max(0.0, min(1.0, alpha)))
        if point is not None:
            painter.setRenderHint(QPainter.Antialiasing, True)
            _draw_arrow(painter, self.box, QPointF(*point), QColor(accent), self.size)
        painter.drawImage(QPointF(self.box.x(), self.box.y()), self.image)
        painter.restore()


def _draw_arrow(painter: QPainter, box: QRectF, tip: QPointF, color: QColor, size: float) -> None:
    c = box.center()
    # start on the box edge nearest to the tip
    sx = min(max(tip.x(), box.left() + 8), box.right() - 8)
    sy = box.top() if tip.y() < box.top() else box.bottom() if tip.y() > box.bottom() else c.y()
    if box.top() <= tip.y() <= box.bottom():
        sx = box.left() if tip.x() < box.left() else box.right()
    start = QPointF(sx, sy)
    pen = QPen(color, max(2.0, size / 9.0))
    pen.setCapStyle(Qt.RoundCap)
    painter.setPen(pen)
    painter.drawLine(start, tip)
    painter.setBrush(color)
    painter.setPen(Qt.NoPen)
    r = max(4.0, size / 4.5)
    painter.drawEllipse(tip, r, r)


def cursor_polygon(x: float, y: float, s: float = 1.0) -> QPolygonF:
    """A classic arrow pointer with its tip at (x, y), *s* = scale (1 = 22 px tall)."""
    pts = [(0, 0), (0, 17), (4.2, 13.2), (7.2, 20), (10.2, 18.7), (7.3, 12.1), (12.6, 12.1)]
    return QPolygonF([QPointF(x + px * s, y + py * s) for px, py in pts])


def draw_cursor(painter: QPainter, x: float, y: float, pressed: bool = False, alpha: float = 1.0,
                size: float = 1.15, accent: str = "#CC79A7") -> None:
    """Draw the pointer at (x, y) logical px; a coloured ring around the tip while pressed."""
    if alpha <= 0.0:
        return
    painter.save()
    painter.setOpacity(max(0.0, min(1.0, alpha)))
    painter.setRenderHint(QPainter.Antialiasing, True)
    if pressed:
        ring = QColor(accent)
        ring.setAlpha(110)
        painter.setPen(QPen(QColor(accent), 2.0))
        painter.setBrush(ring)
        painter.drawEllipse(QPointF(x, y), 11.0 * size, 11.0 * size)
    path = QPainterPath()
    path.addPolygon(cursor_polygon(x, y, size))
    path.closeSubpath()
    painter.setPen(QPen(QColor(0, 0, 0), 1.3, Qt.SolidLine, Qt.RoundCap, Qt.RoundJoin))
    painter.setBrush(QColor(255, 255, 255))
    painter.drawPath(path)
    painter.restore()


def draw_ripple(painter: QPainter, x: float, y: float, u: float, accent: str = "#CC79A7",
                size: float = 1.15) -> None:
    """A click ripple at (x, y) logical px, *u* in [0, 1) of its life: a ring that grows from
    the pointer's tip and fades out."""
    if not 0.0 <= u < 1.0:
        return
    ease = 1.0 - (1.0 - u) ** 2
    r = (6.0 + 26.0 * ease) * size
    color = QColor(accent)
    painter.save()
    painter.setRenderHint(QPainter.Antialiasing, True)
    painter.setOpacity(max(0.0, 1.0 - u) * 0.9)
    painter.setBrush(Qt.NoBrush)
    painter.setPen(QPen(color, 3.0 * (1.0 - 0.5 * u) * size))
    painter.drawEllipse(QPointF(x, y), r, r)
    painter.restore()
