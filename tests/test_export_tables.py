"""Claims as tables for spreadsheets: `kb export claims --format csv|xlsx` and /-/kb/export/claims.csv|.xlsx.

The CSV must open in Excel as written (UTF-8 BOM, CRLF, Japanese intact) and read back with the csv module;
the XLSX is opened with openpyxl, the library Excel files are read with in Python.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from kb.cli import cli
from kb.contract import CLAIM_TYPES
from kb.store.export import CLAIM_TABLE_COLUMNS, claim_table_rows, csv_text, write_xlsx

PROVENANCE = Path(__file__).parent / "fixtures" / "provenance"


@pytest.fixture(scope="module")
def prov_db(tmp_path_factory):
    from kb.pipeline.ingest import ingest_paths
    from kb.store import open_db

    path = tmp_path_factory.mktemp("tables") / "kb.db"
    db = open_db(path)
    assert ingest_paths(db, [str(PROVENANCE)]).new == 2
    db.close()
    return path


def _table(path) -> list[dict]:
    from kb.store import open_db
    db = open_db(path, create=False)
    try:
        return list(claim_table_rows(db))
    finally:
        db.close()


def _as_csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def test_rows_carry_claim_amount_and_earliest_evidence(prov_db):
    rows = {r["type"]: r for r in _table(prov_db)}
    # the plant and its cost in the sentence after (投資額は…) are also an investment in the plant's place
    assert set(rows) == {"contract", "investment", "manufacturing", "role"}
    contract = rows["contract"]
    assert contract["amount"] == "$2 billion" and contract["amount_min"] == contract["amount_max"] == 2e9
    assert contract["currency"] == "USD" and contract["subject"] == "Microsoft" and contract["object"] == "CoreWeave"
    assert contract["url"] == "https://harbor-wire.example.com/2025/12/05/gpu-lease"
    assert contract["outlet"] == "Harbor Wire" and contract["published"] == "2025-12-05T21:15:00-05:00"
    assert contract["article_title"] == "Harbor Cloud signs a GPU lease with Kitahama Electric"
    m = rows["manufacturing"]
    assert m["amount"] is None and m["approximate"] is None
    assert (m["first_seen"], m["last_seen"], m["published"]) == ("2025-12-06", "2025-12-06",
                                                                  "2025-12-06T07:30:00+09:00")
    # the quote is the stored text at the stored offsets
    conn = sqlite3.connect(str(prov_db))
    text = conn.execute("SELECT text FROM articles WHERE id = ?", [m["article_id"]]).fetchone()[0]
    conn.close()
    assert text[m["quote_start"]:m["quote_end"]] == m["quote"] == "北浜電機はオハイオ州に新しいAIサーバー工場を建設する。"
    assert list(rows["role"]) == list(CLAIM_TABLE_COLUMNS)


def test_cli_csv_opens_in_excel_and_round_trips(prov_db, tmp_path):
    out = tmp_path / "claims.csv"
    result = CliRunner().invoke(cli, ["export", "claims", "--db", str(prov_db), "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Wrote 4 claims" in result.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads the file as UTF-8
    assert raw.count(b"\r\n") == 5 and raw.count(b"\n") == 5  # CRLF only, header + 4 rows
    text = raw.decode("utf-8-sig")
    assert "北浜電機はオハイオ州に新しいAIサーバー工場を建設する。" in text and "北浜経済新聞" in text
    with open(out, encoding="utf-8-sig", newline="") as fp:
        read = list(csv.DictReader(fp))
    assert list(read[0]) == list(CLAIM_TABLE_COLUMNS)
    expected = _table(prov_db)
    assert len(read) == len(expected) == 4
    for got, want in zip(read, expected):
        for col in CLAIM_TABLE_COLUMNS:
            cell = _as_csv_cell(want[col])
            if cell.startswith("-"):  # Excel would run it as a formula: kept as text with a leading '
                cell = "'" + cell
            assert got[col] == cell, col
    role = next(r for r in read if r["type"] == "role")
    assert role["quote"] == "'- 北浜電機の山田社長は「米国での生産を倍増させる」と述べた。"


def test_cli_csv_to_stdout_is_the_same_bytes(prov_db, tmp_path):
    out = tmp_path / "claims.csv"
    CliRunner().invoke(cli, ["export", "claims", "--db", str(prov_db), "--format", "csv", "-o", str(out)])
    result = CliRunner().invoke(cli, ["export", "claims", "--db", str(prov_db), "--format", "csv"])
    assert result.exit_code == 0 and result.stdout_bytes == out.read_bytes()


def test_formula_text_never_runs():
    rows = [{"claim_id": "x", "summary": "=HYPERLINK(\"http://evil.example\")", "quote": "@SUM(A1)",
             "subject": "+1", "amount_min": -5.0}]
    text = csv_text(rows)
    row = next(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert row["summary"].startswith("'=") and row["quote"] == "'@SUM(A1)" and row["subject"] == "'+1"
    assert row["amount_min"] == "-5"  # a number is a number
    buf = io.BytesIO()
    write_xlsx(rows, buf)
    ws = openpyxl.load_workbook(io.BytesIO(buf.getvalue())).active
    cells = {ws.cell(1, i).value: ws.cell(2, i) for i in range(1, ws.max_column + 1)}
    assert cells["summary"].value == "=HYPERLINK(\"http://evil.example\")" and cells["summary"].data_type == "s"
    assert cells["amount_min"].value == -5


def test_cli_xlsx_opens_with_openpyxl(prov_db, tmp_path):
    out = tmp_path / "claims.xlsx"
    result = CliRunner().invoke(cli, ["export", "claims", "--db", str(prov_db), "--format", "xlsx", "-o", str(out),
                                      "--type", "contract"])
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    ws = wb.active
    assert ws.title == "claims" and ws.freeze_panes == "A2"
    values = list(ws.values)
    assert list(values[0]) == list(CLAIM_TABLE_COLUMNS) and len(values) == 2
    row = dict(zip(values[0], values[1]))
    assert row["type"] == "contract" and row["amount_min"] == 2e9 and isinstance(row["sources"], int)
    assert row["url"] == "https://harbor-wire.example.com/2025/12/05/gpu-lease"
    assert ws.cell(1, 1).font.bold


def test_cli_entity_filter_by_alias_and_jsonl_stays_default(prov_db, tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["export", "claims", "--db", str(prov_db), "--entity", "Microsoft"])
    assert result.exit_code == 0
    claims = [json.loads(line) for line in result.output.splitlines()]
    assert [c["type"] for c in claims] == ["contract"]
    ev = claims[0]["evidence"][0]
    assert ev["url"] == "https://harbor-wire.example.com/2025/12/05/gpu-lease" and ev["outlet"] == "Harbor Wire"
    assert ev["published_local"] == "2025-12-05T21:15:00-05:00"
    missing = runner.invoke(cli, ["export", "claims", "--db", str(prov_db), "--entity", "no such company"])
    assert missing.exit_code == 1 and "no such company" in missing.output and "Traceback" not in missing.output


def test_cli_invalid_type_is_a_usage_error_listing_the_types(prov_db):
    result = CliRunner().invoke(cli, ["export", "claims", "--db", str(prov_db), "--type", "foo"])
    assert result.exit_code == 2
    assert "'foo' is not one of" in result.output
    assert all(t in result.output for t in CLAIM_TYPES)


# --- the web route -------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def prov_ds(prov_db):
    from kb.web.serve import make_datasette
    return make_datasette(prov_db)


async def test_web_csv_is_the_cli_csv(prov_db, prov_ds, tmp_path):
    r = await prov_ds.client.get("/-/kb/export/claims.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.headers["content-disposition"] == 'attachment; filename="kb-claims.csv"; ' \
                                               "filename*=UTF-8''kb-claims.csv"
    out = tmp_path / "claims.csv"
    CliRunner().invoke(cli, ["export", "claims", "--db", str(prov_db), "--format", "csv", "-o", str(out)])
    assert r.content == out.read_bytes()


async def test_web_filters_by_entity_alias_and_type(prov_ds):
    r = await prov_ds.client.get("/-/kb/export/claims.csv", params={"entity": "北浜電機", "type": "role"})
    assert r.status_code == 200
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert [row["type"] for row in rows] == ["role"]
    entity_id = rows[0]["object_id"] or rows[0]["subject_id"]
    disposition = r.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="kb-claims-') and disposition.endswith("-role.csv")
    assert "filename*=UTF-8''" in disposition
    by_id = await prov_ds.client.get("/-/kb/export/claims.csv", params={"entity": entity_id, "type": "role"})
    assert by_id.content == r.content


async def test_web_xlsx(prov_ds):
    r = await prov_ds.client.get("/-/kb/export/claims.xlsx", params={"type": "manufacturing"})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="kb-claims-manufacturing.xlsx"' in r.headers["content-disposition"]
    values = list(openpyxl.load_workbook(io.BytesIO(r.content)).active.values)
    row = dict(zip(values[0], values[1]))
    assert row["outlet"] == "北浜経済新聞" and row["published"] == "2025-12-06T07:30:00+09:00"


async def test_web_bad_parameters_are_client_errors(prov_ds):
    bad = await prov_ds.client.get("/-/kb/export/claims.csv", params={"type": "foo"})
    assert bad.status_code == 400 and "investment" in bad.text and "foo" in bad.text
    unknown = await prov_ds.client.get("/-/kb/export/claims.xlsx", params={"entity": "no such company"})
    assert unknown.status_code == 404 and "no such company" in unknown.text
    other = await prov_ds.client.get("/-/kb/export/claims.pdf")
    assert other.status_code == 404
