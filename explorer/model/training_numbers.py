"""Derived numbers of the training race, computed once per change and cached (no Qt).

* the single-neuron histories (one per run, keyed by :func:`explorer.model.loss_choice.run_keys`:
  ``"mse"`` and ``"ce"`` by default; the book widget's CE step for a CE run in book mode);
* the loss landscapes over a (w, b) grid around both trajectories, keyed on what shapes them;
* the dataset races (the two runs' losses on the binary or three-class points), keyed on their
  inputs;
* the logits of the selected multi-class point along both runs (the logit-growth plot).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer import core
from explorer.model import loss_choice
from explorer.model.training_state import (BOOK_CE_LR, DATASET_KINDS, LANDSCAPE_RES,
                                           TrainingParams, TrainingState)


@dataclass(frozen=True, eq=False)
class NeuronLandscape:
    """Loss over a (w, b) grid for each run's loss; ``loss[run][i, j]`` is at ``(w[j], b[i])``."""

    key: tuple
    bounds: tuple            # (w_lo, w_hi, b_lo, b_hi)
    w: np.ndarray
    b: np.ndarray
    loss: dict               # {run: array}, e.g. {"mse": array, "ce": array}


def neuron_runs(t: TrainingParams) -> dict:
    """``{run: (loss, parameters, η)}`` of the single-neuron race: each run's loss of the
    family; a CE run in book mode steps like the book's widget (``"ce_book"``, η = 0.005)."""
    out = {}
    for key, (name, params) in loss_choice.race_losses(t.losses).items():
        if name == "ce" and t.book_mode:
            out[key] = ("ce_book", {}, BOOK_CE_LR)
        else:
            out[key] = (name, params, t.lr)
    return out


def neuron_histories(t: TrainingParams) -> dict:
    """``{run: NeuronHistory}`` of the single-neuron race (``{"mse": …, "ce": …}`` for the
    default losses)."""
    return {key: core.train_neuron(t.w0, t.b0, t.x, t.y, lr, t.epochs, name, **params)
            for key, (name, params, lr) in neuron_runs(t).items()}


def neuron_landscape(t: TrainingParams, histories: dict,
                     previous: NeuronLandscape | None = None) -> NeuronLandscape:
    """Each run's loss on a grid that frames both trajectories (*previous* is reused when its
    key matches)."""
    ws = np.concatenate([h.w for h in histories.values()])
    bs = np.concatenate([h.b for h in histories.values()])
    bounds = core.landscape_bounds(ws, bs)
    key = (t.x, t.y, bounds, LANDSCAPE_RES, t.losses)
    if previous is not None and previous.key == key:
        return previous
    w = np.linspace(bounds[0], bounds[1], LANDSCAPE_RES)
    b = np.linspace(bounds[2], bounds[3], LANDSCAPE_RES)
    loss = {}
    for run, (name, params) in loss_choice.race_losses(t.losses).items():
        loss[run] = core.neuron_loss_landscape(w, b, t.x, t.y, name, **params)
        loss[run].flags.writeable = False
    return NeuronLandscape(key=key, bounds=bounds, w=w, b=b, loss=loss)


def race_key(state: TrainingState, which: str) -> tuple:
    d = state.dataset
    return (state.points(which).tobytes(), d.lr, d.init, state.params.epochs, d.losses)


class RaceCache:
    """The dataset races, one per dataset, recomputed only when their inputs change."""

    def __init__(self):
        self._races: dict = {}        # which -> (key, ClassifierRace)

    def get(self, state: TrainingState, which: str):
        key = race_key(state, which)
        cached = self._races.get(which)
        if cached is None or cached[0] != key:
            pts = state.points(which)
            race = core.classifier_race(pts[:, :2], pts[:, 2].astype(int), DATASET_KINDS[which],
                                        state.dataset.lr, state.params.epochs, state.dataset.init,
                                        losses=loss_choice.race_losses(state.dataset.losses))
            self._races[which] = cached = (key, race)
        return cached[1]


@dataclass(frozen=True, eq=False)
class PointLogits:
    """The logits of one multi-class point along each run of a softmax-regression race.

    ``top[run]``, ``margin[run]`` and ``a_max[run]`` are read-only arrays with one entry per
    epoch: the largest logit ``max_j z_j``, the margin of the point's class ``t``,
    ``z_t − max_{j≠t} z_j``, and the confidence ``max_j softmax(z)_j``.
    """

    index: int
    target: int
    top: dict
    margin: dict
    a_max: dict


def point_logits(race, index: int) -> PointLogits:
    """Logits ``z_k = x_i W_k`` of point *index* of a multi-class *race* at every epoch k."""
    x1, x2 = (float(v) for v in race.X[index])
    t = int(race.labels[index])
    top, margin, a_max = {}, {}, {}
    for run, h in race.runs.items():
        W = h.params                                      # (E + 1, 3, K): rows x1, x2, bias
        z = x1 * W[:, 0, :] + x2 * W[:, 1, :] + W[:, 2, :]
        others = np.delete(z, t, axis=1)
        top[run] = z.max(axis=1)
        margin[run] = z[:, t] - others.max(axis=1)
        a_max[run] = 1.0 / np.exp(z - top[run][:, None]).sum(axis=1)   # e^0 / Σ e^(z − max)
        for arr in (top[run], margin[run], a_max[run]):
            arr.flags.writeable = False
    return PointLogits(index=index, target=t, top=top, margin=margin, a_max=a_max)
