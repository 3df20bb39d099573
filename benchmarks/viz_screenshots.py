"""Regenerate docs/screenshots/*.png: the whole review graph and the miR-21 → apoptosis trace.

Writes the pages with kg.viz, opens them from file:// in headless Chromium (Debian's
/usr/bin/chromium, driven by playwright) with every non-file request blocked, and saves
1600x1000 screenshots. Not a test.

    python benchmarks/viz_screenshots.py [--out docs/screenshots] [--chromium /usr/bin/chromium]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from kg.reasoning.paths import trace
from kg.store.knowledge import load_knowledge
from kg.views.page import graph_html, trace_html

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the checkout's tests/
from tests.support import launch_chromium

# The DOM point of a spot on the edge (30-70% along it) where a click hits that edge only.
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


def _open(page: Page, path: Path) -> None:
    page.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort(),
    )
    page.goto(path.as_uri())
    # wait_for_function would eval() a string, which the page's CSP forbids: poll instead.
    for _ in range(600):
        if page.evaluate("() => Boolean(window.kgViz && window.kgViz.ready)"):
            return
        page.wait_for_timeout(100)
    raise TimeoutError(f"{path} was not drawn within 60 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    kg = load_knowledge()
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        whole, traced = Path(tmp) / "graph.html", Path(tmp) / "trace.html"
        graph_html(kg, whole)
        # As `kg trace miR-21 apoptosis` runs it: no relaying through disease nodes.
        diseases = {n for n, t in kg.mechanisms.nodes(data="type") if t == "Disease"}
        result = trace(kg.mechanisms, "miR-21", "apoptosis", no_pass_through=diseases)
        trace_html(kg, result, traced, hops=1)
        browser = launch_chromium(pw, Path(args.chromium))
        page = browser.new_page(viewport={"width": 1600, "height": 1000}, device_scale_factor=2)
        _open(page, whole)
        page.screenshot(path=str(args.out / "review-graph.png"))
        print(f"wrote {args.out / 'review-graph.png'}")
        _open(page, traced)
        # Click the miR-21 ⊣ PTEN hop (the review's best-known miR-21 mechanism) and show
        # its evidence.
        edge = page.evaluate(
            "() => window.kgViz.data.edges.find(e => e.from === 'miR-21' && e.to === 'PTEN').id"
        )
        point = page.evaluate(EDGE_POINT, edge)
        page.mouse.click(point["x"], point["y"])
        page.wait_for_timeout(300)
        page.screenshot(path=str(args.out / "trace-mir21-apoptosis.png"))
        print(f"wrote {args.out / 'trace-mir21-apoptosis.png'}")
        browser.close()


if __name__ == "__main__":
    main()
