"""K-fold cross-validation by document: every defendant of one judgment lands in the same fold."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from leniency.judgments.evaluation.gold import GoldCase
from leniency.judgments.evaluation.metrics import CaseScore, Predicted, prosecutor_as_prediction, score_case

N_FOLDS = 5


def fold_of(doc_id: str, n_folds: int = N_FOLDS) -> int:
    """A stable fold number from the document id (independent of file order and of Python's hash seed)."""
    return int(hashlib.sha256(doc_id.encode("utf-8")).hexdigest(), 16) % n_folds


def split(cases: Sequence[GoldCase], fold: int, n_folds: int = N_FOLDS) -> tuple[list[GoldCase], list[GoldCase]]:
    train = [c for c in cases if fold_of(c.doc_id, n_folds) != fold]
    test = [c for c in cases if fold_of(c.doc_id, n_folds) == fold]
    return train, test


@dataclass
class SystemResult:
    """The per-case scores of one system over all test folds, with the predictions kept for inspection."""

    name: str
    scores: list[CaseScore] = field(default_factory=list)
    predictions: dict[str, Predicted] = field(default_factory=dict)


def cross_validate(
    cases: Sequence[GoldCase],
    factories: dict[str, Callable[[], object]],
    n_folds: int = N_FOLDS,
    progress: Callable[[str], None] | None = None,
) -> dict[str, SystemResult]:
    """Fit each system on the training folds and score it on the held-out fold; never looks at test gold."""
    results = {name: SystemResult(name) for name in factories}
    for fold in range(n_folds):
        train, test = split(cases, fold, n_folds)
        # The systems get the test cases without their sentences: they read only id, text, defendant, charges.
        blind = [blind_case(c) for c in test]
        for name, factory in factories.items():
            if progress:
                progress(f"第 {fold + 1}/{n_folds} 折：{name}（训练 {len(train)}，测试 {len(test)}）")
            system = factory()
            system.fit(train)
            predictions = system.predict(blind)
            for gold, pred in zip(test, predictions):
                results[name].scores.append(score_case(gold, pred))
                results[name].predictions[gold.id] = pred
    return results


def blind_case(case: GoldCase) -> GoldCase:
    """The case as a predictor may see it: text, defendant and charges only."""
    return GoldCase(
        id=case.id,
        doc_id=case.doc_id,
        source="",
        charges=case.charges,
        type="unknown",
        months=None,
        probation=None,
        fine=None,
        prosecutor_recommendation=None,
        fact=case.fact,
        defendant=case.defendant,
        n_defendants=case.n_defendants,
        multi_charge=False,
    )


def prosecutor_scores(cases: Sequence[GoldCase]) -> list[CaseScore]:
    """The prosecutors' recommendations scored like a system, on the defendants that have a usable one."""
    scores = []
    for case in cases:
        pred = prosecutor_as_prediction(case)
        if pred is not None:
            scores.append(score_case(case, pred))
    return scores
