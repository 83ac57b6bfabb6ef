"""`leniency sentence facts.json [--format text|json]` and `leniency schema facts`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from leniency.cli import main

FACTS = {
    "province": "北京",
    "decision_date": "2024-06-01",
    "charges": [{"charge": "盗窃罪", "amount": 30000}],
    "circumstances": {"confession": "ordinary"},
    "plea_stage": "investigation",
}


@pytest.fixture
def facts_file(tmp_path: Path) -> Path:
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(FACTS, ensure_ascii=False), encoding="utf-8")
    return path


def test_text_output_in_chinese(facts_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sentence", str(facts_file)]) == 0
    out = capsys.readouterr().out
    assert "量刑建议" in out and "确定刑：" in out and "幅度刑：" in out
    assert "依据：法发〔2021〕21号 四(十一)1(1)" in out
    assert "侦查阶段认罪认罚" in out


def test_json_output(facts_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sentence", str(facts_file), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["sentence"]["type"] in ("fixed_term", "detention")
    assert data["trace"][0]["rule_id"] == "theft.starting_point.large"


def test_bad_facts_exit_2_with_chinese_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"charges": [{"charge": "盗窃罪", "amount": -3}]}), encoding="utf-8")
    assert main(["sentence", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：事实有误：") and "amount" in err


def test_invalid_json_and_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{", encoding="utf-8")
    assert main(["sentence", str(path)]) == 2
    assert "不是有效的 JSON" in capsys.readouterr().err
    assert main(["sentence", str(tmp_path / "none.json")]) == 2
    assert "无法读取事实文件" in capsys.readouterr().err


def test_schema_facts(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "facts"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "Facts"
    assert "plea_stage" in schema["properties"]


def test_text_output_lists_each_charge_of_a_combined_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    facts = {
        "decision_date": "2024-06-01",
        "charges": [{"charge": "盗窃罪", "amount": 60000}, {"charge": "开设赌场罪"}],
    }
    path = tmp_path / "two.json"
    path.write_text(json.dumps(facts, ensure_ascii=False), encoding="utf-8")
    assert main(["sentence", str(path)]) == 0
    out = capsys.readouterr().out
    assert "· 盗窃罪：有期徒刑" in out and "· 开设赌场罪：" in out and "（指导意见以外）" in out
    assert "数罪并罚" in out and "刑法第六十九条" in out


def test_text_output_names_the_confiscation(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # 刑法第三百四十七条第二款 数量大: 并处没收财产, no 罚金.
    facts = {
        "decision_date": "2024-06-01",
        "charges": [{"charge": "走私、贩卖、运输、制造毒品罪", "drugs": [{"type": "heroin", "grams": 60}]}],
    }
    path = tmp_path / "drugs.json"
    path.write_text(json.dumps(facts, ensure_ascii=False), encoding="utf-8")
    assert main(["sentence", str(path)]) == 0
    out = capsys.readouterr().out
    assert "  罚金：无" in out
    assert "  没收财产：没收个人部分财产" in out or "  没收财产：没收个人全部财产" in out
    assert "刑法第五十九条" in out
