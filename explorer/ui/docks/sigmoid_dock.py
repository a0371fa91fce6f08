"""``sigmoidDock``: one sigmoid neuron a = σ(z), z = wx + b — σ and σ′, the losses of the family
(MSE and CE by default; focal with its γ, hinge, smoothed CE with its ε) and their gradients over
z, a draggable z marker with readouts (each gradient next to cross-entropy's), the saturated
regions where σ′ is below 1 % of its peak, and the training race's neurons as moving markers.

Every plot says what its colours are in a legend row above it (static labels: the z marker never
crosses a legend, and a drag repaints no legend).  Everything drawn comes from
``model.sigmoid_numbers`` (computed once per change by the model); user gestures become model
commands (``set_z_marker``, ``set_sigmoid_input``, ``set_sigmoid_loss_shown``, …).
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QGridLayout, QHBoxLayout, QLabel, QSlider,
                               QSplitter, QVBoxLayout, QWidget)

from explorer import i18n
from explorer.model import app_model as m
from explorer.model import panel_numbers
from explorer.ui import loss_style, theme
from explorer.ui.controls import spin
from explorer.ui.docks.base import ExplorerDock
from explorer.ui.docks.panel_common import MarkerLine, PanelBody, cache_static_items, fmt_sig
from explorer.ui.widgets.plots import make_plot, style_plot
from explorer.ui.widgets.training_common import Dot, LiveText, legend_html, legend_label

LOSSES = loss_style.LOSS_NAMES
#: the marker readouts: a, σ′, 1/σ′, then per loss L, ∂L/∂w, ∂L/∂z and ∂L/∂z ÷ CE's
READOUT_KEYS = ("a", "dsigma", "ratio") + tuple(
    f"{key}_{loss}" for loss in LOSSES for key in ("loss", "grad_w", "grad_z", "vs_ce"))
#: the γ and ε sliders: integer steps of these sizes
GAMMA_STEP, EPS_STEP = 0.1, 0.01


def _finite_or_nan(values: np.ndarray) -> np.ndarray:
    """|values| for a log axis, with exact zeros (underflow, x = 0) left out of the curve."""
    out = np.abs(values)
    return np.where(out > 0, out, np.nan)


class SigmoidDock(ExplorerDock):
    OBJECT_NAME = "sigmoidDock"
    TITLE = "Sigmoid and its gradient"
    KINDS = frozenset({m.SIGMOID, m.TRAINING_PARAMS, m.TRAINING_PROGRESS})

    # ------------------------------------------------------------------ build
    def build(self) -> None:
        body = PanelBody(480, 600)
        outer = QVBoxLayout(body)
        outer.setContentsMargins(4, 4, 4, 4)
        outer.setSpacing(3)

        # --- controls ---------------------------------------------------------------
        grid = QGridLayout()
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(2)
        self.z_label = QLabel()
        self.z_spin = spin(-10, 10, 0.1, 2, "zSpin")
        self.x_label = QLabel()
        self.x_spin = spin(-10, 10, 0.1, 2, "xSpin")
        self.y_label = QLabel()
        self.y_combo = QComboBox(objectName="yCombo")
        self.y_combo.addItems(["0", "1"])
        self.wrt_label = QLabel()
        self.wrt_combo = QComboBox(objectName="wrtCombo")
        self.wrt_combo.addItems(["∂L/∂w", "∂L/∂z"])
        self.range_label = QLabel()
        self.lo_spin = spin(-panel_numbers.Z_LIMIT, panel_numbers.Z_LIMIT, 1, 1, "zMinSpin")
        self.to_label = QLabel()
        self.hi_spin = spin(-panel_numbers.Z_LIMIT, panel_numbers.Z_LIMIT, 1, 1, "zMaxSpin")
        self.log_check = QCheckBox(objectName="logCheck")
        for label, w in ((self.z_label, self.z_spin), (self.x_label, self.x_spin),
                         (self.y_label, self.y_combo), (self.range_label, self.lo_spin),
                         (self.to_label, self.hi_spin), (self.wrt_label, self.wrt_combo)):
            label.setBuddy(w)
        # short rows so the dock stays narrow (≈ 360 px) on small screens
        grid.addWidget(self.z_label, 0, 0, Qt.AlignRight)
        grid.addWidget(self.z_spin, 0, 1)
        grid.addWidget(self.x_label, 0, 2, Qt.AlignRight)
        grid.addWidget(self.x_spin, 0, 3)
        grid.addWidget(self.y_label, 0, 4, Qt.AlignRight)
        grid.addWidget(self.y_combo, 0, 5)
        grid.addWidget(self.log_check, 0, 6)
        grid.addWidget(self.range_label, 1, 0, Qt.AlignRight)
        grid.addWidget(self.lo_spin, 1, 1)
        grid.addWidget(self.to_label, 1, 2, Qt.AlignRight)
        grid.addWidget(self.hi_spin, 1, 3)
        grid.addWidget(self.wrt_label, 1, 4, Qt.AlignRight)
        grid.addWidget(self.wrt_combo, 1, 5)
        grid.setColumnStretch(7, 1)
        outer.addLayout(grid)
        # the losses to draw; focal's γ and smoothed CE's ε beside their boxes while drawn
        row = QHBoxLayout()
        row.setSpacing(4)
        self.losses_label = QLabel()
        row.addWidget(self.losses_label)
        self.loss_checks: dict[str, QCheckBox] = {}
        self.gamma_label, self.gamma_value = QLabel(), QLabel(objectName="gammaValue")
        self.gamma_slider = QSlider(Qt.Horizontal, objectName="gammaSlider")
        self.gamma_slider.setRange(0, round(panel_numbers.GAMMA_RANGE[1] / GAMMA_STEP))
        self.eps_label, self.eps_value = QLabel(), QLabel(objectName="epsValue")
        self.eps_slider = QSlider(Qt.Horizontal, objectName="epsSlider")
        self.eps_slider.setRange(0, round(panel_numbers.SMOOTHING_RANGE[1] / EPS_STEP))
        self.param_widgets = {"focal": (self.gamma_label, self.gamma_slider, self.gamma_value),
                              "smoothed_ce": (self.eps_label, self.eps_slider, self.eps_value)}
        for loss in LOSSES:
            box = QCheckBox(objectName=f"lossCheck_{loss}")
            box.toggled.connect(lambda on, name=loss: self._on_loss_toggled(name, on))
            self.loss_checks[loss] = box
            row.addWidget(box)
            if loss in self.param_widgets:
                label, slider, value = self.param_widgets[loss]
                label.setBuddy(slider)
                slider.setMinimumWidth(50)
                slider.setMaximumWidth(90)
                slider.setPageStep(5)
                value.setMinimumWidth(value.fontMetrics().horizontalAdvance("10.0") + 2)
                for w in (label, slider, value):
                    w.hide()
                    row.addWidget(w)
                row.addSpacing(4)
        row.addStretch(1)
        outer.addLayout(row)
        self.gamma_slider.valueChanged.connect(self._on_gamma_moved)
        self.gamma_slider.sliderReleased.connect(lambda: self._on_gamma_moved(
            self.gamma_slider.value(), True))
        self.eps_slider.valueChanged.connect(self._on_eps_moved)
        self.eps_slider.sliderReleased.connect(lambda: self._on_eps_moved(
            self.eps_slider.value(), True))

        # --- plots (x-linked, resizable), each with its legend row above ---------------
        self.act_plot = make_plot()
        self.loss_plot = make_plot()
        self.grad_plot = make_plot()
        self.plots = (self.act_plot, self.loss_plot, self.grad_plot)
        self.plot = self.act_plot        # "the" plot of this dock for callers that expect one
        for pw in self.plots:
            pw.setMinimumSize(160, 70)
            pi = pw.getPlotItem()
            pi.getViewBox().setDefaultPadding(0.02)
            pi.getAxis("left").setWidth(46)
        for pw in self.plots[1:]:
            pw.getPlotItem().setXLink(self.act_plot.getPlotItem())
        for pw in self.plots[:2]:                 # x tick labels only on the bottom plot
            axis = pw.getPlotItem().getAxis("bottom")
            axis.setStyle(showValues=False)
            axis.setHeight(4)
        self.act_plot.getPlotItem().enableAutoRange(x=False, y=False)
        for pw in self.plots[1:]:
            pw.getPlotItem().enableAutoRange(x=False, y=True)
        # what the colours mean: a static row above each plot (a legend inside a plot sat
        # where the z marker passes, and repainted with it)
        # (the gradient plot below the loss plot shares its colours and dashes: one row says
        # what both show)
        self.act_legend, self.loss_legend = legend_label(), legend_label()
        self.act_legend.setObjectName("actLegend")
        self.loss_legend.setObjectName("lossLegend")

        self.region_items: list[pg.LinearRegionItem] = []
        self.region_labels: list[pg.TextItem] = []
        for _ in range(2):
            region = pg.LinearRegionItem(movable=False)
            region.setZValue(-20)
            label = pg.TextItem(anchor=(0.5, 0.5))
            self.act_plot.addItem(region)
            self.act_plot.addItem(label, ignoreBounds=True)
            self.region_items.append(region)
            self.region_labels.append(label)
        self.sigma_curve = self.act_plot.plot([], [])
        self.dsigma_curve = self.act_plot.plot([], [])
        self.loss_curves = {loss: self.loss_plot.plot([], []) for loss in LOSSES}
        self.grad_curves = {loss: self.grad_plot.plot([], []) for loss in LOSSES}
        # the names the tests and older callers use
        self.mse_loss_curve, self.ce_loss_curve = self.loss_curves["mse"], self.loss_curves["ce"]
        self.mse_grad_curve, self.ce_grad_curve = self.grad_curves["mse"], self.grad_curves["ce"]

        # marker: one line per plot, all driven by model.z_marker
        self.markers: list[MarkerLine] = []
        for pw in self.plots:
            line = MarkerLine()
            line.setZValue(20)
            line.sigIntent.connect(self._on_marker_dragged)
            pw.addItem(line, ignoreBounds=True)
            self.markers.append(line)
        self.marker = self.markers[0]
        # dots where the marker crosses each curve, and the race's neurons: markers whose move
        # is a setPos (a ScatterPlotItem per dot ran ~0.3 ms of Python in every paint, a dozen
        # of them per γ or z move); ignoreBounds: a moving dot never changes an auto range
        def dots(pw, keys, radius, symbol="o", z=25):
            out = {}
            for key in keys:
                item = Dot(radius, symbol)
                item.setZValue(z)
                item.hide()
                pw.addItem(item, ignoreBounds=True)
                out[key] = item
            return out

        self.act_dots = dots(self.act_plot, ("a", "dsigma"), 4.0)
        self.loss_dots = dots(self.loss_plot, LOSSES, 4.0)
        self.grad_dots = dots(self.grad_plot, LOSSES, 4.0)

        # training race markers (read from model.histories), one per run
        self.race_dots = dots(self.act_plot, (0, 1), 6.5, symbol="d", z=30)
        self.race_labels = {run: pg.TextItem(anchor=(0.0, 1.0)) for run in (0, 1)}
        for item in self.race_labels.values():
            item.setZValue(30)
            self.act_plot.addItem(item, ignoreBounds=True)

        splitter = QSplitter(Qt.Vertical, objectName="sigmoidSplitter")
        splitter.setChildrenCollapsible(False)
        for legend, pw in zip((self.act_legend, self.loss_legend, None), self.plots):
            if legend is None:
                splitter.addWidget(pw)
                continue
            box = QWidget()
            lay = QVBoxLayout(box)
            lay.setContentsMargins(0, 0, 0, 0)
            lay.setSpacing(0)
            lay.addWidget(legend)
            lay.addWidget(pw, 1)
            splitter.addWidget(box)
        outer.addWidget(splitter, 1)

        # --- readouts -----------------------------------------------------------------
        # texts that change on every move: boxes that never re-lay out the dock (LiveText)
        self.headline = LiveText("sigmoidHeadline", rich=True)
        self.readout = self.headline     # the one-line summary, as before the rewrite
        self.headline.set_minimum_lines(2)
        outer.addWidget(self.headline)
        table = QGridLayout()
        table.setHorizontalSpacing(10)
        table.setVerticalSpacing(0)
        self.names: dict[str, QLabel] = {}
        self.value_labels: dict[str, QLabel] = {}
        for key in READOUT_KEYS:
            label = QLabel(objectName=f"value_{key}")
            label.setTextInteractionFlags(Qt.TextSelectableByMouse)
            # wide enough for typical numbers: a drag then changes texts, not the layout
            # (a relayout would repaint the whole dock, plots included, on every move)
            label.setMinimumWidth(label.fontMetrics().horizontalAdvance("−0.000000") + 4)
            self.value_labels[key] = label
        for key in ("a", "dsigma", "ratio", "loss", "grad_w", "grad_z", "vs_ce", *LOSSES):
            self.names[key] = QLabel()
        # a small table (columns loss, ∂L/∂w, ∂L/∂z, ÷ CE; one row per loss shown), then a,
        # σ′ and 1/σ′
        columns = ("loss", "grad_w", "grad_z", "vs_ce")
        for col, key in enumerate(columns, start=1):
            table.addWidget(self.names[key], 0, col)
        self.table_rows: dict[str, list[QLabel]] = {}
        for row, loss in enumerate(LOSSES, start=1):
            table.addWidget(self.names[loss], row, 0)
            cells = [self.names[loss]]
            for col, key in enumerate(columns, start=1):
                table.addWidget(self.value_labels[f"{key}_{loss}"], row, col)
                cells.append(self.value_labels[f"{key}_{loss}"])
            self.table_rows[loss] = cells
        self.value_labels["vs_ce_ce"].setText("1")
        for col, key in enumerate(("a", "dsigma", "ratio")):
            cell = QHBoxLayout()
            cell.setSpacing(4)
            cell.addWidget(self.names[key])
            cell.addWidget(self.value_labels[key])
            cell.addStretch(1)
            table.addLayout(cell, len(LOSSES) + 1, col + 1)
        table.setColumnStretch(5, 1)
        outer.addLayout(table)
        self.race_label = LiveText("raceLabel")
        outer.addWidget(self.race_label)
        self.error_label = QLabel(objectName="sigmoidError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        outer.addWidget(self.error_label)
        self.setWidget(body)

        # --- intents ------------------------------------------------------------------
        self.z_spin.valueChanged.connect(self._on_z_spin_changed)
        self.x_spin.valueChanged.connect(self._on_x_changed)
        self.y_combo.currentIndexChanged.connect(self._on_y_changed)
        self.wrt_combo.currentIndexChanged.connect(self._on_wrt_changed)
        self.lo_spin.valueChanged.connect(self._on_range_changed)
        self.hi_spin.valueChanged.connect(self._on_range_changed)
        self.log_check.toggled.connect(self._on_log_toggled)

        cache_static_items(self.act_plot, (self.sigma_curve, self.dsigma_curve))
        cache_static_items(self.loss_plot, tuple(self.loss_curves.values()))
        cache_static_items(self.grad_plot, tuple(self.grad_curves.values()))
        self._drawn_curves = None
        self._drawn_losses = None
        self._drawn_grad = None
        # what each curve item shows now: a γ or ε drag changes one loss of the family, and
        # setting the other curves again would throw away their pixmap caches every move
        self._curve_data = {}
        self._drawn_rows = None
        self._legend_key = None
        self.apply_theme()

    def apply_theme(self) -> None:
        th = theme.current()
        for pw in self.plots:
            style_plot(pw, grid=(True, True))
        self.sigma_curve.setPen(theme.pen(th.p, 2.5))
        self.dsigma_curve.setPen(theme.pen(th.accent, 2.5))
        for loss in LOSSES:
            self.loss_curves[loss].setPen(loss_style.pen(loss))
            self.grad_curves[loss].setPen(loss_style.pen(loss))
        for region, label in zip(self.region_items, self.region_labels):
            region.setBrush(theme.brush(th.warning, 28))
            for line in region.lines:
                line.setPen(theme.pen(th.warning, 1, style=Qt.DashLine))
            label.setColor(th.warning)
        for line in self.markers:
            line.setPen(theme.pen(th.foreground, 1.5))
            line.setHoverPen(theme.pen(th.accent, 3))
        colours = {"a": th.p, "dsigma": th.accent, **{loss: loss_style.colour(loss)
                                                      for loss in LOSSES}}
        for group in (self.act_dots, self.loss_dots, self.grad_dots):
            for key, item in group.items():
                item.set_colours(colours[key], th.background)
        self._race_colours = None              # _draw_race sets the runs' colours
        self.error_label.setStyleSheet(f"color: {th.warning};")
        for loss in LOSSES:
            self.names[loss].setStyleSheet(f"color: {loss_style.colour(loss)};")
        self._legend_key = None

    # ------------------------------------------------------------------ texts
    def retranslate(self) -> None:
        super().retranslate()
        tr = i18n.tr
        self.z_label.setText(tr("&z:"))
        self.z_spin.setToolTip(tr("Position of the z marker (you can also drag the vertical line)"))
        self.x_label.setText(tr("&x:"))
        self.x_spin.setToolTip(tr("The neuron's input x in z = wx + b; ∂L/∂w is x times ∂L/∂z"))
        self.y_label.setText(tr("target &y:"))
        self.y_combo.setToolTip(tr("The label the neuron should output (0 or 1)"))
        self.wrt_label.setText(tr("&gradient:"))
        self.wrt_combo.setToolTip(tr("Plot the gradient with respect to the weight w or to z"))
        self.range_label.setText(tr("z fro&m:"))
        self.lo_spin.setToolTip(tr("Left end of the z axis"))
        self.to_label.setText(tr("t&o:"))
        self.hi_spin.setToolTip(tr("Right end of the z axis"))
        self.log_check.setText(tr("log scale for |grad&ient|"))
        self.log_check.setToolTip(tr("Show gradient magnitudes on a logarithmic axis: the "
                                     "vanishing MSE gradient becomes a straight drop"))
        self.losses_label.setText(tr("draw:"))
        tips = {
            "mse": tr("Mean squared error ½(a − y)²: its gradient carries σ′(z) and vanishes "
                      "where the sigmoid saturates"),
            "ce": tr("Cross-entropy −[y ln a + (1 − y) ln(1 − a)]: gradient a − y, no σ′"),
            "focal": tr("Focal loss −(1 − p_t)^γ ln p_t (p_t = a for y = 1, 1 − a for y = 0): "
                        "cross-entropy down-weighted where the neuron is already right"),
            "hinge": tr("Hinge loss max(0, 1 − (2y − 1)z) on the logit: zero once the margin "
                        "is 1, a constant gradient inside it"),
            "smoothed_ce": tr("Cross-entropy to the smoothed target y(1 − ε) + ε/2: smallest at "
                              "a finite z, so it never asks for an infinite logit"),
        }
        for loss, box in self.loss_checks.items():
            box.setText(loss_style.short_name(loss))
            box.setToolTip(tips[loss])
        self.gamma_label.setText("γ")
        self.gamma_slider.setToolTip(tr("Focal γ (0 to 10): (1 − p_t)^γ down-weights samples "
                                        "that are already right; γ = 0 is cross-entropy"))
        self.eps_label.setText("ε")
        self.eps_slider.setToolTip(tr("Label smoothing ε (0 to 0.5) of the smoothed-CE curve: "
                                      "the target becomes y(1 − ε) + ε/2"))
        tip = tr("Drag to move z (right-click or Esc cancels the drag)")
        for line in self.markers:
            line.setToolTip(tip)
        self.act_plot.getPlotItem().setLabel("left", tr("activation"))
        self.loss_plot.getPlotItem().setLabel("left", tr("loss"))
        self.grad_plot.getPlotItem().setLabel("bottom", "z")
        for label in self.region_labels:
            label.setText(tr("saturated"))
        for region in self.region_items:
            region.setToolTip(tr("Saturated: σ′(z) is below 1 % of its peak 0.25, so the MSE "
                                 "gradient (which carries the factor σ′) almost vanishes"))
        self.act_plot.setToolTip(tr("σ(z) and its slope σ′(z) = σ(z)(1 − σ(z))"))
        self.loss_plot.setToolTip(tr("Loss against z of each loss drawn (the legend above names "
                                     "them; hover the check boxes for the formulas)"))
        self.grad_plot.setToolTip(tr("Gradient of each loss drawn against z: MSE's carries σ′(z) "
                                     "and vanishes where σ saturates; cross-entropy's is (a − y)·x"))
        self.names["a"].setText("a =")
        self.names["dsigma"].setText("σ′ =")
        self.names["ratio"].setText("1/σ′ =")
        self.names["ratio"].setToolTip(tr("CE gradient / MSE gradient = 1/σ′(z)"))
        for loss in LOSSES:
            self.names[loss].setText(f"<b>{loss_style.short_name(loss)}</b>")
        self.names["loss"].setText(tr("loss"))
        self.names["grad_w"].setText("∂L/∂w")
        self.names["grad_z"].setText("∂L/∂z")
        self.names["vs_ce"].setText(tr("÷ CE"))
        self.names["vs_ce"].setToolTip(tr("This loss's gradient divided by cross-entropy's "
                                          "(MSE: σ′(z), the vanishing factor)"))
        self._legend_key = None

    def _update_legends(self, num) -> None:
        key = (num.losses, tuple(sorted((k, tuple(v.items())) for k, v in num.params.items())),
               num.grad_wrt, num.log_scale, i18n.language())
        if key == self._legend_key:
            return
        self._legend_key = key
        tr = i18n.tr
        th = theme.current()
        self.act_legend.setText(legend_html([(th.p, "━", "σ(z)"), (th.accent, "━", "σ′(z)")]))

        def name(loss):
            p = num.params.get(loss, {})
            if loss == "mse":
                return tr("MSE ½(a − y)²")
            if loss == "focal":
                return tr("focal γ = {gamma}").format(gamma=fmt_sig(p["gamma"], 3))
            if loss == "smoothed_ce":
                return tr("smoothed CE ε = {eps}").format(eps=fmt_sig(p["eps"], 3))
            return loss_style.short_name(loss)

        entries = [(loss_style.colour(loss), loss_style.symbol(loss), name(loss))
                   for loss in num.losses]
        grad = "∂L/∂w" if num.grad_wrt == "w" else "∂L/∂z"
        if num.log_scale:
            grad = f"|{grad}|"
        self.loss_legend.setText(tr("loss and {grad} below:").format(grad=grad) + "&nbsp;&nbsp;"
                                 + legend_html(entries) if entries
                                 else tr("no loss chosen: tick one above"))

    # ------------------------------------------------------------------ intents
    def show_error(self, message: str | None) -> None:
        self.error_label.setText(message or "")
        self.error_label.setVisible(bool(message))

    def _on_marker_dragged(self, value: float, finished: bool) -> None:
        lo, hi = self.model.sigmoid_z_range
        self.attempt(self.model.set_z_marker, float(np.clip(value, lo, hi)), finished=finished,
                     restore=True)

    def _on_z_spin_changed(self, value: float) -> None:
        self.attempt(self.model.set_z_marker, value, restore=True)

    def _on_x_changed(self, value: float) -> None:
        self.attempt(self.model.set_sigmoid_input, x=value, restore=True)

    def _on_y_changed(self, index: int) -> None:
        self.attempt(self.model.set_sigmoid_input, y=index, restore=True)

    def _on_wrt_changed(self, index: int) -> None:
        self.attempt(self.model.set_sigmoid_grad_wrt, panel_numbers.GRAD_WRT[index], restore=True)

    def _on_loss_toggled(self, loss: str, on: bool) -> None:
        self.attempt(self.model.set_sigmoid_loss_shown, loss, bool(on), restore=True)

    def _on_gamma_moved(self, value: int, released: bool = False) -> None:
        finished = released or not self.gamma_slider.isSliderDown()
        self.attempt(self.model.set_sigmoid_loss_params, gamma=round(value * GAMMA_STEP, 10),
                   finished=finished, restore=True)

    def _on_eps_moved(self, value: int, released: bool = False) -> None:
        finished = released or not self.eps_slider.isSliderDown()
        self.attempt(self.model.set_sigmoid_loss_params, eps=round(value * EPS_STEP, 10),
                   finished=finished, restore=True)

    def _on_range_changed(self, _value: float) -> None:
        lo, hi = self.lo_spin.value(), self.hi_spin.value()
        try:
            self.model.set_sigmoid_z_range(lo, hi)
        except ValueError:
            # the model's message names its field; the user gets one in their language
            self.show_error(i18n.tr("z axis: “from” must be below “to” by at least {span}, got "
                                     "{lo:g} to {hi:g}; the range was not changed.").format(
                span=panel_numbers.MIN_SPAN, lo=lo, hi=hi))
            self.refresh(None)
        else:
            self.show_error(None)

    def _on_log_toggled(self, checked: bool) -> None:
        self.attempt(self.model.set_sigmoid_log_scale, checked, restore=True)

    # ------------------------------------------------------------------ redraw
    def refresh(self, change) -> None:
        if change is not None and not change.touches(m.SIGMOID):
            # a race frame (or its parameters): only the two race markers and their sentence
            # move; the curves, the marker and its numbers are those already drawn, and
            # setting the marker's dots again would repaint all three plots every frame
            self._draw_race()
            return
        num = self.model.sigmoid_numbers
        # while a slider or the marker is dragged the value axes hold (they only grow to keep
        # every curve in view): a new axis every move re-lays out and repaints the ticks
        holding = change is not None and not change.finished
        self._hold_value_axes(holding)
        if num.curves is not self._drawn_curves:
            self._draw_curves(num)
        if num.loss_curves is not self._drawn_losses:
            self._draw_losses(num)
        drawn = self._drawn_grad
        if drawn is None or drawn[0] is not num.loss_curves or drawn[1:] != (num.log_scale,
                                                                                num.grad_wrt):
            self._draw_gradients(num)
        if holding:
            self._grow_value_axes()
        if self._drawn_rows != num.losses:
            self._show_rows(num)
        self._update_legends(num)
        self._draw_marker(num)
        self._draw_race()
        self._sync_controls(num)

    def _hold_value_axes(self, hold: bool) -> None:
        for pw in self.plots[1:]:
            pi = pw.getPlotItem()
            auto = bool(pi.getViewBox().autoRangeEnabled()[1])
            if hold and auto:
                pi.enableAutoRange(y=False)
            elif not hold and not auto:
                pi.enableAutoRange(y=True)          # the finished edit fits them again

    def _grow_value_axes(self) -> None:
        for pw in self.plots[1:]:
            vb = pw.getPlotItem().getViewBox()
            (_x, (lo, hi)) = vb.viewRange()
            bounds = vb.childrenBounds()[1]
            if bounds is None:
                continue
            b_lo, b_hi = float(bounds[0]), float(bounds[1])
            if np.isfinite(b_lo) and np.isfinite(b_hi) and (b_lo < lo or b_hi > hi):
                pad = 0.05 * (max(hi, b_hi) - min(lo, b_lo))
                vb.setYRange(min(lo, b_lo - pad), max(hi, b_hi + pad), padding=0)

    def _draw_curves(self, num) -> None:
        c = num.curves
        lo, hi = num.z_range
        self.sigma_curve.setData(c.z, c.a)
        self.dsigma_curve.setData(c.z, c.dsigma)
        self.act_plot.getPlotItem().setXRange(lo, hi, padding=0.01)
        self.act_plot.getPlotItem().setYRange(-0.03, 1.08, padding=0)
        for i, (region, label) in enumerate(zip(self.region_items, self.region_labels)):
            if i < len(num.saturated):
                a, b = num.saturated[i]
                region.setRegion((a, b))
                label.setPos((a + b) / 2, 0.28)      # σ is near 0 or 1 there: free space
                region.show()
                label.show()
            else:
                region.hide()
                label.hide()
        self._drawn_curves = c

    def _draw_losses(self, num) -> None:
        z = num.curves.z
        for loss, item in self.loss_curves.items():
            values = num.loss_curves.get(loss)
            if values is None:
                self._set_curve(item, None)
                item.hide()
            else:
                self._set_curve(item, (z, values.loss))
                item.show()
        self._drawn_losses = num.loss_curves

    def _set_curve(self, item, data, tag=None, **opts) -> None:
        """``item.setData(*data, **opts)`` unless it already shows exactly that, drawn the same
        way (*tag*: e.g. the log mode); None: empty."""
        old = self._curve_data.get(id(item))
        if old is not None and data is not None and old[0] is not None \
                and old[1] == (tag, opts) and all(
                a is b or np.array_equal(a, b, equal_nan=True) for a, b in zip(old[0], data)):
            return
        if data is None:
            if old is not None and old[0] is None:
                return
            item.setData([], [])
        else:
            item.setData(*data, **opts)
        self._curve_data[id(item)] = (data, (tag, opts))

    def _draw_gradients(self, num) -> None:
        z = num.curves.z
        pi = self.grad_plot.getPlotItem()
        pi.setLogMode(x=False, y=num.log_scale)
        for loss, item in self.grad_curves.items():
            values = num.loss_curves.get(loss)
            if values is None:
                self._set_curve(item, None)
                item.hide()
                continue
            g = values.grad_w if num.grad_wrt == "w" else values.grad_z
            self._set_curve(item, (z, _finite_or_nan(g) if num.log_scale else g),
                            tag=num.log_scale, connect="finite")
            item.show()
        name = "∂L/∂w" if num.grad_wrt == "w" else "∂L/∂z"
        label = f"|{name}|" if num.log_scale else name
        if pi.getAxis("left").labelText != label:    # a new label throws away the axis's
            pi.setLabel("left", label)               # ticks: every γ move would redo them
        self._drawn_grad = (num.loss_curves, num.log_scale, num.grad_wrt)

    def _show_rows(self, num) -> None:
        for loss, cells in self.table_rows.items():
            for cell in cells:
                cell.setVisible(loss in num.losses)
        for key in ("loss", "grad_w", "grad_z", "vs_ce"):
            self.names[key].setVisible(bool(num.losses))
        for loss in LOSSES:
            if loss not in num.losses:
                self.loss_dots[loss].hide()
                self.grad_dots[loss].hide()
        self._drawn_rows = num.losses

    def _draw_marker(self, num) -> None:
        mk = num.marker
        z = mk.z
        for line in self.markers:
            if line.value() != z:
                line.setValue(z)
        # (a dot whose place did not change is not moved: that would repaint its plot)
        self.act_dots["a"].move_to(z, mk.a)
        self.act_dots["dsigma"].move_to(z, mk.dsigma)
        at = num.at_marker
        for loss in num.losses:
            v = at[loss]
            self.loss_dots[loss].move_to(z, v.loss)
            g = v.grad_w if num.grad_wrt == "w" else v.grad_z
            if num.log_scale:                      # a log axis is in log10 units; 0 has no place
                self.grad_dots[loss].move_to(z, np.log10(abs(g)) if g != 0 else np.nan)
            else:
                self.grad_dots[loss].move_to(z, g)
            labels = self.value_labels
            labels[f"loss_{loss}"].setText(fmt_sig(v.loss))
            labels[f"grad_w_{loss}"].setText(fmt_sig(v.grad_w))
            labels[f"grad_z_{loss}"].setText(fmt_sig(v.grad_z))
            if loss != "ce":
                labels[f"vs_ce_{loss}"].setText(fmt_sig(v.ratio, 3))
        for key in ("a", "dsigma", "ratio"):
            self.value_labels[key].setText(fmt_sig(getattr(mk, key)))
        self.headline.setText(self._headline(num))

    def _headline(self, num) -> str:
        tr = i18n.tr
        mk = num.marker
        z = fmt_sig(mk.z, 3)
        parts = []
        if "mse" in num.losses:
            ratio = fmt_sig(mk.ratio)
            if mk.ratio >= 1e5 or mk.ratio == np.inf:
                text = tr("At z = {z}, the MSE gradient is {ratio} times smaller than "
                          "cross-entropy's (the ratio is 1/σ′(z)): MSE learning has all but "
                          "stopped.")
            else:
                text = tr("At z = {z}, the MSE gradient is <b>{ratio}×</b> smaller than "
                          "cross-entropy's (the ratio is 1/σ′(z)).")
            parts.append(text.format(z=z, ratio=ratio))
        others = [loss for loss in num.losses if loss not in ("mse", "ce")]
        if others:
            items = ", ".join(tr("{loss} ×{ratio}").format(
                loss=loss_style.short_name(loss), ratio=fmt_sig(num.at_marker[loss].ratio, 3))
                for loss in others)
            if parts:
                parts.append(tr("Next to cross-entropy's gradient: {items}.").format(items=items))
            else:
                parts.append(tr("At z = {z}, next to cross-entropy's gradient: {items}.").format(
                    z=z, items=items))
        if not parts:
            parts.append(tr("At z = {z}, cross-entropy's gradient is a − y = {grad}.").format(
                z=z, grad=fmt_sig(mk.grad_z_ce)))
        if num.x == 0:
            parts.append(tr("With x = 0 both ∂L/∂w are 0; the ratio is that of ∂L/∂z."))
        return " ".join(parts)

    def _draw_race(self) -> None:
        model = self.model
        k = model.training_epoch
        show = model.training_running or k > 0
        if self.race_label.isHidden() == show:
            self.race_label.setVisible(show)
        for item in (*self.race_labels.values(), *self.race_dots.values()):
            if item.isVisible() != show:
                item.setVisible(show)
        if not show:
            return
        hist = model.histories
        runs = list(hist)
        pair = model.training_losses
        colours = loss_style.run_colours(pair)
        if colours != self._race_colours:
            th = theme.current()
            for slot, colour in enumerate(colours):
                self.race_dots[slot].set_colours(colour, th.foreground)
                self.race_labels[slot].setColor(colour)
            self._race_colours = colours
        k = min(k, hist[runs[0]].z.size - 1)
        zs = [float(hist[run].z[k]) for run in runs]
        avals = [float(hist[run].a[k]) for run in runs]
        names = [loss_style.spec_label(spec) for spec in pair]
        for slot, (z, a) in enumerate(zip(zs, avals)):
            self.race_dots[slot].move_to(z, a)
            self.race_labels[slot].setPos(z, a)
            name = i18n.tr("{loss} run").format(loss=names[slot])
            if self.race_labels[slot].toPlainText() != name:   # a new text lays out again
                self.race_labels[slot].setText(name)
        lo, hi = model.sigmoid_z_range
        off = [name for name, z in zip(names, zs) if not lo <= z <= hi]
        text = i18n.tr("Training race, epoch {k}: the {first} neuron is at z = {z1} (a = {a1}), "
                       "the {second} neuron at z = {z2} (a = {a2}).").format(
            k=k, first=names[0], second=names[1], z1=fmt_sig(zs[0], 3), z2=fmt_sig(zs[1], 3),
            a1=fmt_sig(avals[0], 3), a2=fmt_sig(avals[1], 3))
        if off:
            text += " " + i18n.tr("Outside the z range: {which}.").format(which=", ".join(off))
        self.race_label.setText(text)

    def _sync_controls(self, num) -> None:
        # only what changed: setRange re-lays out a spin box (and so the whole dock, and the
        # main window) even when the range is the same
        lo, hi = num.z_range
        if (self.z_spin.minimum(), self.z_spin.maximum()) != (lo, hi):
            with QSignalBlocker(self.z_spin):
                self.z_spin.setRange(lo, hi)
        for box, value in ((self.z_spin, num.marker.z), (self.x_spin, num.x),
                           (self.lo_spin, lo), (self.hi_spin, hi)):
            if box.value() != value:
                with QSignalBlocker(box):
                    box.setValue(value)
        for combo, index in ((self.y_combo, int(num.y)),
                             (self.wrt_combo, panel_numbers.GRAD_WRT.index(num.grad_wrt))):
            if combo.currentIndex() != index:
                with QSignalBlocker(combo):
                    combo.setCurrentIndex(index)
        if self.log_check.isChecked() != num.log_scale:
            with QSignalBlocker(self.log_check):
                self.log_check.setChecked(num.log_scale)
        for loss, box in self.loss_checks.items():
            if box.isChecked() != (loss in num.losses):
                with QSignalBlocker(box):
                    box.setChecked(loss in num.losses)
        gamma, eps = num.params["focal"]["gamma"], num.params["smoothed_ce"]["eps"]
        for slider, label, value, step, used in (
                (self.gamma_slider, self.gamma_value, gamma, GAMMA_STEP, "focal"),
                (self.eps_slider, self.eps_value, eps, EPS_STEP, "smoothed_ce")):
            position = round(value / step)
            if slider.value() != position and not slider.isSliderDown():
                with QSignalBlocker(slider):
                    slider.setValue(position)
            text = f"{value:.1f}" if step == GAMMA_STEP else f"{value:.2f}"
            if label.text() != text:
                label.setText(text)
            on = used in num.losses
            for w in self.param_widgets[used]:
                if w.isHidden() == on:
                    w.setVisible(on)
