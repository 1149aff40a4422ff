"""The ``notes_qa_child_voice`` spaCy component: the child's own words, views, wishes, feelings.

Each sentence (clauses split at ";") is checked by the transparent rules in ``rules/voice.json``
(:mod:`notes_qa.voice.cues`); clauses with any voice evidence are scored by the trained
classifier (``models/child_voice``). A clause becomes a span in ``doc.spans["child_voice"]``
when P(voice) ≥ ``threshold``; ``kind`` is ``direct_quote``, ``reported`` or ``non_verbal`` and
``score`` the calibrated probability. Without a model (``model=None``) the rules decide alone.

Context comes from ``doc._.nqa_context`` (child's name, nicknames, initials, siblings, age,
note type); without it the rules fall back to "the child", pronouns and unknown names.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any, Callable, Iterable

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

from ..errors import ConfigError
from ..spacy_ext import BatchComponent, context, set_attrs
from ..training.backends import load_classifier, reads_features
from ..training.classifier import CueClassifier
from ..training.featurise import word_bigrams
from ..training.models import resolve_model
from ..training.units import SentenceMemo, char_span, clauses, doc_parts
from .cues import VoiceMatcher, VoiceRules
from .featuriser import CLASSES, VoiceFeaturiser

SPANS_KEY = "child_voice"
MODEL_NAME = "child_voice"


@Language.factory(
    "notes_qa_child_voice",
    assigns=["doc.spans"],
    requires=["token.is_sent_start"],
    default_config={"rules": "default", "model": "default", "threshold": 0.5, "lexical_weight": 0.3},
)
def make_child_voice(nlp: Language, name: str, rules: str | None, model: str | None, threshold: float,
                     lexical_weight: float) -> "ChildVoiceDetector":
    return ChildVoiceDetector(nlp, name, rules=rules, model=model, threshold=threshold,
                              lexical_weight=lexical_weight)


class ChildVoiceDetector(BatchComponent):
    """Finds the child's voice. Settings: ``rules`` ("default", None or a JSON path), ``model``
    ("default" = the shipped model, None = rules only, or a model directory), ``threshold``."""

    def __init__(self, nlp: Language | None, name: str = "notes_qa_child_voice", *,
                 rules: str | Path | None = "default", model: str | Path | None = "default",
                 threshold: float = 0.5, lexical_weight: float = 0.3) -> None:
        self.name = name
        self.rules_setting = rules
        self.model_setting = model
        self.threshold = threshold
        self.lexical_weight = lexical_weight
        self.featuriser: VoiceFeaturiser | None = None
        self.model: CueClassifier | None = None
        self._gate: SentenceMemo | None = None

    # -- set-up ----------------------------------------------------------------------------
    def initialize(self, get_examples: Callable[[], Iterable[Any]] | None = None, *,
                   nlp: Language | None = None) -> None:
        """Load the rule file and the fitted model named in the settings."""
        self._load(VoiceRules.load(self.rules_setting if self.rules_setting is not None else "default"),
                   resolve_model(self.model_setting, MODEL_NAME))

    def _load(self, rules: VoiceRules | None, model_path: Path | None) -> None:
        """The featuriser over ``rules`` and the fitted model in ``model_path`` (None: rules alone),
        its word features as the model was trained on."""
        assert rules is not None
        self.featuriser = VoiceFeaturiser(VoiceMatcher(rules), self.lexical_weight)
        self.model = load_classifier(model_path) if model_path is not None else None
        self.featuriser.bigrams = word_bigrams(self.model)
        if self.model is not None and tuple(self.model.classes_) != tuple(sorted(CLASSES)):
            raise ConfigError(f"{model_path}: voice model classes {list(self.model.classes_)} are not {sorted(CLASSES)}")

    # -- processing (``__call__`` and ``pipe`` come from BatchComponent) ----------------------
    def _process(self, docs: list[Doc]) -> None:
        feat = self._ready()
        todo: list[tuple[int, int, int, Any, dict[str, float]]] = []
        # whether a sentence could hold voice at all, for sentences seen before (a pure function of it)
        gate = self._gate = SentenceMemo.for_owner(self._gate, (feat.matcher,))
        featurise = reads_features(self.model)  # not for rules alone, nor for a text model
        # Stage by stage over the whole batch (gate, rules, features), each stage's patterns and
        # tables staying in the CPU's caches while it runs, rather than all of them per sentence.
        gated: list[tuple[int, Any, str, int, int, Any]] = []
        parts = [doc_parts(doc) for doc in docs]  # (text, sentence bounds, probes, scratch dict)
        for d, (text, sents, probes, _) in enumerate(parts):
            for (s, e), probe in zip(sents, probes):
                sentence = probe.text  # text[s:e]
                could = gate.get(sentence)
                if could is None:
                    could = feat.matcher.could_match(text, s, e, probe)
                    gate.remember(sentence, could)
                if could:  # else no voice cue at all in the sentence: nothing to score
                    gated.append((d, text, sentence, s, e, probe))
        contexts = [context(doc) for doc in docs]
        found_cues: list[tuple[int, int, int, str, Any]] = []
        feat.matcher.prepare([(sentence, contexts[d], probe) for d, _, sentence, _, _, probe in gated])
        try:
            for d, text, sentence, s, e, probe in gated:
                ctx = contexts[d]
                for a, b in clauses(text, s, e):
                    clause = text[a:b]
                    cues = feat.matcher.analyse(clause, ctx, text[s:a], probe, sentence)
                    if feat.is_candidate(cues):  # only clauses that are scored need their features
                        found_cues.append((d, a, b, clause, cues))
        finally:
            feat.matcher.prepare([])  # the batch's references go with it
        for d, a, b, clause, cues in found_cues:
            todo.append((d, a, b, cues, feat.features(clause, contexts[d], cues, parts[d][3]) if featurise else {}))
        if self.model is not None and todo:
            # A transformers model (needs_text) scores the clause texts, a CueClassifier features.
            rows = ([parts[t[0]][0][t[1]:t[2]] for t in todo]
                    if getattr(self.model, "needs_text", False) else [t[4] for t in todo])
            proba = self.model.predict_proba(rows)
            pos, _ = self.model.positive_proba(proba)
            classes = list(self.model.classes_)
            voiced = [i for i, c in enumerate(classes) if c != "none"]
            # the likeliest kind of voice per row (argmax keeps the first of equal ones, as max did)
            kinds = [str(classes[voiced[j]]) for j in np.asarray(proba)[:, voiced].argmax(axis=1).tolist()]
        else:
            pos = [t[3].strength for t in todo]
            kinds = [t[3].kind or "reported" for t in todo]
        found: dict[int, list[Any]] = {i: [] for i in range(len(docs))}
        for (d, a, b, cues, _), p, model_kind in zip(todo, pos, kinds):
            if p < self.threshold:
                continue
            span = char_span(docs[d], a, b, SPANS_KEY)
            if span is None:
                continue
            # the rules' kind is evidence a manager can check; the model's fills gaps
            found[d].append((span, cues.kind or model_kind, float(p)))
        for d, doc in enumerate(docs):
            spans = [sp for sp, _, _ in found[d]]
            doc.spans[SPANS_KEY] = spans
            for sp, kind, p in found[d]:
                set_attrs(sp, kind=kind, score=round(p, 4))

    def clear_memo(self) -> None:
        """Forget the sentences seen so far, e.g. between benchmark rounds."""
        self._gate = None

    # -- serialisation -----------------------------------------------------------------------
    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        feat = self._ready()
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "rules.json").write_text(json.dumps(feat.matcher.rules.to_dict(), indent=2, ensure_ascii=False),
                                         encoding="utf-8")
        (path / "cfg.json").write_text(json.dumps({"threshold": self.threshold, "lexical_weight": self.lexical_weight,
                                                   "has_model": self.model is not None}), encoding="utf-8")
        if self.model is not None:
            src = resolve_model(self.model_setting, MODEL_NAME)
            if src is not None and src.resolve() != (path / "model").resolve():
                shutil.rmtree(path / "model", ignore_errors=True)
                shutil.copytree(src, path / "model")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "ChildVoiceDetector":
        path = Path(path)
        cfg = json.loads((path / "cfg.json").read_text(encoding="utf-8"))
        self.threshold = cfg["threshold"]
        self.lexical_weight = cfg["lexical_weight"]
        self.model_setting = str(path / "model") if cfg["has_model"] else None
        self._load(VoiceRules.load(path / "rules.json"), path / "model" if cfg["has_model"] else None)
        return self
