"""Fusion with control outlines that can be seen: at least 3:1 against their background.

Fusion draws the frame of a check box, a radio button, a field or a button from the window
colour darkened a little — about 1.3:1 against a dark window, so in the dark theme an unchecked
check box was a black square on dark grey, and even the light theme's outlines reach only about
2:1.  :class:`ContrastStyle` lets Fusion draw everything as usual, then strokes the outline of
those controls again in the theme's ``control_border`` colour, which
:func:`explorer.ui.theme.apply_app` hands it (WCAG 2.1 asks 3:1 for the parts of a control that
say what and where it is).
"""
from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QProxyStyle, QStyle, QStyleFactory, QStyleOptionButton

_RADIUS = 2.0


class ContrastStyle(QProxyStyle):
    """Fusion plus outlines in the theme's ``control_border`` colour."""

    def __init__(self, border: str = "#767676"):
        super().__init__(QStyleFactory.create("Fusion"))
        self._border = QColor(border)

    def set_border(self, colour: str) -> None:
        """The outline colour (the theme's ``control_border``)."""
        self._border = QColor(colour)

    # ------------------------------------------------------------------ helpers
    def _pen(self, option) -> QPen:
        colour = QColor(self._border)
        if not option.state & QStyle.State_Enabled:
            colour.setAlpha(110)          # disabled controls may fade, as the text does
        pen = QPen(colour)
        pen.setWidthF(1.0)
        pen.setCosmetic(True)
        return pen

    def _outline(self, painter: QPainter, option, rect, round_=False) -> None:
        painter.save()
        painter.setRenderHint(QPainter.Antialiasing, True)
        painter.setPen(self._pen(option))
        painter.setBrush(Qt.NoBrush)
        r = QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5)
        if round_:
            painter.drawEllipse(r)
        else:
            painter.drawRoundedRect(r, _RADIUS, _RADIUS)
        painter.restore()

    # ------------------------------------------------------------------ QStyle overrides
    def drawPrimitive(self, element, option, painter, widget=None):
        super().drawPrimitive(element, option, painter, widget)
        if element == QStyle.PE_IndicatorCheckBox:
            self._outline(painter, option, option.rect)
        elif element == QStyle.PE_IndicatorRadioButton:
            self._outline(painter, option, option.rect, round_=True)
        elif element == QStyle.PE_FrameLineEdit and option.rect.height() > 6:
            self._outline(painter, option, option.rect)

    def drawControl(self, element, option, painter, widget=None):
        super().drawControl(element, option, painter, widget)
        if element == QStyle.CE_PushButtonBevel and not (
                option.features & QStyleOptionButton.ButtonFeature.Flat):
            self._outline(painter, option, option.rect)

    def drawComplexControl(self, control, option, painter, widget=None):
        super().drawComplexControl(control, option, painter, widget)
        if control in (QStyle.CC_SpinBox, QStyle.CC_ComboBox):
            if getattr(option, "frame", True):
                self._outline(painter, option, option.rect)
        elif control == QStyle.CC_Slider:
            handle = self.subControlRect(control, option, QStyle.SC_SliderHandle, widget)
            self._outline(painter, option, handle)
        elif control == QStyle.CC_ToolButton and not option.state & QStyle.State_AutoRaise:
            self._outline(painter, option, option.rect)
