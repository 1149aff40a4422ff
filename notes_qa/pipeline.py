"""Build the per-document spaCy pipeline and run a case file's entries through it.

The default pipeline runs on ``spacy.blank("en")``: the case-note sentence splitter, then the
child's-voice, decision/rationale and plain-language components. A full model (e.g.
``en_core_web_sm``) can be named as ``base`` where installed; it is never required. Either
way the tokenizer's chunk cache is made to work on multi-line texts
(:func:`~notes_qa.tokenization.speed_up_tokenizer`; the tokens are unchanged).
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Sequence

from .records import AttrItems, CaseRecord, SourceText, Span
from .spacy_ext import SPAN_GROUPS, Context, get_attrs, remember_text
from .tokenization import speed_up_tokenizer

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

#: Factory name → module that registers it. Importing the module registers the factory.
FACTORY_MODULES: dict[str, str] = {
    "notes_qa_sentences": "notes_qa.sentences.component",
    "notes_qa_child_voice": "notes_qa.voice.component",
    "notes_qa_decisions": "notes_qa.decisions.component",
    "notes_qa_plain_language": "notes_qa.plain_language.component",
}

DEFAULT_COMPONENTS: tuple[str, ...] = (
    "notes_qa_sentences", "notes_qa_child_voice", "notes_qa_decisions", "notes_qa_plain_language")


def import_factories(names: Iterable[str] = FACTORY_MODULES) -> None:
    """Import the modules that register our factories (also done via the spaCy entry point)."""
    for name in names:
        module = FACTORY_MODULES.get(name)
        if module:
            importlib.import_module(module)


def build_pipeline(components: Sequence[str] = DEFAULT_COMPONENTS, base: str = "blank",
                   config: dict[str, dict[str, Any]] | None = None) -> "Language":
    """A ready-to-use pipeline. ``base``: "blank" (default) or an installed spaCy model name.

    ``config`` maps a factory name to its component config (e.g. a model directory).
    """
    import spacy

    import_factories(components)
    if base == "blank":
        nlp = spacy.blank("en")
    else:
        # A full model may bring its own sentence boundaries; ours still decide them.
        nlp = spacy.load(base, exclude=["senter", "sentencizer"])
    speed_up_tokenizer(nlp)
    config = config or {}
    for name in components:
        first = name == "notes_qa_sentences" and len(nlp.pipe_names) > 0
        nlp.add_pipe(name, config=config.get(name, {}), first=first or None)
    nlp.initialize()
    share_literal_scans(nlp)
    return nlp


def share_literal_scans(nlp: "Language") -> int:
    """Let ``nlp``'s rule components (voice, decisions) find their word lists' literals in one
    scan per sentence between them, not one each (:meth:`LiteralIndex.joined`), and likewise
    their substring tests (:meth:`SubstringIndex.joined`); the matches are the same. Returns
    how many components now share the scans."""
    from .training.prefilter import LiteralIndex, SubstringIndex

    matchers = [m for _, proc in nlp.pipeline
                if (m := getattr(getattr(proc, "featuriser", None), "matcher", None)) is not None]
    shared = 0
    for attr, kind in (("index", LiteralIndex), ("sub_index", SubstringIndex)):
        these = [m for m in matchers if isinstance(getattr(m, attr, None), kind)]
        if len({id(getattr(m, attr)) for m in these}) < 2:
            continue  # nothing to share, or shared already
        joined = kind.joined(getattr(m, attr) for m in these)
        for matcher in these:
            setattr(matcher, attr, joined)
        shared = max(shared, len(these))
    return shared


def clear_memos(nlp: "Language") -> None:
    """Make ``nlp``'s components forget the sentences they have seen (their results for a text
    seen again are kept, see :class:`~notes_qa.training.units.SentenceMemo`), so that a
    benchmark's repeated rounds over one corpus each cost what a first pass does."""
    for _, proc in nlp.pipeline:
        clear = getattr(proc, "clear_memo", None)
        if clear is not None:
            clear()


def context_for(record: CaseRecord, i: int) -> Context:
    """The entry context handed to components in ``doc._.nqa_context``."""
    m, e = record.meta, record.entries[i]
    name = m.child_name or None
    return Context(child_name=name, nicknames=list(m.nicknames),
                   initials=initials(name) if name else None,
                   sibling_names=list(m.sibling_names), gender=m.gender, age=m.age,
                   note_type=e.note_type, date=e.date, legal_status=m.legal_status)


def initials(name: str) -> str:
    return "".join(w[0].upper() for w in name.split() if w and w[0].isalpha())


def make_docs(nlp: "Language", record: CaseRecord) -> Iterator["Doc"]:
    """Entry Docs with their context, made lazily so that a huge case file is never held as
    Docs all at once (memory stays bounded by ``nlp.pipe``'s batch)."""
    for i in range(len(record.entries)):
        text = record.entry_text(i)
        doc = remember_text(nlp.make_doc(text), text)
        doc._.nqa_context = context_for(record, i)
        yield doc


def annotate(record: CaseRecord, nlp: "Language", docs: Iterable["Doc"] | None = None,
             batch_size: int = 64) -> None:
    """Run the entries through ``nlp`` and add the spans and entry scores to ``record``."""
    if docs is None:
        docs = nlp.pipe(make_docs(nlp, record), batch_size=batch_size)
    shared = SpanStore()
    for i, doc in enumerate(docs):
        add_doc_results(record, i, doc, shared)


#: Attribute values that :meth:`SpanStore.pack` shares between spans (``repr`` tells them apart
#: exactly: ``1``, ``1.0``, ``True``; ``0.0``, ``-0.0``).
_SHAREABLE = (str, int, float, bool, type(None))


@dataclass
class SpanStore:
    """What the spans of one record share, to keep a big export's record small: each source's
    :class:`~notes_qa.records.SourceText` (span texts are cut from it when read, not copied)
    and one ``(key, value)`` tuple for each distinct ``attrs`` (instead of a dict per span)."""

    sources: dict[str, SourceText] = field(default_factory=dict)
    attrs: dict[str, AttrItems] = field(default_factory=dict)
    strings: dict[str, str] = field(default_factory=dict)

    def source(self, record: CaseRecord, name: str) -> SourceText:
        src = self.sources.get(name)
        if src is None:
            src = self.sources[name] = SourceText(record.sources[name])
        return src

    def pack(self, attrs: dict[str, Any]) -> dict[str, Any] | AttrItems:
        """``attrs`` as a shared tuple of pairs; unchanged if a value is not a plain scalar."""
        if not all(type(v) in _SHAREABLE for v in attrs.values()):
            return attrs
        items = tuple(attrs.items())
        key = repr(items)
        shared = self.attrs.get(key)
        if shared is None:
            strings = self.strings
            shared = self.attrs[key] = tuple(
                (k, strings.setdefault(v, v) if type(v) is str else v) for k, v in items)
        return shared


def add_doc_results(record: CaseRecord, i: int, doc: "Doc", shared: SpanStore | None = None) -> None:
    """Convert one processed entry Doc into contract spans and entry scores.

    ``shared``: one :class:`SpanStore` for all the entries of ``record`` keeps its spans small.
    """
    if shared is None:
        shared = SpanStore()
    entry = record.entries[i]
    offset = entry.start
    src = shared.source(record, entry.source)
    # The plain-language component leaves None for an entry without a sentence of words.
    score = doc._.plain_language
    if score is not None and len(doc):
        entry.scores["plain_language"] = round(float(score), 1)
    decision_index: dict[int, int] = {}
    for group in SPAN_GROUPS:
        if group not in doc.spans:
            continue
        for j, sp in enumerate(doc.spans[group]):
            attrs = get_attrs(sp)
            if group == "rationale":
                link = attrs.get("decision")
                attrs["decision"] = decision_index.get(link) if link is not None else None
            # The Doc is the entry's text, so the span's text is the source's [start:end].
            k = record.add_span(Span(group, i, offset + sp.start_char, offset + sp.end_char, src,
                                     shared.pack(attrs)))
            if group == "decision":
                decision_index[j] = k
