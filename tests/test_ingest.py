"""Ingest end to end: whole tables, idempotence, replacement, hostile input, crash safety."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import hostile
from click.testing import CliRunner

from kb.cli import cli
from kb.store import open_db
from kb.pipeline.ingest import ingest_paths

from conftest import ARTICLES


def _md(folder):
    return [p for p in folder.glob("*.md") if p.name != "README.md"]


def _table(db, table, order="id"):
    return [dict(r) for r in db.query(f"SELECT * FROM {table} ORDER BY {order}")]


def _snapshot(db):
    tables = ["articles", "passages", "entities", "entity_aliases", "mentions", "claims", "claim_evidence",
              "claim_conflicts"]
    snap = {t: _table(db, t, "rowid") for t in tables}
    for row in snap["articles"]:
        row.pop("ingested_at")
    return snap


def test_fixture_ingest_stores_articles_passages_and_offsets(ingested_fixtures):
    path, summary = ingested_fixtures
    db = open_db(path)
    articles = _table(db, "articles", "source_key")
    assert len(articles) == len(_md(ARTICLES))
    assert summary.failed == 0 and summary.new == len(articles)
    assert all(a["published"] and a["title"] and a["content_hash"] for a in articles)
    texts = {a["id"]: a["text"] for a in articles}
    assert "---END---" not in "".join(texts.values())
    for p in db.query("SELECT article_id, start, \"end\", text FROM passages"):
        assert texts[p["article_id"]][p["start"]:p["end"]] == p["text"]
    for m in db.query("SELECT article_id, start, \"end\", text FROM mentions"):
        assert texts[m["article_id"]][m["start"]:m["end"]] == m["text"]
    for e in db.query("SELECT article_id, start, \"end\", quote FROM claim_evidence"):
        assert texts[e["article_id"]][e["start"]:e["end"]] == e["quote"]
    dups = db.execute("SELECT count(*) FROM passages WHERE duplicate_of IS NOT NULL").fetchone()[0]
    assert dups > 0 and summary.duplicate_passages >= dups - summary.passages  # repeats recorded, not lost


def test_reingest_changes_nothing(tmp_path):
    db = open_db(tmp_path / "kb.db")
    ingest_paths(db, [str(ARTICLES)])
    before = _snapshot(db)
    summary = ingest_paths(db, [str(ARTICLES)])
    assert summary.unchanged == len(before["articles"]) and summary.new == summary.updated == 0
    assert _snapshot(db) == before


def test_changed_file_replaces_its_article(tmp_path):
    src = tmp_path / "in"
    shutil.copytree(ARTICLES, src)
    db = open_db(tmp_path / "kb.db")
    ingest_paths(db, [str(src)])
    target = sorted(src.glob("*ja*.md"))[0]
    old_id = db.execute("SELECT id FROM articles WHERE source_path = ?", [target.as_posix()]).fetchone()[0]
    target.write_text(target.read_text(encoding="utf-8") + "\n追記：エヌビディアはアリゾナ州で生産を始めた。\n", encoding="utf-8")
    summary = ingest_paths(db, [str(src)])
    assert summary.updated == 1 and summary.unchanged == len(_md(src)) - 1
    new_id = db.execute("SELECT id FROM articles WHERE source_path = ?", [target.as_posix()]).fetchone()[0]
    assert new_id != old_id
    for table in ("passages", "mentions", "claim_evidence"):
        assert db.execute(f"SELECT count(*) FROM {table} WHERE article_id = ?", [old_id]).fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM claims WHERE evidence_count = 0").fetchone()[0] == 0
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_hostile_inputs_are_reported_and_good_files_land(tmp_path):
    corpus = tmp_path / "hostile"
    corpus.mkdir()
    expected = hostile.write_hostile_corpus(corpus)
    result = CliRunner().invoke(cli, ["ingest", str(corpus), "--db", str(tmp_path / "kb.db")])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    db = open_db(tmp_path / "kb.db")
    problems = {}
    for r in db.query("SELECT path, line, severity, reason FROM ingest_errors"):
        problems.setdefault(Path(r["path"]).name, []).append(r)
    stored = {Path(r["source_path"]).name for r in db.query("SELECT source_path FROM articles")}
    for name, outcome in expected.items():
        if outcome == "ok":
            assert name in stored, name
            assert all(p["severity"] != "error" for p in problems.get(name, [])), problems.get(name)
        else:
            assert name in problems, f"{name}: {outcome} not reported"
            assert name in result.output
    assert {p["line"] for p in problems["articles.jsonl"]} == set(hostile.JSONL_BAD_LINES)
    assert db.execute("SELECT count(*) FROM articles WHERE source_path LIKE '%articles.jsonl'").fetchone()[0] == 3
    html = db.execute("SELECT text FROM articles WHERE source_path LIKE '%.html'").fetchone()[0]
    assert not any(bad in html for bad in hostile.HTML_FORBIDDEN)
    for name, snippet in hostile.EXPECTED_SNIPPETS.items():
        text = db.execute("SELECT text FROM articles WHERE source_path LIKE ?", [f"%{name}"]).fetchone()[0]
        assert snippet in text
    assert db.execute("SELECT count(*) FROM articles WHERE instr(text, char(0)) > 0").fetchone()[0] == 0


def test_big_file_is_refused_with_a_setting_to_raise(tmp_path):
    big = tmp_path / "big.md"
    hostile.write_big_file(big, size_mb=30)
    result = CliRunner().invoke(cli, ["ingest", str(big), "--db", str(tmp_path / "kb.db")])
    assert result.exit_code == 1
    assert "over the 20 MB limit" in result.output and "--max-file-mb" in result.output


def test_kill_9_leaves_a_consistent_database_and_the_next_run_completes(tmp_path):
    src = tmp_path / "in"
    shutil.copytree(ARTICLES, src)
    db_file = tmp_path / "kb.db"
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "kb.cli", "ingest", str(src), "--db", str(db_file), "-q"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    # Kill as soon as the first article is committed, i.e. mid-batch.
    deadline = time.time() + 300
    while time.time() < deadline:
        try:
            with sqlite3.connect(db_file, timeout=1) as c:
                if c.execute("SELECT count(*) FROM articles").fetchone()[0] >= 1:
                    break
        except sqlite3.Error:
            pass
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with sqlite3.connect(db_file) as c:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        n = c.execute("SELECT count(*) FROM articles").fetchone()[0]
        assert n < len(_md(src))
        # No half article: every stored article has all its passages.
        for aid, passages in c.execute("SELECT id, passages FROM articles"):
            assert c.execute("SELECT count(*) FROM passages WHERE article_id = ?", [aid]).fetchone()[0] == passages
    db = open_db(db_file)
    summary = ingest_paths(db, [str(src)])
    assert summary.unchanged == n and summary.new == len(_md(src)) - n


def _rows(db, table):
    import json
    rows = [dict(r) for r in db.query(f"SELECT * FROM {table}")]
    for row in rows:
        row.pop("ingested_at", None)
    return sorted(rows, key=lambda r: json.dumps(r, sort_keys=True, ensure_ascii=False, default=str))


def test_a_kb_upgrade_analyses_unchanged_articles_again(tmp_path):
    """Same text, but kb's models/data/extraction changed: the article is analysed again (from the cache)."""
    from kb.pipeline.analysis import extraction_version

    db = open_db(tmp_path / "kb.db")
    ingest_paths(db, [str(ARTICLES)])
    tables = ["articles", "passages", "entities", "mentions", "claims", "claim_evidence"]
    before = {t: _rows(db, t) for t in tables}
    assert {r["extraction"] for r in before["articles"]} == {extraction_version()}
    db.execute("UPDATE articles SET extraction = 'an older kb' WHERE rowid % 2 = 0")
    stale = db.execute("SELECT count(*) FROM articles WHERE extraction = 'an older kb'").fetchone()[0]
    assert stale > 0
    summary = ingest_paths(db, [str(ARTICLES)])
    assert summary.refreshed == stale and summary.unchanged == len(before["articles"]) - stale
    assert summary.new == summary.updated == summary.failed == 0
    assert summary.cached_passages > 0  # the NLP itself is not redone
    assert {t: _rows(db, t) for t in tables} == before


def test_a_database_from_before_the_extraction_column_is_migrated(tmp_path):
    path = tmp_path / "kb.db"
    db = open_db(path)
    ingest_paths(db, [str(ARTICLES)])
    n = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    db.execute("ALTER TABLE articles DROP COLUMN extraction")   # as an older kb left it
    db.execute("DELETE FROM schema_migrations WHERE version = 4")
    db.close()
    db = open_db(path)
    assert "extraction" in db["articles"].columns_dict
    summary = ingest_paths(db, [str(ARTICLES)])
    assert summary.refreshed == n and summary.failed == 0
