"""Training-race state of :class:`explorer.model.AppModel` (kept in its own file, mixed in).

The state still lives on the one AppModel instance; this module only groups the commands,
validation, derived caches and (de)serialisation of the training dock's state:

* playback: speed (epochs per second), loop, mode (``"neuron"``, ``"dataset"``, ``"multiclass"``);
* the 2-D datasets (binary and three-class), their generation parameters, a selected point;
* derived numbers computed once per change, never per frame: the single-neuron loss landscapes
  (cached, keyed on the parameters that shape them) and the dataset races (MSE and CE
  trajectories with probability grids for every epoch, cached, keyed on their inputs).
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields, replace

import numpy as np

from explorer import core

# Kinds of change (see app_model.Change); re-exported by app_model.
DATASET = "dataset"                # dataset points / generation params (trajectories change)
TRAINING_VIEW = "training_view"    # speed, loop, mode, selected point (nothing to recompute)

TRAINING_MODES = ("neuron", "dataset", "multiclass")
DATASET_KINDS = {"dataset": 2, "multiclass": 3}    # which dataset -> number of classes
MIN_SPEED, MAX_SPEED = 1.0, 1000.0
MAX_POINTS = 600
MIN_POINTS = 2
LANDSCAPE_RES = 200
#: Learning rate of the book's web widget for cross-entropy (it stepped by dC/da, see core).
BOOK_CE_LR = 0.005

#: Start configurations of the single-neuron race (Nielsen, *Neural Networks and Deep
#: Learning*, chapter 3, plus a mirrored case).  ``preset`` names one of these or "custom".
TRAINING_PRESETS = {
    "nielsen_well_started": dict(w0=0.6, b0=0.9, x=1.0, y=0.0, lr=0.15, epochs=300, book_mode=False),
    "nielsen_saturated": dict(w0=2.0, b0=2.0, x=1.0, y=0.0, lr=0.15, epochs=300, book_mode=False),
    "book_widget": dict(w0=2.0, b0=2.0, x=1.0, y=0.0, lr=0.15, epochs=300, book_mode=True),
    "saturated_negative": dict(w0=-2.0, b0=-2.0, x=1.0, y=1.0, lr=0.15, epochs=300, book_mode=False),
}


@dataclass(frozen=True)
class DatasetParams:
    """How the 2-D datasets are generated and trained (both the binary and the 3-class one)."""

    seed: int = 1
    count: int = 40          # points per class
    overlap: float = 0.15    # 0 = well separated, 1 = heavily mixed
    lr: float = 0.5          # learning rate of both runs
    init: str = "zero"       # "zero" or "wrong" (confidently wrong start)


@dataclass(frozen=True, eq=False)
class NeuronLandscape:
    """Loss over a (w, b) grid for both losses; ``loss[name][i, j]`` is at ``(w[j], b[i])``."""

    key: tuple
    bounds: tuple            # (w_lo, w_hi, b_lo, b_hi)
    w: np.ndarray
    b: np.ndarray
    loss: dict               # {"mse": array, "ce": array}


def _int(name: str, value, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not lo <= value <= hi:
        raise ValueError(f"{name}: expected an integer {lo} to {hi}, got {value!r}")
    return int(value)


def _num(name: str, value, lo: float, hi: float) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: expected a number, got {value!r}") from None
    if isinstance(value, bool) or not math.isfinite(v) or not lo <= v <= hi:
        raise ValueError(f"{name}: must be a number in [{lo:g}, {hi:g}], got {value!r}")
    return v


def _validate_points(name: str, points, n_classes: int) -> np.ndarray:
    """``[[x1, x2, label], ...]`` -> read-only (n, 3) float array, or ValueError naming *name*."""
    try:
        arr = np.array(points, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: expected a list of [x1, x2, label] triples") from None
    if arr.ndim != 2 or arr.shape[1] != 3:
        raise ValueError(f"{name}: expected a list of [x1, x2, label] triples")
    if not MIN_POINTS <= len(arr) <= MAX_POINTS:
        raise ValueError(f"{name}: needs {MIN_POINTS} to {MAX_POINTS} points, got {len(arr)}")
    if not np.all(np.isfinite(arr)) or np.any(np.abs(arr[:, :2]) > core.training.DATA_LIMIT):
        raise ValueError(f"{name}: coordinates must be finite and within ±{core.training.DATA_LIMIT:g}")
    lab = arr[:, 2]
    if np.any(lab != np.round(lab)) or np.any(lab < 0) or np.any(lab >= n_classes):
        raise ValueError(f"{name}: labels must be integers 0 to {n_classes - 1}")
    arr.flags.writeable = False
    return arr


def _generate(params: DatasetParams, n_classes: int) -> np.ndarray:
    X, lab = core.make_blobs(params.count, params.overlap, params.seed, n_classes)
    arr = np.column_stack([X, lab.astype(float)])
    arr.flags.writeable = False
    return arr


class TrainingStateMixin:
    """Training-dock state and commands; mixed into AppModel (uses its ``_emit``)."""

    # attributes copied by AppModel.from_dict from the validated scratch model
    TRAINING_STATE_KEYS = ("_training_speed", "_training_loop", "_training_mode", "_dataset",
                           "_points", "_selected_point")

    def _init_training_state(self) -> None:
        self._training_speed = 60.0
        self._training_loop = False
        self._training_mode = "neuron"
        self._dataset = DatasetParams()
        self._points = {which: _generate(self._dataset, k) for which, k in DATASET_KINDS.items()}
        self._selected_point = 0
        # derived caches
        self._landscape: NeuronLandscape | None = None
        self._races: dict = {}        # which -> (key, ClassifierRace)

    # ------------------------------------------------------------------ read-only state
    @property
    def training_speed(self) -> float:
        """Animation speed in epochs per second (1 to 1000)."""
        return self._training_speed

    @property
    def training_loop(self) -> bool:
        return self._training_loop

    @property
    def training_mode(self) -> str:
        """``"neuron"``, ``"dataset"`` (two classes) or ``"multiclass"`` (cat, dog, horse)."""
        return self._training_mode

    @property
    def dataset_params(self) -> DatasetParams:
        return self._dataset

    def dataset_points(self, which: str) -> np.ndarray:
        """Read-only ``(n, 3)`` array ``[x1, x2, label]`` of the ``"dataset"`` or
        ``"multiclass"`` data."""
        return self._points[self._check_dataset(which)]

    @property
    def selected_point(self) -> int:
        """Index of the multi-class point whose class probabilities are shown."""
        return self._selected_point

    @property
    def landscape(self) -> NeuronLandscape:
        """Loss landscapes of the single-neuron race (computed once per parameter change)."""
        if self._landscape is None:
            self._update_landscape()
        return self._landscape

    def race(self, which: str):
        """The MSE-vs-CE :class:`explorer.core.ClassifierRace` of a dataset (cached)."""
        which = self._check_dataset(which)
        key = self._race_key(which)
        cached = self._races.get(which)
        if cached is None or cached[0] != key:
            pts = self._points[which]
            race = core.classifier_race(pts[:, :2], pts[:, 2].astype(int), DATASET_KINDS[which],
                                        self._dataset.lr, self._training.epochs, self._dataset.init)
            self._races[which] = cached = (key, race)
        return cached[1]

    # ------------------------------------------------------------------ derived numbers
    def _neuron_histories(self) -> dict:
        t = self._training
        ce_loss, ce_lr = ("ce_book", BOOK_CE_LR) if t.book_mode else ("ce", t.lr)
        return {"mse": core.train_neuron(t.w0, t.b0, t.x, t.y, t.lr, t.epochs, "mse"),
                "ce": core.train_neuron(t.w0, t.b0, t.x, t.y, ce_lr, t.epochs, ce_loss)}

    def _update_landscape(self) -> None:
        h = self._histories
        ws = np.concatenate([h["mse"].w, h["ce"].w])
        bs = np.concatenate([h["mse"].b, h["ce"].b])
        bounds = core.landscape_bounds(ws, bs)
        t = self._training
        key = (t.x, t.y, bounds, LANDSCAPE_RES)
        if self._landscape is not None and self._landscape.key == key:
            return
        w = np.linspace(bounds[0], bounds[1], LANDSCAPE_RES)
        b = np.linspace(bounds[2], bounds[3], LANDSCAPE_RES)
        loss = {name: core.neuron_loss_landscape(w, b, t.x, t.y, name) for name in ("mse", "ce")}
        for arr in loss.values():
            arr.flags.writeable = False
        self._landscape = NeuronLandscape(key=key, bounds=bounds, w=w, b=b, loss=loss)

    def _race_key(self, which: str) -> tuple:
        d = self._dataset
        return (self._points[which].tobytes(), d.lr, d.init, self._training.epochs)

    def _recompute_training(self, kinds) -> None:
        """Called by AppModel._recompute: refresh the caches the current view needs."""
        from explorer.model.app_model import TRAINING_PARAMS
        if TRAINING_PARAMS in kinds or self._landscape is None:
            self._update_landscape()
        if kinds & {DATASET, TRAINING_PARAMS, TRAINING_VIEW} and self._training_mode in DATASET_KINDS:
            self.race(self._training_mode)

    # ------------------------------------------------------------------ commands
    @staticmethod
    def _check_dataset(which: str) -> str:
        if which not in DATASET_KINDS:
            raise ValueError(f"which: expected 'dataset' or 'multiclass', got {which!r}")
        return which

    def set_training_speed(self, speed) -> None:
        speed = _num("speed", speed, MIN_SPEED, MAX_SPEED)
        if speed != self._training_speed:
            self._training_speed = speed
            self._emit({TRAINING_VIEW}, True)

    def set_training_loop(self, loop: bool) -> None:
        if not isinstance(loop, (bool, np.bool_)):
            raise ValueError(f"loop: expected true or false, got {loop!r}")
        if bool(loop) != self._training_loop:
            self._training_loop = bool(loop)
            self._emit({TRAINING_VIEW}, True)

    def set_training_mode(self, mode: str) -> None:
        if mode not in TRAINING_MODES:
            raise ValueError(f"mode: expected one of {', '.join(TRAINING_MODES)}, got {mode!r}")
        if mode != self._training_mode:
            self._training_mode = mode
            self._emit({TRAINING_VIEW}, True)

    def apply_training_preset(self, name: str) -> None:
        """Load one of :data:`TRAINING_PRESETS` as a single change (resets the race)."""
        if name not in TRAINING_PRESETS:
            raise ValueError(f"preset: unknown preset {name!r} (choose from {', '.join(TRAINING_PRESETS)})")
        self.set_training_params(**TRAINING_PRESETS[name], preset=name)

    def set_dataset_params(self, **changes) -> None:
        """Update seed / count / overlap (regenerates both datasets), lr or init; resets the race."""
        allowed = {f.name for f in fields(DatasetParams)}
        unknown = set(changes) - allowed
        if unknown:
            raise ValueError(f"dataset: unknown parameter(s) {', '.join(sorted(unknown))}")
        clean = {}
        for k, v in changes.items():
            if k == "seed":
                clean[k] = _int("seed", v, 0, 2**31 - 1)
            elif k == "count":
                clean[k] = _int("count", v, 1, MAX_POINTS // 3)
            elif k == "overlap":
                clean[k] = _num("overlap", v, 0.0, 1.0)
            elif k == "lr":
                clean[k] = _num("lr", v, 1e-4, 100.0)
            elif k == "init":
                if v not in ("zero", "wrong"):
                    raise ValueError(f"init: expected 'zero' or 'wrong', got {v!r}")
                clean[k] = v
        new = replace(self._dataset, **clean)
        if new == self._dataset:
            return
        regenerate = any(getattr(new, k) != getattr(self._dataset, k) for k in ("seed", "count", "overlap"))
        self._dataset = new
        if regenerate:
            self._points = {which: _generate(new, k) for which, k in DATASET_KINDS.items()}
            self._selected_point = 0
        self._training_epoch = 0
        from explorer.model.app_model import TRAINING_PROGRESS
        self._emit({DATASET, TRAINING_PROGRESS}, True)

    def set_dataset_points(self, which: str, points) -> None:
        """Replace a dataset's points (``[[x1, x2, label], ...]``); resets the race."""
        which = self._check_dataset(which)
        arr = _validate_points(which + "_points", points, DATASET_KINDS[which])
        if arr.shape == self._points[which].shape and np.array_equal(arr, self._points[which]):
            return
        self._points = {**self._points, which: arr}
        if self._selected_point >= len(self._points["multiclass"]):
            self._selected_point = 0
        self._training_epoch = 0
        from explorer.model.app_model import TRAINING_PROGRESS
        self._emit({DATASET, TRAINING_PROGRESS}, True)

    def add_dataset_point(self, which: str, x1, x2, label: int) -> None:
        """Add a point of class *label* at (x1, x2) (within ±4) to a dataset."""
        which = self._check_dataset(which)
        k = DATASET_KINDS[which]
        x1 = _num("x1", x1, -core.training.DATA_LIMIT, core.training.DATA_LIMIT)
        x2 = _num("x2", x2, -core.training.DATA_LIMIT, core.training.DATA_LIMIT)
        label = _int("label", label, 0, k - 1)
        pts = self._points[which]
        if len(pts) >= MAX_POINTS:
            raise ValueError(f"{which}: at most {MAX_POINTS} points")
        self.set_dataset_points(which, np.vstack([pts, [[x1, x2, float(label)]]]))

    def remove_dataset_point(self, which: str, index: int) -> None:
        """Remove point *index*; at least two points always remain."""
        which = self._check_dataset(which)
        pts = self._points[which]
        index = _int("index", index, 0, len(pts) - 1)
        if len(pts) <= MIN_POINTS:
            raise ValueError(f"{which}: keep at least {MIN_POINTS} points")
        sel = self._selected_point
        self.set_dataset_points(which, np.delete(pts, index, axis=0))
        if which == "multiclass" and index < sel:
            # keep the same point selected (silently: the change above was already emitted)
            self._selected_point = sel - 1

    def set_selected_point(self, index: int) -> None:
        index = _int("selected_point", index, 0, len(self._points["multiclass"]) - 1)
        if index != self._selected_point:
            self._selected_point = index
            self._emit({TRAINING_VIEW}, True)

    # ------------------------------------------------------------------ serialisation
    def _training_to_dict(self) -> dict:
        return {
            "training_playback": {"speed": self._training_speed, "loop": self._training_loop,
                                  "mode": self._training_mode},
            "dataset": asdict(self._dataset),
            "dataset_points": self._points["dataset"].tolist(),
            "multiclass_points": self._points["multiclass"].tolist(),
            "selected_point": self._selected_point,
        }

    def _training_from_dict(self, data: dict) -> None:
        """Validate and apply the training keys of *data* (called on AppModel's scratch copy;
        every key is optional with a default)."""
        playback = data.get("training_playback", {})
        if not isinstance(playback, dict):
            raise ValueError("training_playback: expected an object")
        unknown = set(playback) - {"speed", "loop", "mode"}
        if unknown:
            raise ValueError(f"training_playback: unknown key(s) {', '.join(sorted(unknown))}")
        self._training_speed, self._training_loop, self._training_mode = 60.0, False, "neuron"
        self.set_training_speed(playback.get("speed", 60.0))
        self.set_training_loop(playback.get("loop", False))
        self.set_training_mode(playback.get("mode", "neuron"))
        dataset = data.get("dataset", {})
        if not isinstance(dataset, dict):
            raise ValueError("dataset: expected an object")
        self._dataset = DatasetParams()
        self._points = {which: _generate(self._dataset, k) for which, k in DATASET_KINDS.items()}
        self._selected_point = 0
        self.set_dataset_params(**dataset)
        for which in DATASET_KINDS:
            key = which + "_points"
            if key in data:
                self.set_dataset_points(which, data[key])
        self.set_selected_point(data.get("selected_point", 0))
