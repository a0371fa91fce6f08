"""Kinds of change and the :class:`Change` the model emits (a leaf module: imports nothing of ours).

A state field declares which kinds its new value emits (:func:`explorer.model.fields.state_field`);
docks look at ``change.touches(...)`` to decide what to redraw.
"""
from __future__ import annotations

from dataclasses import dataclass

DISTRIBUTIONS = "distributions"   # p, q values
LABELS = "labels"
LOCKS = "locks"
LOGITS = "logits"                 # q logit mode / temperature / logits
UNIT = "unit"                     # unit and decimals of the readouts
EPS = "eps"                       # clipping of probabilities at eps
TRAINING_PARAMS = "training_params"
TRAINING_PROGRESS = "training_progress"
DATASET = "dataset"               # dataset points / generation params (trajectories change)
TRAINING_VIEW = "training_view"   # speed, loop, mode, selected point (nothing to recompute)
SIGMOID = "sigmoid"               # z marker, x, y and settings of the sigmoid panel
SOFTMAX = "softmax"               # free-standing softmax logits and the panel's settings
HIGHLIGHT = "highlight"           # the category under the pointer (hover), shared by all docks
SAMPLE = "sample"                 # events drawn from p (seed, draws, reset)
SAMPLE_VIEW = "sample_view"       # how the sample is shown (rate, log axis): nothing to recompute
BATCH = "batch"                   # the batch table's rows and mode

ALL_KINDS = frozenset({DISTRIBUTIONS, LABELS, LOCKS, LOGITS, UNIT, EPS, TRAINING_PARAMS,
                       TRAINING_PROGRESS, DATASET, TRAINING_VIEW, SIGMOID, SOFTMAX, HIGHLIGHT,
                       SAMPLE, SAMPLE_VIEW, BATCH})
#: kinds after which the information numbers are recomputed
INFO_KINDS = frozenset({DISTRIBUTIONS, UNIT, EPS, LOGITS})
#: finished edits of these kinds may make an undo step (the editors' section; a change of T
#: always carries LOGITS)
UNDO_KINDS = frozenset({DISTRIBUTIONS, LABELS, LOCKS, LOGITS})


@dataclass(frozen=True)
class Change:
    """What changed (a set of kinds above) and whether the edit is finished."""

    kinds: frozenset
    finished: bool = True

    def touches(self, *kinds: str) -> bool:
        return not self.kinds.isdisjoint(kinds)
