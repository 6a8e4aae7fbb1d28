"""The Datasette workbench: metadata, Japanese table search, canned queries, graph/claim/article pages."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from kb.web.display import format_amount, format_number
from kb.entities import normalize_name
from kb.web.graphdata import choose_entity, entity_neighbourhood, suggest_entities
from kb.web.queryfiles import QueryFileError, load_queries, load_query, queries_dir
from kb.web.searchrewrite import is_search_table_path, rewrite_search_args
from kb.web.textmarks import mark_segments, parse_ranges, query_terms, snippet, term_ranges
from kb.store import open_db
from kb.store.fts import fts_text, refresh_claim_search_text
from kb.web.serve import SETTINGS, build_metadata, make_datasette

XSS_TITLE = "<script>alert(1)</script>"
XSS_ENTITY = "<img src=x onerror=alert(3)>Evil Corp"
XSS_SUMMARY = "<script>alert(4)</script> partners with OpenAI"

ARTICLES = [
    {"id": "a-en", "title": "Foxconn expands AI server output in Wisconsin and Ohio", "published": "2025-11-21",
     "lang": "en", "tags": ["foxconn", "ai-servers"],
     "text": "Foxconn said it will build AI server racks in Wisconsin.\n\n"
             "The company also plans a new plant in Ohio, according to OpenAI.\n\n"
             "SoftBank will invest $30 billion in OpenAI."},
    {"id": "a-ja", "title": "鴻海、米国でAIサーバーの新工場", "published": "2025-11-22", "lang": "ja",
     "tags": ["鴻海"],
     "text": "鴻海精密工業はウィスコンシン州の新工場でAIサーバーを生産する。\n\n"
             "ソフトバンクはOpenAIに225億ドルを出資する。\n\n"
             "熊本県ではTSMCが第2工場を建設している。"},
    {"id": "a-xss", "title": XSS_TITLE, "published": "2025-11-23", "lang": "en", "tags": [],
     "text": "<img src=x onerror=alert(2)> Foxconn and OpenAI signed a partnership.\n\n"
             "NVIDIA will invest up to $500 billion in US AI infrastructure."},
    {"id": "a-dup", "title": "Foxconn expands AI server output (repost)", "published": "2025-11-24", "lang": "en",
     "tags": [], "text": "Foxconn said it will build AI server racks in Wisconsin."},
]
ENTITIES = [
    {"id": "foxconn", "name": "Foxconn", "type": "company", "name_ja": "鴻海",
     "aliases": ["Foxconn", "鴻海精密工業", "鴻海", "Hon Hai"]},
    {"id": "openai", "name": "OpenAI", "type": "company", "aliases": ["OpenAI"]},
    {"id": "softbank", "name": "SoftBank", "type": "company", "name_ja": "ソフトバンク",
     "aliases": ["SoftBank", "ソフトバンク"]},
    {"id": "tsmc", "name": "TSMC", "type": "company", "aliases": ["TSMC"]},
    {"id": "nvidia", "name": "NVIDIA", "type": "company", "aliases": ["NVIDIA"]},
    {"id": "us-wi", "name": "Wisconsin", "type": "state", "name_ja": "ウィスコンシン州", "usps": "WI", "fips": "55",
     "country": "US", "latitude": 44.5, "longitude": -89.5, "aliases": ["Wisconsin", "ウィスコンシン州"]},
    {"id": "us-oh", "name": "Ohio", "type": "state", "usps": "OH", "fips": "39", "country": "US",
     "latitude": 40.4, "longitude": -82.9, "aliases": ["Ohio"]},
    {"id": "jp-43", "name": "Kumamoto", "type": "state", "name_ja": "熊本県", "iso": "JP-43", "country": "JP",
     "latitude": 32.8, "longitude": 130.7, "aliases": ["熊本県"]},
    {"id": "evil-corp", "name": XSS_ENTITY, "type": "company", "aliases": [XSS_ENTITY]},
]
# (claim id, type, subject, object, summary, extra columns, [(article id, quote)])
CLAIMS = [
    ("c-fox-wi", "manufacturing", "foxconn", "us-wi", "Foxconn manufactures AI servers in Wisconsin", {},
     [("a-en", "Foxconn said it will build AI server racks in Wisconsin"),
      ("a-ja", "鴻海精密工業はウィスコンシン州の新工場でAIサーバーを生産する")]),
    ("c-fox-oh", "manufacturing", "foxconn", "us-oh", "Foxconn plans a plant in Ohio",
     {"modality": "planned", "attributed_to_id": "openai"},
     [("a-en", "The company also plans a new plant in Ohio")]),
    ("c-sb-30", "investment", "softbank", "openai", "SoftBank invests $30 billion in OpenAI",
     {"amount_min": 3e10, "amount_max": 3e10, "currency": "USD", "amount_usd": 3e10, "conflicts": 1},
     [("a-en", "SoftBank will invest $30 billion in OpenAI")]),
    ("c-sb-22", "investment", "softbank", "openai", "ソフトバンクがOpenAIに225億ドル出資",
     {"amount_min": 2.25e10, "amount_max": 2.25e10, "currency": "USD", "amount_usd": 2.25e10, "conflicts": 1},
     [("a-ja", "ソフトバンクはOpenAIに225億ドルを出資する")]),
    ("c-tsmc-kuma", "manufacturing", "tsmc", "jp-43", "TSMCが熊本県で第2工場を建設", {},
     [("a-ja", "熊本県ではTSMCが第2工場を建設している")]),
    ("c-fox-oai", "partnership", "foxconn", "openai", "Foxconn and OpenAI partner", {},
     [("a-xss", "Foxconn and OpenAI signed a partnership")]),
    ("c-nv-500", "investment", "nvidia", None, "NVIDIA invests up to $500 billion in US AI infrastructure",
     {"amount_max": 5e11, "currency": "USD", "amount_usd": 5e11, "bound": "upper", "modality": "planned"},
     [("a-xss", "NVIDIA will invest up to $500 billion in US AI infrastructure")]),
    ("c-evil", "partnership", "evil-corp", "openai", XSS_SUMMARY, {},
     [("a-xss", "<img src=x onerror=alert(2)>")]),
]
# (article, entity, surface text): mentions, placed at the first occurrence in the article text
MENTIONS = [
    ("a-en", "foxconn", "Foxconn"), ("a-en", "us-wi", "Wisconsin"), ("a-en", "us-oh", "Ohio"),
    ("a-en", "openai", "OpenAI"), ("a-en", "softbank", "SoftBank"),
    ("a-ja", "foxconn", "鴻海精密工業"), ("a-ja", "us-wi", "ウィスコンシン州"), ("a-ja", "softbank", "ソフトバンク"),
    ("a-ja", "openai", "OpenAI"), ("a-ja", "jp-43", "熊本県"), ("a-ja", "tsmc", "TSMC"),
    ("a-xss", "evil-corp", "<img src=x onerror=alert(2)>"), ("a-xss", "foxconn", "Foxconn"),
    ("a-xss", "openai", "OpenAI"), ("a-xss", "nvidia", "NVIDIA"), ("a-dup", "foxconn", "Foxconn"),
]


def build_fixture_db(path: Path) -> Path:
    """A small kb database written row by row (no NLP): four articles, nine entities, eight claims."""
    db = open_db(path)
    passages = {}
    for art in ARTICLES:
        db["articles"].insert({
            "id": art["id"], "source_key": art["id"], "source_path": f"fixtures/{art['id']}.md",
            "title": art["title"], "published": art["published"], "lang": art["lang"],
            "tags": json.dumps(art["tags"], ensure_ascii=False), "text": art["text"], "content_hash": art["id"],
            "chars": len(art["text"]), "chunks": 1, "passages": 0, "duplicate_passages": 0})
        pos = 0
        for idx, chunk in enumerate(art["text"].split("\n\n")):
            start = art["text"].index(chunk, pos)
            pos = start + len(chunk)
            pid = f"{art['id']}-{idx:05d}"
            dup = "a-en-00000" if art["id"] == "a-dup" else None
            db["passages"].insert({
                "id": pid, "article_id": art["id"], "idx": idx, "start": start, "end": pos, "paragraph": idx,
                "kind": "paragraph", "text": chunk, "norm_hash": chunk, "text_hash": chunk, "duplicate_of": dup,
                "duplicate_kind": "other-article" if dup else None, "search_text": fts_text(chunk)})
            passages[pid] = (art["id"], start, pos)
    texts = {a["id"]: a["text"] for a in ARTICLES}

    def passage_of(article_id, start):
        return next(pid for pid, (aid, s, e) in passages.items() if aid == article_id and s <= start < e)

    for ent in ENTITIES:
        row = {k: v for k, v in ent.items() if k != "aliases"}
        row["aliases"] = json.dumps(ent["aliases"], ensure_ascii=False)
        row["in_gazetteer"] = 1
        db["entities"].insert(row)
        for alias in ent["aliases"]:
            db["entity_aliases"].insert({"entity_id": ent["id"], "alias": alias,
                                         "normalized": normalize_name(alias), "mentions": 1})
    for i, (aid, eid, surface) in enumerate(MENTIONS):
        start = texts[aid].index(surface)
        db["mentions"].insert({"id": f"m{i}", "article_id": aid, "passage_id": passage_of(aid, start),
                               "entity_id": eid, "start": start, "end": start + len(surface), "text": surface,
                               "label": "ORG", "source": "gazetteer" if i % 3 else "ner"})
    dates = {a["id"]: a["published"] for a in ARTICLES}
    for cid, ctype, subj, obj, summary, extra, quotes in CLAIMS:
        seen = sorted(dates[aid] for aid, _ in quotes)
        db["claims"].insert({
            "id": cid, "type": ctype, "summary": summary, "subject_id": subj, "object_id": obj,
            "modality": "asserted", "polarity": "affirmed", "sources": len({a for a, _ in quotes}),
            "evidence_count": len(quotes), "first_seen": seen[0], "last_seen": seen[-1], "conflicts": 0,
            "search_text": fts_text(summary), **extra})
        for n, (aid, quote) in enumerate(quotes):
            start = texts[aid].index(quote)
            db["claim_evidence"].insert({
                "id": f"{cid}-e{n}", "claim_id": cid, "article_id": aid, "passage_id": passage_of(aid, start),
                "start": start, "end": start + len(quote), "quote": quote, "modality": "asserted",
                "polarity": "affirmed"})
    db.execute("""UPDATE entities SET
        mentions = (SELECT count(*) FROM mentions m WHERE m.entity_id = entities.id),
        articles = (SELECT count(DISTINCT article_id) FROM mentions m WHERE m.entity_id = entities.id),
        claims = (SELECT count(*) FROM claims c WHERE entities.id IN (c.subject_id, c.object_id))""")
    # What ingest does: a claim is found by its summary, quotes and its subject's and object's names.
    refresh_claim_search_text(db, [c[0] for c in CLAIMS])
    db["claim_conflicts"].insert({"claim_id": "c-sb-30", "other_claim_id": "c-sb-22", "reason": "amount differs"})
    db["ingest_errors"].insert({"id": "err1", "path": "data/bad.md", "line": 3, "severity": "error",
                                "stage": "sources", "reason": "front matter is not valid YAML",
                                "hint": "close the --- block", "first_seen": "2025-11-25T00:00:00"})
    db.close()
    return path


@pytest.fixture
def fixture_db(tmp_path):
    return build_fixture_db(tmp_path / "kb.db")


@pytest.fixture
def ds(fixture_db):
    return make_datasette(fixture_db)


@pytest.fixture
def conn(fixture_db):
    c = sqlite3.connect(str(fixture_db))
    yield c
    c.close()


# --- pure helpers -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("query,expected", [
    ("鴻海", "foxconn"), ("Hon Hai", "foxconn"), ("hon hai", "foxconn"), ("ＨＯＮ　ＨＡＩ", "foxconn"),
    ("foxconn", "foxconn"), ("ウィスコンシン州", "us-wi"), ("us-oh", "us-oh"), ("熊本県", "jp-43"),
    ("Nobody Inc", None), ("", None),
])
def test_find_entity_by_any_alias(conn, query, expected):
    found = choose_entity(conn, query).entity
    assert (found["id"] if found else None) == expected


def test_suggest_entities(conn):
    assert [s["id"] for s in suggest_entities(conn, "鴻")] == ["foxconn"]
    assert {s["id"] for s in suggest_entities(conn, "soft")} == {"softbank"}
    assert len(suggest_entities(conn, "zzzz", limit=3)) == 3  # falls back to the most connected


def test_neighbourhood_depth_one(conn):
    g = entity_neighbourhood(conn, "foxconn", depth=1, co_mentions=False)
    assert {n["id"] for n in g["nodes"]} == {"foxconn", "us-wi", "us-oh", "openai"}
    claims = {(e["from"], e["to"], e["label"]) for e in g["edges"]}
    assert claims == {("foxconn", "us-wi", "manufacturing"), ("foxconn", "us-oh", "manufacturing"),
                      ("foxconn", "openai", "partnership")}
    assert g["nodes"][0]["id"] == "foxconn" and g["nodes"][0]["level"] == 0


def test_neighbourhood_depth_two_and_co_mentions(conn):
    g = entity_neighbourhood(conn, "foxconn", depth=2, co_mentions=False)
    ids = {n["id"] for n in g["nodes"]}
    assert {"softbank", "evil-corp"} <= ids  # via OpenAI
    assert "tsmc" not in ids
    co = entity_neighbourhood(conn, "tsmc", depth=1, co_mentions=True)
    co_edges = {(e["from"], e["to"]) for e in co["edges"] if e["kind"] == "co-mention"}
    assert ("jp-43", "tsmc") in co_edges
    assert entity_neighbourhood(conn, "foxconn", depth=0)["nodes"][0]["id"] == "foxconn"


def test_neighbourhood_uses_entity_metrics_when_present(fixture_db, conn):
    assert "pagerank" not in entity_neighbourhood(conn, "tsmc")["nodes"][0]
    db = sqlite_utils.Database(str(fixture_db))
    db["entity_metrics"].insert_all([{"entity_id": "tsmc", "degree": 1, "weighted_degree": 1.0, "pagerank": 0.25,
                                      "betweenness": 0.0, "community": 2}])
    db.close()
    node = entity_neighbourhood(conn, "tsmc")["nodes"][0]
    assert (node["pagerank"], node["community"]) == (0.25, 2)


def test_neighbourhood_truncates(conn):
    g = entity_neighbourhood(conn, "openai", depth=2, max_nodes=3)
    assert len(g["nodes"]) == 3 and g["truncated"]
    assert all(e["from"] in {n["id"] for n in g["nodes"]} for e in g["edges"])


@pytest.mark.parametrize("text,ranges,expected", [
    ("abcdef", [(1, 3)], [("a", False), ("bc", True), ("def", False)]),
    ("abcdef", [(0, 6)], [("abcdef", True)]),
    ("abcdef", [(4, 6), (0, 1), (3, 5)], [("a", True), ("bc", False), ("def", True)]),
    ("abc", [], [("abc", False)]),
])
def test_mark_segments(text, ranges, expected):
    assert mark_segments(text, ranges) == expected


def test_mark_segments_with_offset_and_ranges_parsing():
    assert mark_segments("cdef", [(3, 5)], offset=2) == [("c", False), ("de", True), ("f", False)]
    assert parse_ranges("3-5,x-1,9-2,10-99", limit=20) == [(3, 5), (10, 20)]
    assert parse_ranges(None) == []


def test_term_ranges_japanese_and_width_insensitive():
    text = "鴻海はＡＩサーバーの新工場を建設。AI servers, AI-servers."
    assert [text[s:e] for s, e in term_ranges(text, "工場")] == ["工場"]
    assert [text[s:e] for s, e in term_ranges(text, "ai")] == ["ＡＩ", "AI", "AI"]
    assert [text[s:e] for s, e in term_ranges(text, '"AI servers"')] == ["AI servers", "AI-servers"]
    assert query_terms("新工場 AI") == ["新工場", "ai"]
    assert snippet("x" * 500 + "工場", term_ranges("x" * 500 + "工場", "工場"))[0] == ("…", False)


def test_search_rewrite():
    qs = rewrite_search_args("_search=%E5%B7%A5%E5%A0%B4&_size=5")
    assert qs == "_size=5&_kbq=%E5%B7%A5%E5%A0%B4"  # Datasette's own search filter stays out
    assert rewrite_search_args(qs) is None  # pagination links stay as they are
    assert rewrite_search_args("_size=5") is None
    assert rewrite_search_args("_search=%22x%22&_searchmode=raw") is None  # deliberate raw FTS5 syntax
    assert rewrite_search_args("_search=AI&" + qs) == "_size=5&_kbq=AI"  # a new search replaces the old
    assert rewrite_search_args("_search=&_size=5") == "_size=5"
    assert is_search_table_path("/kb/passages.json") and is_search_table_path("/kb/claims")
    assert not is_search_table_path("/kb/passages/a-en-00000") and not is_search_table_path("/kb/entities")


def test_format_amount():
    assert format_number(1.4e12) == "1.4 trillion"
    # the pages show amounts as summaries, the CLI and kb eval do: one renderer (kb.amounts.format_amount)
    assert format_amount({"amount_min": 2e9, "amount_max": 3e9, "currency": "USD", "period": "year"}) == \
        "$2–3 billion a year"
    assert format_amount({"amount_max": 5e11, "currency": "USD", "bound": "upper"}) == "up to $500 billion"
    assert format_amount({"amount_min": 75, "amount_max": 75, "unit": "percent"}) == "75%"
    assert format_amount({"amount_min": 3e12, "amount_max": 3e12, "currency": "JPY", "amount_usd": 2e10}) == \
        "¥3 trillion (≈ $20 billion)"
    assert format_amount({}) == ""


# --- canned query files -------------------------------------------------------------------------------------

def test_queries_folder_has_documented_read_only_queries():
    queries = load_queries()
    assert queries_dir().name == "queries" and len(queries) >= 8
    for name, q in queries.items():
        assert q["title"] and q.get("description"), name
        assert not q.get("write"), name
        body = re.sub(r"--[^\n]*", "", q["sql"]).strip().lower()
        assert body.startswith(("select", "with")), name


def test_query_file_header_and_write_refused(tmp_path):
    (tmp_path / "a.sql").write_text("-- title: Hello\n-- params: x, y\nselect :x, :y\n", encoding="utf-8")
    assert load_query(tmp_path / "a.sql")["title"] == "Hello"
    assert load_query(tmp_path / "a.sql")["params"] == ["x", "y"]
    (tmp_path / "b.sql").write_text("delete from claims", encoding="utf-8")
    with pytest.raises(QueryFileError):
        load_query(tmp_path / "b.sql")


def test_queries_dir_env(tmp_path, monkeypatch):
    monkeypatch.setenv("KB_QUERIES_DIR", str(tmp_path))
    (tmp_path / "only.sql").write_text("select 1", encoding="utf-8")
    assert list(load_queries()) == ["only"]


# --- Datasette ------------------------------------------------------------------------------------------------

async def test_settings_and_metadata_applied(ds):
    assert ds.setting("sql_time_limit_ms") == SETTINGS["sql_time_limit_ms"] == 3000
    assert ds.setting("max_returned_rows") == 2000 and ds.setting("num_sql_threads") == 3
    assert not ds.databases["kb"].is_memory and ds.databases["kb"].is_mutable
    r = await ds.client.get("/kb/claim_evidence.json?_labels=on&_shape=objects&claim_id=c-fox-oh")
    row = r.json()["rows"][0]
    assert row["claim_id"] == {"value": "c-fox-oh", "label": "Foxconn plans a plant in Ohio"}
    r = await ds.client.get("/kb/claims.json?_labels=on&_shape=objects&id=c-fox-wi")
    assert r.json()["rows"][0]["subject_id"]["label"] == "Foxconn"
    data = (await ds.client.get("/kb/claims.json")).json()
    assert {"type", "modality", "polarity"} <= set(data["facet_results"])
    assert data["rows"][0][data["columns"].index("id")] == "c-fox-wi"  # sort_desc: sources
    r = await ds.client.get("/kb.json")
    tables = {t["name"]: t for t in r.json()["tables"]}
    assert tables["nlp_cache"]["hidden"] and tables["passages_fts_data"]["hidden"]
    assert not tables["claims"]["hidden"]
    assert (await ds.client.get("/")).text.count("AI infrastructure claims") >= 1


async def test_reads_while_ingest_holds_the_write_lock(ds, fixture_db):
    writer = sqlite3.connect(str(fixture_db), isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE claims SET sources = 99 WHERE id = 'c-nv-500'")
        r = await ds.client.get("/kb/claims.json?_shape=objects&id=c-nv-500")
        assert r.status_code == 200 and r.json()["rows"][0]["sources"] == 1  # not blocked, not dirty
        writer.execute("COMMIT")
        r = await ds.client.get("/kb/claims.json?_shape=objects&id=c-nv-500")
        assert r.json()["rows"][0]["sources"] == 99  # a mutable file: committed writes show up
    finally:
        writer.close()


def test_make_datasette_refuses_missing_file(tmp_path):
    from kb.errors import DatabaseError
    with pytest.raises(DatabaseError, match="kb ingest"):
        make_datasette(tmp_path / "missing.db")


def test_build_metadata_renames_database():
    meta = build_metadata("demo")
    assert "demo" in meta["databases"] and "kb" not in meta["databases"]
    assert meta["databases"]["demo"]["tables"]["entities"]["label_column"] == "name"


@pytest.mark.parametrize("query,expected", [
    ("工場", {"a-ja-00000", "a-ja-00002"}),
    ("ウィスコンシン州の新工場", {"a-ja-00000"}),
    ("Wisconsin", {"a-en-00000", "a-dup-00000", "a-ja-00000"}),  # and its other name ウィスコンシン州
    ("openai 出資", {"a-ja-00001"}),
    ("\"AI server racks\"", {"a-en-00000", "a-dup-00000"}),
    ("存在しない語", set()),
])
async def test_japanese_table_search(ds, query, expected):
    r = await ds.client.get("/kb/passages.json", params={"_search": query, "_shape": "objects"})
    assert r.status_code == 200, r.text
    assert {row["id"] for row in r.json()["rows"]} == expected


async def test_table_search_html_keeps_user_words(ds):
    r = await ds.client.get("/kb/claims", params={"_search": "工場"})
    assert r.status_code == 200
    assert "c-tsmc-kuma" in r.text and "c-sb-30" not in r.text
    assert 'name="_search" value="工場"' in r.text  # the box shows 工場, not the FTS5 phrase
    assert 'search matches &#34;工場&#34;' in r.text and "工 場" not in r.text


QUERY_EXPECTATIONS = {
    "claims_about_entity": ({"entity": "ホン ハイ"}, None),
    "investments_by_amount": ({"min_usd": ""}, ["c-nv-500", "c-sb-30", "c-sb-22"]),
    "manufacturing_by_us_state": ({"state": ""}, [("Ohio", "OH", "39", "Foxconn"), ("Wisconsin", "WI", "55", "Foxconn")]),
    "conflicting_claims": ({}, [("c-sb-30", "c-sb-22")]),
    "most_corroborated": ({"type": ""}, "c-fox-wi"),
    "claims_timeline": ({"entity": ""}, ["c-fox-oh", "c-sb-30", "c-fox-wi", "c-sb-22", "c-tsmc-kuma"]),
    "evidence_for_claim": ({"claim_id": "c-fox-wi"}, ["a-en", "a-ja"]),
    "co_mentioned_entities": ({"entity": "Hon Hai"}, {"us-wi", "openai", "evil-corp"}),
    "ingest_problems": ({}, ["data/bad.md"]),
    "duplicate_passages": ({}, ["a-dup"]),
    "places_on_map": ({}, {"us-wi", "us-oh", "jp-43"}),
}


async def test_central_entities_query_reads_graph_metrics(ds, fixture_db):
    assert "central_entities" in await ds.get_canned_queries("kb", None)
    assert await _rows(ds, "central_entities", {"type": ""}) == []  # empty until `kb graph build`
    db = sqlite_utils.Database(str(fixture_db))
    db["entity_metrics"].insert_all([{"entity_id": e, "degree": 1, "weighted_degree": 1.0, "pagerank": p,
                                      "betweenness": 0.0, "community": 1} for e, p in (("openai", 0.4), ("tsmc", 0.1))])
    db.close()
    assert [r["entity_id"] for r in await _rows(ds, "central_entities", {"type": ""})] == ["openai", "tsmc"]


async def test_every_canned_query_runs(ds):
    names = set(load_queries()) - {"central_entities"}
    assert set(QUERY_EXPECTATIONS) <= names
    for name in names:
        params = QUERY_EXPECTATIONS.get(name, ({}, None))[0]
        r = await ds.client.get(f"/kb/{name}.json", params={**params, "_shape": "objects"})
        assert r.status_code == 200, (name, r.text)
        html = await ds.client.get(f"/kb/{name}", params=params)
        assert html.status_code == 200, name


async def _rows(ds, name, params):
    r = await ds.client.get(f"/kb/{name}.json", params={**params, "_shape": "objects"})
    assert r.status_code == 200, r.text
    return r.json()["rows"]


@pytest.mark.parametrize("entity", ["鴻海", "Hon Hai", "hon hai", "ＦＯＸＣＯＮＮ", "foxconn", "鴻海精密工業"])
async def test_claims_about_entity_by_any_alias(ds, entity):
    rows = await _rows(ds, "claims_about_entity", {"entity": entity})
    assert {r["claim_id"] for r in rows} == {"c-fox-wi", "c-fox-oh", "c-fox-oai"}
    assert rows[0]["claim_id"] == "c-fox-wi"


async def test_canned_query_results(ds):
    rows = await _rows(ds, "investments_by_amount", {"min_usd": ""})
    assert [r["claim_id"] for r in rows] == QUERY_EXPECTATIONS["investments_by_amount"][1]
    assert [r["claim_id"] for r in await _rows(ds, "investments_by_amount", {"min_usd": "2.5e10"})] == \
        ["c-nv-500", "c-sb-30"]
    rows = await _rows(ds, "manufacturing_by_us_state", {"state": ""})
    assert [(r["state"], r["usps"], r["fips"], r["company"]) for r in rows] == \
        QUERY_EXPECTATIONS["manufacturing_by_us_state"][1]
    for state in ("WI", "wi", "55", "Wisconsin", "ウィスコンシン州"):
        assert [r["state"] for r in await _rows(ds, "manufacturing_by_us_state", {"state": state})] == ["Wisconsin"]
    rows = await _rows(ds, "conflicting_claims", {})
    assert [(r["claim_a"], r["claim_b"]) for r in rows] == [("c-sb-30", "c-sb-22")]
    assert (rows[0]["max_a"], rows[0]["max_b"]) == (3e10, 2.25e10)
    assert (await _rows(ds, "most_corroborated", {"type": ""}))[0]["claim_id"] == "c-fox-wi"
    assert [r["claim_id"] for r in await _rows(ds, "most_corroborated", {"type": "investment"})] == \
        ["c-nv-500", "c-sb-22", "c-sb-30"]
    rows = await _rows(ds, "claims_timeline", {"entity": ""})
    assert [r["claim_id"] for r in rows][:5] == QUERY_EXPECTATIONS["claims_timeline"][1]
    assert {r["claim_id"] for r in await _rows(ds, "claims_timeline", {"entity": "ソフトバンク"})} == \
        {"c-sb-30", "c-sb-22"}
    rows = await _rows(ds, "evidence_for_claim", {"claim_id": "c-fox-wi"})
    assert [r["article_id"] for r in rows] == ["a-en", "a-ja"]
    text = ARTICLES[1]["text"]
    assert text[rows[1]["start"]:rows[1]["end"]] == rows[1]["quote"]
    rows = await _rows(ds, "co_mentioned_entities", {"entity": "Hon Hai"})
    assert {r["entity_id"] for r in rows} == QUERY_EXPECTATIONS["co_mentioned_entities"][1]
    assert "foxconn" not in {r["entity_id"] for r in rows}
    assert [r["path"] for r in await _rows(ds, "ingest_problems", {})] == ["data/bad.md"]
    rows = await _rows(ds, "duplicate_passages", {})
    assert [(r["article_id"], r["first_copy_article_id"]) for r in rows] == [("a-dup", "a-en")]
    rows = await _rows(ds, "places_on_map", {})
    assert {r["entity_id"] for r in rows} == {"us-wi", "us-oh", "jp-43"}


async def test_no_write_queries(ds):
    queries = await ds.get_canned_queries("kb", None)
    assert len(queries) >= 8 and not any(q.get("write") for q in queries.values())
    r = await ds.client.get("/kb/claims_about_entity", params={"entity": "鴻海"})
    assert "c-fox-wi" in r.text and '<a href="/-/kb/claim/c-fox-wi">' in r.text


async def test_rows_link_to_kb_pages(ds):
    r = await ds.client.get("/kb/claims")
    assert '<a href="/-/kb/claim/c-fox-wi">Foxconn manufactures AI servers in Wisconsin</a>' in r.text
    r = await ds.client.get("/kb/claim_evidence?claim_id=c-fox-oh")
    assert '<a href="/-/kb/article/a-en?hl=58-100#hl">The company also plans a new plant in Ohio</a>' in r.text
    r = await ds.client.get("/kb/entities")
    assert '<a href="/-/kb/entity/foxconn">Foxconn</a>' in r.text
    r = await ds.client.get("/kb/articles")
    assert '<a href="/-/kb/article/a-ja">鴻海、米国でAIサーバーの新工場</a>' in r.text


async def test_map_on_places_and_entities(ds):
    for path in ("/kb/places_on_map", "/kb/entities"):
        r = await ds.client.get(path)
        assert r.status_code == 200 and "datasette-cluster-map.js" in r.text, path


async def test_graph_json(ds):
    r = await ds.client.get("/-/kb/graph.json", params={"entity": "鴻海", "depth": "1", "co": "0"})
    assert r.status_code == 200
    data = r.json()
    assert data["entity"]["id"] == "foxconn" and data["center"] == "foxconn"
    assert {n["id"] for n in data["nodes"]} == {"foxconn", "us-wi", "us-oh", "openai"}
    assert {e["label"] for e in data["edges"]} == {"manufacturing", "partnership"}
    node = next(n for n in data["nodes"] if n["id"] == "us-wi")
    assert node["url"] == "/-/kb/entity/us-wi" and node["row_url"] == "/kb/entities/us-wi"
    assert node["color"].startswith("#")
    assert next(e for e in data["edges"] if e["to"] == "us-wi")["url"] == "/-/kb/claim/c-fox-wi"
    r = await ds.client.get("/-/kb/graph.json", params={"entity": "Nobody at all"})
    assert r.status_code == 404 and r.json()["ok"] is False and r.json()["suggestions"]


async def test_graph_page(ds):
    r = await ds.client.get("/-/kb/graph", params={"entity": "Hon Hai"})
    assert r.status_code == 200
    assert 'src="/-/kb/static/vis-network.min.js"' in r.text
    assert "/-/kb/graph.json?entity=foxconn" in r.text
    assert "cdn" not in r.text.lower() and "unpkg" not in r.text.lower()
    r = await ds.client.get("/-/kb/graph")
    assert r.status_code == 200 and "Foxconn" in r.text


async def test_unknown_entity_page_is_friendly(ds):
    r = await ds.client.get("/-/kb/graph", params={"entity": "鴻"})
    assert r.status_code == 404
    assert "No entity matches" in r.text and "/-/kb/graph?entity=foxconn" in r.text
    r = await ds.client.get("/-/kb/graph", params={"entity": "<b>zz</b>"})
    assert r.status_code == 404 and "<b>zz</b>" not in r.text and "&lt;b&gt;zz&lt;/b&gt;" in r.text


async def test_vis_network_served_locally(ds):
    r = await ds.client.get("/-/kb/static/vis-network.min.js")
    assert r.status_code == 200 and "javascript" in r.headers["content-type"]
    assert len(r.content) > 100_000 and b"vis" in r.content[:2000]
    assert (await ds.client.get("/-/kb/static/vis-network.css")).status_code == 200
    assert (await ds.client.get("/-/static-plugins/kb/kb-graph.js")).status_code == 200


async def test_claim_page_marks_evidence(ds):
    r = await ds.client.get("/-/kb/claim/c-fox-wi")
    assert r.status_code == 200
    assert '<mark id="hl">Foxconn said it will build AI server racks in Wisconsin</mark>' in r.text
    assert "<mark id=\"hl\">鴻海精密工業はウィスコンシン州の新工場でAIサーバーを生産する</mark>" in r.text
    assert "/-/kb/article/a-ja?hl=0-31#hl" in r.text
    r = await ds.client.get("/-/kb/claim/c-sb-30")
    assert "amount differs" in r.text and '<a href="/-/kb/claim/c-sb-22">' in r.text
    assert "$30 billion" in r.text
    assert (await ds.client.get("/-/kb/claim/nope")).status_code == 404


async def test_article_page_highlight(ds):
    r = await ds.client.get("/-/kb/article/a-en", params={"hl": "0-7"})
    assert r.status_code == 200 and '<mark id="hl">Foxconn</mark> said' in r.text
    assert "Foxconn plans a plant in Ohio" in r.text
    assert (await ds.client.get("/-/kb/article/missing")).status_code == 404


async def test_search_page(ds):
    r = await ds.client.get("/-/kb/search", params={"q": "工場"})
    assert r.status_code == 200
    assert "<mark>工場</mark>" in r.text or '<mark id="hl">工場</mark>' in r.text
    assert "TSMCが熊本県で第2<mark" in r.text
    assert "a-dup" not in r.text  # duplicates are not listed twice
    assert (await ds.client.get("/-/kb/search")).status_code == 200


async def test_xss_is_escaped_everywhere(ds):
    pages = ["/-/kb/claim/c-evil", "/-/kb/article/a-xss?hl=0-5", "/-/kb/search?q=partnership",
             "/-/kb/graph?entity=evil-corp", "/kb/articles", "/kb/claims", "/kb/claim_evidence",
             "/kb/evidence_for_claim?claim_id=c-evil", "/kb/claims_about_entity?entity=evil-corp"]
    for path in pages:
        r = await ds.client.get(path)
        assert r.status_code == 200, path
        for raw in (XSS_TITLE, "<img src=x onerror", "<script>alert(4)", XSS_ENTITY):
            assert raw not in r.text, (path, raw)
    r = await ds.client.get("/-/kb/claim/c-evil")
    assert "&lt;script&gt;alert(4)&lt;/script&gt;" in r.text
    r = await ds.client.get("/-/kb/graph.json?entity=evil-corp")
    assert r.json()["nodes"][0]["name"] == XSS_ENTITY  # data stays data; the page sets it as text


# --- client errors: answered politely, never a traceback in the log ---------------------------------

@pytest.mark.parametrize("path,status", [
    ("/-/kb/static/../../etc/passwd", 404),
    ("/-/kb/static/..%2f..%2fetc%2fpasswd", 404),
    ("/-/kb/claim/no-such-claim", 404),
    ("/kb/claims?_sort=no_such_column", 400),
    ("/kb.json?sql=select+1+from", 400),
    ("/nope/claims", 404),
])
async def test_client_errors_leave_no_traceback(ds, capfd, path, status):
    r = await ds.client.get(path, follow_redirects=True)
    assert r.status_code == status
    assert "root:" not in r.text  # nothing of /etc/passwd
    out, err = capfd.readouterr()
    assert "Traceback" not in out + err and "locals" not in out + err


async def test_search_text_length_is_capped(ds, capfd):
    long = "工" * 5000
    r = await ds.client.get("/kb/passages", params={"_search": long})
    assert r.status_code == 400 and "limited to 200 characters" in r.text
    r = await ds.client.get("/-/kb/search", params={"q": long})
    assert r.status_code == 400 and "limited to 200 characters" in r.text
    r = await ds.client.get("/kb/passages", params={"_search": "工" * 200})
    assert r.status_code == 200
    assert "Traceback" not in "".join(capfd.readouterr())
