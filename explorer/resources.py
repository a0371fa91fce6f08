"""The one place that locates the app's data files (presets, demos, help, translations, icons).

The files live in the top-level ``resources/`` folder of the checkout.  The wheel ships that folder
as the package ``explorer._resources`` (pyproject maps it with ``package-dir``), and this module
finds it through :mod:`importlib.resources`, so the same code works in an editable install, a
wheel or pipx install, and a standalone (PyInstaller) build::

    from explorer import resources
    resources.path("help", "help.json")   # a pathlib.Path to the file
    resources.read_text("translations", "zh.json")

Running from a checkout that was never installed (``python main.py`` with only the dependencies
installed) still works: the checkout's ``resources/`` package is imported under the same name.
"""
from __future__ import annotations

import importlib
import importlib.util
import sys
# not `import importlib.resources`: a Nuitka build of that left importlib.resources unset
from importlib import resources as _importlib_resources
from pathlib import Path

PACKAGE = "explorer._resources"


def _package():
    try:
        return importlib.import_module(PACKAGE)
    except ModuleNotFoundError as exc:
        if exc.name != PACKAGE:
            raise
    # a plain checkout: explorer/ and resources/ side by side, nothing installed
    init = Path(__file__).resolve().parent.parent / "resources" / "__init__.py"
    if not init.is_file():
        raise ModuleNotFoundError(
            f"the app's data files are missing: no package {PACKAGE} and no {init} "
            "(reinstall Cross-Entropy Explorer)", name=PACKAGE)
    spec = importlib.util.spec_from_file_location(
        PACKAGE, init, submodule_search_locations=[str(init.parent)])
    module = importlib.util.module_from_spec(spec)
    sys.modules[PACKAGE] = module
    spec.loader.exec_module(module)
    return module


def files():
    """The resources folder as an :class:`importlib.resources.abc.Traversable`."""
    return _importlib_resources.files(_package())


def root() -> Path:
    """The resources folder on disk.  Every install route (wheel, pipx, editable, PyInstaller)
    unpacks the files, so this is a real folder; Qt needs real file names for icons."""
    top = files()
    if not isinstance(top, Path):
        raise RuntimeError(f"{PACKAGE} is not a folder on disk ({top!r}); install the app "
                           "from its wheel rather than running it from a zip file")
    return top


def path(*parts: str) -> Path:
    """The file or folder ``resources/<parts...>``, e.g. ``path("presets")``.  The result may not
    exist (callers that list a folder or open a file report that themselves)."""
    return root().joinpath(*parts)


def read_text(*parts: str, encoding: str = "utf-8") -> str:
    """The text of ``resources/<parts...>``."""
    return files().joinpath(*parts).read_text(encoding=encoding)


def import_root() -> Path:
    """The folder that holds the ``explorer`` package: what a child ``python -m explorer``
    process needs on ``PYTHONPATH`` (site-packages in an install, the checkout otherwise)."""
    return Path(__file__).resolve().parent.parent


def self_command() -> list[str]:
    """The command that runs this app's command line in a child process: ``python -m explorer``,
    or the standalone executable itself in a frozen (PyInstaller) build."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "explorer"]
