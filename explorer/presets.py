"""Presets for the distribution editors (no Qt: the model, scripts and the recorder use them).

Two kinds, listed together in :data:`PRESETS` in menu order:

* **generated** — ``"uniform"``, ``"one-hot"`` (choose the class with ``index``) and ``"random"``
  (Dirichlet with ``concentration``, reproducible through ``seed``).  They apply to p, q or both
  and keep the current categories (or take ``n``).
* **examples** — the worked examples of the source articles, stored as plain versioned JSON in
  ``resources/presets/*.json``.  An example sets p, q and the category labels together.

:func:`build` turns a preset into the arrays to apply; :meth:`AppModel.apply_preset` applies
them as one change (one undo step).  Example file format (``version`` 1)::

    {"version": 1, "name": "pc-power-on", "order": 10, "title": "PC power-on",
     "description": "...", "labels": ["boots", "won't boot", "explodes"],
     "p": [0.7, 0.2, 0.1], "q": "uniform"}

Values may be numbers or exact fractions written as strings (``"1/8"``); ``"uniform"`` stands for
1/N everywhere.  Titles, descriptions and labels are English source texts: the UI passes them
through :func:`explorer.i18n.tr`.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np

from explorer import resources

PRESET_DIR = resources.path("presets")
FORMAT_VERSION = 1
MAX_FILE_BYTES = 256 * 1024

#: Generated presets (apply to p, q or both).
GENERATED = ("uniform", "one-hot", "random")
GENERATED_TITLES = {
    "uniform": "Uniform",
    "one-hot": "One-hot",
    "random": "Random (Dirichlet)",
}
GENERATED_DESCRIPTIONS = {
    "uniform": "Every category gets 1/N: maximum entropy, log N.",
    "one-hot": "All probability on one class: a certain outcome, entropy 0.",
    "random": "A random distribution drawn from a symmetric Dirichlet; small concentration gives "
              "spiky draws, large concentration nearly uniform ones. The seed makes it repeatable.",
}
TARGETS = ("p", "q", "both")
MIN_CONCENTRATION, MAX_CONCENTRATION = 0.01, 1000.0


@dataclass(frozen=True)
class ExamplePreset:
    """One worked example: p, q and labels set together."""

    name: str
    title: str
    description: str
    labels: tuple
    p: np.ndarray
    q: np.ndarray
    order: int = 100


_FRACTION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*/\s*(\d+(?:\.\d+)?)\s*$")


def _value(where: str, x) -> float:
    if isinstance(x, bool):
        raise ValueError(f"{where}: expected a number, got {x!r}")
    if isinstance(x, (int, float)):
        v = float(x)
    elif isinstance(x, str) and _FRACTION.match(x):
        num, den = _FRACTION.match(x).groups()
        if float(den) == 0:
            raise ValueError(f"{where}: division by zero in {x!r}")
        v = float(Fraction(num) / Fraction(den))
    else:
        raise ValueError(f"{where}: expected a number or a fraction like \"1/8\", got {x!r}")
    if not math.isfinite(v) or not 0 <= v <= 1:
        raise ValueError(f"{where}: {v:g} is not a probability in [0, 1]")
    return v


def _distribution(where: str, spec, n: int) -> np.ndarray:
    if spec == "uniform":
        return np.full(n, 1.0 / n)
    if not isinstance(spec, list) or len(spec) != n:
        raise ValueError(f"{where}: expected \"uniform\" or a list of {n} values")
    arr = np.array([_value(f"{where}[{i}]", x) for i, x in enumerate(spec)])
    s = float(arr.sum())
    if abs(s - 1.0) > 1e-9:
        raise ValueError(f"{where}: must sum to 1 (sum = {s:.12g})")
    return arr / s if s != 1.0 else arr


def parse_example(data, source: str = "preset") -> ExamplePreset:
    """Validate one example preset dict (migrating older versions); raise ValueError naming the
    file and field."""
    if not isinstance(data, dict):
        raise ValueError(f"{source}: expected a JSON object")
    version = data.get("version")
    if version != FORMAT_VERSION:
        raise ValueError(f"{source}: version: unsupported version {version!r} (expected {FORMAT_VERSION})")
    name = data.get("name")
    if not isinstance(name, str) or not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,40}", name):
        raise ValueError(f"{source}: name: expected a short lower-case id, got {name!r}")
    if name in GENERATED:
        raise ValueError(f"{source}: name: {name!r} is reserved")
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise ValueError(f"{source}: title: expected text")
    description = data.get("description", "")
    if not isinstance(description, str):
        raise ValueError(f"{source}: description: expected text")
    labels = data.get("labels")
    if (not isinstance(labels, list) or not 2 <= len(labels) <= 50
            or not all(isinstance(x, str) and 0 < len(x.strip()) <= 40 for x in labels)):
        raise ValueError(f"{source}: labels: expected 2 to 50 labels of 1 to 40 characters")
    n = len(labels)
    order = data.get("order", 100)
    if isinstance(order, bool) or not isinstance(order, int):
        raise ValueError(f"{source}: order: expected an integer")
    if "p" not in data:
        raise ValueError(f"{source}: p: missing")
    p = _distribution(f"{source}: p", data["p"], n)
    q = _distribution(f"{source}: q", data.get("q", "uniform"), n)
    return ExamplePreset(name, title.strip(), description.strip(),
                         tuple(x.strip() for x in labels), p, q, order)


def load_example_file(path) -> ExamplePreset:
    path = Path(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ValueError(f"{path.name}: file is too large for a preset")
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValueError(f"{path.name}: cannot read file ({exc.strerror or exc})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path.name}: not valid JSON ({exc})") from None
    return parse_example(data, path.name)


def load_examples(directory=PRESET_DIR, errors: list | None = None) -> dict[str, ExamplePreset]:
    """Every ``*.json`` example in *directory*, ordered by (order, name).  A bad file raises
    ValueError naming it, unless *errors* is a list: then its message is appended there and the
    file is skipped."""
    found = []
    for f in sorted(Path(directory).glob("*.json")):
        try:
            found.append(load_example_file(f))
        except ValueError as exc:
            if errors is None:
                raise
            errors.append(str(exc))
    names = [e.name for e in found]
    dup = {x for x in names if names.count(x) > 1}
    if dup:
        message = f"presets: duplicate name(s) {', '.join(sorted(dup))}"
        if errors is None:
            raise ValueError(message)
        errors.append(message)
        found = [e for e in found if e.name not in dup]
    return {e.name: e for e in sorted(found, key=lambda e: (e.order, e.name))}


#: Problems met while reading the shipped files (a broken file must not stop the app).
LOAD_ERRORS: list[str] = []
#: name -> ExamplePreset, read once at import (the files ship with the app).
EXAMPLES: dict[str, ExamplePreset] = load_examples(errors=LOAD_ERRORS)
#: Every preset name in menu order.
PRESETS: list[str] = [*GENERATED, *EXAMPLES]


def resolve(name: str) -> str:
    """Accept a preset name or its English title (case-insensitive); return the name."""
    if not isinstance(name, str):
        raise ValueError(f"preset: expected a name, got {name!r}")
    key = name.strip().lower()
    for candidate in PRESETS:
        if key in (candidate, title(candidate).lower()):
            return candidate
    raise ValueError(f"preset: unknown preset {name!r} (choose from {', '.join(PRESETS)})")


def title(name: str) -> str:
    """English title of a preset (translate it with ``i18n.tr`` when showing it)."""
    if name in GENERATED_TITLES:
        return GENERATED_TITLES[name]
    return EXAMPLES[name].title


def description(name: str) -> str:
    if name in GENERATED_DESCRIPTIONS:
        return GENERATED_DESCRIPTIONS[name]
    return EXAMPLES[name].description


def is_example(name: str) -> bool:
    return name in EXAMPLES


def generate(name: str, n: int, *, index: int = 0, seed: int = 0, concentration: float = 1.0,
             draw: int = 0) -> np.ndarray:
    """One generated distribution of length *n*.

    ``uniform``: ``1/n`` each.  ``one-hot``: ``e_index``.  ``random``: a draw from
    ``Dirichlet(concentration · 1)`` with ``numpy.random.default_rng(seed)`` (*draw* = 0 for the
    first draw of that generator, 1 for the second: p and q of a pair use 0 and 1).
    """
    if name == "uniform":
        return np.full(n, 1.0 / n)
    if name == "one-hot":
        if isinstance(index, bool) or not isinstance(index, (int, np.integer)) or not 0 <= index < n:
            raise ValueError(f"index: one-hot class must be 0..{n - 1}, got {index!r}")
        out = np.zeros(n)
        out[int(index)] = 1.0
        return out
    if name == "random":
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
            raise ValueError(f"seed: expected a non-negative integer, got {seed!r}")
        try:
            c = float(concentration)
        except (TypeError, ValueError):
            raise ValueError(f"concentration: expected a number, got {concentration!r}") from None
        if not MIN_CONCENTRATION <= c <= MAX_CONCENTRATION:
            raise ValueError(f"concentration: must be in [{MIN_CONCENTRATION:g}, "
                             f"{MAX_CONCENTRATION:g}], got {c:g}")
        rng = np.random.default_rng(int(seed))
        for _ in range(draw):
            rng.dirichlet(np.full(n, c))
        out = rng.dirichlet(np.full(n, c))
        s = float(out.sum())
        if not s > 0 or not np.all(np.isfinite(out)):      # extreme concentration underflow
            out = np.zeros(n)
            out[int(rng.integers(n))] = 1.0
            return out
        out = out / s
        out[int(np.argmax(out))] += 1.0 - float(out.sum())
        return np.clip(out, 0.0, 1.0)
    raise ValueError(f"preset: {name!r} is not a generated preset")


def build(name: str, *, n: int, which: str = "both", index: int = 0, seed: int = 0,
          concentration: float = 1.0) -> dict:
    """What applying preset *name* sets: ``{"p": array|None, "q": array|None, "labels":
    list|None}`` (None = keep).  Examples always set p, q and labels (``which`` must be
    ``"both"``); generated presets fill ``which`` with *n* categories."""
    name = resolve(name)
    if which not in TARGETS:
        raise ValueError(f"which: expected one of {', '.join(TARGETS)}, got {which!r}")
    if name in EXAMPLES:
        if which != "both":
            raise ValueError(f"which: the example {title(name)!r} sets p and q together")
        ex = EXAMPLES[name]
        return {"p": ex.p.copy(), "q": ex.q.copy(), "labels": list(ex.labels)}
    out = {"p": None, "q": None, "labels": None}
    for k, target in enumerate(("p", "q")):
        if which in (target, "both"):
            out[target] = generate(name, n, index=index, seed=seed, concentration=concentration,
                                   draw=k if which == "both" else 0)
    return out
