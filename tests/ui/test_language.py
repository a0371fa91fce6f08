"""English ↔ 简体中文 at runtime: walk the whole widget tree (labels, buttons, group boxes, combo
items, tabs, dock titles, menus and actions, tooltips, table headers, text views, pyqtgraph titles,
axis labels, legends and text items) and check that Chinese mode leaves no English word behind and
that switching back restores every English text.  Also: a Chinese caption renders in recordings,
and the default language follows the system locale."""
from __future__ import annotations

import html
import re

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QLocale, QModelIndex, Qt
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QAbstractSpinBox, QComboBox,
                               QDockWidget, QGroupBox, QLabel, QLineEdit, QMenu, QTabBar,
                               QTabWidget, QTextEdit, QWidget)

from explorer import i18n
from explorer.ui import preferences


@pytest.fixture(autouse=True)
def _english_afterwards():
    yield
    i18n.set_language("en")


# --------------------------------------------------------------------------- the walk
def _plain(text: str) -> str:
    """Rich text → plain text (tags removed, entities decoded)."""
    if "<" in text:
        text = re.sub(r"<[^>]+>", " ", text)
    return html.unescape(text)


def _graphics_texts(scene, where: str, out: list) -> None:
    for item in scene.items():
        if isinstance(item, pg.TextItem):
            out.append((f"{where}: TextItem", item.textItem.toPlainText()))
        elif isinstance(item, pg.LabelItem):
            out.append((f"{where}: LabelItem", item.text))
        elif isinstance(item, pg.AxisItem):
            out.append((f"{where}: axis label", item.labelText or ""))
            out.append((f"{where}: axis units", item.labelUnits or ""))
        elif isinstance(item, pg.LegendItem):
            for _sample, label in item.items:
                out.append((f"{where}: legend", label.text))
        elif hasattr(item, "toPlainText"):        # any other QGraphicsTextItem
            out.append((f"{where}: text item", item.toPlainText()))
        tip = item.toolTip() if hasattr(item, "toolTip") else ""
        if tip:
            out.append((f"{where}: item tooltip", tip))


def _header_texts(view: QAbstractItemView, where: str, out: list) -> None:
    model = view.model()
    if model is None:
        return
    for orientation, count in ((Qt.Horizontal, model.columnCount(QModelIndex())),
                               (Qt.Vertical, 0)):
        for section in range(count):
            for role in (Qt.DisplayRole, Qt.ToolTipRole):
                value = model.headerData(section, orientation, role)
                if isinstance(value, str):
                    out.append((f"{where}: header {section}", value))


def _action_texts(action, where: str, out: list) -> None:
    if action.isSeparator():
        return
    for kind in ("text", "toolTip", "statusTip", "whatsThis"):
        value = getattr(action, kind)()
        # Qt makes a tooltip from the text when none is set: same text, already collected
        if kind == "toolTip" and value == action.text().replace("&", ""):
            continue
        out.append((f"{where}: action {kind}", value))
    menu = action.menu()
    if isinstance(menu, QMenu):
        out.append((f"{where}: submenu", menu.title()))
        for sub in menu.actions():
            _action_texts(sub, f"{where} > {menu.title()}", out)


def collect_texts(root: QWidget) -> list[tuple[str, str]]:
    """Every user-visible text under *root* as ``(where, text)`` pairs (hidden widgets too:
    a tab behind another, a collapsed section, a disabled mode still shows when chosen)."""
    out: list[tuple[str, str]] = []
    widgets = [root] + root.findChildren(QWidget)
    for w in widgets:
        where = f"{type(w).__name__} {w.objectName() or ''}".strip()
        out.append((f"{where}: tooltip", w.toolTip()))
        out.append((f"{where}: status tip", w.statusTip()))
        out.append((f"{where}: accessible name", w.accessibleName()))
        if w.isWindow() or isinstance(w, QDockWidget):
            out.append((f"{where}: title", w.windowTitle().replace("[*]", "")))
        if isinstance(w, QLabel):
            out.append((f"{where}: label", w.text()))
        elif isinstance(w, QAbstractButton):
            out.append((f"{where}: button", w.text()))
        elif isinstance(w, QGroupBox):
            out.append((f"{where}: group", w.title()))
        elif isinstance(w, QComboBox):
            for i in range(w.count()):
                out.append((f"{where}: item {i}", w.itemText(i)))
                tip = w.itemData(i, Qt.ToolTipRole)
                if isinstance(tip, str):
                    out.append((f"{where}: item tip {i}", tip))
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                out.append((f"{where}: tab {i}", w.tabText(i)))
                out.append((f"{where}: tab tip {i}", w.tabToolTip(i)))
        elif isinstance(w, QLineEdit):
            out.append((f"{where}: placeholder", w.placeholderText()))
        elif isinstance(w, QTextEdit):
            out.append((f"{where}: document", w.toPlainText()))
            out.append((f"{where}: placeholder", w.placeholderText()))
        elif isinstance(w, QAbstractSpinBox):
            for attr in ("prefix", "suffix", "specialValueText"):
                if hasattr(w, attr):
                    out.append((f"{where}: {attr}", getattr(w, attr)()))
        if isinstance(w, QTabWidget):
            for i in range(w.count()):
                out.append((f"{where}: tab {i}", w.tabText(i)))
        if isinstance(w, QAbstractItemView):
            _header_texts(w, where, out)
        if isinstance(w, QMenu):
            out.append((f"{where}: menu", w.title()))
        if isinstance(w, pg.GraphicsView) and w.scene() is not None:
            _graphics_texts(w.scene(), where, out)
        for action in w.actions():
            _action_texts(action, where, out)
    return [(where, _plain(text)) for where, text in out if text and text.strip()]


# --------------------------------------------------------------------------- what counts as English
# (the detector lives with the extractor, so `tools/extract_strings.py --check` uses it too)
from tools.extract_strings import english_words  # noqa: E402


def test_english_words_catches_untranslated_text():
    assert english_words("播放") == []
    assert english_words("Play") == ["Play"]
    assert english_words("重置 Reset") == ["Reset"]
    assert english_words("Unit of every readout") == ["Unit", "every", "readout"]
    assert english_words("单位(&U)：") == []
    # formulas, numbers, abbreviations and key names pass
    assert english_words("二元熵 H(x) = −x log₂ x − (1−x) log₂(1−x)") == []
    assert english_words("D_KL(p ‖ q) = 0.9163 奈特, MSE ½(a − y)², CE, JS(p, q)") == []
    assert english_words("softmax(z / T)，σ′(z)，1e-15，Ctrl+Shift+R，场景文件 (*.json)") == []
    # unit names are words: translated in labels
    assert english_words("0.9163 nats") == ["nats"]
    assert english_words("bits (log₂)") == ["bits"]


# --------------------------------------------------------------------------- the tests
def _open_everything(window, qtbot):
    """Widgets that exist only once the user opens them: the record, render-demo and plot-export
    dialogs (created, not shown modally)."""
    from explorer.ui.recording import RecordDialog, RenderDemoDialog
    from explorer.ui.export import PlotExportDialog
    pw = window.findChildren(pg.PlotWidget)[0]
    dialogs = [RecordDialog(window), RenderDemoDialog(window), PlotExportDialog(pw, window)]
    return dialogs


def _model_labels(window):
    return list(window.model.labels)


def _english_left(texts, window):
    """(where, text, words) of every text with English words; the model's category labels are
    data the user typed (cat, dog, horse by default) and are allowed."""
    extra = set()
    for label in _model_labels(window):
        extra |= set(re.findall(r"[A-Za-z]+", label))
    bad = []
    for where, text in texts:
        words = english_words(text, extra)
        if words:
            bad.append((where, text, words))
    return bad


def _walk_all(window, qtbot):
    """Texts of the window and of freshly opened dialogs (a modal dialog cannot be open while
    the language changes, so each language gets its own)."""
    dialogs = _open_everything(window, qtbot)
    texts = [collect_texts(r) for r in [window] + dialogs]
    for d in dialogs:
        d.setParent(None)
        d.deleteLater()
    return texts


def test_switch_to_chinese_leaves_no_english_and_back(window, qtbot):
    i18n.set_language("en")
    window.help_actions.start_tour()      # its panel retranslates while it runs
    qtbot.wait(20)
    english = _walk_all(window, qtbot)
    per_dock_en = {name: collect_texts(d) for name, d in window.docks.items()}
    titles_en = {name: d.windowTitle() for name, d in window.docks.items()}
    # the walk sees every kind of text the brief names
    kinds = " ".join(w for texts in english for w, _t in texts)
    for kind in ("label", "button", "item", "tab", "title", "action text", "tooltip", "header",
                 "axis label", "legend", "TextItem", "document", "menu"):
        assert kind in kinds, kind
    assert sum(len(t) for t in english) > 400
    # a sanity check of the detector on the real English window
    assert len(_english_left([x for t in english for x in t], window)) > 200

    # switch through the menu, as a user does
    window.prefs.language_actions["zh"].trigger()
    qtbot.wait(20)
    assert i18n.language() == "zh"
    chinese = _walk_all(window, qtbot)
    bad = _english_left([x for t in chinese for x in t], window)
    assert not bad, "English left in Chinese mode:\n" + "\n".join(
        f"  {where}: {text!r} -> {words}" for where, text, words in bad[:40])
    # every dock's visible text changed (title and contents)
    for name, dock in window.docks.items():
        zh = collect_texts(dock)
        changed = set(t for _w, t in zh) - set(t for _w, t in per_dock_en[name])
        assert dock.windowTitle() != titles_en[name], name
        assert len(changed) >= 3, f"{name} barely changed: {changed}"
        assert any(re.search(r"[\u4e00-\u9fff]", t) for t in changed), name
    assert window.file_menu.title() == "文件(&F)"

    # and back to English: every text is exactly what it was
    window.prefs.language_actions["en"].trigger()
    qtbot.wait(20)
    again = _walk_all(window, qtbot)
    for before, after in zip(english, again):
        assert sorted(after) == sorted(before)
    window.help_actions.tour.finish()


def test_language_choice_is_remembered_and_menu_checked(window, qtbot):
    window.prefs.set_language("zh")
    assert window.settings.value(preferences.LANG_KEY) == "zh"
    assert window.prefs.language_actions["zh"].isChecked()
    assert not window.prefs.language_actions["en"].isChecked()
    assert preferences.initial_language(window.settings) == "zh"
    assert preferences.initial_language(window.settings, "en") == "en"   # --lang wins
    window.prefs.set_language("en")
    assert window.menuBar().actions()[0].text() == "&File"


@pytest.mark.parametrize("locale_name, expected", [
    ("zh_CN", "zh"), ("zh_TW", "zh"), ("zh_Hans_SG", "zh"), ("en_US", "en"), ("de_DE", "en"),
    ("C", "en")])
def test_default_language_follows_the_system_locale(monkeypatch, tmp_path, locale_name, expected):
    from PySide6.QtCore import QSettings
    monkeypatch.setattr(preferences.QLocale, "system", staticmethod(lambda: QLocale(locale_name)))
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.IniFormat)
    assert preferences.system_language() == expected
    assert preferences.initial_language(settings) == expected       # nothing persisted
    settings.setValue(preferences.LANG_KEY, "en")
    assert preferences.initial_language(settings) == "en"           # a persisted choice wins


# --------------------------------------------------------------------------- Chinese glyphs
def _glyph_image(text: str, font) -> np.ndarray:
    from PySide6.QtGui import QColor, QImage, QPainter
    img = QImage(64, 48, QImage.Format_Grayscale8)
    img.fill(0)
    p = QPainter(img)
    p.setFont(font)
    p.setPen(QColor(255, 255, 255))
    p.drawText(4, 36, text)
    p.end()
    return np.frombuffer(img.constBits(), np.uint8).reshape(48, img.bytesPerLine())[:, :64].copy()


def test_a_chinese_font_is_installed(qapp):
    """Without a CJK font every Chinese character is the same empty box ("tofu").  On Debian:
    apt-get install fonts-wqy-microhei (see DEVELOPERS.md; .ci/run installs it)."""
    from PySide6.QtGui import QFont, QFontDatabase
    families = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    assert families, "no Simplified Chinese font: apt-get install fonts-wqy-microhei"
    font = QFont()
    font.setPixelSize(28)
    glyphs = [_glyph_image(ch, font) for ch in "交叉熵"]
    assert all(g.sum() > 0 for g in glyphs)
    # three different characters draw three different shapes (tofu boxes would be identical)
    assert not np.array_equal(glyphs[0], glyphs[1])
    assert not np.array_equal(glyphs[1], glyphs[2])


def test_chinese_caption_and_interface_render_in_a_recording(qapp, tmp_path):
    import json

    from PySide6.QtGui import QImage

    from explorer.record import overlay
    from explorer.record.render import render_scenario

    text = "交叉熵 = 熵 + KL散度"
    scenario = {"version": 1, "size": [640, 400], "fps": 10, "target": "p", "language": "zh",
                "actions": [{"action": "caption", "text": text, "duration": 0.3,
                             "position": "top", "size": 24, "fade": 0, "block": True}]}
    path = tmp_path / "zh.json"
    path.write_text(json.dumps(scenario, ensure_ascii=False), encoding="utf-8")
    i18n.set_language("en")
    result = render_scenario(path, tmp_path / "frames")
    assert i18n.language() == "en"          # the recording's language does not leak out
    frame = QImage(str(result.path / "frame_00001.png")).convertToFormat(QImage.Format_RGB888)
    w, h = frame.width(), frame.height()
    rgb = np.frombuffer(frame.constBits(), np.uint8).reshape(h, frame.bytesPerLine())[:, :3 * w]
    rgb = rgb.reshape(h, w, 3).astype(int).copy()
    box, text_rect = overlay.caption_rect(text, "top", w, h, 24)
    inner = rgb[int(box.top()) + 6:int(box.bottom()) - 6, int(box.left()) + 6:int(box.right()) - 6]
    brightness = inner.mean(axis=2)
    # the dark caption box is there, with white glyphs on it
    assert np.median(brightness) < 90
    assert (brightness > 200).mean() > 0.04
    # glyph pixels spread over the whole caption line (every character drew something)
    cols = np.flatnonzero((brightness > 200).any(axis=0))
    assert cols.size and cols.max() - cols.min() > 0.6 * inner.shape[1]
    # the dock itself is in Chinese too: its title bar holds glyph pixels of "p — 真实分布"
    # and differs from the same frame rendered in English
    scenario["language"] = "en"
    scenario["actions"][0]["text"] = "x"
    path.write_text(json.dumps(scenario), encoding="utf-8")
    en = render_scenario(path, tmp_path / "frames_en")
    frame_en = QImage(str(en.path / "frame_00001.png")).convertToFormat(QImage.Format_RGB888)
    rgb_en = np.frombuffer(frame_en.constBits(), np.uint8).reshape(
        frame_en.height(), frame_en.bytesPerLine())[:, :3 * frame_en.width()].copy()
    rgb_en = rgb_en.reshape(frame_en.height(), frame_en.width(), 3).astype(int)
    # the value / label / lock row at the bottom, clear of the caption (the dock's width
    # follows its texts, so compare the common left part)
    cw = min(rgb.shape[1], rgb_en.shape[1])
    row_zh, row_en = rgb[-30:, :cw], rgb_en[-30:, :cw]
    assert (np.abs(row_zh - row_en).sum(axis=2) > 60).sum() > 100


def test_the_starting_example_is_labelled_in_the_interface_language():
    from explorer.model import AppModel
    i18n.set_language("zh")
    model = AppModel()
    assert model.labels == ["猫", "狗", "马"]
    i18n.set_language("en")
    assert model.labels == ["猫", "狗", "马"]       # labels are data once set
    assert AppModel().labels == ["cat", "dog", "horse"]


def test_input_errors_are_shown_in_the_interface_language(window, qtbot, tmp_path):
    """Errors the model or the encoder raise in English reach the user translated."""
    from PySide6.QtCore import Qt as _Qt

    from explorer.ui.recording import RecordDialog
    window.prefs.set_language("zh")
    # sigmoid dock: an impossible z range
    dock = window.docks["sigmoidDock"]
    spin = dock.lo_spin
    spin.setFocus()
    qtbot.keyClick(spin, _Qt.Key_A, _Qt.ControlModifier)
    qtbot.keyClicks(spin, "20")
    qtbot.keyClick(spin, _Qt.Key_Return)
    assert window.model.sigmoid_z_range == (-10.0, 10.0)
    text = dock.error_label.text()
    assert "z 轴" in text and not english_words(text)
    # record dialog: a PNG-frames folder that is not empty
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "f.png").write_bytes(b"x")
    dlg = RecordDialog(window)
    dlg.format_box.setCurrentIndex(dlg.format_box.findData("png"))
    dlg.path_edit.setText(str(tmp_path / "busy"))
    dlg._accept()
    text = dlg.error_label.text()
    assert "文件夹不为空" in text and not english_words(text.replace(str(tmp_path / "busy"), ""))
    dlg.deleteLater()
