"""Number formatting shared by every dock (∞ for infinite values, fixed decimals otherwise)."""
from __future__ import annotations

import math


def fmt(value: float, precision: int = 4) -> str:
    """Format *value* with *precision* decimals; +inf -> '∞'; tiny negatives -> '0'."""
    if value is None:
        return "—"
    v = float(value)
    if math.isnan(v):
        return "undefined"
    if math.isinf(v):
        return "∞" if v > 0 else "−∞"
    text = f"{v:.{precision}f}"
    if text.startswith("-") and float(text) == 0.0:
        text = text[1:]
    return text.replace("-", "−")


def fmt_plain(value: float, precision: int = 4) -> str:
    """Like :func:`fmt` but ASCII only (for copying as plain text / LaTeX)."""
    return fmt(value, precision).replace("−", "-").replace("∞", "inf")


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
