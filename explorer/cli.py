"""Command line: ``main.py [SESSION.json]`` launches the app; subcommands ``screenshot``, ``bench``,
``record``.

The global options (``--lang``, ``--theme``, ``--version``, ``--reset-settings``) may stand before
or after the subcommand: ``main.py --lang zh screenshot -o x.png`` is
``main.py screenshot -o x.png --lang zh``.  Errors a user can cause (bad argument, unreadable
file) exit with status 2 and one clear line on stderr, never a traceback.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from explorer import APP_NAME, ORG_NAME, __version__, code_cli

COMMANDS = ("screenshot", "bench", "record", "code")
# global options that take a value: what split_command skips over to find the subcommand
VALUE_OPTIONS = ("--lang", "--theme")
SETTINGS_APP = "explorer"   # QSettings(ORG_NAME, SETTINGS_APP): the window's layout and preferences


class CliError(Exception):
    """A user-facing error: printed as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        # no prefix matching: "--la zh" must not hide the subcommand from split_command
        super().__init__(*args, allow_abbrev=False, **kwargs)

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
    p.add_argument("--reset-settings", action="store_true",
                   help="forget the saved window layout, theme, language and recent files, "
                        "then exit (autosaved work is kept)")
    p.add_argument("--install-desktop", action="store_true",
                   help="add the app to this user's desktop menu (a .desktop entry, icons and "
                        "AppStream metainfo under ~/.local/share), then exit")
    p.add_argument("--uninstall-desktop", action="store_true",
                   help="remove what --install-desktop added, then exit")


def _bundled_demos() -> list[str]:
    from explorer import resources

    return sorted(f.stem for f in resources.path("demos").glob("*.json"))


def split_command(argv: list[str]) -> tuple[str, list[str]]:
    """``(command, arguments for its parser)``: the subcommand is the first word that is not an
    option or an option's value, so global options may come before it.  No subcommand: "gui"."""
    i = 0
    while i < len(argv):
        word = argv[i]
        if word == "--":
            break
        if word in VALUE_OPTIONS:
            i += 2
            continue
        if word.startswith("-"):
            i += 1
            continue
        if word in COMMANDS:
            return word, argv[:i] + argv[i + 1:]
        break   # a session file name
    return "gui", list(argv)


def build_parsers():
    gui = _Parser(prog="main.py", description=f"{APP_NAME}: entropy, cross-entropy and KL you can "
                  "touch. Subcommands: screenshot, bench, record, code (run `main.py SUBCOMMAND --help`).")
    _add_common(gui)
    gui.add_argument("session", nargs="?", help="a session JSON file to open")
    gui.add_argument("--lang", choices=["en", "zh"], help="user-interface language (default: the "
                     "last one chosen in View → Language, else the system locale)")
    gui.add_argument("--theme", choices=["light", "dark"],
                     help="colour theme for this run (default: the last one chosen in View → Theme)")
    gui.add_argument("--workspace", choices=_workspace_names(), default=None,
                     help="workspace to open (default: the last one used)")

    shot = _Parser(prog="main.py screenshot", description="Render the main window headless to a PNG.")
    shot.add_argument("-o", "--output", required=True, help="PNG file to write")
    shot.add_argument("--size", type=parse_size, default=(1600, 1000), help="window size WxH (default 1600x1000)")
    shot.add_argument("--session", help="session JSON file to load first")
    shot.add_argument("--lang", choices=["en", "zh"], help="user-interface language "
                      "(default: the system locale)")
    shot.add_argument("--theme", choices=["light", "dark"], default="light",
                      help="colour theme (default light)")
    shot.add_argument("--workspace", choices=_workspace_names(), default=None,
                      help="workspace to show (default: the one a first launch opens, "
                           f"{_first_workspace()})")
    shot.add_argument("--zoom", type=_parse_zoom, default=100,
                      help="zoom in percent, 75 to 250 (default 100)")

    bench = _Parser(prog="main.py bench", description="Measure start-up, redraw and training speed.")
    bench.add_argument("--json", default="bench.json", help="where to write the results (default bench.json)")
    bench.add_argument("--repeat", type=int, default=None, help="samples per row (default per row)")
    bench.add_argument("--only", help="run only rows whose name contains this text")
    bench.add_argument("--scale", default="1,2", metavar="S[,S…]",
                       help="pixel scales (QT_SCALE_FACTOR) to run every interaction row at, each "
                            "in a child process; rows that do not depend on the scale run once "
                            "(default 1,2)")
    bench.add_argument("--in-process", action="store_true", help=argparse.SUPPRESS)
    bench.add_argument("--skip-scale-free", action="store_true", help=argparse.SUPPRESS)
    _add_common(shot)
    _add_common(bench)
    record = _Parser(prog="main.py record", description="Render a scenario (JSON timeline) headless, "
                     "frame-exact, to an animated GIF, an MP4 (H.264) or a folder of PNG frames.")
    _add_common(record)
    record.add_argument("scenario", help="scenario JSON file (see resources/demos/README.md), or "
                        "the name of a bundled demo: " + ", ".join(_bundled_demos()))
    record.add_argument("-o", "--output", required=True,
                        help="OUT.gif, OUT.mp4, or a new/empty folder for PNG frames")
    record.add_argument("--size", type=parse_size, default=None,
                        help="window size WxH (default: the scenario's size, else 1280x720)")
    record.add_argument("--fps", type=_parse_fps, default=None,
                        help="frames per second (default: the scenario's fps, else 30)")
    record.add_argument("--scale", type=int, choices=[1, 2], default=1,
                        help="pixel scale: 2 renders HiDPI frames at twice the size (default 1)")
    record.add_argument("--format", choices=["gif", "mp4", "webp", "apng", "png"], default=None,
                        help="output format (default: from the file name: .gif, .mp4, .webp, "
                             ".apng or .png = APNG, a folder = PNG frames)")
    record.add_argument("--transparent", action="store_true",
                        help="transparent panel background (a scenario with a dock \"target\", "
                             "WebP or APNG)")
    record.add_argument("--session", help="session JSON file to load before the scenario starts")
    record.add_argument("--theme", choices=["light", "dark"], default=None,
                        help="colour theme of the recording (default light)")
    record.add_argument("--lang", choices=["en", "zh"], default=None,
                        help="interface language of the recording (default: the scenario's "
                             "\"language\", else en)")
    record.add_argument("--progress", choices=["auto", "bar", "lines", "none"], default="auto",
                        help="progress on stderr: a bar (default on a terminal), one line per "
                             "frame (for other programs), or nothing")
    code = code_cli.build_parser(_Parser)
    _add_common(code)
    return {"gui": gui, "screenshot": shot, "bench": bench, "record": record, "code": code}


def _workspace_names() -> list[str]:
    from explorer.workspace_designs import NAMES

    return list(NAMES)


def _first_workspace() -> str:
    from explorer.workspace_designs import FIRST_RUN_WORKSPACE

    return FIRST_RUN_WORKSPACE


def _parse_zoom(text: str) -> int:
    try:
        pct = int(text.rstrip("%"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"zoom must be a whole number of percent, got {text!r}") from None
    if not 75 <= pct <= 250:
        raise argparse.ArgumentTypeError(f"zoom {pct} is out of range (75 to 250)")
    return pct


def _parse_fps(text: str) -> int:
    try:
        fps = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"fps must be a whole number, got {text!r}") from None
    if not 1 <= fps <= 120:
        raise argparse.ArgumentTypeError(f"fps {fps} is out of range (1 to 120)")
    return fps


def _check_readable(path: str) -> None:
    p = Path(path)
    if not p.is_file():
        raise CliError(f"main.py: cannot open {path}: no such file")
    try:
        with p.open("rb"):
            pass
    except OSError as exc:
        raise CliError(f"main.py: cannot open {path}: {exc.strerror}") from None


def _load_session_or_fail(model, path: str):
    """Load session *path* (any file version) into *model*; return the
    :class:`explorer.session.Session` (its layout is applied once the window exists)."""
    from explorer import session as session_io

    _check_readable(path)
    try:
        sess = session_io.load_session(path)
        session_io.apply_to_model(sess, model, Path(path).name)
    except ValueError as exc:
        raise CliError(f"main.py: cannot load session {path}: {exc}") from None
    return sess


def run_gui(args) -> int:
    from explorer import i18n
    from explorer.app import get_app
    from explorer.model import AppModel
    from explorer.ui.main_window import MainWindow

    from explorer.ui import preferences

    app = get_app()
    settings = user_settings()
    i18n.set_language(preferences.initial_language(settings, args.lang))
    model = AppModel()
    sess = _load_session_or_fail(model, args.session) if args.session else None
    window = MainWindow(model, settings=settings)
    from explorer.ui.present import PresentController   # not in MainWindow: see its docstring
    window.presenter = PresentController(window)       # File → Present demo… (Shift+F5)
    if args.workspace:
        window.switch_workspace(args.workspace)
    if args.theme:
        from explorer.ui import theme
        theme.apply_to_window(window, theme.by_name(args.theme))
    if sess is not None:
        window.sessions.adopt(args.session, sess)
    window.show()
    window.sessions.enable_autosave()   # and offer to restore work a crash left behind
    window.maybe_welcome()              # the first launch: the workspaces and the Tour
    return app.exec()


def user_settings():
    """The QSettings where the window keeps its layout and the menus their choices (the same
    organisation and application name as ``MainWindow``'s default)."""
    from PySide6.QtCore import QSettings

    return QSettings(ORG_NAME, SETTINGS_APP)


def reset_settings() -> int:
    """``--reset-settings``: clear every saved layout and preference (napari's ``--reset``)."""
    settings = user_settings()
    keys = settings.allKeys()
    settings.clear()
    settings.sync()
    print(f"reset settings: removed {len(keys)} saved value(s) from {settings.fileName()}")
    return 0


def run_desktop(install: bool) -> int:
    """``--install-desktop`` / ``--uninstall-desktop`` for the current user."""
    from explorer import desktop

    home = desktop.data_home()
    try:
        files = desktop.install(home) if install else desktop.uninstall(home)
    except OSError as exc:
        raise CliError(f"main.py: cannot {'install' if install else 'remove'} the desktop entry "
                       f"in {home}: {exc.strerror or exc}") from None
    if install:
        print(f"installed {home / 'applications' / desktop.DESKTOP_FILE} (runs "
              f"{' '.join(desktop.launch_command())}), {len(files) - 2} icons and the metainfo")
    else:
        print(f"removed {len(files)} file(s) from {home}")
    return 0


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
    from explorer.ui import preferences, theme
    i18n.set_language(args.lang or preferences.system_language())
    model = AppModel()
    sess = _load_session_or_fail(model, args.session) if args.session else None
    from PySide6.QtCore import QSettings
    import tempfile
    from explorer.workspace_designs import FIRST_RUN_WORKSPACE
    scratch = tempfile.TemporaryDirectory(prefix="explorer-screenshot-")
    settings = QSettings(str(Path(scratch.name) / "settings.ini"), QSettings.IniFormat)
    window = MainWindow(model, settings=settings, restore_layout=False,
                        workspace=args.workspace or FIRST_RUN_WORKSPACE)
    theme.apply_to_window(window, theme.by_name(args.theme))
    if args.zoom != 100:
        window.view_modes.set_zoom(args.zoom)
    window.resize(*args.size)
    if sess is not None:
        window.sessions.adopt(args.session, sess)
    settle(window, 600)
    image = window.grab()
    if not image.save(str(out)):
        raise CliError(f"main.py screenshot: could not write {out}")
    window.close()
    w, h = image.width(), image.height()   # pixels written (twice the size at QT_SCALE_FACTOR=2)
    logical = image.deviceIndependentSize()
    note = "" if (round(logical.width()), round(logical.height())) == tuple(args.size) else (
        f"; {args.size[0]}x{args.size[1]} is smaller than the window's minimum size")
    print(f"wrote {out} ({w}x{h}{note})")
    return 0


def run_bench(args) -> int:
    from explorer.bench.runner import parse_scales, run

    try:
        scales = parse_scales(args.scale)
    except ValueError as exc:
        print(f"main.py bench: {exc}", file=sys.stderr)
        return 2
    return run(json_path=args.json, repeat=args.repeat, only=args.only, scales=scales,
               in_process=args.in_process, skip_scale_free=args.skip_scale_free)


class _ProgressBar:
    """Terminal progress for ``record`` on stderr: a redrawn bar, plain lines, or nothing."""

    def __init__(self, mode: str, label: str):
        import time

        if mode == "auto":
            mode = "bar" if sys.stderr.isatty() else "none"
        self.mode, self.label = mode, label
        self._t0 = time.perf_counter()
        self._last = -1.0

    def __call__(self, k: int, n: int) -> None:
        import time

        if self.mode == "lines":
            print(f"frame {k}/{n}", file=sys.stderr, flush=True)
        elif self.mode == "bar":
            now = time.perf_counter()
            if k < n and now - self._last < 0.1:
                return
            self._last = now
            width = 30
            done = int(width * k / n)
            fps = k / max(1e-9, now - self._t0)
            sys.stderr.write(f"\r{self.label} [{'#' * done}{'-' * (width - done)}] "
                             f"{100 * k // n:3d}% {k}/{n} frames {fps:5.1f} fps")
            if k == n:
                sys.stderr.write("\n")
            sys.stderr.flush()


def _resolve_scenario(text: str) -> str:
    """A scenario file, or the name of a bundled demo (``04_why_ce_not_mse`` or ``….json``), so
    an installed app can record its demos without knowing where they were installed."""
    if Path(text).exists() or Path(text).parent != Path("."):
        return text
    from explorer import resources

    demo = resources.path("demos", text if text.endswith(".json") else text + ".json")
    return str(demo) if demo.is_file() else text


def run_record(args) -> int:
    import signal

    from explorer.app import get_app

    args.scenario = _resolve_scenario(args.scenario)
    _check_readable(args.scenario)
    if args.session:
        _check_readable(args.session)
    get_app(headless=True)
    from explorer.record.encode import OutputError
    from explorer.record.render import Cancelled, prepare, render_scenario
    from explorer.record.scenario import ScenarioError

    try:
        scenario, _session, _fmt = prepare(args.scenario, args.output, fps=args.fps,
                                           session_path=args.session, fmt=args.format)
    except (ScenarioError, OutputError, ValueError) as exc:
        raise CliError(f"main.py record: {exc}") from None
    stop = {"flag": False}

    def on_term(_signum, _frame):
        stop["flag"] = True

    old = signal.signal(signal.SIGTERM, on_term)
    bar = _ProgressBar(args.progress, Path(args.output).name)
    try:
        result = render_scenario(scenario, args.output, size=args.size, fps=args.fps,
                                 scale=args.scale, session_path=args.session, progress=bar,
                                 cancel=lambda: stop["flag"], theme=args.theme,
                                 language=args.lang, fmt=args.format,
                                 transparent=args.transparent)
    except Cancelled:
        print(f"main.py record: cancelled; {args.output} was not written", file=sys.stderr)
        return 1
    except (ScenarioError, OutputError, ValueError, OSError) as exc:
        raise CliError(f"main.py record: {exc}") from None
    finally:
        signal.signal(signal.SIGTERM, old)
    size = result.path.stat().st_size if result.path.is_file() else sum(
        f.stat().st_size for f in result.path.iterdir())
    print(f"wrote {result.path} ({result.frames} frames, {result.size[0]}x{result.size[1]}, "
          f"{result.fps} fps, {result.duration:.2f} s, {size / 1024:.0f} KB)")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        parsers = build_parsers()
        command, rest = split_command(argv)
        args = parsers[command].parse_args(rest)
        if args.reset_settings:
            return reset_settings()
        if args.install_desktop or args.uninstall_desktop:
            return run_desktop(install=args.install_desktop)
        if command == "gui" and args.session:
            _check_readable(args.session)
        runner = {"gui": run_gui, "screenshot": run_screenshot, "bench": run_bench,
                  "record": run_record, "code": code_cli.run}[command]
        return runner(args)
    except CliError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
