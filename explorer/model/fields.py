"""Declared state fields: each piece of saved state is written down once, with everything about it.

A *section* is a frozen dataclass (subclass of :class:`Section`) whose fields are declared with
:func:`state_field`.  The declaration is the single place that says, for one field,

* its default (``default=`` or ``factory=``),
* where it lives in the saved model dict (``key=``, a dotted path such as ``"training.w0"``;
  the attribute name by default),
* which kinds of :class:`~explorer.model.change.Change` a new value emits (``kinds=``),
* how a value read from a file is checked and converted (``check=``, called as
  ``check(key, raw)``; it raises :class:`~explorer.core.errors.InputError` naming the key),
* how it is written back (arrays and tuples become lists; ``to_json=`` for anything else),
* a valid non-default example value (``example=``), which the tests use to prove that every
  declared field round-trips, takes part in undo when its section is undoable, and migrates.

Everything else is derived from the declarations: :meth:`Section.to_dict`,
:meth:`Section.from_dict` (fresh, validated objects — never a half-updated one), "what changed"
(:meth:`Section.changed_kinds`) and equality with numpy arrays.  A field whose value is itself a
section (``section=True``) is saved under its key as a nested object, or merged into its
parent's keys when ``key=""``.

Sections are immutable: a command builds a new section (:meth:`Section.evolve`) and the model
swaps it in.  A command that raises has therefore changed nothing, and an undo snapshot is just
the old object.
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import MISSING, dataclass
from typing import Any, Callable, ClassVar

import numpy as np

from explorer.core.errors import InputError

_META = "explorer_state"


@dataclass(frozen=True)
class Spec:
    """What :func:`state_field` declared about one field (read it with :meth:`Section.specs`)."""

    name: str
    key: str                         # dotted path in the saved dict; "" = merged into the parent
    kinds: frozenset
    check: Callable | None
    to_json: Callable | None
    example: Any
    array: str | None                # numpy dtype name for array fields, else None
    section: bool                    # the value is a nested Section
    saved: bool

    @property
    def path(self) -> tuple:
        return tuple(self.key.split(".")) if self.key else ()


def state_field(default=MISSING, *, factory=None, key: str | None = None, kinds=(),
                check: Callable | None = None, to_json: Callable | None = None,
                example=None, array: str | None = None, section: bool = False,
                saved: bool = True):
    """Declare one field of a :class:`Section` (see the module docstring)."""
    meta = {_META: dict(key=key, kinds=frozenset(kinds), check=check, to_json=to_json,
                        example=example, array=array, section=section, saved=saved)}
    if factory is not None:
        return dataclasses.field(default_factory=factory, metadata=meta, compare=False)
    return dataclasses.field(default=default, metadata=meta, compare=False)


def frozen_array(values, dtype="float64") -> np.ndarray:
    """A new read-only numpy array (the only kind of array a section holds)."""
    arr = np.array(values, dtype=dtype)
    arr.flags.writeable = False
    return arr


def _same(a, b) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (isinstance(a, np.ndarray) and isinstance(b, np.ndarray)
                and a.shape == b.shape and bool(np.array_equal(a, b)))
    if isinstance(a, Section):
        return isinstance(b, type(a)) and a.equals(b)
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def _json(spec: Spec, value):
    if spec.to_json is not None:
        return spec.to_json(value)
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return _plain(value)


def _plain(value):
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


_MISSING_VALUE = object()


def _lookup(data: dict, path: tuple):
    node = data
    for part in path:
        if not isinstance(node, dict) or part not in node:
            return _MISSING_VALUE
        node = node[part]
    return node


def _store(out: dict, path: tuple, value) -> None:
    node = out
    for part in path[:-1]:
        node = node.setdefault(part, {})
    node[path[-1]] = value


@dataclass(frozen=True, eq=False)
class Section:
    """Base of every state section (a frozen dataclass of :func:`state_field` fields)."""

    #: undo snapshots hold this section (see explorer.model.undo)
    UNDOABLE: ClassVar[bool] = False

    # ------------------------------------------------------------------ declarations
    @classmethod
    def specs(cls) -> tuple[Spec, ...]:
        cached = cls.__dict__.get("_specs_cache")
        if cached is None:
            out = []
            for f in dataclasses.fields(cls):
                meta = f.metadata.get(_META)
                if meta is None:
                    continue
                key = f.name if meta["key"] is None else meta["key"]
                out.append(Spec(name=f.name, **{**meta, "key": key}))
            cached = tuple(out)
            type.__setattr__(cls, "_specs_cache", cached)
        return cached

    @classmethod
    def spec(cls, name: str) -> Spec:
        for s in cls.specs():
            if s.name == name:
                return s
        raise KeyError(name)

    @classmethod
    def default_value(cls, name: str):
        f = cls.__dataclass_fields__[name]
        if f.default_factory is not MISSING:
            return f.default_factory()
        return f.default

    # ------------------------------------------------------------------ comparing
    def equals(self, other) -> bool:
        """Field-by-field equality (numpy arrays compared by value and shape)."""
        if type(other) is not type(self):
            return False
        return all(_same(getattr(self, s.name), getattr(other, s.name)) for s in self.specs())

    def changed_fields(self, other, names=None) -> list[str]:
        """Names of the fields (all, or only *names*) whose values differ from *other*'s.
        When this object was made from *other* by :meth:`evolve` (once or several times), only
        the fields those calls passed are compared."""
        if names is None and self.__dict__.get("_origin") is other:
            names = self.__dict__["_touched"]
        specs = self.specs() if names is None else [self.spec(n) for n in names]
        return [s.name for s in specs if not _same(getattr(self, s.name), getattr(other, s.name))]

    def changed_kinds(self, other, names=None) -> set:
        """The change kinds declared by every field that differs from *other* (a nested
        section contributes the kinds of its own changed fields)."""
        kinds: set = set()
        for name in self.changed_fields(other, names):
            spec = self.spec(name)
            kinds |= spec.kinds
            if spec.section:
                kinds |= getattr(self, name).changed_kinds(getattr(other, name))
        return kinds

    def evolve(self, **changes):
        """A copy with *changes* applied (no validation: commands validate their arguments).
        The copy remembers which object it came from and which fields were passed, so that
        "what changed" compares only those (see :meth:`changed_fields`)."""
        new = dataclasses.replace(self, **changes)
        origin = self.__dict__.get("_origin")
        if origin is None:
            origin, touched = self, frozenset(changes)
        else:
            touched = self.__dict__["_touched"] | frozenset(changes)
        object.__setattr__(new, "_origin", origin)
        object.__setattr__(new, "_touched", touched)
        return new

    def seal(self):
        """Forget where this object came from (the model calls it once the object is its
        current state, so the next edit compares against it); nested sections too."""
        if self.__dict__.get("_origin") is not None:
            object.__setattr__(self, "_origin", None)
            object.__setattr__(self, "_touched", frozenset())
        for spec in self.specs():
            if spec.section:
                getattr(self, spec.name).seal()
        return self

    # ------------------------------------------------------------------ saving / loading
    def to_dict(self) -> dict:
        """Plain JSON values at the declared keys (nested sections as nested objects)."""
        out: dict = {}
        for spec in self.specs():
            if not spec.saved:
                continue
            value = getattr(self, spec.name)
            if spec.section:
                sub = value.to_dict()
                if spec.path:
                    _store(out, spec.path, sub)
                else:
                    out.update(sub)
            else:
                _store(out, spec.path, _json(spec, value))
        return out

    @classmethod
    def from_dict(cls, data: dict, prefix: str = "", strict: bool = False):
        """A new, validated section from the saved dict *data* (missing keys take their
        defaults).  Raises :class:`~explorer.core.errors.InputError` naming the key.
        *strict* (a section saved as a nested object of its own) refuses unknown keys."""
        if not isinstance(data, dict):
            raise InputError("{key}: expected an object", key=prefix.rstrip(".") or "state")
        if strict:
            known = {s.path[0] for s in cls.specs() if s.saved and s.path}
            unknown = sorted(set(map(str, data)) - known)
            if unknown:
                raise InputError("{key}: unknown key(s) {names}", key=prefix.rstrip("."),
                                 names=", ".join(unknown))
        cls._check_unknown(data, prefix)
        values, missing = {}, set()
        for spec in cls.specs():
            if not spec.saved:
                continue
            name = prefix + spec.key
            if spec.section:
                sub = _lookup(data, spec.path) if spec.path else data
                if sub is _MISSING_VALUE:
                    sub = {}
                values[spec.name] = cls._sub_section(spec).from_dict(
                    sub, prefix + spec.key + "." if spec.path else prefix, strict=bool(spec.path))
                continue
            raw = _lookup(data, spec.path)
            if raw is _MISSING_VALUE:
                missing.add(spec.name)
                continue
            values[spec.name] = spec.check(name, raw) if spec.check else raw
        values = cls.fill_missing(values, missing)
        try:
            obj = cls(**values)
        except TypeError as exc:          # a value the declaration did not expect
            raise InputError("{key}: invalid value ({reason})", key=prefix.rstrip(".") or "state",
                             reason=str(exc)) from None
        return obj.validated(prefix)

    @classmethod
    def _sub_section(cls, spec: Spec):
        return cls.__dataclass_fields__[spec.name].default_factory().__class__

    @classmethod
    def _check_unknown(cls, data: dict, prefix: str) -> None:
        """Refuse unknown keys inside the nested objects this section declares (top-level keys
        it does not know may belong to another section and are left alone)."""
        nested: dict[tuple, set] = {}
        for spec in cls.specs():
            if len(spec.path) > 1:
                nested.setdefault(spec.path[:-1], set()).add(spec.path[-1])
        for parent, known in nested.items():
            node = _lookup(data, parent)
            if node is _MISSING_VALUE:
                continue
            name = prefix + ".".join(parent)
            if not isinstance(node, dict):
                raise InputError("{key}: expected an object", key=name)
            unknown = sorted(set(node) - known)
            if unknown:
                raise InputError("{key}: unknown key(s) {names}", key=name,
                                 names=", ".join(map(str, unknown)))

    @classmethod
    def fill_missing(cls, values: dict, missing: set) -> dict:
        """Hook: defaults for keys absent from a file that depend on other fields (the
        declared default is used otherwise)."""
        return values

    def validated(self, prefix: str = ""):
        """Hook: check relations between fields; return self or a normalised copy, or raise
        InputError naming the key."""
        return self

    # ------------------------------------------------------------------ tests and tools
    @classmethod
    def examples(cls) -> dict:
        """``{key: example}`` for every saved leaf field (nested sections included)."""
        out = {}
        for spec in cls.specs():
            if not spec.saved:
                continue
            if spec.section:
                sub = cls._sub_section(spec).examples()
                pre = spec.key + "." if spec.path else ""
                out.update({pre + k: v for k, v in sub.items()})
            else:
                out[spec.key] = spec.example
        return out
