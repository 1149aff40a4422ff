"""Sentence composers: each returns a labelled :class:`Sent` drawn from the phrase banks.

Row fields every sentence carries (they become ``labels/sentences.jsonl``): ``child_voice``,
``voice_kind``, ``decision``, ``rationale``, ``negative_kind`` and ``template`` (``bank.key:index``,
the surface template the sentence came from, used for diversity figures).
"""
from __future__ import annotations

import datetime as dt
import random
import re
from typing import Any

from .people import Child, Family, bank
from .text import QUOTES, Part, Sent, cap, fill

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def row(**kw: Any) -> dict[str, Any]:
    """Sentence row fields with defaults for an unlabelled sentence."""
    r = {"child_voice": False, "voice_kind": "none", "decision": False, "rationale": False, "negative_kind": "none",
         "template": None, "copy_kind": "none"}
    r.update(kw)
    return r


_CARE = re.compile(r"foster|placement|placed|looked after|carers|in care|CLA|IRO|residential")
_TEEN = re.compile(r"college|GCSE|flat|18|driving|weed|curfew|YOT|supported lodgings|gym|mates|lads|exploitation|missing")


def school_year(age: int) -> str:
    """Welsh school year for an age: N (nursery), R (reception), then 1..13."""
    return "N" if age < 4 else "R" if age == 4 else str(min(13, age - 4))


class _Ctx(dict):
    """A sentence's slot values; missing keys are drawn on first use (and then kept for the sentence)."""

    def __init__(self, comp: "Composer", child: Child, base: dict[str, Any]) -> None:
        super().__init__(base)
        self.comp, self.child = comp, child

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        if key in self:
            return self[key]
        v = self.comp._lazy(self.child, key, self)
        if v is not None:
            self[key] = v
        return v if v is not None else default


class Composer:
    """Writes sentences about one child of one family, on a given entry date."""

    def __init__(self, rng: random.Random, family: Family, child: Child) -> None:
        self.rng = rng
        self.family = family
        self.child = child
        self.siblings = [c for c in family.children if c is not child]
        self.date = family.start
        self.worker_name = family.sw[0].name

    # ------------------------------------------------------------ references
    def subject(self, child: Child | None = None) -> str:
        """How the writer refers to the child this time: name, nickname, initial, YP, C, the child."""
        c = child or self.child
        r = self.rng.random()
        if r < 0.6:
            return c.name
        if r < 0.7 and c.nickname:
            return c.nickname
        if r < 0.78:
            return c.name[0]
        if r < 0.86 and c.age >= 13:
            return "YP"
        if r < 0.9:
            return f"{c.name} {c.surname}"
        if r < 0.95:
            return "C"
        return "the child"

    def when(self, days_ahead: int | None = None) -> dt.date:
        return self.date + dt.timedelta(days=days_ahead if days_ahead is not None else self.rng.randint(3, 40))

    def fmt_date(self, d: dt.date) -> str:
        r = self.rng.random()
        if r < 0.5:
            return d.strftime("%d/%m/%Y")
        if r < 0.7:
            return f"{d.day} {MONTHS[d.month - 1]}"
        if r < 0.85:
            return f"{d.day} {MONTHS[d.month - 1][:3]} {d.year}"
        return d.strftime("%d/%m/%y")

    def ctx(self, child: Child | None = None) -> dict[str, Any]:
        """Slot values for one sentence; costly slots (dates, sibling) are computed only when used."""
        c = child or self.child
        rng = self.rng
        subj = self.subject(c)
        return _Ctx(self, c, {"S": cap(subj), "s": subj, "he": c.he, "He": cap(c.he), "him": c.him, "his": c.his,
                              "His": cap(c.his), "carer_she": "she", "town": self.family.town,
                              "school": self.family.school, "worker": self.worker_name})

    def _lazy(self, c: Child, key: str, d: dict[str, Any]) -> Any:
        rng, fam = self.rng, self.family
        if key in ("P", "p"):
            parent = rng.choice(("Mam", "Mum", "Mam", "Dad", "Dad", "Mum's partner", "Nain", "Stepdad",
                                 f"Dad ({fam.dad_name})", "Mother", "Father", "Taid", "M", "F"))
            d["P"] = parent
            d["p"] = parent if len(parent) == 1 else parent[0].lower() + parent[1:]
            return d[key]
        if key == "carer":
            return c.carer if c.carer != "foster carer" else rng.choice(("foster carer", "carer", "foster mam"))
        if key == "Carer":
            return rng.choice(("Foster carer", "Carer", "FC", "Nain", "Mam", "The carer"))
        if key == "date":
            return self.fmt_date(self.when())
        if key == "month":
            return MONTHS[(self.date.month - rng.randint(1, 4)) % 12]
        if key == "year":
            return school_year(c.age)
        if key == "year0":
            return self.date.year - rng.randint(1, 6)
        if key == "dd":
            return self.when(rng.randint(-5, 5)).strftime("%d/%m")
        if key == "worker2":
            return rng.choice(bank("people")["adult_first"])
        if key == "manager":
            return fam.tm.name
        if key == "iro":
            return fam.iro.name
        if key in ("T", "t", "t_he", "rel", "_sib") and self.siblings:
            t = rng.choice(self.siblings)
            ref = self.subject_sib(t)
            d.update({"T": cap(ref), "t": ref, "t_he": t.he, "rel": "brother" if t.gender == "male" else "sister", "_sib": t})
            return d[key]
        return None

    def subject_sib(self, t: Child) -> str:
        return t.name if self.rng.random() < 0.85 else (t.nickname or t.name)

    def quote(self, words: str) -> str:
        o, c = self.rng.choice(QUOTES)
        if self.rng.random() < 0.25:
            words = cap(words)
        if self.rng.random() < 0.15:
            words += self.rng.choice((".", "!", "..."))
        return f"{o}{words}{c}"

    def _ok(self, item: Any) -> bool:
        """Whether a phrase fits this child (care words only for looked-after children, teen life for teens)."""
        text = str(item)
        c = self.child
        if c.legal_status != "looked_after" and _CARE.search(text):
            return False
        return not (c.age < 12 and _TEEN.search(text))

    def _choice(self, items: list[Any]) -> Any:
        for _ in range(6):
            it = self.rng.choice(items)
            if self._ok(it):
                return it
        return it

    def _pick(self, bank_name: str, key: str) -> tuple[str | list[Any], str]:
        items = bank(bank_name)[key]
        for _ in range(6):
            i = self.rng.randrange(len(items))
            if self._ok(items[i]):
                break
        return items[i], f"{bank_name}.{key}:{i}"

    # ------------------------------------------------------------ child's voice
    def voice(self, kind: str | None = None) -> Sent:
        """A sentence recording this child's voice, of a kind suited to the child's age."""
        c, rng = self.child, self.rng
        if kind is None:
            if c.pre_verbal:
                kind = "non_verbal"
            elif c.age < 4:
                kind = rng.choice(("non_verbal", "non_verbal", "direct_quote"))
            else:
                kind = rng.choices(("direct_quote", "reported", "standalone"), weights=(42, 45, 13))[0]
        ctx = self.ctx()
        if kind == "non_verbal":
            t, tid = self._pick("voice", "nonverbal")
            text, vk = fill(t, ctx), "non_verbal"
        elif kind == "direct_quote":
            frame, tid = self._pick("voice", "direct_frames")
            q = self._choice(bank("voice")["quotes_teen" if c.age >= 12 and rng.random() < 0.8 else "quotes_young"])
            ctx["q"] = self.quote(fill(q, ctx))
            text, vk = fill(frame, ctx), "direct_quote"
        elif kind == "reported":
            (frame, tense), tid = self._pick("voice", "reported_frames")
            pres, past = self._choice(bank("voice")["reported_content"])
            ctx["x"] = fill(pres if tense == "pres" else past, ctx)
            text, vk = fill(frame, ctx), "reported"
        else:
            t, tid = self._pick("voice", "reported_standalone")
            text, vk = fill(t, ctx), "reported"
        text = cap(text)
        return Sent([Part(text, "child_voice", {"kind": vk})], row(child_voice=True, voice_kind=vk, template=tid))

    # ------------------------------------------------------------ hard negatives
    def negative(self, kind: str) -> Sent:
        """A voice hard negative: parent_quote, parent_report, teacher_view, professional_view,
        worker_opinion, sibling_voice, voice_not_obtained or fact_about_child."""
        rng = self.rng
        ctx = self.ctx()
        if kind == "parent_quote":
            frame, tid = self._pick("negatives", "parent_frames")
            ctx["q"] = self.quote(rng.choice(bank("negatives")["parent_quotes"]))
            ctx["P"] = cap(ctx.get("P"))
            text = fill(frame, ctx)
        elif kind == "sibling_voice" and self.siblings:
            frame, tid = self._pick("negatives", "sibling_voice")
            sib: Child = ctx.get("_sib")
            sctx = self.ctx(sib)
            q = rng.choice(bank("voice")["quotes_teen" if sib.age >= 12 else "quotes_young"])
            ctx["q"] = self.quote(fill(q, sctx))
            pres, past = rng.choice(bank("voice")["reported_content"])
            ctx["x"] = fill(pres if rng.random() < 0.6 else past, sctx)
            text = fill(frame, ctx)
        else:
            key = {"parent_report": "parent_reports", "teacher_view": "teacher_view", "professional_view": "professional_view",
                   "worker_opinion": "worker_opinion", "voice_not_obtained": "not_obtained",
                   "fact_about_child": "facts"}.get(kind, "facts")
            if kind == "sibling_voice":
                kind, key = "fact_about_child", "facts"
            t, tid = self._pick("negatives", key)
            text = fill(t, ctx)
        label_kind = "parent_quote" if kind == "parent_report" else kind
        return Sent([Part(cap(text))], row(negative_kind=label_kind, template=tid))

    # ------------------------------------------------------------ decisions
    def _outcome(self, ctx: dict[str, Any]) -> tuple[str, str]:
        c, n = self.rng.choice(bank("decisions")["outcomes"])
        return fill(c, ctx), fill(n, ctx)

    def decision(self, rationale: str | None = None) -> list[Sent]:
        """A decision, with its rationale ``"after"``/``"before"`` in the same sentence, ``"next"`` in
        the next sentence, or none (``None``)."""
        rng = self.rng
        ctx = self.ctx()
        b = bank("decisions")
        link = {"_link": rng.random()}
        if rationale in (None, "next") and rng.random() < 0.3:
            dtext, tid = self._pick("decisions", "decision_standalone")
            dtext = fill(dtext, ctx)
            trail = ""
        else:
            frame, tid = self._pick("decisions", "decision_frames")
            clause, np_ = self._outcome(ctx)
            ctx["c"], ctx["n"] = clause, np_
            dtext = fill(frame, ctx)
            trail = "."
        if rationale == "before":
            lead, _ = self._pick("decisions", "rationale_lead")
            r = self._rationale_text(lead, ctx)
            first = dtext[0].lower() + dtext[1:] if not dtext[:2].isupper() and not dtext.startswith("TM") else dtext
            parts = [Part(r, "rationale", dict(link)), Part(", "),
                     Part(first.rstrip("."), "decision", {"has_rationale": True, **link}), Part(".")]
            return [Sent(parts, row(decision=True, rationale=True, template=tid))]
        if rationale == "after":
            clause, _ = self._pick("decisions", "rationale_clauses")
            clause = fill(clause, ctx)
            parts = [Part(dtext.rstrip("."), "decision", {"has_rationale": True, **link}),
                     Part(rng.choice((" ", " ", ", ", " - "))), Part(clause, "rationale", dict(link)), Part(".")]
            return [Sent(parts, row(decision=True, rationale=True, template=tid))]
        dsent = Sent([Part(dtext.rstrip("."), "decision", {"has_rationale": rationale == "next", **link}),
                      Part(trail or ".")], row(decision=True, template=tid))
        if rationale != "next":
            return [dsent]
        lead, rtid = self._pick("decisions", "rationale_sentence_lead")
        r = self._rationale_text(lead, ctx)
        body = r.rstrip(".")
        return [dsent, Sent([Part(body, "rationale", dict(link)), Part("." if r.endswith(".") else "")],
                            row(rationale=True, template=rtid))]

    def _rationale_text(self, lead: str, ctx: dict[str, Any]) -> str:
        b = bank("decisions")
        ctx["r"] = fill(self.rng.choice(b["rationale_bare"]), ctx)
        ctx["r_np"] = self.rng.choice(b["rationale_np"])
        return cap(fill(lead, ctx))

    def non_decision(self) -> Sent:
        t, tid = self._pick("decisions", "non_decisions")
        return Sent([Part(fill(t, self.ctx()))], row(negative_kind="decision_not_made", template=tid))

    # ------------------------------------------------------------ fillers
    def fillers(self, key: str, n: int) -> list[Sent]:
        """``n`` different unlabelled sentences from ``fillers.KEY``."""
        items = bank("fillers")[key]
        ctx = self.ctx()
        return [Sent([Part(cap(fill(items[i], ctx)))], row(template=f"fillers.{key}:{i}"))
                for i in self.rng.sample(range(len(items)), min(n, len(items)))]

    def filler(self, key: str) -> Sent:
        """An unlabelled sentence from ``fillers.KEY`` (observations, family_paras, logistics)."""
        t, tid = self._pick("fillers", key)
        return Sent([Part(cap(fill(t, self.ctx())))], row(template=tid))

    def opening(self, note_type: str) -> Sent:
        items = bank("fillers")["openings"].get(note_type) or bank("fillers")["openings"]["home_visit"]
        i = self.rng.randrange(len(items))
        return Sent([Part(cap(fill(items[i], self.ctx())))], row(template=f"fillers.openings.{note_type}:{i}"))
