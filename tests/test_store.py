"""kb.store: schema versions, and one answer to "which entity is this name" for the CLI, the graph export and
the graph page."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.cli import cli
from kb.entities import normalize_name
from kb.store import MIGRATIONS, SCHEMA_VERSION, applied_versions, open_db
from kb.store.lookup import AmbiguousEntity, EntityNotFound, find_entity
from kb.web.serve import make_datasette

KB = Path(__file__).parent.parent / "kb"


# --- schema -------------------------------------------------------------------------------------------------

def test_schema_version_is_the_number_of_migrations(tmp_path):
    assert [v for v, _, _ in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))
    assert SCHEMA_VERSION == len(MIGRATIONS)
    db = open_db(tmp_path / "kb.db")
    assert applied_versions(db) == list(range(1, SCHEMA_VERSION + 1))


def test_an_older_database_is_brought_up_to_schema_version(tmp_path):
    db = open_db(tmp_path / "kb.db")
    db.execute("DELETE FROM schema_migrations WHERE version = 4")
    db.execute("ALTER TABLE articles DROP COLUMN extraction")  # as a kb of schema version 3 left it
    db.close()
    db = open_db(tmp_path / "kb.db")
    assert applied_versions(db) == list(range(1, SCHEMA_VERSION + 1)) and "extraction" in db["articles"].columns_dict
    db.close()
    assert applied_versions(open_db(tmp_path / "kb.db")) == list(range(1, SCHEMA_VERSION + 1))  # no re-run


def test_tracking_is_pure():
    tree = ast.parse((KB / "tracking.py").read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not {m for m in imported if m.startswith(("kb.store", "sqlite"))}, imported


# --- one find_entity ----------------------------------------------------------------------------------------

# (id, name, type, aliases, claims): "Acme" is the name of acme and an alias of the better-known acme-holdings
# (the old `kb claims` picked acme-holdings, the graph and its page acme); "AX" is an alias of two entities;
# the gazetteer knows "Foxconn" as company:hon-hai, which the articles only called 鴻海精密工業.
ENTITIES = [
    ("company:acme", "Acme", "company", ["Acme"], 0),
    ("company:acme-holdings", "Acme Holdings", "company", ["Acme Holdings", "Acme", "AX"], 5),
    ("company:ax-labs", "AX Labs", "company", ["AX Labs", "AX"], 1),
    ("company:hon-hai", "Hon Hai Precision Industry", "company", ["鴻海精密工業"], 0),
]


@pytest.fixture
def kb_path(tmp_path):
    path = tmp_path / "kb.db"
    db = open_db(path)
    for eid, name, type_, aliases, claims in ENTITIES:
        db["entities"].insert({"id": eid, "name": name, "type": type_, "aliases": json.dumps(aliases),
                               "mentions": claims * 2, "articles": 1, "claims": claims})
        db["entity_aliases"].insert_all({"entity_id": eid, "alias": a, "normalized": normalize_name(a),
                                         "mentions": 1} for a in aliases)
    db.close()
    return path


def _cli_entity(path: Path, name: str) -> tuple[str | None, str]:
    """The entity `kb claims --entity` shows (its name) or None, and the output."""
    result = CliRunner().invoke(cli, ["claims", "--db", str(path), "--entity", name])
    if result.exit_code != 0:
        return None, result.output
    shown = result.output.splitlines()[0].rsplit(" (", 1)[0]
    return next(eid for eid, n, *_ in ENTITIES if n == shown), result.output


def _graph_entity(path: Path, name: str, out: Path) -> tuple[str | None, str]:
    """The entity `kb export graph --entity` centres on, or None, and the output."""
    result = CliRunner().invoke(cli, ["export", "graph", "--db", str(path), "--format", "json", "-o", str(out),
                                      "--entity", name])
    if result.exit_code != 0:
        return None, result.output
    return json.loads(out.read_text(encoding="utf-8"))["graph"]["entity"], result.output


async def _page_entity(path: Path, name: str) -> tuple[str | None, dict]:
    """The entity /-/kb/graph.json?entity= shows, or None, and the JSON."""
    r = await make_datasette(path).client.get("/-/kb/graph.json", params={"entity": name, "co": "0"})
    data = r.json()
    return (data["entity"]["id"] if data["ok"] else None), data


@pytest.mark.parametrize("name, expected", [
    ("Acme", "company:acme"),            # a name beats an alias, however well known the alias's entity
    ("acme holdings", "company:acme-holdings"),
    ("ＡＣＭＥ", "company:acme"),         # NFKC and case
    ("株式会社Acme Holdings", "company:acme-holdings"),  # legal forms stripped as ingest does
    ("company:ax-labs", "company:ax-labs"),
    ("Foxconn", "company:hon-hai"),      # the gazetteer's alias of a stored entity
])
async def test_cli_graph_export_and_graph_page_pick_the_same_entity(kb_path, tmp_path, name, expected):
    assert find_entity(open_db(kb_path), name)["id"] == expected
    assert _cli_entity(kb_path, name)[0] == expected
    assert _graph_entity(kb_path, name, tmp_path / "g.json")[0] == expected
    assert (await _page_entity(kb_path, name))[0] == expected


async def test_an_ambiguous_name_is_ambiguous_everywhere(kb_path, tmp_path):
    ids = ["company:acme-holdings", "company:ax-labs"]
    with pytest.raises(AmbiguousEntity) as err:
        find_entity(open_db(kb_path), "ax")
    assert [c["id"] for c in err.value.candidates] == ids
    for entity, output in (_cli_entity(kb_path, "ax"), _graph_entity(kb_path, "ax", tmp_path / "g.json")):
        assert entity is None and "several entities" in output and all(i in output for i in ids)
    entity, data = await _page_entity(kb_path, "ax")
    assert entity is None and data["ambiguous"] is True and [s["id"] for s in data["suggestions"]] == ids
    r = await make_datasette(kb_path).client.get("/-/kb/graph", params={"entity": "ax"})
    assert r.status_code == 404 and "matches several entities" in r.text
    assert all(f"/-/kb/graph?entity={i.replace(':', '%3A')}" in r.text for i in ids)


async def test_an_unknown_name_is_unknown_everywhere(kb_path, tmp_path):
    with pytest.raises(EntityNotFound, match="close matches: Acme"):
        find_entity(open_db(kb_path), "Acm")
    for entity, output in (_cli_entity(kb_path, "Acm"), _graph_entity(kb_path, "Acm", tmp_path / "g.json")):
        assert entity is None and "no entity has the id, name or alias 'Acm'" in output
    entity, data = await _page_entity(kb_path, "Acm")
    assert entity is None and "ambiguous" not in data and data["suggestions"]
