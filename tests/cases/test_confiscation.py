"""没收财产 in the case workflow: the engine's value is kept on the recommendation, named in its text and in the
具结书, accepted (and checked) in a prosecutor's own proposal and in the court outcome, and added by a migration that
leaves the existing rows without confiscation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from leniency.cases import services
from leniency.cases.errors import Invalid
from leniency.cases.models import CourtOutcome, SentencingRecommendation
from tests.cases.conftest import THEFT_FACTS, defendant_payload, today
from tests.cases.test_procedure_flow import _ok, open_case, prepare_plea, sign

pytestmark = pytest.mark.django_db

# 刑法第三百四十七条第二款: 数量大 … 十五年有期徒刑、无期徒刑或者死刑，并处没收财产.
DRUG_FACTS = {
    "province": "浙江省",
    "age_at_offence": 30,
    "charges": [{"charge": "走私、贩卖、运输、制造毒品罪", "drugs": [{"type": "heroin", "grams": 60}]}],
    "circumstances": {"confession": "ordinary"},
}


def test_engine_confiscation_reaches_the_recommendation_and_the_plea_agreement(as_user, world) -> None:
    p = as_user("prosecutor")
    lawyer = as_user("duty")
    case = open_case(p, "没收〔2026〕1号", ["走私、贩卖、运输、制造毒品罪"])
    did, rec, _ = prepare_plea(p, lawyer, case["id"], defendant_payload("毒品甲", 41, DRUG_FACTS), world["duty"])
    assert rec["engine"]["sentence"]["confiscation"] == "part"
    assert (rec["confiscation"], rec["fine"]) == ("part", None)
    assert rec["text"] == "有期徒刑15年，并处没收个人部分财产"
    agreement = sign(p, did)
    content = agreement["content"]["recommendation"]
    assert content["confiscation"] == "part"
    assert content["text"].endswith("并处没收个人部分财产")
    seen = _ok(lawyer.get(f"/cases/defendants/{did}"))
    assert seen["recommendations"][-1]["confiscation"] == "part"


def test_a_prosecutor_proposal_carries_confiscation_and_bad_values_are_refused(as_user, world) -> None:
    p = as_user("prosecutor")
    lawyer = as_user("duty")
    case = open_case(p, "没收〔2026〕2号", ["走私、贩卖、运输、制造毒品罪"])
    did, _, _ = prepare_plea(p, lawyer, case["id"], defendant_payload("毒品乙", 42, DRUG_FACTS), world["duty"])
    body = {"kind": "definite", "sentence_type": "fixed_term", "months": 180, "confiscation": "all"}
    rec = _ok(p.post(f"/cases/defendants/{did}/recommendations", body))
    assert rec["confiscation"] == "all" and rec["text"] == "有期徒刑15年，并处没收个人全部财产"
    before = SentencingRecommendation.objects.filter(defendant_id=did).count()
    status, error = p.post(f"/cases/defendants/{did}/recommendations", {**body, "confiscation": "some"})
    assert status == 422 and "confiscation" in str(error)
    status, error = p.post(
        f"/cases/defendants/{did}/recommendations",
        {"kind": "definite", "sentence_type": "exempt", "confiscation": "part", "departure_reason": "犯罪情节轻微"},
    )
    assert status == 422 and error["field"] == "confiscation" and "免予刑事处罚的，不能并处没收财产" in error["detail"]
    assert SentencingRecommendation.objects.filter(defendant_id=did).count() == before  # nothing partly written


def test_court_outcome_records_confiscation(world) -> None:
    p, judge = world["prosecutor"], world["judge"]
    case = services.create_case(p, {"number": "没收〔2026〕3号", "charges": ["盗窃罪"], "received_on": today()})
    payload = defendant_payload("盗窃丙", 43, THEFT_FACTS)
    payload["birth_date"] = dt.date.fromisoformat(payload["birth_date"])
    payload["custody_since"] = dt.date.fromisoformat(payload["custody_since"])
    d = services.add_defendant(p, case.pk, payload)
    services.assign_counsel(p, d.pk, None, world["duty"].pk, "duty_lawyer", False)
    services.record_notification(p, d.pk, {"content": "已告知诉讼权利和认罪认罚的法律规定。"})
    services.record_voluntariness(
        p, d.pk, {"understands": True, "not_coerced": True, "facts_true": True, "counsel_consulted": True}
    )
    rec = services.propose_recommendation(p, d.pk, None, {"use_engine": True})
    assert rec.confiscation == "" and rec.fine  # 盗窃数额较大: 罚金 only
    services.add_consultation(p, d.pk, {"status": "agreed", "proposal": "同意", "attendees": ["检察官", "律师"]})
    services.choose_procedure(p, d.pk, None, None)
    services.sign_agreement(p, d.pk, None, {"counsel_present": True})
    case.refresh_from_db()
    services.transfer_case(p, case.pk, case.version, world["_court_a"].pk, today())
    exempt = {
        "judgment_date": today(),
        "served_on": today(),
        "sentence_type": "exempt",
        "confiscation": "part",
        "adoption": "not_adopted",
        "not_adopted_ground": "clearly_improper",
        "reason": "量刑建议明显不当",
    }
    with pytest.raises(Invalid, match="免予刑事处罚的，不能并处没收财产") as refused:
        services.record_outcome(judge, d.pk, None, exempt)
    assert refused.value.field == "confiscation"
    assert not CourtOutcome.objects.filter(defendant_id=d.pk).exists()  # nothing written
    outcome = services.record_outcome(
        judge,
        d.pk,
        None,
        {
            "judgment_date": today(),
            "served_on": today(),
            "sentence_type": "fixed_term",
            "months": 60,
            "fine": 10000,
            "confiscation": "part",
            "adoption": "not_adopted",
            "not_adopted_ground": "clearly_improper",
            "reason": "量刑建议明显不当",
        },
    )
    from leniency.cases.serializers import outcome_out

    assert outcome.confiscation == "part" and outcome_out(outcome)["confiscation"] == "part"


@pytest.mark.django_db(transaction=True)
def test_migration_adds_the_column_and_existing_rows_have_no_confiscation(world) -> None:
    p = world["prosecutor"]
    case = services.create_case(p, {"number": "没收〔2026〕4号", "charges": ["盗窃罪"], "received_on": today()})
    payload = defendant_payload("迁移丁", 44, THEFT_FACTS)
    payload["birth_date"] = dt.date.fromisoformat(payload["birth_date"])
    payload["custody_since"] = dt.date.fromisoformat(payload["custody_since"])
    d = services.add_defendant(p, case.pk, payload)
    services.propose_recommendation(p, d.pk, None, {"use_engine": True})
    SentencingRecommendation.objects.filter(defendant=d).update(confiscation="all")

    def columns() -> set[str]:
        with connection.cursor() as cursor:
            table = SentencingRecommendation._meta.db_table
            return {c.name for c in connection.introspection.get_table_description(cursor, table)}

    executor = MigrationExecutor(connection)
    executor.migrate([("cases", "0002_approval")])
    assert "confiscation" not in columns()
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("cases", "0003_confiscation")])
    assert "confiscation" in columns()
    # The row written before the column existed reads as "no confiscation", not as a value it never had.
    assert list(SentencingRecommendation.objects.filter(defendant=d).values_list("confiscation", flat=True)) == [""]
