"""Decision and rationale component on hand-built Docs."""
from __future__ import annotations

import pytest
import spacy

import notes_qa.decisions.component  # noqa: F401
from notes_qa.decisions.cues import DecisionRules
from notes_qa.errors import ConfigError
from notes_qa.spacy_ext import get_attrs


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("notes_qa_decisions")
    nlp.initialize()
    return nlp


@pytest.mark.parametrize("text", [
    "It was agreed the case will step down to early help.",
    "NFA.",
    "Strategy: s47 to be initiated.",
    "ICPC to be convened.",
    "Case to close.",
    "Threshold met for CP.",
])
def test_decisions_found(nlp, text):
    doc = nlp(text)
    assert len(doc.spans["decision"]) == 1
    assert 0.5 <= get_attrs(doc.spans["decision"][0])["score"] <= 1.0


@pytest.mark.parametrize("text", [
    "Phoned the family centre to book contact for Tuesday.",
    "The house was cold because the meter had run out.",
    "Mia told me she wants to stay with her nain.",
    "Police to check PNC for any new partners.",
])
def test_decisions_not_found(nlp, text):
    doc = nlp(text)
    assert len(doc.spans["decision"]) == 0
    assert len(doc.spans["rationale"]) == 0


@pytest.mark.parametrize("text,reason", [
    ("Case to close as there are no further concerns.", "as there are no further concerns."),
    ("Threshold met for CP due to cumulative neglect.", "due to cumulative neglect."),
    ("Because Kian keeps missing school, it was agreed that Dad will take him in.",
     "Because Kian keeps missing school"),
])
def test_decisions_rationale_in_same_sentence(nlp, text, reason):
    doc = nlp(text)
    (dec,), (rat,) = doc.spans["decision"], doc.spans["rationale"]
    assert get_attrs(dec)["has_rationale"] is True
    assert rat.text == reason
    assert get_attrs(rat)["decision"] == 0


def test_decisions_rationale_in_adjacent_sentence(nlp):
    doc = nlp("Home visit completed. NFA. This is because there are no further concerns. Mum was told.")
    (dec,), (rat,) = doc.spans["decision"], doc.spans["rationale"]
    assert dec.text == "NFA."
    assert get_attrs(dec)["has_rationale"] is True
    assert get_attrs(rat)["decision"] == 0


def test_decisions_without_rationale(nlp):
    doc = nlp("Case to be closed. Mum was informed by phone.")
    (dec,) = doc.spans["decision"]
    assert get_attrs(dec)["has_rationale"] is False
    assert len(doc.spans["rationale"]) == 0


def test_decisions_orphan_rationale_links_to_none(nlp):
    doc = nlp("This is because the risks from Mum's drinking have reduced.")
    (rat,) = doc.spans["rationale"]
    assert get_attrs(rat)["decision"] is None


def test_decisions_rules_reject_unknown_keys():
    data = DecisionRules.load("default").to_dict()
    data["decision_verb"] = []
    with pytest.raises(ConfigError):
        DecisionRules.from_dict(data)


def test_decisions_rules_only_mode_builds_no_features(monkeypatch: pytest.MonkeyPatch) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    dec = nlp.add_pipe("notes_qa_decisions", config={"decision_model": None, "rationale_model": None})
    nlp.initialize()

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("features built for a component without a model")

    monkeypatch.setattr(dec.featuriser, "features", refuse)
    doc = nlp("It was agreed the case will close because there are no further concerns.")
    spans = doc.spans["decision"]
    assert len(spans) == 1 and get_attrs(spans[0])["has_rationale"] is True


def test_decisions_outcome_alone_pattern_says_what_the_plain_alternation_says() -> None:
    import random
    import re

    from notes_qa.decisions.cues import _OUTCOME_ONLY

    verbs = ("close|closed|remain|continue|convene|convened|initiated|progress|proceed|completed|arranged|held|"
             "reduce|increase|move|end|stay|step|transfer|allocated|accommodated|placed|removed|subject|"
             "undertaken|offered")
    plain = re.compile(rf"(?:^\W*(?:nfa|no further action)\b|\b(?:to|will|shall)\s+(?:be\s+)?(?:{verbs})\b|"
                       r"\bthreshold\b[^.]{0,40}\bmet\b|\b(?:placed|removed|remain|remains)\s+(?:on|from)\s+"
                       r"(?:the\s+)?(?:cp|child protection)\b|"
                       r"\b(?:closed|screened out|stepped down|allocated|transferred|signposted|de-?registered)\b)", re.I)
    words = ["to", "will", "Shall", "be", "close", "closed", "end", "threshold", "met", "placed", "on", "CP", "NFA",
             "no further action", "screened out", "de-registered", "x", "ſ", "TO", "Remains", "from", "the",
             "child protection", "Allocated", "ſtay", "K", "-", "."]
    rng = random.Random(3)
    for _ in range(20000):
        text = "".join(rng.choice(words) + rng.choice([" ", "", ".", "\n"]) for _ in range(rng.randint(0, 8)))
        assert (_OUTCOME_ONLY.search(text) is None) == (plain.search(text) is None), text


def test_decisions_word_lists_grouped_by_first_letter_match_as_the_flat_alternation() -> None:
    import random
    import re

    from notes_qa.decisions.cues import default_matcher
    from notes_qa.training.prefilter import first_chars

    m = default_matcher()
    rng = random.Random(8)
    checked = 0
    for name in ("verbs", "outcomes", "conn", "weak", "amb_as", "gate_words"):
        alt = getattr(m, name)
        items = alt.fragments
        prefix = next(iter(alt.full.groupindex), "")[:1]
        body = "|".join(f"(?P<{prefix}{i}>{p})" if prefix else f"(?:{p})" for i, p in enumerate(items))
        flat = re.compile(r"(?<![\w'’])" + first_chars(items) + "(?:" + body + r")(?![\w'’])", re.I)
        checked += flat.pattern != alt.full.pattern
        words = [re.sub(r"\(\?<[=!][^)]*\)|[\\?*+()|\[\]{}^$]", "", f) for f in items]
        pieces = words + [w.split()[0] for w in words if w.split()] + [" ", "'", "-", "x", "ſ", "K", "is ", "was "]
        for _ in range(1500):
            text = "".join(rng.choice(pieces) + rng.choice(["", " "]) for _ in range(rng.randint(1, 6)))
            assert [(x.span(), x.lastgroup) for x in alt.full.finditer(text)] == \
                [(x.span(), x.lastgroup) for x in flat.finditer(text)], (name, text)
    assert checked >= 5  # the lists are grouped
