"""Read article files (Markdown, plain text, HTML, JSON Lines) into `Article` records."""

from __future__ import annotations

import datetime as dt
import hashlib
import html.parser
import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

import yaml

from kb.errors import DecodeError, InputError, TooLargeError

SUPPORTED_SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".txt": "text",
                      ".html": "html", ".htm": "html", ".jsonl": "jsonl"}
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
    encoding: str = "utf-8"
    format: str = "markdown"
    front_matter: dict = field(default_factory=dict)
    warnings: list[Warning_] = field(default_factory=list)

    @property
    def content_hash(self) -> str:
        """Hash of everything stored about the article, so any edit is noticed."""
        meta = json.dumps([self.title, self.published, self.author, self.tags, self.categories,
                           self.url, self.lang], ensure_ascii=False, sort_keys=True, default=str)
        return hashlib.sha256((meta + "\x00" + self.text).encode("utf-8")).hexdigest()

    @property
    def id(self) -> str:
        """Stable id derived from the source key and content."""
        return hashlib.sha256((self.source_key + "\x00" + self.content_hash).encode()).hexdigest()[:16]


def iter_input_files(paths: Iterable[str | os.PathLike]) -> Iterator[tuple[Path, bool]]:
    """Yield (file, supported) for every file under `paths`, recursively, in a stable order."""
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not any(part.startswith(".") for part in child.relative_to(path).parts):
                    if child.name.lower() in IGNORED_NAMES:
                        continue
                    yield child, child.suffix.lower() in SUPPORTED_SUFFIXES
        elif path.is_file():
            yield path, path.suffix.lower() in SUPPORTED_SUFFIXES
        else:
            raise InputError(str(path), "no such file or folder", hint="check the path")


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
    raise DecodeError(path, f"not valid UTF-8 (byte {utf8_error.start}) and not Shift_JIS/EUC-JP/ISO-2022-JP",
                      line=line, hint="convert the file to UTF-8")


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
        meta = yaml.safe_load(raw) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 2
        problem = getattr(exc, "problem", None) or str(exc).split("\n")[0]
        return _loose_front_matter(raw), body, body_line, [Warning_(
            f"malformed YAML front matter: {problem}", line=line,
            hint="fix the YAML; simple 'key: value' lines were kept")]
    if not isinstance(meta, dict):
        return {}, body, body_line, [Warning_("front matter is not a mapping of keys to values", line=2,
                                              hint="use 'key: value' lines")]
    return meta, body, body_line, []


def _loose_front_matter(raw: str) -> dict:
    meta = {}
    for line in raw.splitlines():
        m = re.match(r"^([A-Za-z_][\w-]*):\s*(.*)$", line)
        if m:
            value = m.group(2).strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1]
            meta[m.group(1)] = value
    return meta


def parse_date(value) -> str | None:
    """Normalize a front-matter date to ISO 8601 (date, or date and time in UTC)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return value.isoformat(timespec="seconds") if (value.hour or value.minute or value.second) else value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    s = unicodedata.normalize("NFKC", str(value)).strip()
    m = re.match(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?\s*(Z|[+-]\d{2}:?\d{2})?)?", s)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        try:
            if m.group(4) is None:
                return dt.date(y, mo, d).isoformat()
            stamp = dt.datetime(y, mo, d, int(m.group(4)), int(m.group(5)), int(m.group(6) or 0))
        except ValueError:
            return None
        tz = m.group(7)
        if tz and tz != "Z":
            sign = 1 if tz[0] == "+" else -1
            hh, mm = int(tz[1:3]), int(tz[-2:])
            stamp -= sign * dt.timedelta(hours=hh, minutes=mm)
        return stamp.isoformat(timespec="seconds") if (stamp.hour or stamp.minute or stamp.second) else stamp.date().isoformat()
    for fmt in ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y"):
        try:
            return dt.datetime.strptime(s, fmt).date().isoformat()
        except ValueError:
            pass
    return None


def _as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if v is not None]
    return [v.strip() for v in re.split(r"[,、]", str(value)) if v.strip()]


def _first_heading(body: str) -> str | None:
    for line in body.splitlines():
        s = line.strip().lstrip("#").strip()
        if s and s != "---END---":
            return s[:200]
    return None


def _article_from_meta(meta: dict, body: str, *, path: str, key: str, fmt: str, encoding: str,
                       warnings: list[Warning_], source_text: str | None = None) -> Article:
    title = meta.get("title")
    title = str(title).strip() if title not in (None, "") else (_first_heading(body) or Path(path).stem)
    raw_date = meta.get("date", meta.get("published", meta.get("published_at")))
    published = parse_date(raw_date)
    if raw_date not in (None, "") and published is None:
        warnings.append(Warning_(f"date {str(raw_date)!r} is not a date; published left empty",
                                 line=_meta_line(source_text, "date"), hint="use YYYY-MM-DD"))
    lang = meta.get("lang") or meta.get("language")
    return Article(
        source_path=path, source_key=key, title=title, text=body,
        published=published, published_raw=None if raw_date is None else str(raw_date),
        author=None if meta.get("author") in (None, "") else str(meta.get("author")),
        tags=_as_list(meta.get("tags")), categories=_as_list(meta.get("categories")),
        url=None if not meta.get("url") else str(meta.get("url")),
        lang=str(lang).lower()[:2] if lang else None, encoding=encoding, format=fmt,
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


def read_articles(path: str | os.PathLike, *, max_file_mb: float = DEFAULT_MAX_FILE_MB,
                  display_path: str | None = None) -> Iterator[Article | InputError]:
    """Read one file; yields articles, and InputError values for bad records that do not stop the file."""
    p = Path(path)
    shown = display_path or p.as_posix()
    suffix = p.suffix.lower()
    fmt = SUPPORTED_SUFFIXES.get(suffix)
    if fmt is None:
        raise InputError(shown, f"unsupported file type {suffix or '(none)'}",
                         hint="kb reads .md, .markdown, .txt, .html, .htm and .jsonl")
    size = p.stat().st_size
    if size > max_file_mb * 1024 * 1024:
        raise TooLargeError(shown, f"file is {size / 1024 / 1024:.1f} MB, over the {max_file_mb:g} MB limit",
                            hint="raise it with --max-file-mb or KB_MAX_FILE_MB, or split the file")
    data = p.read_bytes()
    text, encoding, warnings = decode_bytes(data, shown)
    text = normalize_newlines(text)
    if fmt == "jsonl":
        yield from _read_jsonl(text, shown, encoding, warnings)
        return
    if fmt == "html":
        body, title, meta_tags = html_to_text(text)
        meta = {"title": title, "date": meta_tags.get("article:published_time") or meta_tags.get("date"),
                "author": meta_tags.get("author"), "url": meta_tags.get("og:url")}
        if not body.strip():
            raise InputError(shown, "HTML has no visible text", hint="nothing to ingest")
        yield _article_from_meta(meta, body, path=shown, key=shown, fmt=fmt, encoding=encoding, warnings=warnings)
        return
    meta, body, body_line, fm_warnings = ({}, text, 1, []) if fmt == "text" and not text.startswith("---\n") \
        else split_front_matter(text, shown)
    if not body.strip():
        raise InputError(shown, "article has front matter but no body text", hint="add the article text")
    yield _article_from_meta(meta, body, path=shown, key=shown, fmt=fmt, encoding=encoding,
                             warnings=warnings + fm_warnings, source_text=text)


def _read_jsonl(text: str, shown: str, encoding: str, warnings: list[Warning_]) -> Iterator[Article | InputError]:
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
                "lang": record.get("lang"), "categories": record.get("categories")}
        yield _article_from_meta(meta, normalize_newlines(body), path=shown, key=f"{shown}#L{n}", fmt="jsonl",
                                 encoding=encoding, warnings=list(warnings))
