"""The entity profile (/-/kb/entity/<id>, .json, 404), entity links everywhere, the map page and its shapes."""

from __future__ import annotations

import json
import re
import sqlite3
from html import unescape
from pathlib import Path

import pytest
from datasette.app import Datasette

from kb.contract import CLAIM_TYPES
from kb.web.serve import build_metadata, make_datasette
from kb.web.views import outlet_of, region_key
from test_datasette import XSS_ENTITY, build_fixture_db

ROOT = Path(__file__).resolve().parent.parent
REGIONS = ROOT / "kb" / "web" / "static" / "geo" / "regions.json"
HON_HAI = "company:hon-hai"
# The fixture's ids, renamed the way kb's gazetteer names entities (type:slug, state:US-WI, state:JP-43).
RENAMES = {"foxconn": HON_HAI, "openai": "company:openai", "us-wi": "state:US-WI", "jp-43": "state:JP-43"}
ENTITY_COLUMNS = {"entities": ["id"], "entity_aliases": ["entity_id"], "mentions": ["entity_id"],
                  "claims": ["subject_id", "object_id", "attributed_to_id"]}


def build_profile_db(path: Path) -> Path:
    """The Datasette fixture database with gazetteer-style ids, a Wikidata id, an article with a URL and one
    per-year investment by Hon Hai (quoted from the Japanese article, exact offsets)."""
    build_fixture_db(path)
    conn = sqlite3.connect(str(path))
    with conn:
        for old, new in RENAMES.items():
            for table, columns in ENTITY_COLUMNS.items():
                for column in columns:
                    conn.execute(f"UPDATE {table} SET {column} = ? WHERE {column} = ?", [new, old])
        conn.execute("UPDATE entities SET name = 'Hon Hai Precision Industry', name_ja = '鴻海精密工業', "
                     "country = 'TW', ticker = '2317.TW', attrs = ? WHERE id = ?",
                     [json.dumps({"sector": "ems-odm", "country": "TW"}), HON_HAI])
        conn.execute("UPDATE entities SET wikidata = 'Q21708200' WHERE id = 'company:openai'")
        conn.execute("UPDATE articles SET url = 'https://www.example-news.jp/2025/11/22/honhai' WHERE id = 'a-ja'")
        text = conn.execute("SELECT text FROM articles WHERE id = 'a-ja'").fetchone()[0]
        quote = "鴻海精密工業はウィスコンシン州の新工場でAIサーバーを生産する"
        start = text.index(quote)
        conn.execute("""INSERT INTO claims (id, type, summary, subject_id, object_id, amount_min, amount_max, currency,
                        period, amount_usd, modality, polarity, sources, evidence_count, first_seen, last_seen,
                        conflicts) VALUES ('c-fox-capex', 'investment', 'Hon Hai invests $2–3 billion a year',
                        ?, NULL, 2e9, 3e9, 'USD', 'year', 2.5e9, 'planned', 'affirmed', 1, 1, '2025-11-22',
                        '2025-11-22', 0)""", [HON_HAI])
        conn.execute("""INSERT INTO claim_evidence (id, claim_id, article_id, passage_id, start, "end", quote,
                        modality, polarity) VALUES ('c-fox-capex-e0', 'c-fox-capex', 'a-ja', 'a-ja-00000', ?, ?, ?,
                        'planned', 'affirmed')""", [start, start + len(quote), quote])
        conn.execute("UPDATE entities SET claims = (SELECT count(*) FROM claims c "
                     "WHERE entities.id IN (c.subject_id, c.object_id))")
    conn.close()
    return path


@pytest.fixture
def profile_db(tmp_path):
    return build_profile_db(tmp_path / "kb.db")


@pytest.fixture
def ds(profile_db):
    return make_datasette(profile_db)


def _claims_of(db_path, entity_id) -> set[str]:
    conn = sqlite3.connect(str(db_path))
    ids = {r[0] for r in conn.execute("SELECT id FROM claims WHERE ? IN (subject_id, object_id)", [entity_id])}
    conn.close()
    return ids


async def test_profile_json(ds, profile_db):
    r = await ds.client.get("/-/kb/entity/company~3Ahon-hai.json")
    assert r.status_code == 200
    data = r.json()
    assert data["ok"] and data["entity"]["id"] == HON_HAI and data["entity"]["type"] == "company"
    assert data["names"]["name"] == "Hon Hai Precision Industry" and data["names"]["name_ja"] == "鴻海精密工業"
    aliases = {a["alias"]: a["script"] for a in data["names"]["aliases"]}
    assert aliases == {"Foxconn": "latin", "鴻海": "ja", "Hon Hai": "latin"}  # the names themselves not repeated
    assert data["subtype"] == "ems-odm" and data["country"] == "TW"
    assert {"label": "Ticker", "value": "2317.TW", "url": None} in data["identifiers"]
    assert not any(i["label"] == "Wikidata" for i in data["identifiers"])  # none known: no link
    # Every claim naming it, grouped by type in the contract's order.
    claims = [c for g in data["claim_groups"] for c in g["claims"]]
    assert {c["id"] for c in claims} == _claims_of(profile_db, HON_HAI) == \
        {"c-fox-wi", "c-fox-oh", "c-fox-oai", "c-fox-capex"}
    assert data["claim_count"] == 4
    types = [g["type"] for g in data["claim_groups"]]
    assert types == sorted(types, key=CLAIM_TYPES.index) == ["investment", "partnership", "manufacturing"]
    capex = next(c for c in claims if c["id"] == "c-fox-capex")
    assert capex["amount"] == "$2–3 billion a year" and capex["per_year"] is True
    assert capex["modality"] == "planned" and capex["url"] == "/-/kb/claim/c-fox-capex"
    assert all(c["role"] == "subject" for c in claims)
    wi = next(c for c in claims if c["id"] == "c-fox-wi")
    assert (wi["sources"], wi["first_seen"], wi["last_seen"]) == (2, "2025-11-21", "2025-11-22")
    assert wi["other"] == {"id": "state:US-WI", "name": "Wisconsin", "type": "state",
                           "url": "/-/kb/entity/state~3AUS-WI"}
    # Timeline by first-seen date; counterparties with counts; the articles that mention it.
    assert [d["date"] for d in data["timeline"]] == ["2025-11-21", "2025-11-22", "2025-11-23"]
    assert {c["id"] for c in data["timeline"][1]["claims"]} == {"c-fox-capex"}
    partners = {p["id"]: (p["claims"], p["types"]) for p in data["counterparties"]}
    assert partners == {"state:US-WI": (1, ["manufacturing"]), "us-oh": (1, ["manufacturing"]),
                        "company:openai": (1, ["partnership"])}
    assert [a["id"] for a in data["articles"]] == ["a-dup", "a-xss", "a-ja", "a-en"]
    ja = next(a for a in data["articles"] if a["id"] == "a-ja")
    assert ja == {"id": "a-ja", "title": "鴻海、米国でAIサーバーの新工場", "published": "2025-11-22",
                  "outlet": "example-news.jp", "lang": "ja", "mentions": 1, "url": "/-/kb/article/a-ja"}
    assert data["article_count"] == 4
    assert (data["first_seen"], data["last_seen"]) == ("2025-11-21", "2025-11-24")
    assert data["links"]["export_csv"] == "/-/kb/export/claims.csv?entity=company%3Ahon-hai"


async def test_profile_page_links(ds, profile_db):
    r = await ds.client.get("/-/kb/entity/company~3Ahon-hai")
    assert r.status_code == 200
    html = r.text
    assert "Hon Hai Precision Industry" in html and "鴻海精密工業" in html and "2317.TW" in html
    for claim_id in _claims_of(profile_db, HON_HAI):
        assert f'href="/-/kb/claim/{claim_id}"' in html
    assert '<a href="/-/kb/entity/company~3Aopenai" class="kb-counterparty">OpenAI</a>' in html
    assert '<a href="/-/kb/article/a-ja" class="kb-article-link" lang="ja">鴻海、米国でAIサーバーの新工場</a>' in html
    assert "example-news.jp" in html
    assert '$2–3 billion a year <small class="kb-per-year">per year</small>' in html
    assert 'href="/-/kb/export/claims.csv?entity=company%3Ahon-hai"' in html and "Export claims (CSV)" in html
    assert 'data-json-url="/-/kb/graph.json?entity=company%3Ahon-hai&amp;depth=1&amp;co=0&amp;db=kb"' in html
    r = await ds.client.get("/-/kb/entity/company~3Aopenai")
    assert '<a href="https://www.wikidata.org/wiki/Q21708200" rel="noopener noreferrer" class="kb-wikidata">' \
        'Q21708200</a>' in r.text
    # The profile's claim links and its graph data work.
    graph = await ds.client.get(unescape(re.search(r'data-json-url="([^"]+)"', html).group(1)))
    assert graph.status_code == 200 and graph.json()["entity"]["id"] == HON_HAI
    claim = await ds.client.get("/-/kb/claim/c-fox-capex")
    assert claim.status_code == 200 and '<mark id="hl">鴻海精密工業はウィスコンシン州' in claim.text


@pytest.mark.parametrize("path", ["/-/kb/entity/company:hon-hai", "/-/kb/entity/company%3Ahon-hai",
                                  "/-/kb/entity/company~3Ahon-hai", "/-/kb/entity/company%3Ahon-hai.json"])
async def test_profile_id_quoting(ds, path):
    r = await ds.client.get(path)
    assert r.status_code == 200
    assert (r.json()["entity"]["id"] if path.endswith(".json") else "Hon Hai Precision Industry" in r.text)


async def test_unknown_entity_is_a_404_with_a_search_link(ds):
    r = await ds.client.get("/-/kb/entity/company~3Anobody-inc")
    assert r.status_code == 404
    assert "No entity with id “company:nobody-inc”" in r.text
    assert 'href="/-/kb/search?q=nobody+inc" class="kb-search-link"' in r.text
    r = await ds.client.get("/-/kb/entity/company~3Anobody-inc.json")
    assert r.status_code == 404
    assert r.json() == {"ok": False, "error": "No entity with id 'company:nobody-inc'", "status": 404,
                        "search_url": "/-/kb/search?q=company%3Anobody-inc"}
    r = await ds.client.get("/-/kb/entity/%3Cb%3Ezz%3C%2Fb%3E")
    assert r.status_code == 404 and "<b>zz</b>" not in r.text and "&lt;b&gt;zz&lt;/b&gt;" in r.text


async def test_profile_includes_review_controls(profile_db, tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "_kb_entity_review.html").write_text(
        '<div id="review">{{ entity.id }}|{{ entity.name }}|{{ entity.type }}</div>', encoding="utf-8")
    ds = Datasette([str(profile_db)], metadata=build_metadata("kb"), template_dir=str(templates))
    r = await ds.client.get("/-/kb/entity/company~3Ahon-hai")
    assert '<div id="review">company:hon-hai|Hon Hai Precision Industry|company</div>' in r.text


async def test_profile_escapes_names(ds):
    r = await ds.client.get("/-/kb/entity/evil-corp")
    assert r.status_code == 200
    assert XSS_ENTITY not in r.text and "&lt;img src=x onerror=alert(3)&gt;Evil Corp" in r.text
    r = await ds.client.get("/-/kb/map")
    assert "<img src=x" not in r.text


async def test_entity_links_lead_to_profiles(ds):
    r = await ds.client.get("/kb/entities")
    assert '<a href="/-/kb/entity/company~3Ahon-hai">Hon Hai Precision Industry</a>' in r.text
    r = await ds.client.get("/kb/claims")  # foreign keys: the entity's name, linking to its profile
    assert '<a href="/-/kb/entity/state~3AUS-WI">Wisconsin</a>' in r.text
    assert '<a href="/-/kb/entity/company~3Aopenai">OpenAI</a>' in r.text  # attributed_to_id
    r = await ds.client.get("/kb/mentions")
    assert '<a href="/-/kb/entity/company~3Ahon-hai">Hon Hai Precision Industry</a>' in r.text
    r = await ds.client.get("/kb/claims_about_entity", params={"entity": "Hon Hai"})
    assert '<a href="/-/kb/entity/company~3Ahon-hai">company:hon-hai</a>' in r.text  # subject_id
    assert '<a href="/-/kb/entity/state~3AUS-WI">Wisconsin</a>' in r.text  # object, next to object_id
    r = await ds.client.get("/kb/places_on_map")
    assert '<a href="/-/kb/entity/state~3AJP-43">state:JP-43</a>' in r.text
    assert '<a href="/-/kb/entity/state~3AJP-43">Kumamoto</a>' in r.text
    assert '<a href="/-/kb/map">' in r.text  # the query's description points at the offline map
    r = await ds.client.get("/-/kb/claim/c-fox-oh")
    assert '<a href="/-/kb/entity/company~3Ahon-hai">Hon Hai Precision Industry</a>' in r.text
    assert '<a href="/-/kb/entity/us-oh">Ohio</a>' in r.text
    assert '<a href="/-/kb/entity/company~3Aopenai">OpenAI</a>' in r.text  # attributed to
    r = await ds.client.get("/-/kb/graph.json", params={"entity": HON_HAI})
    assert {n["id"]: n["url"] for n in r.json()["nodes"]}[HON_HAI] == "/-/kb/entity/company~3Ahon-hai"
    menu = await ds.client.get("/")
    assert 'href="/-/kb/map"' in menu.text


async def test_graph_page_its_claims_link_works(ds):
    r = await ds.client.get("/-/kb/graph", params={"entity": "Hon Hai"})
    assert r.status_code == 200
    href = unescape(re.search(r'<a href="([^"]+)" class="kb-its-claims">', r.text).group(1))
    assert href == "/kb/claims_about_entity?entity=company%3Ahon-hai"
    claims = await ds.client.get(href)
    assert claims.status_code == 200
    assert {"c-fox-wi", "c-fox-oh", "c-fox-oai", "c-fox-capex"} <= set(re.findall(r"c-fox-[a-z]+", claims.text))
    assert 'href="/-/kb/entity/company~3Ahon-hai" class="kb-profile-link"' in r.text


async def test_map_data_and_page(ds):
    r = await ds.client.get("/-/kb/map.json")
    assert r.status_code == 200
    data = r.json()
    assert set(data["regions"]) == {"US-WI", "US-OH", "JP-43"}
    assert data["regions"]["US-WI"] == {"id": "state:US-WI", "name": "Wisconsin", "name_ja": "ウィスコンシン州",
                                        "claims": 1, "mentions": 2, "articles": 2,
                                        "url": "/-/kb/entity/state~3AUS-WI"}
    assert data["regions"]["JP-43"]["claims"] == 1 and data["max_claims"] == 1
    r = await ds.client.get("/-/kb/map")
    assert r.status_code == 200
    assert 'data-geo-url="/-/static-plugins/kb/geo/regions.json"' in r.text
    assert '<td lang="ja">熊本県</td>' in r.text and "CC BY 4.0" in r.text
    assert 'src="http' not in r.text and "cdn" not in r.text.lower()  # nothing loaded from outside
    geo = await ds.client.get("/-/static-plugins/kb/geo/regions.json")
    assert geo.status_code == 200 and geo.json()["maps"][0]["regions"]


def _gazetteer_ids(name: str) -> set[str]:
    lines = (ROOT / "kb" / "data" / "gazetteer" / name).read_text(encoding="utf-8").splitlines()
    return {line.split(",", 1)[0] for line in lines if line.startswith("state:")}


def test_bundled_boundaries_cover_every_state_and_prefecture():
    assert REGIONS.stat().st_size < 1_500_000
    assert (REGIONS.parent / "README.md").read_text(encoding="utf-8").count("CC BY 4.0") >= 1
    data = json.loads(REGIONS.read_text(encoding="utf-8"))
    maps = {m["id"]: m for m in data["maps"]}
    assert {r["entity_id"] for r in maps["us"]["regions"]} == _gazetteer_ids("us_states.csv")
    assert {r["entity_id"] for r in maps["jp"]["regions"]} == _gazetteer_ids("jp_prefectures.csv")
    for m in maps.values():
        width, height = map(float, m["viewBox"].split()[2:])
        for r in m["regions"]:
            assert r["key"] == r["entity_id"].split(":", 1)[1]
            assert r["d"].startswith("M") and r["d"].endswith("Z") and r["name"] and r["name_ja"]
            assert 0 <= r["label"][0] <= width and 0 <= r["label"][1] <= height, r["key"]
    kumamoto = next(r for r in maps["jp"]["regions"] if r["key"] == "JP-43")
    assert kumamoto["name_ja"] == "熊本県"


@pytest.mark.parametrize("row,key", [
    ({"id": "state:US-CA", "usps": "CA"}, "US-CA"),
    ({"id": "us-wi", "usps": "wi"}, "US-WI"),
    ({"id": "jp-43", "iso": "JP-43"}, "JP-43"),
    ({"id": "state:JP-13", "iso": None}, "JP-13"),
    ({"id": "state:CN-GD", "iso": "CN-GD"}, None),
    ({"id": "city:US-austin"}, None),
])
def test_region_key(row, key):
    assert region_key(row) == key


@pytest.mark.parametrize("article,outlet", [
    ({"url": "https://www.nikkei.com/article/1", "source_path": "x/y.md"}, "nikkei.com"),
    ({"url": None, "source_path": "data/articles/a.md"}, "data/articles"),
    ({"url": "file:///tmp/a.html", "source_path": "a.html"}, ""),
])
def test_outlet_of(article, outlet):
    assert outlet_of(article) == outlet


async def test_profile_of_a_busy_entity_is_capped_and_says_so(ds, monkeypatch):
    from kb.web import views

    monkeypatch.setattr(views, "PROFILE_CLAIM_LIMIT", 2)
    monkeypatch.setattr(views, "TIMELINE_PER_DAY", 1)
    data = (await ds.client.get("/-/kb/entity/company~3Ahon-hai.json")).json()
    assert (data["claim_count"], data["claims_shown"]) == (4, 2)
    assert {c["id"] for g in data["claim_groups"] for c in g["claims"]} == {"c-fox-wi", "c-fox-oh"}  # most sources, then oldest
    assert all(len(d["claims"]) <= 1 for d in data["timeline"])
    html = (await ds.client.get("/-/kb/entity/company~3Ahon-hai")).text
    assert "The 2 best corroborated claims are listed" in html
    monkeypatch.setattr(views, "PROFILE_CLAIM_LIMIT", 1000)
    data = (await ds.client.get("/-/kb/entity/company~3Ahon-hai.json")).json()
    assert data["timeline"][0]["more"] == 1 and len(data["timeline"][0]["claims"]) == 1
