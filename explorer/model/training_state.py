"""The training race's saved state: the single-neuron parameters, playback, the 2-D datasets.

Sections (immutable, declared in :mod:`explorer.model.fields` style):

* :class:`TrainingParams` (saved under ``"training"``): the single-neuron race
  a = σ(w x + b) — same start, same η, two losses of the family (MSE vs CE by default);
* :class:`PlaybackState` (``"training_playback"``): speed, loop, mode;
* :class:`DatasetParams` (``"dataset"``): how the binary and three-class datasets are generated
  and trained (with which two losses);
* :class:`TrainingState`: the three above plus the epoch shown, the points of both datasets and
  the selected multi-class point.

The derived numbers (histories, landscapes, races) are in :mod:`explorer.model.training_numbers`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer import core
from explorer.core.errors import InputError
from explorer.model import checks, loss_choice
from explorer.model.change import DATASET, TRAINING_PARAMS, TRAINING_PROGRESS, TRAINING_VIEW
from explorer.model.fields import Section, state_field

TRAINING_MODES = ("neuron", "dataset", "multiclass")
DATASET_KINDS = {"dataset": 2, "multiclass": 3}    # which dataset -> number of classes
MIN_SPEED, MAX_SPEED = 1.0, 1000.0
MAX_POINTS = 600
MIN_POINTS = 2
#: the longest race a session may ask for.  The dataset races cost about 60 µs of CPU per epoch
#: (multi-class: 5.9 s at 100 000 epochs); at 20 000 a file opens within ~1.2 s.  The training
#: dock offers up to 5000.
MAX_EPOCHS = 20_000
#: |w₀|, |b₀| and |x| of the single-neuron race are at most this
PARAM_LIMIT = 1e3
LANDSCAPE_RES = 200
#: Learning rate of the book's web widget for cross-entropy (it stepped by dC/da, see core).
BOOK_CE_LR = 0.005
DATASET_INITS = ("zero", "wrong")

#: Start configurations of the single-neuron race (Nielsen, *Neural Networks and Deep
#: Learning*, chapter 3, plus a mirrored case).  ``preset`` names one of these or "custom".
TRAINING_PRESETS = {
    "nielsen_well_started": dict(w0=0.6, b0=0.9, x=1.0, y=0.0, lr=0.15, epochs=300, book_mode=False),
    "nielsen_saturated": dict(w0=2.0, b0=2.0, x=1.0, y=0.0, lr=0.15, epochs=300, book_mode=False),
    "book_widget": dict(w0=2.0, b0=2.0, x=1.0, y=0.0, lr=0.15, epochs=300, book_mode=True),
    "saturated_negative": dict(w0=-2.0, b0=-2.0, x=1.0, y=1.0, lr=0.15, epochs=300, book_mode=False),
}


def _param(key, value) -> float:
    return checks.number(key, value, -PARAM_LIMIT, PARAM_LIMIT)


def _target(key, value) -> float:
    v = checks.as_finite_float(key, value)
    if not 0 <= v <= 1:
        raise InputError("{key}: target must be in [0, 1], got {value}", key=key, value=f"{v:g}")
    return v


def _lr(key, value) -> float:
    v = checks.as_finite_float(key, value)
    if not 0 < v <= 100:
        raise InputError("{key}: learning rate must be in (0, 100], got {value}", key=key,
                         value=f"{v:g}")
    return v


def _epochs(key, value) -> int:
    return checks.integer(key, value, 1, MAX_EPOCHS)


def _preset(key, value) -> str:
    if not isinstance(value, str) or not (value in TRAINING_PRESETS or value == "custom"):
        raise InputError("{key}: expected one of {options}, got {value}", key=key,
                         options=", ".join([*TRAINING_PRESETS, "custom"]),
                         value=checks._show(value))
    return value


@dataclass(frozen=True, eq=False)
class TrainingParams(Section):
    """Single-neuron race a = σ(w x + b): same start, same η, two losses (MSE vs CE unless
    ``losses`` says otherwise)."""

    w0: float = state_field(0.6, kinds={TRAINING_PARAMS}, check=_param, example=1.5)
    b0: float = state_field(0.9, kinds={TRAINING_PARAMS}, check=_param, example=-0.5)
    x: float = state_field(1.0, kinds={TRAINING_PARAMS}, check=_param, example=2.0)
    y: float = state_field(0.0, kinds={TRAINING_PARAMS}, check=_target, example=1.0)
    lr: float = state_field(0.15, kinds={TRAINING_PARAMS}, check=_lr, example=0.3)
    epochs: int = state_field(300, kinds={TRAINING_PARAMS}, check=_epochs, example=120)
    preset: str = state_field("nielsen_well_started", kinds={TRAINING_PARAMS}, check=_preset,
                              example="custom")
    #: CE run steps like the book's web widget (loss "ce_book", η = 0.005)
    book_mode: bool = state_field(False, kinds={TRAINING_PARAMS}, check=checks.boolean,
                                  example=True)
    #: the losses of the two runs (:mod:`explorer.model.loss_choice`), MSE vs CE by default
    losses: tuple = state_field(loss_choice.DEFAULT_PAIR, kinds={TRAINING_PARAMS},
                                check=loss_choice.check_pair, to_json=loss_choice.pair_to_json,
                                example=[{"loss": "ce"}, {"loss": "focal", "gamma": 2.0}])

    def updated(self, changes: dict) -> "TrainingParams":
        """A copy with *changes* (names of the fields above) validated and applied."""
        allowed = {s.name for s in self.specs()}
        unknown = sorted(set(map(str, changes)) - allowed)
        if unknown:
            raise InputError("training: unknown parameter(s) {names}", names=", ".join(unknown))
        return self.evolve(**{k: self.spec(k).check(k, v) for k, v in changes.items()})


def _speed(key, value) -> float:
    return checks.number(key, value, MIN_SPEED, MAX_SPEED)


def _mode(key, value) -> str:
    return checks.choice(key, value, TRAINING_MODES)


@dataclass(frozen=True, eq=False)
class PlaybackState(Section):
    """How the race plays: epochs per second, loop at the end, which race is shown."""

    speed: float = state_field(60.0, kinds={TRAINING_VIEW}, check=_speed, example=250.0)
    loop: bool = state_field(False, kinds={TRAINING_VIEW}, check=checks.boolean, example=True)
    mode: str = state_field("neuron", kinds={TRAINING_VIEW}, check=_mode, example="multiclass")


def _seed(key, value) -> int:
    return checks.integer(key, value, 0, 2**31 - 1)


def _count(key, value) -> int:
    return checks.integer(key, value, 1, MAX_POINTS // 3)


def _overlap(key, value) -> float:
    return checks.number(key, value, 0.0, 1.0)


def _dataset_lr(key, value) -> float:
    return checks.number(key, value, 1e-4, 100.0)


def _init(key, value) -> str:
    return checks.choice(key, value, DATASET_INITS)


@dataclass(frozen=True, eq=False)
class DatasetParams(Section):
    """How the 2-D datasets are generated and trained (both the binary and the 3-class one)."""

    seed: int = state_field(1, kinds={DATASET}, check=_seed, example=7)
    count: int = state_field(40, kinds={DATASET}, check=_count, example=25)    # per class
    overlap: float = state_field(0.15, kinds={DATASET}, check=_overlap, example=0.5)
    lr: float = state_field(0.5, kinds={DATASET}, check=_dataset_lr, example=0.9)
    init: str = state_field("zero", kinds={DATASET}, check=_init, example="wrong")
    #: the losses of the two runs of both dataset races, MSE vs CE by default
    losses: tuple = state_field(loss_choice.DEFAULT_PAIR, kinds={DATASET},
                                check=loss_choice.check_pair, to_json=loss_choice.pair_to_json,
                                example=[{"loss": "ce"}, {"loss": "smoothed_ce", "eps": 0.1}])

    SHAPE = ("seed", "count", "overlap")     # the fields the points are generated from

    def updated(self, changes: dict) -> "DatasetParams":
        allowed = {s.name for s in self.specs()}
        unknown = sorted(set(map(str, changes)) - allowed)
        if unknown:
            raise InputError("dataset: unknown parameter(s) {names}", names=", ".join(unknown))
        return self.evolve(**{k: self.spec(k).check(k, v) for k, v in changes.items()})


def validate_points(key: str, points, n_classes: int) -> np.ndarray:
    """``[[x1, x2, label], ...]`` -> read-only (n, 3) float array, or InputError naming *key*."""
    if isinstance(points, np.ndarray):
        if points.dtype.kind not in "iuf":
            raise InputError("{key}: expected a list of [x1, x2, label] triples", key=key)
        arr = np.array(points, dtype=np.float64)
    else:
        if not isinstance(points, (list, tuple)) or not all(
                isinstance(r, (list, tuple, np.ndarray)) and len(r) == 3 for r in points):
            raise InputError("{key}: expected a list of [x1, x2, label] triples", key=key)
        if len(points) > MAX_POINTS:
            raise InputError("{key}: needs {lo} to {hi} points, got {count}", key=key,
                             lo=MIN_POINTS, hi=MAX_POINTS, count=len(points))
        rows = []
        for r in points:
            row = []
            for v in r:
                if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, float, np.number)):
                    raise InputError("{key}: expected a list of [x1, x2, label] triples", key=key)
                try:
                    row.append(float(v))
                except OverflowError:
                    raise InputError("{key}: coordinates must be finite and within ±{limit}",
                                     key=key, limit=f"{core.training.DATA_LIMIT:g}") from None
            rows.append(row)
        arr = np.array(rows, dtype=np.float64).reshape(-1, 3)
    if arr.ndim != 2 or arr.shape[1] != 3:
        raise InputError("{key}: expected a list of [x1, x2, label] triples", key=key)
    if not MIN_POINTS <= len(arr) <= MAX_POINTS:
        raise InputError("{key}: needs {lo} to {hi} points, got {count}", key=key,
                         lo=MIN_POINTS, hi=MAX_POINTS, count=len(arr))
    if not np.all(np.isfinite(arr)) or np.any(np.abs(arr[:, :2]) > core.training.DATA_LIMIT):
        raise InputError("{key}: coordinates must be finite and within ±{limit}", key=key,
                         limit=f"{core.training.DATA_LIMIT:g}")
    lab = arr[:, 2]
    if np.any(lab != np.round(lab)) or np.any(lab < 0) or np.any(lab >= n_classes):
        raise InputError("{key}: labels must be integers 0 to {last}", key=key, last=n_classes - 1)
    arr.flags.writeable = False
    return arr


def generate_points(params: DatasetParams, n_classes: int) -> np.ndarray:
    X, lab = core.make_blobs(params.count, params.overlap, params.seed, n_classes)
    arr = np.column_stack([X, lab.astype(float)])
    arr.flags.writeable = False
    return arr


def _points_check(n_classes: int):
    def check(key, value):
        return validate_points(key, value, n_classes)
    return check


def _epoch_raw(key, value) -> int:
    return checks.integer(key, value, 0, MAX_EPOCHS)


def _selected(key, value) -> int:
    return checks.integer(key, value, 0, MAX_POINTS - 1)


_DEFAULT_DATASET = DatasetParams()


@dataclass(frozen=True, eq=False)
class TrainingState(Section):
    """Everything the training dock shows, saved (the running flag is transient: see AppModel)."""

    params: TrainingParams = state_field(factory=TrainingParams, key="training", section=True)
    epoch: int = state_field(0, key="training_epoch", kinds={TRAINING_PROGRESS},
                             check=_epoch_raw, example=42)
    playback: PlaybackState = state_field(factory=PlaybackState, key="training_playback",
                                          section=True)
    dataset: DatasetParams = state_field(factory=DatasetParams, key="dataset", section=True)
    dataset_points: np.ndarray = state_field(
        factory=lambda: generate_points(_DEFAULT_DATASET, 2), kinds={DATASET},
        check=_points_check(2), example=[[0.5, 0.5, 0], [-1.0, 1.5, 1], [2.0, -0.5, 1]])
    multiclass_points: np.ndarray = state_field(
        factory=lambda: generate_points(_DEFAULT_DATASET, 3), kinds={DATASET},
        check=_points_check(3), example=[[0.5, 0.5, 0], [-1.0, 1.5, 1], [2.0, -0.5, 2]])
    selected_point: int = state_field(0, kinds={TRAINING_VIEW}, check=_selected, example=1)

    @classmethod
    def fill_missing(cls, values: dict, missing: set) -> dict:
        dataset = values["dataset"]
        for name, which in (("dataset_points", "dataset"), ("multiclass_points", "multiclass")):
            if name in missing:
                values[name] = generate_points(dataset, DATASET_KINDS[which])
        return values

    def validated(self, prefix: str = "") -> "TrainingState":
        if self.epoch > self.params.epochs:
            raise InputError("{key}: must be in 0..{last}, got {value}",
                             key=prefix + "training_epoch", last=self.params.epochs,
                             value=self.epoch)
        if self.selected_point >= len(self.multiclass_points):
            raise InputError("{key}: must be in 0..{last}, got {value}",
                             key=prefix + "selected_point", last=len(self.multiclass_points) - 1,
                             value=self.selected_point)
        return self

    # ------------------------------------------------------------------ reading
    def points(self, which: str) -> np.ndarray:
        return self.dataset_points if check_dataset(which) == "dataset" else self.multiclass_points

    # ------------------------------------------------------------------ rules
    def with_params(self, changes: dict) -> "TrainingState":
        """New single-neuron parameters; the race restarts at epoch 0."""
        params = self.params.updated(changes)
        if params.equals(self.params):
            return self
        return self.evolve(params=params, epoch=0)

    def with_epoch(self, epoch) -> "TrainingState":
        return self.evolve(epoch=checks.integer("epoch", epoch, 0, self.params.epochs))

    def with_playback(self, **changes) -> "TrainingState":
        checked = {k: PlaybackState.spec(k).check(k, v) for k, v in changes.items()}
        return self.evolve(playback=self.playback.evolve(**checked))

    def with_dataset_params(self, changes: dict) -> "TrainingState":
        """New generation/training parameters; seed, count or overlap regenerate both datasets.
        The race restarts at epoch 0."""
        new = self.dataset.updated(changes)
        if new.equals(self.dataset):
            return self
        out = dict(dataset=new, epoch=0)
        if any(getattr(new, k) != getattr(self.dataset, k) for k in DatasetParams.SHAPE):
            out.update(dataset_points=generate_points(new, 2),
                       multiclass_points=generate_points(new, 3), selected_point=0)
        return self.evolve(**out)

    def with_points(self, which: str, points) -> "TrainingState":
        """A dataset's points replaced (``[[x1, x2, label], ...]``); the race restarts."""
        which = check_dataset(which)
        arr = validate_points(which + "_points", points, DATASET_KINDS[which])
        current = self.points(which)
        if arr.shape == current.shape and np.array_equal(arr, current):
            return self
        out = {which + "_points": arr, "epoch": 0}
        if which == "multiclass" and self.selected_point >= len(arr):
            out["selected_point"] = 0
        return self.evolve(**out)

    def with_point_added(self, which: str, x1, x2, label) -> "TrainingState":
        which = check_dataset(which)
        lim = core.training.DATA_LIMIT
        x1 = checks.number("x1", x1, -lim, lim)
        x2 = checks.number("x2", x2, -lim, lim)
        label = checks.integer("label", label, 0, DATASET_KINDS[which] - 1)
        pts = self.points(which)
        if len(pts) >= MAX_POINTS:
            raise InputError("{which}: at most {limit} points", which=which, limit=MAX_POINTS)
        return self.with_points(which, np.vstack([pts, [[x1, x2, float(label)]]]))

    def with_point_removed(self, which: str, index) -> "TrainingState":
        """Point *index* removed (at least two remain); the same multi-class point stays
        selected."""
        which = check_dataset(which)
        pts = self.points(which)
        index = checks.integer("index", index, 0, len(pts) - 1)
        if len(pts) <= MIN_POINTS:
            raise InputError("{which}: keep at least {limit} points", which=which, limit=MIN_POINTS)
        new = self.with_points(which, np.delete(pts, index, axis=0))
        if which == "multiclass" and index < self.selected_point:
            new = new.evolve(selected_point=self.selected_point - 1)
        return new

    def with_selected_point(self, index) -> "TrainingState":
        return self.evolve(selected_point=checks.integer(
            "selected_point", index, 0, len(self.multiclass_points) - 1))


def check_dataset(which) -> str:
    if not isinstance(which, str) or which not in DATASET_KINDS:
        raise InputError("which: expected 'dataset' or 'multiclass', got {value}",
                         value=checks._show(which))
    return which


__all__ = ["TrainingParams", "PlaybackState", "DatasetParams", "TrainingState", "TRAINING_MODES",
           "DATASET_KINDS", "TRAINING_PRESETS", "BOOK_CE_LR", "MIN_SPEED", "MAX_SPEED",
           "MAX_POINTS", "MIN_POINTS", "LANDSCAPE_RES", "validate_points", "generate_points"]
