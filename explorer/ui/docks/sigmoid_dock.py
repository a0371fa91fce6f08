"""``sigmoidDock``: one sigmoid neuron a = σ(z), z = wx + b — σ and σ′, the MSE and CE losses and
their gradients over z, a draggable z marker with readouts, the saturated regions where σ′ is
below 1 % of its peak, and the training race's neurons as moving markers.

Everything drawn comes from ``model.sigmoid_numbers`` (computed once per change by the model);
user gestures become model commands (``set_z_marker``, ``set_sigmoid_input``, …).
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QGridLayout, QHBoxLayout, QLabel, QSplitter,
                               QVBoxLayout)

from explorer import i18n
from explorer.model import app_model as m
from explorer.model import panel_numbers
from explorer.ui import theme
from explorer.ui.controls import spin
from explorer.ui.docks.base import ExplorerDock
from explorer.ui.docks.panel_common import MarkerLine, PanelBody, cache_static_items, fmt_sig
from explorer.ui.widgets.plots import make_plot, style_plot

#: z values shown by the marker spin box / accepted from a drag are kept inside the z range.
READOUT_KEYS = ("a", "dsigma", "ratio", "loss_mse", "loss_ce", "grad_w_mse", "grad_w_ce",
                "grad_z_mse", "grad_z_ce")


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
        # three short rows so the dock stays narrow (≈ 360 px) on small screens
        grid.addWidget(self.z_label, 0, 0, Qt.AlignRight)
        grid.addWidget(self.z_spin, 0, 1)
        grid.addWidget(self.x_label, 0, 2, Qt.AlignRight)
        grid.addWidget(self.x_spin, 0, 3)
        grid.addWidget(self.y_label, 0, 4, Qt.AlignRight)
        grid.addWidget(self.y_combo, 0, 5)
        grid.addWidget(self.range_label, 1, 0, Qt.AlignRight)
        grid.addWidget(self.lo_spin, 1, 1)
        grid.addWidget(self.to_label, 1, 2, Qt.AlignRight)
        grid.addWidget(self.hi_spin, 1, 3)
        grid.addWidget(self.wrt_label, 2, 0, Qt.AlignRight)
        grid.addWidget(self.wrt_combo, 2, 1)
        grid.addWidget(self.log_check, 2, 2, 1, 4)
        grid.setColumnStretch(6, 1)
        outer.addLayout(grid)

        # --- plots (x-linked, resizable) ---------------------------------------------
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

        legend_opts = dict(offset=(6, 4), labelTextSize="8pt", verSpacing=-6)
        self.act_legend = self.act_plot.addLegend(**legend_opts)
        self.loss_legend = self.loss_plot.addLegend(**legend_opts)
        # top centre: at z ≈ 0 both losses are small whatever the target (CE climbs on the left
        # for y = 1 and on the right for y = 0)
        self.loss_legend.anchor(itemPos=(0.5, 0), parentPos=(0.5, 0), offset=(0, 4))

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
        self.sigma_curve = self.act_plot.plot([], [], name="σ(z)")
        self.dsigma_curve = self.act_plot.plot([], [], name="σ′(z)")
        self.mse_loss_curve = self.loss_plot.plot([], [], name="MSE ½(a − y)²")
        self.ce_loss_curve = self.loss_plot.plot([], [], name="CE")
        # no legend on the gradient plot (it would cover the log-scale curves): same colours
        self.mse_grad_curve = self.grad_plot.plot([], [])
        self.ce_grad_curve = self.grad_plot.plot([], [])

        # marker: one line per plot, all driven by model.z_marker
        self.markers: list[MarkerLine] = []
        for pw in self.plots:
            line = MarkerLine()
            line.setZValue(20)
            line.sigIntent.connect(self._on_marker_dragged)
            pw.addItem(line, ignoreBounds=True)
            self.markers.append(line)
        self.marker = self.markers[0]
        # dots where the marker crosses each curve
        # (ignoreBounds: a moving dot must never change an auto range, which would repaint the
        # whole plot on every move of a drag)
        def dots(pw, keys, **style):
            out = {}
            for key in keys:
                item = pg.PlotDataItem([], [], pen=None, **style)
                pw.addItem(item, ignoreBounds=True)
                out[key] = item
            return out

        dot = dict(symbol="o", symbolSize=8)
        self.act_dots = dots(self.act_plot, ("a", "dsigma"), **dot)
        self.loss_dots = dots(self.loss_plot, ("mse", "ce"), **dot)
        self.grad_dots = dots(self.grad_plot, ("mse", "ce"), **dot)
        for group in (self.act_dots, self.loss_dots, self.grad_dots):
            for item in group.values():
                item.setZValue(25)

        # training race markers (read from model.histories)
        self.race_dots = dots(self.act_plot, ("mse", "ce"), symbol="d", symbolSize=13)
        for item in self.race_dots.values():
            item.setZValue(30)
        self.race_labels = {loss: pg.TextItem(anchor=(0.0, 1.0)) for loss in ("mse", "ce")}
        for item in self.race_labels.values():
            item.setZValue(30)
            self.act_plot.addItem(item, ignoreBounds=True)

        splitter = QSplitter(Qt.Vertical, objectName="sigmoidSplitter")
        splitter.setChildrenCollapsible(False)
        for pw in self.plots:
            splitter.addWidget(pw)
        outer.addWidget(splitter, 1)

        # --- readouts -----------------------------------------------------------------
        self.headline = QLabel(objectName="sigmoidHeadline")
        self.readout = self.headline     # the one-line summary, as before the rewrite
        self.headline.setWordWrap(True)
        self.headline.setTextFormat(Qt.RichText)
        self.headline.setMinimumHeight(2 * self.headline.fontMetrics().lineSpacing() + 2)
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
        for key in ("a", "dsigma", "ratio", "loss", "grad_w", "grad_z", "mse", "ce"):
            self.names[key] = QLabel()
        # a small table (columns loss, ∂L/∂w, ∂L/∂z; rows MSE, CE), then a, σ′ and 1/σ′
        for col, key in enumerate(("loss", "grad_w", "grad_z"), start=1):
            table.addWidget(self.names[key], 0, col)
        for row, loss in ((1, "mse"), (2, "ce")):
            table.addWidget(self.names[loss], row, 0)
            for col, key in enumerate(("loss", "grad_w", "grad_z"), start=1):
                table.addWidget(self.value_labels[f"{key}_{loss}"], row, col)
        for col, key in enumerate(("a", "dsigma", "ratio")):
            cell = QHBoxLayout()
            cell.setSpacing(4)
            cell.addWidget(self.names[key])
            cell.addWidget(self.value_labels[key])
            cell.addStretch(1)
            table.addLayout(cell, 3, col + 1)
        table.setColumnStretch(4, 1)
        outer.addLayout(table)
        self.race_label = QLabel(objectName="raceLabel")
        self.race_label.setWordWrap(True)
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
        cache_static_items(self.loss_plot, (self.mse_loss_curve, self.ce_loss_curve))
        cache_static_items(self.grad_plot, (self.mse_grad_curve, self.ce_grad_curve))
        self._drawn_curves = None
        self._drawn_grad = None
        self.apply_theme()

    def apply_theme(self) -> None:
        th = theme.current()
        for pw in self.plots:
            style_plot(pw, grid=(True, True))
        for legend in (self.act_legend, self.loss_legend):
            legend.setLabelTextColor(th.foreground)
        self.sigma_curve.setPen(theme.pen(th.p, 2.5))
        self.dsigma_curve.setPen(theme.pen(th.accent, 2.5))
        for mse, ce in ((self.mse_loss_curve, self.ce_loss_curve),
                        (self.mse_grad_curve, self.ce_grad_curve)):
            mse.setPen(theme.pen(th.mse, 2.5))
            ce.setPen(theme.pen(th.ce, 2.5))
        for region, label in zip(self.region_items, self.region_labels):
            region.setBrush(theme.brush(th.warning, 28))
            for line in region.lines:
                line.setPen(theme.pen(th.warning, 1, style=Qt.DashLine))
            label.setColor(th.warning)
        for line in self.markers:
            line.setPen(theme.pen(th.foreground, 1.5))
            line.setHoverPen(theme.pen(th.accent, 3))
        colours = {"a": th.p, "dsigma": th.accent, "mse": th.mse, "ce": th.ce}
        for group in (self.act_dots, self.loss_dots, self.grad_dots):
            for key, item in group.items():
                item.setSymbolBrush(colours[key])
                item.setSymbolPen(th.background)
        for key, item in self.race_dots.items():
            item.setSymbolBrush(colours[key])
            item.setSymbolPen(th.foreground)
        self.race_labels["mse"].setColor(th.mse)
        self.race_labels["ce"].setColor(th.ce)
        self.error_label.setStyleSheet(f"color: {th.warning};")
        self.names["mse"].setStyleSheet(f"color: {th.mse};")
        self.names["ce"].setStyleSheet(f"color: {th.ce};")

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
        self.loss_plot.setToolTip(tr("Loss against z for MSE ½(a − y)² and cross-entropy "
                                     "−[y ln a + (1 − y) ln(1 − a)]"))
        self.grad_plot.setToolTip(tr("MSE gradient (a − y)σ′(z)·x against cross-entropy's (a − y)·x"))
        self.names["a"].setText("a =")
        self.names["dsigma"].setText("σ′ =")
        self.names["ratio"].setText("1/σ′ =")
        self.names["ratio"].setToolTip(tr("CE gradient / MSE gradient = 1/σ′(z)"))
        self.names["mse"].setText(tr("<b>MSE</b>"))
        self.names["ce"].setText(tr("<b>CE</b>"))
        self.names["loss"].setText(tr("loss"))
        self.names["grad_w"].setText("∂L/∂w")
        self.names["grad_z"].setText("∂L/∂z")

    # ------------------------------------------------------------------ intents
    def _show_error(self, message: str | None) -> None:
        self.error_label.setText(message or "")
        self.error_label.setVisible(bool(message))

    def _call(self, fn, *args, **kwargs) -> None:
        try:
            fn(*args, **kwargs)
        except ValueError as exc:
            self._show_error(str(exc))
            self.refresh(None)           # put every control back to the model's state
        else:
            self._show_error(None)

    def _on_marker_dragged(self, value: float, finished: bool) -> None:
        lo, hi = self.model.sigmoid_z_range
        self._call(self.model.set_z_marker, float(np.clip(value, lo, hi)), finished=finished)

    def _on_z_spin_changed(self, value: float) -> None:
        self._call(self.model.set_z_marker, value)

    def _on_x_changed(self, value: float) -> None:
        self._call(self.model.set_sigmoid_input, x=value)

    def _on_y_changed(self, index: int) -> None:
        self._call(self.model.set_sigmoid_input, y=index)

    def _on_wrt_changed(self, index: int) -> None:
        self._call(self.model.set_sigmoid_grad_wrt, panel_numbers.GRAD_WRT[index])

    def _on_range_changed(self, _value: float) -> None:
        lo, hi = self.lo_spin.value(), self.hi_spin.value()
        try:
            self.model.set_sigmoid_z_range(lo, hi)
        except ValueError:
            # the model's message names its field; the user gets one in their language
            self._show_error(i18n.tr("z axis: “from” must be below “to” by at least {span}, got "
                                     "{lo:g} to {hi:g}; the range was not changed.").format(
                span=panel_numbers.MIN_SPAN, lo=lo, hi=hi))
            self.refresh(None)
        else:
            self._show_error(None)

    def _on_log_toggled(self, checked: bool) -> None:
        self._call(self.model.set_sigmoid_log_scale, checked)

    # ------------------------------------------------------------------ redraw
    def refresh(self, change) -> None:
        num = self.model.sigmoid_numbers
        if num.curves is not self._drawn_curves:
            self._draw_curves(num)
        drawn = self._drawn_grad
        if drawn is None or drawn[0] is not num.curves or drawn[1:] != (num.log_scale, num.grad_wrt):
            self._draw_gradients(num)
        self._draw_marker(num)
        self._draw_race()
        self._sync_controls(num)

    def _draw_curves(self, num) -> None:
        c = num.curves
        lo, hi = num.z_range
        self.sigma_curve.setData(c.z, c.a)
        self.dsigma_curve.setData(c.z, c.dsigma)
        self.mse_loss_curve.setData(c.z, c.loss_mse)
        self.ce_loss_curve.setData(c.z, c.loss_ce)
        self.act_plot.getPlotItem().setXRange(lo, hi, padding=0.01)
        self.act_plot.getPlotItem().setYRange(-0.03, 1.08, padding=0)
        for i, (region, label) in enumerate(zip(self.region_items, self.region_labels)):
            if i < len(num.saturated):
                a, b = num.saturated[i]
                region.setRegion((a, b))
                label.setPos((a + b) / 2, 0.28)      # σ is near 0 or 1 there: free space below the legend
                region.show()
                label.show()
            else:
                region.hide()
                label.hide()
        self._drawn_curves = c

    def _draw_gradients(self, num) -> None:
        c = num.curves
        mse, ce = (c.grad_w_mse, c.grad_w_ce) if num.grad_wrt == "w" else (c.grad_z_mse, c.grad_z_ce)
        pi = self.grad_plot.getPlotItem()
        if num.log_scale:
            mse, ce = _finite_or_nan(mse), _finite_or_nan(ce)
            for dot in self.grad_dots.values():    # _draw_marker sets them again: an old 0
                dot.setData([], [])                # would become log 0 = NaN meanwhile
        pi.setLogMode(x=False, y=num.log_scale)
        self.mse_grad_curve.setData(c.z, mse, connect="finite")
        self.ce_grad_curve.setData(c.z, ce, connect="finite")
        name = "∂L/∂w" if num.grad_wrt == "w" else "∂L/∂z"
        pi.setLabel("left", f"|{name}|" if num.log_scale else name)
        self._drawn_grad = (c, num.log_scale, num.grad_wrt)

    def _draw_marker(self, num) -> None:
        mk = num.marker
        z = mk.z
        for line in self.markers:
            if line.value() != z:
                line.setValue(z)
        self.act_dots["a"].setData([z], [mk.a])
        self.act_dots["dsigma"].setData([z], [mk.dsigma])
        self.loss_dots["mse"].setData([z], [mk.loss_mse])
        self.loss_dots["ce"].setData([z], [mk.loss_ce])
        g = (mk.grad_w_mse, mk.grad_w_ce) if num.grad_wrt == "w" else (mk.grad_z_mse, mk.grad_z_ce)
        for key, v in zip(("mse", "ce"), g):
            if num.log_scale and v == 0:           # nothing to draw on a log axis
                self.grad_dots[key].setData([], [])
            else:
                self.grad_dots[key].setData([z], [abs(v) if num.log_scale else v])
        for key in READOUT_KEYS:
            self.value_labels[key].setText(fmt_sig(getattr(mk, key)))
        tr = i18n.tr
        ratio = fmt_sig(mk.ratio)
        if mk.ratio >= 1e5 or mk.ratio == np.inf:
            text = tr("At z = {z}, the MSE gradient is {ratio} times smaller than cross-entropy's "
                      "(the ratio is 1/σ′(z)): MSE learning has all but stopped.")
        else:
            text = tr("At z = {z}, the MSE gradient is <b>{ratio}×</b> smaller than cross-entropy's "
                      "(the ratio is 1/σ′(z)).")
        if num.x == 0:
            text += " " + tr("With x = 0 both ∂L/∂w are 0; the ratio is that of ∂L/∂z.")
        self.headline.setText(text.format(z=fmt_sig(z, 3), ratio=ratio))

    def _draw_race(self) -> None:
        model = self.model
        k = model.training_epoch
        show = model.training_running or k > 0
        self.race_label.setVisible(show)
        for item in (*self.race_labels.values(), *self.race_dots.values()):
            item.setVisible(show)
        if not show:
            return
        hist = model.histories
        k = min(k, hist["mse"].z.size - 1)
        zs = [float(hist[loss].z[k]) for loss in ("mse", "ce")]
        avals = [float(hist[loss].a[k]) for loss in ("mse", "ce")]
        for loss, z, a in zip(("mse", "ce"), zs, avals):
            self.race_dots[loss].setData([z], [a])
            self.race_labels[loss].setPos(z, a)
        self.race_labels["mse"].setText(i18n.tr("MSE run"))
        self.race_labels["ce"].setText(i18n.tr("CE run"))
        lo, hi = model.sigmoid_z_range
        off = [loss.upper() for loss, z in zip(("mse", "ce"), zs) if not lo <= z <= hi]
        text = i18n.tr("Training race, epoch {k}: the MSE neuron is at z = {z_mse} (a = {a_mse}), "
                       "the CE neuron at z = {z_ce} (a = {a_ce}).").format(
            k=k, z_mse=fmt_sig(zs[0], 3), z_ce=fmt_sig(zs[1], 3),
            a_mse=fmt_sig(avals[0], 3), a_ce=fmt_sig(avals[1], 3))
        if off:
            text += " " + i18n.tr("Outside the z range: {which}.").format(which=", ".join(off))
        self.race_label.setText(text)

    def _sync_controls(self, num) -> None:
        lo, hi = num.z_range
        with QSignalBlocker(self.z_spin):
            self.z_spin.setRange(lo, hi)
            self.z_spin.setValue(num.marker.z)
        with QSignalBlocker(self.x_spin):
            self.x_spin.setValue(num.x)
        with QSignalBlocker(self.y_combo):
            self.y_combo.setCurrentIndex(int(num.y))
        with QSignalBlocker(self.wrt_combo):
            self.wrt_combo.setCurrentIndex(panel_numbers.GRAD_WRT.index(num.grad_wrt))
        with QSignalBlocker(self.lo_spin):
            self.lo_spin.setValue(lo)
        with QSignalBlocker(self.hi_spin):
            self.hi_spin.setValue(hi)
        with QSignalBlocker(self.log_check):
            self.log_check.setChecked(num.log_scale)
