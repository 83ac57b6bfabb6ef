"""Shape the flat extracted fields into the engine's `Facts` dict (see leniency/sentencing/facts.py)."""

from __future__ import annotations

from typing import Any

from leniency.extraction.model import Extraction

_INJURY = {
    "slight": "slight_injury",
    "minor": "minor_injury",
    "minor_2": "minor_injury_2",
    "minor_1": "minor_injury_1",
    "serious": "serious_injury",
    "serious_2": "serious_injury_2",
    "serious_1": "serious_injury_1",
}
# Drugs the engine knows by name; others would need a heroin equivalent the text does not give.
DRUG_CODES = _DRUG = {
    "海洛因": "heroin",
    "甲基苯丙胺": "methamphetamine",
    "甲基苯丙胺片剂": "methamphetamine",
    "鸦片": "opium",
    "可卡因": "cocaine",
    "MDMA": "mdma",
    "吗啡": "morphine",
    "芬太尼": "fentanyl",
    "甲卡西酮": "methcathinone",
    "氯胺酮": "ketamine",
    "美沙酮": "methadone",
    "曲马多": "tramadol",
    "大麻": "cannabis_leaf",
    "大麻油": "cannabis_oil",
    "大麻脂": "cannabis_resin",
    "罂粟壳": "poppy_shell",
}
_SITUATIONS = {
    "burglary": "burglary",
    "armed": "carrying_weapon",
    "pickpocketing": "pickpocketing",
}
_DD_SITUATIONS = {
    "dd_no_license": "dd_no_licence",
    "dd_highway": "dd_expressway",
    "dd_evaded_check": "dd_evading_check",
}


def _charge_value(fields: dict[str, Any], charge: str, name: str) -> Any:
    return fields.get(f"{charge}:{name}")


def build_facts(ex: Extraction) -> dict[str, Any]:
    f = ex.fields
    charges = []
    for charge in ex.charges or ["未知罪名"]:
        cf: dict[str, Any] = {"charge": charge}

        def get(name: str, _c: str = charge) -> Any:
            return _charge_value(f, _c, name)

        if get("amount") is not None:
            cf["amount"] = float(get("amount"))
        if get("acts") is not None:
            cf["acts"] = int(get("acts"))
        injuries = get("injury_list") or ([get("injury")] if get("injury") else [])
        if injuries:
            cf["injuries"] = [_INJURY[g] for g in injuries if g in _INJURY]
        if get("deaths"):
            cf["deaths"] = int(get("deaths"))
        if get("disability_grade"):
            cf["disability_grade"] = int(get("disability_grade"))
        drugs = get("drug_list") or []
        cf_drugs = [
            {"type": _DRUG[kind], "grams": float(grams)} for kind, grams in drugs if kind in _DRUG and grams is not None
        ]
        if cf_drugs:
            cf["drugs"] = cf_drugs
        if get("blood_alcohol") is not None:
            cf["blood_alcohol"] = float(get("blood_alcohol"))
            if cf["blood_alcohol"] >= 80:
                cf["driving_conduct"] = "drunk"
        if get("responsibility"):
            cf["accident_responsibility"] = get("responsibility")
        situations = [v for k, v in _SITUATIONS.items() if get(k)]
        if charge == "抢劫罪" and get("burglary"):
            situations = [s for s in situations if s != "burglary"] + ["home_invasion"]
        if charge == "危险驾驶罪":
            situations += [v for k, v in _DD_SITUATIONS.items() if get(k)]
            if get("dd_accident") and get("dd_fled"):
                situations.append("dd_fled")
            if get("dd_accident") and get("responsibility") in ("full", "main"):
                situations.append("dd_accident_main_responsibility")
        if charge == "交通肇事罪" and get("fled"):
            situations.append("fled")
        if charge == "走私、贩卖、运输、制造毒品罪" and f.get("drug_recidivism"):
            situations.append("drug_recidivism")
        if situations:
            cf["situations"] = sorted(set(situations))
        charges.append(cf)

    circ: dict[str, Any] = {}
    if f.get("surrender"):
        circ["surrender"] = True
    if f.get("confession"):
        circ["confession"] = {"unknown_same_crime": "undiscovered_similar"}.get(
            f.get("confession_kind", "ordinary"), f.get("confession_kind", "ordinary")
        )
    if f.get("in_court_admission"):
        circ["in_court_admission"] = True
    if f.get("meritorious_service"):
        circ["meritorious_service"] = f["meritorious_service"]
    if f.get("restitution"):
        circ["restitution"] = True
        if f.get("restitution_share") is not None:
            circ["restitution_ratio"] = float(f["restitution_share"])
    comp, forg = bool(f.get("compensation")), bool(f.get("forgiveness"))
    if comp or forg:
        circ["compensation"] = "compensated_forgiven" if comp and forg else "compensated" if comp else "forgiven"
    if f.get("reconciliation"):
        circ["reconciliation"] = True
    if f.get("recidivism"):
        circ["recidivism"] = True
    elif f.get("prior_record"):
        circ["prior_record"] = True

    facts: dict[str, Any] = {"defendant": ex.defendant or None, "charges": charges, "circumstances": circ}
    for name in ("province", "locality", "decision_date", "offence_date", "age_at_offence", "role"):
        if f.get(name) is not None:
            facts[name] = f[name]
    if f.get("completion"):
        facts["completion"] = f["completion"]
    if f.get("plea"):
        facts["plea"] = True
        facts["plea_stage"] = f.get("plea_stage", "prosecution_review")
    if facts.get("offence_date") and facts.get("decision_date") and facts["offence_date"] > facts["decision_date"]:
        del facts["decision_date"]
    return facts
