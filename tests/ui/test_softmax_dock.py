"""softmaxDock: a − y bars vs scipy, the finite-difference readout, dragging logit bars with the
mouse (and cancelling), keyboard edits, targets, temperature, the derivation, linking to q."""
import re

import numpy as np
import pytest
from PySide6.QtCore import Qt
from scipy.special import softmax

from explorer.model import app_model as m
from explorer.ui.docks.softmax_dock import SoftmaxDock
from tests.ui import helpers
from tests.ui.helpers import rendered, show_dock

Z0 = np.array([2.0, 1.0, 0.1])

@pytest.fixture
def dock(qtbot, model):
    yield from show_dock(qtbot, SoftmaxDock, model, (700, 640))


def to_widget(pw, x, y):
    return pw.map_to_widget(x, y).toPoint()
def drag(qtbot, pw, start, end, steps=6, release=True):
    return helpers.drag(qtbot, pw, start, end, steps, release, to_pixel=to_widget)
def fd_value(dock):
    text = dock.fd_label.text().replace("−", "-")
    mant, exp = re.search(r"= ([\d.]+) × 10([⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+)", text).groups()
    return float(mant) * 10.0 ** int(exp.translate(str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")))


def test_gradient_bars_are_a_minus_y_and_check_is_tiny(dock, model):
    a = softmax(Z0)
    y = np.array(model.p)
    np.testing.assert_allclose(dock.prob_plot.heights, a, rtol=1e-12)
    np.testing.assert_allclose(dock.prob_plot.ghost, y)
    np.testing.assert_allclose(dock.grad_plot.heights, a - y, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(dock.logit_plot.heights, Z0)
    assert 0 < fd_value(dock) < 1e-6
    x, num = dock.grad_plot.mark_points()
    np.testing.assert_allclose(num, a - y, atol=1e-8)
    assert f"{-np.log(a[1]):.4f}" in rendered(dock.loss_label)
    # soft target y = p
    model.set_p([0.2, 0.3, 0.5])
    np.testing.assert_allclose(dock.grad_plot.heights, a - [0.2, 0.3, 0.5], atol=1e-15)
    assert fd_value(dock) < 1e-6


def test_drag_a_logit_bar_with_the_mouse(dock, model, qtbot):
    finished = []
    model.sigChangeFinished.connect(finished.append)
    # press inside cat's column (not on the bar top) and drag up by 1.5
    drag(qtbot, dock.logit_plot, (0.1, 1.0), (0.1, 2.5))
    z = model.softmax_logits
    assert z[0] == pytest.approx(3.5, abs=0.05)
    np.testing.assert_array_equal(z[1:], Z0[1:])
    assert model.softmax_focus == 0
    assert sum(m.SOFTMAX in c.kinds for c in finished) >= 1
    np.testing.assert_allclose(dock.logit_plot.heights, z)
    np.testing.assert_allclose(dock.grad_plot.heights, softmax(z) - model.p, atol=1e-15)
    # pressing between bars (far from any column) does not grab a bar
    before = model.softmax_logits
    drag(qtbot, dock.logit_plot, (0.5, 1.0), (0.5, 2.0))
    np.testing.assert_array_equal(model.softmax_logits, before)


def test_right_click_and_escape_cancel_a_bar_drag(dock, model, qtbot):
    vp = dock.logit_plot.viewport()
    p1 = drag(qtbot, dock.logit_plot, (2.0, 0.05), (2.0, 1.5), release=False)
    assert model.softmax_logits[2] == pytest.approx(1.55, abs=0.05)
    qtbot.mousePress(vp, Qt.RightButton, pos=p1)
    qtbot.mouseRelease(vp, Qt.RightButton, pos=p1)
    np.testing.assert_array_equal(model.softmax_logits, Z0)
    qtbot.mouseRelease(vp, Qt.LeftButton, pos=p1)
    np.testing.assert_array_equal(model.softmax_logits, Z0)

    p1 = drag(qtbot, dock.logit_plot, (1.0, 0.5), (1.0, -0.5), release=False)
    assert model.softmax_logits[1] == pytest.approx(0.0, abs=0.05)
    qtbot.keyClick(vp, Qt.Key_Escape)
    np.testing.assert_array_equal(model.softmax_logits, Z0)
    qtbot.mouseRelease(vp, Qt.LeftButton, pos=p1)
    np.testing.assert_array_equal(model.softmax_logits, Z0)


def test_click_selects_and_keys_edit_a_logit(dock, model, qtbot):
    vp = dock.logit_plot.viewport()
    qtbot.mouseClick(vp, Qt.LeftButton, pos=to_widget(dock.logit_plot, 2.0, 0.05))
    assert model.softmax_focus == 2 and dock.logit_plot.selected == 2
    qtbot.keyClick(vp, Qt.Key_Up)
    assert model.softmax_logits[2] == pytest.approx(0.2)
    qtbot.keyClick(vp, Qt.Key_Down, Qt.ShiftModifier)
    assert model.softmax_logits[2] == pytest.approx(-0.8)
    qtbot.keyClick(vp, Qt.Key_Left)
    assert model.softmax_focus == 1 and dock.j_combo.currentIndex() == 1
    # and the spin box edits the selected logit
    spin = dock.zj_spin
    spin.setFocus()
    qtbot.keyClick(spin, Qt.Key_A, Qt.ControlModifier)
    qtbot.keyClicks(spin, "-2.5")
    qtbot.keyClick(spin, Qt.Key_Return)
    assert model.softmax_logits[1] == -2.5


def test_one_hot_target_and_length_mismatch(dock, model, qtbot):
    dock.target_combo.setFocus()
    qtbot.keyClick(dock.target_combo, Qt.Key_Down)
    assert model.softmax_target == "onehot"
    assert dock.class_combo.isEnabled()
    dock.class_combo.setCurrentIndex(0)
    assert model.softmax_target_class == 0
    np.testing.assert_array_equal(dock.prob_plot.ghost, [1, 0, 0])
    np.testing.assert_allclose(dock.grad_plot.heights, softmax(Z0) - [1, 0, 0], atol=1e-15)
    # back to y = p, then five free logits: p has only three entries
    dock.target_combo.setCurrentIndex(0)
    dock.count_spin.setValue(5)
    assert model.softmax_logits.size == 5
    assert dock.note_label.isVisible() and "one-hot" in dock.note_label.text()
    assert dock.logit_plot.heights.size == 5 and dock.grad_plot.heights.size == 5
    np.testing.assert_array_equal(dock.prob_plot.ghost, [1, 0, 0, 0, 0])


def test_temperature_divides_the_gradient(dock, model, qtbot):
    spin = dock.t_spin
    spin.setFocus()
    qtbot.keyClick(spin, Qt.Key_A, Qt.ControlModifier)
    qtbot.keyClicks(spin, "2")
    qtbot.keyClick(spin, Qt.Key_Return)
    # the panel's own T: q's temperature is not touched when the panels are not linked
    assert model.softmax_temperature == 2.0 and model.temperature == 1.0
    a = softmax(Z0 / 2.0)
    np.testing.assert_allclose(dock.prob_plot.heights, a, rtol=1e-12)
    np.testing.assert_allclose(dock.grad_plot.heights, (a - model.p) / 2.0, atol=1e-15)
    assert fd_value(dock) < 1e-6


def derivation_plain(dock) -> str:
    """What the derivation label shows, as plain text, with ASCII minus signs."""
    return rendered(dock.derivation).replace("−", "-")


def test_show_derivation_with_current_numbers(dock, model, qtbot):
    assert not dock.derivation.isVisible()
    qtbot.mouseClick(dock.derivation_button, Qt.LeftButton)
    assert dock.derivation.isVisible()
    text = derivation_plain(dock)
    a = softmax(Z0)
    j = model.softmax_focus                      # dog, the target class by default
    assert "j = dog" in text
    assert f"{a[j] * (1 - a[j]):.4f}" in text                    # q = j: a_j (1 - a_j)
    for q in (0, 2):
        assert f"{-a[q] * a[j]:.4f}" in text                     # q != j: -a_q a_j
    assert f"<b>{a[j] - 1:.4f}</b>" in dock.derivation.text().replace("−", "-")   # a_j - y_j
    model.set_softmax_focus(0)
    text = derivation_plain(dock)
    assert "j = cat" in text and f"{a[0] * (1 - a[0]):.4f}" in text
    qtbot.mouseClick(dock.derivation_button, Qt.LeftButton)
    assert not dock.derivation.isVisible()


def test_derivation_is_typeset_and_never_prints_a_negative_zero(dock, model, qtbot):
    """Issue 21 item 11: with a one-hot target the derivation printed "−0.0000" (−y_j for
    y_j = 0, −a_q for an a_q that rounds to 0) and ASCII "a_j", "Σ_(q≠j)"."""
    model.set_softmax_logits([12.0, 0.0, -3.0])       # a_3 ≈ 2e-7: rounds to 0.0000
    model.set_softmax_target("onehot", 1)
    model.set_softmax_focus(0)                        # y_j = 0 for the focus
    qtbot.mouseClick(dock.derivation_button, Qt.LeftButton)
    html_text = dock.derivation.text()
    text = derivation_plain(dock)
    assert re.search(r"-0\.0+(?!\d*[1-9])", text) is None, text       # no negative zero
    assert "0.0000" in text                            # the rounded terms are there, unsigned
    assert "a_" not in text and "y_" not in text and "Σ_(" not in text
    # indices are real subscripts, variables italic, Σ carries its range as a subscript
    assert "<i>a</i><sub><i>j</i></sub>" in html_text
    assert "Σ<sub><i>q</i> ≠ <i>j</i></sub>" in html_text
    # the gradient is still a_j − y_j = softmax(z)_1 − 0
    a = softmax(np.array([12.0, 0.0, -3.0]))
    assert f"<b>{a[0]:.4f}</b>" in html_text


def test_linked_to_q_one_source_of_truth(window, model, qtbot):
    dock = window.docks["softmaxDock"]
    dock.raise_()                    # its tab is behind the training panel's in "All panels"
    qtbot.waitUntil(lambda: dock.visibleRegion().isEmpty() is False)
    qtbot.mouseClick(dock.link_check, Qt.LeftButton, pos=dock.link_check.rect().center())
    assert model.q_logit_mode and not dock.count_spin.isEnabled()
    np.testing.assert_allclose(dock.logit_plot.heights, model.q_logits)
    np.testing.assert_allclose(dock.prob_plot.heights, model.q, rtol=1e-12)
    # drag here -> q (and the q editor) follow
    pw = dock.logit_plot
    pw.set_value_axis(-3, 3)
    start = model.q_logits
    drag(qtbot, pw, (0.0, 0.5), (0.0, 1.5))
    assert model.q_logits[0] == pytest.approx(start[0] + 1.0, abs=0.08)
    np.testing.assert_allclose(model.q, softmax(model.q_logits))
    # the q editor draws q's logits in logit mode: the very numbers dragged here
    np.testing.assert_allclose(window.docks["qEditorDock"].plot.heights, model.q_logits)
    # edit q's logits elsewhere -> the softmax bars follow
    model.set_q_logits([0.5, -1.0, 2.0])
    np.testing.assert_array_equal(dock.logit_plot.heights, [0.5, -1.0, 2.0])
    np.testing.assert_allclose(dock.grad_plot.heights, softmax([0.5, -1.0, 2.0]) - model.p,
                               atol=1e-15)
    qtbot.mouseClick(dock.link_check, Qt.LeftButton, pos=dock.link_check.rect().center())
    assert not model.q_logit_mode
    np.testing.assert_allclose(dock.logit_plot.heights, Z0)


def test_extreme_logits_and_language_switch(dock, model):
    from explorer import i18n
    model.set_softmax_temperature(0.05)
    model.set_softmax_logits([100.0, -100.0, 0.0])
    a = softmax(np.array([100.0, -100.0, 0.0]) / 0.05)
    np.testing.assert_allclose(dock.prob_plot.heights, a, atol=1e-300)
    np.testing.assert_allclose(dock.grad_plot.heights, (a - model.p) / 0.05, rtol=1e-9)
    assert np.isfinite(float(rendered(dock.loss_label).split("=")[-1].split()[0].replace("−", "-")))
    dock.derivation_button.setChecked(True)
    for lang in ("zh", "en"):
        i18n.set_language(lang)
        assert dock.derivation.isVisible() and "j = dog" in derivation_plain(dock)
    assert dock.derivation_button.text() == "Hide derivation"


def _assert_texts_clear(chart):
    from tests.ui.test_bar_chart import assert_texts_clear
    assert_texts_clear(chart)


@pytest.mark.parametrize("size", [(700, 640), (420, 420)])
def test_value_labels_clear_of_axes_names_and_each_other(dock, model, qtbot, size):
    """Issue 21 item 9: with a one-hot target "horse" the gradient label −0.901 sat on the
    axis and on the name "horse"; the names "boots" / "won't boot" overlapped and "explodes"
    was dropped.  Checked on the geometry of what is drawn, in a wide and a narrow dock."""
    dock.resize(*size)
    qtbot.wait(20)
    dock.target_combo.setCurrentIndex(1)                   # y = one-hot
    dock.class_combo.setCurrentIndex(2)                    # of horse
    grad = softmax(Z0) - [0, 0, 1]
    np.testing.assert_allclose(dock.grad_plot.heights, grad, atol=1e-15)
    assert f"{grad[2]:.3f}" == "-0.901"
    for pw in dock.plots:
        _assert_texts_clear(pw)
    if size[0] >= 700:                                     # room for every number: all drawn
        assert "−0.901" in dock.grad_plot.value_texts
        assert {i for i, _ in dock.grad_plot.text_rects()["values"]} == {0, 1, 2}
    model.apply_preset("pc-power-on", "both")
    for pw in dock.plots:
        _assert_texts_clear(pw)
        names = pw.tick_labels()
        assert [i for i, _ in names] == [0, 1, 2]          # none dropped
        for i, text in names:                              # whole, or elided with a tooltip
            full = model.labels[i]
            assert text == full or (text.endswith("…") and pw.name_at(
                dict(pw.text_rects()["names"])[i].center()) == full)


def test_linked_stand_in_logit_is_clipped_not_squashing(window, model, qtbot):
    """Issue 21 item 8, in the softmax dock: q's stand-in logit of a q_i = 0 is drawn clipped
    with its number and the other logits keep a readable scale."""
    dock = window.docks["softmaxDock"]
    dock.raise_()                    # its tab is behind the training panel's in "All panels"
    qtbot.waitUntil(lambda: dock.visibleRegion().isEmpty() is False)
    model.set_q([0.6, 0.4, 0.0])
    qtbot.mouseClick(dock.link_check, Qt.LeftButton, pos=dock.link_check.rect().center())
    assert model.q_logit_mode and model.q_logits[2] == pytest.approx(-30.0)
    pw = dock.logit_plot
    lo, hi = pw.value_axis
    assert -2 < lo < model.q_logits[1] and hi < 2
    assert pw.clipped() == [2]
    rect = pw.plot_rect()
    # the other bars use the height: bar dog (−0.405) is more than a fifth of the plot
    dog = pw.map_to_widget(1, model.q_logits[1]).y() - pw.map_to_widget(1, 0).y()
    assert dog > rect.height() / 5


def test_a_click_on_any_of_the_three_charts_picks_j(dock, model, qtbot):
    pw = dock.grad_plot
    qtbot.mouseClick(pw, Qt.LeftButton, pos=to_widget(pw, 0, dock.grad_plot.heights[0] / 2))
    assert model.softmax_focus == 0 and dock.j_combo.currentIndex() == 0
    assert [p.selected for p in dock.plots] == [0, 0, 0]
    pw = dock.prob_plot
    qtbot.mouseClick(pw, Qt.LeftButton, pos=to_widget(pw, 2, dock.prob_plot.heights[2] / 2))
    assert model.softmax_focus == 2 and [p.selected for p in dock.plots] == [2, 2, 2]
    assert "j = horse" in derivation_plain(dock) or not dock.derivation.isVisible()
