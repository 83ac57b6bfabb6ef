import pytest
from django.test import override_settings
from django.utils import timezone

from leniency.accounts.demo import DEMO_PASSWORD
from leniency.accounts.models import LoginThrottle

pytestmark = pytest.mark.django_db


def test_login_page_is_chinese(client):
    response = client.get("/login/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "用户登录" in text and 'lang="zh-Hans"' in text


def test_home_requires_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_demo_prosecutor_logs_in_and_sees_home(client, demo_users):
    response = client.post("/login/", {"username": "prosecutor", "password": DEMO_PASSWORD}, follow=True)
    text = response.content.decode()
    assert "工作台" in text and "王检察官" in text and "杭州市西湖区人民检察院" in text


def test_wrong_password_gives_chinese_error(client, demo_users):
    response = client.post("/login/", {"username": "prosecutor", "password": "wrong-password"})
    assert response.status_code == 401
    assert "用户名或密码错误" in response.content.decode()


def test_empty_form_gives_chinese_error(client):
    response = client.post("/login/", {"username": "", "password": ""})
    assert response.status_code == 400
    assert "请输入用户名和密码" in response.content.decode()


@override_settings(LOGIN_MAX_FAILURES=3, LOGIN_LOCKOUT_MINUTES=15)
def test_lockout_after_repeated_failures_says_when_to_retry(client, demo_users):
    for _ in range(2):
        assert client.post("/login/", {"username": "prosecutor", "password": "x"}).status_code == 401
    response = client.post("/login/", {"username": "prosecutor", "password": "x"})
    assert response.status_code == 429
    text = response.content.decode()
    assert "账户已暂时锁定" in text and "分钟后）再试" in text
    # Even the right password is refused while locked.
    response = client.post("/login/", {"username": "prosecutor", "password": DEMO_PASSWORD})
    assert response.status_code == 429
    until = timezone.localtime(LoginThrottle.objects.get(username="prosecutor").locked_until)
    assert f"{until:%Y-%m-%d %H:%M}" in response.content.decode()


@override_settings(LOGIN_MAX_FAILURES=2)
def test_lock_expires(client, demo_users):
    for _ in range(2):
        client.post("/login/", {"username": "prosecutor", "password": "x"})
    LoginThrottle.objects.update(locked_until=timezone.now() - timezone.timedelta(seconds=1))
    response = client.post("/login/", {"username": "prosecutor", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert not LoginThrottle.objects.filter(username="prosecutor").exists()


def test_login_needs_csrf(demo_users):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/login/", {"username": "prosecutor", "password": DEMO_PASSWORD})
    assert response.status_code == 403


def test_open_redirect_is_refused(client, demo_users):
    response = client.post(
        "/login/", {"username": "prosecutor", "password": DEMO_PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_logout_is_post_only(client, demo_users):
    client.login(username="prosecutor", password=DEMO_PASSWORD)
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_api_health_and_me(client, demo_users):
    assert client.get("/api/health").json()["status"] == "ok"
    assert client.get("/api/accounts/me").status_code == 401
    client.login(username="judge", password=DEMO_PASSWORD)
    me = client.get("/api/accounts/me").json()
    assert me["role"] == "judge" and me["unit"]["name"] == "杭州市西湖区人民法院"


def test_api_docs_served(client):
    assert client.get("/api/docs").status_code == 200
    schema = client.get("/api/openapi.json").json()
    assert "/api/accounts/me" in schema["paths"]


def test_api_docs_use_vendored_files_not_a_cdn(client):
    text = client.get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in text
    assert "cdn." not in text and "https://" not in text.split("<body")[0]


def test_api_refuses_a_write_without_csrf_in_chinese(demo_users):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(demo_users["admin"])
    response = strict.post("/api/accounts/users", data="{}", content_type="application/json")
    assert response.status_code == 403
    assert "CSRF 校验失败" in response.json()["detail"]
