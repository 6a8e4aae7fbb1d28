"""Generate a benchmark corpus by varying the bundled sample articles (data/articles).

Each generated article is one sample article with its companies, US states, amounts and date
swapped consistently (the same company is renamed the same way everywhere in that article, in
both scripts), so the corpus repeats the samples' structure and quirks (front matter, `---END---`
chunks, repeated sections) with varied facts. A share of the articles are verbatim re-posts of an
earlier generated article under another URL, as syndicated news is. Deterministic for a seed.

    python benchmarks/gen_corpus.py OUT_DIR --articles 1000 [--seed 0]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
from pathlib import Path

# Real AI-infrastructure companies as (Japanese, English) names. Names that are substrings of
# common words (メタ in メタデータ, シスコ in サンフランシスコ, デル in モデル, Arm in Army) are left out,
# as are the companies the samples' stories are about (OpenAI, SoftBank, Foxconn, TSMC, AMD):
# those keep all their spellings.
COMPANIES: list[tuple[str, str]] = [
    ("エヌビディア", "Nvidia"),
    ("インテル", "Intel"),
    ("ブロードコム", "Broadcom"),
    ("オラクル", "Oracle"),
    ("マイクロソフト", "Microsoft"),
    ("コアウィーブ", "CoreWeave"),
    ("ネビウス", "Nebius"),
    ("マイクロン", "Micron"),
    ("サムスン", "Samsung"),
    ("SKハイニックス", "SK hynix"),
    ("キオクシア", "Kioxia"),
    ("クアルコム", "Qualcomm"),
    ("スーパーマイクロ", "Supermicro"),
    ("グーグル", "Google"),
    ("アマゾン", "Amazon"),
    ("エクイニクス", "Equinix"),
]
# Other spellings found in the samples, mapped to the name they stand for.
COMPANY_ALIASES = {"NVIDIA": "Nvidia"}

US_STATES: list[tuple[str, str]] = [
    ("テキサス州", "Texas"), ("オハイオ州", "Ohio"), ("ウィスコンシン州", "Wisconsin"),
    ("バージニア州", "Virginia"), ("インディアナ州", "Indiana"), ("アリゾナ州", "Arizona"),
    ("ニューヨーク州", "New York"), ("アイダホ州", "Idaho"), ("ミシガン州", "Michigan"),
    ("ニューメキシコ州", "New Mexico"), ("ジョージア州", "Georgia"), ("オレゴン州", "Oregon"),
    ("ルイジアナ州", "Louisiana"), ("ペンシルベニア州", "Pennsylvania"), ("ノースカロライナ州", "North Carolina"),
]

AMOUNT_FACTORS = (0.5, 0.8, 1.2, 1.5, 2, 3)
# A number directly followed by a money unit; numbers inside compounds (1兆4000億) are left alone.
AMOUNT_RE = re.compile(r"(?<![\d.,兆億万])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?=\s?(?:億ドル|億円|兆ドル|兆円|billion|trillion|B\b))")
DATE_RE = re.compile(r"^(date:\s*\"?)(\d{4})([-/])(\d{2})\3(\d{2})", re.M)
URL_RE = re.compile(r"^(url:\s*\"?)([^\"\n]+?)(\"?)$", re.M)
REPOST_RATE = 0.1


def generate_corpus(out_dir: str | Path, n_articles: int, *, seed: int = 0,
                    source_dir: str | Path = "data/articles", repost_rate: float = REPOST_RATE) -> list[Path]:
    """Write n_articles varied copies of the sample articles to out_dir; return their paths."""
    sources = sample_articles(source_dir)
    if not sources:
        raise ValueError(f"no sample articles (*.md other than README.md) in {source_dir}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    written: list[tuple[Path, str]] = []
    for i in range(n_articles):
        if written and rng.random() < repost_rate:
            _, text = written[rng.randrange(len(written))]
            text = _with_url_suffix(text, f"repost-{i:06d}")
            stem = f"repost-{i:06d}"
        else:
            src = sources[i % len(sources)] if i < len(sources) else rng.choice(sources)
            text = vary_article(src.read_text(encoding="utf-8"), rng, index=i)
            stem = f"{src.stem[11:]}-{i:06d}"
        path = out / f"{_date_of(text)}-{stem}.md"
        path.write_text(text, encoding="utf-8")
        written.append((path, text))
    return [p for p, _ in written]


def sample_articles(source_dir: str | Path) -> list[Path]:
    """The sample article files (sorted), without the README."""
    return sorted(p for p in Path(source_dir).glob("*.md") if p.name.lower() != "readme.md")


def vary_article(text: str, rng: random.Random, *, index: int) -> str:
    """One variant of an article: swapped companies and states, scaled amounts, shifted date, new URL."""
    text = _swap(text, COMPANIES, rng, aliases=COMPANY_ALIASES)
    text = _swap(text, US_STATES, rng)
    factor = rng.choice(AMOUNT_FACTORS)
    text = AMOUNT_RE.sub(lambda m: _scale(m.group(1), factor), text)
    days = rng.randrange(0, 365)
    text = DATE_RE.sub(lambda m: _shift_date(m, days), text, count=1)
    return _with_url_suffix(text, f"v{index:06d}")


def _swap(text: str, pool: list[tuple[str, str]], rng: random.Random, *, aliases: dict[str, str] | None = None) -> str:
    """Rename every pool member in text by one random permutation of the pool, in one pass."""
    targets = pool[:]
    rng.shuffle(targets)
    mapping: dict[str, str] = {}
    for (ja, en), (ja2, en2) in zip(pool, targets):
        mapping[ja] = ja2
        mapping[en] = en2
    for alias, name in (aliases or {}).items():
        mapping[alias] = mapping[name]
    # Latin names need word boundaries (Intel in Intelligence); kana/kanji names cannot have them.
    alternatives = sorted(mapping, key=len, reverse=True)
    pattern = "|".join(rf"\b{re.escape(a)}\b" if a.isascii() else re.escape(a) for a in alternatives)
    return re.sub(pattern, lambda m: mapping[m.group(0)], text)


def _scale(number: str, factor: float) -> str:
    value = float(number.replace(",", "")) * factor
    if "." in number:
        return f"{value:.1f}"
    value = max(1, round(value))
    return f"{value:,}" if "," in number else str(value)


def _shift_date(m: re.Match, days: int) -> str:
    prefix, y, sep, mo, d = m.groups()
    new = dt.date(int(y), int(mo), int(d)) + dt.timedelta(days=days)
    return f"{prefix}{new.year:04d}{sep}{new.month:02d}{sep}{new.day:02d}"


def _with_url_suffix(text: str, suffix: str) -> str:
    if URL_RE.search(text):
        return URL_RE.sub(lambda m: f"{m.group(1)}{m.group(2).rstrip('/')}-{suffix}{m.group(3)}", text, count=1)
    return text


def _date_of(text: str) -> str:
    m = DATE_RE.search(text)
    return f"{m.group(2)}-{m.group(4)}-{m.group(5)}" if m else "undated"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir")
    parser.add_argument("--articles", type=int, default=100, help="number of articles to write (default 100)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--source-dir", default="data/articles")
    args = parser.parse_args()
    paths = generate_corpus(args.out_dir, args.articles, seed=args.seed, source_dir=args.source_dir)
    print(f"wrote {len(paths)} articles to {args.out_dir}")


if __name__ == "__main__":
    main()
