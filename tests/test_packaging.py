"""Packaging: the wheel carries every resource, the app finds them only through
explorer.resources (importlib.resources), and an installed copy runs outside the checkout."""
import ast
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from tools import check_install

ROOT = Path(__file__).resolve().parents[1]


def tracked(prefix: str) -> list[str]:
    return [n for n in check_install.source_files(ROOT) if n.startswith(prefix)]


def test_every_package_directory_is_listed_in_pyproject():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "explorer").rglob("__init__.py")}
    assert on_disk - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"
    assert listed - on_disk == {"explorer._resources"}


def test_resources_module_reaches_every_resource_file():
    from explorer import resources

    names = tracked("resources/")
    assert len(names) > 20   # presets, demos, help, translations, icons, desktop files
    for name in names:
        rel = name[len("resources/"):].split("/")
        assert resources.files().joinpath(*rel).read_bytes() == (ROOT / name).read_bytes(), name
        assert resources.path(*rel).is_file()
    assert resources.read_text("help", "help.json") == (ROOT / "resources/help/help.json").read_text("utf-8")


def test_the_app_reads_its_data_through_the_resources_module():
    """The modules that load data point into the resources package, not next to a source file."""
    from explorer import app, i18n, presets, resources
    from explorer.ui import recording as gui
    from explorer.ui.docks import help_dock

    top = resources.root()
    for found in (help_dock.HELP_FILE, i18n.TRANSLATIONS_DIR / "zh.json", presets.PRESET_DIR,
                  gui.DEMO_DIR, app.ICON_PATH):
        assert found.exists() and found.resolve().is_relative_to(top.resolve()), found
    assert {p.name for p in presets.PRESET_DIR.glob("*.json")} == {
        Path(n).name for n in tracked("resources/presets/")}


def test_no_module_computes_a_path_from_its_own_location():
    """Only explorer/resources.py may use __file__: everything else asks it (so a wheel, a pipx
    install and a standalone build find the same files)."""
    offenders = []
    for path in (ROOT / "explorer").rglob("*.py"):
        if path.name == "resources.py" and path.parent.name == "explorer":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id == "__file__":
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and re.fullmatch(
                    r"resources(/.*)?", node.value):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value!r}")
    assert offenders == []


def test_resources_found_in_a_checkout_that_was_never_installed(tmp_path):
    """python -S: no site-packages, so no editable-install finder; only the checkout on sys.path."""
    code = ("import sys; sys.path.insert(0, sys.argv[1]); "
            "from explorer import resources; help = resources.path('help', 'help.json'); "
            "print(sys.modules['explorer._resources'].__file__); print(help.is_file()); "
            "print(len(list(resources.path('demos').glob('*.json'))))")
    out = subprocess.run([sys.executable, "-S", "-c", code, str(ROOT)], cwd=tmp_path,
                         capture_output=True, text=True, check=True).stdout.split()
    assert Path(out[0]) == ROOT / "resources" / "__init__.py"
    assert out[1] == "True"
    assert int(out[2]) == len([n for n in tracked("resources/demos/") if n.endswith(".json")])


def test_self_command_runs_the_frozen_executable_itself(monkeypatch):
    from explorer import resources

    assert resources.self_command() == [sys.executable, "-m", "explorer"]
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", "/opt/app/cross-entropy-explorer")
    assert resources.self_command() == ["/opt/app/cross-entropy-explorer"]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    work = tmp_path_factory.mktemp("wheel")
    src = check_install.clean_copy(work / "src", ROOT)
    return check_install.build_wheel(src, work / "dist")


def test_wheel_holds_every_resource_and_module_and_no_tests(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for n in tracked("resources/"):
        assert "explorer/_resources/" + n[len("resources/"):] in names, n
    for n in tracked("explorer/"):
        if n.endswith(".py"):
            assert n in names, n
    for kind in ("presets", "demos", "help", "translations", "icons", "desktop"):
        assert any(n.startswith(f"explorer/_resources/{kind}/") for n in names), kind
    assert not [n for n in names if n.startswith(("tests/", "tools/", ".ci/")) or "/tests/" in n]
    assert {n.split("/")[0] for n in names} == {"explorer", wheel.name.split("-py3")[0] + ".dist-info"}
    assert check_install.wheel_problems(wheel, check_install.source_files(ROOT)) == []
    meta = zipfile.ZipFile(wheel).read(
        wheel.name.split("-py3")[0] + ".dist-info/entry_points.txt").decode()
    assert "cross-entropy-explorer = explorer.cli:main" in meta


def test_wheel_check_names_a_missing_resource(wheel, tmp_path):
    """The check CI runs fails when a resource is left out (here: the help texts)."""
    broken = tmp_path / wheel.name
    with zipfile.ZipFile(wheel) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            if item.filename != "explorer/_resources/help/help.json":
                dst.writestr(item, src.read(item))
        dst.writestr("tests/test_x.py", "")
    problems = check_install.wheel_problems(broken, check_install.source_files(ROOT))
    assert "missing from the wheel: explorer/_resources/help/help.json" in problems
    assert "test file in the wheel: tests/test_x.py" in problems


@pytest.mark.slow
def test_wheel_and_pipx_installs_run_every_command_outside_the_checkout():
    """The whole install check (.ci/run runs the same script directly): ~1.5 min."""
    pipx = ["--pipx"] if shutil.which("pipx") else []
    r = subprocess.run([sys.executable, str(ROOT / "tools" / "check_install.py"), *pipx],
                       capture_output=True, text=True, timeout=900,
                       env={k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"})
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.slow
def test_standalone_build_starts_and_runs_every_command_without_a_venv(tmp_path):
    """tools/build_app.py --check (.ci/run runs it directly): ~2 min, ~400 MB in tmp_path."""
    r = subprocess.run([sys.executable, str(ROOT / "tools" / "build_app.py"), "--check",
                        "--dist", str(tmp_path / "dist"), "--venv", str(tmp_path / "venv")],
                       capture_output=True, text=True, timeout=1800)
    assert r.returncode == 0, r.stdout + r.stderr
    exe = tmp_path / "dist" / "cross-entropy-explorer" / "cross-entropy-explorer"
    assert exe.is_file() and os.access(exe, os.X_OK)
    assert not list((tmp_path / "dist").rglob("tests"))
    assert list((tmp_path / "dist").rglob("_resources/help/help.json"))
