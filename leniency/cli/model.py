"""`leniency model train|info`: the empirical model (双系统 second opinion), stored under var/models."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from leniency.cli import CommandError


def register(subparsers) -> None:
    parser = subparsers.add_parser("model", help="训练或查看经验模型（双系统中的数据模型）")
    sub = parser.add_subparsers(dest="model_command", metavar="子命令")
    sub.required = True
    train = sub.add_parser("train", help="在开发集判决上训练经验模型")
    train.add_argument(
        "--data", type=Path, default=None, help="训练数据（默认 ../shared/data/sentencing.dev.jsonl.xz）"
    )
    train.add_argument("--output", type=Path, default=None, help="模型文件（默认 var/models/empirical.pkl）")
    train.add_argument("--limit", type=int, default=None, help="只用前 N 行（调试用）")
    train.set_defaults(func=run_train)
    info = sub.add_parser("info", help="显示经验模型是否存在及其训练规模")
    info.add_argument("--model", type=Path, default=None)
    info.set_defaults(func=run_info)


def _data_path(path: Path | None) -> Path:
    from leniency.judgments.datasets import default_sentencing_file

    path = path or default_sentencing_file()
    if path is None or not path.is_file():
        raise CommandError(
            "找不到训练数据：请用 --data 指定，或将数据放在 ../shared/data（或设置 LENIENCY_SHARED_DATA）"
        )
    return path


def run_train(args: argparse.Namespace) -> int:
    from leniency.judgments.empirical.model import EmpiricalModel
    from leniency.judgments.empirical.store import default_model_path
    from leniency.judgments.evaluation.gold import GoldError, read_gold

    data = _data_path(args.data)
    started = time.time()
    try:
        cases = list(read_gold(data, limit=args.limit))
    except GoldError as exc:
        raise CommandError(str(exc)) from None
    print(f"读取 {len(cases)} 名被告人，开始训练……", file=sys.stderr)
    try:
        model = EmpiricalModel().fit(cases)
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    path = model.save(args.output or default_model_path())
    print(f"经验模型已保存到 {path}（训练 {model.n_train} 人，用时 {time.time() - started:.0f} 秒）", file=sys.stderr)
    return 0


def run_info(args: argparse.Namespace) -> int:
    from leniency.judgments.empirical.model import EmpiricalModel
    from leniency.judgments.empirical.store import default_model_path

    path = args.model or default_model_path()
    if not path.exists():
        print(f"没有经验模型（{path}）：平台只使用规则。运行 leniency model train 训练。")
        return 0
    try:
        model = EmpiricalModel.load(path)
    except (OSError, ValueError) as exc:
        raise CommandError(f"经验模型 {path} 无法读取：{exc}") from None
    print(f"经验模型：{path}；训练 {model.n_train} 人；区间 α = {model.alpha}；共形修正 {model.margin:.3f}（对数月）")
    return 0
