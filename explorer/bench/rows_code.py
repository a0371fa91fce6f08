"""Code tab rows: one p edit (a drag move) -> every snippet regenerated and the Code tab
repainted; and the text generation alone.

The code tab drag row is a real drag move on the p editor in the full window (1600×1000, the
default layout) with the Code tab in front of the readouts: every visible dock redraws, the
Code tab's snippets are regenerated.

Baseline: a bare ``QPlainTextEdit`` getting the same amount of new text (the NumPy snippet's
length times the number of snippets) and repainting — the least a live code view costs.
"""
from __future__ import annotations

import numpy as np

from explorer.bench.runner import FRAME_GOAL, Result, timed

SIZES = (10, 50)


def _model(n: int):
    from explorer.model import AppModel

    model = AppModel()
    rng = np.random.default_rng(0)
    model.set_distributions(rng.dirichlet(np.ones(n)), rng.dirichlet(np.ones(n)),
                            [f"x{i + 1}" for i in range(n)])
    return model


def _candidates(n: int) -> list[np.ndarray]:
    rng = np.random.default_rng(2)
    return [rng.dirichlet(np.ones(n)) for _ in range(16)]


def _dock_samples(ctx, n: int, repeat: int) -> list[float]:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMainWindow, QWidget

    from explorer.app import settle
    from explorer.bench.paint import flush_paint
    from explorer.ui.docks.code_dock import CodeDock

    ctx.app
    model = _model(n)
    win = QMainWindow()
    win.setCentralWidget(QWidget())
    win.centralWidget().setMaximumSize(0, 0)
    dock = CodeDock(model, win)
    win.addDockWidget(Qt.LeftDockWidgetArea, dock)
    win.resize(700, 900)
    settle(win, 300)
    candidates = _candidates(n)
    k = [0]

    def edit():
        k[0] += 1
        model.set_p(candidates[k[0] % len(candidates)], finished=False)
        flush_paint(win)

    samples = timed(edit, repeat, warmup=3)
    dock.disconnect_model()
    win.close()
    win.deleteLater()
    return samples


def _bare_samples(ctx, n: int, repeat: int) -> list[float]:
    from PySide6.QtWidgets import QPlainTextEdit

    from explorer import codegen
    from explorer.app import settle
    from explorer.bench.paint import flush_paint

    ctx.app
    model = _model(n)
    snippets = codegen.snippets(codegen.inputs_from_model(model))
    text = "\n".join(s.code for s in snippets)
    view = QPlainTextEdit()
    view.setReadOnly(True)
    view.resize(700, 900)
    settle(view, 200)
    k = [0]

    def edit():
        k[0] += 1
        view.setPlainText(text.replace("0.", f"{k[0] % 10}.", 1))
        flush_paint(view)

    samples = timed(edit, repeat, warmup=3)
    view.close()
    view.deleteLater()
    return samples


def _codegen_samples(n: int, repeat: int) -> list[float]:
    from explorer import codegen

    model = _model(n)
    candidates = _candidates(n)
    k = [0]

    def generate():
        k[0] += 1
        model.set_p(candidates[k[0] % len(candidates)], finished=False)
        codegen.snippets(codegen.inputs_from_model(model))

    return timed(generate, repeat, warmup=3)


def rows(ctx) -> list[Result]:
    results = []
    reps = ctx.repeat(30)
    for n in SIZES:
        base = f"baseline: bare QPlainTextEdit, all snippets' text set+repaint N={n}"
        name = f"edit p -> code tab regenerated+repainted N={n}"
        gen = f"edit p -> code snippets generated (model + text, no Qt) N={n}"
        if ctx.wanted(name) or ctx.wanted(base):
            ctx.progress(f"bare text view, N={n}")
            results.append(Result(base, _bare_samples(ctx, n, reps)))
            ctx.progress(f"p edit -> code tab, N={n}")
            results.append(Result(name, _dock_samples(ctx, n, reps), baseline=base,
                                  note="model recompute + 14 snippets from templates, views "
                                       "whose text changed repainted"))
        drag = f"code tab in front: editor drag move -> all docks repainted N={n}"
        if n == SIZES[0] and ctx.wanted(drag):
            from explorer.bench.rows_editors import _drag_samples
            ctx.progress(f"drag move on the p editor with the code tab in front, N={n}")
            if not any(r.name == base for r in results):
                results.append(Result(base, _bare_samples(ctx, n, reps)))
            samples, _size = _drag_samples(ctx, n, reps, front="codeDock")
            results.append(Result(drag, samples, baseline=base, goal=FRAME_GOAL,
                                  note="full window, default layout, Code tab raised over the "
                                       "readouts"))
        if ctx.wanted(gen) and ctx.scale_free:
            results.append(Result(gen, _codegen_samples(n, reps)))
    return results
