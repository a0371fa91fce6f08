"""Foundation rows: start-up, one p edit -> every dock repainted, and the 300-epoch race."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from explorer import resources
from explorer.bench.runner import Goal, Result, timed
from explorer.bench.window import app_window

#: start-up to every visible dock painted, against the bare window of the same run (issue 16)
STARTUP_GOAL = Goal(ratio_max=1.3)

ROOT = resources.import_root()

_CHILD_BARE = r"""
import sys, time
from PySide6.QtWidgets import QApplication
from PySide6.QtCore import QObject, QEvent
import pyqtgraph as pg
app = QApplication(sys.argv[:1])
w = pg.PlotWidget(); w.plot([0, 1, 2], [0, 1, 0]); w.resize(1600, 1000)
class F(QObject):
    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Paint:
            print("painted", flush=True); app.exit(0)
        return False
f = F(); w.viewport().installEventFilter(f); w.show(); app.exec()
"""

_CHILD_APP = r"""
import sys
from PySide6.QtCore import QObject, QEvent, QSettings
from explorer.app import get_app
from explorer.model import AppModel
from explorer.ui.main_window import MainWindow
app = get_app()
w = MainWindow(AppModel(), settings=QSettings(sys.argv[1], QSettings.IniFormat), restore_layout=False,
               workspace="all")
w.resize(1600, 1000)
docks = list(w.docks.values())
seen = set()
class F(QObject):
    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Paint:
            seen.add(obj)
            # every dock on screen has built its body and painted it (docks are built when
            # they come on screen; tabs behind others never paint until chosen)
            if all(d.body().visibleRegion().isEmpty() or (d.is_built() and d.body() in seen)
                   for d in docks):
                print("painted", flush=True); app.exit(0)
        return False
f = F()
def watch(dock):                # a lazy dock's body is replaced when it is built
    dock.body().installEventFilter(f)
for d in docks:
    watch(d)
    d.built.connect(watch)
w.show(); app.exec()
"""


def _startup_once(code: str) -> float | None:
    """Milliseconds from starting a child Python running *code* until it prints "painted"."""
    # the platform and QT_SCALE_FACTOR of this bench process (offscreen unless told otherwise)
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               PYTHONPATH=str(ROOT))
    # byte-compiled modules, as an installed wheel has them (pip compiles them): with
    # PYTHONDONTWRITEBYTECODE set (some shells and containers set it) every start of a
    # checkout would compile the app's ~100 modules again, which no user's start does; the
    # unmeasured first start writes them
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    ini = str(Path(os.environ.get("TMPDIR", "/tmp")) / "explorer-bench.ini")
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, ini], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, env=env, cwd=str(ROOT), text=True)
    line = proc.stdout.readline()
    dt = (time.perf_counter() - t0) * 1000
    proc.wait(timeout=60)
    return dt if line.strip() == "painted" else None


def _startup_pairs(repeat: int, ctx) -> tuple[list[float], list[float]]:
    """Bare window and app start-ups, alternated (the machine is shared: a busy spell then
    slows both alike instead of one of them), after one unmeasured start of each (disk cache)."""
    bare, app = [], []
    _startup_once(_CHILD_BARE)
    _startup_once(_CHILD_APP)
    for i in range(repeat):
        ctx.progress(f"start-up {i + 1}/{repeat}: bare window, then the app")
        for code, out in ((_CHILD_BARE, bare), (_CHILD_APP, app)):
            dt = _startup_once(code)
            if dt is not None:
                out.append(dt)
    return bare, app


def _edit_repaint_samples(ctx, n: int, repeat: int) -> list[float]:
    from explorer.bench.paint import flush_paint
    from explorer.model import AppModel

    ctx.app
    model = AppModel()
    rng = np.random.default_rng(0)
    p0 = rng.dirichlet(np.ones(n))
    model.set_distributions(p0, rng.dirichlet(np.ones(n)), [f"x{i + 1}" for i in range(n)])
    _, window = app_window(ctx, model, interactive=True)
    candidates = [rng.dirichlet(np.ones(n)) for _ in range(16)]
    k = [0]

    def edit():
        k[0] += 1
        model.set_p(candidates[k[0] % len(candidates)], finished=False)
        flush_paint(window)

    samples = timed(edit, repeat, warmup=3)
    window.close()
    window.deleteLater()
    return samples


def _bare_bar_repaint(ctx, n: int, repeat: int) -> list[float]:
    import pyqtgraph as pg

    from explorer.app import settle
    from explorer.bench.paint import flush_paint

    ctx.app
    pw = pg.PlotWidget()
    bars = pg.BarGraphItem(x=np.arange(n), height=np.zeros(n), width=0.7)
    pw.addItem(bars)
    pw.resize(530, 330)
    settle(pw, 200)
    rng = np.random.default_rng(1)
    hs = [rng.dirichlet(np.ones(n)) for _ in range(16)]
    k = [0]

    def edit():
        k[0] += 1
        bars.setOpts(height=hs[k[0] % 16])
        flush_paint(pw)

    samples = timed(edit, repeat, warmup=3)
    pw.close()
    return samples


def _naive_train(w, b, x, y, lr, epochs, loss):
    import math
    for _ in range(epochs):
        z = w * x + b
        a = 1 / (1 + math.exp(-z))
        d = (a - y) * (a * (1 - a) if loss == "mse" else 1.0)
        w -= lr * d * x
        b -= lr * d
    return w, b


def rows(ctx) -> list[Result]:
    from explorer import core

    results = []
    if ctx.wanted("start-up"):
        reps = ctx.repeat(5)
        bare, app = _startup_pairs(reps, ctx)
        results.append(Result("start-up: bare PySide6+pyqtgraph window", bare,
                              note="process start to first paint"))
        results.append(Result("start-up: app, all docks painted", app,
                              baseline="start-up: bare PySide6+pyqtgraph window", goal=STARTUP_GOAL,
                              note="process start until every dock on screen has painted once"))
    if ctx.wanted("edit"):
        reps = ctx.repeat(40)
        ctx.progress("baseline: one bare pyqtgraph bar chart redraw")
        results.append(Result("baseline: bare bar chart setOpts+repaint N=10", _bare_bar_repaint(ctx, 10, reps)))
        for n in (10, 1000):
            ctx.progress(f"p edit -> every dock repainted, N={n}")
            results.append(Result(f"edit p -> all docks repainted N={n}", _edit_repaint_samples(ctx, n, reps),
                                  baseline="baseline: bare bar chart setOpts+repaint N=10"))
    if ctx.wanted("train") and ctx.scale_free:
        reps = ctx.repeat(200)
        ctx.progress("train_neuron 300 epochs, both losses")
        results.append(Result("baseline: naive Python GD loop, 300 epochs x2",
                              timed(lambda: [_naive_train(2, 2, 1, 0, 0.15, 300, l) for l in ("mse", "ce")], reps)))
        results.append(Result("train_neuron 300 epochs, MSE+CE",
                              timed(lambda: [core.train_neuron(2, 2, 1, 0, 0.15, 300, l) for l in ("mse", "ce")], reps),
                              baseline="baseline: naive Python GD loop, 300 epochs x2"))
    return results
