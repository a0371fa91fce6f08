"""Autosave: never lose more than a few seconds of work.

While the window has unsaved changes, the whole session is written every few seconds (atomically)
to ``autosave/autosave-<id>.json`` under the platform's app-data folder
(``QStandardPaths.AppDataLocation``; on Linux ``$XDG_DATA_HOME/CrossEntropyExplorer/explorer``).
Each running window holds a :class:`QLockFile` ``autosave-<id>.lock`` beside its file.  A clean
exit (or a save, which leaves nothing unsaved) removes the file.  After a crash or ``kill -9`` the
file stays behind and its lock is stale (the owner process is gone): the next launch finds it with
:meth:`Autosaver.orphans` and offers to restore it.  A run killed before its first autosave
leaves only a stale lock (and a killed write a ``.tmp`` file): every start removes those
(:meth:`Autosaver.clean_leftovers`), never a lock whose process still runs.  Autosave files are
private (0600) like the folder's other contents.

``EXPLORER_AUTOSAVE_MS`` overrides the interval (tests use a short one).
"""
from __future__ import annotations

import json
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QStandardPaths, QTimer

from explorer import session as session_io

DEFAULT_INTERVAL_MS = 5000
PREFIX = "autosave-"


def default_directory() -> Path:
    """``<AppDataLocation>/autosave`` (respects XDG_DATA_HOME on Linux)."""
    base = QStandardPaths.writableLocation(QStandardPaths.AppDataLocation)
    return Path(base) / "autosave"


def interval_from_env(default: int = DEFAULT_INTERVAL_MS) -> int:
    text = os.environ.get("EXPLORER_AUTOSAVE_MS", "")
    try:
        value = int(text)
    except ValueError:
        return default
    return max(20, value)


@dataclass
class Orphan:
    """An autosave left behind by a process that did not exit cleanly."""

    path: Path
    lock: QLockFile          # held by us while the user decides
    saved_at: float          # file mtime (seconds since the epoch)
    source_file: str | None  # the session file it had open, if any

    def release(self, delete: bool) -> None:
        if delete:
            try:
                self.path.unlink()
            except OSError:
                pass
        self.lock.unlock()   # also removes the lock file


class Autosaver(QObject):
    """Write *build()* to the autosave file every *interval_ms* while *is_modified()* is true.

    *build* returns the JSON document to write (the session plus an ``"autosave"`` note),
    *is_modified* says whether there is anything to protect.
    """

    def __init__(self, build, is_modified, directory: str | os.PathLike | None = None,
                 interval_ms: int | None = None, parent=None, on_error=None):
        super().__init__(parent)
        self._build = build
        self._is_modified = is_modified
        self._on_error = on_error            # called with a reason when a write fails
        self.directory = Path(directory) if directory is not None else default_directory()
        self.directory.mkdir(parents=True, exist_ok=True)
        ident = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.path = self.directory / f"{PREFIX}{ident}.json"
        self._lock = QLockFile(str(self.directory / f"{PREFIX}{ident}.lock"))
        self._lock.setStaleLockTime(0)     # stale only when the owner process is gone
        self._lock.tryLock(0)
        self.clean_leftovers()
        self._last_written: str | None = None
        self.last_error: str | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms if interval_ms is not None else interval_from_env())
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    # ------------------------------------------------------------------ writing
    def tick(self) -> bool:
        """Write the autosave now if there are unsaved changes (remove it otherwise).
        Returns True if a file was written."""
        if not self._is_modified():
            self.remove()
            return False
        doc = self._build()
        text = json.dumps(doc, sort_keys=True, allow_nan=False)
        if text == self._last_written and self.path.exists():
            return False
        try:
            session_io.write_json_atomic(self.path, doc, new_file_mode=0o600)
        except (OSError, ValueError) as exc:
            reason = session_io.describe_os_error(exc)
            if reason != self.last_error and self._on_error is not None:
                self._on_error(reason)       # once per new problem, not every few seconds
            self.last_error = reason
            return False
        self._last_written = text
        self.last_error = None
        return True

    def remove(self) -> None:
        """Delete the autosave file (nothing unsaved any more)."""
        self._last_written = None
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass
        except OSError:
            pass

    def stop(self) -> None:
        """Clean exit: stop the timer, delete the file and release the lock."""
        self.timer.stop()
        self.remove()
        if self._lock.isLocked():
            self._lock.unlock()

    # ------------------------------------------------------------------ finding leftovers
    def clean_leftovers(self) -> list[Path]:
        """Remove stale locks that guard no autosave (a run killed before it wrote one) and temp
        files of interrupted writes whose owner is gone; return what was removed.  A lock is
        stale when its process no longer runs (``QLockFile`` checks the PID): the lock of a
        window that is still open is never touched."""
        removed = []
        for lock_path in sorted(self.directory.glob(f"{PREFIX}*.lock")):
            if lock_path == Path(self._lock.fileName()) or lock_path.with_suffix(".json").exists():
                continue                     # ours, or an orphan offered by orphans()
            if self._take_stale(lock_path):
                removed.append(lock_path)
        for tmp in sorted(self.directory.glob(f".{PREFIX}*.json.*.tmp")):
            ident = tmp.name[len(f".{PREFIX}"):].split(".json.", 1)[0]
            lock_path = self.directory / f"{PREFIX}{ident}.lock"
            if lock_path == Path(self._lock.fileName()):
                continue
            if lock_path.exists() and not self._take_stale(lock_path):
                continue                     # its window is still writing
            try:
                tmp.unlink()
                removed.append(tmp)
            except OSError:
                pass
        return removed

    @staticmethod
    def _take_stale(lock_path: Path) -> bool:
        """True if *lock_path* was stale: we could take it, and releasing it removed it."""
        lock = QLockFile(str(lock_path))
        lock.setStaleLockTime(0)
        if not lock.tryLock(0):
            return False
        lock.unlock()                        # removes the file
        return True

    def orphans(self) -> list[Orphan]:
        """Autosaves whose owner is gone, newest first.  Each returned orphan's lock is held by
        us (so a second window started at the same time does not offer it too); call
        :meth:`Orphan.release` when done."""
        found = []
        for path in sorted(self.directory.glob(f"{PREFIX}*.json")):
            if path == self.path:
                continue
            lock = QLockFile(str(path.with_suffix(".lock")))
            lock.setStaleLockTime(0)
            if not lock.tryLock(0):
                continue                     # its window is still running
            try:
                st = path.stat()
            except OSError:
                lock.unlock()
                continue
            found.append(Orphan(path, lock, st.st_mtime, _source_file(path)))
        found.sort(key=lambda o: o.saved_at, reverse=True)
        return found


def _source_file(path: Path) -> str | None:
    """The session file an autosave belongs to (from its ``"autosave"`` note), or None."""
    try:
        doc = session_io.read_document(path)
    except ValueError:
        return None
    note = doc.get("autosave") if isinstance(doc, dict) else None
    src = note.get("file") if isinstance(note, dict) else None
    return src if isinstance(src, str) and len(src) < 4096 else None


def note(current_file) -> dict:
    """The ``"autosave"`` entry added to an autosaved session."""
    return {"file": str(current_file) if current_file else None,
            "saved_at": time.strftime("%Y-%m-%dT%H:%M:%S")}
