"""kg.curation.validate finds each kind of problem, and the shipped data has none."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.curation.validate import Problem, validate
from kg.model import shipped

# A minimal valid document: two entities, one assertion, one evidence, one reference.
VALID = """\
@prefix kg: <https://w3id.org/kg-ivd/vocab#> .
@prefix ent: <https://w3id.org/kg-ivd/entity/> .
@prefix asr: <https://w3id.org/kg-ivd/assertion/> .
@prefix ev: <https://w3id.org/kg-ivd/evidence/> .
@prefix ref: <https://w3id.org/kg-ivd/reference/bhujel2022/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

ent:miR-21 a kg:MicroRNA ; rdfs:label "miR-21" ; skos:altLabel "hsa-mir-21" ;
    kg:xref "mirbase:MI0000077" .
ent:PTEN a kg:GeneOrProtein ; rdfs:label "PTEN" ; kg:xref "HGNC:9588" .
ent:miR-21 kg:repressesTarget ent:PTEN .
asr:a1 a kg:Assertion ; rdf:subject ent:miR-21 ; rdf:predicate kg:repressesTarget ;
    rdf:object ent:PTEN ; kg:evidence ev:e1 .
ev:e1 a kg:Evidence ;
    kg:quote "as exosomal miR-21 inhibits phosphatase and tensin homolog (PTEN)" ;
    kg:section "8.2" ; kg:citationPrinted "[20]" ; kg:citedReference ref:R20 ;
    kg:reference ref:R20 ; kg:citationMismatch false ; kg:evidenceLevel kg:Stated ;
    kg:studyType kg:InVitro .
ref:R20 a kg:Reference ; kg:referenceNumber 20 ; dcterms:title "Mesenchymal stem cells" ;
    kg:authors "Cheng, X." ; kg:journal "J. Cell. Mol. Med." ; kg:year 2018 .
"""


def _check(tmp_path: Path, text: str) -> list[Problem]:
    path = tmp_path / "data.ttl"
    path.write_text(text)
    return list(validate([path]).problems)


def test_shipped_data_is_clean() -> None:
    report = validate()
    assert report.problems == ()
    assert report.ok
    assert set(report.files) == set(shipped.data_files())


def test_minimal_document_is_clean(tmp_path: Path) -> None:
    assert _check(tmp_path, VALID) == []


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    text = VALID.replace('kg:section "8.2" ;', 'kg:section "8.2 ;')
    problems = _check(tmp_path, text)
    assert len(problems) == 1
    assert problems[0].kind == "syntax"
    line = next(i for i, row in enumerate(text.splitlines(), 1) if 'kg:section "8.2 ;' in row)
    assert problems[0].where == f"{tmp_path / 'data.ttl'}:{line}"


def test_evidence_without_quote_names_the_focus_node(tmp_path: Path) -> None:
    text = VALID.replace(
        '    kg:quote "as exosomal miR-21 inhibits phosphatase and tensin homolog (PTEN)" ;\n', ""
    )
    problems = _check(tmp_path, text)
    assert [(p.kind, p.where) for p in problems] == [("shacl", "ev:e1")]
    assert "kg:quote" in problems[0].message


def test_assertion_without_evidence_names_the_focus_node(tmp_path: Path) -> None:
    text = VALID.replace("rdf:object ent:PTEN ; kg:evidence ev:e1 .", "rdf:object ent:PTEN .")
    problems = [p for p in _check(tmp_path, text) if p.where == "asr:a1"]
    assert len(problems) == 1
    assert "at least one kg:evidence" in problems[0].message


def test_quote_not_in_review(tmp_path: Path) -> None:
    text = VALID.replace("miR-21 inhibits phosphatase", "miR-21 activates phosphatase")
    problems = _check(tmp_path, text)
    assert [(p.kind, p.where) for p in problems] == [("quote", "ev:e1")]


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        ('"HGNC:9588"', '"HGNC:99999999"', "unknown identifier"),
        ('"HGNC:9588"', '"HGNC:9589"', "neither the label nor a synonym"),
        ('"HGNC:9588"', '"UniProt:P60484"', "no table for prefix"),
    ],
)
def test_identifiers(tmp_path: Path, old: str, new: str, needle: str) -> None:
    problems = [p for p in _check(tmp_path, VALID.replace(old, new)) if p.kind == "identifier"]
    assert len(problems) == 1
    assert problems[0].where == "ent:PTEN"
    assert needle in problems[0].message


def test_missing_plain_triple(tmp_path: Path) -> None:
    problems = _check(tmp_path, VALID.replace("ent:miR-21 kg:repressesTarget ent:PTEN .\n", ""))
    assert [p.where for p in problems] == ["asr:a1"]
    assert "plain triple" in problems[0].message


def test_predicate_must_be_a_signed_relation(tmp_path: Path) -> None:
    text = VALID.replace("kg:repressesTarget", "ent:inhibits") + (
        'ent:inhibits a kg:Relation ; rdfs:label "inhibits" .\n'
    )
    problems = _check(tmp_path, text)
    messages = [p.message for p in problems if p.where == "ent:inhibits"]
    assert any("kg:sign" in m for m in messages)


def test_mismatch_needs_note_and_inferred_needs_reason(tmp_path: Path) -> None:
    text = VALID.replace("kg:citationMismatch false", "kg:citationMismatch true").replace(
        "kg:evidenceLevel kg:Stated", "kg:evidenceLevel kg:CuratorInferred"
    )
    messages = sorted(p.message for p in _check(tmp_path, text))
    assert len(messages) == 2
    assert "kg:citationNote" in messages[0]
    assert "kg:inferenceReason" in messages[1]


def test_untyped_entity(tmp_path: Path) -> None:
    text = VALID.replace(
        'ent:PTEN a kg:GeneOrProtein ; rdfs:label "PTEN" ; kg:xref "HGNC:9588" .\n', ""
    )
    problems = _check(tmp_path, text)
    assert any(p.where == "ent:PTEN" and "has no type" in p.message for p in problems)


def test_iri_with_space_and_undeclared_term(tmp_path: Path) -> None:
    text = VALID + "ent:PTEN kg:bogus <https://w3id.org/kg-ivd/entity/with space> .\n"
    kinds = {(p.kind, p.where) for p in _check(tmp_path, text)}
    assert ("term", "kg:bogus") in kinds
    assert ("iri", "<https://w3id.org/kg-ivd/entity/with space>") in kinds


def test_imported_evidence_cites_pubmed_and_quotes_its_source(tmp_path: Path) -> None:
    from kg.model.records import Assertion, Entity, Evidence, Relation
    from kg.store import provenance, rdf

    graph = rdf.new_graph()
    provenance.add_entity(graph, Entity("hsa-miR-20a-5p", "MicroRNA", "hsa-miR-20a-5p"))
    provenance.add_entity(graph, Entity("HIF1A", "GeneOrProtein", "HIF1A", xrefs=("HGNC:4910",)))
    evidence = Evidence(
        id="MIRT000002", quote="MIRT000002 hsa-miR-20a-5p HIF1A", section="miRTarBase",
        references=(), pmids=("18632605",), source="miRTarBase", source_record="MIRT000002",
    )  # fmt: skip
    assertion = Assertion("m1", "hsa-miR-20a-5p", Relation.REPRESSES_TARGET, "HIF1A", (evidence,))
    provenance.add_assertion(graph, assertion)
    path = tmp_path / "imported.ttl"
    rdf.write_turtle(graph, path)
    assert validate([path]).problems == ()
    assert provenance.read_evidence(rdf.load([path]))["MIRT000002"].pmids == ("18632605",)
    broken = path.read_text().replace('kg:pmid "18632605"', 'kg:pmid "PMC18632605"')
    path.write_text(broken)
    problems = validate([path]).problems
    assert [p.where for p in problems] == ["<https://pubmed.ncbi.nlm.nih.gov/18632605/>"]
    assert "PubMed record" in problems[0].message
