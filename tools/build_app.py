#!/usr/bin/env python3
"""Build the standalone app: a folder that runs on a Linux machine with no Python at all.

    python tools/build_app.py                 # → dist/cross-entropy-explorer/cross-entropy-explorer
    python tools/build_app.py --check         # … then run every command from it, headless
    python tools/build_app.py --archive       # … and pack dist/cross-entropy-explorer-VERSION-linux-ARCH.tar.gz
    python tools/build_app.py --measure       # … and time it against `python main.py`

How: the wheel is built from a clean copy of the checkout and installed, with PyInstaller, into
a build venv (build/app-venv, reused between builds); PyInstaller then freezes a two-line entry
script against that installed copy, so the bundle holds exactly what the wheel holds (the
resources come in as the package explorer._resources).  PyInstaller rather than pyside6-deploy
(Nuitka), by measurement on the 2-core machine CI uses: PyInstaller freezes in 0.5-1.5 min
(399 MB); pyside6-deploy compiled 690 C files for 86 minutes into a 431 MB folder.  The frozen
window appears as fast as `python main.py`'s (2.1 s vs 2.3 s to the window under Xvfb).

The folder is about 400 MB, 165 MB of which is the ffmpeg that imageio-ffmpeg ships for MP4
recording.  It needs a glibc at least as new as the build machine's; build on the oldest
distribution you want to support.  Students start it with
``./cross-entropy-explorer/cross-entropy-explorer``; ``… --install-desktop`` adds it to their
application menu.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools import check_install  # noqa: E402

NAME = "cross-entropy-explorer"
PYINSTALLER = "pyinstaller>=6.10"
ENTRY = """\
import sys

from explorer.cli import main

if __name__ == "__main__":
    sys.exit(main())
"""


def log(text: str) -> None:
    print(text, flush=True)


def build_venv(venv: Path, wheel: Path, python: str) -> Path:
    """A venv holding PyInstaller and the freshly built wheel (dependencies stay installed
    between builds; the app itself is reinstalled every time)."""
    py = venv / "bin" / "python"

    def pip(*args):
        r = subprocess.run([str(py), "-m", "pip", "install", "-q", *args], capture_output=True,
                           text=True)
        if r.returncode != 0:
            raise SystemExit(f"pip install {' '.join(args)} failed:\n{r.stdout}\n{r.stderr}")

    if not py.exists():
        subprocess.run([python, "-m", "venv", str(venv)], check=True)
        pip(PYINSTALLER)
    pip("--force-reinstall", "--no-deps", str(wheel))
    pip(str(wheel))   # and its dependencies, the first time
    return py


def freeze(py: Path, work: Path, dist: Path) -> Path:
    """Run PyInstaller; return the executable."""
    entry = work / "entry" / "cross_entropy_explorer.py"
    entry.parent.mkdir(parents=True, exist_ok=True)
    entry.write_text(ENTRY)
    cmd = [str(py), "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
           "--name", NAME, "--distpath", str(dist), "--workpath", str(work / "pyinstaller"),
           "--specpath", str(work / "pyinstaller"),
           # the CLI imports its subcommands lazily and the resources by name: take them all
           "--collect-submodules", "explorer", "--collect-data", "explorer",
           "--exclude-module", "tkinter",
           str(entry)]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    t0 = time.perf_counter()
    r = subprocess.run(cmd, cwd=work, env=env, capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"PyInstaller failed:\n{r.stdout}\n{r.stderr}")
    exe = dist / NAME / NAME
    log(f"  PyInstaller: {time.perf_counter() - t0:.0f} s")
    return exe


def folder_size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink())


def archive(folder: Path, version: str) -> Path:
    out = folder.parent / f"{NAME}-{version}-linux-{platform.machine()}.tar.gz"
    with tarfile.open(out, "w:gz", compresslevel=6) as tar:
        tar.add(folder, arcname=folder.name)
    return out


def _median_time(cmd: list[str], cwd: Path, env: dict, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def measure(exe: Path, repeat: int = 5) -> None:
    """Median wall time of `--version` (process start and imports) and of a headless
    `screenshot` (start-up, building every dock, a fixed 600 ms settle, the PNG), for the
    standalone app and for `python main.py` in the developer's venv."""
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp)
        env = check_install.scrubbed_env(home=cwd / "home")
        dev_env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        dev = [sys.executable, str(ROOT / "main.py")]
        rows = []
        for label, args in (("--version", ["--version"]),
                            ("screenshot 1280x800", ["screenshot", "-o", "s.png", "--size", "1280x800"])):
            app_t = _median_time([str(exe), *args], cwd, env, repeat)
            dev_t = _median_time(dev + args, cwd, dev_env, repeat)
            rows.append((label, app_t, dev_t))
        log(f"  start-up, median of {repeat} (standalone vs python main.py):")
        for label, app_t, dev_t in rows:
            log(f"    {label:<20} {app_t:6.2f} s   vs {dev_t:6.2f} s   ({app_t / dev_t:.2f}x)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder (default dist/)")
    ap.add_argument("--venv", type=Path, default=ROOT / "build" / "app-venv",
                    help="build venv, reused between builds (default build/app-venv)")
    ap.add_argument("--python", default=getattr(sys, "_base_executable", sys.executable),
                    help="Python for the build venv (default: this one's base interpreter)")
    ap.add_argument("--check", action="store_true",
                    help="run every command of the built app headless, outside the checkout")
    ap.add_argument("--archive", action="store_true", help="also write a .tar.gz of the folder")
    ap.add_argument("--measure", action="store_true",
                    help="time start-up against python main.py (5 runs each)")
    args = ap.parse_args(argv)
    from explorer import __version__

    t_all = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="explorer-app-build-") as tmp:
        work = Path(tmp)
        log("== wheel from a clean copy of the checkout")
        src = check_install.clean_copy(work / "src")
        wheel = check_install.build_wheel(src, work / "wheel", args.python)
        problems = check_install.wheel_problems(wheel, check_install.source_files())
        if problems:
            raise SystemExit("\n".join(problems))
        log(f"== build venv {args.venv}")
        t0 = time.perf_counter()
        py = build_venv(args.venv, wheel, args.python)
        log(f"  ready ({time.perf_counter() - t0:.0f} s)")
        log("== PyInstaller")
        target = args.dist / NAME
        if target.exists():
            shutil.rmtree(target)
        exe = freeze(py, work, args.dist)
    if not exe.is_file():
        raise SystemExit(f"PyInstaller wrote no {exe}")
    size = folder_size(exe.parent)
    log(f"== built {exe} ({size / 2**20:.0f} MB, {time.perf_counter() - t_all:.0f} s in all)")
    if args.archive:
        out = archive(exe.parent, __version__)
        log(f"== archive {out} ({out.stat().st_size / 2**20:.0f} MB)")
    if args.check:
        if check_install.main(["--no-wheel", "--app", str(exe)]) != 0:
            return 1
    if args.measure:
        measure(exe)
    return 0


if __name__ == "__main__":
    sys.exit(main())
