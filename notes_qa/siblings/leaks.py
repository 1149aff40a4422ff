"""Name leaks: a sibling's name, a wrong pronoun or a sibling's age left in a child's file.

Two checks:

- **In copied passages** (high confidence): when a passage copied between siblings had the
  sibling's name swapped for this child's, whatever was left unchanged and still belongs to the
  sibling is a leak: the sibling's name as a sentence subject, a pronoun of the sibling's gender
  that (by subject preference) refers to this child, an age that follows this child's name.
- **In any sentence** (lower confidence): a pronoun that contradicts this child's gender and
  can only refer to this child (no compatible person, named or unnamed, before it), or an age
  or date of birth after this child's name that is not theirs.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher

from ..records import CaseRecord
from .align import Match, TokenStream
from .anchored import AfterName
from .config import Patterns, Thresholds
from .people import CHILD, PRON, Child, Family, Mention, _parse_date, age_on, resolve
from .text import TOKEN_RE, SentenceIndex, body_start, sentence_bounds


@dataclass
class Leak:
    entry: int
    start: int
    end: int
    kind: str  # sibling_name | pronoun | age
    detail: str
    score: float
    sibling: str | None = None


class EntryView:
    """Sentences, mentions and pronoun resolution of one entry, computed on demand."""

    def __init__(self, family: Family, record: CaseRecord, i: int,
                 cache: dict[int, list[tuple[int, int]]] | None = None,
                 stream: TokenStream | None = None) -> None:
        e = record.entries[i]
        self.i = i
        #: The file's token stream, whose tokens of this entry the mention finder may use.
        self.stream = stream
        self.text = record.sources[e.source]
        self.start = body_start(self.text, e.start, e.end, e.body_start)
        self.end = e.end
        self.family = family
        #: The file's sentence bounds by entry, shared with its token stream (see ``_snap``).
        self._cache = cache
        self._sents: SentenceIndex | None = None
        self._mentions: list[list[Mention]] | None = None
        self._resolved: dict[bool, list] = {}

    @property
    def low_text(self) -> str | None:
        """The text lower-cased character by character, if the stream has it for this entry."""
        span = self.stream.lowered_entries.get(self.i) if self.stream is not None else None
        return span[2] if span is not None else None

    @property
    def sentences(self) -> SentenceIndex:
        if self._sents is None:
            spans = self._cache.get(self.i) if self._cache is not None else None
            if spans is None:
                spans = sentence_bounds(self.text, self.start, self.end)
                if self._cache is not None:
                    self._cache[self.i] = spans
            self._sents = SentenceIndex(spans)
        return self._sents

    @property
    def mentions(self) -> list[list[Mention]]:
        if self._mentions is None:
            s = self.stream
            span = s.lowered_entries.get(self.i) if s is not None else None
            tokens = None
            if s is not None and span is not None:
                tokens = (s.lower, s.starts, span[0], span[1], span[2])
            self._mentions = self.family.mentions_by_sentence(
                self.text, self.start, self.end, self.sentences.spans, tokens=tokens)
        return self._mentions

    def resolved(self, strict: bool) -> list[list[tuple[Mention, Mention | None, bool]]]:
        if strict not in self._resolved:
            firsts = []
            text = self.text
            for s, e in self.sentences.spans:
                c = text[s]  # spans are trimmed: the first word usually starts right here
                if c.isalnum() or c == "_":  # what \w matches in a str pattern
                    firsts.append(s)
                else:
                    w = TOKEN_RE.search(text, s, e)
                    firsts.append(w.start() if w else s)
            self._resolved[strict] = resolve(self.mentions, strict, firsts)
        return self._resolved[strict]


def age_regex(child: Child, patterns: Patterns) -> AfterName | None:
    """``Name (13)``, ``Name, 13,``, ``Name aged 13`` … (group per pattern), or None without a name.

    A pattern-like object with ``finditer`` (see ``anchored.py``): the same matches as
    ``re.compile(r"\b(?:Name|Nickname)(?:['’]s)?(?:\s+[A-Z][a-z]+)?(?:AGE1|AGE2|...)")``.
    """
    if not child.names:
        return None
    key = ("age", id(patterns))
    got = child.patterns_cache.get(key)
    if got is None:
        ages = "|".join(f"(?:{p})" for p in patterns.age_after_name)
        got = child.patterns_cache[key] = AfterName([n.split()[0] for n in child.names],
                                                    rf"(?:['’]s)?(?:\s+[A-Z][a-z]+)?(?:{ages})")
    return got


def dob_regex(child: Child, patterns: Patterns) -> AfterName | None:
    """``Name DOB 02/03/2015``, ``Name (born 2015-03-02)`` …, ignoring case; None without a name."""
    if not child.names:
        return None
    key = ("dob", id(patterns))
    got = child.patterns_cache.get(key)
    if got is None:
        got = child.patterns_cache[key] = AfterName([n.split()[0] for n in child.names],
                                                    rf"(?:\s+[A-Z][a-z]+)?{patterns.dob_after_name}",
                                                    ignorecase=True)
    return got


def stated_age(m: re.Match, patterns: Patterns) -> tuple[float, int, int] | None:
    """(age in years, start, end of the number) from an ``age_regex`` match."""
    for gi in range(1, (m.re.groups or 0) + 1):
        if m.group(gi) is not None:
            n = float(m.group(gi))
            if gi - 1 == patterns.age_after_name_months_index:
                n = n / 12.0
            return n, m.start(gi), m.end(gi)
    return None


def entry_date(record: CaseRecord, i: int) -> date | None:
    return _parse_date(record.entries[i].date)


def expected_age(child: Child, record: CaseRecord, i: int) -> float | None:
    """The child's age when the entry was written (DOB and entry date), else the recorded age."""
    d = entry_date(record, i)
    if child.dob and d:
        return age_on(child.dob, d)
    return child.age


def age_is_wrong(stated: float, child: Child, siblings: list[Child], record: CaseRecord, i: int,
                 th: Thresholds) -> tuple[bool, Child | None]:
    """Whether a stated age cannot be this child's, and the sibling whose age it is (if any)."""
    exp = expected_age(child, record, i)
    if exp is None:
        return False, None
    sib = next((s for s in siblings if s.age is not None and abs(s.age - stated) < 0.5), None)
    exact = child.dob is not None and entry_date(record, i) is not None
    if abs(stated - exp) <= (0.5 if exact else th.age_tolerance_years):
        return False, None
    if exact or sib is not None or stated > exp + th.age_tolerance_years:
        return True, sib
    return False, None


def copy_leaks(family: Family, x: Child, y: Child, xs: TokenStream, ys: TokenStream, m: Match,
               view: EntryView, entry: int, th: Thresholds) -> list[Leak]:
    """Leaks in X's side of a passage copied between X and sibling Y (``m.a*`` is X's side)."""
    xt, yt = xs.lower[m.a0:m.a1], ys.lower[m.b0:m.b1]
    if xt == yt:
        return []  # unchanged: no name was swapped, so nothing was left behind
    xf, yf = x.name_forms(), y.name_forms()
    if not xf or not yf or xf.isdisjoint(xt) or yf.isdisjoint(yt):
        return []  # a swap needs X's name on X's side and Y's on Y's
    sm = m.matcher
    if sm is None or sm.a != xt or sm.b != yt:
        sm = SequenceMatcher(None, xt, yt, autojunk=False)
    ops = sm.get_opcodes()
    substituted = any(tag == "replace" and any(t in xf for t in xt[i1:i2]) and any(t in yf for t in yt[j1:j2])
                      for tag, i1, i2, j1, j2 in ops)
    if not substituted:
        return []
    unchanged: set[int] = set()
    for tag, i1, i2, _, _ in ops:
        if tag == "equal":
            unchanged.update(xs.starts[m.a0 + i1:m.a0 + i2])
    out: list[Leak] = []
    score = th.leak_score_copy
    lo, hi = xs.starts[m.a0], xs.ends[m.a1 - 1]
    # the sibling's name left as a sentence subject (only sentences that reach into the
    # passage can have their first mention in it)
    sents = view.sentences
    k0 = max(sents.find(lo), 0)
    k1 = sents.find(hi) + 1
    for sent in view.mentions[k0:k1]:
        first = next((mm for mm in sent if mm.kind != "cap"), None)
        if (first is not None and first.kind == CHILD and first.child == y.index
                and lo <= first.start < hi and first.start in unchanged):
            out.append(Leak(entry, first.start, first.end, "sibling_name",
                            f"{y.label}'s name left in a passage copied from {y.label}'s file",
                            score, y.label))
    # pronouns of the sibling's gender that refer to this child
    gx = x.gender
    if gx and y.gender and gx != y.gender:
        factor = th.leak_score_no_metadata_factor if (x.gender_inferred or y.gender_inferred) else 1.0
        for sent in view.resolved(strict=True)[k0:k1]:
            for p, tgt, clash in sent:
                if (clash and tgt is not None and tgt.kind == CHILD and tgt.child == x.index
                        and p.gender == y.gender and lo <= p.start < hi and p.start in unchanged):
                    word = view.text[p.start:p.end]
                    out.append(Leak(entry, p.start, p.end, "pronoun",
                                    f"'{word}' refers to {x.label} but is {y.label}'s pronoun, left in "
                                    f"a passage copied from {y.label}'s file", score * factor, y.label))
    # an age after this child's name, unchanged from the sibling's text
    rx = age_regex(x, family.patterns)
    if rx is not None:
        for am in rx.finditer(view.text, lo, hi):
            got = stated_age(am, family.patterns)
            if got is None or got[1] not in unchanged:
                continue
            n, s, e = got
            if x.age is not None or x.dob is not None:
                wrong, _ = age_is_wrong(n, x, [y], x.record, entry, th)
                if not wrong:
                    continue
                sc = score
            else:
                own = stated_ages_outside(x, family, view, lo, hi)
                if not own or any(abs(a - n) <= th.age_tolerance_years for a in own):
                    continue  # no age of the child's own to compare with, or it agrees
                sc = score * th.leak_score_no_metadata_factor
            out.append(Leak(entry, am.start(), am.end(), "age",
                            f"age {n:g} after {x.label}'s name is carried over from {y.label}'s file",
                            sc, y.label))
    return out


def sentence_leaks(family: Family, x: Child, views: dict[int, EntryView], th: Thresholds) -> list[Leak]:
    """Leaks found sentence by sentence in every entry of X's file (no copy needed)."""
    out: list[Leak] = []
    sibs = [c for c in family.children if c.index != x.index]
    sib_genders = {c.gender for c in sibs}
    rx = age_regex(x, family.patterns)
    drx = dob_regex(x, family.patterns)
    factor = th.leak_score_no_metadata_factor if x.gender_inferred else 1.0
    subject = set(family.patterns.subject_pronouns)
    for i, view in views.items():
        if x.gender and (None in sib_genders or any(g != x.gender for g in sib_genders)):
            for sent in view.resolved(strict=False):
                for p, tgt, clash in sent:
                    if clash and tgt is not None and tgt.kind == CHILD and tgt.child == x.index \
                            and p.gender != x.gender and view.text[p.start:p.end].lower() in subject:
                        sib = next((c for c in sibs if c.gender == p.gender), None)
                        word = view.text[p.start:p.end]
                        out.append(Leak(i, p.start, p.end, "pronoun",
                                        f"'{word}' refers to {x.label}, whose recorded gender is "
                                        f"{x.gender}" + (f" ({sib.label}'s pronoun)" if sib else ""),
                                        th.leak_score_sentence * factor, sib.label if sib else None))
        if rx is not None and (x.age is not None or x.dob is not None):
            for am in rx.finditer(view.text, view.start, view.end):
                got = stated_age(am, family.patterns)
                if got is None:
                    continue
                wrong, sib = age_is_wrong(got[0], x, sibs, x.record, i, th)
                if wrong:
                    out.append(Leak(i, am.start(), am.end(), "age",
                                    f"age {got[0]:g} after {x.label}'s name is not {x.label}'s"
                                    + (f" ({sib.label}'s age)" if sib else ""),
                                    th.leak_score_sentence, sib.label if sib else None))
        if drx is not None and x.dob is not None:
            for dm in drx.finditer(view.text, view.start, view.end, view.low_text):
                d = _parse_date(dm.group(1))
                if d is not None and d != x.dob:
                    sib = next((c for c in sibs if c.dob == d), None)
                    out.append(Leak(i, dm.start(), dm.end(), "age",
                                    f"date of birth {dm.group(1)} after {x.label}'s name is not "
                                    f"{x.label}'s" + (f" ({sib.label}'s)" if sib else ""),
                                    th.leak_score_copy if sib else th.leak_score_sentence,
                                    sib.label if sib else None))
    return out


def infer_gender(family: Family, x: Child, views: dict[int, EntryView]) -> None:
    """Without recorded gender: the pronoun that usually follows the child's name in the file."""
    votes = {"female": 0, "male": 0}
    for view in views.values():
        for sent in view.mentions:
            for k, m in enumerate(sent):
                if m.kind == CHILD and m.child == x.index:
                    nxt = next((n for n in sent[k + 1:] if n.kind != "cap"), None)
                    if nxt is not None and nxt.kind == PRON and nxt.gender in votes:
                        votes[nxt.gender] += 1
                    break
    total = sum(votes.values())
    if total >= 3:
        g, n = max(votes.items(), key=lambda kv: kv[1])
        if n / total >= 0.8:
            x.gender, x.gender_inferred = g, True


def stated_ages_outside(x: Child, family: Family, view: EntryView, lo: int, hi: int) -> list[float]:
    """Ages written after X's name anywhere in X's file except ``[lo, hi)`` of ``view``."""
    rx = age_regex(x, family.patterns)
    if rx is None:
        return []
    out: list[float] = []
    rec = x.record
    for i, e in enumerate(rec.entries):
        text = rec.sources[e.source]
        for am in rx.finditer(text, e.start, e.end):
            if text is view.text and lo <= am.start() < hi:
                continue
            got = stated_age(am, family.patterns)
            if got is not None:
                out.append(got[0])
    return out
