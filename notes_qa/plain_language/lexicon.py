"""The room's data: jargon/acronym lexicon, plan-language rules and word tables.

Everything is a packaged data file read through :mod:`notes_qa.resources` (``rules="default"``),
or the user's own files (a directory written by :meth:`Resources.to_disk`).
"""
from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources as ir
from pathlib import Path
from typing import Any

from .. import resources

PACKAGE = "notes_qa.plain_language.data"
JARGON_FILE = "jargon.json"
RULES_FILE = "rules.json"
WEIGHTS_FILE = "score_weights.json"

_ENTRY_KEYS = {"term", "plain", "acronym", "expansion", "variants", "weight", "note"}
_RULE_KEYS = {
    "provenance", "version", "passive_auxiliaries", "irregular_participles", "adjectival_participles",
    "nominalisation_suffixes", "nominalisation_min_length", "nominalisation_exclude",
    "nominalisation_extra", "modal_markers", "person_words", "non_owner_words", "action_verbs",
    "vague_markers", "time_patterns", "outcome_patterns", "action_headings", "owner_heading",
    "shorthand", "acronym_stoplist"}


@dataclass(frozen=True)
class JargonEntry:
    """One lexicon term with its plain alternative."""

    term: str
    plain: str
    acronym: bool = False
    expansion: str | None = None
    variants: tuple[str, ...] = ()
    weight: float = 1.0
    note: str | None = None

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "JargonEntry":
        unknown = set(d) - _ENTRY_KEYS
        if unknown:
            raise ValueError(f"unknown jargon entry keys: {sorted(unknown)}")
        if not d.get("term") or not d.get("plain"):
            raise ValueError(f"jargon entry needs 'term' and 'plain': {d}")
        return cls(term=d["term"], plain=d["plain"], acronym=bool(d.get("acronym", False)),
                   expansion=d.get("expansion"), variants=tuple(d.get("variants", ())),
                   weight=float(d.get("weight", 1.0)), note=d.get("note"))

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"term": self.term, "plain": self.plain, "acronym": self.acronym,
                             "variants": list(self.variants), "weight": self.weight}
        if self.expansion:
            d["expansion"] = self.expansion
        if self.note:
            d["note"] = self.note
        return d


def _caseless_or_ascii(s: str) -> bool:
    """Whether every character of ``s`` is ASCII or has no case (lower() = upper() = itself)."""
    return s.isascii() or all(c.isascii() or c.lower() == c == c.upper() for c in s)


def _case_distinct(forms: list[str]) -> bool:
    """Whether no two of ``forms`` first differ at a character by case alone ("Contact" and
    "contact visit" do): then the branches of each :func:`_alternation` choice start with
    characters that no text character matches both of, even under IGNORECASE, so the trie of
    the lower-cased forms, matched case-sensitively on lower-cased text, takes the same path."""
    trie: dict[str, Any] = {}
    for f in set(forms):
        node = trie
        for ch in f:
            node = node.setdefault(ch, {})
    stack = [trie]
    while stack:
        node = stack.pop()
        keys = [k for k in node]
        if len({k.lower() for k in keys}) != len(keys):
            return False
        stack.extend(node.values())
    return True


def _alternation(forms: list[str]) -> str:
    """A regex matching any of ``forms`` (spaces match any whitespace run), built as a trie so
    that Python's regex engine does not try hundreds of alternatives at every position."""
    trie: dict[str, Any] = {}
    for f in set(forms):
        node = trie
        for ch in f:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        end = "" in node
        alts = []
        for ch in sorted(k for k in node if k):
            piece = r"\s+" if ch == " " else re.escape(ch)
            alts.append(piece + build(node[ch]))
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if end else body

    return build(trie)


@dataclass
class Resources:
    """Compiled lexicon + rules + score weights used by the metrics and the component."""

    jargon: list[JargonEntry]
    rules: dict[str, Any]
    weights: dict[str, Any]
    jargon_provenance: str = ""
    by_form: dict[str, JargonEntry] = field(init=False)
    acronym_forms: dict[str, JargonEntry] = field(init=False)

    def __post_init__(self) -> None:
        unknown = set(self.rules) - _RULE_KEYS
        if unknown:
            raise ValueError(f"unknown plain-language rule keys: {sorted(unknown)}")
        self.by_form, self.acronym_forms = {}, {}
        terms: list[str] = []
        for e in self.jargon:
            forms = [e.term, *e.variants]
            if e.acronym:
                for f in forms:
                    self.acronym_forms[f] = e
            else:
                for f in forms:
                    self.by_form[re.sub(r"\s+", " ", f.lower())] = e
                terms.extend(forms)
        def term_pattern(forms: list[str]) -> str:
            return r"(?<![\w-])(?:" + _alternation(forms) + r")(?![\w-])"

        self.term_re = re.compile(term_pattern(terms), re.I)
        # Acronyms: all-caps words (2-7 letters, optional plural s / lower-case tail like
        # "SENCo"), "s47"-style sections, "A&E", and the lexicon's own forms.
        generic = r"[A-Z][A-Z&]{1,6}(?:s|o|Co)?\d?|[sS]\.?\s?(?:17|20|31|38|47|76)"
        self.acronym_re = re.compile(
            r"(?<![\w&/'’-])(?:" + _alternation(list(self.acronym_forms)) + "|" + generic
            + r")(?![\w&'’-])")
        r = self.rules

        def passive_pattern(aux_forms: list[str], irregular_forms: list[str]) -> str:
            aux, irregular = _alternation(aux_forms), _alternation(irregular_forms)
            return (rf"(?<![\w'’])(?:{aux})\s+(?:(?:not|n't|also|then|still|being|always|never|"
                    rf"already|just|now|\w+ly)\s+){{0,2}}(?P<pp>\w+ed|{irregular})\b")

        aux_forms, irregular_forms = r["passive_auxiliaries"], r["irregular_participles"]
        self.passive_re = re.compile(passive_pattern(aux_forms, irregular_forms), re.I)
        # The same two regexes without IGNORECASE, over lower-cased forms: on a lower-cased
        # text whose characters are ASCII or caseless (see analysis._lowered) they find exactly
        # the same matches, faster. None when a form has a cased non-ASCII character, or two
        # forms differ by case alone where they first differ (see _case_distinct).
        self.term_re_lower = self.passive_re_lower = None
        if all(map(_caseless_or_ascii, [*terms, *aux_forms, *irregular_forms])) and all(
                map(_case_distinct, (terms, aux_forms, irregular_forms))):
            self.term_re_lower = re.compile(term_pattern([t.lower() for t in terms]))
            self.passive_re_lower = re.compile(passive_pattern(
                [f.lower() for f in aux_forms], [f.lower() for f in irregular_forms]))
        self.adjectival = frozenset(r["adjectival_participles"])
        self.time_re = re.compile("|".join(f"(?:{p})" for p in r["time_patterns"]), re.I)
        self.outcome_re = re.compile("|".join(f"(?:{p})" for p in r["outcome_patterns"]), re.I)
        self.vague_re = re.compile(r"(?<![\w-])(?:" + _alternation(
            [v for v in r["vague_markers"] if v not in ("some", "more", "better")]) + r")(?![\w-])", re.I)
        modal = _alternation(r["modal_markers"])
        self.action_re = re.compile(
            rf"^(?P<subj>(?:[\w'’()/&.,-]+\s+){{0,5}}?)(?P<modal>{modal})\s+(?:not\s+|also\s+|then\s+)?"
            rf"(?P<verb>[a-z]+)\b", re.I)
        self.passive_duty_re = re.compile(
            r"\b(?:to be|will be|should be|must be|needs? to be|is to be|are to be|shall be)\s+"
            r"(?:\w+ly\s+)?(?:\w+ed|given|made|done|seen|taken|kept|held|sought|undertaken|brought|sent)\b", re.I)
        self.heading_action_re = re.compile(
            r"^(?:" + "|".join(r["action_headings"]) + r")\s*(?::|-|–)?\s*$", re.I)
        self.owner_heading_re = re.compile(r["owner_heading"], re.I)
        self.person_words = frozenset(r["person_words"])
        self.non_owner_words = frozenset(r["non_owner_words"])
        self.action_verbs = frozenset(r["action_verbs"])
        self.shorthand_re = re.compile(r"(?<![\w/])(?:" + _alternation(r["shorthand"]) + r")(?![\w/])", re.I)
        self.stop_acronyms = frozenset(r["acronym_stoplist"])
        suffixes = tuple(r["nominalisation_suffixes"])
        self.nominal_suffixes = suffixes
        self.nominal_min = int(r["nominalisation_min_length"])
        self.nominal_exclude = frozenset(r["nominalisation_exclude"])
        self.nominal_extra = frozenset(r.get("nominalisation_extra", ()))

    # -- loading / saving ---------------------------------------------------------------
    @classmethod
    def load(cls, jargon: str | Path | None = "default", rules: str | Path | None = "default",
             weights: str | Path | None = "default") -> "Resources":
        """Resolve ``rules``-style arguments ("default" / None / a path) for each file."""
        jd = resources.load_rules(jargon, PACKAGE, JARGON_FILE) or {"entries": []}
        rd = resources.load_rules(rules, PACKAGE, RULES_FILE)
        if rd is None:
            raise ValueError("plain-language rules are required")
        wd = resources.load_rules(weights, PACKAGE, WEIGHTS_FILE) or {}
        return cls(jargon=[JargonEntry.from_dict(e) for e in jd.get("entries", [])], rules=rd,
                   weights=wd, jargon_provenance=jd.get("provenance", ""))

    def to_disk(self, path: str | Path) -> None:
        p = Path(path)
        p.mkdir(parents=True, exist_ok=True)
        (p / JARGON_FILE).write_text(json.dumps(
            {"provenance": self.jargon_provenance, "version": 1,
             "entries": [e.to_dict() for e in self.jargon]}, indent=1, ensure_ascii=False), encoding="utf-8")
        (p / RULES_FILE).write_text(json.dumps(self.rules, indent=1, ensure_ascii=False), encoding="utf-8")
        (p / WEIGHTS_FILE).write_text(json.dumps(self.weights, indent=1), encoding="utf-8")

    @classmethod
    def from_disk(cls, path: str | Path) -> "Resources":
        p = Path(path)
        return cls.load(jargon=p / JARGON_FILE, rules=p / RULES_FILE, weights=p / WEIGHTS_FILE)

    # -- per-word information -------------------------------------------------------------
    def is_nominalisation(self, w: str) -> bool:
        w = w.lower()
        if w in self.nominal_extra:
            return True
        return (len(w) >= self.nominal_min and w.endswith(self.nominal_suffixes)
                and w not in self.nominal_exclude)


@lru_cache(maxsize=1)
def default_resources() -> Resources:
    """The packaged resources (loaded once per process)."""
    return Resources.load()


def _read_gz_table(name: str) -> list[tuple[str, str]]:
    path = ir.files(PACKAGE).joinpath(name)
    rows = []
    with gzip.open(path.open("rb"), "rt", encoding="utf-8") as fh:  # type: ignore[arg-type]
        for line in fh:
            if not line.startswith("#"):
                k, _, words = line.rstrip("\n").partition("\t")
                rows.append((k, words))
    return rows


@lru_cache(maxsize=1)
def zipf_table() -> dict[str, float]:
    """Lower-case word → Zipf frequency (wordfreq, pinned; see the file header)."""
    table: dict[str, float] = {}
    for k, words in _read_gz_table("word_zipf.txt.gz"):
        table.update(dict.fromkeys(words.split(" "), int(k) / 10))
    return table


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """The pinned common-word list (see ``data/common_words.txt``'s header)."""
    text = resources.read_text(PACKAGE, "common_words.txt")
    return frozenset(l.strip() for l in text.splitlines() if l.strip() and not l.startswith("#"))
