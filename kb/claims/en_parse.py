"""English claims read off the dependency parse of a statistical pipeline (en_core_web_*).

kb.claims.en reads claims off word order around masked mentions; this module reads verb frames:
the subject of a verb (climbing through "plans to", "agreed to", coordinated verbs, relative clauses
"X, which signed …", passive agents "developed by X"), its objects and prepositional objects, the
owner of a noun phrase ("X's capacity", "Nvidia processors", "its revenue"), appositions
("X, Y's largest customer") and coordination ("A and B said they would invest $1 billion and $2 billion
respectively"). Pronouns and descriptions ("it", "its", "the company", "the two firms", "the venture",
"its old rival", "the state") resolve to the company the discourse is about: the latest company written
as a subject, in this sentence before the word or in the three before it, never the claim's other party;
a description given by an apposition earlier ("Stargate, the venture backed by …") means that entity.

Finders return (claim, region) pairs like kb.claims.en's; the shared step there sets modality,
polarity and attribution from the region. Nothing here names a company: every rule is a construction.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from kb.claims.base import OBJECT_TYPES, ORG_TYPES, PLACE_TYPES, SUBJECT_TYPES, Sentence, make_claim
from kb.entities import NO_COMMENT_RE
from kb.records import Claim, EntityRef

COMPANYISH = ORG_TYPES | {"project"}
# How far back (in sentences) a pronoun or description may find its company.
LOOKBACK = 3


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- lexicon: lemmas of the verbs and nouns the frames look for -------------------------------------
INVEST_VERBS = _words("invest inject pour plow plough")
PUT_VERBS = _words("put sink")  # "put $4 billion into Y", "put in about $700 million": only with money put in
LINE_WORDS = _words("production assembly packaging test testing finishing")  # lines that make things
CLOSING_VERBS = _words("close shut shutter idle mothball sell divest")  # "will close its factory in Texas"
COMMIT_VERBS = _words("commit pledge")  # "committed tens of billions of dollars to Y": only with money committed
START_VERBS = _words("begin start commence")  # "has begun output at a facility in P"
SPEND_VERBS = _words("spend")
BUILD_VERBS = _words("build construct develop erect expand")
OPEN_VERBS = _words("open")
BUY_VERBS = _words("buy purchase procure order lease rent license source reserve")
USE_VERBS = _words("use deploy adopt tap")
EQUIP_VERBS = _words("equip fill outfit stock pack")  # "equipped the site with X chips"
SUPPLY_VERBS = _words("supply provide deliver sell ship")
RENT_OUT_VERBS = _words("rent lease")  # "rents capacity to X": the subject supplies
HOLD_VERBS = _words("own hold control have retain keep take")
STAKE_TAKE_VERBS = _words("take buy acquire purchase")
ACQUIRE_VERBS = _words("acquire")
GIVE_VERBS = _words("give grant hand issue")
BACK_VERBS = _words("back fund finance bankroll")
ROLE_VERBS = {"chair": "chairman", "lead": "head", "head": "head", "run": "head", "found": "founder",
              "co-found": "co-founder", "cofound": "co-founder"}
PARTNER_VERBS = _words("partner collaborate team ally work")
CODEVELOP_VERBS = _words("develop design co-develop codevelop engineer")  # "developing X with Y": joint work
APPOINT_VERBS = _words("name appoint hire promote elect tap")  # "X named Y as chief executive"
CHANGE_VERBS = _words("""rise jump fall grow swell climb surge soar increase decrease decline drop slump plunge slide
tumble sink gain lose double triple reach total hit top exceed close end finish balloon expand shrink come narrow
widen stand""")
ADD_VERBS = _words("add wipe erase shed")
REPORT_VERBS = _words("""report post record generate book expect forecast project see guide anticipate predict earn log model
estimate put peg""")
# What a company spends on that is not an investment (nor a purchase from a supplier).
NON_INVESTMENT_NOUNS = _words("""buyback repurchase dividend marketing advertising salary wage bonus debt interest lobbying
settlement fine tax severance""")
OPERATE_VERBS = _words("operate run own have manage")
LOCATE_VERBS = _words("stretch span sit lie be locate spread range")
REPRESENT_VERBS = _words("represent amount equal")
VALUE_VERBS = _words("value")
RAISE_VERBS = _words("raise receive secure obtain attract")
CLOSE_VERBS = _words("close complete")  # "closed a $1.2 billion funding round": only with a round as the object
JOIN_VERBS = _words("participate take join")  # "X took part in the round", "participated in the financing"
LEAD_VERBS = _words("lead include")
SEND_VERBS = _words("send push drive lift knock")
SPEECH_VERBS = _words("say report announce state tell disclose confirm note add")
# "X expects revenue to grow 40%": the expecter's figure, a forecast ("analysts expect shipments to rise": nobody's).
EXPECT_VERBS = _words("expect forecast project predict anticipate estimate see")
AWARD_VERBS = _words("award")
PLAN_NOUNS = _words("plan intention proposal agreement deal commitment pledge bid effort decision contract")
# "X is in advanced talks to acquire Y": the talks' party is the verb's subject.
TALK_NOUNS = _words("talk negotiation discussion")
PARTICIPATION_NOUNS = _words("participation")
# "X counts A among its customers"
COUNT_VERBS = _words("count")
# "$120 million in incentives from the Commerce Department": public money given to a company.
INCENTIVE_NOUNS = _words("incentive grant subsidy")
RECEIVE_VERBS = _words("include receive get win secure obtain")
# "X is pursuing Y", "X made an offer for Y", "X bid for Y": a takeover bid, an investment X → Y.
BID_VERBS = _words("pursue")
BID_NOUNS = _words("offer bid")
MAKE_VERBS = _words("make submit launch place table")
CHANGE_NOUNS = _words("rise increase jump gain drop decline growth surge fall")
YIELD_VERBS = _words("generate bring produce contribute deliver")
ADJUST_VERBS = _words("raise lift boost increase cut lower trim reduce hike narrow tighten widen update reaffirm reiterate")
FORECAST_NOUNS = _words("forecast guidance outlook target estimate projection")
# A deal of these kinds is financing or a merger, not a supply contract.
FINANCING_NOUNS = _words("intent merger acquisition financing funding loan debt bond lending")
COPULA_VERBS = _words("be remain become")
TOTAL_VERBS = _words("total reach come be amount")
FACILITY_OWNING_VERBS = _words("operate run own")
SIGNING_VERBS = _words("sign")
OTHER_NOUNS = _words("intent merger acquisition stake share warrant equity stock worth")
ACCOUNT_VERBS = _words("account")
GO_VERBS = _words("go")  # "most of its sales go to X"
NEGATING_VERBS = _words("reject block oppose abandon scrap terminate cancel withdraw vote")  # vote against

CONTRACT_NOUNS = _words("contract deal agreement order pact arrangement commitment lease")
SERVE_VERBS = _words("serve power")  # "Y will serve the campus": Y supplies the site's company
CONTROL_NOUNS = _words("control ownership")  # "took control of Y", "take full ownership of Y"
CONTROL_TAKE_VERBS = _words("take assume gain acquire seize")
LEASE_NOUNS = _words("lease")
OCCUPY_VERBS = _words("occupy inhabit")  # "a lease with Y, which will occupy the buildings": Y is the tenant
JV_VERBS = _words("form create establish set launch weigh consider plan explore discuss propose announce")  # … a joint venture
FORMING_VERBS = _words("form create establish set launch")  # "the venture it formed with A and B"
MANUFACTURE_VERBS = _words("manufacture produce make assemble fabricate")
MEASURE_NOUNS = _words("gigawatt megawatt unit batch tranche phase shipment")  # "the first gigawatt of X chips"
COMMITMENT_NOUNS = _words("commitment deal contract purchase")
PARTNERSHIP_NOUNS = _words("partnership alliance collaboration tie-up venture")
STAKE_NOUNS = _words("stake holding interest")
ACQUISITION_NOUNS = _words("acquisition takeover purchase buyout")
# Facilities whose building or operating in a place is an investment in that place.
FACILITY_NOUNS = _words("""datacenter datacentre center centre campus site supercomputer cluster facility capacity hub
park complex""")
PRODUCT_NOUNS = _words("""chip processor gpu tpu cpu accelerator system server capacity compute service infrastructure
hardware platform cloud power product equipment rack""")
METRIC_NOUNS = _words("""revenue sale obligation backlog profit income earning value valuation capitalization share stock
price margin capex expenditure spending booking order cash loss ebitda turnover user subscriber customer flow
guidance shipment""")
SITE_NOUNS = _words("campus site facility plant factory fab datacenter")  # a facility "the X" can mean again
PLANT_NOUNS = _words("plant factory fab mill foundry facility")  # sites where things are made (manufacturing)
COUNTED_FACILITIES = _words("datacenter center centre campus site plant factory facility fab store office")
# What a factory turns out ("makes cold plates", "builds most of its power products"), and the lines and
# output a plant adds ("adds a production line", "expand chip production").
MADE_NOUNS = _words("""chip processor gpu cpu accelerator server rack product equipment device wafer component module panel
battery shelf transistor semiconductor plate pump cable fiber vehicle car substrate switchgear inverter
converter transformer engine""")
OUTPUT_NOUNS = _words("production output manufacturing line")
PORTION_NOUNS = _words("share bulk majority portion half part most")  # "a large share of A's racks"
# The making a company "does" somewhere ("does much of its building at home in San Jose").
WORK_NOUNS = _words("building manufacturing assembly production fabrication")
GROW_VERBS = _words("add expand increase boost lift triple double raise ramp")
# "the company", "the chipmaker", "its old rival": a description that stands for a company.
DESCRIPTION_NOUNS = _words("""company firm group maker chipmaker automaker carmaker provider developer startup start-up giant
venture operator supplier rival partner lab conglomerate hyperscaler designer manufacturer producer lender investor
insurer bank fund drugmaker retailer airline carrier miner automaker steelmaker""")
CUSTOMER_NOUNS = _words("customer client buyer tenant")
# "X will supply Y with chips. Here the supplier is not investing in the customer": the parties of the
# latest contract (Discourse.contract).
CONTRACT_ROLES = {"customer": "_customer", "client": "_customer", "buyer": "_customer",
                  "supplier": "_supplier", "vendor": "_supplier", "seller": "_supplier"}
CONTRACT_ROLE_TEXT = re.compile(r"(?i)\bthe (?:%s)\b" % "|".join(CONTRACT_ROLES))
SUPPLIER_NOUNS = _words("supplier provider vendor landlord")
SHAREHOLDER_NOUNS = _words("shareholder owner stockholder parent")
BACKER_NOUNS = _words("backer investor")
SUBSIDIARY_NOUNS = _words("subsidiary unit arm division affiliate")
TITLE_NOUNS = _words("""ceo cfo cto coo chairman chairwoman chair president founder co-founder cofounder officer executive
director chief head scientist treasurer""")
WIN_VERBS = _words("win secure land clinch")
SIGN_VERBS = _words("""sign ink strike win award secure land clinch expand extend announce reach enter agree have keep finalize
complete renew""")
REL_PRONOUNS = _words("which who that")
CLAUSE_DEPS = frozenset({"relcl", "ccomp", "advcl", "acl", "parataxis", "csubj"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
_CONJ_SKIP = frozenset({"cc", "punct", "preconj"})

_IRREGULAR = {
    "manufactured": "manufacture", "produced": "produce", "assembled": "assemble", "fabricated": "fabricate",
    "bought": "buy", "built": "build", "held": "hold", "took": "take", "taken": "take", "gave": "give",
    "given": "give", "sold": "sell", "won": "win", "rose": "rise", "risen": "rise", "fell": "fall", "fallen": "fall",
    "grew": "grow", "grown": "grow", "swollen": "swell", "spent": "spend", "made": "make", "led": "lead", "ran": "run",
    "struck": "strike", "hit": "hit", "had": "have", "has": "have", "was": "be", "were": "be", "is": "be",
    "are": "be", "been": "be", "'s": "be", "sank": "sink", "sunk": "sink", "saw": "see", "seen": "see",
    "slid": "slide", "kept": "keep", "lay": "lie", "lain": "lie", "data": "datum", "sales": "sale",
    "earnings": "earning", "centres": "centre", "said": "say", "told": "tell", "sent": "send", "drove": "drive",
    "driven": "drive", "got": "get", "came": "come", "became": "become", "shrank": "shrink", "shrunk": "shrink",
    "paid": "pay", "lent": "lend", "stood": "stand", "went": "go", "gone": "go", "began": "begin", "begun": "begin", "drew": "draw", "drawn": "draw", "issued": "issue", "co-founded": "co-found", "cofounded": "cofound", "founded": "found",
}
def _lexicon(suffix: str) -> frozenset[str]:
    return frozenset().union(*(v for k, v in dict(globals()).items() if k.endswith(suffix) and isinstance(v, frozenset)))


_VERB_LEXICON: frozenset[str] = _lexicon("_VERBS") | frozenset(ROLE_VERBS) | frozenset(_IRREGULAR.values())
_NOUN_LEXICON: frozenset[str] = _lexicon("_NOUNS") | frozenset(_IRREGULAR.values())


def lemma(tok) -> str:
    """The lemma of a token, good enough for the lexicon above (the pipeline's lemmatizer is not run):
    a verb's inflections (spending, committed, supplies) and a noun's plural (contracts, centres)."""
    return _lemma(tok.lower_, tok.tag_.startswith("VB"))


@functools.lru_cache(maxsize=65536)
def _lemma(w: str, verb: bool) -> str:
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if verb:
        lexicon = _VERB_LEXICON
        cands = [w, w[:-1] if w.endswith(("s", "d")) else "", w[:-2] if w.endswith(("es", "ed")) else "",
                 w[:-3] + "y" if w.endswith(("ies", "ied")) else ""]
        if w.endswith("ing"):
            cands += [w[:-3], w[:-3] + "e", w[:-4]]
        if w.endswith("ed") and len(w) > 4 and w[-3] == w[-4]:
            cands.append(w[:-3])  # committed, planned
    else:
        lexicon = _NOUN_LEXICON
        cands = [w, w[:-1] if w.endswith("s") else "", w[:-2] if w.endswith("es") else "",
                 w[:-3] + "y" if w.endswith("ies") else ""]
    for cand in cands:
        if cand and cand in lexicon:
            return cand
    return w if w in _VERB_LEXICON | _NOUN_LEXICON else w


# --- the discourse: what pronouns and descriptions may refer to ---------------------------------------
@dataclass
class Discourse:
    """Companies of the sentences analysed so far in one article (kept in Sentence.discourse)."""

    n: int = 0
    subjects: list[tuple[int, list[EntityRef]]] = field(default_factory=list)  # subject groups, in text order
    named: list[tuple[int, EntityRef]] = field(default_factory=list)             # every entity named, in order
    bound: dict[str, EntityRef] = field(default_factory=dict)                   # "venture" -> Stargate
    affiliation: dict[str, EntityRef] = field(default_factory=dict)             # person id -> organization
    stake_in: tuple[int, EntityRef] | None = None                                # latest ownership's owned party
    contract: tuple[int, EntityRef, EntityRef] | None = None                     # latest contract: customer, supplier
    raised: tuple[int, EntityRef] | None = None                                  # latest company to raise a round
    sites: dict[str, tuple[int, list[EntityRef]]] = field(default_factory=dict)  # "campus" -> where it was placed
    roles: dict[str, set[str]] = field(default_factory=dict)  # company id -> its contract roles told (customer, supplier)
    site_builders: list[tuple[str, EntityRef]] = field(default_factory=list)  # (facility noun, company investing in it), in order
    spoke: dict[str, int] = field(default_factory=dict)  # company id -> latest sentence it was the subject of "said" in


def discourse_of(sent: Sentence) -> Discourse:
    ctx = getattr(sent, "discourse", None)
    if ctx is None:
        return Discourse()
    if "en_parse" not in ctx:
        ctx["en_parse"] = Discourse()
    return ctx["en_parse"]


_ANAPHOR_TEXT = re.compile(r"(?i)^(?:the|this|both)\s")
# A wire dateline before a story's first sentence ("SEOUL, March 4 (Reuters) - ", "REDMOND, Wash. — Oct. 28,
# 2025 — "): the parser makes its city the subject of the sentence's verb.
_DATELINE = re.compile(r"\s*[A-Z][A-Z.'-]+(?: [A-Z][A-Z.'-]+){0,3}(?:,\s*[A-Z][a-z]{1,5}\.)?"
                       r"(?P<date>,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?)?\s*(?P<wire>\([A-Z][A-Za-z .]+\))?"
                       r"\s*[–—-]+\s*(?P<date2>[A-Z][a-z]{2,8}\.?\s+\d{1,2},\s*\d{4}\s*[–—-]+\s*)?")


def dateline_end(text: str) -> int:
    """Where a wire dateline opening text ends (0 without one)."""
    m = _DATELINE.match(text)
    return m.end() if m and (m.group("date") or m.group("wire") or m.group("date2")) else 0


def _companyish(ref: EntityRef) -> bool:
    """A company-like party of a claim; news outlets (gazetteer sector media) report claims, never make them."""
    return ref.type in COMPANYISH and not _is_media(ref.id)


@functools.lru_cache(maxsize=4096)
def _is_media(entity_id: str) -> bool:
    from kb.entities.gazetteer import Gazetteer
    entry = Gazetteer.load().get(entity_id)
    return entry is not None and entry.attrs.get("sector") == "media"


class _Reader:
    """One parsed sentence with its mentions and amounts placed on tokens."""

    def __init__(self, sent: Sentence, disc: Discourse):
        self.sent, self.doc, self.disc = sent, sent.doc, disc
        self.text = sent.text
        doc = self.doc
        self.ment_of: dict[int, list] = {}    # token index -> the mention group (Ments of one span)
        self.ment_head: dict[int, int] = {}   # token index -> head token index of its mention
        groups: dict[tuple[int, int], list] = {}
        for m in sent.mentions:
            groups.setdefault((m.start, m.end), []).append(m)
        for (start, end), group in groups.items():
            toks = [t for t in doc if t.idx < end and start < t.idx + len(t)]
            if not toks:
                continue
            inside = {t.i for t in toks}
            head = next((t for t in toks if t.head.i not in inside or t.head.i == t.i), toks[-1])
            for t in toks:
                if t.i not in self.ment_of:
                    self.ment_of[t.i] = group
                    self.ment_head[t.i] = head.i
        self.amount_at: dict[int, object] = {}   # head token index -> Amount
        self.amount_tokens: dict[int, object] = {}
        for a in sent.amounts:
            toks = [t for t in doc if t.idx < a.end and a.start < t.idx + len(t)]
            if not toks:
                continue
            inside = {t.i for t in toks}
            head = next((t for t in toks if t.head.i not in inside or t.head.i == t.i), toks[-1])
            self.amount_at[head.i] = a
            for t in toks:
                self.amount_tokens[t.i] = a
        self.dateline = dateline_end(self.text)  # characters of a wire dateline (no token there is a subject)
        self.subj_at: list[tuple[int, list[EntityRef], bool]] = []  # (token, group, named as the subject itself)
        self.speakers: list[str] = []  # companies that are the subject of a speech verb here ("X said …")
        self._collect_subjects()

    # -- mentions, pronouns and descriptions ---------------------------------------------------------
    def is_anaphor_mention(self, i: int) -> bool:
        group = self.ment_of.get(i)
        return bool(group) and bool(_ANAPHOR_TEXT.match(group[0].text)) and \
            group[0].text.split()[-1].lower() in {"company", "companies", "firm", "firms"}

    def mention_refs(self, tok) -> list[EntityRef]:
        group = self.ment_of.get(tok.i)
        if group is None and tok.pos_ == "PROPN":
            # "OpenAI Group PBC" where the gazetteer matched "OpenAI Group": the proper-noun head is that name
            for c in tok.children:
                if c.dep_ == "compound" and c.i in self.ment_of and c.i < tok.i:
                    group = self.ment_of[c.i]
        if not group or self.is_anaphor_mention(tok.i):
            return []
        return [m.entity for m in group]

    def anaphor_kind(self, tok) -> str | None:
        """'one', 'two', 'state' or None: whether the noun phrase headed by tok stands for something named before."""
        w = tok.lower_
        if w in ("it", "its", "itself"):
            return "one"
        if w in ("they", "their", "them", "theirs"):
            return "two"
        if tok.pos_ not in ("NOUN", "PROPN"):
            return None
        noun = lemma(tok)
        dets = {c.lower_ for c in tok.children if c.dep_ in ("det", "poss", "nummod", "predet")}
        if noun == "state" and "the" in dets:
            return "state"
        if noun in CONTRACT_ROLES and dets == {"the"}:
            return "one"  # "the supplier", "the customer": a party of the contract just told (resolve)
        if noun not in DESCRIPTION_NOUNS and tok.lower_ not in ("companies", "firms"):
            return None
        if any(c.dep_ in ("compound", "poss") and self.mention_refs(c) and
               any(_companyish(r) for r in self.mention_refs(c)) for c in tok.children):
            return None  # "the Nvidia unit" names Nvidia's unit, not a company named before
        if dets & {"two", "both", "2"} or tok.tag_ == "NNPS" or (tok.tag_ == "NNS" and dets & {"the", "their"}):
            return "two"
        if tok.tag_ == "NNS":
            return None
        if dets & {"the", "this", "its", "their"}:
            return "one"
        return None

    def resolve(self, tok, kind: str, exclude: Iterable[str] = ()) -> list[EntityRef]:
        """What a pronoun or description at tok stands for: the discourse's latest subject company first."""
        excluded = set(exclude)
        disc = self.disc
        if kind == "state":  # "the state": the latest state named, or the state of the latest city named
            for _, ref in self._named_before(tok.i):
                state = [ref] if ref.type == "state" else _state_of(ref)
                if state and state[0].id not in excluded:
                    return state
            return []
        noun = lemma(tok) if tok.pos_ in ("NOUN", "PROPN") else None
        if kind == "two":
            for _, group in self._subjects_before(tok.i):
                group = [r for r in group if _companyish(r) and r.id not in excluded]
                if len(group) >= 2:
                    return group
            if tok.lower_ in ("they", "their", "them", "theirs"):
                kind = "one"  # "they" for a company is common news English
            else:
                seen: list[EntityRef] = []
                for _, ref in self._named_before(tok.i):
                    if _companyish(ref) and ref.id not in excluded and ref.id not in {r.id for r in seen}:
                        seen.append(ref)
                    if len(seen) == 2:
                        return seen
                return []
        apposed = [x for x in self.apposed(tok) if x.id not in excluded]
        if apposed:
            return apposed[:1]
        if noun is not None and any(c.dep_ == "amod" and c.lower_ == "same" for c in tok.children):
            # "A has put $14 billion into Y; B owns 14% of the same company": the company named last,
            # whatever its role (not the subject before)
            inside = {t.i for t in tok.subtree}
            return next(([ref] for j, ref in self._named_before(tok.i) if j not in inside and _companyish(ref)
                         and ref.id not in excluded), [])
        role = CONTRACT_ROLES.get(noun or "")
        if role is not None and any(c.lower_ == "the" for c in tok.children if c.dep_ == "det"):
            # "the supplier" / "the customer": that party of the contract told just before, else nobody
            if disc.contract is None or disc.n - disc.contract[0] >= LOOKBACK:
                return []
            party = disc.contract[1] if role == "_customer" else disc.contract[2]
            return [party] if party.id not in excluded else []
        inside = {t.i for t in tok.subtree} if noun else {tok.i}
        definite = noun is not None and any(c.lower_ == "the" for c in tok.children if c.dep_ == "det")
        # This sentence's subjects, then its other names, then (for "the venture") what an apposition named
        # so, then the subjects and names of the sentences before.
        for here in (True, False):
            for j, group in self._subjects_before(tok.i):
                if (j >= 0) == here and j not in inside:
                    for ref in group:
                        if _companyish(ref) and ref.id not in excluded:
                            return [ref]
            if here and definite and noun in disc.bound and disc.bound[noun].id not in excluded:
                return [disc.bound[noun]]
            for j, ref in self._named_before(tok.i):
                if (j >= 0) == here and j not in inside and _companyish(ref) and ref.id not in excluded:
                    return [ref]
        return []

    def apposed(self, tok) -> list[EntityRef]:
        """'Stargate, the venture backed by …': the name right before a description and a comma (the small
        parser often misses the apposition)."""
        if tok.pos_ not in ("NOUN", "PROPN"):
            return []
        if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.pos_ in ("VERB", "AUX"):
            return []  # "… to supply Y, the company said": the subject of its own verb, not an apposition of Y
        left = tok.left_edge
        if left.i < 2 or self.doc[left.i - 1].text != ",":
            return []
        before = self.doc[left.i - 2]
        head = self.ment_head.get(before.i)
        if head is None or self.is_anaphor_mention(before.i):
            return []
        return [r for r in self.mention_refs(self.doc[head]) if _companyish(r)]

    def _subjects_before(self, i: int) -> Iterator[tuple[int, list[EntityRef]]]:
        """Subject groups before token i in this sentence (nearest first), then those of the sentences before
        (latest sentence first; within a sentence in text order, so its main subject comes first)."""
        # "X said the Y contract would lift its backlog": a subject that is the name itself before one that is
        # only a name's thing ("the Y contract"), as for the sentences before
        for j, group, _ in sorted((s for s in self.subj_at if s[0] < i), key=lambda s: (not s[2], -s[0])):
            yield j, group
        by_sentence: dict[int, list] = {}
        for n, group, strong in self.disc.subjects:
            by_sentence.setdefault(n, []).append((group, strong))
        for n in sorted(by_sentence, reverse=True):
            if self.disc.n - n < LOOKBACK:
                # a subject that is the name itself before one that is a name's thing ("The X agreement")
                for group, _ in sorted(by_sentence[n], key=lambda g: not g[1]):
                    yield -1, group

    def past_dateline(self, tok):
        """A subject token, or where the parser made a dateline's city the subject ("REDMOND, Wash. — … —
        Microsoft and OpenAI announced"), the first name coordinated with it after the dateline; None if none."""
        if tok.idx >= self.dateline:
            return tok
        return next((c for c in _conjuncts(tok) if c.idx >= self.dateline), None)

    def stake_in_focus(self, exclude: Iterable[str]) -> list[EntityRef]:
        """The company whose stake the sentences just before told (within LOOKBACK), for a stake written
        without its company ("X owns 27% of Y. Z holds a stake of about 26%."): Y, unless it is the holder."""
        if self.disc.stake_in is None:
            return []
        n, ref = self.disc.stake_in
        return [ref] if self.disc.n - n < LOOKBACK and ref.id not in set(exclude) else []

    def topic_before(self) -> EntityRef | None:
        """The company the latest earlier sentence (within LOOKBACK) is about: its first subject company."""
        latest = max((n for n, _, _ in self.disc.subjects if self.disc.n - n < LOOKBACK), default=None)
        if latest is None:
            return None
        for n, group, strong in self.disc.subjects:
            if n == latest and strong:
                return next((x for x in group if _companyish(x)), None)
        return None

    def _named_before(self, i: int) -> Iterator[tuple[int, EntityRef]]:
        here = []
        for j in sorted(self.ment_of):
            if j < i and self.ment_head.get(j) == j and not self.is_anaphor_mention(j):
                here.extend((j, m.entity) for m in self.ment_of[j])
        yield from reversed(here)
        for n, ref in reversed(self.disc.named):
            if self.disc.n - n < LOOKBACK:
                yield -1, ref

    def refs(self, tok, exclude: Iterable[str] = (), *, conj: bool = True) -> list[EntityRef]:
        """The entities the noun phrase headed by tok names (its coordinated phrases too)."""
        out: list[EntityRef] = []
        excluded = set(exclude)
        if tok.lower_ in ("both", "each", "all") and any(
                p.lower_ in ("which", "whom") for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                for p in c.children if p.dep_ == "pobj"):
            return [x for x in self.antecedents(tok) if x.id not in excluded]
        heads = [tok] + (list(_conjuncts(tok)) if conj else [])
        for h in heads:
            found = self.mention_refs(h)
            if found and all(x.id in excluded for x in found) and _ANAPHOR_TEXT.match(self.ment_of[h.i][0].text):
                # "Y, which agreed to supply the startup": a description the entity step read as the claim's
                # other party stands for someone else (the company the sentence is about)
                kind = self.anaphor_kind(h)
                found = self.resolve(h, kind, exclude) if kind else found
            if not found and h.i not in self.ment_of or self.is_anaphor_mention(h.i):
                kind = self.anaphor_kind(h)
                if kind is None and self.is_anaphor_mention(h.i):
                    kind = "two" if h.lower_ in ("companies", "firms") else "one"
                found = self.resolve(h, kind, exclude) if kind else []
            if not found and h.pos_ == "NOUN" and lemma(h) in DESCRIPTION_NOUNS and h.tag_ == "NN":
                # "Charles Liang's company": the company of the person it is said to be
                found = [a for c in h.children if c.dep_ == "poss" for p in self.mention_refs(c) if p.type == "person"
                         for a in [self.affiliation(p)] if a is not None and a.id not in excluded]
            if not found and h.lower_ in REL_PRONOUNS and h.head.dep_ == "relcl":
                found = self.refs(h.head.head, exclude, conj=False)
            if not found and h.lower_ in REL_PRONOUNS and h.dep_ in SUBJECT_DEPS and h.head.dep_ == "relcl":
                found = self.refs(h.head.head, exclude, conj=False)
            for r in found:
                if r.id not in {o.id for o in out}:
                    out.append(r)
        return out

    def antecedents(self, tok) -> list[EntityRef]:
        """'A and B, both of which …', 'A, B and C, each of which …': the names the clause at tok follows (a
        comma, then the list; the parser hangs the clause on the list or on its verb)."""
        if tok.i < 2 or self.doc[tok.i - 1].text != ",":
            return []
        last = self.doc[tok.i - 2]
        if last.i not in self.ment_head:
            return []
        first = self.doc[self.ment_head[last.i]]
        while first.dep_ == "conj" and first.head.i < first.i:
            first = first.head
        return [x for x in self.refs(first) if _companyish(x) or x.type == "person"]

    def site_owner(self, tok, exclude: Iterable[str] = ()) -> list[EntityRef]:
        """'the campus', 'the site': the company the article told investing in that facility (that word first,
        else the latest facility told), for a definite facility noun with no owner written."""
        if tok.pos_ != "NOUN" or lemma(tok) not in SITE_NOUNS or tok.i in self.ment_of or \
                [c.lower_ for c in tok.children if c.dep_ in ("det", "poss")] != ["the"] or self.owner(tok):
            return []
        sites = [(w, ref) for w, ref in reversed(self.disc.site_builders) if ref.id not in set(exclude)]
        found = [ref for w, ref in sites if w == lemma(tok)] or [ref for _, ref in sites]
        return found[:1]

    def owner(self, tok, exclude: Iterable[str] = ()) -> list[EntityRef]:
        """Who the thing named by tok belongs to: X's / its, a company compound (Nvidia processors), whose."""
        possessors = [c for c in tok.children if c.dep_ == "poss"]
        for c in possessors:
            if c.lower_ == "whose" and tok.head is not None:
                anchor = _relcl_anchor(tok)
                return self.refs(anchor, exclude, conj=False) if anchor is not None else []
            # "A's and B's supplier" may come parsed as two possessors of the noun
            return list({x.id: x for p in possessors for x in self.refs(p, exclude)}.values())
        for c in tok.children:
            if c.dep_ in ("compound", "nmod", "npadvmod", "amod") and c.i in self.ment_of and \
                    self.ment_of.get(tok.i) is not self.ment_of[c.i] and not self.is_anaphor_mention(c.i):
                refs = [r for r in self.mention_refs(c) if _companyish(r)]
                if refs:
                    return refs
        return []

    def state_of_city(self, tok, ref: EntityRef) -> list[EntityRef]:
        """The state a city mention writes out ("Abilene, Texas", matched as one name): a place of its own."""
        group = self.ment_of.get(tok.i) or []
        if ref.type == "place" and group:
            # "Fremont, California": a town the gazetteer does not know is tracked by the state written after it.
            end = group[0].end
            return [m.entity for m in self.sent.mentions if m.entity.type == "state"
                    and re.fullmatch(r",\s*", self.text[end:m.start])][:1]
        if ref.type != "city":
            return []
        text = group[0].text if group else ""
        return _state_of(ref) if "," in text else []

    def _collect_subjects(self) -> None:
        for tok in self.doc:
            if tok.dep_ not in SUBJECT_DEPS:
                continue
            tok = self.past_dateline(tok)
            if tok is None:
                continue
            if tok.lower_ in REL_PRONOUNS:
                continue
            group = [r for r in self.refs(tok) if _companyish(r) or r.type == "person"]
            strong = bool(group)
            if not group:
                owners = self.owner(tok)
                group = [r for r in owners if _companyish(r)]
                if not group and lemma(tok) in DESCRIPTION_NOUNS:
                    # "Charles Liang's company": the company of the person it is said to be
                    group = [a for p in owners if p.type == "person" for a in [self.affiliation(p)] if a is not None]
            # a person speaks for their organization: "Liu said the company would …" is Liu's company
            group += [a for p in group if p.type == "person" for a in [self.affiliation(p)] if a is not None]
            if any(p.type == "person" for p in group) and not any(_companyish(x) for x in group):
                # "Brenlo Chairman Ada Ruiz told investors …": the company the title is written with
                group += [x for j in range(tok.left_edge.i, tok.i) if self.ment_head.get(j) == j
                          for x in self.mention_refs(self.doc[j]) if _companyish(x)][:1]
            if group:
                self.subj_at.append((tok.i, group, strong))
                if strong and tok.dep_ == "nsubj" and lemma(tok.head) in SPEECH_VERBS:
                    self.speakers.extend(x.id for x in group if _companyish(x))
        root = next((t for t in self.doc if t.dep_ == "ROOT"), None)
        if root is not None and _misread_verb(root) is not None and self.doc[root.i - 1].dep_ == "compound" and \
                not any(s[0] < root.i for s in self.subj_at):
            # "Halcyon designs co-packaged optics" read as the compound "Halcyon designs": the name is the subject
            name = self.doc[self.ment_head.get(root.i - 1, root.i - 1)]
            group = [x for x in self.refs(name, conj=False) if _companyish(x)]
            if group:
                self.subj_at.append((name.i, group, True))
        first = next((t for t in self.doc if not t.is_space), None)
        if first is not None and first.lower_ == "for" and first.dep_ == "prep":
            # "For Kestrel, the money would close a funding gap": the fronted phrase names whom the sentence is about
            for c in first.children:
                if c.dep_ == "pobj" and c.i + 1 < len(self.doc) and self.doc[c.i + 1].text == ",":
                    group = [x for x in self.refs(c) if _companyish(x)]
                    if group:
                        self.subj_at.append((c.i, group, True))
        self.subj_at.sort(key=lambda s: s[0])

    def affiliation(self, person: EntityRef) -> EntityRef | None:
        """The organization a person was introduced with in this article, else the gazetteer's."""
        if person.id in self.disc.affiliation:
            return self.disc.affiliation[person.id]
        from kb.claims.base import known_affiliation
        return known_affiliation(person)

    def commit(self) -> None:
        """Record this sentence's subjects and names for the sentences after it."""
        disc = self.disc
        disc.n += 1
        if NO_COMMENT_RE.search(self.text):
            return  # "Nvidia declined to comment.": an aside, not what the story is about (kb.entities)
        for _, group, strong in self.subj_at:
            disc.subjects.append((disc.n, group, strong))
        for x in self.speakers:
            disc.spoke[x] = disc.n
        bare = re.sub(r"[\W_]+", "", self.text)
        if not self.subj_at and bare and len({m.entity.id for m in self.sent.mentions}) == 1 and \
                re.sub(r"[\W_]+", "", self.sent.mentions[0].text) == bare and _companyish(self.sent.mentions[0].entity):
            # a heading that is only a name ("**Supermicro.**"): the section after it is about that company
            disc.subjects.append((disc.n, [self.sent.mentions[0].entity], True))
        for j in sorted(self.ment_of):
            if self.ment_head.get(j) == j and not self.is_anaphor_mention(j):
                for m in self.ment_of[j]:
                    disc.named.append((disc.n, m.entity))
        # "Stargate, the venture backed by …": the description now means that entity.
        for tok in self.doc:
            if tok.pos_ == "NOUN" and lemma(tok) in DESCRIPTION_NOUNS and tok.tag_ == "NN" and \
                    not any(c.dep_ == "poss" for c in tok.children):  # "X, Y's rival" says whose rival
                anchor = [r for r in self.mention_refs(tok.head) if _companyish(r)] if tok.dep_ == "appos" else []
                anchor = anchor or self.apposed(tok)
                if len(anchor) == 1:
                    disc.bound[lemma(tok)] = anchor[0]
        del disc.subjects[:-40], disc.named[:-80]

    # -- frames ----------------------------------------------------------------------------------------
    def subject(self, verb, exclude: Iterable[str] = ()) -> tuple[list[EntityRef], object]:
        """The subject entities of a verb and the token they were read from (for the claim's region)."""
        seen = 0
        v = verb
        if _misread_verb(verb) is not None and verb.doc[verb.i - 1].dep_ == "compound":
            # "CoreWeave rents …" read as a compound noun: the name is the subject
            name = verb.doc[verb.i - 1]
            return self.refs(self.doc[self.ment_head.get(name.i, name.i)], exclude, conj=False), name
        while v is not None and seen < 6:
            seen += 1
            # "Y is 65% owned by X": the small parser may hang the subject on the auxiliary
            kids = list(v.children) + [g for c in v.children if c.dep_ in ("aux", "auxpass") and c.i < v.i
                                       for g in c.children if g.i < c.i]
            for c in kids:
                if c.dep_ in SUBJECT_DEPS and self.past_dateline(c) is not None:
                    c = self.past_dateline(c)
                    if c.lower_ in REL_PRONOUNS and v.dep_ == "relcl" or c.dep_ == "csubj":
                        return self.refs(v.head, exclude, conj=False), v.head
                    if c.lower_ == "whose":
                        continue
                    refs = self.refs(c, exclude)
                    if not refs:
                        poss = [p for p in c.children if p.dep_ == "poss" and p.lower_ == "whose"]
                        if poss and v.dep_ == "relcl":
                            return self.refs(v.head, exclude, conj=False), v.head
                    return refs, c
            infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children)
            if v.dep_ == "conj":
                found = self.subject(v.head, exclude)
                rel = _relcl_before(v) if not found[0] else None
                if rel is not None:
                    # "… competes with Y, which makes A at its plant in P, and also supplies B": the parser hung
                    # the second verb on the main clause, whose subject names no one; it is the relative clause's
                    return self.refs(rel.head, exclude, conj=False), rel.head
                return found
            if v.dep_ in ("xcomp", "conj", "acomp") or (v.dep_ == "advcl" and (v.tag_ == "VBG" or infinitive)):
                v = v.head  # "plans to invest", "… and struck", "invests $1 billion to expand …"
                continue
            if v.dep_ in ("acl", "relcl") and (v.dep_ == "acl" or infinitive) and v.head.pos_ == "NOUN" and \
                    lemma(v.head) in PLAN_NOUNS:
                # "X announced plans to build …", "X's plan to invest …", "X signed a deal to supply …"
                noun = v.head
                owners = self.owner(noun, exclude)
                if owners:
                    return owners, noun
                if noun.dep_ in ("dobj", "attr", "nsubj", "nsubjpass") and noun.head.i != noun.i:
                    v = noun.head
                    continue
            if _in_talks_to(v):
                v = v.head.head.head  # "X is in talks to acquire Y": the verb "is" of "in talks"
                continue
            if v.dep_ == "amod" and v.pos_ == "ADJ" and v.head.pos_ == "NOUN" and \
                    v.head.dep_ in ("dobj", "attr", "nsubj", "nsubjpass") and v.head.head.i != v.head.i:
                # "X signed a deal worth $9 billion to lease …": the parser hangs "to lease" on "worth".
                v = v.head.head
                continue
            if v.dep_ == "relcl":
                return self.refs(v.head, exclude, conj=False), v.head
            break
        return [], None

    def agent(self, verb, exclude: Iterable[str] = ()) -> list[EntityRef]:
        for c in verb.children:
            if c.dep_ == "agent":
                for p in c.children:
                    if p.dep_ == "pobj":
                        return self.refs(p, exclude)
        return []

    def amounts(self, tok, units: Iterable[str] | None = None, *, clauses: bool = False) -> list:
        """Amounts inside the phrase headed by tok (not inside its subordinate clauses), in text order."""
        wanted = set(units) if units else None
        out = []
        for t in _walk(tok, clauses=clauses):
            a = self.amount_at.get(t.i)
            if a is not None and (wanted is None or a.unit in wanted) and a not in out:
                out.append(a)
        return sorted(out, key=lambda a: a.start)

    def region(self, *toks) -> str:
        """The words from the first token's phrase to the last token, without the asides in between (a
        relative clause or apposition on the subject: "X, a measure that has not been …, jumped")."""
        toks = [t for t in toks if t is not None]
        if not toks:
            return ""
        toks = toks + [c for t in toks for c in t.children if c.dep_ in ("aux", "auxpass", "neg") and c.i < t.i]
        first = min(toks, key=lambda t: t.i)
        start = first.left_edge.i if first.dep_ in SUBJECT_DEPS else first.i
        end = max(t.i for t in toks)
        aside: set[int] = set()
        for t in toks:
            for c in t.children:
                if c.dep_ in ("relcl", "appos", "acl", "parataxis") and c.i < end:
                    aside.update(x.i for x in c.subtree)
        words = " ".join(t.text for t in self.doc[start:end + 1] if t.i not in aside)
        # The verbs governing the clause carry its modality ("Oracle forecast that revenue would grow").
        gov = []
        verbs = [t for t in toks if t.pos_ in ("VERB", "AUX")] or [max(toks, key=lambda t: t.i)]
        last = max(verbs, key=lambda t: t.i)
        while last.dep_ in ("ccomp", "xcomp", "conj") and last.head.i < start and len(gov) < 3:
            if last.dep_ == "conj":  # "said its site would open …, and that it would invest …": the first clause's
                last = last.head     # governor governs the second (its own words are not this claim's)
                continue
            last = last.head
            gov.insert(0, " ".join(t.text for t in last.children if t.dep_ in ("aux", "neg")) + " " + last.text)
        return " ".join([*gov, words]).strip()

    def places(self, tok) -> list[EntityRef]:
        """Places named in the phrase at tok: itself, coordinated or in apposition, its 'in X' phrases
        (not a modifier: "the Texas-based company" is not a site in Texas)."""
        out: list[EntityRef] = []
        for t in _walk(tok, skip=("amod", "poss", "npadvmod")):
            refs = self.mention_refs(t) if self.ment_head.get(t.i) == t.i else []
            if not refs and self.anaphor_kind(t) == "state":
                refs = self.resolve(t, "state")
            refs = [x for r in refs for x in (r, *self.state_of_city(t, r))]
            if not refs and lemma(t) in SITE_NOUNS:
                refs = [x for c in t.children if c.dep_ == "amod" for x in _demonym_place(c)]
            for r in refs:
                if r.type in PLACE_TYPES and r.id not in {o.id for o in out}:
                    out.append(r)
        return out


# Nouns a place adjective locates: "Mexican capacity", "its Japanese plants", "American production".
SITE_NOUNS = FACILITY_NOUNS | PLANT_NOUNS | OUTPUT_NOUNS | _words("operation operations")


@functools.lru_cache(maxsize=1)
def _demonyms() -> dict[str, EntityRef]:
    from kb.entities.datafiles import read_data_rows
    from kb.entities.gazetteer import Gazetteer
    gaz = Gazetteer.load()
    out: dict[str, EntityRef] = {}
    for row in read_data_rows("demonyms.csv"):
        entry = gaz.get(row["id"])
        if entry is None:
            continue
        for word in row["demonyms"].split("|"):
            out[word.strip()] = EntityRef(entry.id, entry.name, entry.type)
    return out


def _demonym_place(tok) -> list[EntityRef]:
    """The country a capitalized place adjective means ("Mexican" → Mexico); nothing for other words."""
    ref = _demonyms().get(tok.text) if tok.pos_ in ("ADJ", "PROPN") else None
    return [ref] if ref is not None else []


def _state_of(ref: EntityRef) -> list[EntityRef]:
    """The state a gazetteer city lies in (cities.csv admin1), if it is one."""
    if ref.type != "city":
        return []
    from kb.entities.gazetteer import Gazetteer
    gaz = Gazetteer.load()
    entry = gaz.get(ref.id)
    state = gaz.get(entry.attrs.get("admin1", "")) if entry is not None else None
    return [EntityRef(state.id, state.name, state.type)] if state is not None and state.type == "state" else []


def _conjuncts(tok) -> Iterator:
    for c in tok.children:
        if c.dep_ == "conj":
            yield c
            yield from _conjuncts(c)
        elif c.dep_ == "appos" and c.pos_ == "PROPN":
            yield c
            yield from _conjuncts(c)  # "existing backers A and B": the whole list in apposition
        elif c.dep_ in ("nmod", "compound") and c.pos_ == "PROPN" and c.i < tok.i and \
                any(x.dep_ == "cc" and x.i > c.i for x in c.children):
            yield c  # "from Orvane Capital and Tessaro Holdings" parsed as one name: the first one's head


def _walk(tok, *, clauses: bool = False, skip: Iterable[str] = ()) -> Iterator:
    yield tok
    for c in tok.children:
        if (not clauses and c.dep_ in CLAUSE_DEPS) or c.dep_ in skip:
            continue
        yield from _walk(c, clauses=clauses, skip=skip)


def _relcl_before(verb):
    """The relative clause ('which/who …') that ends right before a coordinated verb (', and also supplies')
    and starts after the verb it is coordinated with, if any."""
    doc = verb.doc
    j = verb.i - 1
    while j > verb.head.i and (doc[j].pos_ in ("ADV", "CCONJ", "PUNCT")):
        j -= 1
    if j <= verb.head.i:
        return None
    for a in [doc[j], *doc[j].ancestors]:
        if a.i <= verb.head.i:
            return None
        if a.dep_ == "relcl" and a.head.i > verb.head.i and \
                any(c.dep_ in SUBJECT_DEPS and c.lower_ in ("which", "who") for c in a.children):
            return a
    return None


def _relcl_anchor(tok):
    t = tok
    while t.dep_ != "relcl" and t.head.i != t.i:
        t = t.head
    return t.head if t.dep_ == "relcl" else None


def _in_talks_to(v) -> bool:
    """v is the infinitive of "(is) in talks to V" / "in negotiations to V"."""
    noun = v.head
    return v.dep_ == "acl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children) and \
        lemma(noun) in TALK_NOUNS and noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.i != noun.head.i


def _preps(tok, words: Iterable[str]) -> list:
    """Objects of tok's prepositions among `words` (to A, …, and to B: both)."""
    wanted = set(words)
    out = []
    for c in tok.children:
        if c.dep_ in ("prep", "dative", "agent") and c.lower_ in wanted:
            out.extend(p for p in c.children if p.dep_ in ("pobj", "pcomp"))
        if c.dep_ in ("prep", "dative", "agent"):
            # "in A, through a contract maker, and in B": a wanted preposition coordinated with another one
            for cc in _conjuncts(c):
                if cc.lower_ in wanted:
                    out.extend(p for p in cc.children if p.dep_ == "pobj")
        elif c.dep_ == "conj" and c.pos_ == "ADP" and c.lower_ in wanted:
            # "makes racks in A, and at its plant in B": the small parser hangs the second phrase on the verb
            out.extend(p for p in c.children if p.dep_ == "pobj")
    return out


def _vpreps(verb, words: Iterable[str]) -> list:
    """Objects of prepositions on a verb or on its object (the small parser attaches them either way)."""
    return _preps(verb, words) + [p for o in _objects(verb) for p in _preps(o, words)]


def _objects(verb) -> list:
    return [c for c in verb.children if c.dep_ in ("dobj", "attr", "oprd", "dative")]


def _negated_by_governor(tok) -> bool:
    """'shareholders voted against X's acquisition of Y', 'rejected the deal': the thing did not happen."""
    for a in tok.ancestors:
        if a.pos_ in ("VERB", "AUX"):
            lem = lemma(a)
            if lem == "vote":
                return any(c.lower_ == "against" for c in a.children)
            return lem in NEGATING_VERBS
    return False


# --- the finders --------------------------------------------------------------------------------------
def parse_claims(sent: Sentence, span: tuple[int, int]) -> list[tuple[Claim, str]]:
    """Claims of one English sentence from its dependency parse; [] when the doc has no parse."""
    doc = sent.doc
    if doc is None or not doc.has_annotation("DEP"):
        return []
    reader = _Reader(sent, discourse_of(sent))
    out: list[tuple[Claim, str]] = []
    try:
        for finder in (_investments, _contracts, _ownership, _roles, _statistics, _partnerships, _manufacturing,
                       _bids, _include_list, _incentives):
            found = finder(reader, span)
            out.extend(found)
            for claim, _ in found:  # "CFO Maria Lind said backlog stood at …": her company, for the finders after
                if claim.type == "role" and claim.subject is not None and claim.object is not None:
                    reader.disc.affiliation.setdefault(claim.subject.id, claim.object)
    finally:
        reader.commit()
        _remember_sites(reader)
    _settle_directions(reader.disc, out)
    _remember_site_builders(reader)
    for claim, _ in out:
        if claim.type == "role" and claim.subject is not None and claim.object is not None:
            reader.disc.affiliation.setdefault(claim.subject.id, claim.object)
        if claim.type == "ownership" and claim.object is not None and not claim.details.get("divested"):
            reader.disc.stake_in = (reader.disc.n, claim.object)
        if claim.type == "contract" and claim.subject is not None and claim.object is not None:
            reader.disc.contract = (reader.disc.n, claim.subject, claim.object)
    return _prefer_percent(_merge_contracts(_valid(out)))


def _remember_site_builders(r: _Reader) -> None:
    """'X would invest $6 billion in the first phase of the campus', 'a campus X plans to build': the facility
    a company invests in or builds is that company's when the article says "the campus" later."""
    for tok in r.doc:
        if tok.pos_ != "VERB" or lemma(tok) not in INVEST_VERBS | BUILD_VERBS | SPEND_VERBS | OPEN_VERBS:
            continue
        builders = [x for x in r.subject(tok)[0] if _companyish(x)]
        if len(builders) != 1:
            continue
        for t in _walk(tok):
            if t.pos_ == "NOUN" and lemma(t) in SITE_NOUNS and not r.owner(t, [builders[0].id]):
                r.disc.site_builders.append((lemma(t), builders[0]))
    del r.disc.site_builders[:-20]


def _settle_directions(disc: Discourse, found: list[tuple[Claim, str]]) -> None:
    """'X signed a deal with Y' does not say who buys; the article does: a company it has told supplying
    (this sentence or before: "X agreed to provide Z with capacity, … after its deal with Y") supplies in
    that deal too, and one told buying buys. The roles the words settle are kept for the sentences after."""
    here: dict[str, set] = {}
    for c, _ in found:
        if c.type == "contract" and c.subject is not None and c.object is not None and not c.details.get("_guess"):
            for roles in (disc.roles, here):
                roles.setdefault(c.subject.id, set()).add("customer")
                roles.setdefault(c.object.id, set()).add("supplier")
    for c, _ in found:
        if c.type != "contract" or not c.details.pop("_guess", False) or c.object is None:
            continue
        # the roles this sentence tells first ("X has a deal with Y, and counts Z among its other customers": X
        # supplies here, whatever it bought in a sentence before), else those the article told before
        roles = here if c.subject.id in here or c.object.id in here else disc.roles
        signer, other = roles.get(c.subject.id, set()), roles.get(c.object.id, set())
        if signer == {"supplier"} and "supplier" not in other or other == {"customer"} and "customer" not in signer:
            c.subject, c.object = c.object, c.subject


def _prefer_percent(found: list[tuple[Claim, str]]) -> list[tuple[Claim, str]]:
    """'a warrant for 160 million shares, which could give it about 10% of X': one stake, the percentage."""
    pct = {(c.subject.id, c.object.id) for c, _ in found if c.type == "ownership" and c.amount is not None
           and c.amount.unit == "percent"}
    return [(c, reg) for c, reg in found if not (c.type == "ownership" and c.amount is not None and
                                               c.amount.unit == "count" and (c.subject.id, c.object.id) in pct)]


def _merge_contracts(found: list[tuple[Claim, str]]) -> list[tuple[Claim, str]]:
    """One contract per pair of parties in a sentence: a verb's direction ("under which Meta will buy … from
    CoreWeave") wins over a noun's guess ("CoreWeave signed an order with Meta"); the figure is kept."""
    verbs = {}
    for c, _ in found:
        if c.type == "contract" and c.details.get("_frame") == "verb" and c.object is not None:
            verbs.setdefault(frozenset((c.subject.id, c.object.id)), c)
    out = []
    for c, region in found:
        frame = c.details.pop("_frame", None)
        if c.type == "contract" and frame != "verb" and c.object is not None:
            twin = verbs.get(frozenset((c.subject.id, c.object.id)))
            if twin is not None:
                if twin.amount is None:
                    twin.amount = c.amount
                continue
        out.append((c, region))
    return out


def _valid(found: list[tuple[Claim, str]]) -> list[tuple[Claim, str]]:
    out = []
    for claim, region in found:
        if claim.type == "_veto":
            out.append((claim, region))
            continue
        s, o = claim.subject, claim.object
        if s is None and claim.type != "statistic" or any(x is not None and _is_media(x.id) for x in (s, o)):
            continue
        if s is not None and s.type not in SUBJECT_TYPES[claim.type]:
            continue
        if o is not None and (o.type not in OBJECT_TYPES[claim.type] or (s is not None and o.id == s.id)):
            continue
        out.append((claim, region))
    return out


def _claim(type_: str, s: EntityRef | None, o: EntityRef | None, span, amount=None, **details) -> Claim:
    return make_claim(type_, s, o, span, amount=amount, details=details)


@dataclass(frozen=True)
class _Withheld:
    """A figure several parties share as a total: no claim gets it, and the word-order reading may not either."""

    amount: object


def _pair_amounts(subjects: list[EntityRef], amounts: list, text: str = "") -> list[tuple[EntityRef, object]]:
    """"A and B … $1 billion and $2 billion (respectively)": one figure each, in order; else each the first
    figure, unless it is their total ("together", "combined"): then nobody's alone."""
    if len(subjects) > 1 and len(amounts) == len(subjects):
        return list(zip(subjects, amounts))
    if len(subjects) > 1 and amounts and \
            re.search(r"(?i)\b(?:together|combined|collectively|between them|in total|in all)\b", text):
        return [(s, _Withheld(amounts[0])) for s in subjects]
    return [(s, amounts[0] if amounts else None) for s in subjects]


def _investments(r: _Reader, span) -> list[tuple[Claim, str]]:
    out = []
    for tok in r.doc:
        lem = lemma(tok)
        if tok.pos_ == "VERB" and lem in PUT_VERBS and _puts_money_in(r, tok):
            lem = "invest"
        if tok.pos_ == "VERB" and lem in COMMIT_VERBS:
            out.extend(_money_committed(r, tok, span))
            continue
        if tok.pos_ in ("VERB", "AUX") and lem in INVEST_VERBS | SPEND_VERBS:
            if any(c.dep_ == "xcomp" and lemma(c) in BUY_VERBS for c in tok.children):
                continue  # "committed to buy" is a purchase
            investors, s_tok = r.subject(tok)
            if not investors:
                continue
            money = [a for a in r.amounts(tok) if a.unit == "money"]
            targets_np = _vpreps(tok, ("in", "into"))
            on = _vpreps(tok, ("on",))
            if lem in SPEND_VERBS and on:
                suppliers = [x for p in on for x in r.owner(p, [i.id for i in investors])
                             if lemma(p) in PRODUCT_NOUNS]
                if suppliers:
                    continue  # spending on a supplier's processors is a purchase (_contracts)
                if any(lemma(p) in NON_INVESTMENT_NOUNS for p in on):
                    out.extend(_veto(a) for a in money)  # "spent $5 billion on share buybacks"
                    continue
                targets_np += on
            if lem in SPEND_VERBS and not on and not targets_np:
                continue
            targets: list[EntityRef] = []
            exclude = [i.id for i in investors]
            for p in targets_np:
                found = [x for x in r.refs(p, exclude) if x.type in OBJECT_TYPES["investment"]]
                found = found or [x for x in r.owner(p, exclude)] or r.places(p)
                targets += [x for x in found if x.id not in {t.id for t in targets}]
            if not targets:
                for c in tok.children:  # "invest $2 billion to expand its data center in Texas"
                    if c.dep_ in ("xcomp", "advcl") and lemma(c) in BUILD_VERBS | OPEN_VERBS:
                        built = _building(r, c, span)
                        targets += [cl.object for cl, _ in built if cl.object is not None and cl.type == "investment"]
                        out.extend((cl, reg) for cl, reg in built if cl.type == "manufacturing")
                        targets += _invested_plant_places(r, c)
                targets = list(dict.fromkeys(targets))
            out.extend(_plant_spending(r, tok, targets_np, investors, s_tok, span))
            if not targets:
                targets = list(dict.fromkeys(x for p in targets_np for x in _site_told_before(r, p)))
            if not targets and money and lem in INVEST_VERBS and not on and \
                    not any(c.dep_ in ("xcomp", "advcl") and c.tag_ == "VB" and c.lower_ not in ("fund", "finance")
                            for c in tok.children):  # "… to fund B's pipeline" still invests in B
                targets = _investee_in_focus(r, tok, investors)
                if not targets and not targets_np and r.disc.raised is not None and \
                        r.disc.n - r.disc.raised[0] < LOOKBACK and r.disc.raised[1].id not in exclude:
                    # "Y raised $1.8 billion in a round led by A. … A put in about $700 million": in Y's round
                    targets = [r.disc.raised[1]]
            for inv, amount in _pair_amounts(investors, money, r.text):
                withheld = amount.amount if isinstance(amount, _Withheld) else None
                amount = None if withheld is not None else amount
                for tgt in targets or [None]:
                    claim = _claim("investment", inv, tgt, span, amount,
                                   period=amount.period if amount is not None else None)
                    if withheld is not None:
                        claim.details["_withheld"] = [(withheld.start, withheld.end)]
                    out.append((claim, r.region(s_tok, tok)))
        elif tok.pos_ == "VERB" and lem in BUILD_VERBS | OPEN_VERBS:
            out.extend(_building(r, tok, span))
        elif tok.pos_ == "VERB" and (lem in RAISE_VERBS or lem in CLOSE_VERBS and
                                     any(lemma(o) in ROUND_NOUNS for o in _objects(tok))):
            out.extend(_raised(r, tok, span))  # "X raised $Z …", "X closed a $Z funding round led by A"
        elif tok.pos_ == "VERB" and lem in JOIN_VERBS:
            out.extend(_joined_round(r, tok, span))
        elif tok.pos_ == "VERB" and lem in DRAW_VERBS:
            out.extend(_round_drew(r, tok, span))
        elif tok.pos_ == "VERB" and lem in BACK_VERBS and tok.tag_ == "VBN":
            # "the venture backed by A, B and C", "Stargate is backed by A", "the A-backed X": investment A → X
            backers = r.agent(tok) + [x for c in tok.children if c.dep_ in ("npadvmod", "compound", "nmod")
                                      and c.i < tok.i for x in r.mention_refs(c)]
            target = r.refs(_backed_thing(r, tok)) if _backed_thing(r, tok) is not None else []
            for b in backers:
                for t in target:
                    out.append((_claim("investment", b, t, span), r.region(tok)))
        elif tok.pos_ in ("NOUN", "PROPN") and lem in FACILITY_NOUNS - {"capacity"}:
            out.extend(_owned_facility(r, tok, span))
        elif tok.pos_ in ("NOUN", "PROPN") and lem in STAKE_NOUNS | {"investment"}:
            out.extend(_valued_stake(r, tok, span))
    return out


def _money_committed(r: _Reader, verb, span) -> list[tuple[Claim, str]]:
    """'The conglomerate has committed tens of billions of dollars to Y and to Z', 'X pledged $2 billion to Y':
    money committed to a company is an investment in it (a figure, or a money phrase without one; "committed
    to a contract", "committed engineers to Y" invest nothing)."""
    objs = _objects(verb)
    money = [a for o in objs for a in r.amounts(o, ("money",))]
    if not money and not any(t.lower_ in ("dollars", "money", "capital", "funding") for o in objs for t in o.subtree):
        return []
    investors, s_tok = r.subject(verb)
    investors = [x for x in investors if x.type in SUBJECT_TYPES["investment"]]
    exclude = [x.id for x in investors]
    targets = [x for p in _preps(verb, ("to",)) for x in r.refs(p, exclude) if _companyish(x)]
    return [(_claim("investment", i, t, span, money[0] if money else None), r.region(s_tok, verb))
            for i in investors for t in dict.fromkeys(targets)]


def _puts_money_in(r: _Reader, verb) -> bool:
    """'A has put a total of $14 billion into Y', 'A put in about $700 million', 'A agreed to put up to $100
    billion into Y': money as the object and an 'in'/'into' (a particle or a phrase) — 'put pressure on Y',
    'put the plant into service' or 'put $2 billion aside' invest nothing."""
    if not any(a.unit == "money" for o in _objects(verb) for a in r.amounts(o)):
        return False
    return any(c.dep_ == "prt" and c.lower_ == "in" for c in verb.children) or \
        any(c.dep_ == "prep" and c.lower_ in ("in", "into") for c in verb.children)


SITE_MEMORY_NOUNS = (FACILITY_NOUNS - {"capacity"}) | PLANT_NOUNS


def _remember_sites(r: _Reader) -> None:
    """'… a new campus X plans to build in Ellis County, Texas': where this sentence puts a campus, site or plant
    (its own 'in' phrase, or that of a building verb in the same sentence), for 'the campus' in the sentences after."""
    built = [p for t in r.doc if t.pos_ == "VERB" and lemma(t) in BUILD_VERBS | OPEN_VERBS
             for p in _preps(t, ("in", "at", "near"))]
    for tok in r.doc:
        if tok.pos_ != "NOUN" or lemma(tok) not in SITE_MEMORY_NOUNS:
            continue
        places = [x for p in _preps(tok, ("in", "at", "near")) for x in r.places(p)]
        places = places or [x for p in built for x in r.places(p)]
        if places:
            r.disc.sites[lemma(tok)] = (r.disc.n, list(dict.fromkeys(places)))


def _site_told_before(r: _Reader, tok) -> list[EntityRef]:
    """'invest $6 billion in the first phase of the campus': the places a sentence before gave 'the campus'."""
    for t in [tok, *_preps(tok, ("of",))]:
        if lemma(t) not in SITE_MEMORY_NOUNS or not any(c.dep_ == "det" and c.lower_ in ("the", "this")
                                                         for c in t.children):
            continue
        seen = r.disc.sites.get(lemma(t))
        if seen is not None and r.disc.n - seen[0] < LOOKBACK:
            return seen[1]
    return []


def _investee_in_focus(r: _Reader, verb, investors: list[EntityRef]) -> list[EntityRef]:
    """'Anthropic agreed to use X's chips. A and B said they would invest $1 billion and $2 billion
    respectively, while Anthropic committed to buy …': an investing verb without a target invests in the
    company the sentence before is about when this sentence names it too (not as another investor or
    spender: "A will invest $80 billion, while B plans to spend $75 billion" is two budgets)."""
    exclude = {i.id for i in investors}
    topic = r.topic_before()
    if topic is not None and topic.id in exclude:
        # "A is in talks to buy 30% of B … The fund would invest about $3 billion, partly to fund B's pipeline":
        # the investor of the sentence before buying a stake invests in the company of that stake, named here too
        topic = next(iter(r.stake_in_focus(exclude)), None)
    if topic is None or topic.id in exclude or not _companyish(topic):
        return []
    here = [j for j in r.ment_of if r.ment_head.get(j) == j and any(m.entity.id == topic.id for m in r.ment_of[j])]
    if not here:
        return []
    for j in here:
        tok = r.doc[j]
        if tok.dep_ in SUBJECT_DEPS and any(lemma(v) in INVEST_VERBS | SPEND_VERBS for v in _verb_chain(tok.head)):
            return []
    return [topic]


def _verb_chain(verb) -> Iterator:
    """A verb and the verbs it governs as its complement ("plans to spend", "agreed to invest")."""
    yield verb
    for c in verb.children:
        if c.dep_ in ("xcomp", "ccomp") and c.pos_ in ("VERB", "AUX"):
            yield from _verb_chain(c)


def _raised(r: _Reader, verb, span) -> list[tuple[Claim, str]]:
    """'X raised $Z from A and B', 'X received $Z from A', 'X raised $Z in a round led by A': investment A → X."""
    targets, s_tok = r.subject(verb)
    if any(lemma(o) in CONTRACT_NOUNS for o in _objects(verb)):
        return []  # "X received a $2 billion order from Y": Y buys from X (_contracts), it funds nothing
    money = [a for o in _objects(verb) for a in r.amounts(o, ("money",))]
    if not targets or not money:
        return []
    exclude = [t.id for t in targets]
    investors = [x for p in _vpreps(verb, ("from",)) for x in r.refs(p, exclude)]
    joined: list[EntityRef] = []
    for t in _walk(verb, clauses=True):
        if t.tag_ == "VBN" and lemma(t) in LEAD_VERBS and t.dep_ in ("acl", "relcl", "amod"):
            investors += r.agent(t, exclude)
        if t.dep_ == "prep" and t.lower_ == "including":
            investors += [x for p in t.children if p.dep_ == "pobj" for x in r.refs(p, exclude)]
        if t.dep_ == "prep" and t.lower_ == "from" and lemma(t.head) in PARTICIPATION_NOUNS:
            # "in a round led by A, with participation from B and C": B and C invest too (a part of the sum)
            joined += [x for p in t.children if p.dep_ == "pobj" for x in r.refs(p, exclude)]
    investors = [x for x in dict.fromkeys(investors) if x.type in SUBJECT_TYPES["investment"]]
    if _companyish(targets[0]):
        r.disc.raised = (r.disc.n, targets[0])  # "… also took part in the round": this round
    joined = [x for x in dict.fromkeys(joined) if x.type in SUBJECT_TYPES["investment"] and x not in investors]
    return [(_claim("investment", i, t, span, money[0]), r.region(s_tok, verb)) for i in investors for t in targets] + \
        [(_claim("investment", i, t, span), r.region(s_tok, verb)) for i in joined for t in targets]


ROUND_NOUNS = _words("round financing funding raise")


def _joined_round(r: _Reader, verb, span) -> list[tuple[Claim, str]]:
    """'Existing investor X also took part in the round', 'X and Y participated in the financing': investment
    X → the company whose round the sentences before told (its, Y's round: that company)."""
    rounds = [p for p in _vpreps(verb, ("in",)) if lemma(p) in ROUND_NOUNS]
    if lemma(verb) == "take" and not any(c.dep_ == "dobj" and c.lower_ == "part" for c in verb.children):
        return []
    recent = r.disc.raised is not None and r.disc.n - r.disc.raised[0] < LOOKBACK
    if not rounds and (_vpreps(verb, ("in",)) or not recent or lemma(verb) != "take" and _objects(verb)):
        return []  # "Existing backers A and B also took part": in the round just told (not "in the talks")
    investors, s_tok = r.subject(verb)
    investors = [x for x in investors if x.type in SUBJECT_TYPES["investment"]]
    targets = [x for p in rounds for x in r.owner(p, [i.id for i in investors])]
    if not targets and (not rounds or any(c.lower_ == "the" for p in rounds for c in p.children)) and recent:
        targets = [r.disc.raised[1]]
    if investors and targets and _companyish(targets[0]):
        r.disc.raised = (r.disc.n, targets[0])  # the round is still the one told
    return [(_claim("investment", i, t, span), r.region(s_tok, verb)) for i in investors for t in targets
            if i.id != t.id]


DRAW_VERBS = _words("draw attract include")


def _round_drew(r: _Reader, verb, span) -> list[tuple[Claim, str]]:
    """'The round also drew A, B and C', 'the financing attracted A': each is an investor in the company whose
    round it is (its owner, else the round the sentences before told)."""
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and lemma(c) in ROUND_NOUNS]
    if not subjects and not any(c.dep_ in SUBJECT_DEPS for c in verb.children):
        subjects = _round_before_aside(r, verb)
    if not subjects:
        return []
    targets = r.owner(subjects[0]) or ([r.disc.raised[1]] if r.disc.raised is not None
                                       and r.disc.n - r.disc.raised[0] < LOOKBACK else [])
    if not targets:
        return []
    exclude = [t.id for t in targets]
    investors = [x for o in _objects(verb) for x in r.refs(o, exclude) if x.type in SUBJECT_TYPES["investment"]]
    if investors and _companyish(targets[0]):
        r.disc.raised = (r.disc.n, targets[0])  # the round is still the one told
    return [(_claim("investment", i, targets[0], span), r.region(subjects[0], verb)) for i in dict.fromkeys(investors)]


def _round_before_aside(r: _Reader, verb) -> list:
    """'The round, which more than doubles the valuation Y fetched in January, also drew A': the small parser
    loses the subject across a long relative clause; a sentence that opens with 'The round, which …,' and
    whose verb follows the aside's closing comma has the round as that verb's subject."""
    doc = r.doc
    if len(doc) < 4 or doc[0].lower_ != "the" or lemma(doc[1]) not in ROUND_NOUNS or doc[2].text != "," or \
            doc[3].lower_ not in ("which", "that"):
        return []
    j = verb.i - 1
    while j > 3 and doc[j].pos_ == "ADV":
        j -= 1
    return [doc[1]] if j > 3 and doc[j].text == "," else []


def _veto(amount) -> tuple[Claim, str]:
    """A figure the parse read as no claim at all: the word-order patterns may not claim it either (combine)."""
    claim = Claim("_veto", None, None, 0, 0, -1, amount=amount)
    return claim, ""


def _backed_thing(r: _Reader, verb):
    """What a 'backed by' participle describes: the noun it modifies (or that noun's anchor), or the subject."""
    if verb.dep_ in ("acl", "amod", "relcl"):
        noun = verb.head
        if noun.dep_ == "appos" and not r.mention_refs(noun):
            return noun.head
        return noun
    for c in verb.children:
        if c.dep_ == "nsubjpass":
            return c
    return None


def _building(r: _Reader, verb, span) -> list[tuple[Claim, str]]:
    """'X built its supercomputer in Memphis', 'X has been building capacity at a campus in Abilene':
    investment X → place. Plants and factories are manufacturing (kb.claims.en), not here."""
    objs = [o for o in _objects(verb) if lemma(o) in FACILITY_NOUNS or
            any(x.type == "project" for x in r.mention_refs(o)) or
            any(lemma(c) in FACILITY_NOUNS for c in o.children if c.dep_ == "compound")]
    if not _objects(verb) and verb.dep_ == "relcl" and verb.tag_ != "VBN" and \
            lemma(verb.head) in FACILITY_NOUNS | PLANT_NOUNS and \
            not any(c.dep_ in SUBJECT_DEPS and c.lower_ in REL_PRONOUNS for c in verb.children):
        objs = [verb.head]  # "for a cluster it's building in Texas": the facility the clause is about is what is built
    kind = "investment"
    if not objs:
        # "The steelmaker is investing $3 billion to build a new mill in Gary": a plant built is a manufacturing site
        objs = [o for o in _objects(verb) if lemma(o) in PLANT_NOUNS]
        kind = "manufacturing"
    if not objs:
        return []
    builders, s_tok = r.subject(verb)
    if verb.tag_ == "VBN" and verb.dep_ in ("acl", "relcl", "amod"):
        builders, s_tok = r.agent(verb), verb
    if not builders:
        return []
    places: list[EntityRef] = []
    for p in _preps(verb, ("in", "at", "across", "near")):
        places += r.places(p)
    for o in objs:
        for p in _preps(o, ("in", "at", "across", "near")):
            places += r.places(p)
    money = [a for o in objs for a in r.amounts(o, ("money",))]  # "a $10 billion data center"
    if kind == "manufacturing":
        money = []
        if any(p.type == "state" for p in places):  # a town the gazetteer does not know: the state written after it
            places = [p for p in places if p.type != "place"]
    out = []
    for b in builders:
        for pl in dict.fromkeys(places):
            out.append((_claim(kind, b, pl, span, money[0] if money else None), r.region(s_tok, verb)))
    if kind == "investment" and any(_production_site(o) for o in objs):
        # "to expand its manufacturing campus in Marysville, Ohio": a campus for making things is also a plant
        made = [p for p in places if p.type != "place"] if any(p.type == "state" for p in places) else places
        out += [(_claim("manufacturing", b, pl, span), r.region(s_tok, verb))
                for b in builders if b.type in SUBJECT_TYPES["manufacturing"] for pl in dict.fromkeys(made)]
    return out


def _plant_spending(r: _Reader, verb, targets_np: list, investors: list[EntityRef], s_tok, span) -> list[tuple[Claim, str]]:
    """'X plans to spend $900 million on a battery plant near Reno, Nevada', 'X will invest $300 million in
    manufacturing capacity in Ohio': the money builds a site where things are made, so X also manufactures
    there (the modality of the investing verb carries over). A data center or office is not a plant."""
    sites = [p for p in targets_np if _production_site(p)]
    if not sites:
        return []
    places: list[EntityRef] = []
    for p in sites:
        places += _places_not_apposed(r, p)
    if not places:
        for p in _preps(verb, ("in", "at", "near")):
            if p not in sites:
                places += _places_not_apposed(r, p)
    if any(p.type == "state" for p in places):
        places = [p for p in places if p.type != "place"]
    makers = [m for m in investors if m.type in SUBJECT_TYPES["manufacturing"]]
    return [(_claim("manufacturing", m, pl, span), r.region(s_tok, verb))
            for m in makers for pl in dict.fromkeys(places)]


def _invested_plant_places(r: _Reader, verb) -> list[EntityRef]:
    """'X will invest $420 million to build a new plant in Lakemoor, Oregon': the money goes to the place of
    the plant (building a plant alone is manufacturing, _building; here the investing verb says money is spent)."""
    objs = [o for o in _objects(verb) if lemma(o) in PLANT_NOUNS]
    places: list[EntityRef] = []
    for t in [verb, *objs]:
        for p in _preps(t, ("in", "at", "near")):
            places += r.places(p)
    return places


def _made_thing(tok) -> bool:
    """tok (an object) names something manufactured: the noun itself or 'most of its products' ('GPU capacity',
    a compound on another noun, is not)."""
    heads = [tok] + [p for p in _preps(tok, ("of",))]
    return any(lemma(h) in MADE_NOUNS for h in heads)


def _manufacturing(r: _Reader, span) -> list[tuple[Claim, str]]:
    """'It produces the pumps at a factory in Eagan', 'X, which makes chips at its plant in Villach', 'is building a
    second plant in Monterrey', 'to expand chip production at its fab in Essex Junction', 'adds a production line
    at its facility in Monterrey': manufacturing X → place. The subject climbs through relative clauses, coordinated
    verbs and pronouns (r.subject); a plant built is manufacturing, a data center built an investment (_building)."""
    out = []
    for tok in r.doc:
        if tok.pos_ == "NOUN" and lemma(tok) in PLANT_NOUNS - FACILITY_NOUNS:
            out.extend(_possessed_plant(r, tok, span))
        if tok.pos_ != "VERB":
            continue
        lem, objs = lemma(tok), _objects(tok)
        if lem in START_VERBS and any(lemma(o) in OUTPUT_NOUNS - {"line"} for o in objs):
            # "has begun output at a Houston, Texas facility", "will start production at its plant in P"
            makers, s_tok = r.subject(tok)
            places = [x for t in [tok, *objs] for p in _preps(t, ("in", "at", "near")) for x in _places_not_apposed(r, p)]
            out.extend((_claim("manufacturing", m, pl, span), r.region(s_tok, tok)) for m in makers
                       if m.type in SUBJECT_TYPES["manufacturing"] for pl in dict.fromkeys(places))
            continue
        if tok.lower_ in ("do", "does", "did", "doing", "done"):
            # "does much of its building in San Jose, California, and in Taiwan", "does its assembly in Penang"
            kept = [o for o in objs if o.lower_ in WORK_NOUNS or any(p.lower_ in WORK_NOUNS and
                                                                      any(c.dep_ == "poss" for c in p.children)
                                                                      for p in _preps(o, ("of",)))]
            kept = [o for o in kept if o.lower_ not in WORK_NOUNS or any(c.dep_ == "poss" for c in o.children)]
        elif lem in OPERATE_VERBS - {"manage"} and lem not in MANUFACTURE_VERBS | BUILD_VERBS | OPEN_VERBS | GROW_VERBS:
            # "X already runs a server assembly site in Fremont", "X operates two plants in Vietnam"
            kept = [o for o in objs if _production_site(o)]
            if not kept:
                continue
        elif lem not in MANUFACTURE_VERBS | BUILD_VERBS | OPEN_VERBS | GROW_VERBS:
            continue
        else:
            kept = []
        kept += [o for o in objs if _made_thing(o)] if lem in MANUFACTURE_VERBS | {"build"} else []
        if lem in MANUFACTURE_VERBS and not kept:
            # "will continue to make manifolds at its plant in Monterrey": whatever is made at a plant
            kept += [p for t in [tok, *(c for c in tok.children if c.dep_ in ("dobj", "ccomp"))]
                     for p in _preps(t, ("at", "in")) if _production_site(p)]
        if lem in BUILD_VERBS | OPEN_VERBS | GROW_VERBS:
            if not objs and not tok.tag_ == "VBN":
                # "a packaging and test line in Arizona that it plans to open in 2028": the noun the relative
                # clause (or the verb it governs) is about is what is opened
                rel = tok if tok.dep_ == "relcl" else tok.head if tok.dep_ == "xcomp" and tok.head.dep_ == "relcl" else None
                if rel is not None and not any(c.dep_ in SUBJECT_DEPS and c.lower_ in REL_PRONOUNS for c in rel.children):
                    objs = [rel.head]
            kept += [o for o in objs if lemma(o) in PLANT_NOUNS - {"facility"} or lemma(o) in OUTPUT_NOUNS
                     and (lemma(o) != "line" or any(lemma(c) in LINE_WORDS or c.lower_ in LINE_WORDS
                                                    for t in o.children for c in [t, *_conjuncts(t)]))]
        if not kept:
            continue
        makers, s_tok = r.subject(tok)
        if tok.tag_ == "VBN" and tok.dep_ in ("acl", "relcl", "amod"):
            makers, s_tok = r.agent(tok), tok
        makers = [m for m in makers if m.type in SUBJECT_TYPES["manufacturing"]]
        places: list[EntityRef] = []
        for t in [tok, *kept, *(p for o in kept for p in _preps(o, ("of",)))]:
            for p in _preps(t, ("in", "at", "near")):
                places += _places_not_apposed(r, p)
        for m in makers:
            for pl in dict.fromkeys(places):
                out.append((_claim("manufacturing", m, pl, span), r.region(s_tok, tok)))
    return out


# "its gas plant", "a water treatment plant": plants that make no goods
NON_GOODS_PLANT_WORDS = _words("""power gas coal nuclear solar wind hydro hydroelectric geothermal combined-cycle peaker
treatment water wastewater desalination sewage cogeneration""")


def _possessed_plant(r: _Reader, noun, span) -> list[tuple[Claim, str]]:
    """'Its Ohio fab has slipped again', 'X's $4 billion packaging plant in West Lafayette, Indiana, is due to open':
    a company's own plant in a place is where it makes things (manufacturing X → place); a price written on the
    plant is an investment in that place too."""
    if not any(c.dep_ == "poss" for c in noun.children):
        return []
    if any(lemma(t) in NON_GOODS_PLANT_WORDS or t.lower_ in NON_GOODS_PLANT_WORDS
           for t in noun.subtree if t.i < noun.i and t.dep_ in ("compound", "amod", "nmod")):
        return []
    gov = noun.head if noun.dep_ in ("dobj", "attr") else noun.head.head if noun.dep_ == "pobj" else None
    if gov is not None and gov.pos_ in ("VERB", "AUX") and lemma(gov) in MANUFACTURE_VERBS | BUILD_VERBS | OPEN_VERBS | \
            GROW_VERBS | OPERATE_VERBS | START_VERBS | CLOSING_VERBS | NEGATING_VERBS:
        return []  # "makes chips at its plant in P", "is expanding its fab in P": the verb's finders read it;
        # "will close its factory in P", "sold its plant in P": no longer a place it makes things
    owners = [o for o in r.owner(noun) if o.type in SUBJECT_TYPES["manufacturing"]]
    if not owners or _its_after_another_company(r, noun, owners):
        return []
    places = r.places(noun)
    if any(p.type == "state" for p in places):  # a town the gazetteer does not know: the state written after it
        places = [p for p in places if p.type != "place"]
    out = [(_claim("manufacturing", o, pl, span), r.region(noun)) for o in owners for pl in places]
    money = [r.amount_at[c.i] for c in noun.children if c.i in r.amount_at and r.amount_at[c.i].unit == "money"]
    if money:
        out += [(_claim("investment", o, pl, span, money[0]), r.region(noun)) for o in owners for pl in places]
    return out


def _production_site(tok) -> bool:
    """A plant, factory or fab, or a site, facility or line named for making things ('an assembly site', 'a
    manufacturing facility'); a data center or an office is not."""
    return lemma(tok) in PLANT_NOUNS - {"facility"} or lemma(tok) in FACILITY_NOUNS | PLANT_NOUNS | OUTPUT_NOUNS and \
        any(c.dep_ in ("compound", "amod") and (lemma(c) in ("manufacturing", "production", "assembly") or
                                                 c.lower_ in ("manufacturing", "production", "assembly"))
            for c in tok.children)


def _places_not_apposed(r: _Reader, tok) -> list[EntityRef]:
    """r.places(tok) without the places of a facility re-described in apposition ("a factory in Plano, Texas,
    its first site in the United States": Plano and Texas, not also the country the apposition names)."""
    again = [c for t in tok.subtree if t.dep_ == "appos" and lemma(t) in FACILITY_NOUNS | PLANT_NOUNS for c in [t]]
    skip = {x.id for a in again for x in r.places(a)}
    return [x for x in r.places(tok) if x.id not in skip]


def _incentives(r: _Reader, span) -> list[tuple[Claim, str]]:
    """'X received $50 million in grants from G', 'The project includes $120 million in incentives from G' (the
    project of the story's company): investment G → X with the figure."""
    out = []
    for tok in r.doc:
        if tok.pos_ != "NOUN" or lemma(tok) not in INCENTIVE_NOUNS:
            continue
        givers = [x for p in _preps(tok, ("from",)) for x in r.refs(p) if x.type in ORG_TYPES]
        if not givers:
            continue
        figure = tok.head.head if tok.dep_ == "pobj" and tok.head.lower_ == "in" else tok
        amount = r.amount_tokens.get(figure.i) if figure is not tok else None
        amount = amount if amount is not None and amount.unit == "money" else None
        verb = figure.head if figure.dep_ in ("dobj", "attr") else None
        if verb is None or lemma(verb) not in RECEIVE_VERBS:
            continue
        subj, s_tok = r.subject(verb)
        ids = {g.id for g in givers}
        takers = [x for x in subj if _companyish(x) and x.id not in ids]
        if not takers and not any(_companyish(x) for x in subj) and lemma(verb) == "include":
            takers = [x for x in _sole_latest_subject(r, verb) if x.id not in ids]  # "The project includes …"
        for g in givers:
            for t in takers:
                out.append((_claim("investment", g, t, span, amount, kind="incentive"), r.region(verb, tok)))
    return out


def _include_list(r: _Reader, span) -> list[tuple[Claim, str]]:
    """'Its customers include A and B' (contract A → it), 'X's suppliers include A' (contract X → A),
    'Its backers include A' (investment A → it): the list after 'include' names the other party."""
    out = []
    kinds = CUSTOMER_NOUNS | SUPPLIER_NOUNS | BACKER_NOUNS
    for tok in r.doc:
        if tok.pos_ != "VERB" or lemma(tok) not in COUNT_VERBS | {"include"}:
            continue
        if lemma(tok) == "include":
            nouns = [c for c in tok.children if c.dep_ == "nsubj" and lemma(c) in kinds]
            phrases = _objects(tok)
        else:  # "X counts A and B among its customers", "X counts both A and B as its biggest customers"
            nouns = [p for p in _preps(tok, ("among", "as")) if lemma(p) in kinds]
            phrases = _objects(tok)
        for noun in nouns:
            owners = r.owner(noun) or [x for p in _preps(noun, ("of",)) for x in r.refs(p)]
            if lemma(tok) in COUNT_VERBS and any(c.dep_ == "det" and c.lower_ in ("a", "an") or
                                                 c.dep_ == "poss" and c.lower_ in ("its", "their") for c in noun.children):
                # "X counts A as a customer", "Y, which counts A and B as its biggest customers": the counter's
                owners = [x for x in r.subject(tok)[0] if _companyish(x)] or owners
            owners = [o for o in owners if o.type in ORG_TYPES]
            # the whole object phrase: the small parser may hang "A and B C" as a compound of C
            listed = [x for o in phrases for t in o.subtree for x in r.mention_refs(t)
                      if x.type in ORG_TYPES and x.id not in {w.id for w in owners}]
            for w in owners:
                for x in dict.fromkeys(listed):
                    if lemma(noun) in CUSTOMER_NOUNS:
                        claim = _claim("contract", x, w, span)
                    elif lemma(noun) in SUPPLIER_NOUNS:
                        claim = _claim("contract", w, x, span)
                    else:
                        claim = _claim("investment", x, w, span)
                    out.append((claim, r.region(noun, tok)))
    return out


def _bids(r: _Reader, span) -> list[tuple[Claim, str]]:
    """'X is pursuing Y', 'X made an offer for Y', 'X bid for Y' (Y a company): X's takeover bid, an investment
    X → Y; the shared step reads 'no longer pursuing' and 'denied … it had made an offer' as negated."""
    out = []
    for tok in r.doc:
        if tok.pos_ != "VERB":
            continue
        lem = lemma(tok)
        if lem in BID_VERBS:
            heads = _objects(tok)
        elif lem in MAKE_VERBS:
            heads = [p for o in _objects(tok) if lemma(o) in BID_NOUNS for p in _preps(o, ("for",))] + \
                    [p for o in _objects(tok) if lemma(o) in BID_NOUNS for p in _preps(tok, ("for",))]
        elif lem == "bid":
            heads = _preps(tok, ("for",))
        else:
            continue
        if not heads:
            continue
        bidders, s_tok = r.subject(tok)
        exclude = [b.id for b in bidders]
        targets = [x for h in heads for x in r.refs(h, exclude) if x.type == "company"]
        for b in bidders:
            if b.type != "company":
                continue  # "The Justice Department is pursuing Kestrel": a case, not a bid
            for t in dict.fromkeys(targets):
                out.append((_claim("investment", b, t, span, kind="bid"), r.region(s_tok, tok)))
    return out


def _its_after_another_company(r: _Reader, noun, owners: list[EntityRef]) -> bool:
    """'X agreed to supply racks to Y for its campuses in Z': 'its' after another company named before it in the
    sentence may be either's; the reading is left alone."""
    if not owners or not any(c.dep_ == "poss" and c.lower_ in ("its", "their") for c in noun.children):
        return False
    ids = {o.id for o in owners}
    start = noun.left_edge.idx  # not a name inside the phrase itself ("its Fairwater datacenter")
    return any(_companyish(m.entity) and m.entity.id not in ids and m.end <= start and not _ANAPHOR_TEXT.match(m.text)
               for m in r.sent.mentions)  # a name, not a description ("the company") resolved elsewhere


def _owned_facility(r: _Reader, noun, span) -> list[tuple[Claim, str]]:
    """'Its datacenter in Dayton, Ohio, …', 'X's sites stretch from A to B', 'a campus in A developed by X'."""
    out = []
    # Its datacenter, X's campus; a company's name before it (a Kestrel campus), not a project's (a Stargate
    # campus names the project the campus belongs to, not who builds it).
    if noun.dep_ == "appos" and (lemma(noun.head) in FACILITY_NOUNS | PLANT_NOUNS or
                                 any(x.type in PLACE_TYPES for x in r.mention_refs(noun.head))):
        return []  # "a factory in Plano, Texas, its first site in the United States": the facility told again
    owners = [o for o in r.owner(noun) if o.type != "project" or any(c.dep_ == "poss" for c in noun.children)]
    if _its_after_another_company(r, noun, owners):
        return []
    # A participle with an agent: "a campus in Abilene developed by Crusoe" (on the campus or on its place).
    phrase = [noun] + [p for p in _preps(noun, ("in", "at", "near")) for p in _walk(p, skip=("relcl",))]
    for t in phrase:
        for c in t.children:
            if c.dep_ in ("acl", "relcl") and c.tag_ == "VBN" and lemma(c) in BUILD_VERBS | FACILITY_OWNING_VERBS:
                owners = owners + [x for x in r.agent(c) if x.id not in {o.id for o in owners}]
    if not owners:
        return []
    places: list[EntityRef] = []
    for p in _preps(noun, ("in", "at", "near")):
        places += r.places(p)
    if noun.dep_ in SUBJECT_DEPS and lemma(noun.head) in LOCATE_VERBS:
        for p in _preps(noun.head, ("in", "from", "to", "across", "at", "near")):
            places += r.places(p)
        for o in _objects(noun.head):
            places += r.places(o)
    # "racks that will be manufactured at X facilities in Y": where X makes things, a manufacturing site
    gov = noun.head.head if noun.dep_ == "pobj" and noun.head.lower_ in ("at", "in") else None
    kind = "manufacturing" if gov is not None and lemma(gov) in MANUFACTURE_VERBS else "investment"
    return [(_claim(kind, o, pl, span), r.region(noun)) for o in owners for pl in dict.fromkeys(places)]


def _valued_stake(r: _Reader, noun, span) -> list[tuple[Claim, str]]:
    """'X holds an investment in Y valued at $Z', 'N% of Y, a stake valued at $Z': investment X → Y, $Z.
    'X holds an investment in Y …, representing N%' or 'a N% stake in Y': ownership X → Y, N%."""
    valued = [a for c in noun.children if c.dep_ in ("acl", "amod") and (lemma(c) in VALUE_VERBS or c.lower_ == "worth")
              for a in r.amounts(c, ("money",), clauses=True)]
    valued += [a for c in noun.children if c.lower_ == "worth" for a in r.amounts(c, ("money",))]
    holder_verb = noun.head if noun.dep_ in ("dobj", "attr") else None
    targets = [x for p in _preps(noun, ("in", "of")) for x in r.refs(p)]
    if noun.dep_ == "appos":
        pct = noun.head
        if pct.dep_ == "pobj" and pct.head.dep_ == "prep" and pct.head.head.text == "%":
            targets, pct = r.refs(pct, conj=False), pct.head.head   # "27% of Y, a stake valued at $Z"
        if pct.text == "%":
            targets = targets or [x for p in _preps(pct, ("of",)) for x in r.refs(p)]
            holder_verb = pct.head if pct.dep_ in ("dobj", "attr") else None
    if holder_verb is None or lemma(holder_verb) not in HOLD_VERBS | STAKE_TAKE_VERBS | _words("buy"):
        return []
    holders, s_tok = r.subject(holder_verb)
    out = []
    for h in holders:
        others = [t for t in targets if t.id != h.id]
        for t in others:
            for a in valued:
                out.append((_claim("investment", h, t, span, a), r.region(s_tok, noun)))
            percents = [a for a in r.amounts(noun, ("percent",))]
            for c in [*_walk(noun, clauses=True), *holder_verb.children]:
                if c.dep_ in ("advcl", "xcomp", "acl") and lemma(c) in REPRESENT_VERBS:
                    percents += r.amounts(c, ("percent",))
            for a in percents[:1]:
                out.append((_claim("ownership", h, t, span, a), r.region(s_tok, noun)))
    return out


def _contracts(r: _Reader, span) -> list[tuple[Claim, str]]:
    out = []
    units = ("money", "count", "power")
    for tok in r.doc:
        lem = lemma(tok)
        if tok.dep_ == "prep" and tok.lower_ == "with":
            out.extend(_equipped(r, tok, span))
        if tok.pos_ == "VERB" and lem in MANUFACTURE_VERBS | _words("build design"):
            out.extend(_made_for(r, tok, span))
        built = lem in BUILD_VERBS and any(lemma(p) in PRODUCT_NOUNS - FACILITY_NOUNS for o in _objects(tok)
                                           for p in [o, *_preps(o, ("of",))] if p.i not in r.amount_at)
        if tok.pos_ == "VERB" and (lem in BUY_VERBS | USE_VERBS or lem in SPEND_VERBS or built):
            # "builds out 10 gigawatts of Nvidia systems" is deploying them, as "deploys" is
            customers, s_tok = r.subject(tok)
            passive = [c for c in tok.children if c.dep_ == "nsubjpass"]
            if passive:  # "the first gigawatt of X chips will be deployed by Y"
                customers, s_tok = r.agent(tok), tok
            if not customers:
                continue
            exclude = [c.id for c in customers]
            if lem in RENT_OUT_VERBS and _preps(tok, ("to",)) + [p for o in _objects(tok) for p in _preps(o, ("to",))]:
                out.extend(_supply(r, tok, span))
                continue
            objs = _objects(tok) + passive
            if lem in SPEND_VERBS:
                things = [p for p in _vpreps(tok, ("on",)) if lemma(p) in PRODUCT_NOUNS]
            else:
                things = list(objs)
                # "$300 billion of computing power", "up to one million of X's TPUs": the thing is the of-phrase
                things += [p for o in objs if o.i in r.amount_tokens or o.like_num or o.text == "%" or
                           lemma(o) in MEASURE_NOUNS | PORTION_NOUNS for p in _preps(o, ("of",))]
                # ("buys most of its DSP chips from A and B": the goods of a portion)
            suppliers = [x for p in _preps(tok, ("from",)) for x in r.refs(p, exclude)]
            for t in things:
                suppliers += [x for p in _preps(t, ("from",)) for x in r.refs(p, exclude)]
            suppliers += _gapped_sellers(r, tok, things, exclude)
            if not suppliers:
                for t in things:
                    if t.i in r.amount_at or t.like_num or t.text == "%":
                        continue
                    if lem in BUY_VERBS and t.i in r.ment_of:
                        continue  # "buy Kestrel Cloud" is an acquisition (_ownership)
                    suppliers += [x for x in r.owner(t, exclude)]
            if not suppliers and lem in RENT_OUT_VERBS:
                # "X has leased space at Y's site": whose site it is leases it out
                suppliers = [x for p in _vpreps(tok, ("at", "in")) if lemma(p) in SITE_NOUNS
                             for x in r.owner(p, exclude) if _companyish(x)]
            if not suppliers:
                suppliers = _brand_makers(r, things, exclude)
            if not suppliers:
                continue
            amounts = r.amounts(tok, units)
            if not amounts and tok.dep_ == "xcomp" and tok.head.lower_ == "worth":
                amounts = r.amounts(tok.head, ("money",))  # "a deal worth $9 billion to lease chips from Y"
            if tok.dep_ == "acl" and lemma(tok.head) in CONTRACT_NOUNS:
                amounts = r.amounts(tok.head, ("money",)) + amounts  # "a five-year, $9.7 billion agreement to rent … from Y"
            amounts = _money_first(amounts)
            for c in customers:
                for s in dict.fromkeys(suppliers):
                    out.append((_claim("contract", c, s, span, amounts[0] if amounts else None,
                                       duration=_duration(r, tok), _frame="verb"), r.region(s_tok, tok)))
        elif tok.pos_ == "VERB" and lem in SUPPLY_VERBS:
            out.extend(_supply(r, tok, span))
        elif tok.pos_ == "VERB" and lem == "pay":
            out.extend(_paid(r, tok, span))
        elif tok.pos_ == "VERB" and lem in SERVE_VERBS:
            out.extend(_served_site(r, tok, span))
        elif tok.pos_ == "VERB" and lem in GO_VERBS and _preps(tok, ("to",)):
            out.extend(_sales_go_to(r, tok, span))
        elif tok.pos_ == "VERB" and (lem in ACCOUNT_VERBS | _words("represent") or
                                     lem == "make" and any(c.dep_ == "prt" and c.lower_ == "up" for c in tok.children)):
            out.extend(_share_of_revenue(r, tok, span))
        committed = _commitments(r, tok, span) if tok.pos_ == "NOUN" and lem in COMMITMENT_NOUNS and \
            tok.dep_ == "pobj" and tok.head.lower_ == "of" else []
        out.extend(committed)
        if not committed and tok.pos_ == "NOUN" and lem in CONTRACT_NOUNS:
            out.extend(_contract_noun(r, tok, span))
        elif tok.pos_ == "NOUN" and lem in CUSTOMER_NOUNS | SUPPLIER_NOUNS:
            out.extend(_relation(r, tok, span))
    return out


def _served_site(r: _Reader, verb, span) -> list[tuple[Claim, str]]:
    """'Utility Y will serve the campus', 'Y will power X's data center': the site's company buys from Y (a
    named site owner, or the company the article told building that site)."""
    suppliers, s_tok = r.subject(verb)
    suppliers = [x for x in suppliers if _companyish(x)]
    if not suppliers:
        return []
    exclude = [x.id for x in suppliers]
    out = []
    for o in _objects(verb):
        if lemma(o) not in SITE_NOUNS:
            continue
        for c in [x for x in r.owner(o, exclude) if _companyish(x)] or r.site_owner(o, exclude):
            out += [(_claim("contract", c, s, span, _frame="verb"), r.region(s_tok, verb, o)) for s in suppliers]
    return out


def _made_for(r: _Reader, verb, span) -> list[tuple[Claim, str]]:
    """'X, which makes servers for A, B and C', 'X assembles chips for A': the companies a maker's goods are made
    for are its customers (only named companies: "for a range of brands", "for AI" are no one)."""
    passive = verb.tag_ == "VBN" and lemma(verb) in MANUFACTURE_VERBS and bool(r.agent(verb))
    if passive:
        # "Its optical engines are fabricated by Y", "the racks assembled by Y": the agent makes the subject's
        # (or the described noun's) goods for their owner
        things = [c for c in verb.children if c.dep_ == "nsubjpass"] or ([verb.head] if verb.dep_ == "acl" else [])
        things = [t for t in things if lemma(t) in MADE_NOUNS]
    else:
        things = [o for o in _objects(verb) if lemma(o) in MADE_NOUNS]
        if not _objects(verb) and verb.dep_ == "relcl" and lemma(verb.head) in MADE_NOUNS and \
                not any(c.dep_ in SUBJECT_DEPS and c.lower_ in REL_PRONOUNS for c in verb.children):
            things = [verb.head]  # "the custom chips Y designs for A": the goods the clause is about
        # "assembles a large share of A's racks": the goods of a portion
        things += [p for o in _objects(verb) if lemma(o) in PORTION_NOUNS for p in _preps(o, ("of",))
                   if lemma(p) in MADE_NOUNS]
    if not things:
        return []
    if passive:
        makers, s_tok = [x for x in r.agent(verb) if _companyish(x)], things[0]
    else:
        makers, s_tok = r.subject(verb)
    makers = [x for x in makers if _companyish(x)]
    if not makers:
        return []
    exclude = {x.id for x in makers}
    customers: list[EntityRef] = []
    if lemma(verb) in MANUFACTURE_VERBS:
        # "Y assembles A's racks", "Y makes A processors", "its chips are fabricated by Y": the goods' owner buys them
        # (a possessor only: "assembles Nvidia GB300 racks" names the design, not who orders them)
        customers += [x for t in things if any(c.dep_ == "poss" for c in t.children)
                      for x in r.owner(t, exclude) if _companyish(x)]
        if passive and not customers:
            customers += [x for t in things for c in t.children if c.dep_ == "poss" and c.lower_ == "its"
                          for x in r.resolve(c, "one", exclude) if _companyish(x)]
    for p in _preps(verb, ("for",)) + [p for t in things for p in _preps(t, ("for",))]:
        for h in [p, *_conjuncts(p)]:
            if r.ment_head.get(h.i) == h.i and not r.is_anaphor_mention(h.i):
                customers += [x for x in r.mention_refs(h) if _companyish(x) and x.id not in exclude]
    return [(_claim("contract", c, m, span, _frame="verb"), r.region(s_tok, verb, *things))
            for c in dict.fromkeys(customers) for m in makers]


def _money_first(amounts: list) -> list:
    """A deal's figures with its money first: "a $19 billion agreement to provide Y with 1.2 GW" is a $19 billion
    contract (the power or count is its size, the price is the figure a contract carries)."""
    return sorted(dict.fromkeys(amounts), key=lambda a: a.unit != "money")


SALES_NOUNS = _words("revenue sale turnover backlog booking")


def _sales_go_to(r: _Reader, verb, span) -> list[tuple[Claim, str]]:
    """'Most of its sales go to A and B', 'Its revenue goes largely to A', '… 42% of revenue. Most of that goes to
    A': a seller's sales that go to a company make it the seller's customer (not money spent: that goes to a
    supplier, and is no sales)."""
    subj = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
    if subj is None:
        return []
    sales = subj
    if subj.lower_ in ("most", "much", "all", "half", "bulk", "majority", "some", "part", "share", "%") or \
            subj.i in r.amount_tokens:
        sales = next(iter(_preps(subj, ("of",))), subj)
    told_before = bool(r.sent.context) and re.search(r"(?i)\b(?:revenue|sales)\b", r.sent.context[-1].text)
    if lemma(sales) not in SALES_NOUNS and not (sales.lower_ in ("that", "it", "this") and told_before):
        return []
    customers = [x for p in _preps(verb, ("to",)) for x in r.refs(p) if _companyish(x)]
    if not customers:
        return []
    exclude = [x.id for x in customers]
    sellers = r.owner(sales, exclude) if sales.pos_ == "NOUN" else []
    if not sellers:
        sellers = r.resolve(sales, "one", exclude)
    sellers = [x for x in sellers if _companyish(x)][:1]
    return [(_claim("contract", c, s, span), r.region(subj, verb)) for c in dict.fromkeys(customers) for s in sellers]


def _share_of_revenue(r: _Reader, verb, span) -> list[tuple[Claim, str]]:
    """'A (and B) account for 28% of Y's revenue', 'A made up about a third of its sales', 'A accounted for 28% of
    revenue and B for 17%': a company that is a share of a seller's sales is its customer (contract A → Y)."""
    customers, s_tok = r.subject(verb)
    customers = [x for x in customers if _companyish(x)]
    if not customers:
        return []
    shares = _preps(verb, ("for",)) if lemma(verb) in ACCOUNT_VERBS else _objects(verb)
    shares = [p for p in shares if p.text == "%" or p.i in r.amount_tokens or p.lower_ in
              ("third", "quarter", "half", "fifth", "most", "much", "bulk", "majority")]
    sales = [q for p in shares for q in _preps(p, ("of",)) if lemma(q) in SALES_NOUNS]
    if not sales:
        return []
    exclude = [x.id for x in customers]
    # "… and B for 17%": the gapped second customer hangs as a conjunct of the first share (or of its sales)
    customers += [x for p in shares + sales for cj in _conjuncts(p) if cj.pos_ == "PROPN"
                  for x in r.refs(cj, exclude, conj=False) if _companyish(x)]
    exclude = [x.id for x in customers]
    sellers = r.owner(sales[0], exclude)
    if not sellers and not any(c.dep_ in ("poss", "det") and c.lower_ not in ("the",) for c in sales[0].children):
        sellers = r.resolve(sales[0], "one", exclude)  # "28% of quarterly revenue": the company the story is about
    sellers = [x for x in sellers if _companyish(x)]
    return [(_claim("contract", c, s, span), r.region(s_tok, verb)) for c in dict.fromkeys(customers)
            for s in sellers[:1]]


def _equipped(r: _Reader, prep, span) -> list[tuple[Claim, str]]:
    """'Its datacenter will come online with 100,000 X chips', 'a campus with hundreds of thousands of X GPUs',
    'Y equipped its site with X processors': the facility's owner (or the equipping company) buys the chips
    from their maker (contract owner → maker)."""
    head = prep.head
    facilities = FACILITY_NOUNS - {"capacity"}
    facility = None
    customers, anchor = [], None
    if head.pos_ in ("NOUN", "PROPN") and lemma(head) in facilities:
        facility = head
    elif head.pos_ in ("VERB", "AUX") and lemma(head) in EQUIP_VERBS:
        customers, anchor = r.subject(head)
    elif head.pos_ in ("VERB", "AUX"):
        facility = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass") and lemma(c) in facilities), None)
    if facility is not None:
        customers, anchor = [x for x in r.owner(facility) if _companyish(x)], facility
    customers = [x for x in customers if _companyish(x)]
    if not customers:
        return []
    things = []
    for p in prep.children:
        if p.dep_ != "pobj":
            continue
        things.append(p)
        if p.i in r.amount_tokens or p.like_num or lemma(p) in MEASURE_NOUNS or \
                p.lower_ in ("hundreds", "thousands", "millions", "dozens", "tens"):
            things += _preps(p, ("of",))  # "hundreds of thousands of X chips", "1 gigawatt of X systems"
    things = [t for t in things if lemma(t) in PRODUCT_NOUNS - FACILITY_NOUNS]
    exclude = [c.id for c in customers]
    makers = [x for t in things for x in r.owner(t, exclude) if _companyish(x)] or _brand_makers(r, things, exclude)
    amounts = r.amounts(prep, ("count", "power"))
    return [(_claim("contract", c, m, span, amounts[0] if amounts else None, _frame="verb"), r.region(anchor, prep))
            for c in customers for m in dict.fromkeys(makers)]


def _gapped_sellers(r: _Reader, verb, things: list, exclude: list[str]) -> list[EntityRef]:
    """'buys GPUs from A and racks from B and C': the second object, its verb left out, hangs as a conjunct of A
    with its own 'from' phrase (B and C sell too)."""
    out = []
    for p in _preps(verb, ("from",)) + [q for t in things for q in _preps(t, ("from",))]:
        for cj in _conjuncts(p):
            if cj.pos_ == "NOUN" and not r.mention_refs(cj):
                out += [x for q in _preps(cj, ("from",)) for x in r.refs(q, exclude)]
    return out


def _brand_makers(r: _Reader, things: list, exclude: list[str]) -> list[EntityRef]:
    """The makers of the brands a buyer buys ("$250 billion of Azure services": Microsoft), from the
    product_makers table of en.yaml, when no seller is named."""
    from kb.claims import en  # the pattern file's reader (en imports this module)
    from kb.entities.gazetteer import Gazetteer

    makers = en._lexicon().product_makers
    out: list[EntityRef] = []
    for t in things:
        for w in [t, *(c for c in t.children if c.dep_ in ("compound", "amod", "nmod"))]:
            entry = Gazetteer.load().get(makers[w.text]) if w.text in makers else None
            if entry is not None and entry.id not in exclude and entry.id not in {o.id for o in out}:
                out.append(EntityRef(entry.id, entry.name, entry.type))
    return out


def _commitments(r: _Reader, noun, span) -> list[tuple[Claim, str]]:
    """'X has roughly $1.4 trillion of compute commitments', 'X committed to $1 trillion of computing deals':
    a buyer's contracts with suppliers the sentence does not name."""
    figure = noun.head.head  # the amount the of-phrase hangs from
    a = r.amount_tokens.get(figure.i)
    if a is None or a.unit != "money":
        return []
    verb = figure.head
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    if lemma(verb) not in HOLD_VERBS | _words("commit sign announce make") | SIGN_VERBS:
        return []
    buyers, s_tok = r.subject(verb)
    words = {lemma(t) for t in _walk(noun)} | {t.lower_ for t in _walk(noun)}
    if not words & _words("compute computing cloud capacity chip gpu"):
        return []  # "$2 billion of debt commitments" are not purchases
    return [(_claim("contract", b, None, span, a), r.region(s_tok, verb, noun)) for b in buyers if _companyish(b)]


def _duration(r: _Reader, tok) -> str:
    m = re.search(r"\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|fifteen|twenty)[- ]year\b",
                  r.text[tok.left_edge.idx:tok.right_edge.idx + len(tok.right_edge)], re.I)
    return f"{m.group(1).lower()} years" if m else ""


def _paid(r: _Reader, verb, span) -> list[tuple[Claim, str]]:
    """'X will pay Y $500 million over five years for cloud services': X buys the services from Y (not a fine,
    damages or a price for a company: the for-phrase names a product or service)."""
    customers, s_tok = r.subject(verb)
    exclude = [c.id for c in customers]
    suppliers = [x for c in verb.children if c.dep_ in ("dative", "iobj", "dobj") and c.i not in r.amount_at
                 for x in r.refs(c, exclude) if _companyish(x)]
    suppliers += [x for p in _preps(verb, ("to",)) for x in r.refs(p, exclude) if _companyish(x)]
    bought = [p for p in _vpreps(verb, ("for",)) if lemma(p) in PRODUCT_NOUNS | _words("license access right")]
    under = [p for p in _preps(verb, ("under",)) if lemma(p) in CONTRACT_NOUNS]
    disc = r.disc
    if customers and not suppliers and under and disc.contract is not None and disc.n == disc.contract[0] and \
            disc.contract[1].id in exclude:
        # "Y will serve the campus. Under an agreement filed with regulators, X will pay about $Z for upgrades":
        # the price of the deal the sentence before told, X its customer
        money = r.amounts(verb, ("money",))
        if money:
            return [(_claim("contract", disc.contract[1], disc.contract[2], span, money[0], _frame="verb"),
                     r.region(s_tok, verb))]
    if not customers or not suppliers or not bought:
        return []
    money = r.amounts(verb, ("money",))
    return [(_claim("contract", c, s, span, money[0] if money else None, duration=_duration(r, verb), _frame="verb"),
             r.region(s_tok, verb)) for c in customers if _companyish(c) for s in dict.fromkeys(suppliers)]


def _stake_sale(r: _Reader, verb, stakes: list, span) -> list[tuple[Claim, str]]:
    """'X agreed to sell its 40% stake in Y to Z for $1 billion': X no longer owns Y (negated ownership), Z takes
    the stake (ownership Z → Y with its share) for the price (investment Z → Y)."""
    sellers, s_tok = r.subject(verb)
    exclude = [x.id for x in sellers]
    buyers = [x for p in _vpreps(verb, ("to",)) for x in r.refs(p, exclude) if x.type in SUBJECT_TYPES["ownership"]]
    price = [a for p in _vpreps(verb, ("for",)) for a in r.amounts(p, ("money",))]
    # "sold its stake" is done: the seller no longer holds it; "agreed to sell", "will sell", "is selling": the
    # sale has not closed, the seller holds the stake still (the buyer's holding is the plan)
    done = verb.tag_ == "VBD" or verb.tag_ == "VBN" and any(c.dep_ in ("aux", "auxpass") for c in verb.children)
    out = []
    for o in stakes:
        owned, share = _held(r, o, exclude + [b.id for b in buyers])
        for y in owned:
            for x in sellers:
                claim = _claim("ownership", x, y, span, share)
                if done:
                    claim.details["divested"] = True
                out.append((claim, r.region(s_tok, verb, o) if done else r.region(o)))
            for b in buyers:
                out.append((_claim("ownership", b, y, span, share), r.region(s_tok, verb, o)))
                # the buyer puts money into Y: the price, else the share it takes
                out.append((_claim("investment", b, y, span, price[0] if price else share), r.region(s_tok, verb, o)))
    return out


def _supply(r: _Reader, verb, span) -> list[tuple[Claim, str]]:
    """'X will supply Y with 6 GW of GPUs', 'X provides space and power to Y', 'X rents capacity to Y'."""
    stakes = [o for o in _objects(verb) if lemma(o) in STAKE_NOUNS | _words("share")]
    if stakes:  # selling a stake is no supply contract
        return _stake_sale(r, verb, stakes, span) if lemma(verb) == "sell" else []
    suppliers, s_tok = r.subject(verb)
    if not suppliers:
        return []
    exclude = [s.id for s in suppliers]
    customers: list[EntityRef] = []
    amounts = []
    for o in _objects(verb):
        refs = [x for x in r.refs(o, exclude) if _companyish(x)]
        if refs:  # supply Y with Z
            customers += refs
            for p in _preps(verb, ("with",)) + _preps(o, ("with",)):
                amounts += r.amounts(p, ("money", "count", "power"))
        else:
            amounts += r.amounts(o, ("money", "count", "power"))
            for p in _preps(o, ("to", "for")):
                customers += [x for x in r.refs(p, exclude) if _companyish(x)]
    for p in _preps(verb, ("to",)):
        customers += [x for x in r.refs(p, exclude) if _companyish(x)]
        if not customers and lemma(verb) in SUPPLY_VERBS:
            customers += r.site_owner(p, exclude)  # "agreed to supply electricity to the site": the site's company
    if verb.dep_ in ("acl", "relcl") and lemma(verb.head) in CONTRACT_NOUNS:
        amounts = _money_first(r.amounts(verb.head, ("money",)) + amounts)  # "signed a $4 billion deal to supply Y"
    out = []
    for s in suppliers:
        for c in dict.fromkeys(customers):
            out.append((_claim("contract", c, s, span, amounts[0] if amounts else None,
                               duration=_duration(r, verb), _frame="verb"), r.region(s_tok, verb)))
    return out


def _contract_noun(r: _Reader, noun, span) -> list[tuple[Claim, str]]:
    """'X signed a deal with Y worth $Z', 'X, whose contracts with Y total $Z', 'Y, which agreed to a $Z contract'."""
    if any(lemma(c) in PARTNERSHIP_NOUNS | FINANCING_NOUNS for c in noun.children
           if c.dep_ in ("compound", "amod", "prep") or c.dep_ == "prep"):
        return []
    if any(lemma(p) in _words("intent") for p in _preps(noun, ("of",))):
        return []  # a letter of intent is not itself a contract
    if noun.head.pos_ == "VERB" and _joint_purpose(noun.head):
        return []  # "signed an agreement with Y to co-develop chips" is a partnership (_partnerships)
    parties: list[EntityRef] = []
    anchor_tok = None
    verb = noun.head
    talks = None
    while verb.dep_ in ("pobj", "prep") and verb.head.i != verb.i:
        verb = verb.head  # "agreed to a contract", "entered into an agreement"
        if verb.pos_ == "NOUN" and lemma(verb) in TALK_NOUNS and noun.head.lower_ in ("about", "over", "on", "for"):
            talks = verb  # "X is in talks with Y about an agreement worth $Z"
    if verb is not noun and verb.i in r.amount_tokens and verb.dep_ == "dobj" and noun.head.lower_ == "of":
        verb = verb.head  # "has signed more than $60 billion of contracts with …": the figure's verb
    if noun.dep_ in ("dobj", "pobj", "attr") and verb.pos_ in ("VERB", "AUX") and lemma(verb) in SIGN_VERBS | AWARD_VERBS:
        parties, anchor_tok = r.subject(verb)
    elif talks is not None and verb.pos_ in ("VERB", "AUX"):
        parties, anchor_tok = r.subject(verb)
    ordered = lemma(noun) == "order" and noun.dep_ in ("dobj", "attr") and \
        lemma(verb) in SIGN_VERBS | RECEIVE_VERBS | _words("confirm book report place")
    if ordered and not parties:
        # "X received / booked / confirmed a new order from Y" (a person's company is a guess: not taken)
        who, anchor_tok = r.subject(verb)
        parties = [x for x in who if _companyish(x)]
    poss = r.owner(noun)
    if poss and not parties:
        parties, anchor_tok = poss, noun
    if not parties:
        # "a $17.4 billion contract the two firms struck": the pair a relative clause on the noun names.
        for rel in (c for c in noun.children if c.dep_ == "relcl" and lemma(c) in SIGN_VERBS):
            subj = next((c for c in rel.children if c.dep_ in SUBJECT_DEPS), None)
            pair = r.resolve(subj, "two") if subj is not None and r.anaphor_kind(subj) == "two" else []
            pair = [x for x in pair if _companyish(x)][::-1]  # in the order the article named them
            if len(pair) == 2:
                amounts = [r.amount_at[c.i] for c in noun.children if c.i in r.amount_at]
                return [(_claim("contract", pair[0], pair[1], span, amounts[0] if amounts else None,
                                duration=_duration(r, noun)), r.region(subj, noun))]
        return []
    exclude = [p.id for p in parties]
    others = [x for p in _preps(noun, ("with", "between")) for x in r.refs(p, exclude)]
    if not others:
        # "contracts with neoclouds, including A and B", "… with neoclouds such as A and B": the named examples
        others = [x for p in _preps(noun, ("with",)) if p.pos_ == "NOUN" and p.tag_ == "NNS"
                  for q in _preps(p, ("as", "including")) + _preps(noun, ("including",)) for x in r.refs(q, exclude)
                  if _companyish(x)]
    if talks is not None:
        others += [x for p in _preps(talks, ("with",)) for x in r.refs(p, exclude) if _companyish(x)]
    if verb is not noun and noun.dep_ == "dobj":
        others += [x for p in _preps(verb, ("with",)) for x in r.refs(p, exclude)]
    supplier_is_subject = lemma(verb) in WIN_VERBS
    if ordered and lemma(verb) == "place":  # "X placed an order with Y": X buys
        others += [x for p in _preps(verb, ("with",)) for x in r.refs(p, exclude) if _companyish(x)]
    elif ordered:  # "received / booked an order from Y": Y buys from the subject
        others += [x for p in _preps(noun, ("from",)) + _preps(verb, ("from",)) for x in r.refs(p, exclude)
                   if _companyish(x)]
        supplier_is_subject = bool(others)
    # "X signed a $4 billion deal with Y to supply chips": the deal's purpose says who supplies
    purpose = [c for t in {verb.i: verb, noun.i: noun}.values() for c in t.children
               if c.dep_ in ("advcl", "acl", "xcomp", "relcl") and c.pos_ == "VERB"
               and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)]
    if any(lemma(c) in SUPPLY_VERBS for c in purpose) and not any(lemma(c) in BUY_VERBS | USE_VERBS for c in purpose):
        supplier_is_subject = True
    # whether the words say who buys (else the signer is taken for the customer, a guess parse_claims may revise)
    told = supplier_is_subject or lemma(verb) in AWARD_VERBS or any(lemma(c) in BUY_VERBS | USE_VERBS for c in purpose) \
        or ordered
    if not supplier_is_subject and lemma(noun) in LEASE_NOUNS:
        # "X signed a lease with Y, which will occupy the buildings": the one who occupies is the tenant
        withs = _preps(noun, ("with",)) + (_preps(verb, ("with",)) if verb is not noun else [])
        if any(c.dep_ == "relcl" and lemma(c) in OCCUPY_VERBS for p in withs for h in [p, *_conjuncts(p)]
               for c in h.children):
            supplier_is_subject = told = True
    if supplier_is_subject:
        others += [x for p in _vpreps(verb, ("from",)) for x in r.refs(p, exclude)]  # "won a contract from Y"
    if lemma(verb) in AWARD_VERBS:  # "Y awarded X a contract": Y buys from X
        others += [x for c in verb.children if c.dep_ in ("dative", "iobj") for x in r.refs(c, exclude)]
    if not others:
        # "…, and to Meta, which signed a deal worth $Z": the other side is who rents/sells to (or signs with) Meta.
        rel = verb if verb.dep_ == "relcl" else None
        if rel is not None and not _preps(noun, ("with",)):
            gov, kind = _governing_frame(rel.head)
            if gov is not None:
                side, _ = r.subject(gov, exclude)
                others = [x for x in side if _companyish(x)]
                # "S rents to Y, which signed a deal": Y buys; "S signs with / buys from Y, which …": Y supplies
                supplier_is_subject = kind in ("buy", "sign")
                told = True
    if not others:
        return []
    amounts = []
    for c in noun.children:
        if c.dep_ in ("amod", "acl") and (lemma(c) in VALUE_VERBS or c.lower_ == "worth"):
            amounts += r.amounts(c, ("money",), clauses=True)
        elif c.dep_ in ("nmod", "compound", "nummod", "amod", "quantmod") and c.i in r.amount_at:
            amounts.append(r.amount_at[c.i])
        elif c.lower_ == "worth":
            amounts += r.amounts(c, ("money",))
    amounts += [a for p in _preps(noun, ("of", "for")) for a in r.amounts(p, ("money", "power", "count"))]
    if noun.dep_ in SUBJECT_DEPS and lemma(noun.head) in TOTAL_VERBS:
        amounts += r.amounts(noun.head, ("money",))
    if noun.head.dep_ == "prep" and noun.head.head.dep_ in ("dobj", "nsubj") and lemma(noun.head.head) == "value":
        bring = noun.head.head.head  # "bringing the total value of its contracts with Y to $Z"
        amounts += [a for p in _preps(bring, ("to",)) for a in r.amounts(p, ("money",))]
    for a in r.amounts(noun, ("money",)):
        if a not in amounts:
            amounts.append(a)
    amounts.sort(key=lambda a: a.start)
    out = []
    region = r.region(anchor_tok, noun) if anchor_tok is not None else r.region(noun)
    others = list(dict.fromkeys(others))
    pairs = [(p, o) for p in parties for o in others]
    respectively = False
    if len(parties) == len(others) > 1 and re.search(r"(?i)\brespectively\b", r.text[noun.idx:]):
        pairs = list(zip(parties, others))  # "A and B signed deals with C and D, respectively"
        respectively = True
    for p, o in pairs:
        c, s = (o, p) if supplier_is_subject else (p, o)
        claim = _claim("contract", c, s, span, amounts[0] if amounts else None, duration=_duration(r, noun))
        if not told:
            claim.details["_guess"] = True
        if respectively:
            claim.details["_respectively"] = True
        out.append((claim, region))
    return out


def _misread_verb(tok) -> str | None:
    """The verb lemma of a verb the tagger read as a plural noun after a one-word name ("CoreWeave rents
    capacity to X" parsed as the compound "CoreWeave rents"): the sentence's root, its name a compound."""
    if tok.dep_ != "ROOT" or tok.pos_ != "NOUN" or tok.tag_ != "NNS" or tok.i == 0:
        return None
    lem = _lemma(tok.lower_, True)
    before = tok.doc[tok.i - 1]
    if lem == tok.lower_ or lem not in _VERB_LEXICON or before.dep_ not in ("compound", "nsubj") or before.head.i != tok.i:
        return None
    return lem


def _governing_frame(tok):
    """The verb a phrase hangs from through 'to'/'with'/'from' (and coordinated 'to …, and to …'), and its kind."""
    t = tok
    if t.dep_ == "conj" and t.head.pos_ not in ("NOUN", "PROPN", "ADP"):
        # "sign with A and, in June, B": the parser coordinated B with the clause; B is the with-phrase's
        prep = next((x for x in reversed(list(tok.doc[:tok.i])) if x.dep_ == "prep" and x.lower_ in ("with", "to", "from")
                     and any(p.dep_ == "pobj" for p in x.children)), None)
        if prep is not None:
            t = next(p for p in prep.children if p.dep_ == "pobj")
    for _ in range(6):
        if t.dep_ == "pobj" and t.head.dep_ in ("prep", "conj", "dative"):
            prep = t.head
            word = prep.lower_
            head = prep.head
            while head.dep_ in ("prep", "conj") and head.pos_ == "ADP":
                head = head.head
            if prep.dep_ == "conj" and head.pos_ != "ADP":
                # "to A, whose …, and to B": B's 'to' hangs off the clause; find the first 'to'
                first = next((x for x in reversed(list(tok.doc[:prep.i])) if x.lower_ == word and x.dep_ == "prep"),
                             None)
                if first is not None:
                    head = first.head
            while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
                head = head.head
            lem = _misread_verb(head) or lemma(head)
            if word == "to" and lem in SUPPLY_VERBS | RENT_OUT_VERBS:
                return head, "supply"
            if word == "with" and lem in SIGN_VERBS | SIGNING_VERBS:
                return head, "sign"
            if word == "from" and lem in BUY_VERBS:
                return head, "buy"
            return None, None
        t = t.head
    return None, None


def _said_of(r: _Reader, noun, owners: list[EntityRef]):
    """(entities, token) a relational noun (customer, provider, shareholder) is said of: the name it is in
    apposition to ('X, Y's largest customer'), the copula's subject ('X is Y's largest customer') or its
    complement ('Y's largest customer is X'), else None."""
    exclude = [o.id for o in owners]
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.lower_ == "one":
        noun = noun.head.head  # "X remains one of Y's largest customers": said of X as "Y's customer" would be
    if noun.dep_ == "appos":
        return r.refs(noun.head, exclude, conj=False), noun.head
    if noun.dep_ in ("attr", "oprd") and lemma(noun.head) in COPULA_VERBS:
        return r.subject(noun.head, exclude)
    if noun.dep_ in ("nsubj", "nsubjpass") and lemma(noun.head) in COPULA_VERBS:
        # "Its biggest customer this year is X": the copula's complement names who the noun is
        attrs = [c for c in noun.head.children if c.dep_ in ("attr", "acomp", "oprd")]
        who = [x for a in attrs for x in r.refs(a, exclude) if _companyish(x)]
        return (who, attrs[0]) if who else None
    return None


def _relation(r: _Reader, noun, span) -> list[tuple[Claim, str]]:
    """'X, Y's largest customer', 'X remains its primary cloud provider', 'X is the largest customer of Y':
    contract customer → supplier."""
    owners = r.owner(noun) or [x for p in _preps(noun, ("of",)) for x in r.refs(p) if _companyish(x)]
    first = noun.head if noun.dep_ == "conj" and any(c.dep_ == "case" for c in noun.head.children) else None
    if first is not None and first.dep_ in ("attr", "oprd", "appos"):
        # "X is A's and B's main supplier" parsed as "X is A's" and "B's supplier": A's too, said as the first is
        owners = [x for x in r.refs(first, conj=False) if _companyish(x)] + owners
        noun_at = first
    else:
        noun_at = noun
    if not owners:
        return []
    held = _said_of(r, noun_at, owners)
    if held is None:
        return []
    who, who_tok = held
    if noun_at is not noun:
        owners = [x for x in owners if x.id not in {w.id for w in who}]
    else:
        owners = r.owner(noun, [w.id for w in who]) or [x for p in _preps(noun, ("of",)) for x in r.refs(p)
                                                        if _companyish(x) and x.id not in {w.id for w in who}]
    # "Its biggest tenant is X, which signed a 15-year lease for a 400-megawatt campus": the deal's size
    amounts = _money_first([a for c in getattr(who_tok, "children", ()) if c.dep_ == "relcl" and lemma(c) in SIGN_VERBS
                            and any(lemma(o) in CONTRACT_NOUNS for o in _objects(c))
                            for a in r.amounts(c, ("money", "power"))])
    out = []
    for w in who:
        for o in owners:
            c, s = (w, o) if lemma(noun) in CUSTOMER_NOUNS else (o, w)
            out.append((_claim("contract", c, s, span, amounts[0] if amounts else None), r.region(who_tok, noun)))
    return out


def _ownership(r: _Reader, span) -> list[tuple[Claim, str]]:
    out = []
    told: list[EntityRef] = []  # the companies this sentence's percentage holdings were of, in text order
    for tok in r.doc:
        lem = lemma(tok)
        if tok.pos_ == "NOUN" and lem in CONTROL_NOUNS and tok.dep_ == "dobj" and lemma(tok.head) in CONTROL_TAKE_VERBS:
            out.extend(_took_control(r, tok, span))
        if tok.tag_ == "VBN" and tok.lower_ in OWNED_PARTICIPLES:
            out.extend(_owned_by(r, tok, span))
        elif tok.pos_ in ("VERB", "AUX") and lem in HOLD_VERBS | STAKE_TAKE_VERBS:
            owners, s_tok = r.subject(tok)
            if not owners:
                continue
            exclude = [o.id for o in owners]
            objs = _objects(tok)
            # "owns about 11% of Y and roughly 90% of Z": a second percentage with its own company
            objs += [c for o in objs if o.text == "%" for c in _conjuncts(o)
                     if c.text == "%" and _preps(c, ("of", "in")) and c not in objs]
            # "B owns about 6% and C about 2%": C is a second holder (the verb left out), not B's holding
            shares = any(o.text == "%" or o.i in r.amount_tokens or lemma(o) in STAKE_NOUNS for o in objs)
            price = [a for p in _vpreps(tok, ("for",)) for a in r.amounts(p, ("money",))]
            for o in objs:
                owned, amount = _held(r, o, exclude)
                if not owned and lemma(o) in STAKE_NOUNS and o.i not in r.ment_of:
                    # "hold minority stakes in Y" with "in Y" hung on the verb
                    owned = [x for p in _preps(tok, ("in",)) for x in r.refs(p, exclude) if _companyish(x)]
                if not owned and amount is not None and amount.unit == "percent" and lem in HOLD_VERBS and \
                        not any(p.text != "%" and p.i not in r.amount_tokens for p in _preps(o, ("of",))):
                    # "A holds 12% of Y, while B owns about 20%": the company whose stake this sentence told;
                    # "… holds 27% of Y. The Z Foundation holds a stake of 26%.": the one the sentence before told
                    # ("has 20% of its staff in Ohio" is no stake)
                    owned = [x for x in told[-1:] if x.id not in exclude] or r.stake_in_focus(exclude)
                bought = False
                if not owned and not shares and (lem in ACQUIRE_VERBS | _words("control own") or
                                                 lem in STAKE_TAKE_VERBS and o.i in r.ment_of):
                    owned = [x for x in r.refs(o, exclude) if _companyish(x)]
                    bought = lem in STAKE_TAKE_VERBS
                if amount is not None and amount.unit == "percent":
                    told.extend(owned)
                for x in owned:
                    for ow in owners:
                        if bought:  # "agreed to buy Kestrel Cloud for $3 billion": the price is the deal's
                            out.append((_claim("ownership", ow, x, span, price[0] if price else None),
                                        r.region(s_tok, tok, o)))
                            continue
                        out.append((_claim("ownership", ow, x, span, amount), r.region(s_tok, tok, o)))
                        if lem in STAKE_TAKE_VERBS and (price or lemma(o) in STAKE_NOUNS and tok.tag_ in ("VBD", "VBN")):
                            # "bought a 10% stake in Y for $4 billion", "took a 40% stake in Y": a stake taken is an
                            # investment (its price, else the share taken); holding one is not, nor is a stake only
                            # talked of ("no plans to take a stake", "looking to buy a stake")
                            out.append((_claim("investment", ow, x, span, price[0] if price else amount),
                                        r.region(s_tok, tok, o)))
        elif tok.pos_ == "VERB" and lem in GIVE_VERBS:
            recipients = []
            held = []
            for c in tok.children:
                if c.dep_ in ("dative", "iobj") or (c.dep_ == "dobj" and (r.refs(c) and c.text != "%")):
                    recipients += [x for x in r.refs(c) if x.type in SUBJECT_TYPES["ownership"]]
                if c.dep_ in ("dobj", "attr"):
                    held.append(c)
                if c.dep_ == "prep" and c.lower_ == "to":
                    held += [p for p in c.children if p.dep_ == "pobj" and p.text == "%"]
            if not recipients:  # "granted Tessaro Networks warrants": the parser made the recipient a compound
                recipients = [x for h in held if lemma(h) in _words("warrant stake share") for x in r.owner(h)
                              if x.type in SUBJECT_TYPES["ownership"]]
            # "granted Tessaro warrants to buy 160 million Quillon shares, or 10% of the company"
            held += [t for t in _walk(tok, clauses=True) if t not in held and t.i != tok.i and
                     (lemma(t) in _words("warrant stake") or t.text == "%" and any(p.lower_ == "of" for p in t.children))]
            for h in held:
                owned, amount = _held(r, h, [x.id for x in recipients])
                if owned:
                    for rec in recipients:
                        out.extend((_claim("ownership", rec, x, span, amount), r.region(tok, h)) for x in owned)
                    break
        elif tok.pos_ == "NOUN" and lem in ACQUISITION_NOUNS:
            targets = [x for p in _preps(tok, ("of",)) for x in r.refs(p) if _companyish(x)]
            buyers = r.owner(tok, [t.id for t in targets]) or [x for p in _preps(tok, ("by",)) for x in r.refs(p)]
            if any(lemma(c) in _words("stake share") for p in _preps(tok, ("of",)) for c in [p]):
                continue
            targets = [x for p in _preps(tok, ("of",)) for x in r.refs(p, [b.id for b in buyers]) if _companyish(x)]
            negated = _negated_by_governor(tok)
            # "completed its $900 million acquisition of Y": the deal's price
            price = [r.amount_at[c.i] for c in tok.children if c.i in r.amount_at and r.amount_at[c.i].unit == "money"]
            for b in buyers:
                for t in targets:
                    claim = _claim("ownership", b, t, span, price[0] if price else None)
                    if negated:
                        claim.details["divested"] = True
                    out.append((claim, r.region(tok)))
        elif tok.pos_ == "NOUN" and lem in SHAREHOLDER_NOUNS | SUBSIDIARY_NOUNS | BACKER_NOUNS:
            out.extend(_shareholder(r, tok, span))
        elif tok.pos_ == "NOUN" and lem in STAKE_NOUNS and (tok.dep_ in SUBJECT_DEPS or
                                                             tok.dep_ == "conj" and tok.head.dep_ in SUBJECT_DEPS):
            out.extend(_possessed_stake(r, tok, span))
        elif tok.dep_ == "poss" and r.ment_head.get(tok.i) == tok.i:
            # "Alphabet's Google": a company's company is its subsidiary
            head = tok.head
            if r.ment_head.get(head.i) == head.i:
                for p in r.mention_refs(tok):
                    for c in r.mention_refs(head):
                        if p.type == "company" and c.type == "company":
                            out.append((_claim("ownership", p, c, span), r.region(tok, head)))
    return out


def _possessed_stake(r: _Reader, noun, span) -> list[tuple[Claim, str]]:
    """'X's 4% stake in Y is worth $5 billion', 'Y is the wild card. X's roughly 4% stake and Z's near-10% holding
    have bought it time': a stake a company's possessive names as the subject is its holding (in Y, else, with a
    percentage, in the company the sentence before is about)."""
    if not any(c.dep_ == "poss" for c in noun.children):
        return []
    holders = [x for x in r.owner(noun) if x.type in SUBJECT_TYPES["ownership"]]
    if not holders:
        return []
    exclude = [x.id for x in holders]
    held, amount = _held(r, noun, exclude)
    if not held and amount is not None and amount.unit == "percent":
        topic = r.topic_before()
        held = [topic] if topic is not None and topic.id not in exclude and _companyish(topic) else []
    if not held and not (amount is not None and amount.unit == "percent"):
        return []
    return [(_claim("ownership", h, x, span, amount if amount is not None and amount.unit == "percent" else None),
             r.region(noun)) for h in holders for x in held if h.id != x.id]


OWNED_PARTICIPLES = frozenset({"owned", "controlled"})
WHOLE_WORDS = frozenset({"full", "complete", "total", "sole", "outright"})


def _took_control(r: _Reader, noun, span) -> list[tuple[Claim, str]]:
    """'X took control of Y in 2023', 'X will take full ownership of the venture' (full: 100%)."""
    verb = noun.head
    holders, s_tok = r.subject(verb)
    holders = [x for x in holders if x.type in SUBJECT_TYPES["ownership"]]
    if not holders:
        return []
    exclude = [x.id for x in holders]
    # "the venture" no apposition bound to a name may be anyone's venture: only names and the company in focus
    held = [x for p in _preps(noun, ("of",)) + _preps(verb, ("of",))
            if p.i in r.ment_of or lemma(p) != "venture" or "venture" in r.disc.bound
            for x in r.refs(p, exclude) if _companyish(x)]
    amount = None
    whole = [c for c in noun.children if c.dep_ == "amod" and c.lower_ in WHOLE_WORDS]
    if whole and lemma(noun) == "ownership":
        from kb.amounts import Amount
        amount = Amount(min=100.0, max=100.0, currency=None, unit="percent", period=None, approximate=False,
                        bound=None, text=f"{whole[0].text} {noun.text}", start=whole[0].idx, end=noun.idx + len(noun))
    return [(_claim("ownership", h, x, span, amount), r.region(s_tok, verb, noun)) for h in holders for x in held
            if h.id != x.id]


def _owned_by(r: _Reader, part, span) -> list[tuple[Claim, str]]:
    """'Y is majority-owned by X', 'Y, owned by X since 2023', 'Y, the X-owned chipmaker', 'the X-controlled Y':
    the holder is the agent or the name hyphened onto the participle, the held company the participle's subject
    or the noun it describes (through a description in apposition: "Y, a X-owned maker of …")."""
    holders = r.agent(part)
    if not holders:
        # "the X-owned maker": the name that ends at the hyphen (however the parser hung it)
        name = r.doc[part.i - 2] if part.i >= 2 and r.doc[part.i - 1].text == "-" else None
        holders = r.mention_refs(name) if name is not None and name.i in r.ment_of else []
    holders = [x for x in holders if x.type in SUBJECT_TYPES["ownership"]]
    if not holders:
        return []
    exclude = [x.id for x in holders]
    if part.dep_ in ("amod", "acl"):
        noun = part.head
        held = r.mention_refs(noun) if noun.i in r.ment_of else []
        left = noun.left_edge.i
        name_before = left >= 2 and r.doc[left - 1].text == "," and r.ment_head.get(left - 2) is not None
        if not held and noun.dep_ == "appos" and lemma(noun) in DESCRIPTION_NOUNS:
            # the name right before the apposition's comma ("A and B, the X-owned firm": B, wherever the
            # parser hung the apposition)
            if name_before:
                held = r.mention_refs(r.doc[r.ment_head[left - 2]])
            else:
                held = r.refs(noun.head, exclude, conj=False)
        elif not held and noun.dep_ == "npadvmod" and lemma(noun) in DESCRIPTION_NOUNS and name_before:
            # "… with Intrinsic, the robotics software company owned by Alphabet, …": an apposition the parser
            # hung on the verb
            held = r.mention_refs(r.doc[r.ment_head[left - 2]])
        s_tok = noun
    else:
        held, s_tok = r.subject(part, exclude)
    # "Y is 65% owned by X": the percentage written before the participle is the holding
    percent = [a for c in part.children if c.i < part.i and c.dep_ in ("npadvmod", "advmod", "nummod")
               for a in r.amounts(c, ("percent",))]
    amount = percent[0] if percent else None
    return [(_claim("ownership", h, x, span, amount), r.region(s_tok, part)) for x in held if _companyish(x)
            for h in holders if h.id != x.id]


def _held(r: _Reader, o, exclude) -> tuple[list[EntityRef], object]:
    """What a held phrase gives a stake in: 'roughly 7% of it', 'a 10% stake in Y', 'a stake of 26% in Y'."""
    if o.text == "%" or (o.i in r.amount_at and r.amount_at[o.i].unit == "percent"):
        amount = r.amount_at.get(o.i) or r.amount_tokens.get(o.i)
        return [x for p in _preps(o, ("of", "in")) for x in r.refs(p, exclude) if _companyish(x)], amount
    if lemma(o) in STAKE_NOUNS | _words("share warrant equity"):
        owned = [x for p in _preps(o, ("in", "of")) for x in r.refs(p, exclude) if _companyish(x)]
        percents = r.amounts(o, ("percent",))
        if lemma(o) in _words("share warrant"):
            # "a warrant for up to 160 million shares of X (common stock)": the shares' company, their count
            # (not into a relative clause: "warrants that could give it 8% of X" is the giving's claim)
            phrase = [t for t in _walk(o, clauses=True, skip=("relcl",))]
            found = sorted({id(a): a for t in phrase for a in [r.amount_at.get(t.i)] if a is not None}.values(),
                           key=lambda a: a.start)
            counts = [a for a in found if a.unit == "count" and re.search(r"(?i)\bshares\b", a.text)]
            percents = percents or [a for a in found if a.unit == "percent"]
            for t in phrase:
                # "… 160 million shares of X", "… 160 million X shares, or about 10% of the company"
                if t.dep_ == "pobj" and t.head.lower_ == "of" and (t.head.head.lower_ in ("shares", "stock")
                                                                   or t.head.head.text == "%"):
                    owned = owned or [x for x in r.refs(t, exclude) + r.owner(t, exclude) if _companyish(x)]
                if t.lower_ in ("shares", "stock") and t.pos_ == "NOUN":
                    owned = owned or [x for x in r.owner(t, exclude) if _companyish(x)]
            if not percents and not counts:
                return [], None
            return owned, (percents or counts)[0]
        return owned, percents[0] if percents else None
    return [], None


def _shareholder(r: _Reader, noun, span) -> list[tuple[Claim, str]]:
    """'X, Y's largest shareholder', 'X is Y's parent', 'Y's parent X', 'X, Y's original backer',
    'X is the largest shareholder in Y'."""
    def of_phrase(exclude=()):
        return [x for p in _preps(noun, ("in", "of")) for x in r.refs(p, exclude) if _companyish(x)]
    owners = r.owner(noun) or of_phrase()
    if not owners:
        return []
    held = _said_of(r, noun, owners)
    if held is None:  # "Y's largest shareholder, X"
        held = [x for c in noun.children if c.dep_ == "appos" for x in r.refs(c)], noun
    who, who_tok = held
    owners = r.owner(noun, [w.id for w in who]) or of_phrase([w.id for w in who])
    out = []
    lem = lemma(noun)
    for w in who:
        for o in owners:
            if lem in SUBSIDIARY_NOUNS:
                out.append((_claim("ownership", o, w, span), r.region(who_tok, noun)))
            elif lem in BACKER_NOUNS:
                out.append((_claim("investment", w, o, span), r.region(who_tok, noun)))
            else:
                out.append((_claim("ownership", w, o, span), r.region(who_tok, noun)))
    return out


def _roles(r: _Reader, span) -> list[tuple[Claim, str]]:
    out = []
    for tok in r.doc:
        people = [x for x in r.mention_refs(tok) if x.type == "person"] if r.ment_head.get(tok.i) == tok.i else []
        if people:
            # "SoftBank's Masayoshi Son": the organization's person
            for c in tok.children:
                if c.dep_ == "poss":
                    for o in r.mention_refs(c):
                        if o.type in ORG_TYPES:
                            out.extend((_claim("role", p, o, span, title=_title(r, tok)), r.region(c, tok))
                                       for p in people)
            # "Brad Vance, Nortova vice chair and president"
            for c in tok.children:
                if c.dep_ == "appos" and lemma(c) in TITLE_NOUNS:
                    orgs = [o for x in c.children if x.dep_ in ("compound", "poss")
                            for o in r.mention_refs(x) if o.type in ORG_TYPES]
                    orgs += [o for p in _preps(c, ("of", "at")) for o in r.refs(p) if o.type in ORG_TYPES]
                    title = _normal_title(" ".join(t.lower_ for t in c.subtree if t.i not in r.ment_of
                                                   and t.dep_ not in ("punct", "prep") and t.head.dep_ != "prep"))
                    for o in orgs:
                        out.extend((_claim("role", p, o, span, title=title.strip()), r.region(tok, c)) for p in people)
        if people and not any(c.dep_ == "poss" for c in tok.children):
            # "Chief Financial Officer Priya Natarajan said the company …": an officer's title with no
            # organization in the phrase is a title at the company the discourse is about
            start = min(m.start for m in r.ment_of[tok.i])
            title = _TITLE_BEFORE.search(r.text[max(0, start - 40):start])
            before = r.text[:max(0, start - 40) + title.start()] if title else ""
            if title and not re.search(r"(?:'s|’s|\bformer|\bex-|\bof|⟩)\s*$", before, re.I) and \
                    not _BODY_BEFORE_TITLE.search(before) and \
                    not any(j < tok.i and r.ment_head.get(j) == j and j >= tok.i - 6 and
                            any(_companyish(x) for x in r.mention_refs(r.doc[j])) for j in r.ment_of):
                from kb.claims.base import known_affiliation
                for p in people:
                    if known_affiliation(p) is None:
                        for org in (_main_subject_company(r, tok) or _officer_company(r, tok))[:1]:
                            if org.type in ORG_TYPES:
                                out.append((_claim("role", p, org, span, title=_normal_title(title.group(1))),
                                            r.region(tok)))
        if people:
            out.extend(_public_office(r, tok, people, span))
        if tok.pos_ == "NOUN" and lemma(tok) in DESCRIPTION_NOUNS and tok.tag_ == "NN":
            # "Charles Liang's company still builds …": the person runs the company they are known for
            for c in tok.children:
                if c.dep_ == "poss":
                    for p in [x for x in r.mention_refs(c) if x.type == "person"]:
                        org = r.affiliation(p)
                        if org is not None and org.type in ORG_TYPES:
                            out.append((_claim("role", p, org, span), r.region(c, tok)))
        if tok.pos_ == "VERB" and lemma(tok) == "tell" and \
                any(c.dep_ in ("dobj", "dative") and c.lower_ in ("analysts", "investors", "shareholders")
                    for c in tok.children):
            # "Michael Dell told analysts that …" in a passage about Dell: the executive speaking for it
            who = [x for c in tok.children if c.dep_ == "nsubj" for x in r.mention_refs(c) if x.type == "person"]
            focus = r.topic_before()
            for p in who:
                org = r.affiliation(p)
                if org is not None and focus is not None and org.id == focus.id:
                    out.append((_claim("role", p, org, span), r.region(tok)))
        if tok.pos_ == "VERB" and lemma(tok) in APPOINT_VERBS and not any(c.dep_ == "nsubjpass" for c in tok.children):
            # "X named Maria Lindqvist as chief executive": a person appointed to a title at the subject
            orgs, s_tok = r.subject(tok)
            orgs = [o for o in orgs if o.type in ORG_TYPES]
            people = [x for o in _objects(tok) for x in r.refs(o) if x.type == "person"]
            titles = [p for p in _preps(tok, ("as",)) if lemma(p) in TITLE_NOUNS] + \
                [o for o in tok.children if o.dep_ in ("oprd", "xcomp") and lemma(o) in TITLE_NOUNS]
            for o in _objects(tok):  # "appointed Maria Lindqvist chief financial officer" (one noun phrase)
                named = [x for c in o.children if c.dep_ in ("nmod", "compound", "appos") for x in r.refs(c)
                         if x.type == "person"]
                if lemma(o) in TITLE_NOUNS and named:
                    people, titles = people + named, titles + [o]
            if orgs and people and titles:
                title = _normal_title(" ".join(t.lower_ for t in titles[0].subtree if t.dep_ != "punct"
                                               and t.i not in r.ment_of))
                out.extend((_claim("role", p, o, span, title=title), r.region(s_tok, tok)) for p in people for o in orgs[:1])
        if tok.pos_ == "VERB" and lemma(tok) in ROLE_VERBS:
            who, s_tok = r.subject(tok)
            who = [w for w in who if w.type == "person"]
            if not who:
                continue
            for o in _objects(tok):
                for org in r.refs(o, [w.id for w in who]):
                    if org.type in ORG_TYPES | {"project"}:
                        out.extend((_claim("role", w, org, span, title=ROLE_VERBS[lemma(tok)]), r.region(s_tok, tok))
                                   for w in who)
    return [(c, reg) for c, reg in out if c.object is not None and c.object.type in OBJECT_TYPES["role"]]


# "board chair X", "council president X": the title of a public body's member, not of a company.
_BODY_BEFORE_TITLE = re.compile(r"\b(?:board|council|commission|committee|county|city|senate|assembly|parliament|"
                                r"legislature|cabinet|court|union|association|university)\s+(?:vice\s+)?$", re.I)


# "Ohio Gov. Mike DeWine", "Governor Jane Roe of Nevada", "Mayor Ana Ruiz": the elected head of a state or city.
_OFFICE_BEFORE = re.compile(r"\b(?:(lieutenant|lt\.)\s+)?(governor|gov\.|mayor)\s+$", re.I)
_OFFICE_TYPE = {"governor": "state", "gov.": "state", "mayor": "city"}


def _public_office(r: _Reader, tok, people: list[EntityRef], span) -> list[tuple[Claim, str]]:
    """'Texas Governor Ana Ruiz', 'Gov. Ana Ruiz of Texas', and a bare 'Gov. Ana Ruiz' in a story about one state
    (the latest state named): role person → state (a mayor → the city). A bare 'Governor' is not a state's
    (a fund's or a central bank's governor)."""
    start = min(m.start for m in r.ment_of[tok.i])
    before = r.text[max(0, start - 30):start]
    m = _OFFICE_BEFORE.search(before)
    if m is None:
        return []
    want = _OFFICE_TYPE[m.group(2).lower()]
    title = ("lieutenant governor" if m.group(1) else "governor") if want == "state" else "mayor"
    title_start = max(0, start - 30) + m.start()
    places: list[EntityRef] = []
    # the place written right before the title ("Texas Governor", "Iowa Gov."), one name
    for ment in r.sent.mentions:
        if ment.entity.type == want and re.fullmatch(r"(?:'s|’s)?\s*", r.text[ment.end:title_start]):
            places.append(ment.entity)
    # "… of Oregon" right after the name
    places += [x for p in _preps(tok, ("of",)) for x in r.refs(p) if x.type == want]
    if not places and want == "state" and m.group(2).lower() == "gov." and \
            not re.search(r"\b(?:former|ex-)\s*$", r.text[:title_start], re.I) and \
            not re.search(r"[A-Z][\w.&-]*\s*$", r.text[:title_start]):
        # a bare "Gov." (US news style for a state's governor), not after another name ("Bank of Japan Gov.")
        places = r.resolve(tok, "state")[:1] or _state_of_body_before(r, tok)
    if not places and want == "state" and m.group(2).lower() == "governor" and not m.group(1):
        # "The fund, which oversees $900 billion, has grown under Governor X": the governor of the sentence's
        # subject organization (a fund, a central bank), not of a state
        places = [o for o in _main_subject_company(r, tok) if o.type in ORG_TYPES]
    return [(_claim("role", p, pl, span, title=title), r.region(tok)) for p in people for pl in places[:1]]


def _state_of_body_before(r: _Reader, tok) -> list[EntityRef]:
    """The state whose public body was named latest before tok ("the Iowa Utilities Commission" is Iowa's)."""
    from kb.entities.gazetteer import Gazetteer
    for _, ref in r._named_before(tok.i):
        if ref.type in ("government", "organization"):
            found = [e for s, _, e in Gazetteer.load().find(ref.name) if s == 0 and e.type == "state"]
            if found:
                return [EntityRef(found[0].id, found[0].name, found[0].type)]
    return []


def _officer_company(r: _Reader, tok) -> list[EntityRef]:
    """The company of an officer written with a bare title: the latest subject company, unless the sentences
    just before were about the story company's customers ("A accounted for 28% of revenue. Chief Executive X
    confirmed …"): then the company the story is about."""
    latest = r.resolve(tok, "one")
    story = _story_company(r)
    if latest and story and latest[0].id != story[0].id and "customer" in r.disc.roles.get(latest[0].id, ()) and \
            "supplier" in r.disc.roles.get(story[0].id, ()) and r.disc.n - r.disc.spoke.get(latest[0].id, -99) > 1:
        # (a customer that itself just spoke, "A said it would use the capacity …", keeps its officer)
        return story
    return latest


def _story_company(r: _Reader) -> list[EntityRef]:
    """The company the article so far is about: the one most often the subject of its sentences (at least
    twice, and more often than any other), not merely the latest named ("Two customers dominate: A accounted for
    28% … Chief Executive X confirmed …" is X of the story's company, not of A)."""
    counts: dict[str, int] = {}
    refs: dict[str, EntityRef] = {}
    for n, group, strong in r.disc.subjects:
        for x in dict.fromkeys(x for x in group if _companyish(x)):
            if strong:
                counts[x.id] = counts.get(x.id, 0) + 1
                refs[x.id] = x
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] < 2 or len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        return []
    return [refs[ranked[0][0]]]


def _main_subject_company(r: _Reader, tok) -> list[EntityRef]:
    """The company the sentence is about before tok: its first subject outside a relative or adverbial clause
    ("A signed a lease with B, which will occupy …, company vice president X confirmed": A, not B)."""
    for j, group, _ in r.subj_at:
        if j >= tok.i:
            break
        t = r.doc[j]
        if any(a.dep_ in ("relcl", "acl", "advcl") for a in [t, *t.ancestors]):
            continue
        companies = [x for x in group if _companyish(x)]
        if companies:
            return companies[:1]
    return []


_TITLE_BEFORE = re.compile(
    r"(?i:\b(chief (?:executive|financial|operating|technology|commercial|revenue|product|people|legal|marketing)"
    r"(?: officer)?|ceo|cfo|coo|cto|president|chairman|chairwoman|chair|founder|co-founder|cofounder))\s+$")


def _normal_title(surface: str) -> str:
    """A title as kb.claims.en writes it (the role_titles table of the English patterns: chief executive → CEO)."""
    from kb.claims.base import load_patterns
    titles = load_patterns("en")["role_titles"]
    parts = re.split(r"\s*(?:\band\b|&|,)\s*", surface.strip().lower())
    return " and ".join(titles.get(p, p) for p in parts if p)


def _title(r: _Reader, person_tok) -> str:
    for c in person_tok.children:
        if c.dep_ == "compound" and lemma(c) in TITLE_NOUNS:
            return c.lower_
    return ""


def _statistics(r: _Reader, span) -> list[tuple[Claim, str]]:
    out = []
    for tok in r.doc:
        lem = lemma(tok)
        if tok.pos_ in ("VERB", "AUX") and lem in CHANGE_VERBS:
            out.extend(_change(r, tok, span))
        if tok.pos_ == "VERB" and lem in ADJUST_VERBS:
            out.extend(_adjusted(r, tok, span))
        elif tok.pos_ in ("VERB", "AUX") and _in_metric(tok) is not None and (
                tok.pos_ == "VERB" and lem in ADD_VERBS | YIELD_VERBS or lem in REPORT_VERBS | {"have", "had"} and
                any(a.unit == "money" for o in _objects(tok) for a in r.amounts(o))):
            # "X expects the deal to add more than $100 billion in revenue": X's revenue; "X had $58 billion in
            # revenue last year", "X posted $3 billion in sales"
            metric = _in_metric(tok)
            owners = []
            v = tok
            for _ in range(4):
                subj, s_tok = r.subject(v)
                owners = [x for x in subj if _companyish(x)]
                if owners or v.head.i == v.i:
                    break
                v = v.head
            for a in r.amounts(tok, ("money",))[:1]:
                out.extend((_claim("statistic", o, None, span, a, metric=_metric(metric)), r.region(tok, metric))
                           for o in owners[:1])
        elif tok.pos_ == "VERB" and lem in ADD_VERBS:
            for p in _preps(tok, ("to", "from")):
                if lemma(p) in METRIC_NOUNS:
                    owners = r.owner(p)
                    for a in r.amounts(tok, ("money", "percent")):
                        if a.start < p.idx:
                            out.extend((_claim("statistic", o, None, span, a, metric=_metric(p)),
                                        r.region(tok, p)) for o in owners[:1])
        elif tok.pos_ == "VERB" and lem in GIVE_VERBS:
            # "…, giving it a market value of $3.8 trillion": the recipient's figure
            recipients = [x for c in tok.children if c.dep_ in ("dative", "iobj") for x in r.refs(c) if _companyish(x)]
            for o in _objects(tok):
                if lemma(o) in METRIC_NOUNS:
                    amounts = [a for p in _preps(o, ("of",)) for a in r.amounts(p, ("money", "percent"))]
                    for a in amounts[:1]:
                        out.extend(_figure(x, a, o, span, r.region(tok, o)) for x in recipients[:1])
        elif tok.pos_ == "VERB" and lem in SEND_VERBS:
            # "the deal sent Kestrel shares up 24%"
            for o in _objects(tok):
                if lemma(o) in METRIC_NOUNS:
                    owners = [x for x in r.owner(o) if x.type in SUBJECT_TYPES["statistic"]]
                    for a in r.amounts(tok, ("percent", "money")):
                        out.extend((_claim("statistic", ow, None, span, a, metric=_metric(o) + " change"),
                                    r.region(tok, o)) for ow in owners[:1])
        elif tok.pos_ == "VERB" and lem in VALUE_VERBS and tok.tag_ == "VBN" and \
                any(c.dep_ == "nsubjpass" for c in tok.children):
            # "Kestrel is valued at $30 billion"
            subj, s_tok = r.subject(tok)
            for a in [a for p in _preps(tok, ("at",)) for a in r.amounts(p, ("money",))][:1]:
                out.extend((_claim("statistic", x, None, span, a, metric="valuation"), r.region(s_tok, tok))
                           for x in subj[:1] if _companyish(x))
        elif tok.pos_ == "VERB" and lem in VALUE_VERBS and (any(c.dep_ == "dobj" for c in tok.children)
                                                          or tok.tag_ == "VBG"):
            before = len(out)
            # "…, valuing the startup at $20 billion", "a round that values X at $5 billion": X's valuation
            for o in _objects(tok):
                owners = [x for x in r.refs(o, conj=False) if _companyish(x)]
                kind = r.anaphor_kind(o)
                if kind == "one" and _ANAPHOR_TEXT.match(" ".join(t.text for t in o.subtree)):
                    owners = [x for x in r.resolve(o, kind) if _companyish(x)]  # "…, valuing the startup at": the subject
                for a in [a for p in _preps(tok, ("at",)) for a in r.amounts(p, ("money",))][:1]:
                    out.extend((_claim("statistic", x, None, span, a, metric="valuation"), r.region(tok, o))
                               for x in owners[:1])
            if len(out) == before and tok.tag_ == "VBG":
                out.extend(_valuing(r, tok, span))
        elif tok.pos_ in ("VERB", "AUX") and (lem in REPORT_VERBS or lem == "have"):
            subj, s_tok = r.subject(tok)
            # "X guided for capital spending of about $80 billion": the guided figure
            guided = [p for p in _preps(tok, ("for",)) if lem == "guide" and (lemma(p) in METRIC_NOUNS or _is_capex(p))]
            for o in _objects(tok) + guided:
                if lemma(o) in CHANGE_NOUNS:
                    # "Kestrel reported a 30% rise in revenue (to $1.2 billion)"
                    for p in _preps(o, ("in",)):
                        if lemma(p) in METRIC_NOUNS:
                            owners = r.owner(p) or [x for x in subj if _companyish(x)]
                            for a in r.amounts(o, ("percent", "money")):
                                out.extend((_claim("statistic", ow, None, span, a, metric=_metric(p) + " change"
                                                   if a.unit == "percent" else _metric(p)), r.region(s_tok, o))
                                           for ow in owners[:1])
                if lemma(o) in METRIC_NOUNS or _is_capex(o):
                    owners = r.owner(o) or [x for x in subj if _companyish(x)]
                    if not owners and s_tok is not None and s_tok.lower_ in ("we", "i", "analysts"):
                        # an analyst's model ("we model capex of $35 billion"): the one company the sentence names
                        named = list(dict.fromkeys(m.entity for m in r.sent.mentions if _companyish(m.entity)))
                        owners = named if len(named) == 1 else []
                    amounts = [a for p in _preps(o, ("of",)) for a in r.amounts(p, ("money", "percent", "count"))]
                    amounts += [a for p in _preps(tok, ("at",)) for a in r.amounts(p, ("money", "percent"))]
                    amounts += [a for c in o.children if c.dep_ in ("nmod", "compound", "nummod") and c.i in r.amount_at
                                for a in [r.amount_at[c.i]]]
                    # "the ranges of $70 billion to $72 billion", "in the range of …"
                    amounts += [a for p in _preps(o, ("in",)) if lemma(p) == "range" for q in _preps(p, ("of",))
                                for a in r.amounts(q, ("money",))]
                    amounts = list(dict.fromkeys(amounts))
                    owners = list(dict.fromkeys(owners))
                    if len(owners) > 1 and len(amounts) == len(owners):
                        # "A, B and C reported capex of $X, $Y and $Z (respectively)": one figure each, in order
                        out.extend(_figure(ow, a, o, span, r.region(s_tok, o)) for ow, a in zip(owners, amounts))
                        continue
                    for a in amounts[:1]:
                        out.extend(_figure(ow, a, o, span, r.region(s_tok, o)) for ow in owners[:1])
                    if amounts:  # "reported net income of $12.8 billion, up 61% from a year earlier"
                        change = [a for c in [*tok.children, *o.children] if c.dep_ == "advmod"
                                  and c.lower_ in ("up", "down") for a in r.amounts(c, ("percent",))]
                        out.extend((_claim("statistic", ow, None, span, change[0], metric=_metric(o) + " change"),
                                    r.region(s_tok, o)) for ow in owners[:1] if change)
        if tok.pos_ in ("VERB", "AUX") and lem in OPERATE_VERBS:
            subj, s_tok = r.subject(tok)
            subj = [x for x in subj if _companyish(x)]
            for o in _objects(tok):
                a = r.amount_tokens.get(o.i)
                if a is not None and a.unit == "count" and lemma(o) in COUNTED_FACILITIES:
                    out.extend((_claim("statistic", s, None, span, a, metric=_metric(o)), r.region(s_tok, o))
                               for s in subj[:1])
        if tok.pos_ == "VERB" and lem in GROW_VERBS:
            out.extend(_capacity_to(r, tok, span))
        if tok.pos_ == "VERB" and tok.lower_ in ("employ", "employs", "employed", "employing"):
            out.extend(_headcount(r, tok, span))
        if tok.pos_ == "NOUN" and tok.dep_ in ("appos", "ROOT") and (lemma(tok) in METRIC_NOUNS or _is_capex(tok)):
            out.extend(_labelled_figure(r, tok, span))
        if tok.text == "%" and tok.dep_ == "dobj" and lemma(tok.head) in YIELD_VERBS | _words("make derive get earn"):
            out.extend(_share_of_own(r, tok, span))
        if tok.text == "%" and tok.dep_ == "dobj" and (lemma(tok.head) in _words("represent comprise constitute") or
                                                       lemma(tok.head) == "make" and
                                                       any(c.dep_ == "prt" and c.lower_ == "up" for c in tok.head.children)):
            out.extend(_part_of_whole(r, tok, span))
        if tok.text == "%" and tok.dep_ == "pobj" and lemma(tok.head.head) in ACCOUNT_VERBS:
            # "X accounted for 62% of its revenue": a statistic of the revenue's owner, who is not X
            verb = tok.head.head
            subj, s_tok = r.subject(verb)
            for p in _preps(tok, ("of",)):
                if lemma(p) == "total" and any(c.lower_ == "the" for c in p.children) and \
                        not any(_companyish(x) for x in subj) and r.amount_tokens.get(tok.i) is not None:
                    # "Cloud services accounted for 62% of the total": of the figure the story's company reported
                    out.extend((_claim("statistic", o, None, span, r.amount_tokens[tok.i], metric="share of total"),
                                r.region(verb, p)) for o in _sole_latest_subject(r, verb))
                if lemma(p) in METRIC_NOUNS:
                    owners = r.owner(p, [s.id for s in subj])
                    a = r.amount_tokens.get(tok.i)
                    if a is not None:
                        out.extend((_claim("statistic", o, None, span, a, metric="share of " + _metric(p)),
                                    r.region(s_tok, p)) for o in owners[:1])
    return out


def _capacity_to(r: _Reader, verb, span) -> list[tuple[Claim, str]]:
    """'…, lifting capacity to 20,000 wafers per month', 'will raise its output to 2 GW': the subject's capacity
    reaches the figure after 'to' (the figure after 'from' is where it was)."""
    objs = [o for o in _objects(verb) if lemma(o) in ("capacity", "output") or o.lower_ in ("capacity", "output")]
    if not objs:
        return []
    to = [p for t in [verb, *objs] for p in _preps(t, ("to",))]
    amounts = [a for p in to for a in r.amounts(p, ("count", "power"))]
    if not amounts:
        return []
    subj, s_tok = r.subject(verb)
    owners = [x for x in subj if _companyish(x)]
    owners = owners or [x for o in objs for x in r.owner(o) if _companyish(x)]
    return [(_claim("statistic", o, None, span, amounts[0], metric="capacity"), r.region(s_tok, verb))
            for o in owners[:1]]


WORKER_NOUNS = _words("worker workers employee employees people staff staffers person persons")


def _headcount(r: _Reader, verb, span) -> list[tuple[Claim, str]]:
    """'X employs about 4,000 people', 'At full capacity it would employ 900 workers', 'The plant will employ
    600 staff' (a site of the company the story is about): the employer's headcount statistic."""
    objs = [o for o in _objects(verb) if lemma(o) in WORKER_NOUNS or o.lower_ in WORKER_NOUNS]
    amounts = [a for o in objs for a in [r.amount_tokens.get(o.i), *r.amounts(o, ("count",))]
               if a is not None and a.unit == "count"]
    if not amounts:
        return []
    subj, s_tok = r.subject(verb)
    owners = [x for x in subj if _companyish(x)]
    if not subj and s_tok is not None and lemma(s_tok) in SITE_MEMORY_NOUNS | _words("project operation"):
        owners = [x for x in r.owner(s_tok) if _companyish(x)] or _sole_latest_subject(r, verb)
    return [(_claim("statistic", o, None, span, amounts[0], metric="employees"), r.region(s_tok, verb))
            for o in owners[:1]]


def _labelled_figure(r: _Reader, noun, span) -> list[tuple[Claim, str]]:
    """'Microsoft: capital expenditures of $34.9 billion' (a list item or a table row read as a sentence): the
    figure of the company that labels it, written first and followed by a colon or a dash."""
    label = next((m for m in r.sent.mentions if re.fullmatch(r"[\s\-*+•_\d.)]*", r.text[:m.start])
                  and re.match(r"[\s*_]*[:—–]", r.text[m.end:])), None)
    if label is None or label.end > noun.idx or any(t.pos_ in ("VERB", "AUX") for t in r.doc[:noun.i]):
        return []
    owners = [label.entity] if _companyish(label.entity) else []
    amounts = [a for p in _preps(noun, ("of", "at")) for a in r.amounts(p, ("money", "percent"))]
    return [_figure(owners[0], a, noun, span, r.region(noun)) for a in amounts[:1]] if owners else []


def _owned(metric_tok) -> bool:
    """Whether a metric is written with an owner (its revenue, the company's sales)."""
    return any(c.dep_ == "poss" for c in metric_tok.children)


def _in_metric(verb):
    """The metric of "$X in revenue" under a verb (on the verb or on the figure), if any."""
    for p in _vpreps(verb, ("in",)):
        if lemma(p) in METRIC_NOUNS:
            return p
    return None


def _is_capex(tok) -> bool:
    """Whether the phrase at tok names capital spending (capex, capital expenditures, capital spending)."""
    words = [t.lower_ for t in sorted(_walk(tok), key=lambda t: t.i) if t.pos_ in ("NOUN", "PROPN", "ADJ")]
    text = " ".join(words)
    return bool(re.search(r"\bcapex\b|\bcapital (?:expenditures?|spending|investment)", text))


def _figure(owner: EntityRef, amount, metric_tok, span, region: str, metric: str | None = None):
    """A company's figure: capital spending in money is an investment (kb's convention), anything else a statistic."""
    if amount.unit == "money" and _is_capex(metric_tok):
        return _claim("investment", owner, None, span, amount, purpose="capital expenditures"), region
    return _claim("statistic", owner, None, span, amount, metric=metric or _metric(metric_tok)), region


def _adjusted(r: _Reader, verb, span) -> list[tuple[Claim, str]]:
    """'X raised its capex forecast to $91 billion', 'X cut its revenue outlook to $5 billion'."""
    subj, s_tok = r.subject(verb)
    out = []
    for o in _objects(verb):
        if lemma(o) not in METRIC_NOUNS | FORECAST_NOUNS:
            continue
        if lemma(o) in FORECAST_NOUNS and not any(lemma(t) in METRIC_NOUNS or _is_capex(t) for t in _walk(o)):
            continue
        owners = [x for x in r.owner(o) or subj if _companyish(x)]
        amounts = [a for p in _vpreps(verb, ("to",)) for a in r.amounts(p, ("money", "percent"))]
        if not amounts:  # "raised its forecast to between $91 billion and $93 billion"
            amounts = [a for p in _vpreps(verb, ("to",)) for t in _walk(p, clauses=True) if t.i in r.amount_at
                       for a in [r.amount_at[t.i]]]
        for a in amounts[:1]:
            out.extend(_figure(ow, a, o, span, "forecast " + r.region(s_tok, verb, o)) for ow in owners[:1])
    return out


def _metric(tok) -> str:
    words = [c.lower_ for c in tok.children if c.dep_ in ("compound", "amod") and c.i < tok.i
             and c.pos_ in ("NOUN", "ADJ") and not c.like_num]
    return " ".join(words + [tok.lower_])


def _change(r: _Reader, verb, span) -> list[tuple[Claim, str]]:
    """'X's revenue rose 20% to $5 billion', 'the stock closed up 36% at $328.33', 'its backlog swelled to $Z'."""
    metric_tok = None
    if any(c.lower_ in REL_PRONOUNS for c in verb.children if c.dep_ == "dobj"):
        metric_tok = _relcl_anchor(verb)  # "X's revenue, which the company expects to reach $13 billion"
    v = verb
    subj_tok = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
    while metric_tok is None and subj_tok is None and v.dep_ in ("conj", "xcomp") and v.head.i != v.i:
        v = v.head
        subj_tok = next((c for c in v.children if c.dep_ in SUBJECT_DEPS), None)
    if metric_tok is None:
        metric_tok = subj_tok
        if subj_tok is not None and subj_tok.lower_ in REL_PRONOUNS and v.dep_ == "relcl":
            metric_tok = v.head
    if metric_tok is None or lemma(metric_tok) not in METRIC_NOUNS:
        return []
    owners = r.owner(metric_tok)
    for p in _preps(metric_tok, ("from", "of", "at")):
        owners = owners or [x for x in r.owner(p)] or [x for x in r.refs(p) if _companyish(x)]
    if not owners and lemma(metric_tok) in _words("stock share") and \
            any(c.lower_ in ("the", "its") for c in metric_tok.children):
        owners = r.resolve(metric_tok, "one")
    if not owners and v.dep_ == "ccomp" and lemma(v.head) in SPEECH_VERBS:
        # "Kestrel said revenue rose 30%": the speaker's revenue; "CFO Maria Lind said backlog stood at $9 billion":
        # the company the speaker is known (or was introduced) to work for
        speakers = r.subject(v.head)[0]
        owners = [x for x in speakers if _companyish(x)] or \
            [a for x in speakers if x.type == "person" for a in [r.affiliation(x)] if a is not None and _companyish(a)]
    if not owners:  # "free cash flow, which fell 30% at Kestrel Cloud"
        owners = [x for p in _preps(verb, ("at",)) for x in r.refs(p) if _companyish(x)]
    if not owners:  # "Azure revenue grew 40%": the brand's maker (en.yaml product_makers)
        owners = _brand_makers(r, [metric_tok], [])
    if not owners and _bare_company_metric(r, metric_tok, v):
        owners = _sole_latest_subject(r, metric_tok)  # "Revenue for the quarter climbed to $673 million"
    expected = v.dep_ in ("ccomp", "xcomp") and lemma(v.head) in EXPECT_VERBS and v.i > v.head.i
    if not owners and expected:
        # "The company expects revenue to grow 40%": the expecter's revenue; analysts' expectation of an
        # unowned metric ("global shipments to rise 28%") is a figure of no entity.
        expecters = r.subject(v.head)[0]
        owners = [x for x in expecters if _companyish(x)] or ([None] if not _owned(metric_tok) else [])
    owners = [o for o in owners if o is None or o.type in SUBJECT_TYPES["statistic"]]
    if not owners:
        return []
    if owners[0] is None:
        found = [a for a in r.amounts(verb, ("percent",))]
        return [(_claim("statistic", None, None, span, a, metric=_metric(metric_tok) + " change"),
                 "forecast " + r.region(metric_tok, verb)) for a in found[:1]]
    # the earlier value of a change ("fell to 40% from 43%", "up from $230 billion") is not the claim
    before = {id(a) for p in _vpreps(verb, ("from",)) for a in r.amounts(p)}
    before |= {id(a) for t in _walk(verb) if t.lower_ == "from" for p in t.children for a in r.amounts(p)}
    found = r.amounts(verb, ("money", "percent", "count"))
    amounts = [a for a in found if id(a) not in before]
    region = r.region(metric_tok, verb)
    if verb.dep_ in ("xcomp", "ccomp") and lemma(verb.head) in EXPECT_VERBS and verb.head.dep_ == "relcl":
        region = "forecast " + region  # "X's revenue, which the company expects to reach $13 billion": the aside
    out = [_figure(owners[0], a, metric_tok, span, region, _metric(metric_tok) +
                   (" change" if a.unit == "percent" and lemma(verb) not in _words("reach total") else ""))
           for a in amounts]
    for c, _ in out[:1]:  # nor may the word-order reading claim the earlier value
        c.details["_withheld"] = [(a.start, a.end) for a in found if id(a) in before]
    return out


def _part_of_whole(r: _Reader, pct, span) -> list[tuple[Claim, str]]:
    """'Its cloud products now make up about 42% of group revenue', 'Data-center products made up 82% of the
    total': a share of the whole's owner (the whole's own possessive, the part's, else the company the sentences
    before are about). A company as the part is a customer's share (_contracts), not this."""
    verb = pct.head
    a = r.amount_tokens.get(pct.i)
    if a is None:
        return []
    part = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
    if part is None and verb.dep_ == "acl":
        part = verb.head  # "Data-center products made up …" parsed as a noun with a participle
    if part is None or r.refs(part) or r.mention_refs(part):
        return []
    out = []
    for p in _preps(pct, ("of",)):
        if lemma(p) not in METRIC_NOUNS | {"total"}:
            continue
        owners = [x for x in r.owner(p) if _companyish(x)] or [x for x in r.owner(part) if _companyish(x)]
        if not owners and not r.owner(p) and not r.owner(part):
            owners = _sole_latest_subject(r, verb)
        metric = "share of total" if lemma(p) == "total" else "share of " + _metric(p)
        out.extend((_claim("statistic", o, None, span, a, metric=metric), r.region(part, p)) for o in owners[:1])
    return out


def _share_of_own(r: _Reader, pct, span) -> list[tuple[Claim, str]]:
    """'The company generates about 40% of its sales in the Americas': a share of the subject's own metric."""
    verb = pct.head
    subj, s_tok = r.subject(verb)
    subj = [x for x in subj if _companyish(x)]
    a = r.amount_tokens.get(pct.i)
    out = []
    for p in _preps(pct, ("of",)):
        owners = r.owner(p)
        if a is not None and lemma(p) in METRIC_NOUNS and owners and subj and owners[0].id == subj[0].id:
            out.append((_claim("statistic", owners[0], None, span, a, metric="share of " + _metric(p)),
                        r.region(s_tok, p)))
    return out


def _valuing(r: _Reader, verb, span) -> list[tuple[Claim, str]]:
    """'…, valuing the company at $9 billion' / 'a round valuing Kestrel at $9 billion': the valued company's
    valuation."""
    valued = [x for o in _objects(verb) for x in r.refs(o) if _companyish(x)]
    amounts = [a for p in _preps(verb, ("at",)) for a in r.amounts(p, ("money",))]
    if not amounts and verb.dep_ == "acl" and verb.head.dep_ in ("dobj", "pobj"):
        # the parser may hang "at $9 billion" on the verb of the round ("led a round valuing X at …")
        amounts = [a for p in _preps(verb.head.head, ("at",)) if p.i > verb.i for a in r.amounts(p, ("money",))]
    return [(_claim("statistic", x, None, span, a, metric="valuation"), r.region(verb)) for x in valued[:1]
            for a in amounts[:1]]


# A company's own figures; a bare one opening a sentence is the company the story is about.
OWN_METRIC_NOUNS = _words("revenue sale profit income loss earning ebitda margin backlog order booking turnover share stock")
# Modifiers of a bare figure that keep it the company's (its period or its kind), not a market's.
_OWN_METRIC_MODIFIERS = re.compile(r"(?i)(?:first|second|third|fourth|\w+-quarter|quarterly|annual|full-year|"
                                   r"half-year|fiscal|net|operating|total|adjusted|organic|gross|core|recurring|"
                                   r"annualized|group|quarter|year|half|months?|\d\w*)$")


def _bare_company_metric(r: _Reader, metric_tok, verb) -> bool:
    """metric_tok is the bare subject of the main clause ("Revenue for the fiscal first quarter climbed …",
    "Third-quarter revenue grew 310%"): no owner, no determiner, only period or kind modifiers, and no company
    named in the sentence outside an "according to" source."""
    if verb.dep_ != "ROOT" or lemma(metric_tok) not in OWN_METRIC_NOUNS or metric_tok.dep_ not in SUBJECT_DEPS:
        return False
    for c in metric_tok.children:
        if c.dep_ in ("det", "poss") or c.dep_ in ("amod", "compound", "nmod", "npadvmod") and \
                not all(_OWN_METRIC_MODIFIERS.match(w.text) for w in c.subtree if w.is_alpha or w.like_num):
            return False
        if c.dep_ == "prep" and c.lower_ not in ("for", "in", "during"):
            return False
    cited = re.compile(r"(?i)according\s+to\s+$")
    return not any(_companyish(m.entity) and not cited.search(r.text[max(0, m.start - 20):m.start])
                   for m in r.sent.mentions)


def _sole_latest_subject(r: _Reader, tok) -> list[EntityRef]:
    """The company the latest subject before tok names, when it names one alone ("Microsoft and Meta are
    committed …" names two: a bare figure after it is nobody's)."""
    for _, group in r._subjects_before(tok.i):
        companies = list(dict.fromkeys(x for x in group if _companyish(x)))
        if companies:
            return companies if len(companies) == 1 else []
    return []


def _partnerships(r: _Reader, span) -> list[tuple[Claim, str]]:
    out = []
    for tok in r.doc:
        lem = lemma(tok)
        if tok.pos_ == "NOUN" and lem in PARTNERSHIP_NOUNS:
            # "Stargate, the data center venture it formed with A and B": the former and the partners of the clause
            for rel in (c for c in tok.children if c.dep_ == "relcl" and lemma(c) in FORMING_VERBS and
                        not _objects(c) and _preps(c, ("with",))):
                who, s_tok = r.subject(rel)
                who = [w for w in who if _companyish(w)]
                who += [x for p in _preps(rel, ("with",)) for x in r.refs(p, [w.id for w in who]) if _companyish(x)]
                who = list(dict.fromkeys(who))
                kind = "joint_venture" if lem == "venture" else "partnership"
                out += [(_claim("partnership", a, b, span, kind=kind), r.region(s_tok, rel)) for i, a in enumerate(who)
                        for b in who[i + 1:]] if len(who) >= 2 and s_tok is not None else []
        if tok.pos_ == "NOUN" and lem in PARTNERSHIP_NOUNS and _preps(tok, ("with",)) and \
                any(c.dep_ == "poss" and c.lower_ not in ("their", "whose") for c in tok.children) and \
                not _negated_by_governor(tok) and lemma(tok.head) not in _words("end dissolve exit unwind"):
            # "Kestrel Photonics, its joint venture with B", "A's partnership with B covers …": the possessor's
            owners = [x for x in r.owner(tok) if _companyish(x)]
            others = [x for p in _preps(tok, ("with",)) for x in r.refs(p, [o.id for o in owners]) if _companyish(x)]
            kind = "joint_venture" if lem == "venture" else "partnership"
            out += [(_claim("partnership", a, b, span, kind=kind), r.region(tok)) for a in owners for b in others]
        if tok.pos_ == "NOUN" and lem in PARTNERSHIP_NOUNS - {"venture"}:
            poss = [c for c in tok.children if c.dep_ == "poss" and c.lower_ in ("their",)]
            if poss:
                parties = r.resolve(poss[0], "two")
                if len(parties) >= 2:
                    for i, a in enumerate(parties):
                        for b in parties[i + 1:]:
                            out.append((_claim("partnership", a, b, span, kind="partnership"), r.region(tok)))
        elif tok.pos_ == "NOUN" and lem == "venture" and tok.dep_ == "dobj" and lemma(tok.head) in JV_VERBS and \
                any(c.dep_ == "amod" and c.lower_ == "joint" for c in tok.children):
            # "A and B are weighing a joint venture to …", "A will form a joint venture with B"
            who, s_tok = r.subject(tok.head)
            if s_tok is None or s_tok.i not in r.ment_of or r.is_anaphor_mention(s_tok.i):
                continue  # "It agreed to form a joint venture with Y": the word-order finder reads who "it" is
            who = [w for w in who if _companyish(w)]
            who += [x for p in _vpreps(tok.head, ("with",)) for x in r.refs(p, [w.id for w in who]) if _companyish(x)]
            who = list(dict.fromkeys(who))
            for i, a in enumerate(who):
                for b in who[i + 1:]:
                    out.append((_claim("partnership", a, b, span, kind="joint_venture"), r.region(s_tok, tok.head, tok)))
        elif tok.pos_ == "VERB" and lem in SIGN_VERBS and _joint_purpose(tok):
            # "A and B signed a memorandum of understanding to jointly develop …", "A signed an agreement with B
            # to co-develop …": a partnership of the signers
            who, s_tok = r.subject(tok)
            who = [w for w in who if _companyish(w)]
            who += [x for p in _vpreps(tok, ("with",)) for x in r.refs(p, [w.id for w in who]) if _companyish(x)]
            who = list(dict.fromkeys(who))
            for i, a in enumerate(who):
                for b in who[i + 1:]:
                    out.append((_claim("partnership", a, b, span, kind="partnership", _joint=True),
                                r.region(s_tok, tok)))
        elif tok.pos_ == "VERB" and lem in (BUILD_VERBS | OPEN_VERBS | OPERATE_VERBS | MANUFACTURE_VERBS) - CODEVELOP_VERBS and \
                any(c.dep_ == "prep" and c.lower_ == "with" and any(a.dep_ == "advmod" and a.lower_ == "together"
                                                                    for a in c.children) for c in tok.children):
            # "a line that it plans to open in 2028 together with Y", "will build the plant together with Y"
            who, s_tok = r.subject(tok)
            who = [w for w in who if _companyish(w)]
            others = [x for p in _preps(tok, ("with",)) for x in r.refs(p, [w.id for w in who]) if _companyish(x)]
            out += [(_claim("partnership", a, b, span, kind="partnership"), r.region(s_tok, tok))
                    for a in who for b in dict.fromkeys(others)]
        elif tok.pos_ == "VERB" and lem in CODEVELOP_VERBS and _vpreps(tok, ("with",)):
            # "X is designing its own chips with Y", "the campus will be developed together with Y": joint work
            who, s_tok = r.subject(tok)
            passive = [c for c in tok.children if c.dep_ == "nsubjpass"]
            if passive:
                who, s_tok = [x for x in r.owner(passive[0]) if _companyish(x)] or r.site_owner(passive[0]), passive[0]
            who = [w for w in who if _companyish(w)]
            others = [x for p in _vpreps(tok, ("with",)) if p.i in r.ment_of and  # not "with Y in mind"
                      not any(lemma(q) == "mind" for q in _preps(p, ("in",)) + _preps(tok, ("in",)))
                      for x in r.refs(p, [w.id for w in who]) if _companyish(x)]
            for a in who:
                for b in dict.fromkeys(others):
                    out.append((_claim("partnership", a, b, span, kind="partnership"), r.region(s_tok, tok)))
        elif tok.pos_ == "VERB" and lem in PARTNER_VERBS:
            who, s_tok = r.subject(tok)
            others = [x for p in _preps(tok, ("with",)) for x in r.refs(p, [w.id for w in who])]
            if lem == "team" and not any(c.lower_ == "up" for c in tok.children):
                continue
            others = [o for o in others if _companyish(o)]  # "working with regulators" is no partnership
            for a in who:
                for b in others:
                    out.append((_claim("partnership", a, b, span, kind="partnership"), r.region(s_tok, tok)))
            if not others and any(c.dep_ == "advmod" and c.lower_ == "together" for c in tok.children):
                # "The two firms have worked together since 2019", "A and B will collaborate together"
                who = [w for w in who if _companyish(w)]
                for i, a in enumerate(who):
                    for b in who[i + 1:]:
                        out.append((_claim("partnership", a, b, span, kind="partnership"), r.region(s_tok, tok)))
    return out


def _joint_purpose(verb) -> bool:
    """Whether a signed document's purpose is joint work: 'signed an MOU to jointly develop', 'to co-develop'."""
    if not any(c.dep_ in ("dobj", "attr") and lemma(c) in CONTRACT_NOUNS | _words("memorandum mou")
               for c in verb.children):
        return False
    clauses = [c for t in [verb, *_objects(verb)] for c in t.children if c.dep_ in ("advcl", "acl", "xcomp", "relcl")
               and c.pos_ == "VERB" and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)]
    return any(_JOINT_VERB.match(verb.doc.text, c.idx) or
               any(a.dep_ == "advmod" and a.lower_ in ("jointly", "together") for a in c.children) for c in clauses)


_JOINT_VERB = re.compile(r"(?i)co-?(?:develop|design|invest|operate)|collaborat|cooperat|partner")


def fold_article(claims: list[Claim]) -> list[Claim]:
    """An article's claims without the figure-less repeats of a claim it states with a figure elsewhere
    ("OpenAI agreed to buy $300 billion of compute from Oracle" … "OpenAI signed the contract with Oracle"):
    the tracker keys claims by their figure, so the repeat would stand as a second, emptier claim. Likewise a
    stake's share count when the article also gives its percentage."""
    def key(c: Claim) -> tuple:
        pair = (c.subject.id if c.subject else "", c.object.id if c.object else "")
        if c.type in ("contract", "partnership"):
            pair = tuple(sorted(pair))
        return (c.type, pair, c.polarity, str(c.details.get("metric", "")) if c.type == "statistic" else "")
    figured = {key(c) for c in claims if c.amount is not None}
    # A stake given as a share count in one sentence and as a percentage in another is one stake.
    pct = {key(c) for c in claims if c.type == "ownership" and c.amount is not None and c.amount.unit == "percent"}
    return [c for c in claims if (c.amount is not None or key(c) not in figured or c.type == "statistic")
            and not (c.type == "ownership" and c.amount is not None and c.amount.unit == "count" and key(c) in pct)]


# "The agreement is valued at more than $1 billion", "The deal is worth about $3 billion": a sentence that gives
# the figure of the deal the sentence before told of.
_DEAL_FIGURE_RE = re.compile(r"\s*(?:The|That|This)\s+(?:[\w-]+\s+)?(?:agreement|deal|contract|order|pact)\s+"
                             r"(?:is|was|would\s+be|will\s+be|could\s+be)\s+(?:valued\s+at|worth)\s+")


def deal_figure(sent: Sentence):
    """The money figure a sentence opening "The agreement is valued at $Z" gives its deal, or None."""
    m = _DEAL_FIGURE_RE.match(sent.text)
    if not m:
        return None
    return next((a for a in sent.amounts if a.unit == "money" and m.end() - 1 <= a.start <= m.end() + 20), None)


def combine(regex: list[tuple[Claim, str]], parsed: list[tuple[Claim, str]]) -> list[tuple[Claim, str]]:
    """Claims of both readers of one sentence. Where both read one figure into the same type, the parse's
    roles win (it sees through relative clauses and pronouns the word-order patterns cannot); the
    word-order claim's details (purpose, horizon, title …) complete the parse's when they agree on who."""
    withheld = {span for c, _ in parsed for span in c.details.pop("_withheld", ())}
    withheld |= {(c.amount.start, c.amount.end) for c, _ in parsed if c.type == "_veto"}
    # "signed an agreement with Y to co-develop …": a partnership, not also a contract of the same pair
    joint = {frozenset((c.subject.id, c.object.id)) for c, _ in parsed if c.details.pop("_joint", False)}
    regex = [(c, region) for c, region in regex if not (c.type == "contract" and c.object is not None and
                                                        frozenset((c.subject.id, c.object.id)) in joint)]
    parsed = [(c, region) for c, region in parsed if c.type != "_veto"]
    paired = {x.id for c, _ in parsed if c.details.pop("_respectively", False) for x in (c.subject, c.object)}
    by_figure: dict[tuple, list[Claim]] = {}
    for c, _ in parsed:
        if c.amount is not None:
            by_figure.setdefault((c.type, c.amount.start, c.amount.end), []).append(c)
    figures = {(c.amount.start, c.amount.end) for c, _ in parsed if c.amount is not None and c.type != "statistic"}
    used = {(c.amount.start, c.amount.end) for c, _ in parsed if c.amount is not None}
    out = list(parsed)
    for c, region in regex:
        if c.amount is not None and (c.amount.start, c.amount.end) in withheld:
            continue  # "Together, A, B and C plan to spend $350 billion": nobody's figure alone
        twins = by_figure.get((c.type, c.amount.start, c.amount.end), []) if c.amount is not None else []
        if twins:
            for t in twins:
                if t.subject == c.subject and t.object == c.object or c.object is None:
                    t.details = {**t.details, **c.details}
            continue
        if c.type == "statistic" and c.amount is not None and (c.amount.start, c.amount.end) in figures:
            continue
        if c.type in ("investment", "contract", "statistic") and c.amount is not None and \
                (c.amount.start, c.amount.end) in used:
            continue  # the parse read this figure as a claim of another type
        if c.type == "contract" and c.object is not None and any(
                t.type == "contract" and t.object is not None and t.subject == c.object and t.object == c.subject
                for t, _ in parsed):
            continue  # the parse read the pair the other way round (or as pairs "respectively"): its roles win
        if c.type == "contract" and c.object is not None and {c.subject.id, c.object.id} <= paired:
            continue  # "A and B signed deals with C and D, respectively": not A with D
        same = [t for t, _ in parsed if t.type == c.type and t.subject == c.subject and t.object == c.object]
        if same:
            for t in same:
                t.details = {**t.details, **c.details}
            if c.amount is None or any(t.amount is not None for t in same):
                continue
        out.append((c, region))
    return out
