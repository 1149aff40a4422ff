"""Who is mentioned where: the family's children, adults by kinship term, pronouns.

A small ConText-style "experiencer" resolver: each sentence's subject is its first person
mention; a pronoun refers to the nearest earlier gender-compatible mention in its sentence,
else (sentence-initial) to the previous sentence's subject.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from ..records import CaseRecord
from .config import Patterns, gender_of, word_bits
from .text import first_name, strip_possessive

CHILD, ADULT, PRON, CAP = "child", "adult", "pron", "cap"
#: A capitalised word at least this rare (bits; zipf < 5) may be a person's name.
CAP_MIN_BITS = 13.3
#: Mid-sentence a capital says more: only very common words (zipf ≥ 6) are ruled out.
CAP_MIN_BITS_MID = 9.9
TITLES = frozenset({"miss", "mrs", "ms", "mr", "dr", "man", "dc", "pc", "sw", "tm", "chair"})


@dataclass
class Child:
    """One child of the family as the family step sees it."""

    index: int
    record: CaseRecord
    names: list[str]  # first name, full name, nicknames (as written)
    gender: str | None
    gender_inferred: bool = False
    age: float | None = None
    age_inferred: bool = False
    dob: date | None = None
    initial: str | None = None

    @property
    def label(self) -> str:
        return self.names[0] if self.names else self.record.case_id

    def name_forms(self) -> set[str]:
        out: set[str] = set()
        for n in self.names:
            for w in n.lower().split()[:1]:
                out.update({w, w + "'s", w + "’s", w + "s'"})
        return out


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    kind: str  # child | adult | pron | cap
    gender: str | None
    child: int | None = None  # index into the family for kind == child


@dataclass
class Family:
    """The children of one family and the compiled mention patterns."""

    children: list[Child]
    patterns: Patterns
    mention_re: re.Pattern = field(init=False)
    cap_re: re.Pattern = field(init=False)
    _lookup: dict[str, tuple[str, str | None, int | None]] = field(init=False)

    def __post_init__(self) -> None:
        lookup: dict[str, tuple[str, str | None, int | None]] = {}
        for g, words in self.patterns.person_terms.items():
            for w in words:
                lookup[w] = (ADULT, None if g == "unknown" else g, None)
        for g, words in self.patterns.pronouns.items():
            for w in words:
                lookup[w] = (PRON, g, None)
        for c in self.children:
            for form in c.name_forms():
                lookup[form] = (CHILD, c.gender, c.index)
        self._lookup = lookup
        self.mention_re = re.compile(r"\b" + trie_regex(list(lookup)) + r"\b")
        self.cap_re = re.compile(r"(?<![\w'’])[A-Z][a-z\u00e0-\u017f]+(?:['’]s)?\b|(?<![\w'’])[A-Z]\b")

    def mentions(self, text: str, start: int, end: int, with_caps: bool = True) -> list[Mention]:
        """Person mentions in ``text[start:end]``, in order."""
        out: list[Mention] = []
        seen: set[int] = set()
        low = text[start:end].lower()
        if len(low) != end - start:  # a rare character whose lower case is longer
            low = "".join(c.lower()[:1] or c for c in text[start:end])
        for lm in self.mention_re.finditer(low):
            m = _Shifted(lm, start, text)
            kind, g, ci = self._lookup[lm.group()]
            if kind == CHILD:
                if m.group()[0].islower():
                    continue  # "grace", "will": a name is written with a capital
                g = self.children[ci].gender
            elif kind == ADULT and m.group()[0].islower() and m.group().lower() in TITLES:
                continue  # "miss school", "man the desk": only capitalised titles are people
            out.append(Mention(m.start(), m.end(), kind, g, ci))
            seen.add(m.start())
        if with_caps:
            common = word_bits()
            initials = self.initials()
            for m in self.cap_re.finditer(text, start, end):
                if m.start() in seen:
                    continue
                w = m.group()
                if len(w) == 1:
                    if w in initials:
                        ci = initials[w]
                        out.append(Mention(m.start(), m.end(), CHILD, self.children[ci].gender, ci))
                    continue
                floor = CAP_MIN_BITS if _sentence_initial(text, m.start(), start) else CAP_MIN_BITS_MID
                if common.get(strip_possessive(w).lower(), 99.0) < floor:
                    continue  # an everyday word ("The", "Visited"); rarer ones may be names
                out.append(Mention(m.start(), m.end(), CAP, None))
            out.sort(key=lambda x: x.start)
        return out

    def initials(self) -> dict[str, int]:
        """A child's initial counts as a mention only when no sibling shares it."""
        counts: dict[str, list[int]] = {}
        for c in self.children:
            if c.initial:
                counts.setdefault(c.initial, []).append(c.index)
        return {k: v[0] for k, v in counts.items() if len(v) == 1}


class _Shifted:
    """A match in a lower-cased slice, seen at its place (and case) in the original text."""

    __slots__ = ("_s", "_e", "_t")

    def __init__(self, m: re.Match, offset: int, text: str) -> None:
        self._s, self._e, self._t = m.start() + offset, m.end() + offset, text

    def start(self) -> int:
        return self._s

    def end(self) -> int:
        return self._e

    def group(self) -> str:
        return self._t[self._s:self._e]


def trie_regex(words: list[str]) -> str:
    """One regex matching any of ``words`` (lower case), built as a trie so it stays fast."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        end = "" in node
        alts = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if end else body

    return "(?:" + emit(trie) + ")"


def _sentence_initial(text: str, pos: int, floor: int) -> bool:
    i = pos - 1
    while i >= floor and text[i] in " \t\"'“‘(":
        i -= 1
    return i < floor or text[i] in ".!?\n:;-–"


def resolve(sentences: list[list[Mention]], strict: bool,
            first_words: list[int] | None = None) -> list[list[tuple[Mention, Mention | None, bool]]]:
    """For each sentence, each pronoun with the mention it refers to and whether that clashes.

    Returns per sentence a list of ``(pronoun, target, clash)``: ``clash`` is True when the
    pronoun's gender contradicts its target's (a possible leak when the target is the child).
    ``strict`` (used inside copied passages) follows subject preference for sentence-initial
    pronouns; otherwise only a pronoun that is the sentence's first word (``first_words``:
    the start of each sentence's first word) looks back, and any compatible mention in the
    previous sentence resolves it.
    """
    out: list[list[tuple[Mention, Mention | None, bool]]] = []
    first_words = first_words or []
    prev_subject: Mention | None = None
    prev: list[Mention] = []
    for k, ms in enumerate(sentences):
        first = first_words[k] if k < len(first_words) else None
        res: list[tuple[Mention, Mention | None, bool]] = []
        resolved: list[Mention] = []  # mentions with pronouns replaced by their targets
        for m in ms:
            if m.kind != PRON:
                resolved.append(m)
                continue
            earlier = [e for e in resolved if strict is False or e.kind != CAP]
            if earlier:
                comp = [e for e in earlier if _compatible(e, m.gender)]
                if comp:
                    tgt, clash = comp[-1], False
                else:
                    tgt, clash = earlier[0], True
            elif prev_subject is not None and (strict or first is None or m.start == first):
                if _compatible(prev_subject, m.gender):
                    tgt, clash = prev_subject, False
                elif strict:
                    tgt, clash = prev_subject, True
                else:
                    comp = [e for e in prev if _compatible(e, m.gender)]
                    tgt, clash = (comp[-1], False) if comp else (prev_subject, True)
            else:
                tgt, clash = None, False
            res.append((m, tgt, clash))
            resolved.append(tgt if (tgt is not None) else m)
        out.append(res)
        subj = next((e for e in resolved if e.kind != CAP), None)
        if subj is not None:
            prev_subject = subj
        prev = [e for e in resolved if strict is False or e.kind != CAP]
    return out


def _compatible(m: Mention, gender: str | None) -> bool:
    return m.gender is None or gender is None or m.gender == gender


def build_family(records: list[CaseRecord], patterns: Patterns) -> Family:
    """The family's children from their records' metadata (missing values stay None)."""
    children: list[Child] = []
    for i, r in enumerate(records):
        m = r.meta
        names: list[str] = []
        fn = first_name(m.child_name)
        if fn:
            names.append(fn)
        names.extend(n for n in (m.nicknames or []) if n and n not in names)
        dob = _parse_date(m.date_of_birth)
        age = float(m.age) if m.age not in (None, "") else None
        children.append(Child(index=i, record=r, names=names, gender=gender_of(m.gender, patterns),
                              age=age, dob=dob, initial=fn[0].upper() if fn else None))
    return Family(children, patterns)


def _parse_date(s: str | None) -> date | None:
    if not s:
        return None
    s = s.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
            return date.fromisoformat(s)
        m = re.fullmatch(r"(\d{1,2})[./-](\d{1,2})[./-](\d{2,4})", s)
        if m:
            d, mo, y = (int(x) for x in m.groups())
            y = y + 2000 if y < 100 else y
            return date(y, mo, d)
    except ValueError:
        return None
    return None


def age_on(dob: date, on: date) -> float:
    years = on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))
    return float(years)
