"""Node positions for the HTML pages: a force-directed layout computed in Python.

Deterministic for a given seed. Graphs above :data:`PHYSICS_LIMIT` nodes are drawn with these
positions as they are (physics off); smaller ones let vis-network relax them once.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx


__all__ = ["PHYSICS_LIMIT", "layout"]


PHYSICS_LIMIT = 300
"""Above this many nodes the page uses the precomputed layout as is (physics off)."""


def layout(
    graph: nx.MultiDiGraph, *, seed: int = 1, iterations: int | None = None
) -> dict[str, tuple[float, float]]:
    """Node positions (pixels) from a force-directed layout, computed in pure Python.

    Fruchterman-Reingold with repulsion cut off beyond two ideal edge lengths (a grid finds
    the near nodes, so one iteration is linear in the graph size); connected components are
    laid out apart and packed in rows, largest first. Deterministic for a given seed.

    Example:
        >>> import networkx as nx
        >>> pos = layout(nx.MultiDiGraph([("a", "b"), ("b", "c")]))
        >>> sorted(pos) == ["a", "b", "c"] and all(len(p) == 2 for p in pos.values())
        True
    """
    rng = random.Random(seed)  # noqa: S311 (a layout, not cryptography)
    nodes = sorted(graph.nodes, key=str)
    index = {node: i for i, node in enumerate(nodes)}
    adjacency: list[set[int]] = [set() for _ in nodes]
    for u, v in graph.edges():
        if u != v:
            adjacency[index[u]].add(index[v])
            adjacency[index[v]].add(index[u])
    components = _components(adjacency)
    if iterations is None:
        iterations = 60 if len(nodes) <= PHYSICS_LIMIT else 20
    placed = [_force_layout(c, adjacency, rng, iterations) for c in components]
    return {nodes[i]: xy for i, xy in _pack(placed).items()}


_SPACING = 160.0  # pixels per ideal edge length


def _components(adjacency: list[set[int]]) -> list[list[int]]:
    seen: set[int] = set()
    result = []
    for start in range(len(adjacency)):
        if start in seen:
            continue
        seen.add(start)
        component, stack = [start], [start]
        while stack:
            for other in adjacency[stack.pop()]:
                if other not in seen:
                    seen.add(other)
                    component.append(other)
                    stack.append(other)
        result.append(sorted(component))
    result.sort(key=lambda c: (-len(c), c[0]))
    return result


def _force_layout(
    component: list[int], adjacency: list[set[int]], rng: random.Random, iterations: int
) -> dict[int, tuple[float, float]]:
    """Fruchterman-Reingold on one component, ideal edge length 1, cut-off repulsion."""
    n = len(component)
    if n == 1:
        return {component[0]: (0.0, 0.0)}
    local = {node: i for i, node in enumerate(component)}
    edges = [(local[u], local[v]) for u in component for v in adjacency[u] if u < v]
    side = math.sqrt(n) * 1.2
    xs = [rng.uniform(0, side) for _ in range(n)]
    ys = [rng.uniform(0, side) for _ in range(n)]
    cell, cutoff2 = 1.5, 2.25
    temperature = side / 8
    cooling = (0.02 / temperature) ** (1 / iterations) if temperature > 0.02 else 1.0
    for _ in range(iterations):
        dx = [0.0] * n
        dy = [0.0] * n
        grid: dict[tuple[int, int], list[int]] = defaultdict(list)
        for i in range(n):
            grid[(int(xs[i] // cell), int(ys[i] // cell))].append(i)
        for (cx, cy), members in grid.items():
            near = [
                j
                for ox in (-1, 0, 1)
                for oy in (-1, 0, 1)
                for j in grid.get((cx + ox, cy + oy), ())
            ]
            for i in members:
                xi, yi = xs[i], ys[i]
                fx = fy = 0.0
                for j in near:
                    ddx, ddy = xi - xs[j], yi - ys[j]
                    d2 = ddx * ddx + ddy * ddy
                    if d2 < cutoff2 and j != i:
                        if d2 < 1e-6:
                            ddx, ddy, d2 = rng.uniform(-0.01, 0.01), 0.01, 1e-4
                        fx += ddx / d2
                        fy += ddy / d2
                dx[i] += fx
                dy[i] += fy
        for u, v in edges:
            ddx, ddy = xs[u] - xs[v], ys[u] - ys[v]
            d = math.sqrt(ddx * ddx + ddy * ddy)
            fx, fy = ddx * d, ddy * d
            dx[u] -= fx
            dy[u] -= fy
            dx[v] += fx
            dy[v] += fy
        for i in range(n):
            length = math.sqrt(dx[i] * dx[i] + dy[i] * dy[i])
            if length > 0:
                step = min(length, temperature) / length
                xs[i] += dx[i] * step
                ys[i] += dy[i] * step
        temperature *= cooling
    return {node: (xs[i], ys[i]) for i, node in enumerate(component)}


def _pack(placed: list[dict[int, tuple[float, float]]]) -> dict[int, tuple[float, float]]:
    """Shelf-pack component layouts in rows (largest first), one ideal length apart."""
    boxes = []
    for positions in placed:
        xs = [x for x, _ in positions.values()]
        ys = [y for _, y in positions.values()]
        boxes.append((min(xs), min(ys), max(xs) - min(xs) + 1.5, max(ys) - min(ys) + 1.5))
    width_limit = max(*(b[2] for b in boxes), math.sqrt(sum(b[2] * b[3] for b in boxes)))
    result: dict[int, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for positions, (left, top, width, height) in zip(placed, boxes, strict=True):
        if x > 0 and x + width > width_limit:
            x, y, row_height = 0.0, y + row_height, 0.0
        for node, (px, py) in positions.items():
            result[node] = (
                round((px - left + x) * _SPACING, 1),
                round((py - top + y) * _SPACING, 1),
            )
        x += width
        row_height = max(row_height, height)
    return result
