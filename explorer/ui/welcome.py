"""The first-run welcome and Help → Keyboard shortcuts.

The welcome is a small dialog shown once (``ui/welcome_shown`` in QSettings) on the first
interactive launch: it names the workspaces with their keys and offers the Tour.  Closing it in
any way counts as seen.

The shortcut list is generated from the window's actions themselves (every ``QAction`` with a
shortcut, grouped by the menu that holds it) and from the panels' own ``QShortcut`` objects (each
described by its ``whatsThis``, under the panel's title), so it cannot go stale; the keys a
focused chart or readout takes (they are key presses, not shortcuts) follow as a fixed list.
"""
from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (QDialog, QDockWidget, QDialogButtonBox, QHeaderView, QLabel, QMenu,
                               QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout)

from explorer import APP_NAME, i18n
from explorer.workspace_designs import WORKSPACES

WELCOME_KEY = "ui/welcome_shown"


def _plain(text: str) -> str:
    """A menu text without its mnemonic marker (``&File`` → ``File``, ``文件(&F)`` → ``文件``)."""
    import re

    text = re.sub(r"\(&\w\)", "", text)
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


def shortcut_rows(window) -> list[tuple[str, str, str]]:
    """``(menu, action, keys)`` for every action of *window* that has a shortcut, in menu
    order, then the ones that live on the window only."""
    rows, seen = [], set()

    def walk(menu: QMenu, where: str) -> None:
        for act in menu.actions():
            if act.menu() is not None:
                walk(act.menu(), f"{where} → {_plain(act.menu().title())}")
            elif act.shortcuts() and id(act) not in seen:
                seen.add(id(act))
                rows.append((where, _plain(act.text()), _keys(act)))

    for top in window.menuBar().actions():
        if top.menu() is not None:
            walk(top.menu(), _plain(top.menu().title()))
    for act in window.findChildren(QAction):
        if act.shortcuts() and id(act) not in seen and act.text():
            seen.add(id(act))
            rows.append((i18n.tr("Window"), _plain(act.text()), _keys(act)))
    for dock in window.findChildren(QDockWidget):
        for sc in dock.findChildren(QShortcut):
            if sc.whatsThis() and not sc.key().isEmpty():
                rows.append((_plain(dock.windowTitle()), sc.whatsThis(),
                             sc.key().toString(QKeySequence.NativeText)))
    return rows + focus_key_rows()


def focus_key_rows() -> list[tuple[str, str, str]]:
    """The keys a focused chart or readout takes (key presses, not shortcuts)."""
    tr = i18n.tr
    chart = tr("Bar charts (p, q, logits), when focused")
    return [
        (chart, tr("Select the previous or next bar"), "←, →"),
        (chart, tr("Select the first or last bar"), "Home, End"),
        (chart, tr("Raise or lower the selected bar (Shift: bigger steps)"), "↑, ↓"),
        (chart, tr("Set the selected bar to zero"), "0"),
        (chart, tr("Lock or unlock the selected bar"), "L"),
        (chart, tr("Type a value for the selected bar"), "Enter, F2"),
        (chart, tr("Cancel a drag"), "Esc"),
        (tr("Readouts, when focused"), tr("Copy the focused number"),
         QKeySequence(QKeySequence.Copy).toString(QKeySequence.NativeText)),
    ]


def _keys(act: QAction) -> str:
    return ", ".join(k.toString(QKeySequence.NativeText) for k in act.shortcuts())


class ShortcutsDialog(QDialog):
    def __init__(self, window):
        super().__init__(window)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle(i18n.tr("Keyboard shortcuts"))
        layout = QVBoxLayout(self)
        rows = shortcut_rows(window)
        self.table = QTableWidget(len(rows), 3, self)
        self.table.setObjectName("shortcutsTable")
        self.table.setHorizontalHeaderLabels([i18n.tr("Menu"), i18n.tr("Action"),
                                              i18n.tr("Keys")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(min(760, window.width()), min(640, window.height()))


class WelcomeDialog(QDialog):
    """Names the workspaces and offers the Tour; *window* is the main window."""

    def __init__(self, window):
        super().__init__(window)
        self.window_ = window
        self.setObjectName("welcomeDialog")
        tr = i18n.tr
        self.setWindowTitle(tr("Welcome to {app}").format(app=APP_NAME))
        layout = QVBoxLayout(self)
        items = []
        for i, d in enumerate(WORKSPACES, start=1):
            items.append(f"<li><b>{html.escape(tr(d.title))}</b> (Ctrl+{i}) — "
                         f"{html.escape(tr(d.tip))}</li>")
        text = (f"<p>{html.escape(tr('Drag two distributions and watch entropy, cross-entropy and KL divergence move.'))}</p>"
                f"<p>{html.escape(tr('Each workspace tells one story; switch with the buttons at the top right or Ctrl+1 … Ctrl+5:'))}</p>"
                f"<ul>{''.join(items)}</ul>"
                f"<p>{html.escape(tr('Zoom with Ctrl+= and Ctrl+−, F11 for full screen, F5 for presentation mode. Help → Keyboard shortcuts lists every key.'))}</p>")
        self.label = QLabel(text, self)
        self.label.setObjectName("welcomeText")
        self.label.setTextFormat(Qt.RichText)
        self.label.setWordWrap(True)
        layout.addWidget(self.label)
        buttons = QDialogButtonBox(self)
        self.tour_button = QPushButton(tr("Take the &tour"), self)
        self.tour_button.setObjectName("welcomeTour")
        self.tour_button.setDefault(True)
        self.close_button = QPushButton(tr("&Start exploring"), self)
        self.close_button.setObjectName("welcomeClose")
        buttons.addButton(self.tour_button, QDialogButtonBox.AcceptRole)
        buttons.addButton(self.close_button, QDialogButtonBox.RejectRole)
        self.tour_button.clicked.connect(self._tour)
        self.close_button.clicked.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(min(560, max(320, window.width() - 40)))
        self.finished.connect(self._seen)

    def _seen(self, _result=None) -> None:
        self.window_.settings.setValue(WELCOME_KEY, True)
        self.window_.settings.sync()

    def _tour(self) -> None:
        self.accept()
        self.window_.help_actions.start_tour()


def should_welcome(settings) -> bool:
    return settings.value(WELCOME_KEY) not in (True, "true", 1, "1")
