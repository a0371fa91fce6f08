"""The Edit menu: undo / redo of the model's edit steps, swap p ↔ q, copy p → q.

Undo and redo are plain QActions that follow ``model.undo_stack`` (rather than
``QUndoStack.createUndoAction``) so that their text, "Undo <step name>", can be translated again
when the language changes.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractSpinBox, QLineEdit

from explorer import i18n


def has_uncommitted_typing(widget) -> bool:
    """True when *widget* is a text field holding typing of the user's that has not been applied
    yet — the one place where Ctrl+Z undoes typing instead of the app's last edit.  A spin box
    counts when its text differs from its value; a line edit when the user has modified it
    since the app last set its text."""
    spin = widget if isinstance(widget, QAbstractSpinBox) else None
    if spin is None and isinstance(widget, QLineEdit) and isinstance(widget.parent(), QAbstractSpinBox):
        spin = widget.parent()
    if spin is not None:
        value = getattr(spin, "value", None)
        text_from = getattr(spin, "textFromValue", None)
        if value is None or text_from is None:
            return False
        return spin.cleanText() != text_from(value())
    if isinstance(widget, QLineEdit):
        return not widget.isReadOnly() and widget.isModified() and widget.isUndoAvailable()
    return False


class _UndoEverywhere(QObject):
    """Event filter on the window's spin boxes and line edits: they claim Ctrl+Z / Ctrl+Shift+Z
    / Ctrl+Y for their own undo (Qt's ShortcutOverride), so the app's Undo never fired while,
    say, the N spin box had focus.  Unless the field holds uncommitted typing, leave those keys
    to the app's actions."""

    def __init__(self, window, sequences):
        super().__init__(window)
        self._window = window
        self._sequences = sequences

    def eventFilter(self, obj, event):
        if event.type() != QEvent.ShortcutOverride:
            return False
        try:
            combo = QKeySequence(event.keyCombination())
        except (AttributeError, TypeError):
            return False
        if not any(combo.matches(seq) == QKeySequence.ExactMatch for seq in self._sequences()):
            return False
        if has_uncommitted_typing(obj):
            return False
        event.ignore()          # not the widget's: the shortcut map gives it to Edit → Undo/Redo
        return True


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
        self._filter = _UndoEverywhere(
            window, lambda: self.act_undo.shortcuts() + self.act_redo.shortcuts())
        self.watch(window)

    def watch(self, root) -> None:
        """Let Edit → Undo/Redo work while a spin box or text field under *root* has focus."""
        for w in root.findChildren(QAbstractSpinBox) + root.findChildren(QLineEdit):
            w.installEventFilter(self._filter)

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
