"""`leniency rules check`: validate every rule data file (schema, dates, references, ordered ranges)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from leniency.law.loader import DATA_DIR, RuleDataError, _read_yaml, read_rulebook
from leniency.law.parameters import UNITS

BRACKET_TYPES = {"fixed_term", "detention", "control"}
FINE_KINDS = {"none", "optional", "mandatory", "mandatory_or_sole", "sole"}
TIERS = {"first", "other"}
OBLIGATIONS = {"shall", "may"}
GROUNDS = {"none", "lighter", "mitigate", "mitigate_mandatory", "exempt"}
GRAVITIES = {"lesser", "ordinary", "serious", "especially_serious"}
NON_NEGATIVE_UNITS = {"months", "yuan", "grams", "count", "hours", "mg_per_100ml"}
# The provenance block `leniency calibrate` writes (see leniency/law/writer.py).
CALIBRATION_KEYS = ("previous", "n", "error", "default_error", "date", "source", "method")
CALIBRATION_PROVINCE_KEYS = ("n", "error", "default_error")


@dataclass
class CheckReport:
    files: int = 0
    parameters: int = 0
    calibrated: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # ids of general.yaml `calibration_methods`, which every calibration block's `method` must name
    methods: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return not self.errors


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_value(where: str, unit: str, value: Any, errors: list[str]) -> None:
    if unit.endswith("_range"):
        if not (isinstance(value, list) and len(value) == 2 and all(_is_number(v) for v in value)):
            errors.append(f"{where}：幅度应为两个数字 [下限, 上限]，实际为 {value!r}")
        elif value[0] > value[1]:
            errors.append(f"{where}：幅度下限 {value[0]} 大于上限 {value[1]}")
    elif not _is_number(value):
        errors.append(f"{where}：取值应为数字，实际为 {value!r}")
    elif unit in NON_NEGATIVE_UNITS and value < 0:
        errors.append(f"{where}：取值不能为负数（{value}）")


def _check_dates(where: str, mapping: Any, unit: str, errors: list[str]) -> list[Any]:
    if not isinstance(mapping, dict) or not mapping:
        errors.append(f"{where}：values 应为“生效日期: 取值”的映射且不能为空")
        return []
    out = []
    for key, value in mapping.items():
        if not isinstance(key, dt.date):
            try:
                dt.date.fromisoformat(str(key))
            except ValueError:
                errors.append(f"{where}：生效日期“{key}”不是有效日期（格式 YYYY-MM-DD）")
                continue
        _check_value(f"{where} @ {key}", unit, value, errors)
        out.append(value)
    return out


def check_parameter(file: str, pid: str, spec: Any, report: CheckReport) -> None:
    where = f"{file}：参数 {pid}"
    errors = report.errors
    if not isinstance(spec, dict):
        errors.append(f"{where}：应为映射")
        return
    report.parameters += 1
    for key in ("label", "unit", "values", "reference"):
        if not spec.get(key):
            errors.append(f"{where}：缺少 {key}" + ("（出处为必填项）" if key == "reference" else ""))
    unit = str(spec.get("unit", ""))
    if unit and unit not in UNITS:
        errors.append(f"{where}：未知单位“{unit}”（可用：{'、'.join(UNITS)}）")
    values = _check_dates(where, spec.get("values"), unit, errors) if spec.get("values") else []
    if spec.get("calibrated"):
        report.calibrated += 1
        bounds = spec.get("bounds")
        if not (isinstance(bounds, list) and len(bounds) == 2 and all(_is_number(b) for b in bounds)):
            errors.append(f"{where}：待校准参数必须给出 bounds [下限, 上限]")
        elif bounds[0] > bounds[1]:
            errors.append(f"{where}：bounds 下限大于上限")
        else:
            for value in values:
                if _is_number(value) and not bounds[0] <= value <= bounds[1]:
                    errors.append(f"{where}：默认值 {value} 不在 bounds {bounds} 内")
    if "calibration" in spec:
        check_calibration(where, spec, report)
    national = spec.get("national_range")
    if national is not None:
        if not (isinstance(national, list) and len(national) == 2 and national[0] <= national[1]):
            errors.append(f"{where}：national_range 应为有序的 [下限, 上限]")
            national = None
    for region, mapping in (spec.get("overlays") or {}).items():
        for value in _check_dates(f"{where}（{region}）", mapping, unit, errors):
            if national and _is_number(value) and not national[0] <= value <= national[1]:
                report.warnings.append(
                    f"{file}：参数 {pid} 的{region}标准 {value:g} 超出全国幅度 {national[0]:g}–{national[1]:g}，请核实"
                )


def _is_date(value: Any) -> bool:
    if isinstance(value, dt.date):
        return True
    try:
        dt.date.fromisoformat(str(value))
    except ValueError:
        return False
    return True


def _check_fit_record(where: str, record: Any, keys: tuple[str, ...], errors: list[str]) -> bool:
    if not isinstance(record, dict):
        errors.append(f"{where}：应为映射")
        return False
    missing = [key for key in keys if key not in record]
    if missing:
        errors.append(f"{where}：缺少 {'、'.join(missing)}")
    n = record.get("n")
    if "n" in record and not (isinstance(n, int) and not isinstance(n, bool) and n > 0):
        errors.append(f"{where}：n（拟合所用判决的被告人数）应为正整数，实际为 {n!r}")
    for key in ("error", "default_error"):
        if key in record and not (_is_number(record[key]) and record[key] >= 0):
            errors.append(f"{where}：{key}（平均绝对对数误差）应为非负数，实际为 {record[key]!r}")
    return True


def check_calibration(where: str, spec: dict[str, Any], report: CheckReport) -> None:
    """The provenance of fitted values: complete, dated, and every fitted or previous value inside the bounds."""
    errors = report.errors
    record = spec["calibration"]
    here = f"{where} 的 calibration（校准来源）"
    if not _check_fit_record(here, record, CALIBRATION_KEYS, errors):
        return
    unknown = sorted(set(record) - set(CALIBRATION_KEYS) - {"provinces"})
    if unknown:
        errors.append(f"{here}：未知字段 {unknown}")
    if not spec.get("calibrated"):
        errors.append(f"{here}：只有待校准参数（calibrated: true）可以写入拟合值")
    if "date" in record and not _is_date(record["date"]):
        errors.append(f"{here}：date“{record['date']}”不是有效日期（格式 YYYY-MM-DD）")
    if "source" in record and not (isinstance(record["source"], str) and record["source"].strip()):
        errors.append(f"{here}：source 不能为空")
    if "method" in record and record["method"] not in report.methods:
        errors.append(
            f"{here}：method“{record['method']}”未在 general.yaml 的 calibration_methods 中说明"
            f"（已有：{'、'.join(sorted(report.methods)) or '无'}）"
        )
    bounds = spec.get("bounds")
    has_bounds = isinstance(bounds, list) and len(bounds) == 2 and all(_is_number(b) for b in bounds)

    def inside(label: str, value: Any) -> None:
        if not _is_number(value):
            errors.append(f"{here}：{label}应为数字，实际为 {value!r}")
        elif has_bounds and not bounds[0] <= value <= bounds[1]:
            errors.append(f"{here}：{label} {value:g} 不在 bounds {bounds} 内")

    if "previous" in record:
        inside("校准前取值 previous", record["previous"])
    overlays = spec.get("overlays") or {}
    provinces = record.get("provinces") or {}
    if not isinstance(provinces, dict):
        errors.append(f"{here}：provinces 应为“省份: 拟合记录”的映射")
        return
    for region, entry in provinces.items():
        if not _check_fit_record(f"{here}（{region}）", entry, CALIBRATION_PROVINCE_KEYS, errors):
            continue
        unknown = sorted(set(entry) - set(CALIBRATION_PROVINCE_KEYS) - {"previous"})
        if unknown:
            errors.append(f"{here}（{region}）：未知字段 {unknown}")
        if region not in overlays:
            errors.append(f"{here}：{region}有拟合记录，但 overlays 中没有{region}的取值")
        elif isinstance(overlays[region], dict):
            for value in overlays[region].values():
                inside(f"{region}拟合值", value)
        if "previous" in entry:
            inside(f"{region}校准前取值 previous", entry["previous"])


def _check_brackets(
    file: str, brackets: Any, errors: list[str], params: dict[str, Any] | None = None
) -> dict[str, dict[str, Any]]:
    out = {}
    if not isinstance(brackets, list) or not brackets:
        errors.append(f"{file}：brackets（法定刑幅度）不能为空")
        return out
    for b in brackets:
        bid = b.get("id") if isinstance(b, dict) else None
        where = f"{file}：法定刑幅度 {bid}"
        if not bid:
            errors.append(f"{file}：法定刑幅度缺少 id")
            continue
        for key in ("label", "min", "max", "types", "reference"):
            if key not in b or b[key] in (None, "", []):
                errors.append(f"{where}：缺少 {key}")
        if _is_number(b.get("min")) and _is_number(b.get("max")) and b["min"] > b["max"]:
            errors.append(f"{where}：下限 {b['min']} 大于上限 {b['max']}")
        unknown = set(b.get("types") or []) - BRACKET_TYPES
        if unknown:
            errors.append(f"{where}：未知刑种 {sorted(unknown)}")
        if b.get("fine", "none") not in FINE_KINDS:
            errors.append(f"{where}：未知罚金方式“{b.get('fine')}”")
        check_confiscation(where, b, errors)
        if "gravity" in b and b["gravity"] not in GRAVITIES:
            errors.append(f"{where}：未知情节等级“{b['gravity']}”")
        if "heavier_penalties" in b:
            check_heavier(where, b, params, errors)
        out[str(bid)] = b
    return out


# 刑法分则 words 没收财产 as 并处没收财产 or (可以)并处(…)罚金或者没收财产.
_ALTERNATIVE = re.compile(r"罚金或者?没收财产")


def check_confiscation(where: str, bracket: dict[str, Any], errors: list[str]) -> None:
    """The bracket's `confiscation` key is known and matches its statutory text and its `fine` key."""
    from leniency.sentencing.compiled import CONFISCATION_KINDS

    kind = bracket.get("confiscation", "none")
    label = str(bracket.get("label", ""))
    fine = bracket.get("fine", "none")
    if kind not in CONFISCATION_KINDS:
        known = "、".join(f"{k}（{v}）" for k, v in CONFISCATION_KINDS.items() if v)
        errors.append(f"{where}：未知没收财产方式 confiscation“{kind}”（可用：{known}；法定刑没有没收财产的不写）")
    elif kind == "none" and "没收财产" in label:
        errors.append(
            f"{where}：法定刑“{label}”有没收财产，须标注 confiscation: "
            + ("alternative" if _ALTERNATIVE.search(label) else "mandatory")
        )
    elif kind == "mandatory":
        if "没收财产" not in label or _ALTERNATIVE.search(label):
            errors.append(f"{where}：confiscation: mandatory 须对应法定刑原文“并处没收财产”，而法定刑为“{label}”")
        if fine != "none":
            errors.append(f"{where}：法定刑只规定并处没收财产，不能判处罚金（fine 应为 none，而不是“{fine}”）")
    elif kind == "alternative":
        if not _ALTERNATIVE.search(label):
            errors.append(
                f"{where}：confiscation: alternative 须对应法定刑原文“并处罚金或者没收财产”，而法定刑为“{label}”"
            )
        if fine not in ("mandatory", "optional"):
            errors.append(
                f"{where}：“罚金或者没收财产”的法定刑，fine 应为 mandatory（并处）或 optional（可以并处），而不是“{fine}”"
            )


def check_property_penalty(file: str, raw: Any, errors: list[str]) -> None:
    """general.yaml `property_penalty`: the cited rules choosing 罚金 or 没收财产 and 全部 or 部分, with the sentence
    types they name; a rule no document states must say so (unverified: true and a note)."""
    from leniency.sentencing.compiled import PROPERTY_PENALTY_TYPES

    where = f"{file}：property_penalty（没收财产）"
    if not isinstance(raw, dict):
        errors.append(f"{where}：缺少或不是映射（须有 choice、extent、combined）")
        return
    for key, types_key in (("choice", "confiscation_with"), ("extent", "all_with"), ("combined", None)):
        rule = raw.get(key)
        here = f"{where} 的 {key}"
        if not isinstance(rule, dict):
            errors.append(f"{here}：缺少或不是映射")
            continue
        for required in ("label", "reference"):
            if not (isinstance(rule.get(required), str) and rule[required].strip()):
                errors.append(f"{here}：缺少 {required}" + ("（出处为必填项）" if required == "reference" else ""))
        if "unverified" in rule and not isinstance(rule["unverified"], bool):
            errors.append(f"{here}：unverified 应为 true 或 false")
        if rule.get("unverified") and not rule.get("note"):
            errors.append(f"{here}：未经核实的规则须在 note 中说明依据的缺失")
        if types_key is None:
            continue
        types = rule.get(types_key)
        if not isinstance(types, list):
            errors.append(f"{here}：{types_key} 应为刑种列表（可用：{'、'.join(PROPERTY_PENALTY_TYPES)}）")
            continue
        unknown = [t for t in types if t not in PROPERTY_PENALTY_TYPES]
        if unknown:
            errors.append(f"{here}：{types_key} 含未知刑种 {unknown}（可用：{'、'.join(PROPERTY_PENALTY_TYPES)}）")


def check_heavier(where: str, bracket: dict[str, Any], params: dict[str, Any] | None, errors: list[str]) -> None:
    """A bracket's life/death thresholds: known type the statute provides, a numeric engine fact, a cited threshold
    that is a positive number or a calibrated parameter of the crime (``params``; None for statutory.yaml, which has
    no parameters), and the life threshold not above the death threshold on the same fact."""
    from leniency.sentencing.compiled import (
        FACT_FIELDS,
        HEAVIER_OPTIONAL,
        HEAVIER_REQUIRED,
        HEAVIER_TYPES,
        NON_NUMERIC_FACTS,
    )

    entries = bracket.get("heavier_penalties")
    if not isinstance(entries, list) or not entries:
        errors.append(f"{where}：heavier_penalties 应为非空列表")
        return
    if not bracket.get("life_possible"):
        errors.append(f"{where}：有 heavier_penalties 的法定刑幅度须标注 life_possible: true")
    thresholds: dict[tuple[str, str], float] = {}
    seen: set[str] = set()
    for entry in entries:
        if not isinstance(entry, dict):
            errors.append(f"{where}：heavier_penalties 的每一项应为映射")
            continue
        here = f"{where} 的 heavier_penalties {entry.get('id')}"
        unknown = sorted(set(entry) - set(HEAVIER_REQUIRED) - set(HEAVIER_OPTIONAL))
        if unknown:
            errors.append(f"{here}：未知的键 {unknown}（门槛写作 fact 与 at_least）")
        missing = [key for key in HEAVIER_REQUIRED if entry.get(key) in (None, "")]
        if missing:
            errors.append(f"{here}：缺少 {'、'.join(missing)}")
        if entry.get("id") in seen:
            errors.append(f"{here}：id 重复")
        seen.add(str(entry.get("id")))
        kind = entry.get("type")
        if kind not in HEAVIER_TYPES:
            errors.append(f"{here}：type 只能是 life（无期徒刑）或 death（死刑），而不是“{kind}”")
        elif HEAVIER_TYPES[kind] not in str(bracket.get("label", "")):
            errors.append(f"{here}：法定刑幅度“{bracket.get('label')}”没有{HEAVIER_TYPES[kind]}")
        if entry.get("calibrated") is not True:
            errors.append(f"{here}：门槛不是法律明定的数值，必须标注 calibrated: true")
        fact = entry.get("fact")
        if fact is not None and (fact not in FACT_FIELDS or fact in NON_NUMERIC_FACTS):
            errors.append(
                f"{here}：fact “{fact}” 不是引擎的数值事实（可用：{'、'.join(sorted(set(FACT_FIELDS) - NON_NUMERIC_FACTS))}）"
            )
        limit = _heavier_value(here, "at_least", entry.get("at_least"), params, errors, units=None)
        _heavier_value(here, "leniency_max", entry.get("leniency_max", 0), params, errors, units={"ratio"})
        if limit is not None and kind in HEAVIER_TYPES and fact:
            thresholds[(str(fact), kind)] = limit
    for fact in {f for f, _ in thresholds}:
        life, death = thresholds.get((fact, "life")), thresholds.get((fact, "death"))
        if life is not None and death is not None and life > death:
            errors.append(f"{where}：{fact} 的无期徒刑门槛 {life:g} 高于死刑门槛 {death:g}")


def _heavier_value(
    here: str, key: str, value: Any, params: dict[str, Any] | None, errors: list[str], units: set[str] | None
) -> float | None:
    """The value in force of a heavier-penalty number (a literal or a parameter name), reporting what is wrong."""
    if value is None:
        return None
    if isinstance(value, str):
        if params is None:
            errors.append(f"{here}：{key} 引用参数“{value}”，但本文件没有参数，只能写数字")
            return None
        spec = params.get(value)
        if not isinstance(spec, dict):
            errors.append(f"{here}：{key} 引用的参数“{value}”不存在")
            return None
        if spec.get("calibrated") is not True or not spec.get("bounds"):
            errors.append(f"{here}：{key} 引用的参数“{value}”须标注 calibrated: true 并给出 bounds")
        if units is not None and spec.get("unit") not in units:
            errors.append(f"{here}：{key} 引用的参数“{value}”单位应为 {'/'.join(sorted(units))}")
        number = _latest(spec)
    elif _is_number(value):
        number = value
    else:
        errors.append(f"{here}：{key} 应为数字或参数名，而不是 {value!r}")
        return None
    if not _is_number(number):
        return None
    if key == "leniency_max" and not 0 <= number < 1:
        errors.append(f"{here}：leniency_max 是从宽比例，应在 0 与 1 之间（{number}）")
    elif key == "at_least" and number <= 0:
        errors.append(f"{here}：at_least 应为正数（{number}）")
    return float(number)


def _situations_in(spec: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key in ("situation", "situation_all", "per_situation"):
                found.update(value)
            else:
                found |= _situations_in(value)
    elif isinstance(spec, list):
        for item in spec:
            found |= _situations_in(item)
    return found


def check_crime(path: Path, raw: dict[str, Any], report: CheckReport) -> None:
    file = path.name
    errors = report.errors
    for key in ("id", "charge", "reference", "statute", "parameters", "brackets", "tiers"):
        if not raw.get(key):
            errors.append(f"{file}：缺少 {key}")
    if raw.get("effective") is not None and not _is_date(raw["effective"]):
        errors.append(f"{file}：effective（本罪规则的施行日期）“{raw['effective']}”不是有效日期（格式 YYYY-MM-DD）")
    params = raw.get("parameters") or {}
    for pid, spec in params.items():
        check_parameter(file, pid, spec, report)
    brackets = _check_brackets(file, raw.get("brackets"), errors, params if isinstance(params, dict) else {})
    for tier in raw.get("tiers") or []:
        tid = tier.get("id")
        where = f"{file}：量刑起点档 {tid}"
        for key in ("id", "label", "bracket", "when", "starting_point"):
            if key not in tier:
                errors.append(f"{where}：缺少 {key}")
        bracket = brackets.get(str(tier.get("bracket")))
        if tier.get("bracket") and bracket is None:
            errors.append(f"{where}：引用了不存在的法定刑幅度“{tier.get('bracket')}”")
        sp = params.get(str(tier.get("starting_point")))
        if sp is None:
            errors.append(f"{where}：量刑起点参数“{tier.get('starting_point')}”不存在")
        elif bracket is not None and isinstance(sp, dict):
            for day, value in (sp.get("values") or {}).items():
                if isinstance(value, list) and len(value) == 2 and all(_is_number(v) for v in value):
                    if (
                        value[0] < bracket.get("min", 0)
                        and bracket.get("min", 0) > 0
                        or value[1] > bracket.get("max", 0)
                    ):
                        errors.append(
                            f"{where}：起点幅度 {value}（{day}）超出法定刑幅度 {bracket.get('min')}–{bracket.get('max')} 月"
                        )
    try:
        from leniency.sentencing.facts import Situation
    except ImportError:  # pragma: no cover - the engine ships with the data
        return
    known = {s.value for s in Situation}
    unknown = _situations_in(raw) - known
    if unknown:
        errors.append(f"{file}：引用了未定义的具体情形 {sorted(unknown)}（见 leniency/sentencing/facts.py Situation）")


def check_general(path: Path, raw: dict[str, Any], report: CheckReport) -> None:
    file = path.name
    errors = report.errors
    params = raw.get("parameters") or {}
    check_methods(file, raw.get("calibration_methods"), report)
    for pid, spec in params.items():
        check_parameter(file, pid, spec, report)
    for c in raw.get("circumstances") or []:
        cid = c.get("id")
        where = f"{file}：量刑情节 {cid}"
        if c.get("tier") not in TIERS:
            errors.append(f"{where}：tier 应为 first 或 other")
        if c.get("obligation") not in OBLIGATIONS:
            errors.append(f"{where}：obligation 应为 shall（应当）或 may（可以）")
        if c.get("statutory_ground") not in GROUNDS:
            errors.append(f"{where}：statutory_ground 无效")
        rng = params.get(f"circumstance.{cid}.range")
        point = params.get(f"circumstance.{cid}.point")
        if rng is None or point is None:
            errors.append(f"{where}：缺少参数 circumstance.{cid}.range 或 circumstance.{cid}.point")
    for key in ("editions", "plea", "provinces"):
        if not raw.get(key):
            errors.append(f"{file}：缺少 {key}")
    check_orderings(file, raw.get("orderings") or [], params, errors)
    check_property_penalty(file, raw.get("property_penalty"), errors)


def check_methods(file: str, methods: Any, report: CheckReport) -> None:
    """`calibration_methods`: id → the text saying how the values were fitted (written once, named by each block)."""
    if methods is None:
        return
    if not isinstance(methods, dict):
        report.errors.append(f"{file}：calibration_methods 应为“方法编号: 说明”的映射")
        return
    for method_id, text in methods.items():
        if not (isinstance(text, str) and text.strip()):
            report.errors.append(f"{file}：calibration_methods 中 {method_id} 的说明不能为空")
        else:
            report.methods.add(str(method_id))


def _latest(spec: Any) -> Any:
    values = spec.get("values") if isinstance(spec, dict) else None
    if not isinstance(values, dict) or not values:
        return None
    return values[max(values, key=str)]


def check_orderings(file: str, orderings: Any, params: dict[str, Any], errors: list[str]) -> None:
    """Each ordering names general parameters whose values in force never decrease along its sequence."""
    if not isinstance(orderings, list):
        errors.append(f"{file}：orderings 应为列表")
        return
    for entry in orderings:
        where = f"{file}：顺序约束 {entry.get('id') if isinstance(entry, dict) else entry!r}"
        if not isinstance(entry, dict) or not entry.get("reference") or not entry.get("label"):
            errors.append(f"{where}：须有 id、label、reference 和 sequence")
            continue
        sequence = entry.get("sequence")
        if not isinstance(sequence, list) or len(sequence) < 2 or any(ref not in params for ref in sequence):
            errors.append(f"{where}：sequence 须列出至少两个存在的参数")
            continue
        values = [_latest(params[ref]) for ref in sequence]
        for (a, x), (b, y) in zip(zip(sequence, values), zip(sequence[1:], values[1:])):
            if _is_number(x) and _is_number(y) and x > y:
                errors.append(f"{where}：现行取值 {a} = {x} 大于 {b} = {y}，违反{entry['label']}")


def check_statutory(path: Path, raw: dict[str, Any], report: CheckReport) -> None:
    for entry in raw.get("crimes") or []:
        charge = entry.get("charge")
        if not charge or not entry.get("statute"):
            report.errors.append(f"{path.name}：罪名条目缺少 charge 或 statute")
            continue
        brackets = entry.get("brackets") or []
        _check_brackets(f"{path.name}：{charge}", brackets, report.errors)
        graded = [b for b in brackets if isinstance(b, dict) and b.get("gravity", "ordinary") != "lesser"]
        levels = [b.get("gravity", "ordinary") for b in graded]
        if len(set(levels)) != len(levels):
            report.errors.append(f"{path.name}：{charge} 的法定刑幅度情节等级重复：{levels}")
        rank = {"ordinary": 0, "serious": 1, "especially_serious": 2}
        lows = [b.get("min", 0) for b in sorted(graded, key=lambda b: rank.get(b.get("gravity", "ordinary"), 0))]
        if lows != sorted(lows):
            report.errors.append(f"{path.name}：{charge} 的法定刑幅度应随情节加重而升高（下限依次为 {lows}）")


def check_supersession(charges: dict[str, str], dated: dict[str, str], statutory: set[str], errors: list[str]) -> None:
    """A crime file that starts on an `effective` date needs the charge's statutory.yaml entry for the cases decided
    before it; a crime file in force from the start must not leave a second, never-used statutory entry."""
    for charge, file in sorted(charges.items()):
        if charge in dated and charge not in statutory:
            errors.append(
                f"{file}：{charge}的规则自 effective 日期起施行，此前的案件须按 statutory.yaml 的法定刑幅度计算，"
                "但 statutory.yaml 中没有该罪名"
            )
        elif charge not in dated and charge in statutory:
            errors.append(
                f"{file}：{charge}同时见于 statutory.yaml；两者并存时须在本文件写明 effective（本罪规则的施行日期）"
            )


def check_rules(data_dir: Path = DATA_DIR) -> CheckReport:
    """Validate every file, collecting all problems (one broken file does not hide the others)."""
    report = CheckReport()
    files: list[tuple[Path, str]] = [(data_dir / "general.yaml", "general")]
    files += [(p, "crime") for p in sorted((data_dir / "crimes").glob("*.yaml"))]
    if (data_dir / "statutory.yaml").exists():
        files.append((data_dir / "statutory.yaml", "statutory"))
    charges: dict[str, str] = {}
    dated: dict[str, str] = {}  # charge -> file of a crime whose rules start on an `effective` date
    statutory_charges: set[str] = set()
    for path, kind in files:
        report.files += 1
        try:
            raw = _read_yaml(path)
        except RuleDataError as exc:
            report.errors.append(str(exc))
            continue
        if kind == "general":
            check_general(path, raw, report)
        elif kind == "crime":
            check_crime(path, raw, report)
            charge = str(raw.get("charge"))
            if charge in charges:
                report.errors.append(f"{path.name}：罪名“{charge}”与 {charges[charge]} 重复")
            charges[charge] = path.name
            if raw.get("effective") is not None:
                dated[charge] = path.name
        else:
            check_statutory(path, raw, report)
            statutory_charges = {str(e.get("charge")) for e in raw.get("crimes") or [] if isinstance(e, dict)}
    check_supersession(charges, dated, statutory_charges, report.errors)
    if report.errors:
        return report
    # Finally compile every crime for every edition and region: catches references to missing parameters.
    try:
        book = read_rulebook(data_dir)
        for charge, entry in book.statutory.items():
            check_amount_standards(charge, entry, book, report.errors)
        if report.errors:
            return report
        from leniency.sentencing.compiled import RuleCache

        cache = RuleCache(book)
        days = sorted({d for p in book.parameters.values() for d in p.values.dates})
        for charge, rules in book.crimes.items():
            regions = sorted({r for p in rules.parameters.values() for r in p.overlays})
            for day in days:
                cache.crime(charge, day, (), ())
                cache.general(day, ())
            for region in regions:
                cache.crime(charge, days[-1], (region,), ())
        for charge in book.statutory:
            for gravity in GRAVITIES:
                cache.statutory(charge, gravity, days[-1], ())
    except (RuleDataError, ValueError, KeyError, TypeError) as exc:
        report.errors.append(f"规则数据无法编译：{exc}")
    return report


def check_amount_standards(charge: str, entry: dict[str, Any], book: Any, errors: list[str]) -> None:
    """A statutory bracket's `amount_at_least` names a general parameter in yuan, and a graver range needs a
    larger amount."""
    found: list[tuple[int, float, str]] = []
    for bracket in entry.get("brackets") or []:
        ref = bracket.get("amount_at_least")
        if ref is None:
            continue
        where = f"statutory.yaml：{charge} 幅度 {bracket.get('id')} 的 amount_at_least"
        parameter = book.parameters.get(f"general.{ref}")
        if parameter is None:
            errors.append(f"{where}：general.yaml 中没有参数 {ref}")
            continue
        if parameter.unit != "yuan":
            errors.append(f"{where}：参数 {ref} 的单位应为 yuan（元），实为 {parameter.unit}")
            continue
        found.append((int(bracket.get("min", 0)), float(parameter.default), str(ref)))
    found.sort()
    for (_, low_value, low_ref), (_, high_value, high_ref) in zip(found, found[1:]):
        if high_value <= low_value:
            errors.append(
                f"statutory.yaml：{charge} 较重幅度的数额标准 {high_ref} = {high_value:g} 不大于较轻幅度的 "
                f"{low_ref} = {low_value:g}"
            )
