"""Case-level findings of the family step: heavy copying, name leaks, a file about a sibling."""
from __future__ import annotations

from ..findings import entry_date_phrase, sibling_copy_share
from ..records import CaseRecord, Finding
from .config import load_thresholds


def case_findings(record: CaseRecord) -> list[Finding]:
    """``sibling_copy_heavy``, ``name_leak`` and ``file_about_sibling`` for one compared record."""
    if not record.extra.get("siblings_compared"):
        return []
    th = load_thresholds()
    out: list[Finding] = []
    share = record.summary.get("sibling_copy_share")
    if share is None:
        share = sibling_copy_share(record)
    copies = [(k, s) for k, s in enumerate(record.spans)
              if s.label == "sibling_copy" and s.attrs.get("kind") != "shared_background"]
    if share is not None and share >= th.copy_heavy_warning and copies:
        names = record.extra.get("sibling_names", {})
        sibs = sorted({names.get(cid) or _sibling_label(cid)
                       for cid in (s.attrs.get("match", {}).get("case_id") for _, s in copies)})
        by_entry: dict[int, int] = {}
        for _, s in copies:
            by_entry[s.entry] = by_entry.get(s.entry, 0) + (s.end - s.start)
        worst = max(by_entry, key=by_entry.get)
        out.append(Finding(
            code="sibling_copy_heavy",
            severity="concern" if share >= th.copy_heavy_concern else "warning",
            message=(f"{share:.0%} of this file also stands, word for word or nearly, in "
                     f"{_join(sibs)}'s file (most in the entry {entry_date_phrase(record, worst)}). "
                     f"Check that this child's own needs, views and plan are recorded."),
            entry=worst, spans=[k for k, _ in copies],
            extra={"share": share, "threshold": th.copy_heavy_warning}))
    for k, s in enumerate(record.spans):
        if s.label != "name_leak":
            continue
        sib = s.attrs.get("sibling")
        who = f"{sib}'s" if sib else "a sibling's"
        what = {"sibling_name": f"{who} name", "pronoun": f"{who} pronoun '{s.text}'",
                "age": f"{who} age or date of birth ('{s.text}')"}.get(s.attrs.get("kind"), s.text)
        out.append(Finding(
            code="name_leak", severity="concern" if s.attrs.get("score", 0) >= 0.8 else "warning",
            message=(f"The entry {entry_date_phrase(record, s.entry)} seems to carry {what} "
                     f"where {record.meta.child_name or 'this child'} is meant: {s.attrs.get('detail', '')}."),
            entry=s.entry, spans=[k]))
    focus = record.extra.get("focus") or {}
    attributed = focus.get("attributed_chars", 0)
    sib_share, self_share = focus.get("about_siblings", 0.0), focus.get("about_self", 0.0)
    denom = sib_share + self_share + focus.get("about_adults", 0.0)
    if attributed >= th.focus_min_attributed_chars and denom > 0:
        rel = sib_share / denom
        if rel >= th.focus_sibling_share_warning and sib_share > self_share:
            out.append(Finding(
                code="file_about_sibling", severity="warning",
                message=(f"Only {self_share:.0%} of this file is about "
                         f"{record.meta.child_name or 'the child'}; {sib_share:.0%} is about a sibling. "
                         f"The child's own needs may be lost in the family picture."),
                extra={"about_self": self_share, "about_siblings": sib_share}))
    return out


def _sibling_label(case_id: str | None) -> str:
    if not case_id:
        return "a sibling"
    return case_id.rsplit("/", 1)[-1]


def _join(names: list[str]) -> str:
    if len(names) <= 1:
        return names[0] if names else "a sibling"
    return ", ".join(names[:-1]) + " and " + names[-1]
