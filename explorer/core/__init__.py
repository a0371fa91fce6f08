"""Numeric core of Cross-Entropy Explorer (pure numpy, no GUI imports).

Everything here uses float64; functions returning a single number return a
Python ``float``.  Elementwise functions return a float for scalar input and
an ndarray otherwise.

Losses on logits
----------------
:mod:`explorer.core.loss_family` computes MSE, cross-entropy, focal, hinge and label-smoothed
cross-entropy from the logit (sigmoid: :func:`binary_loss`, softmax: :func:`multiclass_loss`,
their gradients, :func:`softmax_cross_entropy` in PyTorch's convention), stable for
``|z| ≤ 1e3``; every training function takes any of them (``loss=`` and its parameters, or
``losses={run: loss}`` for a race).

Logarithm base
--------------
Information quantities take ``base``: ``None`` = natural log (nats), ``2`` =
bits, ``10`` = bans (hartleys); any positive base other than 1 is accepted,
anything else raises ``ValueError``.  Losses (MSE, BCE, CCE) use nats.

Conventions
-----------
* **Zero model probability.** Where ``q_i = 0 < p_i`` (or a predicted
  probability ``a`` is 0 where the target is positive) the cross-entropy,
  KL divergence or loss is ``+inf`` -- never NaN, and no ``RuntimeWarning``
  is emitted -- unless ``eps`` is given.
* **eps clipping.** With ``eps`` (which must lie in (0, 0.5)), ``q`` (or
  ``a``) is clipped to ``[eps, 1 - eps]`` before taking logs, without
  renormalisation, as scikit-learn's ``log_loss`` does.  ``p`` / ``y`` are
  never clipped.
* **Zero true probability.** Terms with ``p_i = 0`` contribute exactly 0
  (``0 log 0 = 0`` and ``0 log(0/0) = 0``), even when ``q_i = 0``.
* **Validation.** Invalid input raises :class:`explorer.core.errors.InputError` -- a
  ``ValueError`` carrying an English ``template`` and its ``fields`` so the interface can show
  it translated -- whose message starts with the argument name and states the problem, e.g.
  ``"q: entries must be non-negative (q[2] = -0.1)"`` or ``"p: must sum to 1 (sum = 0.9)"``.
  Checked: negative, NaN or inf entries; probabilities above 1; shape mismatch; distributions
  (and rows of ``y``/``a`` in categorical cross-entropy) whose sum is off 1 by more than
  1e-9; empty arrays; unknown loss names; ``eps`` outside (0, 0.5); bad ``base``;
  non-positive ``temperature``.  Only real numbers are numbers: text (also ``"0.5"``), complex
  values (also ``0.5 + 0j``) and integers too large for a float (``10**400``) are refused with
  that same kind of message, never an ``OverflowError`` or ``TypeError``.
* **Within the tolerance.** A distribution off 1 by up to 1e-9 is used as given, and each
  result is clamped to its mathematical range (``H ≥ 0``, ``D_KL ≥ 0`` without ``eps``,
  ``0 ≤ JS ≤ log_b 2``), so ``entropy([1 + 1e-15, 0])`` is 0, not ``-1.1e-15``.
* **Tiny numbers.** A subnormal ``q_i`` (``5e-324``) is a positive probability: ``H(p, q)``
  and ``D_KL(p || q)`` are finite and ``H(p, q) = H(p) + D_KL(p || q)`` holds.  The bar-editing
  rules treat unlocked masses below :data:`MASS_FLOOR` (the smallest normal float) as 0.
* **Numerical stability.** ``sigmoid``, ``sigmoid_derivative`` and
  ``softmax`` are overflow-free for any finite input (e.g. ``|z| = 1e3``);
  ``σ′(z) ≤ ¼`` exactly.  Training trajectories never contain NaN: parameters and
  gradients that would overflow stop at ±(largest float).
"""

from .activations import (
    logits_from_probs,
    sigmoid,
    sigmoid_derivative,
    softmax,
    softmax_jacobian,
)
from .information import (
    binary_entropy,
    cross_entropy,
    entropy,
    information_summary,
    information_terms,
    js_divergence,
    kl_divergence,
    normalize,
    self_information,
)
from .loss_family import (
    BINARY_LOSSES,
    LOSS_PARAMETERS,
    MULTICLASS_LOSSES,
    binary_loss,
    binary_loss_and_grad,
    binary_loss_grad,
    loss_spec,
    multiclass_loss,
    multiclass_loss_grad,
    optimal_logit_margin,
    smooth_labels,
    softmax_cross_entropy,
)
from .losses import (
    binary_cross_entropy,
    categorical_cross_entropy,
    mse_loss,
    softmax_cross_entropy_gradient,
)
from .neuron import LOSS_NAMES, NeuronHistory, neuron_gradients, train_neuron
from .numerics import finite_difference_gradient
from .panels import (
    SigmoidPanel,
    SoftmaxPanel,
    inverse_sigmoid_derivative,
    saturation_regions,
    saturation_threshold,
    sigmoid_panel,
    softmax_ce_loss,
    softmax_panel,
)
from .redistribute import (
    BLOCK_REASONS,
    MASS_FLOOR,
    redistribute,
    redistribute_blocked,
    resize_distribution,
)
from .sampling import (
    RunningInformation,
    RunningScorer,
    binary_batch_loss,
    categorical_batch_loss,
    cross_perplexity,
    draw_events,
    empirical_distribution,
    log_likelihood,
    perplexity,
    running_information,
    uniforms,
)
from .training import (
    ClassifierHistory,
    ClassifierRace,
    EpochFrames,
    LogitHistory,
    SoftmaxRace,
    classifier_race,
    landscape_bounds,
    logistic_loss_and_gradient,
    make_blobs,
    neuron_loss_landscape,
    softmax_loss_and_gradient,
    softmax_race,
    train_logistic,
    train_softmax,
    trajectory_table,
)

__all__ = [
    "BLOCK_REASONS",
    "RunningInformation",
    "RunningScorer",
    "binary_batch_loss",
    "categorical_batch_loss",
    "cross_perplexity",
    "draw_events",
    "empirical_distribution",
    "log_likelihood",
    "perplexity",
    "running_information",
    "uniforms",
    "LOSS_NAMES",
    "MASS_FLOOR",
    "NeuronHistory",
    "SigmoidPanel",
    "SoftmaxPanel",
    "binary_cross_entropy",
    "binary_entropy",
    "categorical_cross_entropy",
    "cross_entropy",
    "entropy",
    "finite_difference_gradient",
    "information_summary",
    "information_terms",
    "inverse_sigmoid_derivative",
    "js_divergence",
    "kl_divergence",
    "logits_from_probs",
    "mse_loss",
    "neuron_gradients",
    "normalize",
    "redistribute",
    "redistribute_blocked",
    "resize_distribution",
    "saturation_regions",
    "saturation_threshold",
    "self_information",
    "sigmoid",
    "sigmoid_derivative",
    "sigmoid_panel",
    "softmax",
    "softmax_ce_loss",
    "softmax_cross_entropy_gradient",
    "softmax_jacobian",
    "softmax_panel",
    "train_neuron",
    # loss_family.py: MSE, CE, focal, hinge, smoothed CE on logits; label smoothing
    "BINARY_LOSSES",
    "LOSS_PARAMETERS",
    "MULTICLASS_LOSSES",
    "binary_loss",
    "binary_loss_and_grad",
    "binary_loss_grad",
    "loss_spec",
    "multiclass_loss",
    "multiclass_loss_grad",
    "optimal_logit_margin",
    "smooth_labels",
    "softmax_cross_entropy",
    # training.py: landscapes, logistic / softmax regression races
    "ClassifierHistory",
    "ClassifierRace",
    "EpochFrames",
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
