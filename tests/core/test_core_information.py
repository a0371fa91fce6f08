"""Information quantities of explorer.core against scipy and worked examples."""

import warnings

import numpy as np
import pytest
from scipy.spatial.distance import jensenshannon
from scipy.stats import entropy as sp_entropy

from explorer import core

pytestmark = pytest.mark.filterwarnings("error")

BASES = [None, 2, 10]


def _random_pairs(n_pairs=60, seed=12345):
    rng = np.random.default_rng(seed)
    pairs = []
    for i in range(n_pairs):
        k = int(rng.integers(2, 12))
        alpha = rng.uniform(0.1, 3.0, size=k)
        pairs.append((rng.dirichlet(alpha), rng.dirichlet(alpha[::-1])))
    return pairs


PAIRS = _random_pairs()


@pytest.mark.parametrize("base", BASES)
def test_entropy_cross_kl_match_scipy(base):
    for p, q in PAIRS:
        h = core.entropy(p, base=base)
        kl = core.kl_divergence(p, q, base=base)
        ce = core.cross_entropy(p, q, base=base)
        assert type(h) is float and type(kl) is float and type(ce) is float
        assert h == pytest.approx(sp_entropy(p, base=base), rel=1e-12, abs=1e-14)
        assert kl == pytest.approx(sp_entropy(p, q, base=base), rel=1e-10, abs=1e-14)
        assert ce == pytest.approx(sp_entropy(p, base=base) + sp_entropy(p, q, base=base),
                                   rel=1e-12, abs=1e-14)
        assert ce == pytest.approx(h + kl, rel=1e-12)
        assert kl >= 0


@pytest.mark.parametrize("base", BASES)
def test_js_matches_scipy_squared(base):
    for p, q in PAIRS:
        js = core.js_divergence(p, q, base=base)
        ref = jensenshannon(p, q, base=base) ** 2
        assert js == pytest.approx(ref, rel=1e-9, abs=1e-14)
        assert js == pytest.approx(core.js_divergence(q, p, base=base), rel=1e-12, abs=1e-15)
        bound = np.log(2) if base is None else np.log(2) / np.log(base)
        assert 0 <= js <= bound + 1e-15


def test_js_with_disjoint_support_is_log2():
    assert core.js_divergence([1, 0], [0, 1], base=2) == pytest.approx(1.0)
    assert core.js_divergence([1, 0], [0, 1]) == pytest.approx(np.log(2))


def test_other_bases_work():
    p = [0.25, 0.25, 0.5]
    h_nats = core.entropy(p)
    for base in (0.5, 3, np.e, 7.5, np.float32(2.0), 16):
        assert core.entropy(p, base=base) == pytest.approx(h_nats / np.log(float(base)))


def test_self_information_seed_example():
    si = core.self_information([0.7, 0.2, 0.1])
    assert isinstance(si, np.ndarray) and si.dtype == np.float64
    np.testing.assert_allclose(np.round(si, 3), [0.357, 1.609, 2.303])
    np.testing.assert_allclose(core.self_information([0.5, 0.25], base=2), [1.0, 2.0])
    np.testing.assert_allclose(core.self_information([0.1, 0.01], base=10), [1.0, 2.0])


def test_self_information_scalar_and_zero():
    assert core.self_information(0.5, base=2) == pytest.approx(1.0)
    assert type(core.self_information(0.5)) is float
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = core.self_information([0.0, 1.0, 0.5])
    assert out[0] == np.inf and out[1] == 0.0 and not np.signbit(out[1])
    # does not need to sum to 1
    assert core.self_information([0.9, 0.9]).shape == (2,)


def test_olah_example_bits():
    p = [1 / 2, 1 / 4, 1 / 8, 1 / 8]
    q = [1 / 8, 1 / 2, 1 / 4, 1 / 8]
    assert core.entropy(p, base=2) == pytest.approx(1.75, abs=1e-12)
    assert core.cross_entropy(p, q, base=2) == pytest.approx(2.375, abs=1e-12)
    assert core.cross_entropy(q, p, base=2) == pytest.approx(2.25, abs=1e-12)
    assert core.kl_divergence(p, q, base=2) == pytest.approx(0.625, abs=1e-12)
    assert core.kl_divergence(q, p, base=2) == pytest.approx(0.5, abs=1e-12)


def test_entropy_extremes():
    assert core.entropy([1.0, 0.0, 0.0]) == 0.0
    assert core.entropy(np.full(8, 1 / 8), base=2) == pytest.approx(3.0)
    assert core.kl_divergence([0.3, 0.7], [0.3, 0.7]) == 0.0


def test_binary_entropy():
    assert core.binary_entropy(0.5, base=2) == pytest.approx(1.0)
    assert type(core.binary_entropy(0.5)) is float
    out = core.binary_entropy([0.0, 1.0, 0.5, 0.11])
    assert out[0] == 0.0 and out[1] == 0.0
    assert out[2] == pytest.approx(np.log(2))
    assert out[3] == pytest.approx(sp_entropy([0.11, 0.89]))
    xs = np.linspace(0, 1, 101)
    ref = [sp_entropy([x, 1 - x], base=10) for x in xs]
    np.testing.assert_allclose(core.binary_entropy(xs, base=10), ref, atol=1e-14)
    grid = core.binary_entropy(np.full((2, 3), 0.25))
    assert grid.shape == (2, 3)


def test_normalize():
    out = core.normalize([1, 2, 1])
    np.testing.assert_allclose(out, [0.25, 0.5, 0.25])
    assert out.dtype == np.float64
    np.testing.assert_allclose(core.normalize([0, 3]), [0.0, 1.0])
    np.testing.assert_allclose(core.normalize(np.array([[1.0, 1.0], [1.0, 1.0]])), np.full((2, 2), 0.25))


@pytest.mark.parametrize("base", BASES)
def test_information_terms_sum_to_totals(base):
    for p, q in PAIRS[:20]:
        t = core.information_terms(p, q, base=base)
        assert set(t) == {"self_info_q", "self_info_p", "cross", "entropy", "kl"}
        for v in t.values():
            assert isinstance(v, np.ndarray) and v.shape == p.shape and v.dtype == np.float64
        assert t["cross"].sum() == pytest.approx(core.cross_entropy(p, q, base=base), rel=1e-12)
        assert t["entropy"].sum() == pytest.approx(core.entropy(p, base=base), rel=1e-12)
        assert t["kl"].sum() == pytest.approx(core.kl_divergence(p, q, base=base), rel=1e-12, abs=1e-15)
        np.testing.assert_allclose(t["self_info_q"], core.self_information(q, base=base))
        np.testing.assert_allclose(t["self_info_p"], core.self_information(p, base=base))
        np.testing.assert_allclose(t["cross"], p * t["self_info_q"])
        np.testing.assert_allclose(t["entropy"], p * t["self_info_p"])
