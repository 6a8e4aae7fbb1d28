"""An analyst's review: decisions about claims and entities that survive re-ingest.

Decisions are a log (table review_decisions), keyed by stable ids: a claim by its id, which is the content
fingerprint of the claim as extracted (kb.tracking.fingerprint: the same article text gives the same id, in
this database and in a fresh one), an entity by its canonical id (company:hon-hai). Each row says who, when,
what (action + JSON value) and why (note); a later decision about the same thing supersedes an earlier one.

`apply_review` makes the stored rows say what the decisions say. It first undoes every earlier application
(claims.review_original and mentions.review_entity_from keep what extraction stored), then applies the
current state of the log, so it is idempotent and a revoked decision (a split undoing a merge) really goes
away. save_article runs it at the end of each article's transaction, after tracking, so an ingest never
leaves extraction's raw view of a reviewed entity or claim behind:

  claim   status (correct | wrong: wrong claims stay in the database, flagged, hidden from default listings),
          roles (subject/object entity), amount (min/max/currency/unit), note
  entity  merge (re-point mentions, claims and aliases to the surviving entity), alias (a name that resolves
          to the entity), suppress (the name and its mentions never become an entity; claims about it go),
          unsuppress, split (undo a merge, or detach an alias into its own entity)
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import re
from dataclasses import dataclass, field
from typing import Iterable, Iterator

import sqlite_utils

from kb.amounts import Amount
from kb.claims.summary import summarize
from kb.entities import normalize_name
from kb.entities.gazetteer import Gazetteer
from kb.errors import ReviewError
from kb.records import Claim, EntityRef
from kb.store.claims import refresh_claims
from kb.store.entities import entity_row, refresh_entity_stats
from kb.store.fts import fts_text
from kb.store.schema import write_transaction
from kb.store.values import json_dumps, stable_id

CLAIM_ACTIONS = ("status", "roles", "amount", "note")
ENTITY_ACTIONS = ("merge", "alias", "suppress", "unsuppress", "split")
STATUSES = ("correct", "wrong")
REVIEW_FORMAT = "kb-review"
REVIEW_FORMAT_VERSION = 1

# What a decision may change on a claims row; review_original keeps these as extraction stored them.
ORIGINAL_COLUMNS = ("subject_id", "object_id", "attributed_to_id", "amount_min", "amount_max", "currency", "unit",
                    "amount_usd", "approximate", "bound", "summary", "search_text")


def default_reviewer() -> str:
    """The reviewer name used when none is given: the OS user."""
    try:
        return getpass.getuser() or "unknown"
    except (KeyError, OSError):
        return "unknown"


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None).isoformat(timespec="microseconds")


# --- the log --------------------------------------------------------------------------------------------

def has_decisions(db: sqlite_utils.Database) -> bool:
    """Whether the database holds any review decision (cheap: save_article asks after every article)."""
    return db.execute("SELECT 1 FROM review_decisions LIMIT 1").fetchone() is not None


def decisions(db: sqlite_utils.Database, *, target: str | None = None, target_id: str | None = None) -> list[dict]:
    """Decisions in the order they were taken (value and snapshot parsed)."""
    where, params = [], []
    if target:
        where.append("target = ?")
        params.append(target)
    if target_id:
        where.append("target_id = ?")
        params.append(target_id)
    sql = "SELECT * FROM review_decisions" + (" WHERE " + " AND ".join(where) if where else "")
    out = []
    for r in db.query(sql + " ORDER BY decided_at, seq", params):
        r = dict(r)
        r["value"] = json.loads(r["value"]) if r["value"] else {}
        r["snapshot"] = json.loads(r["snapshot"]) if r["snapshot"] else {}
        out.append(r)
    return out


def _uid(d: dict) -> str:
    return stable_id(d["target"], d["target_id"], d["action"], json_dumps(d.get("value") or {}), d.get("note") or "",
                     d["reviewer"], d["decided_at"], length=20)


def _insert(db: sqlite_utils.Database, d: dict) -> bool:
    row = {"target": d["target"], "target_id": d["target_id"], "action": d["action"],
           "value": json_dumps(d.get("value") or {}), "note": d.get("note") or None, "reviewer": d["reviewer"],
           "decided_at": d["decided_at"], "snapshot": json_dumps(d.get("snapshot") or {})}
    row["uid"] = d.get("uid") or _uid(d)
    cur = db.execute("INSERT OR IGNORE INTO review_decisions (uid, target, target_id, action, value, note, reviewer, "
                     "decided_at, snapshot) VALUES (:uid, :target, :target_id, :action, :value, :note, :reviewer, "
                     ":decided_at, :snapshot)", row)
    return cur.rowcount > 0


def _entity(db: sqlite_utils.Database, entity_id: str) -> dict | None:
    rows = list(db.query("SELECT id, name, type, aliases FROM entities WHERE id = ?", [entity_id]))
    return rows[0] if rows else None


def _claim(db: sqlite_utils.Database, claim_id: str) -> dict | None:
    rows = list(db.query("SELECT * FROM claims WHERE id = ?", [claim_id]))
    return rows[0] if rows else None


def review_claim(db: sqlite_utils.Database, claim_id: str, *, status: str | None = None,
                 subject_id: str | None = None, object_id: str | None = None, amount: dict | None = None,
                 note: str | None = None, reviewer: str | None = None, clear_status: bool = False) -> list[dict]:
    """Record decisions about one claim (each given field is one decision) and apply the review.

    status: correct | wrong; subject_id/object_id: entity ids (the edited roles); amount: {min, max, currency,
    unit} (an empty dict clears an earlier edit); note alone is a comment. Returns the decisions recorded.
    """
    reviewer = (reviewer or "").strip() or default_reviewer()
    with write_transaction(db):
        row = _claim(db, claim_id)
        if row is None:
            raise ReviewError(f"claim {claim_id}", "no such claim",
                              "list claims with `kb claims` or `kb export claims`; ids are 16 hex digits")
        snapshot = {"summary": row["summary"], "type": row["type"], "evidence": claim_evidence_keys(db, claim_id),
                    "entities": {r["id"]: {"name": r["name"], "type": r["type"]} for r in db.query(
                        "SELECT id, name, type FROM entities WHERE id IN (?, ?, ?)",
                        [row["subject_id"], row["object_id"], row["attributed_to_id"]])}}
        todo: list[tuple[str, dict]] = []
        if clear_status:
            todo.append(("status", {"status": None}))
        elif status:
            if status not in STATUSES:
                raise ReviewError(f"claim {claim_id}", f"unknown status {status!r}", f"use one of {', '.join(STATUSES)}")
            todo.append(("status", {"status": status}))
        if subject_id is not None or object_id is not None:
            roles = {}
            for key, value in (("subject_id", subject_id), ("object_id", object_id)):
                if value is None:
                    continue
                value = value.strip()
                if value and _entity(db, value) is None:
                    raise ReviewError(f"claim {claim_id}", f"no entity with id {value!r} for the {key[:-3]}",
                                      "pass an entity id as `kb export entities` lists it (company:hon-hai)")
                roles[key] = value or None
            if roles.get("subject_id", "") is None:
                raise ReviewError(f"claim {claim_id}", "a claim needs a subject", "pass an entity id")
            todo.append(("roles", roles))
        if amount is not None:
            todo.append(("amount", _amount_value(claim_id, amount)))
        if note and not todo:
            todo.append(("note", {}))
        if not todo:
            raise ReviewError(f"claim {claim_id}", "nothing to record",
                              "give a status, roles, an amount or a note")
        out = []
        for action, value in todo:
            d = {"target": "claim", "target_id": claim_id, "action": action, "value": value, "note": note,
                 "reviewer": reviewer, "decided_at": _now(), "snapshot": snapshot}
            _insert(db, d)
            out.append(d)
        apply_review(db)
    return out


def _amount_value(claim_id: str, amount: dict) -> dict:
    if not amount:
        return {}
    out = {}
    for key in ("min", "max"):
        value = amount.get(key)
        if value in (None, ""):
            out[key] = None
            continue
        try:
            out[key] = float(str(value).replace(",", "").replace("_", ""))
        except ValueError:
            raise ReviewError(f"claim {claim_id}", f"amount {key} {value!r} is not a number",
                              "write the figure in units: 1000000000 for $1 billion") from None
    if out["min"] is None and out["max"] is None:
        raise ReviewError(f"claim {claim_id}", "an amount needs a min or a max", "give at least one figure")
    out["currency"] = (amount.get("currency") or "").strip().upper() or None
    out["unit"] = (amount.get("unit") or "").strip() or ("money" if out["currency"] else "count")
    return out


def review_entity(db: sqlite_utils.Database, entity_id: str, action: str, *, into: str | None = None,
                  alias: str | None = None, merged: str | None = None, note: str | None = None,
                  reviewer: str | None = None) -> dict:
    """Record one decision about an entity and apply the review.

    merge (into=surviving id), alias (alias=name), suppress, unsuppress, split (alias=name to detach it into an
    entity of its own, or merged=id of an entity merged into this one, to undo that merge)."""
    reviewer = (reviewer or "").strip() or default_reviewer()
    what = f"entity {entity_id}"
    if action not in ENTITY_ACTIONS:
        raise ReviewError(what, f"unknown action {action!r}", f"use one of {', '.join(ENTITY_ACTIONS)}")
    with write_transaction(db):
        state = review_state(decisions(db))
        row = _entity(db, entity_id)
        snapshot = {"name": row["name"], "type": row["type"]} if row else _known_snapshot(db, entity_id)
        if row is None and action not in ("unsuppress", "split"):
            raise ReviewError(what, "no such entity", "pass an id as `kb export entities` lists it (company:hon-hai)")
        value: dict = {}
        if action == "merge":
            into = (into or "").strip()
            target = _entity(db, into) if into else None
            if target is None:
                raise ReviewError(what, f"cannot merge into {into!r}: no such entity",
                                  "pass the id of the entity that survives the merge")
            if state.final(into) == entity_id or into == entity_id:
                raise ReviewError(what, f"cannot merge into {into!r}: it is (merged into) this entity",
                                  "split the earlier merge first")
            value = {"into": into}
            snapshot["into_name"] = target["name"]
        elif action == "alias":
            alias = (alias or "").strip()
            if not alias or not normalize_name(alias):
                raise ReviewError(what, "the alias is empty", "give the name to add")
            value = {"alias": alias}
        elif action == "split":
            if merged:
                if state.merges.get(merged) != entity_id:
                    raise ReviewError(what, f"{merged!r} is not merged into this entity",
                                      "the review page lists the merges that can be undone")
                value = {"merged": merged}
            else:
                alias = (alias or "").strip()
                if not alias:
                    raise ReviewError(what, "say what to split off", "give an alias or a merged entity id")
                value = {"alias": alias}
        elif action == "suppress":
            value = {"name": row["name"]}
        elif action == "unsuppress":
            if entity_id not in state.suppressed:
                raise ReviewError(what, "this entity is not suppressed", "")
            value = {"name": state.suppressed[entity_id]}
        d = {"target": "entity", "target_id": entity_id, "action": action, "value": value, "note": note,
             "reviewer": reviewer, "decided_at": _now(), "snapshot": snapshot}
        _insert(db, d)
        if action == "unsuppress":
            _reanalyse_articles_naming(db, value["name"])
        apply_review(db)
    return d


def _known_snapshot(db: sqlite_utils.Database, entity_id: str) -> dict:
    for d in reversed(decisions(db, target="entity", target_id=entity_id)):
        if d["snapshot"].get("name"):
            return {"name": d["snapshot"]["name"], "type": d["snapshot"].get("type")}
    return {"name": entity_id, "type": entity_id.split(":", 1)[0]}


def _reanalyse_articles_naming(db: sqlite_utils.Database, name: str) -> None:
    """Suppressed mentions were deleted; the next `kb ingest` analyses the articles naming it again."""
    if name:
        db.execute("UPDATE articles SET extraction = NULL WHERE instr(text, ?) > 0", [name])


# --- which stored claim a decision is about ---------------------------------------------------------------

def claim_evidence_keys(db: sqlite_utils.Database, claim_id: str, limit: int = 50) -> list[list]:
    """[article content hash, start, end] of a claim's evidence: where it was read, independent of its id."""
    return [[r["content_hash"], r["start"], r["end"]] for r in db.query(
        "SELECT a.content_hash, e.start, e.\"end\" FROM claim_evidence e JOIN articles a ON a.id = e.article_id "
        "WHERE e.claim_id = ? ORDER BY a.content_hash, e.start LIMIT ?", [claim_id, limit])]


def claim_targets(db: sqlite_utils.Database, log: Iterable[dict]) -> dict[str, str | None]:
    """The stored claim each claim decision is about: its own id when present, else the claim of the same type
    with evidence at the same place of the same article text (a claim's id is the fingerprint of the variant
    first stored, so a database that read the articles in another order can give it another id); None when
    the claim is not in this database (the decision is orphaned)."""
    snapshots: dict[str, dict] = {}
    for d in log:
        if d["target"] == "claim":
            snapshots[d["target_id"]] = d["snapshot"] if d["snapshot"].get("evidence") else \
                snapshots.get(d["target_id"], d["snapshot"])
    if not snapshots:
        return {}
    ids = sorted(snapshots)
    present: set[str] = set()
    for i in range(0, len(ids), 400):
        chunk = ids[i:i + 400]
        present |= {r["id"] for r in db.query(f"SELECT id FROM claims WHERE id IN ({','.join('?' * len(chunk))})",
                                              chunk)}
    out: dict[str, str | None] = {}
    for cid in ids:
        if cid in present:
            out[cid] = cid
            continue
        out[cid] = None
        for content_hash, start, end in snapshots[cid].get("evidence") or []:
            row = db.execute("SELECT e.claim_id FROM articles a JOIN claim_evidence e ON e.article_id = a.id "
                             "JOIN claims c ON c.id = e.claim_id WHERE a.content_hash = ? AND e.start = ? "
                             "AND e.\"end\" = ? AND c.type = ? LIMIT 1",
                             [content_hash, start, end, snapshots[cid].get("type")]).fetchone()
            if row:
                out[cid] = row[0]
                break
    return out


# --- the state the log describes --------------------------------------------------------------------------

@dataclass
class ReviewState:
    """The current effect of the decision log (later decisions supersede earlier ones)."""

    status: dict[str, str] = field(default_factory=dict)  # claim id -> correct | wrong
    roles: dict[str, dict] = field(default_factory=dict)  # claim id -> {subject_id?, object_id?}
    amounts: dict[str, dict] = field(default_factory=dict)  # claim id -> {min, max, currency, unit}
    merges: dict[str, str] = field(default_factory=dict)  # merged entity id -> the entity it went into
    aliases: dict[str, tuple[str, str]] = field(default_factory=dict)  # normalized alias -> (entity id, alias)
    splits: dict[tuple[str, str], str] = field(default_factory=dict)  # (entity id, normalized alias) -> alias
    suppressed: dict[str, str] = field(default_factory=dict)  # entity id -> its name
    snapshots: dict[str, dict] = field(default_factory=dict)  # entity id -> {name, type} as last seen

    def final(self, entity_id: str | None) -> str | None:
        """The entity an id stands for after merges (chains followed; a cycle stops where it closes)."""
        seen = set()
        while entity_id in self.merges and entity_id not in seen:
            seen.add(entity_id)
            entity_id = self.merges[entity_id]
        return entity_id

    @property
    def suppressed_names(self) -> set[str]:
        return {normalize_name(n) for n in self.suppressed.values() if n}


def review_state(log: Iterable[dict], targets: dict[str, str | None] | None = None) -> ReviewState:
    """Replay decisions in order into the state they describe; claim decisions are keyed by the stored claim
    they are about (`targets`, from claim_targets) when known."""
    s = ReviewState()
    targets = targets or {}
    for d in log:
        tid, v, action = d["target_id"], d["value"] or {}, d["action"]
        if d["target"] == "claim":
            tid = targets.get(tid) or tid
        if d["snapshot"].get("name") and d["target"] == "entity":
            s.snapshots[tid] = {"name": d["snapshot"]["name"], "type": d["snapshot"].get("type")}
        for eid, snap in (d["snapshot"].get("entities") or {}).items():  # a claim's parties as they were
            s.snapshots.setdefault(eid, snap)
        if d["target"] == "claim":
            if action == "status":
                if v.get("status"):
                    s.status[tid] = v["status"]
                else:
                    s.status.pop(tid, None)
            elif action == "roles":
                s.roles[tid] = {**s.roles.get(tid, {}), **v}
            elif action == "amount":
                if v:
                    s.amounts[tid] = v
                else:
                    s.amounts.pop(tid, None)
            continue
        if action == "merge":
            s.merges[tid] = v["into"]
        elif action == "alias":
            key = normalize_name(v["alias"])
            s.aliases[key] = (tid, v["alias"])
            s.splits.pop((tid, key), None)
        elif action == "split" and v.get("merged"):
            if s.merges.get(v["merged"]) == tid:
                del s.merges[v["merged"]]
        elif action == "split":
            key = normalize_name(v["alias"])
            if s.aliases.get(key, ("",))[0] == tid:
                del s.aliases[key]
            s.splits[(tid, key)] = v["alias"]
        elif action == "suppress":
            s.suppressed[tid] = v.get("name") or d["snapshot"].get("name") or ""
        elif action == "unsuppress":
            s.suppressed.pop(tid, None)
    return s


def split_entity_id(entity_id: str, entity_type: str, alias: str) -> str:
    """The id of the entity an alias detached from `entity_id` becomes."""
    slug = re.sub(r"[\s/]+", "-", normalize_name(alias)).strip("-") or stable_id(alias, length=8)
    new = f"{entity_type}:{slug}"
    return new if new != entity_id else f"{new}-split"


# --- applying it ------------------------------------------------------------------------------------------

def concerns(db: sqlite_utils.Database, claim_ids: Iterable[str], entity_ids: Iterable[str],
             names: Iterable[str]) -> bool:
    """Whether rows just written (claims, entities, mention surface forms) are touched by any decision: only
    then does save_article need apply_review (an article that names nothing reviewed costs one small read)."""
    if not has_decisions(db):
        return False
    log = decisions(db)
    state = review_state(log, claim_targets(db, log))
    claims = set(state.status) | set(state.roles) | set(state.amounts)
    entities = set(state.merges) | set(state.merges.values()) | set(state.suppressed)
    entities |= {e for e, _ in state.aliases.values()} | {e for e, _ in state.splits}
    entities |= {v for roles in state.roles.values() for v in roles.values() if v}
    keys = set(state.aliases) | {k for _, k in state.splits} | state.suppressed_names
    return bool(claims & set(claim_ids) or entities & set(entity_ids)
                or keys & {normalize_name(n) for n in names if n})


def apply_review(db: sqlite_utils.Database) -> dict:
    """Make the stored rows say what the decisions say (undo the last application, apply the current one).

    Runs in one transaction (a savepoint inside save_article's). Returns counts of what it changed."""
    if not has_decisions(db):
        return {}
    with write_transaction(db):
        log = decisions(db)
        state = review_state(log, claim_targets(db, log))
        touched: set[str] = set()
        restored = _restore(db, state, touched)
        counts = {"restored": restored}
        counts["suppressed"] = _apply_suppress(db, state, touched)
        counts["merged"] = _apply_merges(db, state, state.merges, touched)
        counts["aliased"] = _apply_aliases(db, state, touched)
        counts["split"] = _apply_splits(db, state, touched)
        counts["claims"] = _apply_claims(db, state, touched)
        refresh_entity_stats(db, touched)
        _keep_reviewed_aliases(db, state)
    return counts


def _ensure_entity(db: sqlite_utils.Database, state: ReviewState, entity_id: str, name: str | None = None,
                   entity_type: str | None = None) -> None:
    if db.execute("SELECT 1 FROM entities WHERE id = ?", [entity_id]).fetchone():
        return
    snap = state.snapshots.get(entity_id, {})
    entry = Gazetteer.load().get(entity_id)
    written = db.execute("SELECT text FROM mentions WHERE review_entity_from = ? AND source != 'coref' "
                         "GROUP BY text ORDER BY count(*) DESC, text LIMIT 1", [entity_id]).fetchone()
    name = name or (entry.name if entry else None) or snap.get("name") or (written[0] if written else None) \
        or entity_id.split(":", 1)[-1]
    entity_type = entity_type or snap.get("type") or entity_id.split(":", 1)[0]
    db["entities"].insert(entity_row(EntityRef(entity_id, name, entity_type)), pk="id", ignore=True)


def _restore(db: sqlite_utils.Database, state: ReviewState, touched: set[str]) -> int:
    """Put back what extraction stored before the last application of the review."""
    n = 0
    rows = list(db.query("SELECT id, entity_id, review_entity_from, text, source FROM mentions "
                         "WHERE review_entity_from IS NOT NULL"))
    for original in sorted({r["review_entity_from"] for r in rows}):
        _ensure_entity(db, state, original)
    for r in rows:
        db.execute("UPDATE mentions SET entity_id = review_entity_from, review_entity_from = NULL WHERE id = ?",
                   [r["id"]])
        touched.update((r["entity_id"], r["review_entity_from"]))
        if r["source"] != "coref":
            db.execute("INSERT OR IGNORE INTO entity_aliases (entity_id, alias, normalized) VALUES (?, ?, ?)",
                       [r["review_entity_from"], r["text"], normalize_name(r["text"])])
        n += 1
    for r in list(db.query("SELECT id, subject_id, object_id, attributed_to_id, review_original FROM claims "
                           "WHERE review_original IS NOT NULL OR review_status IS NOT NULL")):
        if r["review_original"]:
            original = json.loads(r["review_original"])
            for key in ("subject_id", "object_id", "attributed_to_id"):
                if original.get(key):
                    _ensure_entity(db, state, original[key])
                    touched.add(original[key])
                if r[key]:
                    touched.add(r[key])
            cols = [c for c in ORIGINAL_COLUMNS if c in original]
            db.execute(f"UPDATE claims SET {', '.join(f'{c} = ?' for c in cols)}, review_original = NULL, "
                       "review_status = NULL WHERE id = ?", [original[c] for c in cols] + [r["id"]])
            db.execute("UPDATE entities SET name = (SELECT summary FROM claims WHERE id = ?) "
                       "WHERE id = (SELECT investment_id FROM claims WHERE id = ?)", [r["id"], r["id"]])
        else:
            db.execute("UPDATE claims SET review_status = NULL WHERE id = ?", [r["id"]])
        n += 1
    return n


def _save_original(db: sqlite_utils.Database, claim_id: str) -> None:
    row = _claim(db, claim_id)
    if row is not None and row["review_original"] is None:
        db.execute("UPDATE claims SET review_original = ? WHERE id = ?",
                   [json_dumps({c: row[c] for c in ORIGINAL_COLUMNS}), claim_id])


def _repoint_claims(db: sqlite_utils.Database, old: str, new: str, touched: set[str],
                    only: Iterable[str] | None = None) -> set[str]:
    """Claims with `old` in a role get `new` there (originals kept); returns their ids."""
    ids = {r["id"] for r in db.query("SELECT id FROM claims WHERE subject_id = :o OR object_id = :o "
                                     "OR attributed_to_id = :o", {"o": old})}
    if only is not None:
        ids &= set(only)
    for cid in sorted(ids):
        _save_original(db, cid)
        for col in ("subject_id", "object_id", "attributed_to_id"):
            db.execute(f"UPDATE claims SET {col} = ? WHERE id = ? AND {col} = ?", [new, cid, old])
        _resummarize(db, cid)
    if ids:
        touched.update((old, new))
    return ids


def _repoint_mentions(db: sqlite_utils.Database, where: str, params: list, new: str) -> int:
    cur = db.execute(f"UPDATE mentions SET review_entity_from = coalesce(review_entity_from, entity_id), "
                     f"entity_id = ? WHERE entity_id != ? AND ({where})", [new, new] + params)
    return cur.rowcount


def _apply_suppress(db: sqlite_utils.Database, state: ReviewState, touched: set[str]) -> int:
    if not state.suppressed:
        return 0
    ids = set(state.suppressed)
    names = state.suppressed_names
    # Every stored entity some mention of a suppressed name resolved to, and the written forms of the name.
    texts = set(state.suppressed.values())
    for key in names:
        texts |= {r["alias"] for r in db.query("SELECT alias FROM entity_aliases WHERE normalized = ?", [key])}
    texts = sorted(t for t in texts if t)
    marks_t = ",".join("?" * len(texts)) or "NULL"
    marks_i = ",".join("?" * len(ids))
    gone = list(db.query(f"SELECT id, entity_id FROM mentions WHERE entity_id IN ({marks_i}) "
                         f"OR (text IN ({marks_t}) AND source != 'coref')", sorted(ids) + texts))
    for r in gone:
        touched.add(r["entity_id"])
    # An entity known only through a suppressed name is suppressed too (its 同社 mentions go with it).
    for eid in sorted({r["entity_id"] for r in gone} - ids):
        others = db.execute(f"SELECT count(*) FROM mentions WHERE entity_id = ? AND source != 'coref' "
                            f"AND text NOT IN ({marks_t})", [eid] + texts).fetchone()[0]
        if others == 0:
            ids.add(eid)
    marks_i = ",".join("?" * len(ids))
    n = db.execute(f"DELETE FROM mentions WHERE entity_id IN ({marks_i}) OR (text IN ({marks_t}) "
                   f"AND source != 'coref')", sorted(ids) + texts).rowcount
    claims = [r["id"] for r in db.query(f"SELECT id FROM claims WHERE subject_id IN ({marks_i}) "
                                        f"OR object_id IN ({marks_i})", sorted(ids) * 2)]
    if claims:
        marks_c = ",".join("?" * len(claims))
        db.execute(f"DELETE FROM claim_evidence WHERE claim_id IN ({marks_c})", claims)
        refresh_claims(db, claims)  # claims left without evidence are deleted
    for col in ("attributed_to_id",):
        for r in list(db.query(f"SELECT id FROM claims WHERE {col} IN ({marks_i})", sorted(ids))):
            _save_original(db, r["id"])
            db.execute(f"UPDATE claims SET {col} = NULL WHERE id = ?", [r["id"]])
        db.execute(f"UPDATE claim_evidence SET {col} = NULL WHERE {col} IN ({marks_i})", sorted(ids))
    db.execute(f"DELETE FROM entity_aliases WHERE entity_id IN ({marks_i})", sorted(ids))
    touched.update(ids)
    return n


def _apply_merges(db: sqlite_utils.Database, state: ReviewState, merges: dict[str, str], touched: set[str]) -> int:
    n = 0
    for source in sorted(merges):
        target = state.final(merges[source])
        if target == source or not db.execute("SELECT 1 FROM entities WHERE id = ?", [target]).fetchone():
            continue  # the surviving entity is not in this database (yet): the merge waits, listed as orphaned
        n += _repoint_mentions(db, "entity_id = ?", [source], target)
        _repoint_claims(db, source, target, touched)
        for r in list(db.query("SELECT alias FROM entity_aliases WHERE entity_id = ?", [source])):
            db.execute("INSERT OR IGNORE INTO entity_aliases (entity_id, alias, normalized) VALUES (?, ?, ?)",
                       [target, r["alias"], normalize_name(r["alias"])])
        db.execute("DELETE FROM entity_aliases WHERE entity_id = ?", [source])
        touched.update((source, target))
    return n


def _texts_with_key(db: sqlite_utils.Database, key: str, alias: str) -> list[str]:
    texts = {alias} | {r["alias"] for r in db.query("SELECT alias FROM entity_aliases WHERE normalized = ?", [key])}
    return sorted(texts)


def _apply_aliases(db: sqlite_utils.Database, state: ReviewState, touched: set[str]) -> int:
    n = 0
    for key, (entity_id, alias) in sorted(state.aliases.items()):
        target = state.final(entity_id)
        if not db.execute("SELECT 1 FROM entities WHERE id = ?", [target]).fetchone():
            continue
        texts = _texts_with_key(db, key, alias)
        marks = ",".join("?" * len(texts))
        losers = {r["entity_id"] for r in db.query(
            f"SELECT DISTINCT entity_id FROM mentions WHERE text IN ({marks}) AND source != 'coref' "
            "AND entity_id != ?", texts + [target])}
        n += _repoint_mentions(db, f"text IN ({marks}) AND source != 'coref'", texts, target)
        db.execute("INSERT OR IGNORE INTO entity_aliases (entity_id, alias, normalized) VALUES (?, ?, ?)",
                   [target, alias, key])
        touched.add(target)
        for loser in sorted(losers):
            touched.add(loser)
            left = db.execute("SELECT count(*) FROM mentions WHERE entity_id = ? AND source != 'coref'",
                              [loser]).fetchone()[0]
            if left == 0:  # the entity was only ever this name: it is the reviewed entity
                _apply_merges(db, state, {loser: target}, touched)
    return n


def _apply_splits(db: sqlite_utils.Database, state: ReviewState, touched: set[str]) -> int:
    n = 0
    for (entity_id, key), alias in sorted(state.splits.items()):
        source = state.final(entity_id)
        row = _entity(db, source)
        if row is None:
            continue
        new = split_entity_id(source, row["type"], alias)
        texts = [t for t in _texts_with_key(db, key, alias) if normalize_name(t) == key]
        marks = ",".join("?" * len(texts))
        _ensure_entity(db, state, new, alias, row["type"])
        touched.add(new)  # dropped again by refresh_entity_stats if nothing names it
        moved = _repoint_mentions(db, f"entity_id = ? AND text IN ({marks}) AND source != 'coref'",
                                  [source] + texts, new)
        if not moved and not db.execute("SELECT 1 FROM mentions WHERE entity_id = ?", [new]).fetchone():
            continue
        n += moved
        db.execute("DELETE FROM entity_aliases WHERE entity_id = ? AND normalized = ?", [source, key])
        db.execute("INSERT OR IGNORE INTO entity_aliases (entity_id, alias, normalized) VALUES (?, ?, ?)",
                   [new, alias, key])
        # Claims about the entity in articles that name it only by the detached alias are about the new one.
        claims = []
        for r in db.query("SELECT id FROM claims WHERE subject_id = :e OR object_id = :e OR attributed_to_id = :e",
                          {"e": source}):
            arts = [a["article_id"] for a in db.query("SELECT DISTINCT article_id FROM claim_evidence "
                                                      "WHERE claim_id = ?", [r["id"]])]
            if arts and all(db.execute("SELECT 1 FROM mentions WHERE article_id = ? AND entity_id = ?",
                                       [a, new]).fetchone()
                            and not db.execute("SELECT 1 FROM mentions WHERE article_id = ? AND entity_id = ? "
                                               "AND source != 'coref'", [a, source]).fetchone() for a in arts):
                claims.append(r["id"])
        _repoint_claims(db, source, new, touched, only=claims)
        touched.update((source, new))
    return n


def _apply_claims(db: sqlite_utils.Database, state: ReviewState, touched: set[str]) -> int:
    n = 0
    for cid in sorted(set(state.roles) | set(state.amounts)):
        row = _claim(db, cid)
        if row is None:
            continue  # orphaned: the claim is not in this database (now)
        _save_original(db, cid)
        sets: dict = {}
        for key, value in state.roles.get(cid, {}).items():
            value = state.final(value) if value else None
            if value and not db.execute("SELECT 1 FROM entities WHERE id = ?", [value]).fetchone():
                continue
            if key == "subject_id" and not value:
                continue
            sets[key] = value
            touched.update(x for x in (value, row[key]) if x)
        amount = state.amounts.get(cid)
        if amount:
            a = Amount(amount["min"], amount["max"], amount.get("currency"), amount.get("unit") or "money",
                       row["period"], False, None, "", 0, 0)
            sets.update(amount_min=a.min, amount_max=a.max, currency=a.currency, unit=a.unit, amount_usd=a.usd(),
                        approximate=0, bound=None)
        if sets:
            db.execute(f"UPDATE claims SET {', '.join(f'{k} = ?' for k in sets)} WHERE id = ?",
                       list(sets.values()) + [cid])
            _resummarize(db, cid)
            n += 1
    for cid, status in sorted(state.status.items()):
        n += db.execute("UPDATE claims SET review_status = ? WHERE id = ?", [status, cid]).rowcount
    return n


def _resummarize(db: sqlite_utils.Database, cid: str) -> None:
    row = _claim(db, cid)
    refs = {r["id"]: EntityRef(r["id"], r["name"], r["type"]) for r in db.query(
        "SELECT id, name, type FROM entities WHERE id IN (?, ?, ?)",
        [row["subject_id"], row["object_id"], row["attributed_to_id"]])}
    amount = None
    if row["amount_min"] is not None or row["amount_max"] is not None:
        amount = Amount(row["amount_min"], row["amount_max"], row["currency"], row["unit"] or "money", row["period"],
                        bool(row["approximate"]), row["bound"], "", 0, 0)
    claim = Claim(row["type"], refs.get(row["subject_id"]), refs.get(row["object_id"]), 0, 0, -1, amount=amount,
                  modality=row["modality"] or "asserted", polarity=row["polarity"] or "affirmed",
                  attributed_to=refs.get(row["attributed_to_id"]),
                  details=json.loads(row["details"]) if row["details"] else {})
    summary = summarize(claim)
    if summary != row["summary"]:
        db.execute("UPDATE claims SET summary = ?, search_text = ? WHERE id = ?", [summary, fts_text(summary), cid])
    if row["investment_id"]:  # the investment's graph node is named by its claim's summary
        db.execute("UPDATE entities SET name = ? WHERE id = ? AND name != ?", [summary, row["investment_id"], summary])


def _keep_reviewed_aliases(db: sqlite_utils.Database, state: ReviewState) -> None:
    """Reviewed aliases stay in entity_aliases even while no mention uses them (refresh_entity_stats drops
    unused ones), so name lookups and the next ingest's resolution find them."""
    for key, (entity_id, alias) in sorted(state.aliases.items()):
        target = state.final(entity_id)
        if db.execute("SELECT 1 FROM entities WHERE id = ?", [target]).fetchone():
            db.execute("INSERT OR IGNORE INTO entity_aliases (entity_id, alias, normalized) VALUES (?, ?, ?)",
                       [target, alias, key])
            db.execute("UPDATE entities SET aliases = (SELECT json_group_array(alias) FROM (SELECT alias FROM "
                       "entity_aliases a WHERE a.entity_id = entities.id ORDER BY mentions DESC, alias)) "
                       "WHERE id = ?", [target])


# --- reading it -------------------------------------------------------------------------------------------

def decision_rows(db: sqlite_utils.Database) -> list[dict]:
    """Every decision, newest first, with `orphaned` (what it is about is not in this database) and
    `current` (not superseded by a later decision about the same thing)."""
    log = decisions(db)
    targets = claim_targets(db, log)
    state = review_state(log, targets)
    entities = {r["id"] for r in db.query("SELECT id FROM entities")}
    latest: dict[tuple, int] = {}
    for d in log:
        latest[_slot(d)] = d["seq"]
    out = []
    for d in reversed(log):
        d = dict(d)
        d["current"] = latest[_slot(d)] == d["seq"]
        if d["target"] == "claim":
            d["claim_id"] = targets.get(d["target_id"])
            d["orphaned"] = d["claim_id"] is None
        elif d["action"] == "merge":
            d["orphaned"] = state.final(d["target_id"]) not in entities
        elif d["action"] in ("alias", "split"):
            d["orphaned"] = state.final(d["target_id"]) not in entities
        else:
            d["orphaned"] = False
        d["summary"] = describe(d)
        out.append(d)
    return out


def _slot(d: dict) -> tuple:
    v = d["value"] or {}
    if d["target"] == "entity" and d["action"] in ("alias", "split"):
        return ("entity", d["target_id"], "alias", normalize_name(v.get("alias") or v.get("merged") or ""))
    if d["target"] == "entity" and d["action"] in ("suppress", "unsuppress"):
        return ("entity", d["target_id"], "suppress")
    return (d["target"], d["target_id"], d["action"])


def describe(d: dict) -> str:
    """One line saying what a decision decided."""
    v, snap = d["value"] or {}, d["snapshot"] or {}
    if d["target"] == "claim":
        label = snap.get("summary") or d["target_id"]
        if d["action"] == "status":
            return f"claim marked {v.get('status') or 'unreviewed'}: {label}"
        if d["action"] == "roles":
            parts = [f"{k[:-3]} → {val or '—'}" for k, val in v.items()]
            return f"claim roles edited ({', '.join(parts)}): {label}"
        if d["action"] == "amount":
            if not v:
                return f"claim amount edit cleared: {label}"
            return f"claim amount edited ({v.get('min')}–{v.get('max')} {v.get('currency') or v.get('unit')}): {label}"
        return f"note on claim: {label}"
    name = snap.get("name") or d["target_id"]
    if d["action"] == "merge":
        return f"{name} merged into {snap.get('into_name') or v.get('into')} ({v.get('into')})"
    if d["action"] == "alias":
        return f"alias {v.get('alias')!r} added to {name}"
    if d["action"] == "split":
        if v.get("merged"):
            return f"{v['merged']} split out of {name} (merge undone)"
        return f"alias {v.get('alias')!r} split off {name} into an entity of its own"
    return f"{name} {d['action']}ed"


def claim_review(db: sqlite_utils.Database, claim_id: str) -> dict:
    """What the review says about one claim: status, original values (if edited), decisions, last note."""
    row = _claim(db, claim_id) or {}
    everything = decisions(db, target="claim")
    targets = claim_targets(db, everything)
    log = [d for d in everything if (targets.get(d["target_id"]) or d["target_id"]) == claim_id]
    notes = [d["note"] for d in log if d["note"]]
    return {"status": row.get("review_status"), "original": json.loads(row["review_original"])
            if row.get("review_original") else None, "decisions": [dict(d, summary=describe(d)) for d in reversed(log)],
            "note": notes[-1] if notes else None}


def entity_review(db: sqlite_utils.Database, entity_id: str) -> dict:
    """What the review says about one entity: merged-in entities, reviewed aliases, splits, suppression."""
    log = decisions(db)
    state = review_state(log)
    mine = [d for d in log if d["target"] == "entity" and (d["target_id"] == entity_id
                                                            or d["value"].get("into") == entity_id)]
    return {"merged_in": sorted(b for b, a in state.merges.items() if a == entity_id),
            "merged_into": state.merges.get(entity_id),
            "aliases": sorted(alias for key, (eid, alias) in state.aliases.items() if eid == entity_id),
            "splits": sorted(alias for (eid, _), alias in state.splits.items() if eid == entity_id),
            "suppressed": entity_id in state.suppressed,
            "names": [r["alias"] for r in db.query("SELECT alias FROM entity_aliases WHERE entity_id = ? "
                                                  "ORDER BY mentions DESC, alias", [entity_id])],
            "decisions": [dict(d, summary=describe(d)) for d in reversed(mine)]}


def reviewed_counts(db: sqlite_utils.Database) -> dict:
    """Claims in the database with a verdict, by type and status: {type: {correct: n, wrong: n}}."""
    out: dict[str, dict[str, int]] = {}
    for r in db.query("SELECT type, review_status AS status, count(*) AS n FROM claims "
                      "WHERE review_status IS NOT NULL GROUP BY type, review_status ORDER BY type"):
        out.setdefault(r["type"], {"correct": 0, "wrong": 0})[r["status"]] = r["n"]
    return out


def orphaned_claim_verdicts(db: sqlite_utils.Database) -> int:
    """Claim verdicts whose claim is no longer in the database."""
    log = decisions(db, target="claim")
    state = review_state(log, claim_targets(db, log))
    present = {r["id"] for r in db.query("SELECT id FROM claims WHERE review_status IS NOT NULL")}
    return sum(1 for cid in state.status if cid not in present)


# --- moving it ----------------------------------------------------------------------------------------------

def export_review(db: sqlite_utils.Database) -> dict:
    """The decision log as a JSON-ready document (kb review export)."""
    rows = []
    for d in decisions(db):
        rows.append({k: d[k] for k in ("uid", "target", "target_id", "action", "value", "note", "reviewer",
                                       "decided_at", "snapshot")})
    return {"format": REVIEW_FORMAT, "version": REVIEW_FORMAT_VERSION, "decisions": rows}


def import_review(db: sqlite_utils.Database, document: dict, source: str = "review file") -> dict:
    """Add the decisions of an exported review that this database lacks, then apply the review.
    Returns {added, skipped}; raises ReviewError naming the file for a document that is not a kb review."""
    if not isinstance(document, dict) or document.get("format") != REVIEW_FORMAT:
        raise ReviewError(source, "not a kb review export (no \"format\": \"kb-review\")",
                          "write one with `kb review export -o review.json`")
    if document.get("version") != REVIEW_FORMAT_VERSION:
        raise ReviewError(source, f"review format version {document.get('version')!r} is not supported",
                          f"this kb reads version {REVIEW_FORMAT_VERSION}; upgrade kb")
    added = skipped = 0
    with write_transaction(db):
        for i, d in enumerate(document.get("decisions") or []):
            try:
                ok = (d["target"] == "claim" and d["action"] in CLAIM_ACTIONS) or \
                     (d["target"] == "entity" and d["action"] in ENTITY_ACTIONS)
                if not ok or not d["target_id"] or not d["reviewer"] or not d["decided_at"]:
                    raise KeyError("target/action")
            except (KeyError, TypeError):
                raise ReviewError(source, f"decision {i} is malformed ({json.dumps(d, ensure_ascii=False)[:120]})",
                                  "fix or remove it; the other decisions were not imported") from None
            if _insert(db, d):
                added += 1
            else:
                skipped += 1
        apply_review(db)
    return {"added": added, "skipped": skipped}


def iter_claim_status(db: sqlite_utils.Database) -> Iterator[tuple[str, str]]:
    """(claim id, status) of the claims with a verdict."""
    for r in db.query("SELECT id, review_status FROM claims WHERE review_status IS NOT NULL ORDER BY id"):
        yield r["id"], r["review_status"]
