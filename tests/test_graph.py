"""Entity graph: build_graph filters, metrics, and write -> read round trips for every export format.

Golden files in tests/golden/graph/ are rewritten on purpose with `KB_UPDATE_GOLDEN=1 pytest tests/test_graph.py`.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import os
import random
from pathlib import Path

import networkx as nx
import pytest

from kb import graph as kbgraph
from kb.store import open_db
from kb.store.lookup import find_entity
from kb.errors import KBError
from kb.graph import build_graph, compute_metrics, refresh_metrics, save_metrics
from kb.graph.readwrite import (
    NEO4J_NODE_HEADER, NEO4J_REL_HEADER, export_graph, generate_cytoscape, generate_gexf, generate_graphml,
    generate_neo4j_nodes, generate_neo4j_relationships, generate_node_link, neo4j_import_command,
    write_cytoscape_json, write_gexf, write_graphml, write_neo4j_csv, write_node_link_json,
)

GOLDEN = Path(__file__).parent / "golden" / "graph"
UPDATE_GOLDEN = os.environ.get("KB_UPDATE_GOLDEN") == "1"

HON_HAI, WISCONSIN, OPENAI, SOFTBANK = "ent-honhai", "ent-wisconsin", "ent-openai", "ent-softbank"
STARGATE, NVIDIA, SON, STARGATE_INV = "ent-stargate", "ent-nvidia", "ent-son", "ent-stargate-inv"
TEXAS, REUTERS, ARM = "ent-texas", "ent-reuters", "ent-arm"


def entity(id, name, type, *, aliases=(), name_ja=None, wikidata=None, lat=None, lon=None, mentions=1, articles=1):
    return {"id": id, "name": name, "type": type, "name_ja": name_ja, "wikidata": wikidata,
            "latitude": lat, "longitude": lon, "aliases": json.dumps(list(aliases), ensure_ascii=False),
            "mentions": mentions, "articles": articles, "in_gazetteer": int(wikidata is not None)}


ENTITIES = [
    entity(HON_HAI, "鴻海精密工業", "company", aliases=["Foxconn", "Hon Hai", "ホンハイ"], name_ja="鴻海精密工業",
           wikidata="Q30967", mentions=3, articles=1),
    entity(WISCONSIN, "ウィスコンシン州", "state", aliases=["Wisconsin"], name_ja="ウィスコンシン州",
           wikidata="Q1537", lat=44.5, lon=-89.5),
    entity(OPENAI, "OpenAI", "company", aliases=["オープンAI"], wikidata="Q21708200", mentions=4, articles=2),
    entity(SOFTBANK, "ソフトバンクグループ", "company", aliases=["SoftBank Group", "SBG"], mentions=5, articles=2),
    entity(STARGATE, "Stargate", "project", aliases=["スターゲート"], mentions=2),
    entity(NVIDIA, "NVIDIA", "company", aliases=["エヌビディア"]),
    entity(SON, "孫正義", "person", aliases=["Masayoshi Son"]),
    entity(STARGATE_INV, "Stargate investment", "investment", mentions=0, articles=0),
    entity(TEXAS, "テキサス州", "state", aliases=["Texas"], lat=31.0, lon=-100.0),
    entity(REUTERS, "Reuters", "organization"),
    entity(ARM, 'Arm, "Holdings"; plc', "company", aliases=['Arm; "ARM"']),
]


def claim(id, type, subject, object, *, sources=1, first=None, last=None, modality="asserted", **extra):
    row = {"id": id, "type": type, "summary": f"{type} {subject} -> {object}", "subject_id": subject,
           "object_id": object, "modality": modality, "polarity": "affirmed", "sources": sources,
           "evidence_count": sources, "first_seen": first, "last_seen": last, "conflicts": 0}
    row.update(extra)
    return row


CLAIMS = [
    claim("c-inv1", "investment", SOFTBANK, STARGATE, sources=3, first="2025-01-21", last="2025-03-10",
          modality="planned", amount_min=1e11, amount_max=5e11, currency="USD", unit="money", approximate=1,
          bound="max", amount_usd=5e11, conflicts=1, details=json.dumps({"purpose": "AI データセンター"},
                                                                         ensure_ascii=False)),
    claim("c-inv2", "investment", OPENAI, STARGATE, first="2025-01-21", last="2025-01-21", modality="reported",
          attributed_to_id=REUTERS),
    claim("c-inv3", "investment", SOFTBANK, STARGATE_INV, first="2025-01-22", last="2025-01-22",
          amount_min=1.5e12, amount_max=1.5e12, currency="JPY", period="year", amount_usd=1e10, conflicts=1),
    claim("c-part1", "partnership", OPENAI, SOFTBANK, sources=2, first="2025-02-03", last="2025-02-03T09:30:00",
          summary='OpenAI and SoftBank form "SB OpenAI Japan", a JV\n(クリスタル・インテリジェンス)'),
    claim("c-mfg1", "manufacturing", HON_HAI, WISCONSIN, sources=2, first="2024-10-01", last="2025-02-20",
          summary="鴻海精密工業がウィスコンシン州でAIサーバーを製造"),
    claim("c-con1", "contract", OPENAI, NVIDIA, amount_min=1e10, amount_max=1e10, currency="USD",
          amount_usd=1e10, modality="forecast"),
    claim("c-own1", "ownership", SOFTBANK, ARM, first="2024-06-01", last="2024-06-01"),
    claim("c-role1", "role", SON, SOFTBANK, sources=4, first="2023-01-01", last="2025-03-01",
          details=json.dumps({"title": "会長兼社長"}, ensure_ascii=False)),
    claim("c-mfg2", "manufacturing", NVIDIA, TEXAS, first="2025-04-14", last="2025-04-14", polarity="negated"),
    claim("c-stat1", "statistic", NVIDIA, None, amount_min=75, amount_max=None, unit="percent",
          first="2025-01-01", last="2025-01-01"),
]
CLAIM_EDGES = {"c-inv1", "c-inv2", "c-inv3", "c-part1", "c-mfg1", "c-con1", "c-own1", "c-role1", "c-mfg2"}

ARTICLES = [("a1", "2025-01-21"), ("a2", "2025-03-10")]
# passage -> (article, mentioned entities); a repeated entity in one passage counts once.
PASSAGES = {"a1-00000": ("a1", [SOFTBANK, OPENAI, STARGATE]), "a1-00001": ("a1", [SOFTBANK, OPENAI]),
            "a2-00000": ("a2", [HON_HAI, WISCONSIN, SOFTBANK, SOFTBANK])}


def make_db(path: Path):
    db = open_db(path)
    with db.atomic():
        db["articles"].insert_all([{"id": a, "source_key": a, "source_path": f"{a}.md", "title": a,
                                    "published": pub, "text": "x" * 50, "content_hash": a} for a, pub in ARTICLES])
        db["passages"].insert_all([{"id": p, "article_id": a, "idx": int(p[-1]), "start": 0, "end": 10,
                                    "text": "x" * 10, "norm_hash": p, "text_hash": p} for p, (a, _) in PASSAGES.items()])
        db["entities"].insert_all(ENTITIES)
        db["entity_aliases"].insert_all([{"entity_id": NVIDIA, "alias": "Nvidia Corporation", "normalized": "nvidia"}])
        db["mentions"].insert_all([{"id": f"{p}-{i}", "article_id": a, "passage_id": p, "entity_id": e,
                                    "start": i, "end": i + 1, "text": "x", "label": "ORG", "source": "test"}
                                   for p, (a, ents) in PASSAGES.items() for i, e in enumerate(ents)])
        db["claims"].insert_all(CLAIMS, alter=False)
        db["claim_conflicts"].insert_all([{"claim_id": "c-inv1", "other_claim_id": "c-inv3",
                                           "reason": "amount differs"}])
    return db


@pytest.fixture
def db(tmp_path):
    return make_db(tmp_path / "kb.db")


@pytest.fixture
def G(db):
    return build_graph(db, layer="all")


# --- build_graph --------------------------------------------------------------------------------------

def test_nodes_are_entities_with_attributes(db):
    G = build_graph(db)
    assert set(G.nodes) == {e["id"] for e in ENTITIES}
    hon_hai = G.nodes[HON_HAI]
    assert hon_hai["name"] == "鴻海精密工業" and hon_hai["type"] == "company"
    assert hon_hai["aliases"] == ["Foxconn", "Hon Hai", "ホンハイ"]
    assert (hon_hai["mentions"], hon_hai["articles"], hon_hai["wikidata"]) == (3, 1, "Q30967")
    assert "latitude" not in hon_hai
    assert (G.nodes[WISCONSIN]["latitude"], G.nodes[WISCONSIN]["longitude"]) == (44.5, -89.5)
    assert G.nodes[STARGATE_INV]["type"] == "investment"


def test_claim_edges_keyed_by_claim_id(db):
    G = build_graph(db)
    assert {k for _, _, k in G.edges(keys=True)} == CLAIM_EDGES  # the statistic has no object: no edge
    inv = G.edges[SOFTBANK, STARGATE, "c-inv1"]
    assert inv["claim_type"] == "investment" and inv["claim_id"] == "c-inv1"
    assert (inv["amount_min"], inv["amount_max"], inv["currency"], inv["amount_usd"]) == (1e11, 5e11, "USD", 5e11)
    assert (inv["sources"], inv["first_seen"], inv["last_seen"]) == (3, "2025-01-21", "2025-03-10")
    assert inv["conflicts"] == 1 and inv["conflicts_with"] == ["c-inv3"]
    assert inv["details"] == {"purpose": "AI データセンター"} and inv["approximate"] is True
    assert G.edges[SOFTBANK, STARGATE_INV, "c-inv3"]["conflicts_with"] == ["c-inv1"]
    assert G.edges[OPENAI, STARGATE, "c-inv2"]["attributed_to"] == REUTERS
    contract = G.edges[OPENAI, NVIDIA, "c-con1"]
    assert contract["first_seen"] is None and contract["period"] is None
    assert G.edges[HON_HAI, WISCONSIN, "c-mfg1"]["summary"] == "鴻海精密工業がウィスコンシン州でAIサーバーを製造"


def test_partnership_is_one_symmetric_edge(db):
    G = build_graph(db)
    assert G.number_of_edges(OPENAI, SOFTBANK) == 1 and G.number_of_edges(SOFTBANK, OPENAI) == 0
    assert G.edges[OPENAI, SOFTBANK, "c-part1"]["symmetric"] is True
    assert G.edges[SOFTBANK, STARGATE, "c-inv1"]["symmetric"] is False


def test_co_mention_layer(db):
    M = build_graph(db, layer="mentions")
    assert {k for _, _, k in M.edges(keys=True)} == {"co-mention"}
    pairs = {(u, v): d for u, v, d in M.edges(data=True)}
    assert set(pairs) == {(OPENAI, SOFTBANK), (OPENAI, STARGATE), (SOFTBANK, STARGATE),
                          (HON_HAI, SOFTBANK), (HON_HAI, WISCONSIN), (SOFTBANK, WISCONSIN)}
    both = pairs[OPENAI, SOFTBANK]
    assert both["weight"] == 2 and both["passages"] == 2 and both["sources"] == 1
    assert both["claim_type"] == "co_mention" and both["symmetric"] is True
    assert pairs[HON_HAI, WISCONSIN]["weight"] == 1 and pairs[HON_HAI, WISCONSIN]["first_seen"] == "2025-03-10"
    A = build_graph(db, layer="all")
    assert A.number_of_edges() == len(CLAIM_EDGES) + 6


@pytest.mark.parametrize("types, expected", [
    (["investment"], {"c-inv1", "c-inv2", "c-inv3"}),
    (["Partnership", "role"], {"c-part1", "c-role1"}),
    ("manufacturing", {"c-mfg1", "c-mfg2"}),
])
def test_filter_types(db, types, expected):
    G = build_graph(db, types=types)
    assert {k for _, _, k in G.edges(keys=True)} == expected
    assert not list(nx.isolates(G))  # entities without a kept claim are dropped


def test_filter_types_co_mention_only(db):
    G = build_graph(db, layer="all", types=["co_mention"])
    assert {d["claim_type"] for _, _, d in G.edges(data=True)} == {"co_mention"}


def test_filter_since_and_min_sources(db):
    G = build_graph(db, since="2025-02-01")
    assert {k for _, _, k in G.edges(keys=True)} == {"c-inv1", "c-part1", "c-mfg1", "c-role1", "c-mfg2"}
    G = build_graph(db, since=dt.date(2025, 3, 2))
    assert {k for _, _, k in G.edges(keys=True)} == {"c-inv1", "c-mfg2"}
    G = build_graph(db, min_sources=2)
    assert {k for _, _, k in G.edges(keys=True)} == {"c-inv1", "c-part1", "c-mfg1", "c-role1"}
    G = build_graph(db, min_sources=2, types=["investment"], since="2025-01-01")
    assert {k for _, _, k in G.edges(keys=True)} == {"c-inv1"}
    M = build_graph(db, layer="mentions", since="2025-02-01")
    assert {(u, v) for u, v in M.edges()} == {(HON_HAI, SOFTBANK), (HON_HAI, WISCONSIN), (SOFTBANK, WISCONSIN)}


@pytest.mark.parametrize("query", ["foxconn", "FOXCONN", "ホンハイ", "鴻海精密工業", HON_HAI, " Hon Hai "])
def test_entity_resolves_by_id_name_or_alias(db, query):
    assert find_entity(db, query)["id"] == HON_HAI
    G = build_graph(db, entity=query)
    assert set(G.nodes) == {HON_HAI, WISCONSIN}


def test_entity_alias_from_alias_table(db):
    assert find_entity(db, "nvidia corporation")["id"] == NVIDIA


@pytest.mark.parametrize("query", ["Foxconn Co., Ltd.", "鴻海精密工業股份有限公司", "ＦＯＸＣＯＮＮ"])
def test_entity_matches_after_legal_forms_are_stripped(db, query):
    assert find_entity(db, query)["id"] == HON_HAI


def test_ego_graph_depth_is_undirected(db):
    assert set(build_graph(db, entity="Stargate", depth=0).nodes) == {STARGATE}
    assert set(build_graph(db, entity="Stargate").nodes) == {STARGATE, SOFTBANK, OPENAI}
    two = build_graph(db, entity="Stargate", depth=2)
    assert set(two.nodes) == {STARGATE, SOFTBANK, OPENAI, STARGATE_INV, ARM, SON, NVIDIA}
    assert two.graph["entity"] == STARGATE and two.graph["depth"] == 2


@pytest.mark.parametrize("focus", [HON_HAI, STARGATE, NVIDIA, REUTERS])
@pytest.mark.parametrize("depth", [0, 1, 2, 3])
def test_ego_graph_matches_networkx(db, focus, depth):
    full = build_graph(db, layer="all")
    expected = nx.ego_graph(full, focus, radius=depth, undirected=True)
    got = build_graph(db, layer="all", entity=focus, depth=depth)
    assert set(got.nodes) == set(expected.nodes)
    assert list(got.nodes) == [n for n in full.nodes if n in expected]  # stable order, unlike nx.ego_graph
    assert sorted(got.edges(keys=True)) == sorted(expected.edges(keys=True))


def test_unknown_entity_lists_close_matches(db):
    with pytest.raises(KBError) as err:
        build_graph(db, entity="Foxcon")
    assert "Foxcon" in str(err.value) and "鴻海精密工業" in str(err.value) and HON_HAI in str(err.value)
    with pytest.raises(KBError, match="ウィスコンシン州"):
        build_graph(db, entity="ウィスコンシン")  # not an alias; a substring of one
    with pytest.raises(KBError, match="no similar names"):
        build_graph(db, entity="zzzzqqqq")


def test_ambiguous_entity_asks_for_an_id(db):
    db["entity_aliases"].insert({"entity_id": TEXAS, "alias": "SBG"})
    with pytest.raises(KBError, match="several entities"):
        build_graph(db, entity="sbg")


@pytest.mark.parametrize("kwargs, message", [
    ({"layer": "edges"}, "layer"), ({"types": ["merger"]}, "merger"), ({"since": "yesterday"}, "ISO date"),
    ({"depth": -1}, "depth"), ({"min_sources": 0}, "min-sources"),
])
def test_bad_options_raise_kberror(db, kwargs, message):
    with pytest.raises(KBError, match=message):
        build_graph(db, **kwargs)


# --- metrics ------------------------------------------------------------------------------------------

def test_metrics_on_a_small_graph():
    G = nx.MultiDiGraph()
    G.add_nodes_from("abcd")
    G.add_edge("a", "b", key="1", weight=2.0)
    G.add_edge("b", "c", key="2", weight=1.0)
    G.add_edge("b", "c", key="3", weight=1.0)
    m = compute_metrics(G)
    assert list(m) == ["a", "b", "c", "d"]
    assert m["b"]["degree"] == 3 and m["b"]["weighted_degree"] == 4.0
    assert m["b"]["betweenness"] == pytest.approx(1 / 3) and m["a"]["betweenness"] == 0
    assert (m["a"]["community"], m["b"]["community"], m["c"]["community"], m["d"]["community"]) == (0, 0, 0, 1)
    assert sum(x["pagerank"] for x in m.values()) == pytest.approx(1.0)


def test_pagerank_is_the_weighted_stationary_distribution():
    G = nx.MultiDiGraph()
    G.add_edges_from([("a", "b", {"weight": 3.0}), ("a", "c", {"weight": 1.0}), ("b", "c", {}),
                      ("c", "a", {"weight": 2.0}), ("c", "a", {"weight": 2.0}), ("d", "c", {"symmetric": True}),
                      ("e", "a", {})])
    pr = {n: m["pagerank"] for n, m in compute_metrics(G).items()}
    alpha, n = 0.85, G.number_of_nodes()
    out = {u: sum(d.get("weight", 1.0) for _, _, d in G.out_edges(u, data=True)) + (1.0 if u == "c" else 0.0)
           for u in G}  # c also links back to d (symmetric edge)
    for v in G:
        inflow = sum(pr[u] * d.get("weight", 1.0) / out[u] for u, _, d in G.in_edges(v, data=True))
        if v == "d":
            inflow += pr["c"] * 1.0 / out["c"]
        assert pr[v] == pytest.approx(alpha * inflow + (1 - alpha) / n, abs=1e-5)


def test_communities_numbered_by_size_then_min_id():
    G = nx.MultiDiGraph()
    G.add_edges_from([("z1", "z2"), ("z2", "z3"), ("z3", "z1"), ("b1", "b2"), ("a1", "a2")])
    m = compute_metrics(G)
    assert {n: x["community"] for n, x in m.items()} == {"z1": 0, "z2": 0, "z3": 0, "a1": 1, "a2": 1,
                                                         "b1": 2, "b2": 2}


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("k", [None, 1, 3, 10])
def test_betweenness_equals_networkx(seed, k):
    rng = random.Random(seed)
    H = nx.gnm_random_graph(rng.randint(3, 40), rng.randint(0, 90), seed=seed)
    H.add_edges_from([(100, 101), (101, 102)])  # a second component
    H = nx.relabel_nodes(H, {n: f"e{n:03d}" for n in H})
    k = None if k is None else min(k, len(H))
    expected = nx.betweenness_centrality(H, k=k, seed=0)
    got = kbgraph.betweenness_centrality(H, k=k, seed=0)
    assert list(got) == list(expected)
    for n in H:
        assert got[n] == pytest.approx(expected[n], abs=1e-12) or (math.isnan(got[n]) and math.isnan(expected[n]))


def test_approximate_betweenness_is_deterministic(G, monkeypatch):
    monkeypatch.setattr(kbgraph, "EXACT_BETWEENNESS_LIMIT", 3)
    monkeypatch.setattr(kbgraph, "BETWEENNESS_SAMPLES", 4)
    assert compute_metrics(G) == compute_metrics(G.copy())


def test_metrics_saved_and_deterministic(db):
    summary = refresh_metrics(db)
    assert summary == {"nodes": 11, "edges": 15, "claim_edges": 9, "co_mention_edges": 6, "isolated": 1,
                       "communities": summary["communities"], "betweenness": "exact"}
    first = list(db.query("SELECT * FROM entity_metrics ORDER BY entity_id"))
    assert len(first) == 11 and {r["entity_id"] for r in first} == {e["id"] for e in ENTITIES}
    softbank = next(r for r in first if r["entity_id"] == SOFTBANK)
    assert softbank["degree"] == 9 and softbank["betweenness"] > 0
    assert max(first, key=lambda r: r["betweenness"])["entity_id"] == SOFTBANK
    refresh_metrics(db)
    assert list(db.query("SELECT * FROM entity_metrics ORDER BY entity_id")) == first
    G = build_graph(db)  # stored metrics become node attributes
    assert G.nodes[SOFTBANK]["pagerank"] == softbank["pagerank"]
    assert G.nodes[SOFTBANK]["community"] == softbank["community"]


def test_save_metrics_replaces_rows_and_cascades(db):
    save_metrics(db, {SOFTBANK: {"degree": 1, "weighted_degree": 1.0, "pagerank": 0.5, "betweenness": 0.0,
                                 "community": 0}, "not-an-entity": {"degree": 1, "weighted_degree": 1.0,
                                                                    "pagerank": 0.5, "betweenness": 0.0,
                                                                    "community": 0}})
    assert [r["entity_id"] for r in db.query("SELECT entity_id FROM entity_metrics")] == [SOFTBANK]
    db["entities"].insert(entity("ent-orphan", "Orphan", "company", mentions=0, articles=0))
    save_metrics(db, {"ent-orphan": {"degree": 0, "weighted_degree": 0.0, "pagerank": 0.1, "betweenness": 0.0,
                                     "community": 3}})
    assert [r["entity_id"] for r in db.query("SELECT entity_id FROM entity_metrics")] == ["ent-orphan"]
    db.execute("DELETE FROM entities WHERE id = ?", ["ent-orphan"])  # metrics must not block clean-up
    assert db["entity_metrics"].count == 0


# --- exports: write -> read ---------------------------------------------------------------------------

def expected_flat(value):
    """What an XML format stores for a graph attribute value."""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=isinstance(value, dict))
    return value


def test_graphml_round_trip(G, tmp_path):
    path = tmp_path / "g.graphml"
    write_graphml(G, path)
    R = nx.read_graphml(path, force_multigraph=True)
    assert set(R.nodes) == set(G.nodes)
    assert {(u, v, k) for u, v, k in R.edges(keys=True)} == {
        (u, v, k if k != "co-mention" else f"{u}:{v}:co-mention") for u, v, k in G.edges(keys=True)}
    for n, d in G.nodes(data=True):
        assert R.nodes[n] == {"label": d["name"], **{k: expected_flat(v) for k, v in d.items()}}
    assert R.nodes[HON_HAI]["label"] == "鴻海精密工業" and R.nodes[WISCONSIN]["name"] == "ウィスコンシン州"
    edge = R.edges[SOFTBANK, STARGATE, "c-inv1"]
    assert edge == {k: expected_flat(v) for k, v in G.edges[SOFTBANK, STARGATE, "c-inv1"].items() if v is not None}
    assert "first_seen" not in R.edges[OPENAI, NVIDIA, "c-con1"]  # None dropped
    assert json.loads(R.nodes[HON_HAI]["aliases"]) == ["Foxconn", "Hon Hai", "ホンハイ"]


def test_gexf_is_dynamic_and_round_trips(G, tmp_path):
    path = tmp_path / "g.gexf"
    write_gexf(G, path)
    text = path.read_text(encoding="utf-8")
    assert 'mode="dynamic"' in text and 'timeformat="date"' in text
    assert "鴻海精密工業" in text and 'lastmodifieddate="2025-04-14"' in text
    R = nx.read_gexf(path)
    assert set(R.nodes) == set(G.nodes)
    assert R.nodes[HON_HAI]["label"] == "鴻海精密工業" and R.nodes[WISCONSIN]["label"] == "ウィスコンシン州"
    assert R.nodes[WISCONSIN]["latitude"] == 44.5 and R.nodes[HON_HAI]["type"] == "company"
    assert json.loads(R.nodes[HON_HAI]["aliases"]) == ["Foxconn", "Hon Hai", "ホンハイ"]
    assert {k for _, _, k in R.edges(keys=True)} >= CLAIM_EDGES
    inv = R.edges[SOFTBANK, STARGATE, "c-inv1"]
    assert (inv["start"], inv["end"], inv["label"]) == ("2025-01-21", "2025-03-10", "investment")
    assert inv["amount_usd"] == 5e11 and inv["sources"] == 3 and inv["weight"] == 3.0
    assert json.loads(inv["details"]) == {"purpose": "AI データセンター"}
    assert R.edges[OPENAI, SOFTBANK, "c-part1"]["end"] == "2025-02-03"  # date part of a timestamp
    assert "start" not in R.edges[OPENAI, NVIDIA, "c-con1"]


def test_node_link_json_round_trip(G, tmp_path):
    path = tmp_path / "g.json"
    write_node_link_json(G, path)
    text = path.read_text(encoding="utf-8")
    assert "鴻海精密工業" in text and "\\u" not in text
    R = nx.node_link_graph(json.loads(text), edges="edges")
    assert isinstance(R, nx.MultiDiGraph)
    assert dict(R.nodes(data=True)) == dict(G.nodes(data=True))
    drop_none = {(u, v, k): {a: x for a, x in d.items() if x is not None} for u, v, k, d in G.edges(keys=True, data=True)}
    assert {(u, v, k): d for u, v, k, d in R.edges(keys=True, data=True)} == drop_none


def test_cytoscape_json_structure(G, tmp_path):
    path = tmp_path / "g.cyjs"
    write_cytoscape_json(G, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    nodes, edges = data["elements"]["nodes"], data["elements"]["edges"]
    assert len(nodes) == G.number_of_nodes() and len(edges) == G.number_of_edges()
    node_ids = {n["data"]["id"] for n in nodes}
    assert node_ids == set(G.nodes)
    edge_ids = [e["data"]["id"] for e in edges]
    assert len(set(edge_ids)) == len(edge_ids) and not node_ids & set(edge_ids)
    assert all(e["data"]["source"] in node_ids and e["data"]["target"] in node_ids for e in edges)
    hon_hai = next(n["data"] for n in nodes if n["data"]["id"] == HON_HAI)
    assert hon_hai["label"] == hon_hai["name"] == "鴻海精密工業" and hon_hai["aliases"][0] == "Foxconn"
    inv = next(e["data"] for e in edges if e["data"]["id"] == "c-inv1")
    assert (inv["source"], inv["target"], inv["claim_type"]) == (SOFTBANK, STARGATE, "investment")
    assert inv["details"] == {"purpose": "AI データセンター"} and "period" not in inv


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def test_neo4j_csv(G, tmp_path):
    folder = tmp_path / "neo4j"
    write_neo4j_csv(G, folder)
    nodes, rels = read_csv(folder / "nodes.csv"), read_csv(folder / "relationships.csv")
    assert nodes[0][:5] == ["entityId:ID(Entity)", "name", "type", "aliases:string[]", "mentions:int"]
    assert nodes[0][-1] == ":LABEL" and nodes[0] == NEO4J_NODE_HEADER
    assert rels[0] == [":START_ID(Entity)", ":END_ID(Entity)", ":TYPE", "claimId", "summary", "modality",
                       "polarity", "sources:int", "firstSeen", "lastSeen", "amountUsd:float", "weight:float"]
    assert rels[0] == NEO4J_REL_HEADER
    by_id = {r[0]: dict(zip(nodes[0], r)) for r in nodes[1:]}
    assert set(by_id) == set(G.nodes)
    assert by_id[HON_HAI]["name"] == "鴻海精密工業" and by_id[HON_HAI][":LABEL"] == "Company"
    assert by_id[HON_HAI]["aliases:string[]"] == "Foxconn;Hon Hai;ホンハイ"
    assert by_id[ARM]["name"] == 'Arm, "Holdings"; plc' and by_id[ARM]["aliases:string[]"] == 'Arm, "ARM"'
    assert by_id[STARGATE_INV][":LABEL"] == "Investment" and by_id[WISCONSIN]["latitude:float"] == "44.5"
    assert by_id[HON_HAI]["latitude:float"] == "" and by_id[HON_HAI]["mentions:int"] == "3"
    rel = {(r[0], r[1], r[3] or r[2]): dict(zip(rels[0], r)) for r in rels[1:]}
    assert len(rel) == G.number_of_edges()
    assert {r[":TYPE"] for r in rel.values()} == {"INVESTMENT", "PARTNERSHIP", "MANUFACTURING", "CONTRACT",
                                                   "OWNERSHIP", "ROLE", "CO_MENTION"}
    part = rel[OPENAI, SOFTBANK, "c-part1"]
    assert part["summary"] == 'OpenAI and SoftBank form "SB OpenAI Japan", a JV\n(クリスタル・インテリジェンス)'
    assert part["lastSeen"] == "2025-02-03T09:30:00" and part["sources:int"] == "2"
    assert float(rel[SOFTBANK, STARGATE, "c-inv1"]["amountUsd:float"]) == 5e11
    assert rel[OPENAI, SOFTBANK, "CO_MENTION"]["weight:float"] == "2.0"
    assert rel[OPENAI, SOFTBANK, "CO_MENTION"]["claimId"] == ""
    script = (folder / "import.sh").read_text(encoding="utf-8")
    assert neo4j_import_command(multiline=True) in script  # the partnership summary spans two lines
    assert os.access(folder / "import.sh", os.X_OK)
    assert "neo4j-admin database import full" in (folder / "README.md").read_text(encoding="utf-8")


def test_neo4j_import_command_is_neo4j5_syntax(db, tmp_path):
    G = build_graph(db, types=["manufacturing"])
    write_neo4j_csv(G, tmp_path / "n")
    script = (tmp_path / "n" / "import.sh").read_text(encoding="utf-8")
    assert ("neo4j-admin database import full --nodes=Entity=nodes.csv --relationships=relationships.csv neo4j"
            in script.splitlines())


def awkward_graph():
    """Attribute values no XML writer accepts as they are."""
    G = nx.MultiDiGraph(name="awkward", created=dt.date(2025, 1, 1), tags=["a", "b"])
    G.add_node("n1", name="鴻海精密工業", type="company", aliases=["Foxconn", None], score=1, seen=dt.date(2025, 5, 1),
               attrs={"a": [1, 2], "b": None}, nothing=None, weird="bell\x07char", nan=float("nan"),
               id="shadowed", label="old", tagset={"b", "a"}, at=dt.datetime(2025, 5, 1, 12, 30))
    G.add_node("n2", name="ウィスコンシン州", type="state", score=2.5, seen="2025-05-02", flag=True)
    G.add_node("n3")  # no attributes at all
    G.add_edge("n1", "n2", key=0, claim_type="manufacturing", first_seen=dt.date(2025, 1, 1),
               last_seen=dt.datetime(2025, 2, 1, 8, 0), type="x", id="e", source="s", amount_usd=None, weight=2)
    G.add_edge("n1", "n2", key=1, claim_type="contract", weight=1.5, first_seen="not a date", flag=1)
    G.add_edge("n2", "n3", key=0, claim_type="role", flag=False, start="s", end=None)
    return G


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json", "cytoscape", "neo4j"])
def test_exports_accept_none_lists_dicts_and_dates(fmt, tmp_path):
    G = awkward_graph()
    out = export_graph(G, fmt, tmp_path / f"out.{fmt}")
    assert out.exists()
    if fmt == "graphml":
        R = nx.read_graphml(out, force_multigraph=True)
        assert R.nodes["n1"]["seen"] == "2025-05-01" and R.nodes["n2"]["score"] == 2.5
        assert R.nodes["n1"]["score"] == 1.0  # int and float under one name -> float
        assert json.loads(R.nodes["n1"]["attrs"]) == {"a": [1, 2], "b": None}
        assert R.nodes["n1"]["weird"] == "bellchar" and "nan" not in R.nodes["n1"]
        assert R.nodes["n1"]["at"] == "2025-05-01T12:30:00" and json.loads(R.nodes["n1"]["tagset"]) == ["a", "b"]
        assert R.nodes["n1"]["label"] == "鴻海精密工業" and R.nodes["n3"]["label"] == "n3"
        assert {d["flag"] for _, _, d in R.edges(data=True) if "flag" in d} == {1, 0}  # bool+int -> int
    elif fmt == "gexf":
        R = nx.read_gexf(out)
        assert R.nodes["n1"]["label"] == "鴻海精密工業" and R.nodes["n1"]["id_"] == "shadowed"
        edge = R.edges["n1", "n2", "n1:n2:0"]
        assert (edge["start"], edge["end"], edge["type_"], edge["id_"]) == ("2025-01-01", "2025-02-01", "x", "e")
        assert "start" not in R.edges["n1", "n2", "n1:n2:1"] and R.edges["n2", "n3", "n2:n3:0"]["start_"] == "s"
    elif fmt == "json":
        R = nx.node_link_graph(json.loads(out.read_text(encoding="utf-8")), edges="edges")
        assert R.nodes["n1"]["aliases"] == ["Foxconn", None] and R.nodes["n1"]["id_"] == "shadowed"
        assert R.nodes["n1"]["seen"] == "2025-05-01" and "nothing" not in R.nodes["n1"]
        assert R.edges["n1", "n2", 0]["source_"] == "s" and R.graph["created"] == "2025-01-01"
    elif fmt == "cytoscape":
        data = json.loads(out.read_text(encoding="utf-8"))
        n1 = data["elements"]["nodes"][0]["data"]
        assert (n1["id"], n1["id_"], n1["label"]) == ("n1", "shadowed", "鴻海精密工業")
        assert [e["data"]["id"] for e in data["elements"]["edges"]] == ["n1:n2:0", "n1:n2:1", "n2:n3:0"]
    else:
        nodes = read_csv(out / "nodes.csv")
        assert [r[0] for r in nodes[1:]] == ["n1", "n2", "n3"]
        assert nodes[1][NEO4J_NODE_HEADER.index("aliases:string[]")] == "Foxconn"
        assert nodes[3][-1] == ""
        rels = read_csv(out / "relationships.csv")
        assert [r[2] for r in rels[1:]] == ["MANUFACTURING", "CONTRACT", "ROLE"]
        assert rels[1][NEO4J_REL_HEADER.index("firstSeen")] == "2025-01-01"


def test_generate_matches_write(G, tmp_path):
    write_graphml(G, tmp_path / "g.graphml")
    write_gexf(G, tmp_path / "g.gexf")
    assert "\n".join(generate_graphml(G)) == (tmp_path / "g.graphml").read_text(encoding="utf-8").rstrip("\n")
    assert "\n".join(generate_gexf(G)) == (tmp_path / "g.gexf").read_text(encoding="utf-8").rstrip("\n")
    assert 'lastmodifieddate="2030-01-02"' in "\n".join(generate_gexf(G, lastmodified="2030-01-02"))
    with pytest.raises(KBError, match="ISO date"):
        write_gexf(G, tmp_path / "bad.gexf", lastmodified="soon")


def test_cytoscape_json_round_trip(G, tmp_path):
    """nx.cytoscape_graph reads the file once each node names its node in `value` (Cytoscape.js needs only `id`)."""
    path = tmp_path / "g.cyjs"
    write_cytoscape_json(G, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    for node in data["elements"]["nodes"]:
        node["data"]["value"] = node["data"]["id"]
    R = nx.cytoscape_graph(data)
    assert isinstance(R, nx.MultiDiGraph) and set(R.nodes) == set(G.nodes)
    assert R.number_of_edges() == G.number_of_edges()
    assert sorted((u, v) for u, v in R.edges()) == sorted((u, v) for u, v in G.edges())
    assert R.nodes[HON_HAI]["aliases"] == ["Foxconn", "Hon Hai", "ホンハイ"]
    assert R.edges[SOFTBANK, STARGATE, "c-inv1"]["amount_usd"] == 5e11


def test_generate_node_link_matches_write(G, tmp_path):
    write_node_link_json(G, tmp_path / "g.json", indent=None)
    write_cytoscape_json(G, tmp_path / "g.cyjs", indent=None)
    assert json.loads((tmp_path / "g.json").read_text(encoding="utf-8")) == generate_node_link(G)
    assert json.loads((tmp_path / "g.cyjs").read_text(encoding="utf-8")) == generate_cytoscape(G)
    assert (tmp_path / "g.json").read_text(encoding="utf-8").count("\n") == 1  # indent=None: one line


def test_generate_neo4j_rows_match_csv(G, tmp_path):
    write_neo4j_csv(G, tmp_path / "n")
    assert read_csv(tmp_path / "n" / "nodes.csv") == list(generate_neo4j_nodes(G))
    assert read_csv(tmp_path / "n" / "relationships.csv") == list(generate_neo4j_relationships(G))


READWRITE_MODULES = {"graphml": ("generate_graphml", "write_graphml"), "gexf": ("generate_gexf", "write_gexf"),
                     "nodelink": ("generate_node_link", "write_node_link_json"),
                     "cytoscape": ("generate_cytoscape", "write_cytoscape_json"),
                     "neo4j": ("generate_neo4j_nodes", "write_neo4j_csv")}


@pytest.mark.parametrize("module", list(READWRITE_MODULES))
def test_readwrite_module_per_format(module):
    """One module per format with a generate_*/write_* pair, options keyword-only, re-exported by the package."""
    import importlib
    import inspect

    import kb.graph.readwrite as rw

    mod = importlib.import_module(f"kb.graph.readwrite.{module}")
    for name in READWRITE_MODULES[module]:
        func = getattr(mod, name)
        assert getattr(rw, name) is func and name in mod.__all__ and name in rw.__all__
        params = list(inspect.signature(func).parameters.values())
        positional = 1 if name.startswith("generate_") else 2  # (G) or (G, path)
        assert [p.kind for p in params[:positional]] == [inspect.Parameter.POSITIONAL_OR_KEYWORD] * positional
        assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params[positional:]), name
    assert set(mod.__all__) <= set(rw.__all__)


def test_export_graph_rejects_unknown_format(G, tmp_path):
    with pytest.raises(KBError, match="graphml"):
        export_graph(G, "dot", tmp_path / "g.dot")


def test_cytoscape_generation_is_plain_json(G):
    json.dumps(generate_cytoscape(G), allow_nan=False)


# --- golden files -------------------------------------------------------------------------------------

GOLDEN_FILES = {"graph.graphml": "graphml", "graph.gexf": "gexf", "graph.json": "json", "graph.cyjs": "cytoscape",
                "neo4j": "neo4j"}


@pytest.mark.parametrize("name", list(GOLDEN_FILES))
def test_golden_exports(G, tmp_path, name):
    out = export_graph(G, GOLDEN_FILES[name], tmp_path / name)
    produced = sorted(out.iterdir()) if out.is_dir() else [out]
    for path in produced:
        golden = GOLDEN / name / path.name if out.is_dir() else GOLDEN / name
        text = path.read_text(encoding="utf-8")
        if UPDATE_GOLDEN:
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_text(text, encoding="utf-8", newline="")
        assert golden.exists(), f"{golden} missing: run KB_UPDATE_GOLDEN=1 pytest tests/test_graph.py"
        assert text == golden.read_text(encoding="utf-8"), f"{name}: differs from {golden}"
    if out.is_dir():
        assert sorted(p.name for p in produced) == sorted(p.name for p in (GOLDEN / name).iterdir())


def test_metrics_identical_across_processes(tmp_path):
    """Louvain and sampled betweenness must not depend on set order (PYTHONHASHSEED)."""
    import subprocess
    import sys
    make_db(tmp_path / "kb.db").conn.close()
    script = ("import json, sys; from kb.store import open_db; from kb import graph; "
              "graph.EXACT_BETWEENNESS_LIMIT = 5; graph.BETWEENNESS_SAMPLES = 6; "
              "G = graph.build_graph(open_db(sys.argv[1]), layer='all'); "
              "print(json.dumps(graph.compute_metrics(G), sort_keys=True))")
    outputs = {subprocess.run([sys.executable, "-c", script, str(tmp_path / "kb.db")], check=True, text=True,
                              capture_output=True, cwd=Path(__file__).parents[1],
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")}
    assert len(outputs) == 1 and json.loads(outputs.pop())[SOFTBANK]["degree"] == 9


def test_investments_are_nodes_linked_to_investor_and_target(tmp_path):
    """An investment claim links investor -> investment node -> target."""
    from kb.store import open_db
    from kb.graph import build_graph

    db = open_db(tmp_path / "inv.db")
    for eid, name, typ in [("company:softbank-group", "SoftBank Group", "company"),
                           ("company:openai", "OpenAI", "company"),
                           ("investment:c1", "SoftBank Group — investment in OpenAI — $30 billion", "investment")]:
        db["entities"].insert({"id": eid, "name": name, "type": typ})
    db["claims"].insert({"id": "c1", "type": "investment", "summary": "SB → OpenAI", "subject_id": "company:softbank-group",
                         "object_id": "company:openai", "investment_id": "investment:c1", "sources": 2,
                         "amount_usd": 3e10, "first_seen": "2025-11-22", "last_seen": "2025-11-24"})
    G = build_graph(db)
    assert G.has_edge("company:softbank-group", "investment:c1", key="c1:invests")
    assert G.has_edge("investment:c1", "company:openai", key="c1:target")
    assert G.nodes["investment:c1"]["type"] == "investment"
    assert G.has_edge("company:softbank-group", "company:openai", key="c1")
