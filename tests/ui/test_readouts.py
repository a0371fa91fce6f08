"""Readout docks (issue 4): the numbers the user reads, checked against the seeds and scipy.

The docks are hosted in a bare QMainWindow, side by side (not tabbed), so every one is visible
and redraws on each change.  Assertions are on displayed texts (labels, table cells, formula
text) and on drawn items, with expected values from the seeds' worked examples and from
scipy / plain numpy written independently of explorer.core.
"""
import math

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget
from scipy.stats import entropy as sp_entropy

from explorer.model import app_model as m
from explorer.ui import theme
from explorer.ui.docks.breakdown_dock import KEYS, BreakdownDock
from explorer.ui.docks.curves_dock import CurvesDock
from explorer.ui.docks.formula_dock import FormulaDock
from explorer.ui.docks.readouts_dock import QUANTITIES, ReadoutsDock

PC = "PC power-on"
MASTIFF = "cat·dog·horse, a mastiff photo"
HORSE = "cat·dog·horse, a horse photo"
SUNRISE = "sunrise east/west"
OLAH = "Olah's Bob & Alice"


@pytest.fixture
def host(qtbot, model):
    win = QMainWindow()
    win.setCentralWidget(QWidget())
    win.centralWidget().setMaximumSize(0, 0)
    docks = {}
    for cls in (ReadoutsDock, BreakdownDock, FormulaDock, CurvesDock):
        dock = cls(model, win)
        docks[cls.OBJECT_NAME] = dock
    win.addDockWidget(Qt.LeftDockWidgetArea, docks["readoutsDock"])
    win.splitDockWidget(docks["readoutsDock"], docks["breakdownDock"], Qt.Horizontal)
    win.splitDockWidget(docks["readoutsDock"], docks["formulaDock"], Qt.Vertical)
    win.splitDockWidget(docks["breakdownDock"], docks["curvesDock"], Qt.Vertical)
    qtbot.addWidget(win)
    win.resize(1400, 1000)
    win.show()
    qtbot.waitExposed(win)
    qtbot.wait(20)
    win.docks = docks
    yield win
    for dock in docks.values():
        dock.disconnect_model()
    win.close()


def preset(model, name):
    model.apply_preset(name)


def values(host):
    dock = host.docks["readoutsDock"]
    return {k: dock.value_text(k) for k, _s, _d in QUANTITIES}


def cell(host, row, key):
    dock = host.docks["breakdownDock"]
    index = dock.table_model.index(row, KEYS.index(key))
    return dock.table_model.data(index, Qt.DisplayRole)


def column(host, key):
    return [cell(host, r, key) for r in range(host.docks["breakdownDock"].model.n)]


def kl_coloured_pixels(dock, key):
    """How many pixels of *key*'s number are drawn in the KL colour (the larger KL's frame)."""
    numbers = dock.numbers
    img = numbers.grab(numbers.value_rect(key)).toImage()
    kl = QColor(theme.current().kl)
    return sum(1 for y in range(img.height()) for x in range(img.width())
               if max(abs(img.pixelColor(x, y).red() - kl.red()),
                      abs(img.pixelColor(x, y).green() - kl.green()),
                      abs(img.pixelColor(x, y).blue() - kl.blue())) < 12)


def formula_plain(host, key):
    dock = host.docks["formulaDock"]
    return next(f.plain for f in dock.formulas if f.key == key)


# ---------------------------------------------------------------------------- seed presets
def test_pc_power_on_self_information(host, model):
    preset(model, PC)
    model.set_precision(3)
    # the seed's table: -log p(A) = 0.36, -log p(B) = 1.61, -log p(C) = 2.30 (natural log)
    assert column(host, "self_p") == ["0.357", "1.609", "2.303"]
    assert column(host, "self_p") == [f"{-math.log(x):.3f}" for x in (0.7, 0.2, 0.1)]
    assert column(host, "label") == ["boots", "won't boot", "explodes"]
    assert values(host)["entropy_p"] == f"{sp_entropy([0.7, 0.2, 0.1]):.3f} nats"
    # the self-information curve carries a marker at each p_i on -ln x
    x, y = host.docks["curvesDock"].p_markers.getData()
    np.testing.assert_allclose(sorted(zip(x, y)), sorted((v, -math.log(v)) for v in (0.7, 0.2, 0.1)))


def test_mastiff_cross_entropy(host, model):
    preset(model, MASTIFF)
    assert values(host)["cross_pq"] == "0.9163 nats"
    assert f"{-math.log(0.4):.4f}" == "0.9163"
    assert cell(host, 3, "cross") == "0.9163"                       # the Σ row
    assert column(host, "cross") == ["0.0000", "0.9163", "0.0000"]
    assert formula_plain(host, "cross_pq") == "H(p, q) = −(0·ln 0.4 + 1·ln 0.4 + 0·ln 0.2) = 0.9163 nats"
    assert "= 0.9163 nats" in host.docks["formulaDock"].view.toPlainText()


def test_horse_cross_entropy(host, model):
    preset(model, HORSE)
    assert values(host)["cross_pq"] == "0.2485 nats"
    assert f"{-math.log(0.78):.4f}" == "0.2485"
    assert formula_plain(host, "cross_pq") == "H(p, q) = −(0·ln 0.1 + 0·ln 0.12 + 1·ln 0.78) = 0.2485 nats"
    # the dominant term (largest part of H(p, q)) is the horse row, drawn bold
    dock = host.docks["breakdownDock"]
    assert dock.table_model.data(dock.table_model.index(2, 0), Qt.FontRole).bold()
    assert dock.table_model.data(dock.table_model.index(0, 0), Qt.FontRole) is None


def test_olah_bob_alice_in_bits(host, qtbot, model):
    preset(model, OLAH)
    combo = host.docks["readoutsDock"].unit_combo
    combo.setFocus()
    while combo.currentData() != "bits":       # keyboard: the user steps through the units
        qtbot.keyClick(combo, Qt.Key_Up if combo.currentIndex() > 0 else Qt.Key_Down)
    assert model.unit == "bits"
    p, q = [1 / 2, 1 / 4, 1 / 8, 1 / 8], [1 / 8, 1 / 2, 1 / 4, 1 / 8]
    shown = values(host)
    assert shown["entropy_p"] == "1.7500 bits"
    assert shown["cross_pq"] == "2.3750 bits"
    assert shown["cross_qp"] == "2.2500 bits"
    assert shown["kl_pq"] == "0.6250 bits"
    assert shown["kl_qp"] == "0.5000 bits"
    # the same numbers from scipy
    assert shown["cross_pq"] == f"{sp_entropy(p, base=2) + sp_entropy(p, q, base=2):.4f} bits"
    assert shown["kl_qp"] == f"{sp_entropy(q, p, base=2):.4f} bits"
    m_ = (np.array(p) + q) / 2
    js = 0.5 * sp_entropy(p, m_, base=2) + 0.5 * sp_entropy(q, m_, base=2)
    assert shown["js"] == f"{js:.4f} bits"
    # KL asymmetry: both directions shown, the larger one marked
    dock = host.docks["readoutsDock"]
    assert dock.kl_larger == "kl_pq"
    assert "D_KL(p ‖ q) > D_KL(q ‖ p)" in dock.numbers.relation
    assert dock.numbers.marked == "kl_pq"
    width = dock.numbers.value_rect("kl_pq").width()
    assert kl_coloured_pixels(dock, "kl_pq") > 2 * width           # the frame is drawn...
    assert kl_coloured_pixels(dock, "kl_qp") == 0                  # ...around the larger one only
    # the breakdown's KL column sums to D_KL and has a negative term where q_i > p_i
    kl_terms = column(host, "kl")
    assert kl_terms[1] == f"{0.25 * math.log2(0.25 / 0.5):.4f}".replace("-", "−")
    assert cell(host, 4, "kl") == "0.6250"


def test_sunrise_entropy_zero(host, model):
    preset(model, SUNRISE)
    assert values(host)["entropy_p"] == "0.0000 nats"
    note = host.docks["readoutsDock"].note.text()
    assert "0·log 0 = 0" in note and "“west”" in note
    assert "0·log 0 = 0" in host.docks["breakdownDock"].note.text()
    # N = 2: the binary entropy curve, peaking at x = ½ with ln 2, p marked at (1, 0)
    curves = host.docks["curvesDock"]
    assert curves.hb_curve.isVisible() and not curves.entropy_bars.isVisible()
    x, y = curves.hb_curve.getData()
    assert x[np.argmax(y)] == pytest.approx(0.5)
    assert y.max() == pytest.approx(sp_entropy([0.5, 0.5]))
    mx, my = curves.hb_markers.getData()
    assert (mx[0], my[0]) == (1.0, 0.0)
    assert my[1] == pytest.approx(math.log(2))            # q = (½, ½)


# ---------------------------------------------------------------------------- log 0 and eps
def test_zero_q_gives_infinity_and_names_the_category(host, model):
    model.set_distributions([0.5, 0.5, 0.0], [0.5, 0.0, 0.5], ["cat", "dog", "horse"])
    shown = values(host)
    assert shown["cross_pq"].startswith("∞") and shown["kl_pq"].startswith("∞")
    assert shown["cross_qp"].startswith("∞")             # p_3 = 0 < q_3: the reverse direction
    assert shown["entropy_p"] == f"{sp_entropy([0.5, 0.5]):.4f} nats"
    note = host.docks["readoutsDock"].note.text()
    assert "“dog”" in note and "impossible" in note
    assert column(host, "cross")[1] == "∞" and column(host, "self_q")[1] == "∞"
    dock = host.docks["breakdownDock"]
    assert dock.table_model.data(dock.table_model.index(1, 4), Qt.BackgroundRole) is dock.table_model.impossible_brush
    # the chart draws the three infinite terms of "dog" as tall bars marked ∞, inside the view
    shown = [t for t in dock.inf_texts if t.isVisible()]
    assert len(shown) == 3 and all(t.toPlainText() == "∞" for t in shown)
    top = dock.plot.getPlotItem().getViewBox().viewRange()[1][1]
    assert all(0.5 < t.pos().x() < 1.5 and t.pos().y() < top for t in shown)
    readouts = host.docks["readoutsDock"]
    assert readouts.identity_plot.infinite
    assert "−∞" not in formula_plain(host, "cross_pq")
    assert formula_plain(host, "cross_pq").endswith("= ∞ nats")


def test_eps_clipping_shows_clipped_value(host, qtbot, model):
    model.set_distributions([0.5, 0.5, 0.0], [0.5, 0.0, 0.5], ["cat", "dog", "horse"])
    dock = host.docks["readoutsDock"]
    assert not dock.eps_check.isChecked() and dock.eps_edit.text() == "1e-15"
    qtbot.mouseClick(dock.eps_check, Qt.LeftButton, pos=QPoint(6, dock.eps_check.height() // 2))
    assert model.eps_enabled and model.eps == 1e-15
    expected = -(0.5 * math.log(0.5) + 0.5 * math.log(1e-15))      # sklearn-style clip of q
    assert values(host)["cross_pq"] == f"{expected:.4f} nats (clipped)"
    assert values(host)["kl_pq"] == f"{expected - sp_entropy([0.5, 0.5]):.4f} nats (clipped)"
    assert values(host)["entropy_p"] == f"{sp_entropy([0.5, 0.5]):.4f} nats"   # never clipped
    assert column(host, "cross")[1] == f"{-0.5 * math.log(1e-15):.4f}*"
    assert "clipped" in formula_plain(host, "cross_pq") and "1e−15" in formula_plain(host, "cross_pq")
    # a new eps typed by the user
    dock.eps_edit.selectAll()
    qtbot.keyClicks(dock.eps_edit, "1e-6")
    qtbot.keyClick(dock.eps_edit, Qt.Key_Return)
    assert model.eps == 1e-6
    expected = -(0.5 * math.log(0.5) + 0.5 * math.log(1e-6))
    assert values(host)["cross_pq"] == f"{expected:.4f} nats (clipped)"
    # bad input: a visible message, nothing changed
    before = model.to_dict()
    for bad in ("abc", "0.7", "-1"):
        dock.eps_edit.selectAll()
        qtbot.keyClicks(dock.eps_edit, bad)
        qtbot.keyClick(dock.eps_edit, Qt.Key_Return)
        assert dock.eps_error.isVisibleTo(dock) and bad in dock.eps_error.text()
        assert model.to_dict() == before
    # turning clipping off brings ∞ back
    qtbot.mouseClick(dock.eps_check, Qt.LeftButton, pos=QPoint(6, dock.eps_check.height() // 2))
    assert not model.eps_enabled and values(host)["cross_pq"] == "∞ nats"


# ---------------------------------------------------------------------------- units, precision
@pytest.mark.parametrize("unit, log, base", [("bits", "log₂", 2), ("nats", "ln", math.e),
                                             ("bans", "log₁₀", 10)])
def test_unit_switching(host, model, unit, log, base):
    preset(model, MASTIFF)
    model.set_unit(unit)
    ce = -math.log(0.4, base)
    assert values(host)["cross_pq"] == f"{ce:.4f} {unit}"
    assert host.docks["readoutsDock"].unit_combo.currentData() == unit
    dock = host.docks["breakdownDock"]
    assert dock.table_model.headerData(KEYS.index("self_q"), Qt.Horizontal) == f"−{log} qᵢ"
    assert column(host, "self_q")[1] == f"{ce:.4f}"
    assert f"1·{log} 0.4" in formula_plain(host, "cross_pq")
    assert formula_plain(host, "cross_pq").endswith(f"= {ce:.4f} {unit}")


def test_precision_spin_box(host, qtbot, model):
    spin = host.docks["readoutsDock"].precision_spin
    spin.setFocus()
    qtbot.keyClick(spin, Qt.Key_Up)
    assert model.precision == 5
    assert values(host)["cross_pq"] == f"{-math.log(0.4):.5f} nats"
    assert column(host, "q")[0] == "0.40000"


# ---------------------------------------------------------------------------- identity bar
def test_identity_bar_moves_with_p(host, model):
    dock = host.docks["readoutsDock"]
    p, q = np.array([0.6, 0.3, 0.1]), np.array([0.2, 0.5, 0.3])
    model.set_distributions(p, q)
    h, kl = sp_entropy(p), sp_entropy(p, q)
    spans = dock.identity_plot.spans()
    assert spans["cross"] == pytest.approx((0, h + kl))
    assert spans["h"] == pytest.approx((0, h))
    assert spans["kl"] == pytest.approx((h, kl))
    assert spans["floor"][0] == pytest.approx(h)
    assert "p ≠ q" in dock.identity_lines.paragraphs()[1]
    model.set_q(p)
    assert dock.identity_plot.spans()["kl"][1] == 0
    assert "p = q" in dock.identity_lines.paragraphs()[1]
    assert dock.kl_larger is None


def test_drag_moves_redraw_in_place(host, qtbot, model):
    """Mid-drag the numbers, texts and the KL mark change without a layout pass: no widget of
    the dock moves or resizes (each would repaint, with everything the layout touched)."""
    dock = host.docks["readoutsDock"]
    q = [0.1, 0.6, 0.3]
    model.set_distributions([0.2, 0.4, 0.4], q)
    qtbot.wait(20)
    assert dock.kl_larger == "kl_pq"
    seen = []

    class Spy(QObject):
        def eventFilter(self, obj, event):
            if (event.type() in (QEvent.Move, QEvent.Resize, QEvent.LayoutRequest)
                    and obj.isWidgetType() and dock.isAncestorOf(obj)
                    and (event.type() != QEvent.LayoutRequest or obj.layout() is not None)):
                seen.append((event.type().name, obj.objectName() or type(obj).__name__))
            return False

    spy = Spy()
    QApplication.instance().installEventFilter(spy)
    try:
        # D_KL(q ‖ p) is the larger one, then D_KL(p ‖ q) again: the mark flips twice
        for p, larger in (([0.02, 0.49, 0.49], "kl_qp"), ([0.2, 0.4, 0.4], "kl_pq"),
                          ([0.02, 0.49, 0.49], "kl_qp")):
            model.set_p(p, finished=False)
            qtbot.wait(5)
            assert values(host)["kl_pq"] == f"{sp_entropy(p, q):.4f} nats"
            assert f"= {sp_entropy(p, q):.4f} nats" in dock.identity_lines.paragraphs()[1]
            assert dock.kl_larger == larger and dock.numbers.marked == larger
    finally:
        QApplication.instance().removeEventFilter(spy)
    assert seen == []
    assert kl_coloured_pixels(dock, "kl_qp") > 0
    assert kl_coloured_pixels(dock, "kl_pq") == 0


def test_numbers_copy_by_menu_and_keyboard_with_tooltips(host, qtbot, model):
    """The numbers are painted: right-click copies one or all, Ctrl+C (focus) copies all, the
    tooltip names the quantity under the pointer, and a screen reader gets every line."""
    preset(model, MASTIFF)
    dock = host.docks["readoutsDock"]
    numbers = dock.numbers
    rect = numbers.value_rect("cross_pq")
    menu = numbers.context_menu(rect.center())
    texts = [a.text() for a in menu.actions()]
    assert texts == ["Copy “H(p, q) = 0.9163 nats”", "Copy all readouts"]
    menu.actions()[0].trigger()
    assert QApplication.clipboard().text() == "H(p, q) = 0.9163 nats"
    assert "Copied: H(p, q) = 0.9163 nats" in host.statusBar().currentMessage()
    # away from any number: the right half of the JS row (JS has no second direction)
    js = numbers.value_rect("js")
    away_point = QPoint(numbers.width() - 3, js.center().y())
    assert numbers.key_at(away_point) is None
    away = numbers.context_menu(away_point)
    assert [a.text() for a in away.actions()] == ["Copy all readouts"]
    numbers.setFocus()
    qtbot.waitUntil(numbers.hasFocus)
    qtbot.keyClick(numbers, Qt.Key_C, Qt.ControlModifier)
    copied = QApplication.clipboard().text().splitlines()
    assert copied[0] == "H(p) = 0.0000 nats" and "H(p, q) = 0.9163 nats" in copied
    assert "D_KL(p ‖ q) = 0.9163 nats" in copied and copied[-1] == numbers.relation
    assert numbers.accessibleDescription().splitlines() == copied
    qtbot.mouseMove(numbers, rect.center())
    qtbot.waitUntil(lambda: numbers.toolTip().startswith("cross-entropy of q relative to p"))
    # the comparison line under the KL row
    below_kl = QPoint(numbers.width() - 3, numbers.value_rect("kl_pq").bottom() + 4)
    assert numbers.key_at(below_kl) is None
    qtbot.mouseMove(numbers, below_kl)
    qtbot.waitUntil(lambda: numbers.toolTip().startswith("KL divergence is not symmetric"))


def test_wrapped_texts_fit_when_the_dock_narrows(host, qtbot, model):
    """Texts that wrap get the height their lines need, at every width, also mid-drag."""
    dock = host.docks["readoutsDock"]
    model.set_precision(12)
    lines = dock.identity_lines

    def fitted():
        return all(w.height() == w.heightForWidth(w.width())
                   for w in (dock.note, dock.numbers, lines))

    qtbot.waitUntil(fitted)             # the longer texts laid out at the starting width
    wide = lines.height()
    host.resizeDocks([dock], [260], Qt.Horizontal)
    qtbot.waitUntil(lambda: fitted() and lines.height() > wide)          # more lines
    model.set_p([0.25, 0.25, 0.5], finished=False)
    qtbot.waitUntil(fitted)
    host.resizeDocks([dock], [900], Qt.Horizontal)
    qtbot.waitUntil(lambda: fitted() and lines.height() == wide)
    # every line of text is inside the widget: the last one ends above its bottom edge
    from PySide6.QtGui import QFontMetrics
    fm = QFontMetrics(lines.font())
    need = sum(fm.boundingRect(0, 0, lines.width(), 10000, int(Qt.TextWordWrap), t).height()
               for t in lines.paragraphs())
    assert lines.height() >= need


# ---------------------------------------------------------------------------- drag, hover
@pytest.fixture
def with_editors(qtbot, model):
    """Both editors beside the readouts and the breakdown, all on screen."""
    from explorer.ui.docks.editor_dock import PEditorDock, QEditorDock

    win = QMainWindow()
    win.setCentralWidget(QWidget())
    win.centralWidget().setMaximumSize(0, 0)
    win.docks = {cls.OBJECT_NAME: cls(model, win)
                 for cls in (PEditorDock, QEditorDock, ReadoutsDock, BreakdownDock)}
    d = win.docks
    win.addDockWidget(Qt.LeftDockWidgetArea, d["pEditorDock"])
    win.splitDockWidget(d["pEditorDock"], d["readoutsDock"], Qt.Horizontal)
    win.splitDockWidget(d["pEditorDock"], d["qEditorDock"], Qt.Vertical)
    win.splitDockWidget(d["readoutsDock"], d["breakdownDock"], Qt.Vertical)
    qtbot.addWidget(win)
    win.resize(1300, 1000)
    win.show()
    qtbot.waitExposed(win)
    qtbot.wait(20)
    yield win
    for dk in d.values():
        dk.disconnect_model()
    win.close()


def _to_widget(pw, x, y):
    return pw.map_to_widget(x, y).toPoint()


def test_a_drag_updates_the_breakdown_while_in_progress(with_editors, qtbot, model):
    model.set_p([0.7, 0.2, 0.1])
    pw = with_editors.docks["pEditorDock"].plot
    finished = []
    model.sigChangeFinished.connect(lambda c: c.touches(m.DISTRIBUTIONS) and finished.append(c))
    start = _to_widget(pw, 0, 0.7)
    qtbot.mousePress(pw.viewport(), Qt.LeftButton, pos=start)
    heights = []
    for y in (0.55, 0.4, 0.3):                       # first move is well over 5 px
        qtbot.mouseMove(pw.viewport(), pos=_to_widget(pw, 0, y))
        p = model.p.copy()
        assert p[0] == pytest.approx(y, abs=0.01)
        # the table, the bars and the identity picture show the p of this very moment
        assert column(with_editors, "p")[0] == f"{p[0]:.4f}"
        assert column(with_editors, "entropy") == [f"{-x * math.log(x):.4f}" for x in p]
        assert cell(with_editors, 3, "entropy") == f"{sp_entropy(p):.4f}"
        assert values(with_editors)["cross_pq"] == f"{-(p @ np.log(model.q)):.4f} nats"
        bd = with_editors.docks["breakdownDock"]
        np.testing.assert_allclose(bd.series["p"].opts["height"], p)
        heights.append(with_editors.docks["readoutsDock"].identity_plot.spans()["h"][1])
        assert heights[-1] == pytest.approx(sp_entropy(p))
    assert finished == []                              # still dragging
    assert len(set(heights)) == 3                      # the picture moved on every step
    qtbot.mouseRelease(pw.viewport(), Qt.LeftButton, pos=_to_widget(pw, 0, 0.3))
    assert len(finished) == 1


def test_hover_row_highlights_bar_in_both_editors(with_editors, qtbot, model):
    bd = with_editors.docks["breakdownDock"]
    rect = bd.table.visualRect(bd.table_model.index(1, 2))
    qtbot.mouseMove(bd.table.viewport(), rect.center())
    qtbot.wait(10)
    assert model.highlight == 1
    assert with_editors.docks["pEditorDock"].plot.highlight == 1
    assert with_editors.docks["qEditorDock"].plot.highlight == 1


def test_impossible_category_named_and_marked_in_q_editor(with_editors, model):
    model.set_distributions([0.2, 0.3, 0.5], [0.5, 0.5, 0.0], ["cat", "dog", "horse"])
    assert "“horse”" in with_editors.docks["readoutsDock"].note.text()
    assert with_editors.docks["qEditorDock"].plot.impossible == (2,)
    assert values(with_editors)["cross_pq"] == "∞ nats"


def test_hovering_a_row_highlights_the_category(host, qtbot, model):
    dock = host.docks["breakdownDock"]
    table = dock.table
    rect = table.visualRect(dock.table_model.index(2, 1))
    qtbot.mouseMove(table.viewport(), rect.center())
    qtbot.wait(10)
    assert model.highlight == 2
    assert dock.table_model.data(dock.table_model.index(2, 3), Qt.BackgroundRole) is dock.table_model.highlight_brush
    assert dock.highlight_band.isVisible() and dock.highlight_band.opts["x"][0] == 2
    # the curves enlarge the hovered category's markers
    sizes = host.docks["curvesDock"].q_markers.data["size"]
    assert sizes[2] > sizes[0]
    rect = table.visualRect(dock.table_model.index(0, 1))
    qtbot.mouseMove(table.viewport(), rect.center())
    qtbot.wait(10)
    assert model.highlight == 0
    # the Σ row is no category
    rect = table.visualRect(dock.table_model.index(3, 1))
    qtbot.mouseMove(table.viewport(), rect.center())
    qtbot.wait(10)
    assert model.highlight is None


def test_hovering_the_bar_chart_highlights_the_category(host, qtbot, model):
    dock = host.docks["breakdownDock"]
    pw = dock.plot
    vb = pw.getPlotItem().getViewBox()
    for i in (1, 2, 0):
        pos = pw.mapFromScene(vb.mapViewToScene(QPointF(i + 0.1, 0.3)))
        qtbot.mouseMove(pw.viewport(), pos)
        qtbot.wait(10)
        assert model.highlight == i


def test_model_highlight_shows_in_table(host, model):
    model.set_highlight(1)
    dock = host.docks["breakdownDock"]
    assert dock.table_model.data(dock.table_model.index(1, 0), Qt.BackgroundRole) is dock.table_model.highlight_brush
    model.set_highlight(None)
    assert not dock.highlight_band.isVisible()


# ---------------------------------------------------------------------------- formulas, copy
def test_copy_as_text_and_latex(host, qtbot, model):
    preset(model, MASTIFF)
    dock = host.docks["formulaDock"]
    qtbot.mouseClick(dock.copy_text_button, Qt.LeftButton)
    text = QApplication.clipboard().text()
    assert "H(p, q) = −(0·ln 0.4 + 1·ln 0.4 + 0·ln 0.2) = 0.9163 nats" in text.splitlines()
    assert "H(p, q) = H(p) + D_KL(p ‖ q): 0.9163 = 0.0000 + 0.9163 nats" in text.splitlines()
    # seven quantities, the identity, and the two perplexities (issue 17)
    assert len(text.splitlines()) == 10
    assert "PP(p, q) = e^H(p, q) = e^0.9163 = 2.50" in text.splitlines()
    qtbot.mouseClick(dock.copy_latex_button, Qt.LeftButton)
    latex = QApplication.clipboard().text()
    assert (r"\[ H(p, q) = -\left(0 \cdot \ln 0.4 + 1 \cdot \ln 0.4 + 0 \cdot \ln 0.2\right)"
            r" = 0.9163\ \text{nats} \]") in latex.splitlines()
    assert r"D_{\mathrm{KL}}(q \,\|\, p)" in latex and r"\infty" in latex
    assert "LaTeX" in dock.status.text()


def test_long_sums_elided_on_screen_complete_in_copy(host, model):
    rng = np.random.default_rng(3)
    p, q = rng.dirichlet(np.ones(50)), rng.dirichlet(np.ones(50))
    model.set_distributions(p, q)
    dock = host.docks["formulaDock"]
    assert "…" in formula_plain(host, "cross_pq")
    full = dock.full_text("plain").splitlines()[2]
    assert full.count("·ln") == 50
    assert full.endswith(f"= {sp_entropy(p) + sp_entropy(p, q):.4f} nats")
    # the table has 50 rows and a Σ row equal to scipy's numbers
    assert host.docks["breakdownDock"].table_model.rowCount() == 51
    assert cell(host, 50, "entropy") == f"{sp_entropy(p):.4f}"
    assert cell(host, 50, "kl") == f"{sp_entropy(p, q):.4f}"


def test_curves_entropy_against_log_n(host, model):
    model.set_distributions([0.5, 0.25, 0.125, 0.125], [0.25] * 4)
    curves = host.docks["curvesDock"]
    assert curves.entropy_bars.isVisible() and not curves.hb_curve.isVisible()
    np.testing.assert_allclose(curves.entropy_bars.opts["height"],
                               [sp_entropy([0.5, 0.25, 0.125, 0.125]), math.log(4)])
    assert curves.max_line.value() == pytest.approx(math.log(4))
    assert "1.3863" in curves.max_label.textItem.toPlainText()


def test_labels_are_escaped_in_rich_text(host, model):
    model.set_distributions([0.5, 0.5], [1.0, 0.0], ["<b>x</b>", "y & z"])
    note = host.docks["readoutsDock"].note.text()
    assert "“y &amp; z”" in note


def test_readouts_retranslate(host, model):
    from explorer import i18n
    dock = host.docks["breakdownDock"]
    i18n._catalog["Per category"] = "XX"
    try:
        i18n.notifier.languageChanged.emit("xx")
        assert dock.windowTitle() == "XX"
    finally:
        i18n._catalog.pop("Per category")
        i18n.notifier.languageChanged.emit("en")
    assert dock.windowTitle() == "Per category"


# ---------------------------------------------------------------------------- in the main window
def test_readout_tabs_in_main_window_catch_up_when_raised(window, qtbot, model):
    docks = window.docks
    tabs = {d.objectName() for d in window.tabifiedDockWidgets(docks["readoutsDock"])}
    assert {"breakdownDock", "formulaDock", "curvesDock"} <= tabs
    assert not docks["readoutsDock"].visibleRegion().isEmpty()        # the numbers are in front
    breakdown = docks["breakdownDock"]
    assert breakdown.visibleRegion().isEmpty()
    before = np.array(breakdown.series["p"].opts["height"], dtype=float)
    model.set_p([0.2, 0.3, 0.5], finished=False)
    # a tab behind the readouts does not redraw on every drag move...
    np.testing.assert_array_equal(breakdown.series["p"].opts["height"], before)
    assert docks["readoutsDock"].value_text("entropy_p") == \
        f"{sp_entropy([0.2, 0.3, 0.5]):.4f} nats"
    # ...and catches up as soon as its tab is selected
    breakdown.raise_()
    qtbot.waitUntil(lambda: not breakdown.visibleRegion().isEmpty())
    np.testing.assert_allclose(breakdown.series["p"].opts["height"], [0.2, 0.3, 0.5])
    assert breakdown.width() > 400 and breakdown.height() > 300


def test_scales_hold_during_a_drag_and_fit_when_it_ends(host, model):
    """During a drag the chart scales only grow (the bars move against a fixed axis); the
    finished edit fits them to the values again."""
    bd, rd = host.docks["breakdownDock"], host.docks["readoutsDock"]
    vb = bd.plot.getPlotItem().getViewBox()
    model.set_distributions([0.98, 0.01, 0.01], [0.01, 0.98, 0.01])      # big surprises
    top_big = vb.viewRange()[1][1]
    x_big = rd.identity_plot.x_range[1]
    model.set_q([0.9, 0.05, 0.05], finished=False)                         # small ones, mid-drag
    assert vb.viewRange()[1][1] == pytest.approx(top_big)
    assert rd.identity_plot.x_range[1] == pytest.approx(x_big)
    model.finish_edit()
    terms = [-math.log(0.9), -0.98 * math.log(0.9), 0.98 * math.log(0.98 / 0.9), -math.log(0.05)]
    big = [-math.log(0.01), -0.98 * math.log(0.01), 0.98 * math.log(0.98 / 0.01)]
    top_small = vb.viewRange()[1][1]
    assert top_small < top_big
    # the same room above the tallest bar as before the drag (the plot kept its size)
    assert top_small / max(terms) == pytest.approx(top_big / max(big), rel=1e-9)
    assert top_small > max(terms) * 1.12
    assert rd.identity_plot.x_range[1] < x_big


def test_keyboard_moves_through_rows_and_copies(host, qtbot, model):
    table = host.docks["breakdownDock"].table
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    table.setCurrentIndex(table.model().index(0, 1))
    assert model.highlight == 0
    qtbot.keyClick(table, Qt.Key_Down)
    assert model.highlight == 1
    qtbot.keyClick(table, Qt.Key_Right, Qt.ShiftModifier)          # select q and p of dog
    qtbot.keyClick(table, Qt.Key_C, Qt.ControlModifier)
    assert QApplication.clipboard().text() == "pᵢ\tqᵢ\n1.0000\t0.4000"


def test_identity_lines_copy_and_describe(host, qtbot, model):
    preset(model, MASTIFF)
    dock = host.docks["readoutsDock"]
    lines = dock.identity_lines
    assert lines.paragraphs()[0] == "H(p, q) = H(p) + D_KL(p ‖ q): 0.9163 = 0.0000 + 0.9163 nats"
    menu = lines.context_menu()
    assert [a.text() for a in menu.actions()] == ["Copy these lines"]
    menu.actions()[0].trigger()
    assert QApplication.clipboard().text() == "\n".join(lines.paragraphs())
    assert lines.accessibleDescription() == "\n".join(lines.paragraphs())
    assert dock.identity_plot.accessibleDescription() == lines.paragraphs()[0]
    assert dock.identity_plot.accessibleName().startswith("Identity")
    # drawn: text pixels in the widget, in the window's text colour
    img = lines.grab().toImage()
    fg = lines.palette().windowText().color()
    dark = sum(1 for y in range(0, img.height(), 2) for x in range(0, img.width(), 2)
               if abs(QColor(img.pixel(x, y)).lightness() - fg.lightness()) < 60)
    assert dark > 50


@pytest.mark.parametrize("unit", ["bits", "nats", "bans"])
def test_perplexity_readouts_are_the_same_in_every_unit(host, model, qtbot, unit):
    """Issue 17: exp(H(p)) and exp(H(p, q)) in the readouts, unit-free."""
    preset(model, OLAH)
    dock = host.docks["readoutsDock"]
    combo = dock.unit_combo
    combo.setFocus()
    combo.setCurrentIndex(combo.findData(unit))
    assert model.unit == unit
    p, q = [1 / 2, 1 / 4, 1 / 8, 1 / 8], [1 / 8, 1 / 2, 1 / 4, 1 / 8]
    assert dock.value_text("perplexity_p") == f"{2 ** sp_entropy(p, base=2):.2f} faces"
    pq = math.exp(sp_entropy(p) + sp_entropy(p, q))
    assert dock.value_text("perplexity_pq") == f"{pq:.2f} faces"


@pytest.mark.parametrize("height", [300, 420, 700])
def test_breakdown_bars_stay_clear_of_the_legend_in_a_short_dock(qtbot, model, height):
    """The value axis left a fixed 45 % above the tallest bar for the legend: in a short plot
    (or at scale 2) the legend's two rows covered horse's −log q bar."""
    from explorer.ui.docks.breakdown_dock import BreakdownDock
    from tests.ui.helpers import show_dock
    model.set_p([0.0, 1.0, 0.0])
    model.set_q([0.4, 0.4, 0.2])
    for dock in show_dock(qtbot, BreakdownDock, model, (640, height)):
        qtbot.wait(50)
        vb = dock.plot.getPlotItem().getViewBox()
        legend_bottom = dock.legend.mapRectToScene(dock.legend.boundingRect()).bottom()
        for item in dock.series.values():
            xs, heights = item.opts["x"], item.opts["height"]
            for x, h in zip(np.atleast_1d(xs), np.atleast_1d(heights)):
                if np.isfinite(h) and h > 0:
                    top = vb.mapViewToScene(QPointF(float(x), float(h))).y()
                    assert top > legend_bottom, (height, x, h)     # scene y grows downwards


@pytest.mark.parametrize("size", [(420, 300), (640, 520)])
def test_self_information_markers_are_whole_at_the_edges(qtbot, model, size):
    """p = 1 puts its marker in the corner (x = 1, I = 0) and p = 0 an ∞ triangle at the top:
    half of each was cut off by the plot's edge."""
    from explorer.ui.docks.curves_dock import CurvesDock
    from tests.ui.helpers import show_dock
    model.set_p([0.0, 1.0, 0.0])
    for dock in show_dock(qtbot, CurvesDock, model, size):
        qtbot.wait(50)
        vb = dock.info_plot.getPlotItem().getViewBox()
        view = vb.sceneBoundingRect()
        for item in (dock.p_markers, dock.q_markers, dock.inf_markers):
            xs, ys = item.getData()
            for x, y, s in zip(xs, ys, np.atleast_1d(item.data["size"])):
                c = vb.mapViewToScene(QPointF(float(x), float(y)))
                r = float(s) / 2
                assert view.left() <= c.x() - r and c.x() + r <= view.right(), (size, x, y)
                assert view.top() <= c.y() - r and c.y() + r <= view.bottom(), (size, x, y)
