"""The guideline's own discretion as one dial, and the search for the dial position nearest a target term.

The sentencing guidelines leave three kinds of choice to the case: the point inside each starting-point range
(法发〔2021〕21号 三(一)), the ratio inside each circumstance's allowed range, general or the crime's own (三(二)(三),
四), and for a plea the stage ratio inside its range (两高三部《关于适用认罪认罚从宽制度的指导意见》第9条); for several
charges also the point inside the 刑法第六十九条 span. The rule data mark those values `calibrated` with their bounds. The dial
moves all of them together between their most lenient bound (position 0), the value in force (position 0.5:
the calibrated value, as the rules alone would use) and their most severe bound (position 1). The engine's result
grows with the position, so the position nearest a target term is found by bisection; every value stays inside its
bounds and the engine still applies every statutory limit.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

STEPS = 32  # positions are multiples of 1/32: fine enough for whole months, coarse enough to reuse compiled rules
MIDDLE = STEPS // 2
# The plea-stage parameters are reductions written as positive ratios: a larger value is more lenient.
LENIENT_HIGH_PREFIXES = ("general.plea.stage.",)
CIRCUMSTANCE_PREFIX = "general.circumstance."


def discretion_parameters(book, charges: Iterable[str], day: dt.date | None = None) -> list[str]:
    """The ids of the `calibrated` parameters that are per-case discretion for a defendant with these charges.

    ``day`` (default today) decides whether a crime file with an `effective` date already applies (see
    ``RuleBook.guideline_crime``); before it the crime is computed from the statute alone.
    """
    day = day or dt.date.today()
    names = tuple(book.canonical_charge(charge) for charge in charges)
    crimes = tuple(_guideline_id(book, name, day) for name in names)
    key = (id(book), names, crimes)
    entry = _PARAMETERS.get(key)
    if entry is None or entry[0] is not book:  # the book itself is kept, so a reused id() cannot match
        entry = (book, _discretion_parameters(book, names, crimes))
        if len(_PARAMETERS) < 4096:
            _PARAMETERS[key] = entry
    return list(entry[1])


_PARAMETERS: dict[tuple, tuple[object, tuple[str, ...]]] = {}


def _guideline_id(book, name: str | None, day: dt.date) -> str | None:
    """The id of the crime file that sentences this charge on ``day``; None outside the guideline (or unknown)."""
    rules = book.guideline_crime(name, day) if name else None
    return rules.id if rules is not None else None


def _discretion_parameters(book, names: tuple[str | None, ...], crimes: tuple[str | None, ...]) -> tuple[str, ...]:
    ids: list[str] = []
    outside = False
    for name, crime in zip(names, crimes):
        if name is None:
            continue
        if crime is not None:
            prefix = f"{crime}.starting_point.position"
            ids += [pid for pid in book.parameters if pid == prefix or pid.startswith(prefix + ".")]
            # the crime's own adjustment ratios (e.g. 受雇运输毒品的，可以减少基准刑的30%以下)
            ids += [pid for pid in book.parameters if pid.startswith(crime + ".") and pid.endswith(".point")]
        else:
            outside = True
    if outside:
        ids.append("general.outside.starting_point_position")
    if len(names) > 1:
        ids.append("general.combined.position")
    ids += [pid for pid in book.parameters if pid.startswith(CIRCUMSTANCE_PREFIX) and pid.endswith(".point")]
    ids += [pid for pid in book.parameters if pid.startswith(LENIENT_HIGH_PREFIXES)]
    return tuple(pid for pid in dict.fromkeys(ids) if pid in book.parameters and book.parameters[pid].calibrated)


@dataclass(frozen=True)
class Dial:
    """One position → a value for every discretion parameter (lenient bound, value in force, severe bound)."""

    ids: tuple[str, ...]
    lenient: tuple[float, ...]
    base: tuple[float, ...]
    severe: tuple[float, ...]

    def values(self, step: int) -> dict[str, float]:
        share = step / STEPS
        out = {}
        for pid, low, mid, high in zip(self.ids, self.lenient, self.base, self.severe):
            if share <= 0.5:
                value = low + (mid - low) * 2 * share
            else:
                value = mid + (high - mid) * (2 * share - 1)
            out[pid] = round(value, 6)
        return out


def dial_for(book, facts: Mapping[str, Any], params: Mapping[str, float]) -> Dial | None:
    """The dial for one defendant's facts; ``params`` are the calibrated values in force (they win over the data)."""
    from leniency.sentencing.engine import rule_cache

    day = _day(facts.get("decision_date"))
    ids = discretion_parameters(book, (c.get("charge", "") for c in facts.get("charges") or []), day)
    if not ids:
        return None
    try:
        _, regions = rule_cache().place(facts.get("province"), facts.get("locality"))
    except Exception:  # an unknown place means national values; the engine itself reports the error
        regions = ()
    lenient, base, severe = [], [], []
    for pid in ids:
        parameter = book.parameters[pid]
        low, high = parameter.bounds or (0.0, 1.0)
        value = float(params[pid]) if pid in params else float(parameter.at(day, regions))
        value = min(max(value, low), high)
        if pid.startswith(LENIENT_HIGH_PREFIXES):
            low, high = high, low
        lenient.append(float(low))
        base.append(value)
        severe.append(float(high))
    return Dial(tuple(ids), tuple(lenient), tuple(base), tuple(severe))


def _day(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            pass
    return dt.date.today()


def nearest(term_at: Callable[[int], float], target: float) -> int:
    """The step whose term (log scale) is nearest ``target``; ``term_at`` is non-decreasing in the step.

    Life and death count as +inf; a negative target (the empirical model says life or death) takes the top.
    """
    if target < 0:
        return STEPS
    memo: dict[int, float] = {}

    def term(step: int) -> float:
        if step not in memo:
            memo[step] = term_at(step)
        return memo[step]

    def distance(step: int) -> float:
        value = term(step)
        return math.inf if math.isinf(value) else abs(math.log1p(value) - math.log1p(target))

    if term(0) >= target:
        best = 0
    elif term(STEPS) <= target:
        best = STEPS
    else:
        below, above = 0, STEPS  # invariant: term(below) < target <= term(above)
        while above - below > 1:
            middle = (below + above) // 2
            if term(middle) >= target:
                above = middle
            else:
                below = middle
        best = below if distance(below) <= distance(above) else above
    # On a plateau the value in force wins: the dial moves only when moving brings the term nearer.
    if distance(MIDDLE) <= distance(best):
        best = MIDDLE
    return best
