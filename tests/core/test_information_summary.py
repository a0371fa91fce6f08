"""information_summary: the fused pass must give exactly what the separate functions give, and
agree with scipy's independent implementations."""

import math

import numpy as np
import pytest
from scipy.spatial.distance import jensenshannon
from scipy.special import entr, kl_div, rel_entr
from scipy.stats import entropy as sp_entropy

from explorer import core
from explorer.core import information

pytestmark = pytest.mark.filterwarnings("error")   # no RuntimeWarning for log 0, 0/0, ...

BASES = [None, 2, math.e, 10]
EPSES = [None, 1e-15, 1e-3, 0.2]
SCALARS = ("entropy_p", "entropy_q", "cross_pq", "cross_qp", "kl_pq", "kl_qp", "js")


def _draws(count=150, seed=2024):
    """Random Dirichlet pairs of many sizes (below and above numpy's 8-wide pairwise blocks),
    some with zeros in p, in q, or in both (q_i = 0 < p_i makes H(p, q) infinite)."""
    rng = np.random.default_rng(seed)
    out = []
    for k in range(count):
        n = int(rng.choice([2, 3, 5, 8, 9, 10, 17, 64, 129, 1000]))
        alpha = rng.uniform(0.05, 3.0)
        p, q = rng.dirichlet(np.full(n, alpha)), rng.dirichlet(np.full(n, alpha))
        if k % 3 == 1:
            p[rng.random(n) < 0.3] = 0.0
        if k % 4 >= 2:
            q[rng.random(n) < 0.3] = 0.0
        p = p / p.sum() if p.sum() > 0 else np.eye(n)[0]
        q = q / q.sum() if q.sum() > 0 else np.eye(n)[-1]
        out.append((p, q))
    return out


DRAWS = _draws()


def _identical(a, b) -> bool:
    """Same shape and the same bits (NaN == NaN, and 0.0 differs from -0.0)."""
    a, b = np.asarray(a), np.asarray(b)
    return (a.shape == b.shape and np.array_equal(a, b, equal_nan=True)
            and np.array_equal(np.signbit(a), np.signbit(b)))


def _log_b(base):
    return 1.0 if base is None else math.log(base)


def test_draws_cover_zeros_and_impossible_pairs():
    assert any((p == 0).any() for p, _ in DRAWS)
    assert sum(bool(((q == 0) & (p > 0)).any()) for p, q in DRAWS) >= 10
    assert any(p.size == 1000 for p, _ in DRAWS)


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize("eps", EPSES)
def test_summary_equals_the_separate_functions_bit_for_bit(base, eps):
    for p, q in DRAWS:
        s = core.information_summary(p, q, base=base, eps=eps)
        expected = {
            "entropy_p": core.entropy(p, base=base),
            "entropy_q": core.entropy(q, base=base),
            "cross_pq": core.cross_entropy(p, q, base=base, eps=eps),
            "cross_qp": core.cross_entropy(q, p, base=base, eps=eps),
            "kl_pq": core.kl_divergence(p, q, base=base, eps=eps),
            "kl_qp": core.kl_divergence(q, p, base=base, eps=eps),
            "js": core.js_divergence(p, q, base=base),
        }
        for key, value in expected.items():
            assert type(s[key]) is float, key
            assert _identical(s[key], value), (key, p.size, s[key], value)
        terms = core.information_terms(p, q, base=base, eps=eps)
        assert set(s["terms"]) == set(terms)
        for key, value in terms.items():
            assert s["terms"][key].dtype == np.float64 and _identical(s["terms"][key], value), key
        clip = (lambda x: x) if eps is None else (lambda x: np.clip(x, eps, 1 - eps))
        assert _identical(s["p_used"], clip(p)) and _identical(s["q_used"], clip(q))
        assert _identical(s["mixture"], 0.5 * (p + q))


@pytest.mark.parametrize("base", BASES)
def test_summary_matches_scipy(base):
    lb = _log_b(base)
    for p, q in DRAWS:
        s = core.information_summary(p, q, base=base)
        assert s["entropy_p"] == pytest.approx(sp_entropy(p, base=base), rel=1e-12, abs=1e-14)
        assert s["entropy_q"] == pytest.approx(sp_entropy(q, base=base), rel=1e-12, abs=1e-14)
        np.testing.assert_allclose(s["terms"]["entropy"], entr(p) / lb, rtol=1e-13, atol=0)
        kl_terms = rel_entr(p, q) / lb               # p log(p/q), inf where q = 0 < p, 0 where p = 0
        # (log of a ratio near 1 is ill-conditioned: scipy rounds differently there)
        np.testing.assert_allclose(s["terms"]["kl"], kl_terms, rtol=1e-9, atol=1e-15)
        kl_pq = float(np.sum(rel_entr(p, q))) / lb
        for ours, x, y in ((s["kl_pq"], p, q), (s["kl_qp"], q, p)):
            ref = float(np.sum(rel_entr(x, y))) / lb
            if math.isinf(ref):
                assert ours == math.inf
            else:
                assert ours == pytest.approx(ref, rel=1e-12, abs=1e-14)
                # kl_div adds -x + y per term, which sums to 0 for two distributions
                assert ours == pytest.approx(np.sum(kl_div(x, y)) / lb, rel=1e-9, abs=1e-13)
        if math.isinf(kl_pq):
            assert s["cross_pq"] == math.inf
            assert np.isinf(s["terms"]["cross"][(q == 0) & (p > 0)]).all()
        else:
            ref = sp_entropy(p, base=base) + kl_pq                       # H(p, q) = H(p) + KL
            assert s["cross_pq"] == pytest.approx(ref, rel=1e-12, abs=1e-14)
        assert s["js"] == pytest.approx(jensenshannon(p, q, base=base) ** 2, rel=1e-9, abs=1e-14)
        assert 0.0 <= s["js"] <= math.log(2) / lb + 1e-15
        with np.errstate(divide="ignore"):
            self_info_q = -np.log(q) / lb
        np.testing.assert_allclose(s["terms"]["self_info_q"], self_info_q, rtol=1e-13, atol=0)


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize("eps", [1e-15, 1e-3, 0.2])
def test_summary_with_eps_matches_scipy_on_clipped_q(base, eps):
    lb = _log_b(base)
    for p, q in DRAWS[::3]:
        s = core.information_summary(p, q, base=base, eps=eps)
        qc, pc = np.clip(q, eps, 1 - eps), np.clip(p, eps, 1 - eps)
        # clipping keeps every quantity finite; -Σ p log q' = H(p) + Σ p log(p/q')
        assert math.isfinite(s["cross_pq"]) and math.isfinite(s["kl_pq"])
        assert s["kl_pq"] == pytest.approx(np.sum(rel_entr(p, qc)) / lb, rel=1e-12, abs=1e-14)
        assert s["kl_qp"] == pytest.approx(np.sum(rel_entr(q, pc)) / lb, rel=1e-12, abs=1e-14)
        assert s["cross_pq"] == pytest.approx(sp_entropy(p, base=base) + np.sum(rel_entr(p, qc)) / lb,
                                              rel=1e-12, abs=1e-14)
        # entropies and JS are never clipped
        assert s["entropy_q"] == pytest.approx(sp_entropy(q, base=base), rel=1e-12, abs=1e-14)
        assert s["js"] == pytest.approx(jensenshannon(p, q, base=base) ** 2, rel=1e-9, abs=1e-14)


def test_zero_q_where_p_is_positive_gives_inf_without_warnings():
    p, q = np.array([0.5, 0.5, 0.0]), np.array([0.0, 0.5, 0.5])
    s = core.information_summary(p, q, base=2)
    assert s["cross_pq"] == math.inf and s["kl_pq"] == math.inf
    assert s["cross_qp"] == math.inf and s["kl_qp"] == math.inf     # p_2 = 0 < q_2
    assert s["terms"]["kl"].tolist() == [math.inf, 0.0, 0.0]
    assert s["terms"]["cross"].tolist() == [math.inf, 0.5, 0.0]
    assert s["terms"]["self_info_q"][0] == math.inf and s["terms"]["self_info_p"][2] == math.inf
    assert s["entropy_p"] == 1.0 and s["js"] == pytest.approx(0.5)
    clipped = core.information_summary(p, q, base=2, eps=1e-15)
    assert clipped["cross_pq"] == pytest.approx(0.5 * -math.log2(1e-15) + 0.5)
    assert clipped["q_used"][0] == 1e-15 and clipped["p_used"][2] == 1e-15


def test_zero_weights_contribute_exactly_zero():
    s = core.information_summary([1.0, 0.0], [0.0, 1.0])
    assert s["entropy_p"] == 0.0 and math.copysign(1, s["entropy_p"]) == 1.0   # not -0.0
    assert s["terms"]["entropy"].tolist() == [0.0, 0.0]
    assert s["js"] == pytest.approx(math.log(2))
    same = core.information_summary([0.3, 0.7], [0.3, 0.7])
    assert same["kl_pq"] == 0.0 and same["kl_qp"] == 0.0 and same["js"] == 0.0


def test_inputs_untouched_and_results_not_shared():
    p, q = np.array([0.2, 0.3, 0.5]), np.array([0.6, 0.0, 0.4])
    p0, q0 = p.copy(), q.copy()
    s = core.information_summary(p, q)
    np.testing.assert_array_equal(p, p0)
    np.testing.assert_array_equal(q, q0)
    arrays = [s["p_used"], s["q_used"], s["mixture"], *s["terms"].values()]
    assert not any(np.shares_memory(a, x) for a in arrays for x in (p, q))
    s["p_used"][0] = 9.0                              # writing a result does not affect another
    assert core.information_summary(p, q)["p_used"][0] == 0.2


@pytest.mark.parametrize("bad, message", [
    (dict(p=[0.5, 0.6]), "p: must sum to 1"),
    (dict(q=[0.5, -0.5, 1.0]), "q: entries must be non-negative"),
    (dict(q=[0.5, np.nan, 0.5]), "q: entries must be finite"),
    (dict(q=[0.5, 0.5]), "q: shape (2,) does not match p shape (3,)"),
    (dict(p=[[0.5, 0.5]]), "p: must be 1-D"),
    (dict(p=[]), "p: must not be empty"),
    (dict(eps=0.5), "eps: must be in (0, 0.5)"),
    (dict(eps=True), "eps: must be None or a number"),
    (dict(base=1), "base: must be a positive number other than 1"),
    (dict(base=-2.0), "base: must be a positive number other than 1"),
])
def test_bad_input_raises_the_same_errors_as_cross_entropy(bad, message):
    args = dict(p=[0.2, 0.3, 0.5], q=[0.6, 0.0, 0.4], base=None, eps=None) | bad
    with pytest.raises(ValueError) as summary_error:
        core.information_summary(**args)
    assert str(summary_error.value).startswith(message)
    with pytest.raises(ValueError) as separate_error:
        core.cross_entropy(**args)
    assert str(summary_error.value) == str(separate_error.value)


def test_validates_each_distribution_once(monkeypatch):
    calls = []
    real = information.check_distribution

    def counting(arr, name):
        calls.append(name)
        return real(arr, name)

    monkeypatch.setattr(information, "check_distribution", counting)
    core.information_summary([0.2, 0.8], [0.5, 0.5], base=2, eps=1e-3)
    assert calls == ["p", "q"]
