"""Tracked claims in the database: claim and evidence rows, evidence aggregates and conflicts.

What a claim is, and when two disagree, kb.tracking decides; this module writes and reads the rows.
"""

from __future__ import annotations

import json
from typing import Iterable, Iterator

import sqlite_utils

from kb.claims.summary import summarize
from kb.records import Claim
from kb.sources import Article
from kb.store.entities import upsert_entities
from kb.store.fts import fts_text
from kb.store.values import json_dumps, passage_id, stable_id
from kb.tracking import (base_key, conflict_pairs, fingerprint, investment_id, prevailing_attribution,
                         prevailing_modality, stored_roles)

# The claim columns conflict_reason compares.
_CONFLICT_COLUMNS = "id, polarity, currency, amount_min, amount_max, unit, bound"


def save_claims(db: sqlite_utils.Database, article_id: str, article: Article, claims: list[Claim]) -> set[str]:
    """Upsert tracked claims and write this article's evidence rows; returns the claim ids touched."""
    touched: set[str] = set()
    claim_rows: dict[str, dict] = {}
    evidence_rows = []
    for c in claims:
        cid = fingerprint(c)
        touched.add(cid)
        if cid not in claim_rows:
            claim_rows[cid] = claim_row(cid, c, summarize(c))
        a = c.amount
        evidence_rows.append({
            "id": stable_id(cid, article_id, c.start, c.end),
            "claim_id": cid, "article_id": article_id,
            "passage_id": passage_id(article_id, c.passage_idx),
            "start": c.start, "end": c.end, "quote": article.text[c.start:c.end],
            "attributed_to_id": c.attributed_to.id if c.attributed_to else None,
            "modality": c.modality, "polarity": c.polarity,
            "amount_text": a.text if a is not None else None,
            "details": json_dumps(c.details) if c.details else None,
        })
    investment_entities = [_investment_entity(row) for row in claim_rows.values() if row["type"] == "investment"]
    if investment_entities:
        upsert_entities(db, investment_entities)
    if claim_rows:
        db["claims"].insert_all(claim_rows.values(), pk="id", ignore=True)
    if evidence_rows:
        db["claim_evidence"].insert_all(evidence_rows, pk="id", replace=True)
    return touched


def claim_row(cid: str, c: Claim, summary: str) -> dict:
    """The claims row of tracked claim `cid`, first seen as `c` (aggregates are filled in by refresh_claims)."""
    a = c.amount
    subj, obj = stored_roles(c)
    return {
        "id": cid, "type": c.type, "summary": summary,
        "subject_id": subj.id if subj else None, "object_id": obj.id if obj else None,
        "amount_min": a.min if a is not None else None, "amount_max": a.max if a is not None else None,
        "currency": a.currency if a is not None else None, "unit": a.unit if a is not None else None,
        "period": a.period if a is not None else None,
        "approximate": int(bool(a.approximate)) if a is not None else None,
        "bound": a.bound if a is not None else None,
        "amount_usd": a.usd() if a is not None else None,
        "modality": c.modality, "polarity": c.polarity,
        "attributed_to_id": c.attributed_to.id if c.attributed_to else None,
        "details": json_dumps(c.details) if c.details else None,
        "investment_id": investment_id(cid) if c.type == "investment" else None,
        "base_key": base_key(c),
        "search_text": fts_text(summary),
    }


def _investment_entity(row: dict) -> dict:
    return {"id": row["investment_id"], "name": row["summary"], "type": "investment", "in_gazetteer": 0,
            "attrs": json_dumps({k: row[k] for k in ("subject_id", "object_id", "amount_min", "amount_max",
                                                     "currency", "period", "amount_usd") if row[k] is not None})}


def refresh_claims(db: sqlite_utils.Database, claim_ids: Iterable[str]) -> None:
    """Recompute evidence aggregates and conflicts of the given claims; drop claims left without evidence."""
    ids = sorted(set(claim_ids))
    if not ids:
        return
    base_keys: set[str] = set()
    for chunk in _chunks(ids, 400):
        marks = ",".join("?" * len(chunk))
        base_keys |= {r["base_key"] for r in db.query(f"SELECT base_key FROM claims WHERE id IN ({marks})", chunk)}
        stats = {r["claim_id"]: r for r in db.query(f"""
            SELECT e.claim_id, count(*) AS n, count(DISTINCT e.article_id) AS sources,
                   min(substr(coalesce(a.published, a.ingested_at), 1, 10)) AS first_seen,
                   max(substr(coalesce(a.published, a.ingested_at), 1, 10)) AS last_seen,
                   json_group_array(e.modality) AS modalities,
                   json_group_array(e.attributed_to_id) AS attributions
            FROM claim_evidence e JOIN articles a ON a.id = e.article_id
            WHERE e.claim_id IN ({marks}) GROUP BY e.claim_id""", chunk)}
        for cid in chunk:
            s = stats.get(cid)
            if s is None:
                _delete_claim(db, cid)
                continue
            modality = prevailing_modality(json.loads(s["modalities"]))
            attributed = prevailing_attribution(json.loads(s["attributions"]))
            db.execute("""UPDATE claims SET evidence_count = ?, sources = ?, first_seen = ?, last_seen = ?,
                          modality = coalesce(?, modality), attributed_to_id = ? WHERE id = ?""",
                       [s["n"], s["sources"], s["first_seen"], s["last_seen"], modality, attributed, cid])
    refresh_conflicts(db, base_keys)


def _delete_claim(db: sqlite_utils.Database, cid: str) -> None:
    db.execute("DELETE FROM claim_conflicts WHERE claim_id = ? OR other_claim_id = ?", [cid, cid])
    db.execute("UPDATE entities SET claims = 0 WHERE id = ?", [investment_id(cid)])
    db.execute("DELETE FROM claims WHERE id = ?", [cid])
    db.execute("DELETE FROM entities WHERE id = ?", [investment_id(cid)])


def refresh_conflicts(db: sqlite_utils.Database, base_keys: Iterable[str]) -> None:
    """Recompute conflicts among claims sharing a base key (same type, parties, period)."""
    for key in sorted(set(base_keys)):
        rows = list(db.query(f"SELECT {_CONFLICT_COLUMNS} FROM claims WHERE base_key = ? ORDER BY id", [key]))
        ids = [r["id"] for r in rows]
        if ids:
            marks = ",".join("?" * len(ids))
            db.execute(f"DELETE FROM claim_conflicts WHERE claim_id IN ({marks}) OR other_claim_id IN ({marks})",
                       ids + ids)
        pairs = [{"claim_id": a, "other_claim_id": b, "reason": reason} for a, b, reason in conflict_pairs(rows)]
        if pairs:
            db["claim_conflicts"].insert_all(pairs, pk=("claim_id", "other_claim_id"), replace=True)
        for r in rows:
            db.execute("UPDATE claims SET conflicts = (SELECT count(*) FROM claim_conflicts WHERE claim_id = ?) "
                       "WHERE id = ?", [r["id"], r["id"]])


def _chunks(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]
