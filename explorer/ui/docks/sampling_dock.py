"""``samplingDock``: where cross-entropy comes from — events drawn from p, scored by q.

Draw events x ~ p (Step, or Play at 1 to 1000 events per second, seeded so a seed always gives
the same sequence), see the most recent ones as a strip coloured by category, and watch three
running means converge as the sample grows: of −log q(x) to H(p, q), of −log p(x) to H(p) and
of their difference to D_KL(p‖q), each with a ±2 standard-error band and a dashed line at the
exact value.  Below: the log-likelihood of the sample under q, which is −n times the first
mean — so minimising cross-entropy is maximising likelihood — and **Fit q to the sample**,
which sets q = pₙ (the share of each category among the n events), the maximum-likelihood q.

Every number comes from ``model.sample_numbers`` (``explorer.model.sample_numbers``); the
animation is a QTimer here that only asks the model for more events, paced by elapsed time.
"""
from __future__ import annotations

import math
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QSize, Qt, QTimer
from PySide6.QtGui import (QBrush, QColor, QFont, QKeySequence, QPainter, QPen,
                           QShortcut)
from PySide6.QtWidgets import (QCheckBox, QComboBox, QHBoxLayout, QLabel,
                               QPushButton, QSpinBox, QVBoxLayout, QWidget)

from explorer import i18n
from explorer.model import app_model as m
from explorer.model.sampling_state import MAX_SAMPLE, MAX_SEED, SAMPLE_RATES
from explorer.ui import theme
from explorer.ui.docks.base import ExplorerDock
from explorer.ui.docks.panel_common import cache_static_items
from explorer.ui.widgets.plots import make_plot, style_plot
from explorer.ui.fmt import fmt
from explorer.ui.widgets.painted import mix
from explorer.ui.widgets.trail import TrailBand, TrailCurve
from explorer.ui.widgets.training_common import LiveText, fixed_width
from explorer.ui.widgets.transport import Transport

FRAME_MS = 16
#: at most this many events are asked for per frame (1000/s needs about 17)
MAX_PER_FRAME = 5000
#: the running means are drawn through at most this many points (their bands through fewer)
PLOT_POINTS = 800
BAND_POINTS = 300
#: category colours of the strip (Okabe-Ito, then repeating)
STRIP_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
                 "#7F7F7F")


def category_colour(i: int) -> str:
    return STRIP_COLOURS[i % len(STRIP_COLOURS)]


class EventStrip(QWidget):
    """The most recent events, oldest on the left, as coloured cells with the category's initial."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._events: list[int] = []
        self._labels: list[str] = []
        self._impossible: set = set()
        self.setMinimumHeight(22)
        self.setAttribute(Qt.WA_OpaquePaintEvent, True)

    def sizeHint(self) -> QSize:
        return QSize(400, 24)

    def set_events(self, events, labels, impossible=()) -> None:
        ev = [int(e) for e in events]
        if ev != self._events or list(labels) != self._labels or set(impossible) != self._impossible:
            self._events, self._labels, self._impossible = ev, list(labels), set(impossible)
            self.update()

    def paintEvent(self, ev):
        th = theme.current()
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(th.background))
        n = len(self._events)
        if n:
            cell = max(8.0, min(22.0, self.width() / max(n, 1)))
            shown = self._events[-int(self.width() // cell):]
            font = QFont(self.font())
            font.setPointSizeF(max(6.0, cell * 0.45))
            p.setFont(font)
            x = self.width() - cell * len(shown)
            for e in shown:
                r = QRectF(x + 1, 2, cell - 2, self.height() - 4)
                colour = QColor(category_colour(e))
                p.fillRect(r, colour)
                if e in self._impossible:
                    p.setPen(QPen(QColor(th.warning), 2))
                    p.drawRect(r.adjusted(1, 1, -1, -1))
                label = self._labels[e][:1] if e < len(self._labels) else "?"
                p.setPen(QColor("#FFFFFF") if colour.lightness() < 150 else QColor("#000000"))
                p.drawText(r, Qt.AlignCenter, label)
                x += cell
        p.end()


class SamplingDock(ExplorerDock):
    OBJECT_NAME = "samplingDock"
    TITLE = "Sampling: cross-entropy from data"
    KINDS = frozenset({m.SAMPLE, m.SAMPLE_VIEW, m.DISTRIBUTIONS, m.LABELS, m.UNIT, m.EPS,
                       m.LOGITS})

    # ------------------------------------------------------------------ build
    def build(self) -> None:
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(3)
        bar = QHBoxLayout()
        bar.setSpacing(4)
        self.transport = Transport(
            self, "sample", self.toggle_play, self.step, self.reset,
            lambda running: i18n.tr("Pause drawing (Space)") if running
            else i18n.tr("Draw events continuously at the chosen rate (Space)"))
        self.play_btn, self.step_btn, self.reset_btn = self.transport.buttons()
        self.rate_label = QLabel()
        self.rate_combo = QComboBox()
        self.rate_combo.setObjectName("sampleRate")
        self.rate_combo.setSizeAdjustPolicy(QComboBox.AdjustToContents)
        self.rate_combo.setMinimumContentsLength(6)
        for r in SAMPLE_RATES:
            self.rate_combo.addItem("", r)
        self.rate_combo.activated.connect(self._on_rate_chosen)
        self.rate_label.setBuddy(self.rate_combo)
        self.seed_label = QLabel()
        self.seed_spin = QSpinBox()
        self.seed_spin.setObjectName("sampleSeed")
        self.seed_spin.setRange(0, MAX_SEED)
        self.seed_spin.setKeyboardTracking(False)
        self.seed_spin.setMaximumWidth(self.seed_spin.fontMetrics().horizontalAdvance("0000000000") + 30)
        self.seed_spin.valueChanged.connect(self._on_seed_changed)
        self.seed_label.setBuddy(self.seed_spin)
        self.log_check = QCheckBox()
        self.log_check.setObjectName("sampleLogAxis")
        self.log_check.toggled.connect(lambda on: self.attempt(self.model.set_sample_log_axis, on))
        self.fit_btn = QPushButton()
        self.fit_btn.setObjectName("sampleFit")
        self.fit_btn.clicked.connect(lambda: self.attempt(self.model.fit_q_to_sample))
        for w in (self.play_btn, self.step_btn, self.reset_btn):
            bar.addWidget(w)
        bar.addSpacing(6)
        bar.addWidget(self.rate_label)
        bar.addWidget(self.rate_combo)
        bar.addStretch(1)
        layout.addLayout(bar)
        bar2 = QHBoxLayout()
        bar2.setSpacing(4)
        bar2.addWidget(self.seed_label)
        bar2.addWidget(self.seed_spin)
        bar2.addWidget(self.log_check)
        bar2.addStretch(1)
        bar2.addWidget(self.fit_btn)
        layout.addLayout(bar2)
        strip_row = QHBoxLayout()
        self.count_label = QLabel()
        self.count_label.setObjectName("sampleCount")
        # a fixed size (width and height), so a new count never re-lays out the dock: a QLabel of
        # any other size asks its layout to run again at every setText, on every frame
        fixed_width(self.count_label, f"n = {MAX_SAMPLE:,}".replace(",", " ") + "  ")
        self.strip = EventStrip()
        self.strip.setObjectName("sampleStrip")
        strip_row.addWidget(self.count_label)
        strip_row.addWidget(self.strip, 1)
        layout.addLayout(strip_row)
        self.legend = QLabel()
        self.legend.setObjectName("sampleLegend")
        self.legend.setTextFormat(Qt.RichText)
        self.legend.setWordWrap(True)
        layout.addWidget(self.legend)
        # --- running means against n --------------------------------------------------
        self.plot = make_plot()
        self.plot.setObjectName("samplePlot")
        self.plot.setMinimumSize(200, 140)
        pi = self.plot.getPlotItem()
        self.curves, self.bands, self.exact_lines = {}, {}, {}
        for key in ("cross", "entropy", "kl"):
            # the running means of the first events never change: curve and band grow at the
            # right by a few points a frame, drawn incrementally (trail.py); a range step draws
            # them afresh.  The band is opaque (a blended fill repainted every pixel under it)
            band = TrailBand()
            band.setZValue(-5)
            self.plot.addItem(band, ignoreBounds=True)
            self.bands[key] = band
            curve = TrailCurve()
            curve.setZValue(5)
            self.plot.addItem(curve)
            self.curves[key] = curve
            line = pg.InfiniteLine(angle=0, movable=False)
            self.plot.addItem(line, ignoreBounds=True)
            self.exact_lines[key] = line
        pi.getViewBox().setDefaultPadding(0.02)
        # the axes (and their grid) change only when the ranges step: keep them as pixmaps
        cache_static_items(self.plot, list(self.exact_lines.values()))
        layout.addWidget(self.plot, 1)
        # changes on every frame of a playing sample: a box that grows for another line but
        # never re-lays out the dock for a new text (LiveText)
        self.sentence = LiveText("sampleSentence", rich=True)
        self.sentence.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.sentence.set_minimum_lines(2)
        layout.addWidget(self.sentence)
        self.note = QLabel()
        self.note.setObjectName("sampleNote")
        self.note.setWordWrap(True)
        self.note.setVisible(False)
        layout.addWidget(self.note)
        self.setWidget(body)
        # --- animation + keys -------------------------------------------------------------
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.PreciseTimer)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self.tick)
        self._anchor = None          # (time, count) the current playback is paced from
        self.shortcuts = {}
        for name, key, slot in (("play", Qt.Key_Space, self.toggle_play),
                                ("step", Qt.Key_Right, self.step),
                                ("reset", Qt.Key_R, self.reset)):
            sc = QShortcut(QKeySequence(key), self)
            sc.setContext(Qt.WidgetWithChildrenShortcut)
            sc.activated.connect(slot)
            self.shortcuts[name] = sc
        self._error = None
        self.apply_theme()

    def _colours(self) -> dict:
        th = theme.current()
        return {"cross": th.q, "entropy": th.p, "kl": th.kl}

    def apply_theme(self) -> None:
        th = theme.current()
        style_plot(self.plot, grid=(True, True))
        background = QColor(th.background)
        for key, colour in self._colours().items():
            self.curves[key].setPen(theme.pen(colour, 2))
            self.bands[key].setBrush(QBrush(mix(QColor(colour), background, 0.18)))
            self.exact_lines[key].setPen(theme.pen(colour, 1.2, style=Qt.DashLine))
        self.note.setStyleSheet(f"color: {th.warning}")
        self.strip.update()
        self._update_legend()

    # ------------------------------------------------------------------ texts
    def retranslate(self) -> None:
        super().retranslate()
        # what Help → Keyboard shortcuts says of each key
        self.shortcuts["play"].setWhatsThis(i18n.tr("Draw continuously or pause"))
        self.shortcuts["step"].setWhatsThis(i18n.tr("Draw one event"))
        self.shortcuts["reset"].setWhatsThis(i18n.tr("Empty the sample"))
        tr = i18n.tr
        self.step_btn.setText(tr("Step"))
        self.step_btn.setToolTip(tr("Draw one event x ~ p (→)"))
        self.reset_btn.setText(tr("Reset"))
        self.reset_btn.setToolTip(tr("Forget the sample and start again (R); the seed stays"))
        self.rate_label.setText(tr("R&ate"))
        for i, r in enumerate(SAMPLE_RATES):
            self.rate_combo.setItemText(i, tr("{rate}/s").format(rate=f"{r:g}"))
        self.rate_combo.setToolTip(tr("Events drawn per second while playing"))
        self.seed_label.setText(tr("S&eed"))
        self.seed_spin.setToolTip(tr("The same seed gives the same events on every machine; a "
                                     "new seed starts a new sample"))
        self.log_check.setText(tr("&log n"))
        self.log_check.setToolTip(tr("Number of events n on a logarithmic axis: the early "
                                     "wobble and the slow 1/√n convergence both show"))
        self.fit_btn.setText(tr("&Fit q to the sample"))
        self.fit_btn.setToolTip(tr("Set q = pₙ, the share of each category in the n events drawn: "
                                   "the q that gives the sample the highest likelihood (undo with "
                                   "Ctrl+Z)"))
        self.strip.setToolTip(tr("The most recent events, oldest on the left, coloured by "
                                 "category; a red frame marks an event q calls impossible"))
        pi = self.plot.getPlotItem()
        pi.setLabel("bottom", tr("number of events n"))
        self.plot.setToolTip(tr("Running means over the first n events, with ±2 standard-error "
                                "bands; dashed: the exact values they converge to"))
        self.transport.show_running(self.model.sample_running, force=True)
        self._update_legend()

    def _update_legend(self) -> None:
        if not hasattr(self, "legend"):
            return
        tr = i18n.tr
        c = self._colours()
        parts = [(c["cross"], tr("mean of −log q(x) → H(p, q)")),
                 (c["entropy"], tr("mean of −log p(x) → H(p)")),
                 (c["kl"], tr("mean of log p(x)/q(x) → D_KL(p‖q)"))]
        self.legend.setText("&nbsp;&nbsp;&nbsp;".join(
            f"<span style='color:{col}'><b>━</b></span>&nbsp;{text}" for col, text in parts)
            + "&nbsp;&nbsp;&nbsp;" + tr("(band ±2 SE, dashed: exact)"))

    def show_error(self, text) -> None:
        self._error = text
        self._update_note()

    def toggle_play(self) -> None:
        model = self.model
        if model.sample_running:
            model.set_sample_running(False)
            model.finish_edit({m.SAMPLE})
            return
        self._anchor = None
        model.set_sample_running(True)

    def step(self) -> None:
        self.model.set_sample_running(False)
        self.attempt(self.model.draw_samples, 1)

    def reset(self) -> None:
        self.model.set_sample_running(False)
        self.attempt(self.model.reset_sample)

    def _on_rate_chosen(self, index: int) -> None:
        self._anchor = None
        self.attempt(self.model.set_sample_rate, self.rate_combo.itemData(index))

    def _on_seed_changed(self, value: int) -> None:
        if value != self.model.sampling.seed:
            self.attempt(self.model.set_sample_seed, int(value))

    # ------------------------------------------------------------------ animation
    def tick(self, now: float | None = None) -> None:
        """One frame: draw as many events as elapsed time × rate asks for (at most
        MAX_PER_FRAME).  *now* (seconds) lets tests and the benchmark drive it."""
        model = self.model
        if not model.sample_running:
            self._timer.stop()
            return
        now = time.perf_counter() if now is None else now
        count = model.sampling.count
        if self._anchor is None or now < self._anchor[0]:
            if count == 0:                       # the first event shows at once
                if not self.attempt(model.draw_samples, 1, False):
                    return model.set_sample_running(False)
                count = 1
            self._anchor = (now, count)
            return
        t0, c0 = self._anchor
        target = c0 + int(math.floor((now - t0) * model.sampling.rate))
        want = min(target - count, MAX_PER_FRAME)
        if want > 0 and not self.attempt(model.draw_samples, want, False):
            model.set_sample_running(False)

    # ------------------------------------------------------------------ redraw
    def refresh(self, change) -> None:
        model = self.model
        s = model.sampling
        num = model.sample_numbers
        if change is None or change.touches(m.SAMPLE_VIEW):
            i = self.rate_combo.findData(s.rate)
            if i != self.rate_combo.currentIndex():
                self.rate_combo.setCurrentIndex(i)
            if self.log_check.isChecked() != s.log_axis:
                self.log_check.blockSignals(True)
                self.log_check.setChecked(s.log_axis)
                self.log_check.blockSignals(False)
            # the curves are fed log10(n) when logarithmic: the axis labels them 10^k
            self.plot.getPlotItem().getAxis("bottom").setLogMode(s.log_axis)
            self._x_range = None
            self.transport.show_running(model.sample_running)
            if model.sample_running and not self._timer.isActive():
                self._anchor = None
                self._timer.start()
        if self.seed_spin.value() != s.seed and not self.seed_spin.hasFocus():
            self.seed_spin.blockSignals(True)
            self.seed_spin.setValue(s.seed)
            self.seed_spin.blockSignals(False)
        self.fit_btn.setEnabled(num.count > 0)
        self.count_label.setText(f"n = {num.count:,}".replace(",", " "))
        impossible = {i for i in range(model.n) if model.q[i] == 0}
        self.strip.set_events(num.recent, model.labels, impossible)
        self._draw_curves(num)
        self._update_sentence(num)
        self._update_note()

    @staticmethod
    def _grid(n: int, points: int, top: int, log: bool) -> tuple[np.ndarray, int]:
        """Which of the first *n* events the plot shows, and how many of them are settled: about
        *points* spread over the shown range 1 … *top* (evenly, or evenly in log n), the same
        indices at every n until the range steps, so a growing sample only adds points at the
        right; plus the newest event (live: the next frame replaces it)."""
        if top <= points:
            grid = np.arange(min(n, top))
        elif log:
            grid = np.unique(np.geomspace(1, top, points).astype(np.int64) - 1)
            grid = grid[grid < n]
        else:
            grid = np.arange(0, n, -(-top // points))
        settled = grid.size
        if n and (settled == 0 or grid[-1] != n - 1):
            grid = np.append(grid, n - 1)
        return grid, settled

    @staticmethod
    def _top(n: int) -> int:
        """The right end of the x range: 10, 20, 40, … — the first at or past n."""
        top = 10
        while top < n:
            top *= 2
        return top

    def _draw_curves(self, num) -> None:
        model, info = self.model, self.model.info
        unit = i18n.tr(info.unit)
        pi = self.plot.getPlotItem()
        label = i18n.tr("mean surprise [{unit}]").format(unit=unit)
        if label != getattr(self, "_y_label", None):
            self._y_label = label
            pi.setLabel("left", label)
        exact = {"cross": info.cross_pq, "entropy": info.entropy_p, "kl": info.kl_pq}
        n = num.count
        log = model.sampling.log_axis
        run = num.running
        top = self._top(n)
        # the same events for the three curves (and for the three bands)
        idx, settled = self._grid(n, PLOT_POINTS, top, log)
        bidx, bsettled = self._grid(n, BAND_POINTS, top, log)
        for key in self.curves:
            if n == 0:
                self.curves[key].extend([], [])
                self.bands[key].extend([], [], [])
                continue
            means = getattr(run, key)
            mean = means[idx]
            ok = np.isfinite(mean)          # an impossible event: the mean is ∞ from there on
            x = idx[ok] + 1.0
            self.curves[key].extend(np.log10(x) if log else x, mean[ok],
                                    settled=int(ok[:settled].sum()))
            m = means[bidx]
            se = getattr(run, key + "_se")[bidx]
            good = np.isfinite(m)
            half = np.where(np.isfinite(se), 2 * se, 0.0)[good]
            bx = bidx[good] + 1.0
            m = m[good]
            self.bands[key].extend(np.log10(bx) if log else bx, m - half, m + half,
                                   settled=int(good[:bsettled].sum()))
        values = []
        for key, line in self.exact_lines.items():
            v = exact[key]
            line.setVisible(math.isfinite(v))
            if math.isfinite(v):
                line.setValue(v)
                values.append(v)
        if n:
            tail = slice(min(n - 1, 9), n)          # the first events swing widely: frame the rest
            for key in self.curves:
                arr = getattr(run, key)[tail]
                arr = arr[np.isfinite(arr)]
                if arr.size:
                    values += [float(arr.min()), float(arr.max())]
        self._frame(values, top, log)

    def _frame(self, values, top: int, log: bool) -> None:
        """Axis ranges that change only in steps (doubling n, or y leaving the shown range), so
        the axes are not redrawn on every frame of a playing sample."""
        pi = self.plot.getPlotItem()
        if values:
            lo, hi = min(values + [0.0]), max(values)
            shown = getattr(self, "_y_range", None)
            if shown is None or lo < shown[0] or hi > shown[1] or \
                    (hi - lo) < 0.5 * (shown[1] - shown[0]):
                pad = 0.12 * max(hi - lo, 1e-6)
                self._y_range = (lo - pad, hi + pad)
                pi.setYRange(*self._y_range, padding=0)
        x_range = (0.0, math.log10(top)) if log else (1.0, float(top))
        if x_range != getattr(self, "_x_range", None):
            self._x_range = x_range
            pi.setXRange(*x_range, padding=0.02)

    def _update_sentence(self, num) -> None:
        tr = i18n.tr
        model, info = self.model, self.model.info
        digits = model.precision
        unit = tr(info.unit)
        if num.count == 0:
            self.sentence.setText(tr(
                "Draw events from p (Step or Play). Cross-entropy H(p, q) is the average surprise "
                "−log q(x) of q when x really comes from p: watch the mean of a growing sample "
                "approach it."))
            return
        c = self._colours()
        n = num.count
        ll = num.log_likelihood
        text = tr(
            "Log-likelihood of the sample under q: log L = Σ log q(xₖ) = −n × mean(−log q) = "
            "−{n} × {mean} = <b>{ll}</b> {unit} ({per} {unit} per event). Minimising "
            "cross-entropy = maximising likelihood: the q that makes this sample most likely is "
            "pₙ, the share of each category in it, and there mean(−log q) = H(pₙ) = {h_hat} {unit}."
        ).format(n=f"{n:,}".replace(",", " "),
                 mean=f"<span style='color:{c['cross']}'>{fmt(num.cross, digits)}</span>",
                 ll=fmt(ll, 2 if math.isfinite(ll) and abs(ll) >= 100 else digits), unit=unit,
                 per=fmt(ll / n if math.isfinite(ll) else ll, digits),
                 h_hat=fmt(num.entropy_p_hat, digits))
        if model.sample_stale:
            text += " " + tr("(Re-scored when the drag ends.)")
        self.sentence.setText(text)

    def _update_note(self) -> None:
        tr = i18n.tr
        model = self.model
        num = model.sample_numbers
        lines = []
        if self._error:
            lines.append(self._error)
        if num.impossible is not None:
            k, cat = num.impossible
            lines.append(tr("Event {k} was “{label}”, which q calls impossible (q = 0): from "
                            "there on the mean of −log q is ∞, and so is H(p, q) — one such "
                            "event makes the likelihood 0.").format(
                k=k + 1, label=model.labels[cat] if cat < model.n else cat))
        if model.sample_note == "n" and num.count == 0:
            lines.append(tr("Changing the number of categories started a new sample."))
        text = "\n".join(lines)
        if text != self.note.text():
            self.note.setText(text)
        self.note.setVisible(bool(text))
