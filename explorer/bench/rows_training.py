"""Training-race rows: animation frame time with every dock shown, and the cost of computing a
300-epoch race, a 200×200 loss landscape and the dataset races -- each against a baseline
measured in the same run.

Frames are driven the way the app drives them: :meth:`TrainingDock.tick` with a clock that
advances 1/60 s per call at 60 epochs/s (one epoch per frame), then
:func:`explorer.bench.paint.flush_paint` until every dirty widget has painted.

The CPU row lets the race really play: the dock's own timer runs in the event loop for a few
seconds, and the row is the process CPU time over the wall time (100 % = one core busy).
"""
from __future__ import annotations

import math
import time

import numpy as np

from explorer.bench.runner import FRAME_GOAL, Goal, Result, frame_budget, timed
from explorer.bench.window import app_window

#: CPU while the race plays at 60 fps, at scale 1 (laptops on battery; issue 16)
CPU_GOAL = Goal(median_max=50, median_scales=(1,))
CPU_SECONDS = 4.0


def _frame_note(samples: list[float], scale: float) -> str:
    med, p95 = float(np.median(samples)), float(np.percentile(samples, 95))
    budget = frame_budget(scale)
    return (f"implied {1000.0 / med:.0f} fps at the median; headroom vs the {budget:g} ms frame "
            f"budget at this scale: {budget - med:+.1f} ms median, {budget - p95:+.1f} ms p95")


def _cpu_while_playing(ctx, model, window, mode: str, seconds: float) -> tuple[list[float], dict]:
    """Let the race play at 60 epochs/s on the dock's own timer for *seconds*; return the process
    CPU share (%) of each half-second slice, and how many frames were drawn."""
    from PySide6.QtCore import QEventLoop, QTimer

    from explorer.bench.paint import flush_paint

    model.set_training_mode(mode)
    model.set_training_speed(60)
    model.set_training_loop(True)
    model.set_training_epoch(0)
    flush_paint(window)
    frames = [0]

    def count(_change):
        frames[0] += 1

    model.sigChanged.connect(count)
    model.set_training_running(True)
    slices: list[float] = []
    loop = QEventLoop()
    start: list = []                           # (wall, cpu) when counting began
    last: list = []

    def sample():
        t, c = time.perf_counter(), time.process_time()
        if not start:                          # the first half second warms up, uncounted
            start[:] = last[:] = [t, c]
            frames[0] = 0
            return
        slices.append(100.0 * (c - last[1]) / max(1e-9, t - last[0]))
        last[:] = [t, c]
        if t - start[0] >= seconds:
            loop.quit()

    ticker = QTimer()
    ticker.setInterval(500)
    ticker.timeout.connect(sample)
    ticker.start()
    loop.exec()
    ticker.stop()
    model.set_training_running(False)
    model.sigChanged.disconnect(count)
    wall = last[0] - start[0]
    return slices, {"frames_per_second": frames[0] / wall if wall > 0 else 0.0}


def _window(ctx):
    return app_window(ctx, front=("trainingDock",))


def _race_frames(ctx, model, window, mode: str, frames: int) -> list[float]:
    """Frame times (ms): one timer tick advancing one epoch, then every dirty widget painted."""
    from explorer.bench.paint import flush_paint

    dock = window.docks["trainingDock"]
    model.set_training_mode(mode)
    model.set_training_speed(60)
    model.set_training_loop(True)
    model.set_training_epoch(0)
    flush_paint(window)
    # the bench is the clock: the dock's own timer may run but never fires during the bench
    dock._timer.setInterval(24 * 3600 * 1000)
    model.set_training_running(True)
    clock = [1000.0]

    def frame():
        clock[0] += 1.0 / 60.0
        dock.tick(now=clock[0])
        flush_paint(window)

    samples = timed(frame, frames, warmup=5)
    model.set_training_running(False)
    dock._timer.setInterval(dock.FRAME_MS)
    return samples


def _bare_curve_frames(ctx, frames: int) -> list[float]:
    """Baseline: one bare pyqtgraph plot (size of a dock) whose 300-point curve grows by a point
    per frame -- the least a race animation can cost."""
    import pyqtgraph as pg

    from explorer.app import settle
    from explorer.bench.paint import flush_paint

    ctx.app
    pw = pg.PlotWidget()
    x = np.arange(301.0)
    y = np.exp(-x / 60.0)
    curve = pw.plot([], [])
    pw.setXRange(0, 300)
    pw.setYRange(0, 1)
    pw.resize(530, 430)
    settle(pw, 200)
    k = [0]

    def frame():
        k[0] = k[0] % 300 + 1
        curve.setData(x[: k[0] + 1], y[: k[0] + 1])
        flush_paint(pw)

    samples = timed(frame, frames, warmup=5)
    pw.close()
    return samples


def _python_race(w0, b0, x, y, lr, epochs):
    """Baseline: both runs as plain Python loops with math.exp (no history kept beyond lists)."""
    out = []
    for loss in ("mse", "ce"):
        w, b = w0, b0
        ws, bs, as_ = [], [], []
        for _ in range(epochs + 1):
            a = 1.0 / (1.0 + math.exp(-(w * x + b)))
            ws.append(w)
            bs.append(b)
            as_.append(a)
            g = (a - y) * (a * (1 - a) if loss == "mse" else 1.0)
            w -= lr * g * x
            b -= lr * g
        out.append((ws, bs, as_))
    return out


def _python_landscape(n: int) -> None:
    """Baseline: an n×n landscape of both losses with nested Python loops."""
    ws = [-4 + 8 * j / (n - 1) for j in range(n)]
    for loss in ("mse", "ce"):
        for b in ws:
            for w in ws:
                z = w + b
                if loss == "mse":
                    a = 1.0 / (1.0 + math.exp(-z))
                    _ = 0.5 * a * a
                else:
                    _ = max(z, 0.0) + math.log1p(math.exp(-abs(z)))


def _python_logistic(X, lab, lr, epochs) -> None:
    """Baseline: full-batch logistic-regression GD with a per-sample Python loop (CE only)."""
    w1 = w2 = b = 0.0
    n = len(lab)
    for _ in range(epochs):
        g1 = g2 = gb = 0.0
        for (x1, x2), t in zip(X, lab):
            a = 1.0 / (1.0 + math.exp(-(w1 * x1 + w2 * x2 + b)))
            d = (a - t) / n
            g1 += d * x1
            g2 += d * x2
            gb += d
        w1 -= lr * g1
        w2 -= lr * g2
        b -= lr * gb


def rows(ctx) -> list[Result]:
    from explorer import core

    results: list[Result] = []
    names = {mode: f"race frame: tick + repaint, all docks shown, {mode}"
             for mode in ("neuron", "dataset", "multiclass")}
    names["family"] = "race frame: tick + repaint, all docks shown, neuron, CE vs focal (loss family)"
    names["cpu"] = "CPU while the race plays at 60 fps, all docks shown, neuron"
    names["alone"] = "race frame: tick + repaint, training dock alone, neuron"
    # "--only training" runs them all, as before
    want = {k: ctx.wanted(n) or ctx.wanted("training") for k, n in names.items()}
    if any(want.values()):
        frames = ctx.repeat(120)
        ctx.progress("baseline: bare pyqtgraph curve growing by one point per frame")
        base = "baseline: bare pyqtgraph curve, +1 point + repaint"
        results.append(Result(base, _bare_curve_frames(ctx, frames)))
        model, window = _window(ctx)
        for mode in ("neuron", "dataset", "multiclass"):
            if want[mode]:
                ctx.progress(f"race frames, all docks shown, {mode} mode")
                samples = _race_frames(ctx, model, window, mode, frames)
                results.append(Result(names[mode], samples, baseline=base, goal=FRAME_GOAL,
                                      note=_frame_note(samples, ctx.scale)))
        if want["family"]:
            ctx.progress("race frames, all docks shown, CE against focal γ = 2")
            model.set_training_losses("ce_focal")
            samples = _race_frames(ctx, model, window, "neuron", frames)
            model.set_training_losses("mse_ce")
            results.append(Result(names["family"], samples, baseline=base, goal=FRAME_GOAL,
                                  note=_frame_note(samples, ctx.scale)))
        if want["cpu"]:
            ctx.progress(f"race playing on its own timer for {CPU_SECONDS:g} s: CPU share")
            slices, extra = _cpu_while_playing(ctx, model, window, "neuron", CPU_SECONDS)
            results.append(Result(names["cpu"], slices, unit="% of a core", goal=CPU_GOAL,
                                  extra=extra,
                                  note=(f"process CPU time / wall time over {CPU_SECONDS:g} s of "
                                        f"the dock's own timer, in 0.5 s slices; "
                                        f"{extra['frames_per_second']:.0f} model changes per "
                                        f"second")))
        if want["alone"]:
            ctx.progress("race frames, training dock alone")
            for name, d in window.docks.items():
                if name != "trainingDock":
                    d.hide()
            samples = _race_frames(ctx, model, window, "neuron", frames)
            results.append(Result(names["alone"], samples, baseline=base, goal=FRAME_GOAL,
                                  note=_frame_note(samples, ctx.scale)))
        window.close()
        window.deleteLater()
    if (ctx.wanted("race compute") or ctx.wanted("training")) and ctx.scale_free:
        reps = ctx.repeat(30)
        ctx.progress("300-epoch race: Python loops vs core")
        base = "baseline: 300-epoch race, plain Python loops (MSE+CE)"
        results.append(Result(base, timed(lambda: _python_race(2.0, 2.0, 1.0, 0.0, 0.15, 300), reps)))
        results.append(Result("300-epoch race, MSE+CE (core.train_neuron x2)",
                              timed(lambda: [core.train_neuron(2.0, 2.0, 1.0, 0.0, 0.15, 300, loss)
                                             for loss in ("mse", "ce")], reps), baseline=base))
        ctx.progress("200x200 landscape: Python loops (50x50, scaled x16) vs core")
        base = "baseline: Python-loop landscape 50x50 x16 (=200x200), both losses"
        py = timed(lambda: _python_landscape(50), max(3, reps // 3))
        results.append(Result(base, [16.0 * s for s in py],
                              note="a 50×50 grid timed and scaled by 16 (the loop is linear in cells)"))
        grid = np.linspace(-4, 4, 200)
        results.append(Result("200x200 landscape, both losses (core.neuron_loss_landscape)",
                              timed(lambda: [core.neuron_loss_landscape(grid, grid, 1.0, 0.0, loss)
                                             for loss in ("mse", "ce")], reps), baseline=base))
        from explorer.model import AppModel
        model = AppModel()
        presets = ["nielsen_saturated", "nielsen_well_started"]
        k = [0]

        def edit():
            k[0] += 1
            model.apply_training_preset(presets[k[0] % 2])   # histories + landscape, once each

        results.append(Result("model: preset edit -> race + landscape recomputed", timed(edit, reps),
                              baseline="baseline: 300-epoch race, plain Python loops (MSE+CE)"))
        ctx.progress("dataset races: Python loop vs core")
        X, lab = core.make_blobs(40, 0.15, seed=1)
        base = "baseline: logistic GD, per-sample Python loop, 80 points x 300 epochs (CE only)"
        results.append(Result(base, timed(lambda: _python_logistic(X.tolist(), lab.tolist(), 0.5, 300),
                                          max(3, reps // 5))))
        results.append(Result("dataset race 2 classes: MSE+CE, 300 epochs + 48x48 grids",
                              timed(lambda: core.classifier_race(X, lab, 2, 0.5, 300), reps), baseline=base))
        X3, lab3 = core.make_blobs(40, 0.15, seed=1, n_classes=3)
        results.append(Result("dataset race 3 classes: MSE+CE, 300 epochs + 48x48 grids",
                              timed(lambda: core.classifier_race(X3, lab3, 3, 0.5, 300), reps),
                              baseline=base))
    return results
