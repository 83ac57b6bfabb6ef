"""`extract(text, defendant, charges)`: read one defendant's sentencing facts from Chinese case text."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from leniency.extraction import circumstances, offence
from leniency.extraction.engine_facts import build_facts
from leniency.extraction.model import Evidence, Extraction
from leniency.extraction.places import province_of
from leniency.extraction.segment import layout
from leniency.extraction.text import find_dates, normalise

_PROCEDURAL = re.compile(
    r"提起公诉|开庭|立案|受理|起诉书|刑事拘留|逮捕|取保候审|监视居住|羁押|判处|释放|出生|生于|审理终结|移送"
)
_ACCUSATION = re.compile(r"指控[：:，,]|起诉书指控|经审理查明|经审理认定|审理查明|公诉机关指控")
_ACCUSATION_EVIDENCE = re.compile(r"为证[明实]|公诉机关(?:当庭)?(?:提供|出示|提交|宣读|移送)|上述(?:指控)?事实[，,]?有")
# sentences that list or discuss evidence rather than state what happened
_EVIDENCE_TALK = re.compile(r"证实|证明|证言|供述|供称|陈述|辨认|笔录|足以认定|予以确认|书证|物证|辩称|辩解|附带民事")
_NEW_FINDING = re.compile(
    r"^\s*(?:(?:[（(]?[一二三四五六七八九十\d]+[)）、.．]\s*)(?:\d{4}年|同年|次日)|另查明|又查明|同时查明|还查明|再查明)"
)
_COURT_FINDING_RE = re.compile(r"另查明|又查明|同时查明|经审理查明|还查明|再查明")
_EVIDENCE_START_RE = re.compile(
    r"上述(?:犯罪)?事实[，,]?(?:有|由|被告人|经)|认定上述事实的证据|证据如下|有下列证据|下列证据予以|以下证据"
)
_HEARING = re.compile(r"开庭|提起公诉|审理终结")
_DRUG_CHARGES = ("毒品", "容留他人吸毒罪", "非法持有毒品罪")
_DRIVING = "危险驾驶罪"
_TRAFFIC = "交通肇事罪"
_INJURY_CHARGES = (
    "故意伤害罪",
    "寻衅滋事罪",
    "聚众斗殴罪",
    "故意杀人罪",
    "抢劫罪",
    "过失致人重伤罪",
    "过失致人死亡罪",
    "强奸罪",
    "非法拘禁罪",
    "绑架罪",
    "妨害公务罪",
)


def extract(text: str, defendant: str, charges: list[str]) -> Extraction:
    """Extract the facts of `defendant` for `charges`; never raises on odd input (problems go to `warnings`)."""
    text = text if isinstance(text, str) else ("" if text is None else str(text))
    defendant = (defendant if isinstance(defendant, str) else "").strip()
    charges = [c.strip() for c in (charges or []) if isinstance(c, str) and c.strip()]
    result = Extraction(defendant=defendant, charges=charges)
    try:
        _extract(normalise(text), text, defendant, charges, result)
    except Exception as exc:  # one odd document must never break a batch; report what went wrong
        result.warnings.append(f"抽取中断：{type(exc).__name__}: {exc}")
    try:
        result.facts = build_facts(result)
    except Exception as exc:
        result.warnings.append(f"事实组装失败：{type(exc).__name__}: {exc}")
        result.facts = {"defendant": defendant or None, "charges": [{"charge": c} for c in charges or ["未知罪名"]]}
    return result


def _extract(norm: str, original: str, defendant: str, charges: list[str], result: Extraction) -> None:
    fields = result.fields

    def emit(field: str, value: Any, start: int, end: int) -> None:
        if field not in fields:
            fields[field] = value
        result.evidence.append(Evidence(field, value, start, end, original[start:end]))

    if not norm.strip():
        result.warnings.append("文本为空")
        return
    if not defendant:
        result.warnings.append("未提供被告人姓名")
    lay = layout(norm, defendant or "\0")
    place = province_of(norm)
    if place:
        emit("province", place[0], place[2], place[3])
        if place[1]:
            emit("locality", place[1], place[2], place[3])
    offence_date = _offence_date(norm, lay, defendant, emit)
    hearing = None
    for s in lay.sentences:
        if s.start >= (lay.finding_start or lay.body_start or len(norm)) and lay.body_start:
            break
        chunk = norm[s.start : s.end]
        if _HEARING.search(chunk):
            for d, a, b in find_dates(norm, s.start, s.end):
                if hearing is None or d > hearing[0]:
                    hearing = (d, a, b)
    if hearing and (offence_date is None or hearing[0] >= offence_date):
        emit("decision_date", hearing[0].isoformat(), hearing[1], hearing[2])

    every = lay.sentences_for(defendant)
    circumstances.Reader(norm, lay, defendant, every, emit, charges).run(offence_date)

    # Crime facts come from the court's findings when present (the accusation repeats them), without the
    # evidence listing that follows, whose appraisals and statements would be counted twice; when the
    # findings only say "与指控一致", from the accusation; as a last resort from the whole body.
    body = [s for s in every if s.start >= lay.body_start]
    regions = []
    if lay.finding_start is not None:
        regions.append(_facts_only(norm, lay.sentences_for(defendant, lay.finding_start)))
    acc_end = lay.finding_start if lay.finding_start is not None else len(norm)
    cut = _ACCUSATION_EVIDENCE.search(norm, lay.body_start, acc_end)
    regions.append(lay.sentences_for(defendant, lay.body_start, cut.start() if cut else acc_end))
    regions.append(body)
    regions = [r for r in regions if r]
    for charge in charges:

        def cemit(field: str, value: Any, start: int, end: int, _c: str = charge) -> None:
            key = f"{_c}:{field}"
            if key not in fields:
                fields[key] = value
                if field not in fields:
                    fields[field] = value
            result.evidence.append(Evidence(field, value, start, end, original[start:end]))

        for func, key, kwargs in _offence_steps(charge, defendant, tuple(charges)):
            for region in regions if key else regions[:1]:
                func(norm, region, cemit, **kwargs)
                if f"{charge}:{key}" in fields:
                    break


def _facts_only(norm: str, sents: list) -> list:
    """Drop evidence listings: after an evidence header, skip until a new finding (dated, or 另查明) starts."""
    out = []
    in_evidence = False
    for s in sents:
        head = norm[s.start : s.start + 40]
        if in_evidence and (_NEW_FINDING.match(head) or _COURT_FINDING_RE.search(head)):
            in_evidence = False
        if _EVIDENCE_START_RE.search(norm, s.start, s.end) or _EVIDENCE_TALK.search(norm, s.start, s.end):
            in_evidence = True
            continue
        if not in_evidence:
            out.append(s)
    return out


def _offence_steps(charge: str, defendant: str, charges: tuple[str, ...] = ()) -> list[tuple[Any, str | None, dict]]:
    steps: list[tuple[Any, str | None, dict]] = []
    if charge in offence.AMOUNT_CHARGES:
        steps.append((offence.amounts_for(charge, defendant, charges), "amount", {}))
    steps.append((offence.acts_and_theft, None, {}))
    if any(k in charge for k in _INJURY_CHARGES) or charge == _TRAFFIC:
        steps.append((offence.injuries, "injury", {"defendant": defendant}))
    if any(k in charge for k in _DRUG_CHARGES):
        steps.append((offence.drugs, "drug_weight_g", {}))
    if charge in (_DRIVING, _TRAFFIC):
        steps.append((offence.alcohol, "blood_alcohol", {"defendant": defendant, "with_conduct": charge == _DRIVING}))
    if charge == _TRAFFIC:
        steps.append((offence.traffic, "responsibility", {}))
    return steps


def _offence_date(norm: str, lay, defendant: str, emit) -> date | None:
    m = _ACCUSATION.search(norm, lay.body_start)
    start = m.end() if m else lay.body_start
    for s in lay.sentences_for(defendant, start):
        lo = max(s.start, start)
        if s.defence or _PROCEDURAL.search(norm, lo, s.end):
            continue
        dates = find_dates(norm, lo, s.end)
        if dates:
            d, a, b = dates[0]
            emit("offence_date", d.isoformat(), a, b)
            return d
    return None
