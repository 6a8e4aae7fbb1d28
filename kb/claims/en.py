"""English claims from patterns over the sentence text and entity mention positions.

There is no English parse (the pipeline may be blank), so each sentence is rewritten with its
mentions as `⟨k⟩` and its amounts as `⟪j⟫`; the patterns below then read roles off word order:
"⟨0⟩ will invest ⟪0⟫ in ⟨1⟩", "⟨0⟩, ⟨1⟩ and ⟨2⟩", "⟨0⟩, a subsidiary of ⟨1⟩".
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass

from kb.claims.base import (ATTRIBUTION_TYPES, OBJECT_TYPES, ORG_TYPES, PLACE_TYPES, SUBJECT_TYPES, Ment, Sentence,
                            checked_patterns, known_affiliation, make_claim, pick_modality, speaker_to_organization)
from kb.claims import en_parse
from kb.records import Claim

# The placeholders of the masked sentence and the grammar of the patterns: closed-class words
# (articles, prepositions, conjunctions, relative pronouns, numerals) stay here; every open-class
# word list (verbs, nouns, adjectives, adverbs, cue phrases) comes from claim_patterns/en.yaml.
ENT = r"⟨\d+⟩"
LIST = rf"{ENT}(?:(?:\s*,\s*{ENT})*\s*,?\s*(?:and|&)\s*{ENT})?"
AMT = r"⟪\d+⟫"
# (", ⟨1⟩ commits to …": a new clause with its own subject and verb after a comma)
CLAUSE_END = re.compile(r"[;:.!?]|\s(?:which|while|whereas|but|although|who)\b|,\s(?:and|as|while)\s|"
                        r",\s+⟨\d+⟩\s+(?:also\s+|then\s+)?(?:[a-z]+(?:s|ed)|has|have|will)\s+(?!and\b|or\b)")
PLACE_PREP = r"(?:in|at|across|to)\s+(?:the\s+)?(?:(?:U\.S\.\s+)?states?\s+of\s+)?"
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                "ten": 10, "fifteen": 15, "twenty": 20}


@dataclass
class Masked:
    """A sentence with mentions (⟨k⟩, k into groups) and amounts (⟪j⟫) replaced by placeholders."""

    text: str
    groups: list[list[Ment]]
    amounts: list


# Every key of en.yaml (a mapping of lists, such as triggers, contributes "mapping.list"); _Lexicon reads each.
PATTERN_KEYS = frozenset({
    "triggers.investment_verb", "triggers.investment_noun", "triggers.partnership_noun", "triggers.partnership_verb",
    "triggers.manufacturing_verb", "triggers.manufacturing_noun", "triggers.contract_noun",
    "triggers.contract_buy_verb", "triggers.contract_supply_verb", "triggers.statistic",
    "gap_words", "filler", "asides",
    "subject_verbs.investment_noun", "subject_verbs.partnership_noun", "subject_verbs.manufacturing_noun",
    "subject_verbs.contract_noun", "subject_verbs.statistic",
    "investment_not_before",
    "partnership_deal_nouns", "joint_venture", "joint_adverbs", "joint_verbs",
    "manufacturing_needs_product", "manufacturing_not_product", "facility_nouns", "states_where.activity", "states_where.place_kind",
    "states_where.adverb", "states_where.verb", "states_where.facility",
    "contract_not_after", "contract_supplier_verbs", "contract_supplier_purpose",
    "ownership_verb", "ownership_portion", "ownership_rel", "ownership_rel_modifier", "ownership_degree",
    "ownership_passive", "ownership_stake_verb", "ownership_stake_kind", "ownership_stake_noun", "holder_verb",
    "divest_verb", "divest_whole", "divest_holding",
    "role_titles", "former", "former_before_phrase", "product_makers",
    "metric_of_modifiers", "metric_nouns", "owner_metric_nouns",
    "speech", "speech_adverbs", "reported", "opinion", "hedged", "forecast", "planned", "negation", "denial",
})


def _alt(words: list[str]) -> str:
    return "|".join(words)


def _words(words: list[str]) -> re.Pattern:
    """Whole words or phrases, case-insensitive."""
    return re.compile(r"\b(?:" + _alt(words) + r")\b", re.I)


class _Lexicon:
    """en.yaml compiled: the patterns every finder uses, built once."""

    def __init__(self, p: dict):
        self.triggers = {k: _words(p["triggers"][k]) for k in (
            "investment_verb", "investment_noun", "partnership_noun", "partnership_verb", "manufacturing_verb",
            "manufacturing_noun", "contract_noun", "contract_buy_verb", "contract_supply_verb", "statistic")}
        self.titles: dict[str, str] = p["role_titles"]
        self.product_makers: dict[str, str] = p["product_makers"]
        one = "|".join(sorted((re.escape(k) for k in self.titles), key=len, reverse=True))
        self.title_re = rf"(?:{one})(?:\s*(?:and|&|,)\s*(?:{one}))*"
        # Subjects and their verbs.
        self.gap_words = frozenset(p["gap_words"])
        self.filler = rf"(?:(?:{_alt(p['filler'])}|{AMT})\s+)*"
        self.asides = _alt(p["asides"])
        self.subject_verbs = {k: _alt(p["subject_verbs"][k]) for k in (
            "investment_noun", "partnership_noun", "manufacturing_noun", "contract_noun", "statistic")}
        # investment
        self.not_investment = re.compile(rf"\s+to\s+(?:{_alt(p['investment_not_before'])})\b", re.I)
        self.contract_nouns = _alt(p["triggers"]["contract_noun"])
        # partnership
        self.deal_nouns = _alt(p["partnership_deal_nouns"])
        self.joint_venture: list[str] = p["joint_venture"]
        # "will", "plan to", "are" before the adverb: auxiliaries (grammar).
        self.jointly = re.compile(rf"({LIST})\s+(?:will\s+|plan\s+to\s+|are\s+)?(?:{_alt(p['joint_adverbs'])})\s+"
                                  rf"({_alt(p['joint_verbs'])})\w*")
        # manufacturing
        self.needs_product = re.compile(rf"(?:{_alt(p['manufacturing_needs_product'])})", re.I)
        self.not_product = re.compile(rf"(?:(?:a|an|the)\s+)?(?:{_alt(p['manufacturing_not_product'])})\b", re.I)
        self.facility_nouns = _alt(p["facility_nouns"])
        sw = p["states_where"]
        self.states_where = re.compile(
            rf"\b(?:{_alt(sw['activity'])})\s+{PLACE_PREP}({LIST}),?\s+(?:the\s+)?(?:[\w⟨⟩-]+\s+){{0,4}}?"
            rf"(?:{_alt(sw['place_kind'])})\s+where\s+({ENT})\s+(?:(?:{_alt(sw['adverb'])})\s+)?"
            rf"(?:{_alt(sw['verb'])})\s+(?:\w+\s+)?(?:{_alt(sw['facility'])})\b")
        # contract
        self.not_contract = re.compile(rf"(?:{_alt(p['contract_not_after'])})\s+$")
        self.supplier_verbs = re.compile(rf"\b(?:{_alt(p['contract_supplier_verbs'])})\b")
        self.supplier_purpose = re.compile(rf"\s*(?:with\s+{LIST})?\s*to\s+(?:{_alt(p['contract_supplier_purpose'])})")
        # ownership
        rel = rf"(?:(?:(?:{_alt(p['ownership_degree'])})[- ]owned|{_alt(p['ownership_rel_modifier'])})\s+)?" \
              rf"(?:{_alt(p['ownership_rel'])})"
        self.rel = re.compile(rf"-owned|{rel}")
        self.rel_of = re.compile(rf"({ENT})\s*,\s*(?:a|an|the)\s+{rel}\s+of\s+({ENT})")
        # The copulas of "⟨0⟩ is a unit of ⟨1⟩" are grammar.
        self.rel_is = re.compile(rf"({ENT})\s+(?:is|was|became|becomes|will become)\s+(?:a|an)\s+{rel}\s+of\s+({ENT})")
        self.rel_poss = re.compile(rf"({ENT})(?:'s|’s|-owned|\s+{rel})\s+(?:{rel}\s+)?({ENT})")
        self.owned_by = re.compile(rf"({ENT})\s*,\s*(?:which\s+is\s+)?(?:(?:{_alt(p['ownership_degree'])})[- ])?"
                                   rf"(?:{_alt(p['ownership_passive'])})\s+by\s+({ENT})")
        self.acquire = re.compile(rf"\b(?:{_alt(p['ownership_verb'])})\s+(?:(?:{_alt(p['ownership_portion'])})\s+of\s+)?"
                                  rf"({ENT})(?!\s*(?:'s|’s)\s)")  # "buy ⟨1⟩'s chips" buys a product, not ⟨1⟩
        stake_nouns = _alt(p["ownership_stake_noun"])
        self.stake = re.compile(rf"\b(?:{_alt(p['ownership_stake_verb'])})\s+(?:a|an|its|any|no)?\s*(?:(⟪\d+⟫)\s+)?"
                                rf"(?:(?:{_alt(p['ownership_stake_kind'])})\s+)?(?:(?:{stake_nouns})\s+in|of)\s+({ENT})")
        self.stake_noun = re.compile(stake_nouns)
        self.holder = re.compile(rf"({ENT})\s+(?:(?:{_alt(p['holder_verb'])})\s+)?(⟪\d+⟫)(?!\s*(?:of|stake))")
        self.divest = re.compile(rf"\b(?:{_alt(p['divest_verb'])})\s+(?:all\s+of\s+)?(?:its|their|the)\s+"
                                 rf"(?:(?:{_alt(p['divest_whole'])})\s+)?(?:{_alt(p['divest_holding'])})\s+in\s+({ENT})")
        # role
        self.former = re.compile(rf"\b(?:{_alt(p['former'])})\s*$", re.I)
        self.former_before_phrase = re.compile(rf"\b(?:{_alt(p['former_before_phrase'])})\s*$", re.I)
        # statistic
        self.metric_of = re.compile(rf"\s+of\s+(?:(?:{_alt(p['metric_of_modifiers'])})\s+)?((?:[\w.⟨⟩'’-]+\s?){{1,5}})")
        self.metric_noun = re.compile(rf"((?:[A-Za-z-]+\s+)?(?:{_alt(p['metric_nouns'])}))\b", re.I)
        self.metric_owner = re.compile(rf"({ENT})(?:'s|’s)\s+(?:[\w-]+\s+){{0,3}}(?:{_alt(p['owner_metric_nouns'])})")
        # attribution, modality, polarity
        speech = _alt(p["speech"])
        self.speaker_before = re.compile(rf"({LIST})(?:\s*,[^,]{{1,60}},)?(?:\s+(?:{_alt(p['speech_adverbs'])}))*"
                                         rf"\s+(?:{speech})\b")
        self.speaker_after = re.compile(rf"\b(?:{speech})\s+({ENT})")
        self.modality = {k: _words(p[k]) for k in ("hedged", "forecast", "planned", "opinion", "reported")}
        self.negation = _words(p["negation"])
        self.denial = _words(p["denial"])


@functools.lru_cache(maxsize=None)
def _lexicon() -> _Lexicon:
    return _Lexicon(checked_patterns("en", PATTERN_KEYS))


def _mask(sent: Sentence) -> Masked:
    spans: list[tuple[int, int, str, object]] = []
    groups: list[list[Ment]] = []
    for m in sent.mentions:
        if groups and (groups[-1][0].start, groups[-1][0].end) == (m.start, m.end):
            groups[-1].append(m)
        elif not groups or m.start >= groups[-1][0].end:
            groups.append([m])
    for k, g in enumerate(groups):
        spans.append((g[0].start, g[0].end, "m", k))
    amounts = []
    for a in sent.amounts:
        if all(a.end <= s or a.start >= e for s, e, _, _ in spans):
            spans.append((a.start, a.end, "a", len(amounts)))
            amounts.append(a)
    spans.sort(key=lambda s: s[0])
    out, pos = [], 0
    for s, e, kind, k in spans:
        out.append(sent.text[pos:s])
        out.append(f"⟨{k}⟩" if kind == "m" else f"⟪{k}⟫")
        pos = e
    out.append(sent.text[pos:])
    return Masked("".join(out), groups, amounts)


def _ents(masked: Masked, text: str, types=None) -> list[Ment]:
    found = []
    for k in re.findall(r"⟨(\d+)⟩", text):
        for m in masked.groups[int(k)]:
            if types is None or m.entity.type in types:
                found.append(m)
    return found


def _amount(masked: Masked, text: str, unit: str):
    for j in re.findall(r"⟪(\d+)⟫", text):
        a = masked.amounts[int(j)]
        if a.unit == unit:
            return a
    return None


def _clause_after(text: str, pos: int, limit: int = 120) -> str:
    rest = text[pos:pos + limit]
    m = CLAUSE_END.search(rest)
    return rest[:m.start()] if m else rest


def _subject_before(masked: Masked, pos: int, types, verbs: str = "") -> tuple[list[Ment], int] | None:
    """The entity list right before `pos`, separated only by auxiliaries/adverbs (and `verbs` + filler)."""
    head = masked.text[:pos]
    # "Microsoft, which has invested …, now owns": the relative clause (or a ", by contrast," aside) between
    # the subject and its verb is skipped; "X, which has invested" keeps X as the subject of the verb.
    head = re.sub(rf"({ENT})\s*,\s*(?:which|who)\s+(?:[^,;]{{1,120}}),(?=\s*(?:\w+[^,;]*)?$)", r"\1", head)
    head = re.sub(rf"({ENT})\s*,\s*(?:which|who)\b", r"\1", head)
    head = re.sub(rf"({ENT})\s*,\s*(?:{_lexicon().asides})\s*,", r"\1", head)
    found = _subject_in(masked, head, types, verbs)
    if found is None:
        # "OpenAI agreed to buy …, and struck supply agreements with …" / "…, and it plans to assemble …":
        # a coordinated clause without its own subject shares the sentence subject.
        m = re.match(rf"\s*(?:[^⟨,]{{0,40}},\s*)?({LIST})\s[^;:]*?,\s+and\s+(?:(?:it|they)\s+)?([^⟨⟩,;:]*)$", head)
        if m:
            found = _subject_in(masked, m.group(1) + " " + m.group(2), types, verbs)
            found = (found[0], m.start(1)) if found else None
    return found


def _subject_in(masked: Masked, head: str, types, verbs: str) -> tuple[list[Ment], int] | None:
    lx = _lexicon()
    verb = rf"(?:\s+(?:{verbs}))?" if verbs else ""
    pattern = re.compile(rf"({LIST})((?:'s|’s)?(?:\s+[\w'’]+)*?){verb}\s+{lx.filler}$")
    for start in [m.start() for m in re.finditer(ENT, head)]:
        m = pattern.match(head, start)
        if not m or re.search(r"\b(?:to|of|by|from|with|for|in|at|on|than)\s*$", head[:start], re.I):
            continue
        gap = m.group(2).strip()
        words = re.findall(r"[\w'’]+", gap.replace("n't", " n't"))
        if gap in ("'s", "’s") or all(w.lower() in lx.gap_words for w in words):
            ments = _ents(masked, m.group(1), types)
            return (ments, m.start()) if ments else None
    return None


def _modality(masked: Masked, region: str) -> str:
    cues = _lexicon().modality
    found = set()
    for name in ("hedged", "forecast", "planned"):
        if cues[name].search(region):
            found.add(name)
    if cues["opinion"].search(masked.text):
        found.add("opinion")
    if any(not _own_report(masked, m) for m in cues["reported"].finditer(masked.text)):
        found.add("reported")
    return pick_modality(found)


_OWN_REPORTER = re.compile(r"(?:⟨(\d+)⟩|\b[Tt]he (?:company|firm|group|\w*maker))\s+(?:(?:has|had|also|earlier)\s+)*$")


def _own_report(masked: Masked, m: re.Match) -> bool:
    """'Kestrel reported net income of $2 billion': a company reporting its own results, not a report about it
    (a news outlet's 'The Journal reported' still is one)."""
    if m.group(0).lower() != "reported":
        return False
    before = _OWN_REPORTER.search(masked.text, 0, m.start())
    if before is None:
        return False
    if before.group(1) is None:
        return True
    group = masked.groups[int(before.group(1))]
    return all(x.entity.type in ORG_TYPES and not en_parse._is_media(x.entity.id) for x in group)


def _polarity(masked: Masked, region: str) -> str:
    lx = _lexicon()
    if lx.negation.search(region) or lx.denial.search(masked.text):
        return "negated"
    return "affirmed"


def _attribution(masked: Masked) -> object:
    lx = _lexicon()
    t = masked.text
    # "according to (a report by) ⟨0⟩" is the grammar of a source, the cue list is reported.
    m = re.search(rf"\baccording to\s+(?:a\s+report\s+(?:by|from|in)\s+|the\s+)?({ENT})", t, re.I) or \
        lx.speaker_before.search(t) or lx.speaker_after.search(t)
    if not m:
        return None
    ments = _ents(masked, m.group(1), ATTRIBUTION_TYPES)
    # Several speakers announcing together cannot be one attribution.
    return ments[0].entity if len({x.entity.id for x in ments}) == 1 else None


def _unmask(masked: Masked, text: str) -> str:
    text = re.sub(r"⟨(\d+)⟩", lambda m: masked.groups[int(m.group(1))][0].text, text)
    return re.sub(r"⟪(\d+)⟫", lambda m: masked.amounts[int(m.group(1))].text, text)


def _horizon(text: str) -> str:
    # Time phrases (over the next N years, by 2030) are grammar: prepositions and numerals.
    num = r"(\d+|" + "|".join(NUMBER_WORDS) + r")"
    m = re.search(rf"\bover\s+(?:the\s+)?(?:next\s+)?{num}(?:\s*(?:to|-|–)\s*{num})?\s+years\b", text, re.I)
    if m:
        lo = NUMBER_WORDS.get(m.group(1).lower(), m.group(1))
        return f"{lo}-{NUMBER_WORDS.get(m.group(2).lower(), m.group(2))} years" if m.group(2) else f"{lo} years"
    m = re.search(r"\b(?:by|through|until)\s+(?:the\s+end\s+of\s+)?(20\d\d)\b", text)
    return f"by {m.group(1)}" if m else ""


def _phrase(text: str, max_words: int = 6) -> str:
    words = re.findall(r"[\w'’./-]+", text)
    # A noun phrase ends at a preposition or conjunction and loses its leading determiners: grammar.
    stop = {"in", "at", "by", "over", "across", "through", "during", "this", "next", "with", "from", "for", "and"}
    out = []
    for w in words:
        if w.lower() in stop and out:
            break
        if "⟨" in w or "⟪" in w:
            break
        out.append(w)
    while out and out[0].lower() in ("a", "an", "the", "its", "their", "new"):
        out.pop(0)
    return " ".join(out[:max_words]).rstrip(".,")


def sentence_claims(sent: Sentence) -> list[Claim]:
    """All claims of one English sentence."""
    masked = _mask(sent)
    span = (0, len(sent.text))
    raw: list[tuple[Claim, str]] = []
    for finder in (_roles, _ownership, _partnership, _investment, _manufacturing, _contract, _statistic):
        raw.extend(finder(masked, span))
    raw = en_parse.combine(raw, en_parse.parse_claims(sent, span))  # verb frames from the parse, if any
    by = _attribution(masked)
    out = []
    for claim, region in raw:
        if claim.type != "role":
            claim.modality = _modality(masked, region)
            claim.polarity = _polarity(masked, region)
            if claim.details.pop("divested", False):
                claim.polarity = "negated"
            claim.attributed_to = by
        out.append(claim)
    return speaker_to_organization(_written_states(sent, out))


def _written_states(sent: Sentence, claims: list[Claim]) -> list[Claim]:
    """A claim in a town ("in Fremont, California", "in Boise, Idaho") also holds in the state written right
    after it: for a town the gazetteer does not know, the place a tracker can follow; for a city it knows, the
    state the article names as a claim of its own."""
    out = list(claims)
    for c in claims:
        if c.object is None or c.object.type not in ("place", "city") or c.type not in ("investment", "manufacturing"):
            continue
        for m in sent.mentions:
            if m.entity.id != c.object.id:
                continue
            state = next((s for s in sent.mentions if s.entity.type == "state"
                          and re.fullmatch(r",\s*", sent.text[m.end:s.start])), None)
            if state is not None and not any(o.type == c.type and o.subject == c.subject and o.object is not None
                                              and o.object.id == state.entity.id for o in out):
                out.append(dataclasses.replace(c, object=state.entity, details=dict(c.details)))
            break
    return out


def _investment(masked: Masked, span) -> list[tuple[Claim, str]]:
    lx = _lexicon()
    out = []
    types = SUBJECT_TYPES["investment"]
    for kind in ("investment_verb", "investment_noun"):
        for m in lx.triggers[kind].finditer(masked.text):
            if kind == "investment_verb" and m.group().lower().startswith("commit") and \
                    re.search(r"\b(?:is|are|was|were|be|been|remain|remains)\s+$", masked.text[:m.start()], re.I):
                continue  # "A and B are committed to $17 billion and $9 billion": obligations held, not an investment
            if kind == "investment_verb" and m.group().lower().startswith("commit") and \
                    re.match(r"\s+to\s+(?:[^\s,;.⟨]+\s+){0,5}?(?:%s)\b" % lx.contract_nouns, masked.text[m.end():], re.I):
                continue  # "commits to a cloud contract with Y worth $300 billion": a contract (_contract), not an investment
            if kind == "investment_verb":
                found = _subject_before(masked, m.start(), types)
            else:
                found = _subject_before(masked, m.start(), types, verbs=lx.subject_verbs["investment_noun"])
            if not found:
                continue
            subjects, s_start = found
            after = _clause_after(masked.text, m.end())
            if lx.not_investment.match(after):
                continue  # "committed to purchase $250 billion of services" is a purchase, not an investment
            amount = _amount(masked, masked.text[s_start:m.start()] + after, "money")
            if kind == "investment_noun" and amount is None and not re.match(r"\s+(?:in|into)\b", after):
                continue
            obj = re.search(rf"\b(?:in|into|across)\s+(?:the\s+)?(?:(?:U\.S\.\s+)?states?\s+of\s+)?({LIST})", after)
            objects = _ents(masked, obj.group(1), OBJECT_TYPES["investment"]) if obj else []
            if not obj and re.match(r"(?i)commit|pledg", m.group()):
                # "has committed tens of billions of dollars to ⟨1⟩ and to ⟨2⟩": money committed to a company
                to = re.match(rf"((?:(?!\bto\b)[^⟨;,]){{0,60}})\bto\s+(?:the\s+)?({LIST}(?:\s*,?\s+and\s+to\s+{ENT})*)"
                              rf"(?!\s*(?:'s|’s))", after)
                money = to and re.search(r"⟪\d+⟫|\b(?:dollars|billions?|millions?|money|capital|funds?|funding)\b",
                                         to.group(1), re.I)
                objects = _ents(masked, to.group(2), OBJECT_TYPES["investment"]) if money else []
            purpose = re.search(r"\b(?:in|into|on|for)\s+(?!⟨)([^,;⟨⟪]{3,60})", after)
            details = {"period": amount.period if amount is not None else None,
                       "horizon": _horizon(masked.text),
                       "purpose": _phrase(purpose.group(1)) if purpose else ""}
            region = masked.text[s_start:m.end()]
            for s in subjects:
                for o in objects or [None]:
                    if o is None or o.entity.id != s.entity.id:
                        out.append((make_claim("investment", s.entity, o.entity if o else None, span,
                                               amount=amount, details=details), region))
    return out


def _partnership(masked: Masked, span) -> list[tuple[Claim, str]]:
    lx = _lexicon()
    types = SUBJECT_TYPES["partnership"]
    text = masked.text
    out = []
    for kind in ("partnership_noun", "partnership_verb"):
        for m in lx.triggers[kind].finditer(text):
            after = _clause_after(text, m.end())
            pairs = []
            jv = any(w in m.group().lower() for w in lx.joint_venture)
            with_list = re.match(rf"\s+(?:(?:{lx.deal_nouns})\s+)?(?:with|between)\s+({LIST})", after)
            if kind == "partnership_noun":
                found = _subject_before(masked, m.start(), types, verbs=lx.subject_verbs["partnership_noun"])
            else:
                found = _subject_before(masked, m.start(), types)
            if found and with_list:
                partners = _ents(masked, with_list.group(1), types)
                pairs = [(a, b) for a in found[0] for b in partners]
            elif found and len(found[0]) > 1:
                pairs = [(a, b) for i, a in enumerate(found[0]) for b in found[0][i + 1:]]
            elif with_list and with_list.group(0).lstrip().startswith("between"):
                ments = _ents(masked, with_list.group(1), types)
                pairs = [(a, b) for i, a in enumerate(ments) for b in ments[i + 1:]]
            start = found[1] if found else m.start()
            scope = re.search(r"\b(?:to|on|for)\s+(?!⟨)([^,;⟨⟪]{3,80})", after)
            details = {"kind": "joint_venture" if jv else "partnership",
                       "scope": _phrase(scope.group(1), 8) if scope else ""}
            for a, b in pairs:
                if a.entity.id != b.entity.id:
                    out.append((make_claim("partnership", a.entity, b.entity, span, details=details),
                                text[start:m.end()]))
    for m in lx.jointly.finditer(text):
        ments = _ents(masked, m.group(1), types)
        scope = _phrase(_clause_after(text, m.end()), 8)
        for i, a in enumerate(ments):
            for b in ments[i + 1:]:
                out.append((make_claim("partnership", a.entity, b.entity, span,
                                       details={"kind": "partnership", "scope": scope}), m.group(0)))
    return out


def _manufacturing(masked: Masked, span) -> list[tuple[Claim, str]]:
    lx = _lexicon()
    types = SUBJECT_TYPES["manufacturing"]
    text = masked.text
    out = []
    for kind in ("manufacturing_verb", "manufacturing_noun"):
        for m in lx.triggers[kind].finditer(text):
            after = _clause_after(text, m.end(), 160)
            if kind == "manufacturing_verb":
                found = _subject_before(masked, m.start(), types)
                hit = re.match(rf"((?:{ENT}(?:'s|’s)|(?!⟨|\b(?:in|at|across)\b).){{0,80}}?)"
                               rf"(?:\b(?:at|in)\s+(?:its|their|the|a|an)\s+(?:[\w-]+\s+){{0,2}}?"
                               rf"(?:{lx.facility_nouns})\s+)?"
                               rf"\b{PLACE_PREP}({LIST})", after)
                product = _phrase(_unmask(masked, hit.group(1)), 8) if hit else ""
                if lx.needs_product.fullmatch(m.group()) and (not product or lx.not_product.match(product)):
                    continue  # "makes it in Texas", "made an offer for a rival in Texas" name nothing made

            else:
                found = _subject_before(masked, m.start(), types, verbs=lx.subject_verbs["manufacturing_noun"])
                hit = re.match(rf"()\s*(?:\w+\s+){{0,2}}?{PLACE_PREP}({LIST})", after)
                product = ""
            if not found or not hit:
                continue
            places = _ents(masked, hit.group(2), PLACE_TYPES)
            details = {"product": product, "facility": m.group() if kind == "manufacturing_noun" else ""}
            for s in found[0]:
                for pl in places:
                    out.append((make_claim("manufacturing", s.entity, pl.entity, span, details=details),
                                text[found[1]:m.end()]))
    # "…, with manufacturing in Ohio, Texas and Indiana, the five states where Foxconn operates facilities"
    for m in lx.states_where.finditer(text):
        for s in _ents(masked, m.group(2), types):
            for pl in _ents(masked, m.group(1), PLACE_TYPES):
                out.append((make_claim("manufacturing", s.entity, pl.entity, span, details={"facility": "facilities"}),
                            m.group(0)))
    return out


def _contract(masked: Masked, span) -> list[tuple[Claim, str]]:
    lx = _lexicon()
    types = SUBJECT_TYPES["contract"]
    text = masked.text
    out = []
    for kind in ("contract_noun", "contract_buy_verb", "contract_supply_verb"):
        for m in lx.triggers[kind].finditer(text):
            before = text[max(0, m.start() - 30):m.start()].lower()
            if lx.not_contract.search(before):
                continue
            after = _clause_after(text, m.end())
            pairs = []
            if kind == "contract_noun":
                found = _subject_before(masked, m.start(), types, verbs=lx.subject_verbs["contract_noun"])
                if not found:
                    continue
                verb = text[found[1]:m.start()].lower()
                who = re.match(rf"\s+(with|from|to)\s+({LIST})", after)
                awarded = re.search(rf"awarded\s+({LIST})", verb)  # "⟨0⟩ awarded ⟨1⟩ a contract": a construction
                if awarded:
                    pairs = [(s, o) for s in found[0] for o in _ents(masked, awarded.group(1), types)]
                elif who:
                    others = _ents(masked, who.group(2), types)
                    supplier_subject = lx.supplier_verbs.search(verb) or lx.supplier_purpose.match(after[who.start():])
                    pairs = [(o, s) if supplier_subject else (s, o) for s in found[0] for o in others]
            else:
                found = _subject_before(masked, m.start(), types)
                if not found:
                    continue
                if kind == "contract_buy_verb":
                    who = re.search(rf"\bfrom\s+({LIST})", after)
                    pairs = [(s, o) for s in found[0] for o in _ents(masked, who.group(1), types)] if who else []
                else:
                    who = re.match(rf"\s+({LIST})\s+with\b", after) or re.search(rf"\bto\s+({LIST})", after)
                    pairs = [(o, s) for s in found[0] for o in _ents(masked, who.group(1), types)] if who else []
            region = text[found[1]:m.end()]
            amount = _amount(masked, region + after, "money")
            dur = re.search(r"\b(\d+|" + "|".join(NUMBER_WORDS) + r")[- ]year\b", region + after, re.I) or \
                re.search(r"\bover\s+(\d+|" + "|".join(NUMBER_WORDS) + r")\s+years\b", after, re.I)
            details = {"duration": f"{NUMBER_WORDS.get(dur.group(1).lower(), dur.group(1))} years" if dur else ""}
            for c, s in pairs:
                if c.entity.id != s.entity.id:
                    out.append((make_claim("contract", c.entity, s.entity, span, amount=amount, details=details),
                                region))
    return out


def _ownership(masked: Masked, span) -> list[tuple[Claim, str]]:
    lx = _lexicon()
    text = masked.text
    ptypes, ctypes = SUBJECT_TYPES["ownership"], OBJECT_TYPES["ownership"]
    out = []

    def add(parents, children, region, amount=None):
        for pa in parents:
            for c in children:
                if pa.entity.id != c.entity.id:
                    out.append((make_claim("ownership", pa.entity, c.entity, span, amount=amount), region))

    for m in lx.rel_of.finditer(text):
        add(_ents(masked, m.group(2), ptypes), _ents(masked, m.group(1), ctypes), m.group(0))
    for m in lx.rel_is.finditer(text):
        add(_ents(masked, m.group(2), ptypes), _ents(masked, m.group(1), ctypes), m.group(0))
    for m in lx.rel_poss.finditer(text):
        if lx.rel.search(m.group(0)):
            add(_ents(masked, m.group(1), ptypes), _ents(masked, m.group(2), ctypes), m.group(0))
    for m in lx.owned_by.finditer(text):
        add(_ents(masked, m.group(2), ptypes), _ents(masked, m.group(1), ctypes), m.group(0))
    for m in lx.acquire.finditer(text):
        found = _subject_before(masked, m.start(), ptypes)
        if found and _bought_product(masked, m):
            continue  # "buys Azure capacity", "bought Kestrel chips": a purchase from a maker (a contract)
        if found:
            amount = _amount(masked, _clause_after(text, m.end()), "money")
            add(found[0], _ents(masked, m.group(1), ctypes), text[found[1]:m.end()], amount)
    for m in lx.stake.finditer(text):
        found = _subject_before(masked, m.start(), ptypes)
        amount = _amount(masked, m.group(1) or "", "percent")
        if found and (amount is not None or lx.stake_noun.search(m.group(0))):
            add(found[0], _ents(masked, m.group(2), ctypes), text[found[1]:m.end()], amount)
            _elliptic_holders(masked, text[m.end():], m.group(2), add)
    # "SoftBank sold its entire stake in Nvidia": no longer an owner.
    for m in lx.divest.finditer(text):
        found = _subject_before(masked, m.start(), ptypes)
        if found:
            before = len(out)
            add(found[0], _ents(masked, m.group(1), ctypes), text[found[1]:m.end()])
            for claim, _ in out[before:]:
                claim.details = {**claim.details, "divested": True}
    return out


_PRODUCT_WORD = re.compile(r"\s+([a-z]+)")


def _bought_product(masked: Masked, m: re.Match) -> bool:
    """Whether an acquiring verb's object is a product bought, not a company taken over: a product entity
    after a buying verb, or a name used as the modifier of a product noun ("buys Azure capacity")."""
    ments = _ents(masked, m.group(1))
    if ments and all(x.entity.type == "product" for x in ments) and re.match(r"(?i)bu|purchas", m.group(0)):
        return True
    word = _PRODUCT_WORD.match(masked.text, m.end())
    return word is not None and en_parse._lemma(word.group(1), False) in en_parse.PRODUCT_NOUNS


def _elliptic_holders(masked: Masked, rest: str, target: str, add) -> None:
    """Holders listed after a stake, the verb and target left out: "; B owns about 6%, C about 5.5% and D about 2%"."""
    clause = re.match(r"\s*[;,]\s*([^.]*)", rest)
    if not clause:
        return
    for m in _lexicon().holder.finditer(clause.group(1)):
        amount = _amount(masked, m.group(2), "percent")
        if amount is not None:
            add(_ents(masked, m.group(1), SUBJECT_TYPES["ownership"]), _ents(masked, target, OBJECT_TYPES["ownership"]),
                m.group(0), amount)


def _roles(masked: Masked, span) -> list[tuple[Claim, str]]:
    lx = _lexicon()
    title_re = lx.title_re
    text = masked.text
    orgs, people = ORG_TYPES | {"country"}, {"person"}
    out = []
    # The phrases around a title (the, current, who is, of/at, the company's) are grammar; the titles and
    # the words of a past role come from en.yaml.
    patterns = [  # (regex, org group, person group, title group)
        (rf"({ENT})(?:'s|’s)?\s+({title_re})\s*,?\s+({ENT})", 1, 3, 2),
        (rf"({ENT})\s*,\s*(?:the\s+)?(?:current\s+)?({title_re})\s+(?:of|at)\s+({ENT})", 3, 1, 2),
        (rf"({ENT})\s*,\s*(?:the\s+)?({ENT})(?:'s|’s)?\s+({title_re})\b", 2, 1, 3),
        (rf"({ENT})\s*,\s*who\s+is\s+(?:the\s+)?({title_re})\s+(?:of|at)\s+({ENT})", 3, 1, 2),
        (rf"({ENT})\s+is\s+(?:the\s+)?({title_re})\s+of\s+({ENT})", 3, 1, 2),
    ]
    for regex, og, pg, tg in patterns:
        for m in re.finditer(regex, text, re.I):
            if lx.former.search(text[:m.start(tg)]) or lx.former_before_phrase.search(text[:m.start()]):
                continue
            title = _normalize_title(m.group(tg))
            for o in _ents(masked, m.group(og), orgs):
                for p in _ents(masked, m.group(pg), people):
                    out.append((make_claim("role", p.entity, o.entity, span, details={"title": title}), m.group(0)))
    named = {c.subject.id for c, _ in out}
    # "Chief executive Sam Altman said": no organization in the phrase, so the title belongs to the
    # person's known affiliation (gazetteer).
    for m in re.finditer(rf"(?<![\w⟩’'])({title_re})\s+({ENT})|({ENT})\s*,\s*(?:the\s+)?(?:company's\s+)?({title_re})\s*,",
                         text, re.I):
        title, who = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        if lx.former.search(text[:m.start()]):
            continue
        for p in _ents(masked, who, people):
            org = known_affiliation(p.entity)
            if org is not None and p.entity.id not in named:
                named.add(p.entity.id)
                out.append((make_claim("role", p.entity, org, span, details={"title": _normalize_title(title)}),
                            m.group(0)))
    return out


def _normalize_title(surface: str) -> str:
    titles = _lexicon().titles
    parts = re.split(r"\s*(?:and|&|,)\s*", surface.strip().lower())
    return " and ".join(titles.get(p, p) for p in parts if p)


def _statistic(masked: Masked, span) -> list[tuple[Claim, str]]:
    lx = _lexicon()
    text = masked.text
    out = []
    for j, a in enumerate(masked.amounts):
        if a.unit != "percent":
            continue
        tok = f"⟪{j}⟫"
        pos = text.index(tok)
        after = text[pos + len(tok):]
        window = text[max(0, pos - 80):pos]
        of = lx.metric_of.match(after)
        if of:
            metric = "share of " + _phrase(_unmask(masked, of.group(1)), 5)
        elif lx.triggers["statistic"].search(window):
            noun = lx.metric_noun.search(window)
            metric = noun.group(1).lower() if noun else ""
        else:
            continue
        if not metric:
            continue
        found = _subject_before(masked, pos, ORG_TYPES | PLACE_TYPES | {"product", "project"},
                                verbs=lx.subject_verbs["statistic"])
        owner = re.match(rf"({ENT})(?:'s|’s)\s", of.group(1)) if of else None
        if owner:  # 40% of Foxconn's revenue
            found = (_ents(masked, owner.group(1)), pos)
        if not found:
            poss = lx.metric_owner.search(window)
            found = (_ents(masked, poss.group(1)), poss.start()) if poss else None
        subject = found[0][0].entity if found and found[0] else None
        out.append((make_claim("statistic", subject, None, span, amount=a, details={"metric": metric}),
                    text[max(0, pos - 60):pos]))
    return out
