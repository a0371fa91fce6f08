"""Output formats (issue 20): the size of every bundled demo as GIF, animated WebP, APNG and MP4
at 960×600, each demo rendered once and its frames handed to the four writers, against GIF as
the baseline (ratio < 1: smaller than the GIF of the same frames).  Also the encoding time per
frame of each writer (in the renderer it runs in a worker thread).

Demos whose frame rate GIF cannot play (over 50 fps) are left out of every row alike.
"""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

from explorer.bench.runner import Result

SIZE = (960, 600)
FORMATS = ("gif", "webp", "apng", "mp4")
SUFFIX = {"gif": ".gif", "webp": ".webp", "apng": ".apng", "mp4": ".mp4"}


def _demo_sizes(ctx):
    """{format: [MB per demo]}, {format: [ms per frame]}, demo names, frame count."""
    from explorer import resources
    from explorer.record import encode
    from explorer.record.render import ScenarioRenderer, prepare

    mb = 1024 * 1024
    sizes = {f: [] for f in FORMATS}
    times = {f: [] for f in FORMATS}
    names, total = [], 0
    with tempfile.TemporaryDirectory() as tmp:
        for demo in sorted(resources.path("demos").glob("*.json")):
            scenario, session, _fmt = prepare(demo, Path(tmp) / "probe.gif")
            if scenario.fps > encode.GIF_MAX_FPS:
                continue
            ctx.progress(f"formats: render {demo.name} at {SIZE[0]}x{SIZE[1]}")
            r = ScenarioRenderer(scenario, size=SIZE, session=session)
            writers = {}
            try:
                for k in range(r.n_frames):
                    frame = r.frame(k)
                    if not writers:
                        h, w = frame.shape[:2]
                        writers = {f: encode.open_writer(Path(tmp) / (demo.stem + SUFFIX[f]),
                                                         (w, h), r.fps, fmt=f,
                                                         reserved_colors=r.reserved_colors)
                                   for f in FORMATS}
                    for f, wr in writers.items():
                        t = time.perf_counter()
                        wr.write(frame)
                        times[f].append(1000.0 * (time.perf_counter() - t))
                total += r.n_frames
                for f, wr in writers.items():
                    path = wr.close()
                    sizes[f].append(path.stat().st_size / mb)
                    path.unlink()
                names.append(demo.stem)
            except BaseException:
                for wr in writers.values():
                    wr.abort()
                raise
            finally:
                r.close()
    return sizes, times, names, total


def rows(ctx) -> list[Result]:
    names = [f"formats: bundled demos as {f.upper()} 960x600" for f in FORMATS]
    times_names = [f"formats: {f.upper()} encode per frame 960x600" for f in FORMATS]
    if not any(ctx.wanted(n) for n in names + times_names):
        return []
    ctx.app
    sizes, times, demos, frames = _demo_sizes(ctx)
    base = names[0]
    out = []
    for f, name in zip(FORMATS, names):
        per_demo = ", ".join(f"{d[:2]} {s:.2f}" for d, s in zip(demos, sizes[f]))
        total = sum(sizes[f])
        gif_total = sum(sizes["gif"])
        out.append(Result(name, sizes[f], unit="MB", baseline=None if f == "gif" else base,
                          goal="<= 2 MB per demo" if f == "gif" else "",
                          note=f"{len(demos)} demos, {frames} frames, {total:.2f} MB in all "
                               f"({100 * total / gif_total:.0f} % of GIF); per demo: {per_demo}",
                          extra={"demos": demos, "total_mb": total}))
    for f, name in zip(FORMATS, times_names):
        out.append(Result(name, times[f], unit="ms/frame",
                          baseline=None if f == "gif" else times_names[0],
                          note={"gif": "global palette, changed box only",
                                "webp": "libwebp lossless, method 4",
                                "apng": "changed rectangle, zlib level 6",
                                "mp4": "H.264 CRF 18 (ffmpeg in its own process)"}[f]))
    return [r for r in out if ctx.wanted(r.name) or r.name in (base, times_names[0])]
