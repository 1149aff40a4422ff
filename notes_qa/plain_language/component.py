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
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterable

import numpy as np
from spacy.language import Language
from spacy.attrs import IDX
from spacy.tokens import Doc, Span

from ..findings import is_plan
from ..spacy_ext import register_extensions, set_attrs
from .analysis import analyse, doc_text, token_array
from .lexicon import Resources
from .scorer import score, top_reasons

LABEL = "plain_language"
PLAN_CHECKS = ("auto", "always", "never")
USER_DATA_KEY = "notes_qa.plain_language"


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

    def initialize(self, get_examples: Callable[[], Iterable[Any]] | None = None,
                   nlp: Language | None = None) -> None:
        """(Re)load the lexicon, rules and weights from their configured sources."""
        self.res = Resources.load(**self.cfg)

    def wants_plan_checks(self, doc: Doc) -> bool:
        """Whether the plan checks run for ``doc`` (see the module docstring)."""
        if self.plan_checks != "auto":
            return self.plan_checks == "always"
        ctx = doc._.nqa_context
        note_type = ctx.get("note_type") if ctx else None
        return True if not note_type else is_plan(note_type)

    def __call__(self, doc: Doc) -> Doc:
        arr = token_array(doc)
        text = doc_text(doc, arr)
        plan = self.wants_plan_checks(doc)
        a = analyse(doc, self.res, text, plan_checks=plan, arr=arr)
        value, contrib = score(a, self.res.weights)
        doc._.plain_language = None if value is None else round(value, 2)
        found: list[tuple[int, int, str, str | None]] = []
        add = lambda start, end, kind, sugg: found.append((start, end, kind, sugg))  # noqa: E731

        for s, e, entry in a.jargon:
            add(s, e, "jargon", f"say '{entry.plain}'")
        for s, e, form, entry, explained in a.acronyms:
            if explained:
                continue
            first = all(f != form or s2 >= s for s2, _, f, _, _ in a.acronyms)
            if not first:
                continue
            if entry is not None:
                sugg = f"say '{entry.plain}'" + (
                    f" or spell it out first: '{entry.expansion} ({form})'" if entry.expansion else "")
            else:
                sugg = f"spell out '{form}' the first time you use it"
            add(s, e, "unexplained_acronym", sugg)
        for s, e in a.shorthand:
            add(s, e, "shorthand", f"write '{text[s:e]}' out in full")
        for s, e, n in a.units:
            if n > 25:
                add(s, e, "long_sentence", f"split this {n}-word sentence into shorter ones")
        for s, e, _ in a.passive:
            add(s, e, "passive_voice", "say who does it, e.g. 'we will ...' or 'Sam will ...'")
        for act in a.actions:
            if not act.vague:
                continue
            if not act.has_owner and not act.has_time:
                sugg = "say who will do this and by when (a date or how often)"
            elif not act.has_owner:
                sugg = "say who will do this"
            else:
                sugg = "say by when or how often"
            add(act.start, act.end, "vague_action", sugg)
        doc.spans[LABEL] = self._spans(doc, found, None if arr is None else arr[:, 1])
        doc.user_data[USER_DATA_KEY] = {
            "plan_checks": plan, "has_outcome": a.has_outcome if plan else None,
            "n_actions": len(a.actions) if plan else None,
            "n_vague_actions": sum(x.vague for x in a.actions) if plan else None,
            "n_words": a.n_words, "reasons": top_reasons(contrib), "contributions": contrib,
        }
        return doc

    @staticmethod
    def _spans(doc: Doc, found: list[tuple[int, int, str, str | None]],
               starts: np.ndarray | None = None) -> list[Span]:
        """Spans over the tokens overlapping each character range (``char_span``'s "expand"),
        all located with one ``searchsorted``, sorted by position. ``starts``: the tokens'
        character offsets if the caller has them."""
        if not found:
            return []
        starts = doc.to_array(IDX) if starts is None else starts.astype(np.int64)
        se = np.array([(s, e) for s, e, _, _ in found], dtype=np.int64)
        first = np.searchsorted(starts, se[:, 0], side="right") - 1
        stop = np.searchsorted(starts, se[:, 1], side="left")
        spans = []
        for (_, _, kind, sugg), a, b in zip(found, first.tolist(), stop.tolist()):
            if a < 0 or b <= a:
                continue
            sp = Span(doc, a, b, label=LABEL)
            set_attrs(sp, kind=kind, suggestion=sugg)
            spans.append(sp)
        spans.sort(key=lambda sp: (sp.start, sp.end))
        return spans

    def to_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> None:
        self.res.to_disk(path)

    def from_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> "PlainLanguage":
        self.res = Resources.from_disk(path)
        return self
