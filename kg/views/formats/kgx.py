"""Biolink KGX TSV: a nodes file and an edges file, as ``kgx transform`` writes them.

Categories and predicates come from the Biolink mappings in ``ontology/kg.ttl``
(``skos:exactMatch`` / ``skos:closeMatch`` to ``biolink:`` terms; a class without one takes
its superclass's). A node's id is its preferred identifier in Biolink's prefix spelling
(``HGNC:9588``, ``mirbase:MI0000077``, ``GO:0043491``, ``MESH:D017209``) when no other entity
shares it, else kg's own CURIE ``ent:<id>`` (FamPlex is not a Biolink prefix, so FamPlex ids go
to ``xref`` only). One edge per assertion: ``primary_knowledge_source`` ``infores:kg-ivd``,
``knowledge_level`` ``knowledge_assertion`` and ``agent_type`` ``manual_agent`` for edges curated
from the review (``not_provided`` for imported evidence), ``publications``
the review's DOI and the PubMed ids of imported evidence; signed causal edges add
``qualified_predicate`` ``biolink:causes`` and ``object_direction_qualifier``
``increased`` / ``decreased``; ``kg_relation``, ``kg_sign`` and ``kg_evidence`` keep kg's own
terms. Several values in one cell are joined with ``|``.
"""

from __future__ import annotations

import csv
import io
from collections import Counter

from rdflib import Graph
from rdflib.namespace import RDFS, SKOS
from rdflib.term import URIRef

from kg.model import shipped
from kg.model.errors import KGError
from kg.model.vocab import BIOLINK, KG
from kg.store import rdf
from kg.store.knowledge import Knowledge
from kg.views.formats.common import REVIEW_DOI, edges, groundings, preferred_grounding

__all__ = [
    "EDGE_COLUMNS",
    "KNOWLEDGE_SOURCE",
    "LOCAL_PREFIX",
    "NODE_COLUMNS",
    "biolink_mappings",
    "kgx_tables",
    "node_ids",
]

NODE_COLUMNS = ("id", "category", "name", "synonym", "xref", "provided_by", "kg_id", "kg_type")
EDGE_COLUMNS = (
    "id", "subject", "predicate", "object", "category", "primary_knowledge_source",
    "knowledge_level", "agent_type", "publications", "qualified_predicate",
    "object_direction_qualifier", "kg_relation", "kg_sign", "kg_evidence",
)  # fmt: skip
KNOWLEDGE_SOURCE = "infores:kg-ivd"
LOCAL_PREFIX = "ent"
"""kg's own CURIE prefix for entities (``ent:`` = ``https://w3id.org/kg-ivd/entity/``)."""

_BIOLINK_PREFIXES = {"HGNC": "HGNC", "MIRBASE": "mirbase", "GO": "", "MESH": "MESH"}
_XREF_PREFIXES = {**_BIOLINK_PREFIXES, "FPLX": "FPLX"}
_ORDER = ("HGNC", "MIRBASE", "GO", "MESH")


def _biolink(graph: Graph, term: URIRef) -> list[str]:
    found: list[str] = []
    for match in (SKOS.exactMatch, SKOS.closeMatch):
        for value in sorted(str(v) for v in graph.objects(term, match)):
            if value.startswith(str(BIOLINK)):
                found.append("biolink:" + value[len(str(BIOLINK)) :])
    return found


def biolink_mappings(ontology: Graph) -> dict[str, list[str]]:
    """kg term local name → its Biolink terms, from the ontology's SKOS mappings.

    Example:
        >>> found = biolink_mappings(rdf.load([shipped.ontology_file()]))
        >>> found["increases"], found["GeneOrProtein"], found["CellTherapy"]
        (['biolink:affects'], ['biolink:Gene', 'biolink:Protein'], ['biolink:Treatment'])
    """
    result: dict[str, list[str]] = {}
    prefix = str(KG._NS)
    terms = {s for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(prefix)}
    for term in terms:
        mapped, seen, current = _biolink(ontology, term), {term}, term
        while not mapped:
            parents = [p for p in ontology.objects(current, RDFS.subClassOf) if p not in seen]
            if not parents or not isinstance(parents[0], URIRef):
                break
            current = parents[0]
            seen.add(current)
            mapped = _biolink(ontology, current)
        if mapped:
            result[str(term)[len(prefix) :]] = mapped
    return result


def _curie(namespace: str, identifier: str) -> str:
    prefix = _XREF_PREFIXES[namespace]
    return identifier if not prefix else f"{prefix}:{identifier}"


def node_ids(view: Knowledge) -> dict[str, str]:
    """kg entity id → KGX node id (a Biolink-prefixed identifier no other entity shares).

    Example:
        >>> from kg.store.knowledge import load_knowledge
        >>> ids = node_ids(load_knowledge())
        >>> ids["PTEN"], ids["miR-21"], ids["BM-MSC-exosome"]
        ('HGNC:9588', 'mirbase:MI0000077', 'ent:BM-MSC-exosome')
    """
    preferred: dict[str, str] = {}
    for node in view.mechanisms:
        found = groundings(view, node)
        usable = {ns: i for ns, i in found.items() if ns in _BIOLINK_PREFIXES}
        first = preferred_grounding(view, node)
        if first is not None and first[0] in usable:
            preferred[node] = _curie(*first)
        elif usable:
            preferred[node] = _curie(*min(usable.items(), key=lambda kv: _ORDER.index(kv[0])))
    shared = Counter(preferred.values())
    return {
        node: preferred[node] if shared[preferred.get(node, "")] == 1 else f"{LOCAL_PREFIX}:{node}"
        for node in view.mechanisms
    }


def _tsv(columns: tuple[str, ...], rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, delimiter="\t", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _clean(text: str) -> str:
    return " ".join(text.replace("|", "/").split())


def kgx_tables(view: Knowledge, ontology: Graph | None = None) -> tuple[str, str]:
    """The nodes TSV and the edges TSV of the mechanism graph.

    ``ontology`` gives the Biolink mappings (default: the shipped ``ontology/kg.ttl``).

    Raises:
        KGError: an entity type or relation has no Biolink mapping in the ontology.

    Example:
        >>> from kg.store.knowledge import load_knowledge
        >>> nodes, edges_tsv = kgx_tables(load_knowledge())
        >>> nodes.splitlines()[0].split("\\t")[:3]
        ['id', 'category', 'name']
        >>> row = next(r for r in edges_tsv.splitlines() if r.startswith("mir21-represses-pten\\t"))
        >>> row.split("\\t")[1:4]
        ['mirbase:MI0000077', 'biolink:regulates', 'HGNC:9588']
    """
    mappings = biolink_mappings(ontology or rdf.load([shipped.ontology_file()]))
    ids = node_ids(view)
    node_rows = []
    for node in sorted(view.mechanisms):
        attrs = view.mechanisms.nodes[node]
        kind = str(attrs.get("type"))
        if kind not in mappings:
            raise KGError(f"entity {node}: type {kind!r} has no Biolink mapping in the ontology")
        xrefs = [_curie(ns, i) for ns, i in groundings(view, node).items()]
        node_rows.append(
            {
                "id": ids[node],
                "category": "|".join(mappings[kind]),
                "name": _clean(view.label(node)),
                "synonym": "|".join(_clean(s) for s in attrs.get("synonyms", ())),
                "xref": "|".join(x for x in xrefs if x != ids[node]),
                "provided_by": KNOWLEDGE_SOURCE,
                "kg_id": node,
                "kg_type": kind,
            }
        )
    association = "|".join(mappings.get("Assertion", ["biolink:Association"]))
    edge_rows = []
    for edge in edges(view):
        predicate = mappings.get(edge.relation)
        if predicate is None:
            raise KGError(
                f"assertion {edge.key}: relation {edge.relation!r} has no Biolink mapping"
            )
        pmids = dict.fromkeys(f"PMID:{p}" for ev in edge.evidence for p in ev.pmids)
        reviewed = any(not ev.pmids for ev in edge.evidence)
        publications = ([f"doi:{REVIEW_DOI}"] if reviewed else []) + list(pmids)
        signed = edge.causal and edge.sign != 0
        curated = all(ev.source is None for ev in edge.evidence)  # read from the review by people
        edge_rows.append(
            {
                "id": edge.key,
                "subject": ids[edge.source],
                "predicate": predicate[0],
                "object": ids[edge.target],
                "category": association,
                "primary_knowledge_source": KNOWLEDGE_SOURCE,
                "knowledge_level": "knowledge_assertion" if curated else "not_provided",
                "agent_type": "manual_agent" if curated else "not_provided",
                "publications": "|".join(publications),
                "qualified_predicate": "biolink:causes" if signed else "",
                "object_direction_qualifier": ("increased" if edge.sign > 0 else "decreased")
                if signed
                else "",
                "kg_relation": edge.relation,
                "kg_sign": str(edge.sign),
                "kg_evidence": "|".join(ev.id for ev in edge.evidence),
            }
        )
    return _tsv(NODE_COLUMNS, node_rows), _tsv(EDGE_COLUMNS, edge_rows)
