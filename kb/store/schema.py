"""The schema: migrations, opening (creating, migrating) a knowledge base, and connection helpers.

Each migration runs once per database, in order, and is recorded in table schema_migrations with its
version; SCHEMA_VERSION is the newest version this kb knows (len(MIGRATIONS)), which open_db brings
every database up to.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from kb.errors import DatabaseError
from kb.store.values import now_iso

# An open database connection, as Datasette's execute_fn hands one to kb.web (see wrap_connection).
Connection = sqlite3.Connection

# Graph metrics of each entity (kb graph build). ON DELETE CASCADE: refresh_entity_stats deletes orphaned
# entities, which must not be blocked by their metrics rows (foreign_keys is ON for every connection).
ENTITY_METRICS_SQL = """
CREATE TABLE IF NOT EXISTS entity_metrics (
    entity_id TEXT PRIMARY KEY REFERENCES entities(id) ON DELETE CASCADE,
    degree INTEGER NOT NULL,
    weighted_degree REAL NOT NULL,
    pagerank REAL NOT NULL,
    betweenness REAL NOT NULL,
    community INTEGER NOT NULL
);
"""

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
    (2, "graph metrics table", ENTITY_METRICS_SQL),
    # Entity statistics are refreshed after every article; without these covering indexes each refresh
    # scans all mentions/evidence of popular entities and ingest slows down as the knowledge base grows.
    (3, "indexes for per-article entity statistics", """
CREATE INDEX IF NOT EXISTS idx_mentions_entity_article ON mentions(entity_id, article_id);
CREATE INDEX IF NOT EXISTS idx_mentions_entity_text ON mentions(entity_id, text);
CREATE INDEX IF NOT EXISTS idx_claims_attributed ON claims(attributed_to_id);
CREATE INDEX IF NOT EXISTS idx_claims_investment ON claims(investment_id);
CREATE INDEX IF NOT EXISTS idx_evidence_attributed ON claim_evidence(attributed_to_id);
"""),
    # Which extraction produced an article's mentions and claims (kb.pipeline.analysis.extraction_version): an
    # unchanged article is analysed again when kb's models, data or extraction code changed.
    (4, "extraction version of each article", """
ALTER TABLE articles ADD COLUMN extraction TEXT
"""),
]

# The newest schema version: every migration above applied.
SCHEMA_VERSION = len(MIGRATIONS)

FTS_CONFIG = {"passages": ["search_text"], "claims": ["search_text"]}


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




def applied_versions(db: sqlite_utils.Database) -> list[int]:
    """The migration versions recorded in the database, ascending."""
    return [r["version"] for r in db.query("SELECT version FROM schema_migrations ORDER BY version")]


def wrap_connection(conn: Connection) -> sqlite_utils.Database:
    """A sqlite-utils view of an open connection (such as Datasette's read-only one) that changes none of
    its settings: no PRAGMA, no plugin hooks."""
    return sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False)


def db_file(db: sqlite_utils.Database) -> str | None:
    """The file behind the main database of a connection (None for an in-memory database)."""
    row = db.execute("PRAGMA database_list").fetchone()
    return row[2] if row and row[2] else None


def ensure_wal(path: str | Path) -> None:
    """Switch the database file to WAL, so readers (Datasette) never block a concurrent `kb ingest`."""
    conn = sqlite3.connect(str(path), timeout=30)
    try:
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        if mode != "wal":
            conn.execute("PRAGMA journal_mode=wal")
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"{path}: not a SQLite database ({exc}); choose another --db path") from exc
    finally:
        conn.close()
