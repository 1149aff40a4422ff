"""Is the generated corpus wide enough? A plain TF-IDF + logistic-regression child's-voice classifier
trained on the generated train split, scored on the generated test split and on the hand-written dev set.

    .venv/bin/python benchmarks/bench_corpus_voice_baseline.py [--families 300] [--seed 1] [--out DIR]

Acceptance (issue 3): dev F1 >= 0.75 and |test F1 - dev F1| <= 0.10. Reads ../shared only here; skips
the dev figure when it is absent.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEV = ROOT.parent / "shared" / "dev-set" / "voice_rationale.jsonl"


def load_rows(path: Path, split: str | None = None) -> list[dict]:
    rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    return [r for r in rows if split is None or r.get("split") == split]


def main() -> int:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score, precision_score, recall_score

    from notes_qa.corpus import generate_corpus

    ap = argparse.ArgumentParser()
    ap.add_argument("--families", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out")
    ap.add_argument("--misses", action="store_true", help="print dev misses (for diagnosis, not for tuning)")
    a = ap.parse_args()
    out = Path(a.out) if a.out else Path(tempfile.mkdtemp()) / "corpus"
    if not (out / "labels" / "sentences.jsonl").exists():
        generate_corpus(a.families, a.seed, out, hf=False, card=False)
    rows = load_rows(out / "labels" / "sentences.jsonl")
    if not a.out:  # a temporary corpus is not kept
        shutil.rmtree(out.parent, ignore_errors=True)
    train = [r for r in rows if r["split"] == "train"]
    test = [r for r in rows if r["split"] == "test"]
    vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, lowercase=True)
    X = vec.fit_transform([r["text"] for r in train])
    clf = LogisticRegression(max_iter=2000, C=4.0, class_weight="balanced")
    clf.fit(X, [r["child_voice"] for r in train])

    def score(rs: list[dict]) -> tuple[float, float, float]:
        y = [bool(r["child_voice"]) for r in rs]
        p = clf.predict(vec.transform([r["text"] for r in rs]))
        return precision_score(y, p), recall_score(y, p), f1_score(y, p)

    print(f"train sentences {len(train)} ({sum(r['child_voice'] for r in train)} voice), test {len(test)}")
    tp, tr, tf = score(test)
    print(f"generated test: P={tp:.3f} R={tr:.3f} F1={tf:.3f}")
    if not DEV.exists():
        print("dev set absent: skipped")
        return 0
    dev = load_rows(DEV)
    dp, dr, df = score(dev)
    print(f"dev set (n={len(dev)}): P={dp:.3f} R={dr:.3f} F1={df:.3f}")
    print(f"gap test-dev: {tf - df:+.3f}  acceptance: dev>=0.75 {'OK' if df >= 0.75 else 'FAIL'}, "
          f"gap<=0.10 {'OK' if abs(tf - df) <= 0.10 else 'FAIL'}")
    if a.misses:
        pred = clf.predict(vec.transform([r["text"] for r in dev]))
        for r, p in zip(dev, pred):
            if bool(p) != bool(r["child_voice"]):
                print(("FN " if r["child_voice"] else "FP ") + r["text"][:120])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
