"""One pass over a Doc/Span that gathers everything the metrics, spans and score need.

Sentences are the Doc's sentence boundaries (from the project's splitter or spaCy's
``sentencizer``), further cut at line breaks: a heading or bullet line is its own sentence even
without a full stop. With no sentence boundaries set, the text's lines are the sentences.
Words are runs of letters/digits, keeping apostrophes and hyphens inside a word ("don't",
"well-known" are one word each, as textstat and most references count them).

:func:`analyse` = :func:`analyse_text` (sentences, words' table rows, regex findings) +
:func:`count_words` (the word counts, summed from the rows; for a batch in one numpy pass).
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import accumulate, chain, compress, repeat
from dataclasses import dataclass
from typing import Any, NamedTuple, Union

import numpy as np
from spacy.attrs import IDX, ORTH, SENT_START, SPACY
from spacy.tokens import Doc, Span

from ..spacy_ext import remembered_text
from .lexicon import JargonEntry, Resources, common_words, default_resources, zipf_table
from .syllables import JOINERS, syllables

DocLike = Union[Doc, Span]

#: Latin letters, accented ones included (Welsh "Siân", "Rhŷs", "café" are one word each)
_LETTERS = "A-Za-zÀ-ÖØ-öø-ÿĀ-ſ"
#: a word: letters and digits (a decimal or a number with thousands commas is one word),
#: joined by apostrophes, hyphens and slashes ("w/c", "12/5", "and/or" are one word each, as
#: word counters count them; their syllables are those of the parts)
WORD_RE = re.compile(rf"(?:[0-9]+(?:[.,][0-9]+)+|[{_LETTERS}0-9]+)(?:['’][{_LETTERS}]+)*"
                     rf"(?:[-/][{_LETTERS}0-9]+(?:['’][{_LETTERS}]+)*)*")
_LINE_RE = re.compile(r"[^\n]+")
_BULLET_RE = re.compile(r"^\s*(?:[-•*–·]+|\d{1,2}[.)]|[a-z][.)])\s+")
_YOU_RE = re.compile(r"\b(?:you|your|yours|yourself)\b", re.I)
_WE_RE = re.compile(r"\b(?:we|us|our|I|me|my)\b")
#: _YOU_RE and _WE_RE in one pattern; group 1 is the "you" word, empty for a "we" word
_YOU_WE_RE = re.compile(r"\b(?:((?i:you|your|yours|yourself))|we|us|our|I|me|my)\b")
#: the same matches as _YOU_WE_RE, found faster: the pattern starts with a character set, which
#: the regex engine scans for in C, and checks the word boundary before it by look-behind
_YOU_WE_FAST_RE = re.compile(
    r"[YyuwomI](?<!\w[YyuwomI])(?:(?<=[Yy])((?i:ou(?:rself|rs|r)?))|(?<=w)e|(?<=u)s|(?<=o)ur|(?<=I)"
    r"|(?<=m)[ey])\b")
_QUOTE_RE = re.compile(r"[\"“”]")
_HEADING_PREFIX_RE = re.compile(r"^(?P<head>[^:.!?\n]{1,60}?):\s*")

#: Word features (columns of :class:`WordTable`), in order: syllables, polysyllabic (>= 3),
#: letters, lexical (counted in the vocabulary statistics: not a name/acronym/number), Zipf
#: in tenths, rare (outside the common list), Zipf < 3, Zipf < 4.5, nominalisation, content
#: word (lexical, Zipf < 5.5), its Zipf in tenths, very rare (lexical, Zipf < 2), pronoun,
#: Zipf < 5 (outside roughly the top 1,000 words), long word (9+ letters), number (starts with
#: a digit), "you" words and "we" words in it (``_YOU_WE_RE``'s matches in the word alone: see
#: :func:`analyse_text`). Every column holds whole numbers (Zipf values are tenths in the pinned
#: table), so a document's column sums are exact whatever the order of summing (one Doc or a
#: batch).
N_WORD_FEATURES = 18
_PRONOUNS = frozenset("i you he she it we they me him her us them my your his its our their".split())


def _word_info(w: str, res: Resources) -> tuple:
    s = syllables(w)
    lw = w.lower().replace("’", "'")
    has_alpha = any(c.isalpha() for c in w)
    lexical = has_alpha and not w[0].isupper()
    if lexical:
        z = zipf_table().get(lw)
        if z is None and lw.endswith("'s"):
            z = zipf_table().get(lw[:-2])
        if z is None and ("-" in lw or "/" in lw):
            parts = [zipf_table().get(p, 1.0) for p in JOINERS.split(lw) if p]
            z = min(parts) if parts else 1.0
        z = 1.0 if z is None else z
        base = lw[:-2] if lw.endswith("'s") else lw
        rare = int(base not in common_words() and not (("-" in base or "/" in base) and all(
            p in common_words() for p in JOINERS.split(base) if p)))
    else:
        z, rare = 0.0, 0
    z10 = round(z * 10)  # the table's Zipf values are tenths
    you_we = _YOU_WE_FAST_RE.findall(w)
    n_we = you_we.count("")
    return (s, int(s >= 3), sum(c.isalpha() for c in w), int(lexical), z10, rare,
            int(lexical and z < 3.0), int(lexical and z < 4.5),
            int(has_alpha and res.is_nominalisation(lw)), int(lexical and z < 5.5),
            z10 if lexical and z < 5.5 else 0, int(lexical and z < 2.0), int(lw in _PRONOUNS),
            int(lexical and z < 5.0), int(sum(c.isalpha() for c in w) >= 9),
            int(w[0].isdigit()), len(you_we) - n_we, n_we)


class WordTable:
    """Per-word features computed once per distinct word form and kept as a numpy matrix.

    ``ids(words)`` maps word forms to row numbers (filling new rows on first sight), so a
    document's counts are one fancy-index and column sum instead of per-word Python work.
    ``lower[i]`` is row ``i``'s lower-cased form (for the type count and word easiness).
    Arrays grow by doubling, so filling is amortised O(1) per new word.
    """

    def __init__(self, res: Resources, limit: int = 500_000) -> None:
        self.res = res
        self.limit = limit
        self.index: dict[str, int] = {}
        self.lower: list[str] = []
        self.lower_index: dict[str, int] = {}
        #: row -> its "you" / "we" counts (the matrix's last two columns, as Python ints)
        self.you_n: list[int] = []
        self.we_n: list[int] = []
        self._matrix = np.zeros((1024, N_WORD_FEATURES), dtype=np.int32)
        self._lower_arr = np.zeros(1024, dtype=np.int64)
        #: row -> row of the form a sentence's first word takes ("The" -> "the"; see analyse)
        self.first_row: list[int] = []
        #: whitespace-free chunk -> rows of its words (words never span whitespace)
        self.chunk_rows = _ChunkRows(self)

    def check_limit(self) -> None:
        """Start afresh when the vocabulary has run away (call between documents only:
        row numbers handed out earlier become invalid)."""
        if len(self.index) > self.limit:
            self.__init__(self.res, self.limit)  # type: ignore[misc]

    def __len__(self) -> int:
        return len(self.lower)

    def ids(self, words: list[str]) -> list[int]:
        out = list(map(self.index.get, words))  # C-level loop; None where unseen
        if None in out:
            if len(self.index) + len(words) > self.limit:  # a runaway vocabulary: start afresh
                self.__init__(self.res, self.limit)  # type: ignore[misc]
                out = [None] * len(words)
            out = [i if i is not None else self._add(w) for i, w in zip(out, words)]
        return out

    def _add(self, w: str) -> int:
        i = self.index.get(w)
        if i is not None:
            return i
        i = len(self.lower)
        if i >= len(self._lower_arr):
            self._matrix = np.concatenate([self._matrix, np.zeros_like(self._matrix)])
            self._lower_arr = np.concatenate([self._lower_arr, np.zeros_like(self._lower_arr)])
        info = _word_info(w, self.res)
        self._matrix[i] = info
        self.index[w] = i
        lw = w.lower()
        self.lower.append(lw)
        self.you_n.append(info[-2])
        self.we_n.append(info[-1])
        self._lower_arr[i] = self.lower_index.setdefault(lw, len(self.lower_index))
        self.first_row.append(i)
        if w[0].isupper() and w[1:].islower():
            self.first_row[i] = self._add(lw)
        return i

    def matrix(self) -> np.ndarray:
        """Feature rows (rows past ``len(self)`` are unused zeros)."""
        return self._matrix

    def lower_ids(self) -> np.ndarray:
        """Row -> id of its lower-cased form."""
        return self._lower_arr


class _ChunkRows(dict):
    """Whitespace-free chunk -> rows (in ``table``) of its ``WORD_RE`` words, filled on first
    sight."""

    def __init__(self, table: WordTable) -> None:
        super().__init__()
        self.table = table

    def __missing__(self, chunk: str) -> tuple[int, ...]:
        add = self.table._add
        got = self[chunk] = tuple(add(w) for w in WORD_RE.findall(chunk))
        return got


def word_table(res: Resources) -> WordTable:
    """The resources' word table (created on first use)."""
    table = getattr(res, "_word_table", None)
    if table is None:
        table = WordTable(res)
        res._word_table = table  # type: ignore[attr-defined]
    return table


@dataclass
class Action:
    """An action sentence: who does what by when."""

    start: int
    end: int
    has_owner: bool
    has_time: bool
    vague_marker: bool
    owner: str | None = None

    @property
    def vague(self) -> bool:
        return not self.has_owner or not self.has_time


class Analysis:
    """Counts and found items for one Doc/Span; offsets are character offsets in the Doc.

    A plain class (one is made per Doc): the scalar defaults below are class attributes, and
    ``__init__`` gives each instance its own lists.
    """

    units: list[tuple[int, int, int]]  # (start, end, n_words)
    n_words: int = 0
    n_syll: int = 0
    n_poly: int = 0
    n_letters: int = 0
    n_lexical: int = 0
    zipf_sum: float = 0.0
    n_rare: int = 0
    n_low3: int = 0
    n_low45: int = 0
    n_nominal: int = 0
    n_content: int = 0
    zipf_content_sum: float = 0.0
    n_vrare: int = 0
    n_pron: int = 0
    n_types: int = 0
    n_low5: int = 0
    n_longword: int = 0
    n_numbers: int = 0  # words that start with a digit ("2013", "10am", "14th")
    n_long: int = 0
    n_commas: int = 0
    n_quotes: int = 0
    n_you: int = 0
    n_we: int = 0
    #: when set, ``n_you``/``n_we`` are the word rows' counts plus these corrections (filled by
    #: :func:`count_words`); None: they were counted on the text
    you_we_delta: tuple[int, int] | None = None
    passive: list[tuple[int, int, int]]  # (start, end, unit index)
    jargon: list[tuple[int, int, JargonEntry]]
    acronyms: list[tuple[int, int, str, JargonEntry | None, bool]]
    shorthand: list[tuple[int, int]]
    actions: list[Action]
    has_outcome: bool = False
    n_headings: int = 0
    #: whether the plan checks (actions, outcome) ran; False leaves ``actions`` empty
    plan_checks: bool = True
    #: row of each word in ``table`` (see :class:`WordTable`)
    word_ids: list[int]
    table: WordTable | None = None
    #: ``word_ids`` as a numpy array
    id_array: np.ndarray | None = None
    #: (easiness table, sum of its weights over the known words, their number), set by the
    #: scorer (see :func:`notes_qa.plain_language.scorer.word_easiness`)
    easiness: tuple[Any, float, int] | None = None

    def __init__(self, plan_checks: bool = True) -> None:
        self.plan_checks = plan_checks
        self.units = []
        self.passive = []
        self.jargon = []
        self.acronyms = []
        self.shorthand = []
        self.actions = []
        self.word_ids = []

    @property
    def n_sentences(self) -> int:
        return len(self.units)

    @property
    def words_lower(self) -> list[str]:
        """The words, lower-cased, in order."""
        if self.table is None:
            return []
        low = self.table.lower
        return [low[i] for i in self.word_ids]


def _units_and_words(doclike: DocLike, dtext: str, toks: "Tokens", table: "WordTable"
                      ) -> tuple[list[tuple[int, int, int]], list[int], int, int, bool]:
    """Sentences with words and the table rows of their words, in one pass.

    Sentences: (start, end, n_words) character offsets in the Doc, stripped of surrounding
    whitespace; the Doc's sentence starts (one array read: ``doc.sents`` walks every token in
    Python) further cut at line breaks; a piece without words is no sentence. Words never span
    whitespace, so a sentence's words are the concatenated words of its whitespace-separated
    chunks (cached per chunk in ``table``); its first word takes the row of its lower-cased form
    when only its first letter is a capital. ``toks``: the Doc's :func:`doc_tokens`.

    Also returns how the "you"/"we" counts of the rows differ from those of the words as
    written (a sentence's first word "We" takes the row of "we", which ``_YOU_WE_RE`` does not
    count there), and whether a sentence start falls between two letters/digits (inside a
    word, so the words' counts may differ from the text's).
    """
    if isinstance(doclike, Span):
        base, stop = doclike.start_char, doclike.end_char
    else:
        base, stop = 0, len(dtext)
    starts = toks.sent_starts
    chunk_rows = table.chunk_rows.__getitem__
    first_row = table.first_row
    you_n, we_n = table.you_n, table.we_n
    dyou = dwe = 0
    cut_in_word = False
    ids: list[int] = []
    extend = ids.extend
    units: list[tuple[int, int, int]] = []
    add_unit = units.append
    ns, si = len(starts), 0
    pos = base
    for line in (dtext[base:stop] if base or stop != len(dtext) else dtext).split("\n"):
        lend = pos + len(line)
        while si < ns and starts[si] <= pos:
            si += 1
        a = pos
        while True:
            if si < ns and starts[si] < lend:
                b = starts[si]
                si += 1
                t = dtext[a:b]
                if dtext[b - 1].isalnum() and dtext[b].isalnum():
                    cut_in_word = True
            else:
                b = lend
                t = line if a == pos else dtext[a:b]
            chunks = t.split()
            if chunks:
                k = len(ids)
                extend(chain.from_iterable(map(chunk_rows, chunks)))
                n = len(ids) - k
                if n:
                    r = ids[k]
                    f = first_row[r]
                    if f != r:
                        dyou += you_n[r] - you_n[f]
                        dwe += we_n[r] - we_n[f]
                        ids[k] = f
                    add_unit((a + t.index(chunks[0][0]), a + len(t.rstrip()), n))
            if b == lend:
                break
            a = b
        pos = lend + 1
    return units, ids, dyou, dwe, cut_in_word


def _owner_from_subject(subj: str, res: Resources) -> bool:
    words = _RAW_WORD_RE.findall(subj)
    if not words:
        return False
    if words[-1].lower() in res.non_owner_words and not (
            len(words) == 1 and words[0][0].isupper() and words[0].lower() not in common_words()):
        return False
    for w in words:
        lw = w.lower()
        if lw in res.person_words or w in res.acronym_forms:
            return True
        if w[0].isupper() and lw not in common_words():
            return True  # a name
    return False


#: Columns of the one token array read per Doc: ORTH, IDX, SENT_START (each column read costs
#: a call per token; SPACY is read only for a Doc whose text must be rebuilt).
TOKEN_ATTRS = [ORTH, IDX, SENT_START]


class Tokens(NamedTuple):
    """What the analysis reads from a Doc's tokens (see :func:`doc_tokens`)."""

    #: the Doc's text
    text: str
    #: each token's ORTH hash (its text in the Doc's string store)
    orth: list[int]
    #: each token's character offset
    idx: list[int]
    #: character offsets of the tokens after the first with ``is_sent_start`` True, ascending
    sent_starts: list[int]
    #: the Doc's :func:`_candidates` when :func:`doc_tokens` was given the resources
    cands: dict[int, list[int]] | None = None


_NO_TOKENS = Tokens("", [], [], [])


def doc_tokens(docs: list[Doc], res: Resources | None = None) -> list[Tokens]:
    """:class:`Tokens` for each Doc, from one ``to_array`` per Doc and one pass over the batch.
    With ``res``, also the candidate starts of the lexicon regexes (:func:`_candidates`), for
    the whole batch at once.

    The text is the one the Doc was made from when :func:`notes_qa.spacy_ext.remember_text`
    kept it (as :func:`notes_qa.pipeline.make_docs` does) and it is still the Doc's
    (:func:`~notes_qa.spacy_ext.remembered_text`); otherwise it is rebuilt from the tokens'
    strings (see :func:`_rebuild_text`).
    """
    arrs = [doc.to_array(TOKEN_ATTRS) for doc in docs if len(doc)]
    if not arrs:
        return [_NO_TOKENS for _ in docs]
    strings = docs[0].vocab.strings
    if any(doc.vocab.strings is not strings for doc in docs):
        return [t for doc in docs for t in doc_tokens([doc], res)]
    big = np.concatenate(arrs) if len(arrs) > 1 else arrs[0]
    orth = big[:, 0].tolist()
    idx = big[:, 1].tolist()
    at = np.flatnonzero(big[:, 2] == 1)  # SENT_START: 1 start, -1 not, 0 unset
    start_tok, start_idx = at.tolist(), big[at, 1].tolist()
    by_bit = _batch_candidates(big, res, strings) if res is not None else None
    out = []
    pos = 0
    for doc in docs:
        n = len(doc)
        if not n:
            out.append(_NO_TOKENS if res is None else _NO_TOKENS._replace(cands={}))
            continue
        e = pos + n
        text = remembered_text(doc)
        if text is None:
            text = _rebuild_text(doc, strings)
        cands = None
        if by_bit is not None:
            cands = {}
            for bit, (toks_at, offsets) in by_bit:
                got = offsets[bisect_left(toks_at, pos):bisect_left(toks_at, e)]
                if got:
                    cands[bit] = got
        # the sentence starts among the Doc's tokens after its first
        out.append(Tokens(text, orth[pos:e], idx[pos:e], start_idx[
            bisect_right(start_tok, pos):bisect_left(start_tok, e)], cands))
        pos = e
    return out


def _batch_candidates(big: np.ndarray, res: Resources, strings: Any
                      ) -> list[tuple[int, tuple[list[int], list[int]]]]:
    """Per regex bit: (token positions in the batch, their character offsets) of the batch's
    candidate tokens (see :func:`_candidates`), looked up in one numpy pass."""
    masks = _orth_masks(res, strings).lookup(big[:, 0])
    out = []
    for bit in (_TERM, _ACRONYM, _SHORTHAND, _PASSIVE):
        at = np.flatnonzero(masks & bit)
        out.append((bit, (at.tolist(), big[at, 1].tolist())))
    return out


class _OrthMasks:
    """Token ORTH hash -> candidate bits (see :func:`_orth_mask`), kept as a sorted array of
    the hashes seen so far and their bits, so that a batch's tokens are looked up with one
    ``searchsorted``; hashes not seen before are added (an O(n) insert) on first sight."""

    def __init__(self, by_word: dict[str, int], strings: Any, limit: int = 2_000_000) -> None:
        self.by_word = by_word
        self.strings = strings
        self.limit = limit
        #: (sorted hashes, their bits), replaced together (never changed in place)
        self.table = (np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64))

    def lookup(self, orth: np.ndarray) -> np.ndarray:
        keys, bits = self.table
        pos = np.searchsorted(keys, orth)
        if len(keys):
            hit = keys[np.minimum(pos, len(keys) - 1)] == orth
            if hit.all():
                return bits[pos]
            new = np.unique(orth[~hit])
        else:
            new = np.unique(orth)
        if len(keys) + len(new) > self.limit:  # a runaway vocabulary: start afresh with this batch's
            keys, bits = np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
            new = np.unique(orth)
        get, by_word = self.strings.__getitem__, self.by_word
        new_bits = np.array([_orth_mask(get(o), by_word) for o in new.tolist()], dtype=np.int64)
        at = np.searchsorted(keys, new)
        keys, bits = np.insert(keys, at, new), np.insert(bits, at, new_bits)
        self.table = (keys, bits)
        return bits[np.searchsorted(keys, orth)]


def _orth_masks(res: Resources, strings: Any) -> _OrthMasks:
    """The :class:`_OrthMasks` of ``res`` for the string store ``strings``."""
    got = getattr(res, "_orth_masks", None)
    if got is None or got.strings is not strings:
        got = res._orth_masks = _OrthMasks(_token_masks(res), strings)  # type: ignore[attr-defined]
    return got


def _rebuild_text(doc: Doc, strings: Any) -> str:
    """``doc.text``, joined from cached strings (faster than ``Doc.text``, which makes a Token
    object per token).

    Token strings come from a cache keyed by ORTH with the SPACY flag folded into the top bit,
    so that the lookup is one C-level pass (a clash would need two strings whose 64-bit hashes
    differ in that bit alone: spaCy's own string store already assumes no 64-bit clash).
    """
    arr = doc.to_array([ORTH, SPACY])
    orth, space = arr[:, 0], arr[:, 1]
    keys = (orth ^ (space << _TOP_BIT)).tolist()
    cache = _PIECES if _PIECES_OWNER[0] is strings and len(_PIECES) < 2_000_000 \
        else _reset_pieces(strings)
    try:
        pieces = list(map(cache.__getitem__, keys))
    except KeyError:  # strings not seen before
        for k, o, sp in zip(keys, orth.tolist(), space.tolist()):
            if k not in cache:
                cache[k] = strings[o] + (" " if sp else "")
        pieces = list(map(cache.__getitem__, keys))
    return "".join(pieces)


_TOP_BIT = np.uint64(63)
_PIECES: dict[int, str] = {}
_PIECES_OWNER: list[object] = [None]


def _reset_pieces(strings: object) -> dict[int, str]:
    global _PIECES
    _PIECES = {}
    _PIECES_OWNER[0] = strings
    return _PIECES


def analyse(doclike: DocLike, res: Resources | None = None, text: str | None = None,
            plan_checks: bool = True, toks: Tokens | None = None) -> Analysis:
    """Gather the counts and items used by the metrics, the spans and the score.

    ``text``: the Doc's text if the caller has it (``Doc.text`` is rebuilt on every access).
    ``plan_checks``: also find actions (who does what by when) and stated outcomes; False
    leaves ``actions`` empty and ``has_outcome`` False (plan signals then do not apply).
    ``toks``: the Doc's :func:`doc_tokens` if the caller has them.
    """
    a = analyse_text(doclike, res, text, plan_checks, toks)
    count_words([a])
    return a


def analyse_text(doclike: DocLike, res: Resources | None = None, text: str | None = None,
                 plan_checks: bool = True, toks: Tokens | None = None,
                 table: WordTable | None = None) -> Analysis:
    """:func:`analyse` without the word counts: those are filled by :func:`count_words`, for
    a batch of analyses at once. ``table``: the resources' :func:`word_table`, checked by the
    caller with :meth:`WordTable.check_limit` before the batch (the rows of the batch's words
    must stay valid until :func:`count_words` has run)."""
    res = res or default_resources()
    a = Analysis(plan_checks=plan_checks)
    doc = doclike.doc if isinstance(doclike, Span) else doclike
    if toks is None:
        toks = doc_tokens([doc])[0]
    if text is None:
        text = toks.text
    dtext = text
    if table is None:
        table = word_table(res)
        table.check_limit()
    kept, ids, dyou, dwe, cut_in_word = _units_and_words(doclike, dtext, toks, table)
    a.units = kept
    if not kept:
        return a
    a.n_long = sum(1 for u in kept if u[2] > 25)
    a.word_ids, a.table = ids, table
    base = doclike.start_char if isinstance(doclike, Span) else 0
    text = dtext[base:doclike.end_char] if isinstance(doclike, Span) else dtext
    a.n_commas = text.count(",") + text.count(";")
    a.n_quotes = len(_QUOTE_RE.findall(text)) if ('"' in text or "“" in text or "”" in text) else 0
    if base or cut_in_word or isinstance(doclike, Span) or not _word_chars_ascii(text):
        you_we = _YOU_WE_FAST_RE.findall(text)
        a.n_you = len(you_we) - you_we.count("")
        a.n_we = len(you_we) - a.n_you
    else:
        # When the only word characters (regex \w) are A-Z, a-z and 0-9, a "you"/"we" match
        # is a whole run of them, and each such run lies in one word (words are whole runs
        # joined by ' ’ or -), so the text's counts are the sum of its words' (count_words adds
        # the rows' columns)
        a.you_we_delta = (dyou, dwe)
    cands = _candidates(doclike, toks, res)
    # lower-cased text for the case-sensitive twins of the IGNORECASE regexes (None: not safe)
    ldtext = _lowered(dtext) if res.term_re_lower is not None else None
    _find_passive(a, dtext, res, cands.get(_PASSIVE, ()), ldtext)
    if plan_checks:
        _plan_structure(a, dtext, res)
        a.has_outcome = res.outcome_re.search(text) is not None
    if ldtext is not None and text is not dtext:
        ldtext = ldtext[base:base + len(text)]  # a Span's text: the same slice
    _find_terms(a, text, base, res, cands, ldtext)
    return a


_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")


def _lowered(text: str) -> str | None:
    """``text.lower()`` when a case-sensitive regex of lower-cased ASCII/caseless forms finds
    in it exactly what the IGNORECASE regex finds in ``text``: every character is ASCII or has
    no case (so lower-casing keeps offsets and ``\w``/``\s``, and no non-ASCII character folds
    to an ASCII letter, as "ſ" does to "s" under IGNORECASE); None otherwise."""
    if text.isascii():
        return text.lower()
    for c in set(_NON_ASCII_RE.findall(text)):
        if not c.lower() == c == c.upper():
            return None
    return text.lower()


def _word_chars_ascii(text: str) -> bool:
    """Whether the only characters of ``text`` that the regex ``\w`` matches are A-Z, a-z and
    0-9 (no "_", no non-ASCII letter or digit)."""
    if "_" in text:
        return False
    return text.isascii() or not any(c.isalnum() for c in set(_NON_ASCII_RE.findall(text)))


def count_words(analyses: list[Analysis]) -> None:
    """Fill the word counts (``n_words``, syllables, word-list shares, types ...) of analyses
    from :func:`analyse_text`, summing their words' table rows in one numpy pass per table."""
    groups: dict[int, list[Analysis]] = {}
    for a in analyses:
        if a.word_ids and a.table is not None:
            groups.setdefault(id(a.table), []).append(a)
    for group in groups.values():
        table = group[0].table
        assert table is not None
        lens = [len(a.word_ids) for a in group]
        joined: list[int] = []
        for a in group:
            joined += a.word_ids
        id_all = np.fromiter(joined, dtype=np.int64, count=len(joined))
        rows = table.matrix()[id_all]
        if len(group) == 1:
            sums = [np.add.reduce(rows, axis=0, dtype=np.int64).tolist()]
        else:
            offsets = list(accumulate(lens[:-1], initial=0))
            sums = np.add.reduceat(rows, offsets, axis=0, dtype=np.int64).tolist()
        lower = table.lower_ids()[id_all].tolist()
        pos = 0
        for a, n, cols in zip(group, lens, sums):
            e = pos + n
            a.id_array = id_all[pos:e]
            a.n_types = len(set(lower[pos:e]))  # distinct lower-cased forms
            pos = e
            a.n_words = n
            (a.n_syll, a.n_poly, a.n_letters, a.n_lexical, z10, a.n_rare, a.n_low3, a.n_low45,
             a.n_nominal, a.n_content, zc10, a.n_vrare, a.n_pron, a.n_low5, a.n_longword,
             a.n_numbers, n_you, n_we) = cols
            if a.you_we_delta is not None:
                a.n_you, a.n_we = n_you + a.you_we_delta[0], n_we + a.you_we_delta[1]
            a.zipf_sum, a.zipf_content_sum = z10 / 10, zc10 / 10


# Candidate start tokens for the lexicon regexes: instead of scanning every character of the
# text with a large alternation, the regex is tried only where a token could start a match.
_TERM, _ACRONYM, _SHORTHAND, _PASSIVE = 1, 2, 4, 8


def _first_tokens(forms: list[str]) -> set[str]:
    """Lower-cased first token of each form, as the tokenizer splits it in a few contexts."""
    tok = _tokenizer()
    out: set[str] = set()
    for f in forms:
        for pre, post in (("", ""), ("x ", " x"), ("(", ")"), ("", "."), ("", ","), ('"', '"')):
            for t in tok(pre + f + post):
                if t.idx == len(pre):
                    out.add(t.lower_)
                elif t.idx < len(pre) < t.idx + len(t):
                    out.add(t.lower_)  # the form starts inside this token
    return out


_TOKENIZER = None


def _tokenizer():  # type: ignore[no-untyped-def]
    global _TOKENIZER
    if _TOKENIZER is None:
        import spacy
        _TOKENIZER = spacy.blank("en").tokenizer
    return _TOKENIZER


def _token_masks(res: Resources) -> dict[str, int]:
    """Lower-case first token -> candidate bits, for ``res``."""
    got = getattr(res, "_token_masks", None)
    if got is None:
        by_word: dict[str, int] = {}
        sections = ["17", "20", "31", "38", "47", "76"]
        section_forms = [p + n for n in sections for p in ("s", "s.", "s ", "s. ", "S", "S.")]
        groups = ((_TERM, list(res.by_form)), (_ACRONYM, [*res.acronym_forms, *section_forms]),
                  (_SHORTHAND, list(res.rules["shorthand"])),
                  (_PASSIVE, list(res.rules["passive_auxiliaries"])))
        for bit, forms in groups:
            for w in _first_tokens(forms):
                if w.strip():
                    by_word[w] = by_word.get(w, 0) | bit
        got = res._token_masks = by_word  # type: ignore[attr-defined]
    return got


def _mask_cache(res: Resources, strings: Any) -> "_MaskCache":
    """The token ORTH -> candidate bits cache of ``res`` for the string store ``strings``."""
    got = getattr(res, "_mask_cache", None)
    if got is None or got.strings is not strings:
        got = res._mask_cache = _MaskCache(_token_masks(res), strings)  # type: ignore[attr-defined]
    return got


class _MaskCache(dict):
    """Token ORTH hash -> candidate bits of the token (see :func:`_orth_mask`), filled on first
    sight from the string store."""

    def __init__(self, by_word: dict[str, int], strings: Any) -> None:
        super().__init__()
        self.by_word = by_word
        self.strings = strings

    def __missing__(self, orth: int) -> int:
        if len(self) > 1_000_000:  # a runaway vocabulary: start afresh
            self.clear()
        got = self[orth] = _orth_mask(self.strings[orth], self.by_word)
        return got


def _orth_mask(s: str, by_word: dict[str, int]) -> int:
    m = by_word.get(s.lower(), 0)
    if len(s) > 1 and s[0].isupper() and (s[1].isupper() or s[1] == "&"):
        m |= _ACRONYM  # the generic all-capitals pattern
    return m


def _candidates(doclike: DocLike, toks: Tokens, res: Resources) -> dict[int, list[int]]:
    """Character offsets (in the Doc) of tokens that may start a match, per regex bit.
    ``toks``: the Doc's :func:`doc_tokens`."""
    if toks.cands is not None and not isinstance(doclike, Span):
        return toks.cands
    cache = _mask_cache(res, doclike.doc.vocab.strings)
    orth, idx = toks.orth, toks.idx
    if isinstance(doclike, Span):
        orth, idx = orth[doclike.start:doclike.end], idx[doclike.start:doclike.end]
    masks = list(map(cache.__getitem__, orth))  # C-level loop
    if not any(masks):
        return {}
    # few tokens are candidates: pick them out at C level, then file them under their bits in
    # Python (in token order, so each list is ascending)
    out: dict[int, list[int]] = {}
    for m, i in zip(filter(None, masks), compress(idx, masks)):
        for bit in _BITS_OF[m]:
            got = out.get(bit)
            if got is None:
                out[bit] = [i]
            else:
                got.append(i)
    return out


#: mask -> its bits
_BITS_OF = tuple(tuple(b for b in (_TERM, _ACRONYM, _SHORTHAND, _PASSIVE) if m & b) for m in range(16))


def _match_at(rx: re.Pattern[str], text: str, positions: list[int], offset: int = 0
              ) -> list[re.Match[str]]:
    """Non-overlapping matches of ``rx`` starting at the given positions (as finditer would
    find them, for matches that start at a token)."""
    if not positions:
        return []
    if offset:
        positions = [p - offset for p in positions]
    # try every position in one C-level pass (a position inside an earlier match is tried
    # needlessly but then skipped, as it would not have been tried)
    out = []
    last = -1
    for m in filter(None, map(rx.match, repeat(text, len(positions)), positions)):
        s, e = m.span()
        if s >= last and e > s:
            out.append(m)
            last = e
    return out


def _find_passive(a: Analysis, dtext: str, res: Resources, positions: list[int],
                  lowered: str | None = None) -> None:
    """Passive groups starting at ``positions``. ``lowered``: ``dtext`` from :func:`_lowered`
    (searched with the case-sensitive twin of the regex: same matches)."""
    if not positions:
        return
    starts = [u[0] for u in a.units]
    rx = res.passive_re if lowered is None else res.passive_re_lower
    for m in _match_at(rx, dtext if lowered is None else lowered, positions):
        ui = bisect_right(starts, m.start()) - 1
        if ui < 0 or m.end() > a.units[ui][1]:
            continue
        pp = m.group("pp").lower()
        if pp in res.adjectival or (pp.endswith("ed") and len(pp) < 4):
            continue
        a.passive.append((m.start(), m.end(), ui))


def _plan_structure(a: Analysis, dtext: str, res: Resources) -> None:
    """Headings, owners and actions, sentence by sentence."""
    owner: str | None = None
    in_actions = False
    for start, end, n in a.units:
        utext = dtext[start:end]
        body, bstart = utext, start
        bm = _BULLET_RE.match(body)
        if bm:
            body, bstart = body[bm.end():], bstart + bm.end()
        stripped = body.strip()
        is_line_start = start == 0 or dtext[start - 1] == "\n"
        hm = _HEADING_PREFIX_RE.match(body)
        if hm or (is_line_start and n <= 8 and not stripped.endswith((".", "!", "?", '"', "”"))
                  and not bm):
            head = hm.group("head") if hm else stripped
            a.n_headings += 1
            om = res.owner_heading_re.match(head.strip())
            if om:
                owner = next(g for g in om.groups() if g)
                in_actions = True
            elif res.heading_action_re.match(head.strip()):
                owner, in_actions = None, True
            elif is_line_start:
                owner, in_actions = None, False
            if hm:
                body, bstart = body[hm.end():], bstart + hm.end()
            else:
                continue
        elif is_line_start and not bm and owner is not None and not _starts_with_verb(body, res):
            owner = None
        act = _action(body, res, owner, in_actions or bool(bm), bool(bm))
        if act is not None:
            has_owner, who = act
            has_time = res.time_re.search(body) is not None
            vague = res.vague_re.search(body) is not None
            a.actions.append(Action(bstart, end, has_owner, has_time, vague, who))


_FIRST_WORD_RE = re.compile(r"\s*([A-Za-z]+)")
_RAW_WORD_RE = re.compile(r"[\w'’]+")
_LEAD_SPLIT_RE = re.compile(r"\b(?:to|will|should|must)\b")
_WS_RE = re.compile(r"\s+")
_EXPANSION_AFTER_RE = re.compile(r"\s*\((?=[^)]*[a-z])[^)]{4,80}\)")


def _starts_with_verb(body: str, res: Resources) -> bool:
    m = _FIRST_WORD_RE.match(body)
    return bool(m) and m.group(1).lower() in res.action_verbs


def _action(body: str, res: Resources, owner: str | None, in_actions: bool, bullet: bool = False
            ) -> tuple[bool, str | None] | None:
    """(has_owner, owner) when ``body`` is an action; None when it is not one."""
    text = body.strip()
    if not text:
        return None
    if owner is not None and _starts_with_verb(text, res):
        return True, owner
    m = res.action_re.match(text)
    if m and m.group("subj").strip() and not _starts_with_verb(text, res):
        subj, modal = m.group("subj").strip(), m.group("modal").lower()
        if subj.lower().startswith(("if ", "when ", "unless ", "although ", "because ", "as ")):
            return None
        if modal in ("can", "should", "need to", "needs to", "has to", "have to") and not in_actions:
            return None
        return _owner_from_subject(subj, res), subj
    if res.passive_duty_re.search(text):
        return False, None
    if in_actions and (bullet or _starts_with_verb(text, res)):
        words = _RAW_WORD_RE.findall(text)
        if len(words) >= 2:
            lead = _LEAD_SPLIT_RE.split(text, maxsplit=1)[0]
            return _owner_from_subject(lead, res) if lead != text else False, None
    return None


def _find_terms(a: Analysis, text: str, base: int, res: Resources,
                cands: dict[int, list[int]] | None = None, lowered: str | None = None) -> None:
    """Acronyms, jargon terms and shorthand. ``cands``: candidate start offsets (in the Doc)
    per regex from :func:`_candidates`; None scans the whole text."""
    def found(rx: re.Pattern[str], bit: int) -> list[re.Match[str]]:
        if cands is None:
            return list(rx.finditer(text))
        return _match_at(rx, text, cands.get(bit, ()), base)

    taken: list[tuple[int, int]] = []
    forms, stop = res.acronym_forms, res.stop_acronyms
    for m in found(res.acronym_re, _ACRONYM):
        g = m.group(0)
        form = g if g.isalnum() else _WS_RE.sub("", g)  # alphanumeric: no whitespace
        entry = forms.get(g) or forms.get(form)
        ms, me = m.span()
        if entry is None and (g in stop or form.rstrip("s") in stop or _in_caps_run(text, ms, me)):
            continue
        a.acronyms.append((base + ms, base + me, form, entry, False))
        taken.append((ms, me))
    if a.acronyms:
        _mark_explained(a, text, base)
    by_form = res.by_form
    term_matches = found(res.term_re, _TERM) if lowered is None or cands is None else \
        _match_at(res.term_re_lower, lowered, cands.get(_TERM, ()), base)
    for m in term_matches:
        ms, me = m.span()
        if taken and any(s < me and ms < e for s, e in taken):
            continue
        low = m.group(0).lower()
        entry = by_form.get(low if low.isalpha() else _WS_RE.sub(" ", low))
        if entry is not None:
            a.jargon.append((base + ms, base + me, entry))
    for m in found(res.shorthand_re, _SHORTHAND):
        a.shorthand.append((base + m.start(), base + m.end()))


def _in_caps_run(text: str, s: int, e: int) -> bool:
    """Whether an all-caps word sits in a run of capitals (a shouted heading, not an acronym)."""
    # the nearest whitespace-separated word on each side (within 30 characters); a word
    # without letters does not count, one of letters only needs no stripping
    found = False
    for w in text[max(0, s - 30):s].rsplit(None, 1)[-1:] + text[e:e + 30].split(None, 1)[:1]:
        if not w.isalpha():
            if not any(map(str.isalpha, w)):
                continue
            w = w.strip(".,:;!?()'\"")
        if not (w.isupper() and len(w) > 1):
            return False
        found = True
    return found


def _mark_explained(a: Analysis, text: str, base: int) -> None:
    """An acronym is explained when its first use sits in brackets after words (the expansion
    given first), or is followed by a bracketed expansion, or its lexicon expansion appears
    before it."""
    seen: dict[str, bool] = {}
    low: str | None = None
    out = []
    for s, e, form, entry, _ in a.acronyms:
        key = form.rstrip("s") if form.endswith("s") and form[:-1].isupper() else form
        if key not in seen:
            ls, le = s - base, e - base
            explained = (ls > 0 and text[ls - 1] == "(" and text[le:le + 1] == ")") or \
                _EXPANSION_AFTER_RE.match(text, le, le + 84) is not None
            if not explained and entry is not None and entry.expansion:
                if low is None:
                    low = text.lower()
                i = low.find(entry.expansion.lower())
                explained = 0 <= i < ls
            seen[key] = explained
            out.append((s, e, form, entry, explained))
        else:
            out.append((s, e, form, entry, seen[key]))
    a.acronyms = out
