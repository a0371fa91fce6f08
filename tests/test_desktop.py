"""Desktop integration: the .desktop entry, the AppStream metainfo and the hicolor icons are
valid, and --install-desktop / --uninstall-desktop put them in (and take them out of) the user's
XDG data folder."""
import importlib.metadata
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from explorer import desktop

ROOT = Path(__file__).resolve().parents[1]
DESKTOP = ROOT / "resources" / "desktop" / f"{desktop.APP_ID}.desktop"
METAINFO = ROOT / "resources" / "desktop" / f"{desktop.APP_ID}.metainfo.xml"
needs_dfv = pytest.mark.skipif(not shutil.which("desktop-file-validate"),
                               reason="apt-get install desktop-file-utils (.ci/run does)")
needs_appstream = pytest.mark.skipif(not shutil.which("appstreamcli"),
                                     reason="apt-get install appstream (.ci/run does)")


def entry_keys(text: str) -> dict[str, str]:
    keys = {}
    for line in text.splitlines():
        if "=" in line and not line.startswith("#"):
            k, v = line.split("=", 1)
            keys[k] = v
    return keys


@needs_dfv
def test_shipped_desktop_entry_is_valid():
    r = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "error" not in r.stdout


def test_desktop_entry_names_the_app_its_icon_and_categories():
    keys = entry_keys(DESKTOP.read_text(encoding="utf-8"))
    assert keys["Type"] == "Application" and keys["Name"] == "Cross-Entropy Explorer"
    assert keys["Icon"] == desktop.APP_ID
    assert keys["Exec"] == "cross-entropy-explorer %f"
    assert {"Education", "Science"} <= set(keys["Categories"].strip(";").split(";"))
    scripts = importlib.metadata.entry_points(group="console_scripts")
    assert "cross-entropy-explorer" in {e.name for e in scripts}


@needs_appstream
def test_metainfo_validates_strictly():
    r = subprocess.run(["appstreamcli", "validate", "--no-net", "--strict", str(METAINFO)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_metainfo_has_what_software_centres_show():
    root = ET.parse(METAINFO).getroot()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == desktop.APP_ID
    assert root.findtext("name") == "Cross-Entropy Explorer" and root.findtext("summary")
    assert len(root.find("description")) >= 2
    assert root.find("launchable").get("type") == "desktop-id"
    assert root.findtext("launchable") == DESKTOP.name
    assert {c.text for c in root.find("categories")} >= {"Education", "Science"}
    shots = root.find("screenshots")
    assert len(shots) >= 2 and shots[0].get("type") == "default"
    for shot, doc in zip(shots, ("screenshot.png", "screenshot-zh.png")):
        assert shot.findtext("image").endswith("/docs/" + doc) and (ROOT / "docs" / doc).is_file()
    releases = root.find("releases")
    assert releases[0].get("version") == importlib.metadata.version("cross-entropy-explorer"), \
        "add a <release> for the new version to the metainfo"
    assert root.find("provides").findtext("binary") == "cross-entropy-explorer"


def _render_svg(size):
    """app.svg rendered here with QSvgRenderer (the reference for the committed PNGs)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    img = QImage(size, size, QImage.Format_ARGB32)
    img.fill(Qt.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.Antialiasing)
    QSvgRenderer(str(ROOT / "resources" / "icons" / "app.svg")).render(p)
    p.end()
    return img


def test_hicolor_pngs_have_every_size_and_match_the_svg(qapp):
    import numpy as np
    from PySide6.QtGui import QImage

    for size in (16, 22, 24, 32, 48, 64, 128, 256, 512):
        path = ROOT / "resources" / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{desktop.APP_ID}.png"
        img = QImage(str(path)).convertToFormat(QImage.Format_ARGB32)
        assert (img.width(), img.height()) == (size, size), path
        ref = _render_svg(size)
        a = np.frombuffer(img.constBits(), np.uint8, size * size * 4).astype(int).copy()
        b = np.frombuffer(ref.constBits(), np.uint8, size * size * 4).astype(int).copy()
        # same picture (a different Qt may anti-alias a little differently), transparent corner
        assert np.abs(a - b).mean() < 2.0, f"{path} is stale: run python tools/make_icons.py"
        assert img.pixelColor(0, 0).alpha() < 32   # outside the rounded square: see-through


def test_exec_argument_quoting_follows_the_desktop_entry_spec():
    assert desktop._desktop_quote("/usr/bin/app") == "/usr/bin/app"
    assert desktop._desktop_quote("/opt/my apps/x") == '"/opt/my apps/x"'
    assert desktop._desktop_quote('/a"b$c`d') == '"/a\\"b\\$c\\`d"'
    assert desktop._desktop_quote("/100%/x") == '"/100%%/x"'
    text = desktop.desktop_entry(["/opt/my apps/bin/cross-entropy-explorer"])
    keys = entry_keys(text)
    assert keys["Exec"] == '"/opt/my apps/bin/cross-entropy-explorer" %f'
    assert keys["TryExec"] == "/opt/my apps/bin/cross-entropy-explorer"


@needs_dfv
def test_entry_with_a_quoted_path_is_still_valid(tmp_path):
    f = tmp_path / DESKTOP.name
    f.write_text(desktop.desktop_entry(["/opt/my apps/python", "-m", "explorer"]))
    r = subprocess.run(["desktop-file-validate", str(f)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout


def test_launch_command_is_this_installation():
    cmd = desktop.launch_command()
    assert Path(cmd[0]).is_absolute() and os.access(cmd[0], os.X_OK)
    if len(cmd) == 1:   # the console script of this venv
        assert Path(cmd[0]).parent == Path(sys.executable).parent
    else:
        assert cmd[1:] == ["-m", "explorer"]


def run_main(*args, env):
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_install_and_uninstall_desktop_for_the_current_user(tmp_path):
    home = tmp_path / "share"
    env = dict(os.environ, XDG_DATA_HOME=str(home))
    r = run_main("--install-desktop", env=env)
    assert r.returncode == 0, r.stderr
    entry = home / "applications" / DESKTOP.name
    keys = entry_keys(entry.read_text(encoding="utf-8"))
    exe = keys["Exec"].rsplit(" %f", 1)[0].split()[0]
    assert Path(exe).is_absolute() and os.access(exe, os.X_OK)
    assert (home / "metainfo" / METAINFO.name).read_bytes() == METAINFO.read_bytes()
    assert (home / "icons/hicolor/scalable/apps" / f"{desktop.APP_ID}.svg").read_bytes() == \
        (ROOT / "resources/icons/app.svg").read_bytes()
    pngs = sorted((home / "icons" / "hicolor").glob(f"*/apps/{desktop.APP_ID}.png"))
    assert len(pngs) == 9
    if shutil.which("desktop-file-validate"):
        assert subprocess.run(["desktop-file-validate", str(entry)]).returncode == 0
    if shutil.which("appstreamcli"):   # the installed tree: metainfo + its launchable entry
        tree = tmp_path / "tree"
        (tree / "usr").mkdir(parents=True)
        (tree / "usr" / "share").symlink_to(home)
        r2 = subprocess.run(["appstreamcli", "validate-tree", "--no-net", str(tree)],
                            capture_output=True, text=True)
        assert r2.returncode == 0, r2.stdout + r2.stderr
    # installing again replaces, uninstall removes every file it wrote
    assert run_main("--install-desktop", env=env).returncode == 0
    r = run_main("--uninstall-desktop", env=env)
    assert r.returncode == 0 and "removed 12 file(s)" in r.stdout
    assert not entry.exists() and not list((home / "icons").rglob(f"{desktop.APP_ID}.*"))
    assert not (home / "metainfo" / METAINFO.name).exists()


def test_install_desktop_into_an_unwritable_folder_is_one_clear_line(tmp_path):
    blocker = tmp_path / "share"
    blocker.write_text("a file where the data folder should be")
    r = run_main("--install-desktop", env=dict(os.environ, XDG_DATA_HOME=str(blocker)))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.count("\n") == 1 and "cannot install the desktop entry" in r.stderr
