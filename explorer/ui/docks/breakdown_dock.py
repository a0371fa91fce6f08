"""``breakdownDock``: what every category i contributes, as a table and a grouped bar chart.

Columns: p_i, q_i, the self-information −log p_i and −log q_i (the code length of outcome i in
bits when the unit is bits), and the terms −p_i log p_i (of H(p)), −p_i log q_i (of H(p, q)) and
p_i log(p_i / q_i) (of D_KL(p ‖ q), negative where q_i > p_i).  A Σ row gives the totals.  The
row with the largest term of H(p, q) is the dominant one (bold).  Hovering a row or a bar group
points at that category in every dock (``model.set_highlight``).  All numbers come from
``model.info``; nothing here computes a logarithm.
"""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QHeaderView, QLabel, QSplitter,
                               QTableView, QVBoxLayout, QWidget)

from explorer import i18n
from explorer.model import app_model as m
from explorer.ui import theme
from explorer.ui.docks.base import ExplorerDock
from explorer.ui.widgets.plots import make_plot, set_category_ticks
from explorer.ui.fmt import fmt

LOG_SYMBOL = {"bits": "log₂", "nats": "ln", "bans": "log₁₀"}

#: column key -> (header template with {log}, English tooltip)
COLUMNS = [
    ("label", "category", "Category name (rename it in the editors)"),
    ("p", "pᵢ", "True probability of category i"),
    ("q", "qᵢ", "Model probability of category i"),
    ("self_p", "−{log} pᵢ", "Self-information of i under p: how surprising i is if p is right"),
    ("self_q", "−{log} qᵢ", "Self-information of i under q: its code length (in bits when the "
                            "unit is bits) in a code built for q"),
    ("entropy", "−pᵢ {log} pᵢ", "Contribution of i to H(p); the column sums to H(p)"),
    ("cross", "−pᵢ {log} qᵢ", "Contribution of i to H(p, q); the column sums to H(p, q). "
                              "The largest one (bold) dominates the loss."),
    ("kl", "pᵢ {log}(pᵢ/qᵢ)", "Contribution of i to D_KL(p ‖ q); the column sums to D_KL(p ‖ q). "
                              "A single term is negative where qᵢ > pᵢ; the sum never is."),
]
KEYS = [c[0] for c in COLUMNS]
TERM_KEYS = {"self_p": "self_info_p", "self_q": "self_info_q", "entropy": "entropy",
             "cross": "cross", "kl": "kl"}
Q_CLIPPED_COLUMNS = {"self_q", "cross", "kl"}       # computed with q_used
P_ZERO_COLUMNS = {"entropy", "cross", "kl"}         # 0 by the convention 0·log 0 = 0

#: the grouped chart's series: (key, legend text); colours in BreakdownDock.apply_theme
SERIES = [
    ("p", "pᵢ"),
    ("q", "qᵢ"),
    ("self_q", "−log qᵢ"),
    ("cross", "−pᵢ log qᵢ"),
    ("entropy", "−pᵢ log pᵢ"),
    ("kl", "pᵢ log(pᵢ/qᵢ)"),
]
GROUP_WIDTH = 0.84
ALIGN_LEFT = int(Qt.AlignLeft | Qt.AlignVCenter)
ALIGN_RIGHT = int(Qt.AlignRight | Qt.AlignVCenter)
# item roles as plain ints: data() runs for every visible cell and role on each repaint, and
# comparing an int with a Qt enum member is far slower than int == int
DISPLAY, BACKGROUND, FOREGROUND = int(Qt.DisplayRole.value), int(Qt.BackgroundRole.value), int(Qt.ForegroundRole.value)
FONT, ALIGN, TOOLTIP = int(Qt.FontRole.value), int(Qt.TextAlignmentRole.value), int(Qt.ToolTipRole.value)


class BreakdownTableModel(QAbstractTableModel):
    """Read-only Qt table over the app model's numbers: N category rows and a Σ row.

    Cells are formatted on demand (only visible rows are asked for), so a drag at N = 1000 costs
    no more than at N = 10."""

    def __init__(self, app_model, parent=None):
        super().__init__(parent)
        self.app = app_model
        self._n = app_model.n
        self.dominant_brush = QBrush()
        self.highlight_brush = QBrush()
        self.impossible_brush = QBrush()
        self.warning_color = QColor()
        self.muted_color = QColor()
        self.bold = QFont()
        self.bold.setBold(True)
        self.italic = QFont()
        self.italic.setItalic(True)
        self.set_colors()
        self._snapshot()

    def set_colors(self) -> None:
        th = theme.current()
        self.dominant_brush = theme.brush(th.ce, 45)
        self.highlight_brush = theme.brush(th.accent, 90)
        self.impossible_brush = theme.brush(th.warning, 55)
        self.warning_color = QColor(th.warning)
        self.muted_color = QColor(th.neutral)

    # -- Qt model API -----------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else self._n + 1

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation != Qt.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        key, header, tip = COLUMNS[section]
        if role == Qt.DisplayRole:
            return i18n.tr(header) if key == "label" else header.format(log=LOG_SYMBOL[self.app.unit])
        if role == Qt.ToolTipRole:
            return i18n.tr(tip)
        return None

    def _snapshot(self) -> None:
        """Take the numbers of this change once (plain Python lists: fast per-cell access)."""
        app, info = self.app, self.app.info
        p = np.asarray(app.p)
        self._prec = app.precision
        self._labels = app.labels
        self._values = {"p": p.tolist(), "q": np.asarray(app.q).tolist()}
        for key, term in TERM_KEYS.items():
            self._values[key] = info.terms[term].tolist()
        self._p_zero = (p == 0).tolist()
        self._impossible = frozenset(info.impossible)
        self._clipped_q = frozenset(info.clipped_q)
        self._dominant = info.dominant
        self._highlight = app.highlight
        self._totals = {"label": "Σ", "entropy": fmt(info.entropy_p, self._prec),
                        "cross": fmt(info.cross_pq, self._prec), "kl": fmt(info.kl_pq, self._prec)}
        if info.clipped_q:
            self._totals["cross"] += "*"
            self._totals["kl"] += "*"
        self._texts: dict = {}

    def cell_text(self, row: int, key: str) -> str:
        """What the user reads in cell (*row*, *key*)."""
        if row == self._n:                    # the Σ row
            return self._totals.get(key, "")
        cached = self._texts.get((row, key))
        if cached is not None:
            return cached
        if key == "label":
            text = self._labels[row]
        else:
            text = fmt(self._values[key][row], self._prec)
            if key in Q_CLIPPED_COLUMNS and row in self._clipped_q and not (
                    key != "self_q" and self._p_zero[row]):
                text += "*"
        self._texts[(row, key)] = text
        return text

    def data(self, index, role=DISPLAY):
        row, col = index.row(), index.column()
        if row < 0 or col < 0:
            return None
        key = KEYS[col]
        role = int(role)
        if role == DISPLAY:
            return self.cell_text(row, key)
        total = row == self._n
        if role == BACKGROUND:
            if total:
                return None
            if row == self._highlight:
                return self.highlight_brush
            if row in self._impossible:
                return self.impossible_brush
            if row == self._dominant:
                return self.dominant_brush
            return None
        if role == FOREGROUND:
            if total or key == "label":
                return None
            if math.isinf(self._values[key][row]):
                return self.warning_color
            if key in P_ZERO_COLUMNS and self._p_zero[row]:
                return self.muted_color
            return None
        if role == FONT:
            if total or row == self._dominant:
                return self.bold
            if key in P_ZERO_COLUMNS and self._p_zero[row]:
                return self.italic
            return None
        if role == ALIGN:
            return ALIGN_LEFT if key == "label" else ALIGN_RIGHT
        if role == TOOLTIP and not total:
            return self._tooltip(row, key)
        return None

    def _tooltip(self, row: int, key: str) -> str | None:
        tr = i18n.tr
        info = self.app.info
        label = self._labels[row]
        if key in P_ZERO_COLUMNS and self._p_zero[row]:
            return tr("p = 0 for “{label}”: this term is 0 by the convention 0·log 0 = 0 — an "
                      "outcome that never happens costs nothing.").format(label=label)
        if key == "self_p" and self._p_zero[row]:
            return tr("p = 0 for “{label}”: if p is right this never happens, so seeing it would "
                      "be infinitely surprising (−log 0 = ∞). It adds nothing to H(p).").format(
                label=label)
        if key in ("self_q", "cross", "kl") and row in self._impossible:
            return tr("q = 0 for “{label}” although p = {p}: −log 0 = ∞, an event the model calls "
                      "impossible happened.").format(label=label, p=fmt(self._values["p"][row], self._prec))
        if key in Q_CLIPPED_COLUMNS and row in self._clipped_q:
            return tr("* computed with q clipped to [eps, 1 − eps], eps = {eps:g}").format(eps=info.eps)
        if row == self._dominant and key == "cross":
            return tr("The largest contribution to H(p, q): this category dominates the loss.")
        return None

    # -- updates ---------------------------------------------------------------------
    def refresh(self) -> None:
        """Everything may have changed."""
        n = self.app.n
        if n != self._n:
            self.beginResetModel()
            self._n = n
            self._snapshot()
            self.endResetModel()
        else:
            self._snapshot()
            self.dataChanged.emit(self.index(0, 0), self.index(n, len(COLUMNS) - 1))

    def refresh_highlight(self) -> None:
        """Only the pointed-at category changed: repaint the two rows concerned."""
        old, new = self._highlight, self.app.highlight
        self._highlight = new
        for row in {old, new} - {None}:
            if row < self._n:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1),
                                      [Qt.BackgroundRole])

    def refresh_headers(self) -> None:
        self.headerDataChanged.emit(Qt.Horizontal, 0, len(COLUMNS) - 1)


class BreakdownTable(QTableView):
    """The table view: hover or keyboard-select a row to point at its category; Ctrl+C copies
    the selected cells as tab-separated text."""

    def __init__(self, dock):
        super().__init__()
        self.dock = dock
        self.setMouseTracking(True)
        self.setSelectionBehavior(QAbstractItemView.SelectItems)
        self.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.setAlternatingRowColors(False)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        self.horizontalHeader().setStretchLastSection(False)
        self.viewport().installEventFilter(self)
        self.entered.connect(self._on_entered)

    def _on_entered(self, index) -> None:
        self.dock.point_at(index.row() if index.isValid() else None)

    def eventFilter(self, obj, event):
        if obj is self.viewport() and event.type() == QEvent.Leave:
            self.dock.point_at(None)
        return super().eventFilter(obj, event)

    def currentChanged(self, current, previous):
        super().currentChanged(current, previous)
        if self.hasFocus() and current.isValid():
            self.dock.point_at(current.row())

    def focusOutEvent(self, event):
        super().focusOutEvent(event)
        self.dock.point_at(None)

    def keyPressEvent(self, event):
        if event.matches(QKeySequence.Copy):
            self.copy_selection()
            event.accept()
            return
        super().keyPressEvent(event)

    def selected_text(self) -> str:
        indexes = sorted(self.selectedIndexes(), key=lambda i: (i.row(), i.column()))
        if not indexes:
            return ""
        model = self.model()
        rows = sorted({i.row() for i in indexes})
        cols = sorted({i.column() for i in indexes})
        lines = ["\t".join(str(model.headerData(c, Qt.Horizontal)) for c in cols)]
        for r in rows:
            lines.append("\t".join(model.cell_text(r, KEYS[c]) for c in cols))
        return "\n".join(lines)

    def copy_selection(self) -> None:
        text = self.selected_text()
        if text:
            QApplication.clipboard().setText(text)


class BreakdownDock(ExplorerDock):
    OBJECT_NAME = "breakdownDock"
    TITLE = "Per category"
    KINDS = frozenset({m.DISTRIBUTIONS, m.UNIT, m.EPS, m.LOGITS, m.LABELS, m.HIGHLIGHT})

    def build(self) -> None:
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        layout.addWidget(self.caption)
        self.table_model = BreakdownTableModel(self.model, self)
        self.table = BreakdownTable(self)
        self.table.setObjectName("breakdownTable")
        self.table.setModel(self.table_model)
        self.note = QLabel()
        self.note.setObjectName("breakdownNote")
        self.note.setWordWrap(True)
        self.plot = make_plot()
        # no grid: pyqtgraph's grid lines cost ~10 ms per repaint here, more than everything else
        # on a drag move; the axis ticks and the zero line carry the scale
        self.plot.getPlotItem().showGrid(x=False, y=False)
        self.plot.setObjectName("breakdownPlot")
        self.plot.setMinimumHeight(150)
        self.legend = self.plot.getPlotItem().addLegend(offset=(-4, 4), colCount=3,
                                                        labelTextSize="8pt")
        self.plot.getPlotItem().getViewBox().sigResized.connect(self._on_plot_resized)
        self.series: dict[str, pg.BarGraphItem] = {}
        w = GROUP_WIDTH / len(SERIES)
        for k, (key, legend) in enumerate(SERIES):
            item = pg.BarGraphItem(x=[0], height=[0], width=w * 0.92, name=legend)
            self.plot.addItem(item)
            self.series[key] = item
        self.zero_line = pg.InfiniteLine(pos=0, angle=0)
        self.plot.addItem(self.zero_line)
        self.highlight_band = pg.BarGraphItem(x=[0], y0=[0], y1=[0], width=0.98)
        self.highlight_band.setZValue(-10)
        self.plot.addItem(self.highlight_band)
        self.inf_texts: list[pg.TextItem] = []
        self.plot.scene().sigMouseMoved.connect(self._on_plot_mouse_moved)
        self.plot.viewport().installEventFilter(self)

        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.table, 1)
        tl.addWidget(self.note)
        self.splitter = QSplitter(Qt.Vertical)
        self.splitter.addWidget(top)
        self.splitter.addWidget(self.plot)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        layout.addWidget(self.splitter, 1)
        self.setWidget(body)
        self._ymax, self._ymin, self._shown_n = 1.0, 0.0, 0
        self.apply_theme()

    def apply_theme(self) -> None:
        th = theme.current()
        colors = {"p": (th.p, 230), "q": (th.q, 230), "self_q": (th.q, 90),
                  "cross": (th.ce, 230), "entropy": (th.p, 90), "kl": (th.kl, 230)}
        for key, item in self.series.items():
            c, alpha = colors[key]
            item.setOpts(brush=theme.brush(c, alpha), pen=theme.pen(c, 1))
        self.zero_line.setPen(theme.pen(th.foreground, 1))
        self.highlight_band.setOpts(brush=theme.brush(th.accent, 60), pen=pg.mkPen(None))
        for t in self.inf_texts:
            t.setColor(th.warning)
        self.plot.setBackground(th.background)
        self.table_model.set_colors()

    def retranslate(self) -> None:
        super().retranslate()
        tr = i18n.tr
        self.caption.setText(tr("Each term column adds up to its Σ: H(p), H(p, q), D_KL(p ‖ q). "
                                "Hover a row or bars to point at a category."))
        self.table.setToolTip(tr("Hover a row (or select it with the arrow keys) to highlight "
                                 "the category in both editors. Ctrl+C copies the selected cells."))
        self.plot.setToolTip(tr("Grouped bars per category: pᵢ, qᵢ, −log qᵢ, −pᵢ log qᵢ, "
                                "−pᵢ log pᵢ, pᵢ log(pᵢ/qᵢ). Click a legend entry to hide that "
                                "series; ∞ marks an infinite term."))
        self.table_model.refresh_headers()

    # ------------------------------------------------------------------ hover intents
    def point_at(self, index: int | None) -> None:
        """Hover/keyboard intent: point at category *index* (None: nothing) in every dock."""
        if index is not None and not 0 <= index < self.model.n:
            index = None
        if index != self.model.highlight:
            self.model.set_highlight(index)

    def _on_plot_mouse_moved(self, scene_pos) -> None:
        vb = self.plot.getPlotItem().getViewBox()
        if not vb.sceneBoundingRect().contains(scene_pos):
            self.point_at(None)
            return
        x = vb.mapSceneToView(scene_pos).x()
        i = int(round(x))
        self.point_at(i if abs(x - i) <= 0.5 else None)

    def eventFilter(self, obj, event):
        if obj is self.plot.viewport() and event.type() == QEvent.Leave:
            self.point_at(None)
        return super().eventFilter(obj, event)

    # ------------------------------------------------------------------ redraw
    def refresh(self, change) -> None:
        model, info = self.model, self.model.info
        only_highlight = change is not None and change.kinds <= {m.HIGHLIGHT}
        if only_highlight:
            self.table_model.refresh_highlight()
            self._draw_highlight()
            return
        if change is None or change.touches(m.UNIT):
            self.table_model.refresh_headers()
        self.table_model.refresh()
        # column widths follow the texts when an edit ends (not on every move of a drag)
        if change is None or change.finished or change.touches(m.LABELS, m.UNIT, m.EPS):
            self.table.resizeColumnsToContents()
        if change is None or change.touches(m.LABELS):
            rows = min(self.model.n + 1, 6)           # show up to 5 categories and Σ unscrolled
            self.table.setMinimumHeight(self.table.horizontalHeader().sizeHint().height()
                                        + rows * self.table.verticalHeader().defaultSectionSize()
                                        + 2 * self.table.frameWidth()
                                        + self.table.horizontalScrollBar().sizeHint().height())
        self._draw_bars(info, changing=change is not None and not change.finished)
        self._update_note(info)
        if change is None or change.touches(m.LABELS):
            set_category_ticks(self.plot, model.labels)
        self._draw_highlight()

    def _legend_share(self) -> float:
        """The part of the plot's height the legend (in its top right corner) covers, plus a
        margin: the value axis leaves that much room above the tallest bar and its ∞ mark.
        Measured in pixels, so a tall legend in a short plot (two legend rows at scale 2 or
        zoomed) still clears the bars; 0.31 before the plot has a size."""
        vb = self.plot.getPlotItem().getViewBox()
        height = vb.height()
        if height <= 0 or not self.legend.isVisible():
            return 0.31 if height <= 0 else 0.05
        covered = self.legend.boundingRect().height() + 8 + 16   # 16 px: the ∞ text
        return min(0.7, covered / height)

    def _on_plot_resized(self) -> None:
        if self._shown_n is not None and self.isVisible():
            self._ymax = None                          # fit the value axis again
            self._draw_bars(self.model.info)

    def _draw_bars(self, info, changing: bool = False) -> None:
        """Grouped bars.  While a drag is in progress the y range only grows (re-laying out the
        axis on every move costs more than the bars); it fits the values again when it ends."""
        model = self.model
        n = model.n
        x = np.arange(n, dtype=float)
        values = {"p": np.asarray(model.p), "q": np.asarray(model.q)}
        for key in ("self_q", "cross", "entropy", "kl"):
            values[key] = info.terms[TERM_KEYS[key]]
        finite = np.concatenate([v[np.isfinite(v)] for v in values.values()])
        finite_top = max(1.0, float(finite.max()) if finite.size else 1.0)
        inf_height = finite_top * 1.12                # an infinite term: a bar above all others, ∞
        top = finite_top * 1.12 / (1.0 - self._legend_share())   # the legend sits above them
        bottom = min(0.0, float(finite.min()) if finite.size else 0.0) * 1.12
        if changing and self._ymin <= bottom and top <= self._ymax:
            top, bottom = self._ymax, self._ymin
        w = GROUP_WIDTH / len(SERIES)
        inf_pos = []
        for k, (key, _legend) in enumerate(SERIES):
            v = values[key]
            h = np.where(np.isinf(v), inf_height, v)
            offset = -GROUP_WIDTH / 2 + w * (k + 0.5)
            self.series[key].setOpts(x=x + offset, height=h, width=w * 0.92)
            for i in np.flatnonzero(np.isinf(v)):
                inf_pos.append((i + offset, inf_height))
        if (top, bottom, n) != (self._ymax, self._ymin, self._shown_n):
            self._ymax, self._ymin, self._shown_n = top, bottom, n
            self.plot.setYRange(bottom, top, padding=0)
            self.plot.setXRange(-0.6, n - 0.4, padding=0)
        while len(self.inf_texts) < len(inf_pos):
            t = pg.TextItem("∞", anchor=(0.5, 1.0), color=theme.current().warning)
            self.plot.addItem(t)
            self.inf_texts.append(t)
        for j, t in enumerate(self.inf_texts):
            if j < len(inf_pos):
                t.setPos(*inf_pos[j])
                t.setVisible(True)
            else:
                t.setVisible(False)

    def _draw_highlight(self) -> None:
        i = self.model.highlight
        if i is None:
            self.highlight_band.setVisible(False)
            return
        self.highlight_band.setOpts(x=[i], y0=[self._ymin], y1=[self._ymax], width=0.98)
        self.highlight_band.setVisible(True)

    def _update_note(self, info) -> None:
        tr = i18n.tr
        model = self.model
        lines = []
        if info.dominant is not None:
            lines.append(tr("Bold: “{label}” gives the largest part of H(p, q).")
                         .format(label=model.labels[info.dominant]))
        if np.any(np.asarray(model.p) == 0):
            lines.append(tr("Grey rows have pᵢ = 0 and add 0: 0·log 0 = 0 by convention."))
        if info.impossible:
            lines.append(tr("∞ where qᵢ = 0 < pᵢ: the model called this outcome impossible."))
        if info.clipped_q:
            lines.append(tr("* computed with q clipped to [eps, 1 − eps], eps = {eps:g}.")
                         .format(eps=info.eps))
        self.note.setText("\n".join(lines))
