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
from explorer.model.distribution import DistributionState
from explorer.model.sigmoid_state import (  # noqa: F401  (limits the sigmoid dock shows)
    GRAD_WRT, MIN_SPAN, Z_LIMIT, SigmoidPanelState)
from explorer.model.softmax_state import (  # noqa: F401  (choices the softmax dock offers)
    MAX_SOFTMAX_LOGITS, SOFTMAX_TARGETS, SoftmaxPanelState)

#: Points of the z grid the sigmoid curves are drawn on.
GRID_POINTS = 801
#: σ′ below this fraction of its peak counts as "saturated".
SATURATION_FRACTION = 0.01


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


def sigmoid_numbers(sig: SigmoidPanelState, previous: SigmoidNumbers | None = None) -> SigmoidNumbers:
    """Compute the sigmoid panel's numbers; reuse *previous* curves when only the marker moved."""
    lo, hi = sig.z_range
    x, y = sig.x, sig.y
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
        z_range=(lo, hi), x=x, y=y, marker=core.sigmoid_panel(sig.z_marker, x=x, y=y),
        curves=curves, saturated=saturated, threshold=threshold,
        log_scale=sig.log_scale, grad_wrt=sig.grad_wrt)


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
    panel = core.softmax_panel(z, y, temperature=t, focus=focus)
    labels = tuple(dist.labels) if m == dist.n else tuple(f"z{i + 1}" for i in range(m))
    return SoftmaxNumbers(panel=panel, labels=labels, linked=dist.q_logit_mode,
                          target=soft.target, target_used="p" if use_p else "onehot",
                          target_class=k, fallback=want_p and not use_p, p_size=int(p.size))


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
    return previous.target_used == "p" and not np.array_equal(dist.p, previous.panel.y)
