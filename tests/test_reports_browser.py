"""End to end in headless Debian Chromium (Selenium): report and dashboard render, no console
errors, highlights and findings in the DOM, and no injected script ever runs.

Skipped cleanly when chromium/chromedriver or selenium are missing (see .ci/install-browser.sh).
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

CHROMEDRIVER = "/usr/bin/chromedriver"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not (Path(CHROMEDRIVER).exists() and (shutil.which("chromium")
                                                             or shutil.which("chromium-browser"))),
                       reason="Debian chromium and chromium-driver are not installed"),
]

PAYLOADS = ['<script>window.__pwned = 1</script>',
            '<img src=x onerror="window.__pwned = 2">',
            '</textarea><svg onload="window.__pwned = 3"></svg>',
            '"><script>window.__pwned = 4</script>',
            "'><iframe srcdoc=\"<script>parent.__pwned = 5</script>\"></iframe>"]


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1280,1600",
                f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    d = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    yield d
    d.quit()


def _open(driver, path: Path) -> list[dict]:
    driver.get(path.resolve().as_uri())
    driver.find_element("tag name", "body")
    return [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


def test_reports_browser_case_report_renders(driver, tmp_path: Path) -> None:
    from notes_qa.reports import write_case_report
    from notes_qa.reports.sample import sample_family

    out = write_case_report(tmp_path / "report.html", sample_family())
    assert _open(driver, out) == []
    hl = driver.find_elements("css selector", "mark.hl")
    assert len(hl) >= 15
    for cls in ("l-child_voice.k-direct_quote", "l-child_voice.k-reported", "l-child_voice.k-non_verbal",
                "l-decision.k-with_rationale", "l-decision.k-without_rationale", "l-rationale",
                "l-sibling_copy.k-verbatim", "l-sibling_copy.k-shared_background", "l-name_leak",
                "l-plain_language"):
        assert driver.find_elements("css selector", f"mark.hl.{cls}"), cls
    findings = driver.find_elements("css selector", "ol.points li.finding")
    assert len(findings) == 7
    assert "Decision on 2025-02-17 has no recorded reason." in driver.find_element("id", "c0").text
    assert driver.find_elements("css selector", ".pair")
    assert driver.find_elements("css selector", "svg.chart circle")
    # the highlights are visible: the underline stripes give marks a non-empty background
    bg = driver.execute_script(
        "return getComputedStyle(document.querySelector('mark.hl')).backgroundImage")
    assert "linear-gradient" in bg
    assert driver.save_screenshot(str(tmp_path / "report.png"))
    assert (tmp_path / "report.png").stat().st_size > 10_000


def test_reports_browser_dashboard_renders(driver, tmp_path: Path) -> None:
    from notes_qa.reports.dashboard import write_dashboard
    from notes_qa.reports.sample import sample_family
    from notes_qa.store import append_run

    db = tmp_path / "r.duckdb"
    for _ in range(2):
        append_run(db, sample_family(), inputs=["family-17"])
    out = write_dashboard(db, tmp_path / "dashboard.html")
    assert _open(driver, out) == []
    assert len(driver.find_elements("css selector", "figure[data-score] svg rect")) >= 40
    rows = driver.find_elements("css selector", "table[data-table=most_concerns] tbody tr")
    assert len(rows) == 2 and "family-17/Mia" in rows[0].text
    assert len(driver.find_elements("css selector", "table[data-table=runs] tbody tr")) == 2
    assert driver.save_screenshot(str(tmp_path / "dashboard.png"))


@pytest.mark.parametrize("csp", [False, True], ids=["escaping-only", "with-csp"])
def test_reports_browser_xss_payloads_render_as_text(driver, tmp_path: Path, csp: bool) -> None:
    from notes_qa.reports import render_case_report
    from notes_qa.reports.sample import sample_family

    payload = " ".join(PAYLOADS)
    mia, leo = sample_family(payload=payload)
    mia.meta.child_name = "Mia " + PAYLOADS[0]
    mia.findings[0].message += " " + PAYLOADS[1]
    mia.entries[0].author = PAYLOADS[2]
    for s in mia.spans:
        if s.label == "plain_language":
            s.attrs["suggestion"] = PAYLOADS[3]
        if s.label == "name_leak":
            s.attrs["detail"] = PAYLOADS[4]
    out = tmp_path / "xss.html"
    out.write_text(render_case_report([mia, leo], csp=csp), encoding="utf-8")
    errors = _open(driver, out)
    assert driver.execute_script("return window.__pwned === undefined") is True
    assert errors == []
    assert not driver.find_elements("css selector", "body script, body img, body iframe, body textarea")
    body = driver.find_element("tag name", "body").text
    for p in PAYLOADS[:3]:
        assert p in body
    assert "Mia " + PAYLOADS[0] in driver.find_element("css selector", "#c0 h2").text
    tip = driver.find_element("css selector", "mark.hl.l-plain_language").get_attribute("title")
    assert PAYLOADS[3] in tip


@pytest.mark.slow
def test_reports_browser_full_pipeline_end_to_end(driver, tmp_path: Path, monkeypatch) -> None:
    """Score a family with the default pipeline via the CLI functions, then view both pages."""
    from notes_qa.reports.cli import main
    from notes_qa.reports.sample import LEO, MIA

    fam = tmp_path / "data" / "family-17"
    fam.mkdir(parents=True)
    (fam / "Mia.txt").write_text(MIA, encoding="utf-8")
    (fam / "Leo.txt").write_text(LEO, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["report", "data", "--out", "report.html", "--quiet"]) == 0
    assert _open(driver, tmp_path / "report.html") == []
    assert driver.find_elements("css selector", "mark.hl")
    assert driver.find_elements("css selector", "ol.points li.finding")
    assert str(tmp_path) not in (tmp_path / "report.html").read_text(encoding="utf-8")
    driver.save_screenshot(str(tmp_path / "report.png"))

    from notes_qa.scoring import score_paths
    from notes_qa.store import append_run

    recs = list(score_paths(["data"]))
    append_run("r.duckdb", recs, inputs=["data"])
    append_run("r.duckdb", [r.to_dict() for r in recs], inputs=["data"])
    assert main(["dashboard", "--db", "r.duckdb", "--out", "dashboard.html"]) == 0
    assert _open(driver, tmp_path / "dashboard.html") == []
    assert len(driver.find_elements("css selector", "table[data-table=runs] tbody tr")) == 2
    driver.save_screenshot(str(tmp_path / "dashboard.png"))
