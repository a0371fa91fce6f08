"""The softmax panel's label smoothing and its logit-growth race, driven by real keys, clicks and
drags: the smoothed target, CE = H(y_ε) + D_KL(y_ε ‖ a) and a − y_ε against scipy, and the race's
margin against closed forms (log growth without smoothing, the finite limit with it)."""
import math

import numpy as np
import pytest
from PySide6.QtCore import Qt
from scipy.special import softmax
from scipy.stats import entropy as scipy_entropy

from explorer.ui.docks.softmax_dock import SoftmaxDock

Z0 = np.array([2.0, 1.0, 0.1])


@pytest.fixture
def dock(qtbot, model):
    d = SoftmaxDock(model)
    qtbot.addWidget(d)
    d.resize(760, 900)
    d.show()
    qtbot.waitExposed(d)
    qtbot.wait(20)
    yield d
    d.disconnect_model()


def type_into(qtbot, box, text):
    box.setFocus()
    qtbot.keyClick(box, Qt.Key_A, Qt.ControlModifier)
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, Qt.Key_Return)


def numbers_in(text):
    return [float(v) for v in
            __import__("re").findall(r"-?\d+\.\d+", text.replace("−", "-"))]


def test_typing_epsilon_smooths_the_target_and_splits_the_loss(dock, model, qtbot):
    model.set_softmax_target("onehot", 0)
    assert "one-hot y: H(y) = 0, so CE = KL" in dock.split_label.text()
    type_into(qtbot, dock.eps_spin, "0.15")
    assert model.softmax_smoothing == pytest.approx(0.15)
    y = np.eye(3)[0]
    y_eps = 0.85 * y + 0.15 / 3
    a = softmax(Z0)
    np.testing.assert_allclose(dock.prob_plot.ghost, y_eps, rtol=1e-14)
    _, marks = dock.prob_plot.mark_points()               # y before smoothing, as short marks
    np.testing.assert_array_equal(marks, y)
    np.testing.assert_allclose(dock.grad_plot.heights, a - y_eps, atol=1e-15)
    h, kl = scipy_entropy(y_eps), scipy_entropy(y_eps, a)
    split = numbers_in(dock.split_label.text())
    assert split[:2] == [pytest.approx(h, abs=5e-5), pytest.approx(kl, abs=5e-5)]
    m_star = math.log((1 - 0.15 + 0.15 / 3) * 3 / 0.15)
    assert f"{m_star:.4f}" in dock.split_label.text()
    assert f"{h + kl:.4f}" in dock.loss_label.text() and "ε = 0.15" in dock.loss_label.text()
    assert dock.plot_titles[1].text().endswith("y_ε") and "y_ε" in dock.plot_titles[2].text()
    qtbot.keyClick(dock.eps_spin, Qt.Key_Up)               # one step of 0.05
    assert model.softmax_smoothing == pytest.approx(0.2)
    np.testing.assert_allclose(dock.prob_plot.ghost, 0.8 * y + 0.2 / 3, rtol=1e-14)


def test_opening_logit_growth_trains_the_logits(dock, model, qtbot):
    model.set_softmax_target("onehot", 0)
    assert not dock.race_box.isVisible() and model.softmax_race is None
    qtbot.mouseClick(dock.race_button, Qt.LeftButton, pos=dock.race_button.rect().center())
    assert model.softmax_settings.race_shown and dock.race_box.isVisible()
    race = model.softmax_race
    ce, sm = (race.runs[k] for k in ("ce", "smoothed_ce"))
    # the curves are the race's, from epoch 1 on a log axis
    x, margin = dock.race_curves["margin", 0].getData()
    np.testing.assert_allclose(x, np.log10(np.arange(1, 1001)))
    np.testing.assert_allclose(margin, ce.margin[1:])
    np.testing.assert_allclose(dock.race_curves["a_max", 1].getData()[1], sm.a_max[1:])
    np.testing.assert_array_equal(ce.z[0], Z0)             # it starts from the panel's logits
    # one-hot CE: no limit drawn, the margin keeps growing like log(epoch)
    assert not dock.race_limits[0].isVisible()
    assert ce.margin[1000] - ce.margin[500] == pytest.approx(math.log(2), abs=0.05)
    m_star = math.log((1 - 0.1 + 0.1 / 3) * 3 / 0.1)
    assert dock.race_limits[1].isVisible() and dock.race_limits[1].value() == pytest.approx(m_star)
    text = dock.race_summary.text()
    assert "still growing like log(epoch)" in text and f"limit {m_star:.4f}" in text
    # η and epochs by keyboard
    type_into(qtbot, dock.race_epochs_spin, "2000")
    assert model.softmax_settings.race_epochs == 2000
    assert model.softmax_race.runs["ce"].epochs == 2000
    type_into(qtbot, dock.race_lr_spin, "0.5")
    assert model.softmax_settings.race_lr == 0.5
    assert model.softmax_race.runs["smoothed_ce"].margin[-1] == pytest.approx(m_star, abs=1e-4)
    # the losses: a preset with the keyboard
    combo = dock.race_losses.preset_combo
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key_Up)                       # ce_smoothed → ce_focal
    assert set(model.softmax_race.runs) == {"ce", "focal"}
    assert "focal (γ = 2)" in dock.race_legend.text()
    assert not dock.race_limits[1].isVisible()             # focal, one-hot: no finite limit
    qtbot.mouseClick(dock.race_button, Qt.LeftButton, pos=dock.race_button.rect().center())
    assert not dock.race_box.isVisible() and model.softmax_race is None


def test_dragging_a_logit_updates_the_race_when_released(dock, model, qtbot):
    model.set_softmax_race(shown=True, epochs=300)
    first = model.softmax_race
    pw = dock.logit_plot
    vp = pw.viewport()
    p0, p1 = pw.map_to_widget(1, 1.0).toPoint(), pw.map_to_widget(1, 2.2).toPoint()
    qtbot.mouseMove(vp, p0)
    qtbot.mousePress(vp, Qt.LeftButton, pos=p0)
    for k in range(1, 6):
        qtbot.mouseMove(vp, p0 + (p1 - p0) * (k / 5))
    assert model.softmax_logits[1] > 1.5
    assert model.softmax_race is first and model.softmax_race_stale
    assert "updates when you release" in dock.race_summary.text()
    qtbot.mouseRelease(vp, Qt.LeftButton, pos=p1)
    race = model.softmax_race
    assert race is not first and not model.softmax_race_stale
    np.testing.assert_array_equal(race.runs["ce"].z[0], model.softmax_logits)
    assert "updates when you release" not in dock.race_summary.text()
    np.testing.assert_allclose(dock.race_curves["top_logit", 0].getData()[1],
                               race.runs["ce"].top_logit[1:])
