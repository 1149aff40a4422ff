"""The six statutory-practice checks, run over one case record with one rule set.

Each entry is prepared once (``EntryView``: date, lower-cased text, kinds); each check then reads
the views it needs. "Now" is the file's last dated entry, never today's date, so results do not
change from day to day.
"""
from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Iterable

from ..findings import is_direct_work
from ..records import CaseRecord, Finding, Span
from .calendar import add_months, add_working_days, age_on, parse_iso
from .ruleset import KIND_ORDER, Cues, RuleSet, number, snake_note_type

_SENT_END = re.compile(r"[.!?;\n]")
_NEG_BEFORE = re.compile(r"(?:\bnot|n't|\bnever)\s+(?:been\s+)?$")
_ALONE = re.compile(r"\s+alone\b")
_ALONE_OWN = re.compile(r"\s+(?:alone|on (?:her|his|their) own)\b")
_WORD = re.compile(r"\w+")
_NUM_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "ten": 10, "fifteen": 15,
              "twenty": 20}
_STATUS_ALIASES = {
    "looked_after": "looked_after", "lac": "looked_after", "cla": "looked_after",
    "child_looked_after": "looked_after", "looked_after_child": "looked_after", "in_care": "looked_after",
    "care_order": "looked_after", "child_protection": "child_protection", "cp": "child_protection",
    "cpp": "child_protection", "child_protection_plan": "child_protection", "on_cpr": "child_protection",
    "care_and_support": "care_and_support", "care_and_support_plan": "care_and_support",
    "cs": "care_and_support", "child_in_need": "care_and_support", "cin": "care_and_support",
}


@dataclass(slots=True)
class EntryView:
    """One entry as the checks see it.

    ``low`` is lower-cased entry by entry: for a source that is not all ASCII, CPython's
    ``str.lower`` takes a transient buffer of 12 bytes per character, so lower-casing a whole
    50-million-character export at once costs 600 MB for a moment.
    """

    index: int
    date: dt.date | None
    low: str  # the entry's text, lower-case
    start: int  # where the entry starts in its source
    body_offset: int  # where the body starts within ``low``
    kinds: frozenset[str] = frozenset()

    @property
    def body(self) -> str:
        """The entry's text after its header line(s), lower-case."""
        return self.low[self.body_offset:]


#: Field labels of export headers ("Date of contact: ... | Contact type: ..."): blanked before the
#: header cues run, so the label's words ("contact") do not make every entry a referral contact.
_FIELD_LABEL = re.compile(
    r"\b(?:date|time|type|mode|method|form|reason|record) of (?:contact|visit|note|entry|recording)\s*[:\-]"
    r"|\b(?:contact|visit|note|entry|case note|activity|recording|event) (?:type|date|time|id|no\.?|number|"
    r"method|mode|form|reason|subject)\s*[:\-]"
    r"|\b(?:date|time|type|subject|title|activity|category)\s*:")
#: Author fields and parenthesised roles ("Recorded by: Ann Bell (Duty SW)", "(Rhys J, duty)").
_AUTHOR_FIELD = re.compile(
    r"\b(?:recorded|written|entered|completed|created|authored) by\s*:?[^|\t\n]*"
    r"|\b(?:worker|author|practitioner|social worker|staff|user)\s*:[^|\t\n]*"
    r"|\([^()\n]{0,60}\b(?:sw|social worker|tm|team manager|manager|iro|duty|worker|officer|practitioner|"
    r"fsw|student|senior|consultant|assistant|pa)\b[^()\n]{0,30}\)")
#: Cell separators of one-line exports ("date<TAB>type<TAB>author<TAB>text", "date | type | text").
_CELL = re.compile(r"\t| \| ")
_NON_SPACE = re.compile(r"\S")


def _type_kinds(rules: RuleSet, raw: str | None, cache: dict[str | None, tuple[str, frozenset[str]]]
                ) -> tuple[str, frozenset[str]]:
    """The snake_case note type and the kinds it gives by itself (cached per record)."""
    hit = cache.get(raw)
    if hit is None:
        nt = snake_note_type(raw)
        kinds = frozenset(k for k in KIND_ORDER if nt and (
            nt in rules.kinds[k].note_types or (k == "visit" and is_direct_work(nt))))
        hit = cache[raw] = (nt, kinds)
    return hit


def _split_one_line(low: str, body_off: int) -> int:
    """Where the body starts in an entry whose header line holds the whole note (table exports).

    The segmenter puts the body after the header line; when the note is on that same line
    (``27/02/2023<TAB>Home visit<TAB>A Worker<TAB>Seen Cai ...``) the body would be empty, the
    assessment would go unchecked and its words would read as header words. The body then starts
    after the last cell separator in the line's first 200 characters.
    """
    if not body_off or _NON_SPACE.search(low, body_off):
        return body_off
    cuts = [m.end() for m in _CELL.finditer(low, 0, min(body_off, 200))]
    return cuts[-1] if cuts else body_off


def _clean_header(header: str, author: str | None) -> str:
    """The header's words less field labels and authors, for the header cues."""
    if author:
        header = header.replace(author.lower(), " ")
    colon = ":" in header
    if colon or "(" in header or " by" in header:  # the regexes cost more than these finds
        header = _AUTHOR_FIELD.sub(" ", header)
    return _FIELD_LABEL.sub(" ", header) if colon else header


def _views(record: CaseRecord, rules: RuleSet) -> list[EntryView]:
    """Each entry's lower-cased text, date, body offset and kinds (equal kind sets are shared).

    An entry's kinds come from its normalised note type first (``entry_kinds.*.note_types`` in
    the rules; any direct-work type (:func:`notes_qa.findings.is_direct_work`) is a visit), then
    from cues in its header, read without field labels and author names.
    """
    kinds_rules = rules.kinds
    header_rules = [(k, kinds_rules[k]) for k in KIND_ORDER
                    if kinds_rules[k].include is not None or kinds_rules[k].note_types]
    views = []
    type_cache: dict[str | None, tuple[str, frozenset[str]]] = {}
    kind_sets: dict[frozenset[str], frozenset[str]] = {}
    for i, e in enumerate(record.entries):
        low = record.sources[e.source][e.start:e.end].lower()
        if e.body_start is not None and e.start <= e.body_start <= e.end:
            body_off = e.body_start - e.start
        else:
            nl = low.find("\n")
            body_off = nl + 1 if 0 <= nl < 200 else 0
        body_off = _split_one_line(low, body_off)
        header = low[:body_off] if body_off else low.split("\n", 1)[0][:160]
        nt, typed = _type_kinds(rules, e.note_type, type_cache)
        kind_text = f"{nt.replace('_', ' ')} | {_clean_header(header, e.author)}"
        kinds: set[str] = set()
        for k, rule in header_rules:
            if k in typed:
                if not rule.excluded(kind_text):
                    kinds.add(k)
            elif rule.test(kind_text):
                kinds.add(k)
        if "visit" in kinds:
            kinds.discard("contact")
        if kinds & {"assessment", "conference_start"}:
            kinds.add("response")
        # Events written in the body rather than the header (e.g. "name removed from the register").
        body = low[body_off:]
        if "conference_end" not in kinds and kinds_rules["conference_end"].test(body):
            kinds.add("conference_end")
        if ("conference_start" not in kinds and not kinds & {"visit", "contact", "assessment"}
                and kinds_rules["conference_start"].test(body)):
            kinds.update(("conference_start", "response"))
        if ("placement_start" not in kinds and not kinds & {"visit", "assessment", "plan_or_review"}
                and kinds_rules["placement_start_body"].test(body[:300])):
            kinds.add("placement_start")
        frozen = frozenset(kinds)
        views.append(EntryView(i, parse_iso(e.date), low, e.start, body_off,
                               kind_sets.setdefault(frozen, frozen)))
    return views


def normalise_status(value: str | None) -> str | None:
    """The contract's legal_status values from common spellings (None when unknown)."""
    if not value:
        return None
    key = re.sub(r"[\s\-/]+", "_", value.strip().lower())
    return _STATUS_ALIASES.get(key, key)


def _now(views: list[EntryView]) -> dt.date | None:
    dates = [v.date for v in views if v.date]
    return max(dates) if dates else None


def _fmt(d: dt.date | None) -> str:
    return d.isoformat() if d else "an undated entry"


def child_name_variants(record: CaseRecord) -> list[str]:
    """Lower-case ways the notes may name the child: first name, hyphen parts, initials."""
    out: set[str] = set()
    name = (record.meta.child_name or "").strip()
    if name:
        first = name.split()[0]
        out.add(first.lower())
        parts = [p for p in re.split(r"-", first) if p]
        if len(parts) > 1:
            out.update(p.lower() for p in parts)
            out.add("-".join(p[0] for p in parts).lower())
            out.add("".join(p[0] for p in parts).lower())
    out.update(n.lower() for n in record.meta.nicknames if n)
    return sorted(out, key=len, reverse=True)


def words_pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    """One regex for any of ``words`` as whole words (hyphens count as word characters)."""
    ws = sorted({w for w in words if w}, key=len, reverse=True)
    if not ws:
        return None
    return re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, ws)) + r")(?![\w-])")


def _has_word(text: str, pat: re.Pattern[str] | None) -> bool:
    return pat is not None and pat.search(text) is not None


# --------------------------------------------------------------------------- visits

def child_seen(view: EntryView, rules: RuleSet, names: list[str],
               pats: tuple[re.Pattern[str] | None, re.Pattern[str] | None] | None = None
               ) -> tuple[bool, str]:
    """Whether the child was seen on this visit, and how sure: 'stated', 'not_seen' or 'assumed'.

    A "seen" whose subject is the child (name, initials, or 'child'/'he'/'she' ...) counts;
    "not seen alone" still counts as seen. Otherwise any no-reply / not-seen marker means
    the visit does not count; with neither, the visit is assumed to have seen the child.
    """
    c = rules.compiled
    text = view.body if view.body.strip() else view.low
    subj_pat, name_pat = pats or (words_pattern(names + c["subject_words"]), words_pattern(names))
    for m in c["seen_word"].finditer(text):
        before = text[max(0, m.start() - 70):m.start()]
        cut = max((x.end() for x in _SENT_END.finditer(before)), default=0)
        before = before[cut:]
        after = text[m.end():m.end() + 40]
        stop = _SENT_END.search(after)
        after = after[:stop.start()] if stop else after
        negated = _NEG_BEFORE.search(before)
        if negated and not _ALONE.match(after):
            continue
        if _has_word(before, subj_pat) or _has_word(after, name_pat) or _ALONE_OWN.match(after) \
                or (not before.strip() and not names):
            return True, "stated"
    if c["seen_neg"] is not None and c["seen_neg"].test(text):
        return False, "not_seen"
    assume = rules.checks["visits"].get("child_seen", {}).get("assume_seen_without_markers", True)
    return bool(assume), "assumed"


def _overdue(code: str, sev: str, after: dt.date, due: dt.date, seen_on: dt.date | None,
             entry: int | None, rule: str, citation: str, basis: str) -> Finding:
    late = f"the next visit where the child was seen was on {seen_on.isoformat()}" if seen_on \
        else "no visit where the child was seen is recorded since"
    msg = (f"Statutory visit overdue: after {after.isoformat()} the child should have been seen by "
           f"{due.isoformat()} ({rule}); {late}.")
    extra = {"after": after.isoformat(), "due_by": due.isoformat(),
             "seen_on": seen_on.isoformat() if seen_on else None, "rule": rule,
             "citation": citation, "basis": basis}
    if seen_on:
        extra["days_late"] = (seen_on - due).days
    return Finding(code, sev, msg, entry=entry, extra=extra)


def check_visits(record: CaseRecord, views: list[EntryView], rules: RuleSet, status: str | None,
                 now: dt.date | None, names: list[str]) -> list[Finding]:
    if not rules.enabled("visits") or now is None or status not in ("looked_after", "child_protection"):
        return []
    cfg = rules.checks["visits"]
    seen: list[tuple[dt.date, int]] = []
    pats = (words_pattern(names + rules.compiled["subject_words"]), words_pattern(names))
    for v in views:
        if "visit" in v.kinds and v.date:
            ok, _how = child_seen(v, rules, names, pats)
            if ok:
                seen.append((v.date, v.index))
    seen.sort()
    if status == "looked_after":
        return _lac_visits(record, views, rules, cfg, seen, now)
    return _cp_visits(views, rules, cfg, seen, now)


def _lac_visits(record: CaseRecord, views: list[EntryView], rules: RuleSet, cfg: dict[str, Any],
                seen: list[tuple[dt.date, int]], now: dt.date) -> list[Finding]:
    lac = cfg.get("looked_after", {})
    code, sev = cfg["code"], cfg.get("severity", "warning")
    cite = lac.get("citation", "")
    first_days = int(number(lac.get("first_visit_days"), 7))
    year_days = int(number(lac.get("first_year_interval_days"), 42))
    year_months = int(number(lac.get("first_year_months"), 12))
    long_months = int(number(lac.get("long_term_interval_months"), 3))
    other_days = int(number(lac.get("other_interval_days"), 42))
    starts: list[dt.date] = []
    meta_start = parse_iso(record.meta.placement_start)
    if meta_start:
        starts.append(meta_start)
    for v in views:
        if "placement_start" in v.kinds and v.date and not any(abs((v.date - s).days) <= 3 for s in starts):
            starts.append(v.date)
    starts.sort()
    basis = "placement_start" if starts else "first_visit"
    if not starts:
        if not seen:
            return []
        starts = [seen[0][0]]
    long_term_from: dt.date | None = None
    lt = rules.compiled.get("long_term")
    lt_lit = rules.compiled.get("long_term_lit", ())
    if lt is not None:
        for v in views:
            if v.date and (not lt_lit or any(x in v.low for x in lt_lit)) and lt.test(v.low):
                long_term_from = v.date if long_term_from is None else min(long_term_from, v.date)
                break
    findings: list[Finding] = []
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else now
        if end < start:
            continue
        in_seg = [(d, i) for d, i in seen if start <= d <= end]
        year_end = add_months(start, year_months)
        if basis == "placement_start":
            due = start + dt.timedelta(days=first_days)
            rule = f"within {first_days} days of the placement starting on {start.isoformat()}: {lac.get('first_visit_days', {}).get('citation', cite)}"
            last = start
        else:
            if not in_seg:
                continue
            last = in_seg[0][0]
            in_seg = in_seg[1:]
            due, rule = _next_due(last, year_end, long_term_from, year_days, long_months, other_days, lac, cite)
        for d, i in in_seg:
            if d > due:
                findings.append(_overdue(code, sev, last, due, d, i, rule, cite, basis))
            last = d
            due, rule = _next_due(last, year_end, long_term_from, year_days, long_months, other_days, lac, cite)
        if end == now and now > due:
            findings.append(_overdue(code, sev, last, due, None, None, rule, cite, basis))
        elif end != now and end > due:
            findings.append(_overdue(code, sev, last, due, None, None, rule, cite, basis))
    return findings


def _next_due(last: dt.date, year_end: dt.date, long_term_from: dt.date | None, year_days: int,
              long_months: int, other_days: int, lac: dict[str, Any], cite: str) -> tuple[dt.date, str]:
    if last < year_end:
        c = lac.get("first_year_interval_days", {}).get("citation", cite)
        return last + dt.timedelta(days=year_days), f"at most {year_days} days apart in the first year of the placement: {c}"
    if long_term_from is not None and long_term_from <= last:
        c = lac.get("long_term_interval_months", {}).get("citation", cite)
        return add_months(last, long_months), f"at most {long_months} months apart after the first year where the placement is intended to last until 18: {c}"
    c = lac.get("other_interval_days", {}).get("citation", cite)
    return last + dt.timedelta(days=other_days), f"at most {other_days} days apart after the first year: {c}"


def plan_frequency(text: str, rules: RuleSet) -> tuple[int, str] | None:
    """A visiting frequency written in a conference entry: (n, 'working_days'|'days')."""
    for pat in rules.compiled.get("plan_freq", []):
        m = pat.search(text)
        if not m:
            continue
        g = m.groupdict()
        word = next((v for k, v in g.items() if k.startswith("word") and v), None)
        if word:  # weekly / week, fortnightly / fortnight
            return (7, "days") if word.lower().startswith("week") else (14, "days")
        n_raw = (g.get("n") or "").lower()
        n = int(n_raw) if n_raw.isdigit() else _NUM_WORDS.get(n_raw)
        unit = (g.get("unit") or "").lower()
        if not n:
            continue
        if unit.startswith("week"):
            return n * 7, "days"
        if unit in ("days",):
            return n, "days"
        return n, "working_days"
    return None


def _cp_visits(views: list[EntryView], rules: RuleSet, cfg: dict[str, Any],
               seen: list[tuple[dt.date, int]], now: dt.date) -> list[Finding]:
    cp = cfg.get("child_protection", {})
    code, sev = cfg["code"], cfg.get("severity", "warning")
    default_n = int(number(cp.get("interval_working_days"), 10))
    note = cp.get("interval_working_days", {}).get("note", "")
    events = sorted((v.date, v) for v in views if v.date and v.kinds & {"conference_start", "conference_end"})
    periods: list[tuple[dt.date, dt.date, EntryView]] = []
    open_start: tuple[dt.date, EntryView] | None = None
    for d, v in events:
        if "conference_start" in v.kinds and open_start is None:
            open_start = (d, v)
        elif "conference_end" in v.kinds and open_start is not None:
            periods.append((open_start[0], d, open_start[1]))
            open_start = None
    if open_start is not None:
        periods.append((open_start[0], now, open_start[1]))
    findings: list[Finding] = []
    for start, end, conf in periods:
        freq = plan_frequency(conf.low, rules)
        n, unit = freq if freq else (default_n, "working_days")
        source = "the child protection plan recorded at conference" if freq else "default plan parameter"
        unit_words = "working days" if unit == "working_days" else "days"
        rule = (f"every {n} {unit_words} from the initial conference on {start.isoformat()} "
                f"({source}; local practice under the Wales Safeguarding Procedures, not a legal timescale)")

        def step(d: dt.date) -> dt.date:
            return add_working_days(d, n) if unit == "working_days" else d + dt.timedelta(days=n)

        last, due = start, step(start)
        for d, i in seen:
            if not start < d <= end:
                continue
            if d > due:
                findings.append(_overdue(code, sev, last, due, d, i, rule, cp.get("citation", ""), note))
            last, due = d, step(d)
        if min(end, now) > due:
            findings.append(_overdue(code, sev, last, due, None, None, rule, cp.get("citation", ""), note))
    return findings


# --------------------------------------------------------------------------- assessment

def _sentence_around(text: str, pos: int) -> str:
    """The sentence (or line) of ``text`` holding ``pos``."""
    lo = max(text.rfind(". ", 0, pos), text.rfind("\n", 0, pos), text.rfind("; ", 0, pos)) + 1
    hi_c = [x for x in (text.find(". ", pos), text.find("\n", pos), text.find("; ", pos)) if x >= 0]
    return text[lo:min(hi_c) if hi_c else len(text)]


def check_assessments(record: CaseRecord, views: list[EntryView], rules: RuleSet,
                      names: list[str]) -> list[Finding]:
    if not rules.enabled("assessment"):
        return []
    cfg = rules.checks["assessment"]
    c = rules.compiled
    min_words = int(number(cfg.get("min_words"), 45))
    duties = cfg.get("child_duties")
    dob = parse_iso(record.meta.date_of_birth)
    out: list[Finding] = []
    for v in views:
        if "assessment" not in v.kinds:
            continue
        body = v.body if v.body.strip() else v.low
        if body.count(" ") + body.count("\n") + 1 < min_words and not (
                c.get("assess_done") is not None and c["assess_done"].test(v.low)):
            continue  # assessment admin (booking, allocation), unless it records a completed assessment
        present = [key for key, _label, pat in c["elements"] if pat is not None and pat.test(body)]
        missing = [(key, label) for key, label, _pat in c["elements"] if key not in present]
        when = _fmt(v.date)
        if missing:
            labels = ", ".join(label for _k, label in missing)
            out.append(Finding(cfg["code"], cfg.get("severity", "warning"),
                               f"Assessment on {when} does not address: {labels}.", entry=v.index,
                               extra={"date": v.date.isoformat() if v.date else None,
                                      "present": present, "missing": [k for k, _l in missing],
                                      "citation": cfg.get("citation", "")}))
        if duties and c.get("outcome") is not None:
            gaps = _child_duty_gaps(body, c, names, dob, v.date, duties)
            if gaps:
                out.append(Finding(duties.get("report_as", "assessment_child_duties_not_evidenced"),
                                   duties.get("severity", "info"),
                                   f"Assessment on {when} does not evidence: {', '.join(gaps)} (s.21(4)).",
                                   entry=v.index, extra={"missing": gaps, "citation": duties.get("citation", "")}))
    return out


def _child_duty_gaps(body: str, c: dict[str, Any], names: list[str], dob: dt.date | None,
                     on: dt.date | None, duties: dict[str, Any]) -> list[str]:
    gaps = []
    if c.get("dev") is not None and not c["dev"].test(body):
        gaps.append("the child's developmental needs")
    min_age = number(duties.get("child_outcomes_min_age"), 4)
    age = age_on(dob, on) if on else None
    want_child = (age is None or age >= min_age) and bool(names)
    child_pat = words_pattern(names + ["child", "young person", "yp"]) if want_child else None
    parent_found = c.get("parent") is None
    child_found = not want_child
    for n, m in enumerate(c["outcome"].finditer(body)):
        if n >= 40 or (parent_found and child_found):
            break
        sent = _sentence_around(body, m.start())
        parent_found = parent_found or c["parent"].test(sent)
        child_found = child_found or _has_word(sent, child_pat)
    if not parent_found:
        gaps.append("the outcomes the parents wish to achieve")
    if not child_found:
        gaps.append("the outcomes the child wishes to achieve")
    return gaps


# --------------------------------------------------------------------------- concerns

def check_concerns(views: list[EntryView], rules: RuleSet, now: dt.date | None) -> list[Finding]:
    if not rules.enabled("concerns") or now is None:
        return []
    cfg = rules.checks["concerns"]
    window = int(number(cfg.get("window_days"), 365))
    threshold = int(number(cfg.get("threshold"), 3))
    cats: dict[str, Cues | None] = rules.compiled.get("categories", {})
    contacts: dict[str, list[EntryView]] = {k: [] for k in cats}
    responses: list[EntryView] = []
    for v in views:
        if not v.date:
            continue
        if "contact" in v.kinds:
            for name, pat in cats.items():
                if pat is not None and pat.test(v.low):
                    contacts[name].append(v)
        elif "response" in v.kinds:
            responses.append(v)
    reviews = [v for v in views if v.date and "plan_or_review" in v.kinds and "contact" not in v.kinds]
    out: list[Finding] = []
    for name, items in contacts.items():
        if len(items) < threshold:
            continue
        pat = cats[name]
        answered = sorted([r.date for r in responses if r.date]
                          + [r.date for r in reviews if r.date and pat is not None and pat.test(r.low)])
        run: list[EntryView] = []
        flagged: list[EntryView] | None = None
        for k, v in enumerate(items):
            assert v.date is not None
            if run and any(run[-1].date <= a < v.date for a in answered):  # type: ignore[operator]
                run = []
            run.append(v)
            run = [r for r in run if (v.date - r.date).days <= window]  # type: ignore[operator]
            if len(run) >= threshold:
                nxt = items[k + 1].date if k + 1 < len(items) else now
                if not any(v.date <= a <= nxt for a in answered):  # type: ignore[operator]
                    flagged = list(run)
                else:
                    flagged = None
        if flagged:
            dates = [r.date.isoformat() for r in flagged if r.date]
            label = name.replace("_", " ")
            out.append(Finding(cfg["code"], cfg.get("severity", "concern"),
                               f"{len(flagged)} contacts about {label} between {dates[0]} and {dates[-1]} "
                               f"({', '.join(dates)}) with no assessment, strategy discussion or plan review "
                               f"following them.", entry=flagged[-1].index,
                               extra={"category": name, "dates": dates,
                                      "entries": [r.index for r in flagged],
                                      "window_days": window, "threshold": threshold,
                                      "basis": cfg.get("threshold", {}).get("note", ""),
                                      "citation": cfg.get("citation", "")}))
    return out


# --------------------------------------------------------------------------- jurisdiction

def _entries_holding(views: list[EntryView], order: list[int], literals: Iterable[str],
                     chunk: int = 1 << 16) -> dict[str, set[int]]:
    """For each literal, the views (indices from ``order``) whose ``low`` holds it.

    The entries' texts are joined into chunks of about ``chunk`` characters, so that each literal
    costs one C-speed ``str.find`` scan per chunk rather than a call per entry.
    """
    found: dict[str, set[int]] = {lit: set() for lit in literals}
    k = 0
    while k < len(order):
        starts: list[int] = []
        parts: list[str] = []
        size = 0
        while k < len(order) and size < chunk:
            starts.append(size)
            parts.append(views[order[k]].low)
            size += len(parts[-1]) + 1
            k += 1
        joined = "\x00".join(parts)  # no literal holds NUL, so none spans two entries
        first = k - len(parts)
        for lit, where in found.items():
            p = joined.find(lit)
            while p >= 0:
                j = bisect.bisect_right(starts, p) - 1
                where.add(order[first + j])
                p = joined.find(lit, starts[j + 1]) if j + 1 < len(starts) else -1
    return found


def check_jurisdiction(record: CaseRecord, views: list[EntryView], rules: RuleSet) -> list[Finding]:
    """Terms of the other jurisdiction, as evidence spans and one finding per term.

    The spans are the contract's ``plain_language`` spans (the contract's span labels are a fixed
    vocabulary): ``kind`` ``jurisdiction_term``, the right term as ``suggestion``, plus ``term``,
    ``advisory`` and the rule set's name.

    Each entry is searched on its own (text outside every entry, such as the export's preamble,
    is not searched), around its terms' literals; spans are added source by source, term by
    term, in text order.
    """
    if not rules.enabled("jurisdiction"):
        return []
    cfg = rules.checks["jurisdiction"]
    label = cfg.get("span_label", "plain_language")
    hits: dict[str, list[tuple[int, int]]] = {}
    terms = {t.id: t for t in rules.compiled.get("terms", [])}
    literals = {lit for t in terms.values() for lit in t.literals}
    by_source: dict[str, list[int]] = {}
    for i, e in enumerate(record.entries):
        by_source.setdefault(e.source, []).append(i)
    for name, idx in by_source.items():
        text = record.sources[name]
        idx.sort(key=lambda k: record.entries[k].start)
        holding = _entries_holding(views, idx, literals)
        for t in terms.values():
            if t.literals:
                where = set().union(*(holding[lit] for lit in t.literals))
                todo = [i for i in idx if i in where] if where else []
            else:
                todo = idx
            for i in todo:
                v = views[i]
                wins = literal_windows(v.low, t.literals, 40, 80) if t.literals else [(0, len(v.low))]
                for lo, hi in wins:
                    for m in t.pattern.finditer(text, v.start + lo, v.start + hi):
                        span = Span(label, i, m.start(), m.end(), m.group(0),
                                    {"kind": "jurisdiction_term", "term": t.id,
                                     "suggestion": t.suggestion, "advisory": t.advisory,
                                     "rules": rules.name})
                        hits.setdefault(t.id, []).append((i, record.add_span(span)))
    out: list[Finding] = []
    for tid, occ in hits.items():
        t = terms[tid]
        occ.sort()
        first_entry = occ[0][0]
        dates = sorted({_fmt(views[i].date) for i, _s in occ})
        found = record.spans[occ[0][1]].text
        where = f"on {', '.join(dates)}"
        if t.advisory:
            code, sev = cfg.get("advisory_code", "jurisdiction_term_advisory"), "info"
        else:
            code, sev = cfg["code"], cfg.get("severity", "warning")
        out.append(Finding(code, sev,
                           f"'{found}' {where} is not the term used in {rules.jurisdiction}: "
                           f"use '{t.suggestion}'.", entry=first_entry, spans=[s for _i, s in occ],
                           extra={"term": tid, "found": found, "suggestion": t.suggestion,
                                  "dates": dates, "citation": t.citation}))
    return out


# --------------------------------------------------------------------------- advocacy / active offer

def literal_windows(low: str, literals: tuple[str, ...], before: int = 120, after: int = 80
                    ) -> list[tuple[int, int]]:
    """Merged windows of ``low`` around each occurrence of any literal (C-speed ``str.find``).

    Regexes then run only inside these windows: a full regex scan of every entry costs more than
    the whole budget of the statutory checks.
    """
    spans: list[tuple[int, int]] = []
    for lit in literals:
        i = low.find(lit)
        while i >= 0:
            lo = low.rfind(" ", 0, max(0, i - before)) + 1
            spans.append((lo, min(len(low), i + len(lit) + after)))
            i = low.find(lit, i + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for lo, hi in spans:
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def _first_unnegated(pat: Cues | None, neg: re.Pattern[str] | None,
                     literals: tuple[str, ...], views: list[EntryView]) -> tuple[EntryView, re.Match[str]] | None:
    """The first match of ``pat`` in the file not preceded by a negation ('not offered')."""
    if pat is None:
        return None
    for v in views:
        wins = literal_windows(v.low, literals) if literals else [(0, len(v.low))]
        for lo, hi in wins:
            for m in pat.finditer(v.low, lo, hi):
                if neg is not None and neg.search(v.low[max(0, m.start() - 40):m.start()]):
                    continue
                return v, m
    return None


def check_advocacy(record: CaseRecord, views: list[EntryView], rules: RuleSet,
                   status: str | None, now: dt.date | None) -> list[Finding]:
    if not rules.enabled("advocacy"):
        return []
    cfg = rules.checks["advocacy"]
    if status not in cfg.get("applies_to", ["looked_after", "child_protection"]):
        return []
    c = rules.compiled
    child = _first_unnegated(c.get("adv_child"), c.get("adv_neg"), c.get("adv_lit", ()), views)
    parent = _first_unnegated(c.get("adv_parent"), c.get("adv_neg"), c.get("adv_lit", ()), views)
    status_words = status.replace("_", " ")
    if not child and not parent:
        return [Finding(cfg["code"], cfg.get("severity", "warning"),
                        f"No record (to {_fmt(now)}) that the child was offered advocacy or that the "
                        f"parent was told they may have someone of their choice support them "
                        f"({status_words} case).",
                        extra={"citation": cfg.get("citation", ""), "child_offer": False,
                               "parent_told": False})]
    out: list[Finding] = []
    pcode = cfg.get("partial_code")
    if pcode:
        dob = parse_iso(record.meta.date_of_birth)
        age = age_on(dob, now) if now else None
        min_age = number(cfg.get("child_offer_min_age"), 4)
        if not child and (age is None or age >= min_age):
            out.append(Finding(pcode, cfg.get("partial_severity", "info"),
                               f"The parent's right to support is recorded on {_fmt(parent[0].date) if parent else ''}"
                               f" but no active offer of advocacy to the child is recorded.",
                               entry=parent[0].index if parent else None,
                               extra={"child_offer": False, "parent_told": True}))
        if not parent and status == "child_protection":
            out.append(Finding(pcode, cfg.get("partial_severity", "info"),
                               f"Advocacy for the child is recorded on {_fmt(child[0].date) if child else ''}"
                               f" but not that the parent was told they may bring someone of their choice.",
                               entry=child[0].index if child else None,
                               extra={"child_offer": True, "parent_told": False}))
    return out


def check_active_offer(views: list[EntryView], rules: RuleSet, status: str | None,
                       now: dt.date | None) -> list[Finding]:
    if not rules.enabled("active_offer"):
        return []
    cfg = rules.checks["active_offer"]
    if status not in cfg.get("applies_to", [status]):
        return []
    c = rules.compiled
    if _first_unnegated(c.get("ao"), c.get("ao_neg"), c.get("ao_lit", ()), views):
        return []
    return [Finding(cfg["code"], cfg.get("severity", "warning"),
                    f"No record (to {_fmt(now)}) that a service in Welsh was offered without being "
                    f"asked (the Active Offer).", extra={"citation": cfg.get("citation", "")})]


# --------------------------------------------------------------------------- status

def infer_status(record: CaseRecord, views: list[EntryView]) -> tuple[str | None, str]:
    """The case's legal status: the metadata's, else inferred from the notes (and from where)."""
    s = normalise_status(record.meta.legal_status)
    if s:
        return s, "metadata"
    starts = [v for v in views if "conference_start" in v.kinds]
    ends = [v for v in views if "conference_end" in v.kinds]
    placements = [v for v in views if "placement_start" in v.kinds]
    if placements:
        return "looked_after", "inferred"
    if starts and (not ends or max(x.index for x in starts) > max(x.index for x in ends)):
        return "child_protection", "inferred"
    return None, "unknown"


def run_all(record: CaseRecord, rules: RuleSet) -> list[Finding]:
    """All enabled checks over one record, in a fixed order."""
    return _run(record, rules, _views(record, rules))


def _run(record: CaseRecord, rules: RuleSet, views: list[EntryView]) -> list[Finding]:
    now = _now(views)
    status, status_from = infer_status(record, views)
    names = child_name_variants(record)
    findings: list[Finding] = []
    findings += check_assessments(record, views, rules, names)
    findings += check_visits(record, views, rules, status, now, names)
    findings += check_concerns(views, rules, now)
    findings += check_jurisdiction(record, views, rules)
    findings += check_advocacy(record, views, rules, status, now)
    findings += check_active_offer(views, rules, status, now)
    for f in findings:
        f.extra.setdefault("rules", rules.name)
        if status_from == "inferred" and f.code in (rules.checks.get("visits", {}).get("code"),
                                                    rules.checks.get("advocacy", {}).get("code")):
            f.extra["legal_status_inferred"] = status
    record.extra.setdefault("statutory", {}).update(
        {"rules": rules.name, "now": now.isoformat() if now else None, "legal_status": status,
         "legal_status_from": status_from})
    return findings
