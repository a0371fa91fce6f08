"""``trainingDock``: the MSE-vs-CE race of one sigmoid neuron (loss against epoch)."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from explorer import i18n
from explorer.model import app_model as m
from explorer.ui import theme
from explorer.ui.docks.base import ExplorerDock
from explorer.ui.docks.plots import make_plot
from explorer.ui.fmt import fmt


class TrainingDock(ExplorerDock):
    OBJECT_NAME = "trainingDock"
    TITLE = "Training race: MSE vs cross-entropy"
    KINDS = frozenset({m.TRAINING_PARAMS, m.TRAINING_PROGRESS})

    def build(self) -> None:
        th = theme.current()
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        self.plot = make_plot()
        self.plot.addLegend(offset=(-10, 10))
        self.mse_curve = self.plot.plot([], [], pen=theme.pen(th.mse, 2.5), name="MSE")
        self.ce_curve = self.plot.plot([], [], pen=theme.pen(th.ce, 2.5), name="CE")
        self.epoch_line = pg.InfiniteLine(angle=90, movable=False,
                                          pen=theme.pen(th.neutral, 1, style=pg.QtCore.Qt.DashLine))
        self.plot.addItem(self.epoch_line)
        self.readout = QLabel()
        self.readout.setWordWrap(True)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.readout)
        self.setWidget(body)

    def retranslate(self) -> None:
        super().retranslate()
        pi = self.plot.getPlotItem()
        pi.setLabel("bottom", i18n.tr("epoch"))
        pi.setLabel("left", i18n.tr("loss"))

    def refresh(self, change) -> None:
        hist = self.model.histories
        epochs = np.arange(hist["mse"].loss.size)
        if change is None or change.touches(m.TRAINING_PARAMS):
            self.mse_curve.setData(epochs, hist["mse"].loss)
            self.ce_curve.setData(epochs, hist["ce"].loss)
        k = self.model.training_epoch
        self.epoch_line.setValue(k)
        t = self.model.training
        self.readout.setText(i18n.tr(
            "a = σ(wx + b), x = {x}, y = {y}, start w = {w}, b = {b}, η = {lr}. "
            "Epoch {k}: MSE output a = {a_mse}, CE output a = {a_ce}").format(
            x=fmt(t.x, 2), y=fmt(t.y, 0), w=fmt(t.w0, 2), b=fmt(t.b0, 2), lr=fmt(t.lr, 3), k=k,
            a_mse=fmt(hist["mse"].a[k], 3), a_ce=fmt(hist["ce"].a[k], 3)))
