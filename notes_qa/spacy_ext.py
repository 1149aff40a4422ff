"""How notes-qa components talk to each other inside a spaCy ``Doc``.

- ``doc._.nqa_context``: a :class:`~notes_qa.spacy_ext.Context` dict for the entry being
  analysed (the child's name, nicknames, siblings' names, gender, age, note type, date).
  A component must work when it is ``None`` (a user's own pipeline, no case metadata).
- Span groups named after the contract's labels: ``doc.spans["child_voice"]``,
  ``doc.spans["decision"]``, ``doc.spans["rationale"]``, ``doc.spans["plain_language"]``.
  Each span's ``label_`` is the group name.
- The label's extra fields (``kind``, ``score``, ``has_rationale``, ``decision`` (index into the
  ``decision`` group), ``suggestion``, ``detail``) are kept with :func:`set_attrs` /
  :func:`get_attrs`, keyed by ``"label|start_char|end_char"``, because spaCy keys span extension
  values by offsets alone and two labels can share one stretch of text. (String keys, so the
  store survives msgpack when ``nlp.pipe(n_process=2)`` moves Docs between processes.)
- ``doc._.plain_language``: the entry's 0-100 plain-language score, or ``None``.
- ``doc.user_data[TEXT_KEY]``: the text the Doc was made from, kept by
  :func:`notes_qa.pipeline.make_docs` (:func:`remember_text`) so that components read it with
  :func:`doc_text` instead of rebuilding ``Doc.text`` from the tokens each time.
"""
from __future__ import annotations

from typing import Any, Iterable, Iterator, TypedDict

from spacy.tokens import Doc, Span

ATTRS_KEY = "notes_qa.span_attrs"
TEXT_KEY = "notes_qa.text"
SPAN_GROUPS = ("child_voice", "decision", "rationale", "plain_language")


class Context(TypedDict, total=False):
    child_name: str | None
    nicknames: list[str]
    initials: str | None
    sibling_names: list[str]
    gender: str | None
    age: float | None
    note_type: str | None
    date: str | None
    legal_status: str | None


def register_extensions() -> None:
    """Register the Doc extensions (idempotent)."""
    if not Doc.has_extension("nqa_context"):
        Doc.set_extension("nqa_context", default=None)
    if not Doc.has_extension("plain_language"):
        Doc.set_extension("plain_language", default=None)


register_extensions()


def _key(span: Span) -> str:
    return f"{span.label_}|{span.start_char}|{span.end_char}"


def set_attrs(span: Span, **attrs: Any) -> None:
    """Attach extra fields to ``span`` (merged with any already set)."""
    store = span.doc.user_data.setdefault(ATTRS_KEY, {})
    store.setdefault(_key(span), {}).update(attrs)


def get_attrs(span: Span) -> dict[str, Any]:
    """The extra fields set on ``span`` (empty dict if none)."""
    store = span.doc.user_data.get(ATTRS_KEY, {})
    return dict(store.get(_key(span), {}))


def remember_text(doc: Doc, text: str) -> Doc:
    """Keep ``text``, the text ``doc`` was made from, for :func:`doc_text`."""
    doc.user_data[TEXT_KEY] = text
    return doc


def remembered_text(doc: Doc) -> str | None:
    """The text :func:`remember_text` kept for ``doc`` when it is still the Doc's (a Doc's text
    never changes, but user data can be copied to another Doc); None otherwise."""
    text = doc.user_data.get(TEXT_KEY)
    if type(text) is str and len(doc):
        last = doc[-1]
        if last.idx + len(last.text_with_ws) == len(text) and doc[0].idx == 0:
            return text
    return None


def doc_text(doc: Doc) -> str:
    """``doc.text``: the remembered text (:func:`remembered_text`), else rebuilt from the tokens."""
    text = remembered_text(doc)
    return doc.text if text is None else text


def context(doc: Doc) -> Context:
    """The entry context, or an empty one."""
    ctx = doc._.nqa_context
    return ctx if ctx is not None else Context()


class BatchComponent:
    """Base for components that score a batch of Docs at once (one model call per batch).

    Subclasses implement ``initialize()`` (setting ``self.featuriser``) and ``_process(docs)``.
    """

    featuriser: Any = None

    def initialize(self, *args: Any, **kwargs: Any) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def _process(self, docs: list[Doc]) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def _ready(self) -> Any:
        """The featuriser, loading rules and models on first use."""
        if self.featuriser is None:
            self.initialize()
        return self.featuriser

    def __call__(self, doc: Doc) -> Doc:
        self._process([doc])
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        from spacy.util import minibatch

        for batch in minibatch(stream, size=batch_size):
            self._process(batch)
            yield from batch
