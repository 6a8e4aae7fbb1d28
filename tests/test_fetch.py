"""Fetching URLs: charsets, redirects, errors, limits, polite concurrency, --offline and --urls, end to end."""

from __future__ import annotations

import threading

import pytest
from click.testing import CliRunner

from kb.cli import cli
from kb.fetch import FetchError, FetchOptions, Fetcher, read_url_list
from kb.pipeline.ingest import ingest_paths
from kb.store import open_db
from newsserver import BOILERPLATE_EN, BOILERPLATE_JA, NewsServer, news_page

SJIS_STORY = ["ソフトバンクグループは20日、大阪府堺市に約1000億円を投じてAI向けデータセンターを建設すると発表した。",
              "宮川潤一社長は記者会見で「国内最大級の計算基盤になる」と語った。"]
EUC_STORY = ["京セラは18日、鹿児島県霧島市の工場に約600億円を投資し、半導体パッケージ基板の生産能力を2倍に引き上げると発表した。",
             "新しい生産棟は2027年春に稼働する予定だ。"]
EN_STORY = ["Microsoft will spend $3 billion over the next two years to expand its cloud and AI infrastructure in "
            "Japan, the company said on Monday.",
            "The investment includes new data center capacity in Tokyo and Osaka, Microsoft vice chair Brad Smith "
            "told reporters."]


@pytest.fixture
def site():
    with NewsServer() as server:
        server.page("/sjis-meta", news_page(title="ソフトバンク、堺市にAIデータセンター", lang="ja", site="関西ビジネス日報",
                                            published="2026-03-20T17:45:00+09:00", charset="Shift_JIS",
                                            paragraphs=SJIS_STORY, related=["キオクシア、北上工場の増設を延期"])
                    .encode("cp932"), "text/html")
        server.page("/eucjp-header", news_page(title="京セラ、霧島工場に600億円投資", lang="ja", site="南日本産業新聞",
                                               published="2026-03-18T10:00:00+09:00", charset=None,
                                               paragraphs=EUC_STORY, related=["TSMC熊本第2工場が着工"])
                    .encode("euc_jp"), "text/html; charset=EUC-JP")
        server.page("/sjis-undeclared", news_page(title="ソフトバンク、堺市にAIデータセンター", lang="ja", charset=None,
                                                  paragraphs=SJIS_STORY).encode("cp932"), "text/html")
        server.page("/story", news_page(title="Microsoft to invest $3 billion in Japan cloud and AI",
                                        published="2026-03-16T08:00:00-04:00", paragraphs=EN_STORY,
                                        canonical="https://news.harborwire.test/tech/microsoft-japan/",
                                        related=["Intel delays Ohio chip factory to 2031"],
                                        caption="Microsoft's Tokyo office. Photo by Harbor Wire staff."))
        server.redirect("/old-link", "/story")
        server.slow("/slow", 3.0)
        server.page("/huge", b"<html><body>" + b"<p>filler text</p>" * 120_000 + b"</body></html>")
        server.streamed("/huge-stream", 3 * 1024 * 1024)
        server.page("/logo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "image/png")
        yield server


def test_shift_jis_declared_in_meta_euc_jp_in_header_and_undeclared_detected(site):
    with Fetcher() as f:
        for path, story, codec in (("/sjis-meta", SJIS_STORY, "cp932"), ("/eucjp-header", EUC_STORY, "euc_jp"),
                                   ("/sjis-undeclared", SJIS_STORY, "cp932")):
            text, encoding, _ = f.fetch(site.url(path)).text()
            assert encoding == codec, path
            assert story[0] in text, path


def test_header_charset_wins_over_meta_and_a_wrong_header_falls_back_with_a_warning(site):
    body = news_page(title="京セラ", lang="ja", charset="Shift_JIS", paragraphs=EUC_STORY).encode("euc_jp")
    site.page("/header-right", body, "text/html; charset=EUC-JP")
    site.page("/header-wrong", SJIS_STORY[0].join(["<html><body><p>", "</p></body></html>"]).encode("cp932"),
              "text/html; charset=utf-8")
    with Fetcher() as f:
        text, encoding, warnings = f.fetch(site.url("/header-right")).text()
        assert encoding == "euc_jp" and EUC_STORY[0] in text and not warnings
        text, encoding, warnings = f.fetch(site.url("/header-wrong")).text()
        assert encoding == "cp932" and SJIS_STORY[0] in text
        assert any("HTTP Content-Type header declares charset 'utf-8'" in w.reason for w in warnings)


def test_redirect_is_followed_and_recorded(site):
    with Fetcher() as f:
        got = f.fetch(site.url("/old-link"))
    assert got.final_url == site.url("/story") and got.redirects == [site.url("/old-link")]
    assert got.kind == "html"


@pytest.mark.parametrize("path,reason,hint", [
    ("/missing", "HTTP 404 Not Found", "check the URL"),
    ("/huge", "over the 1 MB limit", "--max-file-mb"),
    ("/huge-stream", "over the 1 MB limit (stopped reading)", "--max-file-mb"),
])
def test_failures_name_the_url_and_what_to_do(site, path, reason, hint):
    with Fetcher(FetchOptions(max_bytes=1024 * 1024)) as f, pytest.raises(FetchError) as info:
        f.fetch(site.url(path))
    err = info.value
    assert err.path == site.url(path) and reason in err.reason and hint in err.hint


def test_slow_page_times_out_with_the_short_timeout(site):
    with Fetcher(FetchOptions(timeout=0.5)) as f, pytest.raises(FetchError) as info:
        f.fetch(site.url("/slow"))
    assert "timed out after 0.5s" in info.value.reason and "--timeout" in info.value.hint


def test_a_site_that_is_down_is_one_clear_error():
    with NewsServer() as server:
        url = server.url("/gone")
    with Fetcher(FetchOptions(timeout=2)) as f, pytest.raises(FetchError) as info:
        f.fetch(url)
    assert info.value.reason.startswith("cannot connect to 127.0.0.1") and "site is up" in info.value.hint


def test_offline_refuses_before_any_request(site):
    with Fetcher(FetchOptions(offline=True)) as f, pytest.raises(FetchError) as info:
        f.fetch(site.url("/story"))
    assert "--offline" in info.value.reason and site.log == []


def test_pool_keeps_order_and_per_host_limit(site):
    for i in range(6):
        site.delayed(f"/d{i}", 0.3, "en_wire.html")
    urls = [site.url(f"/d{i}") for i in range(6)] + [site.url(f"/d{i}", host="localhost") for i in range(6)]
    with Fetcher(FetchOptions(concurrency=4, per_host=2)) as f:
        results = list(f.fetch_many(urls))
        pool = [t for t in threading.enumerate() if t.name.startswith("kb-fetch")]
    assert 2 <= len(pool) <= 4  # a small fixed pool, whatever the number of URLs
    assert not [t for t in threading.enumerate() if t.name.startswith("kb-fetch") and t.is_alive()]
    assert [u for u, _ in results] == urls
    assert all(not isinstance(r, FetchError) for _, r in results)
    assert site.max_active["127.0.0.1"] <= 2 and site.max_active["localhost"] <= 2
    assert max(site.max_active.values()) == 2  # the pool did run requests in parallel


def test_url_list_file(tmp_path):
    listing = tmp_path / "urls.txt"
    listing.write_text("# morning reading\nhttps://a.test/1\n\n  http://b.test/2   # the second\n#https://c.test/\n",
                       encoding="utf-8")
    assert read_url_list(str(listing)) == ["https://a.test/1", "http://b.test/2"]
    listing.write_text("https://a.test/1\nnot a url\n", encoding="utf-8")
    with pytest.raises(Exception) as info:
        read_url_list(str(listing))
    assert "urls.txt:2" in str(info.value) and "not an http(s) URL" in str(info.value)


def test_ingest_urls_stores_clean_pages_and_records_one_error_per_failing_url(site, tmp_path):
    db = open_db(tmp_path / "kb.db")
    urls = [site.url(p) for p in ("/old-link", "/missing", "/sjis-meta", "/slow", "/eucjp-header", "/logo.png")]
    summary = ingest_paths(db, urls, fetch=FetchOptions(timeout=0.5))
    assert (summary.new, summary.failed, summary.web.urls) == (3, 3, 6)
    rows = {r["source_path"]: r for r in db.query("SELECT * FROM articles")}
    assert set(rows) == {site.url("/old-link"), site.url("/sjis-meta"), site.url("/eucjp-header")}
    en = rows[site.url("/old-link")]
    assert en["url"] == "https://news.harborwire.test/tech/microsoft-japan/"
    assert en["title"] == "Microsoft to invest $3 billion in Japan cloud and AI"
    assert en["published_local"] == "2026-03-16T08:00:00-04:00" and en["published"] == "2026-03-16T12:00:00" and en["site_name"] == "Harbor Wire"
    assert rows[site.url("/eucjp-header")]["url"] == site.url("/eucjp-header")  # no canonical: where it was read
    assert rows[site.url("/eucjp-header")]["encoding"] == "euc_jp"
    for r in rows.values():
        for phrase in BOILERPLATE_EN + BOILERPLATE_JA + ["Intel delays", "キオクシア", "TSMC熊本"]:
            assert phrase not in r["text"], (r["source_path"], phrase)
    errors = {r["path"]: r for r in db.query("SELECT * FROM ingest_errors WHERE severity = 'error'")}
    assert set(errors) == {site.url("/missing"), site.url("/slow"), site.url("/logo.png")}
    assert "HTTP 404" in errors[site.url("/missing")]["reason"]
    assert "timed out" in errors[site.url("/slow")]["reason"]
    assert "image/png is not a web page or a feed" in errors[site.url("/logo.png")]["reason"]
    quotes = list(db.query("SELECT e.quote, e.start, e.\"end\", a.text FROM claim_evidence e "
                           "JOIN articles a ON a.id = e.article_id"))
    assert quotes, "the stories have investment claims"
    stories = EN_STORY + SJIS_STORY + EUC_STORY + [r["title"] for r in rows.values()]  # headlines are story text
    for q in quotes:
        assert q["quote"] == q["text"][q["start"]:q["end"]]
        assert any(q["quote"] in s for s in stories), q["quote"]
    again = ingest_paths(db, urls[:1], fetch=FetchOptions(timeout=0.5))
    assert (again.new, again.unchanged) == (0, 1)
    db.close()


def test_cli_urls_file_offline_and_timeout(site, tmp_path):
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# today\n{site.url('/story')}\n{site.url('/slow')}\n", encoding="utf-8")
    saved = tmp_path / "saved.html"
    saved.write_text(news_page(title="Saved", paragraphs=EN_STORY), encoding="utf-8")
    db = str(tmp_path / "kb.db")
    runner = CliRunner()
    result = runner.invoke(cli, ["ingest", "--urls", str(listing), "--timeout", "0.5", "--db", db])
    assert result.exit_code == 1
    assert "Web: 2 URL(s) given; 1 fetched (feed entries' pages included), 1 failed" in result.output
    assert "(from 0 files and 2 URLs)" in result.output
    assert f"ERROR: {site.url('/slow')}: timed out after 0.5s" in result.output
    before = len(site.log)
    result = runner.invoke(cli, ["ingest", str(saved), site.url("/eucjp-header"), "--offline", "--db",
                                 str(tmp_path / "off.db")])
    assert result.exit_code == 1 and len(site.log) == before
    assert "Articles: 1 new" in result.output
    assert f"{site.url('/eucjp-header')}: not fetched: --offline is set" in result.output
    result = runner.invoke(cli, ["ingest", str(saved), "--offline", "--fetch-linked", "--db", db])
    assert result.exit_code == 2 and "cannot be used with --offline" in result.output
    result = runner.invoke(cli, ["ingest", "--db", db])
    assert result.exit_code == 2 and "give at least one file, folder or URL" in result.output


def test_a_server_default_latin1_header_does_not_override_the_pages_own_charset(site):
    body = news_page(title="京セラ", lang="ja", charset="Shift_JIS", paragraphs=SJIS_STORY).encode("cp932")
    site.page("/latin1-default", body, "text/html; charset=ISO-8859-1")
    with Fetcher() as f:
        text, encoding, warnings = f.fetch(site.url("/latin1-default")).text()
    assert encoding == "cp932" and SJIS_STORY[0] in text
    assert "a server default" in warnings[0].reason


def test_a_redirect_loop_is_one_error(site):
    site.redirect("/loop-a", "/loop-b")
    site.redirect("/loop-b", "/loop-a")
    with Fetcher() as f, pytest.raises(FetchError) as info:
        f.fetch(site.url("/loop-a"))
    assert "more than 5 redirects" in info.value.reason


def test_a_url_given_twice_is_fetched_once(site, tmp_path):
    db = open_db(tmp_path / "kb.db")
    summary = ingest_paths(db, [site.url("/story"), site.url("/story#comments"), site.url("/story")])
    assert (summary.new, summary.web.urls, site.requested("/story")) == (1, 1, 1)
    db.close()
