"""Activation functions: logistic sigmoid and softmax (with temperature),
their derivatives, and the inverse map from probabilities to logits.

All functions are overflow-free for any finite input (logits of magnitude
1e3 and beyond produce no RuntimeWarning).
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from .errors import InputError
from .validation import _entry, _fmt, as_float_array, describe, result

__all__ = [
    "logits_from_probs",
    "sigmoid",
    "sigmoid_derivative",
    "softmax",
    "softmax_jacobian",
]


def _check_temperature(temperature) -> float:
    if isinstance(temperature, (bool, np.bool_)) or not isinstance(temperature, numbers.Real):
        raise InputError("{name}: must be a positive number (got {value})", name="temperature",
                         value=describe(temperature))
    try:
        t = float(temperature)
    except OverflowError:
        t = math.inf
    if not math.isfinite(t) or t <= 0.0:
        raise InputError("{name}: must be a positive finite number (got {value})",
                         name="temperature", value=describe(temperature))
    return t


def _sigmoid_parts(z: np.ndarray):
    """Return ``(sigma(z), sigma'(z))`` computed from ``e = exp(-|z|)`` (never overflows)."""
    with np.errstate(under="ignore"):
        e = np.exp(-np.abs(z))
        one_pe = 1.0 + e
        s = np.where(z >= 0, 1.0 / one_pe, e / one_pe)
        ds = e / (one_pe * one_pe)
    # e/(1+e)² is ¼ at e = 1 and below it elsewhere, but rounding can put it an ulp above ¼
    # (z = 1e-12 gives 0.25000000000000006): keep the documented range [0, ¼]
    return s, np.minimum(ds, 0.25)


def sigmoid(z):
    """Logistic sigmoid.

    Computes ``σ(z) = 1 / (1 + e^{-z})`` in the stable form
    ``1/(1+e^{-|z|})`` for ``z >= 0`` and ``e^{-|z|}/(1+e^{-|z|})`` for ``z < 0``.

    Parameters
    ----------
    z : array_like or float
        Finite pre-activations.

    Returns
    -------
    numpy.ndarray or float
        ``σ(z)`` in [0, 1]; a Python float for scalar input, otherwise an
        array of the same shape.
    """
    arr = as_float_array(z, "z")
    s, _ = _sigmoid_parts(arr)
    return result(s, np.ndim(z) == 0)


def sigmoid_derivative(z):
    """Derivative of the logistic sigmoid.

    Computes ``σ'(z) = σ(z)(1 - σ(z)) = e^{-|z|} / (1 + e^{-|z|})²``
    (the second form is used; it is exact and overflow-free).

    Parameters
    ----------
    z : array_like or float
        Finite pre-activations.

    Returns
    -------
    numpy.ndarray or float
        ``σ'(z)`` in [0, 1/4]; float for scalar input.
    """
    arr = as_float_array(z, "z")
    _, ds = _sigmoid_parts(arr)
    return result(ds, np.ndim(z) == 0)


def softmax(z, temperature=1.0, axis=-1) -> np.ndarray:
    """Softmax with temperature.

    Computes ``a_i = exp(z_i / T) / Σ_j exp(z_j / T)`` along ``axis``, after
    subtracting ``max_j z_j / T`` (which leaves the result unchanged) so
    that no exponential overflows.

    Parameters
    ----------
    z : array_like
        Finite logits, at least 1-D.
    temperature : float, optional
        ``T > 0`` (default 1).  ``T -> 0`` approaches argmax, large ``T``
        approaches the uniform distribution.
    axis : int, optional
        Axis along which to normalise (default: last).

    Returns
    -------
    numpy.ndarray
        Probabilities of the same shape as ``z``; they sum to 1 along ``axis``.

    Raises
    ------
    ValueError
        If ``temperature`` is not a positive finite number, or ``z`` is empty,
        scalar or non-finite.
    """
    t = _check_temperature(temperature)
    arr = as_float_array(z, "z", min_ndim=1)
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, numbers.Integral) \
            or not -arr.ndim <= axis < arr.ndim:
        raise InputError("{name}: must be an axis of z, -{ndim} to {last} (got {value})",
                         name="axis", ndim=arr.ndim, last=arr.ndim - 1, value=describe(axis))
    axis = int(axis)
    with np.errstate(over="ignore"):
        scaled = arr / t
    if not np.all(np.isfinite(scaled)):
        raise InputError("{name}: too small for these logits (z / {value} overflows)",
                         name="temperature", value=_fmt(t))
    shifted = scaled - np.max(scaled, axis=axis, keepdims=True)
    with np.errstate(under="ignore"):
        e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def softmax_jacobian(z, temperature=1.0) -> np.ndarray:
    """Jacobian of the softmax with respect to the logits.

    Computes ``J_ij = ∂a_i/∂z_j = a_i (δ_ij - a_j) / T`` with
    ``a = softmax(z, T)``, i.e. ``J = (diag(a) - a aᵀ) / T``.

    Parameters
    ----------
    z : array_like
        1-D finite logits of length ``n``.
    temperature : float, optional
        ``T > 0`` (default 1).

    Returns
    -------
    numpy.ndarray
        Symmetric ``(n, n)`` matrix whose rows and columns sum to 0.
    """
    t = _check_temperature(temperature)
    arr = as_float_array(z, "z", min_ndim=1, max_ndim=1)
    a = softmax(arr, t)
    return (np.diag(a) - np.outer(a, a)) / t


def logits_from_probs(q, floor=-30.0) -> np.ndarray:
    """Logits whose softmax reproduces given probabilities.

    Computes ``z_i = max(ln q_i - ln max_j q_j, floor)``: the log-probabilities
    shifted so that ``max(z) = 0``.  Entries with ``q_i = 0`` (or with a
    log-ratio below ``floor``) are set to the finite value ``floor``, so
    ``softmax(z)`` gives them a tiny but non-zero probability
    (about ``e^floor``; ``e^-30 ≈ 9.4e-14``).  For any other entries
    ``softmax(z) == q / sum(q)`` up to rounding.

    Parameters
    ----------
    q : array_like
        1-D non-negative finite weights, not all zero (need not sum to 1).
    floor : float, optional
        Finite negative logit assigned to zero probabilities (default -30).

    Returns
    -------
    numpy.ndarray
        1-D float64 logits with ``max(z) == 0`` and ``min(z) >= floor``.
    """
    if isinstance(floor, (bool, np.bool_)) or not isinstance(floor, numbers.Real):
        raise InputError("{name}: must be a negative number (got {value})", name="floor",
                         value=describe(floor))
    try:
        fl = float(floor)
    except OverflowError:
        fl = -math.inf
    if not math.isfinite(fl) or fl >= 0.0:
        raise InputError("{name}: must be a finite negative number (got {value})", name="floor",
                         value=describe(floor))
    arr = as_float_array(q, "q", min_ndim=1, max_ndim=1)
    neg = arr < 0
    if neg.any():
        i = int(np.flatnonzero(neg)[0])
        raise InputError("{name}: entries must be non-negative ({entry})", name="q",
                         entry=_entry("q", arr, i))
    qmax = float(np.max(arr))
    if qmax == 0.0:
        raise InputError("{name}: must have at least one positive entry (all are 0)", name="q")
    z = np.full_like(arr, fl)
    m = arr > 0
    with np.errstate(divide="ignore", under="ignore"):
        z[m] = np.maximum(np.log(arr[m] / qmax), fl)
    return z + 0.0
