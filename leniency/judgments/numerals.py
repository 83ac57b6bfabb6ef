"""Chinese numerals as written in judgments (三年六个月, 一万二千元, 两年, 1.5万元) to numbers."""

from __future__ import annotations

import re

_DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "Ｏ": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "贰": 2,
    "两": 2,
    "三": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000}

NUMBER_CHARS = "".join(_DIGITS) + "".join(_SMALL_UNITS) + "".join(_BIG_UNITS) + "0123456789０１２３４５６７８９.,，"
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


def parse_number(text: str) -> float | None:
    """Parse one number written in Chinese characters, Arabic digits or a mix (1.5万); None if it is not one."""
    s = text.strip().translate(_FULLWIDTH).replace(",", "").replace("，", "")
    if not s:
        return None
    if re.fullmatch(r"\d+(\.\d+)?", s):
        return float(s)
    mixed = re.fullmatch(r"(\d+(?:\.\d+)?)([万萬亿千百])", s)
    if mixed:
        unit = {**_SMALL_UNITS, **_BIG_UNITS}[mixed.group(2)]
        return float(mixed.group(1)) * unit
    total = 0
    section = 0
    digit: int | None = None
    for ch in s:
        if ch in _DIGITS:
            if digit is not None and digit != 0 and _DIGITS[ch] != 0:
                # positional form without units (二〇一八) — read digit by digit
                return _positional(s)
            digit = _DIGITS[ch]
        elif ch in _SMALL_UNITS:
            section += (1 if digit is None else digit) * _SMALL_UNITS[ch]
            digit = None
        elif ch in _BIG_UNITS:
            section += digit or 0
            total = (total + section) * _BIG_UNITS[ch]
            section = 0
            digit = None
        elif ch.isdigit():
            return None
        else:
            return None
    return float(total + section + (digit or 0))


def _positional(s: str) -> float | None:
    if not all(ch in _DIGITS for ch in s):
        return None
    return float(int("".join(str(_DIGITS[ch]) for ch in s)))


def parse_int(text: str) -> int | None:
    value = parse_number(text)
    return None if value is None else int(round(value))


_NUM = r"[0-9０-９零〇○一二两三四五六七八九十百千万壹贰叁肆伍陆柒捌玖拾佰仟]+"
_DURATION = re.compile(rf"(?:({_NUM})年)?(?:({_NUM})个?月)?(?:({_NUM})[日天])?")


def parse_duration_months(text: str) -> int | None:
    """'三年六个月' → 42, '六个月' → 6, '一年零三个月' → 15; days are dropped (as in the data set's labels)."""
    s = text.replace("又", "")
    s = s.replace("零", "") if re.search(r"年零", s) else s
    m = _DURATION.match(s)
    if not m or not any(m.groups()):
        return None
    years = parse_int(m.group(1)) if m.group(1) else 0
    months = parse_int(m.group(2)) if m.group(2) else 0
    if years is None or months is None:
        return None
    return years * 12 + months


DURATION_PATTERN = rf"(?:{_NUM}年)?(?:[零又]?{_NUM}个?月)?(?:{_NUM}[日天])?"
NUMBER_PATTERN = _NUM
