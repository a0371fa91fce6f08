"""The shared model: validation, one signal per change, changing/finished, derived numbers."""
import math

import numpy as np
import pytest
from scipy.stats import entropy as sp_entropy

from explorer.model import AppModel, Change
from explorer.model import app_model as m


def record(model):
    changed, finished = [], []
    model.sigChanged.connect(changed.append)
    model.sigChangeFinished.connect(finished.append)
    return changed, finished


def test_defaults_are_mastiff_example(model):
    np.testing.assert_allclose(model.p, [0, 1, 0])
    np.testing.assert_allclose(model.q, [0.4, 0.4, 0.2])
    assert model.info.cross_pq == pytest.approx(0.916291, abs=1e-6)


def test_set_p_emits_once_and_recomputes(model):
    changed, finished = record(model)
    model.set_p([0.2, 0.5, 0.3])
    assert len(changed) == 1 and len(finished) == 1
    assert changed[0].touches(m.DISTRIBUTIONS) and changed[0].finished
    assert model.info.entropy_p == pytest.approx(sp_entropy([0.2, 0.5, 0.3]))
    assert model.info.kl_pq == pytest.approx(sp_entropy([0.2, 0.5, 0.3], [0.4, 0.4, 0.2]))


def test_changing_then_finished(model):
    changed, finished = record(model)
    model.set_p([0.1, 0.8, 0.1], finished=False)
    model.set_p([0.2, 0.6, 0.2], finished=False)
    assert len(changed) == 2 and not finished
    assert not any(c.finished for c in changed)
    model.finish_edit()
    assert len(finished) == 1


def test_no_signal_without_real_change(model):
    changed, _ = record(model)
    model.set_p(model.p.copy(), finished=False)
    model.set_unit("nats")
    model.set_eps(False)
    assert changed == []


@pytest.mark.parametrize("bad, message", [
    ([0.5, 0.6, -0.1], "outside"),
    ([0.5, 0.6, 0.1], "sum to 1"),
    ([0.5, float("nan"), 0.5], "finite"),
    ([0.5, 0.5], "expected 3 values"),
    ("abc", "expected a list"),
])
def test_bad_distribution_rejected_state_unchanged(model, bad, message):
    before = model.to_dict()
    changed, _ = record(model)
    with pytest.raises(ValueError, match=message):
        model.set_p(bad)
    assert model.to_dict() == before
    assert changed == []


def test_batch_emits_single_change(model):
    changed, finished = record(model)
    with model.batch():
        model.set_unit("bits")
        model.set_p([0.5, 0.25, 0.25])
        model.set_eps(True, 1e-9)
    assert len(changed) == 1 and len(finished) == 1
    assert changed[0].kinds >= {m.UNIT, m.DISTRIBUTIONS, m.EPS}
    assert model.info.entropy_p == pytest.approx(1.5)


def test_units(model):
    model.set_distributions([0.5, 0.25, 0.125, 0.125], [0.125, 0.5, 0.25, 0.125])
    model.set_unit("bits")
    i = model.info
    assert (i.entropy_p, i.cross_pq, i.cross_qp, i.kl_pq, i.kl_qp) == pytest.approx(
        (1.75, 2.375, 2.25, 0.625, 0.5))
    model.set_unit("bans")
    assert model.info.entropy_p == pytest.approx(1.75 * math.log10(2))
    with pytest.raises(ValueError, match="unit"):
        model.set_unit("furlongs")


def test_impossible_event_and_eps(model):
    model.set_q([0.5, 0.0, 0.5])
    assert math.isinf(model.info.cross_pq) and math.isinf(model.info.kl_pq)
    assert model.info.impossible == (1,)
    model.set_eps(True, 1e-15)
    assert model.info.cross_pq == pytest.approx(-math.log(1e-15))
    assert model.info.clipped


def test_training_histories_follow_params(model):
    model.set_training_params(w0=2.0, b0=2.0)
    h = model.histories
    assert h["mse"].a[0] == pytest.approx(0.982, abs=1e-3)
    assert h["mse"].a[150] > 0.9 and h["ce"].a[60] < 0.1
    with pytest.raises(ValueError, match="epochs"):
        model.set_training_params(epochs=0)
    with pytest.raises(ValueError, match="unknown"):
        model.set_training_params(speed=3)


def test_logit_mode_preserves_q(model):
    q = model.q.copy()
    model.set_q_logit_mode(True)
    np.testing.assert_allclose(model.q, q, atol=1e-15)
    model.set_temperature(2.0)
    z = model.q_logits
    e = np.exp((z - z.max()) / 2.0)
    np.testing.assert_allclose(model.q, e / e.sum())
    np.testing.assert_allclose(model.softmax_logits, z)


def test_n_up_to_1000(model):
    rng = np.random.default_rng(3)
    p, q = rng.dirichlet(np.ones(1000)), rng.dirichlet(np.ones(1000))
    model.set_distributions(p, q)
    assert model.n == 1000 and len(model.labels) == 1000
    assert model.info.kl_pq == pytest.approx(sp_entropy(p, q))
    with pytest.raises(ValueError, match="categories"):
        model.set_distributions(np.ones(1001) / 1001, np.ones(1001) / 1001)


def test_round_trip_dict(model):
    model.set_distributions([0.7, 0.2, 0.1], [0.1, 0.2, 0.7], ["boots", "won't boot", "explodes"])
    model.set_unit("bits")
    model.set_eps(True, 1e-6)
    model.set_lock("q", 1, True)
    model.set_z_marker(6.0)
    model.set_training_params(w0=2.0, b0=2.0)
    model.set_training_epoch(42)
    data = model.to_dict()
    other = AppModel()
    other.from_dict(data)
    assert other.to_dict() == data


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d.update(version=99), "version"),
    (lambda d: d.pop("p"), "p: missing"),
    (lambda d: d.update(q=[0.5, 0.5, 0.5]), "q: must sum"),
    (lambda d: d.update(unit="parsecs"), "unit"),
    (lambda d: d.update(locks_p=["yes", 1, 0]), "locks_p"),
    (lambda d: d.update(training={"lr": -1}), "lr"),
    (lambda d: d.update(z_marker="abc"), "z"),
])
def test_from_dict_rejects_and_keeps_state(model, mutate, message):
    data = AppModel().to_dict()
    data["p"] = [0.2, 0.3, 0.5]
    mutate(data)
    before = model.to_dict()
    changed, _ = record(model)
    with pytest.raises(ValueError, match=message):
        model.from_dict(data)
    assert model.to_dict() == before and changed == []
