"""Editing one entry of a probability vector while keeping it a distribution.

These are the rules behind the bar editors: drag one bar and the others make room for it
(:func:`redistribute`), add or remove categories (:func:`resize_distribution`).  Locked entries
are never touched: they come back bit-identical.

Tiny masses
-----------
An unlocked entry below :data:`MASS_FLOOR` (the smallest normal float64, about 2.2e-308) is
treated as 0, in the input and in the result: a subnormal mass such as ``5e-324`` cannot be
scaled up without overflowing (``1 / 5e-324 = inf``), and it carries no probability anyone
can see.  A requested value below the floor is 0 too.  Locked entries are kept as they are,
however small.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from .errors import InputError
from .validation import SUM_TOLERANCE, _fmt, as_float_array, describe

__all__ = ["MASS_FLOOR", "MAX_CATEGORIES", "redistribute", "resize_distribution"]

#: Unlocked masses below this (the smallest normal float64, ≈ 2.2250738585072014e-308) are 0.
MASS_FLOOR = float(np.finfo(np.float64).tiny)
#: Most categories :func:`resize_distribution` creates.
MAX_CATEGORIES = 1_000_000


def _check_values(values) -> np.ndarray:
    v = as_float_array(values, "values", min_ndim=1, max_ndim=1)
    if np.minimum.reduce(v) < 0 or np.maximum.reduce(v) > 1:   # v is finite here
        i = int(np.flatnonzero((v < 0) | (v > 1))[0])
        raise InputError("{name}: entries must lie in [0, 1] ({entry} = {value})",
                         name="values", entry=f"values[{i}]", value=_fmt(v[i]))
    total = float(np.add.reduce(v))
    if abs(total - 1.0) > SUM_TOLERANCE:
        raise InputError("{name}: must sum to 1 (sum = {total})", name="values",
                         total=_fmt(total))
    return v


def _check_locked(locked, size: int) -> np.ndarray:
    if locked is None:
        return np.zeros(size, dtype=bool)
    try:
        lk = np.asarray(locked)
    except (TypeError, ValueError, OverflowError):
        lk = np.asarray(None)
    if lk.shape != (size,):
        raise InputError("{name}: expected {size} flags, got shape {shape}", name="locked",
                         size=size, shape=str(lk.shape))
    if lk.dtype.kind not in "biuf" or (lk.dtype.kind == "f" and not np.all(np.isfinite(lk))):
        raise InputError("{name}: expected true/false flags (got {type})", name="locked",
                         type=str(lk.dtype))
    return lk.astype(bool)


def _floor_unlocked(v: np.ndarray, unlocked: np.ndarray) -> np.ndarray:
    """A copy of *v* with the unlocked entries below :data:`MASS_FLOOR` set to 0."""
    out = v.copy()
    out[unlocked & (out < MASS_FLOOR)] = 0.0
    return out


def _absorb_residual(out: np.ndarray, candidates: np.ndarray) -> None:
    """Put the rounding residue ``1 - sum(out)`` into the largest candidate entry (in place),
    as long as it stays inside [0, 1]; repeated (at most four times) until the float sum is
    exactly 1 or nothing changes."""
    if not candidates.any():
        return
    idx = np.flatnonzero(candidates)
    j = int(idx[np.argmax(out[idx])])
    for _ in range(4):
        residual = 1.0 - float(np.add.reduce(out))
        if residual == 0.0:
            return
        new = min(1.0, max(0.0, out[j] + residual))
        if new == out[j]:
            return
        out[j] = new


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
    i = _check_index(index, n)
    target = _check_new_value(new_value)
    lk = _check_locked(locked, n)
    v = _floor_unlocked(v, ~lk)
    out = v.copy()
    free = ~lk
    free[i] = False
    v_free = v[free]
    s_free = float(np.add.reduce(v_free))
    if lk[i] or s_free <= 0.0:
        return out
    locked_mass = float(np.add.reduce(v[lk]))   # lk[i] is False here
    hi = max(0.0, 1.0 - locked_mass)
    target = min(max(target, 0.0), hi)
    if target < MASS_FLOOR:
        target = 0.0
    if target == v[i]:
        return out
    remaining = max(0.0, 1.0 - locked_mass - target)
    out[i] = target
    out[free] = v_free * (remaining / s_free)
    np.clip(out, 0.0, 1.0, out=out)
    out[free & (out < MASS_FLOOR)] = 0.0
    _absorb_residual(out, (free & (out > 0)) if remaining > 0 else np.arange(n) == i)
    return out


def _check_index(index, n: int) -> int:
    if isinstance(index, (bool, np.bool_)) or not isinstance(index, numbers.Integral):
        raise InputError("{name}: must be an integer (got {value})", name="index",
                         value=describe(index))
    i = int(index)
    if not -n <= i < n:
        raise InputError("{name}: {value} is out of range for {size} values", name="index",
                         value=describe(i), size=n)
    return i % n


def _check_new_value(new_value) -> float:
    ok = not isinstance(new_value, (bool, np.bool_)) and isinstance(new_value, numbers.Real)
    try:
        v = float(new_value) if ok else math.nan
    except OverflowError:
        v = math.nan
    if not math.isfinite(v):
        raise InputError("{name}: must be a finite number (got {value})", name="new_value",
                         value=describe(new_value))
    return v


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
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, numbers.Integral) or n < 1:
        raise InputError("{name}: must be a positive integer (got {value})", name="n",
                         value=describe(n))
    if n > MAX_CATEGORIES:
        raise InputError("{name}: must be at most {limit} (got {value})", name="n",
                         limit=MAX_CATEGORIES, value=describe(n))
    n = int(n)
    lk = _check_locked(locked, m)
    v = _floor_unlocked(v, ~lk)
    if n == m:
        return v
    if n > m:
        k = n - m
        out = np.concatenate([v, np.zeros(k)])
        u = float(np.sum(v[~lk]))
        taken = min(k / n, u)
        if u > 0:
            out[:m][~lk] = v[~lk] * ((u - taken) / u)
            out[m:] = taken / k
        cand = np.concatenate([~lk, np.ones(k, dtype=bool)])
        out[cand & (out < MASS_FLOOR)] = 0.0
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
        out[free & (out < MASS_FLOOR)] = 0.0
        _absorb_residual(out, free & (out > 0))
    else:
        s = float(np.sum(out))
        out = out / s if s > 0 else np.full(n, 1.0 / n)
        _absorb_residual(out, out > 0)
    return out
