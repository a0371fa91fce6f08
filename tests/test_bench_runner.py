"""The benchmark's bookkeeping: goals checked from the same run's figures, scales parsed, a
missing baseline said clearly, JSON rows carrying scale / median / p95 / goal / met."""
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from explorer.bench.runner import Goal, Result, format_misses, format_table, misses, parse_scales, row_dict

ROOT = Path(__file__).resolve().parents[1]


def _r(name, samples, scale=1.0, **kw):
    return Result(name, list(samples), scale=scale, **kw)


def test_p95_goal_per_scale_uses_the_95th_percentile():
    goal = Goal(p95_ms={1: 8.3, 2: 16.7})
    samples = list(range(1, 21))                           # 95th percentile (linear) = 19.05
    assert np.isclose(_r("x", samples).p95, 19.05)
    assert goal.check(_r("x", samples), None) is False      # 19.05 > 8.3
    assert goal.check(_r("x", [s * 0.4 for s in samples], scale=2.0), None) is True   # 7.62
    assert goal.check(_r("x", samples, scale=3.0), None) is None   # no budget at scale 3


def test_faster_and_ratio_goals_need_their_baseline():
    faster = Goal(faster=20)
    base = _r("b", [100.0] * 5)
    assert faster.check(_r("x", [4.0] * 5), base) is True          # 25× faster
    assert faster.check(_r("x", [6.0] * 5), base) is False         # 16.7× faster
    assert faster.check(_r("x", [4.0] * 5), None) is None          # cannot be checked
    assert faster.check(_r("x", [4.0] * 5), _r("b", [])) is None
    ratio = Goal(ratio_max=1.3)
    assert ratio.check(_r("x", [129.0]), base) is True
    assert ratio.check(_r("x", [131.0]), base) is False


def test_median_goal_applies_only_at_its_scales():
    goal = Goal(median_max=50, median_scales=(1,))
    assert goal.check(_r("cpu", [40, 60, 70]), None) is False          # median 60
    assert goal.check(_r("cpu", [40, 60, 70], scale=2.0), None) is None


def test_missing_baseline_is_said_and_the_miss_list_ends_the_table():
    rows = [_r("baseline: m", [], missing="matplotlib is not installed"),
            _r("drag", [9.0, 9.5, 10.0], baseline="baseline: m", goal=Goal(p95_ms={1: 8.3}, faster=20)),
            _r("quick row", [1.0, 1.0], goal=Goal(p95_ms={1: 8.3}))]
    table = format_table(rows)
    assert "baseline missing: baseline: m" in table
    missed, unknown = misses(rows)
    # the p95 clause fails outright, so the row misses even though the ratio cannot be checked
    assert [r.name for r in missed] == ["drag"] and unknown == []
    text = format_misses(rows)
    assert text.startswith("1 rows miss their goal") and "drag @ scale 1" in text
    assert "quick row" not in text


def test_row_dict_is_plain_json():
    base = _r("b", [10.0, 10.0], scale=2.0)
    row = _r("x", [1.0, 2.0, 3.0], scale=2.0, baseline="b", goal=Goal(p95_ms={2: 16.7}, faster=2))
    d = row_dict(row, {("b", 2.0): base, ("x", 2.0): row})
    assert d["scale"] == 2.0 and d["median"] == 2.0 and np.isclose(d["p95"], 2.9)
    assert d["met"] is True and np.isclose(d["ratio"], 0.2)
    assert "p95 ≤ 16.7 ms" in d["goal"]
    json.dumps(d, allow_nan=False)
    missing = row_dict(_r("m", [], missing="why"), {})
    assert missing["median"] is None and missing["met"] is None and missing["missing"] == "why"


@pytest.mark.parametrize("text, expected", [("1,2", [1.0, 2.0]), ("2", [2.0]), (" 1 , 1.5 ", [1.0, 1.5]),
                                            ("1,1", [1.0])])
def test_parse_scales(text, expected):
    assert parse_scales(text) == expected


@pytest.mark.parametrize("text", ["", "one", "0", "1,9", "nan"])
def test_parse_scales_refuses_nonsense(text):
    with pytest.raises(ValueError, match="--scale"):
        parse_scales(text)


def test_bench_runs_each_scale_in_its_own_process(tmp_path):
    """--scale 1,2: the same row at both scales, each with its own baseline from that scale's run,
    and the scale-free rows once."""
    out = tmp_path / "b.json"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("QT_SCALE_FACTOR", None)
    r = subprocess.run([sys.executable, "main.py", "bench", "--json", str(out), "--repeat", "3",
                        "--only", "InfiniteLine", "--scale", "1,2"], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    rows = json.loads(out.read_text())["rows"]
    assert sorted(x["scale"] for x in rows) == [1.0, 2.0]
    assert all(len(x["samples"]) == 3 and len(x["cpu_samples"]) == 3 for x in rows)
    bad = subprocess.run([sys.executable, "main.py", "bench", "--scale", "x"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "--scale takes numbers" in bad.stderr


def test_bench_only_selects_the_editor_rows_by_any_part_of_their_names():
    from explorer.bench import rows_editors
    from explorer.bench.runner import Context

    names = rows_editors.row_names()
    for only in ("editor drag move -> all docks repainted N=10", "only p, q editors",
                 "matplotlib bar chart", "drag", "N=1000"):
        assert any(Context(only=only).wanted(n) for n in names), only
    assert not any(Context(only="theme switch").wanted(n) for n in names)
