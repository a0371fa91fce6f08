"""Scenarios and the loss family: the softmax panel's target, label smoothing (set and animated)
and logit-growth race, each race's losses — validated before anything renders, then driving
the real model; and the bundled "one-hot targets and label smoothing" demo."""
import json
import math
from pathlib import Path

import numpy as np
import pytest

from explorer.model import loss_choice
from explorer.record import render
from explorer.record import scenario as sc_mod
from explorer.record.scenario import ScenarioError, load_scenario, validate_scenario

FPS = 10
DEMOS = Path(__file__).resolve().parents[2] / "resources" / "demos"


def _sc(*actions):
    return {"version": 1, "fps": FPS, "actions": list(actions)}


def test_the_scenario_knows_the_models_race_presets():
    assert sc_mod.RACE_PRESETS == tuple(loss_choice.RACE_PRESETS)


@pytest.mark.parametrize("action, message", [
    ({"action": "state", "softmax_smoothing": 0.7}, "softmax_smoothing: 0.7 is outside [0, 0.5]"),
    ({"action": "state", "softmax_target": "one-hot"}, "softmax_target: \"one-hot\" is not one of p, onehot"),
    ({"action": "state", "softmax_target_class": 3}, "softmax_target_class: 3 is outside 0..2"),
    ({"action": "state", "softmax_race": {"shown": "yes"}}, "softmax_race.shown: expected true or false"),
    ({"action": "state", "softmax_race": {"epochs": 0}}, "softmax_race.epochs: 0 is outside 1..20000"),
    ({"action": "state", "softmax_race": {"speed": 2}}, "softmax_race.speed: unknown key"),
    ({"action": "state", "softmax_race": {"losses": "ce_vs_focal"}}, "softmax_race.losses: \"ce_vs_focal\" is not one of"),
    ({"action": "state", "softmax_race": {"losses": ["ce"]}}, "softmax_race.losses: expected a preset"),
    ({"action": "state", "training": {"losses": ["ce", {"loss": "focal", "gamma": -2}]}},
     "training.losses[1]: gamma: must be in [0, 100] for the focal loss"),
    ({"action": "state", "training": {"losses": ["ce", "softmax"]}}, "training.losses[1]: loss: unknown loss"),
    ({"action": "animate", "target": "smoothing", "to": 0.9, "duration": 1}, "to: 0.9 is outside [0, 0.5]"),
])
def test_bad_loss_settings_are_refused_naming_action_and_key(action, message):
    with pytest.raises(ScenarioError) as err:
        validate_scenario(_sc(action), "d.json")
    assert str(err.value).startswith("d.json: actions[0]")
    assert message in str(err.value), str(err.value)


def test_state_and_animation_drive_the_real_model(qapp):
    sc = validate_scenario(_sc(
        {"action": "layout", "docks": ["softmax", "training"]},
        {"action": "state", "softmax_logits": [0.0, 0.0, 0.0], "softmax_target": "onehot",
         "softmax_target_class": 2, "training": {"losses": "ce_focal"},
         "softmax_race": {"shown": True, "lr": 1.0, "epochs": 400, "losses": "ce_smoothed"}},
        {"action": "animate", "target": "smoothing", "to": 0.2, "duration": 1.0, "easing": "linear"},
        {"action": "hold", "duration": 0.2}), "t.json")
    r = render.ScenarioRenderer(sc, size=(800, 600), fps=FPS)
    finished = []
    r.model.sigChangeFinished.connect(finished.append)
    try:
        eps = []
        for k in range(r.n_frames):
            r.frame(k)
            eps.append(r.model.softmax_smoothing)
        m = r.model
        assert m.softmax_target == "onehot" and m.softmax_target_class == 2
        assert list(m.histories) == ["ce", "focal"]
        # the animation moves ε from 0 to 0.2 steadily, finishing once
        assert eps[0] == 0.0 and eps[-1] == pytest.approx(0.2)
        assert all(b >= a for a, b in zip(eps, eps[1:])) and 0 < eps[5] < 0.2
        y = m.softmax_numbers.panel.y
        np.testing.assert_allclose(y, 0.8 * np.eye(3)[2] + 0.2 / 3)
        race = m.softmax_race
        assert race is not None and race.runs["ce"].epochs == 400
        m_star = math.log((1 - 0.1 + 0.1 / 3) * 3 / 0.1)
        assert race.runs["smoothed_ce"].margin[-1] == pytest.approx(m_star, abs=1e-3)
        dock = r.window.docks["softmaxDock"]
        assert dock.race_box.isVisible() and "3.3322" in dock.race_summary.text()
    finally:
        r.close()


def test_z_follows_a_loss_the_race_does_not_have_fails_with_a_message(qapp):
    sc = validate_scenario(_sc(
        {"action": "state", "training": {"losses": "ce_focal"}},
        {"action": "train", "epochs": 10, "duration": 0.5, "z_follows": "mse"}), "t.json")
    r = render.ScenarioRenderer(sc, size=(640, 480), fps=FPS)
    try:
        with pytest.raises(ScenarioError, match=r"actions\[1\] \(train\): z_follows: no run of "
                                                r"the race uses 'mse' \(the runs are ce, focal\)"):
            for k in range(r.n_frames):
                r.frame(k)
    finally:
        r.close()


def test_the_label_smoothing_demos_in_both_languages():
    from explorer.model import AppModel
    from explorer.ui.docks import DOCK_NAMES

    ctx = render.scenario_context(AppModel(), DOCK_NAMES)
    en = load_scenario(DEMOS / "07_label_smoothing.json", **ctx)
    zh = load_scenario(DEMOS / "07_label_smoothing_zh.json", **ctx)
    assert en.language == "en" and zh.language == "zh"
    assert [a.kind for a in en.actions] == [a.kind for a in zh.actions]
    for a, b in zip(en.actions, zh.actions):
        if a.kind != "caption":
            assert a.params == b.params
        else:
            assert a.params["text"] != b.params["text"]
    state = next(a for a in en.actions if a.kind == "state").params
    assert state["softmax_target"] == "onehot" and state["softmax_race"]["shown"] is True
    # the number the last caption quotes is the limit margin for ε = 0.1 and K = 3
    text = json.loads((DEMOS / "07_label_smoothing.json").read_text(encoding="utf-8"))
    last = [a for a in text["actions"] if a["action"] == "caption"][-1]["text"]
    assert f"{math.log(1 + 3 * 0.9 / 0.1):.2f}" in last
