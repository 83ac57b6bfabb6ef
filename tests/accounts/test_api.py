"""The admin's management of units and users, and who may do it."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from leniency.accounts.demo import DEMO_PASSWORD
from leniency.accounts.models import Unit, User
from leniency.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_province_admin(demo_users):
    unit = Unit.objects.create(name="江苏省人民检察院", kind="procuratorate", level="provincial", province_code="32")
    user = User(username="admin_js", role="admin", unit=unit, full_name="江苏管理员")
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def client_for(username: str, password: str = DEMO_PASSWORD) -> Client:
    client = Client()
    assert client.login(username=username, password=password)
    return client


def post(client: Client, path: str, body: dict):
    return client.post(path, data=json.dumps(body), content_type="application/json")


def patch(client: Client, path: str, body: dict):
    return client.patch(path, data=json.dumps(body), content_type="application/json")


NEW_USER = {"username": "newpro", "full_name": "新检察官", "role": "prosecutor", "password": "Xk3-long-secret"}


@pytest.mark.parametrize("username", ["prosecutor", "supervisor", "defense", "duty", "judge"])
def test_only_admins_manage_users_and_units(demo_users, username):
    client = client_for(username)
    unit_id = demo_users["prosecutor"].unit_id
    assert client.get("/api/accounts/users").status_code == 403
    assert post(client, "/api/accounts/users", {**NEW_USER, "unit_id": unit_id}).status_code == 403
    assert patch(client, f"/api/accounts/users/{demo_users['judge'].pk}", {"is_active": False}).status_code == 403
    unit = {"name": "新区院", "kind": "procuratorate", "level": "county", "parent_id": unit_id}
    assert post(client, "/api/accounts/units", unit).status_code == 403
    assert not User.objects.filter(username="newpro").exists()
    assert not Unit.objects.filter(name="新区院").exists()
    # Everyone may read the unit list (to choose a court) and themselves.
    assert client.get("/api/accounts/units").status_code == 200
    assert client.get("/api/accounts/me").json()["username"] == username


def test_admin_creates_updates_and_deactivates_a_user_with_audit(demo_users):
    admin = client_for("admin")
    unit_id = demo_users["prosecutor"].unit_id
    response = post(admin, "/api/accounts/users", {**NEW_USER, "unit_id": unit_id})
    assert response.status_code == 201, response.content
    user_id = response.json()["id"]
    assert client_for("newpro", NEW_USER["password"]).get("/api/accounts/me").json()["role"] == "prosecutor"

    response = patch(admin, f"/api/accounts/users/{user_id}", {"role": "supervisor", "is_active": False})
    assert response.status_code == 200
    assert response.json()["role"] == "supervisor" and response.json()["is_active"] is False
    assert not Client().login(username="newpro", password=NEW_USER["password"])
    actions = list(AuditEvent.objects.filter(object_id=str(user_id)).values_list("action", flat=True))
    assert actions == ["user.create", "user.update"]
    logged = json.dumps(list(AuditEvent.objects.values("before", "after")))
    assert NEW_USER["password"] not in logged and "argon2" not in logged


def test_bad_user_input_is_refused_in_chinese_and_writes_nothing(demo_users):
    admin = client_for("admin")
    unit_id = demo_users["prosecutor"].unit_id
    count = User.objects.count()
    response = post(admin, "/api/accounts/users", {**NEW_USER, "unit_id": unit_id, "password": "password"})
    assert response.status_code in (400, 422)
    assert "密码" in response.json()["detail"]
    response = post(admin, "/api/accounts/users", {**NEW_USER, "username": "prosecutor", "unit_id": unit_id})
    assert response.status_code == 409 and "用户名已被使用" in response.json()["detail"]
    response = post(admin, "/api/accounts/users", {**NEW_USER, "role": "judge"})
    assert response.status_code == 400 and response.json()["field"] == "unit_id"
    response = post(admin, "/api/accounts/users", {**NEW_USER, "role": "emperor", "unit_id": unit_id})
    assert response.status_code == 422 and "role" in response.json()["detail"]
    assert User.objects.count() == count


def test_admin_cannot_lock_themselves_out(demo_users):
    admin = client_for("admin")
    response = patch(admin, f"/api/accounts/users/{demo_users['admin'].pk}", {"is_active": False})
    assert response.status_code == 400
    assert User.objects.get(username="admin").is_active


def test_admin_of_another_province_sees_and_changes_nothing_here(demo_users, other_province_admin):
    client = client_for("admin_js")
    listed = {u["username"] for u in client.get("/api/accounts/users").json()}
    assert AuditEvent.objects.filter(action="user.list", actor="admin_js").count() == 1
    assert "prosecutor" not in listed and "judge" not in listed and "admin_js" in listed
    response = patch(client, f"/api/accounts/users/{demo_users['judge'].pk}", {"is_active": False})
    assert response.status_code == 404
    assert User.objects.get(username="judge").is_active
    response = post(client, "/api/accounts/users", {**NEW_USER, "unit_id": demo_users["prosecutor"].unit_id})
    assert response.status_code == 404


def test_admin_creates_units_in_own_province_only(demo_users, other_province_admin):
    admin = client_for("admin")
    city = Unit.objects.get(name="杭州市人民检察院")
    response = post(
        admin,
        "/api/accounts/units",
        {"name": "杭州市拱墅区人民检察院", "kind": "procuratorate", "level": "county", "parent_id": city.pk},
    )
    assert response.status_code == 201, response.content
    assert response.json()["province_code"] == "33"
    response = post(
        admin,
        "/api/accounts/units",
        {"name": "南京市人民检察院", "kind": "procuratorate", "level": "municipal", "province_code": "32"},
    )
    assert response.status_code == 403
    response = post(
        admin,
        "/api/accounts/units",
        {"name": "错层单位", "kind": "procuratorate", "level": "provincial", "parent_id": city.pk},
    )
    assert response.status_code == 400 and "层级" in response.json()["detail"]
    assert not Unit.objects.filter(name__in=["南京市人民检察院", "错层单位"]).exists()
