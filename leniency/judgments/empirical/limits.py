"""Statutory term limits of a sentence type for one charge or several, read from the rule data (general.yaml).

The empirical model learns from judgments, not from the law: its months must still keep to 刑法第三十八条 (管制),
第四十二条 (拘役), 第四十五条 (有期徒刑) for one charge and to 第六十九条 when several charges are combined.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from leniency.sentencing.result import TERM_TYPES, TYPE_LABELS


@dataclass(frozen=True)
class TermLimits:
    """The lawful months of one sentence type, with the articles they come from."""

    sentence_type: str
    n_charges: int
    low: float
    high: float
    citation: str

    def clip(self, months: float) -> float:
        return min(max(float(months), self.low), self.high)

    def explanation(self) -> str:
        label = TYPE_LABELS[self.sentence_type]
        scope = "一罪" if self.n_charges == 1 else f"{self.n_charges}罪数罪并罚"
        return f"{label}（{scope}）的法定期限为{self.low:g}至{self.high:g}个月，经验模型的刑期限于此范围内"


def distinct_charges(charges, book=None) -> int:
    """Number of different crimes: one charge named twice, or by an older and a current name, is one crime."""
    if book is None:
        from leniency.law.loader import load_rulebook

        book = load_rulebook()
    names = {str(c).strip() for c in charges or () if str(c).strip()}
    return max(1, len({book.canonical_charge(name) or name for name in names}))


def statutory_limits(sentence_type: str, n_charges: int, book=None, day: dt.date | None = None) -> TermLimits:
    """Lowest and highest lawful months of a term type for ``n_charges`` different charges.

    One charge: the type's own minimum and maximum. Several: the highest of the single terms is the floor of the
    combined term, which may not exceed the sum of the single maxima nor the combined cap (for 有期徒刑 the cap
    depends on whether the sum can reach the threshold of 刑法第六十九条第一款).
    """
    if sentence_type not in TERM_TYPES:
        raise ValueError(f"刑种（type）：“{sentence_type}”没有刑期限制，只有有期徒刑、拘役、管制有刑期")
    if n_charges < 1:
        raise ValueError("罪名数（n_charges）至少为 1")
    if book is None:
        from leniency.law.loader import load_rulebook

        book = load_rulebook()
    day = day or dt.date.today()
    low_p = book.general_param(f"terms.{sentence_type}.min")
    high_p = book.general_param(f"terms.{sentence_type}.max")
    low, single_high = float(low_p.at(day)), float(high_p.at(day))
    citations = [low_p.reference, high_p.reference]
    high = single_high
    if n_charges > 1:
        total = single_high * n_charges
        if sentence_type == "fixed_term":
            threshold = book.general_param("combined.fixed_term.high_sum")
            key = "combined.fixed_term.cap_high" if total >= float(threshold.at(day)) else "combined.fixed_term.cap"
        else:
            key = f"combined.{sentence_type}.cap"
        cap = book.general_param(key)
        high = min(total, float(cap.at(day)))
        citations.append(cap.reference)
    return TermLimits(sentence_type, n_charges, low, high, "；".join(dict.fromkeys(citations)))
