"""notes-qa's own processes import spaCy without thinc's torch import (notes_qa.lean)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json, sys
from notes_qa.lean import import_spacy_lean
done = import_spacy_lean()
import thinc.compat
hidden = "torch" not in sys.modules and not thinc.compat.has_torch
again = import_spacy_lean()
import torch  # still importable afterwards, for the optional transformers backend
print(json.dumps({"done": done, "hidden": hidden, "again": again, "torch": torch.__name__}))
"""

CLI = """
import json, sys
from notes_qa.cli import main
rc = main(sys.argv[1:])
print(json.dumps({"rc": rc, "torch": "torch" in sys.modules, "spacy": "spacy" in sys.modules}))
"""


def _run(code: str, *args: str, **env: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, **env}, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_lean_hides_torch_from_thinc_only() -> None:
    out = _run(PROBE)
    assert out == {"done": True, "hidden": True, "again": False, "torch": "torch"}


def test_lean_can_be_turned_off() -> None:
    out = _run(PROBE, NOTES_QA_THINC_TORCH="1")
    assert out["done"] is False and out["hidden"] is False


def test_lean_cli_scores_without_importing_torch(tmp_path: Path) -> None:
    out = _run(CLI, "score", str(ROOT / "corpora" / "sample"), "--out", str(tmp_path / "r.jsonl"), "--quiet",
               "--workers", "1")
    assert out == {"rc": 0, "torch": False, "spacy": True}
    assert (tmp_path / "r.jsonl").stat().st_size > 0


def test_lean_cli_parent_leaves_spacy_to_its_workers(tmp_path: Path) -> None:
    # several families, two workers: the parent only reads and writes
    out = _run(CLI, "score", str(ROOT / "corpora" / "sample"), "--out", str(tmp_path / "r.jsonl"), "--quiet",
               "--workers", "2")
    assert out == {"rc": 0, "torch": False, "spacy": False}
    one = _run(CLI, "score", str(ROOT / "corpora" / "sample"), "--out", str(tmp_path / "one.jsonl"), "--quiet",
               "--workers", "1")
    assert one["rc"] == 0
    assert (tmp_path / "r.jsonl").read_bytes() == (tmp_path / "one.jsonl").read_bytes()


def test_lean_cli_parent_scoring_one_family_itself_imports_spacy_lean(tmp_path: Path) -> None:
    # one family: no pool is started, so the parent builds the pipeline, still without torch
    docs = sorted((ROOT / "corpora" / "sample").rglob("*.txt"))
    out = _run(CLI, "score", str(docs[0]), "--out", str(tmp_path / "r.jsonl"), "--quiet", "--workers", "2")
    assert out == {"rc": 0, "torch": False, "spacy": True}


FACTORY = """
import gc, json
from notes_qa.lean import LeanFactory
made = LeanFactory(lambda: {"pipeline": [1, 2, 3]})()
print(json.dumps({"made": made, "frozen": gc.get_freeze_count() > 0}))
"""


def test_lean_factory_freezes_what_it_built_out_of_the_collectors_sight() -> None:
    assert _run(FACTORY) == {"made": {"pipeline": [1, 2, 3]}, "frozen": True}
    assert _run(FACTORY, NOTES_QA_GC_FREEZE="0") == {"made": {"pipeline": [1, 2, 3]}, "frozen": False}
