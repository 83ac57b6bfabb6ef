"""The key facts of a defendant that make two cases comparable, read from the extracted `Facts` dict.

`leniency.extraction.extract` fills a dict shaped like `leniency.sentencing.Facts`; this module only
condenses it (largest amount, worst injury, circumstances present) for filtering and ranking.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# worst last; "death" stands for a victim's death
INJURY_ORDER = (
    "slight_injury",
    "minor_injury_2",
    "minor_injury",
    "minor_injury_1",
    "serious_injury_2",
    "serious_injury",
    "serious_injury_1",
    "death",
)
INJURY_LABELS = {
    "slight_injury": "轻微伤",
    "minor_injury_2": "轻伤二级",
    "minor_injury": "轻伤",
    "minor_injury_1": "轻伤一级",
    "serious_injury_2": "重伤二级",
    "serious_injury": "重伤",
    "serious_injury_1": "重伤一级",
    "death": "致人死亡",
}

CIRCUMSTANCE_LABELS = {
    "plea": "认罪认罚",
    "surrender": "自首",
    "confession": "坦白",
    "in_court_admission": "当庭认罪",
    "meritorious_service": "立功",
    "restitution": "退赃退赔",
    "compensation": "赔偿",
    "forgiveness": "取得谅解",
    "reconciliation": "刑事和解",
    "recidivism": "累犯",
    "prior_record": "有前科",
    "principal": "主犯",
    "accessory": "从犯",
    "attempt": "未遂",
    "minor": "未成年人犯罪",
    "burglary": "入户盗窃",
    "carrying_weapon": "携带凶器盗窃",
    "pickpocketing": "扒窃",
    "fled": "肇事后逃逸",
    "telecom_fraud": "电信网络诈骗",
    "home_invasion": "入户抢劫",
    "armed_affray": "持械聚众斗殴",
    "hired_courier": "受雇运输毒品",
    "drug_recidivism": "毒品再犯",
    "child_victim": "奸淫幼女",
}


@dataclass
class FactSummary:
    amount: float | None = None
    injury: str = ""
    circumstances: list[str] = field(default_factory=list)
    plea: bool = False

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict | None) -> FactSummary:
        data = data or {}
        return cls(
            amount=data.get("amount"),
            injury=data.get("injury") or "",
            circumstances=list(data.get("circumstances") or []),
            plea=bool(data.get("plea", False)),
        )


def worse_injury(a: str, b: str) -> str:
    if not a:
        return b
    if not b:
        return a
    return a if INJURY_ORDER.index(a) >= INJURY_ORDER.index(b) else b


def summarize_facts(facts: dict[str, Any] | None) -> FactSummary:
    """Condense a `Facts`-shaped dict (missing keys are simply absent facts)."""
    summary = FactSummary()
    if not facts:
        return summary
    found: list[str] = []
    for charge in facts.get("charges") or []:
        if not isinstance(charge, dict):
            continue
        amount = charge.get("amount")
        if isinstance(amount, int | float) and amount > 0:
            summary.amount = max(summary.amount or 0.0, float(amount))
        for injury in charge.get("injuries") or []:
            if injury in INJURY_ORDER:
                summary.injury = worse_injury(summary.injury, injury)
        if (charge.get("deaths") or 0) > 0:
            summary.injury = "death"
        found.extend(s for s in charge.get("situations") or [] if isinstance(s, str))
    circ = facts.get("circumstances") or {}
    if isinstance(circ, dict):
        for key in ("surrender", "in_court_admission", "restitution", "reconciliation", "recidivism", "prior_record"):
            if circ.get(key):
                found.append(key)
        if circ.get("confession") not in (None, "none"):
            found.append("confession")
        if circ.get("meritorious_service") not in (None, "none"):
            found.append("meritorious_service")
        compensation = circ.get("compensation")
        if compensation in ("compensated_forgiven", "compensated"):
            found.append("compensation")
        if compensation in ("compensated_forgiven", "forgiven"):
            found.append("forgiveness")
    if facts.get("role") in ("principal", "accessory"):
        found.append(facts["role"])
    if facts.get("completion") == "attempt":
        found.append("attempt")
    age = facts.get("age_at_offence")
    if isinstance(age, int) and age < 18:
        found.append("minor")
    summary.plea = bool(facts.get("plea")) or facts.get("plea_stage") not in (None, "none")
    if summary.plea:
        found.append("plea")
    summary.circumstances = sorted(set(found))
    return summary
