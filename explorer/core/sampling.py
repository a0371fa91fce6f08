"""Where cross-entropy comes from: events drawn from p, scored by q.

Cross-entropy is the expected surprise of a model q when events really come from p:
``H(p, q) = E_{x~p}[−log q(x)]``.  Draw events ``x_1 … x_n`` from p and the running mean of
``−log q(x_k)`` converges to ``H(p, q)``; of ``−log p(x_k)`` to ``H(p)``; of their difference
``log p(x_k)/q(x_k)`` to ``D_KL(p‖q)``.  And ``−n · mean_k(−log q(x_k))`` is the log-likelihood
of the sample under q, so minimising cross-entropy over q is maximising likelihood; the
maximum-likelihood q is the empirical distribution p̂ of the sample.

Randomness is counter-based (SplitMix64 of ``seed`` and the event's index), so event k of a
seed is the same on every machine, whatever was drawn before it and however the draws were
batched.
"""
from __future__ import annotations

import math
import numbers

import numpy as np

from .errors import InputError
from .information import entropy, cross_entropy
from .validation import as_float_array, check_distribution, log_base_factor

__all__ = ["uniforms", "draw_events", "running_information", "empirical_distribution",
           "log_likelihood", "perplexity", "cross_perplexity", "RunningInformation", "RunningScorer",
           "binary_batch_loss", "categorical_batch_loss"]

_M64 = np.uint64(0xFFFFFFFFFFFFFFFF)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
MAX_SEED = 2**63 - 1


def _check_seed(seed) -> int:
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or not 0 <= seed <= MAX_SEED:
        raise InputError("{name}: expected a whole number 0 to 2**63 − 1, got {value}", name="seed",
                         value=repr(seed)[:40])
    return int(seed)


def _check_count(name: str, value, limit: int = 10**9) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not 0 <= value <= limit:
        raise InputError("{name}: expected a whole number 0 to {limit}, got {value}", name=name,
                         limit=limit, value=repr(value)[:40])
    return int(value)


def uniforms(seed, start, count) -> np.ndarray:
    """Uniform numbers in [0, 1) for event indices ``start … start + count − 1`` of *seed*.

    ``u_k = (splitmix64(seed · φ + k) >> 11) · 2⁻⁵³`` with φ = 0x9E3779B97F4A7C15: a
    counter-based generator, so any slice of the stream can be computed on its own and is
    identical on every machine.

    Parameters
    ----------
    seed : int
        0 to 2⁶³ − 1.
    start, count : int
        First event index and number of events (≥ 0).

    Returns
    -------
    numpy.ndarray
        float64 array of length *count*, each value in [0, 1).
    """
    seed = _check_seed(seed)
    start = _check_count("start", start, 2**62)
    count = _check_count("count", count)
    with np.errstate(over="ignore"):
        k = np.arange(start, start + count, dtype=np.uint64)
        x = np.uint64(seed) * _GOLDEN + k
        x = x + _GOLDEN
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        x = x ^ (x >> np.uint64(31))
    return (x >> np.uint64(11)).astype(np.float64) * (1.0 / 9007199254740992.0)


def draw_events(p, seed, start, count) -> np.ndarray:
    """Events ``x_k ~ p`` for indices ``start … start + count − 1`` of *seed*, by the inverse of
    p's cumulative distribution: ``x_k = min{i : F_i > u_k}`` with ``F_i = Σ_{j≤i} p_j``
    (``F_{N−1}`` is taken as exactly 1, so every u in [0, 1) maps to a category).  Categories
    with ``p_i = 0`` are never drawn.

    Parameters
    ----------
    p : array_like
        The distribution to draw from.
    seed, start, count : int
        As in :func:`uniforms`.

    Returns
    -------
    numpy.ndarray
        int64 category indices, length *count*.
    """
    p = check_distribution(p, "p")
    u = uniforms(seed, start, count)
    cdf = np.cumsum(p)
    cdf[-1] = 1.0
    # the last category with p > 0 takes whatever rounding leaves at the top
    last = int(np.flatnonzero(p > 0)[-1])
    cdf[last:] = 1.0
    return np.minimum(np.searchsorted(cdf, u, side="right"), last).astype(np.int64)


def empirical_distribution(events, n_categories) -> np.ndarray:
    """p̂_i = (number of events equal to i) / n — the maximum-likelihood estimate of p.

    Parameters
    ----------
    events : array_like of int
        Category indices 0 … n_categories − 1 (at least one).
    n_categories : int
        N, the length of the result.

    Returns
    -------
    numpy.ndarray
        float64 shares summing to 1.  An empty sample raises InputError (p̂ is undefined).
    """
    n_categories = _check_count("n_categories", n_categories, 10**6)
    ev = np.asarray(events, dtype=np.int64).reshape(-1)
    if ev.size == 0:
        raise InputError("{name}: no events yet — draw some first", name="sample")
    if ev.min() < 0 or ev.max() >= n_categories:
        raise InputError("{name}: an event is not a category 0..{last}", name="sample", last=n_categories - 1)
    return np.bincount(ev, minlength=n_categories) / ev.size


def _neg_log(x: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        out = -np.log(x)
    return out + 0.0


class RunningInformation:
    """Running means of a sample's surprises, with their standard errors.

    Attributes (arrays of length n, entry k is over the first k + 1 events)
    ----------
    n : numpy.ndarray
        1 … n.
    cross, entropy, kl : numpy.ndarray
        Running means of ``−log q(x)``, ``−log p(x)`` and ``log p(x)/q(x)`` (in the unit of
        *base*); ``+inf`` from the first event with ``q(x) = 0`` on (cross and kl).
    cross_se, entropy_se, kl_se : numpy.ndarray
        Standard errors ``s / √k`` of those means (``s`` the sample standard deviation; nan for
        k = 1, inf once the mean is infinite).
    first_impossible : int or None
        Index of the first event with ``q(x) = 0`` (where the cross mean jumps to ∞).
    """

    def __init__(self, **fields):
        self.__dict__.update(fields)


def _running(values: np.ndarray):
    """Running mean and standard error of *values* (Welford-free: centred on the first value
    to keep the cumulative sums of squares accurate)."""
    k = np.arange(1, values.size + 1, dtype=np.float64)
    finite = np.isfinite(values)
    if not finite.all():
        first = int(np.flatnonzero(~finite)[0])
        v = values.copy()
        v[first:] = 0.0
    else:
        first, v = None, values
    shift = v[0] if v.size else 0.0
    d = v - shift
    s1 = np.cumsum(d)
    s2 = np.cumsum(d * d)
    mean = shift + s1 / k
    with np.errstate(invalid="ignore", divide="ignore"):
        var = np.maximum(s2 - s1 * s1 / k, 0.0) / (k - 1)
        se = np.sqrt(var / k)
    if first is not None:
        mean[first:] = values[first] if np.isposinf(values[first]) else np.inf
        se[first:] = np.inf
    return mean, se, first


def running_information(events, p, q, base=None) -> RunningInformation:
    """Running means (and standard errors) of ``−log q(x_k)``, ``−log p(x_k)`` and
    ``log p(x_k) − log q(x_k)`` over a sample *events* of categories, in the unit of *base*.

    As n grows they converge to ``H(p, q)``, ``H(p)`` and ``D_KL(p‖q)`` when the events were
    drawn from p; with p edited after drawing they measure the sample against the new p.

    Parameters
    ----------
    events : array_like of int
        The sample, category indices.
    p, q : array_like
        The distributions the events are scored with.
    base : float, optional
        Logarithm base (None: nats).

    Returns
    -------
    RunningInformation
        Arrays of length n (see the class).
    """
    p = check_distribution(p, "p")
    q = check_distribution(q, "q")
    if p.shape != q.shape:
        raise InputError("{name}: expected {n} values, got {size}", name="q", n=p.size, size=q.size)
    ev = np.asarray(events, dtype=np.int64).reshape(-1)
    if ev.size and (ev.min() < 0 or ev.max() >= p.size):
        raise InputError("{name}: an event is not a category 0..{last}", name="sample", last=p.size - 1)
    factor = log_base_factor(base)
    nlq = _neg_log(q)[ev] / factor
    nlp = _neg_log(p)[ev] / factor
    with np.errstate(invalid="ignore"):
        diff = nlq - nlp        # +inf where q(x) = 0 (then p(x) > 0 for drawn events)
    diff = np.where(np.isnan(diff), np.inf, diff)
    cross, cross_se, first = _running(nlq)
    ent, ent_se, _ = _running(np.where(np.isfinite(nlp), nlp, np.inf))
    kl, kl_se, _ = _running(diff)
    return RunningInformation(n=np.arange(1, ev.size + 1), cross=cross, entropy=ent, kl=kl,
                              cross_se=cross_se, entropy_se=ent_se, kl_se=kl_se,
                              first_impossible=first)


def log_likelihood(events, q, base=None) -> float:
    """``log L = Σ_k log q(x_k)`` — equal to ``−n · mean_k(−log q(x_k))``, minus n times the
    sample's cross-entropy.

    Parameters
    ----------
    events : array_like of int
        The sample, category indices.
    q : array_like
        The model distribution.
    base : float, optional
        Logarithm base (None: nats).

    Returns
    -------
    float
        The log-likelihood; −inf if some ``q(x_k) = 0``.
    """
    q = check_distribution(q, "q")
    ev = np.asarray(events, dtype=np.int64).reshape(-1)
    if ev.size and (ev.min() < 0 or ev.max() >= q.size):
        raise InputError("{name}: an event is not a category 0..{last}", name="sample", last=q.size - 1)
    with np.errstate(divide="ignore"):
        logs = np.log(q)[ev]
    return float(np.sum(logs)) / log_base_factor(base) + 0.0


def perplexity(p) -> float:
    """``exp(H(p))`` with H in nats (= ``b^{H_b(p)}`` in any base b): the number of equally
    likely outcomes that would be as uncertain as p — a fair die with that many faces.

    Parameters
    ----------
    p : array_like
        A distribution.

    Returns
    -------
    float
        Unit-free; 1 for a certain outcome, N for the uniform distribution on N.
    """
    return float(math.exp(entropy(p)))


def cross_perplexity(p, q, eps=None) -> float:
    """``exp(H(p, q))`` (nats): how many equally likely outcomes q is, in effect, choosing
    among when events come from p.

    Parameters
    ----------
    p, q : array_like
        Distributions of the same length.
    eps : float, optional
        Clip q to [eps, 1 − eps] first, as :func:`cross_entropy` does.

    Returns
    -------
    float
        ≥ perplexity(p); ∞ where some ``q_i = 0 < p_i``.
    """
    h = cross_entropy(p, q, eps=eps)
    return math.inf if math.isinf(h) else float(math.exp(min(h, 709.0)) if h < 709.0 else math.inf)


def _check_batch_probs(name: str, a, shape=None) -> np.ndarray:
    arr = as_float_array(a, name, min_ndim=1, max_ndim=2)
    if arr.size == 0:
        raise InputError("{name}: the batch is empty", name=name)
    if np.any(arr < 0) or np.any(arr > 1):
        raise InputError("{name}: predictions must lie in [0, 1]", name=name)
    if shape is not None and arr.shape != shape:
        raise InputError("{name}: expected shape {shape}, got {got}", name=name, shape=shape,
                         got=arr.shape)
    return arr


def _clip(a: np.ndarray, eps) -> np.ndarray:
    if eps is None:
        return a
    if not 0 < eps < 0.5:
        raise InputError("{name}: must be in (0, 0.5), got {value}", name="eps", value=f"{eps:g}")
    return np.clip(a, eps, 1.0 - eps)


def binary_batch_loss(y, a, eps=None):
    """Binary cross-entropy of a batch, ``L = −(1/n) Σ_i [y_i ln a_i + (1 − y_i) ln(1 − a_i)]``.

    Parameters
    ----------
    y : array_like
        Labels in [0, 1] (0 or 1 for hard labels), length n.
    a : array_like
        Predicted probabilities of class 1, length n.
    eps : float, optional
        Clip a to [eps, 1 − eps] first (scikit-learn's ``log_loss`` does, with
        eps = float64 machine epsilon); without it a confident wrong prediction gives ∞.

    Returns
    -------
    (float, numpy.ndarray)
        The mean loss L (nats) and each row's term ``−[y ln a + (1 − y) ln(1 − a)]``.
    """
    a = _check_batch_probs("a", a)
    if a.ndim != 1:
        raise InputError("{name}: expected one prediction per row", name="a")
    y = _check_batch_probs("y", y, a.shape)
    a = _clip(a, eps)
    with np.errstate(divide="ignore", invalid="ignore"):
        t1 = np.where(y > 0, y * np.log(a), 0.0)
        t0 = np.where(y < 1, (1 - y) * np.log1p(-a), 0.0)
    terms = -(t1 + t0) + 0.0
    return float(np.mean(terms)), terms


def categorical_batch_loss(y, a, eps=None):
    """Categorical cross-entropy of a batch, ``L = −(1/n) Σ_i Σ_j y_ij ln a_ij``.

    Parameters
    ----------
    y : array_like
        (n, K) target rows (one-hot or soft), each summing to 1.
    a : array_like
        (n, K) predicted distributions, each row summing to 1.
    eps : float, optional
        Clip a to [eps, 1 − eps] (not re-normalised), as scikit-learn's ``log_loss`` does.

    Returns
    -------
    (float, numpy.ndarray)
        The mean loss L (nats) and each row's term ``−Σ_j y_ij ln a_ij``.
    """
    a = _check_batch_probs("a", a)
    if a.ndim != 2:
        raise InputError("{name}: expected a table of predictions, one row per sample", name="a")
    y = _check_batch_probs("y", y, a.shape)
    for name, m in (("y", y), ("a", a)):
        bad = np.flatnonzero(np.abs(m.sum(axis=1) - 1.0) > 1e-9)
        if bad.size:
            raise InputError("{name}: row {row} does not sum to 1", name=name, row=int(bad[0]))
    a = _clip(a, eps)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(y > 0, y * np.log(a), 0.0)
    terms = -t.sum(axis=1) + 0.0
    return float(np.mean(terms)), terms


class RunningScorer:
    """:func:`running_information` kept up to date as events arrive, in amortised O(new events).

    Create it for (p, q, base), then :meth:`extend` it with each batch of events; the arrays
    (``cross``, ``entropy``, ``kl`` and their ``*_se``, ``n``) are views of growing buffers and
    equal what :func:`running_information` returns for all events so far.  A change of p, q or
    the unit needs a new scorer (the surprises of old events change).
    """

    _KEYS = ("cross", "entropy", "kl")

    def __init__(self, p, q, base=None):
        self.p = check_distribution(p, "p")
        self.q = check_distribution(q, "q")
        if self.p.shape != self.q.shape:
            raise InputError("{name}: expected {n} values, got {size}", name="q", n=self.p.size, size=self.q.size)
        factor = log_base_factor(base)
        nlq = _neg_log(self.q) / factor
        nlp = _neg_log(self.p) / factor
        with np.errstate(invalid="ignore"):
            diff = np.where(np.isnan(nlq - nlp), np.inf, nlq - nlp)
        self._scores = {"cross": nlq, "entropy": np.where(np.isfinite(nlp), nlp, np.inf), "kl": diff}
        self._size = 0
        self._buf = {}
        self._acc = {k: [0.0, 0.0, 0.0, None] for k in self._KEYS}   # shift, s1, s2, first inf
        self.first_impossible = None
        self.counts = np.zeros(self.p.size, dtype=np.int64)
        self._grow(1024)

    def _grow(self, capacity: int) -> None:
        for name in ("n",) + self._KEYS + tuple(k + "_se" for k in self._KEYS):
            old = self._buf.get(name)
            new = np.empty(capacity)
            if old is not None:
                new[:self._size] = old[:self._size]
            self._buf[name] = new

    def __len__(self) -> int:
        return self._size

    def __getattr__(self, name):
        buf = self.__dict__.get("_buf", {})
        if name in buf:
            return buf[name][:self._size]
        raise AttributeError(name)

    def extend(self, events) -> None:
        ev = np.asarray(events, dtype=np.int64).reshape(-1)
        m = ev.size
        if m == 0:
            return
        if ev.min() < 0 or ev.max() >= self.p.size:
            raise InputError("{name}: an event is not a category 0..{last}", name="sample", last=self.p.size - 1)
        start, end = self._size, self._size + m
        if end > len(self._buf["n"]):
            self._grow(max(end, 2 * len(self._buf["n"])))
        k = np.arange(start + 1, end + 1, dtype=np.float64)
        self._buf["n"][start:end] = k
        for key in self._KEYS:
            values = self._scores[key][ev]
            acc = self._acc[key]
            if start == 0:
                acc[0] = values[0] if np.isfinite(values[0]) else 0.0
            shift, s1_prev, s2_prev, first = acc
            mean = self._buf[key]
            se = self._buf[key + "_se"]
            if first is not None:                     # already infinite: stays infinite
                mean[start:end] = np.inf
                se[start:end] = np.inf
                continue
            bad = ~np.isfinite(values)
            stop = int(np.flatnonzero(bad)[0]) if bad.any() else m
            d = values[:stop] - shift
            s1 = s1_prev + np.cumsum(d)
            s2 = s2_prev + np.cumsum(d * d)
            kk = k[:stop]
            mean[start:start + stop] = shift + s1 / kk
            with np.errstate(invalid="ignore", divide="ignore"):
                var = np.maximum(s2 - s1 * s1 / kk, 0.0) / (kk - 1)
                se[start:start + stop] = np.sqrt(var / kk)
            if stop:
                acc[1], acc[2] = float(s1[-1]), float(s2[-1])
            if stop < m:
                acc[3] = start + stop
                mean[start + stop:end] = np.inf
                se[start + stop:end] = np.inf
                if key == "cross":
                    self.first_impossible = start + stop
        self.counts += np.bincount(ev, minlength=self.p.size)
        self._size = end
