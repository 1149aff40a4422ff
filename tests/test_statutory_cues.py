"""Cues (literal-anchored cue unions) give exactly the results of the plain regex union."""
from __future__ import annotations

import re

import pytest

from notes_qa.statutory.ruleset import Cues, _union, literal_anchors, load_rule_set

TEXTS = [
    "cai lives with mum and is 9. she is (7) and attends school; a 12-year-old brother.",
    "home visit: cai seen alone in his room. no reply at first. placed with foster carers.",
    "s.47 strategy discussion; s 47 enquiries; child protection plan ended. icpc booked.",
    "dad says he wants cai home. parents would like help. risk of harm if nothing changes.",
    "", "x", "unrelated words only here",
]


def test_statutory_cues_literal_anchors_cover_optional_and_branches() -> None:
    assert set(literal_anchors(r"\blives? (?:with|in)\b") or ()) == {"live in", "live with", "lives in", "lives with"}
    assert set(literal_anchors(r"\b(?:name )?(?:placed|added) on") or ()) >= {"placed on", "added on"}
    assert literal_anchors(r"\b\d{1,2} years") is None
    assert literal_anchors(r"\bStaying Put\b", 0) is None  # case-sensitive: not anchored


@pytest.mark.parametrize("rules", ["wales", "england"])
def test_statutory_cues_equal_regex_union_on_every_cue_list(rules: str) -> None:
    rs = load_rule_set(rules)
    cues = [r.include for r in rs.kinds.values() if r.include] + [r.exclude for r in rs.kinds.values() if r.exclude]
    cues += [p for _k, _l, p in rs.compiled.get("elements", []) if p]
    cues += [p for p in rs.compiled.get("categories", {}).values() if p]
    cues += [rs.compiled[k] for k in ("dev", "outcome", "parent", "seen_neg", "adv_child", "adv_parent", "ao")
             if rs.compiled.get(k)]
    assert len(cues) > 20
    for c in cues:
        for t in TEXTS:
            a, b = c.search(t), c.regex.search(t)
            assert (a and a.span()) == (b and b.span()), (c.pattern[:60], t)
            assert c.test(t) == (b is not None)
            assert [m.span() for m in c.finditer(t, 3, 60)] == [m.span() for m in c.regex.finditer(t, 3, 60)]


def test_statutory_cues_unanchored_alternatives_still_found() -> None:
    pats = [r"\bbarrier", r"\b\d{1,2}[- ]years?[- ]old\b"]
    c = Cues(pats)
    assert c.rest is not None and c.anchors == ("barrier",)
    u = _union(pats)
    assert u is not None
    for t in ["a 9-year-old", "9 years old barrier", "barriers then 10 year old", "none"]:
        assert (c.search(t) and c.search(t).span()) == (u.search(t) and u.search(t).span())
    assert isinstance(c.regex, re.Pattern)
