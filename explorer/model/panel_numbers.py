"""Derived numbers of the sigmoid and softmax panels, computed once per relevant model change.

:class:`~explorer.model.app_model.AppModel` owns the state (z marker, x, y, z range, softmax
logits, temperature, target choice, …) and calls :func:`sigmoid_numbers` /
:func:`softmax_numbers` from ``_recompute``; the docks only draw what these hand them.  The
maths itself lives in :mod:`explorer.core.panels`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from explorer import core
from explorer.model.checks import as_finite_float

#: Points of the z grid the sigmoid curves are drawn on.
GRID_POINTS = 801
#: σ′ below this fraction of its peak counts as "saturated".
SATURATION_FRACTION = 0.01
#: The sigmoid panel's z range must lie within ±Z_LIMIT and be at least MIN_SPAN wide.
Z_LIMIT = 100.0
MIN_SPAN = 0.5
GRAD_WRT = ("w", "z")
SOFTMAX_TARGETS = ("p", "onehot")
#: Largest number of free-standing softmax logits the panel offers.
MAX_SOFTMAX_LOGITS = 50

DEFAULTS = {
    "sigmoid_z_range": [-10.0, 10.0],
    "sigmoid_log_scale": False,
    "sigmoid_grad_wrt": "w",
    "softmax_target": "p",
    "softmax_target_class": 1,
    "softmax_focus": 1,
}
STATE_KEYS = ("_sigmoid_z_range", "_sigmoid_log_scale", "_sigmoid_grad_wrt", "_softmax_target",
              "_softmax_target_class", "_softmax_focus")


@dataclass(frozen=True)
class SigmoidNumbers:
    """What the sigmoid dock draws.

    ``marker`` holds a, σ′, both losses, both gradients (w.r.t. z and w) and 1/σ′ at the z
    marker; ``curves`` the same quantities on a grid over ``z_range``; ``saturated`` the
    intervals of the range where σ′ < 1 % of its peak (|z| > ``threshold``).
    """

    z_range: tuple
    x: float
    y: int
    marker: core.SigmoidPanel
    curves: core.SigmoidPanel
    saturated: tuple
    threshold: float
    log_scale: bool
    grad_wrt: str


@dataclass(frozen=True)
class SoftmaxNumbers:
    """What the softmax dock draws.

    ``panel`` holds a = softmax(z / T), the loss, the gradient (a − y)/T, the numeric gradient,
    the check max |analytic − numeric| and the Jacobian column of the focused logit.
    ``target_used`` is "p" (y = p) or "onehot" (y = one-hot of ``target_class``);
    ``fallback`` is True when y = p was asked for but p and the logits differ in length.
    """

    panel: core.SoftmaxPanel
    labels: tuple
    linked: bool
    target: str
    target_used: str
    target_class: int
    fallback: bool
    p_size: int


def sigmoid_numbers(model, previous: SigmoidNumbers | None = None) -> SigmoidNumbers:
    """Compute the sigmoid panel's numbers; reuse *previous* curves when only the marker moved."""
    lo, hi = model.sigmoid_z_range
    x, y = model.sigmoid_x, model.sigmoid_y
    if previous is not None and previous.z_range == (lo, hi) and previous.x == x and previous.y == y:
        curves, saturated, threshold = previous.curves, previous.saturated, previous.threshold
    else:
        grid = np.linspace(lo, hi, GRID_POINTS)
        curves = core.sigmoid_panel(grid, x=x, y=y)
        for name in ("z", "a", "dsigma", "loss_mse", "loss_ce", "grad_z_mse", "grad_z_ce",
                     "grad_w_mse", "grad_w_ce", "ratio"):
            getattr(curves, name).flags.writeable = False
        saturated = tuple(core.saturation_regions(lo, hi, SATURATION_FRACTION))
        threshold = core.saturation_threshold(SATURATION_FRACTION)
    return SigmoidNumbers(
        z_range=(lo, hi), x=x, y=y, marker=core.sigmoid_panel(model.z_marker, x=x, y=y),
        curves=curves, saturated=saturated, threshold=threshold,
        log_scale=model.sigmoid_log_scale, grad_wrt=model.sigmoid_grad_wrt)


def softmax_numbers(model) -> SoftmaxNumbers:
    """Compute the softmax panel's numbers from the logits, T, p and the target choice."""
    z = model.softmax_logits
    m = z.size
    p = model.p
    k = min(model.softmax_target_class, m - 1)
    want_p = model.softmax_target == "p"
    use_p = want_p and p.size == m
    if use_p:
        y = np.array(p, dtype=np.float64)
    else:
        y = np.zeros(m)
        y[k] = 1.0
    focus = min(model.softmax_focus, m - 1)
    panel = core.softmax_panel(z, y, temperature=model.temperature, focus=focus)
    labels = tuple(model.labels) if m == model.n else tuple(f"z{i + 1}" for i in range(m))
    return SoftmaxNumbers(panel=panel, labels=labels, linked=model.q_logit_mode,
                          target=model.softmax_target, target_used="p" if use_p else "onehot",
                          target_class=k, fallback=want_p and not use_p, p_size=int(p.size))


def p_matters(model, previous: SoftmaxNumbers) -> bool:
    """Whether a change of kind "distributions" changes the softmax numbers *previous*: when the
    logits are q's and they moved with q, when y = p and p moved, or when p's length changed
    (y = p becomes possible or impossible).  A q edit with free-standing logits, or a p edit
    with a one-hot target, changes nothing.  (Logit-mode, target, temperature and label changes
    come with their own kinds, which always recompute.)"""
    if model.q_logit_mode != previous.linked or model.n != previous.p_size:
        return True
    if previous.linked and not np.array_equal(model.softmax_logits, previous.panel.z):
        return True
    return previous.target_used == "p" and not np.array_equal(model.p, previous.panel.y)


# ---------------------------------------------------------------------- validation
_float = as_finite_float


def validate_z_range(lo, hi) -> tuple[float, float]:
    """Return ``(lo, hi)`` as floats or raise ValueError naming ``z_range``."""
    lo, hi = _float("z_range", lo), _float("z_range", hi)
    if not -Z_LIMIT <= lo < hi <= Z_LIMIT:
        raise ValueError(f"z_range: need {-Z_LIMIT:g} ≤ from < to ≤ {Z_LIMIT:g}, got {lo:g} .. {hi:g}")
    if hi - lo < MIN_SPAN:
        raise ValueError(f"z_range: must be at least {MIN_SPAN:g} wide, got {hi - lo:g}")
    return lo, hi


def validate_index(name: str, value, upper: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name}: expected a whole number, got {value!r}")
    v = int(value)
    limit = 999 if upper is None else upper - 1
    if not 0 <= v <= limit:
        raise ValueError(f"{name}: must be in 0..{limit}, got {v}")
    return v


def settings_to_dict(model) -> dict:
    """The panel settings as plain JSON values (for ``AppModel.to_dict``)."""
    return {
        "sigmoid_z_range": list(model.sigmoid_z_range),
        "sigmoid_log_scale": model.sigmoid_log_scale,
        "sigmoid_grad_wrt": model.sigmoid_grad_wrt,
        "softmax_target": model.softmax_target,
        "softmax_target_class": model.softmax_target_class,
        "softmax_focus": model.softmax_focus,
    }


def load_settings(scratch, data: dict) -> None:
    """Validate and apply the panel settings of a session dict to a scratch model (optional keys
    with defaults; a bad value raises ValueError naming the field)."""
    z_range = data.get("sigmoid_z_range", DEFAULTS["sigmoid_z_range"])
    if not isinstance(z_range, (list, tuple)) or len(z_range) != 2:
        raise ValueError("sigmoid_z_range: expected [from, to]")
    try:
        scratch._sigmoid_z_range = validate_z_range(*z_range)
    except ValueError as exc:
        raise ValueError(f"sigmoid_{exc}") from None
    log_scale = data.get("sigmoid_log_scale", DEFAULTS["sigmoid_log_scale"])
    if not isinstance(log_scale, bool):
        raise ValueError("sigmoid_log_scale: expected true or false")
    scratch._sigmoid_log_scale = log_scale
    wrt = data.get("sigmoid_grad_wrt", DEFAULTS["sigmoid_grad_wrt"])
    if wrt not in GRAD_WRT:
        raise ValueError(f"sigmoid_grad_wrt: expected 'w' or 'z', got {wrt!r}")
    scratch._sigmoid_grad_wrt = wrt
    target = data.get("softmax_target", DEFAULTS["softmax_target"])
    if target not in SOFTMAX_TARGETS:
        raise ValueError(f"softmax_target: expected 'p' or 'onehot', got {target!r}")
    scratch._softmax_target = target
    scratch._softmax_target_class = validate_index(
        "softmax_target_class", data.get("softmax_target_class", DEFAULTS["softmax_target_class"]))
    scratch._softmax_focus = validate_index(
        "softmax_focus", data.get("softmax_focus", DEFAULTS["softmax_focus"]))
