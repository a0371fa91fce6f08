"""``curvesDock``: self-information I(x) = −log x and the entropy against its maximum.

Top: the curve I(x) = −log x on (0, 1] with a marker at every p_i and q_i (an infinite value at
x = 0 is drawn as a triangle at the top edge).  Bottom: for N = 2 the binary entropy
H(x) = −x log x − (1−x) log(1−x), peaking at x = ½, with p and q marked (x = probability of the
first category); for N > 2 bars of H(p) and H(q) against their maximum log N, reached only by the
uniform distribution.  Curve points and every value come from ``model.info``.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QBrush
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from explorer import i18n
from explorer.model import app_model as m
from explorer.ui import theme
from explorer.ui.docks.base import ExplorerDock
from explorer.ui.widgets.plots import make_plot
from explorer.ui.fmt import fmt

LOG_SYMBOL = {"bits": "log₂", "nats": "ln", "bans": "log₁₀"}
MARKER = 10
MARKER_HIGHLIGHT = 16
#: the Self-information plot's margin around [0, 1] × [0, top]: half the largest marker, in px
MARKER_ROOM_PX = MARKER_HIGHLIGHT // 2 + 3


class CurvesDock(ExplorerDock):
    OBJECT_NAME = "curvesDock"
    TITLE = "Curves"
    KINDS = frozenset({m.DISTRIBUTIONS, m.UNIT, m.EPS, m.LOGITS, m.LABELS, m.HIGHLIGHT})

    def build(self) -> None:
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        # --- self-information ----------------------------------------------------------
        self.info_plot = make_plot()
        self.info_plot.getPlotItem().getViewBox().sigResized.connect(self._fit_info_range)
        self.info_plot.setObjectName("selfInfoPlot")
        self.info_legend = self.info_plot.getPlotItem().addLegend(offset=(-4, 4), labelTextSize="8pt")
        self.info_curve = pg.PlotDataItem()
        self.p_markers = pg.ScatterPlotItem(symbol="o", name="pᵢ", hoverable=True, tip=self._tip)
        # q as hollow squares around p's filled circles: an equal p_i stays visible inside
        self.q_markers = pg.ScatterPlotItem(symbol="s", name="qᵢ", hoverable=True, tip=self._tip)
        # a q_i clipped at eps sits at x = eps with y = −log eps: drawn as a cross, named so
        self.q_clipped = pg.ScatterPlotItem(symbol="x", hoverable=True, tip=self._tip)
        self.inf_markers = pg.ScatterPlotItem(symbol="t1", size=MARKER + 2)
        self.info_plot.addItem(self.info_curve)
        for item in (self.p_markers, self.q_markers, self.q_clipped, self.inf_markers):
            self.info_plot.addItem(item)
        self._clipped_in_legend = False
        # --- entropy against its maximum ----------------------------------------------
        self.entropy_plot = make_plot()
        self.entropy_plot.setObjectName("entropyPlot")
        self.hb_curve = pg.PlotDataItem()
        self.hb_markers = pg.ScatterPlotItem(size=MARKER + 2, hoverable=True, tip=self._tip)
        self.peak_line = pg.InfiniteLine(pos=0.5, angle=90)
        self.max_line = pg.InfiniteLine(pos=1.0, angle=0)
        self.max_label = pg.TextItem(anchor=(0.0, 1.0))
        self.entropy_bars = pg.BarGraphItem(x=[0, 1], height=[0, 0], width=0.5)
        for item in (self.hb_curve, self.peak_line, self.max_line, self.entropy_bars,
                     self.hb_markers, self.max_label):
            self.entropy_plot.addItem(item)

        self.splitter = QSplitter(Qt.Vertical)
        self.splitter.addWidget(self.info_plot)
        self.splitter.addWidget(self.entropy_plot)
        self.splitter.setChildrenCollapsible(False)
        layout.addWidget(self.splitter, 1)
        self.setWidget(body)
        self.apply_theme()

    def apply_theme(self) -> None:
        th = theme.current()
        self.info_curve.setPen(theme.pen(th.foreground, 2))
        self.p_markers.setBrush(theme.brush(th.p))
        self.p_markers.setPen(theme.pen(th.foreground, 1))
        self.q_markers.setBrush(QBrush(Qt.NoBrush))
        self.q_markers.setPen(theme.pen(th.q, 2))
        self.q_clipped.setBrush(theme.brush(th.warning))
        self.q_clipped.setPen(theme.pen(th.warning, 2))
        self.inf_markers.setBrush(theme.brush(th.warning))
        self.inf_markers.setPen(theme.pen(th.warning, 1))
        self.hb_curve.setPen(theme.pen(th.foreground, 2))
        self.peak_line.setPen(theme.pen(th.neutral, 1, style=Qt.DashLine))
        self.max_line.setPen(theme.pen(th.accent, 1.5, style=Qt.DashLine))
        self.max_label.setColor(th.accent)
        for pw in (self.info_plot, self.entropy_plot):
            pw.setBackground(th.background)
        if self.model is not None and hasattr(self, "_drawn"):
            self.refresh(None)

    def retranslate(self) -> None:
        super().retranslate()
        tr = i18n.tr
        self.info_plot.setToolTip(tr(
            "Self-information I(x) = −log x: an outcome of probability x carries −log x units of "
            "surprise — 0 for a certain one, ∞ for an impossible one. Markers: pᵢ (filled "
            "circles) and qᵢ (hollow squares, so an equal pᵢ shows inside); a cross is a qᵢ "
            "clipped at eps; a triangle at the top edge is an infinite value at x = 0."))
        self.entropy_plot.setToolTip(tr(
            "Entropy against its maximum. With two categories: the binary entropy curve, highest "
            "at x = ½. With more: H(p) and H(q) against log N, the entropy of the uniform "
            "distribution — the most uncertain one."))

    # ------------------------------------------------------------------ helpers
    def _tip(self, x, y, data):
        return i18n.tr("{label}: x = {x}, value = {y}").format(
            label=data, x=fmt(x, self.model.precision), y=fmt(y, self.model.precision))

    def _sizes(self, n: int, base: float = MARKER) -> np.ndarray:
        sizes = np.full(n, base, dtype=float)
        h = self.model.highlight
        if h is not None and h < n:
            sizes[h] = base + MARKER_HIGHLIGHT - MARKER
        return sizes

    def _show_clipped_in_legend(self, show: bool, note: str) -> None:
        if show and not self._clipped_in_legend:
            self.info_legend.addItem(self.q_clipped, note)
        elif not show and self._clipped_in_legend:
            self.info_legend.removeItem(self.q_clipped)
        elif show:
            self.info_legend.getLabel(self.q_clipped).setText(note)
        self._clipped_in_legend = show

    # ------------------------------------------------------------------ redraw
    def _fit_info_range(self) -> None:
        """[0, 1] × [0, top] plus room for a whole marker at x = 0 and 1, at I = 0 (p = 1 sits
        in the corner) and for the ∞ triangles at the top, whatever the plot's pixel size."""
        top = getattr(self, "_info_top", None)
        if top is None:
            return
        vb = self.info_plot.getPlotItem().getViewBox()
        w, h = max(vb.width(), 4 * MARKER_ROOM_PX), max(vb.height(), 4 * MARKER_ROOM_PX)
        fx = MARKER_ROOM_PX / (w - 2 * MARKER_ROOM_PX)
        fy = MARKER_ROOM_PX / (h - 2 * MARKER_ROOM_PX)
        self.info_plot.setXRange(-fx, 1 + fx, padding=0)
        self.info_plot.setYRange(-fy * top, top * (1 + fy), padding=0)

    def refresh(self, change) -> None:
        self._drawn = True
        model, info = self.model, self.model.info
        tr = i18n.tr
        unit = tr(info.unit)
        log = LOG_SYMBOL[info.unit]
        labels = model.labels
        n = model.n
        sizes = self._sizes(n)

        # self-information curve and markers
        x, y = info.curve_x, info.self_info_curve
        p, q_used = np.asarray(model.p), np.asarray(info.q_used)
        yp, yq = info.terms["self_info_p"], info.terms["self_info_q"]
        finite = np.concatenate([yp[np.isfinite(yp)], yq[np.isfinite(yq)]])
        floor = float(y[np.searchsorted(x, 0.02)])           # show at least down to x = 0.02
        top = max(floor, float(finite.max()) if finite.size else floor) * 1.1
        visible = y <= top * 1.02
        self.info_curve.setData(x[visible], y[visible])
        fp, fq = np.isfinite(yp), np.isfinite(yq)
        clipped = np.zeros(n, dtype=bool)
        clipped[list(info.clipped_q)] = True
        plain, cut = fq & ~clipped, fq & clipped
        q_sizes = self._sizes(n, MARKER + 5)
        self.p_markers.setData(x=p[fp], y=yp[fp], size=sizes[fp],
                               data=[labels[i] for i in np.flatnonzero(fp)])
        self.q_markers.setData(x=q_used[plain], y=yq[plain], size=q_sizes[plain],
                               data=[labels[i] for i in np.flatnonzero(plain)])
        note = tr("q clipped to eps = {eps}").format(eps=f"{info.eps:g}") if info.eps else ""
        self.q_clipped.setData(x=q_used[cut], y=yq[cut], size=q_sizes[cut],
                               data=[f"{labels[i]} ({note})" for i in np.flatnonzero(cut)])
        self._show_clipped_in_legend(bool(cut.any()), note)
        n_inf = int((~fp).sum() + (~fq).sum())
        self.inf_markers.setData(x=np.zeros(n_inf), y=np.full(n_inf, top * 0.97))
        self._info_top = top
        self._fit_info_range()
        pi = self.info_plot.getPlotItem()
        pi.setTitle(tr("Self-information I(x) = −{log} x").format(log=log), size="9pt")
        pi.setLabel("left", tr("I(x) [{unit}]").format(unit=unit))
        pi.setLabel("bottom", tr("probability x"))

        # entropy against its maximum
        pe = self.entropy_plot.getPlotItem()
        hmax = info.max_entropy
        self.max_line.setValue(hmax)
        if n == 2:
            self.hb_curve.setData(info.curve_x, info.binary_entropy_curve)
            q = np.asarray(model.q)
            th = theme.current()
            self.hb_markers.setData(
                x=[p[0], q[0]], y=[info.entropy_p, info.entropy_q], size=[sizes[0] + 2] * 2,
                symbol=["o", "s"], brush=[theme.brush(th.p), theme.brush(th.q)],
                pen=theme.pen(th.foreground, 1), data=["H(p)", "H(q)"])
            for item in (self.hb_curve, self.peak_line, self.hb_markers):
                item.setVisible(True)
            self.entropy_bars.setVisible(False)
            self.entropy_plot.setXRange(0, 1, padding=0.02)
            pe.getAxis("bottom").setTicks(None)
            pe.setTitle(tr("Binary entropy H(x) = −x {log} x − (1−x) {log}(1−x)").format(log=log),
                        size="9pt")
            pe.setLabel("bottom", tr("x = probability of “{label}”").format(label=labels[0]))
            self.max_label.setText(tr("max {value} {unit} at x = ½ (uniform)").format(
                value=fmt(hmax, model.precision), unit=unit))
            self.max_label.setPos(0.02, hmax * 1.0)
        else:
            th = theme.current()
            self.entropy_bars.setOpts(x=[0, 1], height=[info.entropy_p, info.entropy_q], width=0.5,
                                      brushes=[theme.brush(th.p, 220), theme.brush(th.q, 220)],
                                      pens=[theme.pen(th.p, 1), theme.pen(th.q, 1)])
            for item in (self.hb_curve, self.peak_line, self.hb_markers):
                item.setVisible(False)
            self.entropy_bars.setVisible(True)
            self.entropy_plot.setXRange(-0.6, 1.6, padding=0)
            pe.getAxis("bottom").setTicks([[(0, "H(p)"), (1, "H(q)")], []])
            pe.setTitle(tr("Entropy against its maximum {log} N, N = {n}").format(log=log, n=n),
                        size="9pt")
            pe.setLabel("bottom", "")
            self.max_label.setText(tr("{log} {n} = {value} {unit} (uniform)").format(
                log=log, n=n, value=fmt(hmax, model.precision), unit=unit))
            self.max_label.setPos(-0.55, hmax)
        self.entropy_plot.setYRange(0, hmax * 1.2, padding=0)
        pe.setLabel("left", tr("entropy [{unit}]").format(unit=unit))
