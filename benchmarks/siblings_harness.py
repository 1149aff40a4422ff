"""Build CaseRecords from the dev-set families without the CLI (for bench/eval scripts)."""
from __future__ import annotations

import json
import re
from pathlib import Path

from notes_qa.records import CaseRecord, ChildMeta, Entry

DEV = Path(__file__).resolve().parents[1].parent / "shared" / "dev-set" / "families.jsonl"
HEADER_RE = re.compile(r"^(?:\d{1,2}/\d{1,2}/\d{2,4}|Date of contact:|Entry \d+ \|)")


def simple_entries(text: str, source: str) -> list[Entry]:
    """Entries by header lines (a date-led line) or blank-line blocks; bodies after the header."""
    try:
        from notes_qa.segmentation import segment  # type: ignore[attr-defined]
        return list(segment(text, source).entries)
    except Exception:
        pass
    out: list[Entry] = []
    starts = [m.start() for m in re.finditer(r"(?m)^.+$", text) if HEADER_RE.match(m.group())]
    if not starts:
        starts = [0] + [m.end() for m in re.finditer(r"\n\s*\n", text)]
    starts = sorted(set(starts))
    for k, s in enumerate(starts):
        e = starts[k + 1] if k + 1 < len(starts) else len(text)
        while e > s and text[e - 1].isspace():
            e -= 1
        nl = text.find("\n", s, e)
        out.append(Entry(source=source, start=s, end=e, body_start=nl + 1 if nl > 0 else s))
    return out


def family_records(fam: dict, with_meta: bool = True) -> list[CaseRecord]:
    recs = []
    for ch in fam["children"]:
        src = f"{fam['family_id']}/{ch['child_id']}.txt"
        meta = ChildMeta(child_id=ch["child_id"], family_id=fam["family_id"],
                         child_name=ch["name"] if with_meta else ch["name"].split()[0],
                         gender=ch.get("gender") if with_meta else None,
                         age=ch.get("age") if with_meta else None)
        recs.append(CaseRecord(case_id=f"{fam['family_id']}/{ch['child_id']}", meta=meta,
                               sources={src: ch["file_text"]},
                               entries=simple_entries(ch["file_text"], src)))
    return recs


def load_families(path: Path = DEV) -> list[dict]:
    return [json.loads(l) for l in path.read_text().splitlines() if l.strip()]
