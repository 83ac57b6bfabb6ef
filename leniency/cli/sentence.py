"""`leniency sentence facts.json [--format text|json]` and `leniency schema facts`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from leniency.cli import CommandError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("sentence", help="依据案件事实计算量刑建议并列出计算过程")
    parser.add_argument("facts", help="事实文件（JSON，一名被告人；“-”表示标准输入）")
    parser.add_argument("--format", choices=["text", "json"], default="text", help="输出格式")
    parser.set_defaults(func=run_sentence)
    schema = subparsers.add_parser("schema", help="输出数据结构的 JSON Schema")
    schema.add_argument("what", choices=["facts"], help="facts：量刑事实")
    schema.set_defaults(func=run_schema)


def _read(path: str) -> object:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"无法读取事实文件 {path}：{exc.strerror}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CommandError(f"事实文件不是有效的 JSON（第{exc.lineno}行第{exc.colno}列）") from None


def render_text(rec: object) -> str:
    from leniency.sentencing.engine import fmt_months
    from leniency.sentencing.result import CONFISCATION_LABELS, TYPE_LABELS

    s = rec.sentence
    label = TYPE_LABELS[s.type]
    if s.type in ("fixed_term", "detention", "control"):
        head = f"{label}{fmt_months(s.months)}"
        span = f"{label}{fmt_months(s.range[0])}至{fmt_months(s.range[1])}"
    else:
        head = label
        span = "—"
    lines = ["量刑建议", f"  确定刑：{head}"]
    lines.append(f"  幅度刑：{span}")
    if s.probation:
        lines.append(f"  缓刑：建议宣告缓刑，考验期{fmt_months(s.probation_months)}")
    else:
        lines.append("  缓刑：不建议")
    lines.append(f"  罚金：{s.fine}元" if s.fine else "  罚金：无")
    lines.append(f"  没收财产：{CONFISCATION_LABELS[s.confiscation]}" if s.confiscation else "  没收财产：无")
    lines.append(f"  规则版本：{rec.rule_edition}" + ("（含指导意见以外罪名）" if rec.outside_guideline else ""))
    if len(rec.charges) > 1:
        lines.append("  各罪：")
        for charge in rec.charges:
            cs = charge.sentence
            term = TYPE_LABELS[cs.type] + (fmt_months(cs.months) if cs.months else "")
            lines.append(f"    · {charge.charge}：{term}" + ("（指导意见以外）" if charge.outside_guideline else ""))
    lines.append("")
    lines.append("计算过程：")
    for i, step in enumerate(rec.trace, 1):
        lines.append(f"  {i}. {step.explanation}")
        lines.append(f"     依据：{step.citation}　〔{step.rule_id}〕")
    if rec.warnings:
        lines.append("")
        lines.append("提示：")
        lines.extend(f"  · {w}" for w in rec.warnings)
    return "\n".join(lines)


def run_sentence(args: argparse.Namespace) -> int:
    from leniency.sentencing import FactsError, recommend

    data = _read(args.facts)
    try:
        rec = recommend(data)
    except FactsError as exc:
        raise CommandError(f"事实有误：{exc}") from None
    if args.format == "json":
        print(json.dumps(rec.model_dump(mode="json"), ensure_ascii=False, indent=2))
    else:
        print(render_text(rec))
    return 0


def run_schema(args: argparse.Namespace) -> int:
    from leniency.sentencing import Facts

    print(json.dumps(Facts.model_json_schema(), ensure_ascii=False, indent=2))
    return 0
