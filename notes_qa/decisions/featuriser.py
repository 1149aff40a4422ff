"""Turn a sentence into the decision and rationale classifiers' feature dicts."""
from __future__ import annotations

from ..spacy_ext import Context
from ..training.prefilter import Probe
from ..training.featurise import WORD_BIGRAMS, name_tags, shared_lexical_features
from .cues import DecisionCues, DecisionMatcher


class DecisionFeaturiser:
    """Rule-cue features (from :class:`DecisionMatcher`) plus down-weighted word features."""

    def __init__(self, matcher: DecisionMatcher, lexical_weight: float = 0.3, bigrams: bool = WORD_BIGRAMS,
                 rationale_bigrams: bool | None = None) -> None:
        self.matcher = matcher
        self.lexical_weight = lexical_weight
        #: word bigrams besides unigrams, for the decision and the rationale model (models trained
        #: before this setting was recorded used them)
        self.bigrams = bigrams
        self.rationale_bigrams = bigrams if rationale_bigrams is None else rationale_bigrams

    def featurise(self, text: str, ctx: Context | None,
                  probe: Probe | None = None,
                  cache: dict | None = None) -> tuple[dict[str, float], dict[str, float], DecisionCues]:
        """(decision features, rationale features, cues) for one sentence (``probe``: of it;
        ``cache``: a per-Doc dict for shared word features)."""
        ctx = ctx or Context()
        cues = self.matcher.analyse(text, probe)
        return (*self.features(text, ctx, cues, cache), cues)

    def features(self, text: str, ctx: Context, cues: DecisionCues,
                 cache: dict | None = None) -> tuple[dict[str, float], dict[str, float]]:
        """(decision features, rationale features) of a sentence whose cues are ``cues`` (the
        second half of :meth:`featurise`, for callers that look at the cues first)."""
        names = name_tags(ctx.get("child_name"), ctx.get("nicknames"), ctx.get("sibling_names"))
        lex = shared_lexical_features(text, names, self.lexical_weight, cache, self.bigrams) \
            if self.lexical_weight else {}
        lex_rat = (lex if self.rationale_bigrams == self.bigrams or not self.lexical_weight
                   else shared_lexical_features(text, names, self.lexical_weight, cache, self.rationale_bigrams))
        dec = dict(cues.features)
        dec.update(lex)
        dec["bias_dec"] = 1.0
        rat = {k: v for k, v in cues.features.items() if k.startswith(("rc:", "rw:", "anaphora", "connective",
                                                                        "conn_", "rule_"))}
        rat["has_decision_cue"] = float(any(k.startswith(("dv:", "do:", "df:")) for k in cues.features))
        rat["non_decision"] = cues.features.get("non_decision", 0.0)
        rat.update(lex_rat)
        rat["bias_rat"] = 1.0
        return dec, rat

    @staticmethod
    def is_candidate(cues: DecisionCues) -> bool:
        return any(k.startswith(("dv:", "do:", "df:", "rc:", "rw:")) or k == "anaphora" for k in cues.features)
