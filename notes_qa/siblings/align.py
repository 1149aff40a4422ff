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

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from typing import Any, Iterable

from .config import Thresholds
from .text import TOKEN_RE, TOKEN_SPLIT_ASCII_RE, TOKEN_SPLIT_RE

_M_START, _M_END, _M_GROUP = re.Match.start, re.Match.end, re.Match.group
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
    #: Whether :meth:`index` has run.
    indexed: bool = False
    #: Sentence bounds of each entry (entry → ``text.sentence_bounds`` of its body), filled on
    #: demand and shared by every pair this file is in (and by the file's entry views).
    sentences: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    #: The starts of those sentences (entry → list), for bisection.
    sentence_starts: dict[int, list[int]] = field(default_factory=dict)
    #: Entry → its tokens' index range and the lower-cased text, for entries whose tokens are
    #: slices of it (``add_region``'s ``low_text``): the person-mention finder may use them.
    lowered_entries: dict[int, tuple[int, int, str]] = field(default_factory=dict)
    #: numpy arrays of the shingle hashes and their counts and of ``para`` (built on need).
    _arrays: dict[str, Any] = field(default_factory=dict, repr=False)

    def add_region(self, text: str, start: int, end: int, entry: int,
                   canon_map: dict[str, str], low_text: str | None = None) -> None:
        """Tokenise ``text[start:end]`` as part of ``entry``, a separator after each line.

        ``low_text`` may be ``text.lower()`` when that lower-cases character by character
        (:func:`notes_qa.siblings.text.lowered`): its tokens are then already lower case.

        The region is tokenised at once and cut at its paragraph breaks (a token never spans
        a newline), so that the per-token work stays in C and the per-line work is small.
        """
        if low_text is None:
            ms = list(TOKEN_RE.finditer(text, start, end))
            starts = list(map(_M_START, ms))
            ends = list(map(_M_END, ms))
            low = list(map(str.lower, map(_M_GROUP, ms)))
        else:
            # ``low_text`` is ``text.lower()``, lower-casing character by character
            # (``text.lowered``): its tokens are the lower-cased tokens of ``text``, in place.
            # Split around them (the same tokens as ``finditer``), with offsets from the lengths
            seg = low_text[start:end]
            # on ASCII text \w means the same with re.ASCII, which tests characters faster
            parts = (TOKEN_SPLIT_ASCII_RE if seg.isascii() else TOKEN_SPLIT_RE).split(seg)
            at = list(accumulate(map(len, parts), initial=start))
            starts, ends, low = at[1:-1:2], at[2:-1:2], parts[1::2]
        if not low:
            return
        canon = list(map(canon_map.get, low, low))
        n = len(starts)
        # lines that hold tokens: (token index where the line ends, char where it ends)
        cuts: list[tuple[int, int]] = []
        lo = 0
        for line_end in paragraph_breaks(text, start, end):
            hi = bisect_left(starts, line_end, lo)
            if hi > lo:
                cuts.append((hi, line_end))
                lo = hi
                if lo == n:
                    break
        if lo < n:
            cuts.append((n, end))
        # a separator after each line; a line's paragraph serial is the stream index of its
        # first token (as if the lines had been appended one by one)
        base = len(self.canon)
        para: list[int] = []
        first = 0
        for i, (q, _) in enumerate(cuts):
            para += [base + first + i] * (q - first)
            para.append(-1)
            first = q
        entries = [entry] * n
        key = self.key
        for i in range(len(cuts) - 1, -1, -1):
            q, line_end = cuts[i]
            starts.insert(q, line_end)
            ends.insert(q, line_end)
            low.insert(q, "")
            canon.insert(q, f"\x00{key}\x00{base + q + i}")
            entries.insert(q, -1)
        self.starts += starts
        self.ends += ends
        self.lower += low
        self.canon += canon
        self.entry += entries
        self.para += para

    def index(self, k: int) -> None:
        """Hash the k-token shingles (call once all regions are added)."""
        import numpy as np

        c = self.canon
        n = len(c) - k + 1
        if n <= 0:
            h = np.zeros(0, dtype=np.int64)
        elif _tuple_hash_in_numpy():
            h = tuple_hashes(np.fromiter(map(hash, c), dtype=np.int64, count=len(c)), k)
        else:
            h = np.fromiter(map(hash, zip(*[c[i:n + i] for i in range(k)])), dtype=np.int64, count=n)
        self.shingles = []  # as a list on need (:meth:`shingle_list`)
        self.counts = Counter()  # counted on need (by :func:`seeds`)
        self.indexed = True
        self._arrays = {"hash": h}

    def shingle_list(self) -> list[int]:
        """The shingle hashes as a list (for :func:`seeds`)."""
        if not self.shingles and self._arrays.get("hash") is not None:
            self.shingles = self._arrays["hash"].tolist()
        return self.shingles

    def hash_index(self) -> tuple[Any, Any, Any, Any]:
        """numpy arrays: the shingle hashes sorted, their positions in that order (ascending
        among equal hashes), the distinct hashes and how often each occurs."""
        got = self._arrays.get("index")
        if got is None:
            import numpy as np

            h = self._arrays["hash"]
            pos = np.argsort(h, kind="stable")
            hs = h[pos]
            if hs.size:
                starts = np.flatnonzero(np.concatenate(([True], hs[1:] != hs[:-1])))
                counts = np.diff(np.append(starts, hs.size))
                uniq = hs[starts]
            else:
                uniq, counts = hs, np.zeros(0, dtype=np.int64)
            got = self._arrays["index"] = (hs, pos, uniq, counts)
        return got

    def seedable(self, rep: int) -> Any:
        """The distinct shingle hashes occurring at most ``rep`` times (sorted numpy array)."""
        key = ("seedable", rep)
        got = self._arrays.get(key)
        if got is None:
            _, _, uniq, counts = self.hash_index()
            got = self._arrays[key] = uniq[counts <= rep]
        return got

    def para_array(self) -> Any:
        """``para`` as a numpy array."""
        got = self._arrays.get("para")
        if got is None:
            import numpy as np

            got = self._arrays["para"] = np.array(self.para, dtype=np.int64)
        return got


def tuple_hashes(item_hashes: Any, k: int) -> Any:
    """``hash(tuple(items[i:i + k]))`` for every i, from the items' hashes (numpy int64).

    CPython's tuple hash (xxHash-style, 64-bit) written as array operations: the same numbers
    as hashing each tuple, without making the tuples. :func:`_tuple_hash_in_numpy` checks it
    against ``hash`` once, and the caller hashes tuples where it does not hold.
    """
    import numpy as np

    p1 = np.uint64(11400714785074694791)  # CPython's _PyHASH_XXPRIME_1, _2 and _5
    p2 = np.uint64(14029467366897019727)
    p5 = np.uint64(2870177450012600261)
    lanes = item_hashes.view(np.uint64)
    n = lanes.size - k + 1
    acc = np.full(n, p5, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for i in range(k):
            acc += lanes[i:i + n] * p2
            acc = (acc << np.uint64(31)) | (acc >> np.uint64(33))
            acc *= p1
        acc += np.uint64(k) ^ (p5 ^ np.uint64(3527539))
    out = acc.view(np.int64)
    out[out == -1] = 1546275796
    return out


@lru_cache(maxsize=1)
def _tuple_hash_in_numpy() -> bool:
    """Whether :func:`tuple_hashes` gives this Python's tuple hashes (checked on a sample)."""
    import sys

    import numpy as np

    if sys.hash_info.width != 64:
        return False
    items = ["a", "b", "", "\x00x\x001", "visit", "she", 7, "home", "\x01n", "z" * 40]
    want = [hash(t) for t in zip(*[items[i:len(items) - 3 + i] for i in range(4)])]
    try:
        got = tuple_hashes(np.fromiter(map(hash, items), dtype=np.int64, count=len(items)), 4)
    except Exception:  # noqa: BLE001 (any surprise: hash the tuples)
        return False
    return got.tolist() == want


PARA_END = frozenset('.!?:;"”’)')


def paragraph_breaks(text: str, start: int, end: int) -> list[int]:
    """Newlines in ``text[start:end]`` that end a paragraph, not a hard-wrapped line.

    A newline ends a paragraph after closing punctuation, before a blank line, or before a
    bullet; a line wrapped mid-sentence (PDF text layers, e-mail) carries on.
    """
    out: list[int] = []
    nl = text.find("\n", start, end)
    while nl >= 0:
        j = nl - 1  # the last non-space character before the newline (within the region)
        while j >= start and text[j].isspace():
            j -= 1
        if j < start or text[j] in PARA_END:
            out.append(nl)
        else:
            nxt = text[nl + 1:nl + 2]
            if nxt in _BULLETS or nxt.isdigit():
                out.append(nl)
        nl = text.find("\n", nl + 1, end)
    return out


#: What may follow a newline that ends a paragraph regardless of the line before it: a blank
#: line or a bullet.
_BULLETS = frozenset(("\n", "-", "*", "•"))


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


@dataclass(slots=True)
class Match:
    """Aligned token ranges ``[a0, a1)`` in stream A and ``[b0, b1)`` in stream B."""

    a0: int
    a1: int
    b0: int
    b1: int
    seeds: int = 0
    #: Character ranges on each side once snapped to sentences (``find_passages``).
    snapped_a: tuple[int, int] | None = field(default=None, repr=False, compare=False)
    snapped_b: tuple[int, int] | None = field(default=None, repr=False, compare=False)
    #: The word-level ``difflib.SequenceMatcher`` of A's and B's lower-cased words in these
    #: ranges, once :func:`notes_qa.siblings.find_passages` has compared them (reused for leaks).
    matcher: Any = field(default=None, repr=False, compare=False)


def seeds(a: TokenStream, b: TokenStream, th: Thresholds) -> list[tuple[int, int]]:
    """Positions (i in A, j in B) of shingles the two streams share."""
    rep = th.max_seed_repeats
    for s in (a, b):
        if not s.counts:
            s.counts = Counter(s.shingle_list())
    shared = a.counts.keys() & b.counts.keys()
    if not shared:
        return []
    shared = {h for h in shared if a.counts[h] <= rep and b.counts[h] <= rep}
    pos_b: dict[int, list[int]] = {}
    for j, h in enumerate(b.shingle_list()):
        if h in shared:
            pos_b.setdefault(h, []).append(j)
    out: list[tuple[int, int]] = []
    for i, h in enumerate(a.shingle_list()):
        if h in shared:
            for j in pos_b[h]:
                out.append((i, j))
    return out


def chain(a: TokenStream, b: TokenStream, pairs: list[tuple[int, int]], th: Thresholds) -> list[Match]:
    """Merge seeds into maximal light-edit-tolerant matches (same entry on each side)."""
    k, gap = th.shingle_size, th.max_gap_tokens
    # 1. fragments along diagonals
    # sort by (diagonal, i) as one integer key per seed (the order of a sort on the tuple)
    width = max(len(a.canon), len(b.canon)) + 1
    keys = sorted([(j - i + width) * width + i for i, j in pairs])
    frags: list[Match] = []
    cur: Match | None = None
    cur_d = None
    for key in keys:
        dd, i = divmod(key, width)
        d = dd - width
        j = i + d
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
    frags.sort(key=lambda m: (m.a0, m.b0))
    return join_fragments(a, b, frags, th)


def join_fragments(a: TokenStream, b: TokenStream, frags: list[Match], th: Thresholds) -> list[Match]:
    """Steps 2-3 of :func:`chain`: fragments (sorted by ``(a0, b0)``) into extended, deduplicated
    matches."""
    k, gap, shift = th.shingle_size, th.max_gap_tokens, th.max_shift_tokens
    # 2. fragments into chains across small gaps / diagonal shifts
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
    """Drop matches mostly inside a longer one on either side (repeated text matching twice).

    Longest first (by A-side length), a match is kept unless a kept one covers more than half
    of it on side A or on side B. Kept ranges are indexed by start on each side, so only those
    that can overlap are looked at (the step's costliest loop was quadratic here).
    """
    matches.sort(key=lambda m: -(m.a1 - m.a0))
    kept: list[Match] = []
    a_starts: list[int] = []
    a_kept: list[Match] = []
    b_starts: list[int] = []
    b_kept: list[Match] = []
    a_max = b_max = 0  # longest kept range on each side (bounds how far back an overlap starts)
    for m in matches:
        half_a, half_b = 0.5 * (m.a1 - m.a0), 0.5 * (m.b1 - m.b0)
        ok = True
        for k in range(bisect_right(a_starts, m.a0 - a_max), bisect_left(a_starts, m.a1)):
            o = a_kept[k]
            if min(m.a1, o.a1) - max(m.a0, o.a0) > half_a:
                ok = False
                break
        if ok:
            for k in range(bisect_right(b_starts, m.b0 - b_max), bisect_left(b_starts, m.b1)):
                o = b_kept[k]
                if min(m.b1, o.b1) - max(m.b0, o.b0) > half_b:
                    ok = False
                    break
        if ok:
            kept.append(m)
            k = bisect_right(a_starts, m.a0)
            a_starts.insert(k, m.a0)
            a_kept.insert(k, m)
            k = bisect_right(b_starts, m.b0)
            b_starts.insert(k, m.b0)
            b_kept.insert(k, m)
            a_max = max(a_max, m.a1 - m.a0)
            b_max = max(b_max, m.b1 - m.b0)
    return kept


def align(a: TokenStream, b: TokenStream, th: Thresholds) -> list[Match]:
    """All maximal matches between two indexed streams.

    The same as ``chain(a, b, seeds(a, b, th), th)``, with the seeds and their fragments found
    by array operations (:func:`fragments`) rather than a Python loop over every seed.
    """
    frags = fragments(a, b, th)
    if frags is None:
        return chain(a, b, seeds(a, b, th), th)
    return join_fragments(a, b, frags, th)


def fragments(a: TokenStream, b: TokenStream, th: Thresholds) -> list[Match] | None:
    """Step 1 of :func:`chain` on the seeds of :func:`seeds`, with numpy; sorted by ``(a0, b0)``.

    Seeds on one diagonal, sorted by position, start a new fragment where the diagonal changes,
    where the gap to the previous seed exceeds ``max_gap_tokens`` or where the line changes
    (``para`` never decreases along a stream, so comparing a seed's line with the previous
    seed's is comparing it with the fragment's first). None in the one case that argument
    does not cover (a seed on a separator, i.e. a hash collision): then use :func:`chain`.
    """
    import numpy as np

    rep, k, gap = th.max_seed_repeats, th.shingle_size, th.max_gap_tokens
    hs_a, pos_a, _, _ = a.hash_index()
    hs_b, pos_b, _, _ = b.hash_index()
    sa, sb = a.seedable(rep), b.seedable(rep)
    if not sa.size or not sb.size:
        return []
    # hashes seedable on both sides (both arrays are sorted and distinct)
    at = np.minimum(np.searchsorted(sb, sa), sb.size - 1)
    shared = sa[sb[at] == sa]
    if not shared.size:
        return []
    # every (i, j) with equal hashes: each shared hash's positions are a run of the sorted
    # hashes on each side (ascending within the run); pair each of A's with each of B's
    lo_a = np.searchsorted(hs_a, shared, "left")
    ca = np.searchsorted(hs_a, shared, "right") - lo_a
    lo_b = np.searchsorted(hs_b, shared, "left")
    cb = np.searchsorted(hs_b, shared, "right") - lo_b
    per = ca * cb
    total = int(per.sum())
    g = np.repeat(np.arange(shared.size), per)
    t = np.arange(total) - np.repeat(np.cumsum(per) - per, per)
    i_all = pos_a[lo_a[g] + t // cb[g]]
    j_all = pos_b[lo_b[g] + t % cb[g]]
    d_all = j_all - i_all
    width = len(a.canon) + len(b.canon) + 1
    srt = np.argsort((d_all + width) * width + i_all)  # by diagonal, then position (keys distinct)
    i_s, d_s = i_all[srt], d_all[srt]
    para = a.para_array()[i_s]
    if total and int(para.min()) < 0:
        return None
    new = np.empty(total, dtype=bool)
    new[:1] = True
    new[1:] = (d_s[1:] != d_s[:-1]) | (i_s[1:] > i_s[:-1] + (k + gap)) | (para[1:] != para[:-1])
    st = np.flatnonzero(new)
    en = np.append(st[1:], total) - 1
    a0, a1 = i_s[st], i_s[en] + k
    b0, b1 = a0 + d_s[st], i_s[en] + d_s[en] + k
    by_pos = np.argsort(a0 * width + b0)  # by (a0, b0), distinct
    return [Match(*f) for f in zip(a0[by_pos].tolist(), a1[by_pos].tolist(), b0[by_pos].tolist(),
                                   b1[by_pos].tolist(), (en - st + 1)[by_pos].tolist())]


def token_similarity(x: list[str], y: list[str]) -> float:
    """Word-level similarity 2·M / (|x| + |y|) (difflib ratio; 1 = identical, higher = closer)."""
    from difflib import SequenceMatcher

    if not x and not y:
        return 1.0
    return SequenceMatcher(None, x, y, autojunk=False).ratio()


def longest_run(x: list[str], y: list[str]) -> int:
    """Length of the longest stretch of identical tokens shared by ``x`` and ``y``."""
    from difflib import SequenceMatcher

    if x == y:
        return len(x)  # what the matcher finds, without building it (most passages are verbatim)
    # the first block the matcher finds is a longest one (later ones lie in what is left)
    return SequenceMatcher(None, x, y, autojunk=False).find_longest_match(0, len(x), 0, len(y)).size


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
