"""`leniency evaluate`: score a predictions file against gold sentences, overall and per charge."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from leniency.cli import CommandError


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "evaluate",
        help="以真实判决评估量刑建议（CAIL2018 刑期分、Winkler 区间分等）",
        description="金标准行的格式同 ../shared/data/sentencing.dev.jsonl.xz；预测行为 leniency predict 的输出。",
    )
    parser.add_argument("--gold", required=True, type=Path, help="金标准文件（JSON Lines，可为 .xz）")
    parser.add_argument("--pred", required=True, type=Path, help="预测文件（leniency predict 的输出）")
    parser.add_argument("--min-cases", type=int, default=20, help="分罪名表只列案例数不少于此数的罪名（默认 20）")
    parser.add_argument("--json", type=Path, default=None, help="另将全部数字写入此 JSON 文件")
    parser.set_defaults(func=run)


def read_predictions(path: Path) -> dict[str, dict]:
    from leniency.judgments.evaluation.gold import open_text

    predictions: dict[str, dict] = {}
    with open_text(path) as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CommandError(f"预测文件第 {number} 行不是合法的 JSON：{exc.msg}") from None
            if not isinstance(row, dict) or "id" not in row:
                raise CommandError(f"预测文件第 {number} 行缺少字段 id")
            predictions[str(row["id"])] = row
    return predictions


def evaluate(gold_path: Path, pred_path: Path, min_cases: int = 20) -> dict:
    """All numbers of the evaluation as a dict (also used by tests)."""
    from leniency.judgments.evaluation.gold import GoldError, read_gold
    from leniency.judgments.evaluation.metrics import (
        NO_ANSWER,
        Predicted,
        aggregate,
        per_charge,
        prosecutor_record,
        score_case,
    )

    predictions = read_predictions(pred_path)
    try:
        golds = list(read_gold(gold_path, keep_text=False))
    except GoldError as exc:
        raise CommandError(str(exc)) from None
    scores = []
    unanswered = 0
    bad_sentence = 0
    for gold in golds:
        row = predictions.get(gold.id)
        sentence = row.get("sentence") if row else None
        if not isinstance(sentence, dict):
            unanswered += 1
            pred = NO_ANSWER
        else:
            try:
                pred = Predicted.from_sentence(sentence)
            except (TypeError, ValueError, IndexError, KeyError):
                bad_sentence += 1
                pred = NO_ANSWER
        scores.append(score_case(gold, pred))
    return {
        "n_gold": len(golds),
        "answered": len(golds) - unanswered - bad_sentence,
        "unanswered": unanswered,
        "malformed": bad_sentence,
        "overall": aggregate(scores),
        "per_charge": per_charge(scores, min_cases=min_cases),
        "prosecutor_record": prosecutor_record(golds),
    }


def run(args: argparse.Namespace) -> int:
    from leniency.judgments.evaluation.report import fmt, table

    for path, label in ((args.gold, "金标准"), (args.pred, "预测")):
        if not path.is_file():
            raise CommandError(f"{label}文件不存在：{path}")
    result = evaluate(args.gold, args.pred, args.min_cases)
    print(
        f"金标准 {result['n_gold']} 条，有答案 {result['answered']} 条，无答案 {result['unanswered']} 条"
        f"（无答案的按全错计分），格式错误 {result['malformed']} 条。\n"
    )
    print("## 总体\n")
    print(table([("预测", result["overall"])]))
    print(f"\n## 分罪名（案例数 ≥ {args.min_cases}；一人数罪的计入每个罪名）\n")
    print(table(list(result["per_charge"].items()), first="罪名"))
    record = result["prosecutor_record"]
    print("\n## 检察机关量刑建议的采纳情况（金标准行中带有 prosecutor_recommendation 的）\n")
    if record.get("n_all"):
        print(f"法院判决刑期落在检察建议之内：{fmt('hit', record['inside_all'])}（n = {record['n_all']}）")
        for kind in ("point", "range", "at_most", "at_least"):
            if record.get(f"n_{kind}"):
                print(f"- {kind}：{fmt('hit', record[f'inside_{kind}'])}（n = {record[f'n_{kind}']}）")
    else:
        print("金标准中没有可用的检察建议。")
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    sys.stdout.flush()
    return 0
