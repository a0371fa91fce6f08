"""How the losses of the family look everywhere: colour, dash pattern, legend symbol, name and
formula (one place, so the sigmoid panel, the softmax race and the training races agree).

Colours come from the theme (:mod:`explorer.ui.theme`: ``mse``, ``ce``, ``focal``, ``hinge``,
``smoothed``); each new loss also has its own dash pattern, so curves stay apart when two
colours are close for a viewer.  Names and formulas go through :func:`explorer.i18n.tr`.
"""
from __future__ import annotations

from PySide6.QtCore import Qt

from explorer import i18n
from explorer.model import loss_choice
from explorer.ui import theme
from explorer.ui.fmt import fmt_sig

LOSS_NAMES = loss_choice.LOSS_NAMES
_THEME_FIELD = {"mse": "mse", "ce": "ce", "focal": "focal", "hinge": "hinge",
                "smoothed_ce": "smoothed", "ce_book": "ce"}
_DASH = {"mse": Qt.SolidLine, "ce": Qt.SolidLine, "focal": Qt.DashLine, "hinge": Qt.DashDotLine,
         "smoothed_ce": Qt.DotLine}
#: legend symbols drawn in the loss's colour (the dash pattern in text)
_SYMBOL = {"mse": "━", "ce": "━", "focal": "╍╍", "hinge": "━·", "smoothed_ce": "┅┅"}


def colour(name: str) -> str:
    return getattr(theme.current(), _THEME_FIELD.get(name, "neutral"))


def dash(name: str):
    return _DASH.get(name, Qt.SolidLine)


def pen(name: str, width: float = 2.5, colour_override: str | None = None):
    return theme.pen(colour_override or colour(name), width, style=dash(name))


def symbol(name: str) -> str:
    return _SYMBOL.get(name, "━")


def short_name(name: str) -> str:
    tr = i18n.tr
    return {"mse": tr("MSE"), "ce": tr("CE"), "focal": tr("focal"), "hinge": tr("hinge"),
            "smoothed_ce": tr("smoothed CE"), "ce_book": tr("CE")}.get(name, name)


def formula(name: str, params: dict | None = None) -> str:
    """The loss as a formula of a = σ(z) and the target y (binary form)."""
    params = params or {}
    tr = i18n.tr
    if name == "mse":
        return "½(a − y)²"
    if name == "ce":
        return "−[y ln a + (1 − y) ln(1 − a)]"
    if name == "focal":
        return tr("−(1 − p_t)^γ ln p_t, γ = {gamma}").format(gamma=fmt_sig(params.get("gamma", 2.0), 3))
    if name == "hinge":
        return "max(0, 1 − (2y − 1)z)"
    if name == "smoothed_ce":
        return tr("CE to y(1 − ε) + ε/2, ε = {eps}").format(eps=fmt_sig(params.get("eps", 0.1), 3))
    return name


def spec_label(spec: tuple) -> str:
    """A loss spec ``(name, params)`` as a short label: "CE", "focal (γ = 2)"."""
    name, params = spec[0], dict(spec[1])
    tr = i18n.tr
    if name == "focal":
        text = tr("focal (γ = {gamma})").format(gamma=fmt_sig(params.get("gamma", 2.0), 3))
        if params.get("alpha") is not None:
            text += f", α = {fmt_sig(params['alpha'], 3)}"
        return text
    if name == "smoothed_ce":
        return tr("smoothed CE (ε = {eps})").format(eps=fmt_sig(params.get("eps", 0.1), 3))
    return short_name(name)


def pair_label(pair: tuple) -> str:
    return i18n.tr("{first} vs {second}").format(first=spec_label(pair[0]),
                                                  second=spec_label(pair[1]))


def run_colours(pair: tuple) -> list[str]:
    """The colours of a race's two runs: their losses' colours, the second run grey when both
    runs use the same loss (focal γ = 1 vs focal γ = 2)."""
    first, second = colour(pair[0][0]), colour(pair[1][0])
    if pair[0][0] == pair[1][0]:
        second = theme.current().neutral
    return [first, second]


def race_preset_names() -> dict:
    """``{preset: label}`` of :data:`explorer.model.loss_choice.RACE_PRESETS`, translated."""
    return {key: pair_label(pair) for key, pair in loss_choice.RACE_PRESETS.items()}
