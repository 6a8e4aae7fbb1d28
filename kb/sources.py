"""Read article files (Markdown, plain text, HTML, JSON Lines) into `Article` records."""

from __future__ import annotations

import codecs
import datetime as dt
import errno
import hashlib
import html.parser
import json
import os
import re
import stat
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator
from urllib.parse import urljoin

import yaml

from kb.errors import DecodeError, InputError, TooLargeError
from kb.pages import EXTRACTOR, extract_page, parse_timestamp

SUPPORTED_SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".txt": "text",
                      ".html": "html", ".htm": "html", ".xhtml": "html", ".jsonl": "jsonl",
                      ".rss": "feed", ".atom": "feed", ".xml": "feed"}
SUPPORTED_TEXT = "kb reads .md, .markdown, .txt, .html, .htm, .xhtml, .jsonl and RSS/Atom feeds (.rss, .atom, .xml)"
# What read_articles says of a page whose main text the extractor could not find (stored as all its visible text).
FALLBACK_EXTRACTOR = "html-text"
FALLBACK_REASON = ("no main text found by the news-page extractor; stored the page's whole visible text instead "
                   "(menus, links and other boilerplate may be in it)")
# Files that document a folder of articles rather than being articles themselves.
IGNORED_NAMES = {"readme.md", "readme.txt", "license.md", "license.txt", "changelog.md"}
DEFAULT_MAX_FILE_MB = 20.0
LEGACY_ENCODINGS = ("cp932", "euc_jp", "iso2022_jp")


@dataclass
class Warning_:
    """A recoverable problem found while reading an input."""

    reason: str
    line: int | None = None
    hint: str = ""


@dataclass
class Article:
    """One article as stored: `text` is the exact body every offset points into."""

    source_path: str
    source_key: str
    title: str
    text: str
    published: str | None = None
    published_raw: str | None = None
    author: str | None = None
    tags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    url: str | None = None
    lang: str | None = None
    # The publication time in the article's own time zone (`published` is UTC): 2025-11-24T10:00:00+09:00.
    published_local: str | None = None
    outlet: str | None = None  # the publication or site named by the front matter (outlet, site, publisher …)
    encoding: str = "utf-8"
    format: str = "markdown"
    front_matter: dict = field(default_factory=dict)
    warnings: list[Warning_] = field(default_factory=list)
    site_name: str | None = None   # the news site (og:site_name) of a page
    extractor: str | None = None   # how an HTML page's text was found: "trafilatura", or "html-text" (fallback)
    origin: dict = field(default_factory=dict)  # where it came from beyond the file: feed and entry ids, fetch
    line_paragraphs: bool = False  # one paragraph a line (a news-page extractor's text), not blank-line separated

    @property
    def content_hash(self) -> str:
        """Hash of everything stored about the article, so any edit is noticed."""
        fields = [self.title, self.published, self.author, self.tags, self.categories, self.url, self.lang]
        if self.outlet is not None:  # only when given, so articles without one keep their ids
            fields.append(self.outlet)
        if self.site_name:  # only when set, so articles stored before site names keep their hash
            fields.append(self.site_name)
        meta = json.dumps(fields, ensure_ascii=False, sort_keys=True, default=str)
        return hashlib.sha256((meta + "\x00" + self.text).encode("utf-8")).hexdigest()

    @property
    def id(self) -> str:
        """Stable id derived from the source key and content."""
        return hashlib.sha256((self.source_key + "\x00" + self.content_hash).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class InputFile:
    """One path found under the inputs: a file to read, an unsupported one, or a path that cannot be read."""

    path: Path
    shown: str                      # lossless display form (see path_text)
    supported: bool = True
    error: InputError | None = None  # set when the path itself cannot be read (loop, FIFO, permissions ...)
    note: str = ""                   # why an unsupported path was passed over (e.g. a saved page's resources)


def path_text(path: str | os.PathLike) -> str:
    """A path as text, losslessly: bytes that are not UTF-8 in a file name show as \\xNN escapes."""
    raw = os.fsencode(path)
    return raw.decode("utf-8", "backslashreplace").replace(os.sep, "/") if os.sep != "/" else \
        raw.decode("utf-8", "backslashreplace")


def source_key_for(path: str | os.PathLike) -> str:
    """The identity of a file however its path is typed (relative, absolute, through ../ or a symlink)."""
    return path_text(os.path.realpath(path))


def legacy_key_to_real(key: str) -> str | None:
    """The real-path key of a source key stored as the path was typed (`corpus/a.md`, `x.jsonl#L3`), or None."""
    path, sep, line = key.partition("#L")
    if sep and not line.isdigit():
        path, sep, line = key, "", ""
    if not os.path.exists(path):
        return None
    return source_key_for(path) + (f"#L{line}" if sep else "")


def walk_inputs(paths: Iterable[str | os.PathLike]) -> Iterator[InputFile]:
    """Every file under `paths`, recursively and in a stable order, and every path that had to be skipped.

    Nothing is skipped silently: an unreadable folder, a symlink loop, a dangling link, a FIFO or a
    device comes back with an `error` saying why; the caller records it and goes on with the rest.
    """
    for p in paths:
        path = Path(p)
        yield from _walk_one(path, top=True, seen=set())


def _walk_one(path: Path, *, top: bool, seen: set) -> Iterator[InputFile]:
    shown = path_text(path)
    try:
        st = path.stat()
    except OSError as exc:
        yield InputFile(path, shown, False, _os_error(shown, path, exc, top))
        return
    if stat.S_ISDIR(st.st_mode):
        ident = (st.st_dev, st.st_ino)
        if ident in seen:
            yield InputFile(path, shown, False, InputError(
                shown, "symlink loop: this folder contains a link back to itself; skipped",
                hint="remove the link or pass the folder it points to"))
            return
        try:
            children = sorted(path.iterdir())
        except OSError as exc:
            yield InputFile(path, shown, False, InputError(
                shown, f"cannot read folder: {exc.strerror or exc}; its files were skipped",
                hint="check the folder's permissions"))
            return
        names = {c.name for c in children}
        for child in children:
            if child.name.startswith("."):
                continue
            if not child.is_dir() and child.name.lower() in IGNORED_NAMES:
                continue
            page = saved_page_of(child.name, names) if child.is_dir() else None
            if page:  # a browser's "save page, complete" folder: scripts, styles, images, ad frames
                yield InputFile(child, path_text(child), False,
                                note=f"the images, scripts and frames saved with the page {page}; skipped")
                continue
            yield from _walk_one(child, top=False, seen=seen | {ident})
        return
    if not stat.S_ISREG(st.st_mode):
        kind = "a FIFO (named pipe)" if stat.S_ISFIFO(st.st_mode) else \
            "a socket" if stat.S_ISSOCK(st.st_mode) else "a device"
        yield InputFile(path, shown, False, InputError(shown, f"{kind}, not a file; skipped",
                                                       hint="pass regular files or folders"))
        return
    yield InputFile(path, shown, path.suffix.lower() in SUPPORTED_SUFFIXES)


def saved_page_of(folder: str, siblings: set[str]) -> str | None:
    """The page a folder belongs to when a browser saved it with its resources (`Story_files` beside
    `Story.html`, as Chrome, Firefox and Edge do), else None."""
    for suffix in ("_files", ".files", "-Dateien", "_archivos", "_fichiers"):
        if folder.endswith(suffix) and len(folder) > len(suffix):
            stem = folder[: -len(suffix)]
            for ext in (".html", ".htm", ".xhtml"):
                if stem + ext in siblings:
                    return stem + ext
    return None


def _os_error(shown: str, path: Path, exc: OSError, top: bool) -> InputError:
    if exc.errno == errno.ELOOP:
        return InputError(shown, "symlink loop; skipped", hint="point the link at a real file or folder")
    if path.is_symlink():
        return InputError(shown, "dangling symlink: its target does not exist; skipped",
                          hint="fix or remove the link")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return InputError(shown, f"permission denied: {exc.strerror}; skipped", hint="check permissions")
    if top:
        return InputError(shown, "no such file or folder", hint="check the path")
    return InputError(shown, f"cannot read: {exc.strerror or exc}; skipped", hint="check the path")


def iter_input_files(paths: Iterable[str | os.PathLike]) -> Iterator[tuple[Path, bool]]:
    """Yield (file, supported) for every file under `paths`; a path that cannot be read raises InputError."""
    for item in walk_inputs(paths):
        if item.error is not None:
            raise item.error
        yield item.path, item.supported


def decode_bytes(data: bytes, path: str) -> tuple[str, str, list[Warning_]]:
    """Decode bytes as UTF-8 (BOM allowed) or a detected legacy Japanese encoding."""
    warnings: list[Warning_] = []
    if not data.strip():
        raise InputError(path, "file is empty", hint="nothing to ingest; remove it or add text")
    nul = data.count(b"\x00")
    if nul:
        if nul > max(8, len(data) // 100) or _looks_binary(data.replace(b"\x00", b"")):
            raise DecodeError(path, "binary data, not text", hint="only Markdown, text, HTML and JSON Lines are read")
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        warnings.append(Warning_(f"removed {nul} NUL byte(s)", line=line, hint="the file had stray NUL bytes"))
        data = data.replace(b"\x00", b"")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), "utf-8", warnings
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if utf8_error.reason == "unexpected end of data" and _valid_utf8_prefix(data, utf8_error.start):
        line = data[: utf8_error.start].count(b"\n") + 1
        raise DecodeError(path, "the file ends in the middle of a UTF-8 character: truncated, or still being written",
                          line=line, hint="wait until the file is complete, or re-save it")
    best: tuple[float, str, str] | None = None
    for enc in LEGACY_ENCODINGS:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        score = _japanese_score(text)
        if best is None or score > best[0]:
            best = (score, enc, text)
    if best and best[0] > 0.05 and not _looks_binary(best[2].encode("utf-8", "replace")):
        warnings.append(Warning_(f"decoded as {best[1]} (not UTF-8)", hint="re-save the file as UTF-8 to silence this"))
        return best[2], best[1], warnings
    if _looks_binary(data):
        raise DecodeError(path, "binary data, not text", hint="only Markdown, text, HTML and JSON Lines are read")
    line = data[: utf8_error.start].count(b"\n") + 1
    if utf8_error.reason == "unexpected end of data":
        raise DecodeError(path, "the file ends in the middle of a UTF-8 character: truncated, or still being written",
                          line=line, hint="wait until the file is complete, or re-save it")
    raise DecodeError(path, f"not valid UTF-8 (byte {utf8_error.start}) and not Shift_JIS/EUC-JP/ISO-2022-JP",
                      line=line, hint="convert the file to UTF-8")


def _valid_utf8_prefix(data: bytes, end: int) -> bool:
    """Whether everything before `end` is UTF-8 with real multi-byte text (not a legacy encoding by chance)."""
    try:
        head = data[:end].decode("utf-8")
    except UnicodeDecodeError:
        return False
    return any(ord(c) > 0x7F for c in head) or end > len(data) - 4


def _japanese_score(text: str) -> float:
    if not text:
        return 0.0
    jp = sum(1 for c in text if "\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff")
    bad = sum(1 for c in text if unicodedata.category(c) in ("Co", "Cn") or c == "\ufffd")
    return (jp - 5 * bad) / len(text)


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if not sample:
        return False
    ctrl = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return ctrl / len(sample) > 0.05


def normalize_newlines(text: str) -> str:
    """Turn CRLF/CR into LF and drop a leading BOM, so offsets are platform independent."""
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


# Front matter is a handful of keys; more than this is not front matter (or an attack on memory).
MAX_FRONT_MATTER_CHARS = 64 * 1024
# The YAML tags front matter may carry; anything else (!!binary, !!set, !!python/...) is refused.
_PLAIN_TAGS = frozenset(f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp",
                                                           "seq", "map"))


class _FrontMatterLoader(yaml.SafeLoader):
    """SafeLoader without aliases: `*ref` is refused, so a "billion laughs" document cannot expand."""

    def compose_node(self, parent, index):  # noqa: D102  (PyYAML hook)
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed in front matter",
                                              event.start_mark)
        return super().compose_node(parent, index)


def load_front_matter(raw: str) -> tuple[object, list[Warning_]]:
    """Parse front matter YAML with bounds: no aliases, only plain scalars/lists/maps, a size cap.

    Keys whose values carry another tag are dropped with a warning; raises yaml.YAMLError on bad YAML.
    """
    if len(raw) > MAX_FRONT_MATTER_CHARS:
        raise yaml.YAMLError(f"front matter is over {MAX_FRONT_MATTER_CHARS // 1024} KB")
    loader = _FrontMatterLoader(raw)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    if node is None:
        return {}, []
    warnings: list[Warning_] = []
    if isinstance(node, yaml.MappingNode):
        kept = []
        for key_node, value_node in node.value:
            bad = _foreign_tag(key_node) or _foreign_tag(value_node)
            if bad:
                warnings.append(Warning_(f"front matter key {key_node.value!r} has the YAML tag {bad}; ignored",
                                         line=key_node.start_mark.line + 2,
                                         hint="use plain text, numbers, dates or lists"))
                continue
            kept.append((key_node, value_node))
        node.value = kept
    elif _foreign_tag(node):
        return None, warnings
    constructor = _FrontMatterLoader("")
    try:
        return constructor.construct_document(node), warnings
    finally:
        constructor.dispose()


def _foreign_tag(node) -> str | None:
    stack = [node]
    while stack:
        n = stack.pop()
        if n.tag not in _PLAIN_TAGS:
            return n.tag.replace("tag:yaml.org,2002:", "!!")
        if isinstance(n, yaml.SequenceNode):
            stack.extend(n.value)
        elif isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                stack.extend((k, v))
    return None


FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n(.*?)^(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S | re.M)


def split_front_matter(text: str, path: str) -> tuple[dict, str, int, list[Warning_]]:
    """Split YAML front matter from the body; returns (meta, body, body_line, warnings)."""
    if not text.startswith("---") or text.startswith("---END---"):
        return {}, text, 1, []
    first_line = text.split("\n", 1)[0].strip()
    if first_line != "---":
        return {}, text, 1, []
    match = FRONT_MATTER_RE.match(text)
    if not match:
        return {}, text[len(first_line):].lstrip("\n"), 2, [Warning_(
            "front matter opened with '---' but never closed; the whole file was read as the body",
            line=1, hint="add a closing '---' line after the front matter")]
    raw = match.group(1)
    body = text[match.end():]
    body_line = text[: match.end()].count("\n") + 1
    try:
        meta, tag_warnings = load_front_matter(raw)
        meta = meta or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 2
        problem = getattr(exc, "problem", None) or str(exc).split("\n")[0]
        if len(raw) > MAX_FRONT_MATTER_CHARS:
            return {}, body, body_line, [Warning_(f"malformed YAML front matter: {problem}; ignored", line=2,
                                                  hint="front matter holds a few keys; move long text to the body")]
        return _loose_front_matter(raw), body, body_line, [Warning_(
            f"malformed YAML front matter: {problem}", line=line,
            hint="fix the YAML; simple 'key: value' lines were kept")]
    if not isinstance(meta, dict):
        return {}, body, body_line, tag_warnings + [Warning_("front matter is not a mapping of keys to values",
                                                              line=2, hint="use 'key: value' lines")]
    return meta, body, body_line, tag_warnings


def _loose_front_matter(raw: str) -> dict:
    meta = {}
    for line in raw.splitlines():
        m = re.match(r"^([A-Za-z_][\w-]*):\s*(.*)$", line)
        if m:
            value = m.group(2).strip()
            if value[:1] in ("&", "*", "!"):
                continue  # anchors, aliases and tags are exactly what could not be trusted
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1]
            meta[m.group(1)] = value
    return meta


def parse_date_local(value) -> str | None:
    """A front-matter date in the article's own time zone, ISO 8601 with its offset when it has one.

    `2025-11-24 10:00:00 +0900` → `2025-11-24T10:00:00+09:00` (parse_date gives the UTC `2025-11-24T01:00:00`);
    a time without an offset stays as written, a date stays a date; None when it is not a date. Strings are read
    by the one timestamp reader of web pages and feeds (kb.pages.parse_timestamp).
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    stamp = parse_timestamp(value)
    if stamp is None:  # a date followed by other words ("2025-11-24 (updated)"): the date
        lead = _LEADING_DATE.match(unicodedata.normalize("NFKC", str(value)).strip())
        stamp = parse_timestamp(lead.group(0)) if lead else None
    return stamp


_LEADING_DATE = re.compile(r"\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?")


def parse_date(value) -> str | None:
    """Normalize a front-matter date to ISO 8601: a date, or a date and time in UTC (for sorting)."""
    local = parse_date_local(value)
    if local is None or "T" not in local:
        return local
    stamp = dt.datetime.fromisoformat(local)
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return stamp.isoformat(timespec="seconds") if (stamp.hour or stamp.minute or stamp.second) else \
        stamp.date().isoformat()


# Front-matter keys naming the publication, in order of preference (og:site_name for HTML).
OUTLET_KEYS = ("outlet", "site_name", "site", "publisher", "publication", "source_name", "source")
# Front-matter keys holding the article's address on the web; `source` counts when it is a URL.
URL_KEYS = ("url", "source_url", "canonical_url", "link", "permalink", "source")


def _is_web_url(value) -> bool:
    return isinstance(value, str) and bool(re.match(r"^https?://[^\s/]+", value.strip()))


def site_of_url(url: str | None) -> str | None:
    """The site name of a web address (`https://www.example.co.jp/a` → `example.co.jp`), None for other text."""
    m = re.match(r"^https?://(?:[^@/\s]*@)?(?:www\.)?([^/:?#\s]+)", (url or "").strip(), re.I)
    return m.group(1).lower() if m else None


def _front_matter_url(meta: dict) -> str | None:
    for key in URL_KEYS:
        value = _text_or_none(meta.get(key))
        if value and (key != "source" or _is_web_url(value)):
            return value
    return None


def _front_matter_outlet(meta: dict) -> str | None:
    for key in OUTLET_KEYS:
        value = meta.get(key)
        if isinstance(value, dict):  # publisher: {name: …}
            value = value.get("name")
        value = _text_or_none(value)
        if value and not _is_web_url(value):
            return value[:200]
    return None


def _as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [_scalar_text(v) for v in value if v is not None and not isinstance(v, (list, tuple, dict))]
    if isinstance(value, dict):
        return []
    return [v.strip() for v in re.split(r"[,、]", _scalar_text(value)) if v.strip()]


def _scalar_text(value) -> str:
    """A front-matter scalar as text (dates as ISO dates, not Python reprs)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def _text_or_none(value) -> str | None:
    """A front-matter value expected to be one piece of text: scalars only."""
    if value in (None, "") or isinstance(value, (list, tuple, dict)):
        return None
    return _scalar_text(value).strip() or None


def _first_heading(body: str) -> str | None:
    for line in body.splitlines():
        s = line.strip().lstrip("#").strip()
        if s and s != "---END---":
            return s[:200]
    return None


def _article_from_meta(meta: dict, body: str, *, path: str, key: str, fmt: str, encoding: str,
                       warnings: list[Warning_], source_text: str | None = None) -> Article:
    title = _text_or_none(meta.get("title")) or _first_heading(body) or Path(path).stem
    raw_date = meta.get("date", meta.get("published", meta.get("published_at")))
    published = parse_date(raw_date)
    if raw_date not in (None, "") and published is None:
        warnings.append(Warning_(f"date {str(raw_date)!r} is not a date; published left empty",
                                 line=_meta_line(source_text, "date"), hint="use YYYY-MM-DD"))
    lang = meta.get("lang") or meta.get("language")
    return Article(
        source_path=path, source_key=key, title=title, text=body,
        published=published, published_raw=None if raw_date is None else str(raw_date),
        author=_text_or_none(meta.get("author")),
        tags=_as_list(meta.get("tags")), categories=_as_list(meta.get("categories")),
        url=_front_matter_url(meta), published_local=parse_date_local(raw_date) if published else None,
        outlet=_front_matter_outlet(meta),
        lang=_text_or_none(lang).lower()[:2] if _text_or_none(lang) else None, encoding=encoding, format=fmt,
        front_matter={k: v for k, v in meta.items() if isinstance(k, str)}, warnings=warnings,
    )


def _meta_line(source_text: str | None, key: str) -> int | None:
    if not source_text:
        return None
    m = re.search(rf"^{key}\s*:", source_text, re.M)
    return source_text[: m.start()].count("\n") + 1 if m else None


class _TextExtractor(html.parser.HTMLParser):
    """Collect visible text from HTML, dropping scripts and styles."""

    BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "blockquote"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.title: list[str] = []
        self.in_title = False
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "noscript", "template"):
            self.skip += 1
        elif tag == "title":
            self.in_title = True
        elif tag == "meta":
            a = dict(attrs)
            name = (a.get("name") or a.get("property") or "").lower()
            if name and a.get("content"):
                self.meta[name] = a["content"]
        elif tag in self.BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "noscript", "template"):
            self.skip = max(0, self.skip - 1)
        elif tag == "title":
            self.in_title = False
        elif tag in self.BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if self.skip:
            return
        if self.in_title:
            self.title.append(data)
        else:
            self.parts.append(data)


def html_to_text(markup: str) -> tuple[str, str | None, dict]:
    """Return visible text, the <title> and <meta> values of an HTML document."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    text = "".join(parser.parts)
    text = re.sub(r"[ \t]+", " ", text)
    text = re.sub(r"\n[ \t]*", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    title = " ".join("".join(parser.title).split()) or None
    return text, title, parser.meta


def page_article(markup: str, *, path: str, key: str, encoding: str, warnings: list[Warning_],
                 url: str | None = None, final_url: str | None = None) -> Article:
    """An article from a news page: its main text and metadata (kb.pages), else its visible text.

    `url` is the address the page was fetched from, `final_url` where redirects ended; the stored
    `url` is the page's canonical URL, else `final_url`. The fallback to the whole visible text
    happens only when no main text is found, and is said in a warning.
    """
    page = extract_page(markup, url=final_url or url)
    body, extractor = normalize_newlines(page.text).strip("\n"), EXTRACTOR
    if not body.strip():
        body, title, meta_tags = html_to_text(markup)
        if not body.strip():
            raise InputError(path, "HTML has no visible text", hint="nothing to ingest")
        extractor = FALLBACK_EXTRACTOR
        warnings = warnings + [Warning_(FALLBACK_REASON, hint="check the page; save the article view of it, "
                                                                   "or convert it to Markdown")]
        page.title = page.title or title
    canonical = page.url
    if canonical and final_url:
        canonical = urljoin(final_url, canonical)
    article = Article(
        source_path=path, source_key=key, title=page.title or _first_heading(body) or Path(path).stem, text=body,
        published=parse_date(page.published), published_raw=page.published_raw, author=page.author,
        published_local=parse_date_local(page.published) if page.published else None, outlet=page.site_name,
        tags=page.tags, categories=page.categories, url=canonical or final_url or url, lang=page.lang,
        encoding=encoding, format="html", warnings=list(warnings), site_name=page.site_name, extractor=extractor,
        line_paragraphs=extractor == EXTRACTOR)
    if page.published_raw and not page.published:
        article.warnings.append(Warning_(f"date {page.published_raw!r} is not a date; published left empty",
                                         hint="the page's date could not be read"))
    return article


_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING_RE = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
# What browsers mean by the Japanese charset labels (Shift_JIS pages are decoded as Windows-31J by every browser).
_CHARSET_ALIASES = {"shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932",
                    "windows-31j": "cp932", "ms_kanji": "cp932", "csshiftjis": "cp932", "ms932": "cp932",
                    "euc-jp": "euc_jp", "x-euc-jp": "euc_jp", "eucjp": "euc_jp", "cseucpkdfmtjapanese": "euc_jp",
                    "iso-2022-jp": "iso2022_jp", "csiso2022jp": "iso2022_jp", "iso-8859-1": "cp1252",
                    "latin1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252"}


def codec_for(label: str | None) -> str | None:
    """The Python codec for a charset label of an HTTP header or a page (None when unknown)."""
    if not label:
        return None
    name = label.strip().strip("\"'").lower()
    name = _CHARSET_ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_charset(data: bytes) -> str | None:
    """The charset a page or XML document declares in its first bytes (<meta charset>, <?xml encoding?>)."""
    head = data[:4096]
    m = _XML_ENCODING_RE.match(head) or _META_CHARSET_RE.search(head)
    return m.group(1).decode("ascii") if m else None


def decode_markup(data: bytes, path: str, *, header_charset: str | None = None) -> tuple[str, str, list[Warning_]]:
    """Decode an HTML page: the HTTP header's charset, then the page's own <meta charset>, then detection.

    A byte-order mark wins over both declarations (as in browsers); a declared charset the bytes do
    not fit is reported in a warning and the next source is tried.
    """
    warnings: list[Warning_] = []
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode_bytes(data, path)
    in_page = declared_charset(data)
    if codec_for(header_charset) == "cp1252" and in_page and codec_for(in_page) not in (None, "cp1252"):
        # A web server's default (charset=ISO-8859-1) in front of a page that declares its own charset
        # (Shift_JIS, EUC-JP, UTF-8): the server's label is the misconfiguration, the page knows its bytes.
        warnings.append(Warning_(f"the HTTP header says charset {header_charset!r} (a server default) but the page "
                                 f"declares {in_page!r}; the page's charset was used", hint=""))
        header_charset = None
    for where, label in (("the HTTP Content-Type header", header_charset), ("the page", in_page)):
        if not label:
            continue
        codec = codec_for(label)
        if codec is None:
            warnings.append(Warning_(f"unknown charset {label!r} declared by {where}; ignored",
                                     hint="the encoding was detected instead"))
            continue
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as exc:
            warnings.append(Warning_(f"{where} declares charset {label!r} but byte {exc.start} does not fit it; "
                                     "ignored", hint="the encoding was detected instead"))
            continue
        if "\x00" in text:
            text = text.replace("\x00", "")
        return text, codec, warnings
    text, encoding, more = decode_bytes(data, path)
    return text, encoding, warnings + more


def read_articles(path: str | os.PathLike, *, max_file_mb: float = DEFAULT_MAX_FILE_MB,
                  display_path: str | None = None) -> Iterator[Article | InputError]:
    """Read one file; yields articles, and InputError values for bad records that do not stop the file."""
    p = Path(path)
    shown = display_path if display_path is not None else path_text(p)
    key = source_key_for(p)
    suffix = p.suffix.lower()
    fmt = SUPPORTED_SUFFIXES.get(suffix)
    if fmt is None:
        raise InputError(shown, f"unsupported file type {suffix or '(none)'}", hint=SUPPORTED_TEXT)
    data = read_stable(p, shown, max_file_mb=max_file_mb)
    text, encoding, warnings = decode_markup(data, shown) if fmt == "html" else decode_bytes(data, shown)
    text = normalize_newlines(text)
    if fmt == "jsonl":
        yield from _read_jsonl(text, shown, key, encoding, warnings)
        return
    if fmt == "html":
        yield page_article(text, path=shown, key=key, encoding=encoding, warnings=warnings)
        return
    if fmt == "feed":
        raise InputError(shown, "a feed is read by kb ingest (kb.feeds), not as one article",
                         hint="pass the feed to kb ingest")
    meta, body, body_line, fm_warnings = ({}, text, 1, []) if fmt == "text" and not text.startswith("---\n") \
        else split_front_matter(text, shown)
    if not body.strip():
        raise InputError(shown, "article has front matter but no body text", hint="add the article text")
    yield _article_from_meta(meta, body, path=shown, key=key, fmt=fmt, encoding=encoding,
                             warnings=warnings + fm_warnings, source_text=text)


def read_stable(p: Path, shown: str, *, max_file_mb: float, tries: int = 3, pause: float = 0.2) -> bytes:
    """The bytes of a file that did not change while it was read.

    Size, mtime, ctime and inode are compared before and after the read; a file modified in the last
    moments is watched a little longer, since a writer may be between two writes. A file still being
    written is read again after a pause; if it keeps changing it is reported, so a half-written
    article is never stored as if it were complete.
    """
    limit = int(max_file_mb * 1024 * 1024)
    for attempt in range(tries):
        before = p.stat()
        if before.st_size > limit:
            raise TooLargeError(shown, f"file is {before.st_size / 1024 / 1024:.1f} MB, over the {max_file_mb:g} MB "
                                "limit", hint="raise it with --max-file-mb or KB_MAX_FILE_MB, or split the file")
        with p.open("rb") as handle:
            data = handle.read(limit + 1)
        fresh = time.time_ns() - before.st_mtime_ns < _SETTLE_NS
        if fresh:
            time.sleep(_SETTLE_NS / 1e9)
        after = p.stat()
        # An empty read of a file touched a moment ago is a writer between truncating and writing.
        if _same_file_state(before, after) and len(data) == after.st_size and (data or not fresh):
            return data
        if attempt + 1 < tries:
            time.sleep(pause)
    raise InputError(shown, "the file changed while it was being read; skipped",
                     hint="run kb ingest again once it is completely written")


# A file modified less than this long ago may still be mid-write: it is watched this long before trusting it.
_SETTLE_NS = 50_000_000


def _same_file_state(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_ino, a.st_size, a.st_mtime_ns, a.st_ctime_ns) == (b.st_ino, b.st_size, b.st_mtime_ns, b.st_ctime_ns)


def _read_jsonl(text: str, shown: str, key: str, encoding: str, warnings: list[Warning_]) -> Iterator[Article | InputError]:
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(shown, f"broken JSON: {exc.msg} at column {exc.colno}", line=n,
                             hint="each line must be one JSON object")
            continue
        if not isinstance(record, dict):
            yield InputError(shown, "line is not a JSON object", line=n, hint="each line must be one JSON object")
            continue
        body = record.get("body") or record.get("text") or record.get("content")
        if not isinstance(body, str) or not body.strip():
            yield InputError(shown, "no 'body' or 'text' field with text", line=n,
                             hint="give each line a 'body' (or 'text') string")
            continue
        meta = {"title": record.get("title"), "date": record.get("date") or record.get("published"),
                "author": record.get("author"), "tags": record.get("tags"), "url": record.get("url"),
                "lang": record.get("lang"), "categories": record.get("categories"),
                **{k: record.get(k) for k in OUTLET_KEYS + URL_KEYS if k not in ("url",) and k in record}}
        yield _article_from_meta(meta, normalize_newlines(body), path=shown, key=f"{key}#L{n}", fmt="jsonl",
                                 encoding=encoding, warnings=list(warnings))
