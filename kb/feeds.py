"""RSS and Atom feeds (feedparser): the entries of a feed, and an article from an entry's own content.

A feed is parsed from bytes only (feedparser is never handed a URL, so it downloads nothing). Each
entry has a stable id (its <guid>/<id>, else its link, else a hash of its title and date) by which a
re-run recognises the entries it already stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import feedparser

from kb.errors import InputError
from kb.pages import parse_timestamp
from kb.records import stable_id
from kb.sources import Article, Warning_, html_to_text, normalize_newlines, parse_date, parse_date_local


@dataclass
class FeedEntry:
    """One entry of a feed; `content` is its own text (HTML or plain), which may be only a summary."""

    entry_id: str
    title: str | None
    link: str | None
    published: str | None
    published_raw: str | None
    author: str | None
    content: str
    content_type: str
    tags: list[str] = field(default_factory=list)


@dataclass
class Feed:
    """A parsed feed: its own id (Atom <id>, or its link), title, and entries in feed order."""

    feed_id: str | None
    title: str | None
    link: str | None
    version: str
    entries: list[FeedEntry]
    warnings: list[Warning_] = field(default_factory=list)


def looks_like_feed(data: bytes) -> bool:
    """Whether bytes start like an RSS or Atom document."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<?xml"):
        return any(tag in head for tag in (b"<rss", b"<feed", b"<rdf:rdf"))
    return head.startswith((b"<rss", b"<feed", b"<rdf:rdf"))


def parse_feed(data: bytes, shown: str, *, content_type: str | None = None, base_url: str | None = None) -> Feed:
    """Parse RSS/Atom bytes; raises InputError naming `shown` when they are not a feed."""
    headers = {"content-type": content_type} if content_type else {}
    if base_url:
        headers["content-location"] = base_url
    parsed = feedparser.parse(data, response_headers=headers, sanitize_html=True, resolve_relative_uris=True)
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        raise InputError(shown, "not an RSS or Atom feed" + (f" ({problem})" if problem else ""),
                         hint="check that the file or URL is the feed itself (RSS <rss>, Atom <feed>)")
    warnings = []
    if parsed.get("bozo") and parsed.entries:
        problem = parsed.get("bozo_exception")
        if not isinstance(problem, feedparser.CharacterEncodingOverride):
            warnings.append(Warning_(f"the feed is not well-formed XML ({problem}); read leniently",
                                     hint="the publisher's feed has an error; entries were still read"))
    meta = parsed.feed
    entries = []
    for n, e in enumerate(parsed.entries):
        content, ctype = _entry_content(e)
        raw_date = e.get("published") or e.get("updated") or e.get("created")
        link = (e.get("link") or "").strip() or None
        title = " ".join((e.get("title") or "").split()) or None
        entry_id = (e.get("id") or "").strip() or link or stable_id(title, raw_date, content[:200], n)
        author = (e.get("author") or "").strip() or None
        entries.append(FeedEntry(entry_id=entry_id, title=title, link=link, published=parse_timestamp(raw_date),
                                 published_raw=raw_date, author=author, content=content, content_type=ctype,
                                 tags=[t.get("term") for t in e.get("tags", []) if t.get("term")]))
    return Feed(feed_id=(meta.get("id") or "").strip() or (meta.get("link") or "").strip() or None,
                title=(meta.get("title") or "").strip() or None, link=(meta.get("link") or "").strip() or None,
                version=parsed.get("version") or "unknown", entries=entries, warnings=warnings)


def _entry_content(e) -> tuple[str, str]:
    """The fullest text an entry carries: <content:encoded>/<content>, else <description>/<summary>."""
    best, best_type = "", "text/plain"
    for item in e.get("content", []) or []:
        value = item.get("value") or ""
        if len(value) > len(best):
            best, best_type = value, (item.get("type") or "text/html")
    summary = e.get("summary") or ""
    if len(summary) > len(best):
        detail = e.get("summary_detail") or {}
        best, best_type = summary, detail.get("type") or "text/html"
    return best, best_type


def entry_text(entry: FeedEntry) -> str:
    """The entry's own content as plain text (HTML markup removed); "" when it has none."""
    if not entry.content.strip():
        return ""
    if "html" in entry.content_type:
        text, _, _ = html_to_text(entry.content)
        return text
    return normalize_newlines(entry.content).strip()


def entry_article(entry: FeedEntry, *, feed_shown: str, key: str, feed_title: str | None) -> Article:
    """An article of an entry's own content (when its page is not fetched); raises InputError if it has none."""
    text = entry_text(entry)
    if not text.strip():
        raise InputError(f"{feed_shown}#{entry.entry_id}", "the feed entry has no text of its own" +
                         (" and its page was not fetched" if entry.link else ""),
                         hint="use --fetch-linked to fetch the page it links" if entry.link else
                         "the publisher's feed carries no text for it")
    return Article(source_path=feed_shown, source_key=key, title=entry.title or text.split("\n", 1)[0][:200],
                   text=text, published=parse_date(entry.published), published_raw=entry.published_raw,
                   published_local=parse_date_local(entry.published) if entry.published else None,
                   author=entry.author, tags=entry.tags, url=entry.link, encoding="utf-8", format="feed",
                   site_name=feed_title, outlet=feed_title,
                   extractor="feed-entry")
