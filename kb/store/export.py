"""Exports of entities and tracked claims: JSON Lines (the interchange contract in architecture.md) and one
row per claim for spreadsheets (CSV for Excel, XLSX)."""

from __future__ import annotations

import csv
import io
import json
from typing import IO, Iterable, Iterator

import sqlite_utils

from kb.amounts import format_amount
from kb.sources import site_of_url
from kb.store.syndication import claim_stories


def _aliases(db: sqlite_utils.Database, entity_id: str) -> list[str]:
    return [r["alias"] for r in db.query(
        "SELECT alias FROM entity_aliases WHERE entity_id = ? ORDER BY mentions DESC, alias", [entity_id])]


def generate_entities(db: sqlite_utils.Database) -> Iterator[dict]:
    """Yield one dict per entity: id, name, type, aliases, wikidata, mentions, articles (+ place facts)."""
    # Investment nodes are claims (their own summaries as names): the graph shows them, the entity list does not.
    for row in db.query("SELECT * FROM entities WHERE type != 'investment' ORDER BY type, name, id"):
        out = {"id": row["id"], "name": row["name"], "type": row["type"], "aliases": _aliases(db, row["id"]),
               "wikidata": row["wikidata"], "mentions": row["mentions"], "articles": row["articles"]}
        for key in ("name_ja", "country", "ticker", "usps", "fips", "iso", "latitude", "longitude"):
            if row.get(key) is not None:
                out[key] = row[key]
        attrs = json.loads(row["attrs"]) if row.get("attrs") else {}
        if attrs.get("subtype"):
            out["subtype"] = attrs["subtype"]  # us_state or prefecture: a state's kind
        if attrs.get("admin1"):
            out["state"] = attrs["admin1"]  # the state a city, county or facility lies in
        if "country" not in out and attrs.get("country"):
            out["country"] = attrs["country"]
        yield out


def _entity_ref(db: sqlite_utils.Database, entity_id: str | None, cache: dict) -> dict | None:
    if entity_id is None:
        return None
    if entity_id not in cache:
        rows = list(db.query("SELECT id, name, type FROM entities WHERE id = ?", [entity_id]))
        cache[entity_id] = ({"id": rows[0]["id"], "name": rows[0]["name"], "type": rows[0]["type"],
                             "aliases": _aliases(db, entity_id)} if rows else
                            {"id": entity_id, "name": entity_id, "type": None, "aliases": []})
    return cache[entity_id]


def _claim_filter(entity_id: str | None, claim_type: str | None, prefix: str = "",
                  include_wrong: bool = False) -> tuple[str, dict]:
    where, params = [], {}
    if entity_id:
        where.append(f"({prefix}subject_id = :e OR {prefix}object_id = :e OR {prefix}attributed_to_id = :e)")
        params["e"] = entity_id
    if claim_type:
        where.append(f"{prefix}type = :t")
        params["t"] = claim_type
    if not include_wrong:
        where.append(f"coalesce({prefix}review_status, '') != 'wrong'")
    return ("WHERE " + " AND ".join(where)) if where else "", params


def generate_claims(db: sqlite_utils.Database, *, claim_type: str | None = None, entity_id: str | None = None,
                    include_wrong: bool = False) -> Iterator[dict]:
    """Yield one dict per tracked claim with roles, amount, provenance, conflicts and review status; claims
    an analyst reviewed wrong only with `include_wrong`."""
    cache: dict = {}
    where, params = _claim_filter(entity_id, claim_type, include_wrong=include_wrong)
    notes = {r["target_id"]: r["note"] for r in db.query(
        "SELECT target_id, note FROM review_decisions WHERE target = 'claim' AND note IS NOT NULL "
        "ORDER BY decided_at, seq")}
    for c in db.query(f"SELECT * FROM claims {where} ORDER BY sources DESC, first_seen, id", params):
        amount = None
        if c["amount_min"] is not None or c["amount_max"] is not None:
            amount = {"min": c["amount_min"], "max": c["amount_max"], "currency": c["currency"], "unit": c["unit"],
                      "period": c["period"], "approximate": bool(c["approximate"]), "bound": c["bound"],
                      "usd": c["amount_usd"]}
        evidence = [
            {"article_id": e["article_id"], "source_path": e["source_path"], "title": e["title"],
             "published": e["published"], "published_local": e["published_local"], "url": e["url"],
             "outlet": e["outlet"] or site_of_url(e["url"]),
             "passage_id": e["passage_id"], "start": e["start"], "end": e["end"],
             "quote": e["quote"], "modality": e["modality"], "polarity": e["polarity"],
             "attributed_to": _entity_ref(db, e["attributed_to_id"], cache),
             "syndication_group": e["group_id"]}
            for e in db.query("""SELECT e.*, a.source_path, a.title, a.published, a.published_local, a.url,
                                        coalesce(a.outlet, s.outlet) AS outlet, m.group_id
                                 FROM claim_evidence e JOIN articles a ON a.id = e.article_id
                                 LEFT JOIN article_syndication s ON s.article_id = e.article_id
                                 LEFT JOIN syndication_members m ON m.article_id = e.article_id
                                 WHERE e.claim_id = ?
                                 ORDER BY a.published, a.source_key, e.start""", [c["id"]])]
        # The independent stories behind the claim (`sources` counts them), syndicated copies of each
        # listed under it as "also published by".
        stories = claim_stories(db, c["id"])
        # A conflict is stored once per pair; each side lists the other.
        conflicts = [r["other"] for r in db.query(
            "SELECT other_claim_id AS other FROM claim_conflicts WHERE claim_id = :id UNION "
            "SELECT claim_id FROM claim_conflicts WHERE other_claim_id = :id ORDER BY 1", {"id": c["id"]})]
        yield {
            "id": c["id"], "type": c["type"], "summary": c["summary"],
            "subject": _entity_ref(db, c["subject_id"], cache), "object": _entity_ref(db, c["object_id"], cache),
            "amount": amount, "modality": c["modality"], "polarity": c["polarity"],
            "attributed_to": _entity_ref(db, c["attributed_to_id"], cache),
            "details": json.loads(c["details"]) if c["details"] else {},
            "sources": c["sources"], "articles": len({e["article_id"] for e in evidence}), "stories": stories,
            "first_seen": c["first_seen"], "last_seen": c["last_seen"],
            "conflicts_with": conflicts, "evidence": evidence,
            # The analyst's verdict (kb review); `original` holds what extraction said when a decision edited it.
            "status": c.get("review_status") or "unreviewed",
            "review": {"original": json.loads(c["review_original"]) if c.get("review_original") else None,
                       "note": notes.get(c["id"])},
        }


def write_jsonl(rows: Iterator[dict], fp: IO[str]) -> int:
    """Write dicts as JSON Lines (UTF-8, not ASCII-escaped); returns the count."""
    n = 0
    for row in rows:
        fp.write(json.dumps(row, ensure_ascii=False, sort_keys=False) + "\n")
        n += 1
    return n


# The columns of `kb export claims --format csv|xlsx` and /-/kb/export/claims.csv, in order. The article
# columns describe the claim's earliest evidence (the first article that carried it).
CLAIM_TABLE_COLUMNS = (
    "claim_id", "type", "summary", "subject", "subject_id", "object", "object_id",
    "amount", "amount_min", "amount_max", "currency", "unit", "period", "approximate", "amount_usd",
    "modality", "polarity", "sources", "evidence_count", "first_seen", "last_seen", "conflicts", "status",
    "quote", "article_title", "url", "outlet", "published", "article_id", "quote_start", "quote_end", "source_path",
)

_CLAIM_TABLE_SQL = """
WITH ev AS (
    SELECT e.claim_id, e.quote, e.article_id, e.start, e."end", a.title, a.url, a.outlet, a.source_path,
           coalesce(a.published_local, a.published) AS published,
           row_number() OVER (PARTITION BY e.claim_id
                              ORDER BY a.published IS NULL, a.published, a.source_key, e.start) AS n
    FROM claim_evidence e JOIN articles a ON a.id = e.article_id)
SELECT c.*, s.name AS subject_name, o.name AS object_name, ev.quote, ev.article_id, ev.start AS quote_start,
       ev."end" AS quote_end, ev.title AS article_title, ev.url, ev.outlet, ev.published, ev.source_path
FROM claims c LEFT JOIN entities s ON s.id = c.subject_id LEFT JOIN entities o ON o.id = c.object_id
LEFT JOIN ev ON ev.claim_id = c.id AND ev.n = 1
{where} ORDER BY c.sources DESC, c.first_seen, c.id"""


def claim_table_rows(db: sqlite_utils.Database, *, claim_type: str | None = None,
                     entity_id: str | None = None, include_wrong: bool = False) -> Iterator[dict]:
    """One flat row per tracked claim (CLAIM_TABLE_COLUMNS), for spreadsheets; the amount both as kb shows
    it (`$2–3 billion a year`) and as numbers, the earliest evidence quote with its article. Claims an analyst
    reviewed wrong only with `include_wrong`."""
    where, params = _claim_filter(entity_id, claim_type, prefix="c.", include_wrong=include_wrong)
    for c in db.query(_CLAIM_TABLE_SQL.format(where=where), params):
        yield {
            "claim_id": c["id"], "type": c["type"], "summary": c["summary"],
            "subject": c["subject_name"], "subject_id": c["subject_id"],
            "object": c["object_name"], "object_id": c["object_id"],
            "amount": format_amount(c) or None, "amount_min": c["amount_min"], "amount_max": c["amount_max"],
            "currency": c["currency"], "unit": c["unit"], "period": c["period"],
            "approximate": None if c["amount_min"] is None and c["amount_max"] is None else bool(c["approximate"]),
            "amount_usd": c["amount_usd"], "modality": c["modality"], "polarity": c["polarity"],
            "sources": c["sources"], "evidence_count": c["evidence_count"],
            "first_seen": c["first_seen"], "last_seen": c["last_seen"], "conflicts": c["conflicts"],
            "status": c["review_status"] or "unreviewed", "quote": c["quote"], "article_title": c["article_title"], "url": c["url"],
            "outlet": c["outlet"] or site_of_url(c["url"]), "published": c["published"],
            "article_id": c["article_id"], "quote_start": c["quote_start"], "quote_end": c["quote_end"],
            "source_path": c["source_path"],
        }


# A cell Excel would run as a formula (=, +, -, @ first; OWASP "CSV injection") gets a leading apostrophe
# in CSV, which Excel hides; XLSX cells are typed as text instead and keep the value unchanged.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    if isinstance(value, str) and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def write_csv(rows: Iterable[dict], fp: IO[str], columns: tuple[str, ...] = CLAIM_TABLE_COLUMNS) -> int:
    """Write rows as CSV that Excel opens correctly: UTF-8 with a byte-order mark (else Japanese is garbled)
    and CRLF line ends. `fp` is a text stream opened with newline=""; returns the number of rows."""
    fp.write("\ufeff")
    writer = csv.writer(fp, lineterminator="\r\n")
    writer.writerow(columns)
    n = 0
    for row in rows:
        writer.writerow([_csv_cell(row.get(col)) for col in columns])
        n += 1
    return n


def write_xlsx(rows: Iterable[dict], fp: IO[bytes], columns: tuple[str, ...] = CLAIM_TABLE_COLUMNS,
               *, title: str = "claims") -> int:
    """Write rows as an Excel workbook (one sheet, bold frozen header, numbers as numbers, text as text)
    to the binary stream `fp`; returns the number of rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31])
    ws.freeze_panes = "A2"
    wide = {"summary": 48, "quote": 80, "article_title": 40, "url": 40, "subject": 24, "object": 24,
            "amount": 22, "outlet": 20, "published": 26, "source_path": 30}
    for i, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = wide.get(col, 14)
    header = []
    for col in columns:
        cell = WriteOnlyCell(ws, value=col)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    n = 0
    for row in rows:
        cells = []
        for col in columns:
            value = row.get(col)
            cell = WriteOnlyCell(ws, value=_xlsx_value(value))
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
            cells.append(cell)
        ws.append(cells)
        n += 1
    wb.save(fp)
    return n


def _xlsx_value(value):
    if isinstance(value, str):
        # XML 1.0 cannot hold most control characters; openpyxl refuses them.
        return "".join(ch if ch in "\t\n\r" or ord(ch) >= 32 else "\ufffd" for ch in value)
    return value


def xlsx_bytes(rows: Iterable[dict], columns: tuple[str, ...] = CLAIM_TABLE_COLUMNS) -> bytes:
    """The workbook write_xlsx writes, as bytes (for a web response)."""
    buf = io.BytesIO()
    write_xlsx(rows, buf, columns)
    return buf.getvalue()


def csv_text(rows: Iterable[dict], columns: tuple[str, ...] = CLAIM_TABLE_COLUMNS) -> str:
    """The CSV write_csv writes, as text (for a web response)."""
    buf = io.StringIO(newline="")
    write_csv(rows, buf, columns)
    return buf.getvalue()
