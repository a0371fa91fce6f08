"""Every declared state field round-trips, takes part in undo when its section is undoable, and
loads from files that lack it — proven by iterating the declarations, so a field added later is
covered without touching this file."""
import copy
import json

import numpy as np
import pytest

from explorer.model import AppModel
from explorer.model.distribution import DistributionState
from explorer.model.fields import Section, Spec
from explorer.model.state import ModelState, sections


def _leaves(cls, prefix=""):
    """(saved key, spec, owning section class) for every saved leaf field of *cls*."""
    for spec in cls.specs():
        if not spec.saved:
            continue
        if spec.section:
            sub = cls._sub_section(spec)
            yield from _leaves(sub, prefix + spec.key + "." if spec.path else prefix)
        else:
            yield prefix + spec.key, spec, cls


LEAVES = list(_leaves(ModelState))
KEYS = [k for k, _s, _c in LEAVES]


def _get(d: dict, dotted: str):
    for part in dotted.split("."):
        d = d[part]
    return d


def _set(d: dict, dotted: str, value) -> dict:
    d = copy.deepcopy(d)
    node = d
    parts = dotted.split(".")
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = copy.deepcopy(value)
    return d


def _delete(d: dict, dotted: str) -> dict:
    d = copy.deepcopy(d)
    node = d
    parts = dotted.split(".")
    for part in parts[:-1]:
        node = node[part]
    del node[parts[-1]]
    return d


def test_every_saved_key_is_declared_exactly_once():
    saved = AppModel().to_dict()

    def flat(d, prefix=""):
        for k, v in d.items():
            if isinstance(v, dict):
                yield from flat(v, prefix + k + ".")
            else:
                yield prefix + k

    assert sorted(set(flat(saved)) - {"version"}) == sorted(KEYS)
    assert len(KEYS) == len(set(KEYS))


@pytest.mark.parametrize("key", KEYS)
def test_declaration_is_complete(key):
    spec = next(s for k, s, _c in LEAVES if k == key)
    assert spec.kinds, f"{key}: declares no change kind"
    assert spec.example is not None, f"{key}: declares no example"
    default = _get(AppModel().to_dict(), key)
    assert json.loads(json.dumps(spec.example)) != default, f"{key}: example equals the default"


@pytest.mark.parametrize("key", KEYS)
def test_each_field_round_trips_and_emits_its_kinds(key):
    spec = next(s for k, s, _c in LEAVES if k == key)
    base = AppModel().to_dict()
    data = _set(base, key, spec.example)
    model = AppModel()
    seen = []
    model.sigChanged.connect(seen.append)
    model.from_dict(data)
    out = model.to_dict()
    assert _get(out, key) == spec.example, key
    # a second round trip is the identity on every key
    again = AppModel()
    again.from_dict(json.loads(json.dumps(out)))
    assert again.to_dict() == out
    assert len(seen) == 1 and seen[0].touches(*spec.kinds)


@pytest.mark.parametrize("key", KEYS)
def test_a_file_without_the_field_loads_its_default(key):
    """Old files (written before a field existed) lack it: loading takes the declared default;
    only p and q are required."""
    base = AppModel().to_dict()
    data = _delete(base, key)
    model = AppModel()
    if key in DistributionState.REQUIRED:
        with pytest.raises(ValueError, match=f"{key}: missing"):
            model.from_dict(data)
        assert model.to_dict() == base
        return
    model.set_p([0.25, 0.5, 0.25])       # something to overwrite
    model.from_dict(data)
    assert _get(model.to_dict(), key) == _get(base, key)


UNDOABLE = [(k, s) for k, s, c in LEAVES if c.UNDOABLE]


def test_undoable_section_is_the_editors_one():
    assert {c for _k, _s, c in LEAVES if c.UNDOABLE} == {DistributionState}
    assert {k for k, _s in UNDOABLE} >= {"p", "q", "labels", "locks_p", "locks_q", "q_logit_mode",
                                         "q_logits", "temperature"}


@pytest.mark.parametrize("key,spec", UNDOABLE, ids=[k for k, _s in UNDOABLE])
def test_each_undoable_field_is_undone_and_redone(key, spec):
    model = AppModel()
    before = model.to_dict()
    model.from_dict(_set(before, key, spec.example))
    after = model.to_dict()
    assert model.undo_stack.canUndo()
    model.undo_stack.undo()
    assert model.to_dict() == before
    model.undo_stack.redo()
    assert model.to_dict() == after


def test_non_undoable_fields_make_no_undo_step():
    model = AppModel()
    base = model.to_dict()
    for key, spec, cls in LEAVES:
        if not cls.UNDOABLE:
            model.from_dict(_set(base, key, spec.example))
    assert not model.undo_stack.canUndo()


def test_sections_are_immutable_and_compare_by_value():
    model = AppModel()
    dist = model.state.dist
    with pytest.raises(Exception):
        dist.p = np.array([1.0, 0, 0])            # frozen dataclass
    with pytest.raises(ValueError):
        dist.p[0] = 0.5                            # read-only array
    assert dist.equals(DistributionState.from_dict(model.to_dict()))
    assert not dist.equals(dist.evolve(temperature=2.0))
    assert dist.changed_fields(dist.evolve(temperature=2.0)) == ["temperature"]


def test_every_section_is_declared_with_specs():
    for name, cls in sections().items():
        assert issubclass(cls, Section), name
        assert all(isinstance(s, Spec) for s in cls.specs())
