"""kg's BEL export read by PyBEL's own parser, with no errors and no warnings."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest

from kg.store.knowledge import Knowledge, load_knowledge
from kg.views.formats.bel import bel_document, bel_term
from kg.views.formats.common import preferred_grounding
from tests.support import require


@pytest.fixture(scope="module")
def view() -> Knowledge:
    return load_knowledge()


@pytest.fixture(scope="module")
def pybel(tmp_path_factory: pytest.TempPathFactory) -> Any:
    mp = pytest.MonkeyPatch()
    # PyBEL keeps a namespace cache (SQLite) under pystow's home: a private one.
    mp.setenv("PYSTOW_HOME", str(tmp_path_factory.mktemp("pystow")))
    try:
        with warnings.catch_warnings():
            # PyBEL 0.15 uses APIs SQLAlchemy 2 deprecates; that is PyBEL's import, not our BEL.
            warnings.simplefilter("ignore")
            import pybel
    except ImportError:
        require("pybel is not installed (pip install -e '.[test]')")
    yield pybel
    mp.undo()


def _key(view: Knowledge, node: str) -> tuple[str, str]:
    return preferred_grounding(view, node) or ("KG", node)


def _parse(pybel: Any, text: str, path: Path) -> Any:
    path.write_text(text, encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # PyBEL 0.15's grammar calls pyparsing's old camelCase names (its code, not our BEL).
        warnings.filterwarnings("ignore", r"'\w+' deprecated - use '\w+'", DeprecationWarning)
        return pybel.from_bel_script(str(path))


def test_pybel_reads_every_statement_without_warnings(
    view: Knowledge, pybel: Any, tmp_path: Path
) -> None:
    graph = _parse(pybel, bel_document(view), tmp_path / "kg.bel")
    assert graph.warnings == []
    assert graph.number_of_nodes() == view.mechanisms.number_of_nodes()
    expected = {(_key(view, u), _key(view, v)) for u, v in view.mechanisms.edges()}
    found = {((u.namespace, u.identifier), (v.namespace, v.identifier)) for u, v in graph.edges()}
    # PyBEL adds the reverse of symmetric relations (association) itself.
    assert expected <= found
    assert {(b, a) for a, b in found - expected} <= expected
    assert graph.document["name"] == "kg"


def test_citation_evidence_and_annotations(view: Knowledge, pybel: Any, tmp_path: Path) -> None:
    graph = _parse(pybel, bel_document(view), tmp_path / "kg.bel")
    assert bel_term(view, "miR-21") == 'm(MIRBASE:"MI0000077" ! "miR-21")'
    data = next(
        d for u, v, d in graph.edges(data=True)
        if (u.namespace, u.identifier, v.namespace, v.identifier)
        == ("MIRBASE", "MI0000077", "HGNC", "9588")
    )  # fmt: skip
    assert data["relation"] == "directlyDecreases"
    assert data["evidence"] == "as exosomal miR-21 inhibits phosphatase and tensin homolog (PTEN)"
    assert data["citation"].namespace == "other"
    assert "Cheng, X." in data["citation"].identifier
    annotations = {k: [e.identifier for e in v] for k, v in data["annotations"].items()}
    assert annotations["Species"] == ["rat"]
    assert annotations["CellType"] == ["nucleus pulposus cell"]
    assert annotations["Assertion"] == ["mir21-represses-pten"]


def test_pybel_does_warn_on_an_undeclared_namespace(
    view: Knowledge, pybel: Any, tmp_path: Path
) -> None:
    text = bel_document(view).replace('DEFINE NAMESPACE HGNC AS PATTERN ".*"\n', "")
    graph = _parse(pybel, text, tmp_path / "broken.bel")
    assert graph.warnings
