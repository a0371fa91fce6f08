"""The self-painted bar chart on its own: ticks, coordinate mapping, pixels drawn, export,
drags and keys with real events, off-scale bars, where texts go, the bounded text cache."""
import math
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QHelpEvent, QImage
from PySide6.QtWidgets import QApplication, QToolTip

from explorer.ui import export
from explorer.ui.widgets.bar_chart import (ARROW_PX, BAR_WIDTH, TEXT_CACHE_SIZE, BarChart,
                                           TextCache, fit_value_range)
from explorer.ui.widgets.painted import nice_ticks

WARNING = (0xC0, 0x39, 0x2B)


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


# ---------------------------------------------------------------- drags, clicks and keys
def _press_move(qtbot, chart, x, y0, y1):
    start = chart.map_to_widget(x, y0).toPoint()
    qtbot.mousePress(chart, Qt.LeftButton, pos=start)
    qtbot.mouseMove(chart, pos=start + QPoint(0, 8 if y1 < y0 else -8))
    end = chart.map_to_widget(x, y1).toPoint()
    qtbot.mouseMove(chart, pos=end)
    return end


def test_a_drag_selects_its_bar_before_the_first_value(chart, qtbot):
    events = []
    chart.sigSelected.connect(lambda i: events.append(("selected", i)))
    chart.sigDragged.connect(lambda i, v, fin: events.append(("dragged", i)))
    end = _press_move(qtbot, chart, 3, 0.3, 0.5)
    assert chart.selected == 3 and events[0] == ("selected", 3) and events[1] == ("dragged", 3)
    qtbot.mouseRelease(chart, Qt.LeftButton, pos=end)
    # a click on another bar selects that one; a click on empty space changes nothing
    qtbot.mouseClick(chart, Qt.LeftButton, pos=chart.map_to_widget(0, 0.05).toPoint())
    assert chart.selected == 0
    qtbot.mouseClick(chart, Qt.LeftButton, pos=chart.map_to_widget(0, 0.9).toPoint())
    assert chart.selected == 0


@pytest.mark.parametrize("how", ["right", "escape"])
def test_right_click_or_escape_cancels_with_the_start_value(chart, qtbot, how):
    cancelled, dragged = [], []
    chart.sigDragCancelled.connect(lambda i, v: cancelled.append((i, v)))
    chart.sigDragged.connect(lambda i, v, fin: dragged.append(fin))
    end = _press_move(qtbot, chart, 1, 0.6, 0.2)
    if how == "right":
        qtbot.mousePress(chart, Qt.RightButton, pos=end)
        qtbot.mouseRelease(chart, Qt.RightButton, pos=end)
    else:
        qtbot.keyClick(chart, Qt.Key_Escape)
    assert cancelled == [(1, 0.6)] and chart.dragging is None
    count = len(dragged)
    qtbot.mouseMove(chart, pos=end + QPoint(0, 20))        # the rest of that drag is ignored
    qtbot.mouseRelease(chart, Qt.LeftButton, pos=end + QPoint(0, 20))
    assert len(dragged) == count and True not in dragged


def test_value_keys_only_on_an_editable_chart(chart, qtbot):
    nudged = []
    chart.sigNudged.connect(lambda i, d: nudged.append((i, d)))
    chart.setFocus()
    qtbot.keyClick(chart, Qt.Key_Right)
    qtbot.keyClick(chart, Qt.Key_Up)
    qtbot.keyClick(chart, Qt.Key_Down, Qt.ShiftModifier)
    assert nudged == [(0, chart.step), (0, -chart.big_step)]
    chart.editable = False
    qtbot.keyClick(chart, Qt.Key_Up)
    qtbot.keyClick(chart, Qt.Key_Right)                     # selecting still works
    assert len(nudged) == 2 and chart.selected == 1
    before = chart.selected
    _press_move(qtbot, chart, 1, 0.6, 0.2)                  # and a press does not drag
    assert chart.dragging is None and chart.selected == before


def test_grab_column_takes_a_press_anywhere_in_the_column(chart, qtbot):
    far = chart.map_to_widget(0, 0.9)                      # bar a is 0.1 high
    assert chart.bar_at(far) is None
    chart.grab_column = True
    assert chart.bar_at(far) == 0
    assert chart.bar_at(chart.map_to_widget(0.5, 0.9)) is None   # between two columns


# ---------------------------------------------------------------- off-scale bars
def test_fit_value_range_leaves_a_far_outlier_out():
    # closed forms: the range holds 0 and the other values, padded by 15 % of their span
    # (at least 2), whatever the stand-in logit −30 of a q_i = 0 is
    assert fit_value_range([0.0, -0.405, -30.0]) == pytest.approx((-0.405 - 0.3, 0.3))
    assert fit_value_range([2.0, 1.0, 0.1]) == pytest.approx((-0.3, 2.3))
    assert fit_value_range([2.0, 1.0, 0.1, 60.0]) == pytest.approx((-0.3, 2.3))
    assert fit_value_range([-3.0, 5.0], pad=0.25, min_span=1e-9) == pytest.approx((-5.0, 7.0))
    # a current range that still holds the values is kept; one 3 × too wide is not
    assert fit_value_range([1.0, 2.0], current=(-1.0, 3.0)) == (-1.0, 3.0)
    assert fit_value_range([1.0, 2.0], current=(-10.0, 10.0)) == pytest.approx((-0.3, 2.3))
    assert fit_value_range([]) == pytest.approx((-0.3, 1.3))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-1, 1), min_size=1, max_size=12),
       st.floats(50, 1e6), st.booleans())
def test_fit_value_range_holds_close_values_and_ignores_one_far_away(values, far, below):
    lo, hi = fit_value_range(values)
    assert lo < 0 < hi or (lo <= 0 <= hi and hi > lo)
    assert all(lo <= v <= hi for v in values)               # no value within ±1 is dropped
    outlier = -far if below else far
    assert fit_value_range(values + [outlier]) == pytest.approx((lo, hi))


@pytest.fixture
def logits(qtbot):
    w = BarChart()
    w.set_colors("#0072B2", "#202020", "#CC79A7", "#C0392B", "#7F7F7F")
    w.set_background("#FFFFFF", 0.25)
    w.set_category_labels(["cat", "dog", "horse"])
    z = np.array([1.0, -30.0, 2.0])
    w.set_value_axis(*fit_value_range(z))
    w.set_data(z, ["1.00", "−30.00", "2.00"])
    qtbot.addWidget(w)
    w.resize(360, 260)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_an_off_scale_bar_is_clipped_with_an_arrow_and_its_number(logits):
    lo, hi = logits.value_axis
    assert (lo, hi) == pytest.approx((-0.3, 2.3))           # −30 does not set the scale
    assert logits.clipped() == [1]
    img = logits.grab().toImage()
    rect = logits.plot_rect()
    x = logits.map_to_widget(1, 0).x()
    zero = logits.map_to_widget(1, 0).y()
    # the bar runs from 0 to the bottom edge, where the arrow (warning colour) points down
    assert _rgb(img, x - 8, (zero + rect.bottom()) / 2)[2] > 150
    tip = [_rgb(img, x, rect.bottom() - k) for k in range(3, ARROW_PX - 1)]   # (1 px: focus)
    assert all(abs(c - w) < 40 for px in tip for c, w in zip(px, WARNING)), tip
    # the other bars keep their scale: bar horse is twice bar cat, in pixels
    h0 = zero - logits.map_to_widget(0, 1.0).y()
    h2 = zero - logits.map_to_widget(2, 2.0).y()
    assert h2 == pytest.approx(2 * h0, abs=1)
    assert _rgb(img, logits.map_to_widget(2, 1.9).x(), logits.map_to_widget(2, 1.9).y())[2] > 150
    # its number is drawn inside the plot, over its own column, above the arrow
    texts = dict(logits.text_rects()["values"])
    assert set(texts) == {0, 1, 2}
    r = texts[1]
    assert rect.contains(r) and r.bottom() <= rect.bottom() - ARROW_PX
    assert abs(r.center().x() - x) < 1


def test_an_infinite_bar_lying_down_runs_to_the_edge(qtbot):
    w = BarChart()
    w.set_horizontal(True)
    w.set_category_labels(["H(p, q)", "H(p) + D_KL"])
    w.set_value_axis(0.0, 2.0)
    w.set_data([math.inf, 0.5], ["∞", ""])
    w.set_stack([0.0, math.inf])
    qtbot.addWidget(w)
    w.resize(400, 140)
    w.show()
    qtbot.waitExposed(w)
    assert w.clipped() == [0, 1] and w.x_range == (0.0, 2.0)
    img = w.grab().toImage()
    rect = w.plot_rect()
    for row in (0, 1):
        y = w.map_to_widget(1.0, row).y()
        tip = _rgb(img, rect.right() - 3, y)
        assert all(abs(c - v) < 40 for c, v in zip(tip, WARNING)), (row, tip)
    (i, r), = w.text_rects()["values"]                     # "∞" on the top row, inside it
    assert i == 0 and rect.contains(r) and r.right() <= rect.right() - ARROW_PX
    assert abs(r.center().y() - w.map_to_widget(1.0, 0).y()) < 1


def test_a_horizontal_chart_drags_and_keys_along_x(qtbot):
    w = BarChart()
    w.set_horizontal(True)
    w.snap = False
    w.set_category_labels(["a", "b"])
    w.set_data([0.2, 0.4])
    qtbot.addWidget(w)
    w.resize(400, 160)
    w.show()
    qtbot.waitExposed(w)
    assert w.map_from_widget(w.map_to_widget(0.3, 1)) == pytest.approx((0.3, 1.0))
    seen = []
    w.sigDragged.connect(lambda i, v, fin: seen.append((i, v, fin)))
    start = w.map_to_widget(0.35, 1).toPoint()
    qtbot.mousePress(w, Qt.LeftButton, pos=start)
    end = w.map_to_widget(0.6, 1).toPoint()
    qtbot.mouseMove(w, pos=end)
    qtbot.mouseRelease(w, Qt.LeftButton, pos=end)
    moved = w.map_from_widget(QPointF(end))[0] - w.map_from_widget(QPointF(start))[0]
    assert seen[-1] == pytest.approx((1, 0.4 + moved, True)) and moved > 0.2
    nudged = []
    w.sigNudged.connect(lambda i, d: nudged.append((i, d)))
    qtbot.keyClick(w, Qt.Key_Up)                            # rows: Up/Down; values: Left/Right
    qtbot.keyClick(w, Qt.Key_Right)
    assert w.selected == 0 and nudged == [(0, w.step)]


# ---------------------------------------------------------------- where texts go
def assert_texts_clear(chart):
    """Value texts inside the plot, off the axes and the zero line, and clear of the category
    names, the tick labels and each other; names clear of each other and of the ticks."""
    r = chart.text_rects()
    plot = r["plot"]
    values = [v for _, v in r["values"]]
    names = [n for _, n in r["names"]]
    ticks = r["ticks"]
    inner = plot.adjusted(0.5, 0.5, -0.5, -0.5)
    for k, v in enumerate(values):
        assert inner.contains(v), (v, plot)
        assert not any(v.intersects(o) for o in names + ticks), v
        assert not any(v.intersects(o) for o in values[k + 1:]), v
        if r["zero"] is not None:
            lo, hi = (v.left(), v.right()) if chart.horizontal else (v.top(), v.bottom())
            assert not lo < r["zero"] < hi, (v, r["zero"])
    for k, n in enumerate(names):
        assert not any(n.intersects(o) for o in names[k + 1:] + ticks), n


LABELS = ["boots", "won't boot", "explodes", "horse", "a", "WWWWWWWWWWWWWWWWWW", "dog", "x y z"]


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(st.floats(-12, 12), min_size=2, max_size=8),
       width=st.integers(96, 520), height=st.integers(90, 320), horizontal=st.booleans(),
       stand_in=st.booleans())
def test_texts_never_overlap_axes_names_or_each_other(qtbot, values, width, height,
                                                      horizontal, stand_in):
    w = BarChart()
    w.set_horizontal(horizontal)
    if stand_in:
        values = values + [-30.0]
    w.set_category_labels(LABELS[:len(values)])
    # scaled as the softmax dock scales its logits (stand-ins left out) or its gradients
    w.set_value_axis(*(fit_value_range(values, pad=0.25) if stand_in else
                       fit_value_range(values, pad=0.25, min_span=1e-3, outlier_factor=math.inf)))
    w.set_data(values, [f"{v:.3f}".replace("-", "−") for v in values])
    w.resize(width, height)
    assert_texts_clear(w)
    shown = {i for i, _ in w.text_rects()["values"]}
    if stand_in and max(abs(v) for v in values[:-1]) <= 3:   # then −30 is 8 spans away
        assert len(values) - 1 in w.clipped()
    if w.value_texts and not horizontal:       # standing up, a text always finds room
        assert shown == set(range(len(values)))
    w.deleteLater()


def test_the_softmax_case_elides_names_with_a_tooltip_and_drops_none(qtbot):
    """The issue's case: "boots" / "won't boot" overlapping and "explodes" dropped in a narrow
    softmax chart, and "−0.901" drawn on the axis and on "horse"."""
    w = BarChart()
    w.set_category_labels(["boots", "won't boot", "explodes"])
    grad = [0.024, 0.877, -0.901]
    w.set_value_axis(*fit_value_range(grad, pad=0.25, min_span=1e-3, outlier_factor=math.inf))
    w.set_data(grad, ["0.024", "0.877", "−0.901"])
    qtbot.addWidget(w)
    w.resize(120, 130)
    w.show()
    qtbot.waitExposed(w)
    names = w.tick_labels()
    assert [i for i, _ in names] == [0, 1, 2]                 # none dropped
    assert_texts_clear(w)
    elided = [(i, t) for i, t in names if t != w._labels[i]]
    assert elided and all(t.endswith("…") for _, t in elided)
    i, _ = elided[0]
    rect = dict(w.text_rects()["names"])[i]
    pos = rect.center().toPoint()
    w.setToolTip("the chart's own tooltip")
    qtbot.mouseMove(w, pos=pos)                              # over the elided name
    QApplication.sendEvent(w, QHelpEvent(QEvent.ToolTip, pos, w.mapToGlobal(pos)))
    assert QToolTip.isVisible() and QToolTip.text() == w._labels[i]
    QToolTip.hideText()
    assert w.toolTip() == "the chart's own tooltip"          # what the owner set stays
    bar = w.map_to_widget(1, 0.4).toPoint()
    qtbot.mouseMove(w, pos=bar)                              # over a bar: the chart's own
    QApplication.sendEvent(w, QHelpEvent(QEvent.ToolTip, bar, w.mapToGlobal(bar)))
    assert QToolTip.text() == "the chart's own tooltip"
    QToolTip.hideText()
    w.resize(520, 260)                                         # room enough: all of it shown
    assert [t for _, t in w.tick_labels()] == ["boots", "won't boot", "explodes"]
    assert w.value_texts == ["0.024", "0.877", "−0.901"]
    assert_texts_clear(w)


# ---------------------------------------------------------------- notes, accessibility
def test_a_note_sits_at_its_bar_and_goes_away(chart, qtbot):
    chart.show_note(2, "“c” is locked", msec=60)
    assert chart.note == (2, "“c” is locked")
    box = chart.text_rects()["note"]
    x = chart.map_to_widget(2, 0).x()
    assert box.left() <= x <= box.right() and chart.plot_rect().intersects(box)
    img = chart.grab().toImage()
    edge = [_rgb(img, box.left() + k, box.top()) for k in range(4, int(box.width()) - 4)]
    assert any(abs(px[0] - WARNING[0]) < 40 and px[2] < 110 for px in edge)   # warning frame
    qtbot.waitUntil(lambda: chart.note is None, timeout=2000)
    chart.show_note(9, "no such bar")
    assert chart.note is None


def test_accessible_summary_names_every_value(chart):
    assert chart.accessible_summary(2) == "a 0.10; b 0.60; c 0.00; d 0.30"


# ---------------------------------------------------------------- the text cache
def test_text_cache_never_holds_more_than_its_size():
    from PySide6.QtGui import QFont
    cache = TextCache(3)
    font = QFont()
    first = cache.get("a", font)
    assert cache.get("a", font) is first                 # prepared once, then found
    for t in ("b", "c"):
        cache.get(t, font)
    assert len(cache) == 3
    cache.get("d", font)                                 # a fourth: it starts again
    assert len(cache) == 1 and "d" in cache and "a" not in cache
    st_d, w_d, h_d = cache.get("d", font)
    assert st_d.text() == "d" and w_d > 0 and h_d > 0
    with pytest.raises(ValueError):
        TextCache(0)


def test_twenty_minutes_of_drags_keep_the_text_cache_bounded(chart, qtbot):
    """Issue 14: the editor's text cache held 6 394 texts after 20 minutes.  Thousands of
    drag frames later (new value and hover texts on every one) it holds at most its size,
    and what is on screen now is in it."""
    rng = np.random.default_rng(7)
    chart.set_hover_text("x")
    chart._set_hover(1)
    for k in range(3000):
        h = rng.dirichlet(np.ones(4))
        texts = [f"{v:.3f}" for v in h]
        chart.set_data(h, texts)
        chart.set_hover_text(f"b: p = {h[1]:.4f}")
        chart.repaint()
    cache = chart._text_cache
    assert len(cache) <= TEXT_CACHE_SIZE
    assert all(t in cache for t in texts) and f"b: p = {h[1]:.4f}" in cache
