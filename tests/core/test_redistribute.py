"""redistribute / resize_distribution: the editors' re-normalisation rules, checked against an
exact rational-arithmetic reference written independently here."""
from fractions import Fraction

import numpy as np
import pytest

from explorer.core import BLOCK_REASONS, redistribute, redistribute_blocked, resize_distribution


def reference(values, i, v, locked):
    """The rule in exact arithmetic: others scale by (1 - L - v') / S_F, or share the freed
    mass equally when they are all 0; nothing moves when i or all the others are locked."""
    vals = [Fraction(x) for x in values]
    n = len(vals)
    free = [j for j in range(n) if j != i and not locked[j]]
    s_free = sum((vals[j] for j in free), Fraction(0))
    if locked[i] or not free:
        return [float(x) for x in vals]
    lmass = sum((vals[j] for j in range(n) if j != i and locked[j]), Fraction(0))
    target = min(max(Fraction(v), Fraction(0)), 1 - lmass)
    out = list(vals)
    out[i] = target
    for j in free:
        if s_free > 0:
            out[j] = vals[j] * (1 - lmass - target) / s_free
        else:
            out[j] = (1 - lmass - target) / len(free)
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


def test_clamped_when_every_other_bar_is_locked():
    values, locked = [0.3, 0.3, 0.4], [True, False, True]
    np.testing.assert_array_equal(redistribute(values, 1, 0.2, locked=locked), values)
    assert redistribute_blocked(values, 1, 0.2, locked) == "all_others_locked"


def test_one_hot_bar_can_be_dragged_down_and_the_others_share_equally():
    """Issue 21 item 1: the default one-hot p (dog = 1) could not be lowered at all."""
    np.testing.assert_allclose(redistribute([0.0, 1.0, 0.0], 1, 0.5), [0.25, 0.5, 0.25],
                               rtol=0, atol=1e-15)
    np.testing.assert_allclose(redistribute([0.0, 1.0, 0.0], 1, 0.2), [0.4, 0.2, 0.4],
                               rtol=0, atol=1e-15)
    np.testing.assert_allclose(redistribute([0.0, 1.0, 0.0, 0.0], 1, 0.0), [1 / 3, 0, 1 / 3, 1 / 3],
                               rtol=0, atol=1e-15)
    assert redistribute_blocked([0.0, 1.0, 0.0], 1, 0.5) is None
    # raising it is a no-op (it already holds all the mass), and that is no refusal
    np.testing.assert_array_equal(redistribute([0.0, 1.0, 0.0], 1, 1.0), [0.0, 1.0, 0.0])
    assert redistribute_blocked([0.0, 1.0, 0.0], 1, 1.0) is None


def test_zero_siblings_next_to_locked_mass_share_what_is_freed():
    # p = (0.3 locked, 0.7, 0, 0): lowering bar 1 to 0.1 frees 0.6 for the two zero bars
    out = redistribute([0.3, 0.7, 0.0, 0.0], 1, 0.1, locked=[True, False, False, False])
    np.testing.assert_allclose(out, [0.3, 0.1, 0.3, 0.3], rtol=0, atol=1e-15)
    assert out[0] == 0.3
    # locked zeros stay 0: only unlocked siblings receive
    out = redistribute([0.0, 1.0, 0.0, 0.0], 1, 0.4, locked=[True, False, False, False])
    np.testing.assert_allclose(out, [0.0, 0.4, 0.3, 0.3], rtol=0, atol=1e-15)


def test_blocked_reasons():
    assert redistribute_blocked([0.2, 0.8], 0, 0.5, [True, False]) == "index_locked"
    assert redistribute_blocked([0.3, 0.3, 0.4], 1, 0.2, [True, False, True]) == "all_others_locked"
    # the request already holds: nothing to explain
    assert redistribute_blocked([0.3, 0.3, 0.4], 1, 0.3, [True, False, True]) is None
    # locked mass 0.3 caps the bar at 0.7: applied up to there, and said why
    assert redistribute_blocked([0.1, 0.3, 0.6], 0, 0.9, [False, True, False]) == "limited_by_locks"
    assert redistribute_blocked([0.1, 0.3, 0.6], 0, 0.7, [False, True, False]) is None
    assert redistribute_blocked([0.5, 0.5], 0, 7.0) is None             # clipped to [0, 1]
    assert set(BLOCK_REASONS) == {"index_locked", "all_others_locked", "limited_by_locks"}
    with pytest.raises(ValueError, match="index"):
        redistribute_blocked([0.5, 0.5], 2, 0.1)


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
    # unlocked mass 0.8 over the 2 unlocked bars + 1 new one: the new bar gets 0.8/3, taken
    # out of 0.7 and 0.1 in ratio 7:1 (both scaled by 2/3)
    out = resize_distribution([0.7, 0.2, 0.1], 4, locked=[False, True, False])
    assert out[1] == 0.2
    assert out[3] == pytest.approx(0.8 / 3)
    assert out[0] == pytest.approx(0.7 * 2 / 3) and out[2] == pytest.approx(0.1 * 2 / 3)
    assert abs(out.sum() - 1) <= 1e-12


def test_grow_with_a_locked_bar_keeps_the_unlocked_proportions():
    """Issue 21 item 2: (0.7 locked, 0.2, 0.1) → 5 gave (0.7, 0, 0, 0.15, 0.15), wiping data."""
    out = resize_distribution([0.7, 0.2, 0.1], 5, locked=[True, False, False])
    np.testing.assert_allclose(out, [0.7, 0.1, 0.05, 0.075, 0.075], rtol=0, atol=1e-15)
    assert out[0] == 0.7 and out[1] / out[2] == pytest.approx(2.0)
    assert abs(out.sum() - 1) <= 1e-12


@pytest.mark.parametrize("values, n", [([0.5, 0.3, 0.2], 5), ([0.0, 1.0, 0.0], 4), ([0.1, 0.9], 50)])
def test_grow_without_locks_is_todays_uniform_share(values, n):
    # each new bar gets 1/n, the old bars are scaled by m/n
    m = len(values)
    out = resize_distribution(values, n)
    np.testing.assert_allclose(out[m:], 1.0 / n, rtol=1e-14)
    np.testing.assert_allclose(out[:m], np.array(values) * m / n, rtol=1e-14, atol=1e-16)


def test_grow_exact_reference_randomised():
    rng = np.random.default_rng(8)
    for _ in range(200):
        m = int(rng.integers(1, 30))
        v = rng.dirichlet(np.ones(m))
        v[rng.random(m) < 0.2] = 0.0
        if v.sum() == 0:
            v[0] = 1.0
        v /= v.sum()
        locked = rng.random(m) < 0.4
        n = m + int(rng.integers(1, 20))
        vals = [Fraction(x) for x in v]
        u = sum(1 for j in range(m) if not locked[j])
        mass = sum((vals[j] for j in range(m) if not locked[j]), Fraction(0))
        if mass > 0:
            ref = [vals[j] if locked[j] else vals[j] * u / (u + n - m) for j in range(m)]
            ref += [mass / (u + n - m)] * (n - m)
        else:
            ref = vals + [Fraction(0)] * (n - m)
        out = resize_distribution(v, n, locked)
        np.testing.assert_allclose(out, [float(x) for x in ref], rtol=0, atol=1e-12)
        np.testing.assert_array_equal(out[:m][locked], v[locked])


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
