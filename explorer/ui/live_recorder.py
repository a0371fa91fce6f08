"""Live recording: capture the window (or one dock) while the user works.

A :class:`LiveRecorder` grabs its target on a :class:`QTimer` at the chosen frame rate, draws
the mouse pointer into each frame (tracked from the application's mouse events, so synthetic
test events and real ones both show), and hands the frames to a
:class:`explorer.record.encode.ThreadedWriter`: compression runs in a worker thread and never
blocks the GUI.  A late timer tick repeats the last frame, so the video keeps real time.  If the
encoder falls behind, frames are skipped rather than the interface freezing.

Signals: ``sigProgress(elapsed_s, frames)`` while recording; ``sigFinished(path)`` or
``sigFailed(message)`` once the file has been written (from the worker thread, delivered queued).
"""
from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
from PySide6.QtCore import QEvent, QObject, QPointF, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter
from PySide6.QtWidgets import QApplication

from explorer.record import encode, overlay
from explorer.record.frames import qimage_to_rgb

MAX_REPEAT = 30          # at most this many copies of one frame after a stall


class _PointerTracker(QObject):
    """Application-wide event filter remembering the pointer's global position and buttons."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.global_pos: QPointF | None = None
        self.pressed = False

    def eventFilter(self, obj, event) -> bool:
        t = event.type()
        if t in (QEvent.MouseMove, QEvent.MouseButtonPress, QEvent.MouseButtonRelease,
                 QEvent.MouseButtonDblClick):
            try:
                self.global_pos = QPointF(event.globalPosition())
                self.pressed = bool(event.buttons() & Qt.LeftButton)
            except AttributeError:
                pass
        return False


class LiveRecorder(QObject):
    """Record *target* (the main window or a widget inside it) to *path* (GIF/MP4/folder)."""

    sigProgress = Signal(float, int)     # elapsed seconds, frames written so far
    sigFinished = Signal(str)            # path of the finished file
    sigFailed = Signal(str)              # one-line reason

    def __init__(self, window, target=None, path="recording.gif", fps: int = 30, scale: int = 1,
                 draw_pointer: bool = True, parent=None):
        super().__init__(parent)
        self.window = window
        self.target = target if target is not None else window
        self.path = Path(path)
        self.fps = int(fps)
        self.scale = int(scale)
        self.draw_pointer = draw_pointer
        self.format = encode.check_output(self.path, self.fps)
        if self.scale not in (1, 2):
            raise ValueError(f"scale: expected 1 or 2, got {scale}")
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.PreciseTimer)
        self._timer.setInterval(max(1, int(round(1000 / self.fps))))
        self._timer.timeout.connect(self._tick)
        self._tracker = _PointerTracker(self)
        self._writer: encode.ThreadedWriter | None = None
        self._size: tuple[int, int] | None = None       # logical size of the frames
        self._t0 = 0.0
        self.frames = 0            # frames handed to the encoder (including repeats)
        self.skipped = 0           # frames dropped because the encoder was busy
        self.recording = False
        self.encoding = False
        self.accent = "#CC79A7"
        try:
            from explorer.ui import theme
            self.accent = theme.current().accent
            self.background = theme.current().background
        except Exception:   # pragma: no cover - theme is always importable in the app
            self.background = "#FFFFFF"

    # ------------------------------------------------------------------ control
    def start(self) -> None:
        if self.recording or self.encoding:
            raise RuntimeError("already recording")
        self._size = (self.target.width(), self.target.height())
        w, h = self._size[0] * self.scale, self._size[1] * self.scale
        raw = encode.open_writer(self.path, (w, h), self.fps)
        self._writer = encode.ThreadedWriter(raw, max_queue=4 * self.fps)
        QApplication.instance().installEventFilter(self._tracker)
        self.recording = True
        self.frames = 0
        self.skipped = 0
        self._t0 = time.perf_counter()
        self._capture(first=True)
        self._timer.start()

    def elapsed(self) -> float:
        return time.perf_counter() - self._t0 if self.recording else self.frames / self.fps

    def finish_now(self) -> Path | None:
        """Stop and write the file before returning (used when the application quits)."""
        if not self.recording:
            return None
        self._timer.stop()
        self._capture()
        QApplication.instance().removeEventFilter(self._tracker)
        self.recording = False
        writer, self._writer = self._writer, None
        try:
            return writer.close()
        except BaseException:      # nothing sensible to report while quitting; file removed
            return None

    def stop(self) -> None:
        """Stop capturing; the file is finished in the background (``sigFinished``)."""
        if not self.recording:
            return
        self._timer.stop()
        self._capture()                       # catch up to the stop time
        QApplication.instance().removeEventFilter(self._tracker)
        self.recording = False
        self.encoding = True
        writer, self._writer = self._writer, None

        def finish():
            try:
                path = writer.close()
            except BaseException as exc:      # reported, never raised into Qt
                self.encoding = False
                self.sigFailed.emit(f"{self.path}: {exc}")
                return
            self.encoding = False
            self.sigFinished.emit(str(path))

        threading.Thread(target=finish, name="explorer-record-finish", daemon=True).start()

    def cancel(self) -> None:
        """Stop and throw the recording away (nothing is written)."""
        self._timer.stop()
        if self.recording:
            QApplication.instance().removeEventFilter(self._tracker)
        self.recording = False
        if self._writer is not None:
            self._writer.abort()
            self._writer = None

    # ------------------------------------------------------------------ capture
    def _tick(self) -> None:
        if not self.window.isVisible():       # the window was closed: keep what we have
            self.stop()
            return
        self._capture()
        self.sigProgress.emit(self.elapsed(), self.frames)

    def _capture(self, first: bool = False) -> None:
        if self._writer is None:
            return
        due = 1 if first else int((time.perf_counter() - self._t0) * self.fps) + 1
        missing = due - self.frames
        if missing <= 0:
            return
        try:
            frame = self.grab_frame()
        except Exception as exc:             # pragma: no cover - reported, recording stops
            self.cancel()
            self.sigFailed.emit(str(exc))
            return
        for _ in range(min(missing, MAX_REPEAT)):     # the same array: repeats cost no memory
            if not self._writer.try_write(frame):
                self.skipped += 1                    # encoder busy: catch up on a later tick
                break
            self.frames += 1

    def _grab_image(self) -> QImage:
        """The target's current pixels (device pixels of the screen)."""
        win = self.window
        rect = QRect(self.target.mapTo(win, self.target.rect().topLeft()), self.target.size()) \
            if self.target is not win else QRect(0, 0, win.width(), win.height())
        img = None
        screen = win.screen()
        if screen is not None and QGuiApplication.platformName() in ("offscreen", "xcb", "windows",
                                                                     "cocoa"):
            # the composed window as the user sees it: cheap, no re-render
            pm = screen.grabWindow(win.winId())
            dpr = pm.devicePixelRatio() or 1.0
            if not pm.isNull() and pm.width() == round(win.width() * dpr) \
                    and pm.height() == round(win.height() * dpr):
                img = pm.toImage()
                if rect.size() != win.size():
                    img = img.copy(QRect(round(rect.x() * dpr), round(rect.y() * dpr),
                                         round(rect.width() * dpr), round(rect.height() * dpr)))
        if img is None:
            img = self.target.grab().toImage()
        return img.convertToFormat(QImage.Format_RGB32)

    def grab_frame(self) -> np.ndarray:
        """One RGB frame of the target at the recording size, with the pointer drawn."""
        lw, lh = self._size
        s = self.scale
        img = self._grab_image()
        out = QImage(lw * s, lh * s, QImage.Format_RGB32)
        if img.width() == lw * s and img.height() == lh * s:
            out = img
        else:
            out.fill(QColor(self.background))
            tw, th = self.target.width(), self.target.height()
            fit = min(lw / max(1, tw), lh / max(1, th))
            scaled = img.scaled(int(round(tw * fit * s)), int(round(th * fit * s)),
                                Qt.IgnoreAspectRatio, Qt.SmoothTransformation)
            p = QPainter(out)
            p.drawImage(int(round((lw - tw * fit) / 2 * s)), int(round((lh - th * fit) / 2 * s)),
                        scaled)
            p.end()
        out.setDevicePixelRatio(1.0)
        if self.draw_pointer and self._tracker.global_pos is not None:
            local = self.target.mapFromGlobal(self._tracker.global_pos)
            tw, th = self.target.width(), self.target.height()
            fit = min(lw / max(1, tw), lh / max(1, th))
            x = local.x() * fit + (lw - tw * fit) / 2
            y = local.y() * fit + (lh - th * fit) / 2
            if 0 <= x < lw and 0 <= y < lh:
                p = QPainter(out)
                p.scale(s, s)
                overlay.draw_cursor(p, x, y, self._tracker.pressed, 1.0, accent=self.accent)
                p.end()
        return qimage_to_rgb(out)
