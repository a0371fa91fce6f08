"""Loss-family rows (issue 18's controls, issue 16's budgets): the sigmoid panel's focal γ and
smoothed-CE ε sliders dragged with all five losses drawn, and the softmax panel's label
smoothing ε and logit-growth η with the logit-growth race shown -- each in the "All panels"
window at 1600×1000, the widget's own signal driving the dock and the model as a user's drag
does, then every dirty widget painted.

Run from :mod:`explorer.bench.rows_panels`, against its baseline (a bare InfiniteLine moved and
repainted) measured in the same process.
"""
from __future__ import annotations

from explorer.bench.runner import FRAME_GOAL, Result, timed
from explorer.bench.window import app_window

NAMES = {
    "gamma": "loss family: focal γ slider drag (5 losses drawn) -> sigmoid dock repainted",
    "eps": "loss family: smoothed-CE ε slider drag (5 losses drawn) -> sigmoid dock repainted",
    "smoothing": "softmax label smoothing ε change (logit-growth race shown) -> repainted",
    "growth": "softmax logit-growth η change -> race recomputed + repainted",
}


def _slider_drag(slider, values, repeat: int, window) -> list[float]:
    from explorer.bench.paint import flush_paint

    slider.setSliderDown(True)                  # a drag in progress: "changing", not "finished"
    k = [0]

    def move():
        k[0] += 1
        slider.setValue(values[k[0] % len(values)])
        flush_paint(window)

    try:
        return timed(move, repeat, warmup=3)
    finally:
        slider.setSliderDown(False)


def _spin_steps(spin, values, repeat: int, window) -> list[float]:
    from explorer.bench.paint import flush_paint

    k = [0]

    def step():
        k[0] += 1
        spin.setValue(values[k[0] % len(values)])
        flush_paint(window)

    return timed(step, repeat, warmup=3)


def loss_rows(ctx, reps: int, baseline: str) -> list[Result]:
    from explorer.core import BINARY_LOSSES

    want = {k: ctx.wanted(n) for k, n in NAMES.items()}
    results: list[Result] = []
    if want["gamma"] or want["eps"]:
        model, window = app_window(ctx)
        model.set_sigmoid_losses(BINARY_LOSSES)
        dock = window.docks["sigmoidDock"]
        for key, slider in (("gamma", dock.gamma_slider), ("eps", dock.eps_slider)):
            if not want[key]:
                continue
            ctx.progress(NAMES[key])
            top = slider.maximum()
            values = [round(top * f) for f in (0.1, 0.2, 0.3, 0.4, 0.5, 0.4, 0.3, 0.2)]
            results.append(Result(NAMES[key], _slider_drag(slider, values, reps, window),
                                  baseline=baseline, goal=FRAME_GOAL,
                                  note="the slider's valueChanged while held down -> model "
                                       "(finished=False) -> every curve of the family redrawn"))
        window.close()
        window.deleteLater()
    if want["smoothing"] or want["growth"]:
        model, window = app_window(ctx, front=("softmaxDock",))
        dock = window.docks["softmaxDock"]
        dock.race_button.setChecked(True)            # the logit-growth race shown, computed
        from explorer.bench.paint import flush_paint
        flush_paint(window)
        if want["smoothing"]:
            ctx.progress(NAMES["smoothing"])
            results.append(Result(NAMES["smoothing"],
                                  _spin_steps(dock.eps_spin, [0.0, 0.05, 0.1, 0.15, 0.2, 0.1],
                                              reps, window),
                                  baseline=baseline, goal=FRAME_GOAL,
                                  note="the ε spin box's valueChanged -> target, a − y, loss and "
                                       "the logit-growth race recomputed, the panel repainted"))
        if want["growth"]:
            ctx.progress(NAMES["growth"])
            results.append(Result(NAMES["growth"],
                                  _spin_steps(dock.race_lr_spin, [0.5, 1.0, 1.5, 2.0, 1.5, 1.0],
                                              reps, window),
                                  baseline=baseline, goal=FRAME_GOAL,
                                  note="the η spin box's valueChanged -> the logit-growth race "
                                       "recomputed, its three plots redrawn"))
        window.close()
        window.deleteLater()
    return results
