"""``softmaxDock``: logits z (draggable bars, or q's own logits when q is in logit mode), the
temperature T, the target y (= p, or one-hot of a class), the bars of a = softmax(z / T), the loss
−Σ y_j ln a_j, the gradient ∂L/∂z = a − y (divided by T) as signed bars, a live
finite-difference check and a "show derivation" expander with the current numbers.

Everything drawn comes from ``model.softmax_numbers``; gestures become model commands.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QPainterPath
from PySide6.QtWidgets import (QCheckBox, QComboBox, QGridLayout, QLabel, QSizePolicy, QSpinBox,
                               QToolButton, QVBoxLayout)

from explorer import i18n
from explorer.model import app_model as m
from explorer.model import panel_numbers
from explorer.ui import theme
from explorer.ui.controls import spin
from explorer.ui.docks.base import ExplorerDock
from explorer.ui.docks.panel_common import PanelBody, cache_static_items, fmt_sig
from explorer.ui.docks.plots import make_plot, set_category_ticks, style_plot
from explorer.ui.fmt import fmt

#: A drag never pushes a logit beyond this (the model accepts ±1000).
LOGIT_LIMIT = 100.0
#: Value labels above bars up to this many categories.
MAX_VALUE_LABELS = 12
#: Cases q ≠ j written out in the derivation before "…".
MAX_DERIVATION_TERMS = 6


class LogitBars(pg.GraphicsObject):
    """Vertical bars at x = 0..n−1 that the user drags up and down.

    Press anywhere in a bar's column (or within ``pad`` of it) and drag: ``sigDragged(i, v)``
    on every move, ``sigDragFinished(i, v)`` at the release, where ``v`` is the start height plus
    the vertical distance from the press (so the bar never jumps).  A right click or Esc during
    the drag cancels it (``sigDragFinished`` with the start height).  A click selects a bar
    (``sigClicked(i)``); with keyboard focus, Up/Down nudge the selected bar by 0.1 (Shift: 1)
    and Left/Right select the neighbour (``sigKeyStep(kind, step)``).  The item never changes
    its own heights: :meth:`setData` is called when the model has changed.
    """

    sigDragged = Signal(int, float)
    sigDragFinished = Signal(int, float)
    sigClicked = Signal(int)
    sigKeyStep = Signal(str, float)       # ("value", ±0.1/±1) or ("select", ±1)

    def __init__(self, width: float = 0.6, pad: float = 0.15):
        super().__init__()
        self.setFlag(self.GraphicsItemFlag.ItemIsFocusable, True)
        self.setAcceptHoverEvents(True)
        self.opts = {"x": np.zeros(0), "height": np.zeros(0), "width": width}
        self.pad = pad
        self.focus_index: int | None = None
        self.hover_index: int | None = None
        self._drag: tuple | None = None       # (index, start height, press y)
        self._brush = pg.mkBrush("#888888")
        self._pen = pg.mkPen("#444444")
        self._focus_pen = pg.mkPen("#CC79A7", width=3)

    # -- data ------------------------------------------------------------------------
    def setData(self, heights, focus: int | None = None) -> None:
        h = np.asarray(heights, dtype=float)
        if h.size != self.opts["height"].size:
            self.prepareGeometryChange()
        elif h.size:
            old = self.opts["height"]
            if min(h.min(), 0) != min(old.min(), 0) or max(h.max(), 0) != max(old.max(), 0):
                self.prepareGeometryChange()
        self.opts = {"x": np.arange(h.size, dtype=float), "height": h, "width": self.opts["width"]}
        self.focus_index = focus
        self.informViewBoundsChanged()
        self.update()

    def setStyle(self, brush, pen, focus_pen) -> None:
        self._brush, self._pen, self._focus_pen = pg.mkBrush(brush), pg.mkPen(pen), pg.mkPen(focus_pen)
        self.update()

    @property
    def dragging(self) -> bool:
        return self._drag is not None

    # -- geometry --------------------------------------------------------------------
    def _y_extent(self) -> tuple[float, float]:
        h = self.opts["height"]
        lo, hi = (min(float(h.min()), 0.0), max(float(h.max()), 0.0)) if h.size else (0.0, 1.0)
        vb = self.getViewBox()
        if vb is not None:
            y0, y1 = vb.viewRange()[1]
            lo, hi = min(lo, y0), max(hi, y1)
        return lo, hi

    def dataBounds(self, ax, frac=1.0, orthoRange=None):
        h = self.opts["height"]
        if not h.size:
            return None, None
        if ax == 0:
            w = self.opts["width"] / 2
            return -w, h.size - 1 + w
        return min(float(h.min()), 0.0), max(float(h.max()), 0.0)

    def boundingRect(self) -> QRectF:
        n = self.opts["height"].size
        if not n:
            return QRectF()
        lo, hi = self._y_extent()
        half = self.opts["width"] / 2 + self.pad
        return QRectF(-half, lo, n - 1 + 2 * half, hi - lo)

    def viewRangeChanged(self):
        self.prepareGeometryChange()
        super().viewRangeChanged()

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        lo, hi = self._y_extent()
        half = self.opts["width"] / 2 + self.pad
        for x in self.opts["x"]:
            path.addRect(QRectF(x - half, lo, 2 * half, hi - lo))
        return path

    def index_at(self, x: float) -> int | None:
        """The bar whose column (± pad) contains data coordinate *x*, or None."""
        n = self.opts["height"].size
        i = int(np.floor(x + 0.5))
        if 0 <= i < n and abs(x - i) <= self.opts["width"] / 2 + self.pad:
            return i
        return None

    # -- painting --------------------------------------------------------------------
    def paint(self, painter, *args):
        w = self.opts["width"]
        painter.setBrush(self._brush)
        for i, (x, h) in enumerate(zip(self.opts["x"], self.opts["height"])):
            pen = self._focus_pen if i == self.focus_index else self._pen
            if i == self.hover_index and i != self.focus_index:
                pen = pg.mkPen(self._focus_pen.color(), width=1.5, style=Qt.DashLine)
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.drawRect(QRectF(x - w / 2, min(0.0, h), w, abs(h)))

    # -- mouse and keys ----------------------------------------------------------------
    def hoverEvent(self, ev):
        if ev.isExit():
            index = None
        else:
            index = self.index_at(ev.pos().x())
            if index is not None:
                ev.acceptDrags(Qt.MouseButton.LeftButton)
                ev.acceptClicks(Qt.MouseButton.LeftButton)
        if index != self.hover_index:
            self.hover_index = index
            self.setCursor(Qt.SizeVerCursor if index is not None else Qt.ArrowCursor)
            self.update()

    def mouseDragEvent(self, ev):
        if ev.button() != Qt.MouseButton.LeftButton:
            ev.ignore()
            return
        if ev.isStart():
            i = self.index_at(ev.buttonDownPos().x())
            if i is None:
                ev.ignore()
                return
            self._drag = (i, float(self.opts["height"][i]), float(ev.buttonDownPos().y()))
            self.setFocus()
        ev.accept()
        if self._drag is None:               # cancelled: ignore the rest of this drag
            return
        i, start, y0 = self._drag
        value = start + (float(ev.pos().y()) - y0)
        if ev.isFinish():
            self._drag = None
            self.sigDragFinished.emit(i, value)
        else:
            self.sigDragged.emit(i, value)

    def cancel_drag(self) -> bool:
        if self._drag is None:
            return False
        i, start, _ = self._drag
        self._drag = None
        self.sigDragFinished.emit(i, start)
        return True

    def mouseClickEvent(self, ev):
        if ev.button() == Qt.MouseButton.RightButton and self.cancel_drag():
            ev.accept()
            return
        if ev.button() == Qt.MouseButton.LeftButton and self._drag is None:
            i = self.index_at(ev.pos().x())
            if i is not None:
                ev.accept()
                self.setFocus()
                self.sigClicked.emit(i)
                return
        ev.ignore()

    def keyPressEvent(self, ev):
        key = ev.key()
        big = bool(ev.modifiers() & Qt.ShiftModifier)
        if key == Qt.Key.Key_Escape and self.cancel_drag():
            ev.accept()
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and self._drag is None:
            step = (1.0 if big else 0.1) * (1 if key == Qt.Key.Key_Up else -1)
            self.sigKeyStep.emit("value", step)
            ev.accept()
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and self._drag is None:
            self.sigKeyStep.emit("select", 1.0 if key == Qt.Key.Key_Right else -1.0)
            ev.accept()
        else:
            ev.ignore()


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
        for label, w in ((self.count_label, self.count_spin), (self.t_label, self.t_spin),
                         (self.target_label, self.target_combo), (self.j_label, self.j_combo),
                         (self.zj_label, self.zj_spin)):
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
        grid.addWidget(self.j_label, 2, 0, Qt.AlignRight)
        grid.addWidget(self.j_combo, 2, 1)
        grid.addWidget(self.zj_label, 2, 2, Qt.AlignRight)
        grid.addWidget(self.zj_spin, 2, 3)
        grid.setColumnStretch(6, 1)
        outer.addLayout(grid)

        row = QGridLayout()
        row.setHorizontalSpacing(2)
        row.setVerticalSpacing(0)
        self.logit_plot = make_plot()
        self.prob_plot = make_plot()
        self.grad_plot = make_plot()
        self.plots = (self.logit_plot, self.prob_plot, self.grad_plot)
        self.plot_titles = []
        for col, pw in enumerate(self.plots):
            title = QLabel(alignment=Qt.AlignHCenter)
            # a title may be cut short in a narrow dock, but never widens the plots beyond it
            title.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
            self.plot_titles.append(title)
            pw.setMinimumSize(96, 110)
            pw.getPlotItem().getAxis("left").setWidth(34)
            pw.getPlotItem().getViewBox().sigResized.connect(self._on_plot_resized)
            # ranges are set explicitly (see _fit_y): an auto range would follow every move of
            # a drag and redraw the axes each time
            pw.getPlotItem().enableAutoRange(x=False, y=False)
            row.addWidget(title, 0, col)
            row.addWidget(pw, 1, col)
            row.setColumnStretch(col, 1)
        row.setRowStretch(1, 1)
        self.logit_bars = LogitBars()
        self.logit_plot.addItem(self.logit_bars)
        self.zero_lines = []
        for pw in (self.logit_plot, self.grad_plot):
            line = pg.InfiniteLine(pos=0, angle=0, movable=False)
            pw.addItem(line, ignoreBounds=True)
            self.zero_lines.append(line)
        self.prob_plot.setYRange(0, 1.08, padding=0)
        self.prob_bars = pg.BarGraphItem(x=[0], height=[0], width=0.6)
        self.target_bars = pg.BarGraphItem(x=[0], height=[0], width=0.8)
        self.prob_plot.addItem(self.prob_bars)
        self.prob_plot.addItem(self.target_bars)
        self.grad_bars = pg.BarGraphItem(x=[0], height=[0], width=0.6)
        self.grad_plot.addItem(self.grad_bars)
        self.fd_points = pg.ScatterPlotItem(symbol="_", size=24)
        self.fd_points.setZValue(10)
        self.grad_plot.addItem(self.fd_points)
        self.value_texts: dict[str, list[pg.TextItem]] = {"logit": [], "prob": [], "grad": []}
        outer.addLayout(row, 1)

        self.loss_label = QLabel(objectName="lossLabel")
        self.loss_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.fd_label = QLabel(objectName="fdLabel")
        self.fd_label.setWordWrap(True)
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
        for w in (self.loss_label, self.fd_label, self.note_label, self.derivation_button,
                  self.derivation, self.error_label):
            outer.addWidget(w)
        self.setWidget(body)

        # --- intents --------------------------------------------------------------------
        self.link_check.toggled.connect(self._on_link_toggled)
        self.count_spin.valueChanged.connect(self._on_count_changed)
        self.t_spin.valueChanged.connect(self._on_temperature_changed)
        self.target_combo.currentIndexChanged.connect(self._on_target_changed)
        self.class_combo.currentIndexChanged.connect(self._on_target_changed)
        self.j_combo.currentIndexChanged.connect(self._on_focus_changed)
        self.zj_spin.valueChanged.connect(self._on_logit_spin_changed)
        self.logit_bars.sigDragged.connect(lambda i, v: self._on_bar_dragged(i, v, False))
        self.logit_bars.sigDragFinished.connect(lambda i, v: self._on_bar_dragged(i, v, True))
        self.logit_bars.sigClicked.connect(self._on_bar_clicked)
        self.logit_bars.sigKeyStep.connect(self._on_key_step)
        self.derivation_button.toggled.connect(self._on_derivation_toggled)
        for pw in self.plots:
            cache_static_items(pw)
        self._labels_drawn: tuple | None = None
        self._numbers_drawn = None
        self.apply_theme()

    def apply_theme(self) -> None:
        th = theme.current()
        for pw in self.plots:
            style_plot(pw, grid=(False, True))
        for line in self.zero_lines:
            line.setPen(theme.pen(th.neutral, 1))
        self._apply_link_colours()
        self.prob_bars.setOpts(brush=theme.brush(th.q, 200), pen=theme.pen(th.q, 1))
        self.target_bars.setOpts(brush=None, pen=theme.pen(th.p, 2.5, style=Qt.DashLine))
        self.grad_bars.setOpts(brush=theme.brush(th.ce, 190), pen=theme.pen(th.ce, 1))
        self.fd_points.setPen(theme.pen(th.foreground, 1.5))
        self.fd_points.setBrush(None)
        self.error_label.setStyleSheet(f"color: {th.warning};")
        self.note_label.setStyleSheet(f"color: {th.warning};")
        for items in self.value_texts.values():
            for item in items:
                item.setColor(th.foreground)

    def _apply_link_colours(self) -> None:
        th = theme.current()
        colour = th.q if self.model.q_logit_mode else th.neutral
        self.logit_bars.setStyle(theme.brush(colour, 170), theme.pen(th.foreground, 1),
                                 theme.pen(th.accent, 3))

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
        self.plot_titles[0].setText(tr("logits z (drag)"))
        self.plot_titles[1].setText(tr("a = softmax(z/T), y"))
        self.plot_titles[2].setText(tr("∂L/∂z = (a − y)/T"))
        self.logit_plot.setToolTip(tr("Drag a bar up or down to change its logit; right-click or "
                                      "Esc cancels the drag. Click a bar to pick j; Up/Down "
                                      "change it, Left/Right pick a neighbour."))
        self.prob_plot.setToolTip(tr("Filled bars: the softmax output a. Dashed outlines: the "
                                     "target y."))
        self.grad_plot.setToolTip(tr("Bars: the analytic gradient (a − y) / T. Crosses: the "
                                     "numeric central-difference gradient."))
        self.derivation_button.setToolTip(tr("Show how ∂L/∂z_j = a_j − y_j follows from the two "
                                             "cases of the softmax derivative"))
        self._retranslate_derivation_button()

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
            self._show_error(str(exc))
            self.refresh(None)
            return False
        self._show_error(None)
        return True

    def _set_logit(self, i: int, value: float, finished: bool) -> None:
        z = np.array(self.model.softmax_logits)
        z[i] = float(np.clip(value, -LOGIT_LIMIT, LOGIT_LIMIT))
        self._call(self.model.set_softmax_logits, z, finished=finished)

    def _on_bar_dragged(self, i: int, value: float, finished: bool) -> None:
        if i != self.model.softmax_focus and not finished:
            self._call(self.model.set_softmax_focus, i)
        self._set_logit(i, value, finished)

    def _on_bar_clicked(self, i: int) -> None:
        self._call(self.model.set_softmax_focus, i)

    def _on_key_step(self, kind: str, step: float) -> None:
        num = self.model.softmax_numbers
        j = num.panel.focus
        if kind == "select":
            self._call(self.model.set_softmax_focus, int(np.clip(j + int(step), 0, num.panel.z.size - 1)))
        else:
            self._set_logit(j, float(num.panel.z[j]) + step, True)

    def _on_link_toggled(self, checked: bool) -> None:
        self._call(self.model.set_q_logit_mode, checked)

    def _on_count_changed(self, value: int) -> None:
        self._call(self.model.resize_softmax_logits, value)

    def _on_temperature_changed(self, value: float) -> None:
        self._call(self.model.set_temperature, value)

    def _on_target_changed(self, _index: int) -> None:
        kind = panel_numbers.SOFTMAX_TARGETS[self.target_combo.currentIndex()]
        cls = max(self.class_combo.currentIndex(), 0)
        self._call(self.model.set_softmax_target, kind, cls)

    def _on_focus_changed(self, index: int) -> None:
        if index >= 0:
            self._call(self.model.set_softmax_focus, index)

    def _on_logit_spin_changed(self, value: float) -> None:
        self._set_logit(self.model.softmax_numbers.panel.focus, value, True)

    def _on_derivation_toggled(self, checked: bool) -> None:
        self.derivation_button.setArrowType(Qt.DownArrow if checked else Qt.RightArrow)
        self.derivation.setVisible(checked)
        self._retranslate_derivation_button()
        if checked:
            self._write_derivation(self.model.softmax_numbers)

    # ------------------------------------------------------------------ redraw
    def refresh(self, change) -> None:
        num = self.model.softmax_numbers
        if (change is not None and num is self._numbers_drawn
                and not change.touches(m.UNIT, m.LABELS)):
            return                                  # e.g. p moved but y is a one-hot label
        self._numbers_drawn = num
        pn = num.panel
        n = pn.z.size
        x = np.arange(n)
        if change is None or change.touches(m.LOGITS):
            self._apply_link_colours()
        self.logit_bars.setData(pn.z, focus=pn.focus)
        self.prob_bars.setOpts(x=x, height=pn.a, width=0.6)
        self.target_bars.setOpts(x=x, height=pn.y, width=0.8)
        self.grad_bars.setOpts(x=x, height=pn.grad, width=0.6)
        checked = np.isfinite(pn.grad_numeric)
        self.fd_points.setData(x[checked], pn.grad_numeric[checked])
        if self._labels_drawn != num.labels:
            for pw in self.plots:
                pw.setXRange(-0.6, n - 0.4, padding=0)
                set_category_ticks(pw, list(num.labels), max_labels=12)
        self._fit_y(self.logit_plot, pn.z)
        self._fit_y(self.grad_plot, pn.grad)
        self._update_value_texts(pn)
        self._write_readouts(num)
        if self.derivation.isVisible():
            self._write_derivation(num)
        self._sync_controls(num)
        self._labels_drawn = num.labels

    @staticmethod
    def _fit_y(pw, values) -> None:
        lo, hi = float(min(values.min(), 0.0)), float(max(values.max(), 0.0))
        span = max(hi - lo, 1e-9)
        vb = pw.getPlotItem().getViewBox()
        (cur_lo, cur_hi) = vb.viewRange()[1]
        want_lo, want_hi = lo - 0.25 * span, hi + 0.25 * span
        # keep the range while the bars fit comfortably (no jitter during a drag)
        if not (cur_lo <= lo - 0.05 * span and hi + 0.05 * span <= cur_hi
                and (cur_hi - cur_lo) < 2.5 * (want_hi - want_lo)):
            vb.setYRange(want_lo, want_hi, padding=0)

    def _on_plot_resized(self, *_args) -> None:
        self._update_value_texts(self.model.softmax_numbers.panel)

    def _room_for_values(self, n: int) -> bool:
        """Numbers above the bars only when there are few bars and each has ≥ 38 px."""
        width = min(pw.getPlotItem().getViewBox().width() for pw in self.plots)
        return n <= MAX_VALUE_LABELS and width / max(n, 1) >= 38

    def _update_value_texts(self, pn) -> None:
        n = pn.z.size
        show = self._room_for_values(n)
        series = {"logit": (self.logit_plot, pn.z), "prob": (self.prob_plot, pn.a),
                  "grad": (self.grad_plot, pn.grad)}
        prec = min(self.model.precision, 3)
        for key, (pw, values) in series.items():
            items = self.value_texts[key]
            while len(items) < (n if show else 0):
                item = pg.TextItem(anchor=(0.5, 1.0), color=theme.current().foreground)
                item.setZValue(15)
                pw.addItem(item, ignoreBounds=True)
                items.append(item)
            for i, item in enumerate(items):
                if show and i < n:
                    v = float(values[i])
                    item.setAnchor((0.5, 1.15) if v >= 0 else (0.5, -0.15))
                    item.setPos(i, v)
                    item.setText(fmt(v, prec))
                    item.show()
                else:
                    item.hide()

    def _write_readouts(self, num) -> None:
        tr = i18n.tr
        pn = num.panel
        prec = self.model.precision
        self.loss_label.setText(tr("Loss L = −Σ y_j ln a_j = {loss} nats").format(
            loss=fmt(pn.loss, prec)))
        ok = pn.fd_error < 1e-6
        if pn.fd_checked == pn.z.size:
            text = tr("Finite-difference check: max |analytic − numeric| over j = {err} {mark}")
        else:
            text = tr("Finite-difference check: max |analytic − numeric| = {err} {mark} "
                      "(the {k} largest of {n} gradients checked)")
        self.fd_label.setText(text.format(err=fmt_sig(pn.fd_error, 2), mark="✓" if ok else "✗",
                                          k=pn.fd_checked, n=pn.z.size))
        self.fd_label.setStyleSheet("" if ok else f"color: {theme.current().warning};")
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
