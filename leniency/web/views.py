"""Login, logout and the home page."""

from __future__ import annotations

from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from leniency.accounts import throttle


def client_address(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _lock_message(until) -> str:
    local = timezone.localtime(until)
    minutes = max(1, int((until - timezone.now()).total_seconds() // 60) + 1)
    return f"登录失败次数过多，账户已暂时锁定。请于 {local:%Y-%m-%d %H:%M} 后（约 {minutes} 分钟后）再试。"


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.method == "GET":
        return redirect("web:home")
    error = ""
    username = ""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    status = 200
    if request.method == "POST":
        username = request.POST.get("username", "").strip()
        password = request.POST.get("password", "")
        until = throttle.locked_until(username) if username else None
        if not username or not password:
            error = "请输入用户名和密码。"
            status = 400
        elif until:
            error = _lock_message(until)
            status = 429
        else:
            user = authenticate(request, username=username, password=password)
            if user is None:
                until = throttle.record_failure(username, client_address(request))
                error = _lock_message(until) if until else "用户名或密码错误，请重新输入。"
                status = 429 if until else 401
            else:
                throttle.record_success(username)
                login(request, user)
                if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
                    next_url = ""
                return redirect(next_url or "web:home")
    return render(request, "web/login.html", {"error": error, "username": username, "next": next_url}, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("web:login")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {})
