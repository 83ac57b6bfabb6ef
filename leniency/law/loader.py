"""Load the rule data files of `leniency/law/data` (parsed once per process, then cached)."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from leniency.law.parameters import DatedValues, Parameter, _as_date

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
DATA_DIR = Path(__file__).resolve().parent / "data"


class RuleDataError(ValueError):
    """A rule data file is missing, unreadable or breaks the schema (message in Chinese)."""


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        with path.open(encoding="utf-8") as handle:
            data = yaml.load(handle, Loader=_Loader)  # a safe loader (the C one when available)
    except yaml.YAMLError as exc:
        raise RuleDataError(f"{path.name}：YAML 格式错误：{exc}") from None
    except ValueError as exc:  # a date-like key or value that is no date, e.g. 2021-13-01
        raise RuleDataError(f"{path.name}：日期无效：{exc}") from None
    except OSError as exc:
        raise RuleDataError(f"{path.name}：无法读取：{exc}") from None
    if not isinstance(data, dict):
        raise RuleDataError(f"{path.name}：文件内容应为映射（键: 值）")
    return data


def _parameter(pid: str, raw: dict[str, Any]) -> Parameter:
    overlays = {str(k): DatedValues.from_mapping(v) for k, v in (raw.get("overlays") or {}).items()}
    bounds = raw.get("bounds")
    national = raw.get("national_range")
    return Parameter(
        id=pid,
        label=str(raw.get("label", "")),
        unit=str(raw.get("unit", "")),
        reference=str(raw.get("reference", "")),
        values=DatedValues.from_mapping(raw.get("values") or {}),
        calibrated=bool(raw.get("calibrated", False)),
        bounds=(float(bounds[0]), float(bounds[1])) if bounds else None,
        overlays=overlays,
        national_range=(float(national[0]), float(national[1])) if national else None,
        unverified=bool(raw.get("unverified", False)),
        note=raw.get("note"),
    )


@dataclass
class CrimeRules:
    """The rules of one crime: parameters (by global id) plus the structure the engine interprets."""

    id: str
    charge: str
    guideline: bool
    raw: dict[str, Any]
    parameters: dict[str, Parameter]
    path: Path | None = None
    # The first day the crime's own rules apply (a guideline that starts later than the 2021 one, e.g.
    # 法〔2024〕132号 from 2024-07-01); before it the charge is sentenced by its statutory.yaml entry.
    effective: dt.date | None = None

    def param(self, local_id: str) -> Parameter:
        return self.parameters[f"{self.id}.{local_id}"]

    def in_force(self, day: dt.date) -> bool:
        return self.effective is None or day >= self.effective


@dataclass
class RuleBook:
    general: dict[str, Any]
    parameters: dict[str, Parameter]
    crimes: dict[str, CrimeRules]  # by charge name
    statutory: dict[str, dict[str, Any]]  # charge -> raw statutory entry (outside the 23 crimes)
    statutory_meta: dict[str, Any]
    aliases: dict[str, str]
    provinces: dict[str, str]  # GB code -> full name
    localities: dict[str, dict[str, Any]]
    breakpoints: tuple[dt.date, ...] = field(default=())
    calibration: dict[str, dict[str, Any]] = field(default_factory=dict)  # parameter id -> provenance block

    def pre_calibration(self) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
        """The values in force before calibration wrote fitted ones: (national, by province) overrides by id.

        Fitting starts from these, so that a value once fitted on all judgments never feeds a fit on part of
        them (cross-validation folds). Overlays that calibration added are masked by the national override;
        overlays it replaced come back with their earlier value; other overlays keep their own value.
        """
        national: dict[str, float] = {}
        provinces: dict[str, dict[str, float]] = {}
        for pid, record in sorted(self.calibration.items()):
            national[pid] = record["previous"]
            parameter = self.parameters[pid]
            fitted = record.get("provinces") or {}
            for region, overlay in parameter.overlays.items():
                if region not in fitted:
                    provinces.setdefault(region, {})[pid] = overlay.values[-1]
                elif "previous" in (fitted[region] or {}):
                    provinces.setdefault(region, {})[pid] = fitted[region]["previous"]
        return national, provinces

    def pre_calibration_for(self, province: str | None) -> dict[str, float]:
        """`pre_calibration` merged for one defendant: the national values, then those of the province."""
        national, provinces = self.pre_calibration()
        merged = dict(national)
        if province:
            try:
                merged.update(provinces.get(self.province(str(province)) or "", {}))
            except Exception:  # an unreadable province means national values
                pass
        return merged

    def guideline_crime(self, charge: str, day: dt.date) -> CrimeRules | None:
        """The crime file's rules for a canonical charge on a day, or None when the statutory range applies.

        A crime file with an `effective` date supersedes the charge's statutory.yaml entry only from that date
        (`leniency rules check` requires the entry, so that earlier cases keep the statute-only computation).
        """
        rules = self.crimes.get(charge)
        if rules is None or not rules.in_force(day):
            return None
        return rules

    def canonical_charge(self, charge: str) -> str | None:
        name = charge.strip()
        if not name.endswith("罪"):
            name += "罪"
        name = self.aliases.get(name, name)
        if name in self.crimes or name in self.statutory:
            return name
        return None

    def known_charges(self) -> list[str]:
        return sorted(set(self.crimes) | set(self.statutory))

    def general_param(self, local_id: str) -> Parameter:
        return self.parameters[f"general.{local_id}"]

    def edition(self, day: dt.date) -> dict[str, Any]:
        editions = sorted(self.general.get("editions", []), key=lambda e: str(e["effective"]))
        current = editions[0]
        for edition in editions:
            if _as_date(edition["effective"]) <= day:
                current = edition
        return current

    def province(self, text: str) -> str | None:
        value = text.strip()
        if not value:
            return None
        if value[:2].isdigit():
            return self.provinces.get(value[:2])
        for name in self.provinces.values():
            if name == value or name.startswith(value) or value.startswith(name):
                return name
        return None

    def regions(self, province: str | None, locality: str | None) -> tuple[str, ...]:
        """Overlay keys to try, most specific first (e.g. 广东省/一类, 广东省)."""
        if not province:
            return ()
        keys = [province]
        classes = self.localities.get(province)
        if classes:
            chosen = classes.get("default")
            for cls, places in classes.items():
                if cls != "default" and locality and any(place in locality for place in places):
                    chosen = cls
                    break
            if chosen:
                keys.insert(0, f"{province}/{chosen}")
        return tuple(keys)


def _collect_calibration(prefix: str, raw: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The ``calibration`` provenance blocks by parameter id (checked by `leniency rules check`)."""
    out = {}
    for local_id, spec in (raw.get("parameters") or {}).items():
        record = spec.get("calibration") if isinstance(spec, dict) else None
        if isinstance(record, dict) and "previous" in record:
            out[f"{prefix}.{local_id}"] = record
    return out


def _collect_parameters(prefix: str, raw: dict[str, Any], path: Path) -> dict[str, Parameter]:
    params = raw.get("parameters") or {}
    if not isinstance(params, dict):
        raise RuleDataError(f"{path.name}：parameters 应为映射")
    out = {}
    for local_id, spec in params.items():
        if not isinstance(spec, dict):
            raise RuleDataError(f"{path.name}：参数 {local_id} 应为映射")
        try:
            out[f"{prefix}.{local_id}"] = _parameter(f"{prefix}.{local_id}", spec)
        except (TypeError, ValueError) as exc:
            raise RuleDataError(f"{path.name}：参数 {local_id} 的日期或取值无效：{exc}") from None
    return out


def read_rulebook(data_dir: Path = DATA_DIR) -> RuleBook:
    """Parse every rule file (no caching; `load_rulebook` caches)."""
    general_path = data_dir / "general.yaml"
    general = _read_yaml(general_path)
    parameters = _collect_parameters("general", general, general_path)
    calibration = _collect_calibration("general", general)
    crimes: dict[str, CrimeRules] = {}
    for path in sorted((data_dir / "crimes").glob("*.yaml")):
        raw = _read_yaml(path)
        cid = str(raw.get("id") or path.stem)
        charge = raw.get("charge")
        if not charge:
            raise RuleDataError(f"{path.name}：缺少 charge（罪名）")
        params = _collect_parameters(cid, raw, path)
        parameters.update(params)
        calibration.update(_collect_calibration(cid, raw))
        try:
            effective = _as_date(raw["effective"]) if raw.get("effective") else None
        except (TypeError, ValueError):
            raise RuleDataError(f"{path.name}：effective（施行日期）“{raw.get('effective')}”不是有效日期") from None
        crimes[charge] = CrimeRules(cid, charge, bool(raw.get("guideline", True)), raw, params, path, effective)
    statutory_path = data_dir / "statutory.yaml"
    statutory_meta = _read_yaml(statutory_path) if statutory_path.exists() else {"crimes": []}
    statutory = {str(entry["charge"]): entry for entry in statutory_meta.get("crimes") or []}
    dates = {rules.effective for rules in crimes.values() if rules.effective}
    for parameter in parameters.values():
        dates.update(parameter.values.dates)
        for overlay in parameter.overlays.values():
            dates.update(overlay.dates)
    return RuleBook(
        general=general,
        parameters=parameters,
        crimes=crimes,
        statutory=statutory,
        statutory_meta=statutory_meta,
        aliases=dict(general.get("aliases") or {}),
        provinces={str(k): str(v) for k, v in (general.get("provinces") or {}).items()},
        localities=dict(general.get("localities") or {}),
        breakpoints=tuple(sorted(dates)),
        calibration=calibration,
    )


@functools.cache
def load_rulebook() -> RuleBook:
    """The shipped rule data, parsed once per process."""
    return read_rulebook(DATA_DIR)


def calibrated_parameters() -> list[dict[str, Any]]:
    """Every parameter the text leaves open (to be fitted on judgments): id, default, bounds, label, unit, reference."""
    book = load_rulebook()
    return [
        {
            "id": p.id,
            "default": p.default,
            "bounds": p.bounds,
            "label": p.label,
            "unit": p.unit,
            "reference": p.reference,
        }
        for p in sorted(book.parameters.values(), key=lambda p: p.id)
        if p.calibrated
    ]
