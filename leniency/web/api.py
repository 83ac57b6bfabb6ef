"""The REST API (django-ninja): one NinjaAPI, one router per feature module.

A feature adds its router to ``ROUTERS`` as ``(prefix, "module.path:router")``;
the interactive documentation is at /api/docs, the schema at /api/openapi.json.
"""

from __future__ import annotations

import importlib

from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer
from ninja.security import django_auth

from leniency import __version__
from leniency.web.errors import chinese_auth_error, chinese_http_error, chinese_validation_error


class ChineseJSONRenderer(JSONRenderer):
    """Chinese stays readable in responses (UTF-8) instead of \\uXXXX escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="Leniency 认罪认罚从宽 平台接口",
    version=__version__,
    description="量刑建议计算、案件办理、类案检索等接口。除 /api/health 外均需登录（会话 Cookie 与 CSRF）。",
    auth=django_auth,
    urls_namespace="api",
    renderer=ChineseJSONRenderer(),
)

# Request validation and authentication errors in Chinese, naming the field, for every router.
api.add_exception_handler(ValidationError, chinese_validation_error)
api.add_exception_handler(AuthenticationError, chinese_auth_error)
api.add_exception_handler(HttpError, chinese_http_error)

ROUTERS: list[tuple[str, str]] = [
    ("/accounts", "leniency.accounts.api:router"),
    ("/corpus", "leniency.corpus.api:router"),
    ("/cases", "leniency.cases.api:router"),
    ("/supervision", "leniency.supervision.api:router"),
]

for prefix, target in ROUTERS:
    module_name, attr = target.split(":")
    api.add_router(prefix, getattr(importlib.import_module(module_name), attr))


@api.get("/health", auth=None, summary="服务状态", tags=["系统"])
def health(request) -> dict:
    return {"status": "ok", "version": __version__}
