"""One rule value: label, unit, values by effective date, citation, optional provincial overlays."""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

UNITS = {
    "months": "月",
    "months_range": "月（幅度）",
    "ratio": "比例",
    "ratio_range": "比例（幅度）",
    "yuan": "元",
    "grams": "克",
    "count": "人/次",
    "hours": "小时",
    "mg_per_100ml": "毫克/100毫升",
}


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


@dataclass(frozen=True)
class DatedValues:
    """Values keyed by effective date; the value in force on a day is the latest one not after it."""

    dates: tuple[dt.date, ...]
    values: tuple[Any, ...]

    @classmethod
    def from_mapping(cls, mapping: dict[Any, Any]) -> DatedValues:
        items = sorted((_as_date(k), v) for k, v in mapping.items())
        return cls(tuple(d for d, _ in items), tuple(v for _, v in items))

    def at(self, day: dt.date) -> Any:
        index = bisect.bisect_right(self.dates, day) - 1
        # Before the first edition the earliest value applies: the engine warns about such dates separately.
        return self.values[max(index, 0)]


@dataclass(frozen=True)
class Parameter:
    id: str
    label: str
    unit: str
    reference: str
    values: DatedValues
    calibrated: bool = False
    bounds: tuple[float, float] | None = None
    overlays: dict[str, DatedValues] = field(default_factory=dict)
    national_range: tuple[float, float] | None = None
    unverified: bool = False
    note: str | None = None

    def at(self, day: dt.date, regions: tuple[str, ...] = ()) -> Any:
        for region in regions:
            overlay = self.overlays.get(region)
            if overlay is not None:
                return overlay.at(day)
        return self.values.at(day)

    def source(self, regions: tuple[str, ...] = ()) -> str:
        """The citation, naming the provincial overlay when one applies."""
        for region in regions:
            if region in self.overlays:
                return f"{self.reference}（{region}标准）"
        return self.reference

    @property
    def default(self) -> Any:
        return self.values.values[-1]
