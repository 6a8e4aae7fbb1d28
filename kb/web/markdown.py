"""An article's Markdown rendered to safe HTML with character ranges of its source text highlighted.

Evidence offsets point into the stored Markdown source (`articles.text`), so marks cannot be placed in the
rendered HTML by counting characters. Instead every piece of text the renderer prints (a text run, an escaped
character, an entity, inline code, a code block) is first located in the source, in document order, and the
parts of it inside a highlighted range are wrapped in <mark>. What a highlight covers in the rendered view
is therefore exactly its source characters minus Markdown syntax (`**`, `#`, link targets). A block whose
text cannot be located character for character (indented code, a NUL byte) is shown as its source text
with the marks, so a highlight is never moved or dropped silently; `Rendered.missing` lists any range that
still shows no character, and the page then offers the source view.

Raw HTML is never passed through (html=False: `<script>` is shown as text), images are not loaded (an
article must not make the browser fetch anything), and links get rel="nofollow noopener noreferrer".
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

import markupsafe
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

from kb.web.textmarks import merge_ranges

# Token types whose printed text comes from the source (`meta["src"]` holds where).
_TEXT_TOKENS = ("text", "text_special", "code_inline")


@dataclass
class Rendered:
    html: markupsafe.Markup
    marked: dict[tuple[int, int], int] = field(default_factory=dict)  # range -> characters shown marked
    source_blocks: int = 0  # blocks shown as source text because their text could not be located

    @property
    def missing(self) -> list[tuple[int, int]]:
        """Highlighted ranges with no character visible in the rendered view."""
        return [r for r, n in self.marked.items() if n == 0]


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False, "linkify": False})
    md.enable(["table", "strikethrough"])
    md.disable(["image"])
    # Keep escapes and entities as their own tokens (text_join would glue `\*` into the text as `*`, which
    # can then no longer be found in the source).
    md.core.ruler.disable("text_join")
    for name in ("text", "text_special"):
        md.add_render_rule(name, _render_text)
    md.add_render_rule("code_inline", _render_code_inline)
    md.add_render_rule("code_block", _render_code_block)
    md.add_render_rule("fence", _render_code_block)
    md.add_render_rule("link_open", _render_link_open)
    return md


def render_markdown(text: str, ranges: list[tuple[int, int]] | None = None) -> Rendered:
    """Render Markdown `text` to HTML, marking the half-open character ranges `ranges` of `text`."""
    md = _parser()
    tokens = md.parse(text)
    ranges = merge_ranges([(s, e) for s, e in (ranges or []) if 0 <= s < e])
    line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]

    def line_offset(line: int) -> int:
        return line_starts[line] if line < len(line_starts) else len(text)

    env = {"text": text, "ranges": ranges, "marked": {r: 0 for r in ranges}, "first": True}
    cursor, lo, hi, source_blocks = 0, 0, len(text), 0
    for i, tok in enumerate(tokens):
        if tok.map:
            lo, hi = line_offset(tok.map[0]), line_offset(tok.map[1])
            cursor = max(cursor, lo)
        if tok.type == "inline":
            located = _locate_inline(text, tok.children or [], cursor, hi)
            if located is None:
                source_blocks += 1
                end = hi if hi > lo else len(text)
                content = text[max(cursor, lo):end].rstrip("\n")
                fallback = tok.__class__("text", "", 0, content=content)
                fallback.meta["src"] = (max(cursor, lo), max(cursor, lo) + len(content))
                tok.children = [fallback]
                if i > 0 and tokens[i - 1].nesting == 1:
                    tokens[i - 1].attrJoin("class", "kb-source-text")
                cursor = max(cursor, lo) + len(content)
            else:
                cursor = located
        elif tok.type in ("fence", "code_block"):
            start = text.find(tok.content, cursor, hi) if tok.content else -1
            if start >= 0:
                tok.meta["src"] = (start, start + len(tok.content))
                cursor = start + len(tok.content)
            else:  # indented code: the stored source keeps the indentation the token dropped
                source_blocks += 1
                content = text[lo:hi].rstrip("\n")
                tok.content, tok.meta["src"] = content, (lo, lo + len(content))
                cursor = max(cursor, lo + len(content))
    html = md.renderer.render(tokens, md.options, env)
    return Rendered(markupsafe.Markup(html), env["marked"], source_blocks)


def _locate_inline(text: str, children: list, cursor: int, hi: int) -> int | None:
    """Set meta["src"] on the inline tokens that print text; the cursor after them, None if one is not found."""
    for tok in children:
        if tok.type in _TEXT_TOKENS:
            needle = tok.markup if tok.type == "text_special" else tok.content
            if tok.type == "text_special" and tok.info == "escape":
                needle = "\\" + tok.content
            if not needle:
                continue
            start = text.find(needle, cursor, hi)
            if start < 0:
                return None
            tok.meta["src"] = (start, start + len(needle))
            cursor = start + len(needle)
        elif tok.type in ("softbreak", "hardbreak"):
            nl = text.find("\n", cursor, hi)
            cursor = nl + 1 if nl >= 0 else cursor
        elif tok.type == "link_close":
            cursor = _skip_link_target(text, cursor, hi)
    return cursor


def _skip_link_target(text: str, cursor: int, hi: int) -> int:
    """Past `](target "title")` or `][ref]` after a link's text, so its target is not mistaken for text."""
    if text.startswith("](", cursor):
        depth, i = 0, cursor + 2
        while i < hi:
            ch = text[i]
            if ch == "\\":
                i += 2
                continue
            if ch == "(":
                depth += 1
            elif ch == ")":
                if depth == 0:
                    return i + 1
                depth -= 1
            i += 1
    elif text.startswith("][", cursor):
        end = text.find("]", cursor + 2, hi)
        return end + 1 if end >= 0 else cursor
    return cursor


def _marked_html(src: tuple[int, int] | None, shown: str, env: dict) -> str:
    """`shown` (the printed form of source characters `src`) escaped, with the highlighted part in <mark>."""
    if src is None or not env["ranges"]:
        return escapeHtml(shown)
    start, end = src
    source = env["text"][start:end]
    if source != shown:  # an escape or an entity: one printed unit, marked whole when any of it is highlighted
        hit = [r for r in env["ranges"] if r[0] < end and start < r[1]]
        for r in hit:
            env["marked"][r] += len(shown)
        return _mark(escapeHtml(shown), env) if hit else escapeHtml(shown)
    out, pos = [], start
    ranges = env["ranges"]
    k = bisect_right([r[1] for r in ranges], start)
    for r in ranges[k:]:
        s, e = max(r[0], start), min(r[1], end)
        if s >= end:
            break
        if s >= e:
            continue
        if s > pos:
            out.append(escapeHtml(env["text"][pos:s]))
        out.append(_mark(escapeHtml(env["text"][s:e]), env))
        env["marked"][r] += len(env["text"][s:e].strip())
        pos = e
    if pos < end:
        out.append(escapeHtml(env["text"][pos:end]))
    return "".join(out)


def _mark(inner: str, env: dict) -> str:
    first = ' id="hl"' if env["first"] else ""
    env["first"] = False
    return f"<mark{first}>{inner}</mark>"


def _render_text(self, tokens, idx, options, env):
    tok = tokens[idx]
    return _marked_html(tok.meta.get("src"), tok.content, env)


def _render_code_inline(self, tokens, idx, options, env):
    tok = tokens[idx]
    return "<code" + self.renderAttrs(tok) + ">" + _marked_html(tok.meta.get("src"), tok.content, env) + "</code>"


def _render_code_block(self, tokens, idx, options, env):
    tok = tokens[idx]
    lang = (tok.info or "").strip().split(" ")[0] if tok.type == "fence" else ""
    cls = f' class="language-{escapeHtml(lang)}"' if lang else ""
    return f"<pre><code{cls}>" + _marked_html(tok.meta.get("src"), tok.content, env) + "</code></pre>\n"


def _render_link_open(self, tokens, idx, options, env):
    tokens[idx].attrSet("rel", "nofollow noopener noreferrer")
    return self.renderToken(tokens, idx, options, env)
