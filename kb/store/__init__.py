"""The SQLite knowledge base: schema, migrations, one-transaction article writes, FTS and views."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any, Iterable

import sqlite_utils

from kb.errors import DatabaseError
from kb.store.fts import fts_text

SCHEMA_VERSION = 3

MIGRATIONS: list[tuple[int, str, str]] = [
    (1, "initial schema", """
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    source_key TEXT NOT NULL UNIQUE,
    source_path TEXT NOT NULL,
    title TEXT,
    published TEXT,
    published_raw TEXT,
    author TEXT,
    tags TEXT,
    categories TEXT,
    url TEXT,
    lang TEXT,
    format TEXT,
    encoding TEXT,
    text TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    chars INTEGER,
    chunks INTEGER,
    passages INTEGER,
    duplicate_passages INTEGER,
    ingested_at TEXT
);
CREATE TABLE IF NOT EXISTS passages (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    paragraph INTEGER,
    kind TEXT,
    text TEXT NOT NULL,
    norm_hash TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    duplicate_of TEXT REFERENCES passages(id) ON DELETE SET NULL,
    duplicate_kind TEXT,
    search_text TEXT
);
CREATE TABLE IF NOT EXISTS entities (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    name_ja TEXT,
    wikidata TEXT,
    country TEXT,
    ticker TEXT,
    usps TEXT,
    fips TEXT,
    iso TEXT,
    latitude REAL,
    longitude REAL,
    in_gazetteer INTEGER NOT NULL DEFAULT 0,
    attrs TEXT,
    aliases TEXT,
    mentions INTEGER NOT NULL DEFAULT 0,
    articles INTEGER NOT NULL DEFAULT 0,
    claims INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS entity_aliases (
    entity_id TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    alias TEXT NOT NULL,
    normalized TEXT,
    mentions INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (entity_id, alias)
);
CREATE TABLE IF NOT EXISTS mentions (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    passage_id TEXT NOT NULL REFERENCES passages(id) ON DELETE CASCADE,
    entity_id TEXT NOT NULL REFERENCES entities(id),
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    label TEXT,
    source TEXT
);
CREATE TABLE IF NOT EXISTS claims (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    summary TEXT,
    subject_id TEXT REFERENCES entities(id),
    object_id TEXT REFERENCES entities(id),
    amount_min REAL,
    amount_max REAL,
    currency TEXT,
    unit TEXT,
    period TEXT,
    approximate INTEGER,
    bound TEXT,
    amount_usd REAL,
    modality TEXT,
    polarity TEXT,
    attributed_to_id TEXT REFERENCES entities(id),
    details TEXT,
    sources INTEGER NOT NULL DEFAULT 0,
    evidence_count INTEGER NOT NULL DEFAULT 0,
    first_seen TEXT,
    last_seen TEXT,
    conflicts INTEGER NOT NULL DEFAULT 0,
    investment_id TEXT REFERENCES entities(id),
    base_key TEXT,
    search_text TEXT
);
CREATE TABLE IF NOT EXISTS claim_evidence (
    id TEXT PRIMARY KEY,
    claim_id TEXT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    passage_id TEXT NOT NULL REFERENCES passages(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    quote TEXT NOT NULL,
    attributed_to_id TEXT REFERENCES entities(id),
    modality TEXT,
    polarity TEXT,
    amount_text TEXT,
    details TEXT
);
CREATE TABLE IF NOT EXISTS claim_conflicts (
    claim_id TEXT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    other_claim_id TEXT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    PRIMARY KEY (claim_id, other_claim_id)
);
CREATE TABLE IF NOT EXISTS ingest_errors (
    id TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    line INTEGER,
    severity TEXT NOT NULL,
    stage TEXT,
    reason TEXT NOT NULL,
    hint TEXT,
    first_seen TEXT
);
CREATE TABLE IF NOT EXISTS nlp_cache (
    key TEXT PRIMARY KEY,
    data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_passages_article ON passages(article_id, idx);
CREATE INDEX IF NOT EXISTS idx_passages_norm ON passages(norm_hash);
CREATE INDEX IF NOT EXISTS idx_passages_dup ON passages(duplicate_of);
CREATE INDEX IF NOT EXISTS idx_mentions_entity ON mentions(entity_id);
CREATE INDEX IF NOT EXISTS idx_mentions_article ON mentions(article_id);
CREATE INDEX IF NOT EXISTS idx_mentions_passage ON mentions(passage_id);
CREATE INDEX IF NOT EXISTS idx_aliases_normalized ON entity_aliases(normalized);
CREATE INDEX IF NOT EXISTS idx_entities_type ON entities(type);
CREATE INDEX IF NOT EXISTS idx_claims_subject ON claims(subject_id);
CREATE INDEX IF NOT EXISTS idx_claims_object ON claims(object_id);
CREATE INDEX IF NOT EXISTS idx_claims_type ON claims(type);
CREATE INDEX IF NOT EXISTS idx_claims_base ON claims(base_key);
CREATE INDEX IF NOT EXISTS idx_evidence_claim ON claim_evidence(claim_id);
CREATE INDEX IF NOT EXISTS idx_evidence_article ON claim_evidence(article_id);
CREATE INDEX IF NOT EXISTS idx_evidence_passage ON claim_evidence(passage_id);
CREATE INDEX IF NOT EXISTS idx_conflicts_other ON claim_conflicts(other_claim_id);
CREATE INDEX IF NOT EXISTS idx_errors_path ON ingest_errors(path);
"""),
]

MIGRATIONS.append((2, "graph metrics table", """
CREATE TABLE IF NOT EXISTS entity_metrics (
    entity_id TEXT PRIMARY KEY REFERENCES entities(id) ON DELETE CASCADE,
    degree INTEGER NOT NULL,
    weighted_degree REAL NOT NULL,
    pagerank REAL NOT NULL,
    betweenness REAL NOT NULL,
    community INTEGER NOT NULL
);
"""))
METRICS_SQL = MIGRATIONS[-1][2]
# Entity statistics are refreshed after every article; without these covering indexes each refresh
# scans all mentions/evidence of popular entities and ingest slows down as the knowledge base grows.
MIGRATIONS.append((3, "indexes for per-article entity statistics", """
CREATE INDEX IF NOT EXISTS idx_mentions_entity_article ON mentions(entity_id, article_id);
CREATE INDEX IF NOT EXISTS idx_mentions_entity_text ON mentions(entity_id, text);
CREATE INDEX IF NOT EXISTS idx_claims_attributed ON claims(attributed_to_id);
CREATE INDEX IF NOT EXISTS idx_claims_investment ON claims(investment_id);
CREATE INDEX IF NOT EXISTS idx_evidence_attributed ON claim_evidence(attributed_to_id);
"""))

# Which extraction produced an article's mentions and claims (kb.pipeline.analysis.extraction_version): an
# unchanged article is analysed again when kb's models, data or extraction code changed.
MIGRATIONS.append((4, "extraction version of each article", """
ALTER TABLE articles ADD COLUMN extraction TEXT
"""))

FTS_CONFIG = {"passages": ["search_text"], "claims": ["search_text"]}


def now_iso() -> str:
    """Current UTC time, second precision."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0, tzinfo=None).isoformat()


def open_db(path: str | Path, *, create: bool = True) -> sqlite_utils.Database:
    """Open (and if needed create and migrate) the knowledge base at `path`."""
    path = Path(path)
    if not create and not path.exists():
        raise DatabaseError(f"{path}: no such database; run 'kb ingest' first or pass --db")
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = sqlite3.connect(str(path), timeout=30, isolation_level=None)
        db = sqlite_utils.Database(conn)
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA synchronous = NORMAL")
        if db.journal_mode != "wal":
            db.enable_wal()
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"{path}: not a kb database ({exc}); choose another --db path") from exc
    ensure_db_shape(db)
    return db


def ensure_db_shape(db: sqlite_utils.Database) -> None:
    """Apply missing migrations, FTS tables and views; safe to repeat."""
    db.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_at TEXT)")
    applied = {r["version"] for r in db.query("SELECT version FROM schema_migrations")}
    for version, name, sql in MIGRATIONS:
        if version in applied:
            continue
        with db.atomic():
            _run_script(db, sql)
            db.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                       [version, name, now_iso()])
    for table, columns in FTS_CONFIG.items():
        if f"{table}_fts" not in db.table_names():
            db[table].enable_fts(columns, create_triggers=True, tokenize="unicode61")


def _run_script(db: sqlite_utils.Database, sql: str) -> None:
    for statement in sql.split(";\n"):
        if statement.strip():
            db.execute(statement)


def stable_id(*parts: Any, length: int = 16) -> str:
    """Deterministic short id from parts."""
    raw = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:length]


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


def passage_id(article_id: str, idx: int) -> str:
    """Id of passage `idx` of an article."""
    return f"{article_id}-{idx:05d}"


def first_passage_with_norm(db: sqlite_utils.Database, norm_hash: str, exclude_article: str) -> str | None:
    """Earliest stored passage (in another article) with the same normalized text."""
    rows = list(db.query(
        "SELECT p.id FROM passages p JOIN articles a ON a.id = p.article_id "
        "WHERE p.norm_hash = ? AND p.article_id != ? AND p.duplicate_of IS NULL "
        "ORDER BY a.published, a.source_key, p.idx LIMIT 1", [norm_hash, exclude_article]))
    return rows[0]["id"] if rows else None


def upsert_entities(db: sqlite_utils.Database, entities: Iterable[dict]) -> None:
    """Insert entities that are new; keep stored ones (gazetteer facts do not change per article)."""
    rows = list(entities)
    if rows:
        db["entities"].insert_all(rows, pk="id", ignore=True, alter=False)


def refresh_entity_stats(db: sqlite_utils.Database, entity_ids: Iterable[str] | None = None) -> None:
    """Recompute mention/article/claim counts and alias lists; drop entities nothing refers to."""
    ids = None if entity_ids is None else sorted(set(entity_ids))
    where, params = ("", []) if ids is None else (f"WHERE id IN ({','.join('?' * len(ids))})", ids)
    if ids is not None and not ids:
        return
    db.execute(f"""
        UPDATE entities SET
          mentions = (SELECT count(*) FROM mentions m WHERE m.entity_id = entities.id),
          articles = (SELECT count(DISTINCT m.article_id) FROM mentions m WHERE m.entity_id = entities.id),
          claims = (SELECT count(*) FROM claims c WHERE c.subject_id = entities.id)
                 + (SELECT count(*) FROM claims c WHERE c.object_id = entities.id)
                 + (SELECT count(*) FROM claims c WHERE c.investment_id = entities.id)
        {where}""", params)
    db.execute(f"""
        UPDATE entity_aliases SET mentions = (SELECT count(*) FROM mentions m
            WHERE m.entity_id = entity_aliases.entity_id AND m.text = entity_aliases.alias)
        {where.replace('id IN', 'entity_id IN')}""", params)
    db.execute(f"""
        DELETE FROM entity_aliases WHERE mentions = 0 AND alias NOT IN (
            SELECT name FROM entities e WHERE e.id = entity_aliases.entity_id)
        {where.replace('WHERE id IN', 'AND entity_id IN')}""", params)
    db.execute(f"""
        DELETE FROM entities WHERE mentions = 0 AND claims = 0
          AND NOT EXISTS (SELECT 1 FROM claims c WHERE c.attributed_to_id = entities.id)
          AND NOT EXISTS (SELECT 1 FROM claim_evidence e WHERE e.attributed_to_id = entities.id)
        {where.replace('WHERE id IN', 'AND id IN')}""", params)
    db.execute(f"""
        UPDATE entities SET aliases = (SELECT json_group_array(alias) FROM
            (SELECT alias FROM entity_aliases a WHERE a.entity_id = entities.id ORDER BY mentions DESC, alias))
        {where}""", params)


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


def json_dumps(value) -> str:
    """Compact, deterministic JSON for text columns."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def json_list(values) -> str:
    """Compact JSON array for list columns (Datasette facets them with `array`)."""
    return json.dumps(list(values), ensure_ascii=False)
