"""Transparent decision and rationale rules (``rules/decisions.json``).

For one sentence, :meth:`DecisionMatcher.analyse` returns :class:`DecisionCues`: which decision
verbs, case-process outcomes and frames matched, which hard negatives (tasks, phone logs,
"no decision yet") matched, and where a reason is given (a causal connective such as
"because", "given that", "due to", "as" (not "as well as"), a purpose clause such as "to make
sure", or an anaphoric reason sentence: "This is because ...", "The reason for this is ...").
The features feed the classifiers; the rule verdicts stand alone when no model is loaded.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar

from ..resources import RuleData
from ..training.prefilter import Alternation, LiteralIndex, Probe, SubstringIndex

RULES_PACKAGE = "notes_qa.decisions.rules"
RULES_FILE = "decisions.json"


@dataclass(frozen=True)
class DecisionRules(RuleData):
    """The decision/rationale rule file; unknown keys are rejected."""

    RULES_NAME: ClassVar[str] = "decision rules"
    RULES_PACKAGE: ClassVar[str] = RULES_PACKAGE
    RULES_FILE: ClassVar[str] = RULES_FILE

    provenance: str
    decision_verbs: list[str]
    decision_outcomes: list[str]
    decision_frames: list[str]
    non_decision: list[str]
    rationale_connectives: list[str]
    weak_connectives: list[str]
    ambiguous_as: list[str]
    rationale_anaphora: list[str]
    version: int = 1


@dataclass
class DecisionCues:
    """What the rules found in one sentence."""

    features: dict[str, float]
    decision: bool
    rationale: bool
    #: (start, end) of the reason clause inside the sentence, or None for the whole sentence
    reason_clause: tuple[int, int] | None
    decision_strength: float
    rationale_strength: float


def _named(items: list[str], prefix: str) -> Alternation:
    """One regex with a named group per item, so a match says which rule fired; compiled per
    text for the items whose literals occur in it (:mod:`notes_qa.training.prefilter`)."""
    def build(ids: tuple[int, ...]) -> str:
        sub = [items[i] for i in ids]
        parts = [f"(?P<{prefix}{i}>{items[i]})" for i in ids]
        return (r"(?<![\w'’])" + first_chars(sub) + r"(?:" + (grouped_by_first_char(parts, sub) or "|".join(parts))
                + r")(?![\w'’])")

    return Alternation(items, build, bounded=True)


def _any(items: list[str], before: str = "", after: str = "", bounded: bool = False) -> Alternation:
    """An alternation of regex fragments, compiled per text for those whose literals occur in it."""
    return Alternation(items, lambda ids: before + "|".join(f"(?:{items[i]})" for i in ids) + after,
                       bounded=bounded)


def _bounded_any(items: list[str]) -> Alternation:
    """:func:`_any` of whole words or phrases (not inside a word, nor next to an apostrophe), with
    a lookahead on their first letters (a fast skip for ``re``)."""
    def build(ids: tuple[int, ...]) -> str:
        sub = [items[i] for i in ids]
        parts = [f"(?:{p})" for p in sub]
        return r"(?<![\w'’])" + first_chars(sub) + "(?:" + (grouped_by_first_char(parts, sub) or "|".join(parts)) \
            + r")(?![\w'’])"

    return Alternation(items, build, bounded=True)


def first_chars(items: list[str]) -> str:
    """A lookahead on the letters the alternatives can start with (a fast skip for ``re``).

    Empty when some alternative starts with regex syntax whose first letter is not literal.
    """
    chars: set[str] = set()
    for p in items:
        firsts = _firsts(p)
        if firsts is None:
            return ""
        for c in firsts:
            chars.update({c.lower(), c.upper()})
    return "(?=[" + re.escape("".join(sorted(chars))) + "])"


def grouped_by_first_char(parts: list[str], patterns: list[str] | None = None) -> str | None:
    """The alternation ``"|".join(parts)`` with its alternatives grouped by the characters they
    open with (``patterns``: each part's pattern, when ``parts`` wraps them, e.g. in named
    groups); None when that cannot be told for one of them, or all open alike.

    Under IGNORECASE ``re`` enters every alternative at a position to test its first letter, so
    a list of hundreds of words costs hundreds of tests a position; grouped, about one a group.
    Alternatives that may open with several characters ("(?:is|was) keen") join those
    characters' groups into one. The matches are the same: at a position only the group that
    holds the text's character can go on, and it tries the alternatives that could, in the
    alternation's own order (no two ASCII characters match one text character under
    IGNORECASE, and a leading lookbehind consumes nothing).
    """
    keys = patterns if patterns is not None else parts
    parent: dict[str, str] = {}

    def root(c: str) -> str:
        while parent.setdefault(c, c) != c:
            c = parent[c]
        return c

    opening: list[str] = []
    for p in keys:
        firsts = _firsts(_after_lookbehind(p))
        if not firsts or not all(c.isascii() for c in firsts):
            return None
        cs = sorted({c.lower() for c in firsts})
        for c in cs[1:]:
            parent[root(c)] = root(cs[0])
        opening.append(cs[0])
    groups: dict[str, list[str]] = {}
    for part, c in zip(parts, opening):
        groups.setdefault(root(c), []).append(part)
    if len(groups) < 2:
        return None
    return "|".join("(?:" + "|".join(alts) + ")" for _, alts in sorted(groups.items()))


def _after_lookbehind(p: str) -> str:
    """``p`` without a lookbehind it opens with (it consumes nothing): what it matches first."""
    if not p.startswith(("(?<=", "(?<!")):
        return p
    depth, i = 0, 0
    while i < len(p):
        ch = p[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return p[i + 1:]
        i += 1
    return p


def _firsts(p: str) -> set[str] | None:
    """Letters a pattern can start with, or None when that is not simple to tell."""
    if p.startswith("(?:"):
        depth, alts, cur = 0, [], ""
        for i, ch in enumerate(p[3:], 3):
            if ch == "(":
                depth += 1
            elif ch == ")":
                if depth == 0:
                    alts.append(cur)
                    if p[i + 1:i + 2] in ("?", "*", "{"):
                        return None  # the group is optional
                    break
                depth -= 1
            elif ch == "|" and depth == 0:
                alts.append(cur)
                cur = ""
                continue
            cur += ch
        else:
            return None
        out: set[str] = set()
        for a in alts:
            f = _firsts(a)
            if f is None:
                return None
            out |= f
        return out
    c = p[:1]
    if not c or not (c.isalnum() or c in " -&/'’") or (len(p) > 1 and p[1] in "?*{"):
        return None
    return {c}


class DecisionMatcher:
    """Compiled :class:`DecisionRules`."""

    def __init__(self, rules: DecisionRules) -> None:
        self.rules = rules
        self.verbs = _named(rules.decision_verbs, "v")
        self.outcomes = _named(rules.decision_outcomes, "o")
        self.frames = [re.compile(p, re.I) for p in rules.decision_frames]
        self.non = [re.compile(p, re.I) for p in rules.non_decision]
        self.conn = _named(rules.rationale_connectives, "c")
        self.weak = _named(rules.weak_connectives, "w")
        self.amb_as = _bounded_any(rules.ambiguous_as)
        self.anaphora = [re.compile(p, re.I) for p in rules.rationale_anaphora]
        self.any_frame = _any(rules.decision_frames)
        self.any_non = _any(rules.non_decision)
        self.any_anaphora = _any(rules.rationale_anaphora)
        #: one pass that says whether a sentence could hold any decision or reason cue at all
        gate_words = (rules.decision_verbs + rules.decision_outcomes + rules.rationale_connectives
                      + rules.weak_connectives + ["decision", "outcome", "outcme", "agreed", "plan", "reason",
                                                  "reasoning", "rationale", "nfa", "recommendation", "next steps?",
                                                  "reflects", "follows", "this"])
        self.gate_words = _bounded_any(gate_words)
        #: one scan per sentence for where the word lists' literals start, shared by them all
        self.index = LiteralIndex([self.gate_words, self.verbs, self.outcomes, self.conn, self.weak, self.amb_as])
        #: one scan per sentence for the substring tests of the rule lists without a finder
        self.sub_index = SubstringIndex([self.any_frame, self.any_non, self.any_anaphora])

    def could_match(self, text: str, start: int = 0, end: int | None = None, probe: Probe | None = None) -> bool:
        """Whether ``text[start:end]`` holds any decision or reason cue (the gate before
        :meth:`analyse`; ``probe``: of that span of text)."""
        end = len(text) if end is None else end
        return self.gate_words.search(text, probe, start, end) is not None

    def analyse(self, text: str, probe: Probe | None = None) -> DecisionCues:
        """Cues in one sentence ``text`` (``probe``: of it, or of a text containing it)."""
        probe = probe or Probe(text)
        f: dict[str, float] = {}
        n_verbs = n_out = 0
        for m in self.verbs.finditer(text, probe):
            f[f"dv:{m.lastgroup}"] = 1.0
            n_verbs += 1
        for m in self.outcomes.finditer(text, probe):
            f[f"do:{m.lastgroup}"] = 1.0
            n_out += 1
        n_frames = 0
        for i in self.any_frame.candidates(probe):  # only the rules whose literals occur in the text
            if self.frames[i].search(text):
                f[f"df:{i}"] = 1.0
                n_frames += 1
        n_non = 0
        for i in self.any_non.candidates(probe):
            if self.non[i].search(text):
                f[f"dn:{i}"] = 1.0
                n_non += 1
        if n_verbs:
            f["dec_verb"] = 1.0
        if n_out:
            f["dec_outcome"] = min(n_out, 3) / 3
        if n_frames:
            f["dec_frame"] = 1.0
        if n_non:
            f["non_decision"] = 1.0
        if _FUTURE.search(text):
            f["future"] = 1.0
        if _NEGATION.search(text):
            f["negation"] = 1.0

        # reasons
        amb = [m.span() for m in self.amb_as.finditer(text, probe)]
        conns = []
        for m in self.conn.finditer(text, probe):
            if m.group(0).lower() == "as" and any(a <= m.start() < b for a, b in amb):
                continue
            if m.group(0).lower() == "as" and _AS_NOT_REASON.match(text, m.end()):
                continue
            conns.append(m)
            f[f"rc:{m.lastgroup}"] = 1.0
        weak = list(self.weak.finditer(text, probe))
        for m in weak:
            f[f"rw:{m.lastgroup}"] = 1.0
        anaphora = bool(self.any_anaphora.search(text, probe))
        if anaphora:
            f["anaphora"] = 1.0
        if conns:
            f["connective"] = 1.0
            if conns[0].start() < 3:
                f["conn_initial"] = 1.0

        decision = (n_frames > 0 or (n_verbs > 0 and n_out > 0) or
                    (n_out > 0 and _OUTCOME_ONLY.search(text) is not None)) and not (n_non and not n_frames)
        if anaphora:  # "The reason for this decision is ...": a reason, not a new decision
            decision = decision and bool(_OUTCOME_ONLY.search(text))
        rationale = bool(conns) and decision or anaphora
        reason_clause = None
        if conns and decision:
            m = conns[0]
            if m.start() < 3:  # "Because X, it was agreed Y": the reason ends at the comma
                comma = text.find(",", m.end())
                end = comma if comma != -1 else len(text)
                reason_clause = (m.start(), end)
            else:
                end = text.find(";", m.end())
                reason_clause = (m.start(), end if end != -1 else len(text.rstrip()))
        f["rule_decision"] = float(decision)
        f["rule_rationale"] = float(rationale)
        ds = 0.9 if decision and n_frames else 0.8 if decision else (0.25 if (n_verbs or n_out) else 0.02)
        rs = 0.85 if rationale else (0.2 if conns or weak else 0.02)
        return DecisionCues(f, decision, rationale, reason_clause, ds, rs)


_FUTURE = re.compile(r"\b(?:to|will|shall|should)\s+(?:be\s+)?\w+", re.I)
_NEGATION = re.compile(r"\b(?:not|no|n't)\b", re.I)
_AS_NOT_REASON = re.compile(r"\s*(?:if|though|such|to|of|from|at|\d|well|soon|long|far|much|many)\b", re.I)

#: An outcome said on its own, without a decision verb ("NFA", "Case to close", "S47 to be
#: completed by ...", "Threshold met for CP", "Children placed on CP register").
#: Only whether it occurs is asked, so the word boundary is shared by the alternatives after
#: the first, behind a lookahead on their first letters (a quick "no" at most positions).
_OUTCOME_ONLY = re.compile(
    r"(?:^\W*(?:nfa|no further action)\b|\b(?=[twsprcad])(?:(?:to|will|shall)\s+(?:be\s+)?(?:close|closed|remain|"
    r"continue|convene|convened|initiated|progress|proceed|completed|arranged|held|reduce|increase|move|end|stay|"
    r"step|transfer|allocated|accommodated|placed|removed|subject|undertaken|offered)\b|"
    r"threshold\b[^.]{0,40}\bmet\b|(?:placed|removed|remain|remains)\s+(?:on|from)\s+(?:the\s+)?(?:cp|child protection)\b|"
    r"(?:closed|screened out|stepped down|allocated|transferred|signposted|de-?registered)\b))", re.I)


@lru_cache(maxsize=8)
def default_matcher() -> DecisionMatcher:
    rules = DecisionRules.load("default")
    assert rules is not None
    return DecisionMatcher(rules)
