"""Small invented judgments in the three formats (no real judgment text is committed)."""

from __future__ import annotations

import gzip
import json
import lzma
from pathlib import Path

THEFT_FACTS = (
    "经审理查明：2019年3月5日晚，被告人{name}趁被害人家中无人，翻窗进入室内，盗窃现金人民币{amount}元及手机一部。"
    "案发后，被告人{name}主动投案，如实供述犯罪事实，并退赔被害人全部损失，取得谅解。"
)
INJURY_FACTS = (
    "经审理查明：2018年6月1日，被告人{name}因琐事与被害人发生争执，持木棍殴打被害人头部，致其轻伤二级。"
    "案发后被告人{name}赔偿被害人经济损失{amount}元并取得谅解。"
)
DRIVING_FACTS = "经审理查明：2020年1月8日晚，被告人{name}饮酒后驾驶小型轿车行驶至某路段被查获，经鉴定其血液酒精含量为{amount}mg/100ml。"


def own_record(i: int, **overrides) -> dict:
    kinds = [
        ("盗窃罪", THEFT_FACTS, "有期徒刑一年，缓刑一年六个月，并处罚金人民币五千元", 5000 + i * 100),
        ("故意伤害罪", INJURY_FACTS, "有期徒刑八个月", 20000 + i * 10),
        ("危险驾驶罪", DRIVING_FACTS, "拘役二个月，并处罚金人民币三千元", 150 + i),
    ]
    charge, template, sentence, amount = kinds[i % 3]
    name = f"测试人{i}"
    facts = template.format(name=name, amount=amount)
    court = ["浙江省杭州市西湖区人民法院", "河南省郑州市中级人民法院", "江苏省南京市玄武区人民法院"][i % 3]
    header = f"{court} 刑事判决书 （{2015 + i % 5}）浙0106刑初{100 + i}号 公诉机关某某区人民检察院。被告人{name}，男。本院适用简易程序审理了本案。"
    record = {
        "id": f"test:{i}",
        "source": "test",
        "title": f"{name}{charge.removesuffix('罪')}一案",
        "case_number": f"（{2015 + i % 5}）浙0106刑初{100 + i}号",
        "text_before_reasoning": header + facts,
        "facts": facts,
        "reasoning": f"本院认为，被告人{name}的行为已构成{charge}。",
        "result": f"被告人{name}犯{charge}，判处{sentence}。如不服本判决，可在接到判决书的第二日起十日内提出上诉。",
        "mentions_plea": False,
    }
    record.update(overrides)
    return record


def cail_record(i: int) -> dict:
    name = f"样例{i}"
    return {
        "fact": THEFT_FACTS.format(name=name, amount=3000 + i),
        "meta": {
            "relevant_articles": [264],
            "accusation": ["盗窃"],
            "punish_of_money": 2000,
            "criminals": [name],
            "term_of_imprisonment": {"death_penalty": False, "imprisonment": 8, "life_imprisonment": False},
        },
    }


def lecard_record(i: int) -> dict:
    name = f"案例{i}"
    facts = INJURY_FACTS.format(name=name, amount=10000 + i)
    full = f"某某省某某县人民法院 刑事判决书 （2017）豫1324刑初{i}号 被告人{name}。{facts}本院认为，被告人{name}构成故意伤害罪。"
    return {
        "ajId": f"aj{i}",
        "ajName": f"{name}故意伤害一案",
        "ajjbqk": facts,
        "cpfxgc": f"本院认为，被告人{name}构成故意伤害罪。",
        "pjjg": f"被告人{name}犯故意伤害罪，判处有期徒刑一年二个月。如不服本判决……",
        "qw": full,
        "writId": f"w{i}",
        "writName": f"{name}故意伤害一审刑事判决书",
    }


def write_lines(path: Path, records: list, compression: str = "none") -> Path:
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")
    if compression == "gzip":
        data = gzip.compress(data)
    elif compression == "xz":
        data = lzma.compress(data)
    path.write_bytes(data)
    return path
