"""`leniency calibrate`: fit the engine's calibrated parameters on real judgments and write them into the rules."""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from leniency.cli import CommandError


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "calibrate",
        help="在真实判决上校准规则中的待校准参数，并写入规则数据（附样本数、拟合误差、日期）",
    )
    parser.add_argument(
        "--data", type=Path, default=None, help="判决数据（默认 ../shared/data/sentencing.dev.jsonl.xz）"
    )
    parser.add_argument("--rules", type=Path, default=None, help="规则数据目录（默认 leniency/law/data）")
    parser.add_argument(
        "--params-out", type=Path, default=None, help="另将拟合结果写成 JSON（可供 predict --params 使用）"
    )
    parser.add_argument("--dry-run", action="store_true", help="只显示拟合结果，不修改规则数据")
    parser.add_argument("--limit", type=int, default=None, help="只用前 N 行（调试用）")
    parser.set_defaults(func=run)


def _source(data: Path, limit: int | None) -> str:
    """The data file named with a digest of its bytes, so the provenance says exactly which data were used."""
    digest = hashlib.sha256()
    with data.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    text = f"{data.name}（sha256 {digest.hexdigest()[:16]}）"
    return text + (f"，前 {limit} 行" if limit else "")


def run(args: argparse.Namespace) -> int:
    from leniency.cli.model import _data_path
    from leniency.judgments.calibration import POINT_SHARE, calibrate, write_calibration
    from leniency.judgments.evaluation.gold import GoldError, read_gold
    from leniency.judgments.evaluation.systems import FactsCache
    from leniency.law.writer import RuleWriteError

    if args.rules is not None and not (args.rules / "general.yaml").is_file():
        raise CommandError(f"规则数据目录 {args.rules} 中没有 general.yaml")
    data = _data_path(args.data)
    try:
        cases = list(read_gold(data, limit=args.limit))
    except GoldError as exc:
        raise CommandError(str(exc)) from None
    cache = FactsCache()
    print(f"读取 {len(cases)} 名被告人，抽取事实并校准……", file=sys.stderr)
    result = calibrate(
        cases,
        cache,
        province_of=cache.province,
        source=_source(data, args.limit),
        progress=lambda m: print(m, file=sys.stderr),
    )
    for fit in result.fits:
        where = fit.province or "全国"
        objective = "1 − 平均 Winkler s" if fit.parameter == POINT_SHARE else "平均绝对对数误差"
        print(
            f"{fit.parameter}（{where}）：{fit.default:g} → {fit.value:g}；n = {fit.n}；"
            f"{objective} {fit.default_error:.3f} → {fit.error:.3f}"
        )
    if args.params_out:
        payload = {**result.params().to_json(), "date": result.date, "source": result.source}
        args.params_out.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    if args.dry_run:
        print("（--dry-run：未修改规则数据）", file=sys.stderr)
        return 0
    try:
        written = write_calibration(result, args.rules)
    except RuleWriteError as exc:
        raise CommandError(f"拟合值未写入规则数据：{exc}") from None
    for path in written:
        print(f"已更新 {path}", file=sys.stderr)
    print(f"已写入 {len(written)} 个规则文件（只改动被校准参数的行）", file=sys.stderr)
    return 0
