"""Unknown names, rows and pages answer 404 from an index built once (benchmarks/bench_not_found.py times them).

What was slow: every lookup of a name (`/-/kb/graph?entity=…`, the claims export, `kb claims --entity`) read
and normalized every entity name and alias, and a miss also compared the query with every name (difflib):
seconds per request on a knowledge base of 20,000 entities. find_entity now keeps one index per database
file state, rebuilt when the file changes.
"""

from __future__ import annotations

import sqlite3
import pytest

from kb.store import open_db
from kb.store.lookup import EntityNotFound, find_entity


def _fill(db, n: int) -> None:
    with db.atomic():
        db["entities"].insert_all(({"id": f"e{i:05d}", "name": f"Entity {i}, Inc.", "type": "company",
                                    "name_ja": f"株式会社エンティティ{i}" if i % 2 else None,
                                    "aliases": f'["Alias {i}", "別名{i}"]', "mentions": 1, "articles": 1,
                                    "claims": 0} for i in range(n)), batch_size=500)
        db["entity_aliases"].insert_all(({"entity_id": f"e{i:05d}", "alias": f"Other {i}",
                                          "normalized": f"other {i}", "mentions": 1} for i in range(n)),
                                        batch_size=500)


def test_lookups_after_the_first_do_not_read_every_name(tmp_path, monkeypatch):
    import kb.store.lookup as lookup

    builds = []
    real_build = lookup._build_index
    monkeypatch.setattr(lookup, "_build_index", lambda db: builds.append(1) or real_build(db))
    db = open_db(tmp_path / "kb.db")
    _fill(db, 600)
    with pytest.raises(EntityNotFound):
        find_entity(db, "no such entity", suggest=False)  # builds the index
    assert len(builds) == 1
    for i in range(20):
        with pytest.raises(EntityNotFound):
            find_entity(db, f"still no such entity {i}", suggest=False)
        assert find_entity(db, f"alias {i * 7}")["id"] == f"e{i * 7:05d}"
        assert find_entity(db, f"エンティティ{2 * i + 1}")["id"] == f"e{2 * i + 1:05d}"  # legal form dropped
    # the names were read and normalized once, not once per lookup (benchmarks/bench_not_found.py times it)
    assert len(builds) == 1
    db.close()


def test_the_index_follows_changes_written_by_another_connection(tmp_path):
    path = tmp_path / "kb.db"
    db = open_db(path)
    _fill(db, 10)
    with pytest.raises(EntityNotFound):
        find_entity(db, "Brand New Co")
    other = sqlite3.connect(str(path))
    other.execute("INSERT INTO entities (id, name, type, aliases, mentions, articles, claims) "
                  "VALUES ('new', 'Brand New Co', 'company', '[\"新会社\"]', 1, 1, 0)")
    other.commit()
    assert find_entity(db, "brand new co")["id"] == "new"
    assert find_entity(db, "新会社")["id"] == "new"
    other.execute("UPDATE entities SET name = 'Renamed Co' WHERE id = 'new'")
    other.commit()
    other.close()
    assert find_entity(db, "Renamed Co")["id"] == "new"
    with pytest.raises(EntityNotFound):
        find_entity(db, "Brand New Co")
    db.close()


def test_a_miss_still_suggests_close_names_when_asked(tmp_path):
    db = open_db(tmp_path / "kb.db")
    _fill(db, 50)
    with pytest.raises(EntityNotFound) as exc:
        find_entity(db, "Entity 4, Inx.")
    assert exc.value.suggestions and exc.value.suggestions[0]["id"] == "e00004"
    assert "close matches" in str(exc.value)
    with pytest.raises(EntityNotFound) as quiet:
        find_entity(db, "Entity 4, Inx.", suggest=False)
    assert quiet.value.suggestions == [] and "close matches" not in str(quiet.value)
    db.close()


async def test_unknown_pages_answer_404_without_a_traceback(tmp_path, capfd):
    from kb.web.serve import make_datasette

    path = tmp_path / "kb.db"
    db = open_db(path)
    _fill(db, 3000)
    db.close()
    ds = make_datasette(path)
    await ds.invoke_startup()
    paths = ["/-/kb/claim/nope", "/-/kb/article/nope", "/kb/claims/nope", "/kb/nope", "/nope",
             "/-/kb/graph?entity=nope-nope", "/-/kb/graph.json?entity=nope-nope",
             "/-/kb/export/claims.csv?entity=nope-nope"]
    for p in paths:  # the first request of each kind compiles its template
        assert (await ds.client.get(p)).status_code == 404, p
    for p in paths:
        r = await ds.client.get(p)
        assert r.status_code == 404, p
    out, err = capfd.readouterr()
    assert "Traceback" not in out + err
