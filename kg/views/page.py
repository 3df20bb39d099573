"""Interactive HTML of the mechanism graph: one self-contained file that works offline.

The page is our own template (``kg/resources/viz/``) around vis-network 9.1.2, whose
standalone JavaScript is read from the pinned pyvis wheel and inlined (its stylesheet is not:
it only styles widgets the page does not use, and carries their inlined images). We do not
use pyvis's ``Network``/template: its ``cdn_resources`` modes still load scripts or Bootstrap
from CDNs, write ``lib/`` into the working directory and turn tooltips into raw HTML. Instead
the graph travels as one JSON document in ``<script type="application/json">`` (``<``, ``>``,
``&``, U+2028 and U+2029 escaped), and the page script builds the DOM with ``textContent``
only. The Content-Security-Policy forbids every network request and allows exactly the
page's own inline scripts and styles, by their SHA-256 (no ``'unsafe-inline'``).

Positions come from :mod:`kg.views.layout` (layers by role, left to right); there is no
physics simulation in the browser. A trace page draws one row per path (so do the prediction
and explanation pages of :mod:`kg.views.forecast_page`).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.model.errors import KGError
from kg.views.payload import filtered, neighbourhood, page_data, path_rows

if TYPE_CHECKING:
    from kg.reasoning.paths import Trace
    from kg.store.knowledge import Knowledge

__all__ = [
    "Page",
    "escape_json",
    "graph_html",
    "graph_page",
    "render",
    "rows_data",
    "trace_html",
    "trace_page",
    "write_page",
]

# vis-network 9.1.2 inside pyvis 0.3.2 (pinned); the hash catches a changed wheel.
_VIS_DIR = "lib/vis-9.1.2"
_VIS_JS = "vis-network.min.js"
_VIS_SHA256 = "1f20f0736f32cb9bedf8f6383b25cfea2f839e1abe80d6e8040b4d5bea378c69"
# The page's own scripts, in the order they run (each defines one part of window.kgViz).
_APP_SCRIPTS = ("panel.js", "export.js", "labels.js", "legend.js", "viz.js")

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
        '{"label":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return _JSON_UNSAFE.sub(lambda m: _JSON_ESCAPES[m.group()], text)


def _asset(name: str) -> str:
    return (resources.files("kg") / "resources" / "viz" / name).read_text(encoding="utf-8")


def _vis_js() -> str:
    raw = (resources.files("pyvis") / _VIS_DIR / _VIS_JS).read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != _VIS_SHA256:
        raise KGError(
            f"pyvis's {_VIS_DIR}/{_VIS_JS} is not the vis-network kg was tested with "
            f"(sha256 {digest}); install pyvis==0.3.2"
        )
    # The HTML parser turns CR LF and CR into LF inside a script: do it first, so that the
    # hash in the policy is the hash of the text the browser runs.
    return raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def _csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _script(text: str) -> str:
    if "</script" in text.lower() or "<!--" in text:
        raise KGError("a page script contains '</script' or '<!--' and cannot be inlined")
    return f"<script>{text}</script>"


def render(payload: dict[str, Any]) -> str:
    """The page of a payload: the template with the data, scripts and style inlined and the
    Content-Security-Policy listing their hashes."""
    scripts = [_vis_js(), *(_asset(name) for name in _APP_SCRIPTS)]
    css = _asset("viz.css")
    if "</style" in css.lower():
        raise KGError("viz.css contains '</style' and cannot be inlined")
    policy = "; ".join(
        [
            "default-src 'none'",
            "script-src " + " ".join(_csp_hash(s) for s in scripts),
            "style-src " + _csp_hash(css),
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )
    parts = {
        "CSP": policy,
        "APP_CSS": css,
        "DATA": escape_json(payload),
        "SCRIPTS": "\n".join(_script(s) for s in scripts),
    }
    # One pass: text put into a slot is never scanned for further slots.
    return _SLOT.sub(lambda m: parts[m.group(1)], _asset("page.html"))


def graph_page(
    knowledge: Knowledge,
    *,
    focus: str | None = None,
    hops: int = 1,
    keep_evidence: Callable[[str], bool] | None = None,
) -> Page:
    """The whole mechanism graph, or the neighbourhood of ``focus`` within ``hops``, as HTML.

    ``focus`` is a node id (resolve names first with :func:`kg.reasoning.resolve.resolve`).
    With ``keep_evidence``, edges keep only the evidence it accepts and edges without any go.
    Above :data:`kg.views.payload.AGGREGATE_LIMIT` entities the page opens on one node per
    entity type.

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
    return Page(render(payload), len(payload["nodes"]), len(payload["edges"]))


def trace_page(
    knowledge: Knowledge,
    result: Trace,
    *,
    hops: int = 1,
    keep_evidence: Callable[[str], bool] | None = None,
) -> Page:
    """The paths of a :func:`kg.reasoning.paths.trace` result, one row per path.

    The page opens on the rows, left to right from source to target (paths that differ only
    in a parallel assertion are one row, their evidence merged); the entities within ``hops``
    of a path are the context, drawn in the layered layout when the reader asks for them.

    Example:
        >>> from kg.store.knowledge import load_knowledge
        >>> from kg.reasoning.paths import trace
        >>> kg = load_knowledge()
        >>> page = trace_page(kg, trace(kg.mechanisms, "miR-21", "apoptosis"), hops=0)
        >>> page.nodes >= 3
        True
    """
    from kg.views.answers import trace_text

    src, tgt = knowledge.label(result.source), knowledge.label(result.target)
    payload, _rows = rows_data(
        knowledge, list(result.paths), ({result.source}, {result.target}),
        title=f"{src} → {tgt}", subtitle=trace_text(knowledge, result).splitlines()[0],
        hops=hops, keep_evidence=keep_evidence,
    )  # fmt: skip
    return Page(render(payload), len(payload["nodes"]), len(payload["edges"]))


def rows_data(
    knowledge: Knowledge,
    paths: list[Any],
    ends: tuple[set[str], set[str]],
    *,
    title: str,
    subtitle: str,
    hops: int,
    keep_evidence: Callable[[str], bool] | None,
    groups: Sequence[str] | None = None,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The data of a page drawing ``paths`` one row each (sources and targets marked), and
    its rows (rows of different ``groups``, one per path, are never merged)."""
    graph = knowledge.mechanisms
    path_nodes = {n for p in paths for n in p.nodes} | ends[0] | ends[1]
    nodes = neighbourhood(graph, path_nodes, hops=hops)
    sub = filtered(graph, nodes, keep_evidence, keep_nodes=path_nodes)
    path_edges = {(h.subject, h.object, h.assertion) for p in paths for h in p.hops}
    marks = dict.fromkeys(path_nodes, "path")
    marks.update(dict.fromkeys(ends[0], "source"))
    marks.update(dict.fromkeys(ends[1], "target"))
    payload = page_data(
        knowledge, sub, title=title, subtitle=subtitle, marks=marks, path_edges=path_edges
    )
    payload["aggregate"] = False
    payload["rows"] = path_rows(knowledge, paths, payload["edges"], groups)
    payload["paths"] = [{"text": r["text"], "effect": r["effect"]} for r in payload["rows"]]
    return payload, payload["rows"]


def write_page(page: Page, path: Path) -> Page:
    """Write the page atomically (see :func:`kg.store.files.write_atomic`)."""
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
    return write_page(
        graph_page(knowledge, focus=focus, hops=hops, keep_evidence=keep_evidence), path
    )


def trace_html(
    knowledge: Knowledge,
    result: Trace,
    path: Path,
    *,
    hops: int = 1,
    keep_evidence: Callable[[str], bool] | None = None,
) -> Page:
    """Write :func:`trace_page` to ``path`` (nothing else is written anywhere)."""
    return write_page(trace_page(knowledge, result, hops=hops, keep_evidence=keep_evidence), path)
