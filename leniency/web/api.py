"""The REST API (django-ninja): one NinjaAPI, one router per feature module.

A feature adds its router to ``ROUTERS`` as ``(prefix, "module.path:router")``;
the interactive documentation is at /api/docs, the schema at /api/openapi.json.
"""

from __future__ import annotations

import importlib

from ninja import NinjaAPI
from ninja.security import django_auth

from leniency import __version__

api = NinjaAPI(
    title="Leniency 认罪认罚从宽 平台接口",
    version=__version__,
    description="量刑建议计算、案件办理、类案检索等接口。除 /api/health 外均需登录（会话 Cookie 与 CSRF）。",
    auth=django_auth,
    urls_namespace="api",
)

ROUTERS: list[tuple[str, str]] = [
    ("/accounts", "leniency.accounts.api:router"),
]

for prefix, target in ROUTERS:
    module_name, attr = target.split(":")
    api.add_router(prefix, getattr(importlib.import_module(module_name), attr))


@api.get("/health", auth=None, summary="服务状态", tags=["系统"])
def health(request) -> dict:
    return {"status": "ok", "version": __version__}
