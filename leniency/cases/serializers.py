"""Model → API dict, deciding what each role may see (masked national ID, internal approvals)."""

from __future__ import annotations

from typing import Any

from leniency.accounts.models import User
from leniency.cases import permissions as perm
from leniency.cases.identity import mask_national_id
from leniency.cases.models import Case, Defendant, Recording, SentencingRecommendation, Stage
from leniency.cases.services import defendant_deadlines


def ref(obj: Any) -> dict[str, Any] | None:
    if obj is None:
        return None
    name = getattr(obj, "display_name", None) or getattr(obj, "name", None) or str(obj)
    return {"id": obj.pk, "name": name}


def case_out(case: Case) -> dict[str, Any]:
    return {
        "id": case.pk,
        "number": case.number,
        "unit": ref(case.unit),
        "charges": list(case.charges),
        "stage": case.stage,
        "stage_label": Stage(case.stage).label,
        "received_on": case.received_on,
        "review_extended": case.review_extended,
        "transferred_on": case.transferred_on,
        "court": ref(case.court),
        "appeal_court": ref(case.appeal_court),
        "prosecutor": ref(case.prosecutor),
        "team": case.team,
        "facts_summary": case.facts_summary,
        "major_social_impact": case.major_social_impact,
        "complex_joint_crime": case.complex_joint_crime,
        "facts_clear": case.facts_clear,
        "defendant_count": case.defendants.count(),
        "version": case.version,
    }


def _id_for(user: User, defendant: Defendant) -> tuple[str, bool]:
    if perm.sees_full_id(user):
        return defendant.national_id, False
    return mask_national_id(defendant.national_id), True


def case_detail_out(case: Case, user: User) -> dict[str, Any]:
    data = case_out(case)
    briefs = []
    for d in perm.visible_defendants(user).filter(case=case).order_by("id"):
        national_id, masked = _id_for(user, d)
        briefs.append(
            {
                "id": d.pk,
                "name": d.name,
                "national_id": national_id,
                "national_id_masked": masked,
                "plea": d.plea,
                "procedure": d.procedure,
                "version": d.version,
            }
        )
    data["defendants"] = briefs
    return data


def recommendation_out(rec: SentencingRecommendation) -> dict[str, Any]:
    return {
        "id": rec.pk,
        "number": rec.number,
        "origin": rec.origin,
        "kind": rec.kind,
        "sentence_type": rec.sentence_type,
        "months": rec.months,
        "months_low": rec.months_low,
        "months_high": rec.months_high,
        "probation": rec.probation,
        "probation_months": rec.probation_months,
        "fine": rec.fine,
        "confiscation": rec.confiscation or None,
        "text": rec.text,
        "status": rec.status,
        "frozen": rec.frozen,
        "departure": rec.departure,
        "departure_reason": rec.departure_reason,
        "engine": rec.engine_output,
        "facts": rec.facts,
        "rule_edition": rec.rule_edition,
        "created_by": ref(rec.created_by),
        "created_at": rec.created_at,
    }


def recording_out(rec: Recording) -> dict[str, Any]:
    return {
        "id": rec.pk,
        "sha256": rec.sha256,
        "size": rec.size,
        "original_name": rec.original_name,
        "content_type": rec.content_type,
        "stored": bool(rec.stored_path),
        "reference": rec.reference,
        "created_at": rec.created_at,
    }


def consultation_out(item: Any) -> dict[str, Any]:
    return {
        "id": item.pk,
        "round": item.round,
        "party": item.party,
        "recommendation_id": item.recommendation_id,
        "proposal": item.proposal,
        "proposed_months": item.proposed_months,
        "reasons": item.reasons,
        "attendees": list(item.attendees),
        "held_at": item.held_at,
        "status": item.status,
        "created_by": ref(item.created_by),
        "recordings": [recording_out(r) for r in item.recordings.all()],
    }


def agreement_out(item: Any) -> dict[str, Any]:
    return {
        "id": item.pk,
        "recommendation_id": item.recommendation_id,
        "charges": list(item.charges),
        "procedure": item.procedure,
        "content": item.content,
        "witness": ref(item.witness),
        "witness_role": item.witness_role,
        "no_counsel_ground": item.no_counsel_ground,
        "no_counsel_note": item.no_counsel_note,
        "signed_at": item.signed_at,
        "status": item.status,
        "voided_at": item.voided_at,
    }


def withdrawal_out(item: Any) -> dict[str, Any]:
    return {
        "id": item.pk,
        "stage": item.stage,
        "reason": item.reason,
        "still_admits_facts": item.still_admits_facts,
        "procedure_before": item.procedure_before,
        "procedure_after": item.procedure_after,
        "recomputed": recommendation_out(item.recomputed),
        "recorded_at": item.recorded_at,
    }


def adjustment_out(item: Any) -> dict[str, Any]:
    return {
        "id": item.pk,
        "ground": item.ground,
        "reason": item.reason,
        "requested_by": ref(item.requested_by),
        "requested_at": item.requested_at,
        "response": item.response,
        "response_reason": item.response_reason,
        "new_recommendation_id": item.new_recommendation_id,
        "version": item.version,
    }


def outcome_out(item: Any) -> dict[str, Any]:
    return {
        "id": item.pk,
        "judgment_date": item.judgment_date,
        "served_on": item.served_on,
        "procedure": item.procedure,
        "sentence_type": item.sentence_type,
        "months": item.months,
        "probation": item.probation,
        "probation_months": item.probation_months,
        "fine": item.fine,
        "confiscation": item.confiscation or None,
        "adoption": item.adoption,
        "not_adopted_ground": item.not_adopted_ground,
        "reason": item.reason,
        "recommendation_id": item.recommendation_id,
    }


def challenge_out(item: Any) -> dict[str, Any]:
    return {
        "id": item.pk,
        "kind": item.kind,
        "ground": item.ground,
        "reason": item.reason,
        "filed_on": item.filed_on,
        "status": item.status,
    }


def second_instance_out(item: Any) -> dict[str, Any]:
    return {
        "id": item.pk,
        "decided_on": item.decided_on,
        "result": item.result,
        "sentence_type": item.sentence_type,
        "months": item.months,
        "probation": item.probation,
        "reason": item.reason,
    }


def defendant_out(d: Defendant, user: User) -> dict[str, Any]:
    national_id, masked = _id_for(user, d)
    outcome = getattr(d, "outcome", None) if hasattr(d, "outcome") else None
    second = getattr(d, "second_instance", None) if hasattr(d, "second_instance") else None
    approvals = []
    if perm.sees_internal(user) and user.role != User.Role.JUDGE:
        approvals = [
            {
                "id": a.pk,
                "kind": a.kind,
                "status": a.status,
                "target_type": a.target_type,
                "target_id": a.target_id,
                "citation": a.citation,
                "request_reason": a.request_reason,
                "decision_note": a.decision_note,
            }
            for a in d.approvals.all().order_by("id")
        ]
    return {
        "id": d.pk,
        "case_id": d.case_id,
        "name": d.name,
        "national_id": national_id,
        "national_id_masked": masked,
        "birth_date": d.birth_date,
        "custody_status": d.custody_status,
        "custody_since": d.custody_since,
        "custody_until": d.custody_until,
        "prior_record": d.prior_record,
        "counsel": ref(d.counsel),
        "counsel_role": d.counsel_role,
        "legal_aid": d.legal_aid,
        "legal_aid_since": d.legal_aid_since,
        "disability": d.disability,
        "civil_settlement": d.civil_settlement,
        "co_defendant_dispute": d.co_defendant_dispute,
        "innocence_defence": d.innocence_defence,
        "consents_fast_track": d.consents_fast_track,
        "objects_summary": d.objects_summary,
        "plea": d.plea,
        "facts": d.facts,
        "facts_summary": d.case.facts_summary,
        "procedure": d.procedure,
        "procedure_explanation": d.procedure_explanation,
        "procedure_detail": d.procedure_detail,
        "non_prosecution_decided": d.non_prosecution_decided,
        "version": d.version,
        "notifications": [
            {
                "id": n.pk,
                "stage": n.stage,
                "notified_by": ref(n.notified_by),
                "notified_at": n.notified_at,
                "content": n.content,
                "acknowledged": n.acknowledged,
            }
            for n in d.notifications.all()
        ],
        "voluntariness_checks": [
            {
                "id": c.pk,
                "checked_by": ref(c.checked_by),
                "checked_at": c.checked_at,
                "understands": c.understands,
                "not_coerced": c.not_coerced,
                "facts_true": c.facts_true,
                "counsel_consulted": c.counsel_consulted,
                "passed": c.passed,
                "notes": c.notes,
            }
            for c in d.voluntariness_checks.all()
        ],
        "recommendations": [recommendation_out(r) for r in d.recommendations.all().order_by("number")],
        "consultations": [consultation_out(c) for c in d.consultations.all().order_by("round")],
        "opinions": [
            {"id": o.pk, "author": ref(o.author), "text": o.text, "submitted_at": o.submitted_at}
            for o in d.opinions.all()
        ],
        "agreements": [agreement_out(a) for a in d.agreements.all()],
        "withdrawals": [withdrawal_out(w) for w in d.withdrawals.all()],
        "adjustment_requests": [adjustment_out(a) for a in d.adjustment_requests.all()],
        "outcome": outcome_out(outcome) if outcome else None,
        "challenges": [challenge_out(c) for c in d.challenges.all()],
        "second_instance": second_instance_out(second) if second else None,
        "deadlines": defendant_deadlines(d),
        "approvals": approvals,
    }
