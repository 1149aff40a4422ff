"""The coded error catalogue: every message says the cause and the fix.

Input errors become error records (``notes-qa/error@1``) and the batch goes on;
usage errors stop the command with exit status 2.
"""
from __future__ import annotations


class NotesQAError(Exception):
    """Base class for notes-qa errors."""


class InputError(NotesQAError):
    """An input that cannot be read. ``code`` is the error record's ``error`` field."""

    def __init__(self, source: str, code: str, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self.code = code
        self.message = message


class UsageError(NotesQAError):
    """A bad command line or configuration (exit status 2)."""


class ConfigError(NotesQAError):
    """A bad rule file, model directory or pipeline configuration."""


#: Input error codes and what each means / how to fix it. The reader uses these texts.
INPUT_ERRORS: dict[str, str] = {
    "not_found": "the path does not exist; check the spelling or the manifest's path column",
    "unsupported_type": "notes-qa reads .txt, .md, .docx, .pdf, .csv, .jsonl and .parquet; "
                        "export the file to one of these",
    "empty": "the file holds no text; check the export finished",
    "binary": "the file looks binary (NUL bytes or mostly control characters), not text; "
              "re-export it as plain text, .docx or .pdf",
    "corrupt_docx": "the .docx file could not be opened (damaged or not really a Word file); "
                    "open and re-save it in Word",
    "corrupt_pdf": "the PDF could not be parsed; re-export it from the source system",
    "no_text_layer": "the PDF has no text layer (a scan); run OCR on it first or export text",
    "missing_text_column": "the note table has no 'text' column; name the note text column 'text'",
    "bad_table": "the note table could not be parsed; check it is valid CSV/JSON Lines/Parquet",
    "read_failed": "the file could not be read (permissions or I/O error)",
    "analysis_failed": "notes-qa could not analyse this case file (an internal error); please "
                       "report it with the message, without the case notes",
    "bad_manifest_row": "the manifest row is missing a path or child_id, repeats a path, "
                        "or has a value that is not understood (dates are dd/mm/yyyy or "
                        "YYYY-MM-DD; age is a number of years)",
}


def input_error(source: str, code: str, detail: str | None = None) -> InputError:
    """Build an :class:`InputError` with the catalogue's message (plus ``detail`` if given)."""
    msg = INPUT_ERRORS[code]
    if detail:
        msg = f"{detail}: {msg}"
    return InputError(source, code, msg)
