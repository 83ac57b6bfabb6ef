"""Print the extractor's per-field precision/recall on the hand-labelled set.

python -m leniency.extraction.report --labels tests/extraction/labels --data ../shared/data [--errors]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from leniency.extraction.scoring import format_table, load_inputs, load_labels, score


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="抽取质量：按字段计算精确率与召回率")
    parser.add_argument("--labels", type=Path, default=Path("tests/extraction/labels"), help="标注文件或目录")
    parser.add_argument("--data", type=Path, default=Path("../shared/data"), help="含 sentencing.dev.jsonl.xz 的目录")
    parser.add_argument("--errors", action="store_true", help="列出抽取结果与标注不一致之处")
    args = parser.parse_args(argv)
    if not (args.data / "sentencing.dev.jsonl.xz").exists():
        print(f"错误：未找到 {args.data / 'sentencing.dev.jsonl.xz'}", file=sys.stderr)
        return 2
    labels = load_labels(args.labels)
    if not labels:
        print(f"错误：{args.labels} 中没有标注", file=sys.stderr)
        return 2
    inputs = load_inputs(args.data, (r["id"] for r in labels))
    counts, errors, spent = score(labels, inputs)
    print(f"labelled defendants: {len(labels)} (texts found: {len(inputs)})")
    print(format_table(counts))
    print(f"extraction time: {spent:.2f} s total, {1000 * spent / max(1, len(inputs)):.2f} ms/document")
    if args.errors:
        for e in errors:
            print(f"  {e['id']}  {e['field']}: gold={e['gold']!r} pred={e['pred']!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
