"""Dependencies point inward only: web → supervision → cases → audit/accounts → core, never back.

Every module under ``leniency/`` is parsed with ``ast``; imports inside functions count as much as those at
the top (a lazy import is still a dependency), and so do dotted module paths written as strings
(``import_module("leniency.web…")``, ``"leniency.supervision.api:router"``).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "leniency"

CORE = ("law", "sentencing", "extraction", "procedure", "judgments")
DJANGO_APPS = ("accounts", "audit", "cases", "documents", "supervision", "corpus", "web")
# Modules of these packages may import web: the settings list it, the CLI serves it.
WEB_CLIENTS = ("web", "config", "cli")
# Supervisors watch cases: only the layer above (web, settings, CLI) may import supervision.
SUPERVISION_CLIENTS = ("supervision", *WEB_CLIENTS)

_MODULE_STRING = re.compile(r"leniency(\.[A-Za-z_]\w*)+(:[A-Za-z_]\w*)?")


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, e.g. leniency.cases.services
    target: str  # what it imports, e.g. leniency.supervision.models
    line: int

    def __str__(self) -> str:
        return f"{self.module}（第 {self.line} 行）导入了 {self.target}"


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(source: str, module: str, is_package: bool = False) -> list[Import]:
    """Every import of the module, wherever it stands (top level, function, class, ``if TYPE_CHECKING``)."""
    package = module if is_package else module.rpartition(".")[0]
    found: list[Import] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [Import(module, alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            # `from leniency import web` imports leniency.web: keep the name so the rules see it.
            found += [Import(module, f"{prefix}.{alias.name}", node.lineno) for alias in node.names]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and _MODULE_STRING.fullmatch(node.value):
            found.append(Import(module, node.value.partition(":")[0], node.lineno))
    return found


def all_imports(root: Path = ROOT) -> list[Import]:
    result: list[Import] = []
    for path in sorted(root.rglob("*.py")):
        result += imports_of(
            path.read_text(encoding="utf-8"), module_name(path, root), is_package=path.name == "__init__.py"
        )
    return result


def _package(dotted: str) -> str | None:
    """The first-level package of leniency a dotted name belongs to (``leniency.cases.api`` → ``cases``)."""
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "leniency" else None


def _is(target: str, names: tuple[str, ...]) -> bool:
    return _package(target) in names


def violations(imports: list[Import]) -> list[str]:
    problems: list[str] = []
    for imp in imports:
        source = _package(imp.module)
        target = imp.target
        top = target.split(".")[0]
        if source in CORE and (top in ("django", "ninja") or _is(target, DJANGO_APPS)):
            problems.append(f"核心包不得依赖 Django：{imp}")
        if source in ("audit", "accounts") and _is(target, ("cases", "supervision", "documents", "corpus", "web")):
            problems.append(f"{source} 位于底层，不得依赖上层应用：{imp}")
        if source == "cases" and _is(target, ("supervision", "web")):
            problems.append(f"cases 不得依赖 supervision 或 web：{imp}")
        if source not in WEB_CLIENTS and _is(target, ("web",)):
            problems.append(f"只有 web、config、cli 可以依赖 web：{imp}")
        if source not in SUPERVISION_CLIENTS and _is(target, ("supervision",)):
            problems.append(f"只有 web、config、cli 可以依赖 supervision：{imp}")
    return problems


def test_scan_sees_the_whole_tree():
    imports = all_imports()
    modules = {imp.module for imp in imports}
    # An empty or partial scan would make the rules pass vacuously.
    for package in CORE + DJANGO_APPS:
        assert any(_package(m) == package for m in modules), f"未扫描到 leniency.{package} 的任何导入"
    assert len(modules) > 100


def test_dependencies_point_inward():
    problems = violations(all_imports())
    assert not problems, "依赖方向错误：\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("leniency.sentencing.engine", "def f():\n    from django.db import models\n", "核心包不得依赖 Django"),
        ("leniency.law.loader", "import leniency.cases.models\n", "核心包不得依赖 Django"),
        ("leniency.cases.services", "def f():\n    from leniency.supervision import services\n", "cases 不得依赖"),
        ("leniency.cases.api", "from ..supervision.models import Approval\n", "cases 不得依赖"),
        ("leniency.audit.trail", "from leniency import cases\n", "audit 位于底层"),
        ("leniency.accounts.api", "from leniency.documents.render import x\n", "accounts 位于底层"),
        ("leniency.corpus.views", "from importlib import import_module\nimport_module('leniency.web.pages')\n", "web"),
        ("leniency.cases.urls", "ROUTES = ['leniency.supervision.api:router']\n", "cases 不得依赖"),
        ("leniency.documents.render", "from leniency.supervision.services import decide\n", "依赖 supervision"),
    ],
)
def test_each_rule_catches_its_violation(module, source, expected):
    problems = violations(imports_of(source, module))
    assert problems and expected in problems[0], problems
    assert module in problems[0]


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("leniency.supervision.services", "from leniency.cases.services import apply_approval\n"),
        ("leniency.cases.services", "from leniency.audit import trail\n"),
        ("leniency.audit.trail", "from leniency.accounts.models import User\n"),
        ("leniency.config.urls", "from leniency.web import views\n"),
        ("leniency.web.api", "ROUTERS = [('/supervision', 'leniency.supervision.api:router')]\n"),
        ("leniency.sentencing.engine", "from leniency.law import load\n"),
        ("leniency.cases.models", '"""See leniency.web.pages for the forms."""\n'),
    ],
)
def test_allowed_directions_pass(module, source):
    assert violations(imports_of(source, module)) == []
