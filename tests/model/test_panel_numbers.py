"""Sigmoid / softmax panel state and derived numbers in the shared model."""
import numpy as np
import pytest
from scipy.special import expit, softmax

from explorer.model import AppModel
from explorer.model import app_model as m


def _changes(model):
    seen = []
    model.sigChanged.connect(seen.append)
    return seen


def test_marker_numbers_follow_z_and_inputs(model):
    seen = _changes(model)
    model.set_z_marker(6.0)
    s = expit(6.0)
    num = model.sigmoid_numbers.marker
    assert num.a == pytest.approx(s) and num.dsigma == pytest.approx(s * (1 - s))
    assert num.ratio == pytest.approx(1 / (s * (1 - s)))
    assert num.grad_w_mse == pytest.approx((s - 0) * s * (1 - s))
    model.set_sigmoid_input(x=2.0, y=1)
    num = model.sigmoid_numbers.marker
    assert num.grad_w_ce == pytest.approx((s - 1) * 2.0)
    assert num.loss_ce == pytest.approx(-np.log(s))
    assert len(seen) == 2 and all(c.kinds == {m.SIGMOID} for c in seen)


def test_curves_reused_while_only_the_marker_moves(model):
    curves = model.sigmoid_numbers.curves
    model.set_z_marker(-3.0, finished=False)
    assert model.sigmoid_numbers.curves is curves
    model.set_sigmoid_input(x=0.5)
    assert model.sigmoid_numbers.curves is not curves
    np.testing.assert_allclose(model.sigmoid_numbers.curves.grad_w_ce,
                               (expit(model.sigmoid_numbers.curves.z) - 0) * 0.5)


def test_z_range_validates_and_clamps_marker(model):
    model.set_z_marker(8.0)
    seen = _changes(model)
    model.set_sigmoid_z_range(-4, 4)
    assert model.sigmoid_z_range == (-4.0, 4.0) and model.z_marker == 4.0
    c = model.sigmoid_numbers.curves.z
    assert c[0] == -4.0 and c[-1] == 4.0
    assert model.sigmoid_numbers.saturated == ()
    for lo, hi, msg in ((3, 3, "z_range"), (5, -5, "z_range"), (-500, 0, "z_range"),
                        ("a", 1, "z_range"), (0, 0.1, "wide")):
        with pytest.raises(ValueError, match=msg):
            model.set_sigmoid_z_range(lo, hi)
    assert model.sigmoid_z_range == (-4.0, 4.0)
    model.set_sigmoid_z_range(-4, 4)           # no real change -> no signal
    assert len(seen) == 1


def test_log_scale_and_grad_wrt(model):
    seen = _changes(model)
    model.set_sigmoid_log_scale(True)
    model.set_sigmoid_log_scale(True)
    model.set_sigmoid_grad_wrt("z")
    with pytest.raises(ValueError, match="grad_wrt"):
        model.set_sigmoid_grad_wrt("b")
    assert model.sigmoid_numbers.log_scale and model.sigmoid_numbers.grad_wrt == "z"
    assert len(seen) == 2


def test_softmax_target_p_onehot_and_fallback(model):
    num = model.softmax_numbers
    np.testing.assert_array_equal(num.panel.y, model.p)
    assert num.target_used == "p" and not num.fallback
    model.set_softmax_target("onehot", 2)
    np.testing.assert_array_equal(model.softmax_numbers.panel.y, [0, 0, 1])
    model.set_softmax_target("p")
    model.resize_softmax_logits(5)                     # p has 3 entries, logits 5
    num = model.softmax_numbers
    assert num.fallback and num.target_used == "onehot" and num.panel.y[2] == 1.0
    np.testing.assert_array_equal(num.panel.z, [2.0, 1.0, 0.1, 0.0, 0.0])
    assert num.labels == ("z1", "z2", "z3", "z4", "z5")
    a = softmax(num.panel.z)
    np.testing.assert_allclose(num.panel.grad, a - num.panel.y, atol=1e-15)
    with pytest.raises(ValueError, match="target class"):
        model.set_softmax_target("onehot", 5)
    with pytest.raises(ValueError, match="target"):
        model.set_softmax_target("soft")


def test_target_class_clamped_when_logits_shrink(model):
    model.resize_softmax_logits(6)
    model.set_softmax_target("onehot", 5)
    model.set_softmax_focus(4)
    model.resize_softmax_logits(2)
    num = model.softmax_numbers
    assert num.target_class == 1 and num.panel.focus == 1
    np.testing.assert_array_equal(num.panel.y, [0, 1])


def test_softmax_numbers_follow_temperature_and_p(model):
    model.set_softmax_temperature(2.0)
    num = model.softmax_numbers
    np.testing.assert_allclose(num.panel.a, softmax(np.array([2.0, 1.0, 0.1]) / 2.0))
    np.testing.assert_allclose(num.panel.grad, (num.panel.a - model.p) / 2.0, atol=1e-15)
    assert num.panel.fd_error < 1e-6
    model.set_p([0.2, 0.3, 0.5])
    np.testing.assert_array_equal(model.softmax_numbers.panel.y, [0.2, 0.3, 0.5])


def test_linked_logits_one_source_of_truth(model):
    model.set_q_logit_mode(True)
    np.testing.assert_array_equal(model.softmax_logits, model.q_logits)
    assert model.softmax_numbers.linked
    model.set_softmax_logits([1.0, -1.0, 0.5])
    np.testing.assert_array_equal(model.q_logits, [1.0, -1.0, 0.5])
    np.testing.assert_allclose(model.q, softmax([1.0, -1.0, 0.5]))
    np.testing.assert_allclose(model.softmax_numbers.panel.a, model.q)
    model.set_q_logits([0.0, 3.0, 0.0])
    np.testing.assert_array_equal(model.softmax_numbers.panel.z, [0.0, 3.0, 0.0])
    with pytest.raises(ValueError, match="linked"):
        model.resize_softmax_logits(4)


def test_round_trip_and_defaults_for_old_files(model):
    model.set_sigmoid_z_range(-8, 12)
    model.set_sigmoid_log_scale(True)
    model.set_sigmoid_grad_wrt("z")
    model.set_softmax_target("onehot", 0)
    model.set_softmax_focus(2)
    data = model.to_dict()
    other = AppModel()
    other.from_dict(data)
    assert other.to_dict() == data
    assert other.sigmoid_numbers.z_range == (-8.0, 12.0) and other.softmax_numbers.panel.focus == 2
    old = AppModel().to_dict()
    for key in ("sigmoid_z_range", "sigmoid_log_scale", "sigmoid_grad_wrt", "softmax_target",
                "softmax_target_class", "softmax_focus"):
        old.pop(key)
    other.from_dict(old)
    assert other.sigmoid_z_range == (-10.0, 10.0) and other.softmax_target == "p"


@pytest.mark.parametrize("key, value, message", [
    ("sigmoid_z_range", [5, 1], "sigmoid_z_range"),
    ("sigmoid_z_range", "wide", "sigmoid_z_range"),
    ("sigmoid_log_scale", "yes", "sigmoid_log_scale"),
    ("sigmoid_grad_wrt", "b", "sigmoid_grad_wrt"),
    ("softmax_target", "soft", "softmax_target"),
    ("softmax_target_class", -1, "softmax_target_class"),
    ("softmax_focus", 1.5, "softmax_focus"),
])
def test_from_dict_rejects_bad_panel_settings(model, key, value, message):
    data = model.to_dict()
    data[key] = value
    before = model.to_dict()
    with pytest.raises(ValueError, match=message):
        model.from_dict(data)
    assert model.to_dict() == before


def test_p_edits_recompute_softmax_only_when_y_depends_on_p(model):
    first = model.softmax_numbers
    model.set_p([0.2, 0.3, 0.5])
    assert model.softmax_numbers is not first                  # y = p
    model.set_softmax_target("onehot", 0)
    onehot = model.softmax_numbers
    model.set_p([0.5, 0.3, 0.2])
    assert model.softmax_numbers is onehot                     # y does not depend on p
    model.set_softmax_target("p")
    model.resize_softmax_logits(4)                             # fallback: p has 3 entries
    fallback = model.softmax_numbers
    model.set_p([0.1, 0.1, 0.8])
    assert model.softmax_numbers is fallback
    model.set_distributions([0.25] * 4, [0.25] * 4)            # now the lengths match: y = p
    np.testing.assert_array_equal(model.softmax_numbers.panel.y, [0.25] * 4)
    model.set_q_logit_mode(True)
    model.set_softmax_target("onehot", 1)
    linked = model.softmax_numbers
    model.set_q([0.1, 0.2, 0.3, 0.4])                          # q's logits are the panel's logits
    assert model.softmax_numbers is not linked
    np.testing.assert_allclose(model.softmax_numbers.panel.a, [0.1, 0.2, 0.3, 0.4])
