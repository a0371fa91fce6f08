"""The sample drawn from p (the sampling panel): which seed, and which draws from which p.

A sample is saved as its seed and its *segments* — ``(p, count)`` for each run of draws made
while p had one value — never as every event: event k of a seed is the same on every machine
(:func:`explorer.core.uniforms`), so the events are re-drawn exactly when a session is opened.
Editing p keeps the sample (new draws come from the new p); changing N resets it.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer.core.errors import InputError
from explorer.model import checks
from explorer.model.change import SAMPLE, SAMPLE_VIEW
from explorer.model.fields import Section, state_field

#: the largest sample a session may hold (its running statistics take about 60 MB)
MAX_SAMPLE = 1_000_000
#: runs of draws with different p (each edit of p between draws starts one)
MAX_SEGMENTS = 1000
#: events per second the panel offers
SAMPLE_RATES = (1.0, 10.0, 100.0, 1000.0)
MAX_SEED = 2**31 - 1


def _seed(key, value) -> int:
    return checks.integer(key, value, 0, MAX_SEED)


def _segments(key, value) -> tuple:
    """``[{"p": [...], "count": k}, ...]`` -> ``((p tuple, k), ...)``."""
    if isinstance(value, (str, bytes, dict)) or not isinstance(value, (list, tuple)):
        raise InputError("{key}: expected a list of {{p, count}} objects", key=key)
    if len(value) > MAX_SEGMENTS:
        raise InputError("{key}: at most {limit} runs of draws, got {count}", key=key,
                         limit=MAX_SEGMENTS, count=len(value))
    out, total = [], 0
    for i, seg in enumerate(value):
        if isinstance(seg, dict):
            unknown = sorted(set(map(str, seg)) - {"p", "count"})
            if unknown or "p" not in seg or "count" not in seg:
                raise InputError("{key}: entry {index} must be an object with p and count",
                                 key=key, index=i)
            p, count = seg["p"], seg["count"]
        elif isinstance(seg, (list, tuple)) and len(seg) == 2:
            p, count = seg
        else:
            raise InputError("{key}: entry {index} must be an object with p and count",
                             key=key, index=i)
        p = checks.distribution(f"{key}[{i}].p", p)
        count = checks.integer(f"{key}[{i}].count", count, 1, MAX_SAMPLE)
        total += count
        if total > MAX_SAMPLE:
            raise InputError("{key}: at most {limit} events in all", key=key, limit=MAX_SAMPLE)
        out.append((tuple(p.tolist()), count))
    return tuple(out)


def _segments_json(value) -> list:
    return [{"p": list(p), "count": int(c)} for p, c in value]


def _rate(key, value) -> float:
    v = checks.as_finite_float(key, value)
    if v not in SAMPLE_RATES:
        raise InputError("{key}: expected one of {options}, got {value}", key=key,
                         options=", ".join(f"{r:g}" for r in SAMPLE_RATES), value=f"{v:g}")
    return v


@dataclass(frozen=True, eq=False)
class SamplingState(Section):
    seed: int = state_field(1, key="sample_seed", kinds={SAMPLE}, check=_seed, example=7)
    segments: tuple = state_field((), key="sample_segments", kinds={SAMPLE}, check=_segments,
                                  to_json=_segments_json,
                                  example=[{"p": [0.2, 0.5, 0.3], "count": 25}])
    rate: float = state_field(10.0, key="sample_rate", kinds={SAMPLE_VIEW}, check=_rate,
                              example=100.0)
    log_axis: bool = state_field(False, key="sample_log_axis", kinds={SAMPLE_VIEW},
                                 check=checks.boolean, example=True)

    @property
    def count(self) -> int:
        """Number of events drawn so far."""
        return sum(c for _p, c in self.segments)

    @property
    def n_categories(self) -> int | None:
        """N of the distributions the sample was drawn from (None for an empty sample)."""
        return len(self.segments[0][0]) if self.segments else None

    def with_drawn(self, p, count) -> "SamplingState":
        """*count* more events drawn from *p* (a run of draws from the same p grows)."""
        count = checks.integer("count", count, 0, MAX_SAMPLE)
        if count == 0:
            return self
        if self.count + count > MAX_SAMPLE:
            raise InputError("sample: at most {limit} events — reset the sample to draw more",
                             limit=MAX_SAMPLE)
        p = tuple(float(x) for x in np.asarray(p, dtype=np.float64))
        if self.segments and len(p) != self.n_categories:
            raise InputError("sample: drawn with {n} categories; reset it first",
                             n=self.n_categories)
        segs = list(self.segments)
        if segs and segs[-1][0] == p:
            segs[-1] = (p, segs[-1][1] + count)
        else:
            if len(segs) >= MAX_SEGMENTS:
                raise InputError("sample: at most {limit} runs of draws — reset the sample",
                                 limit=MAX_SEGMENTS)
            segs.append((p, count))
        return self.evolve(segments=tuple(segs))

    def reset(self) -> "SamplingState":
        return self.evolve(segments=())

    def with_seed(self, seed) -> "SamplingState":
        """A new seed starts a new sequence: the sample is reset."""
        return self.evolve(seed=_seed("seed", seed), segments=())

    def with_rate(self, rate) -> "SamplingState":
        return self.evolve(rate=_rate("rate", rate))

    def with_log_axis(self, on) -> "SamplingState":
        return self.evolve(log_axis=checks.boolean("log_axis", on))

