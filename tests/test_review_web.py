"""Review routes of the Datasette plugin (kb.web.review): CSRF, read-only, loopback only, claim and entity forms."""

from __future__ import annotations

import asyncio
import re

import httpx
import pytest

from kb.store import open_db
from kb.store import review
from kb.web.serve import make_datasette
from test_datasette import build_fixture_db

TOKEN = re.compile(r'name="csrftoken" value="([^"]+)"')


@pytest.fixture
def kb_path(tmp_path):
    return build_fixture_db(tmp_path / "kb.db")


class Client:
    """An HTTP client on the ASGI app that keeps cookies, like a browser (client address configurable)."""

    def __init__(self, ds, client=("127.0.0.1", 51000), base_url="http://127.0.0.1:8001"):
        self.http = httpx.AsyncClient(transport=httpx.ASGITransport(app=ds.app(), client=client), base_url=base_url)

    async def get(self, path, **kw):
        return await self.http.get(path, **kw)

    async def token(self, path):
        r = await self.get(path)
        assert r.status_code == 200, r.text
        found = TOKEN.search(r.text)
        return found.group(1) if found else None

    async def post(self, path, data, **kw):
        return await self.http.post(path, data=data, **kw)


def run(coro):
    return asyncio.run(coro)


async def _app(kb_path, **kw):
    ds = make_datasette(kb_path, **kw)
    await ds.invoke_startup()
    return ds


def status_of(kb_path, claim_id):
    db = open_db(kb_path)
    try:
        return next(db.query("SELECT review_status FROM claims WHERE id = ?", [claim_id]))["review_status"]
    finally:
        db.close()


def test_mark_a_claim_wrong_with_the_form_token(kb_path):
    async def go():
        c = Client(await _app(kb_path))
        page = await c.get("/-/kb/claim/c-fox-oh")
        assert "Mark wrong" in page.text and "unreviewed" in page.text
        token = TOKEN.search(page.text).group(1)
        r = await c.post("/-/kb/review/claim/c-fox-oh", {"csrftoken": token, "status": "wrong",
                                                         "note": "<b>no such plan</b>", "reviewer": "ana"})
        assert r.status_code == 302 and r.headers["location"].startswith("/-/kb/claim/c-fox-oh")
        page = await c.get("/-/kb/claim/c-fox-oh")
        assert "marked wrong" in page.text and "&lt;b&gt;no such plan&lt;/b&gt;" in page.text
        assert "<b>no such plan</b>" not in page.text
        listing = await c.get("/-/kb/review")
        assert "claim marked wrong: Foxconn plans a plant in Ohio" in listing.text and "ana" in listing.text
        # Wrong claims leave the search results.
        found = await c.get("/-/kb/search?q=Ohio")
        assert "/-/kb/claim/c-fox-oh" not in found.text
    run(go())
    assert status_of(kb_path, "c-fox-oh") == "wrong"


def test_a_post_without_the_csrf_token_is_refused(kb_path):
    async def go():
        c = Client(await _app(kb_path))
        # No cookie at all (a cross-site form post sends none): asgi-csrf lets it through, kb refuses it.
        r = await c.post("/-/kb/review/claim/c-fox-oh", {"status": "wrong"})
        assert r.status_code == 403 and "CSRF token" in r.text
        # The cookie but no token in the form: asgi-csrf refuses it.
        await c.token("/-/kb/claim/c-fox-oh")
        r = await c.post("/-/kb/review/claim/c-fox-oh", {"status": "wrong"})
        assert r.status_code == 403
        r = await c.post("/-/kb/review/claim/c-fox-oh", {"status": "wrong", "csrftoken": "forged"})
        assert r.status_code == 403
        # A page of another site posting with a valid cookie and token (Origin says where it comes from).
        token = await c.token("/-/kb/claim/c-fox-oh")
        r = await c.post("/-/kb/review/claim/c-fox-oh", {"status": "wrong", "csrftoken": token},
                         headers={"origin": "https://attacker.example"})
        assert r.status_code == 403
        r = await c.post("/-/kb/review/entity/foxconn", {"action": "suppress"})
        assert r.status_code == 403
    run(go())
    assert status_of(kb_path, "c-fox-oh") is None
    db = open_db(kb_path)
    assert review.decisions(db) == [] and list(db.query("SELECT 1 FROM entities WHERE id = 'foxconn'"))


def test_read_only_answers_403_and_shows_no_forms(kb_path):
    async def go():
        c = Client(await _app(kb_path, read_only=True))
        page = await c.get("/-/kb/claim/c-fox-oh")
        assert page.status_code == 200 and "Mark wrong" not in page.text and "read-only" in page.text
        token = TOKEN.search(page.text)
        # Any page hands out a token; with it the write is still refused.
        token = token.group(1) if token else (await c.get("/-/kb/review")).cookies.get("ds_csrftoken")
        r = await c.post("/-/kb/review/claim/c-fox-oh", {"status": "wrong", "csrftoken": token or ""})
        assert r.status_code == 403
        entity = await c.get("/-/kb/review/entity/foxconn")
        assert entity.status_code == 200 and "Merge" not in entity.text and "read-only" in entity.text
    run(go())
    assert status_of(kb_path, "c-fox-oh") is None


def test_requests_from_another_machine_are_refused(kb_path):
    async def go():
        ds = await _app(kb_path)
        remote = Client(ds, client=("192.0.2.7", 40000))
        page = await remote.get("/-/kb/claim/c-fox-oh")
        assert page.status_code == 200 and "Mark wrong" not in page.text
        assert "on the machine that serves" in page.text
        # Even with a cookie and token from a local page, a remote client is refused.
        token = await Client(ds).token("/-/kb/claim/c-fox-oh")
        remote.http.cookies.set("ds_csrftoken", token)
        r = await remote.post("/-/kb/review/claim/c-fox-oh", {"status": "wrong", "csrftoken": token})
        assert r.status_code == 403 and "on the machine that serves" in r.text
        # Served on all interfaces (0.0.0.0): refused even to a local browser.
        exposed = Client(ds, base_url="http://0.0.0.0:8001")
        assert "Mark wrong" not in (await exposed.get("/-/kb/claim/c-fox-oh")).text
        # A page reached through another host name (DNS rebinding) is refused too.
        rebound = Client(ds, base_url="http://attacker.example:8001")
        assert "Mark wrong" not in (await rebound.get("/-/kb/claim/c-fox-oh")).text
        local = Client(ds, base_url="http://localhost:8001")
        assert "Mark wrong" in (await local.get("/-/kb/claim/c-fox-oh")).text
    run(go())
    assert status_of(kb_path, "c-fox-oh") is None


def test_entity_merge_split_alias_and_suppress_through_the_forms(kb_path):
    async def go():
        c = Client(await _app(kb_path))
        page = await c.get("/-/kb/review/entity/nvidia")
        assert page.status_code == 200 and "NVIDIA" in page.text and "Merge" in page.text
        token = TOKEN.search(page.text).group(1)
        r = await c.post("/-/kb/review/entity/nvidia", {"csrftoken": token, "action": "merge", "into": "softbank",
                                                         "reviewer": "ben"})
        assert r.status_code == 302 and r.headers["location"] == "/-/kb/review/entity/softbank"
        target = await c.get("/-/kb/review/entity/softbank")
        assert "nvidia" in target.text and "Split out (undo merge)" in target.text
        db = open_db(kb_path)
        assert next(db.query("SELECT subject_id FROM claims WHERE id = 'c-nv-500'"))["subject_id"] == "softbank"
        r = await c.post("/-/kb/review/entity/softbank", {"csrftoken": token, "action": "split", "merged": "nvidia"})
        assert r.status_code == 302
        assert next(db.query("SELECT subject_id FROM claims WHERE id = 'c-nv-500'"))["subject_id"] == "nvidia"
        r = await c.post("/-/kb/review/entity/tsmc", {"csrftoken": token, "action": "alias",
                                                       "alias": "Taiwan Semiconductor"})
        assert r.status_code == 302
        assert "Taiwan Semiconductor" in (await c.get("/-/kb/review/entity/tsmc")).text
        r = await c.post("/-/kb/review/entity/tsmc", {"csrftoken": token, "action": "merge", "into": "nobody"})
        assert r.status_code == 400 and "no such entity" in r.text
        r = await c.post("/-/kb/review/entity/evil-corp", {"csrftoken": token, "action": "suppress"})
        assert r.status_code == 302
        assert not list(db.query("SELECT 1 FROM entities WHERE id = 'evil-corp'"))
        assert not list(db.query("SELECT 1 FROM claims WHERE id = 'c-evil'"))
        gone = await c.get("/-/kb/review/entity/evil-corp")
        assert gone.status_code == 200 and "Suppressed" in gone.text and "<img src=x" not in gone.text
        assert (await c.get("/-/kb/review/entity/never-seen")).status_code == 404
        listing = (await c.get("/-/kb/review")).text
        assert "merged into" in listing and "split out of" in listing and "alias &#39;Taiwan Semiconductor&#39;" in listing
    run(go())


def test_review_page_lists_orphaned_decisions(kb_path):
    db = open_db(kb_path)
    review.import_review(db, {"format": "kb-review", "version": 1, "decisions": [
        {"target": "claim", "target_id": "c-gone", "action": "status", "value": {"status": "correct"},
         "note": "from an earlier version", "reviewer": "ana", "decided_at": "2026-01-01T00:00:00.000000",
         "snapshot": {"summary": "A claim that went away"}}]})
    db.close()

    async def go():
        c = Client(await _app(kb_path))
        page = await c.get("/-/kb/review")
        assert "1 orphaned" in page.text and "A claim that went away" in page.text and "kb-orphaned" in page.text
    run(go())


def test_canned_queries_hide_claims_marked_wrong(kb_path):
    db = open_db(kb_path)
    review.review_claim(db, "c-sb-30", status="wrong", reviewer="ana")
    db.close()

    async def go():
        c = Client(await _app(kb_path))
        for name, params in (("most_corroborated", "type="), ("investments_by_amount", "min_usd="),
                             ("claims_about_entity", "entity=SoftBank"), ("claims_timeline", "entity="),
                             ("conflicting_claims", "")):
            r = await c.get(f"/kb/{name}.json?{params}&_shape=array")
            assert r.status_code == 200, (name, r.text)
            ids = {v for row in r.json() for k, v in row.items() if k in ("claim_id", "claim_a", "claim_b")}
            assert "c-sb-30" not in ids, name
            if name != "conflicting_claims":
                assert ids, name  # the others are still listed
    run(go())


def test_kb_serve_read_only_flag(kb_path):
    """The real command: `kb serve --read-only` shows no forms and answers a POST with 403."""
    import subprocess
    import sys
    import time
    import urllib.error
    import urllib.request

    from test_browser import _free_port

    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kb.cli", "serve", "--read-only", "--db", str(kb_path),
                             "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                page = urllib.request.urlopen(base + "/-/kb/claim/c-fox-oh", timeout=2)
                break
            except OSError:
                assert proc.poll() is None and time.time() < deadline, proc.stdout.read().decode(errors="replace")
                time.sleep(0.2)
        cookie = page.headers.get("set-cookie", "").split(";", 1)[0]
        html = page.read().decode()
        assert "Mark wrong" not in html and "read-only" in html
        token = cookie.split("=", 1)[1] if "=" in cookie else ""
        request = urllib.request.Request(base + "/-/kb/review/claim/c-fox-oh", method="POST",
                                         data=f"status=wrong&csrftoken={token}".encode(),
                                         headers={"cookie": cookie,
                                                  "content-type": "application/x-www-form-urlencoded"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=5)
        assert refused.value.code == 403 and "read-only" in refused.value.read().decode()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert status_of(kb_path, "c-fox-oh") is None


def test_the_entity_controls_can_be_included_with_only_the_entity(kb_path):
    """Another page (the entity profile) includes _kb_entity_review.html with `entity` alone."""
    from datasette.utils.asgi import Request

    async def go():
        ds = await _app(kb_path)
        local = Request({"type": "http", "method": "GET", "path": "/x", "raw_path": b"/x", "query_string": b"",
                         "headers": [(b"host", b"127.0.0.1:8001")], "client": ("127.0.0.1", 5000),
                         "server": ("127.0.0.1", 8001), "scheme": "http", "csrftoken": lambda: "tok"}, None)
        html = await ds.render_template("_kb_entity_review.html",
                                        {"entity": {"id": "foxconn", "name": "Foxconn", "type": "company"}},
                                        request=local)
        assert "Merge Foxconn into entity id" in html and "鴻海精密工業" in html and 'value="tok"' in html
        remote = Request(dict(local.scope, client=("192.0.2.7", 5000)), None)
        html = await ds.render_template("_kb_entity_review.html",
                                        {"entity": {"id": "foxconn", "name": "Foxconn", "type": "company"}},
                                        request=remote)
        assert "Merge Foxconn" not in html and "on the machine that serves" in html
    run(go())
