"""One pass over a Doc/Span that gathers everything the metrics, spans and score need.

Sentences are the Doc's sentence boundaries (from the project's splitter or spaCy's
``sentencizer``), further cut at line breaks: a heading or bullet line is its own sentence even
without a full stop. With no sentence boundaries set, the text's lines are the sentences.
Words are runs of letters/digits, keeping apostrophes and hyphens inside a word ("don't",
"well-known" are one word each, as textstat and most references count them).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from itertools import chain, compress
from dataclasses import dataclass, field
from typing import Any, Union

import numpy as np
from spacy.attrs import IDX, ORTH, SENT_START, SPACY
from spacy.tokens import Doc, Span

from .lexicon import JargonEntry, Resources, common_words, default_resources, zipf_table
from .syllables import syllables

DocLike = Union[Doc, Span]

WORD_RE = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)*(?:-[A-Za-z0-9]+(?:['’][A-Za-z]+)*)*")
_LINE_RE = re.compile(r"[^\n]+")
_BULLET_RE = re.compile(r"^\s*(?:[-•*–·]+|\d{1,2}[.)]|[a-z][.)])\s+")
_YOU_RE = re.compile(r"\b(?:you|your|yours|yourself)\b", re.I)
_WE_RE = re.compile(r"\b(?:we|us|our|I|me|my)\b")
#: _YOU_RE and _WE_RE in one pattern; group 1 is the "you" word, empty for a "we" word
_YOU_WE_RE = re.compile(r"\b(?:((?i:you|your|yours|yourself))|we|us|our|I|me|my)\b")
_QUOTE_RE = re.compile(r"[\"“”]")
_HEADING_PREFIX_RE = re.compile(r"^(?P<head>[^:.!?\n]{1,60}?):\s*")

#: Word features (columns of :class:`WordTable`), in order: syllables, polysyllabic (>= 3),
#: letters, lexical (counted in the vocabulary statistics: not a name/acronym/number), Zipf, rare
#: (outside the common list), Zipf < 3, Zipf < 4.5, nominalisation, content word (lexical,
#: Zipf < 5.5), its Zipf, very rare (lexical, Zipf < 2), pronoun, Zipf < 5 (outside roughly the
#: top 1,000 words), long word (9+ letters), number (starts with a digit).
N_WORD_FEATURES = 16
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
        if z is None and "-" in lw:
            parts = [zipf_table().get(p, 1.0) for p in lw.split("-") if p]
            z = min(parts) if parts else 1.0
        z = 1.0 if z is None else z
        base = lw[:-2] if lw.endswith("'s") else lw
        rare = int(base not in common_words() and not ("-" in base and all(
            p in common_words() for p in base.split("-") if p)))
    else:
        z, rare = 0.0, 0
    return (s, int(s >= 3), sum(c.isalpha() for c in w), int(lexical), z, rare,
            int(lexical and z < 3.0), int(lexical and z < 4.5),
            int(has_alpha and res.is_nominalisation(lw)), int(lexical and z < 5.5),
            z if lexical and z < 5.5 else 0.0, int(lexical and z < 2.0), int(lw in _PRONOUNS),
            int(lexical and z < 5.0), int(sum(c.isalpha() for c in w) >= 9),
            int(w[0].isdigit()))


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
        self._matrix = np.zeros((1024, N_WORD_FEATURES))
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
        self._matrix[i] = _word_info(w, self.res)
        self.index[w] = i
        lw = w.lower()
        self.lower.append(lw)
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


@dataclass
class Analysis:
    """Counts and found items for one Doc/Span; offsets are character offsets in the Doc."""

    units: list[tuple[int, int, int]] = field(default_factory=list)  # (start, end, n_words)
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
    passive: list[tuple[int, int, int]] = field(default_factory=list)  # (start, end, unit index)
    jargon: list[tuple[int, int, JargonEntry]] = field(default_factory=list)
    acronyms: list[tuple[int, int, str, JargonEntry | None, bool]] = field(default_factory=list)
    shorthand: list[tuple[int, int]] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    has_outcome: bool = False
    n_headings: int = 0
    #: whether the plan checks (actions, outcome) ran; False leaves ``actions`` empty
    plan_checks: bool = True
    #: row of each word in ``table`` (see :class:`WordTable`)
    word_ids: list[int] = field(default_factory=list)
    table: WordTable | None = None
    #: ``word_ids`` as a numpy array
    id_array: np.ndarray | None = None

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


def _sentences(doclike: DocLike, dtext: str, arr: np.ndarray | None = None
               ) -> list[tuple[int, int]]:
    """(start, end) character offsets in the Doc of each sentence, cut at line breaks and
    stripped of surrounding whitespace.

    Reads sentence starts from one array (``doc.sents`` walks every token in Python).
    ``arr``: the Doc's ``[ORTH, IDX, SENT_START]`` array if the caller has it.
    """
    doc = doclike.doc if isinstance(doclike, Span) else doclike
    base = doclike.start_char if isinstance(doclike, Span) else 0
    stop = doclike.end_char if isinstance(doclike, Span) else len(dtext)
    cuts = [base]
    if len(doc) > 1:
        if arr is None:
            arr = doc.to_array([ORTH, IDX, SENT_START])
        ss = arr[1:, 2].view(np.int64) if arr.dtype == np.uint64 else arr[1:, 2]
        if (ss != 0).any():
            starts = arr[1:, 1][ss == 1]
            if isinstance(doclike, Span):
                cuts.extend(x for x in starts.tolist() if base < x < stop)
            else:
                cuts += starts.tolist()  # all inside the Doc's text
    nl = dtext.find("\n", base, stop)
    if nl >= 0:
        while nl >= 0:
            cuts.append(nl + 1)
            nl = dtext.find("\n", nl + 1, stop)
        cuts = sorted(set(cuts))
    cuts.append(stop)
    out = []
    for a, b in zip(cuts, cuts[1:]):
        t = dtext[a:b]
        st = t.strip()
        if st:
            i = a + t.index(st[0])
            out.append((i, i + len(st)))
    return out


def _has_sentences(doc: Doc) -> bool:
    """Whether sentence boundaries are set (fast: one array read, no per-token Python)."""
    if len(doc) < 2:
        return bool(len(doc)) and doc[0].is_sent_start is not None
    return bool((doc.to_array("SENT_START")[1:] != 0).any())


def _owner_from_subject(subj: str, res: Resources) -> bool:
    words = [w for w in re.findall(r"[\w'’]+", subj)]
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


#: Columns of the one token array the component reads (see :func:`token_array`).
TOKEN_ATTRS = [ORTH, IDX, SENT_START, SPACY]


def token_array(doc: Doc) -> np.ndarray | None:
    """``doc.to_array(TOKEN_ATTRS)`` (ORTH, IDX, SENT_START, SPACY), or None for an empty Doc:
    read once and shared by :func:`doc_text`, :func:`analyse` and the component."""
    return doc.to_array(TOKEN_ATTRS) if len(doc) else None


def doc_text(doc: Doc, arr: np.ndarray | None = None) -> str:
    """``doc.text``, rebuilt from one array read and cached strings (faster than ``Doc.text``,
    which makes a Token object per token). ``arr``: :func:`token_array` if the caller has it."""
    if not len(doc):
        return ""
    if arr is None:
        arr = doc.to_array([ORTH, SPACY])
        orths, spaces = arr[:, 0].tolist(), arr[:, 1].tolist()
    else:
        orths, spaces = arr[:, 0].tolist(), arr[:, 3].tolist()
    strings = doc.vocab.strings
    caches = _TEXT_CACHES if _TEXT_CACHE_OWNER[0] is strings else _reset_text_cache(strings)
    # each token's text with its trailing space, from the cache for its SPACY flag (0/1):
    # C-level loops throughout, no per-token Python
    return "".join(map(_dict_get, map(caches.__getitem__, spaces), orths))


class _TextCache(dict):
    """ORTH hash -> the token's text followed by ``suffix``, filled on first sight."""

    def __init__(self, strings: object, suffix: str) -> None:
        super().__init__()
        self.strings = strings
        self.suffix = suffix

    def __missing__(self, h: int) -> str:
        got = self[h] = self.strings[h] + self.suffix  # type: ignore[index]
        return got


_dict_get = dict.__getitem__  # honours _TextCache.__missing__
_TEXT_CACHES: tuple[_TextCache, _TextCache] = (_TextCache(None, ""), _TextCache(None, " "))
_TEXT_CACHE_OWNER: list[object] = [None]


def _reset_text_cache(strings: object) -> tuple[_TextCache, _TextCache]:
    global _TEXT_CACHES
    _TEXT_CACHES = (_TextCache(strings, ""), _TextCache(strings, " "))
    _TEXT_CACHE_OWNER[0] = strings
    return _TEXT_CACHES




def analyse(doclike: DocLike, res: Resources | None = None, text: str | None = None,
            plan_checks: bool = True, arr: np.ndarray | None = None) -> Analysis:
    """Gather the counts and items used by the metrics, the spans and the score.

    ``text``: the Doc's text if the caller has it (``Doc.text`` is rebuilt on every access).
    ``plan_checks``: also find actions (who does what by when) and stated outcomes; False
    leaves ``actions`` empty and ``has_outcome`` False (plan signals then do not apply).
    ``arr``: the Doc's :func:`token_array` if the caller has it.
    """
    res = res or default_resources()
    a = Analysis(plan_checks=plan_checks)
    doc = doclike.doc if isinstance(doclike, Span) else doclike
    if arr is None:
        arr = token_array(doc)
    dtext = text if text is not None else doc_text(doc, arr)
    units = _sentences(doclike, dtext, arr)
    # Words never span whitespace, so a sentence's words are the concatenated words of its
    # whitespace-separated chunks; chunks repeat a lot, so their words' table rows are cached.
    # A sentence's first word is lower-cased when only its first letter is a capital.
    table = word_table(res)
    table.check_limit()
    chunk_rows = table.chunk_rows.__getitem__
    first_row = table.first_row
    ids: list[int] = []
    kept: list[tuple[int, int, int]] = []
    n_long = 0
    for start, end in units:
        ws = list(chain.from_iterable(map(chunk_rows, dtext[start:end].split())))
        if not ws:
            continue
        ws[0] = first_row[ws[0]]
        ids += ws
        n = len(ws)
        kept.append((start, end, n))
        if n > 25:
            n_long += 1
    a.units = kept
    if not kept:
        return a
    a.n_long = n_long
    a.word_ids, a.table = ids, table
    id_arr = np.array(ids, dtype=np.int64)
    a.id_array = id_arr
    cols = table.matrix()[id_arr].sum(axis=0).tolist()
    a.n_words = len(ids)
    (a.n_syll, a.n_poly, a.n_letters, a.n_lexical, a.zipf_sum, a.n_rare, a.n_low3, a.n_low45,
     a.n_nominal, a.n_content, a.zipf_content_sum, a.n_vrare, a.n_pron, a.n_low5,
     a.n_longword, a.n_numbers) = [
        int(round(c)) if k not in (4, 10) else c for k, c in enumerate(cols)]
    a.n_types = len(set(table.lower_ids()[id_arr].tolist()))
    base = doclike.start_char if isinstance(doclike, Span) else 0
    text = dtext[base:doclike.end_char] if isinstance(doclike, Span) else dtext
    a.n_commas = text.count(",") + text.count(";")
    a.n_quotes = len(_QUOTE_RE.findall(text)) if ('"' in text or "“" in text or "”" in text) else 0
    # one scan for both: the two word sets start with different letters, so their matches
    # are disjoint and each is found as by its own pattern
    you_we = _YOU_WE_RE.findall(text)
    a.n_you = len(you_we) - you_we.count("")
    a.n_we = len(you_we) - a.n_you
    cands = _candidates(doclike, arr, res)
    _find_passive(a, dtext, res, cands.get(_PASSIVE, ()))
    if plan_checks:
        _plan_structure(a, dtext, res)
        a.has_outcome = res.outcome_re.search(text) is not None
    _find_terms(a, text, base, res, cands)
    return a


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


def _token_masks(res: Resources) -> tuple[dict[str, int], dict[int, int]]:
    """(lower-case first token -> candidate bits, ORTH hash -> bits cache) for ``res``."""
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
                by_word[w] = by_word.get(w, 0) | bit
        got = (by_word, _MaskCache(by_word))
        res._token_masks = got  # type: ignore[attr-defined]
    return got


class _MaskCache(dict):
    """ORTH hash -> candidate bits of the token (see :func:`_orth_mask`), filled on first
    sight from ``strings`` (set by the caller: hashes are of the text, so any StringStore
    that knows the hash gives the same answer)."""

    def __init__(self, by_word: dict[str, int]) -> None:
        super().__init__()
        self.by_word = by_word
        self.strings: Any = None

    def __missing__(self, h: int) -> int:
        got = self[h] = _orth_mask(self.strings[h], self.by_word)
        return got


def _orth_mask(s: str, by_word: dict[str, int]) -> int:
    m = by_word.get(s.lower(), 0)
    if len(s) > 1 and s[0].isupper() and (s[1].isupper() or s[1] == "&"):
        m |= _ACRONYM  # the generic all-capitals pattern
    return m


def _candidates(doclike: DocLike, arr: np.ndarray | None, res: Resources) -> dict[int, list[int]]:
    """Character offsets (in the Doc) of tokens that may start a match, per regex bit."""
    if arr is None:
        return {}
    by_word, cache = _token_masks(res)
    if isinstance(doclike, Span):
        arr = arr[doclike.start:doclike.end]
    if not len(arr):
        return {}
    cache.strings = doclike.doc.vocab.strings
    masks = list(map(cache.__getitem__, arr[:, 0].tolist()))  # C-level loop
    if not any(masks):
        return {}
    # few tokens are candidates: pick them out at C level, then sort them by bit in Python
    idx = list(compress(arr[:, 1].tolist(), masks))
    out: dict[int, list[int]] = {}
    for m, i in zip(filter(None, masks), idx):
        for bit in _BITS_OF[m]:
            got = out.get(bit)
            if got is None:
                out[bit] = [i]
            else:
                got.append(i)
    return out


#: mask -> the candidate bits set in it
_BITS_OF = [tuple(b for b in (_TERM, _ACRONYM, _SHORTHAND, _PASSIVE) if m & b) for m in range(16)]


def _match_at(rx: re.Pattern[str], text: str, positions: list[int], offset: int = 0
              ) -> list[re.Match[str]]:
    """Non-overlapping matches of ``rx`` starting at the given positions (as finditer would
    find them, for matches that start at a token)."""
    out = []
    last = -1
    for p in positions:
        p -= offset
        if p < last:
            continue
        m = rx.match(text, p)
        if m is not None and m.end() > m.start():
            out.append(m)
            last = m.end()
    return out


def _find_passive(a: Analysis, dtext: str, res: Resources, positions: list[int]) -> None:
    if not positions:
        return
    starts = [u[0] for u in a.units]
    for m in _match_at(res.passive_re, dtext, positions):
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


def _starts_with_verb(body: str, res: Resources) -> bool:
    m = re.match(r"\s*([A-Za-z]+)", body)
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
        words = re.findall(r"[\w'’]+", text)
        if len(words) >= 2:
            lead = re.split(r"\b(?:to|will|should|must)\b", text, maxsplit=1)[0]
            return _owner_from_subject(lead, res) if lead != text else False, None
    return None


def _find_terms(a: Analysis, text: str, base: int, res: Resources,
                cands: dict[int, list[int]] | None = None) -> None:
    """Acronyms, jargon terms and shorthand. ``cands``: candidate start offsets (in the Doc)
    per regex from :func:`_candidates`; None scans the whole text."""
    def found(rx: re.Pattern[str], bit: int) -> list[re.Match[str]]:
        if cands is None:
            return list(rx.finditer(text))
        return _match_at(rx, text, cands.get(bit, ()), base)

    taken: list[tuple[int, int]] = []
    for m in found(res.acronym_re, _ACRONYM):
        form = re.sub(r"\s+", "", m.group(0))
        entry = res.acronym_forms.get(m.group(0)) or res.acronym_forms.get(form)
        if entry is None and (m.group(0) in res.stop_acronyms or form.rstrip("s") in res.stop_acronyms):
            continue
        if entry is None and _in_caps_run(text, m.start(), m.end()):
            continue
        a.acronyms.append((base + m.start(), base + m.end(), form, entry, False))
        taken.append((m.start(), m.end()))
    _mark_explained(a, text, base)
    for m in found(res.term_re, _TERM):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        entry = res.by_form.get(re.sub(r"\s+", " ", m.group(0).lower()))
        if entry is not None:
            a.jargon.append((base + m.start(), base + m.end(), entry))
    for m in found(res.shorthand_re, _SHORTHAND):
        a.shorthand.append((base + m.start(), base + m.end()))


def _in_caps_run(text: str, s: int, e: int) -> bool:
    """Whether an all-caps word sits in a run of capitals (a shouted heading, not an acronym)."""
    left = text[max(0, s - 30):s].split()
    right = text[e:e + 30].split()
    neighbours = [w for w in (left[-1:] + right[:1]) if any(c.isalpha() for c in w)]
    return bool(neighbours) and all(w.strip(".,:;!?()'\"").isupper() and len(w.strip(".,:;!?()'\"")) > 1
                                    for w in neighbours)


def _mark_explained(a: Analysis, text: str, base: int) -> None:
    """An acronym is explained when its first use sits in brackets after words (the expansion
    given first), or is followed by a bracketed expansion, or its lexicon expansion appears
    before it."""
    seen: dict[str, bool] = {}
    low = text.lower()
    out = []
    for s, e, form, entry, _ in a.acronyms:
        key = form.rstrip("s") if form.endswith("s") and form[:-1].isupper() else form
        if key not in seen:
            ls, le = s - base, e - base
            explained = (ls > 0 and text[ls - 1] == "(" and text[le:le + 1] == ")") or \
                bool(re.match(r"\s*\((?=[^)]*[a-z])[^)]{4,80}\)", text[le:le + 84]))
            if not explained and entry is not None and entry.expansion:
                i = low.find(entry.expansion.lower())
                explained = 0 <= i < ls
            seen[key] = explained
            out.append((s, e, form, entry, explained))
        else:
            out.append((s, e, form, entry, seen[key]))
    a.acronyms = out
