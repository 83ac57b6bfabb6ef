"""Rule data resolved for one (crime, date, region, overrides) and turned into fast closures.

Resolving parameters and interpreting the condition language costs more than the arithmetic of a
recommendation, so it is done once per combination and cached; the engine then only reads numbers.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from leniency.law.loader import CrimeRules, RuleBook, load_rulebook
from leniency.law.parameters import Parameter, _as_date
from leniency.sentencing.wording import yuan_text

FactValues = dict[str, Any]
Condition = Callable[[FactValues], bool]

GRAVITY_LEVELS = {"lesser": -1, "ordinary": 0, "serious": 1, "especially_serious": 2}

# Chinese names of the engine's fact values, with the input field that feeds each (for error messages).
FACT_FIELDS: dict[str, tuple[str, str]] = {
    "amount": ("犯罪数额", "amount"),
    "card_amount": ("犯罪数额", "amount"),
    "loss": ("损失数额", "loss"),
    "acts": ("犯罪次数", "acts"),
    "extra_acts": ("犯罪次数", "acts"),
    "persons": ("人数", "persons"),
    "deaths": ("死亡人数", "deaths"),
    "slight_injuries": ("伤情", "injuries"),
    "minor_injuries": ("伤情", "injuries"),
    "minor_injuries_grade1": ("伤情", "injuries"),
    "serious_injuries": ("伤情", "injuries"),
    "serious_injuries_grade1": ("伤情", "injuries"),
    "disability_severity": ("伤残等级", "disability_grade"),
    "heroin_eq": ("毒品", "drugs"),
    "bac": ("血液酒精含量", "blood_alcohol"),
    "detention_hours": ("拘禁时间", "detention_hours"),
    "full_responsibility": ("事故责任", "accident_responsibility"),
    "gravity_level": ("情节", "gravity"),
    "situations": ("具体情形", "situations"),
    "conduct": ("危险驾驶行为", "driving_conduct"),
    "responsibility": ("事故责任", "accident_responsibility"),
}


# Facts that are labels or sets, not quantities: a heavier-penalty threshold cannot read them.
NON_NUMERIC_FACTS = frozenset({"situations", "conduct", "responsibility"})


class RuleCompileError(ValueError):
    """The rule data refers to something that does not exist (a defect of the data, not of the facts)."""


class Resolver:
    """Looks up parameter values for one crime on one day in one region, applying calibration overrides."""

    def __init__(
        self,
        book: RuleBook,
        prefix: str,
        day: dt.date,
        regions: tuple[str, ...],
        overrides: dict[str, float],
    ) -> None:
        self.book = book
        self.prefix = prefix
        self.day = day
        self.regions = regions
        self.overrides = overrides

    def parameter(self, ref: str) -> Parameter:
        for key in (f"{self.prefix}.{ref}", f"general.{ref}", ref):
            parameter = self.book.parameters.get(key)
            if parameter is not None:
                return parameter
        raise RuleCompileError(f"规则数据引用了不存在的参数：{self.prefix}.{ref}")

    def value(self, ref: Any) -> Any:
        if isinstance(ref, bool):
            raise RuleCompileError(f"参数引用无效：{ref!r}")
        if isinstance(ref, int | float):
            return ref
        if isinstance(ref, dict) and "diff" in ref:
            first, second = ref["diff"]
            return self.value(first) - self.value(second)
        parameter = self.parameter(str(ref))
        if parameter.id in self.overrides:
            return self.overrides[parameter.id]
        return parameter.at(self.day, self.regions)

    def num(self, ref: Any) -> float:
        return float(self.value(ref))

    def pair(self, ref: Any) -> tuple[float, float]:
        low, high = self.value(ref)
        return float(low), float(high)

    def cite(self, ref: Any) -> str:
        if not isinstance(ref, str):
            return ""
        parameter = self.parameter(ref)
        return parameter.source(self.regions) + self._fitted_note(parameter)

    def _fitted_note(self, parameter: Parameter) -> str:
        """Say so when the value in force was fitted by `leniency calibrate` (not when a caller overrides it)."""
        record = self.book.calibration.get(parameter.id)
        if not record or parameter.id in self.overrides:
            return ""
        for region in self.regions:
            if region in parameter.overlays:  # the province's own value is in force, fitted or not
                local = (record.get("provinces") or {}).get(region)
                if not local:
                    return ""
                return f"（{region}取值依 {local.get('n')} 名被告人的判决校准，{record.get('date')}）"
        return f"（取值依 {record.get('n')} 名被告人的判决校准，{record.get('date')}）"

    def rule_id(self, ref: str) -> str:
        return self.parameter(ref).id


def compile_condition(spec: Any, resolve: Resolver) -> tuple[Condition, set[str]]:
    """Turn the YAML condition language into a predicate over fact values; also return the facts it reads."""
    if not isinstance(spec, dict) or len(spec) == 0:
        raise RuleCompileError(f"条件格式无效：{spec!r}")
    if "always" in spec:
        return (lambda fv: True), set()
    if "any" in spec or "all" in spec:
        parts = [compile_condition(item, resolve) for item in spec.get("any") or spec.get("all")]
        preds = tuple(p for p, _ in parts)
        used = set().union(*(u for _, u in parts))
        if "any" in spec:
            return (lambda fv: any(p(fv) for p in preds)), used
        return (lambda fv: all(p(fv) for p in preds)), used
    if "not" in spec:
        inner, used = compile_condition(spec["not"], resolve)
        return (lambda fv: not inner(fv)), used
    if "fact" in spec:
        name = spec["fact"]
        if name not in FACT_FIELDS:
            raise RuleCompileError(f"条件引用了未知事实：{name}")
        if "at_least" in spec:
            limit = resolve.num(spec["at_least"])
            return (lambda fv: fv[name] >= limit), {name}
        if "above" in spec:
            limit = resolve.num(spec["above"])
            return (lambda fv: fv[name] > limit), {name}
        raise RuleCompileError(f"事实条件缺少 at_least/above：{spec!r}")
    if "situation" in spec:
        wanted = frozenset(spec["situation"])
        return (lambda fv: not wanted.isdisjoint(fv["situations"])), {"situations"}
    if "situation_all" in spec:
        wanted = frozenset(spec["situation_all"])
        return (lambda fv: wanted <= fv["situations"]), {"situations"}
    if "gravity" in spec:
        level = GRAVITY_LEVELS[spec["gravity"]]
        return (lambda fv: fv["gravity_level"] >= level), {"gravity_level"}
    if "conduct" in spec:
        wanted = frozenset(spec["conduct"])
        return (lambda fv: fv["conduct"] in wanted), {"conduct"}
    if "responsibility" in spec:
        wanted = frozenset(spec["responsibility"])
        return (lambda fv: fv["responsibility"] in wanted), {"responsibility"}
    raise RuleCompileError(f"未知的条件：{spec!r}")


@dataclass(slots=True)
class Increment:
    rule_id: str
    citation: str
    label: str
    by: str
    start: float
    per: float
    months: float
    when: Condition | None
    rate_text: str = ""


@dataclass(slots=True, frozen=True)
class HeavierPenalty:
    """Life imprisonment or death within a bracket whose statute provides it, on a cited, calibrated threshold.

    The threshold reads one engine fact (`fact`, a key of `FACT_FIELDS`: deaths, heroin_eq, amount …) and holds when
    that fact is at least `threshold`; `when`, if given, is a further condition in the rule data's condition language.
    A statutory mitigating ground always excludes it; the other circumstances may lower the term by at most
    `leniency_max` in total (a calibrated share, 0 by default).
    """

    id: str
    type: str
    label: str
    fact: str
    threshold: float
    citation: str
    when: Condition | None = None
    leniency_max: float = 0.0  # the net leniency of the other circumstances it still tolerates (0: none)


@dataclass(slots=True)
class Bracket:
    id: str
    label: str
    low: int
    high: int
    types: tuple[str, ...]
    fine: str
    citation: str
    life_possible: bool
    fine_min: float | None
    fine_max: float | None
    heavier: tuple[HeavierPenalty, ...] = ()
    confiscation: str = "none"  # a key of CONFISCATION_KINDS: what the statute says about 没收财产


@dataclass(slots=True)
class Tier:
    id: str
    label: str
    when: Condition
    facts_used: set[str]
    bracket: Bracket
    lower_bracket_floor: int
    sp_low: float
    sp_high: float
    position: float
    sp_rule: str
    sp_citation: str
    increments: list[Increment]
    sp_text: str = ""


@dataclass(slots=True)
class Adjustment:
    id: str
    label: str
    rule_id: str
    citation: str
    ratio: float
    when: Condition
    per_situation: frozenset[str] | None


@dataclass(slots=True)
class Override:
    circumstance: str
    label: str
    when: Condition
    ratio: float
    low: float
    high: float
    rule_id: str
    citation: str


@dataclass(slots=True)
class Exclusion:
    id: str
    label: str
    when: Condition
    citation: str


@dataclass
class CompiledCrime:
    charge: str
    crime_id: str
    guideline: bool
    negligent: bool
    strict_leniency: bool
    section_citation: str
    statute: str
    tiers: list[Tier]
    adjustments: list[Adjustment]
    overrides: list[Override]
    fine: dict[str, Any]
    probation_strict: bool
    probation_strict_when: Condition | None
    probation_citation: str
    probation_exclusions: list[Exclusion]
    derived: list[tuple[str, str, float, Condition]]
    brackets: list[Bracket]
    notices: list[tuple[Condition, str]] = field(default_factory=list)
    # (label, value in force, national range) of thresholds that provinces set within a national range
    regional_thresholds: list[tuple[str, float, tuple[float, float]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.baseline_rule = f"{self.crime_id}.baseline"
        self.baseline_citation = (
            f"{self.section_citation}2；法发〔2021〕21号 二(一)2" if self.guideline else "法发〔2021〕21号 二(一)2"
        )
        self.fine_rule = f"{self.crime_id}.fine"


@dataclass(slots=True)
class CircumstanceRule:
    id: str
    label: str
    tier: str
    obligation: str
    ground: str
    point: float
    low: float
    high: float
    rule_id: str
    citation: str
    statute: str | None
    plea_overlap: bool
    age_from: int | None
    age_to: int | None
    default_applied: Any = None  # the engine's applied form when nothing modifies it (built once)


_TERM_KEYS = ("fixed_term.min", "fixed_term.max", "detention.min", "detention.max", "control.min", "control.max")
# The lighter types a single charge may take instead of the engine's (engine.choose_type).
_TYPE_CHOICES = ("exempt", "fine_only", "control")


@dataclass
class CompiledGeneral:
    edition: str
    edition_effective: dt.date
    circumstances: dict[str, CircumstanceRule]
    raises_cap: frozenset[str]
    plea_cap: float
    plea_cap_with: float
    plea_cap_citation: str
    stage_ratio: dict[str, float]
    stage_citation: dict[str, str]
    exclusion_factor: float
    strict_factor: float
    min_factor: float
    exempt_max: float
    recidivism_min: float
    terms: dict[str, float]
    terms_citation: dict[str, str]
    type_choice_max: dict[str, float]  # exempt / fine_only / control: the longest term that may take that type
    type_choice_citation: dict[str, str]
    combined: dict[str, float]
    probation: dict[str, float]
    widths: tuple[float, float, float, float]
    width_point_share: float
    width_citation: str
    outside_position: float
    outside_open_span: float
    outside_fine_base: float
    outside_fine_per_month: float
    drug_factor: dict[str, float]
    drug_citation: dict[str, str]
    probation_exclusions: list[dict[str, Any]] = field(default_factory=list)
    mandatory_probation: dict[str, Any] = field(default_factory=dict)
    # 没收财产 (general.yaml property_penalty): the sentence types that take it where the statute lets the court
    # choose it instead of a fine, those that take all property rather than part, and the citations of both rules.
    confiscation_with: frozenset[str] = frozenset()
    confiscation_all_with: frozenset[str] = frozenset()
    confiscation_choice: tuple[str, str] = ("", "")  # (label, citation)
    confiscation_extent: tuple[str, str] = ("", "")
    accessory_combined: tuple[str, str] = ("", "")


def _bracket(raw: dict[str, Any], resolve: Resolver | None = None) -> Bracket:
    return Bracket(
        id=str(raw["id"]),
        label=str(raw["label"]),
        low=int(raw["min"]),
        high=int(raw["max"]),
        types=tuple(raw["types"]),
        fine=str(raw.get("fine", "none")),
        citation=str(raw["reference"]),
        life_possible=bool(raw.get("life_possible", False)),
        fine_min=raw.get("fine_min"),
        fine_max=raw.get("fine_max"),
        heavier=tuple(_heavier(raw, h, resolve) for h in raw.get("heavier_penalties") or ()),
        confiscation=str(raw.get("confiscation", "none")),
    )


# A bracket's `confiscation` key, as the statute words it (also checked by leniency.law.validation).
CONFISCATION_KINDS = {"none": "", "mandatory": "并处没收财产", "alternative": "并处罚金或者没收财产"}
# What the Sentence carries (刑法第五十九条第一款: 没收犯罪分子个人所有财产的一部或者全部).
CONFISCATION_EXTENTS = ("all", "part")
# The keys of general.yaml `property_penalty` (the sentence types listed there must be these).
PROPERTY_PENALTY_TYPES = ("fixed_term", "detention", "control", "life", "death")


# The keys of a heavier-penalty entry (also checked, all errors at once, by leniency.law.validation).
HEAVIER_TYPES = {"life": "无期徒刑", "death": "死刑"}
HEAVIER_REQUIRED = ("id", "type", "label", "fact", "at_least", "reference")
HEAVIER_OPTIONAL = ("leniency_max", "when", "calibrated", "note")


def _heavier(bracket: dict[str, Any], raw: dict[str, Any], resolve: Resolver | None = None) -> HeavierPenalty:
    where = f"法定刑幅度 {bracket.get('id')} 的 heavier_penalties"
    if not isinstance(raw, dict):
        raise ValueError(f"{where}：每一项应为映射")
    unknown = sorted(set(raw) - set(HEAVIER_REQUIRED) - set(HEAVIER_OPTIONAL))
    if unknown:
        raise ValueError(f"{where}：未知的键 {unknown}（门槛写作 fact 与 at_least）")
    kind = raw.get("type")
    if kind not in HEAVIER_TYPES:
        raise ValueError(f"{where}：type 只能是 life 或 death，而不是“{kind}”")
    if not bracket.get("life_possible"):
        raise ValueError(f"{where}：法定刑幅度未标注 life_possible，不能建议无期徒刑或者死刑")
    named = HEAVIER_TYPES[kind]
    if named not in str(bracket.get("label", "")):
        raise ValueError(f"{where}：法定刑幅度“{bracket.get('label')}”没有{named}，不能建议{named}")
    for key in HEAVIER_REQUIRED:
        if raw.get(key) in (None, ""):
            raise ValueError(f"{where}：缺少 {key}")
    if not raw.get("calibrated"):
        raise ValueError(f"{where}：{raw['id']} 是法律未明定的门槛，必须标注 calibrated: true")
    fact = raw["fact"]
    if fact not in FACT_FIELDS or fact in NON_NUMERIC_FACTS:
        raise ValueError(f"{where}：fact “{fact}” 不是引擎的数值事实")
    citation = str(raw["reference"])
    threshold, note = _heavier_number(where, "at_least", raw["at_least"], resolve)
    citation += note
    leniency_max, note = _heavier_number(where, "leniency_max", raw.get("leniency_max", 0), resolve, zero_ok=True)
    citation += note
    if leniency_max >= 1:
        raise ValueError(f"{where}：leniency_max 是从宽比例，应小于 1（{leniency_max:g}）")
    when = None
    if raw.get("when") is not None:
        if resolve is None:
            raise ValueError(f"{where}：when 条件只能在罪名规则文件中使用")
        when = compile_condition(raw["when"], resolve)[0]
    return HeavierPenalty(
        id=str(raw["id"]),
        type=kind,
        label=str(raw["label"]),
        fact=str(fact),
        threshold=float(threshold),
        citation=citation,
        when=when,
        leniency_max=leniency_max,
    )


def _heavier_number(
    where: str, key: str, value: Any, resolve: Resolver | None, zero_ok: bool = False
) -> tuple[float, str]:
    """A heavier-penalty number: a literal, or a calibrated parameter of the crime (with its fitted-value note)."""
    note = ""
    if isinstance(value, str):
        if resolve is None:
            raise ValueError(f"{where}：{key} 引用参数“{value}”，只能在罪名规则文件中使用")
        parameter = resolve.parameter(value)
        if not parameter.calibrated:
            raise ValueError(f"{where}：{key} 引用的参数 {parameter.id} 必须标注 calibrated: true")
        number = resolve.num(value)
        note = resolve._fitted_note(parameter)
    elif isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{where}：{key} 应为数字或参数名，而不是 {value!r}")
    else:
        number = float(value)
    if number < 0 or (number == 0 and not zero_ok):
        raise ValueError(f"{where}：{key} 应为{'非负数' if zero_ok else '正数'}（{number:g}）")
    return number, note


def _floor_below(brackets: list[Bracket], bracket: Bracket) -> int:
    """Mitigation (刑法第63条) goes down to the next lower statutory range, not below it."""
    lower = [b.low for b in brackets if b.high <= bracket.low and b is not bracket]
    return max(lower) if lower else 0


def compile_crime(rules: CrimeRules, resolve: Resolver) -> CompiledCrime:
    raw = rules.raw
    brackets = [_bracket(b, resolve) for b in raw["brackets"]]
    by_id = {b.id: b for b in brackets}
    default_position = raw.get("parameters", {}).get("starting_point.position")
    tiers = []
    for t in raw["tiers"]:
        when, used = compile_condition(t["when"], resolve)
        incs = []
        for inc in t.get("increments") or []:
            inc_when = compile_condition(inc["when"], resolve)[0] if "when" in inc else None
            incs.append(
                Increment(
                    rule_id=resolve.rule_id(inc["months"]),
                    citation=resolve.cite(inc["months"]),
                    label=str(inc["label"]),
                    by=str(inc["by"]),
                    start=resolve.num(inc["from"]),
                    per=resolve.num(inc["per"]),
                    months=resolve.num(inc["months"]),
                    when=inc_when,
                )
            )
        low, high = resolve.pair(t["starting_point"])
        position_ref = t.get("position") or ("starting_point.position" if default_position else None)
        bracket = by_id[t["bracket"]]
        tiers.append(
            Tier(
                id=str(t["id"]),
                label=str(t["label"]),
                when=when,
                facts_used=used,
                bracket=bracket,
                lower_bracket_floor=_floor_below(brackets, bracket),
                sp_low=low,
                sp_high=high,
                position=resolve.num(position_ref) if position_ref else 0.0,
                sp_rule=resolve.rule_id(t["starting_point"]),
                sp_citation=resolve.cite(t["starting_point"]),
                increments=incs,
            )
        )
    adjustments = []
    for a in raw.get("adjustments") or []:
        when, _ = compile_condition(a["when"], resolve)
        per = a.get("per_situation")
        adjustments.append(
            Adjustment(
                id=str(a["id"]),
                label=str(a["label"]),
                rule_id=resolve.rule_id(a["ratio"]),
                citation=str(a.get("reference") or resolve.cite(a["ratio"])),
                ratio=resolve.num(a["ratio"]),
                when=when,
                per_situation=frozenset(per) if per else None,
            )
        )
    overrides = []
    for o in raw.get("circumstance_overrides") or []:
        low, high = resolve.pair(o["range"])
        overrides.append(
            Override(
                circumstance=str(o["circumstance"]),
                label=str(o["label"]),
                when=compile_condition(o["when"], resolve)[0],
                ratio=resolve.num(o["point"]),
                low=low,
                high=high,
                rule_id=resolve.rule_id(o["point"]),
                citation=str(o["reference"]),
            )
        )
    probation = raw.get("probation") or {}
    exclusions = [
        Exclusion(str(e["id"]), str(e["label"]), compile_condition(e["when"], resolve)[0], str(e["reference"]))
        for e in probation.get("exclusions") or []
    ]
    strict_when = compile_condition(probation["strict_when"], resolve)[0] if "strict_when" in probation else None
    derived = []
    for d in raw.get("derived") or []:
        derived.append(
            (str(d["fact"]), str(d["from"]), resolve.num(d["divide_by"]), compile_condition(d["when"], resolve)[0])
        )
    notices = [
        (compile_condition(n["when"], resolve)[0], f"{n['text']}（{n['reference']}）") for n in raw.get("notices") or []
    ]
    regional = [
        (p.label, resolve.num(p.id.removeprefix(f"{rules.id}.")), p.national_range)
        for p in rules.parameters.values()
        if p.national_range is not None
    ]
    fine = dict(raw.get("fine") or {"kind": "none"})
    for key in ("ratio", "per_month", "base"):
        if key in fine:
            fine[key] = resolve.num(fine[key])
    return CompiledCrime(
        charge=rules.charge,
        crime_id=rules.id,
        guideline=rules.guideline,
        negligent=bool(raw.get("negligent", False)),
        strict_leniency=bool(raw.get("strict_leniency", False)),
        section_citation=str(raw.get("reference", "")),
        statute=str(raw.get("statute", "")),
        tiers=tiers,
        adjustments=adjustments,
        overrides=overrides,
        fine=fine,
        probation_strict=bool(probation.get("strict", False)),
        probation_strict_when=strict_when,
        probation_citation=str(probation.get("reference") or ""),
        probation_exclusions=exclusions,
        derived=derived,
        brackets=brackets,
        notices=notices,
        regional_thresholds=regional,
    )


def compile_statutory(entry: dict[str, Any], resolve: Resolver, gravity: str) -> CompiledCrime:
    """A crime outside the 23: the statutory range matching the stated gravity, or a graver range whose amount
    standard (a bracket's `amount_at_least`, e.g. 法释〔2016〕9号 for 贪污、受贿) the crime amount reaches."""
    brackets = [_bracket(b, resolve) for b in entry["brackets"]]
    wanted = GRAVITY_LEVELS[gravity]
    # The most serious statutory range not beyond the stated gravity (情节较轻 only when stated).
    chosen = brackets[0]
    best = None
    for raw_bracket, bracket in zip(entry["brackets"], brackets):
        level = GRAVITY_LEVELS[raw_bracket.get("gravity", "ordinary")]
        if level <= wanted and (best is None or level > best):
            chosen, best = bracket, level
    position = resolve.num("outside.starting_point_position")
    span_cap = resolve.num("outside.open_bracket_span")

    def tier(bracket: Bracket, when: Condition, used: set[str], label: str, citation: str) -> Tier:
        low = max(bracket.low, 1)
        high = bracket.high if not bracket.life_possible else min(bracket.high, bracket.low + span_cap)
        if bracket.high >= 180 and bracket.low >= 60:
            high = min(high, bracket.low + span_cap)
        return Tier(
            id=bracket.id,
            label=label,
            when=when,
            facts_used=used,
            bracket=bracket,
            lower_bracket_floor=_floor_below(brackets, bracket),
            sp_low=float(low),
            sp_high=float(max(high, low)),
            position=position,
            sp_rule="general.outside.starting_point_position",
            sp_citation=f"{citation}；{resolve.cite('outside.starting_point_position')}",
            increments=[],
        )

    tiers = []
    graver = [(raw, b) for raw, b in zip(entry["brackets"], brackets) if b.low > chosen.low]
    for raw_bracket, bracket in sorted(graver, key=lambda pair: -pair[1].low):
        ref = raw_bracket.get("amount_at_least")
        if ref is None:
            continue
        limit = resolve.num(ref)
        tiers.append(
            tier(
                bracket,
                lambda fv, limit=limit: fv["amount"] >= limit,
                {"amount"},
                f"{bracket.label}（犯罪数额达到{yuan_text(limit)}）",
                f"{bracket.citation}；{resolve.cite(ref)}",
            )
        )
    tiers.append(tier(chosen, lambda fv: True, set(), chosen.label, chosen.citation))
    fine = {
        "kind": "per_month",
        "reference": "刑法第五十二条",
        "base": resolve.num("outside.fine.base"),
        "per_month": resolve.num("outside.fine.per_month"),
        "min": 1000,
    }
    return CompiledCrime(
        charge=str(entry["charge"]),
        crime_id="statutory",
        guideline=False,
        negligent=bool(entry.get("negligent", False)),
        strict_leniency=False,
        section_citation=str(entry.get("statute", "")),
        statute=str(entry.get("statute", "")),
        tiers=tiers,
        adjustments=[],
        overrides=[],
        fine=fine,
        probation_strict=False,
        probation_strict_when=None,
        probation_citation="",
        probation_exclusions=[],
        derived=[],
        brackets=brackets,
    )


def compile_general(book: RuleBook, resolve: Resolver) -> CompiledGeneral:
    general = book.general
    circumstances = {}
    for c in general["circumstances"]:
        cid = c["id"]
        point_ref = f"circumstance.{cid}.point"
        low, high = resolve.pair(f"circumstance.{cid}.range")
        circumstances[cid] = CircumstanceRule(
            id=cid,
            label=str(c["label"]),
            tier=str(c["tier"]),
            obligation=str(c["obligation"]),
            ground=str(c["statutory_ground"]),
            point=resolve.num(point_ref),
            low=low,
            high=high,
            rule_id=resolve.rule_id(point_ref),
            citation=resolve.cite(point_ref),
            statute=c.get("statute"),
            plea_overlap=bool(c.get("plea_overlap", False)),
            age_from=c.get("age_from"),
            age_to=c.get("age_to"),
        )
    plea = general["plea"]
    stages = ("investigation", "prosecution_review", "trial", "appeal_trial")
    drug_factor = {}
    drug_citation = {}
    base = resolve.num("drug.heroin_large_quantity")
    for key, parameter in book.parameters.items():
        if key.startswith("general.drug.large_quantity."):
            kind = key.rsplit(".", 1)[1]
            drug_factor[kind] = base / resolve.num(key.removeprefix("general."))
            drug_citation[kind] = parameter.reference
    probation = general.get("probation") or {}
    return CompiledGeneral(
        edition=str(book.edition(resolve.day)["id"]),
        edition_effective=_as_date(book.edition(resolve.day)["effective"]),
        circumstances=circumstances,
        raises_cap=frozenset(plea["raises_cap"]),
        plea_cap=resolve.num("plea.cap"),
        plea_cap_with=resolve.num("plea.cap_with_circumstances"),
        plea_cap_citation=resolve.cite("plea.cap"),
        stage_ratio={s: resolve.num(f"plea.stage.{s}") for s in stages},
        stage_citation={s: resolve.cite(f"plea.stage.{s}") for s in stages},
        exclusion_factor=resolve.num("leniency.exclusion_factor"),
        strict_factor=resolve.num("leniency.strict_factor"),
        min_factor=resolve.num("adjustment.min_factor"),
        exempt_max=resolve.num("exempt.max_months"),
        recidivism_min=resolve.num("recidivism.min_increase_months"),
        terms={k: resolve.num(f"terms.{k}") for k in _TERM_KEYS},
        terms_citation={k: resolve.cite(f"terms.{k}") for k in _TERM_KEYS},
        type_choice_max={k: resolve.num(f"type_choice.{k}.max_months") for k in _TYPE_CHOICES},
        type_choice_citation={k: resolve.cite(f"type_choice.{k}.max_months") for k in _TYPE_CHOICES},
        combined={
            k: resolve.num(f"combined.{k}")
            for k in (
                "fixed_term.cap",
                "fixed_term.cap_high",
                "fixed_term.high_sum",
                "detention.cap",
                "control.cap",
                "position",
            )
        },
        probation={
            k: resolve.num(f"probation.{k}")
            for k in (
                "max_months",
                "strict_max_months",
                "test.detention.min",
                "test.detention.max",
                "test.fixed_term.min",
                "test.fixed_term.max",
                "test.factor",
            )
        },
        widths=(
            resolve.num("width.under_1y"),
            resolve.num("width.1y_3y"),
            resolve.num("width.3y_10y"),
            resolve.num("width.over_10y"),
        ),
        width_point_share=resolve.num("width.point_share"),
        width_citation=resolve.cite("width.under_1y"),
        outside_position=resolve.num("outside.starting_point_position"),
        outside_open_span=resolve.num("outside.open_bracket_span"),
        outside_fine_base=resolve.num("outside.fine.base"),
        outside_fine_per_month=resolve.num("outside.fine.per_month"),
        drug_factor=drug_factor,
        drug_citation=drug_citation,
        probation_exclusions=list(probation.get("exclusions") or []),
        mandatory_probation=dict(probation.get("mandatory_groups") or {}),
        **_property_penalty(general),
    )


def _property_penalty(general: dict[str, Any]) -> dict[str, Any]:
    rules = general.get("property_penalty") or {}
    choice, extent, combined = rules.get("choice") or {}, rules.get("extent") or {}, rules.get("combined") or {}

    def text(rule: dict[str, Any]) -> tuple[str, str]:
        label, citation = str(rule.get("label", "")), str(rule.get("reference", ""))
        return label + ("（工作规则，未经核实）" if rule.get("unverified") else ""), citation

    return {
        "confiscation_with": frozenset(choice.get("confiscation_with") or ()),
        "confiscation_all_with": frozenset(extent.get("all_with") or ()),
        "confiscation_choice": text(choice),
        "confiscation_extent": text(extent),
        "accessory_combined": text(combined),
    }


class RuleCache:
    """Compiled rules keyed by (what, date breakpoint, regions, overrides)."""

    max_entries = 4096

    def __init__(self, book: RuleBook | None = None) -> None:
        self.book = book or load_rulebook()
        self._cache: dict[tuple[Any, ...], Any] = {}
        self._days: dict[dt.date, dt.date] = {}
        self._places: dict[tuple[str | None, str | None], tuple[str | None, tuple[str, ...]]] = {}

    def place(self, province: str | None, locality: str | None) -> tuple[str | None, tuple[str, ...]]:
        """(canonical province or None when unknown, overlay keys); memoised because few places recur."""
        key = (province, locality)
        found = self._places.get(key)
        if found is None:
            name = self.book.province(province) if province else None
            found = (name, self.book.regions(name, locality))
            if len(self._places) < self.max_entries:
                self._places[key] = found
        return found

    def breakpoint(self, day: dt.date) -> dt.date:
        """The latest date on which any rule value changed, not after `day` (days between share compiled rules)."""
        found = self._days.get(day)
        if found is None:
            index = bisect.bisect_right(self.book.breakpoints, day) - 1
            found = self.book.breakpoints[index] if index >= 0 else self.book.breakpoints[0] - dt.timedelta(days=1)
            if len(self._days) < self.max_entries:
                self._days[day] = found
        return found

    def _get(self, key: tuple[Any, ...], build: Callable[[], Any]) -> Any:
        found = self._cache.get(key)
        if found is None:
            if len(self._cache) >= self.max_entries:
                self._cache.clear()
            found = build()
            self._cache[key] = found
        return found

    @staticmethod
    def scoped(overrides_key: tuple[tuple[str, float], ...], prefix: str) -> tuple[tuple[str, float], ...]:
        """Only the overrides a compilation can read, so that one crime's values don't recompile another's rules.

        A crime's rules read only their own parameters (``tests/sentencing/test_params.py`` checks it); the general
        rules and the statutory brackets read only ``general.*``.
        """
        return tuple(item for item in overrides_key if item[0].startswith(prefix))

    def general(self, day: dt.date, overrides_key: tuple[tuple[str, float], ...]) -> CompiledGeneral:
        point = self.breakpoint(day)
        overrides_key = self.scoped(overrides_key, "general.")
        return self._get(
            ("general", point, overrides_key),
            lambda: compile_general(self.book, Resolver(self.book, "general", point, (), dict(overrides_key))),
        )

    def crime(
        self, charge: str, day: dt.date, regions: tuple[str, ...], overrides_key: tuple[tuple[str, float], ...]
    ) -> CompiledCrime:
        point = self.breakpoint(day)
        rules = self.book.crimes[charge]
        overrides_key = self.scoped(overrides_key, f"{rules.id}.")
        return self._get(
            ("crime", charge, point, regions, overrides_key),
            lambda: compile_crime(rules, Resolver(self.book, rules.id, point, regions, dict(overrides_key))),
        )

    def statutory(
        self, charge: str, gravity: str, day: dt.date, overrides_key: tuple[tuple[str, float], ...]
    ) -> CompiledCrime:
        point = self.breakpoint(day)
        entry = self.book.statutory[charge]
        overrides_key = self.scoped(overrides_key, "general.")
        return self._get(
            ("statutory", charge, gravity, point, overrides_key),
            lambda: compile_statutory(entry, Resolver(self.book, "general", point, (), dict(overrides_key)), gravity),
        )
