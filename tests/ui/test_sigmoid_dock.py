"""sigmoidDock: drawn curves vs scipy, marker readouts, real mouse drags, log scale, saturation."""
import numpy as np
import pytest
from PySide6.QtCore import Qt
from scipy.optimize import brentq
from scipy.special import expit

from explorer.model import app_model as m
from explorer.ui.docks.sigmoid_dock import SigmoidDock
from tests.ui.helpers import drag, show_dock, to_widget


@pytest.fixture
def dock(qtbot, model):
    yield from show_dock(qtbot, SigmoidDock, model, (640, 860))


def number(label):
    return float(label.text().replace("−", "-").replace(" × 10", "e").translate(
        str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")))


def sig_prime(z):
    s = expit(z)
    return s * (1 - s)


def test_curves_match_reference_on_grid(dock, model):
    for x, y in ((1.0, 0), (2.0, 1)):
        model.set_sigmoid_input(x=x, y=y)
        z, a = dock.sigma_curve.getData()
        assert z[0] == -10 and z[-1] == 10 and z.size > 200
        s = expit(z)
        ds = s * (1 - s)
        np.testing.assert_allclose(a, s, rtol=1e-12)
        np.testing.assert_allclose(dock.dsigma_curve.getData()[1], ds, rtol=1e-9, atol=1e-300)
        np.testing.assert_allclose(dock.mse_loss_curve.getData()[1], 0.5 * (s - y) ** 2, rtol=1e-10,
                                   atol=1e-300)
        ce = -(y * np.log(s) + (1 - y) * np.log1p(-s))
        np.testing.assert_allclose(dock.ce_loss_curve.getData()[1], ce, rtol=1e-7, atol=1e-12)
        np.testing.assert_allclose(dock.mse_grad_curve.getData()[1], (s - y) * ds * x, rtol=1e-9,
                                   atol=1e-300)
        np.testing.assert_allclose(dock.ce_grad_curve.getData()[1], (s - y) * x, rtol=1e-10,
                                   atol=1e-15)


def test_readouts_at_zero_and_six(dock, model, qtbot):
    model.set_z_marker(0.0)
    v = dock.value_labels
    assert number(v["dsigma"]) == 0.25 and number(v["a"]) == 0.5 and number(v["ratio"]) == 4.0
    assert number(v["grad_w_mse"]) == pytest.approx(0.5 * 0.25)
    assert number(v["grad_w_ce"]) == pytest.approx(0.5)
    # type z = 6 into the spin box with the keyboard
    spin = dock.z_spin
    spin.setFocus()
    qtbot.keyClick(spin, Qt.Key_A, Qt.ControlModifier)
    qtbot.keyClicks(spin, "6")
    qtbot.keyClick(spin, Qt.Key_Return)
    assert model.z_marker == 6.0
    ratio = 1.0 / sig_prime(6.0)                     # ≈ 405.4, not the quoted 403
    assert number(v["ratio"]) == pytest.approx(ratio, rel=1e-3)
    assert f"{ratio:.4g}×" in dock.headline.text()
    assert number(v["grad_w_ce"]) / number(v["grad_w_mse"]) == pytest.approx(ratio, rel=2e-3)
    assert number(v["dsigma"]) == pytest.approx(sig_prime(6.0), rel=1e-3)
    assert number(v["loss_ce"]) == pytest.approx(-np.log1p(-expit(6.0)), rel=1e-3)
    assert number(v["loss_mse"]) == pytest.approx(0.5 * expit(6.0) ** 2, rel=1e-3)
    for line in dock.markers:
        assert line.value() == 6.0
    np.testing.assert_allclose(dock.loss_dots["ce"].data_pos(), [6.0, -np.log1p(-expit(6.0))])


def test_drag_marker_with_the_mouse(dock, model, qtbot):
    finished = []
    model.sigChangeFinished.connect(finished.append)
    changing = []
    model.sigChanged.connect(lambda c: changing.append(c.finished))
    drag(qtbot, dock.act_plot, (2.0, 0.5), (6.0, 0.5))
    assert model.z_marker == pytest.approx(6.0, abs=0.08)
    assert changing.count(False) >= 3 and len(finished) == 1 and m.SIGMOID in finished[0].kinds
    assert dock.marker.value() == model.z_marker
    assert number(dock.value_labels["ratio"]) == pytest.approx(1 / sig_prime(model.z_marker), rel=1e-3)
    # a drag past the right edge stops at the end of the z range
    drag(qtbot, dock.grad_plot, (model.z_marker, 0.5), (14.0, 0.5))
    assert model.z_marker == 10.0


def test_right_click_and_escape_cancel_a_drag(dock, model, qtbot):
    vp = dock.act_plot.viewport()
    p1 = drag(qtbot, dock.act_plot, (2.0, 0.5), (-3.0, 0.5), release=False)
    assert model.z_marker == pytest.approx(-3.0, abs=0.08)
    qtbot.mousePress(vp, Qt.RightButton, pos=p1)
    qtbot.mouseRelease(vp, Qt.RightButton, pos=p1)
    assert model.z_marker == 2.0
    qtbot.mouseMove(vp, to_widget(dock.act_plot, 5.0, 0.5))   # rest of the drag is ignored
    qtbot.mouseRelease(vp, Qt.LeftButton, pos=to_widget(dock.act_plot, 5.0, 0.5))
    assert model.z_marker == 2.0

    p1 = drag(qtbot, dock.loss_plot, (2.0, 1.0), (7.0, 1.0), release=False)
    assert model.z_marker == pytest.approx(7.0, abs=0.08)
    qtbot.keyClick(dock.loss_plot.viewport(), Qt.Key_Escape)
    assert model.z_marker == 2.0
    qtbot.mouseRelease(vp, Qt.LeftButton, pos=p1)
    assert model.z_marker == 2.0


def test_log_scale_toggle_shows_magnitudes(dock, model, qtbot):
    qtbot.mouseClick(dock.log_check, Qt.LeftButton, pos=dock.log_check.rect().center())
    assert model.sigmoid_log_scale
    pi = dock.grad_plot.getPlotItem()
    assert dock.mse_grad_curve.opts["logMode"] == [False, True]
    assert pi.getAxis("left").logMode
    z, shown = dock.mse_grad_curve.getData()
    s = expit(z)
    np.testing.assert_allclose(shown, np.log10(np.abs(s * s * (1 - s))), rtol=1e-9)
    # the vanishing gradient: many orders of magnitude between z = 0 and z = -10
    assert shown[z.argmin()] < shown[np.abs(z).argmin()] - 3
    qtbot.mouseClick(dock.log_check, Qt.LeftButton, pos=dock.log_check.rect().center())
    assert not model.sigmoid_log_scale and dock.mse_grad_curve.opts["logMode"] == [False, False]


def test_gradient_with_respect_to_z(dock, model, qtbot):
    model.set_sigmoid_input(x=3.0)
    dock.wrt_combo.setFocus()
    qtbot.keyClick(dock.wrt_combo, Qt.Key_Down)
    assert model.sigmoid_grad_wrt == "z"
    z, g = dock.ce_grad_curve.getData()
    np.testing.assert_allclose(g, expit(z), rtol=1e-10)
    assert "∂L/∂z" in dock.grad_plot.getPlotItem().getAxis("left").labelText


def test_saturated_regions_shaded_and_labelled(dock, model):
    zs = brentq(lambda z: sig_prime(z) - 0.01 * 0.25, 1, 20, xtol=1e-14)
    (a0, b0), (a1, b1) = (r.getRegion() for r in dock.region_items)
    assert (a0, a1, b1) == (-10.0, pytest.approx(zs, abs=1e-9), 10.0)
    assert b0 == pytest.approx(-zs, abs=1e-9)
    assert all(r.isVisible() for r in dock.region_items)
    assert all(lbl.textItem.toPlainText() == "saturated" for lbl in dock.region_labels)
    model.set_sigmoid_z_range(-4, 4)
    assert not any(r.isVisible() for r in dock.region_items)
    model.set_sigmoid_z_range(0, 30)
    assert dock.region_items[0].isVisible() and not dock.region_items[1].isVisible()
    assert dock.region_items[0].getRegion() == (pytest.approx(zs, abs=1e-9), 30.0)
    assert dock.sigma_curve.getData()[0][-1] == 30.0


def test_training_race_markers_follow_the_model(dock, model):
    assert not dock.race_dots[0].isVisible()
    model.set_training_epoch(50)
    for slot, loss in enumerate(("mse", "ce")):       # one marker per run, in run order
        h = model.histories[loss]
        assert dock.race_dots[slot].data_pos() == (h.z[50], h.a[50])
        assert dock.race_dots[slot].isVisible()
    assert "epoch 50" in dock.race_label.text()
    model.set_training_epoch(0)
    assert not dock.race_dots[1].isVisible()
    model.set_training_running(True)
    assert dock.race_dots[1].isVisible()
    assert dock.race_dots[1].data_pos()[0] == model.histories["ce"].z[0]


def test_bad_range_is_reported_and_state_kept(dock, model, qtbot):
    spin = dock.lo_spin
    spin.setFocus()
    qtbot.keyClick(spin, Qt.Key_A, Qt.ControlModifier)
    qtbot.keyClicks(spin, "20")
    qtbot.keyClick(spin, Qt.Key_Return)
    assert model.sigmoid_z_range == (-10.0, 10.0)
    assert dock.error_label.isVisible() and "z axis" in dock.error_label.text()
    assert spin.value() == -10.0
    model.set_sigmoid_z_range(-6, 6)          # a good change clears nothing it should not
    assert dock.lo_spin.value() == -6.0 and dock.hi_spin.value() == 6.0
    assert dock.z_spin.maximum() == 6.0


def test_dock_lives_in_the_main_window(window, model):
    dock = window.docks["sigmoidDock"]
    model.set_z_marker(-1.5)
    assert dock.marker.value() == -1.5
    assert number(dock.value_labels["a"]) == pytest.approx(expit(-1.5), rel=1e-3)


def test_extreme_values_and_language_switch(dock, model, qtbot):
    from explorer import i18n
    model.set_sigmoid_z_range(-100, 100)
    model.set_z_marker(100.0)
    r = 1 / sig_prime(100.0) if sig_prime(100.0) > 0 else np.inf
    assert number(dock.value_labels["ratio"]) == pytest.approx(2 + 2 * np.cosh(100.0), rel=1e-3)
    assert r > 1e40 and "all but stopped" in dock.headline.text()
    model.set_sigmoid_log_scale(True)
    model.set_sigmoid_input(x=0.0)                      # ∂L/∂w = 0 everywhere: nothing to log
    _, g = dock.mse_grad_curve.getData()
    assert np.all(np.isnan(g)) and "x = 0" in dock.headline.text()
    for lang in ("zh", "en"):
        i18n.set_language(lang)
        assert dock.value_labels["a"].text() == "1"
    assert dock.log_check.text() == "log scale for |grad&ient|"


def test_log_scale_with_zero_gradient_draws_no_nan_marker(dock, model, qtbot):
    """x = 0 makes ∂L/∂w exactly 0: a marker at 0 cannot sit on a log axis.  Switching to log
    must not leave the old 0 for pyqtgraph to turn into log 0 = NaN (a RuntimeWarning raised
    inside Qt's paint, which pytest-qt reports as an exception in the event loop)."""
    import warnings
    model.set_sigmoid_input(x=0.0)
    qtbot.wait(10)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        dock.log_check.setChecked(True)
        assert model.sigmoid_log_scale
        dock.grab()                                   # bounds and paint of every item
        qtbot.wait(10)
    for dot in dock.grad_dots.values():
        assert dot.data_pos() is None             # hidden: log 0 has no place on the axis
