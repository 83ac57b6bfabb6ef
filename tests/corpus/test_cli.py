import json

import pytest

from leniency.cli import main
from leniency.corpus.models import Judgment
from tests.judgments.samples import own_record, write_lines

pytestmark = pytest.mark.django_db


def test_import_then_search(tmp_path, capsys):
    path = write_lines(tmp_path / "own.jsonl.gz", [own_record(i) for i in range(12)], "gzip")
    assert main(["corpus", "import", str(path), "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "新增 12 篇" in out
    assert main(["corpus", "search", "被告人翻窗入户盗窃现金", "--charge", "盗窃罪", "--limit", "3"]) == 0
    out = capsys.readouterr().out
    assert "罪名：盗窃罪" in out
    assert out.count("相似之处：") == 3
    assert "可比被告人 4 名" in out
    assert main(["corpus", "search", "醉酒驾驶机动车", "--json", "--limit", "2"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["query_charges"] == ["危险驾驶罪"] and len(data["cases"]) == 2
    assert main(["corpus", "status"]) == 0
    assert "文书 12 篇" in capsys.readouterr().out


def test_import_reports_bad_files_in_chinese_and_goes_on(tmp_path, capsys):
    good = write_lines(tmp_path / "good.jsonl", [own_record(1)])
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    assert main(["corpus", "import", str(empty), str(good), "--no-progress"]) == 2
    captured = capsys.readouterr()
    assert "错误：文件为空：empty.jsonl" in captured.err
    assert "1 个文件未能导入" in captured.err
    assert Judgment.objects.count() == 1


def test_search_on_empty_corpus(capsys):
    assert main(["corpus", "search", "盗窃"]) == 2
    assert "文书库为空" in capsys.readouterr().err


def test_reindex(tmp_path, capsys):
    main(
        ["corpus", "import", str(write_lines(tmp_path / "a.jsonl", [own_record(i) for i in range(3)])), "--no-progress"]
    )
    assert main(["corpus", "reindex"]) == 0
    assert "3 篇" in capsys.readouterr().out


def test_benchmark_retrieval_subcommand_is_wired(monkeypatch, tmp_path):
    calls = []
    import types

    fake = types.ModuleType("leniency.judgments.retrieval.benchmark")
    fake.run = lambda d, output, method: calls.append((d, output, method)) or 0
    monkeypatch.setitem(__import__("sys").modules, "leniency.judgments.retrieval.benchmark", fake)
    assert main(["corpus", "benchmark-retrieval", str(tmp_path), "--method", "bm25", "--output", "r.json"]) == 0
    assert calls == [(tmp_path, __import__("pathlib").Path("r.json"), "bm25")]


def test_benchmark_retrieval_reports_a_bad_directory_in_chinese(tmp_path, capsys):
    assert main(["corpus", "benchmark-retrieval", str(tmp_path / "missing")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and "missing" in err
