#!/usr/bin/env python3
"""Install the app as a user would and run every command from a folder outside the checkout.

    python tools/check_install.py                  # wheel → fresh venv → commands
    python tools/check_install.py --pipx           # the same through `pipx install`
    python tools/check_install.py --app dist/cross-entropy-explorer/cross-entropy-explorer
                                                   # a standalone build (tools/build_app.py)

The wheel is built from a clean copy of the checkout (the files git tracks or would add, so no
build/, .venv or stale egg-info can hide a packaging mistake), its contents are checked (every
resource, every module, nothing from tests/), then it is installed into a new venv in a temporary
folder and, from another temporary folder with a scrubbed environment (no PYTHONPATH, no venv on
PATH), the installed command runs ``--version``, ``screenshot`` in English and ``--lang zh``,
``record`` of a bundled demo, and ``--install-desktop``.  Any failure, any "Cannot open file" or
missing-file warning, or an output that is not what was asked for exits non-zero.  `.ci/run` runs
it; so does the slow test in tests/test_packaging.py.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST_NAME = "cross-entropy-explorer"
SCRIPT = "cross-entropy-explorer"
# warnings that mean a data file was not found (Qt's QIcon/QFile, Python's open)
MISSING_MARKERS = ("Cannot open file", "No such file", "FileNotFoundError", "Traceback",
                   "could not find", "not found")


class CheckFailed(Exception):
    pass


# --- building and inspecting the wheel --------------------------------------------------------

def source_files(root: Path = ROOT) -> list[str]:
    """What a clean clone would hold: tracked files plus new files that are not ignored."""
    out = subprocess.run(["git", "-C", str(root), "ls-files", "-z", "--cached", "--others",
                          "--exclude-standard"], check=True, capture_output=True).stdout
    names = sorted({n for n in out.decode().split("\0") if n})
    return [n for n in names if (root / n).is_file()]   # not files deleted in the work tree


def clean_copy(dest: Path, root: Path = ROOT) -> Path:
    """Copy :func:`source_files` into *dest* (created) and return it."""
    for name in source_files(root):
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / name, target)
    return dest


def build_wheel(src: Path, dist: Path, python: str = sys.executable) -> Path:
    """``pip wheel`` *src* (with build isolation, as any user's pip does) into *dist*."""
    dist.mkdir(parents=True, exist_ok=True)
    r = subprocess.run([python, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), str(src)],
                       capture_output=True, text=True)
    wheels = sorted(dist.glob("cross_entropy_explorer-*.whl"))
    if r.returncode != 0 or not wheels:
        raise CheckFailed(f"building the wheel failed:\n{r.stdout}\n{r.stderr}")
    return wheels[-1]


def expected_wheel_files(names: list[str]) -> set[str]:
    """Every module of the package and every resource file among the source file *names*, at
    their installed paths."""
    want = set()
    for n in names:
        if n.startswith("explorer/") and n.endswith(".py"):
            want.add(n)
        elif n.startswith("resources/"):
            want.add("explorer/_resources/" + n[len("resources/"):])
    return want


def wheel_problems(wheel: Path, names: list[str]) -> list[str]:
    """What is wrong with *wheel* built from the source files *names*: missing modules or
    resources, test files, anything outside the ``explorer`` package and its dist-info."""
    with zipfile.ZipFile(wheel) as z:
        have = set(z.namelist())
    problems = [f"missing from the wheel: {n}" for n in sorted(expected_wheel_files(names) - have)]
    for n in sorted(have):
        top = n.split("/", 1)[0]
        if n.startswith("tests/") or "/tests/" in n or "conftest" in n:
            problems.append(f"test file in the wheel: {n}")
        elif top != "explorer" and not top.endswith(".dist-info"):
            problems.append(f"unexpected file in the wheel: {n}")
        elif "__pycache__" in n or n.endswith(".pyc"):
            problems.append(f"compiled file in the wheel: {n}")
    return problems


# --- running the installed app ---------------------------------------------------------------

def scrubbed_env(extra: dict[str, str] | None = None, home: Path | None = None) -> dict[str, str]:
    """An environment with nothing from a developer's venv or checkout in it."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "VIRTUAL_ENV", "PIP_", "CONDA")) and k != "PATH"}
    env["PATH"] = os.pathsep.join(p for p in ("/usr/local/bin", "/usr/bin", "/bin")
                                  if Path(p).is_dir())
    env["QT_QPA_PLATFORM"] = "offscreen"
    if home is not None:   # settings and autosave go to a scratch place, never the user's
        env["XDG_CONFIG_HOME"] = str(home / "config")
        env["XDG_DATA_HOME"] = str(home / "data")
        env["XDG_CACHE_HOME"] = str(home / "cache")
    env.update(extra or {})
    return env


def run(cmd: list[str], cwd: Path, env: dict[str, str], what: str, timeout: float = 300):
    t0 = time.perf_counter()
    r = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    dt = time.perf_counter() - t0
    noise = [ln for ln in (r.stderr + r.stdout).splitlines()
             if any(m in ln for m in MISSING_MARKERS)]
    if r.returncode != 0 or noise:
        raise CheckFailed(f"{what}: `{' '.join(cmd)}` exited {r.returncode}\n"
                          f"--- stdout\n{r.stdout}\n--- stderr\n{r.stderr}")
    print(f"  ok  {what} ({dt:.1f} s): {r.stdout.strip().splitlines()[-1] if r.stdout.strip() else ''}",
          flush=True)
    return r


def check_png(path: Path, size: tuple[int, int]) -> bytes:
    """The PNG exists and has *size*; return its pixel rows (from the PNG itself, via zlib)."""
    import struct
    import zlib

    data = path.read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise CheckFailed(f"{path} is not a PNG")
    w, h = struct.unpack(">II", data[16:24])
    if (w, h) != size:
        raise CheckFailed(f"{path} is {w}x{h}, expected {size[0]}x{size[1]}")
    chunks, i = [], 8
    while i < len(data):
        n, kind = struct.unpack(">I4s", data[i:i + 8])
        if kind == b"IDAT":
            chunks.append(data[i + 8:i + 8 + n])
        i += 12 + n
    return zlib.decompress(b"".join(chunks))


def check_gif(path: Path, size: tuple[int, int]) -> int:
    """The GIF exists, has *size* (logical screen: the window's width, and its height plus the
    caption bands a demo's top and bottom captions add) and more than one frame; return the
    count."""
    import struct

    data = path.read_bytes()
    if data[:6] not in (b"GIF87a", b"GIF89a"):
        raise CheckFailed(f"{path} is not a GIF")
    w, h = struct.unpack("<HH", data[6:10])
    if w != size[0] or not size[1] <= h <= 2 * size[1]:
        raise CheckFailed(f"{path} is {w}x{h}, expected {size[0]} wide and {size[1]} high plus "
                          f"any caption bands")
    frames = data.count(b"\x21\xf9\x04")   # one graphic control extension per frame
    if frames < 2:
        raise CheckFailed(f"{path} has {frames} frame(s)")
    return frames


def exercise(command: list[str], work: Path, label: str, python: str | None = None) -> None:
    """Run every user-facing command of an installed app from a scratch folder outside the
    checkout.  *python* (the install's interpreter) also checks where ``explorer`` came from."""
    cwd = work / f"elsewhere-{label}"
    cwd.mkdir(parents=True)
    env = scrubbed_env(home=work / f"home-{label}")
    from explorer import __version__   # the checkout's version: what was just built

    r = run(command + ["--version"], cwd, env, f"{label}: --version")
    if r.stdout.strip() != f"Cross-Entropy Explorer {__version__}":
        raise CheckFailed(f"--version printed {r.stdout.strip()!r}")
    if python:
        r = run([python, "-c", "import explorer, explorer.resources as r; "
                 "print(explorer.__file__); print(r.path('help', 'help.json'))"],
                cwd, env, f"{label}: import location")
        for line in r.stdout.split():
            if Path(line).resolve().is_relative_to(ROOT):
                raise CheckFailed(f"{label}: the app was imported from the checkout: {line}")
    run(command + ["screenshot", "-o", "en.png", "--size", "1280x800"], cwd, env,
        f"{label}: screenshot")
    run(command + ["--lang", "zh", "screenshot", "-o", "zh.png", "--size", "1280x800"], cwd, env,
        f"{label}: --lang zh screenshot")
    en, zh = check_png(cwd / "en.png", (1280, 800)), check_png(cwd / "zh.png", (1280, 800))
    if en == zh:
        raise CheckFailed("the --lang zh screenshot is identical to the English one")
    run(command + ["record", "04_why_ce_not_mse", "-o", "demo.gif", "--size", "640x400",
                   "--fps", "5"], cwd, env, f"{label}: record a bundled demo")
    check_gif(cwd / "demo.gif", (640, 400))
    run(command + ["--install-desktop"], cwd, env, f"{label}: --install-desktop")
    apps = Path(env["XDG_DATA_HOME"]) / "applications"
    entries = list(apps.glob("*.desktop"))
    if len(entries) != 1:
        raise CheckFailed(f"--install-desktop wrote {entries} into {apps}")
    exec_line = next(ln for ln in entries[0].read_text().splitlines() if ln.startswith("Exec="))
    target = exec_line[len("Exec="):].split()[0].strip('"')
    if not (Path(target).is_file() and os.access(target, os.X_OK)):
        raise CheckFailed(f"the menu entry runs {target}, which is not an executable")
    if shutil.which("desktop-file-validate"):
        run(["desktop-file-validate", str(entries[0])], cwd, env, f"{label}: installed entry valid")


def check_wheel(work: Path, python: str) -> Path:
    print("== wheel: build from a clean copy, check its contents", flush=True)
    t0 = time.perf_counter()
    src = clean_copy(work / "src")
    wheel = build_wheel(src, work / "dist", python)
    problems = wheel_problems(wheel, source_files())
    if problems:
        raise CheckFailed("\n".join(problems))
    n = len(zipfile.ZipFile(wheel).namelist())
    print(f"  ok  {wheel.name}: {n} files, {wheel.stat().st_size / 1024:.0f} KB "
          f"({time.perf_counter() - t0:.1f} s)", flush=True)
    return wheel


def check_venv(work: Path, wheel: Path, python: str) -> None:
    print("== wheel → fresh venv outside the checkout", flush=True)
    venv = work / "venv"
    t0 = time.perf_counter()
    subprocess.run([python, "-m", "venv", str(venv)], check=True)
    r = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)],
                       capture_output=True, text=True, cwd=work)
    if r.returncode != 0:
        raise CheckFailed(f"pip install {wheel.name} failed:\n{r.stderr}")
    print(f"  ok  installed into {venv} ({time.perf_counter() - t0:.1f} s)", flush=True)
    exercise([str(venv / "bin" / SCRIPT)], work, "venv", python=str(venv / "bin" / "python"))


def check_pipx(work: Path) -> None:
    print("== pipx install from a clean copy", flush=True)
    pipx = shutil.which("pipx")
    if not pipx:
        raise CheckFailed("pipx is not installed (apt-get install pipx)")
    src = work / "src" if (work / "src").is_dir() else clean_copy(work / "src")
    env = dict(os.environ, PIPX_HOME=str(work / "pipx-home"), PIPX_BIN_DIR=str(work / "pipx-bin"),
               PIPX_MAN_DIR=str(work / "pipx-man"))
    env.pop("PYTHONPATH", None)
    t0 = time.perf_counter()
    base = getattr(sys, "_base_executable", sys.executable)   # not a venv's python
    r = subprocess.run([pipx, "install", "--python", base, str(src)], env=env,
                       capture_output=True, text=True, cwd=work)
    if r.returncode != 0:
        raise CheckFailed(f"pipx install failed:\n{r.stdout}\n{r.stderr}")
    print(f"  ok  pipx install ({time.perf_counter() - t0:.1f} s)", flush=True)
    exercise([str(work / "pipx-bin" / SCRIPT)], work, "pipx")


def check_app(work: Path, app: Path) -> None:
    print(f"== standalone build {app}", flush=True)
    exercise([str(app.resolve())], work, "standalone")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-wheel", action="store_true", help="skip the wheel → venv check")
    ap.add_argument("--pipx", action="store_true", help="also check `pipx install`")
    ap.add_argument("--app", type=Path, help="also check this standalone executable")
    ap.add_argument("--python", default=getattr(sys, "_base_executable", sys.executable),
                    help="interpreter for the new venv (default: this one)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    work = Path(tempfile.mkdtemp(prefix="explorer-install-check-"))
    t0 = time.perf_counter()
    try:
        if not args.no_wheel:
            check_venv(work, check_wheel(work, args.python), args.python)
        if args.pipx:
            check_pipx(work)
        if args.app:
            check_app(work, args.app)
    except (CheckFailed, subprocess.TimeoutExpired) as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            print(f"(kept {work})")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(f"== install check passed ({time.perf_counter() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
