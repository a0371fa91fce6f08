"""Information-theoretic quantities: self-information, entropy, cross-entropy,
Kullback-Leibler and Jensen-Shannon divergences.

All functions take a ``base`` argument: ``None`` means natural log (nats),
``2`` bits, ``10`` bans (hartleys); any positive base other than 1 works.
Conventions for zero probabilities and the optional ``eps`` clipping are
described in the :mod:`explorer.core` package docstring.

Tolerance
---------
A distribution is accepted when its entries are non-negative and ``|Σ p − 1| ≤ 1e-9``, and it
is used as given (not rescaled: the terms stay ``−p_i log q_i`` of the very numbers passed).
An input off 1 by up to that tolerance could make a sum fall a little below its mathematical
range -- ``entropy([1 + 1e-15, 0])`` would be ``−1.1e-15`` -- so every result is clamped to its
range: ``H(p) ≥ 0``, ``H(p, q) ≥ 0``, ``D_KL(p ‖ q) ≥ 0`` (without ``eps``; clipped ``q`` no
longer sums to 1 and the divergence may legitimately be negative) and ``0 ≤ JS(p, q) ≤ log_b 2``.
The clamp moves a result by at most about the tolerance (1e-9), never for an input that sums to
1 exactly, and the per-term arrays of :func:`information_terms` are not clamped.

Tiny numbers
------------
``q_i = 5e-324`` (a subnormal number) is a positive probability: ``D_KL`` and ``H(p, q)`` stay
finite (``−ln q_i ≈ 744.4``), computed as ``ln p_i − ln q_i`` where ``p_i / q_i`` would overflow,
so that ``H(p, q) = H(p) + D_KL(p ‖ q)`` holds -- both finite or both ``+inf``, and ``+inf``
exactly where some ``q_i = 0 < p_i``.  The JS divergence uses ``ln(2 p_i / (p_i + q_i))`` rather
than ``ln(p_i / m_i)``, because ``m_i = (p_i + q_i)/2`` underflows to 0 for ``p_i = 5e-324``.
"""

from __future__ import annotations

import math

import numpy as np

from .errors import InputError
from .validation import (
    _entry,
    as_float_array,
    check_distribution,
    check_eps,
    check_probabilities,
    check_same_shape,
    log_base_factor,
    result,
)

__all__ = [
    "binary_entropy",
    "cross_entropy",
    "entropy",
    "information_summary",
    "information_terms",
    "js_divergence",
    "kl_divergence",
    "normalize",
    "self_information",
]


#: ln 2, the largest value of the Jensen-Shannon divergence in nats.
LN2 = math.log(2.0)


def _neg_log(x: np.ndarray) -> np.ndarray:
    """``-ln x`` elementwise with ``-ln 0 = +inf`` and no warnings."""
    with np.errstate(divide="ignore"):
        return -np.log(x) + 0.0  # + 0.0 turns -0.0 into 0.0


def _prepare_pq(p, q, eps):
    """Validate two distributions and optionally clip ``q`` to [eps, 1 - eps]."""
    p = check_distribution(p, "p")
    q = check_distribution(q, "q")
    check_same_shape(p, "p", q, "q")
    e = check_eps(eps)
    if e is not None:
        q = np.clip(q, e, 1.0 - e)
    return p, q


def _cross_terms(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """``-p_i ln q_i`` with 0 where p_i == 0 and +inf where q_i == 0 < p_i."""
    terms = np.zeros_like(p)
    m = p > 0
    terms[m] = p[m] * _neg_log(q[m])
    return terms


def _entropy_terms(p: np.ndarray) -> np.ndarray:
    """``-p_i ln p_i`` with ``0 ln 0 = 0``."""
    terms = np.zeros_like(p)
    m = p > 0
    terms[m] = -p[m] * np.log(p[m]) + 0.0
    return terms


def _log_ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """``ln(num / den)``; where the quotient overflows (a subnormal ``den``) it is
    ``ln num − ln den`` instead, so only ``den = 0`` gives +inf."""
    with np.errstate(divide="ignore", over="ignore"):
        r = num / den
        out = np.log(r)
    big = np.isinf(r) & (den > 0)
    if big.any():
        out[big] = np.log(num[big]) - np.log(den[big])
    return out


def _kl_terms(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """``p_i ln(p_i / q_i)`` with 0 where p_i == 0 and +inf where q_i == 0 < p_i."""
    terms = np.zeros_like(p)
    m = p > 0
    terms[m] = p[m] * _log_ratio(p[m], q[m])
    return terms


def _js_terms(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """``p_i ln(2 p_i / (p_i + q_i))`` (= ``p_i ln(p_i / m_i)``, ``m = (p + q)/2``), 0 where
    p_i == 0.  Written with ``p + q`` rather than ``m``: ``m_i`` underflows to 0 for
    ``p_i = 5e-324``, the ratio here never exceeds 2."""
    terms = np.zeros_like(p)
    m = p > 0
    pm = p[m]
    terms[m] = pm * np.log((2.0 * pm) / (pm + q[m]))
    return terms


def normalize(p) -> np.ndarray:
    """Rescale non-negative weights into a probability distribution.

    Computes ``p_i / Σ_j p_j`` (the sum runs over all entries).

    Parameters
    ----------
    p : array_like
        Non-negative, finite weights, not all zero.

    Returns
    -------
    numpy.ndarray
        float64 array of the same shape as ``p`` whose entries sum to 1.

    Raises
    ------
    ValueError
        If ``p`` is empty, contains negative/NaN/inf entries or sums to 0.
    """
    arr = as_float_array(p, "p")
    neg = arr < 0
    if neg.any():
        i = int(np.flatnonzero(neg.reshape(-1))[0])
        raise InputError("{name}: entries must be non-negative ({entry})", name="p",
                         entry=_entry("p", arr, i))
    total = float(np.sum(arr))
    if total == 0.0:
        raise InputError("{name}: sum must be positive (sum = 0)", name="p")
    if not np.isfinite(total):
        raise InputError("{name}: sum overflows (entries too large)", name="p")
    return arr / total


def self_information(p, base=None):
    """Self-information (surprisal) of probabilities, elementwise.

    Computes ``I(p_i) = -log_b p_i``, with ``I(0) = +inf`` (no warning).

    Parameters
    ----------
    p : array_like or float
        Probabilities in [0, 1]; they need not sum to 1.
    base : float, optional
        Logarithm base ``b``; ``None`` (default) for nats, 2 for bits,
        10 for bans/hartleys.

    Returns
    -------
    numpy.ndarray or float
        float64 array of the same shape as ``p`` (a Python float if ``p``
        is a scalar).
    """
    arr = check_probabilities(p, "p")
    factor = log_base_factor(base)
    return result(_neg_log(arr) / factor, np.ndim(p) == 0)


def entropy(p, base=None) -> float:
    """Shannon entropy of a distribution.

    Computes ``H(p) = -Σ_i p_i log_b p_i`` with the convention ``0 log 0 = 0``.

    Parameters
    ----------
    p : array_like
        1-D probability distribution (non-negative, sums to 1 within 1e-9).
    base : float, optional
        Logarithm base; ``None`` for nats.

    Returns
    -------
    float
        The entropy ``H(p) >= 0`` (clamped at 0, see *Tolerance* in the module docstring).
    """
    p = check_distribution(p, "p")
    factor = log_base_factor(base)
    return max(float(np.sum(_entropy_terms(p))), 0.0) / factor + 0.0


def cross_entropy(p, q, base=None, eps=None) -> float:
    """Cross-entropy of ``q`` relative to ``p``.

    Computes ``H(p, q) = -Σ_i p_i log_b q_i``.  Terms with ``p_i = 0`` are 0;
    if ``q_i = 0 < p_i`` the result is ``+inf`` unless ``eps`` is given.

    Parameters
    ----------
    p : array_like
        1-D "true" distribution.
    q : array_like
        1-D model distribution, same shape as ``p``.
    base : float, optional
        Logarithm base; ``None`` for nats.
    eps : float, optional
        If given (0 < eps < 0.5), ``q`` is clipped to ``[eps, 1 - eps]``
        (without renormalisation, as scikit-learn's ``log_loss`` does).

    Returns
    -------
    float
        ``H(p, q) = H(p) + D_KL(p || q)``.
    """
    p, q = _prepare_pq(p, q, eps)
    factor = log_base_factor(base)
    return max(float(np.sum(_cross_terms(p, q))), 0.0) / factor + 0.0


def kl_divergence(p, q, base=None, eps=None) -> float:
    """Kullback-Leibler divergence of ``q`` from ``p``.

    Computes ``D_KL(p || q) = Σ_i p_i log_b(p_i / q_i)``.  Terms with
    ``p_i = 0`` are 0; if ``q_i = 0 < p_i`` the result is ``+inf`` unless
    ``eps`` is given.

    Parameters
    ----------
    p, q : array_like
        1-D distributions of the same shape.
    base : float, optional
        Logarithm base; ``None`` for nats.
    eps : float, optional
        If given (0 < eps < 0.5), ``q`` is clipped to ``[eps, 1 - eps]``
        (no renormalisation).  ``p`` is never clipped.

    Returns
    -------
    float
        ``D_KL(p || q) = H(p, q) - H(p)``, >= 0 (without clipping).
    """
    p, q = _prepare_pq(p, q, eps)
    factor = log_base_factor(base)
    kl = float(np.sum(_kl_terms(p, q)))
    return (kl if eps is not None else max(kl, 0.0)) / factor + 0.0


def js_divergence(p, q, base=None) -> float:
    """Jensen-Shannon divergence.

    Computes ``JS(p, q) = ½ D_KL(p || m) + ½ D_KL(q || m)`` with
    ``m = (p + q) / 2``, as ``½ Σ_i p_i log_b(2 p_i / (p_i + q_i)) + ½ Σ_i q_i log_b(2 q_i /
    (p_i + q_i))`` (the same number; it cannot underflow).  Always finite; ``0 ≤ JS ≤ log_b 2``.
    (``scipy.spatial.distance.jensenshannon`` returns its square root.)

    Parameters
    ----------
    p, q : array_like
        1-D distributions of the same shape.
    base : float, optional
        Logarithm base; ``None`` for nats.

    Returns
    -------
    float
        The (symmetric, non-negative) JS divergence.
    """
    p, q = _prepare_pq(p, q, None)
    factor = log_base_factor(base)
    js = 0.5 * float(np.sum(_js_terms(p, q))) + 0.5 * float(np.sum(_js_terms(q, p)))
    return min(max(js, 0.0), LN2) / factor + 0.0


def binary_entropy(x, base=None):
    """Entropy of a Bernoulli(x) variable, elementwise.

    Computes ``H_b(x) = -x log_b x - (1 - x) log_b(1 - x)``, which is 0 at
    ``x ∈ {0, 1}``.

    Parameters
    ----------
    x : array_like or float
        Probabilities in [0, 1].
    base : float, optional
        Logarithm base; ``None`` for nats (max ``ln 2`` at ``x = 0.5``).

    Returns
    -------
    numpy.ndarray or float
        Same shape as ``x``; a Python float for scalar input.
    """
    arr = check_probabilities(x, "x")
    factor = log_base_factor(base)
    flat = arr.reshape(-1)
    out = _entropy_terms(flat) + _entropy_terms(1.0 - flat)
    return result(out.reshape(arr.shape) / factor, np.ndim(x) == 0)


def information_terms(p, q, base=None, eps=None) -> dict:
    """Per-outcome contributions to the information quantities.

    Parameters
    ----------
    p, q : array_like
        1-D distributions of the same shape.
    base : float, optional
        Logarithm base; ``None`` for nats.
    eps : float, optional
        If given, ``q`` is clipped to ``[eps, 1 - eps]`` before use
        (``p`` is not clipped).

    Returns
    -------
    dict of str -> numpy.ndarray
        Arrays of the same shape as ``p``:

        * ``"self_info_q"``: ``-log_b q_i`` (+inf where q_i = 0)
        * ``"self_info_p"``: ``-log_b p_i`` (+inf where p_i = 0)
        * ``"cross"``: ``-p_i log_b q_i`` (sums to ``H(p, q)``)
        * ``"entropy"``: ``-p_i log_b p_i`` (sums to ``H(p)``)
        * ``"kl"``: ``p_i log_b(p_i / q_i)`` (sums to ``D_KL(p || q)``)

        Terms with ``p_i = 0`` in ``cross``, ``entropy`` and ``kl`` are
        exactly 0; ``q_i = 0 < p_i`` gives +inf in ``cross`` and ``kl``.
    """
    p, q = _prepare_pq(p, q, eps)
    factor = log_base_factor(base)
    return {
        "self_info_q": _neg_log(q) / factor,
        "self_info_p": _neg_log(p) / factor,
        "cross": _cross_terms(p, q) / factor,
        "entropy": _entropy_terms(p) / factor,
        "kl": _kl_terms(p, q) / factor,
    }


def information_summary(p, q, base=None, eps=None) -> dict:
    """Every information quantity of a pair of distributions, from one pass over shared logs.

    Validates ``p`` and ``q`` once and returns what :func:`entropy`, :func:`cross_entropy`,
    :func:`kl_divergence` (both directions), :func:`js_divergence` and
    :func:`information_terms` return for them -- the same numbers, bit for bit -- at the
    cost of a single call.  With ``q' = clip(q, eps, 1 - eps)``,
    ``p' = clip(p, eps, 1 - eps)`` (``q' = q``, ``p' = p`` without ``eps``) and
    ``m = (p + q) / 2``:

    * ``H(p) = -Σ_i p_i log_b p_i``, ``H(q) = -Σ_i q_i log_b q_i`` (never clipped);
    * ``H(p, q) = -Σ_i p_i log_b q'_i``, ``H(q, p) = -Σ_i q_i log_b p'_i``;
    * ``D_KL(p || q) = Σ_i p_i log_b(p_i / q'_i)``, ``D_KL(q || p) = Σ_i q_i log_b(q_i / p'_i)``;
    * ``JS(p, q) = ½ D_KL(p || m) + ½ D_KL(q || m)`` (unclipped ``p`` and ``q``).

    Terms whose weight (``p_i``, or ``q_i`` for the reversed quantities) is 0 are exactly 0;
    a zero in the denominator where the weight is positive (``q'_i = 0 < p_i``) makes the sum
    ``+inf``, with no warning.

    Parameters
    ----------
    p, q : array_like
        1-D distributions of the same shape (non-negative, each summing to 1 within 1e-9).
    base : float, optional
        Logarithm base; ``None`` for nats, 2 for bits, 10 for bans.
    eps : float, optional
        If given (0 < eps < 0.5), the distribution inside a logarithm of a cross-entropy or
        KL divergence is clipped to ``[eps, 1 - eps]`` (no renormalisation), as in
        :func:`cross_entropy`.  Entropies and the JS divergence are never clipped.

    Returns
    -------
    dict
        ``"entropy_p"``, ``"entropy_q"``, ``"cross_pq"`` (``H(p, q)``), ``"cross_qp"``,
        ``"kl_pq"`` (``D_KL(p || q)``), ``"kl_qp"``, ``"js"``: Python floats, equal to
        ``entropy(p, base)``, ``cross_entropy(p, q, base, eps)``, ..., ``js_divergence(p, q,
        base)``;
        ``"terms"``: the dict :func:`information_terms(p, q, base, eps) <information_terms>`
        returns;
        ``"p_used"``, ``"q_used"``: ``p'`` and ``q'`` (new float64 arrays, also without
        ``eps``);
        ``"mixture"``: the midpoint ``m`` used by the JS divergence.

    Raises
    ------
    ValueError
        As :func:`cross_entropy`: for an invalid ``p`` or ``q``, a shape mismatch, a bad
        ``eps`` or a bad ``base``.
    """
    p, q = _prepare_pq(p, q, None)
    e = check_eps(eps)
    factor = log_base_factor(base)
    # Every array below stacks one row per quantity, so that each numpy call serves all of
    # them.  The elementwise arithmetic is the same as in the separate functions, and the sum
    # of a contiguous row is the same pairwise sum as np.sum of that row alone: the results
    # are identical, not just close.
    pq = np.array((p, q))                                 # the weights p, q
    used = pq if e is None else np.clip(pq, e, 1.0 - e)   # p', q'
    qp_used = used[::-1]                                  # q', p'
    total = pq + pq[::-1]                                 # p + q, q + p (the same numbers)
    mix = 0.5 * total                                     # m, m
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ratios = np.concatenate((pq, 2.0 * pq)) / np.concatenate((qp_used, total))
        # ln p, ln q, ln q', ln p', ln(p/q'), ln(q/p'), ln(2p/(p+q)), ln(2q/(p+q))
        values = np.log(np.concatenate((pq, qp_used, ratios)))
        big = np.isinf(ratios[:2]) & (qp_used > 0)        # p/q' overflowed: q' subnormal
        if big.any():                                     # ... as _log_ratio does
            values[4:6][big] = values[0:2][big] - values[2:4][big]
        neg = values[:4]
        np.negative(neg, out=neg)
        neg += 0.0                                        # -0.0 -> 0.0, as in _neg_log
        # weights p, q, p, q, ... times -ln p, -ln q, -ln q', -ln p', ln(p/q'), ...: the terms
        # of H(p), H(q), H(p,q), H(q,p), KL(p||q), KL(q||p), JS's p- and q-halves
        terms = pq * values.reshape(4, 2, -1)
        zero = pq <= 0
        if zero.any():
            terms[:, zero] = 0.0   # ... and 0 where the weight is 0, whatever the log
        terms = terms.reshape(8, -1)
    h_p, h_q, ce_pq, ce_qp, kl_pq, kl_qp, js_p, js_q = np.add.reduce(terms, axis=1).tolist()
    js = min(max(0.5 * js_p + 0.5 * js_q, 0.0), LN2)
    h_p, h_q, ce_pq, ce_qp = (max(v, 0.0) for v in (h_p, h_q, ce_pq, ce_qp))
    if e is None:
        kl_pq, kl_qp = max(kl_pq, 0.0), max(kl_qp, 0.0)
    if factor != 1.0:
        scaled, self_info = terms[0:5:2] / factor, neg[0:3:2] / factor
    else:   # x / 1.0 == x: skip the copies
        scaled, self_info = terms[0:5:2], neg[0:3:2]
    return {
        "entropy_p": h_p / factor + 0.0, "entropy_q": h_q / factor + 0.0,
        "cross_pq": ce_pq / factor + 0.0, "cross_qp": ce_qp / factor + 0.0,
        "kl_pq": kl_pq / factor + 0.0, "kl_qp": kl_qp / factor + 0.0,
        "js": js / factor + 0.0,
        "terms": {"self_info_q": self_info[1], "self_info_p": self_info[0],
                  "cross": scaled[1], "entropy": scaled[0], "kl": scaled[2]},
        "p_used": used[0], "q_used": used[1], "mixture": mix[0],
    }
