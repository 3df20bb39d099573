"""Upstream and downstream: what a node affects, or what affects it, within a few hops."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import networkx as nx

from kg.reasoning.signed import Effect, Hop, MechanismPath, SignedView, check_nodes

__all__ = ["Reach", "downstream", "upstream"]


@dataclass(frozen=True)
class Reach:
    """A node reached from (downstream) or reaching (upstream) the query node."""

    node: str
    hops: int
    net_effect: Effect | Literal["mixed"]
    path: MechanismPath


def _reach(
    signed: SignedView,
    start: str,
    max_hops: int,
    *,
    forward: bool,
    stop: set[str],
) -> list[Reach]:
    signs: dict[str, set[int]] = {start: {1}}
    best: dict[str, tuple[tuple[Hop, ...], tuple[float, float]]] = {
        start: ((), (float("inf"), 0.0))
    }
    frontier = [start]
    for _depth in range(max_hops):
        layer: dict[str, set[int]] = {}
        layer_best: dict[str, tuple[tuple[Hop, ...], tuple[float, float]]] = {}
        for node in frontier:
            hops_here, (weakest, total) = best[node]
            for other, hop, score in signed.out(node) if forward else signed.into(node):
                if other in signs:
                    continue
                layer.setdefault(other, set()).update(s * hop.sign for s in signs[node])
                hops = (*hops_here, hop) if forward else (hop, *hops_here)
                strength = (min(weakest, score), total + score)
                current = layer_best.get(other)
                if current is None or strength > current[1]:
                    layer_best[other] = (hops, strength)
        signs.update(layer)
        best.update(layer_best)
        frontier = sorted(n for n in layer if n not in stop)
        if not frontier:
            break
    result = []
    for node, (hops, strength) in best.items():
        if not hops:
            continue
        node_signs = signs[node]
        effect: Effect | Literal["mixed"] = (
            "mixed" if len(node_signs) > 1 else ("increases" if 1 in node_signs else "decreases")
        )
        result.append(Reach(node, len(hops), effect, MechanismPath(hops, strength)))
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
    check_nodes(graph, [source])
    signed = SignedView(graph, keep_evidence, evidence_weight)
    stop = set(no_pass_through) - {source}
    return _reach(signed, source, max_hops, forward=True, stop=stop)


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
    check_nodes(graph, [target])
    signed = SignedView(graph, keep_evidence, evidence_weight)
    stop = set(no_pass_through) - {target}
    return _reach(signed, target, max_hops, forward=False, stop=stop)
