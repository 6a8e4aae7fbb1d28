"""Two `kb ingest` runs on one database at once: every article ends up stored exactly once, the second run
waits (or refuses with --no-wait), migrations run once, and no interleaving shows a traceback."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from .helpers import ROOT, integrity, kb_env, no_traceback, run_kb, start_kb, stored, wait_for, write_articles

WAITING = "waiting for another kb ingest on this database…"


@pytest.mark.parametrize("second", ["same", "different", "overlapping"])
def test_two_ingests_at_once_store_every_article_exactly_once(tmp_path, second):
    first_dir = tmp_path / "a"
    write_articles(first_dir, range(0, 4))
    numbers = {"same": range(0, 4), "different": range(4, 8), "overlapping": range(2, 6)}[second]
    write_articles(first_dir, numbers)  # one folder; each run is given its files
    first_args = [first_dir / f"story-{i:03d}.md" for i in range(0, 4)]
    second_args = [first_dir / f"story-{i:03d}.md" for i in numbers]
    db = tmp_path / "kb.db"
    marks = tmp_path / "marks"
    marks.mkdir()
    # The first run writes slowly (each article holds the write lock for a while), so the second one
    # certainly meets it; the first run creates the database, the second finds it there.
    go = tmp_path / "go"
    a = start_kb("ingest", *first_args, "--db", db, "-q", "--no-fast", slow=0.2, marks=marks, env={"KB_TEST_HOLD": go})
    wait_for(lambda: (marks / "written-1.start").exists(), what="the first run's first article")
    b_err = tmp_path / "b.err"
    with open(b_err, "w") as err:
        b = start_kb("ingest", *second_args, "--db", db, "-q", "--no-fast",
                     stderr=err)
        wait_for(lambda: WAITING in b_err.read_text(), what="the second run to wait")
        go.touch()
        b_out, _ = b.communicate(timeout=120)
    b = subprocess.CompletedProcess(b.args, b.returncode, b_out, b_err.read_text())
    out_a, err_a = a.communicate(timeout=120)
    assert (a.returncode, b.returncode) == (0, 0), (err_a, b.stderr)
    assert no_traceback(err_a, out_a, b.stderr, b.stdout)
    assert WAITING in b.stderr and b.stderr.count(WAITING) == 1
    keys = [k for k, _ in stored(db)]
    expected = {f"story-{i:03d}.md" for i in set(range(0, 4)) | set(numbers)}
    assert sorted(k.rsplit("/", 1)[1] for k in keys) == sorted(expected)  # each exactly once
    assert integrity(db) == "ok"
    if second == "same":
        assert "0 new, 0 updated, 4 unchanged" in b.stdout
    if second == "overlapping":
        assert "2 new, 0 updated, 2 unchanged" in b.stdout


def test_no_wait_refuses_at_once_with_exit_code_75(tmp_path):
    write_articles(tmp_path / "a", range(2))
    db, marks = tmp_path / "kb.db", tmp_path / "marks"
    marks.mkdir()
    go = tmp_path / "go"
    a = start_kb("ingest", tmp_path / "a", "--db", db, "-q", "--no-fast", slow=0, marks=marks, env={"KB_TEST_HOLD": go})
    wait_for(lambda: (marks / "written-1.start").exists(), what="the first run's first article")
    b = run_kb("ingest", tmp_path / "a", "--db", db, "-q", "--no-wait")
    go.touch()
    assert b.returncode == 75
    assert b.stderr == (f"Error: {db}: another kb ingest is writing this database; run again when it has "
                        "finished, or without --no-wait to wait for it\n")
    a.communicate(timeout=120)
    assert a.returncode == 0 and len(stored(db)) == 2


MIGRATE = "import sys; from kb.store import open_db, applied_versions; print(applied_versions(open_db(sys.argv[1])))"


def test_migrations_run_once_when_processes_open_a_new_database_together(tmp_path):
    db = tmp_path / "kb.db"
    procs = [subprocess.Popen([sys.executable, "-c", MIGRATE, str(db)], cwd=ROOT, env=kb_env(),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(6)]
    results = [p.communicate(timeout=60) for p in procs]
    from kb.store import SCHEMA_VERSION
    assert [p.returncode for p in procs] == [0] * 6, results
    assert all(out.strip() == str(list(range(1, SCHEMA_VERSION + 1))) for out, _ in results), results
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == SCHEMA_VERSION


def test_a_database_already_migrated_is_opened_without_writing(tmp_path):
    from kb.store import open_db
    db = tmp_path / "kb.db"
    open_db(db).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock: opening must not need it
    try:
        open_db(db, busy_timeout=0.1).close()
    finally:
        holder.execute("ROLLBACK")


def test_a_locked_database_is_one_line_naming_it(tmp_path):
    write_articles(tmp_path / "a", range(1))
    db = tmp_path / "kb.db"
    assert run_kb("ingest", tmp_path / "a", "--db", db, "-q").returncode == 0
    write_articles(tmp_path / "a", range(1), version=1)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # not a kb ingest (no run lock): kb graph build, say
    try:
        r = run_kb("ingest", tmp_path / "a", "--db", db, "-q", env={"KB_BUSY_TIMEOUT": "0.5"})
        g = run_kb("graph", "build", "--db", db, env={"KB_BUSY_TIMEOUT": "0.5"})  # any command, not only ingest
    finally:
        holder.execute("ROLLBACK")
    line = (f"Error: {db}: the database is locked by another writer (waited 0.5s: database is locked); "
            "wait for the other kb command to finish and run this again")
    for run in (r, g):
        assert run.returncode == 1 and no_traceback(run.stderr, run.stdout)
        assert [e for e in run.stderr.splitlines() if e.startswith("Error:")] == [line]


def test_an_article_stored_meanwhile_by_another_run_is_counted_once(tmp_path):
    """The state seen before analysis is re-checked inside the write transaction."""
    from kb.pipeline.analysis import analyze_article, extraction_version
    from kb.sources import read_articles
    from kb.store import open_db
    from kb.store.articles import save_article

    (path,) = write_articles(tmp_path / "a", [1])
    db = open_db(tmp_path / "kb.db")
    other = open_db(tmp_path / "kb.db")
    (article,) = read_articles(path)
    analysis = analyze_article(article, 0)
    assert save_article(other, analysis, replace_id=None, extraction=extraction_version())  # the other run
    assert not save_article(db, analysis, replace_id=None, extraction=extraction_version())  # same: unchanged
    write_articles(tmp_path / "a", [1], version=1)
    (newer,) = read_articles(path)
    assert save_article(other, analyze_article(newer, 0), replace_id=None, extraction=extraction_version())
    assert save_article(db, analysis, replace_id=None, extraction=extraction_version())  # another version: replaced
    rows = list(db.query("SELECT source_key, content_hash FROM articles"))
    assert rows == [{"source_key": article.source_key, "content_hash": article.content_hash}]
