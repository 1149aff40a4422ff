"""Plant the statutory-practice situations of issue 9 in a child's file, with labels computed from what is planted.

A :class:`StatutoryPlan` is drawn per child from its own seeded stream (so the generic content keeps its
own random stream): visits (seen / not seen, on time / late), the placement start (looked after) or
initial conference (child protection), assessments covering some or all of the five Part 3 elements,
English-only terms and look-alikes that must not fire, advocacy and Welsh Active Offer records (or their
absence, with distractors), and contacts by concern category (repeating, answered, or isolated).

The labels (``labels()``) are worked out from the planted entries with reference rules written here,
independently of ``notes_qa.statutory``: reg. 31 of the 2015 Wales regulations for looked after children
(first visit within 7 days of the placement start, then no more than 42 days apart: day 42 on time,
day 43 late); every N working days from the initial conference for child protection (N a plan parameter,
default 10); three contacts of one category within 365 days with no assessment, strategy discussion,
conference or plan on or after the first of them is an accumulating pattern.

While a plan is being written, the generic phrase banks are filtered (:func:`safe_banks`) of sentences
that would themselves be statutory evidence (advocacy, Welsh offers, English terms, concern words,
not-seen wording, conferences, placements), so the only statutory signal in a file is the planted one.
"""
from __future__ import annotations

import datetime as dt
import json
import random
import re
from dataclasses import dataclass, field
from typing import Any, Iterator

from .compose import school_year
from .people import Child, Family, bank
from .text import cap, fill

ELEMENTS = ("circumstances", "personal_outcomes", "barriers", "risks", "strengths")
CATEGORIES = ("neglect", "domestic_abuse", "substance_misuse")
VISIT_TYPES = ("home_visit", "school_visit", "direct_work")
#: Note types that answer a run of contacts (ground truth, not the checks' cues).
RESPONSE_TYPES = frozenset({"assessment", "strategy_discussion", "conference", "child_protection_plan",
                            "care_and_support_plan"})
#: Generic note types the plan replaces with planted entries.
REPLACED_TYPES = frozenset({*VISIT_TYPES, "assessment", "referral"})
LAC_FIRST_DAYS, LAC_INTERVAL_DAYS, CP_DEFAULT_WD = 7, 42, 10
CONCERN_WINDOW, CONCERN_THRESHOLD = 365, 3

#: Generic sentences matching this are left out while planting (they would be unlabelled statutory evidence).
UNSAFE = re.compile(
    r"advoca|active offer|welsh|cymraeg|cynnig|preferred language|language of choice|staying put|staying close|"
    r"child(?:ren)? in need|\bcin\b|\behcp?s?\b|education,? health and care|\b(?:s|sect|section)\.?\s?(?:17|20)\b|"
    r"working together|\blscb\b|safeguarding children|pupil premium|care act|ofsted|\bsendco\b|\bsenco\b|\blado\b|"
    r"virtual school|not seen|wasn't seen|not home|no reply|no answer|no response|card left|no access|\bnot in\b|"
    r"nobody|no one|out when|not available|not present|not there|(?:did not|didn't|unable to|could not|couldn't) see|"
    r"visit (?:was )?cancelled|conference|register|\bcpr\b|icpc|plan (?:ended|ceased|discontinued)|no longer|"
    r"stepped down|\bplaced\b|placement (?:start|began|commenc|move|change)|new placement|admitted|admission|"
    r"became looked after|accommodated|long[- ]term|permanen|until .{0,12}\b18\b|neglect|unkempt|dirty|smell|"
    r"head ?lice|hungry|no (?:food|packed lunch|lunch|breakfast)|little food|same (?:uniform|clothes)|clothes (?:too|dirty)|"
    r"hygiene|home conditions|not brought|lost weight|weight (?:loss|dropped|faltering)|faltering|untreated|"
    r"not collected|left (?:home )?alone|unsupervised|missed .{0,20}appointment|domestic|\bdash\b|\bidva\b|\bmarac\b|"
    r"punch|grabbed|strangl|\bchok|slapped|coercive|controlling|molestation|assault|\bhit\b|pushed|kicked|threaten|"
    r"arguing|black eye|heroin|cocaine|cannabis|\bcrack\b|\bdrugs?\b|overdos|naloxone|under the influence|intoxicated|"
    r"drunk|alcohol|substance|methadone|needles|paraphernalia|mental health|self[- ]harm|suicid|psychos|psychotic|"
    r"sectioned|crisis team|\bcse\b|\bcce\b|exploitation|county lines|groom|older (?:males|men)|bruis|injur|"
    r"non-accidental|physical abuse|smacked|marks? on|missing|argument|police (?:were )?called|call-?outs?",
    re.I)


def _filter(x: Any) -> Any:
    if isinstance(x, dict):
        return {k: _filter(v) for k, v in x.items()}
    if isinstance(x, list):
        kept = [v for v in x if isinstance(v, (dict, int, float)) or not UNSAFE.search(json.dumps(v))]
        return [_filter(v) for v in kept] if kept else x
    return x


_SAFE_CACHE: dict[str, dict[str, Any]] = {}


def safe_bank(name: str, raw: dict[str, Any]) -> dict[str, Any]:
    """``raw`` with every list item that would be statutory evidence removed (never empties a list)."""
    if name not in _SAFE_CACHE:
        _SAFE_CACHE[name] = _filter(raw) if name not in ("headers", "statutory", "people") else raw
    return _SAFE_CACHE[name]


# ------------------------------------------------------------------ the mix
@dataclass
class Mix:
    """Shares of children with each situation (defaults: most files fine, a minority with each problem)."""

    late_visits: float = 0.25        # LAC/CP children with one or two late intervals
    not_seen: float = 0.12           # share of visits where the child is not seen
    placement_move: float = 0.15     # LAC children with a second placement during the file
    headed_assessment: float = 0.5
    missing_elements: float = 0.3    # assessments leaving out one or more of the five elements
    english_terms: float = 0.15
    english_negatives: float = 0.3
    advocacy_missing: float = 0.3    # CP/LAC children with no advocacy record
    active_offer_missing: float = 0.35
    active_offer_distractor: float = 0.35
    accumulating: float = 0.12
    answered_repeats: float = 0.08
    plan_frequency_written: float = 0.6


# ------------------------------------------------------------------ planted entries
@dataclass
class Planted:
    """One planted entry: its sentences, and whether the generic body follows (seen visits)."""

    date: dt.date
    nt: str
    sents: list[tuple[str, str]]  # (text, template id)
    tname: str | None = None
    code: str | None = None
    generic: bool = False
    role: str = "visit"
    seen: bool | None = None
    category: str | None = None


@dataclass
class StatutoryPlan:
    """Everything planted in one child's file, and the situations drawn."""

    child: Child
    planted: list[Planted] = field(default_factory=list)
    drop_from: dict[str, dt.date] = field(default_factory=dict)  # generic nt -> drop entries on/after
    placement_starts: list[dt.date] = field(default_factory=list)
    conference: dt.date | None = None
    cp_interval: int = CP_DEFAULT_WD
    cp_unit: str = "working_days"
    english_terms: list[str] = field(default_factory=list)
    english_negatives: list[str] = field(default_factory=list)
    advocacy: bool = False
    active_offer: bool = False
    situations: dict[str, Any] = field(default_factory=dict)

    def merge(self, sched: list[tuple[dt.date, str]]) -> list[tuple[dt.date, str, Planted | None]]:
        """The generic schedule less replaced/dropped types, plus the planted entries, by date."""
        keep = [(d, nt, None) for d, nt in sched if nt not in REPLACED_TYPES
                and not (nt in self.drop_from and d >= self.drop_from[nt])]
        out: list[tuple[dt.date, str, Planted | None]] = keep + [(p.date, p.nt, p) for p in self.planted]
        out.sort(key=lambda x: (x[0], x[2] is not None))
        return out

    def labels(self, merged: list[tuple[dt.date, str, Planted | None]]) -> dict[str, Any]:
        """Statutory labels in the dev set's shape, computed from the merged schedule."""
        status = self.child.legal_status
        now = max(d for d, _nt, _p in merged)
        visits = [p for _d, _nt, p in merged if p is not None and p.role == "visit"]
        seen = sorted(p.date for p in visits if p.seen)
        if status == "looked_after":
            overdue = lac_overdue(seen, self.placement_starts, now)
        elif status == "child_protection" and self.conference:
            overdue = cp_overdue(seen, self.conference, now, self.cp_interval, self.cp_unit)
        else:
            overdue = []
        assessments = [{"date": p.date.isoformat(), "present": list(p.situations_present)}  # type: ignore[attr-defined]
                       for _d, _nt, p in merged if p is not None and p.role == "assessment"]
        contacts = [(d, p.category) for d, _nt, p in merged if p is not None and p.role == "contact"]
        responses = sorted(d for d, nt, _p in merged if nt in RESPONSE_TYPES)
        counts = {c: sum(1 for _d, k in contacts if k == c) for c in CATEGORIES}
        acc = accumulating(contacts, responses)
        return {
            "legal_status": status,
            "placement_start": self.placement_starts[0].isoformat() if self.placement_starts else None,
            "placement_starts": [d.isoformat() for d in self.placement_starts],
            "initial_conference": self.conference.isoformat() if self.conference else None,
            "cp_visit_interval": {"n": self.cp_interval, "unit": self.cp_unit} if self.conference else None,
            "now": now.isoformat(),
            "visits": [{"date": p.date.isoformat(), "child_seen": bool(p.seen)} for p in visits],
            "overdue_visits": overdue,
            "assessment_elements": assessments,
            "english_terms": list(self.english_terms),
            "english_negatives": list(self.english_negatives),
            "advocacy_offer_recorded": self.advocacy,
            "active_offer_recorded": self.active_offer,
            "repeat_referrals": {**counts, "accumulating_concerns": bool(acc), "accumulating_categories": acc},
            "situations": dict(self.situations),
        }


# ------------------------------------------------------------------ reference rules (ground truth)
def working_day(d: dt.date) -> bool:
    """Monday to Friday and not an England and Wales bank holiday."""
    from ..statutory.calendar import bank_holidays  # the holiday table is a calendar fact, shared

    return d.weekday() < 5 and d not in bank_holidays(d.year)


def add_working(d: dt.date, n: int) -> dt.date:
    """The n-th working day after ``d``."""
    while n > 0:
        d += dt.timedelta(days=1)
        if working_day(d):
            n -= 1
    return d


def lac_overdue(seen: list[dt.date], starts: list[dt.date], now: dt.date) -> list[dict[str, str]]:
    """Reg. 31 gaps: first visit within 7 days of each placement start, then at most 42 days apart."""
    out = []
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else now
        last, due = start, start + dt.timedelta(days=LAC_FIRST_DAYS)
        for d in (x for x in seen if start <= x <= end):
            if d > due:
                out.append({"after": last.isoformat(), "due_by": due.isoformat()})
            last, due = d, d + dt.timedelta(days=LAC_INTERVAL_DAYS)
        if end > due:
            out.append({"after": last.isoformat(), "due_by": due.isoformat()})
    return out


def cp_overdue(seen: list[dt.date], conference: dt.date, now: dt.date, n: int, unit: str) -> list[dict[str, str]]:
    """Every ``n`` working days (or days) from the initial conference."""
    def step(d: dt.date) -> dt.date:
        return add_working(d, n) if unit == "working_days" else d + dt.timedelta(days=n)

    out = []
    last, due = conference, step(conference)
    for d in (x for x in seen if conference < x <= now):
        if d > due:
            out.append({"after": last.isoformat(), "due_by": due.isoformat()})
        last, due = d, step(d)
    if now > due:
        out.append({"after": last.isoformat(), "due_by": due.isoformat()})
    return out


def accumulating(contacts: list[tuple[dt.date, str | None]], responses: list[dt.date]) -> list[str]:
    """Categories with 3 contacts within 365 days and no response on or after the first of them."""
    out = []
    for c in CATEGORIES:
        ds = sorted(d for d, k in contacts if k == c)
        for i in range(len(ds) - CONCERN_THRESHOLD + 1):
            run = ds[i:i + CONCERN_THRESHOLD]
            if (run[-1] - run[0]).days <= CONCERN_WINDOW and not any(r >= run[0] for r in responses):
                out.append(c)
                break
    return out


# ------------------------------------------------------------------ drawing a plan
class _Writer:
    """Fills planted sentences for one child."""

    def __init__(self, rng: random.Random, fam: Family, child: Child) -> None:
        self.rng, self.fam, self.child = rng, fam, child
        self.b = bank("statutory")
        parent = rng.choice(("Mum", "Mam", "Mum", "Dad")) if child.legal_status != "looked_after" or rng.random() < 0.5 \
            else rng.choice(("Mum", "Mam"))
        male = parent == "Dad"
        sibs = [c.name for c in fam.children if c is not child]
        self.ctx = {"N": child.name, "he": child.he, "He": cap(child.he), "his": child.his, "His": cap(child.his),
                    "him": child.him, "age": child.age, "yr": school_year(child.age), "school": fam.school,
                    "town": fam.town, "parent": parent, "he_p": "he" if male else "she", "his_p": "his" if male else "her",
                    "him_p": "him" if male else "her", "sib": rng.choice(sibs) if sibs else None,
                    "carer": rng.choice(("Mr and Mrs Pugh", "Sian and Gareth Lloyd", "Mrs Jenkins", "Dai and Bethan Morris",
                                         "Karen Thomas", "the Howells", "Ffion and Rhys Evans", "Mr and Mrs Ahmed"))}

    def pick(self, key: str, sub: str | None = None, **extra: Any) -> tuple[str, str]:
        items = self.b[key] if sub is None else self.b[key][sub]
        i = self.rng.randrange(len(items))
        tid = f"statutory.{key}{'.' + sub if sub else ''}:{i}"
        return cap(fill(items[i], {**self.ctx, **extra})), tid


def draw_plan(rng: random.Random, fam: Family, child: Child, sched: list[tuple[dt.date, str]],
              mix: Mix | None = None) -> StatutoryPlan:
    """A statutory plan for ``child`` whose generic schedule is ``sched`` (drawn from ``rng`` only)."""
    mix = mix or Mix()
    w = _Writer(rng, fam, child)
    plan = StatutoryPlan(child)
    st = child.legal_status
    start, end = fam.start, max(d for d, _ in sched)
    span = max(60, (end - start).days)
    dates = [d for d, _ in sched]
    first_asmt = dates[1] if len(dates) > 1 else start + dt.timedelta(days=14)

    # -- first contact and assessment(s)
    if sched[0][1] == "referral":
        cat = rng.choices((*CATEGORIES, "other"), weights=(30, 25, 15, 30))[0]
        plan.planted.append(_contact(w, sched[0][0], cat))
    _assessment(w, plan, first_asmt, mix)
    anchor = first_asmt
    # -- status events
    if st == "looked_after":
        ps = min(end - dt.timedelta(days=45), first_asmt + dt.timedelta(days=rng.randint(2, 30)))
        ps = max(ps, first_asmt)
        plan.placement_starts.append(ps)
        plan.planted.append(_placement(w, ps))
        if rng.random() < mix.placement_move and (end - ps).days > 150:
            mv = ps + dt.timedelta(days=rng.randint(60, (end - ps).days - 60))
            plan.placement_starts.append(mv)
            plan.planted.append(_placement(w, mv))
            plan.situations["placement_move"] = True
        anchor = ps
    elif st == "child_protection":
        conf = min(end - dt.timedelta(days=30), first_asmt + dt.timedelta(days=rng.randint(3, 21)))
        conf = max(conf, first_asmt)
        plan.conference = conf
        sents = [w.pick("conference", category=rng.choice(("neglect", "emotional abuse", "physical abuse")))]
        if rng.random() < mix.plan_frequency_written:
            if rng.random() < 0.15:
                plan.cp_interval, plan.cp_unit = 7, "days"
                sents.append(w.pick("conference_weekly"))
            else:
                plan.cp_interval = rng.choice((10, 10, 10, 5, 15))
                sents.append(w.pick("conference_freq", n=plan.cp_interval))
        plan.planted.append(Planted(conf, "conference", sents, rng.choice(w.b["conference_type_names"]), "ICPC",
                                    role="conference"))
        anchor = conf
    # -- visits
    _visits(w, plan, sched, anchor, end, mix)
    # -- contacts: repeats (accumulating / answered) or a little noise
    r = rng.random()
    if st != "looked_after" and r < mix.accumulating + mix.answered_repeats and (end - anchor).days > 90:
        answered = r >= mix.accumulating
        cat = rng.choices(CATEGORIES, weights=(45, 40, 15))[0]
        n = rng.choice((3, 3, 4))
        lo = anchor + dt.timedelta(days=10)
        room = min(300, (end - lo).days - 15)
        first = lo + dt.timedelta(days=rng.randint(0, max(0, (end - lo).days - room - 15)))
        cds = sorted({first + dt.timedelta(days=rng.randint(0, room)) for _ in range(n - 1)} | {first})
        for d in cds:
            plan.planted.append(_contact(w, d, cat))
        if answered:
            rd = cds[-1] + dt.timedelta(days=rng.randint(1, 10))
            plan.planted.append(Planted(rd, "strategy_discussion", [w.pick("response", category=cat.replace("_", " "))],
                                        rng.choice(w.b["response_type_names"]), "STRAT", role="response"))
            plan.situations["repeat_contacts"] = "answered"
        else:
            for nt in RESPONSE_TYPES:
                plan.drop_from[nt] = first
            plan.situations["repeat_contacts"] = "accumulating"
        plan.situations["repeat_category"] = cat
    else:
        used: dict[str, int] = {}
        for c in [x for x in plan.planted if x.role == "contact"]:
            used[c.category or ""] = used.get(c.category or "", 0) + 1
        for _ in range(rng.choices((0, 1, 2), weights=(50, 35, 15))[0]):
            cat = rng.choices((*CATEGORIES, "other"), weights=(20, 20, 10, 50))[0]
            if used.get(cat, 0) >= 1:
                cat = "other"
            used[cat] = used.get(cat, 0) + 1
            plan.planted.append(_contact(w, start + dt.timedelta(days=rng.randrange(span)), cat))
    # -- English terms (and look-alikes that must not fire)
    hosts = [p for p in plan.planted if p.role in ("visit", "conference") and (p.seen or p.role == "conference")]
    if rng.random() < mix.english_terms and hosts:
        terms = list(w.b["english_terms"])
        if st != "looked_after":
            terms = [t for t in terms if t not in ("Staying Put", "section 20", "Pupil Premium Plus")]
        for t in rng.sample(terms, rng.choice((1, 1, 1, 2))):
            host = rng.choice(hosts)
            host.sents.append(w.pick("english_terms", t))
            plan.english_terms.append(t)
    if rng.random() < mix.english_negatives and hosts:
        txt, tid = w.pick("english_negatives")
        rng.choice(hosts).sents.append((txt, tid))
        plan.english_negatives.append(txt)
    # -- advocacy and the Active Offer
    adv_hosts = [p for p in plan.planted if p.role in ("conference", "placement") or (p.role == "visit" and p.seen)]
    if adv_hosts and (st not in ("looked_after", "child_protection") and rng.random() < 0.3
                      or st in ("looked_after", "child_protection") and rng.random() >= mix.advocacy_missing):
        plan.advocacy = True
        if st == "child_protection" or rng.random() < 0.3:
            (_first(plan, "conference") or rng.choice(adv_hosts)).sents.append(w.pick("advocacy_parent"))
        if st == "looked_after" or child.age >= 4:
            rng.choice(adv_hosts).sents.append(w.pick("advocacy_child"))
        elif st != "child_protection":
            rng.choice(adv_hosts).sents.append(w.pick("advocacy_parent"))
    elif adv_hosts and rng.random() < 0.3:
        rng.choice(adv_hosts).sents.append(w.pick("advocacy_negatives"))
        plan.situations["advocacy_distractor"] = True
    ao_hosts = [p for p in plan.planted if p.role in ("assessment", "conference", "placement")
                or (p.role == "visit" and p.seen)]
    if ao_hosts and rng.random() >= mix.active_offer_missing:
        plan.active_offer = True
        rng.choice(ao_hosts).sents.insert(1, w.pick("active_offer"))
    if ao_hosts and rng.random() < mix.active_offer_distractor:
        rng.choice(ao_hosts).sents.append(w.pick("active_offer_negatives"))
        plan.situations["active_offer_distractor"] = True
    return plan


def _first(plan: StatutoryPlan, role: str) -> Planted | None:
    return next((p for p in plan.planted if p.role == role), None)


def _contact(w: _Writer, d: dt.date, cat: str) -> Planted:
    sents = [w.pick("contacts", cat)]
    if w.rng.random() < 0.6:
        sents.append(w.pick("contact_close"))
    return Planted(d, "contact", sents, w.rng.choice(w.b["contact_type_names"]), "REF", role="contact",
                   category=None if cat == "other" else cat)


def _placement(w: _Writer, d: dt.date) -> Planted:
    return Planted(d, "placement", [w.pick("placement")], w.rng.choice(w.b["placement_type_names"]), "PLAC",
                   role="placement")


def _assessment(w: _Writer, plan: StatutoryPlan, d: dt.date, mix: Mix) -> None:
    rng = w.rng
    present = list(ELEMENTS)
    if rng.random() < mix.missing_elements:
        k = rng.choices((1, 2, 3), weights=(60, 30, 10))[0]
        for e in rng.sample(ELEMENTS, k):
            present.remove(e)
    headed = rng.random() < mix.headed_assessment
    sents = [w.pick("assessment_open")]
    for e in present:
        body, tid = w.pick("assessment", e)
        if rng.random() < 0.5:  # a second sentence for the element, told apart from the first
            more, _ = w.pick("assessment", e)
            if more != body:
                body = f"{body} {more}"
        if headed:
            head, _ = w.pick("assessment_heads", e)
            body = f"{head} {body}"
        sents.append((body, tid))
    sents.append(w.pick("assessment_close"))
    p = Planted(d, "assessment", sents, None, None, role="assessment")
    p.situations_present = present  # type: ignore[attr-defined]
    p.headed = headed  # type: ignore[attr-defined]
    plan.planted.append(p)
    if len(present) < 5:
        plan.situations.setdefault("missing_elements", []).append(sorted(set(ELEMENTS) - set(present)))


def _visits(w: _Writer, plan: StatutoryPlan, sched: list[tuple[dt.date, str]], anchor: dt.date,
            end: dt.date, mix: Mix) -> None:
    rng, st = w.rng, plan.child.legal_status
    vt = w.b["visit_types"]
    kinds, weights = list(vt), list(vt.values())

    def add(d: dt.date, seen: bool) -> None:
        nt = rng.choices(kinds, weights=weights)[0]
        tname = rng.choice(w.b["lac_visit_type_names"]) if st == "looked_after" and nt == "home_visit" else None
        if seen:
            sents = [w.pick("seen")]
        elif w.ctx["sib"] and rng.random() < 0.35:
            sents = [w.pick("not_seen_sibling")]
        else:
            sents = [w.pick("not_seen")]
        plan.planted.append(Planted(d, nt, sents, tname, None, generic=seen, role="visit", seen=seen))

    late_left = rng.choice((1, 1, 2)) if st in ("looked_after", "child_protection") and rng.random() < mix.late_visits else 0
    n_late = late_left
    if st == "looked_after":
        starts = plan.placement_starts
        for k, s in enumerate(starts):
            seg_end = starts[k + 1] - dt.timedelta(days=1) if k + 1 < len(starts) else end
            first, limit = True, LAC_FIRST_DAYS
            d = s
            while True:
                late = late_left > 0 and rng.random() < 0.35
                if late:
                    gap = limit + rng.choice((1, 1, 2, 5, 9))
                    late_left -= 1
                elif first:
                    gap = rng.randint(1, limit)
                else:
                    gap = limit if rng.random() < 0.12 else rng.randint(21, limit)
                nd = d + dt.timedelta(days=gap)
                if nd > seg_end:
                    break
                if rng.random() < mix.not_seen:  # an attempt before the visit that counts
                    att = d + dt.timedelta(days=max(1, gap - rng.randint(1, 6)))
                    if d < att < nd:
                        add(att, False)
                add(nd, True)
                d, first, limit = nd, False, LAC_INTERVAL_DAYS
    elif st == "child_protection" and plan.conference:
        conf = plan.conference
        n = plan.cp_interval

        def step(x: dt.date, m: int) -> dt.date:
            return add_working(x, m) if plan.cp_unit == "working_days" else x + dt.timedelta(days=m)

        for _ in range(rng.randint(1, 2)):  # s47 / assessment visits before the conference
            vd = sched[0][0] + dt.timedelta(days=rng.randint(1, max(1, (conf - sched[0][0]).days - 1)))
            if vd < conf:
                add(vd, True)
        d = conf
        while True:
            late = late_left > 0 and rng.random() < 0.2
            if late:
                m = n + rng.choice((1, 1, 2, 4))
                late_left -= 1
            else:
                m = n if rng.random() < 0.15 else rng.randint(max(1, n - 4), n)
            nd = step(d, m)
            if nd > end:
                break
            if rng.random() < mix.not_seen and m > 2:
                att = step(d, m - rng.randint(1, 2))
                if d < att < nd:
                    add(att, False)
            add(nd, True)
            d = nd
    else:
        d = sched[0][0] + dt.timedelta(days=rng.randint(3, 20))
        while d <= end:
            add(d, rng.random() >= mix.not_seen)
            d += dt.timedelta(days=rng.randint(18, 80))
    plan.situations["late_intervals_planted"] = n_late - late_left


#: Planted sentences (template ids) that record a decision: a conference's or strategy
#: discussion's outcome, a threshold judged met, no further action, an agreed plan or next step,
#: a case kept open or stepped to a plan. Their sentence rows are labelled ``decision`` (none
#: gives a reason, so none is ``rationale``); every other planted sentence is neither.
DECISION_TEMPLATES = frozenset({
    "statutory.conference:0", "statutory.conference:1", "statutory.conference:2", "statutory.conference:3",
    "statutory.conference:4", "statutory.conference_freq:3",
    "statutory.response:0", "statutory.response:1", "statutory.response:2", "statutory.response:3",
    "statutory.response:4",
    "statutory.assessment_close:0", "statutory.assessment_close:1", "statutory.assessment_close:3",
    "statutory.assessment_close:4", "statutory.assessment_close:6",
    "statutory.contact_close:1", "statutory.contact_close:6",
    "statutory.assessment.personal_outcomes:4",
    "statutory.english_terms.child in need (s.17):2", "statutory.english_terms.child in need (s.17):3",
    "statutory.english_terms.child in need (s.17):4", "statutory.english_terms.child in need plan:3",
    "statutory.english_terms.child in need plan:4",
    "statutory.english_negatives:0", "statutory.english_negatives:4",
})


def planted_sentences(plan: StatutoryPlan) -> Iterator[tuple[str, str]]:
    """Every planted sentence (text, template id) — for tests and statistics."""
    for p in plan.planted:
        yield from p.sents
