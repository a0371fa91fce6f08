"""Distribution editor docks (``pEditorDock``, ``qEditorDock``): drag p or q like physical bars.

Everything the user does here is an intent sent to the model (``set_value``, ``set_n``,
``set_label``, ``toggle_lock``, ``apply_preset``, ``swap_pq``, ``copy_dist``, ``cancel_edit``,
``set_q_logit_mode``, ``set_temperature``, ``set_highlight``); the bars are redrawn from the model
in :meth:`refresh`.  The re-normalisation rule lives in :func:`explorer.core.redistribute`.
"""
from __future__ import annotations

import math
import re

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QDoubleSpinBox, QHBoxLayout, QLabel, QLineEdit, QMenu, QSlider,
    QSpinBox, QToolButton, QVBoxLayout, QWidget, QWidgetAction,
)

from explorer import core, i18n, presets
from explorer.core.errors import InputError
from explorer.model import app_model as m
from explorer.ui import theme
from explorer.ui.docks.base import ExplorerDock
from explorer.ui.fmt import fmt, fmt_many
from explorer.ui.widgets.bar_chart import BarChart, fit_value_range

tr = i18n.tr

#: value texts are prepared only up to this many bars (they would not fit anyway)
MAX_VALUE_TEXTS = 40
#: logit-mode temperature slider: T = T_MIN * (T_MAX / T_MIN) ** (position / SLIDER_STEPS)
T_MIN, T_MAX, SLIDER_STEPS = 0.05, 20.0, 1000
#: logits_from_probs gives q_i = 0 this logit (times T) when switching to logit mode
LOGIT_FLOOR = -30.0
PROB_Y_RANGE = (-0.04, 1.1)
#: how long the status bar says why an edit was refused
STATUS_MS = 6000

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_FRACTION = re.compile(r"^\s*(\d+(?:\.\d*)?)\s*/\s*(\d+(?:\.\d*)?)\s*$")


def parse_value(text: str, logit: bool = False) -> float:
    """Parse typed text: a number, a percentage ("25%") or a fraction ("1/8"); raise ValueError
    with a translated message when it is not a probability in [0, 1] (or, for a logit, a
    number within ±1000)."""
    s = text.strip().replace("−", "-").replace(",", ".")
    value = None
    if _NUMBER.match(s):
        value = float(s)
    elif not logit and s.endswith("%") and _NUMBER.match(s[:-1].strip()):
        value = float(s[:-1].strip()) / 100.0
    elif not logit and _FRACTION.match(s):
        num, den = (float(x) for x in _FRACTION.match(s).groups())
        if den == 0:
            raise ValueError(tr("“{text}” divides by zero.").format(text=text.strip()))
        value = num / den
    if value is None or not math.isfinite(value):
        if logit:
            raise ValueError(tr("“{text}” is not a number. Type a logit such as 1.5 or −2.")
                             .format(text=text.strip()))
        raise ValueError(tr("“{text}” is not a number. Type a probability such as 0.25, 25% or 1/4.")
                         .format(text=text.strip()))
    if logit:
        if abs(value) > 1000:
            raise ValueError(tr("{value} is too large: a logit must be within ±1000.")
                             .format(value=fmt(value, 2)))
    elif not 0.0 <= value <= 1.0:
        raise ValueError(tr("{value} is not a probability: type a value from 0 to 1.")
                         .format(value=fmt(value, 4)))
    return value


def refusal_reason(values, labels, locks, index: int, value: float) -> InputError | None:
    """Why setting bar *index* to *value* changes it less than asked, or None — in words, from
    :func:`explorer.core.redistribute_blocked` (the rule's own answer):

    * the bar is locked, or every other bar is: nothing can make room, nothing changes;
    * locked bars hold mass L: the bar stops at 1 − L (the edit is applied up to there).
    """
    reason = core.redistribute_blocked(values, index, min(max(value, 0.0), 1.0), locks)
    if reason is None:
        return None
    label = labels[index]
    if reason == "index_locked":
        return InputError("“{label}” is locked: unlock it (key L) to change it.", label=label)
    if reason == "all_others_locked":
        return InputError("Every other bar is locked, so “{label}” cannot change: the bars must "
                          "sum to 1. Unlock one of them (key L).", label=label)
    locks = np.asarray(locks, dtype=bool)
    held = float(np.asarray(values)[locks].sum())
    return InputError("Locked bars hold {locked}: “{label}” can reach at most {max}.",
                      label=label, locked=fmt(held, 4), max=fmt(1.0 - held, 4))


def slider_to_temperature(pos: int) -> float:
    return T_MIN * (T_MAX / T_MIN) ** (pos / SLIDER_STEPS)


def temperature_to_slider(t: float) -> int:
    return int(round(SLIDER_STEPS * math.log(t / T_MIN) / math.log(T_MAX / T_MIN)))


class DistributionEditorDock(ExplorerDock):
    """Bar chart editor of one distribution (``WHICH`` = "p" or "q")."""

    WHICH = "p"
    KINDS = frozenset({m.DISTRIBUTIONS, m.LABELS, m.LOCKS, m.LOGITS, m.HIGHLIGHT, m.SAMPLE})

    @property
    def other(self) -> str:
        return "q" if self.WHICH == "p" else "p"

    # ------------------------------------------------------------------ build
    def build(self) -> None:
        self._shown_n = -1
        self._shown_mode = None
        self._shown_labels: list[str] = []
        self._texts_key = None
        self._texts: list[str] = []
        self._tooltip_key = None
        self._error = ""
        self._hover_index = None
        self._seed = 0
        self.ghost_visible = False
        body = QWidget()
        outer = QVBoxLayout(body)
        outer.setContentsMargins(4, 2, 4, 2)
        outer.setSpacing(2)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        outer.addWidget(self.caption)
        outer.addLayout(self._build_toolbar())
        if self.WHICH == "q":
            outer.addWidget(self._build_logit_row())
        charts = QHBoxLayout()
        charts.setSpacing(2)
        self.plot = BarChart()
        self.plot.setObjectName(f"{self.WHICH}BarChart")
        self.plot.setMinimumSize(160, 110)
        charts.addWidget(self.plot, 3)
        if self.WHICH == "q":
            # q = softmax(z / T) beside the logits in logit mode: a chart of its own, not editable
            self.softmax_plot = BarChart()
            self.softmax_plot.setObjectName("qSoftmaxChart")
            self.softmax_plot.editable = False
            self.softmax_plot.setMinimumSize(110, 110)
            self.softmax_plot.set_value_axis(*PROB_Y_RANGE)
            self.softmax_plot.setVisible(False)
            charts.addWidget(self.softmax_plot, 2)
        outer.addLayout(charts, 1)
        outer.addLayout(self._build_edit_row())
        self.message = QLabel()
        self.message.setObjectName("editorMessage")
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        outer.addWidget(self.message)
        self.note = QLabel()
        self.note.setObjectName("editorNote")
        self.note.setWordWrap(True)
        self.note.setVisible(False)
        outer.addWidget(self.note)
        self.setWidget(body)
        self._connect()
        self.apply_theme()

    def _build_toolbar(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(3)
        self.preset_button = QToolButton()
        self.preset_button.setPopupMode(QToolButton.InstantPopup)
        self.preset_menu = QMenu(self.preset_button)
        self.preset_menu.setToolTipsVisible(True)
        self.preset_button.setMenu(self.preset_menu)
        self.preset_menu.aboutToShow.connect(self._fill_preset_menu)
        self.swap_button = QToolButton()
        self.copy_button = QToolButton()
        self.ghost_check = QCheckBox()
        self.n_label = QLabel()
        self.n_spin = QSpinBox()
        self.n_spin.setRange(m.MIN_CATEGORIES, m.MAX_UI_CATEGORIES)
        self.n_spin.setKeyboardTracking(False)
        self.n_label.setBuddy(self.n_spin)
        for w in (self.preset_button, self.swap_button, self.copy_button, self.ghost_check):
            row.addWidget(w)
        row.addStretch(1)
        row.addWidget(self.n_label)
        row.addWidget(self.n_spin)
        # random preset settings, shown inside the preset menu
        self.seed_spin = QSpinBox()
        self.seed_spin.setRange(0, 2**31 - 1)
        self.conc_spin = QDoubleSpinBox()
        self.conc_spin.setRange(presets.MIN_CONCENTRATION, presets.MAX_CONCENTRATION)
        self.conc_spin.setDecimals(2)
        self.conc_spin.setValue(1.0)
        self.conc_spin.setSingleStep(0.1)
        box = QWidget()
        lay = QHBoxLayout(box)
        lay.setContentsMargins(24, 2, 8, 2)
        self.seed_label = QLabel()
        self.conc_label = QLabel()
        for w in (self.seed_label, self.seed_spin, self.conc_label, self.conc_spin):
            lay.addWidget(w)
        self.random_settings = QWidgetAction(self)     # not the menu's: menu.clear() keeps it
        self.random_settings.setDefaultWidget(box)
        return row

    def _build_logit_row(self) -> QWidget:
        w = QWidget()
        row = QHBoxLayout(w)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(3)
        self.logit_check = QCheckBox()
        self.t_label = QLabel()
        self.t_slider = QSlider(Qt.Horizontal)
        self.t_slider.setRange(0, SLIDER_STEPS)
        self.t_slider.setMinimumWidth(80)
        self.t_value = QLabel()
        self.t_value.setMinimumWidth(64)
        self.t_label.setBuddy(self.t_slider)
        row.addWidget(self.logit_check)
        row.addSpacing(8)
        row.addWidget(self.t_label)
        row.addWidget(self.t_slider, 1)
        row.addWidget(self.t_value)
        return w

    def _build_edit_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(3)
        self.value_label = QLabel()
        self.value_edit = QLineEdit()
        self.value_edit.setObjectName("valueEdit")
        self.value_edit.setMaximumWidth(84)
        self.value_edit.setMinimumWidth(56)
        self.value_label.setBuddy(self.value_edit)
        self.name_label = QLabel()
        self.label_edit = QLineEdit()
        self.label_edit.setObjectName("labelEdit")
        self.label_edit.setMaxLength(40)
        self.label_edit.setMaximumWidth(140)
        self.label_edit.setMinimumWidth(50)
        self.name_label.setBuddy(self.label_edit)
        self.lock_button = QToolButton()
        self.lock_button.setCheckable(True)
        for w in (self.value_label, self.value_edit, self.name_label, self.label_edit):
            row.addWidget(w)
        row.addStretch(1)
        row.addWidget(self.lock_button)
        return row

    def _connect(self) -> None:
        bars = self.plot
        bars.sigDragged.connect(self._on_bar_dragged)
        bars.sigDragCancelled.connect(self._on_drag_cancelled)
        bars.sigHovered.connect(self._on_bar_hovered)
        bars.sigContextMenu.connect(self._on_context_menu)
        bars.sigSelected.connect(self._on_selected)
        bars.sigNudged.connect(self._on_nudged)
        bars.sigZeroed.connect(lambda i: self._set_value(i, 0.0))
        bars.sigLockToggled.connect(self._toggle_lock)
        bars.sigEditRequested.connect(self._on_edit_requested)
        self.value_edit.returnPressed.connect(self._on_value_typed)
        self.label_edit.editingFinished.connect(self._on_label_typed)   # Enter or leaving it
        self.lock_button.clicked.connect(lambda: self._toggle_lock(self._selected()))
        self.n_spin.valueChanged.connect(self._on_n_chosen)
        self.swap_button.clicked.connect(self.model.swap_pq)
        self.copy_button.clicked.connect(lambda: self.model.copy_dist("p", "q"))
        self.ghost_check.toggled.connect(self._on_ghost_toggled)
        if self.WHICH == "q":
            self.softmax_plot.sigSelected.connect(self.plot.select)   # the same category
            self.logit_check.toggled.connect(self.model.set_q_logit_mode)
            self.t_slider.valueChanged.connect(self._on_t_slider)
            self.t_slider.sliderReleased.connect(self._on_t_released)

    # ------------------------------------------------------------------ theme / text
    def apply_theme(self) -> None:
        th = theme.current()
        color = th.p if self.WHICH == "p" else th.q
        ghost = th.q if self.WHICH == "p" else th.p
        self.plot.set_colors(color, th.foreground, th.accent, th.warning, ghost)
        self.plot.set_background(th.background, th.grid_alpha)
        self.message.setStyleSheet(f"color: {th.warning};")
        if self.WHICH == "q":
            self.softmax_plot.set_colors(th.q, th.foreground, th.accent, th.warning, th.p)
            self.softmax_plot.set_background(th.background, th.grid_alpha)

    def retranslate(self) -> None:
        which = self.WHICH
        if which == "p":
            self.setWindowTitle(tr("p — true distribution"))
            self.caption.setText(tr("What really happens."))
        else:
            self.setWindowTitle(tr("q — model's prediction"))
            self.caption.setText(tr("What the model predicts."))
        self.preset_button.setText(tr("Presets"))
        self.preset_button.setToolTip(tr("Set {which} (or both p and q) to a uniform, one-hot or "
                                         "random distribution, or load a worked example").format(which=which))
        self.swap_button.setText(tr("p ↔ q"))
        self.swap_button.setToolTip(tr("Swap p and q (one undo step)"))
        self.copy_button.setText(tr("p → q"))
        self.copy_button.setToolTip(tr("Copy p into q: then H(p, q) = H(p) and D_KL(p ‖ q) = 0"))
        self.ghost_check.setText(tr("ghost {other}").format(other=self.other))
        self.ghost_check.setToolTip(tr("Draw the outline of {other} on this chart for comparison")
                                    .format(other=self.other))
        self.n_label.setText(tr("&N"))
        self.n_spin.setToolTip(tr("Number of categories ({lo} to {hi}). New categories join the "
                                  "unlocked bars and the unlocked mass is spread over all of "
                                  "them, the old ones keeping their proportions (1/N each when "
                                  "nothing is locked); removing the last re-normalises the "
                                  "rest.").format(lo=m.MIN_CATEGORIES, hi=m.MAX_UI_CATEGORIES))
        self.seed_label.setText(tr("seed"))
        self.seed_spin.setToolTip(tr("Random seed: the same seed gives the same draw"))
        self.conc_label.setText(tr("concentration"))
        self.conc_spin.setToolTip(tr("Dirichlet concentration: below 1 gives spiky draws, above 1 "
                                     "nearly uniform ones"))
        self.value_label.setText(tr("&value"))
        self.value_label.setToolTip(tr("Value of the selected bar (click or drag a bar, or "
                                        "Left/Right in the chart)"))
        self.name_label.setText(tr("&label"))
        self.label_edit.setToolTip(tr("Rename the selected category (1 to 40 characters); "
                                      "Enter or leaving the field applies it"))
        self.lock_button.setText(tr("Lock"))
        self.lock_button.setToolTip(tr("Lock the selected bar (key L): re-normalisation never "
                                       "changes a locked bar"))
        self.plot.set_axis_label(tr("logit z") if self._logit_mode() else tr("probability"))
        self.plot.setAccessibleName(tr("{which} bar chart").format(which=which))
        if which == "q":
            self.logit_check.setText(tr("&logits"))
            self.logit_check.setToolTip(tr("Edit q through logits: the bars show z, and "
                                           "q = softmax(z / T) is drawn beside them. Switching keeps q."))
            self.t_label.setText(tr("&T"))
            self.t_slider.setToolTip(tr("Softmax temperature T from 0.05 to 20 (log scale): low T "
                                        "sharpens q, high T flattens it"))
            self.softmax_plot.set_title(tr("q = softmax(z / T)"))
            self.softmax_plot.set_axis_label(tr("probability"))
            self.softmax_plot.setAccessibleName(tr("q = softmax(z / T)"))
            self.softmax_plot.setToolTip(tr("q = softmax(z / T): the probabilities the logits "
                                            "beside it give (not editable here)"))
        self._update_rule_tooltip()

    def _rule_text(self) -> str:
        if self._logit_mode():
            return tr("Drag a bar up or down to change the logit z freely; q = softmax(z / T) "
                      "follows. Double-click or press Enter to type a value; Up/Down nudge by 0.1 "
                      "(Shift: 1). Right-click or Esc during a drag cancels it.")
        return tr("Drag a bar up or down. The change is taken from the other unlocked bars in "
                  "proportion to their size, so the sum stays exactly 1; when they are all 0, "
                  "lowering a bar shares the freed mass equally among them. A locked bar never "
                  "moves, nor does a bar whose every other bar is locked, and locked bars cap how "
                  "high a bar can go. Values snap to 0 and 1 near the ends. Right-click or Esc "
                  "during a drag cancels it. Keys: Left/Right select, Up/Down ±0.01 (Shift ±0.1), "
                  "0 sets zero, L locks, Enter types a value.")

    def _update_rule_tooltip(self) -> None:
        text = self._rule_text()
        impossible = self.model.info.impossible if self.WHICH == "q" else ()
        if impossible and not self._logit_mode():
            names = ", ".join(f"“{self.model.labels[i]}”" for i in impossible if i < self.model.n)
            text = tr("Impossible under q: {names}. q gives them 0 although p says they happen, "
                      "so H(p, q) and D_KL(p ‖ q) are infinite.").format(names=names) + "\n\n" + text
        if getattr(self, "_marks_shown", False):
            text += "\n\n" + tr("The short marks across the bars are the shares pₙ of the "
                                  "sample drawn in the Sampling tab: as the sample grows they "
                                  "settle on p.")
        if text != self.plot.toolTip():
            self.plot.setToolTip(text)
        self.value_edit.setToolTip(
            tr("Type an exact logit and press Enter") if self._logit_mode() else
            tr("Type an exact probability (0.25, 25% or 1/4) and press Enter"))

    # ------------------------------------------------------------------ helpers
    def _logit_mode(self) -> bool:
        return self.WHICH == "q" and self.model.q_logit_mode

    def _values(self) -> np.ndarray:
        return self.model.q_logits if self._logit_mode() else self.model.dist(self.WHICH)

    def _selected(self) -> int:
        sel = self.plot.selected
        return 0 if sel is None or sel >= self.model.n else sel

    def show_error(self, text: str | None) -> None:
        text = text or ""
        self._error = text
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _set_value(self, index: int, value: float, finished: bool = True) -> bool:
        if not self._logit_mode():
            current = self._values()
            refusal = refusal_reason(current, self.model.labels, self.model.locks(self.WHICH),
                                     index, value)
            if refusal is not None and float(current[index]) != value:
                self._show_refusal(index, refusal)
                if refusal.template.startswith("Locked bars hold"):
                    # applied up to the limit the locks leave: say so, and go on
                    return self.attempt(self.model.set_value, self.WHICH, index, value, finished)
                return False
        if not self.attempt(self.model.set_value, self.WHICH, index, value, finished):
            return False
        self.plot.clear_note()
        return True

    def _show_refusal(self, index: int, exc: InputError) -> None:
        """Say why an edit of bar *index* changed nothing: at the bar and in the status bar
        (and under the chart for a typed value; not during a drag, which a layout change under
        the pointer would disturb)."""
        text = i18n.tr_error(exc)
        if self.plot.note != (index, text):
            window = self.window()
            if hasattr(window, "statusBar"):
                window.statusBar().showMessage(text, STATUS_MS)
        self.plot.show_note(index, text)
        if self.plot.dragging is None:
            self.show_error(text)

    def _toggle_lock(self, index: int) -> None:
        if self._logit_mode():
            self.show_error(tr("Locks do not apply in logit mode: every logit moves all of q."))
            return
        self.attempt(self.model.toggle_lock, self.WHICH, index)

    # ------------------------------------------------------------------ intents
    def _on_bar_dragged(self, index: int, value: float, finished: bool) -> None:
        self._set_value(index, value, finished)

    def _on_drag_cancelled(self, _index: int, _start: float) -> None:
        self.model.cancel_edit()

    def _on_bar_hovered(self, index) -> None:
        self._hover_index = index
        self._update_hover_text()
        self.model.set_highlight(index)

    def _update_hover_text(self) -> None:
        i = self._hover_index
        if i is None or i >= self.model.n:
            self.plot.set_hover_text("")
            return
        label = self.model.labels[i]
        if self._logit_mode():
            text = tr("{label}: z = {z}, q = {q}").format(
                label=label, z=fmt(self.model.q_logits[i], 3), q=fmt(self.model.q[i], 4))
        else:
            text = tr("{label}: {which} = {value}").format(
                label=label, which=self.WHICH, value=fmt(self.model.dist(self.WHICH)[i], 4))
            if self.model.locks(self.WHICH)[i]:
                text = tr("{text} (locked)").format(text=text)
        self.plot.set_hover_text(text)

    def _on_selected(self, index) -> None:
        self.show_error("")
        if self.WHICH == "q":
            self.softmax_plot.set_selected(index)
        self._update_edit_row(force=True)

    def _on_nudged(self, index: int, delta: float) -> None:
        current = float(self._values()[index])
        target = current + delta
        if not self._logit_mode():
            target = min(1.0, max(0.0, round(target, 12)))
        self._set_value(index, target)

    def _on_edit_requested(self, index: int) -> None:
        self._update_edit_row(force=True)
        self.value_edit.setFocus(Qt.OtherFocusReason)
        self.value_edit.selectAll()

    def _on_value_typed(self) -> None:
        index = self._selected()
        try:
            value = parse_value(self.value_edit.text(), logit=self._logit_mode())
        except ValueError as exc:
            self.show_error(str(exc))
            return
        if self._set_value(index, value):
            self._update_edit_row(force=True)
            self.value_edit.selectAll()

    def _on_label_typed(self) -> None:
        index = self._selected()
        text = self.label_edit.text()
        if text.strip() == self.model.labels[index]:
            return
        if not text.strip():
            self.show_error(tr("A label cannot be empty."))
            return
        self.attempt(self.model.set_label, index, text)

    def _on_n_chosen(self, n: int) -> None:
        self.attempt(self.model.set_n, n)

    def _on_ghost_toggled(self, on: bool) -> None:
        self.ghost_visible = bool(on)
        self._update_ghost()

    def _on_t_slider(self, pos: int) -> None:
        t = round(slider_to_temperature(pos), 4)
        self.attempt(self.model.set_temperature, t, not self.t_slider.isSliderDown())

    def _on_t_released(self) -> None:
        self.attempt(self.model.set_temperature, round(slider_to_temperature(self.t_slider.value()), 4), True)

    def _on_context_menu(self, index: int, screen_pos) -> None:
        self.plot.select(index)
        old = getattr(self, "bar_menu", None)
        if old is not None:
            old.deleteLater()
        self.bar_menu = self._context_menu(index)
        self.bar_menu.popup(screen_pos)

    def _context_menu(self, index: int) -> QMenu:
        """The right-click menu of bar *index* (built fresh, so texts are current)."""
        label = self.model.labels[index]
        menu = QMenu(self)
        if not self._logit_mode():
            locked = bool(self.model.locks(self.WHICH)[index])
            act = menu.addAction(tr("Lock “{label}”").format(label=label))
            act.setCheckable(True)
            act.setChecked(locked)
            act.triggered.connect(lambda: self._toggle_lock(index))
            menu.addAction(tr("Set to 0"), lambda: self._set_value(index, 0.0))
            menu.addAction(tr("Set to 1 (one-hot)"), lambda: self._set_value(index, 1.0))
        else:
            menu.addAction(tr("Set logit to 0"), lambda: self._set_value(index, 0.0))
        menu.addSeparator()
        menu.addAction(tr("Type a value…"), lambda: self._on_edit_requested(index))
        menu.addAction(tr("Rename…"), lambda: (self.label_edit.setFocus(), self.label_edit.selectAll()))
        return menu

    # ------------------------------------------------------------------ presets
    def _fill_preset_menu(self) -> None:
        """(Re)build the preset menu when it opens: the one-hot list follows the labels."""
        menu = self.preset_menu
        menu.clear()
        which = self.WHICH
        menu.addSection(tr("{which} only").format(which=which))
        self._add_generated(menu, which)
        menu.addSection(tr("Both p and q"))
        self._add_generated(menu, "both")
        menu.addSection(tr("Worked examples (set p, q and labels)"))
        for name in presets.PRESETS:
            if presets.is_example(name):
                act = menu.addAction(tr(presets.title(name)).replace("&", "&&"))   # "Bob & Alice"
                act.setToolTip(tr(presets.description(name)))
                act.setObjectName(f"preset_{name}")
                act.triggered.connect(lambda _=False, nm=name: self._apply_preset(nm))
        menu.addSeparator()
        menu.addAction(self.random_settings)

    def _add_generated(self, menu: QMenu, which: str) -> None:
        act = menu.addAction(tr(presets.title("uniform")))
        act.setToolTip(tr(presets.description("uniform")))
        act.setObjectName(f"preset_uniform_{which}")
        act.triggered.connect(lambda: self._apply_preset("uniform", which))
        sub = menu.addMenu(tr(presets.title("one-hot")))
        sub.setToolTip(tr(presets.description("one-hot")))
        sub.setObjectName(f"preset_onehot_{which}")
        labels = self.model.labels
        for i, label in enumerate(labels[:m.MAX_UI_CATEGORIES]):
            a = sub.addAction(label)
            a.triggered.connect(lambda _=False, k=i: self._apply_preset("one-hot", which, index=k))
        act = menu.addAction(tr(presets.title("random")))
        act.setToolTip(tr(presets.description("random")))
        act.setObjectName(f"preset_random_{which}")
        act.triggered.connect(lambda: self._apply_random(which))

    def _apply_random(self, which: str) -> None:
        seed = self.seed_spin.value()
        if self._apply_preset("random", which, seed=seed, concentration=self.conc_spin.value()):
            self.seed_spin.setValue(seed + 1)       # the next click draws something new

    def _apply_preset(self, name: str, which: str = "both", **options) -> bool:
        return self.attempt(lambda: self.model.apply_preset(name, which, **options))

    # ------------------------------------------------------------------ refresh
    def _update_sample_marks(self) -> None:
        """p's chart marks the shares pₙ of the sample drawn in the Sampling tab (a short line
        across each bar), the empirical distribution that converges to p."""
        if self.WHICH != "p":
            return
        p_hat = self.model.sample_numbers.p_hat
        show = p_hat is not None and p_hat.size == self.model.n
        self.plot.set_marks(p_hat if show else None)
        if show != getattr(self, "_marks_shown", False):
            self._marks_shown = show
            self._update_rule_tooltip()

    def refresh(self, change) -> None:
        model = self.model
        if change is not None and change.kinds <= {m.SAMPLE}:
            self._update_sample_marks()
            return
        if change is not None and change.kinds <= {m.HIGHLIGHT}:
            self.plot.set_highlight(model.highlight)
            if self.WHICH == "q":
                self.softmax_plot.set_highlight(model.highlight)
            return
        logit = self._logit_mode()
        values = self._values()
        if (change is not None and not change.finished and change.kinds <= {m.DISTRIBUTIONS}
                and logit == self._shown_mode and self.plot.heights.shape == values.shape
                and bool((self.plot.heights == values).all())):
            self._follow_other(logit)       # the other editor is being dragged
            return
        n = values.size
        labels_changed = change is None or change.touches(m.LABELS) or n != self._shown_n
        mode_changed = logit != self._shown_mode
        texts = None
        if n <= MAX_VALUE_TEXTS:
            key = (logit, values.tobytes())
            if key != self._texts_key:                 # e.g. q's texts while p is dragged
                digits = 2 if logit else 3
                self._texts_key, self._texts = key, fmt_many(values, digits)
            texts = self._texts
        self.plot.set_data(values, texts)
        if n != self._shown_n or mode_changed:
            self._shown_n = n
            self._shown_mode = logit
            self._setup_axes(n, logit)
        elif logit and (change is None or change.finished):
            self._fit_logit_range(values)
        if labels_changed:
            labels = model.labels
            if labels != self._shown_labels:
                self._shown_labels = labels
                self.plot.set_category_labels(labels)
                if self.WHICH == "q":
                    self.softmax_plot.set_category_labels(labels)
        self.plot.set_locked(np.zeros(n, bool) if logit else model.locks(self.WHICH))
        self.plot.set_highlight(model.highlight)
        if self.WHICH == "q":
            self.plot.set_impossible(() if logit else model.info.impossible)
            if logit:
                q = model.q
                self.softmax_plot.set_data(q, fmt_many(q, 3) if n <= MAX_VALUE_TEXTS else None)
                self.softmax_plot.set_highlight(model.highlight)
        self._update_ghost()
        self._update_sample_marks()
        self._update_controls(change)
        if change is None or change.finished:
            # what a screen reader says for the chart (it draws its own bars): every label and
            # value, refreshed when an edit ends rather than on every drag move
            self.plot.setAccessibleDescription(self.plot.accessible_summary(2 if logit else 4))
            if self.WHICH == "q" and logit:
                self.softmax_plot.setAccessibleDescription(
                    self.softmax_plot.accessible_summary(4))
        if self._hover_index is not None:
            self._update_hover_text()

    def _follow_other(self, logit: bool) -> None:
        """Mid-drag of the other distribution this one is unchanged: redraw only what depends
        on the other (q's impossible categories and their tooltip, the ghost outline)."""
        if self.WHICH == "q" and not logit:
            impossible = self.model.info.impossible
            if tuple(impossible) != self.plot.impossible:
                self.plot.set_impossible(impossible)
                self._update_controls(None)
        self._update_ghost()

    def _setup_axes(self, n: int, logit: bool) -> None:
        self.plot.snap = not logit
        if logit:
            self.plot.value_range = (-1000.0, 1000.0)
            self.plot.set_axis_label(tr("logit z"))
            self.plot.step, self.plot.big_step = 0.1, 1.0
            self._fit_logit_range(self._values(), force=True)
        else:
            self.plot.value_range = (0.0, 1.0)
            self.plot.set_axis_label(tr("probability"))
            self.plot.step, self.plot.big_step = 0.01, 0.1
            self.plot.set_value_axis(*PROB_Y_RANGE)
        if self.WHICH == "q":
            self.softmax_plot.setVisible(logit)
        self._update_rule_tooltip()

    def _fit_logit_range(self, z: np.ndarray, force: bool = False) -> None:
        """Fit the y range to the logits (after a finished edit, never during a drag).  A
        stand-in logit far below the others (a q_i = 0) is left out: it is drawn clipped, with
        an arrow and its number."""
        self.plot.set_value_axis(*fit_value_range(z, None if force else self.plot.value_axis))

    def _update_ghost(self) -> None:
        show = self.ghost_visible and not self._logit_mode()
        self.plot.set_ghost(self.model.dist(self.other) if show else None)

    def _update_controls(self, change) -> None:
        """Bring the controls in line with the model, touching only what *change* can affect
        (a drag move changes values only: it updates the value field and nothing else)."""
        model = self.model
        n = model.n
        top = max(m.MAX_UI_CATEGORIES, n)
        if self.n_spin.maximum() != top or self.n_spin.value() != n:   # else: no repaint
            self.n_spin.blockSignals(True)
            self.n_spin.setMaximum(top)
            self.n_spin.setValue(n)
            self.n_spin.blockSignals(False)
        if self.WHICH == "q" and (change is None or change.touches(m.LOGITS)):
            logit = model.q_logit_mode
            self.logit_check.blockSignals(True)
            self.logit_check.setChecked(logit)
            self.logit_check.blockSignals(False)
            if not self.t_slider.isSliderDown():
                self.t_slider.blockSignals(True)
                self.t_slider.setValue(temperature_to_slider(model.temperature))
                self.t_slider.blockSignals(False)
            self.t_value.setText(tr("T = {t}").format(t=fmt(model.temperature, 2)))
            for w in (self.t_label, self.t_slider, self.t_value):
                w.setEnabled(logit)
            self.lock_button.setEnabled(not logit)
            self.ghost_check.setEnabled(not logit)
            self._update_logit_note(change)
        impossible = self.model.info.impossible if self.WHICH == "q" else ()
        key = (self._logit_mode(), impossible, tuple(model.labels[i] for i in impossible if i < n))
        if change is None or key != self._tooltip_key:
            self._tooltip_key = key
            self._update_rule_tooltip()
        self._update_edit_row()

    def _update_logit_note(self, change) -> None:
        """In logit mode, say which q_i = 0 got the large negative stand-in logit."""
        model = self.model
        zeros = []
        if model.q_logit_mode:
            floor = LOGIT_FLOOR * model.temperature
            zeros = [model.labels[i] for i in np.flatnonzero(model.q_logits <= floor + 1e-9)]
        if zeros:
            text = tr("q was 0 for {names}: a probability of 0 has no finite logit, so "
                      "z = {z} stands in (q ≈ 1e−13).").format(
                names=", ".join(f"“{x}”" for x in zeros), z=fmt(floor, 1))
            if text != self.note.text():
                self.note.setText(text)
        self.note.setVisible(bool(zeros))

    def _update_edit_row(self, force: bool = False) -> None:
        model = self.model
        i = self._selected()
        label = model.labels[i]
        value = float(self._values()[i])
        text = f"{value:.6g}"
        if force or not self.value_edit.hasFocus():
            if self.value_edit.text() != text:
                self.value_edit.setText(text)
        if force or not self.label_edit.hasFocus():
            if self.label_edit.text() != label:
                self.label_edit.setText(label)
        locked = bool(model.locks(self.WHICH)[i]) and not self._logit_mode()
        if self.lock_button.isChecked() != locked:
            self.lock_button.blockSignals(True)
            self.lock_button.setChecked(locked)
            self.lock_button.blockSignals(False)


class PEditorDock(DistributionEditorDock):
    OBJECT_NAME = "pEditorDock"
    WHICH = "p"


class QEditorDock(DistributionEditorDock):
    OBJECT_NAME = "qEditorDock"
    WHICH = "q"
