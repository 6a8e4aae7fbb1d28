"""The SQLite knowledge base: schema and migrations (kb.store.schema), column values (kb.store.values),
one-transaction article writes."""

from __future__ import annotations

import sqlite_utils

from kb.store.fts import fts_text
from kb.store.schema import (ENTITY_METRICS_SQL, FTS_CONFIG, MIGRATIONS, SCHEMA_VERSION, Connection,  # noqa: F401
                             applied_versions, db_file, ensure_db_shape, ensure_wal, open_db, wrap_connection)
from kb.store.values import json_dumps, json_list, now_iso, passage_id, stable_id  # noqa: F401

METRICS_SQL = ENTITY_METRICS_SQL

def article_state(db: sqlite_utils.Database, source_key: str) -> tuple[str, str, str | None] | None:
    """Return (id, content_hash, extraction version) of the stored article for a source key, if any."""
    rows = list(db.query("SELECT id, content_hash, extraction FROM articles WHERE source_key = ?", [source_key]))
    return (rows[0]["id"], rows[0]["content_hash"], rows[0]["extraction"]) if rows else None


def delete_article(db: sqlite_utils.Database, article_id: str) -> tuple[set[str], set[str]]:
    """Delete an article and everything derived from it; returns affected (claim ids, entity ids)."""
    claim_ids = {r["claim_id"] for r in db.query(
        "SELECT DISTINCT claim_id FROM claim_evidence WHERE article_id = ?", [article_id])}
    entity_ids = {r["entity_id"] for r in db.query(
        "SELECT DISTINCT entity_id FROM mentions WHERE article_id = ?", [article_id])}
    db.execute("DELETE FROM claim_evidence WHERE article_id = ?", [article_id])
    db.execute("DELETE FROM mentions WHERE article_id = ?", [article_id])
    db.execute("UPDATE passages SET duplicate_of = NULL WHERE duplicate_of IN "
               "(SELECT id FROM passages WHERE article_id = ?) AND article_id != ?", [article_id, article_id])
    db.execute("DELETE FROM passages WHERE article_id = ?", [article_id])
    db.execute("DELETE FROM articles WHERE id = ?", [article_id])
    return claim_ids, entity_ids


def passage_row(article_id: str, p) -> dict:
    """The passages row for a segment.Passage."""
    return {
        "id": passage_id(article_id, p.idx), "article_id": article_id, "idx": p.idx, "start": p.start,
        "end": p.end, "paragraph": p.paragraph, "kind": p.kind, "text": p.text, "norm_hash": p.norm_hash,
        "text_hash": p.text_hash, "duplicate_of": None, "duplicate_kind": p.duplicate_kind,
        "search_text": fts_text(p.text),
    }


def first_passage_with_norm(db: sqlite_utils.Database, norm_hash: str, exclude_article: str) -> str | None:
    """Earliest stored passage (in another article) with the same normalized text."""
    rows = list(db.query(
        "SELECT p.id FROM passages p JOIN articles a ON a.id = p.article_id "
        "WHERE p.norm_hash = ? AND p.article_id != ? AND p.duplicate_of IS NULL "
        "ORDER BY a.published, a.source_key, p.idx LIMIT 1", [norm_hash, exclude_article]))
    return rows[0]["id"] if rows else None


def record_errors(db: sqlite_utils.Database, path: str, problems: list[dict]) -> None:
    """Replace the stored problems of one input path with `problems` (path, line, severity, stage, reason, hint)."""
    stamp = now_iso()
    old = {r["id"]: r["first_seen"] for r in db.query("SELECT id, first_seen FROM ingest_errors WHERE path = ?", [path])}
    rows = []
    for p in problems:
        rid = stable_id(path, p.get("line"), p["severity"], p["reason"])
        rows.append({"id": rid, "path": path, "line": p.get("line"), "severity": p["severity"],
                     "stage": p.get("stage"), "reason": p["reason"], "hint": p.get("hint"),
                     "first_seen": old.get(rid, stamp)})
    with db.atomic():
        db.execute("DELETE FROM ingest_errors WHERE path = ?", [path])
        if rows:
            db["ingest_errors"].insert_all(rows, pk="id", replace=True)
