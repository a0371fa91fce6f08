"""Command-line polish: global options on either side of the subcommand, --version,
--reset-settings, bundled demo names for `record`, and an honest screenshot size."""
import ast
import importlib.metadata
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from explorer import cli

ROOT = Path(__file__).resolve().parents[1]
ENV = dict(os.environ, QT_QPA_PLATFORM="offscreen")


def run(*args, cwd=ROOT, env=ENV, timeout=180):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)


@pytest.mark.parametrize("argv, command, rest", [
    ([], "gui", []),
    (["s.json", "--lang", "zh"], "gui", ["s.json", "--lang", "zh"]),
    (["--lang", "zh", "screenshot", "-o", "x.png"], "screenshot", ["--lang", "zh", "-o", "x.png"]),
    (["--theme", "dark", "--lang", "en", "record", "d.json", "-o", "o.gif"], "record",
     ["--theme", "dark", "--lang", "en", "d.json", "-o", "o.gif"]),
    (["--lang=zh", "bench", "--only", "drag"], "bench", ["--lang=zh", "--only", "drag"]),
    (["--reset-settings", "screenshot", "-o", "x.png"], "screenshot",
     ["--reset-settings", "-o", "x.png"]),
    # a session file that happens to be called like a value: still the GUI's argument
    (["--lang", "screenshot"], "gui", ["--lang", "screenshot"]),
    (["--", "record"], "gui", ["--", "record"]),
])
def test_split_command_finds_the_subcommand_behind_global_options(argv, command, rest):
    assert cli.split_command(argv) == (command, rest)


@pytest.mark.parametrize("before", [True, False])
def test_global_options_parse_the_same_on_either_side(before):
    parsers = cli.build_parsers()
    g = ["--lang", "zh", "--theme", "dark"]
    argv = g + ["screenshot", "-o", "x.png"] if before else ["screenshot", "-o", "x.png"] + g
    command, rest = cli.split_command(argv)
    args = parsers[command].parse_args(rest)
    assert (command, args.lang, args.theme, args.output) == ("screenshot", "zh", "dark", "x.png")


def _pixels(path):
    from PySide6.QtGui import QImage

    img = QImage(str(path)).convertToFormat(QImage.Format_RGB32)
    return np.frombuffer(img.constBits(), np.uint8, img.width() * img.height() * 4).reshape(
        img.height(), img.width(), 4)[..., :3].astype(int).copy()


def test_lang_and_theme_before_the_subcommand_take_effect(tmp_path, qapp):
    """The issue's failing command: `main.py --lang zh screenshot -o x.png`."""
    r = run("--lang", "zh", "--theme", "dark", "screenshot", "-o", str(tmp_path / "before.png"),
            "--size", "1280x800")
    assert r.returncode == 0, r.stderr
    r = run("screenshot", "-o", str(tmp_path / "after.png"), "--size", "1280x800", "--lang", "zh",
            "--theme", "dark")
    assert r.returncode == 0, r.stderr
    r = run("screenshot", "-o", str(tmp_path / "plain.png"), "--size", "1280x800", "--lang", "en")
    assert r.returncode == 0, r.stderr
    before, after, plain = (_pixels(tmp_path / f"{n}.png") for n in ("before", "after", "plain"))
    assert before.shape == after.shape == plain.shape == (800, 1280, 3)
    assert (before != after).any(axis=2).mean() < 0.002      # the same picture either way
    assert before.mean() < plain.mean() - 60                  # dark, not the light default
    # and Chinese: the menu bar's text differs from the English one (same dark theme here)
    r = run("--theme", "dark", "screenshot", "-o", str(tmp_path / "en_dark.png"), "--size",
            "1280x800", "--lang", "en")
    en_dark = _pixels(tmp_path / "en_dark.png")
    assert (before[:24] != en_dark[:24]).any(axis=2).mean() > 0.01


def test_version_everywhere_is_the_installed_version():
    want = f"Cross-Entropy Explorer {importlib.metadata.version('cross-entropy-explorer')}"
    for args in (["--version"], ["screenshot", "--version"], ["--lang", "zh", "record", "--version"],
                 ["bench", "--version"]):
        r = run(*args)
        assert (r.returncode, r.stdout.strip()) == (0, want), args


def test_an_option_a_subcommand_does_not_take_is_one_clear_line():
    r = run("--lang", "zh", "bench")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.strip() == "main.py bench: unrecognized arguments: --lang zh"
    r = run("--la", "zh", "screenshot", "-o", "x.png")   # no prefix guessing
    assert r.returncode == 2 and "unrecognized arguments" in r.stderr


_WRITE_SETTINGS = r"""
from explorer.app import get_app
from explorer.model import AppModel
from explorer.ui.main_window import MainWindow
app = get_app(headless=True)
w = MainWindow(AppModel())          # the default settings: the user's
w.prefs.set_theme("dark")
w.prefs.set_language("zh")
w.show(); app.processEvents()
w.save_layout()
print(w.settings.fileName())
print(sorted(w.settings.allKeys()))
"""

_READ_SETTINGS = r"""
from explorer.app import get_app
from explorer.model import AppModel
from explorer.ui import preferences, theme
from explorer.ui.main_window import MainWindow
app = get_app(headless=True)
w = MainWindow(AppModel())
print(theme.current().name, preferences.stored_language(w.settings), w.settings.allKeys())
"""


def test_reset_settings_forgets_layout_theme_and_language(tmp_path):
    env = dict(ENV, XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"),
               EXPLORER_NO_DIALOGS="1", LANG="en_US.UTF-8", LC_ALL="en_US.UTF-8")
    w = subprocess.run([sys.executable, "-c", _WRITE_SETTINGS], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=120)
    assert w.returncode == 0, w.stderr
    conf, keys = w.stdout.strip().splitlines()[-2:]
    assert Path(conf).is_relative_to(tmp_path / "config")
    assert {"ui/theme", "ui/language", "window/state", "window/geometry"} <= set(ast.literal_eval(keys))
    before = subprocess.run([sys.executable, "-c", _READ_SETTINGS], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert before.stdout.split()[:2] == ["dark", "zh"]

    r = run("--reset-settings", env=env)
    assert r.returncode == 0, r.stderr
    assert conf in r.stdout and f"removed {len(ast.literal_eval(keys))} saved value(s)" in r.stdout

    after = subprocess.run([sys.executable, "-c", _READ_SETTINGS], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=120)
    assert after.returncode == 0, after.stderr
    assert after.stdout.split() == ["light", "None", "[]"]


def test_record_takes_a_bundled_demo_name_from_any_folder(tmp_path):
    from PIL import Image

    r = run("--lang", "zh", "record", "01_entropy", "-o", "demo.gif", "--size", "640x400",
            "--fps", "2", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    with Image.open(tmp_path / "demo.gif") as gif:
        # 640x400 of content plus the band of the demo's top captions (issue 20)
        assert gif.size[0] == 640 and 400 < gif.size[1] < 400 + 160 and gif.n_frames > 2
    r = run("record", "01_entropy.json", "-o", "demo2.gif", "--size", "640x400", "--fps", "1",
            cwd=tmp_path)
    assert r.returncode == 0 and (tmp_path / "demo2.gif").is_file()


def test_record_of_an_unknown_name_is_one_clear_line(tmp_path):
    r = run("record", "no_such_demo", "-o", "x.gif", cwd=tmp_path)
    assert r.returncode == 2 and r.stderr.strip() == "main.py: cannot open no_such_demo: no such file"
    assert not (tmp_path / "x.gif").exists()


def test_a_local_file_wins_over_a_bundled_demo_of_the_same_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli._resolve_scenario("01_entropy").endswith(str(Path("demos") / "01_entropy.json"))
    (tmp_path / "01_entropy").write_text("{}")
    assert cli._resolve_scenario("01_entropy") == "01_entropy"
    assert cli._resolve_scenario("sub/01_entropy") == "sub/01_entropy"


def test_screenshot_reports_the_size_it_really_wrote(tmp_path):
    from PySide6.QtGui import QImage

    out = tmp_path / "small.png"
    r = run("screenshot", "-o", str(out), "--size", "640x400")
    assert r.returncode == 0, r.stderr
    img = QImage(str(out))
    assert (img.width(), img.height()) != (640, 400)        # the window has a minimum size
    assert f"wrote {out} ({img.width()}x{img.height()}; 640x400 is smaller" in r.stdout
