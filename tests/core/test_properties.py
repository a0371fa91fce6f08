"""Property-based tests of the numeric core (hypothesis).

Random distributions of 1 to 1000 categories mixing exact zeros, subnormal masses (5e-324),
tiny normal ones, ordinary ones and huge weights (1e300, rescaled to sum 1): the information
quantities never give NaN; they are +inf exactly where some q_i = 0 < p_i; H(p, q) = H(p) +
D_KL(p || q); D_KL >= 0; 0 <= JS <= ln 2; the editing rules keep a distribution, its bounds
and its locks; invalid input is refused with a ValueError (InputError) naming the argument.

Budget: the hypothesis profile in tests/conftest.py (100 examples per property, the whole file
in well under 30 s).  Run long with ``EXPLORER_HYPOTHESIS_PROFILE=long`` and ``--timeout=0``
(10 000 examples per property; see DEVELOPERS.md, "Tests").
"""
import math
import warnings

import numpy as np
import pytest
import scipy.stats
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from explorer import core
from explorer.core.errors import InputError

pytestmark = pytest.mark.filterwarnings("error")    # no RuntimeWarning may escape the core

# ----------------------------------------------------------------------------- strategies

#: weights of every magnitude the issue lists: zeros, subnormals, tiny, ordinary, huge
WEIGHT = st.one_of(
    st.just(0.0),
    st.floats(min_value=5e-324, max_value=2.2e-308),           # subnormal
    st.floats(min_value=1e-300, max_value=1e-200),             # tiny normal
    st.floats(min_value=0.0, max_value=1.0),
    st.floats(min_value=1e300, max_value=1e307),               # huge (rescaled below)
)


@st.composite
def distributions(draw, n=None, min_size=1, max_size=1000):
    """A float64 distribution (Σ within a few ulp of 1) built from WEIGHT entries."""
    size = n if n is not None else draw(st.integers(min_size, max_size))
    w = draw(hnp.arrays(np.float64, size, elements=WEIGHT))
    top = float(w.max())
    if top == 0.0:
        w[draw(st.integers(0, size - 1))] = 1.0
        top = 1.0
    w = w / top                              # no overflow in the sum, huge weights become ~1
    return w / math.fsum(w)


@st.composite
def pairs(draw):
    n = draw(st.integers(1, 1000))
    return draw(distributions(n=n)), draw(distributions(n=n))


def _silent(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return fn(*args, **kwargs)


BASES = st.sampled_from([None, 2, 10, math.e, 0.5])


# ----------------------------------------------------------------------------- information

@given(pairs(), BASES)
def test_no_nan_and_inf_exactly_where_q_is_zero_and_p_is_not(pq, base):
    p, q = pq
    s = _silent(core.information_summary, p, q, base=base)
    scalars = [s[k] for k in ("entropy_p", "entropy_q", "cross_pq", "cross_qp", "kl_pq",
                              "kl_qp", "js")]
    assert not any(math.isnan(v) for v in scalars)
    for arr in s["terms"].values():
        assert not np.isnan(arr).any()
    impossible_pq = bool(np.any((q == 0) & (p > 0)))
    impossible_qp = bool(np.any((p == 0) & (q > 0)))
    assert math.isinf(s["cross_pq"]) == impossible_pq == math.isinf(s["kl_pq"])
    assert math.isinf(s["cross_qp"]) == impossible_qp == math.isinf(s["kl_qp"])
    np.testing.assert_array_equal(np.isinf(s["terms"]["cross"]), (q == 0) & (p > 0))
    np.testing.assert_array_equal(np.isinf(s["terms"]["kl"]), (q == 0) & (p > 0))
    assert math.isfinite(s["entropy_p"]) and math.isfinite(s["js"])


@given(pairs(), BASES)
def test_identity_and_inequalities(pq, base):
    p, q = pq
    h = _silent(core.entropy, p, base=base)
    ce = _silent(core.cross_entropy, p, q, base=base)
    kl = _silent(core.kl_divergence, p, q, base=base)
    js = _silent(core.js_divergence, p, q, base=base)
    factor = 1.0 if base is None else math.log(base)
    if factor > 0:
        assert h >= 0 and kl >= 0 and ce >= 0
        assert 0.0 <= js <= math.log(2) / factor
    else:                                   # base 0.5: every quantity changes sign
        assert h <= 0 and kl <= 0 and ce <= 0
        assert math.log(2) / factor <= js <= 0.0
    if math.isinf(ce) or math.isinf(kl):
        assert ce == kl                     # both +inf (or both -inf in base 0.5)
    else:
        assert ce == pytest.approx(h + kl, rel=1e-9, abs=1e-12 / abs(factor))
    assert js == pytest.approx(_silent(core.js_divergence, q, p, base=base), rel=1e-9, abs=1e-15)


@given(distributions())
def test_entropy_matches_scipy_and_is_bounded_by_log_n(p):
    h = core.entropy(p)
    assert 0.0 <= h <= math.log(p.size) * (1 + 1e-12) + 1e-15
    assert h == pytest.approx(float(scipy.stats.entropy(p)), rel=1e-9, abs=1e-12)


@given(pairs())
def test_kl_matches_scipy_where_scipy_is_reliable(pq):
    """scipy's rel_entr computes p·ln(p/q) directly, which overflows for a subnormal q_i;
    where no ratio overflows both must agree."""
    p, q = pq
    m = p > 0
    with np.errstate(all="ignore"):
        assume(np.all(np.isfinite(p[m] / q[m])) or np.any(q[m] == 0))
    ref = float(np.sum(scipy.special.rel_entr(p, q)))
    assert core.kl_divergence(p, q) == pytest.approx(ref, rel=1e-9, abs=1e-12)


@given(pairs(), st.floats(min_value=1e-15, max_value=0.49))
def test_eps_clipping_is_finite_and_keeps_the_identity_with_clipped_q(pq, eps):
    p, q = pq
    s = _silent(core.information_summary, p, q, eps=eps)
    assert math.isfinite(s["cross_pq"]) and math.isfinite(s["kl_pq"])
    qc = np.clip(q, eps, 1 - eps)
    m = p > 0
    ref = -math.fsum(p[m] * np.log(qc[m]))
    assert s["cross_pq"] == pytest.approx(ref, rel=1e-9, abs=1e-12)
    assert s["cross_pq"] == pytest.approx(s["entropy_p"] + s["kl_pq"], rel=1e-9, abs=1e-12)


# ----------------------------------------------------------------------------- activations

@given(hnp.arrays(np.float64, st.integers(1, 300),
                  elements=st.floats(min_value=-1e3, max_value=1e3)),
       st.floats(min_value=0.05, max_value=20.0))
def test_sigmoid_softmax_are_finite_and_in_range(z, t):
    s = _silent(core.sigmoid, z)
    ds = _silent(core.sigmoid_derivative, z)
    a = _silent(core.softmax, z, temperature=t)
    assert np.all((s >= 0) & (s <= 1)) and np.all((ds >= 0) & (ds <= 0.25))
    assert np.all(np.isfinite(a)) and np.all(a >= 0) and abs(math.fsum(a) - 1.0) <= 1e-12


# ----------------------------------------------------------------------------- editing rules

@st.composite
def edits(draw):
    v = draw(distributions(max_size=300))
    n = v.size
    locked = draw(hnp.arrays(np.bool_, n))
    index = draw(st.integers(-n, n - 1))
    target = draw(st.one_of(st.floats(min_value=-0.5, max_value=1.5), st.just(0.0),
                            st.just(1.0), st.floats(min_value=0.0, max_value=1e-300)))
    return v, index, target, locked


@given(edits())
def test_redistribute_keeps_sum_bounds_and_locks(edit):
    v, index, target, locked = edit
    out = _silent(core.redistribute, v, index, target, locked)
    assert out.shape == v.shape and out.dtype == np.float64
    assert np.all(np.isfinite(out)) and np.all((out >= 0) & (out <= 1))
    assert abs(math.fsum(out) - 1.0) <= 1e-12
    np.testing.assert_array_equal(out[locked], v[locked])        # bit-identical
    free = ~locked
    assert not np.any(free & (out > 0) & (out < core.MASS_FLOOR))   # no subnormal left
    i = index % v.size
    if not locked[i]:
        reachable = 1.0 - math.fsum(v[locked & (np.arange(v.size) != i)])
        # the dragged bar lands on the clipped target, or stays (when nothing can make room)
        want = min(max(target, 0.0), reachable)
        assert out[i] == pytest.approx(want, abs=1e-12) or out[i] == pytest.approx(
            v[i] if v[i] >= core.MASS_FLOOR else 0.0, abs=1e-12)


@given(edits())
def test_redistribute_does_what_redistribute_blocked_says(edit):
    """None: the bar lands on the (clipped) request; index/all-others locked: nothing moves;
    limited by locks: the bar stops at 1 − L.  Zero siblings share the freed mass equally."""
    v, index, target, locked = edit
    out = _silent(core.redistribute, v, index, target, locked)
    reason = _silent(core.redistribute_blocked, v, index, target, locked)
    n, i = v.size, index % v.size
    floored = np.where(~locked & (v < core.MASS_FLOOR), 0.0, v)
    others_locked = locked & (np.arange(n) != i)
    room = 1.0 - math.fsum(v[others_locked])
    if reason in ("index_locked", "all_others_locked"):
        np.testing.assert_array_equal(out, floored)
        assert locked[i] or locked[np.arange(n) != i].all()
        return
    want = min(max(target, 0.0), 1.0)
    if reason == "limited_by_locks":
        assert want > room and out[i] == pytest.approx(room, abs=1e-12)
        return
    assert reason is None
    expect = 0.0 if want < core.MASS_FLOOR else min(want, room)
    assert out[i] == pytest.approx(expect, abs=1e-12)
    free = ~locked & (np.arange(n) != i)
    if free.any() and floored[free].sum() == 0 and out[i] < floored[i]:
        # the freed mass went to the unlocked zero siblings, equally
        np.testing.assert_allclose(out[free], (room - out[i]) / free.sum(), rtol=1e-9, atol=1e-15)


@given(distributions(max_size=300), st.integers(1, 400), st.data())
def test_resize_distribution_keeps_sum_bounds_and_locks(v, n, data):
    locked = data.draw(hnp.arrays(np.bool_, v.size))
    out = _silent(core.resize_distribution, v, n, locked)
    assert out.shape == (n,) and np.all(np.isfinite(out))
    assert np.all((out >= 0) & (out <= 1)) and abs(math.fsum(out) - 1.0) <= 1e-12
    kept = min(n, v.size)
    keep_lk = locked[:kept]
    if (~keep_lk).any():                              # locked kept bars never change
        np.testing.assert_array_equal(out[:kept][keep_lk], v[:kept][keep_lk])


# ----------------------------------------------------------------------------- invalid input

@st.composite
def invalid_distributions(draw):
    """Something that is not a distribution, and why."""
    v = list(draw(distributions(max_size=50)))
    kind = draw(st.sampled_from(["negative", "nan", "inf", "sum", "complex", "text",
                                 "bigint", "empty", "2d", "none"]))
    i = draw(st.integers(0, len(v) - 1))
    if kind == "negative":
        v[i] = -draw(st.floats(min_value=1e-6, max_value=10.0))
    elif kind == "nan":
        v[i] = math.nan
    elif kind == "inf":
        v[i] = draw(st.sampled_from([math.inf, -math.inf]))
    elif kind == "sum":
        v[i] += draw(st.sampled_from([-1, 1])) * draw(st.floats(min_value=1e-8, max_value=0.5))
        v[i] = abs(v[i])
        assume(abs(math.fsum(v) - 1.0) > 1e-9)
    elif kind == "complex":
        v = np.array(v, dtype=complex)
    elif kind == "text":
        v = [repr(float(x)) for x in v]
    elif kind == "bigint":
        v[i] = 10 ** draw(st.integers(309, 2000))
    elif kind == "empty":
        v = []
    elif kind == "2d":
        v = [v, v]
    else:
        v[i] = None
    return v, kind


@given(invalid_distributions(), st.sampled_from(["p", "q"]))
def test_invalid_distributions_are_refused_naming_the_argument(bad, which):
    v, _kind = bad
    good = [1.0] if np.ndim(v) != 1 or len(v) == 0 else None
    for fn in (core.cross_entropy, core.kl_divergence, core.js_divergence,
               core.information_summary, core.information_terms):
        other = good if good is not None else [1.0 / len(v)] * len(v)
        args = (v, other) if which == "p" else (other, v)
        with pytest.raises(InputError) as info:
            _silent(fn, *args)
        assert str(info.value).startswith(f"{which}:")
    with pytest.raises(ValueError, match=r"^p:"):
        _silent(core.entropy, v)
    with pytest.raises(ValueError, match=r"^values:"):
        _silent(core.redistribute, v, 0, 0.5)
    with pytest.raises(ValueError, match=r"^values:"):
        _silent(core.resize_distribution, v, 3)


@given(st.one_of(st.integers(min_value=2 ** 1024, max_value=10 ** 1000),
                 st.integers(min_value=-10 ** 1000, max_value=-2 ** 1024),
                 st.complex_numbers(allow_nan=False, min_magnitude=0.0).map(lambda c: complex(c)),
                 st.text(min_size=0, max_size=8), st.none(), st.booleans()))
def test_scalar_arguments_refuse_what_is_not_a_real_number(bad):
    calls = [
        (lambda: core.redistribute([0.5, 0.5], 0, bad), "new_value"),
        (lambda: core.softmax([0.0, 1.0], temperature=bad), "temperature"),
        (lambda: core.entropy([0.5, 0.5], base=bad), "base"),
        (lambda: core.cross_entropy([0.5, 0.5], [0.5, 0.5], eps=bad), "eps"),
        (lambda: core.saturation_threshold(bad), "fraction"),
    ]
    for call, name in calls:
        if name in ("base", "eps") and bad is None:
            continue                        # None means "natural log" / "no clipping"
        with pytest.raises(InputError) as info:
            _silent(call)
        assert str(info.value).startswith(f"{name}:")
