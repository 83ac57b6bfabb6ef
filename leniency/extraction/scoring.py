"""Per-field precision and recall of the extractor against hand labels.

Labels are our own annotations (row id, defendant, field -> value and span offsets); the judgment texts
are read at run time from the licensed data directory and never stored with the labels.
"""

from __future__ import annotations

import json
import lzma
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from leniency.extraction.engine_facts import DRUG_CODES
from leniency.extraction.extractor import extract
from leniency.extraction.model import Extraction

BOOLEAN_FIELDS = ("surrender", "confession", "plea", "recidivism", "prior_record")
VALUE_FIELDS = ("amount", "injury", "deaths", "blood_alcohol", "plea_stage", "drug_type", "drug_weight")
FIELDS = BOOLEAN_FIELDS + VALUE_FIELDS
# The bars of issue 4 (precision, recall) for the fields it names.
BARS: dict[str, tuple[float, float]] = {
    "amount": (0.95, 0.90),
    "injury": (0.95, 0.90),
    "blood_alcohol": (0.95, 0.90),
    "surrender": (0.95, 0.90),
    "confession": (0.95, 0.90),
    "plea": (0.95, 0.90),
    "recidivism": (0.95, 0.90),
}


@dataclass(slots=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    labelled: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def load_labels(path: Path) -> list[dict[str, Any]]:
    """All label records of a .jsonl file or of every .jsonl file in a directory."""
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    out = []
    for file in files:
        with file.open(encoding="utf-8") as fh:
            out.extend(json.loads(line) for line in fh if line.strip())
    return out


def load_inputs(data_dir: Path, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """`input` of the wanted rows of sentencing.dev.jsonl.xz (streamed; stops when all are found)."""
    wanted = set(ids)
    found: dict[str, dict[str, Any]] = {}
    with lzma.open(data_dir / "sentencing.dev.jsonl.xz", "rt", encoding="utf-8") as fh:
        for line in fh:
            # cheap prefilter before parsing ~20 kB of JSON
            head = line[:80]
            rid = head.split('"id": "', 1)[-1].split('"', 1)[0] if '"id": "' in head else None
            if rid is not None and rid not in wanted:
                continue
            row = json.loads(line)
            if row["id"] in wanted:
                found[row["id"]] = row["input"]
                if len(found) == len(wanted):
                    break
    return found


def _charge_field(ex: Extraction, field: str, charge: str | None = None) -> Any:
    if charge is not None:
        return ex.fields.get(f"{charge}:{field}")
    for c in ex.charges:
        value = ex.fields.get(f"{c}:{field}")
        if value is not None:
            return value
    return None


def predicted(ex: Extraction, field: str, label: dict[str, Any]) -> Any:
    if field in BOOLEAN_FIELDS:
        return bool(ex.fields.get(field))
    if field == "plea_stage":
        return ex.fields.get("plea_stage")
    if field == "amount":
        return _charge_field(ex, "amount", label.get("charge"))
    if field == "deaths":
        return _charge_field(ex, "deaths") or 0
    if field == "drug_type":
        kind = _charge_field(ex, "drug_type")
        return DRUG_CODES.get(kind) if kind else None
    if field == "drug_weight":
        return _charge_field(ex, "drug_weight_g")
    return _charge_field(ex, field)


def same(field: str, pred: Any, gold: Any) -> bool:
    if pred is None or gold is None:
        return pred is None and gold is None
    if field in ("amount", "blood_alcohol"):
        return abs(float(pred) - float(gold)) <= max(1.0, 0.01 * abs(float(gold)))
    if field == "drug_weight":
        return abs(float(pred) - float(gold)) <= 0.02 * abs(float(gold)) + 0.005
    return pred == gold


def _is_positive(field: str, value: Any) -> bool:
    if field in BOOLEAN_FIELDS:
        return bool(value)
    if field == "deaths":
        return bool(value)
    return value is not None


def score(
    labels: list[dict[str, Any]], inputs: dict[str, dict[str, Any]]
) -> tuple[dict[str, Counts], list[dict], float]:
    """(counts per field, disagreements, seconds spent extracting)."""
    counts = {f: Counts() for f in FIELDS}
    errors: list[dict] = []
    spent = 0.0
    for record in labels:
        inp = inputs.get(record["id"])
        if inp is None:
            continue
        t0 = time.perf_counter()
        ex = extract(inp["fact"], record["defendant"], record["charges"])
        spent += time.perf_counter() - t0
        for field, label in record["labels"].items():
            if field not in counts or label.get("skip"):
                continue
            gold = label.get("value")
            pred = predicted(ex, field, label)
            c = counts[field]
            c.labelled += 1
            gold_pos, pred_pos = _is_positive(field, gold), _is_positive(field, pred)
            if gold_pos and pred_pos and same(field, pred, gold):
                c.tp += 1
                continue
            if pred_pos:
                c.fp += 1
            if gold_pos:
                c.fn += 1
            if pred_pos or gold_pos:
                errors.append({"id": record["id"], "field": field, "gold": gold, "pred": pred})
    return counts, errors, spent


def format_table(counts: dict[str, Counts]) -> str:
    lines = [
        f"{'field':<14}{'labelled':>9}{'TP':>6}{'FP':>6}{'FN':>6}{'precision':>11}{'recall':>8}  bar",
    ]
    for field, c in counts.items():
        bar = BARS.get(field)
        mark = ""
        if bar:
            mark = f"P≥{bar[0]:.2f} R≥{bar[1]:.2f} " + (
                "ok" if c.precision >= bar[0] and c.recall >= bar[1] else "MISSED"
            )
        lines.append(
            f"{field:<14}{c.labelled:>9}{c.tp:>6}{c.fp:>6}{c.fn:>6}{c.precision:>11.3f}{c.recall:>8.3f}  {mark}"
        )
    return "\n".join(lines)
