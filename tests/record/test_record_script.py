"""Issue 20: a live recording is also a script.  A real session (mouse drag of a p bar, a spin
box changed from the keyboard, a workspace switched from the menu-bar button) is recorded,
saved through File → Save recording as demo script…, re-rendered in another size, theme and
language, and the model's saved state is compared at every frame of the live recording."""
import json

import imageio.v3 as iio
import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QFileDialog

from explorer.record import render
from explorer.record.scenario import ScenarioError, validate_scenario


def _drag_bar(qtbot, pw, x, y0, y1, steps=6, wait=40):
    vp = pw.viewport()
    start, end = pw.map_to_widget(x, y0).toPoint(), pw.map_to_widget(x, y1).toPoint()
    qtbot.mousePress(vp, Qt.LeftButton, pos=start)
    for k in range(1, steps + 1):
        qtbot.mouseMove(vp, pos=start + (end - start) * k / steps)
        qtbot.wait(wait)
    qtbot.mouseRelease(vp, Qt.LeftButton, pos=end)


def _record_session(qtbot, window, tmp_path, fps=20):
    """Record a real session; returns (controller, live states by frame, frame count)."""
    controller = window.recording
    states = {0: window.model.to_dict()}
    assert controller.start_recording("window", tmp_path / "live", fps=fps)
    rec = controller.recorder

    def on_frame(first, count):
        snap = window.model.to_dict()
        for k in range(first, first + count):
            states[k] = snap

    rec.sigFrame.connect(on_frame)
    qtbot.wait(150)
    p_plot = window.docks["pEditorDock"].plot
    _drag_bar(qtbot, p_plot, 1, float(window.model.p[1]), 0.55)
    qtbot.wait(120)
    spin = window.docks["readoutsDock"].precision_spin
    spin.setFocus()
    for _ in range(2):
        qtbot.keyClick(spin, Qt.Key_Up)
        qtbot.wait(60)
    button = window.workspaces.buttons["softmax"]
    qtbot.mouseClick(button, Qt.LeftButton)
    qtbot.wait(150)
    with qtbot.waitSignal(rec.sigFinished, timeout=30000):
        controller.stop_recording()
    return controller, states, rec.frames


def test_a_recorded_session_re_renders_the_same_states_at_every_frame(qtbot, window, tmp_path,
                                                                      monkeypatch):
    window.model.set_p([0.2, 0.5, 0.3])
    precision0 = window.model.precision
    controller, states, n_frames = _record_session(qtbot, window, tmp_path)
    # the session really happened
    assert window.model.p[1] == pytest.approx(0.55, abs=0.03)
    assert window.model.precision == precision0 + 2
    assert window.workspaces.current == "softmax"
    assert sorted(states) == list(range(n_frames))
    # File → Save recording as demo script… (the file dialog answers with our path)
    script = tmp_path / "session.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(script), "")))
    assert controller.act_save_script.isEnabled()
    assert controller.act_save_script in window.file_menu.actions()
    controller.act_save_script.trigger()
    data = json.loads(script.read_text(encoding="utf-8"))
    kinds = [a["action"] for a in data["actions"]]
    assert data["fps"] == 20 and data["target"] == "window"
    assert {"layout", "state", "pointer", "wait"} <= set(kinds)
    assert any(a.get("workspace") == "softmax" and a["at"] > 0 for a in data["actions"])
    assert any("precision" in a.get("model", {}) for a in data["actions"])
    assert any(a.get("finished") is False for a in data["actions"])      # mid-drag frames
    # re-render it elsewhere: another window size, dark theme, Chinese
    sc, _session, _fmt = render.prepare(script, tmp_path / "again.gif")
    sc.language = "zh"
    r = render.ScenarioRenderer(sc, size=(900, 640), fps=sc.fps, theme="dark")
    try:
        assert r.n_frames == n_frames
        bad = []
        for k in range(r.n_frames):
            r.frame(k)
            if r.model.to_dict() != states[k]:
                bad.append(k)
        assert bad == []
        assert r.window.workspaces.current == "softmax"
    finally:
        r.close()
    # and through the encoder: one GIF frame per live frame, the size asked for
    out = tmp_path / "again.gif"
    result = render.render_scenario(script, out, size=(640, 480), scale=1)
    frames = iio.imread(out, index=None)
    assert frames.shape == (n_frames, 480, 640, 3) and result.frames == n_frames


def test_the_pointer_path_is_replayed_over_the_same_dock(qtbot, window, tmp_path):
    """The recorded pointer is where the live one was, relative to the dock under it: the
    re-rendered frame has the pointer drawn at the press point of the drag."""
    data = {"version": 1, "fps": 10, "size": [640, 480], "actions": [
        {"action": "layout", "docks": ["p"]},
        {"action": "pointer", "points": [[0, "p", 0.5, 0.5, 0], [0.1, "p", 0.25, 0.75, 1],
                                         [0.6, None, 0, 0, 0]]},
        {"action": "wait", "at": 0, "duration": 0.8}]}
    sc = validate_scenario(data, "ptr.json")
    r = render.ScenarioRenderer(sc)
    try:
        dock = r.window.docks["pEditorDock"]
        tips = []
        for k in range(r.n_frames):
            frame = r.frame(k)
            raw = render.qimage_to_rgb(r._grab())
            ys, xs = np.nonzero(np.any(frame != raw, axis=2))
            tips.append((xs.min(), ys.min()) if xs.size else None)
        origin = dock.mapTo(r.window, QPoint(0, 0))
        x0, y0 = origin.x() + 0.5 * dock.width(), origin.y() + 0.5 * dock.height()
        x1, y1 = origin.x() + 0.25 * dock.width(), origin.y() + 0.75 * dock.height()
        assert abs(tips[0][0] - x0) <= 2 and abs(tips[0][1] - y0) <= 2     # arrow tip
        # pressed at 0.1 s: a ripple ring around the point reaches beyond the pointer
        assert tips[2][0] < x1 - 8 and tips[2][1] < y1 - 8
        assert tips[6] is None and tips[7] is None         # gone after the last point
    finally:
        r.close()


@pytest.mark.parametrize("bad, message", [
    ({"action": "pointer", "points": []}, "points: expected a non-empty list"),
    ({"action": "pointer", "points": [[0, "p", 2, 0, 0]]}, "points[0][2]: 2 is outside [0, 1]"),
    ({"action": "pointer", "points": [[1, "p", 0, 0, 0], [0.5, "p", 0, 0, 0]]},
     "points[1][0]: time 0.5 is before the previous point's (1)"),
    ({"action": "pointer", "points": [[0, "nowhere", 0, 0, 0]]}, "unknown dock 'nowhere'"),
    ({"action": "state", "model": {"no_such_key": 1}}, "model.no_such_key: not a key of the saved state"),
    ({"action": "state", "model": {"precision": "four"}},
     "model.precision: expected a number, got text"),
    ({"action": "state", "finished": False}, "sets nothing"),
    ({"action": "layout", "zoom": 300}, "zoom: expected a whole percentage from 75 to 250, got 300"),
])
def test_new_keys_are_validated_with_one_line_messages(bad, message):
    with pytest.raises(ScenarioError) as info:
        validate_scenario({"version": 1, "actions": [bad]}, "s.json")
    assert message in str(info.value)
    assert str(info.value).startswith("s.json: actions[0]")


def test_a_whole_model_state_is_checked_before_rendering(tmp_path):
    """A full "model" is validated as the renderer will load it; a later partial one is
    checked merged into it (p with 4 values after 3 labels fails before any frame)."""
    from explorer.model.state import ModelState
    from explorer.i18n import tr_error, set_language, language

    full = ModelState().to_dict()
    ok = {"version": 1, "actions": [{"action": "state", "model": full},
                                    {"action": "state", "model": {"precision": 7}}]}
    validate_scenario(ok, "ok.json")
    bad = {"version": 1, "actions": [{"action": "state", "model": full},
                                     {"action": "state", "at": 1,
                                      "model": {"p": [0.25, 0.25, 0.25, 0.25]}}]}
    with pytest.raises(ScenarioError) as info:
        validate_scenario(bad, "bad.json")
    assert str(info.value) == "bad.json: actions[1] (state) model: q: expected 4 values, got 3"
    old = language()
    try:
        set_language("zh")
        with pytest.raises(ScenarioError) as info2:
            validate_scenario({"version": 1, "actions": [{"action": "layout", "zoom": 10}]},
                              "z.json")
        zh = tr_error(info2.value)
        assert zh.startswith("z.json：actions[0] (layout) zoom：") and "75" in zh
        assert "expected" not in zh                      # the Chinese template
    finally:
        set_language(old)


def test_a_layout_zoom_applies_while_rendering_and_is_put_back(qapp):
    """A recorded zoom change (View → Zoom) replays: the fonts grow from that frame on, and the
    app's zoom is what it was once the render is closed."""
    from PySide6.QtWidgets import QApplication
    from explorer.ui import zoom

    before = zoom.percent()
    sc = validate_scenario({"version": 1, "fps": 10, "actions": [
        {"action": "layout", "docks": ["readouts"]},
        {"action": "hold", "duration": 0.2},
        {"action": "layout", "zoom": 150},
        {"action": "hold", "duration": 0.2}]}, "zoom.json")
    r = render.ScenarioRenderer(sc, size=(640, 480))
    try:
        sizes = []
        for k in range(r.n_frames):
            r.frame(k)
            sizes.append(QApplication.font().pointSizeF())
        assert sizes[0] == sizes[1] and sizes[2] == pytest.approx(1.5 * sizes[0], rel=0.05)
    finally:
        r.close()
    assert zoom.percent() == before
