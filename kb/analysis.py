"""Analyze one article without writing anything: segment, NLP (with the passage cache), entities, claims.

This is the expensive, side-effect-free part of an ingest, so it can run in worker processes or on a
Dask cluster while a single writer stores the results.
"""

from __future__ import annotations

import bisect
import sqlite3
from dataclasses import dataclass, field

from . import nlp
from .db import stable_id
from .records import EntityRef, Mention
from .segment import Passage, split_passages
from .sources import Article


@dataclass
class ArticleAnalysis:
    """Everything extracted from one article, ready to be written."""

    article: Article
    lang: str
    chunks: int
    passages: list[Passage]
    mentions: list[Mention]
    claims: list
    cached: int
    analyzed_chars: int
    cache_rows: list[dict] = field(default_factory=list)


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
                found.update(dict(rows))
            except sqlite3.Error:
                return found  # a cache we cannot read only costs time
        return found

    def close(self) -> None:
        """Close the read connection."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def analyze_article(article: Article, chunks: int, cache: CacheReader | None = None) -> ArticleAnalysis:
    """Segment, analyze (reusing cached docs), resolve entities and extract claims of one article."""
    from .claims import extract_claims

    lang = nlp.detect_language(article.text, article.lang)
    passages = split_passages(article.text)
    todo = [p for p in passages if p.duplicate_of is None]
    docs, cached, analyzed_chars, cache_rows = _docs_for(todo, lang, cache)
    mentions: list[Mention] = []
    for p, doc in zip(todo, docs):
        for span in nlp.doc_entity_spans(doc, lang):
            mentions.append(Mention(p.start + span.start, p.start + span.end,
                                    article.text[p.start + span.start:p.start + span.end],
                                    span.label, EntityRef(span.entity_id or "", "", span.type), span.source, p.idx))
    mentions = resolve_mentions(article.text, mentions, todo)
    claims = extract_claims(article.text, todo, docs, mentions, lang=lang)
    return ArticleAnalysis(article, lang, chunks, passages, mentions, claims, cached, analyzed_chars, cache_rows)


def resolve_mentions(text: str, mentions: list[Mention], passages: list[Passage]) -> list[Mention]:
    """Attach canonical entities to mentions and add mentions for 同社/両社/the company."""
    from .entities import resolve_mention, resolve_references
    from .gazetteer import Gazetteer

    gaz = Gazetteer.load()
    resolved: list[Mention] = []
    for m in mentions:
        entry = gaz.get(m.entity.id) if m.entity.id else None
        if entry is not None:
            m.entity = EntityRef(entry.id, entry.name, entry.type)
        else:
            r = resolve_mention(m.text, m.label)
            if not r or not r.id:
                continue
            m.entity = EntityRef(r.id, r.name, r.type)
        resolved.append(m)
    refs = {m.entity.id: m.entity for m in resolved}
    starts = [p.start for p in passages]
    for start, end, ids in resolve_references(text, [(m.start, m.end, m.entity.id) for m in resolved]):
        i = bisect.bisect_right(starts, start) - 1
        if i < 0 or start >= passages[i].end:
            continue
        for eid in ids:
            if eid in refs:
                resolved.append(Mention(start, end, text[start:end], "coref", refs[eid], "coref", passages[i].idx))
    resolved.sort(key=lambda m: (m.start, m.end, m.entity.id))
    return resolved


def _docs_for(passages: list[Passage], lang: str, cache: CacheReader | None):
    version = nlp.pipeline_version(lang)
    keys = [stable_id(version, p.text_hash, length=24) for p in passages]
    found = cache.get_many(sorted(set(keys))) if cache else {}
    missing = [i for i, k in enumerate(keys) if k not in found]
    new_docs = nlp.analyze([passages[i].text for i in missing], lang, needs_parse=nlp.may_hold_claims) \
        if missing else []
    docs = [None] * len(passages)
    for i, doc in zip(missing, new_docs):
        docs[i] = doc
    rows = []
    written: set[str] = set()
    for i, key in enumerate(keys):
        if docs[i] is None:
            docs[i] = nlp.docs_from_bytes(found[key], lang)[0]
        elif key not in written:
            rows.append({"key": key, "data": nlp.docs_to_bytes([docs[i]])})
            written.add(key)
    analyzed = sum(len(passages[i].text) for i in missing)
    return docs, len(passages) - len(missing), analyzed, rows
