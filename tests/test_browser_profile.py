"""Real headless Chromium: the entity profile, entity links, the graph page's claim link and the offline map.

Same pattern as tests/test_browser.py (whose browser/page fixtures are reused): a real kb.web.serve server on
the profile fixture database, every request outside 127.0.0.1 aborted, page errors and console errors
collected. Chromium is required: these tests fail, not skip, when it is missing.
"""

from __future__ import annotations


import pytest

from test_browser import SCREENSHOTS, kb_server, browser, page  # noqa: F401  (fixtures)
from test_web_profile import HON_HAI, build_profile_db, _claims_of


@pytest.fixture(scope="module")
def profile_server(tmp_path_factory):
    db_path = build_profile_db(tmp_path_factory.mktemp("browser-profile") / "kb.db")
    with kb_server(db_path) as base:
        yield base, db_path


@pytest.fixture
def checked_page(page):  # noqa: F811
    """The offline page of test_browser, also collecting console errors (a failed fetch, a 404 asset)."""
    page.kb_console = []
    page.on("console", lambda m: page.kb_console.append(f"{page.url}: {m.text}") if m.type == "error" else None)
    # A request cut short by leaving the page (net::ERR_ABORTED) is not an error; a blocked or failed one is.
    page.on("requestfailed", lambda r: None if "ERR_ABORTED" in (r.failure or "") else
            page.kb_console.append(f"{page.url}: {r.url} failed ({r.failure})"))
    return page


def _no_errors(page):
    assert not page.kb_errors, page.kb_errors
    assert not page.kb_console, page.kb_console
    assert page.kb_dialogs == [], page.kb_dialogs


def test_profile_from_the_entities_table(profile_server, checked_page):
    base, db_path = profile_server
    page = checked_page
    page.goto(base + "/kb/entities")
    page.click("table.rows-and-columns a:text-is('Hon Hai Precision Industry')")
    page.wait_for_url("**/-/kb/entity/company~3Ahon-hai")
    # The entities table's pin map (datasette-cluster-map) asks for tiles, which are blocked: not ours.
    page.kb_console.clear()
    assert page.text_content("#kb-entity-name").split()[:4] == ["Hon", "Hai", "Precision", "Industry"]
    assert "鴻海精密工業" in page.text_content("#kb-entity-name")
    # Every claim is listed, each with a link to its claim page, whose evidence is marked in its source.
    rows = page.locator("tr.kb-claim-row")
    assert {rows.nth(i).get_attribute("data-claim") for i in range(rows.count())} == _claims_of(db_path, HON_HAI)
    for i in range(rows.count()):
        href = rows.nth(i).locator("a.kb-claim-link").get_attribute("href")
        response = page.request.get(base + href)
        assert response.status == 200 and '<mark id="hl">' in response.text(), href
    assert page.locator(".kb-per-year").count() == 1
    # The embedded graph draws the entity's claim neighbourhood.
    page.wait_for_function("window.kbGraph && window.kbGraph.ready === true", timeout=20000)
    assert int(page.get_attribute("#kb-graph", "data-nodes")) == 4
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "entity-profile.png"), full_page=True)
    # A counterparty opens its own profile, with its Wikidata id as a link.
    page.click("a.kb-counterparty:text-is('OpenAI')")
    page.wait_for_url("**/-/kb/entity/company~3Aopenai")
    assert page.get_attribute("a.kb-wikidata", "href") == "https://www.wikidata.org/wiki/Q21708200"
    page.click("a.kb-entity-link:text-is('Hon Hai Precision Industry')")
    page.wait_for_url("**/-/kb/entity/company~3Ahon-hai")
    _no_errors(page)


def test_claim_page_roles_lead_to_profiles(profile_server, checked_page):
    base, _ = profile_server
    page = checked_page
    page.goto(base + "/-/kb/claim/c-fox-wi")
    page.click(".kb-facts a:text-is('Wisconsin')")
    page.wait_for_url("**/-/kb/entity/state~3AUS-WI")
    assert "ウィスコンシン州" in page.text_content("h1")
    _no_errors(page)


def test_graph_page_links_work(profile_server, checked_page):
    base, _ = profile_server
    page = checked_page
    page.goto(base + "/-/kb/graph?co=0&entity=" + "鴻海")
    page.wait_for_function("window.kbGraph && window.kbGraph.ready === true", timeout=20000)
    with page.expect_navigation() as nav:
        page.click("a.kb-its-claims")
    assert nav.value.status == 200
    assert page.locator("table.rows-and-columns tbody tr").count() == 4
    page.go_back()
    page.wait_for_function("window.kbGraph && window.kbGraph.ready === true", timeout=20000)
    point = page.evaluate("""id => {
        const net = window.kbGraph.network;
        const p = net.canvasToDOM(net.getPositions([id])[id]);
        const box = document.querySelector('#kb-graph canvas').getBoundingClientRect();
        return {x: box.left + p.x, y: box.top + p.y};
    }""", "state:US-WI")
    page.mouse.click(point["x"], point["y"])
    page.wait_for_selector("#kb-panel:not([data-selected=''])")
    page.click("#kb-panel a.kb-profile-link")
    page.wait_for_url("**/-/kb/entity/state~3AUS-WI")
    _no_errors(page)


def test_map_draws_shapes_offline(profile_server, checked_page):
    base, _ = profile_server
    page = checked_page
    page.goto(base + "/-/kb/map")
    page.wait_for_selector("#kb-map[data-state=ready]", timeout=20000)
    assert page.get_attribute("#kb-map", "data-shapes") == "98"
    assert page.locator("path.kb-region").count() == 98
    for panel in page.locator(".kb-map-panel svg").all():
        box = panel.bounding_box()
        assert box["width"] > 300 and box["height"] > 200
    # Places with claims are coloured, the others are not; Kumamoto's label is drawn in Japanese.
    fills = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('path.kb-region')]
                             .map(p => [p.dataset.key, p.getAttribute('fill')]))""")
    assert fills["US-WI"] == fills["JP-43"] != fills["US-CA"]
    label = page.locator("text.kb-region-label:text-is('熊本県')")
    assert label.count() == 1
    box = label.bounding_box()
    assert box["width"] > 10 and box["height"] > 4
    # Click a prefecture: the popup names it, counts its claims and links to its profile.
    page.locator("path.kb-region[data-key='JP-43']").click()
    tip = page.locator("#kb-map-tip")
    assert tip.is_visible()
    assert page.text_content("#kb-map-tip .kb-tip-name") == "Kumamoto"
    assert page.text_content("#kb-map-tip .kb-tip-ja") == "熊本県"
    assert page.text_content("#kb-map-tip .kb-tip-counts").startswith("1 claim · 1 mention")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "kb-map.png"), full_page=True)
    page.click("#kb-map-tip a.kb-tip-link")
    page.wait_for_url("**/-/kb/entity/state~3AJP-43")
    assert "熊本県" in page.text_content("h1")
    # Keyboard: focus a shape for its popup, Enter opens the profile.
    page.goto(base + "/-/kb/map")
    page.wait_for_selector("#kb-map[data-state=ready]")
    page.focus("path.kb-region[data-key='US-WI']")
    assert page.text_content("#kb-map-tip .kb-tip-name") == "Wisconsin" and page.is_visible("#kb-map-tip")
    page.keyboard.press("Enter")
    page.wait_for_url("**/-/kb/entity/state~3AUS-WI")
    # A state nobody mentions has a popup without a link.
    page.goto(base + "/-/kb/map")
    page.wait_for_selector("#kb-map[data-state=ready]")
    page.locator("path.kb-region[data-key='US-CA']").click()
    assert page.text_content("#kb-map-tip .kb-tip-counts") == "not mentioned yet"
    assert not page.locator("#kb-map-tip a.kb-tip-link").is_visible()
    _no_errors(page)


def test_map_is_linked_from_the_menu_and_the_places_query(profile_server, checked_page):
    base, _ = profile_server
    page = checked_page
    page.goto(base + "/kb/places_on_map")
    page.click(".metadata-description a[href='/-/kb/map'], p a[href='/-/kb/map']")
    page.wait_for_url("**/-/kb/map")
    page.goto(base + "/")
    assert page.locator("nav a[href='/-/kb/map'], .nav-menu a[href='/-/kb/map']").count() >= 1
