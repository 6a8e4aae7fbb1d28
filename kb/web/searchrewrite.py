"""Rewrite table-page `_search=` queries into FTS5 phrase queries that work for Japanese.

The FTS columns hold text whose CJK characters are spaced out (kb.store.fts.fts_text), so a plain
`_search=工場` would look for the token 工場 and find nothing. We turn the user's words into phrase
queries (kb.store.fts.fts_query) and switch the table to `_searchmode=raw`. The user's own words travel
along in `_kbq`, so pagination links and the re-filled search box keep working.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode

from kb.store.fts import fts_query

SEARCH_TABLES = ("passages", "claims")
ORIGINAL_PARAM = "_kbq"
# Every CJK character becomes a phrase token; a query longer than this is not a search but a load test.
MAX_SEARCH_CHARS = 200


def search_too_long(query_string: str) -> bool:
    """Whether the user's search words (`_kbq` on a rewritten page, else `_search`) exceed MAX_SEARCH_CHARS."""
    values = parse_qsl(query_string, keep_blank_values=True)
    original = [v for k, v in values if k == ORIGINAL_PARAM]
    words = original or [v for k, v in values if k == "_search" or k.startswith("_search_")]
    return any(len(w) > MAX_SEARCH_CHARS for w in words)


def is_search_table_path(path: str, tables=SEARCH_TABLES) -> bool:
    """True for `/<db>/<table>` and `/<db>/<table>.<format>` pages of the searchable tables."""
    pattern = r"^/[^/]+/(?:%s)(?:\.\w+)?/?$" % "|".join(re.escape(t) for t in tables)
    return re.match(pattern, path) is not None


def rewrite_search_args(query_string: str) -> str | None:
    """The rewritten query string, or None when nothing needs to change."""
    args = parse_qsl(query_string, keep_blank_values=True)
    keys = [k for k, _ in args]
    search_keys = [k for k in keys if k == "_search" or k.startswith("_search_")]
    if not search_keys:
        return None
    values = dict(args)
    original = values.get(ORIGINAL_PARAM)
    raw = values.get("_searchmode") == "raw"
    if raw and original is None:
        return None  # someone asked for raw FTS5 syntax on purpose
    changed = False
    out = []
    for key, value in args:
        if key in search_keys:
            if original is not None and value == fts_query(original):
                out.append((key, value))  # a pagination link: already rewritten
                continue
            original = value
            rewritten = fts_query(value)
            out.append((key, rewritten))
            changed = True
        elif key not in ("_searchmode", ORIGINAL_PARAM):
            out.append((key, value))
    if not changed and raw:
        return None
    out += [("_searchmode", "raw"), (ORIGINAL_PARAM, original or "")]
    return urlencode(out)
