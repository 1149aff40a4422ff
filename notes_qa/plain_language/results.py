"""Case-level findings of the plain-language room (plan entries only).

- ``plan_not_plain`` (warning): a plan entry scored below :data:`PLAN_NOT_PLAIN_THRESHOLD`
  (40: between level 2 and level 3 of the five-level scale the score was fitted to), with the
  top three reasons.
- ``plan_actions_without_owner_or_date`` (warning): a plan entry with ``vague_action`` spans.
- ``plan_without_outcomes`` (info): a plan entry that states no outcome (what will be better,
  how we will know).
"""
from __future__ import annotations



from ..findings import entry_date_phrase, is_plan
from ..records import CaseRecord, Finding
from .calibrate import PLAN_NOT_PLAIN_THRESHOLD
from .lexicon import default_resources
from .scorer import REASONS

_REASON_BY_KIND = {"jargon": "jargon_per_100", "unexplained_acronym": "acronyms_per_100",
                   "shorthand": "shorthand_per_100", "vague_action": "vague_action_share",
                   "passive_voice": "passive_share", "long_sentence": "long_sentence_share"}


def case_findings(record: CaseRecord) -> list[Finding]:
    out: list[Finding] = []
    res = default_resources()
    for i, e in enumerate(record.entries):
        if not is_plan(e.note_type):
            continue
        when = entry_date_phrase(record, i)
        idx = [k for k, s in enumerate(record.spans) if s.entry == i and s.label == "plain_language"]
        kinds: dict[str, int] = {}
        for k in idx:
            kind = record.spans[k].attrs.get("kind", "")
            kinds[kind] = kinds.get(kind, 0) + 1
        score = e.scores.get("plain_language")
        if score is not None and score < PLAN_NOT_PLAIN_THRESHOLD:
            ranked = sorted(kinds.items(), key=lambda kv: -kv[1])
            reasons = [REASONS[_REASON_BY_KIND[k]] for k, _ in ranked if k in _REASON_BY_KIND][:3]
            if len(reasons) < 3:
                reasons.append(REASONS["readability"])
            out.append(Finding(
                code="plan_not_plain", severity="warning", entry=i, spans=idx or None,
                message=f"The plan {when} is hard for a family to follow (plain-language score "
                        f"{score:.0f}/100): " + "; ".join(reasons[:3]) + ".",
                extra={"reasons": reasons[:3]}))
        vague = [k for k in idx if record.spans[k].attrs.get("kind") == "vague_action"]
        if vague:
            out.append(Finding(
                code="plan_actions_without_owner_or_date", severity="warning", entry=i, spans=vague,
                message=f"The plan {when} has {len(vague)} action(s) that do not say who will do "
                        "what by when."))
        text = record.entry_text(i)
        if text.strip() and not res.outcome_re.search(text):
            out.append(Finding(
                code="plan_without_outcomes", severity="info", entry=i,
                message=f"The plan {when} does not say what should be better for the child or how "
                        "everyone will know."))
    return out


__all__ = ["case_findings", "PLAN_NOT_PLAIN_THRESHOLD"]
