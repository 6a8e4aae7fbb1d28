"""Hostile inputs in one batch: each gets a clear per-file error (or is read), and the batch goes on."""

from __future__ import annotations

import json
import os

from .helpers import no_traceback, run_kb, stored, write_articles


def test_deep_html_a_50_mb_json_line_and_unreadable_files_in_one_batch(tmp_path):
    inp = tmp_path / "in"
    write_articles(inp, range(2))
    (inp / "deep.html").write_text("<html><body>" + "<div>" * 100_000 + "<p>Nvidia will invest $5 billion in "
                                   "Texas data centers.</p>" + "</div>" * 100_000 + "</body></html>")
    with open(inp / "big.jsonl", "w") as f:  # one 50 MB line: a short article with a huge extra field
        f.write(json.dumps({"title": "Big", "lang": "en", "body": "OpenAI agreed to buy chips from AMD.",
                            "blob": "x" * (50 * 1024 * 1024)}) + "\n")
    os.symlink(tmp_path / "nowhere.md", inp / "dangling.md")
    os.mkfifo(inp / "pipe.md")
    db = tmp_path / "kb.db"
    r = run_kb("ingest", inp, "--db", db, "-q")
    assert r.returncode == 1 and no_traceback(r.stdout, r.stderr)
    errors = sorted(line for line in r.stderr.splitlines() if line.startswith("ERROR"))
    assert len(errors) == 3, r.stderr
    assert errors[0] == (f"ERROR: {inp}/big.jsonl: file is 50.0 MB, over the 20 MB limit — raise it with "
                         "--max-file-mb or KB_MAX_FILE_MB, or split the file")
    assert errors[1].startswith(f"ERROR: {inp}/dangling.md: ") and errors[2].startswith(f"ERROR: {inp}/pipe.md: ")
    keys = sorted(k.rsplit("/", 1)[1] for k, _ in stored(db))
    assert keys == ["deep.html", "story-000.md", "story-001.md"]  # the batch went on
    again = run_kb("ingest", inp / "big.jsonl", "--db", db, "-q", "--max-file-mb", "60")
    assert again.returncode == 0 and again.stdout.startswith("Articles: 1 new"), again.stderr
    assert len(stored(db)) == 4
