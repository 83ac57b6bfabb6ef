"""Fixtures for the plea procedure: two procuratorates, their courts and one user per role in each."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from leniency.cases.identity import make_national_id


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The demo users' Argon2 hashing costs seconds per test; these tests log in with force_login anyway."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_tmp(tmp_path, monkeypatch):
    """Recordings go under var_dir()/media: keep each test's files in its own directory."""
    monkeypatch.setenv("LENIENCY_VAR_DIR", str(tmp_path / "var"))


@pytest.fixture
def world(demo_users):
    """The demo users (unit A: 西湖区) plus the same roles in unit B (上城区) and an appellate judge."""
    from leniency.accounts.models import Unit, User

    units = {u.name: u for u in Unit.objects.all()}
    mid_court = units["杭州市中级人民法院"]
    court_b, _ = Unit.objects.get_or_create(
        name="杭州市上城区人民法院",
        defaults={"kind": Unit.Kind.COURT, "level": Unit.Level.COUNTY, "parent": mid_court, "province_code": "33"},
    )
    extra = [
        ("prosecutor_b", User.Role.PROSECUTOR, "钱检察官", units["杭州市上城区人民检察院"]),
        ("supervisor_b", User.Role.SUPERVISOR, "孙部门负责人", units["杭州市上城区人民检察院"]),
        ("prosecutor_a2", User.Role.PROSECUTOR, "吴检察官", units["杭州市西湖区人民检察院"]),
        ("defense_b", User.Role.DEFENSE_COUNSEL, "郑律师", None),
        ("duty_b", User.Role.DUTY_LAWYER, "冯值班律师", units["杭州市西湖区法律援助中心"]),
        ("judge_b", User.Role.JUDGE, "褚法官", court_b),
        ("judge_appeal", User.Role.JUDGE, "卫法官", mid_court),
        ("admin_b", User.Role.ADMIN, "管理员乙", units["杭州市上城区人民检察院"]),
    ]
    users = dict(demo_users)
    for username, role, name, unit in extra:
        user = User.objects.filter(username=username).first()
        if user is None:
            # force_login is used in tests: no password hashing (slow by design) is needed.
            user = User(username=username, role=role, full_name=name, unit=unit)
            user.set_unusable_password()
            user.save()
        users[username] = user
    users["_court_a"] = units["杭州市西湖区人民法院"]
    users["_court_b"] = court_b
    return users


@dataclass
class Api:
    client: Client

    def _decode(self, response) -> Any:
        try:
            return json.loads(response.content or b"null")
        except ValueError:
            return response.content

    def get(self, path: str) -> tuple[int, Any]:
        r = self.client.get("/api" + path)
        return r.status_code, self._decode(r)

    def post(self, path: str, data: Any = None) -> tuple[int, Any]:
        r = self.client.post("/api" + path, data=json.dumps(data or {}, default=str), content_type="application/json")
        return r.status_code, self._decode(r)

    def patch(self, path: str, data: Any) -> tuple[int, Any]:
        r = self.client.patch("/api" + path, data=json.dumps(data, default=str), content_type="application/json")
        return r.status_code, self._decode(r)

    def upload(self, path: str, data: dict[str, Any]) -> tuple[int, Any]:
        r = self.client.post("/api" + path, data=data)
        return r.status_code, self._decode(r)


@pytest.fixture
def as_user(world):
    def make(username: str) -> Api:
        client = Client()
        client.force_login(world[username])
        return Api(client)

    return make


def today() -> dt.date:
    return timezone.localdate()


def defendant_payload(name: str, seq: int, facts: dict[str, Any], **extra: Any) -> dict[str, Any]:
    birth = dt.date(1990, 1, 1) + dt.timedelta(days=seq * 97)
    data = {
        "name": name,
        "national_id": make_national_id("330106", birth, seq),
        "birth_date": birth.isoformat(),
        "custody_status": "bail",
        "custody_since": (today() - dt.timedelta(days=30)).isoformat(),
        "plea": "pleaded",
        "consents_fast_track": True,
        "facts": facts,
    }
    data.update(extra)
    return data


DRUNK_FACTS = {
    "province": "浙江省",
    "age_at_offence": 35,
    "charges": [{"charge": "危险驾驶罪", "blood_alcohol": 150, "driving_conduct": "drunk"}],
    "circumstances": {"confession": "ordinary"},
}
THEFT_FACTS = {
    "province": "浙江省",
    "age_at_offence": 30,
    "charges": [{"charge": "盗窃罪", "amount": 9000}],
    "circumstances": {"confession": "ordinary"},
}
