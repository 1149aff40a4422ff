"""`notes-qa score --resume`: an interrupted run continues where it stopped."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from notes_qa.batch import recover_partial, skip_done
from notes_qa.records import CaseFile, ChildMeta, ErrorRecord

ROOT = Path(__file__).resolve().parent.parent
# The CLI with a light pipeline (the detector components are not needed to test batching).
RUNNER = """
import sys
from notes_qa.batch import run_score
from notes_qa.cli import build_parser
if __name__ == "__main__":
    args = build_parser().parse_args(sys.argv[1:])
    args.pipeline_components = ["notes_qa_sentences"]
    sys.exit(run_score(args))
"""


def _case(line_id: str) -> str:
    return json.dumps({"schema": "notes-qa/case@1", "case_id": line_id}) + "\n"


def test_batch_recover_partial_drops_a_cut_off_last_line(tmp_path: Path) -> None:
    p = tmp_path / "out.jsonl.partial"
    err = json.dumps({"schema": "notes-qa/error@1", "source": "x.pdf", "error": "empty",
                      "message": "m"}) + "\n"
    p.write_text(_case("f/A") + err + _case("f/B")[:-9])
    state = recover_partial(p)
    assert state.done == {("case", "f/A"), ("error", "x.pdf")}
    assert (state.cases, state.errors) == (1, 1)
    assert state.dropped_bytes > 0
    assert p.read_text() == _case("f/A") + err  # ready for appending


def test_batch_recover_partial_stops_at_a_line_that_is_not_a_record(tmp_path: Path) -> None:
    p = tmp_path / "out.jsonl.partial"
    p.write_text(_case("A") + '{"schema": "notes-qa/case@1", "case_i\n' + _case("B"))
    state = recover_partial(p)
    assert state.done == {("case", "A")}
    assert p.read_text() == _case("A")


def test_batch_skip_done_rescores_a_partly_written_family() -> None:
    def cf(cid: str) -> CaseFile:
        return CaseFile(case_id=cid, meta=ChildMeta(child_id=cid), sources={f"{cid}.txt": "x"})

    groups = [[cf("f1/A"), cf("f1/B")], [cf("f2/A"), cf("f2/B")], [ErrorRecord("bad.pdf", "e", "m")],
              [cf("C")]]
    done = {("case", "f1/A"), ("case", "f1/B"), ("case", "f2/A"), ("error", "bad.pdf"),
            ("error", "C.txt")}  # C failed analysis in the first run
    matched: set = set()
    left = list(skip_done(groups, done, matched))
    assert [[c.case_id for c in g] for g in left] == [["f2/A", "f2/B"]]
    assert ("case", "f2/A") not in matched and ("error", "C.txt") in matched


def _corpus(tmp_path: Path, families: int) -> tuple[Path, Path]:
    from notes_qa.corpus import generate_corpus

    out = tmp_path / "corpus"
    generate_corpus(families, 11, out, docx_share=0.0, hf=False, card=False)
    return out / "docs", out / "manifest.csv"


def _score(args: list[str], **kw) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-c", RUNNER, "score", *args, "--quiet"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            cwd=ROOT, start_new_session=True, **kw)


def test_batch_resume_requires_out(tmp_path: Path) -> None:
    proc = _score([str(tmp_path), "--resume"])
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 2 and "--resume needs --out" in err


@pytest.mark.slow
def test_batch_resume_after_kill_equals_an_uninterrupted_run(tmp_path: Path) -> None:
    docs, manifest = _corpus(tmp_path, 10)
    (docs / "broken.pdf").write_bytes(b"not a pdf")  # an error record, in its place
    common = [str(docs), "--manifest", str(manifest), "--rules", "wales"]
    full = tmp_path / "full.jsonl"
    proc = _score([*common, "--out", str(full), "--workers", "1"])
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 1, err  # the broken PDF is rejected, the rest scored
    expected = full.read_bytes()
    n = expected.count(b"\n")
    assert n > 12

    out = tmp_path / "out.jsonl"
    partial = tmp_path / "out.jsonl.partial"
    proc = _score([*common, "--out", str(out), "--workers", "2"])
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        if partial.exists() and partial.read_bytes().count(b"\n") >= 4:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before it could be interrupted"
    os.killpg(proc.pid, signal.SIGKILL)  # no clean-up at all, workers included
    proc.wait(timeout=30)

    assert not out.exists()  # an interrupted run never looks complete
    kept = partial.read_bytes()
    assert 0 < kept.count(b"\n") < n
    assert expected.startswith(kept[:kept.rfind(b"\n") + 1])
    with partial.open("ab") as fh:  # as if killed in the middle of a write
        fh.write(b'{"schema": "notes-qa/case@1", "case_id": "fam')

    proc = _score([*common, "--out", str(out), "--workers", "1", "--resume"])
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 1, err
    assert not partial.exists()
    assert out.read_bytes() == expected  # nothing lost, nothing twice, same order

    # Resuming a complete output does nothing and reports the same status.
    proc = _score([*common, "--out", str(out), "--resume"])
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 1 and out.read_bytes() == expected
