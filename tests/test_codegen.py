"""The Code panel's snippets, run for real: scripts generated for many random and preset states
are executed in a subprocess and every printed ``name = value`` line is compared with the app's
number (read from the model here, converted to nats here) to 1e-12 — or, for the lines that show
a library's own behaviour (the pitfalls, clipping, the rounding of σ(z)), with a closed form
written in this file.  PyTorch lines run only when torch is importable (never installed by CI).
"""
import ast
import importlib.util
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.special import expit, logsumexp

from explorer import codegen
from explorer.presets import PRESETS

ROOT = Path(__file__).resolve().parents[1]
HAVE_TORCH = importlib.util.find_spec("torch") is not None
TOL = 1e-12
MACHINE_EPS = np.finfo(np.float64).eps

# name printed (without a " [bits]" suffix) -> the readouts' quantity it reproduces
READOUT = {
    "numpy.H(p)": "entropy_p", "numpy.H(q)": "entropy_q", "numpy.H(p,q)": "cross_pq",
    "numpy.H(q,p)": "cross_qp", "numpy.KL(p||q)": "kl_pq", "numpy.KL(q||p)": "kl_qp",
    "numpy.JS(p,q)": "js",
    "scipy.entropy(p)": "entropy_p", "scipy.entropy(q)": "entropy_q",
    "scipy.entropy(p,q)": "kl_pq", "scipy.entropy(q,p)": "kl_qp",
    "scipy.rel_entr(p,q_used).sum()": "kl_pq", "scipy.rel_entr(q,p_used).sum()": "kl_qp",
    "scipy.H(p,q)": "cross_pq", "scipy.H(q,p)": "cross_qp", "scipy.jensenshannon(p,q)**2": "js",
    "sklearn.log_loss(categorical)": "cross_pq",
    "torch.F.cross_entropy(log q,p)": "cross_pq", "torch.nn.KLDivLoss(log q,p)": "kl_pq",
    "pitfall1.CrossEntropyLoss(log q,p)": "cross_pq",
    "pitfall2.KLDivLoss(log q,p)": "kl_pq", "pitfall2.KLDivLoss(log p,q)": "kl_qp",
}
SOFTMAX = {"torch.F.cross_entropy(z/T,y)", "torch.nn.NLLLoss(log_softmax)"}
SIGMOID = {"sklearn.log_loss(binary)", "torch.nn.BCELoss(sigmoid(z),y)",
           "torch.nn.BCEWithLogitsLoss(z,y)"}


# ---------------------------------------------------------------- states
def random_model(seed):
    """A model in a random state reached through its commands: N, p, q (with zeros now and
    then), unit, precision, eps, logit mode, temperature, softmax target, sigmoid marker."""
    from explorer.model import AppModel

    rng = np.random.default_rng(seed)
    m = AppModel()
    n = int(rng.integers(2, 13))

    def dist():
        v = rng.dirichlet(np.full(n, float(rng.choice([0.3, 1.0, 5.0]))))
        if rng.random() < 0.3:
            v[rng.integers(n)] = 0.0
        if rng.random() < 0.1:
            v = np.zeros(n)
            v[rng.integers(n)] = 1.0
        return v / v.sum()

    m.set_distributions(dist(), dist(), [f"c{k}" for k in range(n)])
    m.set_unit(str(rng.choice(["bits", "nats", "bans"])))
    m.set_precision(int(rng.integers(0, 13)))
    if rng.random() < 0.35:
        m.set_eps(True, float(rng.choice([1e-15, 1e-9, 1e-4, 0.01])))
    if rng.random() < 0.3:
        m.set_q_logit_mode(True)
        m.set_q_logits(rng.normal(0, 3, n))
        m.set_temperature(float(rng.choice([0.5, 1.0, 2.0])))
    if rng.random() < 0.5:
        m.set_softmax_target("onehot", int(rng.integers(m.softmax_logits.size)))
    m.set_sigmoid_input(y=int(rng.integers(2)))
    m.set_z_marker(float(rng.choice([rng.normal(0, 3), rng.uniform(-40, 40),
                                     rng.choice([-1000.0, 1000.0, -120.0, 120.0, 30.0, -30.0])])))
    return m


def preset_model(name, unit="nats"):
    from explorer.model import AppModel

    m = AppModel()
    m.apply_preset(name)
    m.set_unit(unit)
    return m


def edge_models():
    """States where libraries and the app part ways: zeros on both sides, q = 0 < p,
    tiny q, clipping on, bits and bans, the sigmoid far in both tails."""
    from explorer.model import AppModel

    out = []
    for p, q, unit, eps, z, y in [
        ([0.5, 0.5, 0.0], [0.5, 0.5, 0.0], "nats", None, 2.0, 0),         # p = q = 0
        ([0.2, 0.3, 0.5], [0.5, 0.5, 0.0], "bits", None, -1000.0, 1),      # q = 0 < p: ∞
        ([0.2, 0.3, 0.5], [0.5, 0.5, 0.0], "bits", 1e-7, 1000.0, 0),       # the same, clipped
        ([0.6, 0.4, 0.0], [0.5, 0.5 - 1e-300, 1e-300], "bans", None, 15.0, 0),
        ([0.0, 1.0], [1.0, 0.0], "nats", 1e-15, -15.0, 1),
        ([1.0, 0.0, 0.0, 0.0], [0.25, 0.25, 0.25, 0.25], "bits", None, 36.5, 0),
        ([0.1] * 10, [0.1] * 10, "bans", 1e-3, 0.0, 1),
    ]:
        m = AppModel()
        m.set_distributions(p, q, [f"c{k}" for k in range(len(p))])
        m.set_unit(unit)
        if eps is not None:
            m.set_eps(True, eps)
        m.set_sigmoid_input(y=y)
        m.set_z_marker(z)
        out.append(m)
    return out


# ---------------------------------------------------------------- expected values
def to_nats(model, value):
    return value * {"bits": math.log(2), "nats": 1.0, "bans": math.log(10)}[model.unit]


def app_value(model, name):
    """The app's number for a printed line, read from the model (None: no app counterpart)."""
    base, bracket, unit = name.partition(" [")
    if base in READOUT:
        v = getattr(model.info, READOUT[base])
        return v if bracket else to_nats(model, v)
    if base in SOFTMAX:
        return model.softmax_numbers.panel.loss
    if base in SIGMOID:
        return model.sigmoid_numbers.marker.loss_ce
    return None


def _kl(a, b):
    m = a > 0
    with np.errstate(divide="ignore"):
        return float(np.sum(a[m] * np.log(a[m] / b[m])))


def _ce(a, b):
    m = a > 0
    with np.errstate(divide="ignore"):
        return float(-np.sum(a[m] * np.log(b[m])))


def behaviour(model, name):
    """What a library computes where it knowingly differs from the app: closed forms of the
    libraries' documented rules (no clipping in PyTorch, log_loss's clip at machine eps,
    softmax applied to probabilities, KLDivLoss's sum of target·(ln target − input), the
    'mean' divisor, BCELoss's clamp at −100).  None when it depends on rounding of σ(z)."""
    p, q = np.asarray(model.p), np.asarray(model.q)
    base, bracket, _ = name.partition(" [")
    scale = 1.0 if not bracket else 1.0 / to_nats(model, 1.0)
    y = model.sigmoid_y
    ref = {
        "sklearn.log_loss(categorical)": lambda: float(
            -np.sum(p[p > 0] * np.log(np.clip(q, MACHINE_EPS, 1 - MACHINE_EPS)[p > 0])) / p.sum()),
        "torch.F.cross_entropy(log q,p)": lambda: _ce(p, q),
        "torch.nn.KLDivLoss(log q,p)": lambda: _kl(p, q),
        "pitfall1.CrossEntropyLoss(log q,p)": lambda: _ce(p, q),
        "pitfall1.CrossEntropyLoss(q,p)": lambda: float(-np.sum(p * (q - logsumexp(q)))),
        "pitfall2.KLDivLoss(log q,p)": lambda: _kl(p, q),
        "pitfall2.KLDivLoss(log p,q)": lambda: _kl(q, p),
        "pitfall2.KLDivLoss(q,p)": lambda: float(np.sum(p[p > 0] * np.log(p[p > 0])) - p @ q),
        "pitfall2.KLDivLoss(mean)(log q,p)": lambda: _kl(p, q) / int(np.sum((p > 0) | (q > 0))),
        "pitfall3.numpy naive": lambda: math.inf,
        "pitfall3.numpy logaddexp": lambda: 1000.0,
        "pitfall3.sklearn log_loss": lambda: -math.log(MACHINE_EPS),
        "pitfall3.BCELoss": lambda: 100.0,
        "pitfall3.BCEWithLogitsLoss": lambda: 1000.0,
    }.get(base)
    return None if ref is None else ref() * scale


def close(a, b, tol=TOL):
    if math.isinf(b) or math.isinf(a):
        return a == b
    return abs(a - b) <= tol * max(1.0, abs(b))


def check_output(model, out, printed):
    """One printed line against the app (exact lines) or the library's rule (the others)."""
    app = app_value(model, out.name)
    if out.exact:
        assert app is not None, out.name
        assert close(printed, app), (out.name, printed, app)
        return
    ref = behaviour(model, out.name)
    if ref is not None:
        assert close(printed, ref), (out.name, printed, ref)
        return
    # a loss computed from σ(z) far in a tail: the exact loss up to the rounding of σ(z), or
    # the library's floor (sklearn clips at machine eps, BCELoss clamps ln at −100)
    assert out.name in SIGMOID - {"torch.nn.BCEWithLogitsLoss(z,y)"}, out.name
    floor = 100.0 if "BCELoss" in out.name else -math.log(MACHINE_EPS)
    prob = math.exp(-app)
    if app >= floor - 1:
        assert printed <= floor + 1e-9 and printed >= min(app, floor) - 1.5, (out.name, printed)
    else:
        assert abs(printed - app) <= 1e-12 + 4 * MACHINE_EPS / prob, (out.name, printed, app)


def run_scripts(texts, tmp_path):
    """Run every script in one fresh interpreter (runpy, stdout captured per script); return
    each script's stdout."""
    paths = []
    for k, text in enumerate(texts):
        path = tmp_path / f"script{k}.py"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    runner = tmp_path / "runner.py"
    runner.write_text(
        "import contextlib, io, json, runpy, sys, warnings\n"
        "warnings.simplefilter('ignore')\n"
        "out = []\n"
        "for path in sys.argv[1:]:\n"
        "    buf = io.StringIO()\n"
        "    with contextlib.redirect_stdout(buf):\n"
        "        runpy.run_path(path, run_name='__main__')\n"
        "    out.append(buf.getvalue())\n"
        "print(json.dumps(out))\n", encoding="utf-8")
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)          # the scripts must not need the app
    r = subprocess.run([sys.executable, str(runner), *paths], capture_output=True, text=True,
                       timeout=600, cwd=str(tmp_path), env=env)
    assert r.returncode == 0, r.stderr[-3000:]
    return json.loads(r.stdout.splitlines()[-1])


def check_models(models, tmp_path, libs=codegen.LIBS):
    inputs = [codegen.inputs_from_model(m) for m in models]
    scripts = [codegen.script(inp, libs=libs) for inp in inputs]
    outputs = run_scripts(scripts, tmp_path)
    for model, inp, text, stdout in zip(models, inputs, scripts, outputs):
        expected = [o for lib in codegen.LIBS if lib in libs and (lib != "torch" or HAVE_TORCH)
                    for s in codegen.snippets(inp, libs=(lib,)) for o in s.outputs]
        lines = [ln for ln in stdout.splitlines() if ln.strip()]
        names = [ln.rpartition(" = ")[0] for ln in lines]
        assert names == [o.name for o in expected], (names, text)
        printed = codegen.parse_output(stdout)
        for out in expected:
            check_output(model, out, printed[out.name])


# ---------------------------------------------------------------- tests
def test_random_states_reproduce_the_app(tmp_path):
    check_models([random_model(seed) for seed in range(40)], tmp_path)


@pytest.mark.parametrize("unit", ["nats", "bits"])
def test_presets_reproduce_the_app(tmp_path, unit):
    check_models([preset_model(name, unit) for name in PRESETS], tmp_path)


def test_edge_states_zeros_infinities_clipping_and_tails(tmp_path):
    models = edge_models()
    check_models(models, tmp_path)
    inp = codegen.inputs_from_model(models[0])
    # p = q = 0 in one category: the PyTorch snippets drop it (0 · ln 0 would be nan)
    torch_code = "\n".join(s.code for s in codegen.snippets(inp, libs=("torch",)))
    assert "keep = (p > 0) | (q > 0)" in torch_code


def test_nice_states_are_exact_everywhere():
    """Without zeros, clipping or a far tail, every line that is not a pitfall reproduces the
    app's number (the behaviour references are only for where libraries really differ)."""
    from explorer.model import AppModel

    m = AppModel()
    m.set_distributions([0.5, 0.3, 0.2], [0.25, 0.5, 0.25])
    m.set_z_marker(-1.5)
    for s in codegen.snippets(codegen.inputs_from_model(m)):
        for out in s.outputs:
            if not s.key.startswith("pitfall"):
                assert out.exact, out.name
    # the default state's numbers, checked by hand: H(p, q) = ln 4 with p one-hot on q = 0.25
    m.set_distributions([0.0, 1.0, 0.0], [0.375, 0.25, 0.375])
    code = codegen.snippets(codegen.inputs_from_model(m), libs=("numpy",))[0].code
    assert f"app: H(p, q) = {math.log(4):.4f} nats" in code


@pytest.mark.skipif(not HAVE_TORCH, reason="torch is not installed (it is never a dependency)")
def test_torch_alone_on_random_states(tmp_path):
    check_models([random_model(100 + seed) for seed in range(15)], tmp_path, libs=("torch",))


def test_missing_libraries_are_skipped_with_a_note(tmp_path):
    """In a combined script, a library that is not installed is skipped with a note on stderr
    and the others still print."""
    from explorer.model import AppModel

    text = codegen.script(codegen.inputs_from_model(AppModel()))
    assert text.count('find_spec("torch") is None') == 1
    (tmp_path / "s.py").write_text(text.replace('find_spec("torch")', 'find_spec("not_a_lib_x")'))
    r = subprocess.run([sys.executable, "s.py"], cwd=str(tmp_path), capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stderr
    assert "numpy.H(p,q) = " in r.stdout and "torch." not in r.stdout
    assert "PyTorch is not installed: its lines are skipped" in r.stderr


# ---------------------------------------------------------------- properties of the text
def _literal_arrays(code):
    """name -> list for every ``name = np.array([...])`` / ``torch.tensor([...])`` line."""
    out = {}
    for node in ast.walk(ast.parse(code)):
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name) and node.targets[0].id in "pqzy"
                and isinstance(node.value, ast.Call)
                and node.value.args and isinstance(node.value.args[0], ast.List)):
            out[node.targets[0].id] = ast.literal_eval(node.value.args[0])
    return out


dists = st.integers(2, 30).flatmap(lambda n: st.tuples(
    st.lists(st.floats(0, 1), min_size=n, max_size=n).filter(lambda v: sum(v) > 0.1),
    st.lists(st.floats(0, 1), min_size=n, max_size=n).filter(lambda v: sum(v) > 0.1)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dists, st.sampled_from(["bits", "nats", "bans"]), st.integers(0, 12), st.booleans())
def test_snippets_carry_p_and_q_exactly_and_are_valid_python(pq, unit, digits, clip):
    """For any state, every snippet parses, its p and q literals are the model's numbers bit
    for bit, and every output it declares is printed by exactly one print() line."""
    from explorer.model import AppModel

    p, q = (np.asarray(v) / np.sum(v) for v in pq)
    m = AppModel()
    m.set_distributions(p, q)
    m.set_unit(unit)
    m.set_precision(digits)
    m.set_eps(clip)
    for s in codegen.snippets(codegen.inputs_from_model(m)):
        compile(s.code, s.key, "exec")
        arrays = _literal_arrays(s.code)
        if "p" in arrays:
            assert np.array_equal(np.array(arrays["p"]), m.p)
        if "q" in arrays:
            assert np.array_equal(np.array(arrays["q"]), m.q)
        for out in s.outputs:
            assert s.code.count(f'print("{out.name} =",') == 1, out.name
        assert all(len(line) < 200 for line in s.code.splitlines() if "print(" not in line)


def test_comments_follow_unit_and_precision():
    from explorer.model import AppModel

    m = AppModel()
    m.set_distributions([0.5, 0.25, 0.25], [0.25, 0.5, 0.25])
    m.set_unit("bits")
    m.set_precision(6)
    code = codegen.snippets(codegen.inputs_from_model(m), libs=("numpy",))[0].code
    h = -(0.5 * math.log(0.25) + 0.25 * math.log(0.5) + 0.25 * math.log(0.25))
    assert f"app: H(p, q) = {h:.6f} nats = {h / math.log(2):.6f} bits" in code
    assert f'print("numpy.H(p,q) [bits] =", CE(p, q) / b)  # app: H(p, q) = {h / math.log(2):.6f} bits' in code
    m.set_unit("nats")
    code = codegen.snippets(codegen.inputs_from_model(m), libs=("numpy",))[0].code
    assert "[bits]" not in code and " bits" not in code


def test_chinese_comments(tmp_path):
    from explorer import i18n

    catalog = i18n.load_catalog("zh")
    from explorer.model import AppModel

    inp = codegen.inputs_from_model(AppModel())
    for s in codegen.snippets(inp, tr=lambda t: catalog.get(t, t)):
        english = codegen.snippets(inp)[codegen.KEYS.index(s.key)]
        assert s.title != english.title and s.explanation != english.explanation
        compile(s.code, s.key, "exec")
    text = codegen.script(inp, tr=lambda t: catalog.get(t, t))
    assert "熵" in text and "交叉熵" in text
    outputs = run_scripts([text], tmp_path)[0]
    assert "numpy.H(p,q) = " in outputs
