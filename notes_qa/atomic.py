"""The one place that writes output files: stream to ``OUT.partial``, rename when complete."""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator


def partial_path(path: str | Path) -> Path:
    p = Path(path)
    return p.with_name(p.name + ".partial")


@contextmanager
def atomic_writer(path: str | Path, mode: str = "w", append: bool = False) -> Iterator[IO]:
    """Write to ``path.partial``; on success fsync and rename to ``path``.

    On an exception (a crash, Ctrl-C) the ``.partial`` file is left for ``--resume`` and
    ``path`` is never created, so a truncated output can never look complete.
    """
    final = Path(path)
    tmp = partial_path(final)
    tmp.parent.mkdir(parents=True, exist_ok=True)
    m = ("a" if append else "w") + ("b" if "b" in mode else "")
    kwargs = {} if "b" in mode else {"encoding": "utf-8", "newline": "\n"}
    fh = open(tmp, m, **kwargs)
    try:
        yield fh
        fh.flush()
        os.fsync(fh.fileno())
    except BaseException:
        fh.close()
        raise
    fh.close()
    os.replace(tmp, final)


def write_text_atomic(path: str | Path, text: str) -> None:
    with atomic_writer(path) as fh:
        fh.write(text)
