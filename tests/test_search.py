"""One search over claims (summary, quotes, every name of subject and object) and passages; tables, canned
queries and the home page of the workbench (Datasette test client on a fixture database, and on the
fixture articles ingested for real)."""

from __future__ import annotations

import re
import sqlite3
from urllib.parse import parse_qs, urlparse

import pytest
import sqlite_utils

from kb.store import open_db
from kb.store.fts import (SearchQueryError, fts_query, fts_text, parse_query, query_terms,
                          refresh_claim_search_text)
from kb.web.queryfiles import load_queries
from kb.web.serve import make_datasette
from test_datasette import build_fixture_db

FOXCONN_CLAIMS = {"c-fox-wi", "c-fox-oh", "c-fox-oai"}


def build_search_db(path):
    """The workbench fixture plus: ホンハイ seen as a spelling of Foxconn, a gazetteer company (Hon Hai, whose
    gazetteer aliases were never seen in a text) and a per-year investment."""
    build_fixture_db(path)
    db = open_db(path)
    db["entity_aliases"].insert({"entity_id": "foxconn", "alias": "ホンハイ", "normalized": "ホンハイ", "mentions": 1})
    db.execute("UPDATE entities SET aliases = ? WHERE id = 'foxconn'",
               ['["Foxconn", "鴻海精密工業", "鴻海", "Hon Hai", "ホンハイ"]'])
    db["entities"].insert({"id": "company:hon-hai", "name": "Hon Hai Precision Industry", "type": "company",
                           "aliases": "[]", "in_gazetteer": 1})
    db["claims"].insert({"id": "c-hh-yearly", "type": "investment", "summary": "Hon Hai Precision Industry — "
                         "investment — $2–3 billion a year", "subject_id": "company:hon-hai", "amount_min": 2e9,
                         "amount_max": 3e9, "currency": "USD", "period": "year", "amount_usd": 2.5e9,
                         "modality": "planned", "polarity": "affirmed", "sources": 1, "evidence_count": 1,
                         "first_seen": "2025-11-24", "last_seen": "2025-11-24",
                         "search_text": fts_text("Hon Hai Precision Industry")})
    refresh_claim_search_text(db, ["c-hh-yearly"], ["foxconn"])
    db.close()
    return path


@pytest.fixture
def fixture_db(tmp_path):
    return build_search_db(tmp_path / "kb.db")


@pytest.fixture
def ds(fixture_db):
    return make_datasette(fixture_db)


# ---- the query language ---------------------------------------------------------------------------

@pytest.mark.parametrize("query,expected", [
    ("工場", '"工 場"'),
    ("鴻海 OR Nvidia", '("鴻 海" OR "Nvidia")'),
    ('"AI servers" 工場', '("AI servers" AND "工 場")'),
    ("(鴻海 OR Foxconn) 工場 -熊本", '((("鴻 海" OR "Foxconn") AND "工 場") NOT "熊 本")'),
    ("工場 NOT 熊本", '(("工 場") NOT "熊 本")'),
    ("鴻海 AND 工場", '("鴻 海" AND "工 場")'),
    ('"AND"', '"AND"'),  # the word itself, quoted
    ("AI-servers ＡＩ", '("AI servers" AND "AI")'),
    ("工場 !!", '"工 場"'),  # punctuation alone is nothing to search for
])
def test_query_language(query, expected):
    assert fts_query(query) == expected


@pytest.mark.parametrize("query,hint", [
    ('"', 'The quote mark " is not closed'),
    ('"AI servers', 'The quote mark " is not closed'),
    ("(", "The bracket ( is not closed"),
    ("(鴻海 OR Foxconn", "The bracket ( is not closed"),
    (")", "without a matching ("),
    ("AND", "AND needs a word on each side"),
    ("工場 AND", "AND needs a word on each side"),
    ("OR 工場", "OR needs a word on each side"),
    ("工場 OR", "OR needs a word on each side"),
    ("()", "The brackets () are empty"),
    ("NOT 熊本", "before leaving words out"),
    ("-熊本", "before leaving words out"),
    ("!!", "Nothing to search for"),
])
def test_query_mistakes_get_a_hint(query, hint):
    with pytest.raises(SearchQueryError, match=re.escape(hint)):
        parse_query(query)


def test_query_terms_are_the_users_words():
    assert query_terms(parse_query('(鴻海 OR Foxconn) "AI servers" -熊本')) == ["鴻海", "Foxconn", "AI servers"]


# ---- the search page ------------------------------------------------------------------------------

async def _search(ds, q, **params):
    r = await ds.client.get("/-/kb/search", params={"q": q, **params})
    claims = re.findall(r'<div class="kb-hit kb-claim-hit"><a href="/-/kb/claim/([^"]+)"', r.text)
    passages = re.findall(r'<div class="kb-hit kb-passage-hit"><a href="/-/kb/article/([^"?]+)', r.text)
    return r, claims, passages


def _counts(html):
    m = re.search(r"(\d+) claims? and (\d+) passages? match", html)
    return int(m.group(1)), int(m.group(2))


@pytest.mark.parametrize("q", ["ホンハイ", "鴻海", "Foxconn", "Hon Hai", "鴻海精密工業"])
async def test_every_name_finds_the_companys_claims(ds, q):
    r, claims, _ = await _search(ds, q)
    assert r.status_code == 200
    assert FOXCONN_CLAIMS <= set(claims), (q, claims)
    assert "c-sb-30" not in claims and "c-tsmc-kuma" not in claims


async def test_gazetteer_aliases_never_seen_find_claims(ds):
    # フォックスコン and Foxconn Technology Group are gazetteer names of Hon Hai, in no stored text or alias.
    for q in ("フォックスコン", '"Foxconn Technology Group"'):
        _, claims, _ = await _search(ds, q)
        assert "c-hh-yearly" in claims, q


async def test_alias_expansion_finds_passages_in_the_other_script(ds):
    _, _, passages = await _search(ds, "Hon Hai")
    assert {"a-ja", "a-en", "a-xss"} <= set(passages)  # 鴻海精密工業…, Foxconn said…


async def test_japanese_substring_and_the_users_words_shown(ds):
    r, claims, passages = await _search(ds, "工場")
    assert "c-tsmc-kuma" in claims and "c-fox-wi" in claims  # by summary; by its quote 新工場
    assert passages == ["a-ja", "a-ja"]
    assert "<mark" in r.text and "工 場" not in r.text
    assert "match <q>工場</q>" in r.text


async def test_or_and_phrase_and_exclusion(ds):
    _, either, _ = await _search(ds, "TSMC OR NVIDIA")
    assert {"c-tsmc-kuma", "c-nv-500"} <= set(either)
    _, phrase, _ = await _search(ds, '"AI server racks"')
    assert phrase == ["c-fox-wi"]
    _, without, _ = await _search(ds, "Foxconn -Ohio")
    assert "c-fox-oh" not in without and "c-fox-wi" in without


@pytest.mark.parametrize("q,hint", [('"', "quote mark"), ("(", "bracket"), ("AND", "AND needs a word"),
                                    ("OR", "OR needs a word")])
async def test_mistakes_answered_politely(ds, q, hint):
    r, claims, passages = await _search(ds, q)
    assert r.status_code == 400
    assert hint in r.text and "Cannot search for" in r.text
    assert "SQL" not in r.text and "fts5" not in r.text.lower() and "syntax error" not in r.text
    assert claims == passages == []
    assert f'name="q" value="{q.replace(chr(34), "&#34;")}"' in r.text  # the box keeps the words to fix


async def test_entity_names_link_to_their_profile(ds):
    r, _, _ = await _search(ds, "Foxconn")
    assert '<a class="kb-entity" href="/-/kb/entity/foxconn">Foxconn</a>' in r.text
    r, _, _ = await _search(ds, "フォックスコン")
    assert 'href="/-/kb/entity/company~3Ahon-hai"' in r.text
    assert "$2–3 billion a year" in r.text  # amounts as people read them


async def test_paging_counts_equal_the_rows_listed(ds):
    for q in ("Foxconn", "OpenAI", "工場 OR Wisconsin"):
        r, _, _ = await _search(ds, q)
        n_claims, n_passages = _counts(r.text)
        for table, total in (("claims", n_claims), ("passages", n_passages)):
            seen, url = [], f"/-/kb/search?q={q}&size=1"
            while url:
                page = await ds.client.get(url.replace("&amp;", "&"))
                assert page.status_code == 200
                assert _counts(page.text) == (n_claims, n_passages)
                kind = "claim" if table == "claims" else "passage"
                seen += re.findall(rf'<div class="kb-hit kb-{kind}-hit"><a href="([^"]+)"', page.text)
                nxt = re.search(rf'<p class="kb-pager" data-table="{table}">[^\n]*?<a href="([^"]+)" rel="next"',
                                page.text)
                url = nxt.group(1) if nxt else None
                assert len(seen) <= total
            assert len(seen) == total and len(set(seen)) == len(seen), (q, table)


async def test_paging_past_the_end_and_bad_page_numbers(ds):
    r, claims, _ = await _search(ds, "Foxconn", size="2", claims_page="99")
    assert r.status_code == 200 and len(claims) == 2 and 'rel="prev"' in r.text  # the last page
    r, claims, _ = await _search(ds, "Foxconn", size="abc", claims_page="-3")
    assert r.status_code == 200 and claims


# ---- table pages ----------------------------------------------------------------------------------

async def test_table_search_behaves_like_the_search_page(ds):
    for q in ("ホンハイ", "鴻海 OR TSMC", '"AI server racks"', "フォックスコン"):
        _, claims, _ = await _search(ds, q)
        r = await ds.client.get("/kb/claims.json", params={"_search": q, "_shape": "objects", "_size": "max"})
        assert r.status_code == 200, r.text
        assert {row["id"] for row in r.json()["rows"]} == set(claims), q


async def test_table_search_mistakes(ds):
    r = await ds.client.get("/kb/claims.json", params={"_search": '"'})
    assert r.status_code == 400 and "quote mark" in r.json()["error"]
    r = await ds.client.get("/kb/claims", params={"_search": '"'})
    assert r.status_code == 200 and "0 rows" in r.text and "quote mark" in r.text
    assert "syntax error" not in r.text and "Invalid SQL" not in r.text


async def test_table_search_pages_keep_the_search(ds):
    r = await ds.client.get("/kb/passages", params={"_search": "Foxconn OR 鴻海", "_size": "2"})
    assert 'search matches &#34;Foxconn OR 鴻海&#34;' in r.text and 'value="Foxconn OR 鴻海"' in r.text
    total = int(re.search(r"<h3>(\d+) rows", r.text).group(1))
    seen = []
    for _ in range(total + 1):
        seen += re.findall(r'<td class="col-id type-pk"><a href="/kb/passages/([^"]+)"', r.text)
        nxt = re.search(r'href="([^"]*_next=[^"]*)">Next page', r.text)
        if not nxt:
            break
        args = parse_qs(urlparse(nxt.group(1).replace("&amp;", "&")).query)
        assert args["_kbq"] == ["Foxconn OR 鴻海"] and "_search" not in args
        r = await ds.client.get("/kb/passages", params={k: v[0] for k, v in args.items()})
    assert len(seen) == total == len(set(seen)) and total >= 4


async def test_claims_table_default_columns(ds):
    r = await ds.client.get("/kb/claims")
    headers = re.findall(r'<th [^>]*data-column="([^"]+)"', r.text)
    assert headers == ["id", "type", "summary", "subject_id", "object_id", "amount_usd", "modality", "sources",
                       "first_seen", "last_seen"]
    for internal in ("base_key", "search_text", "investment_id"):
        assert f'class="col-{internal}' not in r.text
    assert re.search(r'data-column="subject_id"[^>]*>\s*subject\s*</th>', r.text)  # header labels
    assert re.search(r'data-column="amount_usd"[^>]*>\s*<a [^>]*>amount</a>', r.text)  # sorts by amount_usd
    assert '<span class="kb-amount">$30 billion</span>' in r.text
    assert '<span class="kb-amount">up to $500 billion</span>' in r.text
    assert "1400000000000.0" not in r.text and "30000000000.0" not in r.text
    # still queryable: asked for, internal columns are shown; the JSON keeps every raw value
    r = await ds.client.get("/kb/claims", params={"_col": "base_key"})
    assert 'data-column="base_key"' in r.text
    r = await ds.client.get("/kb/claims.json", params={"_shape": "objects", "id": "c-sb-30"})
    row = r.json()["rows"][0]
    assert row["amount_usd"] == 3e10 and row["search_text"] and "base_key" in row


async def test_article_text_cut_with_a_link(ds):
    long_text = "工場" * 2000
    db = sqlite_utils.Database(str(ds.databases["kb"].path))
    db.execute("UPDATE articles SET text = ? WHERE id = 'a-ja'", [long_text])
    db.conn.commit()
    r = await ds.client.get("/kb/articles")
    assert long_text not in r.text and "(4,000 characters)" in r.text
    assert '<a href="/-/kb/article/a-ja" title="the whole article">' in r.text
    assert r.text.count("工場") < 200  # 120 of its 2,000 shown
    r = await ds.client.get("/kb/articles.json", params={"_shape": "objects", "id": "a-ja"})
    assert r.json()["rows"][0]["text"] == long_text


async def test_column_descriptions_folded(ds):
    r = await ds.client.get("/kb/claims")
    assert 'class="column-descriptions"' in r.text and "kb-column-descriptions" in r.text  # folded by script


# ---- canned queries and the home page ------------------------------------------------------------

async def test_query_parameters_validated(ds):
    for path in ("/kb/investments_by_amount", "/kb/investments_by_amount.json"):
        r = await ds.client.get(path, params={"min_usd": "abc"})
        assert r.status_code == 400 and "min_usd must be a number" in r.text
    r = await ds.client.get("/kb/most_corroborated.json", params={"type": "nonsense"})
    assert r.status_code == 400 and "type must be one of investment" in r.json()["error"]
    r = await ds.client.get("/kb/investments_by_amount.json", params={"min_usd": " 1e10 ", "_shape": "objects"})
    assert r.status_code == 200 and [x["claim_id"] for x in r.json()["rows"]] == ["c-nv-500", "c-sb-30", "c-sb-22"]


async def test_investments_ranked_by_basis_one_row_per_claim(ds):
    r = await ds.client.get("/kb/investments_by_amount.json", params={"_shape": "objects"})
    rows = r.json()["rows"]
    assert [(x["claim_id"], x["basis"]) for x in rows] == [
        ("c-nv-500", "total"), ("c-sb-30", "total"), ("c-sb-22", "total"), ("c-hh-yearly", "per year")]
    totals = [x["amount_usd"] for x in rows if x["basis"] == "total"]
    assert totals == sorted(totals, reverse=True)
    r = await ds.client.get("/kb/investments_by_amount.json", params={"_shape": "objects", "basis": "year"})
    assert [x["claim_id"] for x in r.json()["rows"]] == ["c-hh-yearly"]
    r = await ds.client.get("/kb/investments_by_amount")
    assert "$2–3 billion a year" in r.text and "up to $500 billion" in r.text
    assert "500000000000.0" not in r.text


async def test_home_page_lists_queries_and_a_search_box(ds):
    r = await ds.client.get("/")
    assert r.status_code == 200
    assert 'action="/-/kb/search"' in r.text
    queries = await ds.get_canned_queries("kb", None)
    assert queries and set(queries) <= set(load_queries())
    for name, query in queries.items():
        assert f'<a href="/kb/{name}">{query["title"]}</a>' in r.text
        assert query["description"].split()[0] in r.text
    assert "canned queries below" not in r.text


# ---- keeping the claims' search text current ------------------------------------------------------

def test_migration_indexes_names_of_older_knowledge_bases(fixture_db):
    conn = sqlite3.connect(str(fixture_db))
    conn.execute("UPDATE claims SET search_text = ?", ["x"])  # as indexed before (no names)
    conn.execute("DELETE FROM schema_migrations WHERE name = 'claim search text covers entity names and aliases'")
    conn.commit()
    assert conn.execute("SELECT count(*) FROM claims_fts WHERE claims_fts MATCH '\"ホ ン ハ イ\"'").fetchone()[0] == 0
    conn.close()
    open_db(fixture_db).close()
    conn = sqlite3.connect(str(fixture_db))
    found = {r[0] for r in conn.execute("SELECT c.id FROM claims_fts f JOIN claims c ON c.rowid = f.rowid "
                                        "WHERE claims_fts MATCH '\"ホ ン ハ イ\"'")}
    assert found == FOXCONN_CLAIMS | {"c-hh-yearly"}  # ホンハイ: seen for Foxconn, a gazetteer name of Hon Hai


def test_new_alias_refreshes_only_that_entitys_claims(fixture_db):
    db = open_db(fixture_db)
    before = {r["id"]: r["search_text"] for r in db.query("SELECT id, search_text FROM claims")}
    db["entity_aliases"].insert({"entity_id": "tsmc", "alias": "台積電", "normalized": "台積電", "mentions": 1})
    refresh_claim_search_text(db, entity_ids=["tsmc"])
    after = {r["id"]: r["search_text"] for r in db.query("SELECT id, search_text FROM claims")}
    assert {i for i in before if before[i] != after[i]} == {"c-tsmc-kuma"}
    assert "台 積 電" in after["c-tsmc-kuma"]
    db.close()


async def test_ingested_articles_found_by_every_name(ingested_fixtures):
    path, _ = ingested_fixtures
    conn = sqlite3.connect(str(path))
    hon_hai = {r[0] for r in conn.execute(
        "SELECT id FROM claims WHERE 'company:hon-hai' IN (subject_id, object_id)")}
    conn.close()
    assert hon_hai, "the fixture articles hold Hon Hai claims"
    ds = make_datasette(path)
    for q in ("ホンハイ", "鴻海", "Foxconn", "Hon Hai"):
        r = await ds.client.get("/-/kb/search", params={"q": q, "size": "100"})
        found = set(re.findall(r'<div class="kb-hit kb-claim-hit"><a href="/-/kb/claim/([^"]+)"', r.text))
        assert hon_hai <= found, (q, hon_hai - found)
