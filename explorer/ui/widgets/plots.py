"""Small pyqtgraph helpers shared by the docks and the widgets (plot setup, theme styling,
category axes)."""
from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPicture
from PySide6.QtWidgets import QGraphicsItem

from explorer.ui import theme
from explorer.ui.widgets.painted import mix

#: z of an axis with a grid: below the view box (z −100), so that the axis has drawn (and handed
#: its grid lines to the view box's PlotGrid) before the view box's items are drawn.  Without a
#: grid an axis keeps pyqtgraph's z, above the data, since its tick marks reach into the plot.
AXIS_Z = -200.0
AXIS_Z_NO_GRID = 0.5


class PlotGrid(QGraphicsItem):
    """The grid lines of a plot's axes, drawn by one item behind the data of its view box.

    pyqtgraph has each axis draw its grid across the plot in a translucent pen, above the
    data.  Qt's raster engine blends such a line pixel by pixel: 68 lines across a plot take
    8 ms at scale 1 and 13–20 ms at scale 2, and a plot's axes are redrawn whenever its range
    changes (at start-up, a theme or language switch, a slider that rescales a loss plot).
    Here every line is one opaque colour mixed from the pen and the plot background (the
    same colour on the background, 0.4 ms for the 68 lines), the lines of both axes are drawn
    together, faintest first (where two cross, the stronger one shows, as when translucent
    lines add up), under the data as in matplotlib.  The axes themselves are cached pixmaps
    again only as large as their strip of ticks and labels."""

    def __init__(self, view: pg.ViewBox):
        super().__init__(view)
        self._view = view
        self._axes: list[GridAxis] = []
        self._groups = None                  # (axes shown, [(pen, lines)]) as last drawn
        self.setZValue(-1e5)                 # above the view box's background, below its data
        self.setAcceptedMouseButtons(Qt.NoButton)
        view.sigResized.connect(self._resized)

    @classmethod
    def of(cls, view: pg.ViewBox) -> PlotGrid:
        grid = getattr(view, "_explorer_grid", None)
        if grid is None:
            grid = cls(view)
            view._explorer_grid = grid
        return grid

    def add_axis(self, axis: GridAxis) -> None:
        if axis not in self._axes:
            self._axes.append(axis)
            self._groups = None

    def _resized(self, *_):
        self.prepareGeometryChange()
        for axis in self._axes:
            axis.forget_grid()
        self.invalidate()

    def boundingRect(self) -> QRectF:
        return self._view.rect()

    def lines(self) -> list[tuple[int, QPen, QLineF]]:
        out = []
        for axis in self._axes:
            if axis.isVisible():
                out += axis.grid_lines(self)
        return out

    def invalidate(self, repaint: bool = True) -> None:
        """The axes' lines changed: group them again at the next paint (and *repaint*, unless
        an axis is handing over new lines while the scene is being drawn)."""
        self._groups = None
        if repaint:
            self.update()

    def _grouped(self) -> list[tuple[QPen, list[QLineF]]]:
        background = self._axes[0].background().rgba() if self._axes else 0
        shown = (background, *(axis.isVisible() for axis in self._axes))
        if self._groups is not None and self._groups[0][0] != background:
            for axis in self._axes:                  # mixed with the old background
                axis.forget_lines()
        if self._groups is None or self._groups[0] != shown:
            groups: dict[tuple[int, int], tuple[QPen, list[QLineF]]] = {}
            for alpha, pen, line in self.lines():
                groups.setdefault((alpha, pen.color().rgba()), (pen, []))[1].append(line)
            # faintest first: where lines cross, the strongest shows on top
            self._groups = (shown, [groups[key] for key in sorted(groups)])
        return self._groups[1]

    def paint(self, p, opt, widget=None):
        groups = self._grouped()
        if groups:
            p.setRenderHint(QPainter.Antialiasing, False)
            for pen, segment in groups:
                p.setPen(pen)
                p.drawLines(segment)


class GridAxis(pg.AxisItem):
    """An axis that hands its grid lines to its view box's :class:`PlotGrid` instead of
    drawing them itself (pyqtgraph's ``showGrid``/``setGrid`` work as before)."""

    _grid_cache = None

    @property
    def picture(self):
        return self.__dict__.get("_picture")

    @picture.setter
    def picture(self, value):
        self.__dict__["_picture"] = value
        if value is None:                            # the ticks, range or size changed
            self.forget_grid()

    def setGrid(self, grid):
        super().setGrid(grid)
        self.setZValue(AXIS_Z_NO_GRID if grid is False else AXIS_Z)

    def forget_lines(self) -> None:
        self._grid_cache = None

    def forget_grid(self) -> None:
        self.forget_lines()
        view = self.linkedView() if self.__dict__.get("_linkedView") is not None else None
        grid = getattr(view, "_explorer_grid", None)
        if grid is not None:
            grid.invalidate()

    def _grid(self) -> PlotGrid | None:
        view = self.linkedView()
        return None if view is None else PlotGrid.of(view)

    def background(self) -> QColor:
        scene = self.scene()
        views = scene.views() if scene is not None else []
        if views:
            return QColor(views[0].backgroundBrush().color())
        return QColor(theme.current().background)

    def boundingRect(self) -> QRectF:
        grid, self.grid = self.grid, False           # the strip of ticks and labels only
        try:
            return super().boundingRect()
        finally:
            self.grid = grid

    def _lines_from(self, tick_specs, grid: PlotGrid) -> list:
        bg = self.background()
        mixed: dict[int, QPen] = {}
        out = []
        for pen, p1, p2 in tick_specs:
            colour = pen.color()
            key = colour.rgba()
            if key not in mixed:
                solid = QPen(pen)
                solid.setColor(mix(colour, bg, colour.alphaF()))
                solid.setCosmetic(True)
                mixed[key] = solid
            out.append((colour.alpha(), mixed[key],
                        QLineF(self.mapToItem(grid, p1), self.mapToItem(grid, p2))))
        return out

    def grid_lines(self, grid: PlotGrid) -> list:
        """This axis's grid lines in *grid*'s coordinates (worked out now if the axis has not
        drawn since its range or size changed)."""
        if self.grid is False or self.linkedView() is None:
            return []
        if self._grid_cache is None:
            picture = QPicture()
            painter = QPainter(picture)
            try:
                if self.style["tickFont"]:
                    painter.setFont(self.style["tickFont"])
                specs = self.generateDrawSpecs(painter)
            finally:
                painter.end()
            self._grid_cache = [] if specs is None else self._lines_from(specs[1], grid)
        return self._grid_cache

    def drawPicture(self, p, axisSpec, tickSpecs, textSpecs):
        grid = self._grid()
        if self.grid is not False and grid is not None:
            grid.add_axis(self)
            self._grid_cache = self._lines_from(tickSpecs, grid)
            grid.invalidate(repaint=False)   # being drawn now: no further update needed
            tickSpecs = []
        super().drawPicture(p, axisSpec, tickSpecs, textSpecs)


def make_plot(x_label: str = "", y_label: str = "", *, mouse: bool = False) -> pg.PlotWidget:
    """A PlotWidget in the current theme, with grid (see :class:`PlotGrid`) and (by default)
    no mouse pan/zoom."""
    th = theme.current()
    pw = pg.PlotWidget(background=th.background,
                       axisItems={"left": GridAxis("left"), "bottom": GridAxis("bottom")})
    pi = pw.getPlotItem()
    for name in ("left", "bottom"):
        PlotGrid.of(pi.getViewBox()).add_axis(pi.getAxis(name))
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
