"""File → Present demo…: every bundled demo played live from the keyboard (issue 20).

Each demo is opened through Shift+F5 and its list, played slide by slide with → (a second →
finishes a playing slide at once), checked at every break against what the scenario file says
(values written in the file, the presets' published numbers, and closed forms computed here:
softmax, the MSE neuron's gradient descent), walked back with ← (the same state again, by
re-running the timeline), and left with Esc, which must give back the user's state exactly:
model, undo history with its redo step, zoom, workspace and dock layout, window mode.
"""
import json
import math
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from scipy.special import expit, softmax

from explorer import cli, resources
from explorer.record.scenario import DOCK_ALIASES
from explorer.ui import zoom
from explorer.ui.present import PresentController, Presentation, plan_slides

DEMOS = sorted(resources.path("demos").glob("*.json"))

#: what each preset holds, as the articles and the demo captions give it
PRESETS = {
    "pc-power-on": {"p": [0.7, 0.2, 0.1], "q": [1 / 3] * 3},
    "mastiff-photo": {"p": [0, 1, 0], "q": [0.4, 0.4, 0.2]},
    "horse-photo": {"p": [0, 0, 1], "q[2]": 0.78},
    "bob-alice": {"p": [1 / 2, 1 / 4, 1 / 8, 1 / 8], "q": [1 / 8, 1 / 2, 1 / 4, 1 / 8]},
    "sunrise": {"p": [1, 0]},
}


@pytest.fixture
def window(window):
    """The test window with File → Present demo…, as the GUI installs it."""
    window.presenter = PresentController(window)
    return window


def _mse_neuron_z(w, b, x, y, lr, epochs):
    """z = wx + b after *epochs* steps of gradient descent on C = (a − y)² / 2, a = σ(wx + b)
    (Nielsen ch. 3): ∂C/∂w = (a − y) σ′(z) x, ∂C/∂b = (a − y) σ′(z)."""
    for _ in range(epochs):
        a = expit(w * x + b)
        delta = (a - y) * a * (1 - a)
        w, b = w - lr * delta * x, b - lr * delta
    return w * x + b


def expected_at(actions):
    """What the model must show after *actions* (a prefix of the file's list) have run."""
    exp = {"checks": {}, "visible": None}
    training = {}
    count = 0

    def add(name, got, want):
        exp["checks"][name] = (got, want)          # a later action overrides an earlier one

    for a in actions:
        kind = a["action"]
        if kind == "layout" and "columns" in a:
            exp["visible"] = {DOCK_ALIASES.get(n, n) for col in a["columns"] for n in col}
        elif kind == "state":
            if "preset" in a:
                for old in ("p", "q", "q[2]"):           # a preset sets both anew
                    exp["checks"].pop(old, None)
                for key, value in PRESETS[a["preset"]].items():
                    if key == "q[2]":
                        add("q[2]", lambda m: m.q[2], value)
                    else:
                        add(key, lambda m, key=key: m.dist(key), value)
            for key in ("p", "q"):
                if key in a:
                    add(key, lambda m, key=key: m.dist(key), a[key])
            if "unit" in a:
                add("unit", lambda m: m.unit, a["unit"])
            if "precision" in a:
                add("precision", lambda m: m.precision, a["precision"])
            if "logits" in a:
                exp["checks"].pop("q", None)              # q = softmax(z / T) now
                add("q logits", lambda m: m.q_logits, a["logits"])
            if "softmax_logits" in a:
                add("softmax logits", lambda m: m.softmax_logits, a["softmax_logits"])
            if "softmax_smoothing" in a:
                add("smoothing", lambda m: m.softmax_smoothing, a["softmax_smoothing"])
            if "q_logit_mode" in a:
                add("logit mode", lambda m: m.q_logit_mode, a["q_logit_mode"])
            if "training" in a:
                training.update(a["training"])
                for key in ("w0", "b0", "x", "y", "lr", "epochs"):
                    if key in a["training"]:
                        add(key, lambda m, key=key: getattr(m.training, key), a["training"][key])
                if "losses" in a["training"]:
                    names = {"ce_focal": ["ce", "focal"], "mse_ce": ["mse", "ce"]}
                    add("losses", lambda m: [name for name, _ in m.training_losses],
                        names[a["training"]["losses"]])
            if "epoch" in a:
                add("epoch", lambda m: m.training_epoch, a["epoch"])
            if "z" in a:
                add("z", lambda m: m.z_marker, a["z"])
        elif kind == "animate":
            if a["target"] == "q":
                exp["checks"].pop("q[2]", None)
            getter = {"p": lambda m: m.p, "q": lambda m: m.q, "smoothing": lambda m: m.softmax_smoothing,
                      "z": lambda m: m.z_marker, "logits": lambda m: m.softmax_logits}[a["target"]]
            name = {"z": "z", "smoothing": "smoothing", "logits": "softmax logits"}.get(a["target"], a["target"])
            add(name, getter, a["to"])
        elif kind == "drag":
            i, to = a["index"], a["to"]
            if a["target"] == "logits":
                exp["checks"].pop("softmax logits", None)
                exp["checks"].pop("q logits", None)
                add(f"dragged logit {i}", lambda m, i=i: m.softmax_logits[i], to)
            else:
                exp["checks"].pop(a["target"], None)     # the other bars follow the editor's rule
                add(f"dragged {a['target']}[{i}]", lambda m, t=a["target"], i=i: m.dist(t)[i], to)
                add(f"{a['target']} sums to 1", lambda m, t=a["target"]: math.fsum(m.dist(t)), 1.0)
        elif kind == "z_marker":
            add("z", lambda m: m.z_marker, a["to"])
        elif kind == "train":
            epoch = a.get("from", 0) + a["epochs"]
            add("epoch", lambda m: m.training_epoch, epoch)
            if a.get("z_follows") == "mse":
                t = training
                add("z", lambda m: m.z_marker,      # z follows the MSE run
                    _mse_neuron_z(t["w0"], t["b0"], t["x"], t["y"], t["lr"], epoch))
        elif kind == "sample":
            count = (0 if a.get("reset") or "seed" in a else count) + a["events"]
            add("events drawn", lambda m: m.sampling.count, count)
            if "seed" in a:
                add("seed", lambda m: m.sampling.seed, a["seed"])
    # softmax with T: q = softmax(z / T) when q is in logit mode
    add("q = softmax(z/T) in logit mode",
        lambda m: m.q if m.q_logit_mode else None,
        "softmax")
    return exp


def check_state(window, exp, where):
    m = window.model
    for name, (getter, want) in exp["checks"].items():
        got = getter(m)
        if want == "softmax":
            if got is not None:
                np.testing.assert_allclose(got, softmax(np.asarray(m.q_logits) / m.temperature),
                                           atol=1e-9, err_msg=f"{where}: {name}")
            continue
        if isinstance(want, (str, bool)) or (isinstance(want, list) and want and isinstance(want[0], str)):
            assert got == want, f"{where}: {name}: {got!r} != {want!r}"
        else:
            np.testing.assert_allclose(np.asarray(got, dtype=float), np.asarray(want, dtype=float),
                                       atol=1e-6, err_msg=f"{where}: {name}")
    if exp["visible"] is not None:
        shown = {n for n, d in window.docks.items() if d.isVisible()}
        assert shown == exp["visible"], where


def stop_actions(raw_actions, stop_kind, hold_number):
    """The actions that have run when the presentation waits at a stop: everything before the
    *hold_number*-th hold (file order; the bundled demos block on everything but captions),
    everything for the end, the leading instant actions for the title card."""
    if stop_kind == "end":
        return raw_actions
    if stop_kind == "title":
        out = []
        for a in raw_actions:
            if a["action"] not in ("layout", "state", "caption"):
                break
            out.append(a)
        return out
    holds = [i for i, a in enumerate(raw_actions) if a["action"] == "hold"]
    return raw_actions[:holds[hold_number - 1]]


def user_state(window):
    """Everything presenting must give back."""
    m = window.model
    stack = m.undo_stack
    return {
        "model": m.to_dict(), "stack": stack, "index": stack.index(),
        "commands": [stack.command(i) for i in range(stack.count())],
        "texts": [stack.text(i) for i in range(stack.count())],
        "zoom": zoom.percent(), "workspace": window.workspaces.current,
        "docks": {n: (d.isVisible(), d.isFloating(), window.dockWidgetArea(d),
                      sorted(t.objectName() for t in window.tabifiedDockWidgets(d)))
                  for n, d in window.docks.items()},
        "geometry": {n: d.geometry().getRect() for n, d in window.docks.items()
                     if not d.visibleRegion().isEmpty()},
        "presenting": window.view_modes.presenting, "full_screen": window.isFullScreen(),
        "size": window.size().toTuple(), "modified": window.isWindowModified(),
        "menu_bar": window.menuBar().isVisible(), "highlight": m.highlight,
    }


def assert_same_user_state(after, before):
    """Equal, except that a dock's split may move by a few pixels: a panel's minimum width
    follows the longest texts it has shown (the readouts' number columns), so Qt may give a
    neighbour a little less room than before."""
    geo_a, geo_b = after.pop("geometry"), before.pop("geometry")
    try:
        assert after == before
        assert geo_a.keys() == geo_b.keys()
        for name in geo_a:
            assert np.abs(np.subtract(geo_a[name], geo_b[name])).max() <= 16, name
    finally:
        after["geometry"], before["geometry"] = geo_a, geo_b


def make_user_state(qtbot, window):
    """A user who has worked: two edits, one undone (so there is a redo step), a zoom and a
    workspace of their own."""
    m = window.model
    window.view_modes.set_zoom(110)
    window.switch_workspace("information")
    m.set_value("p", 0, 0.55)
    m.set_value("q", 1, 0.6)
    m.undo_stack.undo()
    m.set_highlight(1)
    qtbot.wait(50)
    assert m.undo_stack.canRedo() and m.undo_stack.count() == 2


def open_demo(qtbot, window, path):
    """Shift+F5, then pick *path* in the list with the arrow keys and Enter."""
    QTest.keyClick(window, Qt.Key_F5, Qt.ShiftModifier)
    dlg = window.presenter.dialog
    assert dlg is not None and dlg.isVisible()
    rows = [str(p) for p, _sc in dlg.demos]
    row = rows.index(str(path))
    dlg.list.setFocus()
    QTest.keyClick(dlg.list, Qt.Key_Home)
    for _ in range(row):
        QTest.keyClick(dlg.list, Qt.Key_Down)
    assert dlg.list.currentRow() == row
    QTest.keyClick(dlg.list, Qt.Key_Return)
    qtbot.waitUntil(lambda: window.presenter.presentation is not None, timeout=5000)
    return window.presenter.presentation


def key(window, k):
    QTest.keyClick(window.focusWidget() or window, k)


@pytest.mark.parametrize("path", DEMOS, ids=[p.stem for p in DEMOS])
def test_every_bundled_demo_presents_slide_by_slide_and_esc_gives_everything_back(
        qtbot, window, path):
    make_user_state(qtbot, window)
    before = user_state(window)
    raw = json.loads(path.read_text(encoding="utf-8"))["actions"]
    pres = open_demo(qtbot, window, path)
    assert isinstance(pres, Presentation) and pres.active
    assert window.view_modes.presenting and not window.menuBar().isVisible()
    assert zoom.percent() == window.view_modes.presentation_percent   # the presentation zoom
    slides = pres.slides
    assert slides.count == sum(a["action"] == "hold" for a in raw) + (
        slides.stops[-1].kind == "end")
    assert pres.stop_index == 0 and pres.overlay.counter_text == f"0 / {slides.count}"
    states = {0: window.model.to_dict()}
    check_state(window, expected_at(stop_actions(raw, "title", 0)), f"{path.name} title")
    holds = 0
    for j in range(1, slides.count + 1):
        key(window, Qt.Key_Right)             # play the slide …
        if pres.playing:
            key(window, Qt.Key_Space)         # … and finish it at once
        assert not pres.playing and pres.stop_index == j
        assert pres.overlay.counter_text == f"{j} / {slides.count}"
        stop = slides.stops[j]
        holds += stop.kind == "hold"
        check_state(window, expected_at(stop_actions(raw, stop.kind, holds)), f"{path.name} stop {j}")
        states[j] = window.model.to_dict()
    key(window, Qt.Key_Right)                  # past the last slide: nothing happens
    assert pres.stop_index == slides.count and not pres.playing
    for j in range(slides.count - 1, -1, -1):
        key(window, Qt.Key_PageUp if j % 2 else Qt.Key_Left)
        assert pres.stop_index == j and not pres.playing
        assert window.model.to_dict() == states[j], f"{path.name}: back to stop {j}"
    key(window, Qt.Key_Escape)
    assert not pres.active and window.presenter.presentation is None
    qtbot.wait(50)                             # the window lays itself out again
    after = user_state(window)
    assert_same_user_state(after, before)
    assert window.model.undo_stack is before["stack"]
    qtbot.wait(20)
    assert window.findChild(type(pres.overlay), "presentOverlay") is None or \
        not window.findChild(type(pres.overlay), "presentOverlay").isVisible()


def test_playing_a_slide_in_time_reaches_the_same_state_as_skipping_it(qtbot, window):
    """The timer plays one frame per tick; → while it plays runs the rest at once: both visit
    the same frames, so the break shows the same state."""
    path = resources.path("demos", "06_likelihood.json")
    pres = window.presenter.present(path)
    played = {}
    for j in range(1, pres.slides.count + 1):
        key(window, Qt.Key_Right)
        assert pres.playing or pres.stop_index == j
        qtbot.waitUntil(lambda: not pres.playing, timeout=60000)
        played[j] = window.model.to_dict()
    key(window, Qt.Key_Home)                   # not a presentation key: nothing happens
    assert pres.stop_index == pres.slides.count
    pres.go_to(0)
    for j in range(1, pres.slides.count + 1):
        key(window, Qt.Key_Right)
        key(window, Qt.Key_Right)
        assert window.model.to_dict() == played[j], j
    key(window, Qt.Key_Escape)
    assert not window.view_modes.presenting


def test_keys_and_clicks_cannot_edit_or_undo_while_presenting(qtbot, window):
    m = window.model
    m.set_value("p", 0, 0.5)
    before = user_state(window)
    pres = window.presenter.present(resources.path("demos", "03_kl_asymmetric.json"))
    key(window, Qt.Key_Right)
    key(window, Qt.Key_Right)
    shown = m.to_dict()
    QTest.keyClick(window, Qt.Key_Z, Qt.ControlModifier)         # Undo
    QTest.keyClick(window, Qt.Key_F5)                            # presentation mode off
    QTest.keyClick(window, Qt.Key_S, Qt.ControlModifier)         # Save
    editor = window.docks["pEditorDock"].body()
    qtbot.mouseClick(editor, Qt.LeftButton)
    assert m.to_dict() == shown and pres.active and window.view_modes.presenting
    QTest.keyClick(window, Qt.Key_Equal, Qt.ControlModifier)     # the zoom keys still work
    assert zoom.percent() > before["zoom"]
    key(window, Qt.Key_Escape)
    qtbot.wait(50)
    assert_same_user_state(user_state(window), before)
    assert m.undo_stack.count() == 1 and m.undo_stack.canUndo()


def test_a_presentation_started_in_presentation_mode_stays_in_it(qtbot, window):
    window.view_modes.set_presentation(True)
    pres = window.presenter.present(resources.path("demos", "05_softmax_ce.json"))
    assert pres.active
    key(window, Qt.Key_Escape)                 # leaves the demo, not presentation mode
    assert not pres.active and window.view_modes.presenting
    QTest.keyClick(window, Qt.Key_Escape)      # now Esc is the view mode's again
    assert not window.view_modes.presenting


def test_closing_the_window_while_presenting_gives_the_user_state_back_first(qtbot, window):
    m = window.model
    m.set_value("p", 0, 0.5)
    window.sessions._mark_clean(None)               # as if just saved
    before = m.to_dict()
    pres = window.presenter.present(resources.path("demos", "02_cross_entropy_kl.json"))
    key(window, Qt.Key_Right)
    key(window, Qt.Key_Right)
    assert m.to_dict() != before and window.isWindowModified()
    window.close()
    assert not pres.active and m.to_dict() == before
    assert not window.isWindowModified()            # nothing of the demo's to save or ask about


def test_a_broken_scenario_is_refused_with_a_message_and_nothing_changes(qtbot, window, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"version": 1, "actions": [
        {"action": "drag", "target": "p", "index": 7, "to": 0.5}]}), encoding="utf-8")
    before = user_state(window)
    assert window.presenter.present(bad) is None
    assert "actions[0] (drag) index" in window.statusBar().currentMessage()
    assert_same_user_state(user_state(window), before)


def test_the_gui_installs_present_demo_in_the_file_menu_after_render_demo(qtbot, window):
    acts = window.file_menu.actions()
    present = window.presenter.act_present
    assert present in acts and acts.index(present) == acts.index(window.recording.act_render_demo) + 1
    assert present in window.actions()              # Shift+F5 works with the menu bar hidden
    assert present.shortcut().toString() == "Shift+F5"
    src = Path(cli.__file__).read_text(encoding="utf-8")
    assert "window.presenter = PresentController(window)" in src


def test_the_demo_list_shows_titles_in_the_interface_language(qtbot, window):
    from explorer import i18n
    from explorer.record.scenario import load_scenario

    dlg = window.presenter.choose()
    qtbot.waitUntil(dlg.isVisible)
    titles = [dlg.list.item(i).text() for i in range(dlg.list.count())]
    assert not any(t.endswith(".json") or "/" in t for t in titles)
    assert titles[0] == json.loads(DEMOS[0].read_text(encoding="utf-8"))["title"]["en"]
    assert titles[-1] == "Browse…"
    assert "s · " in dlg.details.text()                 # the length and the slide count
    i18n.set_language("zh")
    try:
        zh = [dlg.list.item(i).text() for i in range(dlg.list.count())]
        assert zh[0] == json.loads(DEMOS[0].read_text(encoding="utf-8"))["title"]["zh"]
        assert zh[-1] != "Browse…" and "秒" in dlg.details.text()
    finally:
        i18n.set_language("en")
    QTest.keyClick(dlg.list, Qt.Key_Escape)
    assert window.presenter.presentation is None and not dlg.isVisible()
    assert load_scenario(DEMOS[0]).title_in("zh") == zh[0]


def test_plan_slides_breaks_at_holds_and_jumps_over_them():
    from explorer.record.scenario import validate_scenario
    from explorer.record.timeline import build_timeline

    sc = validate_scenario({"version": 1, "fps": 10, "actions": [
        {"action": "hold", "duration": 1},                       # a hold at 0 s
        {"action": "z_marker", "to": 2, "duration": 0.5},
        {"action": "hold", "duration": 0.3},
        {"action": "hold", "duration": 0.2},                     # right after the first
        {"action": "z_marker", "to": 1, "duration": 0.4},
    ]})
    slides = plan_slides(build_timeline(sc.actions, 10))
    assert [(s.kind, s.frame) for s in slides.stops] == [
        ("title", 0), ("hold", 0), ("hold", 15), ("hold", 18), ("end", 24)]
    # frames: 0, (jump to 10), 11..15, (jump to 18), (jump to 20), 21..24
    assert slides.frames == (0, 10, 11, 12, 13, 14, 15, 18, 20, 21, 22, 23, 24)
    assert [s.step for s in slides.stops] == [0, 0, 6, 7, 12]
    ends_on_hold = validate_scenario({"version": 1, "fps": 10, "actions": [
        {"action": "z_marker", "to": 2, "duration": 0.5}, {"action": "hold", "duration": 1}]})
    s2 = plan_slides(build_timeline(ends_on_hold.actions, 10))
    assert [(s.kind, s.frame) for s in s2.stops] == [("title", 0), ("hold", 5)]
    assert s2.frames == (0, 1, 2, 3, 4, 5)
