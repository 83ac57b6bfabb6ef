"""Bad facts give a clear Chinese error naming the field; good facts round-trip through JSON."""

from __future__ import annotations

import json

import pytest

from leniency.sentencing import Facts, FactsError, parse_facts, recommend

BASE = {"decision_date": "2024-06-01", "charges": [{"charge": "盗窃罪", "amount": 5000}]}


@pytest.mark.parametrize(
    ("facts", "field", "words"),
    [
        ({**BASE, "charges": [{"charge": "盗窃罪", "amount": -1}]}, "amount", "不能小于"),
        ({**BASE, "charges": [{"charge": "偷窃罪", "amount": 5000}]}, "charge", "未知罪名"),
        ({**BASE, "decision_date": "2023-02-30"}, "decision_date", "不是有效日期"),
        ({**BASE, "charges": [{"charge": "盗窃罪"}]}, "amount", "缺少"),
        ({**BASE, "charges": []}, "charges", "至少需要"),
        ({**BASE, "plea_stage": "sometime"}, "plea_stage", "取值无效"),
        ({**BASE, "province": "火星"}, "province", "无法识别"),
        ({**BASE, "age_at_offence": 11}, "age_at_offence", "不满十二周岁"),
        ({**BASE, "offence_date": "2025-01-01"}, "offence_date", "晚于"),
        ({**BASE, "charges": [{"charge": "盗窃罪", "amount": 5000, "colour": "red"}]}, "colour", "不是可识别的字段"),
        (
            {**BASE, "charges": [{"charge": "走私、贩卖、运输、制造毒品罪", "drugs": [{"type": "other", "grams": 3}]}]},
            "heroin_equivalent_grams",
            "折算",
        ),
    ],
)
def test_bad_facts_name_the_field_in_chinese(facts: dict, field: str, words: str) -> None:
    with pytest.raises(FactsError) as info:
        recommend(facts)
    message = str(info.value)
    assert field in message
    assert words in message
    assert isinstance(info.value, ValueError)


def test_parse_facts_rejects_non_objects() -> None:
    with pytest.raises(FactsError, match="JSON 对象"):
        parse_facts(["盗窃罪"])


def test_plea_without_stage_defaults_to_prosecution_review() -> None:
    facts = parse_facts({**BASE, "plea": True})
    assert facts.plea_stage == "prosecution_review"
    assert parse_facts({**BASE, "plea_stage": "trial"}).plea is True


def test_recommendation_is_json_serialisable_and_complete() -> None:
    rec = recommend({**BASE, "province": "浙江", "plea_stage": "investigation"})
    data = json.loads(json.dumps(rec.model_dump(mode="json"), ensure_ascii=False))
    assert set(data["sentence"]) == {"type", "months", "range", "probation", "probation_months", "fine", "confiscation"}
    assert data["rule_edition"] == "法发〔2021〕21号"
    assert data["outside_guideline"] is False
    for step in data["trace"]:
        assert set(step) == {"rule_id", "citation", "inputs", "result", "explanation"}
    # The JSON form validates back into the public model.
    from leniency.sentencing import Recommendation

    assert Recommendation.model_validate(data).sentence.months == rec.sentence.months


def test_json_schema_lists_fields_with_chinese_titles() -> None:
    schema = Facts.model_json_schema()
    assert schema["properties"]["plea_stage"]["title"] == "认罪认罚阶段"
    assert "ChargeFacts" in schema["$defs"]


def test_facts_edition_follows_decision_date() -> None:
    old = recommend({**BASE, "decision_date": "2019-01-01"})
    new = recommend(BASE)
    assert old.rule_edition == "法发〔2017〕7号"
    assert new.rule_edition == "法发〔2021〕21号"
    assert any("早于" in w for w in recommend({**BASE, "decision_date": "2010-01-01"}).warnings)


def test_amount_below_default_threshold_without_province_asks_for_the_province() -> None:
    with pytest.raises(FactsError) as info:
        recommend({"decision_date": "2024-06-01", "charges": [{"charge": "盗窃罪", "amount": 1500}]})
    assert "请填写省份" in str(info.value) and info.value.field == "charges.0.amount"
    # 贵州 sets 数额较大 at 1000 yuan: the same amount is a crime there.
    rec = recommend(
        {"decision_date": "2024-06-01", "province": "贵州", "charges": [{"charge": "盗窃罪", "amount": 1500}]}
    )
    assert rec.trace[0].rule_id == "theft.starting_point.large"


def test_one_crime_listed_twice_is_refused_not_combined():
    # 盗窃 and 盗窃罪 are one crime: combining them under 第六十九条 would punish it twice.
    facts = {
        "decision_date": "2023-05-01",
        "charges": [{"charge": "盗窃罪", "amount": 5000}, {"charge": "盗窃", "amount": 3000}],
    }
    with pytest.raises(FactsError) as error:
        recommend(facts)
    assert error.value.field == "charges.1.charge"
    assert "与第1项是同一罪名（盗窃罪）" in str(error.value) and "合并为一项" in str(error.value)
