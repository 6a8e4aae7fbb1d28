"""The CLI explains itself: every command has help, and the README documents every command."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kb.cli import cli

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix=()):
    for name, cmd in sorted(group.commands.items()):
        path = prefix + (name,)
        yield path, cmd
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, path)


COMMANDS = list(_commands(cli))


@pytest.mark.parametrize("path,cmd", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_has_help_and_is_documented(path, cmd):
    assert cmd.help and len(cmd.help.strip()) > 20, f"kb {' '.join(path)} needs a real --help text"
    result = CliRunner().invoke(cli, list(path) + ["--help"])
    assert result.exit_code == 0
    if not isinstance(cmd, click.Group):
        assert f"kb {' '.join(path)}" in README, f"README does not mention `kb {' '.join(path)}`"
    for param in cmd.params:
        if isinstance(param, click.Option):
            assert param.help, f"kb {' '.join(path)} {param.opts[0]} has no help"


def test_missing_database_is_a_one_line_error(tmp_path):
    result = CliRunner().invoke(cli, ["export", "claims", "--db", str(tmp_path / "nope.db")])
    assert result.exit_code != 0
    assert "no such database" in result.output and "Traceback" not in result.output


def test_missing_input_path_is_one_error_and_the_batch_goes_on(tmp_path):
    good = tmp_path / "good.md"
    good.write_text("---\ntitle: t\n---\n北浜電機はオハイオ州に工場を建設する。\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path / "missing"), str(good), "--db", str(tmp_path / "kb.db")])
    assert result.exit_code == 1
    assert result.output.count("no such file or folder") == 1 and "Traceback" not in result.output
    assert "1 new" in result.output


def test_ingest_export_and_briefing(ingested_fixtures, tmp_path):
    db_path, _ = ingested_fixtures
    runner = CliRunner()
    out = tmp_path / "claims.jsonl"
    assert runner.invoke(cli, ["export", "claims", "--db", str(db_path), "-o", str(out)]).exit_code == 0
    claims = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert claims
    required = {"id", "type", "summary", "subject", "object", "amount", "modality", "polarity", "attributed_to",
                "sources", "first_seen", "last_seen", "conflicts_with", "evidence"}
    for c in claims:
        assert required <= set(c)
        assert c["sources"] == len({e["article_id"] for e in c["evidence"]})
        for e in c["evidence"]:
            text = Path(e["source_path"]).read_text(encoding="utf-8")
            assert e["quote"] and " ".join(e["quote"].split())[:15] in " ".join(text.split())
    ents = tmp_path / "entities.jsonl"
    assert runner.invoke(cli, ["export", "entities", "--db", str(db_path), "-o", str(ents)]).exit_code == 0
    entities = [json.loads(line) for line in ents.read_text(encoding="utf-8").splitlines()]
    hon_hai = [e for e in entities if "鴻海" in e["aliases"] or "Foxconn" in e["aliases"]]
    assert len(hon_hai) == 1, "one entity for Hon Hai across scripts"
    assert {"id", "name", "type", "aliases", "wikidata", "mentions", "articles"} <= set(hon_hai[0])
    # investment nodes are claims, not entities; first-level divisions say which country they belong to
    assert not [e for e in entities if e["type"] == "investment"]
    states = {e["id"]: (e.get("country"), e.get("subtype")) for e in entities if e["type"] == "state"}
    assert states and all(v in {("US", "us_state"), ("JP", "prefecture")} for v in states.values())
    assert all(v == (k[6:8], "us_state" if k.startswith("state:US") else "prefecture") for k, v in states.items())
    brief = runner.invoke(cli, ["claims", "--db", str(db_path), "--entity", "ホンハイ"])
    assert brief.exit_code == 0
    assert "Hon Hai" in brief.output and "PARTNERSHIP" in brief.output and "source" in brief.output


@pytest.mark.parametrize("width", [60, 100])
@pytest.mark.parametrize("group", [(), ("export",), ("graph",)], ids=["kb", "export", "graph"])
def test_help_lists_each_command_with_its_whole_first_sentence(group, width):
    cmd_group = cli
    for name in group:
        cmd_group = cmd_group.commands[name]
    result = CliRunner().invoke(cli, list(group) + ["--help"], terminal_width=width)
    assert result.exit_code == 0
    listing = " ".join(result.output.split("Commands:", 1)[1].split())
    for name, cmd in cmd_group.commands.items():
        first = " ".join(cmd.help.split("\n\n")[0].split())
        assert f"{name} {first}" in listing, f"`kb {' '.join(group)} --help` cuts {name}'s description"
        assert "..." not in listing
    for line in result.output.splitlines():
        assert len(line) <= width


def test_claims_briefing_shows_ids_dates_titles_and_whole_quotes(ingested_fixtures):
    import sqlite3

    db_path, _ = ingested_fixtures
    result = CliRunner().invoke(cli, ["claims", "--db", str(db_path), "--entity", "ホンハイ"], env={"COLUMNS": "72"})
    assert result.exit_code == 0
    out = result.output
    conn = sqlite3.connect(str(db_path))
    ids = [r[0] for r in conn.execute(
        "SELECT c.id FROM claims c JOIN entities e ON e.id IN (c.subject_id, c.object_id, c.attributed_to_id) "
        "WHERE e.name LIKE 'Hon Hai%'")]
    assert ids and all(f"[{cid}]" in out for cid in ids)
    assert "first seen 2025-12-0" in out
    quotes = {}
    for cid in ids:
        row = conn.execute("SELECT e.quote, a.title FROM claim_evidence e JOIN articles a ON a.id = e.article_id "
                           "WHERE e.claim_id = ? ORDER BY a.published, a.source_key, e.start LIMIT 1", [cid]).fetchone()
        quotes[cid] = row
    conn.close()
    unspaced = "".join(out.split())
    for quote, title in quotes.values():
        assert "".join(quote.split()) in unspaced, "the whole quote is printed"
        assert "".join(title.split()) in unspaced
    assert "…”" not in out  # never cut short
    assert all(len(line) <= 72 + 36 for line in out.splitlines())  # wide (Japanese) characters count double
    # English quotes wrap at spaces: every word of a quote is whole on one line
    words = {w for quote, _ in quotes.values() for w in quote.split() if w.isascii() and len(w) > 3}
    lines = out.splitlines()
    for w in words:
        assert any(w in line for line in lines), f"{w!r} is cut across lines"


def test_wrap_counts_wide_characters_and_keeps_words():
    from kb.cli import _wrap

    text = "“Foxconn chairman Young Liu said the company plans to spend $2 billion to $3 billion a year.”"
    out = _wrap(text, 30, first="    ", indent="     ")
    assert all(len(line) <= 30 for line in out.splitlines())
    assert " ".join(out.split()) == text
    ja = _wrap("鴻海の劉揚偉会長は、同社がAI関連に年20～30億ドルを投じる方針だと述べた。", 24, first="  ", indent="  ")
    import unicodedata
    for line in ja.splitlines():
        assert sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line) <= 24
    assert "".join(ja.split()) == "鴻海の劉揚偉会長は、同社がAI関連に年20～30億ドルを投じる方針だと述べた。"
