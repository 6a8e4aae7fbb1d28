"""Saved news pages: only the story reaches articles.text, with the page's real title, date, site and URL."""

from __future__ import annotations

import shutil
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner

from kb.cli import cli
from kb.pages import extract_page, parse_timestamp
from kb.pipeline.ingest import ingest_paths
from kb.sources import FALLBACK_REASON, decode_markup, parse_date, read_articles
from kb.store import open_db
from newsserver import BOILERPLATE_EN, BOILERPLATE_JA, NEWS

PAGES = {
    "en_wire.html": {
        "title": "Foxconn to build $1.2 billion AI server plant in Wisconsin",
        "published": "2026-03-14T09:30:00-05:00", "author": "Dana Whitfield", "site_name": "Harbor Wire",
        "url": "https://news.harborwire.test/tech/2026/03/14/foxconn-wisconsin-ai-servers/", "lang": "en",
        "boilerplate": BOILERPLATE_EN + ["Microsoft to invest", "TSMC says", "Manage preferences", "Nvidia shares slide",
                                         "A worker walks past", "Harbor Wire Media Group", "Search Harbor Wire"]},
    "ja_keizai.html": {
        "title": "鴻海、米ウィスコンシン州にAIサーバー新工場　12億ドル投資",
        "published": "2026-03-15T06:00:00+09:00", "author": "山田花子", "site_name": "湾岸経済新聞",
        "url": "https://www.wangan-keizai.test/article/DGXZQ0314A/", "lang": "ja",
        "boilerplate": BOILERPLATE_JA + ["ソフトバンク、堺市", "マイクロソフト、日本に", "メキシコでもサーバーを生産している",
                                         "無料会員登録", "日経平均", "広告"]},
    "ja_sjis_saved.html": {
        "title": "ソフトバンク、堺市にAIデータセンター　1000億円投資",
        "published": "2026-03-20T17:45:00+09:00", "author": "中村一郎", "site_name": "関西ビジネス日報",
        "url": "https://www.kansai-biz.test/news/20260320-sb/", "lang": "ja",
        "boilerplate": BOILERPLATE_JA + ["キオクシア", "NTT、京都", "工場の跡地（2025年撮影）"]},
}


def story_paragraphs(name: str) -> list[str]:
    """The story as the page's own markup holds it (headline and body paragraphs), read without trafilatura."""
    data = (NEWS / name).read_bytes()
    text, _, _ = decode_markup(data, name)
    tree = lxml.html.document_fromstring(text)
    paras = [" ".join(h.text_content().split()) for h in tree.iter("h1")]
    paras += [p.text_content().strip() for div in tree.find_class("story-body") + tree.find_class("article-body")
              for p in div.iter("p")]
    paras += [p.text_content().strip() for p in tree.find_class("corrections")]
    return paras


@pytest.fixture(scope="module")
def saved_pages(tmp_path_factory):
    folder = tmp_path_factory.mktemp("saved")
    for name in list(PAGES) + ["topics_list.html"]:
        shutil.copy(NEWS / name, folder / name)
    path = tmp_path_factory.mktemp("db") / "kb.db"
    db = open_db(path)
    summary = ingest_paths(db, [str(folder)])
    yield db, summary, folder
    db.close()


def _article(db, name):
    rows = list(db.query("SELECT * FROM articles WHERE source_path LIKE ?", [f"%/{name}"]))
    assert len(rows) == 1, name
    return rows[0]


@pytest.mark.parametrize("name", sorted(PAGES))
def test_boilerplate_never_reaches_the_stored_text(saved_pages, name):
    db, _, _ = saved_pages
    text = _article(db, name)["text"]
    for phrase in PAGES[name]["boilerplate"]:
        assert phrase not in text, f"{name}: boilerplate {phrase!r} was stored"
    for para in story_paragraphs(name)[1:]:
        assert para in text, f"{name}: story paragraph missing: {para[:40]}"


@pytest.mark.parametrize("name", sorted(PAGES))
def test_real_title_date_author_site_url_and_source(saved_pages, name):
    db, _, folder = saved_pages
    row = _article(db, name)
    want = PAGES[name]
    for key in ("title", "author", "site_name", "url", "lang"):
        assert row[key] == want[key], (name, key)
    # the page's own time and zone; `published` is the same moment in UTC (for sorting)
    assert row["published_local"] == want["published"], name
    assert row["published"] == (parse_date(want["published"]) if want["published"] else None), name
    assert row["outlet"] == want["site_name"], name
    assert row["source_path"] == str(folder / name)
    assert row["extractor"] == "trafilatura" and row["format"] == "html"


def test_claim_quotes_are_story_text_with_exact_offsets(saved_pages):
    db, summary, _ = saved_pages
    assert summary.claims >= 3 and summary.failed == 0
    rows = list(db.query("SELECT e.quote, e.start, e.\"end\", a.text, a.source_path FROM claim_evidence e "
                         "JOIN articles a ON a.id = e.article_id"))
    names = {Path(r["source_path"]).name for r in rows}
    assert {"en_wire.html", "ja_keizai.html", "ja_sjis_saved.html"} <= names
    for r in rows:
        name = Path(r["source_path"]).name
        assert r["quote"] == r["text"][r["start"]:r["end"]]
        if name in PAGES:
            assert any(r["quote"] in para for para in story_paragraphs(name)), (name, r["quote"])
    mention_rows = list(db.query("SELECT m.text, m.start, m.\"end\", a.text AS body FROM mentions m "
                                 "JOIN articles a ON a.id = m.article_id"))
    assert mention_rows and all(m["text"] == m["body"][m["start"]:m["end"]] for m in mention_rows)


def test_the_investment_of_the_story_is_found_and_the_related_link_is_not(saved_pages):
    db, _, _ = saved_pages
    quotes = [r["quote"] for r in db.query("SELECT quote FROM claim_evidence")]
    assert any("Foxconn will invest $1.2 billion" in q for q in quotes)
    assert any("12億ドル" in q for q in quotes)
    assert not any("Microsoft" in q or "マイクロソフト" in q for q in quotes)


def test_a_page_without_main_text_falls_back_and_says_so(saved_pages):
    db, summary, _ = saved_pages
    row = _article(db, "topics_list.html")
    assert row["extractor"] == "html-text"
    assert "Equinix opens a second Osaka campus" in row["text"]
    assert summary.web.fallback_pages == 1
    errors = list(db.query("SELECT * FROM ingest_errors WHERE path LIKE '%topics_list.html'"))
    assert [e["reason"] for e in errors] == [FALLBACK_REASON] and errors[0]["severity"] == "warning"
    others = list(db.query("SELECT * FROM ingest_errors WHERE path NOT LIKE '%topics_list.html'"))
    assert others == []


def test_cli_summary_names_the_fallback(tmp_path):
    result = CliRunner().invoke(cli, ["ingest", str(NEWS / "topics_list.html"), "--db", str(tmp_path / "kb.db")])
    assert result.exit_code == 0, result.output
    assert "Pages without a main text found: 1" in result.output
    assert "no main text found by the news-page extractor" in result.output


def test_shift_jis_page_declared_in_meta_is_read_from_its_bytes():
    raw = (NEWS / "ja_sjis_saved.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    article = next(read_articles(NEWS / "ja_sjis_saved.html"))
    assert article.encoding == "cp932" and not article.warnings
    assert "大阪府堺市に約1000億円を投じて" in article.text


def test_extract_page_keeps_the_extractors_text_exactly():
    markup = (NEWS / "en_wire.html").read_text(encoding="utf-8")
    page = extract_page(markup)
    article = next(read_articles(NEWS / "en_wire.html"))
    assert article.text == page.text.strip("\n")


def test_relative_canonical_is_resolved_against_the_page_url():
    from kb.sources import page_article
    markup = ('<html lang="en"><head><title>X</title><link rel="canonical" href="/a/b/"></head><body><article>'
              '<p>Sakura Internet will spend 100 billion yen on GPU servers in Hokkaido, the company said on '
              'Friday, as demand for cloud computing in Japan grows faster than expected this year.</p>'
              '</article></body></html>')
    a = page_article(markup, path="http://127.0.0.1:1/x", key="k", encoding="utf-8", warnings=[],
                     url="http://127.0.0.1:1/x", final_url="http://127.0.0.1:1/final")
    assert a.url == "http://127.0.0.1:1/a/b/"


@pytest.mark.parametrize("raw,want", [
    ("2026-03-14T09:30:00-05:00", "2026-03-14T09:30:00-05:00"),
    ("2026-03-15T06:00:00+0900", "2026-03-15T06:00:00+09:00"),
    ("2026-03-15T06:00:00.123Z", "2026-03-15T06:00:00+00:00"),
    ("Sat, 14 Mar 2026 09:30:00 +0900", "2026-03-14T09:30:00+09:00"),
    ("Sat, 14 Mar 2026 09:30:00 GMT", "2026-03-14T09:30:00+00:00"),
    ("2026年3月15日 6:00", "2026-03-15T06:00:00"),
    ("2026-03-15 06:00 JST", "2026-03-15T06:00:00+09:00"),
    ("2026-03-15", "2026-03-15"),
    ("March 14, 2026", "2026-03-14"),
    ("yesterday", None),
    ("2026-02-30", None),
])
def test_timestamps_keep_their_time_zone(raw, want):
    assert parse_timestamp(raw) == want


def test_a_page_saved_complete_is_one_article_and_its_resources_folder_is_passed_over(tmp_path):
    saved = tmp_path / "saved"
    saved.mkdir()
    shutil.copy(NEWS / "en_wire.html", saved / "Foxconn story.html")
    resources = saved / "Foxconn story_files"
    resources.mkdir()
    (resources / "ad-frame.html").write_text("<html><body><p>Buy cheap GPUs now, limited offer for every "
                                             "reader today.</p></body></html>", encoding="utf-8")
    (resources / "app.js").write_text("var x = 1;", encoding="utf-8")
    db = open_db(tmp_path / "kb.db")
    summary = ingest_paths(db, [str(saved)])
    assert (summary.new, summary.failed) == (1, 0)
    assert [r["title"] for r in db.query("SELECT title FROM articles")] == [PAGES["en_wire.html"]["title"]]
    notes = [p["reason"] for p in summary.problems]
    assert notes == ["the images, scripts and frames saved with the page Foxconn story.html; skipped"]
    db.close()


def test_a_page_without_a_date_gets_none_not_its_copyright_year():
    from newsserver import news_page
    markup = news_page(title="Tokyo Electron expands", published="", paragraphs=[
        "Tokyo Electron will invest 150 billion yen in a new plant in Miyagi, the company said on Monday, adding "
        "that production would start in 2027."] * 2).replace('<meta property="article:published_time" content="">', "")
    assert "&copy; 2026" in markup
    page = extract_page(markup)
    assert page.published is None and page.title == "Tokyo Electron expands"


def test_a_page_saved_by_a_browser_keeps_the_address_it_was_saved_from(tmp_path):
    from newsserver import news_page
    markup = news_page(title="Rapidus raises funds", paragraphs=[
        "Rapidus will raise 100 billion yen from Japanese banks to build its second fab in Hokkaido, the chipmaker "
        "said on Thursday, as it prepares for mass production."] * 2)
    saved = tmp_path / "Rapidus raises funds.html"
    saved.write_text("<!-- saved from url=(0044)https://news.harborwire.test/rapidus-funds/ -->\n" + markup,
                     encoding="utf-8")
    article = next(read_articles(saved))
    assert article.url == "https://news.harborwire.test/rapidus-funds/" and article.source_path == str(saved)


async def test_the_article_page_shows_site_author_date_and_links_the_original(saved_pages):
    from kb.store.schema import db_file
    from kb.web.serve import make_datasette
    db, _, _ = saved_pages
    row = _article(db, "ja_keizai.html")
    ds = make_datasette(Path(db_file(db)))
    page = (await ds.client.get(f"/-/kb/article/{row['id']}")).text
    assert '<dd class="kb-outlet">湾岸経済新聞</dd>' in page and "<dd>山田花子</dd>" in page
    assert 'datetime="2026-03-15T06:00:00+09:00">2026-03-15 06:00 (UTC+09:00)</time>' in page
    assert 'href="https://www.wangan-keizai.test/article/DGXZQ0314A/"' in page
    assert "台湾の鴻海精密工業は14日" in page and "ソフトバンク、堺市" not in page  # the story, not the related list
