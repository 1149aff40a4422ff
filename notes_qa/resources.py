"""One loader for the data files shipped inside the package (rules, lexicons, thresholds).

``rules`` arguments follow medspaCy: ``"default"`` loads the packaged file, ``None`` loads
nothing, and a path loads the user's own file.
"""
from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar


def file_sha256(path: str | Path) -> str:
    """SHA-256 (hex) of a file, read in 1 MiB blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


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


class RuleData:
    """Mixin for a dataclass of rules kept as data (medspaCy style).

    ``from_dict`` rejects unknown keys and requires a ``provenance`` line; ``load`` resolves a
    ``rules`` argument ("default" | None | path). Subclasses set ``RULES_NAME`` (for messages),
    ``RULES_PACKAGE`` and ``RULES_FILE``.
    """

    RULES_NAME: ClassVar[str] = "rules"
    RULES_PACKAGE: ClassVar[str] = ""
    RULES_FILE: ClassVar[str] = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Any:
        from dataclasses import fields

        from .errors import ConfigError

        known = {f.name for f in fields(cls)}  # type: ignore[arg-type]
        unknown = set(data) - known
        if unknown:
            raise ConfigError(f"{cls.RULES_NAME}: unknown keys {sorted(unknown)}; known keys are "
                              f"{sorted(known)}")
        if not data.get("provenance"):
            raise ConfigError(f"{cls.RULES_NAME}: a 'provenance' line is required")
        try:
            return cls(**data)
        except TypeError as exc:
            raise ConfigError(f"{cls.RULES_NAME}: {exc}") from None

    @classmethod
    def load(cls, rules: str | Path | None = "default") -> Any:
        data = load_rules(rules, cls.RULES_PACKAGE, cls.RULES_FILE)
        return None if data is None else cls.from_dict(data)

    def to_dict(self) -> dict[str, Any]:
        from dataclasses import fields

        return {f.name: getattr(self, f.name) for f in fields(self)}  # type: ignore[arg-type]
