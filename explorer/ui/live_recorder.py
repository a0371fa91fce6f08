"""Live recording: capture the app's content (or one dock) while the user works.

A :class:`LiveRecorder` grabs its target on a :class:`QTimer` at the chosen frame rate and hands
the frames to a :class:`explorer.record.encode.ThreadedWriter`: compression runs in a worker
thread and never blocks the GUI.  A late timer tick repeats the last frame, so the video keeps
real time.  If the encoder falls behind, frames are skipped rather than the interface freezing.

Clean capture:

* the target is the window's *content*: the menu bar and the status bar are left out unless
  asked for (``menu_bar`` / ``status_bar``), or one dock;
* the recorder's own widgets (*hidden*: the Record/Stop button, the "● REC" status, Open
  folder) never appear: where one lies inside the captured area, its parent is painted there
  without children (the menu bar's or status bar's plain background);
* the mouse pointer is drawn into each frame (tracked from the application's mouse events, so
  synthetic test events and real ones both show), with a ripple where a button was pressed.

While recording, a :class:`explorer.ui.script_capture.ScriptCapture` also writes down what the
user did (model states, workspace and zoom changes, the pointer path) frame by frame;
:attr:`LiveRecorder.script` is that scenario after :meth:`stop`.

Signals: ``sigProgress(elapsed_s, frames)`` while recording; ``sigFrame(first, count)`` after each
grab (frames ``first .. first + count - 1`` show what was grabbed); ``sigFinished(path)`` or
``sigFailed(message)`` once the file has been written (from the worker thread, delivered queued).
"""
from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPoint, QPointF, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QRegion
from PySide6.QtWidgets import QApplication, QMainWindow, QStatusBar

from explorer.record import encode, overlay
from explorer.record.frames import qimage_to_rgb, scrub_widgets

MAX_REPEAT = 30          # at most this many copies of one frame after a stall


class _PointerTracker(QObject):
    """Application-wide event filter remembering the pointer's global position, buttons and
    the moments a button went down (for the click ripples)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.global_pos: QPointF | None = None
        self.pressed = False
        self.presses: list[tuple[float, QPointF]] = []     # (perf_counter time, global pos)

    def eventFilter(self, obj, event) -> bool:
        t = event.type()
        if t in (QEvent.MouseMove, QEvent.MouseButtonPress, QEvent.MouseButtonRelease,
                 QEvent.MouseButtonDblClick):
            try:
                pos = QPointF(event.globalPosition())
                down = bool(event.buttons() & Qt.LeftButton)
            except AttributeError:
                return False
            if t == QEvent.MouseButtonPress and not self.pressed and down:
                self.presses.append((time.perf_counter(), pos))
                del self.presses[:-8]
            self.global_pos = pos
            self.pressed = down
        return False


class LiveRecorder(QObject):
    """Record *target* (the main window's content or a widget inside it) to *path*."""

    sigProgress = Signal(float, int)     # elapsed seconds, frames written so far
    sigFrame = Signal(int, int)          # first frame index, number of frames of this grab
    sigFinished = Signal(str)            # path of the finished file
    sigFailed = Signal(str)              # one-line reason

    def __init__(self, window, target=None, path="recording.gif", fps: int = 30, scale: int = 1,
                 draw_pointer: bool = True, parent=None, *, ripple: bool = True,
                 menu_bar: bool = False, status_bar: bool = False, hidden=(),
                 transparent: bool = False, script: bool = True, fmt: str | None = None):
        super().__init__(parent)
        self.window = window
        self.target = target if target is not None else window
        self.path = Path(path)
        self.fps = int(fps)
        self.scale = int(scale)
        self.draw_pointer = draw_pointer
        self.ripple = bool(ripple)
        self.menu_bar = bool(menu_bar)
        self.status_bar = bool(status_bar)
        self.hidden = [w for w in hidden if w is not None]
        self.format = fmt or encode.check_output(self.path, self.fps)
        if self.scale not in (1, 2):
            raise ValueError(f"scale: expected 1 or 2, got {scale}")
        #: the panel's background becomes transparent (WebP / APNG of one dock)
        self.transparent = bool(transparent) and self.format in encode.ALPHA_FORMATS \
            and self.target is not window
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
        self.want_script = bool(script)
        self.capture = None        # ScriptCapture while recording
        self.script: dict | None = None     # the recorded scenario, after stop()
        self.accent = "#CC79A7"
        try:
            from explorer.ui import theme
            self.accent = theme.current().accent
            self.background = theme.current().background
        except Exception:   # pragma: no cover - theme is always importable in the app
            self.background = "#FFFFFF"

    # ------------------------------------------------------------------ geometry
    def capture_rect(self) -> QRect:
        """The captured area in window coordinates (logical px)."""
        win = self.window
        if self.target is not win:
            return QRect(self.target.mapTo(win, QPoint(0, 0)), self.target.size())
        top, bottom = 0, win.height()
        if isinstance(win, QMainWindow):
            mb = win.menuWidget()
            if mb is not None and mb.isVisible() and not self.menu_bar:
                top = mb.geometry().bottom() + 1
            sb = win.findChild(QStatusBar)
            if sb is not None and sb.isVisible() and not self.status_bar and sb.parent() is win:
                bottom = sb.geometry().top()
        return QRect(0, top, win.width(), max(1, bottom - top))

    # ------------------------------------------------------------------ control
    def start(self) -> None:
        if self.recording or self.encoding:
            raise RuntimeError("already recording")
        rect = self.capture_rect()
        self._size = (rect.width(), rect.height())
        w, h = self._size[0] * self.scale, self._size[1] * self.scale
        options = {}
        if self.transparent:
            c = QColor(self.background)
            options["transparent_color"] = (c.red(), c.green(), c.blue())
        raw = encode.open_writer(self.path, (w, h), self.fps, fmt=self.format, **options)
        self._writer = encode.ThreadedWriter(raw, max_queue=4 * self.fps)
        QApplication.instance().installEventFilter(self._tracker)
        self.recording = True
        self.frames = 0
        self.skipped = 0
        self.script = None
        if self.want_script and hasattr(self.window, "model"):
            from explorer.ui.script_capture import ScriptCapture
            self.capture = ScriptCapture(self)
            self.capture.start()
        self._t0 = time.perf_counter()
        self._capture(first=True)
        self._timer.start()

    def elapsed(self) -> float:
        return time.perf_counter() - self._t0 if self.recording else self.frames / self.fps

    def _end_capture(self) -> None:
        self._timer.stop()
        self._capture()                       # catch up to the stop time
        QApplication.instance().removeEventFilter(self._tracker)
        self.recording = False
        if self.capture is not None:
            self.script = self.capture.finish(self.frames)
            self.capture = None

    def finish_now(self) -> Path | None:
        """Stop and write the file before returning (used when the application quits)."""
        if not self.recording:
            return None
        self._end_capture()
        writer, self._writer = self._writer, None
        try:
            return writer.close()
        except BaseException:      # nothing sensible to report while quitting; file removed
            return None

    def stop(self) -> None:
        """Stop capturing; the file is finished in the background (``sigFinished``)."""
        if not self.recording:
            return
        self._end_capture()
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
        if self.capture is not None:
            self.capture.detach()
            self.capture = None
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
        # paint what the last events changed, so the frame shows the state it is filed under
        QCoreApplication.sendPostedEvents(None, QEvent.LayoutRequest)
        QCoreApplication.sendPostedEvents(None, QEvent.UpdateRequest)
        try:
            frame = self.grab_frame()
        except Exception as exc:             # pragma: no cover - reported, recording stops
            self.cancel()
            self.sigFailed.emit(str(exc))
            return
        first_k = self.frames
        for _ in range(min(missing, MAX_REPEAT)):     # the same array: repeats cost no memory
            if not self._writer.try_write(frame):
                self.skipped += 1                    # encoder busy: catch up on a later tick
                break
            self.frames += 1
        if self.frames > first_k:
            if self.capture is not None:
                self.capture.frame(first_k)
            self.sigFrame.emit(first_k, self.frames - first_k)

    def _grab_image(self, rect: QRect) -> QImage:
        """The window's current pixels inside *rect* (device pixels of the screen), with the
        recorder's own widgets painted out."""
        win = self.window
        img = None
        dpr = 1.0
        screen = win.screen()
        if screen is not None and QGuiApplication.platformName() in ("offscreen", "xcb", "windows",
                                                                     "cocoa"):
            # the composed window as the user sees it: cheap, no re-render
            pm = screen.grabWindow(win.winId())
            dpr = pm.devicePixelRatio() or 1.0
            if not pm.isNull() and pm.width() == round(win.width() * dpr) \
                    and pm.height() == round(win.height() * dpr):
                img = pm.toImage()
                if rect.size() != win.size() or rect.topLeft() != QPoint(0, 0):
                    img = img.copy(QRect(round(rect.x() * dpr), round(rect.y() * dpr),
                                         round(rect.width() * dpr), round(rect.height() * dpr)))
        if img is None:
            dpr = win.devicePixelRatioF() or 1.0
            img = QImage(round(rect.width() * dpr), round(rect.height() * dpr),
                         QImage.Format_RGB32)
            img.setDevicePixelRatio(dpr)
            img.fill(QColor(self.background))
            p = QPainter(img)
            win.render(p, QPoint(0, 0), QRegion(rect))
            p.end()
        img = img.convertToFormat(QImage.Format_RGB32)
        img.setDevicePixelRatio(dpr)
        self._scrub(img, rect)
        return img

    def _scrub(self, img: QImage, rect: QRect) -> None:
        """Paint the recorder's own widgets out of *img* (which shows *rect* of the window)."""
        scrub_widgets(img, self.window, rect, self.hidden)

    def _to_frame(self, global_pos: QPointF, rect: QRect) -> tuple[float, float] | None:
        """A global position in logical frame px, or None outside the frame."""
        lw, lh = self._size
        local = self.window.mapFromGlobal(global_pos) - QPointF(rect.topLeft())
        tw, th = rect.width(), rect.height()
        fit = min(lw / max(1, tw), lh / max(1, th))
        x = local.x() * fit + (lw - tw * fit) / 2
        y = local.y() * fit + (lh - th * fit) / 2
        return (x, y) if 0 <= x < lw and 0 <= y < lh else None

    def grab_frame(self) -> np.ndarray:
        """One RGB frame of the target at the recording size, with the pointer drawn."""
        rect = self.capture_rect()
        if self._size is None:
            self._size = (rect.width(), rect.height())
        lw, lh = self._size
        s = self.scale
        img = self._grab_image(rect)
        if img.width() == lw * s and img.height() == lh * s:
            out = img
        else:
            out = QImage(lw * s, lh * s, QImage.Format_RGB32)
            out.fill(QColor(self.background))
            tw, th = rect.width(), rect.height()
            fit = min(lw / max(1, tw), lh / max(1, th))
            img.setDevicePixelRatio(1.0)
            scaled = img.scaled(int(round(tw * fit * s)), int(round(th * fit * s)),
                                Qt.IgnoreAspectRatio, Qt.SmoothTransformation)
            p = QPainter(out)
            p.drawImage(int(round((lw - tw * fit) / 2 * s)), int(round((lh - th * fit) / 2 * s)),
                        scaled)
            p.end()
        out.setDevicePixelRatio(1.0)
        tracker = self._tracker
        if self.draw_pointer and tracker.global_pos is not None:
            now = time.perf_counter()
            p = QPainter(out)
            p.scale(s, s)
            if self.ripple:
                for t, pos in tracker.presses:
                    u = (now - t) / overlay.RIPPLE_SECONDS
                    xy = self._to_frame(pos, rect) if 0 <= u < 1 else None
                    if xy is not None:
                        overlay.draw_ripple(p, xy[0], xy[1], u, accent=self.accent)
            xy = self._to_frame(tracker.global_pos, rect)
            if xy is not None:
                overlay.draw_cursor(p, xy[0], xy[1], tracker.pressed, 1.0, accent=self.accent)
            p.end()
        return qimage_to_rgb(out)

    # ------------------------------------------------------------------ for the script
    def pointer_state(self):
        """``(global position or None, pressed)`` as the recorder sees it now."""
        return self._tracker.global_pos, self._tracker.pressed
