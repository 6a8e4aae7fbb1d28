"""kb.store: schema versions; kb.tracking decides, kb.store writes."""

from __future__ import annotations

import ast
from pathlib import Path

from kb.store import MIGRATIONS, SCHEMA_VERSION, applied_versions, open_db

KB = Path(__file__).parent.parent / "kb"


# --- schema -------------------------------------------------------------------------------------------------

def test_schema_version_is_the_number_of_migrations(tmp_path):
    assert [v for v, _, _ in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))
    assert SCHEMA_VERSION == len(MIGRATIONS)
    db = open_db(tmp_path / "kb.db")
    assert applied_versions(db) == list(range(1, SCHEMA_VERSION + 1))


def test_an_older_database_is_brought_up_to_schema_version(tmp_path):
    db = open_db(tmp_path / "kb.db")
    db.execute("DELETE FROM schema_migrations WHERE version = 4")
    db.execute("ALTER TABLE articles DROP COLUMN extraction")  # as a kb of schema version 3 left it
    db.close()
    db = open_db(tmp_path / "kb.db")
    assert applied_versions(db) == list(range(1, SCHEMA_VERSION + 1)) and "extraction" in db["articles"].columns_dict
    db.close()
    assert applied_versions(open_db(tmp_path / "kb.db")) == list(range(1, SCHEMA_VERSION + 1))  # no re-run


def test_tracking_is_pure():
    tree = ast.parse((KB / "tracking.py").read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not {m for m in imported if m.startswith(("kb.store", "sqlite"))}, imported
