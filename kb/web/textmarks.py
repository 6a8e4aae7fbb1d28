"""Pure helpers that cut text into plain and highlighted segments (templates escape each segment)."""

from __future__ import annotations

import re
import unicodedata

from kb.store.fts import SearchQueryError, parse_query
from kb.store.fts import query_terms as fts_query_terms

Segment = tuple[str, bool]  # (text, highlighted)


def parse_ranges(value: str | None, *, limit: int | None = None) -> list[tuple[int, int]]:
    """Parse `12-40,50-61` into [(12, 40), (50, 61)], dropping malformed or empty ranges."""
    ranges = []
    for part in (value or "").split(","):
        m = re.fullmatch(r"\s*(\d+)\s*-\s*(\d+)\s*", part)
        if m:
            start, end = int(m.group(1)), int(m.group(2))
            if limit is not None:
                end = min(end, limit)
            if start < end:
                ranges.append((start, end))
    return ranges


def merge_ranges(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping union of half-open ranges."""
    merged: list[list[int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def mark_segments(text: str, ranges: list[tuple[int, int]], *, offset: int = 0) -> list[Segment]:
    """Split `text` (which starts at `offset` of a larger text) into segments, marking `ranges`."""
    segments: list[Segment] = []
    pos = 0
    for start, end in merge_ranges(ranges):
        start, end = max(start - offset, 0), min(end - offset, len(text))
        if start >= end or start < pos:
            continue
        if start > pos:
            segments.append((text[pos:start], False))
        segments.append((text[start:end], True))
        pos = end
    if pos < len(text) or not segments:
        segments.append((text[pos:], False))
    return segments


def context_window(text: str, start: int, end: int, *, before: int = 240, after: int = 240) -> tuple[int, int]:
    """A window around text[start:end], widened to the enclosing paragraph when it is short enough."""
    para_start = text.rfind("\n\n", 0, start)
    para_start = 0 if para_start < 0 else para_start + 2
    para_end = text.find("\n\n", end)
    para_end = len(text) if para_end < 0 else para_end
    lo = para_start if start - para_start <= before * 2 else max(start - before, 0)
    hi = para_end if para_end - end <= after * 2 else min(end + after, len(text))
    return lo, hi


def query_terms(query: str) -> list[str]:
    """The terms of a search query (kb.store.fts.parse_query), NFKC-normalized and casefolded; punctuation
    inside a term is a word break ('AI-servers' is 'ai servers'); [] for a query that cannot be read."""
    try:
        tree = parse_query(query)
    except SearchQueryError:
        return []
    return [_term_key(t) for t in fts_query_terms(tree) if _term_key(t)]


def _term_key(term: str) -> str:
    words = [w for w in re.split(r"[^\w]+", unicodedata.normalize("NFKC", term)) if w]
    return " ".join(words).casefold()


def marked_ranges(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Where the given terms (words, phrases, names) occur in `text` (NFKC- and case-insensitive), as
    ranges of `text`."""
    folded, index = _fold_with_index(text)
    ranges = []
    for term in dict.fromkeys(filter(None, (_term_key(t) for t in terms))):
        for m in re.finditer(re.escape(term).replace(r"\ ", r"\W+"), folded):
            ranges.append((index[m.start()], index[m.end() - 1] + 1))
    return merge_ranges(ranges)


def term_ranges(text: str, query: str) -> list[tuple[int, int]]:
    """Where the terms of `query` occur in `text` (NFKC- and case-insensitive), as ranges of `text`."""
    return marked_ranges(text, query_terms(query))


def snippet(text: str, ranges: list[tuple[int, int]], *, width: int = 160) -> list[Segment]:
    """Segments of a window of `text` around its first range, with an ellipsis where text was cut."""
    if not ranges:
        cut = text[:width * 2]
        return [(cut + ("…" if len(text) > len(cut) else ""), False)]
    first = ranges[0][0]
    lo, hi = max(first - width, 0), min(first + width * 2, len(text))
    segments = mark_segments(text[lo:hi], ranges, offset=lo)
    if lo > 0:
        segments.insert(0, ("…", False))
    if hi < len(text):
        segments.append(("…", False))
    return segments


def _fold_with_index(text: str) -> tuple[str, list[int]]:
    chars, index = [], []
    for i, ch in enumerate(text):
        for out in unicodedata.normalize("NFKC", ch).casefold():
            chars.append(out)
            index.append(i)
    return "".join(chars), index

