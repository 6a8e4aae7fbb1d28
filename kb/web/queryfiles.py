"""Load canned queries from `queries/*.sql` files with `.yml` sidecars or `-- key: value` headers.

The queries live in the repository's top-level `queries/` folder; the wheel installs that folder as the
package data `kb/web/queries/` (see pyproject.toml), so an installed kb finds them next to this module.
"""

from __future__ import annotations

import os
import re
from importlib.resources import files
from pathlib import Path

import yaml

import kb
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
        meta.update({k: v for k, v in data.items() if k in QUERY_KEYS or k in ("order", "requires")})
    body = "\n".join(l for l in sql.splitlines() if not l.strip().startswith("--")).strip()
    if _WRITE_RE.match(body) or ";" in body.rstrip(";").rstrip():
        raise QueryFileError(f"{path}: canned queries must be a single read-only SELECT")
    query = {"sql": sql.strip().rstrip(";"), **{k: meta[k] for k in QUERY_KEYS if k in meta}}
    query["order"] = meta.get("order", 1000)
    query["requires"] = list(meta.get("requires") or [])  # tables that must exist for the query to be listed
    query.setdefault("title", path.stem.replace("_", " "))
    return query


def load_queries(directory: Path | None = None) -> dict[str, dict]:
    """All canned queries of a folder, keyed by file stem, by sidecar `order` then name (never `write`)."""
    directory = directory or queries_dir()
    if not directory.is_dir():
        return {}
    queries = {p.stem: load_query(p) for p in sorted(directory.glob("*.sql"))}
    ordered = sorted(queries, key=lambda name: (queries[name].pop("order"), name))
    return {name: queries[name] for name in ordered}
