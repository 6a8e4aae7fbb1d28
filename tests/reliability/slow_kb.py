"""`kb` with a slow article write, for fault tests: `python slow_kb.py ingest ...` runs the real CLI, but
each article is written inside a transaction that first touches $KB_TEST_MARKS/written-<n>.start and then
sleeps $KB_TEST_SLOW_SAVE seconds (article number $KB_TEST_HOLD_AT, default 1, also until the file
$KB_TEST_HOLD exists, if set) while holding SQLite's write lock, so a test can kill, interrupt or race the
process while an article is in flight. Nothing else is changed."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import kb.pipeline.ingest as ingest
from kb.cli import cli
from kb.store.schema import write_transaction

_original = ingest.save_article
_count = 0


def slow_save_article(db, analysis, **kwargs):
    global _count
    _count += 1
    marks = Path(os.environ["KB_TEST_MARKS"])
    with write_transaction(db):
        (marks / f"written-{_count}.start").write_text(analysis.article.source_key)
        time.sleep(float(os.environ.get("KB_TEST_SLOW_SAVE", "1")))
        hold = os.environ.get("KB_TEST_HOLD")
        deadline = time.monotonic() + 60
        at = int(os.environ.get("KB_TEST_HOLD_AT", "1"))
        while _count == at and hold and not Path(hold).exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        written = _original(db, analysis, **kwargs)
    (marks / f"written-{_count}.done").write_text(analysis.article.source_key)
    return written


ingest.save_article = slow_save_article

if __name__ == "__main__":
    sys.argv[0] = "kb"
    cli()
