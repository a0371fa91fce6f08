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

Parameters are stored with the bias last: ``θ = (w_1, w_2, b)`` for logistic regression and a
``(3, K)`` matrix (rows ``x_1``, ``x_2``, bias) for softmax regression.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np

from .validation import _fmt, as_float_array

__all__ = [
    "ClassifierHistory",
    "ClassifierRace",
    "classifier_race",
    "landscape_bounds",
    "logistic_loss_and_gradient",
    "make_blobs",
    "neuron_loss_landscape",
    "softmax_loss_and_gradient",
    "train_logistic",
    "train_softmax",
    "trajectory_table",
]

CLASSIFIER_LOSSES = ("mse", "ce")
#: Half-width of the square data domain used by :func:`make_blobs` and the probability grids.
DATA_LIMIT = 4.0


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


def _check_loss(loss, allowed=CLASSIFIER_LOSSES) -> str:
    if not isinstance(loss, str) or loss not in allowed:
        raise ValueError(f"loss: unknown loss {loss!r} (expected {' or '.join(map(repr, allowed))})")
    return loss


def _check_epochs(epochs) -> int:
    if isinstance(epochs, bool) or not isinstance(epochs, numbers.Integral) or epochs < 0:
        raise ValueError(f"epochs: must be a non-negative integer (got {epochs!r})")
    return int(epochs)


def _check_lr(lr) -> float:
    lr = float(as_float_array(lr, "lr"))
    if lr <= 0:
        raise ValueError(f"lr: must be positive (got {_fmt(lr)})")
    return lr


def _check_data(X, labels, n_classes: int):
    X = as_float_array(X, "X", min_ndim=2, max_ndim=2)
    if X.shape[1] != 2:
        raise ValueError(f"X: expected shape (n, 2), got {X.shape}")
    lab = np.asarray(labels)
    if lab.shape != (X.shape[0],):
        raise ValueError(f"labels: expected {X.shape[0]} labels, got shape {lab.shape}")
    if lab.size and (not np.all(np.isfinite(lab.astype(float))) or np.any(lab != np.round(lab))
                     or lab.min() < 0 or lab.max() >= n_classes):
        raise ValueError(f"labels: must be integers 0..{n_classes - 1}")
    return X, lab.astype(np.intp)


def _augment(X: np.ndarray) -> np.ndarray:
    """``[x_1, x_2, 1]`` rows (bias last)."""
    return np.hstack([X, np.ones((X.shape[0], 1))])


# ----------------------------------------------------------------------------- single neuron

def neuron_loss_landscape(w, b, x, y, loss) -> np.ndarray:
    """Cost of a single sigmoid neuron ``a = σ(w x + b)`` on a grid of ``(w, b)``.

    ``C(w_j, b_i)`` with ``z = w_j x + b_i``:

    * ``"mse"``: ``C = ½ (σ(z) − y)²``;
    * ``"ce"`` (and ``"ce_book"``, which has the same cost and differs only in its step):
      ``C = −[y ln σ(z) + (1 − y) ln(1 − σ(z))] = y·softplus(−z) + (1 − y)·softplus(z)``,
      evaluated without overflow.

    For array ``x``, ``y`` (several samples) the cost is the sample mean.

    Parameters
    ----------
    w, b : array_like
        1-D grids of weights (columns) and biases (rows).
    x : float or array_like
        Input(s), finite.
    y : float or array_like
        Target(s) in [0, 1], same shape as ``x`` (a scalar broadcasts).
    loss : {"mse", "ce", "ce_book"}
        Cost function.

    Returns
    -------
    numpy.ndarray
        float64 array of shape ``(len(b), len(w))``: row ``i`` is bias ``b[i]``, column ``j``
        weight ``w[j]`` (image layout: ``b`` vertical, ``w`` horizontal).
    """
    loss = _check_loss(loss, ("mse", "ce", "ce_book"))
    wg = as_float_array(w, "w", min_ndim=1, max_ndim=1)
    bg = as_float_array(b, "b", min_ndim=1, max_ndim=1)
    xa = as_float_array(x, "x", max_ndim=1).reshape(-1)
    ya = as_float_array(y, "y", max_ndim=1).reshape(-1)
    if np.any((ya < 0) | (ya > 1)):
        raise ValueError("y: targets must lie in [0, 1]")
    xa, ya = np.broadcast_arrays(xa, ya)
    out = np.zeros((bg.size, wg.size))
    with np.errstate(all="ignore"):
        for xi, yi in zip(xa, ya):
            z = bg[:, None] + wg[None, :] * xi
            if loss == "mse":
                out += 0.5 * (_sigmoid(z) - yi) ** 2
            else:
                out += yi * _softplus(-z) + (1.0 - yi) * _softplus(z)
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
    out = []
    for v in (np.asarray(ws, float).ravel(), np.asarray(bs, float).ravel()):
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
    if isinstance(count, bool) or not isinstance(count, numbers.Integral) or not 1 <= count <= 500:
        raise ValueError(f"count: expected an integer 1 to 500, got {count!r}")
    overlap = float(as_float_array(overlap, "overlap"))
    if not 0 <= overlap <= 1:
        raise ValueError(f"overlap: must be in [0, 1], got {_fmt(overlap)}")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed: expected a non-negative integer, got {seed!r}")
    if isinstance(n_classes, bool) or not isinstance(n_classes, numbers.Integral) or not 2 <= n_classes <= 6:
        raise ValueError(f"n_classes: expected an integer 2 to 6, got {n_classes!r}")
    rng = np.random.default_rng(int(seed))
    theta = np.pi / 6 + 2 * np.pi * np.arange(n_classes) / n_classes
    centres = 1.6 * np.column_stack([np.cos(theta), np.sin(theta)])
    spread = 0.3 + 1.2 * overlap
    X = np.concatenate([c + spread * rng.standard_normal((count, 2)) for c in centres])
    labels = np.repeat(np.arange(n_classes), count)
    return np.clip(X, -DATA_LIMIT, DATA_LIMIT), labels


# ----------------------------------------------------------------------------- losses + gradients

def _logistic_eval(theta, Xa, t, loss):
    z = Xa @ theta
    n = Xa.shape[0]
    e = np.exp(-np.abs(z))
    r = 1.0 / (1.0 + e)
    a = np.where(z >= 0, r, e * r)                       # σ(z) without overflow
    d = a - t
    if loss == "mse":
        cost = 0.5 * float(d @ d) / n
        dz = d * a * (1.0 - a) / n
    else:
        # t softplus(−z) + (1 − t) softplus(z) = ln(1 + e^−|z|) + max(z, 0) − t z
        cost = float(np.sum(np.log1p(e) + np.maximum(z, 0.0) - t * z)) / n
        dz = d / n
    return cost, Xa.T @ dz, a


def logistic_loss_and_gradient(theta, X, labels, loss):
    """Cost and gradient of logistic regression ``a_i = σ(w_1 x_i1 + w_2 x_i2 + b)``.

    ``"mse"``: ``C = 1/n Σ ½(a_i − t_i)²``; ``"ce"``: ``C = −1/n Σ [t_i ln a_i + (1 − t_i)
    ln(1 − a_i)]``.  The gradient is ``∂C/∂θ = Σ_i (∂C/∂z_i) (x_i1, x_i2, 1)`` with
    ``∂C/∂z_i = (a_i − t_i) σ'(z_i)/n`` (MSE) or ``(a_i − t_i)/n`` (CE).

    Parameters
    ----------
    theta : array_like
        ``(w_1, w_2, b)``.
    X : array_like
        Inputs, shape ``(n, 2)``.
    labels : array_like
        Targets ``t_i`` in {0, 1}, shape ``(n,)``.
    loss : {"mse", "ce"}
        Cost function.

    Returns
    -------
    (float, numpy.ndarray)
        The mean cost and its gradient, shape ``(3,)``.
    """
    loss = _check_loss(loss)
    X, lab = _check_data(X, labels, 2)
    theta = as_float_array(theta, "theta", min_ndim=1, max_ndim=1)
    if theta.shape != (3,):
        raise ValueError(f"theta: expected 3 values (w1, w2, b), got {theta.size}")
    with np.errstate(all="ignore"):
        cost, grad, _ = _logistic_eval(theta, _augment(X), lab.astype(float), loss)
    return cost, grad


def _softmax_eval(W, Xa, Y, loss):
    n = Xa.shape[0]
    s = Xa @ W
    s -= s.max(axis=1, keepdims=True)
    e = np.exp(s)
    tot = e.sum(axis=1, keepdims=True)
    P = e / tot
    if loss == "ce":
        cost = -float(np.sum(Y * (s - np.log(tot)))) / n          # −1/n Σ ln p_{i,t_i}
        dZ = (P - Y) / n
    else:
        G = P - Y
        cost = 0.5 * float(np.sum(G * G)) / n
        dZ = P * (G - np.sum(P * G, axis=1, keepdims=True)) / n
    return cost, Xa.T @ dZ, P


def softmax_loss_and_gradient(W, X, labels, loss):
    """Cost and gradient of softmax regression ``p_i = softmax(W_{:2}ᵀ x_i + W_2)``.

    With one-hot ``y_i``: ``"ce"``: ``C = −1/n Σ ln p_{i,t_i}`` and ``∂C/∂z_i = (p_i − y_i)/n``;
    ``"mse"``: ``C = 1/n Σ ½‖p_i − y_i‖²`` and ``∂C/∂z_i = p_i ⊙ (g_i − p_i·g_i)/n``,
    ``g_i = p_i − y_i``.  Then ``∂C/∂W = Σ_i (x_i1, x_i2, 1)ᵀ ∂C/∂z_i``.

    Parameters
    ----------
    W : array_like
        Weights, shape ``(3, K)``: rows ``x_1``, ``x_2`` and bias.
    X : array_like
        Inputs, shape ``(n, 2)``.
    labels : array_like
        Class indices 0..K−1, shape ``(n,)``.
    loss : {"mse", "ce"}
        Cost function.

    Returns
    -------
    (float, numpy.ndarray)
        The mean cost and its gradient, shape ``(3, K)``.
    """
    loss = _check_loss(loss)
    W = as_float_array(W, "W", min_ndim=2, max_ndim=2)
    if W.shape[0] != 3 or W.shape[1] < 2:
        raise ValueError(f"W: expected shape (3, K) with K >= 2, got {W.shape}")
    X, lab = _check_data(X, labels, W.shape[1])
    Y = np.eye(W.shape[1])[lab]
    with np.errstate(all="ignore"):
        cost, grad, _ = _softmax_eval(W, _augment(X), Y, loss)
    return cost, grad


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
    proba : numpy.ndarray
        Predicted probabilities of every training point at every state: ``(epochs + 1, n)``
        (``P(class 1)``) or ``(epochs + 1, n, K)``.
    grad_norm : numpy.ndarray
        Euclidean norm of the gradient at each state, ``(epochs + 1,)``.
    """

    params: np.ndarray
    loss: np.ndarray
    accuracy: np.ndarray
    proba: np.ndarray
    grad_norm: np.ndarray

    def __post_init__(self) -> None:
        for name in ("params", "loss", "accuracy", "proba", "grad_norm"):
            arr = np.array(getattr(self, name), dtype=np.float64)
            arr.setflags(write=False)
            object.__setattr__(self, name, arr)

    @property
    def epochs(self) -> int:
        return len(self.loss) - 1


def _gd(evaluate, theta0, lr, epochs):
    """Plain gradient descent; returns stacked params, costs, probabilities, grad norms."""
    theta = np.array(theta0, dtype=np.float64)
    params, costs, probs, norms = [], [], [], []
    with np.errstate(all="ignore"):
        for k in range(epochs + 1):
            cost, grad, prob = evaluate(theta)
            params.append(theta.copy())
            costs.append(cost)
            probs.append(prob)
            norms.append(math.sqrt(float(np.vdot(grad, grad))))
            theta = theta - lr * grad
    return np.array(params), np.array(costs), np.array(probs), np.array(norms)


def train_logistic(X, labels, lr, epochs, loss, theta0=None) -> ClassifierHistory:
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
        Number of updates (>= 0).
    loss : {"mse", "ce"}
        Cost function.
    theta0 : array_like, optional
        Start ``(w_1, w_2, b)`` (default zeros).

    Returns
    -------
    ClassifierHistory
        ``params`` of shape ``(epochs + 1, 3)``; ``accuracy`` counts ``a_i ≥ ½`` as class 1.
    """
    loss = _check_loss(loss)
    X, lab = _check_data(X, labels, 2)
    if X.shape[0] == 0:
        raise ValueError("X: needs at least one point")
    lr, epochs = _check_lr(lr), _check_epochs(epochs)
    theta0 = np.zeros(3) if theta0 is None else as_float_array(theta0, "theta0", min_ndim=1, max_ndim=1)
    if theta0.shape != (3,):
        raise ValueError(f"theta0: expected 3 values (w1, w2, b), got {theta0.size}")
    Xa, t = _augment(X), lab.astype(float)
    params, costs, probs, norms = _gd(lambda th: _logistic_eval(th, Xa, t, loss), theta0, lr, epochs)
    acc = np.mean((probs >= 0.5) == (lab == 1)[None, :], axis=1)
    return ClassifierHistory(params=params, loss=costs, accuracy=acc, proba=probs, grad_norm=norms)


def train_softmax(X, labels, n_classes, lr, epochs, loss, W0=None) -> ClassifierHistory:
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
        Number of updates (>= 0).
    loss : {"mse", "ce"}
        Cost function.
    W0 : array_like, optional
        Start weights, shape ``(3, K)`` (default zeros: every class ``1/K``).

    Returns
    -------
    ClassifierHistory
        ``params`` of shape ``(epochs + 1, 3, K)``; ``proba`` ``(epochs + 1, n, K)``; accuracy
        by arg-max.
    """
    loss = _check_loss(loss)
    if isinstance(n_classes, bool) or not isinstance(n_classes, numbers.Integral) or n_classes < 2:
        raise ValueError(f"n_classes: expected an integer >= 2, got {n_classes!r}")
    X, lab = _check_data(X, labels, int(n_classes))
    if X.shape[0] == 0:
        raise ValueError("X: needs at least one point")
    lr, epochs = _check_lr(lr), _check_epochs(epochs)
    W0 = np.zeros((3, n_classes)) if W0 is None else as_float_array(W0, "W0", min_ndim=2, max_ndim=2)
    if W0.shape != (3, n_classes):
        raise ValueError(f"W0: expected shape (3, {n_classes}), got {W0.shape}")
    Xa, Y = _augment(X), np.eye(n_classes)[lab]
    params, costs, probs, norms = _gd(lambda W: _softmax_eval(W, Xa, Y, loss), W0, lr, epochs)
    acc = np.mean(np.argmax(probs, axis=2) == lab[None, :], axis=1)
    return ClassifierHistory(params=params, loss=costs, accuracy=acc, proba=probs, grad_norm=norms)


# ----------------------------------------------------------------------------- a whole race

@dataclass(frozen=True, eq=False)
class ClassifierRace:
    """MSE and CE trained on the same data from the same start, ready to animate.

    Attributes
    ----------
    X, labels : numpy.ndarray
        The data, ``(n, 2)`` and ``(n,)``.
    n_classes : int
        2 (logistic regression) or K (softmax regression).
    runs : dict
        ``{"mse": ClassifierHistory, "ce": ClassifierHistory}``.
    grid : numpy.ndarray
        1-D coordinates of the probability grid (same for x_1 and x_2).
    grid_proba : dict
        Per loss: float32 probabilities on the grid at every epoch, ``(epochs + 1, G, G)``
        (``P(class 1)``; row = x_2, column = x_1) or ``(epochs + 1, K, G, G)``.
    boundary : dict
        Logistic only: per loss ``(epochs + 1, 2, 2)`` end points ``[[x1, x2], [x1, x2]]`` of
        the decision line ``w_1 x_1 + w_2 x_2 + b = 0`` inside the domain (NaN when the line
        misses the domain or the weights vanish).
    """

    X: np.ndarray
    labels: np.ndarray
    n_classes: int
    runs: dict
    grid: np.ndarray
    grid_proba: dict
    boundary: dict


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


def classifier_race(X, labels, n_classes, lr, epochs, init="zero", grid_size=48) -> ClassifierRace:
    """Train MSE and CE side by side (logistic regression for 2 classes, softmax otherwise).

    Both runs start from the same parameters: zeros (``init="zero"``, every prediction ½ or
    1/K) or a confidently wrong start (``init="wrong"``: weights point away from each class's
    mean, so the model is saturated on the wrong answer -- where the quadratic cost stalls).
    Probabilities on a ``grid_size × grid_size`` grid over ``[−4, 4]²`` are precomputed for
    every epoch so that an animation only indexes arrays.

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
        Number of updates.
    init : {"zero", "wrong"}, optional
        Start parameters.
    grid_size : int, optional
        Resolution of the probability grid (default 48).

    Returns
    -------
    ClassifierRace
    """
    if init not in ("zero", "wrong"):
        raise ValueError(f"init: expected 'zero' or 'wrong', got {init!r}")
    if isinstance(n_classes, bool) or not isinstance(n_classes, numbers.Integral) or n_classes < 2:
        raise ValueError(f"n_classes: expected an integer >= 2, got {n_classes!r}")
    n_classes = int(n_classes)
    X, lab = _check_data(X, labels, n_classes)
    start = _start_params(X, lab, n_classes, init)
    grid = np.linspace(-DATA_LIMIT, DATA_LIMIT, int(grid_size))
    g1, g2 = np.meshgrid(grid, grid)                                   # row = x2, column = x1
    G1, G2 = g1.ravel().astype(np.float32), g2.ravel().astype(np.float32)
    runs, grid_proba, boundary = {}, {}, {}
    for loss in CLASSIFIER_LOSSES:
        if n_classes == 2:
            h = train_logistic(X, lab, lr, epochs, loss, theta0=start)
            z = _affine_grid(h.params.astype(np.float32), G1, G2)          # (E+1, G²)
            np.clip(z, -30.0, 30.0, out=z)     # σ(±30) is 0 or 1 in float32; avoids overflow
            with np.errstate(all="ignore"):
                grid_proba[loss] = (1.0 / (1.0 + np.exp(-z))).reshape(-1, grid.size, grid.size)
            boundary[loss] = _boundary_segments(h.params, DATA_LIMIT)
        else:
            h = train_softmax(X, lab, n_classes, lr, epochs, loss, W0=start)
            # (E+1, K, G²) in float32: reductions over the short class axis stay contiguous
            z = _affine_grid(np.swapaxes(h.params, 1, 2).astype(np.float32), G1, G2)
            with np.errstate(all="ignore"):
                z -= z.max(axis=1, keepdims=True)
                np.exp(z, out=z)
                z /= z.sum(axis=1, keepdims=True)
            grid_proba[loss] = z.reshape(-1, n_classes, grid.size, grid.size)
        runs[loss] = h
    return ClassifierRace(X=X, labels=lab, n_classes=n_classes, runs=runs, grid=grid,
                          grid_proba=grid_proba, boundary=boundary)


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
        raise ValueError("histories: give either histories or race")
    n = min(len(c) for c in cols)
    rows = [[k] + [float(c[k]) for c in cols] for k in range(n)]
    return header, rows

