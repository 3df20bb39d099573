"""Node positions for the HTML pages: a layered mechanism layout computed in Python.

The review's mechanisms run source -> cargo -> target -> pathway -> process -> outcome, so the
layout puts each entity in a band by its role (:data:`ROLES`), left to right, and lets igraph's
Sugiyama layout (compiled; barycentre crossing reduction) order the entities inside each
column. A band with more entities than fit in one column is split into several columns, in
the order of the edges inside the band (a gene that regulates another stands left of it), so
the drawing keeps a screen-like aspect ratio. The same graph always gives the same positions:
the input is sorted and nothing is random.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "COLUMN_GAP",
    "ROLES",
    "ROW_GAP",
    "layered_layout",
    "role_of",
    "rows_layout",
]

ROLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "source",
        (
            "ExtracellularVesicle", "Therapy", "CellTherapy", "GeneTherapy",
            "GrowthFactorTherapy", "CellType", "Tissue", "Organism",
        ),
    ),
    ("miRNA", ("MicroRNA", "AntagomiR")),
    (
        "gene or protein",
        ("GeneOrProtein", "Cytokine", "GrowthFactor", "ProteinFamilyOrComplex", "Chemical"),
    ),
    ("pathway", ("Pathway",)),
    ("process", ("BiologicalProcess",)),
    ("disease", ("Disease",)),
)  # fmt: skip
"""The bands, left to right: (band name, entity types in it). Other types join the genes."""

_ROLE_OF = {kind: i for i, (_, kinds) in enumerate(ROLES) for kind in kinds}
_DEFAULT_ROLE = 2
COLUMN_GAP = 230.0
"""Pixels between two columns (room for a label of about 20 characters)."""
ROW_GAP = 46.0
"""Pixels between two entities of one column."""
_SWEEP_LIMIT = 1000
_LONG_SPAN = 4


def role_of(kind: str) -> int:
    """The band (index into :data:`ROLES`) of an entity type.

    Example:
        >>> role_of("MicroRNA"), role_of("Disease"), role_of("SomethingNew")
        (1, 5, 2)
    """
    return _ROLE_OF.get(kind, _DEFAULT_ROLE)


def _depths(members: list[str], edges: Iterable[tuple[str, str]]) -> dict[str, int]:
    """Longest-path depth of each member over the edges among members (cycles broken by the
    sorted order: an edge back to an earlier-visited node is ignored)."""
    inside = set(members)
    succ: dict[str, list[str]] = {m: [] for m in members}
    indegree = dict.fromkeys(members, 0)
    for u, v in sorted(set(edges)):
        if u in inside and v in inside and u != v:
            succ[u].append(v)
            indegree[v] += 1
    depth = dict.fromkeys(members, 0)
    ready = [m for m in members if indegree[m] == 0]
    done: set[str] = set()
    remaining = list(members)
    while len(done) < len(members):
        if not ready:  # a cycle: start from the first node not yet placed
            ready = [next(m for m in remaining if m not in done)]
        node = ready.pop()
        if node in done:
            continue
        done.add(node)
        for other in succ[node]:
            if other in done:
                continue
            depth[other] = max(depth[other], depth[node] + 1)
            indegree[other] -= 1
            if indegree[other] <= 0:
                ready.append(other)
    return depth


def _columns(
    nodes: list[str], kinds: Mapping[str, str], edges: list[tuple[str, str]], *, aspect: float
) -> tuple[dict[str, int], list[int]]:
    """The column of every node, and for each band its first column."""
    bands: list[list[str]] = [[] for _ in ROLES]
    for node in nodes:
        bands[role_of(kinds[node])].append(node)
    # Columns of `height` rows; `height` such that width / height of the drawing ~ aspect.
    n = max(1, len(nodes))
    height = max(8, math.ceil(math.sqrt(n * COLUMN_GAP / (ROW_GAP * aspect))))
    column: dict[str, int] = {}
    starts = []
    offset = 0
    for members in bands:
        starts.append(offset)
        if not members:
            continue
        count = math.ceil(len(members) / height)
        depth = _depths(members, edges)
        ordered = sorted(members, key=lambda m: (depth[m], m))
        for i, member in enumerate(ordered):
            column[member] = offset + i * count // len(ordered)
        offset += count
    return column, starts


def layered_layout(
    graph: nx.MultiDiGraph, *, aspect: float = 1.0, maxiter: int | None = None
) -> dict[str, tuple[float, float]]:
    """Positions (pixels) of the nodes of ``graph``: bands by role left to right, the order
    inside each column from igraph's Sugiyama layout (crossings reduced).

    ``aspect`` is the width / height the drawing aims for. Deterministic: the same graph gives
    the same positions.

    Example:
        >>> import networkx as nx
        >>> g = nx.MultiDiGraph([("miR-21", "PTEN"), ("PTEN", "apoptosis")])
        >>> nx.set_node_attributes(g, {"miR-21": "MicroRNA", "PTEN": "GeneOrProtein",
        ...                            "apoptosis": "BiologicalProcess"}, "type")
        >>> pos = layered_layout(g)
        >>> pos["miR-21"][0] < pos["PTEN"][0] < pos["apoptosis"][0]
        True
    """
    import igraph

    nodes = sorted((str(n) for n in graph.nodes), key=str)
    if not nodes:
        return {}
    kinds = {str(n): str(t or "") for n, t in graph.nodes(data="type")}
    pairs = sorted({(str(u), str(v)) for u, v in graph.edges() if u != v})
    column, _ = _columns(nodes, kinds, pairs, aspect=aspect)
    index = {node: i for i, node in enumerate(nodes)}
    layers = [column[node] for node in nodes]
    # Sugiyama wants edges between layers: an edge inside one column is left out, one pointing
    # left is reversed (it still pulls its ends together), and one spanning several columns
    # becomes a chain through a dummy vertex per column crossed. (igraph 1.0's own dummy
    # insertion crashed at random on such graphs; with explicit chains it never did.)
    # On a large graph, edges spanning many columns are left out: their dummy chains would
    # cost most of the time and pull little on the order.
    span = len(nodes) if len(nodes) <= _SWEEP_LIMIT else _LONG_SPAN
    links: list[tuple[int, int]] = []
    for a, b in sorted(
        {
            (index[u], index[v]) if column[u] < column[v] else (index[v], index[u])
            for u, v in pairs
            if 0 < abs(column[u] - column[v]) <= span
        }
    ):
        previous = a
        for layer in range(layers[a] + 1, layers[b]):
            layers.append(layer)
            links.append((previous, len(layers) - 1))
            previous = len(layers) - 1
        links.append((previous, b))
    ig = igraph.Graph(n=len(layers), edges=links, directed=True)
    if maxiter is None:  # crossing reduction sweeps: many for a page a reader studies
        maxiter = 50 if len(nodes) <= _SWEEP_LIMIT else 5
    drawn = ig.layout_sugiyama(layers=layers, hgap=1, vgap=1, maxiter=maxiter)
    coords = drawn.coords[: len(nodes)]
    # Sugiyama's x is the order inside a layer (with gaps); pack each column to its rank.
    by_column: dict[int, list[tuple[float, str]]] = {}
    for node, (x, _) in zip(nodes, coords, strict=True):
        by_column.setdefault(column[node], []).append((x, node))
    # The hubs (the top 5% by degree) get two rows more, one above and one below: room for
    # their labels, the ones a reader looks for first.
    degree = dict.fromkeys(nodes, 0)
    for u, v in pairs:
        degree[u] += 1
        degree[v] += 1
    ranked = sorted(degree.values(), reverse=True)
    hub = ranked[len(ranked) // 20] if len(ranked) >= 20 else ranked[0] + 1
    heights = {
        col: sum(1 + 2 * (degree[n] > hub) for _, n in members)
        for col, members in by_column.items()
    }
    tallest = max(heights.values())
    positions: dict[str, tuple[float, float]] = {}
    for col, members in by_column.items():
        members.sort()
        y = (tallest - heights[col]) / 2
        for _, node in members:
            half = 1.0 if degree[node] > hub else 0.0
            positions[node] = (round(col * COLUMN_GAP, 1), round((y + half) * ROW_GAP, 1))
            y += 1 + 2 * half
    return positions


def rows_layout(
    rows: Iterable[Iterable[str]], *, gap: float = ROW_GAP * 2.6
) -> dict[tuple[int, int], tuple[float, float]]:
    """Positions for a trace page, keyed by (row, index in row): one row per path, its nodes
    left to right by hop, every last node (the target) in one column at the right.

    Example:
        >>> pos = rows_layout([["a", "b", "z"], ["a", "c", "d", "z"]])
        >>> pos[(0, 2)][0] == pos[(1, 3)][0], pos[(0, 1)][1] < pos[(1, 1)][1]
        (True, True)
    """
    lists = [list(r) for r in rows]
    if not lists:
        return {}
    right = (max(len(r) for r in lists) - 1) * COLUMN_GAP
    positions: dict[tuple[int, int], tuple[float, float]] = {}
    for r, row in enumerate(lists):
        for i in range(len(row)):
            x = right if i == len(row) - 1 else i * COLUMN_GAP
            positions[(r, i)] = (round(x, 1), round(r * gap, 1))
    return positions
