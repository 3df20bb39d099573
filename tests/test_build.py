"""The stored RDF is in sync with its sources, and building is all or nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.curation.build import build, curation_graph, entity_classes
from kg.curation.tables import read_curation
from kg.model import shipped
from kg.model.errors import CurationError
from kg.store import rdf


def test_review_ttl_is_in_sync_with_the_curation_tables(ontology: Graph) -> None:
    curation = read_curation(shipped.data_dir() / "curation", entity_classes(ontology))
    built = curation_graph(curation)
    stored = rdf.load([shipped.data_dir() / "review.ttl"])
    assert isomorphic(built, stored), "data/review.ttl is stale: run `kg build`"


def test_entity_classes_follow_subclass_chains(ontology: Graph) -> None:
    classes = entity_classes(ontology)
    assert {"MicroRNA", "Cytokine", "GeneTherapy", "Entity"} <= classes
    assert "Assertion" not in classes


def test_a_bad_row_leaves_the_stored_files_untouched(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(shipped.data_dir(), data)
    before = {p.name: p.read_bytes() for p in data.glob("*.ttl")}
    assertions = data / "curation" / "assertions.tsv"
    assertions.write_text(assertions.read_text() + "broken\tmiR-21\tinhibits\tPTEN\tq\t8.2\t[20]\n")
    with pytest.raises(CurationError, match="unknown relation"):
        build(data, shipped.ontology_file())
    assert {p.name: p.read_bytes() for p in data.glob("*.ttl")} == before
    assert not list(data.glob(".*.tmp"))


def test_coverage_report_is_in_sync_and_has_no_unmatched_sections() -> None:
    from click.testing import CliRunner

    from kg.cli import cli

    result = CliRunner().invoke(cli, ["coverage", "--format", "markdown"])
    assert result.exit_code == 0
    stored = (shipped.data_dir() / "curation" / "COVERAGE.md").read_text(encoding="utf-8")
    assert result.output == stored, "COVERAGE.md is stale: kg coverage --format markdown > it"
    units = CliRunner().invoke(cli, ["coverage", "--format", "json"])
    kinds = {u["kind"] for u in json.loads(units.output)["units"]}
    assert "unmatched" not in kinds
