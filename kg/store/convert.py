"""RDF ↔ networkx for mechanism edges.

:func:`to_networkx` keeps only assertions (no literal becomes a node): one edge per assertion,
keyed by the assertion id, carrying its relation, sign, causality and evidence ids. Entities
become nodes keyed by their id, with label, type, synonyms and identifiers as attributes.
:func:`from_networkx` writes the same mechanism triples back, so the round trip is lossless
for them (``tests/test_convert.py`` checks it on random assertion sets).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from kg.model.errors import KGError
from kg.model.records import Relation
from kg.model.vocab import ASSERTION, ENTITY, EVIDENCE, KG, term
from kg.store import rdf

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["entity_nodes", "from_networkx", "mechanism_subgraph", "node_id", "to_networkx"]

_RELATIONS = {term(r.value): r for r in Relation}


def node_id(iri: URIRef) -> str:
    """The networkx node id of an entity IRI: its local id in the entity namespace."""
    text = str(iri)
    return text.removeprefix(str(ENTITY)) if text.startswith(str(ENTITY)) else text


def _iri(node: str) -> URIRef:
    return ENTITY[node] if "://" not in node else URIRef(node)


def _entity_type(graph: Graph, iri: URIRef) -> str:
    types = sorted(
        str(t).removeprefix(str(KG._NS))
        for t in graph.objects(iri, RDF.type)
        if str(t).startswith(str(KG._NS))
    )
    return types[0] if types else "Entity"


def _node_attrs(graph: Graph, iri: URIRef) -> dict[str, object]:
    nid = node_id(iri)
    return {
        "label": str(graph.value(iri, RDFS.label) or nid),
        "type": _entity_type(graph, iri),
        "synonyms": tuple(sorted(str(s) for s in graph.objects(iri, SKOS.altLabel))),
        "xrefs": tuple(sorted(str(x) for x in graph.objects(iri, KG.xref))),
    }


def entity_nodes(graph: Graph) -> nx.MultiDiGraph:
    """Every labelled entity as an isolated node (to resolve context names: cell types...)."""
    import networkx as nx

    result = nx.MultiDiGraph()
    for iri in graph.subjects(RDFS.label, None):
        if isinstance(iri, URIRef) and str(iri).startswith(str(ENTITY)):
            result.add_node(node_id(iri), **_node_attrs(graph, iri))
    return result


def to_networkx(graph: Graph) -> nx.MultiDiGraph:
    """The mechanism graph: entities as nodes, assertions as keyed, signed edges.

    Raises:
        KGError: an assertion uses a predicate that is not a kg relation.

    Example:
        >>> from kg.model import shipped
        >>> g = to_networkx(rdf.load(shipped.data_files()))
        >>> edge = g.edges["miR-21", "PTEN", "mir21-represses-pten"]
        >>> edge["relation"], edge["sign"], edge["evidence"]
        ('repressesTarget', -1, ('mir21-represses-pten-1', 'mir21-represses-pten-2'))
    """
    import networkx as nx

    result = nx.MultiDiGraph()
    for assertion in graph.subjects(RDF.type, KG.Assertion):
        subject = graph.value(assertion, RDF.subject)
        predicate = graph.value(assertion, RDF.predicate)
        obj = graph.value(assertion, RDF.object)
        if not (isinstance(subject, URIRef) and isinstance(obj, URIRef)):
            continue
        relation = _RELATIONS.get(predicate) if isinstance(predicate, URIRef) else None
        if relation is None:
            raise KGError(f"assertion {assertion} uses {predicate}, which is not a kg relation")
        for iri in (subject, obj):
            if node_id(iri) not in result:
                result.add_node(node_id(iri), **_node_attrs(graph, iri))
        evidence = tuple(
            sorted(
                str(e).removeprefix(str(EVIDENCE)) for e in graph.objects(assertion, KG.evidence)
            )
        )
        result.add_edge(
            node_id(subject),
            node_id(obj),
            key=str(assertion).removeprefix(str(ASSERTION)),
            relation=relation.value,
            sign=relation.sign,
            causal=relation.causal,
            evidence=evidence,
            contradicts=tuple(
                sorted(
                    str(a).removeprefix(str(ASSERTION))
                    for a in graph.objects(assertion, KG.contradicts)
                )
            ),
        )
    return result


def from_networkx(mechanisms: nx.MultiDiGraph) -> Graph:
    """Write a mechanism graph back to RDF (entities, plain triples, assertion nodes)."""
    graph = rdf.new_graph()
    for nid, attrs in mechanisms.nodes(data=True):
        iri = _iri(nid)
        graph.add((iri, RDF.type, term(attrs["type"])))
        graph.add((iri, RDFS.label, Literal(attrs["label"])))
        for synonym in attrs.get("synonyms", ()):
            graph.add((iri, SKOS.altLabel, Literal(synonym)))
        for xref in attrs.get("xrefs", ()):
            graph.add((iri, KG.xref, Literal(xref)))
    for source, target, key, attrs in mechanisms.edges(keys=True, data=True):
        node = ASSERTION[key]
        predicate = term(attrs["relation"])
        s, o = _iri(source), _iri(target)
        graph.add((s, predicate, o))
        graph.add((node, RDF.type, KG.Assertion))
        graph.add((node, RDF.subject, s))
        graph.add((node, RDF.predicate, predicate))
        graph.add((node, RDF.object, o))
        for evidence in attrs["evidence"]:
            graph.add((node, KG.evidence, EVIDENCE[evidence]))
        for other in attrs.get("contradicts", ()):
            graph.add((node, KG.contradicts, ASSERTION[other]))
    return graph


def mechanism_subgraph(graph: Graph) -> Graph:
    """The part of ``graph`` that :func:`to_networkx` represents (for round-trip checks)."""
    result = rdf.new_graph()
    entities: set[URIRef] = set()
    for assertion in graph.subjects(RDF.type, KG.Assertion):
        s = graph.value(assertion, RDF.subject)
        p = graph.value(assertion, RDF.predicate)
        o = graph.value(assertion, RDF.object)
        if not (isinstance(s, URIRef) and isinstance(p, URIRef) and isinstance(o, URIRef)):
            continue
        entities |= {s, o}
        result.add((s, p, o))
        for prop in (RDF.type, RDF.subject, RDF.predicate, RDF.object, KG.evidence, KG.contradicts):
            for value in graph.objects(assertion, prop):
                result.add((assertion, prop, value))
    for entity in entities:
        for prop in (RDFS.label, SKOS.altLabel, KG.xref):
            for value in graph.objects(entity, prop):
                result.add((entity, prop, value))
        result.add((entity, RDF.type, term(_entity_type(graph, entity))))
    return result
