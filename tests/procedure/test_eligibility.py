from dataclasses import replace

import pytest

from leniency.procedure import CaseProfile, load_rules, suggest_procedure
from leniency.procedure.eligibility import converted_after_withdrawal

BASE = CaseProfile(basic_level_court=True, possible_sentence_type="fixed_term", possible_sentence_months=10)


def test_clear_plea_case_at_basic_court_goes_fast_track_citing_222():
    s = suggest_procedure(BASE)
    assert s.procedure == "fast_track"
    assert "刑诉法 第222条" in s.explanation()
    assert all(r.met for r in s.evaluation("fast_track").reasons)


def test_possible_sentence_over_three_years_excludes_fast_track_but_allows_summary():
    s = suggest_procedure(replace(BASE, possible_sentence_months=37))
    assert s.procedure == "summary"
    failed = s.evaluation("fast_track").failed()
    assert [r.citation for r in failed] == ["刑诉法 第222条第1款"]
    assert "超过36个月" in failed[0].text
    assert "不适用速裁程序" in s.explanation()


def test_three_years_exactly_is_still_fast_track():
    limit = load_rules().section("fast_track", "max_possible_sentence_months")
    assert limit == 36
    assert suggest_procedure(replace(BASE, possible_sentence_months=36)).procedure == "fast_track"


@pytest.mark.parametrize(
    ("exclusion", "expected", "citation"),
    [
        ("minor", "summary", "刑诉法 第223条第2项"),
        ("civil_settlement_missing", "summary", "刑诉法 第223条第5项"),
        ("disability", "ordinary", "刑诉法 第223条第1项"),
        ("major_social_impact", "ordinary", "刑诉法 第223条第3项"),
        ("complex_joint_crime", "fast_track", None),
    ],
)
def test_exclusions(exclusion, expected, citation):
    s = suggest_procedure(replace(BASE, exclusions=frozenset({exclusion})))
    assert s.procedure == expected
    if citation:
        assert citation in {r.citation.split("；")[0] for r in s.evaluation("fast_track").failed()}


def test_intermediate_court_means_ordinary():
    s = suggest_procedure(replace(BASE, basic_level_court=False))
    assert s.procedure == "ordinary"
    assert not s.evaluation("summary").eligible


def test_life_sentence_never_fast_track():
    s = suggest_procedure(replace(BASE, possible_sentence_type="life", possible_sentence_months=0))
    assert not s.evaluation("fast_track").eligible


def test_no_consent_to_fast_track_gives_summary():
    assert suggest_procedure(replace(BASE, consents_fast_track=False)).procedure == "summary"


def test_non_prosecution_only_for_exempt_cases_with_plea():
    assert not suggest_procedure(BASE).non_prosecution_possible
    exempt = replace(BASE, possible_sentence_type="exempt", possible_sentence_months=0, engine_exempt=True)
    s = suggest_procedure(exempt)
    assert s.non_prosecution_possible
    assert "第177条第2款" in s.explanation()
    assert not suggest_procedure(replace(exempt, plea=False, admits_facts=False)).non_prosecution_possible


def test_withdrawal_converts_fast_track():
    assert converted_after_withdrawal(BASE).procedure == "summary"  # still admits the facts
    assert converted_after_withdrawal(replace(BASE, admits_facts=False)).procedure == "ordinary"


def test_to_dict_is_json_ready():
    import json

    data = suggest_procedure(BASE).to_dict()
    json.dumps(data, ensure_ascii=False)
    assert data["procedure_name"] == "速裁程序"
    assert {e["procedure"] for e in data["evaluations"]} == {"fast_track", "summary", "ordinary", "non_prosecution"}
