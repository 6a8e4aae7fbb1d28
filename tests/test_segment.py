"""Chunk joining, sentence passages with exact offsets, and duplicate marking."""

from __future__ import annotations

import pytest

from kb.segment import join_chunks, normalize_passage, split_passages


@pytest.mark.parametrize("body,expected", [
    # A word cut across chunks is re-joined (Japanese and English).
    ("台湾の鴻海はウィスコン\n\n---END---\n\nシン州で生産する。\n", "台湾の鴻海はウィスコンシン州で生産する。\n"),
    ("Foxconn will expand manufac\n---END---\nturing in Ohio.\n", "Foxconn will expand manufacturing in Ohio.\n"),
    # A finished sentence before the marker starts a new paragraph.
    ("最初の段落です。\n---END---\n次の段落です。\n", "最初の段落です。\n\n次の段落です。\n"),
    ("The deal closed in\n---END---\nOctober.\n", "The deal closed in October.\n"),
    # A chunk that restarts earlier text is a new block, not a continuation.
    ("見出しの文章がここにあります。本文はこちらで、長く続いていきます\n---END---\n見出しの文章がここにあります。本文は",
     "見出しの文章がここにあります。本文はこちらで、長く続いていきます\n\n見出しの文章がここにあります。本文は\n"),
])
def test_join_chunks(body, expected):
    text, markers = join_chunks(body)
    assert text == expected
    assert markers == body.count("---END---")


def test_passages_have_exact_offsets_and_kinds():
    text = ("# 見出し\n\nホンハイはOpenAIと提携した。同社は「本当か？」と問われた。\n"
            "Foxconn Inc. said it will invest $2 billion in Wisconsin. U.S. officials agreed!\n\n- 箇条書きの項目\n\n"
            "Chairman and CEO C.C. Wei spoke. He left.\n")
    ps = split_passages(text)
    assert all(text[p.start:p.end] == p.text for p in ps)
    assert [p.text for p in ps] == [
        "# 見出し", "ホンハイはOpenAIと提携した。", "同社は「本当か？」と問われた。",
        "Foxconn Inc. said it will invest $2 billion in Wisconsin.", "U.S. officials agreed!", "- 箇条書きの項目",
        "Chairman and CEO C.C. Wei spoke.", "He left."]
    assert [p.kind for p in ps] == ["heading", "sentence", "sentence", "sentence", "sentence", "item", "sentence",
                                    "sentence"]


def test_exact_and_reflowed_repeats_are_duplicates():
    para1 = "エヌビディアはテキサス州に新工場を建設する。総額は約50億ドルになる見込みだ。"
    para2 = "同社のフアンCEOは記者会見で計画を説明した。"
    text = f"## 米国生産\n\n{para1}\n\n{para2}\n\n別の話題の文章もここにある。\n\n{para1}\n\n## 米国生産 {para1} {para2}\n"
    ps = split_passages(text)
    unique = [p for p in ps if p.duplicate_of is None]
    assert [p.text for p in unique] == ["## 米国生産", "エヌビディアはテキサス州に新工場を建設する。", "総額は約50億ドルになる見込みだ。",
                                         "同社のフアンCEOは記者会見で計画を説明した。", "別の話題の文章もここにある。"]
    dups = [p for p in ps if p.duplicate_of is not None]
    assert dups and all(ps[p.duplicate_of].duplicate_of is None for p in dups)
    assert {p.duplicate_kind for p in dups} == {"exact", "near"}
    # Nothing is lost: every character of every passage is still addressable in the text.
    assert all(text[p.start:p.end] == p.text for p in ps)


def test_long_line_without_punctuation_is_capped():
    text = "あ" * 120_000
    ps = split_passages(text)
    assert max(len(p.text) for p in ps) <= 1000
    assert sum(len(p.text) for p in ps) == 120_000


def test_normalize_passage_ignores_spacing_and_markup():
    assert normalize_passage("**ＡＩ サーバー**を 製造") == normalize_passage("AIサーバーを製造")
