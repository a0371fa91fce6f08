"""``helpDock``: a few sentences on each concept, for a learner, with the live numbers filled in.

The texts are data, in both languages: ``resources/help/help.json`` holds, per language, every
topic's title, summary, body (simple HTML) and a "live" template whose ``{placeholders}`` are
filled from the model's current numbers (H(p), H(p, q), KL, σ′(z) at the sigmoid marker, the
softmax a − y, …).  The dock follows the interface language (:func:`explorer.i18n.language`).

:class:`HelpActions` puts the same topics in the Help menu, plus the Tour.
"""
from __future__ import annotations

import html
import math

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QTextBrowser, QVBoxLayout,
                               QWidget)

from explorer import i18n
from explorer.model import app_model as m
from explorer.ui import loss_style, theme
from explorer.ui.docks.base import ExplorerDock
from explorer.ui.fmt import fmt

from explorer.ui.help_content import (  # noqa: F401  (the help API, re-exported)
    HELP_FILE, MAX_TABLE_ROWS, TOPIC_FIELDS, content, load_help, topic_keys, tour_text)


class _Safe(dict):
    """format_map helper: an unknown placeholder stays visible instead of raising."""

    def __missing__(self, key):
        return "{" + key + "}"


class HelpDock(ExplorerDock):
    OBJECT_NAME = "helpDock"
    TITLE = "Help"
    # every saved-state kind whose numbers appear in a topic (not hover highlights)
    KINDS = frozenset({m.DISTRIBUTIONS, m.LABELS, m.LOGITS, m.UNIT, m.EPS, m.SIGMOID, m.SOFTMAX,
                       m.SAMPLE})

    def build(self) -> None:
        self._topic = topic_keys()[0]
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 4, 6, 4)
        row = QHBoxLayout()
        self.topic_label = QLabel()
        self.topic_combo = QComboBox()
        self.topic_combo.setObjectName("helpTopicCombo")
        self.topic_combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.topic_combo.setMinimumContentsLength(16)
        self.topic_label.setBuddy(self.topic_combo)
        for key in topic_keys():
            self.topic_combo.addItem("", key)
        self.topic_combo.currentIndexChanged.connect(self._on_topic_chosen)
        row.addWidget(self.topic_label)
        row.addWidget(self.topic_combo, 1)
        layout.addLayout(row)
        self.browser = QTextBrowser()
        self.browser.setObjectName("helpBrowser")
        self.browser.setOpenLinks(False)
        self.browser.setMinimumHeight(120)
        layout.addWidget(self.browser, 1)
        self.setWidget(body)
        self.apply_theme()

    # ------------------------------------------------------------------ topic
    @property
    def topic(self) -> str:
        return self._topic

    def set_topic(self, key: str) -> None:
        """Show topic *key* (unknown keys are ignored)."""
        if key not in topic_keys():
            return
        self._topic = key
        i = self.topic_combo.findData(key)
        if i != self.topic_combo.currentIndex():
            self.topic_combo.blockSignals(True)
            self.topic_combo.setCurrentIndex(i)
            self.topic_combo.blockSignals(False)
        self.refresh(None)

    def _on_topic_chosen(self, index: int) -> None:
        key = self.topic_combo.itemData(index)
        if key:
            self._topic = key
            self.refresh(None)

    # ------------------------------------------------------------------ ExplorerDock API
    def retranslate(self) -> None:
        super().retranslate()
        tr = i18n.tr
        self.topic_label.setText(tr("&Topic:"))
        self.topic_combo.setToolTip(tr("Choose the idea to read about"))
        self.browser.setToolTip(tr("The explanation, with the numbers currently on screen"))
        topics = content()["topics"]
        self.topic_combo.blockSignals(True)
        for i in range(self.topic_combo.count()):
            key = self.topic_combo.itemData(i)
            self.topic_combo.setItemText(i, topics[key]["title"])
            self.topic_combo.setItemData(i, topics[key]["summary"], Qt.ToolTipRole)
        self.topic_combo.setCurrentIndex(self.topic_combo.findData(self._topic))
        self.topic_combo.blockSignals(False)

    def apply_theme(self) -> None:
        th = theme.current()
        self.browser.document().setDefaultStyleSheet(
            f"h3 {{ margin-bottom: 4px; }} h4 {{ margin-top: 10px; margin-bottom: 2px; }}"
            f"td, th {{ padding: 1px 6px; }} .live {{ color: {th.foreground}; }}")

    def refresh(self, change) -> None:
        if change is not None and not change.finished and change.kinds <= {m.SAMPLE}:
            return          # a playing sample: the page follows when it pauses (a page costs ms)
        bar = self.browser.verticalScrollBar()
        scroll = bar.value()
        self.browser.setHtml(self.html())
        bar.setValue(scroll)

    # ------------------------------------------------------------------ content
    def html(self, key: str | None = None) -> str:
        """The page of topic *key* (default: the current one) in the current language."""
        key = key or self._topic
        c = content()
        topic = c["topics"][key]
        live = topic["live"].format_map(_Safe(self.numbers(c["strings"])))
        return (f"<h3>{topic['title']}</h3>{topic['body']}"
                f"<h4>{c['strings']['live_heading']}</h4><div class='live'>{live}</div>")

    def numbers(self, strings: dict | None = None) -> dict:
        """Every placeholder of the live templates, formatted from the model's numbers."""
        strings = strings or content()["strings"]
        model, th = self.model, theme.current()
        digits = model.precision
        info = model.info
        f = lambda v: fmt(v, digits)  # noqa: E731
        out = {
            "unit": strings["units"].get(model.unit, model.unit),
            "log": m.UNIT_SYMBOLS.get(model.unit, ""),
            "n": str(model.n),
            "H_p": f(info.entropy_p), "H_q": f(info.entropy_q),
            "H_pq": f(info.cross_pq), "H_qp": f(info.cross_qp),
            "KL_pq": f(info.kl_pq), "KL_qp": f(info.kl_qp),
            "H_max": f(info.max_entropy),
        }
        labels = model.labels
        names = [html.escape(labels[i]) for i in info.impossible]
        out["impossible"] = ", ".join(names) if names else strings["none"]
        out["eps_state"] = (strings["eps_on"].format(eps=f"{model.eps:g}") if model.eps_enabled
                            else strings["eps_off"])
        out["self_info_table"] = self._self_info_table(strings)
        # --- the sample and perplexity -------------------------------------------------------
        sample = model.sample_numbers
        out["n_sample"] = f"{sample.count:,}".replace(",", " ")
        out["sample_cross"] = f(sample.cross) if sample.count else "—"
        out["loglik"] = f(sample.log_likelihood) if sample.count else "0"
        for key, v in (("ppl_p", info.perplexity_p), ("ppl_q", info.perplexity_q),
                       ("ppl_pq", info.perplexity_pq)):
            out[key] = fmt(v, 2)
        # --- sigmoid marker (σ′(z) and both gradients) -------------------------------------
        marker = model.sigmoid_numbers.marker
        colour = lambda c, text: f"<span style='color:{c}'><b>{text}</b></span>"  # noqa: E731
        out.update({
            "z": fmt(marker.z, 2), "x": fmt(marker.x, 2), "y": fmt(marker.y, 0),
            "a": f(marker.a), "dsigma": f(marker.dsigma),
            "grad_mse": colour(th.mse, f(marker.grad_w_mse)),
            "grad_ce": colour(th.ce, f(marker.grad_w_ce)),
            "ratio": (fmt(marker.ratio, 2) if not math.isfinite(marker.ratio) or marker.ratio < 1e6
                      else f"{marker.ratio:.3g}"),
        })
        # --- softmax panel ---------------------------------------------------------------------
        out["T"] = fmt(model.softmax_temperature, 2)
        out["softmax_table"] = self._softmax_table(strings)
        # --- the loss family --------------------------------------------------------------------
        sig = model.sigmoid_numbers
        out["gamma"] = fmt(sig.params["focal"]["gamma"], 2)
        out["eps_sig"] = fmt(sig.params["smoothed_ce"]["eps"], 2)
        out["loss_table"] = self._loss_table(strings)
        sm = model.softmax_numbers
        out["eps_soft"] = fmt(sm.smoothing, 2)
        out["H_y"], out["KL_ya"], out["CE_soft"] = (f(v) for v in (sm.entropy_y, sm.kl,
                                                                   sm.panel.loss))
        if math.isnan(sm.optimal_margin):
            out["margin_text"] = strings["margin_soft"]
        elif math.isinf(sm.optimal_margin):
            out["margin_text"] = strings["margin_onehot"]
        else:
            out["margin_text"] = strings["margin_smoothed"].format(m=f(sm.optimal_margin))
        out["race_text"] = self._race_text(strings)
        return out

    def _loss_table(self, strings) -> str:
        model = self.model
        digits = model.precision
        family = model.sigmoid_family()
        header = list(strings["loss_header"])
        rows = []
        for name, v in family.items():
            colour = loss_style.colour(name)
            label = f"<span style='color:{colour}'><b>{html.escape(loss_style.short_name(name))}</b></span>"
            ratio = "1" if name == "ce" else (fmt(v.ratio, digits) if math.isfinite(v.ratio)
                                              else "—")
            rows.append([label, fmt(v.loss, digits), fmt(v.grad_z, digits), ratio])
        return self._table(header, rows, 0, strings)

    def _race_text(self, strings) -> str:
        model = self.model
        race = model.softmax_race
        if race is None:
            return strings["race_off"]
        parts = []
        for spec, (run, h) in zip(model.softmax_settings.race_losses, race.runs.items()):
            limit = race.limit_margin[run]
            values = dict(run=html.escape(loss_style.spec_label(spec)), e=h.epochs,
                          m=fmt(float(h.margin[-1]), 4), loss=fmt(float(h.loss[-1]), 6))
            if math.isinf(limit):
                parts.append(strings["race_grows"].format(**values))
            elif math.isfinite(limit):
                parts.append(strings["race_limit"].format(limit=fmt(limit, 4), **values))
            else:
                parts.append(strings["race_plain"].format(**values))
        return " ".join(parts)

    def _table(self, header: list[str], rows: list[list[str]], hidden: int, strings) -> str:
        head = "".join(f"<th>{h}</th>" for h in header)
        body = "".join("<tr>" + "".join(f"<td align='right'>{v}</td>" for v in row) + "</tr>"
                       for row in rows)
        more = (f"<p>{strings['more'].format(count=hidden)}</p>" if hidden > 0 else "")
        return f"<table cellspacing='0'><tr>{head}</tr>{body}</table>{more}"

    def _self_info_table(self, strings) -> str:
        model, th = self.model, theme.current()
        terms = model.info.terms
        digits = model.precision
        p, q, labels = model.p, model.q, model.labels
        header = ["x", f"<span style='color:{th.p}'>p(x)</span>",
                  f"<span style='color:{th.p}'>−log p(x)</span>",
                  f"<span style='color:{th.q}'>q(x)</span>",
                  f"<span style='color:{th.q}'>−log q(x)</span>"]
        n = min(model.n, MAX_TABLE_ROWS)
        # −log q(x) of a q clipped at eps is −log eps: mark both cells, as the readouts do
        clipped = frozenset(model.info.clipped_q)
        star = lambda i, text: text + "*" if i in clipped else text  # noqa: E731
        rows = [[html.escape(labels[i]), fmt(p[i], digits), fmt(terms["self_info_p"][i], digits),
                 star(i, fmt(q[i], digits)), star(i, fmt(terms["self_info_q"][i], digits))]
                for i in range(n)]
        table = self._table(header, rows, model.n - n, strings)
        if clipped:
            table += "<p><i>{}</i></p>".format(
                strings["clipped_note"].format(eps=f"{model.info.eps:g}"))
        return table

    def _softmax_table(self, strings) -> str:
        numbers = self.model.softmax_numbers
        digits = self.model.precision
        panel, labels = numbers.panel, list(numbers.labels)
        z, a, y, grad = panel.z, panel.a, panel.y, panel.grad * panel.temperature
        th = theme.current()
        header = ["", "z", "a", "y", f"<span style='color:{th.ce}'>a − y</span>"]
        n = min(len(z), MAX_TABLE_ROWS)
        rows = [[html.escape(str(labels[i])), fmt(z[i], 2), fmt(a[i], digits), fmt(y[i], digits),
                 fmt(grad[i], digits)] for i in range(n)]
        return self._table(header, rows, len(z) - n, strings)


class HelpActions(QObject):
    """Help menu entries: the help panel (F1), one entry per concept, and the Tour."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.act_help = QAction(window, shortcut=QKeySequence.HelpContents,
                                triggered=lambda: self.show_topic(None))
        self.act_help.setObjectName("actHelpPanel")
        self.act_tour = QAction(window, triggered=self.start_tour)
        self.act_tour.setObjectName("actTour")
        self.topic_actions: dict[str, QAction] = {}
        for key in topic_keys():
            act = QAction(window, triggered=lambda _checked=False, key=key: self.show_topic(key))
            act.setObjectName(f"actHelp_{key}")
            self.topic_actions[key] = act
        self.tour = None

    def install(self, menu) -> None:
        menu.addAction(self.act_help)
        menu.addAction(self.act_tour)
        menu.addSeparator()
        for act in self.topic_actions.values():
            menu.addAction(act)
        menu.addSeparator()

    def retranslate(self) -> None:
        tr = i18n.tr
        self.act_help.setText(tr("Help &panel"))
        self.act_help.setStatusTip(tr("Show the help panel with explanations of every idea"))
        self.act_tour.setText(tr("&Tour"))
        self.act_tour.setStatusTip(tr("Walk through the panels one by one"))
        topics = content()["topics"]
        for key, act in self.topic_actions.items():
            act.setText(topics[key]["title"])
            act.setStatusTip(topics[key]["summary"])
            act.setToolTip(topics[key]["summary"])

    def show_topic(self, key: str | None) -> None:
        dock = self.window.docks.get("helpDock")
        if dock is None:
            return
        if key:
            dock.set_topic(key)
        dock.show()
        dock.raise_()
        dock.topic_combo.setFocus(Qt.ShortcutFocusReason)

    def start_tour(self):
        from explorer.ui.tour import Tour

        if self.tour is not None:
            self.tour.finish()
        self.tour = Tour(self.window)
        self.tour.start()
        return self.tour
