"""Numerical helpers: central finite differences for live gradient checks."""

from __future__ import annotations

import math
import numbers

import numpy as np

from .validation import _fmt, as_float_array

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
        raise ValueError(f"f: must be callable (got {type(f).__name__})")
    if isinstance(h, bool) or not isinstance(h, numbers.Real):
        raise ValueError(f"h: must be a positive number (got {h!r})")
    step = float(h)
    if not math.isfinite(step) or step <= 0:
        raise ValueError(f"h: must be a positive finite number (got {_fmt(step)})")
    z0 = np.array(as_float_array(z, "z"), dtype=np.float64, copy=True)
    if z0.ndim == 0:
        zf = float(z0)
        return np.asarray((float(f(zf + step)) - float(f(zf - step))) / (2.0 * step))
    grad = np.empty_like(z0)
    flat = z0.reshape(-1)
    gflat = grad.reshape(-1)
    for i in range(flat.size):
        orig = flat[i]
        flat[i] = orig + step
        fp = float(f(z0.copy()))
        flat[i] = orig - step
        fm = float(f(z0.copy()))
        flat[i] = orig
        gflat[i] = (fp - fm) / (2.0 * step)
    return grad
