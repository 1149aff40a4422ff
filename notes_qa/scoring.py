"""Score case files: read → segment → spaCy pipeline → family step → summary and findings.

Usable without the CLI::

    from notes_qa import score_paths
    for record in score_paths(["data/"]):
        print(record.to_dict())
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator, Sequence

from .errors import ConfigError, input_error
from .records import CaseFile, CaseRecord, ChildMeta, Entry, ErrorRecord

if TYPE_CHECKING:
    from spacy.language import Language


def segment_case(case: CaseFile) -> CaseRecord:
    """Cut each source of ``case`` into entries (table rows are entries already)."""
    from .segmentation import normalise_note_type, segment

    record = CaseRecord(case_id=case.case_id, meta=case.meta, sources=case.sources)
    if case.row_entries is not None:
        for e in case.row_entries:
            e.note_type = normalise_note_type(e.note_type) if e.note_type else None
            record.entries.append(e)
        return record
    for source, text in case.sources.items():
        result = segment(text, source)
        record.entries.extend(result.entries)
        _fill_meta_from_preamble(case.meta, result.preamble)
    return record


def _fill_meta_from_preamble(meta: ChildMeta, preamble: dict[str, str]) -> None:
    """Use the export's preamble (name, ID, DOB) where no manifest or table gave it."""
    if not preamble:
        return
    if not meta.child_name and preamble.get("child_name"):
        meta.child_name = preamble["child_name"]
    if not meta.date_of_birth and preamble.get("date_of_birth"):
        meta.date_of_birth = preamble["date_of_birth"]
    if not meta.gender and preamble.get("gender"):
        meta.gender = preamble["gender"]


def link_siblings(records: Sequence[CaseRecord]) -> None:
    """Tell each child its siblings' names (for voice attribution and leak checks)."""
    for r in records:
        r.meta.sibling_names = [o.meta.child_name for o in records
                                if o is not r and o.meta.child_name]


def score_family(cases: Sequence[CaseFile], nlp: "Language", rules: str = "wales",
                 n_process: int = 1) -> list[CaseRecord]:
    """Score one family (or a lone child): per-document pipeline, then the family step."""
    from .findings import finalise
    from .pipeline import annotate
    from .siblings import compare_family

    records = [segment_case(c) for c in cases]
    if len(records) > 1 and records[0].meta.family_id:
        link_siblings(records)
    for r in records:
        annotate(r, nlp)
    if len(records) > 1 and records[0].meta.family_id:
        compare_family(records)
    for r in records:
        finalise(r, rules=rules)
    return records


def score_groups(groups: Iterable[list[CaseFile | ErrorRecord]], nlp: "Language | None" = None,
                 rules: str = "wales") -> Iterator[CaseRecord | ErrorRecord]:
    """Score families as they come; error records pass through in place."""
    if nlp is None:
        from .pipeline import build_pipeline
        nlp = build_pipeline()
    for group in groups:
        cases = [c for c in group if isinstance(c, CaseFile)]
        for c in group:
            if isinstance(c, ErrorRecord):
                yield c
        if not cases:
            continue
        try:
            records = score_family(cases, nlp, rules=rules)
        except (KeyboardInterrupt, MemoryError, ConfigError):
            raise
        except Exception as exc:  # one broken case file must not stop the batch
            for c in cases:
                err = input_error(next(iter(c.sources), c.case_id), "analysis_failed",
                                  f"{type(exc).__name__}: {exc}")
                yield ErrorRecord(err.source, err.code, err.message)
            continue
        yield from records


def find_manifest(paths: Sequence[str | Path]) -> Path | None:
    """A ``manifest.csv``/``manifest.json`` at the top of the only folder argument, if any.

    Lets ``notes-qa score corpora/sample`` use the manifest that ships beside the documents:
    then exactly the documents the manifest lists are scored.
    """
    folders = [Path(p) for p in paths if Path(p).is_dir()]
    if len(folders) != 1 or len(folders) != len(paths):
        return None
    for name in ("manifest.csv", "manifest.json"):
        candidate = folders[0] / name
        if candidate.is_file():
            return candidate
    return None


def resolve_inputs(paths: Sequence[str | Path], manifest: str | Path | None
                   ) -> tuple[list[str], str | Path | None]:
    """The inputs and manifest to read: a lone folder's own manifest lists its documents."""
    inputs = [str(p) for p in paths]
    if manifest is None:
        manifest = find_manifest(paths)
        if manifest is not None:
            inputs = []
    return inputs, manifest


def score_paths(paths: Sequence[str | Path], manifest: str | Path | None = None,
                nlp: "Language | None" = None, rules: str = "wales"
                ) -> Iterator[CaseRecord | ErrorRecord]:
    """Score documents, folders and note tables as the contract describes.

    The manifest is checked at once (a bad one raises :class:`~notes_qa.errors.UsageError`
    before anything is scored); records are then produced lazily, family by family.
    """
    from .readers import read_groups

    inputs, manifest = resolve_inputs(paths, manifest)
    groups = read_groups(inputs, manifest)
    return score_groups(groups, nlp=nlp, rules=rules)


def score_text(text: str, child_name: str | None = None, nlp: "Language | None" = None,
               source: str = "<text>", **meta: object) -> CaseRecord:
    """Score one case file given as a string (handy in notebooks and tests)."""
    m = ChildMeta(child_id=str(meta.pop("child_id", child_name or "child")), child_name=child_name,
                  **meta)  # type: ignore[arg-type]
    case = CaseFile(case_id=m.child_id, meta=m, sources={source: text})
    rec = next(r for r in score_groups([[case]], nlp=nlp) if isinstance(r, CaseRecord))
    return rec


__all__ = ["score_paths", "score_text", "score_groups", "score_family", "segment_case", "Entry"]
