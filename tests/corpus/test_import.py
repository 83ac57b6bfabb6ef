import gzip
import json
import lzma

import pytest

from leniency.corpus.models import ImportBatch, Judgment, JudgmentDefendant
from leniency.corpus.services import import_file, rebuild_index, sync_index
from leniency.judgments import readers
from leniency.judgments.readers import CorpusFileError
from tests.judgments.samples import cail_record, lecard_record, own_record, write_lines

pytestmark = pytest.mark.django_db


def snapshot(index):
    return (
        Judgment.objects.count(),
        JudgmentDefendant.objects.count(),
        ImportBatch.objects.count(),
        sorted(ImportBatch.objects.values_list("status", "last_line", "added")),
        index.count(),
    )


def fake_extract(text, defendant, charges):
    """Stands in for leniency.extraction.extract: reads the amount written in the invented texts."""
    import re

    class Result:
        facts = {"charges": [{"charge": c} for c in charges]}

    match = re.search(r"现金人民币(\d+)元", text)
    if match:
        Result.facts["charges"][0]["amount"] = float(match.group(1))
    if "主动投案" in text:
        Result.facts["circumstances"] = {"surrender": True}
    return Result


def test_import_three_formats(tmp_path, corpus_index):
    own = write_lines(tmp_path / "own.jsonl.xz", [own_record(i) for i in range(6)], "xz")
    cail = write_lines(tmp_path / "cail.json.gz", [cail_record(i) for i in range(3)], "gzip")
    lecard = tmp_path / "777.json"
    lecard.write_text(json.dumps(lecard_record(1), ensure_ascii=False), encoding="utf-8")
    for path in (own, cail, lecard):
        import_file(path, progress=False, extractor=fake_extract, index=corpus_index)
    assert Judgment.objects.count() == 10
    assert corpus_index.count() == 10
    assert not Judgment.objects.filter(indexed=False).exists()
    theft = Judgment.objects.get(doc_id="test:0")
    d = theft.defendants.get()
    assert (d.name, d.charges, d.sentence_type, d.months, d.probation_months, d.fine) == (
        "测试人0",
        ["盗窃罪"],
        "fixed_term",
        12,
        18,
        5000,
    )
    assert d.amount == 5000 and "surrender" in d.circumstances
    assert theft.amount == 5000 and theft.province == "浙江省" and theft.year == 2015
    assert Judgment.objects.get(doc_id="lecard:777").defendants.get().months == 14
    assert Judgment.objects.filter(source="cail2018").count() == 3
    assert ImportBatch.objects.filter(status="done").count() == 3


def test_reimport_adds_nothing(tmp_path, corpus_index):
    path = write_lines(tmp_path / "own.jsonl", [own_record(i) for i in range(8)])
    first = import_file(path, progress=False, extractor=None, index=corpus_index)
    before = snapshot(corpus_index)
    again = import_file(path, progress=False, extractor=None, index=corpus_index)
    assert (first.added, again.added, again.duplicates) == (8, 0, 8)
    assert snapshot(corpus_index)[:2] == before[:2]
    assert ImportBatch.objects.count() == 1
    assert corpus_index.count() == 8
    # the same judgments in another file (other bytes, same ids) are not added either
    other = write_lines(tmp_path / "copy.jsonl.gz", [own_record(i) for i in range(8)], "gzip")
    assert import_file(other, progress=False, extractor=None, index=corpus_index).added == 0
    assert Judgment.objects.count() == 8


def test_bad_record_is_reported_and_the_import_goes_on(tmp_path, corpus_index):
    path = tmp_path / "mixed.jsonl"
    lines = [json.dumps(own_record(i), ensure_ascii=False) for i in range(5)]
    lines.insert(2, "{broken")
    lines.insert(4, json.dumps(own_record(9, id=None), ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    seen = []
    report = import_file(
        path, progress=False, extractor=None, index=corpus_index, on_error=lambda n, m: seen.append(n), batch_size=2
    )
    assert report.added == 5 and report.failed == 2
    assert seen == [3, 5]
    batch = ImportBatch.objects.get()
    assert [e["line"] for e in batch.errors] == [3, 5]
    assert "第3行" in batch.errors[0]["message"]


@pytest.mark.parametrize("case", ["malformed", "empty", "truncated_gzip", "unknown", "truncated_xz"])
def test_unusable_files_leave_the_database_unchanged(tmp_path, corpus_index, case):
    import_file(write_lines(tmp_path / "seed.jsonl", [own_record(i) for i in range(3)]), progress=False, extractor=None)
    before = snapshot(corpus_index)
    body = "".join(json.dumps(own_record(i), ensure_ascii=False) + "\n" for i in range(10, 60)).encode()
    path = tmp_path / f"{case}.data"
    if case == "malformed":
        path.write_text('{"id": "x", "facts": \n"unterminated', encoding="utf-8")
        expected = "文件格式错误"
    elif case == "empty":
        path.write_bytes(b"")
        expected = "文件为空"
    elif case == "truncated_gzip":
        data = gzip.compress(body)
        path.write_bytes(data[: len(data) * 2 // 3])
        expected = "损坏或不完整"
    elif case == "truncated_xz":
        data = lzma.compress(body)
        path.write_bytes(data[:-40])
        expected = "损坏或不完整"
    else:
        path.write_text('{"title": "无关数据", "rows": [1, 2]}\n', encoding="utf-8")
        expected = "无法识别的文件格式"
    with pytest.raises(CorpusFileError, match=expected):
        import_file(path, progress=False, extractor=None, index=corpus_index)
    assert snapshot(corpus_index) == before


def test_stream_damaged_midway_rolls_back_the_whole_file(tmp_path, corpus_index, monkeypatch):
    """A file that passed the check but breaks while being read (changed underneath): all of it is undone."""
    import_file(write_lines(tmp_path / "seed.jsonl", [own_record(i) for i in range(3)]), progress=False, extractor=None)
    before = snapshot(corpus_index)
    body = "".join(json.dumps(own_record(i), ensure_ascii=False) + "\n" for i in range(10, 400)).encode()
    good = tmp_path / "good.jsonl.gz"
    good.write_bytes(gzip.compress(body))
    info = readers.inspect_file(good)
    bad = tmp_path / "bad.jsonl.gz"
    data = gzip.compress(body)
    bad.write_bytes(data[: len(data) * 3 // 4])
    info.path = bad
    monkeypatch.setattr("leniency.corpus.services.inspect_file", lambda path: info)
    with pytest.raises(CorpusFileError, match="已全部撤销"):
        import_file(bad, progress=False, extractor=None, index=corpus_index, batch_size=50)
    assert snapshot(corpus_index) == before


def test_interrupted_import_resumes_without_loss_or_duplicates(tmp_path, corpus_index, monkeypatch):
    path = write_lines(tmp_path / "big.jsonl.xz", [own_record(i) for i in range(50)], "xz")
    calls = {"n": 0}

    def interrupting(text, defendant, charges):
        calls["n"] += 1
        if calls["n"] == 25:  # in the third batch of ten
            raise KeyboardInterrupt
        return fake_extract(text, defendant, charges)

    with pytest.raises(KeyboardInterrupt):
        import_file(path, progress=False, extractor=interrupting, index=corpus_index, batch_size=10)
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.last_line, Judgment.objects.count()) == ("running", 20, 20)
    report = import_file(path, progress=False, extractor=fake_extract, index=corpus_index, batch_size=10)
    assert report.resumed_after_line == 20
    assert report.added == 30 and report.duplicates == 0
    assert Judgment.objects.count() == 50
    assert sorted(Judgment.objects.values_list("doc_id", flat=True)) == sorted(f"test:{i}" for i in range(50))
    assert ImportBatch.objects.get().status == "done"
    assert corpus_index.count() == 50


def test_index_catches_up_and_rebuilds(tmp_path, corpus_index):
    import_file(write_lines(tmp_path / "a.jsonl", [own_record(i) for i in range(4)]), progress=False, extractor=None)
    # as if the process stopped between the database commit and the index commit
    corpus_index.clear()
    Judgment.objects.filter(doc_id__in=["test:1", "test:2"]).update(indexed=False)
    assert sync_index(corpus_index) == 2
    assert corpus_index.count() == 2
    assert rebuild_index(corpus_index, progress=False) == 4
    assert corpus_index.count() == 4


@pytest.mark.shared_data
def test_real_judgments_slice_end_to_end(shared_data, tmp_path, corpus_index):
    """The first 300 documents of judgments.dev.jsonl.xz, recompressed to a temporary file and imported."""
    rows = []
    with lzma.open(shared_data / "judgments.dev.jsonl.xz", "rt", encoding="utf-8") as fh:
        for line in fh:
            rows.append(json.loads(line))
            if len(rows) == 300:
                break
    path = write_lines(tmp_path / "slice.jsonl.xz", rows, "xz")
    report = import_file(path, progress=False, index=corpus_index)
    assert report.failed == 0
    assert report.added + report.duplicates == 300
    assert Judgment.objects.count() == report.added
    assert corpus_index.count() == report.added
    expected = sum(len(r["defendants"]) for r in rows if Judgment.objects.filter(doc_id=r["id"]).exists())
    assert JudgmentDefendant.objects.count() == expected
    by_id = {r["id"]: r for r in rows}
    for d in JudgmentDefendant.objects.select_related("judgment")[:200]:
        gold = by_id[d.judgment.doc_id]["defendants"][d.position - 1]["outcome"]
        assert d.sentence_type == {"fixed": "fixed_term"}.get(gold["type"], gold["type"])
        assert d.months == gold["months"]
    assert import_file(path, progress=False, index=corpus_index).added == 0


def test_record_refused_by_the_database_is_reported_and_the_rest_kept(tmp_path, corpus_index, monkeypatch):
    from leniency.corpus import services

    original = services._judgment_row

    def row(record, summaries, batch):
        made = original(record, summaries, batch)
        if record.doc_id == "test:3":
            made.content_hash = None  # NOT NULL: the database refuses this one row
        return made

    monkeypatch.setattr(services, "_judgment_row", row)
    seen = []
    path = write_lines(tmp_path / "a.jsonl", [own_record(i) for i in range(6)])
    report = import_file(path, progress=False, extractor=None, index=corpus_index, on_error=lambda n, m: seen.append(m))
    assert (report.added, report.failed) == (5, 1)
    assert seen and seen[0].startswith("第4行：数据库拒绝写入")
    assert not Judgment.objects.filter(doc_id="test:3").exists()
    assert JudgmentDefendant.objects.count() == 5 and corpus_index.count() == 5
