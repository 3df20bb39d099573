"""The entity hierarchy: ``subject kindOf object`` edges of the mechanism graph.

A query on a general entity (``MSC-derived exosomes``) also stands for its kinds
(``BM-MSC-derived exosomes``...), transitively; :func:`kinds` lists them and
:func:`generals` goes the other way. ``kindOf`` edges are not causal: the search never
follows them as hops, it only widens the query's ends with them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.reasoning.signed import KIND_OF

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["generals", "kinds", "widen"]


def _closure(graph: nx.MultiDiGraph, node: str, *, down: bool) -> tuple[str, ...]:
    seen = {node}
    frontier = [node]
    while frontier:
        nxt = []
        for current in frontier:
            if current not in graph:
                continue
            edges = (
                graph.in_edges(current, data="relation")
                if down
                else graph.out_edges(current, data="relation")
            )
            for u, v, relation in edges:
                other = u if down else v
                if relation == KIND_OF and other not in seen:
                    seen.add(other)
                    nxt.append(other)
        frontier = nxt
    seen.discard(node)
    return tuple(sorted(seen))


def kinds(graph: nx.MultiDiGraph, node: str) -> tuple[str, ...]:
    """Every entity that is (transitively) a kind of ``node``, sorted.

    Example:
        >>> import networkx as nx
        >>> g = nx.MultiDiGraph()
        >>> g.add_edge("BM-MSC-exo", "MSC-exo", key="a1", relation="kindOf", sign=0)
        'a1'
        >>> g.add_edge("rat-BM-MSC-exo", "BM-MSC-exo", key="a2", relation="kindOf", sign=0)
        'a2'
        >>> kinds(g, "MSC-exo")
        ('BM-MSC-exo', 'rat-BM-MSC-exo')
    """
    return _closure(graph, node, down=True)


def generals(graph: nx.MultiDiGraph, node: str) -> tuple[str, ...]:
    """Every entity ``node`` is (transitively) a kind of, sorted."""
    return _closure(graph, node, down=False)


def widen(graph: nx.MultiDiGraph, node: str, *, exact: bool) -> frozenset[str]:
    """``node`` and, unless ``exact``, its kinds: the nodes a query end stands for."""
    return frozenset((node,)) if exact else frozenset((node, *kinds(graph, node)))
