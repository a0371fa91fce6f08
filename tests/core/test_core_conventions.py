"""The documented conventions: inf for q_i = 0 < p_i, eps clipping, zero terms,
no warnings, and ValueError messages naming the argument."""

import warnings

import numpy as np
import pytest

from explorer import core

pytestmark = pytest.mark.filterwarnings("error")


# --- inf convention ----------------------------------------------------------

def test_zero_q_gives_inf_without_warnings():
    p = [0.5, 0.5, 0.0]
    q = [1.0, 0.0, 0.0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert core.cross_entropy(p, q) == np.inf
        assert core.kl_divergence(p, q) == np.inf
        assert core.cross_entropy(p, q, base=2) == np.inf
        t = core.information_terms(p, q)
        assert core.js_divergence(p, q) == pytest.approx(core.js_divergence(q, p))
    for v in t.values():
        assert not np.isnan(v).any()
    assert t["cross"][1] == np.inf and t["kl"][1] == np.inf
    assert t["self_info_q"][1] == np.inf and t["self_info_q"][2] == np.inf
    assert t["self_info_p"][2] == np.inf
    # p_i = 0 terms are exactly 0, even where q_i = 0
    assert t["cross"][2] == 0.0 and t["kl"][2] == 0.0 and t["entropy"][2] == 0.0
    assert t["cross"][0] == 0.0  # -0.5 * log 1


def test_zero_p_terms_contribute_zero():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert core.cross_entropy([1.0, 0.0], [1.0, 0.0]) == 0.0
        assert core.kl_divergence([1.0, 0.0], [1.0, 0.0]) == 0.0
        assert core.entropy([1.0, 0.0]) == 0.0
        assert core.kl_divergence([0.0, 1.0], [0.5, 0.5]) == pytest.approx(np.log(2))
        assert core.binary_cross_entropy([0.0, 1.0], [0.0, 1.0]) == 0.0
        assert core.categorical_cross_entropy([0, 1, 0], [0.0, 1.0, 0.0]) == 0.0


def test_losses_inf_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert core.binary_cross_entropy([1.0], [0.0]) == np.inf
        assert core.binary_cross_entropy([0.0, 0.0], [1.0, 0.5]) == np.inf
        assert core.binary_cross_entropy(0.5, 1.0) == np.inf
        assert core.categorical_cross_entropy([0, 1, 0], [0.5, 0.0, 0.5]) == np.inf
        assert core.categorical_cross_entropy([[0, 1], [1, 0]], [[0.5, 0.5], [0.0, 1.0]]) == np.inf


# --- eps clipping (sklearn-style, computed manually) ---------------------------

@pytest.mark.parametrize("eps", [1e-15, 1e-7, 1e-3, 0.1])
def test_eps_clipping_matches_manual(eps):
    p = np.array([0.5, 0.3, 0.2, 0.0])
    q = np.array([0.0, 0.2, 0.8, 0.0])
    qc = np.clip(q, eps, 1 - eps)
    manual_ce = -np.sum(p[p > 0] * np.log(qc[p > 0]))
    manual_kl = np.sum(p[p > 0] * np.log(p[p > 0] / qc[p > 0]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert core.cross_entropy(p, q, eps=eps) == pytest.approx(manual_ce, rel=1e-12)
        assert core.kl_divergence(p, q, eps=eps) == pytest.approx(manual_kl, rel=1e-12)
        assert core.cross_entropy(p, q, base=2, eps=eps) == pytest.approx(manual_ce / np.log(2), rel=1e-12)
        t = core.information_terms(p, q, eps=eps)
    np.testing.assert_allclose(t["self_info_q"], -np.log(qc))
    assert np.all(np.isfinite(t["cross"])) and np.all(np.isfinite(t["kl"]))
    assert t["cross"][3] == 0.0

    y = np.array([1.0, 0.0, 1.0, 0.0, 0.3])
    a = np.array([0.0, 1.0, 1.0, 0.2, 0.6])
    ac = np.clip(a, eps, 1 - eps)
    manual_bce = np.mean(-(y * np.log(ac) + (1 - y) * np.log(1 - ac)))
    assert core.binary_cross_entropy(y, a, eps=eps) == pytest.approx(manual_bce, rel=1e-12)

    Y = np.array([[0, 1, 0], [1, 0, 0]], dtype=float)
    A = np.array([[0.5, 0.0, 0.5], [0.9, 0.1, 0.0]])
    Ac = np.clip(A, eps, 1 - eps)
    manual_cce = np.mean(-np.sum(Y * np.log(Ac), axis=1))
    assert core.categorical_cross_entropy(Y, A, eps=eps) == pytest.approx(manual_cce, rel=1e-12)


# --- numerical stability -------------------------------------------------------

def test_sigmoid_softmax_large_inputs_no_warnings():
    z = np.array([-1e3, -745.0, -700.0, -30.0, 0.0, 30.0, 700.0, 745.0, 1e3])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = core.sigmoid(z)
        ds = core.sigmoid_derivative(z)
        sm = core.softmax(z)
        smt = core.softmax(z, temperature=0.01)
        smt2 = core.softmax(z, temperature=100.0)
        j = core.softmax_jacobian(z)
        g = core.softmax_cross_entropy_gradient(z, np.eye(z.size)[0])
        assert core.sigmoid(1e3) == 1.0 and core.sigmoid(-1e3) == 0.0
        assert core.sigmoid_derivative(-1e3) == 0.0
    for arr in (s, ds, sm, smt, smt2, j, g):
        assert np.all(np.isfinite(arr))
    assert s[0] == 0.0 and s[-1] == 1.0 and s[4] == 0.5
    assert np.all((s >= 0) & (s <= 1)) and np.all((ds >= 0) & (ds <= 0.25))
    for arr in (sm, smt, smt2):
        assert arr.sum() == pytest.approx(1.0)
    assert sm[-1] == pytest.approx(1.0)
    np.testing.assert_allclose(core.softmax([1e3, 1e3]), [0.5, 0.5])


# --- ValueError messages --------------------------------------------------------

P = [0.5, 0.5]

BAD_CALLS = [
    (lambda: core.cross_entropy(P, [0.3, 0.3, 0.4]), r"q: shape \(3,\) does not match p shape \(2,\)"),
    (lambda: core.cross_entropy([0.5, 0.6, -0.1], [0.2, 0.3, 0.5]),
     r"p: entries must be non-negative \(p\[2\] = -0\.1\)"),
    (lambda: core.kl_divergence([0.6, 0.5, -0.1], [0.2, 0.3, 0.5]), r"p: entries must be non-negative"),
    (lambda: core.kl_divergence([0.2, 0.3, 0.5], [0.6, 0.5, -0.1]),
     r"q: entries must be non-negative \(q\[2\] = -0\.1\)"),
    (lambda: core.entropy([0.5, 0.4]), r"p: must sum to 1 \(sum = 0\.9\)"),
    (lambda: core.cross_entropy(P, [0.5, 0.5 + 2e-9]), r"q: must sum to 1"),
    (lambda: core.entropy([0.5, np.nan]), r"p: entries must be finite \(p\[1\] = nan\)"),
    (lambda: core.entropy([np.inf, 0.5]), r"p: entries must be finite"),
    (lambda: core.entropy([]), r"p: must not be empty"),
    (lambda: core.entropy([[0.5, 0.5]]), r"p: must be 1-D"),
    (lambda: core.entropy(0.5), r"p: must be at least 1-D"),
    (lambda: core.js_divergence(P, [1.0]), r"q: shape"),
    (lambda: core.js_divergence(P, [1.1, -0.1]), r"q: entries must be non-negative"),
    (lambda: core.information_terms(P, [0.3, 0.3]), r"q: must sum to 1"),
    (lambda: core.entropy(P, base=1), r"base: must be a positive number other than 1"),
    (lambda: core.entropy(P, base=0), r"base:"),
    (lambda: core.entropy(P, base=-2), r"base:"),
    (lambda: core.entropy(P, base=np.nan), r"base:"),
    (lambda: core.entropy(P, base="2"), r"base:"),
    (lambda: core.entropy(P, base=True), r"base:"),
    (lambda: core.self_information([0.5], base=1.0), r"base:"),
    (lambda: core.binary_entropy(0.5, base=-1), r"base:"),
    (lambda: core.cross_entropy(P, P, eps=0), r"eps: must be in \(0, 0\.5\)"),
    (lambda: core.cross_entropy(P, P, eps=0.5), r"eps: must be in \(0, 0\.5\)"),
    (lambda: core.kl_divergence(P, P, eps=-1e-3), r"eps: must be in \(0, 0\.5\)"),
    (lambda: core.binary_cross_entropy([1], [0.5], eps=0.7), r"eps: must be in \(0, 0\.5\)"),
    (lambda: core.categorical_cross_entropy([1, 0], [0.5, 0.5], eps="x"), r"eps:"),
    (lambda: core.self_information([0.5, -0.2]), r"p: entries must be non-negative \(p\[1\] = -0\.2\)"),
    (lambda: core.self_information([1.5]), r"p: entries must be at most 1 \(p\[0\] = 1\.5\)"),
    (lambda: core.self_information([]), r"p: must not be empty"),
    (lambda: core.binary_entropy([0.5, 2.0]), r"x: entries must be at most 1"),
    (lambda: core.normalize([0, 0]), r"p: sum must be positive"),
    (lambda: core.normalize([1, -1, 2]), r"p: entries must be non-negative \(p\[1\] = -1\)"),
    (lambda: core.normalize([1, np.nan]), r"p: entries must be finite"),
    (lambda: core.normalize([]), r"p: must not be empty"),
    (lambda: core.mse_loss([0.5, 0.5], [0.5]), r"a: shape"),
    (lambda: core.mse_loss([0.5], [1.2]), r"a: entries must be at most 1"),
    (lambda: core.mse_loss([-0.5], [0.2]), r"y: entries must be non-negative"),
    (lambda: core.mse_loss([], []), r"y: must not be empty"),
    (lambda: core.binary_cross_entropy([1, 0], [0.7, 1.2]), r"a: entries must be at most 1 \(a\[1\] = 1\.2\)"),
    (lambda: core.binary_cross_entropy([2, 0], [0.7, 0.2]), r"y: entries must be at most 1"),
    (lambda: core.binary_cross_entropy([1, 0], [0.7, np.nan]), r"a: entries must be finite"),
    (lambda: core.binary_cross_entropy([1, 0], [0.7]), r"a: shape"),
    (lambda: core.categorical_cross_entropy([0, 1, 0], [0.4, 0.4]), r"a: shape"),
    (lambda: core.categorical_cross_entropy([0, 0.9, 0], [0.4, 0.4, 0.2]), r"y: must sum to 1 \(sum = 0\.9\)"),
    (lambda: core.categorical_cross_entropy([0, 1, 0], [0.4, 0.4, 0.3]), r"a: must sum to 1"),
    (lambda: core.categorical_cross_entropy([[0, 1], [0.5, 0.4]], [[0.5, 0.5], [0.5, 0.5]]),
     r"y: each row must sum to 1 \(row 1 sums to 0\.9\)"),
    (lambda: core.categorical_cross_entropy([[0, 1], [1, 0]], [[0.5, 0.5], [0.6, 0.5]]),
     r"a: each row must sum to 1 \(row 1"),
    (lambda: core.categorical_cross_entropy(1.0, 1.0), r"y: must be 1-D or 2-D"),
    (lambda: core.categorical_cross_entropy([0, 1, -0.1], [0.4, 0.4, 0.2]), r"y: entries must be non-negative"),
    (lambda: core.softmax([1.0, 2.0], temperature=0), r"temperature:"),
    (lambda: core.softmax([1.0, 2.0], temperature=-1), r"temperature:"),
    (lambda: core.softmax([1.0, 2.0], temperature=np.inf), r"temperature:"),
    (lambda: core.softmax([1.0, np.nan]), r"z: entries must be finite"),
    (lambda: core.softmax([]), r"z: must not be empty"),
    (lambda: core.softmax(1.0), r"z: must be at least 1-D"),
    (lambda: core.softmax_jacobian([1.0, 2.0], temperature=0.0), r"temperature:"),
    (lambda: core.softmax_jacobian([[1.0, 2.0]]), r"z: must be 1-D"),
    (lambda: core.sigmoid([0.0, np.inf]), r"z: entries must be finite"),
    (lambda: core.sigmoid([]), r"z: must not be empty"),
    (lambda: core.sigmoid("abc"), r"z: must be numeric"),
    (lambda: core.sigmoid_derivative(np.nan), r"z: entries must be finite"),
    (lambda: core.softmax_cross_entropy_gradient([1.0, 2.0], [0.5, 0.6]), r"y: must sum to 1"),
    (lambda: core.softmax_cross_entropy_gradient([1.0, 2.0], [1.0, 0.0, 0.0]), r"y: shape"),
    (lambda: core.logits_from_probs([0.0, 0.0]), r"q: must have at least one positive entry"),
    (lambda: core.logits_from_probs([0.5, -0.5]), r"q: entries must be non-negative"),
    (lambda: core.logits_from_probs([0.5, 0.5], floor=0.0), r"floor:"),
    (lambda: core.logits_from_probs([0.5, 0.5], floor=-np.inf), r"floor:"),
    (lambda: core.finite_difference_gradient(np.sum, [1.0], h=0), r"h:"),
    (lambda: core.finite_difference_gradient(np.sum, [1.0], h=-1e-3), r"h:"),
    (lambda: core.finite_difference_gradient(None, [1.0]), r"f: must be callable"),
    (lambda: core.finite_difference_gradient(np.sum, []), r"z: must not be empty"),
    (lambda: core.neuron_gradients(1, 1, 1, 0, "svm"), r"loss: unknown loss 'svm'"),
    (lambda: core.neuron_gradients(1, 1, 1, 0, "ce", gamma=2), r"gamma: unknown parameter"),
    (lambda: core.neuron_gradients(1, 1, 1, 0, "focal", gamma=-1), r"gamma: must be in \[0, 100\]"),
    (lambda: core.neuron_gradients(1, 1, [1, 2], [0, 1, 0], "ce"), r"y: shape"),
    (lambda: core.neuron_gradients(1, 1, 1, 1.5, "ce"), r"y: entries must be at most 1"),
    (lambda: core.neuron_gradients(np.nan, 1, 1, 0, "ce"), r"w: entries must be finite"),
    (lambda: core.neuron_gradients([1, 2], 1, 1, 0, "ce"), r"w: must be a scalar"),
    (lambda: core.neuron_gradients(1, 1, [], [], "ce"), r"x: must not be empty"),
    (lambda: core.train_neuron(1, 1, 1, 0, 0.1, 10, "MSE"), r"loss: unknown loss"),
    (lambda: core.train_neuron(1, 1, 1, 0, 0.1, 10, None), r"loss: unknown loss"),
    (lambda: core.train_neuron(1, 1, 1, 0, 0.0, 10, "ce"), r"lr: must be positive"),
    (lambda: core.train_neuron(1, 1, 1, 0, 0.1, -1, "ce"), r"epochs: must be a non-negative integer"),
    (lambda: core.train_neuron(1, 1, 1, 0, 0.1, 2.5, "ce"), r"epochs: must be a non-negative integer"),
    (lambda: core.train_neuron(1, np.inf, 1, 0, 0.1, 3, "ce"), r"b: entries must be finite"),
]


@pytest.mark.parametrize("call,pattern", BAD_CALLS, ids=[str(i) for i in range(len(BAD_CALLS))])
def test_invalid_input_raises_value_error(call, pattern):
    with pytest.raises(ValueError, match=pattern):
        call()


def test_sum_tolerance_boundary():
    assert core.entropy([0.5, 0.5 + 5e-10]) == pytest.approx(np.log(2))
    with pytest.raises(ValueError, match=r"p: must sum to 1"):
        core.entropy([0.5, 0.5 + 5e-9])
