"""Interactive HTML of the mechanism graph: one self-contained file that works offline.

The page is our own template (``kg/resources/viz/``) around vis-network 9.1.2, whose
standalone JavaScript and CSS are read from the pinned pyvis wheel and inlined. We do not use
pyvis's ``Network``/template: its ``cdn_resources`` modes still load scripts or Bootstrap from
CDNs, write ``lib/`` into the working directory, turn tooltips into raw HTML as soon as one of
them contains ``href`` and insert the heading and menu ids unescaped; its ``add_edge`` is also
quadratic. Instead the graph travels as one JSON document in
``<script type="application/json">`` (``<``, ``>``, ``&``, U+2028 and U+2029 escaped), and the
page script builds the DOM with ``textContent`` only. A Content-Security-Policy forbids every
network request.

Graphs above :data:`PHYSICS_LIMIT` nodes get a precomputed layout and physics off, so that a
5,000-node graph opens in seconds; smaller graphs start from the same layout and let
vis-network relax it once, then freeze it.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import KGError

if TYPE_CHECKING:
    import networkx as nx

    from kg.knowledge import Knowledge
    from kg.paths import Trace

__all__ = [
    "PHYSICS_LIMIT",
    "Page",
    "escape_json",
    "graph_html",
    "graph_page",
    "layout",
    "neighbourhood",
    "trace_html",
    "trace_page",
]

PHYSICS_LIMIT = 300
"""Above this many nodes the page uses the precomputed layout as is (physics off)."""

# vis-network 9.1.2 inside pyvis 0.3.2 (pinned); the hashes catch a changed wheel.
_VIS_DIR = "lib/vis-9.1.2"
_VIS_SHA256 = {
    "vis-network.min.js": "1f20f0736f32cb9bedf8f6383b25cfea2f839e1abe80d6e8040b4d5bea378c69",
    "vis-network.css": "2e82d445ad5878ea881652470ce632601f8f55f1b99e6ebecdff8614600e6d0e",
}

# Entity type -> (legend label, vis shape, fill colour). Colour-blind-safe hues, none of them
# the green or red used for edge signs.
_TYPE_STYLES: dict[str, tuple[str, str, str]] = {
    "MicroRNA": ("microRNA", "ellipse", "#F4B860"),
    "AntagomiR": ("antagomiR", "ellipse", "#FBE3B8"),
    "GeneOrProtein": ("gene / protein", "box", "#9CCBEF"),
    "Cytokine": ("cytokine", "box", "#E8A6CB"),
    "GrowthFactor": ("growth factor", "box", "#C9B8EC"),
    "ProteinFamilyOrComplex": ("protein family / complex", "box", "#8FA8D8"),
    "Pathway": ("pathway", "hexagon", "#3B83BD"),
    "BiologicalProcess": ("biological process", "box", "#F3EA8C"),
    "Disease": ("disease", "diamond", "#D9822B"),
    "CellType": ("cell type", "dot", "#A8A8A8"),
    "Tissue": ("tissue", "square", "#C4A484"),
    "ExtracellularVesicle": ("extracellular vesicle", "dot", "#5FB3B3"),
    "Chemical": ("chemical / stressor", "triangle", "#8C8C8C"),
    "Therapy": ("therapy", "star", "#8E6CB8"),
    "CellTherapy": ("cell therapy", "star", "#8E6CB8"),
    "GeneTherapy": ("gene therapy", "star", "#B07CC6"),
    "GrowthFactorTherapy": ("growth factor therapy", "star", "#A58BD0"),
    "Organism": ("organism", "triangleDown", "#BCBD22"),
}
_OTHER_STYLE = ("other", "dot", "#CCCCCC")

_RELATION_WORDS = {
    "increases": "increases",
    "decreases": "decreases",
    "directlyIncreases": "directly increases",
    "directlyDecreases": "directly decreases",
    "repressesTarget": "targets and represses",
    "delivers": "delivers",
    "regulates": "regulates (direction not stated)",
    "carries": "carries",
    "partOf": "is part of",
    "hasPart": "has part",
    "derivedFrom": "is derived from",
    "associatedWith": "is associated with",
}

_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_JSON_UNSAFE = re.compile("[<>&\u2028\u2029]")
_SLOT = re.compile(r"/\*@KG:([A-Z_]+)@\*/")


@dataclass(frozen=True)
class Page:
    """A rendered page and how many nodes and edges it draws."""

    html: str
    nodes: int
    edges: int


def escape_json(value: Any) -> str:
    """JSON that is safe inside ``<script type="application/json">``.

    ``<``, ``>``, ``&``, U+2028 and U+2029 only occur inside JSON strings, where their
    ``\\uXXXX`` escapes mean the same, so ``JSON.parse`` gives back the same data while no
    ``</script>`` or ``<!--`` can close or confuse the script element.

    Example:
        >>> escape_json({"label": "</script><b>"})
        '{"label": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False)
    return _JSON_UNSAFE.sub(lambda m: _JSON_ESCAPES[m.group()], text)


def neighbourhood(graph: nx.MultiDiGraph, centres: Iterable[str], *, hops: int) -> set[str]:
    """The nodes within ``hops`` edges of any centre, following edges in either direction.

    Raises:
        KGError: a centre is not in the graph.

    Example:
        >>> import networkx as nx
        >>> g = nx.MultiDiGraph([("a", "b"), ("c", "b"), ("c", "d")])
        >>> sorted(neighbourhood(g, ["a"], hops=2))
        ['a', 'b', 'c']
    """
    seen = set()
    for centre in centres:
        if centre not in graph:
            raise KGError(f"{centre!r} has no mechanism edges in the graph")
        seen.add(centre)
    frontier = sorted(seen)
    for _ in range(hops):
        nxt = []
        for node in frontier:
            for other in (*graph.successors(node), *graph.predecessors(node)):
                if other not in seen:
                    seen.add(other)
                    nxt.append(other)
        frontier = nxt
    return seen


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


def _filtered(
    graph: nx.MultiDiGraph,
    nodes: Iterable[str],
    keep_evidence: Callable[[str], bool] | None,
    *,
    keep_nodes: Iterable[str] = (),
) -> nx.MultiDiGraph:
    """The subgraph induced by ``nodes``; with a filter, edges keep only passing evidence,
    edges left without evidence go, and so do nodes left without edges (but ``keep_nodes``)."""
    sub = graph.subgraph(nodes)
    if keep_evidence is None:
        return sub.copy()
    import networkx as nx

    result = nx.MultiDiGraph()
    for u, v, key, data in sub.edges(keys=True, data=True):
        evidence = tuple(e for e in data.get("evidence", ()) if keep_evidence(e))
        if evidence:
            result.add_edge(u, v, key=key, **{**data, "evidence": evidence})
    for node in (*result.nodes, *keep_nodes):
        result.add_node(node, **graph.nodes[node])
    return result


def _evidence_record(knowledge: Knowledge, eid: str) -> dict[str, Any]:
    from kg import render

    # render's helpers give the same fields and flag texts as `kg trace --format json`.
    record = render.evidence_json(knowledge, eid)
    ev = knowledge.evidence[eid]
    return {
        "quote": record["quote"],
        "section": record["section"],
        "citation": render.citation_text(knowledge, ev),
        "printed": record["citation_printed"],
        "study_type": record["study_type"],
        "species": record["species"],
        "cell_type": record["cell_type"],
        "exosome_origin": record["exosome_origin"],
        "stressor": record["stressor"],
        "context": ev.context,
        "level": record["level"],
        "flags": record["flags"],
        "source": " ".join(x for x in (ev.source, ev.source_record) if x) or None,
        "experiments": list(ev.experiments),
        "support_type": ev.support_type,
    }


def _payload(
    knowledge: Knowledge,
    sub: nx.MultiDiGraph,
    *,
    title: str,
    subtitle: str,
    marks: Mapping[str, str] | None = None,
    path_edges: Iterable[tuple[str, str, str]] = (),
    paths: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    positions = layout(sub)
    marks = marks or {}
    types: set[str] = set()
    nodes = []
    for node in sorted(sub.nodes, key=str):
        attrs = sub.nodes[node]
        kind = str(attrs.get("type", "Entity"))
        types.add(kind)
        x, y = positions[node]
        nodes.append(
            {
                "id": str(node),
                "label": str(attrs.get("label", node)),
                "type": kind,
                "synonyms": [str(s) for s in attrs.get("synonyms", ())],
                "xrefs": [str(x) for x in attrs.get("xrefs", ())],
                "x": x,
                "y": y,
                "mark": marks.get(node),
            }
        )
    on_path = set(path_edges)
    edges = []
    evidence: dict[str, dict[str, Any]] = {}
    for number, (u, v, key, data) in enumerate(
        sorted(sub.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2])))
    ):
        eids = [str(e) for e in data.get("evidence", ())]
        for eid in eids:
            if eid not in evidence and eid in knowledge.evidence:
                evidence[eid] = _evidence_record(knowledge, eid)
        relation = str(data.get("relation", "associatedWith"))
        edges.append(
            {
                "id": f"e{number}",
                "from": str(u),
                "to": str(v),
                "assertion": str(key),
                "relation": relation,
                "words": _RELATION_WORDS.get(relation, relation),
                "sign": int(data.get("sign", 0)),
                "causal": bool(data.get("causal", False)),
                "evidence": eids,
                "contradicts": [str(c) for c in data.get("contradicts", ())],
                "path": (u, v, key) in on_path,
            }
        )
    order = [k for k in _TYPE_STYLES if k in types] + sorted(types - set(_TYPE_STYLES))
    styles = {
        kind: dict(
            zip(("label", "shape", "color"), _TYPE_STYLES.get(kind, _OTHER_STYLE), strict=True)
        )
        for kind in order
    }
    return {
        "title": title,
        "subtitle": subtitle,
        "physics": len(nodes) <= PHYSICS_LIMIT,
        "types": styles,
        "nodes": nodes,
        "edges": edges,
        "evidence": evidence,
        "paths": paths or [],
    }


def _asset(package: str, name: str) -> str:
    return (resources.files(package) / name).read_text(encoding="utf-8")


def _vis_asset(name: str) -> str:
    raw = (resources.files("pyvis") / _VIS_DIR / name).read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != _VIS_SHA256[name]:
        raise KGError(
            f"pyvis's {_VIS_DIR}/{name} is not the vis-network kg was tested with "
            f"(sha256 {digest}); install pyvis==0.3.2"
        )
    return raw.decode("utf-8")


def _html(payload: dict[str, Any]) -> str:
    parts = {
        "VIS_CSS": _vis_asset("vis-network.css"),
        "VIS_JS": _vis_asset("vis-network.min.js"),
        "APP_CSS": _asset("kg", "resources/viz/viz.css"),
        "APP_JS": _asset("kg", "resources/viz/viz.js"),
        "DATA": escape_json(payload),
    }
    for name in ("VIS_JS", "APP_JS"):
        if "</script" in parts[name].lower() or "<!--" in parts[name]:
            raise KGError(f"{name} contains '</script' or '<!--' and cannot be inlined")
    for name in ("VIS_CSS", "APP_CSS"):
        if "</style" in parts[name].lower():
            raise KGError(f"{name} contains '</style' and cannot be inlined")
    template = _asset("kg", "resources/viz/page.html")
    # One pass: text put into a slot is never scanned for further slots.
    return _SLOT.sub(lambda m: parts[m.group(1)], template)


def graph_page(
    knowledge: Knowledge,
    *,
    focus: str | None = None,
    hops: int = 1,
    keep_evidence: Callable[[str], bool] | None = None,
) -> Page:
    """The whole mechanism graph, or the neighbourhood of ``focus`` within ``hops``, as HTML.

    ``focus`` is a node id (resolve names first with :func:`kg.resolve.resolve`). With
    ``keep_evidence``, edges keep only the evidence it accepts and edges without any go.

    Raises:
        KGError: ``focus`` is not a node of the mechanism graph.

    Example:
        >>> from kg.knowledge import load_knowledge
        >>> page = graph_page(load_knowledge(), focus="miR-21", hops=1)
        >>> page.html.startswith("<!DOCTYPE html>"), page.nodes > 1
        (True, True)
    """
    graph = knowledge.mechanisms
    if focus is None:
        sub = _filtered(graph, graph.nodes, keep_evidence)
        title = "Mechanism graph"
        subtitle = "Bhujel et al. 2022 (Int. J. Mol. Sci. 23, 7306): every edge with its evidence"
        marks: dict[str, str] = {}
    else:
        nodes = neighbourhood(graph, [focus], hops=hops)
        sub = _filtered(graph, nodes, keep_evidence, keep_nodes=[focus])
        title = f"Neighbourhood of {knowledge.label(focus)}"
        subtitle = f"entities within {hops} hop(s) of {knowledge.label(focus)}"
        marks = {focus: "focus"}
    payload = _payload(knowledge, sub, title=title, subtitle=subtitle, marks=marks)
    return Page(_html(payload), len(payload["nodes"]), len(payload["edges"]))


def trace_page(
    knowledge: Knowledge,
    result: Trace,
    *,
    hops: int = 1,
    keep_evidence: Callable[[str], bool] | None = None,
) -> Page:
    """The paths of a :func:`kg.paths.trace` result, highlighted in their neighbourhood.

    The page shows every node within ``hops`` of a path node; path edges are drawn bold and
    the rest faded, and the side panel lists the paths with their net effect.

    Example:
        >>> from kg.knowledge import load_knowledge
        >>> from kg.paths import trace
        >>> kg = load_knowledge()
        >>> page = trace_page(kg, trace(kg.mechanisms, "miR-21", "apoptosis"), hops=0)
        >>> page.nodes >= 3
        True
    """
    from kg.render import trace_text

    graph = knowledge.mechanisms
    path_nodes = {n for p in result.paths for n in p.nodes} | {result.source, result.target}
    nodes = neighbourhood(graph, path_nodes, hops=hops)
    sub = _filtered(graph, nodes, keep_evidence, keep_nodes=path_nodes)
    path_edges = {(h.subject, h.object, h.assertion) for p in result.paths for h in p.hops}
    marks = dict.fromkeys(path_nodes, "path")
    marks[result.source] = "source"
    marks[result.target] = "target"
    src, tgt = knowledge.label(result.source), knowledge.label(result.target)
    summary = trace_text(knowledge, result).splitlines()[0]
    paths = [
        {
            "nodes": list(p.nodes),
            "hops": [[h.subject, h.object, h.assertion] for h in p.hops],
            "effect": p.net_effect,
            "text": knowledge.label(p.nodes[0])
            + "".join(f" {'→' if h.sign > 0 else '⊣'} {knowledge.label(h.object)}" for h in p.hops),
        }
        for p in result.paths
    ]
    payload = _payload(
        knowledge,
        sub,
        title=f"{src} → {tgt}",
        subtitle=summary,
        marks=marks,
        path_edges=path_edges,
        paths=paths,
    )
    return Page(_html(payload), len(payload["nodes"]), len(payload["edges"]))


def _write(page: Page, path: Path) -> Page:
    """Write the page atomically (see :func:`kg.io.write_atomic`)."""
    from kg import io

    io.write_atomic(page.html, path)
    return page


def graph_html(
    knowledge: Knowledge,
    path: Path,
    *,
    focus: str | None = None,
    hops: int = 1,
    keep_evidence: Callable[[str], bool] | None = None,
) -> Page:
    """Write :func:`graph_page` to ``path`` (nothing else is written anywhere)."""
    return _write(graph_page(knowledge, focus=focus, hops=hops, keep_evidence=keep_evidence), path)


def trace_html(
    knowledge: Knowledge,
    result: Trace,
    path: Path,
    *,
    hops: int = 1,
    keep_evidence: Callable[[str], bool] | None = None,
) -> Page:
    """Write :func:`trace_page` to ``path`` (nothing else is written anywhere)."""
    return _write(trace_page(knowledge, result, hops=hops, keep_evidence=keep_evidence), path)
