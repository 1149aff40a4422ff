"""One loader for the data files shipped inside the package (rules, lexicons, thresholds).

``rules`` arguments follow medspaCy: ``"default"`` loads the packaged file, ``None`` loads
nothing, and a path loads the user's own file.
"""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any


def read_text(package: str, name: str) -> str:
    """Text of a data file shipped in ``package`` (e.g. ``notes_qa.segmentation.rules``)."""
    return resources.files(package).joinpath(name).read_text(encoding="utf-8")


def load_json(package: str, name: str) -> Any:
    """A packaged JSON data file."""
    return json.loads(read_text(package, name))


def load_rules(rules: str | Path | None, package: str, default_name: str) -> Any:
    """Resolve a ``rules`` argument: "default" → packaged file, None → None, path → that file."""
    if rules is None:
        return None
    if isinstance(rules, str) and rules == "default":
        return load_json(package, default_name)
    return json.loads(Path(rules).read_text(encoding="utf-8"))


def package_path(package: str, name: str = "") -> Path:
    """A filesystem path for a packaged resource (the package is installed unzipped)."""
    return Path(str(resources.files(package).joinpath(name)))
