"""A unit's cases in every stage, built through the services (for the permission matrix and schemathesis)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from leniency.cases import services
from leniency.cases.identity import make_national_id
from tests.cases.conftest import DRUNK_FACTS, THEFT_FACTS


@dataclass
class Scenario:
    review_case: int
    review_defendant: int
    consultation: int
    recording: int
    trial_case: int
    trial_defendant: int
    adjusting_defendant: int
    adjustment_request: int
    judged_case: int
    judged_defendant: int
    appeal_case: int
    appeal_defendant: int
    approval: int


def _defendant(prosecutor, case_id, name, seq, facts, counsel, counsel_role):
    birth = dt.date(1985, 3, 1) + dt.timedelta(days=seq * 131)
    d = services.add_defendant(
        prosecutor,
        case_id,
        {
            "name": name,
            "national_id": make_national_id("330106", birth, seq),
            "birth_date": birth,
            "custody_status": "bail",
            "plea": "pleaded",
            "consents_fast_track": True,
            "facts": facts,
        },
    )
    services.assign_counsel(prosecutor, d.pk, None, counsel.pk, counsel_role, False)
    services.record_notification(prosecutor, d.pk, {"content": "已告知诉讼权利和认罪认罚的法律规定。"})
    services.record_voluntariness(
        prosecutor, d.pk, {"understands": True, "not_coerced": True, "facts_true": True, "counsel_consulted": True}
    )
    services.propose_recommendation(prosecutor, d.pk, None, {"use_engine": True})
    consultation = services.add_consultation(
        prosecutor, d.pk, {"status": "agreed", "proposal": "同意量刑建议", "attendees": ["检察官", "律师"]}
    )
    services.choose_procedure(prosecutor, d.pk, None, None)
    return d, consultation


def build(users) -> Scenario:
    p = users["prosecutor"]
    judge = users["judge"]
    court = users["_court_a"]
    today = timezone.localdate()
    received = today - dt.timedelta(days=2)

    def case(number, charge):
        return services.create_case(p, {"number": number, "charges": [charge], "received_on": received})

    review = case("矩阵〔2026〕1号", "危险驾驶罪")
    d_review, consultation = _defendant(p, review.pk, "审查甲", 1, DRUNK_FACTS, users["duty"], "duty_lawyer")
    recording = services.add_recording(p, consultation.pk, reference="录音录像系统 A-0001", sha256="ab" * 32)
    # A recommendation far below the engine's range waits for the supervisor (power list).
    pending = case("矩阵〔2026〕5号", "盗窃罪")
    d_pending, _ = _defendant(p, pending.pk, "待批戊", 5, THEFT_FACTS, users["duty"], "duty_lawyer")
    services.propose_recommendation(
        p,
        d_pending.pk,
        None,
        {
            "kind": "definite",
            "sentence_type": "fixed_term",
            "months": 1,
            "departure_reason": "被害人强烈谅解，建议大幅从宽。",
        },
    )

    trial = case("矩阵〔2026〕2号", "盗窃罪")
    d_trial, _ = _defendant(p, trial.pk, "审判乙", 2, THEFT_FACTS, users["defense"], "defense_counsel")
    d_adjust, _ = _defendant(p, trial.pk, "调整丙", 3, THEFT_FACTS, users["duty"], "duty_lawyer")
    for d in (d_trial, d_adjust):
        services.sign_agreement(p, d.pk, None, {"counsel_present": True})
    trial.refresh_from_db()
    services.transfer_case(p, trial.pk, trial.version, court.pk, today)
    request = services.request_adjustment(judge, d_adjust.pk, "clearly_improper", "量刑建议明显偏重。")

    judged = case("矩阵〔2026〕3号", "危险驾驶罪")
    d_judged, _ = _defendant(p, judged.pk, "判决丁", 4, DRUNK_FACTS, users["defense"], "defense_counsel")
    services.sign_agreement(p, d_judged.pk, None, {"counsel_present": True})
    judged.refresh_from_db()
    services.transfer_case(p, judged.pk, judged.version, court.pk, today)
    rec = d_judged.recommendations.get(status="effective")
    services.record_outcome(
        judge,
        d_judged.pk,
        None,
        {
            "judgment_date": today,
            "served_on": today,
            "sentence_type": rec.sentence_type,
            "months": rec.months,
            "probation": rec.probation,
            "fine": rec.fine,
            "adoption": "adopted",
        },
    )

    appeal = case("矩阵〔2026〕4号", "危险驾驶罪")
    d_appeal, _ = _defendant(p, appeal.pk, "上诉己", 6, DRUNK_FACTS, users["defense"], "defense_counsel")
    services.sign_agreement(p, d_appeal.pk, None, {"counsel_present": True})
    appeal.refresh_from_db()
    services.transfer_case(p, appeal.pk, appeal.version, court.pk, today)
    rec = d_appeal.recommendations.get(status="effective")
    services.record_outcome(
        judge,
        d_appeal.pk,
        None,
        {
            "judgment_date": today,
            "served_on": today,
            "sentence_type": rec.sentence_type,
            "months": rec.months,
            "probation": rec.probation,
            "fine": rec.fine,
            "adoption": "adopted",
        },
    )
    services.file_appeal(judge, d_appeal.pk, {"filed_on": today, "ground": "sentence_too_heavy", "reason": "量刑过重"})

    from leniency.cases.models import Approval

    approval = Approval.objects.get(defendant_id=d_pending.pk, status="pending")
    return Scenario(
        review_case=review.pk,
        review_defendant=d_review.pk,
        consultation=consultation.pk,
        recording=recording.pk,
        trial_case=trial.pk,
        trial_defendant=d_trial.pk,
        adjusting_defendant=d_adjust.pk,
        adjustment_request=request.pk,
        judged_case=judged.pk,
        judged_defendant=d_judged.pk,
        appeal_case=appeal.pk,
        appeal_defendant=d_appeal.pk,
        approval=approval.pk,
    )
