"""Folds by document and the blindness of the harness."""

from __future__ import annotations

from leniency.judgments.evaluation.crossval import blind_case, cross_validate, fold_of, prosecutor_scores, split
from leniency.judgments.evaluation.gold import GoldCase
from leniency.judgments.evaluation.metrics import Predicted


def case(doc: str, n: int, months: float = 12, rec=None) -> GoldCase:
    return GoldCase(
        id=f"{doc}#{n}", doc_id=doc, source="t", charges=("盗窃罪",), type="fixed_term", months=months,
        probation=False, fine=None, prosecutor_recommendation=rec, fact="文本", defendant="张某",
    )  # fmt: skip


def test_folds_are_stable_and_keep_documents_together():
    cases = [case(f"doc{d}", n) for d in range(200) for n in (1, 2, 3)]
    assert fold_of("lecard:123") == fold_of("lecard:123")
    for fold in range(5):
        train, test = split(cases, fold)
        assert {c.doc_id for c in train}.isdisjoint({c.doc_id for c in test})
        assert len(train) + len(test) == len(cases)
    sizes = [len(split(cases, f)[1]) for f in range(5)]
    assert min(sizes) > 60  # sha256 spreads 200 documents over all five folds


class Spy:
    """Records what a predictor is shown; predicts the training mean."""

    seen: list[GoldCase] = []

    def fit(self, cases):
        self.mean = sum(c.months for c in cases) / len(cases)
        return self

    def predict(self, cases):
        Spy.seen.extend(cases)
        return [Predicted("fixed_term", self.mean, self.mean, self.mean) for _ in cases]


def test_cross_validate_never_shows_test_gold():
    cases = [case(f"doc{d}", 1, months=d) for d in range(50)]
    Spy.seen = []
    results = cross_validate(cases, {"spy": Spy}, n_folds=5)
    assert len(results["spy"].scores) == 50
    assert all(c.months is None and c.type == "unknown" and c.prosecutor_recommendation is None for c in Spy.seen)
    assert blind_case(cases[0]).fact == "文本"


def test_prosecutor_scores_only_usable_recommendations():
    point = {"bound": "point", "low_months": 12, "high_months": 12, "type": "fixed"}
    open_ended = {"bound": "at_least", "low_months": 36, "high_months": None, "type": "fixed"}
    scores = prosecutor_scores([case("a", 1, 12, point), case("b", 1, 40, open_ended), case("c", 1)])
    assert len(scores) == 1 and scores[0].cail == 1.0
