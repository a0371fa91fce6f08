"""The model's derived numbers after the fused information pass: the same numbers as the separate
core functions, the same states and errors as before, less work per drag step."""
import math

import numpy as np
import pytest

from explorer import core
from explorer.core import information
from explorer.model import app_model as m


def _reference_info(p, q, base, eps):
    """InfoNumbers' quantities the way the model computed them before the fused pass: one core
    function per quantity, each validating p and q again."""
    terms = core.information_terms(p, q, base=base, eps=eps)
    p_used = p.copy() if eps is None else np.clip(p, eps, 1 - eps)
    q_used = q.copy() if eps is None else np.clip(q, eps, 1 - eps)
    cross = terms["cross"]
    return dict(
        entropy_p=core.entropy(p, base=base), entropy_q=core.entropy(q, base=base),
        cross_pq=core.cross_entropy(p, q, base=base, eps=eps),
        cross_qp=core.cross_entropy(q, p, base=base, eps=eps),
        kl_pq=core.kl_divergence(p, q, base=base, eps=eps),
        kl_qp=core.kl_divergence(q, p, base=base, eps=eps),
        js=core.js_divergence(p, q, base=base), terms=terms,
        impossible=tuple(int(i) for i in np.flatnonzero((q == 0) & (p > 0))),
        impossible_qp=tuple(int(i) for i in np.flatnonzero((p == 0) & (q > 0))),
        eps=eps,
        clipped=eps is not None and bool(np.any((q < eps) | (q > 1 - eps) | (p < eps) | (p > 1 - eps))),
        p_used=p_used, q_used=q_used,
        clipped_p=tuple(int(i) for i in np.flatnonzero(p_used != p)),
        clipped_q=tuple(int(i) for i in np.flatnonzero(q_used != q)),
        mixture=0.5 * (p + q),
        dominant=int(np.argmax(cross)) if np.max(cross) > 0 else None,
        max_entropy=core.entropy(np.full(p.size, 1.0 / p.size), base=base),
    )


def _identical(a, b) -> bool:
    if isinstance(a, dict):
        return set(a) == set(b) and all(_identical(a[k], b[k]) for k in a)
    if isinstance(a, tuple) or a is None or b is None:
        return a == b and type(a) is type(b)
    a, b = np.asarray(a), np.asarray(b)
    return (a.shape == b.shape and np.array_equal(a, b, equal_nan=True)
            and np.array_equal(np.signbit(a), np.signbit(b)))


@pytest.mark.parametrize("unit", ["bits", "nats", "bans"])
@pytest.mark.parametrize("eps", [None, 1e-15, 0.01])
def test_info_is_bit_identical_to_the_separate_core_functions(model, unit, eps):
    model.set_unit(unit)
    if eps is not None:
        model.set_eps(True, eps)
    rng = np.random.default_rng(7)
    for k in range(40):
        n = int(rng.choice([2, 3, 10, 17, 300]))
        p, q = rng.dirichlet(np.full(n, 0.7)), rng.dirichlet(np.full(n, 0.7))
        if k % 3 == 0:
            q[rng.integers(n)] = 0.0       # q_i = 0: infinite H(p, q) unless clipped
            q = q / q.sum()
        if k % 4 == 0:
            p[rng.integers(n)] = 0.0
            p = p / p.sum()
        model.set_distributions(p, q)
        info = model.info
        for key, value in _reference_info(model.p, model.q, m.UNITS[unit], eps).items():
            assert _identical(getattr(info, key), value), (key, k)
        for arr in (info.p_used, info.q_used, info.mixture):
            assert not arr.flags.writeable
            assert not np.shares_memory(arr, model.p) and not np.shares_memory(arr, model.q)


def test_infinite_and_clipped_readouts(model):
    model.set_distributions([0.5, 0.5, 0.0], [0.0, 0.5, 0.5])
    i = model.info
    assert math.isinf(i.cross_pq) and math.isinf(i.kl_pq) and math.isinf(i.cross_qp)
    assert i.impossible == (0,) and i.impossible_qp == (2,) and not i.clipped
    assert i.clipped_p == () and i.clipped_q == () and i.dominant == 0
    model.set_eps(True, 1e-15)
    i = model.info
    assert i.clipped and i.clipped_q == (0,) and i.clipped_p == (2,)
    assert i.impossible == (0,)                        # judged on q itself, not the clipped q
    assert i.cross_pq == pytest.approx(0.5 * -math.log(1e-15) + 0.5 * math.log(2))


def test_one_drag_step_validates_p_and_q_once(model, monkeypatch):
    rng = np.random.default_rng(3)
    model.set_distributions(rng.dirichlet(np.ones(10)), rng.dirichlet(np.ones(10)))
    calls = []
    real = information.check_distribution

    def counting(arr, name):
        calls.append(name)
        return real(arr, name)

    monkeypatch.setattr(information, "check_distribution", counting)
    model.set_value("p", 2, 0.4, finished=False)
    assert calls == ["p", "q"]


def test_set_value_keeps_the_state_the_full_validation_gave(model):
    """set_value skips validate_distribution for redistribute's (already valid) result: the
    state must be the very array that validation would have produced."""
    rng = np.random.default_rng(11)
    for k in range(300):
        n = int(rng.integers(2, 40))
        p = rng.dirichlet(np.full(n, 0.5))
        if k % 5 == 0:
            p[rng.random(n) < 0.5] = 0.0
            p = p / p.sum() if p.sum() else np.eye(n)[0]
        model.set_distributions(p, model.q if model.n == n else np.full(n, 1 / n))
        locks = rng.random(n) < 0.2
        for i in range(n):
            model.set_lock("p", i, bool(locks[i]))
        i, v = int(rng.integers(n)), float(rng.choice([rng.random(), 0.0, 1.0]))
        expected = m.validate_distribution("p", core.redistribute(model.p, i, v, locks), n)
        model.set_value("p", i, v, finished=bool(k % 2))
        assert _identical(model.p, expected)


def test_bad_values_still_raise_and_leave_the_state_alone(model):
    model.set_distributions([0.2, 0.3, 0.5], [0.6, 0.0, 0.4])
    before = model.to_dict()
    for args, message in [(("p", 0, 1.5), "value: a probability must be in [0, 1]"),
                          (("p", 0, math.nan), "value: must be finite"),
                          (("q", 3, 0.5), "index: 3 is not a category"),
                          (("x", 0, 0.5), "which: expected 'p' or 'q'"),
                          (("p", 0, "a"), "value: expected a number")]:
        with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
            model.set_value(*args)
    assert model.to_dict() == before


def test_softmax_numbers_recompute_only_when_p_or_linked_logits_move(model):
    first = model.softmax_numbers                       # y = p, 3 free logits, N = 3
    model.set_value("q", 0, 0.5)                        # free logits: q does not matter
    assert model.softmax_numbers is first
    model.set_value("p", 0, 0.5)                        # y = p moved
    assert model.softmax_numbers is not first
    np.testing.assert_array_equal(model.softmax_numbers.panel.y, model.p)
    model.set_q_logit_mode(True)
    model.set_softmax_target("onehot", 1)
    linked = model.softmax_numbers
    model.set_value("p", 1, 0.2)                        # one-hot y, logits are q's: p does not matter
    assert model.softmax_numbers is linked
    model.set_q([0.1, 0.2, 0.7])                        # q's logits moved
    assert model.softmax_numbers is not linked
    np.testing.assert_allclose(model.softmax_numbers.panel.a, [0.1, 0.2, 0.7])
    model.set_softmax_target("p")
    model.set_value("p", 1, 0.6)
    np.testing.assert_array_equal(model.softmax_numbers.panel.y, model.p)


@pytest.mark.parametrize("unit", ["bits", "nats", "bans"])
def test_perplexities_are_unit_free(model, unit):
    """Issue 17: perplexity exp(H) reads the same whatever the unit of H."""
    from scipy.stats import entropy as sp_entropy
    p, q = [0.5, 0.25, 0.125, 0.125], [0.125, 0.5, 0.25, 0.125]
    model.set_distributions(p, q)
    model.set_unit(unit)
    info = model.info
    assert info.perplexity_p == pytest.approx(2 ** sp_entropy(p, base=2), rel=1e-12)
    assert info.perplexity_q == pytest.approx(math.exp(sp_entropy(q)), rel=1e-12)
    assert info.perplexity_pq == pytest.approx(math.exp(sp_entropy(p) + sp_entropy(p, q)), rel=1e-12)
    model.set_q([0.5, 0.5, 0.0, 0.0])
    assert model.info.perplexity_pq == math.inf
