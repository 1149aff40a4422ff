"""The self-contained HTML case report: one section per child, for supervision.

Input is case records — :class:`~notes_qa.records.CaseRecord` objects (which carry their source
texts) or contract dicts read from JSON Lines (whose texts are re-read from
``entries[i].source`` where that file is present and unchanged). The report shows only what the
records and their own sources hold: no other files are opened, and paths appear exactly as the
records name them.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from ..records import CaseRecord, ErrorRecord
from ..store.flatten import case_dict, is_error, record_sources
from . import spans as spanview
from .html import escape, fmt_score, fmt_share, page
from .svg import TimelinePoint, timeline

SEVERITY_ORDER = {"concern": 0, "warning": 1, "info": 2}
Record = CaseRecord | ErrorRecord | Mapping[str, Any]


def load_thresholds(path: str | Path | None = None) -> dict[str, dict[str, Any]]:
    """Scorecard measures and thresholds: the packaged file, or the user's own JSON file."""
    from ..resources import load_rules

    data = load_rules(str(path) if path else "default", "notes_qa.reports.data", "thresholds.json")
    measures = data.get("measures") if isinstance(data, dict) else None
    if not isinstance(measures, dict):
        raise ValueError("thresholds file needs a 'measures' object")
    for key, m in measures.items():
        unknown = set(m) - {"label", "help", "threshold", "direction", "format"}
        if unknown:
            raise ValueError(f"thresholds: unknown keys for {key}: {sorted(unknown)}")
        if m.get("direction") not in ("higher", "lower"):
            raise ValueError(f"thresholds: {key}.direction must be 'higher' or 'lower'")
    return measures


def stylesheet() -> str:
    from ..resources import read_text

    return read_text("notes_qa.reports.data", "report.css")


def assess(value: float | None, measure: Mapping[str, Any]) -> str:
    """'met', 'not-met' or 'na' for a value against a measure's threshold."""
    if value is None or measure.get("threshold") is None:
        return "na"
    t = float(measure["threshold"])
    ok = value >= t if measure.get("direction") == "higher" else value <= t
    return "met" if ok else "not-met"


def _fmt(value: float | None, measure: Mapping[str, Any]) -> str:
    return fmt_share(value) if measure.get("format") == "share" else fmt_score(value)


def _iso(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def read_sources(case: Mapping[str, Any], base_dirs: Sequence[Path] = ()) -> dict[str, str]:
    """Texts of a contract dict's document sources, re-read where present and unchanged.

    A source counts as unchanged when every span's ``text`` equals its slice. Table-row sources
    (``TABLE#ROW``) are not re-read: their spans are listed without surrounding text.
    """
    from ..errors import InputError
    from ..readers import read_document

    out: dict[str, str] = {}
    for src in {e.get("source") for e in case.get("entries") or [] if e.get("source")}:
        if "#" in src:
            continue
        candidates = [Path(src)] + [b / src for b in base_dirs if not Path(src).is_absolute()]
        for cand in candidates:
            if cand.is_file():
                try:
                    out[src] = read_document(cand)
                except (InputError, OSError, ValueError):
                    pass
                break
    entries = case.get("entries") or []
    for s in case.get("spans") or []:
        i = s.get("entry")
        if not isinstance(i, int) or not 0 <= i < len(entries):
            continue
        src = entries[i].get("source")
        text = out.get(src)
        if text is not None and text[s.get("start", 0):s.get("end", 0)] != s.get("text"):
            out.pop(src)  # changed since it was scored: do not show a misleading text
    return out


class _Case:
    """One case prepared for rendering: contract dict, sources, index in the report."""

    def __init__(self, index: int, rec: CaseRecord | Mapping[str, Any],
                 sources: Mapping[str, str] | None) -> None:
        self.index = index
        self.d = case_dict(rec)
        self.sources = record_sources(rec) or dict(sources or {})
        self.name = self.d.get("child_name") or self.d.get("child_id") or self.d.get("case_id") or "?"

    @property
    def cid(self) -> str:
        return str(self.d.get("case_id"))

    def entry_text(self, i: int) -> str | None:
        e = self.d["entries"][i]
        text = self.sources.get(e.get("source"))
        if text is None:
            return None
        return text[e.get("start", 0):e.get("end", 0)]

    def entry_date(self, i: int | None) -> str | None:
        if i is None or not 0 <= i < len(self.d["entries"]):
            return None
        return self.d["entries"][i].get("date")


def render_case_report(records: Iterable[Record], title: str = "Case notes quality report",
                       thresholds: Mapping[str, Mapping[str, Any]] | None = None,
                       sources: Mapping[str, str] | None = None, csp: bool = True) -> str:
    """The whole HTML report for one child or a family (or any set of records).

    ``sources`` supplies source texts for contract dicts (keyed by ``entries[i].source``);
    ``CaseRecord`` objects use their own. Error records are listed as inputs not read.
    """
    measures = dict(thresholds or load_thresholds())
    cases: list[_Case] = []
    errors: list[Mapping[str, Any]] = []
    for rec in records:
        if is_error(rec):
            errors.append(rec.to_dict() if isinstance(rec, ErrorRecord) else rec)  # type: ignore[arg-type]
        else:
            cases.append(_Case(len(cases), rec, sources))  # type: ignore[arg-type]
    by_id = {c.cid: c for c in cases}
    from .. import __version__

    parts = [f'<header class="top"><h1>{escape(title)}</h1>'
             f'<p>{len(cases)} case file{"s" if len(cases) != 1 else ""}'
             f'{" · " + str(len(errors)) + " input(s) not read" if errors else ""}'
             f' · notes-qa {escape(__version__)}</p></header><main>']
    if len(cases) > 1:
        parts.append(_overview(cases, measures))
    if errors:
        parts.append(_errors(errors))
    parts.append('<h3>How to read the highlights</h3>' + spanview.legend())
    for c in cases:
        parts.append(_case_section(c, by_id, measures))
    parts.append('<footer>Generated by notes-qa from the inputs named above only. Automated '
                 'checks support professional judgement; they do not replace it.</footer></main>')
    return page(title, "".join(parts), stylesheet(), csp=csp)


def write_case_report(path: str | Path, records: Iterable[Record], **kwargs: Any) -> Path:
    """Render and write the report atomically (``OUT.partial`` then rename)."""
    from ..atomic import write_text_atomic

    write_text_atomic(path, render_case_report(records, **kwargs))
    return Path(path)


def _overview(cases: Sequence[_Case], measures: Mapping[str, Mapping[str, Any]]) -> str:
    head = "".join(f'<th class="num">{escape(m.get("label", k))}</th>' for k, m in measures.items())
    rows = []
    for c in cases:
        cells = []
        for k, m in measures.items():
            v = (c.d.get("summary") or {}).get(k)
            cells.append(f'<td class="num"><span class="badge {assess(v, m)}">{_fmt(v, m)}</span></td>')
        n_con = sum(f.get("severity") == "concern" for f in c.d["findings"])
        rows.append(f'<tr><td><a href="#c{c.index}">{escape(c.name)}</a></td>'
                    f'<td><code>{escape(c.cid)}</code></td>{"".join(cells)}'
                    f'<td class="num">{len(c.d["findings"])} ({n_con} concern{"s" if n_con != 1 else ""})</td></tr>')
    return (f'<nav class="family"><h2>Children in this report</h2><table><thead><tr><th>Child</th>'
            f'<th>Case</th>{head}<th class="num">Points</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></nav>')


def _errors(errors: Sequence[Mapping[str, Any]]) -> str:
    items = "".join(f'<li><code>{escape(e.get("source"))}</code>: {escape(e.get("message"))} '
                    f'[{escape(e.get("error"))}]</li>' for e in errors)
    return f'<h2>Inputs not read</h2><ul class="errors">{items}</ul>'


def _case_section(c: _Case, by_id: Mapping[str, _Case],
                  measures: Mapping[str, Mapping[str, Any]]) -> str:
    d = c.d
    srcs = sorted({e.get("source") for e in d["entries"] if e.get("source")})
    dates = sorted(x for x in (e.get("date") for e in d["entries"]) if x)
    meta = [f'Case <code>{escape(c.cid)}</code>']
    if d.get("family_id"):
        meta.append(f'family <code>{escape(d["family_id"])}</code>')
    for key, lab in (("team", "team"), ("worker", "worker")):
        if d.get(key):
            meta.append(f"{lab} {escape(d[key])}")
    meta.append(f'{len(d["entries"])} entries'
                + (f' from {escape(dates[0])} to {escape(dates[-1])}' if dates else ""))
    src_list = ", ".join(f"<code>{escape(s)}</code>" for s in srcs[:8])
    if len(srcs) > 8:
        src_list += f" and {len(srcs) - 8} more"
    return (f'<section class="case" id="c{c.index}"><h2>{escape(c.name)}</h2>'
            f'<p class="meta">{" · ".join(meta)}<br>Source{"s" if len(srcs) != 1 else ""}: '
            f'{src_list or "–"}</p>'
            f'{_scorecard(c, measures)}{_points(c)}{_timeline(c)}{_copies(c, by_id)}{_notes(c)}'
            f'</section>')


def _scorecard(c: _Case, measures: Mapping[str, Mapping[str, Any]]) -> str:
    cards = []
    summary = c.d.get("summary") or {}
    for key, m in measures.items():
        v = summary.get(key)
        v = float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None
        status = assess(v, m)
        scale = 1.0 if m.get("format") == "share" else 100.0
        t = m.get("threshold")
        sign = "≥" if m.get("direction") == "higher" else "≤"
        word = {"met": "meets the threshold", "not-met": "below the threshold"
                if m.get("direction") == "higher" else "above the threshold",
                "na": "not applicable"}[status]
        meter = ""
        if v is not None:
            w = max(0.0, min(1.0, v / scale)) * 100
            tick = f'<i style="left:{max(0.0, min(1.0, float(t) / scale)) * 100:.1f}%"></i>' if t is not None else ""
            meter = f'<div class="meter"><span style="width:{w:.1f}%"></span>{tick}</div>'
        cards.append(
            f'<div class="card {status}" data-measure="{escape(key)}"><div class="name">'
            f'{escape(m.get("label", key))}</div><div class="value">{_fmt(v, m)}</div>{meter}'
            f'<div class="target">Threshold {sign} {_fmt(t, m) if t is not None else "–"} · '
            f'<span class="badge {status}">{word}</span></div>'
            f'<div class="help">{escape(m.get("help", ""))}</div></div>')
    return f'<h3>Scorecard</h3><div class="scorecard">{"".join(cards)}</div>'


def _points(c: _Case) -> str:
    findings = list(enumerate(c.d["findings"]))
    if not findings:
        return '<h3>Points for supervision</h3><p class="missing">No points raised.</p>'

    def key(item: tuple[int, Mapping[str, Any]]) -> tuple:
        _, f = item
        dt = c.entry_date(f.get("entry") if isinstance(f.get("entry"), int) else None)
        return (SEVERITY_ORDER.get(f.get("severity"), 3), dt or "9999", item[0])

    items = []
    for k, f in sorted(findings, key=key):
        i = f.get("entry") if isinstance(f.get("entry"), int) else None
        dt = c.entry_date(i)
        sev = f.get("severity") if f.get("severity") in SEVERITY_ORDER else "info"
        links = []
        if i is not None and 0 <= i < len(c.d["entries"]):
            links.append(f'<a href="#c{c.index}-e{i}">entry {i + 1}</a>')
        for s in f.get("spans") or []:
            if isinstance(s, int) and 0 <= s < len(c.d["spans"]):
                links.append(f'<a href="#c{c.index}-s{s}">“{escape(_short(c.d["spans"][s].get("text")))}”</a>')
        items.append(f'<li class="finding {sev}" data-code="{escape(f.get("code"))}">'
                     f'<span class="date">{escape(dt) if dt else "whole file"}</span> '
                     f'<span class="badge {sev}">{sev}</span> {escape(f.get("message"))}'
                     f'{" · " + ", ".join(links) if links else ""}</li>')
    return f'<h3>Points for supervision</h3><ol class="points">{"".join(items)}</ol>'


def _short(text: Any, n: int = 48) -> str:
    t = " ".join(str(text or "").split())
    return t if len(t) <= n else t[: n - 1] + "…"


def _entry_stats(c: _Case) -> list[dict[str, Any]]:
    from ..findings import is_direct_work, is_plan

    stats = [{"voice": 0, "dec": 0, "dec_r": 0, "copy": 0, "leak": 0, "plain": 0, "findings": 0}
             for _ in c.d["entries"]]
    for s in c.d["spans"]:
        i = s.get("entry")
        if not isinstance(i, int) or not 0 <= i < len(stats):
            continue
        lab = s.get("label")
        if lab == "child_voice":
            stats[i]["voice"] += 1
        elif lab == "decision":
            stats[i]["dec"] += 1
            stats[i]["dec_r"] += bool(s.get("has_rationale"))
        elif lab == "sibling_copy" and s.get("kind") != "shared_background":
            stats[i]["copy"] += 1
        elif lab == "name_leak":
            stats[i]["leak"] += 1
        elif lab == "plain_language":
            stats[i]["plain"] += 1
    for f in c.d["findings"]:
        i = f.get("entry")
        if isinstance(i, int) and 0 <= i < len(stats) and f.get("severity") in ("concern", "warning"):
            stats[i]["findings"] += 1
    for e, st in zip(c.d["entries"], stats):
        nt = e.get("note_type")
        st["direct"] = is_direct_work(nt)
        st["plan"] = is_plan(nt)
    return stats


def _timeline(c: _Case) -> str:
    stats = _entry_stats(c)
    points = []
    rows = []
    for i, (e, st) in enumerate(zip(c.d["entries"], stats)):
        dt = _iso(e.get("date"))
        cat = ("voice" if st["voice"] else "no_voice") if st["direct"] else (
            "plan" if st["plan"] else "other")
        kind = (e.get("note_type") or "entry").replace("_", " ")
        if dt:
            points.append(TimelinePoint(dt, cat, f"#c{c.index}-e{i}",
                                        f"{dt.isoformat()} {kind}"
                                        + (f" — {e.get('author')}" if e.get("author") else ""),
                                        flagged=st["findings"] > 0))
        score = (e.get("scores") or {}).get("plain_language")
        dec = f'{st["dec_r"]}/{st["dec"]}' if st["dec"] else "–"
        rows.append(
            f'<tr><td><a href="#c{c.index}-e{i}">{i + 1}</a></td><td>{escape(e.get("date") or "undated")}</td>'
            f'<td>{escape(kind)}</td><td>{escape(e.get("author") or "–")}</td>'
            f'<td class="num">{st["voice"] if st["direct"] or st["voice"] else "–"}</td>'
            f'<td class="num">{dec}</td><td class="num">{st["copy"] or "–"}</td>'
            f'<td class="num">{st["leak"] or "–"}</td>'
            f'<td class="num">{fmt_score(score) if isinstance(score, (int, float)) else "–"}</td>'
            f'<td class="num">{st["findings"] or "–"}</td></tr>')
    svg = timeline(points, label=f"Timeline of entries for {c.name}")
    key = ('<ul class="legend"><li><span class="swatch" style="background:#2e7d32"></span>visit / '
           'direct work with the child\'s voice</li><li><span class="swatch" style="background:'
           '#c62828"></span>visit / direct work without it</li><li><span class="swatch" style='
           '"background:#f9a825"></span>plan</li><li><span class="swatch" style="background:'
           '#78909c"></span>other entry</li><li>▼ warning or concern raised</li></ul>')
    return (f'<h3>Timeline</h3>{svg}{key if points else ""}<table class="timeline"><thead><tr>'
            '<th>#</th><th>Date</th><th>Type</th><th>Author</th><th class="num">Voice</th>'
            '<th class="num">Decisions with reason</th><th class="num">Copied</th>'
            '<th class="num">Name leaks</th><th class="num">Plain language</th>'
            f'<th class="num">Points</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')


def _context(text: str, a: int, b: int, lo: int, hi: int, width: int = 160) -> str:
    """``text[a:b]`` marked, with up to ``width`` characters of context within [lo, hi)."""
    s, e = max(lo, a - width), min(hi, b + width)
    pre = ("…" if s > lo else "") + text[s:a]
    post = text[b:e] + ("…" if e < hi else "")
    return f'{escape(pre)}<mark>{escape(text[a:b])}</mark>{escape(post)}'


def _copies(c: _Case, by_id: Mapping[str, _Case]) -> str:
    copies = [(k, s) for k, s in enumerate(c.d["spans"]) if s.get("label") == "sibling_copy"]
    if not copies:
        return ""
    blocks = []
    for k, s in copies:
        i = s.get("entry")
        m = s.get("match") if isinstance(s.get("match"), Mapping) else {}
        kind = str(s.get("kind") or "").replace("_", " ")
        sim = s.get("similarity")
        title = (f'{escape(kind or "copied")}' + (f", similarity {sim:.2f}" if isinstance(sim, (int, float)) else ""))
        left_text = c.entry_text(i) if isinstance(i, int) and 0 <= i < len(c.d["entries"]) else None
        if left_text is not None:
            e = c.d["entries"][i]
            full = c.sources[e["source"]]
            left = _context(full, s["start"], s["end"], e["start"], e["end"])
        else:
            left = f'<mark>{escape(s.get("text"))}</mark>'
        other = by_id.get(str(m.get("case_id"))) if m else None
        if other is None:
            right = (f'<div class="missing">{escape(m.get("case_id") or "The sibling")}’s file is not '
                     'among the inputs of this report; run the report on the whole family to see '
                     'the passage side by side.</div>')
            who = escape(m.get("case_id") or "sibling")
        else:
            j = m.get("entry")
            who = f'<a href="#c{other.index}">{escape(other.name)}</a>'
            text_j = other.entry_text(j) if isinstance(j, int) and 0 <= j < len(other.d["entries"]) else None
            if text_j is None:
                right = '<div class="missing">The sibling’s text is not available.</div>'
            else:
                ej = other.d["entries"][j]
                right = (f'<a href="#c{other.index}-e{j}">{escape(ej.get("date") or "undated entry")}</a>'
                         f'<div class="ctx">{_context(other.sources[ej["source"]], int(m["start"]), int(m["end"]), ej["start"], ej["end"])}</div>')
        d_left = c.entry_date(i) if isinstance(i, int) else None
        blocks.append(
            f'<div class="copy" data-span="{k}"><div class="meta">{title}</div><div class="pair">'
            f'<div><div class="who">{escape(c.name)}</div><a href="#c{c.index}-s{k}">'
            f'{escape(d_left or "undated entry")}</a><div class="ctx">{left}</div></div>'
            f'<div><div class="who">{who}</div>{right}</div></div></div>')
    return f'<h3>Passages also in a sibling’s file</h3>{"".join(blocks)}'


def _notes(c: _Case) -> str:
    by_entry: dict[int, list[tuple[int, Mapping[str, Any]]]] = {}
    for k, s in enumerate(c.d["spans"]):
        if isinstance(s.get("entry"), int):
            by_entry.setdefault(s["entry"], []).append((k, s))
    out = ['<h3>The notes, highlighted</h3>']
    for i, e in enumerate(c.d["entries"]):
        spans = by_entry.get(i, [])
        text = c.entry_text(i)
        kind = (e.get("note_type") or "entry").replace("_", " ")
        head = (f'<b>{escape(e.get("date") or "Undated")}</b> {escape(kind)}'
                + (f' · {escape(e.get("author"))}' if e.get("author") else "")
                + f' · <code>{escape(e.get("source"))}</code>')
        if text is not None:
            body = spanview.render_text(text, int(e.get("start", 0)), spans, f"c{c.index}-s")
        else:
            listed = "".join(
                f'<li>{spanview.render_text(str(s.get("text") or ""), int(s.get("start", 0)), [(k, s)], f"c{c.index}-s")}</li>'
                for k, s in spans)
            body = ('<span class="missing">The source text is not available here; the highlighted '
                    f'passages are listed.</span><ul>{listed}</ul>')
        out.append(f'<article class="entry" id="c{c.index}-e{i}"><div class="head">{head}</div>'
                   f'<div class="text">{body}</div></article>')
    return "".join(out)


def load_results(paths: Sequence[str | Path]) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Records from results files, and the texts of their sources that can be re-read."""
    from ..store.flatten import read_jsonl

    records: list[dict[str, Any]] = []
    texts: dict[str, str] = {}
    for p in paths:
        base = Path(p).resolve().parent
        for rec in read_jsonl(p):
            records.append(rec)
            if not is_error(rec):
                texts.update(read_sources(rec, [base]))
    return records, texts


__all__ = ["render_case_report", "write_case_report", "load_thresholds", "load_results",
           "read_sources", "assess"]
