"""`leniency predict`, `leniency evaluate`, `leniency model`, `leniency calibrate` end to end on tiny files."""

from __future__ import annotations

import json

import pytest

from leniency.cli import main
from tests.judgments.evaluation.synthetic import synthetic_cases

THEFT = (
    "公诉机关指控：2020年3月1日，被告人张某在某市某小区盗窃他人电动车一辆，价值人民币8000元。"
    "被告人张某到案后如实供述了自己的罪行。"
)


def gold_row(case, rec=None) -> dict:
    return {
        "id": case.id,
        "doc_id": case.doc_id,
        "source": "lecard",
        "input": {"fact": case.fact, "defendant": case.defendant, "charges": list(case.charges),
                  "charges_canonical": list(case.charges), "n_defendants": 1},
        "gold": {"type": "fixed" if case.type == "fixed_term" else case.type, "months": int(case.months),
                 "probation_months": 12 if case.probation else None, "fine": None, "life": False, "death": False},
        "prosecutor_recommendation": rec,
    }  # fmt: skip


def write_lines(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def test_predict_cli_answers_every_line_in_order(tmp_path, capsys):
    rows = [{"id": i, "fact": THEFT, "defendant": "张某", "charges": ["盗窃罪"]} for i in range(40)]
    rows[7] = {"id": 7, "fact": THEFT, "defendant": "张某"}
    source = tmp_path / "cases.jsonl"
    write_lines(source, rows)
    with source.open("a", encoding="utf-8") as handle:
        handle.write("{not json\n")
    out = tmp_path / "out.jsonl"
    assert main(["predict", "--input", str(source), "--output", str(out), "--no-model", "--workers", "2"]) == 0
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 41
    assert [line["id"] for line in lines[:40]] == list(range(40))
    assert set(lines[7]) == {"id", "error"} and "charges" in lines[7]["error"]
    assert set(lines[40]) == {"id", "error"}
    assert all("sentence" in line for i, line in enumerate(lines[:40]) if i != 7)
    err = capsys.readouterr().err
    assert "无法处理 2 行" in err
    assert not list(tmp_path.glob("*.partial"))


def test_predict_cli_missing_input_is_a_chinese_error(tmp_path, capsys):
    code = main(["predict", "--input", str(tmp_path / "none.jsonl"), "--output", str(tmp_path / "o.jsonl")])
    assert code == 2
    assert "输入文件不存在" in capsys.readouterr().err
    assert not (tmp_path / "o.jsonl").exists()


def test_evaluate_cli_by_hand(tmp_path, capsys):
    cases = synthetic_cases(3, seed=2)
    rec = {"bound": "range", "low_months": 1, "high_months": 400, "type": "fixed", "probation": None}
    gold = tmp_path / "gold.jsonl"
    write_lines(gold, [gold_row(c, rec) for c in cases])
    pred = tmp_path / "pred.jsonl"
    exact = {"type": cases[0].type, "months": int(cases[0].months), "range": [int(cases[0].months)] * 2}
    write_lines(pred, [{"id": cases[0].id, "sentence": {**exact, "probation": cases[0].probation, "fine": None}},
                       {"id": cases[1].id, "error": "规则引擎无法计算"}])  # fmt: skip
    report = tmp_path / "r.json"
    assert main(["evaluate", "--gold", str(gold), "--pred", str(pred), "--min-cases", "1", "--json", str(report)]) == 0
    result = json.loads(report.read_text(encoding="utf-8"))
    assert result["n_gold"] == 3 and result["answered"] == 1 and result["unanswered"] == 2
    assert result["overall"]["cail"] == pytest.approx(1 / 3)
    assert result["overall"]["winkler_s"] == pytest.approx(1 / 3)
    assert result["prosecutor_record"]["inside_all"] == 1.0
    out = capsys.readouterr().out
    assert "CAIL2018 刑期分" in out and "0.333" in out


def test_model_info_without_model(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("LENIENCY_VAR_DIR", str(tmp_path))
    assert main(["model", "info"]) == 0
    assert "没有经验模型" in capsys.readouterr().out


def test_model_train_and_calibrate_dry_run(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("LENIENCY_VAR_DIR", str(tmp_path))
    gold = tmp_path / "gold.jsonl"
    write_lines(gold, [gold_row(c) for c in synthetic_cases(90, seed=4)])
    assert main(["model", "train", "--data", str(gold)]) == 0
    assert (tmp_path / "models" / "empirical.pkl").is_file()
    assert main(["model", "info"]) == 0
    assert "训练 90 人" in capsys.readouterr().out
    params = tmp_path / "params.json"
    assert main(["calibrate", "--data", str(gold), "--dry-run", "--params-out", str(params)]) == 0
    out = capsys.readouterr().out
    assert "theft.starting_point.position" in out
    assert "theft.starting_point.position" in json.loads(params.read_text(encoding="utf-8"))["national"]
