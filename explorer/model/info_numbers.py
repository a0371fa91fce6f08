"""Every information quantity of the current (p, q), in the current unit, computed once per change.

:func:`info_numbers` is called by the model after a change of p, q, the unit or eps; the readout,
per-category, formula, curves and help docks only draw the :class:`InfoNumbers` it returns.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from explorer import core


@dataclass(frozen=True)
class InfoNumbers:
    """Every information quantity of the current (p, q), in the current unit, computed once."""

    unit: str
    base: float | None
    entropy_p: float
    entropy_q: float
    cross_pq: float
    cross_qp: float
    kl_pq: float
    kl_qp: float
    js: float
    terms: dict               # core.information_terms(p, q): per-category arrays
    impossible: tuple         # indices i with q_i = 0 < p_i  (H(p,q) and KL(p||q) are infinite)
    impossible_qp: tuple      # indices i with p_i = 0 < q_i  (H(q,p) and KL(q||p) are infinite)
    eps: float | None         # the eps actually used for clipping, or None
    clipped: bool             # True when clipping changed at least one q_i (or p_i for q||p)
    p_used: np.ndarray | None = None      # p as used inside logs of H(q,p), KL(q||p) (clipped if eps)
    q_used: np.ndarray | None = None      # q as used inside logs of H(p,q), KL(p||q) (clipped if eps)
    clipped_p: tuple = ()                 # indices i where eps clipping changed p_i
    clipped_q: tuple = ()                 # indices i where eps clipping changed q_i
    mixture: np.ndarray | None = None     # m = (p + q) / 2, the midpoint used by JS(p, q)
    dominant: int | None = None           # i of the largest term -p_i log q_i of H(p,q) (None if all 0)
    max_entropy: float = math.nan         # log_b N: the entropy of the uniform distribution on N
    curve_x: np.ndarray | None = None     # grid on (0, 1] for the curves below
    self_info_curve: np.ndarray | None = None       # I(x) = -log_b x on curve_x
    binary_entropy_curve: np.ndarray | None = None  # H_b(x) = -x log_b x - (1-x) log_b(1-x)
    perplexity_p: float = math.nan        # exp(H(p)) (unit-free): a fair die with this many faces
    perplexity_q: float = math.nan        # exp(H(q))
    perplexity_pq: float = math.nan       # exp(H(p, q)): q's perplexity on events from p


def _frozen(arr: np.ndarray) -> np.ndarray:
    arr.flags.writeable = False
    return arr


_CURVES: dict = {}


def _info_curves(base: float | None) -> tuple:
    """Self-information and binary-entropy curves on a fixed grid over (0, 1], per base (cached).
    The grid is dense near 0, where -log x is steep (down to 1e-16, below any clipping eps)."""
    if base not in _CURVES:
        x = np.unique(np.concatenate([np.geomspace(1e-16, 1e-2, 80), np.linspace(1e-2, 1.0, 320)]))
        x = np.union1d(x, [0.5])                    # the binary entropy peak lies on the grid
        _CURVES[base] = (_frozen(x), _frozen(np.asarray(core.self_information(x, base=base))),
                         _frozen(np.asarray(core.binary_entropy(x, base=base))))
    return _CURVES[base]


_MAX_ENTROPY: dict = {}


def _max_entropy(n: int, base: float | None) -> float:
    """log_b N, the entropy of the uniform distribution on N categories (cached per N and base)."""
    key = (n, base)
    if key not in _MAX_ENTROPY:
        _MAX_ENTROPY[key] = core.entropy(np.full(n, 1.0 / n), base=base)
    return _MAX_ENTROPY[key]


def _impossible(p: np.ndarray, q: np.ndarray) -> tuple:
    """Indices i with q_i = 0 < p_i (where H(p, q) and KL(p || q) are infinite)."""
    if np.minimum.reduce(q) > 0:      # no zero in q: one reduction instead of a mask and a search
        return ()
    return tuple(np.flatnonzero((q == 0) & (p > 0)).tolist())


def info_numbers(p: np.ndarray, q: np.ndarray, unit: str, base: float | None,
                 eps: float | None) -> InfoNumbers:
    """All quantities of (p, q) in one fused pass (:func:`explorer.core.information_summary`):
    p and q validated once, every quantity from shared logs."""
    s = core.information_summary(p, q, base=base, eps=eps)
    p_used, q_used = s["p_used"], s["q_used"]               # new arrays, clipped if eps
    if eps is None:                                          # nothing clipped: p' = p, q' = q
        clipped_p = clipped_q = ()
        clipped = False
    else:
        clipped_p = tuple(np.flatnonzero(p_used != p).tolist())
        clipped_q = tuple(np.flatnonzero(q_used != q).tolist())
        clipped = bool(np.any((q < eps) | (q > 1 - eps) | (p < eps) | (p > 1 - eps)))
    cross = s["terms"]["cross"]
    j = int(np.argmax(cross))                                # first index of the largest term
    x, self_info, hb = _info_curves(base)
    return InfoNumbers(
        unit=unit, base=base,
        entropy_p=s["entropy_p"], entropy_q=s["entropy_q"],
        cross_pq=s["cross_pq"], cross_qp=s["cross_qp"],
        kl_pq=s["kl_pq"], kl_qp=s["kl_qp"], js=s["js"],
        terms=s["terms"], impossible=_impossible(p, q), impossible_qp=_impossible(q, p),
        eps=eps, clipped=clipped,
        p_used=_frozen(p_used), q_used=_frozen(q_used), clipped_p=clipped_p, clipped_q=clipped_q,
        mixture=_frozen(s["mixture"]), dominant=j if cross[j] > 0 else None,
        max_entropy=_max_entropy(p.size, base),
        curve_x=x, self_info_curve=self_info, binary_entropy_curve=hb,
        perplexity_p=_perplexity(s["entropy_p"], base), perplexity_q=_perplexity(s["entropy_q"], base),
        perplexity_pq=_perplexity(s["cross_pq"], base),
    )


def _perplexity(h: float, base: float | None) -> float:
    """b^H for an entropy H in base b (e^H in nats): the same number in every unit."""
    if math.isinf(h):
        return math.inf
    nats = h * (math.log(base) if base else 1.0)
    return math.exp(nats) if nats < 709.0 else math.inf
