"""The sentence as the 量刑建议书 and the 认罪认罚具结书 word it: principal penalty, probation, then the accessory
penalties (刑法第三十四条), 没收财产 named as 没收个人全部财产 / 没收个人部分财产 (刑法第五十九条)."""

from __future__ import annotations

import pytest

from leniency.sentencing import recommend
from leniency.sentencing.wording import months_text, sentence_text


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({"sentence_type": "life", "definite": True, "months": 0, "confiscation": "all"}, "无期徒刑，并处没收个人全部财产"),
        ({"sentence_type": "death", "definite": True, "months": 0, "confiscation": "all"}, "死刑，并处没收个人全部财产"),
        (
            {"sentence_type": "fixed_term", "definite": True, "months": 180, "confiscation": "part"},
            "有期徒刑15年，并处没收个人部分财产",
        ),
        (
            {"sentence_type": "fixed_term", "definite": True, "months": 188, "fine": 3000, "confiscation": "part"},
            "有期徒刑15年8个月，并处罚金人民币3000元，并处没收个人部分财产",
        ),
        (
            {"sentence_type": "fixed_term", "definite": False, "months": None, "months_low": 12, "months_high": 18,
             "probation": True, "probation_months": 24, "fine": 3000},
            "有期徒刑1年至1年6个月，缓刑2年，并处罚金人民币3000元",
        ),
        ({"sentence_type": "detention", "definite": True, "months": 4, "fine": 2000}, "拘役4个月，并处罚金人民币2000元"),
        ({"sentence_type": "exempt", "definite": True, "months": 0}, "免予刑事处罚"),
    ],
)  # fmt: skip
def test_sentence_text(args, expected) -> None:
    args = dict(args)
    assert sentence_text(args.pop("sentence_type"), **args) == expected


def test_months_text() -> None:
    assert [months_text(m) for m in (None, 5, 12, 30)] == ["", "5个月", "1年", "2年6个月"]


def test_engine_recommendation_renders_with_its_confiscation() -> None:
    # 刑法第三百四十七条第二款 数量大, pinned to life: 并处没收财产, all of it with 无期徒刑 (general.yaml).
    facts = {
        "decision_date": "2024-06-01",
        "charges": [{"charge": "走私、贩卖、运输、制造毒品罪", "drugs": [{"type": "heroin", "grams": 500}]}],
    }
    pinned = {"drug_trafficking.heavier.life.at_least": 400.0, "drug_trafficking.heavier.death.at_least": 2000.0}
    s = recommend(facts, params=pinned).sentence
    text = sentence_text(s.type, definite=True, months=s.months, fine=s.fine, confiscation=s.confiscation)
    assert text == "无期徒刑，并处没收个人全部财产"
