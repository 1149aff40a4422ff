"""Generate a synthetic, labelled corpus of siblings' case files, streamed to disk family by family."""
from __future__ import annotations

import argparse
import csv
import io
import json
import random
import shutil
import sys
import time
import zipfile
from pathlib import Path
from typing import Any, Callable, Sequence

from .casefile import FamilyPool, FileWriter, schedule
from .people import BANK_FILTER, Family, draw_family
from .statutory import Mix, draw_plan, safe_bank

SPLITS = ("train", "validation", "test")
#: Bytes of JSON Lines parsed per Arrow block in the datasets save (bounds its memory).
CHUNK = 4 << 20

#: Hook for the statutory-checks issue: callables ``(family, child, writer, rng) -> list[dict]`` run after a
#: child's entries are written; each returned dict is stored under the case's ``statutory`` labels.
STATUTORY_HOOKS: list[Callable[..., list[dict[str, Any]]]] = []

MANIFEST_FIELDS = ("path", "child_id", "child_name", "family_id", "gender", "date_of_birth", "age", "legal_status",
                   "placement_start")
SENTENCE_FIELDS = ("id", "family_id", "child_id", "split", "note_type", "child_name", "sibling_names", "text",
                   "child_voice", "voice_kind", "decision", "rationale", "negative_kind", "copy_kind", "template",
                   "entry", "start", "end")


def family_splits(n: int, seed: int) -> list[str]:
    """Split assignment for families 0..n-1: a seeded shuffle cut 80/10/10 (every split non-empty when n >= 3)."""
    order = list(range(n))
    random.Random(f"{seed}:splits").shuffle(order)
    n_test = max(1 if n >= 3 else 0, round(n * 0.1))
    n_val = max(1 if n >= 3 else 0, round(n * 0.1))
    out = ["train"] * n
    for pos, i in enumerate(order):
        if pos < n_test:
            out[i] = "test"
        elif pos < n_test + n_val:
            out[i] = "validation"
    return out


def _docx_bytes(text: str, title: str) -> bytes:
    """A .docx whose paragraphs are the text's lines, byte-identical for identical input."""
    import datetime as dt

    import docx  # lazy: python-docx

    d = docx.Document()
    cp = d.core_properties
    fixed = dt.datetime(2000, 1, 1, 0, 0, 0)
    cp.created = cp.modified = cp.last_printed = fixed
    cp.author = cp.last_modified_by = "notes-qa corpus generator"
    cp.title = title
    cp.revision = 1
    for line in text.split("\n"):
        d.add_paragraph(line)
    raw = io.BytesIO()
    d.save(raw)
    # re-zip with fixed timestamps so the bytes are stable
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(zi, zin.read(info.filename))
    return out.getvalue()


def _finish_spans(spans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Order spans by position and turn decision/rationale link keys into span indexes."""
    spans.sort(key=lambda s: (s["start"], -s["end"], s["label"]))
    dec_index = {}
    for i, s in enumerate(spans):
        if s["label"] == "decision":
            dec_index[s.get("_link")] = i
    for s in spans:
        link = s.pop("_link", None)
        if s["label"] == "rationale":
            s["decision"] = dec_index.get(link)
    return spans


class _Out:
    """Open output files for one corpus."""

    def __init__(self, out: Path) -> None:
        self.out = out
        (out / "labels").mkdir(parents=True, exist_ok=True)
        (out / "jsonl").mkdir(parents=True, exist_ok=True)
        self.manifest_fh = (out / "manifest.csv").open("w", newline="", encoding="utf-8")
        self.manifest = csv.DictWriter(self.manifest_fh, fieldnames=MANIFEST_FIELDS, lineterminator="\n")
        self.manifest.writeheader()
        self.cases = (out / "labels" / "cases.jsonl").open("w", encoding="utf-8")
        self.sents = (out / "labels" / "sentences.jsonl").open("w", encoding="utf-8")
        self.split_sents = {s: (out / "jsonl" / f"sentences-{s}.jsonl").open("w", encoding="utf-8") for s in SPLITS}
        self.split_cases = {s: (out / "jsonl" / f"cases-{s}.jsonl").open("w", encoding="utf-8") for s in SPLITS}

    def close(self) -> None:
        for fh in [self.manifest_fh, self.cases, self.sents, *self.split_sents.values(), *self.split_cases.values()]:
            fh.close()


def _hf_case_row(case: dict[str, Any], text: str) -> dict[str, Any]:
    """A fixed-schema case row for the Hugging Face ``cases`` config (every key always present)."""
    ents = [{"start": e["start"], "end": e["end"], "body_start": e["body_start"], "date": e["date"], "author": e["author"],
             "note_type": e["note_type"], "header_style": e["header_style"], "register": e["register"],
             "plan_level": e.get("plan_level"), "plan_factors": json.dumps(e["plan_factors"]) if "plan_factors" in e else None}
            for e in case["entries"]]
    spans = [{"label": s["label"], "start": s["start"], "end": s["end"], "text": s["text"], "kind": s.get("kind"),
              "decision": s.get("decision"), "has_rationale": s.get("has_rationale"),
              "match_child_id": (s.get("match") or {}).get("child_id"), "match_start": (s.get("match") or {}).get("start"),
              "match_end": (s.get("match") or {}).get("end"), "detail": s.get("detail")} for s in case["spans"]]
    m = case["meta"]
    return {"family_id": case["family_id"], "child_id": case["child_id"], "split": case["split"], "path": case["text"],
            "child_name": m["child_name"], "gender": m["gender"], "date_of_birth": m["date_of_birth"], "age": m["age"],
            "legal_status": m["legal_status"], "sibling_names": m["sibling_names"], "document": text,
            "entries": ents, "spans": spans}


def write_family(fam: Family, rng: random.Random, o: _Out, seed: int, docx_share: float, stats: dict[str, Any],
                 statutory: bool = True, mix: Mix | None = None) -> None:
    """Write every child's file of one family and stream its labels.

    With ``statutory`` each child's file also carries planted statutory situations (visits, placement
    start or initial conference, assessments, English terms, advocacy, Active Offer, repeat contacts),
    drawn from a per-child stream, with labels under the case's ``statutory`` field.
    """
    pool = FamilyPool()
    fdir = o.out / "docs" / fam.family_id
    fdir.mkdir(parents=True, exist_ok=True)
    for k, child in enumerate(fam.children):
        sibs = [c.name for c in fam.children if c is not child]
        n_rows = [0]

        def on_row(r: dict[str, Any], child=child, sibs=sibs, n_rows=n_rows) -> None:
            r = {"id": f"{child.child_id}:{n_rows[0]}", "family_id": fam.family_id, "child_id": child.child_id,
                 "split": fam.split, "child_name": child.name, "sibling_names": sibs, **r}
            n_rows[0] += 1
            line = json.dumps({f: r.get(f) for f in SENTENCE_FIELDS}, ensure_ascii=False) + "\n"
            o.sents.write(line)
            o.split_sents[fam.split].write(line)
            stats["sentences"] += 1
            if r["child_voice"]:
                stats["voice_sentences"] += 1

        sched: list[Any] = schedule(rng, fam, child, k == 0)
        plan = None
        token = None
        if statutory:
            plan = draw_plan(random.Random(f"{seed}:statutory:{child.child_id}"), fam, child, sched, mix)
            if plan.placement_starts:
                child.placement_start = plan.placement_starts[0]
            elif child.legal_status != "looked_after":
                child.placement_start = None
            sched = plan.merge(sched)
            token = BANK_FILTER.set(safe_bank)
        try:
            w = FileWriter(rng, fam, child, pool, on_row)
            text = w.write(sched)
        finally:
            if token is not None:
                BANK_FILTER.reset(token)
        as_docx = random.Random(f"{seed}:fmt:{child.child_id}").random() < docx_share
        name = f"{child.child_id}.{'docx' if as_docx else 'txt'}"
        rel = f"docs/{fam.family_id}/{name}"
        if as_docx:
            (fdir / name).write_bytes(_docx_bytes(text, f"Case notes {child.child_id}"))
            stats["docx"] += 1
        else:
            (fdir / name).write_text(text, encoding="utf-8", newline="\n")
        meta = {**child.meta(), "family_id": fam.family_id, "sibling_names": sibs, "town": fam.town,
                "preamble_id": w.preamble_id}
        o.manifest.writerow({"path": rel, "child_id": child.child_id, "child_name": child.name, "family_id": fam.family_id,
                             "gender": child.gender, "date_of_birth": meta["date_of_birth"], "age": child.age,
                             "legal_status": child.legal_status, "placement_start": meta["placement_start"] or ""})
        spans = _finish_spans(w.spans)
        case = {"family_id": fam.family_id, "child_id": child.child_id, "split": fam.split, "meta": meta, "text": rel,
                "format": "docx" if as_docx else "txt", "entries": w.entries, "spans": spans}
        hooked = [item for hook in STATUTORY_HOOKS for item in hook(fam, child, w, rng)]
        if plan is not None:
            case["statutory"] = plan.labels(sched)
            if hooked:
                case["statutory"]["hooks"] = hooked
            for key, val in case["statutory"]["situations"].items():
                if val:
                    stats["statutory"][key] = stats["statutory"].get(key, 0) + 1
            _count_statutory(case["statutory"], stats["statutory"])
        elif hooked:
            case["statutory"] = hooked
        o.cases.write(json.dumps(case, ensure_ascii=False) + "\n")
        o.split_cases[fam.split].write(json.dumps(_hf_case_row(case, text), ensure_ascii=False) + "\n")
        stats["children"] += 1
        stats["entries"] += len(w.entries)
        stats["words"] += len(text.split())
        stats["chars"] += len(text)
        for s in spans:
            key = s["label"] if "kind" not in s else f"{s['label']}:{s['kind']}"
            stats["spans"][key] = stats["spans"].get(key, 0) + 1


def _count_statutory(lab: dict[str, Any], st: dict[str, Any]) -> None:
    """Per-check counts of children where each finding is due (the card's statutory table)."""
    due = {
        "visit_overdue": bool(lab["overdue_visits"]),
        "assessment_missing_elements": any(len(a["present"]) < 5 for a in lab["assessment_elements"]),
        "english_legislation_in_wales": bool(lab["english_terms"]),
        "advocacy_offer_not_recorded": lab["legal_status"] in ("child_protection", "looked_after")
        and not lab["advocacy_offer_recorded"],
        "active_offer_not_recorded": not lab["active_offer_recorded"],
        "accumulating_concerns": lab["repeat_referrals"]["accumulating_concerns"],
    }
    for k, v in due.items():
        st.setdefault("due", {}).setdefault(k, 0)
        st["due"][k] += int(v)


def generate_corpus(families: int, seed: int, out: str | Path, docx_share: float = 0.1, hf: bool = True,
                    card: bool = True, progress: bool = False, statutory: bool = True,
                    mix: Mix | None = None) -> dict[str, Any]:
    """Write a corpus of ``families`` families to ``out`` and return its statistics.

    Deterministic for ``(families, seed, docx_share, statutory, mix)``; ``statutory=False`` writes the
    corpus exactly as before the statutory situations were added (no ``statutory`` labels). Writes ``docs/``, ``manifest.csv``, ``labels/``
    (cases.jsonl, sentences.jsonl), ``jsonl/`` (per-split mirrors), ``hf/`` (``datasets`` saved to disk,
    configs ``sentences`` and ``cases``) and ``README.md`` (the dataset card).
    """
    t0 = time.perf_counter()
    out = Path(out)
    if (out / "docs").exists():
        shutil.rmtree(out / "docs")
    out.mkdir(parents=True, exist_ok=True)
    splits = family_splits(families, seed)
    stats: dict[str, Any] = {"families": families, "seed": seed, "children": 0, "entries": 0, "sentences": 0,
                             "voice_sentences": 0, "words": 0, "chars": 0, "docx": 0, "spans": {},
                             "split_families": {s: splits.count(s) for s in SPLITS}}
    if statutory:
        stats["statutory"] = {}
    o = _Out(out)
    try:
        for i in range(families):
            fid = f"family-{i + 1:04d}"
            rng = random.Random(f"{seed}:{fid}")
            fam = draw_family(rng, fid)
            fam.split = splits[i]
            write_family(fam, rng, o, seed, docx_share, stats, statutory, mix)
            if progress and (i + 1) % 100 == 0:
                print(f"{i + 1}/{families} families", file=sys.stderr)
    finally:
        o.close()
    stats["spans"] = dict(sorted(stats["spans"].items()))
    stats["generate_seconds"] = round(time.perf_counter() - t0, 2)
    if hf:
        save_hf(out)
    if card:
        from .card import write_card

        write_card(out, stats)
    stats["total_seconds"] = round(time.perf_counter() - t0, 2)
    return stats


def save_hf(out: Path) -> None:
    """Save ``out/hf/sentences`` and ``out/hf/cases`` as ``datasets.DatasetDict`` from the split mirrors.

    The mirrors are parsed in bounded chunks into a temporary Arrow cache (memory does not grow with the
    corpus); fingerprints are content hashes, so identical corpora save byte-identical folders.
    """
    import hashlib

    import datasets  # lazy
    from datasets.utils import logging as ds_logging

    from .card import case_features, sentence_features

    cache = out / ".hf_cache"
    bars = ds_logging.is_progress_bar_enabled()
    ds_logging.disable_progress_bar()
    try:
        for name, feats in (("sentences", sentence_features()), ("cases", case_features())):
            parts = {}
            for s in SPLITS:
                path = out / "jsonl" / f"{name}-{s}.jsonl"
                h = hashlib.sha256(f"{name}:{s}:".encode())
                with path.open("rb") as fh:
                    for block in iter(lambda: fh.read(1 << 20), b""):
                        h.update(block)
                if path.stat().st_size == 0:
                    parts[s] = datasets.Dataset.from_dict({k: [] for k in feats}, features=feats)
                else:
                    parts[s] = datasets.Dataset.from_json(str(path), features=feats, cache_dir=str(cache),
                                                          keep_in_memory=False, chunksize=CHUNK)
                # content hash instead of a random fingerprint, so identical corpora save identical folders
                parts[s]._fingerprint = h.hexdigest()[:16]
            dd = datasets.DatasetDict(parts)
            target = out / "hf" / name
            if target.exists():
                shutil.rmtree(target)
            dd.save_to_disk(str(target))
            del dd, parts
    finally:
        if bars:
            ds_logging.enable_progress_bar()
        shutil.rmtree(cache, ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> int:
    """``notes-qa corpus generate --families N --seed S --out DIR [--docx-share F] [--no-hf]``."""
    ap = argparse.ArgumentParser(prog="notes-qa corpus", description="Synthetic labelled case-note corpus.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate", help="generate a corpus")
    g.add_argument("--families", type=int, default=100)
    g.add_argument("--seed", type=int, default=0)
    g.add_argument("--out", required=True)
    g.add_argument("--docx-share", type=float, default=0.1)
    g.add_argument("--no-hf", action="store_true", help="skip the datasets save (faster)")
    g.add_argument("--no-statutory", action="store_true",
                   help="do not plant statutory situations (the corpus as generated before issue 9)")
    a = ap.parse_args(argv)
    if a.families < 1 or not 0 <= a.docx_share <= 1:
        ap.error("--families must be >= 1 and --docx-share in 0..1")
    stats = generate_corpus(a.families, a.seed, a.out, a.docx_share, hf=not a.no_hf, progress=True,
                            statutory=not a.no_statutory)
    print(f"{stats['families']} families, {stats['children']} children, {stats['entries']} entries, "
          f"{stats['words']} words, {stats['sentences']} sentences in {stats['total_seconds']}s -> {a.out}",
          file=sys.stderr)
    return 0
