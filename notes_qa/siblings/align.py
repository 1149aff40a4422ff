"""Candidate detection and light-edit-tolerant alignment of two token streams.

1. **Candidates**: every run of ``k`` canonical tokens (a shingle) is hashed; shingles shared
   by the two files are seeds. Shingles repeated more than ``max_seed_repeats`` times in a file
   are that file's boilerplate and never seed. Set intersection keeps this linear in file size.
2. **Chaining**: seeds on one diagonal (same offset between the files) merge into fragments;
   fragments merge across gaps of up to ``max_gap_tokens`` on each side whose diagonal shifts by
   at most ``max_shift_tokens`` (a few words inserted, deleted or changed).
3. **Extension**: a chain grows while canonical tokens agree on both sides.

Canonical tokens are lower-cased words with the family's children's names mapped to one symbol
and gendered pronouns to another, so a passage whose names and pronouns were swapped still
aligns (and is then judged near-verbatim, not verbatim).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

from .config import Thresholds
from .text import TOKEN_RE

NAME_SYMBOL = "\x01n"
PRONOUN_SYMBOL = "\x01p"


@dataclass
class TokenStream:
    """One file's tokens: offsets in their source, lower-cased and canonical forms, entry of each.

    A token whose ``entry`` is -1 is a separator between entries; it never matches.
    """

    key: str
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    lower: list[str] = field(default_factory=list)
    canon: list[str] = field(default_factory=list)
    entry: list[int] = field(default_factory=list)
    #: Paragraph (line) serial of each token: matches never cross a line break.
    para: list[int] = field(default_factory=list)
    shingles: list[int] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)

    def add_region(self, text: str, start: int, end: int, entry: int,
                   canon_map: dict[str, str]) -> None:
        """Tokenise ``text[start:end]`` as part of ``entry``, a separator after each line."""
        pos = start
        for brk in paragraph_breaks(text, start, end):
            self._add_line(text, pos, brk, entry, canon_map)
            pos = brk + 1
        self._add_line(text, pos, end, entry, canon_map)

    def _add_line(self, text: str, start: int, end: int, entry: int,
                  canon_map: dict[str, str]) -> None:
        ms = list(TOKEN_RE.finditer(text, start, end))
        if not ms:
            return
        n = len(ms)
        para = len(self.canon)
        self.starts.extend([m.start() for m in ms])
        self.ends.extend([m.end() for m in ms])
        low = [m.group().lower() for m in ms]
        self.lower.extend(low)
        self.canon.extend([canon_map.get(w, w) for w in low])
        self.entry.extend([entry] * n)
        self.para.extend([para] * n)
        self.starts.append(end)
        self.ends.append(end)
        self.lower.append("")
        self.canon.append(f"\x00{self.key}\x00{len(self.canon)}")
        self.entry.append(-1)
        self.para.append(-1)

    def index(self, k: int) -> None:
        """Hash the k-token shingles (call once all regions are added)."""
        c = self.canon
        if len(c) < k:
            self.shingles = []
        else:
            self.shingles = list(map(hash, zip(*[c[i:len(c) - k + 1 + i] for i in range(k)])))
        self.counts = Counter(self.shingles)


PARA_END = frozenset('.!?:;"”’)')


def paragraph_breaks(text: str, start: int, end: int) -> list[int]:
    """Newlines in ``text[start:end]`` that end a paragraph, not a hard-wrapped line.

    A newline ends a paragraph after closing punctuation, before a blank line, or before a
    bullet; a line wrapped mid-sentence (PDF text layers, e-mail) carries on.
    """
    out: list[int] = []
    nl = text.find("\n", start, end)
    while nl >= 0:
        prev = text[start:nl].rstrip()[-1:]
        nxt = text[nl + 1:nl + 3]
        if (not prev or prev in PARA_END or nxt[:1] in ("\n", "-", "*", "•", "\u2022")
                or nxt[:1].isdigit()):
            out.append(nl)
        nl = text.find("\n", nl + 1, end)
    return out


def canon_map_for(names: Iterable[str], pronouns: Iterable[str]) -> dict[str, str]:
    """Lower-cased word → canonical symbol, for names (and their possessives) and pronouns."""
    m: dict[str, str] = {}
    for n in names:
        n = n.lower()
        for form in (n, n + "'s", n + "’s", n + "s'"):
            m[form] = NAME_SYMBOL
    for p in pronouns:
        m[p.lower()] = PRONOUN_SYMBOL
    return m


@dataclass
class Match:
    """Aligned token ranges ``[a0, a1)`` in stream A and ``[b0, b1)`` in stream B."""

    a0: int
    a1: int
    b0: int
    b1: int
    seeds: int = 0


def seeds(a: TokenStream, b: TokenStream, th: Thresholds) -> list[tuple[int, int]]:
    """Positions (i in A, j in B) of shingles the two streams share."""
    rep = th.max_seed_repeats
    shared = a.counts.keys() & b.counts.keys()
    if not shared:
        return []
    shared = {h for h in shared if a.counts[h] <= rep and b.counts[h] <= rep}
    pos_b: dict[int, list[int]] = {}
    for j, h in enumerate(b.shingles):
        if h in shared:
            pos_b.setdefault(h, []).append(j)
    out: list[tuple[int, int]] = []
    for i, h in enumerate(a.shingles):
        if h in shared:
            for j in pos_b[h]:
                out.append((i, j))
    return out


def chain(a: TokenStream, b: TokenStream, pairs: list[tuple[int, int]], th: Thresholds) -> list[Match]:
    """Merge seeds into maximal light-edit-tolerant matches (same entry on each side)."""
    k, gap, shift = th.shingle_size, th.max_gap_tokens, th.max_shift_tokens
    # 1. fragments along diagonals
    pairs.sort(key=lambda p: (p[1] - p[0], p[0]))
    frags: list[Match] = []
    cur: Match | None = None
    cur_d = None
    for i, j in pairs:
        d = j - i
        if cur is not None and d == cur_d and i <= cur.a1 + gap and a.para[i] == a.para[cur.a0]:
            cur.a1 = max(cur.a1, i + k)
            cur.b1 = max(cur.b1, j + k)
            cur.seeds += 1
            continue
        if cur is not None:
            frags.append(cur)
        cur = Match(i, i + k, j, j + k, 1)
        cur_d = d
    if cur is not None:
        frags.append(cur)
    # 2. fragments into chains across small gaps / diagonal shifts
    frags.sort(key=lambda m: (m.a0, m.b0))
    open_: list[Match] = []
    done: list[Match] = []
    for f in frags:
        still: list[Match] = []
        for c in open_:
            if c.a1 + gap < f.a0:
                done.append(c)
            else:
                still.append(c)
        open_ = still
        joined = False
        for c in open_:
            da, db = f.a0 - c.a1, f.b0 - c.b1
            if (-k <= da <= gap and -k <= db <= gap and abs(da - db) <= shift
                    and a.para[f.a0] == a.para[c.a0] and b.para[f.b0] == b.para[c.b0]):
                c.a1 = max(c.a1, f.a1)
                c.b1 = max(c.b1, f.b1)
                c.seeds += f.seeds
                joined = True
                break
        if not joined:
            open_.append(f)
    done.extend(open_)
    for m in done:
        extend(a, b, m)
    return dedupe(done)


def extend(a: TokenStream, b: TokenStream, m: Match) -> None:
    """Grow ``m`` while the canonical tokens on both sides agree."""
    ca, cb = a.canon, b.canon
    while m.a0 > 0 and m.b0 > 0 and ca[m.a0 - 1] == cb[m.b0 - 1] and a.para[m.a0 - 1] >= 0:
        m.a0 -= 1
        m.b0 -= 1
    while m.a1 < len(ca) and m.b1 < len(cb) and ca[m.a1] == cb[m.b1] and a.para[m.a1] >= 0:
        m.a1 += 1
        m.b1 += 1


def dedupe(matches: list[Match]) -> list[Match]:
    """Drop matches mostly inside a longer one on either side (repeated text matching twice)."""
    matches.sort(key=lambda m: -(m.a1 - m.a0))
    kept: list[Match] = []
    for m in matches:
        ok = True
        for o in kept:
            ov_a = min(m.a1, o.a1) - max(m.a0, o.a0)
            ov_b = min(m.b1, o.b1) - max(m.b0, o.b0)
            if ov_a > 0.5 * (m.a1 - m.a0) or ov_b > 0.5 * (m.b1 - m.b0):
                ok = False
                break
        if ok:
            kept.append(m)
    return kept


def align(a: TokenStream, b: TokenStream, th: Thresholds) -> list[Match]:
    """All maximal matches between two indexed streams."""
    return chain(a, b, seeds(a, b, th), th)


def token_similarity(x: list[str], y: list[str]) -> float:
    """Word-level similarity 2·M / (|x| + |y|) (difflib ratio; 1 = identical, higher = closer)."""
    from difflib import SequenceMatcher

    if not x and not y:
        return 1.0
    return SequenceMatcher(None, x, y, autojunk=False).ratio()


def longest_run(x: list[str], y: list[str]) -> int:
    """Length of the longest stretch of identical tokens shared by ``x`` and ``y``."""
    from difflib import SequenceMatcher

    blocks = SequenceMatcher(None, x, y, autojunk=False).get_matching_blocks()
    return max((b.size for b in blocks), default=0)


def enough_evidence(x: list[str], y: list[str], th: Thresholds) -> bool:
    """Whether two aligned canonical token runs are a copy rather than a shared template.

    A short passage (under ``long_passage_tokens`` words) must match almost whole: one
    unbroken run of at least ``min_run_tokens`` covering ``short_run_share`` of its words.
    A longer one may be edited more, but needs an unbroken run of ``min_run_tokens_long``.
    """
    n = min(len(x), len(y))
    run = longest_run(x, y)
    if n < th.long_passage_tokens:
        return run >= th.min_run_tokens and run >= th.short_run_share * n
    return run >= th.min_run_tokens_long
