"""Session, theme and help rows, each against a baseline measured in the same run.

* Ctrl+S (document + atomic write with fsync + title update) vs a plain ``json.dump`` of the same
  document without fsync: the price of never leaving a half-written file.
* Opening a session until every dock has repainted vs ``model.from_dict`` of the same state until
  repainted: the cost of reading, migrating and validating the file on top of the redraw.
* A light → dark switch of the whole window until repainted vs one full repaint of the window.
* The help dock following a z-marker move (help panel in front) vs a bare ``QTextBrowser.setHtml``
  of the same page.
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from explorer.bench.rows_language import SWITCH_GOAL
from explorer.bench.runner import Result, timed
from explorer.bench.window import app_window


def _window(ctx):
    from PySide6.QtCore import QSettings

    folder = Path(tempfile.mkdtemp(prefix="explorer-bench-sessions-"))
    _, win = app_window(ctx, settings=QSettings(str(folder / "s.ini"), QSettings.IniFormat),
                        interactive=True)
    return win, folder


def _close(win) -> None:
    win.sessions.ask_unsaved = lambda: "discard"
    win.close()
    win.deleteLater()


def rows(ctx) -> list[Result]:
    from explorer.bench.paint import flush_paint

    names = {
        "save_base": "baseline: json.dump of the session, no fsync",
        "save": "session save (Ctrl+S): atomic write + fsync",
        "open_base": "baseline: model.from_dict same state -> docks repainted",
        "open": "session open: read+migrate+validate+apply -> docks repainted",
        "theme_base": "baseline: whole window repaint (grab)",
        "theme": "theme switch light<->dark -> whole window repainted",
        "help_base": "baseline: QTextBrowser.setHtml of the help page",
        "help": "help dock follows a z-marker move (σ′(z) numbers)",
    }
    if not any(ctx.wanted(n) for n in names.values()):
        return []
    reps = ctx.repeat(20)
    ctx.progress("sessions: building a window")
    win, folder = _window(ctx)
    model = win.model
    results = []
    try:
        path = folder / "bench.json"
        import numpy as np
        rng = np.random.default_rng(0)
        model.set_distributions(rng.dirichlet(np.ones(10)), rng.dirichlet(np.ones(10)),
                                [f"x{i + 1}" for i in range(10)])
        # ---------------------------------------------------------------- save
        ctx.progress("sessions: save")
        plain = folder / "plain.json"
        doc = win.sessions.document()

        def plain_write():
            with open(plain, "w", encoding="utf-8") as fh:
                json.dump(doc, fh, indent=2, ensure_ascii=False)

        k = [0]

        def save():
            k[0] += 1
            model.set_z_marker(float(k[0] % 7))         # something to save
            win.sessions.save(path)

        if ctx.scale_free:               # a file write: the same at any pixel scale
            results.append(Result(names["save_base"], timed(plain_write, reps)))
            results.append(Result(names["save"], timed(save, reps), baseline=names["save_base"],
                                  note="includes the model edit, saveState and the title update"))
        # ---------------------------------------------------------------- open
        ctx.progress("sessions: open")
        states = []
        for i in range(4):
            model.set_p([0.1 + 0.02 * i] + [(0.9 - 0.02 * i) / 9] * 9)
            p = folder / f"open{i}.json"
            win.sessions.save(p)
            states.append((p, model.to_dict()))

        def from_dict():
            k[0] += 1
            model.from_dict(states[k[0] % 4][1])
            flush_paint(win)

        def open_file():
            k[0] += 1
            win.sessions.load(states[k[0] % 4][0])
            flush_paint(win)

        results.append(Result(names["open_base"], timed(from_dict, reps)))
        results.append(Result(names["open"], timed(open_file, reps), baseline=names["open_base"],
                              note="also restores the dock layout from the file"))
        # ---------------------------------------------------------------- theme
        ctx.progress("sessions: theme switch")

        def repaint():
            win.grab()

        def switch():
            # until the event loop has repainted every widget the switch made dirty (what the
            # user waits for); a grab() here would render the whole window a second time
            k[0] += 1
            win.prefs.set_theme("dark" if k[0] % 2 else "light")
            flush_paint(win)

        results.append(Result(names["theme_base"], timed(repaint, max(5, reps // 2))))
        results.append(Result(names["theme"], timed(switch, max(5, reps // 2)),
                              baseline=names["theme_base"], goal=SWITCH_GOAL,
                              note="palette, the docks on screen restyled (the others when shown), repainted"))
        win.prefs.set_theme("light")
        # ---------------------------------------------------------------- help
        ctx.progress("sessions: help dock")
        results += _help_rows(ctx, names, reps)
    finally:
        win.prefs.set_theme("light")
        _close(win)
        for f in folder.glob("*"):
            try:
                os.unlink(f)
            except OSError:
                pass
    wanted = {r.name for r in results if ctx.wanted(r.name)}
    wanted |= {r.baseline for r in results if r.name in wanted and r.baseline}
    return [r for r in results if r.name in wanted]


def _help_rows(ctx, names, reps) -> list[Result]:
    """The help dock alone in a window (as the readout rows do), showing the σ′(z) topic."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMainWindow, QWidget

    from explorer.app import settle
    from explorer.bench.paint import flush_paint
    from explorer.model import AppModel
    from explorer.ui.docks.help_dock import HelpDock

    model = AppModel()
    win = QMainWindow()
    win.setCentralWidget(QWidget())
    win.centralWidget().setMaximumSize(0, 0)
    dock = HelpDock(model, win)
    win.addDockWidget(Qt.LeftDockWidgetArea, dock)
    dock.set_topic("mse_vs_ce")
    win.resize(600, 800)
    settle(win, 200)
    page = dock.html()
    k = [0]

    def set_html():
        dock.browser.setHtml(page)
        flush_paint(win)

    def follow_marker():
        k[0] += 1
        model.set_z_marker(-4.0 + (k[0] % 80) * 0.1, finished=False)
        flush_paint(win)

    out = [Result(names["help_base"], timed(set_html, reps))]
    out.append(Result(names["help"], timed(follow_marker, reps), baseline=names["help_base"],
                      note="model update, numbers formatted, page set and repainted"))
    dock.disconnect_model()
    win.close()
    win.deleteLater()
    return out
