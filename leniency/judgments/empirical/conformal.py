"""Split-conformal corrections: finite-sample quantiles of held-out residuals."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np


def conformal_quantile(scores: Sequence[float], level: float) -> float:
    """The ⌈(n+1)·level⌉-th smallest score (the split-conformal quantile); +inf if n is too small."""
    values = np.sort(np.asarray(scores, dtype=np.float64))
    n = len(values)
    if n == 0:
        return math.inf
    rank = math.ceil((n + 1) * level)
    if rank > n:
        return float(values[-1])
    return float(values[max(rank, 1) - 1])


def residual_band(residuals: Sequence[float], alpha: float) -> tuple[float, float]:
    """Lower/upper offsets so that [pred + low, pred + high] covers about 1 − alpha of new residuals.

    Each tail gets alpha/2 (an equal-tailed interval, the minimiser of the expected Winkler score when the
    residual distribution is right).
    """
    values = np.asarray(residuals, dtype=np.float64)
    if len(values) == 0:
        return 0.0, 0.0
    high = conformal_quantile(values, 1 - alpha / 2)
    low = -conformal_quantile(-values, 1 - alpha / 2)
    return low, high


def cqr_margin(low_pred: Sequence[float], high_pred: Sequence[float], y: Sequence[float], alpha: float) -> float:
    """Conformalized quantile regression (Romano et al. 2019): widen (or narrow) both bounds by this margin."""
    low_pred, high_pred, y = (np.asarray(a, dtype=np.float64) for a in (low_pred, high_pred, y))
    scores = np.maximum(low_pred - y, y - high_pred)
    return conformal_quantile(scores, 1 - alpha)
