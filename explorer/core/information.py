"""Information-theoretic quantities: self-information, entropy, cross-entropy,
Kullback-Leibler and Jensen-Shannon divergences.

All functions take a ``base`` argument: ``None`` means natural log (nats),
``2`` bits, ``10`` bans (hartleys); any positive base other than 1 works.
Conventions for zero probabilities and the optional ``eps`` clipping are
described in the :mod:`explorer.core` package docstring.
"""

from __future__ import annotations

import numpy as np

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
    "information_terms",
    "js_divergence",
    "kl_divergence",
    "normalize",
    "self_information",
]


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


def _kl_terms(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """``p_i ln(p_i / q_i)`` with 0 where p_i == 0 and +inf where q_i == 0 < p_i."""
    terms = np.zeros_like(p)
    m = p > 0
    with np.errstate(divide="ignore"):
        terms[m] = p[m] * np.log(p[m] / q[m])
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
        raise ValueError(f"p: entries must be non-negative ({_entry('p', arr, i)})")
    total = float(np.sum(arr))
    if total == 0.0:
        raise ValueError("p: sum must be positive (sum = 0)")
    if not np.isfinite(total):
        raise ValueError("p: sum overflows (entries too large)")
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
        The entropy ``H(p) >= 0``.
    """
    p = check_distribution(p, "p")
    factor = log_base_factor(base)
    return float(np.sum(_entropy_terms(p))) / factor + 0.0


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
    return float(np.sum(_cross_terms(p, q))) / factor + 0.0


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
    return float(np.sum(_kl_terms(p, q))) / factor + 0.0


def js_divergence(p, q, base=None) -> float:
    """Jensen-Shannon divergence.

    Computes ``JS(p, q) = ½ D_KL(p || m) + ½ D_KL(q || m)`` with
    ``m = (p + q) / 2``.  Always finite; bounded by ``log_b 2``.
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
    m = 0.5 * (p + q)
    js = 0.5 * np.sum(_kl_terms(p, m)) + 0.5 * np.sum(_kl_terms(q, m))
    return max(float(js), 0.0) / factor + 0.0


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
