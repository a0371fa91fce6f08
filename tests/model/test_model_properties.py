"""The model under random and hostile commands: a command that raises changes nothing, a command
that succeeds leaves a valid state, undo restores exactly, and the round trip through a file is
the identity on every key.  Plus the corruptions found by an earlier trial (issue 14)."""
import json
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.special import softmax as sp_softmax

from explorer.model import AppModel


# ------------------------------------------------------------------------------ invariants
_OTHER: list = []


def assert_round_trip(model: AppModel) -> None:
    """The file round trip (through JSON text) is the identity on every key."""
    if not _OTHER:
        _OTHER.append(AppModel())
    data = model.to_dict()
    other = _OTHER[0]
    other.from_dict(json.loads(json.dumps(data, allow_nan=False)))
    assert other.to_dict() == data


def assert_valid(model: AppModel, round_trip: bool = True) -> None:
    n = model.n
    p, q = np.asarray(model.p), np.asarray(model.q)
    for name, d in (("p", p), ("q", q)):
        assert d.shape == (n,), name
        assert np.all(np.isfinite(d)) and np.all(d >= 0) and np.all(d <= 1), (name, d)
        assert abs(math.fsum(d) - 1.0) <= 1e-9, (name, math.fsum(d))
    assert 2 <= n <= 1000
    assert len(model.labels) == n and all(isinstance(x, str) and 0 < len(x) <= 40 for x in model.labels)
    assert model.locks_p.shape == (n,) and model.locks_q.shape == (n,)
    z = model.q_logits
    assert z.shape == (n,) and np.all(np.isfinite(z)) and np.all(np.abs(z) <= 1000)
    if model.q_logit_mode:
        np.testing.assert_allclose(sp_softmax(z / model.temperature), q, atol=1e-9)
    sample = model.sample_numbers
    assert sample.count == model.sampling.count == sample.events.size
    assert model.sampling.n_categories in (None, n)
    assert sample.counts.sum() == sample.count
    info = model.info
    for v in (info.entropy_p, info.entropy_q, info.cross_pq, info.cross_qp, info.kl_pq,
              info.kl_qp, info.js):
        assert not math.isnan(v)
    assert info.entropy_p >= 0
    if not model.eps_enabled:        # with clipping, q' is no distribution and KL may dip below 0
        assert info.kl_pq >= 0 and info.kl_qp >= 0
    if round_trip:
        assert_round_trip(model)


# ------------------------------------------------------------------------------ strategies
nasty_floats = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, 1.0, 0.5, 1e-310, 5e-324, 1 - 1e-16, 1e-15, -0.0, 1e308, -1e-300]),
    st.floats(min_value=0, max_value=1),
)
nasty_any = st.one_of(nasty_floats, st.integers(min_value=-3, max_value=60),
                      st.just(10 ** 400), st.none(), st.text(max_size=3), st.booleans(),
                      st.lists(st.floats(0, 1), max_size=3))
which = st.sampled_from(["p", "q", "q", "x"])
index = st.one_of(st.integers(min_value=-1, max_value=6), st.just(1.0), st.none())


def dist_values():
    return st.one_of(
        st.lists(st.floats(0, 1), min_size=2, max_size=6).map(
            lambda v: (np.array(v) / sum(v)).tolist() if sum(v) > 0 else v),
        st.lists(nasty_floats, min_size=0, max_size=4),
    )


COMMANDS = st.one_of(
    st.tuples(st.just("set_value"), which, index, nasty_any),
    st.tuples(st.just("set_value"), which, st.integers(0, 2), st.floats(0, 1)),
    st.tuples(st.just("set_value"), which, st.integers(0, 2), st.sampled_from([0.0, 1.0, 1e-310])),
    st.tuples(st.just("set_n"), st.one_of(st.integers(0, 12), st.just(1001), nasty_any)),
    st.tuples(st.just("set_dist"), which, dist_values()),
    st.tuples(st.just("set_lock"), which, index, st.one_of(st.booleans(), nasty_any)),
    st.tuples(st.just("toggle_lock"), which, index),
    st.tuples(st.just("set_q_logit_mode"), st.booleans()),
    st.tuples(st.just("set_q_logits"), st.lists(st.one_of(
        st.floats(-1000, 1000), st.sampled_from([-740.0, -1000.0, 0.0, 1e4])), min_size=2, max_size=4)),
    st.tuples(st.just("set_temperature"), st.one_of(st.floats(0.05, 20), nasty_any)),
    st.tuples(st.just("set_unit"), st.one_of(st.sampled_from(["bits", "nats", "bans", "x"]),
                                             st.just(["bits"]), nasty_any)),
    st.tuples(st.just("set_precision"), nasty_any),
    st.tuples(st.just("set_eps"), st.booleans(), st.one_of(st.none(), nasty_floats)),
    st.tuples(st.just("swap_pq")),
    st.tuples(st.just("copy_dist"), which, which),
    st.tuples(st.just("set_label"), index, st.one_of(st.text(max_size=45), st.just("\ud800"), nasty_any)),
    st.tuples(st.just("apply_preset"), st.sampled_from(["uniform", "one-hot", "random",
                                                         "pc-power-on", "sunrise", "nope"])),
    st.tuples(st.just("set_z_marker"), nasty_any),
    st.tuples(st.just("set_softmax_logits"), st.lists(st.floats(-50, 50), min_size=2, max_size=5)),
    st.tuples(st.just("set_softmax_target"), st.sampled_from(["p", "onehot", None, "x"]), index),
    st.tuples(st.just("set_training_params"), st.sampled_from(["w0", "b0", "lr", "epochs", "y"]),
              nasty_any),
    st.tuples(st.just("set_training_epoch"), st.one_of(st.integers(-1, 400), nasty_any)),
    st.tuples(st.just("set_training_mode"), st.sampled_from(["neuron", "dataset", "multiclass", "x"])),
    st.tuples(st.just("draw_samples"), st.one_of(st.integers(0, 300), nasty_any)),
    st.tuples(st.just("reset_sample")),
    st.tuples(st.just("fit_q_to_sample")),
    st.tuples(st.just("set_sample_seed"), st.one_of(st.integers(0, 5), nasty_any)),
    st.tuples(st.just("undo")),
    st.tuples(st.just("redo")),
)


def _apply(model, cmd):
    name, *args = cmd
    if name == "undo":
        return model.undo_stack.undo()
    if name == "redo":
        return model.undo_stack.redo()
    if name == "set_training_params":
        key, value = args
        return model.set_training_params(**{key: value})
    return getattr(model, name)(*args)


def _undoable(data: dict) -> dict:
    return {k: v for k, v in data.items() if not k.startswith("sample_")}


_FRESH: list = []


def fresh_model() -> AppModel:
    """A model in the default state with an empty undo stack (reused: building one is slow)."""
    if not _FRESH:
        _FRESH.append((AppModel(), AppModel().to_dict()))
    model, defaults = _FRESH[0]
    model.from_dict(defaults)
    model.set_training_running(False)
    model.set_highlight(None)
    model.undo_stack.clear()
    return model


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(COMMANDS, min_size=1, max_size=20))
def test_random_command_sequences_keep_the_model_valid(commands):
    model = fresh_model()
    for cmd in commands:
        before = model.to_dict()
        steps = model.undo_stack.count()
        try:
            _apply(model, cmd)
        except ValueError:
            # a refused command changed nothing at all
            assert model.to_dict() == before, cmd
            assert model.undo_stack.count() == steps, cmd
            continue
        assert_valid(model, round_trip=False)
        if cmd[0] not in ("undo", "redo") and model.undo_stack.count() == steps + 1:
            # the step just pushed undoes exactly to the state before the command (the sample
            # is not part of undo: a change of N empties it for good)
            after = model.to_dict()
            model.undo_stack.undo()
            assert _undoable(model.to_dict()) == _undoable(before), cmd
            model.undo_stack.redo()
            assert _undoable(model.to_dict()) == _undoable(after), cmd
    assert_round_trip(model)


@settings(deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2), st.floats(0, 1)), min_size=1, max_size=8),
       st.booleans())
def test_a_cancelled_drag_restores_the_state_exactly(moves, logit_mode):
    model = fresh_model()
    model.set_q_logit_mode(logit_mode)
    before = model.to_dict()
    for i, v in moves:
        model.set_value("q", i, v * (20 if logit_mode else 1) - (10 if logit_mode else 0),
                        finished=False)
    assert model.cancel_edit() or model.to_dict() == before
    assert model.to_dict() == before


# ------------------------------------------------------------------------------ found by a trial
def test_set_n_with_underflowing_logits_is_valid_or_refused_without_change():
    """Issue 14, item 2: set_n raised ValueError yet left n = 2, q = [0, nan] and three logits."""
    model = AppModel()
    model.set_q_logit_mode(True)
    model.set_q_logits([-740.0, -1000.0, 0.0])
    before = model.to_dict()
    try:
        model.set_n(2)
    except ValueError:
        assert model.to_dict() == before
    assert_valid(model)
    model.set_temperature(2.0)
    assert_valid(model)
    assert model.p.size == model.q.size == model.q_logits.size


def test_set_n_after_a_subnormal_bar_keeps_p_a_distribution():
    """Issue 14, item 2, through the model: bar 2 = 1, bar 0 = 1e-310, then N - 1."""
    model = AppModel()
    model.set_value("p", 2, 1.0)
    try:
        model.set_value("p", 0, 1e-310)
    except ValueError:
        pass
    before = model.to_dict()
    try:
        model.set_n(2)
    except ValueError:
        assert model.to_dict() == before
    assert_valid(model)


@pytest.mark.parametrize("call", [
    lambda m: m.set_value("p", 0, 10 ** 400),
    lambda m: m.set_z_marker(10 ** 400),
    lambda m: m.set_temperature(10 ** 400),
    lambda m: m.set_unit(["bits"]),
    lambda m: m.set_training_epoch(None),
    lambda m: m.set_training_params(w0=10 ** 400),
    lambda m: m.set_lock("q", 1.0, True),
    lambda m: m.set_lock("x", 0, True),
    lambda m: m.set_dist("x", [0.2, 0.3, 0.5]),
    lambda m: m.set_value("x", 0, 0.5),
    lambda m: m.set_label(0, "\ud800"),
    lambda m: m.set_precision(2.0),
    lambda m: m.set_eps(True, 10 ** 400),
    lambda m: m.from_dict({**AppModel().to_dict(), "z_marker": 10 ** 400}),
    lambda m: m.from_dict({**AppModel().to_dict(), "labels": ["a", "\ud800", "c"]}),
], ids=["value-huge-int", "z-huge-int", "T-huge-int", "unit-list", "epoch-none", "w0-huge-int",
        "lock-float-index", "lock-bad-which", "dist-bad-which", "value-bad-which",
        "label-surrogate", "precision-float", "eps-huge-int", "file-huge-int", "file-surrogate"])
def test_hostile_arguments_are_refused_with_a_value_error_and_change_nothing(call):
    """Issue 14, item 7: these raised OverflowError, TypeError or IndexError, or silently
    edited q."""
    model = AppModel()
    before = model.to_dict()
    with pytest.raises(ValueError) as info:
        call(model)
    assert type(info.value) is not OverflowError
    assert model.to_dict() == before
    assert str(info.value).split(":")[0], "the message names the field"


def test_round_trip_keeps_q_logits_outside_logit_mode():
    """Issue 14, item 10: from_dict(to_dict()) changed q_logits by up to 988 when logit mode was
    off and T != 1."""
    model = AppModel()
    model.set_q_logit_mode(True)
    model.set_q_logits([3.0, -2.0, 0.5])
    model.set_q_logit_mode(False)
    model.set_temperature(4.0)
    model.set_q([0.2, 0.3, 0.5])
    data = model.to_dict()
    other = AppModel()
    other.from_dict(data)
    assert other.to_dict() == data
