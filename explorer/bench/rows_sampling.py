"""Sampling rows (issue 17): a frame of the sampling panel playing at 1000 events per second
with every dock shown, and the model's cost of drawing and scoring events — each against a
baseline measured in the same run.

Frames are driven the way the app drives them: :meth:`SamplingDock.tick` with a clock that
advances 1/60 s per call (about 17 events per frame at 1000/s), then every dirty widget painted.
A second row draws 1000 events per frame (the issue's stress case: 60 000 events per second).
"""
from __future__ import annotations

import numpy as np

from explorer.bench.runner import FRAME_GOAL, Result, timed
from explorer.bench.window import app_window


def _window(ctx):
    return app_window(ctx, front=("samplingDock",))


def _frames(ctx, model, window, frames: int, per_frame: int | None) -> list[float]:
    from explorer.bench.paint import flush_paint

    dock = window.docks["samplingDock"]
    model.apply_preset("pc-power-on")
    model.reset_sample()
    model.set_sample_rate(1000)
    flush_paint(window)
    dock._timer.setInterval(24 * 3600 * 1000)      # the bench is the clock
    clock = [1000.0]
    if per_frame is None:
        model.set_sample_running(True)

    def frame():
        if per_frame is None:
            clock[0] += 1.0 / 60.0
            dock.tick(now=clock[0])
        else:
            model.draw_samples(per_frame, finished=False)
        flush_paint(window)

    samples = timed(frame, frames, warmup=5)
    model.set_sample_running(False)
    dock._timer.setInterval(dock.FRAME_MS if hasattr(dock, "FRAME_MS") else 16)
    return samples


def _python_scoring(events: list, q: list) -> float:
    """Baseline: the running mean of −log q(x) over a sample with a plain Python loop."""
    import math
    total = 0.0
    for k, e in enumerate(events, 1):
        total += -math.log(q[e])
        _ = total / k
    return total


def rows(ctx) -> list[Result]:
    from explorer import core

    results: list[Result] = []
    if ctx.wanted("sampl"):
        frames = ctx.repeat(120)
        from explorer.bench.rows_training import _bare_curve_frames
        base = "baseline (sampling): bare pyqtgraph curve, +1 point + repaint"
        ctx.progress("baseline: bare pyqtgraph curve growing by one point per frame")
        results.append(Result(base, _bare_curve_frames(ctx, frames)))
        model, window = _window(ctx)
        ctx.progress("sampling frames at 1000 events/s, all docks shown")
        samples = _frames(ctx, model, window, frames, None)
        results.append(Result("sampling frame: 1000 events/s (tick + repaint), all docks shown",
                              samples, baseline=base, goal=FRAME_GOAL))
        ctx.progress("sampling frames drawing 1000 events each, all docks shown")
        samples = _frames(ctx, model, window, frames, 1000)
        results.append(Result("sampling frame: +1000 events (draw + score + repaint), all docks",
                              samples, baseline=base, goal=FRAME_GOAL,
                              note=f"sample grows to {model.sampling.count:,} events"))
        window.close()
        window.deleteLater()
    if ctx.wanted("sampl") and ctx.scale_free:
        reps = ctx.repeat(20)
        p = np.array([0.7, 0.2, 0.1])
        q = [1 / 3, 1 / 3, 1 / 3]
        ev = core.draw_events(p, 1, 0, 100_000)
        base2 = "baseline: running mean of −log q over 100 000 events, Python loop"
        results.append(Result(base2, timed(lambda: _python_scoring(ev.tolist(), q), max(3, reps // 4))))
        results.append(Result("score 100 000 events: core.running_information (means + SE ×3)",
                              timed(lambda: core.running_information(ev, p, q), reps), baseline=base2))
        results.append(Result("draw 100 000 events: core.draw_events (counter-based)",
                              timed(lambda: core.draw_events(p, 1, 0, 100_000), reps), baseline=base2))
    return results
