"""Helpers shared by the benchmark scripts (not part of the package)."""
from __future__ import annotations

import random
import resource
import time
from typing import Callable

HEADERS = [
    "{d:%d/%m/%Y} Home visit - SW {w}",
    "Case Note | Date: {d:%d/%m/%Y} | Author: {w} | Type: Telephone Call",
    "[{d:%Y-%m-%d}] School visit — {w}",
    "Date of contact: {d:%d/%m/%Y}   Worker: {w}   Contact type: Home visit",
    "CASE NOTE {d:%d.%m.%y} HV ({w}, SW)",
]
BODIES = [
    "Visited the family home. Mia was seen alone in her bedroom and said she likes school.",
    "Mum reported that the children had a good week. School attendance has improved to 94%.",
    "Mia told me she wants to stay with her nain at weekends because it is calm there.",
    "It was agreed the case will step down to early help as there are no further concerns.",
    "Dad did not attend the core group. SW to write to him by 14/03/2025 about family time.",
    "Leo reached for his mam and settled when she held him. He babbled and smiled at me.",
]
NOISE = ["Page 3 of 12", "OFFICIAL-SENSITIVE"]


def synthetic_export(n_entries: int, seed: int = 0) -> str:
    """A long case-file export in mixed header styles with page furniture (for speed tests)."""
    import datetime as dt

    rnd = random.Random(seed)
    day = dt.date(2020, 1, 1)
    parts = ["Children's Services - case notes export\nChild: Mia Evans  DOB: 02/03/2015\n"]
    workers = ["Rhian Evans", "Sioned Price", "Gareth Pugh", "Owain Harries"]
    for i in range(n_entries):
        day += dt.timedelta(days=rnd.randint(0, 3))
        parts.append(rnd.choice(HEADERS).format(d=day, w=rnd.choice(workers)) + "\n")
        for _ in range(rnd.randint(2, 6)):
            parts.append(rnd.choice(BODIES) + "\n")
        if i % 7 == 6:
            parts.append(rnd.choice(NOISE) + "\n")
    return "".join(parts)


def timed(fn: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def baseline_time(texts: list[str]) -> float:
    """T: spacy.blank("en") + sentencizer over the same texts (the budget's unit)."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return timed(lambda: [len(d) for d in nlp.pipe(texts, batch_size=64)], repeat=2)
