"""Derived numbers of the sample drawn from p, kept up to date as events arrive (no Qt).

:class:`SampleCache` re-draws the events of a :class:`~explorer.model.sampling_state.SamplingState`
(only the new ones when the sample grows) and scores them with a
:class:`explorer.core.RunningScorer` against the current p, q and unit (rebuilt when those
change).  :class:`SampleNumbers` is what the sampling panel and the p editor's ghost draw.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from explorer import core
from explorer.model.sampling_state import SamplingState

#: the event strip shows this many of the most recent events
STRIP = 64


@dataclass(frozen=True, eq=False)
class SampleNumbers:
    """The sample and its statistics, in the readouts' unit.

    ``running`` holds the running means (``cross``, ``entropy``, ``kl``) and their standard
    errors over n = 1 … count (views of the scorer's buffers: read, don't keep across changes).
    ``p_hat`` is the empirical distribution (None for an empty sample); ``impossible`` the index
    and category of the first event with q(x) = 0 (the cross-entropy mean is ∞ from there on).
    """

    count: int
    seed: int
    events: np.ndarray            # int64, every event so far (read-only)
    recent: np.ndarray            # the last STRIP events, oldest first
    counts: np.ndarray            # events per category
    p_hat: np.ndarray | None
    running: object               # explorer.core.RunningScorer
    cross: float                  # running means after all events (nan for an empty sample)
    entropy: float
    kl: float
    cross_se: float
    entropy_se: float
    kl_se: float
    log_likelihood: float         # Σ log q(x_k) in the unit: −count · cross
    entropy_p_hat: float          # H(p̂): the least mean of −log q any q can reach on the sample
    impossible: tuple | None      # (event index, category) of the first q(x) = 0 event
    rate: float
    log_axis: bool


class SampleCache:
    """Events and scorer of the current sample, updated incrementally."""

    def __init__(self):
        self._events = np.zeros(0, dtype=np.int64)
        self._key = None          # (seed, segments) the events belong to
        self._scorer = None
        self._score_key = None    # (p bytes, q bytes, base) the scorer was built for

    def _events_for(self, s: SamplingState) -> np.ndarray:
        key = (s.seed, s.segments)
        if key == self._key:
            return self._events
        old_key = self._key
        prefix = 0
        if old_key is not None and old_key[0] == s.seed and old_key[1]:
            old = old_key[1]
            # the new sample extends the old one when every old run is a prefix of the new
            if len(s.segments) >= len(old) and s.segments[:len(old) - 1] == old[:-1] and \
                    s.segments[len(old) - 1][0] == old[-1][0] and \
                    s.segments[len(old) - 1][1] >= old[-1][1]:
                prefix = self._events.size
        parts = [self._events[:prefix]] if prefix else []
        offset = 0
        for p, count in s.segments:
            lo, hi = offset, offset + count
            if hi > prefix:
                start = max(lo, prefix)
                parts.append(core.draw_events(np.array(p), s.seed, start, hi - start))
            offset = hi
        events = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        events.flags.writeable = False
        self._events, self._key = events, key
        return events

    def numbers(self, s: SamplingState, p, q, base) -> SampleNumbers:
        events = self._events_for(s)
        score_key = (np.asarray(p).tobytes(), np.asarray(q).tobytes(), base)
        scorer = self._scorer
        if scorer is None or score_key != self._score_key or len(scorer) > events.size:
            scorer = core.RunningScorer(p, q, base)
            self._scorer, self._score_key = scorer, score_key
        if len(scorer) < events.size:
            scorer.extend(events[len(scorer):])
        n = events.size
        last = lambda a: float(a[-1]) if n else math.nan  # noqa: E731
        first = scorer.first_impossible
        return SampleNumbers(
            count=n, seed=s.seed, events=events, recent=events[-STRIP:],
            counts=scorer.counts.copy(), p_hat=(scorer.counts / n) if n else None,
            running=scorer, cross=last(scorer.cross), entropy=last(scorer.entropy),
            kl=last(scorer.kl), cross_se=last(scorer.cross_se), entropy_se=last(scorer.entropy_se),
            kl_se=last(scorer.kl_se),
            log_likelihood=(-n * last(scorer.cross)) if n else 0.0,
            entropy_p_hat=core.entropy(scorer.counts / n, base=base) if n else math.nan,
            impossible=None if first is None else (first, int(events[first])),
            rate=s.rate, log_axis=s.log_axis)
