"""Distribution editor docks (``pEditorDock``, ``qEditorDock``): p or q as a bar chart."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from explorer import i18n
from explorer.model import app_model as m
from explorer.ui import theme
from explorer.ui.docks.base import ExplorerDock
from explorer.ui.docks.plots import make_plot, set_category_ticks
from explorer.ui.fmt import fmt


class DistributionEditorDock(ExplorerDock):
    WHICH = "p"
    KINDS = frozenset({m.DISTRIBUTIONS, m.LABELS, m.LOCKS, m.LOGITS})

    def build(self) -> None:
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.plot = make_plot()
        self.plot.setYRange(0, 1.05, padding=0)
        color = theme.current().p if self.WHICH == "p" else theme.current().q
        self.bars = pg.BarGraphItem(x=[0], height=[0], width=0.7, brush=theme.brush(color, 200),
                                    pen=theme.pen(color, 1))
        self.plot.addItem(self.bars)
        self.value_labels: list[pg.TextItem] = []
        layout.addWidget(self.caption)
        layout.addWidget(self.plot, 1)
        self.setWidget(body)

    def retranslate(self) -> None:
        if self.WHICH == "p":
            self.setWindowTitle(i18n.tr("p — true distribution"))
            self.caption.setText(i18n.tr("What really happens: the labels' true probabilities."))
        else:
            self.setWindowTitle(i18n.tr("q — model's prediction"))
            self.caption.setText(i18n.tr("What the model believes: its predicted probabilities."))
        self.plot.getPlotItem().setLabel("left", i18n.tr("probability"))

    def refresh(self, change) -> None:
        values = self.model.dist(self.WHICH)
        n = values.size
        x = np.arange(n)
        self.bars.setOpts(x=x, height=values, width=0.7)
        self.plot.setXRange(-0.6, n - 0.4, padding=0)
        if change is None or change.touches(m.LABELS):
            set_category_ticks(self.plot, self.model.labels)
        self._update_value_labels(values)

    def _update_value_labels(self, values) -> None:
        n = values.size
        show = n <= 20
        while len(self.value_labels) < (n if show else 0):
            item = pg.TextItem(anchor=(0.5, 1.0), color=theme.current().foreground)
            self.plot.addItem(item)
            self.value_labels.append(item)
        for i, item in enumerate(self.value_labels):
            if show and i < n:
                item.setText(fmt(values[i], 3))
                item.setPos(i, min(values[i], 0.93) + 0.01)
                item.setVisible(True)
            else:
                item.setVisible(False)


class PEditorDock(DistributionEditorDock):
    OBJECT_NAME = "pEditorDock"
    WHICH = "p"


class QEditorDock(DistributionEditorDock):
    OBJECT_NAME = "qEditorDock"
    WHICH = "q"
