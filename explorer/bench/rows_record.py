"""Recording rows: scripted demo rendering to MP4 / GIF and live capture, against the raw grab.

The baseline is the raw grab rate: ``window.grab()`` of the same 1280×720 window with nothing
changing, measured in the same run.  A rendered frame does more (apply the timeline to the model,
every affected dock redraws, overlays, encoding in a worker thread); the renderer copies the
backing store Qt has just updated instead of painting the window again.  The live-capture row is
one :meth:`LiveRecorder.grab_frame`.  Sizes: the 10 s scenario as MP4 and as GIF (goal ≤ 2 MB).
"""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np

from explorer.bench.runner import Result

SIZE = (1280, 720)
FPS = 30
#: A 10 s scenario typical of the bundled demos: three docks, animations, a drag, captions.
SCENARIO = {
    "version": 1, "title": "bench", "fps": FPS, "size": list(SIZE),
    "actions": [
        {"action": "layout", "columns": [["p", "q"], ["readouts"]], "widths": [1, 1.5]},
        {"action": "state", "preset": "mastiff-photo", "unit": "nats"},
        {"action": "caption", "text": "H(p, q) = H(p) + D_KL(p ‖ q)", "duration": 3.0,
         "position": "top"},
        {"action": "animate", "target": "q", "to": [0.1, 0.8, 0.1], "duration": 2.0},
        {"action": "hold", "duration": 1.0},
        {"action": "caption", "text": "交叉熵 = 熵 + KL 散度", "duration": 3.0, "position": "top"},
        {"action": "state", "p": [0.2, 0.5, 0.3]},
        {"action": "drag", "target": "q", "index": 2, "to": 0.6, "duration": 2.5},
        {"action": "animate", "target": "p", "to": [0.1, 0.2, 0.7], "duration": 2.0},
        {"action": "caption", "text": "D_KL → 0 when q = p", "duration": 2.5, "position": "bottom"},
        {"action": "hold", "duration": 2.5},
    ],
}
DURATION = 10.0


def _render(ctx, out: Path, label: str) -> tuple[list[float], float, int]:
    """Render SCENARIO to *out*; return per-frame times (ms), the overall frame rate and bytes."""
    from explorer.record.render import render_scenario
    from explorer.record.scenario import validate_scenario
    from explorer.record.render import scenario_context
    from explorer.model import AppModel
    from explorer.ui.docks import DOCK_NAMES

    sc = validate_scenario(SCENARIO, "bench.json", **scenario_context(AppModel(), DOCK_NAMES))
    stamps = []
    ctx.progress(f"render the 10 s scenario to {label}")
    t0 = time.perf_counter()
    result = render_scenario(sc, out, progress=lambda k, n: stamps.append(time.perf_counter()))
    total = time.perf_counter() - t0          # includes window set-up and finishing the file
    per_frame = [1000.0 * (b - a) for a, b in zip(stamps, stamps[1:])]
    size = out.stat().st_size
    assert result.frames == int(DURATION * FPS)
    return per_frame, result.frames / total, size


def _raw_grab_rates(ctx, repeat: int) -> tuple[list[float], list[float]]:
    """Times (ms) of window.grab() and of one live-recorder frame, same window, same layout."""
    from explorer.ui.live_recorder import LiveRecorder
    from explorer.record.render import ScenarioRenderer
    from explorer.record.scenario import validate_scenario

    sc = validate_scenario(SCENARIO, "bench.json")
    r = ScenarioRenderer(sc, fps=FPS)
    try:
        r.frame(0)
        ctx.progress("raw window.grab() of the same 1280x720 window")
        grab, live = [], []
        for _ in range(repeat):
            t = time.perf_counter()
            r.window.grab()
            grab.append(1000.0 * (time.perf_counter() - t))
        with tempfile.TemporaryDirectory() as tmp:
            rec = LiveRecorder(r.window, r.window, Path(tmp) / "live.gif", fps=FPS)
            rec._size = (r.window.width(), r.window.height())
            for _ in range(repeat):
                t = time.perf_counter()
                rec.grab_frame()
                live.append(1000.0 * (time.perf_counter() - t))
        return grab, live
    finally:
        r.close()


def rows(ctx) -> list[Result]:
    names = ("record: baseline raw window.grab() 1280x720", "record: scenario -> MP4 1280x720",
             "record: scenario -> GIF 1280x720", "record: live capture frame 1280x720",
             "record: 10 s MP4 size 1280x720", "record: 10 s GIF size 1280x720")
    if not any(ctx.wanted(n) for n in names) or not ctx.scale_free:
        return []        # renders and encodes at the scenario's own size: not a pixel-scale row
    ctx.app
    results = []
    grab, live = _raw_grab_rates(ctx, ctx.repeat(30))
    base = names[0]
    fps = lambda ms: 1000.0 / float(np.median(ms))  # noqa: E731
    results.append(Result(base, grab, unit="ms/frame",
                          note=f"QWidget.grab() of the unchanged window (no model work: the "
                               f"upper bound of any capture): {fps(grab):.0f} frames/s"))
    results.append(Result(names[3], live, unit="ms/frame", baseline=base,
                          note=f"LiveRecorder.grab_frame() (window copy + pointer): "
                               f"{fps(live):.0f} frames/s"))
    with tempfile.TemporaryDirectory() as tmp:
        mp4, gif = Path(tmp) / "bench.mp4", Path(tmp) / "bench.gif"
        mp4_rates, mp4_total, mp4_bytes = _render(ctx, mp4, "MP4")
        gif_rates, gif_total, gif_bytes = _render(ctx, gif, "GIF")
    results.append(Result(names[1], mp4_rates, unit="ms/frame", baseline=base,
                          goal="<= 16.7 ms (>= 60 fps)",
                          note=f"{fps(mp4_rates):.0f} frames/s per frame; {mp4_total:.0f} frames/s "
                               f"overall incl. window set-up and finishing the file",
                          extra={"fps": fps(mp4_rates), "overall_fps": mp4_total}))
    results.append(Result(names[2], gif_rates, unit="ms/frame", baseline=base,
                          note=f"{fps(gif_rates):.0f} frames/s per frame; {gif_total:.0f} frames/s "
                               f"overall", extra={"fps": fps(gif_rates), "overall_fps": gif_total}))
    mb = 1024 * 1024
    results.append(Result(names[4], [mp4_bytes / mb], unit="MB",
                          note="H.264 yuv420p CRF 18, 300 frames"))
    results.append(Result(names[5], [gif_bytes / mb], unit="MB", baseline=names[4],
                          goal="<= 2 MB", note="300 frames, one GIF frame per video frame"))
    return [r for r in results if ctx.wanted(r.name) or r.name == base]
