"""The data of an HTML page: the nodes, edges and evidence of a (sub)graph as one JSON
document, with the type styles of the legend and the neighbourhood of a focus."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from kg.model.errors import KGError

if TYPE_CHECKING:
    import networkx as nx

    from kg.store.knowledge import Knowledge
from kg.views.layout import PHYSICS_LIMIT, layout

__all__ = ["filtered", "neighbourhood", "page_data"]


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


def _evidence_record(knowledge: Knowledge, eid: str) -> dict[str, Any]:
    from kg.views import evidence

    # render's helpers give the same fields and flag texts as `kg trace --format json`.
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
        "level": record["level"],
        "flags": record["flags"],
        "source": " ".join(x for x in (ev.source, ev.source_record) if x) or None,
        "experiments": list(ev.experiments),
        "support_type": ev.support_type,
    }


def page_data(
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
