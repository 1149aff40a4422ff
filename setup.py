"""Packaging shim: ships the top-level ``models/`` folder inside the wheel as ``notes_qa._models``.

Everything else is declared in pyproject.toml.
"""
from setuptools import find_packages, setup

packages = find_packages(include=["notes_qa", "notes_qa.*"])
packages += ["notes_qa._models"] + [
    "notes_qa._models." + p for p in find_packages(where="models")]

setup(packages=packages, package_dir={"notes_qa._models": "models"})
