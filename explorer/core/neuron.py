"""A single sigmoid neuron ``a = σ(w x + b)``: gradients of the quadratic and
cross-entropy costs and plain gradient-descent training (the learning-slowdown
experiment of Nielsen, *Neural Networks and Deep Learning*, chapter 3).

Per-sample costs (natural log):

* ``"mse"``: ``C = ½ (a - y)²``, so ``∂C/∂w = (a - y) σ'(z) x``,
  ``∂C/∂b = (a - y) σ'(z)``;
* ``"ce"``: ``C = -[y ln a + (1 - y) ln(1 - a)]``, so ``∂C/∂w = (a - y) x``,
  ``∂C/∂b = a - y`` (the ``σ'(z)`` factor cancels: no learning slowdown);
* ``"ce_book"``: same cost as ``"ce"`` but the *step* mimics the original
  web widget of the book, ``grad_w = (a - y)/(a(1 - a)) · x``,
  ``grad_b = (a - y)/(a(1 - a))`` (that is ``∂C/∂a``, **not** the true
  gradient);
* ``"focal"``, ``"hinge"``, ``"smoothed_ce"``: the rest of the loss family of
  :mod:`explorer.core.loss_family` (``C = L(z, y)`` as :func:`~explorer.core.binary_loss`,
  ``∂C/∂w = L′(z) x``, ``∂C/∂b = L′(z)``), with their parameters as keyword arguments
  (``gamma``/``alpha``, ``eps``).

For array ``x``, ``y`` (several training samples) gradients, outputs and
costs are averaged over the samples.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .errors import InputError
from .loss_family import _binary_array, _binary_scalar, loss_spec
from .validation import _fmt, as_float_array, as_int, check_probabilities, describe

__all__ = ["LOSS_NAMES", "NeuronHistory", "neuron_gradients", "train_neuron"]

#: Loss names accepted by :func:`neuron_gradients` and :func:`train_neuron`.
LOSS_NAMES = ("mse", "ce", "ce_book", "focal", "hinge", "smoothed_ce")

_EXP_MAX = 709.0  # math.exp overflows above ~709.78
#: Largest float64; parameters, pre-activations and gradients are kept within ±BIG so that a
#: trajectory never holds inf or NaN (an update that would overflow stops at ±BIG).
BIG = float(np.finfo(np.float64).max)
#: Most epochs :func:`train_neuron` runs (each costs 7 floats of history).
MAX_EPOCHS = 1_000_000


def _check_loss(loss, params=None) -> tuple[str, dict]:
    """``(name, parameters)`` of a loss of :data:`LOSS_NAMES` (``"ce_book"`` takes none)."""
    return loss_spec(loss, params, allowed=LOSS_NAMES)


def _check_scalar(value, name: str) -> float:
    arr = as_float_array(value, name)
    if arr.ndim != 0:
        raise InputError("{name}: must be a scalar (got shape {shape})", name=name,
                         shape=str(arr.shape))
    return float(arr)


def _check_epochs(epochs) -> int:
    epochs = as_int(epochs, "epochs", 0)
    if epochs > MAX_EPOCHS:
        raise InputError("{name}: must be at most {limit} (got {value})", name="epochs",
                         limit=MAX_EPOCHS, value=describe(epochs))
    return epochs


def _clamp(v: float) -> float:
    """``v`` limited to ±BIG (``±inf`` becomes ``±BIG``; ``v`` is never NaN here)."""
    return BIG if v > BIG else -BIG if v < -BIG else v


def _check_xy(x, y):
    """Validate inputs/targets; return (x, y, is_scalar) with broadcast shapes."""
    xa = as_float_array(x, "x")
    ya = check_probabilities(y, "y")
    if xa.shape != ya.shape:
        if xa.ndim == 0 or ya.ndim == 0:
            xa, ya = np.broadcast_arrays(xa, ya)
        else:
            raise InputError("{name}: shape {shape} does not match {other} shape {other_shape}",
                             name="y", shape=str(ya.shape), other="x",
                             other_shape=str(xa.shape))
    return xa, ya, xa.ndim == 0


# --- scalar evaluation (pure Python, fast for the interactive widget) -------

def _softplus(t: float) -> float:
    """``ln(1 + e^t)`` without overflow."""
    return max(t, 0.0) + math.log1p(math.exp(-abs(t)))


def _book_factor(z: float, y: float) -> float:
    """``(a - y)/(a(1 - a)) = (1 - y)(1 + e^z) - y(1 + e^{-z})`` for ``a = σ(z)``, with ``z``
    capped at ±709 (so the factor stays below ``1 + e^709 ≈ 8.2e307`` in size)."""
    t1 = (1.0 - y) * (1.0 + math.exp(min(z, _EXP_MAX))) if y < 1.0 else 0.0
    t2 = y * (1.0 + math.exp(min(-z, _EXP_MAX))) if y > 0.0 else 0.0
    return t1 - t2


def _ce_scalar(z: float, y: float) -> float:
    """``y softplus(−z) + (1 − y) softplus(z)``; a term whose weight is 0 is 0 (also at
    ``z = ±BIG``, where the other softplus is huge)."""
    c = y * _softplus(-z) if y > 0.0 else 0.0
    return c + (1.0 - y) * _softplus(z) if y < 1.0 else c


def _eval_scalar(w: float, b: float, x: float, y: float, loss: str, p: dict):
    """Return ``(z, a, C, grad_w, grad_b)`` for one sample (all finite)."""
    z = _clamp(w * x + b)
    e = math.exp(-abs(z))
    a = 1.0 / (1.0 + e) if z >= 0 else e / (1.0 + e)
    if loss == "mse":
        c = 0.5 * (a - y) ** 2
        g = (a - y) * (e / ((1.0 + e) * (1.0 + e)))
    elif loss in ("ce", "ce_book"):
        c = _ce_scalar(z, y)
        g = a - y if loss == "ce" else _book_factor(z, y)
    else:
        c, g = _binary_scalar(loss, z, y, p)
    return z, a, c, _clamp(g * x), g


# --- array evaluation ---------------------------------------------------------
# Callers wrap these in ``np.errstate(all="ignore")``: the only floating-point
# events are harmless exp underflow and overflow of w x + b (clipped to ±BIG).

def _array_terms(z: np.ndarray, y: np.ndarray, loss: str, need_cost: bool, p: dict):
    """Per-sample ``(a, C, dC/dz-like factor g)``; broadcasts over any shape."""
    if loss not in ("mse", "ce", "ce_book"):
        c, g = _binary_array(loss, z, y, p, need_loss=need_cost)
        e = np.exp(-np.abs(z))
        return np.where(z >= 0, 1.0, e) / (1.0 + e), c, g
    e = np.exp(-np.abs(z))
    r = 1.0 / (1.0 + e)
    a = np.where(z >= 0, r, e * r)
    c = None
    if need_cost:
        if loss == "mse":
            c = 0.5 * (a - y) ** 2
        else:
            l1p = np.log1p(e)
            c = (np.where(y > 0, y * (l1p + np.maximum(-z, 0.0)), 0.0)
                 + np.where(y < 1, (1.0 - y) * (l1p + np.maximum(z, 0.0)), 0.0))
    if loss == "mse":
        g = (a - y) * (e * r * r)
    elif loss == "ce":
        g = a - y
    else:
        t1 = np.where(y < 1.0, (1.0 - y) * (1.0 + np.exp(np.minimum(z, _EXP_MAX))), 0.0)
        t2 = np.where(y > 0.0, y * (1.0 + np.exp(np.minimum(-z, _EXP_MAX))), 0.0)
        g = t1 - t2
    return a, c, g


def _row_means(v: np.ndarray) -> np.ndarray:
    """Row means of values in ±BIG; a row whose plain mean overflows is averaged term by
    term (each divided by n first) and kept within ±BIG."""
    m = np.mean(v, axis=1)
    bad = ~np.isfinite(m)
    if bad.any():
        m[bad] = np.clip(np.sum(v[bad] / v.shape[1], axis=1), -BIG, BIG)
    return m


def _mean_finite(values: np.ndarray) -> float:
    """``1/n Σ v_i`` of values in ±BIG without overflow (each term divided first if needed)."""
    m = float(np.sum(values)) / values.size
    return m if math.isfinite(m) else _clamp(float(np.sum(values / values.size)))


def _grad_array(w: float, b: float, x: np.ndarray, y: np.ndarray, loss: str, p: dict):
    """Mean gradient ``(1/n Σ g_i x_i, 1/n Σ g_i)`` over the samples."""
    z = np.clip(x * w + b, -BIG, BIG)
    _, _, g = _array_terms(z, y, loss, False, p)
    gx = np.clip(g.reshape(-1) * x.reshape(-1), -BIG, BIG)
    return _mean_finite(gx), _mean_finite(g.reshape(-1))


def _array_stats(ws: np.ndarray, bs: np.ndarray, x: np.ndarray, y: np.ndarray, loss: str,
                 p: dict):
    """Sample means of ``z``, ``a`` and ``C`` for every ``(w_k, b_k)``."""
    xf = x.reshape(-1)
    yf = y.reshape(-1)
    n_states = ws.size
    zm, am, cm = (np.empty(n_states) for _ in range(3))
    chunk = max(1, 1_000_000 // xf.size)
    for s in range(0, n_states, chunk):
        sl = slice(s, s + chunk)
        z = np.clip(ws[sl, None] * xf + bs[sl, None], -BIG, BIG)
        a, c, _ = _array_terms(z, yf, loss, True, p)
        zm[sl] = _row_means(z)
        am[sl] = np.mean(a, axis=1)
        cm[sl] = _row_means(c)
    return zm, am, cm


def neuron_gradients(w, b, x, y, loss, **params) -> tuple[float, float]:
    """Gradient of a single sigmoid neuron's cost with respect to ``w`` and ``b``.

    With ``z = w x + b`` and ``a = σ(z)``:

    * ``loss="mse"`` (``C = ½(a - y)²``): ``∂C/∂w = (a - y) σ'(z) x``,
      ``∂C/∂b = (a - y) σ'(z)``;
    * ``loss="ce"`` (``C = -[y ln a + (1 - y) ln(1 - a)]``):
      ``∂C/∂w = (a - y) x``, ``∂C/∂b = a - y``;
    * ``loss="ce_book"``: the pseudo-gradient of the book's web widget,
      ``((a - y)/(a(1 - a)) · x, (a - y)/(a(1 - a)))`` -- this is ``∂C/∂a``
      times ``(x, 1)``, **not** the true cross-entropy gradient.  It is
      evaluated as ``(1 - y)(1 + e^z) - y(1 + e^{-z})`` with ``z`` capped at ±709, so it
      stays finite (at most ``1 + e^709 ≈ 8.2e307`` in size);
    * ``"focal"``, ``"hinge"``, ``"smoothed_ce"``: ``∂C/∂w = L′(z) x``, ``∂C/∂b = L′(z)`` with
      ``L′`` of :func:`~explorer.core.binary_loss_grad`.

    Parameters
    ----------
    w, b : float
        Weight and bias.
    x : float or array_like
        Input(s), finite.
    y : float or array_like
        Target(s) in [0, 1]; same shape as ``x`` (a scalar broadcasts).
    loss : {"mse", "ce", "ce_book", "focal", "hinge", "smoothed_ce"}
        Cost function.
    **params
        ``gamma``, ``alpha`` (focal) or ``eps`` (smoothed_ce); defaults as
        :data:`~explorer.core.LOSS_PARAMETERS`.

    Returns
    -------
    (float, float)
        ``(dC/dw, dC/db)``, averaged over samples for array input
        (``1/n Σ_i``, i.e. the gradient of the mean cost).
    """
    loss, p = _check_loss(loss, params)
    w = _check_scalar(w, "w")
    b = _check_scalar(b, "b")
    xa, ya, scalar = _check_xy(x, y)
    if scalar:
        _, _, _, gw, gb = _eval_scalar(w, b, float(xa), float(ya), loss, p)
    else:
        with np.errstate(all="ignore"):
            gw, gb = _grad_array(w, b, xa, ya, loss, p)
    return float(gw), float(gb)


@dataclass(frozen=True, eq=False)
class NeuronHistory:
    """Trajectory of :func:`train_neuron`.

    Every field is a read-only float64 array of length ``epochs + 1``; entry
    ``k`` describes the state after ``k`` gradient-descent updates (entry 0
    is the initial state).  For array ``x``, ``y`` the per-sample quantities
    ``z``, ``a`` and ``loss`` are averaged over the samples.

    Attributes
    ----------
    w, b : numpy.ndarray
        Weight and bias after ``k`` updates.
    z : numpy.ndarray
        Pre-activation ``w_k x + b_k`` (mean over samples).
    a : numpy.ndarray
        Output ``σ(z)`` (mean output over samples).
    loss : numpy.ndarray
        Cost at the state (mean over samples); for ``"ce_book"`` this is the
        cross-entropy cost.
    grad_w, grad_b : numpy.ndarray
        Gradient (or, for ``"ce_book"``, pseudo-gradient) at the state; entry
        ``k`` is the one used for update ``k + 1`` (the last one is unused).
    """

    w: np.ndarray
    b: np.ndarray
    z: np.ndarray
    a: np.ndarray
    loss: np.ndarray
    grad_w: np.ndarray
    grad_b: np.ndarray

    def __post_init__(self) -> None:
        for name in ("w", "b", "z", "a", "loss", "grad_w", "grad_b"):
            arr = np.array(getattr(self, name), dtype=np.float64)
            arr.setflags(write=False)
            object.__setattr__(self, name, arr)

    def __len__(self) -> int:
        return len(self.w)

    @property
    def epochs(self) -> int:
        """Number of updates performed (``len(self) - 1``)."""
        return len(self.w) - 1


def train_neuron(w, b, x, y, lr, epochs, loss, **params) -> NeuronHistory:
    """Train a single sigmoid neuron by plain (full-batch) gradient descent.

    Repeats ``epochs`` times ``w <- w - lr · ∂C/∂w``, ``b <- b - lr · ∂C/∂b``
    with the gradient of :func:`neuron_gradients` (the true gradient of the
    mean cost for ``"mse"`` and ``"ce"``; the book widget's pseudo-gradient
    ``(a - y)/(a(1 - a)) · (x, 1)`` for ``"ce_book"``, which is *not* the
    true gradient).

    The ``"ce_book"`` step is proportional to ``1/(1 - a)`` (``y = 0``) or
    ``1/a`` (``y = 1``), so it takes huge steps near saturation and may
    diverge for mixed targets.  No history ever holds NaN or inf: ``z`` and the
    gradients are kept within ±(largest float), and an update that would overflow
    stops there (no warnings are emitted).  The true-gradient losses do not have
    this problem for reasonable learning rates.

    Parameters
    ----------
    w, b : float
        Initial weight and bias.
    x : float or array_like
        Input(s).
    y : float or array_like
        Target(s) in [0, 1], same shape as ``x`` (a scalar broadcasts).
    lr : float
        Learning rate ``η > 0``.
    epochs : int
        Number of updates (0 to 1 000 000).
    loss : {"mse", "ce", "ce_book", "focal", "hinge", "smoothed_ce"}
        Cost function.
    **params
        Its parameters (``gamma``, ``alpha``; ``eps``).

    Returns
    -------
    NeuronHistory
        Arrays ``w, b, z, a, loss, grad_w, grad_b`` of length ``epochs + 1``;
        for array input ``z``, ``a`` and ``loss`` are sample means.
    """
    loss, p = _check_loss(loss, params)
    w = _check_scalar(w, "w")
    b = _check_scalar(b, "b")
    lr = _check_scalar(lr, "lr")
    if lr <= 0:
        raise InputError("{name}: must be positive (got {value})", name="lr", value=_fmt(lr))
    epochs = _check_epochs(epochs)
    xa, ya, scalar = _check_xy(x, y)
    n = epochs + 1
    if scalar:
        xs, ys = float(xa), float(ya)
        ws, bs, zs, as_, cs, gws, gbs = ([0.0] * n for _ in range(7))
        for k in range(n):
            z, a, c, gw, gb = _eval_scalar(w, b, xs, ys, loss, p)
            ws[k], bs[k], zs[k], as_[k], cs[k], gws[k], gbs[k] = w, b, z, a, c, gw, gb
            w = _clamp(w - lr * gw)
            b = _clamp(b - lr * gb)
        return NeuronHistory(w=ws, b=bs, z=zs, a=as_, loss=cs, grad_w=gws, grad_b=gbs)

    ws, bs, gws, gbs = ([0.0] * n for _ in range(4))
    with np.errstate(all="ignore"):
        for k in range(n):
            gw, gb = _grad_array(w, b, xa, ya, loss, p)
            ws[k], bs[k], gws[k], gbs[k] = w, b, gw, gb
            w = _clamp(w - lr * gw)
            b = _clamp(b - lr * gb)
        warr = np.array(ws)
        barr = np.array(bs)
        zs, as_, cs = _array_stats(warr, barr, xa, ya, loss, p)
    return NeuronHistory(w=warr, b=barr, z=zs, a=as_, loss=cs, grad_w=gws, grad_b=gbs)
