"""``readoutsDock``: entropy, cross-entropy and KL of the current (p, q), live."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from explorer import i18n
from explorer.model import app_model as m
from explorer.ui.docks.base import ExplorerDock
from explorer.ui.fmt import fmt

#: (attribute of InfoNumbers, symbol shown, English description)
QUANTITIES = [
    ("entropy_p", "H(p)", "entropy of p"),
    ("entropy_q", "H(q)", "entropy of q"),
    ("cross_pq", "H(p, q)", "cross-entropy of q relative to p"),
    ("cross_qp", "H(q, p)", "cross-entropy of p relative to q"),
    ("kl_pq", "D_KL(p ‖ q)", "KL divergence of q from p"),
    ("kl_qp", "D_KL(q ‖ p)", "KL divergence of p from q"),
    ("js", "JS(p, q)", "Jensen–Shannon divergence"),
]


class ReadoutsDock(ExplorerDock):
    OBJECT_NAME = "readoutsDock"
    TITLE = "Information readouts"
    KINDS = frozenset({m.DISTRIBUTIONS, m.UNIT, m.EPS, m.LOGITS, m.LABELS})

    def build(self) -> None:
        body = QWidget()
        outer = QVBoxLayout(body)
        top = QHBoxLayout()
        self.unit_label = QLabel()
        self.unit_combo = QComboBox()
        for unit in m.UNITS:
            self.unit_combo.addItem(unit, unit)
        self.unit_combo.currentIndexChanged.connect(self._on_unit_chosen)
        top.addWidget(self.unit_label)
        top.addWidget(self.unit_combo)
        top.addStretch(1)
        outer.addLayout(top)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignRight)
        self.value_labels: dict[str, QLabel] = {}
        self.name_labels: dict[str, QLabel] = {}
        for key, symbol, _desc in QUANTITIES:
            name = QLabel()
            value = QLabel()
            value.setObjectName(f"value_{key}")
            value.setTextInteractionFlags(Qt.TextSelectableByMouse)
            font = value.font()
            font.setPointSizeF(font.pointSizeF() * 1.25)
            font.setFamily("monospace")
            value.setFont(font)
            form.addRow(name, value)
            self.value_labels[key] = value
            self.name_labels[key] = name
        outer.addLayout(form)
        self.note = QLabel()
        self.note.setWordWrap(True)
        outer.addWidget(self.note)
        outer.addStretch(1)
        self.setWidget(body)

    def retranslate(self) -> None:
        super().retranslate()
        self.unit_label.setText(i18n.tr("Unit:"))
        self.unit_combo.setToolTip(i18n.tr("bits use log₂, nats use ln, bans use log₁₀"))
        for key, symbol, desc in QUANTITIES:
            self.name_labels[key].setText(f"{symbol}")
            self.name_labels[key].setToolTip(i18n.tr(desc))
            self.value_labels[key].setToolTip(i18n.tr(desc))

    def _on_unit_chosen(self, index: int) -> None:
        self.model.set_unit(self.unit_combo.itemData(index))

    def refresh(self, change) -> None:
        info = self.model.info
        prec = self.model.precision
        unit = i18n.tr(info.unit)
        self.unit_combo.blockSignals(True)
        self.unit_combo.setCurrentIndex(self.unit_combo.findData(info.unit))
        self.unit_combo.blockSignals(False)
        for key, _symbol, _desc in QUANTITIES:
            self.value_labels[key].setText(f"{fmt(getattr(info, key), prec)} {unit}")
        if info.impossible:
            names = ", ".join(self.model.labels[i] for i in info.impossible)
            self.note.setText(i18n.tr("q gives probability 0 to {names}, which p says happens: "
                                      "H(p, q) and D_KL(p ‖ q) are infinite.").format(names=names))
        else:
            self.note.setText(i18n.tr("H(p, q) = H(p) + D_KL(p ‖ q), so H(p, q) ≥ H(p)."))
