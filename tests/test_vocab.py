"""The ontology and the code's view of it agree, and every term is documented."""

from __future__ import annotations

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from kg.model.records import Relation
from kg.model.vocab import KG, term


def _kg_terms(graph: Graph) -> set[str]:
    ns = str(KG._NS)
    return {str(s).removeprefix(ns) for s in graph.subjects() if str(s).startswith(ns)}


def test_namespace_lists_exactly_the_ontology_terms(ontology: Graph) -> None:
    declared = set(KG.__annotations__)
    assert declared == _kg_terms(ontology)


def test_every_term_has_label_and_definition(ontology: Graph) -> None:
    for name in _kg_terms(ontology):
        iri = term(name)
        assert ontology.value(iri, RDFS.label) is not None, name
        assert ontology.value(iri, SKOS.definition) is not None, name


def test_relations_declare_sign_and_match_the_code(ontology: Graph) -> None:
    in_ontology = {
        str(r).removeprefix(str(KG._NS)) for r in ontology.subjects(RDF.type, KG.Relation)
    }
    assert in_ontology == {r.value for r in Relation}
    for relation in Relation:
        iri = term(relation.value)
        assert ontology.value(iri, KG.sign) == Literal(relation.sign), relation
        assert ontology.value(iri, KG.causal) == Literal(relation.causal), relation


def test_signed_relations_are_causal() -> None:
    for relation in Relation:
        if relation.sign != 0:
            assert relation.causal, relation


def test_every_relation_maps_to_ro_or_bfo_and_biolink(ontology: Graph) -> None:
    """kindOf is the one exception: "is a" is rdfs:subClassOf itself (RO has no is-a term),
    which Biolink 4.4.6 maps exactly to biolink:subclass_of."""
    kind_of = term(Relation.KIND_OF.value)
    assert (kind_of, SKOS.closeMatch, RDFS.subClassOf) in ontology
    for relation in Relation:
        if relation is Relation.KIND_OF:
            continue
        iri = term(relation.value)
        targets = {
            str(o)
            for p in (SKOS.exactMatch, SKOS.closeMatch)
            for o in ontology.objects(iri, p)
            if isinstance(o, URIRef)
        }
        assert any("/obo/RO_" in t or "/obo/BFO_" in t for t in targets), relation
        assert any(t.startswith("https://w3id.org/biolink/vocab/") for t in targets), relation


def test_direct_relations_specialise_their_indirect_form(ontology: Graph) -> None:
    assert (KG.directlyIncreases, RDFS.subPropertyOf, KG.increases) in ontology
    assert (KG.directlyDecreases, RDFS.subPropertyOf, KG.decreases) in ontology
    assert (KG.repressesTarget, RDFS.subPropertyOf, KG.directlyDecreases) in ontology


def test_issue_entity_classes_exist(ontology: Graph) -> None:
    for name in (
        "MicroRNA", "AntagomiR", "GeneOrProtein", "ProteinFamilyOrComplex", "Pathway",
        "BiologicalProcess", "CellType", "Tissue", "ExtracellularVesicle", "Chemical",
        "Cytokine", "GrowthFactor", "Therapy", "CellTherapy", "GeneTherapy",
        "GrowthFactorTherapy", "Study", "Reference",
    ):  # fmt: skip
        assert (term(name), RDF.type, OWL.Class) in ontology, name
