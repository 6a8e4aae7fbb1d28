"""The claim pattern files and the finders agree: every key of kb/data/claim_patterns/<lang>.yaml is one
the finder reads (PATTERN_KEYS), every key the finder reads is in the file, and the finder's word lists
really come from the file (editing a list changes what is extracted).

The example sentences are written for these tests; the entity names come from test_claims' name table.
"""

from __future__ import annotations

import copy

import pytest

from kb.claims import base, en, ja, ja_stats, summarize
from kb.claims.base import checked_patterns, is_group, load_patterns, pattern_keys
from test_claims import run

FINDERS = {"en": en, "ja": ja}
# The modules reading each pattern file, each with its own PATTERN_KEYS and _Lexicon: the file's keys are
# the union of theirs, and no key is read by two modules.
READERS = {"en": (en,), "ja": (ja, ja_stats)}


def declared_keys(lang: str) -> frozenset[str]:
    return frozenset().union(*(mod.PATTERN_KEYS for mod in READERS[lang]))


class Recording(dict):
    """A pattern file that notes which keys are read ("group.list" for a group's lists)."""

    def __init__(self, data: dict, seen: set[str], prefix: str = ""):
        super().__init__({k: Recording(v, seen, f"{prefix}{k}.") if is_group(v) else v for k, v in data.items()})
        self.seen, self.prefix = seen, prefix

    def __getitem__(self, key):
        value = super().__getitem__(key)
        if not isinstance(value, Recording):
            self.seen.add(self.prefix + key)
        return value

    def items(self):  # iterating a group (ja's triggers) reads every list in it
        return [(k, self[k]) for k in self.keys()]


def _clear_lexicons():
    for mods in READERS.values():
        for mod in mods:
            mod._lexicon.cache_clear()


@pytest.fixture
def edited_patterns(monkeypatch):
    """edited_patterns(lang, edit): the finders of `lang` use a copy of its pattern file changed by edit(copy)."""
    original = base.load_patterns

    def use(lang: str, edit) -> None:
        data = copy.deepcopy(original(lang))
        edit(data)
        monkeypatch.setattr(base, "load_patterns", lambda which: data if which == lang else original(which))
        _clear_lexicons()

    yield use
    monkeypatch.undo()
    _clear_lexicons()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_file_keys_are_the_keys_the_finder_reads(lang):
    keys = pattern_keys(load_patterns(lang))
    declared = declared_keys(lang)
    assert not keys - declared, f"{lang}.yaml keys no finder reads (dead): {sorted(keys - declared)}"
    assert not declared - keys, f"keys the {lang} finder reads that {lang}.yaml lacks: {sorted(declared - keys)}"


@pytest.mark.parametrize("mod", [m for mods in READERS.values() for m in mods], ids=lambda m: m.__name__)
def test_every_declared_key_is_read(mod):
    """PATTERN_KEYS is not just a list: building the lexicon reads each of those keys, and no other."""
    lang = next(lang for lang, mods in READERS.items() if mod in mods)
    seen: set[str] = set()
    mod._Lexicon(Recording(load_patterns(lang), seen))
    assert seen == mod.PATTERN_KEYS


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_no_key_has_two_readers(lang):
    mods = READERS[lang]
    for i, a in enumerate(mods):
        for b in mods[i + 1:]:
            assert not a.PATTERN_KEYS & b.PATTERN_KEYS, (a.__name__, b.__name__, sorted(a.PATTERN_KEYS & b.PATTERN_KEYS))


def test_statistic_keys_are_refused_without_their_reader(monkeypatch):
    """ja's own keys alone do not cover ja.yaml: the stat_* keys belong to ja_stats."""
    with pytest.raises(ValueError, match="stat_metric_nouns"):
        checked_patterns("ja", ja.PATTERN_KEYS)


def test_every_japanese_trigger_type_has_a_finder():
    types = {k.split(".", 1)[1] for k in ja.PATTERN_KEYS if k.startswith("triggers.")}
    assert types == set(ja._FINDERS)


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("change", ["unknown", "missing"])
def test_a_file_with_an_unknown_or_missing_key_is_refused(lang, change, monkeypatch):
    data = copy.deepcopy(load_patterns(lang))
    if change == "unknown":
        data["triggers"]["merger"] = ["merg(?:e|es|ed)"]
    else:
        del data["role_titles"]
    monkeypatch.setattr(base, "load_patterns", lambda which: data)
    with pytest.raises(ValueError, match="merger" if change == "unknown" else "role_titles"):
        checked_patterns(lang, declared_keys(lang))


def test_pattern_keys_flattens_groups_only():
    data = {"triggers": {"a": ["x"], "b": ["y"]}, "role_titles": {"ceo": "CEO"}, "speech": ["said"]}
    assert pattern_keys(data) == {"triggers.a", "triggers.b", "role_titles", "speech"}


def summaries(text: str, lang: str) -> list[str]:
    return sorted(summarize(c) for c in run(text, lang))


# (language, edit of the pattern file, sentence, claims before the edit, claims after it)
EDITS = [
    ("en", lambda p: p["triggers"]["investment_verb"].append("bankroll(?:s|ed|ing)?"),
     "Nvidia bankrolled $5 billion of new capacity in Georgia.",
     [], ["Nvidia — investment in Georgia — $5 billion"]),
    ("en", lambda p: p["subject_verbs"]["investment_noun"].append("earmarked"),
     "Microsoft earmarked a $10 billion investment in Japan.",
     [], ["Microsoft — investment in Japan — $10 billion"]),
    ("en", lambda p: p["ownership_verb"].append("snapped up"),
     "SoftBank snapped up Ampere for $6.5 billion.",
     [], ["SoftBank Group owns Ampere Computing ($6.5 billion)"]),
    ("en", lambda p: p["denial"].append("called off"),
     "Amazon will invest $4 billion in Anthropic, but the board later called off the plan.",
     ["Amazon — investment in Anthropic — $4 billion [planned]"],
     ["NOT: Amazon — investment in Anthropic — $4 billion [planned]"]),
    ("en", lambda p: p.__setitem__("joint_venture", ["consortium"]),
     "Sony formed a joint venture with Toyota to make batteries.",
     ["Sony Semiconductor Solutions ↔ Toyota Motor: joint venture (make batteries)"],
     ["Sony Semiconductor Solutions ↔ Toyota Motor: partnership (make batteries)"]),
    ("ja", lambda p: p["triggers"]["partnership"].append("連携"),
     "ソニーはトヨタ自動車と連携すると発表した。",
     [], ["Sony Semiconductor Solutions ↔ Toyota Motor: partnership"]),
    ("ja", lambda p: p["negating_verbs"].append("延期"),
     "マイクロソフトはOpenAIへの出資を延期した。",
     ["Microsoft — investment in OpenAI"], ["NOT: Microsoft — investment in OpenAI"]),
]


@pytest.mark.parametrize("lang,edit,text,before,after", EDITS, ids=[f"{e[0]}{i}" for i, e in enumerate(EDITS)])
def test_editing_a_list_changes_what_is_found(edited_patterns, lang, edit, text, before, after):
    assert summaries(text, lang) == before
    edited_patterns(lang, edit)
    assert summaries(text, lang) == after


def test_speech_verbs_come_from_the_file(edited_patterns):
    text = "OpenAI will invest $2 billion in Texas, Sam Altman tweeted."
    assert [c.attributed_to for c in run(text, "en")] == [None]
    edited_patterns("en", lambda p: p["speech"].append("tweeted"))
    assert [c.attributed_to.id for c in run(text, "en")] == ["altman"]


def test_facility_words_come_from_the_file(edited_patterns):
    """工場 names the facility (facility_words); 生産拠点 does so only once the file says so."""
    text = "トヨタ自動車はテキサス州に新たな生産拠点を設ける。"
    assert [c.details.get("facility") for c in run(text, "ja")] == [None]
    edited_patterns("ja", lambda p: p["facility_words"].append("生産拠点"))
    assert [c.details.get("facility") for c in run(text, "ja")] == ["生産拠点"]


def test_statistic_metric_nouns_come_from_the_file(edited_patterns):
    text = "KDDIの受注額は約2兆円に達した。"
    assert [c.type for c in run(text, "ja")] == []
    edited_patterns("ja", lambda p: p["stat_metric_nouns"].append("受注額"))
    assert [(c.type, c.details.get("metric")) for c in run(text, "ja")] == [("statistic", "受注額")]
