"""The identity picture of the readouts dock: H(p, q) over H(p) + D_KL(p ‖ q).

A :class:`~explorer.ui.widgets.bar_chart.BarChart` lying down, with two rows on a shared value
axis: the top one is H(p, q); the bottom one is H(p) with D_KL(p ‖ q) stacked after it, so both
always end at the same place.  A dashed line marks H(p), the least H(p, q) can be.  An infinite
value runs to the right edge, where an arrow and "∞" mark it (the chart's off-scale bar).
"""
from __future__ import annotations

import math

from PySide6.QtCore import QSize, Qt

from explorer.ui.widgets.bar_chart import BarChart

#: the rows of the two bars (data y of a horizontal chart: the first row is on top)
TOP_Y, BOTTOM_Y = 0.0, 1.0


class IdentityBars(BarChart):
    """Draws H(p, q) = H(p) + D_KL(p ‖ q) as two bars (values in the current unit)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSizePolicy(self.sizePolicy().horizontalPolicy(),
                           self.sizePolicy().Policy.Preferred)
        self.set_horizontal(True)
        self.editable = False
        self.selectable = False
        self.setFocusPolicy(Qt.NoFocus)             # nothing to do with keys here
        self.show_grid = False
        self._values = (math.nan, math.nan, math.nan)
        self.set_category_labels(("H(p, q)", "H(p) + D_KL"))
        self.set_colors("#202020", "#0072B2", "#009E73", "#CC79A7", "#C0392B")
        self.set_values(0.0, 0.0, 0.0, 1.0)

    # ------------------------------------------------------------------ appearance
    def set_colors(self, foreground: str, p: str, ce: str, kl: str, warning: str,
                   background: str | None = None) -> None:
        """Text and axes, H(p), H(p, q) and D_KL colours, and the warning colour of ∞."""
        if background is not None:
            self.set_background(background, 0.0)
        super().set_colors(ce, foreground, foreground, warning, foreground)
        self.set_bar_colors([ce, p])
        self.set_stack_color(kl)

    def set_names(self, top: str, bottom: str) -> None:
        """The names of the two bars on the left axis."""
        self.set_category_labels((top, bottom))

    # ------------------------------------------------------------------ data
    def set_values(self, h: float, kl: float, ce: float, x_max: float) -> None:
        """H(p), D_KL(p ‖ q), H(p, q) (any may be inf except H(p)) on an axis from 0 to x_max."""
        if not (math.isfinite(x_max) and x_max > 0):
            raise ValueError(f"x_max must be finite and positive, got {x_max}")
        h, kl, ce = float(h), float(kl), float(ce)
        if (h, kl, ce) == self._values and self.value_axis == (0.0, float(x_max)):
            return                                  # e.g. q moved where p is 0: same numbers
        self.set_value_axis(0.0, float(x_max))
        self._values = (h, kl, ce)
        self.set_data([ce, h], ["∞" if math.isinf(ce) else "", "∞" if math.isinf(kl) else ""],
                      stack=[0.0, kl])
        self.set_reference(h)

    @property
    def infinite(self) -> bool:
        """True when H(p, q) or D_KL(p ‖ q) is infinite (the bars run to the edge, marked ∞)."""
        _h, kl, ce = self._values
        return math.isinf(ce) or math.isinf(kl)

    def spans(self) -> dict[str, tuple[float, float]]:
        """What is drawn, in data units: ``{"cross": (x0, width), "h": …, "kl": …}`` (an infinite
        bar runs to the right edge), and ``"floor": (x, 0)``, the dashed line at H(p)."""
        h, kl, ce = self._values
        x_max = self.value_axis[1]
        ce = x_max if math.isinf(ce) else ce
        kl = x_max - h if math.isinf(kl) else kl
        return {"cross": (0.0, ce), "h": (0.0, h), "kl": (h, kl), "floor": (h, 0.0)}

    def sizeHint(self) -> QSize:
        return QSize(300, 115)

    def minimumSizeHint(self) -> QSize:
        return QSize(160, 95)
