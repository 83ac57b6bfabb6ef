"""Features read from case text alone: the defendant's part of the text and simple counted signals.

These are statistical signals for the empirical model, not legal findings: the engine never sees them.
"""

from __future__ import annotations

import re

import numpy as np

SENTENCE_SPLIT = re.compile(r"(?<=[。；;！？\n])")
TEXT_LIMIT = 3000

# (name, pattern) — presence counts in the defendant's part of the text.
KEYWORDS: tuple[tuple[str, str], ...] = (
    ("surrender", r"自首|主动投案|投案自首"),
    ("confession", r"如实供述|坦白"),
    ("plea", r"认罪认罚|具结书"),
    ("admission", r"当庭.{0,4}认罪|自愿认罪"),
    ("merit", r"立功"),
    ("restitution", r"退赃|退赔|退还|追回"),
    ("compensation", r"赔偿"),
    ("forgiveness", r"谅解"),
    ("reconciliation", r"和解"),
    ("recidivism", r"累犯"),
    ("prior", r"曾因|曾于|前科|刑满释放|判处有期徒刑|判处拘役"),
    ("attempt", r"未遂|未得逞"),
    ("accessory", r"从犯|辅助作用|次要作用"),
    ("principal", r"主犯|主要作用|起意"),
    ("minor_injury", r"轻伤"),
    ("serious_injury", r"重伤"),
    ("death", r"死亡"),
    ("disability", r"伤残|残疾"),
    ("burglary", r"入户"),
    ("weapon", r"凶器|持刀|菜刀|匕首"),
    ("pickpocket", r"扒窃"),
    ("repeated", r"多次"),
    ("drugs", r"甲基苯丙胺|海洛因|冰毒|麻古|氯胺酮|毒品"),
    ("alcohol", r"毫克/100毫升|mg/100ml|血液中乙醇"),
    ("traffic", r"交通事故|全部责任|主要责任"),
    ("gang", r"黑社会|恶势力|团伙"),
    ("minor", r"未成年|不满十八周岁|未满十八周岁"),
    ("custody", r"逮捕|刑事拘留"),
    ("bail", r"取保候审|监视居住"),
    ("fine", r"罚金"),
    ("huge", r"数额巨大|数额特别巨大|情节严重|情节特别严重"),
)
_KEYWORD_RES = tuple((name, re.compile(pattern)) for name, pattern in KEYWORDS)
_AMOUNT = re.compile(r"(\d+(?:\.\d+)?)\s*(万元|万余元|元|余元)")
_GRAMS = re.compile(r"(\d+(?:\.\d+)?)\s*(克|g)(?![a-zA-Z])")
_ALCOHOL = re.compile(r"(\d+(?:\.\d+)?)\s*(?:毫克/100毫升|mg/100ml|毫克/100ml)", re.IGNORECASE)
_DEFENDANT = re.compile(r"被告人([\u4e00-\u9fa5A-Za-z0-9×xX某甲乙丙丁]{1,6}?)(?:[，,（(、的因犯于在系])")

NUMERIC_NAMES = tuple(name for name, _ in KEYWORDS) + (
    "log_amount_max",
    "log_amount_sum",
    "n_amounts",
    "log_grams_max",
    "alcohol_max",
    "log_text_len",
    "n_defendant_names",
    "n_sentences_focus",
    "n_charges",
)


def focus_text(fact: str, defendant: str, limit: int = TEXT_LIMIT) -> str:
    """The opening sentences plus every sentence naming the defendant, at most ``limit`` characters.

    In a multi-defendant judgment this keeps the defendant's own record and acts and drops most of the others'.
    """
    fact = fact or ""
    if not defendant or len(fact) <= limit:
        return fact[:limit]
    sentences = SENTENCE_SPLIT.split(fact)
    chosen: list[str] = []
    size = 0
    for index, sentence in enumerate(sentences):
        if index < 2 or defendant in sentence:
            chosen.append(sentence)
            size += len(sentence)
            if size >= limit:
                break
    return "".join(chosen)[:limit]


def _numbers(pattern: re.Pattern, text: str) -> list[float]:
    values = []
    for match in pattern.finditer(text):
        try:
            value = float(match.group(1))
        except ValueError:
            continue
        if match.lastindex and match.lastindex >= 2 and match.group(2).startswith("万"):
            value *= 10000
        values.append(value)
    return values


def numeric_features(fact: str, defendant: str, charges: list[str] | tuple[str, ...]) -> np.ndarray:
    """A fixed-length vector in the order of ``NUMERIC_NAMES``."""
    focus = focus_text(fact, defendant)
    row = [float(len(regex.findall(focus))) for _, regex in _KEYWORD_RES]
    amounts = _numbers(_AMOUNT, focus)
    grams = _numbers(_GRAMS, focus)
    alcohol = _numbers(_ALCOHOL, focus)
    names = {m.group(1) for m in _DEFENDANT.finditer(fact[:20000])}
    row += [
        float(np.log1p(max(amounts))) if amounts else 0.0,
        float(np.log1p(sum(amounts))) if amounts else 0.0,
        float(len(amounts)),
        float(np.log1p(max(grams))) if grams else 0.0,
        max(alcohol) if alcohol else 0.0,
        float(np.log1p(len(fact or ""))),
        float(len(names)),
        float(len(SENTENCE_SPLIT.split(focus))),
        float(len(charges)),
    ]
    return np.asarray(row, dtype=np.float32)
