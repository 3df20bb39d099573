"""Lint the curated data itself: quotes, identifiers, and the worked miR-21 example."""

from __future__ import annotations

from rdflib import RDF, Graph, Literal, URIRef

from kg.model.identifiers import load_tables
from kg.model.review import find_quote, normalise
from kg.model.vocab import ASSERTION, ENTITY, KG, REFERENCE, STUDY


def test_every_quote_occurs_in_the_review(data: Graph, review_text: str) -> None:
    review = normalise(review_text)
    quotes = list(data.subject_objects(KG.quote))
    assert quotes
    missing = [str(e) for e, q in quotes if not find_quote(review, str(q))]
    assert missing == []


def test_every_identifier_is_in_its_authoritative_table(data: Graph) -> None:
    tables = load_tables()
    xrefs = [str(x) for x in data.objects(None, KG.xref)]
    assert xrefs
    unknown = [x for x in xrefs if tables.lookup(x) is None]
    assert unknown == []


def test_every_assertion_has_quoted_referenced_evidence(data: Graph) -> None:
    for assertion in data.subjects(RDF.type, KG.Assertion):
        evidence = list(data.objects(assertion, KG.evidence))
        assert evidence, assertion
        for ev in evidence:
            assert data.value(ev, KG.quote) is not None, ev
            assert data.value(ev, KG.reference) is not None, ev


def _evidence_of(data: Graph, subject: str, relation: URIRef, obj: str) -> list[URIRef]:
    s, o = ENTITY[subject], ENTITY[obj]
    assert (s, relation, o) in data, (subject, relation, obj)
    found = [
        a
        for a in data.subjects(RDF.subject, s)
        if (a, RDF.predicate, relation) in data and (a, RDF.object, o) in data
    ]
    assert len(found) == 1
    return [e for e in data.objects(found[0], KG.evidence) if isinstance(e, URIRef)]


def test_mir21_chain_is_complete_with_evidence(data: Graph) -> None:
    chain = [
        ("BM-MSC-exosome", KG.delivers, "miR-21"),
        ("miR-21", KG.repressesTarget, "PTEN"),
        ("PTEN", KG.decreases, "PI3K-AKT"),
        ("PI3K-AKT", KG.decreases, "apoptosis"),
    ]
    for subject, relation, obj in chain:
        evidence = _evidence_of(data, subject, relation, obj)
        assert any((e, KG.reference, REFERENCE["R20"]) in data for e in evidence)
    inferred = _evidence_of(data, "PTEN", KG.decreases, "PI3K-AKT")
    assert data.value(inferred[0], KG.evidenceLevel) == KG.CuratorInferred
    assert data.value(inferred[0], KG.inferenceReason) is not None
    table3 = _evidence_of(data, "miR-21", KG.repressesTarget, "PTEN")
    assert any((e, KG.study, STUDY["cheng2018"]) in data for e in table3)
    assert (STUDY["cheng2018"], KG.reportedIn, REFERENCE["R20"]) in data
    assert (ASSERTION["pten-decreases-pi3k-akt"], RDF.type, KG.Assertion) in data


def test_mir21_has_synonyms_and_grounding(data: Graph) -> None:
    names = {str(n) for n in data.objects(ENTITY["miR-21"], None) if isinstance(n, Literal)}
    assert {"miR-21", "hsa-miR-21-5p", "mirbase:MI0000077", "HGNC:31586"} <= names
