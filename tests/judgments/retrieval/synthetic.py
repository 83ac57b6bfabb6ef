"""A tiny LeCaRD-style benchmark directory written by the tests (invented cases, no real judgment text)."""

from __future__ import annotations

import json
import lzma
from pathlib import Path

QUERIES = [
    {
        "qid": "q1",
        "text": "2019年5月1日，被告人张三在城南小区入户盗窃被害人李四家中现金5000元，后被公安机关抓获。",
        "charges": ["盗窃罪"],
    },
    {
        "qid": "q2",
        "text": "被告人周一因琐事与被害人吴二发生争执，持木棍将吴二打伤，经鉴定吴二的损伤程度为轻伤二级。",
        "charges": ["故意伤害罪"],
    },
]

CANDIDATES = [
    # q1: d2 shares the narrative (date, place, victim, cash) but not the charge; d1 and d4 are thefts
    (
        "q1",
        "d1",
        "王五盗窃一案",
        "被告人王五入户盗窃他人手机一部，价值3000元。公诉机关认为应当以盗窃罪追究其刑事责任。",
    ),
    (
        "q1",
        "d2",
        "赵六故意伤害一案",
        "2019年5月1日，被告人赵六在城南小区被害人李四家中殴打李四，抢走现金5000元，后被公安机关抓获。",
    ),
    ("q1", "d3", "钱七诈骗一案", "被告人钱七以借款为名骗取他人现金。"),
    ("q1", "d4", "孙八盗窃一案", "被告人孙八在商场扒窃钱包一个，内有现金800元。"),
    # q2
    ("q2", "e1", "郑三故意伤害一案", "被告人郑三持刀将被害人刺伤，经鉴定损伤程度为轻伤二级。"),
    ("q2", "e2", "冯四寻衅滋事一案", "被告人冯四因琐事与他人发生争执，随意殴打他人，致一人轻微伤。"),
    ("q2", "e3", "陈五盗窃一案", "被告人陈五盗窃电动车一辆。"),
]

LABELS = {"q1": {"d1": 3, "d2": 1, "d3": 0}, "q2": {"e1": 3, "e2": 2, "e3": 0}}

LAW = {
    "criminal-law.md": "第二百六十四条 盗窃公私财物，数额较大的，或者多次盗窃、入户盗窃、携带凶器盗窃、扒窃的……\n"
    "第二百三十四条 故意伤害他人身体的，处三年以下有期徒刑、拘役或者管制。致人重伤的……",
    "sentencing-guidelines-2021.md": "故意伤害致一人轻伤的，在二年以下有期徒刑、拘役幅度内确定量刑起点。",
}


def write_jsonl(path: Path, records: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


def write_candidates(path: Path, rows=CANDIDATES) -> None:
    lines = "".join(
        json.dumps({"qid": q, "docid": d, "title": t, "fact": f}, ensure_ascii=False) + "\n" for q, d, t, f in rows
    )
    with lzma.open(path, "wt", encoding="utf-8") as handle:
        handle.write(lines)


def make_benchmark(directory: Path, *, labels: bool = True) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    write_jsonl(directory / "queries.jsonl", QUERIES)
    write_candidates(directory / "candidates.jsonl.xz")
    if labels:
        (directory / "labels.json").write_text(json.dumps(LABELS), encoding="utf-8")
    return directory


def make_law(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in LAW.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory
