"""Loading the procedural data file (``data/procedure.yaml``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA_FILE = Path(__file__).resolve().parent / "data" / "procedure.yaml"


class ProcedureRules:
    """Read-only access to the procedural data, failing loudly when a key is missing."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    @property
    def edition(self) -> str:
        return str(self.data["edition"])

    def section(self, *keys: str) -> Any:
        node: Any = self.data
        for key in keys:
            if not isinstance(node, dict) or key not in node:
                raise KeyError(f"程序规则数据缺少项目：{'.'.join(keys)}")
            node = node[key]
        return node

    def exclusions(self, procedure: str) -> list[dict[str, str]]:
        return list(self.section(procedure, "exclusions"))

    def power_list(self, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
        merged = dict(self.section("power_list"))
        for key, value in (overrides or {}).items():
            if key not in merged:
                raise KeyError(f"权力清单没有此项：{key}")
            merged[key] = value
        return merged

    def no_counsel_grounds(self) -> dict[str, dict[str, str]]:
        return {g["id"]: g for g in self.section("plea_agreement", "no_counsel_grounds")}


@lru_cache(maxsize=4)
def _load(path: str) -> ProcedureRules:
    with open(path, encoding="utf-8") as handle:
        return ProcedureRules(yaml.safe_load(handle))


def load_rules(path: Path | None = None) -> ProcedureRules:
    return _load(str(path or DATA_FILE))
