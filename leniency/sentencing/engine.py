"""The sentencing method of 法发〔2021〕21号 二, applied to one defendant, every step traced and cited.

starting point (within its range) → baseline (increments) → first-tier circumstances multiplied →
other circumstances added/subtracted (同向相加、逆向相减), the plea with its caps → statutory clamps →
sentence type, definite point and range → probation → fine or 没收财产 → combined sentence (刑法第69条).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from leniency.law.loader import load_rulebook
from leniency.sentencing.compiled import (
    FACT_FIELDS,
    GRAVITY_LEVELS,
    CompiledCrime,
    CompiledGeneral,
    HeavierPenalty,
    RuleCache,
    Tier,
)
from leniency.sentencing.errors import FactsError
from leniency.sentencing.facts import (
    ChargeFacts,
    CompensationKind,
    Completion,
    ConfessionKind,
    Facts,
    InjuryGrade,
    MentalCapacity,
    MeritoriousService,
    PleaStage,
    Role,
    parse_facts,
)
from leniency.sentencing.result import (
    CONFISCATION_LABELS,
    TERM_TYPES,
    TYPE_LABELS,
    ChargeResult,
    Recommendation,
    Sentence,
    TraceStep,
)
from leniency.sentencing.wording import months_text

STAGE_LABELS = {
    "investigation": "侦查阶段",
    "prosecution_review": "审查起诉阶段",
    "trial": "审判阶段",
    "appeal_trial": "二审阶段",
}
_MINOR = frozenset({InjuryGrade.minor_injury, InjuryGrade.minor_injury_1, InjuryGrade.minor_injury_2})
_SERIOUS = frozenset({InjuryGrade.serious_injury, InjuryGrade.serious_injury_1, InjuryGrade.serious_injury_2})
_EMPTY: frozenset[str] = frozenset()
# Units of the facts a heavier-penalty threshold reads, for its trace step.
_FACT_UNITS = {"deaths": "人", "heroin_eq": "克（折合海洛因）", "amount": "元", "loss": "元", "serious_injuries": "人"}
_MITIGATING_GROUNDS = frozenset({"mitigate", "mitigate_mandatory", "exempt"})

_cache: RuleCache | None = None


def rule_cache() -> RuleCache:
    global _cache
    if _cache is None:
        _cache = RuleCache(load_rulebook())
    return _cache


def fmt_months(value: float) -> str:
    """Months as a Chinese term (e.g. 1年6个月); fractions kept to one decimal for intermediate results."""
    months = int(value + 0.5)
    if abs(value - months) > 0.05:
        return f"{value:.1f}个月"
    return months_text(months)


def fmt_ratio(value: float) -> str:
    return f"{value * 100:+.0f}%"


def _round(value: float) -> int:
    # Half-up, after dropping float noise: sums taken in a different order must not flip a .5 boundary.
    return int(math.floor(round(value, 6) + 0.5))


def _builder(cls: type) -> Any:
    """A constructor for trusted values: what `model_construct` does, minus its per-call introspection.

    The engine builds every output object from values it computed itself, so validation would only
    cost time (the trace is most of the work of a recommendation). All fields are always set, so the
    objects can share one fields-set (setting an attribute later only re-adds a name already in it).
    """
    fields_set = set(cls.model_fields)
    new = object.__new__
    setattr_ = object.__setattr__

    def build(**values: Any) -> Any:
        obj = new(cls)
        setattr_(obj, "__dict__", values)
        setattr_(obj, "__pydantic_fields_set__", fields_set)
        setattr_(obj, "__pydantic_extra__", None)
        setattr_(obj, "__pydantic_private__", None)
        return obj

    return build


_new_sentence = _builder(Sentence)
_new_charge_result = _builder(ChargeResult)
_new_recommendation = _builder(Recommendation)


_step = TraceStep  # positional: rule_id, citation, inputs, result, explanation


@dataclass(slots=True)
class Applied:
    """A circumstance as applied to one charge."""

    id: str
    label: str
    tier: str
    ratio: float
    rule_id: str
    citation: str
    ground: str
    obligation: str
    plea_overlap: bool
    note: str = ""


@dataclass
class ChargeOutcome:
    result: ChargeResult
    sentence: Sentence
    months_exact: float
    probation_ok: bool
    probation_reason: str
    crime: CompiledCrime
    floor: int
    ceiling: int
    trace: list[TraceStep] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------- facts → values
def fact_values(cf: ChargeFacts, general: CompiledGeneral, crime: CompiledCrime) -> dict[str, Any]:
    # StrEnum members hash and compare as their string values, so they are used as keys directly.
    minor = minor1 = serious = serious1 = slight = 0
    if cf.injuries:
        for grade in cf.injuries:
            if grade in _SERIOUS:
                serious += 1
                serious1 += grade is InjuryGrade.serious_injury_1
            elif grade in _MINOR:
                minor += 1
                minor1 += grade is InjuryGrade.minor_injury_1
            else:
                slight += 1
    heroin = 0.0
    if cf.drugs:
        factors = general.drug_factor
        for drug in cf.drugs:
            if drug.heroin_equivalent_grams is not None:
                heroin += drug.heroin_equivalent_grams
            else:
                heroin += drug.grams * factors.get(drug.type, 0.0)
    acts = cf.acts or 0
    persons = cf.persons or 0
    amount = cf.amount or 0.0
    responsibility = cf.accident_responsibility
    values: dict[str, Any] = {
        "amount": amount,
        "card_amount": amount,
        "loss": cf.loss or 0.0,
        "acts": acts,
        "extra_acts": max(0, acts - max(persons, 1)) if acts else 0,
        "persons": persons,
        "deaths": cf.deaths,
        "slight_injuries": slight,
        "minor_injuries": minor,
        "minor_injuries_grade1": minor1,
        "serious_injuries": serious,
        "serious_injuries_grade1": serious1,
        "disability_severity": (11 - cf.disability_grade) if cf.disability_grade else 0,
        "heroin_eq": heroin,
        "bac": cf.blood_alcohol or 0.0,
        "detention_hours": cf.detention_hours or 0.0,
        "full_responsibility": 1 if responsibility == "full" else 0,
        "gravity_level": GRAVITY_LEVELS[cf.gravity],
        "situations": frozenset(cf.situations) if cf.situations else _EMPTY,
        "conduct": cf.driving_conduct,
        "responsibility": responsibility,
    }
    if crime.derived:
        for name, source, divisor, when in crime.derived:
            if when(values):
                values[name] = values[source] / divisor
    return values


def _missing_error(index: int, cf: ChargeFacts, crime: CompiledCrime, province: str | None) -> FactsError:
    order = list(FACT_FIELDS)
    used: list[str] = []
    for tier in reversed(crime.tiers):  # the lowest tier holds the facts that constitute the crime
        for name in sorted(tier.facts_used, key=order.index):
            if name not in used:
                used.append(name)
    labels = []
    fields = []
    provided_fields = []
    for name in used:
        label, fname = FACT_FIELDS[name]
        if fname not in fields:
            fields.append(fname)
            labels.append(f"{label}（{fname}）")
            if getattr(cf, fname) not in (None, [], 0, "ordinary"):
                provided_fields.append(fname)
    provided = bool(provided_fields)
    if provided:
        fields = provided_fields + [f for f in fields if f not in provided_fields]
    where = f"罪名及事实 → 第{index + 1}项（{crime.charge}）"
    lowest = crime.tiers[-1].label
    if not provided:
        return FactsError(
            f"{where}：缺少确定量刑起点所需的事实，请填写{'、'.join(labels)}之一", field=f"charges.{index}.{fields[0]}"
        )
    hint = ""
    if not province and cf.amount is not None:
        for label, value, (low, _high) in crime.regional_thresholds:
            if low <= cf.amount < value:
                hint = (
                    f"。未填写省份（province），按全国默认的{label}{value:g}元计算；"
                    f"该数额在全国幅度内（不低于{low:g}元），请填写省份以适用当地标准"
                )
                break
    return FactsError(
        f"{where}：所给事实未达到“{lowest}”的标准，依据现有规则不构成本罪或无法确定量刑起点；请核对{'、'.join(labels)}"
        + hint,
        field=f"charges.{index}.{fields[0]}",
    )


# ---------------------------------------------------------------------------------------------- circumstances
def applied_circumstances(
    facts: Facts, general: CompiledGeneral, crime: CompiledCrime, values: dict[str, Any], warnings: list[str]
) -> list[Applied]:
    rules = general.circumstances
    c = facts.circumstances
    wanted: list[tuple[str, str]] = []  # (circumstance id, note)
    age = facts.age_at_offence
    if age is not None:
        for cid in ("minor_12_16", "minor_16_18"):
            rule = rules[cid]
            if rule.age_from <= age < rule.age_to:
                wanted.append((cid, f"犯罪时{age}周岁"))
        if age >= rules["elderly_intentional"].age_from:
            wanted.append(("elderly_negligent" if crime.negligent else "elderly_intentional", f"犯罪时{age}周岁"))
    if facts.deaf_mute_or_blind:
        wanted.append(("deaf_mute_blind", ""))
    if facts.mental_capacity is MentalCapacity.limited:
        wanted.append(("limited_capacity", ""))
    if facts.excessive_defence:
        wanted.append(("excessive_defence", ""))
    if facts.excessive_necessity:
        wanted.append(("excessive_necessity", ""))
    if facts.completion is Completion.preparation:
        wanted.append(("preparation", ""))
    elif facts.completion is Completion.attempt:
        wanted.append(("attempt", ""))
    elif facts.completion is Completion.abandonment:
        wanted.append(("abandonment_damage", "中止犯造成损害"))
    if facts.role is Role.accessory:
        wanted.append(("accessory", ""))
    elif facts.role is Role.coerced:
        wanted.append(("coerced", ""))
    if c.surrender and c.confession is not ConfessionKind.none:
        # 自首 and 坦白 exclude each other for one crime: the more lenient reading counts, once.
        confession = f"confession_{c.confession.value}"
        if abs(rules[confession].point) > abs(rules["surrender"].point):
            wanted.append((confession, "与自首不重复评价，取较大者"))
        else:
            wanted.append(("surrender", "与坦白不重复评价，取较大者"))
    elif c.surrender:
        wanted.append(("surrender", ""))
    elif c.confession is not ConfessionKind.none:
        wanted.append((f"confession_{c.confession.value}", ""))
    elif c.in_court_admission:
        wanted.append(("in_court_admission", ""))
    if c.meritorious_service is MeritoriousService.ordinary:
        wanted.append(("meritorious_ordinary", ""))
    elif c.meritorious_service is MeritoriousService.major:
        wanted.append(("meritorious_major", ""))
    restitution_override = None
    for override in crime.overrides:
        if override.circumstance == "restitution" and override.when(values):
            restitution_override = override
    if c.restitution or restitution_override is not None:
        wanted.append(("restitution", ""))
    compensation = c.compensation.value if c.compensation is not CompensationKind.none else None
    if compensation and c.reconciliation:
        # 刑事和解 already contains the compensation and forgiveness: the larger of the two counts, once.
        if abs(rules["reconciliation"].point) >= abs(rules[compensation].point):
            wanted.append(("reconciliation", "与赔偿谅解不重复评价，取较大者"))
        else:
            wanted.append((compensation, "与刑事和解不重复评价，取较大者"))
    elif compensation:
        wanted.append((compensation, ""))
    elif c.reconciliation:
        wanted.append(("reconciliation", ""))
    if c.good_custody_behaviour:
        wanted.append(("good_custody_behaviour", ""))
    if c.recidivism:
        wanted.append(("recidivism", ""))
        if c.prior_record:
            warnings.append("累犯已评价前科，前科不再重复增加刑罚")
    elif c.prior_record:
        wanted.append(("prior_record", ""))
    if c.vulnerable_victim:
        wanted.append(("vulnerable_victim", ""))
    if c.disaster_period:
        wanted.append(("disaster_period", ""))

    may_factor = 1.0
    if facts.exclusion:
        may_factor *= general.exclusion_factor
    if crime.strict_leniency:
        may_factor *= general.strict_factor
    out = []
    for cid, note in wanted:
        rule = rules[cid]
        if not note and cid != "restitution" and (may_factor == 1.0 or rule.obligation != "may" or rule.point >= 0):
            applied = rule.default_applied
            if applied is None:
                applied = rule.default_applied = Applied(
                    cid, rule.label, rule.tier, rule.point, rule.rule_id, rule.citation, rule.ground, rule.obligation,
                    rule.plea_overlap, "",
                )  # fmt: skip
            out.append(applied)
            continue
        ratio = rule.point
        rule_id, citation, label = rule.rule_id, rule.citation, rule.label
        if cid == "restitution":
            if restitution_override is not None:
                ratio, rule_id, citation = (
                    restitution_override.ratio,
                    restitution_override.rule_id,
                    restitution_override.citation,
                )
                label = restitution_override.label
            if c.restitution_ratio is not None:
                ratio *= c.restitution_ratio
                note = f"退赃退赔比例{c.restitution_ratio:.0%}"
        if ratio < 0 and rule.obligation == "may" and may_factor != 1.0:
            ratio *= may_factor
            note = (note + "；" if note else "") + "从严掌握从宽幅度"
        out.append(
            Applied(
                cid, label, rule.tier, ratio, rule_id, citation, rule.ground, rule.obligation, rule.plea_overlap, note
            )
        )
    for adj in crime.adjustments:
        if adj.when(values):
            ratio = adj.ratio
            note = ""
            if adj.per_situation is not None:
                count = len(adj.per_situation & values["situations"])
                ratio *= count
                note = f"{count}项"
            if ratio < 0 and may_factor != 1.0:
                ratio *= may_factor
                note = (note + "；" if note else "") + "从严掌握从宽幅度"
            out.append(
                Applied(adj.id, adj.label, "other", ratio, adj.rule_id, adj.citation, "none", "may", False, note)
            )
    return out


# ---------------------------------------------------------------------------------------------- one charge
def sentence_charge(
    index: int,
    facts: Facts,
    cf: ChargeFacts,
    crime: CompiledCrime,
    general: CompiledGeneral,
    regions_label: str,
    warnings: list[str],
    type_preference: Mapping[str, float] | None = None,
) -> ChargeOutcome:
    trace: list[TraceStep] = []
    charge = crime.charge
    values = fact_values(cf, general, crime)
    tier: Tier | None = None
    for candidate in crime.tiers:
        if candidate.when(values):
            tier = candidate
            break
    if tier is None:
        raise _missing_error(index, cf, crime, facts.province)
    bracket = tier.bracket
    for when, text in crime.notices:
        if when(values):
            warnings.append(f"{charge}：{text}")

    # 1. starting point
    start = tier.sp_low + tier.position * (tier.sp_high - tier.sp_low)
    if not tier.sp_text:
        # Fixed per compiled tier: formatted once, reused by every recommendation.
        # A one-point range (e.g. 毒品数量大: 十五年) has no range to choose within.
        span = (
            f"在{fmt_months(tier.sp_low)}至{fmt_months(tier.sp_high)}幅度内"
            if tier.sp_high > tier.sp_low
            else "依指导意见"
        )
        tier.sp_text = f"{charge}：{tier.label}，{span}确定量刑起点为"
    trace.append(
        _step(
            tier.sp_rule,
            tier.sp_citation,
            {"情形": tier.label, "起点幅度": [tier.sp_low, tier.sp_high], "位置": tier.position},
            start,
            tier.sp_text
            + fmt_months(start)
            + ("（指导意见以外罪名，按法定刑幅度）" if not crime.guideline else "")
            + (f"（{regions_label}）" if regions_label else ""),
        )
    )

    # 2. baseline
    baseline = start
    for inc in tier.increments:
        if inc.when is not None and not inc.when(values):
            continue
        excess = values[inc.by] - inc.start
        if excess <= 0 or inc.per <= 0 or inc.months <= 0:
            continue
        added = excess / inc.per * inc.months
        baseline += added
        if not inc.rate_text:
            inc.rate_text = f"（每{inc.per:g}增加{inc.months:g}个月），增加刑罚量"
        trace.append(
            _step(
                inc.rule_id,
                inc.citation,
                {"事实": inc.label, "超出部分": excess, "计算单位": inc.per, "每单位月数": inc.months},
                added,
                f"{inc.label}：{excess:g}{inc.rate_text}{fmt_months(added)}",
            )
        )
    trace.append(
        _step(
            crime.baseline_rule,
            crime.baseline_citation,
            {"量刑起点": start},
            baseline,
            f"在量刑起点基础上增加刑罚量，确定基准刑为{fmt_months(baseline)}",
        )
    )

    # 3. circumstances
    applied = applied_circumstances(facts, general, crime, values, warnings)
    grounds = {a.ground for a in applied}
    first = 1.0
    for a in applied:
        if a.tier == "first":
            first *= 1.0 + a.ratio
            trace.append(
                _step(
                    a.rule_id,
                    a.citation,
                    {"情节": a.label, "比例": a.ratio},
                    baseline * first,
                    f"{a.label}{'（' + a.note + '）' if a.note else ''}，先行调节基准刑{fmt_ratio(a.ratio)}（连乘）",
                )
            )
    adjusted_base = baseline * first
    if first != 1.0:
        trace.append(
            _step(
                "general.method.first_tier",
                "法发〔2021〕21号 二(二)2",
                {"基准刑": baseline, "系数": first},
                adjusted_base,
                f"先适用未成年、未遂、从犯等情节调节后为{fmt_months(adjusted_base)}，再在此基础上适用其他情节",
            )
        )
    others = 0.0
    overlap = 0.0
    overlap_ids: set[str] = set()
    for a in applied:
        if a.tier == "first":
            continue
        ratio = a.ratio
        if a.id == "recidivism" and adjusted_base > 0:
            ratio = max(ratio, general.recidivism_min / adjusted_base)
        if a.plea_overlap and facts.plea:
            overlap += ratio
            overlap_ids.add(a.id)
            verb = "纳入认罪认罚综合评价"
        else:
            others += ratio
            verb = "同向相加、逆向相减"
        trace.append(
            _step(
                a.rule_id,
                a.citation,
                {"情节": a.label, "比例": ratio},
                ratio,
                f"{a.label}{'（' + a.note + '）' if a.note else ''}，调节比例{fmt_ratio(ratio)}（{verb}）",
            )
        )
    plea_reduction = 0.0
    if facts.plea and facts.plea_stage is not PleaStage.none:
        stage = facts.plea_stage.value
        stage_ratio = general.stage_ratio[stage]
        if facts.exclusion:
            stage_ratio *= general.exclusion_factor
        if crime.strict_leniency:
            stage_ratio *= general.strict_factor
        with_cap = bool(overlap_ids & general.raises_cap)
        cap = general.plea_cap_with if with_cap else general.plea_cap
        combined = max(-cap, overlap - stage_ratio)
        # The plea never makes the result heavier than the overlapping circumstances alone would.
        plea_reduction = min(overlap, combined)
        others += plea_reduction
        trace.append(
            _step(
                f"general.plea.stage.{stage}",
                general.stage_citation[stage],
                {"阶段": STAGE_LABELS[stage], "阶段比例": stage_ratio},
                stage_ratio,
                f"{STAGE_LABELS[stage]}认罪认罚，按阶段确定从宽比例{fmt_ratio(-stage_ratio)}（早认罪优于晚认罪）",
            )
        )
        trace.append(
            _step(
                "general.plea.cap_with_circumstances" if with_cap else "general.plea.cap",
                general.plea_cap_citation,
                {"重叠情节比例": overlap, "阶段比例": -stage_ratio, "上限": cap},
                plea_reduction,
                f"认罪认罚与自首、坦白、退赃退赔、赔偿谅解等不作重复评价，综合从宽{fmt_ratio(plea_reduction)}"
                f"（上限{cap:.0%}{'，因具有自首、重大坦白、退赃退赔、赔偿谅解或刑事和解' if with_cap else ''}）",
            )
        )
    factor = 1.0 + others
    if factor < general.min_factor:
        factor = general.min_factor
    adjusted = adjusted_base * factor
    trace.append(
        _step(
            "general.method.adjust",
            "法发〔2021〕21号 二(二)",
            {"先行调节结果": adjusted_base, "其他情节合计": others},
            adjusted,
            f"各情节调节后的结果为{fmt_months(adjusted)}",
        )
    )

    # 4. statutory clamps
    has_mitigation = bool(grounds & _MITIGATING_GROUNDS)
    floor = tier.lower_bracket_floor if has_mitigation else bracket.low
    ceiling = bracket.high
    pronounced = adjusted
    if facts.completion is Completion.abandonment and not facts.abandonment_caused_damage:
        pronounced = 0.0
        trace.append(
            _step(
                "general.statute.abandonment",
                "刑法第二十四条第二款",
                {},
                0,
                "中止犯没有造成损害的，应当免除处罚",
            )
        )
    elif adjusted < bracket.low:
        if has_mitigation:
            pronounced = max(adjusted, floor)
            explanation = (
                f"调节结果低于法定最低刑{fmt_months(bracket.low)}，具有法定减轻处罚情节，在法定最低刑以下确定"
                + (f"（不低于下一量刑幅度的下限{fmt_months(floor)}）" if floor else "")
            )
            rule = "general.statute.mitigated"
            citation = "法发〔2021〕21号 二(三)2；刑法第六十三条第一款"
        else:
            pronounced = float(bracket.low)
            explanation = f"调节结果低于法定最低刑，只有从轻处罚情节，依法确定法定最低刑{fmt_months(bracket.low)}"
            rule = "general.statute.lighter"
            citation = "法发〔2021〕21号 二(三)2"
        trace.append(_step(rule, citation, {"法定刑": bracket.label}, pronounced, explanation))
    elif adjusted > ceiling:
        pronounced = float(ceiling)
        trace.append(
            _step(
                "general.statute.ceiling",
                f"法发〔2021〕21号 二(三)3；{bracket.citation}",
                {"法定刑": bracket.label},
                ceiling,
                f"调节结果高于法定最高刑，依法确定法定最高刑{fmt_months(ceiling)}",
            )
        )
        if bracket.life_possible:
            warnings.append(f"{charge}：调节结果超过有期徒刑上限，可能依法应当判处无期徒刑以上刑罚，需人工审查")
    if "mitigate_mandatory" in grounds and bracket.low > 0 and pronounced > bracket.low - 1.0:
        pronounced = max(float(floor), bracket.low - 1.0)
        trace.append(
            _step(
                "general.statute.mandatory_mitigation",
                "法发〔2021〕21号 二(三)1",
                {"法定最低刑": bracket.low},
                pronounced,
                "具有应当减轻处罚情节，依法在法定最低刑以下确定宣告刑",
            )
        )
    if bracket.low == bracket.high and not has_mitigation:
        pronounced = float(bracket.low)

    # 5. sentence type and point
    exempt = pronounced <= 0 or ("exempt" in grounds and pronounced < general.exempt_max)
    terms = general.terms
    sentence_type: str
    months: int
    heavier = _heavier_penalty(bracket, values, facts, has_mitigation, others)
    if heavier is not None and not exempt:
        sentence_type, months = heavier.type, 0
        fact_label = FACT_FIELDS[heavier.fact][0]
        reached = values.get(heavier.fact) or 0
        trace.append(
            _step(
                heavier.id,
                heavier.citation,
                {"法定刑": bracket.label, fact_label: reached, f"{fact_label}门槛": heavier.threshold},
                heavier.type,
                f"{charge}：{heavier.label}（{_fact_text(heavier.fact, reached)}，"
                f"达到门槛{_fact_text(heavier.fact, heavier.threshold)}）；"
                f"犯罪既遂，无减轻处罚情节，"
                + (
                    "各情节调节后没有从宽"
                    if others >= 0
                    else f"其余情节合计从宽{-others:.0%}，未超过{heavier.leniency_max:.0%}"
                )
                + f"，建议判处{TYPE_LABELS[heavier.type]}",
            )
        )
        explanation = f"建议判处{TYPE_LABELS[heavier.type]}"
        warnings.append(f"{charge}：建议判处{TYPE_LABELS[heavier.type]}，须由检察官人工审查全案事实后决定")
    elif exempt:
        sentence_type, months = "exempt", 0
        explanation = (
            "具有可以免除处罚的情节且犯罪较轻，建议免予刑事处罚" if pronounced > 0 else "依法免除处罚，建议免予刑事处罚"
        )
    else:
        months = _round(pronounced)
        types = bracket.types
        if months < terms["detention.min"] and bracket.fine in ("sole", "mandatory_or_sole"):
            sentence_type, months = "fine_only", 0
            explanation = "刑罚量不足一个月，法定刑可以单处罚金，建议单处罚金"
        elif "detention" in types and (months < terms["fixed_term.min"] or "fixed_term" not in types):
            months = int(min(max(months, terms["detention.min"]), terms["detention.max"]))
            sentence_type = "detention"
            explanation = f"建议判处拘役{fmt_months(months)}"
        elif "fixed_term" in types:
            months = int(min(max(months, terms["fixed_term.min"]), terms["fixed_term.max"], ceiling))
            sentence_type = "fixed_term"
            explanation = f"建议判处有期徒刑{fmt_months(months)}"
        else:
            months = int(min(max(months, terms["control.min"]), terms["control.max"]))
            sentence_type = "control"
            explanation = f"建议判处管制{fmt_months(months)}"
    trace.append(
        _step(
            "general.sentence.type",
            "法发〔2021〕21号 二(三)5；刑法第三十三条、第四十二条、第四十五条",
            {"宣告刑（月）": pronounced, "法定刑": bracket.label},
            {"type": sentence_type, "months": months},
            f"{charge}：{explanation}",
        )
    )
    if type_preference and sentence_type in TERM_TYPES:
        chosen = choose_type(charge, bracket, facts, pronounced, sentence_type, months, general, type_preference)
        if chosen is not None:
            sentence_type, months, step = chosen
            trace.append(step)

    # 6. range
    low_high = range_for(sentence_type, months, general, floor if has_mitigation else bracket.low, ceiling)
    if sentence_type in ("fixed_term", "detention", "control"):
        trace.append(
            _step(
                "general.width",
                general.width_citation,
                {"确定刑": months},
                list(low_high),
                f"幅度刑量刑建议为{TYPE_LABELS[sentence_type]}{fmt_months(low_high[0])}至{fmt_months(low_high[1])}",
            )
        )

    # 7. probation eligibility of this charge
    probation_ok, reason = probation_check(facts, crime, values, general, sentence_type, months)

    # 8. fine or 没收财产 (刑法第五十九条), as the bracket's statute words it
    confiscation, step = confiscation_for(charge, bracket, sentence_type, general)
    if step is not None:
        trace.append(step)
    fine = None if confiscation else fine_for(crime, bracket, cf, sentence_type, months, pronounced)
    if fine is not None:
        trace.append(
            _step(
                crime.fine_rule,
                str(crime.fine.get("reference") or bracket.citation),
                {"刑期（月）": months, "数额": cf.amount},
                fine,
                f"{charge}：建议并处罚金{fine}元"
                if sentence_type != "fine_only"
                else f"{charge}：建议单处罚金{fine}元",
            )
        )

    sentence = _new_sentence(
        type=sentence_type,
        months=months,
        range=low_high,
        probation=False,
        probation_months=None,
        fine=fine,
        confiscation=confiscation,
    )
    result = _new_charge_result(
        charge=charge,
        outside_guideline=not crime.guideline,
        starting_point=start,
        baseline=baseline,
        adjusted=adjusted,
        statutory_range=(bracket.low, bracket.high),
        sentence=sentence,
    )
    return ChargeOutcome(result, sentence, pronounced, probation_ok, reason, crime, floor, ceiling, trace)


def _fact_text(fact: str, value: float) -> str:
    """A fact value as the trace shows it (伤残 by grade, amounts without exponent notation)."""
    if fact == "disability_severity":
        return f"伤残等级{11 - value:.0f}级"
    number = f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{FACT_FIELDS[fact][0]}{number}{_FACT_UNITS.get(fact, '')}"


def _heavier_penalty(
    bracket: Any, values: dict[str, Any], facts: Facts, has_mitigation: bool, others: float
) -> HeavierPenalty | None:
    """Life or death only on the bracket's own cited, calibrated threshold: never for an uncompleted crime or with a
    statutory mitigating ground, and only while the other circumstances' net leniency stays within the penalty's
    calibrated `leniency_max` (0 by default: any leniency excludes it)."""
    if not bracket.heavier or has_mitigation or facts.completion is not Completion.completed:
        return None
    # The graver penalty is tried first so that a case meeting both thresholds gets the one its facts reach.
    for penalty in sorted(bracket.heavier, key=lambda h: h.type != "death"):
        if others < -penalty.leniency_max - 1e-9:
            continue
        if (values.get(penalty.fact) or 0) >= penalty.threshold and (penalty.when is None or penalty.when(values)):
            return penalty
    return None


def choose_type(
    charge: str,
    bracket: Any,
    facts: Facts,
    pronounced: float,
    sentence_type: str,
    months: int,
    general: CompiledGeneral,
    preference: Mapping[str, float],
) -> tuple[str, int, TraceStep] | None:
    """Among the sentence types the law allows for this term, the one courts chose most often in similar cases.

    法发〔2021〕21号 二(三)5: where the whole case calls for 拘役、管制、单处附加刑 or 免予刑事处罚, they apply. Only
    types the bracket itself provides are candidates (单处罚金 only where the statute says 或者单处罚金 / 或者罚金;
    免予刑事处罚 only for 犯罪情节轻微 under 刑法第三十七条; 拘役 only up to six months, 刑法第四十二条; 管制 only
    from three months to two years, 第三十八条), and the light types only for a light term (limits in general.yaml)
    and never for a 累犯. ``preference`` gives each type's share among similar judgments; the engine's own type is
    kept unless a lawful alternative is strictly more frequent.
    """
    recidivist = facts.circumstances.recidivism
    terms, limit, cite = general.terms, general.type_choice_max, general.type_choice_citation
    candidates: dict[str, tuple[int, str]] = {}
    if not recidivist and pronounced <= limit["exempt"]:
        candidates["exempt"] = (0, cite["exempt"])
    if not recidivist and bracket.fine in ("sole", "mandatory_or_sole") and pronounced <= limit["fine_only"]:
        candidates["fine_only"] = (0, f"{cite['fine_only']}；{bracket.citation}")
    if sentence_type != "detention" and "detention" in bracket.types and months <= terms["detention.max"]:
        candidates["detention"] = (max(months, int(terms["detention.min"])), general.terms_citation["detention.max"])
    if sentence_type != "control" and "control" in bracket.types and not recidivist and months <= limit["control"]:
        candidates["control"] = (int(min(max(months, terms["control.min"]), terms["control.max"])), cite["control"])
    own = float(preference.get(sentence_type, 0.0))
    best, best_share = None, own
    for kind in candidates:
        share = float(preference.get(kind, 0.0))
        if share > best_share:
            best, best_share = kind, share
    if best is None:
        return None
    new_months, citation = candidates[best]
    lawful = "、".join(TYPE_LABELS[k] for k in (sentence_type, *candidates))
    point = f"{TYPE_LABELS[best]}{fmt_months(new_months)}" if best in TERM_TYPES else TYPE_LABELS[best]
    parts = ["法发〔2021〕21号 二(三)5", *(part.strip() for part in citation.split("；"))]
    step = _step(
        "general.sentence.type_choice",
        "；".join(dict.fromkeys(parts)),
        {"法定刑": bracket.label, "宣告刑（月）": pronounced, "同类判决刑种比例": dict(preference)},
        {"type": best, "months": new_months},
        f"{charge}：本案刑罚量依法可判处{lawful}；同类判决中判处{TYPE_LABELS[best]}的占{best_share:.0%}，"
        f"高于{TYPE_LABELS[sentence_type]}的{own:.0%}，在法定刑种内建议判处{point}",
    )
    return best, new_months, step


def range_for(
    sentence_type: str, months: int, general: CompiledGeneral, floor: float, ceiling: float
) -> tuple[int, int]:
    """A range around the point whose width keeps to the procuratorate's width rules."""
    if sentence_type not in ("fixed_term", "detention", "control"):
        return (0, 0)
    under_1y, one_to_3, three_to_10, over_10 = general.widths
    width = under_1y if months < 12 else one_to_3 if months < 36 else three_to_10 if months < 120 else over_10
    width = int(width)
    terms = general.terms
    type_min = int(terms[f"{sentence_type}.min"])
    type_max = (
        int(min(terms[f"{sentence_type}.max"], ceiling)) if sentence_type != "control" else int(terms["control.max"])
    )
    lowest = max(type_min, int(math.ceil(floor)))
    lowest = min(lowest, months)
    highest = max(type_max, months)
    low = months - int(round(general.width_point_share * width))
    high = low + width
    if low < lowest:
        high += lowest - low
        low = lowest
    if high > highest:
        low -= high - highest
        high = highest
        low = max(low, lowest)
    return (int(min(low, months)), int(max(high, months)))


def probation_check(
    facts: Facts,
    crime: CompiledCrime,
    values: dict[str, Any],
    general: CompiledGeneral,
    sentence_type: str,
    months: int,
) -> tuple[bool, str]:
    c = facts.circumstances
    if sentence_type not in ("fixed_term", "detention"):
        return False, "非拘役或有期徒刑"
    if months > general.probation["max_months"]:
        return False, "刑期超过三年"
    if c.recidivism:
        return False, "累犯不适用缓刑（刑法第七十四条）"
    if facts.ringleader:
        return False, "犯罪集团的首要分子不适用缓刑（刑法第七十四条）"
    for exclusion in crime.probation_exclusions:
        if exclusion.when(values):
            return False, f"{exclusion.label}，一般不适用缓刑（{exclusion.citation}）"
    if facts.exclusion:
        return False, "犯罪性质恶劣或后果特别严重，不宜宣告缓刑"
    remorse = facts.plea or c.surrender or c.confession is not ConfessionKind.none or c.in_court_admission
    if not remorse:
        return False, "缺少认罪认罚、自首、坦白或当庭认罪等悔罪表现"
    age = facts.age_at_offence
    mandatory = general.mandatory_probation
    protected = age is not None and (age < mandatory.get("age_below", 18) or age >= mandatory.get("age_from", 75))
    if not protected:
        strict = crime.probation_strict or (
            crime.probation_strict_when is not None and crime.probation_strict_when(values)
        )
        if strict and months > general.probation["strict_max_months"]:
            return False, f"从严把握缓刑的适用（{crime.probation_citation}）"
        if c.prior_record:
            return False, "有前科，难以认定没有再犯罪的危险"
    return True, "符合刑法第七十二条规定的缓刑条件" + ("，应当宣告缓刑" if protected else "")


def probation_term(sentence_type: str, months: int, general: CompiledGeneral) -> int:
    p = general.probation
    key = "detention" if sentence_type == "detention" else "fixed_term"
    term = _round(months * p["test.factor"])
    return int(min(max(term, months, p[f"test.{key}.min"]), p[f"test.{key}.max"]))


def fine_for(
    crime: CompiledCrime, bracket: Any, cf: ChargeFacts, sentence_type: str, months: int, pronounced: float
) -> int | None:
    rule = crime.fine
    kind = rule.get("kind", "none")
    applies = bracket.fine in ("mandatory", "mandatory_or_sole") or sentence_type == "fine_only"
    if kind == "none" or not applies or sentence_type == "exempt":
        return None
    term = max(pronounced, 1.0) if sentence_type == "fine_only" else months
    if kind == "amount_multiple" and cf.amount:
        fine = cf.amount * rule["ratio"]
        fine = min(max(fine, rule["min"]), max(cf.amount * rule["max_multiple"], rule["min"]))
    elif kind == "amount_multiple":
        fine = rule["base"] + rule["per_month"] * term if "base" in rule else rule["min"] + rule["per_month"] * term
        fine = min(max(fine, rule["min"]), rule["no_amount_max"])
    else:
        fine = rule.get("base", 0.0) + rule["per_month"] * term
        fine = max(fine, rule.get("min", 0))
        if "max" in rule:
            fine = min(fine, rule["max"])
    if bracket.fine_min is not None:
        fine = max(fine, bracket.fine_min)
    if bracket.fine_max is not None:
        fine = min(fine, bracket.fine_max)
    return int(max(1000, _round(fine / 1000.0) * 1000))


def confiscation_for(
    charge: str, bracket: Any, sentence_type: str, general: CompiledGeneral
) -> tuple[str | None, TraceStep | None]:
    """没收财产 ("all" or "part") where the bracket's statute imposes it, or where it lets the court choose it instead
    of a fine and general.yaml `property_penalty.choice` recommends it for this sentence type; with its trace step.

    免予刑事处罚 carries no penalty at all, and a bracket that only *may* add a property penalty (可以并处) gets none,
    as the engine recommends no optional fine either.
    """
    kind = bracket.confiscation
    if kind == "none" or sentence_type == "exempt" or (kind == "alternative" and bracket.fine == "optional"):
        return None, None
    type_label = TYPE_LABELS[sentence_type]
    choice_label, choice_citation = general.confiscation_choice
    if kind == "alternative" and sentence_type not in general.confiscation_with:
        step = _step(
            "general.property_penalty.choice",
            f"{bracket.citation}；{choice_citation}",
            {"法定刑": bracket.label, "刑种": type_label},
            "fine",
            f"{charge}：法定刑为“{bracket.label}”，罚金与没收财产择一判处；建议判处{type_label}，依规则（{choice_label}）"
            "建议并处罚金",
        )
        return None, step
    extent = "all" if sentence_type in general.confiscation_all_with else "part"
    extent_label, extent_citation = general.confiscation_extent
    if kind == "mandatory":
        rule_id, citation = "general.property_penalty.mandatory", f"{bracket.citation}；{extent_citation}"
        why = f"法定刑为“{bracket.label}”，应当并处没收财产，不判处罚金"
    else:
        rule_id = "general.property_penalty.choice"
        citation = f"{bracket.citation}；{choice_citation}；{extent_citation}"
        why = f"法定刑为“{bracket.label}”，罚金与没收财产择一判处；依规则（{choice_label}）建议并处没收财产，不判处罚金"
    part_note = "；没收部分财产的数额由法院根据犯罪情节和财产状况确定" if extent == "part" else ""
    all_note = "；应当对犯罪分子个人及其扶养的家属保留必需的生活费用" if extent == "all" else ""
    step = _step(
        rule_id,
        citation,
        {"法定刑": bracket.label, "刑种": type_label},
        extent,
        f"{charge}：{why}；建议判处{type_label}，依规则（{extent_label}）建议并处{CONFISCATION_LABELS[extent]}"
        f"{all_note}{part_note}（刑法第五十九条）",
    )
    return extent, step


# ---------------------------------------------------------------------------------------------- several charges
def _combine_accessories(
    outcomes: list[ChargeOutcome], general: CompiledGeneral, trace: list[TraceStep]
) -> tuple[int | None, str | None]:
    """刑法第六十九条第三款: accessory penalties are still executed; the same kind merged, different kinds each."""
    fines = [o.sentence.fine for o in outcomes if o.sentence.fine]
    fine = sum(fines) if fines else None
    kept = [o.sentence.confiscation for o in outcomes if o.sentence.confiscation]
    # Confiscating all property leaves nothing for a partial confiscation to add: 全部 absorbs 部分.
    confiscation = "all" if "all" in kept else ("part" if kept else None)
    if kept:
        label, citation = general.accessory_combined
        parts = []
        if fine:
            parts.append(f"罚金合并执行{fine}元" if len(fines) > 1 else f"罚金{fine}元")
        if len(kept) > 1:
            merged = "没收财产合并执行，" + CONFISCATION_LABELS[confiscation]
            if "all" in kept and "part" in kept:
                merged += "（没收全部财产已包含没收部分财产）"
            parts.append(merged)
        else:
            parts.append(CONFISCATION_LABELS[confiscation])
        trace.append(
            _step(
                "general.combined.accessory",
                citation,
                {
                    "各罪罚金（元）": [o.sentence.fine for o in outcomes],
                    "各罪没收财产": [o.sentence.confiscation for o in outcomes],
                },
                {"fine": fine, "confiscation": confiscation},
                f"数罪并罚：{label}；" + "；".join(parts) + ("；罚金与没收财产种类不同，分别执行" if fine else ""),
            )
        )
    return fine, confiscation


def combine(outcomes: list[ChargeOutcome], general: CompiledGeneral, trace: list[TraceStep]) -> Sentence:
    if len(outcomes) == 1:
        return outcomes[0].sentence
    comb = general.combined
    by_type: dict[str, list[int]] = {}
    for o in outcomes:
        by_type.setdefault(o.sentence.type, []).append(o.sentence.months)
    fine, confiscation = _combine_accessories(outcomes, general, trace)

    def combined(kind: str, months: int, low_high: tuple[int, int]) -> Sentence:
        return _new_sentence(
            type=kind,
            months=months,
            range=low_high,
            probation=False,
            probation_months=None,
            fine=fine,
            confiscation=confiscation,
        )

    for kind in ("death", "life"):
        if kind in by_type:
            # Death or life absorbs every other penalty: only the gravest one is executed.
            trace.append(
                _step(
                    "general.combined.absorption",
                    "刑法第六十九条第一款",
                    {"各罪刑种": [TYPE_LABELS[o.sentence.type] for o in outcomes]},
                    kind,
                    f"数罪并罚：数罪中有判处{TYPE_LABELS[kind]}的，只执行{TYPE_LABELS[kind]}"
                    + (f"，罚金合并执行{fine}元" if fine else ""),
                )
            )
            return combined(kind, 0, (0, 0))
    for kind, cap_key in (("fixed_term", None), ("detention", "detention.cap"), ("control", "control.cap")):
        terms = by_type.get(kind)
        if not terms:
            continue
        total = sum(terms)
        highest = max(terms)
        if len(terms) == 1:
            # Only one charge carries this penalty: its own point and range stand (the others add no term).
            own = next(o.sentence for o in outcomes if o.sentence.type == kind)
            notes = []
            if kind == "fixed_term" and by_type.get("detention"):
                notes.append("有期徒刑和拘役的，执行有期徒刑")
            if kind != "control" and by_type.get("control"):
                notes.append("管制在有期徒刑、拘役执行完毕后仍须执行")
            trace.append(
                _step(
                    "general.combined",
                    "刑法第六十九条",
                    {"各罪刑期": terms},
                    own.months,
                    f"数罪并罚：仅一罪判处{TYPE_LABELS[kind]}，执行{TYPE_LABELS[kind]}{fmt_months(own.months)}"
                    + (f"（{'；'.join(notes)}）" if notes else "")
                    + (f"，罚金合并执行{fine}元" if fine else ""),
                )
            )
            return combined(kind, own.months, own.range)
        if kind == "fixed_term":
            cap = comb["fixed_term.cap_high"] if total >= comb["fixed_term.high_sum"] else comb["fixed_term.cap"]
        else:
            cap = comb[cap_key]
        upper = max(min(total, cap), highest)
        months = _round(highest + comb["position"] * (upper - highest))
        low_high = range_for(kind, months, general, highest, upper)
        low_high = (max(low_high[0], highest), min(max(low_high[1], months), int(upper)))
        notes = []
        if kind == "fixed_term" and by_type.get("detention"):
            notes.append("有期徒刑和拘役的，执行有期徒刑")
        if kind != "control" and by_type.get("control"):
            notes.append("管制在有期徒刑、拘役执行完毕后仍须执行")
        trace.append(
            _step(
                "general.combined",
                "刑法第六十九条",
                {"各罪刑期": terms, "总和刑期": total, "上限": cap},
                months,
                f"数罪并罚：在总和刑期以下、数刑中最高刑期{fmt_months(highest)}以上酌情决定执行{TYPE_LABELS[kind]}{fmt_months(months)}"
                + (f"（{'；'.join(notes)}）" if notes else "")
                + (f"，罚金合并执行{fine}元" if fine else ""),
            )
        )
        return combined(kind, months, low_high)
    kind = "fine_only" if "fine_only" in by_type else "exempt"
    return combined(kind, 0, (0, 0))


# ---------------------------------------------------------------------------------------------- entry point
def _overrides_key(params: dict[str, float] | None) -> tuple[tuple[str, float], ...]:
    if not params:
        return ()
    book = load_rulebook()
    key = []
    for pid, value in params.items():
        parameter = book.parameters.get(pid)
        if parameter is None or not parameter.calibrated:
            raise ValueError(f"参数“{pid}”不是可校准参数（见 leniency.law.calibrated_parameters()）")
        value = float(value)
        if parameter.bounds and not (parameter.bounds[0] <= value <= parameter.bounds[1]):
            raise ValueError(f"参数“{pid}”的取值 {value:g} 超出范围 {parameter.bounds[0]:g}–{parameter.bounds[1]:g}")
        key.append((pid, value))
    return tuple(sorted(key))


def recommend(
    facts: Facts | dict[str, Any],
    params: dict[str, float] | None = None,
    type_preference: Mapping[str, float] | None = None,
) -> Recommendation:
    """The recommendation for one defendant; `params` overrides calibrated parameters by id.

    ``type_preference`` (sentence type → share among similar judgments, e.g. the empirical model's type
    probabilities) lets a single-charge defendant get another type the law allows for the same term (`choose_type`).
    """
    facts = parse_facts(facts)
    cache = rule_cache()
    book = cache.book
    okey = _overrides_key(params)
    day = facts.decision_date or dt.date.today()
    warnings: list[str] = []
    province, regions = cache.place(facts.province, facts.locality)
    if facts.province and province is None:
        raise FactsError(f"省份（province）：无法识别“{facts.province}”，请填写省级行政区名称或代码", field="province")
    general = cache.general(day, okey)
    if facts.age_at_offence is not None and facts.age_at_offence < 12:
        raise FactsError(
            "犯罪时年龄（age_at_offence）：不满十二周岁的人不负刑事责任（刑法第十七条）", field="age_at_offence"
        )
    if day < general.edition_effective:
        warnings.append(f"量刑日期早于{general.edition}施行日期，按最早版本规则计算")
    outcomes = []
    seen: dict[str, int] = {}
    for index, cf in enumerate(facts.charges):
        charge = book.canonical_charge(cf.charge)
        if charge is None:
            raise FactsError(
                f"罪名及事实 → 第{index + 1}项 → 罪名（charge）：未知罪名“{cf.charge}”，请使用 CAIL2018 规范罪名",
                field=f"charges.{index}.charge",
            )
        if charge in seen:
            # Combining them under 第六十九条 would punish one crime twice.
            raise FactsError(
                f"罪名及事实 → 第{index + 1}项 → 罪名（charge）：“{cf.charge}”与第{seen[charge] + 1}项是同一罪名"
                f"（{charge}），判决宣告前的同种数罪一般作为一罪处理、不数罪并罚，请合并为一项（数额累计计算、次数相加）",
                field=f"charges.{index}.charge",
            )
        seen[charge] = index
        if book.guideline_crime(charge, day) is not None:
            crime = cache.crime(charge, day, regions, okey)
        else:
            crime = cache.statutory(charge, cf.gravity.value, day, okey)
            warnings.append(
                f"{charge}不属于《关于常见犯罪的量刑指导意见（试行）》的23种常见犯罪，按法定刑幅度计算，仅供参考"
            )
        region_label = regions[0] if regions and crime.guideline else ""
        preference = type_preference if len(facts.charges) == 1 else None
        outcomes.append(sentence_charge(index, facts, cf, crime, general, region_label, warnings, preference))

    trace: list[TraceStep] = []
    for o in outcomes:
        trace.extend(o.trace)
    sentence = combine(outcomes, general, trace)
    if sentence.type in ("fixed_term", "detention"):
        reasons = [o.probation_reason for o in outcomes if not o.probation_ok]
        ok = not reasons and sentence.months <= general.probation["max_months"]
        if ok:
            term = probation_term(sentence.type, sentence.months, general)
            sentence = _new_sentence(**{**sentence.__dict__, "probation": True, "probation_months": term})
            trace.append(
                _step(
                    "general.probation",
                    "刑法第七十二条、第七十三条",
                    {"刑期（月）": sentence.months},
                    term,
                    f"符合缓刑条件（犯罪情节较轻、有悔罪表现、没有再犯罪的危险），建议宣告缓刑，考验期{fmt_months(term)}",
                )
            )
        else:
            reason = reasons[0] if reasons else "执行刑期超过三年"
            trace.append(
                _step("general.probation", "刑法第七十二条、第七十四条", {}, False, f"不建议适用缓刑：{reason}")
            )
    return _new_recommendation(
        sentence=sentence,
        charges=[o.result for o in outcomes],
        trace=trace,
        rule_edition=general.edition,
        outside_guideline=not all(o.crime.guideline for o in outcomes),
        warnings=warnings,
    )
