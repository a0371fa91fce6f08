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

__all__ = ["BLOCK_REASONS", "MASS_FLOOR", "MAX_CATEGORIES", "redistribute",
           "redistribute_blocked", "resize_distribution"]

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


#: Reason codes of :func:`redistribute_blocked`.
BLOCK_REASONS = ("index_locked", "all_others_locked", "limited_by_locks")


def _plan(v: np.ndarray, i: int, target: float, lk: np.ndarray):
    """The result of the rule and why it differs from the request (None: it does not)."""
    n = v.size
    out = v.copy()
    if lk[i]:
        return out, "index_locked"
    free = ~lk
    free[i] = False
    if not free.any():
        return out, ("all_others_locked" if min(max(target, 0.0), 1.0) != v[i] else None)
    locked_mass = float(np.add.reduce(v[lk]))   # lk[i] is False here
    hi = max(0.0, 1.0 - locked_mass)
    reason = "limited_by_locks" if locked_mass > 0 and min(target, 1.0) > hi + 1e-12 else None
    t = min(max(target, 0.0), hi)
    if t < MASS_FLOOR:
        t = 0.0
    if t == v[i]:
        return out, reason
    v_free = v[free]
    s_free = float(np.add.reduce(v_free))
    remaining = max(0.0, 1.0 - locked_mass - t)
    out[i] = t
    if s_free > 0.0:                        # in proportion to the current values
        out[free] = v_free * (remaining / s_free)
    else:                                   # every other unlocked entry is 0: share equally
        out[free] = remaining / int(np.count_nonzero(free))
    np.clip(out, 0.0, 1.0, out=out)
    out[free & (out < MASS_FLOOR)] = 0.0
    _absorb_residual(out, (free & (out > 0)) if remaining > 0 else np.arange(n) == i)
    return out, reason


def redistribute(values, index, new_value, locked=None) -> np.ndarray:
    """Set entry *index* of a distribution to *new_value*; the other unlocked entries make room.

    With ``v`` the distribution, ``i = index``, ``F`` the unlocked entries other than ``i``,
    ``S_F = Σ_{j∈F} v_j`` their mass and ``L = Σ`` of the locked entries other than ``i``:

    * ``v_i' = clip(new_value, 0, 1 − L)``;
    * if ``S_F > 0``: ``v_j' = v_j · (1 − L − v_i') / S_F`` for ``j ∈ F`` — the change is taken
      from (or given to) the other unlocked entries in proportion to their current values;
    * if ``S_F = 0`` (every other unlocked entry is 0, so ``v_i = 1 − L``): the entry can only
      go down, and the freed mass is shared equally, ``v_j' = (1 − L − v_i') / |F|`` for
      ``j ∈ F`` — the one-hot ``[0, 1, 0]`` with entry 1 set to 0.5 gives ``[0.25, 0.5, 0.25]``;
      raising it is a no-op (it already holds everything the locks leave);
    * locked entries are returned bit-identical.

    Nothing changes (the result equals ``values``) when entry *index* is itself locked or every
    other entry is locked (``F`` is empty): :func:`redistribute_blocked` says which.  Unlocked
    entries below :data:`MASS_FLOOR` count as 0 (module docstring).  The rounding residue is
    put into the largest entry of ``F``, so the result sums to 1 within 1e-12 (even if *values*
    were off by up to the 1e-9 tolerance).

    Parameters
    ----------
    values : array_like
        1-D probabilities in [0, 1] summing to 1 (within 1e-9).
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
        (:class:`~explorer.core.errors.InputError`) for a bad *values* array (not in [0, 1],
        not summing to 1), *index* out of range, a non-finite *new_value* or a *locked* mask of
        the wrong shape.
    """
    v = _check_values(values)
    i = _check_index(index, v.size)
    target = _check_new_value(new_value)
    lk = _check_locked(locked, v.size)
    return _plan(_floor_unlocked(v, ~lk), i, target, lk)[0]


def redistribute_blocked(values, index, new_value, locked=None) -> str | None:
    """Why :func:`redistribute` would not set entry *index* to *new_value* (None: it would).

    The reason codes (:data:`BLOCK_REASONS`):

    * ``"index_locked"`` -- entry *index* is locked: nothing changes;
    * ``"all_others_locked"`` -- every other entry is locked, so nothing can make room and
      nothing changes (``v_i = 1 − L`` already);
    * ``"limited_by_locks"`` -- ``min(new_value, 1) > 1 − L`` with locked mass ``L > 0``: the
      entry stops at ``1 − L`` (the change is applied up to there).

    A request outside [0, 1] is clipped to it without a reason, and so is raising an entry
    that already holds everything the locks leave (``v_i = 1 − L``, no locks: the one-hot
    case).  Same validation and messages as :func:`redistribute`.

    Parameters
    ----------
    values : array_like
        1-D probabilities in [0, 1] summing to 1.
    index : int
        Entry to set.
    new_value : float
        Requested value.
    locked : array_like of bool, optional
        Entries that must not change.

    Returns
    -------
    str or None
        One of :data:`BLOCK_REASONS`, or None.
    """
    v = _check_values(values)
    i = _check_index(index, v.size)
    target = _check_new_value(new_value)
    lk = _check_locked(locked, v.size)
    return _plan(_floor_unlocked(v, ~lk), i, target, lk)[1]


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

    With ``m`` current entries, ``u`` of them unlocked, holding the mass ``U``:

    * **growing** (``n > m``, ``k = n − m`` new entries): the new entries join the unlocked ones
      and the unlocked mass is re-spread over the ``u + k`` of them, keeping the proportions of
      the old ones: each new entry gets ``U / (u + k)`` (the average unlocked share) and each
      old unlocked entry is scaled by ``u / (u + k)``, ``v_j' = v_j · u / (u + k)``.  Locked
      entries keep their values.  Without locks this is ``1/n`` per new entry and ``v_j · m/n``
      for the others (a uniform distribution stays uniform); ``(0.7 locked, 0.2, 0.1)`` grown to
      5 gives ``(0.7, 0.1, 0.05, 0.075, 0.075)``.  With no unlocked mass (``U = 0``) the new
      entries are 0;
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
        free = ~lk
        u = int(np.count_nonzero(free))
        mass = float(np.add.reduce(v[free]))
        if mass > 0:
            out[:m][free] = v[free] * (u / (u + k))
            out[m:] = mass / (u + k)
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
