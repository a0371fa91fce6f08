"""The Edit menu: undo / redo of the model's edit steps, swap p ↔ q, copy p → q.

Undo and redo are plain QActions that follow ``model.undo_stack`` (rather than
``QUndoStack.createUndoAction``) so that their text, "Undo <step name>", can be translated again
when the language changes.
"""
from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence

from explorer import i18n


class EditActions:
    """Actions of the Edit menu for *model*, owned by *window*."""

    def __init__(self, window, model):
        self.window = window
        self.model = model
        stack = model.undo_stack
        self.act_undo = QAction(window)
        self.act_undo.setObjectName("actUndo")
        self.act_undo.setShortcuts([QKeySequence(QKeySequence.Undo)])
        self.act_undo.triggered.connect(stack.undo)
        self.act_redo = QAction(window)
        self.act_redo.setObjectName("actRedo")
        self.act_redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.act_redo.triggered.connect(stack.redo)
        self.act_swap = QAction(window)
        self.act_swap.setObjectName("actSwapPQ")
        self.act_swap.triggered.connect(model.swap_pq)
        self.act_copy = QAction(window)
        self.act_copy.setObjectName("actCopyPQ")
        self.act_copy.triggered.connect(lambda: model.copy_dist("p", "q"))
        for sig in (stack.indexChanged, stack.cleanChanged, stack.canUndoChanged,
                    stack.canRedoChanged):
            sig.connect(self._update)
        self.menu = None

    def install(self, menu) -> None:
        self.menu = menu
        menu.addActions([self.act_undo, self.act_redo])
        menu.addSeparator()
        menu.addActions([self.act_swap, self.act_copy])

    def retranslate(self) -> None:
        tr = i18n.tr
        if self.menu is not None:
            self.menu.setTitle(tr("&Edit"))
        self.act_swap.setText(tr("&Swap p ↔ q"))
        self.act_swap.setStatusTip(tr("Exchange the two distributions"))
        self.act_copy.setText(tr("&Copy p → q"))
        self.act_copy.setStatusTip(tr("Make q equal to p: the KL divergence becomes 0"))
        self._update()

    def _update(self, *_args) -> None:
        tr = i18n.tr
        try:
            stack = self.model.undo_stack
            can_undo, can_redo = stack.canUndo(), stack.canRedo()
            undo, redo = stack.undoText(), stack.redoText()
        except RuntimeError:        # the stack is being destroyed with its model
            return
        self.act_undo.setEnabled(can_undo)
        self.act_redo.setEnabled(can_redo)
        self.act_undo.setText(tr("&Undo {step}").format(step=undo) if undo else tr("&Undo"))
        self.act_redo.setText(tr("&Redo {step}").format(step=redo) if redo else tr("&Redo"))
        self.act_undo.setStatusTip(tr("Undo the last edit of p, q, labels or locks"))
        self.act_redo.setStatusTip(tr("Redo the edit that was undone last"))
