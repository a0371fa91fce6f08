"""Benchmark runner: collects rows, prints a table with median / p95, ratios and goals, writes JSON.

Every interaction row runs at each pixel scale asked for (``--scale 1,2``, the default): Qt reads
``QT_SCALE_FACTOR`` once, when the QApplication is created, so each scale runs in a child
process of the same Python (``python -m explorer bench --scale S``, with the variable set) and
the parent merges the rows.  Rows whose figure does not depend on the pixel scale (the maths,
file writes, encoders) run in the first scale's process only.

A row's ratio is always taken against a baseline measured in the same process, at the same
scale.  A goal is checked from the figures of the same run; the table ends with the rows that
miss theirs.  Timings are wall-clock (what a user waits for); each timed row also keeps the
process CPU time of every sample, which a busy machine inflates far less than the wall clock.
"""
from __future__ import annotations

import importlib
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

import numpy as np

#: a 120 Hz frame at scale 1, a 60 Hz frame at scale 2 (the issue's budgets)
FRAME_BUDGET_MS = {1: 8.3, 2: 16.7}
INSTALL_HINT = 'pip install -e ".[test,bench]"'


def frame_budget(scale: float) -> float:
    return FRAME_BUDGET_MS.get(int(round(scale)), FRAME_BUDGET_MS[2])


@dataclass(frozen=True)
class Goal:
    """What a row must reach, checked from the same run.  Every clause given must hold:

    * ``p95_ms``: the 95th percentile at most this many ms at each scale (a dict by scale; a
      scale not in it is not checked);
    * ``median_max``: the median at most this (in the row's unit), at each scale in
      ``median_scales`` (all scales when None);
    * ``faster``: the baseline's median at least this many times this row's median;
    * ``ratio_max``: this row's median at most this many times the baseline's median.
    """

    p95_ms: dict | None = None
    median_max: float | None = None
    median_scales: tuple | None = None
    faster: float | None = None
    ratio_max: float | None = None

    def describe(self, scale: float, unit: str = "ms") -> str:
        parts = []
        if self.p95_ms and int(round(scale)) in self.p95_ms:
            parts.append(f"p95 ≤ {self.p95_ms[int(round(scale))]:g} ms")
        if self.median_max is not None and self._median_applies(scale):
            parts.append(f"≤ {self.median_max:g} {unit}")
        if self.faster is not None:
            parts.append(f"≥ {self.faster:g}× faster than baseline")
        if self.ratio_max is not None:
            parts.append(f"≤ {self.ratio_max:g}× baseline")
        return "; ".join(parts)

    def _median_applies(self, scale: float) -> bool:
        return self.median_scales is None or int(round(scale)) in self.median_scales

    def check(self, result: "Result", base: "Result | None") -> bool | None:
        """True or False; None when a clause cannot be checked (no samples, baseline missing)
        or no clause applies at this scale."""
        verdicts = []
        if not result.samples:
            return None
        s = int(round(result.scale))
        if self.p95_ms and s in self.p95_ms:
            verdicts.append(result.p95 <= self.p95_ms[s])
        if self.median_max is not None and self._median_applies(s):
            verdicts.append(result.median <= self.median_max)
        has_base = base is not None and bool(base.samples) and base.median > 0
        ratio = result.median / base.median if has_base else None
        if self.faster is not None:
            verdicts.append(None if ratio is None else ratio <= 1 / self.faster)
        if self.ratio_max is not None:
            verdicts.append(None if ratio is None else ratio <= self.ratio_max)
        if False in verdicts:           # one clause that fails is a miss, checkable or not the rest
            return False
        if not verdicts or None in verdicts:
            return None
        return True


#: every interaction frame: a 120 Hz frame at scale 1, a 60 Hz frame at scale 2
FRAME_GOAL = Goal(p95_ms=dict(FRAME_BUDGET_MS))


@dataclass
class Result:
    """One benchmark row.  ``samples`` are in ``unit``; ``baseline`` names the row it is
    compared with (ratio = this median / baseline median, both at the same scale);
    ``cpu_samples`` (ms) are the process CPU time of the same samples, when timed so."""

    name: str
    samples: list
    unit: str = "ms"
    baseline: str | None = None
    goal: Goal | str | None = None
    note: str = ""
    extra: dict = field(default_factory=dict)
    cpu_samples: list | None = None
    scale: float = 1.0
    #: set when the row is a baseline that could not be measured (says why, how to fix)
    missing: str = ""

    @property
    def median(self) -> float:
        return float(np.median(self.samples)) if self.samples else float("nan")

    @property
    def p95(self) -> float:
        return float(np.percentile(self.samples, 95)) if self.samples else float("nan")

    @property
    def cpu_p95(self) -> float:
        return float(np.percentile(self.cpu_samples, 95)) if self.cpu_samples else float("nan")

    @property
    def cpu_median(self) -> float:
        return float(np.median(self.cpu_samples)) if self.cpu_samples else float("nan")


class Samples(list):
    """Wall-clock samples (a list, ms) that also carry the process CPU time of each one."""

    cpu: list


class Context:
    """Shared state for row modules: the QApplication, repeat override, progress output, and
    the pixel scale of this process (``scale_free`` says whether rows that do not depend on
    the scale run here too)."""

    def __init__(self, repeat: int | None = None, only: str | None = None, scale: float = 1.0,
                 scale_free: bool = True):
        self.repeat_override = repeat
        self.only = only
        self.scale = scale
        self.scale_free = scale_free
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
        print(f"  … [scale {self.scale:g}] {text}", file=sys.stderr, flush=True)


def scratch_settings():
    """QSettings in a throw-away temp file: benchmark windows never touch the user's layout."""
    from PySide6.QtCore import QSettings

    folder = tempfile.mkdtemp(prefix="explorer-bench-")
    return QSettings(f"{folder}/settings.ini", QSettings.IniFormat)


def timed(fn, repeat: int, warmup: int = 2) -> Samples:
    """Call *fn* ``warmup + repeat`` times; return the last *repeat* wall-clock durations in ms
    (their process CPU times in ms as ``.cpu``)."""
    out = Samples()
    out.cpu = []
    for i in range(warmup + repeat):
        c0 = time.process_time()
        t0 = time.perf_counter()
        fn()
        dt = (time.perf_counter() - t0) * 1000.0
        dc = (time.process_time() - c0) * 1000.0
        if i >= warmup:
            out.append(dt)
            out.cpu.append(dc)
    return out


def _finish(results: list[Result], scale: float) -> list[Result]:
    for r in results:
        r.scale = scale
        if r.cpu_samples is None and isinstance(r.samples, Samples):
            r.cpu_samples = list(r.samples.cpu)
        r.samples = [float(x) for x in r.samples]
    return results


def _baseline_of(r: Result, by_key: dict) -> Result | None:
    return by_key.get((r.baseline, r.scale)) if r.baseline else None


def goal_text(r: Result) -> str:
    if isinstance(r.goal, Goal):
        return r.goal.describe(r.scale, r.unit)
    return r.goal or ""


def verdict(r: Result, by_key: dict) -> bool | None:
    return r.goal.check(r, _baseline_of(r, by_key)) if isinstance(r.goal, Goal) else None


def ratio_text(r: Result, by_key: dict) -> str:
    base = _baseline_of(r, by_key)
    if r.baseline and (base is None or not base.samples):
        return f"baseline missing: {r.baseline}"
    if base is None or not base.median > 0 or not r.samples:
        return ""
    x = r.median / base.median
    return f"{x:.2f}× {r.baseline}" if x >= 1 else f"{1 / x:.1f}× faster than {r.baseline}"


def _fmt(v: float) -> str:
    return "—" if not math.isfinite(v) else f"{v:.3f}"


def format_table(results: list[Result]) -> str:
    by_key = {(r.name, r.scale): r for r in results}
    header = ("benchmark", "scale", "median", "p95", "cpu p95", "unit", "vs baseline (same run)",
              "goal", "met")
    lines = []
    for r in results:
        met = verdict(r, by_key)
        lines.append((r.name, f"{r.scale:g}", _fmt(r.median), _fmt(r.p95), _fmt(r.cpu_p95),
                      r.unit, ratio_text(r, by_key), goal_text(r),
                      {True: "yes", False: "NO", None: "?" if goal_text(r) else ""}[met]))
    widths = [max(len(str(row[i])) for row in [header, *lines]) for i in range(len(header))]
    fmt_row = lambda row: "  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip()  # noqa: E731
    sep = "  ".join("-" * w for w in widths)
    return "\n".join([fmt_row(header), sep, *map(fmt_row, lines)])


def misses(results: list[Result]) -> tuple[list[Result], list[Result]]:
    """(rows that miss their goal, rows whose goal could not be checked)."""
    by_key = {(r.name, r.scale): r for r in results}
    missed, unknown = [], []
    for r in results:
        if not isinstance(r.goal, Goal) or not goal_text(r):
            continue
        v = verdict(r, by_key)
        if v is False:
            missed.append(r)
        elif v is None:
            unknown.append(r)
    return missed, unknown


def format_misses(results: list[Result]) -> str:
    by_key = {(r.name, r.scale): r for r in results}
    missed, unknown = misses(results)
    out = []
    if missed:
        out.append(f"{len(missed)} rows miss their goal:")
        for r in missed:
            ratio = ratio_text(r, by_key)
            out.append(f"  ✗ {r.name} @ scale {r.scale:g}: median {_fmt(r.median)}, "
                       f"p95 {_fmt(r.p95)} {r.unit}{'; ' + ratio if ratio else ''} "
                       f"(goal: {goal_text(r)})")
    else:
        out.append("every row with a goal meets it" if not unknown else "no row misses its goal")
    for r in unknown:
        out.append(f"  ? {r.name} @ scale {r.scale:g}: goal not checked ({goal_text(r)}): "
                   f"{ratio_text(r, by_key) or 'no samples'}")
    return "\n".join(out)


def row_dict(r: Result, by_key: dict) -> dict:
    base = _baseline_of(r, by_key)
    ratio = (r.median / base.median if base is not None and base.samples and base.median > 0
             and r.samples else None)
    met = verdict(r, by_key)
    return {"name": r.name, "scale": r.scale, "unit": r.unit, "median": _num(r.median),
            "p95": _num(r.p95), "cpu_median": _num(r.cpu_median), "cpu_p95": _num(r.cpu_p95),
            "baseline": r.baseline, "ratio": ratio, "goal": goal_text(r),
            "goal_spec": _goal_spec(r.goal), "met": met, "note": r.note, "missing": r.missing,
            "samples": r.samples, "cpu_samples": r.cpu_samples or [], **r.extra}


def _num(v: float) -> float | None:
    """A figure for JSON: None where there is none (a missing baseline has no median)."""
    return float(v) if math.isfinite(v) else None


def _goal_spec(goal) -> dict | None:
    if not isinstance(goal, Goal):
        return None
    return {"p95_ms": {str(k): v for k, v in goal.p95_ms.items()} if goal.p95_ms else None,
            "median_max": goal.median_max,
            "median_scales": list(goal.median_scales) if goal.median_scales else None,
            "faster": goal.faster, "ratio_max": goal.ratio_max}


def _result_from_dict(d: dict) -> Result:
    spec = d.get("goal_spec")
    goal: Goal | str | None = d.get("goal") or None
    if spec:
        goal = Goal(p95_ms={int(k): v for k, v in spec["p95_ms"].items()} if spec["p95_ms"] else None,
                    median_max=spec["median_max"],
                    median_scales=tuple(spec["median_scales"]) if spec["median_scales"] else None,
                    faster=spec["faster"], ratio_max=spec["ratio_max"])
    known = {"name", "scale", "unit", "median", "p95", "cpu_median", "cpu_p95", "baseline",
             "ratio", "goal", "goal_spec", "met", "note", "missing", "samples", "cpu_samples"}
    return Result(d["name"], list(d["samples"]), unit=d["unit"], baseline=d["baseline"], goal=goal,
                  note=d["note"], extra={k: v for k, v in d.items() if k not in known},
                  cpu_samples=list(d.get("cpu_samples") or []) or None, scale=d["scale"],
                  missing=d.get("missing", ""))


def collect(ctx: Context) -> list[Result]:
    """Run every row module in this process (at this process's pixel scale)."""
    from explorer.bench import ROW_MODULES

    results: list[Result] = []
    for i, mod_name in enumerate(ROW_MODULES, 1):
        print(f"[scale {ctx.scale:g}] [{i}/{len(ROW_MODULES)}] {mod_name.rsplit('.', 1)[-1]}",
              file=sys.stderr, flush=True)
        module = importlib.import_module(mod_name)
        results.extend(_finish(module.rows(ctx), ctx.scale))
        ctx.clean_up()
    return results


def parse_scales(text: str) -> list[float]:
    """``"1,2"`` -> [1.0, 2.0]; a clear ValueError for anything else."""
    out = []
    for part in str(text).split(","):
        part = part.strip()
        try:
            v = float(part)
        except ValueError:
            raise ValueError(f"--scale takes numbers separated by commas (e.g. 1,2), got {text!r}") from None
        if not (math.isfinite(v) and 0.5 <= v <= 4):
            raise ValueError(f"--scale: each scale must be between 0.5 and 4, got {part}")
        if v not in out:
            out.append(v)
    if not out:
        raise ValueError("--scale needs at least one scale, e.g. 1,2")
    return out


def _run_child(scale: float, scale_free: bool, repeat: int | None, only: str | None) -> list[Result]:
    """One scale in a child process of this same Python (QT_SCALE_FACTOR must be set before the
    QApplication exists); its rows come back through a temporary JSON file."""
    from explorer import resources

    fd, path = tempfile.mkstemp(prefix=f"explorer-bench-scale{scale:g}-", suffix=".json")
    os.close(fd)
    cmd = [*resources.self_command(), "bench", "--scale", f"{scale:g}", "--json", path,
           "--in-process"]
    if not scale_free:
        cmd.append("--skip-scale-free")
    if repeat:
        cmd += ["--repeat", str(repeat)]
    if only:
        cmd += ["--only", only]
    env = dict(os.environ, QT_SCALE_FACTOR=f"{scale:g}")
    env["PYTHONPATH"] = os.pathsep.join(
        [str(resources.import_root())] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    try:
        proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL)
        if proc.returncode != 0:
            raise RuntimeError(f"bench at scale {scale:g} failed (exit code {proc.returncode})")
        with open(path, encoding="utf-8") as fh:
            payload = json.load(fh)
        return [_result_from_dict(d) for d in payload["rows"]]
    finally:
        try:
            os.unlink(path)
        except OSError:
            pass


def _order(results: list[Result]) -> list[Result]:
    """Each row followed by the same row at the other scales (first-seen order of names)."""
    names: list[str] = []
    for r in results:
        if r.name not in names:
            names.append(r.name)
    rank = {n: i for i, n in enumerate(names)}
    return sorted(results, key=lambda r: (rank[r.name], r.scale))


def run(json_path: str | None = "bench.json", repeat: int | None = None, only: str | None = None,
        scales: list[float] | None = None, in_process: bool = False,
        skip_scale_free: bool = False) -> int:
    scales = scales or [1.0, 2.0]
    t_start = time.perf_counter()
    if in_process:
        if len(scales) != 1:
            raise ValueError("--in-process runs one scale")
        env_scale = os.environ.get("QT_SCALE_FACTOR")
        if env_scale is None:
            os.environ["QT_SCALE_FACTOR"] = f"{scales[0]:g}"
        elif float(env_scale) != scales[0]:
            raise ValueError(f"QT_SCALE_FACTOR={env_scale} but --scale {scales[0]:g}")
        ctx = Context(repeat=repeat, only=only, scale=scales[0], scale_free=not skip_scale_free)
        results = collect(ctx)
    else:
        results = []
        for k, s in enumerate(scales):
            results.extend(_run_child(s, scale_free=(k == 0), repeat=repeat, only=only))
    results = _order(results)
    by_key = {(r.name, r.scale): r for r in results}
    missing = [r for r in results if r.missing]
    print()
    print(format_table(results))
    for r in results:
        if r.note and r.scale == min(x.scale for x in results if x.name == r.name):
            print(f"  {r.name}: {r.note}")
    for r in missing:
        print(f"\nWARNING: {r.name} @ scale {r.scale:g} is missing: {r.missing}")
    print()
    print(format_misses(results))
    print(f"\n{len(results)} rows at scale {', '.join(f'{s:g}' for s in scales)} in "
          f"{time.perf_counter() - t_start:.1f} s (Python {platform.python_version()}, "
          f"{platform.machine()}, QPA {os.environ.get('QT_QPA_PLATFORM', 'offscreen')})")
    if json_path:
        payload = {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "qpa": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
            "scales": scales,
            "rows": [row_dict(r, by_key) for r in results],
        }
        with open(json_path, "w", encoding="utf-8") as fh:
            json.dump(payload, fh, indent=2, allow_nan=False, default=_json_default)
        print(f"wrote {json_path}")
    return 0


def _json_default(o):
    if isinstance(o, (np.floating, np.integer)):
        return o.item()
    raise TypeError(type(o).__name__)
