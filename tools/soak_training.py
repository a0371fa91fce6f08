"""Soak the training race: run each training mode for a while and report how RSS grows.

    python tools/soak_training.py                      # 3 modes × 2 min, offscreen
    python tools/soak_training.py --minutes 10 --modes multiclass --trace

Each mode runs in a fresh process: a real main window (offscreen unless QT_QPA_PLATFORM says
otherwise) with the training dock in front, the race playing in a loop at full speed (1000
epochs/s, so every epoch of every trajectory is drawn again and again), exactly as a user who
leaves it running.  After a warm-up (the first 20 % of the run, at least 15 s) the resident set
size is sampled every two seconds and a least-squares line gives the growth in MB per minute,
over everything after the warm-up and over the second half alone ("late").

Caches fill up before RSS is flat: Qt's QPixmapCache (style, icon and item pixmaps, 10 MB by
default) grows until its limit, so judge a leak by the late slope of a long run
(``--minutes 10``), or cap the cache with ``--pixmap-cache-kb 1024`` to see what is left once it
cannot grow.  (Measured in issue 14: the neuron race filled it at about 1.9 kB a frame for five
minutes, +12 MB, because the training dock gives its Play button a new QIcon on every frame.)

``--trace`` also runs ``tracemalloc``: the slope of the memory Python objects hold (immune to
the allocator keeping freed pages) and the ten source lines whose allocations grew the most
between the end of the warm-up and the end, which is where a leak shows itself.  Tracing slows
the app down a little.

Exit status 1 if a mode's late RSS slope is above ``--limit`` MB/min (default 0.5: noise from
the allocator stays well below it).  ``--json FILE`` writes the numbers.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODES = ("neuron", "dataset", "multiclass")
SAMPLE_S = 2.0


def rss_mb() -> float:
    """Current resident set size of this process in MB (Linux /proc; peak RSS elsewhere)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            pages = int(fh.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        import resource
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / 2**20 if sys.platform == "darwin" else peak / 1024


def slope_per_minute(times: list[float], values: list[float]) -> float:
    """Least-squares slope of *values* over *times* (seconds), per minute."""
    n = len(times)
    if n < 2:
        return float("nan")
    mt, mv = sum(times) / n, sum(values) / n
    var = sum((t - mt) ** 2 for t in times)
    if var == 0:
        return float("nan")
    return 60.0 * sum((t - mt) * (v - mv) for t, v in zip(times, values)) / var


def _short(filename: str) -> str:
    for marker in ("/site-packages/", str(ROOT) + "/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


# ------------------------------------------------------------------------------ one mode (child)
def run_mode(mode: str, seconds: float, trace: bool, pixmap_cache_kb: int | None = None) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["EXPLORER_NO_DIALOGS"] = "1"
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    if trace:
        import tracemalloc
        tracemalloc.start(4)
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

    from explorer.app import get_app, settle
    from explorer.bench.runner import scratch_settings
    from explorer.model import AppModel
    from explorer.ui.main_window import MainWindow

    get_app(headless=True)
    if pixmap_cache_kb is not None:
        from PySide6.QtGui import QPixmapCache
        QPixmapCache.setCacheLimit(int(pixmap_cache_kb))
    model = AppModel()
    window = MainWindow(model, settings=scratch_settings(), restore_layout=False, interactive=False)
    window.resize(1600, 1000)
    settle(window, 300)
    window.docks["trainingDock"].raise_()
    with model.batch():
        model.set_training_mode(mode)
        model.set_training_loop(True)
        model.set_training_speed(1000.0)
        model.set_training_epoch(0)
        model.set_training_running(True)
    warmup = max(15.0, 0.2 * seconds)
    start = time.monotonic()
    times, rss, traced = [], [], []
    first_snapshot = None
    loop = QEventLoop()
    changes = [0]
    model.sigChanged.connect(lambda _c: changes.__setitem__(0, changes[0] + 1))

    def sample():
        nonlocal first_snapshot
        t = time.monotonic() - start
        if t >= warmup:
            if trace:
                import tracemalloc
                if first_snapshot is None:
                    first_snapshot = tracemalloc.take_snapshot()
                traced.append(tracemalloc.get_traced_memory()[0] / 2**20)
            times.append(t)
            rss.append(rss_mb())
        if t >= seconds:
            loop.quit()

    timer = QTimer()
    timer.timeout.connect(sample)
    timer.start(int(SAMPLE_S * 1000))
    loop.exec()
    timer.stop()
    result = {"mode": mode, "seconds": round(time.monotonic() - start, 1), "warmup_s": warmup,
              "samples": len(rss), "rss_start_mb": round(rss[0], 2) if rss else None,
              "rss_end_mb": round(rss[-1], 2) if rss else None,
              "rss_slope_mb_per_min": round(slope_per_minute(times, rss), 4),
              "late_rss_slope_mb_per_min": round(slope_per_minute(times[len(times) // 2:],
                                                                  rss[len(rss) // 2:]), 4),
              "model_changes": changes[0], "running": model.training_running,
              "series": [[round(t, 1), round(v, 2)] for t, v in zip(times, rss)]}
    if trace and traced:
        import tracemalloc
        result["traced_slope_mb_per_min"] = round(slope_per_minute(times, traced), 4)
        result["traced_end_mb"] = round(traced[-1], 2)
        ignore = [tracemalloc.Filter(False, tracemalloc.__file__),
                  tracemalloc.Filter(False, "<frozen importlib._bootstrap*>"),
                  tracemalloc.Filter(False, "*/linecache.py")]
        end = tracemalloc.take_snapshot().filter_traces(ignore)
        stats = end.compare_to(first_snapshot.filter_traces(ignore), "traceback")
        stats.sort(key=lambda s: s.size_diff, reverse=True)
        result["top_growth"] = [
            f"{s.size_diff / 1024:+.1f} kB {s.count_diff:+d} blocks at "
            + " <- ".join(f"{_short(f.filename)}:{f.lineno}" for f in reversed(s.traceback[-3:]))
            for s in stats[:10]]
    model.set_training_running(False)
    window.close()
    QCoreApplication.processEvents()
    return result


# ------------------------------------------------------------------------------ driver
def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=2.0, help="run time per mode (default 2)")
    parser.add_argument("--modes", default=",".join(MODES),
                        help=f"comma-separated modes (default {','.join(MODES)})")
    parser.add_argument("--trace", action="store_true", help="also trace Python allocations")
    parser.add_argument("--limit", type=float, default=0.5,
                        help="RSS slope (MB/min) above which the exit status is 1 (default 0.5)")
    parser.add_argument("--pixmap-cache-kb", type=int, default=None,
                        help="set QPixmapCache's limit (Qt's default: 10240)")
    parser.add_argument("--json", help="write the results to this file")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    seconds = args.minutes * 60.0
    if args.child:
        print(json.dumps(run_mode(args.child, seconds, args.trace, args.pixmap_cache_kb)),
              flush=True)
        return 0
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    unknown = [m for m in modes if m not in MODES]
    if unknown:
        parser.error(f"unknown mode(s) {', '.join(unknown)} (choose from {', '.join(MODES)})")
    results = []
    for mode in modes:
        print(f"… {mode}: {args.minutes:g} min", file=sys.stderr, flush=True)
        cmd = [sys.executable, str(Path(__file__).resolve()), "--child", mode,
               "--minutes", str(args.minutes)] + (["--trace"] if args.trace else [])
        if args.pixmap_cache_kb is not None:
            cmd += ["--pixmap-cache-kb", str(args.pixmap_cache_kb)]
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT,
                              timeout=seconds * 3 + 600)
        lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
        if proc.returncode != 0 or not lines:
            print(f"{mode}: the run failed (exit {proc.returncode}): {proc.stderr[-2000:]}",
                  file=sys.stderr)
            return 2
        results.append(json.loads(lines[-1]))
    print(f"{'mode':<11} {'RSS start':>10} {'RSS end':>9} {'RSS slope':>13} {'late slope':>13}"
          + (f" {'Python slope':>14}" if args.trace else ""))
    for r in results:
        line = (f"{r['mode']:<11} {r['rss_start_mb']:>7.1f} MB {r['rss_end_mb']:>6.1f} MB "
                f"{r['rss_slope_mb_per_min']:>+8.3f} MB/min "
                f"{r['late_rss_slope_mb_per_min']:>+8.3f} MB/min")
        if args.trace:
            line += f" {r.get('traced_slope_mb_per_min', float('nan')):>+9.4f} MB/min"
        print(line)
        for g in r.get("top_growth", [])[:5]:
            print(f"    {g}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 1 if any(r["late_rss_slope_mb_per_min"] > args.limit for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
