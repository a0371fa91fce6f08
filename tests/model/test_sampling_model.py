"""The sample in the shared model: draws, statistics, edits of p and q, N changes, undo, the
session round trip and the fit of q (issue 17)."""
import json
import math

import numpy as np
import pytest
from scipy.stats import entropy as sp_entropy

from explorer.model import AppModel
from explorer.model import app_model as m
from explorer.model.sampling_state import MAX_SAMPLE


def record(model):
    changes = []
    model.sigChanged.connect(changes.append)
    return changes


def test_draws_grow_the_sample_and_emit_one_change_each(model):
    changes = record(model)
    model.set_p([0.5, 0.25, 0.25])
    model.draw_samples(10)
    model.draw_samples(5)
    num = model.sample_numbers
    assert num.count == 15 and len(changes) == 3 and changes[-1].touches(m.SAMPLE)
    assert num.counts.sum() == 15 and num.recent.size == 15
    # the statistics are those of the events, computed here directly
    q = np.asarray(model.q)
    ev = num.events
    assert num.cross == pytest.approx(float(np.mean(-np.log(q[ev]))), rel=1e-12)
    assert num.log_likelihood == pytest.approx(float(np.sum(np.log(q[ev]))), rel=1e-12)
    np.testing.assert_array_equal(num.p_hat, np.bincount(ev, minlength=3) / 15)
    assert model.sampling.segments == (((0.5, 0.25, 0.25), 15),)   # one run of draws


def test_the_same_seed_gives_the_same_events_however_they_were_drawn(model):
    model.set_p([0.2, 0.3, 0.5])
    model.draw_samples(1000)
    once = model.sample_numbers.events.copy()
    other = AppModel()
    other.set_p([0.2, 0.3, 0.5])
    for _ in range(10):
        other.draw_samples(100)
    np.testing.assert_array_equal(other.sample_numbers.events, once)
    other.set_sample_seed(2)
    assert other.sample_numbers.count == 0
    other.draw_samples(1000)
    assert not np.array_equal(other.sample_numbers.events, once)


def test_editing_p_or_q_keeps_the_sample_and_rescores_it(model):
    model.set_p([0.5, 0.5, 0.0])
    model.draw_samples(200)
    ev = model.sample_numbers.events.copy()
    model.set_q([0.2, 0.3, 0.5])
    num = model.sample_numbers
    np.testing.assert_array_equal(num.events, ev)
    assert num.cross == pytest.approx(float(np.mean(-np.log(np.array([0.2, 0.3, 0.5])[ev]))))
    model.set_unit("bits")
    assert model.sample_numbers.cross == pytest.approx(num.cross / math.log(2), rel=1e-12)
    model.set_p([0.1, 0.1, 0.8])          # new draws come from the new p: a second run
    model.draw_samples(50)
    assert [c for _p, c in model.sampling.segments] == [200, 50]
    np.testing.assert_array_equal(model.sample_numbers.events[:200], ev)


def test_changing_n_resets_the_sample_with_a_note_and_so_does_undoing_it(model):
    model.draw_samples(30)
    changes = record(model)
    model.set_n(4)
    assert model.sample_numbers.count == 0 and model.sample_note == "n"
    assert changes[-1].touches(m.SAMPLE)
    model.draw_samples(5)                  # drawn with N = 4
    assert model.sample_note is None
    model.undo_stack.undo()                # back to N = 3: the N = 4 sample cannot stay
    assert model.n == 3 and model.sample_numbers.count == 0
    data = model.to_dict()
    AppModel().from_dict(data)             # and the state is a valid file


def test_an_event_q_calls_impossible_makes_the_mean_infinite_and_names_it(model):
    model.set_distributions([0.5, 0.5, 0.0], [1.0, 0.0, 0.0], ["cat", "dog", "horse"])
    model.draw_samples(50)
    num = model.sample_numbers
    first = int(np.flatnonzero(num.events == 1)[0])
    assert num.impossible == (first, 1)
    assert num.cross == math.inf and num.log_likelihood == -math.inf


def test_the_session_saves_the_seed_and_the_runs_not_the_events(model):
    model.set_p([0.25, 0.25, 0.5])
    model.set_sample_seed(99)
    model.draw_samples(400)
    model.set_sample_rate(100)
    data = json.loads(json.dumps(model.to_dict()))
    assert data["sample_seed"] == 99 and data["sample_segments"] == [
        {"p": [0.25, 0.25, 0.5], "count": 400}]
    assert len(json.dumps(data["sample_segments"])) < 100
    other = AppModel()
    other.from_dict(data)
    np.testing.assert_array_equal(other.sample_numbers.events, model.sample_numbers.events)
    assert other.sample_numbers.cross == model.sample_numbers.cross


@pytest.mark.parametrize("segments, message", [
    ([{"p": [0.5, 0.5], "count": 3}], "sample_segments"),
    ([{"p": [0.5, 0.5, 0.0], "count": MAX_SAMPLE + 1}], "count"),
    ([{"p": [0.5, 0.6, 0.0], "count": 3}], "sum to 1"),
    ("lots", "sample_segments"),
    ([{"p": [0.5, 0.5, 0.0]}], "sample_segments"),
])
def test_bad_sample_in_a_file_is_refused_naming_it(model, segments, message):
    before = model.to_dict()
    with pytest.raises(ValueError, match=message):
        model.from_dict({**before, "sample_segments": segments})
    assert model.to_dict() == before


def test_fit_q_to_the_sample_is_the_likelihood_maximum_and_undoable(model):
    model.set_p([0.6, 0.3, 0.1])
    with pytest.raises(ValueError, match="no events"):
        model.fit_q_to_sample()
    model.draw_samples(500)
    q_before = model.q.copy()
    p_hat = np.bincount(model.sample_numbers.events, minlength=3) / 500
    model.fit_q_to_sample()
    np.testing.assert_allclose(model.q, p_hat, atol=1e-15)
    # H(p̂, q) is least at q = p̂: the fitted q scores the sample best
    assert model.sample_numbers.cross == pytest.approx(sp_entropy(p_hat), rel=1e-9)
    assert "Fit q" in model.undo_stack.undoText()
    model.undo_stack.undo()
    np.testing.assert_array_equal(model.q, q_before)


def test_the_sample_size_is_bounded(model):
    with pytest.raises(ValueError, match="count"):
        model.draw_samples(MAX_SAMPLE + 1)
    model.draw_samples(MAX_SAMPLE - 1)
    with pytest.raises(ValueError, match="at most"):
        model.draw_samples(2)
    assert model.sample_numbers.count == MAX_SAMPLE - 1


def test_a_large_sample_is_rescored_when_the_drag_ends(model):
    model.set_p([0.5, 0.3, 0.2])
    model.draw_samples(m.LIVE_RESCORE_LIMIT + 1)
    before = model.sample_numbers.cross
    model.set_value("q", 0, 0.6, finished=False)
    assert model.sample_stale and model.sample_numbers.cross == before
    model.set_value("q", 0, 0.7, finished=False)
    model.finish_edit()
    assert not model.sample_stale
    q = np.asarray(model.q)
    assert model.sample_numbers.cross == pytest.approx(
        float(np.mean(-np.log(q[model.sample_numbers.events]))), rel=1e-12)
