import io
import json
import math

import pytest

from leniency.judgments.retrieval import ranking
from leniency.judgments.retrieval.benchmark import main, run
from leniency.judgments.retrieval.dataset import RetrievalDataError, RetrievalError

from .synthetic import make_benchmark, make_law


@pytest.fixture(autouse=True)
def synthetic_law(tmp_path, monkeypatch):
    monkeypatch.setenv("LENIENCY_SHARED_LAW", str(make_law(tmp_path / "law")))


def table(printed: str) -> dict[str, dict[str, float]]:
    lines = printed.splitlines()
    header = next((line for line in lines if line.startswith("口径")), "").split()[1:]
    rows = {}
    for line in lines:
        parts = line.split()
        if parts and parts[0] in ("graded", "pool") and len(parts) == len(header) + 1:
            rows[parts[0]] = dict(zip(header, map(float, parts[1:]), strict=True))
    return rows


def test_ours_ranks_by_charge_and_legal_elements_and_prints_both_protocols(tmp_path):
    directory = make_benchmark(tmp_path / "b")
    output = tmp_path / "rankings.json"
    stream = io.StringIO()
    assert run(directory, output, "ours", stream) == 0
    rankings = json.loads(output.read_text(encoding="utf-8"))
    # the narrative twin d2 (another charge) falls below both thefts
    assert rankings == {"q1": ["d1", "d4", "d2", "d3"], "q2": ["e1", "e2", "e3"]}
    metrics = table(stream.getvalue())
    assert metrics["graded"] == {
        "NDCG@10": 1.0,
        "NDCG@20": 1.0,
        "NDCG@30": 1.0,
        "P@5": 0.2,
        "P@10": 0.1,
        "MAP": 1.0,
    }
    pool_q1 = (3 + 1 / math.log2(4)) / (3 + 1 / math.log2(3))
    assert metrics["pool"]["NDCG@30"] == pytest.approx((pool_q1 + 1) / 2, abs=5e-5)
    assert "仅已标注候选" in stream.getvalue() and "全部候选池" in stream.getvalue()


def test_bm25_baseline_follows_the_shared_narrative(tmp_path):
    directory = make_benchmark(tmp_path / "b")
    output = tmp_path / "rankings.json"
    stream = io.StringIO()
    assert run(directory, output, "bm25", stream) == 0
    rankings = json.loads(output.read_text(encoding="utf-8"))
    assert rankings["q1"][0] == "d2"
    assert sorted(rankings["q1"]) == ["d1", "d2", "d3", "d4"]
    q1 = (1 + 3 / math.log2(3)) / (3 + 1 / math.log2(3))
    metrics = table(stream.getvalue())
    assert metrics["graded"]["NDCG@30"] == pytest.approx((q1 + 1) / 2, abs=5e-5)
    assert metrics["graded"]["MAP"] == pytest.approx(0.75, abs=5e-5)


def test_without_labels_it_still_ranks_and_writes(tmp_path):
    directory = make_benchmark(tmp_path / "b", labels=False)
    output = tmp_path / "rankings.json"
    stream = io.StringIO()
    assert run(directory, output, "ours", stream) == 0
    assert set(json.loads(output.read_text(encoding="utf-8"))) == {"q1", "q2"}
    assert "未提供 labels.json" in stream.getvalue()
    assert table(stream.getvalue()) == {}


def test_a_malformed_file_writes_nothing_and_keeps_the_previous_output(tmp_path):
    directory = make_benchmark(tmp_path / "b")
    (directory / "labels.json").write_text("{", encoding="utf-8")
    output = tmp_path / "rankings.json"
    with pytest.raises(RetrievalDataError, match="labels.json"):
        run(directory, output, "ours", io.StringIO())
    assert not output.exists()
    output.write_text("previous", encoding="utf-8")
    with pytest.raises(RetrievalDataError):
        run(directory, output, "bm25", io.StringIO())
    assert output.read_text(encoding="utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".rankings")] == []


def test_unknown_method_and_unwritable_output(tmp_path):
    directory = make_benchmark(tmp_path / "b")
    with pytest.raises(RetrievalError, match="未知的排序方法：bert"):
        run(directory, None, "bert", io.StringIO())
    with pytest.raises(RetrievalError, match="目录 .* 不存在"):
        run(directory, tmp_path / "absent" / "r.json", "ours", io.StringIO())


def test_missing_law_texts_warn_and_rank_on_text_and_charges(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(ranking, "law_directory", lambda: None)
    directory = make_benchmark(tmp_path / "b")
    output = tmp_path / "rankings.json"
    assert run(directory, output, "ours", io.StringIO()) == 0
    assert "未找到法律文本" in capsys.readouterr().err
    assert json.loads(output.read_text(encoding="utf-8"))["q1"][:2] == ["d1", "d4"]


def test_main_reports_errors_in_chinese(tmp_path, capsys):
    assert main([str(tmp_path / "absent")]) == 2
    assert "错误：找不到目录" in capsys.readouterr().err
    directory = make_benchmark(tmp_path / "b")
    assert main([str(directory), "--method", "bm25"]) == 0
    assert "graded" in capsys.readouterr().out


def test_a_query_without_candidates_gets_an_empty_ranking(tmp_path):
    directory = make_benchmark(tmp_path / "b", labels=False)
    with (directory / "queries.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({"qid": "q3", "text": "被告人醉酒驾驶机动车。", "charges": ["危险驾驶罪"]}) + "\n")
    output = tmp_path / "rankings.json"
    for method in ("ours", "bm25"):
        assert run(directory, output, method, io.StringIO()) == 0
        assert json.loads(output.read_text(encoding="utf-8"))["q3"] == []


def test_a_query_without_charges_takes_those_its_text_names():
    from leniency.judgments.retrieval.dataset import Query

    lexicon = ["盗窃罪", "故意伤害罪"]
    assert ranking.query_charges(Query("q", "被告人入户盗窃现金。"), lexicon) == ("盗窃罪",)
    assert ranking.query_charges(Query("q", "被告人入户盗窃现金。", ("诈骗罪",)), lexicon) == ("诈骗罪",)
