"""Scenario schema, validation messages and the frame-exact timeline (pure Python)."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from explorer.record import timeline as tl
from explorer.record.scenario import ScenarioError, load_scenario, validate_scenario

ROOT = Path(__file__).resolve().parents[2]
DEMOS = ROOT / "resources" / "demos"


def _write(tmp_path, data, name="demo.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def _sc(*actions, **top):
    return {"version": 1, **top, "actions": list(actions)}


def test_record_modules_are_qt_free():
    code = ("import sys; import explorer.record.scenario, explorer.record.timeline, "
            "explorer.record.encode; print(any(m.startswith('PySide6') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         check=True)
    assert out.stdout.strip() == "False"


def test_valid_scenario_is_normalised_and_scheduled():
    sc = validate_scenario(_sc(
        {"action": "layout", "docks": ["p", "q"], "size": "800x500"},
        {"action": "state", "p": [0.25, 0.25, 0.5], "q": [0.2, 0.3, 0.5], "unit": "bits"},
        {"action": "caption", "text": "熵 = average surprise", "duration": 2.0},
        {"action": "animate", "target": "q", "to": [0.25, 0.25, 0.5], "duration": 1.0},
        {"action": "drag", "target": "p", "index": 2, "to": 0.1},
        {"action": "hold", "duration": 0.5},
        fps=10), "x.json")
    assert [a.kind for a in sc.actions] == ["layout", "state", "caption", "animate", "drag", "hold"]
    assert sc.actions[0].params == {"docks": ["pEditorDock", "qEditorDock"], "size": (800, 500)}
    assert sc.fps == 10
    t = tl.build_timeline(sc.actions, sc.fps)
    starts = [(s.kind, s.start, s.end) for s in t.segments]
    # the caption does not block: animate starts with it; drag (default 1.5 s) follows animate
    assert starts == [("layout", 0, 0), ("state", 0, 0), ("caption", 0, 20), ("animate", 0, 10),
                      ("drag", 10, 25), ("hold", 25, 30)]
    assert t.n_frames == 30 and t.duration == pytest.approx(3.0)


def test_at_places_an_action_and_blocking_caption_waits():
    sc = validate_scenario(_sc(
        {"action": "caption", "text": "a", "duration": 1.0, "block": True},
        {"action": "caption", "text": "b", "duration": 0.5, "at": 0.25},
        {"action": "wait", "duration": 0.5}), "x.json")
    t = tl.build_timeline(sc.actions, 20)
    assert [(s.start, s.end) for s in t.segments] == [(0, 20), (5, 15), (20, 30)]


def test_frame_boundaries_snap_without_float_drift():
    # 0.1 + 0.2 != 0.3 in floating point; the boundary must still be frame 3 at 10 fps
    sc = validate_scenario(_sc({"action": "wait", "duration": 0.1}, {"action": "wait", "duration": 0.2},
                               {"action": "z_marker", "to": 1.0, "duration": 0.1}), "x.json")
    t = tl.build_timeline(sc.actions, 10)
    assert [s.start for s in t.segments] == [0, 1, 3]
    assert t.n_frames == 4


@pytest.mark.parametrize("name", sorted(tl.EASINGS))
def test_easings_are_monotone_maps_of_the_unit_interval(name):
    us = [i / 200 for i in range(201)]
    vs = [tl.ease(name, u) for u in us]
    assert vs[0] == 0.0 and vs[-1] == 1.0
    assert all(b >= a - 1e-15 for a, b in zip(vs, vs[1:]))
    assert tl.ease(name, -0.5) == 0.0 and tl.ease(name, 1.5) == 1.0


def test_symmetric_easings_and_reference_formulas():
    for u in (0.1, 0.25, 0.4, 0.5):
        assert tl.ease("ease_in_out", u) + tl.ease("ease_in_out", 1 - u) == pytest.approx(1.0)
        assert tl.ease("smoothstep", u) == pytest.approx(3 * u ** 2 - 2 * u ** 3)
        assert tl.ease("ease_in", u) == pytest.approx(u ** 3)
        assert tl.ease("ease_out", u) == pytest.approx(1 - (1 - u) ** 3)


def test_segment_progress_is_exact_frame_arithmetic():
    seg = tl.Segment(0, "animate", {"easing": "linear"}, start=10, end=20)
    assert seg.phase(9) == "pending" and seg.phase(10) == "active" and seg.phase(20) == "done"
    assert [seg.progress(k) for k in (10, 15, 19, 20, 25)] == [0.0, 0.5, 0.9, 1.0, 1.0]


def test_fade_alpha_ramps_in_and_out():
    alphas = [tl.fade_alpha(k, 10, 30, 10, 0.5, 0.5) for k in range(8, 33)]
    assert alphas[0] == alphas[1] == 0.0 and alphas[-1] == alphas[-2] == alphas[-3] == 0.0
    assert max(alphas) == 1.0
    peak = alphas.index(1.0)
    assert all(b >= a for a, b in zip(alphas[:peak], alphas[1:peak + 1]))


# ------------------------------------------------------------------ error messages
BAD = [
    ("unknown action", _sc({"action": "wait", "duration": 1}, {"action": "jump", "to": 1}),
     "actions[1]", "unknown action \"jump\""),
    ("wrong type", _sc({"action": "wait", "duration": "long"}),
     "actions[0] (wait) duration", "expected a number"),
    ("out of range", _sc({"action": "state", "p": [0.5, 0.5, 0.0]},
                         {"action": "drag", "target": "q", "index": 1, "to": 1.5}),
     "actions[1] (drag) to", "1.5 is outside [0, 1]"),
    ("missing key", _sc({"action": "animate", "target": "p", "duration": 1}),
     "actions[0] (animate)", "missing required key 'to'"),
    ("unknown key", _sc({"action": "caption", "text": "hi", "duration": 1, "colour": "red"}),
     "actions[0] (caption) colour", "unknown key"),
    ("bad bar", _sc({"action": "drag", "target": "p", "index": 3, "to": 0.5}),
     "actions[0] (drag) index", "3 is not a bar of p (bars 0..2)"),
    ("bad sum", _sc({"action": "animate", "target": "q", "to": [0.5, 0.6, 0.1], "duration": 1}),
     "actions[0] (animate) to", "must sum to 1"),
    ("length follows state", _sc({"action": "state", "p": [0.5, 0.5], "q": [0.5, 0.5]},
                                 {"action": "animate", "target": "p", "to": [0.2, 0.3, 0.5],
                                  "duration": 1}),
     "actions[1] (animate) to", "expected 2 values"),
    ("hidden dock", _sc({"action": "layout", "docks": ["q", "readouts"]},
                        {"action": "drag", "target": "p", "index": 0, "to": 0.5}),
     "actions[1] (drag) target", "hides"),
    ("unknown dock", _sc({"action": "layout", "docks": ["p", "plots"]}),
     "actions[0] (layout) docks[1]", "unknown dock 'plots'"),
    ("train too long", _sc({"action": "train", "epochs": 500}),
     "actions[0] (train) epochs", "past the training length (300)"),
    ("not an object", _sc({"action": "wait", "duration": 1}, ["wait", 1]),
     "actions[1]", "expected an object"),
    ("missing action", _sc({"duration": 1}), "actions[0]", "missing required key 'action'"),
    ("bad version", {"version": 7, "actions": [{"action": "wait", "duration": 1}]},
     "version", "unsupported version 7"),
    ("no actions", {"version": 1}, "", "missing required key 'actions'"),
    ("fade too long", _sc({"action": "caption", "text": "x", "duration": 1, "fade": 0.8}),
     "actions[0] (caption) fade", "longer than the caption"),
]


@pytest.mark.parametrize("label,data,where,problem", BAD, ids=[b[0] for b in BAD])
def test_malformed_scenarios_name_file_action_and_problem(tmp_path, label, data, where, problem):
    path = _write(tmp_path, data, "my-demo.json")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    msg = str(info.value)
    assert msg.startswith("my-demo.json: ")
    assert where in msg and problem in msg, msg
    assert "\n" not in msg


def test_not_json_names_line(tmp_path):
    path = _write(tmp_path, '{"version": 1,\n "actions": [\n  {"action": "wait" "duration": 1}]}',
                  "broken.json")
    with pytest.raises(ScenarioError, match=r"^broken\.json: not valid JSON \(.* line 3"):
        load_scenario(path)


def test_nan_and_missing_file_are_reported(tmp_path):
    path = _write(tmp_path, '{"version": 1, "actions": [{"action": "wait", "duration": NaN}]}')
    with pytest.raises(ScenarioError, match="NaN is not allowed"):
        load_scenario(path)
    with pytest.raises(ScenarioError, match="cannot read file"):
        load_scenario(tmp_path / "nope.json")


def test_unknown_preset_is_caught_when_presets_are_known():
    data = _sc({"action": "state", "preset": "pc-power-of"})
    with pytest.raises(ScenarioError, match="unknown preset 'pc-power-of'"):
        validate_scenario(data, "x.json", presets={"pc-power-on": 3})
    # a preset with a known size sets N for later checks
    data = _sc({"action": "state", "preset": "sunrise"},
               {"action": "drag", "target": "p", "index": 2, "to": 0.5})
    with pytest.raises(ScenarioError, match="2 is not a bar of p"):
        validate_scenario(data, "x.json", presets={"sunrise": 2})


def test_bundled_demos_validate_and_are_short():
    from explorer.record.render import scenario_context
    from explorer.model import AppModel
    from explorer.ui.docks import DOCK_NAMES

    files = sorted(DEMOS.glob("*.json"))
    assert len(files) >= 5
    for f in files:
        sc = load_scenario(f, **scenario_context(AppModel(), DOCK_NAMES))
        t = tl.build_timeline(sc.actions, sc.fps)
        assert 3.0 <= t.duration <= 12.0, (f.name, t.duration)
        assert sc.title


# ------------------------------------------------------------------------------ hostile files (issue 14)
HOLD = '{"version": 1, "actions": [{"action": "hold", "duration": %s}]}'


@pytest.mark.parametrize("text,message", [
    (HOLD % ("1" + "0" * 399), "hostile.json: actions[0].duration: the number 1.000e+399 is too large (at most ±1e+15)"),
    (HOLD % ("9" * 5000), "hostile.json: actions[0].duration: the number 9.999e+4999 is too large (at most ±1e+15)"),
    (HOLD % "1e400", "hostile.json: actions[0].duration: the number 1e400 is too large (at most "
                     "±1e+15)"),
    (HOLD % "-Infinity", "hostile.json: actions[0].duration: -Infinity is not allowed (only "
                         "finite numbers)"),
    ('{"version": 1, "actions": ' + "[" * 100_000 + "]" * 100_000 + "}",
     "hostile.json: nested too deeply to be read"),
    ('{"version": 1, "actions": ' + '{"a": ' * 100_000 + "1" + "}" * 100_000 + "}",
     "hostile.json: nested too deeply to be read"),
    ('{"version": 1, "actions": ' + "[" * 50 + "]" * 50 + "}",
     "hostile.json: nested too deeply (at most 12 levels)"),
    ('{"version": 1, "actions": [{"action": "caption", "text": "a\\ud800b", "duration": 1}]}',
     "hostile.json: actions[0].text: the text holds an invalid character (a lone surrogate "
     "\\ud800); the file is not valid Unicode text"),
])
def test_hostile_files_get_one_clear_line_naming_the_field(tmp_path, text, message):
    path = _write(tmp_path, text, "hostile.json")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert str(info.value) == message
    assert info.value.fields["file"] == "hostile.json"


def test_huge_numbers_in_a_parsed_dict_are_refused_too():
    for value in (10**400, 2**1024, 10**5000):
        with pytest.raises(ScenarioError, match=r"^x\.json: actions\[0\]\.duration: the number "
                                                r"\S*e\+\d+ is too large"):
            validate_scenario(_sc({"action": "hold", "duration": value}), "x.json")
    with pytest.raises(ScenarioError, match=r"^x\.json: fps: the number"):
        validate_scenario(_sc({"action": "hold", "duration": 1}, fps=-10**400), "x.json")


def test_utf8_byte_order_mark_is_accepted_as_for_sessions(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(_sc({"action": "hold", "duration": 1},
                                                      title="BOM")).encode("utf-8"))
    sc = load_scenario(path)
    assert sc.title == "BOM" and [a.kind for a in sc.actions] == ["hold"]


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="needs FIFOs")
def test_fifo_is_refused_without_blocking(tmp_path):
    import os
    import threading
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    box = {}

    def run():
        try:
            load_scenario(fifo)
        except Exception as exc:          # noqa: BLE001 - handed to the test
            box["exc"] = exc
    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(10)
    blocked = t.is_alive()
    if blocked:                           # the old code: give the blocked open() its EOF
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    assert not blocked, "load_scenario blocked on a FIFO"
    assert str(box["exc"]) == ("pipe.json: not a regular file (a pipe, a device or a socket "
                               "cannot be opened)")


def test_file_level_refusals_are_shown_in_the_interface_language(tmp_path):
    from explorer import i18n
    path = _write(tmp_path, HOLD % ("1" + "0" * 399), "hostile.json")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    exc = info.value
    zh = i18n.load_catalog("zh")[exc.template].format(**exc.fields)
    assert zh.startswith("hostile.json：actions[0].duration：") and "1.000e+399" in zh


def test_sample_action_is_validated_and_documented():
    """Issue 17: scenarios drive the sampling panel with a deterministic 'sample' action."""
    from explorer.record.scenario import ScenarioError, validate_scenario
    ok = validate_scenario({"version": 1, "actions": [
        {"action": "sample", "events": 500, "duration": 2, "seed": 4}]})
    (a,) = ok.actions
    assert a.params == {"events": 500, "duration": 2.0, "reset": False, "easing": "linear", "seed": 4}
    for bad, where in (({"events": 0}, "events"), ({"events": 2_000_000}, "events"),
                       ({"events": 5, "seed": -1}, "seed"), ({"events": 5, "reset": "yes"}, "reset"),
                       ({"events": 5, "rate": 3}, "rate")):
        with pytest.raises(ScenarioError, match=where):
            validate_scenario({"version": 1, "actions": [{"action": "sample", **bad}]})
    readme = (ROOT / "resources" / "demos" / "README.md").read_text(encoding="utf-8")
    assert "| `sample` |" in readme
