import gzip
import json

import pytest

from leniency.judgments.readers import CorpusFileError, RecordError, inspect_file, read_records
from tests.judgments.samples import cail_record, lecard_record, own_record, write_lines


@pytest.mark.parametrize("compression", ["none", "gzip", "xz"])
def test_own_format_in_every_compression(tmp_path, compression):
    path = write_lines(tmp_path / "data.bin", [own_record(i) for i in range(5)], compression)
    info = inspect_file(path)
    assert (info.format, info.compression, info.records) == ("leniency", compression, 5)
    records = [r for _, r in read_records(info)]
    assert [r.doc_id for r in records] == [f"test:{i}" for i in range(5)]
    first = records[0]
    # defendants were not given: they come from the result text
    assert first.defendants[0].name == "测试人0"
    assert first.defendants[0].charges == ["盗窃罪"]
    assert first.defendants[0].outcome.probation_months == 18
    assert first.province == "浙江省" and first.court_level == "basic" and first.year == 2015
    assert first.procedure == "summary"


def test_own_format_with_given_defendants_and_canonical_charges(tmp_path):
    rec = own_record(
        0, defendants=[{"name": "甲", "charges": ["贩卖毒品罪"], "outcome": {"type": "fixed", "months": 36}}]
    )
    info = inspect_file(write_lines(tmp_path / "a.jsonl", [rec]))
    ((_, record),) = list(read_records(info))
    assert record.defendants[0].charges == ["走私、贩卖、运输、制造毒品罪"]
    assert record.defendants[0].outcome.type == "fixed_term"


def test_cail_format(tmp_path):
    info = inspect_file(write_lines(tmp_path / "cail.json", [cail_record(1), cail_record(2)]))
    assert info.format == "cail2018"
    records = [r for _, r in read_records(info)]
    d = records[0].defendants[0]
    assert records[0].doc_id.startswith("cail:")
    assert d.charges == ["盗窃罪"] and d.outcome.type == "fixed_term" and d.outcome.months == 8
    assert d.outcome.fine == 2000 and not d.probation_known


def test_cail_gb18030(tmp_path):
    path = tmp_path / "gbk.json"
    path.write_bytes((json.dumps(cail_record(3), ensure_ascii=False) + "\n").encode("gb18030"))
    info = inspect_file(path)
    assert info.encoding == "gb18030"
    ((_, record),) = list(read_records(info))
    assert "盗窃" in record.facts


def test_lecard_single_file_and_lines(tmp_path):
    single = tmp_path / "12345.json"
    single.write_text(json.dumps(lecard_record(7), ensure_ascii=False, indent=2), encoding="utf-8")
    info = inspect_file(single)
    assert (info.format, info.layout) == ("lecard", "document")
    ((_, record),) = list(read_records(info))
    assert record.doc_id == "lecard:12345"
    assert record.defendants[0].outcome.months == 14
    assert record.title == "案例7故意伤害一案"
    assert record.instance == "first" and record.province == "河南省"
    lines = write_lines(tmp_path / "lecard.jsonl.gz", [dict(lecard_record(i), docid=str(i)) for i in range(3)], "gzip")
    assert [r.doc_id for _, r in read_records(inspect_file(lines))] == ["lecard:0", "lecard:1", "lecard:2"]


def test_bad_records_are_reported_with_line_numbers(tmp_path):
    path = tmp_path / "mixed.jsonl"
    lines = [
        json.dumps(own_record(0), ensure_ascii=False),
        "{not json",
        json.dumps(own_record(1, id=""), ensure_ascii=False),
        "",
        json.dumps(own_record(2, facts=None, text_before_reasoning=None), ensure_ascii=False),
        json.dumps(own_record(3, defendants="x"), ensure_ascii=False),
        json.dumps(own_record(4), ensure_ascii=False),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = list(read_records(inspect_file(path)))
    errors = {line: r.message for line, r in out if isinstance(r, RecordError)}
    assert set(errors) == {2, 3, 5, 6}
    assert "第2行" in errors[2] and "JSON" in errors[2]
    assert "id" in errors[3]
    assert "facts" in errors[5]
    assert "defendants" in errors[6]
    assert [r.doc_id for _, r in out if not isinstance(r, RecordError)] == ["test:0", "test:4"]


def test_resume_skips_lines(tmp_path):
    info = inspect_file(write_lines(tmp_path / "a.jsonl", [own_record(i) for i in range(6)]))
    assert [line for line, _ in read_records(info, start_after=4)] == [5, 6]


def test_empty_file(tmp_path):
    for name, content in [("empty.jsonl", b""), ("blank.jsonl", b"\n \n"), ("empty.gz", gzip.compress(b""))]:
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(CorpusFileError, match="文件为空"):
            inspect_file(path)


def test_truncated_gzip(tmp_path):
    data = gzip.compress("".join(json.dumps(own_record(i), ensure_ascii=False) + "\n" for i in range(200)).encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(CorpusFileError, match="损坏或不完整"):
        inspect_file(path)


def test_unknown_format(tmp_path):
    path = write_lines(tmp_path / "other.jsonl", [{"name": "x", "value": 1}])
    with pytest.raises(CorpusFileError, match="无法识别的文件格式"):
        inspect_file(path)
    csv = tmp_path / "table.csv"
    csv.write_text("id,fact\n1,盗窃\n", encoding="utf-8")
    with pytest.raises(CorpusFileError, match="无法识别的文件格式"):
        inspect_file(csv)


def test_malformed_file(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"fact": "被告人", "meta": {\n "x": [1, 2\n', encoding="utf-8")
    with pytest.raises(CorpusFileError, match="文件格式错误"):
        inspect_file(path)


def test_missing_file(tmp_path):
    with pytest.raises(CorpusFileError, match="文件不存在"):
        inspect_file(tmp_path / "nope.jsonl")


@pytest.mark.parametrize("bad", [{"months": -3}, {"months": "三年"}, {"probation_months": 999}, {"fine": True}])
def test_impossible_outcome_values_are_bad_records(tmp_path, bad):
    rec = own_record(0, defendants=[{"name": "甲", "charges": ["盗窃罪"], "outcome": {"type": "fixed_term", **bad}}])
    ((_, item),) = list(read_records(inspect_file(write_lines(tmp_path / "a.jsonl", [rec]))))
    assert isinstance(item, RecordError)
    assert "outcome." + next(iter(bad)) in item.message
