"""`--workers N`: a process pool whose output is byte-identical to one worker's."""
from __future__ import annotations

from pathlib import Path

import pytest

from notes_qa.parallel import Scored, pipeline_factory, score_groups_parallel
from notes_qa.records import CaseFile, ChildMeta, ErrorRecord

LIGHT = pipeline_factory(["notes_qa_sentences"])
TEXT = ("01/02/2025 Home visit - SW Ann Bell\nSeen {n} alone. {n} said she likes school.\n"
        "08/02/2025 Phone call - SW Ann Bell\nMum rang about school. It was agreed that {n} "
        "would stay with Nan because Mum is in hospital.\n")


def _groups(n_families: int) -> list[list]:
    groups: list[list] = []
    for i in range(n_families):
        fam = f"fam-{i}"
        kids = [CaseFile(case_id=f"{fam}/{k}", sources={f"{fam}/{k}.txt": TEXT.format(n=k) * (i % 3 + 1)},
                         meta=ChildMeta(child_id=k, child_name=k, family_id=fam))
                for k in ("Mia", "Leo")[: 1 + i % 2]]
        groups.append(kids)
        if i % 4 == 1:
            groups.append([ErrorRecord(f"bad-{i}.pdf", "corrupt_pdf", "could not be parsed")])
    return groups


def _lines(items: list[Scored]) -> list[str]:
    return [s.line for s in items]


def test_parallel_one_worker_runs_in_process_and_keeps_errors_in_place() -> None:
    out = list(score_groups_parallel(_groups(6), workers=1, nlp_factory=LIGHT))
    kinds = ["error" if s.is_error else s.record["case_id"] for s in out]
    assert kinds == ["fam-0/Mia", "fam-1/Mia", "fam-1/Leo", "error", "fam-2/Mia", "fam-3/Mia",
                     "fam-3/Leo", "fam-4/Mia", "fam-5/Mia", "fam-5/Leo", "error"]


@pytest.mark.slow
def test_parallel_two_workers_give_the_same_bytes_as_one() -> None:
    groups = _groups(12)
    one = _lines(list(score_groups_parallel(groups, workers=1, nlp_factory=LIGHT)))
    two = _lines(list(score_groups_parallel(groups, workers=2, nlp_factory=LIGHT,
                                            max_in_flight=3)))
    assert two == one and len(one) == sum(len(g) for g in groups)


@pytest.mark.slow
def test_parallel_reads_ahead_at_most_max_in_flight_groups() -> None:
    groups = _groups(16)
    pulled = 0

    def source():
        nonlocal pulled
        for g in groups:
            pulled += 1
            yield g

    yielded_groups = 0
    ahead = []
    seen_cases: set[str] = set()
    for s in score_groups_parallel(source(), workers=2, nlp_factory=LIGHT, max_in_flight=3):
        key = s.record.get("family_id") or s.record.get("source")
        if key not in seen_cases:
            seen_cases.add(key)
            yielded_groups += 1
        ahead.append(pulled - yielded_groups)
    assert max(ahead) <= 3 + 1  # the in-flight window (+ the group being handed out)
    assert pulled == len(groups)


def test_parallel_a_single_family_does_not_start_a_pool(monkeypatch) -> None:
    import notes_qa.parallel as par

    def no_pool(*a, **k):
        raise AssertionError("a pool was started for one family")

    monkeypatch.setattr(par, "_score_pool", no_pool)
    out = list(score_groups_parallel(_groups(1), workers=4, nlp_factory=LIGHT))
    assert [s.record["case_id"] for s in out] == ["fam-0/Mia"]


def test_parallel_cli_rejects_zero_workers(tmp_path: Path) -> None:
    from notes_qa.batch import run_score
    from notes_qa.cli import build_parser

    (tmp_path / "Mia.txt").write_text(TEXT.format(n="Mia"))
    args = build_parser().parse_args(["score", str(tmp_path / "Mia.txt"), "--workers", "0"])
    assert run_score(args) == 2
