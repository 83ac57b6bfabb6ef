"""Tiny synthetic judgments for tests (invented text; no real judgment is copied)."""

from __future__ import annotations

import numpy as np

from leniency.judgments.evaluation.gold import GoldCase

NAMES = ("张某", "李某", "王某", "赵某", "刘某", "陈某")


def theft_case(index: int, rng: np.random.Generator) -> GoldCase:
    """盗窃: the sentence grows with the amount; 如实供述 lowers it; probation for small sentences."""
    amount = int(rng.choice([3000, 6000, 12000, 30000, 60000, 150000]))
    confession = bool(rng.random() < 0.5)
    name = NAMES[index % len(NAMES)]
    months = max(2.0, round(3 * np.log(amount / 1000) * (0.8 if confession else 1.0) + rng.normal(0, 1)))
    if amount >= 60000:
        months += 30
    text = (
        f"公诉机关指控：2020年{index % 12 + 1}月{index % 27 + 1}日，被告人{name}在某市某小区盗窃他人财物，"
        f"价值人民币{amount}元。" + (f"被告人{name}到案后如实供述了自己的罪行。" if confession else "")
    )
    sentence_type = "detention" if months < 6 else "fixed_term"
    return GoldCase(
        id=f"syn:{index}#1",
        doc_id=f"syn:{index}",
        source="synthetic",
        charges=("盗窃罪",),
        type=sentence_type,
        months=float(months),
        probation=months <= 12,
        fine=None,
        fact=text,
        defendant=name,
    )


def injury_case(index: int, rng: np.random.Generator) -> GoldCase:
    serious = bool(rng.random() < 0.4)
    name = NAMES[index % len(NAMES)]
    months = 40 + rng.integers(0, 10) if serious else 8 + rng.integers(0, 6)
    grade = "重伤二级" if serious else "轻伤二级"
    text = f"公诉机关指控：被告人{name}因琐事与被害人发生争执，持木棍将被害人打伤。经鉴定，被害人的损伤程度为{grade}。"
    return GoldCase(
        id=f"syn-i:{index}#1",
        doc_id=f"syn-i:{index}",
        source="synthetic",
        charges=("故意伤害罪",),
        type="fixed_term",
        months=float(months),
        probation=False,
        fine=None,
        fact=text,
        defendant=name,
    )


def synthetic_cases(n: int, seed: int = 0) -> list[GoldCase]:
    rng = np.random.default_rng(seed)
    return [theft_case(i, rng) if i % 3 else injury_case(i, rng) for i in range(n)]
