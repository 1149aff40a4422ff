"""The notebooks in notebooks/ execute without error on a small synthetic corpus (nbclient)."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
FAMILIES = "5"  # small enough for each notebook to run in well under a minute

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def kernel_env(tmp_path_factory):
    """A kernelspec running THIS interpreter (the project venv), found through JUPYTER_PATH."""
    pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    root = tmp_path_factory.mktemp("jupyter")
    spec = root / "kernels" / "notes-qa-venv"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "notes-qa venv", "language": "python"}))
    work = tmp_path_factory.mktemp("nb-work")
    env = {"JUPYTER_PATH": str(root), "NOTES_QA_NB_WORKDIR": str(work), "NOTES_QA_NB_FAMILIES": FAMILIES,
           "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p),
           "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
           "JUPYTER_PLATFORM_DIRS": "1"}
    return env, work


def test_notebooks_are_present() -> None:
    assert {p.name for p in NOTEBOOKS} >= {"01_train_and_evaluate.ipynb", "02_error_analysis.ipynb",
                                           "03_your_own_annotations.ipynb"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebooks_execute(path: Path, kernel_env, monkeypatch) -> None:
    import nbformat
    from nbclient import NotebookClient

    env, work = kernel_env
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, kernel_name="notes-qa-venv", timeout=180,
                            resources={"metadata": {"path": str(work)}})
    client.execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors
    assert any(c.get("outputs") for c in nb.cells if c.cell_type == "code")
