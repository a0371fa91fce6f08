"""Loss functions used in the neural-network views: quadratic (MSE), binary
cross-entropy and categorical cross-entropy, plus the softmax/cross-entropy
gradient.  All losses use natural logarithms (nats).
"""

from __future__ import annotations

import numpy as np

from .activations import softmax
from .errors import InputError
from .loss_family import _check_smoothing, _class_targets
from .validation import (
    as_float_array,
    check_eps,
    check_probabilities,
    check_rows_sum_to_one,
    check_same_shape,
)

__all__ = [
    "binary_cross_entropy",
    "categorical_cross_entropy",
    "mse_loss",
    "softmax_cross_entropy_gradient",
]


def _neg_log(x: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return -np.log(x)


def mse_loss(y, a) -> float:
    """Quadratic (mean squared error) cost, Nielsen's convention.

    Computes ``L = 1/(2n) Σ_x ‖a(x) - y(x)‖²``, i.e. the mean over samples
    of ``½ ‖a - y‖²``:

    * scalar ``y``, ``a``: ``½ (a - y)²``;
    * 1-D arrays: every entry is one sample with a single output,
      ``L = mean_i ½ (a_i - y_i)²``;
    * 2-D arrays ``(n_samples, n_outputs)``: squared errors are **summed
      over the outputs (columns)** and **averaged over the rows**.

    Parameters
    ----------
    y : array_like or float
        Targets in [0, 1].
    a : array_like or float
        Outputs (activations) in [0, 1], same shape as ``y``.

    Returns
    -------
    float
        The cost ``L >= 0``.
    """
    y = check_probabilities(y, "y", max_ndim=2)
    a = check_probabilities(a, "a", max_ndim=2)
    check_same_shape(y, "y", a, "a")
    sq = 0.5 * (a - y) ** 2
    if sq.ndim == 2:
        return float(np.mean(np.sum(sq, axis=1)))
    return float(np.mean(sq))


def binary_cross_entropy(y, a, eps=None) -> float:
    """Binary cross-entropy (log loss), averaged over all entries.

    Computes ``L = mean_i -[y_i ln a_i + (1 - y_i) ln(1 - a_i)]``.  Terms whose
    coefficient (``y_i`` resp. ``1 - y_i``) is 0 contribute exactly 0, so
    ``y_i = 1, a_i = 0`` (or ``y_i = 0, a_i = 1``) gives ``+inf`` unless
    ``eps`` is given.  Soft targets ``0 < y_i < 1`` are allowed.

    Parameters
    ----------
    y : array_like or float
        Targets in [0, 1].
    a : array_like or float
        Predicted probabilities in [0, 1], same shape as ``y``.
    eps : float, optional
        If given (0 < eps < 0.5), ``a`` is clipped to ``[eps, 1 - eps]`` first
        (as scikit-learn's ``log_loss``).

    Returns
    -------
    float
        The mean loss in nats.
    """
    y = check_probabilities(y, "y")
    a = check_probabilities(a, "a")
    check_same_shape(y, "y", a, "a")
    e = check_eps(eps)
    if e is not None:
        a = np.clip(a, e, 1.0 - e)
    y = y.reshape(-1)
    a = a.reshape(-1)
    terms = np.zeros_like(y)
    m1 = y > 0
    terms[m1] += y[m1] * _neg_log(a[m1])
    m0 = y < 1
    terms[m0] += (1.0 - y[m0]) * _neg_log(1.0 - a[m0])
    return float(np.mean(terms)) + 0.0


def categorical_cross_entropy(y, a, eps=None) -> float:
    """Categorical cross-entropy, averaged over samples.

    Computes ``L = mean_rows -Σ_j y_j ln a_j``.  A 1-D input is a single
    sample.  Terms with ``y_j = 0`` are exactly 0; ``a_j = 0 < y_j`` gives
    ``+inf`` unless ``eps`` is given.

    Parameters
    ----------
    y : array_like
        Targets, 1-D ``(n_classes,)`` or 2-D ``(n_samples, n_classes)``;
        entries in [0, 1], each row summing to 1 (one-hot or soft labels).
    a : array_like
        Predicted distributions, same shape as ``y``; entries in [0, 1],
        each row summing to 1 within 1e-9.
    eps : float, optional
        If given (0 < eps < 0.5), ``a`` is clipped to ``[eps, 1 - eps]``
        (no renormalisation).

    Returns
    -------
    float
        The mean loss in nats.
    """
    y = check_probabilities(y, "y", max_ndim=2)
    a = check_probabilities(a, "a", max_ndim=2)
    for arr, name in ((y, "y"), (a, "a")):
        if arr.ndim == 0:
            raise InputError("{name}: must be 1-D or 2-D (got a scalar)", name=name)
    check_same_shape(y, "y", a, "a")
    check_rows_sum_to_one(y, "y")
    check_rows_sum_to_one(a, "a")
    e = check_eps(eps)
    if e is not None:
        a = np.clip(a, e, 1.0 - e)
    y2 = np.atleast_2d(y)
    a2 = np.atleast_2d(a)
    terms = np.zeros_like(y2)
    m = y2 > 0
    terms[m] = y2[m] * _neg_log(a2[m])
    return float(np.mean(np.sum(terms, axis=1))) + 0.0


def softmax_cross_entropy_gradient(z, y, label_smoothing=0.0) -> np.ndarray:
    """Gradient of softmax + cross-entropy with respect to the logits.

    For ``L(z) = -Σ_j y'_j ln softmax(z)_j`` with ``y' = (1 − ε) y + ε/K`` (label smoothing
    ``ε``, 0 by default) and ``Σ_j y_j = 1`` this is ``∂L/∂z = softmax(z) - y'``.

    Parameters
    ----------
    z : array_like
        Finite logits, 1-D ``(n_classes,)`` or 2-D ``(n_samples, n_classes)``.
    y : array_like
        Targets of the same shape (one-hot or soft), entries in [0, 1], each
        row summing to 1 within 1e-9; or integer class indices of shape ``z.shape[:-1]``.
    label_smoothing : float, optional
        ``ε ∈ [0, 1]`` (default 0), as in :func:`~explorer.core.softmax_cross_entropy`.

    Returns
    -------
    numpy.ndarray
        ``softmax(z) - y'`` with the shape of ``z``.  For 2-D input each row is
        the gradient of that row's own loss (divide by ``n_samples`` for the
        gradient of the mean loss).
    """
    e = _check_smoothing(label_smoothing, "label_smoothing")
    z = as_float_array(z, "z", min_ndim=1, max_ndim=2)
    y = _class_targets(y, z)
    if e:
        y = (1.0 - e) * y + e / z.shape[-1]
    return softmax(z, axis=-1) - y
