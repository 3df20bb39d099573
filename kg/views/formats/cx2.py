"""CX2 (Cytoscape Exchange format 2) for NDEx and Cytoscape: the mechanism network with its
evidence as attributes, laid out, and with a visual style.

Nodes carry ``name``, ``type``, ``kg_id``, ``synonyms`` and ``xrefs``; edges ``interaction`` (the
kg relation), ``sign``, ``causal``, ``assertion``, ``evidence_count`` and, one entry per
evidence, ``quotes``, ``sections``, ``references``, plus the distinct ``species``,
``cell_types``, ``study_types`` and ``levels``. The style: the edge sign is the target arrow
(``triangle`` green for +1, ``tee`` red for −1, none and grey dashes for 0) and the entity
type the node shape (:data:`NODE_SHAPES`) and fill colour.
"""

from __future__ import annotations

import json
from typing import Any

from kg.store.knowledge import Knowledge
from kg.views.formats.common import REVIEW_DOI, edges, evidence_annotations
from kg.views.layout import layered_layout

__all__ = ["ARROWS", "NODE_SHAPES", "cx2_json", "cx2_network"]

NODE_SHAPES = {
    "MicroRNA": ("ellipse", "#F4B860"),
    "AntagomiR": ("ellipse", "#FBE3B8"),
    "GeneOrProtein": ("round-rectangle", "#9CCBEF"),
    "Cytokine": ("round-rectangle", "#E8A6CB"),
    "GrowthFactor": ("round-rectangle", "#C9B8EC"),
    "ProteinFamilyOrComplex": ("rectangle", "#8FA8D8"),
    "Pathway": ("hexagon", "#3B83BD"),
    "BiologicalProcess": ("round-rectangle", "#F3EA8C"),
    "Disease": ("diamond", "#D9822B"),
    "CellType": ("ellipse", "#A8A8A8"),
    "Tissue": ("rectangle", "#C4A484"),
    "ExtracellularVesicle": ("octagon", "#5FB3B3"),
    "Chemical": ("triangle", "#8C8C8C"),
    "Therapy": ("parallelogram", "#8E6CB8"),
    "CellTherapy": ("parallelogram", "#8E6CB8"),
    "GeneTherapy": ("parallelogram", "#B07CC6"),
    "GrowthFactorTherapy": ("parallelogram", "#A58BD0"),
    "Organism": ("vee", "#BCBD22"),
}
"""kg entity type → (CX2 node shape, fill colour)."""

ARROWS = {
    1: ("triangle", "#2E7D32", "solid"),
    -1: ("tee", "#C62828", "solid"),
    0: ("none", "#9E9E9E", "dashed"),
}
"""Edge sign → (target arrow shape, line colour, line style)."""

_NODE_TYPES = {
    "name": "string", "type": "string", "kg_id": "string",
    "synonyms": "list_of_string", "xrefs": "list_of_string",
}  # fmt: skip
_EDGE_TYPES = {
    "interaction": "string", "sign": "integer", "causal": "boolean", "assertion": "string",
    "evidence_count": "integer", "quotes": "list_of_string", "sections": "list_of_string",
    "references": "list_of_string", "species": "list_of_string",
    "cell_types": "list_of_string", "study_types": "list_of_string", "levels": "list_of_string",
}  # fmt: skip


def _discrete(attribute: str, kind: str, pairs: list[tuple[Any, str]]) -> dict[str, Any]:
    return {
        "type": "DISCRETE",
        "definition": {
            "attribute": attribute,
            "type": kind,
            "map": [{"v": v, "vp": p} for v, p in pairs],
        },
    }


def _style() -> dict[str, Any]:
    signs = sorted(ARROWS)
    return {
        "default": {
            "network": {"NETWORK_BACKGROUND_COLOR": "#FFFFFF"},
            "node": {
                "NODE_SHAPE": "ellipse",
                "NODE_BACKGROUND_COLOR": "#CCCCCC",
                "NODE_WIDTH": 60,
                "NODE_HEIGHT": 30,
                "NODE_LABEL_FONT_SIZE": 11,
            },
            "edge": {
                "EDGE_TARGET_ARROW_SHAPE": "none",
                "EDGE_LINE_COLOR": "#9E9E9E",
                "EDGE_TARGET_ARROW_COLOR": "#9E9E9E",
                "EDGE_LINE_STYLE": "solid",
                "EDGE_WIDTH": 2,
            },
        },
        "nodeMapping": {
            "NODE_LABEL": {"type": "PASSTHROUGH", "definition": {"attribute": "name"}},
            "NODE_SHAPE": _discrete(
                "type", "string", [(t, s) for t, (s, _) in NODE_SHAPES.items()]
            ),
            "NODE_BACKGROUND_COLOR": _discrete(
                "type", "string", [(t, c) for t, (_, c) in NODE_SHAPES.items()]
            ),
        },
        "edgeMapping": {
            "EDGE_TARGET_ARROW_SHAPE": _discrete(
                "sign", "integer", [(s, ARROWS[s][0]) for s in signs]
            ),
            "EDGE_LINE_COLOR": _discrete("sign", "integer", [(s, ARROWS[s][1]) for s in signs]),
            "EDGE_TARGET_ARROW_COLOR": _discrete(
                "sign", "integer", [(s, ARROWS[s][1]) for s in signs]
            ),
            "EDGE_LINE_STYLE": _discrete("sign", "integer", [(s, ARROWS[s][2]) for s in signs]),
        },
    }


def _distinct(values: list[list[str]]) -> list[str]:
    return list(dict.fromkeys(v for group in values for v in group))


def cx2_network(view: Knowledge) -> list[dict[str, Any]]:
    """The mechanism network as CX2 aspects (a JSON list).

    Example:
        >>> from kg.store.knowledge import load_knowledge
        >>> aspects = cx2_network(load_knowledge())
        >>> [next(iter(a)) for a in aspects][:3]
        ['CXVersion', 'metaData', 'attributeDeclarations']
    """
    nodes = sorted(view.mechanisms)
    index = {node: i for i, node in enumerate(nodes)}
    positions = layered_layout(view.mechanisms)
    node_list = []
    for node in nodes:
        attrs = view.mechanisms.nodes[node]
        x, y = positions[node]
        values = {
            "name": view.label(node),
            "type": str(attrs.get("type")),
            "kg_id": node,
            "synonyms": list(attrs.get("synonyms", ())),
            "xrefs": list(attrs.get("xrefs", ())),
        }
        node_list.append({"id": index[node], "x": round(x, 1), "y": round(y, 1), "v": values})
    edge_list = []
    for number, edge in enumerate(edges(view)):
        found = [evidence_annotations(view, ev) for ev in edge.evidence]
        values = {
            "interaction": edge.relation,
            "sign": edge.sign,
            "causal": edge.causal,
            "assertion": edge.key,
            "evidence_count": len(edge.evidence),
            "quotes": [ev.quote for ev in edge.evidence],
            "sections": [ev.section for ev in edge.evidence],
            "references": ["; ".join(f.get("references", [])) for f in found],
            "species": _distinct([f.get("species", []) for f in found]),
            "cell_types": _distinct([f.get("cell_types", []) for f in found]),
            "study_types": _distinct([f.get("study_types", []) for f in found]),
            "levels": _distinct([[f["level"]] for f in found]),
        }
        edge_list.append(
            {"id": number, "s": index[edge.source], "t": index[edge.target], "v": values}
        )
    declarations = {
        "networkAttributes": {"name": {"d": "string"}, "description": {"d": "string"}},
        "nodes": {k: {"d": t} for k, t in _NODE_TYPES.items()},
        "edges": {k: {"d": t} for k, t in _EDGE_TYPES.items()},
    }
    network = {
        "name": "kg: MSC-exosome mechanisms in intervertebral disc regeneration",
        "description": f"Curated from Bhujel et al. 2022, doi:{REVIEW_DOI} (CC BY 4.0)",
    }
    aspects: list[dict[str, Any]] = [
        {"attributeDeclarations": [declarations]},
        {"networkAttributes": [network]},
        {"nodes": node_list},
        {"edges": edge_list},
        {"visualProperties": [_style()]},
    ]
    meta = [{"name": next(iter(a)), "elementCount": len(next(iter(a.values())))} for a in aspects]
    return [
        {"CXVersion": "2.0", "hasFragments": False},
        {"metaData": meta},
        *aspects,
        {"status": [{"error": "", "success": True}]},
    ]


def cx2_json(view: Knowledge) -> str:
    """:func:`cx2_network` as JSON text (an ``.cx2`` file)."""
    return json.dumps(cx2_network(view), indent=1, ensure_ascii=False) + "\n"
