"""Rule sets for the statutory checks: JSON data (``rules/wales.json``, ``rules/england.json``)
validated and compiled once.

``RuleSet.from_dict`` rejects unknown keys (a misspelt key would otherwise silently switch a
check off). Regexes are compiled case-insensitive unless a term says ``"case_sensitive": true``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..resources import load_json

RULES_PACKAGE = "notes_qa.statutory.rules"
BUILTIN = {"wales": "wales.json", "england": "england.json"}

_TOP_KEYS = {"name", "jurisdiction", "provenance", "entry_kinds", "checks"}
_CHECK_KEYS = {"assessment", "visits", "concerns", "jurisdiction", "advocacy", "active_offer"}
#: Header kinds, in scan order (earlier wins where two kinds' cues overlap in a header).
KIND_ORDER = ("placement_start", "conference_start", "conference_end", "visit", "assessment",
              "response", "contact", "plan_or_review")
_KIND_KEYS = {"visit", "assessment", "contact", "response", "plan_or_review", "placement_start",
              "placement_start_body", "conference_start", "conference_end"}


class RulesError(ValueError):
    """A rules file that does not follow the schema."""


def _union(patterns: list[str], flags: int = re.IGNORECASE) -> re.Pattern[str] | None:
    """One alternation of all patterns (one scan per text), or None when empty.

    Patterns that start with ``\\b`` share one leading ``\\b`` so that the engine rejects
    mid-word positions once instead of once per alternative (several times faster).
    """
    if not patterns:
        return None
    gated = [p[2:] for p in patterns if p.startswith("\\b")]
    rest = [p for p in patterns if not p.startswith("\\b")]
    parts = []
    if gated:
        parts.append("\\b(?:" + "|".join(f"(?:{p})" for p in gated) + ")")
    parts += [f"(?:{p})" for p in rest]
    return re.compile("|".join(parts), flags)


def _reject_unknown(d: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = set(d) - allowed
    if unknown:
        raise RulesError(f"unknown key(s) {sorted(unknown)} in {where}; allowed: {sorted(allowed)}")


@dataclass
class KindRule:
    """Which entries are of a kind: any ``include`` matches and no ``exclude`` does."""

    include: re.Pattern[str] | None
    exclude: re.Pattern[str] | None
    include_src: list[str] = field(default_factory=list)
    #: Lower-case substrings, one of which must occur before the regex is tried (speed).
    literals: tuple[str, ...] = ()
    literal_re: re.Pattern[str] | None = None

    @classmethod
    def from_dict(cls, d: dict[str, Any], where: str) -> "KindRule":
        _reject_unknown(d, {"include", "exclude", "literals", "note"}, where)
        inc = list(d.get("include", []))
        rule = cls(_union(inc), _union(d.get("exclude", [])), inc, tuple(d.get("literals", ())))
        rule.literal_re = re.compile("|".join(map(re.escape, rule.literals))) if rule.literals else None
        return rule

    def match(self, text: str) -> re.Match[str] | None:
        """``text`` is lower-case when ``literals`` are given."""
        if self.include is None:
            return None
        if self.literal_re is not None and self.literal_re.search(text) is None:
            return None
        m = self.include.search(text)
        if m and self.exclude is not None and self.exclude.search(text):
            return None
        return m


@dataclass
class Term:
    """One jurisdiction-specific term and its suggestion."""

    id: str
    pattern: re.Pattern[str]
    suggestion: str
    citation: str
    advisory: bool = False
    literals: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Term":
        _reject_unknown(d, {"id", "patterns", "case_sensitive", "suggestion", "citation", "advisory",
                            "literals"}, f"jurisdiction term {d.get('id')!r}")
        flags = 0 if d.get("case_sensitive") else re.IGNORECASE
        pat = _union(d["patterns"], flags)
        if pat is None:
            raise RulesError(f"jurisdiction term {d.get('id')!r} has no patterns")
        return cls(d["id"], pat, d["suggestion"], d.get("citation", ""), bool(d.get("advisory")),
                   tuple(x.lower() for x in d.get("literals", ())))


def number(d: dict[str, Any] | None, default: float) -> float:
    """The ``value`` of a cited number object (``{"value": 42, "citation": ...}``)."""
    if not d:
        return default
    return d.get("value", default)


@dataclass
class RuleSet:
    """A validated rule set: raw data plus compiled patterns."""

    name: str
    jurisdiction: str
    provenance: dict[str, Any]
    kinds: dict[str, KindRule]
    checks: dict[str, dict[str, Any]]
    compiled: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "RuleSet":
        _reject_unknown(d, _TOP_KEYS, "rules file")
        if "provenance" not in d:
            raise RulesError("rules file has no 'provenance'")
        kinds_raw = d.get("entry_kinds", {})
        _reject_unknown(kinds_raw, _KIND_KEYS, "entry_kinds")
        kinds = {k: KindRule.from_dict(v, f"entry_kinds.{k}") for k, v in kinds_raw.items()}
        for k in _KIND_KEYS - set(kinds):
            kinds[k] = KindRule(None, None)
        checks = d.get("checks", {})
        _reject_unknown(checks, _CHECK_KEYS, "checks")
        rs = cls(d.get("name", "custom"), d.get("jurisdiction", ""), d["provenance"], kinds, checks)
        rs._compile()
        return rs

    def enabled(self, check: str) -> bool:
        c = self.checks.get(check)
        return bool(c) and c.get("enabled", True)

    def _compile(self) -> None:
        c: dict[str, Any] = {}
        a = self.checks.get("assessment")
        if a:
            c["elements"] = [(e["key"], e["label"], _union(e["cues"])) for e in a.get("elements", [])]
            duties = a.get("child_duties")
            if duties:
                c["dev"] = _union(duties.get("developmental_cues", []))
                c["outcome"] = _union(duties.get("outcome_cues", []))
                c["parent"] = _union(duties.get("parent_words", []))
        v = self.checks.get("visits")
        if v:
            seen = v.get("child_seen", {})
            c["seen_neg"] = _union(seen.get("negative", []))
            c["seen_word"] = re.compile(seen.get("seen_word", r"\bseen\b"), re.IGNORECASE)
            c["subject_words"] = [w.lower() for w in seen.get("subject_words", [])]
            lac = v.get("looked_after", {})
            c["long_term"] = _union(lac.get("long_term_cues", []))
            c["long_term_lit"] = tuple(lac.get("long_term_literals", ()))
            cp = v.get("child_protection", {})
            c["plan_freq"] = [re.compile(p, re.IGNORECASE) for p in cp.get("plan_frequency_patterns", [])]
        k = self.checks.get("concerns")
        if k:
            c["categories"] = {name: _union(pats) for name, pats in k.get("categories", {}).items()}
        j = self.checks.get("jurisdiction")
        if j:
            c["terms"] = [Term.from_dict(t) for t in j.get("terms", [])]
        adv = self.checks.get("advocacy")
        if adv:
            c["adv_child"] = _union(adv.get("child_offer", []))
            c["adv_parent"] = _union(adv.get("parent_offer", []))
            c["adv_neg"] = re.compile(adv["negation"], re.IGNORECASE) if adv.get("negation") else None
            c["adv_lit"] = tuple(adv.get("literals", ()))
        ao = self.checks.get("active_offer")
        if ao:
            c["ao"] = _union(ao.get("patterns", []))
            c["ao_neg"] = re.compile(ao["negation"], re.IGNORECASE) if ao.get("negation") else None
            c["ao_lit"] = tuple(ao.get("literals", ()))
        self.compiled = c


_CACHE: dict[str, RuleSet] = {}


def load_rule_set(rules: str | Path | dict[str, Any] | RuleSet | None = "wales") -> RuleSet:
    """``"wales"`` (also ``"default"``/None), ``"england"``, a path to a rules JSON, or a dict."""
    if isinstance(rules, RuleSet):
        return rules
    if isinstance(rules, dict):
        return RuleSet.from_dict(rules)
    key = "wales" if rules in (None, "default") else str(rules)
    if key in _CACHE:
        return _CACHE[key]
    if key.lower() in BUILTIN:
        data = load_json(RULES_PACKAGE, BUILTIN[key.lower()])
    else:
        p = Path(key)
        if not p.exists():
            raise RulesError(f"unknown rule set {key!r}: use 'wales', 'england' or a path to a JSON file")
        import json
        data = json.loads(p.read_text(encoding="utf-8"))
    rs = RuleSet.from_dict(data)
    _CACHE[key] = rs
    return rs
