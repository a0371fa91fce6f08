"""``python main.py record`` through a real subprocess."""
import json
import os
import subprocess
import sys
from pathlib import Path

import imageio.v3 as iio
import numpy as np

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = {
    "version": 1, "title": "cli", "fps": 10,
    "actions": [
        {"action": "layout", "docks": ["sigmoid"]},
        {"action": "z_marker", "to": -4.0, "duration": 0.6},
        {"action": "caption", "text": "σ′(z) → 0", "duration": 0.4},
        {"action": "hold", "duration": 0.4},
    ],
}


def _run(*args, timeout=90):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "record", *map(str, args)],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=timeout)


def test_record_writes_gif_with_progress_lines(tmp_path):
    scenario = tmp_path / "s.json"
    scenario.write_text(json.dumps(SCENARIO), encoding="utf-8")
    out = tmp_path / "out.gif"
    proc = _run(scenario, "-o", out, "--size", "480x360", "--progress", "lines")
    assert proc.returncode == 0, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("frame ")]
    assert lines[0] == "frame 1/10" and lines[-1] == "frame 10/10" and len(lines) == 10
    frames = iio.imread(out, index=None)
    # the 480x360 window, and below it a band of its own for the (bottom) caption
    n, h, w, _ = frames.shape
    assert (n, w) == (10, 480) and 360 + 30 < h < 360 + 120
    assert f"wrote {out} (10 frames, 480x{h}, 10 fps" in proc.stdout
    assert (frames[0, :360] != frames[5, :360]).any()          # the marker moved
    band = frames[:, 362:].astype(int)
    assert np.ptp(band[:6].reshape(-1, 3), axis=0).max() == 0  # empty band before the caption
    assert (band[8].max(axis=2) < 100).mean() > 0.05           # the dark caption box in it


def test_record_errors_are_one_line_exit_2_and_write_nothing(tmp_path):
    bad = dict(SCENARIO, actions=[{"action": "layout", "docks": ["sigmoid"]},
                                  {"action": "z_marker", "to": "left"}])
    scenario = tmp_path / "bad.json"
    scenario.write_text(json.dumps(bad), encoding="utf-8")
    proc = _run(scenario, "-o", tmp_path / "out.mp4")
    assert proc.returncode == 2
    assert proc.stderr.strip() == ("main.py record: bad.json: actions[1] (z_marker) to: "
                                   "expected a number, got text \"left\"")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("x")
    good = tmp_path / "good.json"
    good.write_text(json.dumps(SCENARIO), encoding="utf-8")
    for args, msg in ((["-o", tmp_path / "full"], "folder is not empty"),
                      (["-o", tmp_path / "x.webm"], "unsupported output type"),
                      (["-o", tmp_path / "x.gif", "--fps", "0"], "fps 0 is out of range"),
                      (["-o", tmp_path / "x.gif", "--scale", "3"], "invalid choice")):
        proc = _run(good, *args)
        assert proc.returncode == 2, proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1 and msg in proc.stderr, proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json", "full", "good.json"]
    assert [p.name for p in (tmp_path / "full").iterdir()] == ["keep.txt"]


def test_record_theme_and_language_flags(tmp_path):
    scenario = tmp_path / "s.json"
    scenario.write_text(json.dumps(dict(SCENARIO, actions=SCENARIO["actions"][:2])), encoding="utf-8")
    frames = {}
    for name, flags in (("light-en", []), ("dark-en", ["--theme", "dark"]),
                        ("light-zh", ["--lang", "zh"])):
        out = tmp_path / name
        proc = _run(scenario, "-o", out, "--size", "480x360", "--progress", "none", *flags)
        assert proc.returncode == 0, proc.stderr
        frames[name] = iio.imread(sorted(out.iterdir())[0]).astype(int)
    # the dark theme: a much darker picture; the language: other texts (and so layout)
    assert frames["dark-en"].mean() < frames["light-en"].mean() - 60
    diff = np.any(frames["light-zh"] != frames["light-en"], axis=2)
    assert diff.mean() > 0.01
    proc = _run(scenario, "-o", tmp_path / "x.gif", "--theme", "blue")
    assert proc.returncode == 2 and "invalid choice" in proc.stderr


def test_hostile_scenario_files_give_one_line_and_no_traceback(tmp_path):
    """Issue 14 item 6: a 400-digit hold, 100 000-deep nesting, a lone surrogate; a BOM is fine."""
    hold = '{"version": 1, "actions": [{"action": "hold", "duration": %s}]}'
    cases = {
        "digits.json": (hold % ("4" * 400), "main.py record: digits.json: actions[0].duration: "
                                            "the number 4.444e+399 is too large (at most ±1e+15)"),
        "deep.json": ('{"version": 1, "actions": ' + "[" * 100_000 + "]" * 100_000 + "}",
                      "main.py record: deep.json: nested too deeply to be read"),
        "text.json": ('{"version": 1, "title": "\\udc00", "actions": [{"action": "hold", '
                      '"duration": 1}]}', "main.py record: text.json: title: the text holds an "
                                          "invalid character (a lone surrogate \\udc00); the "
                                          "file is not valid Unicode text"),
    }
    for name, (text, message) in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        proc = _run(path, "-o", tmp_path / "out.gif")
        assert proc.returncode == 2, (name, proc.stderr)
        assert proc.stderr.strip() == message
        assert "Traceback" not in proc.stderr
    bom = tmp_path / "bom.json"
    bom.write_bytes(b"\xef\xbb\xbf" + json.dumps(
        dict(SCENARIO, actions=SCENARIO["actions"][:2])).encode("utf-8"))
    proc = _run(bom, "-o", tmp_path / "bom", "--size", "480x360", "--progress", "none")
    assert proc.returncode == 0, proc.stderr
    assert not (tmp_path / "out.gif").exists()


def test_frames_beyond_7680x4320_are_refused_in_one_line(tmp_path):
    scenario = tmp_path / "big.json"
    scenario.write_text(json.dumps({"version": 1, "size": [3840, 2160],
                                    "actions": [{"action": "hold", "duration": 0.1}]}))
    proc = _run(scenario, "-o", tmp_path / "out", "--size", "7680x4320", "--scale", "2")
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip() == ("main.py record: size: 7680×4320 at scale 2 makes frames of "
                                   "15360×8640 pixels; at most 7680×4320 (for example 3840×2160 "
                                   "at scale 2)")
    assert not (tmp_path / "out").exists()
