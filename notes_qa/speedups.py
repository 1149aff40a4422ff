"""Optional compiled rule core: the voice and decision rules' hot modules, compiled with Cython.

The modules in :data:`MODULES` are ordinary Python and stay the source of truth. ``python -m
notes_qa.speedups build`` (run by ``scripts/setup.sh``; needs Cython and a C compiler) compiles
those same ``.py`` files, unchanged, into ``notes_qa/_compiled/`` and writes a manifest of the
SHA-256 of each source it compiled. Spans, kinds and scores are identical either way; the
compiled form costs the voice and decision components about 10-20% less CPU time
(``benchmarks/bench_voice.py`` says which form it ran).

The sub-packages that hold these modules call :func:`compiled_path` on their ``__path__``: the
compiled folder goes first only when the manifest matches this Python's extension suffix and
every listed source of that package as it is now. A compiled module built from an older source
is therefore never imported: edit a ``.py`` and that package falls back to Python until the next
build. ``NOTES_QA_PURE_PYTHON=1`` forces pure Python.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from functools import lru_cache
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path
from typing import Sequence

from .resources import file_sha256

#: the modules compiled, hottest first (each is plain Python; see the module docstring)
MODULES = (
    "notes_qa.training.prefilter", "notes_qa.voice.cues", "notes_qa.decisions.cues",
    "notes_qa.training.units", "notes_qa.training.featurise", "notes_qa.training.linear",
    "notes_qa.voice.featuriser", "notes_qa.decisions.featuriser",
    "notes_qa.voice.component", "notes_qa.decisions.component",
)
#: modules whose functions spaCy inspects (factories): compiled with introspectable functions
_INTROSPECTED = frozenset({"notes_qa.voice.component", "notes_qa.decisions.component"})
ENV_PURE = "NOTES_QA_PURE_PYTHON"
PACKAGE_DIR = Path(__file__).resolve().parent
COMPILED_DIR = PACKAGE_DIR / "_compiled"
MANIFEST = "manifest.json"


@lru_cache(maxsize=4)  # read once per process, not once per sub-package
def _manifest(root: Path) -> dict | None:
    try:
        data = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("suffix") != EXTENSION_SUFFIXES[0]:
        return None  # built for another Python
    return data


def compiled_path(path: Sequence[str], package: str, root: Path = COMPILED_DIR) -> list[str]:
    """A sub-package's ``__path__`` with its compiled modules' folder first, when every module of
    ``package`` in the manifest under ``root`` was built from its source as it is now; else
    ``path`` unchanged (pure Python)."""
    path = list(path)
    if os.environ.get(ENV_PURE, "") not in ("", "0") or not path:
        return path
    manifest = _manifest(root)
    if manifest is None:
        return path
    prefix = package + "."
    mine = {m[len(prefix):]: sha for m, sha in manifest.get("modules", {}).items()
            if m.startswith(prefix) and "." not in m[len(prefix):]}
    if not mine:
        return path
    folder = root.joinpath(*package.split(".")[1:])
    source_dir = Path(path[0])
    for name, sha in mine.items():
        src = source_dir / f"{name}.py"
        if not (folder / f"{name}{EXTENSION_SUFFIXES[0]}").is_file() or not src.is_file() or file_sha256(src) != sha:
            return path  # stale or incomplete: the whole package stays pure Python
    return [str(folder), *path]


def in_use() -> list[str]:
    """The modules of :data:`MODULES` imported so far in their compiled form."""
    return [m for m in MODULES if m in sys.modules
            and str(getattr(sys.modules[m], "__file__", "") or "").endswith(tuple(EXTENSION_SUFFIXES))]


def describe() -> str:
    """One line: how many of :data:`MODULES` imported so far run compiled, and which do not."""
    used = in_use()
    rest = sorted(set(MODULES) - set(used))
    return (f"compiled rule core: {len(used)} of {len(MODULES)} modules compiled"
            + (f" (pure Python: {', '.join(rest)}; NOTES_QA_PURE_PYTHON=1 or no current build)" if rest else ""))


def build(root: Path = COMPILED_DIR, jobs: int = 2) -> list[str]:
    """Compile :data:`MODULES` into ``root`` (replacing what is there) and write the manifest;
    returns the modules built. Raises ``ImportError`` without Cython, ``RuntimeError`` when
    compiling fails (``root`` is then left as it was)."""
    from Cython.Build import cythonize  # build-time only
    from setuptools import Distribution, Extension

    sources = {m: PACKAGE_DIR.joinpath(*m.split(".")[1:]).with_suffix(".py") for m in MODULES}
    shas = {m: file_sha256(p) for m, p in sources.items()}
    # Python semantics kept exactly: no C types from annotations, and Cython's default (safe) type
    # inference, which never turns a Python int into a C integer that could overflow
    directives = {"language_level": 3, "annotation_typing": False}
    with tempfile.TemporaryDirectory(prefix="nqa-build-") as tmp:
        work = Path(tmp)
        exts = []
        for group, binding in (([m for m in MODULES if m not in _INTROSPECTED], False),
                               ([m for m in MODULES if m in _INTROSPECTED], True)):
            exts += cythonize([Extension(m, [str(sources[m])]) for m in group], build_dir=str(work / "c"),
                              compiler_directives={**directives, "binding": binding}, quiet=True)
        stage = work / "lib"
        cwd = os.getcwd()
        os.chdir(work)  # keep setuptools away from the project's own pyproject.toml
        try:
            dist = Distribution({"name": "notes_qa_compiled", "packages": [], "py_modules": [], "ext_modules": exts,
                                 "script_args": ["-q", "build_ext", "-b", str(stage), "-t", str(work / "obj"),
                                                 "-j", str(jobs)]})
            dist.parse_command_line()
            dist.run_commands()
        except (Exception, SystemExit) as exc:  # distutils reports compiler failures as SystemExit
            raise RuntimeError(f"compiling the rule core failed: {exc}") from None
        finally:
            os.chdir(cwd)
        new = work / "out"
        shutil.copytree(stage / "notes_qa", new)
        # checked again after compiling: a source edited meanwhile must not be recorded as built
        if any(file_sha256(p) != shas[m] for m, p in sources.items()):
            raise RuntimeError("a source changed while it was being compiled; build again")
        (new / MANIFEST).write_text(json.dumps({"suffix": EXTENSION_SUFFIXES[0], "modules": shas}, indent=2),
                                    encoding="utf-8")
        old = root.with_name(root.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if root.exists():
            root.rename(old)
        shutil.move(str(new), str(root))
        shutil.rmtree(old, ignore_errors=True)
    return list(MODULES)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m notes_qa.speedups build|status``."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["build"]:
        try:
            built = build()
        except ImportError:
            print("notes-qa speedups: Cython is not installed; the rule core stays pure Python", file=sys.stderr)
            return 1
        except RuntimeError as exc:
            print(f"notes-qa speedups: {exc}; the rule core stays pure Python", file=sys.stderr)
            return 1
        print(f"notes-qa speedups: compiled {len(built)} modules into {COMPILED_DIR}")
        return 0
    if args == ["status"]:
        import importlib

        for m in MODULES:
            importlib.import_module(m)
        print(describe())
        return 0
    print("usage: python -m notes_qa.speedups build|status", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
