"""Tokenizer settings that keep spaCy's tokens unchanged and make it an order of magnitude faster
on case notes.

spaCy's tokenizer remembers how it split each whitespace-delimited chunk, but it stops
remembering for the rest of a text once any chunk was a special case (its ``has_special`` flag
is set per text and never reset: spaCy issue #13950, open with a fix proposed in #13951; the
flag itself guards against stale special cases, #1250). English lists the
whitespace characters ``" "``, ``"\\t"`` and ``"\\n"`` as special cases that map to themselves,
so every text after its first line break or double space is split from scratch: on the
generated corpus ~82% of chunks, seen many times before, went through the prefix, suffix and
infix regexes again. Without those three self-mapping rules a whitespace chunk is still one
token with the same lexeme (no affix rule matches whitespace; :func:`inert_whitespace_specials`
checks that), and the cache works: tokenizing the corpus takes ~1/12 of the time. A text with
a contraction ("can't") or another real special case still stops the cache for its rest; once
spaCy resets the flag per chunk this module is no longer needed, and does no harm.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokenizer import Tokenizer


def inert_whitespace_specials(tokenizer: "Tokenizer") -> list[str]:
    """The special cases that change nothing: a whitespace string mapped to one token of itself
    with no other attribute, which the prefix, suffix and infix rules would leave whole anyway."""
    from spacy.attrs import ORTH

    inert = []
    for key, tokens in tokenizer.rules.items():
        if not key or not key.isspace() or len(tokens) != 1:
            continue
        attrs: dict[Any, Any] = dict(tokens[0])
        if set(attrs) - {ORTH, "ORTH", "orth"} or attrs.get(ORTH, attrs.get("ORTH", attrs.get("orth"))) != key:
            continue  # e.g. "\xa0", which sets a NORM
        if tokenizer.find_prefix(key) or tokenizer.find_suffix(key) or tokenizer.find_infix(key):
            continue
        inert.append(key)
    return inert


def speed_up_tokenizer(nlp: "Language") -> list[str]:
    """Drop :func:`inert_whitespace_specials` from ``nlp``'s tokenizer (if it is spaCy's own)
    so that its chunk cache works on multi-line texts; returns the keys dropped. Tokens,
    offsets and attributes are unchanged."""
    from spacy.tokenizer import Tokenizer

    tokenizer = nlp.tokenizer
    if not isinstance(tokenizer, Tokenizer):
        return []
    drop = inert_whitespace_specials(tokenizer)
    if drop:
        tokenizer.rules = {k: v for k, v in tokenizer.rules.items() if k not in drop}
    return drop
