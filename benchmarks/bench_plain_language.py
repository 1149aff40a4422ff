"""Cost of the notes_qa_plain_language component against spaCy blank("en") + sentencizer (T),
on the same per-entry texts in the same run. Target: component time <= 0.4 T.

    python benchmarks/bench_plain_language.py [--corpus /tmp/plc] [--repeat 5] [--profile]

Texts: the entries of a generated corpus, one Doc per entry as the pipeline sends them (with
``doc._.nqa_context`` carrying the entry's note type). The corpus is generated with
``notes_qa.corpus.generate_corpus(50, 1, <dir>)`` if ``--corpus`` does not exist yet; without
``--corpus`` the repository's ``corpora/sample`` is used.

The machine may be shared: both T and the component time are the minimum over ``--repeat``
interleaved runs, so a burst of load from elsewhere hurts both or neither.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import spacy

ROOT = Path(__file__).resolve().parents[1]


def corpus_entries(corpus: Path) -> list[tuple[str, str]]:
    """(entry text, note type) for every entry of every case in ``corpus``."""
    from notes_qa.readers import read_document

    out: list[tuple[str, str]] = []
    with (corpus / "labels" / "cases.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            case = json.loads(line)
            text = read_document(corpus / case["text"])
            for e in case["entries"]:
                out.append((text[e["start"]:e["end"]], e.get("note_type") or ""))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=None,
                    help="a generated corpus folder (created with 50 families, seed 1 if missing)")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--profile", action="store_true", help="cProfile one component pass")
    args = ap.parse_args()
    import notes_qa.plain_language.component  # noqa: F401
    from notes_qa.spacy_ext import Context, register_extensions

    register_extensions()
    corpus = args.corpus or ROOT / "corpora" / "sample"
    if not (corpus / "labels" / "cases.jsonl").exists():
        from notes_qa.corpus import generate_corpus
        generate_corpus(50, 1, corpus, hf=False)
    entries = corpus_entries(corpus)
    data = [t for t, _ in entries]
    ctxs = [Context(note_type=nt) for _, nt in entries]

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    comp = nlp.add_pipe("notes_qa_plain_language")
    nlp.initialize()
    words = sum(len(t.split()) for t in data)

    def baseline() -> list:
        with nlp.select_pipes(disable=["notes_qa_plain_language"]):
            return list(nlp.pipe(data, batch_size=64))

    docs = baseline()
    for d, c in zip(docs, ctxs):
        d._.nqa_context = c
        comp(d)  # warm the per-word caches once, as a long-running batch would

    if args.profile:
        import cProfile
        import pstats
        pr = cProfile.Profile()
        pr.enable()
        for d in docs:
            comp(d)
        pr.disable()
        pstats.Stats(pr).sort_stats("cumulative").print_stats(25)

    times_t, times_c = [], []
    for _ in range(args.repeat):
        s = time.perf_counter()
        docs = baseline()
        times_t.append(time.perf_counter() - s)
        for d, c in zip(docs, ctxs):
            d._.nqa_context = c
        s = time.perf_counter()
        for d in docs:
            comp(d)
        times_c.append(time.perf_counter() - s)
    best_t, best_c = min(times_t), min(times_c)
    print(f"corpus={corpus} entries={len(data)} words={words}")
    print(f"T  (blank en + sentencizer): min {best_t:.3f}s over {args.repeat}  "
          f"({words / best_t:,.0f} words/s)  all: {' '.join(f'{x:.3f}' for x in times_t)}")
    print(f"plain_language component:    min {best_c:.3f}s over {args.repeat}  "
          f"({words / best_c:,.0f} words/s)  all: {' '.join(f'{x:.3f}' for x in times_c)}")
    print(f"ratio component/T = {best_c / best_t:.3f}  (target <= 0.4)")


if __name__ == "__main__":
    main()
