"""Pure helpers that cut text into plain and highlighted segments (templates escape each segment)."""

from __future__ import annotations

import re
import unicodedata

from kb.store.fts import fts_query

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
    """The terms of a search query as `fts_query` sees them, NFKC-normalized and casefolded."""
    terms = []
    for phrase in re.findall(r'"((?:[^"]|"")*)"', fts_query(query)):
        tokens = phrase.replace('""', '"').split()
        # CJK characters were spaced out one by one: glue them back; keep spaces between words.
        term = ""
        for tok in tokens:
            if term and not (_is_cjk(term[-1]) or _is_cjk(tok[0])):
                term += " "
            term += tok
        if term:
            terms.append(term.casefold())
    return terms


def term_ranges(text: str, query: str) -> list[tuple[int, int]]:
    """Where the terms of `query` occur in `text` (NFKC- and case-insensitive), as ranges of `text`."""
    folded, index = _fold_with_index(text)
    ranges = []
    for term in query_terms(query):
        for m in re.finditer(re.escape(term).replace(r"\ ", r"\W+"), folded):
            ranges.append((index[m.start()], index[m.end() - 1] + 1))
    return merge_ranges(ranges)


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


def _is_cjk(ch: str) -> bool:
    return bool(re.match(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\u3005\u30fc]", ch))
