"""``benchmark-retrieval``: rank every query's whole candidate pool, write the rankings, print the LeCaRD metrics.

    python -m leniency.judgments.retrieval.benchmark DIR [--output rankings.json] [--method ours|bm25]

(the same as ``leniency corpus benchmark-retrieval``). Errors are :class:`RetrievalError` with a Chinese message;
nothing is written unless the whole directory was read and ranked.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TextIO

from .dataset import LABELS_FILE, RetrievalError, RetrievalSet, read_directory
from .metrics import METRIC_NAMES, evaluate
from .ranking import METHODS, rank

METHOD_LABELS = {
    "ours": "ours（字符二元组 BM25 + 法律要素词 BM25 + 罪名匹配）",
    "bm25": "bm25（字符二元组 BM25 基线）",
}
PROTOCOL_LABELS = {
    "graded": "仅已标注候选（论文口径）",
    "pool": "全部候选池（未标注记 0）",
}


def write_rankings(rankings: Mapping[str, Sequence[str]], output: Path) -> None:
    """Write ``{qid: [docid, …]}`` atomically: a failure leaves any previous file untouched."""
    directory = output.parent if str(output.parent) else Path(".")
    if not directory.is_dir():
        raise RetrievalError(f"无法写入 {output}：目录 {directory} 不存在")
    payload = json.dumps({qid: list(docids) for qid, docids in rankings.items()}, ensure_ascii=False) + "\n"
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{output.name}.", dir=directory)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(payload)
            os.replace(temporary, output)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise RetrievalError(f"无法写入 {output}：{exc.strerror or exc}") from exc


def format_table(metrics: Mapping[str, Mapping[str, float]]) -> str:
    """The metric table: one row per protocol, then a legend naming the protocols in Chinese."""
    lines = [f"{'口径':<6}" + "".join(f"{name:>9}" for name in METRIC_NAMES)]
    for protocol in PROTOCOL_LABELS:
        lines.append(f"{protocol:<8}" + "".join(f"{metrics[protocol][name]:9.4f}" for name in METRIC_NAMES))
    lines.append("；".join(f"{protocol} = {label}" for protocol, label in PROTOCOL_LABELS.items()))
    return "\n".join(lines)


def report(data: RetrievalSet, rankings: Mapping[str, Sequence[str]], method: str, stream: TextIO) -> None:
    candidates = sum(len(pool) for pool in data.pools.values())
    print(f"方法：{METHOD_LABELS.get(method, method)}", file=stream)
    print(f"查询 {len(data.queries)} 个，候选 {candidates} 个", file=stream)
    if data.labels is None:
        print(f"未提供 {LABELS_FILE}：只排序，不计算指标。", file=stream)
        return
    print(f"有标注的查询 {len(data.labels)} 个；P@k 与 MAP 以等级 3 为相关。", file=stream)
    print(format_table(evaluate(rankings, data.labels)), file=stream)


def run(dir: Path, output: Path | None = None, method: str = "ours", stream: TextIO | None = None) -> int:
    """Rank DIR's pools with ``method``, write them to ``output`` when given, print the metrics when labelled.

    Raises :class:`RetrievalError` (Chinese message) on a missing or malformed file or an unknown method.
    """
    stream = stream or sys.stdout
    if method not in METHODS:
        raise RetrievalError(f"未知的排序方法：{method}（可选：{'、'.join(METHODS)}）")
    data = read_directory(Path(dir))
    rankings = rank(data, method)
    if output is not None:
        write_rankings(rankings, Path(output))
    report(data, rankings, method, stream)
    if output is not None:
        print(f"排序结果已写入 {output}", file=stream)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m leniency.judgments.retrieval.benchmark", description="类案检索评测"
    )
    parser.add_argument("dir", type=Path, help="含 queries.jsonl、candidates.jsonl.xz（及可选 labels.json）的目录")
    parser.add_argument("--output", type=Path, default=None, help="排序结果 JSON：{qid: [docid, …]}")
    parser.add_argument("--method", choices=sorted(METHODS), default="ours", help="排序方法（默认 ours）")
    args = parser.parse_args(argv)
    try:
        return run(args.dir, args.output, args.method)
    except RetrievalError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
