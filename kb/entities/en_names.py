"""Company and person names in English text: capitalised names and their cues, and the statistical NER's
names checked against them.

The gazetteer knows the big names, and this module finds the others from how news English writes them:

- a capitalised name (words may be joined by of, and, &, de, van ...; leading sentence words such as
  The, In, After are not part of it) is a **company** when it ends in a company word (Systems, Labs,
  Semiconductor, Holdings, ...), is followed by a legal form (Inc., Corp., Ltd., LLC), or its context
  says so: "X, a Texas-based startup", "shares of X", "X's chief executive", "chipmaker X";
- it is a **person** after a title (CEO, Chief Executive, President, Mr., Dr., Governor, Secretary ...),
  before ", chief executive of" / ", the company's founder", as a two- or three-word name whose first
  word is a common given name, or around "said" (Jane Roe said / said Jane Roe);
- later in the same text a person's surname alone, and a company's name without its company word
  (Nortova for Nortova Systems), take the same type.

Unclassified capitalised words are left alone by the rules: precision matters more than recall for an
analyst's knowledge base, and the gazetteer covers places. When a statistical English pipeline is
installed (`en_core_web_*`), its NER proposes the names the rules have no cue for; `ner_type` vets them
(tickers, product codes, legal forms alone and title-less fragments are not names), and
`link_article_names` then links short forms to full names across the article whichever of the two found them.
"""

from __future__ import annotations

import re

COMPANY = "company"
PERSON = "person"
GOVERNMENT = "government"
ORGANIZATION = "organization"
_CONNECTORS = frozenset({"of", "&", "de", "du", "da", "van", "von", "der", "den", "la", "le"})
_GOVERNMENT_WORDS = frozenset("""
Department Ministry Agency Commission Bureau Administration Office Council Senate Congress Parliament Court
Cabinet Treasury Pentagon Authority Authorities Government Legislature Assembly Committee
""".split())
_ORGANIZATION_WORDS = frozenset("University College Institute Association Foundation Federation Society Union Alliance Consortium".split())

# Letters of Latin names written with accents (Tomás, Müller, Łukasz, Nuñez): capitals and small letters.
_UP = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĖĘĚĞĢĪĮİĶĹĻĽŁŃŅŇŌŐŒŔŘŚŞŠŢŤŪŮŰŲŹŻŽ"
_LOW = "a-zß-öø-ÿāăąćčďđēėęěğģīįıķĺļľłńņňōőœŕřśşšţťūůűųźżž"
_WORD = rf"[{_UP}][{_UP}{_LOW}0-9]*(?:[’'][{_UP}{_LOW}]+)?(?:-[{_UP}{_LOW}0-9]+)*"
_JOIN = r"(?:\s+(?:of|&|de|du|da|van|von|der|den|la|le)\s+|\s+)"  # "A and B" is two names
_NAME_RE = re.compile(rf"(?<![\w.])(?:{_WORD})(?:{_JOIN}(?:{_WORD}))*")

# Capitalised words that start sentences or name times, not things.
_NOT_NAME = frozenset("""
A An The This That These Those Its It Their His Her Our We They He She I You In On At By For From With Without
Into Over Under After Before During Since Until While When Where Why How What Which Who If As But And Or Nor So
Yet Also Meanwhile However Still Last Next Earlier Later Today Yesterday Tomorrow Analysts Officials Shares
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August
September October November December Q1 Q2 Q3 Q4 According Both Each Some Many Most Other Such No Not Only
Mr Ms Mrs Dr CEO CFO CTO COO Chief Executive President Chairman Chairwoman Chair Vice Founder Co-founder Senator
Governor Secretary Minister Prime Rep Sen Gov Director Head Manager Analyst Spokesperson Spokesman Spokeswoman
Officer Financial Operating Technology Senior General Managing Deputy Acting Interim Former
New Under Plans Talks Sources Reuters Bloomberg
Suppose Consider Imagine Note Say Take Look Perhaps Maybe Instead Separately Together Overall Elsewhere Similarly
Notably Currently Here There Then Now Even Just Yes
Shareholders Investors Critics Customers Employees Workers Regulators Lawmakers Executives Residents Experts
""".split())

_COMPANY_HEADS = frozenset("""
Systems Labs Lab Laboratories Technologies Technology Tech Semiconductor Semiconductors Dynamics Robotics Energy
Power Industry Networks Network Computing Electronics Electric Devices Motors Motor Industries Industrial Holdings Group
Capital Partners Ventures Bank Bancorp Corp Corporation Inc Incorporated Ltd Limited LLC PLC GmbH AG SA NV Co
Company Companies Software Microsystems Solutions Materials Instruments Pharma Pharmaceuticals Therapeutics
Biosciences Communications Telecom Telecommunications Airlines Airways Foundry Foundries Digital Data Cloud
Analytics Interactive Entertainment Media Studios Automotive Aerospace Chemicals Chemical Steel Mining Resources
Petroleum Oil Gas Utilities Logistics Manufacturing Precision Optics Photonics Quantum Nuclear Fusion Solar
Batteries Battery Mobility Security Systemes Investments Investment Management Securities Financial Insurance
Trust Fund Funds Associates Enterprises International Global Worldwide Brands Foods Retail Stores Platforms AI
Biotech Biotechnology Biologics Healthcare Medical Diagnostics Genomics Sciences Shipping Freight Engineering
Infrastructure Aviation Defense Defence Railways Metals Memory
""".split())

_LEGAL_AFTER_RE = re.compile(r",?\s+(?:Inc|Corp|Corporation|Co|Ltd|LLC|PLC|plc|GmbH|AG|S\.A|N\.V)\b\.?")

_TITLE_BEFORE_RE = re.compile(
    r"(?:\b(?:CEO|CFO|CTO|COO|Officer|Chief Executive(?: Officer)?|chief executive(?: officer)?|[Pp]resident|[Cc]hairman|"
    r"[Cc]hairwoman|[Cc]hair|[Ff]ounder|[Cc]o-founder|Mr|Ms|Mrs|Dr|Prof|[Ss]ecretary|Governor|Gov|Senator|Sen|Rep|"
    r"[Mm]inister|[Aa]nalyst|[Ss]pokes(?:person|man|woman)|[Dd]irector|[Hh]ead|[Cc]ommissioner|[Mm]ayor|"
    r"[Ee]xecutive|[Ee]ngineer|[Rr]esearcher|[Ii]nvestor)\.?,?\s+)$")
_ROLE_AFTER_RE = re.compile(
    r"^,\s+(?:(?:the|its|a|an)\s+)?(?:\w+(?:'s|’s)\s+)?(?:co-)?(?:CEO|CFO|CTO|COO|chief|president|chairman|"
    r"chairwoman|chair|founder|head|director|secretary|governor|senator|minister|analyst|spokes\w+|executive|"
    r"vice|managing|general|partner|professor|researcher|engineer)\b")
_SAID_AFTER_RE = re.compile(r"^\s+(?:said|says|told|added|wrote|noted|explained)\b")
_SAID_BEFORE_RE = re.compile(r"\b(?:said|says|according to)\s+$")
_COMPANY_AFTER_RE = re.compile(
    r"^(?:,\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,3}(?:company|startup|start-up|firm|chipmaker|maker|manufacturer|"
    r"supplier|developer|provider|operator|unit|subsidiary|conglomerate|giant|group|lab|foundry|designer|"
    r"producer|utility|bank|investor|fund|retailer|carrier|automaker|insurer)\b|(?:'s|’s)\s+(?:CEO|chief|shares|"
    r"stock|board|founder|president|chairman|revenue|profit|factory|plant|subsidiary|unit)\b|\s+shares\b)")
_COMPANY_BEFORE_RE = re.compile(
    r"\b(?:[Ss]hares\s+of|(?:CEO|CFO|CTO|COO|chief executive(?: officer)?|founder|co-founder|chairman|president|"
    r"owner|shareholders?|subsidiary)\s+of|stake\s+in|(?:startup|start-up|firm|company|chipmaker|automaker|maker|rival|supplier|subsidiary|"
    r"conglomerate|giant|developer|manufacturer|operator|investor|fund|lab)\s*,?"
    # "from investors including Fidelity and …", "backers such as …": the first name of a list of companies
    r"|\b(?:investors|backers|shareholders|lenders|customers|clients|suppliers|funds|firms|companies)\s+"
    r"(?:including|such\s+as|like)(?:\s+[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*)*,)*)\s+$")

# Common given names (English-language news): a two- or three-word name starting with one is a person.
_GIVEN_NAMES = frozenset("""
Aaron Adam Adrian Alan Albert Alex Alexander Alexandra Alice Alicia Allison Amanda Amy Andrea Andrew Angela Anna
Anne Anthony Antonio Arthur Ashley Barbara Ben Benjamin Beth Betty Bill Bob Brad Brandon Brenda Brian Bruce
Carl Carlos Carol Caroline Catherine Charles Charlie Chris Christian Christina Christine Christopher Claire
Clara Colin Craig Daniel Danielle David Deborah Debra Dennis Diana Diane Donald Donna Doug Douglas Dylan Ed
Edward Elena Elizabeth Ellen Emily Emma Eric Erik Eva Frank Gary George Gina Grace Greg Gregory Hannah Harry
Heather Helen Henry Ian Isabel Jack Jacob James Jamie Jane Janet Jason Jay Jean Jeff Jeffrey Jennifer Jensen
Jeremy Jessica Jim Joan Joe John Jonathan Jose Joseph Josh Joshua Juan Judy Julia Julie Justin Karen Kate
Katherine Kathleen Kathy Keith Kelly Ken Kenneth Kevin Kim Kimberly Kyle Larry Laura Lauren Lawrence Leo Linda
Lisa Lori Louis Lucas Luis Luke Margaret Maria Marie Mario Mark Martin Mary Matt Matthew Megan Melissa Michael
Michelle Mike Nancy Natalie Nathan Nicholas Nicole Noah Oliver Olivia Pablo Pamela Pat Patricia Patrick Paul
Peter Philip Rachel Ralph Raymond Rebecca Richard Rick Rita Rob Robert Roger Ron Ronald Rose Ruth Ryan Sam
Samantha Samuel Sandra Sara Sarah Satya Scott Sean Sergey Sharon Shirley Simon Sophia Stephanie Stephen Steve
Steven Susan Tamar Teresa Terry Thomas Tim Timothy Tina Todd Tom Tony Tyler Victoria Vincent Virginia Walter
Wayne William Xavier Yuki Zach Zachary Elon Sundar Lisa Jensen Masayoshi Tim Sam Dario Mustafa Demis Arvind
Pat Lip-Bu Safra Jamie Warren Larry Sergey Mark Marc Reed Andy Akio Kenichiro Hiroshi Takeshi Haruki Wei Li
Ming Jun Mei Hui Yan Chen Priya Rahul Raj Anil Sunita Arjun Vikram Ahmed Mohammed Omar Fatima Ali Hassan
""".split())


def find_names(text: str, known: list[tuple[int, int]] | None = None) -> list[tuple[int, int, str]]:
    """Company and person names in English `text` as (start, end, type), non-overlapping, in text order.

    `known` spans (gazetteer matches, say) are skipped: a candidate touching one is not returned.
    """
    known = known or []
    found: list[tuple[int, int, str]] = []
    unresolved: list[tuple[int, int, str]] = []
    for m in _NAME_RE.finditer(text):
        for start, end in _trim(text, m.start(), m.end()):
            if any(s < end and start < e for s, e in known):
                continue
            type_ = _classify(text, start, end)
            if type_:
                found.append((start, end, type_))
                continue
            of = text.find(" of ", start, end)
            if of > 0:  # Maria Cantwell of Washington: the parts may be names on their own
                for s, e in ((start, of), (of + 4, end)):
                    part = _classify(text, s, e)
                    if part and not any(ks < e and s < ke for ks, ke in known):
                        found.append((s, e, part))
                continue
            unresolved.append((start, end, text[start:end]))
    found += _aliases(text, found, unresolved)
    found.sort()
    out: list[tuple[int, int, str]] = []
    for span in found:
        if not out or span[0] >= out[-1][1]:
            out.append(span)
    return out


def _trim(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a capitalised run at words that are not names (The, In, Monday, CEO ...)."""
    pieces: list[tuple[int, int]] = []
    words = [(w.start() + start, w.end() + start) for w in re.finditer(r"\S+", text[start:end])]
    current: list[tuple[int, int]] = []
    for ws, we in words:
        word = text[ws:we]
        if word in _NOT_NAME:
            if current:
                pieces.append((current[0][0], current[-1][1]))
            current = []
            continue
        current.append((ws, we))
        if word.endswith(("'s", "’s")) and len(word) > 3:  # a possessive ends a name: Orvane Group's Kestrel Cloud
            pieces.append((current[0][0], current[-1][1]))
            current = []
    if current:
        pieces.append((current[0][0], current[-1][1]))
    out = []
    for s, e in pieces:
        if text[s:e].endswith(("'s", "’s")):  # Quorran's chief executive
            e -= 2
        while e > s and text[e - 1] in ".,'’":
            e -= 1
        words_in = text[s:e].split()
        while words_in and words_in[-1] in _CONNECTORS:
            e = s + text[s:e].rstrip().rfind(" " + words_in[-1])
            words_in.pop()
        while words_in and words_in[0] in _CONNECTORS:
            s += len(words_in.pop(0))
            while s < e and text[s].isspace():
                s += 1
        if e - s > 1:
            out.append((s, e))
    return out


# Nationality adjectives: "Taiwanese AI cloud startup X" describes X; a demonym and one generic head ("Taiwanese
# AI", "Japanese Semiconductor") is no name.
_DEMONYMS = frozenset("""
American Chinese Japanese Taiwanese Korean Indian German French British Dutch Swiss Swedish Israeli Canadian Mexican
Brazilian Singaporean Malaysian Vietnamese Thai Indonesian Australian Saudi Emirati European Asian Italian Spanish
Finnish Norwegian Danish Irish Russian Turkish Polish Belgian Austrian
""".split())


def _classify(text: str, start: int, end: int) -> str | None:
    words = text[start:end].split()
    before, after = text[max(0, start - 60):start], text[end:end + 80]
    if len(words) == 1 and (re.sub(r"['’]s$", "", words[0]) in _NOT_NAME or words[0] in _DEMONYMS):
        return None  # "Monday's", "Its", "shares of Asian chipmakers"
    if len(words) == 2 and words[0] in _DEMONYMS and words[1] in _COMPANY_HEADS:
        return None
    if len(words) > 1 and (words[0] in _GOVERNMENT_WORDS or words[-1] in _GOVERNMENT_WORDS):
        return GOVERNMENT  # Department of Energy, Federal Trade Commission
    if len(words) > 1 and (words[0] in _ORGANIZATION_WORDS or words[-1] in _ORGANIZATION_WORDS):
        return ORGANIZATION  # University of Texas, Semiconductor Industry Association
    if len(words) > 1 and (words[-1].rstrip(".") in _COMPANY_HEADS or words[0] == "Bank"):
        return COMPANY
    if _LEGAL_AFTER_RE.match(after):
        return COMPANY
    if _TITLE_BEFORE_RE.search(before) and _person_shaped(words):
        return PERSON
    if _ROLE_AFTER_RE.match(after) and _person_shaped(words) and len(words) > 1:
        return PERSON
    if _COMPANY_AFTER_RE.match(after) or _COMPANY_BEFORE_RE.search(before):
        return COMPANY
    if 2 <= len(words) <= 3 and _person_shaped(words):
        if words[0] in _GIVEN_NAMES:
            return PERSON
        if _SAID_AFTER_RE.match(after) or _SAID_BEFORE_RE.search(before):
            return PERSON
    return None


def _person_shaped(words: list[str]) -> bool:
    """1-4 words, each capitalised and mostly lower case (Maria, O'Neil, Lip-Bu; not AMD, not Inc)."""
    return 1 <= len(words) <= 4 and all(
        w[0].isupper() and (len(w) == 1 or not w[1:].replace("-", "").replace("'", "").isupper())
        and w.rstrip(".") not in _COMPANY_HEADS for w in words)


def short_forms(name: str, type_: str) -> list[str]:
    """How a later sentence may shorten a full name: a person's surname, a company's name without its
    company word (Nortova for Nortova Systems). Short forms that could be ordinary words are not given."""
    words = name.split()
    if len(words) < 2:
        return []
    if type_ == PERSON:
        short = [words[-1]]
    elif type_ == COMPANY:
        core = [w for w in words if w.rstrip(".") not in _COMPANY_HEADS]
        short = [" ".join(core)] if core and len(core) < len(words) else []
    else:
        return []
    return [w for w in short if len(w) >= 3 and w not in _NOT_NAME and w[0].isupper()
            and w.split()[-1] not in _CONNECTORS]


def link_short_names(passages: list[tuple[int, str]], names: list[tuple[int, int, str, str]]
                     ) -> list[tuple[int, int, str, str]]:
    """Article-level pass: occurrences of the short forms of `names` anywhere in the article.

    `passages` are (offset, text) pieces of one article; `names` are (start, end, full name, type) of
    the rule-found names, offsets into the article. Returns (start, end, full name, type) for each
    short form not inside an already found name, so "Delgado" three sentences after "Maria Delgado"
    is the same person.
    """
    full: dict[str, tuple[str, str]] = {}
    for _, _, name, type_ in names:
        for short in short_forms(name, type_):
            full.setdefault(short, (name, type_))
    for _, _, name, _ in names:
        full.pop(name, None)  # a name that is itself a full name stays one
    if not full:
        return []
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(s) for s in sorted(full, key=len, reverse=True))
                         + r")(?![\w-])")
    out = []
    for offset, text in passages:
        for m in pattern.finditer(text):
            name, type_ = full[m.group()]
            out.append((offset + m.start(), offset + m.end(), name, type_))
    return out


def _aliases(text: str, found: list[tuple[int, int, str]], unresolved: list[tuple[int, int, str]]
             ) -> list[tuple[int, int, str]]:
    """Unresolved names that repeat a found person's surname or a company's name without its company word."""
    short: dict[str, str] = {}
    for start, end, type_ in found:
        words = text[start:end].split()
        if type_ == PERSON and len(words) > 1:
            short[words[-1]] = PERSON
        elif type_ in (COMPANY, GOVERNMENT, ORGANIZATION):
            short[text[start:end]] = type_
            core = [w for w in words if w.rstrip(".") not in _COMPANY_HEADS]
            if core and len(core) < len(words):
                short.setdefault(" ".join(core), type_)
    out = []
    for start, end, name in unresolved:
        type_ = short.get(name) or short.get(name.removesuffix("'s").removesuffix("’s"))
        if type_:
            out.append((start, end, type_))
    return out


# ---------------------------------------------------------------------------------------------
# The statistical NER's names (en_core_web_*), vetted.

# Legal forms and company-register words that are a tagger's leftover when the name beside them was
# matched otherwise ("OpenAI Group" by the gazetteer, "PBC" left as an ORG of its own).
_LEGAL_ALONE = frozenset("""Inc Corp Corporation Co Ltd LLC LLP LP PLC plc AG SE NV BV SA GmbH PBC Pte Pty KK
Limited Incorporated Holdings Group""".split())
# "(NASDAQ: NRTV)", "NYSE: KSTL", "under the ticker KSTL": a listing symbol, not a name of its own.
_TICKER_BEFORE_RE = re.compile(
    r"(?:\b(?:NASDAQ|Nasdaq|NYSE|Nyse|TSX|LSE|AMEX|OTC|TSE|HKEX|ASX|SIX|Euronext)\s*:\s*"
    r"|\b(?:ticker|symbol|tickers)\s+(?:symbol\s+)?|\b(?:under|as)\s+(?:the\s+)?(?:ticker\s+|symbol\s+)?"
    r")$")
# A sentence-initial capitalised word the tagger may take for a name: the rules' stop list plus
# words of reporting and analysis.
_NOT_NAME_NER = _NOT_NAME
# Two-letter and three-letter AP-style state abbreviations in datelines ("REDMOND, Wash."), read only
# right after "City," and before a period: alone most of them are ordinary words (Ill., Mass., Wash.).
AP_STATES: dict[str, str] = {
    "Ala": "Alabama", "Ariz": "Arizona", "Ark": "Arkansas", "Calif": "California", "Colo": "Colorado",
    "Conn": "Connecticut", "Del": "Delaware", "Fla": "Florida", "Ga": "Georgia", "Ill": "Illinois",
    "Ind": "Indiana", "Kan": "Kansas", "Kans": "Kansas", "Ky": "Kentucky", "La": "Louisiana",
    "Md": "Maryland", "Mass": "Massachusetts", "Mich": "Michigan", "Minn": "Minnesota", "Miss": "Mississippi",
    "Mo": "Missouri", "Mont": "Montana", "Neb": "Nebraska", "Nev": "Nevada", "N.H": "New Hampshire",
    "N.J": "New Jersey", "N.M": "New Mexico", "N.Y": "New York", "N.C": "North Carolina", "N.D": "North Dakota",
    "Okla": "Oklahoma", "Ore": "Oregon", "Pa": "Pennsylvania", "R.I": "Rhode Island", "S.C": "South Carolina",
    "S.D": "South Dakota", "Tenn": "Tennessee", "Vt": "Vermont", "Va": "Virginia", "Wash": "Washington",
    "W.Va": "West Virginia", "Wis": "Wisconsin", "Wyo": "Wyoming",
}
_AP_STATE_RE = re.compile(r"(?<![\w.])(" + "|".join(re.escape(k) for k in sorted(AP_STATES, key=len, reverse=True))
                          + r")\.")
_AP_CITY_BEFORE_RE = re.compile(r"[A-Z][A-Za-z.'-]+(?:\s+[A-Z][A-Za-z.'-]+){0,2},\s*$")


def ap_state_at(text: str, start: int, end: int) -> str | None:
    """The state an AP dateline abbreviation at text[start:end] stands for ("REDMOND, Wash." → Washington)."""
    m = _AP_STATE_RE.match(text, start)
    if not m or m.end(1) not in (end, end - 1) or not _AP_CITY_BEFORE_RE.search(text[max(0, start - 40):start]):
        return None
    return AP_STATES[m.group(1)]


# A dateline opens a line: the town in capitals, its state or country, then the date or the wire
# ("LAKEMOOR, Ore., March 3, 2027 --", "HALDEN, Norway, May 2 (Nordic Wire) -").
_DATELINE_AFTER_RE = re.compile(
    r",\s*(?:[A-Z][A-Za-z.]*(?:\s+[A-Z][A-Za-z.]*){0,2},\s*)?"
    r"(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}\b|\(?[A-Z][A-Za-z ]+\)?\s*(?:--|[–—-]))")


def _dateline_town(text: str, start: int, end: int) -> bool:
    """text[start:end] is the town of a dateline (a capitalised place, not a company or a person)."""
    surface = text[start:end]
    return surface.isupper() and (start == 0 or text[start - 1] == "\n") and bool(_DATELINE_AFTER_RE.match(text, end))


# A compound's formula written with element symbols (GaN, SiC, GaAs, InP): two symbols, one lower-case letter at least.
_FORMULA_RE = re.compile(r"(?=.*[a-z])(?:[A-Z][a-z]?){2}")
# An exchange before its listing symbol ("(NYSE: KSTL)") is where the company is listed, not a party.
_EXCHANGE_BEFORE_TICKER_RE = re.compile(r"\s*:\s*[A-Z][A-Z.]{0,5}\b")


def ner_type(text: str, start: int, end: int, type_: str) -> str | None:
    """The entity type a statistical NER span text[start:end] of type `type_` keeps, or None to drop it.

    The small English models tag product codes (MI450), quarters (Q3), tickers, legal forms left over
    beside a matched name (PBC) and unknown capitalised words (a chip family as a PERSON); the rules'
    cues settle the type where they have one (a name ending in Systems is a company whatever the tagger said).
    """
    surface = text[start:end]
    words = surface.split()
    if not words or any(c.isdigit() for c in surface) or all(w.rstrip(".,") in _LEGAL_ALONE for w in words) \
            or surface[0].islower():
        return None  # product codes, legal forms alone, brand words written lower-case first (iPhones)
    if all(w in _NOT_NAME_NER or w.lower() == w for w in words) or surface.rstrip(".") in AP_STATES:
        return None  # The, Critics, lower-case words; Miss. or Ind. outside a dateline
    if type_ in ("company", "person", "organization", "government"):
        if surface.isupper() and len(surface) <= 5 and _TICKER_BEFORE_RE.search(text[max(0, start - 30):start]):
            return None
        if _FORMULA_RE.fullmatch(surface):
            return None  # GaN, SiC, GaAs: a semiconductor material's formula, not a company
        if _dateline_town(text, start, end) or (_TICKER_BEFORE_RE.search(surface + ":")
                                                 and _EXCHANGE_BEFORE_TICKER_RE.match(text, end)):
            return None
        ruled = _classify(text, start, end)
        if ruled:
            return ruled
    if type_ == "person":
        # A person's name is person-shaped (not AI, not Systems); one word alone is kept only as a short
        # form of a full name found elsewhere in the article (link_article_names drops it otherwise).
        return type_ if _person_shaped(words) else None
    return type_


def _one_entity(a: tuple[str, str, str], b: tuple[str, str, str]) -> bool:
    """Two (text, type, id) targets of a short form are one name written twice ("Brightline Thermal Inc." and
    "Brightline Thermal": one name once its legal form is set aside), not two companies sharing a word."""
    from kb.entities.names import normalize_name
    if a[1] != b[1] or (a[2] and b[2] and a[2] != b[2]):
        return False
    return a[:2] == b[:2] or (a[1] == COMPANY and normalize_name(a[0]) == normalize_name(b[0]) != "")


def _confirmed_first_words(mentions: list, names: set[str]) -> dict[str, tuple[str, str, str] | None]:
    """A company's first word(s) the article also writes as a name on its own ("Boreal Thermal Systems" …
    "Minneapolis-based Boreal"): the article shortens the full name so, and every "Boreal" is that company.
    "Cedar Crest" after Cedar Crest Data Partners likewise. A first word two companies share maps to None: alone it
    is either."""
    out: dict[str, tuple[str, str, str]] = {}
    clash: set[str] = set()
    for m in mentions:
        words = m.text.split()
        if m.source in ("coref", "alias") or m.entity.type != COMPANY or len(words) < 2:
            continue
        # its first word, or its first words ("Cedar Crest" for Cedar Crest Data Partners)
        for k in range(1, len(words)):
            first = " ".join(words[:k])
            if first in names and len(first) >= 3 and words[k - 1] not in _NOT_NAME and first[0].isupper() \
                    and words[k - 1] not in _COMPANY_HEADS and words[k - 1] not in _CONNECTORS:
                target = (m.text, m.entity.type, m.entity.id if m.source == "gazetteer" else "")
                if _one_entity(out.setdefault(first, target), target):
                    continue
                clash.add(first)  # Orvane Labs and Orvane Capital: "Orvane" alone is either
    return {k: (None if k in clash else v) for k, v in out.items()}


_NEXT_WORD_RE = re.compile(rf"\s+({_WORD})(?![\w-])")


def _introduced_full_names(text: str, mentions: list, passages: list) -> list:
    """'Arcturus Interconnect turned in another quarter … Arcturus expects …': a one-word company name the tagger
    or the rules found, whose first occurrence in the article is followed by one more capitalised word nobody
    found, was introduced by that two-word name (the full name, then the short one). The two words become a
    company mention; link_article_names then makes every later "Arcturus" that company."""
    from kb.records import EntityRef, Mention

    out = []
    singles = {m.text for m in mentions if m.source in ("rule", "ner") and m.entity.type == COMPANY
               and len(m.text.split()) == 1 and len(m.text) >= 3 and m.text not in _NOT_NAME}
    for word in sorted(singles):
        first = re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text)
        if first is None:
            continue
        nxt = _NEXT_WORD_RE.match(text, first.end())
        if nxt is None or nxt.group(1) in _NOT_NAME or nxt.group(1) in _LEGAL_ALONE or \
                "\n" in text[first.end():nxt.start(1)]:
            continue
        start, end = first.start(), nxt.end(1)
        if any(m.start < end and start < m.end for m in mentions):
            continue  # the next word is a name of its own ("Arcturus Microsoft") or the pair is already found
        passage = next((p for p in passages if p.start <= start < p.end), None)
        if passage is None:
            continue
        name = text[start:end]
        out.append(Mention(start, end, name, COMPANY, EntityRef("", name, COMPANY), "rule", passage.idx))
    return out


def link_article_names(text: str, mentions: list, passages: list) -> list:
    """English, article level: a short form is the full name it shortens, whoever found either.

    `mentions` are kb.records.Mention (article offsets) of one article, `passages` its analysed
    kb.segment.Passage list. A person's surname and a company's name without its company word
    (Delgado for Maria Delgado, Nortova for Nortova Systems) become alias mentions of the full name:
    a mention the rules or the tagger found alone is re-pointed (whatever type the tagger gave it: the
    small English model calls a lone surname an ORG), and an occurrence nobody found is added. A short
    form of two different full names is ambiguous and left alone, and gazetteer matches are never
    re-pointed. A one-word tagger PERSON that shortens no full name is dropped: alone it is more
    often a product or a place than a person.
    """
    from kb.records import EntityRef, Mention

    mentions = mentions + _introduced_full_names(text, mentions, passages)
    full: dict[str, tuple[str, str, str]] = {}
    clash: set[str] = set()
    names = {m.text for m in mentions if m.source != "coref"}
    for m in sorted(mentions, key=lambda m: (m.start, m.end)):
        if m.source in ("coref", "alias") or m.entity.type not in (PERSON, COMPANY):
            continue
        for short in short_forms(m.text, m.entity.type):
            target = (m.text, m.entity.type, m.entity.id if m.source == "gazetteer" else "")
            if short in full and not _one_entity(full[short], target):
                clash.add(short)
            full.setdefault(short, target)
    confirmed = {k for k, v in _confirmed_first_words(mentions, names).items() if v is not None}
    for short, target in _confirmed_first_words(mentions, names).items():
        if target is None or short in full and not _one_entity(full[short], target):
            clash.add(short)
            continue
        full.setdefault(short, target)
    for short in clash:
        full.pop(short, None)
    for name in names:
        if len(name.split()) > 1 and name not in confirmed:
            # a name that is itself a full name stays one; the leading words of a longer company name the
            # article writes alone ("Cedar Crest" after Cedar Crest Data Partners) are that company
            full.pop(name, None)
    out = []
    by_span = {}
    for m in mentions:
        linked = full.get(m.text) if m.source in ("rule", "ner") else None
        if linked is not None:
            name, type_, eid = linked
            m.entity = EntityRef(eid, name, type_)
            m.label = type_  # the full name's type decides (a surname alone may have been typed otherwise)
            m.source = "alias"
        elif m.source == "ner" and m.entity.type == PERSON and len(m.text.split()) == 1:
            continue
        out.append(m)
        by_span[(m.start, m.end)] = m
    if not full:
        return out
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(s) for s in sorted(full, key=len, reverse=True))
                         + r")(?![\w-])")
    for p in passages:
        for hit in pattern.finditer(text, p.start, p.end):
            start, end = hit.start(), hit.end()
            if (start, end) in by_span or any(m.start < end and start < m.end for m in out):
                continue
            name, type_, eid = full[hit.group()]
            out.append(Mention(start, end, hit.group(), type_, EntityRef(eid, name, type_), "alias", p.idx))
    out.sort(key=lambda m: (m.start, m.end))
    return out
