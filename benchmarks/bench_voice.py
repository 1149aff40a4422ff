"""Cost of the child's-voice and decision/rationale components against spaCy's own baseline.

    python benchmarks/bench_voice.py [--families 20] [--seed 7] [--repeat 3]

Generates a synthetic corpus (``notes_qa.corpus.generate_corpus``) into a temporary folder,
then times, in the same run and on the same texts (best of ``--repeat``):

- T: ``spacy.blank("en")`` + ``sentencizer`` over every document;
- T + cost: the same pipeline plus ``notes_qa_child_voice`` and ``notes_qa_decisions``.

Prints cost / T (budget: ≤ 0.9 for these two components together; lower is better).
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--families", type=int, default=20)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    import spacy

    import notes_qa.decisions.component  # noqa: F401
    import notes_qa.voice.component  # noqa: F401
    from notes_qa.corpus import generate_corpus
    from notes_qa.spacy_ext import Context

    with tempfile.TemporaryDirectory() as tmp:
        generate_corpus(args.families, args.seed, Path(tmp), hf=False, card=False)
        paths = sorted(Path(tmp, "docs").rglob("*.txt"))
        texts = [p.read_text(encoding="utf-8") for p in paths]
        names = [p.stem.split("-")[0] for p in paths]
    words = sum(len(t.split()) for t in texts)

    base = spacy.blank("en")
    base.add_pipe("sentencizer")
    full = spacy.blank("en")
    full.add_pipe("sentencizer")
    full.add_pipe("notes_qa_child_voice")
    full.add_pipe("notes_qa_decisions")
    full.initialize()

    def docs(nlp):
        out = []
        for t, n in zip(texts, names):
            d = nlp.make_doc(t)
            d._.nqa_context = Context(child_name=n, note_type="home_visit")
            out.append(d)
        return out

    def timed(nlp) -> float:
        best = float("inf")
        for _ in range(args.repeat):
            ds = docs(nlp) if nlp is full else texts
            t0 = time.perf_counter()
            for _ in nlp.pipe(ds, batch_size=64):
                pass
            best = min(best, time.perf_counter() - t0)
        return best

    timed(full)  # warm-up (model load, regex caches)
    t_base = timed(base)
    t_full = timed(full)
    cost = t_full - t_base
    print(f"documents: {len(texts)}, words: {words:,}")
    print(f"T  (blank + sentencizer):          {t_base:.3f}s  ({words / t_base:,.0f} words/s)")
    print(f"T + voice + decisions:             {t_full:.3f}s")
    print(f"components' cost: {cost:.3f}s = {cost / t_base:.2f} T  (budget 0.9 T)")


if __name__ == "__main__":
    main()
