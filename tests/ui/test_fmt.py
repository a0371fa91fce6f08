"""Number formatting: fmt_many gives exactly what fmt gives, value by value."""
import math

import numpy as np
import pytest

from explorer.ui.fmt import fmt, fmt_many


@pytest.mark.parametrize("precision", [0, 1, 3, 4, 6, 12])
def test_fmt_many_matches_fmt(precision):
    rng = np.random.default_rng(precision)
    values = np.concatenate([rng.dirichlet(np.ones(20)), -rng.random(5), [0.0, -0.0, -1e-13,
                             math.inf, -math.inf, math.nan, 1e-300, 123456.789]])
    assert fmt_many(values, precision) == [fmt(v, precision) for v in values]
    assert fmt_many(list(values[:3]), precision) == [fmt(v, precision) for v in values[:3]]


def test_fmt_signs_and_specials():
    assert fmt(-1e-9, 4) == "0.0000" and fmt(-1.5, 1) == "−1.5"
    assert fmt(math.inf) == "∞" and fmt(-math.inf) == "−∞" and fmt(None) == "—"
