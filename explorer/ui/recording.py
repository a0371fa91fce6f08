"""Recording in the app: the Record action (menu-bar button, File menu, Ctrl+Shift+R) and
File → Render demo….

* **Record** (a button at the right end of the menu bar) opens a small dialog (target: the
  window's content, one workspace or one dock; GIF / MP4 / WebP / APNG / PNG frames; fps; 1× or
  2×; file; menu bar and status bar in or out; pointer and click ripples; a transparent panel
  background; a demo script beside the recording), then captures with
  :class:`explorer.ui.live_recorder.LiveRecorder` until the action is triggered again.  While
  recording the button is checked, shows a red square and reads *Stop recording*, and the status
  bar shows ``● REC 0:12.3 · 370 frames`` — neither ever appears in the recording; when the file
  is written the status bar names it and offers *Open folder*.
* **Save recording as demo script…** writes what the last recording captured as a scenario
  file (:mod:`explorer.ui.script_capture`): ``python main.py record script.json -o out.gif``
  re-renders the same states at the same frames at any size, theme or language.
* **Render demo…** renders a scenario file through ``python -m explorer record`` in a child
  process (headless, frame-exact, the same output as the command line) with a cancellable
  progress dialog, so the window never freezes.  Cancelling stops the child, which removes its
  partial output.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, QProcess, QProcessEnvironment, QSize, Qt, QUrl
from PySide6.QtGui import QAction, QColor, QDesktopServices, QIcon, QKeySequence, QPainter, QPixmap
from PySide6.QtWidgets import (QApplication, QCheckBox, QComboBox, QDialog, QDialogButtonBox,
                               QFileDialog, QFormLayout, QGridLayout, QHBoxLayout, QLabel,
                               QLineEdit, QMessageBox, QProgressDialog, QPushButton, QSpinBox,
                               QToolButton, QVBoxLayout)

from explorer.ui.controls import error_label
from explorer import i18n, resources
from explorer.record import encode
from explorer.ui import theme

ROOT = resources.import_root()
DEMO_DIR = resources.path("demos")
#: how long the "Saved recording …" message and its Open folder button stay in the status bar
OPEN_FOLDER_MS = 15000
FORMAT_SUFFIX = dict(encode.SUFFIXES)
#: the format choices of the dialogs, in this order
FORMAT_ORDER = ("gif", "mp4", "webp", "apng", "png")
#: the Record dialog's check boxes: values() key -> default
RECORD_OPTIONS = {"menu_bar": False, "status_bar": False, "pointer": True, "ripple": True,
                  "transparent": False, "script": False}


def format_names() -> dict:
    """Format -> its name in the dialogs' format lists (current language)."""
    tr = i18n.tr
    return {"gif": tr("Animated GIF"), "mp4": tr("MP4 video (H.264)"),
            "webp": tr("Animated WebP (lossless)"), "apng": tr("Animated PNG (APNG)"),
            "png": tr("PNG frames (a folder)")}


def script_path_for(output) -> Path:
    """Where the demo script of a recording saved at *output* goes: beside it, ``.json``."""
    p = Path(output)
    return p.with_suffix(".json") if p.suffix else p.with_name(p.name + ".json")


RENDER_SIZES = ((1280, 720), (960, 600), (1920, 1080), (800, 450))


error_text = i18n.tr_error   # kept name: the dialogs below call it


def _no_dialogs() -> bool:
    return bool(os.environ.get("EXPLORER_NO_DIALOGS"))


def record_icon(recording: bool, size: int = 32) -> QIcon:
    """A red dot (idle) or a red square (recording: click to stop)."""
    pm = QPixmap(size, size)
    pm.fill(Qt.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.Antialiasing)
    p.setPen(Qt.NoPen)
    p.setBrush(QColor(theme.current().warning))
    m = size * 0.2
    if recording:
        p.drawRoundedRect(m, m, size - 2 * m, size - 2 * m, size * 0.08, size * 0.08)
    else:
        p.drawEllipse(m, m, size - 2 * m, size - 2 * m)
    p.end()
    return QIcon(pm)


def default_output(fmt: str, stem: str = "explorer-recording") -> Path:
    base = Path.home() / "Videos"
    if not base.is_dir():
        base = Path.home()
    stamp = time.strftime("%Y%m%d-%H%M%S")
    return base / f"{stem}-{stamp}{FORMAT_SUFFIX[fmt]}"


class RecordDialog(QDialog):
    """Choose what and how to record; :meth:`values` after ``accept``."""

    def __init__(self, window, last: dict | None = None):
        super().__init__(window)
        self.setObjectName("recordDialog")
        self.window = window
        last = last or {}
        self.target_box = QComboBox()
        self.target_box.addItem("", "window")
        ws = getattr(window, "workspaces", None)
        self._workspaces = []
        if ws is not None:
            from explorer.workspace_designs import WORKSPACES
            for d in WORKSPACES:
                self.target_box.addItem("", f"workspace:{d.name}")
                self._workspaces.append(d)
        for name, dock in window.docks.items():
            if dock.isVisible():
                self.target_box.addItem(dock.windowTitle(), name)
        i = self.target_box.findData(last.get("target", "window"))
        self.target_box.setCurrentIndex(max(0, i))
        self.format_box = QComboBox()
        for fmt in FORMAT_ORDER:
            self.format_box.addItem("", fmt)
        self.format_box.setCurrentIndex(max(0, self.format_box.findData(last.get("format", "gif"))))
        self.fps_spin = QSpinBox()
        self.fps_spin.setRange(1, 60)
        self.fps_spin.setValue(int(last.get("fps", 30)))
        self.scale_box = QComboBox()
        self.scale_box.addItem("1×", 1)
        self.scale_box.addItem("2×", 2)
        self.scale_box.setCurrentIndex(1 if last.get("scale") == 2 else 0)
        self.path_edit = QLineEdit(str(default_output(self.format_box.currentData())))
        self.browse = QPushButton()
        self.browse.clicked.connect(self._browse)
        self.format_box.currentIndexChanged.connect(self._on_format_changed)
        self.error_label = error_label()
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.browse)
        self.checks: dict[str, QCheckBox] = {}
        options = QGridLayout()
        for i, (key, default) in enumerate(RECORD_OPTIONS.items()):
            box = QCheckBox()
            box.setObjectName(f"recordOption_{key}")
            box.setChecked(bool(last.get(key, default)))
            self.checks[key] = box
            options.addWidget(box, i // 2, i % 2)
        self.checks["pointer"].toggled.connect(self._sync_options)
        self.target_box.currentIndexChanged.connect(self._sync_options)
        self.row_labels = [QLabel() for _ in range(6)]
        form = QFormLayout()
        for label, field, buddy in zip(self.row_labels,
                                       (self.target_box, self.format_box, self.fps_spin,
                                        self.scale_box, path_row, options),
                                       (self.target_box, self.format_box, self.fps_spin,
                                        self.scale_box, self.path_edit,
                                        self.checks["menu_bar"])):
            label.setBuddy(buddy)
            form.addRow(label, field)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)
        self.retranslate()
        self._sync_options()

    def retranslate(self) -> None:
        tr = i18n.tr
        self.setWindowTitle(tr("Record"))
        for label, text in zip(self.row_labels, (tr("&Record:"), tr("&Format:"),
                                                 tr("Frames per &second:"), tr("S&cale:"),
                                                 tr("&File:"), tr("Options:"))):
            label.setText(text)
        self.target_box.setItemText(0, tr("Whole window (its content)"))
        for i, d in enumerate(self._workspaces, start=1):
            self.target_box.setItemText(i, tr("Workspace: {name}").format(name=tr(d.title)))
        names = format_names()
        for i, fmt in enumerate(FORMAT_ORDER):
            self.format_box.setItemText(i, names[fmt])
        texts = {"menu_bar": (tr("Include the &menu bar"),
                              tr("Show the menu bar above the content (never the Record button)")),
                 "status_bar": (tr("Include the s&tatus bar"),
                                tr("Show the status bar below the content (never the REC status)")),
                 "pointer": (tr("Draw the &pointer"),
                             tr("Draw the mouse pointer into the recording")),
                 "ripple": (tr("Click r&ipples"),
                            tr("A ring grows where a mouse button is pressed")),
                 "transparent": (tr("Transparent bac&kground"),
                                 tr("One panel as WebP or APNG: its background becomes "
                                    "transparent, for slides and web pages")),
                 "script": (tr("Also save a &demo script"),
                            tr("Save what you do as a scenario file beside the recording "
                               "(re-render it at any size, theme or language)"))}
        for key, (text, tip) in texts.items():
            self.checks[key].setText(text)
            self.checks[key].setToolTip(tip)
        self.target_box.setToolTip(tr("Capture the window's content, one workspace or just one "
                                      "panel"))
        self.format_box.setToolTip(tr("GIF plays everywhere (at most 50 fps); MP4 is smaller and "
                                      "plays in browsers and slides; WebP and APNG keep every "
                                      "colour exactly and can be transparent; PNG frames for "
                                      "editing"))
        self.fps_spin.setToolTip(tr("Frames captured per second (30 is smooth; GIF at most 50)"))
        self.scale_box.setToolTip(tr("2× records at twice the pixel size, sharp on HiDPI screens"))
        self.path_edit.setToolTip(tr("Where to save; a folder name for PNG frames"))
        self.browse.setText(tr("&Browse…"))
        self.browse.setToolTip(tr("Choose where to save the recording"))
        self.buttons.button(QDialogButtonBox.Ok).setText(tr("Start &recording"))

    def _sync_options(self, *_args) -> None:
        """Options that cannot apply are disabled: ripples without the pointer, a transparent
        background for anything but one panel as WebP / APNG, the bars for one panel."""
        target = self.target_box.currentData() or "window"
        panel = target != "window" and not target.startswith("workspace:")
        self.checks["ripple"].setEnabled(self.checks["pointer"].isChecked())
        self.checks["transparent"].setEnabled(
            panel and self.format_box.currentData() in encode.ALPHA_FORMATS)
        for key in ("menu_bar", "status_bar"):
            self.checks[key].setEnabled(not panel)

    def _on_format_changed(self) -> None:
        fmt = self.format_box.currentData()
        text = self.path_edit.text().strip()
        p = Path(text) if text else default_output(fmt)
        known = {v for v in FORMAT_SUFFIX.values() if v} | {".png"}
        stem = p.with_suffix("") if p.suffix.lower() in known else p
        self.path_edit.setText(str(stem) + FORMAT_SUFFIX[fmt])
        self._sync_options()

    def _browse(self) -> None:
        fmt = self.format_box.currentData()
        if fmt == "png":
            path = QFileDialog.getExistingDirectory(self, i18n.tr("Folder for PNG frames"),
                                                    str(Path(self.path_edit.text()).parent))
        else:
            filt = {"gif": i18n.tr("GIF animations (*.gif)"), "mp4": i18n.tr("MP4 videos (*.mp4)"),
                    "webp": i18n.tr("WebP animations (*.webp)"),
                    "apng": i18n.tr("APNG animations (*.apng *.png)")}[fmt]
            path, _ = QFileDialog.getSaveFileName(self, i18n.tr("Save recording"),
                                                  self.path_edit.text(), filt)
        if path:
            self.path_edit.setText(path)

    def values(self) -> dict:
        out = {"target": self.target_box.currentData(), "format": self.format_box.currentData(),
               "fps": self.fps_spin.value(), "scale": self.scale_box.currentData(),
               "path": self.path_edit.text().strip()}
        for key, box in self.checks.items():
            out[key] = box.isChecked() and box.isEnabled()
        return out

    def _accept(self) -> None:
        v = self.values()
        if not v["path"]:
            return self._error(i18n.tr("Enter a file name."))
        try:
            fmt = encode.check_output(v["path"], v["fps"])
        except encode.OutputError as exc:
            return self._error(error_text(exc))
        if fmt != v["format"]:
            return self._error(i18n.tr("The file name does not match the format: use {suffix}").format(
                suffix=FORMAT_SUFFIX[v["format"]] or i18n.tr("a folder name")))
        self.accept()

    def _error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()


@dataclass(frozen=True)
class RenderFormat:
    """One output format of File → Render demo… (add a line to :data:`RENDER_FORMATS` for a
    new one).

    The size estimate is ``bytes_per_frame × DEMO_WEIGHT[format][demo] × frames × (pixels /
    REFERENCE_PIXELS) ** pixel_exponent``: *bytes_per_frame* is the median over the bundled
    demos rendered at 960×600 (each divided by its weight); the output grows much more slowly
    than the pixel count (a larger window shows the same panels with more room, not more
    changing pixels), measured on demo 01 at 960×600, 1280×720 and 1920×1080."""

    key: str                 # "gif"; also what encode.format_for_path says for the suffix
    suffix: str              # ".gif", or "" for a folder of frames
    label: object            # () -> the translated name
    bytes_per_frame: float
    pixel_exponent: float
    max_fps: int | None = None


REFERENCE_PIXELS = 960 * 600
#: measured with ``main.py record resources/demos/*.json -o x.gif|x.mp4|folder/ --size 960x600``
#: (30 fps; PNG frames: demos 01 and 04); exponents from demo 01 at three sizes (GIF 988 / 1068 /
#: 1138 kB at 960×600 / 1280×720 / 1920×1080, MP4 421 / 471 kB, PNG 32.7 / 39.3 MB)
RENDER_FORMATS = [
    RenderFormat("gif", ".gif", lambda: i18n.tr("Animated GIF"), 3110.0, 0.12, encode.GIF_MAX_FPS),
    RenderFormat("mp4", ".mp4", lambda: i18n.tr("MP4 video (H.264)"), 1225.0, 0.24),
    RenderFormat("webp", ".webp", lambda: format_names()["webp"], 3700.0, 0.10),
    RenderFormat("apng", ".apng", lambda: format_names()["apng"], 7030.0, 0.17),
    RenderFormat("png", "", lambda: i18n.tr("PNG frames (a folder)"), 123600.0, 0.39),
]
# WebP and APNG: the GIF figure × their total over the 8 bundled demos at 960×600 (1.19× and
# 2.26× the GIFs' 6.38 MB, `bench --only formats:`); exponents from demo 01 at 960×600 and
# 1920×1080 (WebP 640 / 725 kB, APNG 1445 / 1792 kB)
#: how much more (or less) a bundled demo costs per frame than the median demo in a format,
#: measured at 960×600 (charts that move on every frame cost more than a caption over a still
#: panel); a format without its own weights uses the GIF ones
DEMO_WEIGHT = {
    "gif": {"01_entropy": 0.90, "02_cross_entropy_kl": 1.01, "03_kl_asymmetric": 0.99,
            "04_why_ce_not_mse": 1.68, "05_softmax_ce": 1.10, "06_likelihood": 1.46,
            "07_label_smoothing": 0.85, "07_label_smoothing_zh": 0.78},
    "mp4": {"01_entropy": 0.98, "02_cross_entropy_kl": 1.02, "03_kl_asymmetric": 0.91,
            "04_why_ce_not_mse": 1.84, "05_softmax_ce": 1.35, "06_likelihood": 2.16,
            "07_label_smoothing": 0.88, "07_label_smoothing_zh": 0.84},
}
THUMB_SIZE = (320, 180)
#: thumbnails already rendered: (file, modified, theme, language) -> QImage
_THUMBNAILS: dict = {}


def estimate_bytes(fmt: RenderFormat, frames: int, size, demo: str | None = None) -> float:
    """Expected output size in bytes (see :class:`RenderFormat`)."""
    pixels = size[0] * size[1] / REFERENCE_PIXELS
    weight = DEMO_WEIGHT.get(fmt.key, DEMO_WEIGHT["gif"]).get(demo, 1.0)
    return fmt.bytes_per_frame * weight * frames * pixels ** fmt.pixel_exponent


def format_bytes(n: float) -> str:
    if n >= 1e6:
        return i18n.tr("about {value} MB").format(value=f"{n / 1e6:.1f}")
    return i18n.tr("about {value} kB").format(value=f"{max(1, round(n / 1e3))}")


class RenderDemoDialog(QDialog):
    """Pick a demo by its title (bundled ones, or "Browse…" for any scenario file), see its
    description, a preview frame and its length; choose format, size, frame rate, theme and
    language, with an estimate of the file's size; :meth:`values` after ``accept``.

    The preview is the scenario's last moment, rendered by ``main.py record`` in a child
    process at one frame per second (the dialog stays responsive) and cached per file, theme
    and language."""

    BROWSE = "browse"

    def __init__(self, window):
        super().__init__(window)
        from explorer.record.scenario import bundled_demos

        self.setObjectName("renderDemoDialog")
        self.window = window
        self.scenarios: dict[str, object] = {}        # path -> validated Scenario
        self.scenario_box = QComboBox()
        self.scenario_box.setObjectName("renderDemoScenario")
        for path, sc in bundled_demos():
            self.scenarios[str(path)] = sc
            self.scenario_box.addItem("", str(path))
        self.scenario_box.addItem("", self.BROWSE)
        self.description = QLabel()
        self.description.setObjectName("renderDemoDescription")
        self.description.setWordWrap(True)
        self.preview = QLabel()
        self.preview.setObjectName("renderDemoPreview")
        self.preview.setFixedSize(*THUMB_SIZE)
        self.preview.setAlignment(Qt.AlignCenter)
        self.preview.setStyleSheet(f"border: 1px solid {theme.current().neutral};")
        self.duration_label = QLabel()
        self.duration_label.setObjectName("renderDemoDuration")
        self.out_edit = QLineEdit()
        self.out_browse = QPushButton()
        self.out_browse.clicked.connect(self._browse_out)
        self.format_box = QComboBox()
        for fmt in RENDER_FORMATS:
            self.format_box.addItem("", fmt.key)
        self.size_box = QComboBox()
        for w, h in RENDER_SIZES:
            self.size_box.addItem(f"{w} × {h}", (w, h))
        self.fps_spin = QSpinBox()
        self.fps_spin.setRange(1, 120)
        self.fps_spin.setValue(30)
        self.theme_box = QComboBox()
        for name in ("light", "dark"):
            self.theme_box.addItem("", name)
        self.theme_box.setCurrentIndex(max(0, self.theme_box.findData(theme.current().name)))
        self.language_box = QComboBox()
        self.language_box.addItem("", "scenario")
        for code, native in i18n.LANGUAGES.items():
            self.language_box.addItem(native, code)
        self.estimate_label = QLabel()
        self.estimate_label.setObjectName("renderDemoEstimate")
        self.error_label = error_label()
        self._thumb_job = None
        self._thumb_dir = None
        self._thumb_key = None
        self._last_index = 0
        out_row = QHBoxLayout()
        out_row.addWidget(self.out_edit, 1)
        out_row.addWidget(self.out_browse)
        self.row_labels = [QLabel() for _ in range(7)]
        form = QFormLayout()
        fields = (self.scenario_box, out_row, self.format_box, self.size_box, self.fps_spin,
                  self.theme_box, self.language_box)
        buddies = (self.scenario_box, self.out_edit, self.format_box, self.size_box, self.fps_spin,
                   self.theme_box, self.language_box)
        for label, fld, buddy in zip(self.row_labels, fields, buddies):
            label.setBuddy(buddy)
            form.addRow(label, fld)
        about = QVBoxLayout()
        about.addWidget(self.preview)
        about.addWidget(self.duration_label)
        about.addWidget(self.description, 1)
        top = QHBoxLayout()
        top.addLayout(form, 1)
        top.addLayout(about)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.estimate_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(760)
        self.scenario_box.activated.connect(self._on_scenario_activated)
        self.scenario_box.currentIndexChanged.connect(self._on_scenario_changed)
        for box in (self.format_box, self.size_box):
            box.currentIndexChanged.connect(self._on_choice_changed)
        self.fps_spin.valueChanged.connect(self._on_choice_changed)
        for box in (self.theme_box, self.language_box):
            box.currentIndexChanged.connect(self._request_preview)
        self.finished.connect(self._stop_preview)
        self.retranslate()
        self._on_scenario_changed()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._request_preview()             # a dialog never shown renders nothing

    def hideEvent(self, event) -> None:
        self._stop_preview()
        super().hideEvent(event)

    # ------------------------------------------------------------------ texts
    def retranslate(self) -> None:
        tr = i18n.tr
        lang = i18n.language()
        self.setWindowTitle(tr("Render demo"))
        for label, text in zip(self.row_labels, (tr("&Demo:"), tr("&Output:"), tr("&Format:"),
                                                 tr("Si&ze:"), tr("Frames per &second:"),
                                                 tr("&Theme:"), tr("&Language:"))):
            label.setText(text)
        for i in range(self.scenario_box.count()):
            path = self.scenario_box.itemData(i)
            if path == self.BROWSE:
                self.scenario_box.setItemText(i, tr("Browse…"))
                self.scenario_box.setItemData(i, tr("Render another scenario file"), Qt.ToolTipRole)
            else:
                sc = self.scenarios.get(path)
                title = (sc.title_in(lang) if sc is not None else "") or Path(path).stem
                self.scenario_box.setItemText(i, title)
                self.scenario_box.setItemData(i, str(path), Qt.ToolTipRole)
        self.scenario_box.setToolTip(tr("The demo to render: the bundled ones by title, or any "
                                        "scenario file (see resources/demos/README.md)"))
        for i, fmt in enumerate(RENDER_FORMATS):
            self.format_box.setItemText(i, fmt.label())
        self.theme_box.setItemText(0, tr("Light"))
        self.theme_box.setItemText(1, tr("Dark"))
        self.language_box.setItemText(0, tr("As the scenario says"))
        self.out_edit.setToolTip(tr(".gif, .mp4, or a new folder for PNG frames"))
        self.out_browse.setText(tr("&Browse…"))
        self.out_browse.setToolTip(tr("Choose where to save the rendered demo"))
        self.size_box.setToolTip(tr("Window size of the rendering (the video's pixel size)"))
        self.fps_spin.setToolTip(tr("Frames per second (GIF at most 50)"))
        self.theme_box.setToolTip(tr("Colour theme of the rendering"))
        self.language_box.setToolTip(tr("Interface language of the rendering (captions are "
                                        "written in the scenario)"))
        self.preview.setToolTip(tr("The demo's last moment"))
        self.buttons.button(QDialogButtonBox.Ok).setText(tr("&Render"))
        self._update_about()

    # ------------------------------------------------------------------ choices
    @property
    def scenario_path(self) -> str:
        data = self.scenario_box.currentData()
        return "" if data in (None, self.BROWSE) else str(data)

    @property
    def current_format(self) -> RenderFormat:
        key = self.format_box.currentData()
        return next((f for f in RENDER_FORMATS if f.key == key), RENDER_FORMATS[0])

    def _on_scenario_activated(self, index: int) -> None:
        if self.scenario_box.itemData(index) == self.BROWSE:
            self._browse_scenario()

    def _on_scenario_changed(self, *_args) -> None:
        if self.scenario_box.currentData() == self.BROWSE:
            return                                  # "Browse…" picks a file, then selects it
        self._last_index = self.scenario_box.currentIndex()
        self._suggest_output()
        self._update_about()
        self._request_preview()

    def _on_choice_changed(self, *_args) -> None:
        fmt = self.current_format
        text = self.out_edit.text().strip()
        if text:
            p = Path(text)
            known = {f.suffix for f in RENDER_FORMATS if f.suffix}
            stem = p.with_suffix("") if p.suffix.lower() in known else p
            self.out_edit.setText(str(stem) + fmt.suffix)
        self._update_estimate()

    def select_scenario(self, path) -> None:
        """Show *path* in the list (added under its title if it is not there) and select it."""
        from explorer.record.scenario import ScenarioError, load_scenario

        path = str(path)
        i = self.scenario_box.findData(path)
        if i < 0:
            try:
                self.scenarios[path] = load_scenario(path)
            except ScenarioError as exc:
                self.scenario_box.setCurrentIndex(self._last_index)
                return self._error(error_text(exc))
            i = self.scenario_box.count() - 1          # before "Browse…"
            self.scenario_box.insertItem(i, "", path)
            self.retranslate()
        self.error_label.hide()
        self.scenario_box.setCurrentIndex(i)

    def _browse_scenario(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, i18n.tr("Open scenario"), str(DEMO_DIR),
                                              i18n.tr("Scenario files (*.json)"))
        if path:
            self.select_scenario(path)
        else:
            self.scenario_box.setCurrentIndex(self._last_index)

    def _suggest_output(self) -> None:
        stem = Path(self.scenario_path).stem or "demo"
        base = Path.home() / "Videos"
        self.out_edit.setText(str((base if base.is_dir() else Path.home()) / stem)
                              + self.current_format.suffix)

    def _browse_out(self) -> None:
        fmt = self.current_format
        if not fmt.suffix:
            path = QFileDialog.getExistingDirectory(self, i18n.tr("Folder for PNG frames"),
                                                    str(Path(self.out_edit.text()).parent))
        else:
            path, _ = QFileDialog.getSaveFileName(
                self, i18n.tr("Save rendered demo"), self.out_edit.text(),
                f"{fmt.label()} (*{fmt.suffix})")
        if path:
            self.out_edit.setText(path)

    # ------------------------------------------------------------------ about the demo
    def _update_about(self) -> None:
        sc = self.scenarios.get(self.scenario_path)
        tr = i18n.tr
        if sc is None:
            self.description.setText("")
            self.duration_label.setText("")
        else:
            self.description.setText(sc.description_in(i18n.language()))
            self.duration_label.setText(tr("{seconds} s").format(seconds=f"{sc.duration:.1f}"))
        self._update_estimate()

    def frames(self) -> int:
        sc = self.scenarios.get(self.scenario_path)
        if sc is None:
            return 0
        from explorer.record.timeline import build_timeline
        return build_timeline(sc.actions, self.fps_spin.value()).n_frames

    def estimate(self, fmt: RenderFormat | None = None) -> float:
        """Expected bytes of the output in *fmt* (default: the format chosen)."""
        return estimate_bytes(fmt or self.current_format, self.frames(),
                              self.size_box.currentData(), Path(self.scenario_path).stem)

    def _update_estimate(self) -> None:
        n = self.frames()
        if not n:
            self.estimate_label.setText("")
            return
        chosen = self.current_format
        parts = []
        for fmt in RENDER_FORMATS:
            text = f"{fmt.key.upper()} {format_bytes(self.estimate(fmt))}"
            parts.append(f"<b>{text}</b>" if fmt is chosen else text)
        self.estimate_label.setText(i18n.tr("{frames} frames · expected size: {sizes}").format(
            frames=n, sizes=" · ".join(parts)))

    # ------------------------------------------------------------------ preview
    def preview_key(self):
        path = self.scenario_path
        try:
            mtime = Path(path).stat().st_mtime_ns
        except OSError:
            return None
        lang = self.language_box.currentData()
        return (path, mtime, self.theme_box.currentData(), None if lang == "scenario" else lang)

    def _request_preview(self, *_args) -> None:
        if not self.isVisible():
            return
        key = self.preview_key()
        self._thumb_key = key
        if key is None:
            self.preview.setPixmap(QPixmap())
            self.preview.setText("")
            return
        image = _THUMBNAILS.get(key)
        if image is not None:
            self._show_preview(image)
            return
        self.preview.setPixmap(QPixmap())
        self.preview.setText(i18n.tr("Preparing the preview…"))
        self._stop_preview()
        import tempfile
        self._thumb_dir = tempfile.TemporaryDirectory(prefix="explorer-preview-")
        folder = Path(self._thumb_dir.name) / "frames"
        job = DemoRenderJob(self, key[0], folder, fps=1, theme=key[2], language=key[3],
                            on_done=lambda ok, msg, key=key, folder=folder:
                            self._preview_done(key, folder, ok, msg))
        self._thumb_job = job

    def _preview_done(self, key, folder: Path, ok: bool, message: str) -> None:
        self._thumb_job = None
        frames = sorted(folder.glob("*.png")) if ok and folder.is_dir() else []
        image = None
        if frames:
            from PySide6.QtGui import QImage
            image = QImage(str(frames[-1]))
            if not image.isNull():
                image = image.scaled(THUMB_SIZE[0] - 2, THUMB_SIZE[1] - 2, Qt.KeepAspectRatio,
                                     Qt.SmoothTransformation)
                _THUMBNAILS[key] = image
            else:
                image = None
        if self._thumb_dir is not None:
            self._thumb_dir.cleanup()
            self._thumb_dir = None
        if key != self._thumb_key:
            self._request_preview()                 # the choice changed meanwhile
        elif image is not None:
            self._show_preview(image)
        else:
            self.preview.setText(i18n.tr("No preview"))
            self.preview.setToolTip(message)

    def _show_preview(self, image) -> None:
        self.preview.setText("")
        self.preview.setPixmap(QPixmap.fromImage(image))

    def _stop_preview(self, *_args) -> None:
        job, self._thumb_job = self._thumb_job, None
        if job is not None:
            job.on_done = None
            job.cancel()
        if self._thumb_dir is not None:
            self._thumb_dir.cleanup()
            self._thumb_dir = None

    # ------------------------------------------------------------------ result
    def values(self) -> dict:
        lang = self.language_box.currentData()
        return {"scenario": self.scenario_path, "output": self.out_edit.text().strip(),
                "size": self.size_box.currentData(), "fps": self.fps_spin.value(),
                "format": self.current_format.key, "theme": self.theme_box.currentData(),
                "language": None if lang == "scenario" else lang}

    def _accept(self) -> None:
        v = self.values()
        if not Path(v["scenario"]).is_file():
            return self._error(i18n.tr("{path}: no such scenario file").format(path=v["scenario"]))
        try:
            fmt = encode.check_output(v["output"], v["fps"])
        except encode.OutputError as exc:
            return self._error(error_text(exc))
        if fmt != v["format"]:
            suffix = self.current_format.suffix or i18n.tr("a folder name")
            return self._error(i18n.tr("The file name does not match the format: use {suffix}")
                               .format(suffix=suffix))
        self.accept()

    def _error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()


class DemoRenderJob(QObject):
    """``python -m explorer record …`` in a child process, reporting progress."""

    def __init__(self, parent, scenario, output, size=None, fps=None, on_progress=None,
                 on_done=None, theme=None, language=None):
        super().__init__(parent)
        self.output = Path(output)
        self.on_progress, self.on_done = on_progress, on_done
        self.frames = (0, 0)
        self._stderr = ""
        self.proc = QProcess(self)
        env = QProcessEnvironment.systemEnvironment()
        env.insert("QT_QPA_PLATFORM", "offscreen")
        env.insert("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), env.value("PYTHONPATH")])))
        self.proc.setProcessEnvironment(env)
        self.proc.setWorkingDirectory(str(ROOT))
        program, *args = resources.self_command()   # python -m explorer, or the standalone app
        args += ["record", str(scenario), "-o", str(output), "--progress", "lines"]
        if size:
            args += ["--size", f"{size[0]}x{size[1]}"]
        if fps:
            args += ["--fps", str(int(fps))]
        if theme:
            args += ["--theme", theme]
        if language:
            args += ["--lang", language]
        self.proc.readyReadStandardError.connect(self._read)
        self.proc.finished.connect(self._finished)
        self.proc.start(program, args)

    def _read(self) -> None:
        text = bytes(self.proc.readAllStandardError()).decode("utf-8", "replace")
        self._stderr += text
        for line in self._stderr.splitlines()[-5:]:
            if line.startswith("frame ") and "/" in line:
                try:
                    k, n = (int(v) for v in line[6:].split("/"))
                except ValueError:
                    continue
                self.frames = (k, n)
        if self.on_progress is not None:
            self.on_progress(*self.frames)

    def _finished(self, code, _status) -> None:
        self._read()
        errors = [ln for ln in self._stderr.splitlines() if ln and not ln.startswith("frame ")]
        message = errors[-1] if errors else ""
        if self.on_done is not None:
            self.on_done(code == 0, message)

    def cancel(self) -> None:
        if self.proc.state() != QProcess.NotRunning:
            self.proc.terminate()            # the child removes its partial output
            if not self.proc.waitForFinished(5000):
                self.proc.kill()
                self.proc.waitForFinished(2000)


class RecordController(QObject):
    """Owns the record / render actions of a main window, its toolbar button and status widgets."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.recorder = None
        self.job: DemoRenderJob | None = None
        self.progress: QProgressDialog | None = None
        self.last_path: Path | None = None
        self.last_settings: dict = {}
        self.act_record = QAction(window, checkable=True, shortcut=QKeySequence("Ctrl+Shift+R"))
        self.act_record.setObjectName("actRecord")
        self.act_record.setIcon(record_icon(False))
        self.act_record.triggered.connect(self._on_record_triggered)
        self.act_render_demo = QAction(window)
        self.act_render_demo.setObjectName("actRenderDemo")
        self.act_render_demo.triggered.connect(self.render_demo_dialog)
        #: the scenario the last live recording captured (File → Save recording as demo script…)
        self.last_script: dict | None = None
        self.act_save_script = QAction(window)
        self.act_save_script.setObjectName("actSaveRecordingScript")
        self.act_save_script.setEnabled(False)
        self.act_save_script.triggered.connect(self.save_script_dialog)
        # the toolbar button lives in the menu bar's corner: always visible, no extra row
        self.record_button = QToolButton(window)
        self.record_button.setObjectName("recordButton")
        self.record_button.setDefaultAction(self.act_record)
        self.record_button.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
        self.record_button.setIconSize(QSize(16, 16))
        self.record_button.setAutoRaise(True)
        window.menuBar().setCornerWidget(self.record_button, Qt.TopRightCorner)
        menu = getattr(window, "file_menu", None)
        if menu is not None:
            before = getattr(window, "act_quit", None)
            sep = menu.insertSeparator(before) if before is not None else menu.addSeparator()
            menu.insertActions(sep, [self.act_record, self.act_save_script,
                                     self.act_render_demo])
        sb = window.statusBar()
        self.rec_label = QLabel()
        self.rec_label.setObjectName("recordStatus")
        self.rec_label.setStyleSheet(f"color: {theme.current().warning}; font-weight: bold;")
        self.rec_label.hide()
        self.open_button = QToolButton()
        self.open_button.setObjectName("openRecordingFolder")
        self.open_button.setAutoRaise(True)
        self.open_button.clicked.connect(self.open_folder)
        self.open_button.hide()
        # the button goes with the message that names the file (it stayed for good before)
        self._open_timer = QTimer(self.window)
        self._open_timer.setSingleShot(True)
        self._open_timer.timeout.connect(self.open_button.hide)
        sb.addPermanentWidget(self.rec_label)
        sb.addPermanentWidget(self.open_button)
        self.retranslate()
        i18n.notifier.languageChanged.connect(self.retranslate)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self._on_quit)

    def _on_quit(self) -> None:
        """Quitting while recording keeps the recording; a render in progress is cancelled."""
        if self.recorder is not None and self.recorder.recording:
            self.recorder.finish_now()
        if self.job is not None:
            self.cancel_render()

    # ------------------------------------------------------------------ texts
    def retranslate(self, *_args) -> None:
        tr = i18n.tr
        if self.is_recording:
            self.act_record.setText(tr("Stop &recording"))
            self.act_record.setToolTip(tr("Stop and save the recording (Ctrl+Shift+R)"))
        else:
            self.act_record.setText(tr("&Record…"))
            self.act_record.setToolTip(tr("Record the window or one panel as GIF, MP4 or PNG "
                                          "frames while you work (Ctrl+Shift+R)"))
        self.act_record.setStatusTip(self.act_record.toolTip())
        self.act_save_script.setText(tr("Save recording as demo &script…"))
        self.act_save_script.setToolTip(tr("Save what the last recording captured as a scenario "
                                           "file that re-renders the same states, frame-exact"))
        self.act_save_script.setStatusTip(self.act_save_script.toolTip())
        self.act_render_demo.setText(tr("Render &demo…"))
        self.act_render_demo.setToolTip(tr("Render a scripted demo (scenario file) to GIF or MP4, "
                                           "frame-exact"))
        self.act_render_demo.setStatusTip(self.act_render_demo.toolTip())
        # room for the longer of "Record…" / "Stop recording" so the menu bar never elides it
        fm = self.record_button.fontMetrics()
        longest = max(fm.horizontalAdvance(t.replace("&", "")) for t in
                      (tr("&Record…"), tr("Stop &recording")))
        self.record_button.setMinimumWidth(longest + self.record_button.iconSize().width() + 24)
        self.record_button.adjustSize()
        # the menu bar places its corner widget when it is set: set it again to re-fit (the
        # window's corner holds the workspace switcher too: never replace it by the button)
        if getattr(self.window, "menu_corner", None) is not None and \
                hasattr(self.window, "_place_corner"):
            self.window._place_corner()
        else:
            self.window.menuBar().setCornerWidget(self.record_button, Qt.TopRightCorner)
        self.open_button.setText(tr("Open folder"))
        self.open_button.setToolTip(tr("Show the folder of the last recording"))
        self.rec_label.setToolTip(tr("Recording: elapsed time and frames captured"))

    @property
    def is_recording(self) -> bool:
        return self.recorder is not None and self.recorder.recording

    # ------------------------------------------------------------------ live recording
    def _on_record_triggered(self, checked: bool) -> None:
        if self.is_recording:
            self.stop_recording()
            return
        self.act_record.setChecked(False)
        if self.recorder is not None and self.recorder.encoding:
            self.window.statusBar().showMessage(i18n.tr("Still saving the last recording…"), 3000)
            return
        dlg = RecordDialog(self.window, self.last_settings)
        if _no_dialogs() or dlg.exec() != QDialog.Accepted:
            return
        v = dlg.values()
        self.last_settings = v
        self.start_recording(v["target"], v["path"], v["fps"], v["scale"],
                             **{k: v[k] for k in RECORD_OPTIONS})

    def start_recording(self, target: str, path, fps: int = 30, scale: int = 1, *,
                        menu_bar: bool = False, status_bar: bool = False, pointer: bool = True,
                        ripple: bool = True, transparent: bool = False,
                        script: bool = False) -> bool:
        """Start capturing *target* — ``"window"`` (its content), ``"workspace:NAME"`` (that
        workspace, switched to now) or a dock name — to *path*; False (and a status message)
        if it cannot start.  *script*: save the demo script beside the file when it is done."""
        from explorer.ui.live_recorder import LiveRecorder

        if target.startswith("workspace:"):
            from explorer.workspace_designs import BY_NAME
            name = target.split(":", 1)[1]
            if name in BY_NAME and hasattr(self.window, "switch_workspace"):
                self.window.switch_workspace(name)
                QApplication.processEvents()
                target = "window"
        widget = self.window if target == "window" else self.window.docks.get(target)
        try:
            if widget is None:
                raise ValueError(i18n.tr("unknown panel {name}").format(name=target))
            rec = LiveRecorder(self.window, widget, path, fps=fps, scale=scale, parent=self,
                               draw_pointer=pointer, ripple=ripple, menu_bar=menu_bar,
                               status_bar=status_bar, transparent=transparent,
                               hidden=(self.record_button, self.rec_label, self.open_button))
            rec.sigProgress.connect(self._on_progress)
            rec.sigFinished.connect(self._on_finished)
            rec.sigFailed.connect(self._on_failed)
            rec.start()
        except (ValueError, OSError, RuntimeError) as exc:
            self._show_error(i18n.tr("Could not start recording"), error_text(exc))
            self.act_record.setChecked(False)
            return False
        self.recorder = rec
        self._save_script_beside = bool(script)
        self.open_button.hide()
        self.act_record.setChecked(True)
        self.act_record.setIcon(record_icon(True))
        self.rec_label.show()
        self._on_progress(0.0, rec.frames)
        self.retranslate()
        return True

    def stop_recording(self) -> None:
        if not self.is_recording:
            return
        self.recorder.stop()
        self._take_script()
        self.act_record.setChecked(False)
        self.act_record.setIcon(record_icon(False))
        self.rec_label.setText(i18n.tr("Saving recording…"))
        self.retranslate()

    def _on_progress(self, elapsed: float, frames: int) -> None:
        minutes, seconds = divmod(elapsed, 60)
        self.rec_label.setText(i18n.tr("● REC {time} · {frames} frames").format(
            time=f"{int(minutes)}:{seconds:04.1f}", frames=frames))

    def _take_script(self) -> None:
        rec = self.recorder
        if rec is not None and rec.script is not None:
            self.last_script = rec.script
            self.act_save_script.setEnabled(True)

    def _on_finished(self, path: str) -> None:
        self._take_script()               # also when the recording ended by itself
        self.rec_label.hide()
        self.last_path = Path(path)
        message = i18n.tr("Saved recording {path}").format(path=path)
        if getattr(self, "_save_script_beside", False) and self.last_script is not None:
            target = script_path_for(path)
            if self.save_script(target, quiet=True):
                message = i18n.tr("Saved recording {path} and its demo script {script}").format(
                    path=path, script=target.name)
        self.window.statusBar().showMessage(message, OPEN_FOLDER_MS)
        self.open_button.show()
        self._open_timer.start(OPEN_FOLDER_MS)

    def _on_failed(self, message: str) -> None:
        self.rec_label.hide()
        self.act_record.setChecked(False)
        self.act_record.setIcon(record_icon(False))
        self.retranslate()
        self._show_error(i18n.tr("Recording failed"), message)

    # ------------------------------------------------------------------ demo scripts
    def save_script(self, path, quiet: bool = False) -> bool:
        """Write the last recording's scenario to *path* (JSON, UTF-8); False and a message if
        there is none or it cannot be written (an existing file is only replaced whole)."""
        import json
        import tempfile

        if self.last_script is None:
            self._show_error(i18n.tr("Save recording as demo script"),
                             i18n.tr("Record something first: the script is what a recording "
                                     "captured."))
            return False
        path = Path(path)
        text = json.dumps(self.last_script, ensure_ascii=False, indent=1)
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part",
                                       dir=str(path.parent))
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text + "\n")
            os.replace(tmp, path)
        except OSError as exc:
            self._show_error(i18n.tr("Save recording as demo script"),
                             i18n.tr("{path}: cannot write ({reason})").format(
                                 path=path, reason=exc.strerror or str(exc)))
            return False
        if not quiet:
            self.window.statusBar().showMessage(
                i18n.tr("Saved demo script {path}").format(path=path), OPEN_FOLDER_MS)
        return True

    def save_script_dialog(self) -> None:
        if self.last_script is None:
            self.save_script(None)
            return
        start = script_path_for(self.last_path) if self.last_path else \
            Path.home() / "explorer-recording.json"
        path, _ = QFileDialog.getSaveFileName(self.window, i18n.tr("Save recording as demo script"),
                                              str(start), i18n.tr("Scenario files (*.json)"))
        if path:
            self.save_script(path)

    def open_folder(self) -> None:
        if self.last_path is None:
            return
        folder = self.last_path if self.last_path.is_dir() else self.last_path.parent
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    # ------------------------------------------------------------------ scripted demos
    def render_demo_dialog(self) -> None:
        if self.job is not None:
            return
        dlg = RenderDemoDialog(self.window)
        if _no_dialogs() or dlg.exec() != QDialog.Accepted:
            return
        v = dlg.values()
        self.render_demo(v["scenario"], v["output"], v["size"], v["fps"], theme=v["theme"],
                         language=v["language"])

    def render_demo(self, scenario, output, size=None, fps=None, theme=None,
                    language=None) -> DemoRenderJob:
        """Render *scenario* to *output* in a child process with a cancellable progress dialog."""
        self.progress = QProgressDialog(self.window)
        self.progress.setObjectName("renderDemoProgress")
        self.progress.setWindowTitle(i18n.tr("Render demo"))
        self.progress.setLabelText(i18n.tr("Rendering {name}…").format(name=Path(scenario).name))
        self.progress.setCancelButtonText(i18n.tr("Cancel"))
        self.progress.setRange(0, 0)
        self.progress.setMinimumDuration(0)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.progress.canceled.connect(self.cancel_render)
        self.progress.show()                  # not modal: the window stays usable

        def on_progress(k, n):
            if self.progress is not None and n:
                self.progress.setRange(0, n)
                self.progress.setValue(k)
                self.progress.setLabelText(i18n.tr("Rendering {name}: frame {k} of {n}").format(
                    name=Path(scenario).name, k=k, n=n))

        self.job = DemoRenderJob(self, scenario, output, size, fps, on_progress, self._render_done,
                                 theme=theme, language=language)
        return self.job

    def cancel_render(self) -> None:
        if self.job is not None:
            job, self.job = self.job, None
            job.on_done = None
            job.cancel()
            self._close_progress()
            self.window.statusBar().showMessage(i18n.tr("Rendering cancelled; nothing was written"), 5000)

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.canceled.disconnect(self.cancel_render)
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def _render_done(self, ok: bool, message: str) -> None:
        job, self.job = self.job, None
        self._close_progress()
        if ok:
            self.last_path = job.output
            self.window.statusBar().showMessage(
                i18n.tr("Rendered {path}").format(path=job.output), 15000)
            self.open_button.show()
        else:
            self._show_error(i18n.tr("Could not render the demo"), message or i18n.tr("unknown error"))

    def _show_error(self, title: str, text: str) -> None:
        self.window.statusBar().showMessage(text, 10000)
        if not _no_dialogs():
            QMessageBox.warning(self.window, title, text)
