"""Render a scenario headless, frame by frame, into GIF / MP4 / WebP / APNG / PNG frames.

The renderer owns a private :class:`~explorer.ui.main_window.MainWindow` (offscreen, fixed size,
temporary settings, no restored layout) and drives it only through model methods, exactly as a
user's edits would.  Frame ``k`` shows time ``k / fps`` (see :mod:`explorer.record.timeline`):
nothing depends on the wall clock, the cursor-blink timer is switched off and every pending
event is processed before a frame is grabbed, so rendering the same file twice gives identical
frames.

Clean frames: the window target hides the menu bar and the status bar unless the scenario asks
for them (``menu_bar`` / ``status_bar``), and the Record button never shows.  Captions placed
``top`` or ``bottom`` get a band of their own above or below the content (the frame grows by
it); a ``pointer`` action (a recorded pointer path) is drawn with click ripples.

Typical use::

    result = render_scenario("resources/demos/01_entropy.json", "demo.gif", size=(960, 600))
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from explorer.record import encode
from explorer.record.scenario import (DRAG_DOCKS, POINT_DOCKS, Scenario, ScenarioError,
                                      load_scenario, validate_scenario)
from explorer.record.frames import qimage_to_rgb  # noqa: F401  (tests and callers use it here)
from explorer.record.timeline import build_timeline, ease, lerp

#: Largest frame rendered, in output pixels (window size × scale).  One such frame peaks at about
#: 550 MB and 4 s (measured, ``--size 3840x2160 --scale 2``); the scenario file itself asks for at
#: most 3840×2160 at scale 1 (about 300 MB).
MAX_FRAME = (7680, 4320)
MIN_WINDOW = (160, 120)

CURSOR_LINGER = 0.8     # seconds the pointer stays after a drag, then fades over CURSOR_FADE
CURSOR_FADE = 0.4
#: Share of a drag's duration spent moving to the bar / dragging / resting after release.
DRAG_APPROACH, DRAG_MOVE = 0.3, 0.6


@dataclass
class RenderResult:
    path: Path
    frames: int
    size: tuple[int, int]        # output pixels
    fps: int
    duration: float              # seconds


class Cancelled(Exception):
    """Raised when the caller's cancel callback asks to stop."""


def scenario_context(model, docks=None) -> dict:
    """Keyword arguments for :func:`validate_scenario` describing *model* and the presets."""
    try:
        from explorer import presets as presets_mod
        presets = {}
        for name in presets_mod.PRESETS:
            n = len(presets_mod.EXAMPLES[name].labels) if presets_mod.is_example(name) else None
            presets[name] = n
            presets[presets_mod.title(name).lower()] = n
    except Exception:       # presets not available: skip the name check
        presets = None
    initial = {"n": model.n, "softmax_n": int(np.asarray(model.softmax_logits).size),
               "q_logit_mode": bool(model.q_logit_mode), "epochs": int(model.training.epochs)}
    if model.q_logit_mode:
        initial["softmax_n"] = model.n
    out = {"initial": initial, "presets": presets}
    if docks:
        out["docks"] = tuple(docks)
    return out


def _flush(rounds: int = 3) -> None:
    """Process every posted event (layout requests, repaints) — no waiting, no timers."""
    from PySide6.QtCore import QCoreApplication

    for _ in range(rounds):
        QCoreApplication.sendPostedEvents()
        QCoreApplication.processEvents()


def _first_plot(dock, preferred: tuple = ()):
    import pyqtgraph as pg

    from explorer.ui.widgets.painted import PaintedPlot

    for name in preferred:
        pw = getattr(dock, name, None)
        if isinstance(pw, (pg.PlotWidget, PaintedPlot)):
            return pw
    plots = dock.findChildren(pg.PlotWidget) + dock.findChildren(PaintedPlot)
    return plots[0] if plots else None


class ScenarioRenderer:
    """Drive a private main window through a :class:`Scenario`; :meth:`frame` returns RGB frames.

    Frames must be requested in order ``0 .. n_frames - 1`` (the timeline is stateful, as a
    user's session is).  Call :meth:`close` at the end.  *theme* ("light" / "dark") renders in
    that colour theme (default: the current one); both it and the scenario's language are put
    back at :meth:`close`.
    """

    def __init__(self, scenario: Scenario, *, size=None, fps=None, scale: int = 1,
                 session: dict | None = None, model=None, theme: str | None = None):
        from PySide6.QtCore import QSettings
        from PySide6.QtWidgets import QApplication

        from explorer import i18n
        from explorer.app import get_app, settle
        from explorer.model import AppModel
        from explorer.ui.main_window import MainWindow

        if scale not in (1, 2):
            raise ValueError(f"scale: expected 1 or 2, got {scale}")
        self.window_size = check_frame_size(size or scenario.size, int(scale))
        self.app = get_app(headless=True)
        self.scenario = scenario
        self.fps = int(fps or scenario.fps)
        self.scale = int(scale)
        self._requested_size = self.window_size
        self.timeline = build_timeline(scenario.actions, self.fps)
        self._old_language = i18n.language()
        if scenario.language != self._old_language:
            i18n.set_language(scenario.language)
        from explorer.ui import theme as themes
        self._old_theme = themes.current()
        if theme is not None and themes.by_name(theme) is not self._old_theme:
            if theme not in themes.THEMES:
                raise ValueError(f"theme: expected one of {', '.join(themes.THEMES)}, got {theme!r}")
            themes.apply_app(themes.by_name(theme))      # before the window: docks read it
        # a private, headless window: never block on a dialog (unsaved-changes prompt on close)
        self._old_no_dialogs = os.environ.get("EXPLORER_NO_DIALOGS")
        os.environ["EXPLORER_NO_DIALOGS"] = "1"
        self._old_flash = QApplication.cursorFlashTime()
        QApplication.setCursorFlashTime(0)          # no blinking text cursor in recordings
        self.model = model if model is not None else AppModel()
        if session is not None:
            self.model.from_dict(session)
        self._settings_dir = tempfile.TemporaryDirectory(prefix="explorer-record-")
        settings = QSettings(str(Path(self._settings_dir.name) / "settings.ini"), QSettings.IniFormat)
        self.window = MainWindow(self.model, settings=settings, restore_layout=False)
        # every dock now, not in the background while frames are being taken
        self.window.build_pending_docks()
        self.window.setAnimated(False)
        from explorer.ui import zoom as zoom_mod
        self._old_zoom = zoom_mod.percent()
        if not scenario.menu_bar and self.window.menuWidget() is not None:
            self.window.menuWidget().hide()
        if not scenario.status_bar:
            self.window.statusBar().hide()
        recording = getattr(self.window, "recording", None)
        #: the recorder's own widgets: never in a frame
        self._hidden = [getattr(recording, n, None) for n in
                        ("record_button", "rec_label", "open_button")] if recording else []
        self.window.resize(*self.window_size)
        settle(self.window, 250)
        self.window.activateWindow()
        _flush()
        self._reset_progress()
        self.band = (0, 0)                 # caption bands above / below the content (px)
        self.out_size: tuple[int, int] | None = None   # logical px of the output frame
        self._fast_grab: bool | None = None
        self._timers = None
        self._caption_cache: dict = {}
        from explorer.ui import theme
        th = theme.current()
        self.accent = th.accent
        self.background = th.background
        self.reserved_colors = [tuple(int(th_c.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
                                for th_c in (th.background, th.foreground, th.p, th.q, th.mse,
                                             th.ce, th.accent, th.neutral, th.warning,
                                             "#FFFFFF", "#000000", "#181A20")]

    @property
    def n_frames(self) -> int:
        return self.timeline.n_frames

    # ------------------------------------------------------------------ errors
    def _fail(self, seg, problem: str):
        raise ScenarioError(self.scenario.source, f"actions[{seg.index}] ({seg.kind})", problem)

    # ------------------------------------------------------------------ actions
    def _dock(self, name: str):
        return self.window.docks.get(name)

    def _start(self, seg) -> None:
        m = self.model
        p = seg.params
        if seg.kind == "layout":
            self._timers = None
            if "size" in p:
                self._requested_size = tuple(p["size"])
            if "workspace" in p:
                self.window.switch_workspace(p["workspace"], restore=False)
                _flush()
            elif "docks" in p:
                for name, dock in self.window.docks.items():
                    dock.setVisible(name in p["docks"])
                for name in reversed(p["docks"]):   # first listed of a tab group = in front
                    self.window.docks[name].raise_()
                _flush()
            elif "columns" in p:
                self._arrange(p["columns"], p.get("widths"))
                _flush()
            if "zoom" in p and hasattr(self.window, "view_modes"):
                self.window.view_modes.set_zoom(p["zoom"])
                _flush()
            # Qt keeps a window above its minimum size; with fewer docks it may shrink now
            self.window.resize(*self._requested_size)
            _flush()
        elif seg.kind == "state":
            self._apply_state(p)
        elif seg.kind == "animate":
            t = p["target"]
            self._from[seg.index] = (np.array(m.dist(t), dtype=float) if t in ("p", "q")
                                     else np.array(m.softmax_logits, dtype=float) if t == "logits"
                                     else float(m.temperature) if t == "temperature"
                                     else float(m.softmax_smoothing) if t == "smoothing"
                                     else float(m.z_marker))
        elif seg.kind == "drag":
            self._from[seg.index] = (self._drag_value(p["target"], p["index"]), self._cursor)
        elif seg.kind == "train":
            m.set_training_running(True)
        elif seg.kind == "z_marker":
            self._from[seg.index] = float(m.z_marker)
        elif seg.kind == "sample":
            if "seed" in p:
                m.set_sample_seed(p["seed"])     # a new seed starts a new sample
            elif p["reset"]:
                m.reset_sample()
            self._from[seg.index] = m.sampling.count

    def _arrange(self, columns, widths=None) -> None:
        """Lay the listed docks out in columns (left to right), each column stacked top to
        bottom; every other dock is hidden."""
        from PySide6.QtCore import Qt

        w = self.window
        for name, dock in w.docks.items():
            w.removeDockWidget(dock)
            dock.setFloating(False)
            dock.setVisible(False)
        tops = [w.docks[col[0]] for col in columns]
        w.addDockWidget(Qt.LeftDockWidgetArea, tops[0])
        tops[0].show()
        for left, right in zip(tops, tops[1:]):
            w.splitDockWidget(left, right, Qt.Horizontal)
            right.show()
        for col in columns:
            above = w.docks[col[0]]
            for name in col[1:]:
                dock = w.docks[name]
                w.splitDockWidget(above, dock, Qt.Vertical)
                dock.show()
                above = dock
        _flush()
        if len(tops) > 1:
            weights = widths or [1.0] * len(tops)
            total = w.width()
            w.resizeDocks(tops, [max(1, int(total * x / sum(weights))) for x in weights],
                          Qt.Horizontal)
        for col in columns:
            if len(col) > 1:
                docks = [w.docks[n] for n in col]
                w.resizeDocks(docks, [max(1, w.height() // len(col))] * len(col), Qt.Vertical)

    def _freeze_clock_timers(self) -> None:
        """Stop repeating timers inside the window (e.g. the training dock's play loop, which
        paces itself by the wall clock): in a recording only the frame index moves time."""
        from PySide6.QtCore import QTimer

        if self._timers is None:                 # found once (and again after a layout)
            self._timers = self.window.findChildren(QTimer)
        for timer in self._timers:
            if timer.isActive() and not timer.isSingleShot():
                timer.stop()

    def _apply_state(self, s: dict) -> None:
        m = self.model
        with m.batch(finished=s.get("finished", True)):
            if "model" in s:
                # saved keys of the state (a recorded session): merged into the current state
                merged = m.to_dict()
                merged.update(s["model"])
                m.from_dict(merged)
            if "preset" in s:
                if not hasattr(m, "apply_preset"):
                    raise ValueError("presets are not available in this version")
                m.apply_preset(s["preset"], s.get("preset_target", "both"))
            if "p" in s and "q" in s:
                m.set_distributions(s["p"], s["q"], s.get("labels"))
            elif "p" in s:
                m.set_p(s["p"])
            elif "q" in s:
                m.set_q(s["q"])
            if "labels" in s and not ("p" in s and "q" in s):
                m.set_labels(s["labels"])
            if "unit" in s:
                m.set_unit(s["unit"])
            if "precision" in s:
                m.set_precision(s["precision"])
            if "temperature" in s:
                m.set_temperature(s["temperature"])
            if "q_logit_mode" in s:
                m.set_q_logit_mode(s["q_logit_mode"])
            if "logits" in s:
                m.set_q_logits(s["logits"])
            if "softmax_logits" in s:
                m.set_softmax_logits(s["softmax_logits"])
            for which in ("p", "q"):
                for i, locked in enumerate(s.get(f"locks_{which}", ())):
                    m.set_lock(which, i, locked)
            if "training" in s:
                m.set_training_params(**s["training"])
            if "epoch" in s:
                m.set_training_epoch(s["epoch"])
            if "z" in s:
                m.set_z_marker(s["z"])
            if "sigmoid_x" in s or "sigmoid_y" in s:
                m.set_sigmoid_input(s.get("sigmoid_x"), s.get("sigmoid_y"))
            if "softmax_target" in s or "softmax_target_class" in s:
                m.set_softmax_target(s.get("softmax_target"), s.get("softmax_target_class"))
            if "softmax_smoothing" in s:
                m.set_softmax_smoothing(s["softmax_smoothing"])
            if "softmax_race" in s:
                m.set_softmax_race(**s["softmax_race"])
            if "highlight" in s:
                m.set_highlight(s["highlight"])

    def _drag_value(self, target: str, index: int) -> float:
        m = self.model
        if target == "logits":
            return float(m.softmax_logits[index])
        if target == "q" and m.q_logit_mode:
            return float(m.q_logits[index])
        return float(m.dist(target)[index])

    def _set_bar(self, target: str, index: int, value: float, finished: bool) -> None:
        m = self.model
        if target == "logits":
            z = np.array(m.softmax_logits, dtype=float)
            z[index] = value
            m.set_softmax_logits(z, finished)
        elif hasattr(m, "set_value"):
            m.set_value(target, index, value, finished)
        else:   # older model: take the change proportionally from the other bars
            d = np.array(m.dist(target), dtype=float)
            rest = 1.0 - d[index]
            others = np.delete(np.arange(d.size), index)
            d[others] = (d[others] / rest * (1.0 - value)) if rest > 0 else (1.0 - value) / others.size
            d[index] = value
            m.set_dist(target, d / d.sum(), finished)

    def _apply(self, seg, k: int, final: bool) -> None:
        m = self.model
        p = seg.params
        kind = seg.kind
        if kind == "animate":
            u = 1.0 if final else seg.eased(k)
            start, target = self._from[seg.index], p["target"]
            if target in ("p", "q"):
                v = lerp(start, np.asarray(p["to"], dtype=float), u)
                m.set_dist(target, v / v.sum(), finished=final)
            elif target == "logits":
                m.set_softmax_logits(lerp(start, np.asarray(p["to"], dtype=float), u), finished=final)
            elif target == "temperature":
                m.set_temperature(lerp(start, p["to"], u), finished=final)
            elif target == "smoothing":
                m.set_softmax_smoothing(lerp(start, p["to"], u), finished=final)
            else:
                m.set_z_marker(lerp(start, p["to"], u), finished=final)
        elif kind == "z_marker":
            u = 1.0 if final else seg.eased(k)
            m.set_z_marker(lerp(self._from[seg.index], p["to"], u), finished=final)
        elif kind == "train":
            u = 1.0 if final else seg.eased(k)
            epoch = p["from"] + int(round(p["epochs"] * u))
            m.set_training_epoch(epoch, finished=final)
            if p["z_follows"]:
                run = m.histories.get(p["z_follows"])
                if run is None:
                    raise ValueError(f"z_follows: no run of the race uses {p['z_follows']!r} "
                                     f"(the runs are {', '.join(m.histories)})")
                z = float(np.asarray(run.z)[epoch])
                m.set_z_marker(float(np.clip(z, -1000, 1000)), finished=final)
            if final:
                m.set_training_running(False)
        elif kind == "sample":
            # the count from the frame index: the same events at the same frames at any fps
            u = 1.0 if final else seg.eased(k)
            want = self._from[seg.index] + int(round(p["events"] * u)) - m.sampling.count
            if want > 0:
                m.draw_samples(want, finished=final)
            elif final:
                m.finish_edit({"sample"})
        elif kind == "drag":
            self._apply_drag(seg, k, final)

    def _apply_drag(self, seg, k: int, final: bool) -> None:
        p = seg.params
        v0, cursor0 = self._from[seg.index]
        u = 1.0 if final else seg.progress(k)
        target, index = p["target"], p["index"]
        self._cursor_last_k = k
        if u < DRAG_APPROACH:
            w = ease("ease_in_out", u / DRAG_APPROACH)
            self._cursor_plan = ("approach", cursor0, target, index, v0, w)
            self._cursor_pressed = False
            return
        if u < DRAG_APPROACH + DRAG_MOVE:
            w = ease(p["easing"], (u - DRAG_APPROACH) / DRAG_MOVE)
            value = lerp(v0, p["to"], w)
            if not self._cursor_pressed:
                self._press = (k, self._bar_point(target, index, v0))
            self._set_bar(target, index, value, finished=False)
            # the pointer sits on the bar the model actually shows (a rule may clamp the value)
            self._cursor_plan = ("on_bar", None, target, index, self._drag_value(target, index), 1.0)
            self._cursor_pressed = True
            return
        if seg.index not in self._drag_released:
            self._drag_released.add(seg.index)
            self._set_bar(target, index, p["to"], finished=False)
            self._set_bar(target, index, p["to"], finished=True)
        self._cursor_plan = ("on_bar", None, target, index, self._drag_value(target, index), 1.0)
        self._cursor_pressed = False

    def _reset_progress(self) -> None:
        """Nothing of the timeline has run yet (also what the live presenter,
        :class:`explorer.ui.present.LiveDriver`, calls to play a scenario again from the
        start)."""
        self._started: set[int] = set()
        self._done: set[int] = set()
        self._queue = sorted(self.timeline.segments, key=lambda g: (g.start, g.index))
        self._queue_at = 0                 # next segment of _queue to start
        self._active: list = []            # started, not done (index order)
        self._captions = [g for g in self.timeline.segments if g.kind == "caption"]
        self._pointers = [g for g in self.timeline.segments if g.kind == "pointer"]
        self._press = None                 # (frame, (x, y) window px) of the last drag press
        self._pointer_times: dict = {}
        self._from: dict[int, object] = {}
        self._drag_released: set[int] = set()
        self._cursor = None            # (x, y) window logical px, last drawn position
        self._cursor_plan = None       # how to place the cursor on this frame
        self._cursor_last_k = None     # last frame a drag moved the pointer
        self._cursor_pressed = False
        self._next_k = 0

    def _advance(self, k: int) -> None:
        # only the segments that start now or are running (a recorded session has thousands)
        fresh = []
        while self._queue_at < len(self._queue) and self._queue[self._queue_at].start <= k:
            fresh.append(self._queue[self._queue_at])
            self._queue_at += 1
        due = sorted(self._active + fresh, key=lambda g: g.index)
        self._active = []
        for seg in due:
            if seg.index in self._done or k < seg.start:
                continue
            if seg.kind in ("caption", "pointer"):      # drawn in frame(), nothing to apply
                continue
            if k < seg.end:
                self._active.append(seg)
            try:
                if seg.index not in self._started:
                    self._started.add(seg.index)
                    self._start(seg)
                if k >= seg.end:
                    self._done.add(seg.index)
                    self._apply(seg, k, final=True)
                else:
                    self._apply(seg, k, final=False)
            except ScenarioError:
                raise
            except ValueError as exc:
                self._fail(seg, str(exc))

    # ------------------------------------------------------------------ geometry
    def _target_widget(self):
        if self.scenario.target == "window":
            return self.window
        return self._dock(self.scenario.target)

    def _target_rect(self):
        from PySide6.QtCore import QRect

        w = self._target_widget()
        if w is self.window:
            return QRect(0, 0, self.window.width(), self.window.height())
        return QRect(w.mapTo(self.window, w.rect().topLeft()), w.size())

    def _data_to_window(self, dock_name: str, x: float, y: float, preferred=()):
        from PySide6.QtCore import QPointF

        dock = self._dock(dock_name)
        if dock is None or not dock.isVisible():
            return None
        pw = _first_plot(dock, preferred)
        if pw is None:
            return None
        if hasattr(pw, "map_to_widget"):             # a self-painted chart
            pt = pw.map_to_widget(x, y)
        else:
            vb = pw.getPlotItem().getViewBox()
            pt = pw.mapFromScene(vb.mapViewToScene(QPointF(x, y)))
        pt = pw.viewport().mapTo(self.window, pt)
        return float(pt.x()), float(pt.y())

    def _bar_point(self, target: str, index: int, value: float):
        dock = DRAG_DOCKS[target]
        preferred = ("logit_plot",) if target == "logits" else ("plot",)
        return self._data_to_window(dock, index, value, preferred)

    def _resolve_cursor(self, k: int):
        """Cursor (x, y) in window logical px, pressed flag and opacity for frame *k*."""
        plan = self._cursor_plan
        if plan is None:
            return None
        mode, start, target, index, value, w = plan
        bar = self._bar_point(target, index, value)
        if bar is None:
            return None
        if mode == "approach":
            if start is None:
                rect = self._target_rect()
                start = (rect.x() + rect.width() * 0.82, rect.y() + rect.height() * 0.88)
            pos = (lerp(start[0], bar[0], w), lerp(start[1], bar[1], w))
        else:
            pos = bar
        self._cursor = pos
        alpha = 1.0
        if self._cursor_last_k is not None:
            idle = (k - self._cursor_last_k) / self.fps
            if idle > CURSOR_LINGER:
                alpha = max(0.0, 1.0 - (idle - CURSOR_LINGER) / CURSOR_FADE)
        if alpha <= 0:
            self._cursor_plan = None
            return None
        return pos, self._cursor_pressed, alpha

    # ------------------------------------------------------------------ grabbing
    def _grab(self):
        """The target's pixels at the recording scale as a QImage (Format_RGB32)."""
        from PySide6.QtGui import QImage, QPainter

        from explorer.record.frames import scrub_widgets

        rect = self._target_rect()
        if self._fast_grab is None:
            # Offscreen windows at scale 1: copy the backing store Qt has just painted
            # (only what changed was repainted).  Otherwise render the widgets afresh.
            from PySide6.QtGui import QGuiApplication
            self._fast_grab = (QGuiApplication.platformName() == "offscreen" and self.scale == 1
                               and abs(self.window.devicePixelRatioF() - 1.0) < 1e-9)
        if self._fast_grab:
            img = self.window.screen().grabWindow(self.window.winId()).toImage()
            if img.width() == self.window.width() and img.height() == self.window.height():
                if rect.size() != img.size():
                    img = img.copy(rect)
                scrub_widgets(img, self.window, rect, self._hidden)
                return img          # painted on directly: no format conversion needed
            self._fast_grab = False
        img = QImage(rect.width() * self.scale, rect.height() * self.scale, QImage.Format_RGB32)
        img.setDevicePixelRatio(self.scale)
        img.fill(0)
        from PySide6.QtCore import QPoint
        from PySide6.QtGui import QRegion

        painter = QPainter(img)
        try:
            self.window.render(painter, QPoint(0, 0), QRegion(rect))
        finally:
            painter.end()
        scrub_widgets(img, self.window, rect, self._hidden)
        return img

    def _bands(self, width: int) -> tuple[int, int]:
        """Heights (logical px) of the caption bands above and below the content."""
        import math

        from explorer.record import overlay

        top = [(g.params["text"], g.params["size"]) for g in self._captions
               if g.params["position"] == "top"]
        bottom = [(g.params["text"], g.params["size"]) for g in self._captions
                  if g.params["position"] == "bottom"]
        return (int(math.ceil(overlay.band_height(top, width))),
                int(math.ceil(overlay.band_height(bottom, width))))

    def _pointer_at(self, seg, k: int):
        """Where a recorded ``pointer`` segment puts the pointer at frame *k*: ``(x, y)``
        window px, pressed, and the recent presses ``[(age s, (x, y))]``; None when hidden."""
        import bisect

        from explorer.record import overlay

        pts = seg.params["points"]
        times = self._pointer_times.get(seg.index)
        if times is None:
            times = self._pointer_times[seg.index] = [pt[0] for pt in pts]
        t = (k - seg.start) / self.fps
        i = bisect.bisect_right(times, t + 1e-9) - 1
        if i < 0:
            return None
        presses = []
        if seg.params["ripple"]:
            j = i
            while j >= 0 and t - pts[j][0] < overlay.RIPPLE_SECONDS:
                if pts[j][4] and (j == 0 or not pts[j - 1][4]):
                    xy = self._point_xy(pts[j])
                    if xy is not None:
                        presses.append((t - pts[j][0], xy))
                j -= 1
        xy = self._point_xy(pts[i]) if seg.params["shown"] else None
        return xy, pts[i][4], presses

    def _point_xy(self, pt):
        """Window px of a recorded point ``(t, where, x, y, down)``."""
        from PySide6.QtCore import QPoint, QRect

        where = pt[1]
        if where is None:
            return None
        if where == "window":
            r = self._target_rect()
        else:
            dock = self._dock(where)
            if dock is None or not dock.isVisible():
                return None
            r = QRect(dock.mapTo(self.window, QPoint(0, 0)), dock.size())
        return r.x() + pt[2] * r.width(), r.y() + pt[3] * r.height()

    def frame(self, k: int) -> np.ndarray:
        """Advance to frame *k* (must be the next one) and return it as RGB uint8 (H, W, 3)."""
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QColor, QImage, QPainter

        from explorer.record import overlay
        from explorer.record.timeline import fade_alpha

        if k != self._next_k:
            raise ValueError(f"frames must be rendered in order: expected {self._next_k}, got {k}")
        self._next_k += 1
        self._advance(k)
        self._freeze_clock_timers()
        _flush(2)       # one round already matches a full repaint (checked); two for safety
        img = self._grab()
        rect = self._target_rect()
        if self.out_size is None:
            self.out_size = (self.window_size if self.scenario.target == "window"
                             else (rect.width(), rect.height()))
            self.band = self._bands(self.out_size[0])
        ow, oh = self.out_size
        top, bottom = self.band
        s = self.scale
        if (rect.width(), rect.height()) == (ow, oh) and top == bottom == 0:
            frame, fit, ox, oy = img, 1.0, 0.0, 0.0
        else:
            # the target changed size (or Qt kept the window above its minimum): fit it;
            # caption bands above and below
            fit = min(ow / rect.width(), oh / rect.height())
            frame = QImage(ow * s, (oh + top + bottom) * s, QImage.Format_RGB32)
            frame.fill(QColor(self.background))
            img.setDevicePixelRatio(1.0)
            if (rect.width(), rect.height()) == (ow, oh):
                scaled = img
            else:
                scaled = img.scaled(int(round(rect.width() * fit * s)),
                                    int(round(rect.height() * fit * s)),
                                    Qt.IgnoreAspectRatio, Qt.SmoothTransformation)
            ox, oy = (ow - rect.width() * fit) / 2, (oh - rect.height() * fit) / 2 + top
            p0 = QPainter(frame)
            p0.drawImage(int(round(ox * s)), int(round(oy * s)), scaled)
            p0.end()
        frame.setDevicePixelRatio(1.0)

        def to_out(pt):
            return ((pt[0] - rect.x()) * fit + ox, (pt[1] - rect.y()) * fit + oy)

        painter = QPainter(frame)
        painter.scale(s, s)
        for seg in self._captions:
            if not seg.start <= k < seg.end:
                continue
            p = seg.params
            alpha = fade_alpha(k, seg.start, seg.end, self.fps, p["fade_in"], p["fade_out"])
            point = None
            if "point_to" in p:
                pt = p["point_to"]
                preferred = ("logit_plot",) if pt["dock"] == "logits" else (
                    "prob_plot",) if pt["dock"] == "softmax" else ("plot",)
                wp = self._data_to_window(POINT_DOCKS[pt["dock"]], pt["x"], pt["y"], preferred)
                point = to_out(wp) if wp is not None else None
            key = (seg.index, ow, oh, s)
            if key not in self._caption_cache:
                if overlay.in_band(p["position"]):
                    band_y = 0 if p["position"] == "top" else top + oh
                    band_h = top if p["position"] == "top" else bottom
                    sprite = overlay.CaptionSprite(p["text"], "center", ow, band_h, p["size"], s,
                                                   offset=(0, band_y))
                else:
                    sprite = overlay.CaptionSprite(p["text"], p["position"], ow, oh, p["size"], s,
                                                   offset=(0, top))
                self._caption_cache[key] = sprite
            self._caption_cache[key].draw(painter, alpha, point=point, accent=self.accent)
        if self._press is not None:
            age = (k - self._press[0]) / self.fps
            if self._press[1] is not None and age < overlay.RIPPLE_SECONDS:
                px, py = to_out(self._press[1])
                overlay.draw_ripple(painter, px, py, age / overlay.RIPPLE_SECONDS,
                                    accent=self.accent)
        cur = self._resolve_cursor(k)
        if cur is not None:
            (cx, cy), pressed, alpha = cur
            cx, cy = to_out((cx, cy))
            overlay.draw_cursor(painter, cx, cy, pressed, alpha, accent=self.accent)
        for seg in self._pointers:
            if k < seg.start:
                continue
            at = self._pointer_at(seg, k)
            if at is None:
                continue
            xy, pressed, presses = at
            for age, pxy in presses:
                px, py = to_out(pxy)
                overlay.draw_ripple(painter, px, py, age / overlay.RIPPLE_SECONDS,
                                    accent=self.accent)
            if xy is not None:
                cx, cy = to_out(xy)
                overlay.draw_cursor(painter, cx, cy, pressed, 1.0, accent=self.accent)
        painter.end()
        return qimage_to_rgb(frame)

    def close(self) -> None:
        from PySide6.QtWidgets import QApplication

        from explorer import i18n

        try:
            self.window.close()
            self.window.deleteLater()
            _flush()
        finally:
            QApplication.setCursorFlashTime(self._old_flash)
            if self._old_no_dialogs is None:
                os.environ.pop("EXPLORER_NO_DIALOGS", None)
            else:
                os.environ["EXPLORER_NO_DIALOGS"] = self._old_no_dialogs
            if i18n.language() != self._old_language:
                i18n.set_language(self._old_language)
            from explorer.ui import theme as themes
            if themes.current() is not self._old_theme:
                themes.apply_app(self._old_theme)
            from explorer.ui import zoom as zoom_mod
            if zoom_mod.percent() != self._old_zoom:
                zoom_mod.apply(None, self._old_zoom)
            self._settings_dir.cleanup()


def check_frame_size(size, scale: int) -> tuple[int, int]:
    """Refuse a window *size* ``(w, h)`` whose frames at *scale* would exceed :data:`MAX_FRAME`
    (or a size that is not two whole numbers of at least 160×120); return it as ints."""
    from explorer.core.errors import InputError

    try:
        w, h = (int(v) for v in size)
        ok = (w, h) == tuple(size)
    except (TypeError, ValueError, OverflowError):
        ok = False
    if not ok or w < MIN_WINDOW[0] or h < MIN_WINDOW[1]:
        raise InputError("size: expected a width and a height of at least {min_w}×{min_h} "
                         "pixels, got {size}", min_w=MIN_WINDOW[0], min_h=MIN_WINDOW[1],
                         size=repr(size)[:40])
    if w * scale > MAX_FRAME[0] or h * scale > MAX_FRAME[1]:
        raise InputError("size: {w}×{h} at scale {scale} makes frames of {out_w}×{out_h} pixels; "
                         "at most {max_w}×{max_h} (for example 3840×2160 at scale 2)",
                         w=w, h=h, scale=scale, out_w=w * scale, out_h=h * scale,
                         max_w=MAX_FRAME[0], max_h=MAX_FRAME[1])
    return w, h


def prepare(scenario_path, output, *, fps=None, session_path=None, model=None,
            fmt: str | None = None) -> tuple:
    """Validate everything before rendering: returns ``(scenario, session_dict, format)``.
    Raises ScenarioError / OutputError / ValueError with a one-line message."""
    from explorer.model import AppModel
    from explorer.ui.docks import DOCK_NAMES

    session = None
    probe = model if model is not None else AppModel()
    if session_path is not None:
        from explorer.session import read_session_file
        session = read_session_file(session_path)
        scratch = AppModel()
        scratch.from_dict(session)
        probe = scratch
    scenario = scenario_path if isinstance(scenario_path, Scenario) else load_scenario(
        scenario_path, **scenario_context(probe, DOCK_NAMES))
    found = encode.check_output(output, fps or scenario.fps)
    if fmt is not None and fmt != found:
        if fmt not in encode.FORMATS:
            raise encode.OutputError("format: expected one of {formats}, got {fmt}",
                                     formats=", ".join(encode.FORMATS), fmt=repr(fmt))
        if (fmt == "png") != (found == "png"):
            raise encode.OutputError("{path}: PNG frames need a folder name, the other formats a "
                                     "file name", path=str(output))
        if fmt == "gif" and (fps or scenario.fps) > encode.GIF_MAX_FPS:
            encode.check_output(Path(output).with_suffix(".gif"), fps or scenario.fps)
    return scenario, session, fmt or found


def render_scenario(scenario_path, output, *, size=None, fps=None, scale: int = 1,
                    session_path=None, progress=None, cancel=None, threaded: bool = True,
                    theme: str | None = None, language: str | None = None,
                    fmt: str | None = None, transparent: bool = False) -> RenderResult:
    """Validate, render and encode a scenario to *output* (``.gif``, ``.mp4`` or a folder).

    *theme* ("light" / "dark") and *language* ("en" / "zh") override the current theme and the
    scenario's ``language``.

    *fmt* forces the output format (``"apng"`` for a ``.png`` file is the default anyway);
    *transparent* makes the panel background transparent (a dock target, WebP or APNG).

    *progress(k, n)* is called after each frame; *cancel()* returning True stops and removes
    the partial output (raises :class:`Cancelled`).  Nothing is written when validation fails.
    """
    if scale not in (1, 2):
        raise ValueError(f"scale: expected 1 or 2, got {scale}")
    if size is not None:
        check_frame_size(size, scale)
    scenario, session, fmt = prepare(scenario_path, output, fps=fps, session_path=session_path,
                                     fmt=fmt)
    if transparent and (scenario.target == "window" or fmt not in encode.ALPHA_FORMATS):
        raise encode.OutputError("a transparent background needs one panel (the scenario's "
                                 "\"target\") and WebP or APNG output")
    if language is not None:
        if language not in ("en", "zh"):
            raise ValueError(f"language: expected en or zh, got {language!r}")
        scenario.language = language
    fps = int(fps or scenario.fps)
    renderer = ScenarioRenderer(scenario, size=size, fps=fps, scale=scale, session=session,
                                theme=theme)
    writer = None
    try:
        n = renderer.n_frames
        for k in range(n):
            if cancel is not None and cancel():
                raise Cancelled()
            frame = renderer.frame(k)
            if writer is None:
                h, w = frame.shape[:2]
                key = None
                if transparent:
                    c = renderer.background.lstrip("#")
                    key = tuple(int(c[i:i + 2], 16) for i in (0, 2, 4))
                raw = encode.open_writer(output, (w, h), fps, fmt=fmt,
                                         reserved_colors=renderer.reserved_colors,
                                         transparent_color=key)
                writer = encode.ThreadedWriter(raw) if threaded else raw
            writer.write(frame)
            if progress is not None:
                progress(k + 1, n)
        path = writer.close()
        h_w = (writer.writer if threaded else writer).size
        return RenderResult(Path(path), n, h_w, fps, n / fps)
    except BaseException:
        if writer is not None:
            writer.abort()
        raise
    finally:
        renderer.close()
