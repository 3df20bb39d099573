"""Counts over a kg graph: entity types, relations, evidence levels, study types."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from rdflib import RDF, Graph, Literal, URIRef

from kg.model.vocab import KG, REVIEW

__all__ = ["Stats", "stats"]


@dataclass(frozen=True)
class Stats:
    """Totals and breakdowns of a graph."""

    totals: dict[str, int]
    entity_types: Counter[str]
    relations: Counter[str]
    evidence_levels: Counter[str]
    study_types: Counter[str]


def _local(node: object) -> str:
    text = str(node)
    return text.removeprefix(str(KG._NS))


def stats(graph: Graph) -> Stats:
    """Count what a graph holds.

    Example:
        >>> from kg.store import rdf
        >>> from kg.model import shipped
        >>> s = stats(rdf.load(shipped.data_files()))
        >>> s.totals["references"]
        171
    """
    entity_classes = {
        cls
        for cls in graph.objects(None, RDF.type)
        if isinstance(cls, URIRef) and str(cls).startswith(str(KG._NS))
    } - {KG.Assertion, KG.Evidence, KG.Reference, KG.Study}
    entity_types: Counter[str] = Counter()
    for cls in sorted(entity_classes):  # ties in most_common() keep this order: stable output
        entity_types[_local(cls)] = sum(1 for _ in graph.subjects(RDF.type, cls))
    assertions = set(graph.subjects(RDF.type, KG.Assertion))
    relations = Counter(_local(graph.value(a, RDF.predicate)) for a in assertions)
    evidence = set(graph.subjects(RDF.type, KG.Evidence))
    levels = Counter(_local(graph.value(e, KG.evidenceLevel)) for e in evidence)
    study_types = Counter(_local(t) for e in evidence for t in graph.objects(e, KG.studyType))
    mismatches = sum(1 for e in evidence if graph.value(e, KG.citationMismatch) == Literal(True))
    contradictions = {frozenset((a, b)) for a, b in graph.subject_objects(KG.contradicts)}
    totals = {
        "entities": sum(entity_types.values()),
        "assertions": len(assertions),
        "evidence": len(evidence),
        # the review itself is a kg:Reference too (cited by uncited sentences), not an entry
        "references": sum(1 for r in graph.subjects(RDF.type, KG.Reference) if r != REVIEW),
        "studies": sum(1 for _ in graph.subjects(RDF.type, KG.Study)),
        "citation mismatches": mismatches,
        "contradictions": len(contradictions),
        "triples": len(graph),
    }
    return Stats(totals, entity_types, relations, levels, study_types)
