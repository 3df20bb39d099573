"""What the two commands that read across the whole graph fetch from a remote store:
``kg conflicts`` (only the assertions that can conflict, found by three queries) and
``kg export`` (every triple, paged, checked against the store's count)."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef

from kg.model.records import Relation
from kg.model.vocab import KG
from kg.store.knowledge import Knowledge
from kg.store.remote import Client, Endpoint
from kg.store.remote_evidence import parse_answer
from kg.store.remote_query import select_all, select_batched
from kg.store.remote_views import (
    EDGE_QUERY,
    RemoteKnowledge,
    add_edges,
    collect_edges,
    store_counts,
)
from kg.store.sparql.check import EndpointError

__all__ = ["fetch_conflicts", "fetch_graph"]

_NS = str(KG._NS)
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RELATIONS = {f"{_NS}{r.value}": r for r in Relation}


def fetch_conflicts(kg: Knowledge) -> Graph:
    """Add the assertions :func:`kg.reasoning.conflicts.conflicts` can report (opposite signs
    on one subject and object, ``kg:contradicts`` links, evidence citing another reference
    than the one that reports it); the RDF of their contradiction notes is returned."""
    if not isinstance(kg, RemoteKnowledge):
        raise TypeError("fetch_conflicts reads a remote store")
    assert kg.session is not None
    client = kg.session.client
    signs = {p: r.sign for p, r in _RELATIONS.items() if r.sign != 0}
    pairs = " ".join(f"(<{p}> <{q}>)" for p in signs for q in signs if signs[p] * signs[q] < 0)
    a = f"?a <{_RDF}subject> ?s ; <{_RDF}predicate> ?p ; <{_RDF}object> ?o ."
    b = f"?b <{_RDF}subject> ?s ; <{_RDF}predicate> ?q ; <{_RDF}object> ?o ."
    queries = (
        f"SELECT DISTINCT ?x {{ VALUES (?p ?q) {{ {pairs} }} {a} {b} FILTER(?a != ?b) "
        "BIND(?a AS ?x) }",
        f"SELECT DISTINCT ?x {{ {{ ?x <{_NS}contradicts> ?y }} UNION "
        f"{{ ?y <{_NS}contradicts> ?x }} }}",
        f"SELECT DISTINCT ?x {{ ?x <{_NS}evidence> ?e . ?e <{_NS}citedReference> ?r }}",
    )
    keys = sorted({row["x"] for q in queries for row in select_all(client, q, "?x")})
    rows = select_batched(client, EDGE_QUERY.replace("{predicates}", ""), "a", keys)
    notes = Graph()
    for row in select_batched(
        client, "SELECT ?a ?n { {values} ?a <" + _NS + "contradictionNote> ?n }", "a", keys
    ):
        notes.add((URIRef(row["a"]), KG.contradictionNote, Literal(row["n"])))
    add_edges(kg, collect_edges(client, rows), full=True)  # last: its check covers the notes
    return notes


def fetch_graph(endpoint: Endpoint, *, page: int = 10_000) -> Graph:
    """The store's whole graph (for ``kg export``, the one command that wants all of it),
    ``page`` triples per CONSTRUCT, checked against the store's triple count at the end.

    Raises:
        EndpointError: the store holds no kg assertions; it sent fewer triples than it holds
            (a result cap below ``page``, such as a small Virtuoso ``ResultSetMaxRows``) or
            its data changed meanwhile; blank nodes would be split over requests.
    """
    client = Client(endpoint)
    if store_counts(client)[0] == 0:
        raise EndpointError(f"{endpoint.where}: no kg assertions found: this is not kg's graph")
    rows = client.select("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")
    expected = int(rows[0]["n"]) if rows and "n" in rows[0] else -1
    graph = Graph()
    received = 0
    for offset in range(0, max(expected, 1), page):
        fmt, body = client.construct(
            "CONSTRUCT { ?s ?p ?o } WHERE { { SELECT ?s ?p ?o { ?s ?p ?o } ORDER BY ?s ?p ?o } } "
            f"LIMIT {page} OFFSET {offset}"
        )
        if expected > page and b"_:" in body:
            raise EndpointError(
                f"{endpoint.where}: the graph has blank nodes and more than {page} triples; "
                "export it from the server itself"
            )
        chunk = parse_answer(client, fmt, body)
        received += len(chunk)
        graph += chunk
    if received != expected:
        raise EndpointError(
            f"{endpoint.where}: the server sent {received} of its {expected} triples "
            "(a result cap? Virtuoso: raise ResultSetMaxRows), or the data changed meanwhile"
        )
    client.settle()
    return graph
