"""Derived numbers of the sigmoid and softmax panels, computed once per relevant model change.

:class:`~explorer.model.app_model.AppModel` owns the state (z marker, x, y, z range, softmax
logits, temperature, target choice, …) and calls :func:`sigmoid_numbers` /
:func:`softmax_numbers` from ``_recompute``; the docks only draw what these hand them.  The
maths itself lives in :mod:`explorer.core.panels`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer import core
from explorer.model import loss_choice
from explorer.model.distribution import DistributionState
from explorer.model.sigmoid_state import (  # noqa: F401  (limits the sigmoid dock shows)
    GAMMA_RANGE, GRAD_WRT, MIN_SPAN, SMOOTHING_RANGE, Z_LIMIT, SigmoidPanelState)
from explorer.model.softmax_state import (  # noqa: F401  (choices the softmax dock offers)
    MAX_RACE_EPOCHS, MAX_SOFTMAX_LOGITS, RACE_LR_RANGE, SOFTMAX_TARGETS, SoftmaxPanelState)

#: Points of the z grid the sigmoid curves are drawn on.
GRID_POINTS = 801
#: σ′ below this fraction of its peak counts as "saturated".
SATURATION_FRACTION = 0.01


@dataclass(frozen=True)
class LossValues:
    """One loss of the family at the marker (floats) or over the z grid (read-only arrays):
    ``L``, ``∂L/∂z``, ``∂L/∂w = x ∂L/∂z`` and ``ratio`` = ``(∂L/∂z) / (∂L_CE/∂z)`` -- how
    strong this loss's gradient is next to cross-entropy's (NaN where CE's is 0)."""

    loss: object
    grad_z: object
    grad_w: object
    ratio: object


@dataclass(frozen=True)
class SigmoidNumbers:
    """What the sigmoid dock draws.

    ``marker`` holds a, σ′, both losses, both gradients (w.r.t. z and w) and 1/σ′ at the z
    marker; ``curves`` the same quantities on a grid over ``z_range``; ``saturated`` the
    intervals of the range where σ′ < 1 % of its peak (|z| > ``threshold``).

    The loss family: ``losses`` are the losses shown (in :data:`explorer.core.BINARY_LOSSES`
    order), ``params`` the parameters of every loss (focal ``gamma``, smoothed-CE ``eps``),
    ``at_marker[name]`` a :class:`LossValues` at the marker for every shown loss and for CE,
    ``loss_curves[name]`` one over the grid for every shown loss.
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
    losses: tuple = ("mse", "ce")
    params: dict = None
    at_marker: dict = None
    loss_curves: dict = None


@dataclass(frozen=True)
class SoftmaxNumbers:
    """What the softmax dock draws.

    ``panel`` holds a = softmax(z / T), the loss, the gradient (a − y)/T, the numeric gradient,
    the check max |analytic − numeric| and the Jacobian column of the focused logit -- all
    against the smoothed target ``panel.y`` = y_ε = (1 − ε) y + ε/K.
    ``target_used`` is "p" (y = p) or "onehot" (y = one-hot of ``target_class``);
    ``fallback`` is True when y = p was asked for but p and the logits differ in length.
    ``y_raw`` is the target before smoothing, ``smoothing`` ε; the loss splits as
    ``panel.loss = entropy_y + kl`` (CE = H(y_ε) + D_KL(y_ε ‖ a), nats); ``optimal_margin``
    is the logit margin at which a one-hot target smoothed by ε is matched best,
    ln(1 + K(1 − ε)/ε) (inf without smoothing; NaN for a soft target).
    """

    panel: core.SoftmaxPanel
    labels: tuple
    linked: bool
    target: str
    target_used: str
    target_class: int
    fallback: bool
    p_size: int
    y_raw: np.ndarray = None
    smoothing: float = 0.0
    entropy_y: float = 0.0
    kl: float = 0.0
    optimal_margin: float = float("nan")


def loss_params(sig: SigmoidPanelState) -> dict:
    """The parameters of each loss as the sigmoid panel draws it."""
    return {"mse": {}, "ce": {}, "focal": {"gamma": sig.focal_gamma}, "hinge": {},
            "smoothed_ce": {"eps": sig.smoothing}}


def _frozen(v):
    if isinstance(v, np.ndarray):
        v.flags.writeable = False
    return v


def _ratio(g, g_ce):
    """``g / g_ce`` where CE's gradient is not 0, else NaN (arrays or floats)."""
    if np.ndim(g_ce) == 0:
        return float(g) / float(g_ce) if g_ce != 0 else float("nan")
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(g_ce != 0, g / np.where(g_ce != 0, g_ce, 1.0), np.nan)


def _family(names, panel: core.SigmoidPanel, y: float, x: float, params: dict) -> dict:
    """:class:`LossValues` of *names* at the z (scalar or grid) of *panel*: MSE and CE come
    from the panel itself, the others from :func:`explorer.core.binary_loss`."""
    z = panel.z
    out = {}
    for name in names:
        if name == "mse":
            loss, gz = panel.loss_mse, panel.grad_z_mse
        elif name == "ce":
            loss, gz = panel.loss_ce, panel.grad_z_ce
        else:
            loss, gz = core.binary_loss_and_grad(name, z, y, **params[name])
        gw = gz * x if np.ndim(gz) else float(gz) * x
        out[name] = LossValues(loss=_frozen(loss), grad_z=_frozen(gz), grad_w=_frozen(gw + 0.0),
                               ratio=_frozen(_ratio(gz, panel.grad_z_ce)))
    return out


def sigmoid_numbers(sig: SigmoidPanelState, previous: SigmoidNumbers | None = None) -> SigmoidNumbers:
    """Compute the sigmoid panel's numbers; reuse *previous* curves when only the marker moved."""
    lo, hi = sig.z_range
    x, y = sig.x, sig.y
    params = loss_params(sig)
    shown = sig.losses
    if previous is not None and previous.z_range == (lo, hi) and previous.x == x and previous.y == y:
        curves, saturated, threshold = previous.curves, previous.saturated, previous.threshold
        # a loss whose own parameters did not change keeps its curves (a γ move recomputes
        # focal's only)
        loss_curves = {n: previous.loss_curves[n] for n in shown
                       if n in previous.loss_curves and previous.params.get(n) == params[n]}
    else:
        grid = np.linspace(lo, hi, GRID_POINTS)
        curves = core.sigmoid_panel(grid, x=x, y=y)
        for name in ("z", "a", "dsigma", "loss_mse", "loss_ce", "grad_z_mse", "grad_z_ce",
                     "grad_w_mse", "grad_w_ce", "ratio"):
            getattr(curves, name).flags.writeable = False
        saturated = tuple(core.saturation_regions(lo, hi, SATURATION_FRACTION))
        threshold = core.saturation_threshold(SATURATION_FRACTION)
        loss_curves = {}
    missing = [n for n in shown if n not in loss_curves]
    if missing:
        loss_curves.update(_family(missing, curves, y, x, params))
    if previous is not None and loss_curves.keys() == previous.loss_curves.keys() and all(
            loss_curves[n] is previous.loss_curves[n] for n in loss_curves):
        loss_curves = previous.loss_curves            # unchanged: the dock skips the redraw
    marker = core.sigmoid_panel(sig.z_marker, x=x, y=y)
    at_marker = _family(tuple(dict.fromkeys((*shown, "ce"))), marker, y, x, params)
    return SigmoidNumbers(
        z_range=(lo, hi), x=x, y=y, marker=marker,
        curves=curves, saturated=saturated, threshold=threshold,
        log_scale=sig.log_scale, grad_wrt=sig.grad_wrt, losses=shown, params=params,
        at_marker=at_marker, loss_curves=loss_curves)


def family_at_marker(num: SigmoidNumbers) -> dict:
    """:class:`LossValues` of every loss of the family at the marker (the shown ones reused),
    with the panel's γ and ε -- for texts that quote them all (the help)."""
    out = dict(num.at_marker)
    missing = [n for n in loss_choice.LOSS_NAMES if n not in out]
    if missing:
        out.update(_family(missing, num.marker, num.y, num.x, num.params))
    return {n: out[n] for n in loss_choice.LOSS_NAMES}


def shown_logits(dist: DistributionState, soft: SoftmaxPanelState) -> np.ndarray:
    """The logits the softmax panel shows: q's when q is in logit mode (one source of truth),
    else the panel's own."""
    return dist.q_logits if dist.q_logit_mode else soft.logits


def softmax_numbers(dist: DistributionState, soft: SoftmaxPanelState) -> SoftmaxNumbers:
    """Compute the softmax panel's numbers from the logits, T, p and the target choice."""
    z = shown_logits(dist, soft)
    m = z.size
    p = dist.p
    k = min(soft.target_class, m - 1)
    want_p = soft.target == "p"
    use_p = want_p and p.size == m
    if use_p:
        y = np.array(p, dtype=np.float64)
    else:
        y = np.zeros(m)
        y[k] = 1.0
    focus = min(soft.focus, m - 1)
    t = dist.temperature if dist.q_logit_mode else soft.temperature
    eps = soft.smoothing
    y.flags.writeable = False
    y_eps = core.smooth_labels(y, eps) if eps > 0 else y
    panel = core.softmax_panel(z, y_eps, temperature=t, focus=focus)
    labels = tuple(dist.labels) if m == dist.n else tuple(f"z{i + 1}" for i in range(m))
    # CE(y_ε, a) = H(y_ε) + D_KL(y_ε ‖ a): with a one-hot y (ε = 0) H = 0 and CE is the KL
    h = core.entropy(panel.y)
    onehot = bool(np.count_nonzero(y) == 1)
    margin = (core.optimal_logit_margin(eps, m) if onehot else float("nan"))
    return SoftmaxNumbers(panel=panel, labels=labels, linked=dist.q_logit_mode,
                          target=soft.target, target_used="p" if use_p else "onehot",
                          target_class=k, fallback=want_p and not use_p, p_size=int(p.size),
                          y_raw=y, smoothing=eps, entropy_y=h, kl=max(panel.loss - h, 0.0),
                          optimal_margin=margin)


def p_matters(dist: DistributionState, previous: SoftmaxNumbers) -> bool:
    """Whether a change of kind "distributions" changes the softmax numbers *previous*: when the
    logits are q's and they moved with q, when y = p and p moved, or when p's length changed
    (y = p becomes possible or impossible).  A q edit with free-standing logits, or a p edit
    with a one-hot target, changes nothing.  (Logit-mode, target, temperature and label changes
    come with their own kinds, which always recompute.)"""
    if dist.q_logit_mode != previous.linked or dist.n != previous.p_size:
        return True
    if previous.linked and not np.array_equal(dist.q_logits, previous.panel.z):
        return True
    return previous.target_used == "p" and not np.array_equal(dist.p, previous.y_raw)


def softmax_race_key(numbers: SoftmaxNumbers, soft: SoftmaxPanelState) -> tuple:
    """What the logit-growth race depends on: the start logits, the target (before
    smoothing), η, the epochs and the two losses."""
    return (numbers.panel.z.tobytes(), numbers.y_raw.tobytes(), soft.race_lr, soft.race_epochs,
            soft.race_losses)


class SoftmaxRaceCache:
    """The softmax panel's single-sample race (:func:`explorer.core.softmax_race`): the
    panel's logits (at T = 1) trained directly towards its target y, once with each of the
    two losses.  Recomputed only when its inputs change."""

    def __init__(self):
        self._key = None
        self._race = None

    def get(self, numbers: SoftmaxNumbers, soft: SoftmaxPanelState):
        key = softmax_race_key(numbers, soft)
        if key != self._key:
            self._race = core.softmax_race(numbers.panel.z, numbers.y_raw, soft.race_lr,
                                           soft.race_epochs,
                                           loss_choice.race_losses(soft.race_losses))
            self._key = key
        return self._race

    @property
    def last(self):
        """The race computed last (None before the first)."""
        return self._race

    def matches(self, numbers: SoftmaxNumbers, soft: SoftmaxPanelState) -> bool:
        return self._race is not None and self._key == softmax_race_key(numbers, soft)
