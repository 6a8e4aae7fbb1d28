"""Inputs that are not one file = one article: URLs (fetched pages) and RSS/Atom feeds (files or URLs).

Each function yields Articles and appends problems (dicts as ingest records them) to `problems`; a bad
URL, feed or entry is one problem and never stops the batch. A feed's entries already stored (table
feed_entries) are skipped before anything is fetched for them, so a re-run adds only new entries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator
from urllib.parse import urldefrag

import sqlite_utils

from kb.errors import InputError
from kb.feeds import Feed, entry_article, parse_feed
from kb.fetch import Fetched, FetchError, Fetcher
from kb.sources import Article, Warning_, normalize_newlines, page_article, parse_date, parse_date_local
from kb.store.feeds import record_feed, seen_entries, touch_feed


@dataclass
class WebCounts:
    """What the web inputs of a run did (merged into the ingest summary)."""

    urls: int = 0
    fetched: int = 0
    fetch_failed: int = 0
    feeds: int = 0
    feeds_not_modified: int = 0
    feed_entries_new: int = 0
    feed_entries_seen: int = 0
    fallback_pages: int = 0
    # feed URL -> ((ETag, Last-Modified), its new entry ids): stored after the run if all those entries were
    validators: dict = field(default_factory=dict)


def url_key(url: str) -> str:
    """The source key of a fetched page: its URL as given, without a #fragment."""
    return urldefrag(url.strip())[0]


def problem(exc: InputError, severity: str = "error", stage: str = "read", path: str | None = None) -> dict:
    return {"path": path or exc.path, "line": exc.line, "severity": severity, "stage": stage,
            "reason": exc.reason, "hint": exc.hint}


def warning_rows(path: str, warnings: list[Warning_]) -> list[dict]:
    return [{"path": path, "line": w.line, "severity": "warning", "stage": "read", "reason": w.reason,
             "hint": w.hint} for w in warnings]


def fetched_articles(db: sqlite_utils.Database, fetched: Fetched, shown: str, problems: list[dict],
                     counts: WebCounts, *, fetcher: Fetcher | None, fetch_linked: bool) -> Iterator[Article]:
    """The article of a fetched page, or the new entries of a fetched feed."""
    if fetched.not_modified:  # a feed read before, unchanged since (conditional request)
        counts.feeds += 1
        counts.feeds_not_modified += 1
        touch_feed(db, url_key(fetched.url))
        return
    kind = fetched.kind
    if kind == "feed":
        yield from feed_articles(db, fetched.data, shown, url_key(fetched.url), problems, counts,
                                 content_type=fetched.content_type, base_url=fetched.final_url,
                                 fetcher=fetcher if fetch_linked else None,
                                 validators=(fetched.etag, fetched.last_modified))
        return
    article = page_from_fetch(fetched, shown, url_key(fetched.url), problems, counts)
    if article is not None:
        yield article


def page_from_fetch(fetched: Fetched, shown: str, key: str, problems: list[dict], counts: WebCounts) -> Article | None:
    """The article of a fetched HTML or text page; a problem (and None) for anything else."""
    kind = fetched.kind
    if kind not in ("html", "text"):
        problems.append(problem(InputError(shown, f"content type {fetched.content_type or '(none)'} is not a web page "
                                           "or a feed; skipped", hint="kb reads HTML pages, plain text and "
                                           "RSS/Atom feeds")))
        return None
    try:
        text, encoding, warnings = fetched.text()
        if kind == "text":
            body = normalize_newlines(text)
            if not body.strip():
                raise InputError(shown, "the page is empty", hint="nothing to ingest")
            article = Article(source_path=shown, source_key=key, title=body.strip().split("\n", 1)[0][:200],
                              text=body, url=fetched.final_url, encoding=encoding, format="text",
                              warnings=warnings)
        else:
            article = page_article(normalize_newlines(text), path=shown, key=key, encoding=encoding,
                                   warnings=warnings, url=fetched.url, final_url=fetched.final_url)
    except InputError as exc:
        problems.append(problem(exc, path=shown))
        return None
    if article.extractor == "html-text":
        counts.fallback_pages += 1
    article.origin.update({"fetched_url": fetched.final_url, "redirects": fetched.redirects})
    problems.extend(warning_rows(shown, article.warnings))
    return article


def feed_articles(db: sqlite_utils.Database, data: bytes, shown: str, feed_key: str, problems: list[dict],
                  counts: WebCounts, *, content_type: str | None = None, base_url: str | None = None,
                  fetcher: Fetcher | None = None,
                  validators: tuple[str | None, str | None] = (None, None)) -> Iterator[Article]:
    """The articles of a feed's new entries: each entry's linked page when `fetcher` is given (else, or
    when that page fails, the entry's own content). Each Article's `origin` names its feed and entry."""
    try:
        feed: Feed = parse_feed(data, shown, content_type=content_type, base_url=base_url)
    except InputError as exc:
        problems.append(problem(exc, path=shown))
        return
    counts.feeds += 1
    problems.extend(warning_rows(shown, feed.warnings))
    # The validators are stored only once every new entry is stored (see ingest): until then a re-run
    # reads the whole feed again, so an entry that failed is retried.
    record_feed(db, source_key=feed_key, source_path=shown, feed_id=feed.feed_id, title=feed.title,
                link=feed.link, version=feed.version)
    seen = seen_entries(db, feed_key)
    new, ids = [], set()
    for entry in feed.entries:
        if entry.entry_id in seen or entry.entry_id in ids:
            counts.feed_entries_seen += entry.entry_id in seen
            continue
        ids.add(entry.entry_id)
        new.append(entry)
    counts.feed_entries_new += len(new)
    pages: dict[str, Fetched | FetchError] = {}
    if fetcher is not None:
        links = [url_key(e.link) for e in new if e.link]
        for link, result in fetcher.fetch_many(links):
            pages[link] = result
            counts.fetched += isinstance(result, Fetched)
            counts.fetch_failed += isinstance(result, FetchError)
    for entry in new:
        origin = {"feed_key": feed_key, "feed_shown": shown, "entry_id": entry.entry_id, "link": entry.link,
                  "entry_title": entry.title, "entry_published": entry.published, "full_page": False}
        page = pages.get(url_key(entry.link)) if entry.link else None
        article = None
        if isinstance(page, Fetched):
            page_problems: list[dict] = []
            article = page_from_fetch(page, url_key(entry.link), url_key(entry.link), page_problems, counts)
            if article is not None:
                problems.extend(page_problems)
                article.title = article.title or entry.title
                if not article.published and entry.published:
                    article.published, article.published_local = parse_date(entry.published), \
                        parse_date_local(entry.published)
                article.published_raw = article.published_raw or entry.published_raw
                article.author = article.author or entry.author
                article.site_name = article.site_name or feed.title
                article.outlet = article.outlet or feed.title
                origin["full_page"] = True
            else:
                reasons = "; ".join(p["reason"] for p in page_problems if p["severity"] == "error")
                page = FetchError(url_key(entry.link), reasons or "the page could not be read")
        if article is None and isinstance(page, FetchError):
            problems.append({"path": shown, "line": None, "severity": "warning", "stage": "read",
                             "reason": f"entry {entry.entry_id!r}: its page {entry.link} was not read ({page.reason}); "
                                       "the entry's own text is stored instead",
                             "hint": page.hint or "run the same command again later to fetch the page"})
        if article is None:
            try:
                article = entry_article(entry, feed_shown=shown, key=f"{feed_key}#entry={entry.entry_id}",
                                        feed_title=feed.title)
            except InputError as exc:
                problems.append(problem(exc, path=shown))
                continue
        article.origin.update(origin)
        yield article
    if validators != (None, None):
        counts.validators[feed_key] = (validators, {e.entry_id for e in new})

