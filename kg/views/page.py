"""Interactive HTML of the mechanism graph: one self-contained file that works offline.

This module assembles the page; :mod:`kg.views.payload` makes its data and
:mod:`kg.views.layout` its node positions. The page is our own template (``kg/resources/viz/``)
around vis-network 9.1.2, whose standalone JavaScript and CSS are read from the pinned pyvis
wheel and inlined. We do not use pyvis's ``Network``/template: its ``cdn_resources`` modes
still load scripts or Bootstrap from CDNs, write ``lib/`` into the working directory, turn
tooltips into raw HTML as soon as one of them contains ``href`` and insert the heading and menu
ids unescaped; its ``add_edge`` is also quadratic. Instead the graph travels as one JSON
document in ``<script type="application/json">`` (``<``, ``>``, ``&``, U+2028 and U+2029
escaped), and the page script builds the DOM with ``textContent`` only. A
Content-Security-Policy forbids every network request.

Graphs above :data:`PHYSICS_LIMIT` nodes get a precomputed layout and physics off, so that a
5,000-node graph opens in seconds; smaller graphs start from the same layout and let
vis-network relax it once, then freeze it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.model.errors import KGError

if TYPE_CHECKING:
    from kg.reasoning.paths import Trace
    from kg.store.knowledge import Knowledge
from kg.views.payload import filtered, neighbourhood, page_data

__all__ = [
    "Page",
    "escape_json",
    "graph_html",
    "graph_page",
    "trace_html",
    "trace_page",
]


# vis-network 9.1.2 inside pyvis 0.3.2 (pinned); the hashes catch a changed wheel.
_VIS_DIR = "lib/vis-9.1.2"
_VIS_SHA256 = {
    "vis-network.min.js": "1f20f0736f32cb9bedf8f6383b25cfea2f839e1abe80d6e8040b4d5bea378c69",
    "vis-network.css": "2e82d445ad5878ea881652470ce632601f8f55f1b99e6ebecdff8614600e6d0e",
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
        >>> from kg.store.knowledge import load_knowledge
        >>> page = graph_page(load_knowledge(), focus="miR-21", hops=1)
        >>> page.html.startswith("<!DOCTYPE html>"), page.nodes > 1
        (True, True)
    """
    graph = knowledge.mechanisms
    if focus is None:
        sub = filtered(graph, graph.nodes, keep_evidence)
        title = "Mechanism graph"
        subtitle = "Bhujel et al. 2022 (Int. J. Mol. Sci. 23, 7306): every edge with its evidence"
        marks: dict[str, str] = {}
    else:
        nodes = neighbourhood(graph, [focus], hops=hops)
        sub = filtered(graph, nodes, keep_evidence, keep_nodes=[focus])
        title = f"Neighbourhood of {knowledge.label(focus)}"
        subtitle = f"entities within {hops} hop(s) of {knowledge.label(focus)}"
        marks = {focus: "focus"}
    payload = page_data(knowledge, sub, title=title, subtitle=subtitle, marks=marks)
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
        >>> from kg.store.knowledge import load_knowledge
        >>> from kg.reasoning.paths import trace
        >>> kg = load_knowledge()
        >>> page = trace_page(kg, trace(kg.mechanisms, "miR-21", "apoptosis"), hops=0)
        >>> page.nodes >= 3
        True
    """
    from kg.views.answers import trace_text

    graph = knowledge.mechanisms
    path_nodes = {n for p in result.paths for n in p.nodes} | {result.source, result.target}
    nodes = neighbourhood(graph, path_nodes, hops=hops)
    sub = filtered(graph, nodes, keep_evidence, keep_nodes=path_nodes)
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
    payload = page_data(
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
    from kg.store import files

    files.write_atomic(page.html, path)
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
