"""Who am I, and the admin's management of units and users (/api/accounts).

An admin manages the units and users of their own province (a supreme-level admin: all of them);
lawyers without a unit are managed by any admin. Every change is written to the audit log.
"""

from __future__ import annotations

from typing import Literal

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from ninja import Field, Router, Schema, Status

from leniency.accounts.models import PROVINCES, Unit, User
from leniency.audit.trail import client_address, record

router = Router(tags=["用户与单位"])

MAX_ID = 2**31 - 1
RoleName = Literal["prosecutor", "supervisor", "defense_counsel", "duty_lawyer", "judge", "admin"]


class ErrorOut(Schema):
    detail: str
    field: str | None = None


class UnitOut(Schema):
    id: int
    name: str
    kind: str
    level: str
    province_code: str
    parent_id: int | None


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    role: str
    role_label: str
    unit: UnitOut | None


class UnitIn(Schema):
    name: str = Field(min_length=2, max_length=100, title="单位名称")
    kind: Literal["procuratorate", "court", "police", "legal_aid"]
    level: Literal["supreme", "provincial", "municipal", "county"]
    parent_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    province_code: str = Field(default="", max_length=2)


class UserOut(Schema):
    id: int
    username: str
    full_name: str
    role: str
    unit_id: int | None
    is_active: bool


class UserIn(Schema):
    username: str = Field(min_length=2, max_length=150, pattern=r"^[\w.@+-]+$")
    full_name: str = Field(min_length=1, max_length=50)
    role: RoleName
    unit_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    password: str = Field(min_length=8, max_length=128)


class UserPatch(Schema):
    full_name: str | None = Field(default=None, min_length=1, max_length=50)
    role: RoleName | None = None
    unit_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    is_active: bool | None = None
    password: str | None = Field(default=None, min_length=8, max_length=128)


ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def _error(status: int, detail: str, field: str | None = None) -> Status:
    return Status(status, {"detail": detail, "field": field})


def _is_admin(user: User) -> bool:
    return user.role == User.Role.ADMIN


def _admin_scope_units(admin: User) -> QuerySet[Unit]:
    if admin.unit is None or admin.unit.level == Unit.Level.SUPREME:
        return Unit.objects.all()
    return Unit.objects.filter(province_code=admin.unit.province_code)


def _admin_scope_users(admin: User) -> QuerySet[User]:
    return User.objects.filter(Q(unit__in=_admin_scope_units(admin)) | Q(unit__isnull=True))


def _user_out(user: User) -> dict:
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role,
        "unit_id": user.unit_id,
        "is_active": user.is_active,
    }


def _unit_in_scope(admin: User, unit_id: int | None) -> Unit | None | Status:
    if unit_id is None:
        return None
    unit = _admin_scope_units(admin).filter(pk=unit_id).first()
    if unit is None:
        return _error(404, "单位不存在或不在您的管理范围内。", "unit_id")
    return unit


def _check_password(password: str, user: User) -> Status | None:
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        return _error(400, "密码不符合要求：" + "；".join(exc.messages), "password")
    return None


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


@router.get("/units", response=list[UnitOut], summary="单位列表（选择法院、检察院等）")
def list_units(request) -> QuerySet[Unit]:
    return Unit.objects.order_by("id")


@router.post("/units", response={201: UnitOut, **ERRORS}, summary="新建单位（系统管理员）")
def create_unit(request, payload: UnitIn):
    admin = request.user
    if not _is_admin(admin):
        return _error(403, "只有系统管理员可以管理单位。")
    if payload.province_code and payload.province_code not in PROVINCES:
        return _error(400, "省级行政区划代码无效。", "province_code")
    scope = _admin_scope_units(admin)
    parent = None
    if payload.parent_id is not None:
        parent = scope.filter(pk=payload.parent_id).first()
        if parent is None:
            return _error(404, "上级单位不存在或不在您的管理范围内。", "parent_id")
    province = payload.province_code or (parent.province_code if parent else "")
    if admin.unit is not None and admin.unit.level != Unit.Level.SUPREME and province != admin.unit.province_code:
        return _error(403, "只能在本省范围内新建单位。", "province_code")
    unit = Unit(name=payload.name, kind=payload.kind, level=payload.level, parent=parent, province_code=province)
    try:
        unit.full_clean()
    except DjangoValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        return _error(400, "；".join(messages), field)
    try:
        with transaction.atomic():
            unit.save()
            record(
                actor=admin,
                action="unit.create",
                obj=unit,
                after=UnitOut.from_orm(unit).model_dump(),
                address=client_address(request),
            )
    except IntegrityError:
        return _error(409, "同名单位已存在。", "name")
    return Status(201, unit)


@router.get("/users", response={200: list[UserOut], **ERRORS}, summary="用户列表（系统管理员）")
def list_users(request):
    if not _is_admin(request.user):
        return _error(403, "只有系统管理员可以管理用户。")
    users = [_user_out(u) for u in _admin_scope_users(request.user).order_by("id")]
    record(
        actor=request.user,
        action="user.list",
        object_type="accounts.user",
        after={"count": len(users)},
        address=client_address(request),
    )
    return Status(200, users)


@router.post("/users", response={201: UserOut, **ERRORS}, summary="新建用户（系统管理员）")
def create_user(request, payload: UserIn):
    admin = request.user
    if not _is_admin(admin):
        return _error(403, "只有系统管理员可以管理用户。")
    unit = _unit_in_scope(admin, payload.unit_id)
    if isinstance(unit, Status):
        return unit
    if unit is None and payload.role not in (User.Role.DEFENSE_COUNSEL, User.Role.DUTY_LAWYER):
        return _error(400, "除律师外，用户必须属于一个单位。", "unit_id")
    user = User(username=payload.username, full_name=payload.full_name, role=payload.role, unit=unit)
    if (bad := _check_password(payload.password, user)) is not None:
        return bad
    user.set_password(payload.password)
    try:
        with transaction.atomic():
            user.save()
            record(actor=admin, action="user.create", obj=user, after=_user_out(user), address=client_address(request))
    except IntegrityError:
        return _error(409, "用户名已被使用。", "username")
    return Status(201, _user_out(user))


@router.patch("/users/{user_id}", response={200: UserOut, **ERRORS}, summary="修改用户（角色、单位、停用、重置密码）")
def update_user(request, user_id: int, payload: UserPatch):
    admin = request.user
    if not _is_admin(admin):
        return _error(403, "只有系统管理员可以管理用户。")
    if not 0 < user_id <= MAX_ID:
        return _error(404, "用户不存在或不在您的管理范围内。")
    changes = payload.model_dump(exclude_unset=True)
    with transaction.atomic():
        user = _admin_scope_users(admin).select_for_update().filter(pk=user_id).first()
        if user is None:
            return _error(404, "用户不存在或不在您的管理范围内。")
        if user.pk == admin.pk and (changes.get("is_active") is False or changes.get("role", "admin") != "admin"):
            return _error(400, "不能停用自己的账户或取消自己的管理员角色。", "is_active")
        before = _user_out(user)
        if "unit_id" in changes:
            unit = _unit_in_scope(admin, changes["unit_id"])
            if isinstance(unit, Status):
                return unit
            user.unit = unit
        for field in ("full_name", "role", "is_active"):
            if changes.get(field) is not None:
                setattr(user, field, changes[field])
        if user.unit is None and not user.is_lawyer:
            return _error(400, "除律师外，用户必须属于一个单位。", "unit_id")
        if changes.get("password"):
            if (bad := _check_password(changes["password"], user)) is not None:
                return bad
            user.set_password(changes["password"])
        user.save()
        after = _user_out(user)
        record(
            actor=admin,
            action="user.update",
            obj=user,
            before=before,
            after={**after, "password_reset": bool(changes.get("password"))},
            address=client_address(request),
        )
    return Status(200, after)
