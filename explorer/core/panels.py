"""Maths behind the sigmoid and softmax panels: whole curves over a z grid, the numbers at a
marker, the saturated regions of the sigmoid, and the softmax + cross-entropy gradient with a
finite-difference check.

Single neuron ``a = σ(z)``, ``z = w x + b``, target ``y`` (natural logs):

* MSE ``L = ½ (a − y)²``: ``∂L/∂z = (a − y) σ′(z)``, ``∂L/∂w = (a − y) σ′(z) x``;
* CE ``L = −[y ln a + (1 − y) ln(1 − a)]``: ``∂L/∂z = a − y``, ``∂L/∂w = (a − y) x``;

so the CE gradient is ``1/σ′(z) = 2 + 2 cosh z`` times the MSE gradient (for ``a ≠ y``), which
is the "learning slowdown" of a saturated sigmoid neuron.

Softmax with temperature ``a = softmax(z / T)`` and ``L = −Σ_j y_j ln a_j`` (``Σ y = 1``):
``∂L/∂z = (a − y) / T`` (``a − y`` at ``T = 1``).
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

from .activations import _check_temperature
from .errors import InputError
from .validation import (
    _fmt,
    as_float_array,
    describe,
    as_int,
    as_real,
    check_probabilities,
    check_rows_sum_to_one,
    result,
)

__all__ = [
    "SigmoidPanel",
    "SoftmaxPanel",
    "inverse_sigmoid_derivative",
    "saturation_regions",
    "saturation_threshold",
    "sigmoid_panel",
    "softmax_ce_loss",
    "softmax_panel",
]

#: Peak of σ′(z), reached at z = 0.
SIGMOID_DERIVATIVE_PEAK = 0.25


@dataclass(frozen=True)
class SigmoidPanel:
    """Everything the sigmoid panel shows, at one z or on a whole grid of z.

    Every field is a float (scalar ``z``) or a float64 array of the shape of ``z``.

    Attributes
    ----------
    z, x, y : input pre-activation(s), input x and target y.
    a : ``σ(z)``.
    dsigma : ``σ′(z) = σ(z)(1 − σ(z))``.
    loss_mse, loss_ce : ``½ (a − y)²`` and ``−[y ln a + (1 − y) ln(1 − a)]``.
    grad_z_mse, grad_z_ce : ``(a − y) σ′(z)`` and ``a − y``.
    grad_w_mse, grad_w_ce : the same times ``x``.
    ratio : ``1 / σ′(z) = 2 + 2 cosh z`` (CE gradient over MSE gradient).
    """

    z: object
    x: float
    y: float
    a: object
    dsigma: object
    loss_mse: object
    loss_ce: object
    grad_z_mse: object
    grad_z_ce: object
    grad_w_mse: object
    grad_w_ce: object
    ratio: object


_check_finite_scalar = as_real


def inverse_sigmoid_derivative(z):
    """Reciprocal of the sigmoid's slope.

    Computes ``1 / σ′(z) = (1 + e^{−z})(1 + e^{z}) = 2 + 2 cosh z``, the factor by which the
    cross-entropy gradient of a sigmoid neuron exceeds the MSE gradient.  Overflows to
    ``+inf`` (without a warning) for ``|z| > ~710``.

    Parameters
    ----------
    z : array_like or float
        Finite pre-activations.

    Returns
    -------
    numpy.ndarray or float
        ``2 + 2 cosh z >= 4``; float for scalar input.
    """
    arr = as_float_array(z, "z")
    with np.errstate(over="ignore"):
        r = 2.0 + 2.0 * np.cosh(arr)
    return result(r, np.ndim(z) == 0)


def sigmoid_panel(z, x=1.0, y=0.0) -> SigmoidPanel:
    """σ, σ′, both losses, both gradients and their ratio at ``z`` (a scalar or a grid).

    Computes ``a = σ(z)``, ``σ′ = e^{−|z|}/(1 + e^{−|z|})²``,
    ``L_MSE = ½ (a − y)²``, ``L_CE = y softplus(−z) + (1 − y) softplus(z)`` (which equals
    ``−[y ln a + (1 − y) ln(1 − a)]`` without ever taking ``ln 0``),
    ``∂L_MSE/∂z = (a − y) σ′``, ``∂L_CE/∂z = a − y``, ``∂L/∂w = x ∂L/∂z`` and
    ``ratio = 1/σ′ = 2 + 2 cosh z``.

    Parameters
    ----------
    z : array_like or float
        Finite pre-activations ``z = w x + b``.
    x : float, optional
        The neuron's input (default 1).
    y : float, optional
        Target in [0, 1] (default 0).

    Returns
    -------
    SigmoidPanel
        Floats for scalar ``z``, arrays of the shape of ``z`` otherwise.
    """
    arr = as_float_array(z, "z")
    xv = _check_finite_scalar(x, "x")
    yv = _check_finite_scalar(y, "y")
    if not 0.0 <= yv <= 1.0:
        raise InputError("{name}: target must be in [0, 1] (got {value})", name="y",
                         value=_fmt(yv))
    with np.errstate(under="ignore", over="ignore"):
        e = np.exp(-np.abs(arr))
        r = 1.0 / (1.0 + e)
        a = np.where(arr >= 0, r, e * r)
        ds = np.minimum(e * r * r, 0.25)     # never an ulp above the peak ¼
        l1p = np.log1p(e)
        loss_ce = yv * (l1p + np.maximum(-arr, 0.0)) + (1.0 - yv) * (l1p + np.maximum(arr, 0.0))
        loss_mse = 0.5 * (a - yv) ** 2
        gz_ce = a - yv
        gz_mse = gz_ce * ds
        ratio = 2.0 + 2.0 * np.cosh(arr)
    scalar = np.ndim(z) == 0
    f = lambda v: result(np.asarray(v, dtype=np.float64) + 0.0, scalar)  # noqa: E731
    return SigmoidPanel(
        z=f(arr), x=xv, y=yv, a=f(a), dsigma=f(ds), loss_mse=f(loss_mse), loss_ce=f(loss_ce),
        grad_z_mse=f(gz_mse), grad_z_ce=f(gz_ce), grad_w_mse=f(gz_mse * xv),
        grad_w_ce=f(gz_ce * xv), ratio=f(ratio))


def saturation_threshold(fraction=0.01) -> float:
    """Where the sigmoid saturates: ``σ′(±z*) = fraction · σ′(0)``.

    From ``1/σ′(z) = 2 + 2 cosh z`` and ``σ′(0) = ¼``:
    ``z* = arccosh(2 / fraction − 1)``; for ``|z| > z*`` the slope is below ``fraction`` of its
    peak (``z* ≈ 5.9865`` for 1 %).

    Parameters
    ----------
    fraction : float, optional
        Fraction of the peak slope, in (0, 1) (default 0.01).

    Returns
    -------
    float
        ``z* > 0``.
    """
    f = _check_finite_scalar(fraction, "fraction")
    if not 0.0 < f < 1.0:
        raise InputError("{name}: must be in (0, 1) (got {value})", name="fraction",
                         value=_fmt(f))
    return float(np.arccosh(2.0 / f - 1.0))


def saturation_regions(z_min, z_max, fraction=0.01) -> list[tuple[float, float]]:
    """The parts of ``[z_min, z_max]`` where ``σ′(z) < fraction · σ′(0)``.

    These are ``z < −z*`` and ``z > z*`` with ``z* = arccosh(2 / fraction − 1)`` (see
    :func:`saturation_threshold`), clipped to the interval.

    Parameters
    ----------
    z_min, z_max : float
        Finite interval ends, ``z_min < z_max``.
    fraction : float, optional
        Fraction of the peak slope (default 0.01).

    Returns
    -------
    list of (float, float)
        0, 1 or 2 intervals ``(lo, hi)`` with ``lo < hi``, left to right.
    """
    lo = _check_finite_scalar(z_min, "z_min")
    hi = _check_finite_scalar(z_max, "z_max")
    if not lo < hi:
        raise InputError("{name}: must be greater than z_min (got {lo} .. {hi})", name="z_max",
                         lo=_fmt(lo), hi=_fmt(hi))
    zs = saturation_threshold(fraction)
    out = []
    if lo < -zs:
        out.append((lo, min(hi, -zs)))
    if hi > zs:
        out.append((max(lo, zs), hi))
    return out


def _log_softmax(z: np.ndarray, t: float) -> np.ndarray:
    u = z / t
    m = np.max(u)
    with np.errstate(under="ignore"):
        return u - m - np.log(np.sum(np.exp(u - m)))


def softmax_ce_loss(z, y, temperature=1.0) -> float:
    """Categorical cross-entropy of softmax logits.

    Computes ``L = −Σ_j y_j ln softmax(z / T)_j`` through the log-sum-exp form
    ``ln a_j = z_j/T − m − ln Σ_k e^{z_k/T − m}`` (``m = max z/T``), so it stays finite for
    any finite logits even where ``a_j`` underflows to 0.

    Parameters
    ----------
    z : array_like
        1-D finite logits.
    y : array_like
        Target distribution of the same length (entries in [0, 1], sum 1 within 1e-9).
    temperature : float, optional
        ``T > 0`` (default 1).

    Returns
    -------
    float
        The loss in nats, ``>= 0``.
    """
    t = _check_temperature(temperature)
    zz = as_float_array(z, "z", min_ndim=1, max_ndim=1)
    yy = check_probabilities(y, "y", max_ndim=1)
    if yy.shape != zz.shape:
        raise InputError("{name}: length {size} does not match z length {z_size}", name="y",
                         size=yy.size, z_size=zz.size)
    check_rows_sum_to_one(yy, "y")
    return float(-np.dot(yy, _log_softmax(zz, t))) + 0.0


@dataclass(frozen=True)
class SoftmaxPanel:
    """Softmax + cross-entropy at one set of logits, with a finite-difference check.

    Attributes
    ----------
    z, y : numpy.ndarray
        Logits and target.
    temperature : float
    a : numpy.ndarray
        ``softmax(z / T)``.
    loss : float
        ``−Σ y_j ln a_j``.
    grad : numpy.ndarray
        Analytic ``∂L/∂z = (a − y) / T``.
    grad_numeric : numpy.ndarray
        Central differences of ``L`` with step ``h``.
    fd_error : float
        ``max_j |grad_j − grad_numeric_j|`` over the checked logits.
    fd_checked : int
        How many logits were checked (all of them unless there are more than ``max_checks``).
    focus : int
        The logit ``j`` whose derivation is spelled out.
    jac_column : numpy.ndarray
        ``∂a_q/∂z_j = a_q(δ_qj − a_j) / T`` for every q (``a_j(1 − a_j)/T`` at q = j,
        ``−a_q a_j / T`` elsewhere).
    """

    z: np.ndarray
    y: np.ndarray
    temperature: float
    a: np.ndarray
    loss: float
    grad: np.ndarray
    grad_numeric: np.ndarray
    fd_error: float
    fd_checked: int
    focus: int
    jac_column: np.ndarray


def softmax_panel(z, y, temperature=1.0, focus=0, h=1e-6, max_checks=200) -> SoftmaxPanel:
    """Softmax output, cross-entropy loss, its gradient ``(a − y)/T`` and a numeric check.

    Computes ``a = softmax(z / T)``, ``L = −Σ_j y_j ln a_j``, ``∂L/∂z = (a − y) / T``, the
    central differences ``(L(z + h e_j) − L(z − h e_j)) / 2h`` (each ``L`` evaluated from
    scratch, so the check does not share the gradient formula), their largest absolute
    difference, and column ``focus`` of the softmax Jacobian ``∂a_q/∂z_j = a_q (δ_qj − a_j) / T``.

    Parameters
    ----------
    z : array_like
        1-D finite logits (length >= 2).
    y : array_like
        Target distribution of the same length (one-hot or soft).
    temperature : float, optional
        ``T > 0`` (default 1).
    focus : int, optional
        Index ``j`` of the logit whose Jacobian column is returned (default 0).
    h : float, optional
        Finite-difference step (default 1e-6, error ≈ 1e-10).
    max_checks : int, optional
        Check at most this many logits (default 200): with more logits, the ones with the
        largest ``|∂L/∂z_j|`` are checked and the others get NaN in ``grad_numeric``.

    Returns
    -------
    SoftmaxPanel
    """
    t = _check_temperature(temperature)
    zz = np.array(as_float_array(z, "z", min_ndim=1, max_ndim=1), dtype=np.float64)
    yy = np.array(check_probabilities(y, "y", max_ndim=1), dtype=np.float64)
    if yy.shape != zz.shape:
        raise InputError("{name}: length {size} does not match z length {z_size}", name="y",
                         size=yy.size, z_size=zz.size)
    if zz.size < 2:
        raise InputError("{name}: needs at least 2 logits (got {size})", name="z", size=zz.size)
    check_rows_sum_to_one(yy, "y")
    if isinstance(focus, (bool, np.bool_)) or not isinstance(focus, numbers.Integral) \
            or not 0 <= focus < zz.size:
        raise InputError("{name}: must be an index 0..{last} (got {value})", name="focus",
                         last=zz.size - 1, value=describe(focus))
    step = _check_finite_scalar(h, "h")
    if step <= 0:
        raise InputError("{name}: must be positive (got {value})", name="h", value=_fmt(step))
    max_checks = as_int(max_checks, "max_checks", 0)
    j = int(focus)
    log_a = _log_softmax(zz, t)
    with np.errstate(under="ignore"):
        a = np.exp(log_a)
    a = a / a.sum()
    loss = float(-np.dot(yy, log_a)) + 0.0
    grad = (a - yy) / t
    if zz.size <= max_checks:
        checked = np.arange(zz.size)
    else:
        checked = np.sort(np.argsort(-np.abs(grad), kind="stable")[:max_checks])
    numeric = np.full(zz.size, np.nan)
    work = zz.copy()
    for i in checked:
        orig = work[i]
        work[i] = orig + step
        lp = -np.dot(yy, _log_softmax(work, t))
        work[i] = orig - step
        lm = -np.dot(yy, _log_softmax(work, t))
        work[i] = orig
        numeric[i] = (lp - lm) / (2.0 * step)
    col = -a * a[j] / t
    col[j] = a[j] * (1.0 - a[j]) / t
    for arr in (zz, yy, a, grad, numeric, col):
        arr.flags.writeable = False
    return SoftmaxPanel(z=zz, y=yy, temperature=t, a=a, loss=loss, grad=grad,
                        grad_numeric=numeric,
                        fd_error=float(np.max(np.abs(grad[checked] - numeric[checked]))),
                        fd_checked=int(checked.size), focus=j, jac_column=col)
