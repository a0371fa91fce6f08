"""The sigmoid panel's loss family, driven by real clicks, keys and drags: which losses are
drawn, focal γ and smoothing ε, their curves and readouts against references written here
(scipy's expit and the formulas), the gradient ratio to CE, and the legends above the plots,
which the z marker never crosses (issue 21, item 10)."""
import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPoint, QPointF, QRect, Qt
from scipy.special import expit

from explorer.model import app_model as m
from explorer.ui.docks.sigmoid_dock import SigmoidDock
from tests.ui.helpers import click, show_dock


@pytest.fixture
def dock(qtbot, model):
    yield from show_dock(qtbot, SigmoidDock, model, (700, 900))


def number(text):
    return float(text.replace("−", "-").replace(" × 10", "e").translate(
        str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")))


def focal(z, y, gamma):
    a = expit(z)
    pt = a if y == 1 else 1 - a
    return -((1 - pt) ** gamma) * np.log(pt)


def smoothed(z, y, eps):
    t = y * (1 - eps) + eps / 2
    a = expit(z)
    return -(t * np.log(a) + (1 - t) * np.log1p(-a))


def central(f, z, h=1e-6):
    return (f(z + h) - f(z - h)) / (2 * h)


def test_ticking_focal_draws_its_curves_row_and_slider(dock, model, qtbot):
    box = dock.loss_checks["focal"]
    assert not box.isChecked() and not dock.gamma_slider.isVisible()
    assert not dock.loss_curves["focal"].isVisible()
    click(qtbot, box)
    assert model.sigmoid_losses == ("mse", "ce", "focal")
    assert box.isChecked() and dock.gamma_slider.isVisible()
    z, L = dock.loss_curves["focal"].getData()
    np.testing.assert_allclose(L, focal(z, 0, 2.0), rtol=1e-9, atol=1e-300)
    z, g = dock.grad_curves["focal"].getData()            # ∂L/∂w = x ∂L/∂z, x = 1
    np.testing.assert_allclose(g[::40], central(lambda v: focal(v, 0, 2.0), z[::40]), rtol=1e-5,
                               atol=1e-10)
    zm = model.z_marker
    assert all(c.isVisible() for c in dock.table_rows["focal"])
    assert number(dock.value_labels["loss_focal"].text()) == pytest.approx(focal(zm, 0, 2.0), rel=1e-3)
    g_f, g_ce = central(lambda v: focal(v, 0, 2.0), zm), expit(zm)
    assert number(dock.value_labels["vs_ce_focal"].text()) == pytest.approx(g_f / g_ce, rel=1e-2)
    assert f"focal ×{number(dock.value_labels['vs_ce_focal'].text()):.3g}" in dock.headline.text()
    assert "focal γ = 2" in dock.loss_legend.text()
    click(qtbot, box)                                     # and off again
    assert model.sigmoid_losses == ("mse", "ce") and not dock.loss_curves["focal"].isVisible()
    assert not dock.gamma_slider.isVisible() and not dock.table_rows["focal"][0].isVisible()


def test_gamma_and_eps_sliders_by_keyboard_and_mouse(dock, model, qtbot):
    model.set_sigmoid_losses(["ce", "focal", "smoothed_ce"])
    qtbot.wait(10)
    slider = dock.gamma_slider
    slider.setFocus()
    qtbot.keyClick(slider, Qt.Key_Right)                  # one step: γ 2.0 → 2.1
    assert model.sigmoid_focal_gamma == pytest.approx(2.1)
    qtbot.keyClick(slider, Qt.Key_PageDown)               # a page: 2.1 → 1.6
    assert model.sigmoid_focal_gamma == pytest.approx(1.6)
    assert dock.gamma_value.text() == "1.6"
    z, L = dock.loss_curves["focal"].getData()
    np.testing.assert_allclose(L, focal(z, 0, 1.6), rtol=1e-9, atol=1e-300)
    # drag the ε handle to the right end: one finished edit at the release
    finished = []
    model.sigChangeFinished.connect(finished.append)
    eps = dock.eps_slider
    handle = QPoint(round(eps.width() * model.sigmoid_smoothing / 0.5), eps.height() // 2)
    qtbot.mousePress(eps, Qt.LeftButton, pos=handle)
    for k in range(1, 6):
        qtbot.mouseMove(eps, QPoint(handle.x() + k * (eps.width() - handle.x()) // 5 + 10,
                                    handle.y()))
    assert model.sigmoid_smoothing > 0.1 and not finished     # changing, not finished
    qtbot.mouseRelease(eps, Qt.LeftButton, pos=QPoint(eps.width() - 1, handle.y()))
    assert model.sigmoid_smoothing == pytest.approx(0.5)
    assert len(finished) == 1 and m.SIGMOID in finished[0].kinds
    z, L = dock.loss_curves["smoothed_ce"].getData()
    np.testing.assert_allclose(L, smoothed(z, 0, 0.5), rtol=1e-9)   # target ½: symmetric
    assert "smoothed CE ε = 0.5" in dock.loss_legend.text()


def test_without_mse_the_headline_compares_each_loss_to_ce(dock, model, qtbot):
    click(qtbot, dock.loss_checks["mse"])
    click(qtbot, dock.loss_checks["hinge"])
    assert model.sigmoid_losses == ("ce", "hinge")
    assert not dock.loss_curves["mse"].isVisible() and not dock.table_rows["mse"][1].isVisible()
    text = dock.headline.text()
    assert "MSE gradient" not in text
    zm = model.z_marker                                   # y = 0: hinge ∂L/∂z = +1 for z > −1
    assert f"hinge ×{1.0 / expit(zm):.3g}" in text
    click(qtbot, dock.loss_checks["hinge"])
    click(qtbot, dock.loss_checks["ce"])                  # nothing drawn: still says CE's slope
    assert model.sigmoid_losses == ()
    assert "no loss chosen" in dock.loss_legend.text()
    assert "cross-entropy's gradient is a − y" in dock.headline.text()


def _rect_in(dock, widget) -> QRect:
    return QRect(widget.mapTo(dock, QPoint(0, 0)), widget.size())


def test_the_z_marker_never_crosses_a_legend(dock, model, qtbot):
    """Issue 21, item 10: the legends used to be LegendItems inside the plots, right where the
    marker passes.  Now they are rows above the plots, and each says what its plot's colours
    are."""
    for pw in dock.plots:
        assert not [i for i in pw.scene().items() if isinstance(i, pg.LegendItem)]
    model.set_sigmoid_losses(["mse", "ce", "focal", "hinge", "smoothed_ce"])
    qtbot.wait(10)
    legends = (dock.act_legend, dock.loss_legend)
    vp = dock.act_plot.viewport()
    pi = dock.act_plot.plotItem
    start = dock.act_plot.mapFromScene(pi.vb.mapViewToScene(QPointF(model.z_marker, 0.5)))
    qtbot.mouseMove(vp, start)
    qtbot.mousePress(vp, Qt.LeftButton, pos=start)
    for z in np.linspace(model.z_marker, -9.5, 6).tolist() + np.linspace(-9.5, 9.5, 12).tolist():
        last = dock.act_plot.mapFromScene(pi.vb.mapViewToScene(QPointF(z, 0.5)))
        qtbot.mouseMove(vp, last)
        for line, pw in zip(dock.markers, dock.plots):
            r = line.mapRectToScene(line.boundingRect())
            top_left = pw.mapTo(dock, pw.mapFromScene(r.topLeft()))
            bottom_right = pw.mapTo(dock, pw.mapFromScene(r.bottomRight()))
            line_rect = QRect(top_left, bottom_right).normalized().adjusted(-2, 0, 2, 0)
            for legend in legends:
                assert not line_rect.intersects(_rect_in(dock, legend)), (z, legend.objectName())
    qtbot.mouseRelease(vp, Qt.LeftButton, pos=last)
    assert model.z_marker == pytest.approx(9.5, abs=0.1)
    act = dock.act_legend.text()
    assert "σ(z)" in act and "σ′(z)" in act
    loss = dock.loss_legend.text()
    for name in ("MSE", "CE", "focal", "hinge", "smoothed CE"):
        assert name in loss
    assert "∂L/∂w" in loss                                # it names the gradient plot too
    for legend, pw in zip(legends, dock.plots[:2]):       # each row sits right above its plot
        lr, pr = _rect_in(dock, legend), _rect_in(dock, pw)
        assert lr.bottom() <= pr.top() + 1 and abs(lr.left() - pr.left()) < 5


def test_a_long_legend_wraps_between_entries_never_inside_one(dock, model, qtbot):
    """With every loss ticked in a narrow dock, the loss legend wrapped inside "smoothed CE
    ε = 0.1" (the separators were non-breaking, the spaces inside an entry were not)."""
    from PySide6.QtGui import QTextDocument
    for loss in ("focal", "hinge", "smoothed_ce"):
        if not dock.loss_checks[loss].isChecked():
            click(qtbot, dock.loss_checks[loss])
    label = dock.loss_legend
    doc = QTextDocument()
    doc.setDefaultFont(label.font())
    doc.setDocumentMargin(0)
    doc.setHtml(label.text())
    text = doc.toPlainText()
    entries = ["MSE", "CE", "focal γ = 2", "hinge", "smoothed CE ε = 0.1"]
    for width in (260, 330, 420):
        doc.setTextWidth(width)
        doc.size()                                     # lays the text out
        layout = doc.firstBlock().layout()
        assert layout.lineCount() > 1, width            # the row does wrap at this width
        for entry in entries:
            start = text.index(entry)
            first = layout.lineForTextPosition(start).lineNumber()
            last = layout.lineForTextPosition(start + len(entry) - 1).lineNumber()
            assert first == last, (width, entry)


def test_value_axes_hold_while_a_slider_is_dragged_and_fit_at_the_release(dock, model, qtbot):
    """Every move of the γ slider re-fitted the loss and gradient axes (new ticks, a relayout
    and a repaint of both axes per move); now they hold during the drag, growing only to keep
    every curve in view, and the release fits them to the curves again."""
    model.set_sigmoid_losses(["focal"])
    model.set_sigmoid_loss_params(gamma=0.0)                 # focal = CE: the largest it gets
    qtbot.wait(10)
    vb = dock.plots[1].getPlotItem().getViewBox()             # the loss plot
    slider = dock.gamma_slider
    assert slider.value() == slider.minimum()
    handle = QPoint(4, slider.height() // 2)
    qtbot.mousePress(slider, Qt.LeftButton, pos=handle)
    qtbot.wait(5)
    held = vb.viewRange()[1]
    for k in range(1, 6):                                     # towards large γ: focal shrinks
        qtbot.mouseMove(slider, QPoint(handle.x() + k * (slider.width() - 8) // 5, handle.y()))
        qtbot.wait(5)                                         # painted (auto range applies)
        lo, hi = vb.viewRange()[1]
        assert (lo, hi) == pytest.approx(held)                # the axis holds
        assert hi >= float(np.nanmax(dock.loss_curves["focal"].getData()[1]))   # in view
    gamma = model.sigmoid_focal_gamma
    assert gamma > 2.0
    qtbot.mouseRelease(slider, Qt.LeftButton, pos=QPoint(slider.width() - 4, handle.y()))
    qtbot.wait(10)
    lo, hi = vb.viewRange()[1]
    top = float(np.nanmax(dock.loss_curves["focal"].getData()[1]))
    assert top <= hi < held[1] and vb.autoRangeEnabled()[1]   # fitted again, and auto


def _pixels(pixmap):
    image = pixmap.toImage().convertToFormat(pixmap.toImage().Format.Format_RGB32)
    return np.asarray(image.constBits()).reshape(image.height(), image.width(), 4).copy()


def _diff_centre(before, after):
    """Centre (x, y) in device pixels of where two grabs of a plot differ, or None."""
    ys, xs = np.nonzero(np.any(_pixels(before) != _pixels(after), axis=2))
    if ys.size == 0:
        return None
    return (xs.min() + xs.max()) / 2, (ys.min() + ys.max()) / 2


@pytest.mark.parametrize("log", [False, True])
def test_each_marker_dot_is_drawn_where_its_curve_crosses_the_marker(dock, model, qtbot, log):
    """The dots on the loss and gradient plots sit at (z, L(z)) and (z, ∂L/∂w(z)) -- on a log
    axis at log10 |∂L/∂w| -- for every loss of the family, by the formulas written here; each
    is drawn there (the plot's pixels differ around that point with the dot shown and hidden)."""
    model.set_sigmoid_losses(["mse", "ce", "focal", "hinge", "smoothed_ce"])
    model.set_sigmoid_input(x=2.0, y=1)
    model.set_sigmoid_log_scale(log)
    model.set_z_marker(-1.5)
    qtbot.wait(20)
    z, x = -1.5, 2.0
    a = expit(z)
    losses = {"mse": lambda v: 0.5 * (expit(v) - 1) ** 2, "ce": lambda v: -np.log(expit(v)),
              "focal": lambda v: focal(v, 1, 2.0), "hinge": lambda v: max(0.0, 1 - v),
              "smoothed_ce": lambda v: smoothed(v, 1, 0.1)}
    assert model.sigmoid_smoothing == pytest.approx(0.1)
    for loss, f in losses.items():
        dz, dy = dock.loss_dots[loss].data_pos()
        assert dz == z and dy == pytest.approx(f(z), rel=1e-9)
        g = x * central(f, z)
        expect = np.log10(abs(g)) if log else g
        gz, gy = dock.grad_dots[loss].data_pos()
        assert gz == z and gy == pytest.approx(expect, rel=1e-5, abs=1e-7)
    assert dock.act_dots["a"].data_pos() == (z, pytest.approx(a, rel=1e-12))
    for pw, dots, value in ((dock.loss_plot, dock.loss_dots, lambda d: d.data_pos()[1]),
                            (dock.grad_plot, dock.grad_dots, lambda d: d.data_pos()[1])):
        for loss in ("focal", "hinge"):
            dot = dots[loss]
            others = [d for d in dots.values() if d is not dot and d.isVisible()]
            for other in others:                  # close dots overlap: look at one alone
                other.hide()
            shown = pw.grab()
            dot.hide()
            hidden = pw.grab()
            dot.show()
            for other in others:
                other.show()
            centre = _diff_centre(hidden, shown)
            assert centre is not None, loss
            ratio = shown.devicePixelRatio()
            want = pw.mapFromScene(pw.plotItem.vb.mapViewToScene(QPointF(z, value(dot))))
            assert centre[0] / ratio == pytest.approx(want.x(), abs=1.5)
            assert centre[1] / ratio == pytest.approx(want.y(), abs=1.5)


def test_the_gradient_axis_keeps_its_ticks_while_gamma_is_dragged(dock, model, qtbot):
    """A γ move set the gradient plot's axis label again (the same text), and pyqtgraph then
    threw the axis's ticks away: every move regenerated and repainted them.  While the axes
    hold, the left axes of the loss and gradient plots keep their drawn pictures."""
    model.set_sigmoid_losses(["focal"])
    model.set_sigmoid_loss_params(gamma=0.0)
    qtbot.wait(10)
    axes = [pw.getPlotItem().getAxis("left") for pw in dock.plots[1:]]
    slider = dock.gamma_slider
    handle = QPoint(4, slider.height() // 2)
    qtbot.mousePress(slider, Qt.LeftButton, pos=handle)
    qtbot.mouseMove(slider, QPoint(handle.x() + 10, handle.y()))
    qtbot.wait(10)
    kept = 0
    for k in range(1, 5):
        before = [(axis.picture, axis.linkedView().viewRange()[1]) for axis in axes]
        assert all(picture is not None for picture, _ in before)
        qtbot.mouseMove(slider, QPoint(handle.x() + 10 + k * (slider.width() - 20) // 5,
                                       handle.y()))
        qtbot.wait(10)
        for axis, (picture, span) in zip(axes, before):
            if axis.linkedView().viewRange()[1] == span:     # (an axis may grow to keep a
                assert axis.picture is picture               # curve in view: new ticks)
                kept += 1
    assert kept >= 4
    assert model.sigmoid_focal_gamma > 2.0
    qtbot.mouseRelease(slider, Qt.LeftButton, pos=QPoint(slider.width() - 4, handle.y()))
