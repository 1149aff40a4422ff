"""Turn a clause plus its entry context into the voice classifier's feature dict."""
from __future__ import annotations

from ..spacy_ext import Context
from ..training.prefilter import Probe
from ..training.featurise import WORD_BIGRAMS, name_tags, shared_lexical_features
from .cues import VoiceCues, VoiceMatcher

#: Classes of the voice model; "none" = not the child's voice.
CLASSES = ("none", "direct_quote", "reported", "non_verbal")


class VoiceFeaturiser:
    """Rule-cue features (from :class:`VoiceMatcher`) plus down-weighted word features."""

    def __init__(self, matcher: VoiceMatcher, lexical_weight: float = 0.3, bigrams: bool = WORD_BIGRAMS) -> None:
        self.matcher = matcher
        self.lexical_weight = lexical_weight
        #: word bigrams besides unigrams (models trained before this setting was recorded used them)
        self.bigrams = bigrams

    def featurise(self, text: str, ctx: Context | None, prefix: str = "",
                  probe: Probe | None = None, sentence: str | None = None,
                  cache: dict | None = None) -> tuple[dict[str, float], VoiceCues]:
        """(features, cues) of one clause; ``prefix``/``probe``/``sentence`` as in
        :meth:`VoiceMatcher.analyse`; ``cache``: a per-Doc dict for shared word features."""
        ctx = ctx or Context()
        cues = self.matcher.analyse(text, ctx, prefix, probe, sentence)
        return self.features(text, ctx, cues, cache), cues

    def features(self, text: str, ctx: Context, cues: VoiceCues, cache: dict | None = None) -> dict[str, float]:
        """The feature dict of a clause whose cues are ``cues`` (the second half of
        :meth:`featurise`, for callers that look at the cues first)."""
        feats = dict(cues.features)
        if self.lexical_weight:
            feats.update(shared_lexical_features(text, name_tags(ctx.get("child_name"), ctx.get("nicknames"),
                                                          ctx.get("sibling_names")), self.lexical_weight, cache,
                                                 self.bigrams))
        feats["bias_voice"] = 1.0
        return feats

    @staticmethod
    def is_candidate(cues: VoiceCues) -> bool:
        """Whether a clause has any voice evidence worth scoring (others score as not voice)."""
        return any(k.startswith(("spk:", "wish:", "quote:", "nv:")) or k == "frame" for k in cues.features)
