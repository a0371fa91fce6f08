"""``softmaxDock``: logits z (draggable bars, or q's own logits when q is in logit mode), the
temperature T, the target y (= p, or one-hot of a class) with its label smoothing ε
(y_ε = (1 − ε) y + ε/K), the bars of a = softmax(z / T), the loss −Σ y_ε,j ln a_j split as
H(y_ε) + D_KL(y_ε ‖ a), the gradient ∂L/∂z = a − y_ε (divided by T) as signed bars, a live
finite-difference check, a "show derivation" expander with the current numbers, and the
logit-growth race: these logits trained directly towards y with two losses, the largest logit,
the margin and max a against the epoch (a one-hot target drives the margin up like log(epoch);
a smoothed one stops at ln(1 + K(1 − ε)/ε), drawn dashed).

Everything drawn comes from ``model.softmax_numbers`` and ``model.softmax_race``; gestures become
model commands.
"""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSignalBlocker, Qt, QTimer
from PySide6.QtWidgets import (QCheckBox, QComboBox, QGridLayout, QHBoxLayout, QLabel,
                               QSizePolicy, QSpinBox, QToolButton, QVBoxLayout,
                               QWidget)

from explorer import i18n
from explorer.model import app_model as m
from explorer.model import panel_numbers
from explorer.ui import loss_style, theme
from explorer.ui.controls import int_spin, spin
from explorer.ui.docks.base import ExplorerDock
from explorer.ui.docks.panel_common import PanelBody, fmt_sig
from explorer.ui.widgets.plots import style_plot
from explorer.ui.fmt import fmt
from explorer.ui.widgets.bar_chart import BarChart, fit_value_range
from explorer.ui.widgets.loss_pair import LossPairChooser
from explorer.ui.widgets.training_common import (LiveText, legend_html, legend_label,
                                                 set_small_title, set_spin, small_plot)

#: A drag never pushes a logit beyond this (the model accepts ±1000).
LOGIT_LIMIT = 100.0
#: Value labels above bars up to this many categories (and only where they fit).
MAX_VALUE_LABELS = 12
#: y range of the a = softmax(z / T) chart
PROB_Y_RANGE = (0.0, 1.08)
#: the gradient chart's value axis spans at least this much (a ±1e-9 axis has unreadable ticks)
GRAD_MIN_SPAN = 1e-3
#: Cases q ≠ j written out in the derivation before "…".
MAX_DERIVATION_TERMS = 6
#: the logit-growth race's epochs offered by the spin box (the model takes up to 20 000)
RACE_EPOCHS_UI = 5000
#: the three curves of the logit-growth race
RACE_SERIES = ("top_logit", "margin", "a_max")


class SoftmaxDock(ExplorerDock):
    OBJECT_NAME = "softmaxDock"
    TITLE = "Softmax and categorical cross-entropy"
    KINDS = frozenset({m.SOFTMAX, m.LOGITS, m.DISTRIBUTIONS, m.LABELS, m.UNIT})

    # ------------------------------------------------------------------ build
    def build(self) -> None:
        body = PanelBody(480, 380)
        outer = QVBoxLayout(body)
        outer.setContentsMargins(4, 4, 4, 4)
        outer.setSpacing(3)

        grid = QGridLayout()
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(2)
        self.link_check = QCheckBox(objectName="linkCheck")
        self.count_label = QLabel()
        self.count_spin = QSpinBox(objectName="countSpin")
        self.count_spin.setRange(m.MIN_CATEGORIES, panel_numbers.MAX_SOFTMAX_LOGITS)
        self.count_spin.setKeyboardTracking(False)
        self.t_label = QLabel()
        self.t_spin = spin(0.05, 20.0, 0.1, 2, "temperatureSpin", accelerated=False)
        self.target_label = QLabel()
        self.target_combo = QComboBox(objectName="targetCombo")
        self.target_combo.addItems(["", ""])
        self.class_combo = QComboBox(objectName="classCombo")
        self.j_label = QLabel()
        self.j_combo = QComboBox(objectName="focusCombo")
        self.zj_label = QLabel()
        self.zj_spin = spin(-LOGIT_LIMIT, LOGIT_LIMIT, 0.1, 3, "logitSpin", accelerated=False)
        self.eps_label = QLabel()
        self.eps_spin = spin(*panel_numbers.SMOOTHING_RANGE, 0.05, 3, "smoothingSpin",
                             accelerated=False)
        for label, w in ((self.count_label, self.count_spin), (self.t_label, self.t_spin),
                         (self.target_label, self.target_combo), (self.j_label, self.j_combo),
                         (self.zj_label, self.zj_spin), (self.eps_label, self.eps_spin)):
            label.setBuddy(w)
        # three short rows so the dock stays narrow (≈ 360 px) on small screens
        grid.addWidget(self.link_check, 0, 0, 1, 2)
        grid.addWidget(self.count_label, 0, 2, Qt.AlignRight)
        grid.addWidget(self.count_spin, 0, 3)
        grid.addWidget(self.t_label, 0, 4, Qt.AlignRight)
        grid.addWidget(self.t_spin, 0, 5)
        grid.addWidget(self.target_label, 1, 0, Qt.AlignRight)
        grid.addWidget(self.target_combo, 1, 1)
        grid.addWidget(self.class_combo, 1, 2, 1, 2)
        grid.addWidget(self.eps_label, 1, 4, Qt.AlignRight)
        grid.addWidget(self.eps_spin, 1, 5)
        grid.addWidget(self.j_label, 2, 0, Qt.AlignRight)
        grid.addWidget(self.j_combo, 2, 1)
        grid.addWidget(self.zj_label, 2, 2, Qt.AlignRight)
        grid.addWidget(self.zj_spin, 2, 3)
        grid.setColumnStretch(6, 1)
        outer.addLayout(grid)

        row = QGridLayout()
        row.setHorizontalSpacing(2)
        row.setVerticalSpacing(0)
        # three bar charts on the same categories: the logits (dragged), a with its target y
        # (dashed outlines) and the gradient with the finite-difference marks
        self.logit_plot, self.prob_plot, self.grad_plot = BarChart(), BarChart(), BarChart()
        self.plots = (self.logit_plot, self.prob_plot, self.grad_plot)
        for pw, name in zip(self.plots, ("softmaxLogitChart", "softmaxProbChart",
                                         "softmaxGradChart")):
            pw.setObjectName(name)
        self.plot_titles = []
        for col, pw in enumerate(self.plots):
            title = QLabel(alignment=Qt.AlignHCenter)
            # a title may be cut short in a narrow dock, but never widens the plots beyond it
            title.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
            self.plot_titles.append(title)
            pw.setMinimumSize(96, 110)
            row.addWidget(title, 0, col)
            row.addWidget(pw, 1, col)
            row.setColumnStretch(col, 1)
        row.setRowStretch(1, 1)
        logits = self.logit_plot
        logits.value_range = (-LOGIT_LIMIT, LOGIT_LIMIT)
        logits.snap = False
        logits.grab_column = True               # press anywhere in a logit's column
        logits.step, logits.big_step = 0.1, 1.0
        logits.set_value_axis(-0.5, 2.5)
        for pw in (self.prob_plot, self.grad_plot):
            pw.editable = False
        self.prob_plot.set_value_axis(*PROB_Y_RANGE)
        self.prob_plot.ghost_width = 0.84
        outer.addLayout(row, 1)

        # texts that change on every drag move: boxes that never re-lay out the dock
        self.loss_label = LiveText("lossLabel")
        self.loss_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.split_label = LiveText("splitLabel")
        self.split_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.fd_label = LiveText("fdLabel")
        self.note_label = QLabel(objectName="noteLabel")
        self.note_label.setWordWrap(True)
        self.derivation_button = QToolButton(objectName="derivationButton")
        self.derivation_button.setCheckable(True)
        self.derivation_button.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
        self.derivation_button.setArrowType(Qt.RightArrow)
        self.derivation_button.setAutoRaise(True)
        self.derivation = QLabel(objectName="derivationLabel")
        self.derivation.setTextFormat(Qt.RichText)
        self.derivation.setWordWrap(True)
        self.derivation.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.derivation.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Minimum)
        self.derivation.hide()
        self.error_label = QLabel(objectName="softmaxError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.race_button = QToolButton(objectName="logitRaceButton")
        self.race_button.setCheckable(True)
        self.race_button.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
        self.race_button.setArrowType(Qt.RightArrow)
        self.race_button.setAutoRaise(True)
        self._build_race()
        for w in (self.loss_label, self.split_label, self.fd_label, self.note_label,
                  self.derivation_button, self.derivation, self.race_button, self.race_box,
                  self.error_label):
            outer.addWidget(w)
        # the derivation and the logit-growth race make the panel taller than a shared column
        # may be: the base class's DockScroll (explorer/ui/fit.py) scrolls it then, instead of
        # squeezing the bars
        self.setWidget(body)

        # --- intents --------------------------------------------------------------------
        self.link_check.toggled.connect(self._on_link_toggled)
        self.count_spin.valueChanged.connect(self._on_count_changed)
        self.t_spin.valueChanged.connect(self._on_temperature_changed)
        self.target_combo.currentIndexChanged.connect(self._on_target_changed)
        self.class_combo.currentIndexChanged.connect(self._on_target_changed)
        self.j_combo.currentIndexChanged.connect(self._on_focus_changed)
        self.zj_spin.valueChanged.connect(self._on_logit_spin_changed)
        logits.sigDragged.connect(self._on_bar_dragged)
        logits.sigDragCancelled.connect(self._on_drag_cancelled)
        for pw in self.plots:                   # a click on any of the three picks j
            pw.sigSelected.connect(self._on_bar_selected)
        logits.sigNudged.connect(self._on_nudged)
        logits.sigZeroed.connect(lambda i: self._set_logit(i, 0.0, True))
        logits.sigEditRequested.connect(self._on_edit_requested)
        self.derivation_button.toggled.connect(self._on_derivation_toggled)
        self.eps_spin.valueChanged.connect(self._on_smoothing_changed)
        self.race_button.toggled.connect(self._on_race_toggled)
        self._labels_drawn: tuple | None = None
        self._race_drawn = None
        self._logits_fitted = None
        self._numbers_drawn = None
        self.apply_theme()

    def _build_race(self) -> None:
        """The logit-growth section: the race's losses, η and epochs, three small plots
        (largest logit, margin, max a against the epoch on a log axis) and a summary."""
        box = self.race_box = QWidget(objectName="logitRaceBox")
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        self.race_losses = LossPairChooser("raceLosses")
        lay.addWidget(self.race_losses)
        row = QHBoxLayout()
        row.setSpacing(4)
        self.race_lr_label, self.race_lr_spin = QLabel(), spin(*panel_numbers.RACE_LR_RANGE, 0.1,
                                                               3, "raceLrSpin")
        self.race_epochs_label = QLabel()
        self.race_epochs_spin = int_spin(1, RACE_EPOCHS_UI, 100, "raceEpochsSpin")
        for label, w in ((self.race_lr_label, self.race_lr_spin),
                         (self.race_epochs_label, self.race_epochs_spin)):
            label.setBuddy(w)
            row.addWidget(label)
            row.addWidget(w)
        row.addStretch(1)
        lay.addLayout(row)
        self.race_legend = legend_label()
        self.race_legend.setObjectName("raceLegend")
        lay.addWidget(self.race_legend)
        plots = QHBoxLayout()
        plots.setSpacing(2)
        self.race_plots = {}
        self.race_curves, self.race_limits = {}, {}
        for key in RACE_SERIES:
            pw = small_plot()
            pw.setMinimumSize(100, 64)
            pw.getPlotItem().setLogMode(x=True, y=False)
            self.race_plots[key] = pw
            for slot in (0, 1):
                self.race_curves[key, slot] = pw.plot([], [])
            plots.addWidget(pw.box, 1)
        for slot in (0, 1):                       # the limit margin, where it is finite
            line = pg.InfiniteLine(angle=0, movable=False)
            line.hide()
            self.race_plots["margin"].addItem(line)
            self.race_limits[slot] = line
        lay.addLayout(plots, 1)
        self.race_summary = QLabel(objectName="raceSummary")
        self.race_summary.setWordWrap(True)
        self.race_summary.setTextFormat(Qt.RichText)
        self.race_summary.setTextInteractionFlags(Qt.TextSelectableByMouse)
        lay.addWidget(self.race_summary)
        box.setMinimumHeight(170)
        box.hide()
        self.race_losses.sigChanged.connect(
            lambda pair: self._call(self.model.set_softmax_race, losses=pair))
        self.race_lr_spin.valueChanged.connect(
            lambda v: self._call(self.model.set_softmax_race, lr=float(v)))
        self.race_epochs_spin.valueChanged.connect(
            lambda v: self._call(self.model.set_softmax_race, epochs=int(v)))

    def apply_theme(self) -> None:
        th = theme.current()
        for pw in self.race_plots.values():
            style_plot(pw)
        self._race_drawn = None
        for pw in self.plots:
            pw.set_background(th.background, th.grid_alpha)
        self._link_colour = None
        self._apply_link_colours()
        self.prob_plot.set_colors(th.q, th.foreground, th.accent, th.warning, th.p,
                                  ghost_pen_width=2.5)
        self.grad_plot.set_colors(th.ce, th.foreground, th.accent, th.warning, th.p)
        self.error_label.setStyleSheet(f"color: {th.warning};")
        self.note_label.setStyleSheet(f"color: {th.warning};")

    def _apply_link_colours(self) -> None:
        th = theme.current()
        colour = th.q if self.model.q_logit_mode else th.neutral
        if colour != self._link_colour:
            self._link_colour = colour
            self.logit_plot.set_colors(colour, th.foreground, th.accent, th.warning, th.p)

    # ------------------------------------------------------------------ texts
    def retranslate(self) -> None:
        super().retranslate()
        tr = i18n.tr
        self.link_check.setText(tr("Use &q's logits"))
        self.link_check.setToolTip(tr("Link these logits to q: q = softmax(z / T) is then "
                                      "edited through its logits, here or in the q panel — one "
                                      "set of numbers, shown in both places"))
        self.count_label.setText(tr("logits (&k):"))
        self.count_spin.setToolTip(tr("Number of free logits (when linked to q, q's number of "
                                      "categories is used)"))
        self.t_label.setText(tr("&T:"))
        self.t_spin.setToolTip(tr("Temperature: a = softmax(z / T); small T sharpens, large T "
                                  "flattens"))
        self.target_label.setText(tr("ta&rget:"))
        self.target_combo.setItemText(0, tr("y = p"))
        self.target_combo.setItemText(1, tr("y = one-hot"))
        self.target_combo.setToolTip(tr("The target y: the true distribution p (soft or one-hot), "
                                        "or a one-hot label of the class on the right"))
        self.class_combo.setToolTip(tr("Class of the one-hot target"))
        self.j_label.setText(tr("logit &j:"))
        self.j_combo.setToolTip(tr("The logit to edit and whose derivation is written out "
                                   "(or click a bar)"))
        self.zj_label.setText(tr("z_j:"))
        self.zj_spin.setToolTip(tr("Value of logit j (or drag its bar; Up/Down keys on the "
                                   "focused bar)"))
        self.eps_label.setText(tr("s&moothing ε:"))
        self.eps_spin.setToolTip(tr("Label smoothing ε (0 to 0.5): the target becomes "
                                    "y_ε = (1 − ε) y + ε/K, as PyTorch's label_smoothing; the "
                                    "loss then has a finite best logit margin"))
        self.plot_titles[0].setText(tr("logits z (drag)"))
        self._retitle(self._smoothing_shown())
        self.logit_plot.setAccessibleName(self.plot_titles[0].text())
        self.logit_plot.setToolTip(tr("Drag a bar up or down to change its logit; right-click or "
                                      "Esc cancels the drag. Click a bar to pick j; Up/Down "
                                      "change it, Left/Right pick a neighbour."))
        self.prob_plot.setToolTip(tr("Filled bars: the softmax output a. Dashed outlines: the "
                                     "target y (smoothed: y_ε = (1 − ε) y + ε/K; then the short "
                                     "marks show y before smoothing)."))
        self.grad_plot.setToolTip(tr("Bars: the analytic gradient (a − y) / T. Crosses: the "
                                     "numeric central-difference gradient."))
        self.derivation_button.setToolTip(tr("Show how ∂L/∂z_j = a_j − y_j follows from the two "
                                             "cases of the softmax derivative"))
        self._retranslate_derivation_button()
        self._race_controls = None
        self.race_button.setText(tr("Logit growth: train these logits"))
        self.race_button.setToolTip(tr(
            "Train the logits above directly (z ← z − η ∂L/∂z, at T = 1) towards the target y "
            "with two losses, and plot the largest logit, the margin z_t − max z_j and max a "
            "against the epoch"))
        self.race_lr_label.setText(tr("η:"))
        self.race_lr_spin.setToolTip(tr("Learning rate of the logit-growth race"))
        self.race_epochs_label.setText(tr("epochs:"))
        self.race_epochs_spin.setToolTip(tr("Number of gradient steps of the logit-growth race"))
        self.race_losses.retranslate()
        titles = {"top_logit": tr("largest logit"), "margin": tr("margin z_t − max z_j"),
                  "a_max": tr("max a")}
        for key, pw in self.race_plots.items():
            set_small_title(pw, titles[key])
        self.race_plots["margin"].setToolTip(tr(
            "The logit margin of the target class against the epoch (log axis): a straight line "
            "is growth like log(epoch), without bound; a dashed line is the limit of a run that "
            "converges"))
        self._race_drawn = None

    def _smoothing_shown(self) -> bool:
        num = getattr(self.model, "softmax_numbers", None)
        return bool(num is not None and num.smoothing > 0)

    def _retitle(self, smoothed: bool) -> None:
        tr = i18n.tr
        self.plot_titles[1].setText(tr("a = softmax(z/T), y_ε") if smoothed
                                    else tr("a = softmax(z/T), y"))
        self.plot_titles[2].setText(tr("∂L/∂z = (a − y_ε)/T") if smoothed
                                    else tr("∂L/∂z = (a − y)/T"))
        for title, pw in zip(self.plot_titles[1:], self.plots[1:]):
            pw.setAccessibleName(title.text())
        self._titled_smoothed = smoothed

    def _retranslate_derivation_button(self) -> None:
        shown = self.derivation_button.isChecked()
        self.derivation_button.setText(i18n.tr("Hide derivation") if shown
                                       else i18n.tr("Show derivation"))

    # ------------------------------------------------------------------ intents
    def _show_error(self, message: str | None) -> None:
        self.error_label.setText(message or "")
        self.error_label.setVisible(bool(message))

    def _call(self, fn, *args, **kwargs) -> bool:
        try:
            fn(*args, **kwargs)
        except ValueError as exc:
            self._show_error(i18n.tr_error(exc))
            self.refresh(None)
            return False
        self._show_error(None)
        return True

    def _set_logit(self, i: int, value: float, finished: bool) -> None:
        z = np.array(self.model.softmax_logits)
        z[i] = float(np.clip(value, -LOGIT_LIMIT, LOGIT_LIMIT))
        self._call(self.model.set_softmax_logits, z, finished=finished)

    def _on_bar_dragged(self, i: int, value: float, finished: bool) -> None:
        self._set_logit(i, value, finished)

    def _on_drag_cancelled(self, i: int, start: float) -> None:
        # q's logits (linked) are an undoable edit the model can cancel exactly; the panel's
        # own logits are not, so the dragged one gets its start value back
        if not self.model.cancel_edit():
            self._set_logit(i, start, True)

    def _on_bar_selected(self, i) -> None:
        if i is not None:
            self._call(self.model.set_softmax_focus, i)

    def _on_nudged(self, i: int, step: float) -> None:
        self._set_logit(i, float(self.model.softmax_numbers.panel.z[i]) + step, True)

    def _on_edit_requested(self, _i: int) -> None:
        self.zj_spin.setFocus(Qt.OtherFocusReason)
        self.zj_spin.selectAll()

    def _on_link_toggled(self, checked: bool) -> None:
        self._call(self.model.set_q_logit_mode, checked)

    def _on_count_changed(self, value: int) -> None:
        self._call(self.model.resize_softmax_logits, value)

    def _on_temperature_changed(self, value: float) -> None:
        self._call(self.model.set_softmax_temperature, value)

    def _on_target_changed(self, _index: int) -> None:
        kind = panel_numbers.SOFTMAX_TARGETS[self.target_combo.currentIndex()]
        cls = max(self.class_combo.currentIndex(), 0)
        self._call(self.model.set_softmax_target, kind, cls)

    def _on_focus_changed(self, index: int) -> None:
        if index >= 0:
            self._call(self.model.set_softmax_focus, index)

    def _on_logit_spin_changed(self, value: float) -> None:
        self._set_logit(self.model.softmax_numbers.panel.focus, value, True)

    def _on_smoothing_changed(self, value: float) -> None:
        self._call(self.model.set_softmax_smoothing, float(value))

    def _on_race_toggled(self, checked: bool) -> None:
        self._call(self.model.set_softmax_race, shown=bool(checked))
        if checked:                          # opened: scroll it into view once laid out
            QTimer.singleShot(0, lambda: self.scroll.ensureWidgetVisible(self.race_box, 0, 0))

    def _on_derivation_toggled(self, checked: bool) -> None:
        self.derivation_button.setArrowType(Qt.DownArrow if checked else Qt.RightArrow)
        self.derivation.setVisible(checked)
        self._retranslate_derivation_button()
        if checked:
            self._write_derivation(self.model.softmax_numbers)

    # ------------------------------------------------------------------ redraw
    def refresh(self, change) -> None:
        self._refresh_race()
        num = self.model.softmax_numbers
        if (change is not None and num is self._numbers_drawn
                and not change.touches(m.UNIT, m.LABELS)):
            return                                  # e.g. p moved but y is a one-hot label
        self._numbers_drawn = num
        pn = num.panel
        n = pn.z.size
        if change is None or change.touches(m.LOGITS):
            self._apply_link_colours()
        if self._labels_drawn != num.labels:
            for pw in self.plots:
                pw.set_category_labels(num.labels)
        texts = n <= MAX_VALUE_LABELS
        prec = min(self.model.precision, 3)
        for pw, values in ((self.logit_plot, pn.z), (self.prob_plot, pn.a),
                           (self.grad_plot, pn.grad)):
            pw.set_data(values, [fmt(float(v), prec) for v in values] if texts else None)
        for pw in self.plots:
            pw.set_selected(pn.focus)
        self.prob_plot.set_ghost(pn.y)
        self.prob_plot.set_marks(num.y_raw if num.smoothing > 0 else None)
        if (num.smoothing > 0) != getattr(self, "_titled_smoothed", None):
            self._retitle(num.smoothing > 0)
        self.grad_plot.set_marks(pn.grad_numeric)
        if self.logit_plot.dragging is None:
            # not during a drag: the value under the pointer follows the scale it started on;
            # other logits (linked to q or not, another count): a scale of their own
            fit = (num.linked, n)
            current = self.logit_plot.value_axis if fit == self._logits_fitted else None
            self._logits_fitted = fit
            self.logit_plot.set_value_axis(*fit_value_range(
                pn.z, current, pad=0.25, min_span=2.0, too_wide=2.5))
        self.grad_plot.set_value_axis(*fit_value_range(
            np.append(pn.grad, pn.grad_numeric[np.isfinite(pn.grad_numeric)]),
            self.grad_plot.value_axis, pad=0.25, min_span=GRAD_MIN_SPAN, outlier_factor=np.inf,
            too_wide=2.5))
        self._write_readouts(num)
        if self.derivation.isVisible():
            self._write_derivation(num)
        self._sync_controls(num)
        if change is None or change.finished:
            for pw in self.plots:
                pw.setAccessibleDescription(pw.accessible_summary(prec))
        self._labels_drawn = num.labels

    def _write_readouts(self, num) -> None:
        tr = i18n.tr
        pn = num.panel
        prec = self.model.precision
        if num.smoothing > 0:
            self.loss_label.setText(tr("Loss L = −Σ y_ε,j ln a_j = {loss} nats (ε = {eps})").format(
                loss=fmt(pn.loss, prec), eps=fmt_sig(num.smoothing, 3)))
        else:
            self.loss_label.setText(tr("Loss L = −Σ y_j ln a_j = {loss} nats").format(
                loss=fmt(pn.loss, prec)))
        y = "y_ε" if num.smoothing > 0 else "y"
        split = tr("CE = H({y}) + D_KL({y} ‖ a) = {h} + {kl}").format(
            y=y, h=fmt(num.entropy_y, prec), kl=fmt(num.kl, prec))
        if num.entropy_y == 0:
            split += " " + tr("(one-hot y: H(y) = 0, so CE = KL; only an infinite logit margin "
                              "makes it 0)")
        elif num.smoothing > 0 and math.isfinite(num.optimal_margin):
            split += " " + tr("(smoothed: CE ≥ H(y_ε) > 0, smallest at the margin "
                              "ln(1 + K(1 − ε)/ε) = {margin})").format(
                margin=fmt(num.optimal_margin, prec))
        self.split_label.setText(split)
        ok = pn.fd_error < 1e-6
        if pn.fd_checked == pn.z.size:
            text = tr("Finite-difference check: max |analytic − numeric| over j = {err} {mark}")
        else:
            text = tr("Finite-difference check: max |analytic − numeric| = {err} {mark} "
                      "(the {k} largest of {n} gradients checked)")
        self.fd_label.setText(text.format(err=fmt_sig(pn.fd_error, 2), mark="✓" if ok else "✗",
                                          k=pn.fd_checked, n=pn.z.size))
        sheet = "" if ok else f"color: {theme.current().warning};"
        if self.fd_label.styleSheet() != sheet:             # a style sheet re-polishes: ~1 ms
            self.fd_label.setStyleSheet(sheet)
        if num.fallback:
            self.note_label.setText(tr(
                "p has {p_n} categories but there are {m} logits, so y is the one-hot "
                "target of {label}.").format(p_n=num.p_size, m=pn.z.size,
                                             label=num.labels[num.target_class]))
            self.note_label.show()
        else:
            self.note_label.hide()

    def _write_derivation(self, num) -> None:
        tr = i18n.tr
        pn = num.panel
        j = pn.focus
        lab = num.labels
        prec = max(self.model.precision, 3)
        f = lambda v: fmt(v, prec)  # noqa: E731
        t = pn.temperature
        over_t = "" if t == 1 else " / T"
        aj, yj = float(pn.a[j]), float(pn.y[j])
        lines = [
            tr("For j = {label}: ∂L/∂z_j = −Σ_q (y_q / a_q) · ∂a_q/∂z_j, and the softmax "
               "derivative has two cases:").format(label=lab[j]),
            tr("• q = j: ∂a_j/∂z_j = a_j(1 − a_j){over_t} = {aj} × (1 − {aj}){over_t} = {value}").format(
                over_t=over_t, aj=f(aj), value=f(pn.jac_column[j])),
        ]
        others = [q for q in range(pn.z.size) if q != j]
        terms = [tr("{label}: −{aq} × {aj}{over_t} = {value}").format(
            label=lab[q], aq=f(pn.a[q]), aj=f(aj), over_t=over_t, value=f(pn.jac_column[q]))
            for q in others[:MAX_DERIVATION_TERMS]]
        if len(others) > MAX_DERIVATION_TERMS:
            terms.append("…")
        lines.append(tr("• q ≠ j: ∂a_q/∂z_j = −a_q a_j{over_t}; here {terms}").format(
            over_t=over_t, terms="; ".join(terms)))
        lines.append(tr("Putting them together: ∂L/∂z_j = [−y_j(1 − a_j) + a_j Σ_(q≠j) y_q]{over_t} "
                        "= [−{yj} × (1 − {aj}) + {aj} × (1 − {yj})]{over_t} = (a_j − y_j){over_t} "
                        "= ({aj} − {yj}){over_t} = <b>{grad}</b>").format(
            over_t=over_t, yj=f(yj), aj=f(aj), grad=f(pn.grad[j])))
        if t != 1:
            lines.append(tr("With temperature T = {t} every term is divided by T.").format(t=fmt(t, 2)))
        self.derivation.setText("<br>".join(lines))

    def _sync_controls(self, num) -> None:
        pn = num.panel
        n = pn.z.size
        with QSignalBlocker(self.link_check):
            self.link_check.setChecked(num.linked)
        with QSignalBlocker(self.count_spin):
            self.count_spin.setRange(m.MIN_CATEGORIES, max(panel_numbers.MAX_SOFTMAX_LOGITS, n))
            self.count_spin.setValue(n)
        self.count_spin.setEnabled(not num.linked)
        with QSignalBlocker(self.t_spin):
            self.t_spin.setValue(pn.temperature)
        if self._labels_drawn != num.labels:
            for combo in (self.class_combo, self.j_combo):
                with QSignalBlocker(combo):
                    combo.clear()
                    combo.addItems(list(num.labels))
        with QSignalBlocker(self.target_combo):
            self.target_combo.setCurrentIndex(panel_numbers.SOFTMAX_TARGETS.index(num.target))
        with QSignalBlocker(self.class_combo):
            self.class_combo.setCurrentIndex(num.target_class)
        self.class_combo.setEnabled(num.target_used == "onehot")
        with QSignalBlocker(self.j_combo):
            self.j_combo.setCurrentIndex(pn.focus)
        with QSignalBlocker(self.zj_spin):
            self.zj_spin.setValue(float(pn.z[pn.focus]))
        set_spin(self.eps_spin, num.smoothing)

    # ------------------------------------------------------------------ logit growth
    @property
    def scroll(self):
        """The scroll area the dock base put around the panel."""
        return self.widget()

    def _refresh_race(self) -> None:
        model = self.model
        settings = model.softmax_settings
        shown = settings.race_shown
        if self.race_button.isChecked() != shown:
            with QSignalBlocker(self.race_button):
                self.race_button.setChecked(shown)
        self.race_button.setArrowType(Qt.DownArrow if shown else Qt.RightArrow)
        if self.race_box.isHidden() == shown:
            self.race_box.setVisible(shown)
        if not shown:
            return
        controls = (settings.race_losses, settings.race_lr, settings.race_epochs)
        if controls != getattr(self, "_race_controls", None):
            self._race_controls = controls
            self.race_losses.set_pair(settings.race_losses)
            set_spin(self.race_lr_spin, settings.race_lr)
            set_spin(self.race_epochs_spin, min(settings.race_epochs, RACE_EPOCHS_UI))
        race = model.softmax_race
        key = (race, model.softmax_race_stale)
        if key == self._race_drawn:
            return
        self._race_drawn = key
        self._draw_race(race, settings, model.softmax_race_stale)

    def _draw_race(self, race, settings, stale: bool) -> None:
        tr = i18n.tr
        th = theme.current()
        pair = settings.race_losses
        colours = loss_style.run_colours(pair)
        names = [loss_style.spec_label(spec) for spec in pair]
        runs = list(race.runs)
        ep = np.arange(1, race.runs[runs[0]].epochs + 1, dtype=float)
        for slot, run in enumerate(runs):
            h = race.runs[run]
            pen = loss_style.pen(pair[slot][0], 2.0, colours[slot])
            for key in RACE_SERIES:
                item = self.race_curves[key, slot]
                item.setPen(pen)
                item.setData(ep, np.asarray(getattr(h, key))[1:])
            limit = race.limit_margin[run]
            line = self.race_limits[slot]
            if math.isfinite(limit):
                line.setPen(theme.pen(colours[slot], 1.5, style=Qt.DashLine))
                line.setValue(limit)
                line.show()
            else:
                line.hide()
        self.race_plots["a_max"].setYRange(0, 1.02, padding=0)
        for pw in self.race_plots.values():
            pw.getPlotItem().enableAutoRange(x=True, y=pw is not self.race_plots["a_max"])
        self.race_legend.setText(tr("against the epoch (log axis):") + "&nbsp;&nbsp;" + legend_html(
            [(colours[i], loss_style.symbol(pair[i][0]), names[i]) for i in range(2)]
            + [(th.foreground, "┄", tr("limit margin"))]))
        parts = []
        e = race.runs[runs[0]].epochs
        for slot, run in enumerate(runs):
            h = race.runs[run]
            limit = race.limit_margin[run]
            common = dict(run=names[slot], e=e, m=fmt(float(h.margin[-1]), 4),
                          loss=fmt_sig(float(h.loss[-1]), 3), a=fmt(float(h.a_max[-1]), 4))
            if math.isinf(limit):
                text = tr("<b>{run}</b>: margin {m} after {e} epochs and still growing like "
                          "log(epoch); loss {loss} > 0.").format(**common)
            elif math.isfinite(limit):
                text = tr("<b>{run}</b>: margin {m} → limit {limit} (dashed); loss {loss}.").format(
                    limit=fmt(limit, 4), **common)
            else:
                text = tr("<b>{run}</b>: margin {m} after {e} epochs; loss {loss}.").format(
                    **common)
            parts.append(text)
        if stale:
            parts.append(tr("(updates when you release the logit)"))
        self.race_summary.setText(" ".join(parts))
