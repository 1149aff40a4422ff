"""Invented training plans at five plain-language levels (fictional; for calibration only).

Level 5 is excellent for a parent (short active sentences, everyday words, who does what by
when, a stated outcome); level 1 is dense jargon, passive and vague. Names, places and services
are made up. ``generate(seed)`` is deterministic.
"""
from __future__ import annotations

import random

NAMES = ["Cai", "Mali", "Osian", "Ffion", "Jac", "Seren", "Tomi", "Lowri", "Deio", "Erin", "Macsen", "Nel"]
ADULTS = ["Mam", "Dad", "Mum", "Nain", "Gran", "Aunty Bethan", "Uncle Gethin"]
WORKERS = ["Sioned", "Gareth", "Alys", "Rhodri", "Megan", "Iwan"]
DATES = ["3 March", "17 April", "1 May", "12 June", "30 September", "14 October", "5 November"]
FREQ = ["every Monday", "every week", "every two weeks", "each morning by 9am", "on Fridays at 4pm",
        "once a month", "every evening at 7pm"]

L5_WORRY = ["{a} and {b} shout at each other when {c} is in the room. {c} told us it makes {p} feel scared.",
            "The house has been very untidy and there was not always food in the fridge.",
            "{c} has missed a lot of school since Christmas.",
            "{a} drinks a lot at weekends and then cannot look after {c} safely."]
L5_OUTCOME = ["We will know things are better when {c} goes to school every day and says {p2} feels safe at home.",
              "What we want: {c} feels safe and happy at home.",
              "We want {c} to sleep in {p3} own bed and feel calm at bedtime.",
              "We will know this plan is working when {c} tells us home feels calm."]
L5_ACT = ["{a} will take {c} to school {f}.", "{w} (social worker) will visit {f} and talk to {c} on {p4} own.",
          "{a} will go to the family support group {f}, starting on {d}.", "You will keep the kitchen clean and have food in for {c} {f}.",
          "{b} will ring {w} straight away if {a} has been drinking.", "School will tell {w} by 10am if {c} is not in.",
          "You will meet {w} on {d} to check how things are going.", "{b} will look after {c} {f} so you can rest.",
          "We will look at this plan together on {d}."]
L4_ACT = ["{a} will attend the parenting course {f}.", "{w} will visit {f}.", "{a} will make sure {c} gets to school on time every day.",
          "The health visitor will check {c}'s weight on {d}.", "{b} has agreed to help with the school run {f}.",
          "We will hold a core group meeting on {d} to review progress.", "{a} will keep contact with {c}'s dad positive and on time.",
          "{a} will try to keep to a bedtime routine."]
L4_INTRO = ["This plan sets out what everyone has agreed to do so that {c} is safe and well looked after at home.",
            "{c} is {n}. {c} needs a calm home and regular meals, and we agreed the following actions at the meeting on {d}."]
L3_TEXT = ["{c} is a lovely, chatty child who likes drawing.", "{a} is going to try to cut down on drinking when {p5} can.",
           "{b} will help out as much as possible.", "School will keep an eye on {c} and let us know if there are any worries.",
           "{w} will pop in regularly to see how things are going.", "We hope things will settle down soon.",
           "{a} will try to get {c} to school more often.", "We will look at the plan again in a few months.",
           "Everyone will work together to make things better for {c}."]
L2_TEXT = ["{a} to engage with IFSS and demonstrate sustained improvement in home conditions.",
           "SW to undertake direct work with {c} to ascertain wishes and feelings.",
           "School to monitor attendance and presentation and share concerns via the CIN process.",
           "HV to complete developmental checks in line with the HCP.", "Contact to be supervised at the family centre {f}.",
           "{a} to attend all appointments and engage with partner agencies.", "CAMHS referral to be progressed.",
           "Core group to review progress in due course.", "Outcome: {c}'s basic care needs are met to a good enough standard."]
L1_TEXT = ["It has been identified through the assessment process that {c}'s developmental needs have not been consistently prioritised within the context of parental substance misuse and DV.",
           "Parental capacity to effect sustained change is to be evidenced through full engagement with commissioned services, with consideration to be given to escalation to PLO should insufficient progress be evidenced within timescales.",
           "Protective factors are to be strengthened through multi-agency intervention, and risk is to be monitored by the core group in line with the WSP.",
           "The LA's view is that threshold for significant harm is met and that the cumulative impact of neglect necessitates robust oversight by the IRO.",
           "Therapeutic input is to be sourced to address attachment difficulties and emotional dysregulation, subject to CAMHS eligibility.",
           "Compliance with the written agreement will be monitored through unannounced visits and multi-agency information sharing as appropriate."]

L1_TERSE = ["Risks: DV, PSM, MH (M). Protective: MGM, school.", "M to attend IFSS w/c 12/5 & engage w/ IDVA.",
            "F NFA per police, contact supervised.", "YP CSE concerns - MACE ref, NRM tbc.",
            "HV / SALT / CAMHS refs to be progressed.", "SW visits per CPP, UVs as req.",
            "CG 4/52, RCPC 3/12, LPM if no progress.", "PLO letter tbc pending legal gateway.",
            "Sch to monitor attendance & presentation, DSL to liaise w/ SW."]


def _fill(t: str, v: dict[str, str]) -> str:
    return t.format(**v)


def _vars(rng: random.Random) -> dict[str, str]:
    girl = rng.random() < 0.5
    a, b = rng.sample(ADULTS, 2)
    return {"c": rng.choice(NAMES), "a": a, "b": b, "w": rng.choice(WORKERS), "d": rng.choice(DATES),
            "f": rng.choice(FREQ), "n": str(rng.randint(2, 15)), "p": "her" if girl else "him",
            "p2": "she" if girl else "he", "p3": "her" if girl else "his", "p4": "her" if girl else "his",
            "p5": "he" if a in ("Dad", "Uncle Gethin") else "she"}


def plan(level: int, rng: random.Random) -> str:
    v = _vars(rng)
    f = lambda t: _fill(t, {**v, "d": rng.choice(DATES), "f": rng.choice(FREQ)})  # noqa: E731
    if level == 5:
        parts = [f"{v['c']}'s plan", "What we are worried about:", *[f(t) for t in rng.sample(L5_WORRY, 2)],
                 "What needs to change:", f(rng.choice(L5_OUTCOME)), "Who will do what:",
                 *[f(t) for t in rng.sample(L5_ACT, rng.randint(4, 6))]]
    elif level == 4:
        parts = [f"Care and support plan for {v['c']}", f(rng.choice(L4_INTRO)), f(rng.choice(L5_OUTCOME)),
                 *[f(t) for t in rng.sample(L4_ACT, rng.randint(4, 6))]]
    elif level == 3:
        parts = [f"{v['c']}'s plan", *[f(t) for t in rng.sample(L3_TEXT, rng.randint(5, 7))]]
    elif level == 2:
        parts = [f"Plan - {v['c']}", *[f(t) for t in rng.sample(L2_TEXT, rng.randint(5, 7))]]
    elif rng.random() < 0.5:
        parts = [" ".join(f(t) for t in rng.sample(L1_TEXT, rng.randint(3, 5)))]
    else:
        parts = [f"CP plan - {v['c']}", *[f(t) for t in rng.sample(L1_TERSE, rng.randint(5, 7))]]
    if level >= 4 and rng.random() < 0.5:
        parts.insert(1, f(rng.choice(L5_WORRY)))
    return "\n".join(parts)


def generate(seed: int = 0, per_level: int = 40) -> list[tuple[str, int]]:
    """``per_level`` invented plans at each level 1..5: (text, level)."""
    rng = random.Random(seed)
    return [(plan(level, rng), level) for level in range(1, 6) for _ in range(per_level)]
