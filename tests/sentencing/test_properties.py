"""Properties the method must keep for any facts (hypothesis): statutory ranges, plea stages, amounts, caps."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from leniency.sentencing import FactsError, recommend

SETTINGS = settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

# Statutory grounds for going below the minimum (刑法第17、17之1、18、19、20、21、22、23、24、27、28、67、68条).
MITIGATING_ROLES = {"accessory", "coerced"}
MITIGATING_COMPLETION = {"attempt", "preparation", "abandonment"}

AMOUNT_CRIMES = ["盗窃罪", "诈骗罪", "抢夺罪", "敲诈勒索罪", "职务侵占罪", "合同诈骗罪"]


def _charge() -> st.SearchStrategy[dict[str, Any]]:
    amount = st.sampled_from(AMOUNT_CRIMES).flatmap(
        lambda c: st.builds(lambda a: {"charge": c, "amount": a}, st.floats(60000, 3_000_000))
    )
    injury = st.lists(
        st.sampled_from(["minor_injury_2", "minor_injury_1", "serious_injury_2", "serious_injury_1", "slight_injury"]),
        min_size=1,
        max_size=3,
    ).map(lambda inj: {"charge": "故意伤害罪", "injuries": sorted(inj) + ["minor_injury_2"]})
    driving = st.floats(80, 400).map(lambda b: {"charge": "危险驾驶罪", "driving_conduct": "drunk", "blood_alcohol": b})
    drugs = st.floats(0.1, 120).map(
        lambda g: {"charge": "走私、贩卖、运输、制造毒品罪", "drugs": [{"type": "methamphetamine", "grams": g}]}
    )
    robbery = st.integers(1, 4).map(lambda n: {"charge": "抢劫罪", "acts": n, "amount": 1000 * n})
    provocation = st.integers(1, 5).map(lambda n: {"charge": "寻衅滋事罪", "acts": n})
    gambling = st.sampled_from(["ordinary", "serious"]).map(lambda g: {"charge": "开设赌场罪", "gravity": g})
    return st.one_of(amount, injury, driving, drugs, robbery, provocation, gambling)


circumstances = st.fixed_dictionaries(
    {},
    optional={
        "surrender": st.booleans(),
        "confession": st.sampled_from(["none", "ordinary", "undiscovered_similar", "avoided_serious_consequence"]),
        "in_court_admission": st.booleans(),
        "meritorious_service": st.sampled_from(["none", "ordinary", "major"]),
        "restitution": st.booleans(),
        "restitution_ratio": st.floats(0, 1),
        "compensation": st.sampled_from(["none", "compensated_forgiven", "compensated", "forgiven"]),
        "reconciliation": st.booleans(),
        "good_custody_behaviour": st.booleans(),
        "recidivism": st.booleans(),
        "prior_record": st.booleans(),
        "vulnerable_victim": st.booleans(),
        "disaster_period": st.booleans(),
    },
)

facts_strategy = st.fixed_dictionaries(
    {
        "decision_date": st.sampled_from(["2020-01-01", "2022-03-01", "2024-06-01"]),
        "charges": st.lists(_charge(), min_size=1, max_size=1),
        "circumstances": circumstances,
    },
    optional={
        "age_at_offence": st.sampled_from([13, 15, 17, 25, 40, 76]),
        "role": st.sampled_from(["principal", "accessory", "coerced", "instigator"]),
        "completion": st.sampled_from(["completed", "attempt", "preparation"]),
        "plea_stage": st.sampled_from(["none", "investigation", "prosecution_review", "trial", "appeal_trial"]),
        "exclusion": st.booleans(),
        "deaf_mute_or_blind": st.booleans(),
        "mental_capacity": st.sampled_from(["full", "limited"]),
        "province": st.sampled_from(["北京", "浙江", "广东", "海南", "44"]),
    },
)


def severity(rec: Any) -> float:
    s = rec.sentence
    if s.type == "exempt":
        return 0.0
    if s.type == "fine_only":
        return 0.5
    if s.type in ("life", "death"):
        # Heavier than any term (their `months` is 0): a higher amount may reach a bracket's life threshold.
        return 10_000.0 + (1.0 if s.type == "death" else 0.0)
    return float(s.months)


def _recommend(facts: dict[str, Any]) -> Any:
    try:
        return recommend(facts)
    except FactsError:
        assume(False)


def has_statutory_mitigation(facts: dict[str, Any]) -> bool:
    c = facts.get("circumstances", {})
    age = facts.get("age_at_offence")
    return bool(
        (age is not None and (age < 18 or age >= 75))
        or facts.get("deaf_mute_or_blind")
        or facts.get("mental_capacity") == "limited"
        or facts.get("role") in MITIGATING_ROLES
        or facts.get("completion") in MITIGATING_COMPLETION
        or c.get("surrender")
        or c.get("confession") == "avoided_serious_consequence"
        or c.get("meritorious_service") in ("ordinary", "major")
    )


@SETTINGS
@given(facts_strategy)
def test_stays_in_statutory_range_without_statutory_mitigation(facts: dict[str, Any]) -> None:
    rec = _recommend(facts)
    low, high = rec.charges[0].statutory_range
    months = rec.sentence.months
    if rec.sentence.type in ("exempt", "fine_only"):
        assert has_statutory_mitigation(facts) or low == 0
        return
    assert months <= high
    if not has_statutory_mitigation(facts):
        assert months >= low
    low_r, high_r = rec.sentence.range
    assert low_r <= months <= high_r


@SETTINGS
@given(facts_strategy)
def test_earlier_plea_stage_never_heavier(facts: dict[str, Any]) -> None:
    results = []
    for stage in ("investigation", "prosecution_review", "trial", "appeal_trial", "none"):
        variant = {**facts, "plea_stage": stage}
        results.append(severity(_recommend(variant)))
    assert results == sorted(results), results


@SETTINGS
@given(facts_strategy, st.floats(1.0, 20.0))
def test_higher_amount_never_lighter(facts: dict[str, Any], factor: float) -> None:
    charge = facts["charges"][0]
    assume("amount" in charge)
    lower = _recommend(facts)
    higher_facts = copy.deepcopy(facts)
    higher_facts["charges"][0]["amount"] = charge["amount"] * factor
    higher = recommend(higher_facts)
    assert severity(higher) >= severity(lower)
    if lower.sentence.fine and higher.sentence.fine:
        assert higher.sentence.fine >= lower.sentence.fine


MITIGATIONS = [
    ("circumstances", "surrender", True),
    ("circumstances", "confession", "ordinary"),
    ("circumstances", "in_court_admission", True),
    ("circumstances", "meritorious_service", "major"),
    ("circumstances", "restitution", True),
    ("circumstances", "compensation", "compensated_forgiven"),
    ("circumstances", "reconciliation", True),
    ("circumstances", "good_custody_behaviour", True),
    (None, "role", "accessory"),
    (None, "completion", "attempt"),
    (None, "plea_stage", "trial"),
    (None, "deaf_mute_or_blind", True),
]


@SETTINGS
@given(facts_strategy, st.sampled_from(MITIGATIONS))
def test_adding_a_mitigating_circumstance_never_increases(facts: dict[str, Any], mitigation: tuple) -> None:
    where, key, value = mitigation
    target = facts["circumstances"] if where else facts
    if key == "role":
        assume(target.get("role") in (None, "principal", "instigator"))
    if key == "completion":
        assume(target.get("completion") in (None, "completed"))
    if key == "plea_stage":
        assume(target.get("plea_stage") in (None, "none"))
    if key == "meritorious_service":
        assume(target.get("meritorious_service") in (None, "none"))
    if key in ("confession", "compensation"):
        assume(target.get(key) in (None, "none"))
    assume(not target.get(key) or key in ("role", "completion"))
    before = _recommend(facts)
    after_facts = copy.deepcopy(facts)
    (after_facts["circumstances"] if where else after_facts)[key] = value
    after = recommend(after_facts)
    assert severity(after) <= severity(before), (key, before.sentence, after.sentence)


@SETTINGS
@given(facts_strategy)
def test_plea_reduction_within_guideline_caps(facts: dict[str, Any]) -> None:
    rec = _recommend(facts)
    for step in rec.trace:
        if step.rule_id in ("general.plea.cap", "general.plea.cap_with_circumstances"):
            cap = step.inputs["上限"]
            overlap = step.inputs["重叠情节比例"]
            assert cap in (0.3, 0.6)
            # Within the cap; the plea adds nothing where the overlapping circumstances alone already pass it.
            assert step.result >= -cap - 1e-9 or step.result == overlap
            assert step.result <= overlap + 1e-9
            if step.rule_id == "general.plea.cap":
                assert step.result >= -0.3 - 1e-9


@SETTINGS
@given(facts_strategy)
def test_recidivists_never_get_probation(facts: dict[str, Any]) -> None:
    facts = copy.deepcopy(facts)
    facts["circumstances"]["recidivism"] = True
    rec = _recommend(facts)
    assert rec.sentence.probation is False
