"""Fetch web pages and feeds over HTTP(S) with httpx: timeouts, a size limit, redirects, content types.

Only what the user names is fetched (URLs, feed URLs, and the pages of feed entries when allowed).
`Fetcher.fetch_many` runs a small fixed pool of threads with a per-host limit and yields the results
in input order; a failing URL gives one `FetchError` (an InputError naming the URL, with a hint), never
an exception that stops a batch. `offline=True` refuses every fetch with a clear error.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Iterable, Iterator
from urllib.parse import urldefrag, urlsplit

import httpx

from kb import __version__
from kb.errors import InputError
from kb.sources import Warning_, decode_markup

DEFAULT_TIMEOUT_S = 20.0
DEFAULT_CONCURRENCY = 4
DEFAULT_PER_HOST = 2
MAX_REDIRECTS = 5
USER_AGENT = f"kb/{__version__} (claim-tracking knowledge base; fetches only the URLs its user gives)"

HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json",
              "application/xml", "text/xml")
TEXT_TYPES = ("text/plain", "text/markdown")


class FetchError(InputError):
    """A URL could not be fetched (network, HTTP status, size, type, --offline)."""


def is_url(value: str) -> bool:
    """Whether a command-line input is a web address (http:// or https://) rather than a path."""
    return isinstance(value, str) and value[:8].lower().startswith(("http://", "https://"))


def read_url_list(path: str) -> list[str]:
    """The URLs of a list file: one a line; blank lines and `#` comments ignored. Raises InputError."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            lines = handle.read().splitlines()
    except OSError as exc:
        raise InputError(path, f"cannot read the URL list: {exc.strerror or exc}", hint="check the path") from exc
    except UnicodeDecodeError as exc:
        raise InputError(path, "the URL list is not UTF-8 text", hint="save it as UTF-8") from exc
    urls = []
    for n, line in enumerate(lines, start=1):
        item = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if not item:
            continue
        if not is_url(item):
            raise InputError(path, f"not an http(s) URL: {item!r}", line=n,
                             hint="one http:// or https:// URL a line; # starts a comment")
        urls.append(item)
    return urls


@dataclass
class FetchOptions:
    """How kb fetches: `max_bytes` caps a body, `timeout` each network step (connect, read, write, pool)."""

    timeout: float = DEFAULT_TIMEOUT_S
    max_bytes: int = 20 * 1024 * 1024
    concurrency: int = DEFAULT_CONCURRENCY
    per_host: int = DEFAULT_PER_HOST
    offline: bool = False


@dataclass
class Fetched:
    """A fetched document: `url` as asked, `final_url` after redirects, the body's bytes and its type."""

    url: str
    final_url: str
    status: int
    content_type: str            # media type, lower case, without parameters
    charset: str | None          # the charset parameter of Content-Type
    data: bytes
    redirects: list[str] = field(default_factory=list)
    seconds: float = 0.0
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        """The server said the document has not changed since the validators kb sent (HTTP 304)."""
        return self.status == 304

    @property
    def kind(self) -> str:
        """"html", "feed" or "text": what the body is, from its content type and, if vague, its first bytes."""
        head = self.data[:2048].lstrip().lower()
        if self.content_type in HTML_TYPES:
            return "feed" if head.startswith((b"<rss", b"<feed")) else "html"
        if self.content_type in FEED_TYPES or head.startswith((b"<rss", b"<feed", b"<rdf:rdf")):
            return "feed"
        if head.startswith(b"<?xml"):
            return "feed" if (b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head) else "html"
        if self.content_type in TEXT_TYPES:
            return "text"
        if head.startswith((b"<!doctype html", b"<html")):
            return "html"
        return "other"

    def text(self) -> tuple[str, str, list[Warning_]]:
        """The body decoded: the Content-Type charset, then the page's <meta charset>, then detection."""
        return decode_markup(self.data, self.url, header_charset=self.charset)


class Fetcher:
    """A polite HTTP client: a fixed pool of `concurrency` threads and at most `per_host` requests to one host."""

    def __init__(self, options: FetchOptions | None = None):
        self.options = options or FetchOptions()
        self._client: httpx.Client | None = None
        self._pool: ThreadPoolExecutor | None = None
        self._hosts: dict[str, threading.BoundedSemaphore] = {}
        self._lock = threading.Lock()
        self.requests = 0

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        if self._client is not None:
            self._client.close()
            self._client = None

    def _get_client(self) -> httpx.Client:
        with self._lock:
            if self._client is None:
                t = self.options.timeout
                limits = httpx.Limits(max_connections=max(1, self.options.concurrency),
                                      max_keepalive_connections=max(1, self.options.concurrency))
                self._client = httpx.Client(
                    timeout=httpx.Timeout(t, connect=t, read=t, write=t, pool=t), limits=limits,
                    follow_redirects=True, max_redirects=MAX_REDIRECTS, trust_env=False,
                    headers={"User-Agent": USER_AGENT, "Accept-Language": "ja,en;q=0.8",
                             "Accept": "text/html,application/xhtml+xml,application/rss+xml,"
                                       "application/atom+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5"})
            return self._client

    def _host_slot(self, url: str) -> threading.BoundedSemaphore:
        host = (urlsplit(url).hostname or "").lower()
        with self._lock:
            if host not in self._hosts:
                self._hosts[host] = threading.BoundedSemaphore(max(1, self.options.per_host))
            return self._hosts[host]

    def fetch(self, url: str, validators: tuple[str | None, str | None] | None = None) -> Fetched:
        """Fetch one URL; raises FetchError naming it, with what went wrong and what to do.

        `validators` (ETag, Last-Modified) from an earlier read make the request conditional: an
        unchanged document comes back as a Fetched with status 304 and no body.
        """
        headers = {}
        if validators:
            etag, modified = validators
            if etag:
                headers["If-None-Match"] = etag
            if modified:
                headers["If-Modified-Since"] = modified
        url = urldefrag(url.strip())[0]
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise FetchError(url, "not an http(s) URL", hint="give a full http:// or https:// address")
        if self.options.offline:
            raise FetchError(url, "not fetched: --offline is set and this input needs a download",
                             hint="drop --offline (or KB_OFFLINE) to fetch it, or save the page and ingest the file")
        limit = self.options.max_bytes
        started = time.perf_counter()
        with self._host_slot(url):
            self.requests += 1
            try:
                with self._get_client().stream("GET", url, headers=headers) as response:
                    final = str(response.url)
                    redirects = [str(r.url) for r in response.history]
                    if response.status_code == 304 and headers:
                        return Fetched(url=url, final_url=final, status=304, content_type="", charset=None,
                                       data=b"", redirects=redirects, seconds=time.perf_counter() - started,
                                       etag=validators[0], last_modified=validators[1])
                    if response.status_code >= 400:
                        raise FetchError(url, f"HTTP {response.status_code} {response.reason_phrase}".rstrip(),
                                         hint=_status_hint(response.status_code))
                    declared = response.headers.get("content-length", "")
                    if declared.isdigit() and int(declared) > limit:
                        raise FetchError(url, f"the page is {int(declared) / 1024 / 1024:.1f} MB, over the "
                                         f"{limit / 1024 / 1024:g} MB limit", hint=_SIZE_HINT)
                    chunks, size = [], 0
                    for chunk in response.iter_bytes():
                        size += len(chunk)
                        if size > limit:
                            raise FetchError(url, f"the page is over the {limit / 1024 / 1024:g} MB limit "
                                             "(stopped reading)", hint=_SIZE_HINT)
                        chunks.append(chunk)
                    media, charset = _content_type(response.headers.get("content-type", ""))
                    return Fetched(url=url, final_url=final, status=response.status_code, content_type=media,
                                   charset=charset, data=b"".join(chunks), redirects=redirects,
                                   seconds=time.perf_counter() - started, etag=response.headers.get("etag"),
                                   last_modified=response.headers.get("last-modified"))
            except FetchError:
                raise
            except httpx.TooManyRedirects as exc:
                raise FetchError(url, f"more than {MAX_REDIRECTS} redirects", hint="open the URL in a browser and "
                                 "give the address it ends at") from exc
            except httpx.TimeoutException as exc:
                raise FetchError(url, f"timed out after {self.options.timeout:g}s ({type(exc).__name__})",
                                 hint="the site is slow or unreachable; try again later or raise --timeout") from exc
            except httpx.ConnectError as exc:
                raise FetchError(url, f"cannot connect to {parts.hostname}: {exc}",
                                 hint="check the address (and that the site is up), then run the same command "
                                      "again") from exc
            except httpx.HTTPError as exc:
                raise FetchError(url, f"cannot fetch: {type(exc).__name__}: {exc}",
                                 hint="check the address and the network, then run the same command again") from exc

    def fetch_many(self, urls: Iterable[str], validators: dict | None = None
                   ) -> Iterator[tuple[str, Fetched | FetchError]]:
        """(url, Fetched or FetchError) for each URL, in input order; at most `concurrency` in flight
        and `per_host` per host, with a bounded look-ahead so a long list is never held in memory.
        `validators` maps a URL to its (ETag, Last-Modified) for a conditional request."""
        validators = validators or {}
        urls = iter(urls)
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=max(1, self.options.concurrency),
                                            thread_name_prefix="kb-fetch")
        window: deque[tuple[str, Future]] = deque()
        ahead = 2 * max(1, self.options.concurrency)

        def fill() -> None:
            while len(window) < ahead:
                url = next(urls, None)
                if url is None:
                    return
                window.append((url, self._pool.submit(self._fetch_or_error, url, validators.get(url))))

        fill()
        while window:
            url, future = window.popleft()
            result = future.result()
            fill()
            yield url, result

    def _fetch_or_error(self, url: str, validators=None) -> Fetched | FetchError:
        try:
            return self.fetch(url, validators)
        except FetchError as exc:
            return exc
        except Exception as exc:  # a bug or an odd server reply: reported for this URL, the batch goes on
            return FetchError(url, f"cannot fetch: {type(exc).__name__}: {exc}",
                              hint="run the same command again; report it if it keeps failing")


_SIZE_HINT = "raise the limit with --max-file-mb (or KB_MAX_FILE_MB), or save the article and ingest the file"


def _status_hint(status: int) -> str:
    if status == 404 or status == 410:
        return "the page is gone or the address is wrong; check the URL"
    if status in (401, 403):
        return "the site refuses kb (login or paywall); save the page from a browser and ingest the file"
    if status == 429:
        return "the site is rate-limiting; wait and run the same command again"
    if status >= 500:
        return "the site has a problem; try again later"
    return "check the URL"


def _content_type(header: str) -> tuple[str, str | None]:
    media, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip("\"'")
    return media.strip().lower(), charset
