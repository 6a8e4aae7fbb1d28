"""kb.store: schema versions."""

from __future__ import annotations

from kb.store import MIGRATIONS, SCHEMA_VERSION, applied_versions, open_db


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
