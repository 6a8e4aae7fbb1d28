"""Faults injected for real: a full disk, a read-only database, the database folder removed, SIGTERM and
SIGINT, a killed worker process, a damaged analysis-cache row. Each asserts the message the user sees and
that no committed article is lost."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess

import pytest

from .helpers import integrity, no_traceback, run_kb, start_kb, stored, wait_for, write_articles


@contextlib.contextmanager
def small_filesystem(where, size="2m"):
    """A real size-limited file system (tmpfs; the tests run as root, which may mount)."""
    where.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], check=True)
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def articles_stored(summary: str) -> int:
    m = re.search(r"Articles: (\d+) new, (\d+) updated", summary)
    return int(m[1]) + int(m[2])


def test_a_full_disk_stops_with_one_line_and_keeps_what_was_committed(tmp_path):
    with small_filesystem(tmp_path / "small") as small:
        db = small / "kb.db"
        write_articles(tmp_path / "first", range(1))
        assert run_kb("ingest", tmp_path / "first", "--db", db, "-q").returncode == 0
        filler = small / "filler"
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
        with contextlib.suppress(OSError):  # until ENOSPC: the file system is full
            while True:
                os.write(fd, b"\1" * 4096)
        os.close(fd)
        os.truncate(filler, max(0, filler.stat().st_size - 96 * 1024))  # room to open, not to write much
        write_articles(tmp_path / "more", range(1, 4))
        r = run_kb("ingest", tmp_path / "more", "--db", db, "-q")
        assert r.returncode == 1 and no_traceback(r.stdout, r.stderr)
        errors = [line for line in r.stderr.splitlines() if line.startswith("Error:")]
        # SQLite says "database or disk is full", or "disk I/O error" when the full disk is met growing -shm
        assert len(errors) == 1 and re.fullmatch(
            re.escape(f"Error: {db}: the disk is full (") + "(database or disk is full|disk I/O error)" +
            re.escape("); articles committed so far are kept; free some space and run the same command "
                      "again to continue"), errors[0]), errors
        filler.unlink()  # (reading needs room for the -shm file too)
        assert len(stored(db)) == 1 + articles_stored(r.stdout)  # the first article, and any committed since
        assert integrity(db) == "ok"
        again = run_kb("ingest", tmp_path / "first", tmp_path / "more", "--db", db, "-q")
        assert again.returncode == 0, again.stderr
        assert len(stored(db)) == 4


def test_a_read_only_database_is_one_line(tmp_path):
    with small_filesystem(tmp_path / "ro") as ro:
        db = ro / "kb.db"
        write_articles(tmp_path / "a", range(2))
        assert run_kb("ingest", tmp_path / "a", "--db", db, "-q").returncode == 0
        before = stored(db)
        # chmod 444 does not stop root; a read-only remount of the file system does.
        subprocess.run(["mount", "-o", "remount,ro", str(ro)], check=True)
        write_articles(tmp_path / "a", range(2, 3))
        r = run_kb("ingest", tmp_path / "a", "--db", db, "-q")
        assert r.returncode == 1 and no_traceback(r.stdout, r.stderr)
        assert r.stderr.splitlines() == [
            f"Error: {db}: the database is read-only (unable to open database file); make the file "
            "and its folder writable or pass another --db"]
        subprocess.run(["mount", "-o", "remount,rw", str(ro)], check=True)
        assert stored(db) == before


def test_the_database_folder_removed_during_an_ingest(tmp_path):
    write_articles(tmp_path / "in", range(3))
    folder, marks, go = tmp_path / "dbdir", tmp_path / "marks", tmp_path / "go"
    marks.mkdir()
    db = folder / "kb.db"
    p = start_kb("ingest", tmp_path / "in", "--db", db, "-q", slow=0, marks=marks, env={"KB_TEST_HOLD": go})
    wait_for(lambda: (marks / "written-1.start").exists(), what="the first article")
    shutil.rmtree(folder)
    go.touch()
    out, err = p.communicate(timeout=120)
    assert p.returncode == 1 and no_traceback(out, err)
    assert [line for line in err.splitlines() if line.startswith("Error:")] == [
        f"Error: {db}: the database file was removed or replaced during the ingest; stopped (the 1 article(s) "
        "written by this run went with the removed file); run the same kb ingest again to store them"]
    again = run_kb("ingest", tmp_path / "in", "--db", db, "-q")
    assert again.returncode == 0 and "3 new" in again.stdout and len(stored(db)) == 3


@pytest.mark.parametrize("signum, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_stop_signal_rolls_back_the_article_in_flight_and_the_next_run_resumes(tmp_path, signum, code):
    write_articles(tmp_path / "in", range(3))
    db, marks, go = tmp_path / "kb.db", tmp_path / "marks", tmp_path / "go"
    marks.mkdir()
    p = start_kb("ingest", tmp_path / "in", "--db", db, "-q", slow=0, marks=marks,
                 env={"KB_TEST_HOLD": go, "KB_TEST_HOLD_AT": 2})
    wait_for(lambda: (marks / "written-2.start").exists(), what="the second article in flight")
    os.kill(p.pid, signum)
    out, err = p.communicate(timeout=60)
    assert p.returncode == code and no_traceback(out, err)
    name = signal.Signals(signum).name
    assert err.splitlines()[-1] == (f"Stopped by {name}: 1 article(s) stored, the one being written was rolled "
                                    "back; run the same command again to resume.")
    assert out.startswith("Articles: 1 new, 0 updated, 0 unchanged, 0 failed")
    assert not (marks / "written-2.done").exists()
    first = (marks / "written-1.done").read_text()
    assert [k for k, _ in stored(db)] == [first]  # the committed one kept, the one in flight rolled back
    assert integrity(db) == "ok"
    again = run_kb("ingest", tmp_path / "in", "--db", db, "-q")
    assert again.returncode == 0 and again.stdout.startswith("Articles: 2 new, 0 updated, 1 unchanged")
    assert len(stored(db)) == 3


def _children(pid: int) -> list[int]:
    kids = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with contextlib.suppress(OSError), open(f"/proc/{pid}/task/{task}/children") as f:
            kids += [int(x) for x in f.read().split()]
    workers = []
    for kid in kids:
        with contextlib.suppress(OSError), open(f"/proc/{kid}/cmdline", "rb") as f:
            if b"resource_tracker" not in f.read():
                workers.append(kid)
    return workers


def test_a_worker_killed_during_workers_2_loses_no_article(tmp_path):
    write_articles(tmp_path / "in", range(6))
    db = tmp_path / "kb.db"
    p = start_kb("ingest", tmp_path / "in", "--db", db, "-q", "--workers", "2", "--no-fast")
    wait_for(lambda: len(_children(p.pid)) >= 1, what="a worker process")
    os.kill(_children(p.pid)[0], signal.SIGKILL)
    out, err = p.communicate(timeout=180)
    assert p.returncode == 0 and no_traceback(out, err), err
    assert out.startswith("Articles: 6 new, 0 updated, 0 unchanged, 0 failed")
    assert "Worker processes died 1 time(s); their unfinished articles were analysed again" in err
    assert len(stored(db)) == 6 and integrity(db) == "ok"


def test_a_damaged_cache_row_is_ignored_and_recomputed(tmp_path):
    from kb import nlp
    from kb.pipeline.ingest import ingest_paths
    from kb.store import open_db

    write_articles(tmp_path / "a", [5])
    (tmp_path / "b").mkdir()
    shutil.copy(tmp_path / "a" / "story-005.md", tmp_path / "b" / "copy.md")  # the same passages, another file
    db = open_db(tmp_path / "kb.db")
    first = ingest_paths(db, [str(tmp_path / "a")])
    assert first.new == 1 and first.mentions > 0
    keys = [r["key"] for r in db.query("SELECT key FROM nlp_cache")]
    assert keys
    db.execute("UPDATE nlp_cache SET data = ?", [b"\x78\x9cnot a doc"])  # damaged on disk
    db.execute("UPDATE nlp_cache SET data = ? WHERE rowid = (SELECT min(rowid) FROM nlp_cache)", [b"\x00" * 10])
    second = ingest_paths(db, [str(tmp_path / "b")])
    assert (second.new, second.failed, second.cached_passages) == (1, 0, 0)
    assert second.mentions == first.mentions and second.claims == first.claims
    for row in db.query("SELECT data FROM nlp_cache"):  # rewritten with the article
        assert nlp.docs_from_bytes(row["data"], "en")
