"""Japanese claims from GiNZA's dependency parse: bunsetu, their case markers, and trigger words.

A trigger word (投資, 提携, 製造…) sits in a bunsetu T. Arguments are entity mentions whose
bunsetu attaches to T or to the predicates T is an argument of (提携を発表, 投資する計画): the
が/は-marked one is the subject, と/に/で/を/から-marked ones fill the other roles. Conjuncts
(AとBは, A、B、Cで) share the marker of the last conjunct.

Beyond one clause: a clause with no overt subject or topic takes the company the sentences before are
about (`_topic`, a zero subject: Xは, or a sentence-initial X側から見ると / Xにとって; a topic that is the company's
own business, 電池事業は, stands for it); members of a list closed by といった take the role of the noun after
it (A、BといったN1やN2との契約); a relative clause on T (AがBと結んだ契約) states T's event; a が-subject of
a speech verb above T is the speaker and an outlet (…と、Xが報じた) is never the actor. Building or running
a site is an investment in each place (`_site`, with the state written before a county or city); the
direction of money (Bから出資を受け), each subject's own amount (AがX、BがY), the maker of a deployed
product (B製GPU, BのTPU), stakes (Bの株式の10%), 傘下に収め/親会社, joint ventures split equally and
denied reports (…との報道を否定) each have their construction below. Modality, polarity and attribution
stay one shared step after the finders (`sentence_claims`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from kb.claims import ja_stats
from kb.claims.base import (ATTRIBUTION_TYPES, OBJECT_TYPES, ORG_TYPES, PLACE_TYPES, SUBJECT_TYPES, Ment, Sentence,
                            checked_patterns, known_affiliation, make_claim, pick_modality, shift_amount,
                            speaker_to_organization)
from kb.records import Claim

# The tables below are grammar, not lexicon: case markers and list particles (closed classes of function
# words), UD labels and parts of speech, negative auxiliaries. Every open-class word list (triggers, verbs,
# nouns, cue phrases) comes from claim_patterns/ja.yaml.
# Case markers (the function words closing a bunsetu) mapped to argument roles.
ROLE_OF_MARKER = {
    "は": "subj", "が": "subj", "も": "subj", "では": "at", "としては": "subj",
    "と": "with", "とは": "with", "とも": "with", "との": "with", "と共に": "with", "とともに": "with",
    "に": "to", "へ": "to", "には": "to", "への": "to", "にも": "to", "に対し": "to", "に対して": "to",
    "に対する": "to", "に対しては": "to", "向け": "for", "向けに": "for", "向けの": "for", "のために": "for",
    "で": "at", "での": "at", "でも": "at", "にある": "at", "において": "at", "における": "at",
    "を": "obj", "の": "of", "から": "from", "より": "from", "からの": "from", "からは": "from", "からも": "from",
    "によると": "source", "によれば": "source", "による": "source",
}
CONJ_MARKERS = {"", "と", "や", "及び", "および", "、", "・", "並びに", "ならびに"}
# A list closed by など/といった (A、BなどのX, A、BといったX) attaches like the plain marker.
LIST_CLOSERS = ("などの", "などで", "などに", "などを", "などが", "などは", "など", "といった", "のような")
LIST_CLOSER_MARKER = {"などの": "の", "などで": "で", "などに": "に", "などを": "を", "などが": "が", "などは": "は",
                      "など": "", "といった": "の", "のような": "の"}
# List closers that exemplify the noun after them (A、BといったX: A and B are X's members), so the list takes X's role.
EXEMPLIFYING = ("といった", "のような")
# Entity types that can stand in one list (テキサス州、オハイオ州 / 鴻海やOpenAI).
LIST_CLASSES = (frozenset({"country", "state", "city", "place"}),
                frozenset({"company", "organization", "government", "project"}))
# A bunsetu attaches through these dependency labels to a predicate that still describes T's event.
SAME_EVENT_DEPS = {"obj", "acl", "compound", "nmod", "ccomp", "nsubj", "csubj"}
FUNCTION_POS = {"ADP", "SCONJ", "PART", "AUX", "PUNCT", "SYM", "CCONJ"}
NEGATION_AUX = {"ない", "ず", "ぬ", "ん"}
# Case markers of a verb's argument, never of a noun's modifier (that takes の): a bunsetu with one attached
# to a bare amount (工場に|20億ドルを) is the amount's predicate's argument.
AMOUNT_SKIP_MARKERS = {"に", "へ", "には", "で", "では", "にも", "でも"}

# Every key of ja.yaml (a mapping of lists, such as triggers, contributes "mapping.list"); _Lexicon reads each.
PATTERN_KEYS = frozenset({
    "triggers.investment", "triggers.partnership", "triggers.manufacturing", "triggers.contract", "triggers.ownership",
    "triggers.statistic",
    "joint_venture", "supplier_subject", "buyer_to_only", "supplier_to", "ownership_relational", "holder_relational",
    "facility_words", "share_of_whole", "role_titles", "former_prefixes", "speech_verbs", "reported", "opinion",
    "hedged", "forecast", "planned", "negating_verbs", "not_negation_before", "disclosure_verbs", "funding_nouns",
    "holding_verbs", "annual_prefix", "amount_qualifiers",
    "site_verbs", "conversion_verbs", "site_nouns", "investor_nouns", "receive_verbs", "bring_under_verbs",
    "parent_nouns", "share_nouns", "purchase_verbs", "stake_nouns", "maker_suffixes", "deploy_verbs", "leading_verbs",
    "report_words", "equal_share_words", "topic_frames", "segment_nouns", "time_topics",
    "follow_up_amounts.investment", "follow_up_amounts.contract", "follow_up_amounts.any", "whole_share_words",
    "not_event_after", "follow_up_stake_nouns", "purpose_nouns", "customer_nouns", "supplier_nouns", "denial_verbs",
    "subsidy_words", "acquisition_verbs", "phase_nouns", "phase_words", "delivery_verbs", "frame_topics",
})


@dataclass
class Bunsetu:
    """One bunsetu: character span, content span (before the function words) and its case marker."""

    i: int
    start: int
    end: int
    content_end: int
    marker: str
    head: int
    tokens: list
    dep: str
    closer: str = ""  # the list closer the content ended in (A、BといったN: といった)


@dataclass
class Arg:
    """An entity mention as an argument of one trigger."""

    ment: Ment
    role: str
    depth: int
    group: int  # bunsetu index of the conjunct group's last member


@dataclass
class Parse:
    """The bunsetu structure of one sentence and where its mentions sit in it."""

    sent: Sentence
    bun: list[Bunsetu]
    ment_bun: list[int] = field(default_factory=list)
    eff: list[int] = field(default_factory=list)


def _alt(words) -> str:
    return "|".join(map(re.escape, words))


class _Lexicon:
    """ja.yaml compiled: the word lists and patterns every finder uses, built once."""

    def __init__(self, p: dict):
        self.surface_type: dict[str, str] = {}
        for type_, words in p["triggers"].items():
            for w in words:
                self.surface_type.setdefault(w, type_)
        self.trigger_re = re.compile("|".join(sorted(map(re.escape, self.surface_type), key=len, reverse=True)))
        self.titles: dict[str, str] = p["role_titles"]
        self.former_prefixes = tuple(p["former_prefixes"])
        one = "|".join(sorted(map(re.escape, self.titles), key=len, reverse=True))
        self.title_re = rf"(?:{_alt(self.former_prefixes)})?(?:{one})(?:兼(?:{one}))*(?:\s*[（(](?:{one})[)）])?"
        self.joint_venture: list[str] = p["joint_venture"]
        self.supplier_subject: list[str] = p["supplier_subject"]
        self.buyer_to_only: list[str] = p["buyer_to_only"]
        self.supplier_to: list[str] = p["supplier_to"]
        self.ownership_relational: list[str] = p["ownership_relational"]
        self.holder_relational: list[str] = p["holder_relational"]
        self.facility_words: list[str] = p["facility_words"]
        self.delivery_verbs: list[str] = p["delivery_verbs"]
        self.share_of_whole: list[str] = p["share_of_whole"]
        self.cues = {k: p[k] for k in ("opinion", "reported", "hedged", "forecast", "planned")}
        self.speech_verbs: list[str] = p["speech_verbs"]
        self.negating_verbs: list[str] = p["negating_verbs"]
        self.not_negation_before = frozenset(p["not_negation_before"])
        self.disclosure_verbs: list[str] = p["disclosure_verbs"]
        self.funding_nouns = "|".join(map(re.escape, sorted(p["funding_nouns"], key=len, reverse=True)))
        self.holding_verbs: list[str] = p["holding_verbs"]
        qualifier = _alt(p["amount_qualifiers"])
        self.amount_qualifiers = frozenset(p["amount_qualifiers"])
        self.site_verbs: list[str] = p["site_verbs"]
        self.site_nouns: list[str] = p["site_nouns"]
        self.conversion_verbs: list[str] = p["conversion_verbs"]
        self.investor_nouns: list[str] = p["investor_nouns"]
        self.subsidy_words: list[str] = p["subsidy_words"]
        self.acquisition_verbs: list[str] = p["acquisition_verbs"]
        self.receive_verbs: list[str] = p["receive_verbs"]
        self.bring_under_verbs: list[str] = p["bring_under_verbs"]
        self.parent_nouns: list[str] = p["parent_nouns"]
        self.share_re = re.compile(rf"^(?:[^、。をはがにの]{{0,6}}?)の(?:[^、。をはがに]{{0,8}}?)(?:{_alt(p['share_nouns'])})")
        self.purchase_verbs: list[str] = p["purchase_verbs"]
        self.stake_nouns: list[str] = p["stake_nouns"]
        self.maker_suffixes: list[str] = p["maker_suffixes"]
        self.deploy_verbs: list[str] = p["deploy_verbs"]
        self.lead_re = rf"(?:{_alt(p['leading_verbs'])})"
        self.report_words: list[str] = p["report_words"]
        self.equal_share_re = re.compile(_alt(p["equal_share_words"]))
        self.topic_frame_re = re.compile(rf"\s*(?:{_alt(sorted(p['topic_frames'], key=len, reverse=True))})")
        self.segment_re = re.compile(rf"(?:{_alt(p['segment_nouns'])})$")
        # 今後は / 2026年は / 10月には: when, not who (dates are numerals with 年/月/日/期: grammar).
        self.time_topic_re = re.compile(rf"(?:{_alt(p['time_topics'])}|[0-9０-９]+\s*(?:年度?|月|日|期)(?:末|中|内)?"
                                        rf"|{_alt(p['frame_topics'])})$")
        self.not_event_after = tuple(p["not_event_after"])
        self.purpose_nouns = frozenset(p["purpose_nouns"])
        self.customer_nouns: list[str] = p["customer_nouns"]
        self.supplier_nouns: list[str] = p["supplier_nouns"]
        self.denial_verbs: list[str] = p["denial_verbs"]
        self.stake_noun_re = re.compile(rf"(?:{_alt(sorted(p['follow_up_stake_nouns'], key=len, reverse=True))})は")
        self.whole_share_re = re.compile(rf"({_alt(p['whole_share_words'])})(?:を|で)?$")
        self.report_re = re.compile(rf"との[^。、]{{0,4}}(?:{_alt(self.report_words)})")
        self.follow_up_type = {w: type_ for type_, words in p["follow_up_amounts"].items() for w in words}
        # 第1期の / 当初の / 同工場の / 新データセンターの before a size noun: a phase or the site just named, not another thing
        sites = _alt(sorted(p["facility_words"] + p["site_nouns"], key=len, reverse=True))
        self.follow_up_phase_re = re.compile(
            rf"(?:^|(?<=[、。\s]))(?:第\s*[0-9０-９一二三四五六七八九十]+\s*(?:{_alt(p['phase_nouns'])})|{_alt(p['phase_words'])}"
            rf"|[同新](?:{sites}))の$")
        sizes = sorted(list(self.follow_up_type) + p["follow_up_stake_nouns"], key=len, reverse=True)
        self.size_topic_re = re.compile(rf"(?:{_alt(sizes)})$")
        self.follow_up_re = re.compile(rf"(?:{_alt(sorted(self.follow_up_type, key=len, reverse=True))})(?=は)")
        # 来年/今年/昨年 name a year, they do not make an amount annual (a closed class of deictic prefixes).
        self.annual = re.compile(rf"(?<![来今昨翌前同])(?:{_alt(p['annual_prefix'])})\s*(?:で|に)?\s*(?:{qualifier})?\s*$")
        self.not_annual = re.compile(rf"[0-9０-９]\s*年\s*(?:間)?\s*(?:で|に)?\s*(?:{qualifier})?\s*$")


@functools.lru_cache(maxsize=None)
def _lexicon() -> _Lexicon:
    return _Lexicon(checked_patterns("ja", PATTERN_KEYS | ja_stats.PATTERN_KEYS))


def normalize_title(surface: str) -> str:
    """会長兼社長 → 'chairman and president'; 最高経営責任者（CEO） → 'CEO'."""
    titles = _lexicon().titles
    surface = re.sub(r"\s*[（(].*?[)）]", "", surface)
    return " and ".join(titles.get(part, part) for part in surface.split("兼"))


def _parse(sent: Sentence) -> Parse | None:
    import ginza

    try:
        spans = ginza.bunsetu_spans(sent.doc)
    except Exception:  # a doc without a parse (cache from another pipeline) yields no structure
        return None
    if not spans:
        return None
    tok_bun = {}
    for i, sp in enumerate(spans):
        for t in sp:
            tok_bun[t.i] = i
    bun = []
    for i, sp in enumerate(spans):
        toks = list(sp)
        k = len(toks)
        while k > 1 and (toks[k - 1].pos_ in FUNCTION_POS or toks[k - 1].dep_ in ("case", "fixed", "mark")):
            k -= 1
        content_end = toks[k - 1].idx + len(toks[k - 1].text)
        rest = toks[k:]
        # A name the parser split into function words (…州マウントプレザントで: a "mark") is content up to its end.
        named_end = max((m.end for m in sent.mentions if sp.start_char <= m.start and content_end < m.end <= sp.end_char),
                        default=content_end)
        if named_end > content_end:
            content_end = named_end
            rest = [t for t in toks if t.idx >= content_end]
        marker = "".join(t.text for t in rest if t.pos_ not in ("PUNCT", "SYM") and t.text not in "「」『』")
        if not marker and any(t.text in "、，," for t in rest):
            marker = "、"
        content_text = sent.text[sp.start_char:content_end]
        closed = ""
        for closer in LIST_CLOSERS:
            if (marker or "").startswith(closer) or content_text.endswith(closer) and marker in ("", "、"):
                if content_text.endswith(closer):
                    content_end -= len(closer)
                marker = LIST_CLOSER_MARKER[closer] + marker[len(closer):] if marker.startswith(closer) else \
                    LIST_CLOSER_MARKER[closer] + marker
                closed = closer
                break
        head = tok_bun.get(sp.root.head.i, i)
        bun.append(Bunsetu(i, sp.start_char, sp.end_char, content_end, marker, -1 if head == i else head,
                           toks, sp.root.dep_, closed))
    # …を少なくとも10ギガワット分導入: a qualifier of an amount (少なくとも, 最大) takes no arguments; what the
    # parser hung on it belongs to the predicate it modifies.
    qualifiers = _lexicon().amount_qualifiers
    for b in bun:
        h = b.head
        while h >= 0 and bun[h].head >= 0 and sent.text[bun[h].start:bun[h].end].strip("、 　") in qualifiers:
            h = bun[h].head
        b.head = h
    # Pの工場に|20億ドルを|投じ: a case-marked phrase (に, で, へ) cannot modify a bare noun without の, so one the
    # parser hung on a bunsetu that is only an amount with its own case marker is an argument of that amount's head.
    for b in bun:
        h = b.head
        if h < 0 or b.marker not in AMOUNT_SKIP_MARKERS or bun[h].head < 0 or bun[h].marker not in ("を", "で") \
                or _is_predicate(bun[h]):
            continue
        if any(bun[h].start <= a.start and a.end <= bun[h].content_end <= a.end + 2
               and not sent.text[bun[h].start:a.start].strip() for a in sent.amounts):
            b.head = bun[h].head
    # Bと、…について…契約を結んだ: a と-phrase set off by a comma is no conjunct of the case-marked noun after it
    # (a conjunct shares that noun's marker; this one is the predicate's partner).
    ment_ends = {m.end for m in sent.mentions}
    for b in bun:
        h = b.head
        if b.marker != "と" or "、" not in sent.text[b.content_end:b.end] or h < 0 or bun[h].head < 0 \
                or any(t.pos_ == "VERB" and t.idx < bun[h].content_end for t in bun[h].tokens) \
                or bun[h].marker in ("", "の", "と", "、", "や") \
                or any(bun[h].start < e <= bun[h].content_end for e in ment_ends):
            continue
        b.head = bun[h].head
    parse = Parse(sent, bun)
    parse.ment_bun = [_bun_at(bun, m.end - 1) for m in sent.mentions]
    has_ment = set(parse.ment_bun)
    for b in parse.ment_bun:
        parse.eff.append(_effective(bun, b, has_ment))
    _join_lists(parse)
    # A、B、Cの3社は / AとBの両社が: the list is the companies the count noun after の sums up, and takes its marker.
    with_ment = set(parse.ment_bun)
    for k, e in enumerate(parse.eff):
        h = bun[e].head
        if bun[e].marker == "の" and h >= 0 and h not in with_ment and \
                re.fullmatch(r"\s*(?:[0-9０-９]+|[二三四五六七八九十]|両)\s*社", sent.text[bun[h].start:bun[h].content_end]):
            parse.eff[k] = h
    return parse


def _join_lists(parse: Parse) -> None:
    """Members of a written list (A、B、CとD) share the last member's marker even when the parser
    attached them elsewhere (a long list of states often hangs off a later noun)."""
    ments = parse.sent.mentions
    for k in range(len(ments) - 2, -1, -1):
        nxt = next((j for j in range(k + 1, len(ments)) if ments[j].start >= ments[k].end), None)
        if nxt is None or parse.ment_bun[k] == parse.ment_bun[nxt]:
            continue
        gap = parse.sent.text[ments[k].end:ments[nxt].start]
        same_class = any(ments[k].entity.type in c and ments[nxt].entity.type in c for c in LIST_CLASSES)
        if same_class and re.fullmatch(r"\s*(?:[、，,・]|や|と|及び|および|並びに|ならびに)\s*", gap):
            parse.eff[k] = parse.eff[nxt]
            continue
        # A、Bと、UAEの投資会社C: the next member of the class may come with a description (…の + noun).
        cls = next((c for c in LIST_CLASSES if ments[k].entity.type in c), None)
        j = next((j for j in range(nxt, len(ments)) if cls and ments[j].entity.type in cls and ments[j].start >= ments[k].end), None)
        gap = parse.sent.text[ments[k].end:ments[j].start] if j is not None else ""
        if j is not None and re.fullmatch(r"\s*(?:[、，,・]|や|と|及び|および)+\s*(?:[^、。はがをにでと]{0,16}の)?[^、。はがをにでの]{0,10}",
                                          gap):
            parse.eff[k] = parse.eff[j]
        # …, or a trade set off by commas (A、台湾の後工程受託大手、C): nouns only, no clause (…と提携した大手、C).
        elif j is not None and re.fullmatch(r"\s*[、，,]\s*(?:[^、。\u3041-\u3096]{1,8}の)?[^、。\u3041-\u3096]{0,14}"
                                            r"(?:大手|メーカー|企業|会社|事業者|新興|ファンド)\s*[、，,]\s*", gap):
            parse.eff[k] = parse.eff[j]


def _bun_at(bun: list[Bunsetu], pos: int) -> int:
    for b in bun:
        if b.start <= pos < b.end:
            return b.i
    return len(bun) - 1


def _effective(bun: list[Bunsetu], b: int, has_ment: set[int]) -> int:
    """The last conjunct of b's coordination (AとBは, A、B、Cで), whose marker b shares."""
    seen = set()
    while b not in seen:
        seen.add(b)
        h = bun[b].head
        if bun[b].marker in CONJ_MARKERS and h > b and h in has_ment and bun[h].content_end - bun[h].start <= 40:
            b = h
            continue
        break
    return b


def _chain(bun: list[Bunsetu], t: int) -> list[int]:
    out = [t]
    while bun[out[-1]].head >= 0 and bun[out[-1]].head not in out:
        out.append(bun[out[-1]].head)
    return out


def _event_chain(bun: list[Bunsetu], t: int) -> list[int]:
    """T and the predicates it is an argument of (提携を→発表, 投資する→見通し, …すると→発表)."""
    out = [t]
    while len(out) < 4:
        b = bun[out[-1]]
        if b.head < 0 or not (b.dep in SAME_EVENT_DEPS or b.marker.endswith("と") or b.marker in ("を", "の", "が", "は")):
            break
        out.append(b.head)
    return out


def _args(parse: Parse, t: int, *, clause_subjects: bool = True) -> list[Arg]:
    """Mentions related to the trigger bunsetu t, with their role and attachment depth; with
    `clause_subjects`, a が-subject of another clause (a relative clause, a later predicate) is left out."""
    bun = parse.bun
    full, event = _chain(bun, t), _event_chain(bun, t)
    # A relative clause on T (OpenAIがBと結んだ契約は) states T's event too: its arguments are T's.
    rel = _relative_clauses(parse, t)
    event = event + [r for r in rel if r not in event]
    out = []
    speakers: list[Arg] = []
    bracketed = _bracketed(parse)
    for k, m in enumerate(parse.sent.mentions):
        b0, e = parse.ment_bun[k], parse.eff[k]
        if k in bracketed:
            continue  # X(東京・中央)は: the seat (or another note) in brackets after a name is not an argument
        last_in_bun = all(parse.ment_bun[j] != b0 or parse.sent.mentions[j].end <= m.end or j in bracketed
                          or _joined(parse.sent.text, m.end, parse.sent.mentions[j].start)
                          for j in range(len(parse.sent.mentions)))
        if b0 == t or e == t:
            out.append(Arg(m, "inside" if b0 == t else ROLE_OF_MARKER.get(bun[e].marker, "other"), 0, e))
            continue
        if not last_in_bun:
            continue
        e = _listed_as(parse, e, event)
        role = ROLE_OF_MARKER.get(bun[e].marker)
        if role == "source" and _agent_of(parse, e) == t:
            out.append(Arg(m, "subj", 0, e))  # XによるYへの投資: X is the investor, not a source
            continue
        if parse.sent.text[m.end:bun[b0].content_end].startswith("向け"):
            role = "for"  # OpenAI向けに: a beneficiary, not the target
        if role is None:
            continue
        if role == "subj":
            node = bun[e].head
            while node >= 0 and node not in full:
                node = bun[node].head
            # A が-subject above T's own event belongs to another clause (…方針で、OpenAIが導入する…);
            # only a topic (Xは) reaches over clauses.
            # A が-subject before T on a predicate T is embedded in (XがYを取得する方向で調整している) is T's too.
            controls = e < t and node == bun[e].head and node > t and not _is_speech(parse, node)
            if clause_subjects and node >= 0 and bun[e].marker == "が" and not controls and (
                    node not in event or bun[e].head not in event and bun[bun[e].head].dep == "acl"):
                continue
            if node >= 0:
                arg = Arg(m, role, 0 if bun[e].head in rel else full.index(node), e)
                out.append(arg)
                if bun[e].marker == "が" and bun[e].head != t and _is_speech(parse, bun[e].head):
                    speakers.append(arg)  # …と佐藤氏が述べた: the speaker, not the actor
        else:
            node, last = _climb(parse, e, event)
            if node not in event and role == "of" and node >= 0 and bun[node].head in event:
                last, node = node, bun[node].head  # Yの株式を取得
            if node in event:
                if role == "of" and last != e:
                    role = "of_" + ROLE_OF_MARKER.get(bun[last].marker, "other")
                    if last == bun[e].head and parse.sent.text.startswith(EXEMPLIFYING, bun[e].content_end):
                        role = role[3:]  # A、BといったメーカーにT: the companies are the メーカー T is done to
                out.append(Arg(m, role, 0 if node in rel else event.index(node), e))
    reporters = [a for a in speakers if any(w in _content_with_marker(parse, bun[a.group].head)
                                               for w in _lexicon().report_words)]
    if speakers and any(a.role == "subj" and a not in speakers for a in out):
        out = [a for a in out if a not in speakers]
    out = [a for a in out if a not in reporters]
    return out


def _bracketed(parse: Parse) -> set[int]:
    """Indexes of the mentions written in brackets right after a company's name in the same bunsetu (北斗化学(東京・中央)は,
    X（本社：大阪市）が): a note on that company (its seat, an alias), so the name before them is the bunsetu's argument."""
    text, ments = parse.sent.text, parse.sent.mentions
    out = set()
    for k, m in enumerate(ments):
        for j, o in enumerate(ments):
            if j == k or parse.ment_bun[j] != parse.ment_bun[k] or o.end > m.start or o.entity.type not in ORG_TYPES:
                continue
            hit = re.match(r"\s*[（(][^（）()]*[)）]", text[o.end:])
            if hit and o.end + hit.end() >= m.end and re.fullmatch(r"\s*[（(][^（）()]*", text[o.end:m.start]):
                out.add(k)
                break
    return out


def _listed_as(parse: Parse, e: int, event: list[int]) -> int:
    """A、BといったN1やN2との契約: members of a list closed by といった/などの/のような are instances of the
    entity-less noun phrase after it (coordinated nouns, N1やN2) and take its role; that phrase's bunsetu, else e."""
    bun = parse.bun
    if bun[e].closer not in ("といった", "などの", "のような") or bun[e].marker != "の":
        return e
    with_ment = set(parse.ment_bun)
    node = bun[e].head
    for _ in range(4):
        if node < 0 or node in with_ment or node in event:
            return e
        marker = bun[node].marker
        if marker in ("や", "、", "・", "及び", "および", "") and bun[node].head > node:
            node = bun[node].head  # N1や → N2
            continue
        role = ROLE_OF_MARKER.get(marker)
        return node if role is not None and role not in ("of", "source") else e
    return e


def _agent_of(parse: Parse, e: int) -> int:
    """The trigger noun an による phrase is the agent of (XによるYへの出資): its bunsetu, else -1."""
    bun = parse.bun
    if bun[e].marker != "による":
        return -1
    node = bun[e].head
    for _ in range(3):
        if node < 0:
            return -1
        if _lexicon().trigger_re.search(_content(parse, node)) and not _is_predicate(bun[node]):
            return node
        if bun[node].marker not in ("の", "への", "との", "からの", ""):
            return -1
        node = bun[node].head
    return -1


def _relative_clauses(parse: Parse, t: int) -> list[int]:
    """Predicates of relative clauses on T's noun (…と結んだ契約, …と結んだ計算資源の契約)."""
    bun = parse.bun
    heads = {t} | {b.i for b in bun if b.head == t and b.marker == "の"}
    return [b.i for b in bun if b.head in heads and b.i < t and b.dep == "acl" and _is_predicate(b)]


def _is_predicate(b: Bunsetu) -> bool:
    return any(tok.pos_ == "VERB" for tok in b.tokens)


def _content_with_marker(parse: Parse, b: int) -> str:
    return parse.sent.text[parse.bun[b].start:parse.bun[b].end]


def _is_speech(parse: Parse, b: int) -> bool:
    bb = parse.bun[b]
    return any(v in parse.sent.text[bb.start:bb.end] for v in _lexicon().speech_verbs)


def _np_reaches(parse: Parse, b: int, t: int, hops: int = 6) -> bool:
    """Whether bunsetu b is inside a noun phrase that is an argument of t (メンフィスの施設を→運営する):
    the path up runs through nouns only, and through no company (台湾の鴻海が: a description)."""
    bun = parse.bun
    with_org = {parse.ment_bun[k] for k, m in enumerate(parse.sent.mentions) if m.entity.type in ORG_TYPES}
    node = b
    for _ in range(hops):
        h = bun[node].head
        if h == t:
            return True
        if h < 0 or _is_predicate(bun[h]) or h in with_org or _lexicon().trigger_re.search(_content(parse, h)):
            return False  # 建設中で、…: another event's noun predicate
        node = h
    return False


# Markdown list items and headings, and questions (…ですか。 …は？): no zero subject in or from them.
# An interviewer's line (――…) puts a premise to the interviewee; it asserts nothing of its own (unless the answer
# denies it, article_discourse).
_INTERVIEWER_LINE = re.compile(r"\s*[―—]{2}")
# An answer that opens denying what it was asked about: 「そうした事実はありません」「そのような計画はない」.
_DENIAL = re.compile(r"\s*「?\s*(?:そうした|そのような|そういった|その)?\s*(?:事実|話|計画|予定|報道)(?:は|も)\s*(?:一切|全く)?\s*"
                     r"(?:ありません|ない|ございません)")
_BLOCK_LINE = re.compile(r"\s*(?:[-*+]\s|#{1,6}\s|\d{1,3}[.)]\s|\*\*|[―—]{2})")
_QUESTION = re.compile(r"(?:(?<![ほ])か|かね)[。？?]?[*」』\s]*$|[？?][*」』\s]*$")  # not …ほか。
_TOPIC_AFTER = re.compile(r"\s*(?:[（(][^）)]{1,24}[)）])?\s*(は|が|も)")
# A cleft (…のが、Xです。): the sentence ends naming the one it is about (grammar: の + が, a copula at the end).
_CLEFT_BEFORE = re.compile(r"のが、?\s*(?:ほかならぬ|まさに|ほかでもない)?\s*[「『]?$")
_CLEFT_AFTER = re.compile(r"[」』]?\s*(?:計画|構想|プロジェクト)?\s*(?:です|だ|である)\s*[。]?\s*$")


def _topic(sent: Sentence, projects: bool = False, at: int | None = None) -> Ment | None:
    """The company the sentences before are about: the nearest は-topic (Xは, Xも) of the last three
    sentences, else the nearest が-subject. A sentence without a subject of its own (…を投資する計画だ)
    is about it (zero subject)."""
    ga = None
    paragraph = (sent.discourse or {}).get("ja_paragraph", {})
    for prev in reversed(sent.context[-3:]):
        if paragraph.get(prev.idx) != paragraph.get(sent.idx) and _discourse_topic(sent) is not None \
                and not _has_own_subject(sent, "はが", at, times=False):
            # a new paragraph: the one before was about its own company; this one goes back to the company the
            # section (## X：…) or the article is about
            return ga or Ment(0, 0, _discourse_topic(sent), "")
        if _BLOCK_LINE.match(prev.text):
            continue  # a list item or heading has a topic of its own
        for m in reversed(prev.mentions):
            if m.entity.type not in ("company", "organization") + (("project",) if projects else ()):
                continue  # a project (Xは…計画だ) is the topic only of what money does
            hit = _TOPIC_AFTER.match(prev.text, m.end)
            if hit is None:
                if _lexicon().topic_frame_re.match(prev.text, m.end) \
                        and re.fullmatch(r"\s*(?:[^、。]{1,6}、)?\s*", prev.text[:m.start]):
                    return Ment(0, 0, m.entity, "")  # X側から見ると、… / Xにとって、…: what the text is about
                if _CLEFT_BEFORE.search(prev.text, 0, m.start) and _CLEFT_AFTER.match(prev.text, m.end):
                    return Ment(0, 0, m.entity, "")  # …の中心にいるのが、Xです: X is what the text goes on about
                continue
            if any(o.start == m.start and o.entity.id != m.entity.id for o in prev.mentions):
                return None  # 両社は…: which of the two a later clause is about is not said
            if hit.group(1) != "が":
                return Ment(0, 0, m.entity, "")
            ga = ga or Ment(0, 0, m.entity, "")
    return ga or _article_topic(sent, at)


def _has_own_subject(sent: Sentence, markers: str = "はがも", at: int | None = None,
                     before: int | None = None, times: bool = True) -> bool:
    """Whether the sentence marks any noun with は/が/も (not では, には, とは): a subject or topic of its own.
    With `at` (a trigger's offset), only the clause of `at` counts: the text up to the first 、 or 。 after it
    (…契約を結んでおり、受注残は…: 受注残は is the next clause's); with `before`, only the text before it.
    With times=False a topic that names no actor is no subject (_no_actor_topic: 現在は, 柱は, Bへの出資比率は)."""
    toks = list(sent.doc) if sent.doc is not None else []
    if not times:
        toks = [tok for tok in toks if not (
            tok.text in ("は", "も") and _no_actor_topic(re.split(r"[、。「」\s]", sent.text[:tok.idx])[-1]))]
    if at is not None:
        # …を検討しているとの報道が: what is reported ends at との
        end = min([i for i in (sent.text.find("、", at), sent.text.find("。", at), sent.text.find("との", at))
                   if i >= 0] or [len(sent.text)])
        toks = [tok for tok in toks if tok.idx < end]
    if before is not None:
        toks = [tok for tok in toks if tok.idx < before]
    return any(tok.text in markers and tok.pos_ == "ADP" and not (k and toks[k - 1].text in ("で", "に", "と"))
               for k, tok in enumerate(toks))


def _no_actor_topic(words: str) -> bool:
    """Whether a topic (the words before は) names no actor: a time or a frame (time_topics, frame_topics, a date),
    or the size or share of a deal (投資額は, Bへの出資比率は: follow_up_amounts, follow_up_stake_nouns)."""
    lx = _lexicon()
    if not words:
        return False
    return bool(lx.time_topic_re.fullmatch(words) or lx.size_topic_re.search(words))


# A company as what a sentence is about: Xは/Xが/Xも, or a nominal sentence that ends naming it (…を持つX。).
_SUBJECT_AFTER = re.compile(r"\s*(?:[（(][^）)]{1,24}[)）])?\s*(?:は|が|も|。)")


def article_discourse(passages: list, mentions: list) -> dict:
    """Article level, for Sentence.discourse: `ja_topic`, the company the article is about (its first subject,
    written alone, when no other company is written as a subject more often), and
    `ja_section_topic`, the company a heading above each passage names (## X：…), and `ja_paragraph`, each
    passage's paragraph."""
    counts: dict[str, int] = {}
    refs: dict[str, object] = {}
    first: set[str] | None = None
    for p in passages:
        if p.kind != "sentence":
            continue
        here = [m for m in mentions if p.start <= m.start < p.end and m.entity is not None]
        for k, m in enumerate(here):
            if m.entity.type != "company" or not _SUBJECT_AFTER.match(p.text, m.end - p.start):
                continue
            if any(o.start == m.start and o.entity.id != m.entity.id for o in here):
                first = first if first is not None else set()
                continue  # 両社は: two companies, neither one is the topic
            # AとBは / A、Bが: every conjunct is the subject
            group = [m]
            for o in reversed(here[:k]):
                if o.entity.type != "company" or not re.fullmatch(r"[）)]?\s*(?:[（(][^）)]{1,24}[)）])?\s*[と、や・]\s*",
                                                                     p.text[o.end - p.start:group[-1].start - p.start]):
                    break
                group.append(o)
            for o in group:
                counts[o.entity.id] = counts.get(o.entity.id, 0) + 1
                refs.setdefault(o.entity.id, o.entity)
            if first is None:
                first = {o.entity.id for o in group}
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    topic = None
    if first is not None and len(first) == 1 and counts[next(iter(first))] >= ranked[0][1]:
        topic = refs[next(iter(first))]  # the article's first subject, alone, and no other company is one more often
    # A heading naming one company (## X：…) opens a section about it; any other heading ends the section.
    section: dict[int, object] = {}
    current = None
    for p in passages:
        if p.kind == "heading":
            named = {m.entity.id: m.entity for m in mentions if p.start <= m.start < p.end and m.entity is not None
                     and m.entity.type == "company"}
            current = next(iter(named.values())) if len(named) == 1 else None
        section[p.idx] = current
    # ――Xへの出資を検討しているとの報道がありました。「そうした事実はありません」: the answer denies the premise.
    body = [p for p in passages if p.kind == "sentence"]
    denied = {p.idx for p, q in zip(body, body[1:]) if _INTERVIEWER_LINE.match(p.text) and _DENIAL.match(q.text)}
    return {"ja_topic": topic, "ja_section_topic": section, "ja_paragraph": {p.idx: p.paragraph for p in passages},
            "ja_denied_premise": denied}


def _denied_premise(sent: Sentence) -> bool:
    """Whether the sentence is an interviewer's premise the answer after it denies (article_discourse)."""
    return sent.idx in (sent.discourse or {}).get("ja_denied_premise", ())


def _discourse_topic(sent: Sentence):
    """The company of the section the sentence is in (a heading naming it), else of the whole article."""
    d = sent.discourse or {}
    return d.get("ja_section_topic", {}).get(sent.idx) or d.get("ja_topic")


def _article_topic(sent: Sentence, at: int | None = None) -> Ment | None:
    """The company the whole article is about (article_discourse), as the zero subject of a sentence that marks
    nothing with は/が/も (研究開発では、Xと提携した / 「…に基板を供給しています」) and whose sentences before name
    no company that is its topic."""
    ref = _discourse_topic(sent)
    if ref is None or _has_own_subject(sent, at=at, times=False):
        return None
    return Ment(0, 0, ref, "") if ref is not None else None


def _zero_subject(parse: Parse, args: list[Arg], t: int, projects: bool = False) -> list[Ment]:
    """[the topic company] when T's clause has no subject at all, else []."""
    if any(a.role == "subj" for a in args) or _BLOCK_LINE.match(parse.sent.text) and not _denied_premise(parse.sent):
        return []
    bun = parse.bun
    event = _event_chain(bun, t)[:2]
    if any(tok.lemma_ in ("れる", "られる") for tok in bun[t].tokens):
        return []  # 拠点が建設される: a passive names what is built, not who builds
    # The sentence's own topic (Xは at its start) when the parse did not attach it to T.
    for k, mm in enumerate(parse.sent.mentions):
        b = parse.bun[parse.eff[k]]
        if (b.marker == "は" or re.match(r"(?:を巡って|をめぐって|について|に関して)は", parse.sent.text[mm.end:])) \
                and mm.entity.type in ("company", "organization") \
                and not re.search(r"[、。]", parse.sent.text[:mm.start]) and parse.eff[k] < t:
            return [mm]  # Xは… / Xを巡っては…: what the sentence is about
    described = _described_subject(parse, t, event)
    if described is not None:
        return [described]
    overt = [b for b in bun if (b.head in event and b.i != t and b.marker in ("は", "が")
                                or b.i < t and b.marker in ("は", "が", "も"))
             and not (b.marker == "が" and _in_concessive(parse, b.i, t)) and not _time_topic(parse, b)
             and not (b.i > t and b.marker == "は" and _content(parse, b.i) in _lexicon().follow_up_type)]
    # A joint business (合弁事業は) is not one company's: a trigger in the topic keeps it an actor of its own.
    segments = [b for b in overt if _lexicon().segment_re.search(_content(parse, b.i))
                and not _lexicon().trigger_re.search(_content(parse, b.i))]
    for b in segments:
        # Xの電池事業は…を投資する: the company whose business the topic is.
        owner = [mm for k, mm in enumerate(parse.sent.mentions) if bun[parse.eff[k]].head == b.i
                 and bun[parse.eff[k]].marker == "の" and mm.entity.type in ("company", "organization")]
        if owner:
            return owner[:1]
    if any(b not in segments for b in overt):
        return []  # an overt subject or topic that is not a named entity (投資家は, 拠点が, 政府は…)
    topic = _topic(parse.sent, projects, at=bun[t].start)
    return [topic] if topic is not None else []


def _in_concessive(parse: Parse, b: int, t: int) -> bool:
    """Whether bunsetu b is inside a clause closed before T by a conjunctive particle (…が好調だったが、 /
    …けれど、 / …ものの、): a が-subject there is that clause's, not T's (a は-topic reaches over it)."""
    bun = parse.bun
    node = bun[b].head
    for _ in range(4):
        if node < 0 or node >= t:
            return False
        if any(tok.pos_ == "SCONJ" and tok.text in ("が", "けれど", "けれども", "けど", "ものの")
               for tok in bun[node].tokens):
            return True
        node = bun[node].head
    return False


def _time_topic(parse: Parse, b: Bunsetu) -> bool:
    """今年は, 2024年は, 今後は, 10月には: a time set as the topic, not who acts — words of time_topics and dates
    (a numeral with 年/月/日/期) marked は/も, or any bunsetu whose words are all nouns that are also adverbs,
    numerals and their counters."""
    if b.marker in ("は", "も") and _lexicon().time_topic_re.fullmatch(_content(parse, b.i)):
        return True
    content = [tok for tok in b.tokens if tok.pos_ not in FUNCTION_POS]
    return bool(content) and all("副詞可能" in tok.tag_ or tok.pos_ == "NUM" or "助数詞" in tok.tag_ for tok in content)


def _described_subject(parse: Parse, t: int, event: list[int]) -> Ment | None:
    """A subject written as a description the article gave a company before (台湾の電子機器大手、Xは… →
    電子機器大手は…): that company, when the description named only one."""
    bun = parse.bun
    with_ment = set(parse.ment_bun)
    for b in bun:
        if b.i in with_ment or b.marker not in ("は", "が") or not (b.head in event or b.i < t):
            continue
        desc = _content(parse, b.i)
        if len(desc) < 4:
            continue
        found = {}
        for prev in tuple(parse.sent.context) + (parse.sent,):
            limit = b.start if prev is parse.sent else len(prev.text)
            for m in prev.mentions:
                if m.entity.type in ORG_TYPES and m.end <= limit and \
                        re.search(rf"{re.escape(desc)}[、，\s]*(?:[（(][^）)]{{1,20}}[)）])?$", prev.text[:m.start]):
                    found[m.entity.id] = m
        if len(found) == 1:
            m = next(iter(found.values()))
            return Ment(0, 0, m.entity, "")
    return None


def _with_states(parse: Parse, places: list[Ment]) -> list[Ment]:
    """Places, each county or city followed by the state written before it (テキサス州ミラム郡 → both)."""
    out = list(places)
    for p in places:
        for q in parse.sent.mentions:
            if q.entity.type == "state" and q.end <= p.start and not parse.sent.text[q.end:p.start].strip() \
                    and p.entity.type != "state" and all(o.entity.id != q.entity.id for o in out):
                out.append(q)
    return out


def _climb(parse: Parse, e: int, event: list[int]) -> tuple[int, int]:
    """Walk from an argument bunsetu up through の-phrases (オラクルと3000億ドル規模の契約) and one
    entity-less adverbial (アンソロピックに追加で出資) to T's event; returns (node reached, last bunsetu)."""
    bun = parse.bun
    with_ment = set(parse.ment_bun)
    last, node, adverbial = e, bun[e].head, False
    for _ in range(4):
        if node < 0 or node in event:
            break
        b = bun[node]
        if b.marker.endswith("の") and b.marker != "との" or b.marker == "" and b.dep in ("nmod", "compound") \
                and not _is_predicate(b):
            last, node = node, b.head  # Bの（AI半導体）TPUを
        elif not adverbial and node not in with_ment and b.dep in ("obl", "advmod", "acl") \
                and b.marker in ("で", "", "、"):
            adverbial, node = True, b.head
        elif not adverbial and node not in with_ment and b.dep in ("nmod", "acl") and b.head > node \
                and bun[last].marker in ("との", "からの", "への") and b.marker not in ROLE_OF_MARKER \
                and not _lexicon().trigger_re.search(_content(parse, node)):
            adverbial, node = True, b.head  # Bとの長期にわたる供給契約: another modifier of the same noun
        else:
            break
    return node, last


def _joined(text: str, a: int, b: int) -> bool:
    """True when only list punctuation separates two mentions in one bunsetu (テキサス州・オハイオ州)."""
    return b >= a and re.fullmatch(r"[\s、・，,／/と及びおよや]*", text[a:b]) is not None


def _ok(ment: Ment, types) -> bool:
    """Whether the mention can fill a role of these entity types (a site noun the tagger took for a name, DC, is none)."""
    return ment.entity.type in types and ment.text not in _lexicon().site_nouns


def _subjects(args: list[Arg], types, t: int | None = None) -> list[Ment]:
    subj = [a for a in args if a.role == "subj" and _ok(a.ment, types)]
    if t is not None and any(a.group < t for a in subj):
        # Japanese arguments precede their predicate: a topic after T (…を建設中で、Bは…を拡張) is a later clause's.
        subj = [a for a in subj if a.group < t or a.depth == 0]
    if not subj:
        return []
    best = min(a.depth for a in subj)
    group = max(a.group for a in subj if a.depth == best)
    return [a.ment for a in subj if a.depth == best and a.group == group]


def _content(parse: Parse, b: int) -> str:
    bb = parse.bun[b]
    return parse.sent.text[bb.start:bb.content_end].strip("「」『』（）() 　、")


def _nonentity_arg(parse: Parse, t: int, markers: tuple[str, ...]) -> str:
    """Text of a bunsetu with one of `markers` attached to T's event that holds no entity (what/why)."""
    event = _event_chain(parse.bun, t)[:2]
    with_ment = set(parse.ment_bun)
    for b in parse.bun:
        if b.head in event and b.marker in markers and b.i not in with_ment and b.i != t:
            text = _content(parse, b.i)
            mods = [x for x in parse.bun if x.head == b.i and x.marker in ("の", "", "と", "や") and x.i == b.i - 1
                    and x.i not in with_ment]
            if mods:  # 電池の工場に / 電池と素材に (a conjunct shares the marker)
                text = _content(parse, mods[0].i) + (mods[0].marker if mods[0].marker != "" else "") + text
            if 1 < len(text) <= 30:
                return text
    return ""


def _amount_for(parse: Parse, t: int, unit: str, used: set[int], attached_only: bool = False) -> object:
    """The amount of `unit` attached to T's event (800億ドルを投資, 5000億ドルの投資), else the only one."""
    cands = [(k, a) for k, a in enumerate(parse.sent.amounts) if a.unit == unit and k not in used]
    event = set(_event_chain(parse.bun, t)[:2])
    for k, a in cands:
        b = _bun_at(parse.bun, a.end - 1)
        node, hops = b, 0
        while node >= 0 and node not in event and parse.bun[node].marker in ("の", "", "、") and hops < 3:
            node, hops = parse.bun[node].head, hops + 1
        if node in event or parse.bun[node].head in event:
            used.add(k)
            return a
    if not attached_only and len(cands) == 1 and len([a for a in parse.sent.amounts if a.unit == unit]) == 1 \
            and not _amount_of_other_event(parse, cands[0][1], t):
        used.add(cands[0][0])
        return cands[0][1]
    return None


def _amount_of_other_event(parse: Parse, amount, t: int) -> bool:
    """Whether an amount modifies another trigger's noun (…契約を結び、Bから80億ドルの出資を受け), or is said of
    a clause before T with a subject of its own that is no entity and no trigger noun (市場は200億ドル規模に拡大する
    見込みで、A社も投資を急ぐ)."""
    lx = _lexicon()
    if _amount_of_other_subject(parse, amount, t):
        return True
    node = _bun_at(parse.bun, amount.end - 1)
    for _ in range(3):
        if node < 0 or node == t:
            return False
        b = parse.bun[node]
        text = parse.sent.text[b.start:b.content_end]
        if node != _bun_at(parse.bun, amount.end - 1) and lx.trigger_re.search(text):
            return True
        if b.marker not in ("の", "", "、"):
            return False
        node = b.head
    return False


def _amount_of_other_subject(parse: Parse, amount, t: int) -> bool:
    bun = parse.bun
    node = _bun_at(bun, amount.end - 1)
    for _ in range(3):  # up to the predicate the amount is an argument of
        if node < 0 or node == t:
            return False
        if bun[node].marker not in ("の", "", "、", "に", "を", "で", "へ", "が", "は", "も", "と"):
            break
        if node != _bun_at(bun, amount.end - 1) and _is_predicate(bun[node]):
            break
        node = bun[node].head
    event = set(_event_chain(bun, t))
    if node < 0 or node >= t or node in event:
        return False
    clause = set()
    while 0 <= node < t and node not in event:  # the predicate and the nouns it is said of (…拡大する見込みで、)
        clause.add(node)
        node = bun[node].head
    with_ment = set(parse.ment_bun) | set(parse.eff)
    lx = _lexicon()
    for c in bun[:max(clause)]:
        if c.head in clause and c.marker in ("は", "が") and c.i not in with_ment \
                and not lx.trigger_re.search(parse.sent.text[c.start:c.content_end]) \
                and not lx.follow_up_re.search(parse.sent.text[c.start:c.end]):
            return True
    return False


def _modality(parse: Parse, t_start: int) -> str:
    cues = _lexicon().cues
    text = parse.sent.text
    tail = text[t_start:]
    b = parse.bun[_bun_at(parse.bun, t_start)]
    if b.dep == "acl" and b.head >= 0 and b.marker not in ROLE_OF_MARKER and _is_predicate(b) \
            and parse.bun[b.head].marker in ("は", "が", "を", "に", "の"):
        # Bが出資するCは…を目指す: the relative clause and the noun it modifies (…する方針を) bear its modality.
        tail = text[t_start:parse.bun[b.head].end]
    cleft = _cleft_end(parse, _bun_at(parse.bun, t_start))
    if cleft >= 0:
        tail = text[t_start:min(t_start + len(tail), parse.bun[cleft].end)]
    found = {m for m in ("opinion", "reported") if any(c in text for c in cues[m])}
    found |= {m for m in ("hedged", "forecast", "planned") if any(c in tail for c in cues[m])}
    return pick_modality(found)


def _cleft_end(parse: Parse, t: int) -> int:
    """「…で生産するのは、…ためだろう」「…を共同で開発するのは、容易ではない」: T inside a clause made a topic by
    のは; what follows comments on that clause (a reason, a judgement) and its hedge or negation is not T's.
    The bunsetu closing that clause, else -1."""
    for b in parse.bun[t:]:
        if b.marker.endswith("のは") or b.marker.endswith("ことは"):
            return b.i
        if "。" in parse.sent.text[b.start:b.end]:
            break
    return -1


def _polarity(parse: Parse, t: int, t_end: int | None = None) -> str:
    lx = _lexicon()
    text = parse.sent.text
    if t_end is not None:
        # 「Bが出資するとの報道について、Aは否定した」: the reported claim is denied.
        report = lx.report_re.search(text, t_end, t_end + 24)
        if report and any(v in text[report.end():] for v in lx.negating_verbs):
            return "negated"
    cleft = _cleft_end(parse, t)
    for n, b in enumerate(_event_chain(parse.bun, t)[:3]):
        if 0 <= cleft < b:
            break  # …するのは容易ではない: the judgement on the clause is negated, not its event
        toks = parse.bun[b].tokens
        for i, tok in enumerate(toks):
            before = toks[i - 1].lemma_ if i else ""
            if tok.pos_ == "AUX" and tok.lemma_ in NEGATION_AUX and before not in lx.not_negation_before:
                if n and any(v in text[max(0, tok.idx - 10):tok.idx] for v in lx.disclosure_verbs):
                    return "affirmed"  # 投資額は開示していない: the telling is denied, not the investment
                return "negated"
            if any(tok.text.startswith(v) or tok.lemma_.startswith(v) for v in lx.negating_verbs):
                return "negated"
    return "affirmed"


def _attribution(parse: Parse, t: int):
    """The entity a claim is attributed to: Xによると, or the subject of a speech verb above T."""
    speech_verbs = _lexicon().speech_verbs
    for k, m in enumerate(parse.sent.mentions):
        b = parse.eff[k]
        if ROLE_OF_MARKER.get(parse.bun[b].marker) == "source" or \
                ROLE_OF_MARKER.get(parse.bun[parse.ment_bun[k]].marker) == "source":
            if _ok(m, ATTRIBUTION_TYPES) and _agent_of(parse, b) < 0:
                return m.entity
    text = parse.sent.text
    chain = _chain(parse.bun, t)
    for n, node in enumerate(chain[1:], 1):
        bb = parse.bun[node]
        start = parse.bun[node - 1].start if node and parse.bun[node - 1].head == node else bb.start
        if not any(v in text[start:bb.end] for v in speech_verbs):
            continue
        # The speaker is the subject of the speech verb, or the topic (Xは) of the clauses below it.
        for below in (node,), tuple(chain[:n]):
            speakers = [m for k, m in enumerate(parse.sent.mentions)
                        if parse.bun[parse.eff[k]].head in below and _ok(m, ATTRIBUTION_TYPES)
                        and (parse.bun[parse.eff[k]].marker in ("は", "が") if below == (node,)
                             else parse.bun[parse.eff[k]].marker == "は")]
            groups = {parse.eff[k] for k, m in enumerate(parse.sent.mentions) if m in speakers}
            if speakers:
                # Two speakers announcing together cannot be one attribution.
                same = len({m.entity.id for m in speakers if parse.eff[parse.sent.mentions.index(m)] == max(groups)})
                return speakers[-1].entity if same == 1 else None
    return None


def _horizon(text: str) -> str:
    # Time expressions (今後3年で, 2030年までに) are grammar: numerals, 年, and the particles around them.
    m = re.search(r"(?:今後|向こう|これから)?\s*([0-9０-９]+)\s*(?:[～〜~\-－]\s*([0-9０-９]+)\s*)?年(?:間)?(?:で|にわたり|にわたって|かけて)", text)
    if m:
        return f"{int(m.group(1))}-{int(m.group(2))} years" if m.group(2) else f"{int(m.group(1))} years"
    m = re.search(r"([0-9０-９]{4})\s*年(?:度)?(?:末)?まで(?:に)?", text)
    return f"by {int(m.group(1))}" if m else ""


def may_use_parse(text: str) -> bool:
    """Whether sentence_claims could read a dependency parse of this text.

    Only a trigger word (a finder) or a holding verb (a shareholder list) leads to the parse; role
    claims are read from the mentions alone. Everything else in a sentence without either yields
    the same claims parsed or not.
    """
    lx = _lexicon()
    return lx.trigger_re.search(text) is not None or any(v in text for v in lx.holding_verbs)


def sentence_claims(sent: Sentence) -> list[Claim]:
    """All claims of one Japanese sentence."""
    out = _role_claims(sent) + _site_list(sent) + _customer_list(sent)
    parse = _parse(sent)
    if parse is None:
        return out + ja_stats.sentence_statistics(sent, out)
    lx = _lexicon()
    used_amounts: set[int] = set()
    if _QUESTION.search(sent.text):
        return out  # a question asserts nothing
    for m in lx.trigger_re.finditer(sent.text):
        if any(x.start <= m.start() < x.end for x in sent.mentions):
            continue  # 台湾積体電路製造 names a company, it does not say anything is made
        if sent.text.startswith(lx.not_event_after, m.end()):
            continue  # 投資姿勢, 投資意欲: an attitude, not an event
        type_ = lx.surface_type[m.group()]
        t = _bun_at(parse.bun, m.end() - 1)
        finder = _FINDERS.get(type_)
        if finder is None:
            continue
        named = {x.entity.id for x in sent.mentions}
        for claim in finder(parse, t, m, used_amounts):
            if claim.subject is not None and claim.subject.id not in named and claim.object is None \
                    and claim.amount is None:
                continue  # a zero subject with neither counterpart nor figure says nothing checkable
            claim.modality = _modality(parse, m.start())
            if claim.type != "statistic" or claim.subject is not None:
                claim.polarity = _polarity(parse, t, m.end())
            claim.attributed_to = _attribution(parse, t)
            out.append(claim)
    if _denied_premise(sent):
        # the answer after it: 「そうした事実はありません」; a place that only says where the company asked about is
        # from (台湾のX) is no place of the denied deal
        origin = {mm.entity.id for mm in sent.mentions if mm.entity.type in PLACE_TYPES and _describes_company(parse, mm)}
        out = [c for c in out if c.object is None or c.object.id not in origin]
        for c in out:
            if c.type not in ("role", "statistic"):
                c.polarity = "negated"
    out += _holder_list(parse)
    out = _site_amounts(out)
    out += ja_stats.sentence_statistics(sent, out)
    return speaker_to_organization(out)


def _site_amounts(claims: list[Claim]) -> list[Claim]:
    """AはX円を投じ、B州Cに拠点を建設する: the figure of one clause and the place of the next are one
    investment. A subject's one figure without a target goes to its site claims that have no figure."""
    out = list(claims)
    for c in claims:
        if c.type != "investment" or c.object is not None or c.amount is None or c.amount.unit != "money" \
                or c.subject is None or c.polarity != "affirmed":
            continue
        sites = [x for x in claims if x.type == "investment" and x.details.get("purpose") == "site"
                 and x.amount is None and x.subject is not None and x.subject.id == c.subject.id
                 and x.polarity == c.polarity]
        others = [x for x in claims if x is not c and x.type == "investment" and x.object is None
                  and x.amount is not None and x.subject is not None and x.subject.id == c.subject.id]
        if not sites or others:
            continue
        for x in sites:
            x.amount = c.amount
            x.details = {**c.details, **x.details}
        out.remove(c)
    return out


def _site_list(sent: Sentence) -> list[Claim]:
    """「新拠点はA州B郡、C州D郡と…」: a sentence about sites (a site noun as its topic) that lists their places
    states an investment in each by whoever the sites belong to: the company or project written with a site
    noun just before (Xの新たな拠点として), else the topic of the sentences before."""
    lx = _lexicon()
    nouns = _alt(lx.site_nouns)
    head = re.match(rf"\s*(?:[^、。はがを]{{0,4}}、)?(?:その|同)?(?:新|新た?な|新規|候補の?)?(?:{nouns})(?:の(?:所在地|候補地|建設地))?は、?",
                    sent.text)
    if head is None or _QUESTION.search(sent.text) or _BLOCK_LINE.match(sent.text):
        return []
    clause_end = re.search(r"[。]|$", sent.text[head.end():]).start() + head.end()
    # Only a list of places is the predicate: it starts right after the topic, and between its members come list
    # punctuation and at most a name the gazetteer does not know (テキサス州ミラム郡、…).
    places: list[Ment] = []
    pos = head.end()
    for m in sent.mentions:
        if m.start < pos or m.entity.type not in PLACE_TYPES or m.start >= clause_end:
            continue
        gap = sent.text[pos:m.start]
        if places and not re.fullmatch(r"\s*|[^、。はがをにで]{0,12}?\s*(?:、|・|と|や|および|及び)\s*", gap) \
                or not places and gap.strip():
            break
        if re.match(r"\s*(?:では|でな|以外)", sent.text[m.end:]):
            return []  # テキサス州ではなく…: not where the sites are
        places.append(m)
        pos = m.end
    if not places:
        return []
    rest = re.split(r"[、，]", sent.text[places[-1].end:clause_end] + "、", maxsplit=1)[0]
    if not re.match(r"[^、。とでだ]{0,12}\s*(?:など)?\s*(?:と|で|だ|です|である|、|$)", rest) or re.search(r"ない|ません|ず[、。]|なかった", rest):
        return []  # …にはない: not a list of where the sites are
    owner = None
    for prev in reversed(sent.context[-2:]):
        for m in reversed(prev.mentions):
            if m.entity.type in SUBJECT_TYPES["investment"] and m.entity.type not in PLACE_TYPES and \
                    re.match(rf"[」』]?\s*の\s*(?:新た?な|新規)?(?:{nouns})", prev.text[m.end:]):
                owner = m.entity
                break
        if owner is not None:
            break
    if owner is None:
        topic = _topic(sent, projects=True)
        owner = topic.entity if topic is not None else None
    if owner is None:
        return []
    fake = Parse(sent, [])
    return [make_claim("investment", owner, pl.entity, _span(sent), details={"purpose": "site"})
            for pl in _with_states(fake, places) if pl.entity.id != owner.id]


def _customer_list(sent: Sentence) -> list[Claim]:
    """Customers or suppliers named as such: 「Xの主要顧客はA、Bだ」「顧客にはA、B、Cが名を連ねる」「AとBが二大顧客で」
    「Xの調達先はAだ」. Each listed company is a customer (or a supplier) of X: the company written with の before the
    noun, else the sentence's topic (Xは, Xにとって at its start), else the topic of the sentences before."""
    lx = _lexicon()
    text = sent.text
    if _QUESTION.search(text) or _BLOCK_LINE.match(text):
        return []
    nouns = _alt(sorted(lx.customer_nouns + lx.supplier_nouns, key=len, reverse=True))
    # A name in parentheses right after another (鴻海精密工業（フォックスコン）) is its alias, not a list member.
    orgs = [mm for mm in sent.mentions if mm.entity.type in ORG_TYPES
            and not any(o.end <= mm.start and re.fullmatch(r"\s*[（(]\s*", text[o.end:mm.start]) for o in sent.mentions)]
    gap = r"\s*(?:[（(][^）)]{1,24}[)）])?\s*(?:さん|社)?\s*"
    sep = re.compile(rf"{gap}(?:、|・|と|や|および|及び|並びに)\s*")
    qual = r"(?:主要|主な|大口|最大の|最大|二大|三大|有力な?)?"
    out = []
    for hit in re.finditer(rf"(?<![\u4e00-\u9fff]){qual}({nouns})", text):
        if any(mm.start <= hit.start() < mm.end for mm in sent.mentions):
            continue
        # Before the noun: its owner (Xの主要顧客) or, written as the predicate's subject, the list (AとBが二大顧客で).
        listed: list[Ment] = []
        owner = next((mm for mm in orgs if re.fullmatch(r"\s*の\s*", text[mm.end:hit.start()])), None)
        after = re.match(r"\s*(?:には|は|として(?:は)?)\s*、?\s*", text[hit.end():])
        before = re.search(r"(?:など)?\s*(?:が|は)\s*(?:[^、。をはが]{0,12}の)?\s*$", text[:hit.start()])
        if after is not None:
            # 顧客にはA、B、Cが名を連ねる / 主要顧客はA、Bだ / Xの主要顧客はA、Bだ: the names after the noun, up to a
            # copula or a listing verb. Without an owner a bare gap joins only the same entity written twice.
            pos = hit.end() + after.end()
            for mm in orgs:
                if mm.start < pos or mm is owner:
                    continue
                joined = listed and (sep.fullmatch(text, listed[-1].end, mm.start) or
                                     re.fullmatch(gap, text[listed[-1].end:mm.start])
                                     and (owner is not None or mm.entity.id == listed[-1].entity.id))
                if mm.start != pos and not joined:
                    break
                listed.append(mm)
                pos = mm.end
            if listed and not re.match(rf"{gap}(?:など)?\s*(?:が名を連ね|が並|が含まれ|だ|で|です|である|となっ|。|$)",
                                       text[listed[-1].end:]):
                listed = []
        if not listed and before is not None and re.match(r"\s*(?:だ|で|です|である|となっ|に名を連ね)", text[hit.end():]):
            end = before.start()  # AとBが二大顧客で / AはXの主要顧客だ
            for mm in reversed([mm for mm in orgs if mm.end <= end]):
                if mm.end != end and not sep.fullmatch(text, mm.end, end) and not re.fullmatch(gap, text[mm.end:end]):
                    break
                listed.insert(0, mm)
                end = mm.start
            if owner is None:
                owner = next((mm for mm in orgs if mm.start >= before.start() and re.fullmatch(
                    r"\s*の\s*", text[mm.end:hit.start()])), None)
        if not listed:
            continue
        if owner is None:
            lead = next((mm for mm in orgs if mm.end <= hit.start() and mm not in listed and re.fullmatch(r"\s*", text[:mm.start])
                         and (_TOPIC_AFTER.match(text, mm.end) or lx.topic_frame_re.match(text, mm.end))), None)
            owner = lead or (_topic(sent) if not re.search(r"(?:は|が)", text[:hit.start()].replace("には", "")
                                                              ) or before is not None else None)
        if owner is None and before is not None and _discourse_topic(sent) is not None \
                and all(mm in listed or any(mm.entity.id == x.entity.id for x in listed) for mm in orgs):
            # 「AさんとBさんが二大顧客で…」 in an interview: the list is the subject, the customers are the text's company's
            owner = Ment(0, 0, _discourse_topic(sent), "")
        if owner is None:
            continue
        supplier_side = hit.group(1) in lx.supplier_nouns
        seen = set()
        for mm in listed:
            if mm.entity.id in seen or mm.entity.id == owner.entity.id:
                continue
            seen.add(mm.entity.id)
            buyer, seller = (owner, mm) if supplier_side else (mm, owner)
            out.append(make_claim("contract", buyer.entity, seller.entity, _span(sent)))
    return out


def _holder_list(parse: Parse) -> list[Claim]:
    """Shareholders listed with their stakes: 「JASMには…、残りをA（約6%）、B（約5.5%）が持つ」."""
    text = parse.sent.text
    if not any(v in text for v in _lexicon().holding_verbs):
        return []
    targets = [m for k, m in enumerate(parse.sent.mentions) if parse.bun[parse.eff[k]].marker in ("には", "に")
               and m.entity.type in ORG_TYPES | {"project"}]
    if not targets:
        return []
    out = []
    for m in parse.sent.mentions:
        hit = re.match(r"\s*[（(]\s*([^）)]{1,12}?)\s*[)）]", text[m.end:])
        if not hit or m.entity.type not in SUBJECT_TYPES["ownership"] or m.entity.id == targets[0].entity.id:
            continue
        stake = next((a for a in parse.sent.amounts if a.unit == "percent"
                      and m.end + hit.start(1) <= a.start < m.end + hit.end(1)), None)
        if stake is not None:
            out.append(make_claim("ownership", m.entity, targets[0].entity, _span(parse.sent), amount=stake))
    return out


def _span(sent: Sentence) -> tuple[int, int]:
    return 0, len(sent.text)


def _investment(parse: Parse, t: int, m, used: set[int]) -> list[Claim]:
    lx = _lexicon()
    word = m.group()
    if word in lx.site_verbs:
        return _site(parse, t, m, used)
    args = _args(parse, t)
    types = SUBJECT_TYPES["investment"]
    after = parse.sent.text[m.end():]
    if any(after.startswith(v) for v in lx.receive_verbs) or parse.bun[t].marker == "からの":
        # AはBから出資を受けた / Bからの出資: B invests, A receives.
        investors = [a.ment for a in args if a.role == "from" and a.depth <= 1 and _ok(a.ment, types)]
        targets = _subjects(args, OBJECT_TYPES["investment"]) or _zero_subject(parse, args, t)
        amount = _annual(parse.sent.text, _amount_for(parse, t, "money", used))
        return [make_claim("investment", i.entity, o.entity, _span(parse.sent), amount=amount)
                for i in investors for o in targets if i.entity.id != o.entity.id]
    if word in lx.subsidy_words:
        return _subsidy(parse, t, args, used)
    subjects = _subjects(args, types, t)
    # AとともにBは…: A shares the subject's role.
    subjects += [mm for mm in parse.sent.mentions if subjects and mm.end <= m.start() and _ok(mm, types)
                 and re.match(r"と(?:とも|共)に", parse.sent.text[mm.end:]) and mm not in subjects]
    if not subjects:
        # Xの設備投資, Xの7～9月期の設備投資額: the company the trigger noun is said of (through time phrases)
        subjects = [a.ment for a in args if a.role in ("of", "of_of") and a.depth == 0
                    and _ok(a.ment, types)][:1]
    if not subjects:
        subjects = _zero_subject(parse, args, t, projects=True)
    if not subjects:
        return []
    stakes = _paired_stakes(parse, t)
    if stakes:
        # AがX%、BがY%を出資: each one's share of the company invested in, not a sum of money.
        objects = [a.ment for a in args if a.role in ("to", "of_to") and a.depth <= 1
                   and _ok(a.ment, OBJECT_TYPES["ownership"])]
        return [make_claim("ownership", s_.entity, o.entity, _span(parse.sent), amount=a_)
                for s_, a_ in stakes for o in objects[:1] if o.entity.id != s_.entity.id]
    if word in lx.investor_nouns:
        # AはBの出資者だ: the company before の is the one invested in.
        taken = {s.entity.id for s in subjects}
        objects = [mm for k, mm in enumerate(parse.sent.mentions) if mm.end <= m.start() and mm.entity.id not in taken
                   and _ok(mm, OBJECT_TYPES["investment"]) and parse.bun[parse.ment_bun[k]].marker == "の"
                   and (parse.ment_bun[k] == t or _np_reaches(parse, parse.ment_bun[k], t))]
        return [make_claim("investment", s_.entity, o.entity, _span(parse.sent)) for s_ in subjects for o in objects]
    objects = [a.ment for a in args if (a.role in ("to", "of_to") and _ok(a.ment, OBJECT_TYPES["investment"])
                                        or a.role in ("at", "of_at") and _ok(a.ment, PLACE_TYPES)) and a.depth <= 1]
    if not objects:
        objects = _funding_target(parse, subjects)
    if not objects:
        objects = _relative_head(parse, t, subjects)
    if not objects:
        objects = _purpose_place(parse, t)
    if not objects:
        objects = _site_place(parse, t)
    if not objects:  # 米国を中心にDCへ…を投じる: mainly in that place
        objects = [mm for mm in parse.sent.mentions if _ok(mm, PLACE_TYPES) and mm.end <= m.start()
                   and re.match(r"\s*を中心(?:に|と(?:して|する))", parse.sent.text[mm.end:])
                   and not re.search(r"[。]", parse.sent.text[mm.end:m.start()])]
    chained = False
    if not objects:
        objects = _chained_site_place(parse, t)
        chained = bool(objects)
    paired = _paired_amounts(parse, t, used)
    if paired:
        # AがX、BがYをCに出資: each subject with its own amount.
        return [make_claim("investment", s_.entity, o.entity if o else None, _span(parse.sent), amount=a_)
                for s_, a_ in paired for o in (objects or [None]) if o is None or o.entity.id != s_.entity.id]
    amount = _annual(parse.sent.text, _amount_for(parse, t, "money", used))
    if amount is None and objects:
        stake = _amount_for(parse, t, "percent", used, attached_only=True) or _whole_share(parse, m)
        apart = stake is None and _amount_for(parse, t, "percent", set(used)) or None
        if apart is not None and not lx.stake_noun_re.search(parse.sent.text, m.end(), apart.start):
            apart = None  # …に出資へと報じ、株価は17%高: a percentage of another clause that names no stake
        elif apart is not None:
            _amount_for(parse, t, "percent", used)
        if stake is not None or apart is not None:  # TSMCがJASMに約86.5%を出資: a stake, i.e. ownership
            out = [make_claim("ownership", s.entity, o.entity, _span(parse.sent), amount=stake or apart)
                   for s in subjects for o in objects if o.entity.id != s.entity.id]
            if apart is not None:
                # Bに出資し、出資比率は約40%に達する: the investment is a clause of its own, the stake another's
                # (米国の計画Xに: the place only describes the venture invested in)
                named = [o for o in objects if o.entity.type not in PLACE_TYPES] or objects
                out += [make_claim("investment", s.entity, o.entity, _span(parse.sent))
                        for s in subjects for o in named if o.entity.id != s.entity.id]
            return out
    details = {"period": amount.period if amount is not None else None, "horizon": _horizon(parse.sent.text),
               "purpose": "site" if chained else _nonentity_arg(parse, t, ("に", "へ", "への", "向けに", "向け", "のために"))}
    return [make_claim("investment", s.entity, o.entity if o else None, _span(parse.sent), amount=amount,
                       details=details)
            for s in subjects for o in (objects or [None]) if o is None or o.entity.id != s.entity.id]


def _subsidy(parse: Parse, t: int, args: list[Arg], used: set[int]) -> list[Claim]:
    """経産省はAに最大N億円を補助する / Aの新工場に助成金を交付: a government (the subject, else the zero subject)
    funds the company of the に phrase; a place there (福岡県の工場に) is no recipient, so no claim."""
    subjects = [s for s in (_subjects(args, ORG_TYPES, t) or _zero_subject(parse, args, t)) if s.entity.type == "government"]
    if not subjects:
        return []
    recipients = [a for a in args if a.role in ("to", "of_to") and a.depth <= 1 and a.ment.entity.type in ("company", "project")]
    if not recipients:
        # 合弁会社「X」（X、福岡県北九州市）に対し: the place in brackets is the company's seat, the company the recipient
        text = parse.sent.text
        for a in args:
            if a.role not in ("to", "of_to") or a.depth > 1 or a.ment.entity.type not in PLACE_TYPES:
                continue
            k0 = parse.sent.mentions.index(a.ment)
            for k, mm in enumerate(parse.sent.mentions):
                if parse.ment_bun[k] == parse.ment_bun[k0] and mm.end <= a.ment.start \
                        and mm.entity.type in ("company", "project") \
                        and re.fullmatch(r"[」』]?\s*[（(][^（）()]*", text[mm.end:a.ment.start]):
                    recipients.append(Arg(mm, a.role, a.depth, a.group))
                    break
    if not recipients:
        return []
    best = min(a.depth for a in recipients)
    objects = [a.ment for a in recipients if a.depth == best]
    amount = _amount_for(parse, t, "money", used)
    return [make_claim("investment", s.entity, o.entity, _span(parse.sent), amount=amount)
            for s in subjects for o in objects if o.entity.id != s.entity.id]


def _purpose_place(parse: Parse, t: int) -> list[Ment]:
    """Aは米国でのXとYに…を投じる: the place of what the money goes to (Pでの… marked に on T) is its target."""
    bun = parse.bun
    event = _event_chain(bun, t)[:2]
    out = []
    for k, mm in enumerate(parse.sent.mentions):
        b = parse.eff[k]
        if not _ok(mm, PLACE_TYPES) or bun[b].marker != "での":
            continue
        node = bun[b].head
        for _ in range(4):
            if node < 0 or node in event or _is_predicate(bun[node]) or node in parse.ment_bun:
                node = -1
                break
            if bun[node].marker in ("に", "へ") and bun[node].head in event:
                break
            if bun[node].marker not in ("の", "と", "や", "、", ""):
                node = -1
                break
            node = bun[node].head
        else:
            node = -1
        if node >= 0 and bun[node].marker in ("に", "へ"):
            out.append(mm)
    return _with_states(parse, out)


def _site_place(parse: Parse, t: int) -> list[Ment]:
    """The place of a site the money goes to when no argument names a target: Pのデータセンターを軸に…を投じる (a
    noun phrase on T's predicate whose head is a site or a plant of P), or P (の工場) で…するため、…を投じる (a
    purpose clause on T's predicate). P qualifies the site (Pの + site noun) or, in a purpose clause, its verb
    (Pで/Pに)."""
    lx = _lexicon()
    bun = parse.bun
    event = set(_event_chain(bun, t)[:2])
    site = re.compile(rf"\s*の\s*[^、。をはがにでと]{{0,8}}?(?:{_alt(lx.site_nouns + lx.facility_words)})")
    with_org = {parse.ment_bun[k] for k, mm in enumerate(parse.sent.mentions) if mm.entity.type in ORG_TYPES}
    out = []
    for k, mm in enumerate(parse.sent.mentions):
        if not _ok(mm, PLACE_TYPES) or parse.eff[k] != parse.ment_bun[k] and bun[parse.eff[k]].marker != "の":
            continue
        b = parse.eff[k]
        of_site = site.match(parse.sent.text, mm.end) is not None
        node, reached = b, False
        for _ in range(6):
            h = bun[node].head
            if h < 0 or h in with_org:
                break
            if h in event:
                reached = of_site and ROLE_OF_MARKER.get(bun[node].marker) != "subj"
                break
            if _is_predicate(bun[h]):
                # …で量産する|ため、: a purpose clause on T's predicate; P is its own argument or its site's
                if bun[h].dep == "acl" and bun[h].head >= 0 and _is_purpose(parse, bun[h].head) \
                        and bun[bun[h].head].head in event and (of_site or node == b and bun[b].marker in ("で", "に")):
                    reached = True
                break
            node = h
        if reached and mm not in out:
            out.append(mm)
    return _with_states(parse, out)


def _chained_site_place(parse: Parse, t: int) -> list[Ment]:
    """Aは約N億円を投じてPの工場に生産ラインを増設した / …を投じ、Pで新拠点を開設する: the money spent in a て-clause
    on a site verb goes to that verb's place (Pに/Pで, or Pの + a site or plant marked に/で)."""
    lx = _lexicon()
    bun = parse.bun
    text = parse.sent.text

    def chained(b: int) -> bool:  # a て-form or a continuative (投じて / 建設し、)
        return bun[b].marker in ("て", "、", "", "し") and text[bun[b].start:bun[b].end].rstrip("、 ").endswith(("て", "じ", "し"))

    def builds(b: int) -> bool:
        return any(v in text[bun[b].start:bun[b].end] for v in lx.site_verbs)

    verbs = []
    h = bun[t].head
    if h >= 0 and chained(t) and builds(h):
        verbs.append(h)  # …を投じてPに…を増設する
    # Pに…を建設し、…を投じる: the site clause before T, coordinated with it
    # (not when T has a subject of its own after it: Aは…を建設し、Bが…を拠出する)
    verbs += [b.i for b in bun[:t] if b.head == t and _is_predicate(b) and chained(b.i) and builds(b.i)
              and not any(c.head == t and b.i < c.i < t and c.marker in ("が", "は", "も") for c in bun)]
    if not verbs:
        return []
    site = re.compile(rf"\s*の\s*[^、。をはがにでと]{{0,8}}?(?:{_alt(lx.site_nouns + lx.facility_words)})")
    out = []
    for k, mm in enumerate(parse.sent.mentions):
        if not _ok(mm, PLACE_TYPES):
            continue
        b = parse.eff[k]
        node = bun[b].head
        for _ in range(4):  # Pに受電容量…のデータセンターを建設し: the parser may hang Pに on a noun of the object
            if node < 0 or node in verbs or _is_predicate(bun[node]):
                break
            node = bun[node].head
        if node not in verbs:  # or a broken parse: Pに right in the verb's clause, no predicate or comma between
            node = next((v for v in verbs if b < v and not any(_is_predicate(bun[x]) for x in range(b + 1, v))
                         and "、" not in text[mm.end:bun[v].start]), -1)
        if node in verbs and bun[b].marker in ("に", "で", "には", "では"):
            out.append(mm)
        elif bun[b].marker == "の" and site.match(text, mm.end) is not None:
            nxt = bun[b].head
            if nxt >= 0 and bun[nxt].head in verbs and bun[nxt].marker in ("に", "で", "には", "では"):
                out.append(mm)
    return _with_states(parse, out)


def _is_purpose(parse: Parse, b: int) -> bool:
    return _content(parse, b) in _lexicon().purpose_nouns


def _whole_share(parse: Parse, m):
    """AがBに全額出資する / Aが全額出資する子会社B: a stake of 100% (whole_share_words right before the trigger)."""
    from kb.amounts import Amount

    hit = _lexicon().whole_share_re.search(parse.sent.text, max(0, m.start() - 4), m.start())
    if hit is None or m.group() not in ("出資",):
        return None
    return Amount(100.0, 100.0, None, "percent", None, False, None, hit.group(1), hit.start(1), hit.end(1))


def _relative_head(parse: Parse, t: int, subjects: list[Ment]) -> list[Ment]:
    """The noun a relative clause on T modifies (A、Bが出資するX), or the topic of that noun's copula
    (XはA、Bが出資する事業で): the company or project invested in."""
    bun = parse.bun
    b = bun[t]
    if b.dep != "acl" or b.head < 0 or b.marker in ROLE_OF_MARKER:
        return []
    taken = {s.entity.id for s in subjects}
    h = b.head
    inside = [mm for k, mm in enumerate(parse.sent.mentions) if parse.ment_bun[k] == h and mm.start >= b.end
              and mm.entity.id not in taken and _ok(mm, ORG_TYPES | {"project"})]
    if not inside and bun[h].marker == "" and h + 1 < len(bun) and bun[h + 1].start == bun[h].end:
        # Aが出資する発電会社|Xは (the parser split the descriptor from the name): the name right after it
        inside = [mm for k, mm in enumerate(parse.sent.mentions) if parse.ment_bun[k] == h + 1
                  and mm.start == bun[h + 1].start and mm.entity.id not in taken and _ok(mm, ORG_TYPES | {"project"})]
    if inside:
        return inside[:1]
    # XはA、Bが出資する事業だ: the sentence's topic, what the copula on that noun predicates.
    return [mm for k, mm in enumerate(parse.sent.mentions) if mm.end <= b.start and bun[parse.eff[k]].marker == "は"
            and (bun[parse.eff[k]].head == h or not re.search(r"[、。]", parse.sent.text[:mm.start]))
            and mm.entity.id not in taken and _ok(mm, ORG_TYPES | {"project"})][:1]


def _paired_amounts(parse: Parse, t: int, used: set[int]) -> list[tuple[Ment, object]]:
    """Subjects each followed by their own amount (AがX、BがYを…): [(A, X), (B, Y)] when there are two or more."""
    text = parse.sent.text
    out = []
    for k, mm in enumerate(parse.sent.mentions):
        if mm.end > parse.bun[t].start or not _ok(mm, SUBJECT_TYPES["investment"]):
            continue
        hit = re.match(r"\s*(?:[（(][^）)]{1,24}[)）])?\s*(?:が|は)\s*", text[mm.end:])
        if hit is None:
            continue
        at = mm.end + hit.end()
        amt = next((j for j, a in enumerate(parse.sent.amounts) if a.unit == "money" and a.start == at), None)
        if amt is not None:
            out.append((mm, amt))
    if len(out) < 2:
        return []
    used.update(j for _, j in out)
    return [(mm, _annual(text, parse.sent.amounts[j])) for mm, j in out]


def _paired_stakes(parse: Parse, t: int) -> list[tuple[Ment, object]]:
    """Holders each followed by their own percentage (AがX%、BがY%を出資): [(A, X), (B, Y)] for two or more."""
    text = parse.sent.text
    out = []
    for mm in parse.sent.mentions:
        if mm.end > parse.bun[t].start or not _ok(mm, SUBJECT_TYPES["ownership"]):
            continue
        hit = re.match(r"\s*(?:[（(][^）)]{1,24}[)）])?\s*(?:が|は)\s*", text[mm.end:])
        if hit is None:
            continue
        at = mm.end + hit.end()
        pct = next((a for a in parse.sent.amounts if a.unit == "percent" and at <= a.start <= at + 3
                    and re.fullmatch(r"(?:約|およそ|最大)?", text[at:a.start])), None)
        if pct is not None:
            out.append((mm, pct))
    return out if len(out) >= 2 else []


def _site(parse: Parse, t: int, m, used: set[int]) -> list[Claim]:
    """Building or running a site is an investment in its place: 「AはB州C郡に拠点を建設する」 → A → C, B."""
    bun = parse.bun
    near = {t, bun[t].head} | {b.i for b in bun if b.head == t} | {b.i for b in bun if b.head >= 0 and bun[b.head].head == t}
    near.discard(-1)
    nouns = _lexicon().site_nouns
    facility_ment = any(mm.entity.type in ("facility", "project") and parse.ment_bun[k] in near
                        for k, mm in enumerate(parse.sent.mentions))
    # The site is what is built (を), what is talked about (は/が) or the noun the clause modifies, not
    # where something is put (データセンターに設置).
    near = {b for b in near if b in (t, bun[t].head) or bun[b].marker in ("を", "は", "が", "の")}
    clause = _site_clause(parse, t)
    if clause is not None:
        near.add(clause[0])
    if not facility_ment and not any(any(n in _content(parse, b) for n in nouns) for b in near):
        return []
    if any(_lexicon().surface_type.get(x.group()) == "manufacturing"
           for b in near for x in _lexicon().trigger_re.finditer(_content(parse, b))):
        return []  # a factory or production site is built to make things: the manufacturing finder's claim
    args = _args(parse, t)
    named_head = bun[t].dep == "acl" and _is_predicate(bun[t]) and any(
        parse.ment_bun[k] == bun[t].head and mm.entity.type in ORG_TYPES | {"project"}
        for k, mm in enumerate(parse.sent.mentions))
    if named_head:
        # …を整備するX計画に出資: a clause describing a named venture or company; a topic over it is not its builder.
        args = [a for a in args if a.role != "subj" or bun[a.group].head == t]
    subjects = [s_ for s_ in _subjects(args, SUBJECT_TYPES["investment"], t) if s_.entity.type not in PLACE_TYPES] \
        or _site_clause_ments(parse, clause, SUBJECT_TYPES["investment"] - PLACE_TYPES, ("の",))[-1:] \
        or ([] if bun[t].dep == "acl" and _is_predicate(bun[t]) else _zero_subject(parse, args, t, projects=True))
    places = [mm for k, mm in enumerate(parse.sent.mentions) if mm.entity.type in PLACE_TYPES
              and any(b == t or _np_reaches(parse, b, t) or _modifies_with(parse, b, t) for b in (parse.ment_bun[k], parse.eff[k]))]
    places += [p for p in _phase_places(parse, t) if p not in places]
    # Aが運営するB州のデータセンター / B州で建設が進むAのデータセンター: the site noun the clause modifies.
    places += [p for p in _site_clause_ments(parse, clause, PLACE_TYPES, ("の", "で", "に")) if p not in places]
    # B州Cでは、Aが拠点を開発する予定だ: a place set as the topic of where (では) of T's clause or the predicate above it.
    places += [a.ment for a in args if a.role == "at" and a.depth <= 1 and _ok(a.ment, PLACE_TYPES)
               and bun[a.group].marker == "では" and a.ment not in places]
    # Aの旗艦拠点に加え、Bに拠点を広げる: the site T adds to is one of the subject's sites too.
    besides = re.compile(rf"の[^、。をはが]{{0,8}}(?:{_alt(nouns)})(?:に加え|のほか)")
    places += [mm for k, mm in enumerate(parse.sent.mentions) if mm.entity.type in PLACE_TYPES and mm not in places
               and parse.ment_bun[k] < t and besides.match(parse.sent.text, mm.end)
               and not re.search(r"[。]", parse.sent.text[mm.end:parse.bun[t].start])]
    if not subjects or not places:
        return []
    amount = _annual(parse.sent.text, _amount_for(parse, t, "money", used, attached_only=True))
    return [make_claim("investment", s_.entity, pl.entity, _span(parse.sent), amount=amount,
                       details={"purpose": "site"})
            for s_ in subjects for pl in _with_states(parse, places) if pl.entity.id != s_.entity.id]


def _converted_factory(parse: Parse, t: int, used: set[int]) -> list[Claim]:
    """「AはB州Cの工場を…で取得し、データセンターに転換する」: a site investment by A in the factory's places, with
    the sentence's one sum of money; nothing is made there."""
    args = _args(parse, t)
    subjects = [s_ for s_ in _subjects(args, SUBJECT_TYPES["investment"], t) if s_.entity.type not in PLACE_TYPES] \
        or _zero_subject(parse, args, t)
    places = [mm for k, mm in enumerate(parse.sent.mentions) if _ok(mm, PLACE_TYPES) and mm.end <= parse.bun[t].start
              and (_np_reaches(parse, parse.ment_bun[k], t) or _built_at_clause(parse, parse.eff[k], t))]
    # B州では工場を取得し…: where the factory is acquired (で/では on the verb it is the object of).
    places += [a.ment for a in args if a.role == "at" and a.depth <= 1 and _ok(a.ment, PLACE_TYPES)
               and a.ment.end <= parse.bun[t].start and a.ment not in places]
    if not subjects or not places:
        return []
    money = [(k, a) for k, a in enumerate(parse.sent.amounts) if a.unit == "money" and k not in used]
    amount = None
    if len(money) == 1:
        used.add(money[0][0])
        amount = money[0][1]
    out = [make_claim("investment", s_.entity, pl.entity, _span(parse.sent), amount=amount,
                      details={"purpose": "site"})
           for s_ in subjects for pl in _with_states(parse, places) if pl.entity.id != s_.entity.id]
    # …を製造拠点に転換する: converted into a plant, the site makes things after all.
    lx = _lexicon()
    into = re.search(rf"([^、。をはがにで]{{0,12}})に\s*(?:{_alt(lx.conversion_verbs)})", parse.sent.text[parse.bun[t].end:])
    if into and any(lx.surface_type.get(x.group()) == "manufacturing" and x.group() not in lx.facility_words
                    for x in lx.trigger_re.finditer(into.group(1))):
        out += [make_claim("manufacturing", s_.entity, pl.entity, _span(parse.sent), details={"product": "", "facility": ""})
                for s_ in subjects for pl in _with_states(parse, places) if pl.entity.id != s_.entity.id]
    return out


def _built_at_clause(parse: Parse, b: int, t: int) -> bool:
    """B州Cにある（Dの）工場: a place marked に/で on a relative clause whose noun phrase leads to T."""
    bun = parse.bun
    r = bun[b].head
    return r >= 0 and bun[b].marker in ("に", "で") and bun[r].dep == "acl" and _is_predicate(bun[r]) \
        and (bun[r].head == t or _np_reaches(parse, r, t)
             or bun[r].head >= 0 and bun[bun[r].head].marker == "の" and bun[bun[r].head].head == t)  # Pにある Dの工場


def _built_at(parse: Parse, t: int) -> list[Ment]:
    """B州Cに建設している（半導体）工場の…: the places of a building clause right before the factory noun T
    (which the parser may hang on the noun T modifies) are where the factory is."""
    bun, lx = parse.bun, _lexicon()
    r = t - 1
    if r < 0 or bun[r].dep != "acl" or not _is_predicate(bun[r]) or bun[r].head not in (t, bun[t].head) \
            or not any(v in _content_with_marker(parse, r) for v in lx.site_verbs):
        return []
    return [mm for k, mm in enumerate(parse.sent.mentions) if _ok(mm, PLACE_TYPES) and parse.eff[k] < r
            and bun[parse.eff[k]].head == r and bun[parse.eff[k]].marker in ("に", "で")
            and not _describes_company(parse, mm)]


def _site_clause(parse: Parse, t: int) -> tuple[int, int] | None:
    """(site noun, clause predicate) when T's clause modifies a site noun: Aが運営する（B州の）データセンター (T is
    the predicate) or B州で建設が進むAのデータセンター (T is the が-subject of the predicate); else None."""
    bun = parse.bun
    r = t if _is_predicate(bun[t]) else bun[t].head if bun[t].marker == "が" else -1
    if r < 0 or bun[r].dep != "acl" or not _is_predicate(bun[r]) or bun[r].marker in ROLE_OF_MARKER:
        return None
    n = bun[r].head
    if n >= 0 and bun[n].marker == "の" and bun[n].head > n:
        n = bun[n].head  # …進む Aのデータセンター: the clause read as modifying the owner
    if n < 0 or not any(w in _content(parse, n) for w in _lexicon().site_nouns):
        return None
    return n, r


def _site_clause_ments(parse: Parse, clause: tuple[int, int] | None, types, markers: tuple[str, ...]) -> list[Ment]:
    """Mentions of `types` on the site noun (Aの, B州の) or, with で/に, on the clause predicate (B州で)."""
    if clause is None:
        return []
    n, r = clause
    bun = parse.bun
    return [mm for k, mm in enumerate(parse.sent.mentions) if _ok(mm, types) and bun[parse.eff[k]].marker in markers
            and parse.eff[k] < n and bun[parse.eff[k]].head == (n if bun[parse.eff[k]].marker == "の" else r)]


def _phase_places(parse: Parse, t: int) -> list[Ment]:
    """B州Cで（工場の）建設に着手した: a verbal noun marked に under a verb of its phase (着手, 乗り出す) is the
    event; the places marked で/に on that verb are where it happens."""
    bun = parse.bun
    n = bun[t].head if bun[t].marker == "の" and bun[t].head > t else t
    noun = [tok for tok in bun[n].tokens if tok.pos_ not in FUNCTION_POS]
    if n < 0 or bun[n].marker != "に" or not noun or "サ変可能" not in noun[-1].tag_ or bun[n].head < 0 \
            or not _is_predicate(bun[bun[n].head]):
        return []
    v = bun[n].head
    return [mm for k, mm in enumerate(parse.sent.mentions) if _ok(mm, PLACE_TYPES) and parse.eff[k] < n
            and bun[parse.eff[k]].head == v and bun[parse.eff[k]].marker in ("で", "でも", "では", "に", "にも")
            and not _describes_company(parse, mm)]


def _modifies_with(parse: Parse, b: int, t: int) -> bool:
    """B州Cで建設中のデータセンター: a place marked で/に right before a noun-modifying T (or hung on the noun
    T modifies) is where T happens, whatever predicate the parser attached it to."""
    bun = parse.bun
    return b < t and bun[t].head >= 0 and (bun[b].head == bun[t].head or b == t - 1) \
        and bun[b].marker in ("で", "に", "での") \
        and bun[t].marker == "の" and not any(_is_predicate(bun[x]) for x in range(b + 1, t))


def _funding_target(parse: Parse, subjects: list[Ment]) -> list[Ment]:
    """The company whose funding round is named: 「OpenAIの資金調達ラウンドで400億ドルを出資」."""
    nouns = _lexicon().funding_nouns
    taken = {m.entity.id for m in subjects}
    for m in parse.sent.mentions:
        if m.entity.id in taken or m.entity.type not in ORG_TYPES | {"project"}:
            continue
        if re.match(rf"の(?:[^、。はがをにで]{{0,8}})?(?:{nouns})", parse.sent.text[m.end:]):
            return [m]
        # Aが…の資金調達を進め、Bが出資する: A raises, B invests.
        if re.match(rf"が[^、。はがを]{{0,16}}?(?:{nouns})を", parse.sent.text[m.end:]):
            return [m]
    return []


def _annual(text: str, amount):
    """Give an amount written after 年間で/毎年 (but parsed without a period) its annual period."""
    if amount is None or amount.period or amount.unit != "money":
        return amount
    before = text[max(0, amount.start - 12):amount.start]
    lx = _lexicon()
    if lx.annual.search(before) and not lx.not_annual.search(before):
        import dataclasses
        return dataclasses.replace(amount, period="year")
    return amount


def _partnership(parse: Parse, t: int, m, used: set[int]) -> list[Claim]:
    args = _args(parse, t)
    types = SUBJECT_TYPES["partnership"]
    subjects = _subjects(args, types, t)
    partners = [a.ment for a in args if a.role == "with" and a.depth <= 1 and _ok(a.ment, types)]
    if subjects and not partners:
        partners = _with_before(parse, t, subjects)
    if not subjects and partners:
        subjects = _zero_subject(parse, args, t)  # （Aは）Bと提携した
    if not subjects and not partners:
        # （Aは）…Bと（新素材開発の）合弁会社を設立: the partner however the parser hung it, with the zero subject.
        zero = _zero_subject(parse, args, t)
        partners = _with_before(parse, t, zero) if zero else []
        subjects = zero if partners else []
    if not subjects and not partners:
        groups: dict[int, list[Ment]] = {}
        for a in args:
            if (a.role.startswith("of") or a.role == "inside") and _ok(a.ment, types):
                groups.setdefault(a.group, []).append(a.ment)
        subjects = max(groups.values(), key=len, default=[])
    pairs = [(a, b) for a in subjects for b in partners] if partners else \
        [(a, b) for i, a in enumerate(subjects) for b in subjects[i + 1:]]
    if not pairs:
        # 両社で共同開発 / AとBで協業: で marks the parties acting together.
        joint = [a.ment for a in args if a.role == "at" and a.depth == 0 and _ok(a.ment, types)]
        if len({j.entity.id for j in joint}) >= 2:
            pairs = [(a, b) for i, a in enumerate(joint) for b in joint[i + 1:]]
    kind = "joint_venture" if any(w in m.group() for w in _lexicon().joint_venture) else "partnership"
    scope = _nonentity_arg(parse, t, ("を", "で", "において", "に関して", "について"))
    out = [make_claim("partnership", a.entity, b.entity, _span(parse.sent), details={"kind": kind, "scope": scope})
           for a, b in pairs if a.entity.id != b.entity.id]
    if kind == "joint_venture" and out:
        out += _equal_joint_venture(parse, m, pairs)
    return out


def _with_before(parse: Parse, t: int, subjects: list[Ment], types=None) -> list[Ment]:
    """AはBと（日本国内の事業で）合弁会社を設立: a と-marked company between the subject and T, with no
    predicate in between, is T's partner however the parser attached it (BとCの… read as a list)."""
    text = parse.sent.text
    taken = {s_.entity.id for s_ in subjects}
    first = max(s_.end for s_ in subjects)
    out = []
    for k, mm in enumerate(parse.sent.mentions):
        b = parse.ment_bun[k]
        if mm.start < first or b >= t or mm.entity.id in taken or not _ok(mm, types or SUBJECT_TYPES["partnership"]):
            continue
        if not re.match(r"\s*(?:[（(][^）)]{1,24}[)）])?\s*と(?!(?:共に|ともに|の|して|は))", text[mm.end:]):
            continue
        if any(_is_predicate(parse.bun[x]) and not _modifies(parse, x, t) for x in range(b, t)) \
                or re.search(r"[。]", text[mm.end:parse.bun[t].start]):
            continue
        out.append(mm)
    return out


def _modifies(parse: Parse, x: int, t: int) -> bool:
    """Whether predicate x is inside a relative clause on T's noun (AはBと、Xを供給する契約を結んだ): its heads
    reach T's noun without leaving the words between x and t, every predicate on the way a relative clause."""
    if _is_predicate(parse.bun[t]):
        return False  # everything before a verb depends on it: no clause of its noun
    node = x
    while x <= node < t:
        if _is_predicate(parse.bun[node]) and parse.bun[node].dep != "acl":
            return False
        node = parse.bun[node].head
    return node == t


def _supplier_clause(parse: Parse, t: int) -> bool:
    """Whether T's noun is modified by a supplying clause without a subject of its own (Bと、Xを供給する契約を
    結んだ): the subject of T is then the supplier and the と partner the buyer."""
    lx = _lexicon()
    for r in _relative_clauses(parse, t):
        words = _content(parse, r)
        if any(w in words for w in lx.supplier_subject) and \
                not any(parse.ment_bun[k] < r and parse.bun[parse.eff[k]].marker in ("が", "は") and
                        _modifies(parse, parse.eff[k], t) for k in range(len(parse.sent.mentions))):
            return True
    return False


def _equal_joint_venture(parse: Parse, m, pairs) -> list[Claim]:
    """AとBが折半出資で合弁会社「X」を設立: each parent owns 50% of X (the name right after the trigger)."""
    from kb.amounts import Amount

    text = parse.sent.text
    share = _lexicon().equal_share_re.search(text)
    jv = next((mm for mm in parse.sent.mentions if 0 <= mm.start - m.end() <= 6
               and re.fullmatch(r"[^、。をはが]*", text[m.end():mm.start])
               and mm.entity.type in ORG_TYPES | {"product", "project"}), None)
    if share is None or jv is None:
        return []
    quoted = re.match(r"[「『]([^」』]+)[」』]", text[m.end():])
    if quoted and (jv.start, jv.end) != (m.end() + quoted.start(1), m.end() + quoted.end(1)):
        return []  # 「SB Xジャパン」 names the venture, not the parent X inside it
    parents = {e.entity.id: e.entity for pair in pairs for e in pair}
    if jv.entity.id in parents:
        return []
    half = Amount(50.0, 50.0, None, "percent", None, False, None, share.group(), share.start(), share.end())
    return [make_claim("ownership", p_, jv.entity, _span(parse.sent), amount=half) for p_ in parents.values()]


def _manufacturing(parse: Parse, t: int, m, used: set[int]) -> list[Claim]:
    lx = _lexicon()
    if m.group() in lx.facility_words and re.match(
            rf"[^。]*?(?:{_alt(lx.site_nouns)})\s*に\s*(?:{_alt(lx.conversion_verbs)})", parse.sent.text[m.end():]):
        return _converted_factory(parse, t, used)
    if m.group() in lx.facility_words and re.search(
            rf"(?<![\u4e00-\u9fff])(?:{_alt(lx.former_prefixes)})[^、。をはがにでのと\s]{{0,8}}$", parse.sent.text[:m.start()]):
        return []  # 旧工場をデータセンターに転用: a former factory; only a verb (…で製造する) says something is made there
    args = _args(parse, t)
    types = SUBJECT_TYPES["manufacturing"]
    subjects = _subjects(args, types, t) or [a.ment for a in args if a.role == "of" and a.depth == 0
                                          and _ok(a.ment, types)][:1] or _zero_subject(parse, args, t)
    maker = _clause_head_company(parse, t, types)
    builder = [] if maker or not any(w in m.group() for w in lx.facility_words) else _clause_builder(parse, t, types)
    if builder:  # XがP州で建設を進める工場: the clause's builder and its places
        maker = builder
        args = args + [Arg(mm, "at", 1, parse.eff[k]) for k, mm in enumerate(parse.sent.mentions)
                       if (parse.bun[parse.eff[k]].head == t - 1 or parse.eff[k] == t - 2 and parse.sent.text.endswith(
                           "中の", 0, parse.bun[t - 1].end)) and parse.bun[parse.eff[k]].marker in ("で", "に")
                       and _ok(mm, PLACE_TYPES) and all(a.ment is not mm for a in args)]
    if maker and not any(a.role == "subj" and parse.bun[a.group].marker == "が" and a.depth <= 1 for a in args):
        subjects = maker  # Pで工場を拡張するX: the company the clause describes builds the plant, not the topic
    places = _with_states(parse, [a.ment for a in args if a.role in ("at", "to", "inside", "of", "of_at", "of_to")
                                  and a.depth <= 2 and _ok(a.ment, PLACE_TYPES)
                                  and not _describes_company(parse, a.ment) and not _destination(parse, a.ment)]
                          or _phase_places(parse, t)
                          or _built_at(parse, t))
    # Bの（米国）工場で製造する / B施設での組み立て: the plant's owner makes the things.
    owners = [mm for mm in parse.sent.mentions if _ok(mm, types) and re.match(
        rf"(?:の[^、。をはがにでとや]{{0,6}})?(?:{_alt(_lexicon().facility_words)})で", parse.sent.text[mm.end:])]
    if owners:
        subjects = owners[:1]
    if not subjects or not places:
        return []
    facility = next((a.ment.text for a in args if a.ment.entity.type == "facility"), "")
    if not facility and any(w in m.group() for w in _lexicon().facility_words):
        facility = _content(parse, t)
    details = {"product": _nonentity_arg(parse, t, ("を",)), "facility": facility}
    return [make_claim("manufacturing", s.entity, pl.entity, _span(parse.sent), details=details)
            for s in subjects for pl in places]


def _clause_head_company(parse: Parse, t: int, types) -> list[Ment]:
    """「P州で工場を拡張するX」: T (a plant noun) is the object of a relative clause on a company's name; [that company]."""
    bun = parse.bun
    v = bun[t].head
    if bun[t].marker != "を" or v < 0 or bun[v].dep != "acl" or bun[v].head < 0 or not _is_predicate(bun[v]):
        return []
    h = bun[v].head
    return [mm for k, mm in enumerate(parse.sent.mentions) if parse.ment_bun[k] == h and mm.start >= bun[v].end
            and _ok(mm, types) and re.fullmatch(r"\s*[米英独仏中韓台豪印加]?\s*", parse.sent.text[bun[v].end:mm.start])][:1]


def _clause_builder(parse: Parse, t: int, types) -> list[Ment]:
    """「XがP州で建設を進めるメモリー工場」: the が-subject of the relative clause written right before a plant noun
    (however the parser attached the clause) builds and runs the plant."""
    bun = parse.bun
    during = re.fullmatch(r"[^、。]{1,6}中の", parse.sent.text[bun[t - 1].start:bun[t - 1].end]) if t else None
    if t == 0 or bun[t - 1].end != bun[t].start or not during and (
            bun[t - 1].dep not in ("acl", "ROOT") or not _is_predicate(bun[t - 1])) \
            or re.search(r"[、。]", parse.sent.text[bun[t - 1].start:bun[t - 1].end]):
        return []  # (a clause the parser made the root of the sentence still modifies the noun right after it; XがPで建設中の工場)
    v = t - 1
    if during:  # XがP州で建設中の工場: the clause is the bunsetu right before (nothing hangs on 建設中の)
        near = {v - 1, v - 2}
        return [mm for k, mm in enumerate(parse.sent.mentions) if bun[parse.eff[k]].marker == "が"
                and parse.eff[k] in near and _ok(mm, types)]
    return [mm for k, mm in enumerate(parse.sent.mentions) if bun[parse.eff[k]].marker == "が"
            and bun[parse.eff[k]].head == v and _ok(mm, types)]


def _destination(parse: Parse, place: Ment) -> bool:
    """…をメキシコ（やカナダの顧客の工場）に輸出する: a place the goods are sent to (in the に/へ phrase of a
    delivery_verbs verb), not where they are made."""
    lx = _lexicon()
    return re.match(rf"[^、。をはがでにへ]{{0,24}}?(?:に|へ)(?:も|は)?\s*(?:{_alt(lx.delivery_verbs)})",
                    parse.sent.text[place.end:]) is not None


def _describes_company(parse: Parse, place: Ment) -> bool:
    """台湾の鴻海: a place that only says where a company is from (a company follows right after の)."""
    text = parse.sent.text
    plant = re.compile(rf"\s*(?:{_alt(_lexicon().facility_words)})")  # オハイオ州の北浜電機工場: where the plant is
    return any(mm.entity.type in ORG_TYPES and re.fullmatch(r"\s*の\s*[^、。をはがにで]{0,8}", text[place.end:mm.start])
               and not plant.match(text, mm.end) for mm in parse.sent.mentions if mm.start >= place.end)


def _contract(parse: Parse, t: int, m, used: set[int]) -> list[Claim]:
    args = _args(parse, t)
    types = SUBJECT_TYPES["contract"]
    subjects = _subjects(args, types, t)
    word = m.group()
    lx = _lexicon()
    if word in lx.supplier_subject:
        # B向けに出荷する: the beneficiary of a supply is its buyer too.
        roles = ("to", "for") if word in lx.buyer_to_only else ("from", "to")
        # Bに…を供給する契約を結んだ: the buyer may hang off the verb of T's contract noun.
        others = [a.ment for a in args if a.role in roles and a.depth <= (2 if parse.bun[t].dep == "acl" else 1)
                  and _ok(a.ment, types)]
        if not subjects and others:
            subjects = _zero_subject(parse, args, t)
        if len(subjects) == 1 and not others and not any(a.role == "subj" and a.ment in subjects
                                                         and parse.bun[a.group].marker == "は" for a in args):
            # 電源装置は米Bが供給する: B supplies the company the text is about (one supplier named; HBMはA、B、Cが供給して
            # いる describes a market, not a deal)
            others = _thing_topic_owner(parse, t)
        pairs = [(o, s) for s in subjects for o in others]
    else:
        roles = ("with", "from") + (("to",) if word in lx.supplier_to else ())
        others = [] if word in lx.deploy_verbs else \
            [a.ment for a in args if a.role in roles and a.depth <= 1 and _ok(a.ment, types)]
        if word not in lx.deploy_verbs:
            # A、Bといった事業者との契約 where A is a product (Azure): its maker is the supplier.
            others += [mk for mk in (_maker(a.ment) for a in args if a.role in roles and a.depth <= 1
                                     and a.ment.entity.type == "product") if mk is not None and _ok(mk, types)
                       and all(o.entity.id != mk.entity.id for o in others)]
        if not others and subjects and word not in lx.deploy_verbs:
            others = _with_before(parse, t, subjects, types)  # AはBと（5年間で…の）購入契約を結んだ
        others += [o for o in _product_suppliers(parse, args, m.start()) if o not in others]
        if not others and subjects and word in lx.deploy_verbs:
            others = _deploy_partner(parse, t, subjects)
        if not subjects and others:
            subjects = _zero_subject(parse, args, t) or _thing_topic_owner(parse, t)
        pairs = [(s, o) for s in subjects for o in others]
        if pairs and word not in lx.deploy_verbs and (_supplier_clause(parse, t) or any(
                parse.sent.text.endswith(w, 0, m.start()) for w in lx.supplier_subject)):
            # Bと…を供給する契約, Bと電力の供給契約: B buys, unless B is written as a maker of what is supplied
            # (電力会社Bと…電力供給契約: B supplies the power).
            pairs = [(s, o) if _supplies_product(parse, o, m.start()) else (o, s) for s, o in pairs]
    if not pairs:
        return []
    amount = _amount_for(parse, t, "money", used) or _amount_for(parse, t, "power", used) \
        or _amount_for(parse, t, "count", used)
    dur = re.search(r"([0-9０-９]+)\s*年(?:間|契約)", parse.sent.text)
    details = {"duration": f"{int(dur.group(1))} years" if dur else None}
    return [make_claim("contract", c.entity, s.entity, _span(parse.sent), amount=amount, details=details)
            for c, s in pairs if c.entity.id != s.entity.id]


# The end of a topic noun that names an actor (各社は, 投資家は, 政府は, 大手は), not a thing bought or supplied.
_ACTOR_END = re.compile(r"(?:社|者|家|府|省|庁|局|企業|会社|陣営|政府|当局|メーカー|大手|勢|側|業界|団体|銀行|首相|大統領|氏)$")


def _thing_topic_owner(parse: Parse, t: int) -> list[Ment]:
    """「サーバーは米Bから調達する」「冷却設備は米Bが供給する」「サーバーはB製を採用した」: the topic is the thing traded, not
    a party; the buyer is the company the sentences before are about. [that company] when the nearest は-topic before T
    (no name in it, not a time, an actor or a trigger) is on T's clause and T's other party is named, else []."""
    bun = parse.bun
    with_ment = set(parse.ment_bun) | set(parse.eff)
    tops = [b for b in bun if b.i < t and b.marker in ("は", "も") and not _time_topic(parse, b)][-1:]
    if not tops or tops[0].i in with_ment or not (t in _chain(bun, tops[0].i) or bun[tops[0].i].head in _chain(bun, t)):
        return []
    noun = _content(parse, tops[0].i)
    lx = _lexicon()
    if not noun or _ACTOR_END.search(noun) or lx.trigger_re.search(noun) or lx.segment_re.search(noun) \
            or any(b.marker == "が" and b.i not in with_ment for b in bun if tops[0].i < b.i < t):
        return []
    sent = parse.sent
    paragraph = (sent.discourse or {}).get("ja_paragraph", {})
    same = [prev for prev in sent.context if paragraph.get(prev.idx) == paragraph.get(sent.idx)]
    if _discourse_topic(sent) is not None and not any(_ok(mm, ORG_TYPES) and _TOPIC_AFTER.match(prev.text, mm.end)
                                                      for prev in same for mm in prev.mentions):
        topic = Ment(0, 0, _discourse_topic(sent), "")  # no company is the paragraph's topic yet: the text's company
    else:
        topic = _topic(sent)
    return [topic] if topic is not None and topic.entity.type in ORG_TYPES else []


def _supplies_product(parse: Parse, partner: Ment, t_start: int) -> bool:
    """電力会社Bと…電力供給契約: the noun before 供給 names what is supplied, and B is introduced right before its name
    (here or where the sentences before name it) as a company of that noun (P会社, P大手の, Pメーカー…): B supplies."""
    text = parse.sent.text
    product = re.search(rf"([^\s、。をはがにでとの0-9０-９]{{1,6}})の?(?:{_alt(_lexicon().supplier_subject)})$", text[:t_start])
    if product is None:
        return False
    maker = re.compile(rf"{re.escape(product.group(1))}(?:会社|大手|事業者|メーカー|企業)\s*の?\s*[「『]?$")
    for sent in (parse.sent, *parse.sent.context):
        for mm in sent.mentions:
            if mm.entity.id == partner.entity.id and maker.search(sent.text[max(0, mm.start - 12):mm.start]):
                return True
    return False


def _maker(ment: Ment) -> Ment | None:
    """The company that makes a product the gazetteer knows (its organization), as a mention at the product's place."""
    org = known_affiliation(ment.entity)
    return Ment(ment.start, ment.end, org, ment.text) if org is not None else None


def _deploy_partner(parse: Parse, t: int, subjects: list[Ment]) -> list[Ment]:
    """AはBと組み、…を配備する: the partner of a partnership verb in the continuative form that leads into the
    deploying clause is who the subject deploys with (its supplier)."""
    bun, lx = parse.bun, _lexicon()
    taken = {s_.entity.id for s_ in subjects}
    out = []
    for k, mm in enumerate(parse.sent.mentions):
        e = parse.eff[k]
        h = bun[e].head
        if mm.entity.id in taken or not _ok(mm, ORG_TYPES) or bun[e].marker != "と" or h < 0 or h >= t:
            continue
        verb = bun[h]
        if not any(lx.surface_type.get(x.group()) == "partnership"
                   for x in lx.trigger_re.finditer(parse.sent.text[bun[e].content_end:verb.end])):  # と組み
            continue
        if verb.marker not in ("、", "し", "して", "し、", "して、") or t not in _chain(bun, h)[:5]:
            continue  # 提携したが、…: another event
        out.append(mm)
    return out


def _after_alias(text: str, end: int) -> int:
    """Where the text after a name goes on, past an alias or note in brackets (X(SMCI)製: the 製)."""
    hit = re.match(r"\s*[（(][^（）()]{1,24}[)）]", text[end:])
    return end + hit.end() if hit else end


def _product_suppliers(parse: Parse, args: list[Arg], t_start: int) -> list[Ment]:
    """Companies whose product is the を object (B製GPUを導入, BのTPUを利用): the supplier, unless the
    object is a stake (Bの株式を購入 is ownership)."""
    lx = _lexicon()
    text = parse.sent.text
    out = []
    # B製Xを…T: the maker of T's object, however the parser attached it (no other object in between).
    for k, mm in enumerate(parse.sent.mentions):
        b = parse.bun[parse.ment_bun[k]]
        if mm.end <= t_start and b.marker == "を" and _ok(mm, ORG_TYPES) \
                and any(text.startswith(x, _after_alias(text, mm.end)) for x in lx.maker_suffixes) \
                and not any(x.marker == "を" and b.i < x.i and x.end <= t_start for x in parse.bun) \
                and not re.search(r"[、。]", text[b.end:t_start]):
            out.append(mm)
    for a in args:
        if a.role not in ("obj", "of_obj") or a.depth > 1 or not _ok(a.ment, ORG_TYPES):
            continue
        rest = text[a.ment.end:]
        if lx.share_re.match(rest):
            continue
        if (any(rest.startswith(x) for x in lx.maker_suffixes) or a.role == "of_obj" or rest.startswith("の")) \
                and a.ment not in out:
            out.append(a.ment)
    return out


def _stake_of(parse: Parse, t: int, m) -> list[Ment]:
    """The company whose shares are T's object (Bの株式の10%を取得する): [B], else []."""
    lx = _lexicon()
    text = parse.sent.text
    return [mm for k, mm in enumerate(parse.sent.mentions) if mm.end <= m.start() and lx.share_re.match(text[mm.end:])
            and _ok(mm, OBJECT_TYPES["ownership"]) and _np_reaches(parse, parse.ment_bun[k], t)][:1]


def _purchase(parse: Parse, t: int, m, used: set[int]) -> list[Claim]:
    """取得: of a stake (Bの株式の10%を取得) ownership of B; of a thing from a seller (Bから工場を取得) a contract."""
    lx = _lexicon()
    args = _args(parse, t)
    subjects = _subjects(args, SUBJECT_TYPES["ownership"], t) or _zero_subject(parse, args, t)
    held = _stake_of(parse, t, m)
    text = parse.sent.text
    if held:
        amount = _amount_for(parse, t, "percent", used)
        out = [make_claim("ownership", s_.entity, h.entity, _span(parse.sent), amount=amount)
               for s_ in subjects for h in held[:1] if s_.entity.id != h.entity.id]
        price = _stake_price(parse, t, used) if amount is not None else None
        # Bの株式30%をN億ドルで取得した: the price paid for the stake is an investment in B
        return out + [make_claim("investment", c.subject, c.object, _span(parse.sent), amount=price)
                      for c in out if price is not None]
    sellers = [a.ment for a in args if a.role == "from" and a.depth <= 1 and _ok(a.ment, SUBJECT_TYPES["contract"])]
    if not sellers:  # Bから…で取得した, however the parser cut the bunsetu
        sellers = [mm for mm in parse.sent.mentions if mm.end <= m.start() and _ok(mm, SUBJECT_TYPES["contract"])
                   and re.match(r"\s*(?:[（(][^）)]{1,24}[)）])?\s*から", text[mm.end:])
                   and not re.search(r"[、。]", text[mm.end:m.start()])][:1]
    amount = _amount_for(parse, t, "money", used)
    return [make_claim("contract", s_.entity, se.entity, _span(parse.sent), amount=amount)
            for s_ in subjects for se in sellers if s_.entity.id != se.entity.id]


def _stake_price(parse: Parse, t: int, used: set[int]):
    """The price a stake is bought for: money attached to the buying verb and marked で (…をN億ドル（約M円）で取得)."""
    price = _amount_for(parse, t, "money", used, attached_only=True)
    if price is not None and re.match(r"\s*(?:[（(][^）)]{1,24}[)）])?\s*で", parse.sent.text[price.end:]):
        return price
    return None


def _nominal_topic_owner(parse: Parse, t: int) -> list[Ment]:
    """「Aの強みは、Bの株式を保有していることだ」: the topic noun's owner (Aの…は) is who does what the こと clause
    it is equated with says."""
    bun = parse.bun
    chain = _chain(bun, t)
    koto = next((c for c in chain[1:3] if _content(parse, c).startswith("こと")), None)
    if koto is None:
        return []
    with_ment = set(parse.ment_bun)
    for b in bun:
        if b.marker != "は" or b.head != koto or b.i in with_ment or b.i >= t:
            continue
        owners = [mm for k, mm in enumerate(parse.sent.mentions) if parse.eff[k] == b.i - 1
                  and bun[b.i - 1].marker == "の" and bun[b.i - 1].head == b.i and _ok(mm, ORG_TYPES)]
        return owners[-1:]
    return []


def _stake_noun(parse: Parse, t: int, m, used: set[int]) -> list[Claim]:
    """「Aの持ち分は約10%だ」: A holds that share of the company the sentences before are about: the one whose
    shares were held (Bの株式の…を保有) or that was invested in (Bに出資), nearest first."""
    lx = _lexicon()
    sent = parse.sent
    holder = next((mm for mm in sent.mentions if re.fullmatch(r"\s*の\s*", sent.text[mm.end:m.start()])), None)
    if holder is None or not _ok(holder, SUBJECT_TYPES["ownership"]) or _BLOCK_LINE.match(sent.text):
        return []
    amount = _amount_for(parse, t, "percent", used, attached_only=True)
    if amount is None:
        return []
    invest = re.compile(_alt(w for w in lx.surface_type if lx.surface_type[w] == "investment"
                             and w not in lx.site_verbs))
    for prev in reversed(sent.context[-2:]):
        if _BLOCK_LINE.match(prev.text):
            continue
        for mm in reversed(prev.mentions):
            if mm.entity.id == holder.entity.id or not _ok(mm, OBJECT_TYPES["ownership"]) \
                    or mm.entity.type not in ORG_TYPES:
                continue
            rest = prev.text[mm.end:]
            if lx.share_re.match(rest) or re.match(r"\s*(?:[（(][^）)]{1,24}[)）])?\s*に(?!は|よ)", rest) \
                    and invest.search(re.split(r"[。、]", rest, maxsplit=1)[0]):
                return [make_claim("ownership", holder.entity, mm.entity, _span(sent), amount=amount)]
    return []


def _ownership(parse: Parse, t: int, m, used: set[int]) -> list[Claim]:
    word = m.group()
    lx = _lexicon()
    if word in lx.purchase_verbs:
        return _purchase(parse, t, m, used)
    if word in lx.stake_nouns:
        return _stake_noun(parse, t, m, used)
    args = _args(parse, t)
    types = SUBJECT_TYPES["ownership"]
    pairs: list[tuple[Ment, Ment]] = []
    after = parse.sent.text[m.end():]
    if word in lx.parent_nouns:
        # 親会社B / Aの親会社B: B owns A (the company before の, else the clause's subject).
        hit = next((mm for mm in parse.sent.mentions if mm.start >= m.end()
                    and re.fullmatch(r"\s*(?:の|である|、)?\s*", parse.sent.text[m.end():mm.start])), None)
        if hit is None or not _ok(hit, types):
            return []
        before = [mm for mm in parse.sent.mentions if mm.end <= m.start()
                  and re.fullmatch(r"\s*の\s*", parse.sent.text[mm.end:m.start()])]
        owned = before or [a.ment for a in args if a.role == "subj"] or \
            [mm for mm in parse.sent.mentions if mm.end <= m.start() and _TOPIC_AFTER.match(parse.sent.text, mm.end)
             and _TOPIC_AFTER.match(parse.sent.text, mm.end).group(1) == "は"][:1]
        return [make_claim("ownership", hit.entity, o.entity, _span(parse.sent))
                for o in owned[:1] if _ok(o, OBJECT_TYPES["ownership"]) and o.entity.id != hit.entity.id]
    if word in lx.ownership_relational and any(after.startswith(v) for v in lx.bring_under_verbs):
        # AはBを傘下に収めた: A owns B (the を argument of the verb after 傘下に).
        verb = parse.bun[t].head
        children = [mm for k, mm in enumerate(parse.sent.mentions) if parse.bun[parse.eff[k]].marker == "を"
                    and parse.bun[parse.eff[k]].head in (t, verb) and _ok(mm, OBJECT_TYPES["ownership"])]
        if verb >= 0:
            args = args + [a for a in _args(parse, verb) if a.role == "subj"]
        pairs = [(s_, c) for s_ in (_subjects(args, types, t) or _zero_subject(parse, args, t)) for c in children]
    elif word in lx.ownership_relational:
        parents = [a.ment for a in args if a.role in ("of", "inside") and a.depth == 0 and a.ment.start < m.start()
                   and _ok(a.ment, types)]
        bt = parse.bun[t]
        head_ments = [mm for k, mm in enumerate(parse.sent.mentions) if parse.ment_bun[k] == bt.head
                      and mm.start > m.end()]
        # Pの（通信）子会社C, Pの米子会社C: the name written right after the noun, in its bunsetu.
        inside = [mm for k, mm in enumerate(parse.sent.mentions) if parse.ment_bun[k] == t and mm.start >= m.end()
                  and re.fullmatch(r"\s*[米英独仏中韓台豪印加]?\s*", parse.sent.text[m.end():mm.start])]
        if head_ments and bt.marker in ("の", "である", "、", ""):
            children = head_ments[:1]
        elif inside and parents:
            children = inside[:1]
        elif _oblique_relation(parse, t):
            children = []  # AはBの子会社に部品を供給する: the subsidiary is where A supplies, not A
        else:
            children = _subjects(args, OBJECT_TYPES["ownership"])
        if word in lx.holder_relational:  # AはBの筆頭株主: the subject holds the company before the trigger
            pairs = [(s, pa) for s in _subjects(args, types) for pa in parents]
        else:
            # (米子会社のB: a one-kanji country before the noun says where B is, not who holds it)
            if not parents and head_ments and bt.marker == "の" \
                    and re.fullmatch(r"\s*[米英独仏中韓台豪印加]?\s*", parse.sent.text[bt.start:m.start()]):
                # 傘下のB with no parent named: the subject of the sentence, else the topic before it.
                parents = [s_ for s_ in _subjects(args, types, t) if s_.entity.id != head_ments[0].entity.id] \
                    or _zero_subject(parse, [a for a in args if a.ment.entity.id != head_ments[0].entity.id
                                             and a.ment not in head_ments], t)  # B（所在地）が: B's place too
            pairs = [(pa, c) for pa in parents for c in children]
    else:
        children = [a.ment for a in args if a.role in ("obj", "of_obj", "to", "of_to") and a.depth <= 1
                    and _ok(a.ment, OBJECT_TYPES["ownership"])]
        if not children:  # Bの株式の27%を保有, however the parser attached B
            children = _stake_of(parse, t, m)
        if not children:
            children = _held_head(parse, t, m, args)
        # AのBへの出資比率: the company written with の right before the one invested in holds the stake.
        by_bun = {parse.ment_bun[k]: mm for k, mm in enumerate(parse.sent.mentions)}
        of_holders = []
        for a in args:
            child = by_bun.get(parse.bun[a.group].head)
            if a.role == "of_to" and a.depth == 0 and _ok(a.ment, types) and parse.bun[a.group].marker == "の" \
                    and child in children and child is not a.ment and parse.bun[parse.bun[a.group].head].marker == "への" \
                    and re.fullmatch(r"\s*の\s*[^、。をはがにでと]{0,4}", parse.sent.text[a.ment.end:child.start]):
                of_holders.append(a.ment)
        if of_holders and not _subjects(args, types, t):
            children = [c for c in children if c not in of_holders]
            args = args + [Arg(h_, "subj", 0, t) for h_ in of_holders]
        # （Aは）Bを買収した: a clause without a subject is about the company the sentences before are about.
        holders = _subjects(args, types, t) or (_nominal_topic_owner(parse, t) or _zero_subject(parse, args, t)
                                                if children else [])
        pairs = [(s, c) for s in holders for c in children]
    if not pairs:
        return []
    amount = _amount_for(parse, t, "percent", used)
    if amount is None and word in lx.acquisition_verbs and all(
            any(a.ment is c and a.role == "obj" and a.depth == 0 for a in args) for _, c in pairs):
        price = _amount_for(parse, t, "money", used, attached_only=True)
        if price is not None:
            # AがBをN億ドルで買収する: the whole of B (the company itself is bought, not Bの事業) for that price, i.e.
            # ownership of 100% and an investment of the price in B
            from kb.amounts import Amount
            whole = Amount(100.0, 100.0, None, "percent", None, False, None, m.group(), m.start(), m.end())
            return [make_claim(type_, pa.entity, c.entity, _span(parse.sent), amount=a_)
                    for pa, c in pairs if pa.entity.id != c.entity.id
                    for type_, a_ in (("ownership", whole), ("investment", price))]
    # 子会社のBが…N円を投じる, Pの子会社Bは…N円で取得した: a relation noun is sized by a share, never by the money
    # of the clause's own event (B を N 円で子会社化した: the price is the acquisition's)
    relation_only = word in lx.ownership_relational and (parse.bun[t].marker == "の" or any(
        parse.ment_bun[k] == t and mm.start >= m.end() for k, mm in enumerate(parse.sent.mentions)))
    amount = amount or (None if relation_only else _amount_for(parse, t, "money", used))
    return [make_claim("ownership", pa.entity, c.entity, _span(parse.sent), amount=amount)
            for pa, c in pairs if pa.entity.id != c.entity.id]


def _held_head(parse: Parse, t: int, m, args: list[Arg]) -> list[Ment]:
    """「ZがN%を保有するY」: a relative clause with its own が-subject and a stake as its object, on a company noun: that
    company is the one held (with no subject in the clause, 「Bの株を持つファンドY」, Y would be the holder)."""
    text = parse.sent.text
    if not any(a.role == "subj" and parse.bun[a.group].marker == "が" and a.group < t for a in args):
        return []
    if not any(a.unit == "percent" and a.end <= m.start() and re.match(r"\s*を", text[a.end:]) for a in parse.sent.amounts):
        return []
    hit = re.match(r"(?:する|している|していた|した)", text[m.end():])
    if hit is None:
        return []
    head = next((mm for mm in parse.sent.mentions if mm.start >= m.end() + hit.end()), None)
    if head is None or not _ok(head, OBJECT_TYPES["ownership"]) or head.entity.type not in ("company", "project"):
        return []
    # the company noun may carry a description before its name (…を保有する米企業Y)
    if not re.fullmatch(r"[^、。はがをにでと「」（）()]{0,8}", text[m.end() + hit.end():head.start]):
        return []
    return [head]


# Verbs after 子会社に/傘下に that make the subject become it (Bの子会社になる, 傘下に入る): still a relation.
_BECOME_LEMMAS = frozenset({"なる", "入る"})


def _oblique_relation(parse: Parse, t: int) -> bool:
    """Whether a relational ownership noun (子会社, 傘下) is an oblique argument of another verb (Bの子会社に供給する,
    Bの子会社から購入する, Bの子会社と提携する) rather than what the subject is (Bの子会社だ, Bの子会社になる)."""
    bt = parse.bun[t]
    role = ROLE_OF_MARKER.get(bt.marker)
    if role not in ("to", "at", "obj", "from", "with", "for"):
        return False
    if role == "to" and bt.head >= 0 and any(tok.lemma_ in _BECOME_LEMMAS for tok in parse.bun[bt.head].tokens[:1]):
        return False
    return True


def _statistic(parse: Parse, t: int, m, used: set[int]) -> list[Claim]:
    amount = _amount_for(parse, t, "percent", used)
    if amount is None:
        return []
    # 同社が開いた説明会では…売上高が75%以上伸び: the company of a nearby clause owns the figure.
    args = _args(parse, t, clause_subjects=False)
    b = _bun_at(parse.bun, amount.end - 1)
    owners = [a.ment for a in args if (a.role.startswith("of") or a.role == "inside") and a.depth == 0
              and a.ment.start < m.start()]
    subjects = owners[:1] or _subjects(args, ORG_TYPES | PLACE_TYPES | {"product", "project"})[:1]
    if m.group() in _lexicon().share_of_whole:
        metric = _modifier_text(parse, b) or "share"
        whole = ja_stats._lexicon().metric_noun_re.search(metric)
        company_whole = whole and whole.group() not in ja_stats._lexicon().unowned
        if company_whole and not owners and subjects and subjects[0].entity.type in ("company", "organization"):
            # 「A社とB社が二大顧客で、両社合わせて売上高の3割強を占めます」: the companies are the part (customers);
            # the sales are those of the company the text is about, when it names one.
            parts = {a.ment.entity.id for a in args if a.role == "subj"}
            topic = _topic(parse.sent)
            ref = topic.entity if topic is not None else _discourse_topic(parse.sent)
            if ref is not None and ref.id not in parts:
                subjects = [Ment(0, 0, ref, "")]
        if not subjects and company_whole:
            # （Xは）…製品が売上の4割超を占め: the whole is a company's figure, so the share is the company's
            # the sentence (its topic) or the sentences before are about.
            own = [mm for k, mm in enumerate(parse.sent.mentions) if mm.entity.type in ("company", "organization")
                   and parse.bun[parse.eff[k]].marker == "は" and parse.eff[k] < t]
            topic = _topic(parse.sent)
            subjects = own[:1] or ([topic] if topic is not None else [])
        metric = f"{metric}に占める割合" if metric != "share" else metric
    else:
        metric = _modifier_text(parse, t, include_self=True)
    if not metric:
        return []
    return [make_claim("statistic", subjects[0].entity if subjects else None, None, _span(parse.sent),
                       amount=amount, details={"metric": metric})]


def _modifier_text(parse: Parse, b: int, include_self: bool = False) -> str:
    """T's noun phrase without entity names: AI半導体市場でのシェア, 売上高に占める割合."""
    with_ment = {parse.ment_bun[k] for k in range(len(parse.sent.mentions))}
    first = b
    while first - 1 >= 0 and parse.bun[first - 1].head in range(first, b + 1) and first - 1 not in with_ment \
            and parse.bun[first - 1].marker not in ("は", "が", "を", "、"):
        first -= 1
    if first == b and not include_self:
        return ""
    end = parse.bun[b].content_end if include_self else parse.bun[b - 1].end
    text = parse.sent.text[parse.bun[first].start:end].strip("「」『』（）() 　、")
    if not include_self:
        text = re.sub(r"の$", "", text)
    return text if len(text) <= 30 else text[-30:]


_FINDERS = {"investment": _investment, "partnership": _partnership, "manufacturing": _manufacturing,
            "contract": _contract, "ownership": _ownership, "statistic": _statistic}


def _role_claims(sent: Sentence) -> list[Claim]:
    """Executives: 「OpenAIのサム・アルトマンCEO」「ソフトバンクグループ会長兼社長の孫正義氏」."""
    lx = _lexicon()
    title_re = lx.title_re
    text = sent.text
    # Between a name and its title only particles, 氏 and copulas (だ, である, を務め) are allowed: grammar.
    orgs = [m for m in sent.mentions if m.entity.type in ORG_TYPES | {"country", "project"}]
    people = [m for m in sent.mentions if m.entity.type == "person"]
    out = []
    adjacent: set[str] = set()  # people whose title right after the name went to a written organization
    for person in people:
        for org in orgs:
            title = None
            own_title = True
            if org.end <= person.start:
                between, after = text[org.end:person.start], text[person.end:]
                if re.fullmatch(r"\s*の\s*", between):
                    hit = re.match(rf"\s*({title_re})", after)
                    title = hit and hit.group(1)
                else:
                    # 取締役CTOの: titles written one after another are one person's
                    hit = re.fullmatch(rf"\s*の?\s*({title_re}(?:\s*{title_re})*)\s*(?:の|である|、|\s)\s*", between)
                    title = hit and hit.group(1)
            else:
                between = text[person.end:org.start]
                after = text[org.end:]
                if re.fullmatch(r"\s*(?:氏)?\s*[（(]\s*", between):
                    hit = re.match(rf"\s*の?\s*({title_re})\s*[)）]", after)
                    title = hit and hit.group(1)
                elif re.fullmatch(rf"\s*(?:氏)?\s*(?:{title_re})?\s*(?:は|が)\s*、?\s*", between):
                    hit = re.match(rf"\s*の\s*({title_re})\s*(?:だ|です|である|を務め)", after)
                    title = hit and hit.group(1)
                    own_title = False  # 孫正義会長兼社長がBの会長を務める: 会長兼社長 is another organization's
                    if hit and any(p.start == org.end + hit.end() for p in people):
                        title = None  # 「孫氏は、Bの共同創業者であるC会長と…」: the title is C's, who follows
                elif re.fullmatch(rf"\s*(?:氏)?\s*が\s*{lx.lead_re}[^、。はがをに]{{0,12}}", between):
                    title = "leader"  # X氏が率いる（米AI企業）Y
                    own_title = False
            if title and not title.startswith(lx.former_prefixes):  # 元CEO, 前社長: a former role
                out.append(make_claim("role", person.entity, org.entity, _span(sent),
                                      details={"title": title if title == "leader" else normalize_title(title)}))
                if own_title:
                    adjacent.add(person.entity.id)
    # 「Xは…の事業で、Y氏が会長を務める」: a title held with no organization written is the sentence topic's.
    topic = next((m for m in orgs if re.match(r"\s*は", text[m.end:]) and not re.search(r"[、。]", text[:m.start])),
                 None)
    for person in people:
        hit = re.match(rf"\s*(?:氏)?\s*(?:{title_re})?\s*が\s*({title_re})\s*を務め", text[person.end:])
        if topic is not None and hit and topic.start < person.start and not hit.group(1).startswith(lx.former_prefixes) \
                and all(c.subject.id != person.entity.id or c.object.id != topic.entity.id for c in out):
            out.append(make_claim("role", person.entity, topic.entity, _span(sent),
                                  details={"title": normalize_title(hit.group(1))}))
    named = adjacent | {c.subject.id for c in out if known_affiliation(c.subject) is not None
                        and known_affiliation(c.subject).id == c.object.id}
    for person in people:
        # 「サム・アルトマンCEOは」「劉揚偉（ヤング・リウ）会長は」: no organization in the phrase, so the
        # person's known affiliation (gazetteer) is the organization the title belongs to.
        hit = re.match(rf"\s*(?:[（(][^）)]{{1,20}}[)）])?\s*({title_re})", text[person.end:]) \
            or re.search(rf"(?<![のA-Za-z\u30a0-\u30ff\u4e00-\u9fff])({title_re})\s*の\s*$", text[:person.start])  # 共同創業者のX氏
        org = known_affiliation(person.entity)
        if hit and org is not None and person.entity.id not in named and not hit.group(1).startswith(lx.former_prefixes):
            named.add(person.entity.id)
            out.append(make_claim("role", person.entity, org, _span(sent),
                                  details={"title": normalize_title(hit.group(1))}))
    # 株式会社X（本社：…、代表取締役社長：Y、以下「X」）: a press release introduces a company with its officer.
    for person in people:
        if person.entity.id in named:
            continue
        hit = re.search(rf"((?:{title_re})(?:\s*(?:{title_re}))*)\s*[：:]\s*$", text[:person.start])
        opened = text.rfind("（", 0, person.start)
        if hit is None or opened < 0 or "）" in text[opened:person.start]:
            continue
        owner = next((o for o in orgs if o.entity.type in ("company", "organization")
                      and _LEGAL_TAIL.fullmatch(text[o.end:opened])), None)
        if owner is not None and not hit.group(1).startswith(lx.former_prefixes):
            named.add(person.entity.id)
            out.append(make_claim("role", person.entity, owner.entity, _span(sent),
                                  details={"title": normalize_title(hit.group(1))}))
    # 「Y社長は記者会見で…」 in an article about X, naming no organization in the sentence and none the person
    # is known for: a company officer's title is held at the company the article is about.
    # 「Y経済産業相は」: a minister's title names the ministry (X相 / X大臣 → X省) the gazetteer knows, unless a
    # country written right before the name says the minister is another state's (英国のY財務相).
    for person in people:
        hit = re.match(r"\s*([\u4e00-\u9fff]{1,6}?)(?:相|大臣)(?![\u4e00-\u9fff])", text[person.end:])
        if hit is None or person.entity.id in named or hit.group(1).startswith(lx.former_prefixes):
            continue
        if any(m.entity.type == "country" and m.end <= person.start and re.fullmatch(r"\s*の?\s*", text[m.end:person.start])
               for m in sent.mentions) or re.search(r"(?:[英米中韓独仏印豪露台]|[\u4e00-\u9fff\u30a0-\u30ff]{1,6}国)の?\s*$",
                                                      text[:person.start]):
            continue
        ministry = _ministry(hit.group(1))
        if ministry is not None:
            named.add(person.entity.id)
            out.append(make_claim("role", person.entity, ministry, _span(sent), details={"title": "minister"}))
    # 「社長には（X出身の）Y氏が就いた」: a post filled names no company; it is the one the article or section is
    # about. A company written before 出身 is where the person comes from, not the post's.
    ref = _discourse_topic(sent)
    for person in people:
        hit = ([None] + list(re.finditer(rf"({title_re})\s*に\s*は?\s*、?", text[:person.start])))[-1]
        filled = re.match(r"\s*氏?\s*が\s*(?:就|就任)", text[person.end:])
        if ref is None or hit is None or filled is None or person.entity.id in named or hit.group(1).startswith(lx.former_prefixes) \
                or not set(normalize_title(hit.group(1)).split(" and ")) <= _OFFICER_TITLES:
            continue
        gap = text[hit.end():person.start]
        if any(hit.end() <= m.start < person.start and not m.entity.id == ref.id and not re.match(r"\s*出身", text[m.end:])
               for m in orgs) or not re.fullmatch(r"[^、。「」]{0,20}", gap) or any(m.start < hit.start() for m in orgs):
            continue
        named.add(person.entity.id)
        out.append(make_claim("role", person.entity, ref, _span(sent), details={"title": normalize_title(hit.group(1))}))
    # 「…部門長のY氏は」: a title written before the name (Tのy氏, T not itself after の) is the person's own.
    topic = (sent.discourse or {}).get("ja_topic")
    for person in people:
        before = text[:person.start]
        hit = re.match(rf"\s*(?:氏)?\s*({title_re})", text[person.end:])
        if hit is None and re.match(r"\s*氏", text[person.end:]):
            hit = re.search(rf"(?<!の)({title_re})\s*の\s*$", before)
            if hit and re.search(rf"[^\u4e00-\u9fff\u30a0-\u30ffA-Za-z]{{0,1}}の[\u4e00-\u9fff\u30a0-\u30ffA-Za-z]{{0,12}}$",
                                 before[:hit.start()]):
                hit = None  # Xの営業部長のY氏: the title belongs to what the first の-phrase names
            before = before[:hit.start()] if hit else before
        if topic is None or orgs or hit is None or person.entity.id in named or known_affiliation(person.entity) \
                or not set(normalize_title(hit.group(1)).split(" and ")) <= _OFFICER_TITLES or hit.group(1) in _PUBLIC_TITLES \
                or hit.group(1).startswith(lx.former_prefixes) or re.search(r"の\s*$", before):
            continue  # (…)のY社長: Y is an officer of what the の-phrase names, even where no entity was found in it
        named.add(person.entity.id)
        out.append(make_claim("role", person.entity, topic, _span(sent),
                              details={"title": normalize_title(hit.group(1))}))
    return out


# Ministers whose title is not the ministry's name less 省 (外相 is the foreign minister's).
_MINISTER_OF = {"外": "外務", "経産": "経済産業"}


@functools.lru_cache(maxsize=None)
def _ministry(stem: str):
    """The Japanese government body X省 for a minister's title X相 (経済産業相 → 経済産業省), else None."""
    from kb.entities.gazetteer import Gazetteer
    from kb.records import EntityRef

    entry = Gazetteer.load().lookup(_MINISTER_OF.get(stem, stem) + "省")
    if entry is None or entry.type != "government" or entry.attrs.get("country") != "JP":
        return None
    return EntityRef(entry.id, entry.name, entry.type)


# What may stand between a company's name and the parenthesis after it: its legal form (X, Inc.（…）, X株式会社（…）).
_LEGAL_TAIL = re.compile(r"[\s,]*(?:Inc\.?|Ltd\.?|LLC|Corp\.?|Co\.,?\s*Ltd\.?|株式会社)?\s*")
# Titles (their role_titles values) a company's officers hold; 大統領 and 議長 (president and chairman of a state or
# an assembly) share two of the values and are not a company's.
_OFFICER_TITLES = frozenset({"CEO", "CFO", "CTO", "COO", "president", "vice president", "chairman",
                             "vice chairman", "representative director", "director", "executive officer",
                             "managing executive officer", "senior managing executive officer", "head"})
_PUBLIC_TITLES = frozenset({"大統領", "議長"})


# A follow-up sentence of one deal: the noun of its size, は, then the figure (投資額は約5億ドル, 総額は、最大30億円).
_FOLLOW_UP_GAP = re.compile(r"は\s*、?\s*")
# …or with what the figure includes or how it is reached written before it (投資額は土地取得を含め総額約8億ドル,
# 総事業費は関連設備を合わせて約500億円, 投資額は2期合計で約900億円), or the phase it is of (投資額は第1期で約1200億円).
_FOLLOW_UP_GAP_WIDE = re.compile(r"は\s*、?\s*(?:[^、。はがを]{1,16}?(?:を含め(?:て|ると)?|を合わせ(?:て|ると)?|込みで|合計で|全体で)"
                                 r"|(?:第\s*[0-9０-９一二三四五]+\s*期|初期|当初)(?:分|工事)?\s*で)"
                                 r"\s*、?\s*(?:総額|合計|累計|計)?\s*(?:で)?\s*")
# Claims a size noun of each kind completes, nearest first; an investment noun also sizes a stake bought or a
# plant or site built (the investment is then made from that claim).
_FOLLOW_UP_TARGETS = {"investment": ("investment", "ownership", "manufacturing"), "contract": ("contract",),
                      "any": ("investment", "contract")}


def follow_up_amounts(claims: list[Claim], sentences: list[Sentence], starts: list[int]) -> list[Claim]:
    """Article level: …工場を建設すると発表した。投資額は約5億ドルで… / …契約を結んだ。期間は15年で、総額は約3000億円。
    A sentence that names no company and gives a deal's size (follow_up_amounts: the noun, は, the figure) sizes
    the claim without a figure of the one or two sentences before (the nearest kind the noun completes): the
    figure is set on it (an acquisition's price on the acquisition, as in one sentence), and its evidence runs
    to the end of the size sentence. An investment noun after a stake given as a percentage or a plant built
    makes that investment (subject → the company whose stake is bought, or the place). Claims
    the size sentence itself made from the figure with no counterpart (a zero-subject 投資額は…) are dropped.
    `starts` are the article offsets of the sentences."""
    lx = _lexicon()
    out = list(claims)
    by_passage: dict[int, list[Claim]] = {}
    for c in out:
        by_passage.setdefault(c.passage_idx, []).append(c)
    for i, sent in enumerate(sentences):
        out = _same_sentence_size(out, by_passage, sent, starts[i])
        if i > 0 and _INTERVIEWER_LINE.match(sentences[i - 1].text):
            out = _asked_site(out, by_passage, sentences[i - 1], sent, sentences[:i - 1])
        if i == 0 or any(_ok(m, ORG_TYPES) for m in sent.mentions):
            continue
        hit = lx.follow_up_re.search(sent.text)
        if hit and sent.text.endswith("の", 0, hit.start()) and not lx.follow_up_phase_re.search(sent.text, 0, hit.start()):
            continue  # 売上高の総額は…: the total of something else (第1期の投資額は, 新工場の投資額は: the same site's)
        amount = None
        for gap_re in (_FOLLOW_UP_GAP, _FOLLOW_UP_GAP_WIDE):
            gap = hit and gap_re.match(sent.text, hit.end())
            amount = gap and next((a for a in sent.amounts if a.unit == "money" and 0 <= a.start - gap.end() <= 3),
                                  None)
            if amount:
                break
        if not amount:
            continue
        kind = lx.follow_up_type[hit.group()]
        types = _FOLLOW_UP_TARGETS[kind]
        if any(v in hit.group() for v in lx.acquisition_verbs + lx.purchase_verbs):
            types = tuple(x for x in types if x != "manufacturing")  # 買収額, 取得額: the price of a company, not a plant
        targets = _follow_up_target(by_passage, sentences[max(0, i - 2):i], types)
        if not targets:
            continue
        figure = shift_amount(amount, starts[i])
        end = starts[i] + len(sent.text.rstrip())
        for target in targets:
            if target.type == "manufacturing" or target.amount is not None:  # a plant built; a stake's percentage
                made = Claim("investment", target.subject, target.object, target.start, end, target.passage_idx,
                             amount=figure, modality=target.modality, polarity=target.polarity,
                             attributed_to=target.attributed_to, details={"sized_by": hit.group()})
                out.append(made)
                by_passage.setdefault(made.passage_idx, []).append(made)
            else:
                target.amount, target.end = figure, end
        own = by_passage.get(sent.idx, [])
        out = [c for c in out if not (c in own and c.object is None and c.amount is not None
                                      and (c.amount.start, c.amount.end) == (figure.start, figure.end))]
    return out


def _same_sentence_size(out: list[Claim], by_passage: dict[int, list[Claim]], sent: Sentence, start: int) -> list[Claim]:
    """…の新工場で、総投資額は約300億円: a plant and, in the clause after it, its size (an investment noun, は, the
    figure). The figure the sentence made an investment of without a target is the investment in the plant's places."""
    lx = _lexicon()
    hit = lx.follow_up_re.search(sent.text)
    if not hit or lx.follow_up_type[hit.group()] != "investment" or "、" not in sent.text[:hit.start()][-2:] \
            or not any(w in sent.text[:hit.start()] for w in lx.facility_words):
        return out
    gap = _FOLLOW_UP_GAP.match(sent.text, hit.end())
    amount = next((a for a in sent.amounts if a.unit == "money" and 0 <= a.start - gap.end() <= 3), None)
    own = by_passage.get(sent.idx, [])
    plants = [c for c in own if c.type == "manufacturing" and c.polarity == "affirmed" and c.object is not None]
    if amount is None or not plants:
        return out
    figure = shift_amount(amount, start)
    bare = [c for c in own if c.type == "investment" and c.object is None and c.amount is not None
            and (c.amount.start, c.amount.end) == (figure.start, figure.end)
            and c.subject is not None and c.subject.id == plants[0].subject.id]  # the size made a claim of its own
    if not bare and any(c.amount is not None and (c.amount.start, c.amount.end) == (figure.start, figure.end)
                        for c in own):
        return out  # the figure is another claim's
    made = [Claim("investment", p.subject, p.object, p.start, p.end, p.passage_idx, amount=figure,
                  modality=bare[0].modality if bare else p.modality, polarity=p.polarity,
                  attributed_to=p.attributed_to, details={"sized_by": hit.group()})
            for p in plants if p.subject.id == (bare[0].subject.id if bare else plants[0].subject.id)]
    by_passage[sent.idx] = [c for c in own if c not in bare] + made
    return [c for c in out if c not in bare] + made


def _asked_site(out: list[Claim], by_passage: dict[int, list[Claim]], question: Sentence, answer: Sentence,
                before: list[Sentence]) -> list[Claim]:
    """――P の新工場の進捗は。「総額約2500億円を投じる計画で…」: the answer's investment without a target is in the place of
    the site the interviewer's question names (P written right before の and a site or plant noun)."""
    lx = _lexicon()
    site = re.compile(rf"\s*の\s*(?:新|新た?な|新規)?(?:{_alt(lx.facility_words + lx.site_nouns)})")
    places = [m for m in question.mentions if m.entity.type in PLACE_TYPES and site.match(question.text, m.end)]
    if not places:  # a place the article named before, written again in the question without being tagged there
        seen: dict[str, Ment] = {}
        for prev in before:
            for m in prev.mentions:
                if m.entity.type in PLACE_TYPES and len(m.text) >= 2:
                    seen.setdefault(m.text, m)
        places = [m for surface, m in seen.items()
                  if any(site.match(question.text, x.end()) for x in re.finditer(re.escape(surface), question.text))]
    bare = [c for c in by_passage.get(answer.idx, []) if c.type == "investment" and c.object is None
            and c.amount is not None and c.polarity == "affirmed" and c.subject is not None]
    if not places or not bare:
        return out
    made = [Claim("investment", c.subject, p.entity, c.start, c.end, c.passage_idx, amount=c.amount,
                  modality=c.modality, polarity=c.polarity, attributed_to=c.attributed_to,
                  details=dict(c.details or {}, purpose="site")) for c in bare for p in places]
    by_passage[answer.idx] = [c for c in by_passage[answer.idx] if c not in bare] + made
    return [c for c in out if c not in bare] + made


def follow_up_denials(claims: list[Claim], sentences: list[Sentence]) -> list[Claim]:
    """Article level: 「AがBに出資へ」と報じられた。ところが、Bは「そのような事実はない」と否定した。 A sentence whose
    topic (Xは/Xが) is a party of the reported claims of the sentence before, that states none of its own and
    denies (denial_verbs), negates them."""
    lx = _lexicon()
    by_passage: dict[int, list[Claim]] = {}
    for c in claims:
        by_passage.setdefault(c.passage_idx, []).append(c)
    for i, sent in enumerate(sentences):
        if i == 0 or not any(v in sent.text for v in lx.denial_verbs) or _QUESTION.search(sent.text):
            continue
        if any(c.type != "statistic" for c in by_passage.get(sent.idx, [])):
            continue
        deniers = {m.entity.id for m in sent.mentions if m.entity.type in ORG_TYPES | {"person"}
                   and _TOPIC_AFTER.match(sent.text, m.end)}
        for c in by_passage.get(sentences[i - 1].idx, []):
            if c.type in ("investment", "contract", "partnership", "ownership") and c.modality == "reported" \
                    and c.polarity == "affirmed" and deniers & {c.subject.id if c.subject else "",
                                                                c.object.id if c.object else ""}:
                c.polarity = "negated"
    return claims


def _follow_up_target(by_passage: dict[int, list[Claim]], before: list[Sentence], types: tuple[str, ...]) -> list:
    """The claims a size sentence completes: in the nearest sentence before with a claim of `types`, the
    claims without a figure (a stake may have its percentage) of the first type found there (affirmed, with a
    subject and a counterpart) of the last such claim's subject (one site in a state and its city is one investment)."""
    for sent in reversed(before):
        cands = [c for c in by_passage.get(sent.idx, []) if c.polarity == "affirmed"
                 and (c.amount is None or c.type == "ownership" and c.amount.unit == "percent")
                 and c.subject is not None and c.object is not None and c.type in types]
        for type_ in types:
            same = [c for c in cands if c.type == type_]
            if same:
                last = max(same, key=lambda c: c.start)
                return [c for c in same if c.subject.id == last.subject.id]
        if any(c.type in types for c in by_passage.get(sent.idx, [])):
            return []  # the sentence right before states a deal of its own: the size is its, not older ones'
    return []


# Between a holder and its percentage in a shareholding list (Aが60%、B40%): a subject marker or nothing.
_HOLDER_GAP = re.compile(r"\s*(?:が|は)?\s*(?:それぞれ|各)?\s*(?:約|およそ)?\s*")
# Between two holders that share the percentage after the second (イビデンとASEがそれぞれ30%).
_HOLDER_AND = re.compile(r"\s*(?:と|、|・|や)\s*")
# How far back a shareholding sentence may look for the company being set up when its holders are that company's
# founders written with it (A、B、Cの3社が設立した合弁会社「X」…。…。出資比率はAが40%、…).
_STAKE_LOOKBACK = 12


def follow_up_stakes(claims: list[Claim], sentences: list[Sentence], starts: list[int]) -> list[Claim]:
    """Article level: …合弁会社「X」を設立する。出資比率はAが60%、Bが40%。 A sentence opening with a shareholding
    noun (follow_up_stake_nouns) and listing holders with their percentages gives each an ownership of the company
    the sentence before (or the one before that) introduces as being set up; the evidence runs from that
    sentence to the end of the list. A holder must be a company, the venture one the article names."""
    from kb.entities import introduced_as_founded

    lx = _lexicon()
    out = list(claims)
    for i, sent in enumerate(sentences):
        hit = lx.stake_noun_re.match(sent.text.lstrip())
        if i == 0 or not hit:
            continue
        holders = []
        waiting = []  # AとBがそれぞれ30%: A waits for the percentage after B
        for m in sent.mentions:
            if not _ok(m, ORG_TYPES):
                continue
            gap = _HOLDER_GAP.match(sent.text, m.end)
            pct = next((a for a in sent.amounts if a.unit == "percent" and a.start == gap.end()), None)
            if pct is not None:
                if waiting and re.match(r"\s*(?:が|は)?\s*(?:それぞれ|各)", sent.text[m.end:]):
                    holders.extend((w, pct) for w in waiting)
                holders.append((m, pct))
                waiting = []
            elif _HOLDER_AND.fullmatch(sent.text, m.end, next((o.start for o in sent.mentions if o.start >= m.end),
                                                               m.end)):
                waiting.append(m)
            else:
                waiting = []
        venture = None
        for j in range(i - 1, max(-1, i - 1 - _STAKE_LOOKBACK), -1):
            prev = sentences[j]
            venture = next((m for m in reversed(prev.mentions) if _ok(m, ORG_TYPES)
                            and introduced_as_founded(prev.text, m.start, m.end)), None)
            if venture is not None:
                if j < i - 2 and not {h.entity.id for h, _ in holders} <= {o.entity.id for o in prev.mentions}:
                    venture = None  # far back, only for the founders the setting-up sentence names
                break
        if venture is None or not holders:
            continue
        end = starts[i] + len(sent.text.rstrip())
        for m, pct in holders:
            if m.entity.id != venture.entity.id:
                out.append(Claim("ownership", m.entity, venture.entity, starts[j], end, prev.idx,
                                 amount=shift_amount(pct, starts[i])))
    return out
