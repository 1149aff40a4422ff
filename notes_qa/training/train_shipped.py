"""Reproduce the shipped child's-voice, decision and rationale models.

    python -m notes_qa.training.train_shipped                      # defaults below
    python -m notes_qa.training.train_shipped --families 400 --seed 20250401 \\
        --corpus corpora/generated/shipped --out models [--dev PATH/voice_rationale.jsonl]

Steps: generate the synthetic corpus (``notes_qa.corpus.generate_corpus``, without the statutory
situations planted for the statutory checks: their template sentences about visits, contacts
and conferences, repeated in every file, would crowd these models' training data) unless it is
already there (a corpus there made with other settings is refused, never silently reused);
featurise each labelled sentence with the rooms' featurisers; fit one
:class:`~notes_qa.training.classifier.CueClassifier` per task on the ``train`` split (only
sentences the rules flag as candidates, as at run time); measure on the ``test`` split
(precision/recall/F1, expected calibration error); write ``models/<name>/`` (skops estimator,
``classifier.json``, ``metrics.json``, ``README.md`` model card).

``--dev`` only *measures* the fitted models on a hand-labelled file (never trains on it).
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any, Iterable

from notes_qa.training.featurise import WORD_BIGRAMS, WORD_BIGRAMS_KEY

DEFAULT_FAMILIES = 200
DEFAULT_SEED = 20250401
N_FEATURES = 2 ** 16
VOICE_KINDS = {"direct_quote": "direct_quote", "reported": "reported", "reported_wishes": "reported",
               "non_verbal": "non_verbal"}


def load_sentences(corpus: Path) -> list[dict[str, Any]]:
    path = corpus / "labels" / "sentences.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def ensure_corpus(corpus: Path, families: int, seed: int) -> None:
    """Generate the training corpus into ``corpus`` unless the same one is there already."""
    if (corpus / "labels" / "sentences.jsonl").is_file():
        stats_file = corpus / "stats.json"
        stats = json.loads(stats_file.read_text(encoding="utf-8")) if stats_file.is_file() else {}
        if stats.get("families") != families or stats.get("seed") != seed or "statutory" in stats:
            raise SystemExit(f"{corpus}: a corpus made with other settings is there (the models train on "
                             f"generate_corpus({families}, seed={seed}, statutory=False)); delete it or "
                             f"give another --corpus")
        return
    from notes_qa.corpus import generate_corpus

    generate_corpus(families, seed, corpus, statutory=False)


def row_context(row: dict[str, Any]) -> dict[str, Any]:
    from notes_qa.spacy_ext import Context

    name = row.get("child_name") or None
    return Context(child_name=name, nicknames=list(row.get("nicknames") or []),
                   initials="".join(w[0].upper() for w in name.split()) if name else None,
                   sibling_names=list(row.get("sibling_names") or []), gender=row.get("gender"),
                   age=row.get("age"), note_type=row.get("note_type"), date=row.get("date"))


def voice_label(row: dict[str, Any]) -> str:
    if not row.get("child_voice"):
        return "none"
    return VOICE_KINDS.get(str(row.get("voice_kind")), "reported")


def featurise(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """Features and candidate flags for every row, for all three tasks."""
    from notes_qa.decisions.cues import default_matcher as dmatcher
    from notes_qa.decisions.featuriser import DecisionFeaturiser
    from notes_qa.voice.cues import default_matcher as vmatcher
    from notes_qa.voice.featuriser import VoiceFeaturiser

    vf, df = VoiceFeaturiser(vmatcher(), bigrams=WORD_BIGRAMS), DecisionFeaturiser(dmatcher(), bigrams=WORD_BIGRAMS)
    out: dict[str, list[Any]] = {k: [] for k in ("vx", "vc", "vcues", "dx", "rx", "dc", "dcues")}
    for r in rows:
        ctx = row_context(r)
        x, cues = vf.featurise(r["text"], ctx)
        out["vx"].append(x)
        out["vc"].append(vf.is_candidate(cues))
        out["vcues"].append(cues)
        dx, rx, dcues = df.featurise(r["text"], ctx)
        out["dx"].append(dx)
        out["rx"].append(rx)
        out["dc"].append(df.is_candidate(dcues))
        out["dcues"].append(dcues)
    return out


def evaluate(model: Any, X: list[dict[str, float]], cand: list[bool], gold: list[bool]) -> dict[str, Any]:
    """P/R/F1 at 0.5 and ECE, non-candidates scored 0 (as at run time)."""
    from .metrics import expected_calibration_error, prf

    idx = [i for i, c in enumerate(cand) if c]
    p = [0.0] * len(X)
    if idx:
        pos, _ = model.positive_proba(model.predict_proba([X[i] for i in idx]))
        for i, v in zip(idx, pos.tolist()):
            p[i] = v
    res = prf(gold, [v >= 0.5 for v in p])
    res["ece"] = expected_calibration_error(gold, p)
    res["ece_candidates"] = expected_calibration_error([gold[i] for i in idx], [p[i] for i in idx])
    res["candidate_recall"] = round(sum(gold[i] for i in idx) / max(1, sum(gold)), 4)
    return res


def train(corpus: Path, out: Path, families: int, seed: int, dev: Path | None, C: float = 1.0) -> dict[str, Any]:
    from notes_qa.voice.featuriser import CLASSES

    from .classifier import CueClassifier

    t0 = time.time()
    ensure_corpus(corpus, families, seed)
    rows = load_sentences(corpus)
    train_rows = [r for r in rows if r.get("split", "train") == "train"]
    test_rows = [r for r in rows if r.get("split") == "test"]
    if not test_rows:  # a corpus without a test split: hold out a seeded 20%
        rnd = random.Random(seed)
        rnd.shuffle(train_rows)
        k = len(train_rows) // 5
        test_rows, train_rows = train_rows[:k], train_rows[k:]
    ftr, fte = featurise(train_rows), featurise(test_rows)
    report: dict[str, Any] = {"corpus": str(corpus), "families": families, "seed": seed,
                              "train_sentences": len(train_rows), "test_sentences": len(test_rows)}

    tasks = {
        "child_voice": ("vx", "vc", [voice_label(r) for r in train_rows], [voice_label(r) != "none" for r in test_rows], "none"),
        "decision": ("dx", "dc", [bool(r.get("decision")) for r in train_rows], [bool(r.get("decision")) for r in test_rows], None),
        "rationale": ("rx", "dc", [bool(r.get("rationale")) for r in train_rows], [bool(r.get("rationale")) for r in test_rows], None),
    }
    for name, (xk, ck, ytr, gte, neg) in tasks.items():
        idx = [i for i, c in enumerate(ftr[ck]) if c]
        model = CueClassifier(n_features=N_FEATURES, C=C, random_state=seed, negative_class=neg)
        model.fit([ftr[xk][i] for i in idx], [ytr[i] for i in idx])
        metrics = {"synthetic_test": evaluate(model, fte[xk], fte[ck], gte),
                   "train_candidates": len(idx)}
        if name == "child_voice":
            assert tuple(sorted(model.classes_)) == tuple(sorted(CLASSES))
        model.save(out / name, meta={"task": name, "trained_on": str(corpus), "seed": seed,
                                     WORD_BIGRAMS_KEY: WORD_BIGRAMS})
        report[name] = metrics
    if dev is not None:
        dev_metrics = evaluate_dev(dev, out)
        for name in tasks:
            report[name]["dev_set"] = dev_metrics[name]
    report["seconds"] = round(time.time() - t0, 1)
    for name in tasks:
        write_card(out / name, name, report)
        (out / name / "metrics.json").write_text(json.dumps(report[name], indent=2) + "\n", encoding="utf-8")
    return report


def build_nlp(model_root: Path | None) -> Any:
    """blank("en") + the project's sentence splitter (or spaCy's) + the two components."""
    import spacy

    import notes_qa.decisions.component  # noqa: F401
    import notes_qa.voice.component  # noqa: F401

    nlp = spacy.blank("en")
    try:
        import notes_qa.sentences.component  # noqa: F401
        nlp.add_pipe("notes_qa_sentences")
    except Exception:  # the splitter is optional here
        nlp.add_pipe("sentencizer")
    root = model_root
    vcfg = {"model": str(root / "child_voice")} if root else {"model": None}
    dcfg = ({"decision_model": str(root / "decision"), "rationale_model": str(root / "rationale")}
            if root else {"decision_model": None, "rationale_model": None})
    nlp.add_pipe("notes_qa_child_voice", config=vcfg)
    nlp.add_pipe("notes_qa_decisions", config=dcfg)
    nlp.initialize()
    return nlp


def evaluate_dev(path: Path, model_root: Path | None) -> dict[str, Any]:
    """Measure on a hand-labelled sentence file: each sentence its own entry (never trained on)."""
    from notes_qa.spacy_ext import get_attrs

    from .metrics import prf

    rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    nlp = build_nlp(model_root)
    docs = []
    for r in rows:
        doc = nlp.make_doc(r["text"])
        doc._.nqa_context = row_context({"child_name": r.get("child_name"), "note_type": r.get("note_type")})
        docs.append(doc)
    docs = list(nlp.pipe(docs))
    out: dict[str, Any] = {}
    for label, field in (("child_voice", "child_voice"), ("decision", "decision"), ("rationale", "rationale")):
        gold = [bool(r[field]) for r in rows]
        pred = [len(d.spans[label]) > 0 for d in docs]
        out[label] = prf(gold, pred)
    found = [(r, d) for r, d in zip(rows, docs) if r["child_voice"] and len(d.spans["child_voice"])]
    agree = sum(any(get_attrs(s).get("kind") == VOICE_KINDS.get(r["voice_kind"]) for s in d.spans["child_voice"])
                for r, d in found)
    out["child_voice"]["kind_agreement"] = round(agree / max(1, len(found)), 4)
    both = [d for r, d in zip(rows, docs) if r["decision"] and r["rationale"] and len(d.spans["decision"])]
    out["decision"]["has_rationale_when_given"] = round(
        sum(any(get_attrs(s).get("has_rationale") for s in d.spans["decision"]) for d in both) / max(1, len(both)), 4)
    return out


CARD = """# notes-qa `{name}` model

{purpose}

- Estimator: scikit-learn `LogisticRegression` (C={C}){calibration}, over hashed features
  (2^16 columns): the transparent rule cues of `{rules}` plus word unigrams (weight 0.3;
  the child's name folded to `CHILD`, siblings' to `SIBLING`). Featuriser: `{featuriser}`.
- Only sentences/clauses the rules flag as candidates are scored (as at run time); others are
  "not found". Saved with skops (`estimator.skops`), loaded with a fixed trusted-type list; its
  arithmetic is also in `linear.safetensors` (plain arrays, tied to the skops file by SHA-256), which
  scores without importing scikit-learn and gives the same probabilities to the bit
  (`notes_qa/training/linear.py`).

## Training data

Synthetic corpus from `notes_qa.corpus.generate_corpus({families}, seed={seed}, statutory=False)`
(without the statutory situations planted for the statutory checks), split `train`
({train} sentences). Never trained on the hand-written dev set.

## Metrics

| set | precision | recall | F1 | ECE (all) | ECE (candidates) |
|---|---|---|---|---|---|
| synthetic test ({test} sentences) | {tp} | {tr} | {tf} | {tece} | {tcece} |
{dev_row}
{extra}

## Known limits

{limits}

## Reproduce

    python -m notes_qa.training.train_shipped --families {families} --seed {seed} \\
        --corpus corpora/generated/shipped --out models --dev ../shared/dev-set/voice_rationale.jsonl
"""

PURPOSE = {
    "child_voice": "Scores whether a sentence/clause records the child's own words, views, wishes or "
                   "feelings (or a pre-verbal child's communication); classes `none`, `direct_quote`, "
                   "`reported`, `non_verbal`; `score` = 1 − P(none).",
    "decision": "Scores whether a sentence records a decision or agreed outcome.",
    "rationale": "Scores whether a sentence gives the reason for a decision (in the same sentence, or "
                 "an adjacent \"This is because ...\" sentence).",
}
LIMITS = {
    "child_voice": "Speaker attribution is by nearest person reference (no parser): long sentences with "
                   "several speakers, unusual reporting verbs, or a child named only by an unknown nickname "
                   "can be misread. Without case metadata any unknown capitalised name may be taken for the "
                   "child. Synthetic training text is template-built, so scores on other styles are less "
                   "well calibrated than on the synthetic test split.",
    "decision": "Plans' action lines (\"Dad to complete a drug test\") and professionals' agreements to do "
                "tasks sit close to decisions; terse fragments without a decision or process word are missed.",
    "rationale": "Reasons more than one sentence away, or given without a connective (\"Mum has engaged well.\" "
                 "after \"Case to close.\"), are not found.",
}


def write_card(path: Path, name: str, report: dict[str, Any]) -> None:
    m = report[name]
    t = m["synthetic_test"]
    dev = m.get("dev_set")
    dev_row = (f"| hand-written dev set ({dev['n']} sentences, pipeline on each) | {dev['precision']} | "
               f"{dev['recall']} | {dev['f1']} | – | – |") if dev else ""
    extra = ""
    if dev and name == "child_voice":
        extra = f"\nKind agreement on found dev-set voice: {dev.get('kind_agreement')}."
    if dev and name == "decision":
        extra = f"\n`has_rationale` on found dev-set decisions that give their reason: {dev.get('has_rationale_when_given')}."
    cfg = json.loads((path / "classifier.json").read_text(encoding="utf-8"))
    cal = " with sigmoid calibration (3-fold)" if cfg.get("calibration") == "sigmoid" else ""
    room = "voice" if name == "child_voice" else "decisions"
    card = CARD.format(name=name, purpose=PURPOSE[name], C=cfg.get("C"), calibration=cal,
                       rules=f"notes_qa/{room}/rules/{room}.json",
                       featuriser=("notes_qa.voice.featuriser.VoiceFeaturiser" if room == "voice"
                                   else "notes_qa.decisions.featuriser.DecisionFeaturiser"),
                       families=report["families"], seed=report["seed"], train=report["train_sentences"],
                       test=report["test_sentences"], tp=t["precision"], tr=t["recall"], tf=t["f1"],
                       tece=t["ece"], tcece=t["ece_candidates"], dev_row=dev_row, extra=extra,
                       limits=LIMITS[name])
    (path / "README.md").write_text(card, encoding="utf-8")


def main(argv: Iterable[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--families", type=int, default=DEFAULT_FAMILIES)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--corpus", type=Path, default=Path("corpora/generated/shipped"))
    ap.add_argument("--out", type=Path, default=Path("models"))
    ap.add_argument("--dev", type=Path, default=None, help="hand-labelled sentences to measure on (not trained on)")
    ap.add_argument("--C", type=float, default=1.0)
    args = ap.parse_args(list(argv) if argv is not None else None)
    report = train(args.corpus, args.out, args.families, args.seed, args.dev, C=args.C)
    json.dump(report, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
