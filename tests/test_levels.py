"""The evidence levels as-printed and corrected, kindOf and evidence citing the review itself:
read from the tables, written to RDF and read back, enforced by the shapes, flagged in views."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Literal

from kg.curation.build import curation_graph, entity_classes
from kg.curation.tables import ASSERTION_COLUMNS, ENTITY_COLUMNS, STUDY_COLUMNS, read_curation
from kg.curation.validate import validate
from kg.model import shipped
from kg.model.records import Evidence, Level, Reference, Relation
from kg.model.vocab import KG, REVIEW, REVIEW_LABEL
from kg.store import provenance, rdf
from kg.views.evidence import LEVEL_LABELS, evidence_flags

QUOTE_T3 = "activating NLRP3 inflammasome"
QUOTE_84 = "suppressing inflammatory mediators and NLRP3 inflammasome activation"
ENTITIES = [
    ["exo", "ExtracellularVesicle", "BM-MSC-derived exosomes", "", "", ""],
    ["msc-exo", "ExtracellularVesicle", "MSC-derived exosomes", "", "", ""],
    ["nlrp3", "ProteinFamilyOrComplex", "NLRP3 inflammasome", "", "", ""],
    ["ivdd", "Disease", "intervertebral disc degeneration", "", "", ""],
]


def _row(**cells: str) -> str:
    row = dict.fromkeys(ASSERTION_COLUMNS, "")
    row.update(cells)
    return "\t".join(row[c] for c in ASSERTION_COLUMNS)


def _tables(tmp_path: Path, rows: list[str]) -> Path:
    def table(columns: tuple[str, ...], lines: list[str]) -> str:
        return "\n".join(["\t".join(columns), *lines]) + "\n"

    (tmp_path / "entities.tsv").write_text(table(ENTITY_COLUMNS, ["\t".join(e) for e in ENTITIES]))
    (tmp_path / "studies.tsv").write_text(table(STUDY_COLUMNS, []))
    (tmp_path / "assertions.tsv").write_text(table(ASSERTION_COLUMNS, rows))
    return tmp_path


ROWS = [
    _row(
        assertion="up", subject="exo", relation="increases", object="nlrp3", quote=QUOTE_T3,
        section="Table 3, row [123]", citation_printed="[123]", level="as-printed",
        inference_reason="8.4 and the cited study say the opposite", contradicts="down",
        contradiction_note="Table 3 reverses section 8.4",
    ),
    _row(
        assertion="down", subject="exo", relation="decreases", object="nlrp3", quote=QUOTE_84,
        section="8.4", citation_printed="[123]", level="corrected",
        inference_reason="the cited study's title: anti-inflammatory effects",
    ),
    _row(
        assertion="kind", subject="exo", relation="kindOf", object="msc-exo",
        quote="BM-MSC-derived exosomes", section="8.2", reference="review",
    ),
    _row(
        assertion="review", subject="msc-exo", relation="decreases", object="ivdd",
        quote="MSC-derived exosomes have diverse prospects for repairing degenerated IVDs",
        section="10", reference="review", study_type="review",
    ),
]  # fmt: skip
CLASSES = frozenset({"ExtracellularVesicle", "ProteinFamilyOrComplex", "Disease"})


def test_tables_read_the_new_levels_relation_and_review_reference(tmp_path: Path) -> None:
    curation = read_curation(_tables(tmp_path, ROWS), CLASSES)
    by_id = {a.id: a for a in curation.assertions}
    assert by_id["up"].evidence[0].level is Level.AS_PRINTED
    assert by_id["down"].evidence[0].level is Level.CORRECTED
    assert by_id["kind"].relation is Relation.KIND_OF
    assert (Relation.KIND_OF.sign, Relation.KIND_OF.causal) == (0, False)
    review = by_id["review"].evidence[0]
    assert review.cites_review
    assert review.references == ()
    assert not review.citation_mismatch


def test_levels_and_review_citation_survive_rdf(tmp_path: Path) -> None:
    graph = curation_graph(read_curation(_tables(tmp_path, ROWS), CLASSES))
    back = provenance.read_evidence(graph)
    assert back["up-1"].level is Level.AS_PRINTED
    assert back["down-1"].level is Level.CORRECTED
    assert back["down-1"].inference_reason == "the cited study's title: anti-inflammatory effects"
    assert back["review-1"].cites_review
    assert back["review-1"].references == ()
    assert not back["up-1"].cites_review
    assert (REVIEW, RDF.type, KG.Reference) in graph
    assert (REVIEW, RDFS.label, Literal(REVIEW_LABEL)) in graph


def _validate(tmp_path: Path, rows: list[str]) -> list[str]:
    ontology = rdf.load([shipped.ontology_file()])
    (tmp_path / "tables").mkdir()
    tables = _tables(tmp_path / "tables", rows)
    graph = curation_graph(read_curation(tables, entity_classes(ontology)))
    xia = Reference(123, "Xia, C.", "Exosomes", "Free Radic. Biol. Med.", 2019)
    provenance.add_reference(graph, xia)
    out = tmp_path / "data.ttl"
    rdf.write_turtle(graph, out)
    quotes = " ".join(row.split("\t")[ASSERTION_COLUMNS.index("quote")] for row in rows)
    return [p.message for p in validate([out], review_text=quotes).problems]


def test_shapes_accept_a_linked_correction(tmp_path: Path) -> None:
    assert _validate(tmp_path, ROWS) == []


@pytest.mark.parametrize(
    ("index", "cells", "message"),
    [
        (0, {"contradicts": ""}, "as-printed evidence must belong to an assertion linked"),
        (1, {"level": "stated"}, "as-printed evidence must belong to an assertion linked"),
    ],
)
def test_shapes_refuse_an_unlinked_as_printed_reading(
    tmp_path: Path, index: int, cells: dict[str, str], message: str
) -> None:
    rows = list(ROWS)
    base = dict(zip(ASSERTION_COLUMNS, rows[index].split("\t"), strict=True))
    base.update(cells)
    rows[index] = _row(**base)
    assert any(message in m for m in _validate(tmp_path, rows))


def test_flags_say_as_printed_corrected_and_review() -> None:
    printed = Evidence(
        id="e", quote="q", section="8.4", references=(123,), level=Level.AS_PRINTED,
        inference_reason="8.4 says the opposite",
    )  # fmt: skip
    corrected = Evidence(
        id="f", quote="q", section="8.4", references=(123,), level=Level.CORRECTED,
        inference_reason="title",
    )  # fmt: skip
    review = Evidence(id="g", quote="q", section="10", references=(), cites_review=True)
    assert evidence_flags(printed) == ["as printed, not the adopted reading: 8.4 says the opposite"]
    assert evidence_flags(corrected) == ["corrected reading: title"]
    assert evidence_flags(review) == ["uncited sentence: cites the review itself"]
    assert {LEVEL_LABELS[level] for level in Level} == {
        "stated", "inferred", "as-printed", "corrected"
    }  # fmt: skip
