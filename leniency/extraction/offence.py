"""Offence-specific facts: amounts, acts, injuries, drugs, blood alcohol, traffic consequences."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable

from leniency.extraction import amounts as amounts_module
from leniency.extraction.segment import Sentence, candidates
from leniency.extraction.text import AR_NUM, CN_DIGITS, CN_NUM, to_number

Emit = Callable[[str, object, int, int], None]

AMOUNT_CHARGES = amounts_module.AMOUNT_CHARGES

_ACTS = re.compile(rf"(?<![\d.])({AR_NUM}|[一二两三四五六七八九十百]{{1,4}})\s*(?:次|起)")
_ACT_VERBS = re.compile(r"盗窃|窃|诈骗|骗|抢劫|抢|作案|实施|贩卖|容留|敲诈|勒索|殴打|行贿|受贿|收受")
_BURGLARY = re.compile(
    r"入户|入室(?:盗窃|抢劫)|进入.{0,12}?(?:家中|住宅|住处|卧室|房间|家内)(?:.{0,12}?)(?:盗窃|窃|抢)"
)
_ARMED = re.compile(r"携带(?:凶器|刀|匕首|砍刀|尖刀|管制刀具|水果刀|铁棍|枪)")
_PICKPOCKET = re.compile(r"扒窃|扒取")
_REPEATED = re.compile(r"多次(?:盗窃|抢劫|诈骗|敲诈|实施|入户|扒窃|作案|窃取|贩卖|容留)")

_INJURY = re.compile(r"(重伤|轻伤|轻微伤)\s*(?:([一二12])级|(?:甲|乙)级)?")
_INJURY_GRADES = {
    ("重伤", "一"): "serious_1",
    ("重伤", "1"): "serious_1",
    ("重伤", "二"): "serious_2",
    ("重伤", "2"): "serious_2",
    ("重伤", None): "serious",
    ("轻伤", "一"): "minor_1",
    ("轻伤", "1"): "minor_1",
    ("轻伤", "二"): "minor_2",
    ("轻伤", "2"): "minor_2",
    ("轻伤", None): "minor",
    ("轻微伤", None): "slight",
}
# Severity order; a grade-less mention ("轻伤") never outranks a graded one of the same level.
INJURY_ORDER = ["slight", "minor", "minor_2", "minor_1", "serious", "serious_2", "serious_1"]
_INJURY_CONTEXT = re.compile(r"鉴定|构成|损伤程度|属|评定|致|造成|为|系")
_DEATH = re.compile(
    r"(?:致|造成|导致)(?:被害人|受害人|其|对方|[^，。；]{0,8}?)?.{0,6}?死亡|当场死亡|因.{0,20}?死亡|抢救.{0,16}?死亡|"
    r"死亡的(?:重大)?(?:道路)?交通事故"
)
_DEATH_COUNT = re.compile(rf"(?:致|造成|导致).{{0,8}}?({AR_NUM}|[一二两三四五六七八九十]{1, 4})\s*人\s*死亡")
_DISABILITY = re.compile(
    r"(?:伤残|残疾)(?:等级)?(?:程度)?(?:为|属|评定为|构成)?\s*([一二三四五六七八九十]{1,4}|\d{1,15})\s*级|([一二三四五六七八九十]{1,4}|\d{1,15})\s*级\s*(?:伤残|残疾)"
)

_DRUGS = {
    "甲基苯丙胺片剂": "甲基苯丙胺片剂",
    "麻古": "甲基苯丙胺片剂",
    "麻果": "甲基苯丙胺片剂",
    "甲基苯丙胺": "甲基苯丙胺",
    "冰毒": "甲基苯丙胺",
    "海洛因": "海洛因",
    "氯胺酮": "氯胺酮",
    "K粉": "氯胺酮",
    "可卡因": "可卡因",
    "大麻": "大麻",
    "鸦片": "鸦片",
    "吗啡": "吗啡",
    "摇头丸": "MDMA",
    "MDMA": "MDMA",
    "亚甲二氧基甲基苯丙胺": "MDMA",
    "美沙酮": "美沙酮",
    "曲马多": "曲马多",
    "三唑仑": "三唑仑",
    "咖啡因": "咖啡因",
    "杜冷丁": "哌替啶",
    "哌替啶": "哌替啶",
    "甲卡西酮": "甲卡西酮",
    "卡西酮": "卡西酮",
    "芬太尼": "芬太尼",
    "γ-羟丁酸": "γ-羟丁酸",
}
_DRUG = re.compile("|".join(sorted(map(re.escape, _DRUGS), key=len, reverse=True)))
_WEIGHT = re.compile(
    rf"(?:净重|重|质量|约|共计|合计|总计|计|共)?\s*({AR_NUM}|{CN_NUM}(?:点[{CN_DIGITS}]+)?)\s*(千克|公斤|kg|KG|克|g|G|毫克|mg)(?![/／])"
)
_WEIGHT_TOTAL = re.compile(r"(?:共计|合计|总计|累计|总重|共|总净重)[^，。；]{0,16}$")

_ALCOHOL = re.compile(
    rf"({AR_NUM})\s*(?:mg|MG|Mg|毫克|㎎)\s*[/／每]\s*(100|[lI1][oO0]{{2}})?\s*(?:ml|mL|ML|Ml|毫升|㎖)"
)
_BREATH = re.compile(r"呼气|呼吸|吹气|呼出")
_BLOOD = re.compile(r"血液|血样|静脉血|血中|血醇|血检|抽血|乙醇")
_OTHER_PERSON = re.compile(r"([\u4e00-\u9fa5]{1,3}某[\u4e00-\u9fa5\d]?)(?:的)?(?:血液|血样|静脉血)")
_DD = {
    "dd_accident": re.compile(
        r"发生(?:交通)?事故|与.{0,20}?(?:相撞|碰撞|刮擦|追尾)|撞(?:倒|伤|上|到)|造成.{0,10}?(?:受伤|损坏|损毁)"
    ),
    "dd_no_license": re.compile(
        r"无(?:机动车)?驾驶(?:证|资格)|未取得(?:机动车)?驾驶(?:证|资格)|无证驾驶|驾驶证(?:被)?(?:吊销|注销|暂扣)|准驾不符|驾驶证.{0,4}?(?:过期|失效)"
    ),
    "dd_highway": re.compile(r"高速公路"),
    "dd_fled": re.compile(r"逃逸|弃车逃|逃离现场"),
    "dd_commercial": re.compile(r"营运|校车|客运|载客|危险化学品|危险品"),
    "dd_evaded_check": re.compile(r"抗拒(?:检查|执法)|逃避检查|冲卡|拒绝检查|闯卡"),
}
_RESPONSIBILITY = re.compile(r"(全部|主要|同等|次要)责任")
_RESP_VALUES = {"全部": "full", "主要": "main", "同等": "equal", "次要": "secondary"}
_TRAFFIC_INJURY = re.compile(rf"({AR_NUM}|[一二两三四五六七八九十]{1, 4})\s*人\s*(?:受)?(?:重伤|受伤)")


def amounts_for(
    charge: str, defendant: str = "", charges: tuple[str, ...] = ()
) -> Callable[[str, list[Sentence], Emit], None]:
    def run(text: str, sents: list[Sentence], emit: Emit) -> None:
        amounts_module.amounts(text, sents, charge, emit, defendant, charges)

    return run


def acts_and_theft(text: str, sents: list[Sentence], emit: Emit) -> None:
    best = None
    for s in candidates(text, _ACTS, sents):
        if s.defence:
            continue
        for m in _ACTS.finditer(text, s.start, s.end):
            tail = text[m.end() : m.end() + 8]
            head = text[max(s.start, m.start() - 16) : m.end()]
            if not (_ACT_VERBS.search(head) or _ACT_VERBS.search(tail)):
                continue
            n = to_number(m.group(1))
            if n is None or not 1 <= n <= 500 or n != int(n):
                continue
            if best is None or n > best[0]:
                best = (int(n), m.start(), m.end())
    if best:
        emit("acts", best[0], best[1], best[2])
    for field, pattern in (
        ("burglary", _BURGLARY),
        ("armed", _ARMED),
        ("pickpocketing", _PICKPOCKET),
        ("repeated", _REPEATED),
    ):
        for s in candidates(text, pattern, sents):
            if s.defence:
                continue
            m = pattern.search(text, s.start, s.end)
            if m:
                emit(field, True, m.start(), m.end())
                break


def injuries(text: str, sents: list[Sentence], emit: Emit, defendant: str = "") -> None:
    worst = None
    victims: dict[str, tuple[str, int, int]] = {}
    for s in candidates(text, _INJURY, sents):
        if s.defence:
            continue
        chunk = text[s.start : s.end]
        if not _INJURY_CONTEXT.search(chunk):
            continue
        for m in _INJURY.finditer(text, s.start, s.end):
            if re.search(r"(?:不|未|没有)(?:构成|达到|足以)?.{0,3}$", text[max(s.start, m.start() - 6) : m.start()]):
                continue
            grade = _INJURY_GRADES.get((m.group(1), m.group(2)))
            if grade is None:
                continue
            clause = text[max(s.start, m.start() - 16) : m.start()]
            if defendant and defendant in clause.rsplit("，", 1)[-1]:
                continue  # the defendant's own injury
            vm = re.search(
                r"(?:被害人|受害人|致)([\u4e00-\u9fa5某]{1,4}?)(?:的|身体|头部|[，、])", chunk[: m.start() - s.start]
            )
            key = vm.group(1) if vm else f"@{m.start()}"
            if key in victims and INJURY_ORDER.index(victims[key][0]) >= INJURY_ORDER.index(grade):
                continue
            victims[key] = (grade, m.start(), m.end())
            if worst is None or INJURY_ORDER.index(grade) > INJURY_ORDER.index(worst[0]):
                worst = (grade, m.start(), m.end())
    deaths = None
    for s in candidates(text, _DEATH, sents):
        if s.defence:
            continue
        m = _DEATH.search(text, s.start, s.end)
        if m:
            n = _death_count(text, s) or 1
            if deaths is None or n > deaths[0]:
                deaths = (n, m.start(), m.end())
    if deaths:
        emit("deaths", *deaths)
    if worst:
        emit("injury", worst[0], worst[1], worst[2])
        named = {k: v for k, v in victims.items() if not k.startswith("@")}
        counted = named if named else victims
        ordered = sorted(counted.values(), key=lambda v: v[1])
        emit("injury_list", [v[0] for v in ordered], ordered[0][1], ordered[-1][2])
        serious_or_minor = [v for v in counted.values() if v[0] != "slight"]
        if serious_or_minor:
            emit("injured_victims", len(serious_or_minor), serious_or_minor[0][1], serious_or_minor[-1][2])
    for s in candidates(text, _DISABILITY, sents):
        if s.defence:
            continue
        m = _DISABILITY.search(text, s.start, s.end)
        if m:
            n = to_number(m.group(1) or m.group(2))
            if n and 1 <= n <= 10:
                emit("disability_grade", int(n), m.start(), m.end())
                break


_DEATH_NAMES = re.compile(
    r"被害人((?:[\u4e00-\u9fa5某\d]{1,4}、)+[\u4e00-\u9fa5某\d]{1,4})(?:均|都)?(?:当场|经抢救无效)?死亡"
)


def _death_count(text: str, s: Sentence) -> int | None:
    named = _DEATH_NAMES.search(text, s.start, s.end)
    if named:
        return named.group(1).count("、") + 1
    m = _DEATH_COUNT.search(text, s.start, s.end)
    if not m:
        return None
    n = to_number(m.group(1))
    return int(n) if n else None


_DRUG_WEIGHT_HINT = re.compile(r"净重|毛重|重约|重量|毒品|疑似|晶体|粉末|颗粒|片剂|麻古|冰毒|白色|红色|吸食")


def drugs(text: str, sents: list[Sentence], emit: Emit) -> None:
    """Drug kinds and grams.

    A weight goes to the drug named nearest before it in its sentence; a weight in a sentence naming no
    drug ("一包净重0.51克的白色粉末…经鉴定检出海洛因成分") goes to the nearest drug named within 300 characters.
    """
    counts: dict[str, int] = {}
    first: dict[str, tuple[int, int]] = {}
    weights: dict[str, list[tuple[float, bool, int, int]]] = {}
    mentions: list[tuple[int, int, str]] = []
    for s in candidates(text, _DRUG, sents):
        if s.defence:
            continue
        for m in _DRUG.finditer(text, s.start, s.end):
            kind = _DRUGS[m.group()]
            mentions.append((m.start(), m.end(), kind))
            counts[kind] = counts.get(kind, 0) + 1
            first.setdefault(kind, (m.start(), m.end()))
    if not mentions:
        return
    starts = [m[0] for m in mentions]
    for s in candidates(text, _WEIGHT, sents):
        if s.defence:
            continue
        in_sentence = [m for m in mentions if s.start <= m[0] < s.end]
        for m in _WEIGHT.finditer(text, s.start, s.end):
            val = to_number(m.group(1))
            if val is None:
                continue
            left = text[max(s.start, m.start() - 20) : m.start()]
            if not in_sentence and not _DRUG_WEIGHT_HINT.search(
                text, max(s.start, m.start() - 20), min(s.end, m.end() + 6)
            ):
                continue
            unit = m.group(2).lower()
            grams = val * 1000 if unit in ("千克", "公斤", "kg") else val / 1000 if unit in ("毫克", "mg") else val
            if in_sentence:
                before = [f for f in in_sentence if f[1] <= m.start()]
                kind = before[-1][2] if before else min(in_sentence, key=lambda f: f[0] - m.end())[2]
            else:
                i = bisect_right(starts, m.start())
                near = [mentions[j] for j in (i - 1, i) if 0 <= j < len(mentions)]
                near = [f for f in near if abs(f[0] - m.start()) <= 300]
                if not near:
                    continue
                kind = min(near, key=lambda f: abs(f[0] - m.start()))[2]
            is_total = bool(_WEIGHT_TOTAL.search(left))
            weights.setdefault(kind, []).append((grams, is_total, m.start(), m.end()))
    if not counts:
        return
    kind = max(counts, key=lambda k: (len(weights.get(k, ())), counts[k]))
    emit("drug_type", kind, *first[kind])
    listing: list[tuple[str, float | None]] = []
    for k in counts:
        ws = weights.get(k)
        if not ws:
            continue
        grams, span = _drug_total(text, ws)
        listing.append((k, round(grams, 3)))
        if k == kind:
            emit("drug_weight_g", round(grams, 3), *span)
    if listing:
        emit("drug_list", listing, *first[kind])


def _drug_total(text: str, ws: list[tuple[float, bool, int, int]]) -> tuple[float, tuple[int, int]]:
    """One drug's grams: a stated total ("综上…共计…0.66克", or a figure equal to the others added up),
    else the distinct weights added up (a weight restated twice counts once)."""
    distinct: list[tuple[float, bool, int, int]] = []
    for w in ws:
        if not any(abs(d[0] - w[0]) <= 0.005 for d in distinct):
            distinct.append(w)
    for w in sorted(distinct, key=lambda w: -w[0]):
        others = sum(d[0] for d in distinct if d is not w)
        if len(distinct) >= 3 and abs(others - w[0]) <= 0.02 * w[0] + 0.005:
            return w[0], (w[2], w[3])
    summary = [
        w
        for w in ws
        if (w[1] or "综上" in text[max(0, w[2] - 40) : w[2]])
        and re.search(r"综上|共计|累计|合计", text[max(0, w[2] - 40) : w[2]])
        and w[0] >= max(d[0] for d in ws)
    ]
    if summary and len(ws) > 1:
        best = summary[-1]
        return best[0], (best[2], best[3])
    return sum(d[0] for d in distinct), (ws[0][2], ws[-1][3])


def alcohol(text: str, sents: list[Sentence], emit: Emit, defendant: str = "", with_conduct: bool = True) -> None:
    """Blood alcohol in mg/100ml: a blood test wins over a breath test; mg/ml values are scaled."""
    best = None
    for s in candidates(text, _ALCOHOL, sents):
        for m in _ALCOHOL.finditer(text, s.start, s.end):
            val = to_number(m.group(1))
            if val is None:
                continue
            if not m.group(2):
                val *= 100  # mg/ml
            if not 0 < val < 1000:
                continue
            before = text[max(s.start, m.start() - 40) : m.start()]
            other = _OTHER_PERSON.search(before)
            if other and defendant and defendant not in before[other.start() :] and other.group(1) not in defendant:
                continue  # another person's test
            blood = bool(_BLOOD.search(before)) and not _BREATH.search(before[-20:])
            rank = 2 if blood else 1
            if best is None or rank > best[0]:
                best = (rank, round(val, 2), m.start(), m.end())
    if best:
        emit("blood_alcohol", best[1], best[2], best[3])
    if not with_conduct:
        return
    for field, pattern in _DD.items():
        for s in candidates(text, pattern, sents):
            if s.defence:
                continue
            m = pattern.search(text, s.start, s.end)
            if m and not re.search(r"(?:未|没有|不)$", text[max(s.start, m.start() - 2) : m.start()]):
                emit(field, True, m.start(), m.end())
                break


def traffic(text: str, sents: list[Sentence], emit: Emit) -> None:
    for s in candidates(text, _RESPONSIBILITY, sents):
        if s.defence:
            continue
        m = _RESPONSIBILITY.search(text, s.start, s.end)
        if m and re.search(r"负|承担|应负|认定", text[max(s.start, m.start() - 16) : m.start()]):
            emit("responsibility", _RESP_VALUES[m.group(1)], m.start(), m.end())
            break
    for s in candidates(text, _TRAFFIC_INJURY, sents):
        if s.defence:
            continue
        m = _TRAFFIC_INJURY.search(text, s.start, s.end)
        if m and "重伤" in m.group():
            n = to_number(m.group(1))
            if n:
                emit("serious_injuries", int(n), m.start(), m.end())
                break
    for s in candidates(text, _DD["dd_fled"], sents):
        if s.defence:
            continue
        m = _DD["dd_fled"].search(text, s.start, s.end)
        if m:
            emit("fled", True, m.start(), m.end())
            break
