"""The sampling panel (issue 17) driven with real clicks and keys: draws, play paced by time,
reset, seed, rate, log axis, fit q, and the notes for an impossible event and a change of N."""
import math

import numpy as np
import pytest
from PySide6.QtCore import Qt
from scipy.stats import entropy as sp_entropy


@pytest.fixture
def dock(window, qtbot):
    d = window.docks["samplingDock"]
    d.raise_()
    qtbot.waitUntil(lambda: d.plot.isVisible() and d.plot.width() > 100)
    return d


def click(qtbot, w):
    qtbot.mouseClick(w, Qt.LeftButton, pos=w.rect().center())


def test_step_draws_one_event_and_the_panel_shows_it(dock, model, qtbot):
    model.apply_preset("pc-power-on")
    assert not dock.fit_btn.isEnabled()
    for _ in range(3):
        click(qtbot, dock.step_btn)
    num = model.sample_numbers
    assert num.count == 3 and dock.count_label.text() == "n = 3"
    assert dock.strip._events == num.events.tolist()
    x, y = dock.curves["cross"].getData()
    q = np.asarray(model.q)
    np.testing.assert_allclose(y, np.cumsum(-np.log(q[num.events])) / np.arange(1, 4))
    assert dock.fit_btn.isEnabled()
    assert "−3 ×" in dock.sentence.text()


def test_play_is_paced_by_elapsed_time_and_space_pauses(dock, model, qtbot):
    model.set_p([0.2, 0.3, 0.5])
    model.set_sample_rate(100)
    click(qtbot, dock.play_btn)
    assert model.sample_running
    dock.tick(now=10.0)                               # the first frame shows one event
    assert model.sampling.count == 1
    dock.tick(now=10.5)                               # half a second at 100/s
    assert model.sampling.count == 51
    dock.tick(now=12.0)
    assert model.sampling.count == 201
    dock.plot.setFocus()
    qtbot.keyClick(dock.plot, Qt.Key_Space)           # Space anywhere in the panel pauses
    assert not model.sample_running
    dock.tick(now=20.0)
    assert model.sampling.count == 201
    qtbot.keyClick(dock.plot, Qt.Key_Right)           # → draws one event
    assert model.sampling.count == 202


def test_reset_seed_rate_and_log_axis_controls(dock, model, qtbot):
    model.set_p([0.2, 0.3, 0.5])
    model.draw_samples(40)
    first = model.sample_numbers.events.copy()
    click(qtbot, dock.reset_btn)
    assert model.sample_numbers.count == 0
    dock.seed_spin.setFocus()
    dock.seed_spin.lineEdit().selectAll()
    qtbot.keyClicks(dock.seed_spin, "5")
    qtbot.keyClick(dock.seed_spin, Qt.Key_Return)
    assert model.sampling.seed == 5
    model.draw_samples(40)
    assert not np.array_equal(model.sample_numbers.events, first)
    dock.rate_combo.setFocus()
    qtbot.keyClick(dock.rate_combo, Qt.Key_Down)
    assert model.sampling.rate == 100.0
    click(qtbot, dock.log_check)
    assert model.sampling.log_axis and dock.plot.getPlotItem().getAxis("bottom").logMode
    x, _y = dock.curves["cross"].getData()
    np.testing.assert_allclose(x, np.log10(np.arange(1, 41)))      # n = 1 … 40 on a log axis


def test_fit_q_to_the_sample_sets_q_to_the_empirical_shares(dock, model, qtbot):
    model.set_p([0.6, 0.3, 0.1])
    model.draw_samples(300)
    click(qtbot, dock.fit_btn)
    shares = np.bincount(model.sample_numbers.events, minlength=3) / 300
    np.testing.assert_allclose(model.q, shares, atol=1e-15)
    # the mean surprise under the fitted q is the entropy of the shares: the least any q reaches
    assert model.sample_numbers.cross == pytest.approx(sp_entropy(shares), rel=1e-9)
    qtbot.keyClick(dock.fit_btn, Qt.Key_Z, Qt.ControlModifier)
    assert not np.allclose(model.q, shares)


def test_an_impossible_event_is_named_and_the_mean_jumps_to_infinity(dock, model, qtbot):
    model.set_distributions([0.5, 0.5, 0.0], [1.0, 0.0, 0.0], ["cat", "dog", "horse"])
    for _ in range(20):
        click(qtbot, dock.step_btn)
    num = model.sample_numbers
    k, cat = num.impossible
    assert cat == 1 and dock.note.isVisible()
    assert f"Event {k + 1}" in dock.note.text() and "“dog”" in dock.note.text()
    x, _y = dock.curves["cross"].getData()
    assert len(x) == k                                 # the finite part only


def test_changing_n_starts_a_new_sample_with_a_note(window, dock, model, qtbot):
    model.draw_samples(10)
    spin = window.docks["pEditorDock"].n_spin
    spin.setFocus()
    qtbot.keyClick(spin, Qt.Key_Up)
    assert model.n == 4 and model.sample_numbers.count == 0
    assert dock.note.isVisible() and "new sample" in dock.note.text()
    click(qtbot, dock.step_btn)
    assert not dock.note.isVisible()


def test_the_p_editor_marks_the_sample_shares(window, dock, model, qtbot):
    """Issue 17: the counts as an empirical distribution, drawn on the p editor."""
    chart = window.docks["pEditorDock"].plot
    model.set_p([0.5, 0.3, 0.2])
    assert chart.mark_points()[0].size == 0
    for _ in range(5):
        click(qtbot, dock.step_btn)
    cats, vals = chart.mark_points()
    shares = np.bincount(model.sample_numbers.events, minlength=3) / 5
    np.testing.assert_array_equal(vals, shares[cats.astype(int)])
    assert "shares pₙ" in chart.toolTip()
    click(qtbot, dock.reset_btn)
    assert chart.mark_points()[0].size == 0 and "shares pₙ" not in chart.toolTip()


def test_a_playing_sample_never_re_lays_out_the_dock(dock, model, qtbot):
    """The count and the sentence change on every frame; as plain QLabels each new text asked
    the dock's layout (and the scroll area's fitting) to run again, every frame."""
    from PySide6.QtCore import QEvent, QObject

    model.apply_preset("pc-power-on")
    body = dock.body()
    for _ in range(5):                                   # the texts reach their usual size
        click(qtbot, dock.step_btn)
    qtbot.wait(20)

    class Count(QObject):
        n = 0

        def eventFilter(self, obj, event):
            if event.type() == QEvent.LayoutRequest:
                self.n += 1
            return False

    counter = Count()
    body.installEventFilter(counter)
    for _ in range(12):                                  # Right: one more event
        dock.step_btn.setFocus()
        qtbot.keyClick(dock, Qt.Key_Right)
        qtbot.wait(5)
    body.removeEventFilter(counter)
    assert model.sample_numbers.count == 17
    assert counter.n == 0
    assert dock.count_label.text() == "n = 17" and "17" in dock.sentence.text()


def test_a_playing_frame_repaints_only_the_new_end_of_the_curves(dock, model, qtbot):
    """Issue 16: the running means of the first events never change, so a frame of a playing
    sample draws only the new end of each curve and band; redrawing all of them (three 800-point
    antialiased curves and their bands) was most of a frame.  What is drawn stays the running
    mean, checked against a cumulative sum of the surprises."""
    from PySide6.QtCore import QEvent, QObject

    model.apply_preset("pc-power-on")
    model.set_sample_rate(1000)
    model.draw_samples(700)                  # well inside the x range 1 … 1280
    model.draw_samples(17, finished=False)   # the first frame of playing may redraw it all
    qtbot.wait(100)

    class Spy(QObject):
        regions = []

        def eventFilter(self, obj, event):
            if event.type() == QEvent.Paint:
                self.regions.append(event.region())
            return False

    spy = Spy()
    viewport = dock.plot.viewport()
    viewport.installEventFilter(spy)
    for _ in range(8):                       # what a frame at 1000 events/s draws
        model.draw_samples(17, finished=False)
        qtbot.wait(5)
    viewport.removeEventFilter(spy)
    n = model.sampling.count
    assert n == 853 and len(spy.regions) >= 5
    area = viewport.width() * viewport.height()
    for region in spy.regions:
        painted = sum(r.width() * r.height() for r in region)
        assert painted < 0.2 * area, (painted, area)
    q = np.asarray(model.q)
    events = model.sample_numbers.events
    reference = np.cumsum(-np.log(q[events])) / np.arange(1, n + 1)
    x, y = dock.curves["cross"].getData()
    assert x[-1] == n                        # the newest event is drawn
    np.testing.assert_allclose(y, reference[x.astype(int) - 1], rtol=1e-12)
    assert x.size <= 801 and np.all(np.diff(x) > 0)
