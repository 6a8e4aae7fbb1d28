"""The schema: migrations, opening (creating, migrating) a knowledge base, and connection helpers.

Each migration runs once per database, in order, and is recorded in table schema_migrations with its
version; SCHEMA_VERSION is the newest version this kb knows (len(MIGRATIONS)), which open_db brings
every database up to.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import sqlite3
from pathlib import Path
from typing import Callable, Iterator

import sqlite_utils

from kb.errors import DatabaseError
from kb.store.fts import REFRESH_ALL_CLAIMS_SEARCH_SQL, register_search_functions
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
    # Provenance an analyst cites: the publication time in the article's own time zone (`published` is UTC,
    # so a +09:00 morning article was shown on the previous day), the outlet, and the whole front matter.
    (5, "article time zone, outlet and front matter", """
ALTER TABLE articles ADD COLUMN published_local TEXT;
ALTER TABLE articles ADD COLUMN outlet TEXT;
ALTER TABLE articles ADD COLUMN front_matter TEXT;
"""),
    # An analyst's review (kb.store.review): decisions keyed by stable ids (claim fingerprints, canonical entity
    # ids), re-applied after every ingest. claims.review_status is the claim's verdict (correct/wrong);
    # claims.review_original and mentions.review_entity_from keep what extraction said before a decision changed it.
    (6, "review decisions", """
CREATE TABLE IF NOT EXISTS review_decisions (
    seq INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    target TEXT NOT NULL,
    target_id TEXT NOT NULL,
    action TEXT NOT NULL,
    value TEXT,
    note TEXT,
    reviewer TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    snapshot TEXT
);
CREATE INDEX IF NOT EXISTS idx_review_target ON review_decisions(target, target_id);
ALTER TABLE claims ADD COLUMN review_status TEXT;
ALTER TABLE claims ADD COLUMN review_original TEXT;
ALTER TABLE mentions ADD COLUMN review_entity_from TEXT;
CREATE INDEX IF NOT EXISTS idx_claims_review ON claims(review_status);
CREATE INDEX IF NOT EXISTS idx_mentions_review ON mentions(review_entity_from);
CREATE INDEX IF NOT EXISTS idx_articles_content_hash ON articles(content_hash)
"""),
    # Syndicated copies (kb.syndication, kb.store.syndication): each article's outlet and MinHash signature,
    # its LSH bands (articles sharing a band are candidate copies), the copy pairs found, and the groups
    # (connected copy pairs) that count as one independent source.
    (7, "syndication groups of copied articles", """
CREATE TABLE IF NOT EXISTS article_syndication (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    outlet TEXT,
    scheme TEXT NOT NULL,
    shingles INTEGER NOT NULL,
    minhash BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS article_lsh (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    band INTEGER NOT NULL,
    hash INTEGER NOT NULL,
    PRIMARY KEY (article_id, band)
);
CREATE INDEX IF NOT EXISTS idx_article_lsh_band ON article_lsh(band, hash);
CREATE TABLE IF NOT EXISTS syndication_pairs (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    other_article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    similarity REAL NOT NULL,
    PRIMARY KEY (article_id, other_article_id)
);
CREATE INDEX IF NOT EXISTS idx_syndication_pairs_other ON syndication_pairs(other_article_id);
CREATE TABLE IF NOT EXISTS syndication_groups (
    id TEXT PRIMARY KEY,
    canonical_article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    members INTEGER NOT NULL,
    similarity REAL NOT NULL,
    outlets TEXT
);
CREATE TABLE IF NOT EXISTS syndication_members (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    group_id TEXT NOT NULL REFERENCES syndication_groups(id) ON DELETE CASCADE,
    is_canonical INTEGER NOT NULL DEFAULT 0,
    similarity REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_syndication_members_group ON syndication_members(group_id);
"""),
    # News pages, feeds and URLs (kb.pages, kb.feeds, kb.fetch): the site an article was published on and how
    # its text was found; every feed read and each of its entries stored, so a re-run adds only new entries.
    (8, "feeds, feed entries; site name and text extractor of articles", """
ALTER TABLE articles ADD COLUMN site_name TEXT;
ALTER TABLE articles ADD COLUMN extractor TEXT;
CREATE TABLE IF NOT EXISTS feeds (
    id TEXT PRIMARY KEY,
    source_key TEXT NOT NULL UNIQUE,
    source_path TEXT NOT NULL,
    feed_id TEXT,
    title TEXT,
    link TEXT,
    version TEXT,
    entries INTEGER NOT NULL DEFAULT 0,
    etag TEXT,
    last_modified TEXT,
    first_read TEXT,
    last_read TEXT
);
CREATE TABLE IF NOT EXISTS feed_entries (
    feed TEXT NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    entry_id TEXT NOT NULL,
    article_id TEXT REFERENCES articles(id) ON DELETE SET NULL,
    article_key TEXT,
    link TEXT,
    title TEXT,
    published TEXT,
    full_page INTEGER NOT NULL DEFAULT 0,
    first_seen TEXT,
    PRIMARY KEY (feed, entry_id)
);
CREATE INDEX IF NOT EXISTS idx_feed_entries_article ON feed_entries(article_id)
"""),
    # A claim is found by its subject's and object's names and aliases too (ホンハイ, 鴻海, Foxconn), not only
    # by its summary (kb.store.fts; the SQL functions it uses are registered by ensure_db_shape).
    (9, "claim search text covers entity names and aliases", REFRESH_ALL_CLAIMS_SEARCH_SQL),
]

# The newest schema version: every migration above applied.
SCHEMA_VERSION = len(MIGRATIONS)

FTS_CONFIG = {"passages": ["search_text"], "claims": ["search_text"]}


# How long a write waits for another connection's write transaction (another kb ingest's article,
# kb graph build, kb serve adding a missing FTS table) before it gives up with "database is locked".
BUSY_TIMEOUT_S = 120.0


def busy_timeout_s() -> float:
    """BUSY_TIMEOUT_S, or $KB_BUSY_TIMEOUT seconds when set."""
    try:
        return float(os.environ.get("KB_BUSY_TIMEOUT", BUSY_TIMEOUT_S))
    except ValueError:
        return BUSY_TIMEOUT_S

# Exit code of `kb ingest --no-wait` when another ingest holds the database (EX_TEMPFAIL, sysexits.h).
EXIT_BUSY = 75


class DatabaseBusy(DatabaseError):
    """Another kb ingest is writing this database and the caller asked not to wait."""


def open_db(path: str | Path, *, create: bool = True, busy_timeout: float | None = None) -> sqlite_utils.Database:
    """Open (and if needed create and migrate) the knowledge base at `path`; writes wait up to
    `busy_timeout` seconds (default busy_timeout_s()) for another connection's write transaction."""
    if busy_timeout is None:
        busy_timeout = busy_timeout_s()
    path = Path(path)
    if not create and not path.exists():
        raise DatabaseError(f"{path}: no such database; run 'kb ingest' first or pass --db")
    try:
        if path.parent and not path.parent.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseError(f"{path}: cannot create the folder {path.parent} ({exc.strerror or exc}); "
                            "choose another --db path") from exc
    conn = None
    try:
        conn = sqlite3.connect(str(path), timeout=busy_timeout, isolation_level=None)
        db = sqlite_utils.Database(conn)
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA synchronous = NORMAL")
        if db.journal_mode != "wal":
            db.enable_wal()
        ensure_db_shape(db)
    except sqlite3.Error as exc:
        if conn is not None:
            conn.close()
        raise DatabaseError(describe_sqlite_error(path, exc)) from exc
    return db


def describe_sqlite_error(path: str | Path | None, exc: BaseException) -> str:
    """One line for a sqlite3 error: the database, what went wrong, and what to do about it."""
    text = str(exc)
    low = text.lower()
    where = f"{path}: " if path else ""
    if "locked" in low or "busy" in low:
        return (f"{where}the database is locked by another writer (waited {busy_timeout_s():g}s: {text}); "
                "wait for the other kb command to finish and run this again")
    if "disk is full" in low or "disk full" in low or (path and _disk_full(Path(path))):
        return (f"{where}the disk is full ({text}); articles committed so far are kept; "
                "free some space and run the same command again to continue")
    if "readonly" in low or "read-only" in low or (path and _read_only(Path(path))):
        return (f"{where}the database is read-only ({text}); make the file and its folder writable "
                "or pass another --db")
    if "unable to open" in low or "disk i/o" in low:
        return (f"{where}cannot open or write the database file ({text}); check that its folder exists "
                "and is writable, or pass another --db")
    if isinstance(exc, sqlite3.DatabaseError) and ("not a database" in low or "malformed" in low
                                                     or "encrypted" in low):
        return f"{where}not a kb database or damaged ({text}); choose another --db path or restore a backup"
    return f"{where}database error ({type(exc).__name__}: {text}); run the same command again, or report it"


def _disk_full(path: Path) -> bool:
    """Whether the file system holding the database has (next to) no space left: SQLite reports a full
    disk met while growing its -shm or -wal file as a "disk I/O error"."""
    try:
        st = os.statvfs(path.parent)
    except OSError:
        return False
    return st.f_bavail * st.f_frsize < 64 * 1024


def _read_only(path: Path) -> bool:
    """Whether the database file or its folder cannot be written (a read-only mount, permissions)."""
    try:
        if os.statvfs(path.parent).f_flag & os.ST_RDONLY:
            return True
        return (path.exists() and not os.access(path, os.W_OK)) or not os.access(path.parent, os.W_OK)
    except OSError:
        return False


@contextlib.contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """A write transaction that takes SQLite's write lock at its start (BEGIN IMMEDIATE), so what it reads
    cannot be changed by another writer before it commits; nested use becomes a savepoint. Rolled back on
    any exception, KeyboardInterrupt and the SIGTERM exception included."""
    conn = db.conn
    if conn.in_transaction:
        with db.atomic():
            yield db
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


def _migrations_pending(db: sqlite_utils.Database) -> bool:
    tables = set(db.table_names())
    if "schema_migrations" not in tables:
        return True
    applied = {r["version"] for r in db.query("SELECT version FROM schema_migrations")}
    if any(version not in applied for version, _, _ in MIGRATIONS):
        return True
    return any(f"{table}_fts" not in tables for table in FTS_CONFIG)


def ensure_db_shape(db: sqlite_utils.Database) -> None:
    """Apply missing migrations, FTS tables and views; safe to repeat and to run from several processes
    at once: the check and the changes happen in one BEGIN IMMEDIATE transaction, so the first process
    applies them and the others, finding them applied, do nothing (and write nothing)."""
    if not _migrations_pending(db):
        return
    register_search_functions(db.conn)
    with write_transaction(db):
        db.execute("CREATE TABLE IF NOT EXISTS schema_migrations "
                   "(version INTEGER PRIMARY KEY, name TEXT, applied_at TEXT)")
        applied = {r["version"] for r in db.query("SELECT version FROM schema_migrations")}
        for version, name, sql in MIGRATIONS:
            if version in applied:
                continue
            _run_script(db, sql)
            db.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                       [version, name, now_iso()])
        for table, columns in FTS_CONFIG.items():
            if f"{table}_fts" not in db.table_names():
                db[table].enable_fts(columns, create_triggers=True, tokenize="unicode61")


class IngestLock:
    """The run-level lock of `kb ingest`: one ingest writes a database at a time, the next one waits.

    An flock(2) on the database file itself: Linux keeps flock locks apart from the POSIX locks SQLite
    uses, so it never interferes with SQLite's own locking, needs no extra file, and the kernel releases
    it when the process ends in any way (crash, SIGKILL).
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.fd: int | None = None
        self.waited = False

    def acquire(self, *, wait: bool = True, on_wait: Callable[[], None] | None = None) -> "IngestLock":
        try:
            self.fd = os.open(self.path, os.O_RDONLY | os.O_CLOEXEC)
        except OSError:
            return self  # no file to lock (it is being created): SQLite's own locking still applies
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return self
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                return self  # a file system without flock: rely on SQLite's locking
        if not wait:
            self.release()
            raise DatabaseBusy(f"{self.path}: another kb ingest is writing this database; "
                               "run again when it has finished, or without --no-wait to wait for it")
        self.waited = True
        if on_wait:
            on_wait()
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        return self

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing the descriptor drops the flock
            self.fd = None


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
