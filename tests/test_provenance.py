"""Provenance an analyst cites: the article's web address, outlet and date in its own time zone (stored at
ingest, shown on claim and article pages), and article pages that render Markdown with exact highlights."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from kb.sources import parse_date, parse_date_local, read_articles, site_of_url
from kb.web.display import format_published, outlet_name
from kb.web.markdown import render_markdown

PROVENANCE = Path(__file__).parent / "fixtures" / "provenance"
JA = PROVENANCE / "2025-12-06-ja-morning-plant.md"
EN = PROVENANCE / "2025-12-05-en-evening-contract.md"


@pytest.fixture(scope="module")
def prov_db(tmp_path_factory):
    """The provenance fixture articles ingested by the real pipeline."""
    from kb.pipeline.ingest import ingest_paths
    from kb.store import open_db

    path = tmp_path_factory.mktemp("prov") / "kb.db"
    db = open_db(path)
    summary = ingest_paths(db, [str(PROVENANCE)])
    db.close()
    assert summary.new == 2 and not summary.errors
    return path


@pytest.fixture(scope="module")
def prov_ds(prov_db):
    from kb.web.serve import make_datasette
    return make_datasette(prov_db)


def _rows(path, sql, params=()):
    conn = sqlite3.connect(str(path))
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


# --- dates keep their time zone ---------------------------------------------------------------------------

@pytest.mark.parametrize("raw,local,utc", [
    ("2025-12-06 07:30:00 +0900", "2025-12-06T07:30:00+09:00", "2025-12-05T22:30:00"),
    ("2025-12-05T21:15:00-05:00", "2025-12-05T21:15:00-05:00", "2025-12-06T02:15:00"),
    ("2025-11-22 03:14:07 +0000", "2025-11-22T03:14:07+00:00", "2025-11-22T03:14:07"),
    ("2025-11-22T03:14:07Z", "2025-11-22T03:14:07+00:00", "2025-11-22T03:14:07"),
    ("2025/11/24", "2025-11-24", "2025-11-24"),
    ("2025年11月24日", "2025-11-24", "2025-11-24"),
    ("2025-11-24 10:00", "2025-11-24T10:00:00", "2025-11-24T10:00:00"),
    ("November 3, 2025", "2025-11-03", "2025-11-03"),
    (dt.datetime(2025, 11, 23, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=9))),
     "2025-11-23T08:00:00+09:00", "2025-11-22T23:00:00"),
    (dt.date(2025, 11, 24), "2025-11-24", "2025-11-24"),
])
def test_local_date_keeps_the_offset_and_utc_stays_for_sorting(raw, local, utc):
    assert parse_date_local(raw) == local
    assert parse_date(raw) == utc


@pytest.mark.parametrize("raw", ["not a date", "2025-13-40", "", None])
def test_local_date_of_a_non_date_is_none(raw):
    assert parse_date_local(raw) is None


def test_shown_date_is_the_articles_own_day():
    # The bug: a +09:00 morning article was shown on the previous (UTC) day.
    assert format_published("2025-12-06T07:30:00+09:00", "2025-12-05T22:30:00") == "2025-12-06 07:30 (UTC+09:00)"
    assert format_published("2025-12-05T21:15:00-05:00") == "2025-12-05 21:15 (UTC-05:00)"
    assert format_published("2025-11-24") == "2025-11-24"
    assert format_published(None, "2025-12-05T22:30:00") == "2025-12-05 22:30 (UTC)"
    assert format_published(None, None) == ""


# --- url and outlet from the front matter -------------------------------------------------------------------

def test_front_matter_url_outlet_and_local_date_are_read():
    (ja,) = read_articles(JA)
    assert ja.url == "https://kitahama-keizai.example.jp/news/2025/12/06/ohio-plant"
    assert ja.outlet == "北浜経済新聞"
    assert ja.published_local == "2025-12-06T07:30:00+09:00" and ja.published == "2025-12-05T22:30:00"
    (en,) = read_articles(EN)
    # `source:` holding a web address is the URL; `site_name:` is the outlet
    assert en.url == "https://harbor-wire.example.com/2025/12/05/gpu-lease"
    assert en.outlet == "Harbor Wire"


def test_outlet_is_not_a_url_and_falls_back_to_the_site(tmp_path):
    f = tmp_path / "a.md"
    f.write_text("---\ntitle: t\nsource: Reuters\nlink: https://www.example.co.jp/x?y=1\n---\nBody.\n",
                 encoding="utf-8")
    (a,) = read_articles(f)
    assert a.outlet == "Reuters" and a.url == "https://www.example.co.jp/x?y=1"
    f.write_text("---\ntitle: t\nurl: https://www.example.co.jp/x\npublisher: {name: 例示新聞}\n---\nBody.\n",
                 encoding="utf-8")
    (a,) = read_articles(f)
    assert a.outlet == "例示新聞"
    assert site_of_url("https://www.example.co.jp/x") == "example.co.jp"
    assert site_of_url("fixtures/a.md") is None and site_of_url("javascript:alert(1)") is None
    assert outlet_name(None, "https://news.example.com/a") == "news.example.com"


def test_html_site_name_and_og_url(tmp_path):
    f = tmp_path / "a.html"
    f.write_text('<html><head><title>T</title><meta property="og:site_name" content="Example Wire">'
                 '<meta property="og:url" content="https://wire.example.com/a">'
                 '<meta property="article:published_time" content="2025-12-06T07:30:00+09:00"></head>'
                 '<body><p>Body text.</p></body></html>', encoding="utf-8")
    (a,) = read_articles(f)
    assert (a.outlet, a.url, a.published_local) == ("Example Wire", "https://wire.example.com/a",
                                                   "2025-12-06T07:30:00+09:00")


def test_articles_without_outlet_keep_their_ids():
    # Ids hash the stored fields: adding the outlet field must not re-key every existing article.
    (a,) = read_articles(EN)
    without = a.__class__(**{**a.__dict__, "outlet": None})
    assert a.id != without.id  # an outlet in the front matter is part of the article
    (readme,) = read_articles(Path(__file__).parent.parent / "data" / "articles" /
                              "2025-11-24-nvidia-made-in-usa.md")
    assert readme.outlet is None
    assert readme.id == readme.__class__(**{**readme.__dict__, "published_local": "x"}).id


# --- stored by ingest ----------------------------------------------------------------------------------------

def test_ingest_stores_local_date_outlet_and_front_matter(prov_db):
    rows = {r["title"]: r for r in _rows(prov_db, "SELECT * FROM articles")}
    ja = rows["北浜電機、オハイオ州に新工場　朝刊スクープ"]
    assert ja["published_local"] == "2025-12-06T07:30:00+09:00" and ja["published"] == "2025-12-05T22:30:00"
    assert ja["outlet"] == "北浜経済新聞"
    fm = json.loads(ja["front_matter"])
    assert fm["layout"] == "post" and fm["excerpt"] == "早朝に配信された記事。"
    assert "layout:" not in ja["text"] and "excerpt" not in ja["text"]  # front matter is not article text


def test_first_and_last_seen_are_the_articles_own_dates(prov_db):
    # The Japanese article appeared on 12-06 in Japan (12-05 in UTC); the English one on 12-05 in New York
    # (12-06 in UTC): each claim is first seen on the day its article carried.
    seen = {r["type"]: (r["first_seen"], r["last_seen"]) for r in _rows(prov_db, "SELECT * FROM claims")}
    assert seen["manufacturing"] == ("2025-12-06", "2025-12-06")
    assert seen["contract"] == ("2025-12-05", "2025-12-05")


def test_an_old_database_gains_the_columns(tmp_path):
    from kb.store import open_db
    from kb.store.schema import MIGRATIONS

    path = tmp_path / "old.db"
    conn = sqlite3.connect(str(path))
    conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_at TEXT)")
    for version, name, sql in MIGRATIONS:
        if "published_local" in sql:
            break
        conn.executescript(sql)
        conn.execute("INSERT INTO schema_migrations VALUES (?, ?, '')", [version, name])
    conn.commit()
    assert "published_local" not in {r[1] for r in conn.execute("PRAGMA table_info(articles)")}
    conn.close()
    db = open_db(path)
    assert {"published_local", "outlet", "front_matter"} <= set(db["articles"].columns_dict)
    db.close()


# --- claim page ----------------------------------------------------------------------------------------------

async def test_claim_page_links_the_article_url_with_outlet_and_local_date(prov_db, prov_ds):
    (claim,) = _rows(prov_db, "SELECT id FROM claims WHERE type = 'manufacturing'")
    r = await prov_ds.client.get(f"/-/kb/claim/{claim['id']}")
    assert r.status_code == 200
    page = r.text
    link = re.search(r'<a class="kb-source-link" href="([^"]+)"[^>]*>([^<]+)</a>', page)
    assert link.group(1) == "https://kitahama-keizai.example.jp/news/2025/12/06/ohio-plant"
    assert link.group(2) == "北浜電機、オハイオ州に新工場　朝刊スクープ"
    assert '<span class="kb-outlet">北浜経済新聞</span>' in page
    assert re.search(r'<time class="kb-published" datetime="2025-12-06T07:30:00\+09:00">'
                     r'2025-12-06 07:30 \(UTC\+09:00\)</time>', page)
    assert "2025-12-05" not in page  # neither the UTC day nor the UTC time
    # the local path is still there, as secondary information
    assert re.search(r'<small class="kb-local-path"[^>]*>[^<]*2025-12-06-ja-morning-plant\.md</small>', page)


async def test_claim_page_without_url_shows_title_without_a_dead_link(prov_db, prov_ds, tmp_path):
    from kb.store import open_db
    db = open_db(prov_db)
    db.execute("UPDATE articles SET url = 'fixtures/local.md', outlet = NULL WHERE outlet = 'Harbor Wire'")
    db.conn.commit()
    try:
        (claim,) = _rows(prov_db, "SELECT id FROM claims WHERE type = 'contract'")
        page = (await prov_ds.client.get(f"/-/kb/claim/{claim['id']}")).text
        assert 'href="fixtures/local.md"' not in page and "kb-source-link" not in page
        assert "Harbor Cloud signs a GPU lease with Kitahama Electric" in page
    finally:
        db.execute("UPDATE articles SET url = 'https://harbor-wire.example.com/2025/12/05/gpu-lease', "
                   "outlet = 'Harbor Wire' WHERE title LIKE 'Harbor Cloud%'")
        db.conn.commit()
        db.close()


# --- article page --------------------------------------------------------------------------------------------

def _marked_text(page: str) -> str:
    return "".join(html.unescape(re.sub(r"<[^>]+>", "", m)) for m in re.findall(r"<mark[^>]*>(.*?)</mark>", page, re.S))


async def test_article_page_renders_markdown_with_the_quote_marked(prov_db, prov_ds):
    (ev,) = _rows(prov_db, "SELECT e.* FROM claim_evidence e JOIN claims c ON c.id = e.claim_id "
                           "WHERE c.type = 'role'")
    assert ev["quote"].startswith("- ")  # a list item: its "- " is Markdown syntax, not text
    r = await prov_ds.client.get(f"/-/kb/article/{ev['article_id']}", params={"hl": f"{ev['start']}-{ev['end']}"})
    page = r.text
    body = page.split('<div class="kb-article-rendered">', 1)[1].split("</div>", 1)[0]
    assert "<h2>ポイント</h2>" in body and "<strong>投資額は約5億ドル</strong>" in body and "<li>" in body
    assert "## " not in body and "**" not in body
    assert _marked_text(body) == ev["quote"][2:]  # exactly the quote, minus the list marker
    assert re.search(r"<li><mark id=\"hl\">北浜電機の山田社長は", body)
    # raw HTML in an article is text, never markup
    assert "<script>window.kbXss" not in page and "&lt;script&gt;window.kbXss = 1;" in body
    # front matter is metadata beside the text
    facts = page.split('<dl class="kb-facts kb-article-facts">', 1)[1].split("</dl>", 1)[0]
    assert "<dt>layout</dt><dd>post</dd>" in facts and "早朝に配信された記事。" in facts
    assert "早朝に配信された記事。" not in body
    assert "2025-12-06 07:30 (UTC+09:00)" in facts and "北浜経済新聞" in facts


async def test_article_source_view_marks_the_stored_characters(prov_db, prov_ds):
    (ev,) = _rows(prov_db, "SELECT e.* FROM claim_evidence e JOIN claims c ON c.id = e.claim_id "
                           "WHERE c.type = 'role'")
    url = f"/-/kb/article/{ev['article_id']}"
    rendered = (await prov_ds.client.get(url, params={"hl": f"{ev['start']}-{ev['end']}"})).text
    source_link = re.search(r'<a class="kb-source-view" href="([^"]+)"', rendered).group(1)
    r = await prov_ds.client.get(html.unescape(source_link).split("#")[0])
    body = r.text.split('<div class="kb-article-text">', 1)[1].split("</div>", 1)[0]
    assert _marked_text(body) == ev["quote"]  # source view: every stored character of the quote
    assert "## ポイント" in body
    bad = await prov_ds.client.get(url, params={"view": "pretty"})
    assert bad.status_code == 400 and "rendered, source" in bad.text


# --- the renderer itself -------------------------------------------------------------------------------------

SAMPLE = """# Ti\\*tle &amp; more

A **bold** claim <b onclick="x()">raw</b> [link](http://a.example/bold "t") bold text
next `code` here and ~~gone~~.

- item one
- item **two**

> quoted *line*

```py
fenced = "bold"
```

    indented code

| a | b |
|---|---|
| bold | c |

![image](http://tracker.example/pixel.png)
"""


def _reference_html(text: str) -> str:
    md = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"]).disable(["image"])
    return md.render(text)


def test_without_highlights_the_renderer_is_plain_markdown_it():
    ours = str(render_markdown(SAMPLE).html)
    assert ours.replace(' rel="nofollow noopener noreferrer"', "") == _reference_html(SAMPLE)
    assert '<b onclick' not in ours and "&lt;b onclick" in ours
    assert "<img" not in ours  # nothing is fetched from elsewhere


@pytest.mark.parametrize("needle,shown", [
    ("bold** claim", "bold claim"), ("Ti\\*tle", "Ti*tle"), ("&amp;", "&"), ("bold text", "bold text"),
    ("two", "two"), ('fenced = "bold"', 'fenced = "bold"'), ("indented code", "indented code"),
    ("bold |", "bold"), ("*line*", "line"), ("gone", "gone"), ("`code`", "code"),
])
def test_each_construct_marks_its_own_characters(needle, shown):
    start = SAMPLE.index(needle)
    out = render_markdown(SAMPLE, [(start, start + len(needle))])
    assert _marked_text(str(out.html)) == shown
    assert not out.missing
    assert str(out.html).count('id="hl"') == 1


def test_a_link_target_is_never_marked_as_text():
    # "bold" occurs inside the link's target before the text " bold text": the mark must land on the text.
    start = SAMPLE.index(" bold text")
    out = str(render_markdown(SAMPLE, [(start, start + len(" bold text"))]).html)
    assert '<a href="http://a.example/bold" title="t" rel="nofollow noopener noreferrer">link</a><mark id="hl"> ' \
           'bold text</mark>' in out


def test_a_highlight_on_syntax_only_is_reported_missing():
    start = SAMPLE.index("**bold**")
    out = render_markdown(SAMPLE, [(start, start + 2)])
    assert out.missing == [(start, start + 2)] and "<mark" not in str(out.html)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_marked_characters_are_the_highlighted_source_in_order(data):
    start = data.draw(st.integers(0, len(SAMPLE) - 1))
    end = data.draw(st.integers(start + 1, len(SAMPLE)))
    out = render_markdown(SAMPLE, [(start, end)])
    marked = _marked_text(str(out.html))
    # an escape or an entity that the range cuts is one printed character, marked whole
    for m in re.finditer(r"\\\*|&amp;", SAMPLE):
        if m.start() < end and start < m.end():
            start, end = min(start, m.start()), max(end, m.end())
    source = SAMPLE[start:end]
    # every marked character comes from the range, in order (escapes and entities print one character)
    src = html.unescape(source.replace("\\*", "*"))
    pos = 0
    for ch in marked:
        pos = src.find(ch, pos)
        assert pos >= 0, (source, marked)
        pos += 1


_WORD = st.text(alphabet="abcxyzAB北浜電機のオハイオ州工場、。", min_size=1, max_size=6)
_LINE = st.lists(_WORD, min_size=1, max_size=6).map(" ".join)
_PARA = st.lists(_LINE, min_size=1, max_size=3).map("\n".join)
_PLAIN = st.lists(_PARA, min_size=1, max_size=4).map("\n\n".join)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_plain_paragraphs_mark_exactly_the_range(data):
    text = data.draw(_PLAIN)
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    out = render_markdown(text, [(start, end)])
    # without Markdown syntax every character but the line breaks is shown marked
    assert _marked_text(str(out.html)) == text[start:end].replace("\n", "")


async def test_plain_text_articles_are_not_rendered_as_markdown(tmp_path):
    from kb.pipeline.ingest import ingest_paths
    from kb.store import open_db
    from kb.web.serve import make_datasette

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "notes.txt").write_text("# not a heading\n\n*stars* stay as written.\n", encoding="utf-8")
    db = open_db(tmp_path / "kb.db")
    assert ingest_paths(db, [str(tmp_path / "in")]).new == 1
    (article_id,) = db.execute("SELECT id FROM articles").fetchone()
    db.close()
    page = (await make_datasette(tmp_path / "kb.db").client.get(f"/-/kb/article/{article_id}")).text
    assert '<div class="kb-article-text"># not a heading' in page and "*stars* stay as written." in page
    assert "kb-article-rendered" not in page and "kb-source-view" not in page
