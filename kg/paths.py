"""Signed path search over the mechanism graph: trace, upstream/downstream, net effect.

Only causal, signed edges (``sign`` ±1) are followed; each returned path keeps, per hop, the
assertion and the evidence ids behind it, so every step can be shown with who showed it. The
search is bounded by hops, by the number of paths enumerated and by wall-clock time, and says
when it was cut.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from kg.errors import KGError, UsageError

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "Hop",
    "MechanismPath",
    "Reach",
    "Trace",
    "downstream",
    "signed_view",
    "trace",
    "upstream",
]

Effect = Literal["increases", "decreases"]


@dataclass(frozen=True)
class Hop:
    """One step of a path: an assertion ``subject relation object`` and its evidence ids."""

    subject: str
    object: str
    assertion: str
    relation: str
    sign: int
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class MechanismPath:
    """A chain of hops from a source to a target."""

    hops: tuple[Hop, ...]
    strength: tuple[float, float] = field(default=(0.0, 0.0), compare=False)

    @property
    def nodes(self) -> tuple[str, ...]:
        """Source, intermediate nodes and target, in order."""
        return (self.hops[0].subject, *(h.object for h in self.hops))

    @property
    def sign(self) -> int:
        """The product of the hop signs."""
        return math.prod(h.sign for h in self.hops)

    @property
    def net_effect(self) -> Effect:
        """``increases`` when the product of signs is +1, else ``decreases``."""
        return "increases" if self.sign > 0 else "decreases"


@dataclass(frozen=True)
class Trace:
    """The result of :func:`trace`: ranked paths and whether the search was cut short."""

    source: str
    target: str
    paths: tuple[MechanismPath, ...]
    effects: tuple[Effect, ...]
    truncated: bool = False
    reason: str | None = None

    @property
    def found(self) -> int:
        """How many paths were found (``paths`` holds the first ``limit`` of them)."""
        return len(self.effects)

    @property
    def net_effect(self) -> Effect | Literal["mixed"] | None:
        """The common net effect of all paths found, ``mixed`` if they disagree, None if none."""
        effects = set(self.effects)
        if not effects:
            return None
        return effects.pop() if len(effects) == 1 else "mixed"

    @property
    def consistent(self) -> bool | None:
        """Whether all paths found agree on the net effect (None when there is no path)."""
        return None if not self.effects else self.net_effect != "mixed"

    def paths_with(self, effect: Effect) -> tuple[int, ...]:
        """1-based ranks, among all paths found, of those with this net effect."""
        return tuple(i for i, e in enumerate(self.effects, 1) if e == effect)


@dataclass(frozen=True)
class Reach:
    """A node reached from (downstream) or reaching (upstream) the query node."""

    node: str
    hops: int
    net_effect: Effect | Literal["mixed"]
    path: MechanismPath


def signed_view(
    graph: nx.MultiDiGraph,
    *,
    keep_evidence: Callable[[str], bool] | None = None,
) -> nx.MultiDiGraph:
    """The causal, signed edges of ``graph`` whose evidence passes ``keep_evidence``.

    Edges keep only the evidence that passes; edges left with none are dropped.
    """
    import networkx as nx

    view = nx.MultiDiGraph()
    view.add_nodes_from(graph.nodes(data=True))
    for u, v, key, data in graph.edges(keys=True, data=True):
        if not data.get("causal") or data.get("sign", 0) == 0:
            continue
        evidence = tuple(e for e in data["evidence"] if keep_evidence is None or keep_evidence(e))
        if evidence:
            view.add_edge(u, v, key=key, **{**data, "evidence": evidence})
    return view


def _hop(u: str, v: str, key: str, data: Mapping[str, object]) -> Hop:
    evidence = data["evidence"]
    assert isinstance(evidence, tuple)
    return Hop(u, v, key, str(data["relation"]), int(str(data["sign"])), evidence)


def _strength(hops: Iterable[Hop], weight: Mapping[str, float] | None) -> tuple[float, float]:
    scores = [sum((weight or {}).get(e, 1.0) for e in h.evidence) for h in hops]
    return (min(scores), sum(scores))


def _check_nodes(graph: nx.MultiDiGraph, nodes: Iterable[str]) -> None:
    for node in nodes:
        if node not in graph:
            raise KGError(f"{node!r} has no mechanism edges in the graph")


def trace(
    graph: nx.MultiDiGraph,
    source: str,
    target: str,
    *,
    max_hops: int = 5,
    limit: int = 10,
    via: Iterable[str] = (),
    avoid: Iterable[str] = (),
    keep_evidence: Callable[[str], bool] | None = None,
    evidence_weight: Mapping[str, float] | None = None,
    max_paths: int = 10_000,
    time_limit: float = 5.0,
    no_pass_through: Iterable[str] = (),
) -> Trace:
    """All simple signed paths from ``source`` to ``target``, shortest and best-evidenced first.

    Paths are enumerated by increasing length (so a cut never drops a shorter path for a
    longer one), at most ``max_paths`` of them and for at most ``time_limit`` seconds; the
    result says whether and why it was cut. ``limit`` caps how many are returned.
    Nodes in ``no_pass_through`` may be the source or target but never an intermediate
    (the CLI passes disease nodes: "miR-21 ⊣ IVDD → TNF" is a feedback loop, not a mechanism).

    Example:
        >>> from kg import io, shipped
        >>> from kg.convert import to_networkx
        >>> g = to_networkx(io.load(shipped.data_files()))
        >>> result = trace(g, "miR-21", "apoptosis", via=["PTEN"], max_hops=3)
        >>> [p.nodes for p in result.paths]
        [('miR-21', 'PTEN', 'PI3K-AKT', 'apoptosis')]
        >>> result.net_effect
        'decreases'
    """
    if max_hops < 1 or limit < 1:
        raise UsageError("--max-hops and --limit must be at least 1")
    view = signed_view(graph, keep_evidence=keep_evidence)
    via_set, avoid_set = set(via), set(avoid)
    _check_nodes(view, [source, target, *via_set, *avoid_set])
    blocked = avoid_set | (set(no_pass_through) - {source, target})
    if source == target:
        raise UsageError("source and target are the same entity")
    if {source, target} & avoid_set:
        raise UsageError("--avoid cannot name the source or the target")
    distance = _distances_to(view, target, blocked, max_hops)
    deadline = time.monotonic() + time_limit
    found: list[MechanismPath] = []
    enumerated = 0
    reason: str | None = None
    for length in range(1, max_hops + 1):
        for hops in _paths_of_length(
            view, source, target, length=length, distance=distance, avoid=blocked
        ):
            enumerated += 1
            nodes = {source, *(h.object for h in hops)}
            if via_set <= nodes:
                found.append(MechanismPath(hops, _strength(hops, evidence_weight)))
            if enumerated >= max_paths:
                reason = f"stopped after enumerating {max_paths} paths (raise --max-paths)"
                break
            if time.monotonic() > deadline:
                reason = f"stopped after {time_limit:g} s (raise --time-limit)"
                break
        if reason:
            break
    found.sort(key=lambda p: (len(p.hops), -p.strength[0], -p.strength[1], p.nodes))
    effects = tuple(p.net_effect for p in found)
    return Trace(source, target, tuple(found[:limit]), effects, reason is not None, reason)


def _distances_to(
    view: nx.MultiDiGraph, target: str, avoid: set[str], max_hops: int
) -> dict[str, int]:
    """Hops from each node to ``target`` (reverse BFS), ignoring avoided nodes."""
    distance = {target: 0}
    frontier = [target]
    for d in range(1, max_hops + 1):
        nxt = []
        for node in frontier:
            for pred in view.predecessors(node):
                if pred not in distance and pred not in avoid:
                    distance[pred] = d
                    nxt.append(pred)
        frontier = nxt
    return distance


def _paths_of_length(
    view: nx.MultiDiGraph,
    source: str,
    target: str,
    *,
    length: int,
    distance: Mapping[str, int],
    avoid: set[str],
) -> Iterable[tuple[Hop, ...]]:
    """Simple paths of exactly ``length`` hops; only nodes that can still reach the target
    in the remaining hops are expanded, so no work goes into dead ends."""
    if distance.get(source, length + 1) > length:
        return
    stack: list[tuple[str, tuple[Hop, ...], frozenset[str]]] = [(source, (), frozenset({source}))]
    while stack:
        node, hops, seen = stack.pop()
        remaining = length - len(hops)
        if remaining == 0:
            if node == target:
                yield hops
            continue
        successors = []
        for _, nxt, key, data in view.out_edges(node, keys=True, data=True):
            if nxt in seen or nxt in avoid:
                continue
            if nxt == target and remaining != 1:
                continue
            if distance.get(nxt, remaining + 1) > remaining - 1:
                continue
            successors.append((nxt, _hop(node, nxt, key, data)))
        for nxt, hop in sorted(successors, key=lambda s: (s[0], s[1].assertion), reverse=True):
            stack.append((nxt, (*hops, hop), seen | {nxt}))


def _reach(
    view: nx.MultiDiGraph,
    start: str,
    max_hops: int,
    *,
    forward: bool,
    weight: Mapping[str, float] | None,
    stop: set[str],
) -> list[Reach]:
    signs: dict[str, set[int]] = {start: {1}}
    best: dict[str, tuple[Hop, ...]] = {start: ()}
    frontier = [start]
    for depth in range(1, max_hops + 1):
        layer: dict[str, set[int]] = {}
        layer_best: dict[str, tuple[Hop, ...]] = {}
        for node in frontier:
            edges = (
                view.out_edges(node, keys=True, data=True)
                if forward
                else view.in_edges(node, keys=True, data=True)
            )
            for u, v, key, data in edges:
                other = v if forward else u
                if other in signs:
                    continue
                hop = _hop(u, v, key, data)
                layer.setdefault(other, set()).update(s * hop.sign for s in signs[node])
                hops = (*best[node], hop) if forward else (hop, *best[node])
                current = layer_best.get(other)
                if current is None or _strength(hops, weight) > _strength(current, weight):
                    layer_best[other] = hops
        signs.update(layer)
        best.update(layer_best)
        frontier = sorted(n for n in layer if n not in stop)
        if not frontier:
            break
        del depth
    result = []
    for node, hops in best.items():
        if not hops:
            continue
        node_signs = signs[node]
        effect: Effect | Literal["mixed"] = (
            "mixed" if len(node_signs) > 1 else ("increases" if 1 in node_signs else "decreases")
        )
        result.append(Reach(node, len(hops), effect, MechanismPath(hops, _strength(hops, weight))))
    result.sort(key=lambda r: (r.hops, r.node))
    return result


def downstream(
    graph: nx.MultiDiGraph,
    source: str,
    *,
    max_hops: int = 3,
    keep_evidence: Callable[[str], bool] | None = None,
    evidence_weight: Mapping[str, float] | None = None,
    no_pass_through: Iterable[str] = (),
) -> list[Reach]:
    """What ``source`` affects: every node within ``max_hops``, with the net sign over its
    shortest paths (``mixed`` if they disagree) and the best-evidenced shortest path. Nodes
    in ``no_pass_through`` are reported but not expanded."""
    view = signed_view(graph, keep_evidence=keep_evidence)
    _check_nodes(view, [source])
    stop = set(no_pass_through) - {source}
    return _reach(view, source, max_hops, forward=True, weight=evidence_weight, stop=stop)


def upstream(
    graph: nx.MultiDiGraph,
    target: str,
    *,
    max_hops: int = 3,
    keep_evidence: Callable[[str], bool] | None = None,
    evidence_weight: Mapping[str, float] | None = None,
    no_pass_through: Iterable[str] = (),
) -> list[Reach]:
    """What regulates ``target``: every node within ``max_hops`` upstream, with its net sign
    on the target and the best-evidenced shortest path."""
    view = signed_view(graph, keep_evidence=keep_evidence)
    _check_nodes(view, [target])
    stop = set(no_pass_through) - {target}
    return _reach(view, target, max_hops, forward=False, weight=evidence_weight, stop=stop)
