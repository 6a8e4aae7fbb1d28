"""Track claims: one fingerprint per real-world claim, evidence from many passages, conflicts between sources."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from typing import Iterable

import sqlite_utils

import kb.store as kbdb
from kb.records import Claim
from kb.store.fts import fts_text

MODALITY_ORDER = ("asserted", "reported", "planned", "forecast", "hedged", "opinion")
# Values within this relative difference are the same figure written with different rounding.
REL_TOL = 0.02


def _canonical_value(x: float | None) -> str:
    if x is None:
        return ""
    if x == 0:
        return "0"
    digits = 3 - int(math.floor(math.log10(abs(x)))) - 1
    return repr(round(x, digits))


def amount_key(amount) -> tuple:
    """The part of an amount that identifies a figure: currency, unit, period and value (bounds folded)."""
    if amount is None:
        return ()
    lo = amount.min if amount.min is not None else amount.max
    hi = amount.max if amount.max is not None else amount.min
    return (amount.currency or "", amount.unit, amount.period or "", _canonical_value(lo), _canonical_value(hi))


_METRIC_CLASSES = (
    ("revenue_share", r"(売上|収益|revenue|sales).*(占め|割合|share|%|比率)|share of .*(revenue|sales)|占める割合"),
    ("market_share", r"シェア|market share|share of .*market"),
    ("growth", r"成長|伸び|増加|growth|grew|rose|increase"),
)


def metric_class(metric: str) -> str:
    """A coarse statistic kind, so 「売上に占める割合」 and "share of revenue" are one metric."""
    m = (metric or "").lower()
    for name, pattern in _METRIC_CLASSES:
        if re.search(pattern, m):
            return name
    return m


def _pair(claim: Claim) -> tuple[str, str]:
    subj = claim.subject.id if claim.subject else ""
    obj = claim.object.id if claim.object else ""
    if claim.type == "partnership":
        subj, obj = sorted((subj, obj))
    return subj, obj


def base_key(claim: Claim) -> str:
    """Who/what a claim is about, ignoring value and polarity: claims sharing it can conflict."""
    subj, obj = _pair(claim)
    d = claim.details or {}
    detail = ""
    if claim.type == "role":
        detail = str(d.get("title", "")).lower()
    elif claim.type == "statistic":
        detail = metric_class(str(d.get("metric", "")))
    elif claim.type == "partnership":
        detail = str(d.get("kind", ""))
    period = (claim.amount.period if claim.amount is not None else None) or ""
    unit = (claim.amount.unit if claim.amount is not None else "") or ""
    # The horizon stays in details only: one article says "over 3 years", another leaves it out.
    return kbdb.stable_id(claim.type, subj, obj, detail, period, unit)


def fingerprint(claim: Claim) -> str:
    """Stable id of a tracked claim: equal for the same claim written in other words or notations."""
    return kbdb.stable_id(base_key(claim), claim.polarity, amount_key(claim.amount))


def save_claims(db: sqlite_utils.Database, article_id: str, article, claims: list[Claim]) -> set[str]:
    """Upsert tracked claims and write this article's evidence rows; returns the claim ids touched."""
    from kb.claims import summarize

    touched: set[str] = set()
    claim_rows: dict[str, dict] = {}
    evidence_rows = []
    for c in claims:
        cid = fingerprint(c)
        touched.add(cid)
        if cid not in claim_rows:
            claim_rows[cid] = _claim_row(cid, c, summarize(c))
        a = c.amount
        evidence_rows.append({
            "id": kbdb.stable_id(cid, article_id, c.start, c.end),
            "claim_id": cid, "article_id": article_id,
            "passage_id": kbdb.passage_id(article_id, c.passage_idx),
            "start": c.start, "end": c.end, "quote": article.text[c.start:c.end],
            "attributed_to_id": c.attributed_to.id if c.attributed_to else None,
            "modality": c.modality, "polarity": c.polarity,
            "amount_text": a.text if a is not None else None,
            "details": kbdb.json_dumps(c.details) if c.details else None,
        })
    investment_entities = [_investment_entity(row) for row in claim_rows.values() if row["type"] == "investment"]
    if investment_entities:
        kbdb.upsert_entities(db, investment_entities)
    if claim_rows:
        db["claims"].insert_all(claim_rows.values(), pk="id", ignore=True)
    if evidence_rows:
        db["claim_evidence"].insert_all(evidence_rows, pk="id", replace=True)
    return touched


def _claim_row(cid: str, c: Claim, summary: str) -> dict:
    a = c.amount
    subj, obj = (c.subject, c.object)
    if c.type == "partnership" and subj and obj and obj.id < subj.id:
        subj, obj = obj, subj
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
        "details": kbdb.json_dumps(c.details) if c.details else None,
        "investment_id": f"investment:{cid}" if c.type == "investment" else None,
        "base_key": base_key(c),
        "search_text": fts_text(summary),
    }


def _investment_entity(row: dict) -> dict:
    return {"id": row["investment_id"], "name": row["summary"], "type": "investment", "in_gazetteer": 0,
            "attrs": kbdb.json_dumps({k: row[k] for k in ("subject_id", "object_id", "amount_min", "amount_max",
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
                db.execute("DELETE FROM claim_conflicts WHERE claim_id = ? OR other_claim_id = ?", [cid, cid])
                db.execute("UPDATE entities SET claims = 0 WHERE id = ?", [f"investment:{cid}"])
                db.execute("DELETE FROM claims WHERE id = ?", [cid])
                db.execute("DELETE FROM entities WHERE id = ?", [f"investment:{cid}"])
                continue
            modalities = Counter(m for m in json.loads(s["modalities"]) if m)
            modality = min(modalities, key=lambda m: (-modalities[m], MODALITY_ORDER.index(m)
                                                      if m in MODALITY_ORDER else 99)) if modalities else None
            attributions = Counter(a for a in json.loads(s["attributions"]) if a)
            attributed = min(attributions, key=lambda a: (-attributions[a], a)) if attributions else None
            db.execute("""UPDATE claims SET evidence_count = ?, sources = ?, first_seen = ?, last_seen = ?,
                          modality = coalesce(?, modality), attributed_to_id = ? WHERE id = ?""",
                       [s["n"], s["sources"], s["first_seen"], s["last_seen"], modality, attributed, cid])
    refresh_conflicts(db, base_keys)


def refresh_conflicts(db: sqlite_utils.Database, base_keys: Iterable[str]) -> None:
    """Recompute conflicts among claims sharing a base key (same type, parties, period)."""
    for key in sorted(set(base_keys)):
        rows = list(db.query("SELECT id, polarity, currency, amount_min, amount_max, unit, bound FROM claims "
                             "WHERE base_key = ? ORDER BY id", [key]))
        ids = [r["id"] for r in rows]
        if ids:
            marks = ",".join("?" * len(ids))
            db.execute(f"DELETE FROM claim_conflicts WHERE claim_id IN ({marks}) OR other_claim_id IN ({marks})",
                       ids + ids)
        pairs = []
        for i, a in enumerate(rows):
            for b in rows[i + 1:]:
                reason = conflict_reason(a, b)
                if reason:
                    pairs.append({"claim_id": a["id"], "other_claim_id": b["id"], "reason": reason})
                    pairs.append({"claim_id": b["id"], "other_claim_id": a["id"], "reason": reason})
        if pairs:
            db["claim_conflicts"].insert_all(pairs, pk=("claim_id", "other_claim_id"), replace=True)
        for r in rows:
            db.execute("UPDATE claims SET conflicts = (SELECT count(*) FROM claim_conflicts WHERE claim_id = ?) "
                       "WHERE id = ?", [r["id"], r["id"]])


def conflict_reason(a: dict, b: dict) -> str | None:
    """Why two claims with the same base key disagree, or None if they are compatible."""
    if a["polarity"] != b["polarity"]:
        return "affirmed vs negated"
    if a["amount_min"] is None and a["amount_max"] is None or b["amount_min"] is None and b["amount_max"] is None:
        return None
    if (a["currency"] or "") != (b["currency"] or ""):
        return None
    lo_a, hi_a = _span(a)
    lo_b, hi_b = _span(b)
    if _close(lo_a, lo_b) and _close(hi_a, hi_b):
        return None
    if _within_bound(a, lo_b, hi_b) or _within_bound(b, lo_a, hi_a):
        return None
    return f"amounts disagree: {_fmt(lo_a, hi_a, a['currency'])} vs {_fmt(lo_b, hi_b, b['currency'])}"


def _within_bound(bounded: dict, lo: float, hi: float) -> bool:
    """A one-sided figure ("at least 2B", "up to 1.4T") agrees with any value on its side."""
    if bounded.get("bound") == "lower" and bounded["amount_max"] is None:
        return hi >= bounded["amount_min"] * (1 - REL_TOL)
    if bounded.get("bound") == "upper" and bounded["amount_min"] is None:
        return lo <= bounded["amount_max"] * (1 + REL_TOL)
    return False


def _span(r: dict) -> tuple[float, float]:
    lo = r["amount_min"] if r["amount_min"] is not None else r["amount_max"]
    hi = r["amount_max"] if r["amount_max"] is not None else r["amount_min"]
    return lo, hi


def _close(x: float, y: float) -> bool:
    return math.isclose(x, y, rel_tol=REL_TOL)


def _fmt(lo: float, hi: float, currency: str | None) -> str:
    def one(v: float) -> str:
        for scale, word in ((1e12, "T"), (1e9, "B"), (1e6, "M")):
            if abs(v) >= scale:
                return f"{v / scale:g}{word}"
        return f"{v:g}"
    cur = f" {currency}" if currency else ""
    return (one(lo) if _close(lo, hi) else f"{one(lo)}–{one(hi)}") + cur


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i:i + size]
