"""Syndicated copies: one story republished by several outlets is one source of its claims.

The fixture articles (tests/fixtures/syndication, written for these tests) are two wire stories, one
Japanese (北浜通信) and one English (Harbor Wire), each republished by two outlets with another header,
byline, footer or "related articles" tail and light edits (one copy is an HTML page whose outlet comes from
its URL), plus one independent article per language about the same event, sharing its names, figures and
even a quote, which must stay a source of its own. tests/fixtures/syndication-pairs holds harder single
cases (a brief, a heavily edited copy, a column quoting the wire, a follow-up) scored against them.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb import syndication as synd
from kb.cli import cli
from kb.pipeline.ingest import ingest_paths
from kb.sources import read_articles, site_of_url
from kb.store import open_db
from kb.store.export import generate_claims

FIXTURES = Path(__file__).parent / "fixtures" / "syndication"
JA_GROUP = {"ja-wire-kitahama.md", "ja-copy-kansai.md", "ja-copy-techjournal.md"}
EN_GROUP = {"en-wire-harbor.md", "en-copy-ledger.md", "en-copy-metro.html"}
INDEPENDENT = {"ja-independent-nikkan.md", "en-independent-silicon.md"}


def _texts() -> dict[str, str]:
    return {p.name: next(read_articles(p)).text for p in sorted(FIXTURES.iterdir())}


def _copy(tmp_path: Path, names) -> Path:
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    for name in names:
        shutil.copy(FIXTURES / name, folder / name)
    return folder


def _groups(db) -> list[set[str]]:
    """The stored groups as sets of file names."""
    out = {}
    for r in db.query("SELECT m.group_id, a.source_path FROM syndication_members m "
                      "JOIN articles a ON a.id = m.article_id"):
        out.setdefault(r["group_id"], set()).add(Path(r["source_path"]).name)
    return sorted(out.values(), key=sorted)


def _claims_backed_by(db, names: set[str]) -> list[dict]:
    """Exported claims with evidence in every one of the named files."""
    out = []
    for c in generate_claims(db):
        files = {Path(e["source_path"]).name for e in c["evidence"]}
        if names <= files:
            out.append(c)
    return out


# --- the decision, on the texts -----------------------------------------------------------------------

def test_copies_score_above_the_threshold_and_independent_stories_below():
    texts = _texts()
    sh = {n: synd.shingles(t) for n, t in texts.items()}
    for group in (JA_GROUP, EN_GROUP):
        for a in group:
            for b in group - {a}:
                assert synd.is_copy(synd.similarity(sh[a], sh[b])), (a, b, synd.similarity(sh[a], sh[b]))
    for lone in INDEPENDENT:
        for other in set(texts) - {lone}:
            score = synd.similarity(sh[lone], sh[other])
            assert score < synd.THRESHOLD - 0.2, (lone, other, score)  # a wide margin, not a near miss


# Harder pairs (tests/fixtures/syndication-pairs): the story each file is a copy of, or None.
PAIRS = {
    "en-brief-copy.md": EN_GROUP,       # the first two paragraphs only, under an "IN BRIEF" header
    "ja-heavy-edit.md": JA_GROUP,       # every sentence reworded by a desk editor
    "en-quoting-column.md": None,       # an opinion column quoting one wire paragraph verbatim
    "ja-follow-up.md": None,            # the wire's next-day story, reusing one background paragraph
}


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_briefs_and_heavy_edits_are_copies_columns_and_follow_ups_are_not(name):
    text = next(read_articles(FIXTURES.parent / "syndication-pairs" / name)).text
    sh = synd.shingles(text)
    scores = {other: synd.similarity(sh, synd.shingles(t)) for other, t in _texts().items()}
    copies = {other for other, score in scores.items() if synd.is_copy(score)}
    assert copies == (PAIRS[name] or set()), scores


def test_shingles_fold_width_case_and_punctuation():
    assert synd.normalise("ＡＩ向け、「データセンター」！") == "ai向け データセンター"
    assert synd.normalise("Nvidia's  [latest](https://x.example/a) CHIPS.") == "nvidia s latest chips"
    ja = synd.shingles("ソフトバンクグループは堺市に")
    assert "ソフトバン" in ja and all(len(s) == synd.CHAR_N for s in ja)  # characters, no spaces needed
    en = synd.shingles("Microsoft has signed a contract")
    assert en == {"microsoft has signed", "has signed a", "signed a contract"}


def test_short_texts_never_group():
    line = "SoftBank invests in OpenAI."
    assert synd.similarity(synd.shingles(line), synd.shingles(line)) == 0.0


def test_lsh_bands_find_copies_with_long_tails():
    """A copy whose extra tail halves the Jaccard similarity still shares an LSH band with the original."""
    texts = _texts()
    base = synd.shingles(texts["en-wire-harbor.md"])
    tail = texts["en-copy-ledger.md"] + "\n\n" + " ".join(f"Other headline number {i} of the day." for i in range(60))
    long_copy = synd.shingles(tail)
    assert len(base & long_copy) / len(base | long_copy) < 0.5
    assert synd.is_copy(synd.similarity(base, long_copy))
    shared = set(synd.bands(synd.signature(base))) & set(synd.bands(synd.signature(long_copy)))
    assert shared


def test_outlet_from_front_matter_or_url(tmp_path):
    # the outlet an article names (kb.sources: outlet, publisher, site_name …), else the site of its URL
    named = tmp_path / "named.md"
    named.write_text("---\ntitle: t\noutlet: Harbor Wire\nurl: https://www.other.example/x\n---\nText.\n",
                     encoding="utf-8")
    plain = tmp_path / "plain.md"
    plain.write_text("---\ntitle: t\nurl: https://www.metrotribune.example/business/x\n---\nText.\n",
                     encoding="utf-8")
    a, b = next(read_articles(named)), next(read_articles(plain))
    assert (a.outlet or site_of_url(a.url)) == "Harbor Wire"
    assert (b.outlet or site_of_url(b.url)) == "metrotribune.example"
    assert site_of_url(None) is None


# --- stored groups and source counts ------------------------------------------------------------------

@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("synd") / "kb.db"
    db = open_db(path)
    ingest_paths(db, [str(FIXTURES)])
    yield db
    db.close()


def test_three_outlets_are_one_group_each_and_independent_stories_stay_apart(corpus_db):
    assert _groups(corpus_db) == sorted([EN_GROUP, JA_GROUP], key=sorted)
    canon = {Path(r["source_path"]).name for r in corpus_db.query(
        "SELECT a.source_path FROM syndication_groups g JOIN articles a ON a.id = g.canonical_article_id")}
    assert canon == {"ja-wire-kitahama.md", "en-wire-harbor.md"}  # the earliest published copy
    outlets = {r["outlet"] for r in corpus_db.query("SELECT outlet FROM article_syndication")}
    assert {"北浜通信", "関西経済新聞", "テックジャーナル", "Harbor Wire", "Daily Ledger", "metrotribune.example",
            "日刊テック", "Silicon Desk"} <= outlets


@pytest.mark.parametrize("group, independent", [(JA_GROUP, "ja-independent-nikkan.md"),
                                                (EN_GROUP, "en-independent-silicon.md")])
def test_a_story_republished_three_times_counts_once(corpus_db, group, independent):
    # Claims every copy of the story states: three articles, one source.
    copied = _claims_backed_by(corpus_db, group)
    assert copied
    for c in copied:
        files = {Path(e["source_path"]).name for e in c["evidence"]}
        independent_files = files - group
        assert c["sources"] == 1 + len(independent_files), (c["summary"], files)
        assert c["articles"] == len(files)
    # Claims the independent article states too: two independent stories, two sources.
    both = _claims_backed_by(corpus_db, group | {independent})
    assert both, "the fixtures share at least one claim between the wire story and the independent one"
    for c in both:
        assert c["sources"] == 2 and c["articles"] == 4


def test_export_lists_stories_with_also_published_by(corpus_db):
    claim = _claims_backed_by(corpus_db, EN_GROUP | {"en-independent-silicon.md"})[0]
    stories = {s["outlet"]: s for s in claim["stories"]}
    assert set(stories) == {"Harbor Wire", "Silicon Desk"}
    assert sorted(a["outlet"] for a in stories["Harbor Wire"]["also_published_by"]) == ["Daily Ledger",
                                                                                         "metrotribune.example"]
    assert stories["Silicon Desk"]["also_published_by"] == []
    group = stories["Harbor Wire"]["syndication_group"]
    assert group and {e["syndication_group"] for e in claim["evidence"]} == {group, None}
    db_text = {r["id"]: r["text"] for r in corpus_db.query("SELECT id, text FROM articles")}
    assert all(db_text[e["article_id"]][e["start"]:e["end"]] == e["quote"] for e in claim["evidence"])


def test_cli_export_and_listing(corpus_db, tmp_path):
    path = str(corpus_db.conn.execute("PRAGMA database_list").fetchone()[2])
    runner = CliRunner()
    r = runner.invoke(cli, ["export", "claims", "--db", path])
    assert r.exit_code == 0, r.output
    rows = [json.loads(line) for line in r.output.splitlines() if line.startswith("{")]
    assert any(s["also_published_by"] for c in rows for s in c["stories"])
    r = runner.invoke(cli, ["ingest", str(FIXTURES), "--db", path])
    assert r.exit_code == 0, r.output
    assert "Syndicated copies: 6 articles are 2 stories republished by several outlets" in r.output
    r = runner.invoke(cli, ["syndication", "--db", path])
    assert r.exit_code == 0, r.output
    assert "3 copies of one story" in r.output and "Daily Ledger" in r.output and "関西経済新聞" in r.output
    r = runner.invoke(cli, ["claims", "--db", path, "--no-quotes"])
    assert r.exit_code == 0, r.output
    assert "] 1 source in 3 articles;" in r.output and "] 2 sources in 4 articles;" in r.output


# --- incremental: later copies, re-ingest, deletion, rebuild -------------------------------------------

def _source_counts(db) -> dict[str, int]:
    return {c["id"]: c["sources"] for c in generate_claims(db)}


def test_a_copy_ingested_later_joins_the_group(tmp_path):
    db = open_db(tmp_path / "kb.db")
    folder = _copy(tmp_path, ["en-copy-ledger.md", "en-independent-silicon.md"])
    ingest_paths(db, [str(folder)])
    assert _groups(db) == []
    before = _claims_backed_by(db, {"en-copy-ledger.md", "en-independent-silicon.md"})
    assert before and all(c["sources"] == 2 for c in before)
    # A later run: the wire original (published earlier) and another copy join the stored article's group.
    later = tmp_path / "later"
    later.mkdir()
    for name in ("en-wire-harbor.md", "en-copy-metro.html"):
        shutil.copy(FIXTURES / name, later / name)
    ingest_paths(db, [str(later)])
    assert _groups(db) == [EN_GROUP]
    canonical = db.execute("SELECT a.source_path FROM syndication_groups g "
                           "JOIN articles a ON a.id = g.canonical_article_id").fetchone()[0]
    assert canonical.endswith("en-wire-harbor.md")
    after = _claims_backed_by(db, EN_GROUP | {"en-independent-silicon.md"})
    assert after and all(c["sources"] == 2 and c["articles"] == 4 for c in after)
    # Re-ingesting everything changes nothing.
    counts = _source_counts(db)
    ingest_paths(db, [str(folder), str(later)])
    assert _groups(db) == [EN_GROUP] and _source_counts(db) == counts


def test_changing_or_deleting_a_copy_keeps_groups_consistent(tmp_path):
    db = open_db(tmp_path / "kb.db")
    folder = _copy(tmp_path, sorted(JA_GROUP | {"ja-independent-nikkan.md"}))
    ingest_paths(db, [str(folder)])
    assert _groups(db) == [JA_GROUP]
    gid = db.execute("SELECT id FROM syndication_groups").fetchone()[0]
    # One copy is rewritten into a different story: it leaves the group, which keeps its id.
    (folder / "ja-copy-kansai.md").write_text(
        "---\ntitle: 関西の話題\noutlet: 関西経済新聞\ndate: 2026-03-14\n---\n\n"
        + "大阪市内の商店街では、週末に恒例の春祭りが開かれ、多くの家族連れでにぎわった。" * 3
        + "\n\n主催者によると、来場者は昨年を上回ったという。地元の高校生による吹奏楽の演奏もあった。\n",
        encoding="utf-8")
    ingest_paths(db, [str(folder)])
    assert _groups(db) == [JA_GROUP - {"ja-copy-kansai.md"}]
    assert db.execute("SELECT id FROM syndication_groups").fetchone()[0] == gid
    # Deleting the wire original leaves one copy: no group; its claims count the copy alone.
    from kb.store.articles import delete_article
    from kb.store.claims import refresh_claims
    wire = db.execute("SELECT id FROM articles WHERE source_path LIKE '%ja-wire-kitahama.md'").fetchone()[0]
    with db.conn:
        claims, _ = delete_article(db, wire)
        refresh_claims(db, claims)
    assert _groups(db) == []
    assert db.execute("SELECT count(*) FROM syndication_pairs").fetchone()[0] == 0
    shared = _claims_backed_by(db, {"ja-copy-techjournal.md", "ja-independent-nikkan.md"})
    assert shared and all(c["sources"] == 2 for c in shared)


def test_groups_rebuild_from_stored_signatures(corpus_db, tmp_path):
    path = tmp_path / "kb.db"
    db = open_db(path)
    ingest_paths(db, [str(FIXTURES)])
    groups, counts = _groups(db), _source_counts(db)
    signatures = dict(db.execute("SELECT article_id, minhash FROM article_syndication"))
    db.execute("DELETE FROM article_lsh")
    db.execute("DELETE FROM syndication_members")
    db.execute("DELETE FROM syndication_groups")
    db.conn.commit()
    r = CliRunner().invoke(cli, ["syndication", "--rebuild", "--db", str(path)])
    assert r.exit_code == 0, r.output
    assert _groups(db) == groups and _source_counts(db) == counts
    assert dict(db.execute("SELECT article_id, minhash FROM article_syndication")) == signatures
    assert db.execute("SELECT count(*) FROM article_lsh").fetchone()[0] == synd.BANDS * len(signatures)


def test_articles_stored_before_syndication_get_indexed_on_the_next_ingest(tmp_path):
    db = open_db(tmp_path / "kb.db")
    folder = _copy(tmp_path, sorted(EN_GROUP))
    ingest_paths(db, [str(folder)])
    # As a database from before this feature: no signatures, no groups, claims counted per article.
    db.execute("DELETE FROM article_syndication")
    db.execute("DELETE FROM article_lsh")
    db.execute("DELETE FROM syndication_pairs")
    db.execute("DELETE FROM syndication_groups")
    db.execute("UPDATE claims SET sources = evidence_count")
    db.conn.commit()
    ingest_paths(db, [str(folder)])  # every file unchanged: only the backfill runs
    assert _groups(db) == [EN_GROUP]
    assert all(c["sources"] == 1 for c in _claims_backed_by(db, EN_GROUP))


# --- the claim page -------------------------------------------------------------------------------------

@pytest.mark.asyncio
async def test_claim_page_says_also_published_by(corpus_db):
    from kb.web.serve import make_datasette
    path = corpus_db.conn.execute("PRAGMA database_list").fetchone()[2]
    claim = _claims_backed_by(corpus_db, JA_GROUP | {"ja-independent-nikkan.md"})[0]
    ds = make_datasette(path)
    r = await ds.client.get(f"/-/kb/claim/{claim['id']}")
    assert r.status_code == 200
    page = r.text
    assert "2 independent stories" in page
    block = page[page.index('class="kb-stories"'):page.index("</ul>", page.index('class="kb-stories"'))]
    assert "北浜通信" in block and "日刊テック" in block
    start = block.index("also published by")
    also = block[start:block.index("</div>", start)]
    assert "関西経済新聞" in also and "テックジャーナル" in also and "日刊テック" not in also
    ids = {r["id"] for r in corpus_db.query("SELECT id FROM articles")}
    assert sum(f"/-/kb/article/{i}" in block for i in ids) == 4


def test_deleting_the_copy_that_bridged_two_others_splits_their_group(tmp_path):
    """Copies B and C linked only through the original A: without A they are two stories again."""
    from kb.store.articles import delete_article
    from kb.store.claims import refresh_claims
    from kb.store.syndication import regroup
    db = open_db(tmp_path / "kb.db")
    ingest_paths(db, [str(_copy(tmp_path, sorted(EN_GROUP)))])
    ids = {Path(r["source_path"]).name: r["id"] for r in db.query("SELECT id, source_path FROM articles")}
    ledger, metro, wire = ids["en-copy-ledger.md"], ids["en-copy-metro.html"], ids["en-wire-harbor.md"]
    with db.conn:  # as if the two copies had been edited apart: each is a copy of the wire story only
        db.execute("DELETE FROM syndication_pairs WHERE article_id IN (?, ?) AND other_article_id IN (?, ?)",
                   [ledger, metro, ledger, metro])
        regroup(db, [ledger, metro])
    assert _groups(db) == [EN_GROUP]
    both = _claims_backed_by(db, {"en-copy-ledger.md", "en-copy-metro.html"})
    assert both and all(c["sources"] == 1 for c in both)
    with db.conn:
        claims, _ = delete_article(db, wire)
        refresh_claims(db, claims)
    assert _groups(db) == []
    both = _claims_backed_by(db, {"en-copy-ledger.md", "en-copy-metro.html"})
    assert both and all(c["sources"] == 2 for c in both)


@pytest.mark.asyncio
async def test_canned_query_lists_the_groups(corpus_db):
    from kb.web.serve import make_datasette
    ds = make_datasette(corpus_db.conn.execute("PRAGMA database_list").fetchone()[2])
    db_name = next(iter(ds.databases.keys() - {"_internal", "_memory"}))
    r = await ds.client.get(f"/{db_name}/syndicated_copies.json", params={"outlet": "", "_shape": "objects"})
    assert r.status_code == 200, r.text
    rows = r.json()["rows"]
    assert {Path(x["source_path"]).name for x in rows} == JA_GROUP | EN_GROUP
    assert {x["outlet"] for x in rows if x["is_canonical"]} == {"北浜通信", "Harbor Wire"}
    r = await ds.client.get(f"/{db_name}/syndicated_copies.json", params={"outlet": "Ledger", "_shape": "objects"})
    assert {Path(x["source_path"]).name for x in r.json()["rows"]} == EN_GROUP


def test_graph_counts_a_story_once_in_co_mentions_and_claim_edges(corpus_db):
    from kb.graph import build_graph
    G = build_graph(corpus_db, layer="all")
    ids = {r["name"]: r["id"] for r in corpus_db.query("SELECT id, name FROM entities")}
    u, v = sorted((ids["Microsoft"], ids["CoreWeave"]))
    co = G.get_edge_data(u, v)["co-mention"]
    # Microsoft and CoreWeave share passages in the wire story, its two copies and the independent article.
    assert co["sources"] == 2
    articles = corpus_db.execute(
        "SELECT count(DISTINCT x.article_id) FROM mentions x JOIN mentions y ON y.passage_id = x.passage_id "
        "WHERE x.entity_id = ? AND y.entity_id = ?", [u, v]).fetchone()[0]
    assert articles == 4
    claim_edges = [d for _, _, d in G.edges(data=True) if d.get("claim_type") == "role"]
    assert claim_edges and max(d["sources"] for d in claim_edges) == 2
    assert len(build_graph(corpus_db, layer="mentions", min_sources=3).edges) == 0  # no pair in 3 stories


def test_outlet_of_html_site_name_and_jsonl_records(tmp_path):
    page = tmp_path / "p.html"
    page.write_text('<html><head><meta property="og:site_name" content="Metro Tribune">'
                    '<meta property="og:url" content="https://www.metrotribune.example/x"></head>'
                    "<body><p>Microsoft signed a contract.</p></body></html>", encoding="utf-8")
    a = next(read_articles(page))
    assert a.outlet == "Metro Tribune"  # a page's og:site_name (kb.pages); kb.store.articles indexes it
    feed = tmp_path / "f.jsonl"
    feed.write_text(json.dumps({"title": "t", "body": "Microsoft signed a contract.", "outlet": "Harbor Wire"}) + "\n"
                    + json.dumps({"title": "u", "body": "CoreWeave rose.", "url": "https://www.ledger.example/a"}) + "\n",
                    encoding="utf-8")
    outlets = [x.outlet or site_of_url(x.url) for x in read_articles(feed)]
    assert outlets == ["Harbor Wire", "ledger.example"]
