"""A few realistic demo cases for `leniency demo`, built through the services (so they are audited).

Loading twice changes nothing: a case whose number exists is skipped.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from leniency.accounts.models import Unit, User
from leniency.cases import services
from leniency.cases.errors import DomainError
from leniency.cases.identity import make_national_id
from leniency.cases.models import Case

DRUNK_DRIVING = "杭西检刑诉〔2026〕101号"
THEFT = "杭西检刑诉〔2026〕102号"


def _users() -> dict[str, User] | None:
    users = {u.username: u for u in User.objects.filter(username__in=["prosecutor", "supervisor", "defense", "duty"])}
    return users if len(users) == 4 else None


def _pleaded_flow(prosecutor: User, defendant_id: int, *, counsel_present: bool) -> None:
    services.record_notification(
        prosecutor,
        defendant_id,
        {"content": "已告知犯罪嫌疑人享有的诉讼权利和认罪认罚的法律规定（刑诉法 第173条第2款），犯罪嫌疑人表示清楚。"},
    )
    services.record_voluntariness(
        prosecutor,
        defendant_id,
        {
            "understands": True,
            "not_coerced": True,
            "facts_true": True,
            "counsel_consulted": True,
            "notes": "在值班律师在场的情况下审查，认罪认罚系自愿。",
        },
    )
    rec = services.propose_recommendation(
        prosecutor, defendant_id, None, {"use_engine": True, "kind": "definite", "sentence_type": "detention"}
    )
    services.add_consultation(
        prosecutor,
        defendant_id,
        {
            "status": "agreed",
            "proposal": f"量刑建议第{rec.number}版，犯罪嫌疑人及律师表示同意。",
            "reasons": "依据量刑计算结果及认罪认罚情节。",
            "attendees": [prosecutor.display_name, "犯罪嫌疑人", "律师"],
        },
    )
    services.choose_procedure(prosecutor, defendant_id, None, None)
    if counsel_present:
        services.sign_agreement(prosecutor, defendant_id, None, {"counsel_present": True})


@transaction.atomic
def load_demo_cases() -> list[Case]:
    users = _users()
    court = Unit.objects.filter(name="杭州市西湖区人民法院").first()
    if users is None or court is None:
        return []
    prosecutor = users["prosecutor"]
    today = timezone.localdate()
    created = []
    if not Case.objects.filter(unit_id=prosecutor.unit_id, number=DRUNK_DRIVING).exists():
        case = services.create_case(
            prosecutor,
            {
                "number": DRUNK_DRIVING,
                "charges": ["危险驾驶罪"],
                "received_on": today - dt.timedelta(days=4),
                "team": "plea",
                "facts_summary": "犯罪嫌疑人刘某某酒后驾驶小型轿车在城市道路行驶，经检验血液酒精含量为162mg/100ml，未发生事故。",
            },
        )
        birth = dt.date(1988, 5, 12)
        d = services.add_defendant(
            prosecutor,
            case.pk,
            {
                "name": "刘某某",
                "national_id": make_national_id("330106", birth, 123),
                "birth_date": birth,
                "custody_status": "bail",
                "custody_since": today - dt.timedelta(days=20),
                "plea": "pleaded",
                "consents_fast_track": True,
                "facts": {
                    "province": "浙江省",
                    "age_at_offence": 37,
                    "charges": [{"charge": "危险驾驶罪", "blood_alcohol": 162, "driving_conduct": "drunk"}],
                    "circumstances": {"confession": "ordinary"},
                },
            },
        )
        services.assign_counsel(prosecutor, d.pk, None, users["duty"].pk, "duty_lawyer", False)
        try:
            _pleaded_flow(prosecutor, d.pk, counsel_present=True)
        except DomainError:
            pass  # without a working engine the case stays at the facts stage
        created.append(case)
    if not Case.objects.filter(unit_id=prosecutor.unit_id, number=THEFT).exists():
        case = services.create_case(
            prosecutor,
            {
                "number": THEFT,
                "charges": ["盗窃罪"],
                "received_on": today - dt.timedelta(days=12),
                "team": "plea",
                "facts_summary": "犯罪嫌疑人孙某某、周某某结伙在商场内盗窃手机二部，价值共计人民币8600元，赃物已追回发还。",
            },
        )
        birth = dt.date(1995, 9, 3)
        sun = services.add_defendant(
            prosecutor,
            case.pk,
            {
                "name": "孙某某",
                "national_id": make_national_id("330106", birth, 245),
                "birth_date": birth,
                "custody_status": "custody",
                "custody_since": today - dt.timedelta(days=40),
                "plea": "pleaded",
                "consents_fast_track": True,
                "facts": {
                    "province": "浙江省",
                    "age_at_offence": 30,
                    "role": "principal",
                    "charges": [{"charge": "盗窃罪", "amount": 8600}],
                    "circumstances": {"confession": "ordinary", "restitution": True},
                },
            },
        )
        services.assign_counsel(prosecutor, sun.pk, None, users["defense"].pk, "defense_counsel", False)
        try:
            _pleaded_flow(prosecutor, sun.pk, counsel_present=False)
        except DomainError:
            pass
        birth = dt.date(1999, 1, 21)
        services.add_defendant(
            prosecutor,
            case.pk,
            {
                "name": "周某某",
                "national_id": make_national_id("330106", birth, 318),
                "birth_date": birth,
                "custody_status": "bail",
                "custody_since": today - dt.timedelta(days=40),
                "facts": {
                    "province": "浙江省",
                    "age_at_offence": 26,
                    "role": "accessory",
                    "charges": [{"charge": "盗窃罪", "amount": 8600}],
                },
            },
        )
        created.append(case)
    return created
