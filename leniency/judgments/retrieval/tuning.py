"""Cross-validation over queries of the two weights of ``ours`` (legal vocabulary, charge coverage).

Leave-one-query-out by default, or k folds by query id (``folds=5``: the queries sorted by id, the i-th in fold
i mod 5): the weights are chosen on the other folds and each fold is ranked with the weights it did not see.
"""

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


def query_folds(qids: Sequence[str], folds: int | None) -> dict[str, int]:
    """Fold of each query: its own (leave-one-out) when ``folds`` is None, else position mod ``folds`` in id order."""
    ordered = sorted(qids, key=lambda qid: (len(qid), qid))
    if folds is None:
        return {qid: i for i, qid in enumerate(ordered)}
    if not 2 <= folds <= len(ordered):
        raise ValueError(f"折数必须在 2 与查询数 {len(ordered)} 之间，收到 {folds}")
    return {qid: i % folds for i, qid in enumerate(ordered)}


def cross_validate(
    data: RetrievalSet, grid: Sequence[Weights] = WEIGHT_GRID, law: Path | None = None, folds: int | None = None
) -> CrossValidation:
    """Pick the weights on the labelled queries outside one fold, rank that fold with them; repeat for each fold.

    Folds are single queries (leave-one-out) unless ``folds`` is given. The objective is the sum of the
    graded-protocol NDCG@30, MAP and P@5 (the acceptance metrics); ties go to the smaller weights.
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
    fold_of = query_folds(qids, folds)
    chosen: dict[str, Weights] = {}
    held_out: dict[str, list[str]] = {}
    for fold in sorted(set(fold_of.values())):
        training = [qid for qid in qids if fold_of[qid] != fold]
        best = max(grid, key=lambda w: (sum(per_query[w][qid] for qid in training), -w[0], -w[1]))
        for qid in qids:
            if fold_of[qid] == fold:
                chosen[qid] = best
                held_out[qid] = rankings[best][qid]
    return CrossValidation(chosen, evaluate(held_out, {qid: data.labels[qid] for qid in qids}))
