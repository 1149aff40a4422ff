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
from ..training.prefilter import (Alternation, LiteralIndex, Probe, SubstringIndex, first_chars,
                                  grouped_by_first_char)

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
