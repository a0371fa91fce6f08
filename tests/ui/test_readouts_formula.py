"""explorer.ui.formula: the strings that write each quantity out with its numbers."""
import math

import numpy as np
import pytest
from scipy.stats import entropy as sp_entropy

from explorer.ui import formula as F


@pytest.mark.parametrize("x, prec, style, text", [
    (0.0, 4, "plain", "0"),
    (1.0, 4, "plain", "1"),
    (0.4, 4, "plain", "0.4"),
    (0.125, 4, "plain", "0.125"),
    (1 / 3, 4, "plain", "0.3333"),
    (1 / 3, 2, "plain", "0.33"),
    (1e-15, 4, "plain", "1e−15"),
    (1e-15, 4, "latex", "10^{-15}"),
    (2.5e-7, 4, "html", "2.5×10<sup>−7</sup>"),
    (2.5e-7, 4, "latex", r"2.5 \times 10^{-7}"),
    (1 - 1e-15, 4, "plain", "(1 − 1e−15)"),
    (1 - 1e-15, 4, "latex", "(1 - 10^{-15})"),
])
def test_number(x, prec, style, text):
    assert F.number(x, prec, style) == text


def test_value_infinity_and_minus():
    assert F.value(math.inf, 4, "plain") == "∞"
    assert F.value(math.inf, 4, "latex") == r"\infty"
    assert F.value(-0.25, 2, "plain") == "−0.25"
    assert F.value(-0.25, 2, "latex") == "-0.25"


def test_formulas_of_the_model(model):
    model.set_distributions([0.5, 0.25, 0.125, 0.125], [0.125, 0.5, 0.25, 0.125])
    model.set_unit("bits")
    fs = {f.key: f for f in F.build_formulas(model.info, model.p, model.q, 4)}
    assert fs["entropy_p"].plain == ("H(p) = −(0.5·log₂ 0.5 + 0.25·log₂ 0.25 + 0.125·log₂ 0.125 + "
                                     "0.125·log₂ 0.125) = 1.7500 bits")
    assert fs["kl_qp"].plain.startswith("D_KL(q ‖ p) = 0.125·log₂(0.125/0.5) + 0.5·log₂(0.5/0.25)")
    assert fs["kl_qp"].plain.endswith(f"= {sp_entropy(model.q, model.p, base=2):.4f} bits")
    assert fs["kl_pq"].latex.startswith(r"D_{\mathrm{KL}}(p \,\|\, q) = 0.5 \cdot \log_2\frac{0.5}{0.125}")
    assert fs["cross_pq"].html.startswith("<i>H</i>(<i>p</i>, <i>q</i>) = −(0.5·log<sub>2</sub> 0.125")
    assert "<b>2.3750</b> bits" in fs["cross_pq"].html
    assert fs["js"].plain.endswith("where m = ½(p + q) = (0.3125, 0.375, 0.1875, 0.125)")
    assert F.identity(model.info, 3, style="plain") == \
        "H(p, q) = H(p) + D_KL(p ‖ q): 2.375 = 1.750 + 0.625 bits"


def test_elision_keeps_first_three_and_last_two(model):
    p = np.full(10, 0.1)
    model.set_distributions(p, p)
    f = F.formula_text("entropy_p", model.info, model.p, model.q, "plain", max_terms=8)
    assert f == "H(p) = −(0.1·ln 0.1 + 0.1·ln 0.1 + 0.1·ln 0.1 + … + 0.1·ln 0.1 + 0.1·ln 0.1) = 2.3026 nats"
    latex = F.formula_text("entropy_p", model.info, model.p, model.q, "latex", max_terms=8)
    assert latex.count(r"\cdots") == 1
    full = F.formula_text("entropy_p", model.info, model.p, model.q, "plain")
    assert full.count("·ln 0.1") == 10


def test_clipped_marker_and_clipped_numbers(model):
    model.set_distributions([0.5, 0.5], [1.0, 0.0])
    model.set_eps(True, 1e-15)
    f = F.formula_text("cross_pq", model.info, model.p, model.q, "plain", clipped_text="clipped")
    expected = -(0.5 * math.log(1 - 1e-15) + 0.5 * math.log(1e-15))
    assert f == (f"H(p, q) = −(0.5·ln(1 − 1e−15) + 0.5·ln(1e−15)) = {expected:.4f} nats "
                 "(clipped, eps = 1e−15)")
    latex = F.formula_text("cross_pq", model.info, model.p, model.q, "latex")
    assert r"\ln\left(10^{-15}\right)" in latex and r"\varepsilon = 10^{-15}" in latex
    # H(p) never uses clipped numbers
    assert "clipped" not in F.formula_text("entropy_p", model.info, model.p, model.q, "plain")


def test_unknown_key(model):
    with pytest.raises(ValueError, match="key: unknown quantity"):
        F.formula_text("nope", model.info, model.p, model.q, "plain")


@pytest.mark.parametrize("unit, base", [("bits", "2"), ("nats", "e"), ("bans", "10")])
def test_formulas_write_out_the_perplexities(unit, base):
    """Issue 17: PP(p) = b^H(p), the same number in every unit."""
    import math
    from scipy.stats import entropy as sp_entropy
    from explorer.model import AppModel
    from explorer.ui import formula
    m = AppModel()
    p, q = [0.5, 0.25, 0.125, 0.125], [0.125, 0.5, 0.25, 0.125]
    m.set_distributions(p, q)
    m.set_unit(unit)
    plain = formula.perplexities(m.info, 4, unit, "plain")
    h = sp_entropy(p, base={"bits": 2, "nats": math.e, "bans": 10}[unit])
    assert plain[0] == f"PP(p) = {base}^H(p) = {base}^{h:.4f} = {2 ** sp_entropy(p, base=2):.2f}"
    pq = math.exp(sp_entropy(p) + sp_entropy(p, q))
    assert plain[1].endswith(f"= {pq:.2f}") and plain[1].startswith(f"PP(p, q) = {base}^H(p, q)")
    latex = formula.perplexities(m.info, 4, unit, "latex")
    assert latex[0].startswith(r"\mathrm{PP}(p) = " + base + "^{H(p)}")
