"""The shipped models' training command: which corpus it trains on."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from notes_qa.training.train_shipped import ensure_corpus


def _corpus(root: Path, stats: dict) -> Path:
    (root / "labels").mkdir(parents=True)
    (root / "labels" / "sentences.jsonl").write_text("", encoding="utf-8")
    (root / "stats.json").write_text(json.dumps(stats), encoding="utf-8")
    return root


def test_train_shipped_reuses_only_the_corpus_it_would_make(tmp_path: Path) -> None:
    same = _corpus(tmp_path / "same", {"families": 200, "seed": 7})
    ensure_corpus(same, 200, 7)  # made with these settings: used as it is
    for name, stats in (("planted", {"families": 200, "seed": 7, "statutory": {}}),
                        ("other_seed", {"families": 200, "seed": 8}), ("smaller", {"families": 20, "seed": 7})):
        with pytest.raises(SystemExit, match="other settings"):
            ensure_corpus(_corpus(tmp_path / name, stats), 200, 7)


def test_train_shipped_generates_without_planted_statutory_situations(tmp_path: Path) -> None:
    ensure_corpus(tmp_path / "c", 2, 5)
    stats = json.loads((tmp_path / "c" / "stats.json").read_text(encoding="utf-8"))
    assert stats["families"] == 2 and stats["seed"] == 5 and "statutory" not in stats
    rows = (tmp_path / "c" / "labels" / "sentences.jsonl").read_text(encoding="utf-8").splitlines()
    assert rows and not any('"template": "statutory.' in r for r in rows)
