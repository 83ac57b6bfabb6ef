"""Batch recommendations: case text → extracted facts → the engine (with calibrated parameters) → output line.

The recommendation is always the engine's. The pipeline may exercise only the guideline's own discretion (see
`leniency.judgments.discretion`): the point inside each starting-point range, the ratio inside each circumstance's
and the plea stage's allowed range and, for several charges, the point inside the 刑法第69条 span, moved together
on one dial whose position is chosen so that the engine's result lies nearest the empirical model's median. Every
value stays inside the bounds the rule data give for it, and the engine still applies every statutory limit. When
the engine cannot compute a case (a charge without rules, a fact the rules need that the text does not give), the
empirical model's opinion answers, clearly marked ``"basis": "empirical"``; without a model the line carries an
error instead.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from leniency.judgments import discretion as dial
from leniency.judgments.empirical.model import EmpiricalModel, Opinion
from leniency.judgments.empirical.store import load_default_model
from leniency.judgments.evaluation.gold import GoldCase

AGREE_LOG = 0.2  # the CAIL2018 full-score band: points this close agree
CLOSE_LOG = 0.6


class InputError(ValueError):
    """An input line that cannot be processed; the message is Chinese and names the field."""


@dataclass(frozen=True)
class PredictRequest:
    id: Any
    fact: str
    defendant: str
    charges: tuple[str, ...]
    # The charges the engine sentences: two names of one crime are one charge (empty: the charges as given).
    engine_charges: tuple[str, ...] = ()
    merged: tuple[tuple[str, str], ...] = ()  # (dropped name, the kept name of the same crime)

    def as_case(self) -> GoldCase:
        return GoldCase(
            id=str(self.id),
            doc_id=str(self.id),
            source="",
            charges=self.charges,
            type="unknown",
            months=None,
            probation=None,
            fine=None,
            fact=self.fact,
            defendant=self.defendant,
        )


def parse_request(data: Any) -> PredictRequest:
    """Validate one input object ``{"id", "fact", "defendant", "charges"}``."""
    if not isinstance(data, Mapping):
        raise InputError("输入行必须是 JSON 对象")
    if "id" not in data or data["id"] is None or isinstance(data["id"], bool | dict | list):
        raise InputError("缺少字段 id（案件编号，字符串或整数）")
    fact = data.get("fact")
    if not isinstance(fact, str):
        raise InputError("字段 fact（案件事实文本）缺失或不是文字")
    defendant = data.get("defendant")
    if not isinstance(defendant, str) or not defendant.strip():
        raise InputError("字段 defendant（被告人姓名）缺失或为空")
    charges = data.get("charges")
    if isinstance(charges, str):
        charges = [charges]
    if not isinstance(charges, list) or not charges:
        raise InputError('字段 charges（罪名列表，如 ["盗窃罪"]）缺失或为空')
    if not all(isinstance(c, str) and c.strip() for c in charges):
        raise InputError("字段 charges 的每一项都必须是非空的罪名文字")
    return PredictRequest(data["id"], fact, defendant.strip(), tuple(c.strip() for c in charges))


@dataclass
class CalibratedParams:
    """Fitted values of `calibrated` rule parameters: national, and per province where data allowed."""

    national: dict[str, float] = field(default_factory=dict)
    provinces: dict[str, dict[str, float]] = field(default_factory=dict)

    def for_province(self, province: str | None) -> dict[str, float]:
        merged = dict(self.national)
        if province and province in self.provinces:
            merged.update(self.provinces[province])
        return merged

    def to_json(self) -> dict[str, Any]:
        return {"national": self.national, "provinces": self.provinces}

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> CalibratedParams:
        data = data or {}
        return cls(dict(data.get("national") or {}), {k: dict(v) for k, v in (data.get("provinces") or {}).items()})


def _term(sentence_type: str, months: float) -> float:
    if sentence_type in ("exempt", "fine_only"):
        return 0.0
    return float(months)


def agreement(rules: Mapping[str, Any], opinion: Opinion) -> dict[str, Any]:
    """How far the rules' recommendation and the empirical opinion agree (for display and supervision flags)."""
    type_match = rules["type"] == opinion.type
    if rules["type"] in ("life", "death") or opinion.type in ("life", "death"):
        level = "agree" if type_match else "disagree"
        return {
            "level": level,
            "type_match": type_match,
            "log_distance": None,
            "ranges_overlap": type_match,
            "note": "刑种一致" if type_match else "规则与经验模型的刑种不同，差异较大，建议复核",
        }
    a = _term(rules["type"], rules["months"])
    b = _term(opinion.type, opinion.months)
    distance = abs(math.log1p(a) - math.log1p(b))
    low, high = rules["range"]
    overlap = not (high < opinion.low or opinion.high < low)
    if distance <= AGREE_LOG and type_match:
        level, note = "agree", "规则建议与经验模型基本一致"
    elif distance <= CLOSE_LOG:
        level, note = "close", "规则建议与经验模型有一定差异"
    else:
        level, note = "disagree", "规则建议与经验模型差异较大，建议复核事实与情节"
    return {
        "level": level,
        "type_match": type_match,
        "log_distance": round(distance, 3),
        "ranges_overlap": overlap,
        "note": note,
    }


def _sentence_json(sentence: Mapping[str, Any]) -> dict[str, Any]:
    months = int(sentence.get("months") or 0)
    low, high = sentence.get("range") or (months, months)
    return {
        "type": sentence["type"],
        "months": months,
        "range": [int(low), int(high)],
        "probation": bool(sentence.get("probation")),
        "fine": sentence.get("fine"),
        "confiscation": sentence.get("confiscation"),
    }


def _mandatory_probation(facts: Mapping[str, Any]) -> bool:
    """刑法第七十二条: minors and those 75 or older who meet the conditions 应当 be given probation."""
    from leniency.law.loader import load_rulebook

    groups = (load_rulebook().general.get("probation") or {}).get("mandatory_groups") or {}
    age = facts.get("age_at_offence")
    if age is None:
        return False
    return age < groups.get("age_below", 18) or age >= groups.get("age_from", 75)


def _another_type_more_frequent(sentence_type: str, preference: Mapping[str, float]) -> bool:
    """Whether the engine's type choice could change at all (it keeps its type unless another is more frequent):
    spares the dial a second engine run at its chosen position when it could not."""
    own = preference.get(sentence_type, 0.0)
    return any(share > own for kind, share in preference.items() if kind != sentence_type)


def _fallback_trace(opinion: Opinion) -> list[dict[str, Any]]:
    """The legal limits the empirical fallback kept to, as trace steps the reader can check."""
    limits = opinion.limits
    if limits is None:
        return []
    return [
        {
            "rule_id": "general.terms.statutory_limit",
            "citation": limits.citation,
            "inputs": {"刑种": limits.sentence_type, "罪名数": limits.n_charges},
            "result": [limits.low, limits.high],
            "explanation": limits.explanation(),
        }
    ]


class Pipeline:
    """Reusable state for many predictions: calibrated parameters and the (optional) empirical model."""

    def __init__(
        self,
        params: CalibratedParams | None = None,
        model: EmpiricalModel | None | str = "default",
        discretion: bool = True,
    ) -> None:
        self.params = params or CalibratedParams()
        self.model = load_default_model() if model == "default" else model
        self.discretion = discretion and self.model is not None
        self._book = None

    # --- engine helpers ------------------------------------------------------------------------------------
    @property
    def book(self):
        if self._book is None:
            from leniency.law.loader import load_rulebook

            self._book = load_rulebook()
        return self._book

    def _province(self, facts: Mapping[str, Any]) -> str | None:
        value = facts.get("province")
        if not value:
            return None
        try:
            return self.book.province(str(value))
        except Exception:  # an unreadable province just means national values
            return None

    def discretion_parameters(self, charges: Iterable[str]) -> list[str]:
        """The ids of the guideline's per-case discretion that apply to these charges."""
        return dial.discretion_parameters(self.book, charges)

    def _run_engine(
        self,
        facts: dict[str, Any],
        params: dict[str, float],
        target: float | None,
        preference: Mapping[str, float] | None = None,
    ):
        """The engine at the dial position nearest ``target``; ``preference`` informs the choice among lawful types."""
        from leniency.sentencing import recommend

        if not self.discretion:
            preference = None
        found = dial.dial_for(self.book, facts, params) if target is not None and self.discretion else None
        if found is None:
            return recommend(facts, params=params or None, type_preference=preference), None
        results = {}

        def term_at(step: int) -> float:
            rec = results[step] = recommend(facts, params={**params, **found.values(step)})
            s = rec.sentence
            return math.inf if s.type in ("life", "death") else _term(s.type, s.months)

        step = dial.nearest(term_at, target)
        rec = results[step] if step in results else recommend(facts, params={**params, **found.values(step)})
        if preference and _another_type_more_frequent(rec.sentence.type, preference):
            # The type is chosen once, at the chosen position: the search itself compares terms only.
            rec = recommend(facts, params={**params, **found.values(step)}, type_preference=preference)
        position = step / dial.STEPS
        note = {
            "position": position,
            "parameters": list(found.ids),
            "values": found.values(step),
            "explanation": (
                f"在指导意见留给个案的裁量范围内（量刑起点幅度内的位置、各量刑情节的调节比例、认罪认罚阶段的从宽比例、"
                f"数罪并罚幅度内的位置）取值位置 {position:.2f}（0 为各项最轻，0.5 为规则数据的现行取值，1 为各项最重），"
                "系参照同类判决经验选定；各项取值均在规则数据给定的范围内，未突破法定刑"
            ),
        }
        return rec, note

    def _target(self, opinion: Opinion | None) -> float | None:
        """The term the dial aims at: the empirical median, kept on the side of 六个月 its sentence type is on.

        The engine gives 拘役 below the lowest fixed term (刑法第四十二条、第四十五条); a detention opinion of six
        months or more would otherwise pull the dial into 有期徒刑, and a fixed-term opinion under six months into 拘役.
        """
        if opinion is None:
            return None
        if opinion.type in ("life", "death"):
            return -1.0
        target = _term(opinion.type, opinion.months)
        fixed_min = float(self.book.general_param("terms.fixed_term.min").default)
        if opinion.type == "detention":
            return min(target, fixed_min - 1)
        if opinion.type == "fixed_term":
            return max(target, fixed_min)
        return target

    def _same_charges_once(self, request: PredictRequest) -> PredictRequest:
        """Two names of one crime (an older and a current name) are one charge, not 数罪 to combine (第六十九条).

        Only the engine sees the merged list: the empirical model learned from judgments listing the charges as
        written, so it keeps reading them that way.
        """
        seen: dict[str, str] = {}
        kept: list[str] = []
        merged: list[tuple[str, str]] = []
        for charge in request.charges:
            key = self.book.canonical_charge(charge) or charge
            if key in seen:
                if charge != seen[key]:
                    merged.append((charge, seen[key]))
                continue
            seen[key] = charge
            kept.append(charge)
        if len(kept) == len(request.charges):
            return request
        return dataclasses.replace(request, engine_charges=tuple(kept), merged=tuple(merged))

    # --- one line --------------------------------------------------------------------------------------------
    def predict_many(self, items: Sequence[Any]) -> list[dict[str, Any]]:
        """One output dict per input item (a dict or a JSON string); never raises for a bad item."""
        from leniency.extraction import extract

        outputs: list[dict[str, Any] | None] = [None] * len(items)
        requests: list[tuple[int, PredictRequest]] = []
        for index, item in enumerate(items):
            raw_id = None
            try:
                data = json.loads(item) if isinstance(item, str | bytes) else item
                raw_id = data.get("id") if isinstance(data, Mapping) else None
                requests.append((index, self._same_charges_once(parse_request(data))))
            except json.JSONDecodeError as exc:
                outputs[index] = {"id": None, "error": f"输入行不是合法的 JSON：{exc.msg}（第 {exc.colno} 列）"}
            except InputError as exc:
                outputs[index] = {"id": raw_id, "error": str(exc)}
        extractions = {}
        for index, request in requests:
            extractions[index] = extract(request.fact, request.defendant, list(request.charges))
        engine_extractions = dict(extractions)
        for index, request in requests:
            if request.engine_charges:
                engine_extractions[index] = extract(request.fact, request.defendant, list(request.engine_charges))
        opinions: dict[int, Opinion] = {}
        if self.model is not None and requests:
            try:
                found = self.model.opinions(
                    [r.as_case() for _, r in requests], [extractions[i].facts for i, _ in requests]
                )
                opinions = {index: opinion for (index, _), opinion in zip(requests, found)}
            except Exception:  # the second opinion is optional; the rules still answer
                opinions = {}
        for index, request in requests:
            try:
                outputs[index] = self._one(request, engine_extractions[index], opinions.get(index))
            except Exception as exc:  # one odd case must never stop the batch; say what went wrong
                outputs[index] = {"id": request.id, "error": f"处理失败：{type(exc).__name__}: {exc}"}
        return outputs  # type: ignore[return-value]

    def predict(self, item: Any) -> dict[str, Any]:
        return self.predict_many([item])[0]

    def _one(self, request: PredictRequest, extraction, opinion: Opinion | None) -> dict[str, Any]:
        from leniency.sentencing import FactsError

        facts = dict(extraction.facts)
        base = {
            "id": request.id,
            "facts": facts,
            "evidence": [e.as_dict() for e in extraction.evidence],
        }
        warnings = list(extraction.warnings)
        for dropped, kept in request.merged:
            warnings.append(f"罪名“{dropped}”与“{kept}”是同一罪名，按一罪量刑，不实行数罪并罚")
        if not request.fact.strip():
            warnings.append("案件事实（fact）为空：只能依据罪名作出参考意见")
        params = self.params.for_province(self._province(facts))
        target = self._target(opinion)
        try:
            preference = opinion.type_probabilities if opinion is not None else None
            rec, discretion = self._run_engine(facts, params, target, preference)
        except (FactsError, ValueError) as exc:
            if opinion is None:
                return {"id": request.id, "error": f"规则引擎无法计算：{exc}"}
            warnings.append(f"规则引擎无法计算（{exc}），以下为经验模型意见，仅供参考")
            return {
                **base,
                "basis": "empirical",
                "sentence": {**_sentence_json(opinion.to_json()), "fine": None, "confiscation": None},
                "trace": _fallback_trace(opinion),
                "rule_edition": None,
                "discretion": None,
                "empirical": opinion.to_json(),
                "agreement": None,
                "warnings": warnings,
            }
        dumped = rec.model_dump(mode="json")
        sentence = _sentence_json(dumped["sentence"])
        probation_months = dumped["sentence"].get("probation_months")
        if sentence["probation"] and opinion is not None and not opinion.probation and self.discretion:
            # 刑法第七十二条 says 可以: meeting the conditions permits probation, it does not require it
            # (the engine marks the mandatory cases for minors and the elderly, which are kept).
            if not _mandatory_probation(facts):
                sentence["probation"] = False
                probation_months = None
                warnings.append(
                    "符合缓刑条件，但同类判决多数未适用缓刑，建议不适用缓刑（刑法第七十二条“可以”宣告缓刑）"
                )
        return {
            **base,
            "basis": "rules",
            "sentence": sentence,
            "probation_months": probation_months,
            "trace": dumped["trace"],
            "rule_edition": dumped["rule_edition"],
            "outside_guideline": dumped.get("outside_guideline", False),
            "discretion": discretion,
            "empirical": opinion.to_json() if opinion is not None else None,
            "agreement": agreement(sentence, opinion) if opinion is not None else None,
            "warnings": warnings + list(dumped.get("warnings") or []),
        }


def read_params(path: Path | None) -> CalibratedParams:
    if path is None:
        return CalibratedParams()
    return CalibratedParams.from_json(json.loads(Path(path).read_text(encoding="utf-8")))
