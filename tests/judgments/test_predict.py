"""The batch pipeline: input validation, the engine's answer, the discretion, the empirical fallback."""

from __future__ import annotations

import json

import pytest

from leniency.judgments.empirical.model import EmpiricalModel, Opinion
from leniency.judgments.predict import CalibratedParams, InputError, Pipeline, agreement, parse_request
from leniency.law.loader import load_rulebook
from tests.judgments.evaluation.synthetic import synthetic_cases

THEFT = (
    "浙江省杭州市西湖区人民检察院指控：2020年3月1日，被告人张某在杭州市西湖区某小区盗窃他人电动车一辆，"
    "价值人民币8000元。2020年3月5日，被告人张某被抓获，到案后如实供述了自己的罪行。"
)
TYPES = {"fixed_term", "detention", "control", "exempt", "fine_only", "life", "death"}


def width_ok(sentence) -> bool:
    book = load_rulebook()
    import datetime as dt

    months = sentence["months"]
    key = "under_1y" if months < 12 else "1y_3y" if months < 36 else "3y_10y" if months < 120 else "over_10y"
    limit = book.general_param(f"width.{key}").at(dt.date.today())
    low, high = sentence["range"]
    return high - low <= limit and low <= months <= high


@pytest.fixture(scope="module")
def model():
    return EmpiricalModel(rounds=40).fit(synthetic_cases(240, seed=5))


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ([1, 2], "JSON 对象"),
        ({"fact": "x", "defendant": "张某", "charges": ["盗窃罪"]}, "id"),
        ({"id": 1, "fact": None, "defendant": "张某", "charges": ["盗窃罪"]}, "fact"),
        ({"id": 1, "fact": "x", "defendant": "", "charges": ["盗窃罪"]}, "defendant"),
        ({"id": 1, "fact": "x", "defendant": "张某", "charges": []}, "charges"),
        ({"id": 1, "fact": "x", "defendant": "张某", "charges": ["盗窃罪", 3]}, "charges"),
    ],
)
def test_bad_requests_name_the_field(data, field):
    with pytest.raises(InputError, match=field):
        parse_request(data)


def test_rules_only_answer_has_the_issue_shape():
    out = Pipeline(model=None).predict({"id": "a", "fact": THEFT, "defendant": "张某", "charges": ["盗窃罪"]})
    assert out["basis"] == "rules"
    assert set(out["sentence"]) == {"type", "months", "range", "probation", "fine", "confiscation"}
    assert out["sentence"]["type"] in TYPES
    assert width_ok(out["sentence"])
    assert out["facts"]["charges"][0]["amount"] == 8000
    assert out["trace"] and all(step["citation"] for step in out["trace"])
    assert out["empirical"] is None and out["discretion"] is None
    json.dumps(out, ensure_ascii=False)


def test_batch_keeps_order_and_survives_bad_lines():
    lines = [
        json.dumps({"id": 1, "fact": THEFT, "defendant": "张某", "charges": ["盗窃罪"]}, ensure_ascii=False),
        "{broken",
        json.dumps({"id": 3, "fact": THEFT}, ensure_ascii=False),
        json.dumps(
            {"id": 4, "fact": "被告人李某犯罪。", "defendant": "李某", "charges": ["盗窃罪"]}, ensure_ascii=False
        ),
    ]
    outs = Pipeline(model=None).predict_many(lines)
    assert [o["id"] for o in outs] == [1, None, 3, 4]
    assert "sentence" in outs[0]
    assert set(outs[1]) == {"id", "error"} and "JSON" in outs[1]["error"]
    assert "defendant" in outs[2]["error"]
    # no amount in the text: the rules cannot compute and, without a model, the line says so in Chinese
    assert set(outs[3]) == {"id", "error"} and "犯罪数额" in outs[3]["error"]


def test_model_gives_second_opinion_discretion_and_fallback(model):
    pipeline = Pipeline(model=model)
    out = pipeline.predict({"id": "a", "fact": THEFT, "defendant": "张某", "charges": ["盗窃罪"]})
    assert out["basis"] == "rules"
    assert out["empirical"]["range"][0] <= out["empirical"]["months"] <= out["empirical"]["range"][1]
    assert out["agreement"]["level"] in {"agree", "close", "disagree"}
    chosen = out["discretion"]
    assert chosen["parameters"][0] == "theft.starting_point.position"
    assert "general.circumstance.confession_ordinary.point" in chosen["parameters"]
    assert "general.combined.position" not in chosen["parameters"]  # one charge: no 第69条 span
    assert 0.0 <= chosen["position"] <= 1.0
    book = load_rulebook()
    for pid, value in chosen["values"].items():
        low, high = book.parameters[pid].bounds
        assert low <= value <= high, pid
    assert width_ok(out["sentence"])
    fallback = pipeline.predict({"id": "b", "fact": "被告人李某犯罪。", "defendant": "李某", "charges": ["盗窃罪"]})
    assert fallback["basis"] == "empirical"
    assert fallback["sentence"]["type"] in TYPES
    assert any("经验模型" in w for w in fallback["warnings"])
    if fallback["sentence"]["type"] in ("fixed_term", "detention", "control"):
        step = fallback["trace"][0]
        assert step["rule_id"] == "general.terms.statutory_limit" and "刑法" in step["citation"]
        low, high = step["result"]
        assert low <= fallback["sentence"]["months"] <= high
    # an empty fact text is still answered (from the charge), with a warning saying so
    empty = pipeline.predict({"id": "c", "fact": "", "defendant": "李某", "charges": ["盗窃罪"]})
    assert empty["basis"] == "empirical" and any("为空" in w for w in empty["warnings"])


def test_discretion_stays_within_the_rule_bounds(model):
    pipeline = Pipeline(model=model)
    ids = pipeline.discretion_parameters(["盗窃罪", "诈骗罪"])
    assert "theft.starting_point.position" in ids and "general.combined.position" in ids
    book = load_rulebook()
    assert all(book.parameters[pid].calibrated for pid in ids)


def test_calibrated_params_by_province():
    params = CalibratedParams(
        {"theft.starting_point.position": 0.2}, {"浙江省": {"theft.starting_point.position": 0.6}}
    )
    assert params.for_province("浙江省") == {"theft.starting_point.position": 0.6}
    assert params.for_province("江苏省") == {"theft.starting_point.position": 0.2}
    assert CalibratedParams.from_json(params.to_json()) == params


def test_agreement_levels_by_hand():
    rules = {"type": "fixed_term", "months": 12, "range": [10, 14]}
    same = Opinion("fixed_term", 13, 10, 16, False, 0.9)  # |ln 13 − ln 14| = 0.074
    assert agreement(rules, same)["level"] == "agree"
    far = Opinion("fixed_term", 36, 30, 48, False, 0.9)  # ln(37/13) = 1.05
    result = agreement(rules, far)
    assert result["level"] == "disagree" and result["ranges_overlap"] is False
    assert agreement(rules, Opinion("life", 0, 0, 0, False, 0.7))["level"] == "disagree"


class _SevenMonthsOfDetention(EmpiricalModel):
    """A model whose training data held 拘役 of up to nine months and whose median says 7.4 months."""

    def __init__(self) -> None:
        super().__init__()
        self.bounds = {"detention": (1.0, 9.0)}

    def opinions(self, cases, facts=None):
        import math

        from leniency.judgments.empirical.limits import distinct_charges

        return [
            self._opinion(
                "detention", 0.9, math.log1p(6), math.log1p(7.4), math.log1p(9), 0.0, distinct_charges(c.charges)
            )
            for c in cases
        ]


def test_empirical_fallback_keeps_detention_within_the_law():
    pipeline = Pipeline(model=_SevenMonthsOfDetention())
    one = pipeline.predict({"id": "a", "fact": "被告人李某犯罪。", "defendant": "李某", "charges": ["盗窃罪"]})
    assert one["basis"] == "empirical"
    assert one["sentence"]["type"] == "detention" and one["sentence"]["months"] == 6
    assert one["sentence"]["range"][1] <= 6
    assert "第四十二条" in one["trace"][0]["citation"] and "6个月" in one["trace"][0]["explanation"]
    two = pipeline.predict(
        {"id": "b", "fact": "被告人李某犯罪。", "defendant": "李某", "charges": ["盗窃罪", "诈骗罪"]}
    )
    assert two["basis"] == "empirical" and two["sentence"]["months"] == 7 and two["sentence"]["range"][1] == 9
    assert "第六十九条" in two["trace"][0]["citation"]


def test_two_names_of_one_crime_are_one_charge():
    fact = "经审理查明：被告人张某于2020年3月在杭州市贩卖淫秽光盘3000张，获利人民币6000元。"
    pipeline = Pipeline(model=None)
    both = pipeline.predict(
        {
            "id": 1,
            "fact": fact,
            "defendant": "张某",
            "charges": ["制造、贩卖、传播淫秽物品罪", "制作、复制、出版、贩卖、传播淫秽物品牟利罪"],
        }
    )
    one = pipeline.predict({"id": 2, "fact": fact, "defendant": "张某", "charges": ["制造、贩卖、传播淫秽物品罪"]})
    assert both["sentence"] == one["sentence"]
    assert len(both["facts"]["charges"]) == 1
    assert not any(step["rule_id"] == "general.combined" for step in both["trace"])
    assert any("同一罪名" in w for w in both["warnings"])
    # 同一罪名 written twice is simply one charge
    twice = pipeline.predict(
        {"id": 3, "fact": fact, "defendant": "张某", "charges": ["制造、贩卖、传播淫秽物品罪"] * 2}
    )
    assert twice["sentence"] == one["sentence"] and not any("同一罪名" in w for w in twice["warnings"])


class _MostlySoleFine(EmpiricalModel):
    """A model saying similar judgments mostly gave 单处罚金 (or, for `share_fixed` > 0.5, 有期徒刑)."""

    def __init__(self, share_fixed: float = 0.2) -> None:
        super().__init__()
        self.share_fixed = share_fixed

    def opinions(self, cases, facts=None):
        shares = {"fine_only": 0.7 - self.share_fixed + 0.2, "detention": 0.1, "fixed_term": self.share_fixed}
        best = max(shares, key=shares.get)
        months = 8.0 if best == "fixed_term" else 0.0
        return [Opinion(best, months, months, months, False, shares[best], None, shares) for _ in cases]


def test_pipeline_chooses_a_lawful_type_from_the_opinion_and_cites_it():
    line = {"id": "a", "fact": THEFT, "defendant": "张某", "charges": ["盗窃罪"]}
    out = Pipeline(model=_MostlySoleFine()).predict(line)
    assert out["basis"] == "rules"
    assert out["sentence"]["type"] == "fine_only" and out["sentence"]["months"] == 0 and out["sentence"]["fine"]
    steps = [s for s in out["trace"] if s["rule_id"] == "general.sentence.type_choice"]
    assert len(steps) == 1 and "单处罚金" in steps[0]["explanation"] and "二(三)5" in steps[0]["citation"]
    # when similar judgments mostly gave a fixed term, the engine's own type stands
    fixed = Pipeline(model=_MostlySoleFine(share_fixed=0.8)).predict(line)
    assert fixed["sentence"]["type"] == "fixed_term"
    assert not any(s["rule_id"] == "general.sentence.type_choice" for s in fixed["trace"])
    # without a model the rules alone decide
    assert Pipeline(model=None).predict(line)["sentence"]["type"] != "fine_only"


def test_drug_large_quantity_carries_confiscation_and_no_fine():
    # 刑法第三百四十七条第二款: 数量大 … 并处没收财产 (no 罚金); 全部 with life or death, else 部分 (general.yaml).
    fact = "经审理查明，2023年5月12日，被告人张某在某市某区贩卖海洛因60克给李某，被公安民警当场抓获。"
    out = Pipeline(model=None).predict(
        {"id": "d", "fact": fact, "defendant": "张某", "charges": ["走私、贩卖、运输、制造毒品罪"]}
    )
    sentence = out["sentence"]
    assert sentence["fine"] is None
    assert sentence["confiscation"] == ("all" if sentence["type"] in ("life", "death") else "part")
    assert any("刑法第五十九条" in step["citation"] for step in out["trace"])
    theft = Pipeline(model=None).predict({"id": "t", "fact": THEFT, "defendant": "张某", "charges": ["盗窃罪"]})
    assert theft["sentence"]["confiscation"] is None and theft["sentence"]["fine"]
