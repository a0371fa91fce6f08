"""The self-painted bar chart on its own: ticks, coordinate mapping, pixels drawn, export."""
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QImage

from explorer.ui import export
from explorer.ui.widgets.bar_chart import BAR_WIDTH, BarChart
from explorer.ui.widgets.painted import nice_ticks


def _rgb(img: QImage, x: float, y: float) -> tuple[int, int, int]:
    c = QColor(img.pixel(int(x), int(y)))
    return c.red(), c.green(), c.blue()


@pytest.fixture
def chart(qtbot):
    w = BarChart()
    w.set_colors("#0072B2", "#202020", "#CC79A7", "#C0392B", "#7F7F7F")
    w.set_background("#FFFFFF", 0.25)
    w.set_value_axis(-0.04, 1.1)
    w.set_category_labels(["a", "b", "c", "d"])
    w.set_axis_label("probability")
    w.set_data([0.1, 0.6, 0.0, 0.3], ["0.100", "0.600", "0.000", "0.300"])
    qtbot.addWidget(w)
    w.resize(420, 300)
    w.show()
    qtbot.waitExposed(w)
    return w


@pytest.mark.parametrize("lo, hi, count", [(-0.04, 1.1, 10), (0, 1, 4), (-3.7, 12.2, 6),
                                           (-1000, 1000, 8), (0.001, 0.0013, 5)])
def test_nice_ticks_are_round_inside_and_few(lo, hi, count):
    ticks = nice_ticks(lo, hi, count)
    assert 2 <= len(ticks) <= count + 1
    assert all(lo - 1e-12 <= t <= hi + 1e-12 for t in ticks)
    steps = np.diff(ticks)
    np.testing.assert_allclose(steps, steps[0], rtol=1e-9)
    mantissa = steps[0] / 10 ** np.floor(np.log10(steps[0]))
    assert any(abs(mantissa - m) < 1e-9 for m in (1, 2, 2.5, 5))
    assert nice_ticks(1, 1, 5) == [] and nice_ticks(0, float("nan"), 5) == []


def test_map_round_trip_and_bar_hit_test(chart):
    for x, y in [(0, 0.0), (1, 0.6), (3, 1.05), (-0.5, -0.04)]:
        back = chart.map_from_widget(chart.map_to_widget(x, y))
        assert back == pytest.approx((x, y), abs=1e-9)
    assert chart.bar_at(chart.map_to_widget(1, 0.3)) == 1
    assert chart.bar_at(chart.map_to_widget(1 + BAR_WIDTH / 2 + 0.1, 0.3)) is None  # in a gap
    assert chart.bar_at(chart.map_to_widget(1, 0.9)) is None                         # far above
    # a bar at 0 is still grabbed a few pixels above its foot
    assert chart.bar_at(chart.map_to_widget(2, 0) - QPointF(0, 5)) == 2


def test_pixels_show_the_bars_and_follow_set_data(chart):
    img = chart.grab().toImage()
    blue = _rgb(img, *chart.map_to_widget(1, 0.3).toTuple())
    white = _rgb(img, *chart.map_to_widget(1, 0.9).toTuple())
    assert blue[2] > blue[0] + 60            # inside bar b: the bar colour
    assert white == (255, 255, 255)          # above it: background
    chart.set_data([0.1, 0.2, 0.4, 0.3])
    img = chart.grab().toImage()
    assert _rgb(img, *chart.map_to_widget(1, 0.3).toTuple()) == (255, 255, 255)
    assert _rgb(img, *chart.map_to_widget(2, 0.3).toTuple())[2] > 150
    assert chart.value_texts == []           # new heights without texts: none drawn


def test_category_names_and_axis_drawn_and_thinned(chart):
    assert [t for _, t in chart.tick_labels()] == ["a", "b", "c", "d"]
    chart.set_category_labels([f"category {i}" for i in range(40)])
    chart.set_data(np.full(40, 1 / 40))
    shown = chart.tick_labels()
    assert 1 < len(shown) < 40 and shown[0][0] == 0
    gaps = np.diff([i for i, _ in shown])
    assert (gaps == gaps[0]).all()


def test_png_svg_and_clipboard_export_of_the_chart(chart, tmp_path, qtbot):
    for scale in (1, 2):
        path = export.export_plot(chart, tmp_path / f"c{scale}.png", scale)
        img = QImage(str(path))
        assert (img.width(), img.height()) == (chart.width() * scale, chart.height() * scale)
        x, y = chart.map_to_widget(1, 0.3).toTuple()
        assert _rgb(img, x * scale, y * scale)[2] > 150          # the bar, at scale
    svg = export.export_plot(chart, tmp_path / "c.svg")
    root = ET.parse(svg).getroot()
    texts = "".join(el.text or "" for el in root.iter() if el.tag.endswith("text"))
    assert "probability" in texts and "0.600" in texts
    export.copy_plot(chart)
    from PySide6.QtWidgets import QApplication
    assert QApplication.clipboard().image().width() == 2 * chart.width()


def test_drag_emits_values_from_the_press_point_and_snaps(chart, qtbot):
    seen = []
    chart.sigDragged.connect(lambda i, v, fin: seen.append((i, v, fin)))
    start = chart.map_to_widget(1, 0.6).toPoint()
    qtbot.mousePress(chart, Qt.LeftButton, pos=start)
    qtbot.mouseMove(chart, pos=chart.map_to_widget(1, 0.4).toPoint())
    assert chart.dragging == 1 and seen[-1][0] == 1 and not seen[-1][2]
    # the value is the start value plus the distance moved, whatever the pixel rounding
    moved = chart.map_from_widget(QPointF(chart.map_to_widget(1, 0.4).toPoint()))[1] - \
        chart.map_from_widget(QPointF(start))[1]
    assert seen[-1][1] == pytest.approx(0.6 + moved, abs=1e-9)
    qtbot.mouseMove(chart, pos=chart.map_to_widget(1, 0.005).toPoint())
    assert seen[-1][1] == 0.0                                   # snapped to 0
    qtbot.mouseRelease(chart, Qt.LeftButton, pos=chart.map_to_widget(1, 0.005).toPoint())
    assert seen[-1] == (1, 0.0, True) and chart.dragging is None
    assert chart.heights[1] == 0.6            # the chart never changes its own bars


def test_focus_frame_and_keyboard_select(chart, qtbot):
    chart.setFocus()
    qtbot.waitUntil(chart.hasFocus)
    picked = []
    chart.sigSelected.connect(picked.append)
    qtbot.keyClick(chart, Qt.Key_End)
    qtbot.keyClick(chart, Qt.Key_Left)
    assert picked == [3, 2] and chart.selected == 2
