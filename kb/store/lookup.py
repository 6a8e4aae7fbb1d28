"""Read-side helpers: find entities by any alias and list tracked claims for briefings."""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from kb.errors import KBError


class EntityNotFound(KBError):
    """No entity matches the name the user gave."""


def find_entity(db: sqlite_utils.Database, name: str) -> dict:
    """The entity whose id, name or any alias matches `name` (NFKC/case/legal-form insensitive)."""
    from kb.entities import normalize_name

    norm = normalize_name(name)
    rows = list(db.query(
        """SELECT e.* FROM entities e WHERE e.id = :n OR e.name = :n
           UNION SELECT e.* FROM entities e JOIN entity_aliases a ON a.entity_id = e.id
           WHERE a.alias = :n OR a.normalized = :norm""", {"n": name, "norm": norm}))
    if not rows:
        try:
            from kb.entities.gazetteer import Gazetteer
            entry = Gazetteer.load().lookup(name)
        except ImportError:
            entry = None
        if entry is not None:
            rows = list(db.query("SELECT * FROM entities WHERE id = ?", [entry.id]))
    if not rows:
        like = list(db.query(
            "SELECT DISTINCT e.name FROM entities e JOIN entity_aliases a ON a.entity_id = e.id "
            "WHERE a.alias LIKE :p OR e.name LIKE :p ORDER BY e.mentions DESC LIMIT 5", {"p": f"%{name[:4]}%"}))
        hint = f"; did you mean {', '.join(r['name'] for r in like)}?" if like else ""
        raise EntityNotFound(f"no entity called {name!r} in the knowledge base{hint}")
    rows.sort(key=lambda r: (-(r["claims"] or 0), -(r["mentions"] or 0), r["id"]))
    return rows[0]


@dataclass
class ClaimLine:
    """One tracked claim as a briefing shows it."""

    id: str
    type: str
    summary: str
    sources: int
    first_seen: str | None
    last_seen: str | None
    modality: str
    polarity: str
    conflicts: list[str]
    quote: str | None


def list_claims(db: sqlite_utils.Database, *, entity_id: str | None = None, claim_type: str | None = None,
                conflicts_only: bool = False, limit: int | None = None) -> list[ClaimLine]:
    """Tracked claims, most corroborated first, optionally about one entity, of one type, or in conflict."""
    where, params = [], {}
    if entity_id:
        where.append("(c.subject_id = :e OR c.object_id = :e OR c.attributed_to_id = :e)")
        params["e"] = entity_id
    if claim_type:
        where.append("c.type = :t")
        params["t"] = claim_type
    if conflicts_only:
        where.append("c.conflicts > 0")
    sql = ("SELECT c.* FROM claims c" + (" WHERE " + " AND ".join(where) if where else "") +
           " ORDER BY c.type, c.sources DESC, c.first_seen, c.id" + (f" LIMIT {int(limit)}" if limit else ""))
    out = []
    for c in db.query(sql, params):
        conflicts = [f"{r['summary']} ({r['reason']})" for r in db.query(
            "SELECT o.summary, x.reason FROM claim_conflicts x JOIN claims o ON o.id = x.other_claim_id "
            "WHERE x.claim_id = ? ORDER BY o.id", [c["id"]])]
        quote = next(iter(db.query("SELECT e.quote FROM claim_evidence e JOIN articles a ON a.id = e.article_id "
                                   "WHERE e.claim_id = ? ORDER BY a.published, e.start LIMIT 1", [c["id"]])), None)
        out.append(ClaimLine(c["id"], c["type"], c["summary"] or "", c["sources"], c["first_seen"], c["last_seen"],
                             c["modality"] or "", c["polarity"] or "", conflicts, quote["quote"] if quote else None))
    return out
