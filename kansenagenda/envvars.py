"""The environment variables the settings read, found in the settings' source code (every ``env(...)``,
``env.bool(...)``, ``env.int(...)`` ... call whose first argument is a literal name). One list, derived, so
it cannot drift: the Kubernetes manifest test checks that ConfigMap or Secret provide each one, and
``scripts/deploy-docs`` writes the table in docs/deploy.md from it (tests/test_deploy_docs.py keeps it current).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

SETTINGS_DIR = Path(__file__).resolve().parent / "settings"
# What a deployment reads: the shared settings and the production overrides (dev and test are not deployed).
DEPLOYED_MODULES = ("base.py", "production.py")
# Variables that are not Django settings but say which settings module loads.
EXTRA = {"DJANGO_SETTINGS_MODULE": "kansenagenda.settings.production"}


@dataclass(frozen=True)
class EnvVar:
    name: str
    cast: str  # str, bool, int, float, list, path, db
    default: str  # as written in the settings ("" when none; "—" when required)
    module: str
    comment: str


def _literal(node: ast.AST | None) -> str:
    if node is None:
        return "—"
    try:
        value = ast.literal_eval(node)
    except ValueError:
        return ast.unparse(node)
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value)
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def _comment(lines: list[str], lineno: int) -> str:
    line = lines[lineno - 1]
    if "#" in line and "noqa" not in line.split("#", 1)[1]:
        return line.split("#", 1)[1].strip()
    above = lines[lineno - 2].strip() if lineno >= 2 else ""
    return above.lstrip("#").strip() if above.startswith("#") else ""


def settings_env_vars(modules: tuple[str, ...] = DEPLOYED_MODULES) -> list[EnvVar]:
    found: dict[str, EnvVar] = {}
    for module in modules:
        path = SETTINGS_DIR / module
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            if isinstance(func, ast.Name) and func.id == "env":
                cast = "str"
            elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "env":
                cast = func.attr
            else:
                continue
            first = node.args[0]
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                continue
            default = next((kw.value for kw in node.keywords if kw.arg == "default"), None)
            var = EnvVar(first.value, cast, _literal(default), module, _comment(lines, node.lineno))
            old = found.get(first.value)
            if old is None:
                found[first.value] = var
            elif module == "production.py":  # production's default is what a deployment gets
                found[first.value] = EnvVar(old.name, old.cast, var.default, module, old.comment or var.comment)
    for name, default in EXTRA.items():
        found.setdefault(name, EnvVar(name, "str", default, "wsgi.py", "welke instellingen laden"))
    return sorted(found.values(), key=lambda v: v.name)


def names() -> set[str]:
    return {var.name for var in settings_env_vars()}
