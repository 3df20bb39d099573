"""kg.views pages in a real headless Chromium (Debian's /usr/bin/chromium, driven by playwright):
clicks, filters, path selection, keyboard search, zoom and keys, exports, the URL state, the
aggregated view, a small window, and the colours under colour-blindness simulations.

One browser for the module. Every request but the file:// page itself is blocked and counted,
and every test ends by checking that its page made none and logged no error; the page's
Content-Security-Policy stays on (so waits poll with page.evaluate: playwright's
wait_for_function would eval() a string, which that policy forbids).

Skipped when /usr/bin/chromium or playwright is missing, except under CI (env CI set), where
that is a failure.
"""

from __future__ import annotations

import csv
import io
import random
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from kg.model.records import Evidence, Level, StudyType
from kg.reasoning.paths import trace
from kg.store.knowledge import Knowledge, evidence_filter, load_knowledge
from kg.views.page import graph_html, trace_html
from kg.views.payload import AGGREGATE_LIMIT
from tests.png import check_png, contrast, decode_png, simulate
from tests.support import CHROMIUM, launch_chromium, require
from tests.synthetic import parallel as parallel_graph

PTEN_QUOTE = "as exosomal miR-21 inhibits phosphatase and tensin homolog (PTEN)"
INJECTIONS = (
    "<img src=x onerror=window.__pwned=1>",
    "</script><script>window.__pwned=2</script>",
    '"><svg onload=window.__pwned=3>',
    "<!--<script>window.__pwned=4</script>",
    "a & b \u2028 \u2029 > c",
)
TYPES = ("MicroRNA", "GeneOrProtein", "Pathway", "BiologicalProcess", "Disease")


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

    def dom(self, vis_id: str) -> dict[str, float]:
        """The page coordinates of a vis node."""
        point: dict[str, float] = self.js(
            "(id) => { const n = window.kgViz.network, p = n.getPositions([id])[id];"
            " const d = n.canvasToDOM(p), r = document.getElementById('kg-network')"
            ".getBoundingClientRect(); return {x: d.x + r.left, y: d.y + r.top}; }",
            vis_id,
        )
        return point

    def click_node(self, vis_id: str) -> None:
        self.js("(id) => window.kgViz.network.focus(id, {scale: 1.2, animation: false})", vis_id)
        point = self.dom(vis_id)
        self.page.mouse.click(point["x"], point["y"])

    def click_edge(self, edge_id: str) -> None:
        point = self.js(EDGE_POINT, edge_id)
        assert point is not None, f"edge {edge_id} is covered by nodes everywhere"
        self.page.mouse.click(point["x"], point["y"])

    def clean(self) -> None:
        assert self.blocked == []
        assert self.errors == []


# A page point on the edge (30-70% along it) where a click hits that edge only.
EDGE_POINT = """(id) => {
  const n = window.kgViz.network, e = window.kgViz.edges.get(id);
  n.fit({nodes: [e.from, e.to], animation: false});
  const p = n.getPositions([e.from, e.to]), a = p[e.from], b = p[e.to];
  const r = document.getElementById('kg-network').getBoundingClientRect();
  for (let t = 0.5, k = 0; k < 9; k++, t = 0.5 + (k % 2 ? 1 : -1) * Math.ceil(k / 2) * 0.05) {
    const d = n.canvasToDOM({x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t});
    const free = n.getNodeAt(d) === undefined && n.getEdgeAt(d) === id;
    if (free) return {x: d.x + r.left, y: d.y + r.top};
  }
  return null;
}"""


def _open(browser: Any, url: str, *, width: int = 1440, height: int = 900) -> Opened:
    page = browser.new_page(viewport={"width": width, "height": height}, accept_downloads=True)
    opened = Opened(page)
    page.on("pageerror", lambda exc: opened.errors.append(str(exc)))
    page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)

    def route(route: Any) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            opened.blocked.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    page.goto(url)
    for _ in range(300):
        if opened.js("() => Boolean(window.kgViz && window.kgViz.ready)"):
            break
        page.wait_for_timeout(100)
    else:
        pytest.fail(f"{url} was not drawn within 30 s; errors: {opened.errors}")
    page.wait_for_timeout(50)
    return opened


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory, kg: Knowledge) -> dict[str, Path]:
    """The page files: the whole review, the miR-21 -> apoptosis trace, a large graph."""
    root = tmp_path_factory.mktemp("viz")
    graph_html(kg, root / "graph.html")
    diseases = kg.nodes_of_type("Disease")
    result = trace(kg.mechanisms, "miR-21", "apoptosis", no_pass_through=diseases)
    trace_html(kg, result, root / "trace.html", hops=1)
    graph_html(_large(AGGREGATE_LIMIT + 200), root / "large.html")
    parallel = parallel_graph(Level.CURATOR_INFERRED)
    trace_html(parallel, trace(parallel.mechanisms, "a", "c"), root / "parallel.html", hops=0)
    return {p.stem: p for p in root.iterdir()}


@pytest.fixture
def whole(browser: Any, pages: dict[str, Path]) -> Iterator[Opened]:
    opened = _open(browser, pages["graph"].as_uri())
    yield opened
    opened.page.close()


@pytest.fixture
def traced(browser: Any, pages: dict[str, Path]) -> Iterator[Opened]:
    opened = _open(browser, pages["trace"].as_uri())
    yield opened
    opened.page.close()


def _large(n: int) -> Knowledge:
    """A random connected graph of n entities of five types, one edge per entity and more."""
    rng = random.Random(3)
    graph = nx.MultiDiGraph()
    for i in range(n):
        graph.add_node(f"n{i}", label=f"entity {i}", type=TYPES[i % len(TYPES)], synonyms=())
    evidence = {}
    pairs = [(rng.randrange(i), i) for i in range(1, n)] + [
        (rng.randrange(n), rng.randrange(n)) for _ in range(n)
    ]
    for k, (u, v) in enumerate(pairs):
        evidence[f"ev{k}"] = Evidence(
            f"ev{k}", f"quote {k}", "8", (1,), study_types=(StudyType.IN_VITRO,)
        )
        graph.add_edge(f"n{u}", f"n{v}", key=f"a{k}", relation="increases", sign=1, causal=True,
                       evidence=(f"ev{k}",), contradicts=())  # fmt: skip
    return Knowledge(paths=(), mechanisms=graph, entities=graph, evidence=evidence, references={})


def _labels_ok(opened: Opened, minimum: int) -> list[dict[str, Any]]:
    labels: list[dict[str, Any]] = opened.js("() => window.kgViz.labels")
    assert len(labels) >= minimum
    assert min(label["px"] for label in labels) >= 11
    for a, b in combinations([label["box"] for label in labels], 2):
        assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
    return labels


# ---- opening view ---------------------------------------------------------------------------


def test_whole_graph_opens_readable_with_every_node_and_edge(whole: Opened, kg: Knowledge) -> None:
    counts = whole.js("() => [window.kgViz.shown.nodes, window.kgViz.shown.edges]")
    assert counts == [kg.mechanisms.number_of_nodes(), kg.mechanisms.number_of_edges()]
    labels = _labels_ok(whole, 40)
    named = {label["id"] for label in labels}
    hubs = sorted(kg.mechanisms.nodes, key=lambda n: -kg.mechanisms.degree(n))[:5]
    assert set(hubs) <= named
    whole.clean()


def test_small_window_stays_usable(browser: Any, pages: dict[str, Path]) -> None:
    opened = _open(browser, pages["graph"].as_uri(), width=1024, height=700)
    box = opened.js("() => document.getElementById('kg-network').getBoundingClientRect().toJSON()")
    assert box["width"] >= 450
    assert box["height"] >= 550
    assert opened.js("() => document.documentElement.scrollWidth") <= 1024
    for selector in ("#kg-search", "#kg-save-csv", "#kg-panel"):
        right = opened.js(
            f"() => document.querySelector('{selector}').getBoundingClientRect().right"
        )
        assert right <= 1024
    _labels_ok(opened, 15)
    opened.clean()
    opened.page.close()


# ---- clicks -------------------------------------------------------------------------------


def test_click_highlights_the_neighbourhood_and_shows_the_card(
    whole: Opened, kg: Knowledge
) -> None:
    whole.click_node("PTEN")
    panel = whole.page.locator("#kg-panel")
    assert panel.get_attribute("data-view") == "node"
    assert panel.locator("h2").first.text_content() == "PTEN"
    text = panel.text_content() or ""
    assert PTEN_QUOTE in text
    assert "HGNC:9588" in text
    link = panel.locator("a", has_text="HGNC:9588")
    assert link.get_attribute("href") == (
        "https://www.genenames.org/data/gene-symbol-report/#!/hgnc_id/HGNC:9588"
    )
    graph = kg.mechanisms
    expected = {"PTEN", *graph.successors("PTEN"), *graph.predecessors("PTEN")}
    assert set(whole.js("() => window.kgViz.highlighted")) == expected
    faded = whole.js("() => window.kgViz.nodes.get({filter: n => n.kgFaded}).map(n => n.id)")
    assert set(faded) == set(graph.nodes) - expected
    whole.clean()


def test_names_in_the_panel_move_the_view(whole: Opened) -> None:
    whole.click_node("PTEN")
    whole.page.locator('#kg-panel button[data-node="miR-21"]').first.click()
    assert whole.page.locator("#kg-panel h2").first.text_content() == "miR-21"
    centre = whole.js(
        "() => { const r = document.getElementById('kg-network').getBoundingClientRect();"
        " return {x: r.left + r.width / 2, y: r.top + r.height / 2}; }"
    )
    point = whole.dom("miR-21")
    assert abs(point["x"] - centre["x"]) < 3
    assert abs(point["y"] - centre["y"]) < 3
    whole.clean()


def test_filter_refits_counts_and_marks_the_panel(whole: Opened, kg: Knowledge) -> None:
    whole.click_node("PTEN")
    whole.page.select_option("#kg-f-study", "clinical")
    keep = evidence_filter(kg.evidence, study_types=[StudyType.CLINICAL])
    assert keep is not None
    passing = [d for _, _, d in kg.mechanisms.edges(data=True) if any(map(keep, d["evidence"]))]
    increases = sum(1 for d in passing if d["causal"] and d["sign"] > 0)
    legend = whole.page.locator("#kg-edge-legend li").first.text_content() or ""
    assert legend.endswith(f" {increases}")
    assert whole.js("() => window.kgViz.shown.edges") == len(passing)
    # Refitted: every entity still drawn is inside the view.
    inside = whole.js(
        "() => { const v = window.kgViz, r = document.getElementById('kg-network')"
        ".getBoundingClientRect(); const ids = Object.keys(v.network.getPositions())"
        ".filter(id => !v.nodes.get(id).hidden); return ids.every(id => {"
        " const d = v.network.canvasToDOM(v.network.getPositions([id])[id]);"
        " return d.x >= 0 && d.y >= 0 && d.x <= r.width && d.y <= r.height; }); }"
    )
    assert inside
    pten = [e for _, _, d in kg.mechanisms.edges("PTEN", data=True) for e in d["evidence"]]
    pten += [e for _, _, d in kg.mechanisms.in_edges("PTEN", data=True) for e in d["evidence"]]
    out = whole.page.locator("#kg-panel .kg-evidence.kg-out").count()
    assert out == sum(1 for e in pten if not keep(e)) > 0
    whole.clean()


# ---- trace pages ---------------------------------------------------------------------------


def test_trace_rows_left_to_right_and_path_isolation(traced: Opened) -> None:
    rows = traced.js("() => window.kgViz.data.rows")
    assert traced.js("() => window.kgViz.shown.visNodes") == sum(len(r["nodes"]) for r in rows)
    assert traced.page.locator("#kg-hidden-note").is_visible()
    chosen = len(rows) - 1
    traced.page.locator(f'#kg-panel li[data-row="{chosen}"] button').first.click()
    shown = traced.js("() => window.kgViz.nodes.get({filter: n => !n.hidden}).map(n => n.id)")
    assert sorted(shown) == sorted(f"r{chosen}:{i}" for i in range(len(rows[chosen]["nodes"])))
    assert (
        traced.page.locator(f'#kg-panel li[data-row="{chosen}"]').get_attribute("class")
        == "kg-chosen"
    )
    traced.page.locator("#kg-panel button", has_text="show all paths").click()
    traced.page.check("#kg-context")
    entities = traced.js("() => window.kgViz.data.nodes.length")
    assert traced.js("() => window.kgViz.shown.visNodes") == entities
    traced.clean()


def test_click_on_a_trace_hop_shows_the_quote(traced: Opened) -> None:
    row = traced.js("() => window.kgViz.data.rows.findIndex(r => r.nodes[1] === 'PTEN')")
    assert row >= 0
    traced.click_edge(f"r{row}:h0")
    panel = traced.page.locator("#kg-panel")
    assert panel.get_attribute("data-view") == "edge"
    text = panel.text_content() or ""
    assert PTEN_QUOTE in text
    assert "[20] Cheng et al. 2018, J. Cell. Mol. Med." in text
    traced.clean()


def test_parallel_assertions_are_one_row_with_merged_evidence(
    browser: Any, pages: dict[str, Path]
) -> None:
    opened = _open(browser, pages["parallel"].as_uri())
    assert opened.js("() => window.kgViz.data.rows.length") == 1
    assert opened.js("() => window.kgViz.edges.get('r0:h0').dashes") is False  # one is stated
    opened.click_edge("r0:h0")
    cards = opened.page.locator("#kg-panel .kg-evidence")
    assert sorted(cards.evaluate_all("cs => cs.map(c => c.dataset.evidence)")) == ["e0", "e1"]
    assert "2 parallel assertions, evidence merged" in (
        opened.page.locator("#kg-panel").text_content() or ""
    )
    opened.clean()
    opened.page.close()


# ---- search, zoom, keys ----------------------------------------------------------------------


def test_keyboard_search_with_near_matches(whole: Opened) -> None:
    whole.page.locator("#kg-network").focus()
    whole.page.keyboard.press("/")
    assert whole.js("() => document.activeElement.id") == "kg-search"
    whole.page.keyboard.type("TNF-alpah")  # a typo
    results = whole.js("() => window.kgViz.searchResults")
    assert "TNF" in results
    options = whole.page.locator("#kg-search-results li")
    assert "near match" in (options.nth(results.index("TNF")).text_content() or "")
    for _ in range(results.index("TNF")):
        whole.page.keyboard.press("ArrowDown")
    assert whole.js("() => window.kgViz.searchActive") == "TNF"
    assert options.nth(results.index("TNF")).get_attribute("aria-selected") == "true"
    whole.page.keyboard.press("Enter")
    assert whole.page.locator("#kg-panel h2").first.text_content() == "TNF-α"
    whole.clean()


def test_zoom_buttons_and_keys(whole: Opened) -> None:
    def scale() -> float:
        value: float = whole.js("() => window.kgViz.network.getScale()")
        return value

    start = scale()
    whole.page.click("#kg-zoom-in")
    assert scale() == pytest.approx(start * 1.3)
    whole.page.locator("#kg-network").focus()
    whole.page.keyboard.press("-")
    whole.page.keyboard.press("-")
    assert scale() == pytest.approx(start / 1.3)
    before = whole.js("() => window.kgViz.network.getViewPosition()")
    whole.page.keyboard.press("ArrowRight")
    after = whole.js("() => window.kgViz.network.getViewPosition()")
    assert after["x"] > before["x"]
    whole.page.keyboard.press("0")
    assert scale() == pytest.approx(start)
    whole.clean()


# ---- save what you see --------------------------------------------------------------------


def _download(opened: Opened, button: str) -> bytes:
    with opened.page.expect_download() as info:
        opened.page.click(button)
    return Path(info.value.path()).read_bytes()


def test_png_svg_and_csv_exports(whole: Opened) -> None:
    png = _download(whole, "#kg-save-png")
    size = whole.js(
        "() => { const c = document.querySelector('#kg-network canvas');"
        " return [c.width, c.height]; }"
    )
    assert list(check_png(png)) == size
    svg = ET.fromstring(_download(whole, "#kg-save-svg"))
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    ns = {"s": "http://www.w3.org/2000/svg"}
    texts = {" ".join(t.itertext()) for t in svg.iterfind(".//s:text", ns)}
    assert texts == {label["text"] for label in whole.js("() => window.kgViz.labels")}
    drawn = whole.js("() => window.kgViz.edges.get({filter: e => !e.hidden}).length")
    assert len(svg.findall(".//s:line", ns)) == drawn
    rows = list(csv.DictReader(io.StringIO(_download(whole, "#kg-save-csv").decode("utf-8"))))
    expected = whole.js(
        "() => window.kgViz.visibleAssertions().reduce((n, e) => n + e.evidence.length, 0)"
    )
    assert len(rows) == expected
    assert any(r["quote"] == PTEN_QUOTE or PTEN_QUOTE in r["quote"] for r in rows)
    assert {r["matches_filters"] for r in rows} == {"yes"}
    whole.clean()


def test_url_state_round_trip(browser: Any, whole: Opened) -> None:
    whole.page.select_option("#kg-f-study", "in vivo")
    whole.page.uncheck('#kg-type-legend input[data-type="Chemical"]')
    node = whole.js("() => window.kgViz.labels[0].id")  # an entity the filters left
    whole.click_node(node)
    whole.page.click("#kg-zoom-in")
    whole.page.wait_for_timeout(200)
    url = whole.js("() => location.href")
    assert f"node={node}" in url
    state = whole.js(
        "() => { const v = window.kgViz;"
        " return [v.network.getScale(), v.network.getViewPosition(), v.shown]; }"
    )
    again = _open(browser, url)
    assert again.js("() => document.getElementById('kg-f-study').value") == "in vivo"
    assert again.page.is_checked('#kg-type-legend input[data-type="Chemical"]') is False
    assert again.page.locator("#kg-panel h2").first.text_content() == whole.js(
        "(id) => window.kgViz.nodeById[id].label", node
    )
    scale, position, shown = again.js(
        "() => { const v = window.kgViz;"
        " return [v.network.getScale(), v.network.getViewPosition(), v.shown]; }"
    )
    assert scale == pytest.approx(state[0], rel=1e-3)
    assert position["x"] == pytest.approx(state[1]["x"], abs=1)
    assert shown == state[2]
    again.clean()
    again.page.close()
    whole.clean()


# ---- large graphs ------------------------------------------------------------------------------


def test_large_graph_opens_on_groups_and_expands_one(browser: Any, pages: dict[str, Path]) -> None:
    opened = _open(browser, pages["large"].as_uri())
    assert opened.js("() => window.kgViz.shown.visNodes") == len(TYPES)
    note = opened.page.locator("#kg-hidden-note")
    assert note.is_visible()
    assert (
        f"{AGGREGATE_LIMIT + 200:,} entities are summarised in {len(TYPES)} collapsed groups"
        in (note.text_content() or "")
    )
    _labels_ok(opened, len(TYPES))
    opened.click_node("group:Pathway")
    members = (AGGREGATE_LIMIT + 200) // len(TYPES)
    assert opened.js("() => window.kgViz.shown.nodes") == members
    assert opened.js("() => window.kgViz.shown.visNodes") == members + len(TYPES) - 1
    assert opened.page.locator("#kg-panel").get_attribute("data-view") == "group"
    opened.clean()
    opened.page.close()


# ---- colour, safety --------------------------------------------------------------------------


def test_sign_colours_stay_apart_for_colour_blind_readers(whole: Opened) -> None:
    """Sample the legend's increase and decrease lines on a screenshot and simulate
    deuteranopia and protanopia on those pixels: their contrast stays at least 3:1."""
    lines = whole.page.locator("#kg-edge-legend li svg line")
    colours = []
    for i in (0, 1):
        box = lines.nth(i).bounding_box()
        clip = {"x": box["x"] + 4, "y": box["y"] - 3, "width": 8, "height": 6}
        image = decode_png(whole.page.screenshot(clip=clip))
        # The pixel farthest from white: the line's own colour, not an anti-aliased edge.
        colours.append(max((px for row in image.rows for px in row), key=lambda c: 765 - sum(c)))
    for kind in ("normal", "deuteranopia", "protanopia"):
        a, b = (simulate(c, kind) for c in colours)
        assert contrast(a, b) >= 3.0, (kind, colours)
    whole.clean()


def _hostile() -> Knowledge:
    """A chain n0 → n1 → ... whose names, quotes and sections are the injection payloads."""
    graph = nx.MultiDiGraph()
    evidence = {}
    for i, label in enumerate(INJECTIONS):
        graph.add_node(f"n{i}", label=label, type="GeneOrProtein", synonyms=(label,))
        if i:
            evidence[f"ev{i}"] = Evidence(f"ev{i}", label, label, (1,))
            graph.add_edge(f"n{i - 1}", f"n{i}", key=f"a{i}", relation="increases", sign=1,
                           causal=True, evidence=(f"ev{i}",), contradicts=())  # fmt: skip
    return Knowledge(paths=(), mechanisms=graph, entities=graph, evidence=evidence, references={})


def test_injection_payloads_stay_inert(browser: Any, tmp_path: Path) -> None:
    knowledge = _hostile()
    path = tmp_path / "evil.html"
    graph_html(knowledge, path)
    opened = _open(browser, path.as_uri())
    opened.page.fill("#kg-search", "pwned=1")
    assert opened.page.locator("#kg-search-results li span").first.text_content() == INJECTIONS[0]
    opened.click_node("n1")
    panel = opened.page.locator("#kg-panel")
    assert panel.locator("h2").first.text_content() == INJECTIONS[1]
    assert INJECTIONS[1] in (panel.text_content() or "")
    svg = ET.fromstring(_download(opened, "#kg-save-svg"))
    texts = {" ".join(t.itertext()) for t in svg.iter("{http://www.w3.org/2000/svg}text")}
    assert texts <= {" ".join(label.split()) for label in INJECTIONS}
    assert not [
        e
        for e in svg.iter()
        if e.tag.endswith("script") or any(a.startswith("on") for a in e.attrib)
    ]
    rows = list(csv.reader(io.StringIO(_download(opened, "#kg-save-csv").decode("utf-8"))))
    assert {r[7] for r in rows[1:]} == set(INJECTIONS[1:])
    assert opened.js("() => window.__pwned") is None
    assert opened.js("() => document.querySelectorAll('img, [onerror], [onload]').length") == 0
    assert opened.js("() => document.scripts.length") == 7  # the data and six scripts
    opened.clean()
    opened.page.close()


# ---- the prediction page ---------------------------------------------------------------------


def test_prediction_page_draws_each_outcome_with_its_paths_and_scores(
    browser: Any, tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from kg.cli import cli

    path = tmp_path / "predict.html"
    args = ["predict", "miR-21=up", "--outcome", "apoptosis", "--html", str(path)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    opened = _open(browser, path.as_uri())
    rows = opened.js("() => window.kgViz.data.rows")
    pten = [
        r for r in rows if r["nodes"][:2] == ["miR-21", "PTEN"] and r["nodes"][-1] == "apoptosis"
    ]
    assert pten, [r["nodes"] for r in rows]
    assert all(r["title"].startswith("apoptosis: DOWN") for r in rows)
    assert opened.js("() => window.kgViz.shown.visNodes") == sum(len(r["nodes"]) for r in rows)
    panel = opened.page.locator("#kg-panel")
    text = panel.text_content() or ""
    assert "Predicted outcomes" in text
    assert "miR-21 ⊣ PTEN ⊣ PI3K/AKT signaling pathway ⊣ apoptosis" in text
    assert "best supporting (miR-21 up → down)" in text
    # the breakdown down to the evidence: the PTEN hop's curator inference weighs 0.50
    assert "level 0.50 (CuratorInferred)" in text
    # an outcome's heading is not numbered: the first path is 1., as "supporting 1" says
    numbered = opened.js(
        "() => [...document.querySelectorAll('#kg-panel ol.kg-paths > li')]"
        ".filter(li => getComputedStyle(li).display === 'list-item').length"
    )
    assert numbered == len(rows)
    row = rows.index(pten[0])
    opened.click_edge(f"r{row}:h0")
    assert PTEN_QUOTE in (panel.text_content() or "")
    opened.clean()
    opened.page.close()


def test_prediction_page_keeps_hostile_names_inert(browser: Any, tmp_path: Path) -> None:
    from kg.reasoning.predict import Perturbation, predict
    from kg.views.forecast_page import prediction_html

    knowledge = _hostile()
    last = f"n{len(INJECTIONS) - 1}"
    forecast = predict(knowledge, [Perturbation("n0", 1)], outcomes=[last])
    assert [p.node for p in forecast.predictions] == [last]
    path = tmp_path / "evil-predict.html"
    prediction_html(knowledge, forecast, path)
    opened = _open(browser, path.as_uri())
    text = opened.page.locator("#kg-panel").text_content() or ""
    assert INJECTIONS[0] in text
    assert INJECTIONS[-1].split()[0] in text
    assert opened.js("() => window.__pwned") is None
    assert opened.js("() => document.querySelectorAll('img, [onerror], [onload]').length") == 0
    assert opened.js("() => document.scripts.length") == 7  # the data and six scripts
    opened.clean()
    opened.page.close()


def test_explanation_page_groups_each_candidates_paths(browser: Any, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kg.cli import cli

    path = tmp_path / "explain.html"
    args = ["explain", "--observe", "MMP3=down", "--observe", "ACAN=up", "--limit", "2"]
    result = CliRunner().invoke(cli, [*args, "--html", str(path)])
    assert result.exit_code == 0, result.output
    opened = _open(browser, path.as_uri())
    titles = opened.page.locator("#kg-panel li.kg-row-title").all_text_contents()
    assert [t[:3] for t in titles] == ["1. ", "2. "]
    assert "concordant" in (opened.page.locator("#kg-panel").text_content() or "")
    opened.clean()
    opened.page.close()
