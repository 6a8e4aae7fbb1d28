"""Table-page `_search=` on claims and passages that works for Japanese, with OR, phrases and aliases.

The FTS columns hold text whose CJK characters are spaced out (kb.store.fts.fts_text), so Datasette's own
`_search=工場` would look for the token 工場 and find nothing, and its raw mode shows SQL errors for a
stray `"`. The ASGI wrapper moves the user's words from `_search` to `_kbq` (so Datasette's search filter
stays out), and the plugin's filters_from_request hook turns them into the same FTS5 expression the
search page runs (kb.store.fts.search_match), describes the filter in the user's words and fills the
search box with them. Pagination links carry `_kbq`. `_searchmode=raw` is left to Datasette on purpose.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode

SEARCH_TABLES = ("passages", "claims")
ORIGINAL_PARAM = "_kbq"
# Every CJK character becomes a phrase token; a query longer than this is not a search but a load test.
MAX_SEARCH_CHARS = 200


def search_too_long(query_string: str) -> bool:
    """Whether the user's search words (`_kbq` on a rewritten page, else `_search`) exceed MAX_SEARCH_CHARS."""
    values = parse_qsl(query_string, keep_blank_values=True)
    words = [v for k, v in values if k == ORIGINAL_PARAM or k == "_search" or k.startswith("_search_")]
    return any(len(w) > MAX_SEARCH_CHARS for w in words)


def is_search_table_path(path: str, tables=SEARCH_TABLES) -> bool:
    """True for `/<db>/<table>` and `/<db>/<table>.<format>` pages of the searchable tables."""
    pattern = r"^/[^/]+/(?:%s)(?:\.\w+)?/?$" % "|".join(re.escape(t) for t in tables)
    return re.match(pattern, path) is not None


def rewrite_search_args(query_string: str) -> str | None:
    """The query string with `_search` (or `_search_search_text`) moved to `_kbq`, or None when nothing
    needs to change (no search, or `_searchmode=raw` asked for on purpose)."""
    args = parse_qsl(query_string, keep_blank_values=True)
    search = [v for k, v in args if k in ("_search", "_search_search_text")]
    if not search or any(k == "_searchmode" and v == "raw" for k, v in args):
        return None
    out = [(k, v) for k, v in args if k not in ("_search", "_search_search_text", ORIGINAL_PARAM, "_searchmode")]
    if search[-1].strip():
        out.append((ORIGINAL_PARAM, search[-1]))
    return urlencode(out)
