"""Datasette keeps answering while an ingest writes, and a long query is cut with a readable message."""

from __future__ import annotations

import time

from .helpers import start_kb, wait_for, write_articles

from kb.web.serve import SETTINGS, make_datasette

LONG_QUERY = ("with recursive n(i) as (select 1 union all select i + 1 from n where i < 100000000) "
              "select count(*) from n")


async def test_reads_are_answered_while_an_ingest_holds_the_write_lock(tmp_path):
    write_articles(tmp_path / "in", range(3))
    db, marks, go = tmp_path / "kb.db", tmp_path / "marks", tmp_path / "go"
    marks.mkdir()
    p = start_kb("ingest", tmp_path / "in", "--db", db, "-q", "--no-fast", slow=0, marks=marks,
                 env={"KB_TEST_HOLD": go, "KB_TEST_HOLD_AT": 2})
    try:
        wait_for(lambda: (marks / "written-2.start").exists(), what="the second article in flight")
        ds = make_datasette(db)
        started = time.monotonic()
        r = await ds.client.get(f"/{db.stem}/articles.json?_shape=array")
        assert r.status_code == 200 and len(r.json()) == 1  # the committed article, not the one in flight
        r = await ds.client.get(f"/{db.stem}.json?sql=select+count(*)+as+n+from+passages&_shape=array")
        assert r.status_code == 200
        assert time.monotonic() - started < 5  # not blocked by the writer
    finally:
        go.touch()
        p.communicate(timeout=120)
    assert p.returncode == 0


async def test_a_long_query_is_cut_with_a_readable_message(tmp_path):
    from kb.store import open_db
    db = tmp_path / "kb.db"
    open_db(db).close()
    assert SETTINGS["sql_time_limit_ms"] == 3000
    ds = make_datasette(db, settings={"sql_time_limit_ms": 200})
    started = time.monotonic()
    r = await ds.client.get(f"/{db.stem}.json", params={"sql": LONG_QUERY})
    assert time.monotonic() - started < 10
    assert r.status_code == 400
    body = r.json()
    assert body["ok"] is False and body["title"] == "SQL Interrupted"
    assert "SQL query took too long" in body["error"]
