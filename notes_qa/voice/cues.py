"""Transparent child's-voice rules: who is speaking, quoting or communicating in a clause.

The rules are data (``rules/voice.json``); this module compiles them and, for one clause of
text plus the entry context, returns :class:`VoiceCues`: the evidence found (speech or wish
verbs and their speakers, quotes and who they are attributed to, non-verbal cues, hard
negatives) as a flat feature dict for the classifier, plus a rule-only verdict and ``kind``.

Speaker attribution without a parser: a reporting verb's speaker is the nearest person
reference before it in the clause (the child by name, nickname, initials, "the child"/"YP",
a pronoun, a sibling, a family member, carer, professional, the worker, or a written source).
Pronouns resolve to the nearest compatible person earlier in the sentence, else to the child
in direct-work entries.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter
from typing import Any, ClassVar

from ..findings import is_direct_work
from ..resources import RuleData
from ..spacy_ext import Context
from ..training.prefilter import (Alternation, Gated, LiteralIndex, Probe, SubstringIndex, first_chars,
                                  grouped_by_first_char)

RULES_PACKAGE = "notes_qa.voice.rules"
RULES_FILE = "voice.json"

#: Speaker categories, in the order used for features.
CHILD, SIBLING, FAMILY, CARER, PROFESSIONAL, WORKER, SOURCE, NAME, OTHER = (
    "child", "sibling", "family", "carer", "professional", "worker", "source", "name", "other")
NOT_CHILD = frozenset({SIBLING, FAMILY, CARER, PROFESSIONAL, SOURCE, NAME, OTHER})

_FEMALE = frozenset("mum mam mummy mammy mother nan nana nanny nain gran granny grandma grandmother "
                    "aunt auntie aunty sister half-sister stepmum step-mum girlfriend".split())
_MALE = frozenset("dad daddy father stepdad step-dad taid bampi grandad grandfather uncle brother "
                  "half-brother boyfriend".split())
#: Capitalised words that are not people's names (sentence starts, days, months, places of work).
_NOT_NAMES = frozenset(
    "The This That These Those It Its He She They We I You His Her Their Our My A An In On At To "
    "When While After Before During Following Using Through Per Asked Sat Seen Spoke Visit Visited "
    "Today Yesterday Tomorrow Monday Tuesday Wednesday Thursday Friday Saturday Sunday Mon Tue Wed "
    "Thu Fri Sat Sun January February March April May June July August September October November "
    "December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Mr Mrs Ms Miss Dr Welsh English "
    "School Nursery College Police Court Conference Review Plan Outcome Decision Agreed Strategy "
    "Christmas Easter Baby Child YP Makaton PECS ASD ADHD Lego And But So Or If As Also Then Not No "
    "Yes Did Was Were Has Had Is Are Will Would Could Should Can Said Told Text Message Email".split())


@dataclass(frozen=True)
class VoiceRules(RuleData):
    """The child's-voice rule file (see ``rules/voice.json``); unknown keys are rejected."""

    RULES_NAME: ClassVar[str] = "voice rules"
    RULES_PACKAGE: ClassVar[str] = RULES_PACKAGE
    RULES_FILE: ClassVar[str] = RULES_FILE

    provenance: str
    speech_verbs: list[str]
    wish_verbs: list[str]
    voice_frames: list[str]
    nonverbal_cues: list[str]
    preverbal_markers: list[str]
    child_generic: list[str]
    pronouns: dict[str, list[str]]
    other_speakers: dict[str, list[str]]
    not_obtained: list[str]
    worker_opinion: list[str]
    quote_chars: str = "\"“”"
    version: int = 1
    pronoun_child_note_types: str = ""
    communication_aids: list[str] = field(default_factory=lambda: [
        "pointed", "pointing", "signed", "signing", "makaton", "pecs", "communication board",
        "feelings chart", "picture cards?", "chose the", "chose a", "picked the", "nodded",
        "shook (?:his|her|their) head", "shrugged"])


def _alt(items: list[str]) -> str:
    return "|".join(sorted(items, key=len, reverse=True))


def _words(items: list[str], before: str = r"(?<![\w'’])", after: str = r"(?![\w])",
           group: str = "(?:") -> Alternation:
    """A case-insensitive, word-bounded alternation of ``items`` (longest first), compiled per
    text for the items whose literals occur in it (:class:`~notes_qa.training.prefilter.Alternation`).
    ``group="("`` makes the alternation group 1."""
    def build(ids: tuple[int, ...]) -> str:
        sub = [items[i] for i in ids]
        look = first_chars(sub)
        return before + look + group + _alt_by_first_char(sub) + ")" + after

    return Alternation(items, build, bounded=True)


def _alt_by_first_char(items: list[str]) -> str:
    """:func:`_alt` of ``items``, grouped by the characters its alternatives open with
    (:func:`~notes_qa.training.prefilter.grouped_by_first_char`) where that can be told."""
    return grouped_by_first_char(sorted(items, key=len, reverse=True)) or _alt(items)


def _any(items: list[str], bounded: bool = False) -> Alternation:
    """A case-insensitive alternation of regex fragments, compiled per text for the fragments whose
    literals occur in it (``bounded``: each fragment's matches stand between non-word characters)."""
    return Alternation(items, lambda ids: "|".join(f"(?:{items[i]})" for i in ids), bounded=bounded)


@dataclass(slots=True)
class Ref:
    start: int
    end: int
    category: str
    text: str
    gender: str | None = None


_START = attrgetter("start")


@dataclass
class VoiceCues:
    """What the rules found in one clause."""

    features: dict[str, float]
    positive: bool
    kind: str | None
    strength: float  # rule-only confidence in 0..1


class VoiceMatcher:
    """Compiled :class:`VoiceRules`; :meth:`analyse` one clause at a time."""

    def __init__(self, rules: VoiceRules) -> None:
        self.rules = rules
        self.speech = _words(rules.speech_verbs)
        self.wish = _words(rules.wish_verbs)
        self.nonverbal = _words(rules.nonverbal_cues)
        self.aids = _words(rules.communication_aids)
        #: one pass that says whether a sentence could hold any voice evidence at all
        gate_words = rules.speech_verbs + rules.wish_verbs + rules.nonverbal_cues + [
            "words", "views?", "wishes", "comment", "response", "answer", "message", "text", "note", "letter",
            "drawing", "matters", "asked"]
        self.gate_words = _words(gate_words)
        self.gate_quote = re.compile(r"[" + re.escape(rules.quote_chars) + r"‘]|(?:^|\s)['’]")
        #: frames with the child's names left out: only the frames whose literals occur in a sentence are tried
        frame_frags = [p.replace("{CHILD}", "(?:.)") for p in rules.voice_frames]
        self.frame_alt = Alternation(frame_frags, lambda ids: "|".join(f"(?:{frame_frags[i]})" for i in ids))
        self.gate_quotes = frozenset(rules.quote_chars + "‘'’")
        self.preverbal = _any(rules.preverbal_markers)
        self.not_obtained = _any(rules.not_obtained)
        self.opinion = _words(rules.worker_opinion)
        self.generic = _words(rules.child_generic)
        self._pron_gender = {"he": "male", "she": "female", "they": None}
        pronouns = list(self._pron_gender)
        self.subj_pronoun = Alternation(
            pronouns, lambda ids: r"(?<![\w'’])(" + "|".join(pronouns[i] for i in ids) + r")(?![\w'’])", bounded=True)
        lex: list[tuple[str, str]] = []
        for cat, words in rules.other_speakers.items():
            lex += [(w, cat) for w in words]
        self._lex_cat: dict[str, str] = {}
        case_sensitive = [w for w, _ in lex if w in ("i", "we") or (len(w) <= 3 and w not in (
            "mum", "mam", "dad", "nan", "gp", "hv", "fc", "sw", "tm", "iro", "dsl", "yos", "pc", "dr",
            "ta", "ewo", "ssw", "gran", "taid", "nain"))]
        insensitive = [w for w, _ in lex if w not in case_sensitive]
        for w, cat in lex:
            self._lex_cat[w] = cat
        self.lex_ci = _words(insensitive, r"(?<![\w'’-])", r"(?![\w-])", group="(")
        cs_forms = [w.upper() if w != "we" else "[Ww]e" for w in case_sensitive]
        self.lex_cs = Alternation(cs_forms, lambda ids: r"(?<![\w'’-])(" + _alt([cs_forms[i] for i in ids])
                                  + r")(?![\w-])", flags=0, bounded=True)
        self._lex_patterns = [(re.compile(r"^(?:" + w + r")$", re.I), cat) for w, cat in lex]
        # a capitalised word: the capital consumed first (so that ``re`` skips to capitals in C),
        # then a lookbehind over it and the character before for the word boundary
        self.cap_word = re.compile(r"([A-Z](?<![\w'’-][A-Z])[a-zà-öø-ÿŵŷâêîôû]+(?:-[A-Z][a-zà-öø-ÿŵŷ]+)?)(?![\w-])")
        # "(according to mum)", "... said the teacher." at the clause's end: one fragment per
        # lead-in, each capturing the source's word (the match's ``lastindex``), so that the
        # shared literal index says where the lead-ins start
        hearsay = [rf"\b{lead}\s+(?:the\s+|his\s+|her\s+)?([\w-]+)\s*\)?\s*[.]?\s*$"
                   for lead in ("according to", "per", "as reported by", "reported by", "says", "said")]
        self.hearsay = _any(hearsay, bounded=True)
        qc = re.escape(rules.quote_chars)
        # "..." / ‘...’ / '...' (after a space or at the start): the opening mark is consumed
        # first and told apart by lookbehinds, so that ``re`` skips to the next mark in C
        self.quote = Gated(re.compile(r"[" + qc + r"‘'](?:(?<=[" + qc + r"])([^" + qc + r"]{1,400})(?:[" + qc + r"]|$)"
                                      r"|(?<=‘)([^’]{2,400})’"
                                      r"|(?<=')(?:(?<=\s')|(?<![\s\S]'))([^']{2,200}?)'(?=[\s.,;:!?)]|$))"),
                           [re.escape(c) for c in rules.quote_chars + "‘'"])
        self.colon_frame = re.compile(r"^\W*([A-Z][\w'’-]*(?:\s+[\w'’-]+){0,2})\s*(?:\([^)]{0,25}\))?\s*[:\-–]\s*$")
        self._raw_memo: tuple[str, tuple, Probe, list[tuple[int, int, str, str | None]]] | None = None
        self._prepared: dict[int, tuple[Probe, tuple, list[tuple[int, int, str, str | None]]]] = {}
        self.after_quote = re.compile(r"^\W{0,3}\s*(?:\(([^,)]{1,30})[,)])?\s*([\w'’-]+)?(?:\s+([\w'’-]+))?", re.I)
        #: one scan per sentence for where the word lists' literals start, shared by them all;
        #: word-bounded lists only, so that the scan looks at word starts alone (the phrases
        #: of ``not_obtained`` may start inside a word, "cannot see": it scans the few clauses
        #: it is asked about itself)
        self.index = LiteralIndex([self.gate_words, self.speech, self.wish, self.nonverbal, self.aids,
                                   self.opinion, self.generic, self.lex_ci, self.lex_cs, self.subj_pronoun,
                                   self.hearsay])
        #: one scan per sentence for the substring tests of the alternations without a finder,
        #: and of ``not_obtained`` (its own finder then scans only clauses holding its literals)
        self.sub_index = SubstringIndex([self.frame_alt, self.preverbal, self.not_obtained])

    # -- person references ---------------------------------------------------------------
    def refs(self, text: str, ctx: Context, probe: Probe | None = None, *,
             sentence: str | None = None) -> list[Ref]:
        """Person references in ``text``, left to right, non-overlapping (``probe``: of ``text`` or
        of a text containing it).

        ``sentence``: a text that ``text`` is the start of, ending where ``text`` ends or
        continuing at a space or ";" (a sentence whose clauses are analysed one by one). Its
        reference candidates are then found once and reused for every clause; a candidate that
        straddles the end of ``text`` makes this call fall back to searching ``text`` itself.
        """
        probe = probe or Probe(text)
        limit = len(text)
        raw: list[tuple[int, int, str, str | None]] | None = None
        in_sentence = sentence is not None and sentence.startswith(text)
        if in_sentence:
            raw = self._sentence_raw_refs(sentence, ctx, probe)  # type: ignore[arg-type]
            if any(s < limit < e for s, e, _, _ in raw):
                raw = None
            elif limit < len(sentence):  # type: ignore[arg-type]
                raw = [r for r in raw if r[1] <= limit]
        if raw is None:
            # the probe is of the sentence, which starts with text (or else of a text holding it)
            raw = self._raw_refs(text, ctx, probe, 0 if in_sentence else None)
        found: list[Ref] = []
        taken = bytearray(limit + 1)
        spans: list[tuple[int, int]] = []
        for s, e, cat, gender in raw:
            if s < e:
                if taken.find(1, s, e) >= 0:
                    continue
            elif any(s < b and a < e for a, b in spans):
                continue
            taken[s:e] = b"\x01" * (e - s)
            spans.append((s, e))
            found.append(Ref(s, e, cat, text[s:e], gender))
        found.sort(key=_START)
        return found

    def _sentence_raw_refs(self, sentence: str, ctx: Context,
                           probe: Probe) -> list[tuple[int, int, str, str | None]]:
        """:meth:`_raw_refs` of ``sentence``, remembered for the last sentence and context."""
        names = _ctx_key(ctx)
        key = (names, ctx.get("gender"))
        memo = self._raw_memo
        if memo is not None and memo[2] is probe and memo[1] == key and memo[0] == sentence:
            return memo[3]
        raw = self._prepared.get(id(probe)) if self._prepared else None
        if raw is None or raw[0] is not probe or raw[1] != key:
            raw = (probe, key, self._raw_refs(sentence, ctx, probe, names=names))
        self._raw_memo = (sentence, key, probe, raw[2])
        return raw[2]

    def prepare(self, sentences: list[tuple[str, Context, Probe]]) -> None:
        """Find the person references of each (sentence, context, probe of it) now, for the
        :meth:`analyse` calls on its clauses that follow (a batch's sentences done in one
        stage, the reference patterns staying in the CPU's caches). Until the next call."""
        prepared: dict[int, tuple[Probe, tuple, list[tuple[int, int, str, str | None]]]] = {}
        for sentence, ctx, probe in sentences:
            names = _ctx_key(ctx)
            prepared[id(probe)] = (probe, (names, ctx.get("gender")), self._raw_refs(sentence, ctx, probe, names=names))
        self._prepared = prepared

    def _raw_refs(self, text: str, ctx: Context, probe: Probe, offset: int | None = None, *,
                  names: tuple | None = None) -> list[tuple[int, int, str, str | None]]:
        """Every candidate reference (start, end, category, gender), in order of precedence
        (earlier candidates win overlaps); ``offset``: where ``text`` starts in the probe's
        text, if known; ``names``: ``_ctx_key(ctx)``, if already at hand."""
        out: list[tuple[int, int, str, str | None]] = []
        key = _ctx_key(ctx) if names is None else names
        cre, sre = _child_pattern(*key), _sibling_pattern(key[3])
        add = out.append
        child_gender = _gender(ctx.get("gender"))
        # every pattern below but the generic words captures the reference as its group 1
        if cre is not None:
            for m in cre.finditer(text):
                add((*m.span(1), CHILD, child_gender))
        if sre is not None and any(form in text for form in _sibling_forms(key[3])):
            for m in sre.finditer(text):  # (the names match case-sensitively: one must be in the text)
                add((*m.span(1), SIBLING, None))
        for m in self.generic.finditer(text, probe, offset):
            g = m.group(0)
            if g == "c" or (g == "C" and text[m.end():m.end() + 1] in ("&", "/")):
                continue  # "C" is shorthand for the child; "c" and "C&S" are not
            add((*(m.span(1) if m.re.groups else m.span()), CHILD, child_gender))
        lex_cat = self._lex_cat
        for m in (*self.lex_cs.finditer(text, probe, offset), *self.lex_ci.finditer(text, probe, offset)):
            word = m.group(1).lower()
            cat = lex_cat.get(word) or self._lex_category(word)
            add((*m.span(1), cat, "female" if word in _FEMALE else "male" if word in _MALE else None))
        pron_gender = self._pron_gender
        for m in self.subj_pronoun.finditer(text, probe, offset):
            add((*m.span(1), "pronoun", pron_gender.get(m.group(1).lower())))
        for m in self.cap_word.finditer(text):
            if m.group(1) not in _NOT_NAMES:
                add((*m.span(1), NAME, None))
        return out

    def _lex_category(self, word: str) -> str:
        for rx, cat in self._lex_patterns:
            if rx.match(word):
                return cat
        return OTHER

    def resolve(self, ref: Ref, before: list[Ref], ctx: Context, has_context: bool) -> str:
        """The category a reference stands for (pronouns resolved against ``before``)."""
        if ref.category == NAME and not ctx.get("child_name"):
            return "name_unknown"
        if ref.category != "pronoun":
            return ref.category
        for prev in reversed(before):
            if prev.category in ("pronoun", WORKER, SOURCE, OTHER):
                continue
            if ref.gender and prev.gender and prev.gender != ref.gender:
                continue
            if ref.gender is None and prev.category != CHILD:
                continue
            return "name_unknown" if prev.category == NAME and not ctx.get("child_name") else prev.category
        child_gender = _gender(ctx.get("gender"))
        if child_gender and ref.gender and child_gender != ref.gender:
            return OTHER
        note_type = ctx.get("note_type")
        if not has_context or not note_type or is_direct_work(note_type):
            return "child_pronoun"
        return "pronoun_unresolved"

    # -- analysis ----------------------------------------------------------------------
    def could_match(self, text: str, start: int = 0, end: int | None = None, probe: Probe | None = None) -> bool:
        """Whether ``text[start:end]`` holds any voice evidence that could make one of its clauses
        worth scoring (the gate before :meth:`analyse`; ``probe``: of that span of text): a quote,
        a reporting, wish or non-verbal cue, or a voice frame with one of the gate's words."""
        end = len(text) if end is None else end
        probe = probe or Probe(text[start:end])
        if not self.gate_quotes.isdisjoint(probe.low) and self.gate_quote.search(text, start, end) is not None:
            return True
        if self.gate_words.absent(probe):
            return False  # none of the gate's words (a test the shared literal index answers at once)
        if (self.speech.absent(probe) and self.wish.absent(probe) and self.nonverbal.absent(probe)
                and not self.frame_alt.candidates(probe)):
            return False  # a word such as "views" or "asked" alone gives a clause no candidate cue
        return self.gate_words.search(text, probe, start, end) is not None

    def analyse(self, text: str, ctx: Context | None = None, prefix: str = "",
                probe: Probe | None = None, sentence: str | None = None) -> VoiceCues:
        """Cues in one clause ``text``; ``prefix`` is the sentence text before the clause;
        ``probe`` (optional) is a :class:`Probe` of a text containing ``prefix + text``;
        ``sentence`` (optional, with ``probe`` of it) the whole sentence, so that person
        references are found once per sentence (see :meth:`refs`)."""
        ctx = ctx or Context()
        has_context = bool(ctx.get("child_name") or ctx.get("note_type"))
        full = prefix + text
        off = len(prefix)
        if sentence is not None and not sentence.startswith(full):
            sentence = None
        # where the clause starts in the probe's text, when that is known (see LiteralIndex)
        at: int | None = off
        if probe is None:
            probe = Probe(full if sentence is None else sentence)
        elif len(probe.low) != len(full if sentence is None else sentence):
            at = None
        refs = self.refs(full, ctx, probe, sentence=sentence)
        quotes = [(m.start(), m.end()) for m in self.quote.finditer(text, probe)]
        quotes = [(a + off, b + off) for a, b in quotes]

        def in_quote(pos: int) -> bool:
            if not quotes:
                return False
            for a, b in quotes:
                if a <= pos < b:
                    return True
            return False

        # the clause's references outside quotes: who may speak a verb (in text order)
        speakers = [r for r in refs if r.start >= off and not in_quote(r.start) and r.category != "source_obj"]

        def speaker(pos: int) -> tuple[str, Ref | None]:
            cands = [r for r in speakers if r.end <= pos]
            if not cands:
                if _IMPLICIT.search(full[off:pos]) and (not has_context or not ctx.get("note_type")
                                                        or is_direct_work(ctx.get("note_type"))):
                    return "child_implicit", None  # shorthand with the child as understood subject
                return "none", None
            r = cands[-1]
            if _COORD.search(full[r.end:pos]) and len(cands) > 1 and not _CLAUSE_START.search(full, 0, r.start):
                # "Lacey rang the duty line and said ...": the subject of the first verb speaks,
                # so skip references that follow a preposition or determiner (objects); not when
                # the last one opens a clause ("When I asked, Tomos shrugged and said ...")
                subjects = [c for c in cands[:-1] if not _OBJECT_BEFORE.search(full[max(0, c.start - 12):c.start])]
                if subjects:
                    r = subjects[-1]
            if r.category == NAME and pos - r.end > 3 and len(cands) > 1:
                # unknown capitalised words count only right before the verb
                others = [c for c in cands if c.category != NAME]
                if others:
                    r = others[-1]
            before = [c for c in refs if c.end <= r.start]
            return self.resolve(r, before, ctx, has_context), r

        f: dict[str, float] = {}
        child_verbs: list[int] = []
        other_verbs: list[int] = []
        for kind, rx in (("spk", self.speech), ("wish", self.wish)):
            for m in rx.finditer(text, probe, at):
                pos = m.start() + off
                if in_quote(pos):
                    continue
                if kind == "spk" and _NEGATED.search(full[max(0, pos - 16):pos]):
                    f["spk_negated"] = 1.0  # "not saying where", "refused to say"
                    continue
                if kind == "spk" and _PASSIVE.search(full[max(0, pos - 10):pos]):
                    f["spk_passive"] = 1.0  # "when asked", "was told"
                    continue
                cat, _ = speaker(pos)
                if kind == "wish" and cat in (CHILD, "child_pronoun") and any(p < pos for p in other_verbs):
                    f["wish_reported_by_other"] = 1.0  # "Mum says Mia wants ..."
                    continue
                f[f"{kind}:{cat}"] = 1.0
                if cat in (CHILD, "child_pronoun", "child_implicit"):
                    child_verbs.append(pos)
                elif cat in NOT_CHILD or cat == "pronoun_unresolved":
                    other_verbs.append(pos)
                elif cat == "name_unknown":
                    child_verbs.append(pos)
                    f["weak_child"] = 1.0

        # quotes and who they are attributed to
        child_quote = False
        for a, b in quotes:
            f["has_quote"] = 1.0
            cat = self._quote_speaker(full, a, b, refs, speaker, ctx, probe, at is not None)
            f[f"quote:{cat}"] = 1.0
            if cat in (CHILD, "child_pronoun", "name_unknown", "child_implicit"):
                child_quote = True

        # frames: "In her own words", "Kayla's views:"
        frame_ids = self.frame_alt.candidates(probe)
        frame = False
        if frame_ids:
            names = _ctx_key(ctx)[:3]
            if names[:2] != (None, ()) and not _names_may_occur(probe, names[0], names[1]):
                # none of the child's names is in the sentence: the frames' shared pattern for
                # "the child", "YP" (compiled once) finds what the child's own would
                names = (None, (), None)
            # one frame at a time ("any frame matches" is the alternation's answer), so that a
            # child's patterns are compiled per frame found, not per combination of frames
            frame = any(_frame_pattern((f,), *(names if "{CHILD}" in f else (None, (), None))).search(text)
                        for f in (self.rules.voice_frames[i] for i in frame_ids))
        if frame:
            f["frame"] = 1.0

        # non-verbal communication by the child
        nv_child = False
        for m in self.nonverbal.finditer(text, probe, at):
            pos = m.start() + off
            if in_quote(pos):
                continue
            cat, _ = speaker(pos)
            blocked = any(p < pos for p in other_verbs)
            if blocked:
                f["nv_blocked"] = 1.0
                continue
            f[f"nv:{cat}"] = 1.0
            if cat in (CHILD, "child_pronoun", "name_unknown", "child_implicit"):
                nv_child = True
        aid = bool(self.aids.search(text, probe, offset=at))
        if aid:
            f["aid"] = 1.0
        preverbal = bool(self.preverbal.search(full, probe))
        age = ctx.get("age")
        if preverbal:
            f["preverbal"] = 1.0
        if age is not None:
            f["age_le3"] = float(age <= 3)
            f["age_ge8"] = float(age >= 8)
        not_obtained = bool(self.not_obtained.search(text, probe, offset=at))
        if not_obtained:
            f["not_obtained"] = 1.0
        if self.opinion.search(text, probe, offset=at):
            f["opinion"] = 1.0
        hs = self.hearsay.search(text, probe, offset=at)
        if hs and _lexical_other(hs.group(hs.lastindex), self):
            f["hearsay_other"] = 1.0
        if any(r.category == CHILD and r.start >= off for r in refs):
            f["child_mentioned"] = 1.0
        if any(r.category == SIBLING and r.start >= off for r in refs):
            f["sibling_mentioned"] = 1.0
        if not has_context:
            f["no_context"] = 1.0
        elif is_direct_work(ctx.get("note_type")):
            f["direct_work"] = 1.0

        verbal = bool(child_verbs) or child_quote or frame
        positive = (verbal or nv_child) and not (not_obtained and not child_quote)
        positive = positive and not ("hearsay_other" in f and not child_quote)
        spoke = any(f.get(k) for k in ("spk:child", "spk:child_pronoun", "spk:name_unknown"))
        if child_quote and not (aid and nv_child and not spoke):
            kind: str | None = "direct_quote"
        elif frame and quotes and not (aid and nv_child):
            kind = "direct_quote"
        elif child_verbs and not (aid and nv_child and not spoke):
            kind = "reported"
        elif nv_child:
            kind = "non_verbal"
        elif frame or child_verbs:
            kind = "reported"
        else:
            kind = None
        if positive:
            strength = 0.9 if (child_quote or "spk:child" in f or "wish:child" in f) else 0.75
            if "weak_child" in f and not child_quote:
                strength = 0.6
        else:
            strength = 0.1 if (verbal or nv_child) else 0.03
        if kind:
            f[f"rule_kind:{kind}"] = 1.0
        f["rule_positive"] = float(positive)
        return VoiceCues(features=f, positive=positive, kind=kind, strength=strength)

    def _quote_speaker(self, full: str, a: int, b: int, refs: list[Ref], speaker: Any,
                       ctx: Context, probe: Probe, probe_at_start: bool = False) -> str:
        """Who a quote at ``full[a:b]`` is attributed to (``probe_at_start``: the probe's text
        starts with ``full``)."""
        head = full[:a]
        # "Ethan: "..."" / "Ffion (10): "...""
        m = self.colon_frame.search(head)
        if m:
            cands = [r for r in refs if r.start >= m.start(1) and r.end <= m.end(1) + 1]
            if cands:
                return self.resolve(cands[0], [], ctx, True)
        # a reporting verb before the quote
        at = 0 if probe_at_start else None
        verbs = list(self.speech.finditer(head, probe, at)) + list(self.wish.finditer(head, probe, at))
        if verbs:
            v = max(verbs, key=lambda x: x.start())
            if a - v.end() < 120:
                cat, _ = speaker(v.start())
                if cat != "none":
                    return cat
        # after the quote: '"...," Callum asked' or '"..." (Lacey, 16)'
        tail = full[b:b + 60]
        tm = self.after_quote.match(tail)
        if tm:
            for word in (tm.group(1), tm.group(2)):
                if not word:
                    continue
                for r in refs:
                    if r.start >= b and full[r.start:r.end] == word.strip():
                        return self.resolve(r, [x for x in refs if x.end <= r.start], ctx, True)
        # the nearest person before the quote, if nobody else stands between
        before = [r for r in refs if r.end <= a]
        if before:
            r = before[-1]
            return self.resolve(r, before[:-1], ctx, True)
        return "none"


_COORD = re.compile(r"(?:\band|\bbut|\bthen|\bbefore|\bafter)\s+(?:then\s+|later\s+|also\s+)?$", re.I)
#: the text before a reference that opens a clause: nothing, or a comma, semicolon, colon or dash
_CLAUSE_START = re.compile(r"(?:^|[,;:–—]|\s-)\s*$")
_IMPLICIT = re.compile(r"^(?:\W*|.*\s[-–:]\s*)$")
_PASSIVE = re.compile(r"(?:\bwhen|\bwas|\bwere|\bbeing|\bbeen|\bif|\bonce|\bis|\bare)\s+$", re.I)
_OBJECT_BEFORE = re.compile(r"(?:\bthe|\ba|\ban|\bto|\babout|\bat|\bwith|\bof|\bfor|\bfrom|\bin|\bon|\bhis|\bher|\bmy|\btheir|\bw)\s+$", re.I)
_NEGATED = re.compile(r"(?:\bnot|n't|\bnever|\brefused to|\bwould not|\bwouldn'?t|\bdidnt|\bwont)\s+$", re.I)


def _lexical_other(word: str, matcher: VoiceMatcher) -> bool:
    cat = matcher._lex_cat.get(word.lower()) or matcher._lex_category(word.lower())
    return cat in (FAMILY, CARER, PROFESSIONAL, SOURCE)


def _gender(g: str | None) -> str | None:
    if not g:
        return None
    g = g.strip().lower()
    if g in ("female", "girl", "f", "woman"):
        return "female"
    if g in ("male", "boy", "m", "man"):
        return "male"
    return None


def _ctx_key(ctx: Context) -> tuple:
    name = ctx.get("child_name") or None
    return (name, tuple(ctx.get("nicknames") or ()), ctx.get("initials") or None,
            tuple(n for n in (ctx.get("sibling_names") or ()) if n))


def _name_forms(name: str) -> list[str]:
    forms = {name}
    parts = name.split()
    if len(parts) > 1:
        forms.add(parts[0])
    return sorted(forms, key=len, reverse=True)


#: compiled patterns kept per child (about 5 KB a child, all three): children come family by
#: family, so a few hundred cover any family in flight, and memory stays flat over an archive
_PATTERNS_KEPT = 512


@lru_cache(maxsize=_PATTERNS_KEPT)
def _child_pattern(name: str | None, nicknames: tuple[str, ...], initials: str | None,
                   siblings: tuple[str, ...]) -> re.Pattern[str] | None:
    forms: list[str] = []
    if name:
        forms += [re.escape(f) for f in _name_forms(name)]
    forms += [re.escape(n) for n in nicknames if n]
    if initials:
        forms.append(re.escape(initials))
    if name and len(name) > 0 and name[0].isalpha():
        forms.append(re.escape(name[0].upper()))  # "R's views", "B not home"
    sib = {s.split()[0] for s in siblings}
    forms = [f for f in forms if f not in sib]
    if not forms:
        return None
    single = re.escape(name[0].upper()) if name else None
    named = [f for f in forms if f != single]
    parts = []
    if named:  # names match in any case ("logan said"), and take a following surname
        parts.append(r"(?i:" + _alt(named) + r")(?:\s+[A-Z][\w'’-]+)?")
    if single in forms:
        parts.append(single)
    return re.compile(r"(?<![\w'’-])(" + "|".join(parts) + r")(?![\w-])(?:['’]s?)?")


@lru_cache(maxsize=_PATTERNS_KEPT)
def _sibling_forms(siblings: tuple[str, ...]) -> tuple[str, ...]:
    """The forms of the siblings' names, longest first (each a literal :func:`_sibling_pattern` matches)."""
    return tuple(sorted({f for s in siblings for f in _name_forms(s)}, key=len, reverse=True))


@lru_cache(maxsize=_PATTERNS_KEPT)
def _sibling_pattern(siblings: tuple[str, ...]) -> re.Pattern[str] | None:
    forms = [re.escape(f) for f in _sibling_forms(siblings)]
    if not forms:
        return None
    return re.compile(r"(?<![\w'’-])(" + "|".join(forms) + r")(?![\w-])")


def _names_may_occur(probe: Probe, name: str | None, nicknames: tuple[str, ...]) -> bool:
    """False only when none of the child's name forms and nicknames can match the probed text
    under ``re.IGNORECASE`` (ASCII names in a text that lower-cases faithfully: a form must then
    occur in the lower-cased text)."""
    forms = [*(_name_forms(name) if name else ()), *(n for n in nicknames if n)]
    if not probe.exact or not all(f.isascii() for f in forms):
        return True
    low = probe.low
    return any(f.lower() in low for f in forms)


@lru_cache(maxsize=_PATTERNS_KEPT)
def _frame_pattern(frames: tuple[str, ...], name: str | None, nicknames: tuple[str, ...],
                   initials: str | None) -> re.Pattern[str]:
    names = []
    if name:
        names += [re.escape(f) for f in _name_forms(name)]
    names += [re.escape(n) for n in nicknames if n]
    # "child" alone too: headings such as "Child's wishes and feelings: ..."
    child = "(?:" + "|".join(names + ["the child", "the young person", "yp", "child", "young person"]) + ")"
    return re.compile("|".join(f"(?:{p.replace('{CHILD}', child)})" for p in frames), re.I)


@lru_cache(maxsize=8)
def default_matcher() -> VoiceMatcher:
    rules = VoiceRules.load("default")
    assert rules is not None
    return VoiceMatcher(rules)
