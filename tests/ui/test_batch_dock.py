"""The batch table (issue 17): the articles' batch loss row by row, edited with real clicks
and keys, checked against scikit-learn's log_loss and the articles' numbers."""
import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sklearn.metrics import log_loss


@pytest.fixture
def dock(window, qtbot):
    d = window.docks["batchDock"]
    d.raise_()
    qtbot.waitUntil(lambda: d.table.isVisible())
    return d


def click(qtbot, w):
    qtbot.mouseClick(w, Qt.LeftButton, pos=w.rect().center())


def _type_into(qtbot, table, row, col, text):
    """Click the cell, press F2 to edit it, type over its text and press Enter."""
    rect = table.visualItemRect(table.item(row, col))
    qtbot.mouseClick(table.viewport(), Qt.LeftButton, pos=rect.center())
    qtbot.keyClick(table, Qt.Key_F2)
    editor = QApplication.focusWidget()
    assert editor is not table, "no cell editor opened"
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key_Return)
    qtbot.waitUntil(lambda: table.state() != table.State.EditingState)   # the commit is queued
    qtbot.wait(20)


def test_the_credit_card_example(dock, model, qtbot):
    click(qtbot, dock.preset_credit)
    assert model.batch_table.mode == "binary" and dock.binary_radio.isChecked()
    num = model.batch_numbers
    assert num.loss == pytest.approx(0.289909, abs=1e-6)
    assert num.loss == pytest.approx(log_loss([1, 0], [0.7, 0.2]), rel=1e-12)
    assert "0.289909" in dock.result.text()
    assert dock.table.item(0, 2).text() == f"{-np.log(0.7):.4f}"


def test_the_mastiff_and_horse_photos(dock, model, qtbot):
    click(qtbot, dock.preset_photos)
    assert dock.categorical_radio.isChecked()
    num = model.batch_numbers
    assert num.terms == pytest.approx([0.916291, 0.248461], abs=1e-6)
    assert num.loss == pytest.approx(0.582376, abs=1e-6)
    ref = log_loss([1, 2], [[0.4, 0.4, 0.2], [0.1, 0.12, 0.78]], labels=[0, 1, 2])
    assert num.loss == pytest.approx(ref, rel=1e-12)
    assert "a(dog)" in dock.table.horizontalHeaderItem(2).text()


def test_typing_a_prediction_updates_the_row_and_the_mean(dock, model, qtbot):
    click(qtbot, dock.preset_credit)
    _type_into(qtbot, dock.table, 0, 1, "90%")
    assert model.batch_table.binary[0] == (1.0, 0.9)
    expected = log_loss([1, 0], [0.9, 0.2])
    assert model.batch_numbers.loss == pytest.approx(expected, rel=1e-12)
    _type_into(qtbot, dock.table, 1, 1, "abc")          # refused with a message, nothing changes
    assert dock.error.isVisible() and "abc" in dock.error.text()
    assert model.batch_table.binary[1] == (0.0, 0.2) and dock.table.item(1, 1).text() == "0.2000"


def test_a_categorical_row_stays_a_distribution(dock, model, qtbot):
    click(qtbot, dock.preset_photos)
    _type_into(qtbot, dock.table, 0, 2, "0.7")          # a(dog) of the mastiff row
    a = np.array(model.batch_table.categorical[0][1])
    assert a[1] == 0.7 and a.sum() == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_allclose(a[[0, 2]], [0.2, 0.1], atol=1e-12)   # the others in proportion
    assert model.batch_numbers.terms[0] == pytest.approx(-np.log(0.7))
    combo = dock.table.cellWidget(0, 0)
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key_Down)                   # true class dog -> horse
    assert model.batch_table.categorical[0][0] == 2
    assert model.batch_numbers.terms[0] == pytest.approx(-np.log(a[2]))


def test_rows_are_added_and_removed(dock, model, qtbot):
    click(qtbot, dock.preset_credit)
    click(qtbot, dock.add_btn)
    assert len(model.batch_table.binary) == 3 and dock.table.rowCount() == 3
    dock.table.setCurrentCell(0, 0)
    click(qtbot, dock.remove_btn)
    assert model.batch_table.binary == ((0.0, 0.2), (1.0, 0.5))
    click(qtbot, dock.remove_btn)
    click(qtbot, dock.remove_btn)                         # the last row stays, with a message
    assert len(model.batch_table.binary) == 1 and dock.error.isVisible()


def test_a_confident_wrong_prediction_is_infinite_but_finite_for_log_loss(dock, model, qtbot):
    click(qtbot, dock.preset_credit)
    _type_into(qtbot, dock.table, 0, 1, "0")              # y = 1 but a = 0
    num = model.batch_numbers
    assert num.loss == np.inf and np.isfinite(num.sklearn_loss)
    assert num.sklearn_loss == pytest.approx(log_loss([1, 0], [0.0, 0.2]), rel=1e-12)
    assert "clipping" in dock.result.text()
