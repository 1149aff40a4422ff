"""The optional compiled rule core: used only when built from the current sources, same results."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

from notes_qa import speedups
from notes_qa.speedups import ENV_PURE, MANIFEST, compiled_path

SUFFIX = EXTENSION_SUFFIXES[0]


def _layout(tmp_path: Path, source: str = "X = 1\n", recorded: str | None = None,
            suffix: str = SUFFIX) -> tuple[Path, Path]:
    """A package ``pkg.sub`` with one module ``mod`` and a compiled root whose manifest records
    ``recorded`` (default: the source's own SHA-256)."""
    src_dir = tmp_path / "src" / "sub"
    src_dir.mkdir(parents=True)
    (src_dir / "mod.py").write_text(source, encoding="utf-8")
    root = tmp_path / "compiled"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / f"mod{SUFFIX}").write_bytes(b"")
    sha = recorded or hashlib.sha256(source.encode()).hexdigest()
    (root / MANIFEST).write_text(json.dumps({"suffix": suffix, "modules": {"pkg.sub.mod": sha}}), encoding="utf-8")
    return src_dir, root


def test_speedups_current_build_goes_first(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_PURE, raising=False)
    src_dir, root = _layout(tmp_path)
    assert compiled_path([str(src_dir)], "pkg.sub", root) == [str(root / "sub"), str(src_dir)]


def test_speedups_stale_build_is_never_used(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_PURE, raising=False)
    src_dir, root = _layout(tmp_path, recorded="0" * 64)  # built from another version of mod.py
    assert compiled_path([str(src_dir)], "pkg.sub", root) == [str(src_dir)]


def test_speedups_other_python_or_missing_module_is_not_used(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_PURE, raising=False)
    src_dir, root = _layout(tmp_path, suffix=".cpython-27-other.so")
    assert compiled_path([str(src_dir)], "pkg.sub", root) == [str(src_dir)]
    src_dir2, root2 = _layout(tmp_path / "b")
    (root2 / "sub" / f"mod{SUFFIX}").unlink()
    assert compiled_path([str(src_dir2)], "pkg.sub", root2) == [str(src_dir2)]
    assert compiled_path([str(src_dir2)], "pkg.sub", tmp_path / "nowhere") == [str(src_dir2)]


def test_speedups_env_forces_pure_python(tmp_path, monkeypatch):
    src_dir, root = _layout(tmp_path)
    monkeypatch.setenv(ENV_PURE, "1")
    assert compiled_path([str(src_dir)], "pkg.sub", root) == [str(src_dir)]


_PROBE = r"""
import json, sys
import spacy
import notes_qa.decisions.component, notes_qa.voice.component
from notes_qa.speedups import in_use
from notes_qa.spacy_ext import Context, get_attrs
nlp = spacy.blank("en"); nlp.add_pipe("sentencizer")
nlp.add_pipe("notes_qa_child_voice"); nlp.add_pipe("notes_qa_decisions")
nlp.initialize()
texts = ["Mia said she wants to stay with her nain. Mum said she is struggling.",
         "Leo reached for his mam and settled when she held him.",
         "It was agreed the case will step down to early help as there are no further concerns.",
         '"I don\'t want to go to dads," Jay said. Unable to gain his views as asleep. NFA.']
out = []
docs = []
for t, name in zip(texts, ["Mia", "Leo", "Mia", "Jay"]):
    d = nlp.make_doc(t)
    d._.nqa_context = Context(child_name=name, note_type="home_visit")
    docs.append(d)
for doc in nlp.pipe(docs):
    out.append({k: [(s.start_char, s.end_char, sorted(get_attrs(s).items())) for s in doc.spans[k]]
                for k in ("child_voice", "decision", "rationale")})
print(json.dumps({"compiled": in_use(), "spans": out}))
"""


@pytest.mark.skipif(not (speedups.COMPILED_DIR / MANIFEST).is_file(), reason="compiled rule core not built")
def test_speedups_compiled_and_pure_python_give_the_same_spans():
    def run(pure: bool) -> dict:
        env = {**os.environ, ENV_PURE: "1" if pure else "0"}
        res = subprocess.run([sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True, check=True)
        return json.loads(res.stdout.strip().splitlines()[-1])

    compiled, pure = run(False), run(True)
    if not compiled["compiled"]:
        pytest.skip("compiled rule core built from other sources (stale): pure Python in use")
    assert pure["compiled"] == []
    assert compiled["spans"] == pure["spans"]
    assert any(d["child_voice"] for d in pure["spans"]) and any(d["decision"] for d in pure["spans"])
