"""Regenerate docs/screenshots/*.png at 1440x900, as a new reader opens each page, and report
the sign colours' contrast under colour-blindness simulations.

Pages (written with kg.views.page, opened from file:// in headless Chromium with every
non-file request blocked): the whole review graph; the miR-21 -> apoptosis trace with the
miR-21 -| PTEN hop clicked; the review plus 10,000 imported miRTarBase rows (made with
benchmarks/generate.py's writer and `kg import`). Then the review graph once more through a
deuteranopia and a protanopia colour matrix (Machado et al. 2009, an SVG feColorMatrix on the
page, linear RGB), saved too, with the WCAG contrast of the legend's increase and decrease
lines measured on the simulated screenshot's pixels. Not a test.

    python benchmarks/viz_screenshots.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the checkout's tests/
sys.path.insert(0, str(Path(__file__).resolve().parent))  # viz_scale.py

from playwright.sync_api import sync_playwright
from viz_scale import imported

from kg.reasoning.paths import trace
from kg.store.knowledge import load_knowledge
from kg.views.page import graph_html, trace_html
from tests.png import SIMULATIONS, contrast, decode_png, simulate
from tests.support import launch_chromium

# The DOM point of a spot on the edge where a click hits that edge only.
EDGE_POINT = """(id) => {
  const n = window.kgViz.network, e = window.kgViz.edges.get(id);
  const p = n.getPositions([e.from, e.to]), a = p[e.from], b = p[e.to];
  const r = document.getElementById('kg-network').getBoundingClientRect();
  for (let t = 0.5, k = 0; k < 9; k++, t = 0.5 + (k % 2 ? 1 : -1) * Math.ceil(k / 2) * 0.05) {
    const d = n.canvasToDOM({x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t});
    if (n.getNodeAt(d) === undefined && n.getEdgeAt(d) === id) {
      return {x: d.x + r.left, y: d.y + r.top};
    }
  }
  throw new Error('edge ' + id + ' is covered by nodes');
}"""
# Puts an SVG colour-matrix filter on the whole page (DOM and CSSOM only: the page's CSP
# allows no new stylesheet).
SIMULATE = """(values) => {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg'), filter = document.createElementNS(ns, 'filter');
  const matrix = document.createElementNS(ns, 'feColorMatrix');
  svg.setAttribute('width', '0'); svg.setAttribute('height', '0');
  filter.id = 'kg-simulation';
  filter.setAttribute('color-interpolation-filters', 'linearRGB');
  matrix.setAttribute('type', 'matrix');
  matrix.setAttribute('values', values);
  filter.appendChild(matrix); svg.appendChild(filter); document.body.appendChild(svg);
  document.documentElement.style.filter = 'url(#kg-simulation)';
}"""


def _open(page: Any, path: Path) -> None:
    page.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort(),
    )
    page.goto(path.as_uri())
    for _ in range(600):  # wait_for_function would eval() a string: the page's CSP forbids it
        if page.evaluate("() => Boolean(window.kgViz && window.kgViz.ready)"):
            page.wait_for_timeout(200)
            return
        page.wait_for_timeout(100)
    raise TimeoutError(f"{path} was not drawn within 60 s")


def _legend_colours(page: Any) -> list[tuple[int, int, int]]:
    """The increase and decrease lines of the legend, as the screenshot has them."""
    colours = []
    for i in (0, 1):
        box = page.locator("#kg-edge-legend li svg line").nth(i).bounding_box()
        clip = {"x": box["x"] + 4, "y": box["y"] - 3, "width": 8, "height": 6}
        pixels = [px for row in decode_png(page.screenshot(clip=clip)).rows for px in row]
        colours.append(max(pixels, key=lambda c: 765 - sum(c)))
    return colours


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args()
    kg = load_knowledge()
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        scratch = Path(tmp)
        whole, traced, big = scratch / "graph.html", scratch / "trace.html", scratch / "big.html"
        graph_html(kg, whole)
        # As `kg trace miR-21 apoptosis` runs it: no relaying through disease nodes.
        result = trace(
            kg.mechanisms, "miR-21", "apoptosis", no_pass_through=kg.nodes_of_type("Disease")
        )
        trace_html(kg, result, traced, hops=1)
        graph_html(imported(10_000, scratch), big)
        browser = launch_chromium(pw)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        _open(page, whole)
        page.screenshot(path=str(args.out / "review-graph.png"))
        _open(page, traced)
        row = page.evaluate("() => window.kgViz.data.rows.findIndex(r => r.nodes[1] === 'PTEN')")
        point = page.evaluate(EDGE_POINT, f"r{row}:h0")
        page.mouse.click(point["x"], point["y"])
        page.wait_for_timeout(300)
        page.screenshot(path=str(args.out / "trace-mir21-apoptosis.png"))
        _open(page, big)
        page.screenshot(path=str(args.out / "import-10000-rows.png"))
        print(
            f"wrote {args.out}/review-graph.png, trace-mir21-apoptosis.png, import-10000-rows.png"
        )
        print("sign colours on the screenshot (legend lines), WCAG contrast:")
        print("| vision | increase vs decrease | increase vs white | decrease vs white |")
        print("|---|---:|---:|---:|")
        for kind, matrix in SIMULATIONS.items():
            _open(page, whole)
            if kind != "normal":
                values = " ".join(f"{r} {g} {b} 0 0" for r, g, b in matrix) + " 0 0 0 1 0"
                page.evaluate(SIMULATE, values)
                page.wait_for_timeout(200)
                page.screenshot(path=str(args.out / f"review-graph-{kind}.png"))
            inc, dec = (simulate(c, "normal") for c in _legend_colours(page))
            white = (1.0, 1.0, 1.0)
            print(
                f"| {kind} | {contrast(inc, dec):.2f}:1 | {contrast(inc, white):.2f}:1 | "
                f"{contrast(dec, white):.2f}:1 |"
            )
        browser.close()


if __name__ == "__main__":
    main()
