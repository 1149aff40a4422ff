"""Find shipped model directories: ``models/<name>`` in a source checkout, or
``notes_qa/_models/<name>`` inside an installed wheel (the build copies ``models/`` there)."""
from __future__ import annotations

from importlib import resources
from pathlib import Path


def model_dir(name: str) -> Path | None:
    """Directory of the shipped model ``name`` (e.g. "child_voice"), or None if not shipped."""
    try:
        packaged = Path(str(resources.files("notes_qa").joinpath("_models", name)))
        if packaged.is_dir():
            return packaged
    except (ModuleNotFoundError, TypeError):  # pragma: no cover - namespace edge cases
        pass
    checkout = Path(__file__).resolve().parents[2] / "models" / name
    return checkout if checkout.is_dir() else None


def resolve_model(model: str | Path | None, name: str) -> Path | None:
    """A component's ``model`` setting: "default" → the shipped model, None → none, else a path."""
    if model is None:
        return None
    if isinstance(model, str) and model == "default":
        return model_dir(name)
    return Path(model)
