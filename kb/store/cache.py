"""The analysis cache (table nlp_cache): serialized docs keyed by pipeline version and passage hash.

Analysis reads it through its own read-only connection (CacheReader), so worker processes can read
while the single writer goes on; the writer stores new entries with the article (save_cache_rows).
"""

from __future__ import annotations

import sqlite3
import zlib

import sqlite_utils
import srsly


def looks_like_docs(data: object) -> bool:
    """Whether a cache blob is a serialized DocBin (zlib-compressed msgpack with tokens): a row damaged on
    disk or written by something else is treated as missing, so its passages are analysed again and the
    row is rewritten with the article."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        return False
    try:
        msg = srsly.msgpack_loads(zlib.decompress(bytes(data)))
    except Exception:  # any decoding failure means the same: not a usable entry
        return False
    return isinstance(msg, dict) and "tokens" in msg and "spaces" in msg and "lengths" in msg


class CacheReader:
    """Reads cached analyses (serialized docs keyed by pipeline version and passage hash)."""

    def __init__(self, db_path: str | None):
        self.db_path = db_path
        self._conn: sqlite3.Connection | None = None

    def get_many(self, keys: list[str]) -> dict[str, bytes]:
        """The cached blobs for those keys that are present."""
        if not self.db_path or not keys:
            return {}
        if self._conn is None:
            self._conn = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=30,
                                         check_same_thread=False)
        found: dict[str, bytes] = {}
        for i in range(0, len(keys), 500):
            batch = keys[i:i + 500]
            try:
                rows = self._conn.execute(
                    f"SELECT key, data FROM nlp_cache WHERE key IN ({','.join('?' * len(batch))})", batch)
                found.update((key, data) for key, data in rows if looks_like_docs(data))
            except sqlite3.Error:
                return found  # a cache we cannot read only costs time
        return found

    def close(self) -> None:
        """Close the read connection."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def save_cache_rows(db: sqlite_utils.Database, rows: list[dict]) -> None:
    """Store new cache entries ({"key", "data"} rows), replacing entries with the same key."""
    if rows:
        db["nlp_cache"].insert_all(rows, pk="key", replace=True)
