"""Editor commands of the model: set_value, set_n, labels, locks, presets, swap/copy, undo/redo."""
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy.special import softmax as sp_softmax
from scipy.stats import entropy as sp_entropy

from explorer import presets
from explorer.model import app_model as m

ROOT = Path(__file__).resolve().parents[2]


def record(model):
    changed = []
    model.sigChanged.connect(changed.append)
    return changed


def test_set_value_takes_change_proportionally(model):
    model.set_p([0.7, 0.2, 0.1])
    model.set_value("p", 0, 0.4)
    np.testing.assert_allclose(model.p, [0.4, 0.4, 0.2], atol=1e-15)
    assert abs(model.p.sum() - 1) <= 1e-12


def test_set_value_respects_locks_bit_identical(model):
    model.set_q([0.1, 0.3, 0.6])
    model.set_lock("q", 2, True)
    before = model.q.copy()
    model.set_value("q", 0, 0.35)
    assert model.q[2] == before[2]
    np.testing.assert_allclose(model.q, [0.35, 0.05, 0.6], atol=1e-15)
    model.set_value("q", 0, 0.9)               # clamped at 1 - 0.6
    assert model.q[0] == pytest.approx(0.4) and model.q[2] == before[2]


def test_set_value_bad_input_changes_nothing(model):
    before, changed = model.to_dict(), record(model)
    for args in (("p", 0, 1.5), ("p", 0, "abc"), ("p", 7, 0.1), ("x", 0, 0.1), ("p", 0, float("nan"))):
        with pytest.raises(ValueError):
            model.set_value(*args)
    assert model.to_dict() == before and changed == []


def test_logit_mode_drag_edits_logits(model):
    model.set_q_logit_mode(True)
    model.set_temperature(2.0)
    model.set_value("q", 2, 1.5)
    z = model.q_logits
    assert z[2] == 1.5
    np.testing.assert_allclose(model.q, sp_softmax(z / 2.0), rtol=1e-12)
    with pytest.raises(ValueError, match="logit"):
        model.set_value("q", 0, 5000.0)


def test_set_n_grow_and_shrink(model):
    model.set_distributions([0.25] * 4, [0.1, 0.2, 0.3, 0.4], ["a", "b", "c", "d"])
    model.set_n(5)
    np.testing.assert_allclose(model.p, np.full(5, 0.2))
    assert model.labels == ["a", "b", "c", "d", "x1"] and model.n == 5
    assert len(model.locks_p) == 5 and not model.locks_q.any()
    model.set_n(2)
    assert model.labels == ["a", "b"]
    np.testing.assert_allclose(model.q, [1 / 3, 2 / 3])   # kept 0.08, 0.16 re-normalised
    assert abs(model.q.sum() - 1) <= 1e-12
    model.set_n(1000)
    assert model.n == 1000 and len(set(model.labels)) == 1000
    for bad in (1, 1001, 2.5, "3"):
        with pytest.raises(ValueError, match="n"):
            model.set_n(bad)


def test_set_n_in_logit_mode_keeps_q_softmax_of_logits(model):
    model.set_q_logit_mode(True)
    model.set_n(5)
    np.testing.assert_allclose(sp_softmax(model.q_logits / model.temperature), model.q, atol=1e-12)


def test_set_label(model):
    model.set_label(1, "  mastiff ")
    assert model.labels[1] == "mastiff"
    before = model.to_dict()
    for bad in ("", "   ", "x" * 41, 5):
        with pytest.raises(ValueError, match="label"):
            model.set_label(0, bad)
    assert model.to_dict() == before


# ---------------------------------------------------------------- presets
def test_presets_listed_in_order():
    assert presets.PRESETS[:3] == ["uniform", "one-hot", "random"]
    assert presets.PRESETS[3:] == ["pc-power-on", "mastiff-photo", "horse-photo", "sunrise", "bob-alice"]
    assert presets.resolve("Olah's Bob & Alice") == "bob-alice"


def test_presets_module_is_qt_free():
    code = "import explorer.presets, sys; print([k for k in sys.modules if k.startswith('PySide6')])"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         timeout=60, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("name, p, q, labels, cross", [
    ("pc-power-on", [0.7, 0.2, 0.1], [1 / 3] * 3, ["boots", "won't boot", "explodes"], None),
    ("mastiff-photo", [0, 1, 0], [0.4, 0.4, 0.2], ["cat", "dog", "horse"], 0.9163),
    ("horse-photo", [0, 0, 1], [0.1, 0.12, 0.78], ["cat", "dog", "horse"], 0.2485),
    ("sunrise", [1, 0], [0.5, 0.5], ["east", "west"], None),
    ("bob-alice", [1 / 2, 1 / 4, 1 / 8, 1 / 8], [1 / 8, 1 / 2, 1 / 4, 1 / 8],
     ["dog", "cat", "fish", "bird"], None),
])
def test_example_presets(model, name, p, q, labels, cross):
    changed = record(model)
    model.apply_preset(name)
    assert len(changed) == 1
    np.testing.assert_allclose(model.p, p, atol=1e-15)
    np.testing.assert_allclose(model.q, q, atol=1e-15)
    assert model.labels == labels
    expected = -np.sum(np.asarray(p) * np.log(np.where(np.asarray(p) > 0, q, 1)))
    assert model.info.cross_pq == pytest.approx(expected)
    if cross is not None:
        assert round(model.info.cross_pq, 4) == cross
    assert model.info.entropy_p == pytest.approx(sp_entropy(p))


def test_bob_alice_bits(model):
    model.apply_preset("Olah's Bob & Alice")
    model.set_unit("bits")
    assert model.info.entropy_p == pytest.approx(1.75)
    assert model.info.cross_pq == pytest.approx(2.375) and model.info.cross_qp == pytest.approx(2.25)


def test_generated_presets(model):
    model.apply_preset("uniform", which="p", n=5)
    assert model.n == 5
    np.testing.assert_allclose(model.p, np.full(5, 0.2))
    model.apply_preset("one-hot", which="q", index=3)
    np.testing.assert_array_equal(model.q, [0, 0, 0, 1, 0])
    model.apply_preset("random", which="both", seed=7, concentration=0.5)
    rng = np.random.default_rng(7)
    ref_p = rng.dirichlet(np.full(5, 0.5))
    ref_q = rng.dirichlet(np.full(5, 0.5))
    np.testing.assert_allclose(model.p, ref_p, atol=1e-12)
    np.testing.assert_allclose(model.q, ref_q, atol=1e-12)
    before = model.to_dict()
    for kwargs in ({"which": "x"}, {"index": 9}, {"concentration": 0}, {"seed": -1}, {"colour": 1}):
        name = "one-hot" if "index" in kwargs else "random"
        with pytest.raises(ValueError):
            model.apply_preset(name, **kwargs)
    with pytest.raises(ValueError, match="unknown preset"):
        model.apply_preset("nope")
    with pytest.raises(ValueError, match="together"):
        model.apply_preset("sunrise", which="p")
    assert model.to_dict() == before


def test_preset_files_validated(tmp_path):
    good = json.loads((presets.PRESET_DIR / "bob-alice.json").read_text())
    assert presets.parse_example(good).p[0] == 0.5
    bad_cases = [
        ({**good, "version": 2}, "version"),
        ({**good, "p": ["1/2", "1/4", "1/8", "1/4"]}, "sum to 1"),
        ({**good, "p": ["1/0", 0, 0, 1]}, "division"),
        ({**good, "labels": ["a"]}, "labels"),
        ({**good, "name": "Bad Name"}, "name"),
        ({**good, "q": [0.5, 0.5]}, "q"),
    ]
    for data, message in bad_cases:
        with pytest.raises(ValueError, match=message):
            presets.parse_example(data, "x.json")
    (tmp_path / "a.json").write_text("{not json")
    with pytest.raises(ValueError, match="a.json"):
        presets.load_examples(tmp_path)
    (tmp_path / "b.json").write_text(json.dumps(good))
    errors = []
    assert list(presets.load_examples(tmp_path, errors)) == ["bob-alice"]
    assert "a.json" in errors[0]
    assert presets.LOAD_ERRORS == []          # the shipped files are all valid


# ---------------------------------------------------------------- swap / copy
def test_swap_and_copy(model):
    p, q = model.p.copy(), model.q.copy()
    model.swap_pq()
    np.testing.assert_array_equal(model.p, q)
    np.testing.assert_array_equal(model.q, p)
    model.copy_dist("p", "q")
    np.testing.assert_array_equal(model.q, model.p)
    assert model.info.kl_pq == 0.0


# ---------------------------------------------------------------- undo / redo
def test_drag_is_one_undo_step_and_cancel_restores_exactly(model):
    stack = model.undo_stack
    start = model.to_dict()
    for v in (0.5, 0.6, 0.7):
        model.set_value("q", 0, v, finished=False)
    model.set_value("q", 0, 0.7, finished=True)
    assert stack.count() == 1 and "cat" in stack.undoText()
    after = model.to_dict()
    stack.undo()
    assert model.to_dict() == start
    stack.redo()
    assert model.to_dict() == after
    # cancel: back to the last finished state, bit for bit, and no undo step
    model.set_value("q", 1, 0.05, finished=False)
    assert model.cancel_edit()
    assert model.to_dict() == after and stack.count() == 1
    assert not model.cancel_edit()


def test_every_edit_kind_is_one_named_step(model):
    stack = model.undo_stack
    states = [model.to_dict()]
    edits = [
        (lambda: model.set_value("p", 0, 0.25), "p"),
        (lambda: model.apply_preset("pc-power-on"), "PC power-on"),
        (lambda: model.set_n(5), "5"),
        (lambda: model.set_label(0, "on"), "on"),
        (lambda: model.toggle_lock("p", 1), "Lock"),
        (lambda: model.swap_pq(), "Swap"),
        (lambda: model.copy_dist("p", "q"), "Copy"),
        (lambda: model.set_q_logit_mode(True), "logit"),
    ]
    for k, (edit, word) in enumerate(edits, 1):
        edit()
        assert stack.count() == k
        assert word in stack.text(k - 1)
        states.append(model.to_dict())
    for k in range(len(edits), 0, -1):
        stack.undo()
        assert model.to_dict() == states[k - 1]
    for k in range(1, len(edits) + 1):
        stack.redo()
        assert model.to_dict() == states[k]


def test_unchanged_edit_makes_no_step(model):
    model.set_value("p", 1, 1.0)          # already 1
    model.set_value("p", 1, 0.5)          # others all 0: they share 0.5 (issue 21), one step
    model.set_unit("bits")                # not an editor edit
    assert model.undo_stack.count() == 1


def test_undo_emits_one_finished_change(model):
    model.set_value("q", 2, 0.5)
    changed = record(model)
    model.undo_stack.undo()
    assert len(changed) == 1 and changed[0].finished and changed[0].touches(m.DISTRIBUTIONS)
    assert model.undo_stack.count() == 1 and model.undo_stack.index() == 0


def test_undo_history_is_bounded(model):
    assert 100 <= model.undo_stack.undoLimit() <= 5000
    for k in range(model.undo_stack.undoLimit() + 5):
        model.set_value("q", 0, 0.1 + 0.5 * (k % 2))
    assert model.undo_stack.count() == model.undo_stack.undoLimit()
