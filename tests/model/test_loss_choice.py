"""The loss family in the model: each race's two losses, the sigmoid panel's curves, the softmax
panel's label smoothing and its logit-growth race -- saved, validated, and every derived number
checked against an independent reference written here (closed forms, scipy, finite
differences), never against the project's own functions."""
import json
import math

import numpy as np
import pytest
from scipy.special import expit, log_softmax, softmax
from scipy.stats import entropy as scipy_entropy

from explorer.core.errors import InputError
from explorer.model import AppModel
from explorer.model import app_model as m
from explorer.model import loss_choice


# ----------------------------------------------------------------------------- references
def bce(a, y):
    return -(y * np.log(a) + (1 - y) * np.log1p(-a))


def focal_ref(z, y, gamma):
    """−(1 − p_t)^γ ln p_t for a hard target y ∈ {0, 1} (Lin et al. 2017)."""
    a = expit(z)
    pt = a if y == 1 else 1 - a
    return -((1 - pt) ** gamma) * np.log(pt)


def hinge_ref(z, y):
    return max(0.0, 1.0 - (2 * y - 1) * z)


def smoothed_ref(z, y, eps):
    t = y * (1 - eps) + eps / 2
    return bce(expit(z), t)


def central(f, x, h=1e-6):
    return (f(x + h) - f(x - h)) / (2 * h)


# ----------------------------------------------------------------------------- the pair
def test_presets_and_saved_form_round_trip():
    pair = loss_choice.check_pair("k", "ce_focal")
    assert pair == (("ce", ()), ("focal", (("alpha", None), ("gamma", 2.0))))
    saved = loss_choice.pair_to_json(pair)
    assert saved == [{"loss": "ce"}, {"loss": "focal", "gamma": 2.0}]
    assert loss_choice.check_pair("k", json.loads(json.dumps(saved))) == pair
    assert loss_choice.preset_of(pair) == "ce_focal"
    assert loss_choice.preset_of(loss_choice.check_pair("k", ["ce", {"loss": "focal",
                                                                     "gamma": 1.0}])) == "custom"
    assert loss_choice.run_keys(loss_choice.RACE_PRESETS["mse_ce"]) == ("mse", "ce")
    same = loss_choice.check_pair("k", [{"loss": "focal", "gamma": 1}, {"loss": "focal"}])
    assert loss_choice.run_keys(same) == ("focal_1", "focal_2")


@pytest.mark.parametrize("value, words", [
    ("nonsense", "expected two losses"),
    (["ce"], "expected two losses"),
    (["ce", "cross-entropy"], "unknown loss"),
    (["ce", {"loss": "focal", "gamma": -1}], "gamma"),
    (["ce", {"loss": "smoothed_ce", "eps": 2}], "eps"),
    (["ce", {"loss": "hinge", "margin": 2}], "unknown parameter"),
    (["ce", 3], "expected a loss name"),
])
def test_bad_pairs_are_refused_naming_the_problem(model, value, words):
    before = model.to_dict()
    with pytest.raises(InputError, match=words):
        model.set_training_losses(value)
    with pytest.raises(InputError, match=words):
        model.set_dataset_losses(value)
    assert model.to_dict() == before


def test_old_sessions_load_the_old_race(model):
    data = model.to_dict()
    del data["training"]["losses"], data["dataset"]["losses"]
    for key in ("sigmoid_losses", "sigmoid_focal_gamma", "sigmoid_smoothing", "softmax_smoothing",
                "softmax_race_shown", "softmax_race_lr", "softmax_race_epochs",
                "softmax_race_losses"):
        del data[key]
    model.set_training_losses("hinge_ce")
    model.from_dict(data)
    assert list(model.histories) == ["mse", "ce"]
    assert list(model.race("dataset").runs) == ["mse", "ce"]
    assert model.sigmoid_losses == ("mse", "ce") and model.softmax_smoothing == 0.0


# ----------------------------------------------------------------------------- single neuron
def test_neuron_race_runs_gradient_descent_on_each_chosen_loss(model):
    model.apply_training_preset("nielsen_saturated")          # w = b = 2, x = 1, y = 0, η = 0.15
    seen = []
    model.sigChanged.connect(seen.append)
    model.set_training_losses([{"loss": "ce"}, {"loss": "focal", "gamma": 2.0}])
    assert seen[-1].touches(m.TRAINING_PARAMS) and model.training_epoch == 0
    h = model.histories
    assert list(h) == ["ce", "focal"]
    x, y, lr = 1.0, 0.0, 0.15

    def focal_wb(w, b):
        return focal_ref(w * x + b, y, 2.0)

    for k in range(0, 300, 37):                    # every step is w ← w − η ∂L/∂w
        w, b = h["focal"].w[k], h["focal"].b[k]
        gw = central(lambda v: focal_wb(v, b), w)
        gb = central(lambda v: focal_wb(w, v), b)
        assert h["focal"].w[k + 1] == pytest.approx(w - lr * gw, abs=1e-8)
        assert h["focal"].b[k + 1] == pytest.approx(b - lr * gb, abs=1e-8)
        assert h["focal"].loss[k] == pytest.approx(focal_wb(w, b), rel=1e-10)
    assert h["ce"].loss[0] == pytest.approx(bce(expit(4.0), 0.0), rel=1e-12)
    # focal down-weights what is already right, not what is wrong: from a confidently wrong
    # start both runs escape, then focal slows down as a → y
    assert h["focal"].a[-1] > h["ce"].a[-1]
    # the landscapes follow the losses
    land = model.landscape
    assert set(land.loss) == {"ce", "focal"}
    i, j = 17, 123
    z = land.w[j] * x + land.b[i]
    assert land.loss["focal"][i, j] == pytest.approx(focal_ref(z, y, 2.0), rel=1e-9)


def test_hinge_and_smoothed_runs_and_book_mode(model):
    model.set_training_losses("hinge_ce")
    h = model.histories
    t = model.training
    z0 = t.w0 * t.x + t.b0
    assert h["hinge"].loss[0] == pytest.approx(hinge_ref(z0, t.y))
    # hinge steps by −t·x while the margin is violated: a straight line in w
    assert h["hinge"].w[1] - h["hinge"].w[0] == pytest.approx(-t.lr * (1 - 2 * t.y) * t.x)
    model.set_training_params(book_mode=True)         # the CE run steps like the book's widget
    a0 = expit(z0)
    assert model.histories["ce"].w[1] == pytest.approx(t.w0 - 0.005 * (a0 - t.y) / (a0 * (1 - a0)))
    model.set_training_params(book_mode=False)
    model.set_training_losses("ce_smoothed")
    sm = model.histories["smoothed_ce"]
    assert sm.loss[0] == pytest.approx(smoothed_ref(z0, t.y, 0.1), rel=1e-10)


# ----------------------------------------------------------------------------- dataset races
def test_dataset_races_follow_the_chosen_losses(model):
    default = {w: model.race(w) for w in ("dataset", "multiclass")}
    model.set_dataset_losses("ce_focal")
    for which, k in (("dataset", 2), ("multiclass", 3)):
        race = model.race(which)
        assert list(race.runs) == ["ce", "focal"]
        # the CE run is the same run whatever it is raced against
        np.testing.assert_array_equal(race.runs["ce"].loss, default[which].runs["ce"].loss)
        # from all-zero weights every class gets 1/K
        a = 1.0 / k
        assert race.runs["focal"].loss[0] == pytest.approx(-(1 - a) ** 2 * math.log(a), rel=1e-12)
    model.set_dataset_losses("hinge_ce")
    assert model.race("dataset").runs["hinge"].loss[0] == pytest.approx(1.0)      # max(0, 1 − 0)
    assert model.race("multiclass").runs["hinge"].loss[0] == pytest.approx(2.0)   # K − 1 margins
    assert model.training_epoch == 0


def test_selected_point_logits_along_both_runs(model):
    model.set_dataset_losses("ce_smoothed")
    model.set_selected_point(5)
    pl = model.multiclass_point_logits()
    race = model.race("multiclass")
    x = np.append(race.X[5], 1.0)
    t = int(race.labels[5])
    assert pl.index == 5 and pl.target == t and set(pl.margin) == {"ce", "smoothed_ce"}
    for run in pl.margin:
        for k in (0, 7, 300):
            z = x @ race.runs[run].params[k]
            assert pl.top[run][k] == pytest.approx(z.max(), abs=1e-12)
            assert pl.margin[run][k] == pytest.approx(z[t] - np.delete(z, t).max(), abs=1e-12)
            assert pl.a_max[run][k] == pytest.approx(softmax(z).max(), rel=1e-12)
    assert model.multiclass_point_logits() is pl              # cached
    model.set_selected_point(6)
    assert model.multiclass_point_logits().index == 6


# ----------------------------------------------------------------------------- sigmoid panel
def test_sigmoid_panel_family_at_the_marker(model):
    model.set_sigmoid_losses(["ce", "focal", "hinge", "smoothed_ce", "mse"])
    assert model.sigmoid_losses == ("mse", "ce", "focal", "hinge", "smoothed_ce")
    model.set_sigmoid_loss_params(gamma=1.5, eps=0.2)
    for z, y, x in ((2.0, 0, 1.0), (-3.0, 1, 2.0), (0.4, 1, -0.5)):
        model.set_sigmoid_input(x=x, y=y)
        model.set_z_marker(z)
        at = model.sigmoid_numbers.at_marker
        refs = {"mse": lambda v: 0.5 * (expit(v) - y) ** 2, "ce": lambda v: bce(expit(v), y),
                "focal": lambda v: focal_ref(v, y, 1.5), "hinge": lambda v: hinge_ref(v, y),
                "smoothed_ce": lambda v: smoothed_ref(v, y, 0.2)}
        g_ce = expit(z) - y
        for name, f in refs.items():
            assert at[name].loss == pytest.approx(f(z), rel=1e-9), name
            g = central(f, z)
            assert at[name].grad_z == pytest.approx(g, rel=1e-6, abs=1e-9), name
            assert at[name].grad_w == pytest.approx(g * x, rel=1e-6, abs=1e-9), name
            assert at[name].ratio == pytest.approx(g / g_ce, rel=1e-6), name
    # MSE's gradient is σ′(z) times CE's: the vanishing-gradient ratio
    s = expit(0.4)
    assert at["mse"].ratio == pytest.approx(s * (1 - s), rel=1e-12)


def test_sigmoid_panel_curves_follow_shown_losses_and_parameters(model):
    before = model.sigmoid_numbers
    assert set(before.loss_curves) == {"mse", "ce"} and before.losses == ("mse", "ce")
    model.set_sigmoid_loss_shown("focal", True)
    num = model.sigmoid_numbers
    z = num.curves.z
    np.testing.assert_allclose(num.loss_curves["focal"].loss, focal_ref(z, 0, 2.0), rtol=1e-9,
                               atol=1e-300)
    assert num.loss_curves["ce"] is before.loss_curves["ce"]      # not recomputed
    model.set_z_marker(-1.0, finished=False)                       # a drag: curves are kept
    assert model.sigmoid_numbers.loss_curves is num.loss_curves
    model.set_sigmoid_loss_params(gamma=0.0, finished=False)       # γ = 0 is cross-entropy
    num = model.sigmoid_numbers
    np.testing.assert_allclose(num.loss_curves["focal"].loss, num.loss_curves["ce"].loss,
                               rtol=1e-12)
    model.set_sigmoid_loss_shown("mse", False)
    assert model.sigmoid_numbers.losses == ("ce", "focal")
    assert "ce" in model.sigmoid_numbers.at_marker
    model.set_sigmoid_losses([])                                   # nothing drawn is allowed
    assert model.sigmoid_numbers.loss_curves == {}
    assert set(model.sigmoid_numbers.at_marker) == {"ce"}          # the reference stays
    for bad, words in ((["focal", "focal"], "twice"), (["softmax"], "unknown loss")):
        with pytest.raises(InputError, match=words):
            model.set_sigmoid_losses(bad)
    with pytest.raises(InputError, match="gamma"):
        model.set_sigmoid_loss_params(gamma=11)
    with pytest.raises(InputError, match="eps"):
        model.set_sigmoid_loss_params(eps=0.6)


# ----------------------------------------------------------------------------- softmax panel
@pytest.mark.parametrize("eps", [0.0, 0.05, 0.3, 0.5])
def test_label_smoothing_splits_the_loss_into_entropy_and_kl(model, eps):
    model.set_softmax_logits([1.5, -0.5, 0.2, 3.0])
    model.set_softmax_target("onehot", 2)
    model.set_softmax_temperature(0.8)
    model.set_softmax_smoothing(eps)
    num = model.softmax_numbers
    k = 4
    y = np.eye(k)[2]
    y_eps = (1 - eps) * y + eps / k
    np.testing.assert_allclose(num.panel.y, y_eps, rtol=1e-15)
    np.testing.assert_array_equal(num.y_raw, y)
    z = np.array([1.5, -0.5, 0.2, 3.0]) / 0.8
    assert num.panel.loss == pytest.approx(-(y_eps * log_softmax(z)).sum(), rel=1e-12)
    np.testing.assert_allclose(num.panel.grad, (softmax(z) - y_eps) / 0.8, atol=1e-15)
    assert num.entropy_y == pytest.approx(scipy_entropy(y_eps) if eps else 0.0, abs=1e-15)
    assert num.kl == pytest.approx(scipy_entropy(y_eps, softmax(z)), rel=1e-10)
    assert num.entropy_y + num.kl == pytest.approx(num.panel.loss, rel=1e-12)
    margin = math.log((1 - eps + eps / k) * k / eps) if eps else math.inf
    assert num.optimal_margin == pytest.approx(margin, rel=1e-12)


def test_smoothing_of_a_soft_target_and_refusals(model):
    model.set_softmax_target("p")
    model.set_p([0.2, 0.5, 0.3])
    model.set_softmax_smoothing(0.1)
    num = model.softmax_numbers
    np.testing.assert_allclose(num.panel.y, 0.9 * np.array([0.2, 0.5, 0.3]) + 0.1 / 3)
    assert math.isnan(num.optimal_margin)
    before = model.to_dict()
    for bad in (0.51, -0.1, float("nan"), "0.1", True):
        with pytest.raises(InputError):
            model.set_softmax_smoothing(bad)
    assert model.to_dict() == before


def test_logit_growth_race_follows_the_panel(model):
    assert model.softmax_race is None                      # hidden: nothing computed
    model.set_softmax_logits([0.0, 0.0, 0.0])
    model.set_softmax_target("onehot", 1)
    model.set_softmax_race(shown=True, lr=1.0, epochs=4000,
                           losses=[{"loss": "ce"}, {"loss": "smoothed_ce", "eps": 0.1}])
    race = model.softmax_race
    ce, sm = race.runs["ce"], race.runs["smoothed_ce"]
    assert race.target_class == 1
    # one-hot CE: the margin keeps growing like log(epoch) and the loss never reaches 0
    assert ce.margin[4000] - ce.margin[2000] == pytest.approx(math.log(2), abs=0.02)
    assert ce.margin[2000] - ce.margin[1000] == pytest.approx(math.log(2), abs=0.03)
    assert np.all(np.diff(ce.loss) < 0) and ce.loss[-1] > 0
    # smoothed: the margin settles at ln((1 − ε + ε/K) K / ε)
    m_star = math.log((1 - 0.1 + 0.1 / 3) * 3 / 0.1)
    assert sm.margin[-1] == pytest.approx(m_star, abs=1e-6)
    assert race.limit_margin["smoothed_ce"] == pytest.approx(m_star, rel=1e-12)
    assert math.isinf(race.limit_margin["ce"])
    assert sm.a_max[-1] == pytest.approx(1 - 0.1 + 0.1 / 3, abs=1e-6)
    # each stored state is one gradient step z ← z − η (a − y_ε) from the previous one
    zk = sm.z[10]
    y_eps = 0.9 * np.eye(3)[1] + 0.1 / 3
    np.testing.assert_allclose(sm.z[11], zk - (softmax(zk) - y_eps), atol=1e-12)


def test_logit_growth_race_waits_for_the_end_of_a_drag(model):
    model.set_softmax_race(shown=True, epochs=200)
    first = model.softmax_race
    np.testing.assert_array_equal(first.runs["ce"].z[0], model.softmax_logits)
    model.set_softmax_logits([2.0, 1.5, 0.1], finished=False)
    assert model.softmax_race is first and model.softmax_race_stale
    model.set_softmax_logits([2.0, 1.4, 0.1], finished=False)
    model.finish_edit({m.SOFTMAX})                         # the drag ends where it was
    assert not model.softmax_race_stale
    np.testing.assert_array_equal(model.softmax_race.runs["ce"].z[0], [2.0, 1.4, 0.1])
    model.set_softmax_race(losses="ce_focal")
    assert set(model.softmax_race.runs) == {"ce", "focal"}
    with pytest.raises(InputError, match="epochs"):
        model.set_softmax_race(epochs=0)
    with pytest.raises(InputError, match="lr"):
        model.set_softmax_race(lr=0)
    model.set_softmax_race(shown=False)
    assert model.softmax_race is None and not model.softmax_race_stale


def test_every_new_setting_round_trips_through_a_session():
    model = AppModel()
    model.set_training_losses("ce_focal")
    model.set_dataset_losses([{"loss": "focal", "gamma": 1.0}, {"loss": "focal", "gamma": 3.0}])
    model.set_sigmoid_losses(["hinge"])
    model.set_sigmoid_loss_params(gamma=0.5, eps=0.3)
    model.set_softmax_smoothing(0.2)
    model.set_softmax_race(shown=True, lr=0.5, epochs=300, losses="hinge_ce")
    data = json.loads(json.dumps(model.to_dict()))
    other = AppModel()
    other.from_dict(data)
    assert other.to_dict() == data
    assert list(other.race("dataset").runs) == ["focal_1", "focal_2"]
    assert set(other.softmax_race.runs) == {"hinge", "ce"}
    assert other.sigmoid_numbers.params["smoothed_ce"] == {"eps": 0.3}


def test_a_parameter_change_recomputes_only_the_loss_it_belongs_to(model):
    """A γ move recomputed the curves of every loss drawn (five 801-point families per move of
    the slider); only focal's depend on γ and only smoothed CE's on ε."""
    model.set_sigmoid_losses(["mse", "ce", "focal", "hinge", "smoothed_ce"])
    before = model.sigmoid_numbers.loss_curves
    model.set_sigmoid_loss_params(gamma=3.5, finished=False)
    after = model.sigmoid_numbers.loss_curves
    z = model.sigmoid_numbers.curves.z
    np.testing.assert_allclose(after["focal"].loss, focal_ref(z, 0, 3.5), rtol=1e-9, atol=1e-300)
    assert after["focal"] is not before["focal"]
    for name in ("mse", "ce", "hinge", "smoothed_ce"):
        assert after[name] is before[name], name
    model.set_sigmoid_loss_params(eps=0.3)
    again = model.sigmoid_numbers.loss_curves
    assert again["smoothed_ce"] is not after["smoothed_ce"]
    t = 0.3 / 2                                              # y = 0: target ε/2
    a = expit(z)
    np.testing.assert_allclose(again["smoothed_ce"].loss, -(t * np.log(a) + (1 - t) * np.log1p(-a)),
                               rtol=1e-9)
    for name in ("mse", "ce", "focal", "hinge"):
        assert again[name] is after[name], name
