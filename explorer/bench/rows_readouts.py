"""Readout rows: one p edit (a drag move) -> the readouts and the breakdown repainted.

Baseline: a bare ``QTableWidget`` with the same N category rows (and a Σ row) × 8 columns whose
every cell gets a new text, then repainted — the least any live table of these numbers costs.
The readout row includes the model's recomputation, the numbers, the identity bar, the table
and the grouped bar chart of the breakdown.
"""
from __future__ import annotations

import numpy as np

from explorer.bench.runner import Result, timed

COLUMNS = 8
SIZES = (10, 50)


def _candidates(n: int, seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.dirichlet(np.ones(n)) for _ in range(16)]


def _readouts_samples(ctx, n: int, repeat: int) -> list[float]:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMainWindow, QWidget

    from explorer.app import settle
    from explorer.bench.paint import flush_paint
    from explorer.model import AppModel
    from explorer.ui.docks.breakdown_dock import BreakdownDock
    from explorer.ui.docks.readouts_dock import ReadoutsDock

    ctx.app
    model = AppModel()
    rng = np.random.default_rng(0)
    model.set_distributions(rng.dirichlet(np.ones(n)), rng.dirichlet(np.ones(n)),
                            [f"x{i + 1}" for i in range(n)])
    win = QMainWindow()
    win.setCentralWidget(QWidget())
    win.centralWidget().setMaximumSize(0, 0)
    readouts, breakdown = ReadoutsDock(model, win), BreakdownDock(model, win)
    win.addDockWidget(Qt.LeftDockWidgetArea, readouts)
    win.splitDockWidget(readouts, breakdown, Qt.Horizontal)
    win.resize(1100, 700)
    settle(win, 300)
    candidates = _candidates(n, 2)
    k = [0]

    def edit():
        k[0] += 1
        model.set_p(candidates[k[0] % len(candidates)], finished=False)
        flush_paint(win)

    samples = timed(edit, repeat, warmup=3)
    for dock in (readouts, breakdown):
        dock.disconnect_model()
    win.close()
    win.deleteLater()
    return samples


def _bare_table_samples(ctx, n: int, repeat: int) -> list[float]:
    from PySide6.QtWidgets import QTableWidget, QTableWidgetItem

    from explorer.app import settle
    from explorer.bench.paint import flush_paint

    ctx.app
    table = QTableWidget(n + 1, COLUMNS)
    for r in range(n + 1):
        for c in range(COLUMNS):
            table.setItem(r, c, QTableWidgetItem("0"))
    table.resize(550, 700)
    settle(table, 200)
    candidates = _candidates(n, 3)
    k = [0]

    def edit():
        k[0] += 1
        p = candidates[k[0] % len(candidates)]
        for r in range(n):
            for c in range(COLUMNS):
                table.item(r, c).setText(f"{p[r] * (c + 1):.4f}")
        for c in range(COLUMNS):
            table.item(n, c).setText(f"{c:.4f}")
        flush_paint(table)

    samples = timed(edit, repeat, warmup=3)
    table.close()
    table.deleteLater()
    return samples


def rows(ctx) -> list[Result]:
    results = []
    reps = ctx.repeat(40)
    for n in SIZES:
        base = f"baseline: bare QTableWidget {n + 1}x{COLUMNS} cells updated+repaint N={n}"
        name = f"edit p -> readouts/breakdown repainted N={n}"
        if not (ctx.wanted(name) or ctx.wanted(base)):
            continue
        ctx.progress(f"bare table, N={n}")
        results.append(Result(base, _bare_table_samples(ctx, n, reps)))
        ctx.progress(f"p edit -> readouts and breakdown repainted, N={n}")
        results.append(Result(name, _readouts_samples(ctx, n, reps), baseline=base,
                              note="model recompute + numbers, identity bar, table, grouped bars"))
    return results
