"""A small fictional family of scored records, built by hand, with every span label and kind.

Used by the tests, the benchmark and documentation screenshots, so the reports can be shown
without running the detectors. All names, places and events are invented.
"""
from __future__ import annotations

from ..records import CaseRecord, ChildMeta, Entry, Finding, Span

MIA = (
    "Children's Services - case notes export\n"
    "03/02/2025 Home visit - SW Rhian Evans\n"
    "Visited the family home. Mia was seen alone in her bedroom. "
    "Mia said \"I want to stay with Nain at weekends because it is calm there.\" "
    "She looked down and went quiet when Darren was mentioned.\n"
    "Family background: Sian lives with her partner Darren and her two children, Mia (9) and Leo (4).\n"
    "It was agreed that Mia will stay with Nain every other weekend because she feels safe there.\n"
    "\n"
    "17/02/2025 Strategy discussion - Team Manager Lowri Hughes\n"
    "It was agreed that a section 47 enquiry will be started. "
    "Leo has settled well at nursery and he enjoys painting.\n"
    "\n"
    "03/03/2025 Care and support plan - SW Rhian Evans\n"
    "The LA will facilitate contact in line with the CIN plan going forward. "
    "Mum will be supported to engage with services.\n"
    "\n"
    "24/03/2025 School visit - SW Gareth Pugh\n"
    "Met Mia at school with her teacher. Attendance is 94%.\n"
)

LEO = (
    "Children's Services - case notes export\n"
    "04/02/2025 Home visit - SW Rhian Evans\n"
    "Leo reached for his mam and smiled when she held him. "
    "Family background: Sian lives with her partner Darren and her two children, Mia (9) and Leo (4).\n"
    "Leo has settled well at nursery and he enjoys painting.\n"
    "\n"
    "18/02/2025 Home visit - SW Rhian Evans\n"
    "Leo babbled and pointed at the garden. The unique-marker-for-leo sentence stays in Leo's file.\n"
)


def _entries(text: str, source: str, meta: list[tuple[str, str, str]]) -> list[Entry]:
    """Entries cut at each header line (the first line of each meta item)."""
    starts = []
    for head, _, _ in meta:
        starts.append(text.index(head))
    out = []
    for k, (head, author, note_type) in enumerate(meta):
        end = starts[k + 1] if k + 1 < len(starts) else len(text)
        d, m, y = head[:10].split("/")
        out.append(Entry(source=source, start=starts[k], end=end, date=f"{y}-{m}-{d}",
                         author=author, note_type=note_type,
                         body_start=text.index("\n", starts[k]) + 1,
                         extra={"worker": author, "team": "Team North"}))
    return out


def _span(rec: CaseRecord, label: str, needle: str, nth: int = 0, **attrs: object) -> int:
    """Add a span over the ``nth`` occurrence of ``needle`` in the record's only source."""
    text = next(iter(rec.sources.values()))
    pos = -1
    for _ in range(nth + 1):
        pos = text.index(needle, pos + 1)
    entry = next(i for i, e in enumerate(rec.entries) if e.start <= pos < e.end)
    return rec.add_span(Span(label, entry, pos, pos + len(needle), needle, dict(attrs)))


def sample_family(mia_text: str = MIA, payload: str | None = None) -> list[CaseRecord]:
    """Mia and Leo (family-17), scored by hand. ``payload`` is appended to Mia's first visit."""
    if payload:
        mia_text = mia_text.replace("Mia was seen alone in her bedroom. ",
                                    "Mia was seen alone in her bedroom. " + payload + " ", 1)
    mia = CaseRecord("family-17/Mia", ChildMeta("Mia", "Mia", "family-17", gender="female",
                                                age=9, team="Team North", worker="Rhian Evans"),
                     {"family-17/Mia.txt": mia_text})
    mia.entries = _entries(mia_text, "family-17/Mia.txt", [
        ("03/02/2025 Home visit", "Rhian Evans", "home_visit"),
        ("17/02/2025 Strategy", "Lowri Hughes", "strategy_discussion"),
        ("03/03/2025 Care", "Rhian Evans", "care_and_support_plan"),
        ("24/03/2025 School", "Gareth Pugh", "school_visit")])
    for e, s in zip(mia.entries, (71.5, 64.0, 38.0, 80.0)):
        e.scores["plain_language"] = s
    leo = CaseRecord("family-17/Leo", ChildMeta("Leo", "Leo", "family-17", gender="male", age=4,
                                                team="Team North", worker="Rhian Evans"),
                     {"family-17/Leo.txt": LEO})
    leo.entries = _entries(LEO, "family-17/Leo.txt", [
        ("04/02/2025 Home visit", "Rhian Evans", "home_visit"),
        ("18/02/2025 Home visit", "Rhian Evans", "home_visit")])
    for e, s in zip(leo.entries, (75.0, 82.0)):
        e.scores["plain_language"] = s

    _span(mia, "child_voice", "\"I want to stay with Nain at weekends because it is calm there.\"",
          kind="direct_quote", score=0.97)
    _span(mia, "child_voice", "I want to stay with Nain at weekends", kind="reported", score=0.55)
    _span(mia, "child_voice", "She looked down and went quiet when Darren was mentioned.",
          kind="non_verbal", score=0.81)
    d1 = _span(mia, "decision", "It was agreed that Mia will stay with Nain every other weekend",
               score=0.93, has_rationale=True)
    _span(mia, "rationale", "because she feels safe there", score=0.88, decision=d1)
    d2 = _span(mia, "decision", "It was agreed that a section 47 enquiry will be started",
               score=0.9, has_rationale=False)
    bg = "Family background: Sian lives with her partner Darren and her two children, Mia (9) and Leo (4)."
    leo_text = LEO
    lb = leo_text.index(bg)
    _span(mia, "sibling_copy", bg, kind="shared_background", similarity=1.0,
          match={"case_id": "family-17/Leo", "entry": 0, "start": lb, "end": lb + len(bg)})
    copied = "Leo has settled well at nursery and he enjoys painting."
    lc = leo_text.index(copied)
    c1 = _span(mia, "sibling_copy", copied, kind="verbatim", similarity=1.0,
               match={"case_id": "family-17/Leo", "entry": 0, "start": lc, "end": lc + len(copied)})
    l1 = _span(mia, "name_leak", "Leo", nth=1, kind="sibling_name", detail="Leo")
    l2 = _span(mia, "name_leak", "he", nth=_nth_word(mia_text, "he", copied),
               kind="pronoun", detail="he (Mia is a girl)")
    _span(mia, "plain_language", "LA", kind="unexplained_acronym", suggestion="the council")
    _span(mia, "plain_language", "facilitate", kind="jargon", suggestion="arrange")
    _span(mia, "plain_language", "CIN", kind="unexplained_acronym",
          suggestion="child in need (say what it means)")
    _span(mia, "plain_language", "going forward", kind="jargon", suggestion="from now on")
    _span(mia, "plain_language", "Mum will be supported to engage with services.",
          kind="vague_action", suggestion="Say who will do what, and by when.")
    _span(mia, "plain_language", "will be supported", kind="passive_voice",
          suggestion="Name who will support her.")
    _span(mia, "plain_language", "The LA will facilitate contact in line with the CIN plan going forward.",
          kind="long_sentence", suggestion=None)
    mia.summary.update({"child_voice_coverage": 0.5, "rationale_coverage": 0.5,
                        "sibling_copy_share": 0.08, "plain_language": 38.0})
    mia.findings = [
        Finding("decision_without_rationale", "warning",
                "Decision on 2025-02-17 has no recorded reason.", entry=1, spans=[d2]),
        Finding("sibling_text_copied", "concern",
                "A passage on 2025-02-17 also stands in Leo's file.", entry=1, spans=[c1]),
        Finding("sibling_name_leak", "concern",
                "Leo's name and 'he' appear in Mia's file on 2025-02-17.", entry=1,
                spans=[l1, l2]),
        Finding("visit_without_child_voice", "warning",
                "The school visit on 2025-03-24 does not record the child's words, views, "
                "wishes or feelings.", entry=3),
        Finding("plan_not_plain", "info",
                "The plan on 2025-03-03 uses jargon and unexplained acronyms.", entry=2),
        Finding("active_offer_not_recorded", "info",
                "No record that the Welsh-language Active Offer was made."),
    ]
    mia.extra["siblings_compared"] = True

    _span(leo, "child_voice", "Leo reached for his mam and smiled when she held him.",
          kind="non_verbal", score=0.86)
    _span(leo, "child_voice", "Leo babbled and pointed at the garden.", kind="non_verbal",
          score=0.8)
    mb = mia_text.index(bg)
    _span(leo, "sibling_copy", bg, kind="shared_background", similarity=1.0,
          match={"case_id": "family-17/Mia", "entry": 0, "start": mb, "end": mb + len(bg)})
    mc = mia_text.index(copied)
    _span(leo, "sibling_copy", copied, kind="verbatim", similarity=1.0,
          match={"case_id": "family-17/Mia", "entry": 1, "start": mc, "end": mc + len(copied)})
    leo.summary.update({"child_voice_coverage": 1.0, "rationale_coverage": None,
                        "sibling_copy_share": 0.15, "plain_language": 78.5})
    leo.findings = [Finding("sibling_text_copied", "warning",
                            "A passage on 2025-02-04 also stands in Mia's file.", entry=0,
                            spans=[3])]
    leo.extra["siblings_compared"] = True
    return [mia, leo]


def _nth_word(text: str, word: str, inside: str) -> int:
    """Which occurrence of ``word`` (as a substring) falls inside the passage ``inside``."""
    start = text.index(inside)
    target = start + inside.index(f" {word} ") + 1
    n, pos = 0, -1
    while True:
        pos = text.index(word, pos + 1)
        if pos == target:
            return n
        n += 1
