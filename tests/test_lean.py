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
print(json.dumps({"rc": rc, "torch": "torch" in sys.modules}))
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
    out = _run(CLI, "score", str(ROOT / "corpora" / "sample"), "--out", str(tmp_path / "r.jsonl"), "--quiet")
    assert out == {"rc": 0, "torch": False}
    assert (tmp_path / "r.jsonl").stat().st_size > 0
