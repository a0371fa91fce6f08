"""Workspaces: named arrangements of the docks, each telling one story of the articles.

A workspace is a *design* (:class:`Design`): columns of dock cells, left to right, each column a
stack of cells top to bottom, each cell one dock or a tab group (its first dock in front), with
the share of the window every column and cell gets.  :func:`arrange` builds a design from any
state of the window; the sizes are shares of the window's size at that moment, so a design
applied at 1280×800 and at 1920×1080 gives the same proportions.

:class:`WorkspaceController` (``window.workspaces``) owns the switching:

* one checkable action per workspace (Ctrl+1 … Ctrl+5), shown as buttons in the menu bar and in
  View → Workspace; the buttons carry the short name, the menu the full title;
* every workspace remembers the user's changes to it (docks moved, closed, resized): leaving a
  workspace stores ``saveState()`` under ``workspace/<name>/state`` in QSettings, coming back
  restores it;
* View → Reset workspace applies the design again, exactly as on a first launch, and forgets the
  stored state.

Where things live: the *name* of the workspace belongs to a session (a saved session or a demo
scenario tells which story it is part of: ``layout.workspace`` in a session file, the
``workspace`` key of a scenario's ``layout`` action), while the per-workspace dock states, like
the window geometry and the zoom, are this machine's preferences (QSettings): they depend on the
screen, not on the lesson.  Switching a workspace never changes the model (no undo step, no
"modified" mark).
"""
from __future__ import annotations

from PySide6.QtCore import QByteArray, QObject, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QMenu, QToolButton, QWidget

from explorer import i18n
from explorer.workspace_designs import (BY_NAME, FIRST_RUN_WORKSPACE, NAMES,  # noqa: F401
                                        PROGRAM_WORKSPACE, WORKSPACES, Design, design)

CURRENT_KEY = "workspace/current"
STATE_KEY = "workspace/{name}/state"


def arrange(window, d: Design) -> None:
    """Put *window*'s docks where design *d* wants them (every other dock hidden) and give the
    columns and cells their shares of the window's current size."""
    docks = window.docks
    wanted = [n for n in d.docks if n in docks]
    for name, dock in docks.items():
        if name not in wanted:
            dock.hide()
    for name in wanted:
        dock = docks[name]
        window.removeDockWidget(dock)
        dock.setFloating(False)
    columns = _columns(window, d)
    tops = [docks[cells[0][1][0]] for _w, cells in columns]
    window.addDockWidget(Qt.LeftDockWidgetArea, tops[0])
    tops[0].show()
    for left, right in zip(tops, tops[1:]):
        window.splitDockWidget(left, right, Qt.Horizontal)
        right.show()
    for _w, cells in columns:
        above = docks[cells[0][1][0]]
        for _h, group in cells[1:]:
            dock = docks[group[0]]
            window.splitDockWidget(above, dock, Qt.Vertical)
            dock.show()
            above = dock
    for _w, cells in columns:
        for _h, group in cells:
            front = docks[group[0]]
            for name in group[1:]:
                window.tabifyDockWidget(front, docks[name])
                docks[name].show()
            front.raise_()
    apply_shares(window, d)


def _columns(window, d: Design) -> list:
    """*d*'s columns without the docks this window lacks (and without emptied cells)."""
    docks = window.docks
    columns = [(w, [(h, [n for n in group if n in docks]) for h, group in cells])
               for w, cells in d.columns]
    columns = [(w, [(h, g) for h, g in cells if g]) for w, cells in columns]
    return [(w, cells) for w, cells in columns if cells]


def apply_shares(window, d: Design) -> None:
    """Size the columns and cells of an arranged design *d* to their shares of the window."""
    docks = window.docks
    columns = _columns(window, d)
    layout = window.layout()
    if layout is not None:
        layout.activate()
    width, height = max(1, window.width()), max(1, window.height())
    tops = [docks[cells[0][1][0]] for _w, cells in columns]
    if len(tops) > 1:
        total = sum(w for w, _c in columns)
        window.resizeDocks(tops, [max(1, round(width * w / total)) for w, _c in columns],
                           Qt.Horizontal)
    for _w, cells in columns:
        if len(cells) > 1:
            total = sum(h for h, _g in cells)
            window.resizeDocks([docks[g[0]] for _h, g in cells],
                               [max(1, round(height * h / total)) for h, _g in cells], Qt.Vertical)
    if layout is not None:
        layout.activate()


class WorkspaceController(QObject):
    """The window's workspaces: actions, the switcher in the menu bar, remembered states."""

    #: the name of the workspace now shown
    workspaceChanged = Signal(str)

    def __init__(self, window, initial: str):
        super().__init__(window)
        self.window = window
        self.settings = window.settings
        self.current = design(initial).name
        self.group = QActionGroup(self)
        self.group.setExclusive(True)
        self.actions: dict[str, QAction] = {}
        for i, d in enumerate(WORKSPACES, start=1):
            act = QAction(window, checkable=True)
            act.setObjectName(f"actWorkspace_{d.name}")
            act.setShortcut(QKeySequence(f"Ctrl+{i}"))
            act.triggered.connect(lambda _checked=False, name=d.name: self.switch(name))
            self.group.addAction(act)
            window.addAction(act)        # the shortcut works with the menu bar hidden too
            self.actions[d.name] = act
        self.act_reset = QAction(window)
        self.act_reset.setObjectName("actResetLayout")
        self.act_reset.triggered.connect(self.reset)
        self.menu = QMenu(window)
        self.menu.setObjectName("workspaceMenu")
        self.menu.addActions(list(self.actions.values()))
        self.menu.addSeparator()
        self.menu.addAction(self.act_reset)
        # the visible switcher: one flat button per workspace, in the menu bar's corner
        self.bar = QWidget(window)
        self.bar.setObjectName("workspaceBar")
        row = QHBoxLayout(self.bar)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        self.buttons: dict[str, QToolButton] = {}
        for name, act in self.actions.items():
            b = QToolButton(self.bar)
            b.setObjectName(f"workspaceButton_{name}")
            b.setDefaultAction(act)
            b.setAutoRaise(True)
            b.setToolButtonStyle(Qt.ToolButtonTextOnly)
            row.addWidget(b)
            self.buttons[name] = b
        self._sync_checks()

    # ------------------------------------------------------------------ switching
    def design(self) -> Design:
        return BY_NAME[self.current]

    def apply_design(self) -> None:
        """Build the current workspace's design now (no stored state)."""
        arrange(self.window, self.design())

    def switch(self, name: str, *, restore: bool = True) -> None:
        """Show workspace *name*: its remembered state if it has one (and *restore*), else its
        design.  The workspace left keeps its state for the next visit."""
        d = design(name)
        if d.name == self.current and self._shown:
            self._sync_checks()
            return
        if self._shown:
            self.remember()
        self.current = d.name
        state = self.stored_state(d.name) if restore else None
        if state is None or not self.restore_state(state):
            arrange(self.window, d)
        self.window.layout_changed()
        self._sync_checks()
        self.settings.setValue(CURRENT_KEY, d.name)
        self.workspaceChanged.emit(d.name)
        self.window.statusBar().showMessage(i18n.tr("Workspace: {name}").format(
            name=i18n.tr(d.title)), 3000)

    _shown = False      # False until the window has put up its first workspace

    def start(self, restore: bool) -> None:
        """The window's first workspace: the remembered state of the current one (*restore*),
        else its design."""
        state = self.stored_state(self.current) if restore else None
        if state is None or not self.restore_state(state):
            arrange(self.window, self.design())
        self._shown = True
        self._sync_checks()

    def reset(self) -> None:
        """Reset workspace: its design again, exactly as on a first launch."""
        self.settings.remove(STATE_KEY.format(name=self.current))
        for dock in self.window.docks.values():
            if dock.isFloating():
                dock.setFloating(False)
        arrange(self.window, self.design())
        self.window.layout_changed()
        self.window.statusBar().showMessage(i18n.tr("Workspace reset"), 3000)

    def restore_state(self, state) -> bool:
        """``restoreState`` that also hides the docks the state does not mention (a dock
        the workspace never placed is not in its state, and Qt would leave it as it is)."""
        shown = [d for d in self.window.docks.values() if d.isVisible()]
        for dock in shown:
            dock.hide()
        if self.window.restoreState(state):
            return True
        for dock in shown:                   # Qt refused the state: leave the window as it was
            dock.show()
        return False

    def remember(self) -> None:
        """Store the current workspace's dock state (QSettings)."""
        self.settings.setValue(STATE_KEY.format(name=self.current), self.window.saveState())

    def stored_state(self, name: str) -> QByteArray | None:
        value = self.settings.value(STATE_KEY.format(name=name))
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def _sync_checks(self) -> None:
        for name, act in self.actions.items():
            act.setChecked(name == self.current)

    # ------------------------------------------------------------------ texts
    def retranslate(self) -> None:
        tr = i18n.tr
        self.menu.setTitle(tr("&Workspace"))
        for i, d in enumerate(WORKSPACES, start=1):
            act = self.actions[d.name]
            act.setText(tr(d.title).replace("&", "&&"))      # "Sampling & likelihood"
            act.setIconText(tr(d.short).replace("&", "&&"))
            tip = tr(d.tip)
            act.setToolTip(f"{tr(d.title)} ({act.shortcut().toString(QKeySequence.NativeText)}): "
                           f"{tip}")
            act.setStatusTip(tip)
        self.act_reset.setText(tr("&Reset workspace"))
        self.act_reset.setStatusTip(tr("Put this workspace's panels back as they were designed"))
        for b in self.buttons.values():
            b.adjustSize()
        self.bar.adjustSize()


def stored_workspace(settings) -> str | None:
    value = settings.value(CURRENT_KEY)
    return value if isinstance(value, str) and value in BY_NAME else None
