"""Tracked claims in the database: claim and evidence rows, evidence aggregates and conflicts.

What a claim is, and when two disagree, kb.tracking decides; this module writes and reads the rows.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Iterable, Iterator

import sqlite_utils

from kb.amounts import parse_amount
from kb.claims.summary import summarize
from kb.records import Claim, EntityRef
from kb.sources import Article
from kb.store.entities import upsert_entities
from kb.store.fts import fts_text, refresh_claim_search_text
from kb.store.syndication import STORY_KEY_SQL
from kb.store.values import json_dumps, passage_id, stable_id
from kb.tracking import (base_key, conflict_pairs, fingerprint, investment_id, match, prevailing_amount,
                         prevailing_attribution, prevailing_modality, stored_roles)

# The claim columns same_fact and conflict_reason compare.
_CONFLICT_COLUMNS = ("id, type, polarity, object_id, currency, amount_min, amount_max, unit, period, bound, "
                     "approximate, details")


# What a figureless tracked claim takes from the first evidence that states its figure.
_FIGURE_COLUMNS = ("amount_min", "amount_max", "currency", "unit", "period", "approximate", "bound", "amount_usd",
                   "summary", "search_text")


def place_parents(db: sqlite_utils.Database, entity_ids: Iterable[str | None]) -> dict[str, str]:
    """city (or county, parish, township) id -> id of the state it lies in (the gazetteer's admin1, in the
    entity's attrs)."""
    ids = sorted({i for i in entity_ids if i and i.startswith(("city:", "place:"))})
    out: dict[str, str] = {}
    for chunk in _chunks(ids, 400):
        marks = ",".join("?" * len(chunk))
        for r in db.query(f"SELECT id, json_extract(attrs, '$.admin1') AS parent FROM entities "
                          f"WHERE id IN ({marks}) AND json_valid(attrs)", chunk):
            if r["parent"]:
                out[r["id"]] = r["parent"]
    return out


def _candidates(db: sqlite_utils.Database, key: str) -> list[dict]:
    """Stored tracked claims of one base key, best corroborated first (the order match tries them in).

    A claim an analyst edited (kb.store.review) is matched with what extraction said (`review_original`):
    the article read again says it again, and the review is re-applied after saving."""
    out = []
    for row in db.query(f"SELECT {_CONFLICT_COLUMNS}, review_original FROM claims WHERE base_key = ? "
                        "ORDER BY sources DESC, id", [key]):
        original = json.loads(row.pop("review_original") or "null")
        if isinstance(original, dict):
            row.update({k: v for k, v in original.items() if k in row and k != "id"})
        out.append(row)
    return out


def _reversed_contract(db: sqlite_utils.Database, c: Claim, by_key: dict[str, list[dict]],
                       parents: dict[str, str], here: dict[str, set[int]]) -> str | None:
    """The stored contract of the same two parties told the other way round, when it is the same deal.

    "X's contracts with Y total about $22.4 billion" names no buyer: extraction may take either side as the
    customer, and two sources that did so differently still report one deal (same figure, period, polarity).
    The tracked claim keeps the direction it was first stored with; the evidence says how each source put it.
    """
    if c.type != "contract" or c.subject is None or c.object is None:
        return None
    flipped = dataclasses.replace(c, subject=c.object, object=c.subject)
    key = base_key(flipped, parents)
    if key not in by_key:
        by_key[key] = _candidates(db, key)
    # Rows of the reversed key name c's subject as their object: compared as c's own direction.
    as_mine = [dict(r, object_id=c.object.id) for r in by_key[key]]
    return match(c, as_mine, parents, here)


def save_claims(db: sqlite_utils.Database, article_id: str, article: Article, claims: list[Claim]) -> set[str]:
    """Upsert tracked claims and write this article's evidence rows; returns the claim ids touched."""
    touched: set[str] = set()
    claim_rows: dict[str, dict] = {}
    evidence_rows = []
    by_key: dict[str, list[dict]] = {}
    here: dict[str, set[int]] = {}  # claim id -> passages of this article that are its evidence
    parents = place_parents(db, [c.object.id for c in claims if c.object])
    # An article's figured claims first: a figureless mention of the same parties then joins the figure its own
    # article states (kb.tracking.figure_partners); evidence rows and ids do not depend on the order.
    # The places the article itself states for each base key: a city and its state both stated are two claims
    # whatever order they are saved in (kb.tracking.match).
    stated: dict[str, set[str]] = {}
    for c in claims:
        if c.object is not None:
            stated.setdefault(base_key(c, parents), set()).add(c.object.id)
    for c in sorted(claims, key=lambda c: c.amount is None):
        key = base_key(c, parents)
        if key not in by_key:
            by_key[key] = _candidates(db, key)
            parents.update(place_parents(db, [r["object_id"] for r in by_key[key] if r["object_id"] not in parents]))
        # The same fact in other words, notation or granularity is evidence of the stored claim.
        cid = match(c, by_key[key], parents, here, stated.get(key, ())) \
            or _reversed_contract(db, c, by_key, parents, here) or _new_id(c, by_key[key])
        here.setdefault(cid, set()).add(c.passage_idx)
        touched.add(cid)
        stored = next((r for rows in by_key.values() for r in rows if r["id"] == cid), None)
        if stored is None:
            claim_rows[cid] = claim_row(cid, c, summarize(c), parents)
            by_key[key].append(claim_rows[cid])
        elif c.amount is not None and stored.get("amount_min") is None and stored.get("amount_max") is None:
            # A figureless tracked claim gets the figure of the first evidence that states it (figure_partners).
            figured = claim_row(cid, c, summarize(c), parents)
            stored.update({k: figured[k] for k in _FIGURE_COLUMNS})
            if cid in claim_rows:
                claim_rows[cid].update({k: figured[k] for k in _FIGURE_COLUMNS})
            else:
                db["claims"].update(cid, {k: figured[k] for k in _FIGURE_COLUMNS})
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


def _new_id(c: Claim, rows: list[dict]) -> str:
    """The fingerprint of a new tracked claim; another one if a stored claim of its base key has it (a
    figureless claim that took a figure keeps its figureless fingerprint, and is another fact now)."""
    cid, taken = fingerprint(c), {r["id"] for r in rows}
    while cid in taken:
        cid = stable_id(cid, "next")
    return cid


def claim_row(cid: str, c: Claim, summary: str, parents: dict[str, str] | None = None) -> dict:
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
        "base_key": base_key(c, parents),
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
            SELECT e.claim_id, count(*) AS n, count(DISTINCT {STORY_KEY_SQL}) AS sources,
                   min(substr(coalesce(a.published_local, a.published, a.ingested_at), 1, 10)) AS first_seen,
                   max(substr(coalesce(a.published_local, a.published, a.ingested_at), 1, 10)) AS last_seen,
                   json_group_array(e.modality) AS modalities,
                   json_group_array(e.attributed_to_id) AS attributions
            FROM claim_evidence e JOIN articles a ON a.id = e.article_id
            LEFT JOIN syndication_members m ON m.article_id = e.article_id
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
            _refresh_amount(db, cid)
    refresh_claim_search_text(db, ids)  # its quotes (and summary) may have changed
    refresh_conflicts(db, base_keys)


def _refresh_amount(db: sqlite_utils.Database, cid: str) -> None:
    """Give the claims row the figure most of its sources state (the variants stay in the evidence)."""
    row = next(iter(db.query("SELECT * FROM claims WHERE id = ?", [cid])))
    if row["amount_min"] is None and row["amount_max"] is None:
        return
    variants = []
    # Copies of one story (a syndication group) state its figure once.
    for e in db.query(f"""SELECT {STORY_KEY_SQL} AS story, e.amount_text FROM claim_evidence e
                         JOIN articles a ON a.id = e.article_id
                         LEFT JOIN syndication_members m ON m.article_id = e.article_id
                         WHERE e.claim_id = ? AND e.amount_text IS NOT NULL
                         ORDER BY coalesce(a.published, a.ingested_at), a.id, e.start""", [cid]):
        parsed = parse_amount(e["amount_text"])
        if parsed is None or (parsed.currency or "") != (row["currency"] or "") or parsed.unit != row["unit"]:
            continue
        variants.append((e["story"], {"amount_min": parsed.min, "amount_max": parsed.max,
                                           "currency": parsed.currency, "unit": parsed.unit, "bound": parsed.bound,
                                           "approximate": int(bool(parsed.approximate)), "parsed": parsed}))
    best = prevailing_amount(variants)
    if best is None or all(best[k] == row[k] for k in ("amount_min", "amount_max", "bound", "approximate")):
        return
    amount = dataclasses.replace(best["parsed"], period=row["period"])
    refs = {r["id"]: EntityRef(r["id"], r["name"], r["type"]) for r in db.query(
        "SELECT id, name, type FROM entities WHERE id IN (?, ?)", [row["subject_id"], row["object_id"]])}
    claim = Claim(row["type"], refs.get(row["subject_id"]), refs.get(row["object_id"]), 0, 0, -1, amount=amount,
                  modality=row["modality"] or "asserted", polarity=row["polarity"] or "affirmed",
                  details=json.loads(row["details"]) if row["details"] else {})
    summary = summarize(claim)
    db.execute("""UPDATE claims SET amount_min = ?, amount_max = ?, bound = ?, approximate = ?, amount_usd = ?,
                  summary = ? WHERE id = ?""",
               [amount.min, amount.max, amount.bound, int(bool(amount.approximate)), amount.usd(), summary, cid])


def _delete_claim(db: sqlite_utils.Database, cid: str) -> None:
    db.execute("DELETE FROM claim_conflicts WHERE claim_id = ? OR other_claim_id = ?", [cid, cid])
    db.execute("UPDATE entities SET claims = 0 WHERE id = ?", [investment_id(cid)])
    db.execute("DELETE FROM claims WHERE id = ?", [cid])
    db.execute("DELETE FROM entities WHERE id = ?", [investment_id(cid)])


def refresh_conflicts(db: sqlite_utils.Database, base_keys: Iterable[str]) -> None:
    """Recompute conflicts among claims sharing a base key (same type, parties, identity detail).

    Each disagreeing pair is stored once, the smaller claim id in claim_id; `claims.conflicts` counts
    the pairs a claim is in, on either side."""
    for key in sorted(set(base_keys)):
        rows = list(db.query(f"SELECT {_CONFLICT_COLUMNS} FROM claims WHERE base_key = ? ORDER BY id", [key]))
        parents = place_parents(db, [r["object_id"] for r in rows])
        ids = [r["id"] for r in rows]
        if ids:
            marks = ",".join("?" * len(ids))
            db.execute(f"DELETE FROM claim_conflicts WHERE claim_id IN ({marks}) OR other_claim_id IN ({marks})",
                       ids + ids)
        pairs = [{"claim_id": a, "other_claim_id": b, "reason": reason} for a, b, reason in conflict_pairs(rows, parents)]
        if pairs:
            db["claim_conflicts"].insert_all(pairs, pk=("claim_id", "other_claim_id"), replace=True)
        for r in rows:
            db.execute("UPDATE claims SET conflicts = (SELECT count(*) FROM claim_conflicts WHERE claim_id = ? "
                       "OR other_claim_id = ?) WHERE id = ?", [r["id"], r["id"], r["id"]])


def _chunks(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]
