"""`leniency rules check` passes on the shipped data and fails clearly on a broken file."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from leniency.cli import main
from leniency.law import load_rulebook, read_rulebook
from leniency.law.validation import check_rules


def test_shipped_data_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "check"]) == 0
    out = capsys.readouterr().out
    assert "规则数据检查通过" in out
    report = check_rules()
    # general.yaml, statutory.yaml, the 23 crimes of 法发〔2021〕21号 and the 2 of 法〔2024〕132号 whose text we have
    assert report.ok and report.files == 27 and report.calibrated > 0


def test_every_parameter_is_cited_and_dated() -> None:
    for parameter in load_rulebook().parameters.values():
        assert parameter.reference, parameter.id
        assert parameter.label, parameter.id
        assert parameter.values.dates, parameter.id


def test_all_23_guideline_crimes_present() -> None:
    book = load_rulebook()
    expected = {
        "交通肇事罪", "危险驾驶罪", "非法吸收公众存款罪", "集资诈骗罪", "信用卡诈骗罪", "合同诈骗罪", "故意伤害罪", "强奸罪",
        "非法拘禁罪", "抢劫罪", "盗窃罪", "诈骗罪", "抢夺罪", "职务侵占罪", "敲诈勒索罪", "妨害公务罪", "聚众斗殴罪", "寻衅滋事罪",
        "掩饰、隐瞒犯罪所得、犯罪所得收益罪", "走私、贩卖、运输、制造毒品罪", "非法持有毒品罪", "容留他人吸毒罪", "引诱、容留、介绍卖淫罪",
    }  # fmt: skip
    # 法〔2024〕132号 adds 非法经营罪 and 猥亵儿童罪 from 2024-07-01; before that they keep their statutory entries
    assert set(book.crimes) == expected | {"非法经营罪", "猥亵儿童罪"}
    assert {c for c in book.crimes if book.crimes[c].effective} == {"非法经营罪", "猥亵儿童罪"}
    assert {"开设赌场罪", "非法经营罪", "虚开增值税专用发票、用于骗取出口退税、抵扣税款发票罪"} <= set(book.statutory)


def test_missing_reference_is_reported(data_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = data_copy / "crimes" / "theft.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["parameters"]["threshold.large"]["reference"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert main(["rules", "check", "--data-dir", str(data_copy)]) == 1
    out = capsys.readouterr().out
    assert "theft.yaml：参数 threshold.large：缺少 reference（出处为必填项）" in out
    assert "检查未通过" in out


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda d: d["parameters"]["starting_point.large"]["values"].update({"2021-07-01": [12, 1]}),
            "下限 12 大于上限 1",
        ),
        (lambda d: d["parameters"]["threshold.large"].update({"values": {"2013-02-30": 2000}}), "不是有效日期"),
        (lambda d: d["parameters"]["starting_point.position"].update({"bounds": [0.5, 0.1]}), "bounds 下限大于上限"),
        (lambda d: d["tiers"][0].update({"bracket": "b9"}), "不存在的法定刑幅度"),
        (lambda d: d["parameters"]["threshold.large"].update({"unit": "dollars"}), "未知单位"),
        (lambda d: d["tiers"][2]["when"]["any"].append({"situation": ["teleportation"]}), "未定义的具体情形"),
        (
            lambda d: d["parameters"]["starting_point.large"]["values"].update({"2021-07-01": [1, 400]}),
            "超出法定刑幅度",
        ),
    ],
)
def test_broken_file_fails_with_clear_message(data_copy: Path, mutate, message: str) -> None:
    path = data_copy / "crimes" / "theft.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for spec in data["parameters"].values():  # keep dates as ISO strings when re-dumping
        spec["values"] = {str(k): v for k, v in spec["values"].items()}
    mutate(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    report = check_rules(data_copy)
    assert not report.ok
    assert any(message in e for e in report.errors), report.errors


def test_unreadable_yaml_is_reported(data_copy: Path) -> None:
    (data_copy / "crimes" / "fraud.yaml").write_text("charge: [诈骗罪\n", encoding="utf-8")
    report = check_rules(data_copy)
    assert any("fraud.yaml：YAML 格式错误" in e for e in report.errors)


def test_dangling_parameter_reference_is_reported(data_copy: Path) -> None:
    path = data_copy / "crimes" / "robbery.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for spec in data["parameters"].values():
        spec["values"] = {str(k): v for k, v in spec["values"].items()}
    data["tiers"][0]["increments"][0]["months"] = "increment.nonexistent"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    report = check_rules(data_copy)
    assert any("不存在的参数" in e for e in report.errors), report.errors


def test_loader_is_cached_and_overlays_resolve() -> None:
    assert load_rulebook() is load_rulebook()
    book = read_rulebook()
    threshold = book.parameters["theft.threshold.large"]
    import datetime as dt

    day = dt.date(2024, 1, 1)
    assert threshold.at(day, book.regions("浙江省", None)) == 3000
    assert threshold.at(day, book.regions("广东省", "深圳市")) == 3000
    assert threshold.at(day, book.regions("广东省", "湛江市")) == 2000
    assert threshold.at(day, book.regions("湖北省", "恩施州利川市")) == 1000
    assert threshold.at(day, ()) == 2000
    assert book.province("33") == "浙江省" and book.province("内蒙古") == "内蒙古自治区"


def test_statutory_ranges_parsed_from_the_criminal_law() -> None:
    book = load_rulebook()
    abuse = book.statutory["滥用职权罪"]
    assert abuse["parsed_from_text"] is True
    assert [(b["gravity"], b["min"], b["max"]) for b in abuse["brackets"]] == [("ordinary", 0, 36), ("serious", 36, 84)]
    kidnap = {b["gravity"]: (b["min"], b["max"]) for b in book.statutory["绑架罪"]["brackets"]}
    assert kidnap == {"ordinary": (120, 180), "lesser": (60, 120)}
    assert book.canonical_charge("掩饰隐瞒犯罪所得、犯罪所得收益罪") == "掩饰、隐瞒犯罪所得、犯罪所得收益罪"
    assert len(book.statutory) >= 100


def test_statutory_ranges_must_rise_with_gravity(data_copy: Path) -> None:
    path = data_copy / "statutory.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    entry = next(e for e in data["crimes"] if e["charge"] == "开设赌场罪")
    entry["brackets"][0]["gravity"], entry["brackets"][1]["gravity"] = "serious", "ordinary"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    report = check_rules(data_copy)
    assert any("开设赌场罪 的法定刑幅度应随情节加重而升高" in e for e in report.errors), report.errors


def test_a_value_breaking_an_ordering_is_refused(data_copy: Path) -> None:
    path = data_copy / "general.yaml"
    text = path.read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    assert any(o["id"] == "plea_stage" for o in raw["orderings"])
    spec = raw["parameters"]["plea.stage.appeal_trial"]
    latest = max(spec["values"], key=str)
    spec["values"][latest] = 0.3  # a second-instance plea earning more than one at trial
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    report = check_rules(data_copy)
    assert not report.ok
    assert any("plea_stage" in e and "plea.stage.appeal_trial" in e for e in report.errors)
