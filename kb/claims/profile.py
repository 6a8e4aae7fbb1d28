"""Company profiles: the fact sheet a press release ends with (会社概要, "About X" lists).

A profile is a line naming one company (**株式会社X**, "Company: X", 会社名：X) followed by "key：value" lines.
Its keys are a closed class, so they are read here rather than by the sentence finders, which see no verb:

- figures (売上高：312億円, 従業員数：約1,100名, 資本金, "Revenue: $280 million") are statistics of the company;
- 代表者：代表取締役社長 X (and "CEO: X") is the person's role at the company;
- 出資比率：A51％、B49％ / 株主 gives each holder its stake in the company.

A key line that is not under a company's name line, or a name line followed by prose, yields nothing.
"""

from __future__ import annotations

import re
import unicodedata

from kb.amounts import Amount, find_amounts
from kb.claims.base import make_claim, shift_amount
from kb.claims.ja import normalize_title
from kb.entities import resolve_mention
from kb.entities.names import normalize_name
from kb.records import Claim, EntityRef, Mention
from kb.segment import Passage

# key (NFKC, lower case) -> the statistic's metric; the metric words kb.claims.ja_stats uses for the same figures
_FIGURE_KEYS = {
    "売上高": "売上高", "売上収益": "売上高", "営業収益": "売上高", "連結売上高": "売上高", "売上": "売上高",
    "営業利益": "営業利益", "純利益": "純利益", "当期純利益": "純利益", "資本金": "資本金",
    "従業員数": "従業員数", "社員数": "従業員数", "従業員": "従業員数", "社員": "従業員数",
    "revenue": "revenue", "revenues": "revenue", "sales": "revenue", "net sales": "revenue",
    "employees": "employees", "headcount": "employees", "number of employees": "employees",
}
_ROLE_KEYS = {"代表者", "代表", "代表取締役", "社長", "ceo", "president", "chief executive", "chief executive officer"}
_STAKE_KEYS = {"出資比率", "株主", "主要株主", "大株主", "株主構成", "出資者", "shareholders", "ownership"}
_NAME_KEYS = {"会社名", "社名", "商号", "名称", "company", "company name", "name"}

_KEY_LINE = re.compile(r"^\s*(?:[-*・•●■]\s*)?\**([^：:\n]{1,20}?)\**\s*[：:]\s*(.+?)\s*$")
_MARKUP = re.compile(r"[*#■□●◆【】\[\]\s　]")
_TRAILING_NOTE = re.compile(r"[（(][^（）()]{0,12}[）)]$")  # （設立予定）, (formerly X)
_TITLE = re.compile(r"(代表取締役(?:社長|会長)?(?:兼)?(?:CEO|COO|社長)?|取締役社長|社長|会長|CEO|President|"
                    r"Chief Executive(?: Officer)?)", re.I)
_PERSON_NAME = re.compile(r"[\u4e00-\u9fff々]{1,4}[ 　]?[\u4e00-\u9fff々\u3041-\u3096\u30a1-\u30fa]{1,4}"
                          r"|[A-Z][a-zà-ÿ'-]+(?: [A-Z][a-zà-ÿ'.-]+){1,2}")
_COUNT = re.compile(r"約?\s*(\d[\d,]*)\s*(?:名|人|people|employees)?")


def _key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower()


def _plain(text: str) -> str:
    """A name line's or mention's text without markup, a short trailing bracket and legal forms."""
    return normalize_name(_TRAILING_NOTE.sub("", _MARKUP.sub("", unicodedata.normalize("NFKC", text))))


def profile_claims(text: str, passages: list[Passage], mentions: list[Mention]) -> tuple[list[Claim], set[int]]:
    """The claims of the article's company profiles, and the indexes of the passages they were read from
    (what the sentence finders made of those lines is replaced). The company of a key line is the line above
    its block of key lines, read from the article text (a repeated name line is no passage of its own)."""
    out: list[Claim] = []
    read: set[int] = set()
    known: dict[str, EntityRef] = {}
    for m in mentions:
        if m.entity is not None and m.entity.type == "company":
            for form in (m.text, m.entity.name):
                if form and _plain(form):
                    known.setdefault(_plain(form), m.entity)
    for p in passages:
        hit = _KEY_LINE.match(p.text)
        if not hit or "\n" in p.text:
            continue
        key = _key(hit.group(1))
        company = _block_company(text, p.start, known)
        if company is None:
            continue
        claims = _key_claims(key, hit.group(2), p.start + hit.start(2), p, company, mentions)
        if claims is not None:
            read.add(p.idx)
            for c in claims:
                c.passage_idx = p.idx
            out.extend(claims)
    return out, read


def _named_in(value: str, value_start: int, p: Passage, mentions: list[Mention]) -> list[Mention]:
    """The entities a key line's value names: its mentions, and names of people and companies the article
    names elsewhere written here again (the tagger often misses a name in a terse list line)."""
    found = [m for m in mentions if value_start <= m.start and m.end <= p.end and m.entity is not None]
    forms: dict[str, EntityRef] = {}
    for m in mentions:
        if m.entity is not None and m.entity.type in ("company", "person", "organization") and len(m.text) >= 2:
            forms.setdefault(m.text, m.entity)
    for form in sorted(forms, key=len, reverse=True):
        for hit in re.finditer(re.escape(form), value):
            s, e = value_start + hit.start(), value_start + hit.end()
            if not any(m.start < e and s < m.end for m in found):
                found.append(Mention(s, e, form, forms[form].type, forms[form], "alias", p.idx))
    return sorted(found, key=lambda m: m.start)


def _block_company(text: str, start: int, known: dict[str, EntityRef]) -> EntityRef | None:
    """The company named by the line above a block of key lines (or by its 会社名/Company key line)."""
    lines = text[:start].split("\n")[:-1]
    for line in reversed(lines[-20:]):
        if not line.strip():
            return None  # a blank line ends the block: a profile's lines follow its name line directly
        hit = _KEY_LINE.match(line)
        if hit and _key(hit.group(1)) in _NAME_KEYS:
            return known.get(_plain(hit.group(2)))
        if hit:
            continue
        plain = _plain(line)
        return known.get(plain) if plain else None
    return None


def _key_claims(key: str, value: str, value_start: int, p: Passage, company: EntityRef,
                mentions: list[Mention]) -> list[Claim] | None:
    """Claims of one key line (article offsets); None when the key is not one a profile states facts with."""
    span = (value_start, p.end)
    if key in _FIGURE_KEYS:
        metric = _FIGURE_KEYS[key]
        amounts = [a for a in find_amounts(value) if a.unit in ("money", "count")]
        if not amounts and metric in ("従業員数", "employees") and (n := _COUNT.match(value)):
            number = float(n.group(1).replace(",", ""))
            amounts = [Amount(number, number, None, "count", None, value.lstrip().startswith("約"), None,
                              n.group(0).strip(), n.start(1), n.end())]
        if not amounts:
            return []
        amount = shift_amount(amounts[0], value_start)
        return [make_claim("statistic", company, None, span, amount=amount, details={"metric": metric})]
    people = _named_in(value, value_start, p, mentions)
    if key in _ROLE_KEYS:
        persons = [m.entity for m in people if m.entity.type == "person"]
        title = _TITLE.search(value)
        if not persons:
            # the line is the title and a name, nothing else: the name is a person's even where the tagger
            # missed it (a name written with a space between family and given name: 山岸 学)
            rest = value[title.end():] if title else value
            if _PERSON_NAME.fullmatch(rest.strip()):
                r = resolve_mention(rest.strip(), "人名")
                if r is not None and r.id and r.type == "person":
                    persons = [EntityRef(r.id, r.name, r.type)]
        if not persons:
            return []
        name = title.group(1) if title else ("CEO" if key == "ceo" else "代表者")
        return [make_claim("role", persons[0], company, span, details={"title": normalize_title(name)})]
    if key in _STAKE_KEYS:
        claims = []
        holders = [m for m in people if m.entity.type in ("company", "organization", "government", "person")
                   and m.entity.id != company.id]
        for k, m in enumerate(holders):
            stop = holders[k + 1].start if k + 1 < len(holders) else p.end
            rel = p.text[m.end - p.start:stop - p.start]
            share = [a for a in find_amounts(rel) if a.unit == "percent"]
            if share:
                amount = shift_amount(share[0], m.end)
                claims.append(make_claim("ownership", m.entity, company, (m.start, amount.end), amount=amount))
        return claims
    return None
