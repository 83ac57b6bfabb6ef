"""Permission matrix: every endpoint × every role × own/other unit → allowed (2xx) or denied (403/404).

Each request runs in a savepoint that is rolled back, so every user meets the same state.
"""

from __future__ import annotations

import json

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from tests.cases.conftest import defendant_payload
from tests.cases.scenario import build

pytestmark = pytest.mark.django_db

USERS = [
    "prosecutor",  # unit A, assigned to every case
    "prosecutor_a2",  # unit A, not assigned
    "prosecutor_b",  # other unit
    "supervisor",
    "supervisor_b",
    "defense",  # counsel of the trial, judged and appeal defendants
    "defense_b",
    "duty",  # duty lawyer of the review and adjusting defendants
    "duty_b",
    "judge",  # court A (first instance)
    "judge_b",  # another court
    "judge_appeal",  # the intermediate court (second instance)
    "admin",
    "admin_b",
]


class Rolled(Exception):
    pass


def _call(client, method, path, body):
    if method == "GET":
        return client.get(path)
    if method == "UPLOAD":
        return client.post(path, data=body)
    return getattr(client, method.lower())(path, data=json.dumps(body, default=str), content_type="application/json")


def endpoints(s, users):
    today = timezone.localdate().isoformat()
    r, dr = s.review_case, s.review_defendant
    rows = [
        (
            "POST",
            "/api/cases",
            {
                "number": "新案〔2026〕9号",
                "charges": ["盗窃罪"],
                "received_on": today,
                "prosecutor_id": users["prosecutor"].pk,
            },
            {"prosecutor", "supervisor"},
        ),
        ("GET", f"/api/cases/{r}", None, {"prosecutor", "supervisor", "duty"}),
        ("PATCH", f"/api/cases/{r}", {"version": 0, "facts_summary": "修改"}, {"prosecutor"}),
        (
            "POST",
            f"/api/cases/{r}/transfer",
            {"version": 0, "court_id": users["_court_a"].pk, "transferred_on": today},
            {"prosecutor"},
        ),
        ("POST", f"/api/cases/{r}/defendants", defendant_payload("新增", 77, {}), {"prosecutor"}),
        ("GET", f"/api/cases/defendants/{dr}", None, {"prosecutor", "supervisor", "duty"}),
        ("PATCH", f"/api/cases/defendants/{dr}", {"version": 0, "prior_record": "无"}, {"prosecutor"}),
        (
            "POST",
            f"/api/cases/defendants/{dr}/counsel",
            {"counsel_id": users["duty_b"].pk, "counsel_role": "duty_lawyer"},
            {"prosecutor"},
        ),
        ("POST", f"/api/cases/defendants/{dr}/rights-notifications", {"content": "再次告知"}, {"prosecutor"}),
        (
            "POST",
            f"/api/cases/defendants/{dr}/voluntariness-checks",
            {"understands": True, "not_coerced": True, "facts_true": True, "counsel_consulted": True},
            {"prosecutor"},
        ),
        ("POST", f"/api/cases/defendants/{dr}/recommendations", {"use_engine": True}, {"prosecutor"}),
        (
            "POST",
            f"/api/cases/defendants/{dr}/consultations",
            {"status": "proposed", "proposal": "新方案", "attendees": ["甲"]},
            {"prosecutor", "duty"},
        ),
        (
            "UPLOAD",
            f"/api/cases/consultations/{s.consultation}/recordings",
            {"reference": "录音录像系统 B-2", "sha256": "cd" * 32},
            {"prosecutor"},
        ),
        ("POST", f"/api/cases/recordings/{s.recording}/verify", None, {"prosecutor", "supervisor", "duty"}),
        ("POST", f"/api/cases/defendants/{dr}/opinions", {"text": "书面意见"}, {"duty"}),
        ("POST", f"/api/cases/defendants/{dr}/procedure", {"choice": "ordinary", "reason": "案情复杂"}, {"prosecutor"}),
        ("POST", f"/api/cases/defendants/{dr}/plea-agreement", {"counsel_present": True}, {"prosecutor"}),
        ("POST", f"/api/cases/defendants/{dr}/withdrawal", {"reason": "反悔"}, {"prosecutor"}),
        ("GET", f"/api/cases/defendants/{dr}/deadlines", None, {"prosecutor", "supervisor", "duty"}),
        ("GET", f"/api/cases/{s.trial_case}", None, {"prosecutor", "supervisor", "judge", "defense", "duty"}),
        ("GET", f"/api/cases/defendants/{s.trial_defendant}", None, {"prosecutor", "supervisor", "judge", "defense"}),
        (
            "POST",
            f"/api/cases/defendants/{s.trial_defendant}/withdrawal",
            {"reason": "当庭反悔"},
            {"prosecutor", "judge"},
        ),
        (
            "POST",
            f"/api/cases/defendants/{s.trial_defendant}/adjustment-requests",
            {"ground": "defence_objection", "reason": "辩护人提出异议"},
            {"judge"},
        ),
        (
            "POST",
            f"/api/cases/adjustment-requests/{s.adjustment_request}/response",
            {"response": "declined", "reason": "量刑建议适当"},
            {"prosecutor"},
        ),
        (
            "POST",
            f"/api/cases/defendants/{s.trial_defendant}/outcome",
            {
                "judgment_date": today,
                "served_on": today,
                "sentence_type": "fixed_term",
                "months": 30,
                "adoption": "not_adopted",
                "not_adopted_ground": "different_charge",
                "reason": "罪名不一致",
            },
            {"judge"},
        ),
        (
            "POST",
            f"/api/cases/defendants/{s.judged_defendant}/appeals",
            {"filed_on": today, "ground": "other"},
            {"judge", "defense"},
        ),
        (
            "POST",
            f"/api/cases/defendants/{s.judged_defendant}/protests",
            {"filed_on": today, "ground": "improper_sentence", "reason": "量刑明显不当"},
            {"prosecutor"},
        ),
        ("GET", f"/api/cases/{s.appeal_case}", None, {"prosecutor", "supervisor", "judge", "judge_appeal", "defense"}),
        (
            "POST",
            f"/api/cases/defendants/{s.appeal_defendant}/second-instance",
            {"decided_on": today, "result": "dismissed"},
            {"judge_appeal"},
        ),
        (
            "POST",
            f"/api/supervision/approvals/{s.approval}/decision",
            {"approved": True, "note": "同意"},
            {"supervisor"},
        ),
    ]
    return rows


def _fix_versions(body, path):
    """PATCH/transfer need the current version: read it from the database inside the savepoint."""
    from leniency.cases.models import Case, Defendant

    if not isinstance(body, dict) or body.get("version") != 0:
        return body
    parts = path.rstrip("/").split("/")
    if "defendants" in parts:
        obj = Defendant.objects.get(pk=int(parts[parts.index("defendants") + 1]))
    else:
        obj = Case.objects.get(pk=int(parts[3]))
    return {**body, "version": obj.version}


def test_permission_matrix(world):
    scenario = build(world)
    clients = {}
    for name in USERS:
        client = Client()
        client.force_login(world[name])
        clients[name] = client
    rows = endpoints(scenario, world)
    wrong = []
    checked = 0
    for method, path, body, allowed in rows:
        for name in USERS:
            try:
                with transaction.atomic():
                    response = _call(clients[name], method, path, _fix_versions(body, path))
                    raise Rolled
            except Rolled:
                pass
            checked += 1
            expect_allowed = name in allowed
            ok = 200 <= response.status_code < 300 if expect_allowed else response.status_code in (403, 404)
            if not ok:
                wrong.append(f"{method} {path} as {name}: {response.status_code} {response.content[:300].decode()}")
            if response.status_code in (403, 404):
                detail = response.json().get("detail", "")
                assert any("\u4e00" <= ch <= "\u9fff" for ch in detail), detail
    assert not wrong, "\n".join(wrong)
    assert checked == len(rows) * len(USERS)
    # Every operation of the cases and supervision routers is in the matrix (the two lists are tested below).
    covered = {(m if m != "UPLOAD" else "POST", _template(path)) for m, path, _, _ in rows}
    covered |= {("GET", "/api/cases"), ("GET", "/api/supervision/approvals")}
    assert covered == _operations(), _operations() ^ covered


def _template(path: str) -> str:
    import re

    names = {
        "/api/cases/defendants/": "defendant_id",
        "/api/cases/consultations/": "consultation_id",
        "/api/cases/recordings/": "recording_id",
        "/api/cases/adjustment-requests/": "request_id",
        "/api/supervision/approvals/": "approval_id",
        "/api/cases/": "case_id",
    }
    for prefix, name in names.items():
        if path.startswith(prefix) and re.match(r"\d+", path[len(prefix) :]):
            return re.sub(r"^(" + re.escape(prefix) + r")\d+", r"\1{" + name + "}", path)
    return path


def _operations() -> set[tuple[str, str]]:
    from leniency.web.api import api

    schema = api.get_openapi_schema()
    return {
        (method.upper(), path)
        for path, item in schema["paths"].items()
        if path.startswith(("/api/cases", "/api/supervision"))
        for method in item
    }


def test_lists_show_only_what_each_role_may_read(world, as_user):
    s = build(world)
    from leniency.cases.models import Case

    all_cases = set(Case.objects.values_list("pk", flat=True))
    review_and_pending = set(Case.objects.filter(defendants__counsel=world["duty"]).values_list("pk", flat=True))
    expected = {
        "prosecutor": all_cases,
        "prosecutor_a2": set(),
        "prosecutor_b": set(),
        "supervisor": all_cases,
        "supervisor_b": set(),
        "defense": {s.trial_case, s.judged_case, s.appeal_case},
        "defense_b": set(),
        "duty": review_and_pending,
        "duty_b": set(),
        "judge": {s.trial_case, s.judged_case, s.appeal_case},
        "judge_b": set(),
        "judge_appeal": {s.appeal_case},
        "admin": set(),
        "admin_b": set(),
    }
    for name, ids in expected.items():
        code, body = as_user(name).get("/cases")
        assert code == 200
        assert {c["id"] for c in body} == ids, name
    code, approvals = as_user("supervisor").get("/supervision/approvals")
    assert code == 200 and [a["id"] for a in approvals] == [s.approval]
    for name in ("supervisor_b", "defense", "duty", "judge", "admin"):
        assert as_user(name).get("/supervision/approvals")[1] == [], name


def test_lawyer_sees_only_own_client_and_masked_id(world, as_user):
    s = build(world)
    code, case = as_user("duty").get(f"/cases/{s.trial_case}")
    assert code == 200
    assert [d["id"] for d in case["defendants"]] == [s.adjusting_defendant]  # not the co-defendant
    assert case["defendants"][0]["national_id_masked"]
    assert as_user("duty").get(f"/cases/defendants/{s.trial_defendant}")[0] == 404
    code, full = as_user("prosecutor").get(f"/cases/defendants/{s.review_defendant}")
    assert not full["national_id_masked"] and "*" not in full["national_id"]
    code, masked = as_user("duty").get(f"/cases/defendants/{s.review_defendant}")
    assert masked["national_id"] != full["national_id"]
    assert (
        masked["national_id"][:3] == full["national_id"][:3] and masked["national_id"][-4:] == full["national_id"][-4:]
    )
    assert masked["recommendations"] and masked["recommendations"][0]["engine"] == full["recommendations"][0]["engine"]
    assert masked["approvals"] == [] and full["approvals"] == []


def test_every_read_of_personal_data_is_audited(world, as_user):
    from leniency.audit.models import AuditEvent

    s = build(world)
    before = AuditEvent.objects.filter(action="personal_data.read").count()
    as_user("duty").get(f"/cases/defendants/{s.review_defendant}")
    as_user("prosecutor").get(f"/cases/{s.review_case}")
    events = list(AuditEvent.objects.filter(action="personal_data.read").order_by("seq"))[before:]
    assert [(e.actor, e.role, e.object_type) for e in events] == [
        ("duty", "duty_lawyer", "cases.defendant"),
        ("prosecutor", "prosecutor", "cases.case"),
    ]
    assert events[0].after == {"full_national_id": False} and events[0].address == "127.0.0.1"
    # A denied read leaves no trace of personal data.
    assert as_user("duty_b").get(f"/cases/defendants/{s.review_defendant}")[0] == 404
    assert AuditEvent.objects.filter(action="personal_data.read").count() == before + 2
