"""``trainingDock``: the MSE-vs-cross-entropy race, animated.

Three tabs share one transport bar (play / pause / step / reset, speed, loop, epoch scrubber):

* **Single neuron** -- a = σ(wx + b) from the same (w₀, b₀) with MSE and with CE;
* **Dataset (2-D)** -- logistic regression on two Gaussian blobs;
* **Multi-class** -- softmax regression on cat / dog / horse.

The model precomputes every trajectory (and the landscapes) once per parameter change.  The
animation is a QTimer here that only moves ``model.training_epoch`` (``finished=False``); the
frame to show follows elapsed time × speed, so at high speed epochs are skipped rather than the
UI falling behind, and nothing ever blocks input.  Keys while the dock has focus: Space
play/pause, → step, ← step back, R reset.
"""
from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QCheckBox, QFileDialog, QFrame, QHBoxLayout, QLabel, QScrollArea,
                               QSlider, QSpinBox, QStyle, QTabWidget, QVBoxLayout,
                               QWidget)

from explorer import i18n
from explorer.model import app_model as m
from explorer.model.training_state import MAX_SPEED, MIN_SPEED, TRAINING_MODES
from explorer.ui import loss_style, theme
from explorer.ui.docks.base import ExplorerDock
from explorer.ui.widgets.training_dataset import DatasetRacePanel
from explorer.ui.widgets.training_export import export_trajectories_csv
from explorer.ui.widgets.training_neuron import NeuronRacePanel
from explorer.ui.widgets.transport import Transport, tool_button

FRAME_MS = 15        # timer interval; frames are paced by elapsed time, not by tick count


class TrainingDock(ExplorerDock):
    FRAME_MS = FRAME_MS
    OBJECT_NAME = "trainingDock"
    TITLE = "Training race: MSE vs cross-entropy"
    KINDS = frozenset({m.TRAINING_PARAMS, m.TRAINING_PROGRESS, m.TRAINING_VIEW, m.DATASET})

    # ------------------------------------------------------------------ build
    def build(self) -> None:
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(3)
        # --- transport bar ----------------------------------------------------------------
        bar = QHBoxLayout()
        bar.setSpacing(4)
        style = self.style()
        self.transport = Transport(
            self, "training", self.toggle_play, self.step, self.reset,
            lambda running: i18n.tr("Pause the race (Space)") if running
            else i18n.tr("Play the race (Space)"))
        self.play_btn, self.step_btn, self.reset_btn = self.transport.buttons()
        self.speed_label = QLabel()
        self.speed_spin = QSpinBox()
        self.speed_spin.setRange(int(MIN_SPEED), int(MAX_SPEED))
        self.speed_spin.setKeyboardTracking(False)
        self.speed_spin.setAccelerated(True)
        self.speed_spin.valueChanged.connect(self._on_speed_changed)
        self.speed_label.setBuddy(self.speed_spin)
        self.loop_check = QCheckBox()
        self.loop_check.toggled.connect(lambda on: self.model.set_training_loop(bool(on)))
        self.export_btn = tool_button(style.standardIcon(QStyle.SP_DialogSaveButton))
        self.export_btn.clicked.connect(self.export_dialog)
        for w in (self.play_btn, self.step_btn, self.reset_btn):
            bar.addWidget(w)
        bar.addSpacing(6)
        bar.addWidget(self.speed_label)
        bar.addWidget(self.speed_spin)
        bar.addWidget(self.loop_check)
        bar.addStretch(1)
        bar.addWidget(self.export_btn)
        layout.addLayout(bar)
        scrub_box = QWidget()
        scrub = QHBoxLayout(scrub_box)
        scrub.setContentsMargins(8, 0, 0, 0)
        self.epoch_slider = QSlider(Qt.Horizontal)
        self.epoch_slider.setObjectName("trainingEpochSlider")
        self.epoch_slider.valueChanged.connect(self._on_slider_moved)
        self.epoch_slider.sliderReleased.connect(
            lambda: self.model.set_training_epoch(self.epoch_slider.value(), finished=True))
        self.epoch_label = QLabel()
        # a fixed size: a label that may change size posts a layout request with every new
        # epoch, which re-lays out the tab widget and the main window on every frame
        self.epoch_label.setMinimumWidth(90)
        self._fit_epoch_label()
        self.epoch_label.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
        scrub.addWidget(self.epoch_slider, 1)
        scrub.addWidget(self.epoch_label)
        # --- the three modes ------------------------------------------------------------------
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        # a mode's panel is built when its tab is first shown (or asked for): start-up builds
        # only the race on screen (issue 16)
        self._panels = {}
        self.scrolls = {}
        for mode in TRAINING_MODES:
            # each mode scrolls when the dock is squeezed (e.g. 1280×800 with every dock shown)
            # instead of forcing its full height onto the whole window
            scroll = QScrollArea()
            scroll.setWidget(QWidget())
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.NoFrame)
            scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAsNeeded)
            self.scrolls[mode] = scroll
            self.tabs.addTab(scroll, "")
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.tabs.setCornerWidget(scrub_box, Qt.TopRightCorner)   # the scrubber shares the tab row
        layout.addWidget(self.tabs, 1)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setVisible(False)
        layout.addWidget(self.status)
        self.setWidget(body)
        # --- animation + keys -------------------------------------------------------------
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.PreciseTimer)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self.tick)
        self._anchor = None          # (time, epoch) the current playback is paced from
        self._last_set = None        # the epoch this dock last asked for
        self.shortcuts = {}
        for name, key, slot in (("play", Qt.Key_Space, self.toggle_play),
                                ("step", Qt.Key_Right, self.step),
                                ("back", Qt.Key_Left, self.step_back),
                                ("reset", Qt.Key_R, self.reset)):
            sc = QShortcut(QKeySequence(key), self)
            sc.setContext(Qt.WidgetWithChildrenShortcut)
            sc.activated.connect(slot)
            self.shortcuts[name] = sc
        self._status_timer = QTimer(self)
        self._status_timer.setSingleShot(True)
        self._status_timer.timeout.connect(lambda: self.status.setVisible(False))
        self._built = False
        self.apply_theme()
        self._built = True

    # ------------------------------------------------------------------ the mode panels
    @property
    def panels(self) -> dict:
        """The mode panels built so far (``panel(mode)`` builds one)."""
        return dict(self._panels)

    def panel(self, mode: str):
        """The race panel of *mode*, built now if it is not yet."""
        panel = self._panels.get(mode)
        if panel is None:
            panel = NeuronRacePanel(self.model) if mode == "neuron" \
                else DatasetRacePanel(self.model, mode)
            self._panels[mode] = panel
            panel.sigError.connect(self.show_error)
            self.scrolls[mode].setWidget(panel)     # the placeholder goes
            panel.apply_theme()
            if getattr(self, "_built", False):
                panel.retranslate()
            if self.is_built():
                self.built.emit(self)               # the window zooms and fits the new plots
        return panel

    @property
    def neuron(self):
        return self.panel("neuron")

    @property
    def dataset(self):
        return self.panel("dataset")

    @property
    def multiclass(self):
        return self.panel("multiclass")

    @property
    def mse_curve(self):
        """The full MSE loss curve of the single-neuron race."""
        return self.neuron.ghost["loss", 0]

    @property
    def ce_curve(self):
        return self.neuron.ghost["loss", 1]

    def apply_theme(self) -> None:
        th = theme.current()
        self.status.setStyleSheet(f"color: {th.warning}")
        for panel in self.panels.values():
            panel.apply_theme()
        if self._built:
            self._refresh_active(full=True)

    # ------------------------------------------------------------------ texts
    def retranslate(self) -> None:
        super().retranslate()
        # what Help → Keyboard shortcuts says of each key
        self.shortcuts["play"].setWhatsThis(i18n.tr("Play or pause the race"))
        self.shortcuts["step"].setWhatsThis(i18n.tr("Advance one epoch"))
        self.shortcuts["back"].setWhatsThis(i18n.tr("Go back one epoch"))
        self.shortcuts["reset"].setWhatsThis(i18n.tr("Stop and go back to epoch 0"))
        self._update_title()
        tr = i18n.tr
        self.step_btn.setText(tr("Step"))
        self.step_btn.setToolTip(tr("Advance one epoch (→)"))
        self.reset_btn.setText(tr("Reset"))
        self.reset_btn.setToolTip(tr("Stop and go back to epoch 0 (R)"))
        self.speed_label.setText(tr("&Speed"))
        self.speed_spin.setSuffix(tr(" epochs/s"))
        self.speed_spin.setToolTip(tr("Epochs shown per second (1 to 1000); at high speed "
                                      "frames skip epochs so the animation keeps time"))
        self.loop_check.setText(tr("&Loop"))
        self.loop_check.setToolTip(tr("Start again from epoch 0 after the last epoch"))
        self.export_btn.setText(tr("CSV…"))
        self.export_btn.setToolTip(tr("Save the trajectories of the race shown (every epoch, both "
                                      "runs) as a CSV file"))
        self.epoch_slider.setToolTip(tr("Drag to scrub through the epochs (← → step)"))
        self._fit_epoch_label()
        self.tabs.setTabText(0, tr("Single neuron"))
        self.tabs.setTabText(1, tr("Dataset (2-D)"))
        self.tabs.setTabText(2, tr("Multi-class"))
        self.tabs.setTabToolTip(0, tr("One sigmoid neuron, one input: the learning slowdown of MSE"))
        self.tabs.setTabToolTip(1, tr("Logistic regression on two Gaussian blobs, MSE vs cross-entropy"))
        self.tabs.setTabToolTip(2, tr("Softmax regression on cat, dog and horse, MSE on one-hot "
                                      "targets vs categorical cross-entropy"))
        for panel in self.panels.values():
            panel.retranslate()
        self._update_play_button(force=True)

    # ------------------------------------------------------------------ transport intents
    def toggle_play(self) -> None:
        model = self.model
        if model.training_running:
            model.set_training_running(False)
            return
        with model.batch():
            if model.training_epoch >= model.training.epochs:
                model.set_training_epoch(0)
            model.set_training_running(True)

    def step(self) -> None:
        model = self.model
        with model.batch():
            model.set_training_running(False)
            model.set_training_epoch(min(model.training_epoch + 1, model.training.epochs))

    def step_back(self) -> None:
        model = self.model
        with model.batch():
            model.set_training_running(False)
            model.set_training_epoch(max(model.training_epoch - 1, 0))

    def reset(self) -> None:
        model = self.model
        with model.batch():
            model.set_training_running(False)
            model.set_training_epoch(0)

    def _on_speed_changed(self, value: int) -> None:
        try:
            self.model.set_training_speed(value)
        except ValueError as exc:
            self.show_error(str(exc))

    def _on_slider_moved(self, value: int) -> None:
        model = self.model
        if value == model.training_epoch:
            return
        dragging = self.epoch_slider.isSliderDown()      # a drag ends with sliderReleased
        with model.batch(finished=not dragging):
            model.set_training_running(False)
            model.set_training_epoch(value, finished=not dragging)

    def _on_tab_changed(self, index: int) -> None:
        self.model.set_training_mode(TRAINING_MODES[index])

    def show_error(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))
        self._status_timer.start(8000)

    # ------------------------------------------------------------------ animation
    def tick(self, now: float | None = None) -> None:
        """One animation frame: move the model to the epoch that elapsed time × speed reaches.

        Pure scheduling: the frame to show is computed from the clock, so a slow frame skips
        epochs instead of slowing the race down.  *now* (seconds) lets the benchmark drive it.
        """
        model = self.model
        if not model.training_running:
            self._timer.stop()
            return
        now = time.perf_counter() if now is None else now
        limit = model.training.epochs
        if self._anchor is None or model.training_epoch != self._last_set or now < self._anchor[0]:
            self._anchor = (now, model.training_epoch)   # started, or someone moved the epoch
        t0, e0 = self._anchor
        target = e0 + int((now - t0) * model.training_speed)
        finished = False
        if target > limit:
            if model.training_loop:
                target = 0
                self._anchor = (now, 0)
            else:
                target, finished = limit, True
        self._last_set = target
        if finished:
            with model.batch():
                model.set_training_epoch(target, finished=True)
                model.set_training_running(False)
        elif target != model.training_epoch:
            model.set_training_epoch(target, finished=False)

    def _sync_timer(self) -> None:
        running = self.model.training_running
        if running and not self._timer.isActive():
            self._anchor = None
            self._last_set = self.model.training_epoch
            self._timer.start()
        elif not running and self._timer.isActive():
            self._timer.stop()

    def _on_model_changed(self, change) -> None:
        if not self.is_built() and not self.model.training_running:
            if change.touches(m.TRAINING_VIEW, m.TRAINING_PARAMS, m.DATASET):
                self._update_title()         # the tab's text; the rest when it is built
            return
        # the timer follows the model even while the dock is hidden
        if change.touches(m.TRAINING_PROGRESS, m.TRAINING_VIEW, m.TRAINING_PARAMS):
            if change.touches(m.TRAINING_VIEW):
                self._anchor = None          # speed changed: pace from here
            self._sync_timer()
        # the title is the tab's text too: it follows the losses even while the tab is behind
        if change.touches(m.TRAINING_VIEW, m.TRAINING_PARAMS, m.DATASET):
            self._update_title()
        super()._on_model_changed(change)

    # ------------------------------------------------------------------ drawing
    def refresh(self, change) -> None:
        full = change is None
        if full or change.touches(m.TRAINING_PARAMS):
            for panel in self.panels.values():
                panel.mark_stale()
        elif change.touches(m.DATASET):
            for mode in ("dataset", "multiclass"):
                if mode in self._panels:
                    self._panels[mode].mark_stale()
        if full or change.touches(m.TRAINING_VIEW, m.TRAINING_PARAMS):
            self._sync_transport()
        self._refresh_active()
        self._update_epoch_widgets()
        if full or change.touches(m.TRAINING_PROGRESS, m.TRAINING_VIEW):
            self._update_play_button(force=full)
        self._sync_timer()

    def _refresh_active(self, full: bool = False) -> None:
        panel = self.panel(self.model.training_mode)
        if full:
            panel.mark_stale()
        panel.refresh_epoch(self.model.training_epoch)

    def _sync_transport(self) -> None:
        model = self.model
        self.speed_spin.blockSignals(True)
        self.speed_spin.setValue(int(round(model.training_speed)))
        self.speed_spin.blockSignals(False)
        self.loop_check.blockSignals(True)
        self.loop_check.setChecked(model.training_loop)
        self.loop_check.blockSignals(False)
        idx = TRAINING_MODES.index(model.training_mode)
        if self.tabs.currentIndex() != idx:
            self.tabs.blockSignals(True)
            self.tabs.setCurrentIndex(idx)
            self.tabs.blockSignals(False)
        self.epoch_slider.blockSignals(True)
        self.epoch_slider.setRange(0, model.training.epochs)
        self.epoch_slider.blockSignals(False)

    def _fit_epoch_label(self) -> None:
        sample = i18n.tr("epoch {k} / {n}").format(k=88888, n=88888)
        label = self.epoch_label
        label.setFixedWidth(max(90, label.fontMetrics().horizontalAdvance(sample) + 6))
        label.setFixedHeight(label.fontMetrics().height() + 4)

    def _update_epoch_widgets(self) -> None:
        k, n = self.model.training_epoch, self.model.training.epochs
        if self.epoch_slider.maximum() != n:
            self.epoch_slider.blockSignals(True)
            self.epoch_slider.setRange(0, n)
            self.epoch_slider.blockSignals(False)
        if self.epoch_slider.value() != k:
            self.epoch_slider.blockSignals(True)
            self.epoch_slider.setValue(k)
            self.epoch_slider.blockSignals(False)
        self.epoch_label.setText(i18n.tr("epoch {k} / {n}").format(k=k, n=n))

    def _update_title(self) -> None:
        """The dock's title (and tab) names the two losses of the race shown: "Training race:
        CE vs focal (γ = 2)", the classic title for the MSE-vs-CE race."""
        model = self.model
        pair = model.training_losses if model.training_mode == "neuron" else model.dataset_losses
        names = tuple(spec[0] for spec in pair)
        if names == ("mse", "ce"):
            title = i18n.tr("Training race: MSE vs cross-entropy")   # = TITLE
        else:
            title = i18n.tr("Training race: {first} vs {second}").format(
                first=loss_style.spec_label(pair[0]), second=loss_style.spec_label(pair[1]))
        if self.windowTitle() != title:
            self.setWindowTitle(title)

    def _update_play_button(self, force: bool = False) -> None:
        self.transport.show_running(self.model.training_running, force=force)

    # ------------------------------------------------------------------ export
    def export_csv(self, path) -> bool:
        """Write the shown race's trajectories to *path*; report success or why not."""
        try:
            n = export_trajectories_csv(path, self.model)
        except (OSError, ValueError) as exc:
            self.show_error(i18n.tr("Could not write {path}: {reason}").format(
                path=path, reason=getattr(exc, "strerror", None) or exc))
            return False
        win = self.window()
        if hasattr(win, "statusBar"):
            win.statusBar().showMessage(i18n.tr("Wrote {n} epochs to {path}").format(n=n, path=path), 5000)
        return True

    def export_dialog(self) -> None:
        name = {"neuron": "training-neuron.csv", "dataset": "training-dataset.csv",
                "multiclass": "training-multiclass.csv"}[self.model.training_mode]
        path, _ = QFileDialog.getSaveFileName(self, i18n.tr("Export training trajectories"), name,
                                              i18n.tr("CSV files (*.csv)"))
        if path:
            self.export_csv(path)

    def disconnect_model(self) -> None:
        if self.is_built():
            self._timer.stop()
        super().disconnect_model()
