"""The softmax panel's own logits (used when q is not in logit mode) and its settings."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer.model import checks
from explorer.model.change import SOFTMAX
from explorer.model.distribution import MAX_T, MIN_T
from explorer.model.fields import Section, frozen_array, state_field

SOFTMAX_TARGETS = ("p", "onehot")
#: Largest number of free-standing softmax logits the panel offers.
MAX_SOFTMAX_LOGITS = 50
#: target class and focused logit are category numbers below this
MAX_INDEX = checks.MAX_CATEGORIES - 1


def _index(key, value) -> int:
    return checks.integer(key, value, 0, MAX_INDEX)


def _target(key, value) -> str:
    return checks.choice(key, value, SOFTMAX_TARGETS)


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

    def resized(self, count) -> "SoftmaxPanelState":
        """*count* free-standing logits (2 to 1000; new ones start at 0)."""
        count = checks.integer("logit count", count, checks.MIN_CATEGORIES, checks.MAX_CATEGORIES)
        new = np.zeros(count)
        new[:min(count, self.logits.size)] = self.logits[:count]
        return self.evolve(logits=frozen_array(new))
