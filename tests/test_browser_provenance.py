"""Real headless Chromium against a real `kb.web.serve.serve` server on ingested articles: the claim page
cites the article's URL and its own-time-zone date, the article page shows rendered Markdown with the quote
highlighted where the reader sees it, and script in an article never runs.

Chromium is required (CI installs it): these tests fail, not skip, when it is missing.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from test_browser import kb_server, browser, page  # noqa: F401  (the shared Chromium fixtures)

PROVENANCE = Path(__file__).parent / "fixtures" / "provenance"
HOSTILE = """---
title: "<img src=x onerror=alert('title')> Hostile"
url: "javascript:alert('url')"
outlet: "<b onmouseover=alert('outlet')>Outlet</b>"
date: 2025-12-07 09:00:00 +0900
---

Microsoft signed a $5 billion contract with CoreWeave. <img src=x onerror="alert('body')"> and
<a href="javascript:alert('link')">a link</a> and [markdown link](javascript:alert('md')).
"""


@pytest.fixture(scope="module")
def prov_server(tmp_path_factory):
    from kb.pipeline.ingest import ingest_paths
    from kb.store import open_db

    root = tmp_path_factory.mktemp("browser-prov")
    extra = root / "extra"
    extra.mkdir()
    (extra / "hostile.md").write_text(HOSTILE, encoding="utf-8")
    db_path = root / "kb.db"
    db = open_db(db_path)
    assert ingest_paths(db, [str(PROVENANCE), str(extra)]).new == 3
    db.close()
    with kb_server(db_path) as base:
        yield base, db_path


def _one(db_path, sql):
    conn = sqlite3.connect(str(db_path))
    try:
        return conn.execute(sql).fetchone()
    finally:
        conn.close()


def test_claim_page_shows_url_outlet_and_local_date(prov_server, page):
    base, db_path = prov_server
    (claim_id,) = _one(db_path, "SELECT id FROM claims WHERE type = 'manufacturing'")
    page.goto(f"{base}/-/kb/claim/{claim_id}")
    link = page.locator("a.kb-source-link").first
    assert link.is_visible()
    assert link.get_attribute("href") == "https://kitahama-keizai.example.jp/news/2025/12/06/ohio-plant"
    assert link.inner_text() == "北浜電機、オハイオ州に新工場　朝刊スクープ"
    date = page.locator("time.kb-published").first
    assert date.is_visible() and date.inner_text() == "2025-12-06 07:30 (UTC+09:00)"
    assert page.locator(".kb-outlet").first.inner_text() == "北浜経済新聞"
    path = page.locator(".kb-local-path").first
    assert path.is_visible() and path.inner_text().endswith("2025-12-06-ja-morning-plant.md")
    # the local path is secondary: smaller than the linked title
    size = lambda loc: float(loc.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))  # noqa: E731
    assert size(path) < size(link)
    assert not page.kb_errors, page.kb_errors


def test_article_page_renders_markdown_and_shows_the_highlight(prov_server, page):
    base, db_path = prov_server
    article_id, start, end, quote = _one(db_path, """
        SELECT e.article_id, e.start, e."end", e.quote FROM claim_evidence e JOIN claims c ON c.id = e.claim_id
        WHERE c.type = 'role'""")
    page.set_viewport_size({"width": 1000, "height": 400})  # short: the highlight must be scrolled to
    page.goto(f"{base}/-/kb/article/{article_id}?hl={start}-{end}#hl")
    rendered = page.locator(".kb-article-rendered")
    assert rendered.locator("h2").inner_text() == "ポイント"
    assert rendered.locator("strong").first.inner_text() == "投資額は約5億ドル"
    assert rendered.locator("li").count() == 2
    marks = rendered.locator("mark")
    assert marks.count() >= 1
    shown = "".join(marks.nth(i).inner_text() for i in range(marks.count()))
    assert shown == quote[2:]  # the quote minus its list marker "- "
    mark = page.locator("#hl")
    assert mark.is_visible()
    assert mark.evaluate("e => e.closest('li') !== null")  # inside the rendered list item
    box = mark.bounding_box()
    assert box and 0 <= box["y"] <= 400, "the highlight is scrolled into view"
    background = mark.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    # front matter is metadata, not text
    assert page.locator(".kb-article-facts").inner_text().count("早朝に配信された記事。") == 1
    assert "早朝に配信された記事。" not in rendered.inner_text()
    # the source view marks every stored character of the quote
    page.click("a.kb-source-view")
    page.wait_for_selector(".kb-article-text mark")
    assert page.locator(".kb-article-text mark").inner_text() == quote
    assert page.locator("#hl").is_visible()
    assert not page.kb_errors, page.kb_errors


def test_script_in_articles_never_runs(prov_server, page):
    base, db_path = prov_server
    (article_id,) = _one(db_path, "SELECT id FROM articles WHERE title LIKE '%北浜電機%'")
    page.goto(f"{base}/-/kb/article/{article_id}")
    page.wait_for_load_state("load")
    assert page.evaluate("typeof window.kbXss") == "undefined"
    assert "<script>window.kbXss = 1;" in page.locator(".kb-article-rendered").inner_text()  # shown as text
    (hostile_id,) = _one(db_path, "SELECT id FROM articles WHERE title LIKE '%Hostile%'")
    page.goto(f"{base}/-/kb/article/{hostile_id}")
    page.wait_for_load_state("load")
    body = page.locator(".kb-article-rendered")
    assert body.locator("img").count() == 0 and page.locator("img[src=x]").count() == 0
    assert body.locator("a[href^='javascript']").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    assert "<img src=x onerror" in page.locator("h1").inner_text()
    for link in body.locator("a").all():
        link.click(modifiers=["Control"], no_wait_after=True)  # nothing a reader clicks runs script either
    claims = _one(db_path, f"SELECT c.id FROM claims c JOIN claim_evidence e ON e.claim_id = c.id "
                           f"WHERE e.article_id = '{hostile_id}'")
    assert claims, "the hostile article's contract sentence is a claim"
    page.goto(f"{base}/-/kb/claim/{claims[0]}")
    page.wait_for_load_state("load")
    page.hover(".kb-outlet")
    assert page.locator(".kb-outlet").inner_text() == "<b onmouseover=alert('outlet')>Outlet</b>"
    hostile = page.locator("article.kb-evidence", has_text="Hostile")
    assert hostile.locator("a.kb-source-link").count() == 0  # a javascript: URL is not linked
    assert "<img src=x onerror" in hostile.locator("h3").inner_text()
    assert page.kb_dialogs == [], page.kb_dialogs
    assert not page.kb_errors, page.kb_errors
