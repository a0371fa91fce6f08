"""Each run of the training races picks its loss, by real keys and clicks in the training dock:
the presets, each run's loss and parameter, and what follows them — histories, landscapes,
titles, legends, readouts, the CSV export, and the multi-class race's logit-growth plots —
against independent recomputation."""
import csv

import numpy as np
import pytest
from PySide6.QtCore import Qt
from scipy.special import expit, softmax


@pytest.fixture
def dock(window, qtbot):
    d = window.docks["trainingDock"]
    window.activateWindow()
    return d


def focus(qtbot, widget):
    widget.setFocus(Qt.OtherFocusReason)
    qtbot.waitUntil(widget.hasFocus)


def click(qtbot, widget):
    qtbot.mouseClick(widget, Qt.LeftButton, pos=widget.rect().center())


def click_tab(qtbot, dock, index):
    bar = dock.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.LeftButton, pos=bar.tabRect(index).center())


def test_neuron_race_preset_ce_vs_focal(dock, model, qtbot, tmp_path):
    chooser = dock.neuron.losses
    assert chooser.preset_combo.currentData() == "mse_ce"
    focus(qtbot, chooser.preset_combo)
    qtbot.keyClick(chooser.preset_combo, Qt.Key_Down)          # -> CE vs focal (γ = 2)
    assert [s[0] for s in model.training_losses] == ["ce", "focal"]
    assert list(model.histories) == ["ce", "focal"] and model.training_epoch == 0
    # the focal run is gradient descent on −a^γ ln(1 − a) (y = 0), x = 1, η = 0.15
    h = model.histories["focal"]
    w, b = 0.6, 0.9

    def loss(w_, b_):
        a = expit(w_ + b_)
        return -(a ** 2) * np.log1p(-a)

    e = 1e-6
    gw = (loss(w + e, b) - loss(w - e, b)) / (2 * e)
    assert h.w[1] == pytest.approx(w - 0.15 * gw, abs=1e-8)
    # what is drawn follows the runs by position: run 0 = CE, run 1 = focal
    _, ys = dock.neuron.ghost["loss", 1].getData()
    np.testing.assert_allclose(ys, h.loss)
    assert "focal (γ = 2)" in dock.neuron.land_plots[1].title_label.text()
    assert dock.neuron.value_labels[1, "run"].text() == "focal (γ = 2)"
    assert "trained with focal (γ = 2)" in dock.neuron.legend.text()
    np.testing.assert_array_equal(dock.neuron.land_images[1].image, model.landscape.loss["focal"])
    path = tmp_path / "race.csv"
    assert dock.export_csv(path)
    with open(path, newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    assert "w_focal" in header and "loss_ce" in header and "a_mse" not in header
    col = header.index("loss_focal")
    np.testing.assert_allclose([float(r[col]) for r in rows[1:]], h.loss, rtol=1e-11)


def test_each_run_its_own_loss_and_parameter(dock, model, qtbot):
    chooser = dock.neuron.losses
    assert not chooser.details.isVisible()
    click(qtbot, chooser.edit_button)
    assert chooser.details.isVisible()
    combo = chooser.loss_combos[1]                              # run 2: CE -> smoothed CE
    focus(qtbot, combo)
    qtbot.keyClick(combo, Qt.Key_End)
    assert model.training_losses[1] == ("smoothed_ce", (("eps", 0.1),))
    assert chooser.preset_combo.currentData() == "custom"
    assert "Custom: MSE vs smoothed CE (ε = 0.1)" in chooser.preset_combo.currentText()
    box = chooser.param_spins[1]
    assert box.isVisible() and not chooser.param_spins[0].isVisible()   # MSE has none
    focus(qtbot, box)
    qtbot.keyClick(box, Qt.Key_A, Qt.ControlModifier)
    qtbot.keyClicks(box, "0.3")
    qtbot.keyClick(box, Qt.Key_Return)
    assert model.training_losses[1] == ("smoothed_ce", (("eps", 0.3),))
    # smoothed CE on y = 0 with ε = 0.3 is CE to the target 0.15
    t = model.training
    a0 = expit(t.w0 * t.x + t.b0)
    assert model.histories["smoothed_ce"].loss[0] == pytest.approx(
        -(0.15 * np.log(a0) + 0.85 * np.log1p(-a0)), rel=1e-12)
    assert "smoothed CE (ε = 0.3)" in dock.neuron.legend.text()
    # the same loss on both runs: the runs get numbered names and two colours
    combo = chooser.loss_combos[0]
    focus(qtbot, combo)
    qtbot.keyClick(combo, Qt.Key_End)                           # run 1: MSE -> smoothed CE
    assert list(model.histories) == ["smoothed_ce_1", "smoothed_ce_2"]
    p0 = dock.neuron.run["a", 0].pen().color().name()
    p1 = dock.neuron.run["a", 1].pen().color().name()
    assert p0 != p1


def test_dataset_races_and_the_multiclass_logit_growth(dock, model, qtbot):
    click_tab(qtbot, dock, 2)
    assert model.training_mode == "multiclass"
    chooser = dock.multiclass.losses
    focus(qtbot, chooser.preset_combo)
    qtbot.keyClick(chooser.preset_combo, Qt.Key_Down)
    qtbot.keyClick(chooser.preset_combo, Qt.Key_Down)          # -> CE vs smoothed CE (ε = 0.1)
    assert [s[0] for s in model.dataset_losses] == ["ce", "smoothed_ce"]
    race = model.race("multiclass")
    assert list(race.runs) == ["ce", "smoothed_ce"]
    assert list(model.race("dataset").runs) == ["ce", "smoothed_ce"]   # both datasets
    focus(qtbot, dock.play_btn)
    for _ in range(120):
        qtbot.keyClick(dock.play_btn, Qt.Key_Right)
    assert model.training_epoch == 120
    panel = dock.multiclass
    i = model.selected_point
    x = np.append(race.X[i], 1.0)
    t = int(race.labels[i])
    for slot, run in enumerate(("ce", "smoothed_ce")):
        Z = np.array([x @ race.runs[run].params[k] for k in range(301)])    # (E + 1, K)
        margin = Z[:, t] - np.max(np.delete(Z, t, axis=1), axis=1)
        np.testing.assert_allclose(panel.ghost["margin", slot].getData()[1], margin, atol=1e-12)
        np.testing.assert_allclose(panel.ghost["top", slot].getData()[1], Z.max(axis=1), atol=1e-12)
        xs, ys = panel.run["a_max", slot].getData()
        np.testing.assert_allclose(xs, np.arange(121))
        np.testing.assert_allclose(ys, softmax(Z[:121], axis=1).max(axis=1), rtol=1e-12)
    text = panel.readout.text()
    assert "with CE" in text and "with smoothed CE (ε = 0.1)" in text and "logit margin" in text
    assert "smoothed CE (ε = 0.1) run" in panel.legend.text()
    assert "smoothed CE (ε = 0.1)" in panel.scatter_plots[1].title_label.text()
    # the classic race is back with one more key
    focus(qtbot, chooser.preset_combo)
    qtbot.keyClick(chooser.preset_combo, Qt.Key_Home)
    assert list(model.race("multiclass").runs) == ["mse", "ce"]
    assert model.training_epoch == 0



def _dock_tab_texts(window):
    from PySide6.QtWidgets import QTabBar
    return [bar.tabText(i) for bar in window.findChildren(QTabBar) if bar.parent() is window
            for i in range(bar.count())]


def test_the_dock_title_and_its_tab_name_the_chosen_losses(window, dock, model, qtbot):
    """The title read "Training race: MSE vs cross-entropy" whatever the race was."""
    assert dock.windowTitle() == "Training race: MSE vs cross-entropy"
    chooser = dock.neuron.losses
    focus(qtbot, chooser.preset_combo)
    qtbot.keyClick(chooser.preset_combo, Qt.Key_Down)          # -> CE vs focal (γ = 2)
    assert [s[0] for s in model.training_losses] == ["ce", "focal"]
    assert dock.windowTitle() == "Training race: CE vs focal (γ = 2)"
    # in All panels the race shares a tab group: the tab says it, even with the tab behind
    window.docks["softmaxDock"].raise_()
    qtbot.waitUntil(lambda: "Training race: CE vs focal (γ = 2)" in _dock_tab_texts(window))
    model.set_training_losses("mse_ce")
    qtbot.waitUntil(lambda: "Training race: MSE vs cross-entropy" in _dock_tab_texts(window))
    assert dock.windowTitle() == "Training race: MSE vs cross-entropy"
    # the multi-class race has its own pair
    model.set_dataset_losses("ce_focal")
    model.set_training_mode("multiclass")
    assert dock.windowTitle() == "Training race: CE vs focal (γ = 2)"
