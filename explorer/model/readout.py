"""How the readouts show numbers: unit, decimals and clipping at eps."""
from __future__ import annotations

from dataclasses import dataclass

from explorer.core.errors import InputError
from explorer.model import checks
from explorer.model.change import EPS, UNIT
from explorer.model.fields import Section, state_field

#: Unit name -> logarithm base passed to :mod:`explorer.core` (None = natural log).
UNITS: dict[str, float | None] = {"bits": 2.0, "nats": None, "bans": 10.0}
UNIT_SYMBOLS = {"bits": "log₂", "nats": "ln", "bans": "log₁₀"}
MAX_PRECISION = 12


def _unit(key, value) -> str:
    if not isinstance(value, str):
        raise InputError("{key}: expected text, got {value}", key=key, value=checks._show(value))
    return checks.choice(key, value, tuple(UNITS))


def _precision(key, value) -> int:
    return checks.integer(key, value, 0, MAX_PRECISION)


def _eps(key, value) -> float:
    v = checks.as_finite_float(key, value)
    if not 0 < v < 0.5:
        raise InputError("{key}: must be in (0, 0.5), got {value}", key=key, value=f"{v:g}")
    return v


@dataclass(frozen=True, eq=False)
class ReadoutSettings(Section):
    unit: str = state_field("nats", kinds={UNIT}, check=_unit, example="bits")
    precision: int = state_field(4, kinds={UNIT}, check=_precision, example=6)
    eps_enabled: bool = state_field(False, kinds={EPS}, check=checks.boolean, example=True)
    eps: float = state_field(1e-15, kinds={EPS}, check=_eps, example=1e-7)

    @property
    def base(self) -> float | None:
        return UNITS[self.unit]

    def with_unit(self, unit) -> "ReadoutSettings":
        return self.evolve(unit=_unit("unit", unit))

    def with_precision(self, digits) -> "ReadoutSettings":
        return self.evolve(precision=_precision("precision", digits))

    def with_eps(self, enabled, eps=None) -> "ReadoutSettings":
        eps = self.eps if eps is None else _eps("eps", eps)
        return self.evolve(eps_enabled=checks.boolean("eps_enabled", enabled), eps=eps)
