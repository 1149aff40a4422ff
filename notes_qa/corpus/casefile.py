"""Write one child's case file (an export of dated entries) with exact labels.

Siblings are written in birth order; a later child's file may copy passages from an earlier
sibling's finished file, so every copy records the original's final offsets in the sender's file.
"""
from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from .compose import MONTHS, Composer, row, school_year
from .people import Child, Family, Worker, bank
from .plans import plan_body
from .statutory import DECISION_TEMPLATES
from .text import Builder, Part, Sent, Style, cap, fill, fill_tracked, stylise

#: Voice hard-negative kinds and their weights in an entry about contact with the family.
NEG_WEIGHTS = {"parent_quote": 16, "parent_report": 12, "teacher_view": 7, "professional_view": 9, "worker_opinion": 12,
               "sibling_voice": 6, "voice_not_obtained": 6, "fact_about_child": 18}

#: Note types a child is seen or heard in (where the child's voice may be recorded).
CONTACT_TYPES = {"home_visit", "school_visit", "direct_work", "review", "assessment"}

_NEAR_EDITS = [("Mam", "Mum"), ("mam", "mum"), ("said", "stated"), ("reports", "said"), ("has been", "was"), ("Dad", "Father"),
               ("a lot of", "lots of"), ("the family", "they"), ("not", "no longer"), ("weekly", "every week"),
               ("following", "after"), ("about", "approximately"), ("agreed", "consented"), ("is", "remains"), (" and ", " & ")]


@dataclass
class Para:
    """A paragraph: sentences, plus copy information when it was taken from a sibling's file."""

    sents: list[Sent]
    copy: dict[str, Any] | None = None
    pool: str | None = None  # "family" or "child": remembered for later siblings to copy


@dataclass
class FamilyPool:
    """Passages already written in a family's files, available for copying into later siblings' files."""

    family_paras: list[dict[str, Any]] = field(default_factory=list)
    child_paras: list[dict[str, Any]] = field(default_factory=list)
    background: dict[str, Any] | None = None


# ------------------------------------------------------------------ headers
def _dfmt(d: dt.date, how: str) -> str:
    return {"uk": d.strftime("%d/%m/%Y"), "iso": d.isoformat(), "dots": d.strftime("%d.%m.%y"),
            "long": f"{d.day} {MONTHS[d.month - 1][:3]} {d.year}", "full": f"{d.day:02d} {MONTHS[d.month - 1]} {d.year}"}[how]


def _type_name(rng: random.Random, nt: str) -> str:
    return rng.choice(bank("headers")["type_names"][nt])


def header(style: int, rng: random.Random, d: dt.date, nt: str, w: Worker, tname: str | None = None,
           code: str | None = None) -> tuple[str, str | None, bool]:
    """``(header text, author as written, body on the same line)`` for one of nine export styles.

    ``tname``/``code`` override the note type's written name and short code (planted statutory entries).
    """
    role = rng.choice(bank("headers")["roles"][w.role])
    _tname = _type_name if tname is None else (lambda _rng, _nt: tname)
    if style == 0:
        return f"{_dfmt(d, 'uk')} {_tname(rng, nt)} - {role} {w.name}", w.name, False
    if style == 1:
        return f"Case Note | Date: {_dfmt(d, 'uk')} | Author: {w.name} | Type: {_tname(rng, nt)}", w.name, False
    if style == 2:
        return f"[{_dfmt(d, 'iso')}] {_tname(rng, nt)} \u2014 {w.name}", w.name, False
    if style == 3:
        return f"Date of contact: {_dfmt(d, 'long')} | Worker: {w.name} | Contact type: {_tname(rng, nt)}", w.name, False
    if style == 4:
        short = f"{w.first} {w.last[0]}"
        sc = code or bank('headers')['short_codes'].get(nt) or nt[:4].upper()
        return f"CASE NOTE {_dfmt(d, 'dots')} {sc} ({short}, {role})", short, False
    if style == 5:
        return f"{_dfmt(d, 'uk')}\t{_tname(rng, nt)}\t{w.name}\t", w.name, True
    if style == 6:
        return f"Date: {_dfmt(d, 'uk')}\nType: {_tname(rng, nt)}\nRecorded by: {w.name} ({role})", w.name, False
    if style == 7:
        t = f"{rng.randint(8, 17):02d}:{rng.choice(('00', '15', '30', '45'))}"
        return f"{_dfmt(d, 'full')} {t} - {_tname(rng, nt)} - {w.name} ({role})", w.name, False
    return f"{_dfmt(d, 'uk')} - {_tname(rng, nt).upper()}", None, False


N_HEADER_STYLES = 9


# ------------------------------------------------------------------ schedule
def schedule(rng: random.Random, fam: Family, child: Child, first_child: bool) -> list[tuple[dt.date, str]]:
    """Dated note types for a child's file, chronological."""
    days = (fam.end - fam.start).days
    n = max(6, min(40, int(days / 30.4 * rng.uniform(0.9, 1.8))))
    dates = sorted(fam.start + dt.timedelta(days=rng.randrange(days)) for _ in range(n))
    st = child.legal_status
    weights = {"home_visit": 30, "school_visit": 6, "phone_call": 16, "supervision": 7, "direct_work": 6,
               "strategy_discussion": 4 if st == "child_protection" else 1, "review": 4 if st != "care_and_support" else 2,
               "assessment": 3, "referral": 2, "case_summary": 2,
               "care_and_support_plan": 4 if st != "child_protection" else 1, "child_protection_plan": 4 if st == "child_protection" else 0}
    kinds = list(weights)
    out = []
    for i, d in enumerate(dates):
        if i == 0:
            nt = "referral" if rng.random() < 0.6 else "case_summary"
        elif i == 1:
            nt = "assessment"
        else:
            nt = rng.choices(kinds, weights=[weights[k] for k in kinds])[0]
        out.append((d, nt))
    return out


# ------------------------------------------------------------------ bodies
class FileWriter:
    """Builds one child's case file text and its labels."""

    def __init__(self, rng: random.Random, fam: Family, child: Child, pool: FamilyPool,
                 on_row: Callable[[dict[str, Any]], None]) -> None:
        self.rng, self.fam, self.child, self.pool = rng, fam, child, pool
        self.comp = Composer(rng, fam, child)
        self.b = Builder()
        self.spans: list[dict[str, Any]] = []
        self.entries: list[dict[str, Any]] = []
        self.on_row = on_row
        self.style = rng.randrange(N_HEADER_STYLES)
        self.alt_style = rng.randrange(N_HEADER_STYLES) if rng.random() < 0.12 else None
        self.noise_every = rng.randint(25, 60) if rng.random() < 0.75 else 10 ** 9
        self.next_noise = self.noise_every
        self.page = 1
        self.bullets = False
        self.cur_entry = -1
        self.cur_style = Style()

    # ---- labels
    def _span(self, label: str, start: int, end: int, text: str, attrs: dict[str, Any]) -> None:
        self.spans.append({"label": label, "start": start, "end": end, "text": text, **attrs})

    # ---- writing
    def _noise(self) -> None:
        if self.b.lines < self.next_noise:
            return
        self.next_noise = self.b.lines + self.noise_every
        self.page += 1
        rng = self.rng
        pdate = self.fam.end + dt.timedelta(days=rng.randint(1, 30))
        lines = [fill(rng.choice(bank("headers")["noise"]), {
            "n": self.page, "m": self.page + rng.randint(1, 30), "pdate": pdate.strftime("%d/%m/%Y"),
            "user": self.fam.sw[0].first.lower() + "." + self.fam.sw[0].last.lower(),
            "name": f"{self.child.name} {self.child.surname}", "cid": self.preamble_id})
            for _ in range(rng.choice((1, 1, 2)))]
        self.b.add("\n".join(lines) + "\n")

    def _para(self, para: Para, inline: bool) -> None:
        start = self.b.pos
        sep = " "
        bullets = self.bullets and not inline and para.copy is None and para.pool is None and len(para.sents) > 1
        for i, s in enumerate(para.sents):
            if i:
                self.b.add("\n" if bullets else sep)
            if bullets:
                self.b.add("- ")
            s0, s1 = self.b.add_sentence(s, self._span)
            r = dict(s.row)
            text = self.b.tail(s1 - s0) if s1 > s0 else ""
            r.update({"text": text, "start": s0, "end": s1, "entry": self.cur_entry, "note_type": self.cur_nt})
            self.on_row(r)
        end = self.b.pos
        if para.copy is not None:
            self._span("sibling_copy", start, end, self.b.tail(end - start), dict(para.copy))
        if getattr(para, "is_background", False):
            self.pool.background = {"child_id": self.child.child_id, "start": start, "end": end, "sents": para.sents}
        if para.pool:
            rec = {"child_id": self.child.child_id, "start": start, "end": end, "text": self.b.tail(end - start),
                   "sents": para.sents}
            (self.pool.family_paras if para.pool == "family" else self.pool.child_paras).append(rec)
            if para.pool == "child":
                rec["tpl"] = para.copy_tpl  # type: ignore[attr-defined]

    def _style(self, sents: list[Sent]) -> list[Sent]:
        return [stylise(s, self.cur_style, self.rng) for s in sents]

    def entry(self, d: dt.date, nt: str, planted: Any = None) -> None:
        rng, fam = self.rng, self.fam
        self.comp.date = d
        if nt == "supervision":
            w = fam.tm
        elif nt == "review" and self.child.legal_status != "care_and_support":
            w = fam.iro
        elif nt in ("phone_call", "referral", "contact") and rng.random() < 0.4:
            w = rng.choice(fam.duty)
        else:
            w = fam.sw[min(len(fam.sw) - 1, int((d - fam.start).days / max(1, (fam.end - fam.start).days) * len(fam.sw)))]
        self.comp.worker_name = w.name
        self.cur_style = w.style
        self.bullets = w.style.terse and rng.random() < w.style.bullets
        style = self.style if self.alt_style is None or rng.random() < 0.6 else self.alt_style
        if planted is None:
            head, author, inline = header(style, rng, d, nt, w)
        else:
            head, author, inline = header(style, rng, d, nt, w, planted.tname, planted.code)
        self.cur_entry = len(self.entries)
        self.cur_nt = nt
        start = self.b.pos
        self.b.add(head)
        if not inline:
            self.b.add("\n")
        body_start = self.b.pos
        if planted is None:
            paras, extra = self.body(nt)
        else:
            paras, extra = self._planted_body(nt, planted)
        for i, p in enumerate(paras):
            if i:
                self.b.add(" " if inline else rng.choice(("\n", "\n\n", "\n\n")))
                if not inline:
                    self._noise()
            self._para(p, inline)
        end = self.b.pos
        e = {"start": start, "end": end, "body_start": body_start, "date": d.isoformat(), "author": author,
             "author_full": w.name, "author_role": w.role, "note_type": nt, "header_style": style, "register": "terse" if w.style.terse else "polished"}
        e.update(extra)
        self.entries.append(e)
        self.b.add("\n\n" if rng.random() < 0.85 else "\n\n\n")
        if not inline:
            self._noise()

    def _planted_body(self, nt: str, planted: Any) -> tuple[list[Para], dict[str, Any]]:
        """A planted statutory entry: its sentences (never restyled: terms must stay exact), then for a
        visit where the child was seen the generic body of a seen visit."""
        sents = [Sent([Part(t)], row(template=tid, decision=tid in DECISION_TEMPLATES)) for t, tid in planted.sents]
        paras = [Para(sents)]
        if nt == "assessment" and getattr(planted, "headed", False):
            paras = [Para([s]) for s in sents]  # one element per line
        extra: dict[str, Any] = {"statutory": planted.role}
        if planted.generic:
            more, more_extra = self.body(nt, seen=True)
            paras += more
            extra.update(more_extra)
        return paras, extra

    # ---- bodies per note type
    def body(self, nt: str, seen: bool | None = None) -> tuple[list[Para], dict[str, Any]]:
        rng, comp, child = self.rng, self.comp, self.child
        paras: list[Para] = []
        extra: dict[str, Any] = {}
        if nt in ("care_and_support_plan", "child_protection_plan"):
            level = rng.randint(1, 5)
            raw, factors = plan_body(comp, level)
            extra = {"plan_level": level, "plan_factors": factors}
            return [Para(self._style(p) if level <= 2 else p) for p in raw], extra
        first = [comp.opening(nt)]
        if seen is None:
            seen = nt in CONTACT_TYPES and rng.random() < 0.85
        if nt == "phone_call" and child.age >= 10 and rng.random() < 0.25:
            seen = True
        # voice
        voice: list[Sent] = []
        if seen:
            k = rng.choices((0, 1, 2, 3, 4), weights=(8, 35, 32, 17, 8))[0]
            if nt == "direct_work":
                k += 2
            voice = [comp.voice() for _ in range(k)]
        elif nt in CONTACT_TYPES or rng.random() < 0.15:
            voice = [comp.negative("voice_not_obtained")]
        negs = []
        nneg = rng.choices((0, 1, 2, 3, 4), weights=(10, 25, 30, 22, 13))[0]
        kinds = list(NEG_WEIGHTS)
        wts = [NEG_WEIGHTS[k] * (3 if (k == "teacher_view" and nt == "school_visit") or
                                 (k == "professional_view" and nt in ("strategy_discussion", "referral", "phone_call")) else 1)
               for k in kinds]
        for _ in range(nneg):
            negs.append(comp.negative(rng.choices(kinds, weights=wts)[0]))
        obs = comp.fillers("observations", rng.randint(0, 3) if nt == "home_visit" else rng.randint(0, 1))
        facts = [comp.negative("fact_about_child") for _ in range(rng.randint(0, 2))]
        mixed = negs + voice + facts
        rng.shuffle(mixed)
        paras.append(Para(self._style(first + obs)))
        # middle paragraphs
        while mixed:
            k = rng.randint(1, 4)
            paras.append(Para(self._style(mixed[:k])))
            mixed = mixed[k:]
        # family paragraph (copyable) or a copy from a sibling
        if nt in ("home_visit", "phone_call", "assessment", "supervision", "strategy_discussion", "review") and rng.random() < 0.45:
            copied = self._maybe_copy()
            if copied:
                paras.insert(rng.randint(1, len(paras)), copied)
            else:
                fam_sents = self._style(comp.fillers("family_paras", rng.randint(2, 3)))
                paras.insert(rng.randint(1, len(paras)), Para(fam_sents, pool="family"))
        if nt in ("home_visit", "assessment", "direct_work") and rng.random() < 0.25:
            paras.insert(min(1, len(paras)), self._child_para())
        if nt in ("assessment", "case_summary") and self.pool is not None:
            bg = self._background()
            if bg:
                paras.insert(min(1, len(paras)), bg)
        # decisions
        pdec = {"strategy_discussion": 0.95, "supervision": 0.9, "review": 0.8, "referral": 0.85, "case_summary": 0.6,
                "assessment": 0.6, "phone_call": 0.25, "home_visit": 0.12, "school_visit": 0.1, "direct_work": 0.03}.get(nt, 0.1)
        dec: list[Sent] = []
        for _ in range(1 + (rng.random() < 0.35)):
            if rng.random() < pdec:
                mode = rng.choices(("after", "before", "next", None), weights=(30, 9, 21, 40))[0]
                dec.extend(comp.decision(mode))
        if rng.random() < 0.15:
            dec.insert(0, comp.non_decision())
        if dec:
            paras.append(Para(self._style(dec)))
        if rng.random() < 0.7:
            paras.append(Para(self._style(comp.fillers("logistics", rng.randint(1, 2)))))
        return paras, extra

    # ---- sibling material
    def _child_para(self) -> Para:
        """A child-specific paragraph (name, pronoun, age slots) a later sibling's file may copy with leaks."""
        rng = self.rng
        items = bank("fillers")["child_paras"]
        idx = rng.sample(range(len(items)), rng.randint(2, 3))
        sents = [Sent([Part(t)], row(negative_kind="fact_about_child", template=f"fillers.child_paras:{i}"))
                 for i, t in ((i, cap(fill(items[i], self._cctx(self.child)))) for i in idx)]
        p = Para(sents, pool="child")
        p.copy_tpl = idx  # type: ignore[attr-defined]
        return p

    def _cctx(self, c: Child) -> dict[str, Any]:
        return {"N": c.name, "age": c.age, "he": c.he, "He": cap(c.he), "his": c.his, "His": cap(c.his),
                "yr": school_year(c.age), "school": self.fam.school}

    def _maybe_copy(self) -> Para | None:
        rng = self.rng
        fam_pool = [p for p in self.pool.family_paras if p["child_id"] != self.child.child_id]
        child_pool = [p for p in self.pool.child_paras if p["child_id"] != self.child.child_id]
        if not fam_pool and not child_pool or rng.random() < 0.45:
            return None
        if child_pool and (not fam_pool or rng.random() < 0.35):
            return self._leak_copy(rng.choice(child_pool))
        src = rng.choice(fam_pool)
        match = {"child_id": src["child_id"], "start": src["start"], "end": src["end"]}
        if rng.random() < 0.5:
            sents = [Sent(s.parts, {**s.row, "copy_kind": "verbatim"}) for s in src["sents"]]
            return Para(sents, copy={"kind": "verbatim", "match": match, "similarity": 1.0})
        sents, n = self._near(src["sents"])
        return Para(sents, copy={"kind": "near_verbatim", "match": match, "edits": n})

    def _near(self, sents: list[Sent]) -> tuple[list[Sent], int]:
        rng = self.rng
        out = [s.text for s in sents]
        n = 0
        edits = _NEAR_EDITS[:]
        rng.shuffle(edits)
        for a, b in edits:
            if n >= rng.randint(1, 3):
                break
            cand = [i for i, t in enumerate(out) if re.search(rf"\b{re.escape(a.strip())}\b", t)]
            if cand:
                i = rng.choice(cand)
                out[i] = re.sub(rf"\b{re.escape(a.strip())}\b", b.strip(), out[i], count=1)
                n += 1
        if n == 0:
            out.append(rng.choice(("This was discussed again today.", "No change since last time.", "Mam confirmed this.")))
            n = 1
        return [Sent([Part(t)], row(copy_kind="near_verbatim", template=(sents[min(i, len(sents) - 1)].row.get("template"))))
                for i, t in enumerate(out)], n

    def _leak_copy(self, src: dict[str, Any]) -> Para:
        """Copy a sibling's child paragraph, adapted to this child but leaving one trace of the sibling."""
        rng = self.rng
        sib = next(c for c in self.fam.children if c.child_id == src["child_id"])
        me = self.child
        items = bank("fillers")["child_paras"]
        tpls = [items[i] for i in src["tpl"]]
        options = []
        for ti, t in enumerate(tpls):
            _, slots = fill_tracked(t, self._cctx(me))
            for si, (slot, _, _) in enumerate(slots):
                if slot == "N" and sib.name != me.name:
                    options.append((ti, si, "sibling_name"))
                elif slot in ("he", "He", "his", "His") and sib.gender != me.gender:
                    options.append((ti, si, "pronoun"))
                elif slot == "age" and sib.age != me.age:
                    options.append((ti, si, "age"))
        leak = rng.choice(options) if options else None
        sents = []
        for ti, (t, i) in enumerate(zip(tpls, src["tpl"])):
            text, slots = fill_tracked(t, self._cctx(me))
            r = row(negative_kind="fact_about_child", copy_kind="name_leak", template=f"fillers.child_paras:{i}")
            if leak and leak[0] == ti:
                slot, a, z = slots[leak[1]]
                sctx = self._cctx(sib)
                val = str(sctx[slot])
                found = cap(val) if a == 0 else val
                expected = text[a:z]
                parts = [Part(cap(text[:a]) if a else ""), Part(found, "name_leak", {"kind": leak[2], "detail":
                         f"'{found}' belongs to {sib.name}; expected '{expected}' for {me.name}"}), Part(text[z:])]
                sents.append(Sent([p for p in parts if p.text], r))
            else:
                sents.append(Sent([Part(cap(text))], r))
        same = leak is None and all(fill(t, self._cctx(me)) == fill(t, self._cctx(sib)) for t in tpls)
        kind = "name_leak" if leak else ("verbatim" if same else "near_verbatim")
        return Para(sents, copy={"kind": kind, "match": {"child_id": sib.child_id, "start": src["start"], "end": src["end"]}})

    def _background(self) -> Para | None:
        pool = self.pool
        if pool.background is None:
            comp = self.comp
            rng = self.rng
            sents = comp.fillers("family_paras", rng.randint(2, 4))
            sents.insert(0, Sent([Part(rng.choice(("Family background:", "Background -", "Family history.", "Background to the referral:")))],
                                 row(template="fillers.background_head")))
            pool.background = {"pending": True, "sents": sents}
            p = Para(sents)
            p.is_background = True  # type: ignore[attr-defined]
            return p
        bg = pool.background
        if bg.get("pending") or bg["child_id"] == self.child.child_id:
            return None
        sents = [Sent(s.parts, {**s.row, "copy_kind": "shared_background"}) for s in bg["sents"]]
        return Para(sents, copy={"kind": "shared_background",
                                 "match": {"child_id": bg["child_id"], "start": bg["start"], "end": bg["end"]}})

    # ---- whole file
    def write(self, sched: list[tuple[Any, ...]]) -> str:
        """The file's text: a preamble, then one entry per ``(date, note type[, planted])`` item."""
        rng, c = self.rng, self.child
        self.preamble_id = str(rng.randint(100000, 999999))
        title = rng.choice(("CASE NOTES EXPORT", "Case recording - chronological", "Children's Services - Case Notes",
                            "Gwasanaethau Plant / Children's Services", "WCCIS case note report"))
        dob = c.dob.strftime("%d/%m/%Y")
        pre = [title, f"Child: {c.name} {c.surname}" if rng.random() < 0.5 else f"Name: {c.name} {c.surname}",
               f"ID: {self.preamble_id}" if rng.random() < 0.5 else f"Person ID {self.preamble_id}", f"DOB: {dob}"]
        if rng.random() < 0.4:
            pre.append(f"Legal status: {c.legal_status.replace('_', ' ')}")
        self.b.add("\n".join(pre) + "\n\n")
        order = sched if rng.random() < 0.9 else list(reversed(sched))
        for item in order:
            self.entry(*item)
        return self.b.text()
