"""Parallel and distributed ingest write exactly what a serial ingest writes; a dead worker loses nothing."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import cloudpickle
import pytest
from distributed import Client, LocalCluster

from kb.pipeline.analysis import analyze_article
from kb.store import open_db
from kb.pipeline.ingest import ingest_paths
from kb.pipeline.workers import DaskExecutor

from conftest import ARTICLES

TABLES = ["articles", "passages", "entities", "entity_aliases", "mentions", "claims", "claim_evidence",
          "claim_conflicts"]


def snapshot(db):
    out = {}
    for t in TABLES:
        cols = [c.name for c in db[t].columns if c.name != "ingested_at"]
        out[t] = [tuple(r) for r in db.execute(f"SELECT {', '.join(repr(c) for c in cols)} FROM {t} ORDER BY rowid")]
    return out


def empty_except_cache(db):
    """Delete every article and what was extracted from it, keeping the analysis cache (nlp_cache)."""
    for table in ("claim_conflicts", "claim_evidence", "claims", "mentions", "entity_aliases", "passages", "articles",
                  "entities"):
        db.execute(f"DELETE FROM {table}")
    db.conn.commit()


@pytest.fixture(scope="module")
def serial_snapshot(tmp_path_factory):
    db = open_db(tmp_path_factory.mktemp("serial") / "kb.db")
    ingest_paths(db, [str(ARTICLES)])
    return snapshot(db)


@pytest.fixture(scope="module")
def cluster():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as c:
        with Client(c) as client:
            yield client


def test_worker_processes_write_the_same_rows(tmp_path, serial_snapshot):
    db = open_db(tmp_path / "kb.db")
    summary = ingest_paths(db, [str(ARTICLES)], workers=2)
    assert summary.failed == 0
    assert snapshot(db) == serial_snapshot


def test_dask_cluster_writes_the_same_rows(tmp_path, serial_snapshot, cluster):
    db = open_db(tmp_path / "kb.db")
    summary = ingest_paths(db, [str(ARTICLES)], dask_scheduler=cluster)
    assert summary.failed == 0
    assert snapshot(db) == serial_snapshot


class CrashOnce:
    """Kill the worker process the first time it runs; the rescheduled task on a new worker succeeds."""

    def __init__(self, flag: Path):
        self.flag = flag

    def __call__(self, task):
        if not self.flag.exists():
            self.flag.write_text("crashed")
            os._exit(1)
        return analyze_article(task[0], task[1], None)


def always_crash(task):
    os._exit(1)


def test_a_dead_worker_is_retried_and_nothing_is_lost(tmp_path, serial_snapshot, cluster):
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    flag = tmp_path / "crashed"
    db = open_db(tmp_path / "kb.db")
    executor = DaskExecutor(cluster, retries=2, analyze=CrashOnce(flag))
    summary = ingest_paths(db, [str(ARTICLES)], dask_scheduler=executor)
    assert flag.exists(), "the worker never crashed, so the test proved nothing"
    assert summary.failed == 0
    assert snapshot(db) == serial_snapshot


def test_an_article_that_keeps_killing_workers_is_reported(tmp_path, cluster):
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    one = tmp_path / "in"
    one.mkdir()
    name = sorted(p.name for p in ARTICLES.glob("*.md") if p.name != "README.md")[0]
    (one / name).write_bytes((ARTICLES / name).read_bytes())
    db = open_db(tmp_path / "kb.db")
    executor = DaskExecutor(cluster, retries=1, analyze=always_crash)
    summary = ingest_paths(db, [str(one)], dask_scheduler=executor)
    assert summary.failed == 1 and summary.new == 0
    rows = list(db.query("SELECT path, severity, reason FROM ingest_errors"))
    assert rows and rows[0]["severity"] == "error" and rows[0]["path"].endswith(name)
    assert "Dask" in rows[0]["reason"]


def test_fast_ops_and_the_cache_change_no_row(tmp_path, serial_snapshot):
    """The optimized path (NumPy BLAS matmuls, cached analyses) writes exactly what the plain path writes."""
    import shutil
    import subprocess

    fast = tmp_path / "fast.db"
    subprocess.run([sys.executable, "-m", "kb.cli", "ingest", str(ARTICLES), "--db", str(fast), "--fast", "-q"],
                   check=True, capture_output=True)
    assert snapshot(open_db(fast)) == serial_snapshot
    # A second database fed from the first one's cache (every passage analysed before) is identical too.
    cached = tmp_path / "cached.db"
    shutil.copy(fast, cached)
    db = open_db(cached)
    empty_except_cache(db)
    summary = ingest_paths(db, [str(ARTICLES)])
    assert summary.cached_passages > 0 and summary.analyzed_chars == 0
    assert snapshot(db) == serial_snapshot


def test_parsing_only_sentences_that_can_hold_claims_changes_no_row(tmp_path, serial_snapshot, monkeypatch):
    """The parser gate (kb.claims.needs_parse) is a pure speed-up: parsing every sentence writes the same rows."""
    import kb.claims

    calls = []
    monkeypatch.setattr(kb.claims, "needs_parse", lambda doc: calls.append(doc.text) or True)
    db = open_db(tmp_path / "kb.db")
    ingest_paths(db, [str(ARTICLES)])
    assert calls, "the gate was never consulted"
    assert snapshot(db) == serial_snapshot


def test_docs_cached_unparsed_are_parsed_when_the_gate_changes(tmp_path, serial_snapshot, monkeypatch):
    """A cache filled under a gate that parsed nothing (an older claim lexicon) heals: same rows as serial."""
    import kb.claims

    path = tmp_path / "kb.db"
    with monkeypatch.context() as m:
        m.setattr(kb.claims, "needs_parse", lambda doc: False)
        db = open_db(path)
        ingest_paths(db, [str(ARTICLES)])
        unparsed = snapshot(db)
        db.close()
    assert unparsed["claims"] != serial_snapshot["claims"]  # without parses most claims are missing
    db = open_db(path)
    empty_except_cache(db)
    summary = ingest_paths(db, [str(ARTICLES)])
    assert summary.cached_passages > 0 and summary.analyzed_chars == 0
    assert snapshot(db) == serial_snapshot
    # The healed analyses replaced the unparsed ones in the cache: with healing switched off, a
    # third run from the cache alone still finds every claim.
    monkeypatch.setattr(kb.nlp, "complete_parse", lambda docs, lang, gate, **kw: (docs, []))
    empty_except_cache(db)
    ingest_paths(db, [str(ARTICLES)])
    assert snapshot(db) == serial_snapshot


def test_one_failing_article_in_a_batch_fails_alone(monkeypatch):
    """Articles are analysed in batches; a pipeline crash on one still leaves the others analysed."""
    import kb.nlp
    from kb.pipeline.analysis import analyze_articles
    from kb.sources import Article

    real = kb.nlp.analyze

    def fragile(texts, lang, **kw):
        if any("爆発" in t for t in texts):
            raise RuntimeError("pipeline crashed")
        return real(texts, lang, **kw)

    monkeypatch.setattr(kb.nlp, "analyze", fragile)
    texts = ["鴻海はオハイオ州に工場を建設する。", "この文は爆発する。", "ソフトバンクはOpenAIに出資した。"]
    tasks = [(Article(f"a{i}.md", f"a{i}", f"a{i}", t, lang="ja"), 0) for i, t in enumerate(texts)]
    results = analyze_articles(tasks, None)
    assert isinstance(results[1], RuntimeError)
    assert not isinstance(results[0], BaseException) and not isinstance(results[2], BaseException)
    assert results[0].claims and results[2].claims
