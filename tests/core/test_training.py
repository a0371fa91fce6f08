"""core.training: landscapes, logistic / softmax regression, blobs, races -- checked against scipy,
finite differences and the single-neuron trainer."""
import numpy as np
import pytest
from scipy.special import expit, log_expit, log_softmax
from scipy.special import softmax as sp_softmax

from explorer import core
from explorer.core import training as T


# ----------------------------------------------------------------------------- landscapes

@pytest.mark.parametrize("x, y", [(1.0, 0.0), (1.0, 1.0), (-0.7, 0.3), (2.5, 0.9)])
def test_neuron_landscape_matches_scipy(x, y):
    w = np.linspace(-4, 3, 23)
    b = np.linspace(-2, 5, 17)
    mse = core.neuron_loss_landscape(w, b, x, y, "mse")
    ce = core.neuron_loss_landscape(w, b, x, y, "ce")
    assert mse.shape == ce.shape == (b.size, w.size)          # rows = b, columns = w
    z = b[:, None] + w[None, :] * x
    np.testing.assert_allclose(mse, 0.5 * (expit(z) - y) ** 2, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(ce, -(y * log_expit(z) + (1 - y) * log_expit(-z)), rtol=1e-12)
    np.testing.assert_array_equal(core.neuron_loss_landscape(w, b, x, y, "ce_book"), ce)


def test_neuron_landscape_is_overflow_free_and_averages_samples():
    w = np.array([-800.0, 0.0, 800.0])
    ce = core.neuron_loss_landscape(w, [0.0], 1.0, 0.0, "ce")
    assert np.all(np.isfinite(ce)) and ce[0, 2] == pytest.approx(800.0)
    xs, ys = np.array([1.0, -2.0, 0.5]), np.array([0.0, 1.0, 1.0])
    grid = core.neuron_loss_landscape([0.3, 1.1], [-0.4], xs, ys, "mse")
    for j, wj in enumerate([0.3, 1.1]):
        assert grid[0, j] == pytest.approx(np.mean(0.5 * (expit(wj * xs - 0.4) - ys) ** 2), rel=1e-12)


def test_landscape_agrees_with_train_neuron_along_the_trajectory():
    h = core.train_neuron(2.0, 2.0, 1.0, 0.0, 0.15, 40, "mse")
    for k in (0, 13, 40):
        val = core.neuron_loss_landscape([h.w[k]], [h.b[k]], 1.0, 0.0, "mse")[0, 0]
        assert val == pytest.approx(h.loss[k], rel=1e-12)


def test_landscape_bounds_contain_points_and_are_rounded():
    ws = np.array([0.6, -1.3, np.nan, 2.2])
    bs = np.array([0.9, 0.1, 5.0, -0.4])
    w_lo, w_hi, b_lo, b_hi = core.landscape_bounds(ws, bs)
    assert w_lo <= -1.3 and w_hi >= 2.2 and b_lo <= -0.4 and b_hi >= 5.0
    assert w_hi - w_lo >= 4 and b_hi - b_lo >= 4
    for v in (w_lo, w_hi, b_lo, b_hi):
        assert (v / 0.5) == int(v / 0.5)
    # a tiny edit keeps the same box (so the model's landscape cache can be reused)
    assert core.landscape_bounds(ws + 1e-3, bs) == (w_lo, w_hi, b_lo, b_hi)


# ----------------------------------------------------------------------------- datasets

def test_make_blobs_is_seeded_and_shaped():
    X, lab = core.make_blobs(30, 0.2, seed=7, n_classes=3)
    X2, lab2 = core.make_blobs(30, 0.2, seed=7, n_classes=3)
    X3, _ = core.make_blobs(30, 0.2, seed=8, n_classes=3)
    assert X.shape == (90, 2) and lab.shape == (90,)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(lab, lab2)
    assert not np.array_equal(X, X3)
    assert np.bincount(lab).tolist() == [30, 30, 30]
    assert np.all(np.abs(X) <= T.DATA_LIMIT)


def test_blob_overlap_controls_spread():
    tight, lab = core.make_blobs(200, 0.0, seed=1)
    loose, _ = core.make_blobs(200, 1.0, seed=1)
    spread = lambda X: np.mean([X[lab == k].std(axis=0).mean() for k in (0, 1)])  # noqa: E731
    assert spread(tight) == pytest.approx(0.3, rel=0.15)
    assert spread(loose) > 3 * spread(tight)


@pytest.mark.parametrize("kw, message", [
    (dict(count=0, overlap=0.1, seed=1), "count"),
    (dict(count=5, overlap=1.5, seed=1), "overlap"),
    (dict(count=5, overlap=0.1, seed=-1), "seed"),
    (dict(count=5, overlap=0.1, seed=1, n_classes=1), "n_classes"),
])
def test_make_blobs_validation(kw, message):
    with pytest.raises(ValueError, match=message):
        core.make_blobs(**kw)


# ----------------------------------------------------------------------------- gradients

def _data(n_classes=2, seed=3):
    X, lab = core.make_blobs(12, 0.6, seed=seed, n_classes=n_classes)
    return X, lab


@pytest.mark.parametrize("loss", ["mse", "ce"])
def test_logistic_gradient_matches_finite_differences(loss):
    X, lab = _data()
    rng = np.random.default_rng(0)
    for _ in range(4):
        theta = rng.normal(scale=1.5, size=3)
        cost, grad = core.logistic_loss_and_gradient(theta, X, lab, loss)
        fd = core.finite_difference_gradient(
            lambda th: core.logistic_loss_and_gradient(th, X, lab, loss)[0], theta, h=1e-6)
        np.testing.assert_allclose(grad, fd, rtol=1e-6, atol=1e-9)


def test_logistic_costs_match_scipy():
    X, lab = _data()
    theta = np.array([0.7, -1.2, 0.3])
    z = X @ theta[:2] + theta[2]
    ce, _ = core.logistic_loss_and_gradient(theta, X, lab, "ce")
    mse, _ = core.logistic_loss_and_gradient(theta, X, lab, "mse")
    assert ce == pytest.approx(-np.mean(lab * log_expit(z) + (1 - lab) * log_expit(-z)), rel=1e-12)
    assert ce == pytest.approx(core.binary_cross_entropy(lab.astype(float), expit(z)), rel=1e-10)
    assert mse == pytest.approx(np.mean(0.5 * (expit(z) - lab) ** 2), rel=1e-12)


@pytest.mark.parametrize("loss", ["mse", "ce"])
def test_softmax_gradient_matches_finite_differences(loss):
    X, lab = _data(3)
    rng = np.random.default_rng(1)
    for _ in range(3):
        W = rng.normal(scale=1.2, size=(3, 3))
        cost, grad = core.softmax_loss_and_gradient(W, X, lab, loss)
        fd = core.finite_difference_gradient(
            lambda M: core.softmax_loss_and_gradient(M, X, lab, loss)[0], W, h=1e-6)
        assert grad.shape == (3, 3)
        np.testing.assert_allclose(grad, fd, rtol=1e-6, atol=1e-9)


def test_softmax_costs_match_scipy():
    X, lab = _data(3)
    W = np.array([[0.5, -1.0, 0.2], [1.5, 0.1, -0.7], [0.0, 0.3, -0.3]])
    Z = np.column_stack([X, np.ones(len(X))]) @ W
    Y = np.eye(3)[lab]
    ce, _ = core.softmax_loss_and_gradient(W, X, lab, "ce")
    mse, _ = core.softmax_loss_and_gradient(W, X, lab, "mse")
    assert ce == pytest.approx(-np.mean(log_softmax(Z, axis=1)[np.arange(len(X)), lab]), rel=1e-12)
    assert ce == pytest.approx(core.categorical_cross_entropy(Y, sp_softmax(Z, axis=1)), rel=1e-10)
    assert mse == pytest.approx(np.mean(0.5 * np.sum((sp_softmax(Z, axis=1) - Y) ** 2, axis=1)), rel=1e-12)


# ----------------------------------------------------------------------------- training

def test_train_logistic_steps_are_gradient_descent():
    X, lab = _data()
    h = core.train_logistic(X, lab, lr=0.3, epochs=5, loss="mse", theta0=[0.2, -0.1, 0.05])
    assert h.params.shape == (6, 3) and h.loss.shape == h.accuracy.shape == (6,)
    assert h.proba.shape == (6, len(X))
    for k in range(5):
        cost, grad = core.logistic_loss_and_gradient(h.params[k], X, lab, "mse")
        np.testing.assert_allclose(h.params[k + 1], h.params[k] - 0.3 * grad, rtol=1e-12)
        assert h.loss[k] == pytest.approx(cost, rel=1e-12)
        assert h.grad_norm[k] == pytest.approx(np.linalg.norm(grad), rel=1e-12)
    acc = np.mean((expit(X @ h.params[-1][:2] + h.params[-1][2]) >= 0.5) == (lab == 1))
    assert h.accuracy[-1] == pytest.approx(acc)


@pytest.mark.parametrize("loss", ["ce", "mse"])
def test_logistic_regression_converges_on_separated_blobs(loss):
    X, lab = core.make_blobs(40, 0.05, seed=2)
    h = core.train_logistic(X, lab, lr=0.5, epochs=300, loss=loss)
    assert h.accuracy[-1] == 1.0
    assert np.all(np.diff(h.loss) <= 1e-12)          # small η, convex-ish: the cost never rises
    assert h.loss[-1] < 0.25 * h.loss[0]


def test_confidently_wrong_start_stalls_mse_but_not_ce():
    """The learning slowdown on a dataset: from saturated wrong predictions σ′ ≈ 0 kills the
    MSE gradient, while the CE gradient (a − t) stays large."""
    X, lab = core.make_blobs(40, 0.1, seed=1)
    race = core.classifier_race(X, lab, 2, lr=0.5, epochs=300, init="wrong")
    np.testing.assert_array_equal(race.runs["mse"].params[0], race.runs["ce"].params[0])
    assert race.runs["ce"].accuracy[0] < 0.05                      # it really starts wrong
    assert race.runs["ce"].accuracy[-1] > 0.95
    assert race.runs["mse"].accuracy[-1] < 0.5
    assert race.runs["mse"].grad_norm[0] < 0.1 * race.runs["ce"].grad_norm[0]


@pytest.mark.parametrize("loss", ["ce", "mse"])
def test_softmax_regression_converges(loss):
    X, lab = core.make_blobs(40, 0.1, seed=4, n_classes=3)
    h = core.train_softmax(X, lab, 3, lr=0.5, epochs=300, loss=loss)
    assert h.params.shape == (301, 3, 3) and h.proba.shape == (301, 120, 3)
    np.testing.assert_allclose(np.asarray(h.proba).sum(axis=2), 1.0, rtol=1e-12)
    assert h.accuracy[-1] > 0.95
    assert h.loss[-1] < h.loss[0]
    # accuracy by arg-max, recomputed independently with scipy
    Z = np.column_stack([X, np.ones(len(X))]) @ h.params[-1]
    assert h.accuracy[-1] == pytest.approx(np.mean(np.argmax(sp_softmax(Z, axis=1), axis=1) == lab))


def test_classifier_race_grids_match_the_parameters():
    X, lab = core.make_blobs(20, 0.3, seed=5)
    race = core.classifier_race(X, lab, 2, lr=0.8, epochs=30, grid_size=21)
    g = race.grid
    assert race.grid_proba["ce"].shape == (31, 21, 21)
    for k in (0, 7, 30):
        th = race.runs["ce"].params[k]
        i, j = 4, 15                                  # row i is x2 = g[i], column j is x1 = g[j]
        expected = expit(th[0] * g[j] + th[1] * g[i] + th[2])
        assert race.grid_proba["ce"][k, i, j] == pytest.approx(expected, abs=1e-5)
        seg = race.boundary["ce"][k]
        if np.all(np.isfinite(seg)):
            np.testing.assert_allclose(seg @ th[:2] + th[2], 0.0, atol=1e-9)
            assert np.all(np.abs(seg) <= T.DATA_LIMIT + 1e-9)
    X3, lab3 = core.make_blobs(15, 0.3, seed=5, n_classes=3)
    race3 = core.classifier_race(X3, lab3, 3, lr=0.5, epochs=10, grid_size=17)
    assert race3.grid_proba["mse"].shape == (11, 3, 17, 17)
    W = race3.runs["mse"].params[10]
    z = np.array([race3.grid[3], race3.grid[12], 1.0]) @ W           # x1 = g[3], x2 = g[12]
    np.testing.assert_allclose(race3.grid_proba["mse"][10, :, 12, 3], sp_softmax(z), atol=1e-5)


def test_classifier_validation():
    X, lab = _data()
    with pytest.raises(ValueError, match="loss"):
        core.train_logistic(X, lab, 0.1, 5, "svm")
    with pytest.raises(ValueError, match="labels"):
        core.train_logistic(X, lab + 5, 0.1, 5, "ce")
    with pytest.raises(ValueError, match="lr"):
        core.train_logistic(X, lab, -0.1, 5, "ce")
    with pytest.raises(ValueError, match="X"):
        core.train_logistic(X[:, :1], lab, 0.1, 5, "ce")
    with pytest.raises(ValueError, match="init"):
        core.classifier_race(X, lab, 2, 0.1, 5, init="random")


def test_trajectory_table_rows():
    hist = {loss: core.train_neuron(0.6, 0.9, 1.0, 0.0, 0.15, 10, loss) for loss in ("mse", "ce")}
    header, rows = core.trajectory_table(histories=hist)
    assert header[0] == "epoch" and "a_mse" in header and "grad_w_ce" in header
    assert len(rows) == 11 and all(len(r) == len(header) for r in rows)
    assert rows[10][header.index("a_ce")] == hist["ce"].a[10]
    X, lab = _data(3)
    race = core.classifier_race(X, lab, 3, 0.5, 4)
    header, rows = core.trajectory_table(race=race)
    assert len(rows) == 5 and "accuracy_ce" in header and "b_2_mse" in header
    assert rows[4][header.index("w1_1_ce")] == race.runs["ce"].params[4, 0, 1]
