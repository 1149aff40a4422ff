"""Speed and memory of the family step (issue 5, acceptance 3).

Generates a family of 5 siblings with 400 entries each (random case-note-like sentences, with
passages copied between siblings), times ``compare_family`` and, on the same text, spaCy
``blank("en")`` + sentencizer (time T). Prints the ratio (target ≤ 0.5 T; the end-to-end
budget is 3.3 T) and peak memory for families of 2..5 children (should grow linearly).

    .venv/bin/python benchmarks/bench_siblings.py [--entries 400] [--children 5]
"""
from __future__ import annotations

import argparse
import random
import time
import tracemalloc

from notes_qa.records import CaseRecord, ChildMeta, Entry
from notes_qa.siblings import compare_family
from notes_qa.siblings.config import word_bits

NAMES = [("Mia", "female"), ("Leo", "male"), ("Ffion", "female"), ("Rhys", "male"), ("Cadi", "female")]


def make_family(children: int, entries: int, seed: int = 7) -> list[CaseRecord]:
    rng = random.Random(seed)
    vocab = [w for w in word_bits() if w.isalpha()][:4000]

    def sentence(name: str, pron: str) -> str:
        words = rng.choices(vocab, k=rng.randint(6, 18))
        if rng.random() < 0.4:
            words[0] = name
        if rng.random() < 0.3:
            words.insert(rng.randint(1, len(words) - 1), pron)
        return " ".join(words).capitalize().replace(name.lower(), name) + "."

    texts: list[list[str]] = []
    for c in range(children):
        name, g = NAMES[c]
        pron = "she" if g == "female" else "he"
        ents = []
        for i in range(entries):
            body = " ".join(sentence(name, pron) for _ in range(rng.randint(3, 8)))
            ents.append(f"{1 + i % 28:02d}/{1 + (i // 28) % 12:02d}/2024 Home visit\n{body}")
        texts.append(ents)
    # copy ~5% of entries' first sentences between siblings, some with the name swapped
    for c in range(children):
        for _ in range(entries // 20):
            src = rng.randrange(children)
            if src == c:
                continue
            i, j = rng.randrange(entries), rng.randrange(entries)
            body = texts[src][i].split("\n", 1)[1]
            passage = body.split(". ")[0] + "."
            if rng.random() < 0.5:
                passage = passage.replace(NAMES[src][0], NAMES[c][0])
            head, tail = texts[c][j].split("\n", 1)
            texts[c][j] = f"{head}\n{passage} {tail}"
    recs = []
    for c in range(children):
        text = "\n\n".join(texts[c])
        src = f"fam/{NAMES[c][0]}.txt"
        ents, pos = [], 0
        for block in texts[c]:
            start = text.index(block, pos)
            end = start + len(block)
            ents.append(Entry(source=src, start=start, end=end, body_start=text.index("\n", start) + 1))
            pos = end
        meta = ChildMeta(child_id=NAMES[c][0], child_name=NAMES[c][0], family_id="fam",
                         gender=NAMES[c][1], age=5 + c)
        recs.append(CaseRecord(case_id=f"fam/{NAMES[c][0]}", meta=meta, sources={src: text}, entries=ents))
    return recs


def spacy_time(recs: list[CaseRecord]) -> float:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    texts = [r.entry_text(i) for r in recs for i in range(len(r.entries))]
    list(nlp.pipe(texts[:50]))  # warm up
    t = time.process_time()
    for _ in nlp.pipe(texts, batch_size=64):
        pass
    return time.process_time() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int, default=400)
    ap.add_argument("--children", type=int, default=5)
    args = ap.parse_args()
    compare_family(make_family(2, 5))  # load data files once
    recs = make_family(args.children, args.entries)
    chars = sum(len(t) for r in recs for t in r.sources.values())
    t0 = time.process_time()
    compare_family(recs)
    step = time.process_time() - t0
    T = spacy_time(make_family(args.children, args.entries))
    n_copy = sum(s.label == "sibling_copy" for r in recs for s in r.spans)
    n_leak = sum(s.label == "name_leak" for r in recs for s in r.spans)
    print(f"family of {args.children} x {args.entries} entries, {chars:,} chars: "
          f"family step {step:.2f}s (target < 3 s), spaCy blank+sentencizer T = {T:.2f}s, "
          f"step = {step / T:.2f} T (target <= 0.5 T; {step / T / 3.3:.0%} of the 3.3 T budget); "
          f"{n_copy} sibling_copy, {n_leak} name_leak spans")
    for n in range(2, args.children + 1):
        fam = make_family(n, args.entries)
        c = sum(len(t) for r in fam for t in r.sources.values())
        tracemalloc.start()
        compare_family(fam)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"  {n} children: peak {peak / 1e6:.1f} MB, {peak / c:.1f} bytes per char")


if __name__ == "__main__":
    main()
