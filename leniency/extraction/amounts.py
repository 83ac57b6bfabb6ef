"""Crime amounts (犯罪数额) in yuan: a stated grand total, else the acts added up.

Judgments list each act with its value ("窃得…价值人民币8750元") and often, but not always, a grand total
("综上…共计价值人民币48000余元"). Per-act subtotals ("（共计价值人民币600元）") must be added, not taken
as the answer; restitution, fines, sale prices and balances must be ignored.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from leniency.extraction.segment import Sentence
from leniency.extraction.text import AR_NUM, CN_DIGITS, CN_NUM, to_yuan

Emit = Callable[[str, object, int, int], None]

_THOUSANDS = r"\d{1,3}(?:[,，]\d{3})+(?:\.\d{1,15})?"
_AMOUNT = re.compile(
    rf"({_THOUSANDS}|{AR_NUM}|{CN_NUM}(?:点[{CN_DIGITS}]+)?)\s*(万|亿|千)?\s*(?:余|多)?\s*(元|某)(?![/／每])"
)
_TOTAL = re.compile(
    r"(?:共计|合计|总计|累计|总共|共(?!同)|(?<=币)计|总额|总价值|总金额|总价|综上)[^，。；()（）]{0,24}$"
)
# words that make a nearby amount something other than the crime amount
_EXCLUDE = re.compile(
    r"(?:退赃|退赔|退还|退缴|退出|赔偿|补偿|罚金|罚款|发还|追回|追缴|扣押|缴获|查获|冻结|挥霍|用于|借款|借给|欠|工资|报酬|"
    r"返还|归还|还款|还给|谅解|保证金|取保|悬赏|单价|每克|每斤|每米|每个|每次|每辆|押金|医疗费|购买价|买价|购于|购得|花费|赌资|"
    r"抵押|手续费|利息|租金|月薪|收入|剩余|余下|尚欠|未归还|交回|余额|应缴|显示费用|垫付|预缴|兑现|抽头|分得|分给|获利)[^，。；]{0,8}$"
    r"|以$|以人民币$|(?:港币|港元|美元|美金|欧元|日元|韩元|澳门币|新台币|外币)$"
)
# a clause about selling the loot or the fine gives a price, not the amount taken
_EXCLUDE_CLAUSE = re.compile(
    r"卖|售|销赃|(?:销赃|变卖|出售|卖)[^，。；]{0,6}得款|典当|罚金|退赔|退还|归还|返还|还款|退缴|赔偿|发还|追回|扣押|冻结|缴获|挥霍|用于|"
    r"给付被告人|其中"
)
_EXCLUDE_AFTER = re.compile(r"^[^，。；]{0,3}(?:挥霍|用于|还款|归还|退还|赔偿|的价格|的好处费|好处费)")
# restitution or seizure: amounts from here on in the sentence are not the amount taken
_AFTERMATH = re.compile(
    r"扣押|追回|追缴|发还|退赔|退还|归还|返还|赔偿|退赃|缴获|冻结|退出|交回|卖(?:给|掉|了|至|到|与)|出售|销赃|变卖|典当|其中"
)
# the prosecution's or court's legal conclusion restates the amount already counted
_CONCLUSION = re.compile(r"追究|触犯|构成|之规定|应当以|数额较大|数额巨大|数额特别巨大")
_SALE = re.compile(r"卖|出售|销赃|变卖|典当")
_APPRAISAL = re.compile(r"价值|鉴定|认定|估价|评估")
# in fraud the "sale" of someone else's goods is the deceit itself, not the disposal of loot
_SALE_IS_CRIME = frozenset({"诈骗罪", "合同诈骗罪", "集资诈骗罪", "信用卡诈骗罪", "掩饰、隐瞒犯罪所得、犯罪所得收益罪"})
_CLAUSE_START = re.compile(r"[，,；。：:]")
_CHARGE_WORDS = {
    "盗窃罪": "窃|盗|扒|价值|取款|提取|转走|盗转",
    "诈骗罪": "骗|诈|价值|汇入|汇款|转账|转入|交付|收取|少缴|损失",
    "合同诈骗罪": "骗|诈|价值|合同|货款|损失",
    "抢劫罪": "抢|劫|价值",
    "抢夺罪": "抢|夺|价值",
    "敲诈勒索罪": "勒索|敲诈|索要|索取|价值|汇款|转账|支付|交付|给付|威胁|要挟|打钱",
    "职务侵占罪": "侵占|占为己有|价值",
    "贪污罪": "贪污|侵吞|骗取|套取|窃取",
    "受贿罪": "收受|索取|受贿|贿",
    "挪用公款罪": "挪用",
    "挪用资金罪": "挪用",
    "非法吸收公众存款罪": "吸收|集资|存款",
    "集资诈骗罪": "集资|骗",
    "信用卡诈骗罪": "透支|骗|信用卡|刷卡",
    "掩饰、隐瞒犯罪所得、犯罪所得收益罪": "收购|销售|转移|掩饰|隐瞒|价值|销赃|收售",
}
AMOUNT_CHARGES = frozenset(_CHARGE_WORDS)
_VERBS = {
    "盗窃罪": re.compile(r"窃|盗|扒"),
    "诈骗罪": re.compile(r"骗|诈"),
    "合同诈骗罪": re.compile(r"骗|诈|合同"),
    "抢劫罪": re.compile(r"抢|劫"),
    "敲诈勒索罪": re.compile(r"勒索|敲诈|索要|威胁|要挟"),
}
_THEFT_LIKE = r"窃|盗|扒"
_FRAUD_LIKE = r"骗|诈"
_ROBBERY_LIKE = r"抢|劫"
_OTHER_CRIME = {
    "盗窃罪": re.compile("|".join((_FRAUD_LIKE, _ROBBERY_LIKE, "勒索|敲诈"))),
    "诈骗罪": re.compile("|".join((_THEFT_LIKE, _ROBBERY_LIKE, "勒索|敲诈"))),
    "合同诈骗罪": re.compile("|".join((_THEFT_LIKE, _ROBBERY_LIKE))),
    "抢劫罪": re.compile(_FRAUD_LIKE),
    "敲诈勒索罪": re.compile("|".join((_THEFT_LIKE, _FRAUD_LIKE))),
}
_WORDS = {charge: re.compile(words) for charge, words in _CHARGE_WORDS.items()}
# a sentence that sums up several acts, as opposed to one act's own subtotal
_SUMMARY = re.compile(
    r"^\s*(?:综上|以上|上述|总之)|累计|至[^，。；]{0,24}期间|如下|先后[^。；]{0,40}共|"
    r"(?<!分)(?:共计?|先后)(?:盗窃|诈骗|骗取|窃取|窃得|抢劫|作案|实施|敲诈|勒索|侵占|收受)?[^，。；]{0,4}?"
    r"[\d一二两三四五六七八九十]{1,4}\s*[次起笔]"
)
_DATED_START = re.compile(
    r"^\s*(?:[（(]?[一二三四五六七八九十\d]+[)）、.．]\s*)?(?:\d{4}年|同年|同日|次日|当日|当天|\d{1,2}月\d{1,2}日)"
)
_ACT_VERB = re.compile(r"骗取|骗得|诈骗|窃得|窃取|盗走|盗得|盗窃|劫取|劫得|抢走|抢得|索要|勒索|敲诈|侵占|收受")
_DECEIT = re.compile(r"伪造|虚构|谎称|隐瞒|冒充|虚假")
# exclusion words other than borrowing: with a deceit named, "借款25万元" is the amount obtained
_EXCLUDE_NOT_LOAN = re.compile(
    r"(?:退赃|退赔|退还|退缴|退出|赔偿|罚金|罚款|发还|追回|追缴|扣押|缴获|冻结|挥霍|用于|返还|归还|还款|还给|"
    r"利息|手续费|剩余|余下|尚欠)[^，。；]{0,8}$"
)
_REPAID = re.compile(r"返还|归还|退还|退赔|还款|欠条|催要|催讨")
_AFTER_EVENT = re.compile(r"^\s*(?:案发后|归案后|到案后|事发后|在本案审理|本案审理|审理过程中|审理期间|庭审前|其中)")
_RESTATED = re.compile(r"^\s*(?:经|该|上述|被盗|所盗|被抢|鉴定|价值)")
_ATTEMPTED = re.compile(r"未遂|未得逞|未能得逞|当场(?:被)?抓获|被.{0,6}?当场抓获")


_DEFENDANT_FIGURE = re.compile(
    r"(?:涉案金额|涉案价值|犯罪数额|盗窃数额|诈骗数额|敲诈金额|数额|总价值|价值合计|合计价值)"
)


def _own_figure(text: str, s: Sentence, defendant: str) -> tuple[float, bool, int, int] | None:
    """ "被告人A盗窃十三次，涉案金额人民币33718元；被告人B…": the total stated for this defendant."""
    chunk = text[s.start : s.end]
    if chunk.count("被告人") < 2 and not chunk.lstrip().startswith("其中"):
        return None
    pos = chunk.find(defendant)
    while pos >= 0:
        seg_end = chunk.find("被告人", pos + len(defendant))
        seg = chunk[pos : seg_end if seg_end > 0 else len(chunk)]
        fig = _DEFENDANT_FIGURE.search(seg)
        if fig:
            m = _AMOUNT.search(text, s.start + pos + fig.end(), s.start + pos + len(seg))
            if m and m.start() - (s.start + pos + fig.end()) <= 12:
                value = to_yuan(m.group(1).replace("，", ","), m.group(2))
                if value:
                    return (value, True, m.start(), m.end())
        pos = chunk.find(defendant, pos + len(defendant))
    return None


def _mentions(text: str, s: Sentence, sale_is_crime: bool = False) -> list[tuple[float, bool, int, int]]:
    out = []
    # restitution or a sale after the amount taken: later figures are not the crime amount
    first = _AMOUNT.search(text, s.start, s.end)
    after = _AFTERMATH.search(text, first.end(), s.end) if first else None
    if after is not None and sale_is_crime and _SALE.match(after.group()):
        after = None
    stop = after.start() if after else s.end
    sale_before = None if sale_is_crime else _SALE.search(text, s.start, stop)
    for m in _AMOUNT.finditer(text, s.start, stop):
        if (
            sale_before is not None
            and sale_before.start() < m.start()
            and not _APPRAISAL.search(text, sale_before.end(), m.start())
        ):
            continue  # "卖至金店，得款7600余元": the price the loot fetched
        if _EXCLUDE_AFTER.match(text, m.end(), min(s.end, m.end() + 12)):
            continue
        left = text[max(s.start, m.start() - 30) : m.start()]
        clause_starts = [c.end() for c in _CLAUSE_START.finditer(left)]
        clause = left[clause_starts[-1] :] if clause_starts else left
        taken = _ACT_VERB.search(clause)
        excluded = _EXCLUDE.search(left)
        if (
            excluded
            and sale_is_crime
            and excluded.group().startswith(("借款", "借给"))
            and _DECEIT.search(text, s.start, m.start())
            and not _EXCLUDE_NOT_LOAN.search(left)
        ):
            excluded = None  # "利用伪造的房产证做抵押…借款25万元": the loan obtained by deceit is the amount
        if not taken and (excluded or _EXCLUDE_CLAUSE.search(clause)):
            continue
        if m.group(3) == "某" and not (
            m.group(2) and re.search(r"人民币|骗取|共计|借款|借", text[s.start : m.start()])
        ):
            continue  # CAIL masks 元 as × only in "人民币…万×"; any other 某 is a name
        value = to_yuan(m.group(1).replace("，", ","), m.group(2))
        if not value or value < 1:
            continue
        if any(abs(o[0] - value) < 0.005 for o in out):
            continue  # the same figure twice in one sentence is one amount restated
        out.append((value, bool(_TOTAL.search(left)), m.start(), m.end()))
    return out


def amounts(text: str, sents: list[Sentence], charge: str, emit: Emit, defendant: str = "") -> None:
    """Emit `amount` (and `attempted_amount`) for `charge`.

    Sentences must name the crime ("窃得…", "骗取…"); when none does, short texts often still state the
    figure plainly ("找到3000元现金并潜逃"), so a second pass accepts any sentence that names no other crime.
    """
    words = _WORDS.get(charge)
    if words is None:
        return
    found: list[str] = []

    def tracking(field: str, value: object, start: int, end: int) -> None:
        found.append(field)
        emit(field, value, start, end)

    _amounts(text, sents, charge, tracking, defendant, words)
    if not found:
        _amounts(text, sents, charge, emit, defendant, _ANY)


_ANY = re.compile(r"元")


def _amounts(text: str, sents: list[Sentence], charge: str, emit: Emit, defendant: str, words: re.Pattern) -> None:
    sale_is_crime = charge in _SALE_IS_CRIME
    records = []  # (mentions, totals, dated, summary, attempted, restated)
    conclusions: list[tuple[float, bool, int, int]] = []
    for i, s in enumerate(sents):
        if s.defence:
            continue
        chunk = text[s.start : s.end]
        other = _OTHER_CRIME.get(charge)
        verbs = _VERBS.get(charge)
        if other is not None and verbs is not None and other.search(chunk) and not verbs.search(chunk):
            continue  # "多次骗得各类软件价值16090元" is not the amount of a theft
        if not words.search(chunk):
            if not i or not words.search(text, sents[i - 1].start, sents[i - 1].end):
                continue
            if other is not None and other.search(chunk):
                continue
        if defendant and len(_DEFENDANT_FIGURE.findall(chunk)) >= 1:
            own_total = _own_figure(text, s, defendant)
            if own_total is not None:
                records.append(([own_total], [own_total], False, True, False, False))
                continue
        repaid = _REPAID.search(chunk)
        first_amount = _AMOUNT.search(chunk)
        if repaid and first_amount and repaid.start() < first_amount.start():
            continue  # "…返还张某某钱款2000元，并出具了48000元的欠条": repayment, not the amount taken
        if _AFTER_EVENT.match(chunk) and (_AFTERMATH.search(chunk) or chunk.lstrip().startswith("其中")):
            continue  # restitution after the event, or a breakdown of a figure already given
        if _CONCLUSION.search(chunk):
            stated = _mentions(text, s, sale_is_crime)
            conclusions.extend(stated)
            # the prosecution's or court's own total ("骗取他人财物共计人民币139700元") is a grand total
            totals = [f for f in stated if f[1]]
            if totals:
                best = max(totals, key=lambda f: f[0])
                records.append(([best], [best], False, True, False, False))
            continue
        found = _mentions(text, s, sale_is_crime)
        if not found:
            continue
        if (
            defendant
            and len(found) > 1
            and chunk.lstrip().startswith(("综上", "以上"))
            and not any(f[1] for f in found)
        ):
            # "综上，A敲诈金额为5500元，B敲诈金额为11000元": the figure named after this defendant
            own = [f for f in found if defendant in text[max(s.start, f[2] - 24) : f[2]]]
            if own:
                grand_own = own[-1]
                records.append(
                    ([grand_own], [(grand_own[0], True, grand_own[2], grand_own[3])], False, True, False, False)
                )
                continue
        nxt = text[sents[i + 1].start : sents[i + 1].start + 12] if i + 1 < len(sents) else ""
        summary = bool(_SUMMARY.search(chunk) or nxt.lstrip().startswith(("具体", "分述")))
        dated = bool(_DATED_START.match(chunk)) and "至" not in chunk[:24]
        records.append(
            (
                found,
                [f for f in found if f[1]],
                dated,
                summary,
                bool(_ATTEMPTED.search(chunk)),
                # a restatement: "经鉴定，价值…" or an undated sentence without a verb of taking
                bool(_RESTATED.match(chunk)) or not (dated or _ACT_VERB.search(chunk)),
            )
        )
    if not records:
        if conclusions:
            best = max(conclusions, key=lambda f: f[0])
            emit("amount", round(best[0], 2), best[2], best[3])
        return

    def value_of(rec) -> float:
        found, totals = rec[0], rec[1]
        if not totals:
            return sum(f[0] for f in found)
        last = max(t[2] for t in totals)
        # a subtotal covers what precedes it; figures after it belong to further acts
        return sum(f[0] for f in totals) + sum(f[0] for f in found if not f[1] and f[2] > last)

    mentioned = 0
    grand: list[tuple[float, int, int]] = []
    acts: list[tuple[float, bool, int, int]] = []
    for rec in records:
        found, totals, dated, summary, attempted, restated = rec
        if totals and summary:
            best = max(totals, key=lambda f: f[0])
            grand.append((best[0], best[2], best[3]))
            continue
        value = value_of(rec)
        start, end = found[0][2], found[-1][3]
        if acts and restated and any(abs(a[0] - value) < 0.005 for a in acts):
            continue  # the same act restated (taken, then appraised; or told twice)
        if mentioned >= 2 and abs(sum(a[0] for a in acts) - value) <= max(1.0, 0.01 * value):
            grand.append((value, start, end))  # equals the acts so far: an unlabelled total
            continue
        acts.append((value, attempted, start, end))
        mentioned += len(found)
    if not grand and len(acts) >= 3:
        whole = sum(a[0] for a in acts)
        for a in acts:
            if abs((whole - a[0]) - a[0]) <= max(1.0, 0.01 * a[0]):
                grand.append((a[0], a[2], a[3]))
                break
    if grand:
        value, start, end = max(grand, key=lambda g: g[0])
        emit("amount", round(value, 2), start, end)
        return
    if not acts:
        return
    total = sum(a[0] for a in acts)
    emit("amount", round(total, 2), acts[0][2], acts[-1][3])
    attempted_total = sum(a[0] for a in acts if a[1])
    if attempted_total:
        emit("attempted_amount", round(attempted_total, 2), acts[0][2], acts[-1][3])
