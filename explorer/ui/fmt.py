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
