"""Who am I: the logged-in user's identity, role and unit."""

from __future__ import annotations

from ninja import Router, Schema

router = Router(tags=["用户"])


class UnitOut(Schema):
    id: int
    name: str
    kind: str
    level: str
    province_code: str


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    role: str
    role_label: str
    unit: UnitOut | None


@router.get("/me", response=MeOut, summary="当前登录用户")
def me(request) -> dict:
    user = request.user
    return {
        "id": user.id,
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role,
        "role_label": user.get_role_display(),
        "unit": user.unit,
    }
