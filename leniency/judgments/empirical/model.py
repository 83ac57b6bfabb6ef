"""The empirical model: LightGBM quantile regression with split-conformal (CQR) intervals.

Inputs are the text alone (the defendant's part of the facts, the charges, counted text signals, out-of-fold
TF-IDF ridge estimates) plus, when the fact extractor is installed, the extracted facts. It outputs a sentence
type, a median in months and an 80 % interval (α = 0.2, the level of the Winkler score).
"""

from __future__ import annotations

import dataclasses
import hashlib
import pickle
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np
from sklearn.linear_model import Ridge

from leniency.judgments.empirical.conformal import cqr_margin
from leniency.judgments.empirical.facts_features import FACT_FEATURE_NAMES, fact_features
from leniency.judgments.empirical.features import NUMERIC_NAMES, numeric_features
from leniency.judgments.empirical.limits import TermLimits, distinct_charges, statutory_limits
from leniency.judgments.empirical.rule_features import RULE_FEATURE_NAMES, rule_features
from leniency.judgments.empirical.text import document, make_vectorizer
from leniency.judgments.evaluation.gold import GoldCase
from leniency.judgments.evaluation.metrics import ALPHA, Predicted
from leniency.sentencing.result import TERM_TYPES

MODEL_FILE = "empirical.pkl"
FORMAT_VERSION = 2  # 2: features from the rules (the engine at both ends of the discretion dial)
TYPE_ORDER = ("fixed_term", "detention", "control", "exempt", "fine_only", "life", "death")


def extracted_facts(case: GoldCase) -> dict[str, Any]:
    """The extractor's facts for the case; empty when the extractor is missing or fails on odd text."""
    try:
        from leniency.extraction import extract
    except ImportError:  # pragma: no cover - the extractor ships with the platform
        return {}
    try:
        return extract(case.fact, case.defendant, list(case.charges)).facts
    except Exception:
        return {}


@dataclass(frozen=True)
class Opinion:
    """The empirical model's view of one case."""

    type: str
    months: float
    low: float
    high: float
    probation: bool
    type_probability: float
    limits: TermLimits | None = None  # the statutory term limits the months were kept to
    type_probabilities: dict[str, float] | None = None  # every sentence type the model knows, by probability

    def as_predicted(self) -> Predicted:
        return Predicted(
            type=self.type, months=self.months, low=self.low, high=self.high, probation=self.probation, fine=None
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "months": int(round(self.months)),
            "range": [int(np.floor(self.low)), int(np.ceil(self.high))],
            "probation": self.probation,
            "type_probability": round(float(self.type_probability), 3),
        }


def _lgb_params(objective: str, **extra: Any) -> dict[str, Any]:
    params = {
        "objective": objective,
        "learning_rate": 0.05,
        "num_leaves": 31,
        "min_data_in_leaf": 20,
        "feature_fraction": 0.8,
        "bagging_fraction": 0.8,
        "bagging_freq": 1,
        "lambda_l2": 1.0,
        "num_threads": 1,  # one thread: OpenMP spinning under a shared, oversubscribed CPU costs more than it gains
        "verbose": -1,
        "seed": 7,
        "deterministic": True,
    }
    params.update(extra)
    return params


def _calibration_split(doc_id: str) -> bool:
    """One document in five goes to the conformal calibration part (stable, by document)."""
    return int(hashlib.sha256(("cal:" + doc_id).encode()).hexdigest(), 16) % 5 == 0


class EmpiricalModel:
    """Train with `fit(cases)`, then `opinions(cases)`; cases need only id, fact, defendant and charges."""

    name = "经验模型（LightGBM 分位数回归+共形区间）"

    def __init__(self, alpha: float = ALPHA, rounds: int = 300, use_facts: bool = True) -> None:
        self.alpha = alpha
        self.rounds = rounds
        self.use_facts = use_facts
        self.vectorizer = None
        self.ridge: Ridge | None = None
        self.charge_index: dict[str, int] = {}
        self.quantile_models: dict[float, lgb.Booster] = {}
        self.type_model: lgb.Booster | None = None
        self.type_classes: list[str] = []
        self.probation_model: lgb.Booster | None = None
        self.margin = 0.0
        self.bounds: dict[str, tuple[float, float]] = {}
        self.feature_names: list[str] = []
        self.n_train = 0

    # --- features -------------------------------------------------------------------------------------------
    def _charge_id(self, case: GoldCase) -> float:
        return float(self.charge_index.get(case.charges[0], 0)) if case.charges else 0.0

    def _dense(
        self, cases: Sequence[GoldCase], ridge_values: np.ndarray, facts: Sequence[dict] | None = None
    ) -> np.ndarray:
        numeric = np.vstack([numeric_features(c.fact, c.defendant, c.charges) for c in cases])
        charge = np.asarray([[self._charge_id(c)] for c in cases], dtype=np.float32)
        parts = [numeric, charge, ridge_values.reshape(-1, 1).astype(np.float32)]
        if self.use_facts:
            if facts is None:
                facts = [extracted_facts(c) for c in cases]
            parts.append(np.vstack([fact_features(f) for f in facts]))
            parts.append(np.vstack([rule_features(f) for f in facts]))
        return np.hstack(parts)

    def _names(self) -> list[str]:
        names = [*NUMERIC_NAMES, "charge", "ridge_log_months"]
        if self.use_facts:
            names += list(FACT_FEATURE_NAMES) + list(RULE_FEATURE_NAMES)
        return names

    # --- training ---------------------------------------------------------------------------------------------
    def fit(self, cases: Sequence[GoldCase], facts: Sequence[dict] | None = None) -> EmpiricalModel:
        """Train on gold cases; ``facts`` are their extracted facts when the caller already has them."""
        cases = list(cases)
        if len(cases) < 50:
            raise ValueError(f"训练数据太少（{len(cases)} 条），经验模型至少需要 50 条")
        self.n_train = len(cases)
        counts: dict[str, int] = {}
        for case in cases:
            if case.charges:
                counts[case.charges[0]] = counts.get(case.charges[0], 0) + 1
        frequent = sorted((c for c, n in counts.items() if n >= 10), key=lambda c: (-counts[c], c))
        self.charge_index = {charge: i + 1 for i, charge in enumerate(frequent)}
        self.bounds = {}
        for sentence_type in TERM_TYPES:
            months = [c.months for c in cases if c.type == sentence_type and c.months]
            if months:
                self.bounds[sentence_type] = (min(months), max(months))

        docs = [document(c.fact, c.defendant, c.charges) for c in cases]
        self.vectorizer = make_vectorizer()
        matrix = self.vectorizer.fit_transform(docs)
        is_term = np.asarray([c.is_term and c.term > 0 for c in cases])
        y = np.asarray([np.log1p(c.term) if c.is_term and c.term > 0 else 0.0 for c in cases])
        ridge_oof = self._ridge_out_of_fold(matrix, y, is_term, cases)
        self.ridge = Ridge(alpha=1.0, solver="sparse_cg").fit(matrix[is_term], y[is_term])
        dense = self._dense(cases, ridge_oof, facts)
        self.feature_names = self._names()

        calibration = np.asarray([_calibration_split(c.doc_id) for c in cases])
        train_rows = ~calibration
        categorical = [self.feature_names.index("charge")]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for quantile in (self.alpha / 2, 0.5, 1 - self.alpha / 2):
                rows = train_rows & is_term
                data = lgb.Dataset(
                    dense[rows], y[rows], feature_name=self.feature_names, categorical_feature=categorical
                )
                self.quantile_models[quantile] = lgb.train(
                    _lgb_params("quantile", alpha=quantile), data, num_boost_round=self.rounds
                )
            cal_rows = calibration & is_term
            if cal_rows.sum() >= 20:
                low = self.quantile_models[self.alpha / 2].predict(dense[cal_rows])
                high = self.quantile_models[1 - self.alpha / 2].predict(dense[cal_rows])
                self.margin = cqr_margin(low, high, y[cal_rows], self.alpha)
            self._fit_type(cases, dense, categorical)
            self._fit_probation(cases, dense, categorical)
        return self

    def _ridge_out_of_fold(self, matrix, y: np.ndarray, is_term: np.ndarray, cases: Sequence[GoldCase]) -> np.ndarray:
        """Ridge estimates for each training case from a model that did not see its document (no leakage)."""
        folds = np.asarray([int(hashlib.sha256(("oof:" + c.doc_id).encode()).hexdigest(), 16) % 3 for c in cases])
        out = np.zeros(len(cases))
        for fold in range(3):
            fit_rows = (folds != fold) & is_term
            if fit_rows.sum() < 5:
                continue
            model = Ridge(alpha=1.0, solver="sparse_cg").fit(matrix[fit_rows], y[fit_rows])
            out[folds == fold] = model.predict(matrix[folds == fold])
        return out

    def _fit_type(self, cases: Sequence[GoldCase], dense: np.ndarray, categorical: list[int]) -> None:
        labels = [c.type for c in cases]
        self.type_classes = [t for t in TYPE_ORDER if t in set(labels)]
        rows = np.asarray([t in self.type_classes for t in labels])
        target = np.asarray([self.type_classes.index(t) for t in labels if t in self.type_classes])
        if len(self.type_classes) < 2:
            self.type_model = None
            return
        data = lgb.Dataset(dense[rows], target, feature_name=self.feature_names, categorical_feature=categorical)
        params = _lgb_params("multiclass", num_class=len(self.type_classes))
        self.type_model = lgb.train(params, data, num_boost_round=self.rounds // 2)

    def _fit_probation(self, cases: Sequence[GoldCase], dense: np.ndarray, categorical: list[int]) -> None:
        rows = np.asarray([c.probation is not None and c.type in ("fixed_term", "detention") for c in cases])
        target = np.asarray([bool(c.probation) for c, r in zip(cases, rows) if r], dtype=np.float64)
        if rows.sum() < 20 or len(set(target.tolist())) < 2:
            self.probation_model = None
            return
        data = lgb.Dataset(dense[rows], target, feature_name=self.feature_names, categorical_feature=categorical)
        self.probation_model = lgb.train(_lgb_params("binary"), data, num_boost_round=self.rounds // 2)

    # --- prediction -------------------------------------------------------------------------------------------
    def opinions(self, cases: Sequence[GoldCase], facts: Sequence[dict] | None = None) -> list[Opinion]:
        """One opinion per case; ``facts`` are the extracted facts when the caller already has them."""
        if not cases:
            return []
        if self.vectorizer is None or self.ridge is None:
            raise RuntimeError("经验模型尚未训练")
        docs = [document(c.fact, c.defendant, c.charges) for c in cases]
        ridge_values = self.ridge.predict(self.vectorizer.transform(docs))
        dense = self._dense(cases, ridge_values, facts)
        q_low = self.quantile_models[self.alpha / 2].predict(dense) - self.margin
        q_mid = self.quantile_models[0.5].predict(dense)
        q_high = self.quantile_models[1 - self.alpha / 2].predict(dense) + self.margin
        if self.type_model is not None:
            proba = self.type_model.predict(dense).reshape(len(cases), -1)
        else:
            proba = np.ones((len(cases), 1))
        probation = self.probation_model.predict(dense) if self.probation_model is not None else np.zeros(len(cases))
        result = []
        for i in range(len(cases)):
            best = int(np.argmax(proba[i]))
            sentence_type = self.type_classes[best] if self.type_classes else "fixed_term"
            opinion = self._opinion(
                sentence_type,
                float(proba[i, best]),
                q_low[i],
                q_mid[i],
                q_high[i],
                probation[i],
                distinct_charges(cases[i].charges),
            )
            if self.type_classes:
                shares = {t: float(proba[i, k]) for k, t in enumerate(self.type_classes)}
                opinion = dataclasses.replace(opinion, type_probabilities=shares)
            result.append(opinion)
        return result

    def _opinion(
        self,
        sentence_type: str,
        p_type: float,
        low: float,
        mid: float,
        high: float,
        p_prob: float,
        n_charges: int = 1,
    ) -> Opinion:
        if sentence_type not in TERM_TYPES:
            return Opinion(sentence_type, 0.0, 0.0, 0.0, False, p_type)
        # The training range of the type keeps the model within practice; the law's limits for this number of
        # charges bound it in any case (a 拘役 of seven months for one charge is unlawful, whatever the data say).
        limits = statutory_limits(sentence_type, n_charges)
        lowest, highest = self.bounds.get(sentence_type, (limits.low, limits.high))
        lowest, highest = limits.clip(lowest), limits.clip(highest)
        point = float(np.clip(np.expm1(mid), lowest, highest))
        low_m = float(np.clip(np.expm1(min(low, mid)), lowest, point))
        high_m = float(np.clip(np.expm1(max(high, mid)), point, highest))
        return Opinion(
            sentence_type,
            float(round(point)),
            float(np.floor(low_m)),
            float(np.ceil(high_m)),
            bool(p_prob >= 0.5),
            p_type,
            limits,
        )

    def predict(self, cases: Sequence[GoldCase]) -> list[Predicted]:
        """The `Predictor` interface of the evaluation harness."""
        return [opinion.as_predicted() for opinion in self.opinions(cases)]

    # --- persistence ------------------------------------------------------------------------------------------
    def save(self, path: Path) -> Path:
        """Write atomically (a half-written model file never replaces a good one)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".tmp")
        with tmp.open("wb") as handle:
            pickle.dump({"version": FORMAT_VERSION, "model": self}, handle)
        tmp.replace(path)
        return path

    @classmethod
    def load(cls, path: Path) -> EmpiricalModel:
        with Path(path).open("rb") as handle:
            payload = pickle.load(handle)
        if not isinstance(payload, dict) or payload.get("version") != FORMAT_VERSION:
            raise ValueError(f"经验模型文件 {path} 的格式版本不符，请重新运行 leniency model train")
        return payload["model"]
