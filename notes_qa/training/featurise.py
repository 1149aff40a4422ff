"""Lexical features shared by the rooms' featurisers (the rule-cue features are room-specific)."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable

_TOKEN = re.compile(r"[A-Za-zÀ-ÿŵŷ]+(?:['’][a-z]+)?|\d+|[\"“”:?!]")


@lru_cache(maxsize=4096)
def _names_pattern(names: tuple[tuple[str, str], ...]) -> re.Pattern[str] | None:
    forms = [(re.escape(n), tag) for n, tag in names if n]
    if not forms:
        return None
    return re.compile(r"(?<![\w-])(" + "|".join(f for f, _ in sorted(forms, key=lambda x: -len(x[0]))) + r")(?![\w-])")


@lru_cache(maxsize=4096)
def _name_replacer(names: tuple[tuple[str, str], ...]) -> Callable[[re.Match[str]], str]:
    """The ``re.sub`` replacement that puts each name's tag (" CHILD ") in its place."""
    padded = {name: f" {tag} " for name, tag in names}
    return lambda m: padded.get(m.group(1), " NAME ")


def _normal(token: str) -> str:
    """A word token as a feature sees it: lower-cased, digits folded to 0, name tags kept."""
    return token if token in ("CHILD", "SIBLING") else ("0" if token.isdigit() else token.lower())


#: token as found -> its unigram feature name ("w=" + :func:`_normal`), for the tokens seen so
#: far: one dict lookup per token instead of three string operations (emptied when it is full,
#: so that memory stays flat over an archive)
_UNIGRAMS: dict[str, str] = {}
_UNIGRAMS_KEPT = 200_000


def _unigram_keys(toks: list[str]) -> list[str]:
    keys = list(map(_UNIGRAMS.get, toks))
    if None in keys:
        if len(_UNIGRAMS) >= _UNIGRAMS_KEPT:
            _UNIGRAMS.clear()
        for i, key in enumerate(keys):
            if key is None:
                keys[i] = _UNIGRAMS[toks[i]] = "w=" + _normal(toks[i])
    return keys


def lexical_features(text: str, names: tuple[tuple[str, str], ...] = (), weight: float = 0.3,
                     bigrams: bool = True) -> dict[str, float]:
    """Word unigram (and bigram) features of ``text``, lower-cased, digits folded to 0.

    ``names`` maps names to placeholder tags (the child's name → CHILD, siblings → SIBLING), so
    a model learns "CHILD said", not "Mia said".
    """
    rx = _names_pattern(names) if _any_name_in(text, names) else None
    if rx is not None:
        text = rx.sub(_name_replacer(names), text)
    found = _TOKEN.findall(text)
    keys = _unigram_keys(found)
    if bigrams:
        toks = [_normal(t) for t in found]
        keys += [f"b={a}_{b}" for a, b in zip(["<s>"] + toks, toks + ["</s>"])]
    return dict.fromkeys(keys, weight)


def shared_lexical_features(text: str, names: tuple[tuple[str, str], ...] = (), weight: float = 0.3,
                            cache: dict | None = None, bigrams: bool = True) -> dict[str, float]:
    """:func:`lexical_features`, kept in ``cache`` (a per-Doc dict, see
    :func:`notes_qa.training.units.doc_parts`) so that components featurising the same
    sentence of a Doc build its word features once.

    The returned dict may be shared between callers: read or copy it, never change it.
    """
    if cache is None:
        return lexical_features(text, names, weight, bigrams)
    key = ("lex", text, names, weight, bigrams)
    hit = cache.get(key)
    if hit is None:
        hit = cache[key] = lexical_features(text, names, weight, bigrams)
    return hit


#: Whether a model's word features include bigrams, from its saved config (``classifier.json``):
#: models saved before the setting was recorded were trained with them.
WORD_BIGRAMS_KEY = "word_bigrams"
#: The word features new models are trained on: unigrams only (on the dev set the bigram models
#: did no better, and they cost twice the word features at run time).
WORD_BIGRAMS = False


def word_bigrams(model: object) -> bool:
    """Whether ``model`` (a loaded classifier, or None) was trained with word bigrams."""
    config = getattr(model, "config_", None)
    return bool(config.get(WORD_BIGRAMS_KEY, True)) if isinstance(config, dict) else True


def names_occur(text: str, names: tuple[tuple[str, str], ...]) -> bool:
    """Whether :func:`lexical_features` would mask any of ``names`` in ``text`` (if not, its
    features of ``text`` are the same whatever the names)."""
    if not _any_name_in(text, names):
        return False
    rx = _names_pattern(names)
    return rx is not None and rx.search(text) is not None


def _any_name_in(text: str, names: tuple[tuple[str, str], ...]) -> bool:
    """Whether any of ``names`` occurs in ``text`` as written: :func:`_names_pattern` matches them
    case-sensitively, so without one it cannot match (a substring test is much cheaper)."""
    for name, _ in names:
        if name and name in text:
            return True
    return False


def name_tags(child_name: str | None, nicknames: list[str] | None = None,
              siblings: list[str] | None = None) -> tuple[tuple[str, str], ...]:
    """The ``names`` argument of :func:`lexical_features` for an entry context."""
    pairs: list[tuple[str, str]] = []
    for s in siblings or ():
        if s:
            pairs += [(s, "SIBLING"), (s.split()[0], "SIBLING")]
    if child_name:
        pairs += [(child_name, "CHILD"), (child_name.split()[0], "CHILD")]
    pairs += [(n, "CHILD") for n in nicknames or () if n]
    return tuple(dict(pairs).items())
