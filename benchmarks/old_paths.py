"""The enumerating trace search this round replaced (kg/paths.py before issue 13), kept
here only so that benchmarks/trace_exact.py can time it side by side with the exact search.
It lists every simple path by increasing length, up to ``max_paths`` and ``time_limit``."""

# ruff: noqa
# mypy: ignore-errors
from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

from kg.model.errors import KGError, UsageError
from kg.reasoning.signed import Hop


@dataclass(frozen=True)
class OldTrace:
    effects: set[str]
    shown: list[tuple[str, ...]]
    truncated: bool


class _Signed:
    """The causal, signed edges of a mechanism graph, read lazily.

    Only the nodes a search reaches are looked at, so a query on a large graph does not
    first copy the whole graph. Each edge becomes one :class:`Hop` (with only the evidence
    that passes ``keep``) and one strength score, shared by every path through it.
    """

    def __init__(
        self,
        graph: nx.MultiDiGraph,
        keep: Callable[[str], bool] | None,
        weight: Mapping[str, float] | None,
    ) -> None:
        self.graph = graph
        self._keep = keep
        self._weight = weight
        self._out: dict[str, list[tuple[str, Hop, float]]] = {}
        self._in: dict[str, list[tuple[str, Hop, float]]] = {}

    def _edge(self, u: str, v: str, key: str, data: Mapping[str, Any]) -> tuple[Hop, float] | None:
        sign = data.get("sign", 0)
        if not data.get("causal") or sign == 0:
            return None
        evidence = tuple(data["evidence"])
        if self._keep is not None:
            evidence = tuple(e for e in evidence if self._keep(e))
        if not evidence:
            return None
        weight = self._weight or {}
        score = sum(weight.get(e, 1.0) for e in evidence)
        return Hop(u, v, key, str(data["relation"]), int(sign), evidence), score

    def out(self, node: str) -> list[tuple[str, Hop, float]]:
        """Signed edges leaving ``node``: (successor, hop, strength), sorted."""
        if node not in self._out:
            edges = []
            for u, v, key, data in self.graph.out_edges(node, keys=True, data=True):
                if (edge := self._edge(u, v, key, data)) is not None:
                    edges.append((v, *edge))
            self._out[node] = sorted(edges, key=lambda e: (e[0], e[1].assertion))
        return self._out[node]

    def predecessors(self, node: str) -> set[str]:
        """Nodes with a signed edge into ``node`` (cheaper than :meth:`into`: no hops built)."""
        keep = self._keep
        return {
            u
            for u, _v, data in self.graph.in_edges(node, data=True)
            if data.get("causal")
            and data.get("sign", 0) != 0
            and (keep is None or any(keep(e) for e in data["evidence"]))
        }

    def into(self, node: str) -> list[tuple[str, Hop, float]]:
        """Signed edges entering ``node``: (predecessor, hop, strength), sorted."""
        if node not in self._in:
            edges = []
            for u, v, key, data in self.graph.in_edges(node, keys=True, data=True):
                if (edge := self._edge(u, v, key, data)) is not None:
                    edges.append((u, *edge))
            self._in[node] = sorted(edges, key=lambda e: (e[0], e[1].assertion))
        return self._in[node]


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
) -> OldTrace:
    """All simple signed paths from ``source`` to ``target``, shortest and best-evidenced first.

    Paths are enumerated by increasing length (so a cut never drops a shorter path for a
    longer one), at most ``max_paths`` of them and for at most ``time_limit`` seconds; the
    result says whether and why it was cut. ``limit`` caps how many are returned.
    Nodes in ``no_pass_through`` may be the source or target but never an intermediate
    (the CLI passes disease nodes: "miR-21 ⊣ IVDD → TNF" is a feedback loop, not a mechanism).

    """
    if max_hops < 1 or limit < 1:
        raise UsageError("--max-hops and --limit must be at least 1")
    via_set, avoid_set = set(via), set(avoid)
    if source == target:
        raise UsageError("source and target are the same entity")
    if {source, target} & avoid_set:
        raise UsageError("--avoid cannot name the source or the target")
    signed = _Signed(graph, keep_evidence, evidence_weight)
    blocked = avoid_set | (set(no_pass_through) - {source, target})
    distance = _distances_to(signed, target, blocked, max_hops)
    deadline = time.monotonic() + time_limit
    found: list[tuple[tuple[int, float, float, tuple[str, ...]], tuple[Hop, ...], int]] = []
    enumerated = 0
    reason: str | None = None
    for length in range(1, max_hops + 1):
        for hops, nodes, strength, sign in _paths_of_length(
            signed, source, target, length=length, distance=distance, avoid=blocked
        ):
            enumerated += 1
            if not via_set or via_set <= set(nodes):
                found.append(((length, -strength[0], -strength[1], nodes), hops, sign))
            if enumerated >= max_paths:
                reason = f"stopped after enumerating {max_paths} paths (raise --max-paths)"
                break
            if enumerated % 256 == 0 and time.monotonic() > deadline:
                reason = f"stopped after {time_limit:g} s (raise --time-limit)"
                break
        if reason is None and time.monotonic() > deadline and length < max_hops:
            reason = f"stopped after {time_limit:g} s (raise --time-limit)"
        if reason:
            break
    found.sort(key=lambda item: item[0])
    effects = {"increases" if f[2] > 0 else "decreases" for f in found}
    shown = [tuple(h.assertion for h in hops) for _, hops, _ in found[:limit]]
    return OldTrace(effects, shown, reason is not None)


def _distances_to(signed: _Signed, target: str, avoid: set[str], max_hops: int) -> dict[str, int]:
    """Hops from each node to ``target`` (reverse BFS), ignoring avoided nodes."""
    distance = {target: 0}
    frontier = [target]
    for d in range(1, max_hops + 1):
        nxt = []
        for node in frontier:
            for pred in signed.predecessors(node):
                if pred not in distance and pred not in avoid:
                    distance[pred] = d
                    nxt.append(pred)
        frontier = nxt
    return distance


Partial = tuple[tuple[Hop, ...], tuple[str, ...], tuple[float, float], int]


def _paths_of_length(
    signed: _Signed,
    source: str,
    target: str,
    *,
    length: int,
    distance: Mapping[str, int],
    avoid: set[str],
) -> Iterable[Partial]:
    """Simple paths of exactly ``length`` hops as (hops, nodes, strength, sign), in a stable order.

    A depth-first search that only steps to nodes that can still reach the target in the
    remaining hops, so no work goes into dead ends. The current path lives in lists that
    grow and shrink; tuples are built only for the paths yielded. Strength is (weakest hop,
    total) over the hops' evidence scores.
    """
    if distance.get(source, length + 1) > length:
        return
    hops: list[Hop] = []
    nodes: list[str] = [source]
    on_path = {source}
    weakest: list[float] = [float("inf")]
    total: list[float] = [0.0]
    sign: list[int] = [1]
    stack = [iter(signed.out(source))]
    while stack:
        remaining = length - len(hops)
        for nxt, hop, score in stack[-1]:
            if nxt in on_path or nxt in avoid:
                continue
            if remaining == 1:
                if nxt == target:
                    strength = (min(weakest[-1], score), total[-1] + score)
                    yield (*hops, hop), (*nodes, nxt), strength, sign[-1] * hop.sign
                continue
            if nxt == target or distance.get(nxt, remaining) > remaining - 1:
                continue
            hops.append(hop)
            nodes.append(nxt)
            on_path.add(nxt)
            weakest.append(min(weakest[-1], score))
            total.append(total[-1] + score)
            sign.append(sign[-1] * hop.sign)
            stack.append(iter(signed.out(nxt)))
            break
        else:
            stack.pop()
            if hops:
                hops.pop()
                on_path.discard(nodes.pop())
                weakest.pop()
                total.pop()
                sign.pop()
