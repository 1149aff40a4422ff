"""Statutory-practice checks for Wales (default) and England, kept as data.

``check_case(record, rules="wales")`` is called last by ``notes_qa.findings.finalise`` and returns
findings with these codes (Wales rule set): ``assessment_missing_elements``, ``visit_overdue``,
``accumulating_concerns``, ``english_legislation_in_wales``, ``advocacy_offer_not_recorded`` and
``active_offer_not_recorded`` (plus info-level ``assessment_child_duties_not_evidenced``,
``advocacy_offer_partly_recorded`` and ``jurisdiction_term_advisory``). Jurisdiction terms are
also added to the record as evidence: ``plain_language`` spans of ``kind`` ``jurisdiction_term``
(attrs ``term``, ``suggestion``), the contract's span labels being a fixed vocabulary.

``rules`` is ``"wales"``, ``"england"``, a path to a rules JSON, or a loaded ``RuleSet``.
"""
from __future__ import annotations

from pathlib import Path

from ..records import CaseRecord, Finding
from .checks import child_seen, normalise_status, plan_frequency, run_all
from .ruleset import RuleSet, RulesError, load_rule_set


def check_case(record: CaseRecord, rules: str | Path | RuleSet | None = "wales") -> list[Finding]:
    """Statutory findings for one scored case record (may add evidence spans to it)."""
    return run_all(record, load_rule_set(rules))


__all__ = ["check_case", "load_rule_set", "RuleSet", "RulesError", "child_seen",
           "normalise_status", "plan_frequency"]
