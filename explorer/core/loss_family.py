"""A family of losses on logits: MSE, cross-entropy, focal, hinge and label-smoothed CE.

Binary losses take the logit ``z`` of ``a = σ(z)`` and a target ``y ∈ [0, 1]``; multi-class
losses take logits ``z ∈ R^K`` of ``a = softmax(z)`` and a target distribution ``y`` (or a class
index).  Everything is computed from the logit, log-sum-exp style -- never ``log σ(z)`` of a
rounded ``σ(z)`` -- so the values and gradients are finite and accurate for ``|z|`` up to 1e3
and beyond: cross-entropy at ``z = −1000, y = 1`` is 1000, not ``inf``.

Binary (``σ(z)`` written ``a``; ``softplus(t) = ln(1 + e^t)``; natural logs)
-----------------------------------------------------------------------------
``"mse"``
    ``L = ½ (a − y)²``, ``dL/dz = (a − y) σ′(z)``.
``"ce"``
    ``L = −[y ln a + (1 − y) ln(1 − a)] = y softplus(−z) + (1 − y) softplus(z)``,
    ``dL/dz = a − y``.
``"focal"`` (``gamma = γ ≥ 0``, default 2; ``alpha = α ∈ [0, 1]`` or None, default None)
    ``L = −α_t (1 − p_t)^γ ln p_t`` with ``p_t = a`` for ``y = 1`` and ``1 − a`` for ``y = 0``
    (Lin et al. 2017).  For a soft target, as torchvision's ``sigmoid_focal_loss``:
    ``p_t = a y + (1 − a)(1 − y)``, ``α_t = α y + (1 − α)(1 − y)`` (1 without ``alpha``) and
    ``L = α_t (1 − p_t)^γ · CE(z, y)``.  ``dL/dz = α_t [γ (1 − p_t)^{γ−1} (1 − 2y) σ′(z) CE +
    (1 − p_t)^γ (a − y)]``.  ``γ = 0`` (and no ``alpha``) is ``"ce"``.
``"hinge"``
    ``t = 2y − 1``, ``L = max(0, 1 − t z)``, ``dL/dz = −t`` where ``t z < 1`` and 0 elsewhere
    (the subgradient 0 at the kink).
``"smoothed_ce"`` (``eps = ε ∈ [0, 1]``, default 0.1)
    cross-entropy to the smoothed target ``y_ε = y (1 − ε) + ε/2``: ``L = CE(z, y_ε)``,
    ``dL/dz = a − y_ε``; it is smallest (``H(y_ε)``) at the finite logit ``z = ln(y_ε/(1 − y_ε))``.

Multi-class (``a = softmax(z)``, target ``y`` a distribution over the K classes)
-------------------------------------------------------------------------------
``"ce"``: ``L = −Σ_j y_j ln a_j``, ``∂L/∂z = a − y``.
``"smoothed_ce"`` (``eps``): the same with ``y_ε = (1 − ε) y + ε/K`` (:func:`smooth_labels`,
PyTorch's ``label_smoothing``), ``∂L/∂z = a − y_ε``.
``"mse"``: ``L = ½ ‖a − y‖²``, ``∂L/∂z = a ⊙ (g − a·g)`` with ``g = a − y``.
``"focal"`` (``gamma``, ``alpha``): ``L = −α Σ_j y_j (1 − a_j)^γ ln a_j`` (for a one-hot ``y``,
``−α (1 − a_t)^γ ln a_t``); ``∂L/∂z_k = −α (h_k − a_k Σ_j h_j)`` with
``h_j = y_j (1 − a_j)^γ [1 − γ a_j ln a_j / (1 − a_j)]``.
``"hinge"``: the multi-class SVM loss of Weston & Watkins (CS231n's):
``L = Σ_t y_t Σ_{j≠t} max(0, z_j − z_t + 1)``, ``∂L/∂z_k = Σ_t y_t [z_k − z_t + 1 > 0]_{k≠t} −
y_k #{j ≠ k : z_j − z_k + 1 > 0}``.

With one-hot targets cross-entropy can only be matched by logits that grow without bound; with
label smoothing the optimum is finite, at the logit margin :func:`optimal_logit_margin`.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from .errors import InputError
from .validation import (
    _fmt,
    as_float_array,
    check_probabilities,
    check_rows_sum_to_one,
    describe,
    result,
)

__all__ = [
    "BINARY_LOSSES",
    "LOSS_PARAMETERS",
    "MULTICLASS_LOSSES",
    "binary_loss",
    "binary_loss_grad",
    "loss_spec",
    "multiclass_loss",
    "multiclass_loss_grad",
    "optimal_logit_margin",
    "smooth_labels",
    "softmax_cross_entropy",
]

#: Names of the binary losses (functions of the logit of a sigmoid).
BINARY_LOSSES = ("mse", "ce", "focal", "hinge", "smoothed_ce")
#: Names of the multi-class losses (functions of the logits of a softmax).
MULTICLASS_LOSSES = BINARY_LOSSES
#: Parameters of each loss and their defaults.
LOSS_PARAMETERS = {
    "mse": {},
    "ce": {},
    "focal": {"gamma": 2.0, "alpha": None},
    "hinge": {},
    "smoothed_ce": {"eps": 0.1},
}
#: Largest focal ``gamma`` accepted (``(1 − p)^γ`` is 0 in float64 long before).
MAX_GAMMA = 100.0


# ----------------------------------------------------------------------------- validation

def _param(loss: str, key: str, value):
    if key == "alpha" and value is None:
        return None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise InputError("{name}: must be a number (got {value})", name=key,
                         value=describe(value))
    try:
        v = float(value)
    except OverflowError:
        v = math.inf
    lo, hi = {"gamma": (0.0, MAX_GAMMA), "alpha": (0.0, 1.0), "eps": (0.0, 1.0)}[key]
    if not lo <= v <= hi:           # NaN fails too
        raise InputError("{name}: must be in [{lo}, {hi}] for the {loss} loss (got {value})",
                         name=key, lo=_fmt(lo), hi=_fmt(hi), loss=loss, value=describe(value))
    return v


def loss_spec(loss, params=None, *, allowed=BINARY_LOSSES) -> tuple[str, dict]:
    """Validate a loss and its parameters; fill in the defaults.

    Parameters
    ----------
    loss : str or tuple or dict
        A loss name (``"focal"``), a ``(name, params)`` pair (``("focal", {"gamma": 1})``),
        or a dict with the name under ``"loss"`` (``{"loss": "focal", "gamma": 1}``).
    params : dict, optional
        Parameters (merged over those inside *loss*).
    allowed : tuple of str, optional
        Accepted names (default :data:`BINARY_LOSSES`).

    Returns
    -------
    (str, dict)
        The name and every parameter of :data:`LOSS_PARAMETERS` for it, validated:
        ``gamma ∈ [0, 100]``, ``alpha ∈ [0, 1]`` or None, ``eps ∈ [0, 1]``.

    Raises
    ------
    InputError
        For an unknown name or parameter, or a parameter out of range, naming it.
    """
    extra = {}
    if isinstance(loss, dict):
        extra = {k: v for k, v in loss.items() if k != "loss"}
        loss = loss.get("loss")
    elif isinstance(loss, tuple) and len(loss) == 2 and isinstance(loss[1], dict):
        loss, extra = loss[0], dict(loss[1])
    if not isinstance(loss, str) or loss not in allowed:
        raise InputError("{name}: unknown loss {value} (expected {expected})", name="loss",
                         value=describe(loss), expected=", ".join(map(repr, allowed)))
    given = {**extra, **(params or {})}
    defaults = LOSS_PARAMETERS.get(loss, {})
    for key in given:
        if key not in defaults:
            raise InputError("{name}: unknown parameter for the {loss} loss (expected {expected})",
                             name=str(key), loss=loss,
                             expected=", ".join(defaults) if defaults else "—")
    return loss, {k: _param(loss, k, given.get(k, d)) for k, d in defaults.items()}


def _targets_like(y, z: np.ndarray, name: str = "y") -> np.ndarray:
    ya = check_probabilities(y, name)
    if ya.shape != z.shape:
        try:
            ya = np.broadcast_to(ya, np.broadcast_shapes(ya.shape, z.shape))
        except ValueError:
            raise InputError("{name}: shape {shape} does not match {other} shape {other_shape}",
                             name=name, shape=str(ya.shape), other="z",
                             other_shape=str(z.shape)) from None
    return ya


# ----------------------------------------------------------------------------- binary, arrays

def _binary_array(loss: str, z: np.ndarray, y: np.ndarray, p: dict, need_loss=True):
    """``(L, dL/dz)`` elementwise for arrays (broadcast); *p* are validated parameters."""
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        e = np.exp(-np.abs(z))
        one_pe = 1.0 + e
        pos = z >= 0
        a = np.where(pos, 1.0, e) / one_pe                 # σ(z)
        if loss == "hinge":
            t = 2.0 * y - 1.0
            m = 1.0 - t * z
            return (np.maximum(m, 0.0) if need_loss else None), np.where(m > 0, -t, 0.0)
        dsig = e / (one_pe * one_pe)
        a_neg = np.where(pos, e, 1.0) / one_pe             # σ(−z) = 1 − a, without rounding
        if loss == "smoothed_ce":
            y = y * (1.0 - p["eps"]) + 0.5 * p["eps"]
        # a − y = (1 − y) a − y (1 − a): no cancellation for y = 0 or 1 (a ≈ 1 at z = 40)
        d = (1.0 - y) * a - y * a_neg
        if loss == "mse":
            return (0.5 * d * d if need_loss else None), d * dsig
        need_ce = need_loss or loss == "focal"
        ce = None
        if need_ce:
            l1p = np.log1p(e)
            sp_pos = np.maximum(z, 0.0) + l1p               # softplus(z)  = −ln(1 − a)
            sp_neg = np.maximum(-z, 0.0) + l1p              # softplus(−z) = −ln a
            ce = np.where(y > 0, y * sp_neg, 0.0) + np.where(y < 1, (1.0 - y) * sp_pos, 0.0)
        if loss in ("ce", "smoothed_ce"):
            return ce, d
        # focal
        gamma, alpha = p["gamma"], p["alpha"]
        omp = y * a_neg + (1.0 - y) * a                    # 1 − p_t
        w = omp ** gamma
        at = 1.0 if alpha is None else alpha * y + (1.0 - alpha) * (1.0 - y)
        ratio = np.where(omp > 0, dsig / np.where(omp > 0, omp, 1.0), 0.0)
        grad = at * (gamma * w * ratio * (1.0 - 2.0 * y) * ce + w * d)
        return (at * w * ce if need_loss else None), grad


# ----------------------------------------------------------------------------- binary, scalars

def _softplus(t: float) -> float:
    return max(t, 0.0) + math.log1p(math.exp(-abs(t)))


def _binary_scalar(loss: str, z: float, y: float, p: dict):
    """``(L, dL/dz)`` for one sample in plain Python floats (fast in a training loop)."""
    e = math.exp(-abs(z))
    one_pe = 1.0 + e
    a = (1.0 if z >= 0 else e) / one_pe
    if loss == "hinge":
        t = 2.0 * y - 1.0
        m = 1.0 - t * z
        return (m, -t) if m > 0 else (0.0, 0.0)
    dsig = e / (one_pe * one_pe)
    a_neg = (e if z >= 0 else 1.0) / one_pe
    if loss == "smoothed_ce":
        y = y * (1.0 - p["eps"]) + 0.5 * p["eps"]
    d = (1.0 - y) * a - y * a_neg
    if loss == "mse":
        return 0.5 * d * d, d * dsig
    ce = (y * _softplus(-z) if y > 0 else 0.0) + ((1.0 - y) * _softplus(z) if y < 1 else 0.0)
    if loss in ("ce", "smoothed_ce"):
        return ce, d
    gamma, alpha = p["gamma"], p["alpha"]
    omp = y * a_neg + (1.0 - y) * a
    w = omp ** gamma
    at = 1.0 if alpha is None else alpha * y + (1.0 - alpha) * (1.0 - y)
    ratio = dsig / omp if omp > 0 else 0.0
    return at * w * ce, at * (gamma * w * ratio * (1.0 - 2.0 * y) * ce + w * d)


def _binary_checked(name, z, y, params: dict, need_loss: bool = True):
    """Validate the loss, its parameters, z and y, broadcast, and return ``(L, dL/dz)``."""
    loss, p = loss_spec(name, params)
    za = as_float_array(z, "z")
    ya = _targets_like(y, za)
    return _binary_array(loss, np.broadcast_to(za, ya.shape), ya, p, need_loss=need_loss)


def _loss_result(out):
    return result(np.maximum(out, 0.0) + 0.0, out.ndim == 0)


def _grad_result(g):
    return result(np.asarray(g, dtype=np.float64) + 0.0, np.ndim(g) == 0)


def binary_loss(name, z, y, **params):
    """Per-sample loss of a sigmoid unit as a function of its logit, for the whole family.

    With ``a = σ(z)``: ``"mse"`` ``½(a − y)²``; ``"ce"`` ``−[y ln a + (1 − y) ln(1 − a)]``
    (from the logit: ``y softplus(−z) + (1 − y) softplus(z)``); ``"focal"``
    ``−α_t (1 − p_t)^γ ln p_t``; ``"hinge"`` ``max(0, 1 − (2y − 1) z)``; ``"smoothed_ce"``
    ``CE(z, y(1 − ε) + ε/2)`` -- the formulas and the soft-target conventions are in the
    :mod:`explorer.core.loss_family` docstring.

    Parameters
    ----------
    name : {"mse", "ce", "focal", "hinge", "smoothed_ce"}
        The loss.
    z : array_like or float
        Finite logits (stable for ``|z|`` up to 1e3 and beyond).
    y : array_like or float
        Targets in [0, 1], broadcastable to ``z``.
    **params
        ``gamma`` (default 2) and ``alpha`` (default None) for ``"focal"``; ``eps`` (default
        0.1) for ``"smoothed_ce"``.

    Returns
    -------
    numpy.ndarray or float
        ``L ≥ 0`` elementwise, float for scalar input.
    """
    out, _ = _binary_checked(name, z, y, params)
    return _loss_result(out)


def binary_loss_grad(name, z, y, **params):
    """Derivative ``dL/dz`` of :func:`binary_loss` with respect to the logit.

    ``"mse"`` ``(a − y) σ′(z)``; ``"ce"`` ``a − y``; ``"focal"`` ``α_t [γ (1 − p_t)^{γ−1}
    (1 − 2y) σ′(z) CE + (1 − p_t)^γ (a − y)]``; ``"hinge"`` ``−(2y − 1)`` where
    ``(2y − 1) z < 1``, else 0; ``"smoothed_ce"`` ``a − (y(1 − ε) + ε/2)``.

    Parameters
    ----------
    name : {"mse", "ce", "focal", "hinge", "smoothed_ce"}
        The loss.
    z : array_like or float
        Finite logits.
    y : array_like or float
        Targets in [0, 1], broadcastable to ``z``.
    **params
        As :func:`binary_loss`.

    Returns
    -------
    numpy.ndarray or float
        ``dL/dz`` elementwise (finite), float for scalar input.
    """
    _, g = _binary_checked(name, z, y, params, need_loss=False)
    return _grad_result(g)


def binary_loss_and_grad(name, z, y, **params):
    """``(binary_loss(...), binary_loss_grad(...))`` in one pass: the loss and ``dL/dz`` share
    σ(z), a − y and (for focal) the cross-entropy, so a panel drawing both computes them once.

    Parameters and the formulas are those of :func:`binary_loss` and
    :func:`binary_loss_grad`.

    Returns
    -------
    tuple of (numpy.ndarray or float, numpy.ndarray or float)
        ``L ≥ 0`` and ``dL/dz`` elementwise, floats for scalar input.
    """
    out, g = _binary_checked(name, z, y, params)
    return _loss_result(out), _grad_result(g)


# ----------------------------------------------------------------------------- multi-class

def _log_softmax_parts(Z: np.ndarray):
    """``(a, ln a)`` along the last axis, by log-sum-exp."""
    s = Z - Z.max(axis=-1, keepdims=True)
    with np.errstate(under="ignore"):
        E = np.exp(s)
    S = E.sum(axis=-1, keepdims=True)
    logp = s - np.log(S)
    P = E / S
    return P, logp


def _one_minus(P: np.ndarray) -> np.ndarray:
    """``1 − a`` along the last axis; for the largest entry it is the sum of the others, which
    keeps its digits when ``a ≈ 1`` (``1 − 0.9999999999999999`` has one)."""
    omp = 1.0 - P
    j = np.argmax(P, axis=-1)[..., None]
    rest = np.where(np.arange(P.shape[-1]) == j, 0.0, P).sum(axis=-1, keepdims=True)
    np.put_along_axis(omp, j, rest, axis=-1)
    return omp


def _multiclass_array(loss: str, Z: np.ndarray, Y: np.ndarray, p: dict, need_loss=True):
    """Per-row ``(L, ∂L/∂Z)`` for logits ``Z (..., K)`` and target rows ``Y (..., K)``."""
    K = Z.shape[-1]
    if loss == "hinge":
        return _multiclass_hinge(Z, Y, need_loss)
    P, logp = _log_softmax_parts(Z)
    if loss == "smoothed_ce":
        Y = Y * (1.0 - p["eps"]) + p["eps"] / K
    if loss in ("ce", "smoothed_ce"):
        L = -np.where(Y > 0, Y * logp, 0.0).sum(axis=-1) if need_loss else None
        return L, P - Y
    if loss == "mse":
        G = P - Y
        L = 0.5 * (G * G).sum(axis=-1) if need_loss else None
        return L, P * (G - (P * G).sum(axis=-1, keepdims=True))
    gamma, alpha = p["gamma"], p["alpha"]
    scale = 1.0 if alpha is None else alpha
    omp = _one_minus(P)
    with np.errstate(under="ignore"):
        w = omp ** gamma
    ratio = np.where(omp > 0, P * logp / np.where(omp > 0, omp, 1.0), 0.0)
    h = np.where(Y > 0, Y * w * (1.0 - gamma * ratio), 0.0)
    grad = -scale * (h - P * h.sum(axis=-1, keepdims=True))
    L = -scale * np.where(Y > 0, Y * w * logp, 0.0).sum(axis=-1) if need_loss else None
    return L, grad


def _multiclass_hinge(Z: np.ndarray, Y: np.ndarray, need_loss: bool):
    """Weston-Watkins multi-class hinge, weighted by the target rows."""
    K = Z.shape[-1]
    onehot = np.all((Y == 0) | (Y == 1), axis=-1) & (Y.sum(axis=-1) == 1)
    if np.all(onehot):                 # the usual case: O(K) per row
        t = np.argmax(Y, axis=-1)[..., None]
        zt = np.take_along_axis(Z, t, axis=-1)
        D = Z - zt + 1.0
        A = (D > 0) & (np.arange(K) != t)
        grad = A.astype(np.float64)
        np.put_along_axis(grad, t, -A.sum(axis=-1, keepdims=True).astype(np.float64), axis=-1)
        L = np.where(A, D, 0.0).sum(axis=-1) if need_loss else None
        return L, grad
    D = Z[..., None, :] - Z[..., :, None] + 1.0            # D[t, j] = z_j − z_t + 1
    A = (D > 0) & ~np.eye(K, dtype=bool)
    Yt = Y[..., :, None]
    grad = (Yt * A).sum(axis=-2) - Y * A.sum(axis=-1)
    L = (Yt * np.where(A, D, 0.0)).sum(axis=(-2, -1)) if need_loss else None
    return L, grad


def _class_targets(y, z: np.ndarray, name: str = "y") -> np.ndarray:
    """Target rows of the shape of *z*: probabilities of that shape (each row summing to 1), or
    integer class indices of shape ``z.shape[:-1]``."""
    try:
        raw = np.asarray(y)
    except (TypeError, ValueError, OverflowError):
        raw = None
    if raw is not None and raw.dtype.kind in "iu" and raw.shape == z.shape[:-1] \
            and raw.shape != z.shape:
        K = z.shape[-1]
        if np.any((raw < 0) | (raw >= K)):
            raise InputError("{name}: class indices must be 0..{last}", name=name, last=K - 1)
        return np.eye(K)[raw]
    ya = check_probabilities(y, name, max_ndim=2)
    if ya.shape != z.shape:
        raise InputError("{name}: shape {shape} does not match {other} shape {other_shape}",
                         name=name, shape=str(ya.shape), other="z", other_shape=str(z.shape))
    check_rows_sum_to_one(ya, name)
    return ya


def _logits(z) -> np.ndarray:
    return as_float_array(z, "z", min_ndim=1, max_ndim=2)


def multiclass_loss(name, z, y, **params):
    """Loss of a softmax layer as a function of its logits, for the whole family, per row.

    With ``a = softmax(z)``: ``"ce"`` ``−Σ_j y_j ln a_j`` (log-sum-exp, finite for any finite
    logits); ``"smoothed_ce"`` the same with ``y_ε = (1 − ε) y + ε/K``; ``"mse"``
    ``½ ‖a − y‖²``; ``"focal"`` ``−α Σ_j y_j (1 − a_j)^γ ln a_j``; ``"hinge"``
    ``Σ_t y_t Σ_{j≠t} max(0, z_j − z_t + 1)`` (see the module docstring).

    Parameters
    ----------
    name : {"mse", "ce", "focal", "hinge", "smoothed_ce"}
        The loss.
    z : array_like
        Logits, ``(K,)`` for one sample or ``(n, K)``.
    y : array_like
        Targets: distributions of the shape of ``z`` (one-hot or soft, rows summing to 1), or
        integer class indices of shape ``z.shape[:-1]``.
    **params
        ``gamma``, ``alpha`` (focal), ``eps`` (smoothed_ce).

    Returns
    -------
    float or numpy.ndarray
        The loss of the sample (1-D ``z``) or of each row, ``(n,)``.
    """
    loss, p = loss_spec(name, params, allowed=MULTICLASS_LOSSES)
    Z = _logits(z)
    Y = _class_targets(y, Z)
    L, _ = _multiclass_array(loss, Z, Y, p)
    return result(np.maximum(L, 0.0) + 0.0, Z.ndim == 1)


def multiclass_loss_grad(name, z, y, **params) -> np.ndarray:
    """Gradient ``∂L/∂z`` of :func:`multiclass_loss`, per row.

    ``"ce"`` ``a − y``; ``"smoothed_ce"`` ``a − y_ε``; ``"mse"`` ``a ⊙ (g − a·g)``,
    ``g = a − y``; ``"focal"`` ``−α (h − a Σ_j h_j)``,
    ``h_j = y_j (1 − a_j)^γ [1 − γ a_j ln a_j / (1 − a_j)]``; ``"hinge"`` ``+y_t`` for every
    class ``k ≠ t`` inside the margin of ``t`` and ``−y_t`` times their count for ``t``.

    Parameters
    ----------
    name : {"mse", "ce", "focal", "hinge", "smoothed_ce"}
        The loss.
    z : array_like
        Logits, ``(K,)`` or ``(n, K)``.
    y : array_like
        Targets as in :func:`multiclass_loss`.
    **params
        As :func:`multiclass_loss`.

    Returns
    -------
    numpy.ndarray
        Of the shape of ``z``: each row the gradient of that row's loss (divide by ``n`` for
        the mean loss).
    """
    loss, p = loss_spec(name, params, allowed=MULTICLASS_LOSSES)
    Z = _logits(z)
    Y = _class_targets(y, Z)
    _, g = _multiclass_array(loss, Z, Y, p, need_loss=False)
    return np.asarray(g, dtype=np.float64) + 0.0


# ----------------------------------------------------------------------------- label smoothing

def _check_smoothing(eps, name: str = "eps") -> float:
    if isinstance(eps, (bool, np.bool_)) or not isinstance(eps, numbers.Real):
        raise InputError("{name}: must be a number (got {value})", name=name,
                         value=describe(eps))
    try:
        e = float(eps)
    except OverflowError:
        e = math.inf
    if not 0.0 <= e <= 1.0:
        raise InputError("{name}: must be in [0, 1] (got {value})", name=name,
                         value=describe(eps))
    return e


def smooth_labels(y, eps, n_classes=None) -> np.ndarray:
    """Label smoothing: ``y_ε = (1 − ε) y + ε / K``.

    Parameters
    ----------
    y : array_like
        Target distributions along the last axis (one-hot or soft rows summing to 1), in which
        case ``K`` is that axis' length; or, with *n_classes*, probabilities of one class each
        (e.g. binary targets with ``n_classes=2``: ``y(1 − ε) + ε/2``).
    eps : float
        ``ε ∈ [0, 1]``: 0 leaves ``y`` unchanged, 1 gives the uniform ``1/K``.
    n_classes : int, optional
        ``K``, when ``y`` holds single probabilities rather than rows.

    Returns
    -------
    numpy.ndarray
        ``y_ε`` (float64, the shape of ``y``); rows still sum to 1.
    """
    e = _check_smoothing(eps)
    if n_classes is None:
        ya = check_probabilities(y, "y")
        if ya.ndim == 0:
            raise InputError("{name}: must be at least {ndim}-D (got a scalar)", name="y", ndim=1)
        check_rows_sum_to_one(ya if ya.ndim <= 2 else ya.reshape(-1, ya.shape[-1]), "y")
        k = ya.shape[-1]
    else:
        if isinstance(n_classes, (bool, np.bool_)) or not isinstance(n_classes, numbers.Integral) \
                or n_classes < 1:
            raise InputError("{name}: must be a positive integer (got {value})", name="n_classes",
                             value=describe(n_classes))
        ya = check_probabilities(y, "y")
        k = int(n_classes)
    return np.asarray((1.0 - e) * ya + e / k, dtype=np.float64)


def softmax_cross_entropy(z, y, label_smoothing=0.0) -> float:
    """Mean softmax cross-entropy over rows, with optional label smoothing (PyTorch's
    ``F.cross_entropy(z, y, label_smoothing=ε)``, ``reduction="mean"``).

    ``L = 1/n Σ_i −Σ_j y'_ij ln softmax(z_i)_j`` with ``y' = (1 − ε) y + ε/K``; for class
    indices ``t_i`` this is ``1/n Σ_i [(1 − ε)(−ln a_{i,t_i}) + ε · 1/K Σ_j (−ln a_ij)]``.
    Computed with log-sum-exp, so it is finite for any finite logits.

    Parameters
    ----------
    z : array_like
        Logits ``(K,)`` (one sample) or ``(n, K)``.
    y : array_like
        Integer class indices of shape ``z.shape[:-1]``, or target distributions of the shape
        of ``z`` (soft targets are smoothed too, as in PyTorch).
    label_smoothing : float, optional
        ``ε ∈ [0, 1]`` (default 0).

    Returns
    -------
    float
        The mean loss in nats.
    """
    e = _check_smoothing(label_smoothing, "label_smoothing")
    Z = _logits(z)
    Y = _class_targets(y, Z)
    L, _ = _multiclass_array("smoothed_ce", Z, Y, {"eps": e})
    return max(float(np.mean(L)), 0.0) + 0.0


def optimal_logit_margin(eps, n_classes) -> float:
    """The logit margin at which label-smoothed cross-entropy is smallest.

    Cross-entropy to ``y_ε`` is smallest where ``softmax(z) = y_ε`` (Gibbs' inequality), i.e.
    ``a_t = 1 − ε + ε/K`` for the true class and ``a_j = ε/K`` for the others, so the margin
    ``z_t − z_j = ln(a_t / a_j)`` is

        ``m* = ln((1 − ε + ε/K) · K / ε) = ln(1 + K(1 − ε)/ε)``

    -- finite for ``ε > 0``, ``+inf`` for ``ε = 0`` (a one-hot target drives the logits apart
    without bound), 0 for ``ε = 1``.

    Parameters
    ----------
    eps : float
        Smoothing ``ε ∈ [0, 1]``.
    n_classes : int
        ``K ≥ 2``.

    Returns
    -------
    float
        ``m* ≥ 0`` (``inf`` for ``ε = 0``).
    """
    e = _check_smoothing(eps)
    if isinstance(n_classes, (bool, np.bool_)) or not isinstance(n_classes, numbers.Integral) \
            or n_classes < 2:
        raise InputError("{name}: must be an integer ≥ {lo} (got {value})", name="n_classes",
                         lo=2, value=describe(n_classes))
    if e == 0.0:
        return math.inf
    k = int(n_classes)
    return math.log1p(k * (1.0 - e) / e)
