"""How kg viz scales: HTML build time and time until the page is interactive in Chromium, for
the review graph and for the review plus 2,000 and 10,000 imported miRTarBase rows (issue 15),
with the time of the layout alone (igraph's compiled Sugiyama, issue 13).

The imported rows come from benchmarks/generate.py's miRTarBase writer (power-law hubs) and go
through `kg import` (kg.curation.importer.import_file) into a scratch directory. Interactive
means: the page has parsed its data, drawn its first frame and applied its state
(``window.kgViz.ready``). Every figure is also given as a ratio to the review graph in the
same run. Not a test: it asserts only that each page drew, made no request and logged no
error.

    python benchmarks/viz_scale.py [--rows 2000,10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the checkout's tests/
sys.path.insert(0, str(Path(__file__).resolve().parent))  # generate.py
import generate

from kg.curation.importer import import_file
from kg.model import shipped
from kg.store.knowledge import Knowledge, load_knowledge
from kg.views.layout import layered_layout
from kg.views.page import graph_page
from tests.support import launch_chromium


def imported(rows: int, scratch: Path) -> Knowledge:
    """The shipped graph plus ``rows`` synthetic miRTarBase rows imported with kg import."""
    sizes = generate._sizes(rows * 2 * generate.TRIPLES_PER_ROW)
    sizes["rows"] = rows
    table = scratch / f"mirtarbase-{rows}.tsv"
    generate.write_mirtarbase(table, sizes, random.Random(f"viz-{rows}"))  # noqa: S311
    out = scratch / f"mirtarbase-{rows}.ttl"
    import_file(table, fmt="mirtarbase", out=out)
    return load_knowledge([*shipped.data_files(), out])


def interactive(browser: object, path: Path, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        tab = browser.new_page(viewport={"width": 1440, "height": 900})  # type: ignore[attr-defined]
        blocked: list[str] = []
        errors: list[str] = []
        tab.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
        tab.on("console", lambda m, errors=errors: m.type == "error" and errors.append(m.text))
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
        while not tab.evaluate("() => Boolean(window.kgViz && window.kgViz.ready)"):
            time.sleep(0.01)
        times.append(time.perf_counter() - start)
        assert not blocked, blocked
        assert not errors, errors
        tab.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="2000,10000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    results = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        scratch = Path(tmp)
        graphs = [("review graph", load_knowledge())]
        graphs += [(f"+ {int(r):,} rows", imported(int(r), scratch)) for r in args.rows.split(",")]
        browser = launch_chromium(pw)
        for name, knowledge in graphs:
            builds, layouts = [], []
            for _ in range(args.runs):
                start = time.perf_counter()
                layered_layout(knowledge.mechanisms)
                layouts.append(time.perf_counter() - start)
                start = time.perf_counter()
                page = graph_page(knowledge)
                builds.append(time.perf_counter() - start)
            path = scratch / "page.html"
            path.write_text(page.html, encoding="utf-8")
            opens = interactive(browser, path, args.runs)
            size = len(page.html.encode("utf-8")) / 1e6
            build, opened = statistics.median(builds), statistics.median(opens)
            layout = statistics.median(layouts)
            results.append((name, page.nodes, page.edges, size, layout, build, opened))
        browser.close()
    base_build, base_open = results[0][5], results[0][6]
    print(f"kg viz at scale: median of {args.runs} runs, Chromium at 1440x900")
    print("| graph | entities | assertions | HTML | layout | build | ratio | interactive | ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, nodes, edges, size, layout, build, opened in results:
        print(
            f"| {name} | {nodes:,} | {edges:,} | {size:.1f} MB | {layout:.2f} s | {build:.2f} s | "
            f"{build / base_build:.1f}x | {opened:.2f} s | {opened / base_open:.1f}x |"
        )


if __name__ == "__main__":
    main()
