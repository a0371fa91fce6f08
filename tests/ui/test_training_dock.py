"""Training dock: the MSE-vs-CE race driven by real key, button and mouse events; what it shows
is checked against core.train_neuron and independent (scipy) recomputation."""
import csv

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSpinBox
from scipy.special import expit
from scipy.special import softmax as sp_softmax

from explorer import core
from explorer.model import app_model as m
from explorer.ui.fmt import fmt
from explorer.ui.widgets.training_common import data_to_widget


@pytest.fixture
def dock(window, qtbot):
    d = window.docks["trainingDock"]
    window.activateWindow()
    focus(qtbot, d.play_btn)
    return d


def focus(qtbot, widget):
    widget.setFocus(Qt.OtherFocusReason)
    qtbot.waitUntil(widget.hasFocus)


def press(qtbot, widget, key, times=1):
    for _ in range(times):
        qtbot.keyClick(widget, key)


#: the panels draw the runs by position: in the default race MSE is the first, CE the second
SLOT = {"mse": 0, "ce": 1}


def shown(dock, loss, key):
    return dock.neuron.value_labels[SLOT[loss], key].text()


def type_into(qtbot, box, text):
    focus(qtbot, box)
    qtbot.keyClick(box, Qt.Key_A, Qt.ControlModifier)
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, Qt.Key_Return)


def click_tab(qtbot, dock, index):
    bar = dock.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.LeftButton, pos=bar.tabRect(index).center())


def click_data(qtbot, pw, x, y, button=Qt.LeftButton):
    qtbot.mouseClick(pw.viewport(), button, pos=data_to_widget(pw, x, y))


# ----------------------------------------------------------------------------- the race

def test_well_started_race_matches_train_neuron(dock, model, qtbot):
    ref = {loss: core.train_neuron(0.6, 0.9, 1.0, 0.0, 0.15, 300, loss) for loss in ("mse", "ce")}
    assert model.training.preset == "nielsen_well_started"
    for loss in ("mse", "ce"):                          # epoch 0: a = σ(1.5) ≈ 0.82, as in the book
        assert float(shown(dock, loss, "a")) == pytest.approx(0.82, abs=0.005)
        assert shown(dock, loss, "a") == fmt(ref[loss].a[0], 4)
    press(qtbot, dock.play_btn, Qt.Key_Right, 25)
    assert model.training_epoch == 25
    assert dock.neuron.head_labels["epoch"].text() == "epoch 25"
    for loss in ("mse", "ce"):
        h = ref[loss]
        assert shown(dock, loss, "a") == fmt(h.a[25], 4)
        assert shown(dock, loss, "w") == fmt(h.w[25], 3)
        assert shown(dock, loss, "loss") == fmt(h.loss[25], 4)
        xs, ys = dock.neuron.run["a", SLOT[loss]].getData()
        np.testing.assert_allclose(xs, np.arange(26))
        np.testing.assert_allclose(ys, h.a[:26])
        wx, by = dock.neuron.land_runs[SLOT[loss]].getData()
        np.testing.assert_allclose(wx, h.w[:26])
        np.testing.assert_allclose(by, h.b[:26])
    x, y = dock.ce_curve.getData()                           # the whole CE loss curve, faint
    np.testing.assert_allclose(y, ref["ce"].loss)
    assert dock.epoch_slider.value() == 25


def test_saturated_preset_mse_stalls_while_ce_learns(dock, model, qtbot):
    focus(qtbot, dock.neuron.preset_combo)
    press(qtbot, dock.neuron.preset_combo, Qt.Key_Down)      # -> "Nielsen ch. 3: saturated"
    assert model.training.preset == "nielsen_saturated" and (model.training.w0, model.training.b0) == (2, 2)
    ref = {loss: core.train_neuron(2.0, 2.0, 1.0, 0.0, 0.15, 300, loss) for loss in ("mse", "ce")}
    for loss in ("mse", "ce"):
        assert float(shown(dock, loss, "a")) == pytest.approx(0.98, abs=0.005)
    focus(qtbot, dock.play_btn)
    press(qtbot, dock.play_btn, Qt.Key_Right, 60)
    assert float(shown(dock, "ce", "a")) < 0.1                # CE dropped at once
    assert float(shown(dock, "mse", "a")) > 0.9
    assert shown(dock, "ce", "a") == fmt(ref["ce"].a[60], 4)
    press(qtbot, dock.play_btn, Qt.Key_Right, 90)
    assert model.training_epoch == 150
    assert float(shown(dock, "mse", "a")) > 0.9               # MSE still barely moved at epoch 150
    assert shown(dock, "mse", "a") == fmt(ref["mse"].a[150], 4)
    _, ys = dock.neuron.run["a", SLOT["mse"]].getData()
    assert ys[-1] == ref["mse"].a[150] and ys[-1] > 0.9
    # the gradient readout shows why: MSE's ∂C/∂w is tiny next to CE's
    assert abs(float(shown(dock, "mse", "grad").replace("−", "-"))) < abs(ref["ce"].grad_w[0])


def test_mirror_and_book_widget_presets(dock, model, qtbot):
    focus(qtbot, dock.neuron.preset_combo)
    press(qtbot, dock.neuron.preset_combo, Qt.Key_Down, 3)   # -> mirror: y = 1, w = b = −2
    t = model.training
    assert (t.w0, t.b0, t.y, t.preset) == (-2.0, -2.0, 1.0, "saturated_negative")
    assert float(shown(dock, "ce", "a")) == pytest.approx(expit(-4.0), abs=5e-5)
    press(qtbot, dock.neuron.preset_combo, Qt.Key_Up)        # -> book widget
    assert model.training.book_mode and dock.neuron.book_note.isVisible()
    assert dock.neuron.book_check.isChecked()
    focus(qtbot, dock.play_btn)
    press(qtbot, dock.play_btn, Qt.Key_Right)
    ref = core.train_neuron(2.0, 2.0, 1.0, 0.0, 0.005, 300, "ce_book")
    assert shown(dock, "ce", "a") == fmt(ref.a[1], 4)


def test_book_mode_checkbox(dock, model, qtbot):
    qtbot.mouseClick(dock.neuron.book_check, Qt.LeftButton,
                     pos=dock.neuron.book_check.rect().center())
    assert model.training.book_mode and model.training.preset == "custom"
    assert dock.neuron.book_note.isVisible() and "0.005" in dock.neuron.book_note.text()
    ref = core.train_neuron(0.6, 0.9, 1.0, 0.0, 0.005, 300, "ce_book")
    np.testing.assert_allclose(dock.neuron.ghost["a", SLOT["ce"]].getData()[1], ref.a)


# ----------------------------------------------------------------------------- transport

def test_play_pause_with_button_and_space(dock, model, qtbot):
    qtbot.mouseClick(dock.play_btn, Qt.LeftButton)
    assert model.training_running and dock.play_btn.text() == "Pause"
    qtbot.waitUntil(lambda: model.training_epoch >= 5, timeout=5000)
    qtbot.mouseClick(dock.play_btn, Qt.LeftButton)
    assert not model.training_running and dock.play_btn.text() == "Play"
    k = model.training_epoch
    qtbot.wait(60)
    assert model.training_epoch == k                          # paused means paused
    assert dock.epoch_label.text() == f"epoch {k} / 300"
    focus(qtbot, dock.play_btn)
    press(qtbot, dock.play_btn, Qt.Key_Space)
    assert model.training_running
    qtbot.waitUntil(lambda: model.training_epoch > k + 3, timeout=5000)
    press(qtbot, dock.play_btn, Qt.Key_Space)
    assert not model.training_running
    # the curves drawn follow the epoch the model is at
    _, ys = dock.neuron.run["loss", SLOT["ce"]].getData()
    assert len(ys) == model.training_epoch + 1


def test_values_are_selectable_to_copy_while_paused(dock, model, qtbot):
    """The value table can be selected (to copy a number) while the race stands still; while
    it plays the labels are plain (a selectable label rebuilds a text document per frame)."""
    labels = [lab for (_loss, key), lab in dock.neuron.value_labels.items() if key != "run"]
    assert labels and all(lab.textInteractionFlags() & Qt.TextSelectableByMouse for lab in labels)
    qtbot.mouseClick(dock.play_btn, Qt.LeftButton)
    qtbot.waitUntil(lambda: model.training_epoch >= 3, timeout=5000)
    assert not any(lab.textInteractionFlags() & Qt.TextSelectableByMouse for lab in labels)
    qtbot.mouseClick(dock.play_btn, Qt.LeftButton)
    assert not model.training_running
    assert all(lab.textInteractionFlags() & Qt.TextSelectableByMouse for lab in labels)
    # and what they show is the epoch the race stopped at
    k = model.training_epoch
    w = model.histories[list(model.histories)[SLOT["ce"]]].w[k]
    assert dock.neuron.value_labels[SLOT["ce"], "w"].text() == fmt(w, 3)


def test_step_back_and_reset_keys_and_buttons(dock, model, qtbot):
    qtbot.mouseClick(dock.step_btn, Qt.LeftButton)
    qtbot.mouseClick(dock.step_btn, Qt.LeftButton)
    assert model.training_epoch == 2
    focus(qtbot, dock.play_btn)
    press(qtbot, dock.play_btn, Qt.Key_Right, 3)
    press(qtbot, dock.play_btn, Qt.Key_Left)
    assert model.training_epoch == 4
    press(qtbot, dock.play_btn, Qt.Key_R)
    assert model.training_epoch == 0 and not model.training_running
    press(qtbot, dock.play_btn, Qt.Key_Right, 2)
    qtbot.mouseClick(dock.reset_btn, Qt.LeftButton)
    assert model.training_epoch == 0


def test_keys_only_act_when_the_dock_has_focus(dock, model, window, qtbot):
    bar = dock.tabs.tabBar()
    focus(qtbot, bar)                                         # a child of the dock: keys work...
    press(qtbot, bar, Qt.Key_Space)
    assert model.training_running
    press(qtbot, bar, Qt.Key_Space)
    assert not model.training_running
    box = dock.neuron.spins["x"]                              # (a number field keeps its own keys:
    focus(qtbot, box)                                         #  → moves the text cursor there)
    press(qtbot, box, Qt.Key_Right)
    assert model.training_epoch == 0
    # a number field of another dock (a benign target: Space and R do nothing there)
    other = next(w for name, d in window.docks.items() if name != "trainingDock"
                 for w in d.findChildren(QAbstractSpinBox) if w.isVisible())
    focus(qtbot, other)                                       # ...elsewhere they do not
    k = model.training_epoch
    press(qtbot, other, Qt.Key_R)
    press(qtbot, other, Qt.Key_Space)
    assert not model.training_running and model.training_epoch == k


def test_race_stops_at_the_limit_or_loops(dock, model, qtbot):
    type_into(qtbot, dock.neuron.spins["epochs"], "20")
    assert model.training.epochs == 20
    type_into(qtbot, dock.speed_spin, "1000")
    assert model.training_speed == 1000
    qtbot.mouseClick(dock.play_btn, Qt.LeftButton)
    qtbot.waitUntil(lambda: not model.training_running, timeout=5000)
    assert model.training_epoch == 20 and dock.play_btn.text() == "Play"
    # play at the end starts over; with loop on it wraps around instead of stopping
    qtbot.mouseClick(dock.loop_check, Qt.LeftButton, pos=dock.loop_check.rect().center())
    assert model.training_loop
    seen = []
    model.sigChanged.connect(lambda c: seen.append(model.training_epoch))
    qtbot.mouseClick(dock.play_btn, Qt.LeftButton)
    qtbot.waitUntil(lambda: any(b < a for a, b in zip(seen, seen[1:])) and len(seen) > 5, timeout=5000)
    assert model.training_running
    qtbot.mouseClick(dock.play_btn, Qt.LeftButton)
    assert not model.training_running


def test_edits_during_play_reset_the_race_safely(dock, model, qtbot):
    type_into(qtbot, dock.speed_spin, "40")
    qtbot.mouseClick(dock.play_btn, Qt.LeftButton)
    qtbot.waitUntil(lambda: model.training_epoch >= 3, timeout=5000)
    at_change = []
    model.sigChanged.connect(lambda c: at_change.append(model.training_epoch)
                             if c.touches(m.TRAINING_PARAMS) else None)
    type_into(qtbot, dock.neuron.spins["w0"], "1.5")
    assert model.training.w0 == 1.5 and model.training.preset == "custom"
    assert at_change == [0]                                   # the edit restarted the race
    assert model.training_running                             # ...and it keeps playing
    qtbot.waitUntil(lambda: model.training_epoch >= 3, timeout=5000)
    ref = core.train_neuron(1.5, 0.9, 1.0, 0.0, 0.15, 300, "mse")
    _, ys = dock.neuron.run["a", SLOT["mse"]].getData()
    np.testing.assert_allclose(ys, ref.a[:len(ys)])
    # more edits while the timer runs: preset, mode switch, dataset edit
    focus(qtbot, dock.neuron.preset_combo)
    press(qtbot, dock.neuron.preset_combo, Qt.Key_Down)
    click_tab(qtbot, dock, 1)
    assert model.training_mode == "dataset"
    type_into(qtbot, dock.dataset.overlap_spin, "0.5")
    assert model.dataset_params.overlap == 0.5
    qtbot.waitUntil(lambda: model.training_epoch >= 3, timeout=5000)
    qtbot.mouseClick(dock.play_btn, Qt.LeftButton)
    assert not model.training_running


def test_speed_and_scrubber(dock, model, qtbot):
    type_into(qtbot, dock.speed_spin, "250")
    assert model.training_speed == 250
    finished = []
    model.sigChangeFinished.connect(finished.append)
    focus(qtbot, dock.epoch_slider)
    press(qtbot, dock.epoch_slider, Qt.Key_End)
    assert model.training_epoch == model.training.epochs
    assert finished and finished[-1].touches(m.TRAINING_PROGRESS)   # a key jump is a whole edit
    press(qtbot, dock.epoch_slider, Qt.Key_Home)
    assert model.training_epoch == 0
    # dragging the handle scrubs ("changing") and the release finishes the edit
    slider = dock.epoch_slider
    opt_x = lambda v: int(slider.width() * v / slider.maximum())  # noqa: E731
    handle = slider.rect().center()
    handle.setX(max(opt_x(0), 4))
    n = len(finished)
    qtbot.mousePress(slider, Qt.LeftButton, pos=handle)
    for x in range(handle.x() + 10, slider.width() // 2, 15):
        handle.setX(x)
        qtbot.mouseMove(slider, pos=handle)
    assert model.training_epoch > 0 and len(finished) == n
    qtbot.mouseRelease(slider, Qt.LeftButton, pos=handle)
    assert len(finished) == n + 1
    assert dock.neuron.head_labels["epoch"].text() == f"epoch {model.training_epoch}"


# ----------------------------------------------------------------------------- landscapes

def test_landscape_shows_model_grid_and_click_sets_start(dock, model, qtbot):
    land = model.landscape
    img = dock.neuron.land_images[SLOT["ce"]]
    np.testing.assert_array_equal(img.image, land.loss["ce"])
    # an independent value of the CE landscape at one grid node
    i, j = 50, 120
    z = land.w[j] * model.training.x + land.b[i]
    assert land.loss["ce"][i, j] == pytest.approx(np.logaddexp(0, z), rel=1e-12)   # y = 0
    pw = dock.neuron.land_plots[SLOT["mse"]]
    click_data(qtbot, pw, -1.0, 0.5)
    t = model.training
    px, py = pw.getPlotItem().vb.viewPixelSize()
    assert t.w0 == pytest.approx(-1.0, abs=2 * px + 0.01) and t.b0 == pytest.approx(0.5, abs=2 * py + 0.01)
    assert dock.neuron.spins["w0"].value() == t.w0 and model.training_epoch == 0


# ----------------------------------------------------------------------------- datasets

def test_dataset_mode_ce_reaches_high_accuracy(dock, model, qtbot):
    click_tab(qtbot, dock, 1)
    assert model.training_mode == "dataset" and dock.tabs.currentWidget().widget() is dock.dataset
    type_into(qtbot, dock.dataset.overlap_spin, "0")
    assert model.dataset_params.overlap == 0
    focus(qtbot, dock.epoch_slider)
    press(qtbot, dock.epoch_slider, Qt.Key_End)
    k = model.training_epoch
    assert k == 300
    race = model.race("dataset")
    _, acc = dock.dataset.run["acc", SLOT["ce"]].getData()
    assert acc[-1] > 0.95
    # recompute the accuracy of the final CE weights independently
    w = race.runs["ce"].params[k]
    pts = model.dataset_points("dataset")
    mine = np.mean((expit(pts[:, :2] @ w[:2] + w[2]) >= 0.5) == (pts[:, 2] == 1))
    assert mine > 0.95 and acc[-1] == pytest.approx(mine)
    text = dock.dataset.readout.text()
    assert f"CE loss {fmt(race.runs['ce'].loss[k], 4)}, accuracy {fmt(100 * mine, 1)} %" in text
    # the boundary drawn is the line w·x + b = 0 of those weights
    bx, by = dock.dataset.bounds_lines[SLOT["ce"]].getData()
    np.testing.assert_allclose(w[0] * bx + w[1] * by + w[2], 0, atol=1e-9)


def test_click_adds_and_right_click_removes_points(dock, model, qtbot):
    click_tab(qtbot, dock, 1)
    focus(qtbot, dock.dataset.class_combo)
    press(qtbot, dock.dataset.class_combo, Qt.Key_Down)       # -> class 1
    n = len(model.dataset_points("dataset"))
    pw = dock.dataset.scatter_plots[SLOT["ce"]]
    click_data(qtbot, pw, -3.0, 3.2)
    pts = model.dataset_points("dataset")
    assert len(pts) == n + 1 and pts[-1, 2] == 1
    px, py = pw.getPlotItem().vb.viewPixelSize()
    assert abs(pts[-1, 0] + 3.0) <= 2 * px and abs(pts[-1, 1] - 3.2) <= 2 * py
    xs, ys = dock.dataset.scatters[SLOT["mse"]].getData()
    assert len(xs) == n + 1 and xs[-1] == pts[-1, 0]
    assert model.training_epoch == 0
    click_data(qtbot, pw, -3.0, 3.2, Qt.RightButton)
    assert len(model.dataset_points("dataset")) == n
    # right-click on empty space explains itself instead of doing nothing silently
    click_data(qtbot, pw, 3.8, -3.8, Qt.RightButton)
    assert len(model.dataset_points("dataset")) == n
    assert dock.status.isVisible() and "Right-click on a point" in dock.status.text()


def test_multiclass_selected_point_bars(dock, model, qtbot):
    click_tab(qtbot, dock, 2)
    assert model.training_mode == "multiclass"
    pts = model.dataset_points("multiclass")
    d = np.linalg.norm(pts[:, None, :2] - pts[None, :, :2], axis=2) + np.eye(len(pts)) * 99
    i = int(np.argmax(d.min(axis=1)))                         # the most isolated point
    pw = dock.multiclass.scatter_plots[SLOT["mse"]]
    click_data(qtbot, pw, pts[i, 0], pts[i, 1])
    assert model.selected_point == i
    focus(qtbot, dock.play_btn)
    press(qtbot, dock.play_btn, Qt.Key_Right, 40)
    race = model.race("multiclass")
    for loss in ("mse", "ce"):
        heights = dock.multiclass.bars[SLOT[loss]].opts["height"]
        W = race.runs[loss].params[40]
        expected = sp_softmax(np.array([pts[i, 0], pts[i, 1], 1.0]) @ W)
        np.testing.assert_allclose(heights, expected, rtol=1e-9)
    ring_x, ring_y = dock.multiclass.rings[SLOT["ce"]].getData()
    assert (ring_x[0], ring_y[0]) == (pts[i, 0], pts[i, 1])
    names = ["cat", "dog", "horse"]
    assert f"a {names[int(pts[i, 2])]}" in dock.multiclass.readout.text()


# ----------------------------------------------------------------------------- export

def test_csv_export_of_both_modes(dock, model, tmp_path, qtbot):
    path = tmp_path / "race.csv"
    assert dock.export_csv(path)
    with open(path, newline="") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    assert len(body) == model.training.epochs + 1
    ref = core.train_neuron(0.6, 0.9, 1.0, 0.0, 0.15, 300, "mse")
    col = header.index("a_mse")
    np.testing.assert_allclose([float(r[col]) for r in body], ref.a, rtol=1e-11)
    click_tab(qtbot, dock, 2)
    assert dock.export_csv(path)
    with open(path, newline="") as fh:
        header = next(csv.reader(fh))
    assert "accuracy_ce" in header and "w1_2_mse" in header
    assert not dock.export_csv(tmp_path / "missing" / "x.csv")
    assert dock.status.isVisible() and "Could not write" in dock.status.text()


def test_playing_does_not_replace_the_play_buttons_icon_every_frame(window, model, qtbot):
    """Issue 14, item 12: a new QIcon per frame filled Qt's pixmap cache (RSS +1.9 MB/min in
    neuron mode, measured by tools/soak_training.py)."""
    dock = window.docks["trainingDock"]
    qtbot.mouseClick(dock.play_btn, Qt.LeftButton)
    assert model.training_running
    key = dock.play_btn.icon().cacheKey()
    for k in range(10):
        dock.tick(now=100.0 + k / 60)
    assert dock.play_btn.icon().cacheKey() == key
    qtbot.mouseClick(dock.play_btn, Qt.LeftButton)       # pausing does change it
    assert not model.training_running and dock.play_btn.icon().cacheKey() != key


def test_a_plot_title_too_long_for_its_plot_ends_in_an_ellipsis(window, model, qtbot):
    """The multi-class race's small titles were cut at both ends in the "All panels" layout
    ("ged point: P(class) — MSE left, CE ri"): a title that does not fit now shows its start
    and "…", and its tooltip has all of it; one that fits is shown whole."""
    window.workspaces.switch("all")
    dock = window.docks["trainingDock"]
    dock.raise_()
    bar = dock.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.LeftButton, pos=bar.tabRect(2).center())
    panel = dock.tabs.currentWidget().widget()
    label = panel.bar_plot.title_label
    qtbot.waitUntil(label.isVisible)
    full = label.text()
    assert full.startswith("ringed point: P(class)")
    label.resize(label.fontMetrics().horizontalAdvance(full) // 2, label.height())
    shown = label.shown_text()
    assert shown.endswith("…") and full.startswith(shown[:-1]) and len(shown) > 8
    assert label.toolTip() == full
    image = label.grab().toImage()                       # something is drawn from the left
    ink = [x for x in range(image.width()) for y in range(image.height())
           if image.pixelColor(x, y) != image.pixelColor(0, 0)]
    assert ink and min(ink) < label.width() // 4
    label.resize(label.fontMetrics().horizontalAdvance(full) + 20, label.height())
    assert label.shown_text() == full
