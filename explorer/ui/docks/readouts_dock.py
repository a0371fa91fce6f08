"""``readoutsDock``: every information quantity of the current (p, q), live and exact.

Shows H(p), H(q), H(p, q), H(q, p), D_KL in both directions side by side (the larger one marked)
and JS(p, q) in the unit the user picks, with adjustable decimals and optional eps clipping; a
stacked bar draws the identity H(p, q) = H(p) + D_KL(p ‖ q) and the inequality H(p, q) ≥ H(p);
a note explains infinities (log 0), clipping and the 0·log 0 = 0 convention.
Every number comes from ``model.info``; nothing here computes a logarithm.

The dock redraws on every move of a drag, so a redraw touches only what changed:

- no layout pass runs during a drag unless a text needs more room: a QLabel's new text
  invalidates the page, the scroll area and the dock, and every widget a layout pass moves
  repaints, so the live texts are painted widgets whose room only grows during a drag;
- the numbers, the larger-KL mark and the comparison line are one painted widget
  (:class:`~explorer.ui.widgets.readout_numbers.ReadoutNumbers`: tooltips, copy menu, Ctrl+C,
  an accessible description), one paint pass instead of a dozen labels';
- the identity and inequality sentences are one painted widget too
  (:class:`~explorer.ui.widgets.paragraphs.Paragraphs`, with a copy menu);
- the identity picture is a self-painted chart (:class:`IdentityBars`): a cached pixmap of its
  axes plus four filled rectangles, instead of a pyqtgraph scene;
- texts, bars, marks and controls are set only when their value changed; the note (rich
  text) is rebuilt only when its words change.
"""
from __future__ import annotations

import html
import math

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFrame, QHBoxLayout, QLabel,
                               QLineEdit, QScrollArea, QSpinBox, QVBoxLayout, QWidget)

from explorer import i18n
from explorer.model import app_model as m
from explorer.ui import theme
from explorer.ui.docks.base import ExplorerDock
from explorer.ui.fmt import fmt
from explorer.ui.formula import number
from explorer.ui.widgets.identity_bars import IdentityBars
from explorer.ui.widgets.paragraphs import Paragraphs
from explorer.ui.widgets.readout_numbers import ReadoutNumbers

#: (attribute of InfoNumbers, symbol shown, English description)
QUANTITIES = [
    ("entropy_p", "H(p)", "entropy of p: the average surprise of outcomes drawn from p"),
    ("entropy_q", "H(q)", "entropy of q: the average surprise of outcomes drawn from q"),
    ("cross_pq", "H(p, q)", "cross-entropy of q relative to p: the average code length when "
                            "outcomes follow p but the code is built for q (the classification loss)"),
    ("cross_qp", "H(q, p)", "cross-entropy of p relative to q: outcomes follow q, code built for p"),
    ("kl_pq", "D_KL(p ‖ q)", "KL divergence of q from p: the extra cost H(p, q) − H(p) of using q "
                             "when the truth is p"),
    ("kl_qp", "D_KL(q ‖ p)", "KL divergence of p from q: the extra cost H(q, p) − H(q)"),
    ("js", "JS(p, q)", "Jensen–Shannon divergence: the symmetric, always finite average of "
                       "D_KL(p ‖ m) and D_KL(q ‖ m), m = (p + q)/2"),
    ("perplexity_p", "PP(p)", "perplexity of p, e^H(p) = 2^H(p) in bits: p is as uncertain as a "
                              "fair die with this many faces (the same number in every unit)"),
    ("perplexity_pq", "PP(p, q)", "perplexity of q on outcomes from p, e^H(p, q): q is, in effect, "
                                  "choosing among this many equally likely outcomes"),
]
#: unit-free readouts (a count of die faces, whatever the unit of H)
UNIT_FREE = {"perplexity_p", "perplexity_pq"}
#: grid position (row, column pair) of each quantity: the two directions sit side by side
GRID = {"entropy_p": (0, 0), "entropy_q": (0, 1), "cross_pq": (1, 0), "cross_qp": (1, 1),
        "kl_pq": (2, 0), "kl_qp": (2, 1), "js": (4, 0), "perplexity_p": (5, 0),
        "perplexity_pq": (5, 1)}
UNIT_NAMES = {"bits": "bits (log₂)", "nats": "nats (ln)", "bans": "bans (log₁₀)"}


def _names(model, indices) -> str:
    """Category names for rich text (escaped: labels are user text)."""
    labels = model.labels
    return ", ".join(f"“{html.escape(labels[i])}”" for i in indices)


class ReadoutsDock(ExplorerDock):
    OBJECT_NAME = "readoutsDock"
    TITLE = "Information readouts"
    KINDS = frozenset({m.DISTRIBUTIONS, m.UNIT, m.EPS, m.LOGITS, m.LABELS})

    # ------------------------------------------------------------------ build
    def build(self) -> None:
        body = QWidget()
        outer = QVBoxLayout(body)
        outer.setContentsMargins(6, 6, 6, 6)
        outer.setSpacing(6)

        # --- settings: unit, decimals, eps clipping ------------------------------------
        row1 = QHBoxLayout()
        self.unit_label = QLabel()
        self.unit_combo = QComboBox()
        self.unit_combo.setObjectName("unitCombo")
        for unit in m.UNITS:
            self.unit_combo.addItem(UNIT_NAMES.get(unit, unit), unit)
        self.unit_combo.currentIndexChanged.connect(self._on_unit_chosen)
        self.unit_label.setBuddy(self.unit_combo)
        self.precision_label = QLabel()
        self.precision_spin = QSpinBox()
        self.precision_spin.setObjectName("precisionSpin")
        self.precision_spin.setRange(0, 12)
        self.precision_spin.valueChanged.connect(self._on_precision_chosen)
        self.precision_label.setBuddy(self.precision_spin)
        for w in (self.unit_label, self.unit_combo, self.precision_label, self.precision_spin):
            row1.addWidget(w)
        row1.addStretch(1)
        outer.addLayout(row1)

        row2 = QHBoxLayout()
        self.eps_check = QCheckBox()
        self.eps_check.setObjectName("epsCheck")
        self.eps_check.toggled.connect(self._on_eps_toggled)
        self.eps_edit = QLineEdit()
        self.eps_edit.setObjectName("epsEdit")
        self.eps_edit.setMaximumWidth(90)
        self.eps_edit.editingFinished.connect(self._on_eps_edited)
        self.eps_label = QLabel()
        self.eps_label.setBuddy(self.eps_edit)
        row2.addWidget(self.eps_check)
        row2.addWidget(self.eps_label)
        row2.addWidget(self.eps_edit)
        row2.addStretch(1)
        outer.addLayout(row2)
        self.eps_error = QLabel()
        self.eps_error.setObjectName("epsError")
        self.eps_error.setWordWrap(True)
        self.eps_error.hide()
        outer.addWidget(self.eps_error)

        # --- the numbers -----------------------------------------------------------------
        self.numbers = ReadoutNumbers([(key, symbol, *GRID[key]) for key, symbol, _d in QUANTITIES],
                                      relation_row=3)
        self.numbers.setObjectName("readoutNumbers")
        self.numbers.sigCopied.connect(self._on_copied)
        outer.addWidget(self.numbers)
        self.kl_larger: str | None = None     # "kl_pq", "kl_qp" or None (equal / both infinite)

        line = QFrame()
        line.setFrameShape(QFrame.HLine)
        line.setFrameShadow(QFrame.Sunken)
        outer.addWidget(line)

        # --- identity and inequality, drawn ------------------------------------------------
        self.identity_title = QLabel()
        self.identity_title.setObjectName("identityTitle")
        self.identity_title.setWordWrap(True)
        outer.addWidget(self.identity_title)
        self.identity_plot = IdentityBars()
        self.identity_plot.setObjectName("identityPlot")
        self.identity_plot.setMinimumHeight(105)
        self.identity_plot.setMaximumHeight(135)
        self._xmax = 0.0
        outer.addWidget(self.identity_plot)
        # the identity with the numbers, and the inequality: one painted widget (Paragraphs)
        self.identity_lines = Paragraphs()
        self.identity_lines.setObjectName("identityLines")
        self.identity_lines.sigCopied.connect(self._on_copied)
        outer.addWidget(self.identity_lines)

        # --- explanations (log 0, clipping, 0·log 0) --------------------------------------
        self.note = QLabel()
        self.note.setObjectName("readoutsNote")
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.RichText)
        outer.addWidget(self.note)
        outer.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        scroll.setWidget(body)
        self.setWidget(scroll)
        self.apply_theme()

    def value_text(self, key: str) -> str:
        """The readout shown for *key* (a QUANTITIES key), e.g. "0.9163 nats"."""
        return self.numbers.text(key)

    def _on_copied(self, text: str) -> None:
        window = self.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(i18n.tr("Copied: {text}").format(
                text=text.replace("\n", "; ")), 4000)

    def apply_theme(self) -> None:
        th = theme.current()
        self.identity_plot.set_colors(th.foreground, th.p, th.ce, th.kl, th.warning,
                                      background=th.background)
        self.eps_error.setStyleSheet(f"color: {th.warning};")
        self.numbers.set_kl_colour(th.kl)

    # ------------------------------------------------------------------ texts
    def retranslate(self) -> None:
        super().retranslate()
        tr = i18n.tr
        self.unit_label.setText(tr("&Unit:"))
        self.unit_combo.setToolTip(tr("Unit of every readout: bits use log₂, nats use ln (natural "
                                      "log), bans use log₁₀. 1 nat = 1.4427 bits."))
        for i, unit in enumerate(m.UNITS):
            self.unit_combo.setItemText(i, tr(UNIT_NAMES.get(unit, unit)))
        self.precision_label.setText(tr("&Decimals:"))
        self.precision_spin.setToolTip(tr("Number of decimals shown in every readout, table and "
                                          "formula (0–12)"))
        self.eps_check.setText(tr("&Clip probabilities at eps"))
        self.eps_check.setToolTip(tr(
            "Off (default): a probability of 0 where the other distribution is positive gives ∞. "
            "On: probabilities inside logs are clipped to [eps, 1 − eps] without renormalising, "
            "as scikit-learn's log_loss does, and the finite result is marked as clipped."))
        self.eps_label.setText(tr("e&ps:"))
        self.eps_edit.setToolTip(tr("Clipping threshold eps, a number in (0, 0.5), e.g. 1e-15. "
                                    "Press Enter to apply."))
        self.numbers.set_tooltips({key: tr(desc) for key, _symbol, desc in QUANTITIES})
        self.numbers.set_general_tooltip(tr("KL divergence is not symmetric: the two directions "
                                            "usually differ; the larger one is framed."))
        self.numbers.set_menu_texts(tr("Copy “{text}”"), tr("Copy all readouts"))
        self.identity_lines.set_menu_text(tr("Copy these lines"))
        self.identity_lines.setAccessibleName(tr("Identity and inequality"))
        self.identity_plot.setAccessibleName(tr("Identity H(p, q) = H(p) + D_KL(p ‖ q), drawn"))
        self.numbers.setAccessibleName(tr("Information readouts"))
        self.identity_title.setText(tr("Identity H(p, q) = H(p) + D_KL(p ‖ q): the cross-entropy "
                                       "is the entropy plus the extra cost of using q."))
        self.identity_plot.setToolTip(tr(
            "Top bar: H(p, q). Bottom bar: H(p) followed by D_KL(p ‖ q). Both bars always end at "
            "the same place. The dashed line marks H(p), the least H(p, q) can be."))
        self.identity_plot.set_names("H(p, q)", "H(p) + D_KL")

    # ------------------------------------------------------------------ intents
    def _on_unit_chosen(self, index: int) -> None:
        self.model.set_unit(self.unit_combo.itemData(index))

    def _on_precision_chosen(self, digits: int) -> None:
        self.model.set_precision(int(digits))

    def _on_eps_toggled(self, checked: bool) -> None:
        eps = self._parse_eps()
        if eps is None:          # keep the model's eps; the message says what is wrong
            eps = self.model.eps
        self.model.set_eps(checked, eps)

    def _on_eps_edited(self) -> None:
        eps = self._parse_eps()
        if eps is not None:
            self.model.set_eps(self.model.eps_enabled, eps)

    def _parse_eps(self) -> float | None:
        text = self.eps_edit.text().strip().replace("−", "-")
        try:
            eps = float(text)
            if not (math.isfinite(eps) and 0 < eps < 0.5):
                raise ValueError
        except ValueError:
            self.eps_error.setText(i18n.tr("eps must be a number in (0, 0.5), e.g. 1e-15; got "
                                           "“{text}”. Nothing was changed.").format(text=text))
            self.eps_error.show()
            return None
        self.eps_error.hide()
        return eps

    # ------------------------------------------------------------------ redraw
    def refresh(self, change) -> None:
        model = self.model
        info = model.info
        prec = model.precision
        unit = i18n.tr(info.unit)
        tr = i18n.tr
        # during a drag the room of numbers and the x range only grow; they fit when it ends
        changing = change is not None and not change.finished
        if change is None or change.touches(m.UNIT, m.EPS):
            self._sync_controls()

        clipped_keys = set()
        if info.clipped_q:
            clipped_keys |= {"cross_pq", "kl_pq"}
        if info.clipped_p:
            clipped_keys |= {"cross_qp", "kl_qp"}
        texts = {}
        for key, _symbol, _desc in QUANTITIES:
            if key in UNIT_FREE:
                texts[key] = tr("{value} faces").format(value=fmt(getattr(info, key), 2))
                continue
            v = fmt(getattr(info, key), prec)
            if key in clipped_keys:
                texts[key] = tr("{value} {unit} (clipped)").format(value=v, unit=unit)
            else:
                texts[key] = f"{v} {unit}"

        # KL asymmetry: mark the larger direction (as displayed, so equal-looking means equal)
        a, b = info.kl_pq, info.kl_qp
        sa, sb = fmt(a, prec), fmt(b, prec)
        if math.isinf(a) and math.isinf(b):
            self.kl_larger = None
            rel = tr("Both directions are infinite.")
        elif sa == sb:
            self.kl_larger = None
            rel = (tr("D_KL(p ‖ q) = D_KL(q ‖ p) = 0: p and q are the same.") if a == 0 == b
                   else tr("D_KL(p ‖ q) = D_KL(q ‖ p) at this precision (an exception: KL is not "
                           "symmetric in general)."))
        elif a > b:
            self.kl_larger = "kl_pq"
            rel = tr("D_KL(p ‖ q) > D_KL(q ‖ p): KL is not symmetric.")
        else:
            self.kl_larger = "kl_qp"
            rel = tr("D_KL(p ‖ q) < D_KL(q ‖ p): KL is not symmetric.")
        self.numbers.set_contents(texts, self.kl_larger, rel, grow_only=changing)

        self._draw_identity(info, prec, unit, changing=changing)
        if not changing:        # what a screen reader says: refreshed when an edit ends
            self.numbers.setAccessibleDescription("\n".join(self.numbers.lines()))
            self.identity_lines.setAccessibleDescription(self.identity_lines.text())
            self.identity_plot.setAccessibleDescription(self.identity_lines.paragraphs()[0])
        p = self.model.p
        note_key = (info.impossible, info.impossible_qp, info.clipped_q, info.clipped_p, info.eps,
                    tuple(np.flatnonzero(p == 0).tolist()), info.entropy_p == 0, prec,
                    float(p[info.impossible[0]]) if info.impossible else None,
                    tuple(self.model.labels), theme.current().name, i18n.language())
        if note_key != getattr(self, "_note_key", None):      # the same words during most drags
            self._note_key = note_key
            text = self._note_html(info, prec)
            if self.note.text() != text:
                self.note.setText(text)

    def _sync_controls(self) -> None:
        model = self.model
        for w in (self.unit_combo, self.precision_spin, self.eps_check):
            w.blockSignals(True)
        self.unit_combo.setCurrentIndex(self.unit_combo.findData(model.unit))
        if self.precision_spin.value() != model.precision:    # setValue repaints even if equal
            self.precision_spin.setValue(model.precision)
        self.eps_check.setChecked(model.eps_enabled)
        for w in (self.unit_combo, self.precision_spin, self.eps_check):
            w.blockSignals(False)
        if not self.eps_edit.hasFocus() and not self.eps_error.isVisible():
            text = f"{model.eps:g}"
            if self.eps_edit.text() != text:
                self.eps_edit.setText(text)

    def _draw_identity(self, info, prec: int, unit: str, changing: bool = False) -> None:
        """The stacked bars.  During a drag the x range only grows (cheaper, and the bars are
        seen to move against a fixed scale); it fits again when the edit ends."""
        tr = i18n.tr
        h, kl, ce = info.entropy_p, info.kl_pq, info.cross_pq
        infinite = math.isinf(ce) or math.isinf(kl)
        finite = [v for v in (h, ce, info.max_entropy) if math.isfinite(v)]
        xmax = max(finite + [1e-9]) * (1.6 if infinite else 1.08)
        if changing and xmax <= self._xmax:
            xmax = self._xmax
        self._xmax = xmax
        self.identity_plot.set_values(h, kl, ce, xmax)
        identity = tr("H(p, q) = H(p) + D_KL(p ‖ q): {ce} = {h} + {kl} {unit}").format(
            ce=fmt(ce, prec), h=fmt(h, prec), kl=fmt(kl, prec), unit=unit)
        if np.array_equal(self.model.p, self.model.q):
            ineq = tr("H(p, q) ≥ H(p), with equality only when p = q — and now p = q, so "
                      "H(p, q) = H(p): using q costs nothing extra.")
        elif infinite:
            ineq = tr("H(p, q) ≥ H(p): here H(p, q) is infinite, far above H(p) = {h} {unit}.").format(
                h=fmt(h, prec), unit=unit)
        else:
            ineq = tr("H(p, q) ≥ H(p), with equality only when p = q. Now p ≠ q, so H(p, q) exceeds "
                      "H(p) by D_KL(p ‖ q) = {kl} {unit}.").format(kl=fmt(kl, prec), unit=unit)
        self.identity_lines.set_paragraphs([identity, ineq], grow_only=changing)

    def _note_html(self, info, prec: int) -> str:
        """Explanations as rich text: (text, is_warning) lines, warnings in the warning colour."""
        tr = i18n.tr
        model = self.model
        th = theme.current()
        p = model.p
        lines: list[tuple[str, bool]] = []
        if info.impossible:
            names = _names(model, info.impossible)
            p_i = number(p[info.impossible[0]], prec)
            if info.clipped_q:
                lines.append((tr(
                    "q gives probability 0 to {names}, which p says happens (p = {p_i}). Without "
                    "clipping H(p, q) and D_KL(p ‖ q) would be ∞; clipped at eps = {eps} they are "
                    "finite but huge, and marked “clipped”.").format(
                    names=names, p_i=p_i, eps=number(info.eps, prec)), True))
            else:
                lines.append((tr(
                    "<b>∞:</b> q gives probability 0 to {names}, yet p says it happens "
                    "(p = {p_i}). An event the model calls impossible happened: its surprise "
                    "−log 0 is infinite, so H(p, q) and D_KL(p ‖ q) are ∞. (Turn on eps clipping "
                    "to see the finite value a library like scikit-learn reports.)").format(
                    names=names, p_i=p_i), True))
        if info.impossible_qp:
            names = _names(model, info.impossible_qp)
            text = (tr("p gives probability 0 to {names}, which q expects: in the reverse "
                       "direction H(q, p) and D_KL(q ‖ p) are finite only because p is clipped.")
                    if info.clipped_p else
                    tr("p gives probability 0 to {names}, which q expects: in the reverse "
                       "direction H(q, p) and D_KL(q ‖ p) are ∞."))
            lines.append((text.format(names=names), True))
        zero_p = [int(i) for i in np.flatnonzero(p == 0)]
        if zero_p:
            text = (tr("{names} has p = 0 and adds nothing to H(p), H(p, q) or D_KL(p ‖ q): "
                       "0·log 0 = 0 by convention.") if len(zero_p) == 1 else
                    tr("{names} have p = 0 and add nothing to H(p), H(p, q) or D_KL(p ‖ q): "
                       "0·log 0 = 0 by convention."))
            lines.append((text.format(names=_names(model, zero_p)), False))
        if info.entropy_p == 0:
            lines.append((tr("H(p) = 0: p is certain, so observing the outcome tells you nothing "
                             "new."), False))
        if not lines:
            lines.append((tr("All probabilities are positive: every quantity is finite."), False))
        return "<br>".join(f"<span style='color:{th.warning if warn else th.foreground}'>{text}</span>"
                           for text, warn in lines)
