"""The one shared model: it owns every piece of app state and hands derived numbers to the views.

Data flow is one-way (see ``../shared/STYLE.md``)::

    view emits an intent -> window calls a model command -> model validates, updates,
    recomputes derived numbers ONCE via :mod:`explorer.core`, emits one signal -> docks redraw

The state itself is :class:`~explorer.model.state.ModelState`, made of small immutable
sections whose fields are declared once (:mod:`explorer.model.fields`): a command builds a new
section with the section's own rule (``DistributionState.with_value`` …), and :meth:`_commit`
swaps it in, derives from the declarations what changed, recomputes and emits.  A command that
raises has changed nothing.

Signals come in a pair, like pyqtgraph's ``sigRegionChanged`` / ``sigRegionChangeFinished``:

* ``sigChanged(Change)`` on every change, including each move of a drag (cheap redraws);
* ``sigChangeFinished(Change)`` once when an edit is complete (undo entry, autosave, slow work).

A change is only emitted when something really changed.  Several field updates can be grouped
with ``with model.batch(): ...`` so that loading a preset or a session emits a single change.
"""
from __future__ import annotations

from contextlib import contextmanager

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from explorer import i18n
from explorer.core.errors import InputError
from explorer import presets as presets_mod
from explorer.model import checks, panel_numbers, training_numbers
from explorer.model.change import (  # noqa: F401  (kinds re-exported for the docks)
    ALL_KINDS, BATCH, DATASET, DISTRIBUTIONS, EPS, HIGHLIGHT, INFO_KINDS, LABELS, LOCKS, LOGITS, SAMPLE,
    SAMPLE_VIEW, SIGMOID, SOFTMAX, TRAINING_PARAMS, TRAINING_PROGRESS, TRAINING_VIEW, UNDO_KINDS,
    UNIT, Change)
from explorer.model.batch_state import BATCH_PRESETS, BatchNumbers, batch_numbers  # noqa: F401
from explorer.model.checks import MAX_CATEGORIES, MIN_CATEGORIES, SUM_TOLERANCE  # noqa: F401
from explorer.model.distribution import DEFAULT_LABELS
from explorer.model.info_numbers import InfoNumbers, info_numbers
from explorer.model.readout import UNIT_SYMBOLS, UNITS  # noqa: F401
from explorer.model.sample_numbers import SampleCache, SampleNumbers
from explorer.model.sampling_state import SAMPLE_RATES  # noqa: F401
from explorer.model.state import SCHEMA_VERSION, ModelState  # noqa: F401
from explorer.model.training_state import (  # noqa: F401  (presets and limits re-exported)
    DATASET_KINDS, TRAINING_MODES, TRAINING_PRESETS, DatasetParams, TrainingParams, check_dataset)
from explorer.model.undo import SnapshotCommand, describe

MAX_UI_CATEGORIES = 50     # the UI offers up to 50 categories; the model takes up to 1000
#: a sample larger than this is re-scored when a drag of p or q ends, not on every move
LIVE_RESCORE_LIMIT = 20_000


def validate_distribution(name: str, values, n: int | None = None) -> np.ndarray:
    """*values* as a float64 distribution, or a ValueError naming *name*."""
    return checks.distribution(name, values, n)


def validate_logits(name: str, values, n: int | None = None) -> np.ndarray:
    """*values* as finite float64 logits (|z| ≤ 1e3), or a ValueError naming *name*."""
    return checks.logits(name, values, n)


class AppModel(QObject):
    """Owner of all state.  Views read attributes; they change state only through methods."""

    sigChanged = Signal(object)         # Change, on every change (also during drags)
    sigChangeFinished = Signal(object)  # Change, once per completed edit

    def __init__(self, parent=None):
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(500)   # each step holds two snapshots (≈40 kB at N = 1000)
        self._batch_depth = 0
        self._pending: set[str] = set()
        self._pending_finished = True
        self._open_edits: set[str] = set()   # kinds with a "changing" edit not yet finished
        state = ModelState()
        # the starting example's labels in the interface language (猫, 狗, 马 in Chinese);
        # once set, labels are data and do not change with the language
        labels = tuple(i18n.tr(x) for x in DEFAULT_LABELS)
        self._state = state.evolve(dist=state.dist.evolve(labels=labels)).seal()
        # --- transient view state shared by docks (not saved) ------------------------------
        self._highlight: int | None = None       # the category under the pointer
        self._training_running = False           # the race is animating
        self._sample_running = False             # the sample is drawing events
        # --- derived numbers, computed once per change -----------------------------------
        self._info: InfoNumbers | None = None
        self._sigmoid_numbers = None
        self._sigmoid_family = None
        self._softmax_numbers = None
        self._softmax_race = panel_numbers.SoftmaxRaceCache()
        self._softmax_race_stale = False
        self._point_logits = None
        self._histories: dict | None = None
        self._landscape = None
        self._races = training_numbers.RaceCache()
        self._samples = SampleCache()
        self._sample_numbers: SampleNumbers | None = None
        self._sample_stale = False
        self._batch_numbers: BatchNumbers | None = None
        #: why the sample was last emptied by something other than Reset ("n" when N changed),
        #: until the next draw — the sampling panel says so
        self._sample_note: str | None = None
        self._recompute(ALL_KINDS)
        # --- undo: the editors' section as of the last finished edit (explorer.model.undo)
        self._committed = self._state.dist
        self._undo_text: str | None = None
        self._restoring = False

    # ------------------------------------------------------------------ read-only state
    @property
    def state(self) -> ModelState:
        """The whole saved state (immutable sections; read, never write)."""
        return self._state

    @property
    def p(self) -> np.ndarray:
        return self._state.dist.p            # read-only array

    @property
    def q(self) -> np.ndarray:
        return self._state.dist.q

    @property
    def n(self) -> int:
        return self._state.dist.n

    @property
    def labels(self) -> list[str]:
        return list(self._state.dist.labels)

    @property
    def locks_p(self) -> np.ndarray:
        return self._state.dist.locks_p.copy()

    @property
    def locks_q(self) -> np.ndarray:
        return self._state.dist.locks_q.copy()

    def locks(self, which: str) -> np.ndarray:
        return self._state.dist.locks(which).copy()

    def dist(self, which: str) -> np.ndarray:
        return self._state.dist.dist(which)

    @property
    def q_logit_mode(self) -> bool:
        return self._state.dist.q_logit_mode

    @property
    def q_logits(self) -> np.ndarray:
        return self._state.dist.q_logits.copy()

    @property
    def temperature(self) -> float:
        return self._state.dist.temperature

    @property
    def unit(self) -> str:
        return self._state.readout.unit

    @property
    def base(self) -> float | None:
        return self._state.readout.base

    @property
    def precision(self) -> int:
        return self._state.readout.precision

    @property
    def eps_enabled(self) -> bool:
        return self._state.readout.eps_enabled

    @property
    def eps(self) -> float:
        return self._state.readout.eps

    @property
    def info(self) -> InfoNumbers:
        return self._info

    @property
    def z_marker(self) -> float:
        return self._state.sigmoid.z_marker

    @property
    def sigmoid_x(self) -> float:
        return self._state.sigmoid.x

    @property
    def sigmoid_y(self) -> int:
        return self._state.sigmoid.y

    @property
    def softmax_logits(self) -> np.ndarray:
        """Logits shown by the softmax panel: q's logits when q is in logit mode (one source of
        truth), otherwise the panel's own logits."""
        return panel_numbers.shown_logits(self._state.dist, self._state.softmax).copy()

    @property
    def sigmoid_z_range(self) -> tuple:
        return self._state.sigmoid.z_range

    @property
    def sigmoid_log_scale(self) -> bool:
        return self._state.sigmoid.log_scale

    @property
    def sigmoid_grad_wrt(self) -> str:
        return self._state.sigmoid.grad_wrt

    @property
    def softmax_temperature(self) -> float:
        """T of the softmax panel: q's T when it shows q's logits, else the panel's own (the
        panels move each other only when they are linked)."""
        if self._state.dist.q_logit_mode:
            return self._state.dist.temperature
        return self._state.softmax.temperature

    @property
    def softmax_target(self) -> str:
        """"p" (y = p when the lengths match) or "onehot" (y = one-hot of softmax_target_class)."""
        return self._state.softmax.target

    @property
    def softmax_target_class(self) -> int:
        return self._state.softmax.target_class

    @property
    def softmax_focus(self) -> int:
        return self._state.softmax.focus

    @property
    def sigmoid_losses(self) -> tuple:
        """The losses the sigmoid panel draws (names of :data:`explorer.core.BINARY_LOSSES`)."""
        return self._state.sigmoid.losses

    @property
    def sigmoid_focal_gamma(self) -> float:
        return self._state.sigmoid.focal_gamma

    @property
    def sigmoid_smoothing(self) -> float:
        """ε of the sigmoid panel's smoothed-CE curve (target y(1 − ε) + ε/2)."""
        return self._state.sigmoid.smoothing

    @property
    def softmax_smoothing(self) -> float:
        """Label smoothing ε of the softmax panel's target, y_ε = (1 − ε) y + ε/K."""
        return self._state.softmax.smoothing

    @property
    def softmax_settings(self):
        """:class:`~explorer.model.softmax_state.SoftmaxPanelState` (the race's η, epochs,
        losses and whether it is shown, among others)."""
        return self._state.softmax

    @property
    def softmax_race(self):
        """The logit-growth race of the softmax panel (:class:`explorer.core.SoftmaxRace`:
        the panel's logits trained towards its target with each of two losses), or None while
        it is hidden.  During a drag of the logits it keeps the race of the last finished edit
        (:attr:`softmax_race_stale` is then True)."""
        if not self._state.softmax.race_shown:
            return None
        if self._softmax_race_stale:
            return self._softmax_race.last
        return self._softmax_race.get(self._softmax_numbers, self._state.softmax)

    @property
    def softmax_race_stale(self) -> bool:
        """True while a drag goes on and the race waits for the finished edit."""
        return self._softmax_race_stale and self._state.softmax.race_shown

    def sigmoid_family(self) -> dict:
        """``{loss: LossValues}`` of every loss of the family at the z marker, with the panel's
        γ and ε (computed when first asked after a change, then cached)."""
        num = self._sigmoid_numbers
        cached = self._sigmoid_family
        if cached is None or cached[0] is not num:
            self._sigmoid_family = cached = (num, panel_numbers.family_at_marker(num))
        return cached[1]

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
        return self._state.training.params

    @property
    def training_epoch(self) -> int:
        return self._state.training.epoch

    @property
    def training_running(self) -> bool:
        """True while the training race animates (other docks show its moving markers)."""
        return self._training_running

    @property
    def training_speed(self) -> float:
        """Animation speed in epochs per second (1 to 1000)."""
        return self._state.training.playback.speed

    @property
    def training_loop(self) -> bool:
        return self._state.training.playback.loop

    @property
    def training_mode(self) -> str:
        """``"neuron"``, ``"dataset"`` (two classes) or ``"multiclass"`` (cat, dog, horse)."""
        return self._state.training.playback.mode

    @property
    def dataset_params(self) -> DatasetParams:
        return self._state.training.dataset

    def dataset_points(self, which: str) -> np.ndarray:
        """Read-only ``(n, 3)`` array ``[x1, x2, label]`` of the ``"dataset"`` or
        ``"multiclass"`` data."""
        return self._state.training.points(which)

    @property
    def selected_point(self) -> int:
        """Index of the multi-class point whose class probabilities are shown."""
        return self._state.training.selected_point

    @property
    def sampling(self):
        """:class:`~explorer.model.sampling_state.SamplingState`: seed, draws, rate, axis."""
        return self._state.sampling

    @property
    def sample_numbers(self) -> SampleNumbers:
        """The sample's events and running statistics (:mod:`explorer.model.sample_numbers`)."""
        return self._sample_numbers

    @property
    def sample_running(self) -> bool:
        """True while the sampling panel draws events continuously."""
        return self._sample_running

    @property
    def sample_stale(self) -> bool:
        """True while a drag of p or q goes on and the (large) sample waits to be re-scored."""
        return self._sample_stale

    @property
    def sample_note(self) -> str | None:
        """``"n"`` when the last change of N emptied the sample (until the next draw)."""
        return self._sample_note

    @property
    def batch_table(self):
        """:class:`~explorer.model.batch_state.BatchState`: the batch table's rows and mode
        (``model.batch()`` is the context manager that groups updates)."""
        return self._state.batch

    @property
    def batch_numbers(self) -> BatchNumbers:
        """Each row's loss term, the mean L and scikit-learn's log_loss of the batch shown."""
        return self._batch_numbers

    @property
    def highlight(self) -> int | None:
        """Index of the category the user is pointing at in any dock, or None."""
        return self._highlight

    @property
    def histories(self) -> dict:
        """``{"mse": NeuronHistory, "ce": NeuronHistory}`` for the current training params."""
        return self._histories

    @property
    def landscape(self) -> training_numbers.NeuronLandscape:
        """Loss landscapes of the single-neuron race (computed once per parameter change)."""
        return self._landscape

    def race(self, which: str):
        """The :class:`explorer.core.ClassifierRace` of a dataset (cached): its two runs use
        :attr:`dataset_losses` (MSE vs CE by default)."""
        return self._races.get(self._state.training, check_dataset(which))

    @property
    def training_losses(self) -> tuple:
        """The two losses of the single-neuron race (:mod:`explorer.model.loss_choice` specs);
        ``model.histories`` is keyed by their run names."""
        return self._state.training.params.losses

    @property
    def dataset_losses(self) -> tuple:
        """The two losses of the dataset races."""
        return self._state.training.dataset.losses

    def multiclass_point_logits(self):
        """:class:`explorer.model.training_numbers.PointLogits` of the selected multi-class
        point along both runs (largest logit, margin, max a per epoch), cached."""
        race = self.race("multiclass")
        index = min(self.selected_point, len(race.labels) - 1)
        cached = self._point_logits
        if cached is None or cached[0] is not race or cached[1].index != index:
            self._point_logits = cached = (race, training_numbers.point_logits(race, index))
        return cached[1]

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

    def _commit(self, section: str, new, finished: bool = True, same=None, extra=(),
                always=False) -> None:
        """Swap in the new *section* object built by a command; emit the kinds its changed
        fields declare (plus *extra*).  When nothing changed, a drag of kinds *same* that is
        still open is announced finished (a drag may end on the value it already had) — or,
        with *always* (re-applying a preset), *same* is emitted anyway."""
        old = getattr(self._state, section)
        kinds = set() if new is old else new.changed_kinds(old)
        new.seal()
        if not kinds and always:
            kinds = set(same)
        if not kinds:
            if same is None:
                same = set().union(*(s.kinds for s in type(old).specs()))
            return self._unchanged(set(same), finished)
        state = self._state.evolve(**{section: new})
        fixed = state.consistent()
        if fixed is not state:                 # N changed: the sample starts again
            kinds.add(SAMPLE)
            self._sample_note = "n"
        self._state = fixed.seal()
        self._emit(kinds | set(extra), finished)

    def _emit(self, kinds: set[str], finished: bool) -> None:
        if finished:
            self._open_edits -= set(kinds)
        else:
            self._open_edits |= set(kinds)
        if self._batch_depth:
            self._pending |= kinds
            self._pending_finished = self._pending_finished and finished
            return
        self._recompute(kinds, finished)
        if finished and not UNDO_KINDS.isdisjoint(kinds):
            self._record_undo()
        change = Change(frozenset(kinds), finished)
        self.sigChanged.emit(change)
        if finished:
            self.sigChangeFinished.emit(change)

    def _unchanged(self, kinds: set[str], finished: bool) -> None:
        """No value changed.  A drag that ends on the value it already had still ends: if an
        unfinished edit of these kinds is open, announce that it is finished."""
        if finished and not self._batch_depth and self._open_edits & kinds:
            self._open_edits -= kinds
            self.finish_edit(kinds)

    def finish_edit(self, kinds=(DISTRIBUTIONS,)) -> None:
        """Announce that a continuous edit (a drag) has ended without a further value change."""
        self._open_edits -= set(kinds)
        if self._sample_stale:
            self._recompute({SAMPLE}, True)
        if self._softmax_race_stale:
            self._recompute({SOFTMAX}, True)
        if not UNDO_KINDS.isdisjoint(kinds):
            self._record_undo()
        change = Change(frozenset(kinds), True)
        self.sigChanged.emit(change)
        self.sigChangeFinished.emit(change)

    def _recompute(self, kinds, finished: bool = True) -> None:
        s = self._state
        if kinds & INFO_KINDS or self._info is None:
            r = s.readout
            self._info = info_numbers(s.dist.p, s.dist.q, r.unit, r.base,
                                      r.eps if r.eps_enabled else None)
        if SIGMOID in kinds or self._sigmoid_numbers is None:
            self._sigmoid_numbers = panel_numbers.sigmoid_numbers(s.sigmoid, self._sigmoid_numbers)
        if (kinds & {SOFTMAX, LOGITS, LABELS} or self._softmax_numbers is None
                or (DISTRIBUTIONS in kinds and panel_numbers.p_matters(s.dist, self._softmax_numbers))):
            self._softmax_numbers = panel_numbers.softmax_numbers(s.dist, s.softmax)
        if s.softmax.race_shown:
            # the race costs tens of ms: during a drag it waits for the finished edit
            if finished or self._softmax_race.last is None:
                self._softmax_race.get(self._softmax_numbers, s.softmax)
                self._softmax_race_stale = False
            else:
                self._softmax_race_stale = not self._softmax_race.matches(
                    self._softmax_numbers, s.softmax)
        if TRAINING_PARAMS in kinds or self._histories is None:
            self._histories = training_numbers.neuron_histories(s.training.params)
            self._landscape = training_numbers.neuron_landscape(
                s.training.params, self._histories, self._landscape)
        mode = s.training.playback.mode
        if kinds & {DATASET, TRAINING_PARAMS, TRAINING_VIEW} and mode in DATASET_KINDS:
            self._races.get(s.training, mode)
        if BATCH in kinds or self._batch_numbers is None:
            self._batch_numbers = batch_numbers(s.batch)
        if kinds & (INFO_KINDS | {SAMPLE, SAMPLE_VIEW}) or self._sample_numbers is None \
                or self._sample_stale:
            # re-scoring a large sample costs O(n): during a drag of p or q it waits for the
            # finished edit (the panel says so), so that every move stays within a frame
            big = s.sampling.count > LIVE_RESCORE_LIMIT
            if finished or not big or SAMPLE in kinds or self._sample_numbers is None:
                r = s.readout
                self._sample_numbers = self._samples.numbers(s.sampling, s.dist.p, s.dist.q, r.base)
                self._sample_stale = False
            else:
                self._sample_stale = True

    # ------------------------------------------------------------------ undo
    @contextmanager
    def _naming(self, text: str):
        """Name the undo step recorded while this block runs (an already translated text)."""
        outer = self._undo_text
        self._undo_text = outer or text
        try:
            yield
        finally:
            self._undo_text = outer

    def cancel_edit(self) -> bool:
        """Abandon an unfinished edit (a drag cancelled by Esc or right-click): restore the state
        of the last finished edit exactly.  Returns True if there was something to cancel."""
        if not self._open_edits & UNDO_KINDS or self._batch_depth:
            return False
        self._restore_snapshot(self._committed)
        return True

    def _restore_snapshot(self, snap) -> None:
        """Put a distribution-section snapshot back (undo, redo, cancel) as one finished change
        that is not itself recorded as an undo step."""
        old_n = self.n
        state = self._state.evolve(dist=snap)
        fixed = state.consistent()
        self._state = fixed.seal()
        kinds = {DISTRIBUTIONS, LABELS, LOCKS, LOGITS, SOFTMAX}
        if fixed is not state:
            kinds.add(SAMPLE)
            self._sample_note = "n"
        if self._highlight is not None and self._highlight >= self.n:
            self._highlight = None
            kinds.add(HIGHLIGHT)
        if self.n != old_n:
            kinds.add(HIGHLIGHT)
        self._committed = snap
        self._restoring = True
        try:
            self._emit(kinds, True)
        finally:
            self._restoring = False

    def _record_undo(self) -> None:
        """After a finished edit: push one undo step if the distribution section changed."""
        if self._restoring:
            return
        snap, before = self._state.dist, self._committed
        if snap is not before and not snap.equals(before):
            text = self._undo_text or i18n.tr(describe(before, snap))
            self._committed = snap
            self.undo_stack.push(SnapshotCommand(self, before, snap, text))

    # ------------------------------------------------------------------ distribution commands
    def set_dist(self, which: str, values, finished: bool = True) -> None:
        """Replace p or q (validated: N matches, entries in [0, 1], sum 1 within 1e-9)."""
        self._commit("dist", self._state.dist.with_dist(which, values), finished,
                     same={DISTRIBUTIONS})

    def set_p(self, values, finished: bool = True) -> None:
        self.set_dist("p", values, finished)

    def set_q(self, values, finished: bool = True) -> None:
        self.set_dist("q", values, finished)

    def set_distributions(self, p, q, labels=None, finished: bool = True) -> None:
        """Replace p, q (and optionally labels, possibly changing N) as one change."""
        old_n = self.n
        new = self._state.dist.with_distributions(p, q, labels)
        self._commit("dist", new, finished, same={DISTRIBUTIONS},
                     extra=self._highlight_reset(new.n) if new.n != old_n else ())

    def set_labels(self, labels) -> None:
        self._commit("dist", self._state.dist.with_labels(labels))

    def set_lock(self, which: str, index: int, locked: bool) -> None:
        self._commit("dist", self._state.dist.with_lock(which, index, locked))

    def set_value(self, which: str, index: int, value, finished: bool = True) -> None:
        """Set bar *index* of p or q to *value*; the other bars re-normalise by
        :func:`explorer.core.redistribute` (taken proportionally from the other unlocked bars;
        shared equally when they are all 0; capped by the locked mass).
        When q is in logit mode, *value* is the logit z_i of q (the bars show z) and
        q = softmax(z / T) follows."""
        dist = self._state.dist
        new = dist.with_value(which, index, value)
        label = dist.labels[index]
        logit = which == "q" and dist.q_logit_mode
        text = (i18n.tr("Set logit z of “{label}”").format(label=label) if logit
                else i18n.tr("Set {which}(“{label}”)").format(which=which, label=label))
        with self._naming(text):
            self._commit("dist", new, finished,
                         same={LOGITS, DISTRIBUTIONS} if logit else {DISTRIBUTIONS})

    def set_n(self, n: int) -> None:
        """Change the number of categories (2 to 1000; the UI offers up to 50): see
        :meth:`~explorer.model.distribution.DistributionState.with_n` for the rule."""
        new = self._state.dist.with_n(n)
        if new is self._state.dist:
            return
        with self._naming(i18n.tr("Set {n} categories").format(n=new.n)):
            self._commit("dist", new, extra=self._highlight_reset(new.n))

    def _highlight_reset(self, n: int) -> set:
        """Drop a highlight beyond the new N; N changes always announce HIGHLIGHT."""
        if self._highlight is not None and self._highlight >= n:
            self._highlight = None
        return {HIGHLIGHT}

    def set_label(self, index: int, text) -> None:
        """Rename category *index* (1 to 40 characters after trimming spaces)."""
        dist = self._state.dist
        new = dist.with_label(index, text)
        if new.labels != dist.labels:
            with self._naming(i18n.tr("Rename “{old}” to “{new}”").format(
                    old=dist.labels[index], new=new.labels[index])):
                self._commit("dist", new)

    def toggle_lock(self, which: str, index: int) -> None:
        dist = self._state.dist
        which = checks.which(which)
        index = checks.index("index", index, dist.n)
        locked = not bool(dist.locks(which)[index])
        text = (i18n.tr("Lock {which}(“{label}”)") if locked
                else i18n.tr("Unlock {which}(“{label}”)")).format(which=which, label=dist.labels[index])
        with self._naming(text):
            self.set_lock(which, index, locked)

    def swap_pq(self) -> None:
        """Exchange p and q (locks stay with their editor)."""
        with self._naming(i18n.tr("Swap p ↔ q")):
            self._commit("dist", self._state.dist.swapped())

    def copy_dist(self, source: str = "p", target: str = "q") -> None:
        """Copy p to q (or q to p): after it, H(p, q) = H(p) and both KL divergences are 0."""
        source, target = checks.which(source), checks.which(target)
        if source == target:
            raise InputError("copy: source and target must differ")
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
            raise InputError("preset: unknown option(s) {names}",
                                    names=", ".join(sorted(unknown)))
        n = checks.integer("n", options.pop("n", self.n), MIN_CATEGORIES, MAX_CATEGORIES)
        built = presets_mod.build(name, n=n, which=which, **options)
        title = i18n.tr(presets_mod.title(name))
        if presets_mod.is_example(name):
            labels = [i18n.tr(x) for x in built["labels"]]
            dist = self._state.dist.with_distributions(built["p"], built["q"], labels)
            with self._naming(i18n.tr("Preset: {title}").format(title=title)):
                return self._commit("dist", dist, same={DISTRIBUTIONS}, always=True,
                                    extra=self._highlight_reset(dist.n) if dist.n != self.n else ())
        target = {"p": "p", "q": "q", "both": i18n.tr("p and q")}[which]
        dist = self._state.dist.with_n(n)
        if which in ("p", "both"):
            dist = dist.with_dist("p", built["p"])
        if which in ("q", "both"):
            dist = dist.with_dist("q", built["q"])
        with self._naming(i18n.tr("Preset: {title} ({target})").format(title=title, target=target)):
            self._commit("dist", dist, same={DISTRIBUTIONS}, always=True,
                         extra=self._highlight_reset(n) if n != self.n else ())

    # ------------------------------------------------------------------ logit mode
    def set_q_logit_mode(self, enabled: bool) -> None:
        self._commit("dist", self._state.dist.with_logit_mode(bool(enabled)))

    def set_q_logits(self, logits, finished: bool = True) -> None:
        self._commit("dist", self._state.dist.with_logits(logits), finished,
                     same={LOGITS, DISTRIBUTIONS})

    def set_temperature(self, t, finished: bool = True) -> None:
        self._commit("dist", self._state.dist.with_temperature(t), finished, same={LOGITS, SOFTMAX})

    # ------------------------------------------------------------------ readout settings
    def set_unit(self, unit: str) -> None:
        self._commit("readout", self._state.readout.with_unit(unit))

    def set_precision(self, digits: int) -> None:
        self._commit("readout", self._state.readout.with_precision(digits))

    def set_eps(self, enabled: bool, eps=None) -> None:
        self._commit("readout", self._state.readout.with_eps(bool(enabled), eps))

    # ------------------------------------------------------------------ sigmoid panel
    def set_z_marker(self, z, finished: bool = True) -> None:
        self._commit("sigmoid", self._state.sigmoid.with_z_marker(z), finished)

    def set_sigmoid_input(self, x=None, y=None) -> None:
        self._commit("sigmoid", self._state.sigmoid.with_input(x, y))

    def set_sigmoid_z_range(self, lo, hi) -> None:
        """Set the z range of the sigmoid panel's curves; the z marker is moved inside it."""
        self._commit("sigmoid", self._state.sigmoid.with_z_range(lo, hi))

    def set_sigmoid_log_scale(self, enabled: bool) -> None:
        """Show gradient magnitudes |∂L/∂·| on a log axis (True) or signed on a linear one."""
        self._commit("sigmoid", self._state.sigmoid.with_log_scale(bool(enabled)))

    def set_sigmoid_grad_wrt(self, wrt: str) -> None:
        """Plot and read out ∂L/∂w ("w") or ∂L/∂z ("z")."""
        self._commit("sigmoid", self._state.sigmoid.with_grad_wrt(wrt))

    def set_sigmoid_losses(self, names) -> None:
        """Draw these losses of the family ("mse", "ce", "focal", "hinge", "smoothed_ce")."""
        self._commit("sigmoid", self._state.sigmoid.with_losses(names))

    def set_sigmoid_loss_shown(self, name: str, shown: bool) -> None:
        """Draw loss *name* or not."""
        self._commit("sigmoid", self._state.sigmoid.with_loss_shown(name, shown))

    def set_sigmoid_loss_params(self, gamma=None, eps=None, finished: bool = True) -> None:
        """γ of the focal curve (0 to 10), ε of the smoothed-CE curve (0 to 0.5)."""
        self._commit("sigmoid", self._state.sigmoid.with_loss_params(gamma, eps), finished,
                     same={SIGMOID})

    # ------------------------------------------------------------------ softmax panel
    def set_softmax_logits(self, logits, finished: bool = True) -> None:
        """Set the softmax panel's logits; when q is in logit mode these ARE q's logits."""
        if self.q_logit_mode:
            return self.set_q_logits(logits, finished)
        self._commit("softmax", self._state.softmax.with_logits(logits), finished, same={SOFTMAX})

    def set_softmax_temperature(self, t, finished: bool = True) -> None:
        """T of the softmax panel: q's T when linked to q's logits, else the panel's own."""
        if self.q_logit_mode:
            return self.set_temperature(t, finished)
        self._commit("softmax", self._state.softmax.with_temperature(t), finished, same={SOFTMAX})

    def set_softmax_target(self, kind: str | None = None, cls: int | None = None) -> None:
        """Choose the softmax target: y = p ("p") or y = one-hot of class *cls* ("onehot")."""
        count = self.softmax_logits.size
        self._commit("softmax", self._state.softmax.with_target(kind, cls, count))

    def set_softmax_focus(self, j: int) -> None:
        """Pick the logit j whose derivation of ∂L/∂z_j the softmax panel spells out."""
        self._commit("softmax", self._state.softmax.with_focus(j, self.softmax_logits.size))

    def set_softmax_smoothing(self, eps, finished: bool = True) -> None:
        """Label smoothing ε (0 to 0.5) of the softmax panel's target."""
        self._commit("softmax", self._state.softmax.with_smoothing(eps), finished,
                     same={SOFTMAX})

    def set_softmax_race(self, shown=None, lr=None, epochs=None, losses=None) -> None:
        """The logit-growth race: show it (and so compute it), its η (0.001 to 100), epochs
        (1 to 20 000) and two losses (a pair of specs or a preset name such as
        ``"ce_smoothed"``)."""
        self._commit("softmax", self._state.softmax.with_race(shown, lr, epochs, losses))

    def resize_softmax_logits(self, count: int) -> None:
        """Use *count* free-standing logits (new ones start at 0).  Not while linked to q."""
        if self.q_logit_mode:
            raise InputError(
                "logits: linked to q's logits — change the number of categories instead")
        self._commit("softmax", self._state.softmax.resized(count))

    # ------------------------------------------------------------------ training
    def set_training_params(self, **changes) -> None:
        """Update training parameters (w0, b0, x, y, lr, epochs, preset, book_mode); resets
        progress."""
        self._commit("training", self._state.training.with_params(changes),
                     extra={TRAINING_PROGRESS})

    def set_training_losses(self, losses) -> None:
        """The two losses of the single-neuron race: a pair of specs
        (``[{"loss": "ce"}, {"loss": "focal", "gamma": 2}]``) or a preset name of
        :data:`explorer.model.loss_choice.RACE_PRESETS`; resets progress."""
        self.set_training_params(losses=losses)

    def set_dataset_losses(self, losses) -> None:
        """The two losses of both dataset races (as :meth:`set_training_losses`)."""
        self.set_dataset_params(losses=losses)

    def apply_training_preset(self, name: str) -> None:
        """Load one of :data:`TRAINING_PRESETS` as a single change (resets the race)."""
        if not isinstance(name, str) or name not in TRAINING_PRESETS:
            raise InputError("preset: unknown preset {name} (choose from {options})",
                                    name=checks._show(name), options=", ".join(TRAINING_PRESETS))
        self.set_training_params(**TRAINING_PRESETS[name], preset=name)

    def set_training_epoch(self, epoch: int, finished: bool = True) -> None:
        self._commit("training", self._state.training.with_epoch(epoch), finished,
                     same={TRAINING_PROGRESS})

    def set_training_running(self, running: bool) -> None:
        running = bool(running)
        if running != self._training_running:
            self._training_running = running
            self._emit({TRAINING_PROGRESS}, True)

    def set_training_speed(self, speed) -> None:
        self._commit("training", self._state.training.with_playback(speed=speed))

    def set_training_loop(self, loop: bool) -> None:
        self._commit("training", self._state.training.with_playback(loop=loop))

    def set_training_mode(self, mode: str) -> None:
        self._commit("training", self._state.training.with_playback(mode=mode))

    def set_dataset_params(self, **changes) -> None:
        """Update seed / count / overlap (regenerates both datasets), lr or init; resets the race."""
        self._commit("training", self._state.training.with_dataset_params(changes),
                     extra={TRAINING_PROGRESS})

    def set_dataset_points(self, which: str, points) -> None:
        """Replace a dataset's points (``[[x1, x2, label], ...]``); resets the race."""
        self._commit("training", self._state.training.with_points(which, points),
                     extra={TRAINING_PROGRESS})

    def add_dataset_point(self, which: str, x1, x2, label: int) -> None:
        """Add a point of class *label* at (x1, x2) (within ±4) to a dataset."""
        self._commit("training", self._state.training.with_point_added(which, x1, x2, label),
                     extra={TRAINING_PROGRESS})

    def remove_dataset_point(self, which: str, index: int) -> None:
        """Remove point *index*; at least two points always remain."""
        self._commit("training", self._state.training.with_point_removed(which, index),
                     extra={TRAINING_PROGRESS})

    def set_selected_point(self, index: int) -> None:
        self._commit("training", self._state.training.with_selected_point(index))

    # ------------------------------------------------------------------ sampling
    def draw_samples(self, count: int = 1, finished: bool = True) -> None:
        """Draw *count* more events from the current p (a play step; 1 to 1 000 000 in all)."""
        new = self._state.sampling.with_drawn(self.p, count)
        self._sample_note = None
        self._commit("sampling", new, finished, same={SAMPLE})

    def set_sample_running(self, running: bool) -> None:
        running = bool(running)
        if running != self._sample_running:
            self._sample_running = running
            self._emit({SAMPLE_VIEW}, True)

    def reset_sample(self) -> None:
        """Forget every event drawn so far (the seed stays)."""
        self._sample_note = None
        self._commit("sampling", self._state.sampling.reset())

    def set_sample_seed(self, seed: int) -> None:
        """A new seed: a new sequence of events (the sample is reset)."""
        self._commit("sampling", self._state.sampling.with_seed(seed))

    def set_sample_rate(self, rate) -> None:
        """Events drawn per second while the sample plays (1, 10, 100 or 1000)."""
        self._commit("sampling", self._state.sampling.with_rate(rate))

    def set_sample_log_axis(self, on: bool) -> None:
        self._commit("sampling", self._state.sampling.with_log_axis(on))

    def fit_q_to_sample(self) -> None:
        """q = p̂, the empirical distribution of the sample: the maximum-likelihood q, which
        minimises the cross-entropy to the sample.  One undoable edit of q."""
        p_hat = self._sample_numbers.p_hat
        if p_hat is None:
            raise InputError("sample: no events yet — draw some first")
        with self._naming(i18n.tr("Fit q to the sample")):
            self.set_q(p_hat)

    # ------------------------------------------------------------------ batch table
    def set_batch_mode(self, mode: str) -> None:
        """Show the binary ("binary") or the categorical ("categorical") batch."""
        self._commit("batch", self._state.batch.with_mode(mode))

    def apply_batch_preset(self, name: str) -> None:
        """One of the articles' batches (:data:`BATCH_PRESETS`): ``"credit_card"`` (binary,
        L = 0.289909) or ``"cat_dog_horse"`` (the mastiff and horse photos, L = 0.582376)."""
        self._commit("batch", self._state.batch.with_preset(name), same={BATCH}, always=True)

    def set_batch_binary(self, row: int, column: int, value) -> None:
        """Label y (column 0) or prediction a (column 1) of a binary row."""
        self._commit("batch", self._state.batch.with_binary_cell(row, column, value))

    def set_batch_class(self, row: int, k: int) -> None:
        """The true class of a categorical row."""
        self._commit("batch", self._state.batch.with_class(row, k))

    def set_batch_prediction(self, row: int, j: int, value) -> None:
        """a_j of a categorical row (the row's other predictions make room in proportion)."""
        self._commit("batch", self._state.batch.with_prediction(row, j, value))

    def add_batch_row(self) -> None:
        self._commit("batch", self._state.batch.with_row_added())

    def remove_batch_row(self, row: int) -> None:
        self._commit("batch", self._state.batch.with_row_removed(row))

    # ------------------------------------------------------------------ shared hover
    def set_highlight(self, index: int | None) -> None:
        """Point at category *index* (None = nothing); every dock may highlight it."""
        if index is not None:
            if isinstance(index, bool) or not isinstance(index, (int, np.integer)) \
                    or not 0 <= index < self.n:
                index = None
            else:
                index = int(index)
        if index != self._highlight:
            self._highlight = index
            self._emit({HIGHLIGHT}, True)

    # ------------------------------------------------------------------ serialisation
    def to_dict(self) -> dict:
        """Plain JSON-able dict of the whole state, with a ``"version"``."""
        return self._state.to_dict()

    def from_dict(self, data: dict) -> None:
        """Load a state dict as one change.  Fresh sections are built and validated first, so a
        bad dict raises ValueError (naming the field) and leaves this model untouched."""
        new = ModelState.from_dict(data)
        with self.batch():
            self._state = new
            self._highlight_reset(new.dist.n)
            self._histories = None
            self._pending |= ALL_KINDS - {HIGHLIGHT}
