"""The SQLite knowledge base: the only package that writes or reads SQL.

Modules, by concern:
  schema      migrations, SCHEMA_VERSION, open_db, connection helpers (WAL, wrapping a connection)
  values      row ids, passage ids, JSON text and timestamps as stored in columns
  articles    save_article (one transaction per analysed article), article state, ingest problems
  entities    entity and alias rows, per-entity statistics
  claims      tracked claim and evidence rows, evidence aggregates, conflicts (decided by kb.tracking)
  cache       the analysis cache (nlp_cache): CacheReader for analysis, writes with the article
  lookup      find_entity (the one answer to "which entity is this name"), claim briefings
  export      JSON Lines exports of entities and claims
  fts         full-text search text and queries that work for Japanese
  graphdata   the rows the entity graph is built from, and table entity_metrics
  web         the SQL the Datasette pages run, and the reads behind the graph page
  evaluation  the rows the gold evaluation (kb.evaluate) scores

This package re-exports the schema and value helpers; the other modules are imported by name, so that
`from kb.store import open_db` stays cheap (kb.store.claims loads the claim summaries, for instance).
"""

from __future__ import annotations

from kb.store.schema import (ENTITY_METRICS_SQL, FTS_CONFIG, MIGRATIONS, SCHEMA_VERSION, Connection, applied_versions,
                             db_file, ensure_db_shape, ensure_wal, open_db, wrap_connection)
from kb.store.values import json_dumps, json_list, now_iso, passage_id, stable_id

__all__ = [
    "Connection", "ENTITY_METRICS_SQL", "FTS_CONFIG", "MIGRATIONS", "SCHEMA_VERSION", "applied_versions", "db_file",
    "ensure_db_shape", "ensure_wal", "json_dumps", "json_list", "now_iso", "open_db", "passage_id", "stable_id",
    "wrap_connection",
]
