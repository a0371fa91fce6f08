"""Timeline of a scenario: when each action runs, easing, and what happens at frame k (pure).

Time comes from the frame index only, never from the wall clock (as manim's
``get_time_progression``): frame ``k`` shows time ``t = k / fps``.  Every action boundary is
snapped to a whole frame (``round(seconds * fps)``), so progress is exact frame arithmetic and
the same scenario gives the same frames on any machine.

Scheduling: a cursor starts at 0 s.  An action starts at its ``"at"`` time if given, else at the
cursor; a blocking action (every action except ``caption`` unless ``"block"`` says otherwise)
moves the cursor to its end.  The scenario lasts until the last action ends.
"""
from __future__ import annotations

import math
from dataclasses import dataclass


def _linear(u: float) -> float:
    return u


def _ease_in(u: float) -> float:
    return u * u * u


def _ease_out(u: float) -> float:
    v = 1.0 - u
    return 1.0 - v * v * v


def _ease_in_out(u: float) -> float:
    if u < 0.5:
        return 4.0 * u * u * u
    v = -2.0 * u + 2.0
    return 1.0 - v * v * v / 2.0


def _smoothstep(u: float) -> float:
    return u * u * (3.0 - 2.0 * u)


#: Easing name -> function mapping progress u in [0, 1] to [0, 1] with f(0) = 0 and f(1) = 1.
EASINGS = {"linear": _linear, "ease_in": _ease_in, "ease_out": _ease_out,
           "ease_in_out": _ease_in_out, "smoothstep": _smoothstep}


def ease(name: str, u: float) -> float:
    """Eased progress: ``u`` clamped to [0, 1], then passed through easing *name*."""
    u = 0.0 if u <= 0.0 else 1.0 if u >= 1.0 else float(u)
    return EASINGS[name](u)


def to_frame(seconds: float, fps: int) -> int:
    """The frame index nearest to *seconds* (boundaries snap to whole frames)."""
    return int(math.floor(seconds * fps + 0.5 + 1e-9))


def frame_time(k: int, fps: int) -> float:
    """Time shown by frame *k*: ``k / fps``."""
    return k / fps


@dataclass(frozen=True)
class Segment:
    """One scheduled action: ``[start, end)`` in frames (``end == start`` for instant ones)."""

    index: int          # position in the scenario's action list
    kind: str
    params: dict
    start: int
    end: int

    @property
    def length(self) -> int:
        return self.end - self.start

    def phase(self, k: int) -> str:
        """``"pending"`` before the start frame, ``"active"`` while running, ``"done"`` after."""
        if k < self.start:
            return "pending"
        if k >= self.end:
            return "done"
        return "active"

    def progress(self, k: int) -> float:
        """Linear progress at frame *k*: 0 at the start frame, 1 from the end frame on."""
        if self.length <= 0:
            return 1.0 if k >= self.start else 0.0
        return min(1.0, max(0.0, (k - self.start) / self.length))

    def eased(self, k: int) -> float:
        return ease(self.params.get("easing", "linear"), self.progress(k))


@dataclass(frozen=True)
class Timeline:
    segments: tuple
    fps: int
    duration: float       # seconds
    n_frames: int

    def time(self, k: int) -> float:
        return frame_time(k, self.fps)


def schedule_seconds(actions) -> tuple[list[tuple[float, float]], float]:
    """Start and end in seconds of every action, and the total duration.

    *actions* are objects with ``at`` (seconds or None), ``duration`` and ``block``.
    """
    cursor = 0.0
    spans = []
    total = 0.0
    for a in actions:
        start = a.at if a.at is not None else cursor
        end = start + a.duration
        if a.block:
            cursor = max(cursor, end)
        spans.append((start, end))
        total = max(total, end, cursor)
    return spans, total


def build_timeline(actions, fps: int) -> Timeline:
    """Schedule *actions* (validated :class:`explorer.record.scenario.Action` objects) at *fps*."""
    spans, total = schedule_seconds(actions)
    segments = tuple(
        Segment(a.index, a.kind, a.params, to_frame(s, fps), max(to_frame(s, fps), to_frame(e, fps)))
        for a, (s, e) in zip(actions, spans))
    n_frames = max(1, to_frame(total, fps))
    return Timeline(segments, fps, total, n_frames)


def fade_alpha(k: int, start: int, end: int, fps: int, fade_in: float, fade_out: float) -> float:
    """Opacity in [0, 1] of something shown in frames ``[start, end)`` that fades in over
    *fade_in* seconds and out over *fade_out* seconds (smoothstep ramps; 0 outside)."""
    if k < start or k >= end:
        return 0.0
    t_in = (k - start + 1) / fps
    t_out = (end - k) / fps
    a = 1.0
    if fade_in > 0:
        a *= _smoothstep(min(1.0, t_in / fade_in))
    if fade_out > 0:
        a *= _smoothstep(min(1.0, t_out / fade_out))
    return a


def lerp(a, b, u: float):
    """Linear interpolation (works on floats and numpy arrays)."""
    return a + (b - a) * u
