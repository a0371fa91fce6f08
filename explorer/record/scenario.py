"""Scenario files for scripted demos: schema and validation (pure Python, no Qt).

A scenario is a JSON object describing a timeline of actions (see ``resources/demos/README.md``
for the user documentation)::

    {"version": 1, "title": "...", "size": [1280, 720], "fps": 30, "target": "window",
     "actions": [
        {"action": "layout", "docks": ["p", "q", "readouts"]},
        {"action": "layout", "workspace": "softmax"},
        {"action": "state", "preset": "pc-power-on", "unit": "bits"},
        {"action": "caption", "text": "Entropy: the average surprise", "duration": 3},
        {"action": "animate", "target": "q", "to": [0.7, 0.2, 0.1], "duration": 2},
        {"action": "hold", "duration": 1}
     ]}

:func:`load_scenario` reads and validates a file; :func:`validate_scenario` validates a parsed
dict.  Every problem raises :class:`ScenarioError` whose message names the file, the action index
and key path, and what is wrong, e.g.::

    demo.json: actions[3] (drag) to: 1.5 is outside [0, 1]

Validation follows the state through the timeline (number of categories, logit mode, training
epochs) so that a bar index or a vector length that will not fit is reported before anything is
rendered.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from explorer import jsonutil
from explorer.core.errors import InputError
from explorer.core.loss_family import loss_spec
from explorer.jsonutil import json_type_name as _type_name
from explorer.record.timeline import schedule_seconds

FORMAT_VERSION = 1
#: Languages a scenario's ``title`` and ``description`` may be given in (``{"en": …, "zh": …}``).
TEXT_LANGUAGES = ("en", "zh")
MAX_TITLE, MAX_DESCRIPTION = 200, 4000
MAX_FILE_BYTES = 1024 * 1024
MAX_DURATION = 600.0            # seconds, per action and in total
MAX_ACTIONS = 2000
MIN_SIZE, MAX_SIZE = (160, 120), (3840, 2160)
MAX_FPS = 120
#: Deepest nesting accepted (real scenarios nest 5 levels: actions, an action, columns, a column).
MAX_DEPTH = 12
SUM_TOLERANCE = 1e-6

#: Short names accepted for the app's docks (the full objectName works too).
DOCK_ALIASES = {
    "p": "pEditorDock",
    "q": "qEditorDock",
    "readouts": "readoutsDock",
    "sigmoid": "sigmoidDock",
    "softmax": "softmaxDock",
    "training": "trainingDock",
    "breakdown": "breakdownDock",
    "formula": "formulaDock",
    "curves": "curvesDock",
    "help": "helpDock",
    "sampling": "samplingDock",
    "batch": "batchDock",
    "code": "codeDock",
}
DEFAULT_DOCKS = tuple(DOCK_ALIASES.values())

EASINGS = ("linear", "ease_in", "ease_out", "ease_in_out", "smoothstep")
UNITS = ("bits", "nats", "bans")
POSITIONS = ("top", "bottom", "center", "top-left", "top-right", "bottom-left", "bottom-right")
ANIMATE_TARGETS = ("p", "q", "logits", "temperature", "z", "smoothing")
DRAG_TARGETS = ("p", "q", "logits")
POINT_TARGETS = ("p", "q", "logits", "softmax", "sigmoid", "training")
#: dock that shows each drag / point_to target
DRAG_DOCKS = {"p": "pEditorDock", "q": "qEditorDock", "logits": "softmaxDock"}
POINT_DOCKS = {**DRAG_DOCKS, "softmax": "softmaxDock", "sigmoid": "sigmoidDock",
               "training": "trainingDock"}
TRAINING_KEYS = ("w0", "b0", "x", "y", "lr", "epochs", "preset", "losses")
#: the race presets a "losses" value may name (explorer.model.loss_choice.RACE_PRESETS)
RACE_PRESETS = ("mse_ce", "ce_focal", "ce_smoothed", "hinge_ce")
SOFTMAX_TARGETS = ("p", "onehot")
SOFTMAX_RACE_KEYS = ("shown", "lr", "epochs", "losses")
#: label smoothing ε of the softmax panel
MAX_SMOOTHING = 0.5
#: the app's zoom, percent (explorer.ui.zoom: 75–250)
MIN_ZOOM, MAX_ZOOM = 75, 250

#: Actions that do not advance the timeline unless ``"block": true``.
NON_BLOCKING = frozenset({"caption", "pointer"})


class ScenarioError(InputError):
    """A scenario problem: ``str(exc)`` is the one-line message for the user.

    An :class:`~explorer.core.errors.InputError`: file-level refusals (not a regular file, not
    JSON, a number too large, nesting, invalid text) keep the template and fields of the error
    they come from (:meth:`from_input_error`), so the interface shows them in the user's
    language; the others are a finished English sentence."""

    def __init__(self, source: str, where: str, problem: str):
        self.source, self.where, self.problem = source, where, problem
        text = f"{source}: {where}: {problem}" if where else f"{source}: {problem}"
        super().__init__(text.replace("{", "{{").replace("}", "}}"))

    @classmethod
    def from_input_error(cls, exc: InputError, source: str) -> "ScenarioError":
        message = str(exc)
        prefix = f"{source}: "
        out = cls(source, "", message[len(prefix):] if message.startswith(prefix) else message)
        out.template, out.fields = exc.template, dict(exc.fields)
        return out


@dataclass
class Action:
    """One validated action: ``kind`` plus normalised ``params``; ``index`` in the file."""

    index: int
    kind: str
    params: dict
    at: float | None = None
    duration: float = 0.0
    block: bool = True

    @property
    def label(self) -> str:
        return f"actions[{self.index}] ({self.kind})"


@dataclass
class Scenario:
    """A validated scenario, ready for :mod:`explorer.record.timeline`."""

    source: str
    #: the title in the file's first language (English when given): see :meth:`title_in`
    title: str = ""
    #: ``{"en": …, "zh": …}`` — the languages the file gives its title / description in
    titles: dict = field(default_factory=dict)
    descriptions: dict = field(default_factory=dict)
    size: tuple[int, int] = (1280, 720)
    fps: int = 30
    target: str = "window"
    language: str = "en"
    actions: list[Action] = field(default_factory=list)
    size_given: bool = False
    fps_given: bool = False
    #: the window target shows the menu bar / the status bar (never the Record button)
    menu_bar: bool = False
    status_bar: bool = False

    def title_in(self, language: str) -> str:
        """The title in *language*, else in the other language the file gives, else ``""``."""
        return text_in(self.titles, language)

    def description_in(self, language: str) -> str:
        return text_in(self.descriptions, language)

    @property
    def duration(self) -> float:
        """Length of the timeline in seconds (before snapping to frames)."""
        return schedule_seconds(self.actions)[1]


def text_in(texts: dict, language: str) -> str:
    """*texts* (``{"en": …, "zh": …}``) in *language*, falling back to English, then to any."""
    for lang in (language, "en", *texts):
        if texts.get(lang):
            return texts[lang]
    return ""


@dataclass
class _Context:
    """What validation knows about the model while walking the timeline."""

    n: int | None = 3                 # categories of p and q (None = unknown)
    softmax_n: int | None = 3         # free-standing softmax logits
    q_logit_mode: bool | None = False
    epochs: int | None = 300          # training.epochs
    presets: dict | None = None       # name -> number of categories (None = keeps n)
    docks: tuple = DEFAULT_DOCKS
    visible: set | None = None        # docks shown (None = all)
    model: dict | None = None         # the whole saved state, once a "model" key gave it

    def require_visible(self, path: str, dock: str, why: str) -> None:
        if self.visible is not None and dock not in self.visible:
            raise _Fail(path, f"{why} needs the {dock} dock, which the layout hides "
                              f"(add it to a layout action's \"docks\")")

    @property
    def logits_n(self) -> int | None:
        if self.q_logit_mode is None:
            return None
        return self.n if self.q_logit_mode else self.softmax_n


class _Fail(Exception):
    """Internal: a problem at a key path inside the current action.  With *template* (an
    English text with ``{placeholders}`` filled from *fields*) the message is translatable:
    the ScenarioError carries ``"{source}: {where}: " + template``."""

    def __init__(self, path: str, problem: str | None = None, template: str | None = None,
                 **fields):
        if problem is None:
            problem = template.format(**fields)
        super().__init__(problem)
        self.path, self.problem = path, problem
        self.template, self.fields = template, fields


def _scenario_error(source: str, where: str, exc: _Fail) -> ScenarioError:
    err = ScenarioError(source, where, exc.problem)
    if exc.template is not None:
        err.template = ("{source}: {where}: " if where else "{source}: ") + exc.template
        err.fields = {"source": source, "where": where, **exc.fields}
    return err


# ---------------------------------------------------------------------------- value checkers
def _shown(value) -> str:
    """A number for a message: huge integers by their first digits and their digit count."""
    if isinstance(value, int) and not isinstance(value, bool):
        return jsonutil.int_text(value)
    return str(value)


def _number(path, value, lo=None, hi=None, *, lo_open=False, hi_open=False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _Fail(path, f"expected a number, got {_type_name(value)} {json.dumps(value)[:40]}")
    try:
        v = float(value)
    except OverflowError:
        raise _Fail(path, f"the number {_shown(value)} is too large") from None
    if not math.isfinite(v):
        raise _Fail(path, f"expected a finite number, got {v!r}")
    if lo is not None and (v < lo or (lo_open and v == lo)) or \
            hi is not None and (v > hi or (hi_open and v == hi)):
        left = "(" if lo_open else "["
        right = ")" if hi_open else "]"
        lo_s = "-inf" if lo is None else f"{lo:g}"
        hi_s = "inf" if hi is None else f"{hi:g}"
        raise _Fail(path, f"{v:g} is outside {left}{lo_s}, {hi_s}{right}")
    return v


def _integer(path, value, lo=None, hi=None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise _Fail(path, f"expected a whole number, got {_type_name(value)} {json.dumps(value)[:40]}")
    if lo is not None and value < lo or hi is not None and value > hi:
        if hi is None:
            raise _Fail(path, f"{_shown(value)} must be at least {lo}")
        if lo is None:
            raise _Fail(path, f"{_shown(value)} must be at most {hi}")
        raise _Fail(path, f"{_shown(value)} is outside {lo}..{hi}")
    return int(value)


def _boolean(path, value) -> bool:
    if not isinstance(value, bool):
        raise _Fail(path, f"expected true or false, got {_type_name(value)}")
    return value


def _text(path, value, max_len=500, allow_empty=False) -> str:
    if not isinstance(value, str):
        raise _Fail(path, f"expected text, got {_type_name(value)}")
    if not allow_empty and not value.strip():
        raise _Fail(path, "must not be empty")
    if len(value) > max_len:
        raise _Fail(path, f"too long ({len(value)} characters, at most {max_len})")
    return value


def _localized(path, value, max_len, allow_empty=False) -> dict:
    """A text for people: one string (any language) or ``{"en": "…", "zh": "…"}`` with at
    least one of the languages; returns ``{language: text}`` (a plain string counts as
    English, the fallback of every language)."""
    if isinstance(value, str):
        return {"en": _text(path, value, max_len, allow_empty)}
    if not isinstance(value, dict):
        raise _Fail(path, f"expected text or an object like {{\"en\": \"…\", \"zh\": \"…\"}}, "
                          f"got {_type_name(value)}")
    if not value:
        raise _Fail(path, f"give the text in at least one of {', '.join(TEXT_LANGUAGES)}")
    out = {}
    for lang, text in value.items():
        if lang not in TEXT_LANGUAGES:
            raise _Fail(f"{path}.{lang}", f"unknown language (allowed: {', '.join(TEXT_LANGUAGES)})")
        out[lang] = _text(f"{path}.{lang}", text, max_len, allow_empty)
    return out


def _choice(path, value, choices) -> str:
    if not isinstance(value, str) or value not in choices:
        raise _Fail(path, f"{json.dumps(value)[:40]} is not one of {', '.join(choices)}")
    return value


def _vector(path, value, n=None, lo=None, hi=None) -> list[float]:
    if not isinstance(value, list):
        raise _Fail(path, f"expected a list of numbers, got {_type_name(value)}")
    if not 2 <= len(value) <= 1000:
        raise _Fail(path, f"needs 2 to 1000 values, got {len(value)}")
    if n is not None and len(value) != n:
        raise _Fail(path, f"expected {n} values (one per category), got {len(value)}")
    return [_number(f"{path}[{i}]", v, lo, hi) for i, v in enumerate(value)]


def _distribution(path, value, n=None) -> list[float]:
    vals = _vector(path, value, n, 0.0, 1.0)
    s = math.fsum(vals)
    if abs(s - 1.0) > SUM_TOLERANCE:
        raise _Fail(path, f"must sum to 1 (sum = {s:.6g})")
    return [v / s for v in vals]


def _logits(path, value, n=None) -> list[float]:
    return _vector(path, value, n, -1000.0, 1000.0)


def _size(path, value) -> tuple[int, int]:
    if isinstance(value, str):
        try:
            parts = [int(v) for v in value.lower().split("x")]
        except ValueError:
            parts = []
        if len(parts) != 2:
            raise _Fail(path, f"expected [width, height] or \"WxH\", got {value!r}")
        value = parts
    if not isinstance(value, list) or len(value) != 2:
        raise _Fail(path, f"expected [width, height], got {_type_name(value)}")
    w = _integer(f"{path}[0]", value[0], MIN_SIZE[0], MAX_SIZE[0])
    h = _integer(f"{path}[1]", value[1], MIN_SIZE[1], MAX_SIZE[1])
    return w, h


def _dock(path, value, ctx: _Context) -> str:
    if not isinstance(value, str):
        raise _Fail(path, f"expected a dock name, got {_type_name(value)}")
    name = DOCK_ALIASES.get(value, value)
    if name not in ctx.docks:
        names = sorted(set(DOCK_ALIASES) | set(ctx.docks))
        raise _Fail(path, f"unknown dock {value!r} (choose from {', '.join(names)})")
    return name


def _position(path, value):
    if isinstance(value, list):
        if len(value) != 2:
            raise _Fail(path, "expected [x, y] as fractions of the frame (0..1)")
        return (_number(f"{path}[0]", value[0], 0.0, 1.0), _number(f"{path}[1]", value[1], 0.0, 1.0))
    return _choice(path, value, POSITIONS)


def _losses(path, value):
    """Two losses of the family, one per run: a preset name (``"ce_smoothed"``) or a list of
    two names or ``{"loss": name, ...parameters}`` objects (checked by core.loss_spec)."""
    if isinstance(value, str):
        return _choice(path, value, RACE_PRESETS)
    if not isinstance(value, list) or len(value) != 2:
        raise _Fail(path, f"expected a preset ({', '.join(RACE_PRESETS)}) or a list of two "
                          f"losses, got {_type_name(value)}")
    for i, spec in enumerate(value):
        try:
            loss_spec(spec)
        except InputError as exc:
            raise _Fail(f"{path}[{i}]", str(exc)) from None
    return value


def _duration(path, value, allow_zero=False) -> float:
    return _number(path, value, 0.0, MAX_DURATION, lo_open=not allow_zero)


# ---------------------------------------------------------------------------- action schemas
#: action -> (required keys, optional keys).  "at", "block" and "comment" are allowed on any action.
_COMMON = ("at", "block", "comment")
_SCHEMA = {
    "layout": ((), ("workspace", "docks", "columns", "widths", "size", "zoom")),
    "state": ((), ("p", "q", "labels", "unit", "preset", "preset_target", "q_logit_mode",
                   "logits", "temperature", "z", "epoch", "training", "softmax_logits",
                   "sigmoid_x", "sigmoid_y", "precision", "locks_p", "locks_q", "highlight",
                   "softmax_target", "softmax_target_class", "softmax_smoothing",
                   "softmax_race", "model", "finished")),
    "animate": (("target", "to", "duration"), ("easing",)),
    "drag": (("target", "index", "to"), ("duration", "easing")),
    "train": (("epochs",), ("speed", "duration", "from", "z_follows", "easing")),
    "z_marker": (("to",), ("duration", "easing")),
    "caption": (("text", "duration"), ("position", "fade", "fade_in", "fade_out", "size",
                                       "point_to")),
    "sample": (("events",), ("duration", "seed", "reset", "easing")),
    "pointer": (("points",), ("ripple", "shown")),
    "wait": (("duration",), ()),
    "hold": (("duration",), ()),
}
ACTIONS = tuple(_SCHEMA)


def _check_keys(kind: str, data: dict) -> None:
    required, optional = _SCHEMA[kind]
    for key in required:
        if key not in data:
            raise _Fail("", f"missing required key {key!r}")
    allowed = set(required) | set(optional) | set(_COMMON) | {"action"}
    for key in data:
        if key not in allowed:
            raise _Fail(key, f"unknown key (allowed: {', '.join(sorted(allowed - {'action'}))})")


def _v_layout(d: dict, ctx: _Context) -> dict:
    out = {}
    if "workspace" in d:
        from explorer.workspace_designs import BY_NAME

        for other in ("docks", "columns", "widths"):
            if other in d:
                raise _Fail(other, "give either 'workspace' or 'docks'/'columns', not both")
        name = _choice("workspace", d["workspace"], tuple(BY_NAME))
        out["workspace"] = name
        ctx.visible = {n for n in BY_NAME[name].docks if n in ctx.docks}
    if "docks" in d and "columns" in d:
        raise _Fail("columns", "give either 'docks' (default places) or 'columns', not both")
    if "columns" in d:
        cols = d["columns"]
        if not isinstance(cols, list) or not cols or not all(isinstance(c, list) and c for c in cols):
            raise _Fail("columns", "expected a list of columns, each a non-empty list of dock "
                                   "names, e.g. [[\"p\", \"q\"], [\"readouts\"]]")
        if len(cols) > 4:
            raise _Fail("columns", f"at most 4 columns, got {len(cols)}")
        names = [[_dock(f"columns[{i}][{j}]", v, ctx) for j, v in enumerate(col)]
                 for i, col in enumerate(cols)]
        flat = [n for col in names for n in col]
        if len(set(flat)) != len(flat):
            raise _Fail("columns", "a dock is listed twice")
        out["columns"] = names
        ctx.visible = set(flat)
        if "widths" in d:
            out["widths"] = _vector("widths", d["widths"], len(cols), 0.05, 100.0) \
                if len(cols) > 1 else [1.0]
    elif "widths" in d:
        raise _Fail("widths", "only makes sense together with 'columns'")
    if "docks" in d:
        docks = d["docks"]
        if not isinstance(docks, list) or not docks:
            raise _Fail("docks", "expected a non-empty list of dock names")
        names = [_dock(f"docks[{i}]", v, ctx) for i, v in enumerate(docks)]
        if len(set(names)) != len(names):
            raise _Fail("docks", "a dock is listed twice")
        out["docks"] = names
        ctx.visible = set(names)
    if "size" in d:
        out["size"] = _size("size", d["size"])
    if "zoom" in d:
        out["zoom"] = _zoom("zoom", d["zoom"])
    if not out:
        raise _Fail("", "give 'workspace', 'docks' or 'columns', and/or 'size' or 'zoom'")
    return out


def _zoom(path, value) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or \
            not float(value).is_integer() or not MIN_ZOOM <= value <= MAX_ZOOM:
        raise _Fail(path, template="expected a whole percentage from {lo} to {hi}, got {value}",
                    lo=MIN_ZOOM, hi=MAX_ZOOM,
                    value=json.dumps(value)[:40])
    return int(value)


def _v_state(d: dict, ctx: _Context) -> dict:
    out = {}
    if "preset" in d:
        name = _text("preset", d["preset"], 80)
        if ctx.presets is not None:
            key = name.strip().lower()
            if key not in ctx.presets:
                raise _Fail("preset", f"unknown preset {name!r} (choose from {', '.join(ctx.presets)})")
            n_preset = ctx.presets[key]
            if n_preset is not None:
                ctx.n = n_preset
        out["preset"] = name
        if "preset_target" in d:
            out["preset_target"] = _choice("preset_target", d["preset_target"], ("p", "q", "both"))
    elif "preset_target" in d:
        raise _Fail("preset_target", "only makes sense together with 'preset'")
    if "p" in d or "q" in d:
        n = None
        if "p" in d:
            n_hint = ctx.n if "q" not in d else None
            out["p"] = _distribution("p", d["p"], n_hint)
            n = len(out["p"])
        if "q" in d:
            out["q"] = _distribution("q", d["q"], n if n is not None else ctx.n if "p" not in d else None)
            n = len(out["q"])
        ctx.n = n
    if "labels" in d:
        labels = d["labels"]
        if not isinstance(labels, list):
            raise _Fail("labels", f"expected a list of texts, got {_type_name(labels)}")
        if ctx.n is not None and len(labels) != ctx.n:
            raise _Fail("labels", f"expected {ctx.n} labels (one per category), got {len(labels)}")
        out["labels"] = [_text(f"labels[{i}]", v, 40) for i, v in enumerate(labels)]
    if "unit" in d:
        out["unit"] = _choice("unit", d["unit"], UNITS)
    if "precision" in d:
        out["precision"] = _integer("precision", d["precision"], 0, 12)
    if "temperature" in d:
        out["temperature"] = _number("temperature", d["temperature"], 0.05, 20.0)
    if "q_logit_mode" in d:
        out["q_logit_mode"] = _boolean("q_logit_mode", d["q_logit_mode"])
        ctx.q_logit_mode = out["q_logit_mode"]
    if "logits" in d:
        if ctx.q_logit_mode is False:
            raise _Fail("logits", "q is not in logit mode: set \"q_logit_mode\": true first "
                                  "(or use \"softmax_logits\")")
        out["logits"] = _logits("logits", d["logits"], ctx.n)
    if "softmax_logits" in d:
        out["softmax_logits"] = _logits("softmax_logits", d["softmax_logits"])
        if ctx.q_logit_mode is False:
            ctx.softmax_n = len(out["softmax_logits"])
        elif ctx.q_logit_mode is True and ctx.n is not None and len(out["softmax_logits"]) != ctx.n:
            raise _Fail("softmax_logits", f"q is in logit mode: expected {ctx.n} values")
    for key in ("locks_p", "locks_q"):
        if key in d:
            v = d[key]
            if not isinstance(v, list) or not all(isinstance(b, bool) for b in v):
                raise _Fail(key, "expected a list of true/false values")
            if ctx.n is not None and len(v) != ctx.n:
                raise _Fail(key, f"expected {ctx.n} values (one per category), got {len(v)}")
            out[key] = list(v)
    if "training" in d:
        t = d["training"]
        if not isinstance(t, dict):
            raise _Fail("training", f"expected an object, got {_type_name(t)}")
        clean = {}
        for key, v in t.items():
            path = f"training.{key}"
            if key not in TRAINING_KEYS:
                raise _Fail(path, f"unknown training parameter (allowed: {', '.join(TRAINING_KEYS)})")
            if key == "preset":
                clean[key] = _text(path, v, 80)
            elif key == "losses":
                clean[key] = _losses(path, v)
            elif key == "epochs":
                from explorer.model.training_state import MAX_EPOCHS
                clean[key] = _integer(path, v, 1, MAX_EPOCHS)
                ctx.epochs = clean[key]
            elif key == "y":
                clean[key] = _number(path, v, 0.0, 1.0)
            elif key == "lr":
                clean[key] = _number(path, v, 0.0, 100.0, lo_open=True)
            else:
                clean[key] = _number(path, v, -1000.0, 1000.0)
        out["training"] = clean
    if "epoch" in d:
        out["epoch"] = _integer("epoch", d["epoch"], 0, ctx.epochs)
    if "z" in d:
        out["z"] = _number("z", d["z"], -1000.0, 1000.0)
    if "sigmoid_x" in d:
        out["sigmoid_x"] = _number("sigmoid_x", d["sigmoid_x"], -1000.0, 1000.0)
    if "sigmoid_y" in d:
        out["sigmoid_y"] = _integer("sigmoid_y", d["sigmoid_y"], 0, 1)
    if "softmax_target" in d:
        out["softmax_target"] = _choice("softmax_target", d["softmax_target"], SOFTMAX_TARGETS)
    if "softmax_target_class" in d:
        n = ctx.logits_n
        out["softmax_target_class"] = _integer("softmax_target_class", d["softmax_target_class"],
                                               0, (n or 1000) - 1)
    if "softmax_smoothing" in d:
        out["softmax_smoothing"] = _number("softmax_smoothing", d["softmax_smoothing"], 0.0,
                                           MAX_SMOOTHING)
    if "softmax_race" in d:
        race = d["softmax_race"]
        if not isinstance(race, dict):
            raise _Fail("softmax_race", f"expected an object, got {_type_name(race)}")
        clean = {}
        for key, v in race.items():
            path = f"softmax_race.{key}"
            if key not in SOFTMAX_RACE_KEYS:
                raise _Fail(path, f"unknown key (allowed: {', '.join(SOFTMAX_RACE_KEYS)})")
            if key == "shown":
                clean[key] = _boolean(path, v)
            elif key == "lr":
                clean[key] = _number(path, v, 1e-3, 100.0)
            elif key == "epochs":
                clean[key] = _integer(path, v, 1, 20_000)
            else:
                clean[key] = _losses(path, v)
        out["softmax_race"] = clean
    if "model" in d:
        out["model"] = _model_state(d["model"], ctx)
    if "finished" in d:
        out["finished"] = _boolean("finished", d["finished"])
    if "highlight" in d:
        h = d["highlight"]
        out["highlight"] = None if h is None else _integer("highlight", h, 0, (ctx.n or 1000) - 1)
    if not out or set(out) == {"finished"}:
        raise _Fail("", "sets nothing: give at least one of "
                        + ", ".join(k for k in _SCHEMA["state"][1]))
    return out


def _model_keys() -> dict:
    """Saved keys of the model's state -> their default values."""
    from explorer.model.state import ModelState

    return ModelState().to_dict()


def _model_state(value, ctx: _Context) -> dict:
    """A ``"model"`` object: saved keys of the app's state (as in a session file's "model"),
    all of them or only those that change.  Once the whole state is known (a full object), every
    later one is checked merged into it, exactly as the renderer will load it."""
    from explorer.model.state import ModelState

    if not isinstance(value, dict):
        raise _Fail("model", template="expected an object of saved state keys (as in a session "
                                      "file's \"model\"), got {type}",
                    type=_type_name(value))
    defaults = _model_keys()
    for key, v in value.items():
        if key not in defaults:
            raise _Fail(f"model.{key}",
                        template="not a key of the saved state (see a session file's \"model\")")
        want, got = _type_name(defaults[key]), _type_name(v)
        if key != "version" and defaults[key] is not None and v is not None and want != got:
            raise _Fail(f"model.{key}", template="expected {want}, got {got}", want=want,
                        got=got)
    full = set(defaults) - {"version"} <= set(value)
    if full or ctx.model is not None:
        merged = dict(ctx.model if not full else defaults)
        merged.update(value)
        merged["version"] = defaults["version"]
        try:
            state = ModelState.from_dict(merged)
        except (InputError, ValueError) as exc:
            raise _Fail("model", str(exc)) from None       # names the state key
        ctx.model = merged
        ctx.n = state.dist.n
        ctx.q_logit_mode = bool(state.dist.q_logit_mode)
        ctx.softmax_n = state.dist.n if ctx.q_logit_mode else len(merged["softmax_logits"])
        ctx.epochs = int(state.training.params.epochs)
    elif "p" in value or "q" in value:
        ctx.n = len(value.get("p", value.get("q")))
    return dict(value)


def _v_animate(d: dict, ctx: _Context) -> dict:
    target = _choice("target", d["target"], ANIMATE_TARGETS)
    out = {"target": target, "duration": _duration("duration", d["duration"]),
           "easing": _choice("easing", d.get("easing", "ease_in_out"), EASINGS)}
    to = d["to"]
    if target in ("p", "q"):
        if target == "q" and ctx.q_logit_mode:
            raise _Fail("target", "q is in logit mode: animate \"logits\" instead")
        out["to"] = _distribution("to", to, ctx.n)
    elif target == "logits":
        out["to"] = _logits("to", to, ctx.logits_n)
    elif target == "temperature":
        out["to"] = _number("to", to, 0.05, 20.0)
    elif target == "smoothing":
        out["to"] = _number("to", to, 0.0, MAX_SMOOTHING)
    else:
        out["to"] = _number("to", to, -1000.0, 1000.0)
    return out


def _v_drag(d: dict, ctx: _Context) -> dict:
    target = _choice("target", d["target"], DRAG_TARGETS)
    ctx.require_visible("target", DRAG_DOCKS[target], f"dragging {target}")
    n = ctx.logits_n if target == "logits" else ctx.n
    index = _integer("index", d["index"], 0, None)
    if n is not None and index >= n:
        raise _Fail("index", f"{index} is not a bar of {target} (bars 0..{n - 1})")
    out = {"target": target, "index": index,
           "duration": _duration("duration", d.get("duration", 1.5)),
           "easing": _choice("easing", d.get("easing", "ease_in_out"), EASINGS)}
    if target == "q" and ctx.q_logit_mode:
        out["to"] = _number("to", d["to"], -1000.0, 1000.0)
    elif target in ("p", "q"):
        out["to"] = _number("to", d["to"], 0.0, 1.0)
    else:
        out["to"] = _number("to", d["to"], -1000.0, 1000.0)
    return out


def _v_train(d: dict, ctx: _Context) -> dict:
    from explorer.model.training_state import MAX_EPOCHS
    epochs = _integer("epochs", d["epochs"], 1, MAX_EPOCHS)
    start = _integer("from", d.get("from", 0), 0, MAX_EPOCHS)
    if ctx.epochs is not None and start + epochs > ctx.epochs:
        raise _Fail("epochs", f"from {start} + {epochs} epochs goes past the training length "
                              f"({ctx.epochs}); set \"training\": {{\"epochs\": ...}} in a state action")
    if "speed" in d and "duration" in d:
        raise _Fail("speed", "give either 'speed' (epochs per second) or 'duration', not both")
    if "duration" in d:
        duration = _duration("duration", d["duration"])
    else:
        speed = _number("speed", d.get("speed", 100.0), 0.0, 1e6, lo_open=True)
        duration = epochs / speed
        if duration > MAX_DURATION:
            raise _Fail("speed", f"{epochs} epochs at {speed:g}/s take {duration:g} s "
                                 f"(at most {MAX_DURATION:g} s)")
    follows = d.get("z_follows")
    if follows is not None:
        follows = _choice("z_follows", follows, ("mse", "ce"))
    return {"epochs": epochs, "from": start, "duration": duration, "z_follows": follows,
            "easing": _choice("easing", d.get("easing", "linear"), EASINGS)}


def _v_z_marker(d: dict, ctx: _Context) -> dict:
    return {"to": _number("to", d["to"], -1000.0, 1000.0),
            "duration": _duration("duration", d.get("duration", 0.0), allow_zero=True),
            "easing": _choice("easing", d.get("easing", "ease_in_out"), EASINGS)}


def _v_caption(d: dict, ctx: _Context) -> dict:
    duration = _duration("duration", d["duration"])
    fade = _number("fade", d.get("fade", min(0.3, duration / 3)), 0.0, MAX_DURATION)
    fade_in = _number("fade_in", d.get("fade_in", fade), 0.0, MAX_DURATION)
    fade_out = _number("fade_out", d.get("fade_out", fade), 0.0, MAX_DURATION)
    if fade_in + fade_out > duration + 1e-9:
        raise _Fail("fade", f"fade in + fade out ({fade_in + fade_out:g} s) is longer than the "
                            f"caption ({duration:g} s)")
    out = {"text": _text("text", d["text"], 500), "duration": duration,
           "position": _position("position", d.get("position", "bottom")),
           "fade_in": fade_in, "fade_out": fade_out,
           "size": _number("size", d.get("size", 24), 8, 96)}
    if "point_to" in d:
        pt = d["point_to"]
        if not isinstance(pt, dict):
            raise _Fail("point_to", "expected an object like {\"dock\": \"p\", \"x\": 0, \"y\": 0.7}")
        for key in pt:
            if key not in ("dock", "x", "y"):
                raise _Fail(f"point_to.{key}", "unknown key (allowed: dock, x, y)")
        for key in ("dock", "x", "y"):
            if key not in pt:
                raise _Fail("point_to", f"missing required key {key!r}")
        dock = _choice("point_to.dock", pt["dock"], POINT_TARGETS)
        ctx.require_visible("point_to.dock", POINT_DOCKS[dock], "pointing at it")
        out["point_to"] = {"dock": dock,
                           "x": _number("point_to.x", pt["x"], -1e6, 1e6),
                           "y": _number("point_to.y", pt["y"], -1e6, 1e6)}
    return out


def _v_sample(d: dict, ctx: _Context) -> dict:
    """Draw *events* more events from p over *duration* seconds (0: at once), paced by the
    frame index; *seed* starts a new sample with that seed, *reset* empties it first."""
    from explorer.model.sampling_state import MAX_SAMPLE, MAX_SEED
    out = {"events": _integer("events", d["events"], 1, MAX_SAMPLE),
           "duration": _duration("duration", d.get("duration", 0.0), allow_zero=True),
           "reset": _boolean("reset", d.get("reset", False)),
           "easing": _choice("easing", d.get("easing", "linear"), EASINGS)}
    if "seed" in d:
        out["seed"] = _integer("seed", d["seed"], 0, MAX_SEED)
    return out


def _v_pointer(d: dict, ctx: _Context) -> dict:
    """A recorded pointer path: ``points`` ``[t, where, x, y, down]`` with *t* seconds from the
    action's start (never decreasing), *where* a dock (x, y fractions of it), ``"window"``
    (fractions of the frame) or null (the pointer is not over the frame), *down* 0 or 1."""
    pts = d["points"]
    if not isinstance(pts, list) or not pts:
        raise _Fail("points", template="expected a non-empty list of [t, where, x, y, down] points")
    out, last = [], 0.0
    for i, pt in enumerate(pts):
        path = f"points[{i}]"
        if not isinstance(pt, list) or len(pt) != 5:
            raise _Fail(path, template="expected [t, where, x, y, down], got {value}",
                        value=json.dumps(pt)[:60])
        t = _number(f"{path}[0]", pt[0], 0.0, MAX_DURATION)
        if t < last:
            raise _Fail(f"{path}[0]", template="time {t} is before the previous point's "
                                               "({last})", t=f"{t:g}", last=f"{last:g}")
        last = t
        where = pt[1]
        if where is not None and where != "window":
            where = _dock(f"{path}[1]", where, ctx)
        x = _number(f"{path}[2]", pt[2], 0.0, 1.0)
        y = _number(f"{path}[3]", pt[3], 0.0, 1.0)
        down = pt[4]
        if down not in (0, 1) or isinstance(down, float) and not down.is_integer():
            raise _Fail(f"{path}[4]", template="expected 0 or 1, got {value}",
                        value=json.dumps(down)[:40])
        out.append((t, where, x, y, bool(down)))
    return {"points": out, "duration": last,
            "ripple": _boolean("ripple", d.get("ripple", True)),
            "shown": _boolean("shown", d.get("shown", True))}


def _v_wait(d: dict, ctx: _Context) -> dict:
    return {"duration": _duration("duration", d["duration"])}


_VALIDATORS = {"layout": _v_layout, "state": _v_state, "animate": _v_animate, "drag": _v_drag,
               "train": _v_train, "z_marker": _v_z_marker, "caption": _v_caption,
               "sample": _v_sample, "wait": _v_wait, "hold": _v_wait, "pointer": _v_pointer}


# ---------------------------------------------------------------------------- top level
def validate_scenario(data, source: str = "scenario", *, initial: dict | None = None,
                      presets: dict | None = None, docks=None) -> Scenario:
    """Validate a parsed scenario and return a :class:`Scenario`.

    Parameters
    ----------
    data : dict
        The parsed JSON.
    source : str
        File name used at the start of every error message.
    initial : dict, optional
        What the model holds before the first action: ``n`` (categories), ``softmax_n``,
        ``q_logit_mode``, ``epochs``.  Defaults are those of a fresh ``AppModel``.
    presets : dict, optional
        Known preset names (lower case) -> number of categories they set (None: they keep the
        current number).  ``None`` skips preset name checks.
    docks : sequence of str, optional
        Dock objectNames of the window (default: the six docks of the app).
    """
    def fail(where, problem):
        raise ScenarioError(source, where, problem)

    try:
        jsonutil.check_values(data, source, max_depth=MAX_DEPTH)
    except InputError as exc:
        raise ScenarioError.from_input_error(exc, source) from None
    if not isinstance(data, dict):
        fail("", f"expected a JSON object at the top level, got {_type_name(data)}")
    ctx = _Context(presets=presets, docks=tuple(docks) if docks else DEFAULT_DOCKS)
    for key, value in (initial or {}).items():
        setattr(ctx, key, value)
    allowed = {"version", "title", "description", "size", "fps", "target", "language",
               "actions", "comment"}
    allowed |= {"menu_bar", "status_bar"}          # window chrome in the frame (issue 20)
    for key in data:
        if key not in allowed:
            fail(key, f"unknown key (allowed: {', '.join(sorted(allowed))})")
    if "version" not in data:
        fail("", "missing required key 'version' (use \"version\": 1)")
    if data["version"] != FORMAT_VERSION:
        fail("version", f"unsupported version {data['version']!r} (expected {FORMAT_VERSION})")
    sc = Scenario(source=source)
    try:
        if "title" in data:
            sc.titles = _localized("title", data["title"], MAX_TITLE)
            sc.title = text_in(sc.titles, "en")
        if "description" in data:
            sc.descriptions = _localized("description", data["description"], MAX_DESCRIPTION,
                                         allow_empty=True)
        if "size" in data:
            sc.size = _size("size", data["size"])
            sc.size_given = True
        if "fps" in data:
            sc.fps = _integer("fps", data["fps"], 1, MAX_FPS)
            sc.fps_given = True
        if "target" in data:
            sc.target = "window" if data["target"] == "window" else _dock("target", data["target"], ctx)
        if "language" in data:
            sc.language = _choice("language", data["language"], ("en", "zh"))
        for key in ("menu_bar", "status_bar"):
            if key in data:
                setattr(sc, key, _boolean(key, data[key]))
    except _Fail as exc:
        raise _scenario_error(source, exc.path, exc) from None
    if "actions" not in data:
        fail("", "missing required key 'actions' (a list of actions)")
    actions = data["actions"]
    if not isinstance(actions, list) or not actions:
        fail("actions", "expected a non-empty list of actions")
    if len(actions) > MAX_ACTIONS:
        fail("actions", f"too many actions ({len(actions)}, at most {MAX_ACTIONS})")
    for i, raw in enumerate(actions):
        where = f"actions[{i}]"
        if not isinstance(raw, dict):
            fail(where, f"expected an object like {{\"action\": \"wait\", \"duration\": 1}}, "
                        f"got {_type_name(raw)}")
        kind = raw.get("action")
        if kind is None:
            fail(where, "missing required key 'action'")
        if kind not in _SCHEMA:
            fail(where, f"unknown action {json.dumps(kind)[:40]} (choose from {', '.join(ACTIONS)})")
        where = f"actions[{i}] ({kind})"
        try:
            _check_keys(kind, raw)
            params = _VALIDATORS[kind](raw, ctx)
            at = _number("at", raw["at"], 0.0, MAX_DURATION) if "at" in raw else None
            block = _boolean("block", raw.get("block", kind not in NON_BLOCKING))
            if "comment" in raw:
                _text("comment", raw["comment"], 4000, allow_empty=True)
        except _Fail as exc:
            raise _scenario_error(source, f"{where} {exc.path}".rstrip(), exc) from None
        duration = float(params.get("duration", 0.0))
        act = Action(index=i, kind=kind, params=params, at=at, duration=duration, block=block)
        sc.actions.append(act)
    total = schedule_seconds(sc.actions)[1]
    if total > MAX_DURATION:
        fail("actions", f"the timeline is {total:g} s long (at most {MAX_DURATION:g} s)")
    return sc


def read_scenario_text(path) -> tuple[str, object]:
    """Read and parse a scenario file; return ``(display_name, data)`` or raise ScenarioError.

    The file must be a regular file (a FIFO or a device is refused without blocking) of at most
    :data:`MAX_FILE_BYTES`, UTF-8 (a byte-order mark is fine); every value is checked with its
    key path: no NaN/Infinity, no number beyond ±1e15 (``"duration"`` written with 400 digits),
    no lone surrogate in a text, at most :data:`MAX_DEPTH` levels of nesting."""
    path = Path(path)
    name = path.name or str(path)
    try:
        try:
            raw = jsonutil.read_regular_file(path, MAX_FILE_BYTES)
        except OSError as exc:
            raise InputError("{file}: cannot read file ({reason})", file=str(path),
                             reason=exc.strerror or str(exc)) from None
        data = jsonutil.parse_json(jsonutil.decode_text(raw, name), name)
        jsonutil.check_values(data, name, max_depth=MAX_DEPTH)
    except InputError as exc:
        raise ScenarioError.from_input_error(exc, str(exc.fields.get("file", name))) from None
    return name, data


def load_scenario(path, **kwargs) -> Scenario:
    """Read, parse and validate the scenario file *path* (see :func:`validate_scenario`)."""
    name, data = read_scenario_text(path)
    return validate_scenario(data, name, **kwargs)


def bundled_demos(directory=None, **kwargs) -> list[tuple[Path, Scenario]]:
    """The demos shipped in ``resources/demos`` (or *directory*) as ``(path, scenario)`` pairs,
    sorted by file name; a file that does not validate is left out (the tests check that none
    is).  *kwargs* go to :func:`validate_scenario`."""
    if directory is None:
        from explorer import resources
        directory = resources.path("demos")
    out = []
    for f in sorted(Path(directory).glob("*.json")):
        try:
            out.append((f, load_scenario(f, **kwargs)))
        except ScenarioError:
            continue
    return out
