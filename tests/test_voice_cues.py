"""Child's-voice rules and component on hand-built Docs: each voice kind and each hard negative."""
from __future__ import annotations

import pytest
import spacy

import notes_qa.voice.component  # noqa: F401  (registers the factory)
from notes_qa.errors import ConfigError
from notes_qa.spacy_ext import Context, get_attrs
from notes_qa.voice.cues import VoiceRules


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("notes_qa_child_voice")
    nlp.initialize()
    return nlp


def voice(nlp, text, name="Mia", siblings=(), note_type="home_visit", age=None):
    doc = nlp.make_doc(text)
    if name is not None or note_type is not None:
        doc._.nqa_context = Context(child_name=name, sibling_names=list(siblings), note_type=note_type,
                                    age=age, nicknames=[])
    doc = nlp(doc)
    return [(sp.text, get_attrs(sp)["kind"], get_attrs(sp)["score"]) for sp in doc.spans["child_voice"]]


def test_voice_direct_quote_attributed_to_child(nlp):
    spans = voice(nlp, 'Mia said "I want to stay with my nain."')
    assert [k for _, k, _ in spans] == ["direct_quote"]


def test_voice_direct_quote_attribution_after_quote(nlp):
    spans = voice(nlp, '"I want to go home," Mia said when we finished.')
    assert [k for _, k, _ in spans] == ["direct_quote"]


def test_voice_reported_wishes(nlp):
    spans = voice(nlp, "Mia told me she wants to stay with her nain.")
    assert [k for _, k, _ in spans] == ["reported"]


def test_voice_reported_shorthand_pronoun(nlp):
    spans = voice(nlp, "J said he doesnt want to go to dads", name="J")
    assert [k for _, k, _ in spans] == ["reported"]


def test_voice_non_verbal_baby(nlp):
    spans = voice(nlp, "Leo reached for his mam and settled when she held him.", name="Leo", age=1)
    assert [k for _, k, _ in spans] == ["non_verbal"]


def test_voice_score_is_probability(nlp):
    (_, _, score), = voice(nlp, "Mia told me she wants to stay with her nain.")
    assert 0.5 <= score <= 1.0


@pytest.mark.parametrize("text", [
    'Mum said "she has been an angel since she came here".',       # parent's quote
    "Dad says Mia is fine and there is nothing to worry about.",     # parent's view about the child
    "Her foster carer feels Mia is more settled.",                   # carer's view
    "The teacher emailed to say Mia had been tearful in class.",    # professional's report
    "I think Mia is at risk of exploitation.",                       # worker's opinion
    "Mia is a bright girl who is small for her age.",                # fact about the child
    "Unable to gain Mia's views as she was asleep.",                 # voice not obtained
    "Mia's views were not obtained before the review.",              # voice not obtained
])
def test_voice_hard_negatives(nlp, text):
    assert voice(nlp, text) == []


def test_voice_sibling_words_are_not_this_childs_voice(nlp):
    text = 'Leo said "I want to live with dad."'
    assert voice(nlp, text, name="Mia", siblings=["Leo"]) == []
    assert [k for _, k, _ in voice(nlp, text, name="Leo", siblings=["Mia"])] == ["direct_quote"]


def test_voice_span_is_one_clause(nlp):
    text = "Mum says school is going well; Mia said she likes her teacher. The house was tidy."
    spans = voice(nlp, text)
    assert [t for t, _, _ in spans] == ["Mia said she likes her teacher."]


def test_voice_works_without_context(nlp):
    doc = nlp('He said: "I like it best when it is just me and Mam."')
    assert [get_attrs(s)["kind"] for s in doc.spans["child_voice"]] == ["direct_quote"]


def test_voice_rules_reject_unknown_keys():
    data = VoiceRules.load("default").to_dict()
    data["speach_verbs"] = ["said"]
    with pytest.raises(ConfigError, match="unknown keys"):
        VoiceRules.from_dict(data)


def test_voice_rules_only_mode_still_finds_voice():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("notes_qa_child_voice", config={"model": None})
    nlp.initialize()
    doc = nlp("Mia told me she wants to stay.")
    assert [get_attrs(s)["kind"] for s in doc.spans["child_voice"]] == ["reported"]


def test_voice_rules_only_mode_builds_no_features(monkeypatch: pytest.MonkeyPatch) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    voice = nlp.add_pipe("notes_qa_child_voice", config={"model": None})
    nlp.initialize()

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("features built for a component without a model")

    monkeypatch.setattr(voice.featuriser, "features", refuse)
    doc = nlp("Mia told me she wants to stay. Leo reached for his mam and settled.")
    assert len(doc.spans["child_voice"]) == 2


def test_voice_refs_shared_by_sentence_match_refs_per_clause() -> None:
    from notes_qa.spacy_ext import Context
    from notes_qa.training.prefilter import Probe
    from notes_qa.voice.cues import default_matcher

    m = default_matcher()
    ctx = Context(child_name="Mia Jones", note_type="home_visit", sibling_names=["Tomos"])
    sentence = "Mum said Mia Jones wants to stay; Tomos told me he is happy ; she nodded when asked"
    probe = Probe(sentence)
    for end in (len("Mum said Mia Jones wants to stay"), sentence.index(" ; she"), len(sentence)):
        clause = sentence[:end]
        shared = m.refs(clause, ctx, probe, sentence=sentence)
        alone = m.refs(clause, ctx, Probe(clause))
        assert [(r.start, r.end, r.category, r.gender) for r in shared] == \
               [(r.start, r.end, r.category, r.gender) for r in alone]
        assert shared  # the clause names people: a test that finds nothing proves nothing


def test_voice_kind_and_score_are_plain_python_values(nlp):
    # the model's kind (taken where the rules name none, as here for a name not in the context)
    # is a plain str, not a NumPy string
    spans = voice(nlp, "Cerys (14) was clear she does not want to go back to her mother's house. "
                       "Mia told me she wants to stay with her nain.")
    assert len(spans) == 2
    assert all(type(kind) is str and type(score) is float for _, kind, score in spans)


def test_voice_coordinated_verb_keeps_a_subject_that_opens_its_clause():
    from notes_qa.voice.cues import default_matcher

    m = default_matcher()
    ctx = Context(child_name="Mia", note_type="home_visit")
    # "Mia" opens the main clause after the comma: she shrugged and she said it ("asked" is the worker's)
    after_clause = m.analyse("When I asked about school, Mia shrugged and said she was fine.", ctx)
    assert "spk:child" in after_clause.features
    # an object of the first verb still hands the second verb back to that verb's subject
    object_first = m.analyse("Mum rang Mia and said she was fine.", ctx)
    assert "spk:family" in object_first.features and "spk:child" not in object_first.features


def test_voice_frame_heading_with_the_word_child():
    from notes_qa.voice.cues import default_matcher

    cues = default_matcher().analyse("Child's wishes and feelings: to stay living with her nan.",
                                     Context(child_name="Mia", note_type="review"))
    assert cues.features.get("frame") == 1.0 and cues.kind == "reported"


def test_voice_hearsay_finds_the_source_word_at_the_clause_end() -> None:
    import re

    from notes_qa.training.prefilter import Probe
    from notes_qa.voice.cues import default_matcher

    m = default_matcher()
    one = re.compile(r"\b(?:according to|per|as reported by|reported by|says|said)\s+(?:the\s+|his\s+|her\s+)?"
                     r"([\w-]+)\s*\)?\s*[.]?\s*$", re.I)
    for text in ["Mia wants to go home (according to mum).", "She is happy at school, said the teacher.",
                 "Per Nain.", "He said he was fine", "as reported by HV", "She was upset, says her dad )  . ",
                 "Perhaps said", "person said per", "unsaid x", "said\n", "She said: per the GP"]:
        got = m.hearsay.search(text, Probe(text), offset=0)
        want = one.search(text)
        assert (got and (got.span(), got.group(got.lastindex))) == (want and (want.span(), want.group(1))), text


@pytest.mark.parametrize("text, frame", [("In kayla's words: 'I miss nain'", True), ("in Kayla Jones's words", True),
                                         ("Text from KK: see you soon", True), ("Text from Ffion: see you soon", False),
                                         ("In the child's own words", True), ("Asked him what he wanted", True)])
def test_voice_frames_find_the_child_by_name_in_any_case(text: str, frame: bool) -> None:
    from notes_qa.voice.cues import default_matcher

    cues = default_matcher().analyse(text, Context(child_name="Kayla Jones", nicknames=["KK"], note_type="home_visit"))
    assert (cues.features.get("frame") == 1.0) is frame


def test_voice_word_lists_grouped_by_first_letter_match_as_the_flat_alternation() -> None:
    import random
    import re

    from notes_qa.training.prefilter import Alternation
    from notes_qa.voice.cues import _alt, _alt_by_first_char, default_matcher

    m = default_matcher()
    rng = random.Random(5)
    lists = {name: a for name, a in vars(m).items() if isinstance(a, Alternation) and a.full is not None
             and _alt_by_first_char(a.fragments) in a.full.pattern and _alt_by_first_char(a.fragments) != _alt(a.fragments)}
    assert {"speech", "wish", "nonverbal", "lex_ci", "gate_words"} <= set(lists)
    for name, alt in lists.items():
        flat = re.compile(alt.full.pattern.replace(_alt_by_first_char(alt.fragments), _alt(alt.fragments)), alt.flags)
        words = [re.sub(r"\(\?<[=!][^)]*\)|[\\?*+()|\[\]{}^$]", "", f)[:14] for f in alt.fragments[:60]]
        pieces = words + ["they ", "i ", "I ", " ", "'", "’s ", "-", "x", "Mum", "ſ", "K"]
        texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 6))) for _ in range(1500)]
        for text in texts:
            assert [(x.span(), x.groups()) for x in alt.full.finditer(text)] == \
                [(x.span(), x.groups()) for x in flat.finditer(text)], (name, text)


def test_voice_capitalised_words_found_as_documented() -> None:
    import random
    import re

    from notes_qa.voice.cues import default_matcher

    documented = re.compile(r"(?<![\w'’-])([A-Z][a-zà-öø-ÿŵŷâêîôû]+(?:-[A-Z][a-zà-öø-ÿŵŷ]+)?)(?![\w-])")
    rng = random.Random(4)
    pieces = list("AaBbMm -'’éÉŵ\n") + ["Mia", "Jo-Ann", "x", "McK"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 10))) for _ in range(20000)]
    texts += ["Seen Mia and Jo-Ann at O'Neil's; x-Ray, Ffion-Mai", "M'Lady Tomos"]
    cap = default_matcher().cap_word
    for text in texts:
        assert [m.span(1) for m in cap.finditer(text)] == [m.span(1) for m in documented.finditer(text)], text
