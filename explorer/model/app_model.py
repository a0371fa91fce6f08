"""The one shared model: it owns every piece of app state and hands derived numbers to the views.

Data flow is one-way (see ``../shared/STYLE.md``)::

    view emits an intent -> window calls a model command -> model validates, updates,
    recomputes derived numbers ONCE via :mod:`explorer.core`, emits one signal -> docks redraw

Signals come in a pair, like pyqtgraph's ``sigRegionChanged`` / ``sigRegionChangeFinished``:

* ``sigChanged(Change)`` on every change, including each move of a drag (cheap redraws);
* ``sigChangeFinished(Change)`` once when an edit is complete (undo entry, autosave, slow work).

A change is only emitted when something really changed.  Several field updates can be grouped
with ``with model.batch(): ...`` so that loading a preset or a session emits a single change.
"""
from __future__ import annotations

import math
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from explorer import core, i18n
from explorer.model.checks import as_finite_float
from explorer import presets as presets_mod
from explorer.model.undo import SnapshotCommand, describe, snapshots_equal, take_snapshot
from explorer.model.training_state import (  # noqa: F401  (kinds and presets re-exported)
    DATASET, TRAINING_MODES, TRAINING_PRESETS, TRAINING_VIEW, DatasetParams, TrainingStateMixin)
from explorer.model import panel_numbers

#: Unit name -> logarithm base passed to :mod:`explorer.core` (None = natural log).
UNITS: dict[str, float | None] = {"bits": 2.0, "nats": None, "bans": 10.0}
UNIT_SYMBOLS = {"bits": "log₂", "nats": "ln", "bans": "log₁₀"}

MIN_CATEGORIES = 2
MAX_CATEGORIES = 1000          # the model's limit (benchmarks, scripts); the UI offers up to 50
MAX_UI_CATEGORIES = 50
SUM_TOLERANCE = 1e-9
SCHEMA_VERSION = 1

# Kinds of change carried by :class:`Change`.
DISTRIBUTIONS = "distributions"   # p, q values
LABELS = "labels"
LOCKS = "locks"
LOGITS = "logits"                 # q logit mode / temperature / logits
UNIT = "unit"
EPS = "eps"
TRAINING_PARAMS = "training_params"
TRAINING_PROGRESS = "training_progress"
SIGMOID = "sigmoid"               # z marker, x, y of the sigmoid panel
SOFTMAX = "softmax"               # free-standing softmax logits
HIGHLIGHT = "highlight"           # the category under the pointer (hover), shared by all docks
INFO_KINDS = frozenset({DISTRIBUTIONS, UNIT, EPS, LOGITS})
UNDO_KINDS = frozenset({DISTRIBUTIONS, LABELS, LOCKS, LOGITS})   # edits that make undo steps


@dataclass(frozen=True)
class Change:
    """What changed (a set of kinds above) and whether the edit is finished."""

    kinds: frozenset
    finished: bool = True

    def touches(self, *kinds: str) -> bool:
        return not self.kinds.isdisjoint(kinds)


@dataclass(frozen=True)
class InfoNumbers:
    """Every information quantity of the current (p, q), in the current unit, computed once."""

    unit: str
    base: float | None
    entropy_p: float
    entropy_q: float
    cross_pq: float
    cross_qp: float
    kl_pq: float
    kl_qp: float
    js: float
    terms: dict               # core.information_terms(p, q): per-category arrays
    impossible: tuple         # indices i with q_i = 0 < p_i  (H(p,q) and KL(p||q) are infinite)
    impossible_qp: tuple      # indices i with p_i = 0 < q_i  (H(q,p) and KL(q||p) are infinite)
    eps: float | None         # the eps actually used for clipping, or None
    clipped: bool             # True when clipping changed at least one q_i (or p_i for q||p)
    # --- for the readout docks (issue 4); defaults keep older constructors working ------
    p_used: np.ndarray | None = None      # p as used inside logs of H(q,p), KL(q||p) (clipped if eps)
    q_used: np.ndarray | None = None      # q as used inside logs of H(p,q), KL(p||q) (clipped if eps)
    clipped_p: tuple = ()                 # indices i where eps clipping changed p_i
    clipped_q: tuple = ()                 # indices i where eps clipping changed q_i
    mixture: np.ndarray | None = None     # m = (p + q) / 2, the midpoint used by JS(p, q)
    dominant: int | None = None           # i of the largest term -p_i log q_i of H(p,q) (None if all 0)
    max_entropy: float = math.nan         # log_b N: the entropy of the uniform distribution on N
    curve_x: np.ndarray | None = None     # grid on (0, 1] for the curves below
    self_info_curve: np.ndarray | None = None       # I(x) = -log_b x on curve_x
    binary_entropy_curve: np.ndarray | None = None  # H_b(x) = -x log_b x - (1-x) log_b(1-x)


@dataclass(frozen=True)
class TrainingParams:
    """Single-neuron race a = sigma(w x + b): same start, same eta, MSE vs CE."""

    w0: float = 0.6
    b0: float = 0.9
    x: float = 1.0
    y: float = 0.0
    lr: float = 0.15
    epochs: int = 300
    preset: str = "nielsen_well_started"
    book_mode: bool = False   # CE run steps like the book's web widget (loss "ce_book", eta 0.005)


_as_float = as_finite_float


def validate_distribution(name: str, values, n: int | None = None) -> np.ndarray:
    """Return *values* as a float64 distribution or raise ValueError naming *name*."""
    try:
        arr = np.array(values, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: expected a list of numbers") from None
    if arr.size < MIN_CATEGORIES or arr.size > MAX_CATEGORIES:
        raise ValueError(f"{name}: needs {MIN_CATEGORIES} to {MAX_CATEGORIES} categories, got {arr.size}")
    if n is not None and arr.size != n:
        raise ValueError(f"{name}: expected {n} values, got {arr.size}")
    if not np.all(np.isfinite(arr)):
        i = int(np.flatnonzero(~np.isfinite(arr))[0])
        raise ValueError(f"{name}: entry {i} is not a finite number ({arr[i]!r})")
    if np.any(arr < 0) or np.any(arr > 1):
        i = int(np.flatnonzero((arr < 0) | (arr > 1))[0])
        raise ValueError(f"{name}: entry {i} = {arr[i]:g} is outside [0, 1]")
    s = float(arr.sum())
    if abs(s - 1.0) > SUM_TOLERANCE:
        raise ValueError(f"{name}: must sum to 1 (sum = {s:.12g})")
    # Keep the user's numbers when they already sum to 1 up to rounding; else renormalise.
    return arr if abs(s - 1.0) <= 1e-12 else arr / s


def validate_logits(name: str, values, n: int | None = None) -> np.ndarray:
    """Return *values* as finite float64 logits (|z| <= 1e3) or raise ValueError naming *name*."""
    try:
        z = np.array(values, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: expected a list of numbers") from None
    if z.size < MIN_CATEGORIES or z.size > MAX_CATEGORIES:
        raise ValueError(f"{name}: needs {MIN_CATEGORIES} to {MAX_CATEGORIES} values, got {z.size}")
    if n is not None and z.size != n:
        raise ValueError(f"{name}: expected {n} values, got {z.size}")
    if not np.all(np.isfinite(z)) or np.any(np.abs(z) > 1e3):
        raise ValueError(f"{name}: entries must be finite numbers within ±1000")
    return z


def _frozen(arr: np.ndarray) -> np.ndarray:
    arr.flags.writeable = False
    return arr


_CURVES: dict = {}


def _info_curves(base: float | None) -> tuple:
    """Self-information and binary-entropy curves on a fixed grid over (0, 1], per base (cached).
    The grid is dense near 0, where -log x is steep (down to 1e-16, below any clipping eps)."""
    if base not in _CURVES:
        x = np.unique(np.concatenate([np.geomspace(1e-16, 1e-2, 80), np.linspace(1e-2, 1.0, 320)]))
        x = np.union1d(x, [0.5])                    # the binary entropy peak lies on the grid
        _CURVES[base] = (_frozen(x), _frozen(np.asarray(core.self_information(x, base=base))),
                         _frozen(np.asarray(core.binary_entropy(x, base=base))))
    return _CURVES[base]


_MAX_ENTROPY: dict = {}


def _max_entropy(n: int, base: float | None) -> float:
    """log_b N, the entropy of the uniform distribution on N categories (cached per N and base)."""
    key = (n, base)
    if key not in _MAX_ENTROPY:
        _MAX_ENTROPY[key] = core.entropy(np.full(n, 1.0 / n), base=base)
    return _MAX_ENTROPY[key]


def _impossible(p: np.ndarray, q: np.ndarray) -> tuple:
    """Indices i with q_i = 0 < p_i (where H(p, q) and KL(p || q) are infinite)."""
    if np.minimum.reduce(q) > 0:      # no zero in q: one reduction instead of a mask and a search
        return ()
    return tuple(np.flatnonzero((q == 0) & (p > 0)).tolist())


def _readout_extras(p: np.ndarray, q: np.ndarray, base, eps, summary: dict) -> dict:
    """Derived numbers the readout docks show besides the quantities themselves (*summary* is
    :func:`explorer.core.information_summary` of p and q)."""
    p_used, q_used = summary["p_used"], summary["q_used"]   # new arrays, clipped if eps
    if eps is None:                                        # nothing clipped: p' = p, q' = q
        clipped_p = clipped_q = ()
    else:
        clipped_p = tuple(np.flatnonzero(p_used != p).tolist())
        clipped_q = tuple(np.flatnonzero(q_used != q).tolist())
    cross = summary["terms"]["cross"]
    j = int(np.argmax(cross))                              # first index of the largest term
    x, self_info, hb = _info_curves(base)
    return dict(
        p_used=_frozen(p_used), q_used=_frozen(q_used), clipped_p=clipped_p, clipped_q=clipped_q,
        mixture=_frozen(summary["mixture"]), dominant=j if cross[j] > 0 else None,
        max_entropy=_max_entropy(p.size, base),
        curve_x=x, self_info_curve=self_info, binary_entropy_curve=hb,
    )


class AppModel(QObject, TrainingStateMixin):
    """Owner of all state.  Views read attributes; they change state only through methods."""

    sigChanged = Signal(object)         # Change, on every change (also during drags)
    sigChangeFinished = Signal(object)  # Change, once per completed edit

    def __init__(self, parent=None):
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self._batch_depth = 0
        self._pending: set[str] = set()
        self._pending_finished = True
        self._open_edits: set[str] = set()   # kinds with a "changing" edit not yet finished
        # --- distributions -------------------------------------------------------------
        self._p = np.array([0.0, 1.0, 0.0])
        self._q = np.array([0.4, 0.4, 0.2])
        # the starting example's labels in the interface language (猫, 狗, 马 in Chinese);
        # once set, labels are data and do not change with the language
        self._labels = [i18n.tr("cat"), i18n.tr("dog"), i18n.tr("horse")]
        self._locks_p = np.zeros(3, dtype=bool)
        self._locks_q = np.zeros(3, dtype=bool)
        self._q_logit_mode = False
        self._q_logits = core.logits_from_probs(self._q)
        self._temperature = 1.0
        # --- readout settings ------------------------------------------------------------
        self._unit = "nats"
        self._precision = 4
        self._eps_enabled = False
        self._eps = 1e-15
        # --- sigmoid panel -----------------------------------------------------------------
        self._z_marker = 2.0
        self._sigmoid_x = 1.0
        self._sigmoid_y = 0
        # --- softmax panel (free-standing logits when q is not in logit mode) -------------
        self._softmax_logits = np.array([2.0, 1.0, 0.1])
        # --- training race ----------------------------------------------------------------
        self._training = TrainingParams()
        self._training_epoch = 0
        self._training_running = False
        self._init_training_state()       # speed, loop, mode, datasets (training_state.py)
        # --- sigmoid / softmax panel settings (see explorer.model.panel_numbers) -----------
        self._sigmoid_z_range = (-10.0, 10.0)
        self._sigmoid_log_scale = False
        self._sigmoid_grad_wrt = "w"        # curves and readouts of ∂L/∂w or ∂L/∂z
        self._softmax_target = "p"          # y = p, or "onehot": y = one-hot of the class below
        self._softmax_target_class = 1
        self._softmax_focus = 1             # the logit j whose derivation is spelled out
        self._sigmoid_numbers = None
        self._softmax_numbers = None
        # --- transient view state shared by docks (not saved) ------------------------------
        self._highlight: int | None = None
        # --- derived numbers, computed once per change -----------------------------------
        self._info: InfoNumbers | None = None
        self._histories: dict | None = None
        self._recompute({DISTRIBUTIONS, TRAINING_PARAMS})
        # --- undo: the distribution section as of the last finished edit (explorer.model.undo)
        self.undo_stack.setUndoLimit(500)   # each step holds two snapshots (≈40 kB at N = 1000)
        self._committed = take_snapshot(self)
        self._undo_text: str | None = None
        self._restoring = False

    # ------------------------------------------------------------------ read-only state
    @property
    def p(self) -> np.ndarray:
        v = self._p.view()
        v.flags.writeable = False
        return v

    @property
    def q(self) -> np.ndarray:
        v = self._q.view()
        v.flags.writeable = False
        return v

    @property
    def n(self) -> int:
        return int(self._p.size)

    @property
    def labels(self) -> list[str]:
        return list(self._labels)

    @property
    def locks_p(self) -> np.ndarray:
        return self._locks_p.copy()

    @property
    def locks_q(self) -> np.ndarray:
        return self._locks_q.copy()

    def locks(self, which: str) -> np.ndarray:
        return self.locks_p if which == "p" else self.locks_q

    def dist(self, which: str) -> np.ndarray:
        if which not in ("p", "q"):
            raise ValueError(f"which: expected 'p' or 'q', got {which!r}")
        return self.p if which == "p" else self.q

    @property
    def q_logit_mode(self) -> bool:
        return self._q_logit_mode

    @property
    def q_logits(self) -> np.ndarray:
        return self._q_logits.copy()

    @property
    def temperature(self) -> float:
        return self._temperature

    @property
    def unit(self) -> str:
        return self._unit

    @property
    def base(self) -> float | None:
        return UNITS[self._unit]

    @property
    def precision(self) -> int:
        return self._precision

    @property
    def eps_enabled(self) -> bool:
        return self._eps_enabled

    @property
    def eps(self) -> float:
        return self._eps

    @property
    def info(self) -> InfoNumbers:
        return self._info

    @property
    def z_marker(self) -> float:
        return self._z_marker

    @property
    def sigmoid_x(self) -> float:
        return self._sigmoid_x

    @property
    def sigmoid_y(self) -> int:
        return self._sigmoid_y

    @property
    def softmax_logits(self) -> np.ndarray:
        """Logits shown by the softmax panel: q's logits when q is in logit mode (one source of
        truth), otherwise the panel's own logits."""
        return self._q_logits.copy() if self._q_logit_mode else self._softmax_logits.copy()

    @property
    def sigmoid_z_range(self) -> tuple:
        return self._sigmoid_z_range

    @property
    def sigmoid_log_scale(self) -> bool:
        return self._sigmoid_log_scale

    @property
    def sigmoid_grad_wrt(self) -> str:
        return self._sigmoid_grad_wrt

    @property
    def softmax_target(self) -> str:
        """"p" (y = p when the lengths match) or "onehot" (y = one-hot of softmax_target_class)."""
        return self._softmax_target

    @property
    def softmax_target_class(self) -> int:
        return self._softmax_target_class

    @property
    def softmax_focus(self) -> int:
        return self._softmax_focus

    @property
    def sigmoid_numbers(self):
        """:class:`explorer.model.panel_numbers.SigmoidNumbers` (marker readouts and curves)."""
        return self._sigmoid_numbers

    @property
    def softmax_numbers(self):
        """:class:`explorer.model.panel_numbers.SoftmaxNumbers` (a, loss, a − y, numeric check)."""
        return self._softmax_numbers

    @property
    def training(self) -> TrainingParams:
        return self._training

    @property
    def training_epoch(self) -> int:
        return self._training_epoch

    @property
    def training_running(self) -> bool:
        """True while the training race animates (other docks show its moving markers)."""
        return self._training_running

    @property
    def highlight(self) -> int | None:
        """Index of the category the user is pointing at in any dock, or None."""
        return self._highlight

    @property
    def histories(self) -> dict:
        """``{"mse": NeuronHistory, "ce": NeuronHistory}`` for the current training params."""
        return self._histories

    # ------------------------------------------------------------------ batching / emitting
    @contextmanager
    def batch(self, finished: bool = True):
        """Group several updates into one emitted change."""
        self._batch_depth += 1
        try:
            yield self
        finally:
            self._batch_depth -= 1
            if self._batch_depth == 0 and self._pending:
                kinds, self._pending = set(self._pending), set()
                fin = self._pending_finished and finished
                self._pending_finished = True
                self._emit(kinds, fin)

    def _emit(self, kinds: set[str], finished: bool) -> None:
        if finished:
            self._open_edits -= set(kinds)
        else:
            self._open_edits |= set(kinds)
        if self._batch_depth:
            self._pending |= kinds
            self._pending_finished = self._pending_finished and finished
            return
        self._recompute(kinds)
        if finished and not UNDO_KINDS.isdisjoint(kinds):
            self._record_undo()
        change = Change(frozenset(kinds), finished)
        self.sigChanged.emit(change)
        if finished:
            self.sigChangeFinished.emit(change)

    def finish_edit(self, kinds=(DISTRIBUTIONS,)) -> None:
        """Announce that a continuous edit (a drag) has ended without a further value change."""
        self._open_edits -= set(kinds)
        if not UNDO_KINDS.isdisjoint(kinds):
            self._record_undo()
        change = Change(frozenset(kinds), True)
        self.sigChanged.emit(change)
        self.sigChangeFinished.emit(change)

    def _recompute(self, kinds) -> None:
        kinds = set(kinds)
        if kinds & INFO_KINDS or self._info is None:
            self._info = self._compute_info()
        if SIGMOID in kinds or self._sigmoid_numbers is None:
            self._sigmoid_numbers = panel_numbers.sigmoid_numbers(self, self._sigmoid_numbers)
        if (kinds & {SOFTMAX, LOGITS, LABELS} or self._softmax_numbers is None
                or (DISTRIBUTIONS in kinds and panel_numbers.p_matters(self, self._softmax_numbers))):
            self._softmax_numbers = panel_numbers.softmax_numbers(self)
        if TRAINING_PARAMS in kinds or self._histories is None:
            self._histories = self._neuron_histories()   # CE run is "ce_book" in book mode
        self._recompute_training(kinds)                   # landscapes, dataset races (cached)

    def _compute_info(self) -> InfoNumbers:
        p, q, base = self._p, self._q, self.base
        eps = self._eps if self._eps_enabled else None
        # one fused pass: p and q validated once, every quantity from shared logs
        s = core.information_summary(p, q, base=base, eps=eps)
        impossible, impossible_qp = _impossible(p, q), _impossible(q, p)
        clipped = eps is not None and bool(np.any((q < eps) | (q > 1 - eps) | (p < eps) | (p > 1 - eps)))
        return InfoNumbers(
            unit=self._unit, base=base,
            entropy_p=s["entropy_p"], entropy_q=s["entropy_q"],
            cross_pq=s["cross_pq"], cross_qp=s["cross_qp"],
            kl_pq=s["kl_pq"], kl_qp=s["kl_qp"], js=s["js"],
            terms=s["terms"], impossible=impossible, impossible_qp=impossible_qp,
            eps=eps, clipped=clipped,
            **_readout_extras(p, q, base, eps, s),
        )

    # ------------------------------------------------------------------ distribution commands
    def set_dist(self, which: str, values, finished: bool = True) -> None:
        """Replace p or q (validated: N matches, entries in [0, 1], sum 1 within 1e-9)."""
        self._replace_dist(which, validate_distribution(which, values, self.n), finished)

    def _replace_dist(self, which: str, arr: np.ndarray, finished: bool) -> None:
        """Put the validated distribution *arr* (a new array, not shared) in place of p or q."""
        if which == "p":
            if np.array_equal(arr, self._p):
                return self._unchanged({DISTRIBUTIONS}, finished)
            self._p = arr
        else:
            if np.array_equal(arr, self._q):
                return self._unchanged({DISTRIBUTIONS}, finished)
            self._q = arr
            if self._q_logit_mode:
                self._q_logits = core.logits_from_probs(arr) * self._temperature
        self._emit({DISTRIBUTIONS}, finished)

    def _unchanged(self, kinds: set[str], finished: bool) -> None:
        """No value changed.  A drag that ends on the value it already had still ends: if an
        unfinished edit of these kinds is open, announce that it is finished."""
        if finished and not self._batch_depth and self._open_edits & kinds:
            self._open_edits -= kinds
            self.finish_edit(kinds)

    def set_p(self, values, finished: bool = True) -> None:
        self.set_dist("p", values, finished)

    def set_q(self, values, finished: bool = True) -> None:
        self.set_dist("q", values, finished)

    def set_distributions(self, p, q, labels=None, finished: bool = True) -> None:
        """Replace p, q (and optionally labels, possibly changing N) as one change."""
        p_arr = validate_distribution("p", p)
        q_arr = validate_distribution("q", q, p_arr.size)
        n = p_arr.size
        new_labels = self._labels if labels is None else self._validate_labels(labels, n)
        if labels is None and len(new_labels) != n:
            new_labels = self._default_labels(n)
        kinds = {DISTRIBUTIONS}
        if n != self.n:
            self._locks_p = np.zeros(n, dtype=bool)
            self._locks_q = np.zeros(n, dtype=bool)
            kinds |= {LOCKS, LABELS}
        if list(new_labels) != self._labels:
            kinds.add(LABELS)
        self._p, self._q, self._labels = p_arr, q_arr, list(new_labels)
        self._q_logits = core.logits_from_probs(q_arr) * self._temperature
        self._emit(kinds, finished)

    @staticmethod
    def _default_labels(n: int) -> list[str]:
        return [f"x{i + 1}" for i in range(n)]

    @staticmethod
    def _validate_labels(labels, n: int) -> list[str]:
        if not isinstance(labels, (list, tuple)) or len(labels) != n:
            raise ValueError(f"labels: expected {n} labels")
        out = []
        for i, lab in enumerate(labels):
            if not isinstance(lab, str):
                raise ValueError(f"labels: label {i} must be text, got {type(lab).__name__}")
            lab = lab.strip()
            if not lab or len(lab) > 40:
                raise ValueError(f"labels: label {i} must be 1 to 40 characters")
            out.append(lab)
        return out

    def set_labels(self, labels) -> None:
        new = self._validate_labels(labels, self.n)
        if new != self._labels:
            self._labels = new
            self._emit({LABELS}, True)

    def set_lock(self, which: str, index: int, locked: bool) -> None:
        locks = self._locks_p if which == "p" else self._locks_q
        if not 0 <= index < self.n:
            raise ValueError(f"index: {index} is not a category (0..{self.n - 1})")
        if bool(locks[index]) != bool(locked):
            locks[index] = bool(locked)
            self._emit({LOCKS}, True)

    # ------------------------------------------------------------------ logit mode
    def set_q_logit_mode(self, enabled: bool) -> None:
        enabled = bool(enabled)
        if enabled == self._q_logit_mode:
            return
        self._q_logit_mode = enabled
        if enabled:
            # preserve q: logits = T * (log q shifted), so softmax(z / T) == q
            self._q_logits = core.logits_from_probs(self._q) * self._temperature
        self._emit({LOGITS}, True)

    def set_q_logits(self, logits, finished: bool = True) -> None:
        z = validate_logits("logits", logits, self.n)
        if np.array_equal(z, self._q_logits) and self._q_logit_mode:
            return self._unchanged({LOGITS, DISTRIBUTIONS}, finished)
        self._q_logits = z
        if self._q_logit_mode:
            self._q = core.softmax(z, temperature=self._temperature)
        self._emit({LOGITS, DISTRIBUTIONS}, finished)

    def set_temperature(self, t, finished: bool = True) -> None:
        t = _as_float("temperature", t)
        if not 0.05 <= t <= 20.0:
            raise ValueError(f"temperature: must be in [0.05, 20], got {t:g}")
        if t == self._temperature:
            return self._unchanged({LOGITS, SOFTMAX}, finished)
        self._temperature = t
        kinds = {LOGITS, SOFTMAX}
        if self._q_logit_mode:
            self._q = core.softmax(self._q_logits, temperature=t)
            kinds.add(DISTRIBUTIONS)
        self._emit(kinds, finished)

    # ------------------------------------------------------------------ readout settings
    def set_unit(self, unit: str) -> None:
        if unit not in UNITS:
            raise ValueError(f"unit: expected one of {', '.join(UNITS)}, got {unit!r}")
        if unit != self._unit:
            self._unit = unit
            self._emit({UNIT}, True)

    def set_precision(self, digits: int) -> None:
        if not isinstance(digits, (int, np.integer)) or not 0 <= digits <= 12:
            raise ValueError(f"precision: expected 0 to 12 decimals, got {digits!r}")
        if digits != self._precision:
            self._precision = int(digits)
            self._emit({UNIT}, True)

    def set_eps(self, enabled: bool, eps=None) -> None:
        eps = self._eps if eps is None else _as_float("eps", eps)
        if not 0 < eps < 0.5:
            raise ValueError(f"eps: must be in (0, 0.5), got {eps:g}")
        if bool(enabled) == self._eps_enabled and eps == self._eps:
            return
        self._eps_enabled, self._eps = bool(enabled), eps
        self._emit({EPS}, True)

    # ------------------------------------------------------------------ sigmoid panel
    def set_z_marker(self, z, finished: bool = True) -> None:
        z = _as_float("z", z)
        if abs(z) > 1e3:
            raise ValueError(f"z: must be within ±1000, got {z:g}")
        if z == self._z_marker:
            return self._unchanged({SIGMOID}, finished)
        self._z_marker = z
        self._emit({SIGMOID}, finished)

    def set_sigmoid_input(self, x=None, y=None) -> None:
        x = self._sigmoid_x if x is None else _as_float("x", x)
        y = self._sigmoid_y if y is None else y
        if y not in (0, 1):
            raise ValueError(f"y: target must be 0 or 1, got {y!r}")
        if (x, y) != (self._sigmoid_x, self._sigmoid_y):
            self._sigmoid_x, self._sigmoid_y = x, int(y)
            self._emit({SIGMOID}, True)

    # ------------------------------------------------------------------ softmax panel
    def set_softmax_logits(self, logits, finished: bool = True) -> None:
        """Set the softmax panel's logits; when q is in logit mode these ARE q's logits."""
        if self._q_logit_mode:
            return self.set_q_logits(logits, finished)
        z = validate_logits("logits", logits)
        if np.array_equal(z, self._softmax_logits):
            return self._unchanged({SOFTMAX}, finished)
        self._softmax_logits = z
        self._emit({SOFTMAX}, finished)

    # ------------------------------------------------------------------ panel settings
    def set_sigmoid_z_range(self, lo, hi) -> None:
        """Set the z range of the sigmoid panel's curves; the z marker is moved inside it."""
        lo, hi = panel_numbers.validate_z_range(lo, hi)
        if (lo, hi) == self._sigmoid_z_range:
            return
        self._sigmoid_z_range = (lo, hi)
        self._z_marker = min(max(self._z_marker, lo), hi)
        self._emit({SIGMOID}, True)

    def set_sigmoid_log_scale(self, enabled: bool) -> None:
        """Show gradient magnitudes |∂L/∂·| on a log axis (True) or signed on a linear one."""
        enabled = bool(enabled)
        if enabled != self._sigmoid_log_scale:
            self._sigmoid_log_scale = enabled
            self._emit({SIGMOID}, True)

    def set_sigmoid_grad_wrt(self, wrt: str) -> None:
        """Plot and read out ∂L/∂w ("w") or ∂L/∂z ("z")."""
        if wrt not in panel_numbers.GRAD_WRT:
            raise ValueError(f"grad_wrt: expected 'w' or 'z', got {wrt!r}")
        if wrt != self._sigmoid_grad_wrt:
            self._sigmoid_grad_wrt = wrt
            self._emit({SIGMOID}, True)

    def set_softmax_target(self, kind: str | None = None, cls: int | None = None) -> None:
        """Choose the softmax target: y = p ("p") or y = one-hot of class *cls* ("onehot")."""
        kind = self._softmax_target if kind is None else kind
        if kind not in panel_numbers.SOFTMAX_TARGETS:
            raise ValueError(f"target: expected 'p' or 'onehot', got {kind!r}")
        m = self.softmax_logits.size
        cls = (min(self._softmax_target_class, m - 1) if cls is None
               else panel_numbers.validate_index("target class", cls, m))
        if (kind, cls) != (self._softmax_target, self._softmax_target_class):
            self._softmax_target, self._softmax_target_class = kind, cls
            self._emit({SOFTMAX}, True)

    def set_softmax_focus(self, j: int) -> None:
        """Pick the logit j whose derivation of ∂L/∂z_j the softmax panel spells out."""
        j = panel_numbers.validate_index("logit", j, self.softmax_logits.size)
        if j != self._softmax_focus:
            self._softmax_focus = j
            self._emit({SOFTMAX}, True)

    def resize_softmax_logits(self, count: int) -> None:
        """Use *count* free-standing logits (new ones start at 0).  Not while linked to q."""
        if self._q_logit_mode:
            raise ValueError("logits: linked to q's logits — change the number of categories instead")
        count = panel_numbers.validate_index("logit count", count, MAX_CATEGORIES + 1)
        if count < MIN_CATEGORIES:
            raise ValueError(f"logit count: needs {MIN_CATEGORIES} to {MAX_CATEGORIES}, got {count}")
        old = self._softmax_logits
        new = np.zeros(count)
        new[:min(count, old.size)] = old[:count]
        self.set_softmax_logits(new)

    # ------------------------------------------------------------------ training
    def set_training_params(self, **changes) -> None:
        """Update training parameters (w0, b0, x, y, lr, epochs, preset); resets progress."""
        allowed = set(TrainingParams.__dataclass_fields__)
        unknown = set(changes) - allowed
        if unknown:
            raise ValueError(f"training: unknown parameter(s) {', '.join(sorted(unknown))}")
        clean = {}
        for k, v in changes.items():
            if k == "preset":
                clean[k] = str(v)
            elif k == "book_mode":
                if not isinstance(v, (bool, np.bool_)):
                    raise ValueError(f"book_mode: expected true or false, got {v!r}")
                clean[k] = bool(v)
            elif k == "epochs":
                if not isinstance(v, (int, np.integer)) or not 1 <= v <= 100_000:
                    raise ValueError(f"epochs: expected an integer 1 to 100000, got {v!r}")
                clean[k] = int(v)
            else:
                clean[k] = _as_float(k, v)
        if "y" in clean and not 0 <= clean["y"] <= 1:
            raise ValueError(f"y: target must be in [0, 1], got {clean['y']:g}")
        if "lr" in clean and not 0 < clean["lr"] <= 100:
            raise ValueError(f"lr: learning rate must be in (0, 100], got {clean['lr']:g}")
        new = replace(self._training, **clean)
        if new != self._training:
            self._training = new
            self._training_epoch = 0
            self._emit({TRAINING_PARAMS, TRAINING_PROGRESS}, True)

    def set_training_epoch(self, epoch: int, finished: bool = True) -> None:
        epoch = int(epoch)
        if not 0 <= epoch <= self._training.epochs:
            raise ValueError(f"epoch: must be in 0..{self._training.epochs}, got {epoch}")
        if epoch == self._training_epoch:
            return self._unchanged({TRAINING_PROGRESS}, finished)
        self._training_epoch = epoch
        self._emit({TRAINING_PROGRESS}, finished)

    def set_training_running(self, running: bool) -> None:
        running = bool(running)
        if running != self._training_running:
            self._training_running = running
            self._emit({TRAINING_PROGRESS}, True)

    # ------------------------------------------------------------------ distribution editors
    def _check_which(self, which: str) -> str:
        if which not in ("p", "q"):
            raise ValueError(f"which: expected 'p' or 'q', got {which!r}")
        return which

    def _check_index(self, index) -> int:
        if isinstance(index, bool) or not isinstance(index, (int, np.integer)):
            raise ValueError(f"index: expected a category number, got {index!r}")
        if not 0 <= index < self.n:
            raise ValueError(f"index: {index} is not a category (0..{self.n - 1})")
        return int(index)

    @contextmanager
    def _naming(self, text: str):
        """Name the undo step recorded while this block runs (an already translated text)."""
        outer = self._undo_text
        self._undo_text = outer or text
        try:
            yield
        finally:
            self._undo_text = outer

    def set_value(self, which: str, index: int, value, finished: bool = True) -> None:
        """Set bar *index* of p or q to *value*; the other bars re-normalise by
        :func:`explorer.core.redistribute` (taken proportionally from the other unlocked bars,
        clamped when they are all 0 or locked).  When q is in logit mode, *value* is the logit
        z_i of q (the bars show z) and q = softmax(z / T) follows."""
        which = self._check_which(which)
        index = self._check_index(index)
        value = _as_float("value", value)
        label = self._labels[index]
        if which == "q" and self._q_logit_mode:
            if abs(value) > 1e3:
                raise ValueError(f"value: a logit must be within ±1000, got {value:g}")
            z = self._q_logits.copy()
            z[index] = value
            with self._naming(i18n.tr("Set logit z of “{label}”").format(label=label)):
                return self.set_q_logits(z, finished)
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"value: a probability must be in [0, 1], got {value:g}")
        current, locks = (self._p, self._locks_p) if which == "p" else (self._q, self._locks_q)
        new = core.redistribute(current, index, value, locks)   # a new array; inputs untouched
        # redistribute returns entries in [0, 1] that sum to 1 within 1e-12, which
        # validate_distribution would hand back unchanged: only a result off by more goes
        # through it (to be renormalised, or rejected)
        if not abs(float(np.add.reduce(new)) - 1.0) <= 1e-12:
            new = validate_distribution(which, new, self.n)
        with self._naming(i18n.tr("Set {which}(“{label}”)").format(which=which, label=label)):
            self._replace_dist(which, new, finished)

    def cancel_edit(self) -> bool:
        """Abandon an unfinished edit (a drag cancelled by Esc or right-click): restore the state
        of the last finished edit exactly.  Returns True if there was something to cancel."""
        if not self._open_edits & UNDO_KINDS or self._batch_depth:
            return False
        self._restore_snapshot(self._committed)
        return True

    def _restore_snapshot(self, snap: dict) -> None:
        """Put a distribution-section snapshot back (undo, redo, cancel) as one finished change
        that is not itself recorded as an undo step."""
        old_n = self.n
        for attr, value in snap.items():
            setattr(self, attr, value.copy() if isinstance(value, np.ndarray)
                    else list(value) if isinstance(value, list) else value)
        kinds = {DISTRIBUTIONS, LABELS, LOCKS, LOGITS, SOFTMAX}
        if self._highlight is not None and self._highlight >= self.n:
            self._highlight = None
            kinds.add(HIGHLIGHT)
        if self.n != old_n:
            kinds.add(HIGHLIGHT)
        self._committed = take_snapshot(self)
        self._restoring = True
        try:
            self._emit(kinds, True)
        finally:
            self._restoring = False

    def _record_undo(self) -> None:
        """After a finished edit: push one undo step if the distribution section changed."""
        if self._restoring:
            return
        snap = take_snapshot(self)
        before = self._committed
        if not snapshots_equal(before, snap):
            text = self._undo_text or i18n.tr(describe(before, snap))
            self._committed = snap
            self.undo_stack.push(SnapshotCommand(self, before, snap, text))

    def set_n(self, n: int) -> None:
        """Change the number of categories (2 to 1000; the UI offers up to 50).  New categories
        get a uniform share taken from the unlocked bars, removed ones are re-normalised into the
        kept unlocked bars (:func:`explorer.core.resize_distribution`); labels are extended with
        x<k> names or truncated, locks of new bars are off."""
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
            raise ValueError(f"n: expected a whole number of categories, got {n!r}")
        if not MIN_CATEGORIES <= n <= MAX_CATEGORIES:
            raise ValueError(f"n: needs {MIN_CATEGORIES} to {MAX_CATEGORIES} categories, got {n}")
        n, old = int(n), self.n
        if n == old:
            return
        p = core.resize_distribution(self._p, n, self._locks_p)
        q = core.resize_distribution(self._q, n, self._locks_q)
        labels = self._labels[:n]
        taken = set(labels)
        k = 1
        while len(labels) < n:
            name = f"x{k}"
            if name not in taken:
                labels.append(name)
                taken.add(name)
            k += 1
        grow = np.zeros(max(0, n - old), dtype=bool)
        self._locks_p = np.concatenate([self._locks_p[:n], grow])
        self._locks_q = np.concatenate([self._locks_q[:n], grow])
        self._p, self._q, self._labels = p, q, labels
        self._q_logits = core.logits_from_probs(q) * self._temperature
        kinds = {DISTRIBUTIONS, LABELS, LOCKS, LOGITS}
        if self._highlight is not None and self._highlight >= n:
            self._highlight = None
        kinds.add(HIGHLIGHT)
        with self._naming(i18n.tr("Set {n} categories").format(n=n)):
            self._emit(kinds, True)

    def set_label(self, index: int, text) -> None:
        """Rename category *index* (1 to 40 characters after trimming spaces)."""
        index = self._check_index(index)
        if not isinstance(text, str):
            raise ValueError(f"label: expected text, got {type(text).__name__}")
        labels = list(self._labels)
        labels[index] = text
        new = self._validate_labels(labels, self.n)
        if new != self._labels:
            text = i18n.tr("Rename “{old}” to “{new}”").format(old=self._labels[index], new=new[index])
            self._labels = new
            with self._naming(text):
                self._emit({LABELS}, True)

    def toggle_lock(self, which: str, index: int) -> None:
        which = self._check_which(which)
        index = self._check_index(index)
        locked = not bool(self.locks(which)[index])
        text = (i18n.tr("Lock {which}(“{label}”)") if locked
                else i18n.tr("Unlock {which}(“{label}”)")).format(which=which, label=self._labels[index])
        with self._naming(text):
            self.set_lock(which, index, locked)

    def swap_pq(self) -> None:
        """Exchange p and q (locks stay with their editor)."""
        if np.array_equal(self._p, self._q):
            return
        self._p, self._q = self._q.copy(), self._p.copy()
        self._q_logits = core.logits_from_probs(self._q) * self._temperature
        with self._naming(i18n.tr("Swap p ↔ q")):
            self._emit({DISTRIBUTIONS, LOGITS}, True)

    def copy_dist(self, source: str = "p", target: str = "q") -> None:
        """Copy p to q (or q to p): after it, H(p, q) = H(p) and both KL divergences are 0."""
        source, target = self._check_which(source), self._check_which(target)
        if source == target:
            raise ValueError("copy: source and target must differ")
        with self._naming(i18n.tr("Copy {source} → {target}").format(source=source, target=target)):
            self.set_dist(target, self.dist(source).copy())

    def apply_preset(self, name: str, which: str = "both", **options) -> None:
        """Apply preset *name* (see :data:`explorer.presets.PRESETS`; an English title works too)
        as one change and one undo step.  Generated presets (uniform, one-hot, random) fill
        *which* = "p", "q" or "both"; options: ``n`` (change the number of categories too),
        ``index`` (one-hot class), ``seed`` and ``concentration`` (random).  Examples set p, q
        and the labels together."""
        name = presets_mod.resolve(name)
        unknown = set(options) - {"n", "index", "seed", "concentration"}
        if unknown:
            raise ValueError(f"preset: unknown option(s) {', '.join(sorted(unknown))}")
        n = options.pop("n", self.n)
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) \
                or not MIN_CATEGORIES <= n <= MAX_CATEGORIES:
            raise ValueError(f"n: needs {MIN_CATEGORIES} to {MAX_CATEGORIES} categories, got {n!r}")
        built = presets_mod.build(name, n=int(n), which=which, **options)
        title = i18n.tr(presets_mod.title(name))
        if presets_mod.is_example(name):
            labels = [i18n.tr(x) for x in built["labels"]]
            with self._naming(i18n.tr("Preset: {title}").format(title=title)):
                return self.set_distributions(built["p"], built["q"], labels)
        target = {"p": "p", "q": "q", "both": i18n.tr("p and q")}[which]
        with self._naming(i18n.tr("Preset: {title} ({target})").format(title=title, target=target)), \
                self.batch():
            self.set_n(int(n))
            if which in ("p", "both"):
                self.set_p(built["p"])
            if which in ("q", "both"):
                self.set_q(built["q"])

    # ------------------------------------------------------------------ shared hover
    def set_highlight(self, index: int | None) -> None:
        """Point at category *index* (None = nothing); every dock may highlight it."""
        if index is not None:
            index = int(index)
            if not 0 <= index < self.n:
                index = None
        if index != self._highlight:
            self._highlight = index
            self._emit({HIGHLIGHT}, True)

    # ------------------------------------------------------------------ serialisation
    def to_dict(self) -> dict:
        """Plain JSON-able dict of the whole state, with a ``"version"``."""
        return {
            "version": SCHEMA_VERSION,
            "p": self._p.tolist(),
            "q": self._q.tolist(),
            "labels": list(self._labels),
            "locks_p": self._locks_p.tolist(),
            "locks_q": self._locks_q.tolist(),
            "q_logit_mode": self._q_logit_mode,
            "q_logits": self._q_logits.tolist(),
            "temperature": self._temperature,
            "unit": self._unit,
            "precision": self._precision,
            "eps_enabled": self._eps_enabled,
            "eps": self._eps,
            "z_marker": self._z_marker,
            "sigmoid_x": self._sigmoid_x,
            "sigmoid_y": self._sigmoid_y,
            "softmax_logits": self._softmax_logits.tolist(),
            **panel_numbers.settings_to_dict(self),
            "training": asdict(self._training),
            "training_epoch": self._training_epoch,
            **self._training_to_dict(),
        }

    def from_dict(self, data: dict) -> None:
        """Load a state dict.  Everything is validated on a scratch model first, so a bad dict
        raises ValueError (naming the field) and leaves this model untouched."""
        if not isinstance(data, dict):
            raise ValueError("session: expected a JSON object")
        version = data.get("version")
        if version != SCHEMA_VERSION:
            raise ValueError(f"version: unsupported version {version!r} (expected {SCHEMA_VERSION})")
        scratch = AppModel.__new__(AppModel)
        QObject.__init__(scratch)
        scratch.__dict__.update({k: v for k, v in self.__dict__.items()})
        scratch._batch_depth = 1   # never emits
        scratch._pending = set()
        scratch._locks_p = self._locks_p.copy()
        scratch._locks_q = self._locks_q.copy()
        try:
            scratch.set_distributions(data["p"], data["q"], data.get("labels"))
            n = scratch.n
            for key in ("locks_p", "locks_q"):
                locks = data.get(key, [False] * n)
                if not isinstance(locks, list) or len(locks) != n or not all(isinstance(b, bool) for b in locks):
                    raise ValueError(f"{key}: expected {n} true/false values")
                setattr(scratch, "_" + key, np.array(locks, dtype=bool))
            scratch.set_temperature(data.get("temperature", 1.0))
            if data.get("q_logit_mode", False):
                scratch._q_logit_mode = False
                scratch.set_q_logit_mode(True)
                if "q_logits" in data:
                    scratch.set_q_logits(data["q_logits"])
            scratch.set_unit(data.get("unit", "nats"))
            scratch.set_precision(data.get("precision", 4))
            eps_enabled = data.get("eps_enabled", False)
            if not isinstance(eps_enabled, bool):
                raise ValueError("eps_enabled: expected true or false")
            scratch.set_eps(eps_enabled, data.get("eps", 1e-15))
            scratch.set_z_marker(data.get("z_marker", 2.0))
            scratch.set_sigmoid_input(data.get("sigmoid_x", 1.0), data.get("sigmoid_y", 0))
            scratch._softmax_logits = validate_logits(
                "softmax_logits", data.get("softmax_logits", [2.0, 1.0, 0.1]))
            panel_numbers.load_settings(scratch, data)
            training = data.get("training", {})
            if not isinstance(training, dict):
                raise ValueError("training: expected an object")
            scratch._training = TrainingParams()
            scratch.set_training_params(**training)
            scratch._training_from_dict(data)
            scratch.set_training_epoch(data.get("training_epoch", 0))
        except KeyError as exc:
            raise ValueError(f"{exc.args[0]}: missing") from None
        state_keys = ("_p", "_q", "_labels", "_locks_p", "_locks_q", "_q_logit_mode", "_q_logits",
                      "_temperature", "_unit", "_precision", "_eps_enabled", "_eps", "_z_marker",
                      "_sigmoid_x", "_sigmoid_y", "_softmax_logits", "_training", "_training_epoch",
                      *self.TRAINING_STATE_KEYS)
        state_keys += panel_numbers.STATE_KEYS
        with self.batch():
            for key in state_keys:
                setattr(self, key, getattr(scratch, key))
            self._histories = None
            self._pending |= {DISTRIBUTIONS, LABELS, LOCKS, LOGITS, UNIT, EPS, SIGMOID, SOFTMAX,
                              TRAINING_PARAMS, TRAINING_PROGRESS, DATASET, TRAINING_VIEW}
