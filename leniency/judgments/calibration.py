"""Fitting the engine's `calibrated` parameters on real judgments, and writing them into the rule data.

What is fitted (`fitted_parameters`, in this fixed order):
- per crime: the position inside each starting-point range (``<crime>.starting_point.position*``), the increments
  in months (``<crime>.increment.*``: per amount, per act, per injury, per gram …) and the crime's own ratio points
  (``<crime>.….point``);
- the point inside the 指导意见以外罪名 statutory range (``general.outside.starting_point_position``) and inside the
  刑法第69条 span for several charges (``general.combined.position``);
- the point chosen inside each circumstance's ratio range (``general.circumstance.*.point``) and the plea-stage
  ratios (``general.plea.stage.*``);
- per crime, the thresholds of life imprisonment and death (``<crime>.heavier.*``: the drug quantity, amount or
  number of deaths from which the bracket's 无期徒刑/死刑 is recommended, and the net leniency of the other
  circumstances it still tolerates); the life threshold stays at or below the death threshold;
- last, the placement of the range around the point (``general.width.point_share``); the widths themselves stay
  at their maximum, which is the legal limit.
Values keep to the `orderings` of the general rules (an earlier plea never earns less leniency than a later one,
赔偿并取得谅解 never less than either alone, …): each value is searched only between its neighbours' current values.

Method: deterministic coordinate descent. Each parameter in turn is set to the best value on a fixed grid inside its
bounds (the value in force is kept on ties); up to `PASSES` passes over the whole list, the later ones trying only the
grid values within `LOCAL_STEPS` steps of the current value plus the value before calibration, and skipping a
parameter when nothing that changes its defendants' results has moved since it was fitted. A parameter is fitted
only on the training defendants its value can affect: those whose baseline trace cites it (or, for a starting-point
position, the crime) and whose result actually differs between its two bounds; at most `MAX_CASES` of them, taken in
the order of a hash of their id. The point parameters minimise the mean absolute log error |ln(y+1) − ln(ŷ+1)| (the
quantity the CAIL2018 score steps on); the range placement minimises 1 − the mean Winkler score s = 1/(1 + W/10)
(α = 0.2). Positions and increments are then fitted per province where at least `MIN_PROVINCE` affected
defendants allow it (provincial implementing rules set them); ratio points and the range placement are national.
Same data, same numbers.

Every fit starts from the values in force before any calibration (``calibration.previous`` in the rule data, see
`RuleBook.pre_calibration`), never from values fitted earlier: a value fitted on all judgments and written into
the repository therefore cannot reach a cross-validation fold that did not see those judgments.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from leniency.judgments.evaluation.gold import GoldCase
from leniency.judgments.predict import CalibratedParams

GRID_STEPS = 11
PASSES = 3
LOCAL_STEPS = 2
MAX_CASES = 400
MIN_CASES = 30
# A life/death threshold is one cut-off on one fact, and its bracket's defendants are few: it needs fewer of them.
MIN_HEAVIER = 15
MIN_PROVINCE = 80
POINT_SHARE = "general.width.point_share"
# The calibration blocks name the method by this id; general.yaml `calibration_methods` holds its text (METHOD),
# written once for lawyers to read instead of in every block. A change of method gets a new id.
METHOD_ID = "coordinate_descent.v2"
METHOD = (
    f"坐标下降（固定参数顺序，至多 {PASSES} 轮；首轮每个参数在 bounds 内等距 {GRID_STEPS} 点中取最优，其后各轮只试现值前后 "
    f"{LOCAL_STEPS} 格及校准前取值，误差相同时保留现值）；"
    "刑期点参数最小化平均绝对对数误差 |ln(y+1) − ln(ŷ+1)|，幅度位置（width.point_share）最小化 1 − 平均 Winkler s"
    "（α = 0.2，s = 1/(1 + W/10)）；取值遵守 general.yaml 的顺序约束（orderings）；每个参数只用其取值能改变结果的被告人（轨迹引用该参数且在两端取值下结果不同），"
    f"至多 {MAX_CASES} 名（按编号哈希排序）；全国值至少 {MIN_CASES} 名、省级值（量刑起点位置与增加刑罚量）至少 "
    f"{MIN_PROVINCE} 名，无期徒刑、死刑门槛（heavier.*）至少 {MIN_HEAVIER} 名；从校准前的取值（previous）开始拟合；error 为拟合值下的误差，default_error 为该参数取校准前"
    "取值（省级：取全国拟合值）、其余参数取拟合值时的误差"
)


@dataclass
class Fit:
    """One fitted value with its provenance."""

    parameter: str
    value: float
    default: float
    n: int
    error: float  # objective at the fitted value (see METHOD)
    default_error: float
    province: str | None = None
    cases: tuple[str, ...] = field(default=(), repr=False, compare=False)  # ids of the defendants it was fitted on


@dataclass(frozen=True)
class Target:
    """A parameter calibration fits: its bounds, the crime it belongs to, and how it is fitted."""

    id: str
    bounds: tuple[float, float]
    crime: str | None  # crime id, None for a general parameter
    provincial: bool  # also fitted per province
    interval: bool  # objective: the Winkler score of the range instead of the point error
    integer: bool = False  # a count (e.g. deaths): only whole values are tried

    @property
    def position(self) -> bool:
        return self.crime is not None and ".starting_point.position" in self.id

    @property
    def heavier(self) -> bool:
        """A threshold of life imprisonment or death (the crime's ``heavier.*`` parameters)."""
        return self.crime is not None and self.id.startswith(f"{self.crime}.heavier.")


def baseline_params() -> CalibratedParams:
    """The values in force before calibration (the rule data's ``calibration.previous``), as engine overrides."""
    from leniency.law.loader import load_rulebook

    national, provinces = load_rulebook().pre_calibration()
    return CalibratedParams(dict(national), {k: dict(v) for k, v in provinces.items()})


@dataclass
class Calibration:
    fits: list[Fit] = field(default_factory=list)
    date: str = ""
    source: str = ""
    baseline: CalibratedParams = field(default_factory=CalibratedParams)

    def params(self) -> CalibratedParams:
        """Fitted values over the pre-calibration ones: nothing fitted on other data is left in force."""
        result = CalibratedParams(
            dict(self.baseline.national), {k: dict(v) for k, v in self.baseline.provinces.items()}
        )
        for fit in self.fits:
            if fit.province:
                result.provinces.setdefault(fit.province, {})[fit.parameter] = fit.value
            else:
                result.national[fit.parameter] = fit.value
        return result


def orderings(book) -> list[tuple[str, ...]]:
    """Sequences of parameter ids whose values never decrease: the general rules' `orderings` (see general.yaml),
    and for each crime the life threshold below its death threshold (death needs the graver facts)."""
    found = [tuple(f"general.{ref}" for ref in entry["sequence"]) for entry in book.general.get("orderings") or []]
    for crime in sorted({c.id for c in book.crimes.values()}):
        pair = (f"{crime}.heavier.life.at_least", f"{crime}.heavier.death.at_least")
        if all(pid in book.parameters for pid in pair):
            found.append(pair)
    return found


def fitted_parameters(book=None) -> list[Target]:
    """The parameters calibration fits, in the fixed order of the coordinate descent."""
    if book is None:
        from leniency.law.loader import load_rulebook

        book = load_rulebook()

    def target(pid: str, crime: str | None, provincial: bool, interval: bool = False) -> Target | None:
        parameter = book.parameters.get(pid)
        if parameter is None or not parameter.calibrated or not parameter.bounds:
            return None
        low, high = (float(b) for b in parameter.bounds)
        integer = parameter.unit == "count"
        return Target(pid, (low, high), crime, provincial, interval, integer) if low < high else None

    ordered: list[Target | None] = []
    for crime_id in sorted({crime.id for crime in book.crimes.values()}):
        own = sorted(pid for pid in book.parameters if pid.startswith(crime_id + "."))
        positions = [p for p in own if p.startswith(f"{crime_id}.starting_point.position")]
        increments = [p for p in own if p.startswith(f"{crime_id}.increment.") and book.parameters[p].unit == "months"]
        points = [p for p in own if p.endswith(".point") and book.parameters[p].unit == "ratio"]
        heavier = [p for p in own if p.startswith(f"{crime_id}.heavier.")]
        ordered += [target(p, crime_id, True) for p in positions + increments]
        ordered += [target(p, crime_id, False) for p in points + heavier]
    general = sorted(pid for pid in book.parameters if pid.startswith("general."))
    ordered += [
        target(p, None, False) for p in ("general.outside.starting_point_position", "general.combined.position")
    ]
    ordered += [
        target(p, None, False) for p in general if p.startswith("general.circumstance.") and p.endswith(".point")
    ]
    ordered += [target(p, None, False) for p in general if p.startswith("general.plea.stage.")]
    ordered.append(target(POINT_SHARE, None, False, interval=True))
    return [t for t in ordered if t is not None]


def position_parameters() -> dict[str, list[str]]:
    """Charge name → the starting-point position parameters of its crime file."""
    from leniency.law.loader import load_rulebook

    book = load_rulebook()
    result: dict[str, list[str]] = {}
    for charge, crime in book.crimes.items():
        prefix = f"{crime.id}.starting_point.position"
        ids = [
            pid
            for pid, p in book.parameters.items()
            if p.calibrated and (pid == prefix or pid.startswith(prefix + "."))
        ]
        if ids:
            result[charge] = sorted(ids)
    return result


def _grid(bounds: tuple[float, float]) -> list[float]:
    low, high = bounds
    return [round(low + i * (high - low) / (GRID_STEPS - 1), 4) for i in range(GRID_STEPS)]


def _term_error(gold: GoldCase, sentence) -> float:
    if sentence.type in ("life", "death") or not gold.is_term:
        return 0.0 if sentence.type == gold.type else math.log1p(180)
    months = 0 if sentence.type in ("exempt", "fine_only") else sentence.months
    return abs(math.log1p(gold.term) - math.log1p(months))


def _interval_error(gold: GoldCase, sentence) -> float:
    from leniency.judgments.evaluation.metrics import Predicted, winkler_s

    predicted = Predicted.from_sentence({"type": sentence.type, "months": sentence.months, "range": sentence.range})
    return 1.0 - winkler_s(gold, predicted)


@dataclass
class _Case:
    gold: GoldCase
    facts: Any  # parsed `Facts`
    province: str | None


class _Fitter:
    """The state of one calibration run: the defendants, the values in force, and the objective."""

    def __init__(self, cases: list[_Case], baseline: CalibratedParams, book) -> None:
        self.cases = cases
        self.book = book
        self.national = dict(baseline.national)
        self.start = dict(baseline.national)
        self.base_provinces = {k: dict(v) for k, v in baseline.provinces.items()}
        self.fitted_provinces: dict[str, dict[str, float]] = defaultdict(dict)
        self.orderings = orderings(book)

    def value(self, pid: str, province: str | None = None) -> float:
        if province and pid in self.fitted_provinces.get(province, {}):
            return self.fitted_provinces[province][pid]
        if province and pid in self.base_provinces.get(province, {}):
            return self.base_provinces[province][pid]
        return float(self.national.get(pid, self.book.parameters[pid].default))

    def params_for(
        self, index: int, override: Mapping[str, float] | None = None, national: bool = False
    ) -> dict[str, float]:
        """The values for one defendant; a ``national`` override yields to the values of the defendant's province."""
        province = self.cases[index].province
        params = dict(self.national)
        if override and national:
            params.update(override)
        if province:
            params.update(self.base_provinces.get(province, {}))
            params.update(self.fitted_provinces.get(province, {}))
        if override and not national:
            params.update(override)
        return params

    def allowed(self, pid: str) -> tuple[float, float]:
        """The interval the rule data's orderings leave this value, given the current values of its neighbours."""
        lowest, highest = -math.inf, math.inf
        for sequence in self.orderings:
            if pid in sequence:
                i = sequence.index(pid)
                if i > 0:
                    lowest = max(lowest, self.value(sequence[i - 1]))
                if i + 1 < len(sequence):
                    highest = min(highest, self.value(sequence[i + 1]))
        return lowest, highest

    def sentence(self, index: int, override: Mapping[str, float] | None = None, national: bool = False):
        from leniency.sentencing import recommend

        params = self.params_for(index, override, national)
        try:
            return recommend(self.cases[index].facts, params=params or None).sentence
        except ValueError:
            return None

    def objective(
        self, target: Target, indices: Sequence[int], override: Mapping[str, float], national: bool = False
    ) -> float:
        error = _interval_error if target.interval else _term_error
        total, n = 0.0, 0
        for index in indices:
            sentence = self.sentence(index, override, national)
            if sentence is None:
                continue
            total += error(self.cases[index].gold, sentence)
            n += 1
        return total / n if n else math.inf

    def affected(self, target: Target, candidates: Sequence[int], limit: int, national: bool) -> list[int]:
        """The candidates whose result differs between the parameter's two bounds (at most ``limit``)."""
        low, high = target.bounds
        found: list[int] = []
        for index in candidates:
            a = self.sentence(index, {target.id: low}, national)
            b = self.sentence(index, {target.id: high}, national)
            if a is None or b is None:
                continue
            if target.interval:
                changed = tuple(a.range) != tuple(b.range)
            else:
                changed = (a.type, a.months) != (b.type, b.months)
            if changed:
                found.append(index)
                if len(found) >= limit:
                    break
        return found

    def grid_search(
        self,
        target: Target,
        indices: Sequence[int],
        current: float,
        national: bool,
        local: bool = False,
        fallback: float | None = None,
    ) -> float:
        """The best grid value on the defendants ``indices``; ties keep ``current``.

        ``local`` (the later passes) tries only the grid values within `LOCAL_STEPS` steps of ``current``, plus
        ``fallback`` (the value before calibration): a value fitted while the others were still moving can go back.
        """
        step = (target.bounds[1] - target.bounds[0]) / (GRID_STEPS - 1)
        values = [v for v in _grid(target.bounds) if not local or abs(v - current) <= LOCAL_STEPS * step + 1e-9]
        if local and fallback is not None and fallback not in values:
            values.append(fallback)
        if target.integer:
            values = sorted({float(math.ceil(v - 1e-9)) for v in values})
        lowest, highest = self.allowed(target.id)
        values = [v for v in values if lowest - 1e-9 <= v <= highest + 1e-9]
        best_error, best = self.objective(target, indices, {target.id: current}, national), current
        for value in values:
            if value == current:
                continue
            error = self.objective(target, indices, {target.id: value}, national)
            if error < best_error - 1e-9:
                best_error, best = error, value
        return best


def _prepare(
    cases: Sequence[GoldCase],
    facts_of: Callable[[GoldCase], Mapping[str, Any]],
    province_of: Callable[[GoldCase], str | None] | None,
) -> list[_Case]:
    """The defendants with a known sentence and valid facts, in the order of a hash of their id."""
    from leniency.sentencing.facts import parse_facts

    out: list[_Case] = []
    for case in sorted(cases, key=lambda c: (hashlib.sha256(c.id.encode()).hexdigest(), c.id)):
        if case.type == "unknown" and not case.months:
            continue
        try:
            facts = parse_facts(dict(facts_of(case)))
        except ValueError:
            continue
        out.append(_Case(case, facts, province_of(case) if province_of else None))
    return out


def _candidates(target: Target, index: Mapping[str, list[int]]) -> list[int]:
    """Defendants whose baseline trace cites the parameter (a position or a life/death threshold: any rule of its
    crime, since a threshold not yet reached leaves no step of its own)."""
    pid = target.id
    found: set[int] = set()
    for rule_id, members in index.items():
        if rule_id == pid or pid.startswith(rule_id + "."):
            found.update(members)
        elif (target.position or target.heavier) and rule_id.startswith(f"{target.crime}."):
            found.update(members)
    return sorted(found)


def calibrate(
    cases: Sequence[GoldCase],
    facts_of: Callable[[GoldCase], Mapping[str, Any]],
    province_of: Callable[[GoldCase], str | None] | None = None,
    progress: Callable[[str], None] | None = None,
    source: str = "",
) -> Calibration:
    """Fit on the given (training) defendants; ``facts_of`` returns the extracted facts of a case."""
    from leniency.law.loader import load_rulebook
    from leniency.sentencing import recommend

    book = load_rulebook()
    baseline = baseline_params()
    result = Calibration(date=dt.date.today().isoformat(), source=source, baseline=baseline)
    fitter = _Fitter(_prepare(cases, facts_of, province_of), baseline, book)
    say = progress or (lambda message: None)

    # Which rules each defendant's recommendation uses at the starting values.
    index: dict[str, list[int]] = defaultdict(list)
    for i in range(len(fitter.cases)):
        try:
            trace = recommend(fitter.cases[i].facts, params=fitter.params_for(i) or None).trace
        except ValueError:
            continue
        for rule_id in sorted({step.rule_id for step in trace}):
            index[rule_id].append(i)

    targets = fitted_parameters(book)
    national_sets: dict[str, list[int]] = {}
    province_sets: dict[tuple[str, str], list[int]] = {}
    for target in targets:
        candidates = _candidates(target, index)
        minimum = MIN_HEAVIER if target.heavier else MIN_CASES
        if len(candidates) < minimum:
            continue
        chosen = fitter.affected(target, candidates, MAX_CASES, national=True)
        if len(chosen) >= minimum:
            national_sets[target.id] = chosen
        if not (target.provincial and province_of):
            continue
        by_province: dict[str, list[int]] = defaultdict(list)
        for i in candidates:
            if fitter.cases[i].province:
                by_province[fitter.cases[i].province].append(i)
        for province, members in sorted(by_province.items()):
            if len(members) >= MIN_PROVINCE:
                chosen = fitter.affected(target, members, MAX_CASES, national=False)
                if len(chosen) >= MIN_PROVINCE:
                    province_sets[(target.id, province)] = chosen
    say(f"校准：{len(fitter.cases)} 名被告人，全国 {len(national_sets)} 个参数，省级 {len(province_sets)} 个取值")

    national_targets = [t for t in targets if t.id in national_sets]
    reach = {t.id: set(_candidates(t, index)) for t in national_targets}
    moves: list[tuple[int, str]] = []  # (tick, parameter) of every value change
    last_fit: dict[str, int] = {}
    tick = 0
    for round_ in range(PASSES):
        moved = 0
        for target in national_targets:
            members = national_sets[target.id]
            if round_ and not any(
                when > last_fit[target.id] and pid != target.id and not reach[pid].isdisjoint(members)
                for when, pid in moves
            ):
                continue  # nothing that changes its defendants' results moved since it was fitted
            tick += 1
            last_fit[target.id] = tick
            current = fitter.value(target.id)
            start = float(fitter.start.get(target.id, book.parameters[target.id].default))
            best = fitter.grid_search(target, members, current, national=True, local=round_ > 0, fallback=start)
            if best != current:
                fitter.national[target.id] = best
                moves.append((tick, target.id))
                moved += 1
        say(f"全国第 {round_ + 1} 轮：{moved} 个参数取值改变")
        if not moved:
            break
    by_target = {t.id: t for t in targets}
    order = {t.id: i for i, t in enumerate(targets)}
    for round_ in range(PASSES):
        moved = 0
        for (pid, province), members in sorted(province_sets.items(), key=lambda item: (item[0][1], order[item[0][0]])):
            current = fitter.value(pid, province)
            best = fitter.grid_search(
                by_target[pid], members, current, national=False, local=round_ > 0, fallback=fitter.value(pid)
            )
            if best != current:
                fitter.fitted_provinces[province][pid] = best
                moved += 1
        if province_sets:
            say(f"省级第 {round_ + 1} 轮：{moved} 个取值改变")
        if not moved:
            break

    # Provenance: each value's objective on its defendants, and the same with the value before calibration.
    for target in national_targets:
        members = national_sets[target.id]
        value = fitter.value(target.id)
        start = float(fitter.start.get(target.id, book.parameters[target.id].default))
        error = fitter.objective(target, members, {})
        default_error = fitter.objective(target, members, {target.id: start}, national=True)
        ids = tuple(fitter.cases[i].gold.id for i in members)
        result.fits.append(
            Fit(target.id, value, start, len(members), round(error, 4), round(default_error, 4), None, ids)
        )
    for (pid, province), members in sorted(province_sets.items()):
        value = fitter.fitted_provinces.get(province, {}).get(pid)
        national = fitter.value(pid)
        if value is None or value == national or pid not in national_sets:
            continue
        error = fitter.objective(by_target[pid], members, {})
        default_error = fitter.objective(by_target[pid], members, {pid: national})
        ids = tuple(fitter.cases[i].gold.id for i in members)
        result.fits.append(
            Fit(pid, value, national, len(members), round(error, 4), round(default_error, 4), province, ids)
        )
    return result


# ------------------------------------------------------------------------------------------- writing rule data
def write_calibration(calibration: Calibration, data_dir: Path | None = None) -> list[Path]:
    """Write the fitted values into the rule YAML files with their provenance (see `leniency.law.writer`).

    Only the lines of the fitted parameters change; parameters calibrated earlier and not fitted now go back to
    their pre-calibration value. Everything is validated before any file is replaced, and files are replaced
    atomically, all or none. Returns the changed files.
    """
    from leniency.law.loader import DATA_DIR
    from leniency.law.writer import FittedValue, Provenance, write_fitted_values

    fits = [FittedValue(f.parameter, f.value, f.n, f.error, f.default_error, f.province) for f in calibration.fits]
    provenance = Provenance(dt.date.fromisoformat(calibration.date), calibration.source, METHOD_ID)
    return write_fitted_values(fits, provenance, Path(data_dir or DATA_DIR))
