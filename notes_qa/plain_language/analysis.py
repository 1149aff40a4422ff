"""One pass over a Doc/Span that gathers everything the metrics, spans and score need.

Sentences are the Doc's sentence boundaries (from the project's splitter or spaCy's
``sentencizer``), further cut at line breaks: a heading or bullet line is its own sentence even
without a full stop. With no sentence boundaries set, the text's lines are the sentences.
Words are runs of letters/digits, keeping apostrophes and hyphens inside a word ("don't",
"well-known" are one word each, as textstat and most references count them).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Union

from spacy.tokens import Doc, Span

from .lexicon import JargonEntry, Resources, common_words, default_resources, zipf_table
from .syllables import syllables

DocLike = Union[Doc, Span]

WORD_RE = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)*(?:-[A-Za-z0-9]+(?:['’][A-Za-z]+)*)*")
_LINE_RE = re.compile(r"[^\n]+")
_BULLET_RE = re.compile(r"^\s*(?:[-•*–·]+|\d{1,2}[.)]|[a-z][.)])\s+")
_YOU_RE = re.compile(r"\b(?:you|your|yours|yourself)\b", re.I)
_WE_RE = re.compile(r"\b(?:we|us|our|I|me|my)\b")
_QUOTE_RE = re.compile(r"[\"“”]")
_HEADING_PREFIX_RE = re.compile(r"^(?P<head>[^:.!?\n]{1,60}?):\s*")

#: Word features, in order: syllables, polysyllabic (>= 3), letters, lexical (counted in the
#: vocabulary statistics: not a name/acronym/number), Zipf, rare (outside the common list),
#: Zipf < 3, Zipf < 4.5, nominalisation, content word (lexical, Zipf < 5.5), its Zipf,
#: very rare (lexical, Zipf < 2), pronoun, Zipf < 5 (outside roughly the top 1,000 words),
#: long word (9+ letters).
_INFO: dict[str, tuple] = {}
_PRONOUNS = frozenset("i you he she it we they me him her us them my your his its our their".split())


def _word_info(w: str, res: Resources) -> tuple:
    info = _INFO.get(w)
    if info is not None:
        return info
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
    info = (s, int(s >= 3), sum(c.isalpha() for c in w), int(lexical), z, rare,
            int(lexical and z < 3.0), int(lexical and z < 4.5),
            int(has_alpha and res.is_nominalisation(lw)), int(lexical and z < 5.5),
            z if lexical and z < 5.5 else 0.0, int(lexical and z < 2.0), int(lw in _PRONOUNS),
            int(lexical and z < 5.0), int(sum(c.isalpha() for c in w) >= 9))
    if len(_INFO) < 500_000:
        _INFO[w] = info
    return info


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
    words_lower: list[str] = field(default_factory=list)
    has_outcome: bool = False
    n_headings: int = 0

    @property
    def n_sentences(self) -> int:
        return len(self.units)


def _sentences(doclike: DocLike, dtext: str) -> list[tuple[int, int]]:
    """(start, end) character offsets in the Doc of each sentence, cut at line breaks.

    Reads sentence starts with one array call instead of ``doc.sents`` (which walks every
    token in Python), to keep the component cheap.
    """
    doc = doclike.doc if isinstance(doclike, Span) else doclike
    base = doclike.start_char if isinstance(doclike, Span) else 0
    stop = doclike.end_char if isinstance(doclike, Span) else len(dtext)
    bounds: list[tuple[int, int]] = []
    if len(doc) and _has_sentences(doc):
        arr = doc.to_array(["SENT_START", "IDX"])
        starts = arr[1:, 1][arr[1:, 0] == 1].tolist()
        cuts = [0, *starts, len(dtext)]
        bounds = [(a, b) for a, b in zip(cuts, cuts[1:]) if b > base and a < stop]
    else:
        bounds = [(base, stop)]
    out = []
    for a, b in bounds:
        a, b = max(a, base), min(b, stop)
        for m in _LINE_RE.finditer(dtext, a, b):
            t = m.group(0)
            if t.strip():
                e = m.start() + len(t.rstrip())
                out.append((m.start() + len(t) - len(t.lstrip()), e))
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


def analyse(doclike: DocLike, res: Resources | None = None, text: str | None = None) -> Analysis:
    """Gather the counts and items used by the metrics, the spans and the score.

    ``text``: the Doc's text if the caller has it (``Doc.text`` is rebuilt on every access).
    """
    res = res or default_resources()
    a = Analysis()
    doc = doclike.doc if isinstance(doclike, Span) else doclike
    dtext = text if text is not None else doc.text
    infos: list[tuple] = []
    get = _INFO.get
    lowered: list[str] = []
    owner: str | None = None
    in_actions = False
    for start, end in _sentences(doclike, dtext):
        utext = dtext[start:end]
        words = WORD_RE.findall(utext)
        if not words:
            continue
        n = len(words)
        w0 = words[0]
        if w0[0].isupper() and w0[1:].islower():
            words[0] = w0.lower()
        infos.extend([get(w) or _word_info(w, res) for w in words])
        lowered.extend(words)
        a.units.append((start, end, n))
        if n > 25:
            a.n_long += 1
        ui = len(a.units) - 1
        for m in res.passive_re.finditer(utext):
            pp = m.group("pp").lower()
            if pp in res.adjectival or (pp.endswith("ed") and len(pp) < 4):
                continue
            a.passive.append((start + m.start(), start + m.end(), ui))
        # plan structure: headings, owners, actions
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
            if vague and not has_time:
                has_time = False
            a.actions.append(Action(bstart, end, has_owner, has_time, vague, who))
    if not a.units:
        return a
    cols = list(zip(*infos))
    a.n_words = len(infos)
    a.n_syll, a.n_poly, a.n_letters, a.n_lexical = sum(cols[0]), sum(cols[1]), sum(cols[2]), sum(cols[3])
    a.zipf_sum, a.n_rare, a.n_low3, a.n_low45, a.n_nominal = (
        sum(cols[4]), sum(cols[5]), sum(cols[6]), sum(cols[7]), sum(cols[8]))
    a.n_content, a.zipf_content_sum, a.n_vrare, a.n_pron = (
        sum(cols[9]), sum(cols[10]), sum(cols[11]), sum(cols[12]))
    a.n_low5, a.n_longword = sum(cols[13]), sum(cols[14])
    a.words_lower = [w.lower() for w in lowered]
    a.n_types = len(set(a.words_lower))
    base = doclike.start_char if isinstance(doclike, Span) else 0
    text = dtext[base:doclike.end_char] if isinstance(doclike, Span) else dtext
    a.n_commas = text.count(",") + text.count(";")
    a.n_quotes = len(_QUOTE_RE.findall(text))
    a.n_you = len(_YOU_RE.findall(text))
    a.n_we = len(_WE_RE.findall(text))
    a.has_outcome = res.outcome_re.search(text) is not None
    _find_terms(a, text, base, res)
    return a


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


def _find_terms(a: Analysis, text: str, base: int, res: Resources) -> None:
    taken: list[tuple[int, int]] = []
    for m in res.acronym_re.finditer(text):
        form = re.sub(r"\s+", "", m.group(0))
        entry = res.acronym_forms.get(m.group(0)) or res.acronym_forms.get(form)
        if entry is None and (m.group(0) in res.stop_acronyms or form.rstrip("s") in res.stop_acronyms):
            continue
        if entry is None and _in_caps_run(text, m.start(), m.end()):
            continue
        a.acronyms.append((base + m.start(), base + m.end(), form, entry, False))
        taken.append((m.start(), m.end()))
    _mark_explained(a, text, base)
    for m in res.term_re.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        entry = res.by_form.get(re.sub(r"\s+", " ", m.group(0).lower()))
        if entry is not None:
            a.jargon.append((base + m.start(), base + m.end(), entry))
    for m in res.shorthand_re.finditer(text):
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
