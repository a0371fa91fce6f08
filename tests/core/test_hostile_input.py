"""Issue 14 (core): tiny numbers, huge integers, complex and text input, and long races.

Each case is one the issue reports as failing; the references are closed forms evaluated here in
exact or 60-digit arithmetic (fractions, decimal), never the core's own functions.
"""
import math
import tracemalloc
import warnings
from decimal import Decimal, getcontext

import numpy as np
import pytest
from scipy.special import softmax as sp_softmax

from explorer import core
from explorer.core.errors import InputError

pytestmark = pytest.mark.filterwarnings("error")      # a RuntimeWarning is a failure here

TINY = 5e-324                                          # the smallest subnormal float64
NORMAL_MIN = 2.2250738585072014e-308                   # the smallest normal float64
getcontext().prec = 60


def _dec_log(x: float) -> Decimal:
    return Decimal(x).ln()


# ----------------------------------------------------------------------------- item 3: subnormals

@pytest.mark.parametrize("values, index, new", [
    ([1.0, TINY, 0.0], 0, 0.5),           # returned [0.5, 1, 0] (sum 1.5)
    ([1e-320, 1.0, 0.0, 0.0], 1, 0.0),    # returned NaN
    ([0.5, 0.5], 0, 1e-310),              # typing 1e-310 into a bar
    ([1e-310, 1.0 - 1e-310, 0.0], 2, 0.3),
    ([0.25, 0.25, 0.5 - 3e-308, 3e-308], 0, 0.9),
])
def test_redistribute_subnormal_masses_keep_a_distribution(values, index, new):
    out = core.redistribute(values, index, new)
    assert np.all(np.isfinite(out)) and np.all((out >= 0) & (out <= 1))
    assert abs(math.fsum(out) - 1.0) <= 1e-12
    # no subnormal survives in the result (documented floor: the smallest normal float)
    assert not np.any((out > 0) & (out < NORMAL_MIN))
    assert core.redistribute.__module__ and core.MASS_FLOOR == NORMAL_MIN


def test_redistribute_typed_subnormal_is_zero_and_the_others_stay_draggable():
    p = core.redistribute([0.2, 0.3, 0.5], 0, 1e-310)
    np.testing.assert_allclose(p, [0.0, 0.375, 0.625], rtol=0, atol=1e-15)
    q = core.redistribute(p, 1, 0.5)                    # "other bars can no longer be dragged"
    np.testing.assert_allclose(q, [0.0, 0.5, 0.5], rtol=0, atol=1e-15)
    assert abs(math.fsum(q) - 1.0) <= 1e-12


def test_locked_subnormal_is_kept_bit_identical():
    v = np.array([TINY, 0.5, 0.5 - TINY])
    out = core.redistribute(v, 1, 0.25, locked=[True, False, False])
    assert out[0] == TINY
    np.testing.assert_allclose(out[1:], [0.25, 0.75], atol=1e-15)


@pytest.mark.parametrize("values, n", [([1e-320, 1.0], 3), ([TINY, 0.5, 0.5], 2),
                                       ([1e-310, 1e-310, 1.0], 5), ([1.0, TINY], 1)])
def test_resize_distribution_subnormal_masses(values, n):
    out = core.resize_distribution(values, n)
    assert out.shape == (n,) and np.all(np.isfinite(out)) and np.all((out >= 0) & (out <= 1))
    assert abs(math.fsum(out) - 1.0) <= 1e-12
    assert not np.any((out > 0) & (out < NORMAL_MIN))


# ----------------------------------------------------------------------------- item 4: tiny q

def test_kl_with_subnormal_q_keeps_the_identity_finite_and_silent():
    p, q = [0.5, 0.5], [1.0, TINY]
    h_p = core.entropy(p)
    ce = core.cross_entropy(p, q)
    kl = core.kl_divergence(p, q)
    # closed form in 60 digits: KL = ½ ln(½ / 1) + ½ ln(½ / 5e-324)
    ref_kl = Decimal("0.5") * (_dec_log(0.5) - _dec_log(1.0)) + \
        Decimal("0.5") * (_dec_log(0.5) - _dec_log(TINY))
    ref_ce = -Decimal("0.5") * _dec_log(TINY)
    assert math.isfinite(kl) and math.isfinite(ce)
    assert kl == pytest.approx(float(ref_kl), rel=1e-14)
    assert ce == pytest.approx(float(ref_ce), rel=1e-14)
    assert ce == pytest.approx(h_p + kl, rel=1e-15)
    s = core.information_summary(p, q)
    assert s["kl_pq"] == kl and s["cross_pq"] == ce
    assert s["terms"]["kl"][1] == pytest.approx(float(Decimal("0.5") * (_dec_log(0.5) - _dec_log(TINY))))


def test_js_never_exceeds_ln2_with_subnormal_entries():
    js = core.js_divergence([1.0, TINY], [1.0, 0.0])
    # exact: ½ (1·ln 1 + 5e-324·ln 2) + ½ (1·ln 1) ≈ 1.7e-324
    assert 0.0 <= js <= math.log(2) and js == pytest.approx(0.0, abs=1e-300)
    assert core.js_divergence([TINY, 1.0 - TINY], [1.0, 0.0]) <= math.log(2)
    assert core.js_divergence([1.0, 0.0], [0.0, 1.0]) == pytest.approx(math.log(2), rel=1e-15)
    assert core.js_divergence([1.0, 0.0], [0.0, 1.0]) <= math.log(2)
    assert core.information_summary([1.0, TINY], [1.0, 0.0])["js"] == js


def test_sigmoid_derivative_never_above_a_quarter():
    z = np.concatenate([[1e-12, -1e-12, 1e-300, 5e-324, 0.0], np.geomspace(1e-16, 1e-4, 200)])
    ds = core.sigmoid_derivative(z)
    assert np.all(ds <= 0.25) and core.sigmoid_derivative(1e-12) <= 0.25
    assert core.sigmoid_derivative(1e-12) == pytest.approx(0.25, rel=1e-15)
    assert np.all(core.sigmoid_panel(z).dsigma <= 0.25)


def test_ce_book_at_z_800_is_finite():
    gw, gb = core.neuron_gradients(0, 800, 0, 0, "ce_book")
    assert math.isfinite(gw) and math.isfinite(gb) and gw == 0.0


@pytest.mark.parametrize("loss", ["mse", "ce", "ce_book"])
@pytest.mark.parametrize("w0, x, y", [(1e308, 1.0, 0.0), (-1e308, 1.0, 1.0), (1e308, 3.0, 0.0),
                                      (1e308, [2.0, -3.0, 1e300], [0.0, 1.0, 0.5])])
def test_training_from_huge_w0_has_no_nan(loss, w0, x, y):
    h = core.train_neuron(w0, 0.9, x, y, 0.15, 60, loss)
    for name in ("w", "b", "z", "a", "loss", "grad_w", "grad_b"):
        arr = getattr(h, name)
        assert not np.any(np.isnan(arr)), name
        assert np.all(np.isfinite(arr)), name       # clamped to ±max float, documented
    assert np.all((h.a >= 0) & (h.a <= 1)) and np.all(h.loss >= 0)


# ----------------------------------------------------------------------------- item 7: refusals

def test_entropy_of_a_tolerated_sum_is_not_negative():
    assert core.entropy([1 + 1e-15, 0]) == 0.0
    assert core.entropy([1 + 5e-10, 0]) == 0.0
    assert core.kl_divergence([0.5, 0.5], [0.5 + 4e-10, 0.5 + 4e-10]) >= 0.0
    assert core.cross_entropy([1 + 1e-15, 0], [1 + 1e-15, 0]) >= 0.0
    s = core.information_summary([1 + 1e-15, 0], [0.5, 0.5 + 1e-15])
    assert s["entropy_p"] == 0.0 and s["kl_pq"] >= 0 and 0 <= s["js"] <= math.log(2)


def test_redistribute_refuses_values_that_are_not_a_distribution():
    with pytest.raises(InputError, match=r"values: must sum to 1 \(sum = 0\)"):
        core.redistribute([0, 0], 0, 0.5)
    with pytest.raises(ValueError, match="values: must sum to 1"):
        core.resize_distribution([0.2, 0.2], 3)


BIG = 10 ** 400
P2 = [0.5, 0.5]
X4 = [[0.0, 1.0], [1.0, 0.0], [-1.0, 0.5], [0.5, -1.0]]
L4 = [0, 1, 0, 1]

#: (call with one argument replaced by 10**400, the argument name the message must start with)
BIG_INT_CALLS = [
    (lambda: core.entropy([BIG, 0]), "p"),
    (lambda: core.entropy(P2, base=BIG), "base"),
    (lambda: core.cross_entropy(P2, [BIG, 0]), "q"),
    (lambda: core.cross_entropy(P2, P2, eps=BIG), "eps"),
    (lambda: core.kl_divergence([BIG, 0], P2), "p"),
    (lambda: core.js_divergence(P2, [0, BIG]), "q"),
    (lambda: core.information_terms(P2, P2, eps=BIG), "eps"),
    (lambda: core.information_summary(P2, P2, base=BIG), "base"),
    (lambda: core.self_information(BIG), "p"),
    (lambda: core.binary_entropy([0.5, BIG]), "x"),
    (lambda: core.normalize([1, BIG]), "p"),
    (lambda: core.sigmoid(BIG), "z"),
    (lambda: core.sigmoid_derivative([0, BIG]), "z"),
    (lambda: core.inverse_sigmoid_derivative(BIG), "z"),
    (lambda: core.softmax([0, BIG]), "z"),
    (lambda: core.softmax([0.0, 1.0], temperature=BIG), "temperature"),
    (lambda: core.softmax([0.0, 1.0], axis=BIG), "axis"),
    (lambda: core.softmax_jacobian([0.0, 1.0], temperature=BIG), "temperature"),
    (lambda: core.logits_from_probs([BIG, 1]), "q"),
    (lambda: core.logits_from_probs(P2, floor=-BIG), "floor"),
    (lambda: core.mse_loss([BIG], [0.5]), "y"),
    (lambda: core.binary_cross_entropy([1], [0.5], eps=BIG), "eps"),
    (lambda: core.categorical_cross_entropy([1, 0], [BIG, 0]), "a"),
    (lambda: core.softmax_cross_entropy_gradient([BIG, 0], [1, 0]), "z"),
    (lambda: core.finite_difference_gradient(np.sum, [1.0], h=BIG), "h"),
    (lambda: core.finite_difference_gradient(lambda z: BIG, [1.0]), "f"),
    (lambda: core.neuron_gradients(BIG, 0, 1, 0, "ce"), "w"),
    (lambda: core.neuron_gradients(0, 0, [1, BIG], [0, 1], "ce"), "x"),
    (lambda: core.train_neuron(0, BIG, 1, 0, 0.1, 3, "ce"), "b"),
    (lambda: core.train_neuron(0, 0, 1, 0, BIG, 3, "ce"), "lr"),
    (lambda: core.train_neuron(0, 0, 1, 0, 0.1, BIG, "ce"), "epochs"),
    (lambda: core.redistribute([BIG, 0], 0, 0.5), "values"),
    (lambda: core.redistribute(P2, BIG, 0.5), "index"),
    (lambda: core.redistribute(P2, 0, BIG), "new_value"),
    (lambda: core.redistribute(P2, 0, 0.5, locked=[BIG, 0]), "locked"),
    (lambda: core.resize_distribution(P2, BIG), "n"),
    (lambda: core.sigmoid_panel(BIG), "z"),
    (lambda: core.sigmoid_panel(0.0, x=BIG), "x"),
    (lambda: core.saturation_threshold(BIG), "fraction"),
    (lambda: core.saturation_regions(-BIG, 1.0), "z_min"),
    (lambda: core.softmax_ce_loss([0.0, 1.0], [1, 0], temperature=BIG), "temperature"),
    (lambda: core.softmax_panel([0.0, 1.0], [1, 0], focus=BIG), "focus"),
    (lambda: core.softmax_panel([0.0, 1.0], [1, 0], h=BIG), "h"),
    (lambda: core.softmax_panel([0.0, 1.0], [1, 0], max_checks=2.5), "max_checks"),
    (lambda: core.neuron_loss_landscape([0, BIG], [0.0], 1.0, 0.0, "ce"), "w"),
    (lambda: core.landscape_bounds([0, BIG], [0.0]), "ws"),
    (lambda: core.landscape_bounds([0.0], [0.0], step=BIG), "step"),
    (lambda: core.make_blobs(BIG, 0.5, 1), "count"),
    (lambda: core.make_blobs(10, BIG, 1), "overlap"),
    (lambda: core.make_blobs(10, 0.5, 1, n_classes=BIG), "n_classes"),
    (lambda: core.logistic_loss_and_gradient([0, 0, BIG], X4, L4, "ce"), "theta"),
    (lambda: core.softmax_loss_and_gradient(np.zeros((3, 2)), X4, [0, 1, 0, BIG], "ce"), "labels"),
    (lambda: core.train_logistic([[0, BIG]] + X4[1:], L4, 0.1, 3, "ce"), "X"),
    (lambda: core.train_logistic(X4, L4, 0.1, BIG, "ce"), "epochs"),
    (lambda: core.train_softmax(X4, L4, BIG, 0.1, 3, "ce"), "n_classes"),
    (lambda: core.classifier_race(X4, L4, 2, BIG, 3), "lr"),
    (lambda: core.classifier_race(X4, L4, 2, 0.1, 3, grid_size=BIG), "grid_size"),
]


@pytest.mark.parametrize("call, name", BIG_INT_CALLS, ids=[f"{i}-{n}" for i, (_c, n) in
                                                           enumerate(BIG_INT_CALLS)])
def test_integers_beyond_float_range_are_refused_naming_the_argument(call, name):
    with pytest.raises(InputError) as info:
        call()
    exc = info.value
    assert isinstance(exc, ValueError) and not isinstance(exc, OverflowError)
    assert str(exc).startswith(f"{name}:"), str(exc)
    assert exc.fields.get("name") == name and exc.template.startswith("{name}:")
    assert "\n" not in str(exc) and len(str(exc)) < 200          # one readable line


NOT_REAL = [
    (lambda v: core.entropy(v), "p"),
    (lambda v: core.cross_entropy(P2, v), "q"),
    (lambda v: core.sigmoid(v), "z"),
    (lambda v: core.softmax(v), "z"),
    (lambda v: core.mse_loss(v, P2), "y"),
    (lambda v: core.redistribute(v, 0, 0.5), "values"),
    (lambda v: core.neuron_gradients(0, 0, v, [0, 1], "ce"), "x"),
    (lambda v: core.logits_from_probs(v), "q"),
]


@pytest.mark.parametrize("value", [np.array([0.5 + 0j, 0.5]), [0.5 + 0j, 0.5 + 0j],
                                   ["0.5", "0.5"], np.array(["0.5", "0.5"]), [b"0.5", b"0.5"],
                                   [0.5, None]],
                         ids=["complex-array", "complex-list", "str-list", "str-array", "bytes",
                              "none"])
@pytest.mark.parametrize("call, name", NOT_REAL, ids=[n + str(i) for i, (_c, n) in enumerate(NOT_REAL)])
def test_complex_and_numeric_text_are_refused(call, value, name):
    with warnings.catch_warnings():
        warnings.simplefilter("error")                 # numpy's ComplexWarning would be a bug
        with pytest.raises(InputError, match=rf"^{name}: must be "):
            call(value)


def test_scalars_that_are_not_real_numbers_are_refused():
    for bad in ("0.5", 0.5 + 0j, None, [0.5]):
        with pytest.raises(InputError, match="new_value"):
            core.redistribute(P2, 0, bad)
        with pytest.raises(InputError, match="temperature"):
            core.softmax([0.0, 1.0], temperature=bad)
    with pytest.raises(InputError, match="locked"):
        core.redistribute(P2, 0, 0.5, locked=["yes", "no"])


def test_refusals_keep_their_wording_and_carry_a_template():
    with pytest.raises(InputError) as info:
        core.entropy([0.5, 0.4])
    assert str(info.value) == "p: must sum to 1 (sum = 0.9)"
    assert info.value.template == "{name}: must sum to 1 (sum = {total})"
    assert info.value.fields == {"name": "p", "total": "0.9"}
    with pytest.raises(InputError) as info:
        core.cross_entropy([0.5, 0.6, -0.1], [0.2, 0.3, 0.5])
    assert str(info.value) == "p: entries must be non-negative (p[2] = -0.1)"
    with pytest.raises(InputError) as info:
        core.train_neuron(1, 1, 1, 0, 0.1, -1, "ce")
    assert str(info.value) == "epochs: must be a non-negative integer (got -1)"


def test_every_core_refusal_in_the_source_is_an_input_error():
    """No bare ValueError is raised anywhere in explorer/core (all carry a template)."""
    import ast
    from pathlib import Path
    pkg = Path(core.__file__).parent
    offenders = []
    for path in sorted(pkg.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                func = node.exc.func
                if getattr(func, "id", None) == "ValueError":
                    offenders.append(f"{path.name}:{node.lineno}")
    assert not offenders, offenders


def test_every_core_refusal_template_starts_with_the_argument_name():
    """Each InputError in explorer/core has a literal template "{name}: ..." and a name= field,
    so every refusal names the field it refuses (two used not to)."""
    import ast
    from pathlib import Path
    pkg = Path(core.__file__).parent
    bad, count = [], 0
    for path in sorted(pkg.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "InputError":
                count += 1
                arg = node.args[0] if node.args else None
                literal = isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                named = any(k.arg == "name" for k in node.keywords)
                if not (literal and arg.value.startswith("{name}: ") and named):
                    bad.append(f"{path.name}:{node.lineno}")
    assert count > 60 and not bad, bad


# ----------------------------------------------------------------------------- item 5: long races

def test_long_multiclass_race_stays_small_in_memory():
    """epochs = 100 000 held a float32 grid per epoch (8.6 GB); now grids are computed when
    asked for.  5 000 epochs needed ~450 MB before; the bound checked here is 60 MB."""
    X, lab = core.make_blobs(40, 0.3, seed=1, n_classes=3)
    tracemalloc.start()
    try:
        race = core.classifier_race(X, lab, 3, 0.5, 5000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 60e6, f"peak {peak / 1e6:.0f} MB"
    assert race.grid_proba["ce"].shape == (5001, 3, 48, 48)
    # epoch 4321's grid is the softmax of the stored parameters at every grid point
    W = race.runs["ce"].params[4321]
    g = race.grid
    for i, j in ((0, 0), (17, 40), (47, 3)):
        z = np.array([g[j], g[i], 1.0]) @ W
        np.testing.assert_allclose(race.grid_proba["ce"][4321, :, i, j], sp_softmax(z), atol=1e-5)
        np.testing.assert_allclose(race.grid_at("ce", 4321)[:, i, j], sp_softmax(z), atol=1e-5)
    Xa = np.column_stack([X, np.ones(len(X))])
    np.testing.assert_allclose(race.runs["mse"].proba[4000], sp_softmax(Xa @ race.runs["mse"].params[4000], axis=1),
                               rtol=1e-12)
    np.testing.assert_allclose(race.proba_at("mse", 4000), race.runs["mse"].proba[4000])
    assert race.boundary_at("ce", 10) is None


def test_epoch_frames_index_like_an_array():
    X, lab = core.make_blobs(10, 0.4, seed=3)
    race = core.classifier_race(X, lab, 2, 0.5, 30, grid_size=9)
    frames = race.grid_proba["mse"]
    full = np.asarray(frames)
    assert full.shape == frames.shape == (31, 9, 9) and full.dtype == np.float32
    for k in (0, 5, 30, -1):
        np.testing.assert_array_equal(frames[k], full[k])
    np.testing.assert_array_equal(frames[3:7], full[3:7])
    np.testing.assert_array_equal(frames[[2, 9, 4]], full[[2, 9, 4]])
    np.testing.assert_array_equal(frames[12, 4], full[12, 4])
    assert frames[12, 4, 7] == full[12, 4, 7]
    np.testing.assert_array_equal(frames[..., 0], full[..., 0])
    assert len(frames) == 31
    with pytest.raises(IndexError):
        frames[31]
    with pytest.raises(ValueError):
        frames[0][0, 0] = 1.0                          # read-only
    # the logistic boundary is at the same epoch as the grid: a point on it has P = ½
    th = race.runs["mse"].params[20]
    seg = race.boundary_at("mse", 20)
    if np.all(np.isfinite(seg)):
        mid = seg.mean(axis=0)
        assert 1.0 / (1.0 + math.exp(-(th[0] * mid[0] + th[1] * mid[1] + th[2]))) == pytest.approx(0.5)
    proba = race.runs["ce"].proba
    np.testing.assert_array_equal(np.asarray(proba)[17], proba[17])
    assert proba.shape == (31, len(X))
