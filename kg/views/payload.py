"""The data of an HTML page: the nodes, edges and evidence of a (sub)graph as one JSON
document, with their layered positions, the type styles of the legend, the groups of the
aggregated view and, on a trace page, one row per path."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from kg.model.errors import KGError
from kg.views.card import card_json, xref_links
from kg.views.layout import ROLES, layered_layout, role_of, rows_layout

if TYPE_CHECKING:
    import networkx as nx

    from kg.reasoning.paths import Trace
    from kg.reasoning.signed import MechanismPath
    from kg.store.knowledge import Knowledge

__all__ = [
    "AGGREGATE_LIMIT",
    "EDGE_LEVELS",
    "filtered",
    "neighbourhood",
    "page_data",
    "path_rows",
    "trace_rows",
]

AGGREGATE_LIMIT = 1000
"""Above this many entities the page opens on one node per entity type (click to expand)."""

# Entity type -> (legend label, vis shape, fill colour). Shapes carry the type with the colour
# (every shape draws its label outside, so a label below the size threshold is simply not
# drawn); fills are light tints that leave the edge colours (blue, vermillion) distinct.
_TYPE_STYLES: dict[str, tuple[str, str, str]] = {
    "ExtracellularVesicle": ("extracellular vesicle", "star", "#56B4E9"),
    "Therapy": ("therapy", "star", "#9E8BD0"),
    "CellTherapy": ("cell therapy", "star", "#9E8BD0"),
    "GeneTherapy": ("gene therapy", "star", "#BDB0E3"),
    "GrowthFactorTherapy": ("growth factor therapy", "star", "#D9B3E6"),
    "CellType": ("cell type", "dot", "#BBBBBB"),
    "Tissue": ("tissue", "square", "#C4A484"),
    "Organism": ("organism", "triangleDown", "#BCBD22"),
    "MicroRNA": ("microRNA", "dot", "#C27BB5"),
    "AntagomiR": ("antagomiR", "dot", "#E2BEDB"),
    "GeneOrProtein": ("gene / protein", "square", "#9CCBEF"),
    "Cytokine": ("cytokine", "square", "#E8A6CB"),
    "GrowthFactor": ("growth factor", "square", "#C9B8EC"),
    "ProteinFamilyOrComplex": ("protein family / complex", "square", "#8FA8D8"),
    "Chemical": ("chemical / stressor", "triangle", "#A0A0A0"),
    "Pathway": ("pathway", "hexagon", "#009E73"),
    "BiologicalProcess": ("biological process", "diamond", "#F0E442"),
    "Disease": ("disease", "triangleDown", "#B07AA1"),
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
    "kindOf": "is a kind of",
}
EDGE_LEVELS = ("stated", "inferred", "as-printed")
"""How an edge is drawn: solid (some evidence stated), dashed (curator-inferred or a corrected
reading), dotted (as printed: the review's words read literally where they contradict the
adopted reading)."""


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


def filtered(
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


def _level(knowledge: Knowledge, eid: str) -> str:
    """The evidence level in the words of ``kg trace --format json`` (stated, inferred,
    as-printed, corrected)."""
    from kg.views.evidence import LEVEL_LABELS

    ev = knowledge.evidence.get(eid)
    return "inferred" if ev is None else LEVEL_LABELS[ev.level]


def _edge_level(levels: Iterable[str]) -> str:
    found = set(levels)
    if "as-printed" in found:
        return "as-printed"
    return "stated" if "stated" in found else "inferred"


def _evidence_record(knowledge: Knowledge, eid: str) -> dict[str, Any]:
    from kg.views import evidence

    # The same fields and flag texts as `kg trace --format json`.
    record = evidence.evidence_json(knowledge, eid)
    ev = knowledge.evidence[eid]
    return {
        "quote": record["quote"],
        "section": record["section"],
        "citation": evidence.citation_text(knowledge, ev),
        "printed": record["citation_printed"],
        "study_type": record["study_type"],
        "species": record["species"],
        "cell_type": record["cell_type"],
        "exosome_origin": record["exosome_origin"],
        "stressor": record["stressor"],
        "context": ev.context,
        "level": _level(knowledge, eid),
        "flags": record["flags"],
        "source": " ".join(x for x in (ev.source, ev.source_record) if x) or None,
        "experiments": list(ev.experiments),
        "support_type": ev.support_type,
    }


def _styles(types: set[str]) -> dict[str, dict[str, Any]]:
    order = [k for k in _TYPE_STYLES if k in types] + sorted(types - set(_TYPE_STYLES))
    return {
        kind: {
            **dict(
                zip(("label", "shape", "color"), _TYPE_STYLES.get(kind, _OTHER_STYLE), strict=True)
            ),
            "band": role_of(kind),
        }
        for kind in order
    }


def _groups(nodes: list[dict[str, Any]], degree: Mapping[str, int]) -> list[dict[str, Any]]:
    """One group per entity type: its members, the biggest hubs, where it is drawn (the centre
    of its members' columns; the groups of one band stacked) and how big (in proportion to the
    whole drawing, so that a group stays visible when the view fits all groups)."""
    members: dict[str, list[dict[str, Any]]] = {}
    for node in nodes:
        members.setdefault(node["type"], []).append(node)
    if not nodes:
        return []
    xs = [n["x"] for n in nodes]
    ys = [n["y"] for n in nodes]
    size = max(24.0, 0.02 * max(max(xs) - min(xs), max(ys) - min(ys)))
    bands: dict[int, list[str]] = {}
    for kind in sorted(members, key=lambda k: (role_of(k), -len(members[k]), k)):
        bands.setdefault(role_of(kind), []).append(kind)
    middle = (min(ys) + max(ys)) / 2
    groups = []
    left = -math.inf
    for band in sorted(bands):
        kinds = bands[band]
        centre = sum(n["x"] for k in kinds for n in members[k]) / sum(
            len(members[k]) for k in kinds
        )
        x = max(centre, left + 12 * size)  # bands whose centres are close are pushed apart
        left = x
        for rank, kind in enumerate(kinds):
            group = members[kind]
            hubs = sorted(group, key=lambda n: (-degree[n["id"]], n["label"]))[:5]
            groups.append(
                {
                    "id": f"group:{kind}",
                    "type": kind,
                    "count": len(group),
                    "hubs": [n["id"] for n in hubs],
                    "x": round(x, 1),
                    "y": round(middle + 6 * size * (rank - (len(kinds) - 1) / 2), 1),
                    "size": round(size * (1 + 0.25 * math.log10(len(group))), 1),
                }
            )
    return groups


def page_data(
    knowledge: Knowledge,
    sub: nx.MultiDiGraph,
    *,
    title: str,
    subtitle: str,
    marks: Mapping[str, str] | None = None,
    path_edges: Iterable[tuple[str, str, str]] = (),
) -> dict[str, Any]:
    """The JSON document a page draws (see ``kg/resources/viz/viz.js`` for its reader)."""
    positions = layered_layout(sub)
    marks = marks or {}
    degree = {str(n): int(d) for n, d in sub.degree()}
    nodes = []
    for node in sorted(sub.nodes, key=str):
        attrs = sub.nodes[node]
        x, y = positions[str(node)]
        nodes.append(
            {
                "id": str(node),
                "label": str(attrs.get("label", node)),
                "type": str(attrs.get("type", "Entity")),
                "synonyms": [str(s) for s in attrs.get("synonyms", ())],
                "xrefs": xref_links(str(x) for x in attrs.get("xrefs", ())),
                "x": x,
                "y": y,
                "degree": degree[str(node)],
                "mark": marks.get(node),
                "card": card_json(knowledge, str(node)),
            }
        )
    on_path = set(path_edges)
    edges = []
    evidence: dict[str, dict[str, Any]] = {}
    ordered = sorted(
        sub.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2]))
    )
    for number, (u, v, key, data) in enumerate(ordered):
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
                "level": _edge_level(_level(knowledge, e) for e in eids),
                "evidence": eids,
                "contradicts": [str(c) for c in data.get("contradicts", ())],
                "path": (u, v, key) in on_path,
            }
        )
    return {
        "title": title,
        "subtitle": subtitle,
        "types": _styles({str(n["type"]) for n in nodes}),
        "bands": [name for name, _ in ROLES],
        "nodes": nodes,
        "edges": edges,
        "evidence": evidence,
        "groups": _groups(nodes, degree),
        "aggregate": len(nodes) > AGGREGATE_LIMIT,
        "paths": [],
        "rows": [],
    }


def trace_rows(
    knowledge: Knowledge, result: Trace, edges: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """One row per distinct path of ``result``, left to right from source to target.

    Paths that differ only in which parallel assertion (same ends, same sign) they use for a
    hop are one row; that hop then lists the edges (and so the evidence) of all of them.
    Each row's nodes get their own positions (``x``, ``y`` per node, in row order).
    """
    return path_rows(knowledge, result.paths, edges)


def path_rows(
    knowledge: Knowledge,
    paths: Sequence[MechanismPath],
    edges: list[dict[str, Any]],
    groups: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """The rows of :func:`trace_rows` for any paths; ``row["paths"]`` lists the indices of
    the paths in ``paths`` that a row draws. Paths of different ``groups`` (one per path)
    stay in different rows."""
    edge_of = {(e["from"], e["to"], e["assertion"]): e["id"] for e in edges}
    rows: dict[tuple[str, tuple[str, ...], tuple[int, ...]], dict[str, Any]] = {}
    for number, path in enumerate(paths):
        signs = tuple(h.sign for h in path.hops)
        row = rows.setdefault(
            (groups[number] if groups is not None else "", tuple(path.nodes), signs),
            {
                "nodes": list(path.nodes),
                "hops": [{"from": h.subject, "to": h.object, "sign": h.sign, "edges": []}
                         for h in path.hops],
                "effect": path.net_effect,
                "paths": [],
                "text": knowledge.label(path.nodes[0])
                + "".join(
                    f" {'→' if h.sign > 0 else '⊣'} {knowledge.label(h.object)}" for h in path.hops
                ),
            },
        )  # fmt: skip
        row["paths"].append(number)
        for hop, merged in zip(path.hops, row["hops"], strict=True):
            eid = edge_of.get((hop.subject, hop.object, hop.assertion))
            if eid is not None and eid not in merged["edges"]:
                merged["edges"].append(eid)
    ordered = list(rows.values())
    positions = rows_layout([r["nodes"] for r in ordered])
    for r, row in enumerate(ordered):
        row["xy"] = [positions[(r, i)] for i in range(len(row["nodes"]))]
    return ordered
