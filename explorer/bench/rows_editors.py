"""Editor rows: one synthetic drag move on the p editor -> every visible dock repainted.

The move is a real ``QMouseEvent`` sent to the p chart in the middle of a drag (press on a bar,
then moves alternating between two heights), so the figure covers the chart's event handling,
the model's re-normalisation and recomputation, every dock's refresh and the repaint
(:func:`explorer.bench.paint.flush_paint`).  pyqtgraph's mouse rate limit is switched off for
these rows (the other docks' plots are pyqtgraph's), so no move is dropped.

A second row (N = 10 and 1000) disconnects every other dock from the model, same layout, which
shows the editors' own share of the cost.

Baseline, measured in the same run: the same N bars drawn by matplotlib on an Agg canvas of the
p chart's size in device pixels (at scale 2 a figure on a 2× screen has twice the dpi) — set
every bar's height, then ``canvas.draw()`` — the usual way to redraw a matplotlib bar chart.
matplotlib is in the ``bench`` extras (``pip install -e ".[test,bench]"``); without it the
baseline rows are reported as missing, with that hint, and the ratio goals as not checked.
"""
from __future__ import annotations

import warnings

import numpy as np

from explorer.bench.runner import FRAME_BUDGET_MS, INSTALL_HINT, Goal, Result, timed
from explorer.bench.window import app_window

SIZES = (10, 100, 1000)
#: an interaction frame (120 Hz at scale 1, 60 Hz at scale 2) and ≥ 20× matplotlib (issue 16)
GOAL = Goal(p95_ms=dict(FRAME_BUDGET_MS), faster=20)


def _matplotlib_samples(n: int, repeat: int, size_px: tuple[int, int], scale: float = 1.0
                        ) -> list[float] | None:
    try:
        import matplotlib
        matplotlib.use("Agg", force=False)
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        return None
    dpi = 100 * scale           # the same figure in inches, drawn at the screen's pixel density
    fig = Figure(figsize=(size_px[0] / 100, size_px[1] / 100), dpi=dpi)
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_subplot(111)
    rng = np.random.default_rng(1)
    heights = [rng.dirichlet(np.ones(n)) for _ in range(16)]
    bars = ax.bar(np.arange(n), heights[0], width=0.7, color="#0072B2")
    ax.set_ylim(-0.04, 1.1)
    ax.set_ylabel("probability")
    step = max(1, n // 25)
    ax.set_xticks(np.arange(0, n, step), [f"x{i + 1}" for i in range(0, n, step)])
    if n <= 40:
        texts = [ax.text(i, h, f"{h:.3f}", ha="center", va="bottom") for i, h in enumerate(heights[0])]
    else:
        texts = []
    canvas.draw()
    k = [0]

    def redraw():
        k[0] += 1
        h = heights[k[0] % len(heights)]
        for rect, v in zip(bars, h):
            rect.set_height(v)
        for t, v in zip(texts, h):
            t.set_position((t.get_position()[0], v))
            t.set_text(f"{v:.3f}")
        canvas.draw()

    return timed(redraw, repeat, warmup=3)


def _drag_samples(ctx, n: int, repeat: int, only_editors: bool = False,
                  front: str | None = None) -> tuple[list[float], tuple[int, int]]:
    """Samples of one drag move on the p editor (ms) and the p chart's size.  *front* names a
    dock brought to the front of its tab group first (e.g. "codeDock")."""
    import pyqtgraph as pg
    from PySide6.QtCore import QEvent, QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    from explorer.app import settle
    from explorer.bench.paint import flush_paint
    from explorer.model import AppModel

    ctx.app
    old_limit = pg.getConfigOption("mouseRateLimit")
    pg.setConfigOptions(mouseRateLimit=-1)
    model = AppModel()
    rng = np.random.default_rng(0)
    p = rng.dirichlet(np.ones(n))
    k_bar = int(np.argmax(p))
    model.set_distributions(p, rng.dirichlet(np.ones(n)), [f"x{i + 1}" for i in range(n)])
    _, window = app_window(ctx, model, front=(front,) if front else ())
    if only_editors:        # same layout, but the other docks no longer hear of the change
        for name, dock in window.docks.items():
            if name not in ("pEditorDock", "qEditorDock"):
                dock.disconnect_model()
    settle(window, 300)
    pw = window.docks["pEditorDock"].plot
    viewport = pw.viewport()

    def at(y):
        return QPointF(pw.map_to_widget(k_bar, y))

    def send(kind, pos, button, buttons):
        ev = QMouseEvent(kind, pos, QPointF(viewport.mapToGlobal(pos.toPoint())), button, buttons,
                         Qt.NoModifier)
        QApplication.sendEvent(viewport, ev)

    top = float(model.p[k_bar])
    start = at(top)
    send(QEvent.MouseMove, start, Qt.NoButton, Qt.NoButton)      # hover first, like a user
    send(QEvent.MouseButtonPress, start, Qt.LeftButton, Qt.LeftButton)
    targets = [at(min(0.95, top + 0.25)), at(max(0.05, top * 0.5))]
    send(QEvent.MouseMove, targets[0], Qt.NoButton, Qt.LeftButton)   # starts the drag
    flush_paint(window)
    k = [0]

    def move():
        k[0] += 1
        send(QEvent.MouseMove, targets[k[0] % 2], Qt.NoButton, Qt.LeftButton)
        flush_paint(window)

    before = model.p.copy()
    samples = timed(move, repeat, warmup=3)
    moved = not np.array_equal(before, model.p)
    send(QEvent.MouseButtonRelease, targets[k[0] % 2], Qt.LeftButton, Qt.NoButton)
    flush_paint(window)
    size = (pw.width(), pw.height())
    with warnings.catch_warnings():     # docks disconnected above warn when disconnected again
        warnings.simplefilter("ignore", RuntimeWarning)
        window.close()
    window.deleteLater()
    ctx.clean_up()
    pg.setConfigOptions(mouseRateLimit=old_limit)
    if not moved:
        raise RuntimeError(f"editor bench: the synthetic drag did not move p (N={n})")
    return samples, size


def _names(n: int) -> tuple[str, str, str | None]:
    """(baseline, all docks, editors only) row names for N = *n*; no editors-only row at 100."""
    return (f"baseline: matplotlib bar chart redraw (Agg) N={n}",
            f"editor drag move -> all docks repainted N={n}",
            f"editor drag move -> only p, q editors redraw N={n}" if n in (10, 1000) else None)


def row_names() -> list[str]:
    """Every row this module can measure (``bench --only`` selects by any part of one)."""
    return [name for n in SIZES for name in _names(n) if name]


def rows(ctx) -> list[Result]:
    results = []
    if not any(ctx.wanted(name) for name in row_names()):
        return results
    for n in SIZES:
        reps = ctx.repeat(40 if n < 1000 else 25)
        ctx.progress(f"drag move on the p editor -> all docks repainted, N={n}")
        samples, size = _drag_samples(ctx, n, reps)
        ctx.progress(f"baseline: matplotlib Agg bar chart redraw, N={n}")
        base = _matplotlib_samples(n, reps, size, ctx.scale)
        base_name, all_name, only_name = _names(n)
        dev = (round(size[0] * ctx.scale), round(size[1] * ctx.scale))
        if base is not None:
            results.append(Result(base_name, base, note=f"{dev[0]}x{dev[1]} px canvas (the p chart "
                                  "in device pixels), set_height on every bar + canvas.draw()"))
        else:
            results.append(Result(base_name, [], missing=f"matplotlib is not installed, so the "
                                  f"editor rows have no ratio; install the bench extras: {INSTALL_HINT}"))
        results.append(Result(all_name, samples, baseline=base_name, goal=GOAL))
        if only_name:
            ctx.progress(f"drag move with only the two editors redrawing, N={n}")
            only, _ = _drag_samples(ctx, n, reps, only_editors=True)
            results.append(Result(only_name, only, baseline=base_name,
                                  note="the editors' own share: the other docks, same layout, "
                                       "are disconnected from the model and do not redraw"))
    return results
