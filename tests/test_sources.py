"""Reading inputs: formats, encodings, front matter and the problems a user must be told about."""

from __future__ import annotations

import json

import pytest

from kb.errors import DecodeError, InputError, TooLargeError
from kb.sources import Article, parse_date, read_articles

JA_BODY = "エヌビディアはテキサス州でAIサーバーを製造すると発表した。\n"


def _one(path):
    items = list(read_articles(path))
    assert len(items) == 1
    return items[0]


def test_markdown_front_matter(tmp_path):
    p = tmp_path / "a.md"
    p.write_text("---\ntitle: \"テスト記事\"\ndate: 2025-11-22 02:06:38 +0900\nauthor: 編集部\n"
                 "tags: [\"AI\", \"投資\"]\nlang: ja\n---\n\n" + JA_BODY, encoding="utf-8")
    a = _one(p)
    assert isinstance(a, Article)
    assert a.title == "テスト記事"
    assert a.published == "2025-11-21T17:06:38"
    assert a.author == "編集部" and a.tags == ["AI", "投資"] and a.lang == "ja"
    assert a.text.strip() == JA_BODY.strip()
    assert a.warnings == []


@pytest.mark.parametrize("raw,expected", [
    ("2025-11-23", "2025-11-23"),
    ("2025/11/24", "2025-11-24"),
    ("2025年11月24日", "2025-11-24"),
    ("2025-11-22 02:06:38 +0000", "2025-11-22T02:06:38"),
    ("November 24, 2025", "2025-11-24"),
    ("yesterday-ish", None),
    ("2025-02-30", None),
    # front matter is read by the same timestamp reader as web pages and feeds (kb.pages.parse_timestamp)
    ("2025-11-24 10:00 JST", "2025-11-24T01:00:00"),
    ("Mon, 24 Nov 2025 10:00:00 +0900", "2025-11-24T01:00:00"),
    ("2025-11-24 (updated)", "2025-11-24"),
])
def test_parse_date(raw, expected):
    assert parse_date(raw) == expected


def test_bom_crlf_and_shift_jis(tmp_path):
    text = "---\ntitle: 熊本の工場\n---\n" + JA_BODY
    bom = tmp_path / "bom.md"
    bom.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    a = _one(bom)
    assert a.title == "熊本の工場" and "\r" not in a.text
    for enc, name in (("cp932", "sjis.md"), ("euc_jp", "euc.md")):
        p = tmp_path / name
        p.write_bytes(text.encode(enc))
        b = _one(p)
        assert b.title == "熊本の工場"
        assert b.text.strip() == JA_BODY.strip()
        assert any("not UTF-8" in w.reason for w in b.warnings)


def test_binary_and_empty_are_errors(tmp_path):
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        list(read_articles(empty))
    binary = tmp_path / "bin.md"
    binary.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(DecodeError, match="binary"):
        list(read_articles(binary))


def test_nul_bytes_are_removed_with_a_warning(tmp_path):
    p = tmp_path / "nul.md"
    p.write_bytes(("title\n\n" + JA_BODY).encode("utf-8").replace("AI".encode(), b"A\x00I"))
    a = _one(p)
    assert "\x00" not in a.text and "AI" in a.text
    assert any("NUL" in w.reason for w in a.warnings)


def test_malformed_and_unclosed_front_matter_keep_the_body(tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_text("---\ntitle: [unclosed\ndate: 2025-11-23\n---\n" + JA_BODY, encoding="utf-8")
    a = _one(bad)
    assert "malformed YAML" in a.warnings[0].reason and a.warnings[0].line
    assert a.text.strip() == JA_BODY.strip()
    unclosed = tmp_path / "unclosed.md"
    unclosed.write_text("---\ntitle: x\n" + JA_BODY, encoding="utf-8")
    b = _one(unclosed)
    assert "never closed" in b.warnings[0].reason
    assert JA_BODY.strip() in b.text


def test_non_date_is_a_warning_with_line(tmp_path):
    p = tmp_path / "d.md"
    p.write_text("---\ntitle: t\ndate: yesterday-ish\n---\n" + JA_BODY, encoding="utf-8")
    a = _one(p)
    assert a.published is None
    w = a.warnings[0]
    assert "not a date" in w.reason and w.line == 3


def test_html_drops_scripts(tmp_path):
    p = tmp_path / "a.html"
    p.write_text("<html><head><title>Racks &amp; chips</title><style>p{color:red}</style></head>"
                 "<body><script>alert(1)</script><p>Foxconn builds servers in Ohio.</p></body></html>")
    a = _one(p)
    assert a.title == "Racks & chips"
    assert "alert" not in a.text and "color" not in a.text
    assert "Foxconn builds servers in Ohio." in a.text


def test_jsonl_good_and_broken_lines(tmp_path):
    p = tmp_path / "feed.jsonl"
    lines = [json.dumps({"title": "one", "body": "Nvidia invests.", "date": "2025-11-01"}), "{broken",
             json.dumps({"title": "two", "text": "AMD invests.", "published": "2025-11-02", "tags": ["x"]}),
             json.dumps({"title": "no body"})]
    p.write_text("\n".join(lines), encoding="utf-8")
    items = list(read_articles(p))
    good = [i for i in items if isinstance(i, Article)]
    bad = [i for i in items if isinstance(i, InputError)]
    assert [a.title for a in good] == ["one", "two"]
    assert [a.source_key for a in good] == [f"{p.as_posix()}#L1", f"{p.as_posix()}#L3"]
    assert [(e.line, "JSON" in e.reason or "body" in e.reason) for e in bad] == [(2, True), (4, True)]


def test_size_limit(tmp_path):
    p = tmp_path / "big.md"
    p.write_text("x" * 2_000_000)
    with pytest.raises(TooLargeError, match="--max-file-mb"):
        list(read_articles(p, max_file_mb=1))


def test_ids_are_stable_and_change_with_content(tmp_path):
    p = tmp_path / "a.md"
    p.write_text("---\ntitle: t\n---\n" + JA_BODY, encoding="utf-8")
    first = _one(p).id
    assert _one(p).id == first
    p.write_text("---\ntitle: t\n---\n" + JA_BODY + "追記。\n", encoding="utf-8")
    assert _one(p).id != first
