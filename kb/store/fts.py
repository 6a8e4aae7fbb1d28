"""Full-text search that works for Japanese: every CJK character is its own FTS token.

SQLite's unicode61 tokenizer treats a run of kana/kanji as one token, so a search for a word inside
it finds nothing, and the trigram tokenizer ignores queries shorter than three characters. We index
`search_text`, where CJK characters are separated by spaces, and turn a user's query into FTS5 phrase
queries of those characters: a phrase of consecutive characters is an exact substring match, for
queries of any length (工場, AI, ウィスコンシン州 …).

A claim's search text holds its summary, the names of its subject and object (canonical name, Japanese
name, every alias seen in the texts and every gazetteer alias: ホンハイ, 鴻海, Foxconn and Hon Hai all
find Hon Hai's claims) and its evidence quotes (工場 finds the claims an article states with 工場).
`refresh_claim_search_text` keeps it current as aliases are seen.

The user's query language (`parse_query`): words and "quoted phrases" must all occur; `OR` between
alternatives; `-word` or `NOT word` leaves out; brackets group. Mistakes (an unclosed quote, a bracket,
`AND` alone) raise `SearchQueryError` with a hint for the user, never an SQL error.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from typing import Iterable

from kb.entities import normalize_name
from kb.entities.gazetteer import Gazetteer

_CJK = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\u3005\u30fc"
_CJK_RE = re.compile(f"([{_CJK}])")
_WORD_RE = re.compile(r'[^\s"()]+')
OPERATORS = ("OR", "AND", "NOT")
# Names an alias-expanded term may stand for (an entity with hundreds of spellings is not a search).
MAX_EXPANSIONS = 40


class SearchQueryError(ValueError):
    """A search query the user has to fix; `str(error)` says what is wrong and how to write it."""


def fts_text(text: str) -> str:
    """Text for the FTS column: NFKC, CJK characters spaced out, other words kept."""
    t = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", " ", _CJK_RE.sub(r" \1 ", t)).strip()


def term_tokens(term: str) -> list[str]:
    """The FTS tokens of one word or phrase (CJK characters one by one, other words whole)."""
    return [t for t in re.split(r"[^\w]+", fts_text(term)) if t]


def _phrase(term: str) -> str:
    return '"' + " ".join(term_tokens(term)).replace('"', '""') + '"'


@dataclass(frozen=True)
class Term:
    text: str  # the user's word or phrase, NFKC-normalized
    quoted: bool = False


@dataclass(frozen=True)
class Node:
    op: str  # "or", "and"
    items: tuple  # of Node | Term
    exclude: tuple = ()  # of Node | Term (NOT …), for "and"


def parse_query(query: str) -> Node | Term:
    """The user's query as a tree of Terms, `and` and `or` nodes; SearchQueryError on a mistake."""
    text = unicodedata.normalize("NFKC", query or "").strip()
    tokens = _tokens(text)
    parser = _Parser(tokens)
    tree = parser.parse_or()
    if parser.pos < len(tokens):  # only a stray ")" stops the parser early
        raise SearchQueryError("There is a ) without a matching (. Remove it, or open the group first: "
                               "(鴻海 OR Foxconn) 工場.")
    tree = _prune(tree)
    if tree is None:
        raise SearchQueryError("Nothing to search for: type a word (工場, Nvidia), a \"quoted phrase\", "
                               "or alternatives with OR (鴻海 OR Nvidia).")
    return tree


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        if text[pos].isspace():
            pos += 1
            continue
        if text[pos] == '"':
            end = text.find('"', pos + 1)
            if end < 0:
                raise SearchQueryError('The quote mark " is not closed. Put a phrase between two quote marks '
                                       '("AI servers"), or leave the quote mark out.')
            out.append(("phrase", text[pos + 1:end]))
            pos = end + 1
            continue
        if text[pos] in "()":
            out.append((text[pos], text[pos]))
            pos += 1
            continue
        m = _WORD_RE.match(text, pos)
        word = m.group(0)
        out.append(("op", word) if word in OPERATORS else ("word", word))
        pos = m.end()
    return out


class _Parser:
    def __init__(self, tokens):
        self.tokens, self.pos = tokens, 0

    def peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else (None, None)

    def parse_or(self):
        items = [self.parse_and()]
        while self.peek() == ("op", "OR"):
            self.pos += 1
            items.append(self.parse_and(after="OR"))
        return items[0] if len(items) == 1 else Node("or", tuple(items))

    def parse_and(self, after=None):
        items, exclude = [], []
        while True:
            kind, value = self.peek()
            if kind is None or kind == ")" or (kind == "op" and value == "OR"):
                break
            if kind == "op" and value == "AND":
                self.pos += 1
                if not items and not exclude:
                    raise _operand_error("AND")
                if self.peek()[0] in (None, ")") or self.peek()[0] == "op" and self.peek()[1] != "NOT":
                    raise _operand_error("AND")
                continue
            negate = False
            if kind == "op" and value == "NOT":
                self.pos += 1
                if self.peek()[0] in (None, ")", "op"):
                    raise SearchQueryError("NOT needs a word after it, e.g. 工場 NOT 熊本.")
                negate = True
                kind, value = self.peek()
            elif kind == "word" and value.startswith("-") and len(value) > 1:
                negate, value = True, value[1:]
            (exclude if negate else items).append(self.parse_atom(kind, value))
        if not items and not exclude:
            if after or self.peek() == ("op", "OR"):
                raise _operand_error("OR")
            return None
        if not items:
            raise SearchQueryError("Say what to search for before leaving words out, e.g. 工場 NOT 熊本 or "
                                   "工場 -熊本.")
        return Node("and", tuple(items), tuple(exclude)) if len(items) > 1 or exclude else items[0]

    def parse_atom(self, kind, value):
        self.pos += 1
        if kind == "(":
            inner = self.parse_or()
            if self.peek()[0] != ")":
                raise SearchQueryError("The bracket ( is not closed. Close it — (鴻海 OR Foxconn) 工場 — or leave "
                                       "it out.")
            self.pos += 1
            if inner is None:
                raise SearchQueryError("The brackets () are empty: put words between them, e.g. (鴻海 OR Foxconn).")
            return inner
        return Term(value, quoted=kind == "phrase")


def _operand_error(op: str) -> SearchQueryError:
    example = "鴻海 OR Nvidia" if op == "OR" else "鴻海 AND 工場 (words separated by spaces must all occur anyway)"
    return SearchQueryError(f"{op} needs a word on each side, e.g. {example}. To search for the word itself, "
                            f"quote it: \"{op}\".")


def _prune(node):
    """Drop terms without searchable characters (punctuation only) and the groups they empty."""
    if node is None:
        return None
    if isinstance(node, Term):
        return node if term_tokens(node.text) else None
    items = tuple(x for x in (_prune(i) for i in node.items) if x is not None)
    exclude = tuple(x for x in (_prune(i) for i in node.exclude) if x is not None)
    if not items:
        return None
    if len(items) == 1 and not exclude:
        return items[0]
    return Node(node.op, items, exclude)


def query_terms(tree) -> list[str]:
    """The positive terms of a parsed query (what the results are marked with), in order."""
    if tree is None:
        return []
    if isinstance(tree, Term):
        return [tree.text]
    return [t for item in tree.items for t in query_terms(item)]


def fts_match(tree, expansions: dict[str, list[str]] | None = None) -> str:
    """The FTS5 MATCH expression of a parsed query; a term listed in `expansions` also matches any of
    its names (an entity's aliases)."""
    expansions = expansions or {}
    if isinstance(tree, Term):
        alternatives = [tree.text] + [n for n in expansions.get(tree.text, []) if term_tokens(n)]
        phrases = list(dict.fromkeys(_phrase(a) for a in alternatives))
        return phrases[0] if len(phrases) == 1 else "(" + " OR ".join(phrases) + ")"
    if tree.op == "or":
        return "(" + " OR ".join(fts_match(i, expansions) for i in tree.items) + ")"
    text = " AND ".join(fts_match(i, expansions) for i in tree.items)
    if tree.exclude:
        text = "(" + text + ")" + "".join(" NOT " + fts_match(i, expansions) for i in tree.exclude)
    return "(" + text + ")"


def fts_query(query: str) -> str:
    """An FTS5 MATCH expression for a user query (SearchQueryError when it cannot be read)."""
    return fts_match(parse_query(query))


def all_terms(tree) -> list[str]:
    """Every term of a parsed query, excluded ones too (the ones alias expansion looks up)."""
    if tree is None:
        return []
    if isinstance(tree, Term):
        return [tree.text]
    return [t for item in tree.items + tree.exclude for t in all_terms(item)]


# ---- the claims' search text ----------------------------------------------------------------------

def _gazetteer_names(entity_id):
    return " ".join(_gazetteer_aliases(entity_id)) if entity_id else ""


def register_search_functions(conn: sqlite3.Connection) -> None:
    """SQL functions the claim search text is computed with (kb_fts_text, kb_gazetteer_names)."""
    conn.create_function("kb_fts_text", 1, lambda s: fts_text(s or ""), deterministic=True)
    conn.create_function("kb_gazetteer_names", 1, _gazetteer_names, deterministic=True)


# The search text of claims row `claims`: summary, its subject's and object's names and aliases, its quotes.
CLAIM_SEARCH_TEXT_SQL = """kb_fts_text(coalesce(claims.summary, '') || ' ' || coalesce((
    SELECT group_concat(n, ' ') FROM (
        SELECT n FROM (
            SELECT e.name AS n FROM entities e WHERE e.id IN (claims.subject_id, claims.object_id)
            UNION SELECT e.name_ja FROM entities e WHERE e.id IN (claims.subject_id, claims.object_id)
            UNION SELECT a.alias FROM entity_aliases a WHERE a.entity_id IN (claims.subject_id, claims.object_id))
        WHERE n IS NOT NULL ORDER BY n)), '')
    || ' ' || kb_gazetteer_names(claims.subject_id) || ' ' || kb_gazetteer_names(claims.object_id)
    || ' ' || coalesce((SELECT group_concat(q, ' ') FROM (
        SELECT DISTINCT quote AS q FROM claim_evidence WHERE claim_id = claims.id ORDER BY q)), ''))"""
# Every claim's search text (the migration for knowledge bases indexed before names were searchable).
REFRESH_ALL_CLAIMS_SEARCH_SQL = (f"UPDATE claims SET search_text = {CLAIM_SEARCH_TEXT_SQL} "
                                 f"WHERE search_text IS NOT {CLAIM_SEARCH_TEXT_SQL}")


def refresh_claim_search_text(db, claim_ids: Iterable[str] = (), entity_ids: Iterable[str] = ()) -> None:
    """Recompute the search text of the given claims and of every claim whose subject or object is one of
    `entity_ids` (pass the entities whose names or aliases changed); unchanged rows are not written."""
    conn = db.conn if hasattr(db, "conn") else db
    register_search_functions(conn)
    claim_ids, entity_ids = sorted(set(claim_ids)), sorted(set(entity_ids))
    for i in range(0, len(claim_ids), 400):
        chunk = claim_ids[i:i + 400]
        conn.execute(f"UPDATE claims SET search_text = {CLAIM_SEARCH_TEXT_SQL} WHERE id IN "
                     f"({','.join('?' * len(chunk))}) AND search_text IS NOT {CLAIM_SEARCH_TEXT_SQL}", chunk)
    for i in range(0, len(entity_ids), 200):
        chunk = entity_ids[i:i + 200]
        marks = ",".join("?" * len(chunk))
        conn.execute(f"UPDATE claims SET search_text = {CLAIM_SEARCH_TEXT_SQL} WHERE (subject_id IN ({marks}) "
                     f"OR object_id IN ({marks})) AND search_text IS NOT {CLAIM_SEARCH_TEXT_SQL}", chunk + chunk)


def entity_names_state(db, entity_ids: Iterable[str]) -> dict[str, tuple]:
    """(name, name_ja, sorted aliases) of the given entities, to see afterwards whose names changed (a
    change in mention counts alone is none)."""
    ids = sorted(set(entity_ids))
    state: dict[str, tuple] = {}
    for i in range(0, len(ids), 400):
        chunk = ids[i:i + 400]
        marks = ",".join("?" * len(chunk))
        aliases: dict[str, list[str]] = {}
        for entity_id, alias in db.execute(f"SELECT entity_id, alias FROM entity_aliases WHERE entity_id IN "
                                           f"({marks}) ORDER BY entity_id, alias", chunk).fetchall():
            aliases.setdefault(entity_id, []).append(alias)
        for row in db.execute(f"SELECT id, name, name_ja FROM entities WHERE id IN ({marks})", chunk).fetchall():
            state[row[0]] = (row[1], row[2], tuple(aliases.get(row[0], ())))
    return state


def changed_entities(db, before: dict[str, tuple]) -> set[str]:
    """The entities of `before` (entity_names_state) whose names or aliases are different now."""
    after = entity_names_state(db, before)
    return {i for i, names in before.items() if after.get(i) != names}


# ---- alias expansion ------------------------------------------------------------------------------

def alias_expansions(conn, terms: Iterable[str]) -> dict[str, list[str]]:
    """term -> the names and aliases of every entity (stored, or in the gazetteer) one of whose names or
    aliases is that term (compared normalized, as entity lookups are), for the terms that name one."""
    out: dict[str, list[str]] = {}
    for term in dict.fromkeys(terms):
        key = normalize_name(term)
        if not key:
            continue
        ids = [r[0] for r in conn.execute(
            "SELECT DISTINCT entity_id FROM entity_aliases WHERE normalized = ? "
            "UNION SELECT id FROM entities WHERE name = ? OR name_ja = ? LIMIT 5", [key, term, term]).fetchall()]
        ids += [e.id for e in Gazetteer.load().lookup_all(term)[:5] if e.id not in ids]
        names: list[str] = []
        for eid in ids:
            rows = conn.execute("SELECT name, name_ja FROM entities WHERE id = ?", [eid]).fetchall()
            for name, name_ja in rows:
                names += [name, name_ja]
            names += [r[0] for r in conn.execute(
                "SELECT alias FROM entity_aliases WHERE entity_id = ? ORDER BY mentions DESC, alias", [eid])]
            names += _gazetteer_aliases(eid)
        names = [n for n in dict.fromkeys(n for n in names if n) if normalize_name(n) != key]
        if names:
            out[term] = names[:MAX_EXPANSIONS]
    return out


def _gazetteer_aliases(entity_id: str) -> list[str]:
    entry = Gazetteer.load().get(entity_id)
    return list(entry.aliases) if entry else []


def search_match(conn, tree) -> tuple[str, list[str]]:
    """The FTS5 expression of a parsed query with entity names expanded (a word or phrase that is an
    entity's name or alias also finds its other names; so do several plain words that together are one,
    `Hon Hai`), and the terms to mark in the results."""
    if isinstance(tree, Node) and tree.op == "and" and not tree.exclude and len(tree.items) <= 6 \
            and all(isinstance(t, Term) and not t.quoted for t in tree.items):
        whole = Term(" ".join(t.text for t in tree.items), quoted=True)
        if alias_expansions(conn, [whole.text]):
            tree = Node("or", (tree, whole))
    expansions = alias_expansions(conn, all_terms(tree))
    terms = query_terms(tree)
    return fts_match(tree, expansions), terms + [n for t in terms for n in expansions.get(t, [])]
