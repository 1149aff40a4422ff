"""The ``notes_qa_decisions`` spaCy component: decisions, their rationale, and the link between.

Per sentence, the rules in ``rules/decisions.json`` (:mod:`notes_qa.decisions.cues`) find
decision verbs, case-process outcomes ("NFA", "ICPC to be convened", "case to close"), frames
("Decision: ...", "it was agreed ...") and reasons ("because", "given that", "due to", "as";
"This is because ..."). Sentences with any such evidence are scored by two trained classifiers
(``models/decision``, ``models/rationale``). Output:

- ``doc.spans["decision"]``: the decision sentence; attrs ``score``, ``has_rationale``.
- ``doc.spans["rationale"]``: the reason clause (inside a decision sentence) or the reason
  sentence; attrs ``score`` and ``decision`` = index into ``doc.spans["decision"]`` of the
  decision it supports (same sentence, else the sentence before, else the one after), or None.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any, Callable, Iterable

from spacy.language import Language
from spacy.tokens import Doc

from ..spacy_ext import BatchComponent, context, set_attrs
from ..training.backends import load_classifier, reads_features
from ..training.classifier import CueClassifier
from ..training.models import resolve_model
from ..training.featurise import name_tags, names_occur, word_bigrams
from ..training.units import SentenceMemo, char_span, doc_parts
from .cues import DecisionMatcher, DecisionRules
from .featuriser import DecisionFeaturiser

DECISION_KEY, RATIONALE_KEY = "decision", "rationale"
_UNSEEN = object()


@Language.factory(
    "notes_qa_decisions",
    assigns=["doc.spans"],
    requires=["token.is_sent_start"],
    default_config={"rules": "default", "decision_model": "default", "rationale_model": "default",
                    "threshold": 0.5, "rationale_threshold": 0.5, "lexical_weight": 0.3},
)
def make_decisions(nlp: Language, name: str, rules: str | None, decision_model: str | None,
                   rationale_model: str | None, threshold: float, rationale_threshold: float,
                   lexical_weight: float) -> "DecisionDetector":
    return DecisionDetector(nlp, name, rules=rules, decision_model=decision_model,
                            rationale_model=rationale_model, threshold=threshold,
                            rationale_threshold=rationale_threshold, lexical_weight=lexical_weight)


class DecisionDetector(BatchComponent):
    """Finds decisions and their rationale. ``*_model``: "default" (shipped), None (rules only)
    or a model directory; ``rules``: "default" or a JSON path."""

    def __init__(self, nlp: Language | None, name: str = "notes_qa_decisions", *,
                 rules: str | Path | None = "default", decision_model: str | Path | None = "default",
                 rationale_model: str | Path | None = "default", threshold: float = 0.5,
                 rationale_threshold: float = 0.5, lexical_weight: float = 0.3) -> None:
        self.name = name
        self.rules_setting = rules
        self.model_settings = {DECISION_KEY: decision_model, RATIONALE_KEY: rationale_model}
        self.threshold = threshold
        self.rationale_threshold = rationale_threshold
        self.lexical_weight = lexical_weight
        self.featuriser: DecisionFeaturiser | None = None
        self.models: dict[str, CueClassifier | None] = {DECISION_KEY: None, RATIONALE_KEY: None}
        self._memo: SentenceMemo | None = None
        self._scores_memo: SentenceMemo | None = None

    def initialize(self, get_examples: Callable[[], Iterable[Any]] | None = None, *,
                   nlp: Language | None = None) -> None:
        """Load the rule file and the fitted models named in the settings."""
        rules = DecisionRules.load(self.rules_setting if self.rules_setting is not None else "default")
        assert rules is not None
        self.featuriser = DecisionFeaturiser(DecisionMatcher(rules), self.lexical_weight)
        for key, setting in self.model_settings.items():
            path = resolve_model(setting, key)
            self.models[key] = load_classifier(path) if path is not None else None
        self._word_features_as_trained()

    def _word_features_as_trained(self) -> None:
        """Word features as each model was trained on (with or without bigrams)."""
        self.featuriser.bigrams = word_bigrams(self.models[DECISION_KEY])
        self.featuriser.rationale_bigrams = word_bigrams(self.models[RATIONALE_KEY])


    def _process(self, docs: list[Doc]) -> None:
        feat = self._ready()
        # cues and scores of sentences seen before: both are pure functions of the sentence
        # (the scores also of the names the word features mask, where the sentence holds one)
        memo = self._memo = SentenceMemo.for_owner(self._memo, (feat, *self.models.values()))
        scores = self._scores_memo = SentenceMemo.for_owner(self._scores_memo, memo.owner)
        per_doc: list[list[tuple[int, int]]] = []
        placed: list[tuple[int, int, Any, Any]] = []  # (doc, sentence, cues, key of its scores)
        # scored in this batch, by key: (doc, sentence, cues, decision features, rationale features)
        todo: dict[Any, tuple[int, int, Any, dict[str, float], dict[str, float]]] = {}
        featurise = any(map(reads_features, self.models.values()))  # not for rules alone, nor text models
        # Stage by stage over the whole batch (gate, rules, features), each stage's patterns and
        # tables staying in the CPU's caches while it runs, rather than all of them per sentence.
        known: dict[str, Any] = {}  # this batch's sentences: their cues (None: not a candidate)
        need: dict[str, Any] = {}  # sentences past the gate that the rules have not seen: their probes
        parts = [doc_parts(doc) for doc in docs]  # (text, sentence bounds, probes, scratch dict)
        for text, sents, probes, _ in parts:
            per_doc.append(sents)
            for (a, b), probe in zip(sents, probes):
                sentence = probe.text  # text[a:b]
                if sentence in known or sentence in need:
                    continue
                cues = memo.get(sentence, _UNSEEN)
                if cues is not _UNSEEN:
                    known[sentence] = cues
                elif feat.matcher.could_match(text, a, b, probe):
                    need[sentence] = probe
                else:  # no decision or reason cue at all
                    known[sentence] = None
                    memo.remember(sentence, None)
        for sentence, probe in need.items():
            cues = feat.matcher.analyse(sentence, probe)
            known[sentence] = cues = cues if feat.is_candidate(cues) else None  # only candidates are scored
            memo.remember(sentence, cues)
        contexts = [context(doc) for doc in docs]
        for d, ctx in enumerate(contexts):
            names: tuple | None = None
            for k, probe in enumerate(parts[d][2]):
                sentence = probe.text
                cues = known[sentence]
                if cues is None:
                    continue
                if names is None:
                    names = name_tags(ctx.get("child_name"), ctx.get("nicknames"), ctx.get("sibling_names"))
                key = (sentence, names if names_occur(sentence, names) else ())
                placed.append((d, k, cues, key))
                if key not in scores and key not in todo:
                    todo[key] = (d, k, cues, {}, {})
        if featurise:
            for key, (d, k, cues, _, _) in todo.items():
                todo[key] = (d, k, cues, *feat.features(key[0], contexts[d], cues, parts[d][3]))
        rows = list(todo.values())
        texts = [key[0] for key in todo]  # each key starts with its sentence
        p_dec = self._scores(DECISION_KEY, [r[3] for r in rows], [r[2].decision_strength for r in rows], texts)
        p_rat = self._scores(RATIONALE_KEY, [r[4] for r in rows], [r[2].rationale_strength for r in rows], texts)
        fresh = {key: (float(pd), float(pr)) for key, pd, pr in zip(todo, p_dec, p_rat)}
        by_doc: dict[int, dict[int, tuple[Any, float, float]]] = {d: {} for d in range(len(docs))}
        for d, k, cues, key in placed:
            by_doc[d][k] = (cues, *(fresh[key] if key in fresh else scores[key]))
        for key, got in fresh.items():
            scores.remember(key, got)
        for d, doc in enumerate(docs):
            self._write(doc, per_doc[d], by_doc[d])

    def clear_memo(self) -> None:
        """Forget the sentences seen so far (their cues and scores), e.g. between benchmark rounds."""
        self._memo = self._scores_memo = None

    def _scores(self, key: str, rows: list[dict[str, float]], fallback: list[float],
                texts: list[str] | None = None) -> list[float]:
        model = self.models[key]
        if model is None or not rows:
            return fallback
        # A transformers model (needs_text) scores the sentence texts, a CueClassifier features.
        if getattr(model, "needs_text", False) and texts is not None:
            rows = texts  # type: ignore[assignment]
        p, _ = model.positive_proba(model.predict_proba(rows))
        return p.tolist()

    def _write(self, doc: Doc, sents: list[tuple[int, int]], scored: dict[int, tuple[Any, float, float]]) -> None:
        decisions: dict[int, tuple[Any, float]] = {}
        reasons: dict[int, tuple[Any, float]] = {}
        for k, (cues, pd, pr) in scored.items():
            if pd >= self.threshold:
                a, b = sents[k]
                sp = char_span(doc, a, b, DECISION_KEY)
                if sp is not None:
                    decisions[k] = (sp, pd)
            if pr >= self.rationale_threshold:
                a, b = sents[k]
                if k in decisions and cues.reason_clause is not None:
                    ra, rb = cues.reason_clause
                    a, b = a + ra, a + rb
                sp = char_span(doc, a, b, RATIONALE_KEY)
                if sp is not None:
                    reasons[k] = (sp, pr)
        order = sorted(decisions)
        index = {k: i for i, k in enumerate(order)}
        linked: dict[int, int | None] = {}
        for k in reasons:
            link = next((j for j in (k, k - 1, k + 1) if j in decisions), None)
            linked[k] = index[link] if link is not None else None
        supported = {v for v in linked.values() if v is not None}
        doc.spans[DECISION_KEY] = [decisions[k][0] for k in order]
        doc.spans[RATIONALE_KEY] = [reasons[k][0] for k in sorted(reasons)]
        for k in order:
            sp, p = decisions[k]
            set_attrs(sp, score=round(p, 4), has_rationale=index[k] in supported)
        for k in sorted(reasons):
            sp, p = reasons[k]
            set_attrs(sp, score=round(p, 4), decision=linked[k])

    # -- serialisation -----------------------------------------------------------------------
    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        feat = self._ready()
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "rules.json").write_text(json.dumps(feat.matcher.rules.to_dict(), indent=2, ensure_ascii=False),
                                         encoding="utf-8")
        cfg = {"threshold": self.threshold, "rationale_threshold": self.rationale_threshold,
               "lexical_weight": self.lexical_weight,
               "models": {k: m is not None for k, m in self.models.items()}}
        (path / "cfg.json").write_text(json.dumps(cfg), encoding="utf-8")
        for key, model in self.models.items():
            if model is None:
                continue
            src = resolve_model(self.model_settings[key], key)
            if src is not None and src.resolve() != (path / key).resolve():
                shutil.rmtree(path / key, ignore_errors=True)
                shutil.copytree(src, path / key)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "DecisionDetector":
        path = Path(path)
        cfg = json.loads((path / "cfg.json").read_text(encoding="utf-8"))
        self.threshold = cfg["threshold"]
        self.rationale_threshold = cfg["rationale_threshold"]
        self.lexical_weight = cfg["lexical_weight"]
        rules = DecisionRules.load(path / "rules.json")
        assert rules is not None
        self.featuriser = DecisionFeaturiser(DecisionMatcher(rules), self.lexical_weight)
        for key, present in cfg["models"].items():
            self.model_settings[key] = str(path / key) if present else None
            self.models[key] = load_classifier(path / key) if present else None
        self._word_features_as_trained()
        return self
