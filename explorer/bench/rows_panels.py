"""Sigmoid / softmax panel rows: dragging the z marker (and a logit bar) with synthetic mouse
moves in the full window, and choosing another softmax target, against a bare pyqtgraph
InfiniteLine setValue + repaint."""
from __future__ import annotations

import numpy as np

from explorer.bench import rows_losses
from explorer.bench.runner import FRAME_GOAL, Result, timed
from explorer.bench.window import app_window

BASELINE = "baseline: bare InfiniteLine setValue+repaint"
TARGET = "softmax target change -> all docks repainted"


def _sweep(k: int, lo: float, hi: float, steps: int = 24) -> float:
    """Positions going back and forth between lo and hi, so every move is a real change."""
    t = k % (2 * steps)
    f = t / steps if t <= steps else 2 - t / steps
    return lo + (hi - lo) * f


def _bare_line(ctx, repeat: int) -> list[float]:
    import pyqtgraph as pg

    from explorer.app import settle
    from explorer.bench.paint import flush_paint

    ctx.app
    pw = pg.PlotWidget()
    z = np.linspace(-10, 10, 801)
    pw.plot(z, 1 / (1 + np.exp(-z)))
    line = pg.InfiniteLine(angle=90, movable=True)
    pw.addItem(line)
    pw.resize(500, 220)
    settle(pw, 200)
    k = [0]

    def move():
        k[0] += 1
        line.setValue(_sweep(k[0], -8, 8))
        flush_paint(pw)

    samples = timed(move, repeat, warmup=3)
    pw.close()
    pw.deleteLater()
    return samples


class _Drag:
    """A left-button drag on a plot viewport, driven one synthetic move at a time."""

    def __init__(self, pw, x0: float, y: float):
        from PySide6.QtCore import QPointF, Qt
        from PySide6.QtTest import QTest

        self.pw, self.y, self.QTest, self.Qt, self.QPointF = pw, y, QTest, Qt, QPointF
        self.vp = pw.viewport()
        p0 = self.point(x0, y)
        QTest.mouseMove(self.vp, p0)
        QTest.mousePress(self.vp, Qt.LeftButton, pos=p0)

    def point(self, x: float, y: float):
        if hasattr(self.pw, "map_to_widget"):           # a self-painted chart
            return self.pw.map_to_widget(x, y).toPoint()
        vb = self.pw.getPlotItem().getViewBox()
        return self.pw.mapFromScene(vb.mapViewToScene(self.QPointF(x, y)))

    def move(self, x: float, y: float | None = None) -> None:
        self.QTest.mouseMove(self.vp, self.point(x, self.y if y is None else y))

    def release(self, x: float, y: float | None = None) -> None:
        self.QTest.mouseRelease(self.vp, self.Qt.LeftButton, pos=self.point(x, self.y if y is None else y))


def _window(ctx):
    return app_window(ctx, front=("softmaxDock",))


def _drag_marker(ctx, repeat: int) -> tuple[list[float], dict]:
    from explorer.bench.paint import flush_paint

    model, window = _window(ctx)
    sig, soft = window.docks["sigmoidDock"], window.docks["softmaxDock"]
    changes = []
    model.sigChanged.connect(lambda c: changes.append(c))
    drag = _Drag(sig.act_plot, model.z_marker, 0.5)
    drag.move(model.z_marker - 1.0)              # leave the 5 px click threshold behind
    flush_paint(window)
    k = [0]

    def move():
        k[0] += 1
        drag.move(_sweep(k[0], -8, 8))
        soft.body().update()                   # the softmax dock repaints too (nothing changed there)
        flush_paint(window)

    before = len(changes)
    samples = timed(move, repeat, warmup=3)
    moved = len(changes) - before
    drag.release(0.0)
    flush_paint(window)
    window.close()
    window.deleteLater()
    return samples, {"model_changes": moved, "moves": repeat + 3}


def _drag_logit(ctx, repeat: int) -> tuple[list[float], dict]:
    from explorer.bench.paint import flush_paint

    model, window = _window(ctx)
    soft = window.docks["softmaxDock"]
    pw = soft.logit_plot
    pw.set_value_axis(-4, 4)
    changes = []
    model.sigChanged.connect(lambda c: changes.append(c))
    drag = _Drag(pw, 0.0, 1.0)
    drag.move(0.0, 1.3)
    flush_paint(window)
    k = [0]

    def move():
        k[0] += 1
        drag.move(0.0, _sweep(k[0], 0.0, 2.0))
        flush_paint(window)

    before = len(changes)
    samples = timed(move, repeat, warmup=3)
    moved = len(changes) - before
    drag.release(0.0, 1.0)
    flush_paint(window)
    window.close()
    window.deleteLater()
    return samples, {"model_changes": moved, "moves": repeat + 3}


def _target_changes(ctx, repeat: int) -> tuple[list[float], dict]:
    """The softmax target cycles through one-hot of each class and y = p (the model command the
    target and class choosers call), each change until every dirty widget has painted."""
    from explorer.bench.paint import flush_paint

    model, window = _window(ctx)
    count = model.softmax_logits.size
    choices = [("onehot", c) for c in range(count)] + [("p", None)]
    changes = []
    model.sigChanged.connect(lambda c: changes.append(c))
    k = [0]

    def change():
        k[0] += 1
        kind, cls = choices[k[0] % len(choices)]
        model.set_softmax_target(kind, cls)
        flush_paint(window)

    before = len(changes)
    samples = timed(change, repeat, warmup=3)
    moved = len(changes) - before
    window.close()
    window.deleteLater()
    return samples, {"model_changes": moved, "changes": repeat + 3}


def rows(ctx) -> list[Result]:
    import pyqtgraph as pg

    results = []
    want_marker = ctx.wanted("drag z marker -> sigmoid + softmax docks repainted")
    want_logit = ctx.wanted("drag logit bar -> softmax dock repainted")
    want_target = ctx.wanted(TARGET)
    want_losses = any(ctx.wanted(n) for n in rows_losses.NAMES.values())
    if not (want_marker or want_logit or want_target or want_losses or ctx.wanted(BASELINE)):
        return results
    reps = ctx.repeat(60)
    old_limit = pg.getConfigOption("mouseRateLimit")
    pg.setConfigOptions(mouseRateLimit=-1)      # synthetic moves come faster than 100 Hz
    try:
        ctx.progress("baseline: bare pyqtgraph InfiniteLine setValue + repaint")
        results.append(Result(BASELINE, _bare_line(ctx, reps),
                              note="one PlotWidget with a curve and a vertical line, event-loop flush"))
        if want_marker:
            ctx.progress("drag the z marker in the full window")
            samples, extra = _drag_marker(ctx, reps)
            results.append(Result(
                "drag z marker -> sigmoid + softmax docks repainted", samples, baseline=BASELINE,
                goal=FRAME_GOAL,
                note=(f"one synthetic mouse move per sample through pyqtgraph's drag handling -> "
                      f"model -> both docks; {extra['model_changes']} model changes for "
                      f"{extra['moves']} moves"), extra=extra))
        if want_logit:
            ctx.progress("drag a softmax logit bar in the full window")
            samples, extra = _drag_logit(ctx, reps)
            results.append(Result(
                "drag logit bar -> softmax dock repainted", samples, baseline=BASELINE,
                goal=FRAME_GOAL,
                note=(f"a, a − y, finite-difference check recomputed per move; "
                      f"{extra['model_changes']} model changes for {extra['moves']} moves"),
                extra=extra))
        if want_target:
            ctx.progress("softmax target changes in the full window")
            samples, extra = _target_changes(ctx, reps)
            results.append(Result(
                TARGET, samples, baseline=BASELINE, goal=FRAME_GOAL,
                note=(f"one-hot of each class, then y = p, in turn (model.set_softmax_target); "
                      f"{extra['model_changes']} model changes for {extra['changes']} choices"),
                extra=extra))
        if want_losses:
            results.extend(rows_losses.loss_rows(ctx, ctx.repeat(40), BASELINE))
    finally:
        pg.setConfigOptions(mouseRateLimit=old_limit)
    return results
