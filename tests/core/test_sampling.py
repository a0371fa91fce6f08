"""Sampling from p, scored by q (explorer.core.sampling), against independent references:
scipy for the exact values, closed forms and direct numpy sums written here, scikit-learn's
log_loss for the batch losses."""
import math

import numpy as np
import pytest
from scipy.stats import entropy as sp_entropy, kstest
from sklearn.metrics import log_loss

from explorer import core

CASES = [
    ([0.5, 0.25, 0.125, 0.125], [0.125, 0.5, 0.25, 0.125]),     # Olah's Bob & Alice
    ([0.7, 0.2, 0.1], [1 / 3, 1 / 3, 1 / 3]),                     # PC power-on
    ([0.0, 1.0, 0.0], [0.4, 0.4, 0.2]),                           # the mastiff photo
    ([0.05] * 20, list(np.linspace(1, 2, 20) / np.linspace(1, 2, 20).sum())),
]


def test_uniforms_are_a_counter_based_stream():
    u = core.uniforms(7, 0, 1000)
    assert u.shape == (1000,) and u.min() >= 0 and u.max() < 1
    np.testing.assert_array_equal(core.uniforms(7, 400, 600), u[400:])    # any slice alone
    np.testing.assert_array_equal(core.uniforms(7, 0, 1000), u)           # repeatable
    assert not np.array_equal(core.uniforms(8, 0, 1000), u)
    assert kstest(core.uniforms(123, 0, 20000), "uniform").pvalue > 1e-3


def test_uniforms_known_values_are_fixed_for_every_machine():
    # SplitMix64 written out with Python integers, independently of the numpy version
    def splitmix(x):
        x = (x + 0x9E3779B97F4A7C15) & (2**64 - 1)
        x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & (2**64 - 1)
        x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & (2**64 - 1)
        return x ^ (x >> 31)

    seed = 42
    expected = [(splitmix((seed * 0x9E3779B97F4A7C15 + k) & (2**64 - 1)) >> 11) / 2**53
                for k in range(5)]
    assert core.uniforms(seed, 0, 5).tolist() == expected


@pytest.mark.parametrize("p,q", CASES)
def test_draws_follow_p_and_never_an_impossible_category(p, q):
    n = 100_000
    ev = core.draw_events(p, 3, 0, n)
    counts = np.bincount(ev, minlength=len(p))
    p = np.asarray(p)
    assert np.all(counts[p == 0] == 0)
    se = np.sqrt(n * p * (1 - p))
    assert np.all(np.abs(counts - n * p) <= 4 * se + 1e-9)


@pytest.mark.parametrize("p,q", CASES)
def test_running_means_converge_to_the_exact_values_within_4_standard_errors(p, q):
    n = 100_000
    ev = core.draw_events(p, 11, 0, n)
    run = core.running_information(ev, p, q)
    for mean, se, exact in ((run.cross, run.cross_se, sp_entropy(p) + sp_entropy(p, q)),
                            (run.entropy, run.entropy_se, sp_entropy(p)),
                            (run.kl, run.kl_se, sp_entropy(p, q))):
        assert abs(mean[-1] - exact) <= 4 * se[-1] + 1e-12


def test_running_statistics_equal_direct_sums():
    p, q = CASES[0]
    ev = core.draw_events(p, 5, 0, 500)
    run = core.running_information(ev, p, q, base=2)
    s = -np.log2(np.asarray(q)[ev])
    for k in (1, 2, 10, 499, 500):
        assert run.cross[k - 1] == pytest.approx(s[:k].mean(), rel=1e-12)
        if k > 1:
            assert run.cross_se[k - 1] == pytest.approx(s[:k].std(ddof=1) / math.sqrt(k), rel=1e-9)
    assert math.isnan(run.cross_se[0])
    assert run.first_impossible is None


def test_a_sample_of_an_impossible_event_makes_the_mean_infinite_from_there_on():
    p, q = [0.5, 0.5, 0.0], [1.0, 0.0, 0.0]
    ev = np.array([0, 0, 1, 0])
    run = core.running_information(ev, p, q)
    assert run.first_impossible == 2
    assert np.isfinite(run.cross[:2]).all() and np.isposinf(run.cross[2:]).all()
    assert np.isposinf(run.kl[2:]).all() and np.isfinite(run.entropy).all()
    assert not np.isnan(run.cross).any()


def test_log_likelihood_is_minus_n_times_the_running_cross_entropy():
    p, q = CASES[1]
    ev = core.draw_events(p, 9, 0, 1000)
    ll = core.log_likelihood(ev, q)
    assert ll == pytest.approx(float(np.sum(np.log(np.asarray(q)[ev]))), rel=1e-12)
    run = core.running_information(ev, p, q)
    assert ll == pytest.approx(-ev.size * run.cross[-1], rel=1e-12)
    assert core.log_likelihood([1], [1.0, 0.0]) == -math.inf


def test_the_empirical_distribution_is_the_maximum_likelihood_q():
    p = CASES[0][0]
    ev = core.draw_events(p, 2, 0, 300)
    p_hat = core.empirical_distribution(ev, 4)
    np.testing.assert_array_equal(p_hat, np.bincount(ev, minlength=4) / 300)
    best = core.log_likelihood(ev, p_hat)
    rng = np.random.default_rng(0)
    for _ in range(50):
        other = rng.dirichlet(np.ones(4))
        assert core.log_likelihood(ev, other) <= best + 1e-12
    with pytest.raises(ValueError, match="no events"):
        core.empirical_distribution([], 4)


@pytest.mark.parametrize("p,q", CASES)
def test_perplexity_is_the_same_in_every_unit(p, q):
    h_bits, h_nats = sp_entropy(p, base=2), sp_entropy(p)
    assert core.perplexity(p) == pytest.approx(2 ** h_bits, rel=1e-12)
    assert core.perplexity(p) == pytest.approx(math.exp(h_nats), rel=1e-12)
    ce = h_nats + sp_entropy(p, q)
    assert core.cross_perplexity(p, q) == pytest.approx(math.exp(ce), rel=1e-12)
    assert core.cross_perplexity(p, q) >= core.perplexity(p) - 1e-12
    assert core.perplexity([0.25] * 4) == pytest.approx(4.0)
    assert core.cross_perplexity([0.5, 0.5], [1.0, 0.0]) == math.inf


def test_batch_presets_of_the_articles():
    loss, terms = core.binary_batch_loss([1, 0], [0.7, 0.2])
    assert loss == pytest.approx(0.289909, abs=1e-6)
    y = [[0, 1, 0], [0, 0, 1]]
    a = [[0.4, 0.4, 0.2], [0.1, 0.12, 0.78]]
    loss, terms = core.categorical_batch_loss(y, a)
    assert terms == pytest.approx([0.916291, 0.248461], abs=1e-6)
    assert loss == pytest.approx(0.582376, abs=1e-6)


@pytest.mark.parametrize("seed", range(20))
def test_batch_losses_equal_scikit_learn_log_loss(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 40))
    y = rng.integers(0, 2, n)
    a = rng.uniform(0, 1, n)
    a[: n // 4] = rng.choice([0.0, 1.0], n // 4)       # saturated predictions: clipping matters
    eps = np.finfo(np.float64).eps
    if len(set(y.tolist())) == 2:
        ref = log_loss(y, a)
        assert core.binary_batch_loss(y, a, eps=eps)[0] == pytest.approx(ref, rel=1e-12, abs=1e-12)
    k = int(rng.integers(2, 6))
    labels = rng.integers(0, k, n)
    probs = rng.dirichlet(np.ones(k), n)
    onehot = np.eye(k)[labels]
    ref = log_loss(labels, probs, labels=list(range(k)))
    assert core.categorical_batch_loss(onehot, probs, eps=eps)[0] == pytest.approx(ref, rel=1e-12)


def test_batch_losses_without_eps_are_exact_and_infinite_when_confidently_wrong():
    assert core.binary_batch_loss([1], [0.0])[0] == math.inf
    assert core.binary_batch_loss([0], [0.0])[0] == 0.0
    assert core.categorical_batch_loss([[1, 0]], [[0.0, 1.0]])[0] == math.inf
    with pytest.raises(ValueError):
        core.binary_batch_loss([1, 0], [0.5])
    with pytest.raises(ValueError, match="sum to 1"):
        core.categorical_batch_loss([[1, 0]], [[0.3, 0.3]])


def test_the_running_scorer_equals_the_batch_computation_whatever_the_batches():
    p, q = [0.5, 0.3, 0.2, 0.0], [0.25, 0.25, 0.0, 0.5]
    ev = core.draw_events(p, 4, 0, 3000)
    ref = core.running_information(ev, p, q, base=10)
    scorer = core.RunningScorer(p, q, base=10)
    rng = np.random.default_rng(1)
    i = 0
    while i < ev.size:
        m = int(rng.integers(1, 400))
        scorer.extend(ev[i:i + m])
        i += m
    assert len(scorer) == ev.size and scorer.first_impossible == ref.first_impossible
    for key in ("cross", "entropy", "kl", "cross_se", "entropy_se", "kl_se"):
        np.testing.assert_allclose(getattr(scorer, key), getattr(ref, key), rtol=1e-9,
                                   equal_nan=True)
    np.testing.assert_array_equal(scorer.counts, np.bincount(ev, minlength=4))
