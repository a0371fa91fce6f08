"""Texts Qt's own widgets set once, at construction, and never update on a language switch.

``explorer.i18n`` installs Qt's catalogue (``qtbase_zh_CN``) so message boxes, file dialogs and
context menus speak the chosen language; but the accessible names of a dock's float/close
buttons and of a tab bar's scroll arrows are set when the widget is built.  :func:`retranslate`
sets them again through Qt's own catalogue (same context and source text as Qt uses).
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QAbstractButton, QDockWidget, QTabBar, QWidget

#: (parent widget class, button objectName, Qt translation context, Qt source text)
_BUTTONS = (
    (QDockWidget, "qt_dockwidget_floatbutton", "QDockWidget", "Float"),
    (QDockWidget, "qt_dockwidget_closebutton", "QDockWidget", "Close"),
    (QTabBar, "ScrollLeftButton", "QTabBar", "Scroll Left"),
    (QTabBar, "ScrollRightButton", "QTabBar", "Scroll Right"),
)


def retranslate(root: QWidget) -> None:
    """Re-apply Qt's translations to the built-in buttons under *root*."""
    for cls, name, context, text in _BUTTONS:
        for parent in root.findChildren(cls):
            for button in parent.findChildren(QAbstractButton, name):
                button.setAccessibleName(QCoreApplication.translate(context, text))
