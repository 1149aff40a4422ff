"""notes_qa_plain_language over batches: ``pipe`` gives exactly what one Doc at a time gives,
and the fast paths (rebuilt text, one-scan regexes, whole-number word counts) agree with the
plain computations they replace."""
from __future__ import annotations

import re

import pytest
import spacy

import notes_qa.plain_language.component  # noqa: F401
from notes_qa.plain_language.analysis import (_YOU_WE_FAST_RE, _YOU_WE_RE, _candidates, analyse,
                                              analyse_text, count_words, doc_tokens)
from notes_qa.plain_language.lexicon import default_resources
from notes_qa.spacy_ext import Context, get_attrs, remember_text

TEXTS = [
    "Home visit 12/03/2025\nWe visited Sam at home. He was happy and played with his toys.",
    "Consideration is to be given to escalation to PLO should insufficient progress be evidenced "
    "within timescales. SW to undertake direct work to ascertain wishes and feelings.",
    "Cai's plan\nWhat we want: Cai feels safe at home.\n- Mum will take Cai to school every "
    "morning by 9am.\n- Sioned (social worker) will visit you every two weeks.",
    "",
    "...",
    "You said Sam's well-known dog don't bark.Then YOU and your mum (we) met us at 10am!\n\n"
    "- I'm told A&E visits e.g. s.47 follow-ups were   arranged ... Our plan: yours, my call.",
    "The LAC review was held and the IRO said contact will continue. It was agreed that Sam "
    "is safe.\u00a0Yourself? Me-too iPhone O’Neill, Siôn's café and Dafydd’s 2nd visit.",
]
NOTE_TYPES = ["home_visit", "care_and_support_plan", "care_and_support_plan", "home_visit",
              None, "care_and_support_plan", "review"]


def _nlp() -> spacy.Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("notes_qa_plain_language")
    nlp.initialize()
    return nlp


def _result(doc) -> tuple:  # noqa: ANN001
    spans = [(sp.start_char, sp.end_char, get_attrs(sp)) for sp in doc.spans["plain_language"]]
    info = dict(doc.user_data["notes_qa.plain_language"])
    return doc._.plain_language, spans, info


def _docs(nlp: spacy.Language) -> list:
    docs = []
    with nlp.select_pipes(disable=["notes_qa_plain_language"]):
        for text, nt in zip(TEXTS * 3, NOTE_TYPES * 3):
            doc = nlp(text)
            if nt is not None:
                doc._.nqa_context = Context(note_type=nt)
            docs.append(doc)
    return docs


@pytest.mark.parametrize("batch_size", [1, 4, 64])
def test_batch_pipe_equals_one_doc_at_a_time(batch_size: int) -> None:
    nlp = _nlp()
    comp = nlp.get_pipe("notes_qa_plain_language")
    one = [_result(comp(doc)) for doc in _docs(nlp)]
    piped = [_result(doc) for doc in comp.pipe(_docs(nlp), batch_size=batch_size)]
    assert piped == one
    assert any(r[1] for r in one) and one[0][0] is not None and one[3][0] is None


def test_batch_nlp_pipe_uses_the_component_batches() -> None:
    nlp = _nlp()
    assert [d._.plain_language for d in nlp.pipe(TEXTS, batch_size=3)] == \
        [nlp(t)._.plain_language for t in TEXTS]


def test_batch_tokens_rebuild_the_text_and_sentence_starts() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    docs = [nlp(t) for t in TEXTS]
    for doc, toks in zip(docs, doc_tokens(docs)):
        assert toks.text == doc.text
        assert toks.idx == [t.idx for t in doc]
        assert toks.sent_starts == [s.start_char for s in doc.sents][1:]


def test_batch_tokens_use_the_remembered_text_only_when_it_fits() -> None:
    nlp = spacy.blank("en")
    texts = [t for t in TEXTS if t]
    kept = [remember_text(nlp.make_doc(t), t) for t in texts]
    for doc, toks, t in zip(kept, doc_tokens(kept), texts):
        assert toks.text is t  # read, not rebuilt
        assert toks.text == doc.text
    # user data copied onto a Doc of another text: the text is rebuilt from the tokens
    other = [remember_text(nlp.make_doc(t + " Extra words."), t) for t in texts]
    for doc, toks in zip(other, doc_tokens(other)):
        assert toks.text == doc.text and toks.text.endswith("Extra words.")


def test_batch_candidates_match_the_per_doc_lookup() -> None:
    nlp = spacy.blank("en")
    res = default_resources()
    first = [nlp(t) for t in TEXTS]
    # a second batch with words the first did not have (the lookup table grows in between)
    second = [nlp(t.upper() + " w/ appt f/u CIN CP s47 were seen") for t in TEXTS]
    for batch in (first, second, first + second):
        for doc, toks in zip(batch, doc_tokens(batch, res)):
            plain = _candidates(doc, doc_tokens([doc])[0], res)
            assert toks.cands == plain
    assert any(t.cands for t in doc_tokens(second, res))


def test_batch_fast_you_we_regex_matches_the_plain_one() -> None:
    text = " ".join(TEXTS) + (" you're yourselves YOURS Yourself we We us US our Our I Im "
                              "me Me my my_ émy meé Iyou _you 1you you1 thank-you it's-me yourſ")
    slow = _YOU_WE_RE.findall(text)
    fast = _YOU_WE_FAST_RE.findall(text)
    assert len(fast) == len(slow) > 20
    assert [bool(x) for x in fast] == [bool(x) for x in slow]


def test_batch_word_counts_do_not_depend_on_the_batch() -> None:
    """Word counts are sums of whole numbers: the same for a Doc alone or in any batch."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    docs = [nlp(t) for t in TEXTS if t.strip(". ")]
    res = default_resources()
    alone = [analyse(d, res) for d in docs]
    batch = [analyse_text(d, res) for d in docs]
    count_words(batch)
    for a, b in zip(alone, batch):
        assert (a.n_words, a.n_syll, a.n_letters, a.n_types, a.zipf_sum, a.zipf_content_sum) == \
            (b.n_words, b.n_syll, b.n_letters, b.n_types, b.zipf_sum, b.zipf_content_sum)
        words = a.words_lower
        assert a.n_types == len(set(words)) and a.n_words == len(words)
        # the Zipf sums are the exact tenths the table holds, summed in order
        assert a.zipf_sum == pytest.approx(sum(
            a.table.matrix()[i, 4] / 10 for i in a.word_ids), abs=1e-9)


def test_batch_text_cut_mid_chunk_by_a_sentence_start() -> None:
    """A sentence start inside a whitespace-free chunk cuts the chunk's words there."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    doc = nlp("Mum's well-known dog barked.Then we left early")
    a = analyse(doc)
    expected = []
    for s, e, n in a.units:
        ws = re.findall(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)*(?:-[A-Za-z0-9]+(?:['’][A-Za-z]+)*)*",
                        doc.text[s:e])
        assert len(ws) == n
        expected += ws
    assert len(expected) == a.n_words


def _in_caps_run_plain(text: str, s: int, e: int) -> bool:
    """The plain form of ``_in_caps_run`` (split both 30-character windows into words)."""
    left = text[max(0, s - 30):s].split()
    right = text[e:e + 30].split()
    neighbours = [w for w in (left[-1:] + right[:1]) if any(map(str.isalpha, w))]
    if not neighbours:
        return False
    for w in neighbours:
        w = w.strip(".,:;!?()'\"")
        if not (w.isupper() and len(w) > 1):
            return False
    return True


def test_batch_caps_run_check_matches_the_plain_one() -> None:
    from notes_qa.plain_language.analysis import _in_caps_run

    texts = [
        "REVIEW OF CIN PLAN TODAY", "the CIN plan", "(CIN) review", "CIN", " CIN ", "A CIN B",
        "NOTE: CIN. MEETING", "Sam's CIN-plan", "12 CIN 34", "- CIN -", "\"LAC\" CIN 'PLO'",
        "X CIN Y", "ÉCOLE CIN ÉTÉ", "école CIN", "a\tCIN\nB", "w/ CIN (REVIEW)", "CIN,", "IT CIN",
        "...CIN...", "VERY-LONG-HEADING-WORD-WITHOUT-SPACES-HERE CIN OK", "x" * 40 + " CIN",
        "A" * 35 + "CIN" + "B" * 35, "    CIN    ", "PLAN: CIN; PLO!", "?? CIN ??", "2025 CIN 2026",
    ]
    checked = 0
    for text in texts:
        for m in re.finditer(r"CIN", text):
            assert _in_caps_run(text, *m.span()) == _in_caps_run_plain(text, *m.span()), text
            checked += 1
    assert checked >= len(texts)
    assert _in_caps_run("REVIEW OF CIN PLAN", 10, 13) and not _in_caps_run("the CIN plan", 4, 7)


def test_batch_type_counts_survive_a_word_table_restart() -> None:
    """``n_types`` counts distinct lower-cased words, also after the table starts afresh."""
    from notes_qa.plain_language.analysis import WordTable

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    res = default_resources()
    table = WordTable(res, limit=12)
    texts = ["Sam SAM sam Sam's the The THE.", "New words here: Alpha alpha ALPHA beta Beta.",
             "More new words again and again, then The end."]
    sizes = []
    for text in texts * 2:
        table.check_limit()
        sizes.append(len(table))
        a = analyse_text(nlp(text), res, table=table)
        count_words([a])
        assert a.n_types == len(set(a.words_lower)) > 2
    assert any(b < a for a, b in zip(sizes, sizes[1:]))  # it did start afresh


def test_batch_lowered_regexes_find_what_the_ignorecase_ones_find() -> None:
    import copy

    from notes_qa.plain_language.analysis import _lowered

    res = default_resources()
    plain = copy.copy(res)
    plain.term_re_lower = plain.passive_re_lower = None  # always the IGNORECASE regexes
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    extra = ["CONTACT was ARRANGED. Family Time IS Seen as Direct Work; it’s being Reviewed.",
             "The Core Group was held – “Statutory Visit” was Completed.",
             # "ſ" folds to "s" under IGNORECASE: the IGNORECASE regexes are used
             "Contact waſ arranged: the ſtatutory viſit was ſeen.",
             "Café: the Child In Need plan was agreed and the strategy meeting was held."]
    assert _lowered(extra[1]) is not None and _lowered(extra[2]) is None
    for t in TEXTS + extra:
        doc = nlp(t)
        for part in [doc, *doc.sents]:  # a Doc, and Spans (their text is a slice of the Doc's)
            fast, slow = analyse(part, res), analyse(part, plain)
            assert fast.passive == slow.passive and fast.jargon == slow.jargon
    assert analyse(nlp(extra[0]), res).jargon and analyse(nlp(extra[0]), res).passive


def test_batch_lowered_regexes_are_not_built_for_forms_differing_by_case_alone() -> None:
    from notes_qa.plain_language.lexicon import _case_distinct

    # under IGNORECASE "Contact" (tried first) would match "contact visit" short
    assert not _case_distinct(["Contact", "contact visit"])
    assert _case_distinct(["contact", "contact visit", "core group", "LAC review"])
    assert not _case_distinct(["contact", "Core group"])  # conservative: tried in turn


def test_batch_candidate_table_starts_afresh_without_losing_a_batch() -> None:
    from notes_qa.plain_language.analysis import _OrthMasks, _orth_mask, _token_masks

    nlp = spacy.blank("en")
    res = default_resources()
    by_word = _token_masks(res)
    table = _OrthMasks(by_word, nlp.vocab.strings, limit=12)
    for t in TEXTS + [" ".join(TEXTS).upper()]:
        doc = nlp(t)
        orth = doc.to_array("ORTH")
        want = [_orth_mask(tok.text, by_word) for tok in doc]
        assert table.lookup(orth).tolist() == want  # right whether the table grew or restarted
    assert len(table.table[0]) <= max(12, len(set(orth.tolist())))
