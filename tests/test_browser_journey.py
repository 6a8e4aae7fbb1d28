"""The analyst's journey of issue #14, end to end in a real headless Chromium against a real `kb serve` on the
bundled sample articles (data/articles): from the home page find Hon Hai, open its profile, read every claim
with its evidence and source link, mark one wrong and see that survive `kb ingest` of the same folder again,
search ホンハイ / 鴻海 / Foxconn and get its claims, export its claims to a CSV that opens in a spreadsheet.

Chromium is required (CI installs it): these tests fail, not skip, when it is missing.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from kb.store import open_db
from test_browser import SCREENSHOTS, kb_server, browser, page  # noqa: F401  (fixtures)

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "articles"
HON_HAI = "company:hon-hai"


def _kb(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kb.cli", *args], capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("journey")
    folder = root / "articles"
    shutil.copytree(SAMPLES, folder)
    db_path = root / "kb.db"
    done = _kb("ingest", str(folder), "--db", str(db_path), "--quiet")
    assert done.returncode == 0, done.stdout + done.stderr
    with kb_server(db_path) as base:
        yield base, db_path, folder


def _hon_hai_claims(db_path) -> set[str]:
    db = open_db(db_path, create=False)
    try:
        return {r["id"] for r in db.query(
            "SELECT id FROM claims WHERE (subject_id = :e OR object_id = :e OR attributed_to_id = :e) "
            "AND coalesce(review_status, '') != 'wrong'", {"e": HON_HAI})}
    finally:
        db.close()


def _article_urls(db_path) -> dict[str, str | None]:
    db = open_db(db_path, create=False)
    try:
        return {r["id"]: r["url"] for r in db.query("SELECT id, url FROM articles")}
    finally:
        db.close()


def test_the_analyst_journey(served, page):  # noqa: F811
    base, db_path, folder = served
    expected = _hon_hai_claims(db_path)
    assert len(expected) >= 5

    # 1. From the home page, find Hon Hai: the search box, then the entity link of a result.
    page.goto(base + "/")
    page.fill(".kb-home-search input[name=q]", "Hon Hai")
    page.press(".kb-home-search input[name=q]", "Enter")
    page.wait_for_url("**/-/kb/search?*")
    page.click(f"a.kb-entity[href$='/-/kb/entity/company~3Ahon-hai']")
    page.wait_for_url("**/-/kb/entity/*")
    assert "Hon Hai" in page.text_content("h1")

    # 2. Its profile lists every one of its claims, each opening a claim page with evidence and a source link.
    profile_url = page.url
    listed = set(page.eval_on_selector_all("tr.kb-claim-row", "rows => rows.map(r => r.dataset.claim)"))
    assert listed == expected
    urls = _article_urls(db_path)
    claim_links = page.eval_on_selector_all("tr.kb-claim-row a.kb-claim-link", "as => as.map(a => a.href)")
    linked_out = 0
    for href in claim_links:
        page.goto(href)
        evidence = page.locator("article.kb-evidence")
        assert evidence.count() >= 1, href
        for i in range(evidence.count()):
            item = evidence.nth(i)
            assert item.locator("blockquote.kb-context mark").count() >= 1, href  # the quote, highlighted
            stored = item.locator("a.kb-article-link")  # the stored article, at the quote
            assert stored.count() == 1, href
            article_id = stored.get_attribute("href").split("/-/kb/article/")[1].split("?")[0].split("#")[0]
            if urls.get(article_id):  # the article's own web address, where the front matter gives one
                assert item.locator("a.kb-source-link").get_attribute("href") == urls[article_id], href
                linked_out += 1
    assert linked_out >= 1
    page.screenshot(path=str(SCREENSHOTS / "journey-claim.png"), full_page=False)

    # 3. Mark one claim wrong; ingest the same folder again; it stays wrong and leaves the profile.
    wrong = sorted(expected)[0]
    page.goto(f"{base}/-/kb/claim/{wrong}")
    page.fill(".kb-review-verdict input[name=reviewer]", "analyst")
    page.click(".kb-review-verdict button[value=wrong]")
    page.wait_for_selector("#kb-review[data-status=wrong]")
    again = _kb("ingest", str(folder), "--db", str(db_path), "--quiet")
    assert again.returncode == 0, again.stdout + again.stderr
    page.reload()
    assert page.text_content(".kb-review-status strong") == "marked wrong"
    page.goto(profile_url)
    listed = set(page.eval_on_selector_all("tr.kb-claim-row", "rows => rows.map(r => r.dataset.claim)"))
    assert listed == expected - {wrong}
    assert "1 claim an analyst marked wrong is not listed" in page.text_content(".kb-wrong-hidden")

    # 4. Search by any of its names, in either script: its claims come back.
    for name in ("ホンハイ", "鴻海", "Foxconn"):
        page.goto(f"{base}/-/kb/search?q={urllib.request.quote(name)}&size=100")
        found = {href.rsplit("/", 1)[-1] for href in page.eval_on_selector_all(
            "a[href*='/-/kb/claim/']", "as => as.map(a => a.getAttribute('href'))")}
        assert len(found & expected) >= len(expected) // 2, (name, len(found & expected), len(expected))
        assert wrong not in found, name

    # 5. Export its claims from the profile: a CSV a spreadsheet opens (BOM, CRLF, Japanese intact).
    page.goto(profile_url)
    with page.expect_download() as info:
        page.click("a.kb-export-csv")
    data = Path(info.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert {r["claim_id"] for r in rows} == expected - {wrong}
    assert all(r["claim_id"] in expected for r in rows)
    assert all(r["quote"] and r["article_title"] for r in rows)
    assert any(any("\u3040" <= ch <= "\u9fff" for ch in r["quote"]) for r in rows)  # Japanese quotes intact
    assert not page.kb_errors, page.kb_errors
