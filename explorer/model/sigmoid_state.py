"""The sigmoid panel: one neuron a = σ(z), z = w x + b, its z marker, input and plot settings."""
from __future__ import annotations

from dataclasses import dataclass

from explorer.core.errors import InputError
from explorer.model import checks, loss_choice
from explorer.model.change import SIGMOID
from explorer.model.fields import Section, state_field

#: The z marker lies within ±Z_MARKER_LIMIT; the plotted z range within ±Z_LIMIT, ≥ MIN_SPAN wide.
Z_MARKER_LIMIT = 1e3
Z_LIMIT = 100.0
MIN_SPAN = 0.5
GRAD_WRT = ("w", "z")
#: |x| of the neuron's input is at most this
X_LIMIT = 1e3
#: the losses the panel draws unless told otherwise
DEFAULT_LOSSES = ("mse", "ce")
#: focal γ and the label smoothing ε of the panel's focal and smoothed-CE curves lie in these
GAMMA_RANGE = (0.0, 10.0)
SMOOTHING_RANGE = (0.0, 0.5)


def _z(key, value) -> float:
    v = checks.as_finite_float(key, value)
    if abs(v) > Z_MARKER_LIMIT:
        raise InputError("{key}: must be within ±1000, got {value}", key=key, value=f"{v:g}")
    return v


def _x(key, value) -> float:
    return checks.number(key, value, -X_LIMIT, X_LIMIT)


def _y(key, value) -> int:
    if isinstance(value, bool) or value not in (0, 1) or isinstance(value, str):
        raise InputError("{key}: target must be 0 or 1, got {value}", key=key,
                         value=checks._show(value))
    return int(value)


def validate_z_range(key, lo, hi) -> tuple:
    lo, hi = checks.as_finite_float(key, lo), checks.as_finite_float(key, hi)
    if not -Z_LIMIT <= lo < hi <= Z_LIMIT:
        raise InputError("{key}: need −100 ≤ from < to ≤ 100, got {lo} .. {hi}", key=key,
                         lo=f"{lo:g}", hi=f"{hi:g}")
    if hi - lo < MIN_SPAN:
        raise InputError("{key}: must be at least 0.5 wide, got {span}", key=key,
                         span=f"{hi - lo:g}")
    return lo, hi


def _z_range(key, value) -> tuple:
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)) or len(value) != 2:
        raise InputError("{key}: expected [from, to]", key=key)
    return validate_z_range(key, *value)


def _grad_wrt(key, value) -> str:
    return checks.choice(key, value, GRAD_WRT)


def _gamma(key, value) -> float:
    return checks.number(key, value, *GAMMA_RANGE)


def _smoothing(key, value) -> float:
    return checks.number(key, value, *SMOOTHING_RANGE)


@dataclass(frozen=True, eq=False)
class SigmoidPanelState(Section):
    z_marker: float = state_field(2.0, kinds={SIGMOID}, check=_z, example=-3.5)
    x: float = state_field(1.0, key="sigmoid_x", kinds={SIGMOID}, check=_x, example=2.0)
    y: int = state_field(0, key="sigmoid_y", kinds={SIGMOID}, check=_y, example=1)
    z_range: tuple = state_field((-10.0, 10.0), key="sigmoid_z_range", kinds={SIGMOID},
                                 check=_z_range, example=[-6.0, 8.0])
    log_scale: bool = state_field(False, key="sigmoid_log_scale", kinds={SIGMOID},
                                  check=checks.boolean, example=True)
    grad_wrt: str = state_field("w", key="sigmoid_grad_wrt", kinds={SIGMOID}, check=_grad_wrt,
                                example="z")
    #: which losses of the family are drawn (in :data:`explorer.core.BINARY_LOSSES` order)
    losses: tuple = state_field(DEFAULT_LOSSES, key="sigmoid_losses", kinds={SIGMOID},
                                check=loss_choice.check_names,
                                example=["ce", "focal", "smoothed_ce"])
    #: γ of the focal curve, ε of the smoothed-CE curve (target y(1 − ε) + ε/2)
    focal_gamma: float = state_field(2.0, key="sigmoid_focal_gamma", kinds={SIGMOID},
                                     check=_gamma, example=0.5)
    smoothing: float = state_field(0.1, key="sigmoid_smoothing", kinds={SIGMOID},
                                   check=_smoothing, example=0.25)

    def with_z_marker(self, z) -> "SigmoidPanelState":
        return self.evolve(z_marker=_z("z", z))

    def with_input(self, x=None, y=None) -> "SigmoidPanelState":
        x = self.x if x is None else _x("x", x)
        y = self.y if y is None else _y("y", y)
        return self.evolve(x=x, y=y)

    def with_z_range(self, lo, hi) -> "SigmoidPanelState":
        """The plotted z range; the z marker is moved inside it."""
        lo, hi = validate_z_range("z_range", lo, hi)
        return self.evolve(z_range=(lo, hi), z_marker=min(max(self.z_marker, lo), hi))

    def with_log_scale(self, enabled) -> "SigmoidPanelState":
        return self.evolve(log_scale=checks.boolean("log_scale", enabled))

    def with_grad_wrt(self, wrt) -> "SigmoidPanelState":
        return self.evolve(grad_wrt=_grad_wrt("grad_wrt", wrt))

    def with_losses(self, names) -> "SigmoidPanelState":
        """Draw these losses (any of the family, none at all included)."""
        return self.evolve(losses=loss_choice.check_names("losses", names))

    def with_loss_shown(self, name, shown) -> "SigmoidPanelState":
        """Draw loss *name* or not; the others stay as they are."""
        names = [n for n in self.losses if n != name]
        if checks.boolean("shown", shown):
            names.append(name)
        return self.with_losses(names)

    def with_loss_params(self, gamma=None, eps=None) -> "SigmoidPanelState":
        """γ of the focal curve and ε of the smoothed-CE curve (None keeps a value)."""
        gamma = self.focal_gamma if gamma is None else _gamma("gamma", gamma)
        eps = self.smoothing if eps is None else _smoothing("eps", eps)
        return self.evolve(focal_gamma=gamma, smoothing=eps)
