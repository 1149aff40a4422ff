"""The family step's fast paths give exactly what the plain ways give (randomised, seeded)."""
from __future__ import annotations

import random
import re

from notes_qa.records import CaseRecord, ChildMeta
from notes_qa.siblings.align import (Match, TokenStream, align, canon_map_for, chain, dedupe,
                                     seeds, tuple_hashes)
from notes_qa.siblings.anchored import AfterName
from notes_qa.siblings.config import Thresholds, load_patterns
from notes_qa.siblings.people import CAP_RE, build_family
from notes_qa.siblings.similarity import Profile, containment, shared_types
from notes_qa.siblings.text import (POSSESSIVE_RE, SENT_END_RE, TOKEN_RE, lowered, sentence_bounds,
                                    strip_possessive)

#: The patterns as first written (before they were reshaped for speed).
OLD_SENT_END = re.compile(r"""[.!?]+["'”’)\]]*(?=\s)|\n\s*\n|\n(?=\s*[-*•\d])|(?<=[:;])\n""")
OLD_CAP = re.compile(r"(?<![\w'’])[A-Z][a-z\u00e0-\u017f]+(?:['’]s)?\b|(?<![\w'’])[A-Z]\b")
OLD_TOKEN = re.compile(r"\w+(?:['’]\w+)*")


def _noise(rng: random.Random, alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, n)))


def test_siblings_fast_patterns_match_the_plain_ones() -> None:
    rng = random.Random(1)
    for _ in range(4000):
        s = _noise(rng, "ab AB .!?\n:;\"')]-*•1\t’'÷é_", 30)
        lo = rng.randint(0, len(s))
        hi = rng.randint(lo, len(s))
        assert [m.end() for m in SENT_END_RE.finditer(s, lo, hi)] == \
            [m.end() for m in OLD_SENT_END.finditer(s, lo, hi)]
        assert [m.span() for m in CAP_RE.finditer(s, lo, hi)] == \
            [m.span() for m in OLD_CAP.finditer(s, lo, hi)]
        assert [m.span() for m in TOKEN_RE.finditer(s, lo, hi)] == \
            [m.span() for m in OLD_TOKEN.finditer(s, lo, hi)]
        w = _noise(rng, "Ab'’sS\n", 5)
        assert strip_possessive(w) == POSSESSIVE_RE.sub("", w)


def test_siblings_tuple_hashes_are_pythons_tuple_hashes() -> None:
    import numpy as np

    words = ["", "she", "\x01n", "visited", "z" * 50, "’s", "\x00k\x0012"] * 20
    random.Random(2).shuffle(words)
    got = tuple_hashes(np.fromiter(map(hash, words), dtype=np.int64, count=len(words)), 4)
    assert got.tolist() == [hash(t) for t in zip(*[words[i:len(words) - 3 + i] for i in range(4)])]


def _stream(text: str, key: str, lowered_text: bool) -> TokenStream:
    s = TokenStream(key=key)
    cmap = canon_map_for(["Mia", "Leo"], ["he", "she", "his", "her"])
    low = lowered(text) if lowered_text else None
    pos = 0
    for i, block in enumerate(text.split("\n\n")):
        s.add_region(text, pos, pos + len(block), i, cmap, low)
        pos += len(block) + 2
    s.index(4)
    return s


def _text(rng: random.Random, phrases: list[str]) -> str:
    out = []
    for _ in range(rng.randint(1, 6)):
        out.append(" ".join(rng.choice(phrases) for _ in range(rng.randint(1, 8))))
    return "\n\n".join(out)


def test_siblings_lowered_tokens_equal_tokens_lowered_one_by_one() -> None:
    rng = random.Random(3)
    phrases = ["Mia said", "she didn't", "Leo’s room.", "ΟΔΟΣ", "İstanbul", "x\ny", "- bullet", "3 May."]
    for _ in range(300):
        t = _text(rng, phrases)
        a, b = _stream(t, "0", True), _stream(t, "0", False)
        assert (a.starts, a.ends, a.lower, a.canon, a.entry, a.para) == \
            (b.starts, b.ends, b.lower, b.canon, b.entry, b.para)


def test_siblings_array_alignment_equals_seed_by_seed_chaining() -> None:
    rng = random.Random(4)
    phrases = ["Mia was seen at home", "she said she likes school", "Leo played with his cars",
               "the plan is to visit weekly", "mum and dad attended", "no concerns were raised",
               "Mia", "he", "today", "the family home was warm and tidy."]
    th = Thresholds()
    key = (lambda ms: [(m.a0, m.a1, m.b0, m.b1, m.seeds) for m in ms])
    for _ in range(200):
        a = _stream(_text(rng, phrases), "0", True)
        b = _stream(_text(rng, phrases), "1", True)
        assert key(align(a, b, th)) == key(chain(a, b, seeds(a, b, th), th))


def test_siblings_dedupe_equals_the_pairwise_rule() -> None:
    def reference(ms: list[Match]) -> list[Match]:
        ms.sort(key=lambda m: -(m.a1 - m.a0))
        kept: list[Match] = []
        for m in ms:
            if all(min(m.a1, o.a1) - max(m.a0, o.a0) <= 0.5 * (m.a1 - m.a0)
                   and min(m.b1, o.b1) - max(m.b0, o.b0) <= 0.5 * (m.b1 - m.b0) for o in kept):
                kept.append(m)
        return kept

    rng = random.Random(5)
    for _ in range(300):
        spans = []
        for _ in range(rng.randint(0, 40)):
            a0, b0 = rng.randint(0, 200), rng.randint(0, 200)
            spans.append((a0, a0 + rng.randint(1, 30), b0, b0 + rng.randint(1, 30)))
        got = dedupe([Match(*s) for s in spans])
        want = reference([Match(*s) for s in spans])
        assert [(m.a0, m.a1, m.b0, m.b1) for m in got] == [(m.a0, m.a1, m.b0, m.b1) for m in want]


def test_siblings_names_found_without_a_pattern_per_child_match_the_whole_pattern() -> None:
    p = load_patterns()
    ages = "|".join(f"(?:{x})" for x in p.age_after_name)
    suffixes = [(rf"(?:['’]s)?(?:\s+[A-Z][a-z]+)?(?:{ages})", False),
                (rf"(?:\s+[A-Z][a-z]+)?{p.dob_after_name}", True)]
    bits = [" (12)", ", 7,", " aged 9", " is 4 years old", ", a 5-year-old", " (8 months)", " Evans (3)",
            "'s", " (DOB 02/03/2015)", " dob: 2015-03-02", " born 1/2/15", " (1", "", "x", "\n", "ſ", "K", "İ",
            " (٣)", " aged ٥"]
    rng = random.Random(6)
    for _ in range(1500):
        names = rng.sample(["Mia", "Mi", "Leo", "Leon", "Ana", "Anabel"], rng.randint(1, 2))
        text = "".join(rng.choice(["", " ", "x", ". ", "'", "_"]) + rng.choice(names + ["mia", "LEO"])
                       + rng.choice(bits) for _ in range(rng.randint(1, 5)))
        lo = rng.randint(0, len(text))
        hi = rng.randint(lo, len(text))
        for suffix, ic in suffixes:
            an = AfterName(names, suffix, ic)
            want = [(m.start(), m.end(), [m.group(g) for g in range(an.suffix.groups + 1)])
                    for m in an.whole.finditer(text, lo, hi)]
            for low in (None, lowered(text)):
                got = [(m.start(), m.end(), [m.group(g) for g in range(an.suffix.groups + 1)])
                       for m in an.finditer(text, lo, hi, low)]
                assert got == want, (names, text, lo, hi)


def test_siblings_mentions_from_tokens_equal_mentions_from_patterns() -> None:
    pat = load_patterns()
    rng = random.Random(7)
    pool = ["Mia", "Leo", "Ana", "Anabel", "O'Neil", "Mumtaz", "Max"]
    words = ["Mum", "mum's", "Dad's", "family member", "social worker", "He", "she", "She's", "her",
             "Mia", "Mia's", "mias'", "Leo’s", "O'Neil", "Anabel", "M", "L", "The", "Brynmor", "Cardiff",
             " ", " ", "\n", ". ", ", ", "-", "_", "1", "é", "÷", "'"]
    for _ in range(1500):
        names = rng.sample(pool, rng.randint(1, 3))
        recs = [CaseRecord(case_id=n, meta=ChildMeta(child_id=n, child_name=n,
                                                     gender=rng.choice(["female", "male"])), sources={})
                for n in names]
        fam = build_family(recs, pat)
        text = "".join(rng.choice(words) for _ in range(rng.randint(0, 30)))
        if lowered(text) is None:
            continue
        lo = rng.randint(0, len(text))
        hi = rng.randint(lo, len(text))
        s = TokenStream(key="0")
        s.add_region(text, lo, hi, 0, canon_map_for([], []), lowered(text))
        tokens = (s.lower, s.starts, 0, len(s.lower), lowered(text))
        full = fam.mentions(text, lo, hi)
        assert fam.mentions(text, lo, hi, tokens=tokens) == full
        assert fam.mentions(text, lo, hi, with_caps=False, tokens=tokens) == \
            fam.mentions(text, lo, hi, with_caps=False)
        # by sentence: all but 'cap' words outside the sentences holding a pronoun and the ones
        # before those
        spans = sentence_bounds(text, lo, hi)
        by_sentence = fam.mentions_by_sentence(text, lo, hi, spans, tokens=tokens)
        inside = [[m for m in full if a <= m.start < b] for a, b in spans]
        for k, want in enumerate(inside):
            near_pronoun = any(m.kind == "pron" for ms in inside[k:k + 2] for m in ms)
            assert by_sentence[k] == (want if near_pronoun else [m for m in want if m.kind != "cap"])


def test_siblings_shared_types_give_the_same_containment() -> None:
    rng = random.Random(8)
    vocab = [f"w{i}" for i in range(60)] + ["visited", "visiting", "school", "schools", ""]
    for _ in range(300):
        a = Profile.of_words([rng.choice(vocab) for _ in range(rng.randint(0, 80))], 17.0)
        b = Profile.of_words([rng.choice(vocab) for _ in range(rng.randint(0, 80))], 17.0)
        outside = {i: 1.0 for i in range(len(a.words)) if rng.random() < 0.3}
        shared = shared_types(a, b)
        assert containment(a, b, outside, shared) == containment(a, b, outside)
        assert containment(b, a, {}, shared) == containment(b, a, {})
