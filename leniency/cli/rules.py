"""`leniency rules check` and `leniency rules show 盗窃罪`: the rule data, validated and explained in Chinese."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from leniency.cli import CommandError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("rules", help="量刑规则数据：检查与查看")
    sub = parser.add_subparsers(dest="rules_command", metavar="子命令")
    sub.required = True
    check = sub.add_parser("check", help="检查全部规则数据文件（格式、日期、出处、幅度顺序）")
    check.add_argument("--data-dir", type=Path, default=None, help="规则数据目录（默认为随软件发布的数据）")
    check.set_defaults(func=run_check)
    show = sub.add_parser("show", help="以中文列出某一罪名的量刑规则及出处")
    show.add_argument("charge", help="罪名，如 盗窃罪")
    show.add_argument("--province", default=None, help="省份，显示该省数额标准")
    show.add_argument("--locality", default=None, help="市县，用于省内分类地区")
    show.add_argument("--date", default=None, help="量刑日期 YYYY-MM-DD（默认当日）")
    show.set_defaults(func=run_show)


def run_check(args: argparse.Namespace) -> int:
    from leniency.law.loader import DATA_DIR
    from leniency.law.validation import check_rules

    data_dir = args.data_dir or DATA_DIR
    if not (data_dir / "general.yaml").exists():
        raise CommandError(f"规则数据目录 {data_dir} 中没有 general.yaml")
    report = check_rules(data_dir)
    for warning in report.warnings:
        print(f"提示：{warning}")
    if not report.ok:
        for error in report.errors:
            print(f"错误：{error}")
        print(f"规则数据检查未通过：{len(report.errors)} 处错误。")
        return 1
    print(
        f"规则数据检查通过：{report.files} 个文件，{report.parameters} 个参数（其中 {report.calibrated} 个待校准），"
        f"{len(report.warnings)} 条提示。"
    )
    return 0


def _months(value: float) -> str:
    from leniency.sentencing.engine import fmt_months

    return fmt_months(value)


def _span(low: float, high: float) -> str:
    if low == high:
        return _months(low)
    return f"{_months(low)}至{_months(high)}"


def _unit_of(resolve, ref) -> str:
    if isinstance(ref, dict) and "diff" in ref:  # a difference of two thresholds has their unit
        ref = ref["diff"][0]
    if isinstance(ref, int | float):
        return ""
    return resolve.parameter(str(ref)).unit


def _quantity(value: float, unit: str) -> str:
    """E.g. 100万元, 10克, 2人/次: large yuan amounts in 万 as the interpretations write them."""
    from leniency.sentencing.wording import yuan_text

    if unit == "yuan":
        return yuan_text(value)
    suffix = {"grams": "克", "count": "人/次", "mg_per_100ml": "毫克/100毫升"}.get(unit, "")
    return f"{value:g}{suffix}"


def run_show(args: argparse.Namespace) -> int:
    from leniency.law.loader import load_rulebook
    from leniency.law.parameters import UNITS
    from leniency.sentencing.compiled import Resolver

    book = load_rulebook()
    charge = book.canonical_charge(args.charge)
    if charge is None:
        raise CommandError(f"未知罪名“{args.charge}”。可用罪名：{'、'.join(book.known_charges())}")
    try:
        day = dt.date.fromisoformat(args.date) if args.date else dt.date.today()
    except ValueError:
        raise CommandError(f"日期“{args.date}”无效，格式应为 YYYY-MM-DD") from None
    province = book.province(args.province) if args.province else None
    if args.province and province is None:
        raise CommandError(f"无法识别省份“{args.province}”")
    regions = book.regions(province, args.locality)
    lines: list[str] = []
    if book.guideline_crime(charge, day) is None:
        entry = book.statutory[charge]
        lines.append(f"{charge}（不属于《关于常见犯罪的量刑指导意见（试行）》的23种常见犯罪）")
        lines.append(f"法定刑：{entry['statute']}")
        for b in entry["brackets"]:
            lines.append(f"  · {b['label']}（{b['min']}–{b['max']}个月；情节：{b.get('gravity', 'ordinary')}）")
        lines.append("量刑方法：在对应法定刑幅度内按待校准位置确定起点，再适用总则量刑情节；结果仅供参考。")
        print("\n".join(lines))
        return 0
    rules = book.crimes[charge]
    raw = rules.raw
    resolve = Resolver(book, rules.id, day, regions, {})
    lines.append(f"{charge}　{raw['reference']}；{raw['statute']}")
    lines.append(f"规则日期：{day.isoformat()}" + (f"；地区：{regions[0]}" if regions else "；地区：全国默认值"))
    lines.append("")
    lines.append("法定刑幅度：")
    for b in raw["brackets"]:
        lines.append(f"  [{b['id']}] {b['label']}（{b['reference']}）")
    lines.append("")
    lines.append("量刑起点（由重到轻，先符合者适用）：")
    for t in raw["tiers"]:
        low, high = resolve.pair(t["starting_point"])
        lines.append(f"  · {t['label']}：在{_span(low, high)}幅度内确定量刑起点（{resolve.cite(t['starting_point'])}）")
        for inc in t.get("increments") or []:
            per = _quantity(resolve.num(inc["per"]), _unit_of(resolve, inc["per"]))
            months = resolve.num(inc["months"])
            lines.append(
                f"      增加刑罚量：{inc['label']}，每{per}增加{months:g}个月"
                f"（待校准参数 {resolve.rule_id(inc['months'])}；{resolve.cite(inc['months'])}）"
            )
    thresholds = [(pid, p) for pid, p in rules.parameters.items() if ".threshold." in pid]
    if thresholds:
        lines.append("")
        lines.append("数额、数量标准：")
        for _pid, p in thresholds:
            lines.append(f"  · {p.label}：{p.at(day, regions):g}{UNITS.get(p.unit, p.unit)}（{p.source(regions)}）")
    if raw.get("adjustments"):
        lines.append("")
        lines.append("本罪特有的调节情节：")
        for a in raw["adjustments"]:
            rng = resolve.pair(a["range"])
            lines.append(f"  · {a['label']}：调节基准刑 {rng[0]:+.0%}～{rng[1]:+.0%}（{a['reference']}）")
    fine = raw.get("fine") or {}
    lines.append("")
    lines.append(f"罚金：{'不并处罚金' if fine.get('kind', 'none') == 'none' else fine.get('reference', '')}")
    probation = raw.get("probation") or {}
    if probation.get("strict") or probation.get("strict_when"):
        lines.append(f"缓刑：从严把握（{probation.get('reference', '')}）")
    for e in probation.get("exclusions") or []:
        lines.append(f"缓刑：{e['label']}的，一般不适用缓刑（{e['reference']}）")
    calibrated = [p for p in rules.parameters.values() if p.calibrated]
    lines.append("")
    lines.append(f"待校准参数 {len(calibrated)} 个（文本未规定具体数值，默认值待以真实判决拟合）。")
    print("\n".join(lines))
    return 0
