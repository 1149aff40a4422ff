"""Care and support / child protection plans written at five plain-language levels.

Level 5 is plain for a parent (short active sentences, each action with an owner and a date, outcomes
in the child's terms, acronyms explained); level 1 is dense (long passive sentences, jargon,
unexplained acronyms, actions without owner or date, no outcomes). Each level sets the probability
of every factor; the factors actually realised are measured and stored with the entry.
"""
from __future__ import annotations

import random
from typing import Any

from .compose import Composer, row
from .people import bank
from .text import Part, Sent, cap, fill

#: Per level: P(jargon action), P(passive), P(owner+date), P(outcome section), P(long tail), P(acronym explained)
LEVEL_FACTORS: dict[int, tuple[float, float, float, float, float, float]] = {
    1: (0.85, 0.9, 0.0, 0.0, 0.5, 0.0),
    2: (0.6, 0.7, 0.15, 0.15, 0.3, 0.2),
    3: (0.35, 0.45, 0.45, 0.5, 0.12, 0.5),
    4: (0.12, 0.2, 0.75, 0.8, 0.03, 0.85),
    5: (0.0, 0.05, 0.95, 1.0, 0.0, 1.0),
}

_PASSIVE = {"will take": "is to be taken by", "will": "to be done by"}


def plan_body(comp: Composer, level: int) -> tuple[list[list[Sent]], dict[str, Any]]:
    """Paragraphs of a plan at ``level`` (1..5) and the factors realised in it."""
    rng = comp.rng
    pj, pp, pod, pout, plong, pexp = LEVEL_FACTORS[level]
    b = bank("plans")
    ctx = comp.ctx()
    ctx["S"] = comp.child.name
    ctx["s"] = comp.child.name
    paras: list[list[Sent]] = []
    stats = {"sentences": 0, "words": 0, "jargon": 0, "passive": 0, "owner_date": 0, "unexplained_acronyms": 0,
             "actions": 0}

    def add(para: list[Sent], text: str, tid: str, **flags: bool) -> None:
        para.append(Sent([Part(text)], row(template=tid)))
        stats["sentences"] += 1
        stats["words"] += len(text.split())
        for k, v in flags.items():
            stats[k] += int(v)

    outcome_focus = rng.random() < pout
    if outcome_focus:
        para: list[Sent] = []
        head = rng.choice(("What matters to {s}:", "What we want for {s}:", "Outcomes for {s}:", "{S}'s goals:"))
        add(para, fill(head, ctx), "plans.head")
        for i in rng.sample(range(len(b["plan_outcomes"])), rng.randint(2, 4)):
            add(para, fill(b["plan_outcomes"][i], ctx), f"plans.plan_outcomes:{i}")
        paras.append(para)
    para = []
    if rng.random() < 0.7:
        add(para, rng.choice(("Actions:", "What will happen:", "Plan:", "Who will do what:", "Actions agreed")), "plans.head")
    for _ in range(rng.randint(3, 7)):
        stats["actions"] += 1
        if rng.random() < pj:
            if rng.random() < 0.35:
                acro = rng.choice(b["plan_acronyms"])
                explained = rng.random() < pexp
                a = f"{b['plan_acronym_expansions'][acro]} ({acro})" if explained else acro
                i = rng.randrange(len(b["plan_jargon_acronym"]))
                text = fill(b["plan_jargon_acronym"][i], {"A": a})
                tid = f"plans.plan_jargon_acronym:{i}"
                unexplained = not explained
            else:
                i = rng.randrange(len(b["plan_jargon"]))
                text, tid, unexplained = b["plan_jargon"][i], f"plans.plan_jargon:{i}", False
            if rng.random() < plong:
                text = text.rstrip(".") + rng.choice(b["plan_long_tails"]) + "."
            add(para, cap(text), tid, jargon=True, passive=True, unexplained_acronyms=unexplained)
            continue
        i = rng.randrange(len(b["plan_actions"]))
        owner, action, dateable = b["plan_actions"][i]
        action = fill(action, ctx)
        owner_date = rng.random() < pod
        passive = rng.random() < pp
        if passive:
            verb_obj = action.split(" ", 1)[1] if action.startswith("will ") else action
            text = f"{cap(verb_obj)} to be done" + (f" by {owner.lower() if owner != 'Mam' else 'mam'}" if owner_date else "")
        else:
            text = f"{owner} {action}" if owner_date or rng.random() < 0.5 else cap(action.replace("will ", "", 1))
        if owner_date:
            text += rng.choice((" by {date}", " before {date}", " from {date}", " every week starting {date}"))
        if rng.random() < plong:
            text += rng.choice(b["plan_long_tails"])
        text = fill(text, {"date": comp.fmt_date(comp.when(rng.randint(7, 90)))}) + "."
        add(para, text, f"plans.plan_actions:{i}", passive=passive, owner_date=owner_date)
    paras.append(para)
    if rng.random() < 0.4:
        paras.append(comp.decision(rng.choice(("after", "next", None))))
    n = max(1, stats["sentences"])
    factors = {
        "mean_sentence_words": round(stats["words"] / n, 2),
        "jargon_share": round(stats["jargon"] / max(1, stats["actions"]), 3),
        "unexplained_acronyms": stats["unexplained_acronyms"],
        "passive_share": round(stats["passive"] / max(1, stats["actions"]), 3),
        "owner_and_date_share": round(stats["owner_date"] / max(1, stats["actions"]), 3),
        "outcome_focus": outcome_focus,
    }
    return paras, factors
