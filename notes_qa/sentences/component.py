"""Sentence boundaries for case notes: the first component of the notes-qa pipeline.

Case notes break the assumptions of prose splitters: lines without full stops ("Seen alone",
"Outcome: NFA"), bullet and dash lists, abbreviations (SW, TM, Mr., approx., w/c), times (14:30)
and dates (04.02.25), and quotes followed by their attribution ("'I want to stay,' Mia said.").
Rules, in order:

1. A line break ends a sentence, unless the next line continues a hard-wrapped sentence
   (previous line ends without closing punctuation and the next starts in lower case).
2. A bullet or numbered-list marker at the start of a line starts a sentence.
3. ``.``, ``!`` or ``?`` (with any closing quotes/brackets) followed by whitespace ends a sentence,
   unless the word before is a known abbreviation or a single-letter initial, or the next word is a
   reporting clause of a quote (``... home.' Mia said``), or the next character cannot start one.
"""
import re
from pathlib import Path
from typing import Any, Callable, Iterable, Optional, Union

import numpy as np
import srsly
from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from ..errors import ConfigError
from ..spacy_ext import doc_text
from ..resources import load_rules

_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s)")
_BULLET = re.compile(r"^[ \t]*(?:[-–—•*·▪●○◦]|\d{1,2}[.)]|[a-z][.)])[ \t]+", re.M)
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z./&]*)$")
# A quote's attribution: "... home.' Mia said." / "... now?" she asked if ...". Verbs that also
# start new reported speech ("She told me she ...") need punctuation within two words.
_REPORTING = re.compile(
    r"\s+(?:[A-Z][\w'’-]*|he|she|they|i|the\s+\w+|mum|mam|dad|nain|taid)?\s*(?:"
    r"(?:said|asked|replied|added|shouted|whispered|responded|answered|cried|yelled|exclaimed|"
    r"muttered|continued|sobbed|laughed|giggled|mumbled|screamed)\b"
    r"|(?:says|say|told|tells|asks|stated|explained|commented)"
    r"(?:\s+[\w'’]+){0,2}\s*(?:[.,;:!?]|$))", re.I | re.M)
_CLOSE_QUOTE = re.compile(r"[\"'”’]$")


def sentence_starts(text: str, abbreviations: frozenset,
                    final_abbreviations: frozenset = frozenset()) -> list:
    """Character offsets where sentences start (the first non-space character of each).

    ``abbreviations`` never end a sentence (Mr., approx.); ``final_abbreviations`` (hrs., etc.)
    end one when the next word starts with a capital letter.
    """
    starts: set[int] = set()
    n = len(text)

    def next_nonspace(i: int) -> int:
        while i < n and text[i].isspace():
            i += 1
        return i

    # 1. line breaks
    pos = text.find("\n")
    while pos != -1:
        j = next_nonspace(pos + 1)
        if j < n:
            k = pos - 1
            while k >= 0 and text[k] in " \t\r":
                k -= 1
            wrapped = (k >= 0 and text[k] not in ".!?:;\"'”’)\n" and text[j].islower()
                       and text.count("\n", pos, j) == 1)
            if not wrapped:
                starts.add(j)
        pos = text.find("\n", pos + 1)
    # 2. bullets
    for m in _BULLET.finditer(text):
        starts.add(m.start() + len(m.group()) - len(m.group().lstrip()))
    # 3. terminal punctuation
    for m in _END.finditer(text):
        j = next_nonspace(m.end())
        if j >= n or j in starts:
            continue
        c = text[j]
        if not (c.isalnum() or c in "\"'“‘([-•*"):
            continue
        punct = m.group()
        if punct[0] == ".":
            w = _WORD_BEFORE.search(text, max(0, m.start() - 12), m.start())
            if w:
                word = w.group(1).lower().rstrip(".")
                if word in abbreviations or (len(word) == 1 and word.isalpha()
                                             and text[m.start() - 1].isupper()):
                    continue
                if word in final_abbreviations and not c.isupper():
                    continue
        if _CLOSE_QUOTE.search(punct) and _REPORTING.match(text, m.end()):
            continue
        starts.add(j)
    first = next_nonspace(0)
    if first < n:
        starts.add(first)
    return sorted(starts)


@Language.factory(
    "notes_qa_sentences",
    assigns=["token.is_sent_start"],
    default_config={"rules": "default"},
)
def make_sentences(nlp: Language, name: str, rules: Any) -> "CaseNoteSentencizer":
    return CaseNoteSentencizer(name=name, rules=rules)


class CaseNoteSentencizer:
    """Rule-based sentence splitter for case notes (see the module docstring for the rules)."""

    def __init__(self, name: str = "notes_qa_sentences",
                 rules: Union[str, Path, None] = "default") -> None:
        self.name = name
        self._load(load_rules(rules, "notes_qa.sentences.rules", "abbreviations.json") or {})

    def _load(self, data: dict) -> None:
        unknown = set(data) - {"provenance", "abbreviations", "sentence_final_abbreviations"}
        if unknown:
            raise ConfigError(f"E110: unknown key(s) {sorted(unknown)} in sentence rules; "
                              "allowed: abbreviations, sentence_final_abbreviations, provenance")
        self.abbreviations = frozenset(a.lower() for a in data.get("abbreviations", []))
        self.final_abbreviations = frozenset(
            a.lower() for a in data.get("sentence_final_abbreviations", []))

    # No postponed annotations in this module: spaCy validates initialize()'s signature.
    def initialize(self, get_examples: Optional[Callable[[], Iterable]] = None, *,
                   nlp: Optional[Language] = None, rules: Optional[str] = None) -> None:
        if rules is not None:
            self._load(load_rules(rules, "notes_qa.sentences.rules", "abbreviations.json") or {})

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        idx = doc.to_array([IDX]).reshape(-1)
        starts = np.asarray(sentence_starts(doc_text(doc), self.abbreviations,
                                             self.final_abbreviations), dtype=np.int64)
        flags = np.full(len(doc), -1, dtype=np.int32)
        if len(starts):
            tok = np.searchsorted(idx, starts, side="left")
            tok = tok[tok < len(doc)]
            flags[tok] = 1
        flags[0] = 1
        # A whitespace token never starts a sentence: it stays with the one before it.
        doc.from_array([SENT_START], flags.reshape(-1, 1).astype(np.uint64))
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in stream:
            yield self(doc)

    def to_disk(self, path: Union[str, Path], *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "abbreviations.json", {
            "provenance": "saved by notes_qa_sentences.to_disk",
            "abbreviations": sorted(self.abbreviations),
            "sentence_final_abbreviations": sorted(self.final_abbreviations)})

    def from_disk(self, path: Union[str, Path], *, exclude: Iterable[str] = ()) -> "CaseNoteSentencizer":
        self._load(srsly.read_json(Path(path) / "abbreviations.json"))
        return self
