"""Ingest integrity: hostile front matter, odd file names, files that change while read, paths that cannot be read."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from kb.errors import DecodeError, InputError
from kb.sources import load_front_matter, path_text, read_articles, read_stable, source_key_for, walk_inputs

BODY = "北浜電機はオハイオ州に新工場を建設する。\n"


def _one(path):
    items = list(read_articles(path))
    assert len(items) == 1
    return items[0]


# --- front matter ---------------------------------------------------------------------------------

BOMB = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))


def test_alias_bomb_is_refused_with_a_warning(tmp_path):
    p = tmp_path / "bomb.md"
    p.write_text("---\ntitle: 爆弾\n" + BOMB + "tags: *i\n---\n" + BODY, encoding="utf-8")
    a = _one(p)
    assert a.text == BODY
    assert any("aliases" in w.reason for w in a.warnings)
    assert a.tags == []


def test_alias_bomb_ingest_stays_within_a_memory_cap(tmp_path):
    """A real 'billion laughs' file, ingested under a 1.5 GB address-space limit, finishes with the body kept."""
    p = tmp_path / "bomb.md"
    p.write_text("---\n" + BOMB + "title: *i\ntags: *i\n---\n" + BODY, encoding="utf-8")
    script = ("import resource, sys\n"
              "resource.setrlimit(resource.RLIMIT_AS, (1500 * 2**20, 1500 * 2**20))\n"
              "from kb.sources import read_articles\n"
              "a = list(read_articles(sys.argv[1]))[0]\n"
              "print(len(a.text), len(a.tags), [w.reason for w in a.warnings])\n")
    out = subprocess.run([sys.executable, "-c", script, str(p)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(f"{len(BODY)} 0 ") and "aliases" in out.stdout


@pytest.mark.parametrize("value,tag", [("!!binary aGVsbG8=", "!!binary"), ("!!set {a, b}", "!!set"),
                                       ("!!python/object:os.system ls", "!!python/object:os.system")])
def test_tagged_values_are_refused_with_a_warning(tmp_path, value, tag):
    p = tmp_path / "t.md"
    p.write_text(f"---\ntitle: 普通の題\ntags: {value}\nauthor: 記者\n---\n" + BODY, encoding="utf-8")
    a = _one(p)
    assert a.title == "普通の題" and a.author == "記者"  # the other keys are kept
    assert a.tags == []
    assert [w.reason for w in a.warnings] == [f"front matter key 'tags' has the YAML tag {tag}; ignored"]


def test_values_are_coerced_to_the_expected_types(tmp_path):
    p = tmp_path / "t.md"
    p.write_text("---\ntitle: [not, a, title]\nauthor: {name: x}\ntags: [AI, 2025-01-02, [nested], {k: v}]\n"
                 "url: 42\n---\n" + BODY, encoding="utf-8")
    a = _one(p)
    assert a.title == BODY.strip()  # no usable title: the first line of the body
    assert a.author is None
    assert a.tags == ["AI", "2025-01-02"]
    assert a.url == "42"


def test_huge_front_matter_is_ignored_with_a_warning(tmp_path):
    p = tmp_path / "t.md"
    p.write_text("---\n" + "".join(f"k{i}: {'x' * 60}\n" for i in range(2000)) + "---\n" + BODY, encoding="utf-8")
    a = _one(p)
    assert a.text == BODY and a.front_matter == {}
    assert any("over 64 KB" in w.reason for w in a.warnings)


def test_load_front_matter_plain_values():
    meta, warnings = load_front_matter("title: x\ndate: 2025-01-02\ntags: [a, b]\n")
    assert meta["title"] == "x" and meta["tags"] == ["a", "b"] and str(meta["date"]) == "2025-01-02"
    assert warnings == []


# --- names and identity ---------------------------------------------------------------------------

def test_a_non_utf8_file_name_is_shown_losslessly(tmp_path):
    raw = os.fsencode(tmp_path) + b"/caf\xe9.md"
    with open(raw, "wb") as f:
        f.write(("---\ntitle: x\n---\n" + BODY).encode())
    path = Path(os.fsdecode(raw))
    a = _one(path)
    assert a.source_path.endswith("caf\\xe9.md")
    a.source_path.encode("utf-8")  # storable as text
    assert a.source_key.endswith("caf\\xe9.md")
    assert path_text(path) == a.source_path


def test_source_key_is_the_same_however_the_path_is_typed(tmp_path, monkeypatch):
    d = tmp_path / "corpus"
    d.mkdir()
    f = d / "a.md"
    f.write_text(BODY, encoding="utf-8")
    (tmp_path / "link").symlink_to(d)
    monkeypatch.chdir(tmp_path)
    spellings = ["corpus/a.md", str(f), "corpus/../corpus/a.md", "link/a.md", "./corpus//a.md"]
    assert len({source_key_for(s) for s in spellings}) == 1
    assert len({_one(s).id for s in spellings}) == 1


# --- stable reads -----------------------------------------------------------------------------------

def test_truncated_utf8_is_reported_as_truncated(tmp_path):
    p = tmp_path / "t.md"
    p.write_bytes(("---\ntitle: x\n---\n" + BODY).encode("utf-8")[:-2])  # cut inside 。
    with pytest.raises(DecodeError, match="truncated, or still being written"):
        list(read_articles(p))


WRITER = """
import sys, time
path, a, b = sys.argv[1], open(sys.argv[2], "rb").read(), open(sys.argv[3], "rb").read()
i = 0
while True:
    data = (a, b)[i % 2]
    with open(path, "wb") as f:
        for k in range(0, len(data), 4093):  # pieces that cut multi-byte characters
            f.write(data[k:k + 4093])
            f.flush()
            time.sleep(0.001)
    i += 1
"""


def test_a_file_rewritten_while_read_is_never_stored_half_written(tmp_path):
    """Another process keeps rewriting the file (truncate, then write in pieces, as editors and sync tools do);
    every read gives the whole article or says the file changed, never a truncated article or a decoding error."""
    p = tmp_path / "live.md"
    bodies = [f"第{i}版。" + BODY * 1500 for i in range(2)]
    versions = []
    for i, body in enumerate(bodies):
        v = tmp_path / f"v{i}"
        v.write_bytes(("---\ntitle: v%d\n---\n" % i + body).encode("utf-8"))
        versions.append(v)
    p.write_bytes(versions[0].read_bytes())
    start = p.stat().st_mtime_ns
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(p), str(versions[0]), str(versions[1])])
    outcomes = []
    try:
        while p.stat().st_mtime_ns == start:  # the writer is running
            time.sleep(0.005)
        for _ in range(10):
            time.sleep(0.013)
            try:
                outcomes.extend(read_articles(p))
            except InputError as exc:
                outcomes.append(exc)
    finally:
        writer.kill()
        writer.wait()
    for o in outcomes:
        if isinstance(o, InputError):
            assert o.reason in ("the file changed while it was being read; skipped", "file is empty"), o.reason
        else:
            assert o.text in bodies
    p.write_bytes(versions[1].read_bytes())
    assert [a.text for a in read_articles(p)] == [bodies[1]]  # once nobody writes, it reads whole


# --- paths that cannot be read --------------------------------------------------------------------

@contextlib.contextmanager
def unprivileged():
    """Run the block with the permissions of `nobody` when the tests run as root (root ignores modes)."""
    if os.geteuid() != 0:
        yield
        return
    os.setegid(65534)
    os.seteuid(65534)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


@pytest.fixture
def open_dir():
    """A folder every user can traverse (pytest's tmp_path is private to root)."""
    d = Path(tempfile.mkdtemp(prefix="kb-perm-"))
    d.chmod(0o777)
    yield d
    for root, dirs, files in os.walk(d):
        for name in dirs:
            os.chmod(os.path.join(root, name), 0o755)
    subprocess.run(["rm", "-rf", str(d)], check=False)


def test_an_unreadable_folder_is_reported_and_the_rest_is_read(open_dir):
    (open_dir / "ok.md").write_text(BODY, encoding="utf-8")
    locked = open_dir / "locked"
    locked.mkdir()
    (locked / "hidden.md").write_text(BODY, encoding="utf-8")
    locked.chmod(0o000)
    with unprivileged():
        found = list(walk_inputs([open_dir]))
    files = [f.path.name for f in found if f.error is None]
    errors = [(f.shown, f.error.reason) for f in found if f.error is not None]
    assert files == ["ok.md"]
    assert errors == [(str(locked), "cannot read folder: Permission denied; its files were skipped")]


def test_loops_dangling_links_and_fifos_are_reported(tmp_path):
    (tmp_path / "a.md").write_text(BODY, encoding="utf-8")
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    (tmp_path / "dangling.md").symlink_to(tmp_path / "missing.md")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "up").symlink_to(tmp_path)
    os.mkfifo(tmp_path / "pipe.md")
    found = {f.path.name: f for f in walk_inputs([tmp_path])}
    assert found["a.md"].error is None and found["a.md"].supported
    assert found["loop"].error.reason == "symlink loop; skipped"
    assert found["dangling.md"].error.reason == "dangling symlink: its target does not exist; skipped"
    assert found["pipe.md"].error.reason == "a FIFO (named pipe), not a file; skipped"
    assert found["up"].error.reason.startswith("symlink loop: this folder contains a link back to itself")
    # given explicitly, each is one error for that argument, not an exception for the batch
    explicit = list(walk_inputs([tmp_path / "loop", tmp_path / "dangling.md", tmp_path / "pipe.md",
                                 tmp_path / "nope.md", tmp_path / "a.md"]))
    assert [f.error.reason if f.error else "ok" for f in explicit] == [
        "symlink loop; skipped", "dangling symlink: its target does not exist; skipped",
        "a FIFO (named pipe), not a file; skipped", "no such file or folder", "ok"]


# --- whole ingests ----------------------------------------------------------------------------------

def _ingest(db_path, paths):
    from kb.pipeline.ingest import ingest_paths
    from kb.store import open_db

    db = open_db(db_path)
    try:
        return ingest_paths(db, [str(p) for p in paths]), {t: db[t].count for t in ("articles", "claim_evidence")}, \
            [r["sources"] for r in db.query("select sources from claims order by id")]
    finally:
        db.close()


def test_one_article_per_file_however_the_path_is_typed(tmp_path, monkeypatch):
    corpus = tmp_path / "x" / "corpus"
    corpus.mkdir(parents=True)
    for i, company in enumerate(["北浜電機", "東邦電材"]):
        (corpus / f"a{i}.md").write_text(f"---\ntitle: t{i}\n---\n{company}はオハイオ州に工場を建設する。\n",
                                         encoding="utf-8")
    monkeypatch.chdir(tmp_path / "x")
    db_path = tmp_path / "kb.db"
    first, counts, sources = _ingest(db_path, ["corpus"])
    assert first.new == 2 and counts["articles"] == 2
    for spelling in [corpus, Path("../x/corpus"), Path("corpus/../corpus")]:
        again, counts2, sources2 = _ingest(db_path, [spelling])
        assert again.new == 0 and again.unchanged == 2
        assert counts2 == counts and sources2 == sources


def test_a_non_utf8_file_name_is_ingested_and_reported_as_text(tmp_path):
    raw = os.fsencode(tmp_path) + b"/caf\xe9.md"
    with open(raw, "wb") as f:
        f.write(("---\ntitle: x\n---\n" + BODY).encode())
    with open(os.fsencode(tmp_path) + b"/bad\xff.md", "wb") as f:
        f.write(b"\x00\x01\x02" * 100)  # binary: an error row under a name that is not UTF-8
    summary, counts, _ = _ingest(tmp_path / "kb.db", [tmp_path])
    assert summary.new == 1 and counts["articles"] == 1
    assert [p["path"].rsplit("/", 1)[1] for p in summary.errors] == ["bad\\xff.md"]
    again, _, _ = _ingest(tmp_path / "kb.db", [tmp_path])
    assert again.unchanged == 1 and again.new == 0


def test_bad_explicit_arguments_are_error_rows_and_the_rest_is_ingested(tmp_path):
    good = tmp_path / "good.md"
    good.write_text(BODY, encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.md")
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    summary, counts, _ = _ingest(tmp_path / "kb.db", [tmp_path / "nope.md", tmp_path / "pipe.md",
                                                      tmp_path / "loop", good])
    assert counts["articles"] == 1
    assert sorted(p["reason"] for p in summary.errors) == [
        "a FIFO (named pipe), not a file; skipped", "no such file or folder", "symlink loop; skipped"]


def test_articles_stored_under_typed_paths_are_merged_into_one_per_file(tmp_path, monkeypatch):
    """A knowledge base written when the key was the path as typed: the same files under three spellings
    are three copies; the next ingest keeps one article per file and the claims count it once."""
    import kb.sources

    corpus = tmp_path / "x" / "corpus"
    corpus.mkdir(parents=True)
    for i, company in enumerate(["北浜電機", "東邦電材"]):
        (corpus / f"a{i}.md").write_text(f"---\ntitle: t{i}\n---\n{company}はオハイオ州に工場を建設する。\n",
                                         encoding="utf-8")
    monkeypatch.chdir(tmp_path / "x")
    db_path = tmp_path / "kb.db"
    _, clean_counts, clean_sources = _ingest(tmp_path / "clean.db", ["corpus"])
    with monkeypatch.context() as m:
        m.setattr(kb.sources, "source_key_for", lambda path: kb.sources.path_text(path))  # the old behaviour
        for spelling in ["corpus", str(corpus), "../x/corpus"]:
            _ingest(db_path, [spelling])
    from kb.store import open_db
    db = open_db(db_path)
    assert db["articles"].count == 6
    assert [r["sources"] for r in db.query("select sources from claims order by id")] == [3 * n for n in clean_sources]
    db.close()
    _, merged, sources = _ingest(db_path, [])
    assert merged["articles"] == 2 and sources == clean_sources  # merged before anything is read
    summary, counts, sources = _ingest(db_path, ["corpus"])
    assert summary.new == 0 and summary.unchanged == 2
    assert counts == clean_counts and sources == clean_sources


def test_a_chinese_article_is_stored_but_not_analysed(tmp_path):
    zh = tmp_path / "zh.md"
    zh.write_text("---\ntitle: 新聞\n---\n東邦電材宣布在德州興建新工廠，投資金額已經很明顯超過十億美元。\n", encoding="utf-8")
    ja = tmp_path / "ja.md"
    ja.write_text("---\ntitle: 記事\n---\n" + BODY, encoding="utf-8")
    summary, counts, _ = _ingest(tmp_path / "kb.db", [zh, ja])
    assert summary.new == 2 and summary.not_analysed == 1 and counts["articles"] == 2
    warnings = [p for p in summary.problems if p["stage"] == "extract"]
    assert [w["path"].rsplit("/", 1)[1] for w in warnings] == ["zh.md"]
    assert warnings[0]["reason"].startswith("language not analysed: Chinese (zh)")
    from kb.store import open_db
    db = open_db(tmp_path / "kb.db")
    zh_id = next(r["id"] for r in db.query("select id from articles where lang = 'zh'"))
    assert db.execute("select count(*) from mentions where article_id = ?", [zh_id]).fetchone()[0] == 0
    assert db.execute("select count(*) from passages where article_id = ?", [zh_id]).fetchone()[0] > 0
    assert db.execute("select count(*) from ingest_errors where reason like 'language not analysed%'").fetchone()[0] == 1
    db.close()
