"""Review in a real headless Chromium against a real `kb serve` on a really ingested knowledge base: mark a claim
wrong, ingest the same folder again (re-analysing every article), reload: still wrong.

Chromium is required (CI installs it): these tests fail, not skip, when it is missing.
"""

from __future__ import annotations


import pytest

from kb.pipeline.ingest import ingest_paths
from kb.store import open_db
from test_browser import kb_server, browser, page  # noqa: F401  (fixtures)
from test_review import claim_of, write_articles


@pytest.fixture
def served(tmp_path):
    folder = write_articles(tmp_path / "articles")
    db_path = tmp_path / "kb.db"
    db = open_db(db_path)
    assert not ingest_paths(db, [str(folder)]).errors
    claim_id = claim_of(db, "contract", "company:zentrodynamics")["id"]
    db.close()
    with kb_server(db_path) as base:
        yield base, db_path, folder, claim_id


def test_mark_wrong_survives_reingest(served, page):  # noqa: F811
    base, db_path, folder, claim_id = served
    page.goto(f"{base}/-/kb/search?q=contract")
    assert page.locator(f"a[href$='/-/kb/claim/{claim_id}']").count() == 1
    page.goto(f"{base}/-/kb/claim/{claim_id}")
    assert page.text_content(".kb-review-status strong") == "unreviewed"
    page.fill(".kb-review-verdict input[name=note]", "it was only a memorandum")
    page.fill(".kb-review-verdict input[name=reviewer]", "ana")
    page.click(".kb-review-verdict button[value=wrong]")
    page.wait_for_selector("#kb-review[data-status=wrong]")
    assert page.text_content(".kb-review-status strong") == "marked wrong"
    assert "it was only a memorandum" in page.text_content(".kb-review-note")

    # The same folder again, every article analysed afresh (as after a kb upgrade), while the server runs.
    db = open_db(db_path)
    db.execute("UPDATE articles SET extraction = NULL")
    s = ingest_paths(db, [str(folder)])
    assert s.refreshed == 4 and not s.errors
    assert next(db.query("SELECT review_status FROM claims WHERE id = ?", [claim_id]))["review_status"] == "wrong"
    db.close()

    page.reload()
    assert page.text_content(".kb-review-status strong") == "marked wrong"
    # Hidden from the default search results; listed on the review page.
    page.goto(f"{base}/-/kb/search?q=contract")
    assert page.locator(f"a[href$='/-/kb/claim/{claim_id}']").count() == 0
    page.goto(f"{base}/-/kb/review")
    assert "claim marked wrong" in page.text_content(".kb-review-table")
    page.click(".kb-review-table a")
    page.wait_for_url(f"**/-/kb/claim/{claim_id}*")
    # Clear the verdict again from the page.
    page.click(".kb-review-verdict button[value=clear]")
    page.wait_for_selector("#kb-review[data-status=unreviewed]")
    assert not page.kb_errors, page.kb_errors
