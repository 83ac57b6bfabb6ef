"""Choosing among the sentence types the law allows, informed by how often similar judgments chose each type."""

from __future__ import annotations

import datetime as dt

import pytest

from leniency.law.loader import load_rulebook
from leniency.sentencing import recommend

DAY = "2024-06-01"


def theft(amount: int, **extra) -> dict:
    facts = {
        "decision_date": DAY,
        "province": "北京",
        "charges": [{"charge": "盗窃罪", "amount": amount}],
        "plea": True,
        "plea_stage": "prosecution_review",
        "circumstances": {"confession": "ordinary"},
    }
    facts.update(extra)
    return facts


def limit(local_id: str) -> float:
    return float(load_rulebook().general_param(local_id).at(dt.date.fromisoformat(DAY)))


def _type_months(rec) -> tuple[str, int]:
    return rec.sentence.type, rec.sentence.months


def choice_steps(rec) -> list:
    return [step for step in rec.trace if step.rule_id == "general.sentence.type_choice"]


def test_without_a_preference_the_engine_type_stands() -> None:
    rec = recommend(theft(3000))
    assert rec.sentence.type == "detention" and not choice_steps(rec)


def test_sole_fine_where_the_statute_allows_it_is_chosen_and_cited() -> None:
    base = recommend(theft(3000))
    assert base.charges[0].adjusted <= limit("type_choice.fine_only.max_months")
    rec = recommend(theft(3000), type_preference={"fine_only": 0.6, "detention": 0.3, "fixed_term": 0.1})
    assert rec.sentence.type == "fine_only" and rec.sentence.months == 0 and rec.sentence.range == (0, 0)
    assert rec.sentence.fine and rec.sentence.fine >= 1000  # 单处罚金 still carries its fine
    assert not rec.sentence.probation
    (step,) = choice_steps(rec)
    assert "法发〔2021〕21号 二(三)5" in step.citation and "刑法第二百六十四条" in step.citation
    assert "单处罚金" in step.explanation and "60%" in step.explanation and "30%" in step.explanation


def test_the_engine_type_is_kept_unless_an_alternative_is_more_frequent() -> None:
    rec = recommend(theft(3000), type_preference={"fine_only": 0.3, "detention": 0.6})
    assert rec.sentence.type == "detention" and not choice_steps(rec)
    tie = recommend(theft(3000), type_preference={"fine_only": 0.45, "detention": 0.45})
    assert tie.sentence.type == "detention"


def test_no_sole_fine_for_a_crime_whose_statute_has_none() -> None:
    facts = {
        "decision_date": DAY,
        "province": "北京",
        "charges": [{"charge": "故意伤害罪", "injuries": ["minor_injury_2"]}],
        "plea": True,
        "plea_stage": "prosecution_review",
    }
    rec = recommend(facts, type_preference={"fine_only": 0.9, "fixed_term": 0.1})
    assert rec.sentence.type != "fine_only"


def test_a_recidivist_gets_no_sole_fine_and_no_exemption() -> None:
    facts = theft(3000, circumstances={"confession": "ordinary", "recidivism": True})
    rec = recommend(facts, type_preference={"fine_only": 0.5, "exempt": 0.4, "detention": 0.1})
    assert rec.sentence.type not in ("fine_only", "exempt")


def test_exemption_under_article_37_only_for_a_very_light_term() -> None:
    rec = recommend(theft(3000), type_preference={"exempt": 0.9, "detention": 0.1})
    assert rec.charges[0].adjusted > limit("type_choice.exempt.max_months")
    assert rec.sentence.type != "exempt"


def test_detention_of_six_months_instead_of_six_months_fixed_term() -> None:
    # The amount that gives six months depends on the calibrated values in force, so it is looked up.
    amount = next((a for a in range(3000, 30000, 100) if _type_months(recommend(theft(a))) == ("fixed_term", 6)), None)
    assert amount is not None, "盗窃罪在现行取值下没有得到有期徒刑六个月的数额"
    rec = recommend(theft(amount), type_preference={"detention": 0.5, "fixed_term": 0.4})
    assert (rec.sentence.type, rec.sentence.months) == ("detention", 6)
    low, high = rec.sentence.range
    assert low <= 6 and high <= limit("terms.detention.max")
    (step,) = choice_steps(rec)
    assert "刑法第四十二条" in step.citation


def test_a_longer_fixed_term_is_never_turned_into_detention() -> None:
    rec = recommend(theft(20000), type_preference={"detention": 0.9, "fixed_term": 0.1})
    assert rec.sentence.type == "fixed_term" and rec.sentence.months > limit("terms.detention.max")
    assert not choice_steps(rec)


def test_several_charges_keep_the_engine_types() -> None:
    facts = theft(3000)
    facts["charges"] = [{"charge": "盗窃罪", "amount": 3000}, {"charge": "诈骗罪", "amount": 5000}]
    plain = recommend(facts)
    rec = recommend(facts, type_preference={"fine_only": 0.9})
    assert rec.sentence == plain.sentence and not choice_steps(rec)


@pytest.mark.parametrize("local_id", ["exempt", "fine_only", "control"])
def test_type_choice_limits_are_rule_data_with_a_reference(local_id: str) -> None:
    parameter = load_rulebook().general_param(f"type_choice.{local_id}.max_months")
    assert parameter.reference and parameter.unverified


def _bracket(types, fine="none"):
    from types import SimpleNamespace

    return SimpleNamespace(
        types=tuple(types), fine=fine, citation="刑法第三百九十七条", label="三年以下有期徒刑或者拘役"
    )


def test_exemption_is_offered_for_a_slight_term_and_cites_article_37() -> None:
    from leniency.sentencing.engine import choose_type, rule_cache
    from leniency.sentencing.facts import parse_facts

    facts = parse_facts(theft(3000))
    general = rule_cache().general(dt.date.fromisoformat(DAY), ())
    slight = limit("type_choice.exempt.max_months")
    chosen = choose_type(
        "玩忽职守罪", _bracket(["fixed_term", "detention"]), facts, slight, "detention", 1, general, {"exempt": 0.7}
    )
    assert chosen is not None
    sentence_type, months, step = chosen
    assert (sentence_type, months) == ("exempt", 0) and "刑法第三十七条" in step.citation
    heavier = choose_type(
        "玩忽职守罪", _bracket(["fixed_term", "detention"]), facts, slight + 1, "detention", 2, general, {"exempt": 0.7}
    )
    assert heavier is None
    # no 管制 and no 单处罚金 where the bracket does not provide them
    assert (
        choose_type(
            "玩忽职守罪",
            _bracket(["fixed_term", "detention"]),
            facts,
            3,
            "detention",
            3,
            general,
            {"control": 0.8, "fine_only": 0.9},
        )
        is None
    )
    control = choose_type(
        "x",
        _bracket(["fixed_term", "detention", "control"]),
        facts,
        2,
        "detention",
        2,
        general,
        {"control": 0.8, "detention": 0.2},
    )
    assert control is not None and control[:2] == ("control", int(general.terms["control.min"]))
    assert "刑法第三十八条" in control[2].citation
