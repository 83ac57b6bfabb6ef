"""Low-level text helpers: width normalisation, sentences, numbers and dates.

Normalisation keeps every character at its offset so that evidence spans found in the
normalised text point at the same characters of the caller's original text.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from functools import lru_cache

import cn2an

# Full-width ASCII (digits, letters, ．／％) to half-width; Chinese punctuation is kept as is
# because the patterns below are written against it.
_KEEP = set("，；：（）！？")
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F) if chr(cp) not in _KEEP}
_WIDTH[0x3000] = 0x20
_WIDTH[ord("×")] = ord("某")  # CAIL masks names with ×; treat like 某 for name matching


_WIDE = re.compile("[" + "".join(chr(cp) for cp in sorted(_WIDTH)) + "]")
_WIDE_MAP = {chr(k): chr(v) for k, v in _WIDTH.items()}


def normalise(text: str) -> str:
    """Same-length normalisation (offsets stay valid); only the few characters that need it are replaced."""
    if not _WIDE.search(text):
        return text
    return _WIDE.sub(lambda m: _WIDE_MAP[m.group()], text)


_SENTENCE = re.compile(r"[^。；！？\n]+[。；！？]?")


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; split on 。；！？ and newlines."""
    return [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.group().strip()]


CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"
CN_NUM = f"[{CN_DIGITS}]{{1,20}}"
AR_NUM = r"\d{1,15}(?:,\d{3})*(?:\.\d{1,15})?"
NUM = f"(?:{AR_NUM}|{CN_NUM}(?:点[{CN_DIGITS}]+)?)"


@lru_cache(maxsize=4096)
def to_number(token: str) -> float | None:
    """Arabic or Chinese numeral (一万二千, 1,200.5, 两千) to a float; None when unreadable."""
    token = token.strip()
    if not token:
        return None
    try:
        return float(token.replace(",", ""))
    except ValueError:
        pass
    try:
        value = cn2an.cn2an(token, "smart")
    except Exception:  # cn2an raises plain ValueError/KeyError on odd strings; never propagate
        return None
    return float(value)


def to_yuan(number: str, unit: str | None) -> float | None:
    value = to_number(number)
    if value is None:
        return None
    if unit == "万":
        value *= 10_000
    elif unit == "亿":
        value *= 100_000_000
    elif unit == "千":
        value *= 1_000
    return value


_DATE = re.compile(
    rf"((?:19|20)\d\d|[一二〇零○]{{4}})年(?:({AR_NUM}|[一二三四五六七八九十]{1, 4})月)?(?:({AR_NUM}|[一二三四五六七八九十]{1, 4})日)?"
)


def parse_date_match(m: re.Match) -> date | None:
    try:
        year = int(to_number(m.group(1).replace("○", "〇")) or 0)
        month = int(to_number(m.group(2)) or 1) if m.group(2) else 1
        day = int(to_number(m.group(3)) or 1) if m.group(3) else 1
        if not 1900 <= year <= 2100:
            return None
        month = max(1, min(month, 12))
        return date(year, month, max(1, min(day, calendar.monthrange(year, month)[1])))
    except (TypeError, ValueError):
        return None


def find_dates(text: str, start: int = 0, end: int | None = None) -> list[tuple[date, int, int]]:
    end = len(text) if end is None else end
    out = []
    for m in _DATE.finditer(text, start, end):
        d = parse_date_match(m)
        if d is not None:
            out.append((d, m.start(), m.end()))
    return out


def years_between(earlier: date, later: date) -> int:
    years = later.year - earlier.year
    if (later.month, later.day) < (earlier.month, earlier.day):
        years -= 1
    return years


def term_months(phrase: str) -> int | None:
    """'一年六个月' -> 18; None when no term."""
    m = re.match(rf"(?:({CN_NUM}|\d{1, 15})年)?(?:零?({CN_NUM}|\d{1, 15})个月)?", phrase)
    if not m or not (m.group(1) or m.group(2)):
        return None
    years = to_number(m.group(1)) if m.group(1) else 0
    months = to_number(m.group(2)) if m.group(2) else 0
    if years is None or months is None:
        return None
    return int(years * 12 + months)
