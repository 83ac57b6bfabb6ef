"""Markdown tables of the evaluation (Chinese headings, numbers as measured)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from leniency.judgments.evaluation.metrics import METRIC_NAMES

PERCENT = {"hit", "exact", "within_1", "within_20pct", "type_accuracy", "probation_accuracy"}
COLUMNS = (
    "n",
    "cail",
    "winkler_s",
    "hit",
    "width",
    "exact",
    "within_1",
    "within_20pct",
    "mae",
    "type_accuracy",
    "probation_accuracy",
)


def fmt(metric: str, value) -> str:
    if value is None:
        return "—"
    if metric == "n":
        return str(int(value))
    if metric in PERCENT:
        return f"{100 * value:.1f}%"
    if metric in ("width", "mae"):
        return f"{value:.1f}"
    return f"{value:.3f}"


def table(rows: Sequence[tuple[str, Mapping[str, float | None]]], first: str = "系统", columns=COLUMNS) -> str:
    header = [first] + [METRIC_NAMES[c] for c in columns]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name, metrics in rows:
        lines.append("| " + " | ".join([name] + [fmt(c, metrics.get(c)) for c in columns]) + " |")
    return "\n".join(lines)
