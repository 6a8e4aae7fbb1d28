"""Entity resolution: canonical ids for mentions, legal-form stripping, and 同社/両社-style references."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

from kb.gazetteer import Gazetteer, GazetteerEntry, read_data_list

ENTITY_TYPES: frozenset[str] = frozenset({
    "company", "organization", "government", "person", "country", "state", "city", "place",
    "product", "project", "event", "facility", "investment",
})

LEGAL_FORMS: tuple[str, ...] = tuple(
    dict.fromkeys(unicodedata.normalize("NFKC", form) for form in read_data_list("legal_forms.txt"))
)

# The eight types of the Stockmark Wikipedia NER dataset, which kb's NER model predicts.
STOCKMARK_LABELS: dict[str, str] = {
    "人名": "person",
    "法人名": "company",
    "政治的組織名": "government",
    "その他の組織名": "organization",
    "地名": "place",
    "施設名": "facility",
    "製品名": "product",
    "イベント名": "event",
}

# NER labels (GiNZA/ENE, Stockmark ner-wikipedia, spaCy English OntoNotes) to our entity types.
# None means "not an entity we track"; labels missing from the table are treated the same way.
NER_LABEL_TO_TYPE: dict[str, str | None] = {
    # GiNZA (Extended Named Entity hierarchy)
    "Company": "company",
    "Company_Group": "company",
    "Corporation_Other": "company",
    "Organization_Other": "organization",
    "International_Organization": "organization",
    "Political_Party": "organization",
    "Show_Organization": "organization",
    "Sports_Organization_Other": "organization",
    "Pro_Sports_Organization": "organization",
    "Sports_League": "organization",
    "Research_Institute": "organization",
    "School": "organization",
    "Newspaper": "organization",
    "Magazine": "organization",
    "Political_Organization_Other": "government",
    "Government": "government",
    "Cabinet": "government",
    "Military": "government",
    "Person": "person",
    "Country": "country",
    "Province": "state",
    "City": "city",
    "County": "place",
    "GPE_Other": "place",
    "Location_Other": "place",
    "Domestic_Region": "place",
    "Region_Other": "place",
    "Continental_Region": "place",
    "Geological_Region_Other": "place",
    "Island": "place",
    "Mountain": "place",
    "River": "place",
    "Lake": "place",
    "Sea": "place",
    "Bay": "place",
    "Facility_Other": "facility",
    "Facility_Part": "facility",
    "GOE_Other": "facility",
    "Public_Institution": "facility",
    "Airport": "facility",
    "Port": "facility",
    "Station": "facility",
    "Road": "facility",
    "Railroad": "facility",
    "Bridge": "facility",
    "Tunnel": "facility",
    "Canal": "facility",
    "Sports_Facility": "facility",
    "Museum": "facility",
    "Theater": "facility",
    "Park": "facility",
    "Amusement_Park": "facility",
    "Zoo": "facility",
    "Worship_Place": "facility",
    "Product_Other": "product",
    "Car": "product",
    "Train": "product",
    "Aircraft": "product",
    "Ship": "product",
    "Spaceship": "product",
    "Vehicle_Other": "product",
    "Weapon": "product",
    "Drug": "product",
    "Game": "product",
    "Plan": "project",
    "Event_Other": "event",
    "Occasion_Other": "event",
    "Incident_Other": "event",
    "Conference": "event",
    "Natural_Disaster": "event",
    "Earthquake": "event",
    "War": "event",
    "Position_Vocation": None,
    "Title_Other": None,
    "Nationality": None,
    "Ethnic_Group_Other": None,
    "Money": None,
    "Percent": None,
    "Date": None,
    "Law": None,
    # Stockmark (ner-wikipedia-dataset), the labels of kb's own NER
    **STOCKMARK_LABELS,
    # spaCy English (OntoNotes) and CoNLL-style short labels
    "ORG": "company",
    "PERSON": "person",
    "PER": "person",
    "GPE": "place",
    "LOC": "place",
    "FAC": "facility",
    "PRODUCT": "product",
    "EVENT": "event",
    "NORP": None,
    "MISC": None,
    "LAW": None,
    "LANGUAGE": None,
    "WORK_OF_ART": None,
    "MONEY": None,
    "PERCENT": None,
    "DATE": None,
    "TIME": None,
    "QUANTITY": None,
    "ORDINAL": None,
    "CARDINAL": None,
}
NER_LABEL_TO_TYPE.update({t: t for t in ENTITY_TYPES})

_ORG_LIKE = frozenset({"company", "organization", "government", "project"})
_PLACE_LIKE = frozenset({"country", "state", "city", "place"})
# Which gazetteer entry types a mention of a given type may resolve to in entity_id_for().
COMPATIBLE_TYPES: dict[str, frozenset[str]] = {
    **{t: _ORG_LIKE for t in _ORG_LIKE},
    **{t: _PLACE_LIKE for t in _PLACE_LIKE},
    "person": frozenset({"person"}),
    "facility": frozenset({"facility", "project"}),
    "product": frozenset({"product", "project"}),
    "investment": frozenset({"investment", "project"}),
    "event": frozenset({"event"}),
}


def _legal_form_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    forms = sorted(LEGAL_FORMS, key=len, reverse=True)
    latin = [re.escape(f) for f in forms if f.isascii()]
    cjk = [re.escape(f) for f in forms if not f.isascii()]
    # Latin forms need a separator so "SAGA" never loses "SA"; CJK forms glue on (株式会社ホンハイ).
    prefix = rf"^(?:(?:{'|'.join(cjk)})[\s,]*|(?:{'|'.join(latin)})(?:[\s,]+))"
    suffix = rf"(?:[\s,]*(?:{'|'.join(cjk)})|(?:^|[\s,]+)(?:{'|'.join(latin)}))[\s,]*$"
    return re.compile(prefix), re.compile(suffix)


_LEGAL_PREFIX, _LEGAL_SUFFIX = _legal_form_patterns()
_DROP_CHARS = re.compile(r"[\s・·•‧\-‐‑‒–—―=,.、。']")


def strip_legal_forms(name: str) -> str:
    """Remove legal-form words (株式会社, Inc., Co., Ltd. ...) from both ends of an NFKC'd name."""
    current = name.strip()
    while True:
        stripped = _LEGAL_SUFFIX.sub("", _LEGAL_PREFIX.sub("", current)).strip(" ,")
        if not stripped or stripped == current:
            return current
        current = stripped


def normalize_name(text: str, *, strip_legal: bool = True) -> str:
    """Return the matching key of a name: NFKC, case-folded, legal forms and separators removed."""
    nfkc = unicodedata.normalize("NFKC", text)
    return _DROP_CHARS.sub("", strip_legal_forms(nfkc) if strip_legal else nfkc).casefold()


def _slug(name: str) -> str:
    key = normalize_name(name)
    if re.fullmatch(r"[a-z0-9]+", key):
        return key
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def entity_id_for(name: str, type: str) -> str:
    """Return the gazetteer id a name of this type refers to, else a stable id from the normalized name."""
    allowed = COMPATIBLE_TYPES.get(type, frozenset({type}))
    for entry in Gazetteer.load().lookup_all(name):
        if entry.type in allowed:
            return entry.id
    return f"{type}:{_slug(name)}"


@dataclass(frozen=True)
class ResolvedEntity:
    """A mention resolved to a canonical entity."""

    id: str
    name: str
    type: str
    wikidata: str | None = None
    attrs: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


def _choose_entry(candidates: tuple[GazetteerEntry, ...], type_: str | None) -> GazetteerEntry:
    for entry in candidates:
        if entry.type == "state":
            return entry
    allowed = COMPATIBLE_TYPES.get(type_ or "", frozenset())
    for entry in candidates:
        if entry.type in allowed:
            return entry
    # The gazetteer knows the name better than the tagger (NER calls OpenAI a Person now and then).
    return candidates[0]


def tidy_name(surface: str) -> str:
    """Return a display name for an unknown entity: NFKC, legal forms stripped, whitespace collapsed."""
    return " ".join(strip_legal_forms(unicodedata.normalize("NFKC", surface)).split())


def resolve_mention(surface: str, label: str) -> ResolvedEntity | None:
    """Resolve an NER mention; None when the label is not one we track and the gazetteer has no entry."""
    type_ = NER_LABEL_TO_TYPE.get(label)
    candidates = Gazetteer.load().lookup_all(surface)
    if candidates:
        entry = _choose_entry(candidates, type_)
        return ResolvedEntity(entry.id, entry.name, entry.type, entry.wikidata, entry.attrs)
    if type_ is None:
        return None
    return ResolvedEntity(f"{type_}:{_slug(surface)}", tidy_name(surface), type_)


# ---------------------------------------------------------------------------------------------
# References: 同社 / 両社 / 彼ら / "the company" ...

# (pattern, how many companies it names); "many" for 彼ら, which names one or two.
_ANAPHORS: tuple[tuple[re.Pattern[str], str], ...] = (
    # 同社長 is "the said president" (同 + 社長), and 共同社長 is "co-president": neither is 同社.
    (re.compile(r"同社(?!長)"), "one"),
    (re.compile(r"同グループ"), "one"),
    (re.compile(r"両社|両者"), "two"),
    (re.compile(r"彼ら"), "many"),
    (re.compile(r"\b(?:the|The|THE) (?:two companies|2 companies)\b"), "two"),
    (re.compile(r"\b(?:both|Both|BOTH) companies\b"), "two"),
    (re.compile(r"\b(?:the|The|THE) company\b"), "one"),
)
_SENTENCE_END = re.compile(r"[。！？!?\n]|\.(?=\s)")
# When 彼ら opens the text, the previous sentence lies before window_start; this many characters
# stand in for it, since only the mentions (not that text) are passed in.
PREVIOUS_SENTENCE_CHARS = 120
# 同社 / "the company" prefers a company written as a subject in this many sentences before its own.
SUBJECT_LOOKBACK_SENTENCES = 3


def _is_company(entity_id: str) -> bool:
    return entity_id.startswith("company:")


def _sentence_starts(text: str) -> list[int]:
    """Where sentences start; blank lines between paragraphs are not sentences of their own."""
    starts = [0] + [m.end() for m in _SENTENCE_END.finditer(text) if m.end() < len(text)]
    bounds = starts[1:] + [len(text)]
    return [s for i, (s, e) in enumerate(zip(starts, bounds)) if i == 0 or text[s:e].strip()]


def _recent_companies(mentions: list[tuple[int, int, str]], before: int, after: int | None = None) -> list[str]:
    """Return distinct company ids mentioned before `before` (and from `after` on), latest first."""
    chosen: list[str] = []
    for start, end, entity_id in sorted(mentions, key=lambda m: (m[0], m[1]), reverse=True):
        if end > before or not _is_company(entity_id) or entity_id in chosen:
            continue
        if after is not None and start < after:
            continue
        chosen.append(entity_id)
    return chosen


def _recent_subject_company(text: str, window_start: int, mentions: list[tuple[int, int, str]],
                            before: int, after: int) -> str | None:
    """The latest company written as a subject (X は/が/も) in [after, before).

    News Japanese uses 同社 for the company the story is about, the topic of the sentences before, not
    for the last company named: in 「北浜は…。ソフトバンク傘下のアームの設計を採用する。同社は…」 同社 is 北浜.
    """
    for start, end, entity_id in sorted(mentions, key=lambda m: (m[0], m[1]), reverse=True):
        if end > before or start < after or not _is_company(entity_id):
            continue
        local_end = end - window_start
        if 0 <= local_end < len(text) and text[local_end] in "はがも":
            return entity_id
    return None


def has_reference(text: str) -> bool:
    """Whether text contains an anaphor (同社, 両社, the company …) that resolve_references would resolve."""
    return any(pattern.search(text) for pattern, _ in _ANAPHORS)


def resolve_references(
    text: str, mentions: list[tuple[int, int, str]], *, window_start: int = 0
) -> list[tuple[int, int, list[str]]]:
    """Resolve 同社/両社/彼ら/"the company"-style anaphors in text to the companies mentioned before them.

    text starts at offset window_start of the article; mentions (start, end, entity_id) and the
    returned (start, end, [entity ids]) use those article offsets. Unresolvable anaphors are omitted.
    """
    found: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    for pattern, kind in _ANAPHORS:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            found.append((m.start(), m.end(), kind))
    starts = _sentence_starts(text)
    results: list[tuple[int, int, list[str]]] = []
    known = list(mentions)  # resolved 同社 join them: 北浜は… 同社は… 同社の → the same company
    for local_start, local_end, kind in sorted(found):
        start, end = window_start + local_start, window_start + local_end
        if kind == "one":
            sentence = max(i for i, s in enumerate(starts) if s <= local_start)
            after = window_start + starts[max(0, sentence - SUBJECT_LOOKBACK_SENTENCES)]
            subject = (_recent_subject_company(text, window_start, known, start, after)
                       if text.startswith("同", local_start) else None)  # English: the last company named
            ids = [subject] if subject else _recent_companies(known, start)[:1]
            if ids:
                known.append((start, end, ids[0]))
        elif kind == "two":
            ids = _recent_companies(mentions, start)[:2]
            ids = ids if len(ids) == 2 else []
        else:
            sentence = max(i for i, s in enumerate(starts) if s <= local_start)
            if sentence >= 1:
                window = window_start + starts[sentence - 1]
            else:
                window = window_start - PREVIOUS_SENTENCE_CHARS
            ids = _recent_companies(mentions, start, after=window)[:2]
        if ids:
            results.append((start, end, ids))
    return results
