"""Leave-one-query-out cross-validation of the two weights of ``ours`` (legal vocabulary, charge coverage)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .dataset import RetrievalSet
from .metrics import evaluate
from .ranking import WEIGHT_GRID, combine, features

OBJECTIVE = ("NDCG@30", "MAP", "P@5")

Weights = tuple[float, float]


@dataclass(frozen=True)
class CrossValidation:
    chosen: dict[str, Weights]  # held-out qid → (legal, charge) weights chosen on the other queries
    metrics: dict[str, dict[str, float]]  # metrics of the held-out rankings, per protocol


def cross_validate(
    data: RetrievalSet, grid: Sequence[Weights] = WEIGHT_GRID, law: Path | None = None
) -> CrossValidation:
    """Pick the weights on all labelled queries but one, rank the held-out one with them; repeat for each query.

    The objective is the sum of the graded-protocol NDCG@30, MAP and P@5 (the acceptance metrics); ties go to the
    smaller weights.
    """
    if not data.labels:
        raise ValueError("交叉验证需要相关性标注（labels.json）")
    feats = features(data, law)
    qids = [query.qid for query in data.queries if query.qid in data.labels]
    rankings = {weights: combine(data, feats, *weights) for weights in grid}
    per_query = {
        weights: {
            qid: sum(evaluate({qid: rankings[weights][qid]}, {qid: data.labels[qid]})["graded"][m] for m in OBJECTIVE)
            for qid in qids
        }
        for weights in grid
    }
    totals = {weights: sum(values.values()) for weights, values in per_query.items()}
    chosen: dict[str, Weights] = {}
    held_out: dict[str, list[str]] = {}
    for qid in qids:
        best = max(grid, key=lambda w: (totals[w] - per_query[w][qid], -w[0], -w[1]))
        chosen[qid] = best
        held_out[qid] = rankings[best][qid]
    return CrossValidation(chosen, evaluate(held_out, {qid: data.labels[qid] for qid in qids}))
