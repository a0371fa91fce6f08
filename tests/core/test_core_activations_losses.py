"""Activations, losses and their gradients, checked against independent
central finite differences (not core.finite_difference_gradient)."""

import numpy as np
import pytest
from scipy.special import expit, logsumexp
from scipy.special import softmax as sp_softmax

from explorer import core

pytestmark = pytest.mark.filterwarnings("error")

H = 1e-6


def central_diff(f, x, h=H):
    """Independent central-difference gradient of scalar f at array x."""
    x = np.array(x, dtype=float)
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        xp = x.copy()
        xm = x.copy()
        xp[i] += h
        xm[i] -= h
        g[i] = (f(xp) - f(xm)) / (2 * h)
    return g


Z_POINTS = np.array([-1000.0, -700.0, -40.0, -20.0, -5.0, -1.3, -0.1, 0.0, 0.2, 1.0, 3.7, 15.0, 40.0, 700.0, 1000.0])


def test_sigmoid_values_and_types():
    np.testing.assert_allclose(core.sigmoid(Z_POINTS), expit(Z_POINTS), rtol=1e-14, atol=0)
    assert type(core.sigmoid(0.3)) is float
    assert type(core.sigmoid_derivative(0.3)) is float
    assert core.sigmoid(0.0) == 0.5
    assert core.sigmoid([[0.0]]).shape == (1, 1)
    assert isinstance(core.sigmoid([1.0, 2.0]), np.ndarray)


def test_sigmoid_derivative_vs_finite_differences():
    for z in Z_POINTS:
        fd = (expit(z + H) - expit(z - H)) / (2 * H)
        assert core.sigmoid_derivative(z) == pytest.approx(fd, rel=1e-6, abs=1e-10)
        # σ(z)(1 - σ(z)) written as σ(z)σ(-z) so that it does not round to 0
        assert core.sigmoid_derivative(z) == pytest.approx(expit(z) * expit(-z), rel=1e-9, abs=1e-300)
    np.testing.assert_allclose(core.sigmoid_derivative(Z_POINTS),
                               [core.sigmoid_derivative(z) for z in Z_POINTS])


def test_softmax_matches_scipy_and_temperature():
    rng = np.random.default_rng(0)
    for _ in range(30):
        z = rng.normal(scale=5, size=int(rng.integers(2, 10)))
        for t in (0.1, 0.5, 1.0, 3.0):
            np.testing.assert_allclose(core.softmax(z, temperature=t), sp_softmax(z / t), rtol=1e-12, atol=1e-300)
    z2 = rng.normal(size=(4, 5))
    np.testing.assert_allclose(core.softmax(z2), sp_softmax(z2, axis=-1), rtol=1e-12)
    np.testing.assert_allclose(core.softmax(z2, axis=0), sp_softmax(z2, axis=0), rtol=1e-12)
    np.testing.assert_allclose(core.softmax([1.0, 2.0, 3.0], temperature=1e6), np.full(3, 1 / 3), rtol=1e-5)
    np.testing.assert_allclose(core.softmax([1.0, 2.0, 3.0], temperature=1e-3), [0, 0, 1], atol=1e-300)


@pytest.mark.parametrize("t", [0.25, 1.0, 2.5])
def test_softmax_jacobian_vs_finite_differences(t):
    rng = np.random.default_rng(1)
    zs = [rng.normal(scale=3, size=n) for n in (2, 3, 5, 8)]
    zs.append(np.array([30.0, 0.0, -30.0]))  # saturated
    zs.append(np.array([1e3, 999.0, -1e3]) / 100)
    for z in zs:
        jac = core.softmax_jacobian(z, temperature=t)
        fd = np.empty((z.size, z.size))
        for j in range(z.size):
            e = np.zeros_like(z)
            e[j] = H
            fd[:, j] = (sp_softmax((z + e) / t) - sp_softmax((z - e) / t)) / (2 * H)
        np.testing.assert_allclose(jac, fd, atol=1e-7)
        np.testing.assert_allclose(jac, jac.T, atol=1e-15)
        np.testing.assert_allclose(jac.sum(axis=0), 0.0, atol=1e-15)


def test_softmax_cross_entropy_gradient_vs_finite_differences():
    rng = np.random.default_rng(2)
    cases = []
    for n in (2, 3, 6):
        z = rng.normal(scale=2, size=n)
        cases.append((z, np.eye(n)[rng.integers(n)]))
        cases.append((z, rng.dirichlet(np.ones(n))))
    cases.append((np.array([50.0, -50.0, 0.0]), np.array([0.0, 1.0, 0.0])))  # saturated, wrong class
    cases.append((np.array([50.0, -50.0, 0.0]), np.array([1.0, 0.0, 0.0])))  # saturated, right class
    for z, y in cases:
        def loss(v, y=y):
            return -np.sum(y * (v - logsumexp(v)))
        grad = core.softmax_cross_entropy_gradient(z, y)
        np.testing.assert_allclose(grad, central_diff(loss, z), atol=1e-6)
        assert grad.sum() == pytest.approx(0.0, abs=1e-12)
    Z = rng.normal(size=(3, 4))
    Y = np.eye(4)[[0, 2, 3]]
    G = core.softmax_cross_entropy_gradient(Z, Y)
    np.testing.assert_allclose(G, sp_softmax(Z, axis=1) - Y, rtol=1e-12, atol=1e-15)


def test_logits_from_probs():
    q = np.array([0.7, 0.2, 0.1])
    z = core.logits_from_probs(q)
    assert z.max() == 0.0
    np.testing.assert_allclose(core.softmax(z), q, rtol=1e-12)
    z0 = core.logits_from_probs([0.5, 0.0, 0.5])
    assert z0[1] == -30.0 and np.all(np.isfinite(z0))
    np.testing.assert_allclose(core.softmax(z0), [0.5, 0, 0.5], atol=1e-13)
    assert core.logits_from_probs([0.5, 0.0, 0.5], floor=-5.0)[1] == -5.0
    assert core.logits_from_probs([1.0, 1e-20])[1] == -30.0  # below floor -> floor
    np.testing.assert_allclose(core.softmax(core.logits_from_probs([2.0, 6.0])), [0.25, 0.75])


def test_finite_difference_gradient_helper():
    def f(v):
        return float(np.sum(v ** 3) + v[0] * v[1])

    z = np.array([0.5, -1.0, 2.0])
    before = z.copy()
    g = core.finite_difference_gradient(f, z)
    np.testing.assert_allclose(g, 3 * z ** 2 + np.array([z[1], z[0], 0.0]), atol=1e-6)
    np.testing.assert_array_equal(z, before)  # input not modified
    gs = core.finite_difference_gradient(lambda s: s ** 2, 3.0)
    assert isinstance(gs, np.ndarray) and gs.shape == () and float(gs) == pytest.approx(6.0)
    Z = np.array([[0.1, 0.2], [0.3, 0.4]])
    np.testing.assert_allclose(core.finite_difference_gradient(lambda m: float(np.sum(m ** 2)), Z), 2 * Z, atol=1e-8)
    zz = np.array([0.3, -1.2, 2.0])
    yy = np.array([0.0, 1.0, 0.0])
    num = core.finite_difference_gradient(lambda v: -np.sum(yy * np.log(core.softmax(v))), zz)
    np.testing.assert_allclose(num, core.softmax_cross_entropy_gradient(zz, yy), atol=1e-7)


# --- losses --------------------------------------------------------------------

def test_seed_loss_examples():
    assert core.binary_cross_entropy([1, 0], [0.7, 0.2]) == pytest.approx(0.289909, abs=5e-7)
    assert round(core.binary_cross_entropy([1, 0], [0.7, 0.2]), 6) == 0.289909
    assert round(core.categorical_cross_entropy([0, 1, 0], [0.4, 0.4, 0.2]), 6) == 0.916291
    assert round(core.categorical_cross_entropy([0, 0, 1], [0.1, 0.12, 0.78]), 6) == 0.248461
    both = core.categorical_cross_entropy([[0, 1, 0], [0, 0, 1]], [[0.4, 0.4, 0.2], [0.1, 0.12, 0.78]])
    assert both == pytest.approx((0.916291 + 0.248461) / 2, abs=1e-6)


def test_loss_return_types_and_shapes():
    assert type(core.binary_cross_entropy(1, 0.5)) is float
    assert core.binary_cross_entropy(1, 0.5) == pytest.approx(np.log(2))
    assert type(core.mse_loss(1, 0.5)) is float
    assert core.mse_loss(1, 0.5) == pytest.approx(0.125)
    assert core.mse_loss([1, 0], [0.5, 0.5]) == pytest.approx(0.125)
    # 2-D: sum over classes, mean over rows
    y = np.array([[1, 0, 0], [0, 1, 0]], dtype=float)
    a = np.array([[0.5, 0.5, 0.0], [0.2, 0.2, 0.6]])
    expected = (0.5 * (0.25 + 0.25) + 0.5 * (0.04 + 0.64 + 0.36)) / 2
    assert core.mse_loss(y, a) == pytest.approx(expected)
    # BCE averages all entries; soft labels allowed
    assert core.binary_cross_entropy([0.3], [0.3]) == pytest.approx(-0.3 * np.log(0.3) - 0.7 * np.log(0.7))
    assert core.binary_cross_entropy(np.ones((2, 2)), np.full((2, 2), 0.5)) == pytest.approx(np.log(2))


def test_cce_equals_cross_entropy():
    rng = np.random.default_rng(3)
    for _ in range(10):
        p = rng.dirichlet(np.ones(5))
        q = rng.dirichlet(np.ones(5))
        assert core.categorical_cross_entropy(p, q) == pytest.approx(core.cross_entropy(p, q), rel=1e-12)
