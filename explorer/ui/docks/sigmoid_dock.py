"""``sigmoidDock``: σ(z) and σ′(z) with a draggable z marker."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from explorer import core, i18n
from explorer.model import app_model as m
from explorer.ui import theme
from explorer.ui.docks.base import ExplorerDock
from explorer.ui.docks.plots import make_plot
from explorer.ui.fmt import fmt

Z_GRID = np.linspace(-10.0, 10.0, 801)


class SigmoidDock(ExplorerDock):
    OBJECT_NAME = "sigmoidDock"
    TITLE = "Sigmoid and its gradient"
    KINDS = frozenset({m.SIGMOID})

    def build(self) -> None:
        th = theme.current()
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        self.plot = make_plot("z")
        self.plot.addLegend(offset=(10, 10))
        self.sigma_curve = self.plot.plot(Z_GRID, core.sigmoid(Z_GRID), pen=theme.pen(th.p, 2.5),
                                          name="σ(z)")
        self.deriv_curve = self.plot.plot(Z_GRID, core.sigmoid_derivative(Z_GRID),
                                          pen=theme.pen(th.accent, 2.5), name="σ′(z)")
        self.marker = pg.InfiniteLine(angle=90, movable=True, pen=theme.pen(th.foreground, 1.5),
                                      hoverPen=theme.pen(th.accent, 3))
        self.marker.sigDragged.connect(lambda line: self.model.set_z_marker(
            float(np.clip(line.value(), -10, 10)), finished=False))
        self.marker.sigPositionChangeFinished.connect(lambda line: self.model.set_z_marker(
            float(np.clip(line.value(), -10, 10)), finished=True))
        self.plot.addItem(self.marker)
        self.plot.setXRange(-10, 10, padding=0.02)
        self.plot.setYRange(-0.02, 1.05, padding=0)
        self.readout = QLabel()
        self.readout.setWordWrap(True)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.readout)
        self.setWidget(body)

    def retranslate(self) -> None:
        super().retranslate()
        self.marker.setToolTip(i18n.tr("Drag to move z"))

    def refresh(self, change) -> None:
        z = self.model.z_marker
        if self.marker.value() != z:
            self.marker.blockSignals(True)
            self.marker.setValue(z)
            self.marker.blockSignals(False)
        a = core.sigmoid(z)
        d = core.sigmoid_derivative(z)
        self.readout.setText(i18n.tr("At z = {z}: a = σ(z) = {a}, σ′(z) = {d}").format(
            z=fmt(z, 2), a=fmt(a, 4), d=fmt(d, 4)))
