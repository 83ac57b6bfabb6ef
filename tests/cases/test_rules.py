"""Rules of record: recordings, optimistic versions, Chinese errors, the power list, 第174条第2款, demo data."""

from __future__ import annotations

import hashlib
import os
import stat

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from leniency.cases.models import Case, Defendant, Recording
from leniency.config.env import var_dir
from tests.cases.conftest import DRUNK_FACTS, THEFT_FACTS, defendant_payload, today
from tests.cases.scenario import build

pytestmark = pytest.mark.django_db


def test_recording_upload_is_content_addressed_read_only_and_verifiable(world, as_user):
    s = build(world)
    p = as_user("prosecutor")
    content = b"\x00\x01fake-mp4-content" * 1000
    code, rec = p.upload(
        f"/cases/consultations/{s.consultation}/recordings",
        {"file": SimpleUploadedFile("协商录像.mp4", content, content_type="video/mp4")},
    )
    assert code == 201, rec
    digest = hashlib.sha256(content).hexdigest()
    assert rec["sha256"] == digest and rec["size"] == len(content) and rec["stored"]
    path = var_dir() / "media" / "recordings" / digest[:2] / digest
    assert path.read_bytes() == content
    assert not os.stat(path).st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    code, check = p.post(f"/cases/recordings/{rec['id']}/verify")
    assert code == 200 and check["intact"] is True and check["source"] == "stored"
    # A lawyer of the defendant can check the hash too, with a copy they hold.
    duty = as_user("duty")
    code, check = duty.upload(
        f"/cases/recordings/{rec['id']}/verify", {"file": SimpleUploadedFile("copy.mp4", content + b"x")}
    )
    assert code == 200 and check["intact"] is False and "不一致" in check["detail"]
    # Uploading the same content again reuses the same file; the file on disk is never rewritten.
    code, again = p.upload(
        f"/cases/consultations/{s.consultation}/recordings",
        {"file": SimpleUploadedFile("again.mp4", content)},
    )
    assert code == 201 and again["sha256"] == digest and again["id"] != rec["id"]
    # Tampering on disk is detected.
    os.chmod(path, 0o644)
    path.write_bytes(content[:-1] + b"!")
    code, check = p.post(f"/cases/recordings/{rec['id']}/verify")
    assert check["intact"] is False and check["actual_sha256"] != digest


def test_recording_reference_needs_a_valid_sha256(world, as_user):
    s = build(world)
    p = as_user("prosecutor")
    code, body = p.upload(
        f"/cases/consultations/{s.consultation}/recordings", {"reference": "系统编号 9", "sha256": "xyz"}
    )
    assert code == 422 and "SHA-256" in body["detail"] and body["field"] == "sha256"
    code, body = p.upload(f"/cases/consultations/{s.consultation}/recordings", {})
    assert code == 422 and body["field"] == "file"
    code, check = p.post(f"/cases/recordings/{s.recording}/verify")
    assert code == 200 and check["intact"] is None and check["source"] == "reference"
    assert Recording.objects.filter(consultation_id=s.consultation).count() == 1


def test_stale_version_is_a_chinese_conflict_and_nothing_is_overwritten(world, as_user):
    s = build(world)
    p = as_user("prosecutor")
    code, d = p.get(f"/cases/defendants/{s.review_defendant}")
    version = d["version"]
    code, first = p.patch(f"/cases/defendants/{s.review_defendant}", {"version": version, "prior_record": "无前科"})
    assert code == 200 and first["version"] == version + 1
    code, body = p.patch(f"/cases/defendants/{s.review_defendant}", {"version": version, "prior_record": "有前科"})
    assert code == 409 and "已被他人修改" in body["detail"] and "刷新" in body["detail"]
    assert Defendant.objects.get(pk=s.review_defendant).prior_record == "无前科"
    case = Case.objects.get(pk=s.review_case)
    code, body = p.patch(f"/cases/{s.review_case}", {"version": case.version + 5, "facts_summary": "x"})
    assert code == 409
    code, body = p.post(f"/cases/defendants/{s.review_defendant}/procedure", {"version": version})
    assert code == 409


def test_validation_errors_are_chinese_and_name_the_field(world, as_user):
    p = as_user("prosecutor")
    code, body = p.post("/cases", {"number": "", "charges": []})
    assert code == 422
    assert "number" in body["detail"] and "charges" in body["detail"] and "请求数据有误" in body["detail"]
    code, body = p.post("/cases", {"number": "X〔2026〕1号", "charges": ["盗窃罪"], "received_on": "3000-01-01"})
    assert code == 422 and "1900年至2100年" in body["detail"]
    code, body = p.post("/cases", {"number": "X〔2026〕1号", "charges": ["盗窃罪"]})
    assert code == 422 and body["field"] == "received_on" and "受理日期" in body["detail"]
    code, case = p.post("/cases", {"number": "X〔2026〕1号", "charges": ["盗窃罪"], "received_on": today().isoformat()})
    assert code == 201
    bad_id = defendant_payload("某甲", 5, {})
    bad_id["national_id"] = bad_id["national_id"][:-1] + ("0" if bad_id["national_id"][-1] != "0" else "1")
    code, body = p.post(f"/cases/{case['id']}/defendants", bad_id)
    assert code == 422 and "校验码" in body["detail"] and body["field"] == "national_id"
    code, body = p.post(
        f"/cases/{case['id']}/defendants",
        defendant_payload("某乙", 6, {"charges": [{"charge": "盗窃罪", "amount": -5}]}),
    )
    assert code == 422 and body["field"] == "facts" and "量刑事实" in body["detail"]
    assert Defendant.objects.filter(case_id=case["id"]).count() == 0  # nothing half-written
    assert p.client.get("/api/cases/abc").status_code == 404


def test_unauthenticated_is_chinese_401(client):
    response = client.get("/api/cases")
    assert response.status_code == 401 and response.json()["detail"] == "请先登录。"


def test_departure_needs_reason_and_beyond_margin_supervisor_approval(world, as_user):
    p = as_user("prosecutor")
    sup = as_user("supervisor")
    code, case = p.post(
        "/cases", {"number": "偏离〔2026〕1号", "charges": ["盗窃罪"], "received_on": today().isoformat()}
    )
    code, d = p.post(f"/cases/{case['id']}/defendants", defendant_payload("偏离甲", 8, THEFT_FACTS))
    did = d["id"]
    code, engine = p.post(f"/cases/defendants/{did}/recommendations", {"use_engine": True})
    assert code == 201 and engine["status"] == "effective" and engine["departure"]["departs"] is False
    low, high = engine["engine"]["sentence"]["range"]
    etype = engine["engine"]["sentence"]["type"]
    # One month outside the range: a written reason is required, no approval.
    code, body = p.post(
        f"/cases/defendants/{did}/recommendations", {"kind": "definite", "sentence_type": etype, "months": high + 1}
    )
    assert code == 422 and body["field"] == "departure_reason" and "第36条" in body["detail"]
    code, rec = p.post(
        f"/cases/defendants/{did}/recommendations",
        {"kind": "definite", "sentence_type": etype, "months": high + 1, "departure_reason": "多次作案，酌情从重。"},
    )
    assert code == 201 and rec["status"] == "effective" and rec["departure"]["needs_approval"] is False
    # Far outside: the supervisor must approve before it counts.
    far = high + 12
    code, rec = p.post(
        f"/cases/defendants/{did}/recommendations",
        {"kind": "definite", "sentence_type": etype, "months": far, "departure_reason": "社会影响恶劣。"},
    )
    assert code == 201 and rec["status"] == "pending_approval" and rec["departure"]["needs_approval"]
    code, approvals = sup.get("/supervision/approvals?status=pending")
    approval = next(a for a in approvals if a["target_id"] == rec["id"])
    assert approval["kind"] == "departure" and "高检规则 第4条" in approval["citation"]
    # The prosecutor cannot approve their own request; rejection needs a note.
    assert p.post(f"/supervision/approvals/{approval['id']}/decision", {"approved": True})[0] == 403
    code, body = sup.post(f"/supervision/approvals/{approval['id']}/decision", {"approved": False})
    assert code == 422 and body["field"] == "note"
    code, decided = sup.post(f"/supervision/approvals/{approval['id']}/decision", {"approved": True, "note": "同意"})
    assert code == 200 and decided["status"] == "approved" and decided["decided_by"]["id"] == world["supervisor"].pk
    code, state = p.get(f"/cases/defendants/{did}")
    assert [r["status"] for r in state["recommendations"]] == ["superseded", "superseded", "effective"]
    code, body = sup.post(f"/supervision/approvals/{approval['id']}/decision", {"approved": True, "note": "再次"})
    assert code == 409


def test_agreement_without_lawyer_only_on_a_174_2_ground(world, as_user):
    p = as_user("prosecutor")
    code, case = p.post(
        "/cases", {"number": "具结〔2026〕1号", "charges": ["危险驾驶罪"], "received_on": today().isoformat()}
    )
    code, d = p.post(f"/cases/{case['id']}/defendants", defendant_payload("具结甲", 9, DRUNK_FACTS, disability=True))
    did = d["id"]
    p.post(f"/cases/defendants/{did}/rights-notifications", {"content": "已告知（手语翻译在场）。"})
    p.post(
        f"/cases/defendants/{did}/voluntariness-checks",
        {"understands": True, "not_coerced": True, "facts_true": True, "counsel_consulted": True},
    )
    code, rec = p.post(f"/cases/defendants/{did}/recommendations", {"use_engine": True})
    assert code == 201
    # Without an agreed consultation there is nothing to sign.
    code, body = p.post(
        f"/cases/defendants/{did}/plea-agreement", {"counsel_present": False, "no_counsel_ground": "disability"}
    )
    assert code == 409 and "协商" in body["detail"]
    p.post(f"/cases/defendants/{did}/consultations", {"status": "agreed", "proposal": "同意", "attendees": ["检察官"]})
    code, state = p.post(f"/cases/defendants/{did}/procedure", {})
    assert state["procedure"] == "ordinary" and "第223条第1项" in state["procedure_explanation"]
    code, body = p.post(f"/cases/defendants/{did}/plea-agreement", {"counsel_present": True})
    assert code == 409 and "值班律师" in body["detail"]
    code, body = p.post(f"/cases/defendants/{did}/plea-agreement", {"counsel_present": False})
    assert code == 422 and "第174条" in body["detail"] and body["field"] == "no_counsel_ground"
    code, body = p.post(
        f"/cases/defendants/{did}/plea-agreement", {"counsel_present": False, "no_counsel_ground": "other"}
    )
    assert code == 422 and body["field"] == "no_counsel_note"
    code, agreement = p.post(
        f"/cases/defendants/{did}/plea-agreement", {"counsel_present": False, "no_counsel_ground": "disability"}
    )
    assert code == 201 and agreement["witness"] is None
    assert "第174条第2款第1项" in agreement["content"]["no_counsel_ground"]


def test_voluntariness_failure_blocks_signing(world, as_user):
    s = build(world)
    p = as_user("prosecutor")
    p.post(
        f"/cases/defendants/{s.review_defendant}/voluntariness-checks",
        {
            "understands": True,
            "not_coerced": False,
            "facts_true": True,
            "counsel_consulted": True,
            "notes": "称受到引诱",
        },
    )
    code, body = p.post(f"/cases/defendants/{s.review_defendant}/plea-agreement", {"counsel_present": True})
    assert code == 409 and "自愿性" in body["detail"]


def test_duty_lawyer_converted_to_legal_aid_defence(world, as_user):
    s = build(world)
    p = as_user("prosecutor")
    code, d = p.post(
        f"/cases/defendants/{s.review_defendant}/counsel",
        {"counsel_id": world["duty"].pk, "counsel_role": "defense_counsel", "legal_aid": True},
    )
    assert code == 200 and d["counsel_role"] == "defense_counsel" and d["legal_aid"] and d["legal_aid_since"]
    code, body = p.post(
        f"/cases/defendants/{s.review_defendant}/counsel",
        {"counsel_id": world["duty"].pk, "counsel_role": "defense_counsel", "legal_aid": False},
    )
    assert code == 422 and body["field"] == "legal_aid"


def test_demo_cases_load_idempotently(world):
    from leniency.audit.trail import verify
    from leniency.cases.demo import load_demo_cases

    first = load_demo_cases()
    assert len(first) == 2
    assert load_demo_cases() == []
    liu = Defendant.objects.get(name="刘某某")
    assert liu.agreements.filter(status="valid").exists() and liu.procedure == "fast_track"
    assert Defendant.objects.filter(case__number__startswith="杭西检").count() == 3
    assert verify().ok


def test_discretionary_non_prosecution_needs_chief_approval_and_closes_the_case(world, as_user):
    p = as_user("prosecutor")
    sup = as_user("supervisor")
    code, case = p.post(
        "/cases", {"number": "不诉〔2026〕1号", "charges": ["危险驾驶罪"], "received_on": today().isoformat()}
    )
    facts = {
        "province": "浙江省",
        "age_at_offence": 40,
        "charges": [{"charge": "危险驾驶罪", "blood_alcohol": 82, "driving_conduct": "drunk"}],
        "circumstances": {"surrender": True},
    }
    code, d = p.post(f"/cases/{case['id']}/defendants", defendant_payload("不诉甲", 12, facts))
    did = d["id"]
    code, rec = p.post(f"/cases/defendants/{did}/recommendations", {"use_engine": True})
    assert code == 201 and rec["sentence_type"] == "exempt", rec["text"]
    code, body = p.post(f"/cases/defendants/{did}/procedure", {"choice": "non_prosecution"})
    assert code == 422 and body["field"] == "reason" and "第370条" in body["detail"]
    code, state = p.post(
        f"/cases/defendants/{did}/procedure",
        {"choice": "non_prosecution", "reason": "犯罪情节轻微，自首，依法可免除处罚。"},
    )
    assert code == 200 and state["procedure_detail"]["non_prosecution_possible"]
    assert not state["non_prosecution_decided"] and "待检察长批准" in state["procedure_explanation"]
    code, approvals = sup.get("/supervision/approvals?status=pending")
    approval = next(a for a in approvals if a["defendant_id"] == did)
    assert approval["kind"] == "non_prosecution" and "第177条第2款" in approval["citation"]
    code, decided = sup.post(
        f"/supervision/approvals/{approval['id']}/decision", {"approved": True, "note": "同意不起诉"}
    )
    assert code == 200
    code, state = p.get(f"/cases/defendants/{did}")
    assert state["non_prosecution_decided"] and state["procedure"] == "non_prosecution"
    review = next(x for x in state["deadlines"] if x["kind"] == "prosecution_review")
    assert review["done_on"] == today().isoformat() and not review["overdue"]
    assert p.get(f"/cases/{case['id']}")[1]["stage"] == "closed"


def test_non_prosecution_refused_when_a_sentence_is_needed(world, as_user):
    s = build(world)
    code, body = as_user("prosecutor").post(
        f"/cases/defendants/{s.review_defendant}/procedure", {"choice": "non_prosecution", "reason": "拟不起诉"}
    )
    assert code == 422 and "不符合酌定不起诉条件" in body["detail"] and "第177条第2款" in body["detail"]


def test_withdrawal_at_trial_converts_fast_track(world, as_user):
    s = build(world)
    judge = as_user("judge")
    code, before = judge.get(f"/cases/defendants/{s.trial_defendant}")
    assert before["procedure"] == "fast_track"
    code, w = judge.post(f"/cases/defendants/{s.trial_defendant}/withdrawal", {"reason": "当庭否认犯罪事实"})
    assert code == 201 and w["stage"] == "trial"
    assert w["procedure_before"] == "fast_track" and w["procedure_after"] == "ordinary"
    assert w["recomputed"]["facts"]["plea"] is False
    code, after = judge.get(f"/cases/defendants/{s.trial_defendant}")
    trial = next(x for x in after["deadlines"] if x["kind"] == "trial")
    assert trial["citation"] == "刑诉法 第208条第1款"
    assert [a["status"] for a in after["agreements"]] == ["void"]


def test_a_new_version_withdraws_the_pending_approval(world, as_user):
    s = build(world)
    from leniency.cases.models import Approval

    approval = Approval.objects.get(pk=s.approval)
    p = as_user("prosecutor")
    code, rec = p.post(f"/cases/defendants/{approval.defendant_id}/recommendations", {"use_engine": True})
    assert code == 201 and rec["status"] == "effective"
    approval.refresh_from_db()
    assert approval.status == "withdrawn"
    code, body = as_user("supervisor").post(f"/supervision/approvals/{s.approval}/decision", {"approved": True})
    assert code == 409 and "已撤回" in body["detail"]
