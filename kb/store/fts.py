"""Full-text search that works for Japanese: every CJK character is its own FTS token.

SQLite's unicode61 tokenizer treats a run of kana/kanji as one token, so a search for a word inside
it finds nothing, and the trigram tokenizer ignores queries shorter than three characters. We index
`search_text`, where CJK characters are separated by spaces, and turn a user's query into FTS5 phrase
queries of those characters: a phrase of consecutive characters is an exact substring match, for
queries of any length (工場, AI, ウィスコンシン州 …).
"""

from __future__ import annotations

import re
import unicodedata

_CJK = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\u3005\u30fc"
_CJK_RE = re.compile(f"([{_CJK}])")
_TERM_RE = re.compile(r'"([^"]+)"|(\S+)')


def fts_text(text: str) -> str:
    """Text for the FTS column: NFKC, CJK characters spaced out, other words kept."""
    t = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", " ", _CJK_RE.sub(r" \1 ", t)).strip()


def fts_query(query: str) -> str:
    """An FTS5 MATCH expression for a user query: each term (or "quoted phrase") must occur."""
    phrases = []
    for m in _TERM_RE.finditer(unicodedata.normalize("NFKC", query)):
        term = m.group(1) or m.group(2)
        tokens = [t for t in re.split(r"[^\w]+", fts_text(term)) if t]
        if tokens:
            phrases.append('"' + " ".join(tokens).replace('"', '""') + '"')
    return " ".join(phrases)
