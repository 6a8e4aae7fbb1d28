"""Entity resolution: canonical ids for mentions, legal-form stripping, and 同社/両社-style references."""

from __future__ import annotations

import bisect
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

from kb.contract import ENTITY_TYPES, NER_LABEL_TO_TYPE, ORG_LIKE_TYPES, PLACE_TYPES, STOCKMARK_LABELS  # noqa: F401
from kb.entities.gazetteer import Gazetteer, GazetteerEntry
from kb.entities.names import LEGAL_FORMS, normalize_name, strip_legal_forms  # noqa: F401  (API)

# Which gazetteer entry types a mention of a given type may resolve to in entity_id_for().
COMPATIBLE_TYPES: dict[str, frozenset[str]] = {
    **{t: ORG_LIKE_TYPES for t in ORG_LIKE_TYPES},
    **{t: PLACE_TYPES for t in PLACE_TYPES},
    "person": frozenset({"person"}),
    "facility": frozenset({"facility", "project"}),
    "product": frozenset({"product", "project"}),
    "investment": frozenset({"investment", "project"}),
    "event": frozenset({"event"}),
}


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
    # 当社/弊社 (our company) in an interview answer or a release: the company the article is about.
    (re.compile(r"当社|弊社"), "self"),
    (re.compile(r"両社|両者"), "two"),
    (re.compile(r"彼ら"), "many"),
    # 新会社 (the new company) is the venture the article has just set up (合弁会社「X」を設立する。新会社は…).
    (re.compile(r"新会社(?![「『A-Za-z\u30a1-\u30fa])"), "new"),
    # 政府 alone (政府は補助金を…) is the government the article named last, else Japan's: Japanese news
    # writes its own government so. 米政府, 政府系, 政府関係者 are other words.
    (re.compile(r"(?<![\u4e00-\u9fff\u30a1-\u30fa々])政府(?![\u4e00-\u9fff\u30a1-\u30fa々])"), "government"),
    (re.compile(r"\b(?:the|The|THE) (?:two|2) (?:companies|firms)\b"), "two"),
    (re.compile(r"\b(?:both|Both|BOTH) (?:companies|firms)\b"), "two"),
    (re.compile(r"\b(?:the|The|THE) company\b"), "one"),
    (re.compile(r"\b(?:the|The) (?:startup|start-up)\b"), "one"),
    (re.compile(r"\b(?:the|The|THE) (?:joint )?venture\b"), "venture"),
    # "the chipmaker": the semiconductor company named last
    (re.compile(r"\b(?:the|The) (?:chipmaker|chip maker|chip designer|chip company|semiconductor company)\b"), "chipmaker"),
    # "the ChatGPT maker": the company behind a product the gazetteer knows (products.csv organization)
    (re.compile(r"\b(?:the|The) [A-Z][\w.+-]*(?: [A-Z][\w.+-]*)? (?:maker|developer|creator|owner|operator)\b"), "maker"),
)
_SENTENCE_END = re.compile(r"[。！？!?\n]|\.(?=\s)")
# When 彼ら opens the text, the previous sentence lies before window_start; this many characters
# stand in for it, since only the mentions (not that text) are passed in.
PREVIOUS_SENTENCE_CHARS = 120
# 同社 / "the company" prefers a company written as a subject in this many sentences before its own.
SUBJECT_LOOKBACK_SENTENCES = 3


JAPAN_GOVERNMENT = "gov:japan-government"


def _national_government(entity_id: str) -> bool:
    """A country's government (gov:us-government, gov:japan-government), not one of its ministries."""
    if not (entity_id.startswith("gov:") and entity_id.endswith("-government")):
        return False
    entry = Gazetteer.load().get(entity_id)
    return entry is None or not entry.name.startswith("State of")


def _is_company(entity_id: str) -> bool:
    """A company 同社/"the company" may stand for: news outlets (gazetteer sector media) report, they are not it."""
    if not entity_id.startswith("company:"):
        return False
    entry = Gazetteer.load().get(entity_id)
    return entry is None or entry.attrs.get("sector") != "media"


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
        if 0 <= local_end < len(text) and (text[local_end] in "はがも" or _OWNER_OF_TOPIC_RE.match(text, local_end)):
            return entity_id
    return None


# A wire story's aside about a company that would not talk ("Nvidia declined to comment.") is no sentence about
# it: "the company" in the next sentence is still the story's company.
NO_COMMENT_RE = re.compile(r"\b(?:declined to comment|declined to be interviewed|did not (?:immediately )?(?:respond|reply|"
                            r"return)|could not (?:immediately )?be reached|(?:was|were) not (?:immediately )?available for "
                            r"comment|had no (?:immediate )?comment|did not comment)\b", re.I)


def _article_topic_company(text: str, window_start: int, mentions: list[tuple[int, int, str]],
                           before: int, first: bool = False) -> str | None:
    """The company the article so far is about: the one written as a subject (X は/が/も) most often before
    `before`, when no other company is a subject as often (a resolved 同社は counts for its company). With
    `first`, a nominal sentence ending in the company (…を持つX。) is a subject too, and a tie goes to the
    article's first subject."""
    counts: dict[str, int] = {}
    order: list[str] = []
    marks = "はがも。" if first else "はがも"
    for start, end, entity_id in sorted(mentions):
        local_end = end - window_start
        if end > before or not _is_company(entity_id) or not 0 <= local_end < len(text):
            continue
        if text[local_end] in marks and not any(s == start and e != entity_id for s, _, e in mentions):
            counts[entity_id] = counts.get(entity_id, 0) + 1
            order.append(entity_id)
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if first and order and counts[order[0]] == ranked[0][1]:
        return order[0]
    if not ranked or len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        return None
    return ranked[0][0]


# What follows a company that a clause acts on or with (Xと提携, Xに供給, Xを買収, Xから受注, Xとの契約, XやY).
_OBJECT_AFTER_RE = re.compile(r"\s*(?:[（(][^）)]{1,24}[)）])?\s*(?:と|に|を|から|への|へ|や|など)")


def _last_named_is_object(text: str, window_start: int, mentions: list[tuple[int, int, str]], before: int) -> bool:
    """Whether the company named last before `before` is written as an object or partner (case marker after it)."""
    last = _recent_companies(mentions, before)[:1]
    if not last:
        return False
    end = max(e for s, e, eid in mentions if eid == last[0] and e <= before) - window_start
    return 0 <= end < len(text) and bool(_OBJECT_AFTER_RE.match(text, end))


def _english_subject_company(mentions: list[tuple[int, int, str]], before: int, sentence_starts: list[int],
                             after: int, text: str = "", window_start: int = 0) -> str | None:
    """English "the company" / "the startup": the company the sentence is about, its first company (English puts
    the subject first), in the anaphor's own sentence before it, else in the nearest sentence before (from
    `after` on). "X signed a deal to supply Y, the company said" and "X signed a deal with Y. The company said"
    are about X, not about Y, the last company named."""
    bounds = sentence_starts + [before]
    for lo, hi in reversed(list(zip(bounds, bounds[1:]))):
        if hi <= after:
            break
        firsts = [m for m in sorted(mentions) if lo <= m[0] and m[1] <= min(hi, before) and _is_company(m[2])]
        if firsts and hi <= before and NO_COMMENT_RE.search(text, max(0, lo - window_start), max(0, hi - window_start)):
            continue
        if firsts:
            return firsts[0][2]
    return None


def _subject_group(text: str, window_start: int, mentions: list[tuple[int, int, str]], before: int,
                   after: int) -> list[str]:
    """The latest company subject in [after, before) with the companies coordinated with it (AとBが → B, A)."""
    subject = _recent_subject_company(text, window_start, mentions, before, after)
    if subject is None:
        return []
    ordered = sorted(mentions, key=lambda m: (m[0], m[1]))
    at = max(i for i, m in enumerate(ordered) if m[2] == subject and m[1] <= before and m[0] >= after)
    ids = [subject]
    while at > 0:
        prev, cur = ordered[at - 1], ordered[at]
        if prev[0] < after or not _is_company(prev[2]) or \
                text[prev[1] - window_start:cur[0] - window_start] not in ("と", "、", "や"):
            break
        if prev[2] not in ids:
            ids.append(prev[2])
        at -= 1
    return ids


# 「北浜の田中社長は…」: the company whose person or part is the topic is what the sentence is about.
_OWNER_OF_TOPIC_RE = re.compile(r"の[^、。「」（）()はがもをにで]{1,15}[はが]")


def _own_clause_subject(text: str, window_start: int, mentions: list[tuple[int, int, str]], before: int) -> str | None:
    """The company that is the topic or subject of 同社's own clause (Xは同社の出資者だ): 同社 is never it
    (a clause's subject referring to itself says 自社), so it names a company of the sentences before."""
    local = before - window_start
    for start, end, entity_id in sorted(mentions, key=lambda m: (m[0], m[1]), reverse=True):
        local_end = end - window_start
        if end > before or not _is_company(entity_id) or local_end < 0 or local_end >= len(text):
            continue
        if text[local_end] in "はが" and not re.search(r"[、。！？!?\n]", text[local_end:local]):
            return entity_id
        if re.search(r"[、。！？!?\n]", text[local_end:local]):
            return None
    return None


# How news introduces a company being set up: 合弁会社「X」, 共同出資会社X, 新会社「X」 before it, 「X」を設立 after it.
_FOUNDED_BEFORE_RE = re.compile(r"(?:合弁会社|共同出資会社|出資会社|新会社|新法人|事業会社)\s*[「『]?\s*$")
_FOUNDED_AFTER_RE = re.compile(r"\s*[」』]?\s*(?:を|の)?(?:設立|新設|立ち上げ)")


def introduced_as_founded(text: str, start: int, end: int) -> bool:
    """Whether the name at text[start:end] is introduced as a company being set up (合弁会社「X」, Xを設立)."""
    return bool(_FOUNDED_BEFORE_RE.search(text, max(0, start - 10), start) or _FOUNDED_AFTER_RE.match(text, end))


def _new_company(text: str, window_start: int, mentions: list[tuple[int, int, str]], before: int) -> list[str]:
    """The company 新会社 stands for: the last one before it the article introduces as being set up."""
    for start, end, entity_id in sorted(mentions, key=lambda m: (m[0], m[1]), reverse=True):
        local_start, local_end = start - window_start, end - window_start
        if end > before or local_start < 0 or not entity_id.startswith("company:"):
            continue
        if introduced_as_founded(text, local_start, local_end):
            return [entity_id]
    return []


def _named_in_one_sentence(mentions: list[tuple[int, int, str]], ids: list[str], before: int, starts: list[int],
                           window_start: int) -> bool:
    """Whether the last mentions before `before` of the companies `ids` lie in one sentence. 両社 is two companies
    a sentence names together (AはBと提携した。両社は…), or the company the sentences are about and the last one
    named; the last company of one sentence and the first of the next (…A、B、Cとの契約を結んだ。Dとは協業して
    おり、両社は…) are not a pair the text has made."""
    def sentence_of(pos: int) -> int:
        local = pos - window_start
        return max((i for i, s in enumerate(starts) if s <= local), default=-1)
    last = [max(s for s, e, eid in mentions if eid == i and e <= before) for i in ids]
    return len({sentence_of(p) for p in last}) == 1


def _sector(entity_id: str) -> str | None:
    entry = Gazetteer.load().get(entity_id)
    return entry.attrs.get("sector") if entry is not None else None


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
            own = _own_clause_subject(text, window_start, known, start) if text.startswith("同", local_start) else None
            pool = [k for k in known if k[2] != own]
            if text.startswith("同", local_start):
                subject = _recent_subject_company(text, window_start, pool, start, after)
            elif "company" not in text[local_start:local_end].lower():
                subject = None  # "the startup" describes: the company named last that it fits (OpenAI, not Nvidia)
            else:
                subject = _english_subject_company(pool, start, [window_start + s for s in starts[:sentence + 1]],
                                                   after, text, window_start)
            if subject is None and text.startswith("同", local_start) and _last_named_is_object(text, window_start, pool, start):
                # …米Xと提携した。…。同社によると…: no company is a subject in the sentences before, and the one
                # named last is an object; 同社 is the company the article is about, when one is its clear topic.
                subject = _article_topic_company(text, window_start, pool, start)
            ids = [subject] if subject else _recent_companies(pool, start)[:1]
            if ids:
                known.append((start, end, ids[0]))
        elif kind == "self":
            ids = [t for t in [_article_topic_company(text, window_start, known, start, first=True)] if t]
        elif kind == "venture":
            # "the venture" is the project (a venture of several companies) named last in the sentences before
            sentence = max(i for i, s in enumerate(starts) if s <= local_start)
            after = window_start + starts[max(0, sentence - SUBJECT_LOOKBACK_SENTENCES)]
            ids = [eid for s_, e_, eid in sorted(known, reverse=True)
                   if e_ <= start and s_ >= after and eid.startswith("project:")][:1]
        elif kind == "government":
            named = [eid for s_, e_, eid in sorted(known, reverse=True) if e_ <= start and _national_government(eid)]
            ids = named[:1] or ([JAPAN_GOVERNMENT] if Gazetteer.load().get(JAPAN_GOVERNMENT) is not None else [])
        elif kind == "new":
            ids = _new_company(text, window_start, known, start)
        elif kind == "maker":
            gaz = Gazetteer.load()
            made = [gaz.get(eid) for s_, e_, eid in known if start <= s_ and e_ <= end]
            ids = [e.attrs["organization"] for e in made if e is not None and e.attrs.get("organization")][:1]
        elif kind == "chipmaker":
            sentence = max(i for i, s in enumerate(starts) if s <= local_start)
            after = window_start + starts[max(0, sentence - SUBJECT_LOOKBACK_SENTENCES)]
            ids = [eid for s_, e_, eid in sorted(known, reverse=True)
                   if e_ <= start and s_ >= after and _sector(eid) == "semiconductors"][:1]
        elif kind == "two":
            ids = _recent_companies(mentions, start)[:2]
            if len(ids) == 2 and not _named_in_one_sentence(mentions, ids, start, starts, window_start):
                # …Xの提携だ。両社は…: the company the sentences before are about and the last one named
                sentence = max(i for i, s in enumerate(starts) if s <= local_start)
                after = window_start + starts[max(0, sentence - SUBJECT_LOOKBACK_SENTENCES)]
                ids = ids if _recent_subject_company(text, window_start, known, start, after) in ids else []
            ids = ids if len(ids) == 2 else []
        else:
            sentence = max(i for i, s in enumerate(starts) if s <= local_start)
            if sentence >= 1:
                window = window_start + starts[sentence - 1]
            else:
                window = window_start - PREVIOUS_SENTENCE_CHARS
            # 彼らは/彼らが: like 同社, the company the sentences before are about (their topic), not the last
            # company named: 「Aは…。B、CといったX との契約に加え、今回のDとの提携は、彼らが…」 彼ら is A.
            ids = _subject_group(text, window_start, known, start, window) \
                if text[local_end:local_end + 1] in ("は", "が") else []
            ids = ids or _recent_companies(mentions, start, after=window)[:2]
        if ids:
            results.append((start, end, ids))
    return results


# ---------------------------------------------------------------------------------------------
# Japanese surnames: 孫氏 after 孫正義, フアン氏 after ジェンスン・フアン.

# What follows a surname standing for a person (孫氏, 劉会長, フアンCEO); a bare kanji surname needs one.
_JA_AFTER_SURNAME = re.compile(r"氏|さん|会長|社長|副社長|最高経営責任者|CEO|ＣＥＯ|首相|大統領|知事|議長|董事長|創業者|代表")
_KANJI = re.compile(r"[\u4e00-\u9fff々]+")
_KATAKANA_CHAR = re.compile(r"[\u30a1-\u30fa\u30fc]")


def ja_surnames(name: str) -> tuple[str, ...]:
    """The forms a Japanese article shortens a person's full name to: the last part of a katakana name
    (ジェンスン・フアン → フアン) or a leading part of a kanji name (孫正義 → 孫; 豊田章男 → 豊田, 豊)."""
    name = unicodedata.normalize("NFKC", name).strip()
    if "・" in name or "=" in name:
        last = re.split(r"[・=]", name)[-1]
        return (last,) if len(last) >= 2 else ()
    if _KANJI.fullmatch(name) and 2 <= len(name) <= 5:
        return tuple(name[:k] for k in range(len(name) - 1, 0, -1))
    return ()


def link_ja_surnames(text: str, mentions: list, passages: list) -> list:
    """Japanese, article level: a surname after a person's full name is that person (孫氏 is 孫正義, フアン氏 is
    ジェンスン・フアン, デルガド is マリア・デルガド), as kb.entities.en_names.link_article_names does for English.

    A mention the tagger found alone for the surname is re-pointed; an occurrence followed by 氏, さん or a title
    (会長, 社長, CEO …) that nobody found is added. A surname two people of the article share is left alone, and
    only occurrences after the full name count. `mentions` are resolved kb.records.Mention (article offsets).
    """
    from kb.records import Mention

    full: dict[str, object] = {}
    first: dict[str, int] = {}
    clash: set[str] = set()
    for m in sorted(mentions, key=lambda m: (m.start, m.end)):
        if m.entity.type != "person" or m.source in ("coref", "alias"):
            continue
        for short in ja_surnames(m.text):
            if short == unicodedata.normalize("NFKC", m.text):
                continue
            if short in full and full[short].id != m.entity.id:
                clash.add(short)
            full.setdefault(short, m.entity)
            first.setdefault(short, m.end)
    for short in clash:
        full.pop(short, None)
    if not full:
        return mentions
    out, taken = [], []
    for m in mentions:
        target = full.get(unicodedata.normalize("NFKC", m.text))
        if target is not None and m.source in ("ner", "rule") and m.start >= first[unicodedata.normalize("NFKC", m.text)]:
            m = Mention(m.start, m.end, m.text, "person", target, "alias", m.passage_idx)
        out.append(m)
        taken.append((m.start, m.end))
    starts = [p.start for p in passages]
    for short, target in full.items():
        for hit in re.finditer(re.escape(short), text):
            s, e = hit.span()
            if s < first[short] or any(a < e and s < b for a, b in taken):
                continue
            before = text[s - 1] if s else ""
            if _KATAKANA_CHAR.match(short[0]):
                if before and (_KATAKANA_CHAR.match(before) or before == "・") or \
                        e < len(text) and _KATAKANA_CHAR.match(text[e]):
                    continue
            elif before and _KANJI.match(before) or not _JA_AFTER_SURNAME.match(text, e):
                continue
            i = bisect.bisect_right(starts, s) - 1
            if i < 0 or e > passages[i].end:
                continue
            out.append(Mention(s, e, text[s:e], "person", target, "alias", passages[i].idx))
            taken.append((s, e))
    out.sort(key=lambda m: (m.start, m.end, m.entity.id))
    return out


# ---------------------------------------------------------------------------------------------
# SoftBank Group (the investor) or SoftBank Corp. (the telecom): bare ソフトバンク / "SoftBank" by context.

SOFTBANK_GROUP, SOFTBANK_CORP = "company:softbank-group", "company:softbank-corp"
_GROUP_CUES = re.compile(r"スターゲート|Stargate|ビジョン・?ファンド|Vision Fund|OpenAI|オープンAI|孫正義|孫氏|Masayoshi Son|"
                         r"\bSon\b|アーム|\bArm\b|アンペア|Ampere|SB OpenAI|クリスタル|Crystal|投資会社|持ち株会社|"
                         r"investment (?:firm|group|conglomerate)|conglomerate|holding company")
_TELECOM_CUES = re.compile(r"通信|携帯|モバイル|スマートフォン|スマホ|回線|基地局|5G|PayPay|LINEヤフー|宮川|ワイモバイル|"
                           r"telecom|mobile|wireless|carrier|subscribers|smartphone|Miyakawa|network operator")
_SENTENCE_BOUNDARY = re.compile(r"[。！？\n]|\.(?=\s)")


def _sentence_around(text: str, start: int, end: int) -> str:
    left = max((m.end() for m in _SENTENCE_BOUNDARY.finditer(text, 0, start)), default=0)
    right = _SENTENCE_BOUNDARY.search(text, end)
    return text[left:right.end() if right else len(text)]


def softbank_by_context(text: str, mentions: list) -> list:
    """Bare ソフトバンク or "SoftBank" names the group or the telecom by what its sentence is about: Stargate, the
    Vision Fund, OpenAI, Arm or 孫正義 → SoftBank Group; mobile, telecom, 通信, 携帯 → SoftBank Corp. Without a cue
    in the sentence (or as many of each) the gazetteer's reading stays (ソフトバンク is the telecom, English
    "SoftBank" the group): an article about the group also writes about its telecom in passing. Full names
    (ソフトバンクグループ, SoftBank Corp.) are never changed."""
    gaz = Gazetteer.load()
    group, corp = gaz.get(SOFTBANK_GROUP), gaz.get(SOFTBANK_CORP)
    if group is None or corp is None:
        return mentions
    for m in mentions:
        if m.entity.id not in (SOFTBANK_GROUP, SOFTBANK_CORP) or \
                unicodedata.normalize("NFKC", m.text).strip().lower() not in ("ソフトバンク", "softbank"):
            continue
        sentence = _sentence_around(text, m.start, m.end)
        g, t = len(_GROUP_CUES.findall(sentence)), len(_TELECOM_CUES.findall(sentence))
        if g != t:
            entry = group if g > t else corp
            m.entity = type(m.entity)(entry.id, entry.name, entry.type)
    return mentions


# ---------------------------------------------------------------------------------------------
# A company's reading or short name in brackets after its name (欣興電子（ユニマイクロン）, X(XYZ)) names it
# for the rest of the article.

_READING_AFTER = re.compile(r"[（(]([\u30a1-\u30fa\u30fc・]{3,}|[A-Z][A-Za-z0-9]{1,7})[）)]")
# A press release defines the name it uses from then on inside the bracket after the full one:
# 「…株式会社」（本社：東京都港区、代表取締役：…、以下「ホクト」）. 当社/同社 are not names.
_DEFINED_AFTER = re.compile(r"(?:株式会社|有限会社|合同会社)?[」』.]?[（(][^（）()]{0,160}?以下[、,]?\s*[「『“\"]([^」』”\"「『（）()、。]{2,20})[」』”\"]"
                            r"[^（）()]{0,40}[）)]")
_NOT_DEFINED = {"当社", "同社", "両社", "弊社", "本社", "同グループ"}
# A katakana name whose last word says what kind of company it is (ボルタリス・パワー, ミナト・キャピタル): news goes on
# to write the first word alone.
_GENERIC_TAIL = re.compile(r"([\u30a1-\u30fa\u30fc]{3,})・(?:[\u30a1-\u30fa\u30fc]+・)?(?:パワー|キャピタル|ホールディングス|グループ|"
                           r"テクノロジー|テクノロジーズ|システムズ|エナジー|エネルギー|エレクトロニクス|インダストリーズ|"
                           r"パートナーズ|ネットワークス|ソリューションズ|セミコンダクター|マテリアルズ|ロボティクス|"
                           r"インベストメンツ|マネジメント|ベンチャーズ|ラボ|ラボラトリーズ)")


def link_ja_readings(text: str, mentions: list, passages: list) -> list:
    """Japanese, article level: news introduces a company by its full name with the name it goes by in brackets
    (台湾の欣興電子（ユニマイクロン）, 日本政策投資銀行(DBJ)) and then writes the short one. A later mention of
    that form (which the tagger may type as a person) is the company, and an occurrence nobody found is added.
    Only a company the article resolved (a gazetteer entity or a named company) lends its name; a form two
    companies of the article share is left alone."""
    from kb.records import EntityRef, Mention

    short: dict[str, object] = {}
    first: dict[str, int] = {}
    inside: dict[str, int] = {}  # where the bracket writes the form: that mention is the company too
    clash: set[str] = set()
    for m in sorted(mentions, key=lambda m: (m.start, m.end)):
        if m.entity.type != "company" or not m.entity.id:
            continue
        hit = _READING_AFTER.match(text, m.end) or _DEFINED_AFTER.match(text, m.end)
        tail = None if hit else _GENERIC_TAIL.fullmatch(m.text)
        if tail:
            form = tail.group(1)
            known = Gazetteer.load().lookup(form)
            if known is None or known.id == m.entity.id:
                if form in short and short[form].id != m.entity.id:
                    clash.add(form)
                short.setdefault(form, m.entity)
                first.setdefault(form, m.end)
                inside.setdefault(form, m.end)
            continue
        if not hit or hit.group(1) in _NOT_DEFINED or unicodedata.normalize("NFKC", hit.group(1)) == unicodedata.normalize("NFKC", m.text):
            continue
        form = hit.group(1)
        known = Gazetteer.load().lookup(form)
        if known is not None and known.id != m.entity.id:
            continue  # マイクロン（アメリカ）: a place or another entity the bracket names, not a short name
        if form in short and short[form].id != m.entity.id:
            clash.add(form)
        short.setdefault(form, m.entity)
        first.setdefault(form, hit.end())
        inside.setdefault(form, hit.start(1))
    for form in clash:
        short.pop(form, None)
    if not short:
        return mentions
    out, taken = [], []
    for m in mentions:
        target = short.get(m.text)
        if target is not None and m.start >= inside[m.text] and m.entity.id != target.id:
            m = Mention(m.start, m.end, m.text, "company", EntityRef(target.id, target.name, "company"), "alias",
                        m.passage_idx)
        out.append(m)
        taken.append((m.start, m.end))
    starts = [p.start for p in passages]
    for form, target in short.items():
        for hit in re.finditer(re.escape(form), text):
            s, e = hit.span()
            if s < first[form] or any(a < e and s < b for a, b in taken):
                continue
            # the form goes on in a longer word: katakana after katakana, a letter or digit after a Latin form
            # (a figure after a kanji form is no part of it: 北斗60％)
            edge = _KATAKANA_CHAR if _KATAKANA_CHAR.match(form[0]) else \
                re.compile(r"[A-Za-z0-9]") if form[0].isascii() else re.compile(r"[A-Za-z\u4e00-\u9fff]")
            if s and (edge.match(text[s - 1]) or text[s - 1] == "・") or e < len(text) and edge.match(text[e]):
                continue
            i = bisect.bisect_right(starts, s) - 1
            if i < 0 or e > passages[i].end:
                continue
            out.append(Mention(s, e, form, "company", EntityRef(target.id, target.name, "company"), "alias",
                               passages[i].idx))
            taken.append((s, e))
    out.sort(key=lambda m: (m.start, m.end, m.entity.id))
    return out


# 北斗マテリアルズ … 北斗は: Japanese news shortens a company's name to its part before the script changes (a kanji
# name before its katakana business word, a katakana name before its kanji one: 北斗マテリアルズ → 北斗, ホクト電機 →
# ホクト), written alone before a particle.
_SCRIPT_PREFIX_RE = re.compile(r"([\u4e00-\u9fff々]{2,4})[\u30a1-\u30fa\u30fc・]{3,}|([\u30a1-\u30fa\u30fc]{3,8})[\u4e00-\u9fff]{2,4}")
_PARTICLE_AFTER = re.compile(r"(?:は|が|の|と|も|に|を|や|から|へ|、)")


def link_ja_prefixes(text: str, mentions: list, passages: list) -> list:
    """Japanese, article level: a later 北斗 (before a particle) after the company 北斗マテリアルズ is that company;
    an occurrence nobody found is added, one another entity took is left alone, and a prefix two companies of
    the article share (or that names a known entity of its own) links nothing."""
    from kb.records import EntityRef, Mention

    short: dict[str, object] = {}
    first: dict[str, int] = {}
    clash: set[str] = set()
    for m in sorted(mentions, key=lambda m: (m.start, m.end)):
        if m.entity.type != "company" or not m.entity.id or m.source in ("coref", "alias"):
            continue
        hit = _SCRIPT_PREFIX_RE.fullmatch(unicodedata.normalize("NFKC", m.text))
        if not hit:
            continue
        form = hit.group(1) or hit.group(2)
        if Gazetteer.load().lookup(form) is not None:
            continue
        if form in short and short[form].id != m.entity.id:
            clash.add(form)
        short.setdefault(form, m.entity)
        first.setdefault(form, m.end)
    for form in clash:
        short.pop(form, None)
    if not short:
        return mentions
    out = list(mentions)
    taken = [(m.start, m.end) for m in mentions]
    starts = [p.start for p in passages]
    for form, target in short.items():
        for hit in re.finditer(re.escape(form), text):
            s, e = hit.span()
            if s < first[form] or not _PARTICLE_AFTER.match(text, e) or any(a < e and s < b for a, b in taken):
                continue
            if s and re.match(r"[\u4e00-\u9fff々\u30a1-\u30fa\u30fc]", text[s - 1]):
                continue  # inside a longer word
            i = bisect.bisect_right(starts, s) - 1
            if i < 0 or e > passages[i].end:
                continue
            out.append(Mention(s, e, form, "company", EntityRef(target.id, target.name, "company"), "alias",
                               passages[i].idx))
            taken.append((s, e))
    out.sort(key=lambda m: (m.start, m.end, m.entity.id))
    return out
