"""Invented families: children, parents, carers and the professionals who write about them."""
from __future__ import annotations

import contextvars
import datetime as dt
import random
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable

from ..resources import load_json
from .text import Style

LEGAL_STATUSES = ("care_and_support", "child_protection", "looked_after")


#: While set, :func:`bank` serves ``filter(name, bank)`` (the statutory planter's filtered banks).
BANK_FILTER: contextvars.ContextVar[Callable[[str, dict[str, Any]], dict[str, Any]] | None] = \
    contextvars.ContextVar("notes_qa_corpus_bank_filter", default=None)


@lru_cache(maxsize=None)
def _load_bank(name: str) -> dict[str, Any]:
    return load_json("notes_qa.corpus", f"phrases/{name}.json")


def bank(name: str) -> dict[str, Any]:
    """A phrase bank shipped in ``notes_qa/corpus/phrases/NAME.json`` (filtered while ``BANK_FILTER`` is set)."""
    raw = _load_bank(name)
    f = BANK_FILTER.get()
    return raw if f is None else f(name, raw)


@dataclass
class Worker:
    """A professional who authors entries, with a personal writing style."""

    first: str
    last: str
    role: str  # sw, tm, iro, duty
    style: Style

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


@dataclass
class Child:
    """One child in a family; ``index`` is the birth-order position used in ids."""

    child_id: str
    name: str
    surname: str
    gender: str  # male / female
    dob: dt.date
    age: int
    legal_status: str
    nickname: str | None = None
    pre_verbal: bool = False
    placement_start: dt.date | None = None
    carer: str = "mam"

    @property
    def he(self) -> str:
        return "he" if self.gender == "male" else "she"

    @property
    def him(self) -> str:
        return "him" if self.gender == "male" else "her"

    @property
    def his(self) -> str:
        return "his" if self.gender == "male" else "her"

    def meta(self) -> dict[str, Any]:
        return {"child_id": self.child_id, "child_name": self.name, "surname": self.surname, "gender": self.gender,
                "date_of_birth": self.dob.isoformat(), "age": self.age, "legal_status": self.legal_status,
                "placement_start": self.placement_start.isoformat() if self.placement_start else None,
                "nickname": self.nickname, "pre_verbal": self.pre_verbal}


@dataclass
class Family:
    """A family of siblings with the period their files cover and the people who write them."""

    family_id: str
    surname: str
    town: str
    school: str
    start: dt.date
    end: dt.date
    children: list[Child]
    sw: list[Worker]
    tm: Worker
    iro: Worker
    duty: list[Worker]
    dad_name: str
    split: str = "train"
    extra: dict[str, Any] = field(default_factory=dict)


def _worker(rng: random.Random, role: str) -> Worker:
    p = bank("people")
    return Worker(rng.choice(p["adult_first"]), rng.choice(p["surnames"]), role, Style.draw(rng))


def draw_family(rng: random.Random, family_id: str, max_children: int = 5) -> Family:
    """A family of 1–5 children aged 0–17 with 6–24 months of recording ending in 2023–2025."""
    p = bank("people")
    surname = rng.choice(p["surnames"])
    end = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(0, 3 * 365))
    months = rng.randint(6, 24)
    start = end - dt.timedelta(days=int(months * 30.4))
    n = min(max_children, rng.choices((1, 2, 3, 4, 5), weights=(22, 33, 25, 13, 7))[0])
    status = rng.choices(LEGAL_STATUSES, weights=(45, 35, 20))[0]
    ages = sorted((rng.randint(0, 17) for _ in range(n)), reverse=True)
    used: set[str] = set()
    children = []
    for k, age in enumerate(ages):
        gender = rng.choice(("male", "female"))
        pool = p["boys"] if gender == "male" else p["girls"]
        name = rng.choice(pool)
        while name in used:
            name = rng.choice(pool)
        used.add(name)
        dob = end - dt.timedelta(days=age * 365 + rng.randrange(0, 364))
        cstatus = status if rng.random() < 0.85 else rng.choice(LEGAL_STATUSES)
        placement = None
        if cstatus == "looked_after":
            placement = start + dt.timedelta(days=rng.randrange(-400, 60))
        nick = p["nick"].get(name) if rng.random() < 0.6 else None
        child_surname = surname if rng.random() < 0.8 else rng.choice(p["surnames"])
        carer = "foster carer" if cstatus == "looked_after" else rng.choice(("mam", "mum", "mam", "nain"))
        children.append(Child(f"{name}-{family_id.split('-')[-1]}-{k + 1}", name, child_surname, gender, dob, age, cstatus,
                              nick, pre_verbal=age < 2 or (age < 12 and rng.random() < 0.05),
                              placement_start=placement, carer=carer))
    sws = [_worker(rng, "sw") for _ in range(rng.choice((1, 1, 2, 3)))]
    return Family(family_id, surname, rng.choice(p["towns"]), rng.choice(p["schools"]), start, end, children, sws,
                  _worker(rng, "tm"), _worker(rng, "iro"), [_worker(rng, "duty") for _ in range(2)],
                  rng.choice(p["boys"]))
