"""The identity picture H(p, q) = H(p) + D_KL(p ‖ q): drawn where its numbers say."""
import math

import pytest
from PySide6.QtGui import QColor

from explorer.ui.widgets.identity_bars import BOTTOM_Y, TOP_Y, IdentityBars

CE, P, KL = "#009E73", "#0072B2", "#CC79A7"


@pytest.fixture
def bars(qtbot):
    w = IdentityBars()
    w.set_colors("#202020", P, CE, KL, "#C0392B", background="#FFFFFF")
    qtbot.addWidget(w)
    w.resize(400, 120)
    w.show()
    qtbot.waitExposed(w)
    return w


def _colour_at(w, x, y):
    img = w.grab().toImage()
    pt = w.map_to_widget(x, y)
    c = QColor(img.pixel(int(pt.x()), int(pt.y())))
    return c.red(), c.green(), c.blue()


def _near(rgb, hex_colour):
    """*rgb* is closest to *hex_colour* among the three bar colours and white."""
    def dist(h):
        c = QColor(h)
        return sum(abs(a - b) for a, b in zip(rgb, (c.red(), c.green(), c.blue())))
    return min((CE, P, KL, "#FFFFFF"), key=dist) == hex_colour


def test_bars_are_drawn_where_the_numbers_put_them(bars):
    h, kl = 0.8, 0.5
    bars.set_values(h, kl, h + kl, 1.5)
    assert bars.spans()["kl"] == pytest.approx((h, kl))
    assert _near(_colour_at(bars, 0.4, TOP_Y), CE)          # H(p, q) on top
    assert _near(_colour_at(bars, 0.4, BOTTOM_Y), P)        # H(p) first below it
    assert _near(_colour_at(bars, 1.1, BOTTOM_Y), KL)       # then D_KL
    assert _colour_at(bars, 1.4, TOP_Y) == (255, 255, 255)  # both end at H(p, q) = 1.3
    assert _colour_at(bars, 1.4, BOTTOM_Y) == (255, 255, 255)


def test_infinite_runs_to_the_edge_and_is_marked(bars):
    bars.set_values(0.5, math.inf, math.inf, 2.0)
    assert bars.infinite
    assert bars.spans()["cross"] == (0.0, 2.0) and bars.spans()["kl"] == (0.5, 1.5)
    img = bars.grab().toImage()
    warm = [QColor(img.pixel(x, y)) for x in range(bars.width() - 40, bars.width())
            for y in range(bars.height())]
    assert any(c.red() > 150 and c.green() < 110 and c.blue() < 110 for c in warm)  # red ∞
    with pytest.raises(ValueError, match="x_max"):
        bars.set_values(0.5, 0.1, 0.6, math.nan)
    assert bars.x_range == (0.0, 2.0)                       # refused: nothing changed


def test_rows_are_not_selectable_or_draggable(bars, qtbot):
    from PySide6.QtCore import Qt
    bars.set_values(0.8, 0.5, 1.3, 1.5)
    seen = []
    bars.sigDragged.connect(lambda *a: seen.append(a))
    pos = bars.map_to_widget(0.4, TOP_Y).toPoint()
    qtbot.mouseClick(bars, Qt.LeftButton, pos=pos)
    qtbot.mousePress(bars, Qt.LeftButton, pos=pos)
    qtbot.mouseMove(bars, pos=pos + pos.__class__(30, 0))
    qtbot.mouseRelease(bars, Qt.LeftButton, pos=pos + pos.__class__(30, 0))
    assert bars.selected is None and seen == [] and bars.spans()["cross"] == (0.0, 1.3)
