"""Ranking metrics of the LeCaRD paper (Ma et al., SIGIR 2021), computed exactly as its evaluation script.

NDCG@k uses the grades themselves as gains (not 2^g - 1) and log2(rank + 1) discounts; the ideal ranking is the
graded candidates sorted by grade. P@k and MAP count grade 3 as relevant. Two protocols:

- ``graded``: the paper's protocol — the ranking is first restricted to the candidates that carry a grade
  (the "top-30 relevant candidates" of each pool), so ungraded candidates neither help nor hurt;
- ``pool``: the stricter variant — the whole pool is ranked and an ungraded candidate counts as grade 0.

A query whose labels hold no positive grade scores 0 for NDCG, and a query without any grade-3 candidate scores 0
for P@k and MAP, as in the paper's script; every labelled query counts in the mean.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

RELEVANT_GRADE = 3
NDCG_CUTOFFS = (10, 20, 30)
PRECISION_CUTOFFS = (5, 10)
PROTOCOLS = ("graded", "pool")
METRIC_NAMES = tuple(f"NDCG@{k}" for k in NDCG_CUTOFFS) + tuple(f"P@{k}" for k in PRECISION_CUTOFFS) + ("MAP",)


def dcg(gains: Sequence[float], k: int) -> float:
    return sum(gain / math.log2(position + 2) for position, gain in enumerate(gains[:k]))


def ndcg_at_k(ranking: Sequence[str], grades: Mapping[str, int], k: int) -> float:
    """NDCG@k of ``ranking`` against graded ``grades`` (missing docid = grade 0)."""
    ideal = dcg(sorted(grades.values(), reverse=True), k)
    if ideal <= 0:
        return 0.0
    return dcg([grades.get(docid, 0) for docid in ranking], k) / ideal


def precision_at_k(ranking: Sequence[str], grades: Mapping[str, int], k: int) -> float:
    """Share of grade-3 documents among the first k (always divided by k, as in the paper)."""
    return sum(1 for docid in ranking[:k] if grades.get(docid, 0) >= RELEVANT_GRADE) / k


def average_precision(ranking: Sequence[str], grades: Mapping[str, int]) -> float:
    """Mean of the precision at each grade-3 document of ``ranking``; 0 when it holds none.

    Grade-3 documents absent from the ranking do not count, as in the paper's script (under both protocols every
    labelled candidate is in the ranking, so this equals the usual AP).
    """
    hits = 0
    total = 0.0
    for position, docid in enumerate(ranking, start=1):
        if grades.get(docid, 0) >= RELEVANT_GRADE:
            hits += 1
            total += hits / position
    return total / hits if hits else 0.0


def query_metrics(ranking: Sequence[str], grades: Mapping[str, int], protocol: str) -> dict[str, float]:
    """All metrics of one query under ``protocol`` ("graded" or "pool")."""
    if protocol == "graded":
        ranking = [docid for docid in ranking if docid in grades]
    elif protocol != "pool":
        raise ValueError(f"未知的评测口径：{protocol}（应为 graded 或 pool）")
    values = {f"NDCG@{k}": ndcg_at_k(ranking, grades, k) for k in NDCG_CUTOFFS}
    values.update({f"P@{k}": precision_at_k(ranking, grades, k) for k in PRECISION_CUTOFFS})
    values["MAP"] = average_precision(ranking, grades)
    return values


def evaluate(
    rankings: Mapping[str, Sequence[str]], labels: Mapping[str, Mapping[str, int]]
) -> dict[str, dict[str, float]]:
    """Mean metrics over the labelled queries, per protocol: ``{protocol: {metric: value}}``.

    A labelled query missing from ``rankings`` counts as an empty ranking (all zeros) rather than being skipped,
    so a method cannot improve its score by dropping hard queries.
    """
    result: dict[str, dict[str, float]] = {}
    for protocol in PROTOCOLS:
        sums = dict.fromkeys(METRIC_NAMES, 0.0)
        for qid, grades in labels.items():
            for name, value in query_metrics(rankings.get(qid, []), grades, protocol).items():
                sums[name] += value
        count = len(labels)
        result[protocol] = {name: (total / count if count else 0.0) for name, total in sums.items()}
    return result
