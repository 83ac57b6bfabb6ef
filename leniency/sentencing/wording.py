"""The Chinese wording of a recommended sentence, as the 量刑建议书 and the 认罪认罚具结书 state it."""

from __future__ import annotations

from leniency.sentencing.result import CONFISCATION_LABELS, TYPE_LABELS


def months_text(months: int | None) -> str:
    if months is None:
        return ""
    years, rest = divmod(months, 12)
    if years and rest:
        return f"{years}年{rest}个月"
    if years:
        return f"{years}年"
    return f"{rest}个月"


def yuan_text(value: float) -> str:
    """E.g. 20万元, 3000元: amounts as the judicial interpretations write them."""
    if value >= 10000 and value % 10000 == 0:
        return f"{value / 10000:g}万元"
    return f"{value:g}元"


def sentence_text(
    sentence_type: str,
    *,
    definite: bool,
    months: int | None,
    months_low: int | None = None,
    months_high: int | None = None,
    probation: bool = False,
    probation_months: int | None = None,
    fine: int | None = None,
    confiscation: str | None = None,
) -> str:
    """E.g. 有期徒刑15年，并处没收个人部分财产; the accessory penalties after the principal one (刑法第三十四条)."""
    label = TYPE_LABELS.get(sentence_type, sentence_type)
    if sentence_type in ("exempt", "fine_only", "life", "death"):
        text = label
    elif definite:
        text = f"{label}{months_text(months)}"
    else:
        text = f"{label}{months_text(months_low)}至{months_text(months_high)}"
    if probation and probation_months:
        text += f"，缓刑{months_text(probation_months)}"
    if fine:
        text += f"，并处罚金人民币{fine}元"
    if confiscation:
        text += f"，并处{CONFISCATION_LABELS[confiscation]}"
    return text
