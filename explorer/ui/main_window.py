"""The main window: six docks around one shared model, menus, status bar, persisted layout."""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QFileDialog, QMainWindow, QMessageBox, QTabBar, QWidget

from explorer import APP_NAME, ORG_NAME, __version__, i18n
from explorer.model import AppModel
from explorer.ui.docks import DOCKS
from explorer.ui.recording import RecordController
from explorer.ui.docks.help_dock import HelpActions
from explorer.ui.export import install_plot_exports
from explorer.ui.preferences import Preferences
from explorer.ui import qt_texts
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
        if not bar.property("explorerDockTabGuard"):
            bar.setProperty("explorerDockTabGuard", True)
            bar.installEventFilter(self)

    def stale_bars(self) -> list[QTabBar]:
        """Shown dock tab bars that no dock area uses any more.  Qt sometimes gives a tab group
        a new bar and leaves the old one on screen — when docks are tabbed before the window is
        first shown (two tab groups: the second one's first bar stays, drawn over another dock),
        and after ``restoreState``.  A bar in use sits against the dock of its current tab."""
        docks = [d for d in self.window.findChildren(QDockWidget) if d.parent() is self.window]
        out = []
        for bar in self.window.findChildren(QTabBar):
            if bar.parent() is not self.window or not bar.isVisible() or bar.count() == 0:
                continue
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
                QTimer.singleShot(0, self._hide_stale_bars)
        elif kind == QEvent.MouseButtonPress and isinstance(obj, QTabBar):
            if obj.isMovable():              # Qt made it movable again: undo before the drag
                obj.setMovable(False)
            layout = self.window.layout()
            if layout is not None:
                layout.activate()            # drop the tabs of docks that left the group
        return False


class MainWindow(QMainWindow):
    """Top-level window.  ``window.model`` is the shared model; ``window.docks`` maps
    objectName -> dock."""

    def __init__(self, model: AppModel | None = None, settings: QSettings | None = None,
                 restore_layout: bool = True, interactive: bool = True):
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
            dock = cls(self.model, self)
            self.docks[cls.OBJECT_NAME] = dock
        self._arrange_default_layout()
        self.dock_tab_guard = DockTabGuard(self)  # Qt crashes dragging stale dock tabs (issue 14)
        self.sessions = SessionController(self)   # open/save/recent/title/autosave
        self.help_actions = HelpActions(self)     # Help menu: panel, tour, concepts
        self.edit_actions = EditActions(self, self.model)   # Edit menu: undo/redo, swap, copy
        self._build_actions()
        self._build_menus()
        self.recording = RecordController(self)   # File: Record… (Ctrl+Shift+R), Render demo…
        install_plot_exports(self)                 # right-click any plot: copy / PNG / SVG
        self.resize(*DEFAULT_SIZE)
        self._default_state = self.saveState()
        self.retranslate()
        i18n.notifier.languageChanged.connect(self.retranslate)
        self.statusBar()
        if restore_layout:
            self._restore_layout()

    # ------------------------------------------------------------------ layout
    def _arrange_default_layout(self) -> None:
        d = self.docks
        for dock in d.values():
            dock.setVisible(True)
            dock.setFloating(False)
        self.addDockWidget(Qt.LeftDockWidgetArea, d["pEditorDock"])
        self.splitDockWidget(d["pEditorDock"], d["readoutsDock"], Qt.Horizontal)
        self.splitDockWidget(d["readoutsDock"], d["sigmoidDock"], Qt.Horizontal)
        self.splitDockWidget(d["pEditorDock"], d["qEditorDock"], Qt.Vertical)
        self.splitDockWidget(d["readoutsDock"], d["trainingDock"], Qt.Vertical)
        self.splitDockWidget(d["sigmoidDock"], d["softmaxDock"], Qt.Vertical)
        if "batchDock" in d:   # the batch loss beside the softmax panel's categorical loss
            self.tabifyDockWidget(d["softmaxDock"], d["batchDock"])
            d["softmaxDock"].raise_()
        # the editors need little width for a few bars; readouts and the race need more
        self.resizeDocks([d["pEditorDock"], d["readoutsDock"], d["sigmoidDock"]], [470, 600, 530],
                         Qt.Horizontal)
        # readout docks share the readouts' place as tabs; the numbers are in front
        for name in ("breakdownDock", "formulaDock", "curvesDock", "samplingDock", "codeDock"):
            if name in d:
                self.tabifyDockWidget(d["readoutsDock"], d[name])
        if "helpDock" in d:   # the last tab behind the readouts: one click away, no space taken
            self.tabifyDockWidget(d["readoutsDock"], d["helpDock"])
        d["readoutsDock"].raise_()
        self.resizeDocks([d["readoutsDock"], d["trainingDock"]], [470, 530], Qt.Vertical)

    def reset_layout(self) -> None:
        """Put every dock back where it starts (visible, docked)."""
        for dock in self.docks.values():
            dock.setFloating(False)
            dock.show()
        self.restoreState(self._default_state)
        self.statusBar().showMessage(i18n.tr("Layout reset"), 3000)

    def _restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        state = self.settings.value("window/state")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        if isinstance(state, QByteArray):
            self.restoreState(state)

    def save_layout(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.sync()

    # ------------------------------------------------------------------ actions and menus
    def _build_actions(self) -> None:
        self.act_open = self.sessions.act_open          # Ctrl+O
        self.act_save = self.sessions.act_save          # Ctrl+S
        self.act_save_as = self.sessions.act_save_as    # Ctrl+Shift+S
        self.act_export = QAction(self, shortcut=QKeySequence("Ctrl+E"), triggered=self.export_dialog)
        self.act_quit = QAction(self, shortcut=QKeySequence.Quit, triggered=self.close)
        self.act_reset_layout = QAction(self, triggered=self.reset_layout)
        self.act_about = QAction(self, triggered=self.show_about)
        for name, act in (("actExport", self.act_export), ("actQuit", self.act_quit),
                          ("actResetLayout", self.act_reset_layout), ("actAbout", self.act_about)):
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
        self.view_menu.addAction(self.act_reset_layout)
        self.view_menu.addSeparator()
        self.prefs.install(self.view_menu)
        self.help_menu = bar.addMenu("")
        self.help_menu.setObjectName("helpMenu")
        self.help_actions.install(self.help_menu)
        self.help_menu.addAction(self.act_about)

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
        self.act_reset_layout.setText(tr("&Reset layout"))
        self.act_reset_layout.setStatusTip(tr("Show every panel again in its original place"))
        self.act_about.setText(tr("&About"))

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
