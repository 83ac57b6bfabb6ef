"""The whole plea procedure through the API, for three defendants (issue 6 acceptance)."""

from __future__ import annotations

import datetime as dt

import pytest

from leniency.audit.trail import verify
from leniency.procedure import load_calendar
from tests.cases.conftest import DRUNK_FACTS, THEFT_FACTS, defendant_payload, today

pytestmark = pytest.mark.django_db


def _ok(result, status=(200, 201)):
    code, body = result
    assert code in ((status,) if isinstance(status, int) else status), body
    return body


def open_case(p, number, charges, received_days_ago=3):
    return _ok(
        p.post(
            "/cases",
            {
                "number": number,
                "charges": charges,
                "received_on": (today() - dt.timedelta(days=received_days_ago)).isoformat(),
                "facts_summary": "案情摘要：犯罪嫌疑人到案后如实供述。",
            },
        )
    )


def prepare_plea(p, lawyer, case_id, payload, lawyer_user, counsel_role="duty_lawyer"):
    """Defendant → counsel → rights → voluntariness → recommendation → consultation → procedure."""
    d = _ok(p.post(f"/cases/{case_id}/defendants", payload))
    did = d["id"]
    _ok(p.post(f"/cases/defendants/{did}/counsel", {"counsel_id": lawyer_user.pk, "counsel_role": counsel_role}))
    _ok(p.post(f"/cases/defendants/{did}/rights-notifications", {"content": "已告知诉讼权利和认罪认罚的法律规定。"}))
    _ok(
        p.post(
            f"/cases/defendants/{did}/voluntariness-checks",
            {"understands": True, "not_coerced": True, "facts_true": True, "counsel_consulted": True},
        )
    )
    rec = _ok(p.post(f"/cases/defendants/{did}/recommendations", {"use_engine": True}))
    assert rec["status"] == "effective" and rec["engine"]["trace"], rec
    _ok(
        p.post(
            f"/cases/defendants/{did}/consultations",
            {"status": "proposed", "proposal": rec["text"], "attendees": ["检察官", "律师", "犯罪嫌疑人"]},
        )
    )
    # The defence counters, then agrees: the lawyer sees the full computation and answers.
    seen = _ok(lawyer.get(f"/cases/defendants/{did}"))
    assert seen["national_id_masked"] and "*" in seen["national_id"]
    assert seen["recommendations"][-1]["engine"]["trace"] == rec["engine"]["trace"]
    assert seen["approvals"] == []
    _ok(lawyer.post(f"/cases/defendants/{did}/opinions", {"text": "犯罪嫌疑人系初犯，认罪态度好，建议从轻。"}))
    _ok(
        lawyer.post(
            f"/cases/defendants/{did}/consultations",
            {"status": "agreed", "proposal": "同意量刑建议", "attendees": ["律师", "犯罪嫌疑人"]},
        )
    )
    d = _ok(p.post(f"/cases/defendants/{did}/procedure", {}))
    return did, rec, d


def sign(p, did, version=None):
    body = {"counsel_present": True}
    if version is not None:
        body["version"] = version
    return _ok(p.post(f"/cases/defendants/{did}/plea-agreement", body))


def test_three_defendants_through_the_whole_procedure(as_user, world):
    p = as_user("prosecutor")
    judge = as_user("judge")
    duty = as_user("duty")
    defense = as_user("defense")
    supervisor = as_user("supervisor")
    court_a = world["_court_a"]

    # ---- 1. agrees in prosecution review, fast track, sentenced as recommended ----------------------------
    case1 = open_case(p, "杭西检刑诉〔2026〕1号", ["危险驾驶罪"])
    d1, rec1, state1 = prepare_plea(p, duty, case1["id"], defendant_payload("甲某", 11, DRUNK_FACTS), world["duty"])
    assert state1["procedure"] == "fast_track", state1["procedure_explanation"]
    assert "刑诉法 第222条" in state1["procedure_explanation"]
    review = next(x for x in state1["deadlines"] if x["kind"] == "prosecution_review")
    # Ten days not counting the first; on bail, a last day that is a 节假日 moves on (刑诉法 第105条第3款).
    due = today() - dt.timedelta(days=3) + dt.timedelta(days=10)
    while load_calendar().is_rest_day(due):
        due += dt.timedelta(days=1)
    assert review["due"] == due.isoformat()
    assert not review["overdue"]
    agreement = sign(p, d1)
    assert agreement["status"] == "valid" and agreement["witness"]["id"] == world["duty"].pk
    assert agreement["content"]["procedure"] == "fast_track"
    # The agreement freezes the recommendation (指导意见 第33条).
    code, body = p.post(f"/cases/defendants/{d1}/recommendations", {"use_engine": True})
    assert code == 409 and "冻结" in body["detail"]
    # Not yet transferred: the court cannot see it.
    assert judge.get(f"/cases/{case1['id']}")[0] == 404
    case1 = _ok(p.get(f"/cases/{case1['id']}"))
    _ok(
        p.post(
            f"/cases/{case1['id']}/transfer",
            {"version": case1["version"], "court_id": court_a.pk, "transferred_on": today().isoformat()},
        )
    )
    seen = _ok(judge.get(f"/cases/defendants/{d1}"))
    assert not seen["national_id_masked"]
    trial = next(x for x in seen["deadlines"] if x["kind"] == "trial")
    assert trial["citation"] == "刑诉法 第225条"
    outcome = _ok(
        judge.post(
            f"/cases/defendants/{d1}/outcome",
            {
                "judgment_date": today().isoformat(),
                "served_on": today().isoformat(),
                "sentence_type": rec1["sentence_type"],
                "months": rec1["months"],
                "probation": rec1["probation"],
                "probation_months": rec1["probation_months"],
                "fine": rec1["fine"],
                "adoption": "adopted",
            },
        )
    )
    assert outcome["adoption"] == "adopted" and outcome["recommendation_id"] == rec1["id"]

    # ---- 2. withdraws the plea: recommendation recomputed without plea leniency, fast track converted -------
    case2 = open_case(p, "杭西检刑诉〔2026〕2号", ["盗窃罪"])
    d2, rec2, state2 = prepare_plea(
        p, defense, case2["id"], defendant_payload("乙某", 22, THEFT_FACTS), world["defense"], "defense_counsel"
    )
    assert state2["procedure"] == "fast_track", state2["procedure_explanation"]
    first = sign(p, d2)
    assert first["witness"]["id"] == world["defense"].pk
    withdrawal = _ok(
        p.post(
            f"/cases/defendants/{d2}/withdrawal",
            {"reason": "犯罪嫌疑人表示不再同意量刑建议。", "still_admits_facts": True},
        )
    )
    recomputed = withdrawal["recomputed"]
    assert recomputed["origin"] == "withdrawal"
    assert recomputed["facts"]["plea"] is False and recomputed["facts"]["plea_stage"] == "none"
    assert recomputed["months"] > rec2["months"], (recomputed["text"], rec2["text"])
    assert withdrawal["procedure_before"] == "fast_track" and withdrawal["procedure_after"] == "summary"
    after = _ok(p.get(f"/cases/defendants/{d2}"))
    assert after["plea"] == "withdrawn"
    assert [a["status"] for a in after["agreements"]] == ["void"]
    assert "第226条" in after["procedure_explanation"]
    # The first recommendation is no longer the one in force.
    assert [r["status"] for r in after["recommendations"]] == ["superseded", "effective"]
    case2 = _ok(p.get(f"/cases/{case2['id']}"))
    _ok(
        p.post(
            f"/cases/{case2['id']}/transfer",
            {"version": case2["version"], "court_id": court_a.pk, "transferred_on": today().isoformat()},
        )
    )
    seen = _ok(judge.get(f"/cases/defendants/{d2}"))
    assert next(x for x in seen["deadlines"] if x["kind"] == "trial")["citation"] == "刑诉法 第220条"

    # ---- 3. the court asks to adjust; the prosecutor adjusts; adopted after adjustment; appeal & protest ----
    case3 = open_case(p, "杭西检刑诉〔2026〕3号", ["盗窃罪"])
    d3, rec3, _ = prepare_plea(p, duty, case3["id"], defendant_payload("丙某", 33, THEFT_FACTS), world["duty"])
    sign(p, d3)
    case3 = _ok(p.get(f"/cases/{case3['id']}"))
    _ok(
        p.post(
            f"/cases/{case3['id']}/transfer",
            {"version": case3["version"], "court_id": court_a.pk, "transferred_on": today().isoformat()},
        )
    )
    request = _ok(
        judge.post(
            f"/cases/defendants/{d3}/adjustment-requests",
            {
                "ground": "defence_objection",
                "reason": "被告人当庭提交了新的退赔凭证，辩护人对量刑建议提出异议且有理有据。",
            },
        )
    )
    # The court cannot decide before the procuratorate answers (第201条第2款).
    code, body = judge.post(
        f"/cases/defendants/{d3}/outcome",
        {
            "judgment_date": today().isoformat(),
            "served_on": today().isoformat(),
            "sentence_type": rec3["sentence_type"],
            "months": rec3["months"],
            "adoption": "adopted",
        },
    )
    assert code == 409 and "第201条" in body["detail"]
    new_months = rec3["months"] - 1
    response = _ok(
        p.post(
            f"/cases/adjustment-requests/{request['id']}/response",
            {
                "version": request["version"],
                "response": "adjusted",
                "reason": "被告人已全部退赔，依法院建议下调一个月。",
                "defence_heard": True,
                "recommendation": {
                    "kind": "definite",
                    "sentence_type": rec3["sentence_type"],
                    "months": new_months,
                    "fine": rec3["fine"],
                },
            },
        )
    )
    assert response["response"] == "adjusted" and response["new_recommendation_id"]
    # "adopted" against the old recommendation is refused; "adjusted" with the new one is recorded.
    base = {
        "judgment_date": today().isoformat(),
        "served_on": today().isoformat(),
        "sentence_type": rec3["sentence_type"],
        "months": rec3["months"],
        "fine": rec3["fine"],
    }
    code, body = judge.post(f"/cases/defendants/{d3}/outcome", {**base, "adoption": "adopted"})
    assert code == 422 and "不一致" in body["detail"]
    outcome3 = _ok(
        judge.post(f"/cases/defendants/{d3}/outcome", {**base, "months": new_months, "adoption": "adjusted"})
    )
    assert outcome3["recommendation_id"] == response["new_recommendation_id"]
    # The defendant appeals only because of the sentence; the procuratorate protests (指导意见 第62条).
    _ok(duty.post(f"/cases/defendants/{d3}/opinions", {"text": "被告人要求上诉。"}))
    appeal = _ok(
        judge.post(f"/cases/defendants/{d3}/appeals", {"filed_on": today().isoformat(), "ground": "sentence_too_heavy"})
    )
    assert appeal["status"] == "filed"
    protest = _ok(
        p.post(
            f"/cases/defendants/{d3}/protests",
            {
                "filed_on": today().isoformat(),
                "ground": "exploit_leniency",
                "reason": "被告人借上诉反悔，从宽量刑明显不当。",
            },
        )
    )
    assert protest["status"] == "pending_approval"
    approvals = _ok(supervisor.get("/supervision/approvals?status=pending"))
    protest_approval = next(a for a in approvals if a["kind"] == "protest")
    decided = _ok(
        supervisor.post(
            f"/supervision/approvals/{protest_approval['id']}/decision",
            {"version": protest_approval["version"], "approved": True, "note": "同意抗诉。"},
        )
    )
    assert decided["status"] == "approved"
    appeal_judge = as_user("judge_appeal")
    seen = _ok(appeal_judge.get(f"/cases/defendants/{d3}"))
    assert {c["kind"]: c["status"] for c in seen["challenges"]} == {"appeal": "filed", "protest": "filed"}
    assert any(x["kind"] == "appeal_trial" for x in seen["deadlines"])
    # The first-instance judge does not record the second instance.
    assert (
        judge.post(
            f"/cases/defendants/{d3}/second-instance", {"decided_on": today().isoformat(), "result": "dismissed"}
        )[0]
        == 403
    )
    result = _ok(
        appeal_judge.post(
            f"/cases/defendants/{d3}/second-instance",
            {
                "decided_on": today().isoformat(),
                "result": "amended",
                "sentence_type": rec3["sentence_type"],
                "months": rec3["months"] + 2,
                "reason": "被告人反悔，撤销从宽，依法改判。",
            },
        )
    )
    assert result["result"] == "amended"
    assert _ok(appeal_judge.get(f"/cases/{case3['id']}"))["stage"] == "closed"

    # Every step above was audited, and the chain is intact.
    check = verify()
    assert check.ok, check.problems
    assert check.events > 60
