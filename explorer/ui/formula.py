"""Write each information quantity out with the current numbers substituted.

Pure string code: every number comes from the model (``model.p``, ``model.q`` and
:class:`explorer.model.app_model.InfoNumbers`); nothing here computes a logarithm.  Each formula is
produced three ways: rich text for the screen (HTML that Qt renders), plain Unicode text and LaTeX
for the clipboard, e.g.::

    H(p, q) = −(0·ln 0.4 + 1·ln 0.4 + 0·ln 0.2) = 0.9163 nats
    H(p, q) = -\\left(0 \\cdot \\ln 0.4 + 1 \\cdot \\ln 0.4 + 0 \\cdot \\ln 0.2\\right) = 0.9163\\ \\text{nats}
"""
from __future__ import annotations

from dataclasses import dataclass

from explorer.ui.fmt import fmt

#: the logarithm each unit uses, per output style
LOG = {
    "plain": {"bits": "log₂", "nats": "ln", "bans": "log₁₀"},
    "html": {"bits": "log<sub>2</sub>", "nats": "ln", "bans": "log<sub>10</sub>"},
    "latex": {"bits": r"\log_2", "nats": r"\ln", "bans": r"\log_{10}"},
}

#: quantity key -> (plain name, html name, LaTeX name)
NAMES = {
    "entropy_p": ("H(p)", "<i>H</i>(<i>p</i>)", "H(p)"),
    "entropy_q": ("H(q)", "<i>H</i>(<i>q</i>)", "H(q)"),
    "cross_pq": ("H(p, q)", "<i>H</i>(<i>p</i>, <i>q</i>)", "H(p, q)"),
    "cross_qp": ("H(q, p)", "<i>H</i>(<i>q</i>, <i>p</i>)", "H(q, p)"),
    "kl_pq": ("D_KL(p ‖ q)", "<i>D</i><sub>KL</sub>(<i>p</i> ‖ <i>q</i>)",
              r"D_{\mathrm{KL}}(p \,\|\, q)"),
    "kl_qp": ("D_KL(q ‖ p)", "<i>D</i><sub>KL</sub>(<i>q</i> ‖ <i>p</i>)",
              r"D_{\mathrm{KL}}(q \,\|\, p)"),
    "js": ("JS(p, q)", "<i>JS</i>(<i>p</i>, <i>q</i>)", r"\mathrm{JS}(p, q)"),
}
ORDER = ["entropy_p", "entropy_q", "cross_pq", "cross_qp", "kl_pq", "kl_qp", "js"]
STYLES = ("plain", "html", "latex")


@dataclass(frozen=True)
class Formula:
    """One quantity written out: ``plain`` (Unicode text), ``html`` (rich text), ``latex``."""

    key: str
    plain: str
    html: str
    latex: str

    def text(self, style: str) -> str:
        return getattr(self, style)


# ---------------------------------------------------------------------------- numbers
def number(x: float, precision: int = 4, style: str = "plain") -> str:
    """A probability for substitution: as short as exact (0.4, 1, 0.125), at most *precision*
    decimals; tiny non-zero values in scientific notation (1e−15) and values a hair below 1 as
    ``1 − 1e−15`` so that a clipped number never looks like 0 or 1."""
    x = float(x)
    if x == 0.0:
        return "0"
    text = f"{x:.{precision}f}".rstrip("0").rstrip(".")
    if text in ("", "0", "-0"):
        return _scientific(x, precision, style)
    if text == "1" and x != 1.0:
        gap = _shortest_gap(x)
        gap_text = _scientific(gap, precision, style) if gap < 10.0 ** -precision \
            else number(gap, precision, style)
        return f"(1 − {gap_text})" if style != "latex" else f"(1 - {gap_text})"
    return text.replace("-", "−") if style != "latex" else text


def _shortest_gap(x: float) -> float:
    """The shortest decimal g with 1 − g == x in floating point (1 − 1e−15 is not exact)."""
    gap = 1.0 - x
    for digits in range(1, 18):
        g = float(f"{gap:.{digits}g}")
        if 1.0 - g == x:
            return g
    return gap


def _scientific(x: float, precision: int, style: str) -> str:
    mant, exp = f"{x:.{max(precision - 1, 0)}e}".split("e")
    mant = mant.rstrip("0").rstrip(".") if "." in mant else mant
    e = int(exp)
    if style == "latex":
        return f"10^{{{e}}}" if mant == "1" else rf"{mant} \times 10^{{{e}}}"
    if style == "html":
        e_text = str(e).replace("-", "−")
        return f"10<sup>{e_text}</sup>" if mant == "1" else f"{mant}×10<sup>{e_text}</sup>"
    return f"{mant}e{e}".replace("-", "−")


def value(v: float, precision: int, style: str) -> str:
    """A result (may be ∞) with exactly *precision* decimals."""
    text = fmt(v, precision)
    if style == "latex":
        return text.replace("−", "-").replace("∞", r"\infty")
    return text


# ---------------------------------------------------------------------------- pieces
def _is_plain_decimal(text: str) -> bool:
    return text.replace(".", "", 1).isdigit()


def _log_of(log: str, arg: str, style: str) -> str:
    r"""``ln 0.4``, ``ln(1e−15)``, ``\ln\left(10^{-15}\right)``."""
    if _is_plain_decimal(arg):
        return f"{log} {arg}"
    if style == "latex":
        inner = arg[1:-1] if arg.startswith("(") else arg
        return rf"{log}\left({inner}\right)"
    return f"{log}{arg}" if arg.startswith("(") else f"{log}({arg})"


def _product_term(a: str, log: str, b: str, style: str) -> str:
    """``a·log b``."""
    dot = r" \cdot " if style == "latex" else "·"
    return f"{a}{dot}{_log_of(log, b, style)}"


def _ratio_term(a: str, log: str, num: str, den: str, style: str) -> str:
    """``a·log(num/den)``."""
    if style == "latex":
        return rf"{a} \cdot {log}\frac{{{num}}}{{{den}}}"
    return f"{a}·{log}({num}/{den})"


def _elided(make, count: int, max_terms: int | None, style: str) -> list[str]:
    """``[make(0), …, make(count - 1)]``, or when longer than *max_terms* the first three, a
    ``…`` and the last two (only the kept terms are formatted, so N = 1000 stays cheap)."""
    if max_terms is None or count <= max_terms:
        return [make(i) for i in range(count)]
    dots = r"\cdots" if style == "latex" else "…"
    return [make(i) for i in (0, 1, 2)] + [dots] + [make(i) for i in (count - 2, count - 1)]


def _negated_sum(items: list[str], style: str) -> str:
    inner = " + ".join(items)
    return rf"-\left({inner}\right)" if style == "latex" else f"−({inner})"


def _unit(unit_text: str, style: str) -> str:
    return rf"\ \text{{{unit_text}}}" if style == "latex" else f" {unit_text}"


def _result(v: float, precision: int, unit_text: str, style: str) -> str:
    val = value(v, precision, style)
    if style == "html":
        val = f"<b>{val}</b>"
    return f"{val}{_unit(unit_text, style)}"


def _vector(xs, precision: int, style: str, max_terms: int | None) -> str:
    items = _elided(lambda i: number(xs[i], precision, style), len(xs), max_terms, style)
    if style == "latex":
        return r"\left(" + ", ".join(items) + r"\right)"
    return "(" + ", ".join(items) + ")"


def _js_body(style: str) -> str:
    if style == "latex":
        return (r"\tfrac{1}{2} D_{\mathrm{KL}}(p \,\|\, m) + "
                r"\tfrac{1}{2} D_{\mathrm{KL}}(q \,\|\, m)")
    if style == "html":
        return ("½ <i>D</i><sub>KL</sub>(<i>p</i> ‖ <i>m</i>) + "
                "½ <i>D</i><sub>KL</sub>(<i>q</i> ‖ <i>m</i>)")
    return "½ D_KL(p ‖ m) + ½ D_KL(q ‖ m)"


def _js_where(mixture, precision: int, style: str, max_terms: int | None,
              where_text: str = "where") -> str:
    vec = _vector(mixture, precision, style, max_terms)
    if style == "latex":
        return rf",\quad m = \tfrac{{1}}{{2}}(p + q) = {vec}"
    if style == "html":
        return f", {where_text} <i>m</i> = ½(<i>p</i> + <i>q</i>) = {vec}"
    return f", {where_text} m = ½(p + q) = {vec}"


def _clipped_mark(info, precision: int, style: str, clipped_text: str) -> str:
    eps = number(info.eps, precision, style) if info.eps is not None else "?"
    if style == "latex":
        return rf"\quad\text{{({clipped_text}, }}\varepsilon = {eps}\text{{)}}"
    if style == "html":
        return f" <i>({clipped_text}, ε = {eps})</i>"
    return f" ({clipped_text}, eps = {eps})"


# ---------------------------------------------------------------------------- formulas
def formula_text(key: str, info, p, q, style: str, precision: int = 4,
                 unit_text: str | None = None, max_terms: int | None = None,
                 clipped_text: str = "clipped", where_text: str = "where") -> str:
    """One quantity (*key* in :data:`ORDER`) written out in *style* (plain, html or latex);
    *clipped_text* and *where_text* are the (translated) words the formulas contain."""
    if key not in NAMES:
        raise ValueError(f"key: unknown quantity {key!r} (choose from {', '.join(ORDER)})")
    if style not in STYLES:
        raise ValueError(f"style: expected one of {', '.join(STYLES)}, got {style!r}")
    unit_text = info.unit if unit_text is None else unit_text
    log = LOG[style][info.unit]
    name = NAMES[key][STYLES.index(style)]
    n = lambda x: number(x, precision, style)  # noqa: E731
    p_used = p if info.p_used is None else info.p_used
    q_used = q if info.q_used is None else info.q_used
    clipped, where = False, ""
    if key in ("entropy_p", "entropy_q"):
        d = p if key == "entropy_p" else q
        body = _negated_sum(_elided(lambda i: _product_term(n(d[i]), log, n(d[i]), style),
                                    len(d), max_terms, style), style)
    elif key in ("cross_pq", "cross_qp"):
        a_, b_ = (p, q_used) if key == "cross_pq" else (q, p_used)
        clipped = bool(info.clipped_q if key == "cross_pq" else info.clipped_p)
        body = _negated_sum(_elided(lambda i: _product_term(n(a_[i]), log, n(b_[i]), style),
                                    len(a_), max_terms, style), style)
    elif key in ("kl_pq", "kl_qp"):
        a_, b_ = (p, q_used) if key == "kl_pq" else (q, p_used)
        clipped = bool(info.clipped_q if key == "kl_pq" else info.clipped_p)
        body = " + ".join(_elided(lambda i: _ratio_term(n(a_[i]), log, n(a_[i]), n(b_[i]), style),
                                  len(a_), max_terms, style))
    else:  # js
        body = _js_body(style)
        mixture = info.mixture if info.mixture is not None else []
        where = _js_where(mixture, precision, style, max_terms, where_text)
    text = f"{name} = {body} = {_result(getattr(info, key), precision, unit_text, style)}{where}"
    if clipped:
        text += _clipped_mark(info, precision, style, clipped_text)
    return text


def build_formulas(info, p, q, precision: int = 4, unit_text: str | None = None,
                   max_terms: int | None = None, clipped_text: str = "clipped",
                   where_text: str = "where") -> list[Formula]:
    """Every quantity of *info* written out with *p*, *q* substituted.

    Parameters
    ----------
    info : InfoNumbers
        The model's numbers (values, ``p_used`` / ``q_used`` after eps clipping, ``mixture``).
    p, q : array_like
        The model's distributions.
    precision : int
        Decimals of results; substituted probabilities use at most this many.
    unit_text : str, optional
        Unit written after each result (default ``info.unit``).
    max_terms : int, optional
        Elide the middle of sums longer than this (for the screen); ``None`` writes every term.
    clipped_text : str
        Marker appended to a result that used eps-clipped probabilities.
    where_text : str
        The word before the definition of the mixture m in JS(p, q).

    Returns
    -------
    list of Formula
        In the order of :data:`ORDER`.
    """
    out = []
    for key in ORDER:
        parts = {style: formula_text(key, info, p, q, style, precision, unit_text, max_terms,
                                     clipped_text, where_text) for style in STYLES}
        out.append(Formula(key, parts["plain"], parts["html"], parts["latex"]))
    return out


def identity(info, precision: int = 4, unit_text: str | None = None, style: str = "plain") -> str:
    """``H(p, q) = H(p) + D_KL(p ‖ q): 0.9163 = 0.0000 + 0.9163 nats`` in *style*."""
    unit_text = info.unit if unit_text is None else unit_text
    i = STYLES.index(style)
    v = lambda x: value(x, precision, style)  # noqa: E731
    sep = r":\quad " if style == "latex" else ": "
    return (f"{NAMES['cross_pq'][i]} = {NAMES['entropy_p'][i]} + {NAMES['kl_pq'][i]}{sep}"
            f"{v(info.cross_pq)} = {v(info.entropy_p)} + {v(info.kl_pq)}{_unit(unit_text, style)}")


#: the base written for b^H, per unit
_BASE = {"bits": "2", "nats": "e", "bans": "10"}


def perplexities(info, precision: int = 4, unit_text: str | None = None,
                 style: str = "plain") -> list[str]:
    """``PP(p) = 2^H(p) = 2^1.5000 = 2.83`` and ``PP(p, q) = b^H(p, q) …`` in *style*: the
    perplexity b^H (the same number whatever the unit), from ``info.perplexity_*``."""
    i = STYLES.index(style)
    b = _BASE[info.unit]
    lines = []
    for name, h_key, pp in (("PP(p)", "entropy_p", info.perplexity_p),
                            ("PP(p, q)", "cross_pq", info.perplexity_pq)):
        h = value(getattr(info, h_key), precision, style)
        hname = NAMES[h_key][i]
        pp_text = value(pp, 2, style)
        if style == "latex":
            nm = name.replace("PP", r"\mathrm{PP}")
            lines.append(rf"{nm} = {b}^{{{hname}}} = {b}^{{{h}}} = {pp_text}")
        elif style == "html":
            nm = name.replace("PP", "<i>PP</i>").replace("(p", "(<i>p</i>").replace("q)", "<i>q</i>)")
            lines.append(f"{nm} = {b}<sup>{hname}</sup> = {b}<sup>{h}</sup> = {pp_text}")
        else:
            lines.append(f"{name} = {b}^{hname} = {b}^{h} = {pp_text}")
    return lines


def joined(formulas: list[Formula], style: str, extra: list[str] = ()) -> str:
    """All formulas (and *extra* lines already in *style*) as one text; LaTeX as display maths."""
    lines = [f.text(style) for f in formulas] + list(extra)
    if style == "latex":
        return "\n".join(rf"\[ {line} \]" for line in lines)
    if style == "html":
        return "<br>".join(lines)
    return "\n".join(lines)
