"""Join generated chunks, split the stored text into passages with exact offsets, and mark duplicates."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

END_MARKER_RE = re.compile(r"^[ \t]*-{3,}[ \t]*END[ \t]*-{3,}[ \t]*$", re.I | re.M)
# Characters after which a chunk is a finished sentence or block, not a cut.
TERMINALS = set("。．.!！?？」』）)】\"'”’:：…")
MAX_PASSAGE_CHARS = 1000
NEAR_DUP_MIN_CHARS = 12
NEAR_DUP_CONTAINMENT = 0.9
SHINGLE = 3

_JA_SENT_END = "。！？!?．"
_CLOSERS = "」』）)】\"'”’"
_EN_ABBREV = {"mr", "mrs", "ms", "dr", "inc", "corp", "co", "ltd", "u.s", "u.k", "e.g", "i.e", "vs", "no",
              "st", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
              "gov", "sen", "rep", "prof", "gen", "jr", "sr", "fig", "approx", "est", "dept", "l.l.c", "n.v"}
_BLOCK_START_RE = re.compile(r"^[ \t]*(#{1,6}\s|[-*+]\s|>\s?|\d{1,3}[.)]\s|\|)")


@dataclass
class Passage:
    """One sentence-sized unit of an article; `text == article_text[start:end]`."""

    idx: int
    start: int
    end: int
    text: str
    paragraph: int
    kind: str
    norm: str
    duplicate_of: int | None = None
    duplicate_kind: str | None = None

    @property
    def norm_hash(self) -> str:
        """Hash of the normalized text; equal for copies that differ only in spacing or markup."""
        return hashlib.sha1(self.norm.encode("utf-8")).hexdigest()[:20]

    @property
    def text_hash(self) -> str:
        """Hash of the exact text; the key of the analysis cache."""
        return hashlib.sha1(self.text.encode("utf-8")).hexdigest()[:20]


def join_chunks(body: str) -> tuple[str, int]:
    """Remove `---END---` lines and re-join chunks; a chunk that starts mid-word or mid-sentence is glued back."""
    parts = END_MARKER_RE.split(body)
    if len(parts) == 1:
        return body.strip("\n") + "\n", 0
    out = ""
    for part in parts:
        chunk = part.strip("\n")
        if not chunk.strip():
            continue
        if not out:
            out = chunk
            continue
        out = out.rstrip()
        out += _glue(out, chunk.lstrip()) + chunk.lstrip()
    return out + "\n", len(parts) - 1


def _glue(prev: str, nxt: str) -> str:
    last_line = prev.rsplit("\n", 1)[-1]
    a, b = prev[-1], nxt[0]
    if len(nxt[:20]) >= 12 and nxt[:20] in prev:
        # The chunk restarts text seen before (a regenerated section), so it is not a continuation.
        return "\n\n"
    if a in TERMINALS or _BLOCK_START_RE.match(last_line) and last_line.lstrip().startswith("#"):
        return "\n\n"
    if _BLOCK_START_RE.match(nxt.split("\n", 1)[0]):
        return "\n\n"
    if a.isascii() and a.isalnum() and b.isascii() and b.isalpha():
        # A lower-case continuation is the rest of a cut word; a capital starts the next word.
        return "" if b.islower() else " "
    if a in ",;" and b.isascii():
        return " "
    return ""


def normalize_passage(text: str) -> str:
    """Normalize for duplicate detection: NFKC, case, no spaces or Markdown decoration."""
    t = unicodedata.normalize("NFKC", text).lower()
    t = re.sub(r"^[ \t]*(#{1,6}|[-*+>]|\d{1,3}[.)])\s+", "", t, flags=re.M)
    return re.sub(r"[\s*_`#>|]+", "", t)


def split_passages(text: str, *, line_paragraphs: bool = False) -> list[Passage]:
    """Split stored text into sentence passages with exact offsets and mark repeated ones.

    Paragraphs are separated by blank lines; with `line_paragraphs` (text from a news-page extractor,
    one paragraph a line) every line is a paragraph, so a headline never runs into the story's first
    sentence.
    """
    passages: list[Passage] = []
    paragraph = 0
    for b_start, b_end in _blocks(text, r"\n+" if line_paragraphs else r"\n[ \t]*\n+"):
        for u_start, u_end, kind in _units(text, b_start, b_end):
            for s, e in _sentences(text, u_start, u_end):
                for s2, e2 in _cap_length(text, s, e):
                    s2, e2 = _trim(text, s2, e2)
                    if e2 <= s2:
                        continue
                    body = text[s2:e2]
                    norm = normalize_passage(body)
                    if not norm:
                        continue
                    passages.append(Passage(len(passages), s2, e2, body, paragraph, kind, norm))
        paragraph += 1
    mark_duplicates(passages)
    return passages


def _blocks(text: str, separator: str = r"\n[ \t]*\n+"):
    start = 0
    for m in re.finditer(separator, text):
        yield start, m.start()
        start = m.end()
    yield start, len(text)


def _units(text: str, start: int, end: int):
    """Lines that start a Markdown heading, list item or quote are units of their own."""
    unit_start = start
    kind = "sentence"
    pos = start
    for line in text[start:end].split("\n"):
        line_start = pos
        pos += len(line) + 1
        if _BLOCK_START_RE.match(line):
            if line_start > unit_start:
                yield unit_start, line_start, kind
            unit_start = line_start
            kind = "heading" if line.lstrip().startswith("#") else "item"
        elif kind == "heading":
            yield unit_start, line_start, kind
            unit_start, kind = line_start, "sentence"
    if end > unit_start:
        yield unit_start, end, kind


def _sentences(text: str, start: int, end: int):
    s = start
    i = start
    while i < end:
        c = text[i]
        if c in _JA_SENT_END:
            j = i + 1
            while j < end and (text[j] in _CLOSERS or text[j] in _JA_SENT_END):
                j += 1
            if c in "!?．" and j < end and not text[j].isspace() and text[j].isascii():
                i = j
                continue
            if j < end and (j > i + 1 or c in "？?！!") and text[j] in "とっ":
                # 「…？」と思った: a quoted question inside a sentence, not its end.
                i = j
                continue
            yield s, j
            s = i = j
            continue
        if c == "." and _english_stop(text, i, end):
            j = i + 1
            while j < end and text[j] in _CLOSERS:
                j += 1
            yield s, j
            s = i = j
            continue
        i += 1
    if s < end:
        yield s, end


def _english_stop(text: str, i: int, end: int) -> bool:
    j = i + 1
    while j < end and text[j] in _CLOSERS:
        j += 1
    if j >= end:
        return True
    if not text[j].isspace():
        return False
    k = j
    while k < end and text[k].isspace():
        k += 1
    if k < end and not (text[k].isupper() or text[k] in "\"'“‘(" or text[k].isdigit() or ord(text[k]) > 0x2e80):
        return False
    m = re.search(r"([A-Za-z.]+)$", text[max(0, i - 12):i])
    if m:
        word = m.group(1).lower().strip(".")
        if word in _EN_ABBREV or re.fullmatch(r"(?:[a-z]\.)*[a-z]", word):
            return False  # an abbreviation or initials (U.S., C.C. Wei), not a sentence end
    return True


def _cap_length(text: str, start: int, end: int):
    """Split over-long runs (SudachiPy refuses ~49 KB inputs) at a comma or space when possible."""
    while end - start > MAX_PASSAGE_CHARS:
        window = text[start:start + MAX_PASSAGE_CHARS]
        cut = max(window.rfind(c) for c in "、，,; 　\n")
        cut = start + (cut + 1 if cut > MAX_PASSAGE_CHARS // 2 else MAX_PASSAGE_CHARS)
        yield start, cut
        start = cut
    yield start, end


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _shingles(norm: str) -> set[str]:
    if len(norm) <= SHINGLE:
        return {norm}
    return {norm[i:i + SHINGLE] for i in range(len(norm) - SHINGLE + 1)}


def mark_duplicates(passages: list[Passage]) -> None:
    """Mark exact repeats and near repeats (re-flowed or merged copies) of earlier passages in place."""
    first_by_norm: dict[str, int] = {}
    index: dict[str, list[int]] = {}
    shingles: dict[int, set[str]] = {}
    for p in passages:
        if p.norm in first_by_norm:
            p.duplicate_of, p.duplicate_kind = first_by_norm[p.norm], "exact"
            continue
        sh = _shingles(p.norm)
        if len(p.norm) >= NEAR_DUP_MIN_CHARS:
            hits: dict[int, int] = {}
            for g in sh:
                for q in index.get(g, ()):
                    hits[q] = hits.get(q, 0) + 1
            if hits:
                covered = set()
                for q in hits:
                    covered |= sh & shingles[q]
                if len(covered) / len(sh) >= NEAR_DUP_CONTAINMENT:
                    best = max(hits, key=lambda q: (hits[q], -q))
                    p.duplicate_of, p.duplicate_kind = best, "near"
                    continue
        first_by_norm[p.norm] = p.idx
        shingles[p.idx] = sh
        for g in sh:
            index.setdefault(g, []).append(p.idx)
