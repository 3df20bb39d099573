"""The signed view of a mechanism graph: hops, paths and their net effect.

Only causal, signed edges (``sign`` ±1) are followed; each hop keeps the assertion and the
evidence ids behind it, so every step of a path can be shown with who showed it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from kg.model.errors import KGError

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["Effect", "Hop", "MechanismPath", "SignedView", "check_nodes"]


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


class SignedView:
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


def check_nodes(graph: nx.MultiDiGraph, nodes: Iterable[str]) -> None:
    for node in nodes:
        if node not in graph:
            raise KGError(f"{node!r} has no mechanism edges in the graph")
