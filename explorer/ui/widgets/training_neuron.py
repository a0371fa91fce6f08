"""The single-neuron race panel of the training dock: a = σ(wx + b) trained with two losses of the
family (MSE and cross-entropy unless chosen otherwise) from the same start; curves against
epoch, loss landscapes with the moving point, and the current numbers.  Everything drawn comes
from the model's precomputed histories and landscapes; an epoch change only slices arrays.

The two runs are drawn by *slot* (0 = first run, 1 = second run: ``self.run["a", 0]``); their
names, colours and titles follow the losses chosen (``model.training_losses``)."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QFont, QTransform
from PySide6.QtWidgets import (QCheckBox, QComboBox, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout,
                               QWidget)

from explorer import i18n
from explorer.model.training_state import BOOK_CE_LR, TRAINING_PRESETS
from explorer.ui import loss_style, theme
from explorer.ui.fmt import fmt, fmt_sig
from explorer.ui.controls import int_spin, spin
from explorer.ui.widgets.plots import style_plot
from explorer.ui.widgets.loss_pair import LossPairChooser
from explorer.ui.widgets.trail import TrailCurve
from explorer.ui.widgets.training_common import (Dot, legend_html, legend_label, cache_static, dashed, fixed_width, ramp_lut, set_small_title, set_spin, small_plot, view_pos)

#: the two runs of the race, by position
LOSSES = SLOTS = (0, 1)
PRESET_ORDER = ("nielsen_well_started", "nielsen_saturated", "book_widget", "saturated_negative",
                "custom")
#: parameter -> (low, high, step, decimals); the spin boxes' ranges (the model validates too)
PARAM_RANGES = {
    "w0": (-10.0, 10.0, 0.1, 2), "b0": (-10.0, 10.0, 0.1, 2), "x": (-5.0, 5.0, 0.1, 2),
    "y": (0.0, 1.0, 0.1, 2), "lr": (0.001, 10.0, 0.01, 3),
}
N_CONTOURS = 6
CONTOUR_STEP = 4          # contour lines are traced on every 4th landscape sample


class NeuronRacePanel(QWidget):
    """Single-neuron MSE-vs-CE race.  Emits ``sigError(text)`` for rejected input."""

    sigError = Signal(str)

    def __init__(self, model, parent=None):
        super().__init__(parent)
        self.model = model
        self._stale = True
        self.build()
        self.retranslate()

    def sizeHint(self):
        # in the dock's scroll area: take the space offered, and when squeezed shrink to the
        # minimum (plots' natural size hint is 640×480, which would make the page huge)
        return self.minimumSizeHint()

    # ------------------------------------------------------------------ build
    def build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 2, 0, 0)
        outer.setSpacing(3)
        # --- preset + book mode ------------------------------------------------------------
        row = QHBoxLayout()
        self.preset_label = QLabel()
        self.preset_combo = QComboBox()
        self.preset_combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.preset_combo.setMinimumContentsLength(16)
        for name in PRESET_ORDER:
            self.preset_combo.addItem("", name)
        self.preset_combo.activated.connect(self._on_preset_chosen)
        self.preset_label.setBuddy(self.preset_combo)
        self.book_check = QCheckBox()
        self.book_check.toggled.connect(lambda on: self._set_params(book_mode=bool(on)))
        row.addWidget(self.preset_label)
        row.addWidget(self.preset_combo, 1)
        row.addWidget(self.book_check)
        outer.addLayout(row)
        # --- the two runs' losses -----------------------------------------------------------
        self.losses = LossPairChooser("neuronLosses")
        self.losses.sigChanged.connect(self._on_losses_chosen)
        outer.addWidget(self.losses)
        # --- parameters ----------------------------------------------------------------
        grid = QGridLayout()
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(2)
        self.spins, self.spin_labels = {}, {}
        order = ("w0", "b0", "x", "y", "lr", "epochs")
        for i, name in enumerate(order):
            if name == "epochs":
                box = int_spin(1, 5000, 50)
                box.valueChanged.connect(lambda v: self._set_params(epochs=int(v)))
            else:
                lo, hi, step, dec = PARAM_RANGES[name]
                box = spin(lo, hi, step, dec)
                box.valueChanged.connect(lambda v, n=name: self._set_params(**{n: float(v)}))
            label = QLabel()
            label.setBuddy(box)
            label.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
            r, c = divmod(i, 3)
            grid.addWidget(label, r, 2 * c)
            grid.addWidget(box, r, 2 * c + 1)
            grid.setColumnStretch(2 * c + 1, 1)
            self.spins[name], self.spin_labels[name] = box, label
        outer.addLayout(grid)
        self.book_note = QLabel()
        self.book_note.setWordWrap(True)
        self.book_note.setVisible(False)
        outer.addWidget(self.book_note)
        # what the colours mean (static: costs the animated plots nothing)
        self.legend = legend_label()
        outer.addWidget(self.legend)
        # --- plots: curves (top row), landscapes (bottom row) -----------------------------
        plots = QGridLayout()
        plots.setSpacing(2)
        self.loss_plot = small_plot()
        self.out_plot = small_plot()
        self.grad_plot = small_plot(log_y=True)
        self.curve_plots = {"loss": self.loss_plot, "a": self.out_plot, "grad": self.grad_plot}
        self.ghost, self.run, self.heads, self.epoch_lines = {}, {}, {}, {}
        for key, pw in self.curve_plots.items():
            for loss in LOSSES:
                self.ghost[key, loss] = pw.plot([], [])
                # the growing run: a trail drawn one segment per frame; on the log plot it is
                # fed log10 values, since it bypasses pyqtgraph's log mode
                self.run[key, loss] = TrailCurve()
                pw.addItem(self.run[key, loss])
                self.heads[key, loss] = Dot(3.5)
                pw.addItem(self.heads[key, loss])
            self.epoch_lines[key] = pg.InfiniteLine(angle=90, movable=False)
            pw.addItem(self.epoch_lines[key])
        self.target_line = pg.InfiniteLine(angle=0, movable=False)
        self.out_plot.addItem(self.target_line)
        self.out_plot.setYRange(-0.02, 1.02, padding=0)
        self.land_plots, self.land_images, self.land_paths, self.land_runs = {}, {}, {}, {}
        self.land_points, self.land_contours = {}, {}
        for loss in LOSSES:
            pw = small_plot()
            img = pg.ImageItem(axisOrder="row-major")
            pw.addItem(img)
            self.land_contours[loss] = []
            for _ in range(N_CONTOURS):
                iso = pg.IsocurveItem(level=0.0)
                iso.setParentItem(img)
                iso.setTransform(QTransform.fromScale(CONTOUR_STEP, CONTOUR_STEP))
                self.land_contours[loss].append(iso)
            self.land_paths[loss] = pw.plot([], [])
            self.land_runs[loss] = TrailCurve()
            pw.addItem(self.land_runs[loss])
            self.land_points[loss] = (Dot(3.5), Dot(5.0))       # start, current
            for dot in self.land_points[loss]:
                pw.addItem(dot)
            pw.scene().sigMouseClicked.connect(lambda ev, p=pw: self._on_landscape_clicked(ev, p))
            self.land_plots[loss], self.land_images[loss] = pw, img
        cache_static(*self.ghost.values(), self.target_line, *self.land_images.values(),
                     *self.land_paths.values(), *(i for c in self.land_contours.values() for i in c))
        plots.addWidget(self.loss_plot.box, 0, 0, 1, 2)
        plots.addWidget(self.out_plot.box, 0, 2, 1, 2)
        plots.addWidget(self.grad_plot.box, 0, 4, 1, 2)
        plots.addWidget(self.land_plots[0].box, 1, 0, 1, 3)
        plots.addWidget(self.land_plots[1].box, 1, 3, 1, 3)
        # --- the numbers ------------------------------------------------------------------
        table = QGridLayout()
        table.setHorizontalSpacing(6)
        table.setVerticalSpacing(1)
        mono = QFont("monospace")
        mono.setStyleHint(QFont.TypeWriter)
        self.head_labels = {}
        for c, key in enumerate(("epoch", "w", "b", "a", "loss", "grad")):
            lab = QLabel()
            lab.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
            table.addWidget(lab, 0, c)
            self.head_labels[key] = lab
        fixed_width(self.head_labels["epoch"], "epoch 00000")
        self.value_labels = {}
        self._values_selectable = True
        for r, loss in enumerate(LOSSES, start=1):
            for c, key in enumerate(("run", "w", "b", "a", "loss", "grad")):
                lab = QLabel()
                lab.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
                if key != "run":
                    lab.setFont(mono)
                    lab.setTextInteractionFlags(Qt.TextSelectableByMouse)
                    fixed_width(lab, "−0.00e−00" if key == "grad" else "−00.0000")
                table.addWidget(lab, r, c)
                self.value_labels[loss, key] = lab
        for c in range(6):
            plots.setColumnStretch(c, 1)
        plots.setRowStretch(0, 1)
        plots.setRowStretch(1, 1)
        outer.addLayout(plots, 1)
        table.setColumnStretch(6, 1)
        outer.addLayout(table)
        self.apply_theme()

    def _pair(self) -> tuple:
        return self.model.training_losses

    def _run_names(self) -> list[str]:
        return [loss_style.spec_label(spec) for spec in self._pair()]

    def _update_legend(self) -> None:
        tr = i18n.tr
        th = theme.current()
        pair = self._pair()
        colours = loss_style.run_colours(pair)
        names = self._run_names()
        self.legend.setText(legend_html([
            (colours[0], "━", tr("trained with {loss}").format(loss=names[0])),
            (colours[1], "━", tr("trained with {loss}").format(loss=names[1])),
            (th.foreground, "┅", tr("target y")), (th.neutral, "┆", tr("current epoch")),
            (th.foreground, "○", tr("start (w₀, b₀) on the landscapes"))]))

    def _update_run_texts(self) -> None:
        """Titles, table names and legend of the runs (they follow the chosen losses)."""
        tr = i18n.tr
        names = self._run_names()
        for slot in SLOTS:
            set_small_title(self.land_plots[slot], tr("{loss}: C over w (across) and b (up)").format(
                loss=names[slot]))
            self.value_labels[slot, "run"].setText(names[slot])
        self._update_legend()
        self._drawn_pair = self._pair()

    def apply_theme(self) -> None:
        th = theme.current()
        self._update_legend()
        self._apply_run_colours()
        self.book_note.setStyleSheet(f"color: {th.warning}")
        self._stale = True

    def _apply_run_colours(self) -> None:
        th = theme.current()
        colours = dict(zip(SLOTS, loss_style.run_colours(self._pair())))
        for pw in (*self.curve_plots.values(), *self.land_plots.values()):
            style_plot(pw)
        for (key, loss), item in self.ghost.items():
            c = pg.mkColor(colours[loss])
            c.setAlpha(70)
            item.setPen(pg.mkPen(c, width=1.5))
        for (key, loss), item in self.run.items():
            item.setPen(theme.pen(colours[loss], 2.5))
        for (key, loss), dot in self.heads.items():
            dot.set_colours(colours[loss], th.background)
        for loss in LOSSES:
            start, now = self.land_points[loss]
            start.set_colours(th.background, th.foreground, 1.5)
            now.set_colours(colours[loss], th.foreground, 1.5)
        for line in self.epoch_lines.values():
            line.setPen(dashed(th.neutral))
        self.target_line.setPen(dashed(th.foreground))
        for loss in LOSSES:
            self.land_images[loss].setLookupTable(ramp_lut(th.background, colours[loss]))
            for iso in self.land_contours[loss]:
                c = pg.mkColor(th.foreground)
                c.setAlpha(60)
                iso.setPen(pg.mkPen(c, width=1))
            c = pg.mkColor(th.foreground)
            c.setAlpha(90)
            self.land_paths[loss].setPen(pg.mkPen(c, width=1, style=Qt.DotLine))
            self.land_runs[loss].setPen(theme.pen(th.foreground, 2))
        for loss in LOSSES:
            for key in ("run",):
                self.value_labels[loss, key].setStyleSheet(f"color: {colours[loss]}; font-weight: bold")
        self._coloured_pair = self._pair()

    # ------------------------------------------------------------------ texts
    def retranslate(self) -> None:
        tr = i18n.tr
        self.preset_label.setText(tr("&Preset:"))
        names = {
            "nielsen_well_started": tr("Nielsen ch. 3: well started (w = 0.6, b = 0.9)"),
            "nielsen_saturated": tr("Nielsen ch. 3: saturated (w = 2, b = 2)"),
            "book_widget": tr("Book web widget (CE: η = 0.005, step ∂C/∂a)"),
            "saturated_negative": tr("Mirror: y = 1, saturated negative (w = −2, b = −2)"),
            "custom": tr("Custom"),
        }
        for i, name in enumerate(PRESET_ORDER):
            self.preset_combo.setItemText(i, names[name])
        self.preset_combo.setToolTip(tr("Load a start configuration; both runs restart from epoch 0"))
        self.book_check.setText(tr("&Book-widget mode"))
        self.book_check.setToolTip(tr(
            "Make the cross-entropy run step the way the book's web widget did: by "
            "∂C/∂a = (a − y)/(a(1 − a)) with η = {lr}, instead of the true gradient (a − y)·x "
            "with the same η as MSE").format(lr=BOOK_CE_LR))
        labels = {"w0": tr("w₀"), "b0": tr("b₀"), "x": tr("x"), "y": tr("y"), "lr": tr("η"),
                  "epochs": tr("epochs")}
        tips = {
            "w0": tr("Start weight w₀ of both runs (edits restart the race)"),
            "b0": tr("Start bias b₀ of both runs (edits restart the race)"),
            "x": tr("The single training input x"),
            "y": tr("The target output y (0 to 1)"),
            "lr": tr("Learning rate η of plain gradient descent (both runs)"),
            "epochs": tr("Number of gradient-descent steps (the epochs limit of every mode)"),
        }
        for name, box in self.spins.items():
            self.spin_labels[name].setText(labels[name])
            box.setToolTip(tips[name])
            self.spin_labels[name].setToolTip(tips[name])
        self.book_note.setText(self._book_text(False))
        set_small_title(self.loss_plot, tr("loss C against epoch"))
        set_small_title(self.out_plot, tr("output a against epoch"))
        set_small_title(self.grad_plot, tr("|∂C/∂w| against epoch (log)"))
        self.losses.retranslate()
        self._update_run_texts()
        for loss, pw in self.land_plots.items():
            pw.setToolTip(tr("Loss over weight w (across) and bias b (up), darker = higher; the "
                             "line is the run so far. Click to start both runs from that (w, b)."))
        self.loss_plot.setToolTip(tr("Loss of each run after every epoch (faint: the whole run)"))
        self.out_plot.setToolTip(tr("Output a = σ(wx + b) of each run; the dashed line is the target y"))
        self.grad_plot.setToolTip(tr("Size of the weight gradient on a log axis: MSE's is "
                                     "multiplied by σ′(z), which vanishes when the neuron "
                                     "saturates; focal's is damped where a is already right"))
        heads = {"w": "w", "b": "b", "a": "a", "loss": tr("loss C"), "grad": "∂C/∂w"}
        for key, lab in self.head_labels.items():
            if key in heads:
                lab.setText(heads[key])
        self._stale = True

    @staticmethod
    def _book_text(no_ce: bool) -> str:
        tr = i18n.tr
        if no_ce:
            return tr("Book-widget mode changes only a cross-entropy run, and neither run uses "
                      "cross-entropy now: choose a race with CE to see the book's step.")
        return tr(
            "Book-widget mode: the CE run steps by ∂C/∂a = (a − y)/(a(1 − a)) (that is 1/(1 − a) "
            "for y = 0) with η = {lr}, as the web widgets of Nielsen's book did. That is not the "
            "true gradient ∂C/∂w = (a − y)·x, so its |∂L/∂w| curve shows that step instead.").format(
            lr=BOOK_CE_LR)

    # ------------------------------------------------------------------ intents
    def _set_params(self, **changes) -> None:
        current = self.model.training
        try:
            new = replace(current, **changes)
        except TypeError:
            return
        preset = "custom"
        for name, values in TRAINING_PRESETS.items():
            if all(getattr(new, k) == v for k, v in values.items()):
                preset = name
                break
        try:
            self.model.set_training_params(**changes, preset=preset)
        except ValueError as exc:
            self.sigError.emit(str(exc))
            self.sync_controls()

    def _on_losses_chosen(self, pair) -> None:
        try:
            self.model.set_training_losses(pair)
        except ValueError as exc:
            self.sigError.emit(i18n.tr_error(exc))
            self.sync_controls()

    def _on_preset_chosen(self, index: int) -> None:
        name = self.preset_combo.itemData(index)
        if name in TRAINING_PRESETS:
            self.model.apply_training_preset(name)

    def _on_landscape_clicked(self, ev, pw) -> None:
        if ev.button() != Qt.LeftButton:
            return
        w, b = view_pos(pw, ev.scenePos())
        lo_w, hi_w = PARAM_RANGES["w0"][:2]
        lo_b, hi_b = PARAM_RANGES["b0"][:2]
        if not (lo_w <= w <= hi_w and lo_b <= b <= hi_b):
            return
        ev.accept()
        self._set_params(w0=round(w, 2), b0=round(b, 2))

    # ------------------------------------------------------------------ drawing
    def sync_controls(self) -> None:
        t = self.model.training
        for name in ("w0", "b0", "x", "y", "lr"):
            set_spin(self.spins[name], getattr(t, name))
        set_spin(self.spins["epochs"], t.epochs)
        idx = self.preset_combo.findData(t.preset if t.preset in TRAINING_PRESETS else "custom")
        self.preset_combo.blockSignals(True)
        self.preset_combo.setCurrentIndex(idx)
        self.preset_combo.blockSignals(False)
        self.book_check.blockSignals(True)
        self.book_check.setChecked(t.book_mode)
        self.book_check.blockSignals(False)
        self.book_note.setVisible(t.book_mode)
        no_ce = t.book_mode and all(spec[0] != "ce" for spec in t.losses)
        self.book_note.setText(self._book_text(no_ce))
        self.losses.set_pair(t.losses)
        if t.losses != getattr(self, "_coloured_pair", None):
            self._apply_run_colours()
        if t.losses != getattr(self, "_drawn_pair", None):
            self._update_run_texts()

    def refresh_params(self) -> None:
        """Redraw everything that depends on the parameters (not the epoch)."""
        self._stale = False
        self.sync_controls()
        model = self.model
        hist = model.histories
        runs = self._runs = list(hist)
        t = model.training
        ep = np.arange(t.epochs + 1, dtype=float)
        self._ep = ep
        self._series, self._drawn = {}, {}
        for loss in LOSSES:
            h = hist[runs[loss]]
            self._series["loss", loss] = np.asarray(h.loss)
            self._series["a", loss] = np.asarray(h.a)
            self._series["grad", loss] = np.maximum(np.abs(np.asarray(h.grad_w)), 1e-12)
            for key in ("loss", "a", "grad"):
                self.ghost[key, loss].setData(ep, self._series[key, loss])
                # what the run curves and dots get, in view coordinates (log10 on the log plot)
                self._drawn[key, loss] = (np.log10(self._series[key, loss]) if key == "grad"
                                          else self._series[key, loss])
        self.ghost_loss = {loss: self.ghost["loss", loss] for loss in LOSSES}
        for pw in self.curve_plots.values():
            pw.setXRange(0, t.epochs, padding=0.02)
        top = max(float(np.nanmax(np.where(np.isfinite(self._series["loss", l]), self._series["loss", l], 0)))
                  for l in LOSSES)
        self.loss_plot.setYRange(0, max(top, 1e-6) * 1.05, padding=0)
        g = np.concatenate([self._series["grad", l] for l in LOSSES])
        g = g[np.isfinite(g)]
        if g.size:
            lo, hi = np.log10(max(g.min(), 1e-12)), np.log10(max(g.max(), 1e-12))
            self.grad_plot.setYRange(lo - 0.2, hi + 0.2 + (0.5 if hi - lo < 0.5 else 0), padding=0)
        self.target_line.setValue(t.y)
        # landscapes (computed once per parameter change by the model)
        land = model.landscape
        w_lo, w_hi, b_lo, b_hi = land.bounds
        rect = QRectF(w_lo, b_lo, w_hi - w_lo, b_hi - b_lo)
        for loss in LOSSES:
            data = land.loss[runs[loss]]
            finite = data[np.isfinite(data)]
            lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
            img = self.land_images[loss]
            drawn = getattr(self, "_land_drawn", {})
            self._land_drawn = drawn
            if drawn.get(loss) is not data:
                # a new landscape (the model computes one per parameter change); a theme or
                # language switch redraws with the same one and keeps image and contours
                drawn[loss] = data
                img.setImage(data, levels=(lo, hi if hi > lo else lo + 1e-9), autoLevels=False)
                levels = (np.quantile(finite, np.linspace(0.08, 0.92, N_CONTOURS))
                          if finite.size else [])
                # pyqtgraph traces isocurves in pure Python (~16 ms each on 200x200); every
                # 4th sample is smooth enough for contour lines and 16x cheaper. Sample k of
                # the coarse grid is pixel 4k of the image, so scaling the curve by 4 puts it
                # back in place.
                coarse = np.ascontiguousarray(data[::CONTOUR_STEP, ::CONTOUR_STEP].T)
                for iso, level in zip(self.land_contours[loss], levels):
                    iso.setData(coarse, level=float(level))
            img.setRect(rect)
            h = hist[runs[loss]]
            self.land_paths[loss].setData(np.asarray(h.w), np.asarray(h.b))
            pw = self.land_plots[loss]
            pw.setXRange(w_lo, w_hi, padding=0)
            pw.setYRange(b_lo, b_hi, padding=0)
        self.refresh_epoch(model.training_epoch)

    def refresh_epoch(self, k: int) -> None:
        """Move every marker to epoch *k* (only array slicing and setData)."""
        if self._stale:
            return self.refresh_params()
        model = self.model
        hist = model.histories
        k = int(min(k, len(self._ep) - 1))
        for key in ("loss", "a", "grad"):
            for loss in LOSSES:
                series = self._drawn[key, loss]
                self.run[key, loss].follow(self._ep, series, k + 1)
                self.heads[key, loss].move_to(k, series[k])
            self.epoch_lines[key].setValue(k)
        for loss in LOSSES:
            h = hist[self._runs[loss]]
            w, b = np.asarray(h.w), np.asarray(h.b)
            self.land_runs[loss].follow(w, b, k + 1)
            start, now = self.land_points[loss]
            start.move_to(w[0], b[0])
            now.move_to(w[k], b[k])
            vals = {"w": fmt(w[k], 3), "b": fmt(b[k], 3), "a": fmt(h.a[k], 4),
                    "loss": fmt(h.loss[k], 4), "grad": fmt_sig(h.grad_w[k], 4)}
            for key, text in vals.items():
                self.value_labels[loss, key].setText(text)
        # selectable text (to copy a value) only while the race stands still: a selectable
        # label rebuilds a text document at every setText, ten of them on every frame
        selectable = not model.training_running
        if selectable != self._values_selectable:
            self._values_selectable = selectable
            flags = Qt.TextSelectableByMouse if selectable else Qt.NoTextInteraction
            for (_loss, key), lab in self.value_labels.items():
                if key != "run":
                    lab.setTextInteractionFlags(flags)
        self.head_labels["epoch"].setText(i18n.tr("epoch {k}").format(k=k))

    def mark_stale(self) -> None:
        self._stale = True
