"""``main.py code``: the printed script runs, its ``name = value`` lines match the readouts of
the same session or preset, and bad input exits 2 with one line."""
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from explorer.ui.fmt import fmt_plain

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "sessions"
ENV = dict(os.environ, QT_QPA_PLATFORM="offscreen")
READOUT_NAMES = {"entropy_p": "numpy.H(p)", "entropy_q": "numpy.H(q)", "cross_pq": "numpy.H(p,q)",
                 "cross_qp": "numpy.H(q,p)", "kl_pq": "numpy.KL(p||q)", "kl_qp": "numpy.KL(q||p)",
                 "js": "numpy.JS(p,q)"}


def code(*args):
    return subprocess.run([sys.executable, "main.py", "code", *args], cwd=ROOT, env=ENV,
                          capture_output=True, text=True, timeout=120)


def run_script(text, tmp_path):
    path = tmp_path / "script.py"
    path.write_text(text, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    r = subprocess.run([sys.executable, str(path)], cwd=str(tmp_path), env=env,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    out = {}
    for line in r.stdout.splitlines():
        name, _sep, value = line.rpartition(" = ")
        assert name and name not in out, line
        out[name] = float(value)
    return out


def same(a, b):
    return a == b if math.isinf(a) or math.isinf(b) else abs(a - b) <= 1e-12 * max(1, abs(b))


def test_session_script_prints_what_the_readouts_show(tmp_path):
    """A v2 session in bits: one line per readout quantity in the readouts' unit, and the
    comments carry the readouts' numbers at the session's precision."""
    from explorer import session
    from explorer.model import AppModel

    path = DATA / "v2.json"
    model = AppModel()
    session.apply_to_model(session.load_session(path), model)
    r = code("--session", str(path), "--lib", "numpy")
    assert r.returncode == 0, r.stderr
    printed = run_script(r.stdout, tmp_path)
    suffix = "" if model.unit == "nats" else f" [{model.unit}]"
    for key, name in READOUT_NAMES.items():
        value = getattr(model.info, key)
        assert same(printed[name + suffix], value), (name, printed[name + suffix], value)
        assert f"{fmt_plain(value, model.precision)} {model.unit}" in r.stdout or model.unit == "nats"


@pytest.mark.parametrize("preset", ["pc-power-on", "bob-alice", "uniform"])
def test_preset_script_runs_every_library_installed(tmp_path, preset):
    from explorer.model import AppModel

    model = AppModel()
    model.apply_preset(preset)
    r = code("--preset", preset)
    assert r.returncode == 0, r.stderr
    printed = run_script(r.stdout, tmp_path)
    nats = {k: getattr(model.info, k) for k in READOUT_NAMES}    # the presets keep nats
    assert same(printed["numpy.H(p,q)"], nats["cross_pq"])
    assert same(printed["scipy.entropy(p,q)"], nats["kl_pq"])
    assert same(printed["scipy.jensenshannon(p,q)**2"], nats["js"])
    assert same(printed["torch.nn.BCEWithLogitsLoss(z,y)" if "torch.nn.BCEWithLogitsLoss(z,y)"
                        in printed else "sklearn.log_loss(binary)"],
                model.sigmoid_numbers.marker.loss_ce)
    if math.isfinite(nats["cross_pq"]):
        assert same(printed["sklearn.log_loss(categorical)"], nats["cross_pq"])


def test_lib_choice_and_chinese_comments(tmp_path):
    r = code("--lib", "sklearn", "--lang", "zh")
    assert r.returncode == 0, r.stderr
    assert "log_loss" in r.stdout and "import torch" not in r.stdout and "np.errstate" not in r.stdout
    assert "交叉熵" in r.stdout
    printed = run_script(r.stdout, tmp_path)
    assert set(printed) == {"sklearn.log_loss(categorical)", "sklearn.log_loss(binary)",
                            "pitfall3.sklearn log_loss"}


@pytest.mark.parametrize("args, needle", [
    (("--preset", "nope"), "unknown preset"),
    (("--session", "missing.json"), "no such file"),
    (("--lib", "jax"), "invalid choice"),
    (("--preset", "uniform", "--session", "x.json"), "not allowed with"),
])
def test_bad_input_exits_2_with_one_line(args, needle):
    r = code(*args)
    assert r.returncode == 2 and r.stdout == ""
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and needle in lines[0] and "Traceback" not in r.stderr, r.stderr


def test_broken_session_names_the_field(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"version": 2, "model": {"version": 1, "p": [0.5, 0.5], "q": [0.5, 0.5], '
                   '"temperature": "hot"}}')
    r = code("--session", str(bad))
    assert r.returncode == 2 and r.stdout == ""
    assert "temperature: expected a number" in r.stderr and len(r.stderr.splitlines()) == 1
