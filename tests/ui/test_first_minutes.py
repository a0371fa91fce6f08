"""A new user's first ten minutes (issue 21): no silent refusals, no surprises.  Each test drives
real mouse and keyboard events."""
import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication


def _focus(qtbot, widget):
    widget.window().activateWindow()
    widget.setFocus(Qt.OtherFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget or widget.isAncestorOf(QApplication.focusWidget()))


def test_ctrl_z_undoes_the_app_edit_while_the_n_spin_box_has_focus(window, model, qtbot):
    """Item 4: Ctrl+Z did nothing while the N spin box had focus (only Edit → Undo worked)."""
    spin = window.docks["pEditorDock"].n_spin
    _focus(qtbot, spin)
    qtbot.keyClick(spin, Qt.Key_Up)                 # N 3 -> 4, applied at once
    assert model.n == 4
    qtbot.keyClick(spin, Qt.Key_Z, Qt.ControlModifier)
    assert model.n == 3 and spin.value() == 3
    qtbot.keyClick(spin, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)
    assert model.n == 4


def test_ctrl_z_inside_uncommitted_typing_undoes_the_typing_not_the_app(window, model, qtbot):
    spin = window.docks["pEditorDock"].n_spin
    model.set_p([0.2, 0.3, 0.5])                   # an app edit that Ctrl+Z could undo
    _focus(qtbot, spin)
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin, "7")                      # typed, not applied (no keyboard tracking)
    assert model.n == 3 and spin.cleanText() == "7"
    qtbot.keyClick(spin, Qt.Key_Z, Qt.ControlModifier)
    np.testing.assert_allclose(model.p, [0.2, 0.3, 0.5])     # the app edit stays
    assert spin.cleanText() == "3"                            # the typing was undone
