"""Training data in: one internal :class:`Example` type, loaders and writers for every format.

Formats (``fmt`` names; ``"auto"`` guesses from the path):

- ``corpus``: a synthetic corpus folder (``labels/sentences.jsonl``, or ``hf/sentences``);
- ``datasets``: a ``datasets`` dataset saved with ``save_to_disk`` (a DatasetDict's splits are kept);
- ``jsonl``: the notes-qa annotation schema (see ``notes_qa/training/README.md``), which is also the
  shape of the corpus's ``sentences.jsonl`` and the hand-labelled dev set;
- ``csv``: the same fields as columns;
- ``labelstudio``: a Label Studio JSON export (``choices`` or ``labels`` results);
- ``prodigy``: Prodigy JSONL (choice ``accept`` lists, binary ``label``/``answer``, or ``spans``);
- ``spacy``: a spaCy ``DocBin`` (``.spacy``) with span groups or ``cats``;
- ``text``: plain text, one unlabelled sentence per line.

Each example carries a ``group`` (family, else case/child): :func:`split_examples` never puts one
group on both sides of a train/test split.
"""
from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Iterable, Sequence

from ..errors import ConfigError

TASKS = ("child_voice", "decision", "rationale")
#: Classes of the child's-voice task ("none" = not the child's voice).
VOICE_CLASSES = ("none", "direct_quote", "reported", "non_verbal")
FORMATS = ("corpus", "datasets", "jsonl", "csv", "labelstudio", "prodigy", "spacy", "text")

#: Annotation label names (lower-cased, "-"/" " read as "_") → (task, value).
LABEL_ALIASES: dict[str, tuple[str, Any]] = {
    "child_voice": ("child_voice", "reported"), "voice": ("child_voice", "reported"),
    "childs_voice": ("child_voice", "reported"),
    "direct_quote": ("child_voice", "direct_quote"), "quote": ("child_voice", "direct_quote"),
    "reported": ("child_voice", "reported"), "reported_wishes": ("child_voice", "reported"),
    "non_verbal": ("child_voice", "non_verbal"), "nonverbal": ("child_voice", "non_verbal"),
    "decision": ("decision", True), "rationale": ("rationale", True), "reason": ("rationale", True),
}
_VOICE_KIND = {"none": "none", "direct_quote": "direct_quote", "reported": "reported",
               "reported_wishes": "reported", "non_verbal": "non_verbal", "nonverbal": "non_verbal"}
_TRUE = {"1", "true", "yes", "y", "t", "accept"}
_FALSE = {"0", "false", "no", "n", "f", "reject", "none", ""}
_GROUP_FIELDS = ("group", "family_id", "case_id", "child_id")
#: Schema fields that are not kept in ``meta``.
_KNOWN = {"text", "child_voice", "voice_kind", "decision", "rationale", "split", "id", "note_type",
          "child_name", "nicknames", "sibling_names", "gender", "age", *_GROUP_FIELDS}


@dataclass
class Example:
    """One labelled (or unlabelled) sentence. A label left ``None`` means "not annotated"."""

    text: str
    child_voice: str | None = None  # one of VOICE_CLASSES
    decision: bool | None = None
    rationale: bool | None = None
    group: str | None = None  # family / case: never split across train and test
    split: str | None = None  # "train" / "validation" / "test" where the data says so
    id: str | None = None
    note_type: str | None = None
    child_name: str | None = None
    nicknames: list[str] = field(default_factory=list)
    sibling_names: list[str] = field(default_factory=list)
    gender: str | None = None
    age: int | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def label(self, task: str) -> Any:
        """This example's label for ``task`` (None if not annotated)."""
        if task not in TASKS:
            raise ConfigError(f"unknown task {task!r}; choose one of {', '.join(TASKS)}")
        return getattr(self, task)

    def to_row(self) -> dict[str, Any]:
        """The notes-qa annotation schema row (``voice_kind`` beside the boolean ``child_voice``)."""
        row: dict[str, Any] = {"id": self.id, "text": self.text}
        if self.child_voice is not None:
            row["child_voice"] = self.child_voice != "none"
            row["voice_kind"] = self.child_voice
        for k in ("decision", "rationale", "group", "split", "note_type", "child_name", "gender", "age"):
            v = getattr(self, k)
            if v is not None:
                row[k] = v
        if self.nicknames:
            row["nicknames"] = list(self.nicknames)
        if self.sibling_names:
            row["sibling_names"] = list(self.sibling_names)
        row.update({k: v for k, v in self.meta.items() if k not in row})
        return row


# -- value parsing ---------------------------------------------------------------------------
def _bool(value: Any) -> bool | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return bool(value >= 0.5)
    s = str(value).strip().lower()
    if s in _TRUE:
        return True
    if s in _FALSE:
        return None if s == "" else False
    raise ConfigError(f"cannot read {value!r} as a yes/no label (use true/false, yes/no or 1/0)")


def _norm(name: str) -> str:
    return str(name).strip().lower().replace("-", "_").replace(" ", "_").replace("'", "")


def label_value(name: str) -> tuple[str, Any] | None:
    """(task, value) for an annotation label name such as ``DIRECT_QUOTE`` or ``child_voice:reported``."""
    n = _norm(name)
    if ":" in n or "/" in n:
        head, _, tail = n.replace("/", ":").partition(":")
        if LABEL_ALIASES.get(head, ("",))[0] == "child_voice" and tail in _VOICE_KIND:
            return "child_voice", _VOICE_KIND[tail]
        n = tail if tail in LABEL_ALIASES else head
    return LABEL_ALIASES.get(n)


def _voice(child_voice: Any, kind: Any) -> str | None:
    """The voice class from a boolean ``child_voice`` (or a kind given there) and ``voice_kind``."""
    k = _norm(kind) if kind not in (None, "") else None
    if k is not None and k not in _VOICE_KIND:
        raise ConfigError(f"unknown voice_kind {kind!r}; use one of {', '.join(_VOICE_KIND)}")
    if isinstance(child_voice, str) and _norm(child_voice) in _VOICE_KIND:
        k = k or _norm(child_voice)
        flag: bool | None = _VOICE_KIND[_norm(child_voice)] != "none"
    else:
        flag = _bool(child_voice)
    if flag is None:
        return _VOICE_KIND[k] if k is not None else None
    if not flag:
        return "none"
    kind_v = _VOICE_KIND.get(k or "", "reported")
    return kind_v if kind_v != "none" else "reported"


def _names(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        s = value.strip()
        if s.startswith("["):
            return [str(x) for x in json.loads(s)]
        return [p.strip() for p in s.split(";") if p.strip()]
    return [str(x) for x in value]


def _age(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


def example_from_row(row: dict[str, Any]) -> Example:
    """An :class:`Example` from an annotation-schema row (JSON Lines, CSV, corpus, dev set)."""
    text = row.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ConfigError(f"annotation row {row.get('id', '')!r} has no 'text'")
    group = next((str(row[k]) for k in _GROUP_FIELDS if row.get(k) not in (None, "")), None)
    meta = {k: v for k, v in row.items() if k not in _KNOWN and v not in (None, "")}
    for k in _GROUP_FIELDS[1:]:
        if row.get(k) not in (None, "") and str(row[k]) != group:
            meta[k] = row[k]
    return Example(
        text=text, child_voice=_voice(row.get("child_voice"), row.get("voice_kind")),
        decision=_bool(row.get("decision")), rationale=_bool(row.get("rationale")), group=group,
        split=(str(row["split"]) if row.get("split") not in (None, "") else None),
        id=(str(row["id"]) if row.get("id") not in (None, "") else None),
        note_type=row.get("note_type") or None, child_name=row.get("child_name") or None,
        nicknames=_names(row.get("nicknames")), sibling_names=_names(row.get("sibling_names")),
        gender=row.get("gender") or None, age=_age(row.get("age")), meta=meta)


def _apply_labels(ex: Example, names: Iterable[str], complete: bool) -> None:
    """Set task labels from annotation label names; ``complete``: unmentioned tasks are negative."""
    seen: set[str] = set()
    for name in names:
        hit = label_value(name)
        if hit is None:
            n = _norm(name)
            for task in TASKS:  # explicit negatives: "no_decision", "decision:no", "child_voice:none"
                if n in (f"no_{task}", f"not_{task}", f"{task}:no", f"{task}:none", f"{task}:false"):
                    setattr(ex, task, "none" if task == "child_voice" else False)
                    seen.add(task)
            continue
        task, value = hit
        if task == "child_voice" and ex.child_voice not in (None, "none") and value == "reported":
            continue  # a bare "child_voice" label does not override a kind given beside it
        setattr(ex, task, value)
        seen.add(task)
    if complete:
        for task in TASKS:
            if task not in seen and getattr(ex, task) is None:
                setattr(ex, task, "none" if task == "child_voice" else False)


# -- format detection and loading ------------------------------------------------------------
def detect_format(path: str | Path) -> str:
    """The format name for ``path`` (see the module docstring)."""
    p = Path(path)
    if p.is_dir():
        if (p / "labels" / "sentences.jsonl").is_file() or (p / "hf" / "sentences").is_dir():
            return "corpus"
        if (p / "dataset_dict.json").is_file() or (p / "state.json").is_file():
            return "datasets"
        raise ConfigError(f"{p}: a folder must be a notes-qa corpus or a saved `datasets` dataset")
    suffix = p.suffix.lower()
    if suffix == ".spacy":
        return "spacy"
    if suffix == ".csv":
        return "csv"
    if suffix == ".txt":
        return "text"
    if suffix == ".json":
        return "labelstudio"
    if suffix in (".jsonl", ".ndjson"):
        with p.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    first = json.loads(line)
                    break
            else:
                return "jsonl"
        prodigy = {"answer", "_input_hash", "_task_hash", "accept", "options", "spans"}
        return "prodigy" if prodigy & set(first) and "child_voice" not in first else "jsonl"
    raise ConfigError(f"{p}: cannot tell the format from the name; pass --format "
                      f"({', '.join(FORMATS)})")


def load_examples(path: str | Path, fmt: str = "auto") -> list[Example]:
    """Read ``path`` in format ``fmt`` (or guessed) into examples."""
    p = Path(path)
    if not p.exists():
        raise ConfigError(f"{p}: no such file or folder")
    fmt = detect_format(p) if fmt in (None, "", "auto") else fmt
    readers = {"corpus": read_corpus, "datasets": read_datasets, "jsonl": read_jsonl, "csv": read_csv,
               "labelstudio": read_label_studio, "prodigy": read_prodigy, "spacy": read_docbin,
               "text": read_text}
    if fmt not in readers:
        raise ConfigError(f"unknown data format {fmt!r}; choose one of {', '.join(FORMATS)}")
    out = readers[fmt](p)
    if not out:
        raise ConfigError(f"{p}: no examples found (read as {fmt})")
    return out


def _jsonl_rows(path: Path) -> Iterable[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ConfigError(f"{path}:{n}: not valid JSON ({exc.msg})") from None


def read_jsonl(path: Path) -> list[Example]:
    return [example_from_row(r) for r in _jsonl_rows(path)]


def read_corpus(path: Path) -> list[Example]:
    """A synthetic corpus folder: ``labels/sentences.jsonl`` (else ``hf/sentences``)."""
    labels = path / "labels" / "sentences.jsonl"
    return read_jsonl(labels) if labels.is_file() else read_datasets(path / "hf" / "sentences")


def read_datasets(path: Path) -> list[Example]:
    """A ``datasets`` Dataset/DatasetDict saved to disk; a DatasetDict's split names are kept."""
    import datasets  # lazy

    ds = datasets.load_from_disk(str(path))
    parts = ds.items() if isinstance(ds, datasets.DatasetDict) else [(None, ds)]
    out = []
    for split, part in parts:
        for row in part:
            if split is not None:
                row = {**row, "split": row.get("split") or split}
            out.append(example_from_row(row))
    return out


def read_csv(path: Path) -> list[Example]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [example_from_row({k: v for k, v in r.items() if k is not None}) for r in csv.DictReader(fh)]


def read_text(path: Path) -> list[Example]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [Example(text=t.strip(), id=f"{path.stem}:{i}") for i, t in enumerate(lines) if t.strip()]


def read_label_studio(path: Path) -> list[Example]:
    """A Label Studio JSON export: ``data`` fields as the schema, the latest kept annotation's
    ``choices``/``labels`` results as labels (a completed annotation labels every task)."""
    try:
        tasks = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path}: not valid JSON ({exc.msg})") from None
    if isinstance(tasks, dict):
        tasks = [tasks]
    out = []
    for t in tasks:
        data = dict(t.get("data") or {})
        if "text" not in data:
            raise ConfigError(f"{path}: Label Studio task {t.get('id')!r} has no data.text")
        data.setdefault("id", t.get("id"))
        ex = example_from_row(data)
        kept = [a for a in t.get("annotations") or t.get("completions") or []
                if not a.get("was_cancelled") and a.get("result") is not None]
        if kept:
            names: list[str] = []
            for res in kept[-1]["result"]:
                value = res.get("value") or {}
                control = _norm(res.get("from_name", ""))
                for choice in value.get("choices") or []:
                    c = _norm(choice)
                    if control in TASKS:  # a per-task choice control: yes/no or a voice kind
                        if control == "child_voice" and c in _VOICE_KIND:
                            names.append(f"child_voice:{c}")
                        elif _bool_or_none(c) is not None:
                            names.append(control if _bool_or_none(c) else f"no_{control}")
                        else:
                            names.append(c)
                    else:
                        names.append(c)
                names.extend(value.get("labels") or [])
            _apply_labels(ex, names, complete=True)
        out.append(ex)
    return out


def _bool_or_none(s: str) -> bool | None:
    try:
        return _bool(s)
    except ConfigError:
        return None


def read_prodigy(path: Path) -> list[Example]:
    """Prodigy JSONL: ``accept`` (choice), ``spans`` (a labelled unit) or binary ``label``+``answer``.

    Rejected choice/span tasks and ignored answers are skipped; binary answers for one text are
    merged (a binary answer labels only its own task).
    """
    order: list[str] = []
    merged: dict[str, Example] = {}
    for row in _jsonl_rows(path):
        answer = row.get("answer", "accept")
        if answer == "ignore":
            continue
        meta = dict(row.get("meta") or {})
        base = {**meta, "text": row.get("text")}
        key = str(row.get("_input_hash", row.get("text")))
        ex = merged.get(key)
        if ex is None:
            ex = example_from_row(base)
            merged[key] = ex
            order.append(key)
        if "accept" in row or row.get("spans"):
            if answer != "accept":
                continue
            names = [str(a) for a in row.get("accept") or []]
            names += [str(s.get("label", "")) for s in row.get("spans") or []]
            _apply_labels(ex, names, complete=True)
        elif row.get("label"):
            hit = label_value(str(row["label"]))
            if hit is None:
                continue
            task, value = hit
            setattr(ex, task, value if answer == "accept" else ("none" if task == "child_voice" else False))
    return [merged[k] for k in order]


def read_docbin(path: Path) -> list[Example]:
    """A spaCy DocBin: one example per Doc, or per sentence where sentences are set.

    Labels come from span groups (a group named after a task, or spans labelled with task/kind
    names) or from ``doc.cats`` (score ≥ 0.5); a Doc with any of them counts as fully labelled.
    Context (group, child_name, ...) is read from ``doc.user_data["notes_qa"]``.
    """
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    out = []
    for i, doc in enumerate(DocBin().from_disk(path).get_docs(nlp.vocab)):
        info = dict(doc.user_data.get("notes_qa", {})) if isinstance(doc.user_data, dict) else {}
        spans = [(s.start_char, s.end_char, s.label_ or g) for g, group in doc.spans.items() for s in group]
        has_groups = any(label_value(g) for g in doc.spans) or any(label_value(lab) for _, _, lab in spans)
        cats = [c for c, v in doc.cats.items() if v >= 0.5]
        has_cats = any(label_value(c) for c in doc.cats)
        units = [(s.start_char, s.end_char) for s in doc.sents] if doc.has_annotation("SENT_START") \
            else [(0, len(doc.text))]
        for j, (a, b) in enumerate(units):
            row = {**info, "text": doc.text[a:b]}
            row.setdefault("group", info.get("group") or f"{path.stem}:doc{i}")
            if len(units) > 1:
                row["id"] = f"{info.get('id', f'{path.stem}:doc{i}')}:{j}"
            ex = example_from_row(row)
            names = [lab for s, e, lab in spans if s < b and e > a]
            if len(units) == 1:
                names += cats
            if has_groups or has_cats:
                _apply_labels(ex, names, complete=True)
            out.append(ex)
    return out


# -- writers (export for annotation tools, and the round-trip tests) --------------------------
def write_examples(examples: Sequence[Example], path: str | Path, fmt: str = "auto") -> Path:
    """Write ``examples`` to ``path`` in ``fmt`` (guessed from the suffix when "auto")."""
    p = Path(path)
    if fmt in (None, "", "auto"):
        fmt = {".csv": "csv", ".json": "labelstudio", ".spacy": "spacy", ".txt": "text"}.get(p.suffix.lower(), "jsonl")
    p.parent.mkdir(parents=True, exist_ok=True)
    writers = {"jsonl": write_jsonl, "csv": write_csv, "labelstudio": write_label_studio,
               "prodigy": write_prodigy, "spacy": write_docbin, "text": write_text}
    if fmt not in writers:
        raise ConfigError(f"cannot write format {fmt!r}; choose one of {', '.join(writers)}")
    writers[fmt](examples, p)
    return p


def write_jsonl(examples: Sequence[Example], path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for ex in examples:
            fh.write(json.dumps(ex.to_row(), ensure_ascii=False) + "\n")


CSV_FIELDS = ("id", "text", "child_voice", "voice_kind", "decision", "rationale", "group", "split",
              "note_type", "child_name", "nicknames", "sibling_names", "gender", "age")


def write_csv(examples: Sequence[Example], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(CSV_FIELDS), extrasaction="ignore")
        w.writeheader()
        for ex in examples:
            row = ex.to_row()
            row["nicknames"] = ";".join(ex.nicknames)
            row["sibling_names"] = ";".join(ex.sibling_names)
            w.writerow({k: ("" if row.get(k) is None else row[k]) for k in CSV_FIELDS})


def write_text(examples: Sequence[Example], path: Path) -> None:
    path.write_text("".join(ex.text.replace("\n", " ") + "\n" for ex in examples), encoding="utf-8")


def _context_fields(ex: Example) -> dict[str, Any]:
    row = ex.to_row()
    return {k: v for k, v in row.items() if k not in ("child_voice", "voice_kind", "decision", "rationale")}


def label_studio_result(task: str, value: Any) -> dict[str, Any]:
    """One Label Studio ``choices`` result for a task label (matches :data:`LABEL_STUDIO_CONFIG`)."""
    choice = value if task == "child_voice" else ("yes" if value else "no")
    return {"from_name": task, "to_name": "text", "type": "choices", "value": {"choices": [choice]}}


def write_label_studio(examples: Sequence[Example], path: Path) -> None:
    tasks = []
    for i, ex in enumerate(examples):
        task: dict[str, Any] = {"id": i + 1, "data": _context_fields(ex)}
        result = [label_studio_result(t, ex.label(t)) for t in TASKS if ex.label(t) is not None]
        if result:
            task["annotations"] = [{"id": i + 1, "result": result, "was_cancelled": False}]
        tasks.append(task)
    path.write_text(json.dumps(tasks, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def write_prodigy(examples: Sequence[Example], path: Path) -> None:
    """Prodigy choice tasks (``options`` + ``accept``); unlabelled examples have no ``answer``.

    Only fully labelled examples round-trip as choice tasks (a choice answer labels every task).
    """
    options = [{"id": o, "text": o} for o in ("direct_quote", "reported", "non_verbal", "decision", "rationale")]
    with path.open("w", encoding="utf-8") as fh:
        for ex in examples:
            row: dict[str, Any] = {"text": ex.text, "meta": _context_fields(ex), "options": options}
            row["_input_hash"] = int(hashlib.sha1(f"{ex.id}:{ex.text}".encode()).hexdigest()[:8], 16)
            if any(ex.label(t) is not None for t in TASKS):
                row["accept"] = ([ex.child_voice] if ex.child_voice not in (None, "none") else []) + \
                    [t for t in ("decision", "rationale") if ex.label(t)]
                row["answer"] = "accept"
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def write_docbin(examples: Sequence[Example], path: Path, mode: str = "spans") -> None:
    """One Doc per example: labels as span groups over the whole text (``mode="spans"``) or ``cats``."""
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    db = DocBin(store_user_data=True)
    for ex in examples:
        doc = nlp.make_doc(ex.text)
        doc.user_data["notes_qa"] = _context_fields(ex)
        labelled = [t for t in TASKS if ex.label(t) is not None]
        if mode == "cats":
            for t in labelled:
                v = ex.label(t)
                if t == "child_voice":
                    for k in VOICE_CLASSES[1:]:
                        doc.cats[k] = float(v == k)
                else:
                    doc.cats[t] = float(bool(v))
        else:
            for t in labelled:
                v = ex.label(t)
                pos = v not in ("none", False)
                doc.spans[t] = [doc[:].char_span(0, len(doc.text), label=(v if t == "child_voice" else t),
                                                 alignment_mode="expand")] if pos and len(doc) else []
        db.add(doc)
    db.to_disk(path)


# -- splits and hashing ----------------------------------------------------------------------
def split_examples(examples: Sequence[Example], seed: int = 0, test_size: float = 0.2
                   ) -> tuple[list[Example], list[Example], str]:
    """(train, test, how): the data's own ``train``/``test`` split when it has both, else a seeded
    group shuffle split (by family/case) so no group lies on both sides. ``validation`` rows are
    left out of both when the data's own split is used."""
    splits = {ex.split for ex in examples}
    if {"train", "test"} <= splits:
        return ([ex for ex in examples if ex.split == "train"], [ex for ex in examples if ex.split == "test"],
                "the data's own split (train / test)")
    from sklearn.model_selection import GroupShuffleSplit

    groups = [ex.group or ex.id or f"row{i}" for i, ex in enumerate(examples)]
    if len(set(groups)) < 2:
        raise ConfigError("need at least two groups (families/cases) to hold out a test set; "
                          "add a group/case_id field or a split field")
    gss = GroupShuffleSplit(n_splits=1, test_size=test_size, random_state=seed)
    tr, te = next(gss.split(list(range(len(examples))), groups=groups))
    ungrouped = sum(ex.group is None for ex in examples)
    how = f"group shuffle split by family/case (test_size={test_size}, seed={seed})"
    if ungrouped:
        how += f"; {ungrouped} examples without a group were split one by one"
    return [examples[i] for i in sorted(tr)], [examples[i] for i in sorted(te)], how


def labelled(examples: Iterable[Example], task: str) -> list[Example]:
    return [ex for ex in examples if ex.label(task) is not None]


def data_hash(examples: Iterable[Example], task: str | None = None) -> str:
    """SHA-256 over the examples' text, labels, group and split, in order (the model card's data id)."""
    h = hashlib.sha256()
    for ex in examples:
        key = {"text": ex.text, "group": ex.group, "split": ex.split, "child_name": ex.child_name,
               "labels": {t: ex.label(t) for t in (TASKS if task is None else (task,))}}
        h.update(json.dumps(key, sort_keys=True, ensure_ascii=False).encode("utf-8") + b"\n")
    return h.hexdigest()


def example_fields() -> list[str]:
    return [f.name for f in fields(Example)]


def as_dict(ex: Example) -> dict[str, Any]:
    return asdict(ex)
