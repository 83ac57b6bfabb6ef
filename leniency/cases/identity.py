"""Chinese national ID numbers (GB 11643-1999): checking and masking."""

from __future__ import annotations

import datetime as dt

from leniency.cases.errors import Invalid

_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CHECK = "10X98765432"


def check_digit(first17: str) -> str:
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS)) % 11]


def validate_national_id(value: str, birth_date: dt.date | None = None) -> str:
    value = (value or "").strip().upper()
    if len(value) != 18 or not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        raise Invalid("公民身份号码（national_id）应为18位，前17位为数字，末位为数字或X。", field="national_id")
    if check_digit(value[:17]) != value[17]:
        raise Invalid("公民身份号码（national_id）校验码不正确。", field="national_id")
    try:
        born = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise Invalid("公民身份号码（national_id）中的出生日期无效。", field="national_id") from None
    if birth_date is not None and born != birth_date:
        raise Invalid("出生日期（birth_date）与公民身份号码中的出生日期不一致。", field="birth_date")
    return value


def mask_national_id(value: str) -> str:
    if len(value) < 8:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def make_national_id(region: str, birth: dt.date, sequence: int) -> str:
    """A checksum-valid number (for demo data and tests; not a real person's)."""
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_digit(first17)
