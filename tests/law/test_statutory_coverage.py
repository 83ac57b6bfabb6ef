"""Issue 3: every charge of the Criminal Law met in real judgments gets a recommendation.

Crimes outside the 23 guideline crimes are computed from their statutory brackets (statutory.yaml) and marked
as outside the guideline. The dev-data test reads only the charge names of the judgments, never their text.
"""

import json
import lzma
from pathlib import Path

import pytest

from leniency.law import load_rulebook
from leniency.sentencing import FactsError, parse_facts, recommend

# Charge names of the dev data that no statutory entry can carry: typos or anonymised names of crimes the engine
# knows under their proper name. They need an alias in general.yaml (not a bracket of their own).
KNOWN_GAPS = {
    "以威胁方法危害公共安全罪": "非两高罪名，疑为以危险方法危害公共安全罪的误写（需别名）",
    "国家机关证件罪": "残缺，无法确定是伪造、变造、买卖还是盗窃、抢夺、毁灭国家机关证件",
    "组织XXX人进行违反治安管理活动罪": "匿名化残缺，无法确定被组织的对象（刑法第二百六十二条之二为组织未成年人）",
    "走私罪": "笼统名称，走私犯罪分属刑法第一百五十一至一百五十七条多个罪名，法定刑不同",
}

# Misspellings that can only mean one charge are aliases in general.yaml; these resolve to it.
MISSPELT = [
    ("故意伤害罪罪", "故意伤害罪"),
    ("妨碍公务罪", "妨害公务罪"),
    ("掩饰隐瞒犯罪所得罪", "掩饰、隐瞒犯罪所得、犯罪所得收益罪"),
]


@pytest.mark.parametrize(("written", "canonical"), MISSPELT)
def test_misspelt_names_resolve_to_their_charge(written: str, canonical: str):
    from leniency.law.loader import load_rulebook

    assert load_rulebook().canonical_charge(written) == canonical


# Hand-checked against the article text of criminal-law.md: (charge, gravity, statutory range in months, statute).
HAND_CHECKED = [
    ("抽逃出资罪", "ordinary", (0, 60), "刑法第一百五十九条"),  # 五年以下有期徒刑或者拘役
    ("虚报注册资本罪", "ordinary", (0, 36), "刑法第一百五十八条"),  # 三年以下有期徒刑或者拘役
    ("强迫劳动罪", "serious", (36, 120), "刑法第二百四十四条第一款"),  # 情节严重的，三年以上十年以下有期徒刑
    ("提供侵入、非法控制计算机信息系统程序、工具罪", "ordinary", (0, 36), "刑法第二百八十五条第三款"),
    ("走私武器、弹药罪", "ordinary", (84, 180), "刑法第一百五十一条第一款"),  # 七年以上有期徒刑
    ("走私武器、弹药罪", "lesser", (36, 84), "刑法第一百五十一条第一款"),  # 情节较轻的，三年以上七年以下
    ("利用影响力受贿罪", "especially_serious", (84, 180), "刑法第三百八十八条之一第一款"),  # 七年以上有期徒刑
    ("巨额财产来源不明罪", "ordinary", (0, 60), "刑法第三百九十五条第一款"),  # 五年以下有期徒刑或者拘役
    ("骗取出口退税罪", "serious", (60, 120), "刑法第二百零四条第一款"),  # 五年以上十年以下有期徒刑
    ("抢劫枪支、弹药、爆炸物、危险物质罪", "ordinary", (120, 180), "刑法第一百二十七条第二款"),  # 十年以上
    # CAIL union of 第358条 and 第359条: brackets of 第359条第一款 (引诱、容留、介绍卖淫), its most frequent part.
    ("组织、强迫、引诱、容留、介绍卖淫罪", "ordinary", (0, 60), "刑法第三百五十九条第一款"),
    ("组织、强迫、引诱、容留、介绍卖淫罪", "serious", (60, 180), "刑法第三百五十九条第一款"),
]


@pytest.mark.parametrize(("charge", "gravity", "expected", "statute"), HAND_CHECKED)
def test_statutory_range_matches_the_article(charge: str, gravity: str, expected: tuple[int, int], statute: str):
    result = recommend(parse_facts({"charges": [{"charge": charge, "gravity": gravity}]}))
    assert result.outside_guideline
    (item,) = result.charges
    assert item.charge == charge
    assert item.outside_guideline
    assert tuple(item.statutory_range) == expected
    assert load_rulebook().statutory[charge]["statute"] == statute
    assert any(statute in step.citation for step in result.trace)


@pytest.mark.parametrize("charge", sorted(KNOWN_GAPS))
def test_known_gaps_are_still_unknown(charge: str):
    # When an alias is added for one of these, this fails so that the gap list is shortened.
    with pytest.raises(FactsError, match="未知罪名"):
        recommend(parse_facts({"charges": [{"charge": charge}]}))


def _dev_charge_names(data: Path) -> set[str]:
    path = data / "sentencing.dev.jsonl.xz"
    if not path.exists():
        pytest.skip(f"未找到 {path.name}")
    names: set[str] = set()
    with lzma.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            names.update(json.loads(line)["input"].get("charges_canonical") or [])
    return names


def test_every_dev_charge_gets_a_recommendation(shared_data: Path):
    book = load_rulebook()
    names = _dev_charge_names(shared_data)
    assert len(names) > 300
    failures = {}
    for name in sorted(names - set(KNOWN_GAPS)):
        canonical = book.canonical_charge(name)
        if canonical is None:
            failures[name] = "未知罪名"
            continue
        if canonical in book.crimes:
            continue  # guideline crimes need their own facts (amount, injuries...); covered by tests/sentencing
        try:
            result = recommend(parse_facts({"charges": [{"charge": name, "gravity": "ordinary"}]}))
        except FactsError as exc:
            failures[name] = str(exc)
            continue
        if not (result.outside_guideline and result.charges[0].outside_guideline):
            failures[name] = "未标注为指导意见以外"
    assert not failures, failures
    assert set(KNOWN_GAPS) <= names, sorted(set(KNOWN_GAPS) - names)
