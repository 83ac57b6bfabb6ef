"""Units and users.

A user belongs to one unit and has exactly one role; the role decides what the
services let them see and do (see ``leniency.cases`` for the case permissions).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

# GB/T 2260 province-level codes (first two digits of an administrative division code).
PROVINCES: dict[str, str] = {
    "11": "北京市",
    "12": "天津市",
    "13": "河北省",
    "14": "山西省",
    "15": "内蒙古自治区",
    "21": "辽宁省",
    "22": "吉林省",
    "23": "黑龙江省",
    "31": "上海市",
    "32": "江苏省",
    "33": "浙江省",
    "34": "安徽省",
    "35": "福建省",
    "36": "江西省",
    "37": "山东省",
    "41": "河南省",
    "42": "湖北省",
    "43": "湖南省",
    "44": "广东省",
    "45": "广西壮族自治区",
    "46": "海南省",
    "50": "重庆市",
    "51": "四川省",
    "52": "贵州省",
    "53": "云南省",
    "54": "西藏自治区",
    "61": "陕西省",
    "62": "甘肃省",
    "63": "青海省",
    "64": "宁夏回族自治区",
    "65": "新疆维吾尔自治区",
}


class Unit(models.Model):
    class Kind(models.TextChoices):
        PROCURATORATE = "procuratorate", "检察院"
        COURT = "court", "法院"
        POLICE = "police", "公安机关"
        LEGAL_AID = "legal_aid", "法律援助中心"

    class Level(models.TextChoices):
        SUPREME = "supreme", "最高"
        PROVINCIAL = "provincial", "省级"
        MUNICIPAL = "municipal", "市级"
        COUNTY = "county", "区县级"

    name = models.CharField("名称", max_length=100, unique=True)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    level = models.CharField("层级", max_length=20, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级单位", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    province_code = models.CharField("省级行政区划代码", max_length=2, blank=True, choices=sorted(PROVINCES.items()))

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    @property
    def province(self) -> str:
        return PROVINCES.get(self.province_code, "")

    @property
    def is_basic_level(self) -> bool:
        """基层: a county-level unit (速裁程序 is for basic-level courts, 刑诉法 第222条)."""
        return self.level == self.Level.COUNTY

    def clean(self) -> None:
        order = [self.Level.SUPREME, self.Level.PROVINCIAL, self.Level.MUNICIPAL, self.Level.COUNTY]
        if self.parent is not None:
            if order.index(self.parent.level) >= order.index(self.level):
                raise ValidationError({"parent": "上级单位的层级必须高于本单位。"})
            ancestor = self.parent
            while ancestor is not None:
                if ancestor.pk == self.pk and self.pk is not None:
                    raise ValidationError({"parent": "上级单位不能形成循环。"})
                ancestor = ancestor.parent
        if self.level != self.Level.SUPREME and not self.province_code:
            raise ValidationError({"province_code": "非最高级单位必须填写省级行政区划代码。"})

    def ancestors_and_self(self) -> list[Unit]:
        chain: list[Unit] = []
        unit: Unit | None = self
        while unit is not None:
            chain.append(unit)
            unit = unit.parent
        return chain


class User(AbstractUser):
    class Role(models.TextChoices):
        PROSECUTOR = "prosecutor", "检察官"
        SUPERVISOR = "supervisor", "部门负责人/检察长"
        DEFENSE_COUNSEL = "defense_counsel", "辩护人"
        DUTY_LAWYER = "duty_lawyer", "值班律师"
        JUDGE = "judge", "法官"
        ADMIN = "admin", "系统管理员"

    role = models.CharField("角色", max_length=20, choices=Role.choices)
    unit = models.ForeignKey(Unit, verbose_name="单位", null=True, blank=True, on_delete=models.PROTECT)
    full_name = models.CharField("姓名", max_length=50, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def is_lawyer(self) -> bool:
        return self.role in (self.Role.DEFENSE_COUNSEL, self.Role.DUTY_LAWYER)


class LoginThrottle(models.Model):
    """Consecutive failed logins per username; kept in the database so every worker sees it."""

    username = models.CharField(max_length=150, unique=True)
    failures = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    last_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = "登录失败记录"
        verbose_name_plural = "登录失败记录"
