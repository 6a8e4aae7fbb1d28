"""English claims from patterns over the sentence text and entity mention positions.

There is no English parse (the pipeline may be blank), so each sentence is rewritten with its
mentions as `⟨k⟩` and its amounts as `⟪j⟫`; the patterns below then read roles off word order:
"⟨0⟩ will invest ⟪0⟫ in ⟨1⟩", "⟨0⟩, ⟨1⟩ and ⟨2⟩", "⟨0⟩, a subsidiary of ⟨1⟩".
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from kb.claims.base import (ATTRIBUTION_TYPES, OBJECT_TYPES, ORG_TYPES, PLACE_TYPES, SUBJECT_TYPES, Ment, Sentence,
                     known_affiliation, load_patterns, make_claim, pick_modality, speaker_to_organization)
from kb.claims import en_parse
from kb.records import Claim

ENT = r"⟨\d+⟩"
LIST = rf"{ENT}(?:(?:\s*,\s*{ENT})*\s*,?\s*(?:and|&)\s*{ENT})?"
AMT = r"⟪\d+⟫"
# Words allowed between a subject and its verb: auxiliaries, modals, adverbs, time phrases.
GAP_WORDS = set("""also now still reportedly previously already jointly together recently has have had will would
could may might plan plans planned planning intend intends intended aim aims aimed expect expects expected is
are was were to be been set going agreed said says it they not n't does did do never soon further separately
officially in talks considering weighing would on this last next week month year monday tuesday wednesday thursday
friday saturday sunday today yesterday reportedly currently finally formally initially seeking seeks seek
announced committed pledged first""".split())
FILLER = (r"(?:(?:a|an|its|their|the|new|additional|further|planned|proposed|multi-?year|strategic|major|landmark|"
          r"long-term|exclusive|massive|huge|record|definitive|[\w-]+-year|AI|cloud|computing|compute|"
          r"infrastructure|data[- ]cent(?:er|re)|chip|GPU|supply|joint|US|U\.S\.|domestic|another|second|"
          rf"total|combined|initial|{AMT}|worth|valued|at|of|up|to|about|around|roughly|nearly|some|more|than)\s+)*")
CLAUSE_END = re.compile(r"[;:.!?]|\s(?:which|while|whereas|but|although|who)\b|,\s(?:and|as|while)\s")
PLACE_PREP = r"(?:in|at|across|to)\s+(?:the\s+)?(?:(?:U\.S\.\s+)?states?\s+of\s+)?"
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                "ten": 10, "fifteen": 15, "twenty": 20}


@dataclass
class Masked:
    """A sentence with mentions (⟨k⟩, k into groups) and amounts (⟪j⟫) replaced by placeholders."""

    text: str
    groups: list[list[Ment]]
    amounts: list


@functools.lru_cache(maxsize=None)
def _lexicon():
    p = load_patterns("en")
    t = {k: re.compile(r"\b(?:" + "|".join(v) + r")\b", re.I) for k, v in p["triggers"].items()}
    titles = p["role_titles"]
    one = "|".join(sorted((re.escape(k) for k in titles), key=len, reverse=True))
    title_re = rf"(?:{one})(?:\s*(?:and|&|,)\s*(?:{one}))*"
    return p, t, title_re


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
    head = re.sub(rf"({ENT})\s*,\s*(?:which|who)\s+(?:[^,;]{{1,120}}),(?=\s+\w+[^,;]*$)", r"\1", head)
    head = re.sub(rf"({ENT})\s*,\s*(?:which|who)\b", r"\1", head)
    head = re.sub(rf"({ENT})\s*,\s*(?:by contrast|however|meanwhile|in turn|for its part|too)\s*,", r"\1", head)
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
    verb = rf"(?:\s+(?:{verbs}))?" if verbs else ""
    pattern = re.compile(rf"({LIST})((?:'s|’s)?(?:\s+[\w'’]+)*?){verb}\s+{FILLER}$")
    for start in [m.start() for m in re.finditer(ENT, head)]:
        m = pattern.match(head, start)
        if not m or re.search(r"\b(?:to|of|by|from|with|for|in|at|on|than)\s*$", head[:start], re.I):
            continue
        gap = m.group(2).strip()
        words = re.findall(r"[\w'’]+", gap.replace("n't", " n't"))
        if gap in ("'s", "’s") or all(w.lower() in GAP_WORDS for w in words):
            ments = _ents(masked, m.group(1), types)
            return (ments, m.start()) if ments else None
    return None


def _modality(masked: Masked, region: str) -> str:
    p = _lexicon()[0]
    found = set()
    for name in ("hedged", "forecast", "planned"):
        if re.search(r"\b(?:" + "|".join(p[name]) + r")\b", region, re.I):
            found.add(name)
    for name in ("opinion", "reported"):
        if re.search(r"\b(?:" + "|".join(p[name]) + r")\b", masked.text, re.I):
            found.add(name)
    return pick_modality(found)


def _polarity(masked: Masked, region: str) -> str:
    if re.search(r"\b(?:not|never|no longer|no)\b|n't\b|\bwithout\b", region, re.I) or \
            re.search(r"\b(?:denied|denies|ruled out|rejected)\b", masked.text, re.I):
        return "negated"
    return "affirmed"


def _attribution(masked: Masked) -> object:
    p = _lexicon()[0]
    speech = "|".join(p["speech"])
    t = masked.text
    m = re.search(rf"\baccording to\s+(?:a\s+report\s+(?:by|from|in)\s+|the\s+)?({ENT})", t, re.I) or \
        re.search(rf"({LIST})(?:\s*,[^,]{{1,60}},)?(?:\s+(?:has|had|have|also|previously|repeatedly|publicly))*"
                  rf"\s+(?:{speech})\b", t) or \
        re.search(rf"\b(?:{speech})\s+({ENT})", t)
    if not m:
        return None
    ments = _ents(masked, m.group(1), ATTRIBUTION_TYPES)
    # Several speakers announcing together cannot be one attribution.
    return ments[0].entity if len({x.entity.id for x in ments}) == 1 else None


def _unmask(masked: Masked, text: str) -> str:
    text = re.sub(r"⟨(\d+)⟩", lambda m: masked.groups[int(m.group(1))][0].text, text)
    return re.sub(r"⟪(\d+)⟫", lambda m: masked.amounts[int(m.group(1))].text, text)


def _horizon(text: str) -> str:
    num = r"(\d+|" + "|".join(NUMBER_WORDS) + r")"
    m = re.search(rf"\bover\s+(?:the\s+)?(?:next\s+)?{num}(?:\s*(?:to|-|–)\s*{num})?\s+years\b", text, re.I)
    if m:
        lo = NUMBER_WORDS.get(m.group(1).lower(), m.group(1))
        return f"{lo}-{NUMBER_WORDS.get(m.group(2).lower(), m.group(2))} years" if m.group(2) else f"{lo} years"
    m = re.search(r"\b(?:by|through|until)\s+(?:the\s+end\s+of\s+)?(20\d\d)\b", text)
    return f"by {m.group(1)}" if m else ""


def _phrase(text: str, max_words: int = 6) -> str:
    words = re.findall(r"[\w'’./-]+", text)
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
    return speaker_to_organization(out)


def _investment(masked: Masked, span) -> list[tuple[Claim, str]]:
    p, t, _ = _lexicon()
    out = []
    types = SUBJECT_TYPES["investment"]
    for kind in ("investment_verb", "investment_noun"):
        for m in t[kind].finditer(masked.text):
            if kind == "investment_verb":
                found = _subject_before(masked, m.start(), types)
            else:
                found = _subject_before(masked, m.start(), types, verbs=r"announced|unveiled|pledged|made|"
                                        r"committed|revealed|confirmed|outlined|disclosed|plans?|is making|"
                                        r"has made|will make|led|raised|increased|boosted|expanded|lifted")
            if not found:
                continue
            subjects, s_start = found
            after = _clause_after(masked.text, m.end())
            if re.match(r"\s+to\s+(?:buy|purchase|lease|rent|procure)\b", after, re.I):
                continue  # "committed to purchase $250 billion of services" is a purchase, not an investment
            amount = _amount(masked, masked.text[s_start:m.start()] + after, "money")
            if kind == "investment_noun" and amount is None and not re.match(r"\s+(?:in|into)\b", after):
                continue
            obj = re.search(rf"\b(?:in|into|across)\s+(?:the\s+)?(?:(?:U\.S\.\s+)?states?\s+of\s+)?({LIST})", after)
            objects = _ents(masked, obj.group(1), OBJECT_TYPES["investment"]) if obj else []
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
    _, t, _ = _lexicon()
    types = SUBJECT_TYPES["partnership"]
    text = masked.text
    out = []
    for kind in ("partnership_noun", "partnership_verb"):
        for m in t[kind].finditer(text):
            after = _clause_after(text, m.end())
            pairs = []
            jv = "joint venture" in m.group().lower()
            with_list = re.match(rf"\s+(?:agreement\s+|deal\s+)?(?:with|between)\s+({LIST})", after)
            if kind == "partnership_noun":
                found = _subject_before(masked, m.start(), types, verbs=r"announced|formed|signed|unveiled|struck|"
                                        r"entered into|launched|created|set up|established|expanded|deepened|"
                                        r"extended|agreed|forming|have|has|in")
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
    for m in re.finditer(rf"({LIST})\s+(?:will\s+|plan\s+to\s+|are\s+)?(?:jointly|together)\s+"
                         r"(develop|design|build|make|manufacture|produce)\w*", text):
        ments = _ents(masked, m.group(1), types)
        scope = _phrase(_clause_after(text, m.end()), 8)
        for i, a in enumerate(ments):
            for b in ments[i + 1:]:
                out.append((make_claim("partnership", a.entity, b.entity, span,
                                       details={"kind": "partnership", "scope": scope}), m.group(0)))
    return out


def _manufacturing(masked: Masked, span) -> list[tuple[Claim, str]]:
    _, t, _ = _lexicon()
    types = SUBJECT_TYPES["manufacturing"]
    text = masked.text
    out = []
    for kind in ("manufacturing_verb", "manufacturing_noun"):
        for m in t[kind].finditer(text):
            after = _clause_after(text, m.end(), 160)
            if kind == "manufacturing_verb":
                found = _subject_before(masked, m.start(), types)
                hit = re.match(rf"((?:{ENT}(?:'s|’s)|(?!⟨|\b(?:in|at|across)\b).){{0,80}}?)"
                               rf"(?:\b(?:at|in)\s+(?:its|their|the|a|an)\s+(?:[\w-]+\s+){{0,2}}?"
                               rf"(?:plant|factory|facility|facilities|site|fab|campus|factories|plants)\s+)?"
                               rf"\b{PLACE_PREP}({LIST})", after)
                product = _phrase(_unmask(masked, hit.group(1)), 8) if hit else ""
                if m.group().lower().startswith(("build", "built")) or \
                        m.group().lower().startswith(("mak", "made")) and not product:
                    continue  # "build data centers in Texas" is not manufacturing; factories are nouns

            else:
                found = _subject_before(masked, m.start(), types, verbs=r"opened|open|opens|build|builds|building|"
                                        r"built|operates|operate|runs|run|constructing|construct|expand|expanding|"
                                        r"start|begin|started|began|has|have|set up|establish|establishing")
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
    for m in re.finditer(rf"\b(?:manufacturing|production|assembly)\s+{PLACE_PREP}({LIST}),?\s+(?:the\s+)?"
                         rf"(?:[\w⟨⟩-]+\s+){{0,4}}?(?:states|countries|cities|regions|sites|locations)\s+where\s+({ENT})\s+"
                         r"(?:already\s+|also\s+|now\s+)?(?:operates|has|runs|owns)\s+(?:\w+\s+)?"
                         r"(?:facilities|factories|plants|sites|fabs)\b", text):
        for s in _ents(masked, m.group(2), types):
            for pl in _ents(masked, m.group(1), PLACE_TYPES):
                out.append((make_claim("manufacturing", s.entity, pl.entity, span, details={"facility": "facilities"}),
                            m.group(0)))
    return out


def _contract(masked: Masked, span) -> list[tuple[Claim, str]]:
    _, t, _ = _lexicon()
    types = SUBJECT_TYPES["contract"]
    text = masked.text
    out = []
    for kind in ("contract_noun", "contract_buy_verb", "contract_supply_verb"):
        for m in t[kind].finditer(text):
            before = text[max(0, m.start() - 30):m.start()].lower()
            if re.search(r"(partnership|collaboration|alliance|venture|acquisition|merger)\s+$", before):
                continue
            after = _clause_after(text, m.end())
            pairs = []
            if kind == "contract_noun":
                found = _subject_before(masked, m.start(), types, verbs=r"signed|inked|struck|won|awarded|secured|"
                                        r"entered into|announced|reached|landed|clinched|agreed|has")
                if not found:
                    continue
                verb = text[found[1]:m.start()].lower()
                who = re.match(rf"\s+(with|from|to)\s+({LIST})", after)
                awarded = re.search(rf"awarded\s+({LIST})", verb)
                if awarded:
                    pairs = [(s, o) for s in found[0] for o in _ents(masked, awarded.group(1), types)]
                elif who:
                    others = _ents(masked, who.group(2), types)
                    supplier_subject = re.search(r"\b(won|secured|landed|clinched)\b", verb) or \
                        re.match(r"\s*(?:with\s+" + LIST + r")?\s*to\s+(?:supply|provide|deliver|build|host)",
                                 after[who.start():])
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
    _, t, _ = _lexicon()
    text = masked.text
    ptypes, ctypes = SUBJECT_TYPES["ownership"], OBJECT_TYPES["ownership"]
    rel = r"(?:wholly[- ]owned\s+|majority[- ]owned\s+|chip\s+|cloud\s+)?(?:subsidiary|unit|division|affiliate|arm)"
    out = []

    def add(parents, children, region, amount=None):
        for pa in parents:
            for c in children:
                if pa.entity.id != c.entity.id:
                    out.append((make_claim("ownership", pa.entity, c.entity, span, amount=amount), region))

    for m in re.finditer(rf"({ENT})\s*,\s*(?:a|an|the)\s+{rel}\s+of\s+({ENT})", text):
        add(_ents(masked, m.group(2), ptypes), _ents(masked, m.group(1), ctypes), m.group(0))
    for m in re.finditer(rf"({ENT})\s+(?:is|was|became|becomes|will become)\s+(?:a|an)\s+{rel}\s+of\s+({ENT})", text):
        add(_ents(masked, m.group(2), ptypes), _ents(masked, m.group(1), ctypes), m.group(0))
    for m in re.finditer(rf"({ENT})(?:'s|’s|-owned|\s+{rel})\s+(?:{rel}\s+)?({ENT})", text):
        if re.search(rf"-owned|{rel}", m.group(0)):
            add(_ents(masked, m.group(1), ptypes), _ents(masked, m.group(2), ctypes), m.group(0))
    for m in re.finditer(rf"({ENT})\s*,\s*(?:which\s+is\s+)?(?:majority[- ]|wholly[- ])?(?:owned|controlled)\s+by\s+({ENT})",
                         text):
        add(_ents(masked, m.group(2), ptypes), _ents(masked, m.group(1), ctypes), m.group(0))
    verbs = r"acquir(?:e|es|ed|ing)|bought|buy(?:s|ing)?|took over|tak(?:e|es|ing) over|completed\s+(?:its|the)\s+acquisition\s+of|" \
            r"(?:announced|agreed)\s+(?:a\s+deal\s+)?to\s+(?:acquire|buy)"
    for m in re.finditer(rf"\b(?:{verbs})\s+(?:(?:all|most|control)\s+of\s+)?({ENT})", text):
        found = _subject_before(masked, m.start(), ptypes)
        if found:
            amount = _amount(masked, _clause_after(text, m.end()), "money")
            add(found[0], _ents(masked, m.group(1), ctypes), text[found[1]:m.end()], amount)
    for m in re.finditer(rf"\b(?:owns?|own(?:ed)?|holds?|held|controls?|take|took|takes|acquired|has|have|bought)\s+"
                         rf"(?:a|an|its|any|no)?\s*(?:(⟪\d+⟫)\s+)?(?:(?:minority|majority|controlling|equity)\s+)?"
                         rf"(?:stake\s+in|equity\s+in|of)\s+({ENT})", text):
        found = _subject_before(masked, m.start(), ptypes)
        amount = _amount(masked, m.group(1) or "", "percent")
        if found and (amount is not None or re.search(r"stake|equity", m.group(0))):
            add(found[0], _ents(masked, m.group(2), ctypes), text[found[1]:m.end()], amount)
            _elliptic_holders(masked, text[m.end():], m.group(2), add)
    # "SoftBank sold its entire stake in Nvidia": no longer an owner.
    for m in re.finditer(rf"\b(?:sold|sells|sell|divested|exited|dumped|offloaded)\s+(?:all\s+of\s+)?(?:its|their|the)\s+"
                         rf"(?:entire\s+|whole\s+|remaining\s+)?(?:stake|holding|shares?)\s+in\s+({ENT})", text):
        found = _subject_before(masked, m.start(), ptypes)
        if found:
            before = len(out)
            add(found[0], _ents(masked, m.group(1), ctypes), text[found[1]:m.end()])
            for claim, _ in out[before:]:
                claim.details = {**claim.details, "divested": True}
    return out


def _elliptic_holders(masked: Masked, rest: str, target: str, add) -> None:
    """Holders listed after a stake, the verb and target left out: "; B owns about 6%, C about 5.5% and D about 2%"."""
    clause = re.match(r"\s*[;,]\s*([^.]*)", rest)
    if not clause:
        return
    for m in re.finditer(rf"({ENT})\s+(?:(?:owns?|holds?|has)\s+)?(⟪\d+⟫)(?!\s*(?:of|stake))", clause.group(1)):
        amount = _amount(masked, m.group(2), "percent")
        if amount is not None:
            add(_ents(masked, m.group(1), SUBJECT_TYPES["ownership"]), _ents(masked, target, OBJECT_TYPES["ownership"]),
                m.group(0), amount)


def _roles(masked: Masked, span) -> list[tuple[Claim, str]]:
    _, _, title_re = _lexicon()
    text = masked.text
    orgs, people = ORG_TYPES | {"country"}, {"person"}
    out = []
    patterns = [  # (regex, org group, person group, title group)
        (rf"({ENT})(?:'s|’s)?\s+(?!former\b)({title_re})\s*,?\s+({ENT})", 1, 3, 2),
        (rf"({ENT})\s*,\s*(?:the\s+)?(?:current\s+)?({title_re})\s+(?:of|at)\s+({ENT})", 3, 1, 2),
        (rf"({ENT})\s*,\s*(?:the\s+)?({ENT})(?:'s|’s)?\s+({title_re})\b", 2, 1, 3),
        (rf"({ENT})\s*,\s*who\s+is\s+(?:the\s+)?({title_re})\s+(?:of|at)\s+({ENT})", 3, 1, 2),
        (rf"({ENT})\s+is\s+(?:the\s+)?({title_re})\s+of\s+({ENT})", 3, 1, 2),
    ]
    for regex, og, pg, tg in patterns:
        for m in re.finditer(regex, text, re.I):
            if re.search(r"\b(?:former|ex-|previous|late)\s*$", text[:m.start(tg)], re.I) or \
                    re.search(r"\b(?:former|ex-|previous)\s*$", text[:m.start()], re.I):
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
        if re.search(r"\b(?:former|ex-|previous|late)\s*$", text[:m.start()], re.I):
            continue
        for p in _ents(masked, who, people):
            org = known_affiliation(p.entity)
            if org is not None and p.entity.id not in named:
                named.add(p.entity.id)
                out.append((make_claim("role", p.entity, org, span, details={"title": _normalize_title(title)}),
                            m.group(0)))
    return out


def _normalize_title(surface: str) -> str:
    titles = _lexicon()[0]["role_titles"]
    parts = re.split(r"\s*(?:and|&|,)\s*", surface.strip().lower())
    return " and ".join(titles.get(p, p) for p in parts if p)


def _statistic(masked: Masked, span) -> list[tuple[Claim, str]]:
    _, t, _ = _lexicon()
    text = masked.text
    out = []
    for j, a in enumerate(masked.amounts):
        if a.unit != "percent":
            continue
        tok = f"⟪{j}⟫"
        pos = text.index(tok)
        after = text[pos + len(tok):]
        window = text[max(0, pos - 80):pos]
        of = re.match(r"\s+of\s+(?:the\s+|its\s+|global\s+|total\s+)?((?:[\w.⟨⟩'’-]+\s?){1,5})", after)
        if of:
            metric = "share of " + _phrase(_unmask(masked, of.group(1)), 5)
        elif t["statistic"].search(window):
            noun = re.search(r"((?:[A-Za-z-]+\s+)?(?:share|margin|growth|rate|proportion))\b", window, re.I)
            metric = noun.group(1).lower() if noun else ""
        else:
            continue
        if not metric:
            continue
        found = _subject_before(masked, pos, ORG_TYPES | PLACE_TYPES | {"product", "project"},
                                verbs=r"controls|holds|has|had|accounts for|accounted for|commands|captured|"
                                r"grew|rose|fell|increased|declined|jumped")
        owner = re.match(rf"({ENT})(?:'s|’s)\s", of.group(1)) if of else None
        if owner:  # 40% of Foxconn's revenue
            found = (_ents(masked, owner.group(1)), pos)
        if not found:
            poss = re.search(rf"({ENT})(?:'s|’s)\s+(?:[\w-]+\s+){{0,3}}(?:share|margin|growth|revenue|sales)", window)
            found = (_ents(masked, poss.group(1)), poss.start()) if poss else None
        subject = found[0][0].entity if found and found[0] else None
        out.append((make_claim("statistic", subject, None, span, amount=a, details={"metric": metric}),
                    text[max(0, pos - 60):pos]))
    return out
