"""Editing one entry of a probability vector while keeping it a distribution.

These are the rules behind the bar editors: drag one bar and the others make room for it
(:func:`redistribute`), add or remove categories (:func:`resize_distribution`).  Locked entries
are never touched: they come back bit-identical.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from .validation import _fmt, as_float_array

__all__ = ["redistribute", "resize_distribution"]


def _check_values(values) -> np.ndarray:
    v = as_float_array(values, "values", min_ndim=1, max_ndim=1)
    if v.size < 1:
        raise ValueError("values: must not be empty")
    if np.minimum.reduce(v) < 0 or np.maximum.reduce(v) > 1:   # v is finite here
        i = int(np.flatnonzero((v < 0) | (v > 1))[0])
        raise ValueError(f"values: entries must lie in [0, 1] (values[{i}] = {_fmt(v[i])})")
    return v


def _check_locked(locked, size: int) -> np.ndarray:
    if locked is None:
        return np.zeros(size, dtype=bool)
    lk = np.asarray(locked)
    if lk.shape != (size,):
        raise ValueError(f"locked: expected {size} flags, got shape {lk.shape}")
    return lk.astype(bool)


def _absorb_residual(out: np.ndarray, candidates: np.ndarray) -> None:
    """Put the rounding residue ``1 - sum(out)`` into the largest candidate entry (in place),
    as long as it stays inside [0, 1]."""
    if not candidates.any():
        return
    residual = 1.0 - float(np.add.reduce(out))
    if residual == 0.0:
        return
    idx = np.flatnonzero(candidates)
    j = int(idx[np.argmax(out[idx])])
    out[j] = min(1.0, max(0.0, out[j] + residual))


def redistribute(values, index, new_value, locked=None) -> np.ndarray:
    """Set entry *index* of a distribution to *new_value*; the other unlocked entries make room.

    With ``v`` the distribution, ``i = index``, ``F`` the unlocked entries other than ``i``,
    ``S_F = Σ_{j∈F} v_j`` their mass and ``L = Σ`` of the locked entries other than ``i``:

    * ``v_i' = clip(new_value, 0, 1 − L)``;
    * ``v_j' = v_j · (1 − L − v_i') / S_F`` for ``j ∈ F`` — the change is taken from (or given
      to) the other unlocked entries in proportion to their current values;
    * locked entries are returned bit-identical.

    When ``S_F = 0`` (every other unlocked entry is 0, or all of them are locked) nothing can
    absorb the change and the dragged entry is clamped: the result equals ``values``.  The same
    happens when entry *index* is itself locked.  The rounding residue is put into the largest
    entry of ``F``, so the result sums to 1 within 1e-12 (even if *values* were off by a few ulp).

    Parameters
    ----------
    values : array_like
        1-D probabilities in [0, 1] summing to 1.
    index : int
        Entry to set (negative indices count from the end).
    new_value : float
        Requested value; clipped to the reachable range ``[0, 1 − L]``.
    locked : array_like of bool, optional
        Entries that must not change (default: none).

    Returns
    -------
    numpy.ndarray
        A new float64 array ``v'``: all entries in [0, 1], ``|Σ v' − 1| ≤ 1e-12``.

    Raises
    ------
    ValueError
        For a bad *values* array, *index* out of range, a non-finite *new_value* or a
        *locked* mask of the wrong shape.
    """
    v = _check_values(values)
    n = v.size
    if isinstance(index, bool) or not isinstance(index, numbers.Integral):
        raise ValueError(f"index: must be an integer (got {index!r})")
    i = int(index)
    if not -n <= i < n:
        raise ValueError(f"index: {i} is out of range for {n} values")
    i %= n
    if isinstance(new_value, bool) or not isinstance(new_value, numbers.Real) \
            or not math.isfinite(float(new_value)):
        raise ValueError(f"new_value: must be a finite number (got {new_value!r})")
    lk = _check_locked(locked, n)
    out = v.copy()
    free = ~lk
    free[i] = False
    v_free = v[free]
    s_free = float(np.add.reduce(v_free))
    if lk[i] or s_free <= 0.0:
        return out
    locked_mass = float(np.add.reduce(v[lk]))   # lk[i] is False here
    hi = max(0.0, 1.0 - locked_mass)
    target = min(max(float(new_value), 0.0), hi)
    if target == v[i]:
        return out
    remaining = max(0.0, 1.0 - locked_mass - target)
    out[i] = target
    out[free] = v_free * (remaining / s_free)
    np.clip(out, 0.0, 1.0, out=out)
    _absorb_residual(out, free if remaining > 0 else np.arange(n) == i)
    return out


def resize_distribution(values, n, locked=None) -> np.ndarray:
    """Grow or shrink a distribution to *n* categories (new ones appended, removed from the end).

    With ``m`` current entries and ``U`` the mass of the unlocked ones:

    * **growing** (``n > m``): each of the ``k = n − m`` new entries receives
      ``min(k/n, U) / k`` — the share it would have in a uniform distribution — taken from the
      unlocked entries in proportion to their values (``v_j · (U − taken)/U``).  A uniform
      distribution stays uniform;
    * **shrinking** (``n < m``): the removed mass ``R = Σ_{j≥n} v_j`` is re-normalised into the
      kept unlocked entries in proportion to their values (equally if they are all 0); if every
      kept entry is locked, the kept entries are re-normalised as a whole (``v / Σ v``, uniform
      if that sum is 0).

    Locked entries keep their values except in that last case.  The result sums to 1 within 1e-12.

    Parameters
    ----------
    values : array_like
        1-D probabilities summing to 1.
    n : int
        New number of categories (≥ 1).
    locked : array_like of bool, optional
        Lock flags of the current entries.

    Returns
    -------
    numpy.ndarray
        The new float64 distribution of length *n*.
    """
    v = _check_values(values)
    m = v.size
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
        raise ValueError(f"n: must be a positive integer (got {n!r})")
    n = int(n)
    lk = _check_locked(locked, m)
    if n == m:
        return v.copy()
    if n > m:
        k = n - m
        out = np.concatenate([v, np.zeros(k)])
        u = float(np.sum(v[~lk]))
        taken = min(k / n, u)
        if u > 0:
            out[:m][~lk] = v[~lk] * ((u - taken) / u)
            out[m:] = taken / k
        cand = np.concatenate([~lk, np.ones(k, dtype=bool)])
        _absorb_residual(out, cand & (out > 0))
        return out
    out = v[:n].copy()
    keep_lk = lk[:n]
    removed = float(np.sum(v[n:]))
    free = ~keep_lk
    if free.any():
        s = float(np.sum(out[free]))
        if s > 0:
            out[free] = out[free] * ((s + removed) / s)
        else:
            out[free] = removed / int(free.sum())
        _absorb_residual(out, free & (out > 0))
    else:
        s = float(np.sum(out))
        out = out / s if s > 0 else np.full(n, 1.0 / n)
        _absorb_residual(out, out > 0)
    return out
