"""redistribute / resize_distribution: the editors' re-normalisation rules, checked against an
exact rational-arithmetic reference written independently here."""
from fractions import Fraction

import numpy as np
import pytest

from explorer.core import redistribute, resize_distribution


def reference(values, i, v, locked):
    """The rule in exact arithmetic: others scale by (1 - L - v') / S_F."""
    vals = [Fraction(x) for x in values]
    n = len(vals)
    free = [j for j in range(n) if j != i and not locked[j]]
    s_free = sum((vals[j] for j in free), Fraction(0))
    if locked[i] or s_free == 0:
        return [float(x) for x in vals]
    lmass = sum((vals[j] for j in range(n) if j != i and locked[j]), Fraction(0))
    target = min(max(Fraction(v), Fraction(0)), 1 - lmass)
    out = list(vals)
    out[i] = target
    for j in free:
        out[j] = vals[j] * (1 - lmass - target) / s_free
    return [float(x) for x in out]


def test_worked_example_proportional():
    # raise "boots" from 0.7 to 0.8: the 0.1 comes out of 0.2 and 0.1 in ratio 2:1
    out = redistribute([0.7, 0.2, 0.1], 0, 0.8)
    np.testing.assert_allclose(out, [0.8, 0.2 * 0.2 / 0.3, 0.2 * 0.1 / 0.3], rtol=0, atol=1e-15)
    assert abs(out.sum() - 1) <= 1e-12


def test_lowering_gives_mass_proportionally():
    out = redistribute([0.5, 0.25, 0.25], 0, 0.0)
    np.testing.assert_allclose(out, [0, 0.5, 0.5], atol=1e-15)


def test_locked_entries_bit_identical_and_clamp_to_reachable():
    v = np.array([0.1, 0.3, 0.6])
    out = redistribute(v, 0, 0.9, locked=[False, True, False])
    assert out[1] == v[1]                      # bit-identical
    assert out[0] == pytest.approx(0.7)        # clamped to 1 - locked mass
    assert out[2] == pytest.approx(0.0, abs=1e-15)


@pytest.mark.parametrize("values, locked", [
    ([0.0, 1.0, 0.0], None),                   # the other bars are all 0: dog can't go down
    ([0.3, 0.3, 0.4], [True, False, True]),    # every other bar locked
])
def test_clamped_when_nothing_can_absorb(values, locked):
    out = redistribute(values, 1, 0.2, locked=locked)
    np.testing.assert_array_equal(out, values)


def test_dragged_bar_locked_is_unchanged():
    np.testing.assert_array_equal(redistribute([0.2, 0.8], 0, 0.5, [True, False]), [0.2, 0.8])


def test_zero_bar_can_be_raised():
    out = redistribute([0.0, 1.0, 0.0], 0, 0.25)
    np.testing.assert_allclose(out, [0.25, 0.75, 0.0], atol=1e-15)


def test_out_of_range_targets_clip():
    np.testing.assert_allclose(redistribute([0.5, 0.5], 0, 7.0), [1.0, 0.0], atol=1e-15)
    np.testing.assert_allclose(redistribute([0.5, 0.5], 0, -3.0), [0.0, 1.0], atol=1e-15)


def test_randomised_against_exact_reference():
    rng = np.random.default_rng(11)
    for _ in range(400):
        n = int(rng.integers(2, 40))
        v = rng.dirichlet(np.full(n, rng.choice([0.1, 1.0, 5.0])))
        v[rng.random(n) < 0.2] = 0.0
        if v.sum() == 0:
            v[0] = 1.0
        v = v / v.sum()
        locked = rng.random(n) < 0.3
        i = int(rng.integers(n))
        target = float(rng.uniform(-0.2, 1.2))
        out = redistribute(v, i, target, locked)
        ref = reference(v, i, target, locked)
        np.testing.assert_allclose(out, ref, rtol=0, atol=1e-12)
        assert abs(out.sum() - 1.0) <= 1e-12
        assert np.all((out >= 0) & (out <= 1))
        np.testing.assert_array_equal(out[locked & (np.arange(n) != i)], v[locked & (np.arange(n) != i)])


def test_large_n_sum_exact():
    rng = np.random.default_rng(2)
    v = rng.dirichlet(np.ones(1000))
    for k in range(50):
        v = redistribute(v, k, float(rng.random()) * 0.5)
        assert abs(v.sum() - 1.0) <= 1e-12


@pytest.mark.parametrize("args, message", [
    (([0.5, 0.5], 2, 0.1), "index"),
    (([0.5, 0.5], 0, float("nan")), "new_value"),
    (([0.5, 0.5], 0.5, 0.1), "index"),
    (([0.5, -0.5], 0, 0.1), "values"),
    (([0.5, 0.5], 0, 0.1, [True]), "locked"),
])
def test_bad_input_named(args, message):
    with pytest.raises(ValueError, match=message):
        redistribute(*args)


# ---------------------------------------------------------------- resize_distribution
def test_grow_uniform_stays_uniform():
    np.testing.assert_allclose(resize_distribution(np.full(4, 0.25), 5), np.full(5, 0.2), atol=1e-15)


def test_grow_takes_share_proportionally_from_unlocked():
    out = resize_distribution([0.7, 0.2, 0.1], 4, locked=[False, True, False])
    assert out[1] == 0.2
    assert out[3] == pytest.approx(0.25)
    # the 0.25 came out of 0.7 and 0.1 in ratio 7:1
    assert out[0] == pytest.approx(0.7 - 0.25 * 7 / 8)
    assert out[2] == pytest.approx(0.1 - 0.25 * 1 / 8)
    assert abs(out.sum() - 1) <= 1e-12


def test_shrink_renormalises_into_unlocked():
    out = resize_distribution([0.4, 0.2, 0.2, 0.2], 2, locked=[True, False, False, False])
    np.testing.assert_allclose(out, [0.4, 0.6], atol=1e-15)
    out = resize_distribution([0.0, 0.0, 1.0], 2)
    np.testing.assert_allclose(out, [0.5, 0.5])        # kept bars all 0: equal split
    out = resize_distribution([0.2, 0.3, 0.5], 2, locked=[True, True, False])
    np.testing.assert_allclose(out, [0.4, 0.6])        # all kept locked: plain re-normalisation


def test_resize_randomised_sum_and_range():
    rng = np.random.default_rng(5)
    for _ in range(200):
        m = int(rng.integers(2, 60))
        v = rng.dirichlet(np.ones(m))
        locked = rng.random(m) < 0.3
        n = int(rng.integers(2, 80))
        out = resize_distribution(v, n, locked)
        assert out.shape == (n,) and abs(out.sum() - 1) <= 1e-12
        assert np.all((out >= 0) & (out <= 1))
