"""Tests for the family step (notes_qa.siblings): copies, background, leaks, lone child."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from notes_qa.records import CaseRecord, ChildMeta, Entry
from notes_qa.siblings import compare_family, compare_texts
from notes_qa.siblings.config import ConfigError, Thresholds, load_thresholds
from notes_qa.siblings.results import case_findings

BACKGROUND = ("Family background: Carys Morgan (38) lives with her partner Dai Price and the children "
              "at 4 Heol y Felin, Aberllyn. The children's father, Gareth Morgan, moved to Cardiff in "
              "2021 and has monthly contact.")
OBS_MIA = ("Mia was sitting at the kitchen table drawing a picture of the caravan at Tenby, and she "
           "told me she misses her swimming lessons at the leisure centre on Saturdays.")
PLAN = ("Plan: the school nurse will complete a health check by the end of March, and the family "
        "support worker will visit every Tuesday to help with the morning routine.")


def rec(child: str, gender: str, age: int, entries: list[tuple[str, str]]) -> CaseRecord:
    """A record whose entries are 'DATE Home visit' headers followed by a body."""
    parts, ents, pos = [], [], 0
    src = f"fam/{child}.txt"
    for d, body in entries:
        header = f"{d} Home visit\n"
        block = header + body
        ents.append(Entry(source=src, start=pos, end=pos + len(block), date=d, note_type="home_visit",
                          body_start=pos + len(header)))
        parts.append(block)
        pos += len(block) + 2
    text = "\n\n".join(parts)
    meta = ChildMeta(child_id=child, child_name=child, family_id="fam", gender=gender, age=age)
    return CaseRecord(case_id=f"fam/{child}", meta=meta, sources={src: text}, entries=ents)


def spans(r: CaseRecord, label: str) -> list:
    return [s for s in r.spans if s.label == label]


def check_offsets(r: CaseRecord) -> None:
    for s in r.spans:
        assert r.sources[r.entries[s.entry].source][s.start:s.end] == s.text


def test_siblings_verbatim_copy_is_found_in_both_files() -> None:
    a = rec("Mia", "female", 9, [("2025-03-01", "Mia was cheerful today. " + PLAN)])
    b = rec("Leo", "male", 6, [("2025-03-02", "Leo showed me his new bike. " + PLAN)])
    compare_family([a, b])
    for r, other in ((a, b), (b, a)):
        (s,) = spans(r, "sibling_copy")
        assert s.attrs["kind"] == "verbatim" and s.attrs["similarity"] == 1.0
        assert s.text == PLAN
        m = s.attrs["match"]
        assert m["case_id"] == other.case_id
        assert other.sources[next(iter(other.sources))][m["start"]:m["end"]] == PLAN
        check_offsets(r)
        assert r.extra["siblings_compared"] is True


def test_siblings_light_edit_is_near_verbatim() -> None:
    edited = PLAN.replace("every Tuesday", "every Thursday afternoon").replace("by the end of", "before")
    a = rec("Mia", "female", 9, [("2025-03-01", PLAN)])
    b = rec("Leo", "male", 6, [("2025-03-02", edited)])
    compare_family([a, b])
    (s,) = spans(b, "sibling_copy")
    assert s.attrs["kind"] == "near_verbatim"
    assert 0.6 < s.attrs["similarity"] < 1.0
    assert s.end - s.start >= 0.9 * len(edited)


def test_siblings_family_background_is_shared_background() -> None:
    a = rec("Mia", "female", 9, [("2025-03-01", BACKGROUND + "\nMia was quiet today.")])
    b = rec("Leo", "male", 6, [("2025-03-02", BACKGROUND + "\nLeo was playing with cars.")])
    compare_family([a, b])
    kinds = [s.attrs["kind"] for s in spans(a, "sibling_copy")]
    assert kinds == ["shared_background"]
    assert case_findings(a) == [] or all(f.code != "sibling_copy_heavy" for f in case_findings(a))


def test_siblings_copied_observation_is_not_background() -> None:
    a = rec("Mia", "female", 9, [("2025-03-01", OBS_MIA)])
    b = rec("Leo", "male", 6, [("2025-03-02", OBS_MIA.replace("Mia", "Leo", 1))])
    compare_family([a, b])
    (s,) = spans(b, "sibling_copy")
    assert s.attrs["kind"] == "near_verbatim"


def test_siblings_common_phrase_below_minimum_length() -> None:
    a = rec("Mia", "female", 9, [("2025-03-01", "Visited the family home. Mia was reading.")])
    b = rec("Leo", "male", 6, [("2025-03-02", "Visited the family home. Leo was asleep.")])
    compare_family([a, b])
    assert spans(a, "sibling_copy") == [] and spans(b, "sibling_copy") == []


def test_siblings_pronoun_left_in_copied_passage_is_a_leak() -> None:
    a = rec("Mia", "female", 9, [("2025-03-01", OBS_MIA)])
    b = rec("Leo", "male", 6, [("2025-03-02", OBS_MIA.replace("Mia", "Leo", 1))])
    compare_family([a, b])
    leaks = spans(b, "name_leak")
    assert leaks and leaks[0].attrs["kind"] == "pronoun" and leaks[0].text.lower() == "she"
    assert spans(a, "name_leak") == []
    f = [f for f in case_findings(b) if f.code == "name_leak"]
    assert f and "2025-03-02" in f[0].message and "Mia" in f[0].message
    check_offsets(b)


def test_siblings_age_left_after_name_is_a_leak() -> None:
    body = "Mia (9) says she would like to join the Brownies and go camping with her friends in the summer."
    a = rec("Mia", "female", 9, [("2025-03-01", body)])
    b = rec("Leo", "male", 6, [("2025-03-02", body.replace("Mia", "Leo").replace("she", "he")
                                .replace("her friends", "his friends"))])
    compare_family([a, b])
    kinds = {s.attrs["kind"] for s in spans(b, "name_leak")}
    assert "age" in kinds
    assert spans(a, "name_leak") == []


def test_siblings_sibling_name_left_as_subject_is_a_leak() -> None:
    src = ("Mia told me she wants to see her dad more often. Mia said she likes the new school bus "
           "driver and enjoys the journey with her friends every morning.")
    copy = src.replace("Mia told me she", "Leo told me he").replace("see her dad", "see his dad")
    a = rec("Mia", "female", 9, [("2025-03-01", src)])
    b = rec("Leo", "male", 6, [("2025-03-02", copy)])
    compare_family([a, b])
    kinds = {s.attrs["kind"] for s in spans(b, "name_leak")}
    assert "sibling_name" in kinds


def test_siblings_wrong_pronoun_without_copy() -> None:
    a = rec("Mia", "female", 9, [("2025-03-01", "Mia was tired.")])
    b = rec("Leo", "male", 6, [("2025-03-02", "Leo was in the garden and she showed me the swing.")])
    compare_family([a, b])
    (s,) = spans(b, "name_leak")
    assert s.attrs["kind"] == "pronoun" and s.attrs["score"] < 0.9


def test_siblings_pronoun_for_another_person_is_not_a_leak() -> None:
    a = rec("Mia", "female", 9, [("2025-03-01", "Mia was tired.")])
    b = rec("Leo", "male", 6, [("2025-03-02", "Leo went to Mum and she gave him a cuddle. "
                                              "Leo said Nerys read to him.")])
    compare_family([a, b])
    assert spans(b, "name_leak") == []


def test_siblings_lone_child_is_not_compared() -> None:
    a = rec("Mia", "female", 9, [("2025-03-01", PLAN)])
    compare_family([a])
    assert a.spans == [] and "siblings_compared" not in a.extra
    assert case_findings(a) == []


def test_siblings_focus_and_heavy_copy_findings() -> None:
    leo_obs = ("Leo was building a tower of red bricks on the living room floor and laughing "
               "whenever it fell over, then he asked for his favourite tractor book.")
    a = rec("Mia", "female", 9, [("2025-03-01", PLAN + " " + leo_obs)])
    b = rec("Leo", "male", 6, [("2025-03-02", PLAN + " " + leo_obs)])
    compare_family([a, b])
    from notes_qa.findings import summarise
    for r in (a, b):
        summarise(r)
    codes = {f.code for f in case_findings(a)}
    assert "sibling_copy_heavy" in codes
    assert "file_about_sibling" in codes
    assert a.extra["focus"]["about_siblings"] > a.extra["focus"]["about_self"]
    assert "file_about_sibling" not in {f.code for f in case_findings(b)}


def test_siblings_compare_texts_finds_passage_in_plain_text() -> None:
    ps = compare_texts("Intro words here. " + PLAN, PLAN + " Other words follow.")
    assert len(ps) == 1 and ps[0].kind == "verbatim"


def test_siblings_thresholds_reject_unknown_keys() -> None:
    with pytest.raises(ConfigError):
        Thresholds.from_dict({"min_tokenz": 3})
    th = load_thresholds()
    assert th.min_tokens >= 5 and th.provenance


DEV = Path(__file__).resolve().parents[2] / "shared" / "dev-set" / "families.jsonl"


@pytest.mark.skipif(not DEV.exists(), reason="dev set not available")
def test_siblings_dev_families_have_no_false_alarms_in_clean_families() -> None:
    import sys
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from siblings_harness import family_records

    for line in DEV.read_text().splitlines():
        fam = json.loads(line)
        recs = family_records(fam)
        compare_family(recs)
        for r in recs:
            check_offsets(r)
            if not fam["copied_passages"]:
                bad = [s for s in r.spans if s.label in ("sibling_copy", "name_leak")
                       and s.attrs.get("kind") != "shared_background"]
                assert bad == []
