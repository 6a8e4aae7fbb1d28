"""Syndicated copies: one wire story republished by several outlets is one independent source.

Pure decisions, no storage (kb.store.syndication keeps the rows): the text an article is compared on
(`normalise`: NFKC, case, punctuation and whitespace folded), its shingles (`shingles`: character 5-grams
for Japanese/Chinese text, which has no spaces, word 3-grams otherwise), a MinHash signature of them
(datasketch, `signature`), the LSH bands the store indexes to find candidate copies (`bands`), and the
decision itself (`similarity` >= `THRESHOLD`). How the threshold was chosen: docs/tracking.md.

The similarity is the overlap coefficient |A ∩ B| / min(|A|, |B|) of the two shingle sets, so a copy with
another header, byline, footer or "related articles" tail (extra shingles on one side) still scores near 1,
while two independent stories about one event, which share names and figures but not their sentences,
score low. MinHash + LSH only find candidates; the score is computed exactly on the two texts.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Iterable

import numpy as np
from datasketch import MinHash

# Two articles whose shingle overlap reaches this are copies of one story (measured: docs/tracking.md).
THRESHOLD = 0.5
# Below this many shingles an article is too short to tell a copy from a shared headline.
MIN_SHINGLES = 30
NUM_PERM = 128
SEED = 1
# LSH: BANDS bands of ROWS hash values. Two articles share a band with probability 1-(1-J^ROWS)^BANDS
# for Jaccard J: ~0.93 at J=0.2, so copies with long extra tails (J well below the overlap) are found.
BANDS, ROWS = 64, 2
CHAR_N, WORD_N = 5, 3
# Articles at least this share CJK (by letters) are shingled by characters.
CJK_SHARE = 0.3
SCHEME = f"v1:nfkc-fold:c{CHAR_N}/w{WORD_N}:p{NUM_PERM}s{SEED}:b{BANDS}r{ROWS}"

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")
_MARKUP = re.compile(r"https?://\S+|!?\[([^\]]*)\]\([^)]*\)")


def normalise(text: str) -> str:
    """NFKC, casefolded, markup links reduced to their text, punctuation and symbols as spaces, one space."""
    t = unicodedata.normalize("NFKC", text or "").casefold()
    t = _MARKUP.sub(lambda m: m.group(1) or " ", t)
    out = []
    for ch in t:
        cat = unicodedata.category(ch)
        out.append(" " if cat[0] in "PSZC" else ch)
    return " ".join("".join(out).split())


def is_cjk(norm: str) -> bool:
    letters = [c for c in norm if c.isalnum()]
    return bool(letters) and sum(1 for c in letters if _CJK.match(c)) >= CJK_SHARE * len(letters)


def shingles(text: str) -> set[str]:
    """The shingle set of an article's text: character 5-grams (spaces dropped) for CJK text, else word 3-grams."""
    norm = normalise(text)
    if is_cjk(norm):
        s = norm.replace(" ", "")
        return {s[i:i + CHAR_N] for i in range(max(len(s) - CHAR_N + 1, 0))}
    words = norm.split()
    return {" ".join(words[i:i + WORD_N]) for i in range(max(len(words) - WORD_N + 1, 0))}


def signature(shingle_set: Iterable[str]) -> np.ndarray:
    """The MinHash signature (NUM_PERM uint64 values) of a shingle set."""
    m = MinHash(num_perm=NUM_PERM, seed=SEED)
    m.update_batch([s.encode("utf-8") for s in shingle_set])
    return np.asarray(m.hashvalues, dtype=np.uint64)


def signature_bytes(sig: np.ndarray) -> bytes:
    return np.asarray(sig, dtype="<u8").tobytes()


def signature_from_bytes(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<u8").astype(np.uint64)


def bands(sig: np.ndarray) -> list[tuple[int, int]]:
    """(band number, band hash) of a signature: articles sharing any band are candidate copies."""
    raw = np.asarray(sig, dtype="<u8")
    out = []
    for b in range(BANDS):
        digest = hashlib.blake2b(raw[b * ROWS:(b + 1) * ROWS].tobytes(), digest_size=8).digest()
        out.append((b, int.from_bytes(digest, "little", signed=True)))
    return out


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.count_nonzero(np.asarray(a) == np.asarray(b))) / NUM_PERM


def estimated_overlap(a: np.ndarray, b: np.ndarray, size_a: int, size_b: int) -> float:
    """The overlap coefficient implied by the signatures' Jaccard estimate and the two set sizes."""
    if not size_a or not size_b:
        return 0.0
    j = estimated_jaccard(a, b)
    return min(1.0, j * (size_a + size_b) / (1 + j) / min(size_a, size_b))


def similarity(a: set[str], b: set[str]) -> float:
    """Overlap coefficient of two shingle sets; 0 when either is too short to judge."""
    if len(a) < MIN_SHINGLES or len(b) < MIN_SHINGLES:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def is_copy(score: float) -> bool:
    return score >= THRESHOLD


def components(nodes: Iterable[str], edges: Iterable[tuple[str, str]]) -> list[set[str]]:
    """Connected components (of two or more articles) of the copy graph."""
    parent: dict[str, str] = {n: n for n in nodes}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        parent.setdefault(a, a)
        parent.setdefault(b, b)
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, set[str]] = {}
    for n in parent:
        groups.setdefault(find(n), set()).add(n)
    return [g for g in groups.values() if len(g) > 1]
