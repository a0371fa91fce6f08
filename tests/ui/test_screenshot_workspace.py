"""``screenshot --workspace NAME`` (issue 15): the README's pictures of each workspace."""
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]
ENV = dict(os.environ, QT_QPA_PLATFORM="offscreen")


def run(*args):
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, env=ENV,
                          capture_output=True, text=True, timeout=120)


def test_screenshot_of_a_workspace_and_its_zoom(tmp_path):
    out = tmp_path / "ce.png"
    r = run("screenshot", "-o", str(out), "--workspace", "ce_vs_mse", "--size", "1280x800")
    assert r.returncode == 0, r.stderr
    assert QImage(str(out)).size().toTuple() == (1280, 800)
    zoomed = tmp_path / "ce-150.png"
    r = run("screenshot", "-o", str(zoomed), "--workspace", "ce_vs_mse", "--size", "1280x800",
            "--zoom", "150")
    assert r.returncode == 0, r.stderr
    assert QImage(str(zoomed)) != QImage(str(out))


def test_screenshot_refuses_an_unknown_workspace_or_zoom(tmp_path):
    r = run("screenshot", "-o", str(tmp_path / "x.png"), "--workspace", "kitchen")
    assert r.returncode == 2 and "invalid choice: 'kitchen'" in r.stderr
    assert "Traceback" not in r.stderr
    r = run("screenshot", "-o", str(tmp_path / "x.png"), "--zoom", "400")
    assert r.returncode == 2 and "zoom 400 is out of range (75 to 250)" in r.stderr
    assert not (tmp_path / "x.png").exists()
