"""The batch table: the articles' loss over a small batch, L = −(1/n) Σᵢ …, row by row.

Two tables, each a list of rows:

* **binary**: a label y ∈ [0, 1] and a prediction a = P(class 1) per row;
* **categorical**: the true class k and a predicted distribution a over K classes per row.

:class:`BatchState` keeps both and which one is shown; the losses are computed by
:func:`explorer.core.binary_batch_loss` / :func:`explorer.core.categorical_batch_loss`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer import core
from explorer.core.errors import InputError
from explorer.model import checks
from explorer.model.change import BATCH
from explorer.model.fields import Section, state_field

BATCH_MODES = ("binary", "categorical")
MAX_ROWS = 50
MIN_CLASSES, MAX_CLASSES = 2, 10
#: the articles' examples: the credit-card default (binary) and the cat·dog·horse photos
BATCH_PRESETS = {
    "credit_card": ("binary", ((1.0, 0.7), (0.0, 0.2))),
    "cat_dog_horse": ("categorical", ((1, (0.4, 0.4, 0.2)), (2, (0.1, 0.12, 0.78)))),
}


def _mode(key, value) -> str:
    return checks.choice(key, value, BATCH_MODES)


def _binary_row(key, row, i):
    if not isinstance(row, (list, tuple)) or len(row) != 2:
        raise InputError("{key}: row {row} must be [y, a]", key=key, row=i)
    y = checks.number(f"{key}[{i}].y", row[0], 0.0, 1.0)
    a = checks.number(f"{key}[{i}].a", row[1], 0.0, 1.0)
    return (y, a)


def _binary_rows(key, value) -> tuple:
    if isinstance(value, (str, bytes, dict)) or not isinstance(value, (list, tuple)):
        raise InputError("{key}: expected a list of rows", key=key)
    if not 1 <= len(value) <= MAX_ROWS:
        raise InputError("{key}: needs 1 to {limit} rows, got {count}", key=key, limit=MAX_ROWS,
                         count=len(value))
    return tuple(_binary_row(key, r, i) for i, r in enumerate(value))


def _categorical_rows(key, value) -> tuple:
    if isinstance(value, (str, bytes, dict)) or not isinstance(value, (list, tuple)):
        raise InputError("{key}: expected a list of rows", key=key)
    if not 1 <= len(value) <= MAX_ROWS:
        raise InputError("{key}: needs 1 to {limit} rows, got {count}", key=key, limit=MAX_ROWS,
                         count=len(value))
    out, k_classes = [], None
    for i, row in enumerate(value):
        if not isinstance(row, (list, tuple)) or len(row) != 2:
            raise InputError("{key}: row {row} must be [class, [a₁, …, a_K]]", key=key, row=i)
        a = checks.distribution(f"{key}[{i}].a", row[1])
        if not MIN_CLASSES <= a.size <= MAX_CLASSES:
            raise InputError("{key}: needs {lo} to {hi} classes, got {count}", key=key,
                             lo=MIN_CLASSES, hi=MAX_CLASSES, count=a.size)
        if k_classes is None:
            k_classes = a.size
        elif a.size != k_classes:
            raise InputError("{key}: every row needs {n} classes", key=key, n=k_classes)
        k = checks.integer(f"{key}[{i}].class", row[0], 0, a.size - 1)
        out.append((k, tuple(a.tolist())))
    return tuple(out)


def _rows_json(value) -> list:
    return [[r[0], list(r[1]) if isinstance(r[1], tuple) else r[1]] for r in value]


@dataclass(frozen=True, eq=False)
class BatchState(Section):
    mode: str = state_field("binary", key="batch_mode", kinds={BATCH}, check=_mode,
                            example="categorical")
    binary: tuple = state_field(BATCH_PRESETS["credit_card"][1], key="batch_binary",
                                kinds={BATCH}, check=_binary_rows, to_json=_rows_json,
                                example=[[1.0, 0.9], [0.0, 0.4], [1.0, 0.3]])
    categorical: tuple = state_field(BATCH_PRESETS["cat_dog_horse"][1], key="batch_categorical",
                                     kinds={BATCH}, check=_categorical_rows, to_json=_rows_json,
                                     example=[[0, [0.5, 0.5]], [1, [0.2, 0.8]]])

    @property
    def n_classes(self) -> int:
        return len(self.categorical[0][1])

    def with_mode(self, mode) -> "BatchState":
        return self.evolve(mode=_mode("mode", mode))

    def with_preset(self, name) -> "BatchState":
        if not isinstance(name, str) or name not in BATCH_PRESETS:
            raise InputError("batch preset: unknown preset {name} (choose from {options})",
                             name=checks._show(name), options=", ".join(BATCH_PRESETS))
        mode, rows = BATCH_PRESETS[name]
        return self.evolve(mode=mode, **{mode: rows})

    def with_binary_cell(self, row, column, value) -> "BatchState":
        """Row *row*'s label (column 0) or prediction (column 1) set to *value* in [0, 1]."""
        rows = list(self.binary)
        row = checks.index("row", row, len(rows))
        column = checks.integer("column", column, 0, 1)
        v = checks.number("y" if column == 0 else "a", value, 0.0, 1.0)
        cells = list(rows[row])
        cells[column] = v
        rows[row] = tuple(cells)
        return self.evolve(binary=tuple(rows))

    def with_class(self, row, k) -> "BatchState":
        rows = list(self.categorical)
        row = checks.index("row", row, len(rows))
        k = checks.index("class", k, self.n_classes)
        rows[row] = (k, rows[row][1])
        return self.evolve(categorical=tuple(rows))

    def with_prediction(self, row, j, value) -> "BatchState":
        """a_j of row *row* set to *value*; the row's other predictions make room in proportion
        (:func:`explorer.core.redistribute`), so the row stays a distribution."""
        rows = list(self.categorical)
        row = checks.index("row", row, len(rows))
        j = checks.index("class", j, self.n_classes)
        v = checks.number("a", value, 0.0, 1.0)
        a = core.redistribute(np.array(rows[row][1]), j, v)
        rows[row] = (rows[row][0], tuple(checks.distribution("a", a).tolist()))
        return self.evolve(categorical=tuple(rows))

    def with_row_added(self) -> "BatchState":
        if self.mode == "binary":
            if len(self.binary) >= MAX_ROWS:
                raise InputError("batch: at most {limit} rows", limit=MAX_ROWS)
            return self.evolve(binary=self.binary + ((1.0, 0.5),))
        if len(self.categorical) >= MAX_ROWS:
            raise InputError("batch: at most {limit} rows", limit=MAX_ROWS)
        k = self.n_classes
        return self.evolve(categorical=self.categorical + ((0, tuple([1.0 / k] * k)),))

    def with_row_removed(self, row) -> "BatchState":
        rows = self.binary if self.mode == "binary" else self.categorical
        row = checks.index("row", row, len(rows))
        if len(rows) <= 1:
            raise InputError("batch: keep at least one row")
        rows = rows[:row] + rows[row + 1:]
        return self.evolve(**{self.mode: rows})


@dataclass(frozen=True, eq=False)
class BatchNumbers:
    """The loss of the shown table: each row's term, their mean L, and scikit-learn's value
    (a clipped to [ε, 1 − ε], ε = float64 machine epsilon)."""

    mode: str
    terms: np.ndarray
    loss: float
    sklearn_loss: float
    eps: float


def batch_numbers(b: BatchState) -> BatchNumbers:
    eps = float(np.finfo(np.float64).eps)
    if b.mode == "binary":
        y = np.array([r[0] for r in b.binary])
        a = np.array([r[1] for r in b.binary])
        loss, terms = core.binary_batch_loss(y, a)
        ref, _ = core.binary_batch_loss(y, a, eps=eps)
    else:
        k = b.n_classes
        y = np.eye(k)[[r[0] for r in b.categorical]]
        a = np.array([r[1] for r in b.categorical])
        loss, terms = core.categorical_batch_loss(y, a)
        ref, _ = core.categorical_batch_loss(y, a, eps=eps)
    terms.flags.writeable = False
    return BatchNumbers(mode=b.mode, terms=terms, loss=loss, sklearn_loss=ref, eps=eps)
