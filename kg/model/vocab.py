"""The kg vocabulary as an rdflib namespace, and the IRI bases of the data.

A typo such as ``KG.increse`` raises at once (``_fail = True``), so vocabulary drift between
code and ``ontology/kg.ttl`` cannot pass silently; ``tests/test_vocab.py`` checks that the two
list the same terms.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

__all__ = [
    "ASSERTION",
    "BIOLINK",
    "ENTITY",
    "EVIDENCE",
    "KG",
    "PREFIXES",
    "REFERENCE",
    "REVIEW",
    "REVIEW_LABEL",
    "STUDY",
    "term",
]


class KG(DefinedNamespace):
    """Terms of ``ontology/kg.ttl``."""

    _NS = Namespace("https://w3id.org/kg-ivd/vocab#")
    _fail = True

    AntagomiR: URIRef
    AsPrinted: URIRef
    Assertion: URIRef
    BiologicalProcess: URIRef
    CellTherapy: URIRef
    CellType: URIRef
    Chemical: URIRef
    Clinical: URIRef
    Corrected: URIRef
    CuratorInferred: URIRef
    Cytokine: URIRef
    Disease: URIRef
    Entity: URIRef
    Evidence: URIRef
    EvidenceLevel: URIRef
    ExtracellularVesicle: URIRef
    GeneOrProtein: URIRef
    GeneTherapy: URIRef
    GrowthFactor: URIRef
    GrowthFactorTherapy: URIRef
    InVitro: URIRef
    InVivo: URIRef
    MicroRNA: URIRef
    Organism: URIRef
    Pathway: URIRef
    ProteinFamilyOrComplex: URIRef
    Reference: URIRef
    Relation: URIRef
    ReviewStatement: URIRef
    Stated: URIRef
    Study: URIRef
    StudyType: URIRef
    Therapy: URIRef
    Tissue: URIRef
    aim: URIRef
    animalModel: URIRef
    associatedWith: URIRef
    authors: URIRef
    carries: URIRef
    causal: URIRef
    cellType: URIRef
    citationMismatch: URIRef
    citationNote: URIRef
    citationPrinted: URIRef
    citedReference: URIRef
    context: URIRef
    contradictionNote: URIRef
    contradicts: URIRef
    curatorNote: URIRef
    decreases: URIRef
    delivers: URIRef
    derivedFrom: URIRef
    directlyDecreases: URIRef
    directlyIncreases: URIRef
    evidence: URIRef
    evidenceLevel: URIRef
    exosomeOrigin: URIRef
    experiment: URIRef
    hasPart: URIRef
    inReview: URIRef
    inVitroConclusion: URIRef
    inVivoConclusion: URIRef
    increases: URIRef
    inferenceReason: URIRef
    journal: URIRef
    kindOf: URIRef
    pages: URIRef
    partOf: URIRef
    pmid: URIRef
    printedAs: URIRef
    quote: URIRef
    reference: URIRef
    referenceNumber: URIRef
    regulates: URIRef
    reportedIn: URIRef
    repressesTarget: URIRef
    section: URIRef
    sign: URIRef
    source: URIRef
    sourceRecord: URIRef
    species: URIRef
    stressor: URIRef
    study: URIRef
    studyType: URIRef
    supportType: URIRef
    volume: URIRef
    xref: URIRef
    year: URIRef


def term(name: str) -> URIRef:
    """The IRI of the kg term ``name``; raises AttributeError if the ontology lacks it.

    >>> term("repressesTarget") == KG.repressesTarget
    True
    """
    iri: URIRef = getattr(KG, name)
    return iri


ENTITY = Namespace("https://w3id.org/kg-ivd/entity/")
ASSERTION = Namespace("https://w3id.org/kg-ivd/assertion/")
EVIDENCE = Namespace("https://w3id.org/kg-ivd/evidence/")
STUDY = Namespace("https://w3id.org/kg-ivd/study/")
REFERENCE = Namespace("https://w3id.org/kg-ivd/reference/bhujel2022/")
BIOLINK = Namespace("https://w3id.org/biolink/vocab/")
REVIEW = URIRef("https://doi.org/10.3390/ijms23137306")
REVIEW_LABEL = "Bhujel et al. 2022 (this review)"

PREFIXES: dict[str, str] = {
    "kg": str(KG._NS),
    "ent": str(ENTITY),
    "asr": str(ASSERTION),
    "ev": str(EVIDENCE),
    "study": str(STUDY),
    "ref": str(REFERENCE),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "sh": "http://www.w3.org/ns/shacl#",
    "RO": "http://purl.obolibrary.org/obo/RO_",
    "BFO": "http://purl.obolibrary.org/obo/BFO_",
    "biolink": str(BIOLINK),
}
