"""The readouts' numbers as one painted grid: H(p), H(q), H(p, q), H(q, p), both KL directions,
JS, and the line comparing the two KL directions.

Every number changes on every move of a drag.  As a dozen labels they cost Qt a paint pass
each (about a quarter of a millisecond per move in all); drawn by one widget from prepared
static texts they cost one.  What labels gave for free is provided here:

* a tooltip per quantity (its description), where the mouse is;
* copying: right-click a number for *Copy “H(p) = 0.9163 nats”* or *Copy all readouts*; with
  the keyboard focus on the numbers (Tab), Ctrl+C copies them all;
* screen readers: the accessible description lists every line (set by the owner when an edit
  finishes, not on every move).

Layout: two columns (p-side quantities left, q-side right), each a right-aligned symbol and a
right-aligned value in a monospace font; the comparison line spans both columns and wraps.  The
larger KL direction gets a rounded frame in the KL colour around its number and a bold symbol.
During a drag the columns only grow (like the axes elsewhere), so the dock's layout is re-run
only when a number needs more room; a finished edit fits them again.
"""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (QColor, QFont, QFontMetrics, QKeySequence, QPainter, QPen, QPixmap,
                           QStaticText, QTextOption)
from PySide6.QtWidgets import QMenu, QSizePolicy

from explorer.ui.widgets.copyable import CopyableText

#: room around a number (left, top, right, bottom): its 2 px frame, and 3 px beside the text
VALUE_MARGINS = (5, 2, 5, 2)
GAP = 8          # between a symbol and its number, and between the two columns
ROW_GAP = 3


def _centred_wrap() -> QTextOption:
    opt = QTextOption(Qt.AlignHCenter)
    opt.setWrapMode(QTextOption.WordWrap)
    return opt


class ReadoutNumbers(CopyableText):
    """*rows*: ``[(key, symbol, row, column), ...]``; the comparison line sits in row
    *relation_row* across both columns."""

    def __init__(self, rows, relation_row: int, parent=None):
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Fixed)
        sp = self.sizePolicy()
        sp.setHeightForWidth(True)
        self.setSizePolicy(sp)
        self._rows = list(rows)
        self._relation_row = int(relation_row)
        self._symbols = {key: symbol for key, symbol, _r, _c in self._rows}
        self._values = {key: "" for key in self._symbols}
        self._tips: dict[str, str] = {}
        self._marked: str | None = None
        self._relation = ""
        self._room = [0, 0]                 # width of the value area in each column
        self._static: dict[tuple, QStaticText] = {}
        self._menu_texts = ("Copy “{text}”", "Copy all readouts")
        self._kl_colour = QColor("#CC79A7")
        self._general_tip = ""
        self.setMouseTracking(True)
        self._set_fonts()

    # ------------------------------------------------------------------ appearance
    def _set_fonts(self) -> None:
        self._name_font = QFont(self.font())
        self._bold_font = QFont(self._name_font)
        self._bold_font.setBold(True)
        value = QFont(self.font())
        value.setPointSizeF(value.pointSizeF() * 1.2)
        value.setFamily("monospace")
        value.setStyleHint(QFont.StyleHint.Monospace)
        self._value_font = value
        self._fm_name = QFontMetrics(self._name_font)
        self._fm_bold = QFontMetrics(self._bold_font)
        self._fm_value = QFontMetrics(self._value_font)
        self._static.clear()
        self.__dict__.pop("_rel_heights", None)
        self._geo_cache = None
        self._name_w = max(self._fm_bold.horizontalAdvance(s) for s in self._symbols.values())
        self._row_h = max(self._fm_value.height() + VALUE_MARGINS[1] + VALUE_MARGINS[3],
                          self._fm_bold.height())

    def set_kl_colour(self, colour: str) -> None:
        self._kl_colour = QColor(colour)
        self.update()

    def set_tooltips(self, tips: dict[str, str]) -> None:
        self._tips = dict(tips)

    def set_menu_texts(self, copy_one: str, copy_all: str) -> None:
        """Translated texts of the context menu ("… “{text}” …" and "Copy all …")."""
        self._menu_texts = (copy_one, copy_all)

    # ------------------------------------------------------------------ contents
    def set_contents(self, values: dict[str, str], marked: str | None, relation: str,
                     grow_only: bool = False) -> None:
        """Show *values* (text per key), frame *marked* (a key or None) and the comparison line;
        *grow_only* (mid-drag): the columns keep any larger room they had."""
        if values == self._values and marked == self._marked and relation == self._relation:
            return
        old_height = self._relation_height(self.width()) if self.width() > 0 else None
        self._values = dict(values)
        self._marked = marked
        self._relation = relation
        need = [0, 0]
        for key, _s, _r, col in self._rows:      # widths come with the prepared texts
            _st, width = self._static_text(self._values.get(key, ""), self._value_font,
                                           self._fm_value, "v")
            need[col] = max(need[col], width)
        room = [max(a, b) for a, b in zip(self._room, need)] if grow_only else need
        geometry = room != self._room
        self._room = room
        if old_height is not None and self._relation_height(self.width()) != old_height:
            geometry = True
        if geometry:
            self.updateGeometry()
        self.update()

    def text(self, key: str) -> str:
        """The value shown for *key* (e.g. "0.9163 nats")."""
        return self._values.get(key, "")

    @property
    def marked(self) -> str | None:
        """The key of the framed (larger) KL direction, or None."""
        return self._marked

    @property
    def relation(self) -> str:
        return self._relation

    def lines(self) -> list[str]:
        """Every readout as "symbol = value", in reading order, then the comparison line."""
        order = sorted(self._rows, key=lambda r: (r[2], r[3]))
        out = [f"{symbol} = {self._values.get(key, '')}" for key, symbol, _r, _c in order]
        return out + ([self._relation] if self._relation else [])

    # ------------------------------------------------------------------ geometry
    def _half(self, width: int | None = None) -> float:
        return (self.width() if width is None else width) / 2

    def _geometry_key(self) -> tuple:
        return (self.width(), self._relation_height(self.width()), tuple(self._room), self._row_h)

    def _geometry(self) -> dict:
        """Name and value rectangles per key and the comparison line's rectangle, for the
        current width, texts and room (recomputed only when one of them changed)."""
        key = self._geometry_key()
        cache = getattr(self, "_geo_cache", None)
        if cache is not None and cache[0] == key:
            return cache[1]
        half = self._half()
        tops = {}
        top = 0
        n_rows = max(r for _k, _s, r, _c in self._rows) + 1
        rel_h = self._relation_height(self.width())
        for r in range(n_rows):
            tops[r] = top
            top += (rel_h if r == self._relation_row else self._row_h) + ROW_GAP
        geo = {"relation": QRect(0, tops.get(self._relation_row, 0), self.width(), rel_h)}
        for k, _s, row, col in self._rows:
            left = int(col * half + self._name_w + GAP)
            right = int((col + 1) * half - (GAP if col == 0 else 2))
            geo[k] = (QRect(int(col * half), tops[row], self._name_w, self._row_h),
                      QRect(left, tops[row], max(1, right - left), self._row_h))
        self._geo_cache = (key, geo)
        return geo

    def _relation_height(self, width: int) -> int:
        """Height of the comparison line wrapped at *width* (remembered per text and width)."""
        if not self._relation:
            return self._fm_name.height()
        cache = self.__dict__.setdefault("_rel_heights", {})
        key = (self._relation, width)
        h = cache.get(key)
        if h is None:
            if len(cache) > 64:
                cache.clear()
            h = cache[key] = self._fm_name.boundingRect(
                QRect(0, 0, max(20, width), 10000), int(Qt.TextWordWrap | Qt.AlignHCenter),
                self._relation).height()
        return h

    def _row_top(self, row: int, width: int | None = None) -> int:
        width = self.width() if width is None else width
        top = 0
        for r in range(row):
            top += (self._relation_height(width) if r == self._relation_row else self._row_h)
            top += ROW_GAP
        return top

    def value_rect(self, key: str) -> QRect:
        """Where *key*'s number (with its frame) is drawn, in widget pixels."""
        return QRect(self._geometry()[key][1])

    def name_rect(self, key: str) -> QRect:
        """Where *key*'s symbol is drawn, in widget pixels."""
        return QRect(self._geometry()[key][0])

    def text_rects(self) -> dict:
        """Where each text is drawn, in widget pixels: ``{key: (room, text)}`` — the rectangle
        given to the number (with its frame) and the one its text covers — and ``"relation"``:
        ``(room, text)`` of the comparison line.  A text that does not fit its room is cut (the
        layout test checks every one)."""
        geo = self._geometry()
        out = {}
        for key, _symbol, _row, _col in self._rows:
            text = self._values.get(key, "")
            vr = geo[key][1]
            _st, w = self._static_text(text, self._value_font, self._fm_value, "v") if text \
                else (None, 0)
            h = self._fm_value.height()
            out[key] = (QRect(vr), QRect(vr.right() + 1 - VALUE_MARGINS[2] - int(w),
                                         vr.top() + VALUE_MARGINS[1], int(w), h))
            sr = geo[key][0]
            sym = self._symbols[key]
            fm = self._fm_bold if key == self._marked else self._fm_name
            sw = fm.horizontalAdvance(sym)
            out[f"{key}:symbol"] = (QRect(sr), QRect(sr.right() + 1 - sw, sr.top(), sw,
                                                     fm.height()))
        rel = geo["relation"]
        out["relation"] = (QRect(rel), QRect(rel.left(), rel.top(), rel.width(),
                                             self._relation_height(rel.width())))
        return out

    def key_at(self, pos) -> str | None:
        for key in self._symbols:
            if self.value_rect(key).contains(pos) or self.name_rect(key).contains(pos):
                return key
        return None

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        n_rows = max(r for _k, _s, r, _c in self._rows) + 1
        return self._row_top(n_rows, width) - ROW_GAP

    def sizeHint(self) -> QSize:
        width = self.minimumSizeHint().width() + GAP
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        # each half: symbol, a gap, the number in its margins, and the gap after the left
        # column (see _geometry) — so the widest number of either column fits
        width = 2 * (self._name_w + 2 * GAP + max(self._room) + VALUE_MARGINS[0]
                     + VALUE_MARGINS[2])
        return QSize(width, self.heightForWidth(width))

    # ------------------------------------------------------------------ painting
    def _static_text(self, text: str, font: QFont, fm: QFontMetrics, tag: str,
                     width: int = -1) -> tuple[QStaticText, int]:
        """*text* laid out once (and its width), reused by every paint that shows it."""
        key = (tag, text, width)
        entry = self._static.get(key)
        if entry is None:
            if len(self._static) > 500:
                self._static.clear()
            st = QStaticText(text)
            st.setTextFormat(Qt.PlainText)
            if width > 0:                               # a wrapped, centred paragraph
                st.setTextWidth(width)
                st.setTextOption(_centred_wrap())
            st.prepare(font=font)
            entry = self._static[key] = (st, fm.horizontalAdvance(text))
        return entry

    def _names_pixmap(self) -> QPixmap:
        """Background and symbols (which change only with the mark, width or theme)."""
        dpr = self.devicePixelRatioF()
        key = (self.size(), dpr, self._marked, self._geometry_key(), self.palette().cacheKey())
        cache = self.__dict__.setdefault("_names_cache", {})
        pm = cache.get(key)
        if pm is not None:
            return pm
        if len(cache) >= 4:             # a few: the mark may flip back and forth in a drag
            cache.clear()
        pm = QPixmap(QSize(max(1, round(self.width() * dpr)), max(1, round(self.height() * dpr))))
        pm.setDevicePixelRatio(dpr)
        p = QPainter(pm)
        self._paint_names(p)
        p.end()
        cache[key] = pm
        return pm

    def _paint_names(self, p: QPainter) -> None:
        pal = self.palette()
        p.fillRect(QRect(0, 0, self.width(), self.height()), pal.window())
        p.setPen(pal.windowText().color())
        geo = self._geometry()
        for key, symbol, _row, _col in self._rows:
            marked = key == self._marked
            nr = geo[key][0]
            font, fm = (self._bold_font, self._fm_bold) if marked else (self._name_font, self._fm_name)
            p.setFont(font)
            p.drawText(QPointF(nr.right() + 1 - fm.horizontalAdvance(symbol),
                               nr.top() + (nr.height() - fm.height()) / 2 + fm.ascent()), symbol)

    def _paint_values(self, p: QPainter) -> None:
        geo = self._geometry()
        pal = self.palette()
        fg = pal.windowText().color()
        p.setPen(fg)
        p.setFont(self._value_font)
        fm = self._fm_value
        for key, _symbol, _row, _col in self._rows:
            text = self._values.get(key, "")
            if text:
                vr = geo[key][1]
                st, w = self._static_text(text, self._value_font, fm, "v")
                p.drawStaticText(QPointF(vr.right() + 1 - VALUE_MARGINS[2] - w,
                                         vr.top() + VALUE_MARGINS[1]), st)
        if self._marked is not None:
            p.save()
            p.setRenderHint(QPainter.Antialiasing, True)
            p.setPen(QPen(self._kl_colour, VALUE_MARGINS[1]))
            p.setBrush(Qt.NoBrush)
            p.drawRoundedRect(QRectF(geo[self._marked][1]).adjusted(1, 1, -1, -1), 3, 3)
            p.restore()
        if self._relation:
            rect = geo["relation"]
            p.setFont(self._name_font)
            st, _w = self._static_text(self._relation, self._name_font, self._fm_name, "r",
                                       rect.width())
            p.drawStaticText(QPointF(rect.left(), rect.top()), st)

    def paintEvent(self, ev):
        p = QPainter(self)
        p.drawPixmap(0, 0, self._names_pixmap())
        self._paint_values(p)
        if self.hasFocus():
            p.setPen(QPen(self.palette().windowText().color(), 1, Qt.DotLine))
            p.drawRect(self.rect().adjusted(0, 0, -1, -1))
        p.end()

    # ------------------------------------------------------------------ interaction
    def mouseMoveEvent(self, ev):
        # the tooltip follows the quantity under the pointer (no event() override: that would
        # route every event of this widget, paints included, through Python)
        key = self.key_at(ev.position().toPoint())
        if key != getattr(self, "_tip_key", None):
            self._tip_key = key
            self.setToolTip(self._tips.get(key, self._general_tip) if key else self._general_tip)
        super().mouseMoveEvent(ev)

    def set_general_tooltip(self, text: str) -> None:
        """The tooltip away from any number (e.g. on the comparison line)."""
        self._general_tip = text
        self._tip_key = None
        self.setToolTip(text)

    def changeEvent(self, ev):
        if ev.type() in (ev.Type.FontChange, ev.Type.StyleChange):
            self._set_fonts()
            self.updateGeometry()
        super().changeEvent(ev)

    def all_text(self) -> str:
        return "\n".join(self.lines())

    def copy_text(self, key: str | None = None) -> str:
        """Put one readout ("H(p) = 0.9163 nats") or all of them on the clipboard; returns it."""
        if key is None:
            return self.copy_all()
        return self.copy_string(f"{self._symbols[key]} = {self._values.get(key, '')}")

    def context_menu(self, pos) -> QMenu:
        """The right-click menu at *pos* (built fresh, so its texts are current)."""
        menu = QMenu(self)
        key = self.key_at(pos)
        if key is not None:
            one = f"{self._symbols[key]} = {self._values.get(key, '')}"
            menu.addAction(self._menu_texts[0].format(text=one), lambda: self.copy_text(key))
        act = menu.addAction(self._menu_texts[1], self.copy_all)
        act.setShortcut(QKeySequence.Copy)
        return menu
