"""Import judgment files into the database and the full-text index; search them.

An import validates the whole file first (`inspect_file`): an empty, malformed, truncated or unknown file
is refused with a Chinese message before anything is written. Records are then committed in batches; each
batch commit also records the last line it covered in the file's `ImportBatch`, so an interrupted import
resumes after that line. Judgments are keyed on their document id and content hash, so importing a file
twice adds nothing. A compressed stream found damaged midway (the file changed after it was checked)
undoes everything this file's batch added, leaving the corpus as it was before the import.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from leniency.corpus.models import ImportBatch, Judgment, JudgmentDefendant
from leniency.judgments.enrich import Extractor, default_extractor, defendant_facts, index_doc, index_header
from leniency.judgments.index import CorpusIndex, IndexDoc, IndexedDefendant
from leniency.judgments.readers import STREAM_ERRORS, CorpusFileError, RecordError, inspect_file, read_records
from leniency.judgments.records import JudgmentRecord
from leniency.judgments.summary import FactSummary, summarize_facts, worse_injury

MAX_STORED_ERRORS = 1000
_DEFAULT = object()


def index_path() -> Path:
    """The index directory: ``LENIENCY_CORPUS_INDEX`` setting, else ``corpus-index`` next to the database."""
    configured = getattr(settings, "LENIENCY_CORPUS_INDEX", None)
    if configured:
        return Path(configured)
    from leniency.config.env import var_dir

    return var_dir() / "corpus-index"


def get_index() -> CorpusIndex:
    return CorpusIndex.open(index_path())


@dataclass
class ImportReport:
    path: str
    format: str = ""
    records: int = 0
    added: int = 0
    duplicates: int = 0
    failed: int = 0
    resumed_after_line: int = 0
    errors: list[dict] = field(default_factory=list)
    batch_id: int | None = None
    added_ids: list[str] = field(default_factory=list)


def _charges_key(charges: list[str]) -> str:
    return "|" + "|".join(charges) + "|" if charges else ""


def import_file(
    path: str | Path,
    *,
    batch_size: int = 200,
    extractor: Extractor | None | object = _DEFAULT,
    progress: bool = True,
    on_error: Callable[[int, str], None] | None = None,
    index: CorpusIndex | None = None,
) -> ImportReport:
    """Import one file; raise `CorpusFileError` (Chinese) if the file cannot be imported, changing nothing."""
    info = inspect_file(path)
    extractor = default_extractor() if extractor is _DEFAULT else extractor
    index = index or get_index()
    sync_index(index)
    batch = (
        ImportBatch.objects.filter(file_sha256=info.sha256).order_by("-status", "-started_at").first()
    )  # "running" sorts after "done": resume an unfinished import first
    if batch is None:
        batch = ImportBatch.objects.create(
            path=str(info.path), file_sha256=info.sha256, file_format=info.format, total_records=info.records
        )
    resume_after = batch.last_line if batch.status == ImportBatch.Status.RUNNING else 0
    was_done = batch.status == ImportBatch.Status.DONE
    if was_done:
        # the same bytes again: every record will be found a duplicate, nothing is added
        batch.status = ImportBatch.Status.RUNNING
        batch.last_line = 0
        batch.save(update_fields=["status", "last_line", "updated_at"])
    report = ImportReport(path=str(info.path), format=info.format, records=info.records, batch_id=batch.pk)
    report.resumed_after_line = resume_after
    bar = _progress(info.records, info.path.name, progress)
    if resume_after:
        bar.write(f"继续导入 {info.path.name}：从第{resume_after + 1}行开始（此前已提交至第{resume_after}行）")
    chunk: list[tuple[int, JudgmentRecord]] = []
    chunk_errors: list[RecordError] = []
    line = resume_after
    try:
        for line, item in read_records(info, start_after=resume_after):
            bar.update(1)
            if isinstance(item, RecordError):
                chunk_errors.append(item)
                if on_error:
                    on_error(item.line, item.message)
            else:
                chunk.append((line, item))
            if len(chunk) + len(chunk_errors) >= batch_size:
                _commit_chunk(batch, chunk, chunk_errors, line, extractor, index, report, on_error)
                chunk, chunk_errors = [], []
        _commit_chunk(batch, chunk, chunk_errors, line, extractor, index, report, on_error)
    except STREAM_ERRORS as exc:
        bar.close()
        if was_done:
            # an earlier complete import of the same file stays; only what this run added goes
            _delete_judgments(Judgment.objects.filter(doc_id__in=report.added_ids), index)
            batch.status = ImportBatch.Status.DONE
            batch.save(update_fields=["status", "updated_at"])
        else:
            rollback_batch(batch, index)
        raise CorpusFileError(
            f"文件损坏或不完整：{info.path.name} 在第{line}行之后无法继续解压（{type(exc).__name__}），"
            "本文件已导入的记录已全部撤销，文书库保持导入前的状态"
        ) from None
    except KeyboardInterrupt:
        bar.close()
        batch.refresh_from_db()
        print(
            f"导入已中断：{info.path.name} 已提交至第{batch.last_line}行，重新运行同一命令将从第{batch.last_line + 1}行继续。",
            file=sys.stderr,
        )
        raise
    bar.close()
    batch.status = ImportBatch.Status.DONE
    batch.finished_at = timezone.now()
    batch.save(update_fields=["status", "finished_at", "updated_at"])
    return report


def _progress(total: int, name: str, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, desc=f"导入 {name}", unit="篇", file=sys.stderr, disable=not enabled, dynamic_ncols=True)


def _commit_chunk(
    batch: ImportBatch,
    chunk: list[tuple[int, JudgmentRecord]],
    errors: list[RecordError],
    last_line: int,
    extractor: Extractor | None,
    index: CorpusIndex,
    report: ImportReport,
    on_error: Callable[[int, str], None] | None = None,
) -> None:
    ids = [r.doc_id for _, r in chunk]
    hashes = [r.content_hash for _, r in chunk]
    known_ids = set(Judgment.objects.filter(doc_id__in=ids).values_list("doc_id", flat=True))
    known_hashes = set(Judgment.objects.filter(content_hash__in=hashes).values_list("content_hash", flat=True))
    fresh: list[tuple[int, JudgmentRecord, list[dict]]] = []
    duplicates = 0
    for line, record in chunk:
        digest = record.content_hash
        if record.doc_id in known_ids or digest in known_hashes:
            duplicates += 1
            continue
        known_ids.add(record.doc_id)
        known_hashes.add(digest)
        fresh.append((line, record, [defendant_facts(record, d, extractor) for d in record.defendants]))
    errors = list(errors)
    with transaction.atomic():
        try:
            with transaction.atomic():
                _insert(fresh, batch)
        except DatabaseError:
            # the database refused something in this batch: find which record, keep the others
            kept = []
            for item in fresh:
                try:
                    with transaction.atomic():
                        _insert([item], batch)
                    kept.append(item)
                except DatabaseError as exc:
                    line = item[0]
                    error = RecordError(line, f"第{line}行：数据库拒绝写入该记录（{str(exc).strip()[:200]}）")
                    errors.append(error)
                    if on_error:
                        on_error(line, error.message)
            fresh = kept
        batch.last_line = max(batch.last_line, last_line)
        batch.added += len(fresh)
        batch.duplicates += duplicates
        batch.failed += len(errors)
        stored = list(batch.errors or [])
        stored.extend({"line": e.line, "message": e.message} for e in errors[: max(0, MAX_STORED_ERRORS - len(stored))])
        batch.errors = stored
        batch.save(update_fields=["last_line", "added", "duplicates", "failed", "errors", "updated_at"])
    report.added += len(fresh)
    report.added_ids.extend(r.doc_id for _, r, _ in fresh)
    report.duplicates += duplicates
    report.failed += len(errors)
    report.errors.extend({"line": e.line, "message": e.message} for e in errors)
    if fresh:
        index.upsert(index_doc(record, facts) for _, record, facts in fresh)
        Judgment.objects.filter(doc_id__in=[r.doc_id for _, r, _ in fresh]).update(indexed=True)


def _insert(items: list[tuple[int, JudgmentRecord, list[dict]]], batch: ImportBatch) -> None:
    rows = [_judgment_row(record, [summarize_facts(f) for f in facts], batch) for _, record, facts in items]
    Judgment.objects.bulk_create(rows)
    pks = dict(Judgment.objects.filter(doc_id__in=[r.doc_id for r in rows]).values_list("doc_id", "pk"))
    defendants = []
    for _, record, facts in items:
        for position, (d, f) in enumerate(zip(record.defendants, facts), start=1):
            s = summarize_facts(f)
            defendants.append(
                JudgmentDefendant(
                    judgment_id=pks[record.doc_id],
                    position=position,
                    name=d.name[:128],
                    charges=d.charges,
                    charges_key=_charges_key(d.charges)[:512],
                    is_unit=d.is_unit,
                    sentence_type=d.outcome.type,
                    months=d.outcome.months,
                    probation_months=d.outcome.probation_months,
                    probation_known=d.probation_known,
                    fine=d.outcome.fine,
                    death_reprieve=d.outcome.death_reprieve,
                    multi_charge_total=d.multi_charge_total,
                    combined_with_prior=d.combined_with_prior,
                    facts=f,
                    amount=s.amount,
                    injury=s.injury,
                    circumstances=s.circumstances,
                    plea=s.plea,
                )
            )
    JudgmentDefendant.objects.bulk_create(defendants)


def _judgment_row(record: JudgmentRecord, summaries: list[FactSummary], batch: ImportBatch | None) -> Judgment:
    amount = max((s.amount for s in summaries if s.amount is not None), default=None)
    injury = ""
    circumstances: set[str] = set()
    for s in summaries:
        injury = worse_injury(injury, s.injury)
        circumstances.update(s.circumstances)
    return Judgment(
        doc_id=record.doc_id,
        content_hash=record.content_hash,
        source=record.source[:32],
        source_format=record.source_format,
        title=record.title[:512],
        case_number=record.case_number[:128],
        court=record.court[:128],
        province=record.province[:16],
        court_level=record.court_level,
        year=record.year if record.year and 1949 < record.year < 2100 else None,
        instance=record.instance[:16],
        procedure=record.procedure,
        mentions_plea=record.mentions_plea,
        facts=record.facts,
        text_before_reasoning=record.text_before_reasoning,
        reasoning=record.reasoning,
        result=record.result,
        amount=amount,
        injury=injury,
        circumstances=sorted(circumstances),
        plea=any(s.plea for s in summaries),
        batch=batch,
    )


def rollback_batch(batch: ImportBatch, index: CorpusIndex) -> None:
    """Remove everything ``batch`` added (database and index) and the batch itself."""
    with transaction.atomic():
        _delete_judgments(Judgment.objects.filter(batch=batch), index)
        batch.delete()


def _delete_judgments(queryset, index: CorpusIndex) -> None:
    doc_ids = list(queryset.values_list("doc_id", flat=True))
    queryset.delete()
    if doc_ids:
        index.delete(doc_ids)


def index_doc_from_model(judgment: Judgment, defendants: Iterable[JudgmentDefendant]) -> IndexDoc:
    return IndexDoc(
        **index_header(judgment),
        defendants=[
            IndexedDefendant(
                name=d.name,
                charges=list(d.charges),
                outcome={
                    "type": d.sentence_type,
                    "months": d.months,
                    "probation_months": d.probation_months,
                    "fine": d.fine,
                    "death_reprieve": d.death_reprieve,
                },
                probation_known=d.probation_known,
                combined_with_prior=d.combined_with_prior,
                summary=FactSummary(amount=d.amount, injury=d.injury, circumstances=list(d.circumstances), plea=d.plea),
            )
            for d in defendants
        ],
    )


def _index_judgments(index: CorpusIndex, queryset, chunk: int = 1000, progress: bool = False) -> int:
    pks = list(queryset.order_by("pk").values_list("pk", flat=True))
    bar = _progress(len(pks), "索引", progress)
    done = 0
    for start in range(0, len(pks), chunk):
        part = pks[start : start + chunk]
        judgments = Judgment.objects.filter(pk__in=part).prefetch_related("defendants")
        docs = [index_doc_from_model(j, j.defendants.all()) for j in judgments]
        index.upsert(docs)
        Judgment.objects.filter(pk__in=part).update(indexed=True)
        done += len(docs)
        bar.update(len(docs))
    bar.close()
    return done


def sync_index(index: CorpusIndex | None = None) -> int:
    """Index judgments committed to the database but not yet to the index (an import stopped in between)."""
    return _index_judgments(index or get_index(), Judgment.objects.filter(indexed=False))


def rebuild_index(index: CorpusIndex | None = None, progress: bool = True) -> int:
    index = index or get_index()
    index.clear()
    return _index_judgments(index, Judgment.objects.all(), progress=progress)


def find_similar(query, k: int = 10, **kwargs):
    """`leniency.judgments.similar.similar_cases` on this installation's index (for other apps and views)."""
    from leniency.judgments.similar import similar_cases

    return similar_cases(query, k, index=get_index(), **kwargs)
