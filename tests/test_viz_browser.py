"""kg.viz pages in a real headless Chromium (Debian's /usr/bin/chromium, driven by playwright).

Every request but the file:// page itself is blocked and counted; page errors fail the test;
the page's Content-Security-Policy stays on (so waits poll with page.evaluate: playwright's
wait_for_function would eval() a string, which that policy forbids).

Skipped when /usr/bin/chromium or playwright is missing, except under CI (env CI set), where
that is a failure.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from kg.model.records import Evidence
from kg.reasoning.paths import trace
from kg.store.knowledge import Knowledge, load_knowledge
from kg.views.page import graph_html, trace_html
from tests.support import CHROMIUM, launch_chromium, require

# A point along an edge (from 30% to 70% of its length) where a click hits that edge only.
EDGE_POINT = """(id) => {
  const n = window.kgViz.network, e = window.kgViz.edges.get(id);
  const p = n.getPositions([e.from, e.to]), a = p[e.from], b = p[e.to];
  for (let t = 0.5, k = 0; k < 9; k++, t = 0.5 + (k % 2 ? 1 : -1) * Math.ceil(k / 2) * 0.05) {
    const c = {x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t}, d = n.canvasToDOM(c);
    if (n.getNodeAt(d) === undefined && n.getEdgeAt(d) === id) return c;
  }
  return null;
}"""
PTEN_QUOTE = "as exosomal miR-21 inhibits phosphatase and tensin homolog (PTEN)"


INJECTIONS = (
    "<img src=x onerror=window.__pwned=1>",
    "</script><script>window.__pwned=2</script>",
    '"><svg onload=window.__pwned=3>',
    "<!--<script>window.__pwned=4</script>",
    "a & b \u2028 \u2029 > c",
)


def _labelled_chain(labels: tuple[str, ...]) -> Knowledge:
    """A chain of nodes with these labels; each edge's evidence quotes its target's label."""
    graph = nx.MultiDiGraph()
    evidence = {}
    for i, label in enumerate(labels):
        graph.add_node(f"n{i}", label=label, type="GeneOrProtein", synonyms=(label,))
        if i:
            evidence[f"ev{i}"] = Evidence(f"ev{i}", label, label, (1,))
            graph.add_edge(
                f"n{i - 1}", f"n{i}", key=f"a{i}", relation="increases", sign=1, causal=True,
                evidence=(f"ev{i}",), contradicts=(),
            )  # fmt: skip
    return Knowledge(paths=(), mechanisms=graph, entities=graph, evidence=evidence, references={})


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        require(f"{CHROMIUM} is missing: apt-get install -y chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require("playwright is not installed: pip install playwright")
    with sync_playwright() as pw:
        launched = launch_chromium(pw)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def kg() -> Knowledge:
    return load_knowledge()


@dataclass
class Opened:
    """A loaded page with what it tried to fetch and what went wrong."""

    page: Any
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def js(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)

    def click_canvas(self, point: dict[str, float]) -> None:
        """Click a canvas position of the network (as network.getPositions gives it)."""
        dom = self.js(
            "(p) => { const n = window.kgViz.network, d = n.canvasToDOM(p);"
            " const r = document.getElementById('kg-network').getBoundingClientRect();"
            " return {x: d.x + r.left, y: d.y + r.top}; }",
            point,
        )
        self.page.mouse.click(dom["x"], dom["y"])

    def edge_point(self, edge_id: str) -> dict[str, float]:
        """A canvas point on the edge where no node covers it."""
        point: dict[str, float] | None = self.js(EDGE_POINT, edge_id)
        assert point is not None, f"edge {edge_id} is covered by nodes everywhere"
        return point


def _open(browser: Any, path: Path) -> Iterator[Opened]:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    opened = Opened(page)
    page.on("pageerror", lambda exc: opened.errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: opened.errors.append(msg.text) if msg.type == "error" else None,
    )

    def route(route: Any) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            opened.blocked.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    page.goto(path.as_uri())
    for _ in range(300):
        if opened.js("() => Boolean(window.kgViz && window.kgViz.ready)"):
            break
        page.wait_for_timeout(100)
    else:
        pytest.fail(f"{path.name} was not drawn within 30 s; errors: {opened.errors}")
    yield opened
    page.close()


@pytest.fixture(scope="module")
def whole(
    browser: Any, kg: Knowledge, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Opened]:
    path = tmp_path_factory.mktemp("viz") / "graph.html"
    graph_html(kg, path)
    yield from _open(browser, path)


@pytest.fixture(scope="module")
def traced(
    browser: Any, kg: Knowledge, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Opened]:
    path = tmp_path_factory.mktemp("viz") / "trace.html"
    trace_html(kg, trace(kg.mechanisms, "miR-21", "apoptosis"), path, hops=1)
    yield from _open(browser, path)


def test_whole_graph_draws_every_node_and_edge_offline(whole: Opened, kg: Knowledge) -> None:
    counts = whole.js(
        "() => { const v = window.kgViz; return [v.nodes.length, v.edges.length,"
        " v.network.body.nodeIndices.length, v.network.body.edgeIndices.length]; }"
    )
    n, m = kg.mechanisms.number_of_nodes(), kg.mechanisms.number_of_edges()
    assert counts == [n, m, n, m]
    assert whole.blocked == []
    assert whole.errors == []


def test_click_on_a_node_shows_its_evidence(whole: Opened) -> None:
    whole.js("() => window.kgViz.network.focus('PTEN', {scale: 1.5, animation: false})")
    whole.click_canvas(whole.js("() => window.kgViz.network.getPositions(['PTEN']).PTEN"))
    panel = whole.page.locator("#kg-panel")
    assert panel.get_attribute("data-view") == "node"
    assert panel.locator("h2").first.text_content() == "PTEN"
    assert PTEN_QUOTE in (panel.text_content() or "")
    assert whole.errors == []


def test_search_finds_synonyms_and_filters_hide_edges(whole: Opened) -> None:
    whole.page.fill("#kg-search", "TNF-alpha")
    assert "TNF" in whole.js("() => window.kgViz.searchResults")
    whole.page.select_option("#kg-f-study", "clinical")
    shown = whole.js("() => window.kgViz.shown")
    hidden = whole.js("() => window.kgViz.edges.get({filter: e => e.hidden}).length")
    assert 0 < shown["edges"] < shown["edges"] + hidden
    assert whole.js("() => window.kgViz.network.body.edgeIndices.length") == shown["edges"]
    whole.page.select_option("#kg-f-study", "")
    assert whole.js("() => window.kgViz.edges.get({filter: e => e.hidden}).length") == 0
    assert whole.errors == []


def test_click_on_a_trace_edge_shows_the_quote(traced: Opened) -> None:
    edge = traced.js(
        "() => window.kgViz.data.edges.find(e => e.from === 'miR-21' && e.to === 'PTEN')"
    )
    assert edge["path"] is True
    traced.js("() => window.kgViz.network.focus('miR-21', {scale: 1.0, animation: false})")
    traced.click_canvas(traced.edge_point(edge["id"]))
    panel = traced.page.locator("#kg-panel")
    assert panel.get_attribute("data-view") == "edge"
    text = panel.text_content() or ""
    assert PTEN_QUOTE in text
    assert "[20] Cheng et al. 2018, J. Cell. Mol. Med." in text
    assert traced.blocked == []
    assert traced.errors == []


def test_injection_payloads_stay_inert(browser: Any, tmp_path: Path) -> None:
    labels = INJECTIONS
    path = tmp_path / "evil.html"
    graph_html(_labelled_chain(labels), path)
    for opened in _open(browser, path):
        assert opened.js("() => window.kgViz.nodes.length") == len(labels)
        opened.page.fill("#kg-search", "pwned=1")
        first = opened.page.locator("#kg-search-results li span").first
        assert first.text_content() == labels[0]
        opened.js("() => window.kgViz.network.focus('n1', {scale: 1.5, animation: false})")
        opened.click_canvas(opened.js("() => window.kgViz.network.getPositions(['n1']).n1"))
        panel = opened.page.locator("#kg-panel")
        assert panel.locator("h2").first.text_content() == labels[1]
        assert labels[1] in (panel.text_content() or "")
        assert opened.js("() => window.__pwned") is None
        assert opened.js("() => document.querySelectorAll('img, [onerror], [onload]').length") == 0
        assert opened.js("() => document.scripts.length") == 3
        assert opened.blocked == []
        assert opened.errors == []
