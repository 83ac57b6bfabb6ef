"""没收财产 (刑法第五十九条) as the bracket's statute words it; the choice between 罚金 and 没收财产 and the extent
(全部 / 部分) come from general.yaml `property_penalty`; 数罪 follow 刑法第六十九条第三款."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from leniency.law.loader import read_rulebook
from leniency.sentencing import engine, recommend
from leniency.sentencing.compiled import RuleCache, _bracket

DAY = "2024-06-01"
# Pinned so that values fitted later by `leniency calibrate` do not change which type these facts reach.
PINNED = {
    "drug_trafficking.heavier.life.at_least": 400.0,
    "drug_trafficking.heavier.death.at_least": 2000.0,
    "drug_trafficking.heavier.life.leniency_max": 0.0,
    "drug_trafficking.heavier.death.leniency_max": 0.0,
    "robbery.heavier.life.at_least": 1.0,
    "robbery.heavier.death.at_least": 2.0,
    "robbery.heavier.life.leniency_max": 0.0,
    "robbery.heavier.death.leniency_max": 0.0,
}
DRUGS = "走私、贩卖、运输、制造毒品罪"


def _drug(grams: float) -> dict[str, Any]:
    return {"charge": DRUGS, "drugs": [{"type": "heroin", "grams": grams}]}


def _run(*charges: dict[str, Any]) -> Any:
    return recommend({"decision_date": DAY, "charges": list(charges)}, params=PINNED)


def _steps(rec: Any, prefix: str) -> list[Any]:
    return [s for s in rec.trace if s.rule_id.startswith(prefix)]


def test_drug_large_quantity_life_takes_all_property_and_no_fine() -> None:
    rec = _run(_drug(500))
    assert rec.sentence.type == "life"
    assert rec.sentence.confiscation == "all"
    assert rec.sentence.fine is None
    assert not _steps(rec, "drug_trafficking.fine")
    (step,) = _steps(rec, "general.property_penalty.mandatory")
    assert "刑法第三百四十七条第二款" in step.citation and "刑法第五十九条" in step.citation
    assert step.result == "all"
    assert "并处没收个人全部财产" in step.explanation and "不判处罚金" in step.explanation


def test_drug_large_quantity_fixed_term_takes_part_of_the_property() -> None:
    rec = _run(_drug(60))
    assert rec.sentence.type == "fixed_term" and rec.sentence.months == 180
    assert (rec.sentence.confiscation, rec.sentence.fine) == ("part", None)
    (step,) = _steps(rec, "general.property_penalty.mandatory")
    assert "没收个人部分财产" in step.explanation and "数额由法院" in step.explanation


def test_drug_relatively_large_keeps_its_fine() -> None:
    rec = _run(_drug(20))
    assert rec.sentence.confiscation is None and rec.sentence.fine
    assert not _steps(rec, "general.property_penalty")


def test_fine_or_confiscation_at_a_fixed_term_recommends_the_fine() -> None:
    # 盗窃数额特别巨大: 十年以上有期徒刑或者无期徒刑，并处罚金或者没收财产 (刑法第二百六十四条).
    rec = _run({"charge": "盗窃罪", "amount": 2_000_000})
    assert rec.sentence.type == "fixed_term"
    assert rec.sentence.confiscation is None and rec.sentence.fine
    (step,) = _steps(rec, "general.property_penalty.choice")
    assert step.result == "fine" and "刑法第二百六十四条" in step.citation
    assert "并处罚金或者没收财产" in step.explanation and "建议并处罚金" in step.explanation


def test_fine_or_confiscation_with_life_recommends_confiscation_instead_of_the_fine() -> None:
    rec = _run({"charge": "抢劫罪", "deaths": 1, "amount": 2000})
    assert rec.sentence.type == "life"
    assert (rec.sentence.confiscation, rec.sentence.fine) == ("all", None)
    (step,) = _steps(rec, "general.property_penalty.choice")
    assert step.result == "all" and "刑法第二百六十三条" in step.citation
    assert "工作规则，未经核实" in step.explanation


def test_the_choice_is_rule_data_a_lawyer_can_change(monkeypatch: pytest.MonkeyPatch) -> None:
    book = read_rulebook()
    book.general = copy.deepcopy(book.general)
    book.general["property_penalty"]["choice"]["confiscation_with"] = ["fixed_term", "life", "death"]
    book.general["property_penalty"]["extent"]["all_with"] = ["fixed_term", "life", "death"]
    monkeypatch.setattr(engine, "_cache", RuleCache(book))
    rec = recommend({"decision_date": DAY, "charges": [{"charge": "盗窃罪", "amount": 2_000_000}]})
    assert rec.sentence.type == "fixed_term"
    assert (rec.sentence.confiscation, rec.sentence.fine) == ("all", None)


def test_statutory_crime_with_mandatory_confiscation_gets_no_fine() -> None:
    # 刑法第二百九十四条第一款: 组织、领导黑社会性质组织的，七年以上有期徒刑，并处没收财产.
    rec = _run({"charge": "组织、领导、参加黑社会性质组织罪", "gravity": "especially_serious"})
    assert rec.sentence.type == "fixed_term"
    assert (rec.sentence.confiscation, rec.sentence.fine) == ("part", None)


def test_may_add_fine_or_confiscation_adds_neither() -> None:
    # 积极参加的 … 可以并处罚金或者没收财产: the engine recommends no optional property penalty.
    rec = _run({"charge": "组织、领导、参加黑社会性质组织罪", "gravity": "serious"})
    assert (rec.sentence.confiscation, rec.sentence.fine) == (None, None)
    assert not _steps(rec, "general.property_penalty")


def test_exemption_carries_no_confiscation() -> None:
    bracket = _bracket(
        {
            "id": "b4",
            "label": "十五年有期徒刑、无期徒刑或者死刑，并处没收财产",
            "min": 180,
            "max": 180,
            "types": ["fixed_term"],
            "fine": "none",
            "confiscation": "mandatory",
            "reference": "刑法第三百四十七条第二款",
        }
    )
    general = engine.rule_cache().general(engine.dt.date(2024, 6, 1), ())
    assert engine.confiscation_for(DRUGS, bracket, "exempt", general) == (None, None)
    extent, step = engine.confiscation_for(DRUGS, bracket, "death", general)
    assert extent == "all" and step is not None


def test_combined_fine_and_confiscation_are_both_executed() -> None:
    rec = _run(_drug(60), {"charge": "盗窃罪", "amount": 5000})
    drug, theft = rec.charges
    assert drug.sentence.confiscation == "part" and drug.sentence.fine is None
    assert theft.sentence.fine and theft.sentence.confiscation is None
    assert rec.sentence.confiscation == "part" and rec.sentence.fine == theft.sentence.fine
    (step,) = _steps(rec, "general.combined.accessory")
    assert step.citation == "刑法第六十九条第三款"
    assert "种类不同，分别执行" in step.explanation


def test_combined_all_absorbs_part() -> None:
    rec = _run(_drug(500), {"charge": "组织、领导、参加黑社会性质组织罪", "gravity": "especially_serious"})
    assert [c.sentence.confiscation for c in rec.charges] == ["all", "part"]
    assert rec.sentence.type == "life"
    assert (rec.sentence.confiscation, rec.sentence.fine) == ("all", None)
    (step,) = _steps(rec, "general.combined.accessory")
    assert "没收财产合并执行，没收个人全部财产" in step.explanation and "已包含没收部分财产" in step.explanation
    assert "分别执行" not in step.explanation.split("；")[-1]


def test_combined_fines_alone_keep_the_merged_fine_and_no_confiscation() -> None:
    rec = _run({"charge": "盗窃罪", "amount": 5000}, {"charge": "诈骗罪", "amount": 8000})
    assert rec.sentence.confiscation is None
    assert rec.sentence.fine == sum(c.sentence.fine for c in rec.charges)
