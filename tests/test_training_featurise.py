"""Word features shared by the voice and decision featurisers."""
from __future__ import annotations

import re

import pytest

from notes_qa.training import featurise
from notes_qa.training.featurise import lexical_features, name_tags, names_occur

TEXTS = ["Mia said 12 things to Jac at 3pm.", "MIA’S mum: “no”?", "mia said O’Brien doesn't know!",
         "Jac-Mia said nothing", "Seen Mia and Jac Jones; Mia-Rose not seen", "", "٣ days, 2nd visit"]
NAMES = name_tags("Mia", ["Mimi"], ["Jac Jones"])


def _by_the_book(text: str, names: tuple, weight: float, bigrams: bool) -> dict[str, float]:
    """The word features as documented: names replaced by their tags, tokens lower-cased and
    digits folded to 0 (tags kept), unigrams and, with ``bigrams``, bigrams with sentence ends."""
    forms = sorted((re.escape(n) for n, _ in names if n), key=len, reverse=True)
    if forms:
        tags = dict(names)
        text = re.sub(r"(?<![\w-])(" + "|".join(forms) + r")(?![\w-])", lambda m: f" {tags[m.group(1)]} ", text)
    toks = [t if t in ("CHILD", "SIBLING") else "0" if t.isdigit() else t.lower()
            for t in re.findall(r"[A-Za-zÀ-ÿŵŷ]+(?:['’][a-z]+)?|\d+|[\"“”:?!]", text)]
    keys = ["w=" + t for t in toks]
    if bigrams:
        keys += [f"b={a}_{b}" for a, b in zip(["<s>"] + toks, toks + ["</s>"])]
    return dict.fromkeys(keys, weight)


def test_featurise_lexical_features_mask_names_and_fold_digits() -> None:
    got = lexical_features("Mia said 12 things to Jac.", NAMES, 0.3, bigrams=False)
    assert got == dict.fromkeys(["w=CHILD", "w=said", "w=0", "w=things", "w=to", "w=SIBLING"], 0.3)


@pytest.mark.parametrize("bigrams", [False, True])
def test_featurise_lexical_features_as_documented_with_cold_and_warm_caches(bigrams: bool) -> None:
    featurise._UNIGRAMS.clear()
    for _ in range(2):  # the second pass reads the tokens' feature names from the cache
        for text in TEXTS:
            for names in (NAMES, ()):
                assert lexical_features(text, names, 0.3, bigrams) == _by_the_book(text, names, 0.3, bigrams), text
                assert names_occur(text, names) == bool(_by_the_book(text, names, 1, False).keys()
                                                        & {"w=CHILD", "w=SIBLING"})


def test_featurise_unigram_cache_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(featurise, "_UNIGRAMS_KEPT", 5)
    featurise._UNIGRAMS.clear()
    most = max(len(re.findall(r"\S+", t)) for t in TEXTS) * 2  # tokens a text can add after a clear
    for _ in range(3):
        for text in TEXTS:
            lexical_features(text, NAMES, 0.3, bigrams=False)
            assert len(featurise._UNIGRAMS) < 5 + most
    assert lexical_features(TEXTS[0], NAMES, 0.3, False) == _by_the_book(TEXTS[0], NAMES, 0.3, False)
