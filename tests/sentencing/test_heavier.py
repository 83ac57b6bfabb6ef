"""Life and death come only from a bracket's own cited, calibrated thresholds (heavier_penalties in the rule data)."""

from __future__ import annotations

from typing import Any

import pytest

from leniency.sentencing import recommend
from leniency.sentencing.compiled import _bracket


def _raw(**penalty: Any) -> dict[str, Any]:
    entry = {
        "id": "test.life",
        "type": "life",
        "label": "测试",
        "fact": "deaths",
        "at_least": 1,
        "reference": "刑法第二百三十二条",
        "calibrated": True,
    }
    entry.update(penalty)
    return {
        "id": "b2",
        "label": "死刑、无期徒刑或者十年以上有期徒刑",
        "min": 120,
        "max": 180,
        "types": ["fixed_term"],
        "reference": "刑法第二百三十二条",
        "life_possible": True,
        "heavier_penalties": [{k: v for k, v in entry.items() if v is not None}],
    }


def test_valid_threshold_is_compiled() -> None:
    bracket = _bracket(_raw(at_least=2, type="death"))
    (penalty,) = bracket.heavier
    assert (penalty.type, penalty.fact, penalty.threshold, penalty.citation) == (
        "death",
        "deaths",
        2.0,
        "刑法第二百三十二条",
    )
    assert penalty.leniency_max == 0.0 and penalty.when is None


def test_bracket_without_thresholds_has_none() -> None:
    raw = _raw()
    del raw["heavier_penalties"]
    assert _bracket(raw).heavier == ()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"type": "fixed_term"}, "type 只能是 life 或 death"),
        ({"calibrated": None}, "calibrated: true"),
        ({"reference": None}, "缺少 reference"),
        ({"fact": None}, "缺少 fact"),
        ({"at_least": None}, "缺少 at_least"),
        ({"at_least": 0}, "at_least 应为正数"),
        ({"at_least": True}, "at_least 应为数字或参数名"),
        ({"at_least": "heavier.life.at_least"}, "只能在罪名规则文件中使用"),
        ({"fact": "weight"}, "不是引擎的数值事实"),
        ({"fact": "situations"}, "不是引擎的数值事实"),
        ({"deaths_min": 1}, "未知的键"),
        ({"leniency_max": 1.0}, "应小于 1"),
        ({"leniency_max": -0.1}, "leniency_max 应为非负数"),
    ],
)
def test_bad_threshold_is_rejected_in_chinese(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _bracket(_raw(**change))


def test_threshold_needs_a_bracket_that_provides_life() -> None:
    raw = _raw()
    raw["life_possible"] = False
    with pytest.raises(ValueError, match="life_possible"):
        _bracket(raw)


def test_death_needs_a_bracket_whose_statute_names_death() -> None:
    raw = _raw(type="death")
    raw["label"] = "十年以上有期徒刑或者无期徒刑"
    with pytest.raises(ValueError, match="没有死刑"):
        _bracket(raw)
    raw["heavier_penalties"][0]["type"] = "life"
    assert _bracket(raw).heavier[0].type == "life"


# ------------------------------------------------------------------------------------------ the engine's use
DAY = "2024-06-01"
# The thresholds are pinned here so that values fitted later by `leniency calibrate` do not change what is tested.
PINNED = {
    "drug_trafficking.heavier.life.at_least": 400.0,
    "drug_trafficking.heavier.death.at_least": 2000.0,
    "drug_trafficking.heavier.life.leniency_max": 0.0,
    "drug_trafficking.heavier.death.leniency_max": 0.0,
    "injury.heavier.life.at_least": 1.0,
    "injury.heavier.death.at_least": 3.0,
    "injury.heavier.cruel.at_least": 9.0,
    "injury.heavier.life.leniency_max": 0.0,
    "injury.heavier.death.leniency_max": 0.0,
    "robbery.heavier.life.at_least": 1.0,
    "robbery.heavier.death.at_least": 2.0,
    "robbery.heavier.life.leniency_max": 0.0,
    "robbery.heavier.death.leniency_max": 0.0,
    "fraud.heavier.life.at_least": 10_000_000.0,
    "fraud.heavier.life.leniency_max": 0.0,
    "contract_fraud.heavier.life.at_least": 10_000_000.0,
    "contract_fraud.heavier.life.leniency_max": 0.0,
    "fundraising_fraud.heavier.life.at_least": 30_000_000.0,
    "fundraising_fraud.heavier.life.leniency_max": 0.0,
}


def _meth(grams: float) -> dict[str, Any]:
    return {"charge": "走私、贩卖、运输、制造毒品罪", "drugs": [{"type": "methamphetamine", "grams": grams}]}


# (name, charge facts over the threshold, the same below it, type, rule id, article the step cites, fact shown)
HEAVIER_CASES = [
    (
        "毒品无期",
        _meth(500),
        _meth(300),
        "life",
        "drug_trafficking.heavier.life",
        "刑法第三百四十七条第二款",
        "毒品500",
    ),
    ("毒品死刑", _meth(2500), _meth(1500), "death", "drug_trafficking.heavier.death", "刑法第四十八条", "毒品2500"),
    (
        "故意伤害致死",
        {"charge": "故意伤害罪", "deaths": 1},
        {"charge": "故意伤害罪", "injuries": ["serious_injury_2"]},
        "life",
        "injury.heavier.life",
        "刑法第二百三十四条第二款",
        "死亡人数1人",
    ),
    (
        "故意伤害致三人死亡",
        {"charge": "故意伤害罪", "deaths": 3},
        {"charge": "故意伤害罪", "deaths": 1},
        "death",
        "injury.heavier.death",
        "刑法第二百三十四条第二款",
        "死亡人数3人",
    ),
    (
        "特别残忍手段致人重伤造成严重残疾",
        {
            "charge": "故意伤害罪",
            "injuries": ["serious_injury_1"],
            "disability_grade": 1,
            "situations": ["especially_cruel"],
        },
        {
            "charge": "故意伤害罪",
            "injuries": ["serious_injury_1"],
            "disability_grade": 4,
            "situations": ["especially_cruel"],
        },
        "life",
        "injury.heavier.cruel",
        "刑法第二百三十四条第二款",
        "伤残等级1级",
    ),
    (
        "抢劫致人死亡",
        {"charge": "抢劫罪", "deaths": 1, "amount": 2000},
        {"charge": "抢劫罪", "injuries": ["serious_injury_2"], "amount": 2000},
        "life",
        "robbery.heavier.life",
        "刑法第二百六十三条",
        "死亡人数1人",
    ),
    (
        "抢劫致二人死亡",
        {"charge": "抢劫罪", "deaths": 2, "amount": 2000},
        {"charge": "抢劫罪", "deaths": 1, "amount": 2000},
        "death",
        "robbery.heavier.death",
        "刑法第二百六十三条",
        "死亡人数2人",
    ),
    (
        "诈骗数额",
        {"charge": "诈骗罪", "amount": 20_000_000},
        {"charge": "诈骗罪", "amount": 5_000_000},
        "life",
        "fraud.heavier.life",
        "刑法第二百六十六条",
        "犯罪数额20000000元",
    ),
    (
        "合同诈骗数额",
        {"charge": "合同诈骗罪", "amount": 12_000_000},
        {"charge": "合同诈骗罪", "amount": 9_000_000},
        "life",
        "contract_fraud.heavier.life",
        "刑法第二百二十四条",
        "犯罪数额12000000元",
    ),
    (
        "集资诈骗数额",
        {"charge": "集资诈骗罪", "amount": 40_000_000},
        {"charge": "集资诈骗罪", "amount": 20_000_000},
        "life",
        "fundraising_fraud.heavier.life",
        "刑法第一百九十二条",
        "犯罪数额40000000元",
    ),
]


def _recommend(charge: dict[str, Any], params: dict[str, float] | None = None, **facts: Any):
    return recommend({"decision_date": DAY, "charges": [charge], **facts}, params={**PINNED, **(params or {})})


@pytest.mark.parametrize(
    ("over", "under", "kind", "rule_id", "article", "shown"),
    [pytest.param(*case[1:], id=case[0]) for case in HEAVIER_CASES],
)
def test_threshold_met_gives_life_or_death_with_a_cited_chinese_step(
    over: dict[str, Any], under: dict[str, Any], kind: str, rule_id: str, article: str, shown: str
) -> None:
    result = _recommend(over)
    assert (result.sentence.type, result.sentence.months) == (kind, 0)
    (step,) = [s for s in result.trace if s.rule_id == rule_id]
    assert article in step.citation
    label = "无期徒刑" if kind == "life" else "死刑"
    assert shown in step.explanation and f"建议判处{label}" in step.explanation
    assert any(f"建议判处{label}" in w and "人工审查" in w for w in result.warnings)
    # Below the threshold this penalty is not recommended (a death threshold missed may still reach life).
    below = _recommend(under)
    assert below.sentence.type == ("fixed_term" if kind == "life" else "life")
    assert not any(s.rule_id == rule_id for s in below.trace)


@pytest.mark.parametrize(
    ("over", "kind"),
    [pytest.param(case[1], case[3], id=case[0]) for case in HEAVIER_CASES],
)
@pytest.mark.parametrize(
    "mitigation",
    [
        pytest.param({"circumstances": {"surrender": True}}, id="自首"),
        pytest.param({"completion": "attempt"}, id="未遂"),
        pytest.param({"role": "accessory"}, id="从犯"),
    ],
)
def test_a_mitigating_ground_excludes_life_and_death(
    over: dict[str, Any], kind: str, mitigation: dict[str, Any]
) -> None:
    result = _recommend(over, **mitigation)
    assert result.sentence.type == "fixed_term"
    assert not any(".heavier." in s.rule_id for s in result.trace)


def test_other_leniency_is_tolerated_only_up_to_the_calibrated_share() -> None:
    facts = {"circumstances": {"confession": "ordinary"}}
    assert _recommend(_meth(2500), **facts).sentence.type == "fixed_term"  # by default any leniency excludes it
    tolerant = {"drug_trafficking.heavier.death.leniency_max": 0.3}
    result = _recommend(_meth(2500), tolerant, **facts)
    assert result.sentence.type == "death"
    (step,) = [s for s in result.trace if s.rule_id == "drug_trafficking.heavier.death"]
    assert "其余情节合计从宽" in step.explanation and "未超过30%" in step.explanation
    # an aggravating circumstance is no leniency: the threshold alone decides
    assert _recommend(_meth(2500), circumstances={"recidivism": True}).sentence.type == "death"


def test_death_is_tried_before_life_and_thresholds_are_data() -> None:
    assert _recommend(_meth(2500)).sentence.type == "death"
    lower = {"drug_trafficking.heavier.life.at_least": 100.0}
    assert _recommend(_meth(300), lower).sentence.type == "life"
    higher = {"drug_trafficking.heavier.death.at_least": 3000.0}
    assert _recommend(_meth(2500), higher).sentence.type == "life"


def test_shipped_heavier_penalties_cite_their_articles_and_calibrated_parameters() -> None:
    from leniency.law.loader import load_rulebook

    book = load_rulebook()
    found = {}
    for crime in book.crimes.values():
        for bracket in crime.raw["brackets"]:
            for entry in bracket.get("heavier_penalties") or []:
                found[entry["id"]] = entry
                assert entry["reference"].startswith("刑法第") and entry["calibrated"] is True
                for key in ("at_least", "leniency_max"):
                    parameter = book.parameters[f"{crime.id}.{entry[key]}"]
                    assert parameter.calibrated and parameter.bounds and parameter.reference and parameter.note
    assert set(found) >= {case[4] for case in HEAVIER_CASES}
