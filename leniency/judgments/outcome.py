"""Read defendants, charges and sentences from the operative part of a judgment (判决如下 …).

The parse is a set of regular expressions over the fixed phrasing courts use
(被告人X犯Y罪，判处有期徒刑…，缓刑…，并处罚金…；决定执行…). It never raises: text it cannot
read gives a defendant with the ``unknown`` sentence type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from leniency.judgments.numerals import DURATION_PATTERN, NUMBER_PATTERN, parse_duration_months, parse_int
from leniency.sentencing.result import TERM_TYPES
from leniency.sentencing.wording import months_text

SENTENCE_TYPES = ("fixed_term", "detention", "control", "exempt", "fine_only", "life", "death", "acquitted", "unknown")

_TYPE_LABELS = {
    "fixed_term": "有期徒刑",
    "detention": "拘役",
    "control": "管制",
    "exempt": "免予刑事处罚",
    "fine_only": "单处罚金",
    "life": "无期徒刑",
    "death": "死刑",
    "acquitted": "无罪",
    "unknown": "刑罚不详",
}


@dataclass
class Outcome:
    """The pronounced sentence of one defendant (the 决定执行 total when there are several charges)."""

    type: str = "unknown"
    months: int | None = None
    probation_months: int | None = None
    fine: int | None = None
    death_reprieve: bool = False

    @property
    def probation(self) -> bool:
        return self.probation_months is not None

    def to_dict(self) -> dict:
        return {
            "type": self.type,
            "months": self.months,
            "probation_months": self.probation_months,
            "fine": self.fine,
            "death_reprieve": self.death_reprieve,
        }

    @classmethod
    def from_dict(cls, data: dict | None) -> Outcome:
        data = data or {}
        kind = data.get("type") or "unknown"
        kind = {"fixed": "fixed_term"}.get(kind, kind)
        if kind not in SENTENCE_TYPES:
            kind = "unknown"
        return cls(
            type=kind,
            months=_opt_int(data.get("months")),
            probation_months=_opt_int(data.get("probation_months")),
            fine=_opt_int(data.get("fine")),
            death_reprieve=bool(data.get("death_reprieve", False)),
        )

    def describe(self) -> str:
        """The sentence in Chinese, e.g. 有期徒刑三年，缓刑三年，并处罚金5000元."""
        label = _TYPE_LABELS[self.type]
        if self.type == "death" and self.death_reprieve:
            label = "死刑，缓期二年执行"
        if self.type in TERM_TYPES and self.months is not None:
            label += months_text(self.months)
        if self.probation_months:
            label += f"，缓刑{months_text(self.probation_months)}"
        if self.fine:
            label += f"，罚金{self.fine}元" if self.type == "fine_only" else f"，并处罚金{self.fine}元"
        return label


def _opt_int(value) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@dataclass
class DefendantRecord:
    """One defendant of a judgment with its charges and outcome (parsed from the result or read from a record)."""

    name: str
    charges: list[str] = field(default_factory=list)
    outcome: Outcome = field(default_factory=Outcome)
    multi_charge_total: bool = False
    combined_with_prior: bool = False
    is_unit: bool = False
    # CAIL2018 labels ignore 缓刑: there a missing probation means "not known", not "none"
    probation_known: bool = True


_DEFENDANT = re.compile(r"(被告(?:人|单位)|上诉人)[）)]?([^，,。；;：:\s（()）、犯因]{1,30}?)(?=犯|无罪|不负刑事责任)")
_TOTAL = re.compile(r"决定(?:合并)?执行|合并执行|并罚[，,]?执行|[；;，,]执行")
_CHARGE = re.compile(r"犯(.{1,40}?罪)")
_END = re.compile(r"如不服本判决|如不服本裁定|本判决为终审判决")
_PROBATION = re.compile(rf"缓刑({DURATION_PATTERN})")
_FINE_FULL = re.compile(rf"罚金(?:人民币)?((?:\d[\d，,]*|{NUMBER_PATTERN})(?:\.\d+)?万?)元")
_PENALTIES = [
    ("death", re.compile(r"死刑")),
    ("life", re.compile(r"无期徒刑")),
    ("fixed_term", re.compile(rf"有期徒刑({DURATION_PATTERN})")),
    ("detention", re.compile(rf"拘役({DURATION_PATTERN})")),
    ("control", re.compile(rf"管制({DURATION_PATTERN})")),
    ("exempt", re.compile(r"免[予于]刑事处罚")),
    ("fine_only", re.compile(r"单处罚金|判处罚金")),
]
_PRIOR = re.compile(r"与(?:前罪|原判|原判决|[^。；;]{0,60}判决)[^。；;]{0,40}并罚|撤销[^。；;]{0,80}缓刑|余刑|尚未执行")
_BRACKETS = re.compile(r"[（(][^）)]*[）)]")


def parse_result(text: str | None) -> list[DefendantRecord]:
    """Every defendant named in the operative part, in order, with charges and sentence."""
    if not text:
        return []
    end = _END.search(text)
    body = text[: end.start()] if end else text
    matches = list(_DEFENDANT.finditer(body))
    parsed: list[DefendantRecord] = []
    seen: dict[str, DefendantRecord] = {}
    for i, match in enumerate(matches):
        stop = matches[i + 1].start() if i + 1 < len(matches) else len(body)
        segment = body[match.end() : stop]
        # a segment continues a defendant already named (e.g. 被告人X犯A罪…；被告人X犯B罪) only rarely;
        # keep the first and let later mentions add their charges
        name = match.group(2).strip()
        is_unit = match.group(1) == "被告单位"
        defendant = _parse_segment(name, segment, is_unit)
        if name in seen:
            # a later sentence for the same name (an appeal court's own sentence after 撤销 of the first
            # instance's) replaces the earlier one
            earlier = seen[name]
            if defendant.outcome.type != "unknown":
                earlier.outcome = defendant.outcome
                earlier.multi_charge_total = defendant.multi_charge_total
                earlier.combined_with_prior = defendant.combined_with_prior
            earlier.charges.extend(c for c in defendant.charges if c not in earlier.charges)
            continue
        seen[name] = defendant
        parsed.append(defendant)
    return parsed


def _parse_segment(name: str, segment: str, is_unit: bool) -> DefendantRecord:
    sentence_part = segment
    charges: list[str] = []
    for match in _CHARGE.finditer(segment):
        charge = clean_charge(match.group(1))
        if charge and charge not in charges:
            charges.append(charge)
    defendant = DefendantRecord(name=name, charges=charges, is_unit=is_unit)
    if segment.startswith("无罪") or segment.startswith("不负刑事责任"):
        defendant.outcome = Outcome(type="acquitted")
        return defendant
    totals = list(_TOTAL.finditer(segment))
    total = totals[-1].start() if totals else -1
    if total >= 0:
        defendant.multi_charge_total = True
        sentence_part = segment[total:]
    defendant.combined_with_prior = bool(_PRIOR.search(segment))
    defendant.outcome = parse_sentence(sentence_part)
    if total >= 0 and defendant.outcome.fine is None:
        defendant.outcome.fine = _fines(segment)
    return defendant


def parse_sentence(text: str) -> Outcome:
    """The first principal penalty in ``text`` with its probation and fine."""
    best: tuple[int, str, re.Match] | None = None
    for kind, pattern in _PENALTIES:
        match = pattern.search(text)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), kind, match)
    if best is None:
        fine = _fines(text)
        return Outcome(type="fine_only" if fine else "unknown", months=0 if fine else None, fine=fine)
    _, kind, match = best
    outcome = Outcome(type=kind)
    if kind in TERM_TYPES:
        outcome.months = parse_duration_months(match.group(1))
    elif kind in ("exempt", "fine_only"):
        outcome.months = 0
    elif kind == "death":
        outcome.death_reprieve = bool(re.match(r"死刑[，,]?\s*缓期", text[match.start() :]))
    probation = _PROBATION.search(text, match.end())
    if probation and kind in TERM_TYPES:
        outcome.probation_months = parse_duration_months(probation.group(1))
    outcome.fine = _fines(text)
    return outcome


def _fines(text: str) -> int | None:
    total = 0
    found = False
    for match in _FINE_FULL.finditer(text):
        raw = match.group(1)
        value = parse_int(raw[:-1]) * 10_000 if raw.endswith("万") and parse_int(raw[:-1]) is not None else None
        if value is None:
            value = parse_int(raw)
        if value is not None:
            total += value
            found = True
    return total if found else None


def clean_charge(raw: str) -> str:
    """'盗窃罪' from '（一）盗窃罪' or '盗窃罪（未遂）'; always ends in 罪."""
    charge = _BRACKETS.sub("", raw).strip(" ，,、：:；;")
    charge = charge.removeprefix("犯")
    if not charge:
        return ""
    return charge if charge.endswith("罪") else charge + "罪"
