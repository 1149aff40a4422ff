"""The literal prefilters must never hide a match of the rule regexes they guard."""
from __future__ import annotations

import re

import pytest

from notes_qa.decisions.cues import DecisionRules
from notes_qa.training.prefilter import Alternation, Prefilter, Probe
from notes_qa.voice.cues import VoiceRules

SENTENCES = [
    "Mia said she doesnt want to go to dads.", "It was agreed the case will step down to early help.",
    "NFA.", "Strategy: s47 to be initiated.", "Case closed as there are no further concerns.",
    "Leo reached for his mam and settled when she held him.", "Unable to gain C's views as asleep.",
    "ICPC to be convened given cumulative neglect.", "Threshold for CP met.", "Kayla's views: “I miss Nain”.",
    "Dad says Mia wants to stay; mum disagrees.", "Baby (4 months) cooed and smiled at mum.",
    "The plan will be reviewed in 6 weeks because of the drug test result.", "Ethan shook his head.",
    "Authorised by TM; de-registered from the CP register.", "Consultation form has not been returned.",
    "MUM TOLD ME SHE WAS WORRIED.", "she ſaid nothing", "İs this the reason?", "As well as school, he hid.",
]


def _families() -> dict[str, tuple[list[str], bool]]:
    v, d = VoiceRules.load(), DecisionRules.load()
    assert v is not None and d is not None
    lex = [w for ws in v.other_speakers.values() for w in ws]
    return {"speech": (v.speech_verbs, True), "wish": (v.wish_verbs, True), "nonverbal": (v.nonverbal_cues, True),
            "not_obtained": (v.not_obtained, False), "preverbal": (v.preverbal_markers, False), "lex": (lex, True),
            "outcomes": (d.decision_outcomes, True), "frames": (d.decision_frames, False),
            "non": (d.non_decision, False), "connectives": (d.rationale_connectives, True),
            "ambiguous_as": (d.ambiguous_as, True)}


def _regex(items: list[str], bounded: bool) -> str:
    body = "|".join(f"(?:{p})" for p in items)
    return r"(?<![\w'’])(?:" + body + r")(?![\w'’])" if bounded else body


@pytest.mark.parametrize("family", sorted(_families()))
def test_prefilter_never_hides_a_match(family: str) -> None:
    items, bounded = _families()[family]
    rx = re.compile(_regex(items, bounded), re.I)
    pre = Prefilter(items, bounded=bounded)
    for s in SENTENCES:
        if rx.search(s):
            assert pre(Probe(s)), (family, s)


def _alternation_and_full(family: str) -> tuple[Alternation, re.Pattern[str]]:
    items, bounded = _families()[family]
    alt = Alternation(items, lambda ids: _regex([items[i] for i in ids], bounded), bounded=bounded)
    return alt, re.compile(_regex(items, bounded), re.I)


@pytest.mark.parametrize("family", sorted(_families()))
def test_alternation_matches_exactly_the_full_regex(family: str) -> None:
    alt, full = _alternation_and_full(family)
    for s in SENTENCES:
        assert [m.span() for m in alt.finditer(s)] == [m.span() for m in full.finditer(s)], (family, s)


def test_prefilter_rejects_text_without_the_literals() -> None:
    pre = Prefilter(["close[ds]?", "is (?:happy|sad)", "as"], bounded=True)
    assert not pre(Probe("Mum was happy with the visit."))
    assert pre(Probe("The case closed."))
    assert pre(Probe("She is sad."))
    assert pre(Probe("As agreed."))
    assert not pre(Probe("It was a good visit."))  # "as" inside "was" is not the word


def test_prefilter_underivable_fragment_always_passes() -> None:
    assert Prefilter([r"[A-Z]\w+"], bounded=True)(Probe("nothing here"))


def test_probe_non_ascii_text_keeps_literal_tests_unless_a_special_letter_occurs() -> None:
    # typographic dashes and apostrophes lower-case faithfully: the literal tests stay on
    assert Probe("Anwen’s views — she said “no”.").exact
    # letters that IGNORECASE pairs differently from str.lower(): every fragment stays a candidate
    assert not Probe("she ſaid — nothing").exact
    assert not Probe("İs this the reason?").exact
    alt = Alternation(["said", "asked"], lambda ids: "|".join(["said", "asked"][i] for i in ids))
    assert alt.candidates(Probe("Anwen’s views — she said")) == (0,)
    assert alt.candidates(Probe("she ſaid — nothing")) == (0, 1)


def test_prefilter_fragment_with_special_letter_always_passes() -> None:
    # "ſ" in a rule matches "s" in text under IGNORECASE, which no lower-cased literal test sees
    assert Prefilter(["ſaid"])(Probe("she said"))
    assert re.search("ſaid", "she said", re.I)


def test_alternation_grams_index_finds_long_and_short_literals() -> None:
    items = ["no further action", "to be closed", "ok"]
    alt = Alternation(items, lambda ids: "|".join(items[i] for i in ids))
    assert alt.candidates(Probe("Outcome: No further action; OK.")) == (0, 2)
    assert alt.candidates(Probe("Case to be closed.")) == (1,)
    assert alt.candidates(Probe("Nothing here.")) == ()


@pytest.mark.parametrize("family", sorted(_families()))
def test_alternation_finder_search_matches_the_full_regex_inside_a_longer_text(family: str) -> None:
    alt, full = _alternation_and_full(family)
    for s in SENTENCES:
        text = "Seen at home; " + s + "; unsaid"
        a, b = len("Seen at home; "), len("Seen at home; ") + len(s)
        got, exp = alt.search(text, Probe(s), a, b), full.search(text, a, b)
        assert (got and got.span()) == (exp and exp.span()), (family, s)


def test_alternation_finder_is_built_only_for_literal_led_fragments() -> None:
    literal = Alternation(["said", "told (?:me|us)", "(?<=they )want", "views?"], lambda ids: "x")
    assert literal._finder is not None
    assert literal._finder.findall("they want") == [""]  # one start, at "want"
    for items in (["^\\W*agreed"], [r"\d{1,2} months? old"], ["(?:very )?"]):
        assert Alternation(items, lambda ids: "x")._finder is None, items


def test_alternation_finder_skips_starts_inside_an_earlier_match() -> None:
    items = ["said that", "that"]
    alt = Alternation(items, lambda ids: "|".join(items[i] for i in ids))
    assert [m.group(0) for m in alt.finditer("she said that, and that")] == ["said that", "that"]


def test_literal_index_gives_each_alternation_exactly_its_full_regex_matches_in_clauses() -> None:
    from notes_qa.decisions.cues import default_matcher as decisions
    from notes_qa.voice.cues import default_matcher as voice

    from notes_qa.training.prefilter import LiteralIndex
    from notes_qa.voice.cues import VoiceMatcher

    members = [a for m in (voice(), decisions()) for a in vars(m).values()
               if isinstance(a, Alternation) and a._index is not None]
    assert len(members) >= 10 and all(a.bounded for a in members)  # the shipped indexes: word starts only
    # an index that also serves an alternation whose matches may start inside a word
    fresh = VoiceMatcher(VoiceRules.load())  # type: ignore[arg-type]
    mixed = LiteralIndex([fresh.not_obtained, fresh.speech])
    assert mixed.members == (fresh.not_obtained,)  # speech is already served by fresh.index
    members += [fresh.not_obtained]
    for s in SENTENCES + ["Unable to gain C's views; unsaid, she said nothing; NFA as agreed"]:
        probe = Probe(s)
        for offset in sorted({0, *(i + 1 for i, ch in enumerate(s) if ch in "; ")}):
            for end in sorted({len(s), *(i for i, ch in enumerate(s) if ch == ";" and i >= offset)}):
                clause = s[offset:end]
                for alt in members:
                    got = [(m.span(), m.lastgroup) for m in alt.finditer(clause, probe, offset)]
                    assert got == [(m.span(), m.lastgroup) for m in alt.full.finditer(clause)], (clause, alt.fragments[:3])


def test_literal_index_tells_unbounded_alternations_of_literals_inside_words() -> None:
    from notes_qa.training.prefilter import LiteralIndex

    inside = Alternation(["said"], lambda ids: "said")  # not bounded: "unsaid" holds a match
    bounded = Alternation(["said"], lambda ids: r"(?<![\w'’])said(?!\w)", bounded=True)
    index = LiteralIndex([inside, bounded])
    probe = Probe("unsaid, then said")
    assert [m.start() for m in inside.finditer("unsaid, then said", probe, 0)] == [2, 13]
    assert [m.start() for m in bounded.finditer("unsaid, then said", probe, 0)] == [13]
    assert index.starts(probe) == {0: [2, 13], 1: [13]}


def test_literal_index_tells_a_whole_word_alternation_only_at_word_ends() -> None:
    from notes_qa.training.prefilter import LiteralIndex

    # "I" and "views?" are whole matches of a word-bounded list: "it", "is" and "viewed" start
    # no match of it, so it is not told of them; a list where "i" only starts a match still is
    # (the same literal "i" is whole for one list and a start for the other)
    whole = Alternation(["I", "views?"], lambda ids: r"(?<![\w'’])(?:I|views?)(?![\w])", bounded=True)
    prefix = Alternation(["i[a-z]+"], lambda ids: r"(?<![\w'’])i[a-z]+(?![\w])", bounded=True)
    index = LiteralIndex([whole, prefix])
    text = "I said it is in my views, I viewed"
    probe = Probe(text)
    starts = index.starts(probe)
    assert starts[0] == [0, 19, 26]  # "I", "views", "I" (not "it", "is", "in", "viewed")
    assert starts[1] == [0, 7, 10, 13, 26]  # every "i" at a word's start
    for alt in (whole, prefix):
        assert [m.span() for m in alt.finditer(text, probe, 0)] == [m.span() for m in alt.full.finditer(text)]


def test_literal_index_joined_tells_each_member_what_its_own_index_did() -> None:
    from notes_qa.decisions.cues import DecisionMatcher
    from notes_qa.training.prefilter import LiteralIndex
    from notes_qa.voice.cues import VoiceMatcher

    v, d = VoiceRules.load(), DecisionRules.load()
    apart = [VoiceMatcher(v).index, DecisionMatcher(d).index]  # type: ignore[arg-type]
    moved = [VoiceMatcher(v).index, DecisionMatcher(d).index]  # type: ignore[arg-type]
    joined = LiteralIndex.joined(moved)
    assert len(joined.members) == sum(len(i.members) for i in apart)
    for s in SENTENCES + ["Unable to gain C's views; unsaid, she said nothing; NFA as agreed"]:
        alone = [i.starts(Probe(s)) for i in apart]
        together = joined.starts(Probe(s))
        k = 0
        for i, index in enumerate(apart):
            for j, alt in enumerate(index.members):
                assert together.get(k) == alone[i].get(j), (s, alt.fragments[:3])
                k += 1
        probe = Probe(s)
        for alt in joined.members:
            assert [m.span() for m in alt.finditer(s, probe, 0)] == [m.span() for m in alt.full.finditer(s)]


def test_literal_index_shared_by_the_default_pipeline() -> None:
    from notes_qa.pipeline import build_pipeline

    nlp = build_pipeline()
    voice = nlp.get_pipe("notes_qa_child_voice").featuriser.matcher
    decisions = nlp.get_pipe("notes_qa_decisions").featuriser.matcher
    assert voice.index is decisions.index
    assert all(a._index[0] is voice.index for a in voice.index.members)


def test_literal_index_shared_once_however_often_asked() -> None:
    from notes_qa.pipeline import build_pipeline, share_literal_scans

    nlp = build_pipeline()
    index = nlp.get_pipe("notes_qa_child_voice").featuriser.matcher.index
    assert share_literal_scans(nlp) == 0  # build_pipeline shared it already
    assert nlp.get_pipe("notes_qa_child_voice").featuriser.matcher.index is index
    assert len(index.members) == len({id(a) for a in index.members})


def _twins(fragment_lists: list[list[str]]) -> tuple[list[Alternation], list[Alternation]]:
    """The same alternations twice: the first set to be indexed, the second left alone."""
    def make(items: list[str]) -> Alternation:
        return Alternation(items, lambda ids: "|".join(f"(?:{items[i]})" for i in ids))

    return [make(f) for f in fragment_lists], [make(f) for f in fragment_lists]


def test_substring_index_tells_each_alternation_its_own_candidates() -> None:
    from notes_qa.training.prefilter import SubstringIndex

    # literals that overlap ("abc" then "bcd"), nest ("agreed" in "agreed to the") and repeat
    lists = [["abc", "b", "agreed", "agreed to the"], ["bcd", "to the", r"\d+ months old"], ["z{2}"]]
    indexed, alone = _twins(lists)
    index = SubstringIndex(indexed)
    assert all(a._subindex is not None and a._subindex[0] is index for a in indexed)
    for s in ["xabcd", "it was agreed to the plan", "agreed", "6 months old, abc abc", "nothing here", "ZZ top",
              *SENTENCES]:
        for a, b in zip(indexed, alone):
            assert a.candidates(Probe(s)) == b.candidates(Probe(s)), (s, a.fragments)
            assert [m.span() for m in a.finditer(s, Probe(s))] == [m.span() for m in b.full.finditer(s)]
    assert index.found(Probe("xabcd")) == {0: frozenset({0, 1}), 1: frozenset({0})}


def test_substring_index_joined_and_shared_by_the_default_pipeline() -> None:
    from notes_qa.decisions.cues import DecisionMatcher
    from notes_qa.pipeline import build_pipeline
    from notes_qa.training.prefilter import SubstringIndex
    from notes_qa.voice.cues import VoiceMatcher

    v, d = VoiceRules.load(), DecisionRules.load()
    alone = [VoiceMatcher(v).sub_index, DecisionMatcher(d).sub_index]  # type: ignore[arg-type]
    joined = SubstringIndex.joined([VoiceMatcher(v).sub_index, DecisionMatcher(d).sub_index])  # type: ignore[arg-type]
    assert len(joined.members) == sum(len(i.members) for i in alone) == 6
    apart = [a for i in alone for a in i.members]
    for s in SENTENCES + ["Unable to gain C's views; 9 month old baby; the decision was agreed as per the plan"]:
        for a, b in zip(apart, joined.members):
            assert a.candidates(Probe(s)) == b.candidates(Probe(s)), (s, a.fragments[:3])
    nlp = build_pipeline()
    voice = nlp.get_pipe("notes_qa_child_voice").featuriser.matcher
    decisions = nlp.get_pipe("notes_qa_decisions").featuriser.matcher
    assert voice.sub_index is decisions.sub_index
    assert all(a._subindex[0] is voice.sub_index for a in voice.sub_index.members)
