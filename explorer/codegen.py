"""Runnable code that reproduces the numbers on screen: NumPy, SciPy, scikit-learn and PyTorch.

Pure Python (no Qt): :func:`inputs_from_model` copies what the snippets need from the model's
public properties (p, q, ``model.info``, ``model.softmax_numbers``, ``model.sigmoid_numbers``,
unit, precision, eps), and :func:`snippets` turns those numbers into plain text from templates.
Nothing here computes an entropy: the snippets carry the inputs (p, q, logits z, T, y …) and
the app's values as comments; the libraries compute the rest when the user runs them.  The
app never executes a snippet.

Each snippet prints one line ``name = value`` per quantity, in nats (the unit of every
machine-learning library), plus a ``name [bits] = …`` line when the app shows bits (or bans).
:class:`Output` says which app number each printed line reproduces, so the tests can run the
code in a subprocess and compare.

The comments and explanations are translated: every function takes ``tr`` (``i18n.tr`` in the
app and the command line; the identity gives English).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

from explorer.ui.fmt import fmt_plain

#: Libraries, in the order the panel and the scripts show them (also ``main.py code --lib``).
LIBS = ("numpy", "scipy", "sklearn", "torch")
LIB_TITLES = {"numpy": "NumPy", "scipy": "SciPy", "sklearn": "scikit-learn", "torch": "PyTorch"}
#: scikit-learn's log_loss clips probabilities to [eps, 1 − eps] with eps the float64 machine eps
MACHINE_EPS = 2.220446049250313e-16
#: PyTorch's BCELoss clamps its logarithms at −100
TORCH_LOG_CLAMP = 100.0
#: Where BCELoss(σ(z)) / log_loss(σ(z)) stop agreeing with the exact loss to 1e-12: with y = 0 the
#: loss needs 1 − σ(z), which loses digits once σ(z) is within ~1e-3 of 1 (loss > 6.5 nats)
ROUNDING_LOSS = 6.5
#: a line of code is wrapped before this many characters; a comment that does not fit after
#: its line within COMMENT_WIDTH columns goes above it
WIDTH = 88
COMMENT_WIDTH = 80
#: z of pitfall 3: far in the wrong tail of the sigmoid
PITFALL_Z = 1000.0

#: The information quantities of the readouts: (InfoNumbers attribute, numpy name, text)
QUANTITIES = (
    ("entropy_p", "H(p)"), ("entropy_q", "H(q)"), ("cross_pq", "H(p,q)"), ("cross_qp", "H(q,p)"),
    ("kl_pq", "KL(p||q)"), ("kl_qp", "KL(q||p)"), ("js", "JS(p,q)"),
)


def _identity(text: str) -> str:
    return text


@dataclass(frozen=True)
class CodeInputs:
    """The numbers the snippets carry, copied from the model (see :func:`inputs_from_model`)."""

    p: tuple
    q: tuple
    labels: tuple
    unit: str                 # "bits", "nats" or "bans"
    base: float | None        # 2, None (ln) or 10
    precision: int
    eps: float | None         # eps of the readouts' clipping, None when off
    values: dict              # InfoNumbers attribute -> the app's value in its unit
    clipped_q: tuple = ()     # indices where the app's eps clipping changed q_i
    clipped_p: tuple = ()
    # the softmax panel: logits z, temperature, target y (p or one-hot), its loss in nats
    z: tuple = ()
    temperature: float = 1.0
    y: tuple = ()
    target_used: str = "p"
    target_class: int = 0
    softmax_labels: tuple = ()
    softmax_loss: float = math.nan
    # the sigmoid panel: z marker, target, a = σ(z) and the cross-entropy loss in nats
    sig_z: float = 0.0
    sig_y: int = 0
    sig_a: float = 0.5
    sig_loss: float = math.nan

    @property
    def n(self) -> int:
        return len(self.p)

    def nats(self, key: str) -> float:
        """The app's value *key* converted to nats (the readouts show it in ``unit``)."""
        v = self.values[key]
        return v * math.log(self.base) if self.base else v


def inputs_from_model(model) -> CodeInputs:
    """Copy what the snippets need from *model* (an :class:`~explorer.model.AppModel`; only
    its public properties are read)."""
    info = model.info
    sm = model.softmax_numbers
    panel = sm.panel
    marker = model.sigmoid_numbers.marker
    return CodeInputs(
        p=tuple(float(v) for v in model.p), q=tuple(float(v) for v in model.q),
        labels=tuple(model.labels), unit=model.unit, base=model.base, precision=model.precision,
        eps=model.eps if model.eps_enabled else None,
        values={key: float(getattr(info, key)) for key, _ in QUANTITIES},
        clipped_q=tuple(info.clipped_q), clipped_p=tuple(info.clipped_p),
        z=tuple(float(v) for v in panel.z), temperature=float(panel.temperature),
        y=tuple(float(v) for v in panel.y), target_used=sm.target_used,
        target_class=int(sm.target_class), softmax_labels=tuple(sm.labels),
        softmax_loss=float(panel.loss),
        sig_z=float(marker.z), sig_y=int(marker.y), sig_a=float(marker.a),
        sig_loss=float(marker.loss_ce))


@dataclass(frozen=True)
class Output:
    """One printed line ``name = value``.

    ``app`` is the app's number the line reproduces (in nats, or in the app's unit for a
    ``[bits]`` line), or None for a line that shows a library's own behaviour (the pitfalls);
    ``exact`` is True when the library computes that same number (equal up to rounding), False
    when it knowingly differs here (clipping, rounding of σ(z), a pitfall).
    """

    name: str
    app: float | None
    exact: bool


@dataclass(frozen=True)
class Snippet:
    key: str
    lib: str
    title: str
    explanation: str
    code: str
    outputs: tuple = field(default=())


# ---------------------------------------------------------------------- text helpers
def _num(x: float) -> str:
    """A float literal that reads back as exactly *x* (shortest repr)."""
    x = float(x)
    if math.isinf(x):
        return 'float("inf")' if x > 0 else '-float("inf")'
    text = repr(x)
    return text


@lru_cache(maxsize=64)
def _list(values: tuple, indent: int) -> str:
    """``[a, b, c]`` of exact float literals for a line where *indent* characters precede the
    ``[``, wrapped at :data:`WIDTH` (continuation lines aligned after the bracket)."""
    items = [_num(v) for v in values]
    lines, line, used = [], "[", indent
    for k, item in enumerate(items):
        piece = item + (", " if k < len(items) - 1 else "]")
        if line.strip() != "[" and used + len(line) + len(piece.rstrip()) > WIDTH - 20:
            lines.append(line.rstrip())
            line, used = " " * (indent + 1), 0
        line += piece
    lines.append(line)
    return "\n".join(lines)


def _clean(label: str) -> str:
    """A category label safe inside a one-line comment."""
    return re.sub(r"[\x00-\x1f\x7f]", " ", str(label)).strip()


def _categories(labels: tuple, tr) -> str:
    names = ", ".join(f"{k} = {_clean(lab)}" for k, lab in enumerate(labels))
    return tr("categories: {names}").format(names=names)


#: East Asian wide and full-width characters (Hangul, CJK, full-width forms) take two columns
_WIDE = re.compile("[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff"
                   "\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60"
                   "\uffe0-\uffe6]")


def _width(text: str) -> int:
    """Columns *text* takes in a monospace font (CJK characters take two)."""
    if text.isascii():
        return len(text)
    return len(text) + len(_WIDE.findall(text))


def _comment(code: str, text: str) -> str:
    """*code* with the comment *text* after it, or on the lines above it (same indentation)
    when the line would be longer than :data:`COMMENT_WIDTH`."""
    if not text:
        return code
    last = code.rpartition("\n")[2]
    if _width(last) + 4 + _width(text) <= COMMENT_WIDTH:
        return f"{code}  # {text}"
    indent = code[:len(code) - len(code.lstrip())]
    return "\n".join([*_wrap_comment(text, indent), code])


def _wrap_comment(text: str, indent: str = "") -> list[str]:
    return list(_wrapped(text, indent))


@lru_cache(maxsize=256)
def _wrapped(text: str, indent: str) -> tuple:
    """A long comment as several ``# …`` lines of at most :data:`COMMENT_WIDTH` columns."""
    room = COMMENT_WIDTH - len(indent) - 2
    if _width(text) <= room:
        return (f"{indent}# {text}",)
    lines, line, used = [], [], 0
    for w in text.split(" "):
        width = _width(w)
        if line and used + 1 + width > room:
            lines.append(f"{indent}# {' '.join(line)}")
            line, used = [w], width
        else:
            used += width + (1 if line else 0)
            line.append(w)
    if line:
        lines.append(f"{indent}# {' '.join(line)}")
    return tuple(lines)


class _Text:
    """Formats the app's numbers for the comments (the app's precision; nats and its unit)."""

    def __init__(self, inp: CodeInputs, tr):
        self.inp, self.tr = inp, tr
        self.unit_names = {"bits": tr("bits"), "nats": tr("nats"), "bans": tr("bans")}
        self.log_names = {"bits": "ln 2", "bans": "ln 10", "nats": "1"}

    def v(self, value: float) -> str:
        return fmt_plain(value, self.inp.precision)

    def app_nats(self, key: str, what: str) -> str:
        """``app: H(p, q) = 0.9163 nats`` (+ what the readouts show when not in nats)."""
        inp, tr = self.inp, self.tr
        text = tr("app: {what} = {value} nats").format(what=what, value=self.v(inp.nats(key)))
        if inp.unit != "nats":
            text += f" = {self.v(inp.values[key])} {self.unit_names[inp.unit]}"
        return text

    def app_unit(self, key: str, what: str) -> str:
        inp = self.inp
        return self.tr("app: {what} = {value} {unit}").format(
            what=what, value=self.v(inp.values[key]), unit=self.unit_names[inp.unit])

    def app_plain(self, value: float, what: str) -> str:
        return self.tr("app: {what} = {value} nats").format(what=what, value=self.v(value))

    @property
    def converts(self) -> bool:
        return self.inp.unit != "nats"

    @property
    def suffix(self) -> str:
        return f" [{self.inp.unit}]"


#: how the readouts write each quantity (in comments)
SYMBOLS = {"entropy_p": "H(p)", "entropy_q": "H(q)", "cross_pq": "H(p, q)", "cross_qp": "H(q, p)",
           "kl_pq": "D_KL(p ‖ q)", "kl_qp": "D_KL(q ‖ p)", "js": "JS(p, q)"}


def _print(name: str, expr: str, comment: str = "") -> str:
    return _comment(f'print("{name} =", {expr})', comment)


def _zero_pairs(inp: CodeInputs) -> bool:
    """Some category has p_i = q_i = 0 (PyTorch turns its 0 · ln 0 into nan)."""
    return any(a == 0 and b == 0 for a, b in zip(inp.p, inp.q))


def _clip_matters(inp: CodeInputs, which: str) -> bool:
    """The app's eps clipping changed q_i (which="q") where p_i > 0, or p_i where q_i > 0:
    a library that does not clip gives another number for H(p, q), D_KL(p ‖ q) (or H(q, p) …)."""
    if inp.eps is None:
        return False
    idx, weights = (inp.clipped_q, inp.p) if which == "q" else (inp.clipped_p, inp.q)
    return any(weights[i] > 0 for i in idx)


def _one_hot(values) -> int | None:
    ones = [k for k, v in enumerate(values) if v == 1.0]
    if len(ones) == 1 and all(v == 0.0 for k, v in enumerate(values) if k != ones[0]):
        return ones[0]
    return None


# ---------------------------------------------------------------------- NumPy
def _numpy(inp: CodeInputs, tr) -> Snippet:
    t = _Text(inp, tr)
    lines = ["import numpy as np", "",
             "# " + tr("p: the true distribution, q: the model's prediction"),
             *_wrap_comment(_categories(inp.labels, tr)),
             f"p = np.array({_list(inp.p, 13)})",
             f"q = np.array({_list(inp.q, 13)})"]
    if inp.eps is not None:
        lines += [*_wrap_comment(tr("the app clips q (and p inside H(q, p)) to [eps, 1 − eps] "
                                    "before the logarithm, without rescaling")),
                  f"eps = {_num(inp.eps)}",
                  "q_used, p_used = np.clip(q, eps, 1 - eps), np.clip(p, eps, 1 - eps)"]
        qu, pu = "q_used", "p_used"
    else:
        qu, pu = "q", "p"
    lines += [
        "",
        "",
        _comment("def H(p):", tr("entropy Σ p ln(1/p), with 0 · ln(1/0) = 0")),
        "    p = p[p > 0]",
        "    return np.sum(p * np.log(1 / p))",
        "",
        "",
        _comment("def CE(p, q):", tr("cross-entropy Σ p ln(1/q) (∞ where q = 0 < p)")),
        "    m = p > 0",
        "    with np.errstate(divide=\"ignore\"):",
        "        return np.sum(p[m] * np.log(1 / q[m]))",
        "",
        "",
        _comment("def KL(p, q):", tr("Kullback–Leibler divergence Σ p ln(p / q)")),
        "    m = p > 0",
        "    with np.errstate(divide=\"ignore\"):",
        "        return np.sum(p[m] * np.log(p[m] / q[m]))",
        "",
        "",
        _comment("m = (p + q) / 2", tr("the midpoint used by the Jensen–Shannon divergence")),
    ]
    exprs = {"entropy_p": "H(p)", "entropy_q": "H(q)", "cross_pq": f"CE(p, {qu})",
             "cross_qp": f"CE(q, {pu})", "kl_pq": f"KL(p, {qu})", "kl_qp": f"KL(q, {pu})",
             "js": "KL(p, m) / 2 + KL(q, m) / 2"}
    outputs = []
    for key, name in QUANTITIES:
        lines.append(_print(f"numpy.{name}", exprs[key], t.app_nats(key, SYMBOLS[key])))
        outputs.append(Output(f"numpy.{name}", inp.nats(key), True))
    if t.converts:
        lines += ["", _comment(f"b = np.log({int(inp.base)})", tr(
            "the app shows {unit}: divide nats by {log}").format(
            unit=t.unit_names[inp.unit], log=t.log_names[inp.unit]))]
        for key, name in QUANTITIES:
            expr = f"({exprs[key]}) / b" if "+" in exprs[key] else f"{exprs[key]} / b"
            lines.append(_print(f"numpy.{name}{t.suffix}", expr,
                                t.app_unit(key, SYMBOLS[key])))
            outputs.append(Output(f"numpy.{name}{t.suffix}", inp.values[key], True))
    return Snippet("numpy", "numpy", tr("NumPy: the formulas"),
                   tr("Entropy, cross-entropy, KL and JS written out with NumPy, exactly as the "
                      "readouts compute them (natural log; terms with p = 0 are 0)."),
                   "\n".join(lines), tuple(outputs))


# ---------------------------------------------------------------------- SciPy
def _scipy(inp: CodeInputs, tr) -> Snippet:
    t = _Text(inp, tr)
    clip = inp.eps is not None
    lines = ["import numpy as np",
             "from scipy.spatial.distance import jensenshannon"]
    if clip:
        lines.append("from scipy.special import rel_entr")
    lines += ["from scipy.stats import entropy", "",
              *_wrap_comment(_categories(inp.labels, tr)),
              f"p = np.array({_list(inp.p, 13)})",
              f"q = np.array({_list(inp.q, 13)})",
              _comment("H_p, H_q = entropy(p), entropy(q)",
                       tr("one argument: the entropy −Σ p ln p"))]
    if clip:
        lines += [*_wrap_comment(tr("the app clips q (and p inside H(q, p)) to [eps, 1 − eps]; "
                                    "entropy(p, q) would rescale the clipped q to sum 1, "
                                    "rel_entr does not")),
                  f"eps = {_num(inp.eps)}",
                  "q_used, p_used = np.clip(q, eps, 1 - eps), np.clip(p, eps, 1 - eps)",
                  _comment("KL_pq, KL_qp = rel_entr(p, q_used).sum(), rel_entr(q, p_used).sum()",
                           tr("Σ p ln(p / q)"))]
        kl_names = ("scipy.rel_entr(p,q_used).sum()", "scipy.rel_entr(q,p_used).sum()")
    else:
        lines.append(_comment("KL_pq, KL_qp = entropy(p, q), entropy(q, p)", tr(
            "two arguments: the KL divergence Σ p ln(p / q), not the cross-entropy")))
        kl_names = ("scipy.entropy(p,q)", "scipy.entropy(q,p)")
    rows = [("entropy_p", "scipy.entropy(p)", "H_p"), ("entropy_q", "scipy.entropy(q)", "H_q"),
            ("kl_pq", kl_names[0], "KL_pq"), ("kl_qp", kl_names[1], "KL_qp"),
            ("cross_pq", "scipy.H(p,q)", "H_p + KL_pq"),
            ("cross_qp", "scipy.H(q,p)", "H_q + KL_qp"),
            ("js", "scipy.jensenshannon(p,q)**2", "jensenshannon(p, q) ** 2")]
    outputs = []
    for key, name, expr in rows:
        if key == "cross_pq":
            lines.append("# " + tr("cross-entropy = entropy + KL"))
        if key == "js":
            lines.append("# " + tr("jensenshannon returns the square root of JS"))
        lines.append(_print(name, expr, t.app_nats(key, SYMBOLS[key])))
        outputs.append(Output(name, inp.nats(key), True))
    if t.converts:
        b = int(inp.base)
        lines += ["", "# " + tr("the app shows {unit}: scipy takes base={base}").format(
            unit=t.unit_names[inp.unit], base=b)]
        kl_b = ((f"rel_entr(p, q_used).sum() / np.log({b})", f"rel_entr(q, p_used).sum() / np.log({b})")
                if clip else (f"entropy(p, q, base={b})", f"entropy(q, p, base={b})"))
        unit_exprs = {"entropy_p": f"entropy(p, base={b})", "entropy_q": f"entropy(q, base={b})",
                      "kl_pq": kl_b[0], "kl_qp": kl_b[1],
                      "cross_pq": f"entropy(p, base={b}) + {kl_b[0]}",
                      "cross_qp": f"entropy(q, base={b}) + {kl_b[1]}",
                      "js": f"jensenshannon(p, q, base={b}) ** 2"}
        for key, name, _expr in rows:
            lines.append(_print(f"{name}{t.suffix}", unit_exprs[key], t.app_unit(key, SYMBOLS[key])))
            outputs.append(Output(f"{name}{t.suffix}", inp.values[key], True))
    return Snippet("scipy", "scipy", tr("SciPy: scipy.stats.entropy, both forms"),
                   tr("entropy(p) is the entropy; entropy(p, q) is the KL divergence, not the "
                      "cross-entropy (add H(p) to get it). Both rescale their arguments to sum 1."),
                   "\n".join(lines), tuple(outputs))


# ---------------------------------------------------------------------- scikit-learn
def _sklearn_categorical(inp: CodeInputs, tr) -> Snippet:
    t = _Text(inp, tr)
    n = inp.n
    k = _one_hot(inp.p)
    lines = ["import numpy as np", "from sklearn.metrics import log_loss", "",
             *_wrap_comment(_categories(inp.labels, tr)),
             _comment(f"q = np.array({_list(inp.q, 13)})", tr("the model's prediction")),
             f"classes = np.arange({n})"]
    if k is not None:
        lines += [*_wrap_comment(tr("p is one-hot: the true class is {k} ({label}); log_loss takes "
                                    "the true labels and the predicted probabilities").format(
                      k=k, label=_clean(inp.labels[k]))),
                  f"loss = log_loss([{k}], [q], labels=classes)"]
    else:
        lines += [f"p = np.array({_list(inp.p, 13)})",
                  *_wrap_comment(tr("log_loss takes class labels, not a distribution: one sample "
                                    "per class, weighted by p, gives the mean of −ln q weighted "
                                    "by p, which is H(p, q)")),
                  f"loss = log_loss(classes, np.tile(q, ({n}, 1)), sample_weight=p, labels=classes)"]
    # log_loss clips q to [machine eps, 1 − machine eps]: where the app uses another q (its own
    # clipping) or q_i < machine eps with p_i > 0 (∞ in the app), the numbers differ
    exact = not _clip_matters(inp, "q") and not any(
        pi > 0 and qi < MACHINE_EPS for pi, qi in zip(inp.p, inp.q))
    if not exact:
        lines += _wrap_comment(tr("log_loss clips q to [2.2e-16, 1 − 2.2e-16] (machine eps), "
                                  "the app does not (or clips at its own eps), so here the "
                                  "numbers differ"))
    name = "sklearn.log_loss(categorical)"
    lines.append(_print(name, "loss", t.app_nats("cross_pq", SYMBOLS["cross_pq"])))
    outputs = [Output(name, inp.nats("cross_pq"), exact)]
    if t.converts:
        lines.append(_print(f"{name}{t.suffix}", f"loss / np.log({int(inp.base)})",
                            t.app_unit("cross_pq", SYMBOLS["cross_pq"])))
        outputs.append(Output(f"{name}{t.suffix}", inp.values["cross_pq"], exact))
    return Snippet("sklearn_categorical", "sklearn", tr("scikit-learn: log_loss, categorical"),
                   tr("The classification loss of the readouts: log_loss of the true class under "
                      "q is the cross-entropy H(p, q), in nats."), "\n".join(lines), tuple(outputs))


def _sigmoid_exact(inp: CodeInputs, log_floor: float) -> bool:
    """Whether a loss computed from the probability a = σ(z) (not from z) agrees with the exact
    loss to 1e-12: with y = 1 until the library's floor of ln a, with y = 0 while 1 − σ(z)
    keeps its digits."""
    if inp.sig_y == 1:
        return inp.sig_loss < log_floor - 1.0
    return inp.sig_loss < ROUNDING_LOSS


def _sklearn_binary(inp: CodeInputs, tr) -> Snippet:
    t = _Text(inp, tr)
    lines = ["from scipy.special import expit", "from sklearn.metrics import log_loss", "",
             _comment(f"z, y = {_num(inp.sig_z)}, {inp.sig_y}",
                      tr("the sigmoid panel: z = w·x + b at the marker, target y")),
             _comment("a = expit(z)", tr("a = σ(z) = 1 / (1 + e^(−z)), the predicted P(y = 1)")),
             _comment("loss = log_loss([y], [a], labels=[0, 1])",
                      tr("binary: −[y ln a + (1 − y) ln(1 − a)]"))]
    exact = _sigmoid_exact(inp, -math.log(MACHINE_EPS))
    if not exact:
        lines += _wrap_comment(tr("far in the wrong tail σ(z) rounds towards 0 or 1: log_loss "
                                  "loses digits and clips at 2.2e-16 (see pitfall 3)"))
    name = "sklearn.log_loss(binary)"
    lines.append(_print(name, "loss", t.app_plain(inp.sig_loss, "L_CE")))
    return Snippet("sklearn_binary", "sklearn", tr("scikit-learn: log_loss, binary"),
                   tr("The sigmoid panel's cross-entropy loss at the z marker: log_loss with the "
                      "predicted probability of class 1."),
                   "\n".join(lines), (Output(name, inp.sig_loss, exact),))


# ---------------------------------------------------------------------- PyTorch
def _float64_note(tr) -> str:
    return tr("float64 so the digits agree with the app (PyTorch's default float32 keeps ~7)")


def _tensor(name: str, values, comment: str = "") -> str:
    indent = len(name) + len(" = torch.tensor(")
    return _comment(f"{name} = torch.tensor({_list(values, indent)}, dtype=torch.float64)", comment)


def _pq_tensors(inp: CodeInputs, tr) -> list[str]:
    lines = [*_wrap_comment(_categories(inp.labels, tr)),
             _tensor("p", inp.p, _float64_note(tr)), _tensor("q", inp.q)]
    return lines


def _keep_lines(inp: CodeInputs, tr) -> list[str]:
    if not _zero_pairs(inp):
        return []
    return [*_wrap_comment(tr("drop the categories where p = q = 0: their term is 0, but "
                              "PyTorch computes 0 · ln 0 as 0 · (−∞) = nan")),
            "keep = (p > 0) | (q > 0)",
            "p, q = p[keep], q[keep]"]


def _clip_note(inp: CodeInputs, tr, which: str) -> list[str]:
    if not _clip_matters(inp, which):
        return []
    return _wrap_comment(tr("PyTorch does not clip: the app clips at eps = {eps} (Readouts), "
                            "so here the numbers differ").format(eps=f"{inp.eps:g}"))


def _softmax_head(inp: CodeInputs, tr) -> list[str]:
    lines = [*_wrap_comment(tr("the softmax panel: logits z, temperature T, a = softmax(z / T)")),
             _tensor("z", inp.z, _float64_note(tr)), f"T = {_num(inp.temperature)}"]
    return lines


def _torch_softmax_ce(inp: CodeInputs, tr) -> Snippet:
    t = _Text(inp, tr)
    lines = ["import torch", "import torch.nn.functional as F", "", *_softmax_head(inp, tr)]
    if inp.target_used == "onehot":
        k = inp.target_class
        label = _clean(inp.softmax_labels[k]) if k < len(inp.softmax_labels) else str(k)
        lines += [_comment(f"y = torch.tensor({k})",
                           tr("target: class {k} ({label}), as a class index").format(k=k, label=label))]
    else:
        lines += [_tensor("y", inp.y, tr("target: the distribution y = p (probabilities)"))]
    lines.append(_comment("loss = F.cross_entropy(z / T, y)",
                          tr("takes logits: applies log_softmax itself")))
    name = "torch.F.cross_entropy(z/T,y)"
    lines.append(_print(name, "loss.item()", t.app_plain(inp.softmax_loss, "L = −Σ y ln a")))
    return Snippet("torch_softmax_ce", "torch", tr("PyTorch: F.cross_entropy from logits"),
                   tr("The softmax panel: cross_entropy takes the logits (here z / T) and the "
                      "target (a class index or probabilities), and returns the panel's loss."),
                   "\n".join(lines), (Output(name, inp.softmax_loss, True),))


def _torch_logq_ce(inp: CodeInputs, tr) -> Snippet:
    t = _Text(inp, tr)
    lines = ["import torch", "import torch.nn.functional as F", "", *_pq_tensors(inp, tr),
             *_keep_lines(inp, tr),
             _comment("logits = torch.log(q)", tr("log q as logits: softmax(log q) = q")),
             _comment("loss = F.cross_entropy(logits, p)", tr("soft target p")),
             *_clip_note(inp, tr, "q")]
    exact = not _clip_matters(inp, "q")
    name = "torch.F.cross_entropy(log q,p)"
    lines.append(_print(name, "loss.item()", t.app_nats("cross_pq", SYMBOLS["cross_pq"])))
    outputs = [Output(name, inp.nats("cross_pq"), exact)]
    if t.converts:
        lines.append(_print(f"{name}{t.suffix}", f"loss.item() / math.log({int(inp.base)})",
                            t.app_unit("cross_pq", SYMBOLS["cross_pq"])))
        lines.insert(0, "import math")
        outputs.append(Output(f"{name}{t.suffix}", inp.values["cross_pq"], exact))
    return Snippet("torch_logq_ce", "torch", tr("PyTorch: F.cross_entropy on log q"),
                   tr("The readouts' H(p, q): with log q as the logits, softmax gives q back, so "
                      "cross_entropy with target p is the cross-entropy."),
                   "\n".join(lines), tuple(outputs))


def _torch_nll(inp: CodeInputs, tr) -> Snippet:
    t = _Text(inp, tr)
    lines = ["import torch", "import torch.nn as nn", "import torch.nn.functional as F", "",
             *_softmax_head(inp, tr),
             _comment("log_a = F.log_softmax(z / T, dim=-1)", tr("log-probabilities ln a"))]
    if inp.target_used == "onehot":
        k = inp.target_class
        lines += [_comment(f"loss = nn.NLLLoss()(log_a.unsqueeze(0), torch.tensor([{k}]))",
                           tr("NLLLoss takes log-probabilities and class indices"))]
    else:
        c = len(inp.z)
        lines += [_tensor("y", inp.y, tr("target: the distribution y = p")),
                  *_wrap_comment(tr("NLLLoss takes class indices, not a distribution: one row per "
                                    "class, each weighted by y")),
                  f"loss = nn.NLLLoss(weight=y)(log_a.expand({c}, {c}), torch.arange({c}))"]
    name = "torch.nn.NLLLoss(log_softmax)"
    lines.append(_print(name, "loss.item()", t.app_plain(inp.softmax_loss, "L = −Σ y ln a")))
    return Snippet("torch_nll", "torch", tr("PyTorch: nn.NLLLoss on log_softmax"),
                   tr("log_softmax followed by NLLLoss is what cross_entropy does in one call."),
                   "\n".join(lines), (Output(name, inp.softmax_loss, True),))


def _torch_bce(inp: CodeInputs, tr) -> Snippet:
    t = _Text(inp, tr)
    lines = ["import torch", "import torch.nn as nn", "",
             _comment(f"z = torch.tensor({_num(inp.sig_z)}, dtype=torch.float64)",
                      tr("the sigmoid panel: z = w·x + b at the marker")),
             _comment(f"y = torch.tensor({float(inp.sig_y)!r}, dtype=torch.float64)", tr("target y")),
             _comment("bce = nn.BCELoss()(torch.sigmoid(z), y)",
                      tr("takes the probability a = σ(z)")),
             _comment("bce_logits = nn.BCEWithLogitsLoss()(z, y)",
                      tr("takes the logit z: exact for any z"))]
    exact = _sigmoid_exact(inp, TORCH_LOG_CLAMP)
    if not exact:
        lines += _wrap_comment(tr("far in the wrong tail σ(z) rounds towards 0 or 1: BCELoss "
                                  "loses digits and clamps ln at −100 (see pitfall 3)"))
    comment = t.app_plain(inp.sig_loss, "L_CE")
    lines += [_print("torch.nn.BCELoss(sigmoid(z),y)", "bce.item()", comment),
              _print("torch.nn.BCEWithLogitsLoss(z,y)", "bce_logits.item()", comment)]
    return Snippet("torch_bce", "torch", tr("PyTorch: nn.BCELoss and nn.BCEWithLogitsLoss"),
                   tr("The sigmoid panel's cross-entropy loss at the z marker, from the "
                      "probability σ(z) and from the logit z."), "\n".join(lines),
                   (Output("torch.nn.BCELoss(sigmoid(z),y)", inp.sig_loss, exact),
                    Output("torch.nn.BCEWithLogitsLoss(z,y)", inp.sig_loss, True)))


def _torch_kl(inp: CodeInputs, tr) -> Snippet:
    t = _Text(inp, tr)
    lines = ["import torch", "import torch.nn as nn", "", *_pq_tensors(inp, tr),
             *_keep_lines(inp, tr),
             _comment('kl = nn.KLDivLoss(reduction="batchmean")',
                      tr("batchmean: the sum divided by the batch size (1 here)")),
             *_wrap_comment(tr("input: the model's log-probabilities ln q; target: p; "
                               "result: D_KL(p ‖ q)")),
             "loss = kl(torch.log(q).unsqueeze(0), p.unsqueeze(0))",
             *_clip_note(inp, tr, "q")]
    exact = not _clip_matters(inp, "q")
    name = "torch.nn.KLDivLoss(log q,p)"
    lines.append(_print(name, "loss.item()", t.app_nats("kl_pq", SYMBOLS["kl_pq"])))
    outputs = [Output(name, inp.nats("kl_pq"), exact)]
    if t.converts:
        lines.insert(0, "import math")
        lines.append(_print(f"{name}{t.suffix}", f"loss.item() / math.log({int(inp.base)})",
                            t.app_unit("kl_pq", SYMBOLS["kl_pq"])))
        outputs.append(Output(f"{name}{t.suffix}", inp.values["kl_pq"], exact))
    return Snippet("torch_kl", "torch", tr("PyTorch: nn.KLDivLoss"),
                   tr("KLDivLoss(input, target) takes the model's log-probabilities as input and "
                      "the true probabilities as target."), "\n".join(lines), tuple(outputs))


# ---------------------------------------------------------------------- pitfalls
def _pitfall_logits(inp: CodeInputs, tr) -> Snippet:
    t = _Text(inp, tr)
    keep = _zero_pairs(inp)
    right = ("ce(torch.log(q[keep]), p[keep])" if keep else "ce(torch.log(q), p)")
    lines = ["import torch", "import torch.nn as nn", "", *_pq_tensors(inp, tr)]
    if keep:
        lines += [*_wrap_comment(tr("drop the categories where p = q = 0 for log q (0 · ln 0 "
                                    "would be nan)")), "keep = (p > 0) | (q > 0)"]
    lines += [_comment("ce = nn.CrossEntropyLoss()", tr("expects logits, not probabilities")),
              _comment(f"right = {right}", tr("log q as the logits")),
              _comment("wrong = ce(q, p)", tr("probabilities as logits: softmax(q) is not q")),
              *_clip_note(inp, tr, "q"),
              _print("pitfall1.CrossEntropyLoss(log q,p)", "right.item()",
                     t.app_nats("cross_pq", SYMBOLS["cross_pq"])),
              _print("pitfall1.CrossEntropyLoss(q,p)", "wrong.item()",
                     tr("wrong: a different number"))]
    return Snippet("pitfall_logits", "torch",
                   tr("Pitfall 1: probabilities passed to CrossEntropyLoss"),
                   tr("CrossEntropyLoss applies softmax itself. Given probabilities it computes "
                      "the cross-entropy of softmax(q), not of q, and nothing warns you."),
                   "\n".join(lines),
                   (Output("pitfall1.CrossEntropyLoss(log q,p)", inp.nats("cross_pq"),
                           not _clip_matters(inp, "q")),
                    Output("pitfall1.CrossEntropyLoss(q,p)", None, False)))


def _pitfall_kl(inp: CodeInputs, tr) -> Snippet:
    t = _Text(inp, tr)
    n = inp.n - sum(1 for a, b in zip(inp.p, inp.q) if a == 0 and b == 0)
    lines = ["import torch", "import torch.nn as nn", "", *_pq_tensors(inp, tr),
             *_keep_lines(inp, tr),
             "P, Q = p.unsqueeze(0), q.unsqueeze(0)",
             _comment("log_P, log_Q = torch.log(P), torch.log(Q)", tr("a batch of one row")),
             'kl = nn.KLDivLoss(reduction="batchmean")',
             _comment('kl_mean = nn.KLDivLoss(reduction="mean")',
                      tr("mean divides by the number of entries ({n} here), not the batch size")
                      .format(n=n)),
             *_clip_note(inp, tr, "q"),
             _print("pitfall2.KLDivLoss(log q,p)", "kl(log_Q, P).item()",
                    t.app_nats("kl_pq", SYMBOLS["kl_pq"])),
             *_wrap_comment(tr("swapped: input ln p, target q gives the other direction")),
             *_clip_note(inp, tr, "p"),
             _print("pitfall2.KLDivLoss(log p,q)", "kl(log_P, Q).item()",
                    t.app_nats("kl_qp", SYMBOLS["kl_qp"])),
             _print("pitfall2.KLDivLoss(q,p)", "kl(Q, P).item()",
                    tr("wrong: probabilities as input, not log-probabilities")),
             _print('pitfall2.KLDivLoss(mean)(log q,p)', "kl_mean(log_Q, P).item()",
                    tr("wrong: D_KL(p ‖ q) / {n}").format(n=n))]
    return Snippet("pitfall_kl", "torch", tr("Pitfall 2: the arguments of KLDivLoss"),
                   tr("KLDivLoss(input, target) computes D_KL(target ‖ input) and expects "
                      "log-probabilities as input; reduction=\"mean\" divides by the number of "
                      "entries, \"batchmean\" by the batch size — only batchmean is the KL "
                      "divergence."), "\n".join(lines),
                   (Output("pitfall2.KLDivLoss(log q,p)", inp.nats("kl_pq"),
                           not _clip_matters(inp, "q")),
                    Output("pitfall2.KLDivLoss(log p,q)", inp.nats("kl_qp"),
                           not _clip_matters(inp, "p")),
                    Output("pitfall2.KLDivLoss(q,p)", None, False),
                    Output("pitfall2.KLDivLoss(mean)(log q,p)", None, False)))


def _pitfall_z(inp: CodeInputs) -> float:
    """z of pitfall 3: confidently wrong for the sigmoid panel's target y."""
    return PITFALL_Z if inp.sig_y == 0 else -PITFALL_Z


def _pitfall_head(inp: CodeInputs, tr) -> str:
    return tr("the sigmoid panel's target y = {y} with z = {z}: confidently wrong, the exact loss "
              "is {exact} nats (move the z marker to {z} to see it in the app)").format(
        y=inp.sig_y, z=f"{_pitfall_z(inp):g}", exact=f"{PITFALL_Z:g}")


def _pitfall_numpy(inp: CodeInputs, tr) -> Snippet:
    z = _pitfall_z(inp)
    lines = ["import numpy as np", "", *_wrap_comment(_pitfall_head(inp, tr)),
             f"z, y = {_num(z)}, {inp.sig_y}",
             'with np.errstate(over="ignore", divide="ignore"):',
             _comment("    a = 1 / (1 + np.exp(-z))", tr("σ(z) rounds to exactly 0 or 1")),
             _comment("    naive = -(y * np.log(a) + (1 - y) * np.log(1 - a))", tr("ln 0 = −∞")),
             _comment("stable = np.logaddexp(0, z) - y * z",
                      tr("the same loss written as ln(1 + e^z) − y·z")),
             _print("pitfall3.numpy naive", "naive", "∞"),
             _print("pitfall3.numpy logaddexp", "stable", tr("exact"))]
    return Snippet("pitfall_sigmoid_numpy", "numpy", tr("Pitfall 3 (NumPy): σ(z) far in the tail"),
                   tr("Computing the loss from the probability σ(z) fails once σ(z) rounds to 0 or "
                      "1; the same loss computed from z stays exact."), "\n".join(lines),
                   (Output("pitfall3.numpy naive", None, False),
                    Output("pitfall3.numpy logaddexp", None, False)))


def _pitfall_sklearn(inp: CodeInputs, tr) -> Snippet:
    z = _pitfall_z(inp)
    lines = ["from scipy.special import expit", "from sklearn.metrics import log_loss", "",
             *_wrap_comment(_pitfall_head(inp, tr)),
             f"z, y = {_num(z)}, {inp.sig_y}",
             _comment("a = expit(z)", tr("σ(z) rounds to exactly 0 or 1")),
             *_wrap_comment(tr("log_loss clips a to [2.2e-16, 1 − 2.2e-16]: −ln(2.2e-16) = 36.04, "
                               "a clamp, not the exact loss")),
             _print("pitfall3.sklearn log_loss", "log_loss([y], [a], labels=[0, 1])",
                    tr("clipped"))]
    return Snippet("pitfall_sigmoid_sklearn", "sklearn",
                   tr("Pitfall 3 (scikit-learn): clipping at eps"),
                   tr("log_loss clips probabilities to [eps, 1 − eps], so a confidently wrong "
                      "prediction costs at most −ln eps ≈ 36 nats."), "\n".join(lines),
                   (Output("pitfall3.sklearn log_loss", None, False),))


def _pitfall_torch(inp: CodeInputs, tr) -> Snippet:
    z = _pitfall_z(inp)
    lines = ["import torch", "import torch.nn as nn", "", *_wrap_comment(_pitfall_head(inp, tr)),
             f"z = torch.tensor({_num(z)}, dtype=torch.float64)",
             f"y = torch.tensor({float(inp.sig_y)!r}, dtype=torch.float64)",
             _print("pitfall3.BCELoss", "nn.BCELoss()(torch.sigmoid(z), y).item()",
                    tr("BCELoss clamps ln at −100: 100, a clamp")),
             _print("pitfall3.BCEWithLogitsLoss", "nn.BCEWithLogitsLoss()(z, y).item()",
                    tr("exact"))]
    return Snippet("pitfall_sigmoid_torch", "torch",
                   tr("Pitfall 3 (PyTorch): BCELoss(sigmoid(z)) against BCEWithLogitsLoss(z)"),
                   tr("BCELoss gets σ(z) = 0 or 1 and clamps its logarithms at −100; "
                      "BCEWithLogitsLoss works from z and gives the exact loss."), "\n".join(lines),
                   (Output("pitfall3.BCELoss", None, False),
                    Output("pitfall3.BCEWithLogitsLoss", None, False)))


_BUILDERS = {
    "numpy": _numpy, "scipy": _scipy, "sklearn_categorical": _sklearn_categorical,
    "sklearn_binary": _sklearn_binary, "torch_softmax_ce": _torch_softmax_ce,
    "torch_logq_ce": _torch_logq_ce, "torch_nll": _torch_nll, "torch_bce": _torch_bce,
    "torch_kl": _torch_kl, "pitfall_logits": _pitfall_logits, "pitfall_kl": _pitfall_kl,
    "pitfall_sigmoid_numpy": _pitfall_numpy, "pitfall_sigmoid_sklearn": _pitfall_sklearn,
    "pitfall_sigmoid_torch": _pitfall_torch,
}
#: Every snippet, in the order shown: the libraries first, then the three pitfalls.
KEYS = tuple(_BUILDERS)
PITFALLS = tuple(k for k in KEYS if k.startswith("pitfall"))


def snippets(inp: CodeInputs, tr=_identity, libs=LIBS, keys=KEYS) -> list[Snippet]:
    """The snippets *keys* (default all) of the libraries *libs*, in display order
    (:data:`KEYS`)."""
    out = [_BUILDERS[k](inp, tr) for k in KEYS if k in keys]
    return [s for s in out if s.lib in libs]


def script(inp: CodeInputs, tr=_identity, libs=LIBS, version: str = "") -> str:
    """A complete runnable script: every snippet of *libs*.  With more than one library,
    the sections of libraries other than NumPy run only when that library is installed (a
    note on stderr says which were skipped)."""
    chosen = [lib for lib in LIBS if lib in libs]
    parts = [*_wrap_comment(tr("Cross-Entropy Explorer {version}: the numbers on screen, in code "
                               "({command}).").format(version=version, command="python main.py code")
                            .replace("  ", " ")),
             *_wrap_comment((tr("Every line printed is name = value, in nats (a name ending "
                                "in {mark} is in the app's unit); the app's values are in the "
                                "comments, with {digits} decimals.") if inp.unit != "nats" else
                             tr("Every line printed is name = value, in nats; the app's values "
                                "are in the comments, with {digits} decimals.")).format(
                 mark=f"[{inp.unit}]", digits=inp.precision))]
    guarded = len(chosen) > 1
    if guarded and any(lib != "numpy" for lib in chosen):
        parts += ["import importlib.util", "import sys"]
    for lib in chosen:
        body = snippets(inp, tr, (lib,))
        if not body:
            continue
        parts += ["", "", f"# {'=' * 20} {LIB_TITLES[lib]} {'=' * 20}"]
        text = "\n\n".join(f"# --- {s.title}\n{s.code}" for s in body)
        if guarded and lib != "numpy":
            module = lib
            note = tr("{lib} is not installed: its lines are skipped").format(lib=LIB_TITLES[lib])
            parts += [f'if importlib.util.find_spec("{module}") is None:',
                      f"    print({note!r}, file=sys.stderr)",
                      "else:",
                      "\n".join(("    " + ln) if ln else "" for ln in text.splitlines())]
        else:
            parts.append(text)
    return "\n".join(parts) + "\n"


def parse_output(text: str) -> dict[str, float]:
    """The ``name = value`` lines a script printed, as floats (for tests and for checking)."""
    out = {}
    for line in text.splitlines():
        name, sep, value = line.rpartition(" = ")
        if sep:
            out[name] = float(value)
    return out
