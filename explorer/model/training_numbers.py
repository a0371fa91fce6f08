"""Derived numbers of the training race, computed once per change and cached (no Qt).

* the single-neuron histories (MSE and CE runs, or the book widget's CE step);
* the loss landscapes over a (w, b) grid around both trajectories, keyed on what shapes them;
* the dataset races (MSE and CE on the binary or three-class points), keyed on their inputs.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer import core
from explorer.model.training_state import (BOOK_CE_LR, DATASET_KINDS, LANDSCAPE_RES,
                                           TrainingParams, TrainingState)


@dataclass(frozen=True, eq=False)
class NeuronLandscape:
    """Loss over a (w, b) grid for both losses; ``loss[name][i, j]`` is at ``(w[j], b[i])``."""

    key: tuple
    bounds: tuple            # (w_lo, w_hi, b_lo, b_hi)
    w: np.ndarray
    b: np.ndarray
    loss: dict               # {"mse": array, "ce": array}


def neuron_histories(t: TrainingParams) -> dict:
    """``{"mse": NeuronHistory, "ce": NeuronHistory}`` of the single-neuron race."""
    ce_loss, ce_lr = ("ce_book", BOOK_CE_LR) if t.book_mode else ("ce", t.lr)
    return {"mse": core.train_neuron(t.w0, t.b0, t.x, t.y, t.lr, t.epochs, "mse"),
            "ce": core.train_neuron(t.w0, t.b0, t.x, t.y, ce_lr, t.epochs, ce_loss)}


def neuron_landscape(t: TrainingParams, histories: dict,
                     previous: NeuronLandscape | None = None) -> NeuronLandscape:
    """Both losses on a grid that frames both trajectories (*previous* is reused when its key
    matches)."""
    ws = np.concatenate([histories["mse"].w, histories["ce"].w])
    bs = np.concatenate([histories["mse"].b, histories["ce"].b])
    bounds = core.landscape_bounds(ws, bs)
    key = (t.x, t.y, bounds, LANDSCAPE_RES)
    if previous is not None and previous.key == key:
        return previous
    w = np.linspace(bounds[0], bounds[1], LANDSCAPE_RES)
    b = np.linspace(bounds[2], bounds[3], LANDSCAPE_RES)
    loss = {name: core.neuron_loss_landscape(w, b, t.x, t.y, name) for name in ("mse", "ce")}
    for arr in loss.values():
        arr.flags.writeable = False
    return NeuronLandscape(key=key, bounds=bounds, w=w, b=b, loss=loss)


def race_key(state: TrainingState, which: str) -> tuple:
    d = state.dataset
    return (state.points(which).tobytes(), d.lr, d.init, state.params.epochs)


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
                                        state.dataset.lr, state.params.epochs, state.dataset.init)
            self._races[which] = cached = (key, race)
        return cached[1]
