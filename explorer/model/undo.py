"""Undo / redo of the distribution editors: one snapshot command per completed edit.

The model keeps the *committed* :class:`~explorer.model.distribution.DistributionState` — the
state as of the last finished edit.  States are immutable, so a snapshot is the object itself.
Whenever a finished change touches that section, the model compares the current state with the
committed one and, if they differ, pushes a :class:`SnapshotCommand` holding both
(``before`` = committed, ``after`` = now).  A whole drag (many "changing" updates, one
"finished") is therefore a single undo step, a cancelled drag none.  Every field declared in
that section takes part automatically.
"""
from __future__ import annotations

from PySide6.QtGui import QUndoCommand

def describe(before, after) -> str:
    """An English name for the step from *before* to *after* (used when the edit did not name
    itself)."""
    if before.n != after.n:
        return "Change the number of categories"
    changed = set(before.changed_fields(after))
    if changed == {"labels"}:
        return "Rename categories"
    if changed <= {"locks_p", "locks_q"}:
        return "Lock or unlock bars"
    if "q_logit_mode" in changed and changed <= {"q_logit_mode", "q_logits"}:
        return "Switch q's logit mode"
    if "temperature" in changed:
        return "Change the temperature"
    if changed <= {"p"}:
        return "Edit p"
    if changed <= {"q", "q_logits"}:
        return "Edit q"
    return "Edit p and q"


class SnapshotCommand(QUndoCommand):
    """Restore ``before`` on undo and ``after`` on redo.  The edit has already happened when
    the command is pushed, so the first ``redo()`` (called by ``QUndoStack.push``) does nothing."""

    def __init__(self, model, before, after, text: str):
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
