"""The softmax panel's own logits (used when q is not in logit mode) and its settings."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer.model import checks, loss_choice
from explorer.model.change import SOFTMAX
from explorer.model.distribution import MAX_T, MIN_T
from explorer.model.fields import Section, frozen_array, state_field

SOFTMAX_TARGETS = ("p", "onehot")
#: Largest number of free-standing softmax logits the panel offers.
MAX_SOFTMAX_LOGITS = 50
#: target class and focused logit are category numbers below this
MAX_INDEX = checks.MAX_CATEGORIES - 1
#: label smoothing ε of the panel's target, y_ε = (1 − ε) y + ε/K
SMOOTHING_RANGE = (0.0, 0.5)
#: the single-sample race of the logit-growth plot: its longest run, its learning rates
MAX_RACE_EPOCHS = 20_000
RACE_LR_RANGE = (1e-3, 100.0)
#: the race's losses unless told otherwise: one-hot CE against smoothed CE (ε = 0.1)
DEFAULT_RACE_LOSSES = loss_choice.RACE_PRESETS["ce_smoothed"]


def _index(key, value) -> int:
    return checks.integer(key, value, 0, MAX_INDEX)


def _target(key, value) -> str:
    return checks.choice(key, value, SOFTMAX_TARGETS)


def _smoothing(key, value) -> float:
    return checks.number(key, value, *SMOOTHING_RANGE)


def _race_lr(key, value) -> float:
    return checks.number(key, value, *RACE_LR_RANGE)


def _race_epochs(key, value) -> int:
    return checks.integer(key, value, 1, MAX_RACE_EPOCHS)


@dataclass(frozen=True, eq=False)
class SoftmaxPanelState(Section):
    logits: np.ndarray = state_field(factory=lambda: frozen_array([2.0, 1.0, 0.1]),
                                     key="softmax_logits", kinds={SOFTMAX}, check=checks.logits,
                                     example=[0.5, -1.0, 3.0, 0.0])
    target: str = state_field("p", key="softmax_target", kinds={SOFTMAX}, check=_target,
                              example="onehot")
    target_class: int = state_field(1, key="softmax_target_class", kinds={SOFTMAX}, check=_index,
                                    example=2)
    focus: int = state_field(1, key="softmax_focus", kinds={SOFTMAX}, check=_index, example=0)
    #: T of the panel's own logits; when the panel shows q's logits it uses q's T instead
    temperature: float = state_field(1.0, key="softmax_temperature", kinds={SOFTMAX},
                                     check=lambda key, v: checks.number(key, v, MIN_T, MAX_T),
                                     example=0.5)
    #: label smoothing ε: the loss is CE to y_ε = (1 − ε) y + ε/K (PyTorch's label_smoothing)
    smoothing: float = state_field(0.0, key="softmax_smoothing", kinds={SOFTMAX},
                                   check=_smoothing, example=0.1)
    #: the logit-growth race: shown (and so computed) or not, its η, epochs and two losses
    race_shown: bool = state_field(False, key="softmax_race_shown", kinds={SOFTMAX},
                                   check=checks.boolean, example=True)
    race_lr: float = state_field(1.0, key="softmax_race_lr", kinds={SOFTMAX}, check=_race_lr,
                                 example=0.5)
    race_epochs: int = state_field(1000, key="softmax_race_epochs", kinds={SOFTMAX},
                                   check=_race_epochs, example=3000)
    race_losses: tuple = state_field(DEFAULT_RACE_LOSSES, key="softmax_race_losses",
                                     kinds={SOFTMAX}, check=loss_choice.check_pair,
                                     to_json=loss_choice.pair_to_json,
                                     example=[{"loss": "ce"}, {"loss": "focal", "gamma": 2.0}])

    def with_logits(self, logits) -> "SoftmaxPanelState":
        return self.evolve(logits=checks.logits("logits", logits))

    def with_target(self, kind, cls, count: int) -> "SoftmaxPanelState":
        """y = p ("p") or the one-hot of class *cls* ("onehot"); *count* logits are shown."""
        kind = self.target if kind is None else _target("target", kind)
        cls = (min(self.target_class, count - 1) if cls is None
               else checks.index("target class", cls, count))
        return self.evolve(target=kind, target_class=cls)

    def with_temperature(self, t) -> "SoftmaxPanelState":
        return self.evolve(temperature=checks.number("temperature", t, MIN_T, MAX_T))

    def with_focus(self, j, count: int) -> "SoftmaxPanelState":
        return self.evolve(focus=checks.index("logit", j, count))

    def with_smoothing(self, eps) -> "SoftmaxPanelState":
        return self.evolve(smoothing=_smoothing("label smoothing", eps))

    def with_race(self, shown=None, lr=None, epochs=None, losses=None) -> "SoftmaxPanelState":
        """The logit-growth race's settings (None keeps a value)."""
        out = {}
        if shown is not None:
            out["race_shown"] = checks.boolean("shown", shown)
        if lr is not None:
            out["race_lr"] = _race_lr("lr", lr)
        if epochs is not None:
            out["race_epochs"] = _race_epochs("epochs", epochs)
        if losses is not None:
            out["race_losses"] = loss_choice.check_pair("losses", losses)
        return self.evolve(**out)

    def resized(self, count) -> "SoftmaxPanelState":
        """*count* free-standing logits (2 to 1000; new ones start at 0)."""
        count = checks.integer("logit count", count, checks.MIN_CATEGORIES, checks.MAX_CATEGORIES)
        new = np.zeros(count)
        new[:min(count, self.logits.size)] = self.logits[:count]
        return self.evolve(logits=frozen_array(new))
