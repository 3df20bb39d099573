"""Shared fixtures: the shipped graph and ontology are parsed once per session."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph

from kg.model import shipped
from kg.store import rdf


@pytest.fixture(scope="session")
def ontology() -> Graph:
    return rdf.load([shipped.ontology_file()])


@pytest.fixture(scope="session")
def data() -> Graph:
    return rdf.load(shipped.data_files())


@pytest.fixture(scope="session")
def review_text() -> str:
    return shipped.review_text_file().read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The checkout root (tests always run from a checkout, the package may be installed)."""
    return Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tests never read or write the user's ~/.cache/kg."""
    previous = os.environ.get("KG_CACHE_DIR")
    os.environ["KG_CACHE_DIR"] = str(tmp_path_factory.mktemp("kg-cache"))
    yield
    if previous is None:
        del os.environ["KG_CACHE_DIR"]
    else:
        os.environ["KG_CACHE_DIR"] = previous
