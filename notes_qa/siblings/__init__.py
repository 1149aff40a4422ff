"""The family batch step: passages copied between siblings' files, name leaks, focus.

Called once per family (two or more case records sharing a ``family_id``) after the
per-document pipeline, by :func:`notes_qa.scoring.score_family`::

    compare_family(records)   # adds sibling_copy and name_leak spans, extra["focus"],
                              # extra["sibling_similarity"]

It is a batch step, not a spaCy component: it works across documents. See ``README.md`` in
this folder for the method and the shared-background rule.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Sequence

from ..records import CaseRecord, Span
from .align import Match, TokenStream, align, canon_map_for, enough_evidence, token_similarity
from .background import is_shared_background
from .config import Patterns, Thresholds, load_patterns, load_thresholds, word_bits
from .focus import file_focus
from .leaks import EntryView, Leak, copy_leaks, infer_gender, sentence_leaks
from .people import Family, build_family
from .similarity import Profile, Similarity, document_similarity
from .text import body_start

__all__ = ["compare_family", "compare_texts", "text_similarity", "Passage", "Similarity",
           "find_passages", "load_thresholds"]


@dataclass
class Passage:
    """A copied passage: char ranges in both files and how alike they are."""

    a_entry: int
    a_start: int
    a_end: int
    b_entry: int
    b_start: int
    b_end: int
    similarity: float
    kind: str  # verbatim | near_verbatim | shared_background
    match: Match


def compare_family(records: Sequence[CaseRecord], rules: str | Path | None = "default") -> None:
    """Compare every pair of siblings' records; add spans and focus shares to each record.

    A lone record (no sibling) is left alone. ``rules`` picks the thresholds file
    ("default", None for the built-in defaults, or a path).
    """
    records = list(records)
    if len(records) < 2:
        return
    th = load_thresholds(rules)
    patterns = load_patterns()
    family = build_family(records, patterns)
    views = {c.index: {i: EntryView(family, c.record, i) for i in range(len(c.record.entries))}
             for c in family.children}
    if any(c.gender is None for c in family.children):
        for c in family.children:
            if c.gender is None:
                infer_gender(family, c, views[c.index])
        for vs in views.values():
            for v in vs.values():
                v._mentions, v._resolved = None, {}
    streams = [_stream(r, c.index, family, patterns) for c, r in zip(family.children, records)]
    profiles = [Profile.of_stream(s, th.rare_word_bits) for s in streams]
    similar: dict[int, dict[str, dict[str, float]]] = {c.index: {} for c in family.children}
    leaks: dict[int, list[Leak]] = {c.index: [] for c in family.children}
    for x, y in combinations(family.children, 2):
        sx, sy = streams[x.index], streams[y.index]
        passages = find_passages(x.record, y.record, sx, sy, th, patterns)
        _pair_similarity(similar, x.index, y.index, x.record.case_id, y.record.case_id,
                         profiles, passages)
        for p in passages:
            _add_copy_spans(x.record, y.record, p)
            m = p.match
            leaks[x.index] += copy_leaks(family, x, y, sx, sy, m, views[x.index][p.a_entry], p.a_entry, th)
            flipped = Match(m.b0, m.b1, m.a0, m.a1, m.seeds)
            leaks[y.index] += copy_leaks(family, y, x, sy, sx, flipped, views[y.index][p.b_entry],
                                         p.b_entry, th)
    for c in family.children:
        found = leaks[c.index] + sentence_leaks(family, c, views[c.index], th)
        _add_leak_spans(c.record, found)
        c.record.extra["siblings_compared"] = True
        c.record.extra["focus"] = file_focus(c.index, views[c.index])
        c.record.extra["sibling_names"] = {o.record.case_id: o.label for o in family.children
                                           if o.index != c.index}
        c.record.extra["sibling_similarity"] = similar[c.index]


def _pair_similarity(out: dict[int, dict[str, dict[str, float]]], ix: int, iy: int,
                     idx: str, idy: str, profiles: list[Profile], passages: list[Passage]) -> None:
    """Document similarity of each file of a pair to the other (``similarity.py``), both ways."""
    sx = document_similarity(profiles[ix], profiles[iy],
                             [(p.match.a0, p.match.a1, p.similarity) for p in passages])
    sy = document_similarity(profiles[iy], profiles[ix],
                             [(p.match.b0, p.match.b1, p.similarity) for p in passages])
    if sx is not None:
        out[ix][idy] = sx.to_dict()
    if sy is not None:
        out[iy][idx] = sy.to_dict()


def _stream(record: CaseRecord, index: int, family: Family, patterns: Patterns) -> TokenStream:
    names = [n for c in family.children for n in c.names]
    cmap = canon_map_for(names, [p for ps in patterns.pronouns.values() for p in ps])
    s = TokenStream(key=str(index))
    for i, e in enumerate(record.entries):
        text = record.sources[e.source]
        s.add_region(text, body_start(text, e.start, e.end, e.body_start), e.end, i, cmap)
    return s


def find_passages(ra: CaseRecord, rb: CaseRecord, sa: TokenStream, sb: TokenStream,
                  th: Thresholds, patterns: Patterns) -> list[Passage]:
    """Copied passages between two indexed files, snapped to sentences and filtered."""
    sa.shingles or sa.index(th.shingle_size)
    sb.shingles or sb.index(th.shingle_size)
    out: list[Passage] = []
    bits = word_bits()
    sent_cache: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for m in align(sa, sb, th):
        ea, eb = sa.entry[m.a0], sb.entry[m.b0]
        a_lo, a_hi = _snap(ra, sa, ea, m, "a", th, sent_cache, sb, rb, eb)
        words = sa.lower[m.a0:m.a1]
        ta, tb = ra.sources[ra.entries[ea].source], rb.sources[rb.entries[eb].source]
        if len(words) < th.min_tokens or a_hi - a_lo < th.min_chars:
            continue
        spec = sum(min(bits.get(w, th.rare_word_bits), th.rare_word_bits) for w in words)
        if spec < th.min_specificity_bits:
            continue
        b_lo, b_hi = _chars(sb, m.b0, m.b1, tb)
        if m.snapped_a:
            a_lo, a_hi = m.snapped_a
        if m.snapped_b:
            b_lo, b_hi = m.snapped_b
        other = sb.lower[m.b0:m.b1]
        if not enough_evidence(sa.canon[m.a0:m.a1], sb.canon[m.b0:m.b1], th):
            continue
        if words == other:
            sim, kind = 1.0, "verbatim"
        else:
            sim = round(token_similarity(words, other), 4)
            kind = "near_verbatim"
        if sim < th.min_similarity:
            continue
        ent = ra.entries[ea]
        at_start = a_lo <= body_start(ta, ent.start, ent.end, ent.body_start) + 1
        if is_shared_background(ta, a_lo, words, ta[a_lo:a_hi], ent.note_type, at_start, patterns, th):
            kind = "shared_background"
        out.append(Passage(ea, a_lo, a_hi, eb, b_lo, b_hi, sim, kind, m))
    return out


def _chars(s: TokenStream, t0: int, t1: int, text: str) -> tuple[int, int]:
    lo, hi = s.starts[t0], s.ends[t1 - 1]
    if hi < len(text) and text[hi] in ".!?":
        hi += 1
    return lo, hi


def _snap(ra: CaseRecord, sa: TokenStream, ea: int, m: Match, _side: str, th: Thresholds,
          cache: dict, sb: TokenStream, rb: CaseRecord, eb: int) -> tuple[int, int]:
    """Stretch a match to whole sentences when only a few words are missing at either end.

    Sets ``m.snapped_a`` / ``m.snapped_b`` (char ranges) and moves the token bounds.
    """
    from .text import sentence_bounds

    def sents(r: CaseRecord, s: TokenStream, key: tuple[int, int], e: int) -> list[tuple[int, int]]:
        if key not in cache:
            en = r.entries[e]
            text = r.sources[en.source]
            cache[key] = sentence_bounds(text, body_start(text, en.start, en.end, en.body_start), en.end)
        return cache[key]

    sa_sents = sents(ra, sa, (id(sa), ea), ea)
    sb_sents = sents(rb, sb, (id(sb), eb), eb)
    a_lo_s, a0_new = _sentence_start(sa, m.a0, sa_sents)
    b_lo_s, b0_new = _sentence_start(sb, m.b0, sb_sents)
    a_hi_s, a1_new = _sentence_end(sa, m.a1, sa_sents)
    b_hi_s, b1_new = _sentence_end(sb, m.b1, sb_sents)
    ta = ra.sources[ra.entries[ea].source]
    tb = rb.sources[rb.entries[eb].source]
    a_lo, a_hi = _chars(sa, m.a0, m.a1, ta)
    b_lo, b_hi = _chars(sb, m.b0, m.b1, tb)
    if m.a0 - a0_new <= th.snap_tokens and m.b0 - b0_new <= th.snap_tokens:
        m.a0, m.b0, a_lo, b_lo = a0_new, b0_new, a_lo_s, b_lo_s
    if a1_new - m.a1 <= th.snap_tokens and b1_new - m.b1 <= th.snap_tokens:
        m.a1, m.b1, a_hi, b_hi = a1_new, b1_new, a_hi_s, b_hi_s
    m.snapped_a = (a_lo, a_hi)  # type: ignore[attr-defined]
    m.snapped_b = (b_lo, b_hi)  # type: ignore[attr-defined]
    return a_lo, a_hi


def _sentence_start(s: TokenStream, t: int, sents: list[tuple[int, int]]) -> tuple[int, int]:
    """(char start of the sentence holding token t, first token index of that sentence/line)."""
    from bisect import bisect_right

    c = s.starts[t]
    k = bisect_right([a for a, _ in sents], c) - 1
    start = sents[k][0] if k >= 0 else c
    i = t
    while i > 0 and s.para[i - 1] == s.para[t] and s.starts[i - 1] >= start:
        i -= 1
    return start, i


def _sentence_end(s: TokenStream, t1: int, sents: list[tuple[int, int]]) -> tuple[int, int]:
    """(char end of the sentence holding token t1-1, token index after that sentence/line)."""
    from bisect import bisect_right

    c = s.starts[t1 - 1]
    k = bisect_right([a for a, _ in sents], c) - 1
    end = sents[k][1] if k >= 0 else s.ends[t1 - 1]
    i = t1
    para = s.para[t1 - 1]
    while i < len(s.para) and s.para[i] == para and s.ends[i] <= end:
        i += 1
    return end, i


def _add_copy_spans(ra: CaseRecord, rb: CaseRecord, p: Passage) -> None:
    for (r, e, s, t), (o, oe, os_, ot) in (((ra, p.a_entry, p.a_start, p.a_end), (rb, p.b_entry, p.b_start, p.b_end)),
                                          ((rb, p.b_entry, p.b_start, p.b_end), (ra, p.a_entry, p.a_start, p.a_end))):
        text = r.sources[r.entries[e].source]
        r.add_span(Span(label="sibling_copy", entry=e, start=s, end=t, text=text[s:t], attrs={
            "kind": p.kind, "similarity": p.similarity,
            "match": {"case_id": o.case_id, "entry": oe, "start": os_, "end": ot}}))


def _add_leak_spans(record: CaseRecord, leaks: list[Leak]) -> None:
    seen: set[tuple[int, int]] = set()
    for lk in sorted(leaks, key=lambda x: -x.score):
        if (lk.start, lk.end) in seen:
            continue
        seen.add((lk.start, lk.end))
        text = record.sources[record.entries[lk.entry].source]
        attrs = {"kind": lk.kind, "detail": lk.detail, "score": round(lk.score, 3)}
        if lk.sibling:
            attrs["sibling"] = lk.sibling
        record.add_span(Span(label="name_leak", entry=lk.entry, start=lk.start, end=lk.end,
                             text=text[lk.start:lk.end], attrs=attrs))


def compare_texts(a: str, b: str, rules: str | Path | Thresholds | None = "default") -> list[Passage]:
    """Copied passages between two plain texts (one entry each); used by the benchmarks.

    ``rules`` may also be a :class:`Thresholds`.
    """
    return _plain_pair(a, b, rules)[3]


def text_similarity(a: str, b: str, rules: str | Path | Thresholds | None = "default") -> Similarity | None:
    """How much of plain text ``a`` stands in ``b`` (0..1; see ``similarity.py``).

    None when ``a`` has no words. Coverage uses the passages :func:`compare_texts` finds.
    """
    th, sa, sb, passages = _plain_pair(a, b, rules)
    pa, pb = Profile.of_stream(sa, th.rare_word_bits), Profile.of_stream(sb, th.rare_word_bits)
    return document_similarity(pa, pb, [(p.match.a0, p.match.a1, p.similarity) for p in passages])


def _plain_pair(a: str, b: str, rules: str | Path | Thresholds | None
                ) -> tuple[Thresholds, TokenStream, TokenStream, list[Passage]]:
    """Two plain texts as one-entry records: thresholds, both streams and their passages."""
    from ..records import ChildMeta, Entry

    th = rules if isinstance(rules, Thresholds) else load_thresholds(rules)
    patterns = load_patterns()
    recs = [CaseRecord(case_id=k, meta=ChildMeta(child_id=k), sources={k: t},
                       entries=[Entry(source=k, start=0, end=len(t), body_start=0)])
            for k, t in (("a", a), ("b", b))]
    family = build_family(recs, patterns)
    sa, sb = (_stream(r, i, family, patterns) for i, r in enumerate(recs))
    return th, sa, sb, find_passages(recs[0], recs[1], sa, sb, th, patterns)
