"""The two distributions the editors show: p, q, their labels and locks, q's logits and T.

:class:`DistributionState` is immutable; its ``with_*`` methods are the editing rules and
return a new state (or raise :class:`~explorer.core.errors.InputError` and change nothing).
The undo stack holds these objects (``UNDOABLE``).

Invariants (checked by :meth:`DistributionState.validated` and kept by every command):
p and q have the same N (2 to 1000) and sum to 1; labels, locks and q's logits have N entries;
in logit mode q = softmax(z / T) (exactly, except where a q_i = 0 stands behind the finite
stand-in logit −30·T that switching into logit mode gives it).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer import core
from explorer.core.errors import InputError
from explorer.model import checks
from explorer.model.change import DISTRIBUTIONS, LABELS, LOCKS, LOGITS, SOFTMAX
from explorer.model.fields import Section, frozen_array, state_field

#: the starting example (a mastiff photo: p one-hot on dog, q the model's guess); the labels are
#: English here and translated by the model when it is created
DEFAULT_P = (0.0, 1.0, 0.0)
DEFAULT_Q = (0.4, 0.4, 0.2)
DEFAULT_LABELS = ("cat", "dog", "horse")
MIN_T, MAX_T = 0.05, 20.0
#: in logit mode, a q read from a file is kept when it matches softmax(z / T) this closely
LOGIT_Q_TOLERANCE = 1e-9


def _temperature(key, value) -> float:
    return checks.number(key, value, MIN_T, MAX_T)


def _raw_list(key, value):
    """Lists are checked against N in :meth:`DistributionState.validated`."""
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple, np.ndarray)):
        raise InputError("{key}: expected a list", key=key)
    return value


def default_labels(n: int) -> tuple:
    return tuple(f"x{i + 1}" for i in range(n))


def logits_for(q: np.ndarray, temperature: float) -> np.ndarray:
    """q's logits at temperature T (softmax(z / T) = q; a q_i = 0 gets −30·T)."""
    return frozen_array(core.logits_from_probs(q) * temperature)


@dataclass(frozen=True, eq=False)
class DistributionState(Section):
    """p, q and everything the two editors own."""

    UNDOABLE = True

    p: np.ndarray = state_field(factory=lambda: frozen_array(DEFAULT_P), kinds={DISTRIBUTIONS},
                                check=checks.distribution, example=[0.2, 0.5, 0.3])
    q: np.ndarray = state_field(factory=lambda: frozen_array(DEFAULT_Q), kinds={DISTRIBUTIONS},
                                check=checks.distribution, example=[0.1, 0.3, 0.6])
    labels: tuple = state_field(DEFAULT_LABELS, kinds={LABELS}, check=_raw_list,
                                example=["sun", "rain", "snow"])
    locks_p: np.ndarray = state_field(factory=lambda: frozen_array([False] * 3, bool),
                                      kinds={LOCKS}, check=_raw_list, example=[True, False, False])
    locks_q: np.ndarray = state_field(factory=lambda: frozen_array([False] * 3, bool),
                                      kinds={LOCKS}, check=_raw_list, example=[False, False, True])
    q_logit_mode: bool = state_field(False, kinds={LOGITS}, check=checks.boolean, example=True)
    q_logits: np.ndarray = state_field(factory=lambda: logits_for(frozen_array(DEFAULT_Q), 1.0),
                                       kinds={LOGITS}, check=_raw_list,
                                       example=[1.5, -0.5, 0.25])
    temperature: float = state_field(1.0, kinds={LOGITS, SOFTMAX}, check=_temperature,
                                     example=2.0)

    REQUIRED = ("p", "q")

    # ------------------------------------------------------------------ loading
    @classmethod
    def fill_missing(cls, values: dict, missing: set) -> dict:
        for name in cls.REQUIRED:
            if name in missing:
                raise InputError("{key}: missing", key=name)
        n = np.asarray(values["p"]).size
        if "labels" in missing:
            values["labels"] = DEFAULT_LABELS if n == len(DEFAULT_LABELS) else default_labels(n)
        for name in ("locks_p", "locks_q"):
            if name in missing:
                values[name] = [False] * n
        if "q_logits" in missing:
            values["q_logits"] = None
        return values

    def validated(self, prefix: str = "") -> "DistributionState":
        p = self.p
        n = p.size
        q = checks.distribution(prefix + "q", self.q, n)
        labels = checks.labels(prefix + "labels", self.labels, n)
        locks_p = checks.flags(prefix + "locks_p", self.locks_p, n)
        locks_q = checks.flags(prefix + "locks_q", self.locks_q, n)
        t = self.temperature
        if self.q_logits is None:
            z = logits_for(q, t)
        elif self.q_logit_mode:
            z = checks.logits(prefix + "q_logits", self.q_logits, n)
        else:
            # outside logit mode the logits are only a remembered value: keep them when usable
            try:
                z = checks.logits(prefix + "q_logits", self.q_logits, n)
            except InputError:
                z = logits_for(q, t)
        if self.q_logit_mode:
            from_logits = core.softmax(z, temperature=t)
            if not np.max(np.abs(from_logits - q)) <= LOGIT_Q_TOLERANCE:
                q = frozen_array(from_logits)     # the logits are the truth in logit mode
        return self.evolve(q=q, labels=labels, locks_p=locks_p, locks_q=locks_q, q_logits=z)

    # ------------------------------------------------------------------ reading
    @property
    def n(self) -> int:
        return int(self.p.size)

    def dist(self, which: str) -> np.ndarray:
        return self.p if checks.which(which) == "p" else self.q

    def locks(self, which: str) -> np.ndarray:
        return self.locks_p if checks.which(which) == "p" else self.locks_q

    # ------------------------------------------------------------------ editing rules
    def with_dist(self, which: str, values) -> "DistributionState":
        """p or q replaced by *values* (2 to 1000 entries in [0, 1] summing to 1, N kept)."""
        which = checks.which(which)
        arr = checks.distribution(which, values, self.n)
        return self._with_checked_dist(which, arr)

    def _with_checked_dist(self, which: str, arr: np.ndarray) -> "DistributionState":
        if which == "p":
            return self.evolve(p=arr)
        if self.q_logit_mode:
            return self.evolve(q=arr, q_logits=logits_for(arr, self.temperature))
        return self.evolve(q=arr)

    def with_value(self, which: str, index, value) -> "DistributionState":
        """Bar *index* of p or q set to *value*, the other bars re-normalised by
        :func:`explorer.core.redistribute`; in logit mode a q value is the logit z_i."""
        which = checks.which(which)
        index = checks.index("index", index, self.n)
        value = checks.as_finite_float("value", value)
        if which == "q" and self.q_logit_mode:
            if abs(value) > checks.LOGIT_LIMIT:
                raise InputError("value: a logit must be within ±1000, got {value}",
                                 value=f"{value:g}")
            z = np.array(self.q_logits)
            z[index] = value
            return self.with_logits(z)
        if not 0.0 <= value <= 1.0:
            raise InputError("value: a probability must be in [0, 1], got {value}",
                             value=f"{value:g}")
        current = self.p if which == "p" else self.q
        new = core.redistribute(current, index, value, self.locks(which))
        # redistribute returns entries in [0, 1] that sum to 1 within 1e-12; anything further
        # off is re-checked (renormalised, or refused)
        if not abs(float(np.add.reduce(new)) - 1.0) <= 1e-12:
            new = checks.distribution(which, new, self.n)
        new.flags.writeable = False
        return self._with_checked_dist(which, new)

    def with_distributions(self, p, q, labels=None) -> "DistributionState":
        """p, q (and labels, possibly a new N) replaced together; a new N unlocks every bar."""
        p_arr = checks.distribution("p", p)
        q_arr = checks.distribution("q", q, p_arr.size)
        n = p_arr.size
        if labels is not None:
            new_labels = checks.labels("labels", labels, n)
        else:
            new_labels = self.labels if len(self.labels) == n else default_labels(n)
        changes = dict(p=p_arr, q=q_arr, labels=new_labels,
                       q_logits=logits_for(q_arr, self.temperature))
        if n != self.n:
            changes.update(locks_p=frozen_array([False] * n, bool),
                           locks_q=frozen_array([False] * n, bool))
        return self.evolve(**changes)

    def with_n(self, n) -> "DistributionState":
        """N categories: new ones take their share from the unlocked bars
        (:func:`explorer.core.resize_distribution`), removed ones are re-normalised into the
        kept unlocked bars; labels grow with unused x<k> names or are cut; new bars are
        unlocked.  In logit mode q's logits are resized instead (removed logits are dropped;
        new ones give each new category the share 1/N, the others keep their proportions)."""
        n = checks.integer("n", n, checks.MIN_CATEGORIES, checks.MAX_CATEGORIES)
        old = self.n
        if n == old:
            return self
        labels = list(self.labels[:n])
        taken = set(labels)
        k = 1
        while len(labels) < n:
            name = f"x{k}"
            if name not in taken:
                labels.append(name)
                taken.add(name)
            k += 1
        grow = [False] * max(0, n - old)
        locks_p = frozen_array(list(self.locks_p[:n]) + grow, bool)
        locks_q = frozen_array(list(self.locks_q[:n]) + grow, bool)
        p = frozen_array(core.resize_distribution(self.p, n, self.locks_p))
        p = checks.distribution("p", p, n)
        t = self.temperature
        if self.q_logit_mode:
            z = np.asarray(self.q_logits, dtype=np.float64)[:n]
            if n > old:
                # exp(w/T) = Σ exp(z/T) / old gives each new category 1/N of the mass
                s = z / t
                top = float(np.max(s))
                lse = top + float(np.log(np.sum(np.exp(s - top))))
                w = t * (lse - np.log(old))
                z = np.concatenate([z, np.full(n - old, w)])
            z = np.clip(z, -checks.LOGIT_LIMIT, checks.LOGIT_LIMIT)
            z = checks.logits("q_logits", z, n)
            q = frozen_array(core.softmax(z, temperature=t))
        else:
            q = checks.distribution("q", core.resize_distribution(self.q, n, self.locks_q), n)
            z = logits_for(q, t)
        return self.evolve(p=p, q=q, labels=tuple(labels), locks_p=locks_p, locks_q=locks_q,
                           q_logits=z)

    def with_label(self, index, text) -> "DistributionState":
        index = checks.index("index", index, self.n)
        labels = list(self.labels)
        labels[index] = checks.label("label", text)
        return self.evolve(labels=tuple(labels))

    def with_labels(self, labels) -> "DistributionState":
        return self.evolve(labels=checks.labels("labels", labels, self.n))

    def with_lock(self, which: str, index, locked) -> "DistributionState":
        which = checks.which(which)
        index = checks.index("index", index, self.n)
        locked = checks.boolean("locked", locked)
        locks = np.array(self.locks(which))
        locks[index] = locked
        locks.flags.writeable = False
        return self.evolve(**{"locks_" + which: locks})

    def swapped(self) -> "DistributionState":
        """p and q exchanged (locks stay with their editor)."""
        if self.q_logit_mode:
            return self.evolve(p=self.q, q=self.p, q_logits=logits_for(self.p, self.temperature))
        return self.evolve(p=self.q, q=self.p)

    # ------------------------------------------------------------------ logit mode
    def with_logit_mode(self, enabled) -> "DistributionState":
        """Switch q's logit mode; switching on keeps q (logits = T · shifted log q)."""
        enabled = checks.boolean("logit mode", enabled)
        if enabled == self.q_logit_mode:
            return self
        if enabled:
            return self.evolve(q_logit_mode=True, q_logits=logits_for(self.q, self.temperature))
        return self.evolve(q_logit_mode=False)

    def with_logits(self, logits) -> "DistributionState":
        """q's logits z (N finite values within ±1000); in logit mode q = softmax(z / T)."""
        z = checks.logits("logits", logits, self.n)
        if self.q_logit_mode:
            return self.evolve(q_logits=z, q=frozen_array(core.softmax(z, temperature=self.temperature)))
        return self.evolve(q_logits=z)

    def with_temperature(self, t) -> "DistributionState":
        t = _temperature("temperature", t)
        if self.q_logit_mode:
            return self.evolve(temperature=t, q=frozen_array(core.softmax(self.q_logits, temperature=t)))
        return self.evolve(temperature=t)
