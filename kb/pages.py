"""News pages: the main text and metadata of a saved or fetched HTML page, boilerplate removed (trafilatura).

A news site's page carries far more than its story: menus, breadcrumbs, share buttons, cookie banners,
photo captions, related-article lists, newsletter boxes and footers. `extract_page` returns the story
text exactly as trafilatura extracted it (every stored offset points into that text) with the page's
title, author, publication time (its time zone kept), site name, canonical URL and language.
`parse_timestamp` is the one reader of web timestamps (HTML meta tags, JSON-LD, RSS and Atom dates).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import re
import unicodedata
from dataclasses import dataclass, field

import lxml.html
import trafilatura
from lxml import etree

EXTRACTOR = "trafilatura"

# Where pages state when they were published, most specific first (all may carry a time and a zone).
_DATE_META = ("article:published_time", "og:article:published_time", "og:published_time", "datepublished",
              "pubdate", "publishdate", "publish-date", "publication_date", "date", "dc.date.issued",
              "dc.date", "dcterms.created", "sailthru.date", "parsely-pub-date", "cxenseparse:recs:publishtime")
# htmldate's extensive search guesses from any date-like text (a footer's "© 2026" becomes 2026-01-01): a
# missing date is better than an invented one, so only the page's markup (meta, time, URL, JSON-LD) counts.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}
_LANG_META = ("content-language", "dc.language", "language", "og:locale")


@dataclass
class PageContent:
    """What a news page holds: `text` is exactly the extractor's output (no further edits)."""

    text: str
    title: str | None = None
    author: str | None = None
    published: str | None = None      # ISO 8601; with its UTC offset when the page gave a time
    published_raw: str | None = None  # the page's own spelling of the date
    site_name: str | None = None
    url: str | None = None            # canonical URL (link rel=canonical / og:url), else None
    lang: str | None = None           # two-letter code from <html lang>, meta tags, or None
    tags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)


def extract_page(markup: str, *, url: str | None = None) -> PageContent:
    """The story text and metadata of an HTML page; `text` is "" when no main text was found.

    `url` is where the page came from (a fetched URL), used to resolve a relative canonical link.
    """
    meta = page_metadata(markup)
    doc = None
    if markup.strip():
        doc = trafilatura.bare_extraction(markup, url=url, with_metadata=True, include_comments=False,
                                          include_tables=True, include_images=False, favor_precision=True,
                                          deduplicate=False, date_extraction_params=_DATE_PARAMS)
    text = (doc.text or "") if doc is not None else ""
    title = meta.get("title") or _clean(getattr(doc, "title", None)) or meta.get("html_title")
    published, raw = meta.get("published"), meta.get("published_raw")
    tf_date = _clean(getattr(doc, "date", None))
    if published is None and tf_date:
        published, raw = parse_timestamp(tf_date), tf_date
    canonical = meta.get("canonical") or _clean(getattr(doc, "url", None)) or saved_from_url(markup)
    return PageContent(
        text=text, title=title, author=_clean(getattr(doc, "author", None)) or meta.get("author"),
        published=published, published_raw=raw,
        site_name=_clean(getattr(doc, "sitename", None)) or meta.get("site_name"),
        url=canonical, lang=meta.get("lang") or _lang_code(getattr(doc, "language", None)),
        tags=list(getattr(doc, "tags", None) or []), categories=list(getattr(doc, "categories", None) or []))


_SAVED_FROM_RE = re.compile(r"<!--\s*(?:saved from url=\(\d+\)|Page saved with SingleFile\s+url:)\s*(https?://\S+?)\s*(?:-->|\s)",
                            re.I)


def saved_from_url(markup: str) -> str | None:
    """The address a browser noted when it saved the page (`<!-- saved from url=(0042)https://… -->`,
    SingleFile's `url:` comment), or None."""
    m = _SAVED_FROM_RE.search(markup[:4096])
    return m.group(1) if m else None


def page_metadata(markup: str) -> dict:
    """title, author, published (+ published_raw), site_name, canonical and lang read from a page's head."""
    tree = _parse(markup)
    out: dict = {}
    if tree is None:
        return out
    metas: dict[str, str] = {}
    for m in tree.iter("meta"):
        name = (m.get("property") or m.get("name") or m.get("itemprop") or m.get("http-equiv") or "").strip().lower()
        content = (m.get("content") or "").strip()
        if name and content:
            metas.setdefault(name, content)
    html_el = tree if tree.tag == "html" else tree.getroottree().getroot()
    lang = _lang_code(html_el.get("lang") or html_el.get("{http://www.w3.org/XML/1998/namespace}lang"))
    for key in _LANG_META:
        lang = lang or _lang_code(metas.get(key))
    if lang:
        out["lang"] = lang
    titles = [t.text_content() for t in tree.iter("title")]
    out["title"] = _clean(metas.get("og:title")) or _clean(metas.get("twitter:title"))
    out["html_title"] = _clean(titles[0]) if titles else None
    out["author"] = _clean(metas.get("author") or metas.get("article:author") or metas.get("byl"))
    out["site_name"] = _clean(metas.get("og:site_name") or metas.get("application-name"))
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and (link.get("href") or "").strip():
            out["canonical"] = link.get("href").strip()
            break
    else:
        if metas.get("og:url"):
            out["canonical"] = metas["og:url"]
    candidates = [metas[k] for k in _DATE_META if k in metas]
    candidates += _json_ld_dates(tree)
    candidates += [t.get("datetime") for t in tree.iter("time") if t.get("datetime")]
    for raw in candidates:
        stamp = parse_timestamp(raw)
        if stamp:
            out["published"], out["published_raw"] = stamp, raw.strip()
            break
    return {k: v for k, v in out.items() if v}


def _parse(markup: str):
    try:
        return lxml.html.document_fromstring(markup)
    except ValueError:  # "Unicode strings with encoding declaration are not supported"
        try:
            return lxml.html.document_fromstring(re.sub(r"^\s*<\?xml[^>]*\?>", "", markup))
        except (ValueError, etree.ParserError):
            return None
    except etree.ParserError:
        return None


def _json_ld_dates(tree) -> list[str]:
    found: list[str] = []
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                if isinstance(item.get("datePublished"), str):
                    found.append(item["datePublished"])
                stack.extend(v for k, v in item.items() if k == "@graph" or isinstance(v, (list, dict)))
    return found


def _clean(value) -> str | None:
    if not isinstance(value, str):
        return None
    value = re.sub(r"[ \t\r\n\f\v]+", " ", value).strip()  # ideographic spaces (　) are part of a title
    return value or None


def _lang_code(value) -> str | None:
    if not isinstance(value, str):
        return None
    m = re.match(r"\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*\s*$", value)
    return m.group(1).lower()[:2] if m else None


_ISO_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
                     r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?|UTC|GMT|JST)?)?\s*$",
                     re.I)
_ZONES = {"z": "+00:00", "utc": "+00:00", "gmt": "+00:00", "jst": "+09:00"}


def parse_timestamp(raw) -> str | None:
    """A web date as ISO 8601, keeping its time zone: '2026-03-14T09:30:00-05:00', '2026-03-15T06:00:00+09:00',
    '2026-03-14' (a date alone), '2026-03-14T09:30:00' (a time with no zone stays without one).

    Reads ISO 8601 and its Japanese spelling (2026年3月15日 6:00), RFC 822 (RSS pubDate) and
    'March 14, 2026'. Returns None for anything else.
    """
    if raw is None:
        return None
    s = unicodedata.normalize("NFKC", str(raw)).strip()
    if not s:
        return None
    m = _ISO_RE.match(s)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        try:
            if m.group(4) is None:
                return dt.date(y, mo, d).isoformat()
            stamp = dt.datetime(y, mo, d, int(m.group(4)), int(m.group(5)), int(m.group(6) or 0))
        except ValueError:
            return None
        zone = m.group(7)
        if zone:
            zone = _ZONES.get(zone.lower(), zone)
            sign, digits = zone[0], zone[1:].replace(":", "")
            hh, mm = int(digits[:2]), int(digits[2:4] or 0)
            if hh > 23 or mm > 59:
                return None
            delta = dt.timedelta(hours=hh, minutes=mm)
            stamp = stamp.replace(tzinfo=dt.timezone(delta if sign == "+" else -delta))
        return stamp.isoformat(timespec="seconds")
    try:
        stamp = email.utils.parsedate_to_datetime(s)
    except (TypeError, ValueError, IndexError):
        stamp = None
    if stamp is not None:
        # RFC 822 without a zone, or with -0000, means "zone unknown": keep the wall-clock time alone
        if stamp.tzinfo is not None and not re.search(r"-0000\s*$", s):
            return stamp.isoformat(timespec="seconds")
        return stamp.replace(tzinfo=None).isoformat(timespec="seconds")
    for fmt in ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%b. %d, %Y"):
        try:
            return dt.datetime.strptime(s, fmt).date().isoformat()
        except ValueError:
            pass
    return None
