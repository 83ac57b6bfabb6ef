"""`leniency corpus …`: import judgments, search them, find similar cases, measure retrieval on LeCaRD."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from leniency.cli import CommandError


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("corpus", help="裁判文书库：导入、检索、类案")
    sub = p.add_subparsers(dest="corpus_command", metavar="子命令")
    sub.required = True

    imp = sub.add_parser("import", help="导入裁判文书文件（CAIL2018、LeCaRD、平台格式；可为 gzip/xz 压缩）")
    imp.add_argument("paths", nargs="+", metavar="PATH", help="一个或多个文件")
    imp.add_argument("--batch-size", type=int, default=200, help="每批提交的记录数（默认 200）")
    imp.add_argument("--no-progress", action="store_true", help="不显示进度条")
    imp.set_defaults(func=cmd_import)

    search = sub.add_parser("search", help="类案检索：按案情文字与关键事实排序，并给出刑罚分布")
    search.add_argument("text", help="案情文字")
    _add_filters(search)
    search.add_argument("--limit", type=int, default=20, help="返回条数（默认 20）")
    search.add_argument("--json", action="store_true", help="以 JSON 输出")
    search.set_defaults(func=cmd_search)

    rebuild = sub.add_parser("reindex", help="从数据库重建全文索引")
    rebuild.set_defaults(func=cmd_reindex)

    st = sub.add_parser("status", help="文书库统计")
    st.set_defaults(func=cmd_status)

    bench = sub.add_parser("benchmark-retrieval", help="在 LeCaRD 上评测类案检索（NDCG、P@k、MAP）")
    bench.add_argument(
        "dir", type=Path, metavar="DIR", help="含 queries.jsonl、candidates.jsonl.xz（及 labels.json）的目录"
    )
    bench.add_argument("--output", type=Path, default=None, help="把排序结果写成 {qid: [docid, …]} 的 JSON 文件")
    bench.add_argument("--method", choices=["ours", "bm25"], default="ours", help="排序方法（默认 ours）")
    bench.set_defaults(func=cmd_benchmark_retrieval)


def _add_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--charge", action="append", default=[], help="罪名（可多次给出，满足其一即可）")
    p.add_argument("--province", help="省份，如 浙江省")
    p.add_argument("--court-level", choices=["supreme", "high", "intermediate", "basic"], help="法院层级")
    p.add_argument("--year-from", type=int, help="起始年份")
    p.add_argument("--year-to", type=int, help="截止年份")
    p.add_argument("--amount-min", type=float, help="犯罪数额下限（元）")
    p.add_argument("--amount-max", type=float, help="犯罪数额上限（元）")
    p.add_argument("--injury", help="伤情，如 minor_injury_2（轻伤二级）")
    p.add_argument("--circumstance", action="append", default=[], help="须具有的情节，如 surrender（自首），可多次给出")
    plea = p.add_mutually_exclusive_group()
    plea.add_argument("--plea", dest="plea", action="store_true", default=None, help="仅认罪认罚案件")
    plea.add_argument("--no-plea", dest="plea", action="store_false", help="仅未认罪认罚案件")
    p.add_argument("--procedure", choices=["fast_track", "summary", "ordinary"], help="程序")


def _filters(args: argparse.Namespace):
    from leniency.judgments.index import SearchFilters

    return SearchFilters(
        charges=list(args.charge),
        province=args.province,
        court_level=args.court_level,
        year_from=args.year_from,
        year_to=args.year_to,
        amount_min=args.amount_min,
        amount_max=args.amount_max,
        injury=args.injury,
        circumstances=list(args.circumstance),
        plea=args.plea,
        procedure=args.procedure,
    )


def cmd_import(args: argparse.Namespace) -> int:
    from leniency.cli.django_setup import setup_django

    setup_django()
    from leniency.corpus.services import import_file
    from leniency.judgments.readers import CorpusFileError

    if args.batch_size < 1:
        raise CommandError("--batch-size 必须为正整数")
    failed_files = 0

    def on_error(line: int, message: str) -> None:
        from tqdm import tqdm

        tqdm.write(f"跳过错误记录：{message}", file=sys.stderr)

    for path in args.paths:
        try:
            report = import_file(path, batch_size=args.batch_size, progress=not args.no_progress, on_error=on_error)
        except CorpusFileError as exc:
            failed_files += 1
            print(f"错误：{exc}", file=sys.stderr)
            continue
        print(
            f"{Path(path).name}（{report.format}）：共 {report.records} 条记录，新增 {report.added} 篇，"
            f"重复跳过 {report.duplicates} 篇，错误 {report.failed} 条"
        )
    if failed_files:
        raise CommandError(f"{failed_files} 个文件未能导入（见上方错误信息），文书库未因这些文件发生任何变化")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from leniency.cli.django_setup import setup_django

    setup_django()
    from leniency.corpus.services import get_index
    from leniency.judgments.similar import similar_cases

    if not args.text.strip():
        raise CommandError("案情文字不能为空")
    if args.limit < 1:
        raise CommandError("--limit 必须为正整数")
    index = get_index()
    if index.count() == 0:
        raise CommandError("文书库为空：请先运行 leniency corpus import PATH 导入裁判文书")
    result = similar_cases(args.text, args.limit, index=index, filters=_filters(args))
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return 0
    charges = "、".join(result.query_charges) or "未识别"
    print(f"罪名：{charges}{'（按最相近文书推定）' if result.charges_inferred else ''}；候选文书 {result.pool} 篇")
    for rank, case in enumerate(result.cases, start=1):
        where = " ".join(str(x) for x in (case.province, case.year) if x)
        print(
            f"{rank:>3}. [{case.score:.3f}] {case.title or case.doc_id}（{case.doc_id}{'，' + where if where else ''}）"
        )
        print(f"     {case.defendant}：{'、'.join(case.charges)}，{case.sentence_text}")
        print(f"     相似之处：{case.reason}")
    d = result.distribution
    if d.count:
        q = d.quantiles
        line = f"可比被告人 {d.count} 名"
        if q:
            line += f"；刑期（月）中位数 {q['p50']}，四分位 {q['p25']}–{q['p75']}，10%–90% {q['p10']}–{q['p90']}"
        if d.probation_share is not None:
            line += f"；适用缓刑 {d.probation_share:.0%}（{d.probation_known} 名中）"
        print(line)
    return 0


def cmd_reindex(args: argparse.Namespace) -> int:
    from leniency.cli.django_setup import setup_django

    setup_django()
    from leniency.corpus.services import rebuild_index

    count = rebuild_index()
    print(f"索引已重建：{count} 篇文书")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from leniency.cli.django_setup import setup_django

    setup_django()
    from leniency.corpus.models import ImportBatch, Judgment, JudgmentDefendant
    from leniency.corpus.services import get_index

    print(
        f"文书 {Judgment.objects.count()} 篇，被告人 {JudgmentDefendant.objects.count()} 名，"
        f"索引 {get_index().count()} 篇，未完成的导入 {ImportBatch.objects.filter(status='running').count()} 个"
    )
    return 0


def cmd_benchmark_retrieval(args: argparse.Namespace) -> int:
    from leniency.judgments.retrieval.benchmark import run
    from leniency.judgments.retrieval.dataset import RetrievalError

    try:
        return int(run(args.dir, args.output, args.method) or 0)
    except RetrievalError as exc:
        raise CommandError(str(exc)) from None
