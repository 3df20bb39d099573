"""Shared fixtures: the shipped graph and ontology are parsed once per session."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from kg import io, shipped


@pytest.fixture(scope="session")
def ontology() -> Graph:
    return io.load([shipped.ontology_file()])


@pytest.fixture(scope="session")
def data() -> Graph:
    return io.load(shipped.data_files())


@pytest.fixture(scope="session")
def review_text() -> str:
    return shipped.review_text_file().read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The checkout root (tests always run from a checkout, the package may be installed)."""
    return Path(__file__).resolve().parent.parent
