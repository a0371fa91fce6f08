"""Entry points: --help, --version, screenshot, bench, and one-line errors without tracebacks."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ENV = dict(os.environ, QT_QPA_PLATFORM="offscreen")


def run(*args, timeout=120):
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, env=ENV,
                          capture_output=True, text=True, timeout=timeout)


def test_help_and_version():
    r = run("--help")
    assert r.returncode == 0 and "screenshot" in r.stdout
    r = run("--version")
    assert r.returncode == 0 and "Cross-Entropy Explorer" in r.stdout
    r = subprocess.run([sys.executable, "-m", "explorer", "--version"], cwd=ROOT, env=ENV,
                       capture_output=True, text=True)
    assert r.returncode == 0 and "Cross-Entropy Explorer" in r.stdout


@pytest.mark.parametrize("args, needle", [
    (("--bogus",), "unrecognized"),
    (("screenshot",), "required"),
    (("screenshot", "-o", "x.png", "--size", "big"), "size"),
    (("missing-session.json",), "no such file"),
    (("screenshot", "-o", "/nonexistent-dir/x.png"), "does not exist"),
])
def test_bad_arguments_one_line_no_traceback(args, needle):
    r = run(*args)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    lines = [ln for ln in r.stderr.strip().splitlines() if ln.strip()]
    assert len(lines) == 1 and needle in lines[0]


def test_corrupt_session_one_line(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{ not json")
    r = run("screenshot", "-o", str(tmp_path / "x.png"), "--session", str(bad))
    assert r.returncode == 2 and "Traceback" not in r.stderr and "not valid JSON" in r.stderr
    assert not (tmp_path / "x.png").exists()


def test_screenshot_renders_window(tmp_path):
    out = tmp_path / "shot.png"
    r = run("screenshot", "-o", str(out), "--size", "1280x800")
    assert r.returncode == 0, r.stderr
    from PySide6.QtGui import QImage
    img = QImage(str(out))
    assert (img.width(), img.height()) == (1280, 800)
    # not a blank image: many distinct colours (bars, curves, text)
    colours = {img.pixel(x, y) for x in range(0, 1280, 7) for y in range(0, 800, 7)}
    assert len(colours) > 20


def test_bench_prints_table_and_json(tmp_path):
    out = tmp_path / "b.json"
    r = run("bench", "--json", str(out), "--repeat", "3", "--only", "train")
    assert r.returncode == 0, r.stderr
    assert "train_neuron 300 epochs" in r.stdout and "median" in r.stdout
    data = json.loads(out.read_text())
    row = next(x for x in data["rows"] if x["name"].startswith("train_neuron"))
    assert len(row["samples"]) == 3 and row["median"] > 0
