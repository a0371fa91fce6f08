"""Panel maths (sigmoid curves, saturation, softmax + CE check) against scipy and finite differences."""
import numpy as np
import pytest
from scipy.special import expit, log_softmax, softmax

from explorer import core

Z = np.linspace(-12.0, 12.0, 241)


@pytest.mark.parametrize("x, y", [(1.0, 0.0), (1.0, 1.0), (-2.5, 0.0), (0.7, 1.0), (1.5, 0.3)])
def test_sigmoid_panel_curves_match_scipy(x, y):
    r = core.sigmoid_panel(Z, x=x, y=y)
    s = expit(Z)
    ds = s * (1 - s)
    np.testing.assert_allclose(r.a, s, rtol=1e-13, atol=1e-300)
    np.testing.assert_allclose(r.dsigma, ds, rtol=1e-9)
    np.testing.assert_allclose(r.loss_mse, 0.5 * (s - y) ** 2, rtol=1e-12, atol=1e-300)
    ce = -(y * np.log(s) + (1 - y) * np.log1p(-s))
    np.testing.assert_allclose(r.loss_ce, ce, rtol=1e-7, atol=1e-12)
    np.testing.assert_allclose(r.grad_z_mse, (s - y) * ds, rtol=1e-9, atol=1e-300)
    np.testing.assert_allclose(r.grad_z_ce, s - y, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(r.grad_w_mse, (s - y) * ds * x, rtol=1e-9, atol=1e-300)
    np.testing.assert_allclose(r.grad_w_ce, (s - y) * x, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(r.ratio, 1 / ds, rtol=1e-9)


def test_sigmoid_panel_gradients_are_derivatives_of_losses():
    for z0 in (-7.0, -1.0, 0.0, 0.4, 6.0):
        for y in (0.0, 1.0):
            x = 1.7
            # L as a function of w with z = w x + b, b chosen so that z = z0 at w = 1
            b = z0 - x
            for loss, grad in (("loss_mse", "grad_w_mse"), ("loss_ce", "grad_w_ce")):
                f = lambda w: getattr(core.sigmoid_panel(w * x + b, x=x, y=y), loss)  # noqa: E731
                num = float(core.finite_difference_gradient(f, 1.0, h=1e-6))
                ana = getattr(core.sigmoid_panel(z0, x=x, y=y), grad)
                assert ana == pytest.approx(num, rel=1e-5, abs=1e-9)


def test_sigmoid_panel_scalar_returns_floats_and_z6_ratio():
    r = core.sigmoid_panel(6.0)
    assert isinstance(r.a, float) and isinstance(r.ratio, float)
    s = expit(6.0)
    assert r.ratio == pytest.approx(1 / (s * (1 - s)), rel=1e-12)
    assert r.ratio == pytest.approx(r.grad_w_ce / r.grad_w_mse, rel=1e-12)
    assert r.dsigma == pytest.approx(s * (1 - s), rel=1e-12)
    assert core.sigmoid_panel(0.0).dsigma == 0.25


def test_sigmoid_panel_rejects_bad_input():
    with pytest.raises(ValueError, match="^y:"):
        core.sigmoid_panel(0.0, y=2.0)
    with pytest.raises(ValueError, match="^x:"):
        core.sigmoid_panel(0.0, x=float("nan"))
    with pytest.raises(ValueError, match="^z:"):
        core.sigmoid_panel([0.0, np.inf])


def test_extreme_z_stays_finite_without_warnings():
    with np.errstate(all="raise"):
        r = core.sigmoid_panel(np.array([-800.0, 800.0]), y=1.0)
        assert np.all(np.isfinite(r.loss_ce)) and r.loss_ce[0] == pytest.approx(800.0)
        assert np.all(r.ratio == np.inf)
        assert core.inverse_sigmoid_derivative(1000.0) == np.inf


def test_inverse_sigmoid_derivative():
    s = expit(Z)
    np.testing.assert_allclose(core.inverse_sigmoid_derivative(Z), 1 / (s * (1 - s)), rtol=1e-9)


def test_saturation_threshold_is_one_percent_of_peak():
    zs = core.saturation_threshold(0.01)
    s = expit(zs)
    assert s * (1 - s) == pytest.approx(0.01 * 0.25, rel=1e-10)
    # just inside / outside the threshold
    for dz, below in ((-1e-3, False), (1e-3, True)):
        for sign in (1, -1):
            t = expit(sign * (zs + dz))
            assert bool(t * (1 - t) < 0.0025) is below
    assert core.saturation_threshold(0.5) == pytest.approx(np.arccosh(3.0))
    with pytest.raises(ValueError, match="^fraction"):
        core.saturation_threshold(1.5)


def test_saturation_regions_clip_to_range():
    zs = core.saturation_threshold()
    assert core.saturation_regions(-10, 10) == [(-10, -zs), (zs, 10)]
    assert core.saturation_regions(-3, 3) == []
    assert core.saturation_regions(0, 20) == [(zs, 20)]
    assert core.saturation_regions(-20, -8) == [(-20, -8)]
    with pytest.raises(ValueError, match="z_max"):
        core.saturation_regions(1, 1)


@pytest.mark.parametrize("t", [1.0, 0.5, 3.0])
def test_softmax_panel_matches_scipy_and_finite_differences(t):
    rng = np.random.default_rng(3)
    z = rng.normal(scale=2.0, size=6)
    y = rng.dirichlet(np.ones(6))
    r = core.softmax_panel(z, y, temperature=t, focus=2)
    np.testing.assert_allclose(r.a, softmax(z / t), rtol=1e-13)
    assert r.loss == pytest.approx(-np.dot(y, log_softmax(z / t)), rel=1e-13)
    np.testing.assert_allclose(r.grad, (softmax(z / t) - y) / t, rtol=1e-12, atol=1e-15)
    ref_num = core.finite_difference_gradient(lambda v: core.softmax_ce_loss(v, y, t), z)
    np.testing.assert_allclose(r.grad_numeric, ref_num, atol=1e-8)
    assert r.fd_error == pytest.approx(np.max(np.abs(r.grad - r.grad_numeric)))
    assert r.fd_error < 1e-6 and r.fd_checked == 6
    jac = core.softmax_jacobian(z, t)
    np.testing.assert_allclose(r.jac_column, jac[:, 2], atol=1e-15)


def test_softmax_panel_one_hot_gradient_is_a_minus_y():
    z = np.array([2.0, 1.0, 0.1])
    y = np.array([0.0, 1.0, 0.0])
    r = core.softmax_panel(z, y)
    a = softmax(z)
    np.testing.assert_allclose(r.grad, a - y, rtol=1e-13)
    assert r.loss == pytest.approx(-np.log(a[1]))
    # seeds' two cases: q = j gives a_j (1 - a_j), q != j gives -a_q a_j
    assert r.jac_column[0] == pytest.approx(a[0] * (1 - a[0]))
    assert r.jac_column[1] == pytest.approx(-a[1] * a[0])


def test_softmax_panel_many_logits_checks_largest_gradients():
    rng = np.random.default_rng(0)
    z = rng.normal(size=400)
    y = np.zeros(400)
    y[7] = 1.0
    r = core.softmax_panel(z, y, max_checks=50)
    assert r.fd_checked == 50 and np.isfinite(r.grad_numeric[7])
    assert np.sum(np.isfinite(r.grad_numeric)) == 50 and r.fd_error < 1e-6


def test_softmax_loss_finite_when_probability_underflows():
    z = np.array([0.0, -900.0])
    assert core.softmax_ce_loss(z, [0.0, 1.0]) == pytest.approx(900.0)


@pytest.mark.parametrize("kwargs, message", [
    (dict(z=[1.0, 2.0], y=[0.5, 0.5, 0.0]), "^y: length"),
    (dict(z=[1.0, 2.0], y=[0.7, 0.7]), "^y: must sum"),
    (dict(z=[1.0, 2.0], y=[0.5, 0.5], focus=2), "^focus"),
    (dict(z=[1.0, 2.0], y=[0.5, 0.5], temperature=0), "^temperature"),
    (dict(z=[1.0], y=[1.0]), "^z: needs"),
])
def test_softmax_panel_rejects(kwargs, message):
    with pytest.raises(ValueError, match=message):
        core.softmax_panel(**kwargs)
