"""The SHACL shapes compiled to SPARQL report exactly what pyshacl reports, on planted errors."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from kg.curation import shacl
from kg.curation.validate import Problem, validate
from kg.model import shipped
from kg.store import rdf

PREFIXES = """\
@prefix kg: <https://w3id.org/kg-ivd/vocab#> .
@prefix ent: <https://w3id.org/kg-ivd/entity/> .
@prefix asr: <https://w3id.org/kg-ivd/assertion/> .
@prefix ev: <https://w3id.org/kg-ivd/evidence/> .
@prefix ref: <https://w3id.org/kg-ivd/reference/bhujel2022/> .
@prefix study: <https://w3id.org/kg-ivd/study/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

GOOD = """
ent:miR-21 a kg:MicroRNA ; rdfs:label "miR-21" ; kg:xref "mirbase:MI0000077" .
ent:PTEN a kg:GeneOrProtein ; rdfs:label "PTEN" ; kg:xref "HGNC:9588" .
ent:rat a kg:Organism ; rdfs:label "rat" .
ent:np a kg:CellType ; rdfs:label "nucleus pulposus cell" .
ent:miR-21 kg:repressesTarget ent:PTEN .
asr:good a kg:Assertion ; rdf:subject ent:miR-21 ; rdf:predicate kg:repressesTarget ;
    rdf:object ent:PTEN ; kg:evidence ev:good .
ev:good a kg:Evidence ; kg:quote "as exosomal miR-21 inhibits PTEN" ; kg:section "8.2" ;
    kg:reference ref:R20 ; kg:citationMismatch false ; kg:evidenceLevel kg:Stated ;
    kg:studyType kg:InVitro ; kg:species ent:rat ; kg:cellType ent:np .
ref:R20 a kg:Reference ; kg:referenceNumber 20 ; dcterms:title "T" ; kg:authors "A" ;
    kg:journal "J" ; kg:year 2018 .
<https://pubmed.ncbi.nlm.nih.gov/1/> a kg:Reference ; kg:pmid "1" .
study:s1 a kg:Study ; kg:reportedIn ref:R20 ; kg:aim "aim" ; kg:exosomeOrigin ent:np .
"""

# Each planted error on its own (one kind of violation each), then all of them together.
PLANTED = {
    "assertion without evidence": """
        asr:a1 a kg:Assertion ; rdf:subject ent:miR-21 ; rdf:predicate kg:repressesTarget ;
            rdf:object ent:PTEN .""",
    "no plain triple": """
        asr:a2 a kg:Assertion ; rdf:subject ent:PTEN ; rdf:predicate kg:increases ;
            rdf:object ent:miR-21 ; kg:evidence ev:good .""",
    "two subjects, predicate not a relation": """
        asr:a3 a kg:Assertion ; rdf:subject ent:PTEN , ent:miR-21 ; rdf:predicate kg:quote ;
            rdf:object ent:PTEN ; kg:evidence ev:good .
        ent:PTEN kg:quote ent:PTEN . ent:miR-21 kg:quote ent:PTEN .""",
    "untyped and literal objects": """
        ent:ghost rdfs:label "ghost" .
        asr:a4 a kg:Assertion ; rdf:subject ent:miR-21 ; rdf:predicate kg:increases ;
            rdf:object ent:ghost ; kg:evidence ev:good .
        ent:miR-21 kg:increases ent:ghost .
        asr:a5 a kg:Assertion ; rdf:subject ent:miR-21 ; rdf:predicate kg:increases ;
            rdf:object "a literal" ; kg:evidence ev:good .
        ent:miR-21 kg:increases "a literal" .""",
    "contradicts an entity, evidence not evidence": """
        asr:a6 a kg:Assertion ; rdf:subject ent:miR-21 ; rdf:predicate kg:repressesTarget ;
            rdf:object ent:PTEN ; kg:evidence ent:PTEN ; kg:contradicts ent:PTEN .""",
    "evidence without quote, two sections": """
        ev:e1 a kg:Evidence ; kg:section "8.2" , "8.3" ; kg:reference ref:R20 ;
            kg:citationMismatch false ; kg:evidenceLevel kg:Stated .""",
    "empty and numeric quotes": """
        ev:e2 a kg:Evidence ; kg:quote "" ; kg:section "8.2" ; kg:reference ref:R20 ;
            kg:citationMismatch false ; kg:evidenceLevel kg:Stated .
        ev:e3 a kg:Evidence ; kg:quote 5 ; kg:section "8.2" ; kg:reference ref:R20 ;
            kg:citationMismatch false ; kg:evidenceLevel kg:Stated .""",
    "mismatch without note, inferred without reason": """
        ev:e4 a kg:Evidence ; kg:quote "as exosomal miR-21 inhibits PTEN" ; kg:section "8.2" ;
            kg:reference ref:R20 ; kg:citationMismatch true ;
            kg:evidenceLevel kg:CuratorInferred .""",
    "bad level, study type, boolean": """
        ev:e5 a kg:Evidence ; kg:quote "q" ; kg:section "8.2" ; kg:reference ref:R20 ;
            kg:citationMismatch "maybe" ; kg:evidenceLevel kg:Stated , kg:InVitro ;
            kg:studyType kg:Stated .""",
    "context of the wrong class": """
        ev:e6 a kg:Evidence ; kg:quote "q" ; kg:section "8.2" ; kg:reference ent:PTEN , "R20" ;
            kg:citedReference ent:rat ; kg:citationMismatch false ; kg:evidenceLevel kg:Stated ;
            kg:species ent:PTEN ; kg:cellType ent:rat ; kg:exosomeOrigin ent:rat ;
            kg:stressor "heat" ; kg:study ent:np , study:s1 ; kg:citationPrinted "[1]" , "[2]" .""",
    "bad entities": """
        ent:x a kg:GeneOrProtein ; rdfs:label "x" , "y" ; kg:xref "foo:bar" , 7 , "HGNC:1 2" .
        ent:y a kg:GeneOrProtein .""",
    "bad references": """
        ref:R99 a kg:Reference ; kg:referenceNumber 99 ; kg:authors "A" ; kg:journal "J" ;
            kg:year "x"^^xsd:integer , 2001 .
        <https://pubmed.ncbi.nlm.nih.gov/abc/> a kg:Reference ; kg:pmid "abc" .
        ref:R98 a kg:Reference ; kg:referenceNumber "98" ; dcterms:title "T" ; kg:authors "A" ;
            kg:journal "J" .""",
    "bad study": """
        study:s2 a kg:Study ; kg:aim "a" , "b" ; kg:exosomeOrigin ent:PTEN .""",
}


def _problems(path: Path, engine: str) -> set[Problem]:
    report = validate([path], engine=engine)  # type: ignore[arg-type]
    return {p for p in report.problems if p.kind in ("shacl", "syntax")}


@pytest.mark.parametrize("name", [*PLANTED, "all"])
def test_compiled_shapes_report_what_pyshacl_reports(tmp_path: Path, name: str) -> None:
    planted = "\n".join(PLANTED.values()) if name == "all" else PLANTED[name]
    path = tmp_path / "data.ttl"
    path.write_text(PREFIXES + GOOD + planted, encoding="utf-8")
    compiled = _problems(path, "compiled")
    assert compiled == _problems(path, "pyshacl")
    assert compiled  # every planted error is a SHACL violation
    assert all(p.kind == "shacl" for p in compiled)


def test_good_document_has_no_shacl_problem(tmp_path: Path) -> None:
    path = tmp_path / "data.ttl"
    path.write_text(PREFIXES + GOOD, encoding="utf-8")
    assert _problems(path, "compiled") == set() == _problems(path, "pyshacl")


def test_every_shipped_shape_is_compiled() -> None:
    shapes = rdf.load([shipped.shapes_file()])
    compiled = shacl.compile_shapes(shapes)
    assert compiled.uncompiled == []
    assert len(compiled.checks) > 40


def test_a_shape_the_compiler_does_not_know_goes_to_pyshacl() -> None:
    shapes = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path ex:p ; sh:hasValue ex:v ; sh:message "needs ex:v" ] .
        ex:T a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path ex:p ; sh:minCount 2 ; sh:message "two ex:p" ] .
        """,
        format="turtle",
    )
    compiled = shacl.compile_shapes(shapes)
    assert [str(s) for s in compiled.uncompiled] == ["http://example.org/S"]
    store = ox.Store()
    store.load(
        b"<http://example.org/a> a <http://example.org/C> ; <http://example.org/p> 1 .",
        ox.RdfFormat.TURTLE,
    )
    found = {(str(f), m) for f, m, _p in shacl.run(store, compiled.checks)}
    found |= {(str(f), m) for f, m, _p in shacl.pyshacl_results(store, shapes, compiled.uncompiled)}
    assert found == {
        ("<http://example.org/a>", "two ex:p"),
        ("<http://example.org/a>", "needs ex:v"),
    }


def test_validate_graph_reports_what_validate_reports(tmp_path: Path) -> None:
    from kg.curation.validate import validate_graph
    from kg.model.identifiers import load_tables

    path = tmp_path / "data.ttl"
    path.write_text(PREFIXES + GOOD + "\n".join(PLANTED.values()), encoding="utf-8")
    text = shipped.review_text_file().read_text(encoding="utf-8")
    found = validate_graph(rdf.load([path]), review_text=text, tables=load_tables())
    assert set(found) == set(validate([path]).problems)
