"""Sessions from the command line: ``screenshot --session`` reads every file version (and its
layout), a broken session exits 2 with one line naming the field; the historical import path
``explorer.session.read_session_file`` still hands ``from_dict`` a model dict."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "sessions"


def run(*args):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], cwd=str(ROOT), env=env,
                          capture_output=True, text=True, timeout=120)


def test_screenshot_with_an_old_session_in_the_dark_theme(tmp_path):
    from PySide6.QtGui import QImage
    out = tmp_path / "shot.png"
    r = run("screenshot", "-o", str(out), "--size", "1280x800", "--session", str(DATA / "v1.json"),
            "--theme", "dark")
    assert r.returncode == 0, r.stderr
    img = QImage(str(out))
    assert img.width() >= 1280
    corner = img.pixelColor(img.width() // 2, img.height() - 5)     # status bar: window colour
    assert corner.lightness() < 80


def test_broken_session_exits_2_naming_the_field(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"version": 2, "model": {"version": 1, "p": [0.5, 0.5], "q": [0.5, 0.5], '
                   '"temperature": "hot"}}')
    r = run("screenshot", "-o", str(tmp_path / "x.png"), "--session", str(bad))
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "bad.json: temperature: expected a number" in lines[0], r.stderr


@pytest.mark.parametrize("name", ["v1.json", "v2.json"])
def test_read_session_file_gives_from_dict_a_model_dict(name):
    from explorer import session as S
    from explorer.model import AppModel
    from explorer.session import read_session_file
    model = AppModel()
    model.from_dict(read_session_file(DATA / name))
    assert model.to_dict() != AppModel().to_dict()
