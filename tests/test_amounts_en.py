"""English amount forms added for news about compute deals (kb.amounts): number words before a scale or a
unit, a count named after "of X's", hyphenated power units and share counts. Sentences written for this test."""

import pytest

from kb.amounts import find_amounts


def one(text: str):
    found = find_amounts(text)
    assert len(found) == 1, found
    a = found[0]
    return a.text, a.min, a.max, a.unit, a.currency, a.bound


@pytest.mark.parametrize(("text", "expected"), [
    ("Kestrel agreed to use up to one million of Orvane's TPUs.",
     ("up to one million of Orvane's TPUs", None, 1e6, "count", None, "upper")),
    ("It will rent 2 million of its chips to the lab.", ("2 million of its chips", 2e6, 2e6, "count", None, None)),
    ("One million GPUs are on order.", ("One million GPUs", 1e6, 1e6, "count", None, None)),
    ("The site will draw two gigawatts.", ("two gigawatts", 2e9, 2e9, "power", None, None)),
    ("a 1-gigawatt campus", ("1-gigawatt", 1e9, 1e9, "power", None, None)),
    ("a 500-megawatt first phase", ("500-megawatt", 5e8, 5e8, "power", None, None)),
    ("ten billion dollars", ("ten billion dollars", 1e10, 1e10, "money", "USD", None)),
    ("five percent of its revenue", ("five percent", 5, 5, "percent", None, None)),
    ("a warrant for up to 160 million shares", ("up to 160 million shares", None, 1.6e8, "count", None, "upper")),
    # already handled before: kept working
    ("revenue of $2.05 billion to $2.15 billion", ("$2.05 billion to $2.15 billion", 2.05e9, 2.15e9, "money", "USD",
                                                   None)),
    ("closed at $41.20", ("$41.20", 41.2, 41.2, "money", "USD", None)),
    ("more than $240 billion", ("more than $240 billion", 2.4e11, None, "money", "USD", "lower")),
])
def test_english_forms(text, expected):
    assert one(text) == expected


@pytest.mark.parametrize("text", [
    "The two companies signed a deal.",          # a number word without a scale or a unit
    "It is one of the plants in Ohio.",
    "Someone said so.",
    "Three of the plants closed.",               # "N of the plants" needs a scale word
    "a one-time charge",
    "twenty-two engineers",
])
def test_number_words_alone_are_not_amounts(text):
    assert find_amounts(text) == []
