"""Does a prosecutor's recommendation depart from the engine's range, and who must sign it off?

The power list (权力清单, 高检规则 第4条) decides: any departure needs a written reason (指导意见 第36条);
a departure beyond the configured margin, or leniency although the exclusion for particularly serious
cases applies (指导意见 第10条), needs the supervisor's approval.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from leniency.procedure.rules import ProcedureRules, load_rules


@dataclass(frozen=True)
class DepartureCheck:
    departs: bool
    months_outside: int
    margin_months: int
    needs_reason: bool
    needs_approval: bool
    reasons: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "departs": self.departs,
            "months_outside": self.months_outside,
            "margin_months": self.margin_months,
            "needs_reason": self.needs_reason,
            "needs_approval": self.needs_approval,
            "reasons": list(self.reasons),
        }


def check_departure(
    *,
    engine_type: str,
    engine_range: tuple[int, int],
    proposed_type: str,
    proposed_low: int,
    proposed_high: int,
    exclusion_applies: bool,
    leniency_granted: bool,
    power_list: dict[str, Any] | None = None,
    rules: ProcedureRules | None = None,
) -> DepartureCheck:
    rules = rules or load_rules()
    plist = rules.power_list(power_list)
    low, high = engine_range
    reasons: list[str] = []
    months_outside = 0
    if proposed_type != engine_type:
        reasons.append(f"建议的刑种与引擎计算的刑种（{engine_type}）不同")
    if proposed_low < low:
        months_outside = max(months_outside, low - proposed_low)
    if proposed_high > high:
        months_outside = max(months_outside, proposed_high - high)
    if months_outside:
        reasons.append(f"建议刑期超出引擎计算幅度（{low}至{high}个月）{months_outside}个月")
    departs = bool(reasons)
    margin = max(
        int(plist["departure_approval_margin_months"]),
        math.ceil(float(plist["departure_approval_margin_ratio"]) * max(high, 1)),
    )
    needs_approval = False
    if proposed_type != engine_type or months_outside > margin:
        needs_approval = True
        reasons.append(f"偏离超过权力清单允许的幅度（{margin}个月），须经部门负责人或检察长批准（高检规则 第4条）")
    if exclusion_applies and leniency_granted and plist["exclusion_leniency_needs_approval"]:
        needs_approval = True
        reasons.append("属于应当从严惩治的情形仍给予认罪认罚从宽，须经部门负责人或检察长批准（指导意见 第10条）")
    return DepartureCheck(
        departs=departs,
        months_outside=months_outside,
        margin_months=margin,
        needs_reason=departs and bool(plist["departure_reason_required"]),
        needs_approval=needs_approval,
        reasons=reasons,
    )
