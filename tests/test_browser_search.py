"""Real headless Chromium against a real `kb serve`: one search over claims and passages, paging, polite
mistakes, the claims table on a 1366 px screen, the home page. Screenshots for the README
(docs/screenshots/ with --update-golden, else a temp dir).

Chromium is required (CI installs it): these tests fail, not skip, when it is missing.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from test_browser import SCREENSHOTS, kb_server, browser  # noqa: F401  (the browser fixture)
from test_search import FOXCONN_CLAIMS, build_search_db


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db_path = build_search_db(tmp_path_factory.mktemp("browser-search") / "kb.db")
    with kb_server(db_path) as base:
        yield base


@pytest.fixture
def page(browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("http://127.0.0.1")
                  else route.abort())
    pg = context.new_page()
    pg.kb_errors = []
    pg.on("pageerror", lambda exc: pg.kb_errors.append(str(exc)))
    yield pg
    context.close()


def _claim_ids(page):
    return {h.split("/")[-1] for h in page.eval_on_selector_all(
        ".kb-claim-hit > a", "els => els.map(e => e.getAttribute('href'))")}


def test_every_name_finds_the_companys_claims(server, page):
    for q in ("ホンハイ", "鴻海", "Foxconn"):
        page.goto(server + "/")
        page.fill(".kb-home-search input[name=q]", q)
        page.press(".kb-home-search input[name=q]", "Enter")
        page.wait_for_selector(".kb-counts")
        assert FOXCONN_CLAIMS <= _claim_ids(page), q
        assert page.input_value("input[name=q]") == q
        assert " ".join(q) not in page.text_content("body") or len(q) == 1  # never the spaced-out form
    assert page.locator(".kb-claim-hit a.kb-entity", has_text="Foxconn").first.get_attribute("href") == \
        "/-/kb/entity/foxconn"
    page.goto(server + "/-/kb/search?q=" + quote("ホンハイ"))
    page.screenshot(path=str(SCREENSHOTS / "search-names.png"), full_page=True)
    assert not page.kb_errors, page.kb_errors


def test_a_stray_quote_gets_a_polite_message(server, page):
    page.goto(server + "/-/kb/search")
    page.fill("input[name=q]", '"')
    page.press("input[name=q]", "Enter")
    message = page.text_content(".kb-search-error")
    assert "quote mark" in message and "not closed" in message
    assert "SQL" not in page.text_content("body") and "fts5" not in page.text_content("body").lower()
    page.goto(server + "/kb/claims?_search=" + quote('"'))
    assert "quote mark" in page.text_content("h3")
    assert not page.kb_errors, page.kb_errors


def test_paging_through_all_claims(server, page):
    page.goto(server + "/-/kb/search?size=1&q=" + quote("Foxconn OR OpenAI"))
    total = int(re.search(r"(\d+) claims", page.text_content(".kb-counts")).group(1))
    seen = []
    for _ in range(total + 1):
        seen += sorted(_claim_ids(page))
        nxt = page.locator("#claims .kb-pager a[rel=next]").first
        if not nxt.count():
            break
        nxt.click()
        page.wait_for_load_state("load")
    assert len(seen) == total == len(set(seen)) and total >= 4
    assert page.locator("#claims .kb-pager a[rel=prev]").count()


def test_claims_table_fits_a_laptop_screen(server, page):
    page.goto(server + "/kb/claims")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366, width
    table, wrapper = page.evaluate("[document.querySelector('table.rows-and-columns').scrollWidth, "
                                   "document.querySelector('.table-wrapper').clientWidth]")
    assert table <= wrapper <= 1366, (table, wrapper)  # no sideways scrolling inside the table either
    headers = page.eval_on_selector_all("table.rows-and-columns th", "els => els.map(e => e.dataset.column)")
    assert "base_key" not in headers and "search_text" not in headers and "investment_id" not in headers
    assert {"summary", "subject_id", "object_id", "amount_usd", "sources", "first_seen"} <= set(headers)
    assert page.locator("td.col-amount_usd", has_text="$30 billion").count() == 1
    # the column descriptions are folded into one line until opened
    assert not page.is_visible("dl.column-descriptions")
    table_top = page.locator("table.rows-and-columns").bounding_box()["y"]
    assert table_top < 768, table_top  # the rows start on the first screen
    page.screenshot(path=str(SCREENSHOTS / "claims-table.png"))
    page.click(".kb-column-descriptions summary")
    assert page.is_visible("dl.column-descriptions")
    assert not page.kb_errors, page.kb_errors


def test_home_page_lists_the_canned_queries(server, page):
    page.goto(server + "/")
    links = page.eval_on_selector_all(".kb-queries dt a", "els => els.map(e => e.textContent)")
    assert "Investments ranked by amount (USD)" in links and len(links) >= 8
    page.click("text=Investments ranked by amount (USD)")
    page.wait_for_load_state("load")
    assert page.locator("td.col-basis", has_text="per year").count() == 1
    assert page.locator("td.col-amount_usd", has_text="$2–3 billion a year").count() == 1
    page.goto(server + "/kb/investments_by_amount?min_usd=abc")
    assert "min_usd must be a number" in page.text_content("body")
    assert not page.kb_errors, page.kb_errors
