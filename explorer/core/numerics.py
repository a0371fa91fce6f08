"""Numerical helpers: central finite differences for live gradient checks."""

from __future__ import annotations

import math
import numbers

import numpy as np

from .errors import InputError
from .validation import as_float_array, describe

__all__ = ["finite_difference_gradient"]


def finite_difference_gradient(f, z, h=1e-6) -> np.ndarray:
    """Gradient of a scalar function by central differences.

    Computes ``g_i = (f(z + h e_i) - f(z - h e_i)) / (2h)`` for every entry
    ``i`` of ``z`` (``e_i`` the i-th unit vector); the error is ``O(h²)``.

    Parameters
    ----------
    f : callable
        ``f(z) -> float``, called with float64 arrays of the shape of ``z``
        (with a Python float if ``z`` is a scalar).
    z : array_like or float
        Point at which to differentiate (finite).
    h : float, optional
        Step size ``h > 0`` (default 1e-6).

    Returns
    -------
    numpy.ndarray
        float64 array of the shape of ``z`` (0-d for scalar ``z``).
    """
    if not callable(f):
        raise InputError("{name}: must be callable (got {type})", name="f",
                         type=type(f).__name__)
    if isinstance(h, (bool, np.bool_)) or not isinstance(h, numbers.Real):
        raise InputError("{name}: must be a positive number (got {value})", name="h",
                         value=describe(h))
    try:
        step = float(h)
    except OverflowError:
        step = math.inf
    if not math.isfinite(step) or step <= 0:
        raise InputError("{name}: must be a positive finite number (got {value})", name="h",
                         value=describe(h))
    z0 = np.array(as_float_array(z, "z"), dtype=np.float64, copy=True)
    if z0.ndim == 0:
        zf = float(z0)
        return np.asarray((_value(f(zf + step)) - _value(f(zf - step))) / (2.0 * step))
    grad = np.empty_like(z0)
    flat = z0.reshape(-1)
    gflat = grad.reshape(-1)
    for i in range(flat.size):
        orig = flat[i]
        flat[i] = orig + step
        fp = _value(f(z0.copy()))
        flat[i] = orig - step
        fm = _value(f(z0.copy()))
        flat[i] = orig
        gflat[i] = (fp - fm) / (2.0 * step)
    return grad


def _value(v) -> float:
    """``float(f(z))``, refusing what is not a real number (text, complex, 10**400)."""
    try:
        arr = as_float_array(v, "f", allow_nonfinite=True)
    except InputError:
        raise InputError("{name}: must return a real number (got {value})", name="f",
                         value=describe(v)) from None
    if arr.size != 1:
        raise InputError("{name}: must return a single number (got shape {shape})",
                         name="f", shape=str(arr.shape))
    return float(arr.reshape(-1)[0])
