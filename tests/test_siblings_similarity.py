"""Tests for the family step's document similarity (notes_qa.siblings.similarity)."""
from __future__ import annotations

import pytest

from notes_qa.records import CaseRecord, ChildMeta, Entry
from notes_qa.siblings import compare_family, text_similarity
from notes_qa.siblings.similarity import Profile, containment, document_similarity, stem

PLAN = ("Plan: the school nurse will complete a health check by the end of March, and the family "
        "support worker will visit every Tuesday to help with the morning routine.")
#: PLAN reworded: no run of four words survives, but the content words do.
PARAPHRASE = ("The family support worker is to call round each Tuesday, helping with mornings, and "
              "a health check will be completed by the school nurse before March ends.")
UNRELATED = ("Rhys scored two goals at football practice and talked about his grandmother's dog, "
             "who had puppies last week in the shed behind the allotments.")


def one_entry(child: str, body: str) -> CaseRecord:
    src = f"fam/{child}.txt"
    return CaseRecord(case_id=f"fam/{child}", meta=ChildMeta(child_id=child, child_name=child,
                                                             family_id="fam"),
                      sources={src: body}, entries=[Entry(source=src, start=0, end=len(body),
                                                          body_start=0)])


def test_siblings_similarity_copied_text_scores_one() -> None:
    s = text_similarity(PLAN, "Some other words first. " + PLAN + " And more after it.")
    assert s is not None
    assert s.coverage == 1.0 and s.score == 1.0


def test_siblings_similarity_orders_reuse_levels() -> None:
    edited = PLAN.replace("every Tuesday", "every Thursday afternoon").replace("by the end of", "before")
    cut = text_similarity(PLAN, PLAN)
    light = text_similarity(edited, PLAN)
    heavy = text_similarity(PARAPHRASE, PLAN)
    non = text_similarity(UNRELATED, PLAN)
    assert cut and light and heavy and non
    assert cut.score > light.score > heavy.score > non.score
    # the paraphrase has no aligned passage: only the soft part sees it
    assert heavy.coverage == 0.0 and heavy.containment > 0.3
    assert non.score < 0.15


def test_siblings_similarity_is_asymmetric_containment() -> None:
    short, long_ = PLAN, PLAN + " " + UNRELATED
    a, b = text_similarity(short, long_), text_similarity(long_, short)
    assert a and b and a.score == 1.0 and b.score < 0.75


def test_siblings_similarity_undefined_without_words() -> None:
    assert text_similarity("  ... ", PLAN) is None
    assert containment(Profile.of_words([], 17.0), Profile.of_words(["x"], 17.0)) is None


def test_siblings_similarity_coverage_counts_overlaps_once() -> None:
    words = [f"w{i}" for i in range(10)]
    a, b = Profile.of_words(words, 17.0), Profile.of_words(["other"], 17.0)
    s = document_similarity(a, b, [(0, 6, 1.0), (4, 10, 0.5)])
    assert s is not None and s.coverage == pytest.approx(0.6 + 0.4 * 0.5)


def test_siblings_similarity_containment_only_of_the_rest() -> None:
    # the covered words w0..w4 are in B; the rest is not: containment of the rest is 0
    a = Profile.of_words([f"w{i}" for i in range(10)], 17.0)
    b = Profile.of_words([f"w{i}" for i in range(5)], 17.0)
    assert containment(a, b) == pytest.approx(0.5)
    s = document_similarity(a, b, [(0, 5, 1.0)])
    assert s is not None and s.containment == 0.0 and s.score == 0.5


def test_siblings_similarity_common_words_weigh_less() -> None:
    # half of A's word types are shared ("the", "of", "and"), none of its content words
    a = Profile.of_words("the report of the nurse and the plan".split(), 17.0)
    b = Profile.of_words("the outcome of the review and the meeting".split(), 17.0)
    c = containment(a, b)
    assert c is not None and c < 0.35


def test_siblings_similarity_stem_conflates_inflections() -> None:
    assert stem("computing") == stem("computed") == stem("computes") == stem("compute")
    assert stem("visits") == stem("visit")
    assert stem("dog") == "dog"


def test_siblings_family_records_pair_similarity_both_ways() -> None:
    a = one_entry("Mia", "Mia was cheerful today and showed me her drawings. " + PLAN)
    b = one_entry("Leo", "Leo showed me his new bike. " + PLAN)
    c = one_entry("Cai", UNRELATED)
    compare_family([a, b, c])
    sa, sb = a.extra["sibling_similarity"], b.extra["sibling_similarity"]
    assert set(sa) == {"fam/Leo", "fam/Cai"} and set(sb) == {"fam/Mia", "fam/Cai"}
    assert 0.5 < sa["fam/Leo"]["score"] <= 1.0 and sa["fam/Leo"]["coverage"] > 0.5
    assert sa["fam/Cai"]["score"] < 0.2 and sa["fam/Cai"]["coverage"] == 0.0
    assert sb["fam/Mia"]["score"] > sb["fam/Cai"]["score"]
