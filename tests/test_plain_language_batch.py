"""notes_qa_plain_language over batches: ``pipe`` gives exactly what one Doc at a time gives,
and the fast paths (rebuilt text, one-scan regexes, whole-number word counts) agree with the
plain computations they replace."""
from __future__ import annotations

import re

import pytest
import spacy

import notes_qa.plain_language.component  # noqa: F401
from notes_qa.plain_language.analysis import (_YOU_WE_FAST_RE, _YOU_WE_RE, analyse, count_words,
                                              analyse_text, doc_tokens)
from notes_qa.plain_language.lexicon import default_resources
from notes_qa.spacy_ext import Context, get_attrs

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
        assert "".join(toks.pieces) == doc.text
        assert toks.idx == [t.idx for t in doc]
        assert toks.sent_starts == [s.start_char for s in doc.sents][1:]


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
