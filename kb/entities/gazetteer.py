"""The gazetteer: known places, companies, organizations and people, loaded from package data."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Iterable, Iterator, Mapping

from kb.entities.datafiles import DATA_DIR, read_data_lines, read_data_list, read_data_rows
from kb.entities.names import normalize_name

# When one surface names entries of several types, the earlier type wins in find() and lookup():
# a state alias always means the state (東京 is the prefecture, not the city), a country beats a
# company of the same name, and cities come last because their names are the most reused.
TYPE_PRIORITY: tuple[str, ...] = (
    "state", "country", "company", "government", "organization", "project", "facility", "product", "person",
    "city", "place",
)

# Latin aliases this short are matched case-sensitively: "US" is the country, "us" is a pronoun.
CASE_SENSITIVE_MAX_LEN = 4

_COMPANY_FILE_TYPES = {"company": "company", "org": "organization", "gov": "government", "project": "project"}


@dataclass(frozen=True)
class GazetteerEntry:
    """One known entity with every surface form we accept for it."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    wikidata: str | None
    attrs: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split("|") if part.strip()]


def _dedupe(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for item in items if item))


def _attrs(row: Mapping[str, str], drop: Iterable[str]) -> Mapping[str, str]:
    dropped = set(drop)
    return MappingProxyType({k: v for k, v in row.items() if k not in dropped and v})


def _entry(row: dict[str, str], *, name: str, type_: str, names: Iterable[str], drop: Iterable[str]) -> GazetteerEntry:
    if row.get("country") and len(row["country"]) == 2:
        row = {**row, "country_id": f"country:{row['country']}"}
    return GazetteerEntry(
        id=row["id"],
        name=name,
        type=type_,
        aliases=_dedupe([*names, *_split(row.get("aliases", ""))]),
        wikidata=row.get("wikidata") or None,
        attrs=_attrs(row, ["id", "aliases", "wikidata", *drop]),
    )


def load_entries() -> list[GazetteerEntry]:
    """Read every gazetteer file into entries, in file order."""
    entries: list[GazetteerEntry] = []
    # First-level divisions share the type `state`; country and subtype tell a US state from a prefecture.
    for filename, country, subtype in (("us_states.csv", "US", "us_state"), ("jp_prefectures.csv", "JP", "prefecture")):
        for row in read_data_rows(filename):
            row = {**row, "country": country, "subtype": subtype}
            names = [row["name_en"], row["name_ja"], row["name_ja_short"]]
            entries.append(_entry(row, name=row["name_en"], type_="state", names=names, drop=["name_en"]))
    for row in read_data_rows("countries.csv"):
        names = [row["name_en"], row["name_ja"]]
        entries.append(_entry(row, name=row["name_en"], type_="country", names=names, drop=["name_en"]))
    for row in read_data_rows("cities.csv"):
        names = [row["name_en"], row["name_ja"]]
        entries.append(_entry(row, name=row["name_en"], type_="city", names=names, drop=["name_en"]))
    for row in read_data_rows("places.csv"):
        names = [row["name_en"], row["name_ja"]]
        entries.append(_entry(row, name=row["name_en"], type_="place", names=names, drop=["name_en"]))
    for row in read_data_rows("companies.csv"):
        type_ = row["type"]
        names = [row["name"], row["name_ja"]]
        entries.append(_entry(row, name=row["name"], type_=type_, names=names, drop=["name", "type"]))
    for row in read_data_rows("products.csv"):
        names = [row["name"], row["name_ja"]]
        entries.append(_entry(row, name=row["name"], type_=row["type"], names=names, drop=["name", "type"]))
    for row in read_data_rows("people.csv"):
        names = [row["name_en"], row["name_ja"]]
        entries.append(_entry(row, name=row["name_en"], type_="person", names=names, drop=["name_en"]))
    return entries


# ---------------------------------------------------------------------------------------------
# Character classes for match boundaries.

def _is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum() or ("\u00c0" <= ch <= "\u024f" and ch.isalpha())


def _is_katakana(ch: str) -> bool:
    # ー (U+30FC) continues a katakana word, so it counts as katakana on both sides.
    return "\u30a1" <= ch <= "\u30fa" or ch == "\u30fc" or "\u31f0" <= ch <= "\u31ff"


def _is_latin_alias(alias: str) -> bool:
    return any(c.isascii() and c.isalpha() for c in alias) and not any(
        ord(c) >= 0x3000 for c in alias
    )


# Characters that NFKC leaves alone one by one: printable ASCII, hiragana, katakana and the main
# CJK block. Text in these ranges maps to itself, so only the runs outside them need the slow path.
_UNSTABLE_RUN = re.compile(r"[^\x20-\x7e\u3041-\u3096\u30a1-\u30fa\u30fc\u4e00-\u9fff]+")


def _nfkc_with_offsets(text: str) -> tuple[str, list[int], list[int]]:
    """Return NFKC(text) and, for each of its characters, the start and end offset in text."""
    if unicodedata.is_normalized("NFKC", text):
        return text, list(range(len(text))), list(range(1, len(text) + 1))
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    done = 0
    for run in _UNSTABLE_RUN.finditer(text):
        # A combining mark composes with the character before it, so that character joins the run.
        begin = max(run.start() - 1, done)
        out.append(text[done:begin])
        starts.extend(range(done, begin))
        ends.extend(range(done + 1, begin + 1))
        done = _nfkc_chunks(text, begin, run.end(), out, starts, ends)
    out.append(text[done:])
    starts.extend(range(done, len(text)))
    ends.extend(range(done + 1, len(text) + 1))
    return "".join(out), starts, ends


def _nfkc_chunks(text: str, i: int, stop: int, out: list[str], starts: list[int], ends: list[int]) -> int:
    """Normalize text[i:stop] base by base, recording source offsets; return where it stopped."""
    while i < stop:
        j = i + 1
        # Keep combining marks (and the halfwidth voiced marks, which NFKC turns into combining
        # marks) with their base so that the two characters of a halfwidth ga become one ガ.
        while j < len(text) and (unicodedata.combining(text[j]) or text[j] in "\uff9e\uff9f\u3099\u309a"):
            j += 1
        chunk = unicodedata.normalize("NFKC", text[i:j])
        out.append(chunk)
        starts.extend([i] * len(chunk))
        ends.extend([j] * len(chunk))
        i = j
    return i


class Gazetteer:
    """All gazetteer entries with alias indexes for exact lookup and free-text matching."""

    def __init__(self, entries: Iterable[GazetteerEntry], ambiguous: Iterable[str] = ()) -> None:
        """Index entries; surfaces listed in ambiguous are never matched or looked up."""

        self._entries = list(entries)
        self._by_id: dict[str, GazetteerEntry] = {}
        for entry in self._entries:
            if entry.id in self._by_id:
                raise ValueError(f"duplicate gazetteer id {entry.id!r}; ids must be unique across files")
            self._by_id[entry.id] = entry
        self._ambiguous = frozenset(unicodedata.normalize("NFKC", s).casefold() for s in ambiguous)
        rank = {t: i for i, t in enumerate(TYPE_PRIORITY)}

        def order(entry: GazetteerEntry) -> int:
            return rank.get(entry.type, len(rank))

        # Two keys per alias: the full one first, so "SoftBank Corp." (the telecom) is not
        # confused with "SoftBank" (the group), then the legal-form-stripped one for "Nvidia Corp.".
        by_full: dict[str, list[GazetteerEntry]] = {}
        by_norm: dict[str, list[GazetteerEntry]] = {}
        exact: dict[str, list[GazetteerEntry]] = {}
        folded: dict[str, list[GazetteerEntry]] = {}
        for entry in self._entries:
            for alias in entry.aliases:
                surface = unicodedata.normalize("NFKC", alias)
                if surface.casefold() in self._ambiguous or len(surface) < 2:
                    continue
                for index, key in ((by_full, normalize_name(surface, strip_legal=False)),
                                   (by_norm, normalize_name(surface))):
                    if key and entry not in index.setdefault(key, []):
                        index[key].append(entry)
                is_latin = _is_latin_alias(surface)
                if is_latin and len(surface) > CASE_SENSITIVE_MAX_LEN:
                    bucket = folded.setdefault(surface.lower(), [])
                else:
                    bucket = exact.setdefault(surface, [])
                if entry not in bucket:
                    bucket.append(entry)
        self._by_full = {k: tuple(sorted(v, key=order)) for k, v in by_full.items()}
        self._by_norm = {k: tuple(sorted(v, key=order)) for k, v in by_norm.items()}
        self._exact = {k: sorted(v, key=order)[0] for k, v in exact.items()}
        self._folded = {k: sorted(v, key=order)[0] for k, v in folded.items()}
        # Candidate alias lengths keyed by the first two characters, so find() tries only the
        # few lengths that can match where it stands (every alias has at least two characters).
        lengths: dict[str, set[int]] = {}
        for surface in self._exact:
            lengths.setdefault(surface[:2], set()).add(len(surface))
        for surface in self._folded:
            for head in _case_variants(surface[:2]):
                lengths.setdefault(head, set()).add(len(surface))
        self._lengths = {c: tuple(sorted(ls, reverse=True)) for c, ls in lengths.items()}
        self._starts = _start_pattern({head[0] for head in self._lengths})

    @classmethod
    def load(cls) -> "Gazetteer":
        """Return the gazetteer built from the package data files (built once, then cached)."""
        return _load_default()

    def get(self, entity_id: str) -> GazetteerEntry | None:
        """Return the entry with this id, or None."""
        return self._by_id.get(entity_id)

    def lookup(self, surface: str) -> GazetteerEntry | None:
        """Return the entry a surface form names (compared via normalize_name), or None."""
        candidates = self.lookup_all(surface)
        return candidates[0] if candidates else None

    def lookup_all(self, surface: str) -> tuple[GazetteerEntry, ...]:
        """Return every entry a surface form may name, best first by TYPE_PRIORITY."""

        if unicodedata.normalize("NFKC", surface).strip().casefold() in self._ambiguous:
            return ()
        full = self._by_full.get(normalize_name(surface, strip_legal=False))
        return full or self._by_norm.get(normalize_name(surface), ())

    def entries(self) -> Iterator[GazetteerEntry]:
        """Iterate over all entries in file order."""
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def find(self, text: str) -> list[tuple[int, int, GazetteerEntry]]:
        """Return non-overlapping gazetteer mentions in text as (start, end, entry), offsets into text."""
        norm, starts, ends = _nfkc_with_offsets(text)
        found: list[tuple[int, int, GazetteerEntry]] = []
        search = self._starts.search
        pos = 0
        # The start pattern jumps (in C) to the next place an alias can begin; most characters
        # of a sentence are never looked at in Python.
        while (candidate := search(norm, pos)) is not None:
            i = candidate.start()
            lengths = self._lengths.get(norm[i:i + 2])
            match = self._match_at(norm, i, lengths) if lengths else None
            if match is None:
                pos = i + 1
                continue
            j, entry = match
            found.append((starts[i], ends[j - 1], entry))
            pos = j
        return found

    def _match_at(self, norm: str, i: int, lengths: tuple[int, ...]) -> tuple[int, GazetteerEntry] | None:
        n = len(norm)
        for length in lengths:
            j = i + length
            if j > n:
                continue
            piece = norm[i:j]
            entry = self._exact.get(piece) or self._folded.get(piece.lower())
            if entry is None:
                continue
            if j < n and not _ends_cleanly(piece[-1], norm[j]):
                continue
            if i and not _ends_cleanly(piece[0], norm[i - 1]):
                continue
            return j, entry
        return None


_LATIN_CLASS = "0-9A-Za-z\u00c0-\u024f"
_KATAKANA_CLASS = "\u30a1-\u30fa\u30fc\u31f0-\u31ff"


def _start_pattern(first_chars: Iterable[str]) -> re.Pattern[str]:
    """Return a regex matching one character where an alias with one of these first characters may start."""
    latin, katakana, other = [], [], []
    for ch in sorted(first_chars):
        (latin if _is_latin(ch) else katakana if _is_katakana(ch) else other).append(re.escape(ch))
    branches = []
    # Latin and katakana aliases only start where a Latin/katakana word starts.
    if latin:
        branches.append(f"(?<![{_LATIN_CLASS}])[{''.join(latin)}]")
    if katakana:
        branches.append(f"(?<![{_KATAKANA_CLASS}])[{''.join(katakana)}]")
    if other:
        branches.append(f"[{''.join(other)}]")
    return re.compile("|".join(branches) or "(?!)")


def _case_variants(head: str) -> set[str]:
    """Return every upper/lower-case spelling of a short string."""
    variants = {""}
    for ch in head:
        variants = {v + c for v in variants for c in {ch.lower(), ch.upper()}}
    return variants


def _ends_cleanly(edge: str, neighbour: str) -> bool:
    """Say whether an alias edge character may touch this neighbouring character."""
    if _is_latin(edge) and _is_latin(neighbour):
        return False
    if _is_katakana(edge) and _is_katakana(neighbour):
        return False
    return True


@lru_cache(maxsize=1)
def _load_default() -> Gazetteer:
    return Gazetteer(load_entries(), read_data_list("ambiguous.txt"))


@lru_cache(maxsize=1)
def common_terms() -> frozenset[str]:
    """Technical terms that are never names (common_terms.txt), NFKC and case-folded."""
    return frozenset(unicodedata.normalize("NFKC", s).casefold() for s in read_data_list("common_terms.txt"))


# A stock ticker with its exchange suffix (2317.TW, 9984.T, ORCL.N, <9984.T>, NASDAQ:NVDA) names a listing, not
# an entity: the company is named beside it.
# The shape of a listing code with its exchange suffix; kb.entities.spans cuts it off names with this too.
TICKER = r"[A-Z0-9]{1,6}\.[A-Z]{1,3}"
_TICKER_RE = re.compile(rf"<?(?:{TICKER}|(?:NASDAQ|NYSE|TSE|TWSE|HKEX)\s?:\s?[A-Z0-9.]{{1,6}})>?")


def is_common_term(surface: str) -> bool:
    """Whether a span's whole text is a generic technical term (GPU, データセンター) or a ticker, not a name."""
    text = unicodedata.normalize("NFKC", surface).strip()
    return text.casefold() in common_terms() or _TICKER_RE.fullmatch(text) is not None
