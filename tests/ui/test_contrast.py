"""Every control can be seen: its outline (a check box's indicator, a field's, a button's or a
slider handle's frame) reaches at least 3:1 contrast against the background it sits on, in both
themes, measured on the rendered pixels of the real window (issue 21, item 6; WCAG 2.1, 1.4.11)."""
import numpy as np
import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (QAbstractButton, QAbstractSpinBox, QCheckBox, QComboBox, QLineEdit,
                               QPushButton, QRadioButton, QSlider, QStyle, QStyleOptionButton,
                               QToolButton, QWidget)

from explorer.ui import theme


@pytest.fixture(autouse=True)
def _back_to_light():
    yield
    theme.apply_app(theme.LIGHT)


def luminance(rgb) -> np.ndarray:
    """WCAG relative luminance of sRGB colours (…, 3) in 0..255."""
    v = np.asarray(rgb, dtype=float) / 255.0
    v = np.where(v <= 0.03928, v / 12.92, ((v + 0.055) / 1.055) ** 2.4)
    return v @ np.array([0.2126, 0.7152, 0.0722])


def contrast(a, b) -> np.ndarray:
    la, lb = luminance(a), luminance(b)
    hi, lo = np.maximum(la, lb), np.minimum(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_formula_matches_wcag_examples():
    assert contrast([0, 0, 0], [255, 255, 255]) == pytest.approx(21.0)
    assert contrast([0x76] * 3, [255] * 3) == pytest.approx(4.54, abs=0.01)
    assert contrast([0x77] * 3, [0x77] * 3) == pytest.approx(1.0)


def _ring_pixels(img, rect: QRect, width: int = 2) -> np.ndarray:
    """RGB of the pixels on the outer *width*-pixel ring of *rect* (device pixels)."""
    dpr = img.devicePixelRatio()
    x0, y0 = int(rect.left() * dpr), int(rect.top() * dpr)
    x1, y1 = int((rect.right() + 1) * dpr) - 1, int((rect.bottom() + 1) * dpr) - 1
    w = max(1, int(width * dpr))
    out = []
    for x in range(x0, x1 + 1):
        for y in list(range(y0, y0 + w)) + list(range(y1 - w + 1, y1 + 1)):
            c = img.pixelColor(x, y)
            out.append((c.red(), c.green(), c.blue()))
    for y in range(y0, y1 + 1):
        for x in list(range(x0, x0 + w)) + list(range(x1 - w + 1, x1 + 1)):
            c = img.pixelColor(x, y)
            out.append((c.red(), c.green(), c.blue()))
    return np.array(out)


def _outline_rect(widget) -> QRect:
    if isinstance(widget, (QCheckBox, QRadioButton)):
        opt = QStyleOptionButton()
        widget.initStyleOption(opt)
        element = (QStyle.SE_CheckBoxIndicator if isinstance(widget, QCheckBox)
                   else QStyle.SE_RadioButtonIndicator)
        return widget.style().subElementRect(element, opt, widget)
    if isinstance(widget, QSlider):
        from PySide6.QtWidgets import QStyleOptionSlider
        opt = QStyleOptionSlider()
        widget.initStyleOption(opt)
        return widget.style().subControlRect(QStyle.CC_Slider, opt, QStyle.SC_SliderHandle, widget)
    return widget.rect()


def _controls(window):
    kinds = (QCheckBox, QRadioButton, QAbstractSpinBox, QComboBox, QLineEdit, QPushButton,
             QToolButton, QSlider)
    for w in window.findChildren(QWidget):
        if not isinstance(w, kinds) or not w.isVisible() or w.width() < 8 or w.height() < 8:
            continue
        if not w.isEnabled():
            continue                                       # WCAG exempts inactive controls
        if isinstance(w, QLineEdit) and isinstance(w.parent(), (QAbstractSpinBox, QComboBox)):
            continue                                       # the field's own frame counts
        if isinstance(w, QToolButton) and (w.autoRaise() or w.parent().inherits("QTabBar")
                                           or w.objectName().startswith("qt_")):
            continue                                       # flat tool buttons have no outline
        if isinstance(w, QAbstractButton) and w.parent() is not None and \
                w.parent().inherits("QDockWidget"):
            continue                                       # dock title buttons: Qt's own
        if isinstance(w, QPushButton) and w.isFlat():
            continue
        yield w


@pytest.mark.parametrize("name", ["light", "dark"])
def test_every_control_outline_reaches_3_to_1(window, qtbot, name):
    window.prefs.theme_actions[name].trigger()             # View → Theme, as a user does
    assert theme.current().name == name
    qtbot.wait(30)
    checked = {}
    failures = []
    for w in _controls(window):
        bg = w.palette().color(QPalette.Window)
        img = w.grab().toImage()
        ring = _ring_pixels(img, _outline_rect(w))
        best = float(contrast(ring, [bg.red(), bg.green(), bg.blue()]).max())
        kind = type(w).__name__
        checked[kind] = checked.get(kind, 0) + 1
        if best < 3.0:
            failures.append(f"{kind} {w.objectName() or w.text() if hasattr(w, 'text') else ''}: "
                            f"{best:.2f}:1")
    assert {"QCheckBox", "QComboBox", "QLineEdit"} <= set(checked), checked
    assert any(k in checked for k in ("QSpinBox", "QDoubleSpinBox")), checked
    assert not failures, "\n".join(failures)
