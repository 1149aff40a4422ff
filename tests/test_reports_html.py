"""The HTML case report: escaping, span view, scorecard, side-by-side copies, path hygiene."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from notes_qa.reports import render_case_report
from notes_qa.reports.case_report import assess, load_thresholds, read_sources
from notes_qa.reports.html import escape
from notes_qa.reports.sample import sample_family
from notes_qa.reports.spans import assign_slots, render_text

PAYLOAD = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"></textarea>'


def test_reports_escape_neutralises_markup_and_quotes() -> None:
    assert escape('<a href="x" onclick=\'y\'>&') == "&lt;a href=&quot;x&quot; onclick=&#x27;y&#x27;&gt;&amp;"
    assert escape(None) == ""
    assert escape("a\x00b") == "a\ufffdb"


def test_reports_payload_in_every_field_is_escaped() -> None:
    mia, leo = sample_family(payload=PAYLOAD)
    mia.meta.child_name = "Mia<script>bad()</script>"
    mia.findings[0].message += ' <img src=x onerror="bad()">'
    mia.entries[0].author = "</textarea><b>x</b>"
    next(s for s in mia.spans if s.label == "plain_language").attrs["suggestion"] = '"><svg onload=bad()>'
    html = render_case_report([mia, leo])
    assert "<script>" not in html.split("</head>", 1)[1]
    assert "<img" not in html and "<svg onload" not in html and "</textarea>" not in html
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert "Mia&lt;script&gt;bad()&lt;/script&gt;" in html
    assert "&lt;/textarea&gt;&lt;b&gt;x&lt;/b&gt;" in html
    assert "&quot;&gt;&lt;svg onload=bad()&gt;" in html
    assert "Content-Security-Policy" in html and "script-src" not in html  # default-src 'none'


def test_reports_report_is_self_contained() -> None:
    html = render_case_report(sample_family())
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", html)
    assert "<script" not in html and "@import" not in html and "url(" not in html
    assert "<link" not in html


def test_reports_every_label_and_kind_is_highlighted() -> None:
    html = render_case_report(sample_family())
    for cls in ("l-child_voice k-direct_quote", "k-reported", "k-non_verbal", "k-with_rationale",
                "k-without_rationale", "l-rationale", "k-verbatim", "k-shared_background",
                "l-name_leak", "l-plain_language"):
        for part in cls.split():
            assert f" {part}" in html or f'"hl {part}' in html, part
    assert "Plain-language problem, jargon — suggestion: arrange" in html
    # every span has a tag anchored by id, so findings can link to it
    mia, leo = sample_family()
    for k in range(len(mia.spans)):
        assert f'id="c0-s{k}"' in html
    assert 'href="#c0-s' in html


def test_reports_overlapping_spans_get_separate_slots() -> None:
    slots = assign_slots([(0, 0, 10), (1, 2, 5), (2, 5, 8), (3, 10, 12)])
    assert slots[0] == 0 and slots[1] == 1 and slots[2] == 1 and slots[3] == 0
    text = "abcdefghijkl"
    out = render_text(text, 100, [(0, {"label": "child_voice", "kind": "reported", "start": 100, "end": 110}),
                                  (1, {"label": "plain_language", "kind": "jargon", "start": 102, "end": 105})],
                      "x")
    assert re.sub(r"<[^>]+>", "", out).replace("child&#x27;s voice · reported", "").replace(
        "plain language · jargon", "") == text
    assert out.count('data-spans="0 1"') == 1


def test_reports_scorecard_uses_thresholds_and_direction() -> None:
    m = load_thresholds()
    assert assess(0.9, m["child_voice_coverage"]) == "met"
    assert assess(0.5, m["child_voice_coverage"]) == "not-met"
    assert assess(0.05, m["sibling_copy_share"]) == "met"
    assert assess(0.5, m["sibling_copy_share"]) == "not-met"
    assert assess(None, m["plain_language"]) == "na"
    html = render_case_report(sample_family()[:1])
    assert html.count('class="card not-met"') == 3 and html.count('class="card met"') == 1


def test_reports_thresholds_reject_unknown_keys(tmp_path: Path) -> None:
    bad = tmp_path / "t.json"
    bad.write_text(json.dumps({"measures": {"plain_language": {"threshold": 50, "direction": "higher",
                                                                "colour": "red"}}}))
    with pytest.raises(ValueError, match="unknown keys"):
        load_thresholds(bad)


def test_reports_points_for_supervision_sorted_with_dates() -> None:
    html = render_case_report(sample_family()[:1])
    points = html.split('<ol class="points">', 1)[1].split("</ol>", 1)[0]
    sev = re.findall(r'<li class="finding (\w+)"', points)
    assert sev == sorted(sev, key=["concern", "warning", "info"].index)
    assert '<span class="date">2025-02-17</span>' in points
    assert '<span class="date">whole file</span>' in points


def test_reports_side_by_side_when_sibling_is_an_input() -> None:
    html = render_case_report(sample_family())
    assert html.count('class="copy"') == 4
    assert "not among the inputs" not in html
    assert 'href="#c1-e0"' in html  # Mia's copied passage links into Leo's entry


def test_reports_one_child_contains_no_sibling_data() -> None:
    mia, _ = sample_family()
    html = render_case_report([mia])
    assert "unique-marker-for-leo" not in html
    assert "not among the inputs" in html
    assert "Leo reached for his mam" not in html


def test_reports_from_json_rereads_sources_relative_to_results(tmp_path: Path) -> None:
    recs = sample_family()
    for r in recs:
        for src, text in r.sources.items():
            (tmp_path / src).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / src).write_text(text, encoding="utf-8")
    dicts = [json.loads(json.dumps(r.to_dict())) for r in recs]
    texts = read_sources(dicts[0], [tmp_path])
    assert texts == {"family-17/Mia.txt": recs[0].sources["family-17/Mia.txt"]}
    html = render_case_report(dicts, sources={**texts, **read_sources(dicts[1], [tmp_path])})
    assert "Visited the family home." in html
    assert str(tmp_path) not in html
    # a changed source is not shown (offsets would mislead); spans are listed instead
    (tmp_path / "family-17/Mia.txt").write_text("changed", encoding="utf-8")
    assert read_sources(dicts[0], [tmp_path]) == {}
    html2 = render_case_report(dicts[:1])
    assert "source text is not available" in html2 and "Visited the family home." not in html2
    assert "I want to stay with Nain at weekends" in html2


def test_reports_names_no_path_outside_the_inputs(tmp_path: Path, monkeypatch) -> None:
    from notes_qa.pipeline import build_pipeline
    from notes_qa.scoring import score_paths

    fam = tmp_path / "data" / "family-1"
    fam.mkdir(parents=True)
    (fam / "Mia.txt").write_text("01/02/2025 Home visit - SW Ann Bell\nMia said she likes school.\n")
    (fam / "Leo.txt").write_text("01/02/2025 Home visit - SW Ann Bell\nLeo smiled.\n")
    monkeypatch.chdir(tmp_path)
    nlp = build_pipeline(components=("notes_qa_sentences",))
    recs = list(score_paths(["data"], nlp=nlp))
    html = render_case_report(recs)
    assert str(tmp_path) not in html and str(Path.home()) + "/" not in html
    paths = set(re.findall(r"<code>([^<]*\.txt)</code>", html))
    assert paths == {"data/family-1/Mia.txt", "data/family-1/Leo.txt"}
