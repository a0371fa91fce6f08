"""Run the layout audit over workspaces × window sizes × languages in THIS process (one
``QT_SCALE_FACTOR``, set by the caller before start), print a JSON report on stdout.

    QT_QPA_PLATFORM=offscreen QT_SCALE_FACTOR=2 python tests/ui/layout_matrix.py [--quick]

For each language, workspace and size: the workspace's design at that size (Reset workspace),
audited; the softmax derivation opened (where the softmax panel is on screen) and audited, then
closed again: audited, and every dock must be back at the size it had; Reset workspace once
more: audited, and every dock where the first design put it.  Sizes are the window's size in
logical pixels (what ``screenshot --size`` takes; a 2560×1440 screen at 2× is 1280×720).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))

SIZES = ((1280, 720), (1280, 800), (1366, 768), (1920, 1080), (2560, 1440))
LANGUAGES = ("en", "zh")


def settle(app, window, rounds: int = 6) -> None:
    from PySide6.QtCore import QCoreApplication, QEvent

    for _ in range(rounds):
        QCoreApplication.sendPostedEvents(None, QEvent.LayoutRequest)
        app.processEvents()
        layout = window.layout()
        if layout is not None:
            layout.activate()
    app.processEvents()


def geometries(window) -> dict:
    return {name: d.geometry().getRect() for name, d in window.docks.items()
            if d.isVisible() and not d.visibleRegion().isEmpty()}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="one size, English only")
    ap.add_argument("--workspaces", default="", help="comma-separated subset")
    args = ap.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["EXPLORER_NO_DIALOGS"] = "1"
    from PySide6.QtCore import QPoint, QSettings, Qt
    from PySide6.QtTest import QTest

    from explorer import i18n
    from explorer.app import get_app
    from explorer.model import AppModel
    from explorer.ui.main_window import MainWindow

    import layout_audit

    app = get_app(headless=True)
    tmp = tempfile.TemporaryDirectory(prefix="explorer-layout-")
    settings = QSettings(str(Path(tmp.name) / "s.ini"), QSettings.IniFormat)
    window = MainWindow(AppModel(), settings=settings, restore_layout=False, interactive=False)
    window.setAnimated(False)
    window.resize(*SIZES[1])
    window.show()
    settle(app, window)
    try:
        from explorer.ui import zoom
        from explorer.workspace_designs import NAMES
        floor = zoom.MIN_PLOT_HEIGHT * zoom.factor()
        names = list(NAMES)
    except ImportError:                       # the code before workspaces: its one layout
        names, floor = ["all"], 90
    if args.workspaces:
        names = [n for n in names if n in args.workspaces.split(",")]
    sizes = SIZES[1:2] if args.quick else SIZES
    langs = LANGUAGES[:1] if args.quick else LANGUAGES
    report = []

    def record(case, stage):
        problems = layout_audit.audit(window, floor)
        size = (window.width(), window.height())
        if size != case["size"]:
            problems.append(f"the window is {size[0]}x{size[1]}, not {case['size'][0]}x"
                            f"{case['size'][1]}: the panels' minimum sizes do not fit")
        if problems:
            kinds = {}
            for line in problems:
                kinds.setdefault(line.split(":")[0][:40], line)
            # every kind of problem once, then the first ones in full
            report.append({**case, "stage": stage, "count": len(problems),
                           "problems": list(dict.fromkeys(list(kinds.values()) + problems))[:30]})

    def reset(name):
        if hasattr(window, "workspaces"):
            if window.workspaces.current != name:
                window.switch_workspace(name, restore=False)
            window.reset_layout()
        else:
            window.reset_layout()
        settle(app, window)

    for lang in langs:
        i18n.set_language(lang)
        settle(app, window)
        for name in names:
            for w, h in sizes:
                case = {"lang": lang, "workspace": name, "size": (w, h)}
                if hasattr(window, "workspaces") and window.workspaces.current != name:
                    window.switch_workspace(name, restore=False)
                window.resize(w, h)
                settle(app, window)
                reset(name)
                first = geometries(window)
                record(case, "design")
                soft = window.docks.get("softmaxDock")
                if soft is not None and soft.isVisible() and not soft.visibleRegion().isEmpty():
                    button = soft.derivation_button
                    for stage in ("derivation shown", "derivation hidden"):
                        soft.widget().ensureWidgetVisible(button) if hasattr(
                            soft.widget(), "ensureWidgetVisible") else None
                        settle(app, window, 2)
                        QTest.mouseClick(button, Qt.LeftButton, Qt.NoModifier,
                                         QPoint(button.width() // 2, button.height() // 2))
                        settle(app, window)
                        record(case, stage)
                    if button.isChecked():
                        report.append({**case, "stage": "derivation hidden",
                                       "problems": ["the derivation button did not toggle"]})
                    after = geometries(window)
                    if after != first:
                        report.append({**case, "stage": "derivation hidden", "problems": [
                            f"the docks did not get their room back: {first} -> {after}"]})
                reset(name)
                record(case, "reset")
                again = geometries(window)
                if again != first:
                    report.append({**case, "stage": "reset", "problems": [
                        f"Reset workspace differs from the design: {first} -> {again}"]})
    window.close()
    print(json.dumps({"scale": os.environ.get("QT_SCALE_FACTOR", "1"), "failures": report,
                      "cases": len(names) * len(sizes) * len(langs)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
