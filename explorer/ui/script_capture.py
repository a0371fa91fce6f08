"""Record as a script: while a :class:`~explorer.ui.live_recorder.LiveRecorder` records, write
down what the user did as a scenario (``resources/demos/README.md``) that re-renders the same
model states at the same frames.

Hooks: the model's ``sigChanged`` (every command, also each move of a drag, with its
``finished`` flag), the window's ``workspaces.workspaceChanged`` and the zoom.  At every frame
the recorder captures, the model's saved state (``AppModel.to_dict()``) is compared with the
one of the last frame; what changed becomes one ``state`` action ``{"at": k / fps, "model":
{changed keys}, "finished": …}`` — the values themselves, not the gestures that produced them,
so the re-render reproduces each frame's state exactly whatever the window size, scale, theme
or language.  The scenario starts with the whole state (and the workspace, and the zoom), and
one ``pointer`` action carries the pointer path (positions as fractions of the dock under the
pointer, so they follow the layout at any size).
"""
from __future__ import annotations

import time

from PySide6.QtCore import QObject, QPoint

from explorer import i18n

#: decimals kept of times and pointer fractions (exact frames: k / fps survives rounding)
TIME_DECIMALS = 6
POINTER_DECIMALS = 4


def _diff(old: dict, new: dict) -> dict:
    return {k: v for k, v in new.items() if k != "version" and old.get(k) != v}


class ScriptCapture(QObject):
    """Collects the scenario of one live recording (see the module docstring)."""

    def __init__(self, recorder):
        super().__init__(recorder)
        self.recorder = recorder
        self.window = recorder.window
        self.model = self.window.model
        self.fps = recorder.fps
        self.actions: list[dict] = []
        self.points: list[list] = []
        self._last: dict = {}
        self._dirty = False
        self._open = False            # the last change seen was a "changing" one
        self._workspace = None
        self._zoom = None
        self._highlight = None
        self._connected = False

    # ------------------------------------------------------------------ hooks
    def start(self) -> None:
        self.model.sigChanged.connect(self._on_changed)
        self._connected = True
        self._last = self.model.to_dict()
        ws = getattr(self.window, "workspaces", None)
        target = self.target_name()
        if ws is not None and target == "window":
            self._workspace = ws.current
            self.actions.append({"action": "layout", "at": 0, "workspace": ws.current})
        self._zoom = self._current_zoom()
        if self._zoom is not None and self._zoom != 100:
            self.actions.append({"action": "layout", "at": 0, "zoom": self._zoom})
        self.actions.append({"action": "state", "at": 0, "model": dict(self._last)})
        self._highlight = self.model.highlight
        if self._highlight is not None:
            self.actions[-1]["highlight"] = self._highlight

    def detach(self) -> None:
        if self._connected:
            try:
                self.model.sigChanged.disconnect(self._on_changed)
            except (RuntimeError, TypeError):
                pass
            self._connected = False

    def _on_changed(self, change) -> None:
        self._dirty = True
        self._open = not change.finished

    def _current_zoom(self):
        vm = getattr(self.window, "view_modes", None)
        return int(vm.active_percent) if vm is not None else None

    def target_name(self) -> str:
        rec = self.recorder
        if rec.target is self.window:
            return "window"
        return rec.target.objectName() or "window"

    # ------------------------------------------------------------------ per frame
    def frame(self, k: int) -> None:
        """Frame *k* (and maybe repeats after it) was just grabbed: note what it shows."""
        at = round(k / self.fps, TIME_DECIMALS)
        ws = getattr(self.window, "workspaces", None)
        if ws is not None and self._workspace is not None and ws.current != self._workspace:
            self._workspace = ws.current
            self.actions.append({"action": "layout", "at": at, "workspace": ws.current})
        zoom = self._current_zoom()
        if zoom is not None and zoom != self._zoom:
            self._zoom = zoom
            self.actions.append({"action": "layout", "at": at, "zoom": zoom})
        if self._dirty:
            self._dirty = False
            now = self.model.to_dict()
            changed = _diff(self._last, now)
            self._last = now
            action = {"action": "state", "at": at, "model": changed}
            if self._open:
                action["finished"] = False
            hl = self.model.highlight
            if hl != self._highlight:
                self._highlight = hl
                action["highlight"] = hl
            # an edit that ends where it was (no new value) still ends: "model": {}
            if changed or "highlight" in action or (not self._open and self._was_open()):
                self.actions.append(action)
        self._pointer(at)

    def _was_open(self) -> bool:
        for a in reversed(self.actions):
            if a["action"] == "state":
                return a.get("finished", True) is False
        return False

    def _pointer(self, at: float) -> None:
        pos, pressed = self.recorder.pointer_state()
        where = None
        if pos is not None:
            where = self._locate(pos)
        if where is None:
            sample = [at, None, 0, 0, 0]
        else:
            name, fx, fy = where
            sample = [at, name, round(fx, POINTER_DECIMALS), round(fy, POINTER_DECIMALS),
                      1 if pressed else 0]
        if self.points and self.points[-1][1:] == sample[1:]:
            return
        if self.points or sample[1] is not None:
            self.points.append(sample)

    def _locate(self, global_pos):
        """``(dock objectName or "window", x, y)`` fractions of the widget under the pointer,
        or None outside the captured area."""
        rec = self.recorder
        win = self.window
        rect = rec.capture_rect()
        local = win.mapFromGlobal(global_pos)
        if not (rect.left() <= local.x() < rect.left() + rect.width()
                and rect.top() <= local.y() < rect.top() + rect.height()):
            return None
        if rec.target is not win:
            return (self.target_name(), (local.x() - rect.x()) / max(1, rect.width()),
                    (local.y() - rect.y()) / max(1, rect.height()))
        for name, dock in getattr(win, "docks", {}).items():
            if not dock.isVisible() or dock.isFloating():
                continue
            r = dock.geometry() if dock.parentWidget() is win else \
                dock.rect().translated(dock.mapTo(win, QPoint(0, 0)))
            if r.left() <= local.x() < r.left() + r.width() and \
                    r.top() <= local.y() < r.top() + r.height():
                return (name, (local.x() - r.x()) / max(1, r.width()),
                        (local.y() - r.y()) / max(1, r.height()))
        return ("window", (local.x() - rect.x()) / max(1, rect.width()),
                (local.y() - rect.y()) / max(1, rect.height()))

    # ------------------------------------------------------------------ result
    def finish(self, n_frames: int) -> dict:
        """The scenario of the recording (*n_frames* frames long)."""
        self.detach()
        rec = self.recorder
        duration = round(max(1, n_frames) / self.fps, TIME_DECIMALS)
        actions = list(self.actions)
        if self.points:
            actions.append({"action": "pointer", "at": 0, "points": self.points,
                            "ripple": bool(rec.ripple), "shown": bool(rec.draw_pointer)})
        actions.append({"action": "wait", "at": 0, "duration": duration})
        w, h = rec._size or (rec.target.width(), rec.target.height())
        target = self.target_name()
        if target != "window":                # the window's content around the dock
            win = rec.window
            w, h = win.width(), win.height()
            for bar in (win.menuWidget(), win.statusBar()) if hasattr(win, "menuWidget") else ():
                if bar is not None and bar.isVisible():
                    h -= bar.height()
        stamp = time.strftime("%Y-%m-%d %H:%M")
        out = {"version": 1,
               "title": i18n.tr("Recording of {time}").format(time=stamp),
               "size": [min(3840, max(160, int(w))), min(2160, max(120, int(h)))],
               "fps": self.fps, "target": target, "language": i18n.language()}
        if target == "window":
            out["menu_bar"] = bool(rec.menu_bar)
            out["status_bar"] = bool(rec.status_bar)
        out["actions"] = actions
        return out
