"""Statutory checks: cost against spacy.blank("en") + sentencizer (T) on the same text, and the
dev-set figure when ../shared/dev-set is present.

    .venv/bin/python benchmarks/bench_statutory.py [--score] [--repeat N] [--rules wales|england]
        [--scale N] [--corpus corpora/generated/shipped] [--limit N]

Budget: the checks' cost must be <= 0.1 T (their share of the end-to-end 3.3 T).
Two timings, the same procedure on both sides: the best of N whole passes over all files, and the
sum over files of each file's best of N (robust on a shared machine, where a whole pass is
often pre-empted by other processes). ``--corpus`` times a generated corpus (its .txt case
files, with their metadata) instead of the dev set.
Records are built with notes_qa.segmentation.segment when it exists, else a simple date-line
splitter defined here (benchmark harness only, not part of the package).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from notes_qa.records import CaseRecord, ChildMeta, Entry  # noqa: E402
from notes_qa.statutory import check_case, load_rule_set  # noqa: E402

DEV = ROOT.parent / "shared" / "dev-set" / "cases.jsonl"
_MON = {m: i + 1 for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug",
                                        "sep", "oct", "nov", "dec"])}
_DATE_LINE = re.compile(
    r"^(?:(?:mon|tue|wed|thu|fri|sat|sun)\w*\.?\s+)?"
    r"(?:(?P<d>\d{1,2})[./-](?P<m>\d{1,2})[./-](?P<y>\d{2,4})"
    r"|(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+(?P<mon>[A-Za-z]{3,9})\.?\s+(?P<y2>\d{4}))"
    r"\s*(?:[-–—|:,]\s*)?(?P<rest>.*)$", re.IGNORECASE)


def _iso(m: re.Match[str]) -> str | None:
    if m.group("d"):
        y = int(m.group("y"))
        y = y + 2000 if y < 100 else y
        return f"{y:04d}-{int(m.group('m')):02d}-{int(m.group('d')):02d}"
    mon = _MON.get(m.group("mon")[:3].lower())
    if not mon:
        return None
    return f"{int(m.group('y2')):04d}-{mon:02d}-{int(m.group('d2')):02d}"


def _note_type(rest: str) -> str | None:
    head = re.split(r"\s[-–—|(]\s?|[.(:]\s|\s\(|\|", rest, maxsplit=1)[0]
    head = re.sub(r"[^a-z0-9]+", "_", head.lower()).strip("_")
    return head or None


def split_entries(text: str, source: str) -> list[Entry]:
    """Harness-only segmentation: an entry starts at each line that begins with a date."""
    entries: list[Entry] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        m = _DATE_LINE.match(line.strip())
        if m and _iso(m):
            if entries:
                entries[-1].end = pos
            entries.append(Entry(source, pos, len(text), date=_iso(m), note_type=_note_type(m.group("rest")),
                                 body_start=pos + len(line)))
        pos += len(line)
    if not entries:
        entries.append(Entry(source, 0, len(text)))
    for e in entries:
        while e.end > e.start and text[e.end - 1] in "\n ":
            e.end -= 1
    return entries


def build_record(case: dict) -> CaseRecord:
    src = f"{case['id']}.txt"
    meta = ChildMeta(child_id=case["id"], child_name=case.get("child_name"), gender=case.get("gender"),
                     date_of_birth=case.get("date_of_birth") or None, legal_status=case.get("legal_status"))
    rec = CaseRecord(case_id=case["id"], meta=meta, sources={src: case["file_text"]})
    try:
        from notes_qa.segmentation import segment  # type: ignore[attr-defined]
        rec.entries = segment(case["file_text"], src).entries
    except (ImportError, AttributeError):
        rec.entries = split_entries(case["file_text"], src)
    return rec


CHECKS = {
    "visit_overdue": lambda c: bool(c["labels"].get("overdue_visits")),
    "assessment_missing_elements": lambda c: any(len(set(a.get("present", []))) < 5
                                                 for a in c["labels"].get("assessment_elements", [])),
    "english_legislation_in_wales": lambda c: bool(c["labels"].get("english_terms")),
    "advocacy_offer_not_recorded": lambda c: c["legal_status"] in ("child_protection", "looked_after")
    and not c["labels"].get("advocacy_offer_recorded"),
    "active_offer_not_recorded": lambda c: not c["labels"].get("active_offer_recorded"),
    "accumulating_concerns": lambda c: bool(c["labels"].get("repeat_referrals", {}).get("accumulating_concerns")),
}


def score(cases: list[dict], rules: str, verbose: bool = True) -> float:
    """Same case-level scoring as score.py's statutory task, in process (no CLI needed)."""
    found = {c["id"]: {f.code for f in check_case(build_record(c), rules=rules)} for c in cases}
    f1s = []
    for code, due in CHECKS.items():
        tp = fp = fn = 0
        for c in cases:
            g, p = due(c), code in found[c["id"]]
            tp += g and p
            fp += p and not g
            fn += g and not p
            if g != p and verbose:
                print(f"  {'FN' if g else 'FP'} {code} in {c['id']} ({c['legal_status']})")
        pr = tp / (tp + fp) if tp + fp else 0.0
        rc = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * pr * rc / (pr + rc) if pr + rc else 0.0
        f1s.append(f)
        print(f"{code}: due {tp + fn}/{len(cases)} P={pr:.3f} R={rc:.3f} F1={f:.3f}")
    mean = sum(f1s) / len(f1s)
    print(f"statutory checks (in-process harness): mean F1 over {len(f1s)} checks = {mean:.3f}")
    return mean


def corpus_cases(root: Path, limit: int | None) -> list[dict]:
    """Cases of a generated corpus (labels/cases.jsonl + its .txt docs) in the dev-set's shape."""
    out = []
    for line in (root / "labels" / "cases.jsonl").read_text(encoding="utf-8").splitlines():
        c = json.loads(line)
        if c.get("format") != "txt":
            continue
        m = c["meta"]
        out.append({"id": c["child_id"], "child_name": m.get("child_name"), "gender": m.get("gender"),
                    "date_of_birth": m.get("date_of_birth"), "legal_status": m.get("legal_status"),
                    "file_text": (root / c["text"]).read_text(encoding="utf-8")})
        if limit and len(out) >= limit:
            break
    return out


def _per_file_best(fn, items: list, repeat: int) -> float:
    """Sum over items of each item's best time of ``repeat`` calls."""
    total = 0.0
    for it in items:
        best = float("inf")
        for _ in range(repeat):
            t0 = time.perf_counter()
            fn(it)
            best = min(best, time.perf_counter() - t0)
        total += best
    return total


def _check_one(rs):
    def run(r: CaseRecord) -> None:
        r.spans.clear()
        check_case(r, rules=rs)
    return run


def bench(cases: list[dict], rules: str, repeat: int) -> None:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    texts = [c["file_text"] for c in cases]
    records = [build_record(c) for c in cases]
    rs = load_rule_set(rules)
    for t in texts:  # warm up both sides
        nlp(t)
    for r in records:
        check_case(r, rules=rs)
    best_t = best_c = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for t in texts:
            nlp(t)
        best_t = min(best_t, time.perf_counter() - t0)
        t0 = time.perf_counter()
        for r in records:
            r.spans.clear()
            check_case(r, rules=rs)
        best_c = min(best_c, time.perf_counter() - t0)
    chars = sum(map(len, texts))
    print(f"text: {len(texts)} case files, {chars} chars, {sum(len(r.entries) for r in records)} entries")
    print(f"best of {repeat} whole passes:")
    print(f"  T (spacy.blank('en') + sentencizer): {best_t * 1000:.2f} ms")
    print(f"  statutory checks ({rules}):          {best_c * 1000:.2f} ms = {best_c / best_t:.3f} T "
          f"(budget 0.1 T of the 3.3 T end-to-end)")
    pt = _per_file_best(nlp, texts, repeat)
    pc = _per_file_best(_check_one(rs), records, repeat)
    print(f"sum over files of each file's best of {repeat}:")
    print(f"  T: {pt * 1000:.2f} ms; statutory checks: {pc * 1000:.2f} ms = {pc / pt:.3f} T")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--score", action="store_true", help="also print the dev-set figure")
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--rules", default="wales")
    ap.add_argument("--scale", type=int, default=1, help="repeat the files N times for timing")
    ap.add_argument("--corpus", type=Path, help="time a generated corpus (e.g. corpora/generated/shipped)")
    ap.add_argument("--limit", type=int, help="at most N corpus files")
    a = ap.parse_args()
    if a.corpus:
        bench(corpus_cases(a.corpus, a.limit) * a.scale, a.rules, a.repeat)
        return
    if not DEV.exists():
        sys.exit(f"no dev set at {DEV}")
    cases = [json.loads(l) for l in DEV.read_text().splitlines() if l.strip()]
    if a.score:
        score(cases, a.rules)
    bench(cases * a.scale, a.rules, a.repeat)


if __name__ == "__main__":
    main()
