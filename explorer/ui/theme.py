"""Colours used everywhere, chosen from the Okabe-Ito palette so they stay distinguishable for
colour-blind viewers.  p and q, MSE and CE keep their colours in every dock and in recordings.

Two themes, light and dark, cover the whole window: the Qt palette of every widget and the
pyqtgraph plots (background, axes, text).  :func:`apply_to_window` switches at runtime:

1. :func:`apply_app` makes the theme current, sets pyqtgraph's defaults and the Qt palette;
2. every pyqtgraph view in the window is restyled generically (:func:`restyle_view`): its
   background, and every axis, curve, bar, line, text and legend whose colour was one of the old
   theme's colours gets the matching colour of the new theme;
3. every dock re-applies its own colour choices (``ExplorerDock.apply_theme``), then redraws.

Docks read colours only from :func:`current`, so anything drawn later (and every recorded frame,
which grabs the window) uses the active theme.
"""
from __future__ import annotations

from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtGui import QColor, QPalette, QPen

THEME_KEY = "ui/theme"


@dataclass(frozen=True)
class Theme:
    name: str
    background: str
    foreground: str
    grid_alpha: float
    p: str = "#0072B2"        # blue
    q: str = "#E69F00"        # orange
    mse: str = "#D55E00"      # vermillion
    ce: str = "#009E73"       # bluish green
    # the rest of the loss family (each > 30 ΔE from MSE and CE under every dichromacy, and
    # drawn with its own dash pattern as well: see explorer/ui/loss_style.py)
    focal: str = "#AA4499"    # purple
    hinge: str = "#332288"    # indigo
    smoothed: str = "#9933FF" # violet
    accent: str = "#CC79A7"   # reddish purple: highlights, markers
    kl: str = "#CC79A7"
    neutral: str = "#7F7F7F"
    warning: str = "#C0392B"
    # --- Qt widget palette (None = the style's standard light palette) -------------------
    window: str | None = None
    base: str | None = None
    alt_base: str | None = None
    button: str | None = None
    highlight: str | None = None
    link: str | None = None
    disabled: str | None = None
    #: outline of check boxes, radio buttons, fields, combo boxes, buttons and slider handles:
    #: at least 3:1 against the window and field backgrounds (WCAG 2.1, non-text contrast)
    control_border: str = "#767676"

    #: fields holding plot colours (mapped old -> new on a theme switch)
    @staticmethod
    def colour_fields() -> tuple[str, ...]:
        return ("background", "foreground", "p", "q", "mse", "ce", "focal", "hinge", "smoothed",
                "accent", "kl", "neutral", "warning")


LIGHT = Theme("light", background="#FFFFFF", foreground="#202020", grid_alpha=0.25)
# On a dark background p uses the lighter Okabe-Ito blue (sky blue) for contrast, and the hinge
# loss a light sand instead of indigo; q, MSE, CE, focal and smoothed CE are the same colours as
# in the light theme.
DARK = Theme("dark", background="#1E1E1E", foreground="#E0E0E0", grid_alpha=0.3,
             p="#56B4E9", q="#E69F00", ce="#009E73", mse="#D55E00", warning="#FF6B5B",
             hinge="#DDCC77",
             neutral="#9A9A9A",
             window="#252526", base="#1E1E1E", alt_base="#2D2D30", button="#333337",
             highlight="#2F6FB5", link="#56B4E9", disabled="#7A7A7A", control_border="#8E8E8E")
THEMES = {"light": LIGHT, "dark": DARK}

_current = LIGHT


def current() -> Theme:
    return _current


def apply_pyqtgraph(theme: Theme | None = None) -> Theme:
    """Set pyqtgraph's global colours (affects plots created afterwards)."""
    global _current
    if theme is not None:
        _current = theme
    pg.setConfigOptions(background=_current.background, foreground=_current.foreground,
                        antialias=True)
    return _current


def by_name(name) -> Theme:
    """The theme called *name* ("light" / "dark"); anything else gives the light theme."""
    return THEMES.get(name, LIGHT) if isinstance(name, str) else LIGHT


def palette_for(theme: Theme) -> QPalette:
    """The Qt widget palette of *theme* (the style's standard palette for the light theme)."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if theme.window is None:
        return app.style().standardPalette() if app is not None else QPalette()
    pal = QPalette()
    fg, window, base = QColor(theme.foreground), QColor(theme.window), QColor(theme.base)
    roles = {
        QPalette.Window: window, QPalette.WindowText: fg, QPalette.Base: base,
        QPalette.AlternateBase: QColor(theme.alt_base), QPalette.ToolTipBase: QColor(theme.alt_base),
        QPalette.ToolTipText: fg, QPalette.Text: fg, QPalette.Button: QColor(theme.button),
        QPalette.ButtonText: fg, QPalette.BrightText: QColor(theme.warning),
        QPalette.Link: QColor(theme.link), QPalette.LinkVisited: QColor(theme.accent),
        QPalette.Highlight: QColor(theme.highlight), QPalette.HighlightedText: QColor("#FFFFFF"),
        QPalette.PlaceholderText: QColor(theme.disabled), QPalette.Light: window.lighter(150),
        QPalette.Midlight: window.lighter(125), QPalette.Mid: window.darker(120),
        QPalette.Dark: window.darker(150), QPalette.Shadow: QColor("#000000"),
    }
    for role, colour in roles.items():
        pal.setColor(role, colour)
    for role in (QPalette.Text, QPalette.ButtonText, QPalette.WindowText):
        pal.setColor(QPalette.Disabled, role, QColor(theme.disabled))
    pal.setColor(QPalette.Disabled, QPalette.Highlight, window.lighter(130))
    return pal


def apply_app(theme: Theme) -> Theme:
    """Make *theme* current: pyqtgraph defaults and the application's Qt palette."""
    from PySide6.QtWidgets import QApplication

    apply_pyqtgraph(theme)
    app = QApplication.instance()
    if app is not None:
        from explorer.ui.contrast_style import ContrastStyle
        if not isinstance(app.style(), ContrastStyle):
            # Fusion is the one style that honours a palette on every platform; the proxy
            # gives its controls outlines that can be seen in both themes
            app.setStyle(ContrastStyle())
        app.style().set_border(theme.control_border)
        app.setPalette(palette_for(theme))
    return theme


# ------------------------------------------------------------------------------ restyling
def colour_map(old: Theme, new: Theme) -> dict[int, QColor]:
    """RGB of each colour of *old* -> the matching colour of *new* (ambiguous ones left out)."""
    out: dict[int, QColor] = {}
    ambiguous = set()
    for name in Theme.colour_fields():
        a, b = QColor(getattr(old, name)), QColor(getattr(new, name))
        key = a.rgb() & 0xFFFFFF
        if key in out and (out[key].rgb() & 0xFFFFFF) != (b.rgb() & 0xFFFFFF):
            ambiguous.add(key)
        out.setdefault(key, b)
    for key in ambiguous:
        out.pop(key, None)
    return out


def _mapped_colour(colour: QColor, cmap) -> QColor | None:
    new = cmap.get(colour.rgb() & 0xFFFFFF)
    if new is None:
        return None
    c = QColor(new)
    c.setAlpha(colour.alpha())
    return c


def _mapped_pen(pen, cmap):
    if pen is None:
        return None
    pen = pg.mkPen(pen)
    c = _mapped_colour(pen.color(), cmap)
    if c is None:
        return None
    out = QPen(pen)
    out.setColor(c)
    return out


def _mapped_brush(brush, cmap):
    if brush is None:
        return None
    brush = pg.mkBrush(brush)
    c = _mapped_colour(brush.color(), cmap)
    if c is None:
        return None
    out = pg.mkBrush(brush)
    out.setColor(c)
    return out


def _restyle_item(item, cmap, theme: Theme) -> None:
    if isinstance(item, pg.AxisItem):
        pen = _mapped_pen(item.pen(), cmap)
        if pen is not None:
            item.setPen(pen)
        text = _mapped_pen(item.textPen(), cmap)
        if text is not None:
            item.setTextPen(text)
        if item.grid is not False:
            item.setGrid(int(theme.grid_alpha * 255))
    elif isinstance(item, pg.PlotDataItem):
        changes = {}
        for key, fn in (("pen", _mapped_pen), ("shadowPen", _mapped_pen),
                        ("symbolPen", _mapped_pen), ("symbolBrush", _mapped_brush),
                        ("fillBrush", _mapped_brush)):
            value = item.opts.get(key)
            if value is None or isinstance(value, (list, dict)):
                continue                      # unset, or one colour per point
            mapped = fn(value, cmap)
            if mapped is not None:
                changes[key] = mapped
        if "pen" in changes:
            item.setPen(changes.pop("pen"))
        if "shadowPen" in changes:
            item.setShadowPen(changes.pop("shadowPen"))
        if "symbolPen" in changes:
            item.setSymbolPen(changes.pop("symbolPen"))
        if "symbolBrush" in changes:
            item.setSymbolBrush(changes.pop("symbolBrush"))
        if "fillBrush" in changes:
            item.setFillBrush(changes.pop("fillBrush"))
    elif isinstance(item, pg.BarGraphItem):
        changes = {}
        for key in ("pen", "brush"):
            mapped = (_mapped_pen if key == "pen" else _mapped_brush)(item.opts.get(key), cmap)
            if mapped is not None:
                changes[key] = mapped
        for key, fn in (("pens", _mapped_pen), ("brushes", _mapped_brush)):
            values = item.opts.get(key)
            if values is not None and len(values):
                new = [fn(v, cmap) or v for v in values]
                changes[key] = new
        if changes:
            item.setOpts(**changes)
    elif isinstance(item, pg.InfiniteLine):
        pen = _mapped_pen(item.pen, cmap)
        if pen is not None:
            item.setPen(pen)
        hover = _mapped_pen(item.hoverPen, cmap)
        if hover is not None:
            item.setHoverPen(hover)
    elif isinstance(item, pg.TextItem):
        c = _mapped_colour(QColor(item.color), cmap)
        if c is not None:
            item.setColor(c)
    elif isinstance(item, pg.LabelItem):
        colour = item.opts.get("color")
        c = _mapped_colour(pg.mkColor(colour), cmap) if colour is not None else \
            QColor(theme.foreground)
        if c is not None and item.text:
            item.setText(item.text, color=c.name())
    elif isinstance(item, pg.LegendItem):
        text = _mapped_colour(pg.mkColor(item.labelTextColor()), cmap) \
            if item.labelTextColor() is not None else None
        if text is not None:
            item.setLabelTextColor(text)
        for key, fn, setter in (("brush", _mapped_brush, item.setBrush),
                                ("pen", _mapped_pen, item.setPen)):
            mapped = fn(item.opts.get(key), cmap)
            if mapped is not None:
                setter(mapped)
    elif isinstance(item, pg.FillBetweenItem):
        mapped = _mapped_brush(item.brush(), cmap)
        if mapped is not None:
            item.setBrush(mapped)


def restyle_view(view, old: Theme, new: Theme) -> None:
    """Restyle one pyqtgraph view (PlotWidget, GraphicsLayoutWidget, …) from *old* to *new*."""
    view.setBackground(new.background)
    scene = view.scene()
    if scene is None:
        return
    cmap = colour_map(old, new)
    for item in scene.items():
        try:
            _restyle_item(item, cmap, new)
        except (TypeError, ValueError, AttributeError, RuntimeError):
            continue      # an exotic item: its dock's apply_theme() handles it


def apply_to_window(window, new: Theme) -> Theme:
    """Switch *window* (and the application) to *new*; see the module docstring.  The docks
    on screen restyle now, the others when they are shown (ExplorerDock.theme_switched)."""
    old = current()
    apply_app(new)
    docks = list(getattr(window, "docks", {}).values())
    in_docks = {id(v) for dock in docks for v in dock.findChildren(pg.GraphicsView)}
    for view in window.findChildren(pg.GraphicsView):
        if id(view) not in in_docks:
            restyle_view(view, old, new)        # a plot outside the app's docks
    for dock in docks:
        dock.theme_switched(old)
    return new


def pen(color: str, width: float = 2.0, **kw):
    return pg.mkPen(color=color, width=width, **kw)


def brush(color: str, alpha: int = 255):
    c = pg.mkColor(color)
    c.setAlpha(alpha)
    return pg.mkBrush(c)

