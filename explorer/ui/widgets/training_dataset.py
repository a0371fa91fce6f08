"""Dataset panels of the training dock: a 2-D dataset trained as logistic regression (two
classes) or softmax regression (cat, dog, horse), once with each of two losses of the family
(MSE and cross-entropy unless chosen otherwise), side by side.  Probability shading, decision
lines, curves, the selected point's class probabilities and -- in the multi-class race -- its
logits (largest logit, margin, max a against the epoch: with a one-hot target CE drives the
margin up like log(epoch)) are all sliced from the model's precomputed race; clicking edits the
data.  The two runs are drawn by slot (0 = first run, 1 = second)."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QVBoxLayout, QWidget

from explorer import i18n
from explorer.core.training import DATA_LIMIT
from explorer.model.training_state import DATASET_KINDS, MAX_POINTS
from explorer.ui import loss_style, theme
from explorer.ui.fmt import fmt
from explorer.ui.controls import int_spin, spin
from explorer.ui.widgets.plots import style_plot
from explorer.ui.widgets.loss_pair import LossPairChooser
from explorer.ui.widgets.trail import TrailCurve
from explorer.ui.widgets.training_common import (LiveText, legend_html, legend_label, cache_static, class_colours, dashed, rgb, set_small_title, set_spin, small_plot, two_colour_lut, view_pos)

#: the two runs of the race, by position
LOSSES = SLOTS = (0, 1)
HIT_PX = 9.0          # a click this close to a point hits it (pixels)
DOMAIN = QRectF(-DATA_LIMIT, -DATA_LIMIT, 2 * DATA_LIMIT, 2 * DATA_LIMIT)


class DatasetRacePanel(QWidget):
    """Two losses on a 2-D dataset; ``which`` is ``"dataset"`` (2 classes) or
    ``"multiclass"``."""

    sigError = Signal(str)

    def __init__(self, model, which: str, parent=None):
        super().__init__(parent)
        self.model = model
        self.which = which
        self.n_classes = DATASET_KINDS[which]
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
        grid = QGridLayout()
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(2)
        self.class_label = QLabel()
        self.class_combo = QComboBox()
        for k in range(self.n_classes):
            self.class_combo.addItem("", k)
        self.class_label.setBuddy(self.class_combo)
        self.count_label, self.count_spin = QLabel(), int_spin(1, MAX_POINTS // 3, 5)
        self.count_spin.valueChanged.connect(lambda v: self._set_dataset(count=int(v)))
        self.overlap_label, self.overlap_spin = QLabel(), spin(0.0, 1.0, 0.05, 2)
        self.overlap_spin.valueChanged.connect(lambda v: self._set_dataset(overlap=float(v)))
        self.seed_label, self.seed_spin = QLabel(), int_spin(0, 99999, 1)
        self.seed_spin.valueChanged.connect(lambda v: self._set_dataset(seed=int(v)))
        self.lr_label, self.lr_spin = QLabel(), spin(0.01, 20.0, 0.1, 2)
        self.lr_spin.valueChanged.connect(lambda v: self._set_dataset(lr=float(v)))
        self.init_label, self.init_combo = QLabel(), QComboBox()
        self.init_combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.init_combo.setMinimumContentsLength(8)
        self.init_combo.addItem("", "zero")
        self.init_combo.addItem("", "wrong")
        self.init_combo.activated.connect(
            lambda i: self._set_dataset(init=self.init_combo.itemData(i)))
        cells = [(self.class_label, self.class_combo), (self.count_label, self.count_spin),
                 (self.overlap_label, self.overlap_spin), (self.seed_label, self.seed_spin),
                 (self.lr_label, self.lr_spin), (self.init_label, self.init_combo)]
        for i, (label, box) in enumerate(cells):
            label.setBuddy(box)
            label.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
            r, c = divmod(i, 3)
            grid.addWidget(label, r, 2 * c)
            grid.addWidget(box, r, 2 * c + 1)
            grid.setColumnStretch(2 * c + 1, 1)
        outer.addLayout(grid)
        self.losses = LossPairChooser(f"{self.which}Losses")
        self.losses.sigChanged.connect(self._on_losses_chosen)
        outer.addWidget(self.losses)
        # what the colours mean: classes (points, shading) and runs (lines, bars)
        self.legend = legend_label()
        outer.addWidget(self.legend)
        # --- plots ------------------------------------------------------------------------
        plots = QGridLayout()
        plots.setSpacing(2)
        self.scatter_plots, self.shades, self.bounds_lines, self.scatters, self.rings = {}, {}, {}, {}, {}
        for loss in LOSSES:
            pw = small_plot()
            img = pg.ImageItem(axisOrder="row-major")
            pw.addItem(img)
            line = pg.PlotCurveItem(skipFiniteCheck=True)
            pw.addItem(line)
            sc = pg.ScatterPlotItem(size=7)
            ring = pg.ScatterPlotItem(size=15)
            pw.addItem(sc)
            pw.addItem(ring)
            pw.setXRange(-DATA_LIMIT, DATA_LIMIT, padding=0)
            pw.setYRange(-DATA_LIMIT, DATA_LIMIT, padding=0)
            pw.scene().sigMouseClicked.connect(lambda ev, p=pw: self._on_clicked(ev, p))
            self.scatter_plots[loss], self.shades[loss] = pw, img
            self.bounds_lines[loss], self.scatters[loss], self.rings[loss] = line, sc, ring
        self.loss_plot = small_plot()
        self.acc_plot = small_plot()
        self.acc_plot.setYRange(0, 1.02, padding=0)
        self.ghost, self.run, self.epoch_lines = {}, {}, {}
        for key, pw in (("loss", self.loss_plot), ("acc", self.acc_plot)):
            for loss in LOSSES:
                self.ghost[key, loss] = pw.plot([], [])
                self.run[key, loss] = TrailCurve()          # grows one segment per frame
                pw.addItem(self.run[key, loss])
            self.epoch_lines[key] = pg.InfiniteLine(angle=90, movable=False)
            pw.addItem(self.epoch_lines[key])
        cache_static(*self.ghost.values(), *self.scatters.values())
        self.logit_plot = self.conf_plot = None
        if self.n_classes > 2:
            # the ringed point's logits: margin (solid) and largest logit (dashed), and max a
            self.logit_plot, self.conf_plot = small_plot(), small_plot()
            self.conf_plot.setYRange(0, 1.02, padding=0)
            for key, pw in (("margin", self.logit_plot), ("top", self.logit_plot),
                            ("a_max", self.conf_plot)):
                for loss in LOSSES:
                    self.ghost[key, loss] = pw.plot([], [])
                    self.run[key, loss] = TrailCurve()
                    pw.addItem(self.run[key, loss])
            for key, pw in (("logit", self.logit_plot), ("conf", self.conf_plot)):
                self.epoch_lines[key] = pg.InfiniteLine(angle=90, movable=False)
                pw.addItem(self.epoch_lines[key])
            cache_static(*(self.ghost[k, loss] for k in ("margin", "top", "a_max")
                           for loss in LOSSES))
            self.bar_plot = small_plot()
            self.bar_plot.setYRange(0, 1.02, padding=0)
            self.bars = {loss: pg.BarGraphItem(x=[0], height=[0], width=0.36) for loss in LOSSES}
            for item in self.bars.values():
                self.bar_plot.addItem(item)
            self.bar_plot.setXRange(-0.6, self.n_classes - 0.4, padding=0)
            plots.addWidget(self.scatter_plots[0].box, 0, 0, 1, 3)
            plots.addWidget(self.scatter_plots[1].box, 0, 3, 1, 3)
            plots.addWidget(self.bar_plot.box, 1, 0, 1, 2)
            plots.addWidget(self.loss_plot.box, 1, 2, 1, 2)
            plots.addWidget(self.acc_plot.box, 1, 4, 1, 2)
            plots.addWidget(self.logit_plot.box, 2, 0, 1, 3)
            plots.addWidget(self.conf_plot.box, 2, 3, 1, 3)
            plots.setRowStretch(2, 2)
            for c in range(6):
                plots.setColumnStretch(c, 1)
        else:
            self.bar_plot = None
            plots.addWidget(self.scatter_plots[0].box, 0, 0)
            plots.addWidget(self.scatter_plots[1].box, 0, 1)
            plots.addWidget(self.loss_plot.box, 1, 0)
            plots.addWidget(self.acc_plot.box, 1, 1)
            plots.setColumnStretch(0, 1)
            plots.setColumnStretch(1, 1)
        plots.setRowStretch(0, 3)
        plots.setRowStretch(1, 2)
        outer.addLayout(plots, 1)
        # lines reserved up front, in a box without a layout: changing numbers never re-lay
        # out the dock (a label of fixed height still asks its layout to run again)
        self.readout = LiveText(f"{self.which}Readout")
        self.readout.set_minimum_lines(3 if self.n_classes > 2 else 2)
        self.readout.setTextInteractionFlags(Qt.TextSelectableByMouse)
        outer.addWidget(self.readout)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        outer.addWidget(self.hint)
        self.apply_theme()

    def apply_theme(self) -> None:
        th = theme.current()
        plots = [*self.scatter_plots.values(), self.loss_plot, self.acc_plot]
        extra = [pw for pw in (self.bar_plot, self.logit_plot, self.conf_plot) if pw is not None]
        for pw in plots + extra:
            style_plot(pw)
        self._class_rgb = np.array([rgb(c) for c in class_colours(self.n_classes)])
        self._bg_rgb = rgb(th.background)
        self._class_brushes = [theme.brush(c, 230) for c in class_colours(self.n_classes)]
        cols = class_colours(self.n_classes)
        if self.n_classes == 2:
            for img in self.shades.values():
                img.setLookupTable(two_colour_lut(cols[0], cols[1], th.background))
                img.setLevels((0.0, 1.0))
        colours = dict(zip(SLOTS, loss_style.run_colours(self._pair())))
        self._coloured_pair = self._pair()
        for loss in LOSSES:
            self.bounds_lines[loss].setPen(theme.pen(colours[loss], 2.5))
            self.rings[loss].setPen(theme.pen(th.foreground, 2))
            self.rings[loss].setBrush(pg.mkBrush(None))
        for (key, loss), item in self.ghost.items():
            c = pg.mkColor(colours[loss])
            c.setAlpha(70)
            item.setPen(pg.mkPen(c, width=1.5, style=Qt.DashLine if key == "top" else Qt.SolidLine))
        for (key, loss), item in self.run.items():
            item.setPen(theme.pen(colours[loss], 1.5 if key == "top" else 2.5,
                                  style=Qt.DashLine if key == "top" else Qt.SolidLine))
        for line in self.epoch_lines.values():
            line.setPen(dashed(th.neutral))
        if self.bar_plot is not None:
            for loss, item in self.bars.items():
                item.setOpts(brush=theme.brush(colours[loss], 220), pen=theme.pen(th.foreground, 0.5))
        self.hint.setStyleSheet(f"color: {th.neutral}")
        self._update_legend()
        self._stale = True

    def _pair(self) -> tuple:
        return self.model.dataset_losses

    def _run_names(self) -> list[str]:
        return [loss_style.spec_label(spec) for spec in self._pair()]

    def _update_legend(self) -> None:
        tr = i18n.tr
        colours = loss_style.run_colours(self._pair())
        classes = [(c, "●", name) for c, name in zip(class_colours(self.n_classes), self.class_names())]
        runs = [(colours[i], "━", tr("{loss} run").format(loss=name))
                for i, name in enumerate(self._run_names())]
        self.legend.setText(tr("points and shading:") + "&nbsp;&nbsp;" + legend_html(classes)
                            + "&nbsp;&nbsp;&nbsp;&nbsp;" + tr("lines and bars:") + "&nbsp;&nbsp;"
                            + legend_html(runs))

    # ------------------------------------------------------------------ texts
    def class_names(self) -> list[str]:
        tr = i18n.tr
        if self.n_classes == 2:
            return [tr("class 0"), tr("class 1")]
        return [tr("cat"), tr("dog"), tr("horse")]

    def retranslate(self) -> None:
        tr = i18n.tr
        for k, name in enumerate(self.class_names()):
            self.class_combo.setItemText(k, name)
        self.class_label.setText(tr("&Add:"))
        self.class_combo.setToolTip(tr("Class of the points you add by clicking a plot"))
        self.count_label.setText(tr("per class"))
        self.count_spin.setToolTip(tr("Points per class of a new random dataset (regenerates the data)"))
        self.overlap_label.setText(tr("overlap"))
        self.overlap_spin.setToolTip(tr("Spread of the blobs: 0 = well separated, 1 = heavily "
                                        "mixed (regenerates the data)"))
        self.seed_label.setText(tr("seed"))
        self.seed_spin.setToolTip(tr("Random seed: the same seed always gives the same data"))
        self.lr_label.setText(tr("η"))
        self.lr_spin.setToolTip(tr("Learning rate of full-batch gradient descent (both runs)"))
        self.init_label.setText(tr("start"))
        self.init_combo.setItemText(0, tr("all zero"))
        self.init_combo.setItemText(1, tr("sure but wrong"))
        self.init_combo.setToolTip(tr(
            "Where both runs start: all weights 0 (every prediction uncertain), or weights that "
            "point away from each class, so the model is sure of the wrong answer"))
        set_small_title(self.loss_plot, tr("loss against epoch"))
        set_small_title(self.acc_plot, tr("accuracy against epoch"))
        self.losses.retranslate()
        self._update_run_texts()
        for pw in self.scatter_plots.values():
            pw.setToolTip(tr("Shading: the predicted class probability at each place; click to add "
                             "a point, right-click a point to remove it"))
        if self.n_classes == 2:
            self.hint.setText(tr("Click a plot to add a point of the chosen class; right-click a "
                                 "point to remove it. The line is the decision boundary P = ½."))
        else:
            self.hint.setText(tr("Click a point to select it (ringed), click elsewhere to add a "
                                 "point of the chosen class; right-click a point to remove it."))
            self.bar_plot.getPlotItem().getAxis("bottom").setTicks(
                [[(k, name) for k, name in enumerate(self.class_names())], []])
            set_small_title(self.logit_plot, tr("ringed point: margin ━, largest logit ╍"))
            set_small_title(self.conf_plot, tr("ringed point: max a"))
            self.logit_plot.setToolTip(tr(
                "The ringed point's logits z = x·W against the epoch: the margin of its class "
                "z_t − max z_j (solid) and the largest logit (dashed). With one-hot targets "
                "cross-entropy is only matched by an infinite margin, so once the point is "
                "classified right its margin keeps growing, like log(epoch)"))
            self.conf_plot.setToolTip(tr("The ringed point's confidence max_j a_j against the "
                                         "epoch: it creeps towards 1"))
        self._stale = True

    def _update_run_texts(self) -> None:
        """Titles and legend of the runs (they follow the chosen losses)."""
        tr = i18n.tr
        names = self._run_names()
        for slot in SLOTS:
            set_small_title(self.scatter_plots[slot], tr("{loss} run: x₂ against x₁").format(
                loss=names[slot]))
        if self.bar_plot is not None:
            set_small_title(self.bar_plot, tr("ringed point: P(class) — {first} left, {second} right")
                            .format(first=names[0], second=names[1]))
            self.bar_plot.setToolTip(tr("Predicted class probabilities of the ringed point: "
                                        "left bar {first} run, right bar {second} run").format(
                first=names[0], second=names[1]))
        self._update_legend()
        self._drawn_pair = self._pair()

    # ------------------------------------------------------------------ intents
    def _on_losses_chosen(self, pair) -> None:
        try:
            self.model.set_dataset_losses(pair)
        except ValueError as exc:
            self.sigError.emit(i18n.tr_error(exc))
            self.sync_controls()

    def _set_dataset(self, **changes) -> None:
        try:
            self.model.set_dataset_params(**changes)
        except ValueError as exc:
            self.sigError.emit(str(exc))
            self.sync_controls()

    def _nearest(self, pw, x: float, y: float):
        """Index of the data point nearest to (x, y) within HIT_PX pixels, else None."""
        pts = self.model.dataset_points(self.which)
        if not len(pts):
            return None
        sx, sy = pw.getPlotItem().vb.viewPixelSize()
        d = np.hypot((pts[:, 0] - x) / sx, (pts[:, 1] - y) / sy)
        i = int(np.argmin(d))
        return i if d[i] <= HIT_PX else None

    def _on_clicked(self, ev, pw) -> None:
        x, y = view_pos(pw, ev.scenePos())
        if not (abs(x) <= DATA_LIMIT and abs(y) <= DATA_LIMIT):
            return
        ev.accept()
        hit = self._nearest(pw, x, y)
        try:
            if ev.button() == Qt.RightButton:
                if hit is None:
                    self.sigError.emit(i18n.tr("Right-click on a point to remove it"))
                else:
                    self.model.remove_dataset_point(self.which, hit)
            elif ev.button() == Qt.LeftButton:
                if hit is not None and self.n_classes > 2:
                    self.model.set_selected_point(hit)
                else:
                    self.model.add_dataset_point(self.which, x, y, self.class_combo.currentIndex())
        except ValueError as exc:
            self.sigError.emit(str(exc))

    # ------------------------------------------------------------------ drawing
    def sync_controls(self) -> None:
        d = self.model.dataset_params
        set_spin(self.count_spin, d.count)
        set_spin(self.overlap_spin, d.overlap)
        set_spin(self.seed_spin, d.seed)
        set_spin(self.lr_spin, d.lr)
        self.init_combo.blockSignals(True)
        self.init_combo.setCurrentIndex(self.init_combo.findData(d.init))
        self.init_combo.blockSignals(False)
        self.losses.set_pair(d.losses)
        if d.losses != getattr(self, "_coloured_pair", None):
            self.apply_theme()
        if d.losses != getattr(self, "_drawn_pair", None):
            self._update_run_texts()

    def refresh_data(self) -> None:
        """Redraw what depends on the data and the trained runs (not on the epoch)."""
        self._stale = False
        self.sync_controls()
        race = self.model.race(self.which)
        self.race = race
        self._runs = list(race.runs)
        X, lab = race.X, race.labels
        brushes = [self._class_brushes[int(c)] for c in lab]
        th = theme.current()
        for loss in LOSSES:
            self.scatters[loss].setData(X[:, 0], X[:, 1], brush=brushes,
                                        pen=pg.mkPen(th.foreground, width=0.8))
        ep = np.arange(race.runs[self._runs[0]].epochs + 1, dtype=float)
        self._ep = ep
        top = 0.0
        for loss in LOSSES:
            h = race.runs[self._runs[loss]]
            self.ghost["loss", loss].setData(ep, h.loss)
            self.ghost["acc", loss].setData(ep, h.accuracy)
            finite = h.loss[np.isfinite(h.loss)]
            top = max(top, float(finite.max()) if finite.size else 0.0)
        self.loss_plot.setYRange(0, max(top, 1e-6) * 1.05, padding=0)
        for pw in (self.loss_plot, self.acc_plot):
            pw.setXRange(0, ep[-1], padding=0.02)
        self._point = None
        self.refresh_epoch(self.model.training_epoch)

    def refresh_epoch(self, k: int) -> None:
        if self._stale:
            return self.refresh_data()
        race = self.race
        k = int(min(k, len(self._ep) - 1))
        ep = self._ep[: k + 1]
        texts = {}
        runs = self._runs
        for loss in LOSSES:
            h = race.runs[runs[loss]]
            probs = race.grid_proba[runs[loss]][k]
            if self.n_classes == 2:
                self.shades[loss].setImage(probs, autoLevels=False, levels=(0.0, 1.0), rect=DOMAIN)
                seg = race.boundary[runs[loss]][k]
                if np.all(np.isfinite(seg)):
                    self.bounds_lines[loss].setData(seg[:, 0], seg[:, 1])
                else:
                    self.bounds_lines[loss].setData([], [])
            else:
                self.shades[loss].setImage(self._blend(probs), autoLevels=False, rect=DOMAIN)
            self.run["loss", loss].follow(self._ep, h.loss, k + 1)
            self.run["acc", loss].follow(self._ep, h.accuracy, k + 1)
            texts[loss] = (fmt(h.loss[k], 4), fmt(100.0 * h.accuracy[k], 1))
        for line in self.epoch_lines.values():
            line.setValue(k)
        tr = i18n.tr
        names = self._run_names()
        text = tr("Epoch {k}: {first} loss {l1}, accuracy {a1} % · {second} loss {l2}, accuracy "
                  "{a2} %").format(k=k, first=names[0], second=names[1], l1=texts[0][0],
                                   a1=texts[0][1], l2=texts[1][0], a2=texts[1][1])
        if self.n_classes > 2:
            sel = min(self.model.selected_point, len(race.labels) - 1)
            for loss in LOSSES:
                off = -0.19 if loss == 0 else 0.19
                p = race.runs[runs[loss]].proba[k, sel]
                self.bars[loss].setOpts(x=np.arange(self.n_classes) + off, height=p, width=0.36)
                self.rings[loss].setData([race.X[sel, 0]], [race.X[sel, 1]])
            self._draw_point_logits(k)
            true = int(race.labels[sel])
            name = self.class_names()[true]
            pl = self._point
            text += "\n" + tr("Selected point ({x1}, {x2}), a {name}: P({name}) = {p1} with "
                              "{first}, {p2} with {second}; logit margin {m1} and {m2}").format(
                x1=fmt(race.X[sel, 0], 2), x2=fmt(race.X[sel, 1], 2), name=name,
                first=names[0], second=names[1],
                p1=fmt(race.runs[runs[0]].proba[k, sel, true], 3),
                p2=fmt(race.runs[runs[1]].proba[k, sel, true], 3),
                m1=fmt(pl.margin[runs[0]][k], 2), m2=fmt(pl.margin[runs[1]][k], 2))
        self.readout.setText(text)

    def _draw_point_logits(self, k: int) -> None:
        """The ringed point's margin, largest logit and max a: whole runs faint (once per
        point), the runs so far bright."""
        pl = self.model.multiclass_point_logits()
        runs = self._runs
        if pl is not self._point:
            self._point = pl
            ep = self._ep
            lo, hi = 0.0, 1.0
            for loss in LOSSES:
                run = runs[loss]
                for key, series in (("margin", pl.margin), ("top", pl.top), ("a_max", pl.a_max)):
                    self.ghost[key, loss].setData(ep, series[run])
                lo = min(lo, float(pl.margin[run].min()), float(pl.top[run].min()))
                hi = max(hi, float(pl.margin[run].max()), float(pl.top[run].max()))
            self.logit_plot.setYRange(lo - 0.05 * (hi - lo), hi + 0.05 * (hi - lo), padding=0)
            for pw in (self.logit_plot, self.conf_plot):
                pw.setXRange(0, ep[-1], padding=0.02)
        for loss in LOSSES:
            run = runs[loss]
            self.run["margin", loss].follow(self._ep, pl.margin[run], k + 1)
            self.run["top", loss].follow(self._ep, pl.top[run], k + 1)
            self.run["a_max", loss].follow(self._ep, pl.a_max[run], k + 1)

    def _blend(self, probs: np.ndarray) -> np.ndarray:
        """RGBA image (G, G, 4): class colours mixed by probability, faded where unsure."""
        k = self.n_classes
        col = np.tensordot(probs, self._class_rgb, axes=([0], [0]))          # (G, G, 3)
        conf = (probs.max(axis=0) - 1.0 / k) / (1.0 - 1.0 / k)
        out = np.empty(col.shape[:2] + (4,), dtype=np.ubyte)
        out[..., :3] = np.clip(col, 0, 255)
        out[..., 3] = np.clip(130.0 * conf, 0, 255)
        return out

    def mark_stale(self) -> None:
        self._stale = True
