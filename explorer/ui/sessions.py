"""The window's session handling: Open / Save / Save as / Open recent, the title bar's file name
and modified mark, the question on closing with unsaved changes, and autosave + crash restore.

The window owns one :class:`SessionController` (``window.sessions``).  All file formats live in
:mod:`explorer.session`; this module only connects them to the window.

Every question the user may be asked goes through an overridable method (``ask_open_path``,
``ask_save_path``, ``ask_unsaved``, ``ask_restore``), so tests answer them by assigning a
function.  With ``EXPLORER_NO_DIALOGS`` set and no override, nothing modal ever opens: file
pickers return nothing, closing discards, a found autosave is kept for later.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from explorer import APP_NAME, i18n
from explorer import session as session_io
from explorer.model import app_model as m
from explorer.ui import autosave as autosave_mod

RECENT_KEY = "session/recent"
MAX_RECENT = 8
#: changes that never alter the saved state (skip the modified check for them)
TRANSIENT_KINDS = frozenset({m.HIGHLIGHT})


def _no_dialogs() -> bool:
    return bool(os.environ.get("EXPLORER_NO_DIALOGS"))


class SessionController(QObject):
    """Session commands and state of one :class:`~explorer.ui.main_window.MainWindow`."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.model = window.model
        self.settings = window.settings
        self.current_path: Path | None = None
        self._unsaved_action = "close"      # what ask_unsaved is asked before
        self._clean: dict | None = self.model.to_dict()
        self.autosaver: autosave_mod.Autosaver | None = None
        self._build_actions()
        self.model.sigChangeFinished.connect(self._on_model_change_finished)

    # ------------------------------------------------------------------ actions / menu
    def _build_actions(self) -> None:
        w = self.window
        self.act_open = QAction(w, shortcut=QKeySequence.Open, triggered=self.open_dialog)
        self.act_save = QAction(w, shortcut=QKeySequence.Save, triggered=self.save_current)
        self.act_save_as = QAction(w, shortcut=QKeySequence("Ctrl+Shift+S"),
                                   triggered=self.save_as)
        self.act_clear_recent = QAction(w, triggered=self.clear_recent)
        for name, act in (("actOpenSession", self.act_open), ("actSaveSession", self.act_save),
                          ("actSaveSessionAs", self.act_save_as),
                          ("actClearRecent", self.act_clear_recent)):
            act.setObjectName(name)
            act.setShortcutContext(Qt.WindowShortcut)
        self.recent_menu = QMenu(w)
        self.recent_menu.setObjectName("recentMenu")
        self.recent_menu.aboutToShow.connect(self.rebuild_recent_menu)
        self.rebuild_recent_menu(report=False)

    def retranslate(self) -> None:
        tr = i18n.tr
        self.act_open.setText(tr("&Open session…"))
        self.act_open.setStatusTip(tr("Load a saved session (JSON) and replace the current state"))
        self.act_open.setToolTip(tr("Open a session file (Ctrl+O)"))
        self.act_save.setText(tr("&Save session"))
        self.act_save.setStatusTip(tr("Save the whole state to the current session file"))
        self.act_save.setToolTip(tr("Save the session (Ctrl+S)"))
        self.act_save_as.setText(tr("Save session &as…"))
        self.act_save_as.setStatusTip(tr("Save the whole state to a new session file"))
        self.act_save_as.setToolTip(tr("Save the session under a new name (Ctrl+Shift+S)"))
        self.act_clear_recent.setText(tr("&Clear list"))
        self.act_clear_recent.setStatusTip(tr("Forget the recently used session files"))
        self.recent_menu.setTitle(tr("Open &recent"))
        self.rebuild_recent_menu(report=False)
        self.update_title()

    def update_title(self) -> None:
        name = self.current_path.name if self.current_path else i18n.tr("Untitled")
        self.window.setWindowTitle(i18n.tr("{file}[*] — {app}").format(
            file=name, app=i18n.tr(APP_NAME)))

    # ------------------------------------------------------------------ modified state
    @property
    def modified(self) -> bool:
        return self.window.isWindowModified()

    def _on_model_change_finished(self, change) -> None:
        if change.kinds <= TRANSIENT_KINDS:
            return
        self._set_modified(self._clean is None or self.model.to_dict() != self._clean)

    def _set_modified(self, modified: bool) -> None:
        if modified != self.window.isWindowModified():
            self.window.setWindowModified(modified)

    def _mark_clean(self, path: Path | None) -> None:
        self.current_path = path
        self._clean = self.model.to_dict()
        self._set_modified(False)
        self.update_title()
        if self.autosaver is not None:
            self.autosaver.remove()

    # ------------------------------------------------------------------ documents
    def layout_state(self) -> dict:
        layout = {"dock_state": session_io.encode_state(self.window.saveState().data())}
        workspaces = getattr(self.window, "workspaces", None)
        if workspaces is not None:
            layout["workspace"] = workspaces.current    # the story this session belongs to
        help_dock = self.window.docks.get("helpDock")
        topic = getattr(help_dock, "topic", None)
        if isinstance(topic, str):
            layout["help_topic"] = topic
        return layout

    def document(self) -> dict:
        """The current session as a JSON-able dict (current file version)."""
        return session_io.build_session(self.model, self.layout_state())

    def _autosave_document(self) -> dict:
        doc = self.document()
        doc["autosave"] = autosave_mod.note(self.current_path)
        return doc

    def apply_layout(self, sess: session_io.Session) -> bool:
        """Restore the session's dock layout and help topic; False if Qt rejected the layout."""
        ok = True
        name = sess.layout.get("workspace")
        if name and hasattr(self.window, "switch_workspace"):
            # the session's workspace first (its design), then the session's own dock layout
            self.window.switch_workspace(name, restore=not sess.dock_state)
        state = sess.dock_state
        if state and bytes(self.window.saveState().data()) != state:   # unchanged: no relayout
            from PySide6.QtCore import QByteArray
            restore = getattr(getattr(self.window, "workspaces", None), "restore_state", None) \
                or self.window.restoreState
            ok = bool(restore(QByteArray(state)))
            if hasattr(self.window, "layout_changed"):
                self.window.layout_changed()
        topic = sess.layout.get("help_topic")
        help_dock = self.window.docks.get("helpDock")
        if topic and help_dock is not None and hasattr(help_dock, "set_topic"):
            help_dock.set_topic(topic)
        return ok

    def adopt(self, path, sess: session_io.Session) -> None:
        """The model already holds *sess* (loaded by the command line): take over its layout and
        make *path* the current file."""
        layout_ok = self.apply_layout(sess)
        self._mark_clean(Path(path).resolve())
        self.add_recent(self.current_path)
        self._report_opened(self.current_path, sess, layout_ok)

    # ------------------------------------------------------------------ open / save
    def load(self, path) -> bool:
        """Open *path*; on any problem show why and leave the state untouched."""
        path = Path(path)
        try:
            sess = session_io.load_session(path)
            session_io.apply_to_model(sess, self.model, path.name)
        except ValueError as exc:
            self.window._error(i18n.tr("Could not open session"), i18n.tr_error(exc))
            return False
        self.adopt(path, sess)
        return True

    def _report_opened(self, path: Path, sess, layout_ok: bool) -> None:
        if sess.version_read is not None and sess.version_read < session_io.SESSION_VERSION:
            text = i18n.tr("Opened {path} (converted from file version {old} to {new})").format(
                path=path, old=sess.version_read, new=session_io.SESSION_VERSION)
        else:
            text = i18n.tr("Opened {path}").format(path=path)
        if not layout_ok:
            text = i18n.tr("{message}; its panel layout could not be used").format(message=text)
        self.window.statusBar().showMessage(text, 6000)

    def save(self, path) -> bool:
        """Write the session to *path* atomically; on failure the previous file is unchanged
        and the reason is shown."""
        path = Path(path)
        try:
            session_io.write_json_atomic(path, self.document())
        except (OSError, ValueError) as exc:
            self.window._error(
                i18n.tr("Could not save session"),
                i18n.tr("{path}: {reason}. The previous file, if any, is unchanged.").format(
                    path=path, reason=session_io.describe_os_error(exc)))
            return False
        self._mark_clean(path.resolve())
        self.add_recent(self.current_path)
        self.window.statusBar().showMessage(i18n.tr("Saved {path}").format(path=path), 5000)
        return True

    def save_current(self) -> bool:
        """Ctrl+S: save to the current file, or ask for one."""
        if self.current_path is not None:
            return self.save(self.current_path)
        return self.save_as()

    def save_as(self) -> bool:
        path = self.ask_save_path()
        if not path:
            return False
        path = Path(path)
        if not path.suffix:
            path = path.with_suffix(".json")
        return self.save(path)

    def open_dialog(self) -> bool:
        if not self.confirm_discard("open"):
            return False
        path = self.ask_open_path()
        return bool(path) and self.load(path)

    def open_recent(self, path: str) -> bool:
        if not Path(path).exists():
            self.remove_recent(path)
            self.window._error(i18n.tr("Could not open session"), i18n.tr(
                "{path} no longer exists; it was removed from the recent files.").format(path=path))
            return False
        if not self.confirm_discard("open"):
            return False
        return self.load(path)

    # ------------------------------------------------------------------ questions (overridable)
    def _start_dir(self) -> str:
        """Where the file dialogs start: the current file, else the folder of the last one,
        else the user's documents folder (never the folder the app was started from)."""
        if self.current_path is not None:
            return str(self.current_path)
        recent = self.recent_files()
        if recent:
            return str(Path(recent[0]).parent / "session.json")
        docs = QStandardPaths.writableLocation(QStandardPaths.DocumentsLocation) or str(Path.home())
        return str(Path(docs) / "session.json")

    def ask_open_path(self) -> str | None:
        if _no_dialogs():
            return None
        path, _ = QFileDialog.getOpenFileName(self.window, i18n.tr("Open session"),
                                              str(Path(self._start_dir()).parent),
                                              i18n.tr("Session files (*.json)"))
        return path or None

    def ask_save_path(self) -> str | None:
        if _no_dialogs():
            return None
        path, _ = QFileDialog.getSaveFileName(self.window, i18n.tr("Save session"),
                                              self._start_dir(),
                                              i18n.tr("Session files (*.json)"))
        return path or None

    def unsaved_question(self, action: str) -> str:
        """The question asked before unsaved changes would be lost, saying what is about to
        happen (*action*: "open" another session, or "close" the window)."""
        name = self.current_path.name if self.current_path else i18n.tr("Untitled")
        if action == "open":
            return i18n.tr("The session “{file}” has unsaved changes, and opening another "
                           "session replaces it. Save the changes first?").format(file=name)
        return i18n.tr("The session “{file}” has unsaved changes. Save them before closing "
                       "the window?").format(file=name)

    def ask_unsaved(self) -> str:
        """'save', 'discard' or 'cancel' (the question says what is about to happen)."""
        if _no_dialogs():
            return "discard"
        box = QMessageBox(QMessageBox.Warning, i18n.tr("Unsaved changes"),
                          self.unsaved_question(self._unsaved_action),
                          QMessageBox.Save | QMessageBox.Discard | QMessageBox.Cancel, self.window)
        box.setDefaultButton(QMessageBox.Save)
        answer = box.exec()
        return {QMessageBox.Save: "save", QMessageBox.Discard: "discard"}.get(answer, "cancel")

    def ask_restore(self, orphan: autosave_mod.Orphan) -> str:
        """'restore', 'discard' or 'keep' (ask again next time)."""
        if _no_dialogs():
            return "keep"
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(orphan.saved_at))
        source = orphan.source_file or i18n.tr("an unsaved session")
        box = QMessageBox(QMessageBox.Question, i18n.tr("Restore unsaved work?"), i18n.tr(
            "The app did not close normally last time. An automatic backup of {source} from "
            "{when} holds changes that were never saved. Restore it?").format(
            source=source, when=when), QMessageBox.NoButton, self.window)
        restore = box.addButton(i18n.tr("Restore"), QMessageBox.AcceptRole)
        discard = box.addButton(i18n.tr("Discard"), QMessageBox.DestructiveRole)
        box.addButton(i18n.tr("Decide later"), QMessageBox.RejectRole)
        box.setDefaultButton(restore)
        box.exec()
        clicked = box.clickedButton()
        return "restore" if clicked is restore else "discard" if clicked is discard else "keep"

    def confirm_discard(self, action: str = "close") -> bool:
        """Before replacing ("open") or closing ("close") a modified session: ask Save /
        Discard / Cancel.  True means go on."""
        if not self.modified:
            return True
        self._unsaved_action = action
        answer = self.ask_unsaved()
        if answer == "save":
            return self.save_current()
        return answer == "discard"

    def confirm_close(self) -> bool:
        """Called by the window's closeEvent; on True the autosave is removed (clean exit) and
        the controller stops listening to the model."""
        if not self.confirm_discard():
            return False
        self.shutdown()
        if not getattr(self, "_disconnected", False):
            self._disconnected = True
            try:
                self.model.sigChangeFinished.disconnect(self._on_model_change_finished)
            except (RuntimeError, TypeError):
                pass
        return True

    def shutdown(self) -> None:
        if self.autosaver is not None:
            self.autosaver.stop()
            self.autosaver = None

    # ------------------------------------------------------------------ autosave
    def enable_autosave(self, directory=None, interval_ms: int | None = None) -> None:
        """Start autosaving (the GUI does; screenshots and tests opt in) and offer to restore
        an autosave left behind by a crashed or killed run."""
        if self.autosaver is None:
            try:
                self.autosaver = autosave_mod.Autosaver(
                    self._autosave_document, lambda: self.modified, directory, interval_ms, self,
                    on_error=self._on_autosave_error)
            except OSError as exc:
                folder = directory or autosave_mod.default_directory()
                self._on_autosave_error(i18n.tr("cannot use {folder}: {reason}").format(
                    folder=folder, reason=session_io.describe_os_error(exc)))
                return
        self.offer_restore()

    def _on_autosave_error(self, reason: str) -> None:
        self.window.statusBar().showMessage(
            i18n.tr("Autosave failed ({reason}); save your work with Ctrl+S").format(
                reason=reason), 10000)

    def offer_restore(self) -> bool:
        """Offer the newest orphaned autosave; True if it was restored."""
        if self.autosaver is None:
            return False
        orphans = self.autosaver.orphans()
        if not orphans:
            return False
        newest, older = orphans[0], orphans[1:]
        for o in older:
            o.release(delete=False)          # offered again on a later launch
        answer = self.ask_restore(newest)
        if answer != "restore":
            newest.release(delete=answer == "discard")
            if answer == "discard":
                self.window.statusBar().showMessage(i18n.tr("Discarded the automatic backup"), 5000)
            return False
        try:
            sess = session_io.load_session(newest.path)
            session_io.apply_to_model(sess, self.model, newest.path.name)
        except ValueError as exc:
            newest.release(delete=True)
            self.window._error(i18n.tr("Could not restore the automatic backup"),
                               i18n.tr_error(exc))
            return False
        self.apply_layout(sess)
        src = Path(newest.source_file) if newest.source_file else None
        self.current_path = src
        self._clean = None                   # restored work is unsaved work
        self._set_modified(True)
        self.update_title()
        newest.release(delete=True)
        self.autosaver.tick()                # protect it again right away
        self.window.statusBar().showMessage(
            i18n.tr("Restored unsaved work from the automatic backup"), 6000)
        return True

    # ------------------------------------------------------------------ recent files
    def recent_files(self) -> list[str]:
        value = self.settings.value(RECENT_KEY, [])
        if isinstance(value, str):
            value = [value] if value else []
        if not isinstance(value, (list, tuple)):
            return []
        return [str(v) for v in value if isinstance(v, str) and v][:MAX_RECENT]

    def _store_recent(self, paths: list[str]) -> None:
        self.settings.setValue(RECENT_KEY, list(paths[:MAX_RECENT]))
        self.settings.sync()

    def add_recent(self, path) -> None:
        path = str(Path(path).resolve())
        paths = [p for p in self.recent_files() if p != path]
        self._store_recent([path] + paths)
        self.rebuild_recent_menu(report=False)

    def remove_recent(self, path) -> None:
        self._store_recent([p for p in self.recent_files() if p != str(path)])
        self.rebuild_recent_menu(report=False)

    def clear_recent(self) -> None:
        self._store_recent([])
        self.rebuild_recent_menu(report=False)

    def prune_recent(self) -> list[str]:
        """Drop files that no longer exist; return the dropped paths."""
        paths = self.recent_files()
        kept = [p for p in paths if Path(p).is_file()]
        if len(kept) != len(paths):
            self._store_recent(kept)
        return [p for p in paths if p not in kept]

    def rebuild_recent_menu(self, report: bool = True) -> None:
        removed = self.prune_recent()
        menu = self.recent_menu
        menu.clear()
        paths = self.recent_files()
        for i, path in enumerate(paths, start=1):
            p = Path(path)
            act = menu.addAction(i18n.tr("&{number}  {name}  ({folder})").format(
                number=i, name=p.name, folder=p.parent))
            act.setToolTip(path)
            act.setStatusTip(i18n.tr("Open {path}").format(path=path))
            act.setData(path)
            act.triggered.connect(lambda _checked=False, path=path: self.open_recent(path))
        if not paths:
            empty = menu.addAction(i18n.tr("(no recent sessions)"))
            empty.setEnabled(False)
        menu.addSeparator()
        menu.addAction(self.act_clear_recent)
        self.act_clear_recent.setEnabled(bool(paths))
        if removed and report:
            self.window.statusBar().showMessage(i18n.tr(
                "Removed {count} missing file(s) from the recent sessions: {names}").format(
                count=len(removed), names=", ".join(Path(p).name for p in removed)), 6000)
