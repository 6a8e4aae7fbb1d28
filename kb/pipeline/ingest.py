"""Run the pipeline over input files and write each article in one transaction."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

import sqlite_utils

from kb import nlp
from kb.errors import InputError
from kb.pipeline.analysis import extraction_version
from kb.pipeline.workers import make_executor
from kb.segment import join_chunks
from kb.sources import DEFAULT_MAX_FILE_MB, Article, legacy_key_to_real, read_articles, walk_inputs
from kb.store import db_file
from kb.store.articles import adopt_source_keys, article_state, record_errors, save_article


@dataclass
class IngestSummary:
    """What an ingest run did, for the CLI summary."""

    files: int = 0
    new: int = 0
    updated: int = 0
    refreshed: int = 0  # unchanged text analysed again because kb's extraction changed
    not_analysed: int = 0  # stored articles in a language kb has no pipeline for
    rekeyed: int = 0  # articles stored under a typed path, now keyed by the file's real path
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
    files = list(walk_inputs(paths))
    summary.rekeyed = adopt_source_keys(db, legacy_key_to_real)
    executor = make_executor(db_file(db), workers=workers, dask_scheduler=dask_scheduler)
    problems: dict[str, list[dict]] = {}
    extraction = extraction_version()
    try:
        for item in files:
            path, shown = item.path, item.shown
            if progress:
                progress(shown)
            file_problems = problems.setdefault(shown, [])
            if item.error is not None:  # a path that cannot be read: one error row, the batch goes on
                summary.failed += 1
                file_problems.append(_problem(item.error, "error", "read"))
                continue
            if not item.supported:
                summary.skipped_files.append(shown)
                file_problems.append({"path": shown, "line": None, "severity": "warning", "stage": "read",
                                      "reason": f"unsupported file type {path.suffix or '(none)'}; skipped",
                                      "hint": "kb reads .md, .markdown, .txt, .html, .htm and .jsonl"})
                continue
            summary.files += 1
            for article in _read_file(path, shown, summary, file_problems, max_file_mb):
                article.text, chunks = join_chunks(article.text)
                state = article_state(db, article.source_key)
                refresh = False
                if state and state[1] == article.content_hash:
                    if state[2] == extraction:
                        summary.unchanged += 1
                        continue
                    refresh = True  # same text, but kb's models, data or extraction changed since
                executor.submit((article, chunks), (shown, state[0] if state else None, refresh))
                _write_finished(db, executor.drain(), summary, problems, debug, extraction)
        _write_finished(db, executor.drain(all_=True), summary, problems, debug, extraction)
    finally:
        executor.close()
    for shown, file_problems in problems.items():
        record_errors(db, shown, file_problems)
        summary.problems.extend(file_problems)
    summary.seconds = time.perf_counter() - started
    return summary


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


def _write_finished(db, finished, summary: IngestSummary, problems: dict[str, list[dict]], debug: bool,
                    extraction: str) -> None:
    for (shown, replace_id, refresh), result in finished:
        if isinstance(result, BaseException):
            if debug:
                raise result
            summary.failed += 1
            problems[shown].append({"path": shown, "line": None, "severity": "error", "stage": "extract",
                                    "reason": f"internal error while analysing: {type(result).__name__}: {result}",
                                    "hint": "re-run with --debug for a traceback and report it"})
            continue
        save_article(db, result, replace_id=replace_id, extraction=extraction)
        if not nlp.is_analysed(result.lang):
            name = nlp.LANGUAGE_NAMES.get(result.lang, f"language '{result.lang}'")
            summary.not_analysed += 1
            problems[shown].append({"path": shown, "line": None, "severity": "warning", "stage": "extract",
                                    "reason": f"language not analysed: {name} ({result.lang}); the article is stored "
                                              "and searchable, but no entities or claims were extracted",
                                    "hint": "kb analyses Japanese and English; set `lang:` in the front matter if "
                                            "the language was detected wrongly"})
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
