"""Real headless Chromium against a real `kb serve`: graph, map, claim/search pages, XSS.

Chromium is required (CI installs it): these tests fail, not skip, when it is missing.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from test_datasette import XSS_TITLE, build_fixture_db

CHROMIUM = os.environ.get("KB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
# README screenshots are rewritten only on purpose (pytest --update-golden); otherwise they go to a temp dir.
SCREENSHOTS = (Path(__file__).resolve().parent.parent / "docs" / "screenshots"
               if os.environ.get("KB_UPDATE_GOLDEN") else Path(tempfile.mkdtemp(prefix="kb-screens-")))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def kb_server(db_path, *args: str, timeout: float = 60):
    """A real `kb serve` of `db_path` on a free 127.0.0.1 port (extra CLI `args`, e.g. --read-only), started in
    its own process; yields its base URL once it answers, stops it afterwards."""
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kb.cli", "serve", "--db", str(db_path), "--host", "127.0.0.1",
                             "--port", str(port), *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + timeout
    while True:
        try:
            urllib.request.urlopen(base + "/-/versions.json", timeout=1).read()
            break
        except OSError:
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                raise RuntimeError("kb serve did not start: " + proc.stdout.read().decode(errors="replace"))
            time.sleep(0.2)
    try:
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db_path = build_fixture_db(tmp_path_factory.mktemp("browser") / "kb.db")
    with kb_server(db_path) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: install chromium (apt-get install chromium)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    # Offline: nothing may leave the machine (map tiles, CDNs); our pages must still work.
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("http://127.0.0.1")
                  else route.abort())
    pg = context.new_page()
    pg.kb_errors, pg.kb_dialogs = [], []
    pg.on("pageerror", lambda exc: pg.kb_errors.append(str(exc)))
    pg.on("dialog", lambda d: (pg.kb_dialogs.append(d.message), d.dismiss()))
    yield pg
    context.close()


def _wait_graph(page):
    page.wait_for_function("window.kbGraph && window.kbGraph.ready === true", timeout=20000)
    return int(page.get_attribute("#kb-graph", "data-nodes"))


def _click_node(page, node_id):
    point = page.evaluate("""id => {
        const net = window.kbGraph.network;
        const p = net.canvasToDOM(net.getPositions([id])[id]);
        const box = document.querySelector('#kb-graph canvas').getBoundingClientRect();
        return {x: box.left + p.x, y: box.top + p.y};
    }""", node_id)
    page.mouse.click(point["x"], point["y"])


def test_graph_page_renders_and_node_click_opens_row(server, page):
    page.goto(server + "/-/kb/graph?entity=" + "鴻海")
    assert _wait_graph(page) == 5  # Foxconn, Wisconsin, Ohio, OpenAI (claims) + Evil Corp (co-mention)
    page.goto(server + "/-/kb/graph?co=0&entity=" + "鴻海")
    assert _wait_graph(page) == 4
    assert page.evaluate("window.kbGraph.edges.length") == 3
    assert page.locator("#kb-graph canvas").count() == 1
    _click_node(page, "us-wi")
    page.wait_for_selector("#kb-panel:not([data-selected=''])")
    assert page.text_content("#kb-panel-title") == "Wisconsin"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "graph.png"), full_page=True)
    page.click("#kb-panel a.kb-row-link")
    page.wait_for_url("**/kb/entities/us-wi")
    assert "Wisconsin" in page.text_content("body")
    assert not page.kb_errors, page.kb_errors


def _node_point(page, node_id):
    return page.evaluate("""id => {
        const net = window.kbGraph.network;
        const p = net.canvasToDOM(net.getPositions([id])[id]);
        const box = document.querySelector('#kb-graph canvas').getBoundingClientRect();
        return {x: box.left + p.x, y: box.top + p.y, w: box.width, h: box.height};
    }""", node_id)


def test_graph_click_does_not_move_the_graph(server, page):
    # Selecting a node fills the side panel; the canvas must not resize or re-centre,
    # or the node slides away from the pointer (and a double-click misses it).
    page.goto(server + "/-/kb/graph?entity=openai&co=0")
    _wait_graph(page)
    before = _node_point(page, "softbank")
    page.mouse.click(before["x"], before["y"])
    page.wait_for_selector("#kb-panel:not([data-selected=''])")
    after = _node_point(page, "softbank")
    assert (after["w"], after["h"]) == (before["w"], before["h"])
    assert abs(after["x"] - before["x"]) < 1 and abs(after["y"] - before["y"]) < 1


def test_graph_double_click_navigates(server, page):
    page.goto(server + "/-/kb/graph?entity=openai&co=0")
    _wait_graph(page)
    point = _node_point(page, "softbank")
    page.mouse.dblclick(point["x"], point["y"])
    page.wait_for_url("**/-/kb/entity/softbank")


def test_unknown_entity_page(server, page):
    response = page.goto(server + "/-/kb/graph?entity=Nobody")
    assert response.status == 404
    assert "No entity matches" in page.text_content("h2")
    assert page.locator(".kb-suggestions a").count() > 0


def test_map_page_lays_out_offline(server, page):
    page.goto(server + "/kb/places_on_map")
    page.wait_for_selector(".leaflet-container", timeout=20000)
    page.wait_for_function("document.querySelectorAll('.leaflet-marker-icon, .marker-cluster').length > 0",
                           timeout=20000)
    box = page.locator(".leaflet-container").bounding_box()
    assert box["width"] > 300 and box["height"] > 200
    assert page.locator("table.rows-and-columns tbody tr").count() == 3
    page.screenshot(path=str(SCREENSHOTS / "map.png"), full_page=True)
    assert not page.kb_errors, page.kb_errors


def test_claim_and_search_pages(server, page):
    page.goto(server + "/-/kb/claim/c-fox-wi")
    assert page.locator(".kb-evidence mark").count() == 2
    page.screenshot(path=str(SCREENSHOTS / "claim.png"), full_page=True)
    page.goto(server + "/-/kb/search?q=" + "工場")
    assert page.locator(".kb-hit mark").count() >= 2
    page.screenshot(path=str(SCREENSHOTS / "search.png"), full_page=True)
    page.goto(server + "/kb/passages?_search=" + "工場")
    assert page.input_value("input[name=_search]") == "工場"
    assert page.locator("table.rows-and-columns tbody tr").count() == 2
    assert not page.kb_errors, page.kb_errors


def test_xss_never_executes(server, page):
    paths = ["/-/kb/article/a-xss?hl=0-5", "/-/kb/claim/c-evil", "/-/kb/search?q=partnership", "/kb/articles",
             "/kb/claims", "/kb/claim_evidence", "/kb/entities", "/kb/claims_about_entity?entity=evil-corp",
             "/kb/articles/a-xss"]
    for path in paths:
        page.goto(server + path)
        page.wait_for_load_state("load")
    page.goto(server + "/-/kb/article/a-xss")
    assert page.title() == XSS_TITLE  # shown as text
    page.goto(server + "/-/kb/graph?entity=evil-corp")
    _wait_graph(page)
    _click_node(page, "evil-corp")
    page.wait_for_selector("#kb-panel:not([data-selected=''])")
    assert page.text_content("#kb-panel-title").startswith("<img src=x")
    page.wait_for_timeout(300)
    assert page.kb_dialogs == [], page.kb_dialogs
    assert not page.kb_errors, page.kb_errors
