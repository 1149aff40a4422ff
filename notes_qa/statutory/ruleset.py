"""Rule sets for the statutory checks: JSON data (``rules/wales.json``, ``rules/england.json``)
validated and compiled once.

Cue lists are compiled into ``Cues``: one alternation per list, tried only where one of its
literal prefixes occurs in the lower-cased text (see ``Cues``), which keeps the checks' cost
small next to tokenising the same text.

``RuleSet.from_dict`` rejects unknown keys (a misspelt key would otherwise silently switch a
check off). Regexes are compiled case-insensitive unless a term says ``"case_sensitive": true``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

try:  # the regex parser is private API; without it every pattern simply scans (same results)
    from re import _constants as _sre_c, _parser as _sre_p  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_constants as _sre_c  # type: ignore[no-redef]
    import sre_parse as _sre_p  # type: ignore[no-redef]

from ..records import SPAN_LABELS
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


_ZERO_WIDTH = {_sre_c.AT, _sre_c.ASSERT, _sre_c.ASSERT_NOT}
_REPEATS = {_sre_c.MAX_REPEAT, _sre_c.MIN_REPEAT}
_PREFIX_CAP = 12  # chars of a literal prefix worth keeping
_PREFIX_MAX = 48  # more alternative prefixes than this: not worth anchoring


def _prefixes(seq: list[Any], room: int = _PREFIX_CAP) -> set[str]:
    """Literal strings one of which every match of the parsed ``seq`` starts with (lower-case).

    ``""`` in the result means a match may start with something that is not a literal (a class,
    ``\\d``, ``.``), so the pattern cannot be anchored on literals.
    """
    if not seq or room <= 0:
        return {""}
    op, av = seq[0]
    rest = seq[1:]
    if op in _ZERO_WIDTH:
        return _prefixes(rest, room)
    if op == _sre_c.LITERAL:
        ch = chr(av).lower()
        return {ch + s for s in _prefixes(rest, room - 1)}
    if op == _sre_c.SUBPATTERN:
        return _prefixes(list(av[-1]) + rest, room)
    if op == _sre_c.BRANCH:
        out: set[str] = set()
        for alt in av[1]:
            out = _shrink(out | _prefixes(list(alt) + rest, room))
            if "" in out:
                return out
        return out
    if op in _REPEATS:
        lo, _hi, sub = av
        if lo == 0:
            return _shrink(_prefixes(rest, room) | _prefixes(list(sub) + rest, room))
        return _prefixes(list(sub), room)
    return {""}


def _shrink(found: set[str]) -> set[str]:
    """At most ``_PREFIX_MAX`` prefixes: cut the longest ones (a prefix of a prefix still holds)."""
    while len(found) > _PREFIX_MAX and "" not in found:
        longest = max(map(len, found))
        found = {p[:longest - 1] for p in found}
    return found


def literal_anchors(pattern: str, flags: int = re.IGNORECASE) -> tuple[str, ...] | None:
    """Shortest literal prefixes, one of which starts every match of ``pattern`` (None: none do).

    Anchors are lower-case, so they are found in lower-cased text; without ``re.IGNORECASE``
    (case-sensitive patterns) they are not used.
    """
    if not flags & re.IGNORECASE:
        return None
    try:
        found = _prefixes(list(_sre_p.parse(pattern, flags)))
    except Exception:  # noqa: BLE001 - unusual syntax: just scan
        return None
    if "" in found:
        return None
    keep = [p for p in sorted(found, key=len) if p]
    out: list[str] = []
    for p in keep:  # "live" makes "lives" redundant: one str.find covers both
        if not any(p.startswith(q) for q in out):
            out.append(p)
    return tuple(out)


def _fewest(anchors: set[str], stem: int = 4) -> tuple[str, ...]:
    """Fewer anchors to find: those sharing their first ``stem`` chars become the shared prefix
    ("lives with", "living with" -> "livi"/"live" -> one ``str.find`` each), and an anchor that
    starts with another is dropped."""
    groups: dict[str, list[str]] = {}
    for a in anchors:
        groups.setdefault(a[:stem], []).append(a)
    cut = set()
    for key, members in groups.items():
        if len(members) == 1:
            cut.add(members[0])
        else:
            p = members[0]
            for m in members[1:]:
                while not m.startswith(p):
                    p = p[:-1]
            cut.add(p)
    ordered = sorted(cut, key=len)
    return tuple(a for i, a in enumerate(ordered) if not any(a.startswith(b) for b in ordered[:i]))


class Cues:
    """A union of cue regexes for LOWER-CASE text, found by ``str.find`` of literal anchors.

    Results equal ``union.search``/``finditer`` (leftmost match, alternatives in order): every
    match of an anchored alternative starts where one of its literal prefixes occurs, so the
    union is tried only there (C-speed ``str.find``; a regex scan of every position of every
    entry is several times the checks' whole budget). Alternatives with no literal prefix are
    scanned as usual.
    """

    __slots__ = ("regex", "anchors", "rest", "pattern")

    def __init__(self, patterns: list[str], flags: int = re.IGNORECASE) -> None:
        union = _union(patterns, flags)
        if union is None:
            raise RulesError("empty cue list")
        self.regex: re.Pattern[str] = union
        self.pattern = union.pattern
        anchors: set[str] = set()
        rest: list[str] = []
        for p in patterns:
            lits = literal_anchors(p, flags)
            if lits is None:
                rest.append(p)
            else:
                anchors.update(lits)
        self.anchors: tuple[str, ...] = _fewest(anchors)
        self.rest: re.Pattern[str] | None = _union(rest, flags)

    @classmethod
    def build(cls, patterns: list[str], flags: int = re.IGNORECASE) -> "Cues | None":
        """``Cues`` for ``patterns``, or None when there are none."""
        return cls(patterns, flags) if patterns else None

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        """The leftmost match in ``text[pos:endpos]`` (``text`` lower-case), as ``re.search``."""
        end = len(text) if endpos is None else min(endpos, len(text))
        best = -1
        if self.rest is not None:
            m = self.rest.search(text, pos, end)
            if m is not None:
                best = m.start()
        match = self.regex.match
        find = text.find
        for lit in self.anchors:
            hi = end
            if best >= 0 and best - 1 + len(lit) < end:  # only occurrences left of the best so far
                hi = best - 1 + len(lit)
            i = find(lit, pos, hi)
            while i >= 0:
                if match(text, i, end) is not None:
                    best = i
                    break
                i = find(lit, i + 1, hi)
        return match(text, best, end) if best >= 0 else None

    def test(self, text: str) -> bool:
        """Whether lower-case ``text`` matches anywhere (``search(text) is not None``, sooner)."""
        match = self.regex.match
        find = text.find
        for lit in self.anchors:
            i = find(lit)
            while i >= 0:
                if match(text, i) is not None:
                    return True
                i = find(lit, i + 1)
        return self.rest is not None and self.rest.search(text) is not None

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match[str]]:
        """Non-overlapping matches, left to right, as ``re.finditer``."""
        while True:
            m = self.search(text, pos, endpos)
            if m is None:
                return
            yield m
            pos = m.end() if m.end() > m.start() else m.start() + 1


def snake_note_type(value: str | None) -> str:
    """A note type in the segmenter's snake_case form ("1:1 session" -> "1_1_session")."""
    return re.sub(r"[^0-9a-z]+", "_", (value or "").strip().lower()).strip("_")


def _reject_unknown(d: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = set(d) - allowed
    if unknown:
        raise RulesError(f"unknown key(s) {sorted(unknown)} in {where}; allowed: {sorted(allowed)}")


@dataclass
class KindRule:
    """Which entries are of a kind: any ``include`` matches and no ``exclude`` does (lower-case text)."""

    include: Cues | None
    exclude: Cues | None
    include_src: list[str] = field(default_factory=list)
    #: Lower-case substrings, one of which must occur before the cues are tried (optional data).
    literals: tuple[str, ...] = ()
    #: Normalised note types (snake_case, as the segmenter gives them) that are of this kind
    #: whatever the header says; ``exclude`` still applies to the header.
    note_types: frozenset[str] = frozenset()

    @classmethod
    def from_dict(cls, d: dict[str, Any], where: str) -> "KindRule":
        _reject_unknown(d, {"include", "exclude", "literals", "note_types", "note"}, where)
        inc = list(d.get("include", []))
        return cls(Cues.build(inc), Cues.build(list(d.get("exclude", []))), inc,
                   tuple(x.lower() for x in d.get("literals", ())),
                   frozenset(snake_note_type(x) for x in d.get("note_types", ())))

    def excluded(self, text: str) -> bool:
        """Whether an ``exclude`` cue matches lower-case ``text``."""
        return self.exclude is not None and self.exclude.test(text)

    def test(self, text: str) -> bool:
        """Whether lower-case ``text`` is of this kind (``match(text) is not None``, sooner)."""
        if self.include is None:
            return False
        if self.literals and not any(x in text for x in self.literals):
            return False
        return self.include.test(text) and not (self.exclude is not None and self.exclude.test(text))

    def match(self, text: str) -> re.Match[str] | None:
        """The first include match in lower-case ``text``, unless an exclude matches too."""
        if self.include is None:
            return None
        if self.literals and not any(x in text for x in self.literals):
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
        label = (checks.get("jurisdiction") or {}).get("span_label", "plain_language")
        if label not in SPAN_LABELS:  # records must stay within the contract's span labels
            raise RulesError(f"checks.jurisdiction.span_label {label!r} is not a contract span label; "
                             f"use one of {list(SPAN_LABELS)} (usually 'plain_language')")
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
            c["elements"] = [(e["key"], e["label"], Cues.build(e["cues"])) for e in a.get("elements", [])]
            c["assess_done"] = Cues.build(a.get("completed_cues", []))
            duties = a.get("child_duties")
            if duties:
                c["dev"] = Cues.build(duties.get("developmental_cues", []))
                c["outcome"] = Cues.build(duties.get("outcome_cues", []))
                c["parent"] = Cues.build(duties.get("parent_words", []))
        v = self.checks.get("visits")
        if v:
            seen = v.get("child_seen", {})
            c["seen_neg"] = Cues.build(seen.get("negative", []))
            c["seen_word"] = re.compile(seen.get("seen_word", r"\bseen\b"), re.IGNORECASE)
            c["subject_words"] = [w.lower() for w in seen.get("subject_words", [])]
            lac = v.get("looked_after", {})
            c["long_term"] = Cues.build(lac.get("long_term_cues", []))
            c["long_term_lit"] = tuple(lac.get("long_term_literals", ()))
            cp = v.get("child_protection", {})
            c["plan_freq"] = [re.compile(p, re.IGNORECASE) for p in cp.get("plan_frequency_patterns", [])]
        k = self.checks.get("concerns")
        if k:
            c["categories"] = {name: Cues.build(pats) for name, pats in k.get("categories", {}).items()}
        j = self.checks.get("jurisdiction")
        if j:
            c["terms"] = [Term.from_dict(t) for t in j.get("terms", [])]
        adv = self.checks.get("advocacy")
        if adv:
            c["adv_child"] = Cues.build(adv.get("child_offer", []))
            c["adv_parent"] = Cues.build(adv.get("parent_offer", []))
            c["adv_neg"] = re.compile(adv["negation"], re.IGNORECASE) if adv.get("negation") else None
            c["adv_lit"] = tuple(adv.get("literals", ()))
        ao = self.checks.get("active_offer")
        if ao:
            c["ao"] = Cues.build(ao.get("patterns", []))
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
