"""Validation shared by the model's states and commands.

Every check takes the name of what it checks first (``key``: a saved key such as ``"p"`` or
``"training.lr"``, or a command argument) and raises :class:`~explorer.core.errors.InputError`
whose English template names it, so the interface can show the message in the user's language
(:func:`explorer.i18n.tr_error`).  Python's own surprises are refused here too: ``True`` is not
a number, an integer of 400 digits is not a float, a list is not a unit name.
"""
from __future__ import annotations

import math
import numbers

import numpy as np

from explorer.core.errors import InputError

#: distributions and logit vectors hold this many categories
MIN_CATEGORIES = 2
MAX_CATEGORIES = 1000
#: q is a distribution when its sum is 1 within this (looser inputs are refused)
SUM_TOLERANCE = 1e-9
#: largest |logit| accepted anywhere
LOGIT_LIMIT = 1e3
MAX_LABEL = 40


def _show(value) -> str:
    """A short printable form of a refused value (never the whole of a huge input)."""
    try:
        text = repr(value)
    except Exception:       # noqa: BLE001 - a hostile __repr__ must not hide the refusal
        text = f"<{type(value).__name__}>"
    return text if len(text) <= 40 else text[:37] + "..."


def as_finite_float(key: str, value) -> float:
    """*value* as a finite float, or InputError naming *key* (true/false, text, complex
    numbers and integers too large for a float are refused)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise InputError("{key}: expected a number, got {value}", key=key, value=_show(value))
    try:
        v = float(value)
    except (OverflowError, ValueError, TypeError):
        raise InputError("{key}: the number is too large, got {value}", key=key,
                         value=_show(value)) from None
    if not math.isfinite(v):
        raise InputError("{key}: must be finite, got {value}", key=key, value=_show(v))
    return v


def number(key: str, value, lo: float, hi: float) -> float:
    """A finite float in [lo, hi]."""
    v = as_finite_float(key, value)
    if not lo <= v <= hi:
        raise InputError("{key}: must be in [{lo}, {hi}], got {value}", key=key, lo=f"{lo:g}",
                         hi=f"{hi:g}", value=f"{v:g}")
    return v


def integer(key: str, value, lo: int, hi: int) -> int:
    """A whole number (not true/false, not 3.0) in lo..hi."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise InputError("{key}: expected a whole number, got {value}", key=key,
                         value=_show(value))
    if not lo <= value <= hi:
        raise InputError("{key}: must be a whole number {lo} to {hi}, got {value}", key=key,
                         lo=lo, hi=hi, value=_show(value))
    return int(value)


def boolean(key: str, value) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise InputError("{key}: expected true or false, got {value}", key=key, value=_show(value))
    return bool(value)


def choice(key: str, value, options) -> str:
    """One of the texts *options*."""
    if not isinstance(value, str) or value not in options:
        raise InputError("{key}: expected one of {options}, got {value}", key=key,
                         options=", ".join(options), value=_show(value))
    return value


def which(value) -> str:
    """``"p"`` or ``"q"`` (the two editors)."""
    if not isinstance(value, str) or value not in ("p", "q"):
        raise InputError("which: expected 'p' or 'q', got {value}", value=_show(value))
    return value


def _float_vector(key: str, values, what: str) -> np.ndarray:
    if isinstance(values, (str, bytes, dict)) or values is None:
        raise InputError("{key}: expected a list of numbers", key=key)
    if isinstance(values, np.ndarray):
        if values.dtype.kind not in "biuf":
            raise InputError("{key}: expected a list of numbers", key=key)
        items = values.reshape(-1)
        if values.dtype.kind == "b":
            raise InputError("{key}: expected a list of numbers", key=key)
        arr = np.array(items, dtype=np.float64)
    else:
        try:
            items = list(values)
        except TypeError:
            raise InputError("{key}: expected a list of numbers", key=key) from None
        for i, v in enumerate(items):
            if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Real):
                raise InputError("{key}: entry {index} must be a number, got {value}", key=key,
                                 index=i, value=_show(v))
        try:
            arr = np.array([float(v) for v in items], dtype=np.float64)
        except OverflowError:
            raise InputError("{key}: an entry is too large to be a number", key=key) from None
    if arr.ndim != 1:
        raise InputError("{key}: expected a list of numbers", key=key)
    return arr


def _size(key: str, arr: np.ndarray, n: int | None, noun: str) -> None:
    if not MIN_CATEGORIES <= arr.size <= MAX_CATEGORIES:
        raise InputError("{key}: needs {lo} to {hi} categories, got {size}" if noun == "categories"
                         else "{key}: needs {lo} to {hi} values, got {size}",
                         key=key, lo=MIN_CATEGORIES, hi=MAX_CATEGORIES, size=arr.size)
    if n is not None and arr.size != n:
        raise InputError("{key}: expected {n} values, got {size}", key=key, n=n, size=arr.size)


def distribution(key: str, values, n: int | None = None) -> np.ndarray:
    """*values* as a new read-only float64 distribution: 2 to 1000 finite entries in [0, 1]
    summing to 1 within 1e-9 (renormalised when off by more than 1e-12)."""
    arr = _float_vector(key, values, "probability")
    _size(key, arr, n, "categories")
    if not np.all(np.isfinite(arr)):
        i = int(np.flatnonzero(~np.isfinite(arr))[0])
        raise InputError("{key}: entry {index} is not a finite number ({value})", key=key,
                         index=i, value=_show(float(arr[i])))
    bad = (arr < 0) | (arr > 1)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError("{key}: entry {index} = {value} is outside [0, 1]", key=key, index=i,
                         value=f"{arr[i]:g}")
    s = float(arr.sum())
    if abs(s - 1.0) > SUM_TOLERANCE:
        raise InputError("{key}: must sum to 1 (sum = {total})", key=key, total=f"{s:.12g}")
    if abs(s - 1.0) > 1e-12:
        arr = arr / s
    arr.flags.writeable = False
    return arr


def logits(key: str, values, n: int | None = None) -> np.ndarray:
    """*values* as new read-only float64 logits: 2 to 1000 finite numbers within ±1000."""
    arr = _float_vector(key, values, "logit")
    _size(key, arr, n, "values")
    if not np.all(np.isfinite(arr)) or np.any(np.abs(arr) > LOGIT_LIMIT):
        raise InputError("{key}: entries must be finite numbers within ±1000", key=key)
    arr.flags.writeable = False
    return arr


def flags(key: str, values, n: int) -> np.ndarray:
    """*n* true/false values as a new read-only bool array."""
    if not isinstance(values, (list, tuple, np.ndarray)) or len(values) != n:
        raise InputError("{key}: expected {n} true/false values", key=key, n=n)
    for i, v in enumerate(values):
        if not isinstance(v, (bool, np.bool_)):
            raise InputError("{key}: entry {index} must be true or false", key=key, index=i)
    arr = np.array([bool(v) for v in values], dtype=bool)
    arr.flags.writeable = False
    return arr


def label(key: str, text, index: int | None = None) -> str:
    """One category name: text of 1 to 40 characters after trimming, no control characters
    and no lone surrogates (which no file can store)."""
    where = key if index is None else f"{key}: label {index}"
    if not isinstance(text, str):
        raise InputError("{where} must be text, got {type}", where=where,
                         type=type(text).__name__)
    text = text.strip()
    if not text or len(text) > MAX_LABEL:
        raise InputError("{where} must be 1 to 40 characters", where=where)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError("{where} contains a character that cannot be saved", where=where) from None
    if any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in text):
        raise InputError("{where} contains a control character", where=where)
    return text


def labels(key: str, values, n: int) -> tuple:
    """*n* category names (see :func:`label`) as a tuple."""
    if isinstance(values, (str, bytes)) or not isinstance(values, (list, tuple)):
        raise InputError("{key}: expected a list of {n} labels", key=key, n=n)
    if len(values) != n:
        raise InputError("{key}: expected {n} labels, got {size}", key=key, n=n, size=len(values))
    return tuple(label(key, v, i) for i, v in enumerate(values))


def index(key: str, value, n: int) -> int:
    """A category number 0..n−1."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise InputError("{key}: expected a category number, got {value}", key=key,
                         value=_show(value))
    if not 0 <= value < n:
        raise InputError("{key}: {value} is not a category (0..{last})", key=key,
                         value=int(value), last=n - 1)
    return int(value)
