"""Small pyqtgraph helpers shared by the docks and the widgets (plot setup, theme styling,
category axes)."""
from __future__ import annotations

import pyqtgraph as pg

from explorer.ui import theme


def make_plot(x_label: str = "", y_label: str = "", *, mouse: bool = False) -> pg.PlotWidget:
    """A PlotWidget in the current theme, with grid and (by default) no mouse pan/zoom."""
    th = theme.current()
    pw = pg.PlotWidget(background=th.background)
    pi = pw.getPlotItem()
    pi.showGrid(x=True, y=True, alpha=th.grid_alpha)
    pi.setMenuEnabled(False)
    pi.hideButtons()
    if not mouse:
        pi.getViewBox().setMouseEnabled(x=False, y=False)
    if x_label:
        pi.setLabel("bottom", x_label)
    if y_label:
        pi.setLabel("left", y_label)
    pw.setMinimumSize(160, 120)
    return pw


def style_plot(pw: pg.PlotWidget, grid: tuple[bool, bool] | None = None) -> None:
    """Background and axis colours of the current theme (called from the docks' apply_theme);
    *grid* ``(x, y)`` also switches the grid on or off with the theme's grid alpha."""
    th = theme.current()
    pw.setBackground(th.background)
    pi = pw.getPlotItem()
    if grid is not None:
        pi.showGrid(x=grid[0], y=grid[1], alpha=th.grid_alpha)
    for name in ("left", "bottom"):
        pi.getAxis(name).setPen(th.foreground)
        pi.getAxis(name).setTextPen(th.foreground)


def set_category_ticks(pw: pg.PlotWidget, labels: list[str], max_labels: int = 25) -> None:
    """Label the x axis with category names (thinned out when there are many)."""
    n = len(labels)
    step = max(1, (n + max_labels - 1) // max_labels)
    ticks = [(i, labels[i]) for i in range(0, n, step)]
    pw.getPlotItem().getAxis("bottom").setTicks([ticks, []])
