"""Serve the knowledge base with Datasette 0.65: metadata, settings, and the kb plugin."""

from __future__ import annotations

import asyncio
import copy
import webbrowser
from importlib import resources
from pathlib import Path

import yaml

from kb.errors import DatabaseError
from kb.store import ensure_wal, open_db

SETTINGS = {
    "sql_time_limit_ms": 3000,
    "max_returned_rows": 2000,
    "default_page_size": 50,
    "facet_time_limit_ms": 500,
    "num_sql_threads": 3,
}
METADATA_DATABASE_KEY = "kb"


def database_name(db_path: str | Path) -> str:
    """The name Datasette gives a database file (its stem)."""
    return Path(db_path).stem


def build_metadata(db_name: str = METADATA_DATABASE_KEY) -> dict:
    """Datasette metadata from kb/data/metadata.yml, with table settings under `db_name`."""
    text = (resources.files("kb") / "web" / "metadata.yml").read_text(encoding="utf-8")
    metadata = yaml.safe_load(text)
    databases = metadata.get("databases") or {}
    if METADATA_DATABASE_KEY in databases and db_name != METADATA_DATABASE_KEY:
        databases[db_name] = databases.pop(METADATA_DATABASE_KEY)
    return metadata


def make_datasette(db_path: str | Path, *, metadata: dict | None = None, settings: dict | None = None,
                   read_only: bool = False):
    """A Datasette instance serving `db_path` as a mutable file (sees writes from a running ingest);
    `read_only` turns the review forms and routes off (kb.web.review)."""
    from datasette.app import Datasette

    path = Path(db_path)
    if not path.exists():
        raise DatabaseError(f"{path}: no such database; run 'kb ingest' first or pass --db")
    # Readers must not block a concurrent `kb ingest`: WAL lets Datasette's read-only
    # connections see each committed article while the writer goes on.
    ensure_wal(path)
    meta = copy.deepcopy(metadata) if metadata is not None else build_metadata(database_name(path))
    if read_only:
        meta.setdefault("plugins", {}).setdefault("kb", {})["read_only"] = True
    return Datasette([str(path)], metadata=meta, settings={**SETTINGS, **(settings or {})})


def serve(db_path: str | Path, *, host: str = "127.0.0.1", port: int = 8001, open_browser: bool = False,
          read_only: bool = False) -> None:
    """Run Datasette on `db_path` with uvicorn until interrupted (as `datasette serve` does)."""
    import uvicorn

    open_db(db_path, create=False).close()  # a clear error for a wrong path; adds missing FTS/migrations
    ds = make_datasette(db_path, read_only=read_only)
    asyncio.run(ds.invoke_startup())
    url = f"http://{host}:{port}/"
    if open_browser:
        webbrowser.open(url)
    uvicorn.run(ds.app(), host=host, port=port, log_level="info")
