"""Load canned queries from `queries/*.sql` files with `.yml` sidecars or `-- key: value` headers.

The queries live in the repository's top-level `queries/` folder; the wheel installs that folder as the
package data `kb/web/queries/` (see pyproject.toml), so an installed kb finds them next to this module.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import yaml

import kb
from kb.contract import CLAIM_TYPES, ENTITY_TYPES
from kb.errors import KBError

QUERY_KEYS = ("title", "description", "description_html", "params", "hide_sql")
_HEADER_RE = re.compile(r"^--\s*(title|description|params|hide_sql)\s*:\s*(.*)$")
_WRITE_RE = re.compile(r"^\s*(insert|update|delete|replace|create|drop|alter|attach|detach|pragma|vacuum)\b",
                       re.IGNORECASE)


class QueryFileError(KBError):
    """A canned query file that cannot be used."""


def queries_dir() -> Path:
    """The canned queries folder: $KB_QUERIES_DIR, else the installed package data `kb/web/queries/`, else
    the top-level `queries/` of the checkout kb is imported from (source tree or editable install), else
    `./queries`."""
    env = os.environ.get("KB_QUERIES_DIR")
    if env:
        return Path(env)
    installed = files("kb.web") / "queries"
    if isinstance(installed, Path) and installed.is_dir():  # a wheel install (not a zip import)
        return installed
    checkout = Path(kb.__file__).resolve().parent.parent / "queries"
    if checkout.is_dir():
        return checkout
    return Path.cwd() / "queries"


def load_query(path: Path) -> dict:
    """One canned query definition (sql, title, description, params…) from a `.sql` file."""
    sql = path.read_text(encoding="utf-8")
    meta: dict = {}
    for line in sql.splitlines():
        m = _HEADER_RE.match(line.strip())
        if m:
            key, value = m.groups()
            meta[key] = [p.strip() for p in value.split(",") if p.strip()] if key == "params" else value.strip()
        elif line.strip() and not line.strip().startswith("--"):
            break
    sidecar = path.with_suffix(".yml")
    if sidecar.exists():
        try:
            data = yaml.safe_load(sidecar.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise QueryFileError(f"{sidecar}: invalid YAML ({exc}); fix the sidecar or delete it") from exc
        if not isinstance(data, dict):
            raise QueryFileError(f"{sidecar}: expected a mapping of title/description/params")
        meta.update({k: v for k, v in data.items() if k in QUERY_KEYS or k in ("order", "requires", "validate")})
    body = "\n".join(l for l in sql.splitlines() if not l.strip().startswith("--")).strip()
    if _WRITE_RE.match(body) or ";" in body.rstrip(";").rstrip():
        raise QueryFileError(f"{path}: canned queries must be a single read-only SELECT")
    query = {"sql": sql.strip().rstrip(";"), **{k: meta[k] for k in QUERY_KEYS if k in meta}}
    query["order"] = meta.get("order", 1000)
    query["requires"] = list(meta.get("requires") or [])  # tables that must exist for the query to be listed
    query["validate"] = _rules(path, meta.get("validate") or {}, query.get("params") or [])
    query.setdefault("title", path.stem.replace("_", " "))
    return query


# What a sidecar's `validate:` may say of a parameter: a kind, or a list of the values allowed.
PARAM_KINDS = ("number", "claim_type", "entity_type")


def _rules(path: Path, rules, params) -> dict:
    if not isinstance(rules, dict):
        raise QueryFileError(f"{path.with_suffix('.yml')}: validate must map parameter names to a kind "
                             f"({', '.join(PARAM_KINDS)}) or a list of allowed values")
    for name, rule in rules.items():
        if name not in params:
            raise QueryFileError(f"{path.with_suffix('.yml')}: validate names {name!r}, which is not one of "
                                 f"the params {params}")
        if not (rule in PARAM_KINDS or isinstance(rule, list)):
            raise QueryFileError(f"{path.with_suffix('.yml')}: validate {name}: {rule!r} is not one of "
                                 f"{', '.join(PARAM_KINDS)} or a list of allowed values")
    return dict(rules)


def param_problem(name: str, value: str, rule) -> str | None:
    """Why `value` cannot be the canned query parameter `name` under `rule` (None when it can); an empty
    value always can (it means 'all')."""
    value = (value or "").strip()
    if not value:
        return None
    if rule == "number":
        try:
            number = float(value)
        except ValueError:
            return f"{name} must be a number, e.g. 1e9 for a billion or 500000000; leave it empty for all"
        if number != number or number in (float("inf"), float("-inf")):
            return f"{name} must be a finite number, e.g. 1e9; leave it empty for all"
        return None
    allowed = (list(CLAIM_TYPES) if rule == "claim_type" else sorted(ENTITY_TYPES) if rule == "entity_type"
               else [str(v) for v in rule])
    if value not in allowed:
        return f"{name} must be one of {', '.join(allowed)}; leave it empty for all"
    return None


def load_queries(directory: Path | None = None) -> dict[str, dict]:
    """All canned queries of a folder, keyed by file stem, by sidecar `order` then name (never `write`)."""
    directory = directory or queries_dir()
    if not directory.is_dir():
        return {}
    queries = {p.stem: load_query(p) for p in sorted(directory.glob("*.sql"))}
    ordered = sorted(queries, key=lambda name: (queries[name].pop("order"), name))
    return {name: queries[name] for name in ordered}


def query_rules(directory: Path | None = None) -> dict[str, dict]:
    """query name -> its `validate` rules, for the queries that have any (re-read when a file changes)."""
    directory = directory or queries_dir()
    if not directory.is_dir():
        return {}
    stamp = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in directory.iterdir() if p.suffix in (".sql", ".yml")))
    return _query_rules(str(directory), stamp)


@lru_cache(maxsize=8)
def _query_rules(directory: str, stamp: tuple) -> dict[str, dict]:
    return {name: q["validate"] for name, q in load_queries(Path(directory)).items() if q.get("validate")}
