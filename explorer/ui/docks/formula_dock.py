"""``formulaDock``: each quantity written out with the current numbers substituted.

For example ``H(p, q) = −(0·ln 0.4 + 1·ln 0.4 + 0·ln 0.2) = 0.9163 nats``, rendered as rich text
and copyable as plain text or LaTeX (:mod:`explorer.ui.formula` writes the strings; the numbers are
the model's).  Long sums are elided on screen (first three terms … last two); copies are complete.
"""
from __future__ import annotations

import html

import numpy as np
from PySide6.QtWidgets import (QApplication, QHBoxLayout, QLabel, QPushButton, QTextBrowser,
                               QVBoxLayout, QWidget)

from explorer import i18n
from explorer.model import app_model as m
from explorer.ui import formula, theme
from explorer.ui.docks.base import ExplorerDock

SCREEN_MAX_TERMS = 8


class FormulaDock(ExplorerDock):
    OBJECT_NAME = "formulaDock"
    TITLE = "Formulas"
    KINDS = frozenset({m.DISTRIBUTIONS, m.UNIT, m.EPS, m.LOGITS})

    def build(self) -> None:
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        self.view = QTextBrowser()
        self.view.setObjectName("formulaView")
        self.view.setOpenLinks(False)
        layout.addWidget(self.view, 1)
        row = QHBoxLayout()
        self.copy_text_button = QPushButton()
        self.copy_text_button.setObjectName("copyTextButton")
        self.copy_text_button.clicked.connect(lambda: self.copy("plain"))
        self.copy_latex_button = QPushButton()
        self.copy_latex_button.setObjectName("copyLatexButton")
        self.copy_latex_button.clicked.connect(lambda: self.copy("latex"))
        self.status = QLabel()
        self.status.setObjectName("formulaStatus")
        row.addWidget(self.copy_text_button)
        row.addWidget(self.copy_latex_button)
        row.addWidget(self.status, 1)
        layout.addLayout(row)
        self.setWidget(body)
        self.formulas: list[formula.Formula] = []
        self.apply_theme()

    def apply_theme(self) -> None:
        th = theme.current()
        self.view.setStyleSheet(f"QTextBrowser {{ background: {th.background}; color: {th.foreground}; }}")
        if self.formulas:
            self.refresh(None)

    def retranslate(self) -> None:
        super().retranslate()
        tr = i18n.tr
        self.copy_text_button.setText(tr("Copy as &text"))
        self.copy_text_button.setToolTip(tr("Copy every formula, with all terms written out, as "
                                            "plain Unicode text"))
        self.copy_latex_button.setText(tr("Copy as &LaTeX"))
        self.copy_latex_button.setToolTip(tr("Copy every formula, with all terms written out, as "
                                             "LaTeX display maths (\\[ … \\])"))
        self.view.setToolTip(tr("Each quantity with the current numbers substituted. Select text "
                                "to copy part of it."))
        self.status.setText("")

    # ------------------------------------------------------------------ texts
    def _unit_text(self) -> str:
        return i18n.tr(self.model.info.unit)

    def build_texts(self, max_terms: int | None) -> list[formula.Formula]:
        model = self.model
        return formula.build_formulas(model.info, model.p, model.q, model.precision,
                                      self._unit_text(), max_terms, i18n.tr("clipped"),
                                      i18n.tr("where"))

    def full_text(self, style: str) -> str:
        """What the copy buttons put on the clipboard: every formula, every term."""
        model = self.model
        ident = formula.identity(model.info, model.precision, self._unit_text(), style)
        pps = formula.perplexities(model.info, model.precision, self._unit_text(), style)
        return formula.joined(self.build_texts(None), style, [ident, *pps])

    def copy(self, style: str) -> None:
        QApplication.clipboard().setText(self.full_text(style))
        n = len(formula.ORDER) + 3
        self.status.setText(i18n.tr("Copied {n} formulas as LaTeX.").format(n=n) if style == "latex"
                            else i18n.tr("Copied {n} formulas as text.").format(n=n))

    # ------------------------------------------------------------------ redraw
    def refresh(self, change) -> None:
        model, info = self.model, self.model.info
        th = theme.current()
        tr = i18n.tr
        self.formulas = self.build_texts(SCREEN_MAX_TERMS)
        color = {"<i>p</i>": f"<i style='color:{th.p}'>p</i>",
                 "<i>q</i>": f"<i style='color:{th.q}'>q</i>"}

        def colored(text: str) -> str:
            for a, b in color.items():
                text = text.replace(a, b)
            return text

        parts = [f"<p style='margin:2px 0 8px 0'>{colored(f.html)}</p>" for f in self.formulas]
        parts.append("<hr><p style='margin:4px 0'>" + colored(formula.identity(
            info, model.precision, self._unit_text(), "html")) + "</p>")
        for line in formula.perplexities(info, model.precision, self._unit_text(), "html"):
            parts.append(f"<p style='margin:4px 0'>{colored(line)}</p>")
        parts.append(f"<p style='margin:2px 0; color:{th.neutral}'>"
                     + html.escape(tr("PP is the perplexity b^H: a fair die with that many faces "
                                      "is as uncertain; the same number in bits, nats or bans."))
                     + "</p>")
        notes = []
        if model.n > SCREEN_MAX_TERMS:
            notes.append(tr("N = {n}: the middle terms of long sums are shown as …; the copy "
                            "buttons write every term.").format(n=model.n))
        if np.any(np.asarray(model.p) == 0) or np.any(np.asarray(model.q) == 0):
            notes.append(tr("A term with a 0 in front, such as 0·ln 0, counts as 0 "
                            "(0·log 0 = 0 by convention)."))
        if info.impossible or info.impossible_qp:
            notes.append(tr("A term like 1·ln 0 is −∞ inside the sum, so the result is ∞: an "
                            "outcome the other distribution calls impossible."))
        if info.clipped_p or info.clipped_q:
            notes.append(tr("Numbers like 1e−15 are probabilities clipped to [eps, 1 − eps]; the "
                            "results they produce are marked clipped."))
        parts += [f"<p style='margin:2px 0; color:{th.neutral}'>{html.escape(t)}</p>" for t in notes]
        scroll = self.view.verticalScrollBar().value()
        self.view.setHtml("".join(parts))
        self.view.verticalScrollBar().setValue(scroll)
