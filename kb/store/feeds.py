"""Feeds read by kb ingest and the entries stored from them (so a re-run adds only new entries)."""

from __future__ import annotations

import sqlite_utils

from kb.store.schema import write_transaction
from kb.store.values import now_iso, stable_id


def feed_row_id(source_key: str) -> str:
    """The feeds.id of a feed file's real path or a feed URL."""
    return stable_id("feed", source_key)


def seen_entries(db: sqlite_utils.Database, source_key: str) -> set[str]:
    """The entry ids already stored from the feed at `source_key`."""
    return {r["entry_id"] for r in db.query("SELECT entry_id FROM feed_entries WHERE feed = ?",
                                            [feed_row_id(source_key)])}


def record_feed(db: sqlite_utils.Database, *, source_key: str, source_path: str, feed_id: str | None,
                title: str | None, link: str | None, version: str, etag: str | None = None,
                last_modified: str | None = None) -> str:
    """Insert or update the feeds row of a feed just read (with the HTTP validators it was served with,
    for the next conditional request); returns its id."""
    fid = feed_row_id(source_key)
    stamp = now_iso()
    with write_transaction(db):
        db.execute("""INSERT INTO feeds (id, source_key, source_path, feed_id, title, link, version, etag,
                                         last_modified, first_read, last_read) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                      ON CONFLICT(id) DO UPDATE SET source_path = excluded.source_path, feed_id = excluded.feed_id,
                         title = excluded.title, link = excluded.link, version = excluded.version,
                         etag = excluded.etag, last_modified = excluded.last_modified,
                         last_read = excluded.last_read""",
                   [fid, source_key, source_path, feed_id, title, link, version, etag, last_modified, stamp, stamp])
    return fid


def feed_validators(db: sqlite_utils.Database, source_keys: list[str]) -> dict[str, tuple[str | None, str | None]]:
    """(ETag, Last-Modified) stored for each of these feed URLs that has any; feeds with entries to retry
    (an earlier entry stored nothing) get none, so the next read is a full one."""
    out = {}
    for key in source_keys:
        row = db.execute("SELECT etag, last_modified FROM feeds WHERE id = ? AND coalesce(etag, last_modified) "
                         "IS NOT NULL", [feed_row_id(key)]).fetchone()
        if row:
            out[key] = (row[0], row[1])
    return out


def set_feed_validators(db: sqlite_utils.Database, source_key: str, etag: str | None,
                        last_modified: str | None) -> None:
    """Keep a feed's ETag / Last-Modified for the next conditional request."""
    with write_transaction(db):
        db.execute("UPDATE feeds SET etag = ?, last_modified = ? WHERE id = ?",
                   [etag, last_modified, feed_row_id(source_key)])


def touch_feed(db: sqlite_utils.Database, source_key: str) -> None:
    """Note that a feed was read again and had not changed (HTTP 304)."""
    with write_transaction(db):
        db.execute("UPDATE feeds SET last_read = ? WHERE id = ?", [now_iso(), feed_row_id(source_key)])


def record_entry(db: sqlite_utils.Database, *, feed_key: str, entry_id: str, article_key: str, link: str | None,
                 title: str | None, published: str | None, full_page: bool) -> None:
    """Mark one entry of a feed as stored (as the article with source key `article_key`)."""
    fid = feed_row_id(feed_key)
    with write_transaction(db):
        row = db.execute("SELECT id FROM articles WHERE source_key = ?", [article_key]).fetchone()
        db.execute("""INSERT OR IGNORE INTO feed_entries (feed, entry_id, article_id, article_key, link, title,
                                                        published, full_page, first_seen)
                      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                   [fid, entry_id, row[0] if row else None, article_key, link, title, published, int(full_page),
                    now_iso()])
        db.execute("UPDATE feeds SET entries = (SELECT count(*) FROM feed_entries WHERE feed = ?) WHERE id = ?",
                   [fid, fid])
