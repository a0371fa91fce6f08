"""File → Present demo… (Shift+F5): play a scenario live in the window, with its holds as slides.

In the style of manim-slides: the scenario's ``hold`` actions are slide breaks.  The demo opens
on a title card (the scenario's title and description in the interface language); → / Space /
PageDown play the next slide (the timeline runs at the scenario's frame rate until the next hold,
then waits there with the hold's captions shown; pressed while a slide plays, the slide ends at
once), ← / PageUp go back to the previous break, Esc leaves.  A small counter in the bottom-right
corner says which slide is shown ("3 / 5").  Presentation mode (full screen, no menus, the
presentation zoom of :mod:`explorer.ui.view_modes`) is on while presenting.

Determinism: every way of reaching a break visits the same frames in the same order (the
frames of each slide one by one, the frame at which the hold ends, the next slide …), so the
model holds the same state at a break however it got there.  Going back re-runs the timeline
from the start up to that break (without painting), as the headless renderer would.

The user's own state is kept aside and put back exactly on Esc: the model (``to_dict``), the
undo history (the demo's edits go to a scratch stack while presenting, so the user's steps,
redo steps included, are never touched), the dock layout and workspace, the zoom and the view
mode.  While presenting, the keyboard and the mouse buttons belong to the presentation (hover
still highlights); only the zoom keys (Ctrl+= / Ctrl+− / Ctrl+0) pass, for the room's screen.

The scenario is driven by :class:`LiveDriver`, the headless renderer's action logic
(:class:`explorer.record.render.ScenarioRenderer`) bound to this window and its model, so a
demo presented live shows what its recording shows.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QFont, QFontMetricsF, QKeySequence, QPainter, QUndoStack
from PySide6.QtWidgets import (QApplication, QDialog, QDialogButtonBox, QFileDialog, QLabel, QListWidget,
                               QListWidgetItem, QVBoxLayout, QWidget)

from explorer import i18n, resources
from explorer.record import overlay
from explorer.record.render import POINT_DOCKS, ScenarioRenderer, scenario_context
from explorer.record.scenario import ScenarioError, bundled_demos, load_scenario
from explorer.record.timeline import build_timeline, fade_alpha
from explorer.ui import zoom

SHORTCUT = "Shift+F5"
NEXT_KEYS = (Qt.Key_Right, Qt.Key_Space, Qt.Key_PageDown)
BACK_KEYS = (Qt.Key_Left, Qt.Key_PageUp)
#: keys that still work while presenting (the room's screen may need another zoom)
PASS_KEYS = ("Ctrl+=", "Ctrl++", "Ctrl+-", "Ctrl+0")
_BLOCKED_MOUSE = (QEvent.MouseButtonPress, QEvent.MouseButtonRelease, QEvent.MouseButtonDblClick,
                  QEvent.Wheel, QEvent.ContextMenu)


# ---------------------------------------------------------------------------- slides (pure)
@dataclass(frozen=True)
class Stop:
    """A place where the presentation waits: the title card, a hold's start or the end.

    ``step`` is the position in :attr:`Slides.frames` of the last frame applied when the
    presentation waits here; ``frame`` that frame; ``hold`` the timeline segment of the hold
    (None for the title and the end)."""

    kind: str            # "title", "hold" or "end"
    step: int
    frame: int
    hold: object = None


@dataclass(frozen=True)
class Slides:
    """The frames a presentation visits, in order, and where it stops."""

    frames: tuple
    stops: tuple

    @property
    def count(self) -> int:
        """Number of slides (the title card is slide 0)."""
        return len(self.stops) - 1


def plan_slides(timeline) -> Slides:
    """Slides of *timeline*: the frames from the start to each hold's first frame, one by one;
    leaving a hold jumps to the frame where it ends; after the last hold, the frames up to the
    end (``n_frames``, where every action has finished) if anything still happens there.

    A hold that starts inside an earlier hold is not a break of its own."""
    frames = [0]
    stops = [Stop("title", 0, 0)]
    cursor = 0
    holds = sorted((s for s in timeline.segments if s.kind == "hold"), key=lambda s: s.start)
    for seg in holds:
        if seg.start < cursor or (stops[-1].kind == "hold" and seg.start == stops[-1].frame):
            continue
        frames += range(cursor + 1, seg.start + 1)
        stops.append(Stop("hold", len(frames) - 1, seg.start, seg))
        cursor = seg.start
        if seg.end > seg.start:
            frames.append(seg.end)          # leaving the hold: jump to its end
            cursor = seg.end
    if cursor < timeline.n_frames or len(stops) == 1:
        frames += range(cursor + 1, timeline.n_frames + 1)
        stops.append(Stop("end", len(frames) - 1, frames[-1]))
    else:
        del frames[stops[-1].step + 1:]     # nothing after the last hold
    return Slides(tuple(frames), tuple(stops))


# ---------------------------------------------------------------------------- the driver
class LiveDriver(ScenarioRenderer):
    """The renderer's actions (state, animate, drag, train, sample, layout …) applied to a live
    window and its model: no private window, no resizing, no frame grabbing.

    A ``layout`` rearranges the docks inside the window as it is (its ``size`` is ignored; a
    ``workspace`` is built from its design without touching the workspace the user is in or
    its remembered state); ``train`` never starts the training panel's own play loop (the frame
    index moves the epoch)."""

    def __init__(self, scenario, window, fps: int | None = None):   # noqa: D107 (no super)
        self.scenario = scenario
        self.window = window
        self.model = window.model
        self.fps = int(fps or scenario.fps)
        self.timeline = build_timeline(scenario.actions, self.fps)
        self.scale = 1
        self.layout_changed = False
        self.reset()

    def reset(self) -> None:
        """Forget what has run (the model is reset by the caller)."""
        self._requested_size = (self.window.width(), self.window.height())
        self._reset_progress()
        self._timers = None

    def _target_widget(self):
        return self.window

    def _start(self, seg) -> None:
        if seg.kind == "layout":
            self._layout(seg.params)
        elif seg.kind == "train":
            pass        # the epoch follows the frame index; the panel's play loop stays off
        else:
            super()._start(seg)

    def _layout(self, p: dict) -> None:
        from explorer.ui import workspaces
        from explorer.workspace_designs import BY_NAME

        w = self.window
        if "workspace" in p:
            workspaces.arrange(w, BY_NAME[p["workspace"]])
        elif "docks" in p:
            for name, dock in w.docks.items():
                dock.setVisible(name in p["docks"])
            for name in reversed(p["docks"]):
                w.docks[name].raise_()
        elif "columns" in p:
            self._arrange(p["columns"], p.get("widths"))
        layout = w.layout()
        if layout is not None:
            layout.activate()
        self.layout_changed = True

    def apply(self, k: int) -> None:
        """Run frame *k* of the timeline (frames must come in the order of the slides)."""
        self._advance(k)
        self._next_k = k + 1

    def captions(self, k: int, paused: bool):
        """``(segment, alpha)`` of every caption shown at frame *k*; while waiting at a break the
        captions of that moment are shown fully (none is frozen half faded)."""
        out = []
        for seg in self.timeline.segments:
            if seg.kind != "caption" or not seg.start <= k < seg.end:
                continue
            p = seg.params
            alpha = 1.0 if paused else fade_alpha(k, seg.start, seg.end, self.fps,
                                                   p["fade_in"], p["fade_out"])
            out.append((seg, alpha))
        return out

    def point(self, target: dict):
        pt = target
        preferred = ("logit_plot",) if pt["dock"] == "logits" else (
            "prob_plot",) if pt["dock"] == "softmax" else ("plot",)
        return self._data_to_window(POINT_DOCKS[pt["dock"]], pt["x"], pt["y"], preferred)

    def cursor(self, k: int):
        return self._resolve_cursor(k)


# ---------------------------------------------------------------------------- what is drawn
class PresentOverlay(QWidget):
    """Captions, the drag pointer, the title card and the slide counter, drawn over the window
    (transparent for the mouse; only the rectangles that change are repainted)."""

    def __init__(self, window, presenter):
        super().__init__(window)
        self.setObjectName("presentOverlay")
        self.presenter = presenter
        self.setAttribute(Qt.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WA_NoSystemBackground)
        self.setAttribute(Qt.WA_TranslucentBackground)
        self.setFocusPolicy(Qt.NoFocus)
        self._sprites: dict = {}
        self._drawn: list[QRectF] = []       # rectangles painted last time
        self.counter_text = ""
        self.setGeometry(window.rect())
        window.installEventFilter(self)
        self.show()
        self.raise_()

    def eventFilter(self, obj, event) -> bool:
        if obj is self.parent() and event.type() == QEvent.Resize:
            self.setGeometry(self.parent().rect())
            self._sprites.clear()
        return False

    # ------------------------------------------------------------------ contents
    def _zoom(self) -> float:
        return zoom.factor()

    def items(self):
        """What to draw now: ``(kind, data, rect)`` tuples, rects in widget px."""
        pr = self.presenter
        out = []
        w, h = float(self.width()), float(self.height())
        f = self._zoom()
        if pr.stop is not None and pr.stop.kind == "title" and not pr.playing:
            box = self._title_layout(w, h, f)[0]
            out.append(("title", None, box))
        else:
            for seg, alpha in pr.driver.captions(pr.frame, paused=not pr.playing):
                p = seg.params
                size = p["size"] * f
                key = (seg.index, w, h, size)
                if key not in self._sprites:
                    self._sprites[key] = overlay.CaptionSprite(p["text"], p["position"], w, h,
                                                               size, self.devicePixelRatioF())
                sprite = self._sprites[key]
                point = pr.driver.point(p["point_to"]) if "point_to" in p else None
                rect = QRectF(sprite.box)
                if point is not None:
                    rect = rect.united(QRectF(point[0] - 12, point[1] - 12, 24, 24))
                out.append(("caption", (sprite, alpha, point), rect))
            cur = pr.cursor_now
            if cur is not None:
                (cx, cy), pressed, alpha = cur
                s = 30 * f
                out.append(("cursor", cur, QRectF(cx - s, cy - s, 2 * s, 2 * s)))
        out.append(("counter", None, self._counter_rect(w, h, f)))
        return out

    def refresh(self) -> None:
        """Repaint what was drawn last time and what is drawn now (nothing else)."""
        rects = [r for _k, _d, r in self.items()]
        for r in self._drawn + rects:
            self.update(r.toAlignedRect().adjusted(-3, -3, 3, 3))
        self._drawn = rects

    def _counter_font(self, f: float) -> QFont:
        font = overlay.caption_font(13 * f)
        font.setWeight(QFont.Normal)
        return font

    def _counter_rect(self, w, h, f) -> QRectF:
        fm = QFontMetricsF(self._counter_font(f))
        tw = fm.horizontalAdvance(self.counter_text or "00 / 00")
        pad = 6 * f
        bw, bh = tw + 2 * pad, fm.height() + pad
        return QRectF(w - bw - 8 * f, h - bh - 8 * f, bw, bh)

    def _title_layout(self, w, h, f):
        pr = self.presenter
        lang = i18n.language()
        title = pr.scenario.title_in(lang) or Path(pr.scenario.source).stem
        desc = pr.scenario.description_in(lang)
        hint = i18n.tr("→ or Space: next slide · ←: back · Esc: leave")
        tfont = overlay.caption_font(34 * f)
        dfont = overlay.caption_font(18 * f)
        dfont.setWeight(QFont.Normal)
        hfont = overlay.caption_font(14 * f)
        hfont.setWeight(QFont.Normal)
        max_w = min(0.8 * w, 900 * f)
        flags = int(Qt.TextWordWrap | Qt.AlignHCenter)
        parts = []
        for text, font in ((title, tfont), (desc, dfont), (hint, hfont)):
            if text:
                br = QFontMetricsF(font).boundingRect(QRectF(0, 0, max_w, 10 * h), flags, text)
                parts.append((text, font, br.height()))
        pad, gap = 28 * f, 14 * f
        box_h = 2 * pad + sum(p[2] for p in parts) + gap * (len(parts) - 1)
        box = QRectF((w - max_w) / 2 - pad, max(0.0, (h - box_h) / 2), max_w + 2 * pad, box_h)
        return box, parts, pad, gap, flags

    # ------------------------------------------------------------------ painting
    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing, True)
        painter.setRenderHint(QPainter.TextAntialiasing, True)
        f = self._zoom()
        w, h = float(self.width()), float(self.height())
        accent = self.presenter.accent
        for kind, data, rect in self.items():
            if kind == "caption":
                sprite, alpha, point = data
                sprite.draw(painter, alpha, point=point, accent=accent)
            elif kind == "cursor":
                (cx, cy), pressed, alpha = data
                overlay.draw_cursor(painter, cx, cy, pressed, alpha, size=1.15 * f, accent=accent)
            elif kind == "title":
                self._paint_title(painter, w, h, f)
            elif kind == "counter" and self.counter_text:
                painter.setPen(Qt.NoPen)
                painter.setBrush(QColor(24, 26, 32, 150))
                painter.drawRoundedRect(rect, 5 * f, 5 * f)
                painter.setPen(QColor(255, 255, 255, 230))
                painter.setFont(self._counter_font(f))
                painter.drawText(rect, int(Qt.AlignCenter), self.counter_text)
        painter.end()

    def _paint_title(self, painter, w, h, f) -> None:
        box, parts, pad, gap, flags = self._title_layout(w, h, f)
        painter.setPen(Qt.NoPen)
        painter.setBrush(overlay.CAPTION_BOX)
        painter.drawRoundedRect(box, 12 * f, 12 * f)
        y = box.top() + pad
        for i, (text, font, height) in enumerate(parts):
            painter.setFont(font)
            color = QColor(overlay.CAPTION_TEXT)
            if i == len(parts) - 1 and len(parts) > 1:
                color.setAlpha(170)                 # the key hint, quieter
            painter.setPen(color)
            painter.drawText(QRectF(box.left() + pad, y, box.width() - 2 * pad, height), flags, text)
            y += height + gap


# ---------------------------------------------------------------------------- the presentation
class Presentation(QObject):
    """One demo presented in *window*.  :meth:`start` keeps the user's state aside; Esc (or
    :meth:`leave`) puts it back.  ``stop_index`` is the break shown (0 = the title card)."""

    #: emitted after the presentation has ended and the user's state is back
    finished = Signal()
    #: emitted when the presentation waits at a break (its index)
    arrived = Signal(int)

    def __init__(self, window, scenario, path=None):
        super().__init__(window)
        from explorer.ui import theme

        self.window = window
        self.model = window.model
        self.scenario = scenario
        self.path = Path(path) if path is not None else None
        self.driver = LiveDriver(scenario, window)
        self.slides = plan_slides(self.driver.timeline)
        self.accent = theme.current().accent
        self.step = -1                 # position in slides.frames of the last frame applied
        self.stop_index = 0
        self.target_index = 0          # the break being played towards
        self.playing = False
        self.active = False
        self.cursor_now = None         # the drag pointer at the last frame applied
        self.timer = QTimer(self)
        self.timer.setInterval(max(1, round(1000 / self.driver.fps)))
        self.timer.timeout.connect(self._tick)
        self.overlay: PresentOverlay | None = None
        self._saved: dict = {}

    # ------------------------------------------------------------------ state
    @property
    def frame(self) -> int:
        return self.slides.frames[max(0, self.step)]

    @property
    def stop(self) -> Stop | None:
        return None if self.playing else self.slides.stops[self.stop_index]

    @property
    def counter(self) -> str:
        shown = self.target_index if self.playing else self.stop_index
        return f"{shown} / {self.slides.count}"

    # ------------------------------------------------------------------ start / leave
    def start(self) -> None:
        """Keep the user's state aside, enter presentation mode and show the title card."""
        from explorer.model import AppModel

        w, m = self.window, self.model
        vm = w.view_modes
        self._saved = {
            "model": m.to_dict(),
            "undo": m.undo_stack,
            "highlight": m.highlight,
            "training_running": m.training_running,
            "sample_running": m.sample_running,
            "dock_state": w.saveState(),
            "geometry": w.geometry(),
            "window_state": w.windowState(),
            "presenting": vm.presenting,
            "focus": w.focusWidget(),
        }
        # the demo's edits must never reach the user's undo history (nor truncate its redo)
        m.undo_stack = QUndoStack(self)
        if m.training_running:
            m.set_training_running(False)
        if m.sample_running:
            m.set_sample_running(False)
        autosaver = getattr(getattr(w, "sessions", None), "autosaver", None)
        self._saved["autosave"] = autosaver is not None and autosaver.timer.isActive()
        if self._saved["autosave"]:
            autosaver.timer.stop()           # never autosave the demo's state as the user's
        self._fresh = AppModel().to_dict()   # every run starts where a recording starts
        self.active = True
        if not vm.presenting:
            vm.set_presentation(True, remember=False)
        app = QApplication.instance()
        app.installEventFilter(self)
        app.aboutToQuit.connect(self.leave)
        self.overlay = PresentOverlay(w, self)
        self._restart()
        if self._run_to(0):
            self._arrive(0)

    def leave(self) -> None:
        """Esc: end the presentation and put the user's state back exactly."""
        if not self.active:
            return
        self.timer.stop()
        self.playing = False
        self.active = False
        app = QApplication.instance()
        app.removeEventFilter(self)
        try:
            app.aboutToQuit.disconnect(self.leave)
        except (RuntimeError, TypeError):
            pass
        w, m, saved = self.window, self.model, self._saved
        if self.overlay is not None:
            self.overlay.hide()
            self.overlay.deleteLater()
            self.overlay = None
        if m.training_running:
            m.set_training_running(False)
        m.from_dict(saved["model"])          # recorded (if at all) on the scratch stack
        m.undo_stack = saved["undo"]
        if m.highlight != saved["highlight"]:
            m.set_highlight(saved["highlight"])
        if saved["training_running"]:
            m.set_training_running(True)
        if saved["sample_running"]:
            m.set_sample_running(True)
        if not saved["presenting"]:
            w.view_modes.set_presentation(False, remember=False)
            if saved["window_state"] & (Qt.WindowMaximized | Qt.WindowFullScreen):
                w.setWindowState(saved["window_state"])
        self._restore_window(saved)
        # once the window has its old size for sure (a resize may still be on its way), the
        # docks' sizes once more
        QTimer.singleShot(0, w, lambda: self._restore_window(saved))
        autosaver = getattr(getattr(w, "sessions", None), "autosaver", None)
        if saved.get("autosave") and autosaver is not None:
            autosaver.timer.start()
        focus = saved.get("focus")
        if focus is not None:
            focus.setFocus()
        self.finished.emit()

    def _restore_window(self, saved) -> None:
        """The user's docks, and the window's geometry: leaving full screen does not always
        give it back (window managers; a demo's layout may have made the window grow)."""
        from explorer.ui import fit

        w = self.window
        fit.refit(w)        # the dock bodies' limits for the user's state, not the demo's
        w.workspaces.restore_state(saved["dock_state"])
        if not saved["window_state"] & (Qt.WindowMaximized | Qt.WindowFullScreen) \
                and not w.view_modes.presenting and w.geometry() != saved["geometry"]:
            w.setGeometry(saved["geometry"])
        w.layout_changed()

    # ------------------------------------------------------------------ moving
    def next(self) -> None:
        """→: play the next slide; while one plays, finish it at once."""
        if self.playing:
            self._finish_slide()
        elif self.stop_index < self.slides.count:
            self.target_index = self.stop_index + 1
            self.playing = True
            self._update_overlay()
            if self.step >= self.slides.stops[self.target_index].step:
                self._arrive(self.target_index)       # nothing to play (a hold at 0 s)
            else:
                self.timer.start()

    def back(self) -> None:
        """←: the previous break (while a slide plays: the break it started from)."""
        if self.playing:
            target = self.target_index - 1
        else:
            target = max(0, self.stop_index - 1)
        self.go_to(target)

    def go_to(self, index: int) -> None:
        """Wait at break *index*, reached by re-running the timeline from the start."""
        index = max(0, min(self.slides.count, int(index)))
        self.timer.stop()
        self.playing = False
        self._restart()
        if self._run_to(self.slides.stops[index].step):
            self._arrive(index)

    def _restart(self) -> None:
        self.model.from_dict(self._fresh)
        if self.model.highlight is not None:
            self.model.set_highlight(None)
        self.driver.reset()
        self.step = -1
        self.cursor_now = None

    def _run_to(self, step: int) -> bool:
        """Apply the frames up to position *step* at once (no painting in between); False if
        the demo failed (the presentation has ended then)."""
        busy = step - self.step > 30
        if busy:
            QApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            while self.step < step:
                if not self._apply_step(self.step + 1):
                    return False
        finally:
            if busy:
                QApplication.restoreOverrideCursor()
        return True

    def _apply_step(self, i: int) -> bool:
        k = self.slides.frames[i]
        try:
            self.driver.apply(k)
        except (ScenarioError, ValueError) as exc:
            self._fail(exc)
            return False
        self.step = i
        self.cursor_now = self.driver.cursor(k)
        if self.driver.layout_changed and self.overlay is not None:
            self.driver.layout_changed = False
            self.overlay.raise_()
        return True

    def _tick(self) -> None:
        target = self.slides.stops[self.target_index].step
        if self.step < target and not self._apply_step(self.step + 1):
            return
        if self.step >= target:
            self._arrive(self.target_index)
        else:
            self._update_overlay()

    def _finish_slide(self) -> None:
        self.timer.stop()
        if self._run_to(self.slides.stops[self.target_index].step):
            self._arrive(self.target_index)

    def _arrive(self, index: int) -> None:
        self.timer.stop()
        self.playing = False
        self.stop_index = index
        self.target_index = index
        self._update_overlay()
        self.arrived.emit(index)

    def _update_overlay(self) -> None:
        if self.overlay is not None:
            self.overlay.counter_text = self.counter
            self.overlay.refresh()

    def _fail(self, exc) -> None:
        text = i18n.tr_error(exc)
        self.leave()
        self.window.statusBar().showMessage(
            i18n.tr("The demo stopped: {reason}").format(reason=text), 10000)

    # ------------------------------------------------------------------ keys and mouse
    def _ours(self, obj) -> bool:
        w = self.window
        if obj is w or obj is w.windowHandle():
            return True
        return isinstance(obj, QWidget) and obj.window() is w

    def eventFilter(self, obj, event) -> bool:
        t = event.type()
        if t == QEvent.Close and obj is self.window:
            self.leave()          # the user's state is what the window saves and asks about
            return False
        if t in (QEvent.ShortcutOverride, QEvent.KeyPress, QEvent.KeyRelease) and self._ours(obj):
            key = event.key()
            combo = QKeySequence(event.keyCombination())
            passes = any(combo.matches(QKeySequence(k)) == QKeySequence.ExactMatch
                         for k in PASS_KEYS)
            if passes:
                return False
            if t == QEvent.ShortcutOverride:
                event.accept()               # no shortcut of the window fires (Esc, F5, Ctrl+Z …)
                return True
            if t == QEvent.KeyPress and not event.isAutoRepeat() \
                    and event.modifiers() in (Qt.NoModifier, Qt.KeypadModifier):
                if key in NEXT_KEYS:
                    self.next()
                elif key in BACK_KEYS:
                    self.back()
                elif key == Qt.Key_Escape:
                    self.leave()
            event.accept()
            return True
        if t in _BLOCKED_MOUSE and self._ours(obj):
            event.accept()
            return True
        return False


# ---------------------------------------------------------------------------- choosing a demo
class PresentDialog(QDialog):
    """The bundled demos by title (interface language), each with its description and length,
    and "Browse…" for any other scenario file.  :attr:`chosen` is the file picked."""

    BROWSE = "browse"

    def __init__(self, window):
        super().__init__(window)
        self.setObjectName("presentDemoDialog")
        self.chosen: Path | None = None
        self.demos = bundled_demos()
        self.list = QListWidget()
        self.list.setObjectName("presentDemoList")
        for path, sc in self.demos:
            item = QListWidgetItem()
            item.setData(Qt.UserRole, str(path))
            self.list.addItem(item)
        self.browse_item = QListWidgetItem()
        self.browse_item.setData(Qt.UserRole, self.BROWSE)
        self.list.addItem(self.browse_item)
        self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda _item: self._accept())
        self.list.currentRowChanged.connect(self._show_details)
        self.details = QLabel()
        self.details.setObjectName("presentDemoDetails")
        self.details.setWordWrap(True)
        self.details.setMinimumHeight(self.details.fontMetrics().height() * 4)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        layout.addWidget(self.heading)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.details)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
        self.retranslate()
        i18n.notifier.languageChanged.connect(self.retranslate)

    def retranslate(self, *_args) -> None:
        tr = i18n.tr
        lang = i18n.language()
        self.setWindowTitle(tr("Present demo"))
        self.heading.setText(tr("Play a demo in this window, one slide at a time:"))
        for i, (path, sc) in enumerate(self.demos):
            item = self.list.item(i)
            item.setText(sc.title_in(lang) or path.stem)
            item.setToolTip(sc.description_in(lang))
        self.browse_item.setText(tr("Browse…"))
        self.browse_item.setToolTip(tr("Present another scenario file"))
        self.buttons.button(QDialogButtonBox.Ok).setText(tr("&Present"))
        self.buttons.button(QDialogButtonBox.Cancel).setText(tr("Cancel"))
        self._show_details(self.list.currentRow())

    def _show_details(self, row: int) -> None:
        tr = i18n.tr
        if 0 <= row < len(self.demos):
            path, sc = self.demos[row]
            slides = plan_slides(build_timeline(sc.actions, sc.fps)).count
            self.details.setText(tr("{description}\n{seconds} s · {slides} slides").format(
                description=sc.description_in(i18n.language()),
                seconds=f"{sc.duration:.1f}", slides=slides))
        else:
            self.details.setText(tr("Choose a scenario file (see resources/demos/README.md)"))

    def _accept(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        value = item.data(Qt.UserRole)
        if value == self.BROWSE:
            path, _ = QFileDialog.getOpenFileName(self, i18n.tr("Open scenario"),
                                                  str(resources.path("demos")),
                                                  i18n.tr("Scenario files (*.json)"))
            if not path:
                return
            value = path
        self.chosen = Path(value)
        self.accept()


class PresentController(QObject):
    """File → Present demo… (Shift+F5) of one main window: ``window.presenter =
    PresentController(window)``.

    The GUI installs it (``explorer.cli.run_gui``), not :class:`MainWindow` itself: this module
    drives the live window with the headless renderer's actions, and the renderer builds a
    ``MainWindow`` of its own, so ``main_window`` importing this module would close an import
    cycle (``tests/test_import_graph.py``)."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.presentation: Presentation | None = None
        self.dialog: PresentDialog | None = None
        self.act_present = QAction(window)
        self.act_present.setObjectName("actPresentDemo")
        self.act_present.setShortcut(QKeySequence(SHORTCUT))
        self.act_present.triggered.connect(self.choose)
        window.addAction(self.act_present)      # works with the menu bar hidden too
        menu = getattr(window, "file_menu", None)
        render = getattr(getattr(window, "recording", None), "act_render_demo", None)
        if menu is not None:
            actions = menu.actions()
            if render in actions and actions.index(render) + 1 < len(actions):
                menu.insertAction(actions[actions.index(render) + 1], self.act_present)
            else:
                menu.addAction(self.act_present)
        self.retranslate()
        i18n.notifier.languageChanged.connect(self.retranslate)

    def retranslate(self, *_args) -> None:
        tr = i18n.tr
        self.act_present.setText(tr("&Present demo…"))
        self.act_present.setToolTip(tr("Play a demo live in this window, its holds as slides: "
                                       "→ or Space next, ← back, Esc leaves ({key})").format(
            key=QKeySequence(SHORTCUT).toString(QKeySequence.NativeText)))
        self.act_present.setStatusTip(self.act_present.toolTip())

    def choose(self) -> PresentDialog | None:
        """Open the demo list (window-modal, not blocking); the demo picked is presented."""
        if self.presentation is not None:
            return None
        dlg = PresentDialog(self.window)
        dlg.setAttribute(Qt.WA_DeleteOnClose)
        dlg.accepted.connect(lambda: self.present(dlg.chosen))
        self.dialog = dlg
        dlg.destroyed.connect(lambda *_: setattr(self, "dialog", None))
        dlg.open()
        return dlg

    def present(self, path) -> Presentation | None:
        """Present the scenario file *path*; a file that does not validate is refused with a
        message (nothing changes)."""
        from explorer.model import AppModel
        from explorer.ui.docks import DOCK_NAMES

        if self.presentation is not None or path is None:
            return None
        try:
            scenario = load_scenario(path, **scenario_context(AppModel(), DOCK_NAMES))
        except ScenarioError as exc:
            self.window.statusBar().showMessage(i18n.tr_error(exc), 10000)
            return None
        pres = Presentation(self.window, scenario, path)
        pres.finished.connect(self._ended)
        self.presentation = pres
        pres.start()
        return pres

    def _ended(self) -> None:
        pres, self.presentation = self.presentation, None
        if pres is not None:
            pres.deleteLater()
