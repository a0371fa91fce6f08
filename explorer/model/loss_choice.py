"""Which losses of the family a race compares: a pair of ``(name, parameters)``, its presets,
its saved form and the names of its runs (no Qt).

A *loss spec* is ``(name, ((key, value), ...))`` -- a loss of
:data:`explorer.core.BINARY_LOSSES` with every parameter of :data:`explorer.core.LOSS_PARAMETERS`
for it, sorted by key, so that specs are hashable and compare by value (cache keys, "what
changed").  A race compares two.  Saved, a pair is a list of two objects:
``[{"loss": "ce"}, {"loss": "focal", "gamma": 2.0}]`` (parameters left at None are left out).

The runs of a race are named after their losses -- ``"mse"`` and ``"ce"`` for the default
race, as the histories have always been keyed -- and get ``_1`` / ``_2`` when both runs use
the same loss (focal γ = 1 against focal γ = 2).
"""
from __future__ import annotations

from explorer import core
from explorer.core.errors import InputError
from explorer.model import checks

#: Race presets: name -> the pair of loss specs (first run, second run).
RACE_PRESET_SPECS = {
    "mse_ce": (("mse", {}), ("ce", {})),
    "ce_focal": (("ce", {}), ("focal", {"gamma": 2.0})),
    "ce_smoothed": (("ce", {}), ("smoothed_ce", {"eps": 0.1})),
    "hinge_ce": (("hinge", {}), ("ce", {})),
}
#: Losses a race or a panel can use, in the order the interface lists them.
LOSS_NAMES = core.BINARY_LOSSES


def spec(name, params=None) -> tuple:
    """The normalised spec of a loss (validated by :func:`explorer.core.loss_spec`)."""
    loss, full = core.loss_spec(name, params)
    return loss, tuple(sorted(full.items()))


def params_of(spec_: tuple) -> dict:
    """The parameters of a spec as a dict (``{"gamma": 2.0, "alpha": None}``)."""
    return dict(spec_[1])


RACE_PRESETS = {key: tuple(spec(n, p) for n, p in pair) for key, pair in RACE_PRESET_SPECS.items()}
DEFAULT_PAIR = RACE_PRESETS["mse_ce"]


def _one(key: str, value):
    """One loss of a saved pair: a name, ``{"loss": name, **params}``, ``(name, params)`` or a
    normalised spec."""
    if isinstance(value, str):
        return spec(value)
    if isinstance(value, dict):
        return spec(value)
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str):
        params = value[1]
        if isinstance(params, tuple):
            try:
                params = dict(params)
            except (TypeError, ValueError):
                raise InputError("{key}: expected a loss name or an object with its name under "
                                 "{field}, got {value}", key=key, field='"loss"',
                                 value=checks._show(value)) from None
        if isinstance(params, dict):
            return spec(value[0], params)
    raise InputError("{key}: expected a loss name or an object with its name under {field}, "
                     "got {value}", key=key, field='"loss"', value=checks._show(value))


def check_pair(key: str, value) -> tuple:
    """*value* as a pair of normalised loss specs, or InputError naming *key*.  A preset name
    (``"ce_focal"``) is accepted too."""
    if isinstance(value, str) and value in RACE_PRESETS:
        return RACE_PRESETS[value]
    if isinstance(value, (str, bytes, dict)) or not isinstance(value, (list, tuple)) \
            or len(value) != 2:
        raise InputError("{key}: expected two losses (one per run), got {value}", key=key,
                         value=checks._show(value))
    return tuple(_one(key, v) for v in value)


def pair_to_json(pair: tuple) -> list:
    """The saved form of a pair: ``[{"loss": name, **parameters that are not None}, ...]``."""
    return [{"loss": name, **{k: v for k, v in params if v is not None}} for name, params in pair]


def preset_of(pair: tuple) -> str:
    """The preset name of *pair*, or ``"custom"``."""
    for name, preset in RACE_PRESETS.items():
        if preset == tuple(pair):
            return name
    return "custom"


def run_keys(pair: tuple) -> tuple:
    """The names of the runs of a race over *pair*: the loss names, suffixed ``_1`` / ``_2``
    when both runs use the same loss."""
    a, b = pair[0][0], pair[1][0]
    return (a, b) if a != b else (f"{a}_1", f"{b}_2")


def race_losses(pair: tuple) -> dict:
    """``{run key: (loss name, parameters)}`` -- what :func:`explorer.core.classifier_race`
    and :func:`explorer.core.softmax_race` take."""
    return {key: (s[0], params_of(s)) for key, s in zip(run_keys(pair), pair)}


def check_names(key: str, value) -> tuple:
    """A set of loss names (a list without repeats) as a tuple in :data:`LOSS_NAMES` order."""
    if isinstance(value, (str, bytes, dict)) or not isinstance(value, (list, tuple)):
        raise InputError("{key}: expected a list of loss names, got {value}", key=key,
                         value=checks._show(value))
    names = []
    for v in value:
        if not isinstance(v, str) or v not in LOSS_NAMES:
            raise InputError("{key}: unknown loss {value} (expected {expected})", key=key,
                             value=checks._show(v), expected=", ".join(LOSS_NAMES))
        if v in names:
            raise InputError("{key}: {value} is listed twice", key=key, value=checks._show(v))
        names.append(v)
    return tuple(n for n in LOSS_NAMES if n in names)


__all__ = ["RACE_PRESETS", "RACE_PRESET_SPECS", "DEFAULT_PAIR", "LOSS_NAMES", "spec",
           "params_of", "check_pair", "pair_to_json", "preset_of", "run_keys", "race_losses",
           "check_names"]
