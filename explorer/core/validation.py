"""Input validation shared by the numeric core.

Every check raises :class:`explorer.core.errors.InputError` (a :class:`ValueError`) whose English
message starts with the name of the offending argument and states the problem, e.g.
``"q: entries must be non-negative (q[2] = -0.1)"`` or ``"p: must sum to 1 (sum = 0.9)"``.
The error carries the message as a ``template`` with ``{placeholders}`` and their ``fields``
(``name`` is always the argument), so the interface can show it translated.  The helpers are
public so that the UI can validate user input with the very same messages, but they are not
re-exported from :mod:`explorer.core`.

What counts as a number
-----------------------
Real numbers only: Python ``int``/``float`` (and ``bool``), numpy integer, unsigned, float and
bool arrays, and objects that are :class:`numbers.Real` (``Fraction``, ``Decimal`` is not).
Refused with a message naming the argument: text, even numeric text such as ``"0.5"``;
complex numbers (even with a zero imaginary part); NaN and ±inf; integers too large for a
float64 (``|x| ≥ 2**1024``, which Python would otherwise turn into an ``OverflowError``).
"""

from __future__ import annotations

import math
import numbers
import reprlib

import numpy as np

from .errors import InputError

__all__ = [
    "SUM_TOLERANCE",
    "as_float_array",
    "as_int",
    "as_real",
    "check_base",
    "check_distribution",
    "check_eps",
    "check_probabilities",
    "check_rows_sum_to_one",
    "check_same_shape",
    "describe",
    "log_base_factor",
    "result",
]

#: Maximum allowed deviation of a distribution's sum from 1.
SUM_TOLERANCE = 1e-9

_REPR = reprlib.Repr()
_REPR.maxstring = 40
_REPR.maxother = 40
_REPR.maxlist = 6
_REPR.maxtuple = 6
_NUMERIC_KINDS = frozenset("biuf")


def _fmt(value: float) -> str:
    """Format a float compactly for error messages (``0.9``, ``-0.1``, ``nan``)."""
    return f"{float(value):.15g}"


def describe(value) -> str:
    """A short text for a refused value in a message: ``0.9``, ``'abc'``, ``None``, or
    ``≈1e+400`` for an integer too large to print or convert (language-neutral)."""
    if isinstance(value, bool):
        return repr(value)
    if isinstance(value, numbers.Integral):
        v = int(value)
        if v.bit_length() > 64:
            a = abs(v)
            exponent = int((a.bit_length() - 1) * math.log10(2))
            if exponent < 100_000 and a >= 10 ** (exponent + 1):
                exponent += 1
            return f"≈{'-' if v < 0 else ''}1e+{exponent}"
        return str(v)
    if isinstance(value, numbers.Real):
        try:
            return _fmt(float(value))
        except (OverflowError, ValueError, TypeError):
            pass
    return _REPR.repr(value)


def _entry(name: str, arr: np.ndarray, flat_index: int) -> str:
    """Return ``"name[i] = value"`` for the entry at ``flat_index``."""
    value = _fmt(arr.reshape(-1)[flat_index])
    if arr.ndim == 0:
        return f"{name} = {value}"
    idx = np.unravel_index(flat_index, arr.shape)
    return f"{name}[{', '.join(str(int(i)) for i in idx)}] = {value}"


def _from_objects(raw: np.ndarray, name: str) -> np.ndarray:
    """float64 copy of an object array whose every element is a real number."""
    out = np.empty(raw.shape, dtype=np.float64)
    flat_in, flat_out = raw.reshape(-1), out.reshape(-1)
    for i, item in enumerate(flat_in):
        if isinstance(item, (str, bytes)) or not isinstance(item, (numbers.Real, np.bool_)):
            raise InputError("{name}: must be numeric (got {type})", name=name,
                             type=type(item).__name__)
        try:
            flat_out[i] = float(item)
        except OverflowError:
            idx = np.unravel_index(i, raw.shape)
            where = f"{name}[{', '.join(str(int(j)) for j in idx)}]"
            raise InputError("{name}: entries must be finite ({entry} is {value}, too large for "
                             "a float)", name=name, entry=where, value=describe(item)) from None
    return out


def as_float_array(x, name: str, *, min_ndim: int = 0, max_ndim: int | None = None,
                   allow_nonfinite: bool = False, allow_empty: bool = False) -> np.ndarray:
    """Convert ``x`` to a finite, non-empty float64 array of real numbers.

    Parameters
    ----------
    x : array_like
        Input value(s): real numbers (see the module docstring for what is refused).
    name : str
        Argument name used in error messages.
    min_ndim, max_ndim : int, optional
        Allowed range for the number of dimensions.
    allow_nonfinite, allow_empty : bool, optional
        Accept NaN/±inf entries, or an empty array (default: refuse them).

    Returns
    -------
    numpy.ndarray
        ``x`` as float64 (not copied if it already is a float64 array).

    Raises
    ------
    InputError
        If ``x`` is not numeric (text, complex, other objects), is empty, has a wrong number of
        dimensions, or contains NaN, inf or an integer too large for a float.
    """
    if isinstance(x, np.ndarray) and x.dtype == np.float64:
        arr = x
    else:
        if isinstance(x, (str, bytes)):
            raise InputError("{name}: must be numeric (got {type})", name=name,
                             type=type(x).__name__)
        try:
            raw = np.asarray(x)
        except (TypeError, ValueError, OverflowError) as exc:
            raise InputError("{name}: must be a numeric array ({reason})", name=name,
                             reason=str(exc)) from None
        kind = raw.dtype.kind
        if kind == "c":
            raise InputError("{name}: must be real numbers (got complex values)", name=name)
        if kind == "O":
            arr = _from_objects(raw, name)
        elif kind in _NUMERIC_KINDS:
            arr = raw.astype(np.float64, copy=False)
        else:
            raise InputError("{name}: must be numeric (got {type})", name=name,
                             type="str" if kind in "SU" else str(raw.dtype))
    if arr.ndim < min_ndim:
        raise InputError("{name}: must be at least {ndim}-D (got a scalar)", name=name,
                         ndim=min_ndim)
    if max_ndim is not None and arr.ndim > max_ndim:
        if max_ndim == 1:
            raise InputError("{name}: must be 1-D (got shape {shape})", name=name,
                             shape=str(arr.shape))
        raise InputError("{name}: must be at most {ndim}-D (got shape {shape})", name=name,
                         ndim=max_ndim, shape=str(arr.shape))
    if arr.size == 0:
        if allow_empty:
            return arr
        raise InputError("{name}: must not be empty", name=name)
    if not allow_nonfinite and not np.logical_and.reduce(np.isfinite(arr), axis=None):
        i = int(np.flatnonzero(~np.isfinite(arr.reshape(-1)))[0])
        raise InputError("{name}: entries must be finite ({entry})", name=name,
                         entry=_entry(name, arr, i))
    return arr


def as_real(value, name: str) -> float:
    """A finite real scalar as a Python float.

    Parameters
    ----------
    value : int, float or numpy scalar
        The number (``bool``, text, complex and integers ``≥ 2**1024`` are refused).
    name : str
        Argument name used in error messages.

    Returns
    -------
    float
        ``float(value)``.

    Raises
    ------
    InputError
        ``"{name}: must be a number (got ...)"`` or ``"{name}: must be finite (got ...)"``.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise InputError("{name}: must be a number (got {value})", name=name,
                         value=describe(value))
    try:
        v = float(value)
    except OverflowError:
        raise InputError("{name}: must be finite (got {value})", name=name,
                         value=describe(value)) from None
    if not math.isfinite(v):
        raise InputError("{name}: must be finite (got {value})", name=name, value=_fmt(v))
    return v


def as_int(value, name: str, lo: int | None = None, hi: int | None = None) -> int:
    """An integer in ``[lo, hi]`` (either bound may be None) as a Python int.

    Parameters
    ----------
    value : int or numpy integer
        ``bool`` and non-integers (``2.0`` included) are refused.
    name : str
        Argument name used in error messages.
    lo, hi : int, optional
        Inclusive bounds.

    Returns
    -------
    int

    Raises
    ------
    InputError
        ``"{name}: must be an integer ..."`` naming the allowed range.
    """
    ok = not isinstance(value, (bool, np.bool_)) and isinstance(value, numbers.Integral)
    v = int(value) if ok else None
    if ok and (lo is None or v >= lo) and (hi is None or v <= hi):
        return v
    got = describe(value)
    if lo is not None and hi is not None:
        raise InputError("{name}: must be an integer from {lo} to {hi} (got {value})",
                         name=name, lo=lo, hi=hi, value=got)
    if lo == 0:
        raise InputError("{name}: must be a non-negative integer (got {value})", name=name,
                         value=got)
    if lo is not None:
        raise InputError("{name}: must be an integer ≥ {lo} (got {value})", name=name, lo=lo,
                         value=got)
    raise InputError("{name}: must be an integer (got {value})", name=name, value=got)


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
        raise InputError("{name}: entries must be non-negative ({entry})", name=name,
                         entry=_entry(name, arr, i))
    big = arr > 1
    if big.any():
        i = int(np.flatnonzero(big.reshape(-1))[0])
        raise InputError("{name}: entries must be at most 1 ({entry})", name=name,
                         entry=_entry(name, arr, i))
    return arr


def check_distribution(p, name: str) -> np.ndarray:
    """Validate a 1-D probability distribution.

    Entries must be finite and non-negative and ``|sum(p) - 1| <= 1e-9``.

    Returns
    -------
    numpy.ndarray
        The input as a 1-D float64 array (not renormalised; see
        :func:`explorer.core.information` for how the information quantities use it).
    """
    arr = as_float_array(p, name, min_ndim=1, max_ndim=1)
    # bare ufunc reductions (the same numbers as (arr < 0).any() and np.sum, with less
    # overhead: this runs on every drag step)
    if np.minimum.reduce(arr) < 0:
        i = int(np.flatnonzero(arr < 0)[0])
        raise InputError("{name}: entries must be non-negative ({entry})", name=name,
                         entry=_entry(name, arr, i))
    total = float(np.add.reduce(arr))
    if abs(total - 1.0) > SUM_TOLERANCE:
        raise InputError("{name}: must sum to 1 (sum = {total})", name=name, total=_fmt(total))
    return arr


def check_rows_sum_to_one(arr: np.ndarray, name: str) -> None:
    """Check that a 1-D array, or every row of a 2-D array, sums to 1 (within 1e-9)."""
    if arr.ndim == 1:
        total = float(np.sum(arr))
        if abs(total - 1.0) > SUM_TOLERANCE:
            raise InputError("{name}: must sum to 1 (sum = {total})", name=name,
                             total=_fmt(total))
        return
    sums = np.sum(arr, axis=-1)
    bad = np.abs(sums - 1.0) > SUM_TOLERANCE
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError("{name}: each row must sum to 1 (row {row} sums to {total})", name=name,
                         row=i, total=_fmt(sums[i]))


def check_same_shape(a: np.ndarray, a_name: str, b: np.ndarray, b_name: str) -> None:
    """Raise ``InputError`` naming ``b_name`` if the shapes of ``a`` and ``b`` differ."""
    if a.shape != b.shape:
        raise InputError("{name}: shape {shape} does not match {other} shape {other_shape}",
                         name=b_name, shape=str(b.shape), other=a_name,
                         other_shape=str(a.shape))


def check_eps(eps) -> float | None:
    """Validate a clipping constant: ``None`` or a number in the open interval (0, 0.5)."""
    if eps is None:
        return None
    if isinstance(eps, (bool, np.bool_)) or not isinstance(eps, numbers.Real):
        raise InputError("{name}: must be {none} or a number in (0, 0.5) (got {value})",
                         name="eps", none="None", value=describe(eps))
    try:
        e = float(eps)
    except OverflowError:
        e = math.inf
    if not (0.0 < e < 0.5):
        raise InputError("{name}: must be in (0, 0.5) (got {value})", name="eps",
                         value=describe(eps) if math.isinf(e) else _fmt(e))
    return e


def check_base(base) -> float | None:
    """Validate a logarithm base: ``None`` (natural log) or a positive number != 1."""
    if base is None:
        return None
    if isinstance(base, (bool, np.bool_)) or not isinstance(base, numbers.Real):
        raise InputError("{name}: must be {none} or a positive number other than 1 (got {value})",
                         name="base", none="None", value=describe(base))
    try:
        b = float(base)
    except OverflowError:
        b = math.inf
    if not math.isfinite(b) or b <= 0.0 or b == 1.0:
        raise InputError("{name}: must be a positive number other than 1 (got {value})",
                         name="base", value=describe(base) if math.isinf(b) else _fmt(b))
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
