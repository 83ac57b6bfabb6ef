"""`leniency predict`: recommendations for a JSON Lines file of cases, one output line per input line, in order."""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
from pathlib import Path

from leniency.cli import CommandError

CHUNK = 32
_pipeline = None


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "predict",
        help="批量生成量刑建议（JSON Lines 输入输出）",
        description='每行输入 {"id","fact","defendant","charges"}，每行输出一条量刑建议或 {"id","error"}。',
    )
    parser.add_argument("--input", required=True, type=Path, help="输入文件（JSON Lines，可为 .xz）")
    parser.add_argument("--output", required=True, type=Path, help="输出文件（JSON Lines）")
    parser.add_argument("--params", type=Path, default=None, help="校准参数 JSON（默认使用规则数据中的取值）")
    parser.add_argument("--model", type=Path, default=None, help="经验模型文件（默认 var/models/empirical.pkl）")
    parser.add_argument("--no-model", action="store_true", help="只用规则，不加载经验模型")
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1), help="并行进程数（默认 2）")
    parser.set_defaults(func=run)


def _init_worker(params_path: str | None, model_path: str | None, no_model: bool) -> None:
    global _pipeline
    from leniency.judgments.empirical.model import EmpiricalModel
    from leniency.judgments.predict import Pipeline, read_params

    model = None if no_model else (EmpiricalModel.load(Path(model_path)) if model_path else "default")
    _pipeline = Pipeline(params=read_params(Path(params_path) if params_path else None), model=model)


def _work(lines: list[str]) -> list[tuple[str, bool]]:
    """Serialised output lines with a flag telling whether each is an error line."""
    outputs = []
    for result in _pipeline.predict_many(lines):
        try:
            outputs.append((json.dumps(result, ensure_ascii=False, default=str), "error" in result))
        except (TypeError, ValueError) as exc:
            error = {"id": result.get("id"), "error": f"输出无法序列化：{exc}"}
            outputs.append((json.dumps(error, ensure_ascii=False, default=str), True))
    return outputs


def _chunks(path: Path):
    from leniency.judgments.evaluation.gold import open_text

    chunk: list[str] = []
    with open_text(path) as handle:
        for line in handle:
            line = line.rstrip("\n")
            if not line.strip():
                continue
            chunk.append(line)
            if len(chunk) >= CHUNK:
                yield chunk
                chunk = []
    if chunk:
        yield chunk


def _count_lines(path: Path) -> int:
    from leniency.judgments.evaluation.gold import open_text

    with open_text(path) as handle:
        return sum(1 for line in handle if line.strip())


def run(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    if not args.input.is_file():
        raise CommandError(f"输入文件不存在：{args.input}")
    if args.params is not None and not args.params.is_file():
        raise CommandError(f"校准参数文件不存在：{args.params}")
    if args.model is not None and not args.model.is_file():
        raise CommandError(f"经验模型文件不存在：{args.model}")
    if args.workers < 1:
        raise CommandError("--workers 至少为 1")
    try:
        total = _count_lines(args.input)
    except (OSError, UnicodeDecodeError, EOFError) as exc:
        raise CommandError(f"无法读取输入文件 {args.input}：{exc}") from None
    init_args = (str(args.params) if args.params else None, str(args.model) if args.model else None, args.no_model)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.output.with_name(args.output.name + ".partial")
    written = errors = 0
    try:
        with (
            tmp.open("w", encoding="utf-8") as out,
            tqdm(total=total, unit="行", file=sys.stderr, desc="量刑建议") as bar,
        ):
            if args.workers == 1:
                _init_worker(*init_args)
                results = map(_work, _chunks(args.input))
                pool = None
            else:
                pool = multiprocessing.get_context("fork").Pool(args.workers, _init_worker, init_args)
                results = pool.imap(_work, _chunks(args.input))
            try:
                for lines in results:
                    for line, failed in lines:
                        out.write(line + "\n")
                        errors += failed
                    written += len(lines)
                    bar.update(len(lines))
            finally:
                if pool is not None:
                    pool.close()
                    pool.join()
        tmp.replace(args.output)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    print(f"已写出 {written} 行到 {args.output}（其中无法处理 {errors} 行）", file=sys.stderr)
    return 0
