import json
import lzma

import pytest

from leniency.judgments.retrieval.dataset import RetrievalDataError, read_directory

from .synthetic import make_benchmark, write_candidates, write_jsonl


def test_reads_queries_pools_and_labels(tmp_path):
    data = read_directory(make_benchmark(tmp_path / "b"))
    assert [q.qid for q in data.queries] == ["q1", "q2"]
    assert data.queries[0].charges == ("盗窃罪",)
    assert [c.docid for c in data.pools["q1"]] == ["d1", "d2", "d3", "d4"]
    assert data.labels == {"q1": {"d1": 3, "d2": 1, "d3": 0}, "q2": {"e1": 3, "e2": 2, "e3": 0}}


def test_labels_are_optional_and_identifiers_may_be_integers(tmp_path):
    directory = make_benchmark(tmp_path / "b", labels=False)
    write_jsonl(directory / "queries.jsonl", [{"qid": 7, "text": "被告人盗窃。"}])
    write_candidates(directory / "candidates.jsonl.xz", [("7", "1", "", "被告人盗窃。")])
    data = read_directory(directory)
    assert data.labels is None
    assert data.queries[0].qid == "7" and data.queries[0].charges == ()
    assert data.pools["7"][0].title == ""


def test_missing_directory_and_files(tmp_path):
    with pytest.raises(RetrievalDataError, match="找不到目录"):
        read_directory(tmp_path / "absent")
    directory = make_benchmark(tmp_path / "b")
    (directory / "candidates.jsonl.xz").unlink()
    with pytest.raises(RetrievalDataError, match="找不到文件.*candidates.jsonl.xz"):
        read_directory(directory)
    (directory / "queries.jsonl").unlink()
    with pytest.raises(RetrievalDataError, match="找不到文件.*queries.jsonl"):
        read_directory(directory)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"qid": "q1", "text": "甲"}\n{"qid": "q2", "text": \n', "queries.jsonl 第 2 行：不是合法的 JSON"),
        ('{"qid": "q1"}\n', "queries.jsonl 第 1 行：字段“text”缺失"),
        ('{"qid": "q1", "text": "  "}\n', "字段“text”为空"),
        ('{"text": "甲"}\n', "字段“qid”缺失"),
        ('{"qid": "q1", "text": "甲", "charges": "盗窃罪"}\n', "字段“charges”应为字符串列表"),
        ('{"qid": "q1", "text": "甲"}\n{"qid": "q1", "text": "乙"}\n', "qid=q1 重复"),
        ("[1, 2]\n", "应为 JSON 对象"),
        ("\n\n", "没有任何查询"),
    ],
)
def test_malformed_queries(tmp_path, content, message):
    directory = make_benchmark(tmp_path / "b")
    (directory / "queries.jsonl").write_text(content, encoding="utf-8")
    with pytest.raises(RetrievalDataError, match=message):
        read_directory(directory)


def test_malformed_candidates(tmp_path):
    directory = make_benchmark(tmp_path / "b")
    path = directory / "candidates.jsonl.xz"
    write_candidates(path, [("q1", "d1", "甲", "乙"), ("q9", "d2", "甲", "乙")])
    with pytest.raises(RetrievalDataError, match="第 2 行：qid=q9 不在 queries.jsonl 中"):
        read_directory(directory)
    write_candidates(path, [("q1", "d1", "甲", "乙"), ("q1", "d1", "甲", "丙")])
    with pytest.raises(RetrievalDataError, match="docid=d1 在 qid=q1 的候选池中重复"):
        read_directory(directory)
    with lzma.open(path, "wt", encoding="utf-8") as handle:
        handle.write(json.dumps({"qid": "q1", "docid": "d1", "title": "甲"}) + "\n")
    with pytest.raises(RetrievalDataError, match="第 1 行：字段“fact”缺失"):
        read_directory(directory)


def test_truncated_or_uncompressed_candidates(tmp_path):
    directory = make_benchmark(tmp_path / "b")
    path = directory / "candidates.jsonl.xz"
    path.write_bytes(path.read_bytes()[:-40])
    with pytest.raises(RetrievalDataError, match="xz 压缩数据损坏或被截断"):
        read_directory(directory)
    path.write_text('{"qid": "q1"}\n', encoding="utf-8")
    with pytest.raises(RetrievalDataError, match="xz 压缩数据损坏"):
        read_directory(directory)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "labels.json：不是合法的 JSON"),
        ("[1]", "应为 \\{qid: \\{docid: 等级\\}\\}"),
        ('{"q1": [1]}', "qid=q1 的标注应为"),
        ('{"q1": {"d1": 4}}', "docid=d1 的等级应为 0–3 的整数"),
        ('{"q1": {"d1": "3"}}', "docid=d1 的等级应为 0–3 的整数"),
        ('{"q9": {"d1": 3}}', "qid=q9 不在 queries.jsonl 中"),
    ],
)
def test_malformed_labels(tmp_path, content, message):
    directory = make_benchmark(tmp_path / "b")
    (directory / "labels.json").write_text(content, encoding="utf-8")
    with pytest.raises(RetrievalDataError, match=message):
        read_directory(directory)
