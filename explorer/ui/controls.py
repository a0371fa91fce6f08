"""Small control factories shared by the docks (one place for how a spin box behaves)."""
from __future__ import annotations

from PySide6.QtWidgets import QDoubleSpinBox, QSpinBox


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
