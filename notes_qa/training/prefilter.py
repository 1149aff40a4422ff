"""Cheap literal prefilters for the rule regexes: skip a regex when it cannot possibly match.

Python's ``re`` is slow on long case-insensitive alternations: every text position enters every
branch. Most sentences hold none of a rule family's words, so each family gets a *necessary
condition* derived from its regex fragments: every match of a fragment contains one of a few
literal strings (``"close[ds]?"`` → "close"; ``"is (?:happy|sad)"`` → "is happy", "is sad"), or,
for short words bounded on both sides, is one of a few whole words ("as", "so", "we"). The test
runs on the lower-cased text: one ``search`` of a plain literal alternation (which ``re`` scans
quickly) or a set test against the sentence's words. When the test fails the family's regex is
skipped; when it passes the original regex runs unchanged, so results are identical.

A fragment whose literals cannot be derived makes its family's prefilter always pass.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from itertools import product
from typing import Callable, Iterable, Iterator

try:  # Python ≥ 3.11
    from re import _constants as _c
    from re import _parser as _p
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

_WORD = re.compile(r"\w+")
#: Characters that ``re.IGNORECASE`` matches to other letters than ``str.lower()`` gives
#: (the four non-ASCII letters matching ASCII ones, plus the ``re`` module's extra case pairs).
_SPECIAL: frozenset[str] = frozenset("İıſK")
try:
    from re import _casefix

    _SPECIAL = _SPECIAL | frozenset(chr(c) for k, vs in _casefix._EXTRA_CASES.items() for c in (k, *vs))
except Exception:  # pragma: no cover - the literal set above still covers the ASCII cases
    pass
#: The non-ASCII ones: a text holding none of them lower-cases faithfully for ``re.IGNORECASE``
#: (an ASCII letter in the text matches a pattern's ASCII letter exactly when their lower cases
#: agree; the special pairings all involve a non-ASCII letter, and a rule fragment holding one
#: gets no literal test at all, see :func:`_fragment_tests`).
_SPECIAL_TEXT: frozenset[str] = frozenset(c for c in _SPECIAL | {"\u0130", "\u0131", "\u017f", "\u212a"}
                                          if not c.isascii())
#: Ends a finder literal that must not be followed by a word character (see :func:`_finder_literals`)
_WORD_END = "\x00"
_CAP = 64  # most literal variants one fragment may expand to
_GRAM = 3  # length of the leading character runs that index an alternation's literals
_SHORT = 4  # below this length a literal is tested as a whole word where the rule allows it


def _lowers_faithfully(text: str, low: str) -> bool:
    """Whether ``low`` (``text.lower()``) stands in faithfully for ``text`` under ``re.IGNORECASE``:
    same offsets, and no character that IGNORECASE pairs with another letter than lower() gives."""
    return len(low) == len(text) and (text.isascii() or _SPECIAL_TEXT.isdisjoint(text))


class Probe:
    """The text of one sentence/clause (``text``), lower-cased (``low``), and its words, computed
    on first use."""

    __slots__ = ("text", "low", "_words", "exact", "_index")

    def __init__(self, text: str) -> None:
        #: the text itself: one string object that every user of the probe shares (its hash is
        #: computed once, however many tables it is looked up in)
        self.text = text
        low = text.lower()
        #: False when lower-casing is not a faithful stand-in for ``re.IGNORECASE`` here
        self.exact = _lowers_faithfully(text, low)
        self.low = low
        self._words: frozenset[str] | None = None
        #: per :class:`LiteralIndex` (where its alternations' literals start in the text) and
        #: :class:`SubstringIndex` (which of its alternations' fragments have a literal in it)
        self._index: dict[LiteralIndex | SubstringIndex, dict] | None = None

    def by_index(self) -> dict:
        """What each :class:`LiteralIndex` or :class:`SubstringIndex` found in this text, by index."""
        cache = self._index
        if cache is None:
            cache = self._index = {}
        return cache

    @property
    def words(self) -> frozenset[str]:
        if self._words is None:
            self._words = frozenset(_WORD.findall(self.low))
        return self._words


class Prefilter:
    """A necessary condition for any of ``fragments`` to match (see the module docstring).

    ``bounded``: the family's regex requires a non-word character (or the text's edge) on both
    sides of each match, so a short literal that spans a whole fragment is a whole word.
    """

    def __init__(self, fragments: Iterable[str], *, flags: int = re.I, bounded: bool = False) -> None:
        subs: set[str] = set()
        words: set[str] = set()
        self.always = False
        for frag in fragments:
            tests = _fragment_tests(frag, flags, bounded)
            if tests is None:
                self.always = True
                break
            for kind, s in tests:
                (words if kind == "word" else subs).add(s)
        # a literal containing a shorter one adds nothing to an "any of" test
        keep = sorted(subs, key=len)
        minimal: list[str] = []
        for s in keep:
            if not any(m in s for m in minimal):
                minimal.append(s)
        self.words = frozenset(words)
        self.subs = tuple(sorted(minimal, key=len, reverse=True))
        self._rx = re.compile(_trie(self.subs)) if self.subs else None

    def __call__(self, probe: Probe) -> bool:
        """Whether the family's regex could match the probed text (False: it surely cannot)."""
        if self.always or not probe.exact:
            return True
        if self.words and not self.words.isdisjoint(probe.words):
            return True
        return self._rx is not None and self._rx.search(probe.low) is not None


class Gated:
    """A compiled regex with its :class:`Prefilter`; ``finditer``/``search`` skip hopeless text.

    The probe is of the sentence or clause that contains ``text`` (a superset is fine).
    """

    __slots__ = ("rx", "pre")

    def __init__(self, rx: re.Pattern[str], fragments: Iterable[str], *, bounded: bool = False,
                 pre: Prefilter | None = None) -> None:
        self.rx = rx
        self.pre = pre if pre is not None else Prefilter(fragments, flags=rx.flags, bounded=bounded)

    def finditer(self, text: str, probe: Probe | None = None) -> Iterator[re.Match[str]]:
        return self.rx.finditer(text) if self.pre(probe or Probe(text)) else iter(())

    def search(self, text: str, probe: Probe | None = None) -> re.Match[str] | None:
        return self.rx.search(text) if self.pre(probe or Probe(text)) else None


class Alternation:
    """An alternation of rule fragments, compiled per text for only the fragments that could match.

    ``build(indices)`` returns the regex source for the fragments at ``indices`` (in their
    original order, so the first alternative that matches at a position is the same one as in
    the full alternation: a fragment left out cannot match anywhere in the text), adding only
    zero-width tests before them. Compiled subsets are cached.

    ``finditer``/``search`` give exactly the full regex's matches. On text that lower-cases
    faithfully they find them through a *finder* (see :func:`_finder_literals`): one fast scan for where
    any fragment's leading literals occur, then the full regex tried at those positions only;
    elsewhere through the compiled subset of :meth:`candidates`.
    """

    def __init__(self, fragments: list[str], build: Callable[[tuple[int, ...]], str], *, flags: int = re.I,
                 bounded: bool = False, cache_size: int = 2048) -> None:
        self.fragments = list(fragments)
        self.build = build
        self.flags = flags
        self.bounded = bounded
        self._cache: dict[tuple[int, ...], re.Pattern[str] | None] = {}
        self._cache_size = cache_size
        self._seen: set[tuple[int, ...]] = set()
        always: list[int] = []
        words: dict[str, set[int]] = {}
        subs: dict[str, set[int]] = {}
        for i, frag in enumerate(self.fragments):
            tests = _fragment_tests(frag, flags, bounded)
            if tests is None:
                always.append(i)
                continue
            for kind, lit in tests:
                (words if kind == "word" else subs).setdefault(lit, set()).add(i)
        self.always = frozenset(always)
        self.words = {w: frozenset(ids) for w, ids in words.items()}
        self._word_keys = frozenset(self.words)
        self.subs = tuple((lit, frozenset(ids)) for lit, ids in sorted(subs.items()))
        #: the literals indexed by their first :data:`_GRAM` characters (shorter ones kept apart)
        by_gram: dict[str, list[tuple[str, frozenset[int]]]] = {}
        short: list[tuple[str, frozenset[int]]] = []
        for lit, ids in self.subs:
            if len(lit) >= _GRAM:
                by_gram.setdefault(lit[:_GRAM], []).append((lit, ids))
            else:
                short.append((lit, ids))
        self._by_gram = {g: tuple(v) for g, v in by_gram.items()}
        self._short_subs = tuple(short)
        self._sub_rx = re.compile(_trie(subs)) if subs else None
        self._always_ids = tuple(sorted(always))
        self.full = self._compile(tuple(range(len(self.fragments))))
        self._literals = _finder_literals(self.fragments, flags, bounded)
        self._finder = (re.compile("(?=" + _trie(self._literals) + ")") if self._literals else None)
        #: (index, position in it) once a :class:`LiteralIndex` takes this alternation in
        self._index: tuple[LiteralIndex, int] | None = None
        #: (index, position in it) once a :class:`SubstringIndex` takes this alternation in
        self._subindex: tuple[SubstringIndex, int] | None = None

    def _compile(self, ids: tuple[int, ...]) -> re.Pattern[str] | None:
        rx = self._cache.get(ids)
        if rx is None and ids not in self._cache:
            full = getattr(self, "full", None)
            if full is not None and ids and not self._seen_once(ids):
                # Most subsets occur once in a corpus; compiling one costs far more than
                # searching with the full alternation, which finds exactly the same matches.
                return full
            if len(self._cache) >= self._cache_size:
                self._cache.clear()
            rx = re.compile(self.build(ids), self.flags) if ids else None
            self._cache[ids] = rx
        return rx

    def _seen_once(self, ids: tuple[int, ...]) -> bool:
        """Whether ``ids`` was asked for before (and record that it now has been)."""
        seen = self._seen
        if ids in seen:
            return True
        if len(seen) >= 8 * self._cache_size:
            seen.clear()
        seen.add(ids)
        return False

    def candidates(self, probe: Probe) -> tuple[int, ...]:
        """Indices of the fragments that could match the probed text."""
        if not probe.exact:
            return tuple(range(len(self.fragments)))
        found = self._word_keys.intersection(probe.words) if self._word_keys else ()
        by_subs = self._substring_hits(probe)
        if not found and not by_subs:
            return self._always_ids
        hits = set(self.always)
        for w in found:
            hits |= self.words[w]
        if by_subs:
            hits |= by_subs
        return tuple(sorted(hits))

    def _substring_hits(self, probe: Probe) -> frozenset[int] | set[int] | None:
        """The fragments one of whose substring literals occurs in the probed (lower-cased) text:
        from the :class:`SubstringIndex` this alternation shares, else by its own tests."""
        if self._subindex is not None:
            index, k = self._subindex
            return index.found(probe).get(k)
        low = probe.low
        if self._sub_rx is None or self._sub_rx.search(low) is None:
            return None
        hits: set[int] = set()
        for lit, ids in self._short_subs:
            if lit in low:
                hits |= ids
        # the leading runs that occur in the text (a few substring tests, cheaper than listing
        # every run of the text)
        for g, entries in self._by_gram.items():
            if g in low:
                for lit, ids in entries:
                    if lit in low:
                        hits |= ids
        return hits

    def regex(self, probe: Probe) -> re.Pattern[str] | None:
        """The alternation of the fragments that could match (None: none could)."""
        return self._compile(self.candidates(probe))

    def _matches(self, text: str, low: str | None, pos: int, endpos: int,
                 first: bool = False) -> list[re.Match[str]] | None:
        """The full alternation's matches in ``text[pos:endpos]`` found through the finder
        (``low``: ``text[pos:endpos]`` lower-cased, or None to do it here; ``first``: only the
        first match); None when the finder cannot be used on this text.

        The finder marks every position where some fragment's leading literals start (a
        superset of where the alternation can match); the full alternation is then tried at
        just those positions, skipping any inside the previous match, as ``finditer`` would.
        """
        finder = self._finder
        if finder is None or self.full is None:
            return None
        if low is None:
            part = text[pos:endpos] if pos or endpos != len(text) else text
            low = part.lower()
            if not _lowers_faithfully(part, low):
                return None
        return self._tried_at((f.start() + pos for f in finder.finditer(low)), text, endpos, first)

    def _tried_at(self, starts: Iterable[int], text: str, endpos: int,
                  first: bool = False) -> list[re.Match[str]]:
        """The full alternation's matches in ``text[:endpos]`` starting at ``starts`` (ascending
        positions that include every start it could match at), skipping any start inside the
        previous match, as ``finditer`` would (``first``: stop at the first match)."""
        full = self.full
        out: list[re.Match[str]] = []
        end = -1
        for p in starts:
            if p < end:
                continue
            m = full.match(text, p, endpos)  # type: ignore[union-attr]
            if m is not None:
                out.append(m)
                if first:
                    break
                end = m.end()
        return out

    def _indexed(self, text: str, probe: Probe, base: int, lo: int, hi: int,
                 endpos: int, first: bool = False) -> list[re.Match[str]]:
        """Matches found at the starts that the probe's :class:`LiteralIndex` lists between
        ``lo`` and ``hi`` (offsets in the probe's text, which is ``text`` shifted by ``base``;
        ``first``: only the first match)."""
        index, k = self._index  # type: ignore[misc]
        starts = index.starts(probe).get(k)
        if starts is None:
            return []
        return self._tried_at((q + base for q in starts[bisect_left(starts, lo):bisect_left(starts, hi)]),
                              text, endpos, first)

    def _found(self, text: str, probe: Probe | None, offset: int | None,
               first: bool) -> list[re.Match[str]] | None:
        """:meth:`finditer`'s matches through the literal index or the finder (``first``: only
        the first); None where only the compiled subset of :meth:`candidates` can find them."""
        if offset is None and probe is not None and len(probe.low) == len(text):
            offset = 0
        if probe is not None and offset is not None and self._index is not None and probe.exact:
            return self._indexed(text, probe, -offset, offset, offset + len(text), len(text), first)
        if probe is None or probe.exact:
            return self._matches(text, None, 0, len(text), first)
        return None

    def absent(self, probe: Probe | None) -> bool:
        """Whether the probe's :class:`LiteralIndex` shows that the alternation matches nowhere in
        the probe's text (so nowhere in any part of it), or its :class:`SubstringIndex` that no
        fragment could: a test cheaper than a ``finditer`` or ``search`` that finds nothing.
        False when that cannot be told this way."""
        if probe is None or not probe.exact:
            return False
        ix = self._index
        if ix is not None:
            return ix[1] not in ix[0].starts(probe)
        sx = self._subindex  # no fragment without a literal test, no word test, no literal found
        return (sx is not None and not self.always and not self._word_keys
                and sx[1] not in sx[0].found(probe))

    def finditer(self, text: str, probe: Probe | None = None, offset: int | None = None) -> Iterator[re.Match[str]]:
        """Matches in ``text`` (``probe``: of ``text`` or of a text containing it; ``offset``,
        when known: where ``text`` starts in the probe's text, which lets a shared
        :class:`LiteralIndex` of that text be used; a probe as long as ``text`` is of ``text``
        itself, at offset 0)."""
        if self.absent(probe):
            return iter(())
        found = self._found(text, probe, offset, first=False)
        if found is not None:
            return iter(found)
        rx = self.regex(probe or Probe(text))
        return rx.finditer(text) if rx is not None else iter(())

    def search(self, text: str, probe: Probe | None = None, pos: int = 0,
               endpos: int | None = None, *, offset: int | None = None) -> re.Match[str] | None:
        """The first match in ``text[pos:endpos]`` (``probe``: of that text or of a text
        containing it; when it is of exactly ``text[pos:endpos]`` its lower-cased text and
        literal index are reused; ``offset`` as in :meth:`finditer`, for a whole ``text``)."""
        if offset is not None and not pos and endpos is None:
            if self.absent(probe):
                return None
            found = self._found(text, probe, offset, first=True)
            if found is not None:
                return found[0] if found else None
            rx = self.regex(probe or Probe(text))
            return rx.search(text) if rx is not None else None
        endpos = len(text) if endpos is None else endpos
        if probe is not None and self._index is not None and probe.exact and len(probe.low) == endpos - pos:
            found = self._indexed(text, probe, pos, 0, endpos - pos, endpos, first=True)
            return found[0] if found else None
        if probe is None or probe.exact:
            low = probe.low if probe is not None and len(probe.low) == endpos - pos else None
            found = self._matches(text, low, pos, endpos, first=True)
            if found is not None:
                return found[0] if found else None
        rx = self.regex(probe or Probe(text[pos:endpos]))
        return rx.search(text, pos, endpos) if rx is not None else None


class LiteralIndex:
    """One scan of a text for the finders of several :class:`Alternation` s at once.

    Each alternation's finder is a set of literals its matches start with; this joins them all
    into one character trie that takes the *longest* literal starting at a position, runs it
    once over a :class:`Probe`'s lower-cased text (remembered on the probe) and hands each
    alternation the positions where one of *its* literals starts: those whose literal is a
    prefix of the one found (every literal starting there is one). Inside a word only the
    alternations not bounded by non-word characters (``bounded=False``) are told. An
    alternation asked about a clause of the text then tries its full regex at those positions
    only. An index of bounded alternations alone looks at word starts only, which ``re`` finds
    in C (the scan opens with a non-word character class): keep unbounded alternations out of
    an index shared by many sentences unless they are asked about most of them.
    """

    def __init__(self, alternations: Iterable[Alternation]) -> None:
        members = [a for a in alternations if a._literals is not None and a._index is None]
        #: the alternations this index serves, each told its place here (``Alternation._index``)
        self.members: tuple[Alternation, ...] = tuple(members)
        for k, alt in enumerate(members):
            alt._index = (self, k)
        self._built = False  # the trie is built on first use: an index joined into another never is
        self._padded = False  # whether the scan's pattern wants the text with a space before it

    def _build(self) -> None:
        members = self.members
        mine: dict[str, set[int]] = {}  # literal -> the members it may start a match of
        whole: dict[str, set[int]] = {}  # literal -> the members it is a whole match of
        for k, alt in enumerate(members):
            for lit in alt._literals or ():
                if lit.endswith(_WORD_END):
                    whole.setdefault(lit[:-1], set()).add(k)
                else:
                    mine.setdefault(lit, set()).add(k)
        loose = {k for k, alt in enumerate(members) if not alt.bounded}

        def owners(lit: str, among: set[int] | None, at_word_end: bool = False) -> tuple[int, ...]:
            """The members told of a position where ``lit`` is the longest literal found:
            those owning a literal that is a prefix of it, a whole-match literal only where
            no word character follows it (``at_word_end``: none follows ``lit`` itself)."""
            ks = set().union(*(mine.get(lit[:i], ()) for i in range(1, len(lit) + 1)))
            ks = ks.union(*(whole.get(lit[:i], ()) for i in range(1, len(lit)) if not _WORD.match(lit[i])))
            if at_word_end:
                ks |= whole.get(lit, set())
            return tuple(sorted(ks if among is None else ks & among))

        # a literal found is at a word end for sure when it is a whole-match literal only (the
        # trie found it through its (?!\w)); one that is both is told apart by the next character
        self._owners = {lit: owners(lit, None, lit not in mine) for lit in mine.keys() | whole.keys()}
        self._at_word_end = {lit: owners(lit, None, True) for lit in whole if lit in mine}
        self._inside = {lit: ks for lit in mine if (ks := owners(lit, loose))}
        parts = []
        starts = _trie([*mine, *(w + _WORD_END for w in whole)], longest=True) if mine or whole else None
        if self._inside:
            if starts is not None:
                parts.append(r"(?<!\w)(?=(" + starts + "))")
            parts.append(r"(?<=\w)(?=(" + _trie(self._inside, longest=True) + "))")
            self._padded = False
        elif starts is not None:
            # Word starts only: a pattern that opens with a consuming character class lets ``re``
            # skip to the next non-word character in C; the text is scanned with a space before
            # it, so the scan's offsets are the text's own (and its first word is a word start).
            parts.append(r"\W(?=(" + starts + "))")
            self._padded = True
        self._rx = re.compile("|".join(parts)) if parts else None
        self._built = True

    @classmethod
    def joined(cls, indexes: Iterable["LiteralIndex"]) -> "LiteralIndex":
        """One index serving the members of all ``indexes`` (they move to it), so that a text is
        scanned once for all of them, e.g. once per sentence for two components' word lists.
        Every member is told the same positions as before: the positions where one of its own
        literals starts do not depend on what else is indexed."""
        members = list({id(a): a for index in indexes for a in index.members}.values())
        for a in members:
            a._index = None
        joined = cls(members)
        joined._build()  # now, at set-up, rather than on the first sentence
        return joined

    def starts(self, probe: Probe) -> dict[int, list[int]]:
        """Per member alternation (by its number here), the sorted offsets in ``probe``'s text
        where it could match; members with none are left out."""
        cache = probe.by_index()
        found = cache.get(self)
        if found is None:
            found = {}
            if not self._built:
                self._build()
            if self._rx is not None:
                owners, inside, at_end = self._owners, self._inside, self._at_word_end
                low = probe.low
                for m in self._rx.finditer(" " + low if self._padded else low):
                    g = m.lastindex  # 1: at a word's start, 2: inside a word
                    q = m.start()
                    lit = m.group(g)
                    if g == 1:
                        ks = owners[lit]
                        if lit in at_end and _WORD.match(low, q + len(lit)) is None:
                            ks = at_end[lit]
                    else:
                        ks = inside[lit]
                    for k in ks:
                        if k in found:
                            found[k].append(q)
                        else:
                            found[k] = [q]
            cache[self] = found
        return found


class SubstringIndex:
    """One scan of a text for the substring tests of several :class:`Alternation` s at once.

    :meth:`Alternation.candidates` keeps a fragment when one of its literals occurs anywhere in
    the lower-cased text. Each alternation would search the text for its own literals; this
    joins every member's literals into one character trie that takes the *longest* literal
    starting at a position, and looks for the next such position from one character past the
    last (so no position is skipped). The literals that occur are exactly the prefixes of those
    found that are literals of a member, so each member is told the same fragments as its own
    tests would tell it. Worth it for alternations asked about the same sentences and without a
    finder (a :class:`LiteralIndex` serves those that have one).
    """

    def __init__(self, alternations: Iterable[Alternation]) -> None:
        members = [a for a in alternations if a.subs and a._subindex is None]
        #: the alternations this index serves, each told its place here (``Alternation._subindex``)
        self.members: tuple[Alternation, ...] = tuple(members)
        for k, alt in enumerate(members):
            alt._subindex = (self, k)
        by_lit: dict[str, list[tuple[int, frozenset[int]]]] = {}
        for k, alt in enumerate(members):
            for lit, ids in alt.subs:
                by_lit.setdefault(lit, []).append((k, ids))
        #: per literal the trie can find: each member's fragments with a literal that is a prefix of it
        self._owners: dict[str, dict[int, frozenset[int]]] = {}
        for lit in by_lit:
            told: dict[int, set[int]] = {}
            for i in range(1, len(lit) + 1):
                for k, ids in by_lit.get(lit[:i], ()):
                    told.setdefault(k, set()).update(ids)
            self._owners[lit] = {k: frozenset(ids) for k, ids in told.items()}
        self._rx = re.compile(_trie(by_lit, longest=True)) if by_lit else None

    @classmethod
    def joined(cls, indexes: Iterable["SubstringIndex"]) -> "SubstringIndex":
        """One index serving the members of all ``indexes`` (they move to it): each member is
        told the same fragments as before."""
        members = list({id(a): a for index in indexes for a in index.members}.values())
        for a in members:
            a._subindex = None
        return cls(members)

    def found(self, probe: Probe) -> dict[int, frozenset[int]]:
        """Per member (by its number here), the fragments one of whose literals occurs in the
        probe's lower-cased text; members with none are left out. Remembered on the probe."""
        cache = probe.by_index()
        found = cache.get(self)
        if found is None:
            found = {}
            if self._rx is not None:
                owners, search, low = self._owners, self._rx.search, probe.low
                m = search(low)
                while m is not None:
                    for k, ids in owners[m.group()].items():
                        found[k] = found[k] | ids if k in found else ids
                    m = search(low, m.start() + 1)
            cache[self] = found
        return found


# -- building rule alternations ---------------------------------------------------------
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


# -- the finder: where an alternation could start ------------------------------------------
def _finder_literals(fragments: list[str], flags: int, bounded: bool = False) -> list[str] | None:
    """The literals of an alternation's *finder*: a zero-width regex, run on the lower-cased
    text, that matches at every position where some fragment could start a match (and possibly
    elsewhere); None when there can be no finder.

    Each fragment contributes the lower-cased strings its leading literal items can spell
    (:func:`_leading_literals`); the finder joins them all into one character trie, which ``re``
    scans fast. There is no finder when some fragment does not start with a literal, or can
    match the empty string. In a ``bounded`` alternation (no word character may follow a
    match), a fragment that is wholly literal ("I", "C", "views?") contributes the strings it
    matches marked with :data:`_WORD_END`: they count only where no word character follows, so
    "I" is not looked for at the start of every word beginning with "i".
    """
    literals: list[str] = []
    for frag in fragments:
        try:
            parsed = _p.parse(frag, flags & ~re.VERBOSE)
        except Exception:
            return None
        if parsed.getwidth()[0] == 0:
            return None  # a fragment matching the empty string matches everywhere
        lits = None if not _SPECIAL_TEXT.isdisjoint(frag) else _leading_literals(list(parsed.data))
        if lits is None:
            # e.g. "^\\W*agreed": tried at every position, such a fragment would make the scan
            # slower than the subset regexes of :meth:`Alternation.candidates`
            return None
        every = _whole_literals(list(parsed.data)) if bounded else None
        literals += [s.lower() + _WORD_END for s in every] if every else [s.lower() for s in lits]
    return sorted(set(literals)) or None


def _whole_literals(items: list) -> list[str] | None:
    """Every string a wholly literal fragment matches (zero-width items aside), or None when it
    is not wholly literal."""
    every = _expand([it for it in items if it[0] not in (_c.AT, _c.ASSERT, _c.ASSERT_NOT)])
    return every if every and min(map(len, every)) > 0 else None


def _leading_literals(items: list) -> list[str] | None:
    """The strings the longest purely literal start of a parsed fragment can spell (every
    match of the fragment begins with one of them), or None when it starts with no literal:
    the first of :func:`_runs`, if it starts the fragment (zero-width items are passed over:
    leaving a condition out only widens what is found)."""
    runs = _runs(items)
    if not runs or runs[0][0] != _first_consuming(items):
        return None
    return sorted(set(runs[0][1]))


# -- deriving the literals -----------------------------------------------------------------
def _fragment_tests(frag: str, flags: int, bounded: bool) -> list[tuple[str, str]] | None:
    """("sub", s) / ("word", w) tests, one of which every match of ``frag`` satisfies; None if unknown."""
    if not _SPECIAL_TEXT.isdisjoint(frag):
        return None  # "ſ" in a rule matches "s" in a text under IGNORECASE: no literal test is safe
    try:
        parsed = _p.parse(frag, flags & ~re.VERBOSE)
    except Exception:
        return None
    items = list(parsed.data)
    runs = _runs(items)
    if not runs:
        return None
    # the most selective run: longest shortest variant
    best_i, (start, strings) = max(enumerate(runs), key=lambda r: (min(map(len, r[1][1])), -r[0]))
    if min(map(len, strings)) == 0:
        return None
    at_start = start == _first_consuming(items)
    at_end = at_start and len(runs) == 1 and _run_reaches_end(items, start)
    tests: list[tuple[str, str]] = []
    for s in strings:
        s = s.lower()
        m = _WORD.match(s)
        # a whole word (bounded by the rule on the left, and by s itself or the rule on the right)
        whole = bounded and at_start and m is not None and (m.end() < len(s) or at_end)
        if whole and (m.end() == len(s) or len(s) < _SHORT):
            tests.append(("word", m.group(0)))
        else:
            tests.append(("sub", s))
    return tests


def _first_consuming(items: list) -> int:
    for i, (op, _) in enumerate(items):
        if op not in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            return i
    return len(items)


def _run_reaches_end(items: list, start: int) -> bool:
    """Whether the run starting at ``start`` covers the rest of the fragment (but zero-width items)."""
    for op, av in items[start:]:
        if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            continue
        if _expand([(op, av)]) is None:
            return False
    return True


def _runs(items: list) -> list[tuple[int, list[str]]]:
    """Maximal stretches of consecutive literal-expandable items: (start index, variants)."""
    runs: list[tuple[int, list[str]]] = []
    cur: list[str] | None = None
    cur_start = 0
    for i, (op, av) in enumerate(items):
        if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            continue  # zero-width: literals either side stay adjacent
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[0] >= 1:
            part, closes = _expand(list(av[2])), True  # the first copy is required; more may follow
        else:
            part, closes = _expand([(op, av)]), False
        if part is None or len(part) > _CAP:
            if cur:
                runs.append((cur_start, cur))
            cur = None
            continue
        if cur is not None and len(cur) * len(part) <= _CAP:
            cur = [a + b for a, b in product(cur, part)]
        else:  # a new run (the old one, if any, had too many variants to extend)
            if cur:
                runs.append((cur_start, cur))
            cur, cur_start = part, i
        if closes:
            runs.append((cur_start, cur))
            cur = None
    if cur:
        runs.append((cur_start, cur))
    return [(s, v) for s, v in runs if v and min(map(len, v)) > 0]


def _expand(items: list) -> list[str] | None:
    """Every string a purely literal sequence can match, or None if it is not purely literal."""
    outs = [""]
    for op, av in items:
        if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            return None  # inside a group a zero-width test would be lost; keep it simple
        if op is _c.LITERAL:
            alts = [chr(av)]
        elif op is _c.IN:
            if any(o is not _c.LITERAL for o, _ in av) or len(av) > 4:
                return None
            alts = [chr(v) for _, v in av]
        elif op is _c.SUBPATTERN:
            alts = _expand(list(av[-1]))
        elif op is _c.BRANCH:
            alts = []
            for b in av[1]:
                sub = _expand(list(b))
                if sub is None:
                    return None
                alts += sub
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[0] == 0 and av[1] == 1:
            sub = _expand(list(av[2]))
            alts = None if sub is None else [""] + sub
        else:
            return None
        if alts is None:
            return None
        outs = [a + b for a in outs for b in alts]
        if len(outs) > _CAP:
            return None
    return sorted(set(outs))


def _trie(strings: Iterable[str], *, longest: bool = False) -> str:
    """A regex matching ``strings``, as a character trie (``re`` tries alternatives one by one,
    so a trie keeps the work at each text position to a few character tests).

    It stops at the shortest string that starts at a position ("any of" them), or with
    ``longest`` goes on to the longest (every ending optional and greedy, so ``re`` goes as
    deep as the text allows).
    A string ending in :data:`_WORD_END` matches only where no word character follows it.
    """
    root: dict[str, dict] = {}
    for s in strings:
        node = root
        for ch in s:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        ends = "" in node
        if ends and not longest:
            return ""  # the shorter strings are subsumed in "any of": stop at one
        alts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch and ch != _WORD_END]
        if _WORD_END in node and not ends:
            alts.append(r"(?!\w)")  # last: longer strings are tried first
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return "(?:" + body + ")?" if ends else body

    return emit(root)
