"""Validation shared by the model's setters: messages name the field and the problem."""
from __future__ import annotations

import math


def as_finite_float(name: str, value) -> float:
    """Return *value* as a finite float or raise ValueError naming *name* (true/false is not a
    number here, though Python would accept it)."""
    if isinstance(value, bool):
        raise ValueError(f"{name}: expected a number, got {value!r}")
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: expected a number, got {value!r}") from None
    if not math.isfinite(v):
        raise ValueError(f"{name}: must be finite, got {v!r}")
    return v
