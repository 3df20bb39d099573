"""The local data kg's commands need, fetched from a remote SPARQL store: never the whole graph.

:func:`open_remote` reads the names (label, type, synonyms, identifiers) of every entity, so
that names resolve exactly as on the embedded graph, and returns a :class:`RemoteKnowledge`:
a :class:`~kg.store.knowledge.Knowledge` whose mechanism graph holds every mechanism node but,
so far, no edge. The ``fetch_*`` functions then add the edges a command needs, level by level
in batched ``VALUES`` queries, with the evidence records of those edges and the references
they cite, in the shape :func:`kg.store.convert.to_networkx` gives; the search then runs on
that graph unchanged. Each fetch compares the store's assertion and evidence counts before
and after, and says so when the data changed while it read. (:mod:`kg.store.remote_graph`
serves the two commands that read across the whole graph: conflicts and export.)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rdflib import Graph

from kg.model.records import Relation
from kg.model.vocab import ASSERTION, ENTITY, EVIDENCE, KG
from kg.store.knowledge import Knowledge
from kg.store.remote import Client, Endpoint
from kg.store.remote_query import select_batched, select_paged
from kg.store.sparql.check import EndpointError

if TYPE_CHECKING:
    pass

__all__ = [
    "EDGE_QUERY",
    "RemoteKnowledge",
    "Session",
    "add_edges",
    "collect_edges",
    "fetch_around",
    "fetch_between",
    "fetch_reach",
    "open_remote",
    "store_counts",
]

_NS = str(KG._NS)
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_RELATIONS = {f"{_NS}{r.value}": r for r in Relation}
_SIGNED = sorted(k for k, r in _RELATIONS.items() if r.causal and r.sign != 0)
_ENT = str(ENTITY)


@dataclass
class Session:
    """One command's conversation with the store: the client and the counts seen first."""

    client: Client
    counts: tuple[int, int] = (0, 0)
    names: dict[str, dict[str, object]] = field(default_factory=dict)

    def check_unchanged(self) -> None:
        """Raise when the store's assertion or evidence count differs from the first one."""
        if store_counts(self.client) != self.counts:
            raise EndpointError(
                f"{self.client.endpoint.where}: the data changed while kg was reading it "
                "(assertion or evidence counts differ); run the command again"
            )


@dataclass(frozen=True)
class RemoteKnowledge(Knowledge):
    """A :class:`Knowledge` read from a SPARQL store; edges are added by the ``fetch_*``."""

    session: Session | None = None


def store_counts(client: Client) -> tuple[int, int]:
    rows = client.select(
        f"SELECT ?n ?m {{ {{ SELECT (COUNT(?a) AS ?n) {{ ?a a <{_NS}Assertion> }} }} "
        f"{{ SELECT (COUNT(?e) AS ?m) {{ ?e a <{_NS}Evidence> }} }} }}"
    )
    try:
        return int(rows[0]["n"]), int(rows[0]["m"])
    except (IndexError, KeyError, ValueError):
        raise EndpointError(
            f"{client.endpoint.where}: the answer to a count is not a count"
        ) from None


def node_id(iri: str) -> str:
    """The networkx node id of an entity IRI (as :func:`kg.store.convert.node_id`)."""
    return iri.removeprefix(_ENT) if iri.startswith(_ENT) else iri


def _names(client: Client) -> dict[str, dict[str, object]]:
    """label, type, synonyms and identifiers of every entity IRI, by node id."""
    ent = f'FILTER(STRSTARTS(STR(?e), "{_ENT}"))'
    found: dict[str, dict[str, set[str]]] = {}
    for prop, key, extra in (
        (f"<{_RDFS}label>", "label", ""),
        ("a", "type", f'FILTER(STRSTARTS(STR(?v), "{_NS}"))'),
        (f"<{_SKOS}altLabel>", "synonyms", ""),
        (f"<{_NS}xref>", "xrefs", ""),
    ):
        query = f"SELECT ?e ?v {{ ?e {prop} ?v {ent} {extra} }}"
        for row in select_paged(client, query, "?e ?v", page=10_000):
            found.setdefault(node_id(row["e"]), {}).setdefault(key, set()).add(row["v"])
    names: dict[str, dict[str, object]] = {}
    for nid, attrs in found.items():
        labels = sorted(attrs.get("label", ()))
        types = sorted(t.removeprefix(_NS) for t in attrs.get("type", ()))
        names[nid] = {
            "label": labels[0] if labels else nid,
            "type": types[0] if types else "Entity",
            "synonyms": tuple(sorted(attrs.get("synonyms", ()))),
            "xrefs": tuple(sorted(attrs.get("xrefs", ()))),
            "labelled": bool(labels),
        }
    return names


def _attrs(session: Session, nid: str) -> dict[str, object]:
    attrs = session.names.get(nid) or {"label": nid, "type": "Entity", "synonyms": (), "xrefs": ()}
    return {k: v for k, v in attrs.items() if k != "labelled"}


def open_remote(endpoint: Endpoint, *, deadline: float | None = None) -> RemoteKnowledge:
    """Check that the store holds kg's graph and read every entity's names.

    Raises:
        EndpointError: the store cannot be read, or it holds no kg assertions.
    """
    import networkx as nx

    client = Client(endpoint, deadline=deadline)
    counts = store_counts(client)
    if counts[0] == 0:
        raise EndpointError(
            f"{endpoint.where}: no kg assertions found: this is not kg's graph "
            "(load it with kg push, or name its graph with --graph)"
        )
    session = Session(client, counts, _names(client))
    rows = select_paged(
        client,
        f"SELECT DISTINCT ?e {{ ?a a <{_NS}Assertion> . "
        f"{{ ?a <{_RDF}subject> ?e }} UNION {{ ?a <{_RDF}object> ?e }} FILTER(isIRI(?e)) }}",
        "?e",
        page=10_000,
    )
    mechanisms = nx.MultiDiGraph()
    for row in rows:
        nid = node_id(row["e"])
        mechanisms.add_node(nid, **_attrs(session, nid))
    entities = nx.MultiDiGraph()
    for nid, attrs in session.names.items():
        if attrs["labelled"] and "://" not in nid:
            entities.add_node(nid, **_attrs(session, nid))
    return RemoteKnowledge((), mechanisms, entities, {}, {}, session)


@dataclass(frozen=True)
class _Edge:
    subject: str
    object: str
    relation: Relation
    evidence: frozenset[str]
    contradicts: frozenset[str]


EDGE_QUERY = (
    "SELECT ?a ?s ?p ?o ?e ?c { {values} {predicates} ?a a <" + _NS + "Assertion> ; "
    "<" + _RDF + "subject> ?s ; <" + _RDF + "predicate> ?p ; <" + _RDF + "object> ?o . "
    "FILTER(isIRI(?s) && isIRI(?o)) "
    "OPTIONAL { ?a <" + _NS + "evidence> ?e } OPTIONAL { ?a <" + _NS + "contradicts> ?c } }"
)


def _edges(
    client: Client, nodes: Iterable[str], direction: str, *, signed: bool
) -> dict[str, _Edge]:
    """The assertions leaving (``out``) or entering (``in``) ``nodes``, by assertion id."""
    iris = sorted(n if "://" in n else f"{_ENT}{n}" for n in nodes)
    if not iris:
        return {}
    predicates = f"VALUES ?p {{ {' '.join(f'<{p}>' for p in _SIGNED)} }}" if signed else ""
    template = EDGE_QUERY.replace("{predicates}", predicates)
    rows = select_batched(client, template, "s" if direction == "out" else "o", iris)
    return collect_edges(client, rows)


def collect_edges(client: Client, rows: Iterable[dict[str, str]]) -> dict[str, _Edge]:
    parts: dict[str, tuple[str, str, str, set[str], set[str]]] = {}
    for row in rows:
        key = row["a"].removeprefix(str(ASSERTION))
        entry = parts.setdefault(key, (row["s"], row["p"], row["o"], set(), set()))
        if "e" in row:
            entry[3].add(row["e"].removeprefix(str(EVIDENCE)))
        if "c" in row:
            entry[4].add(row["c"].removeprefix(str(ASSERTION)))
    edges = {}
    for key, (s, p, o, evidence, contradicts) in parts.items():
        relation = _RELATIONS.get(p)
        if relation is None:
            raise EndpointError(
                f"{client.endpoint.where}: assertion {ASSERTION}{key} uses {p}, which is not a "
                "kg relation"
            )
        edges[key] = _Edge(
            node_id(s), node_id(o), relation, frozenset(evidence), frozenset(contradicts)
        )
    return edges


def add_edges(kg: RemoteKnowledge, edges: dict[str, _Edge]) -> None:
    """Add edges (as :func:`kg.store.convert.to_networkx` shapes them), their evidence and the
    references it cites; then check the store did not change meanwhile."""
    assert kg.session is not None
    graph = kg.mechanisms
    for key, edge in sorted(edges.items()):
        for nid in (edge.subject, edge.object):
            if nid not in graph:
                graph.add_node(nid, **_attrs(kg.session, nid))
        if graph.has_edge(edge.subject, edge.object, key):
            continue
        graph.add_edge(
            edge.subject,
            edge.object,
            key=key,
            relation=edge.relation.value,
            sign=edge.relation.sign,
            causal=edge.relation.causal,
            evidence=tuple(sorted(edge.evidence)),
            contradicts=tuple(sorted(edge.contradicts)),
        )
    wanted = sorted({e for edge in edges.values() for e in edge.evidence} - set(kg.evidence))
    _evidence(kg, wanted)
    kg.session.check_unchanged()


_EVIDENCE = (
    "CONSTRUCT { ?e ?p ?v . ?r ?q ?w } { {values} { ?e ?p ?v } UNION "
    "{ ?e <" + _NS + "reference>|<" + _NS + "citedReference> ?r . ?r ?q ?w } }"
)


def _evidence(kg: RemoteKnowledge, ids: Sequence[str]) -> None:
    """Read the evidence records ``ids`` and the references they cite into ``kg``."""
    from kg.store.provenance import read_evidence, read_references
    from kg.store.remote_query import batches, values

    assert kg.session is not None
    client = kg.session.client
    for batch in batches(ids, 100):
        fmt, body = client.construct(
            _EVIDENCE.replace("{values}", values("e", [f"{EVIDENCE}{i}" for i in batch]))
        )
        graph = Graph()
        try:
            graph.parse(data=body, format=fmt)
        except (SyntaxError, ValueError) as exc:
            raise EndpointError(
                f"{client.endpoint.where}: the answer is not valid RDF ({str(exc)[:80]})"
            ) from None
        kg.evidence.update(read_evidence(graph, batch))
        kg.references.update(read_references(graph))
    missing = [i for i in ids if i not in kg.evidence]
    if missing:
        raise EndpointError(
            f"{client.endpoint.where}: evidence {missing[0]} is linked but has no quote: the "
            "data changed while kg was reading it, or the graph is incomplete"
        )


def _levels(
    kg: RemoteKnowledge,
    start: str,
    depth: int,
    direction: str,
    blocked: set[str],
    *,
    signed: bool = True,
) -> tuple[dict[str, _Edge], dict[str, int]]:
    """Expand from ``start`` ``depth`` levels; blocked nodes are reached, not expanded."""
    assert kg.session is not None
    distance = {start: 0}
    frontier = [start]
    edges: dict[str, _Edge] = {}
    for level in range(1, depth + 1):
        expand = [n for n in frontier if n == start or n not in blocked]
        found: dict[str, _Edge] = {}
        for way in ("out", "in") if direction == "both" else (direction,):
            found.update(_edges(kg.session.client, expand, way, signed=signed))
        edges.update(found)
        frontier = []
        for edge in found.values():
            for other in (edge.subject, edge.object):
                if other not in distance:
                    distance[other] = level
                    frontier.append(other)
        if not frontier:
            break
    return edges, distance


def _bfs(edges: Iterable[_Edge], start: str, *, forward: bool, blocked: set[str]) -> dict[str, int]:
    nxt: dict[str, set[str]] = {}
    for e in edges:
        a, b = (e.subject, e.object) if forward else (e.object, e.subject)
        nxt.setdefault(a, set()).add(b)
    distance = {start: 0}
    frontier = [start]
    while frontier:
        layer = []
        for node in frontier:
            if node != start and node in blocked:
                continue
            for other in nxt.get(node, ()):
                if other not in distance:
                    distance[other] = distance[node] + 1
                    layer.append(other)
        frontier = layer
    return distance


def fetch_between(
    kg: Knowledge, source: str, target: str, *, max_hops: int, blocked: Iterable[str] = ()
) -> None:
    """Add every signed edge on a path of at most ``max_hops`` from ``source`` to ``target``
    (nothing to do on an embedded :class:`Knowledge`).

    The source's neighbourhood is read forward ⌈max_hops/2⌉ levels and the target's backward
    the rest, so every such path lies in their union; edges that cannot be on one are dropped
    before their evidence is read. ``blocked`` nodes (diseases, --avoid) are not expanded.
    """
    if not isinstance(kg, RemoteKnowledge):
        return
    stop = set(blocked) - {source, target}
    ahead = math.ceil(max_hops / 2)
    forward, _ = _levels(kg, source, ahead, "out", stop)
    backward, _ = _levels(kg, target, max_hops - ahead, "in", stop)
    edges = {**forward, **backward}
    dist_from = _bfs(edges.values(), source, forward=True, blocked=stop)
    dist_to = _bfs(edges.values(), target, forward=False, blocked=stop)
    far = max_hops + 1
    kept = {
        key: e
        for key, e in edges.items()
        if dist_from.get(e.subject, far) + 1 + dist_to.get(e.object, far) <= max_hops
    }
    add_edges(kg, kept)


def fetch_reach(
    kg: Knowledge, node: str, *, max_hops: int, forward: bool, blocked: Iterable[str] = ()
) -> None:
    """Add the signed edges within ``max_hops`` downstream (``forward``) or upstream of
    ``node``; ``blocked`` nodes are reached but not expanded."""
    if isinstance(kg, RemoteKnowledge):
        stop = set(blocked) - {node}
        edges, _ = _levels(kg, node, max_hops, "out" if forward else "in", stop)
        add_edges(kg, edges)


def fetch_around(kg: Knowledge, centres: Iterable[str], *, hops: int) -> None:
    """Add every edge among the nodes within ``hops`` of ``centres`` in either direction
    (what :func:`kg.views.page.graph_page` and ``trace_page`` draw)."""
    if not isinstance(kg, RemoteKnowledge):
        return
    assert kg.session is not None
    edges: dict[str, _Edge] = {}
    nodes: set[str] = set()
    for centre in sorted(set(centres)):
        found, distance = _levels(kg, centre, hops, "both", set(), signed=False)
        edges.update(found)
        nodes |= set(distance)
    rim = sorted(nodes)
    client = kg.session.client
    for way in ("out", "in"):
        for key, edge in _edges(client, rim, way, signed=False).items():
            if edge.subject in nodes and edge.object in nodes:
                edges[key] = edge
    add_edges(kg, edges)
