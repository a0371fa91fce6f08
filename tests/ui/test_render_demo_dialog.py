"""File → Render demo…: demos by title in both languages, a preview, the length, size estimates
per format, format/size/theme/language choices, and a render that can be cancelled (issue 20).
Driven with real keys and clicks."""
import json
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QPushButton

from explorer import i18n, resources
from explorer.ui import recording
from explorer.ui.recording import RENDER_FORMATS, RenderDemoDialog

DEMOS = sorted(resources.path("demos").glob("*.json"))


def _raw(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


@pytest.fixture
def dialog(qtbot, window):
    dlg = RenderDemoDialog(window)
    qtbot.addWidget(dlg)
    yield dlg
    dlg.close()


def _choose(qtbot, box, data):
    """Pick the item holding *data* in a combo box with the keyboard."""
    box.setFocus()
    QTest.keyClick(box, Qt.Key_Home)
    found = [i for i in range(box.count()) if tuple(np.atleast_1d(box.itemData(i))) ==
             tuple(np.atleast_1d(data))]
    assert found, data
    target = found[0]
    for _ in range(target):
        QTest.keyClick(box, Qt.Key_Down)
    assert box.currentIndex() == target


def test_demos_are_listed_by_title_in_both_languages(qtbot, dialog):
    box = dialog.scenario_box
    items = [box.itemText(i) for i in range(box.count())]
    assert items[:-1] == [_raw(p)["title"]["en"] for p in DEMOS]
    assert items[-1] == "Browse…"
    assert not any(".json" in t or "/" in t for t in items)
    assert dialog.description.text() == _raw(DEMOS[0])["description"]["en"]
    i18n.set_language("zh")
    try:
        dialog.retranslate()
        zh = [box.itemText(i) for i in range(box.count())]
        assert zh[:-1] == [_raw(p)["title"]["zh"] for p in DEMOS]
        assert zh[-1] == "浏览…"
        assert dialog.description.text() == _raw(DEMOS[0])["description"]["zh"]
        assert "秒" in dialog.duration_label.text()
    finally:
        i18n.set_language("en")


def test_choosing_a_demo_shows_its_length_description_and_output_name(qtbot, dialog):
    demo = resources.path("demos", "04_why_ce_not_mse.json")
    _choose(qtbot, dialog.scenario_box, str(demo))
    raw = _raw(demo)
    # the length: the sum of the blocking actions' durations, as the file states them
    blocking = sum(a["duration"] for a in raw["actions"] if a["action"] in ("z_marker", "hold"))
    train = next(a for a in raw["actions"] if a["action"] == "train")
    blocking += train["epochs"] / train["speed"]                   # captions do not block
    assert dialog.duration_label.text() == f"{blocking:.1f} s"
    assert dialog.description.text() == raw["description"]["en"]
    assert Path(dialog.out_edit.text()).name == "04_why_ce_not_mse.gif"
    _choose(qtbot, dialog.format_box, "mp4")
    assert Path(dialog.out_edit.text()).name == "04_why_ce_not_mse.mp4"
    _choose(qtbot, dialog.format_box, "png")
    assert Path(dialog.out_edit.text()).name == "04_why_ce_not_mse"
    _choose(qtbot, dialog.theme_box, "dark")
    _choose(qtbot, dialog.language_box, "zh")
    v = dialog.values()
    assert (v["scenario"], v["format"], v["theme"], v["language"]) == (str(demo), "png", "dark", "zh")


def test_the_estimate_follows_frames_and_pixels_for_every_format(qtbot, dialog):
    demo = resources.path("demos", "05_softmax_ce.json")
    _choose(qtbot, dialog.scenario_box, str(demo))
    _choose(qtbot, dialog.size_box, (960, 600))
    text = dialog.estimate_label.text()
    for fmt in RENDER_FORMATS:
        assert fmt.key.upper() in text
    assert "MB" in text or "kB" in text
    small = {f.key: dialog.estimate(f) for f in RENDER_FORMATS}
    _choose(qtbot, dialog.size_box, (1920, 1080))
    big = {f.key: dialog.estimate(f) for f in RENDER_FORMATS}
    for key in small:          # bigger frames, bigger files, but far less than the pixel count
        assert 1.0 < big[key] / small[key] < 1920 * 1080 / (960 * 600)
    frames = round(9.0 * 30)
    assert dialog.frames() == frames
    dialog.fps_spin.setFocus()
    QTest.keyClick(dialog.fps_spin, Qt.Key_Down)          # 29 fps: fewer frames, smaller file
    assert dialog.frames() == round(9.0 * 29)
    assert dialog.estimate() < big["gif"]


def test_the_preview_appears_without_blocking_and_is_cached(qtbot, window):
    dlg = RenderDemoDialog(window)
    qtbot.addWidget(dlg)
    _choose(qtbot, dlg.scenario_box, str(resources.path("demos", "03_kl_asymmetric.json")))
    dlg.show()
    qtbot.waitExposed(dlg)
    assert dlg._thumb_job is not None                      # rendering in a child process …
    assert dlg.preview.text() == "Preparing the preview…"
    QTest.keyClick(dlg.fps_spin, Qt.Key_Up)                # … while the dialog takes keys
    assert dlg.fps_spin.value() == 31
    qtbot.waitUntil(lambda: not dlg.preview.pixmap().isNull(), timeout=120000)
    img = dlg.preview.pixmap().toImage()
    assert img.width() <= recording.THUMB_SIZE[0] and img.height() <= recording.THUMB_SIZE[1]
    px = np.array([[img.pixelColor(x, y).rgb() for x in range(0, img.width(), 7)]
                   for y in range(0, img.height(), 7)])
    assert len(np.unique(px)) > 20                         # a picture of the window, not a fill
    dlg.close()
    again = RenderDemoDialog(window)
    qtbot.addWidget(again)
    _choose(qtbot, again.scenario_box, str(resources.path("demos", "03_kl_asymmetric.json")))
    again.show()
    assert again._thumb_job is None and not again.preview.pixmap().isNull()   # from the cache
    again.close()


@pytest.mark.parametrize("demo,fmt,size,measured_kb", [
    # measured with main.py record (see recording.RENDER_FORMATS): the estimate is within 15 %
    ("04_why_ce_not_mse", "gif", (1280, 720), 1910),
    ("01_entropy", "gif", (1920, 1080), 1138),
    ("01_entropy", "mp4", (1280, 720), 471),
    ("06_likelihood", "mp4", (960, 600), 815),
])
def test_the_estimate_is_close_to_measured_renders(qtbot, dialog, demo, fmt, size, measured_kb):
    _choose(qtbot, dialog.scenario_box, str(resources.path("demos", demo + ".json")))
    _choose(qtbot, dialog.size_box, size)
    _choose(qtbot, dialog.format_box, fmt)
    assert dialog.estimate() / (measured_kb * 1024) == pytest.approx(1.0, abs=0.15)


def test_a_browsed_file_is_listed_by_its_title(qtbot, dialog, tmp_path):
    f = tmp_path / "mine.json"
    f.write_text(json.dumps({"version": 1, "title": {"en": "My demo", "zh": "我的演示"},
                             "actions": [{"action": "hold", "duration": 1}]}), encoding="utf-8")
    dialog.select_scenario(f)
    assert dialog.scenario_box.currentText() == "My demo"
    assert dialog.scenario_box.itemText(dialog.scenario_box.count() - 1) == "Browse…"
    bad = tmp_path / "bad.json"
    bad.write_text('{"version": 1, "actions": []}', encoding="utf-8")
    dialog.select_scenario(bad)
    assert dialog.scenario_box.currentText() == "My demo"           # the choice stays
    assert "actions" in dialog.error_label.text() and not dialog.error_label.isHidden()


def test_render_from_the_dialog_then_cancel_leaves_nothing(qtbot, window, tmp_path):
    controller = window.recording
    dlg = RenderDemoDialog(window)
    qtbot.addWidget(dlg)
    _choose(qtbot, dlg.scenario_box, str(resources.path("demos", "02_cross_entropy_kl.json")))
    _choose(qtbot, dlg.size_box, (800, 450))
    dlg.out_edit.setText(str(tmp_path / "kl.gif"))
    ok = dlg.buttons.button(dlg.buttons.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.LeftButton)
    assert dlg.result() == QDialog.Accepted
    v = dlg.values()
    controller.render_demo(v["scenario"], v["output"], v["size"], v["fps"], theme=v["theme"],
                           language=v["language"])
    job = controller.job
    qtbot.waitUntil(lambda: job.frames[0] >= 2, timeout=90000)
    assert controller.progress.maximum() == 354                   # 11.8 s at 30 fps
    cancel = controller.progress.findChild(QPushButton)
    qtbot.mouseClick(cancel, Qt.LeftButton)
    assert controller.job is None and controller.progress is None
    assert list(tmp_path.iterdir()) == []


def test_a_wrong_suffix_for_the_format_is_refused_in_the_dialog(qtbot, dialog, tmp_path):
    _choose(qtbot, dialog.format_box, "mp4")
    dialog.out_edit.setText(str(tmp_path / "x.gif"))
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.LeftButton)
    assert dialog.result() != QDialog.Accepted
    assert ".mp4" in dialog.error_label.text()
    assert list(tmp_path.iterdir()) == []
