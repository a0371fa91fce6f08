"""A compact chooser of the two losses a race compares: a preset combo ("MSE vs CE", "CE vs
focal (γ = 2)", …, "Custom") and, behind a toggle, each run's loss with its parameter (focal γ,
smoothed-CE ε).

The widget never holds the truth: it emits ``sigChanged(pair)`` (a list of two
``{"loss": name, **params}``) and is told what to show with :meth:`set_pair` (signals blocked).
"""
from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (QComboBox, QGridLayout, QHBoxLayout, QLabel, QToolButton,
                               QVBoxLayout, QWidget)

from explorer import i18n
from explorer.model import loss_choice
from explorer.ui import loss_style
from explorer.ui.controls import spin

PRESETS = tuple(loss_choice.RACE_PRESETS)
#: the parameter each loss offers here, with its spin box range, step and decimals
PARAMETER = {"focal": ("gamma", 0.0, 10.0, 0.5, 2), "smoothed_ce": ("eps", 0.0, 0.5, 0.05, 3)}


class LossPairChooser(QWidget):
    """Preset combo + per-run loss combos and parameter spin boxes (``sigChanged(pair)``)."""

    sigChanged = Signal(list)

    def __init__(self, name: str = "lossPair", parent=None):
        super().__init__(parent)
        self.setObjectName(name)
        self._pair = loss_choice.DEFAULT_PAIR
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        row = QHBoxLayout()
        row.setSpacing(4)
        self.label = QLabel()
        self.preset_combo = QComboBox(objectName=name + "Preset")
        self.preset_combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.preset_combo.setMinimumContentsLength(14)
        for key in (*PRESETS, "custom"):
            self.preset_combo.addItem("", key)
        self.label.setBuddy(self.preset_combo)
        self.edit_button = QToolButton(objectName=name + "Edit")
        self.edit_button.setCheckable(True)
        self.edit_button.setAutoRaise(True)
        self.edit_button.setArrowType(Qt.RightArrow)
        self.edit_button.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
        row.addWidget(self.label)
        row.addWidget(self.preset_combo, 1)
        row.addWidget(self.edit_button)
        outer.addLayout(row)
        self.details = QWidget(objectName=name + "Details")
        grid = QGridLayout(self.details)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(1)
        self.run_labels, self.loss_combos, self.param_labels, self.param_spins = [], [], [], []
        for i in range(2):
            label = QLabel()
            combo = QComboBox(objectName=f"{name}Loss{i + 1}")
            for loss in loss_style.LOSS_NAMES:
                combo.addItem("", loss)
            label.setBuddy(combo)
            plabel = QLabel()
            box = spin(0.0, 10.0, 0.5, 2, f"{name}Param{i + 1}")
            plabel.setBuddy(box)
            grid.addWidget(label, 0, 4 * i, Qt.AlignRight)
            grid.addWidget(combo, 0, 4 * i + 1)
            grid.addWidget(plabel, 0, 4 * i + 2, Qt.AlignRight)
            grid.addWidget(box, 0, 4 * i + 3)
            combo.activated.connect(lambda _i, run=i: self._on_run_edited(run))
            box.valueChanged.connect(lambda _v, run=i: self._on_run_edited(run))
            self.run_labels.append(label)
            self.loss_combos.append(combo)
            self.param_labels.append(plabel)
            self.param_spins.append(box)
        grid.setColumnStretch(8, 1)
        self.details.hide()
        outer.addWidget(self.details)
        self.preset_combo.activated.connect(self._on_preset_chosen)
        self.edit_button.toggled.connect(self._on_edit_toggled)
        self.retranslate()
        self.set_pair(self._pair)

    # ------------------------------------------------------------------ texts
    def retranslate(self) -> None:
        tr = i18n.tr
        self.label.setText(tr("L&osses:"))
        names = loss_style.race_preset_names()
        for i, key in enumerate((*PRESETS, "custom")):
            self.preset_combo.setItemText(i, names.get(key, ""))
        self.preset_combo.setToolTip(tr("The losses the two runs minimise (same data, same "
                                        "start, same η); both runs restart from epoch 0"))
        self.edit_button.setText(tr("Each run"))
        self.edit_button.setToolTip(tr("Choose each run's loss and its parameter"))
        for i, (label, combo) in enumerate(zip(self.run_labels, self.loss_combos)):
            label.setText(tr("run {n}:").format(n=i + 1))
            for j, loss in enumerate(loss_style.LOSS_NAMES):
                combo.setItemText(j, loss_style.short_name(loss))
            combo.setToolTip(tr("The loss run {n} minimises").format(n=i + 1))
        self._sync_custom_text()
        self._sync_params()

    def _sync_custom_text(self) -> None:
        i = self.preset_combo.findData("custom")
        text = i18n.tr("Custom")
        if loss_choice.preset_of(self._pair) == "custom":
            text = i18n.tr("Custom: {pair}").format(pair=loss_style.pair_label(self._pair))
        self.preset_combo.setItemText(i, text)

    def _sync_params(self) -> None:
        tr = i18n.tr
        for i, spec in enumerate(self._pair):
            name, params = spec[0], dict(spec[1])
            label, box = self.param_labels[i], self.param_spins[i]
            p = PARAMETER.get(name)
            label.setVisible(p is not None)
            box.setVisible(p is not None)
            if p is None:
                continue
            key, lo, hi, step, dec = p
            label.setText("γ" if key == "gamma" else "ε")
            box.setToolTip(tr("Focal γ: (1 − p_t)^γ down-weights samples that are already right "
                              "(0 = cross-entropy)") if key == "gamma" else
                           tr("Label smoothing ε: the target becomes y(1 − ε) + ε/K"))
            with QSignalBlocker(box):
                box.setRange(lo, hi)
                box.setSingleStep(step)
                box.setDecimals(dec)
                box.setValue(float(params.get(key, lo)))

    # ------------------------------------------------------------------ state
    @property
    def pair(self) -> tuple:
        return self._pair

    def set_pair(self, pair) -> None:
        """Show *pair* (normalised specs) without emitting."""
        self._pair = tuple(pair)
        preset = loss_choice.preset_of(self._pair)
        with QSignalBlocker(self.preset_combo):
            self.preset_combo.setCurrentIndex(self.preset_combo.findData(preset))
        for combo, spec in zip(self.loss_combos, self._pair):
            with QSignalBlocker(combo):
                combo.setCurrentIndex(combo.findData(spec[0]))
        self._sync_custom_text()
        self._sync_params()

    # ------------------------------------------------------------------ intents
    def _on_preset_chosen(self, index: int) -> None:
        key = self.preset_combo.itemData(index)
        if key in loss_choice.RACE_PRESETS:
            self.sigChanged.emit(loss_choice.pair_to_json(loss_choice.RACE_PRESETS[key]))
        else:                                   # "custom": open the run choices
            self.edit_button.setChecked(True)
            self.set_pair(self._pair)

    def _on_edit_toggled(self, on: bool) -> None:
        self.details.setVisible(on)
        self.edit_button.setArrowType(Qt.DownArrow if on else Qt.RightArrow)

    def _on_run_edited(self, run: int) -> None:
        out = loss_choice.pair_to_json(self._pair)
        name = self.loss_combos[run].currentData()
        spec = {"loss": name}
        p = PARAMETER.get(name)
        if p is not None:
            if name == self._pair[run][0]:
                spec[p[0]] = float(self.param_spins[run].value())
            else:                               # a new loss starts at its default parameter
                spec[p[0]] = loss_choice.params_of(loss_choice.spec(name))[p[0]]
        out[run] = spec
        self.sigChanged.emit(out)
