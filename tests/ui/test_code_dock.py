"""The Code panel in the real window: a tab with the readouts, real clicks on its Copy buttons
(the clipboard checked), keyboard use, the library filter, and the snippets following a drag of
p, the unit, the precision and the language."""
import math

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QApplication

from explorer import i18n


@pytest.fixture
def code(window, qtbot):
    dock = window.docks["codeDock"]
    dock.raise_()
    qtbot.wait(30)
    yield dock
    i18n.set_language("en")


def view_text(dock, key):
    return dock.blocks[key].view.toPlainText()


def test_code_is_a_tab_with_the_readouts(window, code):
    assert code in window.tabifiedDockWidgets(window.docks["readoutsDock"])
    assert code.windowTitle() == "Code"
    for block in code.blocks.values():
        view = block.view
        assert view.isReadOnly() and view.textInteractionFlags() & Qt.TextSelectableByKeyboard
        assert QFontInfo(view.font()).fixedPitch()
        assert view.verticalScrollBar().maximum() == 0          # as tall as its code
    assert "p = np.array([0.0, 1.0, 0.0])" in view_text(code, "numpy")


def test_copy_button_puts_the_snippet_on_the_clipboard(window, code, qtbot):
    window.model.set_distributions([0.5, 0.25, 0.25], [0.25, 0.5, 0.25])
    QApplication.clipboard().setText("")
    block = code.blocks["torch_kl"]
    code.scroll.ensureWidgetVisible(block.copy_button)
    qtbot.wait(20)
    qtbot.mouseClick(block.copy_button, Qt.LeftButton)
    text = QApplication.clipboard().text()
    assert text == view_text(code, "torch_kl") + "\n"
    assert "q = torch.tensor([0.25, 0.5, 0.25], dtype=torch.float64)" in text
    kl = 0.5 * math.log(0.5 / 0.25) + 0.25 * math.log(0.25 / 0.5)
    assert f"app: D_KL(p ‖ q) = {kl:.4f} nats" in text
    compile(text, "clipboard", "exec")
    assert "PyTorch: nn.KLDivLoss" in code.status.text() and code.status.isVisible()


def test_copy_all_is_one_runnable_script(window, code, qtbot):
    QApplication.clipboard().setText("")
    qtbot.mouseClick(code.copy_all_button, Qt.LeftButton)
    text = QApplication.clipboard().text()
    compile(text, "clipboard", "exec")
    for title in ("NumPy", "SciPy", "scikit-learn", "PyTorch"):
        assert f"# {'=' * 20} {title} {'=' * 20}" in text
    for key, block in code.blocks.items():
        assert block.view.toPlainText().splitlines()[-1].strip() in text, key
    assert "14 snippets" in code.status.text()


def test_keyboard_filter_and_copy_all(window, code, qtbot):
    combo = code.lib_combo
    combo.setFocus(Qt.OtherFocusReason)
    qtbot.keyClick(combo, Qt.Key_End)                        # "PyTorch", the last choice
    assert combo.currentData() == "torch" and code.libs == ("torch",)
    qtbot.wait(20)
    assert not code.blocks["numpy"].isVisible() and code.blocks["torch_bce"].isVisible()
    assert code.pitfall_heading.isVisible()
    qtbot.keyClick(combo, Qt.Key_Up)                         # scikit-learn
    assert code.libs == ("sklearn",) and not code.blocks["torch_bce"].isVisible()
    # Tab from the filter reaches "Copy all"; Space presses it
    qtbot.keyClick(combo, Qt.Key_Tab)
    assert QApplication.focusWidget() is code.copy_all_button
    QApplication.clipboard().setText("")
    qtbot.keyClick(code.copy_all_button, Qt.Key_Space)
    text = QApplication.clipboard().text()
    assert "log_loss" in text and "import torch" not in text and "np.errstate" not in text
    # Tab moves through the snippets' buttons and views too (a view does not swallow Tab)
    block = code.blocks["sklearn_categorical"]
    block.copy_button.setFocus(Qt.OtherFocusReason)
    qtbot.keyClick(block.copy_button, Qt.Key_Tab)
    assert QApplication.focusWidget() is block.view
    qtbot.keyClick(block.view, Qt.Key_Tab)
    assert QApplication.focusWidget() is code.blocks["sklearn_binary"].copy_button


def _drag_p_bar(window, qtbot, index, value):
    pw = window.docks["pEditorDock"].plot
    start = pw.map_to_widget(index, float(window.model.p[index])).toPoint()
    end = pw.map_to_widget(index, value).toPoint()
    qtbot.mousePress(pw.viewport(), Qt.LeftButton, pos=start)
    for k in (1, 2, 3):
        pt = start + (end - start) * k / 3
        if k == 1 and abs(pt.y() - start.y()) < 6:
            pt.setY(start.y() + (6 if end.y() >= start.y() else -6))
        qtbot.mouseMove(pw.viewport(), pos=pt)
    qtbot.mouseRelease(pw.viewport(), Qt.LeftButton, pos=end)


def test_snippets_follow_a_drag_of_p(window, code, qtbot):
    model = window.model
    before = view_text(code, "numpy")
    _drag_p_bar(window, qtbot, 0, 0.6)
    qtbot.wait(20)
    assert model.p[0] > 0.3                                  # the drag moved p
    after = view_text(code, "numpy")
    assert after != before
    line = next(ln for ln in after.splitlines() if ln.startswith("p = np.array("))
    assert np.array_equal(np.array(eval(line.split("(", 1)[1].rstrip(")"))), model.p)  # noqa: S307
    h = -sum(pi * math.log(qi) for pi, qi in zip(model.p, model.q) if pi > 0)
    assert f"app: H(p, q) = {h:.4f} nats" in after
    # a snippet out of sight during the drag caught up when the drag finished
    far = view_text(code, "pitfall_kl")
    line = next(ln for ln in far.splitlines() if ln.startswith("p = torch.tensor("))
    assert np.array_equal(np.array(eval(line.split("(", 1)[1].split("]")[0] + "]")), model.p)  # noqa: S307


def test_out_of_sight_snippets_wait_for_the_end_of_a_drag(window, code, qtbot):
    """During a drag only the snippets in sight are regenerated; scrolling to another one
    brings it up to date at once."""
    model = window.model
    code.scroll.verticalScrollBar().setValue(0)
    qtbot.wait(20)
    far = code.blocks["pitfall_kl"]
    assert far.visibleRegion().isEmpty()
    before = far.view.toPlainText()
    model.set_p([0.2, 0.5, 0.3], finished=False)
    assert "p = np.array([0.2, 0.5, 0.3])" in view_text(code, "numpy")
    assert far.view.toPlainText() == before
    code.scroll.ensureWidgetVisible(far.view)
    qtbot.wait(20)
    assert "p = torch.tensor([0.2, 0.5, 0.3], dtype=torch.float64)" in far.view.toPlainText()
    model.set_p([0.1, 0.6, 0.3], finished=True)
    assert "p = torch.tensor([0.1, 0.6, 0.3], dtype=torch.float64)" in far.view.toPlainText()
    assert "p = np.array([0.1, 0.6, 0.3])" in view_text(code, "numpy")


def test_snippets_follow_unit_and_precision(window, code, qtbot):
    readouts = window.docks["readoutsDock"]
    readouts.raise_()
    qtbot.wait(20)
    combo = readouts.unit_combo
    combo.setFocus(Qt.OtherFocusReason)
    qtbot.keyClick(combo, Qt.Key_Home)                       # bits, the first unit
    assert window.model.unit == "bits"
    spin = readouts.precision_spin
    spin.setFocus(Qt.OtherFocusReason)
    spin.selectAll()
    qtbot.keyClicks(spin, "6")
    qtbot.keyClick(spin, Qt.Key_Return)
    assert window.model.precision == 6
    code.raise_()
    qtbot.wait(30)
    text = view_text(code, "numpy")
    h = math.log(1 / 0.4)
    assert f"app: H(p, q) = {h:.6f} nats = {h / math.log(2):.6f} bits" in text
    assert f'print("numpy.H(p,q) [bits] =", CE(p, q) / b)  # app: H(p, q) = {h / math.log(2):.6f} bits' in text
    assert "entropy(p, q, base=2)" in view_text(code, "scipy")


def test_chinese_texts_and_themes(window, code, qtbot):
    window.prefs.language_actions["zh"].trigger()
    qtbot.wait(20)
    assert code.windowTitle() == "代码"
    assert code.copy_all_button.text().startswith("全部复制")
    assert code.blocks["numpy"].title.text() == "NumPy：公式"
    assert "# p：真实分布，q：模型的预测" in view_text(code, "numpy")
    assert "应用：H(p, q) = " in view_text(code, "numpy")
    # comment colours readable on both backgrounds
    from PySide6.QtGui import QColor
    from explorer.ui import theme
    def luminance(c):       # WCAG relative luminance
        lin = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
               for v in (c.redF(), c.greenF(), c.blueF())]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    for th in (theme.LIGHT, theme.DARK):
        theme.apply_to_window(window, th)
        hl = code.blocks["numpy"].view.highlighter
        bg = luminance(QColor(th.background))
        for fmt in (hl.comment, hl.string):
            fg = luminance(fmt.foreground().color())
            assert (max(fg, bg) + 0.05) / (min(fg, bg) + 0.05) >= 4.5, th.name
    theme.apply_to_window(window, theme.LIGHT)
