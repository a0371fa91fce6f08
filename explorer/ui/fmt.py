"""Number formatting shared by every dock: the one place that turns a number into text.

* :func:`fmt` — fixed decimals (the readouts' precision); ∞ for infinite values; never "−0";
* :func:`fmt_many` — :func:`fmt` of many values, fast;
* :func:`fmt_plain` — :func:`fmt` in ASCII, for generated code and plain-text copies;
* :func:`fmt_sig` — significant digits, tiny or huge values as ``m × 10ⁿ`` (gradients that
  vanish stay readable instead of collapsing to 0.0000).

Minus signs are the typographic "−"; an undefined value (NaN) reads "undefined" in the
interface language.
"""
from __future__ import annotations

import math

from explorer import i18n

_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def fmt(value: float, precision: int = 4) -> str:
    """Format *value* with *precision* decimals; +inf -> '∞'; tiny negatives -> '0'."""
    if value is None:
        return "—"
    v = float(value)
    if math.isnan(v):
        return i18n.tr("undefined")
    if math.isinf(v):
        return "∞" if v > 0 else "−∞"
    text = f"{v:.{precision}f}"
    if text.startswith("-") and float(text) == 0.0:
        text = text[1:]
    return text.replace("-", "−")


def fmt_plain(value: float, precision: int = 4) -> str:
    """Like :func:`fmt` but ASCII only ("-" and "inf"): for code and plain-text copies."""
    return fmt(value, precision).replace("−", "-").replace("∞", "inf")


def fmt_sig(value, digits: int = 4) -> str:
    """*value* with *digits* significant digits; tiny or huge values as ``m × 10ⁿ``."""
    if value is None:
        return "—"
    v = float(value)
    if math.isnan(v):
        return "—"
    if math.isinf(v):
        return "∞" if v > 0 else "−∞"
    if v == 0:
        return "0"
    a = abs(v)
    if 1e-3 <= a < 1e5:
        text = f"{v:.{digits}g}"
        if "e" in text:                       # rounding pushed it to 1e+05
            text = f"{v:.0f}"
    else:
        mant, exp = f"{v:.{digits - 1}e}".split("e")
        text = f"{mant} × 10{str(int(exp)).translate(_SUPERSCRIPT)}"
    return text.replace("-", "−")


def fmt_many(values, precision: int = 4) -> list[str]:
    """:func:`fmt` of every value (a fast path for the common finite, non-negative case)."""
    out = []
    for v in values.tolist() if hasattr(values, "tolist") else values:
        if v is None or v != v or v in (math.inf, -math.inf):
            out.append(fmt(v, precision))
            continue
        text = f"{v:.{precision}f}"
        out.append(fmt(v, precision) if text[0] == "-" else text)
    return out
