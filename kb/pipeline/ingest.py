"""Run the pipeline over input files and write each article in one transaction."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

import sqlite_utils

import kb.store as kbdb
from kb import nlp
from kb.errors import InputError
from kb.pipeline.analysis import ArticleAnalysis, extraction_version
from kb.segment import join_chunks
from kb.pipeline.workers import make_executor
from kb.sources import DEFAULT_MAX_FILE_MB, Article, iter_input_files, read_articles
from kb.store.claims import refresh_claims, save_claims
from kb.store.entities import alias_row, entity_row, insert_aliases, refresh_entity_stats, upsert_entities


@dataclass
class IngestSummary:
    """What an ingest run did, for the CLI summary."""

    files: int = 0
    new: int = 0
    updated: int = 0
    refreshed: int = 0  # unchanged text analysed again because kb's extraction changed
    unchanged: int = 0
    failed: int = 0
    skipped_files: list[str] = field(default_factory=list)
    passages: int = 0
    duplicate_passages: int = 0
    cached_passages: int = 0
    analyzed_chars: int = 0
    mentions: int = 0
    claims: int = 0
    problems: list[dict] = field(default_factory=list)
    seconds: float = 0.0
    english_model: str = ""

    @property
    def errors(self) -> list[dict]:
        """Problems that lost data (as opposed to warnings)."""
        return [p for p in self.problems if p["severity"] == "error"]


def ingest_paths(db: sqlite_utils.Database, paths: Iterable[str], *, max_file_mb: float = DEFAULT_MAX_FILE_MB,
                 progress: Callable[[str], None] | None = None, debug: bool = False, workers: int = 1,
                 dask_scheduler=None) -> IngestSummary:
    """Ingest files and folders into `db`; bad inputs are recorded, never fatal.

    Analysis runs in this process, in `workers` processes (0 = one per core) or on a Dask cluster;
    writes always happen here, one transaction per article, in input order.
    """
    summary = IngestSummary(english_model=nlp.english_model_name())
    started = time.perf_counter()
    files = list(iter_input_files(paths))
    executor = make_executor(_db_file(db), workers=workers, dask_scheduler=dask_scheduler)
    problems: dict[str, list[dict]] = {}
    extraction = extraction_version()
    try:
        for path, supported in files:
            shown = path.as_posix()
            if progress:
                progress(shown)
            file_problems = problems.setdefault(shown, [])
            if not supported:
                summary.skipped_files.append(shown)
                file_problems.append({"path": shown, "line": None, "severity": "warning", "stage": "read",
                                      "reason": f"unsupported file type {path.suffix or '(none)'}; skipped",
                                      "hint": "kb reads .md, .markdown, .txt, .html, .htm and .jsonl"})
                continue
            summary.files += 1
            for article in _read_file(path, shown, summary, file_problems, max_file_mb):
                article.text, chunks = join_chunks(article.text)
                state = kbdb.article_state(db, article.source_key)
                refresh = False
                if state and state[1] == article.content_hash:
                    if state[2] == extraction:
                        summary.unchanged += 1
                        continue
                    refresh = True  # same text, but kb's models, data or extraction changed since
                executor.submit((article, chunks), (shown, state[0] if state else None, refresh))
                _write_finished(db, executor.drain(), summary, problems, debug)
        _write_finished(db, executor.drain(all_=True), summary, problems, debug)
    finally:
        executor.close()
    for shown, file_problems in problems.items():
        kbdb.record_errors(db, shown, file_problems)
        summary.problems.extend(file_problems)
    summary.seconds = time.perf_counter() - started
    return summary


def _db_file(db: sqlite_utils.Database) -> str | None:
    row = db.execute("PRAGMA database_list").fetchone()
    return row[2] if row and row[2] else None


def _read_file(path: Path, shown: str, summary: IngestSummary, problems: list[dict],
               max_file_mb: float) -> Iterator[Article]:
    try:
        items = list(read_articles(path, max_file_mb=max_file_mb, display_path=shown))
    except InputError as exc:
        summary.failed += 1
        problems.append(_problem(exc, "error", "read"))
        return
    except OSError as exc:
        summary.failed += 1
        problems.append({"path": shown, "line": None, "severity": "error", "stage": "read",
                         "reason": f"cannot read file: {exc.strerror or exc}", "hint": "check permissions"})
        return
    for item in items:
        if isinstance(item, InputError):
            summary.failed += 1
            problems.append(_problem(item, "error", "read"))
            continue
        for w in item.warnings:
            problems.append({"path": shown, "line": w.line, "severity": "warning", "stage": "read",
                             "reason": w.reason, "hint": w.hint})
        yield item


def _write_finished(db, finished, summary: IngestSummary, problems: dict[str, list[dict]], debug: bool) -> None:
    for (shown, replace_id, refresh), result in finished:
        if isinstance(result, BaseException):
            if debug:
                raise result
            summary.failed += 1
            problems[shown].append({"path": shown, "line": None, "severity": "error", "stage": "extract",
                                    "reason": f"internal error while analysing: {type(result).__name__}: {result}",
                                    "hint": "re-run with --debug for a traceback and report it"})
            continue
        write_article(db, result, replace_id=replace_id)
        status = "refreshed" if refresh else "updated" if replace_id else "new"
        setattr(summary, status, getattr(summary, status) + 1)
        summary.passages += len(result.passages)
        summary.duplicate_passages += sum(1 for p in result.passages if p.duplicate_of is not None)
        summary.cached_passages += result.cached
        summary.analyzed_chars += result.analyzed_chars
        summary.mentions += len(result.mentions)
        summary.claims += len(result.claims)


def _problem(exc: InputError, severity: str, stage: str) -> dict:
    return {"path": exc.path, "line": exc.line, "severity": severity, "stage": stage,
            "reason": exc.reason, "hint": exc.hint}


def write_article(db: sqlite_utils.Database, analysis: ArticleAnalysis, *, replace_id: str | None) -> None:
    """Write one analyzed article and its derived rows in a single transaction."""
    a = analysis.article
    aid = a.id
    with db.atomic():
        affected_claims: set[str] = set()
        affected_entities: set[str] = set()
        if replace_id:
            affected_claims, affected_entities = kbdb.delete_article(db, replace_id)
        dup = sum(1 for p in analysis.passages if p.duplicate_of is not None)
        db["articles"].insert({
            "id": aid, "source_key": a.source_key, "source_path": a.source_path, "title": a.title,
            "published": a.published, "published_raw": a.published_raw, "author": a.author,
            "tags": kbdb.json_list(a.tags), "categories": kbdb.json_list(a.categories), "url": a.url,
            "lang": analysis.lang, "format": a.format, "encoding": a.encoding, "text": a.text,
            "content_hash": a.content_hash, "chars": len(a.text), "chunks": analysis.chunks + 1,
            "passages": len(analysis.passages), "duplicate_passages": dup, "ingested_at": kbdb.now_iso(),
            "extraction": extraction_version(),
        }, pk="id")
        rows = []
        for p in analysis.passages:
            row = kbdb.passage_row(aid, p)
            if p.duplicate_of is not None:
                row["duplicate_of"] = kbdb.passage_id(aid, p.duplicate_of)
            else:
                other = kbdb.first_passage_with_norm(db, p.norm_hash, aid)
                if other:
                    row["duplicate_of"], row["duplicate_kind"] = other, "other-article"
            rows.append(row)
        db["passages"].insert_all(rows, pk="id")
        entity_rows = {}
        alias_rows = {}
        mention_rows = []
        for m in analysis.mentions:
            entity_rows.setdefault(m.entity.id, entity_row(m.entity))
            if m.source != "coref":
                alias_rows[(m.entity.id, m.text)] = alias_row(m.entity.id, m.text)
            mention_rows.append({
                "id": kbdb.stable_id(aid, m.start, m.end, m.entity.id), "article_id": aid,
                "passage_id": kbdb.passage_id(aid, m.passage_idx), "entity_id": m.entity.id,
                "start": m.start, "end": m.end, "text": m.text, "label": m.label, "source": m.source})
        for c in analysis.claims:
            for ref in (c.subject, c.object, c.attributed_to):
                if ref is not None:
                    entity_rows.setdefault(ref.id, entity_row(ref))
        upsert_entities(db, entity_rows.values())
        for e in entity_rows.values():
            alias_rows.setdefault((e["id"], e["name"]), alias_row(e["id"], e["name"]))
        insert_aliases(db, alias_rows.values())
        if mention_rows:
            db["mentions"].insert_all(mention_rows, pk="id", replace=True)
        if analysis.cache_rows:
            db["nlp_cache"].insert_all(analysis.cache_rows, pk="key", replace=True)
        affected_claims |= save_claims(db, aid, a, analysis.claims)
        refresh_claims(db, affected_claims)
        affected_entities |= set(entity_rows)
        refresh_entity_stats(db, affected_entities)
