"""Training beyond one step: loss landscapes of a single sigmoid neuron, and full-batch gradient
descent for logistic regression (2-D, two classes) and softmax regression (2-D, K classes),
each with the quadratic cost and with cross-entropy, plus seeded Gaussian-blob datasets.

Everything is vectorised numpy; the training loops run once per parameter change and return
whole trajectories (one entry per epoch), so a view only has to index arrays while it animates.

Costs (natural log, averaged over the ``n`` samples):

* logistic, ``a_i = σ(w·x_i + b)``, targets ``t_i ∈ {0, 1}``:

  - ``"mse"``: ``C = 1/n Σ ½ (a_i − t_i)²``, ``∂C/∂z_i = (a_i − t_i) a_i (1 − a_i) / n``;
  - ``"ce"``:  ``C = −1/n Σ [t_i ln a_i + (1 − t_i) ln(1 − a_i)]``, ``∂C/∂z_i = (a_i − t_i) / n``.

* softmax, ``p_i = softmax(W x_i + c)``, one-hot targets ``y_i``:

  - ``"ce"``:  ``C = −1/n Σ ln p_{i, t_i}``, ``∂C/∂z_i = (p_i − y_i) / n``;
  - ``"mse"``: ``C = 1/n Σ ½ ‖p_i − y_i‖²``,
    ``∂C/∂z_i = p_i ⊙ (g_i − (p_i·g_i)) / n`` with ``g_i = p_i − y_i`` (chain rule through
    the softmax Jacobian ``diag(p) − p pᵀ``).

* any other loss of :mod:`explorer.core.loss_family` (``"focal"``, ``"hinge"``,
  ``"smoothed_ce"``, with their parameters): ``C = 1/n Σ L(z_i, y_i)`` and
  ``∂C/∂z_i = L′(z_i, y_i) / n`` from :func:`~explorer.core.binary_loss_grad` (logistic) or
  :func:`~explorer.core.multiclass_loss_grad` (softmax).  Each run of a race picks its own.

Also a race on free logits: :func:`softmax_race` trains the logits of one sample directly,
``z ← z − η ∂L/∂z``, to show that a one-hot target drives the logit margin up like
``log(epoch)`` while a smoothed target stops at :func:`~explorer.core.optimal_logit_margin`.

Parameters are stored with the bias last: ``θ = (w_1, w_2, b)`` for logistic regression and a
``(3, K)`` matrix (rows ``x_1``, ``x_2``, bias) for softmax regression.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field

import numpy as np

from .errors import InputError
from .loss_family import (
    BINARY_LOSSES,
    MULTICLASS_LOSSES,
    _binary_array,
    _class_targets,
    _multiclass_array,
    loss_spec,
)
from .neuron import LOSS_NAMES as NEURON_LOSSES
from .neuron import MAX_EPOCHS
from .validation import _fmt, as_float_array, as_int, as_real, describe

__all__ = [
    "EpochFrames",
    "ClassifierHistory",
    "ClassifierRace",
    "LogitHistory",
    "SoftmaxRace",
    "classifier_race",
    "landscape_bounds",
    "logistic_loss_and_gradient",
    "make_blobs",
    "neuron_loss_landscape",
    "softmax_loss_and_gradient",
    "softmax_race",
    "train_logistic",
    "train_softmax",
    "trajectory_table",
]

CLASSIFIER_LOSSES = BINARY_LOSSES
#: The runs of a race unless told otherwise: MSE against cross-entropy.
DEFAULT_RACE = {"mse": "mse", "ce": "ce"}
#: Most numbers :func:`softmax_race` stores per run (epochs + 1 times K logits).
MAX_LOGIT_HISTORY = 20_000_000
#: Half-width of the square data domain used by :func:`make_blobs` and the probability grids.
DATA_LIMIT = 4.0
#: Largest probability grid of :func:`classifier_race` (grid_size × grid_size points).
MAX_GRID = 1024


# ----------------------------------------------------------------------------- helpers

def _softplus(t: np.ndarray) -> np.ndarray:
    """``ln(1 + e^t)`` without overflow."""
    return np.maximum(t, 0.0) + np.log1p(np.exp(-np.abs(t)))


def _sigmoid(z: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(z))
    r = 1.0 / (1.0 + e)
    return np.where(z >= 0, r, e * r)


def _softmax_rows(z: np.ndarray) -> np.ndarray:
    s = z - z.max(axis=-1, keepdims=True)
    e = np.exp(s)
    return e / e.sum(axis=-1, keepdims=True)


def _check_loss(loss, params=None, allowed=CLASSIFIER_LOSSES) -> tuple[str, dict]:
    return loss_spec(loss, params, allowed=allowed)


def _check_runs(losses, allowed) -> dict:
    """``{run key: (loss name, parameters)}`` of a race; default :data:`DEFAULT_RACE`."""
    if losses is None:
        losses = DEFAULT_RACE
    if not isinstance(losses, dict) or not 1 <= len(losses) <= 8:
        raise InputError("{name}: expected a mapping of 1 to 8 runs to their losses (got {value})",
                         name="losses", value=describe(losses))
    out = {}
    for key, spec in losses.items():
        if not isinstance(key, str) or not key:
            raise InputError("{name}: run names must be text (got {value})", name="losses",
                             value=describe(key))
        out[key] = loss_spec(spec, allowed=allowed)
    return out


def _check_epochs(epochs) -> int:
    epochs = as_int(epochs, "epochs", 0)
    if epochs > MAX_EPOCHS:
        raise InputError("{name}: must be at most {limit} (got {value})", name="epochs",
                         limit=MAX_EPOCHS, value=describe(epochs))
    return epochs


def _check_lr(lr) -> float:
    lr = as_float_array(lr, "lr")
    if lr.ndim != 0:
        raise InputError("{name}: must be a scalar (got shape {shape})", name="lr",
                         shape=str(lr.shape))
    lr = float(lr)
    if lr <= 0:
        raise InputError("{name}: must be positive (got {value})", name="lr", value=_fmt(lr))
    return lr


def _check_classes(n_classes) -> int:
    if isinstance(n_classes, (bool, np.bool_)) or not isinstance(n_classes, numbers.Integral) \
            or not 2 <= n_classes <= 1000:
        raise InputError("{name}: expected an integer 2 to 1000, got {value}", name="n_classes",
                         value=describe(n_classes))
    return int(n_classes)


def _check_data(X, labels, n_classes: int):
    X = as_float_array(X, "X", min_ndim=2, max_ndim=2)
    if X.shape[1] != 2:
        raise InputError("{name}: expected shape (n, 2), got {shape}", name="X",
                         shape=str(X.shape))
    try:
        shape = np.shape(labels)
    except (TypeError, ValueError):
        shape = None
    if shape != (X.shape[0],):
        raise InputError("{name}: expected {count} labels, got shape {shape}", name="labels",
                         count=X.shape[0], shape=str(shape))
    if X.shape[0] == 0:
        return X, np.zeros(0, dtype=np.intp)
    lab = as_float_array(labels, "labels")
    if np.any(lab != np.round(lab)) or lab.min() < 0 or lab.max() >= n_classes:
        raise InputError("{name}: must be integers 0..{last}", name="labels", last=n_classes - 1)
    return X, lab.astype(np.intp)


def _augment(X: np.ndarray) -> np.ndarray:
    """``[x_1, x_2, 1]`` rows (bias last)."""
    return np.hstack([X, np.ones((X.shape[0], 1))])


# ----------------------------------------------------------------------------- single neuron

def neuron_loss_landscape(w, b, x, y, loss, **params) -> np.ndarray:
    """Cost of a single sigmoid neuron ``a = σ(w x + b)`` on a grid of ``(w, b)``.

    ``C(w_j, b_i)`` with ``z = w_j x + b_i``:

    * ``"mse"``: ``C = ½ (σ(z) − y)²``;
    * ``"ce"`` (and ``"ce_book"``, which has the same cost and differs only in its step):
      ``C = −[y ln σ(z) + (1 − y) ln(1 − σ(z))] = y·softplus(−z) + (1 − y)·softplus(z)``,
      evaluated without overflow;
    * ``"focal"``, ``"hinge"``, ``"smoothed_ce"``: ``C = L(z, y)`` of
      :func:`~explorer.core.binary_loss` with the given parameters.

    For array ``x``, ``y`` (several samples) the cost is the sample mean.

    Parameters
    ----------
    w, b : array_like
        1-D grids of weights (columns) and biases (rows).
    x : float or array_like
        Input(s), finite.
    y : float or array_like
        Target(s) in [0, 1], same shape as ``x`` (a scalar broadcasts).
    loss : {"mse", "ce", "ce_book", "focal", "hinge", "smoothed_ce"}
        Cost function.
    **params
        Its parameters (``gamma``, ``alpha``; ``eps``).

    Returns
    -------
    numpy.ndarray
        float64 array of shape ``(len(b), len(w))``: row ``i`` is bias ``b[i]``, column ``j``
        weight ``w[j]`` (image layout: ``b`` vertical, ``w`` horizontal).
    """
    loss, p = _check_loss(loss, params, NEURON_LOSSES)
    wg = as_float_array(w, "w", min_ndim=1, max_ndim=1)
    bg = as_float_array(b, "b", min_ndim=1, max_ndim=1)
    xa = as_float_array(x, "x", max_ndim=1).reshape(-1)
    ya = as_float_array(y, "y", max_ndim=1).reshape(-1)
    if np.any((ya < 0) | (ya > 1)):
        raise InputError("{name}: targets must lie in [0, 1]", name="y")
    xa, ya = np.broadcast_arrays(xa, ya)
    out = np.zeros((bg.size, wg.size))
    with np.errstate(all="ignore"):
        for xi, yi in zip(xa, ya):
            z = bg[:, None] + wg[None, :] * xi
            if loss == "mse":
                out += 0.5 * (_sigmoid(z) - yi) ** 2
            elif loss in ("ce", "ce_book"):
                out += yi * _softplus(-z) + (1.0 - yi) * _softplus(z)
            else:
                out += _binary_array(loss, z, yi, p)[0]
    return out / xa.size


def landscape_bounds(ws, bs, *, min_span: float = 4.0, pad: float = 0.2, step: float = 0.5):
    """A ``(w_lo, w_hi, b_lo, b_hi)`` box that contains the trajectories, for a landscape.

    The box covers every finite ``(w_k, b_k)``, is padded by ``pad`` of its span on each side,
    is at least ``min_span`` wide in each direction (centred on the points), and its ends are
    rounded outwards to multiples of ``step`` -- so small parameter edits usually give the
    same box and a landscape cache keyed on it can be reused.

    Parameters
    ----------
    ws, bs : array_like
        Weights and biases of all trajectories (any shape; non-finite entries are ignored).
    min_span, pad, step : float, optional
        Minimum side length, relative padding and rounding step.

    Returns
    -------
    tuple of float
        ``(w_lo, w_hi, b_lo, b_hi)``.
    """
    min_span = as_real(min_span, "min_span")
    pad = as_real(pad, "pad")
    step = as_real(step, "step")
    if min_span < 0 or pad < 0 or step <= 0:
        bad = "step" if step <= 0 else "pad" if pad < 0 else "min_span"
        raise InputError("{name}: must be positive (got {value})", name=bad,
                         value=_fmt({"step": step, "pad": pad, "min_span": min_span}[bad]))
    out = []
    arrays = (as_float_array(ws, "ws", allow_nonfinite=True, allow_empty=True).ravel(),
              as_float_array(bs, "bs", allow_nonfinite=True, allow_empty=True).ravel())
    for v in arrays:
        v = v[np.isfinite(v)]
        v = np.clip(v, -1e3, 1e3)
        lo, hi = (float(v.min()), float(v.max())) if v.size else (-1.0, 1.0)
        span = hi - lo
        lo, hi = lo - pad * span, hi + pad * span
        if hi - lo < min_span:
            mid = 0.5 * (lo + hi)
            lo, hi = mid - 0.5 * min_span, mid + 0.5 * min_span
        out += [math.floor(lo / step) * step, math.ceil(hi / step) * step]
    return tuple(out)


# ----------------------------------------------------------------------------- datasets

def make_blobs(count, overlap, seed, n_classes=2):
    """Seeded 2-D Gaussian blobs, one per class, for the classification demos.

    Class ``k`` has ``count`` points drawn from ``N(μ_k, s² I)`` with centres on a circle,
    ``μ_k = 1.6 (cos θ_k, sin θ_k)``, ``θ_k = π/6 + 2πk/K``, and spread ``s = 0.3 + 1.2·overlap``
    (``overlap = 0``: well separated; ``1``: heavily mixed).  Points are clipped to the square
    ``[−4, 4]²`` and returned in class order.  The same seed gives the same data everywhere.

    Parameters
    ----------
    count : int
        Points per class, 1 to 500.
    overlap : float
        In [0, 1].
    seed : int
        Seed of :func:`numpy.random.default_rng`.
    n_classes : int, optional
        Number of classes K, 2 to 6 (default 2).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        ``X`` of shape ``(K·count, 2)`` and integer ``labels`` of shape ``(K·count,)``.
    """
    if isinstance(count, (bool, np.bool_)) or not isinstance(count, numbers.Integral) \
            or not 1 <= count <= 500:
        raise InputError("{name}: expected an integer 1 to 500, got {value}", name="count",
                         value=describe(count))
    overlap = as_float_array(overlap, "overlap")
    if overlap.ndim != 0 or not 0 <= float(overlap) <= 1:
        raise InputError("{name}: must be in [0, 1], got {value}", name="overlap",
                         value=describe(overlap.tolist()))
    overlap = float(overlap)
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise InputError("{name}: expected a non-negative integer, got {value}", name="seed",
                         value=describe(seed))
    if isinstance(n_classes, (bool, np.bool_)) or not isinstance(n_classes, numbers.Integral) \
            or not 2 <= n_classes <= 6:
        raise InputError("{name}: expected an integer 2 to 6, got {value}", name="n_classes",
                         value=describe(n_classes))
    rng = np.random.default_rng(int(seed))
    theta = np.pi / 6 + 2 * np.pi * np.arange(n_classes) / n_classes
    centres = 1.6 * np.column_stack([np.cos(theta), np.sin(theta)])
    spread = 0.3 + 1.2 * overlap
    X = np.concatenate([c + spread * rng.standard_normal((count, 2)) for c in centres])
    labels = np.repeat(np.arange(n_classes), count)
    return np.clip(X, -DATA_LIMIT, DATA_LIMIT), labels


# ----------------------------------------------------------------------------- losses + gradients

def _logistic_evaluator(Xa: np.ndarray, t: np.ndarray, loss: str, p: dict):
    """``f(θ) -> (C, ∂C/∂θ)`` of logistic regression with any binary loss.  Everything that
    does not depend on θ is computed once; this runs once per epoch of a race."""
    n = Xa.shape[0]
    XaT_n = Xa.T / n
    if loss not in ("mse", "ce"):
        def f(theta):
            L, g = _binary_array(loss, Xa @ theta, t, p)
            return float(np.add.reduce(L)) / n, XaT_n @ g
        return f

    def f(theta):
        z = Xa @ theta
        e = np.exp(-np.abs(z))
        a = 1.0 / (1.0 + e)
        np.multiply(a, e, out=a, where=z < 0)            # σ(z) without overflow
        d = a - t
        if loss == "mse":
            cost = 0.5 * float(np.dot(d, d)) / n
            d *= a * (1.0 - a)
        else:
            # t softplus(−z) + (1 − t) softplus(z) = ln(1 + e^−|z|) + max(z, 0) − t z
            cost = float(np.add.reduce(np.log1p(e) + np.maximum(z, 0.0) - t * z)) / n
        return cost, XaT_n @ d
    return f


def logistic_loss_and_gradient(theta, X, labels, loss, **params):
    """Cost and gradient of logistic regression ``a_i = σ(w_1 x_i1 + w_2 x_i2 + b)``.

    ``"mse"``: ``C = 1/n Σ ½(a_i − t_i)²``; ``"ce"``: ``C = −1/n Σ [t_i ln a_i + (1 − t_i)
    ln(1 − a_i)]``; any other loss of the family: ``C = 1/n Σ L(z_i, t_i)``
    (:func:`~explorer.core.binary_loss`).  The gradient is ``∂C/∂θ = Σ_i (∂C/∂z_i)
    (x_i1, x_i2, 1)`` with ``∂C/∂z_i = (a_i − t_i) σ'(z_i)/n`` (MSE), ``(a_i − t_i)/n`` (CE) or
    ``L′(z_i, t_i)/n``.

    Parameters
    ----------
    theta : array_like
        ``(w_1, w_2, b)``.
    X : array_like
        Inputs, shape ``(n, 2)``.
    labels : array_like
        Targets ``t_i`` in {0, 1}, shape ``(n,)``.
    loss : {"mse", "ce", "focal", "hinge", "smoothed_ce"}
        Cost function.
    **params
        Its parameters (``gamma``, ``alpha``; ``eps``).

    Returns
    -------
    (float, numpy.ndarray)
        The mean cost and its gradient, shape ``(3,)``.
    """
    loss, p = _check_loss(loss, params)
    X, lab = _check_data(X, labels, 2)
    theta = as_float_array(theta, "theta", min_ndim=1, max_ndim=1)
    if theta.shape != (3,):
        raise InputError("{name}: expected 3 values (w1, w2, b), got {size}", name="theta",
                         size=theta.size)
    with np.errstate(all="ignore"):
        cost, grad = _logistic_evaluator(_augment(X), lab.astype(float), loss, p)(theta)
    return cost, grad


def _softmax_evaluator(Xa: np.ndarray, Y: np.ndarray, loss: str, p: dict):
    """``f(W) -> (C, ∂C/∂W)`` of softmax regression with any multi-class loss (one-hot rows
    ``Y``).  Row sums are products with a column of ones: numpy reduces a short last axis
    several times slower than BLAS multiplies."""
    n, k = Y.shape
    XaT_n = Xa.T / n
    if loss not in ("mse", "ce"):
        def f(W):
            L, G = _multiclass_array(loss, Xa @ W, Y, p)
            return float(np.add.reduce(L)) / n, XaT_n @ G
        return f
    ones = np.ones((k, 1))
    rows, lab = np.nonzero(Y)

    def f(W):
        s = Xa @ W
        s -= np.maximum.reduce(s, axis=1, keepdims=True)
        P = np.exp(s)
        tot = P @ ones
        P /= tot
        if loss == "ce":                                   # −1/n Σ ln p_{i,t_i}
            cost = (float(np.add.reduce(np.log(tot), axis=None))
                    - float(np.add.reduce(s[rows, lab]))) / n
            P -= Y
            return cost, XaT_n @ P
        G = P - Y
        cost = 0.5 * float(np.vdot(G, G)) / n
        G -= (P * G) @ ones
        G *= P
        return cost, XaT_n @ G
    return f


def softmax_loss_and_gradient(W, X, labels, loss, **params):
    """Cost and gradient of softmax regression ``p_i = softmax(W_{:2}ᵀ x_i + W_2)``.

    With one-hot ``y_i``: ``"ce"``: ``C = −1/n Σ ln p_{i,t_i}`` and ``∂C/∂z_i = (p_i − y_i)/n``;
    ``"mse"``: ``C = 1/n Σ ½‖p_i − y_i‖²`` and ``∂C/∂z_i = p_i ⊙ (g_i − p_i·g_i)/n``,
    ``g_i = p_i − y_i``; any other loss of the family: ``C = 1/n Σ L(z_i, y_i)`` and
    ``∂C/∂z_i = L′(z_i, y_i)/n`` (:func:`~explorer.core.multiclass_loss`).  Then
    ``∂C/∂W = Σ_i (x_i1, x_i2, 1)ᵀ ∂C/∂z_i``.

    Parameters
    ----------
    W : array_like
        Weights, shape ``(3, K)``: rows ``x_1``, ``x_2`` and bias.
    X : array_like
        Inputs, shape ``(n, 2)``.
    labels : array_like
        Class indices 0..K−1, shape ``(n,)``.
    loss : {"mse", "ce", "focal", "hinge", "smoothed_ce"}
        Cost function.
    **params
        Its parameters (``gamma``, ``alpha``; ``eps``).

    Returns
    -------
    (float, numpy.ndarray)
        The mean cost and its gradient, shape ``(3, K)``.
    """
    loss, p = _check_loss(loss, params, MULTICLASS_LOSSES)
    W = as_float_array(W, "W", min_ndim=2, max_ndim=2)
    if W.shape[0] != 3 or W.shape[1] < 2:
        raise InputError("{name}: expected shape (3, K) with K >= 2, got {shape}", name="W",
                         shape=str(W.shape))
    X, lab = _check_data(X, labels, W.shape[1])
    Y = np.eye(W.shape[1])[lab]
    with np.errstate(all="ignore"):
        cost, grad = _softmax_evaluator(_augment(X), Y, loss, p)(W)
    return cost, grad


# ----------------------------------------------------------------------------- lazy per-epoch arrays

class EpochFrames:
    """A read-only array of shape ``(epochs + 1, *frame_shape)`` whose frames are computed on
    demand from the stored parameters, so that a long run does not hold a probability grid
    for every epoch in memory.

    Index it like a numpy array: ``frames[k]`` (one frame, a new read-only array),
    ``frames[k, i, j]``, ``frames[a:b]`` (a stack of frames); ``np.asarray(frames)``
    materialises everything (``len(frames) × frame size`` numbers: mind the memory).  The last
    frame asked for is cached, so drawing epoch ``k`` twice computes it once.

    Attributes
    ----------
    shape : tuple of int
        ``(epochs + 1, *frame_shape)``.
    dtype : numpy.dtype
        float64 for the training points, float32 for the probability grids.
    """

    __slots__ = ("shape", "dtype", "_compute", "_cached")

    #: frames computed per block when a stack of frames is asked for
    CHUNK = 64

    def __init__(self, n_frames: int, frame_shape: tuple, dtype, compute):
        self.shape = (int(n_frames),) + tuple(int(s) for s in frame_shape)
        self.dtype = np.dtype(dtype)
        self._compute = compute          # compute(start, stop) -> (stop - start, *frame_shape)
        self._cached = (-1, None)

    def __len__(self) -> int:
        return self.shape[0]

    @property
    def ndim(self) -> int:
        return len(self.shape)

    def __repr__(self) -> str:
        return f"EpochFrames(shape={self.shape}, dtype={self.dtype})"

    def _frame(self, k: int) -> np.ndarray:
        if self._cached[0] != k:
            arr = np.asarray(self._compute(k, k + 1)[0], dtype=self.dtype)
            arr.setflags(write=False)
            self._cached = (k, arr)
        return self._cached[1]

    def _stack(self, idx: np.ndarray) -> np.ndarray:
        out = np.empty((idx.size,) + self.shape[1:], dtype=self.dtype)
        if idx.size and np.all(np.diff(idx) == 1):            # a contiguous run: by blocks
            start = int(idx[0])
            for s in range(0, idx.size, self.CHUNK):
                e = min(idx.size, s + self.CHUNK)
                out[s:e] = self._compute(start + s, start + e)
        else:
            for n, k in enumerate(idx.tolist()):
                out[n] = self._frame(k)
        return out

    def __getitem__(self, key):
        first, rest = (key[0], key[1:]) if isinstance(key, tuple) and key else (key, ())
        if first is Ellipsis or first is None or any(r is Ellipsis or r is None for r in rest):
            return np.asarray(self)[key]
        n = self.shape[0]
        if isinstance(first, (numbers.Integral, np.integer)) and not isinstance(first, (bool, np.bool_)):
            k = int(first)
            if not -n <= k < n:
                raise IndexError(f"epoch {k} is out of range for {n} frames")
            frame = self._frame(k % n)
            return frame[rest] if rest else frame
        idx = np.arange(n)[first]
        stack = self._stack(np.atleast_1d(idx))
        return stack[(slice(None),) + rest] if rest else stack

    def __array__(self, dtype=None, copy=None):
        out = self._stack(np.arange(self.shape[0]))
        return out if dtype is None else out.astype(dtype, copy=False)


# ----------------------------------------------------------------------------- training loops

@dataclass(frozen=True, eq=False)
class ClassifierHistory:
    """Trajectory of :func:`train_logistic` or :func:`train_softmax` (entry k = after k updates).

    Attributes
    ----------
    params : numpy.ndarray
        ``(epochs + 1, 3)`` for logistic regression, ``(epochs + 1, 3, K)`` for softmax.
    loss : numpy.ndarray
        Mean cost at each state, ``(epochs + 1,)``.
    accuracy : numpy.ndarray
        Fraction of training points classified correctly (``a ≥ ½`` or arg-max), ``(epochs + 1,)``.
    proba : EpochFrames
        Predicted probabilities of every training point at every state: ``(epochs + 1, n)``
        (``P(class 1)``) or ``(epochs + 1, n, K)``, computed from ``params`` when indexed
        (``proba[k]``, ``proba[k, i]``; ``np.asarray(proba)`` for all of them).
    grad_norm : numpy.ndarray
        Euclidean norm of the gradient at each state, ``(epochs + 1,)``.
    """

    params: np.ndarray
    loss: np.ndarray
    accuracy: np.ndarray
    proba: EpochFrames
    grad_norm: np.ndarray

    def __post_init__(self) -> None:
        for name in ("params", "loss", "accuracy", "grad_norm"):
            arr = np.array(getattr(self, name), dtype=np.float64)
            arr.setflags(write=False)
            object.__setattr__(self, name, arr)

    @property
    def epochs(self) -> int:
        return len(self.loss) - 1


def _gd(evaluate, theta0, lr, epochs):
    """Plain gradient descent ``θ ← θ − η ∇C(θ)``; returns stacked params, costs, grad norms
    (preallocated: a long run stores 3K + 2 floats per epoch and nothing else)."""
    theta = np.array(theta0, dtype=np.float64)
    params = np.empty((epochs + 1,) + theta.shape)
    costs = np.empty(epochs + 1)
    norms = np.empty(epochs + 1)
    vdot, sqrt = np.vdot, math.sqrt
    with np.errstate(all="ignore"):
        for k in range(epochs + 1):
            params[k] = theta
            cost, grad = evaluate(theta)
            costs[k] = cost
            norms[k] = sqrt(float(vdot(grad, grad)))
            grad *= lr
            theta = theta - grad
    return params, costs, norms


def _logistic_proba(params: np.ndarray, X: np.ndarray):
    """``compute(start, stop)``: ``σ(w_1 x_i1 + w_2 x_i2 + b)`` for epochs start..stop-1,
    shape ``(m, n)`` (elementwise, so a frame is the same whichever block computes it)."""
    x1, x2 = X[:, 0], X[:, 1]

    def compute(start, stop):
        th = params[start:stop]
        with np.errstate(all="ignore"):
            return _sigmoid(_affine_grid(th, x1, x2))
    return compute


def _softmax_logits(params: np.ndarray, X: np.ndarray):
    """``compute(start, stop)``: the logits ``x_i W_k`` for epochs start..stop-1, ``(m, n, K)``
    (elementwise, so a frame is the same whichever block computes it)."""
    x1, x2 = X[:, 0, None], X[:, 1, None]

    def compute(start, stop):
        W = params[start:stop]
        z = x1 * W[:, None, 0, :]
        z += x2 * W[:, None, 1, :]
        z += W[:, None, 2, :]
        return z
    return compute


def _softmax_proba(params: np.ndarray, X: np.ndarray):
    """``compute(start, stop)``: ``softmax(x_i W_k)`` for epochs start..stop-1, ``(m, n, K)``."""
    logits = _softmax_logits(params, X)

    def compute(start, stop):
        with np.errstate(all="ignore"):
            return _softmax_rows(logits(start, stop))
    return compute


def _accuracy(n: int, frame_size: int, compute, correct) -> np.ndarray:
    """``correct(compute(start, stop))`` → fraction right per epoch, block by block."""
    out = np.empty(n)
    step = max(1, 250_000 // max(1, frame_size))
    for s in range(0, n, step):
        e = min(n, s + step)
        out[s:e] = correct(compute(s, e))
    return out


def train_logistic(X, labels, lr, epochs, loss, theta0=None, **params) -> ClassifierHistory:
    """Full-batch gradient descent ``θ ← θ − η ∂C/∂θ`` for logistic regression.

    Uses the cost and gradient of :func:`logistic_loss_and_gradient`.

    Parameters
    ----------
    X : array_like
        Inputs, shape ``(n, 2)``.
    labels : array_like
        Targets in {0, 1}, shape ``(n,)``.
    lr : float
        Learning rate ``η > 0``.
    epochs : int
        Number of updates (0 to 1 000 000).
    loss : {"mse", "ce", "focal", "hinge", "smoothed_ce"}
        Cost function.
    theta0 : array_like, optional
        Start ``(w_1, w_2, b)`` (default zeros).
    **params
        The loss's parameters (``gamma``, ``alpha``; ``eps``).

    Returns
    -------
    ClassifierHistory
        ``params`` of shape ``(epochs + 1, 3)``; ``accuracy`` counts ``a_i ≥ ½`` as class 1.
    """
    loss, p = _check_loss(loss, params)
    X, lab = _check_data(X, labels, 2)
    if X.shape[0] == 0:
        raise InputError("{name}: needs at least one point", name="X")
    lr, epochs = _check_lr(lr), _check_epochs(epochs)
    theta0 = np.zeros(3) if theta0 is None else as_float_array(theta0, "theta0", min_ndim=1, max_ndim=1)
    if theta0.shape != (3,):
        raise InputError("{name}: expected 3 values (w1, w2, b), got {size}", name="theta0",
                         size=theta0.size)
    Xa, t = _augment(X), lab.astype(float)
    params, costs, norms = _gd(_logistic_evaluator(Xa, t, loss, p), theta0, lr, epochs)
    proba = EpochFrames(epochs + 1, (len(X),), np.float64, _logistic_proba(params, X))
    positive = (lab == 1)[None, :]
    acc = _accuracy(epochs + 1, len(X), proba._compute,
                    lambda P: np.mean((P >= 0.5) == positive, axis=1))
    return ClassifierHistory(params=params, loss=costs, accuracy=acc, proba=proba, grad_norm=norms)


def train_softmax(X, labels, n_classes, lr, epochs, loss, W0=None, **params) -> ClassifierHistory:
    """Full-batch gradient descent ``W ← W − η ∂C/∂W`` for softmax regression on K classes.

    Uses the cost and gradient of :func:`softmax_loss_and_gradient` (categorical cross-entropy,
    or the quadratic cost on one-hot targets).

    Parameters
    ----------
    X : array_like
        Inputs, shape ``(n, 2)``.
    labels : array_like
        Class indices 0..K−1, shape ``(n,)``.
    n_classes : int
        K >= 2.
    lr : float
        Learning rate ``η > 0``.
    epochs : int
        Number of updates (0 to 1 000 000).
    loss : {"mse", "ce", "focal", "hinge", "smoothed_ce"}
        Cost function.
    W0 : array_like, optional
        Start weights, shape ``(3, K)`` (default zeros: every class ``1/K``).
    **params
        The loss's parameters (``gamma``, ``alpha``; ``eps``).

    Returns
    -------
    ClassifierHistory
        ``params`` of shape ``(epochs + 1, 3, K)``; ``proba`` ``(epochs + 1, n, K)``; accuracy
        by arg-max.
    """
    loss, p = _check_loss(loss, params, MULTICLASS_LOSSES)
    n_classes = _check_classes(n_classes)
    X, lab = _check_data(X, labels, n_classes)
    if X.shape[0] == 0:
        raise InputError("{name}: needs at least one point", name="X")
    lr, epochs = _check_lr(lr), _check_epochs(epochs)
    W0 = np.zeros((3, n_classes)) if W0 is None else as_float_array(W0, "W0", min_ndim=2, max_ndim=2)
    if W0.shape != (3, n_classes):
        raise InputError("{name}: expected shape (3, {k}), got {shape}", name="W0", k=n_classes,
                         shape=str(W0.shape))
    Xa, Y = _augment(X), np.eye(n_classes)[lab]
    params, costs, norms = _gd(_softmax_evaluator(Xa, Y, loss, p), W0, lr, epochs)
    proba = EpochFrames(epochs + 1, (len(X), n_classes), np.float64, _softmax_proba(params, X))
    # the arg-max of the probabilities is the arg-max of the logits: no softmax needed
    acc = _accuracy(epochs + 1, len(X) * n_classes, _softmax_logits(params, X),
                    lambda Z: np.mean(np.argmax(Z, axis=2) == lab[None, :], axis=1))
    return ClassifierHistory(params=params, loss=costs, accuracy=acc, proba=proba, grad_norm=norms)


# ----------------------------------------------------------------------------- a whole race

@dataclass(frozen=True, eq=False)
class ClassifierRace:
    """Two (or more) losses trained on the same data from the same start, ready to animate.

    Attributes
    ----------
    X, labels : numpy.ndarray
        The data, ``(n, 2)`` and ``(n,)``.
    n_classes : int
        2 (logistic regression) or K (softmax regression).
    runs : dict
        ``{run: ClassifierHistory}``, by default ``{"mse": ..., "ce": ...}``.
    grid : numpy.ndarray
        1-D coordinates of the probability grid (same for x_1 and x_2).
    grid_proba : dict
        Per loss: an :class:`EpochFrames` of float32 probabilities on the grid, shape
        ``(epochs + 1, G, G)`` (``P(class 1)``; row = x_2, column = x_1) or
        ``(epochs + 1, K, G, G)``.  ``grid_proba[loss][k]`` computes epoch k's grid from the
        parameters (the same numbers a precomputed array held); nothing is stored per epoch.
    boundary : dict
        Logistic only: per loss ``(epochs + 1, 2, 2)`` end points ``[[x1, x2], [x1, x2]]`` of
        the decision line ``w_1 x_1 + w_2 x_2 + b = 0`` inside the domain (NaN when the line
        misses the domain or the weights vanish).

    Memory: parameters, losses, accuracies and gradient norms -- about ``(3K + 3) · 8`` bytes
    per epoch and run, plus 32 bytes for the boundary (``epochs = 100 000``, K = 3: ~20 MB
    for both runs).
    """

    X: np.ndarray
    labels: np.ndarray
    n_classes: int
    runs: dict
    grid: np.ndarray
    grid_proba: dict
    boundary: dict
    #: ``{run: (loss name, parameters)}`` -- what each run minimised
    losses: dict = field(default_factory=dict)

    def grid_at(self, run: str, k: int) -> np.ndarray:
        """Probabilities on the grid at epoch *k* of *run*: ``(G, G)`` or ``(K, G, G)``
        float32, read-only (the same as ``grid_proba[run][k]``).

        Parameters
        ----------
        run : str
            A key of :attr:`runs`.
        k : int
            Epoch, ``0 ≤ k ≤ epochs`` (negative counts from the end).

        Returns
        -------
        numpy.ndarray
        """
        return self.grid_proba[run][k]

    def proba_at(self, run: str, k: int) -> np.ndarray:
        """Predicted probabilities of the training points at epoch *k* of *run*: ``(n,)``
        (``P(class 1)``) or ``(n, K)``, float64, read-only.

        Parameters
        ----------
        run : str
            A key of :attr:`runs`.
        k : int
            Epoch.

        Returns
        -------
        numpy.ndarray
        """
        return self.runs[run].proba[k]

    def boundary_at(self, run: str, k: int) -> np.ndarray | None:
        """End points ``[[x1, x2], [x1, x2]]`` of the decision line at epoch *k* (logistic
        regression; NaN when it misses the domain), or None for softmax regression.

        Parameters
        ----------
        run : str
            A key of :attr:`runs`.
        k : int
            Epoch.

        Returns
        -------
        numpy.ndarray or None
        """
        seg = self.boundary.get(run)
        return None if seg is None else seg[k]


def _start_params(X, lab, n_classes, init):
    """Zero start, or a "confidently wrong" one pointing away from each class's mean."""
    if init == "zero":
        return np.zeros(3) if n_classes == 2 else np.zeros((3, n_classes))
    centre = X.mean(axis=0) if len(X) else np.zeros(2)
    if n_classes == 2:
        m0 = X[lab == 0].mean(axis=0) if np.any(lab == 0) else centre
        m1 = X[lab == 1].mean(axis=0) if np.any(lab == 1) else centre
        d = m1 - m0
        nd = np.linalg.norm(d)
        d = d / nd if nd > 0 else np.array([1.0, 0.0])
        w = -4.0 * d
        return np.array([w[0], w[1], -float(w @ (0.5 * (m0 + m1)))])
    W = np.zeros((3, n_classes))
    for k in range(n_classes):
        mk = X[lab == k].mean(axis=0) if np.any(lab == k) else centre
        d = mk - centre
        W[:2, k] = -3.0 * d
    return W


def _affine_grid(p: np.ndarray, g1: np.ndarray, g2: np.ndarray) -> np.ndarray:
    """``p[..., 0] g1 + p[..., 1] g2 + p[..., 2]`` for every grid point (last axis), by
    broadcasting (a (…, 3) @ (3, G²) matmul is slow for this shape on some BLAS builds)."""
    z = p[..., 0, None] * g1
    z += p[..., 1, None] * g2
    z += p[..., 2, None]
    return z


def _boundary_segments(params: np.ndarray, lim: float) -> np.ndarray:
    """End points of ``w1 x1 + w2 x2 + b = 0`` clipped to the square [−lim, lim]² per epoch."""
    w1, w2, b = params[:, 0], params[:, 1], params[:, 2]
    out = np.full((len(params), 2, 2), np.nan)
    with np.errstate(all="ignore"):
        # intersections with the four sides; keep those inside the square
        cands = []
        for x1 in (-lim, lim):
            cands.append(np.stack([np.full_like(w1, x1), -(b + w1 * x1) / w2], axis=1))
        for x2 in (-lim, lim):
            cands.append(np.stack([-(b + w2 * x2) / w1, np.full_like(w1, x2)], axis=1))
        C = np.stack(cands, axis=1)                                  # (E, 4, 2)
        ok = np.all(np.isfinite(C), axis=2) & np.all(np.abs(C) <= lim + 1e-9, axis=2)
    # the two admissible candidates farthest apart are the segment's ends
    d = np.linalg.norm(C[:, :, None, :] - C[:, None, :, :], axis=3)       # (E, 4, 4)
    both = ok[:, :, None] & ok[:, None, :]
    d = np.where(both, d, -1.0)
    flat = np.argmax(d.reshape(len(params), -1), axis=1)
    i, j = np.divmod(flat, 4)
    rows = np.arange(len(params))
    found = d.reshape(len(params), -1)[rows, flat] >= 0
    out[found, 0] = C[rows[found], i[found]]
    out[found, 1] = C[rows[found], j[found]]
    return out


def _logistic_grid(params: np.ndarray, G1: np.ndarray, G2: np.ndarray, size: int):
    """``compute(start, stop)``: float32 ``σ(w_1 x_1 + w_2 x_2 + b)`` on the grid."""
    def compute(start, stop):
        z = _affine_grid(params[start:stop].astype(np.float32), G1, G2)      # (m, G²)
        np.clip(z, -30.0, 30.0, out=z)     # σ(±30) is 0 or 1 in float32; avoids overflow
        with np.errstate(all="ignore"):
            return (1.0 / (1.0 + np.exp(-z))).reshape(-1, size, size)
    return compute


def _softmax_grid(params: np.ndarray, G1: np.ndarray, G2: np.ndarray, size: int):
    """``compute(start, stop)``: float32 class probabilities on the grid, ``(m, K, G, G)``."""
    k = params.shape[2]

    def compute(start, stop):
        # (m, K, G²) in float32: reductions over the short class axis stay contiguous
        z = _affine_grid(np.swapaxes(params[start:stop], 1, 2).astype(np.float32), G1, G2)
        with np.errstate(all="ignore"):
            z -= z.max(axis=1, keepdims=True)
            np.exp(z, out=z)
            z /= z.sum(axis=1, keepdims=True)
        return z.reshape(-1, k, size, size)
    return compute


def classifier_race(X, labels, n_classes, lr, epochs, init="zero", grid_size=48,
                    losses=None) -> ClassifierRace:
    """Train two losses side by side (logistic regression for 2 classes, softmax otherwise);
    by default MSE against CE.

    All runs start from the same parameters: zeros (``init="zero"``, every prediction ½ or
    1/K) or a confidently wrong start (``init="wrong"``: weights point away from each class's
    mean, so the model is saturated on the wrong answer -- where the quadratic cost stalls).
    Each run minimises its own loss of the family (:mod:`explorer.core.loss_family`) by
    full-batch gradient descent with the same learning rate.
    Probabilities on a ``grid_size × grid_size`` grid over ``[−4, 4]²`` are computed from the
    parameters when an epoch is asked for (:class:`EpochFrames`), so a long race needs memory
    for its parameters only (see :class:`ClassifierRace`).

    Parameters
    ----------
    X : array_like
        Inputs, shape ``(n, 2)``.
    labels : array_like
        Class indices, shape ``(n,)``.
    n_classes : int
        2 or more.
    lr : float
        Learning rate ``η > 0`` (the same for both runs).
    epochs : int
        Number of updates (0 to 1 000 000).
    init : {"zero", "wrong"}, optional
        Start parameters.
    grid_size : int, optional
        Resolution of the probability grid, 2 to 1024 (default 48).
    losses : dict, optional
        ``{run name: loss}`` with each loss a name or ``(name, parameters)``, e.g.
        ``{"ce": "ce", "focal": ("focal", {"gamma": 2.0})}``; 1 to 8 runs (default
        ``{"mse": "mse", "ce": "ce"}``).  The run names key :attr:`ClassifierRace.runs`.

    Returns
    -------
    ClassifierRace
    """
    if init not in ("zero", "wrong"):
        raise InputError("{name}: expected one of {expected}, got {value}", name="init",
                         expected="'zero', 'wrong'", value=describe(init))
    n_classes = _check_classes(n_classes)
    size = as_int(grid_size, "grid_size", 2, MAX_GRID)
    runs_spec = _check_runs(losses, BINARY_LOSSES if n_classes == 2 else MULTICLASS_LOSSES)
    X, lab = _check_data(X, labels, n_classes)
    start = _start_params(X, lab, n_classes, init)
    grid = np.linspace(-DATA_LIMIT, DATA_LIMIT, size)
    g1, g2 = np.meshgrid(grid, grid)                                   # row = x2, column = x1
    G1, G2 = g1.ravel().astype(np.float32), g2.ravel().astype(np.float32)
    runs, grid_proba, boundary = {}, {}, {}
    for loss, (name, params) in runs_spec.items():
        if n_classes == 2:
            h = train_logistic(X, lab, lr, epochs, name, theta0=start, **params)
            grid_proba[loss] = EpochFrames(len(h.loss), (size, size), np.float32,
                                           _logistic_grid(h.params, G1, G2, size))
            boundary[loss] = _boundary_segments(h.params, DATA_LIMIT)
            boundary[loss].setflags(write=False)
        else:
            h = train_softmax(X, lab, n_classes, lr, epochs, name, W0=start, **params)
            grid_proba[loss] = EpochFrames(len(h.loss), (n_classes, size, size), np.float32,
                                           _softmax_grid(h.params, G1, G2, size))
        runs[loss] = h
    return ClassifierRace(X=X, labels=lab, n_classes=n_classes, runs=runs, grid=grid,
                          grid_proba=grid_proba, boundary=boundary, losses=runs_spec)


# ----------------------------------------------------------------------------- free logits

@dataclass(frozen=True, eq=False)
class LogitHistory:
    """One run of :func:`softmax_race`: the logits of one sample trained directly.

    Every field is a read-only float64 array with one entry per state (entry ``k`` = after
    ``k`` updates, ``E = epochs``).

    Attributes
    ----------
    z : numpy.ndarray
        The logits, ``(E + 1, K)``.
    loss : numpy.ndarray
        ``L(z_k, y)``, ``(E + 1,)``.
    top_logit : numpy.ndarray
        The largest logit ``max_j z_j``.
    margin : numpy.ndarray
        The logit margin of the true class ``t``: ``z_t − max_{j≠t} z_j``.
    a_max : numpy.ndarray
        The confidence ``max_j softmax(z)_j``.
    target_prob : numpy.ndarray
        ``softmax(z)_t``.
    grad_norm : numpy.ndarray
        ``‖∂L/∂z‖`` at each state.
    """

    z: np.ndarray
    loss: np.ndarray
    top_logit: np.ndarray
    margin: np.ndarray
    a_max: np.ndarray
    target_prob: np.ndarray
    grad_norm: np.ndarray

    def __post_init__(self) -> None:
        for name in ("z", "loss", "top_logit", "margin", "a_max", "target_prob", "grad_norm"):
            arr = np.array(getattr(self, name), dtype=np.float64)
            arr.setflags(write=False)
            object.__setattr__(self, name, arr)

    @property
    def epochs(self) -> int:
        return len(self.loss) - 1


@dataclass(frozen=True, eq=False)
class SoftmaxRace:
    """The result of :func:`softmax_race`.

    Attributes
    ----------
    target : numpy.ndarray
        The target distribution ``y`` (one-hot for a class index), ``(K,)``.
    target_class : int
        ``t = argmax y``, the class whose margin is tracked.
    runs : dict
        ``{run: LogitHistory}``.
    losses : dict
        ``{run: (loss name, parameters)}``.
    limit_margin : dict
        ``{run: m*}``: the margin at the loss's minimum, where gradient descent converges --
        ``ln(y'_t / max_{j≠t} y'_j)`` for ``"ce"``, ``"mse"`` (``y' = y``) and ``"smoothed_ce"``
        (``y' = (1 − ε) y + ε/K``; for a one-hot ``y`` this is :func:`optimal_logit_margin`);
        ``inf`` for a one-hot ``y`` under ``"ce"``, ``"mse"`` and ``"focal"`` (the margin grows
        without bound, like ``log(epoch)``); NaN where there is no single limit (``"hinge"``:
        any margin ≥ 1 has loss 0; ``"focal"`` with a soft target).
    """

    target: np.ndarray
    target_class: int
    runs: dict
    losses: dict
    limit_margin: dict


def _limit_margin(name: str, p: dict, y: np.ndarray, t: int) -> float:
    k = y.size
    if name == "hinge":
        return math.nan
    onehot = bool(y[t] == 1.0)
    if name == "focal":
        return math.inf if onehot else math.nan
    ys = y * (1.0 - p["eps"]) + p["eps"] / k if name == "smoothed_ce" else y
    others = float(np.max(np.delete(ys, t)))
    if others == 0.0:
        return math.inf
    return math.log(float(ys[t])) - math.log(others)


#: up to this many logits the CE-family runs of :func:`softmax_race` step in plain Python floats
#: (a NumPy call per epoch costs more than the arithmetic of a few classes)
FAST_RACE_MAX_K = 32


def _ce_logit_descent(z0: np.ndarray, target: np.ndarray, lr: float, epochs: int) -> np.ndarray:
    """The logits of ``z ← z − η (softmax(z) − target)`` at epochs 0 … *epochs*, ``(epochs + 1,
    K)``: the gradient of (smoothed) cross-entropy for one sample, with the softmax taken after
    subtracting the largest logit (every exponent ≤ 0, no overflow)."""
    zl = [float(v) for v in z0]
    yl = [float(v) for v in target]
    rows = [zl]
    exp = math.exp
    for _ in range(epochs):
        top = max(zl)
        ex = [exp(v - top) for v in zl]
        total = sum(ex)
        zl = [v - lr * (x / total - t) for v, x, t in zip(zl, ex, yl)]
        rows.append(zl)
    return np.array(rows, dtype=np.float64)


def softmax_race(z0, target, lr, epochs, losses=None) -> SoftmaxRace:
    """Train the logits of one sample directly, ``z ← z − η ∂L/∂z``, with two (or more) losses:
    the logit-growth experiment.

    With a one-hot target, cross-entropy ``L = −ln softmax(z)_t`` is only matched by
    ``z_t − z_j → ∞``: its gradient ``softmax(z) − y`` never vanishes, the margin grows like
    ``log(epoch)`` and the loss approaches 0 without reaching it.  With label smoothing ε the
    target is ``y_ε = (1 − ε) y + ε/K`` and the margin converges to the finite
    ``ln((1 − ε + ε/K) · K / ε)`` (:func:`~explorer.core.optimal_logit_margin`).  The sum of
    the logits stays what it was: every gradient of the family sums to 0 over the classes
    (the softmax losses depend on ``z`` only up to a constant shift; the hinge adds and
    removes the same ``y_t`` per violated margin).

    Parameters
    ----------
    z0 : array_like
        Start logits, ``(K,)`` with ``K ≥ 2``.
    target : int or array_like
        The true class index, or a target distribution ``(K,)``.
    lr : float
        Learning rate ``η > 0``.
    epochs : int
        Number of updates (``(epochs + 1) · K`` at most 20 000 000).
    losses : dict, optional
        ``{run name: loss}`` (a name or ``(name, parameters)``, 1 to 8 runs); default
        ``{"ce": "ce", "smoothed_ce": ("smoothed_ce", {"eps": 0.1})}``.

    Returns
    -------
    SoftmaxRace
        Per run the logits, loss, largest logit, margin, confidence ``max a`` and ``a_t`` at
        every epoch, and the limit margin.
    """
    z = np.array(as_float_array(z0, "z0", min_ndim=1, max_ndim=1), dtype=np.float64)
    k = z.size
    if k < 2:
        raise InputError("{name}: needs at least 2 logits (got {size})", name="z0", size=k)
    y = _class_targets(target, z, "target")
    t = int(np.argmax(y))
    lr, epochs = _check_lr(lr), _check_epochs(epochs)
    if (epochs + 1) * k > MAX_LOGIT_HISTORY:
        raise InputError("{name}: ({name} + 1) × {k} logits exceed {limit} numbers (got {value})",
                         name="epochs", k=k, limit=MAX_LOGIT_HISTORY, value=epochs)
    runs_spec = _check_runs(
        losses if losses is not None else {"ce": "ce", "smoothed_ce": ("smoothed_ce", {"eps": 0.1})},
        MULTICLASS_LOSSES)
    y2 = y[None, :]
    others = np.arange(k) != t
    runs, limits = {}, {}
    for run, (name, p) in runs_spec.items():
        if name in ("ce", "smoothed_ce") and k <= FAST_RACE_MAX_K:
            Z = _ce_logit_descent(z, y if name == "ce" else y * (1.0 - p["eps"]) + p["eps"] / k,
                                  lr, epochs)
        else:
            Z = np.empty((epochs + 1, k))
            zk = z.copy()
            with np.errstate(all="ignore"):
                for e in range(epochs + 1):
                    Z[e] = zk
                    _, g = _multiclass_array(name, zk[None, :], y2, p, need_loss=False)
                    zk = zk - lr * g[0]
        L = np.empty(epochs + 1)
        norms = np.empty(epochs + 1)
        a_max = np.empty(epochs + 1)
        a_t = np.empty(epochs + 1)
        step = max(1, 200_000 // k)
        for s in range(0, epochs + 1, step):
            blk = Z[s:s + step]
            Yb = np.broadcast_to(y2, blk.shape)
            with np.errstate(all="ignore"):
                Lb, Gb = _multiclass_array(name, blk, Yb, p)
                P = _softmax_rows(blk)
            L[s:s + step] = np.maximum(Lb, 0.0)
            norms[s:s + step] = np.sqrt(np.einsum("ij,ij->i", Gb, Gb))
            a_max[s:s + step] = P.max(axis=1)
            a_t[s:s + step] = P[:, t]
        margin = Z[:, t] - Z[:, others].max(axis=1)
        runs[run] = LogitHistory(z=Z, loss=L, top_logit=Z.max(axis=1), margin=margin,
                                 a_max=a_max, target_prob=a_t, grad_norm=norms)
        limits[run] = _limit_margin(name, p, y, t)
    y.setflags(write=False)
    return SoftmaxRace(target=y, target_class=t, runs=runs, losses=runs_spec,
                       limit_margin=limits)


# ----------------------------------------------------------------------------- export

def trajectory_table(histories=None, race=None):
    """Rows of a trajectory table (for CSV export): one row per epoch, MSE and CE side by side.

    Parameters
    ----------
    histories : dict, optional
        ``{"mse": NeuronHistory, "ce": NeuronHistory}`` from :func:`train_neuron`; columns
        ``epoch`` and, per run, ``w, b, z, a, loss, grad_w, grad_b``.
    race : ClassifierRace, optional
        Used when ``histories`` is None; columns ``epoch`` and, per run, ``loss, accuracy,
        grad_norm`` and every parameter (``w1, w2, b`` or ``w1_k, w2_k, b_k`` per class k).

    Returns
    -------
    (list of str, list of list of float)
        Header and rows; row ``k`` describes the state after ``k`` updates.
    """
    if histories is not None:
        fields = ("w", "b", "z", "a", "loss", "grad_w", "grad_b")
        runs = list(histories)
        header = ["epoch"] + [f"{f}_{r}" for r in runs for f in fields]
        cols = [np.asarray(getattr(histories[r], f)) for r in runs for f in fields]
    elif race is not None:
        runs = list(race.runs)
        header, cols = ["epoch"], []
        for r in runs:
            h = race.runs[r]
            header += [f"loss_{r}", f"accuracy_{r}", f"grad_norm_{r}"]
            cols += [h.loss, h.accuracy, h.grad_norm]
            p = h.params.reshape(len(h.loss), 3, -1)
            for k in range(p.shape[2]):
                suffix = "" if p.shape[2] == 1 else f"_{k}"
                for i, name in enumerate(("w1", "w2", "b")):
                    header.append(f"{name}{suffix}_{r}")
                    cols.append(p[:, i, k])
    else:
        raise InputError("{name}: give either {first} or {second}", name="histories",
                         first="histories", second="race")
    n = min(len(c) for c in cols)
    rows = [[k] + [float(c[k]) for c in cols] for k in range(n)]
    return header, rows

