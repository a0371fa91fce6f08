"""Undo / redo of the distribution editors: one snapshot command per completed edit.

The model keeps a *committed* snapshot of its distribution section (p, q, labels, locks, q's logit
mode, logits and temperature).  Whenever a finished change touches that section, the model
compares the current state with the committed one and, if they differ, pushes a
:class:`SnapshotCommand` holding both (``before`` = committed, ``after`` = now).  A whole drag
(many "changing" updates, one "finished") is therefore a single undo step, a cancelled drag none.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtGui import QUndoCommand

#: (attribute of AppModel, is a numpy array)
SECTION = (
    ("_p", True), ("_q", True), ("_labels", False), ("_locks_p", True), ("_locks_q", True),
    ("_q_logit_mode", False), ("_q_logits", True), ("_temperature", False),
)


def take_snapshot(model) -> dict:
    """Copy the distribution section of *model*."""
    out = {}
    for attr, is_array in SECTION:
        value = getattr(model, attr)
        out[attr] = value.copy() if is_array else (list(value) if isinstance(value, list) else value)
    return out


def _same(x, y, is_array: bool) -> bool:
    if is_array:
        return x.shape == y.shape and np.array_equal(x, y)
    return x == y


def snapshots_equal(a: dict, b: dict) -> bool:
    return all(_same(a[attr], b[attr], is_array) for attr, is_array in SECTION)


def describe(before: dict, after: dict) -> str:
    """An English name for the step from *before* to *after* (used when the edit did not name
    itself); translated by the caller."""
    if before["_p"].shape != after["_p"].shape:
        return "Change the number of categories"
    changed = [attr for attr, is_array in SECTION if not _same(before[attr], after[attr], is_array)]
    if changed == ["_labels"]:
        return "Rename categories"
    if set(changed) <= {"_locks_p", "_locks_q"}:
        return "Lock or unlock bars"
    if changed == ["_q_logit_mode"] or set(changed) == {"_q_logit_mode", "_q_logits"}:
        return "Switch q's logit mode"
    if "_temperature" in changed:
        return "Change the temperature"
    if set(changed) <= {"_p"}:
        return "Edit p"
    if set(changed) <= {"_q", "_q_logits"}:
        return "Edit q"
    return "Edit p and q"


class SnapshotCommand(QUndoCommand):
    """Restore ``before`` on undo and ``after`` on redo.  The edit has already happened when
    the command is pushed, so the first ``redo()`` (called by ``QUndoStack.push``) does nothing."""

    def __init__(self, model, before: dict, after: dict, text: str):
        super().__init__(text)
        self._model = model
        self.before = before
        self.after = after
        self._pushed = False

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True
            return
        self._model._restore_snapshot(self.after)

    def undo(self) -> None:
        self._model._restore_snapshot(self.before)
