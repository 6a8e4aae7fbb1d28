"""Articles in the database: one transaction per analysed article (passages, entities, mentions, claims),
replacing an earlier version of it, and the problems recorded per input file."""

from __future__ import annotations

import json
from typing import Callable, Protocol

import sqlite_utils

from kb.records import Claim, Mention
from kb.segment import Passage
from kb.sources import Article, site_of_url
from kb.store.cache import save_cache_rows
from kb.store.claims import refresh_claims, save_claims
from kb.store.entities import alias_row, entity_row, insert_aliases, refresh_entity_stats, upsert_entities
from kb.store.fts import changed_entities, entity_names_state, fts_text, refresh_claim_search_text
from kb.store.review import apply_review, concerns
from kb.store.schema import write_transaction
from kb.store.syndication import (claims_of_articles, index_article, index_stored, neighbourhood, regroup, relink_all,
                                  unindexed_articles)
from kb.store.values import json_list, now_iso, passage_id, stable_id


class AnalysedArticle(Protocol):
    """What save_article stores of an analysis (kb.pipeline.analysis.ArticleAnalysis has these fields)."""

    article: Article
    lang: str
    chunks: int
    passages: list[Passage]
    mentions: list[Mention]
    claims: list[Claim]
    cache_rows: list[dict]


def article_state(db: sqlite_utils.Database, source_key: str) -> tuple[str, str, str | None] | None:
    """Return (id, content_hash, extraction version) of the stored article for a source key, if any."""
    rows = list(db.query("SELECT id, content_hash, extraction FROM articles WHERE source_key = ?", [source_key]))
    return (rows[0]["id"], rows[0]["content_hash"], rows[0]["extraction"]) if rows else None


def delete_article(db: sqlite_utils.Database, article_id: str) -> tuple[set[str], set[str]]:
    """Delete an article and everything derived from it; returns affected (claim ids, entity ids).

    Its syndication group is rebuilt without it (the claims of copies that regroup are affected too)."""
    claim_ids = {r["claim_id"] for r in db.query(
        "SELECT DISTINCT claim_id FROM claim_evidence WHERE article_id = ?", [article_id])}
    copies = neighbourhood(db, article_id)
    entity_ids = {r["entity_id"] for r in db.query(
        "SELECT DISTINCT entity_id FROM mentions WHERE article_id = ?", [article_id])}
    db.execute("DELETE FROM claim_evidence WHERE article_id = ?", [article_id])
    db.execute("DELETE FROM mentions WHERE article_id = ?", [article_id])
    db.execute("UPDATE passages SET duplicate_of = NULL WHERE duplicate_of IN "
               "(SELECT id FROM passages WHERE article_id = ?) AND article_id != ?", [article_id, article_id])
    db.execute("DELETE FROM passages WHERE article_id = ?", [article_id])
    db.execute("DELETE FROM articles WHERE id = ?", [article_id])
    regroup(db, copies)
    claim_ids |= claims_of_articles(db, copies)  # their stories may have split (or lost this copy)
    return claim_ids, entity_ids


def passage_row(article_id: str, p: Passage) -> dict:
    """The passages row for a segment.Passage."""
    return {
        "id": passage_id(article_id, p.idx), "article_id": article_id, "idx": p.idx, "start": p.start,
        "end": p.end, "paragraph": p.paragraph, "kind": p.kind, "text": p.text, "norm_hash": p.norm_hash,
        "text_hash": p.text_hash, "duplicate_of": None, "duplicate_kind": p.duplicate_kind,
        "search_text": fts_text(p.text),
    }


def first_passage_with_norm(db: sqlite_utils.Database, norm_hash: str, exclude_article: str) -> str | None:
    """Earliest stored passage (in another article) with the same normalized text."""
    rows = list(db.query(
        "SELECT p.id FROM passages p JOIN articles a ON a.id = p.article_id "
        "WHERE p.norm_hash = ? AND p.article_id != ? AND p.duplicate_of IS NULL "
        "ORDER BY a.published, a.source_key, p.idx LIMIT 1", [norm_hash, exclude_article]))
    return rows[0]["id"] if rows else None


def save_article(db: sqlite_utils.Database, analysis: AnalysedArticle, *, replace_id: str | None,
                 extraction: str) -> bool:
    """Write one analysed article and its derived rows in a single transaction, replacing the stored
    version of the same source if there is one; `extraction` identifies what produced the analysis.

    The stored state is read again inside the write transaction (BEGIN IMMEDIATE), so a concurrent run
    that stored this source meanwhile is seen: if it stored the same content with the same extraction,
    nothing is written and False is returned (the caller counts the article unchanged); if it stored
    another version, that one is replaced. `replace_id` is what the caller saw before analysis (kept for
    callers; the state read under the lock decides). Returns True when the article was written.
    """
    a = analysis.article
    aid = a.id
    with write_transaction(db):
        state = article_state(db, a.source_key)
        if state and state[1] == a.content_hash and state[2] == extraction and state[0] == aid:
            return False
        replace_id = state[0] if state else None
        affected_claims: set[str] = set()
        affected_entities: set[str] = set()
        if replace_id:
            affected_claims, affected_entities = delete_article(db, replace_id)
        if replace_id != aid and db.execute("SELECT 1 FROM articles WHERE id = ?", [aid]).fetchone():
            c, e = delete_article(db, aid)  # the same id under another source key (cannot happen: ids hash it)
            affected_claims |= c
            affected_entities |= e
        dup = sum(1 for p in analysis.passages if p.duplicate_of is not None)
        db["articles"].insert({
            "id": aid, "source_key": a.source_key, "source_path": a.source_path, "title": a.title,
            "published": a.published, "published_raw": a.published_raw, "author": a.author,
            "tags": json_list(a.tags), "categories": json_list(a.categories), "url": a.url,
            "lang": analysis.lang, "format": a.format, "encoding": a.encoding, "text": a.text,
            "content_hash": a.content_hash, "chars": len(a.text), "chunks": analysis.chunks + 1,
            "passages": len(analysis.passages), "duplicate_passages": dup, "ingested_at": now_iso(),
            "extraction": extraction, "published_local": a.published_local, "outlet": a.outlet,
            "front_matter": json.dumps(a.front_matter, ensure_ascii=False, default=str) if a.front_matter else None,
            "site_name": a.site_name, "extractor": a.extractor,
        }, pk="id")
        # Copies of one story: the article joins (or starts) a syndication group; claims of copies whose
        # group changed are recounted with this article's own claims.
        affected_claims |= claims_of_articles(db, index_article(db, aid, a.text, a.outlet or site_of_url(a.url)))
        rows = []
        for p in analysis.passages:
            row = passage_row(aid, p)
            if p.duplicate_of is not None:
                row["duplicate_of"] = passage_id(aid, p.duplicate_of)
            else:
                other = first_passage_with_norm(db, p.norm_hash, aid)
                if other:
                    row["duplicate_of"], row["duplicate_kind"] = other, "other-article"
            rows.append(row)
        db["passages"].insert_all(rows, pk="id")
        entity_rows = {}
        alias_rows = {}
        mention_rows = []
        for m in analysis.mentions:
            entity_rows.setdefault(m.entity.id, entity_row(m.entity))
            if m.source != "coref":
                alias_rows[(m.entity.id, m.text)] = alias_row(m.entity.id, m.text)
            mention_rows.append({
                "id": stable_id(aid, m.start, m.end, m.entity.id), "article_id": aid,
                "passage_id": passage_id(aid, m.passage_idx), "entity_id": m.entity.id,
                "start": m.start, "end": m.end, "text": m.text, "label": m.label, "source": m.source})
        for c in analysis.claims:
            for ref in (c.subject, c.object, c.attributed_to):
                if ref is not None:
                    entity_rows.setdefault(ref.id, entity_row(ref))
        upsert_entities(db, entity_rows.values())
        for e in entity_rows.values():
            alias_rows.setdefault((e["id"], e["name"]), alias_row(e["id"], e["name"]))
        insert_aliases(db, alias_rows.values())
        if mention_rows:
            db["mentions"].insert_all(mention_rows, pk="id", replace=True)
        save_cache_rows(db, analysis.cache_rows)
        affected_claims |= save_claims(db, aid, a, analysis.claims)
        refresh_claims(db, affected_claims)
        affected_entities |= set(entity_rows)
        names_before = entity_names_state(db, affected_entities)
        refresh_entity_stats(db, affected_entities)
        refresh_claim_search_text(db, entity_ids=changed_entities(db, names_before))
        # After tracking, in the same transaction: the analyst's decisions hold for what was just written.
        if concerns(db, affected_claims, affected_entities, (m.text for m in analysis.mentions)):
            apply_review(db)
    return True


def adopt_source_keys(db: sqlite_utils.Database, key_for: Callable[[str], str | None]) -> int:
    """Re-key articles stored under a path as it was typed (before kb keyed files by their real path).

    `key_for(old_key)` gives the key the file has now, or None when it cannot be found from here. Where
    several spellings of one file were stored as separate articles (`corpus`, `/abs/corpus`, `../x/corpus`),
    the most recently ingested one is kept and the others are deleted, so every claim counts that file's
    article once. Returns the number of articles re-keyed or merged away; one transaction per file.
    """
    rows = list(db.query("SELECT id, source_key, ingested_at FROM articles WHERE source_key NOT LIKE '/%' "
                         "OR source_key LIKE '%/./%' OR source_key LIKE '%/../%' OR source_key LIKE '%//%'"))
    changed = 0
    for row in rows:
        new_key = key_for(row["source_key"])
        if new_key is None or new_key == row["source_key"]:
            continue
        with write_transaction(db):
            same = [r for r in db.query("SELECT id, ingested_at FROM articles WHERE source_key = ?", [new_key])]
            if not same:
                db.execute("UPDATE articles SET source_key = ? WHERE id = ?", [new_key, row["id"]])
                changed += 1
                continue
            keep = max(same + [row], key=lambda r: (r["ingested_at"] or "", r["id"]))
            claims: set[str] = set()
            entities: set[str] = set()
            for r in same + [row]:
                if r["id"] != keep["id"]:
                    c, e = delete_article(db, r["id"])
                    claims |= c
                    entities |= e
            db.execute("UPDATE articles SET source_key = ? WHERE id = ?", [new_key, keep["id"]])
            refresh_claims(db, claims)
            names_before = entity_names_state(db, entities)
            refresh_entity_stats(db, entities)
            refresh_claim_search_text(db, entity_ids=changed_entities(db, names_before))
            changed += 1
    return changed


def index_syndication(db: sqlite_utils.Database, *, rebuild: bool = False) -> tuple[int, int]:
    """Give every stored article without a current signature one (articles stored before syndication was
    tracked), joining copies into groups; with `rebuild`, also rebuild the LSH bands, copy pairs and groups
    of all articles from the stored signatures. Claims of regrouped articles are recounted.
    Returns (articles indexed, articles regrouped); one transaction."""
    if not rebuild and not unindexed_articles(db):
        return 0, 0
    with write_transaction(db):
        todo = unindexed_articles(db)
        changed = index_stored(db, todo)
        if rebuild:
            changed |= relink_all(db)
        refresh_claims(db, claims_of_articles(db, changed))
    return len(todo), len(changed)


def record_errors(db: sqlite_utils.Database, path: str, problems: list[dict]) -> None:
    """Replace the stored problems of one input path with `problems` (path, line, severity, stage, reason, hint)."""
    stamp = now_iso()
    with write_transaction(db):
        old = {r["id"]: r["first_seen"]
               for r in db.query("SELECT id, first_seen FROM ingest_errors WHERE path = ?", [path])}
        rows = []
        for p in problems:
            rid = stable_id(path, p.get("line"), p["severity"], p["reason"])
            rows.append({"id": rid, "path": path, "line": p.get("line"), "severity": p["severity"],
                         "stage": p.get("stage"), "reason": p["reason"], "hint": p.get("hint"),
                         "first_seen": old.get(rid, stamp)})
        db.execute("DELETE FROM ingest_errors WHERE path = ?", [path])
        if rows:
            db["ingest_errors"].insert_all(rows, pk="id", replace=True)
