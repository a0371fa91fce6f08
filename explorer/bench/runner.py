"""Benchmark runner: collects rows, prints a table with median / p95 and ratios, writes JSON."""
from __future__ import annotations

import importlib
import json
import platform
import sys
import time
from dataclasses import dataclass, field

import numpy as np


@dataclass
class Result:
    """One benchmark row.  ``samples`` are in ``unit``; ``baseline`` names the row it is
    compared with (ratio = this median / baseline median)."""

    name: str
    samples: list
    unit: str = "ms"
    baseline: str | None = None
    goal: str = ""
    note: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def median(self) -> float:
        return float(np.median(self.samples)) if self.samples else float("nan")

    @property
    def p95(self) -> float:
        return float(np.percentile(self.samples, 95)) if self.samples else float("nan")


class Context:
    """Shared state for row modules: the QApplication, repeat override, progress output."""

    def __init__(self, repeat: int | None = None, only: str | None = None):
        self.repeat_override = repeat
        self.only = only
        self._app = None

    def repeat(self, default: int) -> int:
        return max(1, self.repeat_override or default)

    def wanted(self, name: str) -> bool:
        return not self.only or self.only.lower() in name.lower()

    @property
    def app(self):
        if self._app is None:
            from explorer.app import get_app
            self._app = get_app(headless=True)
        return self._app

    def clean_up(self) -> None:
        """Delete what earlier rows closed with ``deleteLater`` (a window leaves ~250 hidden
        widgets behind otherwise, since ``processEvents`` never runs deferred deletes), so that
        every row starts from the same application state."""
        if self._app is None:
            return
        import gc

        from PySide6.QtCore import QCoreApplication, QEvent
        QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
        gc.collect()

    def progress(self, text: str) -> None:
        print(f"  … {text}", file=sys.stderr, flush=True)


def scratch_settings():
    """QSettings in a throw-away temp file: benchmark windows never touch the user's layout."""
    import tempfile

    from PySide6.QtCore import QSettings

    folder = tempfile.mkdtemp(prefix="explorer-bench-")
    return QSettings(f"{folder}/settings.ini", QSettings.IniFormat)


def timed(fn, repeat: int, warmup: int = 2) -> list[float]:
    """Call *fn* ``warmup + repeat`` times; return the last *repeat* durations in ms."""
    out = []
    for i in range(warmup + repeat):
        t0 = time.perf_counter()
        fn()
        dt = (time.perf_counter() - t0) * 1000.0
        if i >= warmup:
            out.append(dt)
    return out


def format_table(results: list[Result]) -> str:
    by_name = {r.name: r for r in results}
    header = ("benchmark", "median", "p95", "unit", "vs baseline", "goal")
    lines = []
    for r in results:
        ratio = ""
        if r.baseline and r.baseline in by_name and by_name[r.baseline].median > 0:
            x = r.median / by_name[r.baseline].median
            ratio = f"{x:.2f}× {r.baseline}" if x >= 1 else f"{1 / x:.1f}× faster than {r.baseline}"
        lines.append((r.name, f"{r.median:.3f}", f"{r.p95:.3f}", r.unit, ratio, r.goal))
    widths = [max(len(str(row[i])) for row in [header, *lines]) for i in range(len(header))]
    fmt_row = lambda row: "  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip()  # noqa: E731
    sep = "  ".join("-" * w for w in widths)
    return "\n".join([fmt_row(header), sep, *map(fmt_row, lines)])


def run(json_path: str | None = "bench.json", repeat: int | None = None, only: str | None = None) -> int:
    from explorer.bench import ROW_MODULES

    ctx = Context(repeat=repeat, only=only)
    results: list[Result] = []
    t_start = time.perf_counter()
    for i, mod_name in enumerate(ROW_MODULES, 1):
        print(f"[{i}/{len(ROW_MODULES)}] {mod_name.rsplit('.', 1)[-1]}", file=sys.stderr, flush=True)
        module = importlib.import_module(mod_name)
        results.extend(module.rows(ctx))
        ctx.clean_up()
    print()
    print(format_table(results))
    for r in results:
        if r.note:
            print(f"  {r.name}: {r.note}")
    print(f"\n{len(results)} rows in {time.perf_counter() - t_start:.1f} s "
          f"(Python {platform.python_version()}, {platform.machine()})")
    if json_path:
        payload = {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "rows": [{"name": r.name, "unit": r.unit, "median": r.median, "p95": r.p95,
                      "baseline": r.baseline, "goal": r.goal, "note": r.note,
                      "samples": r.samples, **r.extra} for r in results],
        }
        with open(json_path, "w", encoding="utf-8") as fh:
            json.dump(payload, fh, indent=2)
        print(f"wrote {json_path}")
    return 0
