"""Fitting the engine's `calibrated` parameters on real judgments, and writing them into the rule data.

What is fitted: the position inside each crime's starting-point range (``<crime>.starting_point.position*``),
the position inside the 刑法第69条 span for several charges (``general.combined.position``) and the point
inside the 指导意见以外罪名 statutory range (``general.outside.starting_point_position``) — nationally, and per
province where at least ``min_province`` defendants allow it. Each value is chosen on a fixed grid inside the
bounds the rule data give, minimising the mean absolute log error |ln(y+1) − ln(ŷ+1)| of the engine on the
training defendants (the quantity the CAIL2018 score steps on). Deterministic: same data, same numbers.
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

import yaml

from leniency.judgments.evaluation.gold import GoldCase
from leniency.judgments.predict import CalibratedParams

GRID_STEPS = 11
MAX_CASES = 400
MIN_CASES = 30
MIN_PROVINCE = 80


@dataclass
class Fit:
    """One fitted value with its provenance."""

    parameter: str
    value: float
    default: float
    n: int
    error: float  # mean |ln(y+1) − ln(ŷ+1)| at the fitted value
    default_error: float
    province: str | None = None


@dataclass
class Calibration:
    fits: list[Fit] = field(default_factory=list)
    date: str = ""
    source: str = ""

    def params(self) -> CalibratedParams:
        result = CalibratedParams()
        for fit in self.fits:
            if fit.province:
                result.provinces.setdefault(fit.province, {})[fit.parameter] = fit.value
            else:
                result.national[fit.parameter] = fit.value
        return result


def _stable_order(cases: Sequence[GoldCase]) -> list[GoldCase]:
    return sorted(cases, key=lambda c: hashlib.sha256(c.id.encode()).hexdigest())


def _grid(bounds: tuple[float, float]) -> list[float]:
    low, high = bounds
    return [round(low + i * (high - low) / (GRID_STEPS - 1), 4) for i in range(GRID_STEPS)]


def _term_error(gold: GoldCase, sentence) -> float:
    if sentence.type in ("life", "death") or not gold.is_term:
        return 0.0 if sentence.type == gold.type else math.log1p(180)
    months = 0 if sentence.type in ("exempt", "fine_only") else sentence.months
    return abs(math.log1p(gold.term) - math.log1p(months))


def _mean_error(cases, facts_of, params: dict[str, float]) -> tuple[float, int]:
    from leniency.sentencing import recommend

    total, n = 0.0, 0
    for case in cases:
        try:
            rec = recommend(facts_of(case), params=params or None)
        except ValueError:
            continue
        total += _term_error(case, rec.sentence)
        n += 1
    return (total / n if n else math.inf), n


def _fit_one(pid: str, cases, facts_of, base: dict[str, float], province: str | None) -> Fit | None:
    from leniency.law.loader import load_rulebook

    parameter = load_rulebook().parameters[pid]
    bounds = parameter.bounds or (0.0, 1.0)
    cases = _stable_order(cases)[:MAX_CASES]
    default_error, n = _mean_error(cases, facts_of, base)
    if n < (MIN_PROVINCE if province else MIN_CASES):
        return None
    best = (default_error, float(base.get(pid, parameter.default)))
    for value in _grid(bounds):
        error, _ = _mean_error(cases, facts_of, {**base, pid: value})
        if error < best[0] - 1e-9:
            best = (error, value)
    return Fit(pid, best[1], float(parameter.default), n, round(best[0], 4), round(default_error, 4), province)


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


def calibrate(
    cases: Sequence[GoldCase],
    facts_of: Callable[[GoldCase], Mapping[str, Any]],
    province_of: Callable[[GoldCase], str | None] | None = None,
    progress: Callable[[str], None] | None = None,
    source: str = "",
) -> Calibration:
    """Fit on the given (training) defendants; ``facts_of`` returns the extracted facts of a case."""
    from leniency.law.loader import load_rulebook

    book = load_rulebook()
    result = Calibration(date=dt.date.today().isoformat(), source=source)
    single: dict[str, list[GoldCase]] = defaultdict(list)
    multi: list[GoldCase] = []
    outside: list[GoldCase] = []
    for case in cases:
        if case.type == "unknown" and not case.months:
            continue
        names = [book.canonical_charge(c) for c in case.charges]
        if len(case.charges) == 1 and names[0]:
            if names[0] in book.crimes:
                single[names[0]].append(case)
            else:
                outside.append(case)
        elif len(case.charges) > 1:
            multi.append(case)
    national: dict[str, float] = {}
    for charge, ids in sorted(position_parameters().items()):
        for pid in ids:
            if progress:
                progress(f"校准 {pid}（{charge}，{len(single.get(charge, []))} 名被告人）")
            fit = _fit_one(pid, single.get(charge, []), facts_of, {}, None)
            if fit is None:
                continue
            result.fits.append(fit)
            national[pid] = fit.value
            if province_of is None:
                continue
            by_province: dict[str, list[GoldCase]] = defaultdict(list)
            for case in single.get(charge, []):
                province = province_of(case)
                if province:
                    by_province[province].append(case)
            for province, group in sorted(by_province.items()):
                if len(group) >= MIN_PROVINCE:
                    fit_p = _fit_one(pid, group, facts_of, {pid: fit.value}, province)
                    if fit_p is not None and fit_p.value != fit.value:
                        result.fits.append(fit_p)
    for pid, group in (("general.outside.starting_point_position", outside), ("general.combined.position", multi)):
        if pid in book.parameters and book.parameters[pid].calibrated:
            if progress:
                progress(f"校准 {pid}（{len(group)} 名被告人）")
            fit = _fit_one(pid, group, facts_of, dict(national), None)
            if fit is not None:
                result.fits.append(fit)
    return result


# ------------------------------------------------------------------------------------------- writing rule data
def write_calibration(calibration: Calibration, data_dir: Path | None = None) -> list[Path]:
    """Write fitted values into the rule YAML files, each with its provenance under ``calibration``.

    The fitted value replaces the value in force (the latest dated entry) so the engine's loader reads it as
    usual; per-province values go to ``overlays`` (which the loader already resolves by province); the
    previous value, n, fit error and date are kept in ``calibration``. Files are replaced atomically.
    """
    from leniency.law.loader import DATA_DIR

    data_dir = Path(data_dir or DATA_DIR)
    paths = {"general": data_dir / "general.yaml"}
    for path in sorted((data_dir / "crimes").glob("*.yaml")):
        with path.open(encoding="utf-8") as handle:
            raw = yaml.safe_load(handle) or {}
        paths[str(raw.get("id") or path.stem)] = path
    by_file: dict[Path, list[Fit]] = defaultdict(list)
    for fit in calibration.fits:
        prefix, local = fit.parameter.split(".", 1)
        if prefix not in paths:
            raise ValueError(f"参数 {fit.parameter} 找不到对应的规则文件")
        by_file[paths[prefix]].append(fit)
    written = []
    for path, fits in sorted(by_file.items()):
        text = path.read_text(encoding="utf-8")
        header = "".join(line + "\n" for line in text.splitlines() if line.startswith("#"))
        raw = yaml.safe_load(text)
        for fit in fits:
            local = fit.parameter.split(".", 1)[1]
            spec = raw["parameters"][local]
            record = spec.setdefault("calibration", {})
            record.update(
                {"date": calibration.date, "source": calibration.source, "method": "网格搜索，最小化平均绝对对数误差"}
            )
            if fit.province is None:
                latest = max(spec["values"], key=lambda d: str(d))
                record.setdefault("previous", spec["values"][latest])
                spec["values"][latest] = fit.value
                record.update({"n": fit.n, "error": fit.error, "default_error": fit.default_error})
            else:
                latest = max(spec["values"], key=lambda d: str(d))
                spec.setdefault("overlays", {})[fit.province] = {latest: fit.value}
                record.setdefault("provinces", {})[fit.province] = {"n": fit.n, "error": fit.error}
        tmp = path.with_suffix(".yaml.tmp")
        tmp.write_text(header + yaml.safe_dump(raw, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
        tmp.replace(path)
        written.append(path)
    return written
