"""RSS and Atom feeds: one article per entry, full pages when allowed, and a re-run adds only new entries."""

from __future__ import annotations

from click.testing import CliRunner

from kb.cli import cli
from kb.feeds import parse_feed
from kb.fetch import FetchOptions
from kb.pipeline.ingest import ingest_paths
from kb.store import open_db
from newsserver import BOILERPLATE_EN, BOILERPLATE_JA, NewsServer, news_page

STORIES = [
    ("Microsoft to invest $3 billion in Japan cloud and AI", "en", "Mon, 16 Mar 2026 08:00:00 -0400",
     "2026-03-16T08:00:00-04:00",
     ["Microsoft will spend $3 billion over the next two years to expand its cloud and AI infrastructure in Japan, "
      "the company said on Monday.",
      "The investment includes new data center capacity in Tokyo and Osaka, the company said."]),
    ("京セラ、霧島工場に600億円投資", "ja", "Wed, 18 Mar 2026 10:00:00 +0900", "2026-03-18T10:00:00+09:00",
     ["京セラは18日、鹿児島県霧島市の工場に約600億円を投資し、半導体パッケージ基板の生産能力を2倍に引き上げると発表した。",
      "新しい生産棟は2027年春に稼働する予定だ。"]),
    ("SoftBank to buy stake in Texas data center operator", "en", "Thu, 19 Mar 2026 21:15:00 GMT",
     "2026-03-19T21:15:00+00:00",
     ["SoftBank Group agreed to buy a 40% stake in a Texas data center operator for $2.1 billion, people familiar "
      "with the matter said on Thursday.",
      "The deal is expected to close in the third quarter."]),
]
RELATED = ["Intel delays Ohio chip factory to 2031", "TSMC熊本第2工場が着工"]


def rss(server, count: int, *, with_description: bool = True) -> bytes:
    items = []
    for i, (title, _, pub, _, paras) in enumerate(STORIES[:count]):
        desc = f"<description>{paras[0][:60]}…</description>" if with_description else ""
        items.append(f"<item><title>{title}</title><link>{server.url(f'/news/{i}')}</link>"
                     f"<guid isPermaLink=\"false\">harbor-{i}</guid><pubDate>{pub}</pubDate>{desc}</item>")
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Harbor Wire: Tech</title>'
            f'<link>{server.url("/")}</link><description>Technology news</description>'
            f'{"".join(reversed(items))}</channel></rss>').encode("utf-8")


def serve_stories(server) -> None:
    for i, (title, lang, _, iso, paras) in enumerate(STORIES):
        server.page(f"/news/{i}", news_page(title=title, lang=lang, published=iso, paragraphs=paras,
                                            canonical=f"https://news.harborwire.test/{i}/", related=RELATED,
                                            caption="Photo by Harbor Wire staff." if lang == "en" else ""))


def _articles(db):
    return {r["source_key"]: r for r in db.query("SELECT * FROM articles")}


def test_a_feed_url_gives_full_pages_and_a_rerun_adds_only_new_entries(tmp_path):
    with NewsServer() as server:
        serve_stories(server)
        server.page("/feed.xml", rss(server, 2), "application/rss+xml; charset=utf-8")
        db = open_db(tmp_path / "kb.db")
        first = ingest_paths(db, [server.url("/feed.xml")])
        assert (first.new, first.failed, first.web.feeds, first.web.feed_entries_new) == (2, 0, 1, 2)
        rows = _articles(db)
        assert set(rows) == {server.url("/news/0"), server.url("/news/1")}
        for i in (0, 1):
            row = rows[server.url(f"/news/{i}")]
            title, _, _, iso, paras = STORIES[i]
            assert (row["title"], row["published_local"], row["url"]) == (title, iso, f"https://news.harborwire.test/{i}/")
            assert row["source_path"] == server.url(f"/news/{i}") and row["extractor"] == "trafilatura"
            assert all(p in row["text"] for p in paras)
            for phrase in BOILERPLATE_EN + BOILERPLATE_JA + RELATED:
                assert phrase not in row["text"], phrase
        entries = list(db.query("SELECT * FROM feed_entries ORDER BY entry_id"))
        assert [(e["entry_id"], e["full_page"]) for e in entries] == [("harbor-0", 1), ("harbor-1", 1)]
        assert all(e["article_id"] == rows[e["article_key"]]["id"] for e in entries)
        feed = db.execute("SELECT title, entries, source_key FROM feeds").fetchone()
        assert feed == ("Harbor Wire: Tech", 2, server.url("/feed.xml"))

        server.page("/feed.xml", rss(server, 3), "application/rss+xml; charset=utf-8")  # the feed grew
        fetched_before = [p for p, _ in server.log]
        second = ingest_paths(db, [server.url("/feed.xml")])
        assert (second.new, second.unchanged, second.web.feed_entries_new, second.web.feed_entries_seen) == (1, 0, 1, 2)
        fetched = [p for p, _ in server.log][len(fetched_before):]
        assert fetched == ["/feed.xml", "/news/2"]  # the old entries' pages were not fetched again
        assert set(_articles(db)) == {server.url(f"/news/{i}") for i in range(3)}
        assert db.execute("SELECT entries FROM feeds").fetchone()[0] == 3

        quotes = list(db.query("SELECT e.quote, e.start, e.\"end\", a.text FROM claim_evidence e "
                               "JOIN articles a ON a.id = e.article_id"))
        assert len(quotes) >= 2
        story_text = [p for s in STORIES for p in s[4]] + [s[0] for s in STORIES]
        for q in quotes:
            assert q["quote"] == q["text"][q["start"]:q["end"]]
            assert any(q["quote"] in p for p in story_text), q["quote"]
        db.close()


def atom(server) -> str:
    entries = []
    for i, (title, _, _, iso, paras) in enumerate(STORIES[:2]):
        body = "".join(f"&lt;p&gt;{p}&lt;/p&gt;" for p in paras)
        entries.append(f"<entry><title>{title}</title><id>urn:harbor:{i}</id>"
                       f"<link rel=\"alternate\" href=\"{server.url(f'/news/{i}')}\"/>"
                       f"<published>{iso}</published><updated>{iso}</updated>"
                       f"<author><name>Desk {i}</name></author><content type=\"html\">{body}</content></entry>")
    return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            '<title>Harbor Wire (Atom)</title><id>urn:harbor:feed</id>'
            f'<updated>2026-03-20T00:00:00Z</updated>{"".join(entries)}</feed>')


def test_a_local_feed_fetches_nothing_unless_asked(tmp_path):
    with NewsServer() as server:
        serve_stories(server)
        feed = tmp_path / "harbor.atom"
        feed.write_text(atom(server), encoding="utf-8")
        db = open_db(tmp_path / "kb.db")
        summary = ingest_paths(db, [str(feed)])
        assert server.log == []  # nothing downloaded for a local feed
        assert (summary.new, summary.failed) == (2, 0)
        rows = sorted(db.query("SELECT * FROM articles ORDER BY published"), key=lambda r: r["published"])
        assert [r["title"] for r in rows] == [STORIES[0][0], STORIES[1][0]]
        assert [r["published_local"] for r in rows] == [STORIES[0][3], STORIES[1][3]]
        assert [r["url"] for r in rows] == [server.url("/news/0"), server.url("/news/1")]
        assert rows[0]["text"] == "\n\n".join(STORIES[0][4]) + "\n" and rows[0]["author"] == "Desk 0"
        assert rows[0]["format"] == "feed" and rows[0]["extractor"] == "feed-entry"
        assert all(r["source_path"] == str(feed) for r in rows)
        again = ingest_paths(db, [str(feed)])
        assert (again.new, again.unchanged, again.web.feed_entries_seen) == (0, 0, 2)
        db.close()

        db2 = open_db(tmp_path / "linked.db")
        linked = ingest_paths(db2, [str(feed)], fetch_linked=True)
        assert linked.new == 2 and server.requested("/news/0") == 1 and server.requested("/news/1") == 1
        assert {r["extractor"] for r in db2.query("SELECT extractor FROM articles")} == {"trafilatura"}
        assert [r["full_page"] for r in db2.query("SELECT full_page FROM feed_entries")] == [1, 1]
        db2.close()


def test_a_failing_linked_page_falls_back_to_the_entry_and_an_entry_without_text_is_retried(tmp_path):
    with NewsServer() as server:
        serve_stories(server)
        server.routes.pop("/news/0")  # 404
        server.routes.pop("/news/1")
        server.page("/feed.xml", rss(server, 2, with_description=False).replace(
            b"<item><title>Microsoft", b"<item><description>Microsoft will spend $3 billion in Japan, the company "
            b"said.</description><title>Microsoft"), "application/rss+xml")
        db = open_db(tmp_path / "kb.db")
        summary = ingest_paths(db, [server.url("/feed.xml")], fetch=FetchOptions(timeout=2))
        assert (summary.new, summary.failed) == (1, 1)
        row = db.execute("SELECT text, extractor FROM articles").fetchone()
        assert row == ("Microsoft will spend $3 billion in Japan, the company said.\n", "feed-entry")
        problems = {(p["severity"], p["reason"]) for p in summary.problems}
        assert any(s == "warning" and "HTTP 404" in r and "the entry's own text is stored instead" in r
                   for s, r in problems)
        assert any(s == "error" and "the feed entry has no text of its own" in r for s, r in problems)
        assert [e["entry_id"] for e in db.query("SELECT entry_id FROM feed_entries")] == ["harbor-0"]
        serve_stories(server)  # the page is back: the entry that had no text is stored on the next run
        again = ingest_paths(db, [server.url("/feed.xml")])
        assert (again.new, again.failed) == (1, 0)
        assert server.requested("/news/0") == 1 and server.requested("/news/1") == 2
        db.close()


def test_feed_dates_keep_their_zone_and_ids_fall_back_to_links():
    data = (b'<rss version="2.0"><channel><title>T</title><item><title>A</title><link>https://x.test/a</link>'
            b'<pubDate>Sat, 14 Mar 2026 09:30:00 +0900</pubDate><description>Body a</description></item>'
            b'<item><title>B</title><description>Body b</description></item></channel></rss>')
    feed = parse_feed(data, "t.rss")
    assert feed.version == "rss20" and feed.title == "T"
    a, b = feed.entries
    assert (a.entry_id, a.published, a.link) == ("https://x.test/a", "2026-03-14T09:30:00+09:00", "https://x.test/a")
    assert b.entry_id and b.entry_id != a.entry_id and b.link is None
    assert parse_feed(data, "t.rss").entries[1].entry_id == b.entry_id  # stable across runs


def test_not_a_feed_is_one_clear_error_and_the_batch_goes_on(tmp_path):
    sitemap = tmp_path / "sitemap.xml"
    sitemap.write_text("<?xml version='1.0'?><urlset><url><loc>https://x.test/</loc></url></urlset>",
                       encoding="utf-8")
    good = tmp_path / "a.md"
    good.write_text("---\ntitle: A\n---\nTokyo Electron will invest 150 billion yen in a new plant in Miyagi.\n",
                    encoding="utf-8")
    db = str(tmp_path / "kb.db")
    result = CliRunner().invoke(cli, ["ingest", str(sitemap), str(good), "--db", db])
    assert result.exit_code == 0, result.output  # an .xml that is no feed is passed over, as before
    assert f"WARNING: {sitemap}: an .xml file that is not an RSS or Atom feed; skipped" in result.output
    bad = tmp_path / "broken.rss"
    bad.write_text("<html><body>Moved</body></html>", encoding="utf-8")
    result = CliRunner().invoke(cli, ["ingest", str(bad), str(good), "--db", db])
    assert result.exit_code == 1
    assert "Articles: 0 new, 0 updated, 1 unchanged" in result.output
    assert f"ERROR: {bad}: not an RSS or Atom feed" in result.output


def test_an_unchanged_feed_url_is_asked_conditionally_and_not_downloaded_again(tmp_path):
    with NewsServer() as server:
        serve_stories(server)
        server.conditional("/feed.xml", rss(server, 2), '"v1"')
        db = open_db(tmp_path / "kb.db")
        assert ingest_paths(db, [server.url("/feed.xml")]).new == 2
        assert db.execute("SELECT etag FROM feeds").fetchone()[0] == '"v1"'
        second = ingest_paths(db, [server.url("/feed.xml")])
        assert (second.new, second.failed, second.web.feeds_not_modified) == (0, 0, 1)
        assert server.requested("/feed.xml") == 2 and server.requested("/news/0") == 1
        server.conditional("/feed.xml", rss(server, 3), '"v2"')  # the publisher adds an entry
        third = ingest_paths(db, [server.url("/feed.xml")])
        assert (third.new, third.web.feeds_not_modified, third.web.feed_entries_new) == (1, 0, 1)
        assert db.execute("SELECT etag, entries FROM feeds").fetchone() == ('"v2"', 3)
        db.close()


def test_a_feed_with_an_entry_left_to_retry_is_read_in_full_next_time(tmp_path):
    with NewsServer() as server:
        serve_stories(server)
        server.routes.pop("/news/1")
        server.conditional("/feed.xml", rss(server, 2, with_description=False), '"v1"')
        db = open_db(tmp_path / "kb.db")
        first = ingest_paths(db, [server.url("/feed.xml")])
        assert (first.new, first.failed) == (1, 1)
        assert db.execute("SELECT etag FROM feeds").fetchone()[0] is None  # so the next run is a full read
        serve_stories(server)
        second = ingest_paths(db, [server.url("/feed.xml")])
        assert (second.new, second.failed, second.web.feeds_not_modified) == (1, 0, 0)
        assert db.execute("SELECT etag FROM feeds").fetchone()[0] == '"v1"'
        db.close()
