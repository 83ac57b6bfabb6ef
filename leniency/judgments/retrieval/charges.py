"""How well a candidate judgment's charges cover the charges of the query case.

Judgment titles name the charges (``张三、李四盗窃、诈骗一案``), often selectively (``贩卖毒品`` for
``走私、贩卖、运输、制造毒品罪``), so a query charge is matched by its character bigrams, taken within each of its
、-separated parts: the share of them present in the candidate's charge text is the match of that charge.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

_PARTS = re.compile(r"[、，,\s]+")
# charge phrases in the judgment text itself, for candidates without a title: 以盗窃罪 / 构成盗窃罪 / 犯盗窃罪
_CHARGE_PHRASE = re.compile(r"(?:以|构成|犯有?)([\u4e00-\u9fff、]{2,40}?罪)")


def charge_bigrams(charge: str) -> frozenset[str]:
    """Character bigrams of a charge name, without 罪 and without bigrams spanning its 、 separators."""
    body = charge.strip().removesuffix("罪")
    grams: set[str] = set()
    for part in _PARTS.split(body):
        if len(part) == 1:
            grams.add(part)
        grams.update(part[i : i + 2] for i in range(len(part) - 1))
    return frozenset(grams)


def charge_text(title: str, fact: str) -> str:
    """The text naming a candidate's charges: its title and the charge phrases of its facts (以盗窃罪 …)."""
    return "、".join([title.strip(), *_CHARGE_PHRASE.findall(fact)])


def charge_coverage(query_charges: Sequence[str], text: str) -> float:
    """Mean over the query's charges of the share of each charge's bigrams found in ``text`` (0 without charges)."""
    shares = []
    for charge in query_charges:
        grams = charge_bigrams(charge)
        if grams:
            shares.append(sum(1 for gram in grams if gram in text) / len(grams))
    return sum(shares) / len(shares) if shares else 0.0


def charges_in_text(text: str, lexicon: Iterable[str]) -> list[str]:
    """The charges of ``lexicon`` whose full name (without 罪) occurs in ``text``, for queries given without charges."""
    return [charge for charge in lexicon if len(charge.removesuffix("罪")) >= 2 and charge.removesuffix("罪") in text]
