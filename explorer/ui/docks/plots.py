"""Moved to :mod:`explorer.ui.widgets.plots` (shared plot helpers live with the widgets, so
widgets never import from docks).  Kept only until every dock imports the new place."""
from explorer.ui.widgets.plots import make_plot, set_category_ticks, style_plot  # noqa: F401
