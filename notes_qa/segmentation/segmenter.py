"""Cut a raw case-file export into dated entries.

Like medSpaCy's sectionizer, but for chronological exports: the header rules are data
(``rules/headers.json``, ``rules/note_types.json``), and a header is recognised by its layout,
not only by a ``Title:`` prefix. Layouts understood (all at the start of a line):

- date first: ``12/03/2025 Home visit - SW Rhian Evans``, ``[2025-02-04] Telephone call — Duty``,
  ``14/10/2025 09:12 REFERRAL IN - Kelly Morris SSW``, tab-separated pasted rows;
- a title, then the date: ``CASE NOTE 04.02.25 HV (Sioned P, SW)``;
- key-value fields on one line: ``Case Note | Date: 04/02/2025 | Author: ...``,
  ``Date of contact: 4 Feb 2025   Worker: ...``, ``Recorded: 03/02/2025 by R Evans - Home visit``;
- key-value blocks over several lines: an optional title line (``Case Note``), ``Date: ...``,
  then ``Author:``, ``Type:``, ``Subject:`` lines;
- separator-delimited fields with the date anywhere: ``Phone - 2 June 2025 - Hannah Bowen SW``.

Never a header: indented, bulleted or quoted (``>``) lines; page furniture (``Page 3 of 12``,
``OFFICIAL-SENSITIVE``, ``Printed ...``); lines whose key says the date is something else
(``Sent:``, ``Signed:``, ``Next visit:``, ``DOB``); a date starting a sentence
(``12/12/2024 was the last time...``). A weak candidate (a date followed by text naming no note
type or author) counts only in a document with no strong header. Text before the first header is
the preamble; a document with no header is one undated entry.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..records import Entry
from ..resources import load_rules
from .dates import DATE_RE, TIME_RE, match_to_iso, parse_date

_SEP_SPLIT = re.compile(r"\s+[-–—/|]\s+|\s*\|\s*|\t+|\s{3,}|\s+[-–—]{1,2}\s+")
_KV = re.compile(r"^\s*([A-Za-z][A-Za-z /&'’.]{0,30}?)\s*:\s*(.*)$")
_PAREN = re.compile(r"\(([^()]*)\)")
_DECOR = re.compile(r"^[\s=#*~]+|[\s=#*~]+$")
_NAME_TOKEN = re.compile(r"^(?:[A-Z][a-zà-ÿ'’-]+(?:-[A-Z][a-zà-ÿ'’]+)?|[A-Z][a-z]?\.?|Mc[A-Z][a-z]+|"
                         r"[A-Z][a-z]+[A-Z][a-z]+|ap|van|de|du|le)$")
_CHAT = re.compile(r"^[A-Z]{1,4}\s*:\s")


def snake_case(text: str) -> str:
    s = re.sub(r"[^0-9a-zA-Z]+", "_", text.strip().lower()).strip("_")
    return s


@dataclass
class SegmentationRules:
    """The header rules as data. Build with :meth:`from_dict` (unknown keys are rejected)."""

    header_keys: list[str]
    field_keys: dict[str, list[str]]
    title_words: list[str]
    non_header_keys: list[str]
    noise_patterns: list[str]
    roles: list[str]
    role_ignore: list[str]
    vocabulary: dict[str, list[str]]
    provenance: str = ""

    KEYS = ("header_keys", "field_keys", "title_words", "non_header_keys", "noise_patterns",
            "roles", "role_ignore", "vocabulary", "provenance")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "SegmentationRules":
        unknown = set(data) - set(cls.KEYS)
        if unknown:
            raise ConfigError(f"E101: unknown key(s) {sorted(unknown)} in segmentation rules; "
                              f"allowed keys are {list(cls.KEYS)}")
        missing = [k for k in cls.KEYS if k not in data and k != "provenance"]
        if missing:
            raise ConfigError(f"E102: segmentation rules lack {missing}; copy them from the "
                              "packaged notes_qa/segmentation/rules/headers.json")
        return cls(**data)


def default_rules() -> SegmentationRules:
    headers = load_rules("default", "notes_qa.segmentation.rules", "headers.json")
    types = load_rules("default", "notes_qa.segmentation.rules", "note_types.json")
    data = {k: v for k, v in headers.items()}
    data["provenance"] = headers.get("provenance", "") + " | " + types.get("provenance", "")
    data["vocabulary"] = types["vocabulary"]
    return SegmentationRules.from_dict(data)


@dataclass
class Header:
    start: int  # absolute offset where the entry starts (the header or its title line)
    date: str | None
    author: str | None = None
    note_type: str | None = None
    strong: bool = False
    body_start: int | None = None


@dataclass
class SegmentResult:
    entries: list[Entry]
    preamble: dict[str, str] = field(default_factory=dict)
    preamble_end: int = 0


class Segmenter:
    """Find entry headers in an export and cut it into :class:`Entry` objects."""

    def __init__(self, rules: str | Path | SegmentationRules | dict | None = "default") -> None:
        if isinstance(rules, SegmentationRules):
            self.rules = rules
        elif isinstance(rules, dict):
            self.rules = SegmentationRules.from_dict(rules)
        elif rules == "default" or rules is None:
            self.rules = default_rules()
        else:
            self.rules = SegmentationRules.from_dict(load_rules(rules, "", ""))
        r = self.rules
        self._noise = re.compile("|".join(f"(?:{p})" for p in r.noise_patterns), re.I)
        self._header_keys = {k.lower() for k in r.header_keys}
        self._non_header_keys = {k.lower() for k in r.non_header_keys}
        self._field_keys = {k.lower(): kind for kind, ks in r.field_keys.items() for k in ks}
        titles = sorted((re.escape(t) for t in r.title_words), key=len, reverse=True)
        self._title_prefix = re.compile(
            r"^(?:(?:" + "|".join(titles) + r")\b\s*(?:\d{1,4}(?![./-]\d)\s+)?(?:[/|:–—-]\s*)?)+", re.I)
        self._title_line = re.compile(r"^(?:" + "|".join(titles) + r")(?:\s+\d{1,4})?\s*:?$", re.I)
        phrases = sorted(((p.lower(), t) for t, ps in r.vocabulary.items() for p in ps),
                         key=lambda x: len(x[0]), reverse=True)
        self._type_of = dict(phrases)
        self._type_re = re.compile(
            r"^(?:" + "|".join(re.escape(p) for p, _ in phrases) + r")(?![\w&])", re.I)
        roles = sorted((re.escape(x) for x in r.roles + r.role_ignore), key=len, reverse=True)
        self._roles_re = re.compile(r"(?<![\w])(?:" + "|".join(roles) + r")(?![\w])\.?", re.I)

    # ------------------------------------------------------------------ public
    def segment(self, text: str, source: str = "<text>") -> SegmentResult:
        """Entries (absolute offsets into ``text``) and the preamble's metadata."""
        headers = self.find_headers(text)
        if any(h.strong for h in headers):
            headers = [h for h in headers if h.strong]
        if not headers:
            return SegmentResult([Entry(source, 0, len(text), body_start=0)] if text else [],
                                 preamble={}, preamble_end=0)
        entries = []
        for i, h in enumerate(headers):
            end = headers[i + 1].start if i + 1 < len(headers) else len(text)
            entries.append(Entry(source=source, start=h.start, end=end, date=h.date,
                                 author=h.author, note_type=h.note_type,
                                 body_start=min(h.body_start or h.start, end)))
        pre = text[:headers[0].start]
        return SegmentResult(entries, self.parse_preamble(pre), headers[0].start)

    def normalise_note_type(self, raw: str | None) -> str | None:
        """Map a written note type to the vocabulary; unknown types keep a snake_case form."""
        if raw is None:
            return None
        s = re.sub(r"\s+", " ", str(raw)).strip(" -–—:/|")
        if not s:
            return None
        m = self._type_re.match(s)
        if m:
            return self._type_of[m.group().lower()]
        for part in re.split(r"\s*/\s*", s):  # bilingual "Ymweliad Cartref / Home Visit"
            m = self._type_re.match(part)
            if m:
                return self._type_of[m.group().lower()]
        return snake_case(s) or None

    # --------------------------------------------------------------- headers
    def find_headers(self, text: str) -> list[Header]:
        seen: set[int] = set()
        headers: list[Header] = []
        last_end = -1
        for m in DATE_RE.finditer(text):
            ls = text.rfind("\n", 0, m.start()) + 1
            if ls in seen or ls < last_end:
                continue
            seen.add(ls)
            le = text.find("\n", m.start())
            le = len(text) if le == -1 else le
            h = self._header_at(text, ls, le)
            if h is not None:
                headers.append(h)
                last_end = h.body_start or le
        return headers

    def _header_at(self, text: str, ls: int, le: int) -> Header | None:
        line = text[ls:le].rstrip("\r ")
        if not line or line[0] in " \t>-–•*·" or line[0].isdigit() is False and line[0] in "+(":
            return None
        if self._noise.search(line):
            return None
        work = line.replace("[", " ").replace("]", " ")
        work = _DECOR.sub("", work)
        if "\t" in line:  # a pasted table row: header cells, then the note itself
            cells = line.split("\t")
            n_head = self._header_cells(cells)
            head = "\t".join(cells[:n_head])
            work = _DECOR.sub("", head.replace("[", " ").replace("]", " "))
            inline_body = len(head) + 1 if n_head < len(cells) else None
        else:
            inline_body = None
        h = self._kv_header(work) or self._date_first(work) or self._fields_header(work)
        if h is None:
            return None
        h.start = ls
        if inline_body is not None:
            h.body_start = ls + inline_body
            first = DATE_RE.match(cells[0].strip(" []"))
            if first and not TIME_RE.sub("", cells[0].strip(" []")[first.end():]).strip():
                h.strong = True  # a row whose first cell is its date: the table's own layout
            return h
        # A title line ("Case Note") directly above a block header belongs to the entry.
        if h.body_start == -1:
            prev_end = ls - 1
            if prev_end > 0:
                ps = text.rfind("\n", 0, prev_end) + 1
                prev = text[ps:prev_end].strip(" =#*\t")
                if prev and self._title_line.match(prev):
                    h.start = ps
        h.body_start = self._consume_fields(text, le, h)
        return h

    def _kv_header(self, line: str) -> Header | None:
        """``Date: ...`` lines and ``A | Date: ... | Author: ...`` rows."""
        parts = [p for p in re.split(r"\s*\|\s*|\t+|\s{3,}", line) if p.strip()]
        date = None
        author = note_type = None
        has_key = False
        block = len(parts) == 1
        for p in parts:
            kv = _KV.match(p)
            if not kv:
                continue
            key, value = kv.group(1).strip().lower(), kv.group(2).strip()
            if key in self._non_header_keys and not has_key:
                return None
            if key in self._header_keys:
                m = DATE_RE.match(value)
                if not m or not match_to_iso(m):
                    return None
                has_key = True
                date = match_to_iso(m)
                rest = value[m.end():]
                t = TIME_RE.match(rest.strip())
                if t:
                    rest = rest.strip()[t.end():]
                if rest.strip():
                    a, nt = self._parse_fields(rest)
                    author, note_type = author or a, note_type or nt
                    block = False
            elif key in self._field_keys and has_key:
                kind = self._field_keys[key]
                if kind == "author":
                    author = self._clean_author(value) or author
                elif kind == "note_type":
                    note_type = self.normalise_note_type(value) or note_type
        if not has_key:
            return None
        h = Header(start=0, date=date, author=author, note_type=note_type, strong=True)
        if block:
            h.body_start = -1  # look for a title line above, and field lines below
        return h

    def _date_first(self, line: str) -> Header | None:
        """Date at the start of the line, possibly after a title (``CASE NOTE 04.02.25 HV``)."""
        t = self._title_prefix.match(line)
        offset = t.end() if t else 0
        m = DATE_RE.match(line, offset)
        if not m:
            return None
        date = match_to_iso(m)
        if not date:
            return None
        rest = line[m.end():]
        tm = TIME_RE.match(rest.lstrip())
        if tm:
            rest = rest.lstrip()[tm.end():]
        rest = rest.strip(" \t:,;")
        kv = _KV.match(line[:m.start()] + "x") if offset == 0 and m.start() > 0 else None
        if kv and kv.group(1).strip().lower() in self._non_header_keys:
            return None
        if not rest:
            return Header(start=0, date=date, strong=bool(t))
        lead = rest.lstrip(" -–—/|:")
        if not lead:
            return Header(start=0, date=date, strong=bool(t))
        if _CHAT.match(lead):
            return None
        first = lead.split()[0]
        author, note_type = self._parse_fields(lead)
        typed = self._type_re.match(lead) is not None or self._type_re.match(
            lead.split("/")[0].strip()) is not None
        if first[0].islower() and not typed:
            return None  # a sentence that starts with a date
        if lead.endswith(".") and not typed and author is None and len(lead.split()) > 6:
            return None
        strong = bool(t) or typed or author is not None or self._titled(lead)
        return Header(start=0, date=date, author=author, note_type=note_type, strong=strong)

    def _fields_header(self, line: str) -> Header | None:
        """Separator-delimited fields with the date as one whole field."""
        if len(line) > 160:
            return None
        fields = [f.strip() for f in _SEP_SPLIT.split(line) if f.strip()]
        if len(fields) < 2:
            return None
        date = None
        others = []
        for f in fields:
            m = DATE_RE.search(f)
            if date is None and m and match_to_iso(m):
                leftover = (f[:m.start()] + f[m.end():]).strip()
                leftover = _PAREN.sub("", TIME_RE.sub("", leftover)).strip(" ,")
                if not leftover:
                    date = match_to_iso(m)
                    continue
            others.append(f)
        if date is None or not others:
            return None
        first_kv = _KV.match(fields[0])
        if first_kv and first_kv.group(1).strip().lower() in self._non_header_keys:
            return None
        author, note_type = self._parse_fields(" - ".join(others))
        typed = any(self._type_re.match(o) for o in others)
        if not typed and author is None:
            return None
        return Header(start=0, date=date, author=author, note_type=note_type, strong=True)

    @staticmethod
    def _header_cells(cells: list[str]) -> int:
        """How many leading tab cells are header fields (short, not prose): at least one."""
        n = 1
        while n < len(cells):
            cell = cells[n].strip()
            if len(cell.split()) > 6 or cell.endswith((".", "!", "?")):
                break
            n += 1
        return n

    @staticmethod
    def _titled(lead: str) -> bool:
        """A short run of capitalised words or acronyms (``PPN - MASH``), not a sentence."""
        words = [w for w in re.split(r"[\s/|–—-]+", _PAREN.sub("", lead)) if w]
        if not 1 <= len(words) <= 6 or lead.rstrip()[-1:] in ".!?,;":
            return False
        return all(w[0].isupper() or w[0].isdigit() or w in ("&", "+") for w in words)

    # ---------------------------------------------------------------- fields
    def _parse_fields(self, rest: str) -> tuple[str | None, str | None]:
        """(author, note_type) from the non-date part of a header."""
        fields = [f.strip() for f in _SEP_SPLIT.split(rest) if f.strip()]
        author = note_type = None
        leftovers = []
        for f in fields:
            kv = _KV.match(f)
            if kv and kv.group(1).strip().lower() in self._field_keys:
                kind = self._field_keys[kv.group(1).strip().lower()]
                if kind == "author":
                    author = author or self._clean_author(kv.group(2))
                elif kind == "note_type":
                    note_type = note_type or self.normalise_note_type(kv.group(2))
                continue
            if author is None:
                for p in _PAREN.findall(f):
                    author = author or self._clean_author(p)
            if not self._roles_re.sub("", _PAREN.sub("", f)).strip(" ,;:-/+&"):
                continue  # only roles ("Duty SW"): who wrote it, not what it is
            if note_type is None:
                tm = self._type_re.match(f)
                if tm:
                    note_type = self._type_of[tm.group().lower()]
                    for p in _PAREN.findall(f):
                        author = author or self._clean_author(p)
                    tail = f[tm.end():].strip()
                    if tail and author is None and not tail[0].islower():
                        author = self._clean_author(tail)
                    continue
            if author is None:
                a = self._clean_author(f)
                if a:
                    author = a
                    continue
            leftovers.append(f)
        if note_type is None and leftovers:
            first = _PAREN.sub("", leftovers[0]).strip()
            if first and len(first.split()) <= 5:
                note_type = self.normalise_note_type(first)
        return author, note_type

    def _clean_author(self, text: str) -> str | None:
        """A person's name from e.g. ``SW Rhian Evans``, ``by R Evans (Social Worker)``."""
        s = text.strip()
        s = re.sub(r"^(?:by|with|chair(?:ed by)?)\s+", "", s, flags=re.I)
        for p in _PAREN.findall(s):
            inner = self._clean_author(p)
            if inner and not self._roles_re.sub("", s.replace(f"({p})", "")).strip(" ,+&/"):
                return inner
        s = _PAREN.sub("", s)
        s = re.split(r"\s*[+&]\s*|\s*,\s*", s)[0]
        s = self._roles_re.sub(" ", s)
        s = re.sub(r"\s+", " ", s).strip(" ,;:-")
        toks = s.split()
        if not 1 <= len(toks) <= 4:
            return None
        if not all(_NAME_TOKEN.match(t) for t in toks):
            return None
        if len(toks) == 1 and len(toks[0]) < 3:
            return None
        if self._type_re.match(s):
            return None
        return s

    def _consume_fields(self, text: str, le: int, h: Header) -> int:
        """Read ``Author:``/``Type:``/``Subject:`` lines under a header; return the body start."""
        pos = le + 1 if le < len(text) else le
        while pos < len(text):
            nl = text.find("\n", pos)
            nl = len(text) if nl == -1 else nl
            kv = _KV.match(text[pos:nl])
            if not kv:
                break
            key = kv.group(1).strip().lower()
            kind = self._field_keys.get(key)
            if kind is None:
                break
            value = kv.group(2).strip()
            if kind == "author" and h.author is None:
                h.author = self._clean_author(value)
            elif kind == "note_type" and h.note_type is None:
                h.note_type = self.normalise_note_type(value)
            pos = nl + 1
        return min(pos, len(text))

    # -------------------------------------------------------------- preamble
    _PRE_NAME = re.compile(r"^\s*(?:child(?:'s)?(?: name)?|name|young person|client name|"
                           r"case file|subject|enw)\s*:\s*(.+)$", re.I | re.M)
    _PRE_DOB = re.compile(r"(?:dob|d\.o\.b\.?|date of birth)\s*[:\-]?\s*([0-9][^\s),;|]*"
                          r"(?:\s+\w+\s+\d{4})?)", re.I)
    _PRE_GENDER = re.compile(r"\b(?:gender|sex)\s*:\s*(\w+)", re.I)

    def parse_preamble(self, pre: str) -> dict[str, str]:
        """Child's name, date of birth and gender from the text before the first entry."""
        out: dict[str, str] = {}
        if not pre.strip():
            return out
        m = self._PRE_NAME.search(pre)
        if m:
            raw = _PAREN.sub("", m.group(1))
            raw = re.split(r"\s*\|\s*|\s{3,}|\t|\s+(?:dob|d\.o\.b|id|ref)\b", raw, flags=re.I)[0]
            raw = raw.strip(" ,;")
            if "," in raw:
                last, first = [x.strip() for x in raw.split(",", 1)]
                raw = f"{first} {last}".strip()
            if raw and 1 <= len(raw.split()) <= 5 and not any(c.isdigit() for c in raw):
                out["child_name"] = raw
        d = self._PRE_DOB.search(pre)
        if d:
            iso = parse_date(d.group(1))
            if iso:
                out["date_of_birth"] = iso
        g = self._PRE_GENDER.search(pre)
        if g:
            out["gender"] = g.group(1).lower()
        return out
