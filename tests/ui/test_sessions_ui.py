"""Sessions in the window: keyboard Save / Save as / Open, title and modified mark, the question
on closing, recent files, layout in the session, autosave and restore after SIGKILL."""
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtWidgets import QApplication

from explorer import ORG_NAME
from explorer import session as S
from explorer.model import AppModel
from explorer.ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "sessions"


def _press(qtbot, window, key, modifiers):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
    qtbot.keyClick(window, key, modifiers)


def _file_state(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def _shared(qapp, tmp_path_factory):
    """One window for the tests that do not close it (building a window takes ~2 s)."""
    from explorer.model import AppModel
    folder = tmp_path_factory.mktemp("shared-window")
    win = MainWindow(AppModel(), settings=QSettings(str(folder / "settings.ini"), QSettings.IniFormat),
                     restore_layout=False)
    win.resize(1600, 1000)
    win.show()
    yield win
    win.sessions.ask_unsaved = lambda: "discard"
    win.close()
    win.deleteLater()


@pytest.fixture
def win(_shared, qtbot):
    """The shared window, back to a fresh state: default model, untitled and unmodified, default
    layout, no recent files, no autosave, the default (non-blocking) answers to questions."""
    from explorer.model import AppModel
    s = _shared.sessions
    for name in ("ask_open_path", "ask_save_path", "ask_unsaved", "ask_restore"):
        s.__dict__.pop(name, None)
    s.shutdown()
    defaults = AppModel().to_dict()
    if _shared.model.to_dict() != defaults:
        _shared.model.from_dict(defaults)
    if _shared.saveState() != _shared._default_state:
        _shared.reset_layout()
    _shared.docks["helpDock"].set_topic("self_information")
    s.clear_recent()
    s._mark_clean(None)
    _shared.statusBar().clearMessage()
    qtbot.waitExposed(_shared)
    return _shared


# ------------------------------------------------------------------------------ title, modified
def test_title_shows_file_and_modified_mark(win, tmp_path):
    window, model = win, win.model
    assert window.windowTitle() == "Untitled[*] — Cross-Entropy Explorer"
    assert not window.isWindowModified()
    model.set_p([0.6, 0.3, 0.1])
    assert window.isWindowModified()
    assert window.save_session(tmp_path / "lesson.json")
    assert window.windowTitle().startswith("lesson.json[*]")
    assert not window.isWindowModified()
    model.set_highlight(1)                       # pointing at a bar is not an edit
    assert not window.isWindowModified()
    model.set_p([0.5, 0.3, 0.2])
    assert window.isWindowModified()
    model.set_p([0.6, 0.3, 0.1])                 # back to exactly the saved state
    assert not window.isWindowModified()


def test_ctrl_s_saves_to_current_file_and_ctrl_shift_s_asks(win, qtbot, tmp_path):
    window, model = win, win.model
    first = tmp_path / "first.json"
    asked = []
    window.sessions.ask_save_path = lambda: asked.append(1) or str(first)
    model.set_p([0.7, 0.2, 0.1])
    _press(qtbot, window, Qt.Key_S, Qt.ControlModifier)       # no file yet: asks for one
    assert asked == [1] and first.is_file()
    assert _file_state(first)["model"]["p"] == [0.7, 0.2, 0.1]
    model.set_p([0.1, 0.2, 0.7])
    _press(qtbot, window, Qt.Key_S, Qt.ControlModifier)       # saves in place, no question
    assert asked == [1] and _file_state(first)["model"]["p"] == [0.1, 0.2, 0.7]
    second = tmp_path / "second"                               # no suffix: .json is added
    window.sessions.ask_save_path = lambda: str(second)
    _press(qtbot, window, Qt.Key_S, Qt.ControlModifier | Qt.ShiftModifier)
    assert (tmp_path / "second.json").is_file()
    assert window.sessions.current_path == (tmp_path / "second.json").resolve()


def test_ctrl_o_opens_a_session(win, qtbot, tmp_path):
    window, model = win, win.model
    path = tmp_path / "v1.json"
    shutil.copy(DATA / "v1.json", path)
    window.sessions.ask_open_path = lambda: str(path)
    _press(qtbot, window, Qt.Key_O, Qt.ControlModifier)
    np.testing.assert_array_equal(model.p, [0.5, 0.25, 0.125, 0.125])
    assert window.windowTitle().startswith("v1.json[*]") and not window.isWindowModified()
    assert "converted from file version 1 to 2" in window.statusBar().currentMessage()
    assert window.docks["pEditorDock"].plot.heights.tolist() == [0.5, 0.25, 0.125, 0.125]


def test_failed_save_keeps_old_file_and_says_why(win, tmp_path, monkeypatch):
    window, model = win, win.model
    path = tmp_path / "s.json"
    assert window.save_session(path)
    before = path.read_bytes()
    model.set_p([0.2, 0.2, 0.6])

    def full_disk(src, dst):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "replace", full_disk)
    assert not window.save_session(path)
    message = window.statusBar().currentMessage()
    assert "No space left on device" in message and "unchanged" in message
    assert path.read_bytes() == before
    assert window.isWindowModified()                 # the work is still unsaved
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []


def test_bad_file_leaves_window_and_state_alone(win, tmp_path):
    window, model = win, win.model
    good = tmp_path / "good.json"
    model.set_p([0.3, 0.3, 0.4])
    window.save_session(good)
    model.set_p([0.25, 0.25, 0.5])
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"version": 2, "model": {"version": 1, "p": [0.5, 0.5, 0.0],
                                                       "q": [0.5, "half", 0.0]}}))
    before = model.to_dict()
    assert not window.load_session(bad)
    assert "bad.json: q: entry 1 must be a number" in window.statusBar().currentMessage()
    assert model.to_dict() == before
    assert window.sessions.current_path == good.resolve() and window.isWindowModified()


# ------------------------------------------------------------------------------ closing
def test_closing_with_unsaved_changes_asks_cancel_then_save(window, model, tmp_path):
    path = tmp_path / "s.json"
    window.save_session(path)
    answers = ["cancel", "save"]
    asked = []
    window.sessions.ask_unsaved = lambda: asked.append(1) or answers.pop(0)
    model.set_p([0.1, 0.6, 0.3])
    assert not window.close()                            # Cancel: stays open, nothing written
    assert asked == [1] and window.isVisible()
    assert _file_state(path)["model"]["p"] == [0.0, 1.0, 0.0]
    assert window.close()                                # Save: written, then closed
    assert asked == [1, 1] and not window.isVisible()
    assert _file_state(path)["model"]["p"] == [0.1, 0.6, 0.3]


def test_closing_with_unsaved_changes_discard(window, model, tmp_path):
    path = tmp_path / "s.json"
    window.save_session(path)
    asked = []
    window.sessions.ask_unsaved = lambda: asked.append(1) or "discard"
    model.set_p([0.1, 0.6, 0.3])
    assert window.close() and asked == [1] and not window.isVisible()
    assert _file_state(path)["model"]["p"] == [0.0, 1.0, 0.0]


def test_unmodified_session_is_closed_or_replaced_without_asking(win):
    win.sessions.ask_unsaved = lambda: pytest.fail("asked without unsaved changes")
    assert win.sessions.confirm_discard()      # what closeEvent and Open ask before going on


def test_open_over_unsaved_work_asks_first(win, tmp_path):
    window, model = win, win.model
    model.set_p([0.1, 0.6, 0.3])
    window.sessions.ask_unsaved = lambda: "cancel"
    window.sessions.ask_open_path = lambda: pytest.fail("should not get to the file picker")
    assert not window.sessions.open_dialog()
    np.testing.assert_array_equal(model.p, [0.1, 0.6, 0.3])


# ------------------------------------------------------------------------------ recent files
def test_recent_files_newest_first_max_eight_missing_pruned(win, tmp_path):
    window, model = win, win.model
    paths = []
    for i in range(10):
        model.set_z_marker(float(i))
        paths.append(tmp_path / f"s{i}.json")
        assert window.save_session(paths[-1])
    recent = window.sessions.recent_files()
    assert recent == [str(p.resolve()) for p in reversed(paths)][:8]
    menu = window.sessions.recent_menu
    menu.aboutToShow.emit()
    entries = [a for a in menu.actions() if a.data()]
    assert [a.data() for a in entries] == recent
    assert entries[0].text().startswith("&1  s9.json")
    paths[9].unlink()
    paths[7].unlink()
    menu.aboutToShow.emit()
    assert [a.data() for a in menu.actions() if a.data()] == [r for r in recent
                                                             if not r.endswith(("s9.json", "s7.json"))]
    assert "Removed 2 missing file(s)" in window.statusBar().currentMessage()
    assert "s9.json" in window.statusBar().currentMessage()
    # choosing an entry loads it
    target = next(a for a in menu.actions() if a.data() and a.data().endswith("s5.json"))
    target.trigger()
    assert model.z_marker == 5.0 and window.sessions.current_path.name == "s5.json"


def test_recent_entry_deleted_meanwhile_is_reported(win, tmp_path):
    window, model = win, win.model
    path = tmp_path / "gone.json"
    window.save_session(path)
    path.unlink()
    assert not window.sessions.open_recent(str(path.resolve()))
    assert "no longer exists" in window.statusBar().currentMessage()
    assert window.sessions.recent_files() == []


def test_recent_files_persist_in_settings(win, tmp_path, qtbot):
    window, model = win, win.model
    window.save_session(tmp_path / "keep.json")
    ini = window.settings.fileName()
    other = MainWindow(AppModel(), settings=QSettings(ini, QSettings.IniFormat), restore_layout=False)
    qtbot.addWidget(other)
    assert other.sessions.recent_files() == [str((tmp_path / "keep.json").resolve())]


# ------------------------------------------------------------------------------ layout in sessions
def test_session_keeps_dock_layout_and_help_topic(win, qtbot, tmp_path):
    window, model = win, win.model
    window.docks["softmaxDock"].close()
    window.docks["helpDock"].set_topic("log_zero")
    path = tmp_path / "layout.json"
    assert window.save_session(path)
    assert S.load_session(path).dock_state
    window.reset_layout()
    window.docks["helpDock"].set_topic("entropy")
    qtbot.wait(20)
    assert window.docks["softmaxDock"].isVisible()
    assert window.load_session(path)
    qtbot.wait(20)
    assert not window.docks["softmaxDock"].isVisible()
    assert window.docks["helpDock"].topic == "log_zero"


# ------------------------------------------------------------------------------ autosave
def test_autosave_writes_while_modified_and_cleans_up(window, model, qtbot, tmp_path):
    folder = tmp_path / "autosave"
    window.sessions.enable_autosave(folder, interval_ms=30)
    saver = window.sessions.autosaver
    assert not saver.path.exists()                        # nothing unsaved yet
    model.set_p([0.55, 0.35, 0.1])
    qtbot.waitUntil(saver.path.exists, timeout=3000)
    doc = _file_state(saver.path)
    assert doc["model"]["p"] == [0.55, 0.35, 0.1] and doc["autosave"]["file"] is None
    assert list(folder.glob("*.lock"))                    # held while the window runs
    assert window.save_session(tmp_path / "saved.json")   # nothing unsaved: backup removed
    assert not saver.path.exists()
    model.set_p([0.5, 0.4, 0.1])
    qtbot.waitUntil(saver.path.exists, timeout=3000)
    assert _file_state(saver.path)["autosave"]["file"] == str((tmp_path / "saved.json").resolve())
    window.sessions.ask_unsaved = lambda: "discard"
    assert window.close()                                 # clean exit: file and lock removed
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("answer", ["keep", "discard"])
def test_left_over_autosave_kept_or_discarded(win, tmp_path, answer):
    window, model = win, win.model
    folder = tmp_path / "autosave"
    folder.mkdir()
    orphan = folder / "autosave-12345-deadbeef.json"       # no lock file: its owner is gone
    S.write_json_atomic(orphan, S.build_session(model))
    seen = []
    window.sessions.ask_restore = lambda o: seen.append(o.path) or answer
    window.sessions.enable_autosave(folder, interval_ms=10_000)
    assert seen == [orphan]
    assert orphan.exists() == (answer == "keep")
    assert not list(folder.glob("autosave-12345-*.lock"))  # released either way


def test_running_windows_autosave_is_not_offered(win, qtbot, tmp_path):
    window, model = win, win.model
    folder = tmp_path / "autosave"
    window.sessions.enable_autosave(folder, interval_ms=20)
    model.set_p([0.2, 0.5, 0.3])
    qtbot.waitUntil(window.sessions.autosaver.path.exists, timeout=3000)
    other = MainWindow(AppModel(), settings=QSettings(str(tmp_path / "o.ini"), QSettings.IniFormat),
                       restore_layout=False)
    qtbot.addWidget(other)
    other.sessions.ask_restore = lambda o: pytest.fail("offered a live window's autosave")
    other.sessions.enable_autosave(folder, interval_ms=10_000)
    other.sessions.shutdown()


@pytest.fixture
def app_names():
    """The app's organisation/application names, as in ``explorer.app.get_app`` (they pick the
    AppDataLocation folder)."""
    old = QCoreApplication.organizationName(), QCoreApplication.applicationName()
    QCoreApplication.setOrganizationName(ORG_NAME)
    QCoreApplication.setApplicationName("explorer")
    yield
    QCoreApplication.setOrganizationName(old[0])
    QCoreApplication.setApplicationName(old[1])


_DRIVER = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from explorer.app import get_app
app = get_app()

def poke():
    win = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow")
    print("title", win.windowTitle(), flush=True)
    win.model.set_p([0.6, 0.3, 0.1])          # an unsaved change, then wait for the autosave
    def wait():
        saver = win.sessions.autosaver
        if saver is not None and saver.path.exists():
            print("autosaved", saver.path, flush=True)
        else:
            QTimer.singleShot(20, wait)
    wait()

QTimer.singleShot(0, poke)
from explorer.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _read_line(proc, deadline):
    while time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], 0.2)
        if ready:
            return proc.stdout.readline().strip()
        if proc.poll() is not None:
            break
    raise AssertionError(f"app gave no output (exit {proc.poll()}): {proc.stderr.read()[-2000:]}")


def test_autosave_restored_after_kill_9(win, tmp_path, monkeypatch, app_names):
    window, model = win, win.model
    data_home, config_home = tmp_path / "data", tmp_path / "config"
    session = tmp_path / "lesson.json"
    shutil.copy(DATA / "v2.json", session)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_DATA_HOME=str(data_home),
               XDG_CONFIG_HOME=str(config_home), EXPLORER_AUTOSAVE_MS="50",
               EXPLORER_NO_DIALOGS="1", PYTHONPATH=str(ROOT))
    # `main.py SESSION.json` through the real command line, with a tiny driver making one edit
    proc = subprocess.Popen([sys.executable, "-c", _DRIVER, str(session)], cwd=str(ROOT), env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        title = _read_line(proc, deadline)
        assert title.startswith("title lesson.json[*]")          # the session file is current
        autosaved = _read_line(proc, deadline)
        assert autosaved.startswith("autosaved ")
        os.kill(proc.pid, signal.SIGKILL)                        # no chance to clean up
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stdout.close()
        proc.stderr.close()
    backup = Path(autosaved.split(" ", 1)[1])
    assert backup.exists() and backup.parent == data_home / ORG_NAME / "explorer" / "autosave"
    # the next launch finds it in the platform's app-data folder and offers it
    monkeypatch.setenv("XDG_DATA_HOME", str(data_home))
    offered = []
    window.sessions.ask_restore = lambda o: offered.append(o) or "restore"
    window.sessions.enable_autosave(interval_ms=10_000)
    assert len(offered) == 1 and offered[0].path == backup
    assert offered[0].source_file == str(session.resolve())
    np.testing.assert_array_equal(model.p, [0.6, 0.3, 0.1])
    assert model.unit == "bans" and model.q_logit_mode           # the rest of lesson.json
    assert window.sessions.current_path == session.resolve()
    assert window.isWindowModified() and window.windowTitle().startswith("lesson.json[*]")
    assert not backup.exists()
    assert window.sessions.autosaver.path.exists()                # protected again at once
    assert "Restored unsaved work" in window.statusBar().currentMessage()
    window.sessions.ask_unsaved = lambda: "discard"


def test_autosave_problems_are_reported_not_fatal(win, qtbot, tmp_path, monkeypatch):
    window, model = win, win.model
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    window.sessions.enable_autosave(blocker / "autosave", interval_ms=20)   # cannot create it
    assert window.sessions.autosaver is None
    assert "Autosave failed (cannot use" in window.statusBar().currentMessage()
    window.statusBar().clearMessage()
    window.sessions.enable_autosave(tmp_path / "autosave", interval_ms=20)
    calls = []

    def full_disk(path, data, **_options):
        calls.append(path)
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(S, "write_json_atomic", full_disk)
    model.set_p([0.3, 0.3, 0.4])
    qtbot.waitUntil(lambda: len(calls) >= 3, timeout=3000)
    assert window.statusBar().currentMessage() == \
        "Autosave failed (No space left on device); save your work with Ctrl+S"
    window.statusBar().clearMessage()
    qtbot.waitUntil(lambda: len(calls) >= 6, timeout=3000)
    assert window.statusBar().currentMessage() == ""           # said once, not every tick



# ------------------------------------------------------------------------------ issue 14
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_open_on_a_fifo_does_not_hang_and_says_why_in_the_users_language(win, qtbot, tmp_path):
    from explorer import i18n
    window, model = win, win.model
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    window.sessions.ask_open_path = lambda: str(fifo)
    before = model.to_dict()
    try:
        # were open() to block, this key press would never return: a writer comes after 5 s, the
        # blocked reader gets its end of file, and the assertions below fail instead
        import threading

        def unblock():
            try:
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:
                pass
        rescue = threading.Timer(5.0, unblock)
        rescue.start()
        _press(qtbot, window, Qt.Key_O, Qt.ControlModifier)
        rescue.cancel()
        assert window.statusBar().currentMessage() == (
            "pipe.json: not a regular file (a pipe, a device or a socket cannot be opened)")
        i18n.set_language("zh")
        try:
            _press(qtbot, window, Qt.Key_O, Qt.ControlModifier)
            message = window.statusBar().currentMessage()
        finally:
            i18n.set_language("en")
        assert message == "pipe.json：不是普通文件（无法打开管道、设备或套接字）"
    finally:
        try:
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        except OSError:
            pass
    assert model.to_dict() == before and window.sessions.current_path is None


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_ctrl_s_keeps_the_files_mode_and_writes_through_a_symlink(win, qtbot, tmp_path):
    import stat
    window, model = win, win.model
    real = tmp_path / "lessons" / "week1.json"
    real.parent.mkdir()
    shutil.copy(DATA / "v2.json", real)
    real.chmod(0o644)
    link = tmp_path / "current.json"
    link.symlink_to(real)
    window.sessions.ask_open_path = lambda: str(link)
    _press(qtbot, window, Qt.Key_O, Qt.ControlModifier)
    model.set_unit("bits")
    _press(qtbot, window, Qt.Key_S, Qt.ControlModifier)
    assert not window.isWindowModified()
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert stat.S_IMODE(real.stat().st_mode) == 0o644
    assert _file_state(real)["model"]["unit"] == "bits"
    assert sorted(p.name for p in real.parent.iterdir()) == ["week1.json"]


def test_a_label_that_is_not_unicode_never_stops_saves_or_autosaves(win, qtbot, tmp_path):
    window, model = win, win.model
    try:
        model.set_label(0, "cat\ud800")
    except ValueError:                     # the model refuses such text: nothing can reach a save
        return
    folder = tmp_path / "autosave"
    window.sessions.enable_autosave(folder, interval_ms=20)
    saver = window.sessions.autosaver
    qtbot.waitUntil(saver.path.exists, timeout=3000)
    assert saver.last_error is None
    assert _file_state(saver.path)["model"]["labels"][0] == "cat\ufffd"
    path = tmp_path / "s.json"
    window.sessions.ask_save_path = lambda: str(path)
    _press(qtbot, window, Qt.Key_S, Qt.ControlModifier)
    assert not window.isWindowModified(), window.statusBar().currentMessage()
    fresh = AppModel()
    S.apply_to_model(S.load_session(path), fresh)
    assert fresh.labels == ["cat\ufffd", "dog", "horse"]


_LOCK_HOLDER = r"""
import sys, time
from PySide6.QtCore import QCoreApplication
app = QCoreApplication(sys.argv[:1])
from explorer.ui.autosave import Autosaver
saver = Autosaver(lambda: {}, lambda: False, sys.argv[1], 60_000)
print("locked", saver._lock.fileName(), flush=True)
time.sleep(120)
"""


def test_stale_lock_of_a_run_killed_before_any_autosave_is_removed_at_start(tmp_path):
    from explorer.ui.autosave import Autosaver
    folder = tmp_path / "autosave"
    folder.mkdir()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    procs = [subprocess.Popen([sys.executable, "-c", _LOCK_HOLDER, str(folder)], cwd=str(ROOT),
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    try:
        deadline = time.monotonic() + 30
        locks = [Path(_read_line(p, deadline).split(" ", 1)[1]) for p in procs]
        assert all(lock.exists() for lock in locks)
        os.kill(procs[0].pid, signal.SIGKILL)          # killed before any autosave
        procs[0].wait(timeout=10)
        # a write interrupted by the kill leaves its temp file too
        ident = locks[0].stem[len("autosave-"):]
        leftover = folder / f".autosave-{ident}.json.abc123.tmp"
        leftover.write_text("{")
        live_tmp = folder / f".autosave-{locks[1].stem[len('autosave-'):]}.json.def456.tmp"
        live_tmp.write_text("{")
        assert locks[0].exists()                       # nobody cleans it up ...
        saver = Autosaver(lambda: {}, lambda: False, folder, 60_000)   # ... until the next start
        try:
            assert not locks[0].exists() and not leftover.exists()
            assert locks[1].exists() and live_tmp.exists()      # a running window keeps its lock
            assert saver.orphans() == []
            assert sorted(p.name for p in folder.iterdir()) == sorted(
                [locks[1].name, live_tmp.name, Path(saver._lock.fileName()).name])
        finally:
            saver.stop()
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
            p.wait(timeout=10)
            p.stdout.close()
            p.stderr.close()
