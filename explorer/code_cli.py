"""``main.py code``: print a complete runnable script that reproduces the numbers on screen.

    python main.py code [--session FILE | --preset NAME] [--lib numpy|scipy|sklearn|torch|all]
                        [--lang en|zh]

The script is what the Code panel's "Copy all" gives (:func:`explorer.codegen.script`): its
output lines are ``name = value``, one per quantity, in nats and, when the state's unit is bits
or bans, also in that unit, as the readouts show them.  A bad preset or session exits with
status 2 and one line on stderr, like the other subcommands.  Nothing is executed here.
"""
from __future__ import annotations

import sys

LIB_CHOICES = ("numpy", "scipy", "sklearn", "torch", "all")


def build_parser(parser_cls):
    """The ``code`` subcommand's parser, built with the CLI's parser class (one-line errors)."""
    p = parser_cls(prog="main.py code", description="Print a runnable Python script that "
                   "reproduces the numbers on screen with NumPy, SciPy, scikit-learn and PyTorch "
                   "(the Code panel's \"Copy all\").")
    src = p.add_mutually_exclusive_group()
    src.add_argument("--session", help="session JSON file whose state to use")
    src.add_argument("--preset", help="preset to apply to the starting state (uniform, one-hot, "
                     "random, pc-power-on, …)")
    p.add_argument("--lib", choices=LIB_CHOICES, default="all",
                   help="which library's snippets (default all)")
    p.add_argument("--lang", choices=["en", "zh"], default="en",
                   help="language of the comments (default en)")
    return p


def _fail(message: str) -> int:
    print(f"main.py code: {message}", file=sys.stderr)
    return 2


def run(args) -> int:
    from pathlib import Path

    from explorer import __version__, codegen, i18n
    from explorer.model import AppModel

    i18n.set_language(args.lang)
    model = AppModel()
    if args.session:
        from explorer import session as session_io

        path = Path(args.session)
        if not path.is_file():
            return _fail(f"cannot open {args.session}: no such file")
        try:
            session_io.apply_to_model(session_io.load_session(path), model, path.name)
        except OSError as exc:
            return _fail(f"cannot open {args.session}: {exc.strerror or exc}")
        except ValueError as exc:
            return _fail(f"cannot load session {args.session}: {i18n.tr_error(exc)}")
    elif args.preset:
        try:
            model.apply_preset(args.preset)
        except ValueError as exc:
            return _fail(i18n.tr_error(exc))
    libs = codegen.LIBS if args.lib == "all" else (args.lib,)
    text = codegen.script(codegen.inputs_from_model(model), i18n.tr, libs, __version__)
    sys.stdout.write(text)
    return 0
