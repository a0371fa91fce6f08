"""Issue 18 (core): the loss family on logits, label smoothing and the finite optimum margin.

References are written here and never call the core: every loss in 50-digit decimal arithmetic
from its definition, its derivative by a decimal central difference (h = 1e-15, so both
truncation and rounding error are below 1e-28), the smoothed softmax cross-entropy in PyTorch's
formula with scipy's log_softmax (and PyTorch itself when it is installed).  The core's
gradients are also checked against float64 central differences of the core's own losses.
"""
import math
import warnings
from decimal import Decimal, getcontext, localcontext

import numpy as np
import pytest
from scipy.optimize import minimize
from scipy.special import log_softmax
from scipy.special import softmax as sp_softmax

from explorer import core
from explorer.core.errors import InputError

pytestmark = pytest.mark.filterwarnings("error")

getcontext().prec = 50
D = Decimal
ONE = D(1)
H = D("1e-15")

Z_GRID = [-1000.0, -745.0, -500.0, -100.0, -40.0, -10.0, -3.0, -1.0, -0.3, 0.0, 0.3, 1.0, 3.0,
          10.0, 40.0, 100.0, 500.0, 745.0, 1000.0]
Y_VALUES = [0.0, 1.0, 0.3, 0.77]
#: (name, params) pairs: every loss, focal and smoothed CE at several parameters
CASES = [("mse", {}), ("ce", {}), ("hinge", {}),
         ("focal", {}), ("focal", {"gamma": 0.0}), ("focal", {"gamma": 0.5}),
         ("focal", {"gamma": 5.0, "alpha": 0.25}), ("focal", {"gamma": 2.0, "alpha": 0.9}),
         ("smoothed_ce", {}), ("smoothed_ce", {"eps": 0.0}), ("smoothed_ce", {"eps": 0.5})]


# ----------------------------------------------------------------------------- references

def _sig(z: Decimal) -> Decimal:
    return ONE / (ONE + (-z).exp())


def _log1p(x: Decimal) -> Decimal:
    """ln(1 + x) without losing a tiny x to the rounding of 1 + x (series below 1e-12)."""
    if abs(x) < D("1e-12"):
        return x - x * x / 2 + x * x * x / 3
    return (ONE + x).ln()


def _log_sig(z: Decimal) -> Decimal:        # ln σ(z) = −ln(1 + e^{−z})
    return -_log1p((-z).exp())


def ref_binary(name, z, y, gamma=2.0, alpha=None, eps=0.1) -> Decimal:
    """The loss from its definition, in decimal."""
    z, y = D(z), D(y)
    if name == "hinge":
        t = 2 * y - 1
        return max(D(0), 1 - t * z)
    if name == "smoothed_ce":
        y = y * (1 - D(eps)) + D(eps) / 2
    a, one_minus_a = _sig(z), _sig(-z)
    if name == "mse":
        # a − y written as (1 − y) a − y (1 − a) (the same number: a + (1 − a) = 1), which keeps
        # its digits at a ≈ 1 in 50-digit arithmetic (1 − σ(100) ≈ 4e-44)
        return ((1 - y) * a - y * one_minus_a) ** 2 / 2
    ce = -(y * _log_sig(z) + (1 - y) * _log_sig(-z))
    if name in ("ce", "smoothed_ce"):
        return ce
    # focal, torchvision's form: α_t (1 − p_t)^γ · CE, p_t = a y + (1 − a)(1 − y)
    omp = y * one_minus_a + (1 - y) * a
    w = ONE if gamma == 0 else (D(0) if omp == 0 else omp ** D(gamma))
    at = ONE if alpha is None else D(alpha) * y + (1 - D(alpha)) * (1 - y)
    return at * w * ce


def ref_binary_grad(name, z, y, **params) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 80
        return (ref_binary(name, D(z) + H, y, **params)
                - ref_binary(name, D(z) - H, y, **params)) / (2 * H)


def ref_multiclass(name, z, y, gamma=2.0, alpha=None, eps=0.1) -> Decimal:
    z = [D(v) for v in z]
    y = [D(v) for v in y]
    K = len(z)
    if name == "hinge":
        return sum((y[t] * sum((max(D(0), z[j] - z[t] + 1) for j in range(K) if j != t), D(0))
                    for t in range(K)), D(0))
    if name == "smoothed_ce":
        y = [v * (1 - D(eps)) + D(eps) / K for v in y]
    m = max(z)
    lse = m + sum(((v - m).exp() for v in z), D(0)).ln()
    logp = [v - lse for v in z]
    p = [v.exp() for v in logp]
    if name == "mse":
        return sum(((p[j] - y[j]) ** 2 for j in range(K)), D(0)) / 2
    if name in ("ce", "smoothed_ce"):
        return -sum((y[j] * logp[j] for j in range(K) if y[j] > 0), D(0))
    scale = ONE if alpha is None else D(alpha)
    total = D(0)
    for j in range(K):
        if y[j] > 0:
            omp = sum((p[k] for k in range(K) if k != j), D(0))
            w = ONE if gamma == 0 else (D(0) if omp == 0 else omp ** D(gamma))
            total += y[j] * w * logp[j]
    return -scale * total


def ref_multiclass_grad(name, z, y, **params):
    out = []
    with localcontext() as ctx:
        ctx.prec = 80
        for k in range(len(z)):
            zp = [D(v) for v in z]
            zm = [D(v) for v in z]
            zp[k] += H
            zm[k] -= H
            out.append(float((ref_multiclass(name, zp, y, **params)
                              - ref_multiclass(name, zm, y, **params)) / (2 * H)))
    return np.array(out)


def _near_kink(name, z, y):
    return name == "hinge" and abs(1 - (2 * y - 1) * z) < 1e-3


# ----------------------------------------------------------------------------- binary

@pytest.mark.parametrize("name, params", CASES, ids=[f"{n}-{p}" for n, p in CASES])
@pytest.mark.parametrize("y", Y_VALUES)
def test_binary_losses_against_the_decimal_definition(name, params, y):
    zs = np.array(Z_GRID)
    got = core.binary_loss(name, zs, y, **params)
    grad = core.binary_loss_grad(name, zs, y, **params)
    assert got.shape == grad.shape == zs.shape
    both = core.binary_loss_and_grad(name, zs, y, **params)     # one pass, the same numbers
    np.testing.assert_array_equal(both[0], got)
    np.testing.assert_array_equal(both[1], grad)
    assert np.all(np.isfinite(got)) and np.all(np.isfinite(grad)) and np.all(got >= 0)
    for z, g_loss, g_grad in zip(Z_GRID, got, grad):
        ref = float(ref_binary(name, z, y, **params))
        assert g_loss == pytest.approx(ref, rel=1e-12, abs=1e-300), (z, g_loss, ref)
        if not _near_kink(name, z, y):
            ref_g = float(ref_binary_grad(name, z, y, **params))
            assert g_grad == pytest.approx(ref_g, rel=1e-9, abs=1e-15), (z, g_grad, ref_g)
        # scalar input gives the same numbers as a Python float
        assert core.binary_loss(name, z, y, **params) == pytest.approx(g_loss, rel=1e-15, abs=0)
        assert type(core.binary_loss_grad(name, z, y, **params)) is float
        pair = core.binary_loss_and_grad(name, z, y, **params)
        assert all(type(v) is float for v in pair) and pair[0] == pytest.approx(ref, rel=1e-12,
                                                                               abs=1e-300)


@pytest.mark.parametrize("name, params", CASES, ids=[f"{n}-{p}" for n, p in CASES])
def test_binary_gradients_match_central_differences_of_the_losses(name, params):
    rng = np.random.default_rng(3)
    for z in list(rng.uniform(-12, 12, 40)) + Z_GRID:
        for y in Y_VALUES:
            if _near_kink(name, z, y):
                continue
            h = 1e-6 * max(1.0, abs(z))
            fd = (core.binary_loss(name, z + h, y, **params)
                  - core.binary_loss(name, z - h, y, **params)) / (2 * h)
            g = core.binary_loss_grad(name, z, y, **params)
            assert g == pytest.approx(fd, rel=1e-6, abs=1e-7), (z, y, g, fd)


def test_binary_special_cases_reduce_to_cross_entropy():
    z = np.linspace(-30, 30, 61)
    for y in Y_VALUES:
        ce = core.binary_loss("ce", z, y)
        np.testing.assert_array_equal(core.binary_loss("smoothed_ce", z, y, eps=0.0), ce)
        np.testing.assert_allclose(core.binary_loss("focal", z, y, gamma=0.0), ce, rtol=1e-15)
        np.testing.assert_allclose(core.binary_loss_grad("focal", z, y, gamma=0.0),
                                   core.binary_loss_grad("ce", z, y), rtol=1e-13, atol=1e-16)
    # cross-entropy from the logit at the saturated ends: no overflow, no log(0)
    assert core.binary_loss("ce", -1000.0, 1.0) == 1000.0
    assert core.binary_loss("ce", 1000.0, 0.0) == 1000.0
    assert core.binary_loss("ce", 1000.0, 1.0) == 0.0
    # smoothed CE is smallest at the finite logit ln(y_ε / (1 − y_ε))
    y_eps = 1 - 0.1 / 2
    z_star = math.log(y_eps / (1 - y_eps))
    assert core.binary_loss_grad("smoothed_ce", z_star, 1.0, eps=0.1) == pytest.approx(0, abs=1e-15)


def test_binary_losses_broadcast_targets():
    z = np.array([[-2.0], [0.5]])
    y = np.array([0.0, 1.0, 0.4])
    out = core.binary_loss("focal", z, y, gamma=1.5)
    assert out.shape == (2, 3)
    assert out[1, 2] == pytest.approx(float(ref_binary("focal", 0.5, 0.4, gamma=1.5)), rel=1e-12)


@pytest.mark.parametrize("call, message", [
    (lambda: core.binary_loss("svm", 0.0, 1.0), r"loss: unknown loss 'svm'"),
    (lambda: core.binary_loss("ce", 0.0, 1.0, gamma=2), r"gamma: unknown parameter for the ce loss"),
    (lambda: core.binary_loss("focal", 0.0, 1.0, gamma=-0.5), r"gamma: must be in \[0, 100\]"),
    (lambda: core.binary_loss("focal", 0.0, 1.0, alpha=1.5), r"alpha: must be in \[0, 1\]"),
    (lambda: core.binary_loss("focal", 0.0, 1.0, alpha=True), r"alpha: must be a number"),
    (lambda: core.binary_loss("smoothed_ce", 0.0, 1.0, eps=2.0), r"eps: must be in \[0, 1\]"),
    (lambda: core.binary_loss("smoothed_ce", 0.0, 1.0, eps=10 ** 400), r"eps: must be in"),
    (lambda: core.binary_loss("ce", [0.0, 1.0], [1.0, 0.0, 1.0]), r"y: shape"),
    (lambda: core.binary_loss("ce", 0.0, 1.5), r"y: entries must be at most 1"),
    (lambda: core.binary_loss_grad("hinge", np.nan, 1.0), r"z: entries must be finite"),
    (lambda: core.multiclass_loss("ce", [0.0, 1.0], [0.5, 0.6]), r"y: must sum to 1"),
    (lambda: core.multiclass_loss("ce", [0.0, 1.0], 2), r"y: class indices must be 0..1"),
    (lambda: core.smooth_labels([0.0, 1.0], 1.5), r"eps: must be in \[0, 1\]"),
    (lambda: core.softmax_cross_entropy([0.0, 1.0], 1, label_smoothing=-0.1),
     r"label_smoothing: must be in \[0, 1\]"),
    (lambda: core.optimal_logit_margin(0.1, 1), r"n_classes: must be an integer ≥ 2"),
])
def test_family_refusals_name_the_argument(call, message):
    with pytest.raises(InputError, match=message):
        call()


def test_loss_spec_fills_defaults():
    assert core.loss_spec("focal") == ("focal", {"gamma": 2.0, "alpha": None})
    assert core.loss_spec(("focal", {"gamma": 1})) == ("focal", {"gamma": 1.0, "alpha": None})
    assert core.loss_spec({"loss": "smoothed_ce", "eps": 0.2}) == ("smoothed_ce", {"eps": 0.2})
    assert core.loss_spec("hinge") == ("hinge", {})
    assert set(core.LOSS_PARAMETERS) == set(core.BINARY_LOSSES) == set(core.MULTICLASS_LOSSES)


# ----------------------------------------------------------------------------- multi-class

MC_LOGITS = [np.array([0.0, 0.0, 0.0]), np.array([2.0, -1.0, 0.5]), np.array([1000.0, -1000.0, 0.0]),
             np.array([-1000.0, 1000.0, 999.0]), np.array([-3.0, 4.0, 0.2, 1.5, -0.7]),
             np.array([745.0, -745.0, 30.0, -30.0])]


def _targets(k):
    soft = np.linspace(1.0, 2.0, k)
    return [0, k - 1, soft / soft.sum()]


@pytest.mark.parametrize("name, params", CASES, ids=[f"{n}-{p}" for n, p in CASES])
def test_multiclass_losses_against_the_decimal_definition(name, params):
    for z in MC_LOGITS:
        for target in _targets(z.size):
            y = np.eye(z.size)[target] if np.ndim(target) == 0 else target
            loss = core.multiclass_loss(name, z, target, **params)
            grad = core.multiclass_loss_grad(name, z, target, **params)
            assert np.isfinite(loss) and np.all(np.isfinite(grad))
            ref = float(ref_multiclass(name, z, y, **params))
            assert loss == pytest.approx(ref, rel=1e-12, abs=1e-300), (z, target, loss, ref)
            if name == "hinge" and np.any(np.abs(np.abs(z[:, None] - z[None, :]) - 1) < 1e-3):
                continue
            np.testing.assert_allclose(grad, ref_multiclass_grad(name, z, y, **params),
                                       rtol=1e-9, atol=1e-15, err_msg=f"{z} {target}")
            assert abs(grad.sum()) <= 1e-12 * max(1.0, np.abs(grad).max())   # shift invariance


@pytest.mark.parametrize("name, params", CASES, ids=[f"{n}-{p}" for n, p in CASES])
def test_multiclass_gradients_match_central_differences_and_rows(name, params):
    rng = np.random.default_rng(9)
    Z = rng.normal(0, 4, (6, 4))
    labels = rng.integers(0, 4, 6)
    G = core.multiclass_loss_grad(name, Z, labels, **params)
    L = core.multiclass_loss(name, Z, labels, **params)
    assert G.shape == Z.shape and L.shape == (6,)
    for i in range(6):
        assert L[i] == pytest.approx(core.multiclass_loss(name, Z[i], int(labels[i]), **params))
        for k in range(4):
            zp, zm = Z[i].copy(), Z[i].copy()
            zp[k] += 1e-6
            zm[k] -= 1e-6
            fd = (core.multiclass_loss(name, zp, int(labels[i]), **params)
                  - core.multiclass_loss(name, zm, int(labels[i]), **params)) / 2e-6
            assert G[i, k] == pytest.approx(fd, rel=1e-6, abs=1e-8)


def test_two_class_softmax_cross_entropy_is_the_binary_one():
    for z in (-1000.0, -7.0, 0.0, 2.5, 1000.0):
        for y in (0.0, 1.0, 0.3):
            for name, params in (("ce", {}), ("smoothed_ce", {"eps": 0.2})):
                mc = core.multiclass_loss(name, [0.0, z], [1 - y, y], **params)
                assert mc == pytest.approx(core.binary_loss(name, z, y, **params), rel=1e-12, abs=1e-300)


# ----------------------------------------------------------------------------- label smoothing

def _torch_reference(z, y, eps):
    """PyTorch's F.cross_entropy(..., label_smoothing=eps) written out: for class indices
    (1 − ε)·(−log p_t) + ε·mean_j(−log p_j), averaged over rows."""
    logp = log_softmax(np.atleast_2d(z), axis=1)
    y = np.atleast_1d(y)
    nll = -logp[np.arange(len(y)), y]
    smooth = -logp.mean(axis=1)
    return float(np.mean((1 - eps) * nll + eps * smooth))


@pytest.mark.parametrize("eps", [0.0, 0.1, 0.3, 1.0])
def test_softmax_cross_entropy_matches_pytorchs_formula(eps):
    rng = np.random.default_rng(4)
    Z = rng.normal(0, 3, (7, 5))
    Z[0] = [1000.0, -1000.0, 0.0, 5.0, -5.0]
    labels = rng.integers(0, 5, 7)
    got = core.softmax_cross_entropy(Z, labels, label_smoothing=eps)
    assert got == pytest.approx(_torch_reference(Z, labels, eps), rel=1e-12)
    onehot = np.eye(5)[labels]
    assert core.softmax_cross_entropy(Z, onehot, label_smoothing=eps) == pytest.approx(got, rel=1e-13)
    # one sample: the loss of that sample
    assert core.softmax_cross_entropy(Z[2], int(labels[2]), eps) == pytest.approx(
        _torch_reference(Z[2], labels[2], eps), rel=1e-12)
    # soft targets are smoothed too (PyTorch's convention): −Σ ((1 − ε) y + ε/K) log p, mean
    soft = sp_softmax(rng.normal(size=(7, 5)), axis=1)
    ref = np.mean(-np.sum(((1 - eps) * soft + eps / 5) * log_softmax(Z, axis=1), axis=1))
    assert core.softmax_cross_entropy(Z, soft, eps) == pytest.approx(ref, rel=1e-12)


def test_softmax_cross_entropy_against_pytorch_if_installed():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(5)
    Z = rng.normal(0, 3, (6, 4))
    labels = rng.integers(0, 4, 6)
    for eps in (0.0, 0.1, 0.25):
        ref = float(torch.nn.functional.cross_entropy(torch.tensor(Z), torch.tensor(labels),
                                                      label_smoothing=eps))
        assert core.softmax_cross_entropy(Z, labels, eps) == pytest.approx(ref, rel=1e-10)


@pytest.mark.parametrize("eps", [0.0, 0.1, 0.5])
def test_smoothed_gradient_is_a_minus_smoothed_target(eps):
    rng = np.random.default_rng(6)
    Z = rng.normal(0, 2, (4, 3))
    labels = np.array([0, 2, 1, 1])
    g = core.softmax_cross_entropy_gradient(Z, labels, label_smoothing=eps)
    ys = (1 - eps) * np.eye(3)[labels] + eps / 3
    np.testing.assert_allclose(g, sp_softmax(Z, axis=1) - ys, rtol=1e-12, atol=1e-15)
    # it is n times the gradient of the mean loss, by central differences
    for i in range(4):
        for k in range(3):
            Zp, Zm = Z.copy(), Z.copy()
            Zp[i, k] += 1e-6
            Zm[i, k] -= 1e-6
            fd = (core.softmax_cross_entropy(Zp, labels, eps)
                  - core.softmax_cross_entropy(Zm, labels, eps)) / 2e-6
            assert g[i, k] / 4 == pytest.approx(fd, rel=1e-6, abs=1e-9)
    # the default is today's a − y
    np.testing.assert_array_equal(core.softmax_cross_entropy_gradient(Z, np.eye(3)[labels]),
                                  sp_softmax(Z, axis=1) - np.eye(3)[labels])


def test_smooth_labels_closed_form():
    y = np.eye(4)[[0, 3]]
    np.testing.assert_allclose(core.smooth_labels(y, 0.2), 0.8 * y + 0.05, rtol=1e-15)
    np.testing.assert_allclose(core.smooth_labels(y, 1.0), np.full((2, 4), 0.25))
    np.testing.assert_array_equal(core.smooth_labels(y, 0.0), y)
    assert core.smooth_labels([0.0, 1.0, 0.0], 0.3).sum() == pytest.approx(1.0, abs=1e-15)
    np.testing.assert_allclose(core.smooth_labels([0.0, 1.0, 0.25], 0.1, n_classes=2),
                               [0.05, 0.95, 0.25 * 0.9 + 0.05])


# ----------------------------------------------------------------------------- the optimum margin

@pytest.mark.parametrize("eps, k", [(0.1, 3), (0.1, 10), (0.01, 2), (0.5, 5), (0.9, 4)])
def test_optimal_margin_is_where_smoothed_ce_is_smallest(eps, k):
    """Derivation: CE(y_ε, softmax z) = H(y_ε) + KL(y_ε ‖ softmax z) is smallest (KL = 0) at
    softmax z = y_ε, i.e. a_t = 1 − ε + ε/K and a_j = ε/K, so z_t − z_j = ln(a_t / a_j)."""
    m = core.optimal_logit_margin(eps, k)
    assert m == pytest.approx(math.log((1 - eps + eps / k) * k / eps), rel=1e-15)
    z_star = np.zeros(k)
    z_star[0] = m
    grad = core.multiclass_loss_grad("smoothed_ce", z_star, 0, eps=eps)
    np.testing.assert_allclose(grad, 0.0, atol=1e-15)
    # and a general-purpose minimiser finds the same margin from a random start
    f = lambda z: core.multiclass_loss("smoothed_ce", z, 0, eps=eps)          # noqa: E731
    g = lambda z: core.multiclass_loss_grad("smoothed_ce", z, 0, eps=eps)     # noqa: E731
    res = minimize(f, np.random.default_rng(k).normal(size=k), jac=g, method="BFGS",
                   options={"gtol": 1e-12})
    assert res.x[0] - np.max(res.x[1:]) == pytest.approx(m, abs=1e-6)
    # the minimum value is H(y_ε)
    ys = np.full(k, eps / k)
    ys[0] += 1 - eps
    assert res.fun == pytest.approx(-np.sum(ys * np.log(ys)), rel=1e-10)
    assert core.optimal_logit_margin(0.0, k) == math.inf
    assert core.optimal_logit_margin(1.0, k) == 0.0


def test_long_seeded_run_reaches_the_optimal_margin_to_1e6():
    z0 = np.random.default_rng(2024).normal(0, 2, 4)
    race = core.softmax_race(z0, 2, lr=1.0, epochs=10000,
                             losses={"ce": "ce", "smooth": ("smoothed_ce", {"eps": 0.1})})
    m_star = math.log((1 - 0.1 + 0.1 / 4) * 4 / 0.1)
    smooth = race.runs["smooth"]
    assert race.limit_margin["smooth"] == pytest.approx(m_star, rel=1e-15)
    assert abs(smooth.margin[-1] - m_star) < 1e-6
    assert smooth.a_max[-1] == pytest.approx(1 - 0.1 + 0.1 / 4, abs=1e-6)
    # one-hot CE: the margin keeps growing, ~ln 10 per decade of epochs, the loss → 0 but > 0
    ce = race.runs["ce"]
    assert race.limit_margin["ce"] == math.inf
    assert np.all(np.diff(ce.margin[10:]) > 0) and 0 < ce.loss[-1] < 1e-3
    late, early = ce.margin[10000] - ce.margin[1000], ce.margin[1000] - ce.margin[100]
    assert late == pytest.approx(math.log(10), abs=0.06)
    assert abs(late - math.log(10)) < abs(early - math.log(10))
    # the sum of the logits never changes (every gradient of the family sums to 0)
    np.testing.assert_allclose(ce.z.sum(axis=1), z0.sum(), atol=1e-9)
    # per-epoch columns agree with the logits
    k = 1234
    a = sp_softmax(ce.z[k])
    assert ce.top_logit[k] == ce.z[k].max() and ce.a_max[k] == pytest.approx(a.max())
    assert ce.target_prob[k] == pytest.approx(a[2])
    assert ce.margin[k] == ce.z[k, 2] - np.delete(ce.z[k], 2).max()
    assert ce.loss[k] == pytest.approx(-log_softmax(ce.z[k])[2], rel=1e-12)


def test_softmax_race_steps_are_gradient_descent_for_every_loss():
    z0 = np.array([0.3, -0.2, 1.1])
    runs = {n: (n, p) for n, p in CASES if not (n in ("focal", "smoothed_ce") and p)}
    race = core.softmax_race(z0, 1, lr=0.5, epochs=6, losses=runs)
    assert set(race.runs) == set(runs) and race.target_class == 1
    for run, (name, params) in runs.items():
        z = race.runs[run].z
        for k in range(6):
            if name == "hinge" and np.any(np.abs(z[k] - z[k, 1] + 1)[[0, 2]] < 1e-3):
                continue                   # at the kink the step is the subgradient 0
            step = ref_multiclass_grad(name, z[k], [0.0, 1.0, 0.0], **params)
            np.testing.assert_allclose(z[k + 1], z[k] - 0.5 * step, rtol=1e-9, atol=1e-12)
    assert math.isnan(race.limit_margin["hinge"])
    with pytest.raises(InputError, match="epochs"):
        core.softmax_race(np.zeros(1000), 0, 0.1, 100_000)


# ----------------------------------------------------------------------------- training

@pytest.mark.parametrize("name, params", [("focal", {"gamma": 2.0}), ("hinge", {}),
                                          ("smoothed_ce", {"eps": 0.2}), ("focal", {"alpha": 0.3})])
def test_train_neuron_with_any_loss_is_gradient_descent(name, params):
    x, y, lr = 1.5, 1.0, 0.3
    h = core.train_neuron(-2.0, 0.5, x, y, lr, 8, name, **params)
    w, b = -2.0, 0.5
    for k in range(9):
        z = w * x + b
        g = float(ref_binary_grad(name, z, y, **params))
        assert h.w[k] == pytest.approx(w, rel=1e-10, abs=1e-12)
        assert h.loss[k] == pytest.approx(float(ref_binary(name, z, y, **params)), rel=1e-12)
        assert h.grad_b[k] == pytest.approx(g, rel=1e-9, abs=1e-15)
        assert h.grad_w[k] == pytest.approx(g * x, rel=1e-9, abs=1e-15)
        w, b = w - lr * g * x, b - lr * g
    # several samples: the same as the mean of the per-sample gradients
    xs, ys = np.array([1.0, -2.0, 0.5]), np.array([0.0, 1.0, 0.3])
    gw, gb = core.neuron_gradients(0.4, -0.1, xs, ys, name, **params)
    gz = [float(ref_binary_grad(name, 0.4 * xi - 0.1, yi, **params)) for xi, yi in zip(xs, ys)]
    assert gb == pytest.approx(np.mean(gz), rel=1e-9, abs=1e-15)
    assert gw == pytest.approx(np.mean(np.array(gz) * xs), rel=1e-9, abs=1e-15)
    hs = core.train_neuron(0.4, -0.1, xs, ys, 0.2, 3, name, **params)
    assert hs.grad_b[0] == pytest.approx(gb) and np.all(np.isfinite(hs.loss))
    land = core.neuron_loss_landscape([0.4], [-0.1], xs, ys, name, **params)
    assert land[0, 0] == pytest.approx(np.mean([float(ref_binary(name, 0.4 * xi - 0.1, yi, **params))
                                                for xi, yi in zip(xs, ys)]), rel=1e-12)


def test_train_neuron_defaults_unchanged():
    h_old = core.train_neuron(2.0, 2.0, 1.0, 0.0, 0.15, 30, "ce")
    assert h_old.loss[0] == pytest.approx(float(ref_binary("ce", 4.0, 0.0)), rel=1e-14)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in core.LOSS_NAMES:
            h = core.train_neuron(2.0, 2.0, 1.0, 0.0, 0.15, 5, name)
            assert np.all(np.isfinite(h.w))


def test_classifier_race_with_any_pair_of_losses():
    X, lab = core.make_blobs(15, 0.3, seed=8)
    Xa = np.column_stack([X, np.ones(len(X))])
    runs = {"ce": "ce", "focal2": ("focal", {"gamma": 2.0}), "hinge": "hinge",
            "smooth": ("smoothed_ce", {"eps": 0.1})}
    race = core.classifier_race(X, lab, 2, lr=0.5, epochs=5, losses=runs, grid_size=8)
    assert set(race.runs) == set(runs)
    assert race.losses["focal2"] == ("focal", {"gamma": 2.0, "alpha": None})
    for run, spec in runs.items():
        name, params = spec if isinstance(spec, tuple) else (spec, {})
        P = race.runs[run].params
        for k in range(5):
            z = Xa @ P[k]
            g = np.array([float(ref_binary_grad(name, zi, float(ti), **params))
                          for zi, ti in zip(z, lab)])
            np.testing.assert_allclose(P[k + 1], P[k] - 0.5 * Xa.T @ g / len(X), rtol=1e-9, atol=1e-12)
            cost = np.mean([float(ref_binary(name, zi, float(ti), **params))
                            for zi, ti in zip(z, lab)])
            assert race.runs[run].loss[k] == pytest.approx(cost, rel=1e-12)
    header, rows = core.trajectory_table(race=race)
    assert "loss_focal2" in header and "accuracy_hinge" in header and len(rows) == 6


def test_softmax_regression_race_with_any_pair_of_losses():
    X, lab = core.make_blobs(8, 0.4, seed=2, n_classes=3)
    Xa = np.column_stack([X, np.ones(len(X))])
    runs = {"hinge": "hinge", "smooth": ("smoothed_ce", {"eps": 0.2}), "focal": "focal"}
    race = core.classifier_race(X, lab, 3, lr=0.4, epochs=3, losses=runs, grid_size=6,
                                init="wrong")
    for run, spec in runs.items():
        name, params = spec if isinstance(spec, tuple) else (spec, {})
        W = race.runs[run].params
        for k in range(3):
            Z = Xa @ W[k]
            G = np.array([ref_multiclass_grad(name, Z[i], np.eye(3)[lab[i]], **params)
                          for i in range(len(X))])
            np.testing.assert_allclose(W[k + 1], W[k] - 0.4 * Xa.T @ G / len(X), rtol=1e-8,
                                       atol=1e-11)
    default = core.classifier_race(X, lab, 3, lr=0.4, epochs=2, grid_size=6)
    assert set(default.runs) == {"mse", "ce"}
    with pytest.raises(InputError, match="losses"):
        core.classifier_race(X, lab, 3, 0.4, 2, losses=["ce", "mse"])
    with pytest.raises(InputError, match="gamma"):
        core.classifier_race(X, lab, 3, 0.4, 2, losses={"a": ("focal", {"gamma": -1})})


@pytest.mark.parametrize("k", [2, 4, 32, 40])           # 40: beyond the plain-float path
@pytest.mark.parametrize("loss", ["ce", ("smoothed_ce", {"eps": 0.2})])
def test_softmax_race_logits_follow_gradient_descent_on_scipy_softmax(k, loss):
    """The CE-family runs of the logit-growth race step z ← z − η (softmax(z) − y_ε), checked
    against a loop written here on scipy's softmax (the race has a fast path for few logits)."""
    from scipy.special import softmax as sp_softmax
    from explorer.core.training import softmax_race
    rng = np.random.default_rng(k)
    z0 = rng.normal(0, 3, k)
    t, lr, epochs = k // 2, 0.7, 300
    eps = loss[1]["eps"] if isinstance(loss, tuple) else 0.0
    y = np.full(k, eps / k)
    y[t] += 1 - eps
    race = softmax_race(z0, t, lr, epochs, losses={"run": loss})
    z = z0.copy()
    expected = [z.copy()]
    for _ in range(epochs):
        z = z - lr * (sp_softmax(z) - y)
        expected.append(z.copy())
    np.testing.assert_allclose(race.runs["run"].z, np.array(expected), rtol=1e-12, atol=1e-12)
