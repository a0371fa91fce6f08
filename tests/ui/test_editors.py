"""Distribution editors driven by real mouse and keyboard events on the bar chart widget.

Most tests use a light window holding only the two editors and the readouts (building every dock
of the main window costs over a second per test); the Edit menu is checked in the real window.
"""
import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QMainWindow
from scipy.special import softmax as sp_softmax
from scipy.stats import entropy as sp_entropy

from explorer.ui.docks.editor_dock import parse_value, slider_to_temperature
from explorer.ui.fmt import fmt


# ---------------------------------------------------------------- helpers
def to_widget(pw, x, y):
    return pw.map_to_widget(x, y).toPoint()


def to_view(pw, point):
    """Where a widget pixel lies in data coordinates (the inverse of to_widget)."""
    return QPointF(*pw.map_from_widget(QPointF(point)))


def dock(win, which):
    return win.docks[f"{which}EditorDock"]


def press(qtbot, pw, point, button=Qt.LeftButton):
    qtbot.mousePress(pw.viewport(), button, pos=point)


def move(qtbot, pw, point):
    qtbot.mouseMove(pw.viewport(), pos=point)


def release(qtbot, pw, point, button=Qt.LeftButton):
    qtbot.mouseRelease(pw.viewport(), button, pos=point)


def double_click(qtbot, pw, point):
    """What a real double-click delivers: press, release, double-click, release."""
    qtbot.mouseClick(pw.viewport(), Qt.LeftButton, pos=point)
    qtbot.mouseDClick(pw.viewport(), Qt.LeftButton, pos=point)
    qtbot.mouseRelease(pw.viewport(), Qt.LeftButton, pos=point)


def drag(qtbot, pw, x, y0, y1, steps=3):
    """Press at (x, y0) in data coordinates, move in *steps* to (x, y1), release.  Returns the
    vertical distance in data units between the pixels actually pressed and released (measured
    before the drag, so independent of rounding to pixels and of later range changes).  The
    first move is at least 5 px (a shorter one is a click)."""
    start, end = to_widget(pw, x, y0), to_widget(pw, x, y1)
    dy = to_view(pw, end).y() - to_view(pw, start).y()
    press(qtbot, pw, start)
    for k in range(1, steps + 1):
        pt = start + (end - start) * k / steps
        if k == 1 and abs(pt.y() - start.y()) < 6:
            pt.setY(start.y() + (6 if end.y() >= start.y() else -6))
        move(qtbot, pw, pt)
    release(qtbot, pw, end)
    return dy


@pytest.fixture
def editors(qtbot, model):
    """The two editors and the readouts in a window with the Edit actions, like the app."""
    from explorer.ui.docks.editor_dock import PEditorDock, QEditorDock
    from explorer.ui.docks.readouts_dock import ReadoutsDock
    from explorer.ui.widgets.edit_actions import EditActions

    win = QMainWindow()
    win.model = model
    win.docks = {cls.OBJECT_NAME: cls(model, win) for cls in (PEditorDock, QEditorDock, ReadoutsDock)}
    d = win.docks
    win.addDockWidget(Qt.LeftDockWidgetArea, d["pEditorDock"])
    win.splitDockWidget(d["pEditorDock"], d["readoutsDock"], Qt.Horizontal)
    win.splitDockWidget(d["pEditorDock"], d["qEditorDock"], Qt.Vertical)
    win.edit_actions = EditActions(win, model)
    win.edit_menu = win.menuBar().addMenu("")
    win.edit_actions.install(win.edit_menu)
    win.edit_actions.retranslate()
    qtbot.addWidget(win)
    win.resize(1100, 820)
    win.show()
    qtbot.waitExposed(win)
    qtbot.wait(20)
    yield win
    for dk in d.values():
        dk.disconnect_model()
    win.close()


def fresh(model, p=None, q=None):
    """Set up p/q for a test, then forget those set-up steps in the undo history."""
    if p is not None:
        model.set_p(p)
    if q is not None:
        model.set_q(q)
    model.undo_stack.clear()


@pytest.fixture
def pw_p(editors):
    return dock(editors, "p").plot


@pytest.fixture
def pw_q(editors):
    return dock(editors, "q").plot


# ---------------------------------------------------------------- dragging
def test_drag_bar_takes_change_proportionally(editors, model, qtbot, pw_p):
    model.set_p([0.7, 0.2, 0.1])
    want = 0.7 + drag(qtbot, pw_p, 0, 0.7, 0.4)
    assert model.p[0] == pytest.approx(want, abs=1e-12)
    assert model.p[0] == pytest.approx(0.4, abs=0.01)
    # the others shared the change in proportion 2 : 1
    assert model.p[1] / model.p[2] == pytest.approx(2.0, rel=1e-12)
    assert abs(model.p.sum() - 1) <= 1e-12
    np.testing.assert_array_equal(dock(editors, "p").plot.heights, model.p)


def test_readouts_follow_during_drag_and_one_finished(editors, model, qtbot, pw_p):
    fresh(model, [0.7, 0.2, 0.1])
    readouts = editors.docks["readoutsDock"]
    seen = []
    model.sigChanged.connect(lambda c: c.touches("distributions") and seen.append(c.finished))
    start = to_widget(pw_p, 0, 0.7)
    press(qtbot, pw_p, start)
    move(qtbot, pw_p, to_widget(pw_p, 0, 0.55))
    move(qtbot, pw_p, to_widget(pw_p, 0, 0.3))
    # mid-drag: the readouts already show H(p) of the current p (scipy as reference)
    assert False in seen and True not in seen
    assert model.p[0] == pytest.approx(0.3, abs=0.01)
    expected = fmt(sp_entropy(model.p), model.precision)
    assert readouts.value_text("entropy_p").startswith(expected)
    release(qtbot, pw_p, to_widget(pw_p, 0, 0.3))
    assert seen.count(True) == 1 and seen[-1] is True
    assert model.undo_stack.count() == 1


def test_grab_margin_raises_a_zero_bar(editors, model, qtbot, pw_p):
    model.set_p([0.0, 1.0, 0.0])
    px = pw_p.pixel_size()[1]
    want = 0.0 + drag(qtbot, pw_p, 0, 4 * px, 0.3)     # pressed 4 px above the bar at 0
    assert model.p[0] == pytest.approx(want, abs=1e-12) and model.p[0] > 0.25
    assert model.p[1] == pytest.approx(1 - model.p[0], abs=1e-12) and model.p[2] == 0.0


def test_press_far_above_a_bar_does_nothing(editors, model, qtbot, pw_p):
    model.set_p([0.2, 0.5, 0.3])
    before = model.to_dict()
    drag(qtbot, pw_p, 0, 0.8, 0.5)
    assert model.to_dict() == before


def test_locked_bar_held_and_drag_clamped(editors, model, qtbot, pw_q):
    model.set_q([0.1, 0.3, 0.6])
    model.set_lock("q", 2, True)
    locked_value = model.q[2]
    drag(qtbot, pw_q, 0, 0.1, 0.35)
    assert model.q[2] == locked_value                  # bit-identical
    assert model.q[0] == pytest.approx(0.35, abs=0.01)
    drag(qtbot, pw_q, 0, model.q[0], 1.0)               # wants 1, only 1 - 0.6 is free
    assert model.q[0] == pytest.approx(0.4, abs=1e-12) and model.q[1] == 0.0
    assert model.q[2] == locked_value


def test_one_hot_bar_drags_down_and_the_zero_bars_share(editors, model, qtbot, pw_p):
    # issue 21: with the other bars all 0 the freed mass is shared equally (was: clamped)
    fresh(model, [0.0, 1.0, 0.0])
    want = 1.0 + drag(qtbot, pw_p, 1, 0.9, 0.5)
    assert model.p[1] == pytest.approx(want, abs=1e-12)
    assert model.p[0] == pytest.approx((1.0 - want) / 2, abs=1e-12) == model.p[2]
    assert model.undo_stack.count() == 1


def test_snaps_to_zero_and_one(editors, model, qtbot, pw_p):
    model.set_p([0.5, 0.5, 0.0])
    px = pw_p.pixel_size()[1]
    drag(qtbot, pw_p, 0, 0.5, 3 * px)                  # released 3 px above 0
    assert model.p[0] == 0.0 and model.p[1] == 1.0
    drag(qtbot, pw_p, 0, 0.0, 0.2)
    drag(qtbot, pw_p, 0, model.p[0], 1 - 3 * px)
    assert model.p[0] == 1.0 and model.p[1] == 0.0


def test_right_click_cancels_drag(editors, model, qtbot, pw_p):
    fresh(model, [0.7, 0.2, 0.1])
    before = model.to_dict()
    start = to_widget(pw_p, 0, 0.7)
    press(qtbot, pw_p, start)
    move(qtbot, pw_p, to_widget(pw_p, 0, 0.5))
    move(qtbot, pw_p, to_widget(pw_p, 0, 0.3))
    assert model.p[0] < 0.5
    press(qtbot, pw_p, to_widget(pw_p, 0, 0.3), Qt.RightButton)
    release(qtbot, pw_p, to_widget(pw_p, 0, 0.3), Qt.RightButton)
    assert model.to_dict() == before
    move(qtbot, pw_p, to_widget(pw_p, 0, 0.2))          # the rest of the drag is ignored
    release(qtbot, pw_p, to_widget(pw_p, 0, 0.2))
    assert model.to_dict() == before and model.undo_stack.count() == 0


def test_escape_cancels_drag(editors, model, qtbot, pw_p):
    fresh(model, [0.7, 0.2, 0.1])
    before = model.to_dict()
    press(qtbot, pw_p, to_widget(pw_p, 0, 0.7))
    move(qtbot, pw_p, to_widget(pw_p, 0, 0.4))
    assert model.p[0] < 0.5
    qtbot.keyClick(pw_p, Qt.Key_Escape)
    assert model.to_dict() == before
    release(qtbot, pw_p, to_widget(pw_p, 0, 0.3))
    assert model.to_dict() == before and model.undo_stack.count() == 0


def test_undo_redo_whole_drag_from_edit_menu(editors, model, qtbot, pw_p):
    fresh(model, [0.7, 0.2, 0.1])
    before = model.to_dict()
    drag(qtbot, pw_p, 2, 0.1, 0.5, steps=6)
    after = model.to_dict()
    assert model.undo_stack.count() == 1
    acts = editors.edit_actions
    assert "horse" in acts.act_undo.text() and acts.act_undo.isEnabled()
    assert acts.act_undo in editors.edit_menu.actions()
    qtbot.keyClick(editors, Qt.Key_Z, Qt.ControlModifier)
    assert model.to_dict() == before
    assert "horse" in acts.act_redo.text()
    qtbot.keyClick(editors, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)
    assert model.to_dict() == after
    acts.act_undo.trigger()
    qtbot.keyClick(editors, Qt.Key_Y, Qt.ControlModifier)
    assert model.to_dict() == after
    np.testing.assert_array_equal(dock(editors, "p").plot.heights, model.p)


# ---------------------------------------------------------------- hover
def test_hover_highlights_and_shows_label(editors, model, qtbot, pw_p):
    model.set_p([0.2, 0.5, 0.3])
    bars = dock(editors, "p").plot
    move(qtbot, pw_p, to_widget(pw_p, 1, 0.25))
    assert model.highlight == 1 and bars.highlight == 1 and bars.hovered == 1
    assert "dog" in bars.hover_text and "0.5000" in bars.hover_text
    assert bars.cursor().shape() == Qt.SizeVerCursor
    assert dock(editors, "q").plot.highlight == 1          # the other editor shows it too
    move(qtbot, pw_p, to_widget(pw_p, 1, 0.9))            # empty space above the bar
    assert model.highlight is None and bars.hovered is None
    model.set_highlight(2)                                 # set elsewhere (e.g. a table)
    assert bars.highlight == 2


def test_impossible_categories_outlined_in_q(editors, model):
    model.set_distributions([0.5, 0.5, 0.0], [1.0, 0.0, 0.0])
    q_dock = dock(editors, "q")
    assert q_dock.plot.impossible == (1,)
    assert "dog" in q_dock.plot.toolTip() and "Impossible" in q_dock.plot.toolTip()
    assert dock(editors, "p").plot.impossible == ()
    model.set_q([0.5, 0.5, 0.0])
    assert q_dock.plot.impossible == () and "Impossible" not in q_dock.plot.toolTip()


# ---------------------------------------------------------------- keyboard
def test_keyboard_select_nudge_zero_lock(editors, model, qtbot, pw_p):
    fresh(model, [0.5, 0.25, 0.25])
    pw_p.setFocus()
    qtbot.keyClick(pw_p, Qt.Key_Right)                     # nothing selected yet: first bar
    assert pw_p.selected == 0
    qtbot.keyClick(pw_p, Qt.Key_Up)
    np.testing.assert_allclose(model.p, [0.51, 0.245, 0.245], atol=1e-12)
    qtbot.keyClick(pw_p, Qt.Key_Up, Qt.ShiftModifier)
    np.testing.assert_allclose(model.p, [0.61, 0.195, 0.195], atol=1e-12)
    qtbot.keyClick(pw_p, Qt.Key_Right)
    qtbot.keyClick(pw_p, Qt.Key_L)
    assert model.locks_p[1]
    held = model.p[1]
    qtbot.keyClick(pw_p, Qt.Key_Left)
    qtbot.keyClick(pw_p, Qt.Key_Down)
    assert model.p[0] == pytest.approx(0.60) and model.p[1] == held
    qtbot.keyClick(pw_p, Qt.Key_0)
    assert model.p[0] == 0.0 and model.p[1] == held and model.p[2] == pytest.approx(1 - held)
    assert abs(model.p.sum() - 1) <= 1e-12
    assert model.undo_stack.count() == 5                  # each key edit is one step


def test_click_selects_and_double_click_types(editors, model, qtbot, pw_p):
    model.set_p([0.2, 0.5, 0.3])
    d = dock(editors, "p")
    qtbot.mouseClick(pw_p.viewport(), Qt.LeftButton, pos=to_widget(pw_p, 2, 0.1))
    assert pw_p.selected == 2 and d.label_edit.text() == "horse"
    double_click(qtbot, pw_p, to_widget(pw_p, 1, 0.2))
    assert pw_p.selected == 1
    assert d.value_edit.hasFocus() and d.value_edit.selectedText() == d.value_edit.text()
    qtbot.keyClicks(d.value_edit, "1/4")
    qtbot.keyClick(d.value_edit, Qt.Key_Return)
    assert model.p[1] == 0.25
    assert not d.message.isVisible()


@pytest.mark.parametrize("text", ["abc", "1.5", "-0.1", "1/0", "", "nan", "2%%"])
def test_typed_bad_value_rejected_with_message(editors, model, qtbot, text):
    d = dock(editors, "p")
    d.plot.select(0)
    before = model.to_dict()
    d.value_edit.setFocus()
    d.value_edit.clear()
    qtbot.keyClicks(d.value_edit, text)
    qtbot.keyClick(d.value_edit, Qt.Key_Return)
    assert model.to_dict() == before
    assert d.message.isVisible() and d.message.text()
    qtbot.keyClicks(d.value_edit, "")  # still editable
    d.value_edit.setText("25%")
    qtbot.keyClick(d.value_edit, Qt.Key_Return)
    assert model.p[0] == 0.25 and not d.message.isVisible()


def test_parse_value():
    assert parse_value(" 0.125 ") == 0.125 and parse_value("12.5%") == 0.125
    assert parse_value("1/8") == 0.125 and parse_value("0,5") == 0.5
    assert parse_value("−3.5", logit=True) == -3.5
    for bad in ("x", "1.01", "-1e-9", "1/0", "inf"):
        with pytest.raises(ValueError):
            parse_value(bad)
    with pytest.raises(ValueError, match="1000"):
        parse_value("2000", logit=True)


def test_label_and_category_count(editors, model, qtbot):
    d = dock(editors, "q")
    d.plot.select(1)
    d.label_edit.setFocus()
    d.label_edit.selectAll()
    qtbot.keyClicks(d.label_edit, "mastiff")
    qtbot.keyClick(d.label_edit, Qt.Key_Return)
    assert model.labels[1] == "mastiff"
    ticks = d.plot.tick_labels()
    assert [t[1] for t in ticks] == ["cat", "mastiff", "horse"]
    d.label_edit.selectAll()
    qtbot.keyClick(d.label_edit, Qt.Key_Delete)
    qtbot.keyClick(d.label_edit, Qt.Key_Return)
    assert model.labels[1] == "mastiff" and d.message.isVisible()
    d.n_spin.setFocus()
    d.n_spin.selectAll()
    qtbot.keyClicks(d.n_spin, "5")
    qtbot.keyClick(d.n_spin, Qt.Key_Return)
    assert model.n == 5 and abs(model.q.sum() - 1) <= 1e-12
    assert len(dock(editors, "p").plot.heights) == 5
    assert d.n_spin.maximum() == 50
    qtbot.keyClick(d.n_spin, Qt.Key_Down)
    assert model.n == 4


# ---------------------------------------------------------------- logit mode
def test_logit_mode_drag_edits_z_and_shows_softmax(editors, model, qtbot, pw_q):
    d = dock(editors, "q")
    q0 = model.q.copy()
    d.logit_check.setChecked(True)
    assert model.q_logit_mode
    np.testing.assert_allclose(model.q, q0)               # switching preserves q
    np.testing.assert_array_equal(d.plot.heights, model.q_logits)
    assert d.softmax_plot.isVisible()
    z0 = model.q_logits.copy()
    want = z0[2] + drag(qtbot, pw_q, 2, z0[2], z0[2] + 1.5)
    assert model.q_logits[2] == pytest.approx(want, abs=1e-12)
    np.testing.assert_allclose(model.q, sp_softmax(model.q_logits / model.temperature), rtol=1e-12)
    np.testing.assert_allclose(d.softmax_plot.heights, model.q)
    d.t_slider.setValue(750)
    assert model.temperature == pytest.approx(slider_to_temperature(750), abs=1e-4)
    np.testing.assert_allclose(model.q, sp_softmax(model.q_logits / model.temperature), rtol=1e-12)
    d.logit_check.setChecked(False)
    assert not model.q_logit_mode and not d.softmax_plot.isVisible()


def test_logit_mode_says_when_zero_gets_stand_in(editors, model):
    model.set_q([0.5, 0.5, 0.0])
    d = dock(editors, "q")
    d.logit_check.setChecked(True)
    assert d.note.isVisible() and "horse" in d.note.text()


# ---------------------------------------------------------------- presets and operations
def test_preset_menu_actions(editors, model, qtbot):
    d = dock(editors, "p")
    d._fill_preset_menu()
    acts = {a.objectName(): a for a in d.preset_menu.actions()}
    acts["preset_bob-alice"].trigger()
    assert model.labels == ["dog", "cat", "fish", "bird"]
    np.testing.assert_allclose(model.q, [0.125, 0.5, 0.25, 0.125])
    assert "Bob" in editors.edit_actions.act_undo.text()
    acts["preset_uniform_p"].trigger()
    np.testing.assert_allclose(model.p, 0.25)
    np.testing.assert_allclose(model.q, [0.125, 0.5, 0.25, 0.125])
    d._fill_preset_menu()
    onehot = [a.menu() for a in d.preset_menu.actions()
              if a.menu() and a.menu().objectName() == "preset_onehot_p"][0]
    [a for a in onehot.actions() if a.text() == "fish"][0].trigger()
    np.testing.assert_array_equal(model.p, [0, 0, 1, 0])
    d._fill_preset_menu()
    acts = {a.objectName(): a for a in d.preset_menu.actions()}
    seed = d.seed_spin.value()
    acts["preset_random_both"].trigger()
    rng = np.random.default_rng(seed)
    np.testing.assert_allclose(model.p, rng.dirichlet(np.ones(4)), atol=1e-12)
    assert d.seed_spin.value() == seed + 1
    assert model.undo_stack.count() == 4


def test_swap_copy_and_ghost(editors, model, qtbot):
    p, q = model.p.copy(), model.q.copy()
    d = dock(editors, "p")
    qtbot.mouseClick(d.swap_button, Qt.LeftButton)
    np.testing.assert_array_equal(model.p, q)
    np.testing.assert_array_equal(model.q, p)
    qtbot.mouseClick(d.copy_button, Qt.LeftButton)
    np.testing.assert_array_equal(model.q, model.p)
    assert d.plot.ghost is None
    d.ghost_check.setChecked(True)
    model.set_q([0.1, 0.1, 0.8])
    np.testing.assert_array_equal(d.plot.ghost, model.q)
    assert model.undo_stack.count() == 3


def test_context_menu_lock(editors, model):
    d = dock(editors, "q")
    menu = d._context_menu(2)
    lock = menu.actions()[0]
    assert "horse" in lock.text() and not lock.isChecked()
    lock.trigger()
    assert model.locks_q[2]
    assert d.lock_button.isChecked() is False or d.plot.selected == 2
    assert "Lock" in editors.edit_actions.act_undo.text()


def test_value_texts_drawn(editors, model):
    d = dock(editors, "q")
    assert d.plot.value_texts == ["0.400", "0.400", "0.200"]
    model.set_q([0.25, 0.5, 0.25])
    assert d.plot.value_texts == ["0.250", "0.500", "0.250"]


def test_main_window_edit_menu_undoes_a_drag(window, model, qtbot):
    fresh(model, [0.7, 0.2, 0.1])
    before = model.to_dict()
    pw = dock(window, "p").plot
    drag(qtbot, pw, 1, 0.2, 0.5)
    assert model.p[1] == pytest.approx(0.5, abs=0.01)
    assert window.edit_actions.act_undo in window.edit_menu.actions()
    assert "dog" in window.edit_actions.act_undo.text()
    qtbot.keyClick(window, Qt.Key_Z, Qt.ControlModifier)
    assert model.to_dict() == before
    np.testing.assert_array_equal(window.docks["pEditorDock"].plot.heights, [0.7, 0.2, 0.1])


def test_long_names_elided_and_many_thinned(editors, model, qtbot):
    d = dock(editors, "p")
    model.set_labels(["WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW"] * 2 + ["x"])
    ticks = d.plot.tick_labels()
    assert [t[0] for t in ticks] == [0, 1, 2]
    width = d.plot.plot_rect().width() / 3
    from PySide6.QtGui import QFontMetrics
    fm = QFontMetrics(d.plot.font())
    for _, text in ticks[:2]:
        assert text.endswith("…") and fm.horizontalAdvance(text) <= width
    model.set_n(50)
    ticks = d.plot.tick_labels()
    assert 1 < len(ticks) < 50 and ticks[0][0] == 0
    assert len(d.plot.heights) == 50 and d.plot.value_texts == []   # too narrow for texts


def test_label_applied_when_leaving_the_field(editors, model, qtbot):
    d = dock(editors, "p")
    d.plot.select(2)
    d.label_edit.setFocus()
    d.label_edit.selectAll()
    qtbot.keyClicks(d.label_edit, "zebra")
    assert model.labels[2] == "horse"
    d.plot.setFocus()
    qtbot.waitUntil(lambda: model.labels[2] == "zebra", timeout=1000)
    assert "zebra" in editors.edit_actions.act_undo.text()


def test_fewer_categories_keeps_keyboard_selection_valid(window, qtbot):
    """Found by the monkey test: select the last bar, remove categories, then nudge."""
    model = window.model
    dock = window.docks["pEditorDock"]
    chart = dock.plot
    model.set_n(4)
    chart.setFocus()
    for _ in range(4):
        qtbot.keyClick(chart, Qt.Key_Right)
    assert chart.selected == 3
    model.set_n(2)
    qtbot.keyClick(chart, Qt.Key_Up)          # used to raise IndexError in the Qt event loop
    assert chart.selected == 1
    assert abs(model.p.sum() - 1) < 1e-12


def test_chart_describes_its_bars_for_screen_readers(editors, model, qtbot, pw_p):
    fresh(model, p=[0.7, 0.2, 0.1])
    assert pw_p.accessibleName() == "p bar chart"
    assert pw_p.accessibleDescription() == f"{model.labels[0]} 0.7000; {model.labels[1]} 0.2000; " \
                                           f"{model.labels[2]} 0.1000"
    before = pw_p.accessibleDescription()
    drag(qtbot, pw_p, 0, 0.7, 0.5)                   # updated when the drag ends
    assert pw_p.accessibleDescription() != before
    assert pw_p.accessibleDescription().startswith(f"{model.labels[0]} {model.p[0]:.4f}")


# ---------------------------------------------------------------- issue 21: no silent refusals
def test_dragging_a_bar_selects_it_and_the_row_follows(editors, model, qtbot, pw_q):
    """Issue 21 item 3: after dragging q's horse bar the row showed "cat 0.245747"."""
    d = dock(editors, "q")
    fresh(model, q=[0.245747, 0.5, 0.254253])
    assert d.label_edit.text() == "cat"
    start, end = to_widget(pw_q, 2, 0.2), to_widget(pw_q, 2, 0.4)
    press(qtbot, pw_q, start)
    move(qtbot, pw_q, start + (end - start) / 2)
    assert pw_q.selected == 2 and d.label_edit.text() == "horse"    # during the drag already
    move(qtbot, pw_q, end)
    assert float(d.value_edit.text()) == pytest.approx(model.q[2], abs=1e-6)
    release(qtbot, pw_q, end)
    assert d.label_edit.text() == "horse" and model.q[2] > 0.35
    assert d.value_edit.text() == f"{model.q[2]:.6g}"
    # a click on another bar moves the row there too
    qtbot.mouseClick(pw_q.viewport(), Qt.LeftButton, pos=to_widget(pw_q, 0, 0.1))
    assert d.label_edit.text() == "cat" and d.value_edit.text() == f"{model.q[0]:.6g}"


def _lock_by_keys(qtbot, pw, indices):
    pw.setFocus()
    for i in indices:
        qtbot.mouseClick(pw.viewport(), Qt.LeftButton, pos=to_widget(pw, i, 0.02))
        qtbot.keyClick(pw, Qt.Key_L)


def test_a_refused_drag_says_why_at_the_bar_and_in_the_status_bar(editors, model, qtbot, pw_p):
    """Issue 21 item 1 (the interface's half): every other bar locked, so the drag is refused;
    the chart and the status bar say so instead of doing nothing silently."""
    fresh(model, p=[0.2, 0.3, 0.5])
    _lock_by_keys(qtbot, pw_p, [0, 1])
    assert list(model.locks_p) == [True, True, False]
    before = model.to_dict()
    start, end = to_widget(pw_p, 2, 0.4), to_widget(pw_p, 2, 0.8)
    press(qtbot, pw_p, start)
    move(qtbot, pw_p, start + (end - start) / 2)
    move(qtbot, pw_p, end)
    assert model.to_dict() == before
    note = pw_p.note
    assert note is not None and note[0] == 2 and "horse" in note[1] and "locked" in note[1]
    box = pw_p.text_rects()["note"]                     # drawn at the bar
    assert box.left() <= pw_p.map_to_widget(2, 0).x() <= box.right()
    assert editors.statusBar().currentMessage() == note[1]
    release(qtbot, pw_p, end)
    assert model.to_dict() == before and model.undo_stack.count() == 2   # the two locks
    # a typed value is refused the same way, and said under the chart as well
    d = dock(editors, "p")
    pw_p.clear_note()
    editors.statusBar().clearMessage()
    d.value_edit.setFocus()
    d.value_edit.selectAll()
    qtbot.keyClicks(d.value_edit, "0.9")
    qtbot.keyClick(d.value_edit, Qt.Key_Return)
    assert model.to_dict() == before
    assert pw_p.note[0] == 2 and d.message.isVisible() and d.message.text() == pw_p.note[1]
    assert editors.statusBar().currentMessage() == pw_p.note[1]
    # a locked bar itself: the note names the lock
    qtbot.mouseClick(pw_p.viewport(), Qt.LeftButton, pos=to_widget(pw_p, 0, 0.1))
    qtbot.keyClick(pw_p, Qt.Key_Up)
    assert model.to_dict() == before and pw_p.note[0] == 0 and "“cat” is locked" in pw_p.note[1]
    # unlocked again, the next edit goes through and the note is gone
    qtbot.keyClick(pw_p, Qt.Key_L)
    qtbot.keyClick(pw_p, Qt.Key_Up)
    assert model.p[0] == pytest.approx(0.21) and pw_p.note is None


def test_refusal_reason_in_chinese(editors, model, qtbot, pw_p):
    from explorer import i18n
    fresh(model, p=[0.2, 0.3, 0.5])
    model.set_lock("p", 0, True)
    model.set_lock("p", 1, True)
    i18n.set_language("zh")
    try:
        qtbot.mouseClick(pw_p.viewport(), Qt.LeftButton, pos=to_widget(pw_p, 2, 0.2))
        pw_p.setFocus()
        qtbot.keyClick(pw_p, Qt.Key_0)
        assert pw_p.note is not None and "锁定" in pw_p.note[1] and "horse" in pw_p.note[1]
    finally:
        i18n.set_language("en")


def test_logit_mode_clips_the_stand_in_and_names_the_softmax_side(editors, model, qtbot, pw_q):
    """Issue 21 item 8: the −30·T stand-in of a q_i = 0 squashed the logit scale, and the
    q = softmax(z / T) chart had no category axis."""
    model.set_q([0.5, 0.3, 0.2])
    model.set_q([0.6, 0.4, 0.0])
    d = dock(editors, "q")
    d.logit_check.setChecked(True)
    z = model.q_logits
    assert z[2] == pytest.approx(-30.0)
    lo, hi = pw_q.value_axis
    assert lo > -2 and hi < 2 and lo <= z[1] and hi >= z[0]     # the others set the scale
    assert pw_q.clipped() == [2]
    texts = dict(pw_q.text_rects()["values"])
    assert 2 in texts and pw_q.plot_rect().contains(texts[2])   # its number, inside the plot
    assert pw_q.value_texts[2] == "−30.00"
    side = d.softmax_plot
    assert side.isVisible() and [i for i, _ in side.tick_labels()] == [0, 1, 2]
    assert all(model.labels[i].startswith(t.rstrip("…")) for i, t in side.tick_labels())
    np.testing.assert_allclose(side.heights, model.q)
    # dragging the clipped bar up brings it back on the scale, from where it was
    start = to_widget(pw_q, 2, lo + 0.05)
    press(qtbot, pw_q, start)
    move(qtbot, pw_q, start - QPointF(0, 10).toPoint())
    assert model.q_logits[2] > -30.0 and model.q_logits[2] < -29.0   # start + a few pixels
    release(qtbot, pw_q, start - QPointF(0, 10).toPoint())


def test_a_click_on_q_softmax_chart_selects_that_category(editors, model, qtbot):
    d = dock(editors, "q")
    d.logit_check.setChecked(True)
    side = d.softmax_plot
    qtbot.mouseClick(side, Qt.LeftButton, pos=side.map_to_widget(1, model.q[1] / 2).toPoint())
    assert d.plot.selected == 1 and side.selected == 1 and d.label_edit.text() == "dog"
    assert d.value_edit.text() == f"{model.q_logits[1]:.6g}"


def _type_value(qtbot, d, text):
    d.value_edit.setFocus()
    d.value_edit.selectAll()
    qtbot.keyClicks(d.value_edit, text)
    qtbot.keyClick(d.value_edit, Qt.Key_Return)


def test_typing_half_into_a_one_hot_bar_shares_the_rest(editors, model, qtbot, pw_p):
    """Issue 21, item 1: typing 0.5 into the one-hot bar silently snapped back to 1."""
    fresh(model, p=[0.0, 1.0, 0.0])
    qtbot.mouseClick(pw_p.viewport(), Qt.LeftButton, pos=to_widget(pw_p, 1, 0.5))
    _type_value(qtbot, dock(editors, "p"), "0.5")
    np.testing.assert_array_equal(model.p, [0.25, 0.5, 0.25])
    assert pw_p.note is None


def test_a_bar_capped_by_locked_mass_says_so_and_goes_as_far_as_it_can(editors, model, qtbot, pw_p):
    fresh(model, p=[0.2, 0.3, 0.5])
    model.set_lock("p", 0, True)
    qtbot.mouseClick(pw_p.viewport(), Qt.LeftButton, pos=to_widget(pw_p, 2, 0.25))
    editors.statusBar().clearMessage()
    _type_value(qtbot, dock(editors, "p"), "0.9")
    assert model.p[0] == 0.2 and model.p[2] == pytest.approx(0.8) and model.p[1] == pytest.approx(0.0)
    assert pw_p.note is not None and pw_p.note[0] == 2
    assert "can reach at most 0.8000" in pw_p.note[1]
    assert editors.statusBar().currentMessage() == pw_p.note[1]


def test_raising_n_with_a_locked_bar_keeps_the_unlocked_proportions(editors, model, qtbot, pw_p):
    """Issue 21, item 2: p = (0.7 locked, 0.2, 0.1), N -> 5 gave (0.7, 0, 0, 0.15, 0.15)."""
    fresh(model, p=[0.7, 0.2, 0.1])
    model.set_lock("p", 0, True)
    spin = dock(editors, "p").n_spin
    spin.setFocus()
    qtbot.keyClick(spin, Qt.Key_Up)
    qtbot.keyClick(spin, Qt.Key_Up)
    assert model.n == 5
    # the unlocked mass 0.3 is spread over 2 + 2 bars: old ones keep their 2 : 1 proportion
    np.testing.assert_allclose(model.p, [0.7, 0.1, 0.05, 0.075, 0.075], atol=1e-15)
    assert "proportions" in spin.toolTip()
