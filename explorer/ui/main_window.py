"""The main window: six docks around one shared model, menus, status bar, persisted layout."""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QDockWidget, QFileDialog, QHBoxLayout, QMainWindow, QMessageBox, QTabBar,
                               QWidget)

from explorer import APP_NAME, ORG_NAME, __version__, i18n
from explorer.model import AppModel
from explorer.ui.docks import DOCKS
from explorer.ui.recording import RecordController
from explorer.ui.docks.help_dock import HelpActions
from explorer.ui.export import install_plot_exports
from explorer.ui.preferences import Preferences
from explorer.ui import fit, qt_texts, workspaces
from explorer.ui.view_modes import ViewModes
from explorer.ui.workspaces import WorkspaceController
from explorer.ui.sessions import SessionController
from explorer.ui.widgets.edit_actions import EditActions

DEFAULT_SIZE = (1600, 1000)


class DockTabGuard(QObject):
    """Work around Qt crashes (6.8 to 6.12, offscreen and xcb) when a dock tab is dragged while
    the dock tab bar is out of date.

    QMainWindow lets the user reorder dock tabs by dragging (its tab bars are *movable*), and
    that code trusts the bar to match the dock area.  It does not always: (1) the tab of a dock
    that just floated goes away only at the next relayout, a posted event; a press that comes
    first picks a tab index from the stale bar, making that tab current relayouts the area
    *inside* the press, and the drag start (``QTabBarPrivate::setupMovableTab``) indexes the tab
    list with the old, now too large index.  (2) ``restoreState`` (View > Reset layout, opening
    a session) builds a new tab bar and leaves the old one shown; reordering on it emits
    ``tabMoved`` for a bar no dock area owns (``QTabBarPrivate::slide`` -> ``moveTab`` ->
    ``tabMoved``).  Both end in SIGSEGV or SIGBUS.

    The guard makes every dock tab bar not movable, which removes the whole drag-to-reorder
    path (reordering dock tabs is the only thing lost: docks still move by their title bars and
    float buttons), and brings the layout up to date before a dock tab bar sees a press, so a
    click selects the tab as the bar now shows it.  Dock tab bars are created by Qt whenever
    docks get tabbed (layout, restoreState, drops): the guard follows the window's
    ``ChildPolished`` events, which come before a bar is first shown."""

    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.window = window
        window.installEventFilter(self)
        for bar in window.findChildren(QTabBar):
            self.watch(bar)

    def watch(self, bar: QTabBar) -> None:
        if bar.parent() is not self.window:
            return                           # a tab bar inside a dock: not Qt's dock tabs
        bar.setMovable(False)
        # full titles, never "Informa…": a crowded group scrolls its tabs with arrow buttons
        bar.setElideMode(Qt.ElideNone)
        bar.setUsesScrollButtons(True)
        if not bar.property("explorerDockTabGuard"):
            bar.setProperty("explorerDockTabGuard", True)
            bar.installEventFilter(self)

    def stale_bars(self) -> list[QTabBar]:
        """Shown dock tab bars that no dock area uses any more.  Qt sometimes gives a tab group
        a new bar and leaves the old one on screen — when docks are tabbed before the window is
        first shown (two tab groups: the second one's first bar stays, drawn over another dock),
        and after ``restoreState``.  A bar in use sits against the dock of its current tab.

        A bar with tabs that Qt parked off the window is not stale: Qt "hides" the bar of a
        group left with one dock by moving it to negative coordinates, and shows it again at
        every relayout, so hiding it (which asks for a relayout) started a loop of ~140 layouts
        a second."""
        # (dock tab bars and docks are the window's own children: no search of the whole tree,
        # which this runs after every relayout of the window)
        direct = Qt.FindDirectChildrenOnly
        docks = self.window.findChildren(QDockWidget, options=direct)
        area = self.window.rect()
        out = []
        for bar in self.window.findChildren(QTabBar, options=direct):
            if not bar.isVisible():
                continue
            if bar.count() == 0:             # a retired bar Qt showed again: no group has it
                out.append(bar)
                continue
            if not bar.geometry().intersects(area):
                continue                     # parked off the window by Qt: it covers nothing
            title = bar.tabText(bar.currentIndex())
            shown = [d for d in docks if d.windowTitle() == title and d.isVisible()
                     and not d.isFloating()]
            g = bar.geometry()
            if not any(min(abs(g.top() - d.geometry().bottom()), abs(g.bottom() - d.geometry().top()))
                       <= 8 and g.left() < d.geometry().right() and d.geometry().left() < g.right()
                       for d in shown):
                out.append(bar)
        return out

    def _hide_stale_bars(self) -> None:
        self._pending = False
        for bar in self.stale_bars():
            bar.hide()

    def eventFilter(self, obj, event) -> bool:
        kind = event.type()
        if obj is self.window:
            if kind == QEvent.ChildPolished and isinstance(event.child(), QTabBar):
                self.watch(event.child())
            elif kind in (QEvent.Show, QEvent.LayoutRequest) and not getattr(self, "_pending", False):
                self._pending = True         # once the relayout is done
                QTimer.singleShot(0, self, self._hide_stale_bars)   # dropped with the window
        elif kind == QEvent.MouseButtonPress and isinstance(obj, QTabBar):
            if obj.isMovable():              # Qt made it movable again: undo before the drag
                obj.setMovable(False)
            layout = self.window.layout()
            if layout is not None:
                layout.activate()            # drop the tabs of docks that left the group
        return False


def sync_tab_bars(window: QMainWindow) -> None:
    """Show exactly one dock tab bar per group of tabbed docks, and hide the others.

    After docks are removed and added again (a workspace switch or reset, ``restoreState``),
    Qt 6 reuses a retired tab bar for a new tab group *without showing it* (the tabs are gone
    although the docks are tabbed), and may leave a retired one shown, floating over the docks
    or off the window with the tabs of docks that are elsewhere now.  A group's bar is the
    one whose tabs are the group's dock titles (the one shown, if several)."""
    groups, seen = [], set()
    for dock in window.findChildren(QDockWidget):
        if dock.parent() is not window or dock in seen or dock.isHidden() or dock.isFloating():
            continue
        mates = [d for d in window.tabifiedDockWidgets(dock) if not d.isHidden()]
        if not mates:
            continue
        seen.update([dock, *mates])
        groups.append(sorted(d.windowTitle() for d in [dock, *mates]))
    bars = [b for b in window.findChildren(QTabBar) if b.parent() is window]
    claimed = set()
    for titles in groups:
        matching = [b for b in bars if b not in claimed
                    and sorted(b.tabText(i) for i in range(b.count())) == titles]
        if not matching:
            continue
        inside = [b for b in matching if window.rect().contains(b.geometry())]
        pick = next((b for b in inside if b.isVisible()), None) or \
            (inside or matching)[0]
        claimed.add(pick)
        if pick.isHidden():
            pick.show()
    for bar in bars:
        if bar not in claimed and not bar.isHidden():
            bar.hide()


#: how long after the window is shown the docks not on screen start being built
IDLE_BUILD_DELAY_MS = 400


class MainWindow(QMainWindow):
    """Top-level window.  ``window.model`` is the shared model; ``window.docks`` maps
    objectName -> dock."""

    def __init__(self, model: AppModel | None = None, settings: QSettings | None = None,
                 restore_layout: bool = True, interactive: bool = True,
                 workspace: str | None = None):
        super().__init__()
        #: False for windows driven by a program (bench, recorder, screenshot): closing never
        #: asks about unsaved changes, since there is nobody to answer.
        self.interactive = interactive
        self.model = model if model is not None else AppModel()
        self.settings = settings if settings is not None else QSettings(ORG_NAME, "explorer")
        self.setObjectName("mainWindow")
        # theme before the docks, so every plot is created in its colours
        self.prefs = Preferences(self)
        self.prefs.apply_stored_theme()
        self.setDockNestingEnabled(True)
        self.setDockOptions(QMainWindow.AnimatedDocks | QMainWindow.AllowNestedDocks
                            | QMainWindow.AllowTabbedDocks)
        # Docks fill the window: the central widget is an empty, zero-size placeholder.
        placeholder = QWidget()
        placeholder.setMaximumSize(0, 0)
        self.setCentralWidget(placeholder)
        self.docks = {}
        for cls in DOCKS:
            # lazy: a dock builds its body when it first comes on screen (or is asked for); the
            # rest are built one by one after the first paint (build_pending_docks)
            dock = cls(self.model, self, lazy=True)
            dock.built.connect(self._dock_built)
            self.docks[cls.OBJECT_NAME] = dock
        self._window_ready = False                 # _dock_built defers to the end of __init__
        self._idle_builder = QTimer(self)
        self._idle_builder.setSingleShot(True)
        self._idle_builder.timeout.connect(self._build_next_pending)
        self.workspaces = WorkspaceController(self, self._initial_workspace(
            workspace, restore_layout))
        self.workspaces.start(restore=False)       # the design; a stored state comes below
        self._shares_pending = True                # the design's shares once the size is final
        self.dock_tab_guard = DockTabGuard(self)  # Qt crashes dragging stale dock tabs (issue 14)
        self.sessions = SessionController(self)   # open/save/recent/title/autosave
        self.help_actions = HelpActions(self)     # Help menu: panel, tour, concepts
        self.edit_actions = EditActions(self, self.model)   # Edit menu: undo/redo, swap, copy
        self.view_modes = ViewModes(self)         # zoom, full screen, presentation mode
        self._build_actions()
        self._build_menus()
        self.recording = RecordController(self)   # File: Record… (Ctrl+Shift+R), Render demo…
        self._build_corner()
        install_plot_exports(self)                 # right-click any plot: copy / PNG / SVG
        self.resize(*DEFAULT_SIZE)
        self._default_state = self.saveState()
        self.retranslate()
        i18n.notifier.languageChanged.connect(self.retranslate)
        self.statusBar()
        self.view_modes.apply_zoom()
        self._window_ready = True
        built = [d for d in self.docks.values() if d.is_built()]
        if built:
            self._finish_docks(built)
        if restore_layout:
            self._restore_layout()

    # ------------------------------------------------------------------ lazy docks
    def _dock_built(self, dock) -> None:
        if self._window_ready:
            self._finish_docks([dock])
            # the new body changed the dock's size hints: once the window has laid out again,
            # one tab bar per tab group (Qt may leave a stale one shown; see sync_tab_bars)
            QTimer.singleShot(0, self, self._sync_tab_bars_later)

    def _finish_docks(self, docks) -> None:
        """What the window gives a dock whose body was just built: the zoom, the charts'
        minimum heights and nested scrolls, the plots' export menu, undo in its fields."""
        from explorer.ui import zoom

        for dock in docks:
            zoom.rezoom(dock)
        fit.refit(self, docks)
        install_plot_exports(self)
        for dock in docks:
            self.edit_actions.watch(dock)

    def pending_docks(self) -> list:
        """The docks whose body is not built yet."""
        return [d for d in self.docks.values() if not d.is_built()]

    def build_pending_docks(self) -> None:
        """Build every dock not built yet now (programs that read or render the whole window:
        the bench, the recorder, tests; the app does it in the background)."""
        for dock in self.pending_docks():
            dock.ensure_built()

    def _build_next_pending(self) -> None:
        """After the first paint, one dock per turn of the event loop, so input keeps flowing
        while the hidden tabs get built."""
        pending = self.pending_docks()
        if pending:
            pending[0].ensure_built()
        if len(pending) > 1:
            self._idle_builder.start(0)

    def _initial_workspace(self, requested: str | None, restore: bool) -> str:
        if requested is not None:
            return workspaces.design(requested).name
        if not restore:
            return workspaces.PROGRAM_WORKSPACE
        stored = workspaces.stored_workspace(self.settings)
        if stored is not None:
            return stored
        # a layout saved before workspaces existed is the dashboard; a first launch is focused
        legacy = self.settings.value("window/state")
        return workspaces.PROGRAM_WORKSPACE if isinstance(legacy, QByteArray) \
            else workspaces.FIRST_RUN_WORKSPACE

    # ------------------------------------------------------------------ layout
    def reset_layout(self) -> None:
        """View → Reset workspace: the current workspace exactly as designed (visible, docked,
        the design's splits at the window's size)."""
        self.workspaces.reset()
        self._default_state = self.saveState()

    def layout_changed(self) -> None:
        """After a workspace switch or reset: refit and drop Qt's stale dock tab bars."""
        self._shares_pending = False
        layout = self.layout()
        if layout is not None:
            layout.activate()
        sync_tab_bars(self)
        QTimer.singleShot(0, self, self._sync_tab_bars_later)

    def _sync_tab_bars_later(self) -> None:
        layout = self.layout()
        if layout is not None:
            layout.activate()
        sync_tab_bars(self)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._shares_pending:
            # the design was built before the window had its size: give the columns and cells
            # their shares now, so a first launch and Reset workspace split alike
            self._shares_pending = False
            workspaces.apply_shares(self, self.workspaces.design())
            self._default_state = self.saveState()
        sync_tab_bars(self)
        if self.pending_docks() and not self._idle_builder.isActive():
            # after the first paint (a paint is due now; this waits for it)
            self._idle_builder.start(IDLE_BUILD_DELAY_MS)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.WindowStateChange and hasattr(self, "view_modes"):
            self.view_modes.window_state_changed()

    def _restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.fit_to_screen()
        state = self.workspaces.stored_state(self.workspaces.current)
        if state is None and self.workspaces.current == workspaces.PROGRAM_WORKSPACE:
            legacy = self.settings.value("window/state")      # saved before workspaces
            state = legacy if isinstance(legacy, QByteArray) else None
        if state is not None and self.workspaces.restore_state(state):
            self._shares_pending = False
        elif state is not None:
            self.workspaces.apply_design()
        self.view_modes.restore()

    def fit_to_screen(self) -> None:
        """A first launch: the default size, but never larger than the screen's free area
        (a 1280×800 laptop gets a window that fits it)."""
        screen = self.screen()
        if screen is None:
            return
        area = screen.availableGeometry()
        w = min(DEFAULT_SIZE[0], area.width())
        h = min(DEFAULT_SIZE[1], area.height())
        if (w, h) != DEFAULT_SIZE and area.width() >= 640:
            self.resize(w, h)

    def save_layout(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.workspaces.remember()
        self.settings.setValue(workspaces.CURRENT_KEY, self.workspaces.current)
        self.settings.sync()

    def switch_workspace(self, name: str, restore: bool = True) -> None:
        """Show workspace *name* (see :mod:`explorer.ui.workspaces`)."""
        self.workspaces.switch(name, restore=restore)

    def _build_corner(self) -> None:
        """The menu bar's right corner: the workspace switcher, then the Record button."""
        corner = QWidget(self)
        corner.setObjectName("menuCorner")
        row = QHBoxLayout(corner)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(12)
        row.addWidget(self.workspaces.bar)
        row.addWidget(self.recording.record_button)
        self.menu_corner = corner

    def _place_corner(self) -> None:
        row = self.menu_corner.layout()
        if self.recording.record_button.parent() is not self.menu_corner:
            row.addWidget(self.recording.record_button)     # taken back from the menu bar
        self.recording.record_button.show()
        self.menu_corner.adjustSize()
        self.menuBar().setCornerWidget(self.menu_corner, Qt.TopRightCorner)
        self.menu_corner.show()

    # ------------------------------------------------------------------ actions and menus
    def _build_actions(self) -> None:
        self.act_open = self.sessions.act_open          # Ctrl+O
        self.act_save = self.sessions.act_save          # Ctrl+S
        self.act_save_as = self.sessions.act_save_as    # Ctrl+Shift+S
        self.act_export = QAction(self, shortcut=QKeySequence("Ctrl+E"), triggered=self.export_dialog)
        self.act_quit = QAction(self, shortcut=QKeySequence.Quit, triggered=self.close)
        self.act_reset_layout = self.workspaces.act_reset    # View → Reset workspace
        self.act_reset_layout.triggered.disconnect()
        self.act_reset_layout.triggered.connect(self.reset_layout)
        self.act_shortcuts = QAction(self, triggered=self.show_shortcuts)
        self.act_shortcuts.setShortcut(QKeySequence("Ctrl+/"))
        self.act_shortcuts.setObjectName("actShortcuts")
        self.addAction(self.act_shortcuts)
        self.act_about = QAction(self, triggered=self.show_about)
        for name, act in (("actExport", self.act_export), ("actQuit", self.act_quit),
                          ("actAbout", self.act_about)):
            act.setObjectName(name)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.file_menu.setObjectName("fileMenu")
        self.file_menu.addAction(self.act_open)
        self.file_menu.addMenu(self.sessions.recent_menu)
        self.file_menu.addActions([self.act_save, self.act_save_as])
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.act_export)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.act_quit)
        self.edit_menu = bar.addMenu("")
        self.edit_menu.setObjectName("editMenu")
        self.edit_actions.install(self.edit_menu)
        self.view_menu = bar.addMenu("")
        self.view_menu.setObjectName("viewMenu")
        for dock in self.docks.values():
            self.view_menu.addAction(dock.toggleViewAction())
        self.view_menu.addSeparator()
        self.view_menu.addMenu(self.workspaces.menu)
        self.view_menu.addAction(self.act_reset_layout)
        self.view_menu.addSeparator()
        vm = self.view_modes
        self.view_menu.addMenu(vm.zoom_menu)
        self.view_menu.addActions([vm.act_full_screen, vm.act_presentation])
        self.view_menu.addSeparator()
        self.prefs.install(self.view_menu)
        self.help_menu = bar.addMenu("")
        self.help_menu.setObjectName("helpMenu")
        self.help_actions.install(self.help_menu)
        self.help_menu.addAction(self.act_shortcuts)
        self.help_menu.addAction(self.act_about)
        # every menu action keeps its shortcut while the menu bar is hidden (presentation)
        for menu in (self.file_menu, self.edit_menu, self.view_menu, self.help_menu):
            self._add_menu_actions(menu)

    def _add_menu_actions(self, menu) -> None:
        for act in menu.actions():
            if act.menu() is not None:
                self._add_menu_actions(act.menu())
            elif act.shortcuts() and act not in self.actions():
                self.addAction(act)

    def retranslate(self, *_args) -> None:
        tr = i18n.tr
        self.sessions.retranslate()   # window title: file name, modified mark, app name
        qt_texts.retranslate(self)    # Qt's own dock/tab buttons (accessible names)
        self.prefs.retranslate()
        self.help_actions.retranslate()
        self.edit_actions.retranslate()
        self.file_menu.setTitle(tr("&File"))
        self.view_menu.setTitle(tr("&View"))
        self.help_menu.setTitle(tr("&Help"))
        self.act_export.setText(tr("&Export…"))
        self.act_export.setStatusTip(tr("Save a picture of the window as PNG"))
        self.act_quit.setText(tr("&Quit"))
        self.workspaces.retranslate()
        self.view_modes.retranslate()
        self.act_shortcuts.setText(tr("&Keyboard shortcuts"))
        self.act_shortcuts.setStatusTip(tr("Every key of every action"))
        self.act_about.setText(tr("&About"))
        self._place_corner()

    # ------------------------------------------------------------------ file operations
    def load_session(self, path) -> bool:
        """Load *path* into the model; on any problem show why and leave the state untouched."""
        return self.sessions.load(path)

    def save_session(self, path) -> bool:
        """Save the whole state to *path* atomically (see :mod:`explorer.session`)."""
        return self.sessions.save(path)

    def export_image(self, path) -> bool:
        ok = self.grab().save(str(path))
        if not ok:
            self._error(i18n.tr("Could not export"), i18n.tr("{path}: the image could not be written").format(path=path))
        else:
            self.statusBar().showMessage(i18n.tr("Exported {path}").format(path=path), 5000)
        return ok

    def export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, i18n.tr("Export window as image"),
                                              "explorer.png", i18n.tr("PNG images (*.png)"))
        if path:
            self.export_image(path)

    def show_shortcuts(self):
        """Help → Keyboard shortcuts: generated from the actions themselves."""
        from explorer.ui.welcome import ShortcutsDialog

        self.build_pending_docks()      # every dock's keys, also of those not built yet
        dialog = ShortcutsDialog(self)
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        if not os.environ.get("EXPLORER_NO_DIALOGS"):
            dialog.show()
        return dialog

    def maybe_welcome(self):
        """The first interactive launch: a small welcome naming the workspaces, with the Tour."""
        from explorer.ui.welcome import WelcomeDialog, should_welcome

        if not self.interactive or not should_welcome(self.settings) \
                or os.environ.get("EXPLORER_NO_DIALOGS"):
            return None
        dialog = WelcomeDialog(self)
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def show_about(self) -> None:
        QMessageBox.about(self, i18n.tr("About {app}").format(app=APP_NAME), i18n.tr(
            "<b>{app}</b> {version}<br>Drag two distributions and watch entropy, cross-entropy "
            "and KL divergence move; race MSE against cross-entropy on a sigmoid neuron.").format(
            app=APP_NAME, version=__version__))

    def _error(self, title: str, text: str) -> None:
        self.statusBar().showMessage(text, 8000)
        if os.environ.get("EXPLORER_NO_DIALOGS"):
            return
        QMessageBox.warning(self, title, text)

    # ------------------------------------------------------------------ shutdown
    def closeEvent(self, event) -> None:
        if self.interactive and not self.sessions.confirm_close():   # Save / Discard / Cancel
            event.ignore()
            return
        self.save_layout()
        for dock in self.docks.values():
            dock.disconnect_model()
        if not getattr(self, "_language_disconnected", False):
            self._language_disconnected = True
            try:
                i18n.notifier.languageChanged.disconnect(self.retranslate)
            except (RuntimeError, TypeError):
                pass
        super().closeEvent(event)
