"""Scenarios name a workspace (issue 15): validated, then shown exactly as designed."""
import pytest

from explorer.record import render
from explorer.record.scenario import ScenarioError, validate_scenario


def _sc(*actions):
    return {"version": 1, "fps": 10, "actions": list(actions)}


def test_layout_workspace_is_validated():
    sc = validate_scenario(_sc({"action": "layout", "workspace": "ce_vs_mse"},
                               {"action": "hold", "duration": 0.2}), "w.json")
    assert sc.actions[0].params == {"workspace": "ce_vs_mse"}
    with pytest.raises(ScenarioError) as err:
        validate_scenario(_sc({"action": "layout", "workspace": "kitchen"}), "w.json")
    assert str(err.value) == ('w.json: actions[0] (layout) workspace: "kitchen" is not one of '
                              'information, ce_vs_mse, softmax, sampling, all')
    with pytest.raises(ScenarioError, match="give either 'workspace' or 'docks'"):
        validate_scenario(_sc({"action": "layout", "workspace": "softmax", "docks": ["p"]}), "w.json")


def test_workspace_decides_which_docks_actions_can_use():
    # the CE-vs-MSE workspace shows no p editor: dragging p is refused before rendering
    with pytest.raises(ScenarioError, match="needs the pEditorDock dock, which the layout hides"):
        validate_scenario(_sc({"action": "layout", "workspace": "ce_vs_mse"},
                              {"action": "drag", "target": "p", "index": 0, "to": 0.5}), "w.json")
    validate_scenario(_sc({"action": "layout", "workspace": "information"},
                          {"action": "drag", "target": "p", "index": 0, "to": 0.5}), "w.json")


def test_renderer_shows_the_workspace(qapp):
    sc = validate_scenario(_sc({"action": "layout", "workspace": "softmax"},
                               {"action": "hold", "duration": 0.2}), "w.json")
    r = render.ScenarioRenderer(sc, size=(1280, 720), fps=10)
    try:
        assert r.window.workspaces.current == "all"      # no layout yet: the dashboard
        r.frame(0)
        shown = {n for n, d in r.window.docks.items()
                 if d.isVisible() and not d.visibleRegion().isEmpty()}
        assert r.window.workspaces.current == "softmax"
        assert shown == {"qEditorDock", "readoutsDock", "softmaxDock", "batchDock"}
    finally:
        r.close()
