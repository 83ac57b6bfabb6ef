"""Crime amounts (犯罪数额) in yuan: a stated grand total, else the acts added up.

Judgments list each act with its value ("窃得…价值人民币8750元") and often, but not always, a grand total
("综上…共计价值人民币48000余元"). Per-act subtotals ("（共计价值人民币600元）") must be added, not taken
as the answer; restitution, fines, sale prices and balances must be ignored.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from leniency.extraction.segment import Sentence
from leniency.extraction.text import AR_NUM, CN_DIGITS, CN_NUM, to_number, to_yuan

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
    r"(?:退赃|退赔|退还|退缴|退出|(?<!保险)赔偿|补偿|罚金|罚款|发还|追回|追缴|扣押|查扣|缴获|查获|冻结|挥霍|用于|借款|借给|欠|工资|报酬|"
    r"返还|归还|还款|还给|谅解|保证金|取保|悬赏|单价|每|押金|医疗费|购买价|买价|购于|购得|花费|赌资|"
    r"抵押|手续费|利息|租金|月薪|收入|剩余|余下|尚欠|未归还|交回|余额|应缴|显示费用|垫付|预缴|兑现|抽头|分得|分给|获利|"
    r"额度|授信|本息|滞纳金|承包费|(?:提升|提高|调整)(?:至|为|到))[^，。；]{0,8}$"
    r"|以$|以人民币$|中的$|(?:港币|港元|美元|美金|欧元|日元|韩元|澳门币|新台币|外币)$"
)
# a clause about selling the loot or the fine gives a price, not the amount taken
_EXCLUDE_CLAUSE = re.compile(
    r"卖|售|销赃|(?:销赃|变卖|出售|卖)[^，。；]{0,6}得款|典当|罚金|退赔|退还|归还|返还|还款|退缴|(?<!保险)赔偿|发还|追回|扣押|冻结|缴获|挥霍|用于|"
    r"给付被告人|其中"
)
_EXCLUDE_AFTER = re.compile(
    r"[^，。；用]{0,3}(?:还款|归还|偿还|退还|赔偿|的好处费|好处费)|[^，。；]{0,2}(?:为由|为借口|为名)|[^，。；]{0,2}(?:欠条|借条)"
)
_DEMAND = re.compile(r"(?:索要|索取|勒索|讨要|要求)[^，。；]{0,8}$")
_LIE = re.compile(r"谎称|声称|假称|假意|佯称")
# money an authority paid out ("民政局…发放孤儿基本生活补助金共计26570元") is the pool, not what was taken
_PAID_OUT = re.compile(r"发放|拨付|下拨|划拨|拨款")
# an agreed price is not money taken, except where the contract itself is the fraud ("约定交货价格为288596.5元")
_AGREED = re.compile(r"约定|商定|协商")
# "以需要26000元作为办理该证明的费用为由": a figure inside the pretext
_PAID_BACK = re.compile(r"[^，。；用]{0,10}(?:退还|归还|返还|退赔|偿还|退缴)")
_PRETEXT = re.compile(r"[^，。；]{0,16}(?:为由|为借口|为名)")
_PRICE_AFTER = re.compile(r"[^，。；]{0,3}的价格")
# a card fraud's amount is the principal overdrawn, not interest and fees (两高 2018 解释 第9条)
_PRINCIPAL = re.compile(r"本金[^，。；\d]{0,8}")
# restitution or seizure: amounts from here on in the sentence are not the amount taken
_AFTERMATH = re.compile(
    r"扣押|追回|追缴|发还|退赔|退还|归还|返还|赔偿|退赃|缴获|冻结|退出|交回|卖(?:给|掉|了|至|到|与)|出售|销赃|变卖|典当|其中"
)
# the prosecution's or court's legal conclusion restates the amount already counted
_CONCLUSION = re.compile(r"追究|触犯|构成|之规定|应当以|数额较大|数额巨大|数额特别巨大")
_SALE = re.compile(r"卖(?:给|掉|了|至|到|与|出|得)|出售|销赃|变卖|典当|售(?:给|出|予|于)")
_APPRAISAL = re.compile(r"价值|鉴定|认定|估价|评估")
# in fraud the "sale" of someone else's goods is the deceit itself, not the disposal of loot
_SALE_IS_CRIME = frozenset({"诈骗罪", "合同诈骗罪", "集资诈骗罪", "信用卡诈骗罪", "掩饰、隐瞒犯罪所得、犯罪所得收益罪"})
_CLAUSE_START = re.compile(r"[，,；。：:]")
_CHARGE_WORDS = {
    "盗窃罪": "窃|盗|扒|价值|取款|提取|转走|盗转",
    "诈骗罪": "骗|诈|价值|汇入|汇款|转账|转入|交付|收取|少缴|损失",
    "合同诈骗罪": "骗|诈|价值|合同|货款|损失",
    "抢劫罪": "抢|劫|价值|交出|威胁|持刀|暴力",
    "抢夺罪": "抢|夺|价值",
    "敲诈勒索罪": "勒索|敲诈|索要|索取|价值|汇款|转账|支付|交付|给付|威胁|要挟|打钱",
    "职务侵占罪": "侵占|占为己有|价值",
    "贪污罪": "贪污|侵吞|骗取|套取|窃取|据为己有|占为己有|截留|冒领|虚报",
    "受贿罪": "收受|索取|受贿|贿|送",
    "非国家工作人员受贿罪": "收受|索取|受贿|贿|送|好处费|回扣|感谢费",
    "行贿罪": "行贿|贿|送|给予|好处费|感谢费",
    "对非国家工作人员行贿罪": "行贿|贿|送|给予|好处费|回扣|感谢费",
    "挪用公款罪": "挪用",
    "挪用资金罪": "挪用",
    "非法吸收公众存款罪": "吸收|集资|存款",
    "集资诈骗罪": "集资|骗",
    "信用卡诈骗罪": "透支|骗|信用卡|刷卡|本金|银行卡|支领|取现|套现|盗刷|冒用",
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
# Words that tell which of a defendant's several crimes an act belongs to. A word shared by two charged crimes
# ("抢" of 抢劫 and 抢夺) tells nothing and is dropped for that pair.
_MARKERS: dict[str, tuple[str, ...]] = {
    "盗窃罪": ("窃", "盗", "扒", "偷"),
    "抢劫罪": (
        "抢",
        "劫",
        "暴力",
        "威胁",
        "胁迫",
        "持刀",
        "用刀",
        "刀顶",
        "匕首",
        "持枪",
        "持械",
        "逼迫",
        "殴打",
        "捆绑",
        "拳打",
        "刺伤",
        "划伤",
        "砍伤",
        "捅伤",
        "打伤",
    ),
    "抢夺罪": ("抢", "夺", "不备"),
    "诈骗罪": ("骗", "诈", "谎称", "虚构", "冒充"),
    "合同诈骗罪": ("骗", "诈", "合同", "谎称", "虚构"),
    "信用卡诈骗罪": ("信用卡", "透支", "银行卡", "刷卡"),
    "敲诈勒索罪": ("敲诈", "勒索", "索要", "索取", "要挟", "威胁", "恐吓"),
    "寻衅滋事罪": ("打砸", "砸", "毁坏", "损坏", "损毁", "强拿硬要", "滋事", "殴打"),
    "故意毁坏财物罪": ("毁坏", "损坏", "损毁", "砸"),
    "职务侵占罪": ("侵占", "职务"),
    "挪用资金罪": ("挪用",),
    "挪用公款罪": ("挪用",),
    "贪污罪": ("贪污", "侵吞", "套取", "据为己有", "占为己有", "截留", "冒领", "虚报"),
    "受贿罪": ("收受", "受贿", "贿", "送", "好处费"),
    "行贿罪": ("行贿", "送给", "给予"),
    "掩饰、隐瞒犯罪所得、犯罪所得收益罪": ("收购", "代为销售", "窝藏", "掩饰", "隐瞒", "明知"),
    "故意伤害罪": ("伤害", "轻伤", "重伤"),
}
# art. 269: theft, snatching or fraud turned violent to keep the loot is robbery, not the lesser crime
_TURNS_INTO_ROBBERY = frozenset({"盗窃罪", "抢夺罪", "诈骗罪"})
_ACT_START = re.compile(
    r"\s*(?:[（(]?[一二三四五六七八九十\d]{1,3}[)）、.．]|\d{4}年|同年|同日|次日|当日|当天|\d{1,2}月\d{1,2}日|"
    r"综上|总之|另查明|又查明|其中|经审理查明|公诉机关|检察院)"
)
# a numbered or dated sentence tells one act
_OWN_ACT = re.compile(
    r"\s*(?:(?:经审理查明|[^，。；：:]{0,20}指控)[：:，,]\s*)?(?:[（(]?[一二三四五六七八九十\d]{1,3}[)）、.．]|\d{4}年|同年|同日|次日|当日|当天|\d{1,2}月\d{1,2}日)"
)
# a sentence about the whole case ("综上", "2015年至2016年间…"), not about one act
_OVERALL = re.compile(r"^\s*(?:综上|以上|上述|总之|共计|合计|总计)|累计|至[^，。；]{0,24}(?:期间|间)|如下")
# a sentence that sums up several acts, as opposed to one act's own subtotal
_SUMMARY = re.compile(
    r"^\s*(?:综上|以上|上述|总之|共计|合计|总计)|累计|至[^，。；]{0,24}期间|如下|先后[^。；]{0,40}共|"
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
# "无法归还", "拒绝返还": the money was kept, which is the crime, not a repayment
_NOT_REPAID = re.compile(r"(?:无法|无力|未能|未|不|拒不|拒绝|没有|仍不|仍未|不予)$")
_AFTER_EVENT = re.compile(r"^\s*在?(?:案发后|归案后|到案后|事发后|本案审理|审理过程中|审理期间|审理中|庭审前|其中)")
_RESTATED = re.compile(r"^\s*(?:经|该|上述|被盗|所盗|被抢|鉴定|价值)")
_ATTEMPTED = re.compile(r"未遂|未得逞|未能得逞|当场(?:被)?抓获|被.{0,6}?当场抓获")


_DEFENDANT_FIGURE = re.compile(
    r"(?:涉案金额|涉案价值|犯罪数额|盗窃数额|诈骗数额|敲诈金额|数额|总价值|价值合计|合计价值)"
)


_OWN_TOTAL = re.compile(r"共计|合计|总计|累计")


def _own_figure(text: str, s: Sentence, defendant: str) -> tuple[float, bool, int, int] | None:
    """ "被告人A盗窃十三次，涉案金额人民币33718元；被告人B…": the total stated for this defendant."""
    chunk = text[s.start : s.end]
    if chunk.count("被告人") < 2 and not (chunk.lstrip().startswith("其中") and "被告人" in chunk):
        return None
    pos = chunk.find(defendant)
    while pos >= 0:
        seg_end = chunk.find("被告人", pos + len(defendant))
        seg = chunk[pos : seg_end if seg_end > 0 else len(chunk)]
        fig = _DEFENDANT_FIGURE.search(seg) or _OWN_TOTAL.search(seg)
        if fig:
            m = _AMOUNT.search(text, s.start + pos + fig.end(), s.start + pos + len(seg))
            if m and m.start() - (s.start + pos + fig.end()) <= 12:
                value = to_yuan(m.group(1).replace("，", ","), m.group(2))
                if value:
                    return (value, True, m.start(), m.end())
        pos = chunk.find(defendant, pos + len(defendant))
    return None


_EACH = re.compile(r"(?:各[^，。；、\d]{0,6}|均为|均系|均)(?:人民币)?\s*$")
_COUNT = re.compile(r"([二两三四五六七八九十]|\d{1,2})\s*(?:名|人|户|辆|部|台|个|件|只|张|块|条)")


def _each(left: str) -> int:
    """ "骗取常某、王某人民币各2000元", "2辆摩托车（价值均为7100元）": how many the figure applies to."""
    if not _EACH.search(left):
        return 1
    counted = _COUNT.findall(left)
    if counted:
        n = to_number(counted[-1])
        return int(n) if n and 1 < n <= 50 else 1
    clause = re.split(r"[，,；;。]", left)[-1]
    listed = clause.count("、") + 1
    return listed if listed > 1 else 1


def _glued_to_name(text: str, at: int) -> bool:
    """A pseudonym ending in a digit ("李某2") written right before a figure."""
    if at < 2 or text[at - 1] != "某" or not text[at].isdigit() or not text[at + 1 : at + 2].isdigit():
        return False
    name = text[at - 2 : at + 1]
    return any(not text[k + 3 : k + 4].isdigit() for k in _find_all(text, name))


def _find_all(text: str, sub: str) -> list[int]:
    out, k = [], text.find(sub)
    while k >= 0:
        out.append(k)
        k = text.find(sub, k + 1)
    return out


def _mentions(
    text: str, s: Sentence, sale_is_crime: bool = False, contract: bool = False
) -> list[tuple[float, bool, int, int]]:
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
        if not sale_is_crime and _PRICE_AFTER.match(text, m.end(), min(s.end, m.end() + 6)):
            continue  # "以1600元的价格予以销赃": a price, which is the amount only where dealing is the crime
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
        pretext = clause.lstrip().startswith("以") and _PRETEXT.match(text, m.end(), s.end)
        # "王某之妻将23000元通过银行退还给保险公司": the figure's own clause pays it back
        repaid = _PAID_BACK.match(text, m.end(), s.end)
        agreed = not contract and _AGREED.search(clause)
        if not taken and (
            excluded
            or _EXCLUDE_CLAUSE.search(clause)
            or _LIE.search(clause)
            or _PAID_OUT.search(clause)
            or pretext
            or agreed
            or repaid
        ):
            continue  # "谎称要去朋友那边借500元钱": a figure of the lie, not money obtained
        if m.group(3) == "某" and not (
            m.group(2) and re.search(r"人民币|骗取|共计|借款|借", text[s.start : m.start()])
        ):
            continue  # CAIL masks 元 as × only in "人民币…万×"; any other 某 is a name
        number = m.group(1)
        if _glued_to_name(text, m.start(1)):
            number = number[1:]  # "李某25700元" with 李某2 named elsewhere: the amount is 5700
        value = to_yuan(number.replace("，", ","), m.group(2))
        if not value or value < 1:
            continue
        value *= _each(left)
        if out and abs(out[-1][0] - value) < 0.005 and text[out[-1][3] : out[-1][3] + 1] != "、":
            continue  # the same figure twice in a row is one amount restated ("A5万元、B5万元" is a list)
        out.append((value, bool(_TOTAL.search(left)), m.start(), m.end()))
    return out


def _distinctive(charge: str, others: list[str]) -> re.Pattern | None:
    shared = {w for o in others for w in _MARKERS.get(o, ())}
    own = [w for w in _MARKERS.get(charge, ()) if w not in shared]
    return re.compile("|".join(own)) if own else None


def _other_acts(text: str, sents: list[Sentence], charge: str, charges: tuple[str, ...]) -> list[Sentence]:
    """Drop the acts of the defendant's other charged crimes.

    An act runs from a dated or numbered sentence to the next one; it belongs to the crimes whose own words
    it uses. An act without this crime's own words ("偷走" next to a robbery charge, or a masked "××") cannot be
    told apart from the other crimes' acts and is dropped; one using only words the crimes share ("骗" of
    诈骗 and 合同诈骗) is kept.
    """
    others = [c for c in dict.fromkeys(charges) if c != charge and c in _MARKERS]
    if not others or charge not in _MARKERS:
        return sents
    crimes = [charge, *others]
    patterns = {c: _distinctive(c, [o for o in crimes if o != c]) for c in crimes}
    own_words = re.compile("|".join(_MARKERS[charge]))
    groups: list[list[Sentence]] = []
    for s in sents:
        if not groups or _ACT_START.match(text, s.start, s.end) or _CONCLUSION.search(text, s.start, s.end):
            groups.append([s])
        else:
            groups[-1].append(s)
    kept: list[Sentence] = []
    for group in groups:
        chunk = text[group[0].start : group[-1].end]
        found = {c for c, p in patterns.items() if p is not None and p.search(chunk)}
        if charge not in found and (found or not own_words.search(chunk)):
            continue
        if charge in _TURNS_INTO_ROBBERY and "抢劫罪" in found:
            continue
        kept.extend(group)
    return kept


_LISTING = re.compile(r"如下[：:]")
_COVERING = re.compile(r"\s*(?:以上|上述|综上|共计|合计|总计)")
_ALL_ABOVE = re.compile(r"(?:以上|上述|综上)[^，。；]{0,12}(?:共计|合计|总计|总价值)")
_WITHDRAWN = re.compile(r"取出|取走|取款|提取|提现|转走|套现|消费")


def _split_at_listing(text: str, sents: list[Sentence]) -> list[Sentence]:
    """ "共骗得6000元和3000元，具体事实如下：1.…6000元": the summary and the first act are two statements."""
    out = []
    for s in sents:
        m = _LISTING.search(text, s.start, s.end)
        if m and m.end() < s.end - 1:
            out.extend((replace(s, end=m.end()), replace(s, start=m.end())))
        else:
            out.append(s)
    return out


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= max(1.0, 0.01 * max(abs(a), abs(b)))


def amounts(
    text: str, sents: list[Sentence], charge: str, emit: Emit, defendant: str = "", charges: tuple[str, ...] = ()
) -> None:
    """Emit `amount` (and `attempted_amount`) for `charge`.

    Sentences must name the crime ("窃得…", "骗取…"); when none does, short texts often still state the
    figure plainly ("找到3000元现金并潜逃"), so a second pass accepts any sentence that names no other crime.
    `charges` are all the defendant's charges: acts of the other ones are not this crime's amount.
    """
    words = _WORDS.get(charge)
    if words is None:
        return
    sents = _other_acts(text, sents, charge, charges)
    found: list[str] = []

    def tracking(field: str, value: object, start: int, end: int) -> None:
        found.append(field)
        emit(field, value, start, end)

    _amounts(text, sents, charge, tracking, defendant, words)
    if not found:
        _amounts(text, sents, charge, emit, defendant, _ANY)


_ANY = re.compile(r"元")


@dataclass(slots=True)
class _Record:
    """What one sentence says about the amount."""

    found: list[tuple[float, bool, int, int]]  # (yuan, stated as a total, start, end)
    totals: list[tuple[float, bool, int, int]]
    dated: bool = False
    summary: bool = False
    attempted: bool = False
    restated: bool = False
    act: int = 0  # which act (dated or numbered paragraph) the sentence belongs to
    demanded: bool = False  # every figure is a sum demanded ("向其索要20000元")
    listing: bool = False  # the sentence ends a summary that a listing of the acts follows ("具体事实如下")
    overall: bool = True  # a total of the whole case, not one numbered or dated act's own subtotal


def _amounts(text: str, sents: list[Sentence], charge: str, emit: Emit, defendant: str, words: re.Pattern) -> None:
    sale_is_crime = charge in _SALE_IS_CRIME
    contract = charge == "合同诈骗罪"
    sents = _split_at_listing(text, sents)
    records: list[_Record] = []
    parts: list[float] = []  # "其中…": a breakdown of a figure stated elsewhere
    principals: list[_Record] = []  # card fraud: "欠款本金共计247354元"
    conclusions: list[tuple[float, bool, int, int]] = []
    act = 0
    for i, s in enumerate(sents):
        if _ACT_START.match(text, s.start, s.end):
            act += 1
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
        if defendant and (_DEFENDANT_FIGURE.search(chunk) or chunk.lstrip().startswith("其中")):
            own_total = _own_figure(text, s, defendant)
            if own_total is not None:
                records.append(_Record([own_total], [own_total], summary=True, act=act))
                continue
        if charge == "信用卡诈骗罪":
            principal = _PRINCIPAL.search(chunk)
            m = _AMOUNT.match(text, s.start + principal.end(), s.end) if principal else None
            value = to_yuan(m.group(1).replace("，", ","), m.group(2)) if m else None
            if m and value:
                stated_principal = (value, True, m.start(), m.end())
                principals.append(_Record([stated_principal], [stated_principal], summary=True, act=act))
                continue
        repaid = next((r for r in _REPAID.finditer(chunk) if not _NOT_REPAID.search(chunk, 0, r.start())), None)
        first_amount = _AMOUNT.search(chunk)
        if repaid and first_amount and repaid.start() < first_amount.start():
            continue  # "…返还张某某钱款2000元，并出具了48000元的欠条": repayment, not the amount taken
        if chunk.lstrip().startswith("其中"):
            parts.extend(f[0] for f in _mentions(text, s, sale_is_crime, contract))
            continue
        if _AFTER_EVENT.match(chunk) and _AFTERMATH.search(chunk):
            continue  # restitution after the event
        if _CONCLUSION.search(chunk):
            stated = _mentions(text, s, sale_is_crime, contract)
            conclusions.extend(stated)
            # the prosecution's or court's own total ("骗取他人财物共计人民币139700元") is a grand total
            totals = [f for f in stated if f[1]]
            if totals:
                best = max(totals, key=lambda f: f[0])
                records.append(_Record([best], [best], summary=True, act=act))
            continue
        found = _mentions(text, s, sale_is_crime, contract)
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
                grand_own = (own[-1][0], True, own[-1][2], own[-1][3])
                records.append(_Record([grand_own], [grand_own], summary=True, act=act))
                continue
        nxt = text[sents[i + 1].start : sents[i + 1].start + 12] if i + 1 < len(sents) else ""
        dated = bool(_DATED_START.match(chunk)) and "至" not in chunk[:24]
        intro = bool(_LISTING.search(chunk) or "如下" in chunk or nxt.lstrip().startswith(("具体", "分述")))
        own_act = bool(_OWN_ACT.match(text, s.start, s.end)) and not (intro or _OVERALL.search(chunk))
        records.append(
            _Record(
                found,
                [f for f in found if f[1]],
                dated,
                bool(_SUMMARY.search(chunk)) or intro,
                bool(_ATTEMPTED.search(chunk)),
                # a restatement: "经鉴定，价值…" or an undated sentence without a verb of taking
                bool(_RESTATED.match(chunk)) or not (dated or _ACT_VERB.search(chunk)),
                act=act,
                demanded=all(_DEMAND.search(text, max(s.start, f[2] - 12), f[2]) for f in found),
                listing=intro,
                overall=not own_act,
            )
        )
    if principals:
        records = principals  # the principal overdrawn, not the sums drawn or owed with interest
    if not records:
        if conclusions:
            best = max(conclusions, key=lambda f: f[0])
            emit("amount", round(best[0], 2), best[2], best[3])
        return
    _choose(text, records, parts, emit)


def _value_of(text: str, rec: _Record) -> float:
    if not rec.totals:
        return sum(f[0] for f in rec.found)
    last = max(t[2] for t in rec.totals)
    total = max(rec.totals, key=lambda t: t[2])
    before = sum(f[0] for f in rec.found if f[2] < total[2] and not f[1])
    clause = text[max(0, total[2] - 24) : total[2]].rsplit("，", 1)[-1]
    if before and _WITHDRAWN.search(clause):
        # "抢走手机（价值2400元）及银行卡，后共计取出2.2万元": money drawn with the cards adds to the loot
        return before + sum(f[0] for f in rec.totals) + sum(f[0] for f in rec.found if not f[1] and f[2] > last)
    if before and _close(before, total[0] * 10_000):
        return before  # "…33万元、1万元，共计人民币340.7642元": the total lost its 万
    if _COVERING.match(clause):
        # "…翡翠挂件1个，共计价值43858元": a total opening its clause holds every figure before it
        return total[0] + sum(f[0] for f in rec.found if not f[1] and f[2] > last)
    # a subtotal covers what precedes it; figures after it belong to further acts
    return sum(f[0] for f in rec.totals) + sum(f[0] for f in rec.found if not f[1] and f[2] > last)


def _choose(text: str, records: list[_Record], parts: list[float], emit: Emit) -> None:
    """From what the sentences say, the crime amount: a stated grand total, otherwise the acts added up."""
    mentioned = 0
    grand: list[tuple[float, int, int, int, bool]] = []  # (yuan, start, end, act, a total of the whole case)
    acts: list[tuple[float, bool, int, int, int]] = []  # (yuan, attempted, start, end, act)
    demands: list[float] = []
    for rec in records:
        if rec.totals and rec.summary:
            best = max(rec.totals, key=lambda f: f[0])
            grand.append((best[0], best[2], best[3], rec.act, rec.overall))
            continue
        value = _value_of(text, rec)
        start, end = rec.found[0][2], rec.found[-1][3]
        if rec.restated and any(a[4] == rec.act and abs(a[0] - value) < 0.005 for a in acts):
            continue  # the same act restated (taken, then appraised; or told twice)
        if rec.demanded:
            if any(abs(d - value) < 0.005 for d in demands):
                continue  # the same sum demanded again ("继续向张某某索要人民币一万元")
            demands.append(value)
        if mentioned >= 2 and len(rec.found) == 1 and _close(sum(a[0] for a in acts), value):
            grand.append((value, start, end, rec.act, True))  # equals the acts so far: an unlabelled total
            continue
        if rec.totals:
            # only items of the same sentence, split by "；", can be held by its total, unless it says so
            # ("以上所窃财物合计价值人民币1353元")
            whole_act = bool(_ALL_ABOVE.search(text, max(0, rec.totals[-1][2] - 24), rec.totals[-1][2]))
            same_act = [a for a in acts if a[4] == rec.act and (whole_act or "。" not in text[a[3] : start])]
            if same_act and max(rec.totals, key=lambda t: t[2])[0] >= sum(a[0] for a in same_act) - 1.0:
                # "…7890元；…5040元，共计34674.58元": the act's own total holds its items told before it
                acts = [a for a in acts if a not in same_act]
        acts.append((value, rec.attempted, start, end, rec.act))
        mentioned += len(rec.found)
    items = [*((g[0], g[1], g[2]) for g in grand), *((a[0], a[2], a[3]) for a in acts)]
    # a summary listing its figures ("上格栅价值18763.52元；车标价值12355.20元。具体事实如下") equal to the
    # acts listed after it: the acts' sum, not both
    head = next((r for r in records if r.listing), None)
    if head is not None:
        cut = head.found[-1][3]
        before = [i for i in items if i[2] <= cut]
        after = [i for i in items if i[1] > cut]
        if len(before) >= 2 and after and _close(sum(i[0] for i in before), sum(i[0] for i in after)):
            emit("amount", round(sum(i[0] for i in after), 2), after[0][1], after[-1][2])
            return
    # one figure equal to the sum of at least two others is their total, wherever it is stated; a total
    # written without its 万 ("共计人民币340.7642元" after acts in 万元) is read at the acts' scale
    for value, start, end in sorted(items, key=lambda i: -i[0]):
        others = [i[0] for i in items if not _close(i[0], value)]
        for scale in (1, 10_000):
            pool = others if scale == 1 else [o for o in others if o > value]
            if len(pool) >= 2 and _close(sum(pool), value * scale):
                emit("amount", round(value * scale, 2), start, end)
                return
            if scale == 1 and parts and len(pool) + len(parts) >= 2 and _close(sum(pool) + sum(parts), value):
                emit("amount", round(value, 2), start, end)
                return
    if grand:
        values = [g[0] for g in grand]
        top = max(values)
        by_act: dict[int, float] = {}
        for g in grand:
            by_act[g[3]] = max(by_act.get(g[3], 0.0), g[0])
        for a in acts:
            if not any(g[3] == a[4] for g in grand):
                by_act[a[4]] = by_act.get(a[4], 0.0) + a[0]
        per_act = not any(g[4] for g in grand) and len(by_act) >= 2
        if per_act or (len({round(v, 2) for v in values}) >= 3 and top < sum(values) - top):
            # each act's own subtotal ("1、…先后九次给其送现金合计54000元"; "2、…"), none holding the others
            whole = sum(by_act.values()) if per_act else sum(values) + sum(a[0] for a in acts)
            emit("amount", round(whole, 2), min(i[1] for i in items), max(i[2] for i in items))
            return
        value, start, end = max(grand, key=lambda g: g[0])[:3]
        emit("amount", round(value, 2), start, end)
        return
    if not acts:
        return
    total = sum(a[0] for a in acts)
    emit("amount", round(total, 2), acts[0][2], acts[-1][3])
    attempted_total = sum(a[0] for a in acts if a[1])
    if attempted_total:
        emit("attempted_amount", round(attempted_total, 2), acts[0][2], acts[-1][3])
