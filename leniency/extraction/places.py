"""Province and locality of the deciding court (or the prosecuting office) named in the text."""

from __future__ import annotations

import re

PROVINCES = (
    "北京市 天津市 上海市 重庆市 河北省 山西省 辽宁省 吉林省 黑龙江省 江苏省 浙江省 安徽省 福建省 江西省 山东省 河南省 "
    "湖北省 湖南省 广东省 海南省 四川省 贵州省 云南省 陕西省 甘肃省 青海省 台湾省 内蒙古自治区 广西壮族自治区 "
    "西藏自治区 宁夏回族自治区 新疆维吾尔自治区"
).split()
_SHORT = {p.removesuffix("省").removesuffix("市"): p for p in PROVINCES if p.endswith(("省", "市"))}
_SHORT.update(
    {
        "内蒙古": "内蒙古自治区",
        "广西": "广西壮族自治区",
        "西藏": "西藏自治区",
        "宁夏": "宁夏回族自治区",
        "新疆": "新疆维吾尔自治区",
    }
)
_PROVINCE = re.compile("|".join(sorted((re.escape(k) for k in _SHORT), key=len, reverse=True)))
_ORGAN = re.compile(r"人民法院|人民检察院|公安局|检察院|法院")
_LOCALITY = re.compile(
    r"([\u4e00-\u9fa5]{1,8}?(?:自治州|地区|盟|市|县|区|旗))(?:[\u4e00-\u9fa5]{0,10}?)(?:人民法院|人民检察院|检察院)"
)


def province_of(text: str) -> tuple[str, str | None, int, int] | None:
    """(province, locality, start, end) from the first court/procuratorate name, else None."""
    head = text[:3000]
    for organ in _ORGAN.finditer(head):
        lo = max(0, organ.start() - 20)
        window = head[lo : organ.start()]
        hits = list(_PROVINCE.finditer(window))
        if not hits:
            continue
        p = hits[-1]
        province = _SHORT[p.group()]
        start = lo + p.start()
        rest = head[lo + p.end() : organ.end()]
        loc = _LOCALITY.search(rest.removeprefix(province[len(p.group()) :]))
        locality = loc.group(1) if loc else None
        return province, locality, start, organ.end()
    return None
