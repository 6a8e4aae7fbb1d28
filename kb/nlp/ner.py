"""Trained models shipped with kb: a business-entity NER component added to ja_ginza.

The `kb_ner` component is a spaCy transition-based NER with its own copy of GiNZA's tok2vec,
fine-tuned on the Stockmark Wikipedia NER dataset (CC-BY-SA 3.0, see README.md). It uses the
loaded ja_ginza's tokenizer, vocab and static vectors, so only its weights are shipped. It writes
its predictions to `doc.spans["kb_ner"]`, leaving GiNZA's `doc.ents` (Money, Date, Company, ...)
untouched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from importlib.resources import as_file, files
from pathlib import Path

import numpy
import srsly
from spacy.attrs import ENT_ID, ENT_IOB, ENT_KB_ID, ENT_TYPE
from spacy.language import Language
from spacy.pipeline import EntityRecognizer
from spacy.tokens import Doc, Span
from spacy.training import Example
from thinc.api import Config, Model

from kb.contract import STOCKMARK_LABELS  # noqa: F401  (part of this module's API)

SPANS_KEY = "kb_ner"
MODEL_DIR_NAME = "ja_business_ner"
COMPONENT_DIR_NAME = "kb_ner"
MODEL_FILE_NAME = "model.f16"


_ENT_ATTRS = [ENT_IOB, ENT_TYPE, ENT_KB_ID, ENT_ID]


class BusinessEntityRecognizer(EntityRecognizer):
    """An EntityRecognizer whose predictions go to `doc.spans[spans_key]` instead of `doc.ents`.

    Entities already in `doc.ents` would constrain the transition system (a preset entity must be
    kept), so they are hidden while predicting and restored afterwards.
    """

    def __init__(self, *args, spans_key: str = SPANS_KEY, **kwargs):
        super().__init__(*args, **kwargs)
        self.spans_key = spans_key
        self._hidden_ents: dict[int, numpy.ndarray] = {}

    def predict(self, docs):
        if isinstance(docs, Doc):
            docs = [docs]
        for doc in docs:
            self._hidden_ents[id(doc)] = doc.to_array(_ENT_ATTRS)
            doc.set_ents([], default="missing")
        return super().predict(docs)

    def set_annotations(self, docs, states_or_beams):
        if isinstance(docs, Doc):
            docs = [docs]
        super().set_annotations(docs, states_or_beams)
        for doc in docs:
            doc.spans[self.spans_key] = list(doc.ents)
            hidden = self._hidden_ents.pop(id(doc), None)
            doc.set_ents([], default="missing")
            if hidden is not None:
                doc.from_array(_ENT_ATTRS, hidden)

    def score(self, examples: Iterable[Example], **kwargs) -> dict:
        """Score `doc.spans[spans_key]` against the reference `doc.ents`."""
        from spacy.scorer import get_ner_prf

        converted = []
        for eg in examples:
            predicted = eg.predicted.copy()
            predicted.set_ents(list(eg.predicted.spans.get(self.spans_key, [])), default="outside")
            converted.append(Example(predicted, eg.reference))
        return get_ner_prf(converted, **kwargs)


@Language.factory(
    "kb_business_ner",
    assigns=["doc.spans"],
    default_config={
        "moves": None,
        "update_with_oracle_cut_size": 100,
        "incorrect_spans_key": None,
        "spans_key": SPANS_KEY,
        "scorer": None,
    },
    default_score_weights={"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": None},
)
def make_business_ner(
    nlp: Language,
    name: str,
    model: Model,
    moves: object | None,
    update_with_oracle_cut_size: int,
    incorrect_spans_key: str | None,
    spans_key: str,
    scorer: Callable | None,
) -> BusinessEntityRecognizer:
    """Build the kb_ner component: spaCy's NER writing to `doc.spans[spans_key]`."""
    return BusinessEntityRecognizer(
        nlp.vocab,
        model,
        name=name,
        moves=moves,
        update_with_oracle_cut_size=update_with_oracle_cut_size,
        incorrect_spans_key=incorrect_spans_key,
        scorer=scorer,
        spans_key=spans_key,
    )


def cast_model_bytes(data: bytes, dtype: str) -> bytes:
    """Re-serialize thinc model bytes with float parameters cast to dtype.

    The shipped weights are stored as float16 to halve the package size; they are cast back to
    float32 before loading (the dev scores are computed from the float16 copy).
    """
    msg = srsly.msgpack_loads(data)
    for params in msg["params"]:
        for key, value in params.items():
            if isinstance(value, numpy.ndarray) and value.dtype.kind == "f":
                params[key] = value.astype(dtype)
    return srsly.msgpack_dumps(msg)


def weights_fingerprint(model_dir: Path | None = None) -> str:
    """A short hash of the shipped kb_ner weights and config (part of the analysis cache key)."""
    import hashlib

    if model_dir is None:
        with as_file(files("kb") / "data" / "models" / MODEL_DIR_NAME) as path:
            return weights_fingerprint(Path(path))
    digest = hashlib.sha1()
    for part in (Path(model_dir) / "config.cfg", Path(model_dir) / COMPONENT_DIR_NAME / MODEL_FILE_NAME):
        digest.update(part.read_bytes())
    return digest.hexdigest()[:12]


def _component_config(model_dir: Path) -> dict:
    """The kb_ner block of the training config, with its model architecture resolved to literals."""
    config = Config().from_disk(model_dir / "config.cfg", interpolate=False).interpolate()
    block = dict(config["components"][COMPONENT_DIR_NAME])
    block.pop("factory", None)
    block.pop("scorer", None)
    return block


def add_business_ner(
    nlp: Language, *, name: str = "kb_ner", model_dir: Path | None = None
) -> Language:
    """Add the trained business NER to a loaded ja_ginza pipeline (predictions in doc.spans)."""
    if nlp.lang != "ja" or not nlp.vocab.vectors.shape[0]:
        raise ValueError(
            "add_business_ner needs a ja_ginza pipeline with its word vectors: "
            "load it with spacy.load('ja_ginza')"
        )
    if model_dir is None:
        with as_file(files("kb") / "data" / "models" / MODEL_DIR_NAME) as path:
            return add_business_ner(nlp, name=name, model_dir=Path(path))
    model_dir = Path(model_dir)
    config = _component_config(model_dir)
    config["spans_key"] = name
    # First in the pipeline: GiNZA's parser would otherwise have set sentence starts, which the
    # transition system will not let an entity cross, and the model was trained without them.
    component = nlp.add_pipe("kb_business_ner", name=name, first=True, config=config)
    component_dir = model_dir / COMPONENT_DIR_NAME
    component.from_disk(component_dir, exclude=["vocab", "model"])
    model_bytes = cast_model_bytes((component_dir / MODEL_FILE_NAME).read_bytes(), "float32")
    component._resize()
    component.model.from_bytes(model_bytes)
    return nlp


def business_ner_spans(doc: Doc, *, name: str = SPANS_KEY) -> list[Span]:
    """The entities predicted by the kb_ner component; labels are the 8 Stockmark types."""
    return list(doc.spans.get(name, []))


def read_metrics(model_dir: Path | None = None) -> dict:
    """The evaluation numbers written next to the shipped model by scripts/train_ner.py."""
    if model_dir is None:
        return srsly.read_json(str(files("kb") / "data" / "models" / MODEL_DIR_NAME / "metrics.json"))
    return srsly.read_json(Path(model_dir) / "metrics.json")
