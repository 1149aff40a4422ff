"""Whose sentence is it? Each sentence's experiencer, and each file's focus shares.

A sentence is about the person who is its subject: its first person mention (the file's own
child, a sibling, or an adult named by a kinship term or title), with a sentence-initial
pronoun standing for the previous sentence's subject. Sentences with no person are
``unattributed``. Shares are by characters, so a long paragraph about a sibling weighs more
than a one-line mention.
"""
from __future__ import annotations

from .leaks import EntryView
from .people import ADULT, CAP, CHILD, PRON

FOCUS_KEYS = ("about_self", "about_siblings", "about_adults", "unattributed")


def experiencer(view: EntryView, k: int) -> str:
    """'self', 'sibling', 'adult' or 'none' for sentence ``k`` (from the file owner's view)."""
    return _experiencers(view)[k]


def _experiencers(view: EntryView) -> list[tuple[str, int | None]]:
    out: list[tuple[str, int | None]] = []
    for sent, res in zip(view.mentions, view.resolved(strict=False)):
        targets = {p.start: t for p, t, _ in res} if res else {}
        who: tuple[str, int | None] = ("none", None)
        for m in sent:
            if m.kind == CAP:
                continue
            if m.kind == PRON:
                t = targets.get(m.start)
                if t is None or t.kind == CAP:
                    continue
                m = t
            if m.kind == CHILD:
                who = ("child", m.child)
            elif m.kind == ADULT:
                who = ("adult", None)
            break
        out.append(who)
    return out


def file_focus(owner: int, views: dict[int, EntryView]) -> dict[str, float]:
    """Character shares of the file's sentences by experiencer (keys in ``FOCUS_KEYS``)."""
    chars = dict.fromkeys(FOCUS_KEYS, 0)
    for view in views.values():
        for (s, e), (kind, who) in zip(view.sentences.spans, _experiencers(view)):
            n = e - s
            if kind == "child":
                chars["about_self" if who == owner else "about_siblings"] += n
            elif kind == "adult":
                chars["about_adults"] += n
            else:
                chars["unattributed"] += n
    total = sum(chars.values())
    shares = {k: round(v / total, 4) if total else 0.0 for k, v in chars.items()}
    shares["attributed_chars"] = total - chars["unattributed"]
    return shares
