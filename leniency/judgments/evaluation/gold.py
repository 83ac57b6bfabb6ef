"""Gold sentencing rows (shape of ../shared/data/sentencing.dev.jsonl.xz) and the sentence scale used by the metrics.

The data files write 有期徒刑 as ``fixed``; the platform writes it ``fixed_term``. Both are accepted here and
normalised to ``fixed_term`` so gold and predictions compare directly.
"""

from __future__ import annotations

import json
import lzma
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SENTENCE_TYPES = ("fixed_term", "detention", "control", "exempt", "fine_only", "life", "death")
TYPE_ALIASES = {"fixed": "fixed_term"}
# Term codes of the CAIL2018 prison-term task: life and death are not months and match only exactly.
LIFE_TERM = -1
DEATH_TERM = -2


def normalise_type(value: str | None) -> str:
    """Map a type as written in the data or by the engine to the platform's names ("unknown" if absent)."""
    if not value:
        return "unknown"
    value = TYPE_ALIASES.get(value, value)
    return value if value in SENTENCE_TYPES else "unknown"


def term_of(sentence_type: str, months: int | float | None) -> float:
    """The CAIL2018 scale: months of 有期徒刑/拘役/管制, 0 for no custodial term, −1 life, −2 death."""
    if sentence_type == "life":
        return LIFE_TERM
    if sentence_type == "death":
        return DEATH_TERM
    if sentence_type in ("exempt", "fine_only"):
        return 0
    return float(months or 0)


@dataclass(frozen=True)
class GoldCase:
    """One evaluable defendant with the court's sentence."""

    id: str
    doc_id: str
    source: str
    charges: tuple[str, ...]
    type: str
    months: float | None
    probation: bool | None  # None when the source does not record 缓刑 (CAIL2018)
    fine: int | None
    prosecutor_recommendation: dict[str, Any] | None = None
    fact: str = field(default="", repr=False, compare=False)
    defendant: str = ""
    n_defendants: int = 1
    multi_charge: bool = False

    @property
    def term(self) -> float:
        return term_of(self.type, self.months)

    @property
    def is_term(self) -> bool:
        """True unless the sentence is life imprisonment or death (which have no month value)."""
        return self.type not in ("life", "death")

    def predict_input(self) -> dict[str, Any]:
        """The line `leniency predict` reads for this defendant (no gold inside)."""
        return {"id": self.id, "fact": self.fact, "defendant": self.defendant, "charges": list(self.charges)}


class GoldError(ValueError):
    """A gold line that cannot be read; the message is Chinese and names the field."""


def gold_from_row(row: dict[str, Any], keep_text: bool = True) -> GoldCase:
    if not isinstance(row, dict):
        raise GoldError("金标准行必须是 JSON 对象")
    for key in ("id", "gold", "input"):
        if key not in row:
            raise GoldError(f"金标准行缺少字段 {key}")
    gold = row["gold"]
    inp = row["input"]
    if not isinstance(gold, dict) or not isinstance(inp, dict):
        raise GoldError("字段 gold 和 input 必须是 JSON 对象")
    sentence_type = normalise_type(gold.get("type"))
    if gold.get("life"):
        sentence_type = "life"
    if gold.get("death"):
        sentence_type = "death"
    months = gold.get("months")
    if sentence_type not in ("life", "death") and not isinstance(months, int | float):
        raise GoldError(f"金标准行 {row['id']} 的字段 gold.months 缺失或不是数字")
    probation: bool | None = gold.get("probation_months") is not None
    if gold.get("probation_known") is False:
        probation = None
    charges = inp.get("charges_canonical") or inp.get("charges") or []
    return GoldCase(
        id=str(row["id"]),
        doc_id=str(row.get("doc_id") or str(row["id"]).split("#")[0]),
        source=str(row.get("source") or ""),
        charges=tuple(charges),
        type=sentence_type,
        months=None if sentence_type in ("life", "death") else float(months),
        probation=probation,
        fine=gold.get("fine"),
        prosecutor_recommendation=row.get("prosecutor_recommendation"),
        fact=inp.get("fact", "") if keep_text else "",
        defendant=inp.get("defendant", ""),
        n_defendants=int(inp.get("n_defendants") or 1),
        multi_charge=bool(row.get("multi_charge")),
    )


def open_text(path: Path):
    """Open a JSON Lines file, transparently decompressing ``.xz``."""
    path = Path(path)
    if path.suffix == ".xz":
        return lzma.open(path, "rt", encoding="utf-8")
    return path.open(encoding="utf-8")


def read_gold(path: Path, keep_text: bool = True, limit: int | None = None) -> Iterator[GoldCase]:
    """Yield gold cases; a malformed line raises GoldError naming its line number."""
    with open_text(path) as handle:
        for number, line in enumerate(handle, start=1):
            if limit is not None and number > limit:
                break
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise GoldError(f"金标准文件第 {number} 行不是合法的 JSON：{exc.msg}") from exc
            try:
                yield gold_from_row(row, keep_text=keep_text)
            except GoldError as exc:
                raise GoldError(f"金标准文件第 {number} 行：{exc}") from exc
