"""Time kg.viz on a synthetic 5,000-node graph: building the HTML, and opening it in headless
Chromium until the network is drawn (issue 6 benchmark).

Not a test: it reports figures and asserts nothing but that the page drew every node and
edge without a network request or a page error.

    python benchmarks/viz_large.py [--nodes 5000] [--edges-per-node 2] [--runs 3]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

from kg.model.records import Evidence, StudyType
from kg.store.knowledge import Knowledge
from kg.views.page import graph_page

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the checkout's tests/
from tests.support import launch_chromium

TYPES = ["GeneOrProtein", "MicroRNA", "BiologicalProcess", "Cytokine", "Pathway", "Disease"]


def synthetic(nodes: int, edges_per_node: int, seed: int = 0) -> Knowledge:
    """A random graph: a random tree (so it is connected) plus extra random edges."""
    rng = random.Random(seed)  # noqa: S311 (test data, not cryptography)
    graph = nx.MultiDiGraph()
    for i in range(nodes):
        graph.add_node(f"n{i}", label=f"entity {i}", type=TYPES[i % len(TYPES)], synonyms=())
    evidence: dict[str, Evidence] = {}
    pairs = [(rng.randrange(i), i) for i in range(1, nodes)]
    pairs += [
        (rng.randrange(nodes), rng.randrange(nodes)) for _ in range((edges_per_node - 1) * nodes)
    ]
    for k, (u, v) in enumerate(pairs):
        eid = f"ev{k}"
        evidence[eid] = Evidence(eid, f"quote {k}", "8.2", (1,), study_types=(StudyType.IN_VITRO,))
        sign = rng.choice((1, -1))
        graph.add_edge(
            f"n{u}",
            f"n{v}",
            key=f"a{k}",
            relation="increases" if sign > 0 else "decreases",
            sign=sign,
            causal=True,
            evidence=(eid,),
            contradicts=(),
        )
    return Knowledge(paths=(), mechanisms=graph, entities=graph, evidence=evidence, references={})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--edges-per-node", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    knowledge = synthetic(args.nodes, args.edges_per_node)
    n, m = knowledge.mechanisms.number_of_nodes(), knowledge.mechanisms.number_of_edges()
    builds = []
    for _ in range(args.runs):
        start = time.perf_counter()
        page = graph_page(knowledge)
        builds.append(time.perf_counter() - start)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        path = Path(tmp) / "large.html"
        path.write_text(page.html, encoding="utf-8")
        browser = launch_chromium(pw)
        draws = []
        for _ in range(args.runs):
            tab = browser.new_page(viewport={"width": 1600, "height": 1000})
            blocked: list[str] = []
            errors: list[str] = []
            tab.on("pageerror", lambda exc: errors.append(str(exc)))  # noqa: B023 - used before the next loop
            tab.route(
                "**/*",
                lambda route, blocked=blocked: (
                    route.continue_()
                    if route.request.url.startswith("file:")
                    else (blocked.append(route.request.url), route.abort())
                ),
            )
            start = time.perf_counter()
            tab.goto(path.as_uri())
            while not tab.evaluate("() => Boolean(window.kgViz && window.kgViz.drawn)"):
                time.sleep(0.02)
            draws.append(time.perf_counter() - start)
            drawn = tab.evaluate(
                "() => [window.kgViz.network.body.nodeIndices.length,"
                " window.kgViz.network.body.edgeIndices.length]"
            )
            assert drawn == [n, m], (drawn, n, m)
            assert not blocked, blocked
            assert not errors, errors
            tab.close()
        browser.close()
    size = len(page.html.encode("utf-8")) / 1e6
    print(f"synthetic graph: {n} nodes, {m} edges; HTML {size:.1f} MB; {args.runs} runs")
    print(f"build HTML (layout + JSON): median {statistics.median(builds):.2f} s")
    print(f"open in Chromium until drawn: median {statistics.median(draws):.2f} s")


if __name__ == "__main__":
    main()
