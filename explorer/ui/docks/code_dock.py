"""``codeDock``: short runnable snippets that reproduce the numbers on screen.

NumPy formulas, ``scipy.stats.entropy`` (both forms), scikit-learn's ``log_loss`` (categorical
and binary), PyTorch's ``F.cross_entropy``, ``NLLLoss``, ``BCELoss`` / ``BCEWithLogitsLoss`` and
``KLDivLoss``, and three pitfalls with the live numbers.  The text comes from
:mod:`explorer.codegen` (templates filled with the model's inputs and values; nothing here
computes a number and nothing is ever executed).  Each snippet sits in a read-only, selectable
monospace view with its own Copy button; "Copy all" copies one runnable script (what
``python main.py code`` prints).  A library filter shows one library at a time.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import (QColor, QFontDatabase, QSyntaxHighlighter, QTextCharFormat,
                           QTextCursor)
from PySide6.QtWidgets import (QApplication, QComboBox, QFrame, QHBoxLayout, QLabel,
                               QPlainTextEdit, QPushButton, QScrollArea, QSizePolicy, QVBoxLayout,
                               QWidget)

from explorer import __version__, codegen, i18n
from explorer.model import app_model as m
from explorer.ui import theme
from explorer.ui.docks.base import ExplorerDock

#: the library filter: (data, English text)
FILTERS = (("all", "All libraries"), ("numpy", "NumPy"), ("scipy", "SciPy"),
           ("sklearn", "scikit-learn"), ("torch", "PyTorch"))


class _Highlighter(QSyntaxHighlighter):
    """Comments (where the app's values are) and string literals in their own colours."""

    def __init__(self, document):
        super().__init__(document)
        self.comment = QTextCharFormat()
        self.string = QTextCharFormat()
        self.set_theme(theme.current())

    def set_theme(self, th) -> None:
        dark = th.name == "dark"
        comment, string = QColor(th.ce), QColor(th.q)
        # on white the Okabe-Ito green and orange are too light for small text: darken them
        self.comment.setForeground(comment.lighter(125) if dark else comment.darker(150))
        self.string.setForeground(string if dark else string.darker(160))
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:
        quote = None
        start = 0
        for i, ch in enumerate(text):
            if quote:
                if ch == quote:
                    self.setFormat(start, i - start + 1, self.string)
                    quote = None
            elif ch in "\"'":
                quote, start = ch, i
            elif ch == "#":
                self.setFormat(i, len(text) - i, self.comment)
                return


class CodeView(QPlainTextEdit):
    """A read-only, selectable, monospace view of one snippet, as tall as its text (the dock
    scrolls, not the view); wide lines scroll sideways."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
        self.setLineWrapMode(QPlainTextEdit.NoWrap)
        self.setTabChangesFocus(True)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAsNeeded)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.FixedFont))
        self.document().setUndoRedoEnabled(False)
        self.highlighter = _Highlighter(self.document())
        self._lines: list[str] = [""]
        self._widths: list[int] = [0]
        self._width = 0

    def set_code(self, text: str) -> bool:
        """Show *text*; False (and nothing redone) when it is already shown.  When the line
        count is unchanged (a drag changes numbers, not the shape), only the changed lines are
        replaced: Qt re-lays out and re-highlights those lines, not the whole snippet."""
        lines = text.split("\n")
        if lines == self._lines:
            return False
        fm = self.fontMetrics()
        if len(lines) == len(self._lines):
            doc = self.document()
            cursor = QTextCursor(doc)
            cursor.beginEditBlock()
            for i, (old, new) in enumerate(zip(self._lines, lines)):
                if old != new:
                    block = doc.findBlockByNumber(i)
                    cursor.setPosition(block.position())
                    cursor.setPosition(block.position() + block.length() - 1,
                                       QTextCursor.KeepAnchor)
                    cursor.insertText(new)
                    self._widths[i] = fm.horizontalAdvance(new)
            cursor.endEditBlock()
        else:
            bar = self.horizontalScrollBar()
            scroll = bar.value()
            self.setPlainText(text)
            bar.setValue(scroll)
            self._widths = [fm.horizontalAdvance(line) for line in lines]
        self._lines = lines
        self._width = max(self._widths, default=0)
        self._fit()
        return True

    def _fit(self) -> None:
        fm = self.fontMetrics()
        margin = int(self.document().documentMargin())
        height = self.blockCount() * fm.lineSpacing() + 2 * margin + 2 * self.frameWidth() + 2
        if self._width + 2 * margin + 4 > self.viewport().width():
            height += self.horizontalScrollBar().sizeHint().height()
        if height != self.height():
            self.setFixedHeight(height)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()


class _Block(QFrame):
    """One snippet: its title, a Copy button, a sentence of explanation and the code."""

    def __init__(self, key: str, parent=None):
        super().__init__(parent)
        self.key = key
        self.setObjectName(f"codeBlock_{key}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 6)
        layout.setSpacing(3)
        row = QHBoxLayout()
        self.title = QLabel()
        self.title.setObjectName("codeTitle")
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.copy_button = QPushButton()
        self.copy_button.setObjectName(f"copyButton_{key}")
        row.addWidget(self.title, 1)
        row.addWidget(self.copy_button, 0, Qt.AlignTop)
        layout.addLayout(row)
        self.explanation = QLabel()
        self.explanation.setObjectName("codeExplanation")
        self.explanation.setWordWrap(True)
        layout.addWidget(self.explanation)
        self.view = CodeView()
        self.view.setObjectName(f"codeView_{key}")
        layout.addWidget(self.view)

    def show_snippet(self, snippet: codegen.Snippet, copy_name: str) -> None:
        if self.title.text() != snippet.title:
            self.title.setText(snippet.title)
            self.view.setAccessibleName(snippet.title)
            self.copy_button.setAccessibleName(copy_name)
        if self.explanation.text() != snippet.explanation:
            self.explanation.setText(snippet.explanation)
        self.view.set_code(snippet.code)


class CodeDock(ExplorerDock):
    OBJECT_NAME = "codeDock"
    TITLE = "Code"
    KINDS = frozenset({m.DISTRIBUTIONS, m.UNIT, m.EPS, m.LOGITS, m.LABELS, m.SIGMOID, m.SOFTMAX})

    def build(self) -> None:
        body = QWidget()
        outer = QVBoxLayout(body)
        outer.setContentsMargins(6, 6, 6, 6)
        outer.setSpacing(4)
        row = QHBoxLayout()
        self.lib_label = QLabel()
        self.lib_combo = QComboBox()
        self.lib_combo.setObjectName("codeLibCombo")
        for data, _text in FILTERS:
            self.lib_combo.addItem("", data)
        self.lib_combo.currentIndexChanged.connect(self._on_filter_chosen)
        self.lib_label.setBuddy(self.lib_combo)
        self.copy_all_button = QPushButton()
        self.copy_all_button.setObjectName("copyAllButton")
        self.copy_all_button.clicked.connect(self.copy_all)
        row.addWidget(self.lib_label)
        row.addWidget(self.lib_combo)
        row.addStretch(1)
        row.addWidget(self.copy_all_button)
        outer.addLayout(row)
        self.intro = QLabel()
        self.intro.setObjectName("codeIntro")
        self.intro.setWordWrap(True)
        outer.addWidget(self.intro)
        self.status = QLabel()
        self.status.setObjectName("codeStatus")
        self.status.setWordWrap(True)
        outer.addWidget(self.status)
        page = QWidget()
        self.page_layout = QVBoxLayout(page)
        self.page_layout.setContentsMargins(0, 0, 4, 0)
        self.page_layout.setSpacing(2)
        self.blocks: dict[str, _Block] = {}
        self.pitfall_heading = QLabel()
        self.pitfall_heading.setObjectName("pitfallHeading")
        for key in codegen.KEYS:
            if key == codegen.PITFALLS[0]:
                self.page_layout.addWidget(self.pitfall_heading)
            block = _Block(key)
            block.copy_button.clicked.connect(lambda _checked=False, k=key: self.copy(k))
            self.blocks[key] = block
            self.page_layout.addWidget(block)
        self.page_layout.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setObjectName("codeScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.scroll.setWidget(page)
        outer.addWidget(self.scroll, 1)
        self.setWidget(body)
        self._libs = codegen.LIBS
        self.snippets: dict[str, codegen.Snippet] = {}
        self._pending: set[str] = set()       # snippets not redone during a drag (out of sight)
        self.scroll.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        self.apply_theme()

    # ------------------------------------------------------------------ texts
    def retranslate(self) -> None:
        super().retranslate()
        tr = i18n.tr
        self.lib_label.setText(tr("Sho&w:"))
        self.lib_combo.setToolTip(tr("Show the snippets of one library, or all of them"))
        texts = {"all": tr("All libraries"), "numpy": "NumPy", "scipy": "SciPy",
                 "sklearn": "scikit-learn", "torch": "PyTorch"}
        for i in range(self.lib_combo.count()):
            self.lib_combo.setItemText(i, texts[self.lib_combo.itemData(i)])
        self.copy_all_button.setText(tr("Copy &all"))
        self.copy_all_button.setToolTip(tr("Copy one runnable script with every snippet shown "
                                           "(what {command} prints)").format(
            command="python main.py code"))
        self.intro.setText(tr("Runnable code that reproduces the numbers on screen. Each line "
                              "prints name = value; the comment holds the app's value, in nats "
                              "as PyTorch and scikit-learn use. Nothing here is run by the app."))
        self.pitfall_heading.setText("<b>" + tr("Pitfalls, with the live numbers") + "</b>")
        for block in self.blocks.values():
            block.copy_button.setText(tr("Copy"))
            block.copy_button.setToolTip(
                tr("Copy this snippet, with the current numbers, as runnable Python"))
        self.status.setText("")
        self.status.hide()

    def apply_theme(self) -> None:
        th = theme.current()
        for block in self.blocks.values():
            block.view.highlighter.set_theme(th)

    # ------------------------------------------------------------------ filter
    @property
    def libs(self) -> tuple:
        return self._libs

    def _on_filter_chosen(self, index: int) -> None:
        data = self.lib_combo.itemData(index)
        self._libs = codegen.LIBS if data == "all" else (data,)
        self._show_filtered()
        self.status.hide()

    def _show_filtered(self) -> None:
        for key, block in self.blocks.items():
            snippet = self.snippets.get(key)
            block.setVisible(snippet is not None and snippet.lib in self._libs)
        self.pitfall_heading.setVisible(any(
            s.lib in self._libs for k, s in self.snippets.items() if k in codegen.PITFALLS))

    # ------------------------------------------------------------------ copy
    def _inputs(self) -> codegen.CodeInputs:
        return codegen.inputs_from_model(self.model)

    def snippet(self, key: str) -> codegen.Snippet:
        """Snippet *key* with the model's current numbers, in the interface language."""
        return next(s for s in codegen.snippets(self._inputs(), i18n.tr) if s.key == key)

    def full_script(self) -> str:
        """What "Copy all" puts on the clipboard: one script with every snippet shown."""
        return codegen.script(self._inputs(), i18n.tr, self._libs, __version__)

    def copy(self, key: str) -> None:
        snippet = self.snippet(key)
        QApplication.clipboard().setText(snippet.code + "\n")
        self._say(i18n.tr("Copied “{title}”.").format(title=snippet.title))

    def copy_all(self) -> None:
        QApplication.clipboard().setText(self.full_script())
        count = sum(1 for s in codegen.snippets(self._inputs(), libs=self._libs))
        self._say(i18n.tr("Copied a script with {n} snippets.").format(n=count))

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status.show()

    # ------------------------------------------------------------------ redraw
    def refresh(self, change) -> None:
        """Regenerate the snippets.  During a drag (an unfinished change) only the snippets in
        sight are redone; the others follow when scrolled to, or when the edit finishes."""
        if change is not None and not change.finished:
            keys = {k for k, b in self.blocks.items() if self._in_sight(b)}
            self._pending = set(codegen.KEYS) - keys
        else:
            keys, self._pending = set(codegen.KEYS), set()
        self._show(keys)
        self._show_filtered()

    def _in_sight(self, block: _Block) -> bool:
        return block.isVisible() and not block.visibleRegion().isEmpty()

    def _show(self, keys) -> None:
        copy_name = i18n.tr("Copy “{title}”")
        for s in codegen.snippets(self._inputs(), i18n.tr, keys=keys):
            self.snippets[s.key] = s
            self.blocks[s.key].show_snippet(s, copy_name.format(title=s.title))

    def _on_scrolled(self, _value: int) -> None:
        due = {k for k in self._pending if self._in_sight(self.blocks[k])}
        if due:
            self._pending -= due
            self._show(due)
