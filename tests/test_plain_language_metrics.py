"""Metrics of notes_qa.plain_language: formulas, directions and undefined input."""
from __future__ import annotations

import pytest
import spacy

from notes_qa.plain_language import metrics
from notes_qa.plain_language.syllables import rule_syllables, syllables


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def test_syllables_cmudict_and_fallback() -> None:
    assert syllables("cat") == 1
    assert syllables("family") == 3
    assert syllables("independent") == 4
    assert syllables("well-known") == 2
    assert rule_syllables("zorblatt") == 2


@pytest.mark.parametrize("word,n", [
    ("MRSA", 4), ("IFSS", 4), ("NSPCC", 5), ("PLO", 3), ("SW", 4),  # unpronounceable: by letter
    ("NATO", 2), ("ICANN", 2), ("CAMHS", 1),                       # said as a word
    ("fMRI", 4), ("gTLDs", 4), ("iPhone", 2),                       # mixed case
    ("tbc", 3), ("sch", 1),                                         # vowel-less shorthand
    ("II", 1), ("VIII", 1), ("XIV", 2), ("DV", 2),                  # Roman numerals (I, V, X)
    ("150,000", 8), ("2.75", 5), ("1496", 5),                       # numbers as read
    ("w/c", 4), ("12/5", 2), ("Robespierre's", 3), ("Osian's", 2),
])
def test_syllables_initialisms_numbers_and_joined_words(word: str, n: int) -> None:
    assert syllables(word) == n


def test_syllables_rules_for_unknown_words() -> None:
    # "si/ti/ci" before a vowel is one sound (Welsh "Osian" = osh-an); elsewhere a hiatus
    assert rule_syllables("osian") == 2 and rule_syllables("fiona") == 3
    # a silent "-ed", but on a capitalised word only with a known stem: the name "Sioned" keeps
    # its last syllable; "prioritised", "Organised" (organize) do not
    assert rule_syllables("Sioned") == 2 and syllables("Sioned") == 2
    assert rule_syllables("jumped") == 1 and syllables("prioritised") == 4
    assert rule_syllables("Organised") == 3
    # a vowel on both sides of a split is not a compound seam ("lia" + "ise")
    assert syllables("liaise") == 2 and syllables("timescales") == 2


def test_metrics_flesch_matches_formula(nlp) -> None:
    doc = nlp("The cat sat on the mat. The dog ran.")
    # 9 words, 2 sentences, 9 syllables
    assert metrics.words_per_sentence(doc) == pytest.approx(4.5)
    assert metrics.flesch_reading_ease(doc) == pytest.approx(206.835 - 1.015 * 4.5 - 84.6 * 1.0)
    assert metrics.flesch_kincaid_grade(doc) == pytest.approx(0.39 * 4.5 + 11.8 - 15.59)


def test_metrics_undefined_is_none(nlp) -> None:
    empty = nlp("   ")
    assert metrics.flesch_reading_ease(empty) is None
    assert metrics.smog(nlp("One sentence only. Two.")) is None
    assert metrics.smog(nlp("One here. Two here. Three here.")) is not None


def test_metrics_harder_text_scores_harder(nlp) -> None:
    easy = nlp("We will visit you on Monday. You can ask us anything.")
    hard = nlp("Consideration will be given to the implementation of multi-agency interventions "
               "notwithstanding the organisational difficulties identified.")
    assert metrics.flesch_reading_ease(easy) > metrics.flesch_reading_ease(hard)
    assert metrics.nominalisation_share(hard) > metrics.nominalisation_share(easy)
    assert metrics.rare_word_share(hard) > metrics.rare_word_share(easy)


def test_metrics_passive_rules(nlp) -> None:
    assert metrics.passive_share(nlp("The referral was made by school.")) == 1.0
    assert metrics.passive_share(nlp("The report was written. Mum rang us.")) == 0.5
    assert metrics.passive_share(nlp("She was worried about school.")) == 0.0


def test_metrics_long_sentences_and_spans(nlp) -> None:
    long = " ".join(["word"] * 30) + ". Short one."
    doc = nlp(long)
    assert metrics.long_sentence_share(doc) == 0.5
    assert metrics.words_per_sentence(doc[-3:]) == pytest.approx(2.0)


def test_analysis_candidate_matching_equals_full_scan() -> None:
    """Lexicon regexes tried only at candidate tokens find what a full scan finds."""
    import spacy

    from notes_qa.plain_language.analysis import _find_terms, analyse
    from notes_qa.plain_language.lexicon import default_resources

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    text = ("SW visited w/ mum. The CLA review (LAC) & s47 enquiry, s.47 and A&E f/u appt tbc. "
            "Contact was arranged; the child's plan: step-down to TAF. CPs were held.\n"
            "- Mum to engage with the PLO, e.g. at the core group etc.")
    doc = nlp(text)
    a = analyse(doc)
    full = analyse(doc)
    full.acronyms, full.jargon, full.shorthand = [], [], []
    _find_terms(full, text, 0, default_resources(), None)
    assert a.acronyms == full.acronyms and a.jargon == full.jargon
    assert a.shorthand == full.shorthand
    assert a.jargon and a.acronyms and a.shorthand


def test_analysis_words_and_counts_match_whole_text_regexes() -> None:
    """The cached per-chunk word split and the one-scan you/we count give what the plain
    regexes give over each sentence / the whole text (sentence-initial capital lowered)."""
    from notes_qa.plain_language.analysis import _WE_RE, _YOU_RE, WORD_RE, analyse

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    text = ("You said Sam's well-known dog don't bark.Then YOU and your mum (we) met us at 10am!\n"
            "- I'm told A&E visits e.g. s.47 follow-ups were   arranged ... Our plan: yours, my "
            "call, me.\n\nWe'll see.\u00a0Yourself? Me-too iPhone O'Neill")
    for doc in (nlp(text), nlp(text)[3:25]):
        a = analyse(doc)
        dtext = doc.doc.text
        expected: list[str] = []
        for s, e, n in a.units:
            ws = WORD_RE.findall(dtext, s, e)
            assert len(ws) == n
            if ws[0][0].isupper() and ws[0][1:].islower():
                ws[0] = ws[0].lower()
            expected += ws
        assert a.words_lower == [w.lower() for w in expected]
        assert a.n_words == len(expected) > 10
        span_text = doc.text if doc is not doc.doc else dtext
        assert a.n_you == len(_YOU_RE.findall(span_text)) > 0
        assert a.n_we == len(_WE_RE.findall(span_text)) > 0


@pytest.mark.parametrize("text", [
    "We will visit. We'll see you. Your plan; yours too. You're fine. My mum. Me? Us! Our home. I am.",
    "WE YOU We're We’re You’re MY My. Us. I.We.You.Our end.We start.you go!Me lemme know",
    "We-all you-know us/you our-own. 'We' \"you\" (we) [my] myself ourselves yourself",
    "x\nWe\nyou\n\nMy\n I\n  We’re “you” — my £5 – Our",
    "Zoë and we", "naïve you", "weé our", "you_ we", "my² you³ we",
])
def test_analysis_you_we_counts_match_text_regex(nlp, text: str) -> None:
    """``n_you``/``n_we`` equal the text regexes' counts whether they come from the word rows
    (word characters all ASCII letters/digits) or from the text (any other word character)."""
    from notes_qa.plain_language.analysis import _WE_RE, _YOU_RE, analyse

    doc = nlp(text)
    a = analyse(doc)
    assert (a.n_you, a.n_we) == (len(_YOU_RE.findall(text)), len(_WE_RE.findall(text)))


def test_analysis_you_we_from_word_rows_when_text_allows(nlp) -> None:
    from notes_qa.plain_language.analysis import analyse

    assert analyse(nlp("We will call you. We’re “here” — £5.")).you_we_delta is not None
    assert analyse(nlp("Zoë and we will call you.")).you_we_delta is None
    assert analyse(nlp("We will call you_now.")).you_we_delta is None


def test_analysis_you_we_counted_on_text_when_sentence_starts_inside_word(nlp) -> None:
    """A sentence start between two letters ("my|self") splits the word: the count comes from
    the text, where "myself" holds no "my"."""
    from spacy.tokens import Doc

    from notes_qa.plain_language.analysis import analyse

    doc = Doc(nlp.vocab, words=["Call", "my", "self", "now", "we"],
              spaces=[True, False, True, True, False], sent_starts=[True, False, True, False, False])
    a = analyse(doc)
    assert a.you_we_delta is None
    assert (a.n_you, a.n_we) == (0, 1)


def test_metrics_accented_names_and_decimals_are_one_word(nlp) -> None:
    """Welsh names keep their circumflex ("Siân" is one word, not "Si" + "n"); a decimal or a
    number with thousands commas is one word."""
    from notes_qa.plain_language.analysis import WORD_RE, analyse

    text = "Siân met Rhŷs at the café at 0.05 past, with 12,000 others."
    assert WORD_RE.findall(text) == ["Siân", "met", "Rhŷs", "at", "the", "café", "at", "0.05", "past",
                                     "with", "12,000", "others"]
    assert analyse(nlp(text)).n_words == 12
    assert rule_syllables("café") == 2 and rule_syllables("siân") == 1
    # slash-joined words are one word each, as word counters count them
    assert WORD_RE.findall("Mum to attend w/c 12/5 and/or call.") == ["Mum", "to", "attend", "w/c", "12/5",
                                                                       "and/or", "call"]
