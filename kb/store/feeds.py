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
                title: str | None, link: str | None, version: str) -> str:
    """Insert or update the feeds row of a feed just read; returns its id."""
    fid = feed_row_id(source_key)
    stamp = now_iso()
    with write_transaction(db):
        db.execute("""INSERT INTO feeds (id, source_key, source_path, feed_id, title, link, version, first_read,
                                         last_read) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                      ON CONFLICT(id) DO UPDATE SET source_path = excluded.source_path, feed_id = excluded.feed_id,
                         title = excluded.title, link = excluded.link, version = excluded.version,
                         last_read = excluded.last_read""",
                   [fid, source_key, source_path, feed_id, title, link, version, stamp, stamp])
    return fid


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
