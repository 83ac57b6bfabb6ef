"""One judgment as the platform keeps it, whatever format it was read from."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from leniency.judgments.outcome import DefendantRecord

# 省级行政区 by the one-character abbreviation used in case numbers ((2018)赣0111刑初485号)
PROVINCE_ABBREVIATIONS = {
    "京": "北京市", "津": "天津市", "冀": "河北省", "晋": "山西省", "蒙": "内蒙古自治区", "辽": "辽宁省",
    "吉": "吉林省", "黑": "黑龙江省", "沪": "上海市", "苏": "江苏省", "浙": "浙江省", "皖": "安徽省",
    "闽": "福建省", "赣": "江西省", "鲁": "山东省", "豫": "河南省", "鄂": "湖北省", "湘": "湖南省",
    "粤": "广东省", "桂": "广西壮族自治区", "琼": "海南省", "渝": "重庆市", "川": "四川省", "黔": "贵州省",
    "滇": "云南省", "藏": "西藏自治区", "陕": "陕西省", "甘": "甘肃省", "青": "青海省", "宁": "宁夏回族自治区",
    "新": "新疆维吾尔自治区",
}  # fmt: skip
PROVINCES = tuple(PROVINCE_ABBREVIATIONS.values())
_PROVINCE_SHORT = {p.removesuffix("省").removesuffix("市").removesuffix("自治区"): p for p in PROVINCES}
_PROVINCE_SHORT.update({"内蒙古": "内蒙古自治区", "广西": "广西壮族自治区", "宁夏": "宁夏回族自治区",
                        "新疆": "新疆维吾尔自治区", "西藏": "西藏自治区"})  # fmt: skip

COURT_LEVELS = ("supreme", "high", "intermediate", "basic")
COURT_LEVEL_LABELS = {
    "supreme": "最高人民法院",
    "high": "高级人民法院",
    "intermediate": "中级人民法院",
    "basic": "基层人民法院",
}
PROCEDURES = ("fast_track", "summary", "ordinary")
PROCEDURE_LABELS = {"fast_track": "速裁程序", "summary": "简易程序", "ordinary": "普通程序"}

_CASE_NUMBER = re.compile(r"[（(〔\[]\s*(\d{4})\s*[）)〕\]]\s*([^\s，,。；;（(]{1,30}?号)")
_COURT = re.compile(r"([\u4e00-\u9fff]{2,40}?人民法院)")


@dataclass
class JudgmentRecord:
    doc_id: str
    source: str
    source_format: str
    facts: str
    text_before_reasoning: str = ""
    reasoning: str = ""
    result: str = ""
    title: str = ""
    case_number: str = ""
    court: str = ""
    instance: str = ""
    defendants: list[DefendantRecord] = field(default_factory=list)
    mentions_plea: bool = False
    province: str = ""
    court_level: str = ""
    year: int | None = None
    procedure: str = ""

    @property
    def case_text(self) -> str:
        """The text facts are read from: everything before the court's reasoning."""
        return self.text_before_reasoning or self.facts

    @property
    def content_hash(self) -> str:
        return content_hash(self.facts + "\x1f" + self.result)

    def fill_header(self) -> None:
        """Court, province, court level, year and procedure from the header when the source does not give them."""
        head = (self.title or "") + " " + (self.text_before_reasoning or self.facts)[:400]
        if not self.case_number:
            match = _CASE_NUMBER.search(head)
            if match:
                self.case_number = match.group(0)
        if not self.court:
            match = _COURT.search((self.text_before_reasoning or "")[:200])
            if match:
                self.court = match.group(1)
        if self.year is None and self.case_number:
            match = _CASE_NUMBER.search(self.case_number)
            if match:
                self.year = int(match.group(1))
        if not self.province:
            self.province = province_of(self.court, self.case_number)
        if not self.court_level and self.court:
            self.court_level = court_level_of(self.court)
        if not self.procedure:
            self.procedure = procedure_of(self.case_text)
        if not self.mentions_plea:
            self.mentions_plea = "认罪认罚" in (self.text_before_reasoning or self.facts) or "认罪认罚" in (
                self.reasoning or ""
            )


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def province_of(court: str, case_number: str) -> str:
    for short, full in _PROVINCE_SHORT.items():
        if court.startswith(short):
            return full
    match = _CASE_NUMBER.search(case_number or "")
    if match:
        return PROVINCE_ABBREVIATIONS.get(match.group(2)[:1], "")
    return ""


def court_level_of(court: str) -> str:
    if court.startswith("最高人民法院"):
        return "supreme"
    if "高级人民法院" in court:
        return "high"
    if "中级人民法院" in court:
        return "intermediate"
    return "basic"


def procedure_of(text: str) -> str:
    if "速裁程序" in text:
        return "fast_track"
    if "简易程序" in text:
        return "summary"
    if "普通程序" in text or "组成合议庭" in text:
        return "ordinary"
    return ""
