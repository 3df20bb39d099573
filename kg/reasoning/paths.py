"""Trace: every simple signed path from a source to a target, with the net effect.

The search is bounded by hops, by the number of paths enumerated and by wall-clock time, and
says when it was cut.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from kg.model.errors import UsageError

if TYPE_CHECKING:
    import networkx as nx

from kg.reasoning.signed import Effect, Hop, MechanismPath, SignedView, check_nodes

__all__ = ["Trace", "trace"]


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
        >>> from kg.store import rdf
        >>> from kg.model import shipped
        >>> from kg.store.convert import to_networkx
        >>> g = to_networkx(rdf.load(shipped.data_files()))
        >>> result = trace(g, "miR-21", "apoptosis", via=["PTEN"], max_hops=3)
        >>> [p.nodes for p in result.paths]
        [('miR-21', 'PTEN', 'PI3K-AKT', 'apoptosis')]
        >>> result.net_effect
        'decreases'
    """
    if max_hops < 1 or limit < 1:
        raise UsageError("--max-hops and --limit must be at least 1")
    via_set, avoid_set = set(via), set(avoid)
    check_nodes(graph, [source, target, *via_set, *avoid_set])
    if source == target:
        raise UsageError("source and target are the same entity")
    if {source, target} & avoid_set:
        raise UsageError("--avoid cannot name the source or the target")
    signed = SignedView(graph, keep_evidence, evidence_weight)
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
    effects: tuple[Effect, ...] = tuple("increases" if f[2] > 0 else "decreases" for f in found)
    shown = tuple(MechanismPath(hops, (-rank[1], -rank[2])) for rank, hops, _ in found[:limit])
    return Trace(source, target, shown, effects, reason is not None, reason)


def _distances_to(
    signed: SignedView, target: str, avoid: set[str], max_hops: int
) -> dict[str, int]:
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
    signed: SignedView,
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
