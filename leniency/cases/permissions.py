"""Who may see and do what, enforced as querysets and checks the services call (not only in views).

- prosecutor: the cases of their unit assigned to them;
- supervisor: every case of their unit, and the approvals of their unit;
- defense_counsel / duty_lawyer: only cases in which they are assigned to a defendant;
- judge: cases transferred to their court (first instance) or appealed to it (second instance);
- admin: manages users and units, reads no case.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from leniency.accounts.models import User
from leniency.cases.errors import Forbidden, NotFound
from leniency.cases.models import Case, Defendant

FULL_ID_ROLES = {User.Role.PROSECUTOR, User.Role.SUPERVISOR, User.Role.JUDGE}
LAWYER_ROLES = {User.Role.DEFENSE_COUNSEL, User.Role.DUTY_LAWYER}


def visible_cases(user: User) -> QuerySet[Case]:
    qs = Case.objects.all()
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    role = user.role
    if role == User.Role.PROSECUTOR:
        return qs.filter(unit_id=user.unit_id, prosecutor_id=user.pk) if user.unit_id else qs.none()
    if role == User.Role.SUPERVISOR:
        return qs.filter(unit_id=user.unit_id) if user.unit_id else qs.none()
    if role in LAWYER_ROLES:
        return qs.filter(pk__in=Defendant.objects.filter(counsel_id=user.pk).values("case_id"))
    if role == User.Role.JUDGE:
        if not user.unit_id:
            return qs.none()
        return qs.filter(Q(court_id=user.unit_id, transferred_on__isnull=False) | Q(appeal_court_id=user.unit_id))
    return qs.none()


def visible_defendants(user: User) -> QuerySet[Defendant]:
    qs = Defendant.objects.filter(case__in=visible_cases(user))
    if getattr(user, "role", None) in LAWYER_ROLES:
        # A lawyer sees only their own clients, not the co-defendants.
        qs = qs.filter(counsel_id=user.pk)
    return qs


def get_case(user: User, case_id: int, *, for_update: bool = False) -> Case:
    qs = visible_cases(user)
    if for_update:
        qs = Case.objects.select_for_update().filter(pk__in=qs.filter(pk=case_id).values("pk"))
    case = qs.filter(pk=case_id).first()
    if case is None:
        raise NotFound("案件不存在或无权查看。")
    return case


def get_defendant(user: User, defendant_id: int, *, for_update: bool = False) -> Defendant:
    qs = visible_defendants(user)
    if for_update:
        qs = Defendant.objects.select_for_update().filter(pk__in=qs.filter(pk=defendant_id).values("pk"))
    defendant = qs.select_related("case").filter(pk=defendant_id).first()
    if defendant is None:
        raise NotFound("犯罪嫌疑人/被告人不存在或无权查看。")
    return defendant


def sees_full_id(user: User) -> bool:
    return user.role in FULL_ID_ROLES


def sees_internal(user: User) -> bool:
    """Internal approvals and review notes are for the procuratorate and the court only."""
    return user.role in FULL_ID_ROLES


def require_prosecutor(user: User, case: Case, what: str) -> None:
    if user.role != User.Role.PROSECUTOR or case.prosecutor_id != user.pk or case.unit_id != user.unit_id:
        raise Forbidden(f"只有本案承办检察官可以{what}。")


def require_case_creator(user: User) -> None:
    if user.role not in (User.Role.PROSECUTOR, User.Role.SUPERVISOR) or user.unit_id is None:
        raise Forbidden("只有检察院的检察官或部门负责人可以登记案件。")
    if user.unit.kind != user.unit.Kind.PROCURATORATE:
        raise Forbidden("只有检察院的检察官或部门负责人可以登记案件。")


def require_counsel(user: User, defendant: Defendant, what: str) -> None:
    if user.role not in LAWYER_ROLES or defendant.counsel_id != user.pk:
        raise Forbidden(f"只有该犯罪嫌疑人/被告人的辩护人或值班律师可以{what}。")


def require_trial_judge(user: User, case: Case, what: str) -> None:
    if user.role != User.Role.JUDGE or case.court_id is None or case.court_id != user.unit_id:
        raise Forbidden(f"只有受理本案的一审法院法官可以{what}。")


def require_appeal_judge(user: User, case: Case, what: str) -> None:
    if user.role != User.Role.JUDGE or case.appeal_court_id is None or case.appeal_court_id != user.unit_id:
        raise Forbidden(f"只有二审法院法官可以{what}。")


def require_supervisor(user: User, unit_id: int, what: str) -> None:
    if user.role != User.Role.SUPERVISOR or user.unit_id != unit_id:
        raise Forbidden(f"只有本院部门负责人或检察长可以{what}。")
