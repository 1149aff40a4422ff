"""The tokenizer speed-up leaves every token as spaCy's English tokenizer makes it."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import spacy
from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LIKE_NUM, LOWER, NORM, ORTH, PREFIX, SHAPE, SPACY, SUFFIX
from spacy.tokenizer import Tokenizer

from notes_qa.pipeline import build_pipeline
from notes_qa.readers import read_document
from notes_qa.tokenization import inert_whitespace_specials, speed_up_tokenizer

ROOT = Path(__file__).resolve().parents[1]
ATTRS = [ORTH, NORM, LOWER, SHAPE, PREFIX, SUFFIX, SPACY, IS_SPACE, IS_PUNCT, LIKE_NUM, IDX]

TEXTS = [
    "",
    " ",
    "\n",
    "  \n\t \r\n",
    "Visit 12/03/2024.\nSeen Mia (7) at home.  Mum's partner wasn't there.\n\nPlan:\n\t- SW to visit",
    " leading space and trailing space ",
    "Mr. Jones said: \"I don't know\" :) at 3 p.m.\u00a0NBSP\u2003em space\u00a0\u00a0twice",
    "e-mail https://example.org/a?b=1 and C&S, s.47 / ICPC; 1,250.50 GBP -- ok...",
    "tab\tsplit\t\tdouble tab\n \n \nspaced lines\r\rcarriage",
    "Siân’s taid — said ‘no’; YP (J) can’t! Lily-Mae's   three   spaces",
]


def _tokens(nlp, text: str) -> tuple[np.ndarray, list[str]]:
    doc = nlp.make_doc(text)
    return doc.to_array(ATTRS), [t.text_with_ws for t in doc]


@pytest.fixture(scope="module")
def pair():
    plain = spacy.blank("en")
    fast = spacy.blank("en")
    speed_up_tokenizer(fast)
    return plain, fast


def test_tokenization_drops_only_self_mapping_whitespace_rules() -> None:
    nlp = spacy.blank("en")
    before = dict(nlp.tokenizer.rules)
    dropped = speed_up_tokenizer(nlp)
    assert sorted(dropped) == ["\t", "\n", " "]
    after = nlp.tokenizer.rules
    assert set(before) - set(after) == set(dropped)
    assert "\u00a0" in after  # it sets a NORM, so it is not inert
    assert inert_whitespace_specials(nlp.tokenizer) == []
    assert speed_up_tokenizer(nlp) == []  # a second call changes nothing


def test_tokenization_keeps_a_rule_an_affix_would_split() -> None:
    nlp = spacy.blank("en")
    tok = Tokenizer(nlp.vocab, rules={"\n": [{ORTH: "\n"}], " ": [{ORTH: " "}]},
                    suffix_search=re.compile(r"\n$").search)
    assert inert_whitespace_specials(tok) == [" "]


@pytest.mark.parametrize("text", TEXTS)
def test_tokenization_tokens_unchanged(pair, text: str) -> None:
    plain, fast = pair
    a, wa = _tokens(plain, text)
    b, wb = _tokens(fast, text)
    assert wa == wb
    assert np.array_equal(a, b)
    # the second time through (from the cache) too
    b2, wb2 = _tokens(fast, text)
    assert wb2 == wa and np.array_equal(b2, a)


def test_tokenization_tokens_unchanged_on_sample_corpus(pair) -> None:
    plain, fast = pair
    docs = sorted((ROOT / "corpora" / "sample" / "docs").rglob("*.txt"))
    assert docs
    for path in docs:
        text = read_document(path)
        for chunk in (text, *text.split("\n\n")):
            a, wa = _tokens(plain, chunk)
            b, wb = _tokens(fast, chunk)
            assert wa == wb and np.array_equal(a, b), path.name


def test_tokenization_in_default_pipeline() -> None:
    nlp = build_pipeline(["notes_qa_sentences"])
    assert inert_whitespace_specials(nlp.tokenizer) == []
    assert "\n" not in nlp.tokenizer.rules and "\u00a0" in nlp.tokenizer.rules
