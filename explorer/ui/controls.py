"""Small control factories shared by the docks (one place for how a spin box behaves)."""
from __future__ import annotations

from PySide6.QtWidgets import QDoubleSpinBox, QLabel, QSpinBox


def spin(lo: float, hi: float, step: float, decimals: int = 2, name: str = "", *,
         accelerated: bool = True) -> QDoubleSpinBox:
    """A double spin box that commits on Enter / focus-out / arrow steps (no keystroke spam)."""
    box = QDoubleSpinBox(objectName=name) if name else QDoubleSpinBox()
    box.setRange(lo, hi)
    box.setSingleStep(step)
    box.setDecimals(decimals)
    box.setKeyboardTracking(False)
    box.setAccelerated(accelerated)
    return box


def int_spin(lo: int, hi: int, step: int = 1, name: str = "") -> QSpinBox:
    box = QSpinBox(objectName=name) if name else QSpinBox()
    box.setRange(lo, hi)
    box.setSingleStep(step)
    box.setKeyboardTracking(False)
    box.setAccelerated(True)
    return box


def error_label() -> QLabel:
    """A dialog's message line for a refused input: word-wrapped, in the theme's warning
    colour, hidden until there is something to say."""
    from explorer.ui import theme

    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {theme.current().warning};")
    label.hide()
    return label
