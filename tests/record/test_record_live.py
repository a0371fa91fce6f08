"""Live recording in the real window: start, a real mouse drag, stop, decode the file."""
import imageio.v3 as iio
import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QPushButton

from explorer.ui import recording as record_gui


def to_widget(pw, x, y):
    return pw.map_to_widget(x, y).toPoint()


def _drag_bar(qtbot, pw, x, y0, y1, steps=6, wait=40):
    vp = pw.viewport()
    start, end = to_widget(pw, x, y0), to_widget(pw, x, y1)
    qtbot.mousePress(vp, Qt.LeftButton, pos=start)
    for k in range(1, steps + 1):
        qtbot.mouseMove(vp, pos=start + (end - start) * k / steps)
        qtbot.wait(wait)                          # let the capture timer tick mid-drag
    qtbot.mouseRelease(vp, Qt.LeftButton, pos=end)
    return end


def _finish(qtbot, controller):
    rec = controller.recorder
    with qtbot.waitSignal(rec.sigFinished, timeout=20000) as blocker:
        controller.stop_recording()
        assert not controller.act_record.isChecked()
    return blocker.args[0]


def test_live_recording_of_a_dock_captures_a_real_drag_with_the_pointer(qtbot, window, tmp_path):
    controller = window.recording
    dock = window.docks["pEditorDock"]
    pw = dock.plot
    window.model.set_p([0.2, 0.5, 0.3])
    qtbot.wait(20)
    out = tmp_path / "live_frames"
    assert controller.start_recording("pEditorDock", out, fps=20, ripple=False)
    assert controller.act_record.isChecked() and controller.is_recording
    assert controller.rec_label.isVisible() and "REC" in controller.rec_label.text()
    before = float(window.model.p[1])
    qtbot.wait(120)
    end = _drag_bar(qtbot, pw, 1, before, 0.45)
    qtbot.wait(150)
    path = _finish(qtbot, controller)
    assert path == str(out)
    assert float(window.model.p[1]) == pytest.approx(0.45, abs=0.03)     # the drag was real
    assert controller.open_button.isVisible() and controller.last_path == out
    names = sorted(p.name for p in out.iterdir())
    frames = [iio.imread(out / n) for n in names]
    assert len(frames) >= 6
    assert frames[0].shape == (dock.height(), dock.width(), 3)
    assert (frames[0] != frames[-1]).any()                          # the bar moved
    # the last frame is the dock plus the pointer drawn where the mouse was released
    raw = dock.grab().toImage()
    from explorer.record.frames import qimage_to_rgb
    raw = qimage_to_rgb(raw)
    diff = np.any(frames[-1].astype(int) != raw.astype(int), axis=2)
    ys, xs = np.nonzero(diff)
    tip = pw.viewport().mapTo(dock, end)
    assert diff.sum() > 40
    assert abs(xs.min() - tip.x()) <= 3 and abs(ys.min() - tip.y()) <= 3
    assert xs.max() - xs.min() < 30 and ys.max() - ys.min() < 30


def test_live_recording_to_gif_and_mp4_decodes(qtbot, window, tmp_path):
    controller = window.recording
    pw = window.docks["qEditorDock"].plot
    for name in ("live.gif", "live.mp4"):
        out = tmp_path / name
        assert controller.start_recording("window", out, fps=15)
        _drag_bar(qtbot, pw, 0, float(window.model.q[0]), 0.1 if name == "live.gif" else 0.6,
                  steps=4, wait=30)
        qtbot.wait(60)
        assert _finish(qtbot, controller) == str(out)
        plugin = "FFMPEG" if name.endswith(".mp4") else None
        frames = iio.imread(out, index=None, plugin=plugin)
        # the window's content: between the menu bar and the status bar
        w = window.width()
        h = window.statusBar().geometry().top() - window.menuBar().geometry().bottom() - 1
        assert frames.shape[0] >= 3
        assert frames.shape[1:3] == (h + (h & 1 if plugin else 0), w + (w & 1 if plugin else 0))
        assert np.abs(frames[0].astype(int) - frames[-1].astype(int)).max() > 60


def test_record_action_dialog_and_errors(qtbot, window, tmp_path, monkeypatch):
    controller = window.recording
    # the action sits in the File menu with its shortcut, and on the menu-bar button
    assert controller.act_record in window.file_menu.actions()
    assert controller.act_render_demo in window.file_menu.actions()
    assert controller.act_record.shortcut().toString() == "Ctrl+Shift+R"
    assert controller.record_button.defaultAction() is controller.act_record
    # the dialog refuses a bad file before anything starts
    dlg = record_gui.RecordDialog(window)
    qtbot.addWidget(dlg)
    dlg.path_edit.setText(str(tmp_path / "nowhere" / "x.gif"))
    dlg._accept()
    assert not dlg.error_label.isHidden() and "does not exist" in dlg.error_label.text()
    dlg.format_box.setCurrentIndex(dlg.format_box.findData("mp4"))
    assert dlg.path_edit.text().endswith(".mp4")
    dlg.path_edit.setText(str(tmp_path / "ok.mp4"))
    dlg._accept()
    assert dlg.result() == QDialog.Accepted
    assert dlg.values() == {"target": "window", "format": "mp4", "fps": 30, "scale": 1,
                            "path": str(tmp_path / "ok.mp4"), "menu_bar": False,
                            "status_bar": False, "pointer": True, "ripple": True,
                            "transparent": False, "script": False}
    # unknown target: a message, not a crash, and not recording
    assert not controller.start_recording("noSuchDock", tmp_path / "y.gif")
    assert not controller.is_recording and not controller.act_record.isChecked()
    assert "unknown panel" in window.statusBar().currentMessage()
    assert not (tmp_path / "y.gif").exists()


def test_render_demo_from_the_gui_runs_in_a_child_process(qtbot, window, tmp_path):
    import json
    scenario = tmp_path / "s.json"
    scenario.write_text(json.dumps({"version": 1, "fps": 10, "actions": [
        {"action": "layout", "docks": ["sigmoid"]},
        {"action": "z_marker", "to": 3, "duration": 0.5}]}), encoding="utf-8")
    out = tmp_path / "demo.gif"
    controller = window.recording
    job = controller.render_demo(scenario, out, size=(480, 360), fps=10)
    assert controller.progress is not None
    qtbot.waitUntil(lambda: controller.job is None, timeout=60000)   # the UI kept running
    assert out.is_file()
    assert iio.imread(out, index=None).shape == (5, 360, 480, 3)
    assert "Rendered" in window.statusBar().currentMessage()
    assert job.frames == (5, 5)


def test_render_demo_can_be_cancelled_and_leaves_nothing(qtbot, window, tmp_path):
    from pathlib import Path
    demo = Path(record_gui.DEMO_DIR) / "01_entropy.json"
    out = tmp_path / "cancelled.mp4"
    controller = window.recording
    job = controller.render_demo(demo, out, size=(800, 450), fps=30)
    qtbot.waitUntil(lambda: job.frames[0] >= 3, timeout=60000)     # rendering has started
    assert controller.progress.isVisible() and controller.progress.maximum() > 3
    cancel = controller.progress.findChild(QPushButton)
    qtbot.mouseClick(cancel, Qt.LeftButton)                          # the dialog's Cancel button
    assert controller.job is None and controller.progress is None
    assert "cancelled" in window.statusBar().currentMessage()
    assert list(tmp_path.iterdir()) == []                            # no file, no temp file


def test_closing_the_window_while_recording_keeps_the_file(qtbot, window, tmp_path):
    controller = window.recording
    out = tmp_path / "closed.gif"
    assert controller.start_recording("window", out, fps=20)
    qtbot.wait(150)
    rec = controller.recorder
    with qtbot.waitSignal(rec.sigFinished, timeout=20000):
        window.hide()                                  # what closing does to the recorder
    assert out.is_file() and iio.imread(out, index=None).shape[0] >= 2


def _uniform_rows(region) -> bool:
    """Every row of *region* is one colour (a plain background: no text, no icon)."""
    return bool((region == region[:, :1]).all())


def test_recording_chosen_in_the_dialog_never_shows_the_recorders_own_ui(qtbot, window,
                                                                          tmp_path, monkeypatch):
    """Issue 20: with the menu bar and status bar asked for (ticked in the Record dialog with
    the mouse), the Stop button and the "● REC" status still never appear in the frames."""
    from PySide6.QtCore import QPoint, QTimer
    from PySide6.QtWidgets import QApplication, QCheckBox, QDialogButtonBox
    from explorer.record.frames import qimage_to_rgb

    controller = window.recording
    out = tmp_path / "clean"
    monkeypatch.delenv("EXPLORER_NO_DIALOGS")          # the dialog really opens

    def fill_dialog():
        dlg = QApplication.activeModalWidget()
        assert dlg is not None and dlg.objectName() == "recordDialog"
        for key in ("menu_bar", "status_bar"):
            box = dlg.findChild(QCheckBox, f"recordOption_{key}")
            qtbot.mouseClick(box, Qt.LeftButton, pos=QPoint(8, box.height() // 2))
            assert box.isChecked()
        dlg.format_box.setCurrentIndex(dlg.format_box.findData("png"))
        dlg.path_edit.clear()
        qtbot.keyClicks(dlg.path_edit, str(out))
        ok = dlg.buttons.button(QDialogButtonBox.Ok)
        qtbot.mouseClick(ok, Qt.LeftButton)

    QTimer.singleShot(100, fill_dialog)
    qtbot.mouseClick(controller.record_button, Qt.LeftButton)      # opens the dialog
    assert controller.is_recording
    assert controller.recorder.menu_bar and controller.recorder.status_bar
    qtbot.wait(200)
    # the window shows them meanwhile: a red icon and text on the button, the REC status
    shown = qimage_to_rgb(window.grab().toImage())
    button, label = controller.record_button, controller.rec_label
    assert button.isVisible() and label.isVisible() and "REC" in label.text()
    # starting kept the workspace switcher beside the button (it used to take the corner alone)
    assert window.workspaces.bar.isVisible() and button.parent() is window.menu_corner

    def rect_of(w):
        p = w.mapTo(window, QPoint(0, 0))
        return slice(p.y(), p.y() + w.height()), slice(p.x(), p.x() + w.width())

    assert not _uniform_rows(shown[rect_of(button)]) and not _uniform_rows(shown[rect_of(label)])
    path = _finish(qtbot, controller)
    frames = [iio.imread(p) for p in sorted(out.iterdir())]
    assert len(frames) >= 3 and frames[0].shape == (window.height(), window.width(), 3)
    for f in frames:
        assert _uniform_rows(f[rect_of(button)]) and _uniform_rows(f[rect_of(label)])
    # the rest of the menu bar is recorded as it is (the menus are there)
    bar = window.menuBar()
    assert not _uniform_rows(frames[-1][: bar.height(), : bar.width() // 4])
    assert path == str(out)


def test_a_workspace_target_switches_to_it_and_records_only_the_content(qtbot, window, tmp_path):
    controller = window.recording
    out = tmp_path / "ws.gif"
    assert controller.start_recording("workspace:sampling", out, fps=10)
    assert window.workspaces.current == "sampling"
    qtbot.wait(250)
    _finish(qtbot, controller)
    frames = iio.imread(out, index=None)
    content = window.statusBar().geometry().top() - window.menuBar().geometry().bottom() - 1
    assert frames.shape[1:3] == (content, window.width())
    assert controller.last_script["actions"][0] == {"action": "layout", "at": 0,
                                                    "workspace": "sampling"}


def test_one_panel_as_webp_with_a_transparent_background_and_a_script_beside_it(qtbot, window,
                                                                               tmp_path):
    from PIL import Image
    controller = window.recording
    out = tmp_path / "panel.webp"
    assert controller.start_recording("sigmoidDock", out, fps=10, transparent=True, script=True)
    qtbot.wait(300)
    _finish(qtbot, controller)
    im = Image.open(out)
    im.load()
    rgba = np.asarray(im.convert("RGBA"))
    dock = window.docks["sigmoidDock"]
    assert rgba.shape == (dock.height(), dock.width(), 4)
    assert (rgba[..., 3] == 0).mean() > 0.2 and (rgba[..., 3] == 255).mean() > 0.02
    import json
    script = json.loads((tmp_path / "panel.json").read_text(encoding="utf-8"))
    assert script["target"] == "sigmoidDock" and script["fps"] == 10
    assert "Saved recording" in window.statusBar().currentMessage()
