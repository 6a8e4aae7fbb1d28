"""A second opinion on each kb_ner span's type, from the name and the words around it.

The tagger's remaining company errors are mostly type confusions that its narrow view does not
settle: a hotel or a railway line tagged as a company, a sports club (その他の組織名) as a company, a
katakana company name as a person, a common noun (コーヒー) as a company. This module re-scores each
span after `kb.entities.refine` with a multinomial logistic regression over sparse features:

- the tagger's label and the refined label;
- the name: its first and last 1-3 characters, its script pattern (katakana / kanji / Latin ...),
  its length, the whole name;
- its SudachiPy tokens (split mode C): the tokens inside, the last token and its part of speech;
- the context: the two tokens before and after, their parts of speech, and the pair after
  (X|に|移籍 says sports club, X|の|社長 says company);
- the word clusters of the context tokens and of the name's last token (k-means clusters of ja_ginza's
  static word vectors, shipped with the weights), which carry 移籍 to 入団 and ホテル to 旅館;
- a few conjunctions of the refined label with the script pattern, the ending and the next token.

Only tokenizer-level attributes and the vocabulary's vectors are read, so the features are the same
whether or not the parser ran, and for docs restored from the analysis cache. After the classifier,
legal forms and event/facility endings have the last word (`kb.entities.refine.settle_ending`).

Training (`scripts/train_span_types.py`) uses cross-validated predictions: the training split is cut
into folds, a tagger is trained on all folds but one and run on that one, so the classifier learns
from the errors a tagger makes on sentences it has not seen. The L2 strength, the thresholds and the
number of clusters were chosen by cross-validation inside the training split as well; the held-out dev
split is only scored.

A span is relabelled (or dropped, class "") only when the classifier gives another class at least
`threshold` probability; otherwise the refined label stands.

The same classifier also judges names the tagger left out (`extra_candidates`): runs of proper nouns
in SudachiPy's dictionary and unknown-looking katakana or Latin words (シンビアン, BOVESPA). Such a
candidate becomes an entity only when a type reaches `extra_threshold` (None: never).
"""

from __future__ import annotations

import functools
import json
import unicodedata
from importlib.resources import files
from pathlib import Path

import numpy as np

from kb.entities.refine import settle_ending

WEIGHTS_FILE_NAME = "span_types.npz"
NONE = ""  # the class "not an entity with these boundaries"


def char_class(char: str) -> str:
    """One letter per script: K katakana, H hiragana, C kanji, L Latin, D digit, P other."""
    if "\u30a0" <= char <= "\u30ff" or "\uff66" <= char <= "\uff9f":
        return "P" if char in "・･" else "K"
    if "\u3040" <= char <= "\u309f":
        return "H"
    if "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf" or char in "々〆":
        return "C"
    if char.isascii() and char.isalpha():
        return "L"
    if char.isdigit():
        return "D"
    return "P"


def shape(name: str) -> str:
    """The name's script pattern with runs collapsed: トヨタ自動車 -> KC, WHITE FOX -> LPL."""
    out: list[str] = []
    for char in name:
        c = char_class(char)
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)[:6]


def _length_bucket(n: int) -> str:
    return "1" if n <= 1 else "2" if n == 2 else "3" if n == 3 else "4-5" if n <= 5 else "6-8" if n <= 8 else "9+"


def _pos(token) -> str:
    """The first two levels of SudachiPy's part of speech (名詞-固有名詞)."""
    return "-".join(token.tag_.split("-")[:2])


def word_cluster(token, clusters: np.ndarray | None) -> str:
    """The cluster of a token's static vector (ja_ginza's, by surface then normalized form), or "-"."""
    if clusters is None:
        return "-"
    vectors = token.vocab.vectors
    row = vectors.find(key=token.orth)
    if row < 0:
        row = vectors.find(key=token.norm)
    return str(int(clusters[row])) if 0 <= row < len(clusters) else "-"


def span_features(doc, start: int, end: int, model_label: str, label: str,
                  clusters: np.ndarray | None = None) -> list[str]:
    """Sparse binary features of the character span [start, end) of `doc` (see the module docstring).

    With `clusters` (vector row -> cluster id), the words around and the name's last word also give their
    word clusters, which generalize over words never seen in training (移籍/入団, ホテル/旅館).
    """
    text = doc.text
    name = unicodedata.normalize("NFKC", text[start:end])
    sh = shape(name)
    feats = [f"m={model_label}", f"r={label}", f"m>r={model_label}>{label}", f"sh={sh}",
             f"len={_length_bucket(len(name))}", f"w={name}", "bias"]
    for k in (1, 2, 3):
        if len(name) > k:
            feats.append(f"e{k}={name[-k:]}")
            feats.append(f"b{k}={name[:k]}")
    covering = doc.char_span(start, end, alignment_mode="expand")
    inside = list(covering) if covering is not None else []
    if inside:
        i0, i1 = inside[0].i, inside[-1].i
        if inside[0].idx != start or inside[-1].idx + len(inside[-1]) != end:
            feats.append("cuts-token")
        for t in inside:
            feats.append(f"in={t.text}")
        feats += [f"last={inside[-1].text}", f"lastp={inside[-1].tag_}", f"firstp={_pos(inside[0])}",
                  f"ntok={min(len(inside), 4)}", f"vec={int(inside[-1].has_vector)}"]
        left = [doc[j] for j in range(max(0, i0 - 2), i0)]
        right = [doc[j] for j in range(i1 + 1, min(len(doc), i1 + 3))]
    else:
        left, right = [], []
    l1 = left[-1].text if left else "<s>"
    r1 = right[0].text if right else "</s>"
    r2 = right[1].text if len(right) > 1 else "</s>"
    l2 = left[-2].text if len(left) > 1 else "<s>"
    if clusters is not None:
        for key, tokens in (("L1c", left[-1:]), ("L2c", left[-2:-1]), ("R1c", right[:1]), ("R2c", right[1:2]),
                            ("lastc", inside[-1:])):
            feats.append(f"{key}={word_cluster(tokens[0], clusters) if tokens else '<>'}")
    feats += [f"L1={l1}", f"L2={l2}", f"R1={r1}", f"R2={r2}", f"R1R2={r1}|{r2}", f"L2L1={l2}|{l1}",
              f"L1p={_pos(left[-1]) if left else '<s>'}", f"R1p={_pos(right[0]) if right else '</s>'}",
              f"r|sh={label}|{sh}", f"r|e2={label}|{name[-2:]}", f"r|R1={label}|{r1}", f"r|L1={label}|{l1}"]
    return feats


class SpanTyper:
    """The trained classifier: a feature vocabulary, a weight matrix and the decision threshold."""

    def __init__(self, vocab: list[str], weights: np.ndarray, bias: np.ndarray, labels: list[str],
                 threshold: float, extra_threshold: float | None = None, clusters: np.ndarray | None = None) -> None:
        self.index = {f: i for i, f in enumerate(vocab)}
        self.vocab = vocab
        self.weights = weights.astype(np.float32)
        self.bias = bias.astype(np.float32)
        self.labels = labels
        self.threshold = float(threshold)
        self.extra_threshold = None if extra_threshold is None else float(extra_threshold)
        self.clusters = clusters

    def probabilities(self, features: list[str]) -> np.ndarray:
        rows = [self.index[f] for f in features if f in self.index]
        logits = self.bias + (self.weights[rows].sum(axis=0) if rows else 0.0)
        logits = logits - logits.max()
        p = np.exp(logits)
        return p / p.sum()

    def decide(self, features: list[str], label: str, threshold: float | None = None) -> str:
        """The label to keep: `label` unless another class reaches the threshold ("" = drop the span)."""
        p = self.probabilities(features)
        best = int(p.argmax())
        top = self.labels[best]
        if top != label and p[best] >= (self.threshold if threshold is None else threshold):
            return top
        return label

    def save(self, path: Path, meta: dict) -> None:
        np.savez_compressed(path, vocab=np.array(self.vocab), weights=self.weights.astype(np.float16),
                            bias=self.bias, labels=np.array(self.labels),
                            threshold=np.array(self.threshold),
                            extra_threshold=np.array(-1.0 if self.extra_threshold is None else self.extra_threshold),
                            clusters=np.zeros(0, dtype=np.int16) if self.clusters is None else self.clusters,
                            meta=np.array(json.dumps(meta, ensure_ascii=False)))

    @classmethod
    def load(cls, path: Path) -> SpanTyper:
        with np.load(path, allow_pickle=False) as data:
            extra = float(data["extra_threshold"]) if "extra_threshold" in data else -1.0
            clusters = data["clusters"] if "clusters" in data and len(data["clusters"]) else None
            return cls([str(v) for v in data["vocab"]], data["weights"], data["bias"],
                       [str(v) for v in data["labels"]], float(data["threshold"]), None if extra < 0 else extra,
                       clusters)


@functools.cache
def shipped_span_typer() -> SpanTyper | None:
    """The classifier shipped next to the tagger (None if the file is absent: refine alone)."""
    path = files("kb") / "data" / "models" / "ja_business_ner" / WEIGHTS_FILE_NAME
    if not path.is_file():
        return None
    with path.open("rb") as handle:
        import io
        return SpanTyper.load(io.BytesIO(handle.read()))


EXTRA = "none"  # the tagger's label of a candidate it did not predict


def extra_candidates(doc, taken: list[bool]) -> list[tuple[int, int]]:
    """Names the tagger left out, for the classifier to judge: runs of proper nouns in SudachiPy's
    dictionary (鮎川|義介, 弘南) and unknown-looking katakana or Latin common nouns (シンビアン, BOVESPA),
    as character spans not touching `taken`."""
    found: list[tuple[int, int]] = []
    run: list = []

    def flush() -> None:
        if run:
            start, end = run[0].idx, run[-1].idx + len(run[-1])
            if not any(taken[start:end]):
                found.append((start, end))
            run.clear()

    for tok in doc:
        if tok.tag_.startswith("名詞-固有名詞"):
            run.append(tok)
            continue
        flush()
        if tok.tag_ == "名詞-普通名詞-一般" and _name_like(tok.text):
            run.append(tok)
            flush()
    flush()
    return found


def _name_like(word: str) -> bool:
    classes = {char_class(c) for c in word}
    if classes <= {"K", "P"}:
        return len(word) >= 3 and "K" in classes
    return classes <= {"L", "D", "P"} and "L" in classes and len(word) >= 2 and any(c.isupper() for c in word)


def add_extras(doc, taken: list[bool], typer: SpanTyper | None = None) -> list[tuple[int, int, str]]:
    """The extra candidates the classifier labels as entities, with their Stockmark labels."""
    typer = shipped_span_typer() if typer is None else typer
    if typer is None or typer.extra_threshold is None:
        return []
    out = []
    for start, end in extra_candidates(doc, taken):
        label = typer.decide(span_features(doc, start, end, EXTRA, EXTRA, typer.clusters), NONE,
                             typer.extra_threshold)
        if label:
            out.append((start, end, label))
    return out


def retype(doc, start: int, end: int, model_label: str, label: str, typer: SpanTyper | None = None) -> str:
    """The final Stockmark label of a refined kb_ner span ("" = drop it)."""
    typer = shipped_span_typer() if typer is None else typer
    if typer is None or not label:
        return label

    decided = typer.decide(span_features(doc, start, end, model_label, label, typer.clusters), label)
    return settle_ending(doc.text[start:end], decided)


def cluster_vectors(vectors: np.ndarray, k: int, *, iterations: int = 25, seed: int = 0) -> np.ndarray:
    """Spherical k-means (k-means++ seeding) of word vectors: the cluster id (int16) of each row."""
    x = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-8)
    rng = np.random.default_rng(seed)
    centroids = np.empty((k, x.shape[1]), dtype=x.dtype)  # k-means++ seeding: spread-out first centroids
    centroids[0] = x[rng.integers(len(x))]
    dist = np.maximum(1 - x @ centroids[0], 0)
    for c in range(1, k):
        weights = dist ** 2
        centroids[c] = x[rng.choice(len(x), p=weights / weights.sum()) if weights.sum() > 0 else rng.integers(len(x))]
        dist = np.minimum(dist, np.maximum(1 - x @ centroids[c], 0))
    assign = np.zeros(len(x), dtype=np.int64)
    for _ in range(iterations):
        assign = (x @ centroids.T).argmax(axis=1)
        for c in range(k):
            members = x[assign == c]
            if len(members):
                mean = members.sum(axis=0)
                centroids[c] = mean / max(np.linalg.norm(mean), 1e-8)
    return assign.astype(np.int16)


def fit(samples: list[list[str]], targets: list[str], labels: list[str], *, l2: float = 1e-4,
        epochs: int = 200, learn_rate: float = 0.1, min_count: int = 1) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Multinomial logistic regression with L2, full-batch Adam over binary sparse features."""
    from collections import Counter

    counts = Counter(f for feats in samples for f in set(feats))
    vocab = sorted(f for f, c in counts.items() if c >= min_count)
    index = {f: i for i, f in enumerate(vocab)}
    rows, cols = [], []
    for n, feats in enumerate(samples):
        for f in set(feats):
            if f in index:
                rows.append(n)
                cols.append(index[f])
    rows_a, cols_a = np.array(rows), np.array(cols)
    starts = np.searchsorted(rows_a, np.arange(len(samples)))
    if len(set(rows)) != len(samples):
        raise ValueError("every sample needs at least one known feature")
    n, v, c = len(samples), len(vocab), len(labels)
    y = np.zeros((n, c), dtype=np.float32)
    y[np.arange(n), [labels.index(t) for t in targets]] = 1.0
    w, b = np.zeros((v, c), dtype=np.float32), np.zeros(c, dtype=np.float32)
    order = np.argsort(cols_a, kind="stable")  # gradient rows summed per feature
    rows_by_col, col_starts = rows_a[order], np.searchsorted(cols_a[order], np.arange(v))
    m_w, s_w, m_b, s_b = np.zeros_like(w), np.zeros_like(w), np.zeros_like(b), np.zeros_like(b)
    for step in range(1, epochs + 1):
        logits = np.add.reduceat(w[cols_a], starts, axis=0) + b  # every sample has the "bias" feature
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        g = (p - y) / n
        grad_w = np.add.reduceat(g[rows_by_col], col_starts, axis=0)  # every feature occurs at least once
        grad_w += l2 * w
        grad_b = g.sum(axis=0)
        for param, grad, m, s in ((w, grad_w, m_w, s_w), (b, grad_b, m_b, s_b)):
            m *= 0.9
            m += 0.1 * grad
            s *= 0.999
            s += 0.001 * grad * grad
            param -= learn_rate * (m / (1 - 0.9 ** step)) / (np.sqrt(s / (1 - 0.999 ** step)) + 1e-8)
    return vocab, w, b
