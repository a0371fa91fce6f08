"""Colours used everywhere, chosen from the Okabe-Ito palette so they stay distinguishable for
colour-blind viewers.  p and q, MSE and CE keep their colours in every dock and in recordings."""
from __future__ import annotations

from dataclasses import dataclass

import pyqtgraph as pg


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
    accent: str = "#CC79A7"   # reddish purple: highlights, markers
    kl: str = "#CC79A7"
    neutral: str = "#7F7F7F"
    warning: str = "#C0392B"


LIGHT = Theme("light", background="#FFFFFF", foreground="#202020", grid_alpha=0.25)
DARK = Theme("dark", background="#1E1E1E", foreground="#E0E0E0", grid_alpha=0.3,
             p="#56B4E9", q="#E69F00", ce="#009E73", mse="#D55E00")
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


def pen(color: str, width: float = 2.0, **kw):
    return pg.mkPen(color=color, width=width, **kw)


def brush(color: str, alpha: int = 255):
    c = pg.mkColor(color)
    c.setAlpha(alpha)
    return pg.mkBrush(c)
