"""The family batch step: passages copied between siblings' files, name leaks, focus.

Called once per family (two or more case records sharing a ``family_id``) after the
per-document pipeline, by :func:`notes_qa.scoring.score_family`::

    compare_family(records)   # adds sibling_copy and name_leak spans, extra["focus"],
                              # extra["sibling_similarity"]

It is a batch step, not a spaCy component: it works across documents. See ``README.md`` in
this folder for the method and the shared-background rule.
"""
from __future__ import annotations

import gc
from bisect import bisect_right
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import combinations, repeat
from pathlib import Path
from typing import Sequence

from ..records import CaseRecord, Span
from .align import Match, TokenStream, align, canon_map_for, enough_evidence
from .background import is_shared_background
from .config import Patterns, Thresholds, capped_word_bits, load_patterns, load_thresholds
from .focus import file_focus
from .leaks import EntryView, Leak, copy_leaks, infer_gender, sentence_leaks
from .people import Family, build_family
from .similarity import Profile, Similarity, document_similarity, shared_types
from .text import body_start, lowered, sentence_bounds

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
    # The step makes a few hundred thousand short-lived objects per family (tokens, mentions,
    # matches) and almost no reference cycles: the cyclic collector's passes over them cost
    # ~15% of the step, so it is paused while the family is compared (and any cycle is
    # collected once it runs again).
    paused = gc.isenabled()
    gc.disable()
    try:
        _compare(records, th)
    finally:
        if paused:
            gc.enable()


def _compare(records: list[CaseRecord], th: Thresholds) -> None:
    """The work of :func:`compare_family` for two or more records."""
    patterns = load_patterns()
    family = build_family(records, patterns)
    sentences: dict[int, dict[int, list[tuple[int, int]]]] = {c.index: {} for c in family.children}
    streams: list[TokenStream] = []
    profiles: list[Profile] = []
    for c, r in zip(family.children, records):
        # each file's token passes one after the other, while its tokens are fresh in memory
        s = _stream(r, c.index, family, patterns, sentences[c.index])
        s.index(th.shingle_size)
        s.hash_index()
        streams.append(s)
        profiles.append(Profile.of_stream(s, th.rare_word_bits))
    views = {c.index: {i: EntryView(family, c.record, i, sentences[c.index], streams[c.index])
                       for i in range(len(c.record.entries))}
             for c in family.children}
    if any(c.gender is None for c in family.children):
        for c in family.children:
            if c.gender is None:
                infer_gender(family, c, views[c.index])
        for vs in views.values():
            for v in vs.values():
                v._mentions, v._resolved = None, {}
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
    shared = shared_types(profiles[ix], profiles[iy])
    sx = document_similarity(profiles[ix], profiles[iy],
                             [(p.match.a0, p.match.a1, p.similarity) for p in passages], shared)
    sy = document_similarity(profiles[iy], profiles[ix],
                             [(p.match.b0, p.match.b1, p.similarity) for p in passages], shared)
    if sx is not None:
        out[ix][idy] = sx.to_dict()
    if sy is not None:
        out[iy][idx] = sy.to_dict()


def _stream(record: CaseRecord, index: int, family: Family, patterns: Patterns,
            sentences: dict[int, list[tuple[int, int]]] | None = None) -> TokenStream:
    """The file's token stream; ``sentences`` is the file's sentence cache (shared with its views)."""
    names = [n for c in family.children for n in c.names]
    cmap = canon_map_for(names, [p for ps in patterns.pronouns.values() for p in ps])
    s = TokenStream(key=str(index), sentences={} if sentences is None else sentences)
    low = {src: lowered(text) for src, text in record.sources.items()}
    for i, e in enumerate(record.entries):
        text = record.sources[e.source]
        first = len(s.canon)
        s.add_region(text, body_start(text, e.start, e.end, e.body_start), e.end, i, cmap,
                     low[e.source])
        if low[e.source] is not None:
            s.lowered_entries[i] = (first, len(s.canon), low[e.source])
    return s


def find_passages(ra: CaseRecord, rb: CaseRecord, sa: TokenStream, sb: TokenStream,
                  th: Thresholds, patterns: Patterns) -> list[Passage]:
    """Copied passages between two indexed files, snapped to sentences and filtered."""
    for s in (sa, sb):
        if not s.indexed:
            s.index(th.shingle_size)
    out: list[Passage] = []
    bits = capped_word_bits(th.rare_word_bits)
    for m in align(sa, sb, th):
        ea, eb = sa.entry[m.a0], sb.entry[m.b0]
        a_lo, a_hi = _snap(ra, sa, ea, m, th, sb, rb, eb)
        words = sa.lower[m.a0:m.a1]
        if len(words) < th.min_tokens or a_hi - a_lo < th.min_chars:
            continue
        spec = sum(map(bits.get, words, repeat(th.rare_word_bits)))
        if spec < th.min_specificity_bits:
            continue
        a_lo, a_hi = m.snapped_a  # type: ignore[misc]  (set by _snap)
        b_lo, b_hi = m.snapped_b  # type: ignore[misc]
        other = sb.lower[m.b0:m.b1]
        if not enough_evidence(sa.canon[m.a0:m.a1], sb.canon[m.b0:m.b1], th):
            continue
        if words == other:
            sim, kind = 1.0, "verbatim"
        else:
            # token_similarity(words, other), keeping the matcher for the leak checks
            m.matcher = SequenceMatcher(None, words, other, autojunk=False)
            sim = round(m.matcher.ratio(), 4)
            kind = "near_verbatim"
        if sim < th.min_similarity:
            continue
        ent = ra.entries[ea]
        ta = ra.sources[ent.source]
        at_start = a_lo <= body_start(ta, ent.start, ent.end, ent.body_start) + 1
        if is_shared_background(ta, a_lo, words, ta[a_lo:a_hi], ent.note_type, at_start, patterns, th):
            kind = "shared_background"
        out.append(Passage(ea, a_lo, a_hi, eb, b_lo, b_hi, sim, kind, m))
    return out


def _sentence_extent(s: TokenStream, sents: list[tuple[int, int]], starts: list[int],
                     i0: int, i1: int) -> tuple[int, int, int, int]:
    """(first token, char start) of the sentence holding token ``i0`` (tokens in the same line
    only), and (token after, char end) of the sentence holding token ``i1 - 1``."""
    st, en, para = s.starts, s.ends, s.para
    c = st[i0]
    k = bisect_right(starts, c) - 1
    lo = sents[k][0] if k >= 0 else c
    j0, p = i0, para[i0]
    while j0 > 0 and para[j0 - 1] == p and st[j0 - 1] >= lo:
        j0 -= 1
    c = st[i1 - 1]
    k = bisect_right(starts, c) - 1
    hi = sents[k][1] if k >= 0 else en[i1 - 1]
    j1, p, n = i1, para[i1 - 1], len(para)
    while j1 < n and para[j1] == p and en[j1] <= hi:
        j1 += 1
    return j0, lo, j1, hi


def _own_range(text: str, s: TokenStream, i0: int, i1: int) -> tuple[int, int]:
    """The char range of tokens ``i0:i1``, a final . ! or ? included."""
    lo, hi = s.starts[i0], s.ends[i1 - 1]
    if hi < len(text) and text[hi] in ".!?":
        hi += 1
    return lo, hi


def _snap(ra: CaseRecord, sa: TokenStream, ea: int, m: Match, th: Thresholds,
          sb: TokenStream, rb: CaseRecord, eb: int) -> tuple[int, int]:
    """Stretch a match to whole sentences when only a few words are missing at either end.

    Sets ``m.snapped_a`` / ``m.snapped_b`` (char ranges) and moves the token bounds. A
    sentence's start is the first token of the sentence holding the match's first token (in
    the same line), its end the token after the sentence holding the last one; the match's own
    char range takes in a final . ! or ?.
    """
    a0, a1, b0, b1 = m.a0, m.a1, m.b0, m.b1
    snap = th.snap_tokens
    a0_new, a_lo_s, a1_new, a_hi_s = _sentence_extent(sa, *entry_sentences(ra, sa, ea), a0, a1)
    b0_new, b_lo_s, b1_new, b_hi_s = _sentence_extent(sb, *entry_sentences(rb, sb, eb), b0, b1)
    a_lo, a_hi = _own_range(ra.sources[ra.entries[ea].source], sa, a0, a1)
    b_lo, b_hi = _own_range(rb.sources[rb.entries[eb].source], sb, b0, b1)
    if a0 - a0_new <= snap and b0 - b0_new <= snap:
        m.a0, m.b0, a_lo, b_lo = a0_new, b0_new, a_lo_s, b_lo_s
    if a1_new - a1 <= snap and b1_new - b1 <= snap:
        m.a1, m.b1, a_hi, b_hi = a1_new, b1_new, a_hi_s, b_hi_s
    m.snapped_a = (a_lo, a_hi)
    m.snapped_b = (b_lo, b_hi)
    return a_lo, a_hi


def entry_sentences(record: CaseRecord, s: TokenStream, e: int
                    ) -> tuple[list[tuple[int, int]], list[int]]:
    """Sentence bounds of entry ``e``'s body and their starts, cached on the file's stream."""
    got = s.sentences.get(e)
    if got is None:
        en = record.entries[e]
        text = record.sources[en.source]
        got = s.sentences[e] = sentence_bounds(text, body_start(text, en.start, en.end, en.body_start),
                                               en.end)
    starts = s.sentence_starts.get(e)
    if starts is None:
        starts = s.sentence_starts[e] = [a for a, _ in got]
    return got, starts


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
