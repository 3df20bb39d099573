"""The bounded neighbourhoods kg's commands read from a remote store, level by level.

``kg trace`` needs every signed edge on a path of at most ``--max-hops`` between source and
target; ``kg upstream``/``downstream`` the signed edges within ``--max-hops`` of one entity;
the HTML pages every edge among the entities within ``--hops`` of some centres. Each level is
one batched ``VALUES`` query per direction (see :func:`kg.store.remote_views.edges_of`).
"""

from __future__ import annotations

from collections.abc import Iterable

from kg.store.knowledge import Knowledge
from kg.store.remote_cards import fetch_cards
from kg.store.remote_views import Edge, RemoteKnowledge, add_edges, edges_of

__all__ = ["fetch_around", "fetch_between", "fetch_reach"]


def _levels(
    kg: RemoteKnowledge,
    start: str,
    depth: int,
    direction: str,
    blocked: set[str],
    *,
    signed: bool = True,
) -> tuple[dict[str, Edge], dict[str, int]]:
    """Expand from ``start`` ``depth`` levels; blocked nodes are reached, not expanded."""
    assert kg.session is not None
    distance = {start: 0}
    frontier = [start]
    edges: dict[str, Edge] = {}
    for level in range(1, depth + 1):
        expand = [n for n in frontier if n == start or n not in blocked]
        found: dict[str, Edge] = {}
        for way in ("out", "in") if direction == "both" else (direction,):
            found.update(edges_of(kg.session.client, expand, way, signed=signed))
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


def _bfs(edges: Iterable[Edge], start: str, *, forward: bool, blocked: set[str]) -> dict[str, int]:
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
    kg: Knowledge,
    source: str,
    target: str,
    *,
    max_hops: int,
    blocked: Iterable[str] = (),
    context: bool = False,
) -> None:
    """Add every signed edge on a path of at most ``max_hops`` from ``source`` to ``target``
    (nothing to do on an embedded :class:`Knowledge`).

    The source's neighbourhood is read forward and the target's backward, one level at a
    time, always on the side whose frontier is smaller, ``max_hops`` levels in all: every
    such path then lies in their union (and when one side runs out of new nodes, everything
    it reaches has been read). Edges that cannot be on such a path are dropped before their
    evidence is read. ``blocked`` nodes (diseases, --avoid) are reached, not expanded;
    ``context``: the evidence filters are on (see :func:`kg.store.remote_views.add_edges`).
    """
    if not isinstance(kg, RemoteKnowledge):
        return
    assert kg.session is not None
    stop = set(blocked) - {source, target}
    reached = {"out": {source}, "in": {target}}
    frontier = {"out": [source], "in": [target]}
    edges: dict[str, Edge] = {}
    for _level in range(max_hops):
        if not frontier["out"] or not frontier["in"]:
            break
        way = "out" if len(frontier["out"]) <= len(frontier["in"]) else "in"
        found = edges_of(kg.session.client, frontier[way], way, signed=True)
        edges.update(found)
        new = {e.object if way == "out" else e.subject for e in found.values()}
        new -= reached[way]
        reached[way] |= new
        frontier[way] = sorted(new - stop)
    dist_from = _bfs(edges.values(), source, forward=True, blocked=stop)
    dist_to = _bfs(edges.values(), target, forward=False, blocked=stop)
    far = max_hops + 1
    kept = {
        key: e
        for key, e in edges.items()
        if dist_from.get(e.subject, far) + 1 + dist_to.get(e.object, far) <= max_hops
    }
    add_edges(kg, kept, context=context)


def fetch_reach(
    kg: Knowledge,
    node: str,
    *,
    max_hops: int,
    forward: bool,
    blocked: Iterable[str] = (),
    context: bool = False,
) -> None:
    """Add the signed edges within ``max_hops`` downstream (``forward``) or upstream of
    ``node``; ``blocked`` nodes are reached but not expanded."""
    if isinstance(kg, RemoteKnowledge):
        stop = set(blocked) - {node}
        edges, _ = _levels(kg, node, max_hops, "out" if forward else "in", stop)
        add_edges(kg, edges, context=context)


def fetch_around(kg: Knowledge, centres: Iterable[str], *, hops: int) -> None:
    """Add every edge among the nodes within ``hops`` of ``centres`` in either direction
    (what :func:`kg.views.page.graph_page` and ``trace_page`` draw), and what the entity
    cards of those nodes count over the whole graph (:mod:`kg.store.remote_cards`)."""
    if not isinstance(kg, RemoteKnowledge):
        return
    assert kg.session is not None
    kg.session.client.deadline = None  # drawn after the search: per-request timeouts only
    edges: dict[str, Edge] = {}
    nodes: set[str] = set()
    for centre in sorted(set(centres)):
        found, distance = _levels(kg, centre, hops, "both", set(), signed=False)
        edges.update(found)
        nodes |= set(distance)
    rim = sorted(nodes)
    client = kg.session.client
    for way in ("out", "in"):
        for key, edge in edges_of(client, rim, way, signed=False).items():
            if edge.subject in nodes and edge.object in nodes:
                edges[key] = edge
    fetch_cards(kg, nodes)
    add_edges(kg, edges, full=True)  # last: its check covers the cards too
