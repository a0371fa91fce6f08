"""Input validation shared by the numeric core.

Every check raises :class:`ValueError` with a message that starts with the
name of the offending argument, e.g. ``"q: entries must be non-negative
(q[2] = -0.1)"`` or ``"p: must sum to 1 (sum = 0.9)"``.  The helpers are
public so that the UI can validate user input with the very same messages,
but they are not re-exported from :mod:`explorer.core`.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

__all__ = [
    "SUM_TOLERANCE",
    "as_float_array",
    "check_base",
    "check_distribution",
    "check_eps",
    "check_probabilities",
    "check_rows_sum_to_one",
    "check_same_shape",
    "log_base_factor",
    "result",
]

#: Maximum allowed deviation of a distribution's sum from 1.
SUM_TOLERANCE = 1e-9


def _fmt(value: float) -> str:
    """Format a float compactly for error messages (``0.9``, ``-0.1``, ``nan``)."""
    return f"{float(value):.15g}"


def _entry(name: str, arr: np.ndarray, flat_index: int) -> str:
    """Return ``"name[i] = value"`` for the entry at ``flat_index``."""
    value = _fmt(arr.reshape(-1)[flat_index])
    if arr.ndim == 0:
        return f"{name} = {value}"
    idx = np.unravel_index(flat_index, arr.shape)
    return f"{name}[{', '.join(str(int(i)) for i in idx)}] = {value}"


def as_float_array(x, name: str, *, min_ndim: int = 0, max_ndim: int | None = None) -> np.ndarray:
    """Convert ``x`` to a finite, non-empty float64 array.

    Parameters
    ----------
    x : array_like
        Input value(s).
    name : str
        Argument name used in error messages.
    min_ndim, max_ndim : int, optional
        Allowed range for the number of dimensions.

    Returns
    -------
    numpy.ndarray
        ``np.asarray(x, dtype=float64)`` (not copied if already float64).

    Raises
    ------
    ValueError
        If ``x`` is not numeric, is empty, has a wrong number of dimensions
        or contains NaN/inf.
    """
    if isinstance(x, (str, bytes)):
        raise ValueError(f"{name}: must be numeric (got {type(x).__name__})")
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}: must be a numeric array ({exc})") from None
    if arr.ndim < min_ndim:
        raise ValueError(f"{name}: must be at least {min_ndim}-D (got a scalar)")
    if max_ndim is not None and arr.ndim > max_ndim:
        dims = "1-D" if max_ndim == 1 else f"at most {max_ndim}-D"
        raise ValueError(f"{name}: must be {dims} (got shape {arr.shape})")
    if arr.size == 0:
        raise ValueError(f"{name}: must not be empty")
    if not np.logical_and.reduce(np.isfinite(arr), axis=None):
        i = int(np.flatnonzero(~np.isfinite(arr.reshape(-1)))[0])
        raise ValueError(f"{name}: entries must be finite ({_entry(name, arr, i)})")
    return arr


def check_probabilities(x, name: str, *, max_ndim: int | None = None) -> np.ndarray:
    """Validate an array of probabilities: finite, non-empty, entries in [0, 1].

    The entries do not have to sum to 1.

    Returns
    -------
    numpy.ndarray
        The input as a float64 array.
    """
    arr = as_float_array(x, name, max_ndim=max_ndim)
    neg = arr < 0
    if neg.any():
        i = int(np.flatnonzero(neg.reshape(-1))[0])
        raise ValueError(f"{name}: entries must be non-negative ({_entry(name, arr, i)})")
    big = arr > 1
    if big.any():
        i = int(np.flatnonzero(big.reshape(-1))[0])
        raise ValueError(f"{name}: entries must be at most 1 ({_entry(name, arr, i)})")
    return arr


def check_distribution(p, name: str) -> np.ndarray:
    """Validate a 1-D probability distribution.

    Entries must be finite and non-negative and ``|sum(p) - 1| <= 1e-9``.

    Returns
    -------
    numpy.ndarray
        The input as a 1-D float64 array.
    """
    arr = as_float_array(p, name, min_ndim=1, max_ndim=1)
    # bare ufunc reductions (the same numbers as (arr < 0).any() and np.sum, with less
    # overhead: this runs on every drag step)
    if np.minimum.reduce(arr) < 0:
        i = int(np.flatnonzero(arr < 0)[0])
        raise ValueError(f"{name}: entries must be non-negative ({_entry(name, arr, i)})")
    total = float(np.add.reduce(arr))
    if abs(total - 1.0) > SUM_TOLERANCE:
        raise ValueError(f"{name}: must sum to 1 (sum = {_fmt(total)})")
    return arr


def check_rows_sum_to_one(arr: np.ndarray, name: str) -> None:
    """Check that a 1-D array, or every row of a 2-D array, sums to 1 (within 1e-9)."""
    if arr.ndim == 1:
        total = float(np.sum(arr))
        if abs(total - 1.0) > SUM_TOLERANCE:
            raise ValueError(f"{name}: must sum to 1 (sum = {_fmt(total)})")
        return
    sums = np.sum(arr, axis=-1)
    bad = np.abs(sums - 1.0) > SUM_TOLERANCE
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"{name}: each row must sum to 1 (row {i} sums to {_fmt(sums[i])})")


def check_same_shape(a: np.ndarray, a_name: str, b: np.ndarray, b_name: str) -> None:
    """Raise ``ValueError`` naming ``b_name`` if the shapes of ``a`` and ``b`` differ."""
    if a.shape != b.shape:
        raise ValueError(f"{b_name}: shape {b.shape} does not match {a_name} shape {a.shape}")


def check_eps(eps) -> float | None:
    """Validate a clipping constant: ``None`` or a number in the open interval (0, 0.5)."""
    if eps is None:
        return None
    if isinstance(eps, bool) or not isinstance(eps, numbers.Real):
        raise ValueError(f"eps: must be None or a number in (0, 0.5) (got {eps!r})")
    e = float(eps)
    if not (0.0 < e < 0.5):
        raise ValueError(f"eps: must be in (0, 0.5) (got {_fmt(e)})")
    return e


def check_base(base) -> float | None:
    """Validate a logarithm base: ``None`` (natural log) or a positive number != 1."""
    if base is None:
        return None
    if isinstance(base, bool) or not isinstance(base, numbers.Real):
        raise ValueError(f"base: must be None or a positive number other than 1 (got {base!r})")
    b = float(base)
    if not math.isfinite(b) or b <= 0.0 or b == 1.0:
        raise ValueError(f"base: must be a positive number other than 1 (got {_fmt(b)})")
    return b


def log_base_factor(base) -> float:
    """Return ``ln(base)`` (1.0 for ``base=None``); divide natural logs by it."""
    b = check_base(base)
    return 1.0 if b is None else math.log(b)


def result(values: np.ndarray, scalar: bool):
    """Return a Python float if ``scalar`` is true, else the float64 array."""
    if scalar:
        return float(values)
    return np.asarray(values, dtype=np.float64)
