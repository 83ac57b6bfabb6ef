"""Chinese messages for the API's request validation and authentication errors, naming the field."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse

MESSAGES = {
    "missing": "缺少必填项",
    "string_too_short": "不能为空或过短（至少 {min_length} 个字符）",
    "string_too_long": "过长（最多 {max_length} 个字符）",
    "too_short": "至少需要 {min_length} 项",
    "too_long": "最多 {max_length} 项",
    "greater_than_equal": "不能小于 {ge}",
    "greater_than": "必须大于 {gt}",
    "less_than_equal": "不能大于 {le}",
    "less_than": "必须小于 {lt}",
    "literal_error": "取值无效，可选：{expected}",
    "enum": "取值无效，可选：{expected}",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文字",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "date_parsing": "不是有效日期（格式 YYYY-MM-DD）",
    "date_from_datetime_parsing": "不是有效日期（格式 YYYY-MM-DD）",
    "date_from_datetime_inexact": "不是有效日期（格式 YYYY-MM-DD）",
    "date_type": "不是有效日期（格式 YYYY-MM-DD）",
    "datetime_parsing": "不是有效时间（格式 YYYY-MM-DDTHH:MM:SS+08:00）",
    "datetime_from_date_parsing": "不是有效时间（格式 YYYY-MM-DDTHH:MM:SS+08:00）",
    "datetime_type": "不是有效时间（格式 YYYY-MM-DDTHH:MM:SS+08:00）",
    "json_invalid": "不是有效的 JSON",
    "extra_forbidden": "不是可识别的字段",
}
SKIP = {"body", "payload", "query", "path", "form", "file", "data"}


def describe(error: dict[str, Any]) -> tuple[str, str]:
    loc = [str(x) for x in error.get("loc", ()) if str(x) not in SKIP]
    field = ".".join(loc) or "请求"
    template = MESSAGES.get(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if template:
        try:
            text = template.format(**ctx)
        except (KeyError, IndexError, ValueError):
            text = template
    elif error.get("type") == "value_error":
        text = str(ctx.get("error") or error.get("msg", "取值无效")).removeprefix("Value error, ")
    else:
        text = f"取值无效（{error.get('msg', '')}）"
    return field, text


def chinese_validation_error(request: HttpRequest, exc: Any) -> HttpResponse:
    errors = list(getattr(exc, "errors", []) or [])
    parts = []
    first_field = None
    for err in errors[:10]:
        field, text = describe(err)
        first_field = first_field or field
        parts.append(f"{field}：{text}")
    detail = "请求数据有误：" + "；".join(parts) if parts else "请求数据有误。"
    return JsonResponse({"detail": detail, "field": first_field}, status=422, json_dumps_params={"ensure_ascii": False})


def chinese_auth_error(request: HttpRequest, exc: Any) -> HttpResponse:
    return JsonResponse({"detail": "请先登录。", "field": None}, status=401, json_dumps_params={"ensure_ascii": False})


# django-ninja's own English messages, in Chinese; the routers' HttpErrors are already Chinese.
NINJA_MESSAGES = {
    "CSRF check Failed": "CSRF 校验失败：请在 X-CSRFToken 请求头中提交 Cookie csrftoken 的值（先访问任一页面以取得）。",
}


def chinese_http_error(request: HttpRequest, exc: Any) -> HttpResponse:
    message = str(getattr(exc, "message", exc))
    return JsonResponse(
        {"detail": NINJA_MESSAGES.get(message, message), "field": None},
        status=getattr(exc, "status_code", 400),
        json_dumps_params={"ensure_ascii": False},
    )
