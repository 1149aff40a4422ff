"""Summary values and findings: pure functions of a record's entries and spans.

Each analyser room contributes its own findings through ``ROOM_FINDINGS``; the statutory checks
run last, with the chosen rule set.
"""
from __future__ import annotations

import importlib
from typing import Callable

from .records import CaseRecord, Finding

#: Note types that count as direct work with the child (for ``child_voice_coverage``).
DIRECT_WORK_TYPES = frozenset({
    "home_visit", "school_visit", "visit", "statutory_visit", "direct_work", "direct_work_session",
    "placement_visit", "unannounced_visit", "joint_visit", "child_seen", "meeting_with_child",
    "looked_after_visit", "lac_visit", "cla_visit", "cp_visit", "child_protection_visit",
    "visit_to_child", "nursery_visit", "hospital_visit", "office_visit", "life_story_work",
})

#: "module:function" taking a CaseRecord and returning findings, run in this order.
ROOM_FINDINGS: tuple[str, ...] = (
    "notes_qa.voice.results:case_findings",
    "notes_qa.decisions.results:case_findings",
    "notes_qa.siblings.results:case_findings",
    "notes_qa.plain_language.results:case_findings",
)


def is_direct_work(note_type: str | None) -> bool:
    """Whether an entry of this type is contact with the child (visits, direct work)."""
    if not note_type:
        return False
    return note_type in DIRECT_WORK_TYPES or note_type.endswith("_visit")


def is_plan(note_type: str | None) -> bool:
    """Plan entries, as the contract defines them."""
    return bool(note_type) and (note_type == "plan" or note_type.endswith("_plan"))


def child_voice_coverage(record: CaseRecord) -> float | None:
    """Share of direct-work entries with at least one ``child_voice`` span (None if none)."""
    direct = [i for i, e in enumerate(record.entries) if is_direct_work(e.note_type)]
    if not direct:
        return None
    with_voice = {s.entry for s in record.spans if s.label == "child_voice"}
    return round(sum(i in with_voice for i in direct) / len(direct), 4)


def rationale_coverage(record: CaseRecord) -> float | None:
    """Share of ``decision`` spans with ``has_rationale`` true (None if no decisions)."""
    decisions = [s for s in record.spans if s.label == "decision"]
    if not decisions:
        return None
    return round(sum(bool(s.attrs.get("has_rationale")) for s in decisions) / len(decisions), 4)


def sibling_copy_share(record: CaseRecord) -> float | None:
    """Share of this child's characters inside non-background ``sibling_copy`` spans.

    None when the file was not compared with any sibling.
    """
    if not record.extra.get("siblings_compared"):
        return None
    total = sum(len(t) for t in record.sources.values())
    if not total:
        return None
    covered: dict[str, list[tuple[int, int]]] = {}
    for s in record.spans:
        if s.label == "sibling_copy" and s.attrs.get("kind") != "shared_background":
            covered.setdefault(record.entries[s.entry].source, []).append((s.start, s.end))
    chars = 0
    for ivs in covered.values():
        ivs.sort()
        cur_s, cur_e = None, None
        for a, b in ivs:
            if cur_e is None or a > cur_e:
                if cur_e is not None:
                    chars += cur_e - cur_s
                cur_s, cur_e = a, b
            else:
                cur_e = max(cur_e, b)
        if cur_e is not None:
            chars += cur_e - cur_s
    return round(chars / total, 4)


def plain_language(record: CaseRecord) -> float | None:
    """Mean entry plain-language score over plan entries, else over all scored entries."""
    scored = [e for e in record.entries if "plain_language" in e.scores]
    plans = [e for e in scored if is_plan(e.note_type)]
    pool = plans or scored
    if not pool:
        return None
    return round(sum(e.scores["plain_language"] for e in pool) / len(pool), 1)


def summarise(record: CaseRecord) -> None:
    """Fill ``record.summary`` from the spans and entries."""
    record.summary.update({
        "child_voice_coverage": child_voice_coverage(record),
        "rationale_coverage": rationale_coverage(record),
        "sibling_copy_share": sibling_copy_share(record),
        "plain_language": plain_language(record),
    })


def _resolve(path: str) -> Callable[[CaseRecord], list[Finding]]:
    module, func = path.split(":")
    return getattr(importlib.import_module(module), func)


def finalise(record: CaseRecord, rules: str = "wales") -> CaseRecord:
    """Summary, room findings and statutory findings, in that order."""
    from .statutory import check_case

    summarise(record)
    for path in ROOM_FINDINGS:
        record.findings.extend(_resolve(path)(record))
    record.findings.extend(check_case(record, rules=rules))
    return record


def entry_date_phrase(record: CaseRecord, i: int | None) -> str:
    """'on 2025-03-19' or 'in an undated entry' for finding messages."""
    if i is None:
        return ""
    d = record.entries[i].date
    return f"on {d}" if d else f"in undated entry {i + 1}"
