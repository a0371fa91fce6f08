"""Linux desktop integration: the app-menu entry, its icons and the AppStream metainfo.

The files ship in ``resources/desktop/`` and ``resources/icons/``; :func:`install` copies them to
the current user's XDG data folder (``~/.local/share``), the way a distribution package would put
them in ``/usr/share``::

    applications/APP_ID.desktop              (Exec= rewritten to this installation's command)
    icons/hicolor/NxN/apps/APP_ID.png        (16 … 512 px) and scalable/apps/APP_ID.svg
    metainfo/APP_ID.metainfo.xml

Run it with ``cross-entropy-explorer --install-desktop`` (``--uninstall-desktop`` removes the
files).  No Qt is imported here.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from explorer import resources

APP_ID = "io.github.cross_entropy_explorer.CrossEntropyExplorer"
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
DESKTOP_FILE = f"{APP_ID}.desktop"
METAINFO_FILE = f"{APP_ID}.metainfo.xml"
SCRIPT = "cross-entropy-explorer"   # [project.scripts] in pyproject.toml


def png_icon_parts(size: int) -> tuple[str, ...]:
    """Where the size x size PNG lives inside the resources (and, after ``icons/``, in the
    user's icon theme)."""
    return ("icons", "hicolor", f"{size}x{size}", "apps", f"{APP_ID}.png")


def data_home() -> Path:
    """``$XDG_DATA_HOME``, else ``~/.local/share``."""
    value = os.environ.get("XDG_DATA_HOME", "")
    return Path(value) if os.path.isabs(value) else Path.home() / ".local" / "share"


def launch_command() -> list[str]:
    """An absolute command that starts this very installation (the menu entry must not depend on
    the desktop session's PATH): the standalone executable, the venv's (or pipx's)
    ``cross-entropy-explorer`` script, else ``python -m explorer``."""
    if getattr(sys, "frozen", False):
        return [str(Path(sys.executable).resolve())]
    script = Path(sys.executable).parent / SCRIPT
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    return [str(Path(sys.executable)), "-m", "explorer"]


def desktop_entry(command: list[str] | None = None) -> str:
    """The shipped .desktop text with ``Exec=`` (and ``TryExec=``) pointing at *command*."""
    command = command or launch_command()
    # quoting rule of the Exec key, then the string-escape rule of every key (a \\ becomes \\\\)
    exec_line = " ".join(_desktop_quote(c) for c in command).replace("\\", "\\\\")
    lines = []
    for line in resources.read_text("desktop", DESKTOP_FILE).splitlines():
        if line.startswith("Exec="):
            line = f"Exec={exec_line} %f"
        elif line.startswith("TryExec="):
            line = f"TryExec={command[0]}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def _desktop_quote(arg: str) -> str:
    """Quote one Exec argument as the Desktop Entry Specification asks."""
    if arg and not any(c in arg for c in " \t\n\"'\\><~|&;$*?#()`%"):
        return arg
    escaped = arg.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`").replace("$", "\\$")
    return f'"{escaped.replace("%", "%%")}"'


def planned_files(home: Path | None = None) -> dict[Path, str | tuple[str, ...]]:
    """Every file :func:`install` writes: target path → resource parts (or the entry's text)."""
    home = home or data_home()
    icons = home / "icons" / "hicolor"
    files: dict[Path, str | tuple[str, ...]] = {
        home / "applications" / DESKTOP_FILE: desktop_entry(),
        home / "metainfo" / METAINFO_FILE: ("desktop", METAINFO_FILE),
        icons / "scalable" / "apps" / f"{APP_ID}.svg": ("icons", "app.svg"),
    }
    for size in ICON_SIZES:
        files[icons / f"{size}x{size}" / "apps" / f"{APP_ID}.png"] = png_icon_parts(size)
    return files


def install(home: Path | None = None, refresh: bool = True) -> list[Path]:
    """Copy the menu entry, the icons and the metainfo into *home* (default :func:`data_home`);
    return the files written.  Existing copies are replaced."""
    written = []
    for target, source in planned_files(home).items():
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(source, str):
            target.write_text(source, encoding="utf-8")
        else:
            shutil.copyfile(resources.path(*source), target)
        written.append(target)
    if refresh:
        _refresh_caches(home or data_home())
    return written


def uninstall(home: Path | None = None, refresh: bool = True) -> list[Path]:
    """Remove what :func:`install` wrote; return the files removed."""
    removed = []
    for target in planned_files(home):
        if target.is_file():
            target.unlink()
            removed.append(target)
    if refresh:
        _refresh_caches(home or data_home())
    return removed


def _refresh_caches(home: Path) -> None:
    """Tell the desktop about the change where the tools exist (menus update without them too,
    only later).  Like xdg-icon-resource, refresh an icon cache only if there already is one."""
    commands = [["update-desktop-database", "-q", str(home / "applications")]]
    hicolor = home / "icons" / "hicolor"
    if (hicolor / "icon-theme.cache").is_file():
        commands.append(["gtk-update-icon-cache", "-q", "-t", "-f", str(hicolor)])
    for cmd in commands:
        if shutil.which(cmd[0]):
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
