"""Run the pipeline over input files and write each article in one transaction."""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

import sqlite_utils

from kb import nlp
from kb.errors import DatabaseError, InputError
from kb.feeds import looks_like_feed
from kb.fetch import FetchOptions, Fetched, is_url
from kb.pipeline.analysis import extraction_version
from kb.pipeline.inputs import WebCounts, feed_articles, fetched_articles, url_key
from kb.pipeline.workers import make_executor
from kb.segment import join_chunks
from kb.sources import (DEFAULT_MAX_FILE_MB, FALLBACK_EXTRACTOR, SUPPORTED_SUFFIXES, SUPPORTED_TEXT, Article,
                        InputFile, legacy_key_to_real, read_articles, read_stable, source_key_for,
                        walk_inputs)
from kb.store import db_file
from kb.store.articles import adopt_source_keys, article_state, index_syndication, record_errors, save_article
from kb.store.review import apply_review
from kb.store.feeds import feed_validators, record_entry, seen_entries, set_feed_validators
from kb.store.schema import describe_sqlite_error
from kb.store.syndication import syndication_counts


class Stopped(KeyboardInterrupt):
    """A stop signal (SIGINT, SIGTERM) arrived during an ingest; raised by the CLI's signal handler.

    A KeyboardInterrupt, so no `except Exception` on the way turns it into a per-article failure.
    """

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@dataclass
class IngestSummary:
    """What an ingest run did, for the CLI summary."""

    files: int = 0
    new: int = 0
    updated: int = 0
    refreshed: int = 0  # unchanged text analysed again because kb's extraction changed
    not_analysed: int = 0  # stored articles in a language kb has no pipeline for
    rekeyed: int = 0  # articles stored under a typed path, now keyed by the file's real path
    syndicated: tuple[int, int] = (0, 0)  # (articles, groups) of syndicated copies in the knowledge base
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
    stopped: str = ""  # the signal that stopped the run early (SIGINT, SIGTERM), if any
    fatal: str = ""  # the database error that stopped the run early, if any
    worker_restarts: int = 0  # times a dead worker process was replaced (its articles analysed again)
    web: WebCounts = field(default_factory=WebCounts)  # URLs fetched, feeds read, pages stored as fallback text

    @property
    def errors(self) -> list[dict]:
        """Problems that lost data (as opposed to warnings)."""
        return [p for p in self.problems if p["severity"] == "error"]


def iter_inputs(paths: Iterable[str]) -> Iterator[InputFile | str]:
    """Every input of a run in order: an InputFile for each file under a path, a str for each URL (a URL
    given twice is fetched once)."""
    urls: set[str] = set()
    for p in paths:
        if is_url(str(p)):
            if url_key(str(p)) not in urls:
                urls.add(url_key(str(p)))
                yield str(p)
        else:
            yield from walk_inputs([p])


def ingest_paths(db: sqlite_utils.Database, paths: Iterable[str], *, max_file_mb: float = DEFAULT_MAX_FILE_MB,
                 progress: Callable[[str], None] | None = None, debug: bool = False, workers: int = 1,
                 dask_scheduler=None, fetch: FetchOptions | None = None,
                 fetch_linked: bool | None = None) -> IngestSummary:
    """Ingest files, folders, URLs and feeds into `db`; bad inputs are recorded, never fatal.

    An http(s) URL in `paths` is fetched (options `fetch`; `offline=True` refuses it with an error);
    a feed (.rss/.atom/.xml file, or a URL serving one) becomes an article per new entry: its linked
    page when `fetch_linked` (default: yes for a feed URL, no for a feed file), else its own content.
    Analysis runs in this process, in `workers` processes (0 = one per core) or on a Dask cluster;
    writes always happen here, one transaction per article, in input order.
    """
    summary = IngestSummary(english_model=nlp.english_model_name())
    started = time.perf_counter()
    files = list(iter_inputs(paths))
    fetch = fetch or FetchOptions(max_bytes=int(max_file_mb * 1024 * 1024))
    fetchers: list = []

    def fetcher():
        if not fetchers:
            from kb.fetch import Fetcher
            fetchers.append(Fetcher(fetch))
        return fetchers[0]

    url_results = None
    path_of_db = db_file(db)
    identity = _file_identity(path_of_db)
    problems: dict[str, list[dict]] = {}
    extraction = extraction_version()
    executor = None

    def _submit(article: Article, shown: str) -> None:
        if article.source_path != shown:  # a feed entry's page: its problems go under its own URL
            problems.setdefault(article.source_path, [])
            shown = article.source_path
        article.text, chunks = join_chunks(article.text)
        state = article_state(db, article.source_key)
        refresh = False
        if state and state[1] == article.content_hash:
            if state[2] == extraction:
                summary.unchanged += 1
                _record_feed_entry(db, article)
                return
            refresh = True  # same text, but kb's models, data or extraction changed since
        executor.submit((article, chunks), (shown, state[0] if state else None, refresh))
        _write_finished(db, executor.drain(), summary, problems, debug, extraction, path_of_db, identity)

    try:
        summary.rekeyed = adopt_source_keys(db, legacy_key_to_real)
        if summary.rekeyed:
            apply_review(db)  # merged-away articles took rows with them; every article written re-applies it too
        index_syndication(db)  # articles stored before syndication groups existed get their signatures
        executor = make_executor(path_of_db, workers=workers, dask_scheduler=dask_scheduler)
        for item in files:
            if isinstance(item, str):  # a URL: fetched in a small pool, a few ahead of this loop
                if url_results is None:
                    given = [u for u in files if isinstance(u, str)]
                    known = feed_validators(db, sorted({url_key(u) for u in given}))
                    url_results = fetcher().fetch_many(given, {u: known[url_key(u)] for u in given
                                                               if url_key(u) in known})
                _, result = next(url_results)
                shown = url_key(item)
                if progress:
                    progress(item)
                file_problems = problems.setdefault(shown, [])
                summary.files += 1
                summary.web.urls += 1
                if not isinstance(result, Fetched):
                    summary.failed += 1
                    summary.web.fetch_failed += 1
                    file_problems.append(_problem(result, "error", "fetch"))
                    continue
                summary.web.fetched += 1
                before = len(file_problems)
                articles = list(fetched_articles(db, result, shown, file_problems, summary.web, fetcher=fetcher(),
                                                 fetch_linked=fetch_linked is not False))
                summary.failed += sum(1 for p in file_problems[before:] if p["severity"] == "error")
                for article in articles:
                    _submit(article, shown)
                continue
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
                                      "reason": item.note or f"unsupported file type {path.suffix or '(none)'}; "
                                                             "skipped",
                                      "hint": "" if item.note else SUPPORTED_TEXT})
                continue
            summary.files += 1
            if SUPPORTED_SUFFIXES.get(path.suffix.lower()) == "feed":
                for article in _read_feed_file(db, path, shown, summary, file_problems, max_file_mb,
                                               fetcher if fetch_linked else None):
                    _submit(article, shown)
                continue
            for article in _read_file(path, shown, summary, file_problems, max_file_mb):
                if article.extractor == FALLBACK_EXTRACTOR:
                    summary.web.fallback_pages += 1
                _submit(article, shown)
        _write_finished(db, executor.drain(all_=True), summary, problems, debug, extraction, path_of_db, identity)
        for feed_key, ((etag, modified), entry_ids) in summary.web.validators.items():
            if entry_ids <= seen_entries(db, feed_key):  # all stored: the next run may ask "changed since?"
                set_feed_validators(db, feed_key, etag, modified)
    except KeyboardInterrupt as exc:  # SIGINT or SIGTERM: the article in flight was rolled back
        summary.stopped = signal.Signals(exc.signum).name if isinstance(exc, Stopped) else "SIGINT"
    except DatabaseError as exc:
        summary.fatal = str(exc)
    except sqlite3.Error as exc:
        summary.fatal = describe_sqlite_error(path_of_db, exc)
    finally:
        if executor is not None:
            summary.worker_restarts = getattr(executor, "restarts", 0)
            executor.close(terminate=bool(summary.stopped or summary.fatal))
        for f in fetchers:
            f.close()
    for shown, file_problems in problems.items():
        summary.problems.extend(file_problems)
    if not summary.fatal:
        try:
            for shown, file_problems in problems.items():
                record_errors(db, shown, file_problems)
        except (sqlite3.Error, KeyboardInterrupt) as exc:  # the problems are still printed
            if isinstance(exc, sqlite3.Error):
                summary.fatal = describe_sqlite_error(path_of_db, exc)
    if not summary.fatal:
        try:
            summary.syndicated = syndication_counts(db)
        except sqlite3.Error:  # a count for the summary only
            pass
    summary.seconds = time.perf_counter() - started
    return summary


def _file_identity(path: str | None) -> tuple[int, int] | None:
    try:
        st = os.stat(path) if path else None
    except OSError:
        return None
    return (st.st_dev, st.st_ino) if st else None


def _check_database_still_there(path: str | None, identity: tuple[int, int] | None, summary: IngestSummary) -> None:
    """Stop before writing into a database file that was removed or replaced since the run started:
    SQLite would go on writing into the deleted file and everything written would vanish with it."""
    if identity is None or _file_identity(path) == identity:
        return
    done = summary.new + summary.updated + summary.refreshed
    raise DatabaseError(f"{path}: the database file was removed or replaced during the ingest; stopped "
                        f"(the {done} article(s) written by this run went with the removed file); "
                        "run the same kb ingest again to store them")
def _record_feed_entry(db, article: Article) -> None:
    """Mark a feed entry stored once its article is in the database (unchanged or just written)."""
    o = article.origin
    if o.get("feed_key") and o.get("entry_id"):
        record_entry(db, feed_key=o["feed_key"], entry_id=o["entry_id"], article_key=article.source_key,
                     link=o.get("link"), title=o.get("entry_title"), published=o.get("entry_published"),
                     full_page=bool(o.get("full_page")))


def _read_or_report(read, shown: str, summary: IngestSummary, problems: list[dict]):
    """`read()`, or None with the file's read problem recorded (the batch goes on)."""
    try:
        return read()
    except InputError as exc:
        problem = _problem(exc, "error", "read")
    except OSError as exc:
        problem = {"path": shown, "line": None, "severity": "error", "stage": "read",
                   "reason": f"cannot read file: {exc.strerror or exc}", "hint": "check permissions"}
    summary.failed += 1
    problems.append(problem)
    return None


def _read_feed_file(db, path: Path, shown: str, summary: IngestSummary, problems: list[dict], max_file_mb: float,
                    fetcher) -> Iterator[Article]:
    """The new entries of a local feed file (their linked pages fetched only when `fetcher` is given)."""
    data = _read_or_report(lambda: read_stable(path, shown, max_file_mb=max_file_mb), shown, summary, problems)
    if data is None:
        return
    if path.suffix.lower() == ".xml" and not looks_like_feed(data):  # .xml is often not a feed (sitemaps, exports)
        summary.files -= 1
        summary.skipped_files.append(shown)
        problems.append({"path": shown, "line": None, "severity": "warning", "stage": "read",
                         "reason": "an .xml file that is not an RSS or Atom feed; skipped", "hint": SUPPORTED_TEXT})
        return
    before = len(problems)
    articles = list(feed_articles(db, data, shown, source_key_for(path), problems, summary.web,
                                  fetcher=fetcher() if fetcher else None))
    summary.failed += sum(1 for p in problems[before:] if p["severity"] == "error")
    yield from articles


def _read_file(path: Path, shown: str, summary: IngestSummary, problems: list[dict],
               max_file_mb: float) -> Iterator[Article]:
    items = _read_or_report(lambda: list(read_articles(path, max_file_mb=max_file_mb, display_path=shown)), shown,
                            summary, problems)
    if items is None:
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
                    extraction: str, path_of_db: str | None = None, identity: tuple[int, int] | None = None) -> None:
    for (shown, replace_id, refresh), result in finished:
        if isinstance(result, BaseException):
            if debug:
                raise result
            summary.failed += 1
            problems[shown].append({"path": shown, "line": None, "severity": "error", "stage": "extract",
                                    "reason": f"internal error while analysing: {type(result).__name__}: {result}",
                                    "hint": "re-run with --debug for a traceback and report it"})
            continue
        _check_database_still_there(path_of_db, identity, summary)
        if not save_article(db, result, replace_id=replace_id, extraction=extraction):
            summary.unchanged += 1  # another run stored this very content meanwhile
            _record_feed_entry(db, result.article)
            continue
        _record_feed_entry(db, result.article)
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
