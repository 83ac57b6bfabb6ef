"""Demo units and one user per role, for `leniency demo` and the tests.

Loading twice changes nothing: units and users are looked up by name first.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from leniency.accounts.models import Unit, User

DEMO_PASSWORD = "leniency-demo-2026"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    full_name: str
    unit: str


UNITS = [
    # name, kind, level, parent, province
    ("最高人民检察院", Unit.Kind.PROCURATORATE, Unit.Level.SUPREME, None, ""),
    ("浙江省人民检察院", Unit.Kind.PROCURATORATE, Unit.Level.PROVINCIAL, "最高人民检察院", "33"),
    ("杭州市人民检察院", Unit.Kind.PROCURATORATE, Unit.Level.MUNICIPAL, "浙江省人民检察院", "33"),
    ("杭州市西湖区人民检察院", Unit.Kind.PROCURATORATE, Unit.Level.COUNTY, "杭州市人民检察院", "33"),
    ("杭州市上城区人民检察院", Unit.Kind.PROCURATORATE, Unit.Level.COUNTY, "杭州市人民检察院", "33"),
    ("最高人民法院", Unit.Kind.COURT, Unit.Level.SUPREME, None, ""),
    ("浙江省高级人民法院", Unit.Kind.COURT, Unit.Level.PROVINCIAL, "最高人民法院", "33"),
    ("杭州市中级人民法院", Unit.Kind.COURT, Unit.Level.MUNICIPAL, "浙江省高级人民法院", "33"),
    ("杭州市西湖区人民法院", Unit.Kind.COURT, Unit.Level.COUNTY, "杭州市中级人民法院", "33"),
    ("杭州市公安局西湖区分局", Unit.Kind.POLICE, Unit.Level.COUNTY, None, "33"),
    ("杭州市西湖区法律援助中心", Unit.Kind.LEGAL_AID, Unit.Level.COUNTY, None, "33"),
]

USERS = [
    ("prosecutor", User.Role.PROSECUTOR, "王检察官", "杭州市西湖区人民检察院"),
    ("supervisor", User.Role.SUPERVISOR, "李部门负责人", "杭州市西湖区人民检察院"),
    ("defense", User.Role.DEFENSE_COUNSEL, "张律师", None),
    ("duty", User.Role.DUTY_LAWYER, "赵值班律师", "杭州市西湖区法律援助中心"),
    ("judge", User.Role.JUDGE, "陈法官", "杭州市西湖区人民法院"),
    ("admin", User.Role.ADMIN, "系统管理员", "杭州市西湖区人民检察院"),
]


@transaction.atomic
def load_units_and_users(password: str = DEMO_PASSWORD) -> list[DemoLogin]:
    by_name: dict[str, Unit] = {}
    for name, kind, level, parent, province in UNITS:
        unit, _ = Unit.objects.get_or_create(
            name=name,
            defaults={"kind": kind, "level": level, "parent": by_name.get(parent), "province_code": province},
        )
        by_name[name] = unit
    logins = []
    for username, role, full_name, unit_name in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, role=role, full_name=full_name, unit=by_name.get(unit_name))
            user.is_staff = role == User.Role.ADMIN
            user.is_superuser = role == User.Role.ADMIN
            user.set_password(password)
            user.save()
        logins.append(DemoLogin(username, user.get_role_display(), full_name, unit_name or "律师事务所"))
    return logins
