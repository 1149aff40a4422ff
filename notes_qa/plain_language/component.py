"""spaCy component ``notes_qa_plain_language``: the entry's plain-language score and problems.

Sets ``doc._.plain_language`` (0-100, 100 plainest; None for a doc without words) and the span
group ``doc.spans["plain_language"]`` (label "plain_language"), each span with ``kind`` and
``suggestion`` via :func:`notes_qa.spacy_ext.set_attrs`. Kinds:

- ``jargon``: a lexicon term, with its plain alternative;
- ``unexplained_acronym``: the first use of an acronym not spelled out (lexicon expansion
  suggested where known);
- ``shorthand``: note-taking shorthand ("w/", "appt", "f/u") a family will not read easily;
- ``long_sentence``: a sentence over 25 words;
- ``passive_voice``: a be/get + past participle group (who does it is hidden);
- ``vague_action``: an action sentence without an owner or without a date/frequency (plan
  checks only, see below).

Plan checks (actions that say who does what by when, a stated outcome) only make sense for a
plan. ``plan_checks`` (component config) decides when they run:

- ``"auto"`` (default): for plan entries (``doc._.nqa_context["note_type"]`` is ``"plan"`` or
  ends in ``"_plan"``); when there is no context or no note type (a user's own pipeline), they
  run as for a plan;
- ``"always"`` / ``"never"``: regardless of the context.

Without plan checks no ``vague_action`` span is made, and the action/outcome signals do not
enter the score (as for ordinary prose). Jargon, acronym, shorthand, long-sentence and passive
spans are made for every entry.

Doc-level results for the findings are kept in ``doc.user_data["notes_qa.plain_language"]``
(``plan_checks``, ``has_outcome``, ``n_actions``, ``n_vague_actions``, ``reasons``;
``has_outcome`` and the action counts are None when the plan checks did not run).

``nlp.pipe`` hands the component batches (``pipe``): the token arrays, word counts and word
easiness of a batch are read and summed in one numpy pass each, with exactly the results of one
Doc at a time (the counts are sums of whole numbers, so the order of summing does not matter).
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from spacy.language import Language
from spacy.attrs import IDX
from spacy.tokens import Doc, Span
from spacy.util import minibatch

from ..findings import is_plan
from ..spacy_ext import ATTRS_KEY, register_extensions
from .analysis import Analysis, analyse_text, count_words, doc_tokens, word_table
from .lexicon import Resources
from .scorer import score_many, top_reasons

LABEL = "plain_language"
PLAN_CHECKS = ("auto", "always", "never")
USER_DATA_KEY = "notes_qa.plain_language"
#: where spaCy keeps ``doc._.nqa_context`` / ``doc._.plain_language`` (``Underscore`` keys
#: Doc extension values by ("._.", name, None, None)); checked once in ``__init__``
_CONTEXT_KEY = ("._.", "nqa_context", None, None)
_SCORE_KEY = ("._.", "plain_language", None, None)


@Language.factory(
    "notes_qa_plain_language",
    assigns=["doc._.plain_language", "doc.spans"],
    requires=["token.is_sent_start"],
    default_config={"jargon": "default", "rules": "default", "weights": "default",
                    "plan_checks": "auto"},
)
def make_plain_language(nlp: Language, name: str, jargon: str | None, rules: str | None,
                        weights: str | None, plan_checks: str = "auto") -> "PlainLanguage":
    return PlainLanguage(nlp, name, jargon=jargon, rules=rules, weights=weights,
                         plan_checks=plan_checks)


class PlainLanguage:
    """Scores a Doc for plain language and marks the problems."""

    def __init__(self, nlp: Language, name: str = "notes_qa_plain_language",
                 jargon: str | Path | None = "default", rules: str | Path | None = "default",
                 weights: str | Path | None = "default", plan_checks: str = "auto") -> None:
        register_extensions()
        if plan_checks not in PLAN_CHECKS:
            raise ValueError(f"plan_checks must be one of {PLAN_CHECKS}, not {plan_checks!r}")
        self.name = name
        self.plan_checks = plan_checks
        self.cfg = {"jargon": jargon, "rules": rules, "weights": weights}
        self.res: Resources = Resources.load(jargon=jargon, rules=rules, weights=weights)
        _check_extension_keys(nlp)

    def initialize(self, get_examples: Callable[[], Iterable[Any]] | None = None,
                   nlp: Language | None = None) -> None:
        """(Re)load the lexicon, rules and weights from their configured sources."""
        self.res = Resources.load(**self.cfg)

    def wants_plan_checks(self, doc: Doc) -> bool:
        """Whether the plan checks run for ``doc`` (see the module docstring)."""
        if self.plan_checks != "auto":
            return self.plan_checks == "always"
        ctx = doc.user_data.get(_CONTEXT_KEY)  # doc._.nqa_context without the Underscore object
        note_type = ctx.get("note_type") if ctx else None
        return True if not note_type else is_plan(note_type)

    def __call__(self, doc: Doc) -> Doc:
        self._process([doc])
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        """Process Docs in batches: the word counts and scores of a batch are summed in one
        numpy pass (results are the same as one Doc at a time)."""
        for batch in minibatch(stream, size=batch_size):
            self._process(batch)
            yield from batch

    def _process(self, docs: list[Doc]) -> None:
        res = self.res
        table = word_table(res)
        table.check_limit()  # between batches only: the batch's word rows must stay valid
        work = []
        # a batch's candidate tokens in one numpy pass (for one Doc, the per-Doc look-up is cheaper)
        for doc, toks in zip(docs, doc_tokens(docs, res if len(docs) > 1 else None)):
            text = toks.text
            plan = self.wants_plan_checks(doc)
            a = analyse_text(doc, res, text, plan_checks=plan, toks=toks, table=table)
            work.append((doc, toks.idx, text, plan, a))
        analyses = [w[4] for w in work]
        count_words(analyses)
        for (doc, idx, text, plan, a), (value, contrib) in zip(work, score_many(analyses, res.weights)):
            self._finish(doc, idx, text, plan, a, value, contrib)

    def _finish(self, doc: Doc, idx: list[int], text: str, plan: bool, a: Analysis,
                value: float | None, contrib: dict[str, float]) -> None:
        """Set the Doc's score, spans and user data from its analysis and score."""
        # doc._.plain_language, written where the Underscore object would write it
        doc.user_data[_SCORE_KEY] = None if value is None else round(value, 2)
        found: list[tuple[int, int, str, str | None]] = []
        add = found.append
        for s, e, entry in a.jargon:
            add((s, e, "jargon", f"say '{entry.plain}'"))
        if a.acronyms:
            first_at: dict[str, int] = {}
            for s, _, form, _, _ in a.acronyms:
                if s < first_at.get(form, s + 1):
                    first_at[form] = s
            for s, e, form, entry, explained in a.acronyms:
                if explained or first_at[form] < s:
                    continue
                if entry is not None:
                    sugg = f"say '{entry.plain}'" + (
                        f" or spell it out first: '{entry.expansion} ({form})'" if entry.expansion else "")
                else:
                    sugg = f"spell out '{form}' the first time you use it"
                add((s, e, "unexplained_acronym", sugg))
        for s, e in a.shorthand:
            add((s, e, "shorthand", f"write '{text[s:e]}' out in full"))
        if a.n_long:
            for s, e, n in a.units:
                if n > 25:
                    add((s, e, "long_sentence", f"split this {n}-word sentence into shorter ones"))
        for s, e, _ in a.passive:
            add((s, e, "passive_voice", "say who does it, e.g. 'we will ...' or 'Sam will ...'"))
        for act in a.actions:
            if not act.vague:
                continue
            if not act.has_owner and not act.has_time:
                sugg = "say who will do this and by when (a date or how often)"
            elif not act.has_owner:
                sugg = "say who will do this"
            else:
                sugg = "say by when or how often"
            add((act.start, act.end, "vague_action", sugg))
        doc.spans[LABEL] = self._spans(doc, found, idx)
        doc.user_data[USER_DATA_KEY] = {
            "plan_checks": plan, "has_outcome": a.has_outcome if plan else None,
            "n_actions": len(a.actions) if plan else None,
            "n_vague_actions": sum(x.vague for x in a.actions) if plan else None,
            "n_words": a.n_words, "reasons": top_reasons(contrib), "contributions": contrib,
        }

    @staticmethod
    def _spans(doc: Doc, found: list[tuple[int, int, str, str | None]],
               starts: list[int] | None = None) -> list[Span]:
        """Spans over the tokens overlapping each character range (``char_span``'s "expand"),
        sorted by position, with their ``kind`` and ``suggestion`` (kept as
        :func:`~notes_qa.spacy_ext.set_attrs` keeps them). ``starts``: the tokens' character
        offsets if the caller has them."""
        if not found:
            return []
        starts_l = doc.to_array(IDX).tolist() if starts is None else starts
        label = _label_id(doc)
        located = []
        for k, (s, e, _, _) in enumerate(found):
            a = bisect_right(starts_l, s) - 1
            b = bisect_left(starts_l, e)
            if a >= 0 and b > a:
                located.append((a, b, k))
        if len(located) > 1:
            located.sort()  # by token start, end, then order found (a stable sort by position)
        store = doc.user_data.get(ATTRS_KEY)
        if store is None:
            store = doc.user_data[ATTRS_KEY] = {}
        spans = []
        add = spans.append
        for a, b, k in located:
            sp = Span(doc, a, b, label=label)
            add(sp)
            f = found[k]
            key = f"{LABEL}|{sp.start_char}|{sp.end_char}"  # set_attrs's key
            got = store.get(key)
            if got is None:
                store[key] = {"kind": f[2], "suggestion": f[3]}
            else:
                got.update(kind=f[2], suggestion=f[3])
        return spans

    def to_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> None:
        self.res.to_disk(path)

    def from_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> "PlainLanguage":
        self.res = Resources.from_disk(path)
        return self


def _label_id(doc: Doc) -> int:
    """The hash of LABEL in the Doc's string store (added once per store)."""
    strings = doc.vocab.strings
    if _LABEL_ID[0] is not strings:
        _LABEL_ID[:] = [strings, strings.add(LABEL)]
    return _LABEL_ID[1]


_LABEL_ID: list[Any] = [None, 0]


def _check_extension_keys(nlp: Language) -> None:
    """Fail early if spaCy stops keeping Doc extension values where the component reads and
    writes them directly."""
    doc = nlp.make_doc("x")
    doc.user_data[_CONTEXT_KEY] = {"note_type": "probe"}
    doc.user_data[_SCORE_KEY] = 1.5
    if doc._.nqa_context != {"note_type": "probe"} or doc._.plain_language != 1.5:
        raise RuntimeError("spaCy's Doc extension storage has changed: "
                           "notes_qa_plain_language needs updating")
