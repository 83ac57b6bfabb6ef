"""Smoke test in Debian Chromium: the demo prosecutor logs in and sees the Chinese home page."""

import pytest

from leniency.accounts.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_prosecutor_logs_in(page, live_server, demo_users):
    page.goto(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == "用户登录"
    page.fill("#id_username", "prosecutor")
    page.fill("#id_password", "wrong")
    page.click("button[type=submit]")
    assert "用户名或密码错误" in page.locator(".error").inner_text()
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("text=工作台")
    assert "王检察官" in page.content()
    page.click("text=退出登录")
    page.wait_for_selector("text=用户登录")
