"""Split-conformal quantiles checked by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from leniency.judgments.empirical.conformal import conformal_quantile, cqr_margin, residual_band


def test_conformal_quantile_is_the_ceil_rank():
    scores = [5, 1, 4, 2, 3]  # sorted 1..5, n = 5
    # level 0.5: ⌈6·0.5⌉ = 3rd smallest
    assert conformal_quantile(scores, 0.5) == 3
    # level 0.8: ⌈6·0.8⌉ = ⌈4.8⌉ = 5th
    assert conformal_quantile(scores, 0.8) == 5
    # beyond n: the largest (finite) score
    assert conformal_quantile(scores, 0.99) == 5
    assert conformal_quantile([], 0.9) == math.inf


def test_residual_band_is_equal_tailed():
    residuals = np.arange(-50, 51) / 10.0  # −5 … 5, n = 101
    low, high = residual_band(residuals, alpha=0.2)
    # each tail 10 %: ⌈102·0.9⌉ = 92nd smallest of 101 → 4.1; symmetric below
    assert high == pytest.approx(4.1)
    assert low == pytest.approx(-4.1)
    assert residual_band([], 0.2) == (0.0, 0.0)


def test_cqr_margin_by_hand():
    low = [0, 0, 0, 0]
    high = [1, 1, 1, 1]
    y = [0.5, 2.0, -1.0, 1.0]  # scores: max(low−y, y−high) = −0.5, 1.0, 1.0, 0.0
    # level 0.8 with n = 4: ⌈5·0.8⌉ = 4th smallest = 1.0
    assert cqr_margin(low, high, y, alpha=0.2) == 1.0


def test_conformal_band_covers_new_draws():
    rng = np.random.default_rng(0)
    calibration = rng.normal(size=2000)
    low, high = residual_band(calibration, alpha=0.2)
    fresh = rng.normal(size=20000)
    coverage = np.mean((fresh >= low) & (fresh <= high))
    assert 0.77 < coverage < 0.83
