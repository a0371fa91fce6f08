"""``batchDock``: the loss of a small batch, row by row — the articles' L = −(1/n) Σᵢ ….

* **Binary**: one row per sample with its label y and prediction a = P(class 1); each row's term
  −[y ln a + (1 − y) ln(1 − a)] and their mean L.
* **Categorical**: one row per sample with its true class and predicted distribution a over the
  classes; each row's term −ln a_(true class) and their mean.

Cells are edited in place (Enter applies; a typed "0.7", "70%" or "7/10" all work), rows are
added and removed with the buttons, the presets load the articles' examples (the credit-card
default, L = 0.289909; the mastiff and horse photos, L = 0.582376).  Beside L the panel shows
scikit-learn's ``log_loss``, which clips a to [ε, 1 − ε] first (ε = 2.2e−16): the two agree
unless a prediction is exactly 0 or 1 on the wrong side.  Every number comes from
``model.batch_numbers``.
"""
from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QButtonGroup, QComboBox, QHBoxLayout,
                               QHeaderView, QLabel, QPushButton, QRadioButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from explorer import i18n
from explorer.model import app_model as m
from explorer.ui import theme
from explorer.ui.docks.base import ExplorerDock
from explorer.ui.docks.editor_dock import parse_value
from explorer.ui.fmt import fmt


class BatchDock(ExplorerDock):
    OBJECT_NAME = "batchDock"
    TITLE = "Batch loss: L = −(1/n) Σ …"
    KINDS = frozenset({m.BATCH, m.LABELS, m.UNIT})

    def build(self) -> None:
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(3)
        row = QHBoxLayout()
        self.binary_radio = QRadioButton()
        self.binary_radio.setObjectName("batchBinary")
        self.categorical_radio = QRadioButton()
        self.categorical_radio.setObjectName("batchCategorical")
        self.mode_group = QButtonGroup(self)
        self.mode_group.addButton(self.binary_radio, 0)
        self.mode_group.addButton(self.categorical_radio, 1)
        self.mode_group.idClicked.connect(
            lambda i: self.attempt(self.model.set_batch_mode, ("binary", "categorical")[i]))
        self.preset_credit = QPushButton()
        self.preset_credit.setObjectName("batchPresetCredit")
        self.preset_credit.clicked.connect(lambda: self.attempt(self.model.apply_batch_preset, "credit_card"))
        self.preset_photos = QPushButton()
        self.preset_photos.setObjectName("batchPresetPhotos")
        self.preset_photos.clicked.connect(lambda: self.attempt(self.model.apply_batch_preset, "cat_dog_horse"))
        for w in (self.binary_radio, self.categorical_radio):
            row.addWidget(w)
        row.addStretch(1)
        layout.addLayout(row)
        presets = QHBoxLayout()
        presets.addWidget(self.preset_credit)
        presets.addWidget(self.preset_photos)
        presets.addStretch(1)
        layout.addLayout(presets)
        self.table = QTableWidget()
        self.table.setObjectName("batchTable")
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.DoubleClicked | QAbstractItemView.EditKeyPressed
                                   | QAbstractItemView.AnyKeyPressed)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.itemChanged.connect(self._on_item_changed)
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.add_btn = QPushButton()
        self.add_btn.setObjectName("batchAddRow")
        self.add_btn.clicked.connect(lambda: self.attempt(self.model.add_batch_row))
        self.remove_btn = QPushButton()
        self.remove_btn.setObjectName("batchRemoveRow")
        self.remove_btn.clicked.connect(self._remove_selected)
        buttons.addWidget(self.add_btn)
        buttons.addWidget(self.remove_btn)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.result = QLabel()
        self.result.setObjectName("batchResult")
        self.result.setWordWrap(True)
        self.result.setTextFormat(Qt.RichText)
        self.result.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(self.result)
        self.error = QLabel()
        self.error.setObjectName("batchError")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        layout.addWidget(self.error)
        self.setWidget(body)
        self._filling = False
        self._class_combos: list[QComboBox] = []
        self.apply_theme()

    def apply_theme(self) -> None:
        self.error.setStyleSheet(f"color: {theme.current().warning}")

    def retranslate(self) -> None:
        super().retranslate()
        tr = i18n.tr
        self.binary_radio.setText(tr("&Binary"))
        self.binary_radio.setToolTip(tr("Two classes: each row has a label y (0 or 1) and a "
                                        "prediction a = P(y = 1)"))
        self.categorical_radio.setText(tr("&Categorical"))
        self.categorical_radio.setToolTip(tr("K classes: each row has its true class and a "
                                             "predicted distribution a over the classes"))
        self.preset_credit.setText(tr("Credit card"))
        self.preset_credit.setToolTip(tr("Two customers: one defaults (y = 1, a = 0.7), one "
                                         "does not (y = 0, a = 0.2)"))
        self.preset_photos.setText(tr("Mastiff + horse photos"))
        self.preset_photos.setToolTip(tr("cat · dog · horse: a mastiff photo predicted "
                                         "(0.4, 0.4, 0.2) and a horse photo (0.1, 0.12, 0.78)"))
        self.add_btn.setText(tr("&Add row"))
        self.remove_btn.setText(tr("&Remove row"))
        self.remove_btn.setToolTip(tr("Remove the selected row (a batch keeps at least one)"))
        self.table.setToolTip(tr("Double-click a cell or start typing to edit; Enter applies. "
                                 "Probabilities as 0.7, 70% or 7/10"))

    # ------------------------------------------------------------------ intents
    def show_error(self, text) -> None:
        self.error.setText(text or "")
        self.error.setVisible(bool(text))

    def _remove_selected(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            row = self.table.rowCount() - 1
        self.attempt(self.model.remove_batch_row, row)

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling:
            return
        b = self.model.batch_table
        row, col = item.row(), item.column()
        try:
            value = parse_value(item.text())
        except ValueError as exc:
            self.show_error(str(exc))
            self.refresh(None)
            return
        if b.mode == "binary":
            self.attempt(self.model.set_batch_binary, row, col, value, restore=True)
        else:
            self.attempt(self.model.set_batch_prediction, row, col - 1, value, restore=True)

    def _on_class_chosen(self, row: int, k: int) -> None:
        if not self._filling:
            self.attempt(self.model.set_batch_class, row, k, restore=True)

    # ------------------------------------------------------------------ redraw
    def _class_names(self, k: int) -> list[str]:
        labels = self.model.labels
        return list(labels) if len(labels) == k else [i18n.tr("class {k}").format(k=i + 1)
                                                        for i in range(k)]

    def refresh(self, change) -> None:
        tr = i18n.tr
        model = self.model
        b, num = model.batch_table, model.batch_numbers
        digits = model.precision
        self._filling = True
        try:
            button = self.binary_radio if b.mode == "binary" else self.categorical_radio
            if not button.isChecked():
                button.setChecked(True)
            term_header = tr("loss term")
            if b.mode == "binary":
                headers = ["y", "a = P(y = 1)", term_header]
                rows = [(f"{y:g}", fmt(a, digits)) for y, a in b.binary]
            else:
                names = self._class_names(b.n_classes)
                headers = [tr("true class")] + [f"a({n})" for n in names] + [term_header]
                rows = b.categorical
            self.table.setColumnCount(len(headers))
            self.table.setHorizontalHeaderLabels(headers)
            self.table.setRowCount(len(rows))
            self._class_combos = []
            for r, row in enumerate(rows):
                if b.mode == "binary":
                    cells = list(row)
                else:
                    k, a = row
                    combo = self.table.cellWidget(r, 0)
                    if not isinstance(combo, QComboBox):
                        combo = QComboBox()
                        combo.activated.connect(lambda i, r=r: self._on_class_chosen(r, i))
                        self.table.setCellWidget(r, 0, combo)
                    if [combo.itemText(i) for i in range(combo.count())] != names:
                        combo.clear()
                        combo.addItems(names)
                    combo.setCurrentIndex(k)
                    self._class_combos.append(combo)
                    cells = [None] + [fmt(x, digits) for x in a]
                for c, text in enumerate(cells):
                    if text is None:
                        continue
                    item = self.table.item(r, c)
                    if item is None:
                        item = QTableWidgetItem()
                        item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                        self.table.setItem(r, c, item)
                    item.setText(text)
                    item.setFlags(Qt.ItemIsSelectable | Qt.ItemIsEnabled | Qt.ItemIsEditable)
                term = self.table.item(r, len(headers) - 1)
                if term is None:
                    term = QTableWidgetItem()
                    term.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                    self.table.setItem(r, len(headers) - 1, term)
                term.setText(fmt(num.terms[r], digits))
                term.setFlags(Qt.ItemIsSelectable | Qt.ItemIsEnabled)
                term.setToolTip(tr("This row's −log of the probability given to its true class"))
                if b.mode == "binary" and self.table.cellWidget(r, 0) is not None:
                    self.table.removeCellWidget(r, 0)
            header = self.table.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.Stretch)
        finally:
            self._filling = False
        n = len(num.terms)
        formula = ("L = −(1/n) Σᵢ [yᵢ ln aᵢ + (1 − yᵢ) ln(1 − aᵢ)]" if b.mode == "binary"
                   else "L = −(1/n) Σᵢ Σⱼ yᵢⱼ ln aᵢⱼ")
        if math.isinf(num.loss) or math.isinf(num.sklearn_loss):
            same = math.isinf(num.loss) and math.isinf(num.sklearn_loss)
        else:
            same = abs(num.loss - num.sklearn_loss) <= 1e-12 * max(1.0, abs(num.loss))
        text = tr("{formula} = (1/{n}) × ({terms}) = <b>{loss}</b> nats. scikit-learn's "
                  "log_loss, which first clips a to [ε, 1 − ε] with ε = {eps}, gives {ref}{same}.").format(
            formula=formula, n=n, terms=" + ".join(fmt(t, digits) for t in num.terms[:8])
            + (" + …" if n > 8 else ""), loss=fmt(num.loss, 6), eps=f"{num.eps:.1e}",
            ref=fmt(num.sklearn_loss, 6),
            same=tr(" — the same") if same else tr(" — finite only because of the clipping"))
        self.result.setText(text)
