"""The TF-IDF character n-gram text model (the CAIL2018 baseline's family), reused by the empirical model."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression, Ridge

from leniency.judgments.empirical.features import focus_text


def document(fact: str, defendant: str, charges: Sequence[str]) -> str:
    """What the text model reads: the charges, then the defendant's part of the facts."""
    return " ".join(charges) + "。" + focus_text(fact, defendant)


def make_vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer="char",
        ngram_range=(1, 3),
        min_df=3,
        max_features=200_000,
        sublinear_tf=True,
        dtype=np.float32,
    )


class TextModel:
    """Linear models on TF-IDF character 1–3-grams: type (logistic), log-months (ridge), 缓刑 (logistic)."""

    def __init__(self, alpha: float = 1.0, c: float = 4.0) -> None:
        self.alpha = alpha
        self.c = c
        self.vectorizer = make_vectorizer()
        self.type_model: LogisticRegression | None = None
        self.single_type: str | None = None
        self.months_model = Ridge(alpha=alpha, solver="sparse_cg")
        self.probation_model: LogisticRegression | None = None
        self.probation_constant: bool | None = None

    def fit(
        self,
        docs: Sequence[str],
        types: Sequence[str],
        months: Sequence[float | None],
        probation: Sequence[bool | None],
    ) -> TextModel:
        matrix = self.vectorizer.fit_transform(docs)
        self._fit_matrix(matrix, types, months, probation)
        return self

    def _fit_matrix(self, matrix, types, months, probation) -> None:
        types = np.asarray(types, dtype=object)
        known = np.flatnonzero(types != "unknown")
        labels = types[known]
        if len(set(labels)) > 1:
            self.type_model = LogisticRegression(C=self.c, max_iter=300)
            self.type_model.fit(matrix[known], labels)
        else:
            self.single_type = str(labels[0]) if len(labels) else "fixed_term"
        term_rows = np.asarray([i for i, m in enumerate(months) if m is not None and m > 0 and types[i] != "life"])
        target = np.log1p(np.asarray([months[i] for i in term_rows], dtype=np.float64))
        self.months_model.fit(matrix[term_rows], target)
        prob_rows = [i for i, p in enumerate(probation) if p is not None and types[i] in ("fixed_term", "detention")]
        prob_labels = np.asarray([bool(probation[i]) for i in prob_rows])
        if len(set(prob_labels.tolist())) > 1:
            self.probation_model = LogisticRegression(C=self.c, max_iter=300)
            self.probation_model.fit(matrix[prob_rows], prob_labels)
        else:
            self.probation_constant = bool(prob_labels[0]) if len(prob_labels) else False

    def transform(self, docs: Sequence[str]):
        return self.vectorizer.transform(docs)

    def log_months(self, matrix) -> np.ndarray:
        return self.months_model.predict(matrix)

    def type_proba(self, matrix) -> tuple[list[str], np.ndarray]:
        if self.type_model is None:
            return [self.single_type or "fixed_term"], np.ones((matrix.shape[0], 1))
        return list(self.type_model.classes_), self.type_model.predict_proba(matrix)

    def probation_proba(self, matrix) -> np.ndarray:
        if self.probation_model is None:
            return np.full(matrix.shape[0], 1.0 if self.probation_constant else 0.0)
        column = list(self.probation_model.classes_).index(True)
        return self.probation_model.predict_proba(matrix)[:, column]
