"""Command line: ``main.py [SESSION.json]`` launches the app; subcommands ``screenshot``, ``bench``.

Errors a user can cause (bad argument, unreadable file) exit with status 2 and one clear line on
stderr, never a traceback.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from explorer import APP_NAME, __version__

COMMANDS = ("screenshot", "bench")


class CliError(Exception):
    """A user-facing error: printed as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one clear line, no usage dump
        raise CliError(f"{self.prog}: {message}")


def parse_size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size must look like 1600x1000, got {text!r}") from None
    if not (320 <= w <= 7680 and 240 <= h <= 4320):
        raise argparse.ArgumentTypeError(f"size {w}x{h} is out of range (320x240 to 7680x4320)")
    return w, h


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")


def build_parsers():
    gui = _Parser(prog="main.py", description=f"{APP_NAME}: entropy, cross-entropy and KL you can "
                  "touch. Subcommands: screenshot, bench (run `main.py SUBCOMMAND --help`).")
    _add_common(gui)
    gui.add_argument("session", nargs="?", help="a session JSON file to open")
    gui.add_argument("--lang", choices=["en", "zh"], help="user-interface language")

    shot = _Parser(prog="main.py screenshot", description="Render the main window headless to a PNG.")
    shot.add_argument("-o", "--output", required=True, help="PNG file to write")
    shot.add_argument("--size", type=parse_size, default=(1600, 1000), help="window size WxH (default 1600x1000)")
    shot.add_argument("--session", help="session JSON file to load first")
    shot.add_argument("--lang", choices=["en", "zh"], help="user-interface language")

    bench = _Parser(prog="main.py bench", description="Measure start-up, redraw and training speed.")
    bench.add_argument("--json", default="bench.json", help="where to write the results (default bench.json)")
    bench.add_argument("--repeat", type=int, default=None, help="samples per row (default per row)")
    bench.add_argument("--only", help="run only rows whose name contains this text")
    return {"gui": gui, "screenshot": shot, "bench": bench}


def _check_readable(path: str) -> None:
    p = Path(path)
    if not p.is_file():
        raise CliError(f"main.py: cannot open {path}: no such file")
    try:
        with p.open("rb"):
            pass
    except OSError as exc:
        raise CliError(f"main.py: cannot open {path}: {exc.strerror}") from None


def _load_session_or_fail(model, path: str) -> None:
    from explorer.ui.main_window import read_session_file

    _check_readable(path)
    try:
        model.from_dict(read_session_file(path))
    except ValueError as exc:
        raise CliError(f"main.py: cannot load session {path}: {exc}") from None


def run_gui(args) -> int:
    from explorer import i18n
    from explorer.app import get_app
    from explorer.model import AppModel
    from explorer.ui.main_window import MainWindow

    app = get_app()
    if args.lang:
        i18n.set_language(args.lang)
    model = AppModel()
    if args.session:
        _load_session_or_fail(model, args.session)
    window = MainWindow(model)
    window.show()
    return app.exec()


def run_screenshot(args) -> int:
    from explorer import i18n
    from explorer.app import get_app, settle
    from explorer.model import AppModel
    from explorer.ui.main_window import MainWindow

    out = Path(args.output)
    if out.suffix.lower() != ".png":
        raise CliError(f"main.py screenshot: output must be a .png file, got {args.output}")
    if not out.parent.exists():
        raise CliError(f"main.py screenshot: folder {out.parent} does not exist")
    get_app(headless=True)
    if args.lang:
        i18n.set_language(args.lang)
    model = AppModel()
    if args.session:
        _load_session_or_fail(model, args.session)
    from PySide6.QtCore import QSettings
    import tempfile
    settings = QSettings(str(Path(tempfile.gettempdir()) / "explorer-screenshot.ini"), QSettings.IniFormat)
    window = MainWindow(model, settings=settings, restore_layout=False)
    window.resize(*args.size)
    settle(window, 600)
    if not window.grab().save(str(out)):
        raise CliError(f"main.py screenshot: could not write {out}")
    window.close()
    print(f"wrote {out} ({args.size[0]}x{args.size[1]})")
    return 0


def run_bench(args) -> int:
    from explorer.bench.runner import run

    return run(json_path=args.json, repeat=args.repeat, only=args.only)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parsers = build_parsers()
    try:
        command = argv[0] if argv and argv[0] in COMMANDS else "gui"
        rest = argv[1:] if command != "gui" else argv
        args = parsers[command].parse_args(rest)
        if command == "gui" and args.session:
            _check_readable(args.session)
        runner = {"gui": run_gui, "screenshot": run_screenshot, "bench": run_bench}[command]
        return runner(args)
    except CliError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
