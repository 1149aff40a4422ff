"""Cost of the notes_qa_plain_language component against spaCy blank("en") + sentencizer (T),
on the same per-entry texts in the same run. Target: component time <= 0.4 T.

    python benchmarks/bench_plain_language.py [--corpus /tmp/plc] [--repeat 5] [--profile]

Texts: the entries of a generated corpus, one Doc per entry (with ``doc._.nqa_context`` carrying
the entry's note type). The Docs are made as ``notes_qa.pipeline.make_docs`` makes them, for T
and the component alike: ``remember_text(nlp.make_doc(text), text)`` (each Doc keeps the text it
came from, which the component reads instead of rebuilding it from the tokens), then the
sentencizer through ``nlp.pipe``. The corpus is generated with
``notes_qa.corpus.generate_corpus(50, 1, <dir>)`` if ``--corpus`` does not exist yet; without
``--corpus`` the repository's ``corpora/sample`` is used.

Three ways of running the component are timed:

- ``case``: as ``notes-qa score`` runs it: per case file, T makes that case's Docs, the
  component's ``pipe`` runs over them (batches of up to 64, as ``nlp.pipe`` runs it in
  ``notes_qa.pipeline.annotate``), and the Docs are dropped before the next case; T and the
  component are summed over the cases (the layout ``bench_voice.py`` holds to its budget).
  This is the figure held to the target;
- ``pipe``: the same ``pipe`` calls per case file, over Docs made for the whole corpus first and
  all held at once (the figure earlier sessions reported: the Docs of every case stay alive, so
  the garbage collector's full passes walk them all while the component runs);
- ``call``: ``component(doc)`` one Doc at a time (a user's ``nlp(text)``).

After the warm-up, everything alive is moved out of the garbage collector's sight with
``gc.freeze()``, as notes-qa's own processes do once their pipeline is built
(:class:`notes_qa.lean.LeanFactory`); ``--no-freeze`` leaves it in sight.

The machine may be shared: T and the component times are CPU time (``time.process_time``),
the minimum over ``--repeat`` interleaved runs, so a burst of load from elsewhere hurts all or
none; the median of each repeat's own ratio (component and T timed back to back) is printed
too. ``--wall`` reports wall-clock time instead.
"""
from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import spacy

ROOT = Path(__file__).resolve().parents[1]


def corpus_entries(corpus: Path) -> list[tuple[str, str]]:
    """(entry text, note type) for every entry of every case in ``corpus``."""
    return [(t, nt) for case in corpus_cases(corpus) for t, nt in case]


def corpus_cases(corpus: Path) -> list[list[tuple[str, str]]]:
    """Per case file in ``corpus``: (entry text, note type) for each of its entries."""
    from notes_qa.readers import read_document

    out: list[list[tuple[str, str]]] = []
    with (corpus / "labels" / "cases.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            case = json.loads(line)
            text = read_document(corpus / case["text"])
            out.append([(text[e["start"]:e["end"]], e.get("note_type") or "")
                        for e in case["entries"]])
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=None,
                    help="a generated corpus folder (created with 50 families, seed 1 if missing)")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--profile", action="store_true", help="cProfile one component pass")
    ap.add_argument("--wall", action="store_true", help="wall-clock instead of CPU time")
    ap.add_argument("--no-freeze", action="store_true",
                    help="leave the warmed-up pipeline in the garbage collector's sight (gc.freeze off)")
    args = ap.parse_args()
    import notes_qa.plain_language.component  # noqa: F401
    from notes_qa.lean import freeze_long_lived
    from notes_qa.spacy_ext import Context, register_extensions, remember_text

    register_extensions()
    corpus = args.corpus or ROOT / "corpora" / "sample"
    if not (corpus / "labels" / "cases.jsonl").exists():
        from notes_qa.corpus import generate_corpus
        generate_corpus(50, 1, corpus, hf=False)
    cases = corpus_cases(corpus)
    data = [t for case in cases for t, _ in case]
    ctxs = [Context(note_type=nt) for case in cases for _, nt in case]
    sizes = [len(case) for case in cases]

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    comp = nlp.add_pipe("notes_qa_plain_language")
    nlp.initialize()
    words = sum(len(t.split()) for t in data)

    def baseline(lo: int = 0, hi: int | None = None) -> list:
        """T: the Docs of entries ``lo:hi``, sentence-split, with their contexts set."""
        with nlp.select_pipes(disable=["notes_qa_plain_language"]):
            # as notes_qa.pipeline.make_docs makes them
            docs = list(nlp.pipe((remember_text(nlp.make_doc(t), t) for t in data[lo:hi]), batch_size=64))
        for d, c in zip(docs, ctxs[lo:hi]):
            d._.nqa_context = c
        return docs

    def run_call(docs: list) -> None:
        for d in docs:
            comp(d)

    def run_pipe(docs: list) -> None:
        if not hasattr(comp, "pipe"):  # as nlp.pipe does for a component without one
            return run_call(docs)
        pos = 0
        for n in sizes:  # one case file at a time, as annotate() sends them
            for _ in comp.pipe(docs[pos:pos + n], batch_size=64):
                pass
            pos += n

    docs = baseline()
    run_pipe(docs)  # warm the per-word caches once, as a long-running batch would

    if args.profile:
        import cProfile
        import pstats
        pr = cProfile.Profile()
        pr.enable()
        run_pipe(docs)
        pr.disable()
        pstats.Stats(pr).sort_stats("cumulative").print_stats(25)

    clock = time.perf_counter if args.wall else time.process_time

    def per_case() -> tuple[float, float]:
        """(T, component) summed over the case files, each case's Docs dropped before the next."""
        spent_t = spent_c = 0.0
        pos = 0
        for n in sizes:
            s = clock()
            docs = baseline(pos, pos + n)
            m = clock()
            for _ in comp.pipe(docs, batch_size=64):
                pass
            e = clock()
            spent_t += m - s
            spent_c += e - m
            pos += n
            del docs
        return spent_t, spent_c

    per_case()  # as a warm-up for this layout
    if not args.no_freeze:
        freeze_long_lived()  # as notes-qa's own processes do once their pipeline is built
    case_times: dict[str, list[float]] = {"T": [], "case": []}
    for _ in range(args.repeat):
        t, c = per_case()
        case_times["T"].append(t)
        case_times["case"].append(c)

    times: dict[str, list[float]] = {"T": [], "pipe": [], "call": []}
    for _ in range(args.repeat):
        s = clock()
        docs = baseline()
        times["T"].append(clock() - s)
        for name, run in (("pipe", run_pipe), ("call", run_call)):
            s = clock()
            run(docs)
            times[name].append(clock() - s)
    best = {k: min(v) for k, v in times.items()}
    print(f"corpus={corpus} cases={len(cases)} entries={len(data)} words={words} "
          f"clock={'wall' if args.wall else 'cpu'}")
    cbest = {k: min(v) for k, v in case_times.items()}
    cmed = statistics.median(c / t for c, t in zip(case_times["case"], case_times["T"]))
    print(f"per case file, Docs dropped after each case (as notes-qa score runs them):")
    for k, label in (("T", "T  (blank en + sentencizer)"), ("case", "component, pipe per case   ")):
        print(f"  {label}: min {cbest[k]:.3f}s over {args.repeat}  ({words / cbest[k]:,.0f} words/s)"
              f"  all: {' '.join(f'{x:.3f}' for x in case_times[k])}")
    print(f"  ratio component/T = {cbest['case'] / cbest['T']:.3f} [min over min], {cmed:.3f} "
          f"[median of each repeat's ratio]  (target <= 0.4)")
    print("all Docs made first and held at once:")
    labels = {"T": "T  (blank en + sentencizer)", "pipe": "component, pipe per case   ",
              "call": "component, one Doc a call  "}
    for k, label in labels.items():
        print(f"{label}: min {best[k]:.3f}s over {args.repeat}  ({words / best[k]:,.0f} words/s)"
              f"  all: {' '.join(f'{x:.3f}' for x in times[k])}")
    print(f"ratio component/T = {best['pipe'] / best['T']:.3f} (pipe), "
          f"{best['call'] / best['T']:.3f} (one Doc a call)  [min over min]")
    med = {k: statistics.median(c / t for c, t in zip(times[k], times["T"])) for k in ("pipe", "call")}
    print(f"ratio component/T = {med['pipe']:.3f} (pipe), {med['call']:.3f} (one Doc a call)  "
          f"[median of each repeat's ratio]")


if __name__ == "__main__":
    main()
