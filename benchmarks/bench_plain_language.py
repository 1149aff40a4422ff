"""Cost of the notes_qa_plain_language component against spaCy blank("en") + sentencizer (T),
on the same texts in the same run. Target: component time <= 0.4 T.

    python benchmarks/bench_plain_language.py [--repeat 3]

Texts: the shared benchmark corpora where present (OneStopEnglish, CLEAR), else invented
plans from the room's training generator.
"""
from __future__ import annotations

import argparse
import csv
import json
import time
from pathlib import Path

import spacy

SHARED = Path(__file__).resolve().parents[2] / "shared" / "benchmarks"


def texts() -> list[str]:
    out: list[str] = []
    ose = SHARED / "onestopenglish/onestopenglish.jsonl"
    if ose.exists():
        out += [json.loads(l)["text"] for l in ose.read_text(encoding="utf-8").splitlines() if l.strip()]
    clear = SHARED / "clear_corpus/clear_corpus.csv"
    if clear.exists():
        with clear.open(encoding="utf-8") as fh:
            out += [r["Excerpt"] for r in csv.DictReader(fh)][:1500]
    from notes_qa.plain_language.training_plans import generate
    out += [t for t, _ in generate(7, 100)]
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    import notes_qa.plain_language.component  # noqa: F401

    data = texts()
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    comp = nlp.add_pipe("notes_qa_plain_language")
    nlp.initialize()
    words = sum(len(t.split()) for t in data)
    # warm caches (syllables, word info) once, as a long-running batch would be
    for d in nlp.pipe(data[:50]):
        pass
    best_t, best_c = float("inf"), float("inf")
    for _ in range(args.repeat):
        with nlp.select_pipes(disable=["notes_qa_plain_language"]):
            s = time.perf_counter()
            docs = list(nlp.pipe(data))
            t = time.perf_counter() - s
        s = time.perf_counter()
        for d in docs:
            comp(d)
        c = time.perf_counter() - s
        best_t, best_c = min(best_t, t), min(best_c, c)
    print(f"texts={len(data)} words={words}")
    print(f"T  (blank en + sentencizer): {best_t:.3f}s  {words / best_t:,.0f} words/s")
    print(f"plain_language component:    {best_c:.3f}s  {words / best_c:,.0f} words/s")
    print(f"ratio component/T = {best_c / best_t:.3f}  (target <= 0.4)")


if __name__ == "__main__":
    main()
