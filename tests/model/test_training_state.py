"""The model's training-race state: presets, book-widget mode, playback, datasets, caches,
validation and the session round trip."""
import json

import numpy as np
import pytest

from explorer import core
from explorer.model import AppModel
from explorer.model import app_model as m
from explorer.model.training_state import BOOK_CE_LR


def record(model):
    changes = []
    model.sigChanged.connect(changes.append)
    return changes


def test_presets_load_as_one_change_and_match_train_neuron(model):
    changes = record(model)
    model.set_training_epoch(17)
    model.apply_training_preset("nielsen_saturated")
    assert len(changes) == 2 and changes[1].touches(m.TRAINING_PARAMS, m.TRAINING_PROGRESS)
    assert model.training_epoch == 0 and model.training.preset == "nielsen_saturated"
    ref = core.train_neuron(2.0, 2.0, 1.0, 0.0, 0.15, 300, "ce")
    np.testing.assert_array_equal(model.histories["ce"].a, ref.a)
    model.apply_training_preset("saturated_negative")
    t = model.training
    assert (t.w0, t.b0, t.y) == (-2.0, -2.0, 1.0)
    # the mirror case: both start at a = σ(−4) ≈ 0.018 with target 1; MSE is stuck, CE is not
    h = model.histories
    assert h["mse"].a[0] == pytest.approx(1 / (1 + np.exp(4.0)), rel=1e-12)
    assert h["ce"].a[60] > 0.9 and h["mse"].a[60] < 0.1
    with pytest.raises(ValueError, match="preset"):
        model.apply_training_preset("nope")


def test_book_mode_uses_the_widget_step(model):
    model.apply_training_preset("book_widget")
    assert model.training.book_mode
    ref = core.train_neuron(2.0, 2.0, 1.0, 0.0, BOOK_CE_LR, 300, "ce_book")
    np.testing.assert_array_equal(model.histories["ce"].w, ref.w)
    # the widget steps by dC/da = 1/(1 - a) for y = 0: after one step z drops by 2 * 0.005/(1 - a0)
    a0 = ref.a[0]
    assert model.histories["ce"].z[1] == pytest.approx(4.0 - 2 * BOOK_CE_LR / (1 - a0), rel=1e-12)
    np.testing.assert_array_equal(model.histories["mse"].w,
                                  core.train_neuron(2.0, 2.0, 1.0, 0.0, 0.15, 300, "mse").w)
    with pytest.raises(ValueError, match="book_mode"):
        model.set_training_params(book_mode="yes")


def test_playback_settings_validate_and_emit_once(model):
    changes = record(model)
    model.set_training_speed(250)
    model.set_training_speed(250)
    model.set_training_loop(True)
    model.set_training_mode("multiclass")
    assert len(changes) == 3 and all(c.touches(m.TRAINING_VIEW) for c in changes)
    for bad, call in ((0.5, model.set_training_speed), (1001, model.set_training_speed),
                      ("x", model.set_training_mode), ("yes", model.set_training_loop)):
        with pytest.raises(ValueError):
            call(bad)
    assert (model.training_speed, model.training_loop, model.training_mode) == (250, True, "multiclass")


def test_landscape_is_cached_on_its_parameters(model):
    land = model.landscape
    assert land.loss["mse"].shape == (200, 200)
    model.set_training_params(lr=0.155)             # same (x, y) and (rounded) box: reused
    assert model.landscape.bounds == land.bounds
    assert model.landscape is land
    model.set_training_params(y=1.0)
    assert model.landscape is not land
    land = model.landscape
    w0 = model.histories["ce"].w[0]
    b0 = model.histories["ce"].b[0]
    assert land.bounds[0] <= w0 <= land.bounds[1] and land.bounds[2] <= b0 <= land.bounds[3]


def test_dataset_edits_reset_the_race_and_recompute(model):
    model.set_training_mode("dataset")
    race = model.race("dataset")
    assert model.race("dataset") is race                       # cached
    model.set_training_epoch(40)
    n = len(model.dataset_points("dataset"))
    model.add_dataset_point("dataset", 0.5, -0.5, 1)
    assert model.training_epoch == 0 and len(model.dataset_points("dataset")) == n + 1
    race2 = model.race("dataset")
    assert race2 is not race and len(race2.X) == n + 1
    model.remove_dataset_point("dataset", n)
    np.testing.assert_array_equal(model.race("dataset").X, race.X)
    with pytest.raises(ValueError, match="x1"):
        model.add_dataset_point("dataset", 9.0, 0.0, 0)
    with pytest.raises(ValueError, match="label"):
        model.add_dataset_point("dataset", 0.0, 0.0, 2)
    # lr / init keep the points, seed regenerates them
    pts = model.dataset_points("multiclass")
    model.set_dataset_params(lr=0.9, init="wrong")
    np.testing.assert_array_equal(model.dataset_points("multiclass"), pts)
    model.set_dataset_params(seed=99)
    assert not np.array_equal(model.dataset_points("multiclass"), pts)


def test_cannot_remove_below_two_points(model):
    model.set_dataset_points("dataset", [[0, 0, 0], [1, 1, 1]])
    with pytest.raises(ValueError, match="at least"):
        model.remove_dataset_point("dataset", 0)
    assert len(model.dataset_points("dataset")) == 2


def test_selected_point_follows_removals(model):
    model.set_selected_point(10)
    model.remove_dataset_point("multiclass", 3)
    assert model.selected_point == 9
    with pytest.raises(ValueError, match="selected_point"):
        model.set_selected_point(10_000)


def test_round_trip_with_training_state(model):
    model.apply_training_preset("book_widget")
    model.set_training_speed(123)
    model.set_training_loop(True)
    model.set_training_mode("multiclass")
    model.set_dataset_params(seed=5, overlap=0.4, init="wrong")
    model.add_dataset_point("multiclass", 1.0, -1.0, 2)
    model.set_selected_point(4)
    model.set_training_epoch(77)
    data = json.loads(json.dumps(model.to_dict()))
    other = AppModel()
    other.from_dict(data)
    assert other.to_dict() == data
    assert other.training_epoch == 77 and other.training.book_mode
    np.testing.assert_array_equal(other.race("multiclass").runs["ce"].loss,
                                  model.race("multiclass").runs["ce"].loss)


def test_old_sessions_without_training_keys_load(model):
    data = model.to_dict()
    for key in ("training_playback", "dataset", "dataset_points", "multiclass_points", "selected_point"):
        data.pop(key)
    data["training"].pop("book_mode")
    other = AppModel()
    other.from_dict(data)
    assert other.training_mode == "neuron" and not other.training.book_mode


@pytest.mark.parametrize("key, value, message", [
    ("training_playback", {"speed": 5000}, "speed"),
    ("training_playback", {"mode": "x"}, "mode"),
    ("dataset", {"overlap": 3}, "overlap"),
    ("dataset_points", [[0, 0, 0]], "dataset_points"),
    ("multiclass_points", [[0, 0, 0], [1, 1, 7]], "multiclass_points"),
    ("selected_point", 99999, "selected_point"),
])
def test_bad_training_session_leaves_model_untouched(model, key, value, message):
    before = model.to_dict()
    data = model.to_dict()
    data[key] = value
    with pytest.raises(ValueError, match=message):
        model.from_dict(data)
    assert model.to_dict() == before


@pytest.mark.parametrize("mode", ["dataset", "multiclass"])
def test_the_longest_race_a_file_may_ask_for_opens_quickly_and_small(mode):
    """Issue 14, item 5: epochs = 100 000 in a dataset mode took 8.6 GB and 44 s to open. The
    model now refuses more than MAX_EPOCHS, and the longest race it accepts stays small."""
    import resource
    from explorer.model.training_state import MAX_EPOCHS
    model = AppModel()
    data = model.to_dict()
    data["training"]["epochs"] = MAX_EPOCHS + 1
    with pytest.raises(ValueError, match="epochs"):
        model.from_dict(data)
    data["training"]["epochs"] = MAX_EPOCHS
    data["training_playback"]["mode"] = mode
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    model.from_dict(data)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert model.training.epochs == MAX_EPOCHS
    assert grown_mb < 500       # (how long it takes is measured by bench, not here)
