"""A one-line progress bar for long batches: count, files/s and ETA, on a terminal only.

Silent when the stream is not a terminal (pipes, files), when ``CI`` is set, or ``TERM=dumb``,
so logs and JSON Lines on stdout stay clean. Redraws at most ten times a second.
"""
from __future__ import annotations

import os
import sys
import time
from typing import IO, Any

from ..records import ErrorRecord


def interactive(stream: IO[str]) -> bool:
    """Whether progress should be drawn on ``stream``."""
    if os.environ.get("CI") or os.environ.get("TERM") == "dumb" or os.environ.get("NOTES_QA_NO_PROGRESS"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _clock(seconds: float) -> str:
    s = int(max(0, seconds) + 0.5)
    h, rem = divmod(s, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class ProgressBar:
    """``update(rec)`` per finished file; ``close()`` at the end (also a context manager).

    ``total`` (files expected) enables the bar and ETA; without it the line shows the count
    and rate. `notes-qa score` and `notes-qa report` use it: ``ProgressBar(enabled=not args.quiet)``.
    """

    def __init__(self, total: int | None = None, enabled: bool = True, stream: IO[str] | None = None,
                 label: str = "notes-qa", width: int = 28, min_interval: float = 0.1) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled and interactive(self.stream)
        self.total = total
        self.label = label
        self.width = width
        self.min_interval = min_interval
        self.start = time.perf_counter()
        self.cases = self.errors = 0
        self._last = 0.0
        self._drawn = 0

    @property
    def done(self) -> int:
        return self.cases + self.errors

    def line(self, now: float | None = None) -> str:
        """The text of the progress line (pure: testable without a terminal)."""
        elapsed = (now if now is not None else time.perf_counter()) - self.start
        rate = self.done / elapsed if elapsed > 0 else 0.0
        parts = [self.label + ":"]
        if self.total:
            frac = min(1.0, self.done / self.total)
            fill = int(frac * self.width)
            parts.append("[" + "#" * fill + "." * (self.width - fill) + f"] {self.done}/{self.total}")
            parts.append(f"{100 * frac:3.0f}%")
        else:
            parts.append(f"{self.done} files")
        parts.append(f"{rate:.1f} files/s")
        if self.total and rate > 0 and self.done < self.total:
            parts.append(f"ETA {_clock((self.total - self.done) / rate)}")
        else:
            parts.append(f"elapsed {_clock(elapsed)}")
        if self.errors:
            parts.append(f"{self.errors} rejected")
        return " ".join(parts)

    def update(self, rec: Any = None, n: int = 1) -> None:
        """Count ``n`` finished files (an ``ErrorRecord`` counts as rejected)."""
        if isinstance(rec, ErrorRecord) or (isinstance(rec, dict) and rec.get("schema") == "notes-qa/error@1"):
            self.errors += n
        else:
            self.cases += n
        if not self.enabled:
            return
        now = time.perf_counter()
        if now - self._last < self.min_interval and (not self.total or self.done < self.total):
            return
        self._last = now
        self._draw(self.line(now))

    def _draw(self, text: str) -> None:
        pad = max(0, self._drawn - len(text))
        self.stream.write("\r" + text + " " * pad)
        self.stream.flush()
        self._drawn = len(text)

    def close(self) -> None:
        if self.enabled and self.done:
            self._draw(self.line())
            self.stream.write("\n")
            self.stream.flush()

    def __enter__(self) -> "ProgressBar":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
