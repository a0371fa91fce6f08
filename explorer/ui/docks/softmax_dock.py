"""``softmaxDock``: logits z and softmax(z / T) side by side."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from explorer import core, i18n
from explorer.model import app_model as m
from explorer.ui import theme
from explorer.ui.docks.base import ExplorerDock
from explorer.ui.docks.plots import make_plot, set_category_ticks
from explorer.ui.fmt import fmt


class SoftmaxDock(ExplorerDock):
    OBJECT_NAME = "softmaxDock"
    TITLE = "Softmax and categorical cross-entropy"
    KINDS = frozenset({m.SOFTMAX, m.LOGITS, m.DISTRIBUTIONS, m.LABELS})

    def build(self) -> None:
        th = theme.current()
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        row = QHBoxLayout()
        self.logit_plot = make_plot()
        self.logit_bars = pg.BarGraphItem(x=[0], height=[0], width=0.6,
                                          brush=theme.brush(th.neutral, 200))
        self.logit_plot.addItem(self.logit_bars)
        self.prob_plot = make_plot()
        self.prob_plot.setYRange(0, 1.05, padding=0)
        self.prob_bars = pg.BarGraphItem(x=[0], height=[0], width=0.6, brush=theme.brush(th.q, 200))
        self.prob_plot.addItem(self.prob_bars)
        row.addWidget(self.logit_plot)
        row.addWidget(self.prob_plot)
        layout.addLayout(row, 1)
        self.readout = QLabel()
        self.readout.setWordWrap(True)
        layout.addWidget(self.readout)
        self.setWidget(body)

    def retranslate(self) -> None:
        super().retranslate()
        self.logit_plot.getPlotItem().setTitle(i18n.tr("logits z"))
        self.prob_plot.getPlotItem().setTitle(i18n.tr("a = softmax(z / T)"))

    def refresh(self, change) -> None:
        z = self.model.softmax_logits
        n = z.size
        a = core.softmax(z, temperature=self.model.temperature)
        x = np.arange(n)
        self.logit_bars.setOpts(x=x, height=z, width=0.6)
        self.prob_bars.setOpts(x=x, height=a, width=0.6)
        labels = self.model.labels if len(self.model.labels) == n else [str(i + 1) for i in range(n)]
        for pw in (self.logit_plot, self.prob_plot):
            pw.setXRange(-0.6, n - 0.4, padding=0)
            set_category_ticks(pw, labels)
        lo, hi = float(min(z.min(), 0.0)), float(max(z.max(), 0.0))
        self.logit_plot.setYRange(lo - 0.1 * (hi - lo + 1e-9), hi + 0.1 * (hi - lo + 1e-9), padding=0)
        if n == self.model.n:
            loss = core.categorical_cross_entropy(self.model.p, a)
            self.readout.setText(i18n.tr("Loss −Σ y_j log a_j with y = p: {loss} nats").format(
                loss=fmt(loss, self.model.precision)))
        else:
            self.readout.setText("")
