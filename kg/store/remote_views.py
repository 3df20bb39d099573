"""The local data kg's commands need, fetched from a remote SPARQL store: never the whole graph.

:func:`open_remote` reads the names (label, type, synonyms, identifiers) of every entity, so
that names resolve exactly as on the embedded graph, and returns a :class:`RemoteKnowledge`:
a :class:`~kg.store.knowledge.Knowledge` whose mechanism graph holds every mechanism node but,
so far, no edge. The ``fetch_*`` functions then add the edges a command needs, level by level
in batched ``VALUES`` queries, with the evidence records of those edges and the references
they cite, in the shape :func:`kg.store.convert.to_networkx` gives; the search then runs on
that graph unchanged. Each fetch compares the store's assertion and evidence counts before
and after, and says so when the data changed while it read (with ``--cache``, answers are
reused while the store's fingerprint stays the same: :mod:`kg.store.remote_cache`). The
neighbourhoods themselves
are in :mod:`kg.store.remote_neighbourhoods`; :mod:`kg.store.remote_graph` serves the two
commands that read across the whole graph (conflicts and export).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from kg.model.records import Evidence, Level, Relation
from kg.model.vocab import ASSERTION, ENTITY, EVIDENCE, KG
from kg.store.knowledge import Knowledge
from kg.store.remote import Client, Endpoint
from kg.store.remote_evidence import read_light, read_whole
from kg.store.remote_query import select_batched, select_each
from kg.store.sparql.check import EndpointError

__all__ = [
    "EDGE_QUERY",
    "Edge",
    "RemoteKnowledge",
    "Session",
    "Shown",
    "add_edges",
    "collect_edges",
    "edges_of",
    "fetch_shown",
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


class Shown(Protocol):
    """What :func:`fetch_shown` reads of a hop (:class:`kg.reasoning.signed.Hop` has it)."""

    @property
    def subject(self) -> str: ...
    @property
    def object(self) -> str: ...
    @property
    def assertion(self) -> str: ...
    @property
    def evidence(self) -> tuple[str, ...]: ...


@dataclass
class Session:
    """One command's conversation with the store: the client and the counts seen first."""

    client: Client
    counts: tuple[int, int] = (0, 0)
    names: dict[str, dict[str, object]] = field(default_factory=dict)
    light: set[str] = field(default_factory=set)  # evidence read only for the search
    light_edges: set[str] = field(default_factory=set)  # assertions without contradicts

    def check_unchanged(self) -> None:
        """Raise when the store's assertion or evidence count differs from the first one
        (with a cache: its fingerprint, and only when something was read from the server;
        the answers are saved then, see :meth:`kg.store.remote.Client.settle`)."""
        if self.client.cache is not None:
            self.client.settle()
        elif store_counts(self.client) != self.counts:
            raise self.client.changed()


@dataclass(frozen=True)
class RemoteKnowledge(Knowledge):
    """A :class:`Knowledge` read from a SPARQL store; edges are added by the ``fetch_*``,
    and evidence records into its ``evidence`` dict as they are read."""

    evidence: dict[str, Evidence]
    session: Session | None = None


def store_counts(client: Client) -> tuple[int, int]:
    """How many kg assertions and evidence nodes the store holds (asked of the server; with
    a cache, as the client's fingerprint says)."""
    assertions, evidence, *_ = client.fingerprint() if client.cache else client.counts()
    return assertions, evidence


def node_id(iri: str) -> str:
    """The networkx node id of an entity IRI (as :func:`kg.store.convert.node_id`)."""
    return iri.removeprefix(_ENT) if iri.startswith(_ENT) else iri


_ENT_ONLY = f'FILTER(STRSTARTS(STR(?e), "{_ENT}"))'
_KIND = f'OPTIONAL {{ ?e a ?t FILTER(STRSTARTS(STR(?t), "{_NS}")) }}'
#: (query, order) of the entity names, then of every assertion's subject and object
_OPENING = (
    (f"SELECT ?e ?l ?t {{ ?e <{_RDFS}label> ?l {_KIND} {_ENT_ONLY} }}", "?e ?l ?t"),
    (f"SELECT ?e ?s {{ ?e <{_SKOS}altLabel> ?s {_ENT_ONLY} }}", "?e ?s"),
    (f"SELECT ?e ?x {{ ?e <{_NS}xref> ?x {_ENT_ONLY} }}", "?e ?x"),
    # no FILTER(isIRI(?e)) on the server: it triples the time; literals are left out here
    (
        f"SELECT DISTINCT ?e {{ ?a <{_RDF}subject>|<{_RDF}object> ?e . ?a a <{_NS}Assertion> }}",
        "?e",
    ),
)


def _names(answers: Sequence[list[dict[str, str]]]) -> dict[str, dict[str, object]]:
    """label, type, synonyms and identifiers of every labelled entity, by node id, from the
    answers to the first three :data:`_OPENING` queries."""
    found: dict[str, dict[str, set[str]]] = {}
    for answer in answers:
        for row in answer:
            attrs = found.setdefault(node_id(row["e"]), {})
            for var, key in (("l", "label"), ("t", "type"), ("s", "synonyms"), ("x", "xrefs")):
                if var in row:
                    attrs.setdefault(key, set()).add(row[var])
    names: dict[str, dict[str, object]] = {}
    for nid, attrs in found.items():
        labels = sorted(attrs.get("label", ()))
        types = sorted(t.removeprefix(_NS) for t in attrs.get("type", ()))
        names[nid] = {
            "label": labels[0] if labels else nid,
            "type": types[0] if types else "Entity",
            "synonyms": tuple(sorted(attrs.get("synonyms", ()))),
            "xrefs": tuple(sorted(attrs.get("xrefs", ()))),
        }
    return names


def _attrs(session: Session, nid: str) -> dict[str, object]:
    return dict(
        session.names.get(nid) or {"label": nid, "type": "Entity", "synonyms": (), "xrefs": ()}
    )


def open_remote(endpoint: Endpoint, *, deadline: float | None = None) -> RemoteKnowledge:
    """Check that the store holds kg's graph and read every entity's names.

    Raises:
        EndpointError: the store cannot be read, or it holds no kg assertions.
    """
    import networkx as nx

    client = Client(endpoint, deadline=deadline)
    counts = store_counts(client)  # with a cache: its fingerprint, which reads the file
    if counts[0] == 0:
        raise EndpointError(
            f"{endpoint.where}: no kg assertions found: this is not kg's graph "
            "(load it with kg push, or name its graph with --graph)"
        )
    *names, rows = select_each(client, _OPENING)
    session = Session(client, counts, _names(names))
    mechanisms = nx.MultiDiGraph()
    for row in rows:
        if ":" in row["e"]:  # an IRI (a literal subject or object is not a mechanism node)
            nid = node_id(row["e"])
            mechanisms.add_node(nid, **_attrs(session, nid))
    entities = nx.MultiDiGraph()
    for nid in session.names:
        if "://" not in nid:
            entities.add_node(nid, **_attrs(session, nid))
    return RemoteKnowledge((), mechanisms, entities, {}, {}, session=session)


@dataclass(frozen=True)
class Edge:
    """One assertion as fetched: subject and object node ids, relation, evidence ids."""

    subject: str
    object: str
    relation: Relation
    evidence: frozenset[str]
    levels: frozenset[tuple[str, str]] = frozenset()  # (evidence id, kg:evidenceLevel)


# One row per assertion, its evidence and their levels in ?ev as "EVIDENCE LEVEL" pairs joined
# by spaces (IRIs hold no spaces; "-" for no level): rows repeating ?a ?s ?p ?o per evidence
# doubled the answer, and Virtuoso's time follows the answer's size.
EDGE_QUERY = (
    'SELECT ?a ?s ?p ?o (GROUP_CONCAT(?x; separator=" ") AS ?ev) { {values} ?a <'
    + _RDF + "subject> ?s ; <" + _RDF + "predicate> ?p ; <" + _RDF + "object> ?o ; a <"
    + _NS + "Assertion> . {predicates} FILTER(isIRI(?s) && isIRI(?o)) "
    "OPTIONAL { ?a <" + _NS + "evidence> ?e OPTIONAL { ?e <" + _NS + "evidenceLevel> ?l } "
    'BIND(CONCAT(STR(?e), " ", COALESCE(STR(?l), "-")) AS ?x) } } GROUP BY ?a ?s ?p ?o'
)  # fmt: skip
# FILTER(?p IN ...), not VALUES ?p: Oxigraph joins a second VALUES block 30 times slower
_SIGNED_FILTER = "FILTER(?p IN (" + ", ".join(f"<{p}>" for p in _SIGNED) + "))"


def edges_of(
    client: Client, nodes: Iterable[str], direction: str, *, signed: bool
) -> dict[str, Edge]:
    """The assertions leaving (``out``) or entering (``in``) ``nodes``, by assertion id;
    with ``signed`` only those of causal, signed relations (what the search follows)."""
    iris = sorted(n if "://" in n else f"{_ENT}{n}" for n in nodes)
    if not iris:
        return {}
    template = EDGE_QUERY.replace("{predicates}", _SIGNED_FILTER if signed else "")
    rows = select_batched(client, template, "s" if direction == "out" else "o", iris)
    return collect_edges(client, rows)


def collect_edges(client: Client, rows: Iterable[dict[str, str]]) -> dict[str, Edge]:
    """Rows of :data:`EDGE_QUERY` as edges by assertion id.

    Raises:
        EndpointError: an assertion's predicate is not a kg relation.
    """
    parts: dict[str, tuple[str, str, str, set[str], set[tuple[str, str]]]] = {}
    for row in rows:
        key = row["a"].removeprefix(str(ASSERTION))
        entry = parts.setdefault(key, (row["s"], row["p"], row["o"], set(), set()))
        items = row.get("ev", "").split()
        for iri, level in zip(items[::2], items[1::2], strict=False):
            eid = iri.removeprefix(str(EVIDENCE))
            entry[3].add(eid)
            if level != "-":
                entry[4].add((eid, level.removeprefix(_NS)))
    edges = {}
    for key, (s, p, o, evidence, levels) in parts.items():
        relation = _RELATIONS.get(p)
        if relation is None:
            raise EndpointError(
                f"{client.endpoint.where}: assertion {ASSERTION}{key} uses {p}, which is not a "
                "kg relation"
            )
        edges[key] = Edge(node_id(s), node_id(o), relation, frozenset(evidence), frozenset(levels))
    return edges


def _contradicts(client: Client, keys: Sequence[str]) -> dict[str, set[str]]:
    rows = select_batched(
        client,
        "SELECT ?a ?c { {values} ?a <" + _NS + "contradicts> ?c }",
        "a",
        [f"{ASSERTION}{k}" for k in keys],
        size=1000,
    )
    found: dict[str, set[str]] = {}
    for row in rows:
        key = row["a"].removeprefix(str(ASSERTION))
        found.setdefault(key, set()).add(row["c"].removeprefix(str(ASSERTION)))
    return found


def add_edges(
    kg: RemoteKnowledge, edges: dict[str, Edge], *, full: bool = False, context: bool = False
) -> None:
    """Add edges (as :func:`kg.store.convert.to_networkx` shapes them) with their
    ``kg:contradicts`` links and their evidence, then check the store did not change.

    With ``full`` every evidence record is read whole, with the references it cites;
    otherwise only what the search reads: the evidence level (for the ranking), with
    ``context`` also cell types, species and study types (for the filters); no
    ``kg:contradicts``. :func:`fetch_shown` then completes the hops a command shows.
    """
    assert kg.session is not None
    graph = kg.mechanisms
    new = sorted(k for k, e in edges.items() if not graph.has_edge(e.subject, e.object, k))
    contradicts = _contradicts(kg.session.client, new) if full else {}
    if not full:
        kg.session.light_edges.update(new)
    for key in new:
        edge = edges[key]
        for nid in (edge.subject, edge.object):
            if nid not in graph:
                graph.add_node(nid, **_attrs(kg.session, nid))
        graph.add_edge(
            edge.subject,
            edge.object,
            key=key,
            relation=edge.relation.value,
            sign=edge.relation.sign,
            causal=edge.relation.causal,
            evidence=tuple(sorted(edge.evidence)),
            contradicts=tuple(sorted(contradicts.get(key, ()))),
        )
    ids = {e for edge in edges.values() for e in edge.evidence}
    if full:
        _complete(kg, [(e.subject, e.object, k) for k, e in edges.items()])
        _whole(kg, sorted((ids - set(kg.evidence)) | (ids & kg.session.light)))
    elif context:
        wanted = sorted(ids - set(kg.evidence))
        kg.evidence.update(read_light(kg.session.client, wanted))
        kg.session.light.update(wanted)
    else:
        levels = {eid: level for edge in edges.values() for eid, level in edge.levels}
        for eid in sorted(ids - set(kg.evidence)):
            level = Level(levels[eid]) if eid in levels else Level.STATED
            kg.evidence[eid] = Evidence(eid, "", "", (), level)
            kg.session.light.add(eid)
    kg.session.check_unchanged()


def _complete(kg: RemoteKnowledge, edges: Sequence[tuple[str, str, str]]) -> None:
    """Read the ``kg:contradicts`` links of edges added without them."""
    assert kg.session is not None
    light = [e for e in edges if e[2] in kg.session.light_edges]
    found = _contradicts(kg.session.client, sorted({k for _, _, k in light}))
    for u, v, key in light:
        kg.mechanisms.edges[u, v, key]["contradicts"] = tuple(sorted(found.get(key, ())))
        kg.session.light_edges.discard(key)


def fetch_shown(kg: Knowledge, hops: Iterable[Shown]) -> None:
    """Read whole what a command shows of hops fetched for the search only: the evidence
    records (each hop's ``evidence``) and the edge's ``kg:contradicts`` links. The search is
    over, so ``--time-limit`` no longer applies (each request keeps its timeout). Nothing to
    do on an embedded :class:`Knowledge`."""
    if not isinstance(kg, RemoteKnowledge) or kg.session is None:
        return
    kg.session.client.deadline = None  # the search is over: only per-request timeouts now
    hops = list(hops)
    _complete(kg, [(h.subject, h.object, h.assertion) for h in hops])
    wanted = sorted({e for h in hops for e in h.evidence} & kg.session.light)
    if wanted:
        _whole(kg, wanted)
    kg.session.check_unchanged()


def _whole(kg: RemoteKnowledge, ids: Sequence[str]) -> None:
    assert kg.session is not None
    records, references = read_whole(kg.session.client, ids)
    kg.evidence.update(records)
    kg.references.update(references)
    kg.session.light.difference_update(ids)
