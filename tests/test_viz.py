"""kg.views.page and `kg viz` without a browser: one self-contained file, no network
references, a policy that allows exactly its own scripts, the embedded data complete and
escaped, the layered layout, trace rows and the aggregated view, nothing written but the
requested file."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from importlib import resources
from itertools import combinations, pairwise
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from kg.cli import cli
from kg.curation.stats import stats
from kg.model import shipped
from kg.model.errors import KGError, NotFoundError
from kg.model.records import Evidence, Level, StudyType
from kg.reasoning.paths import trace
from kg.store import rdf
from kg.store.knowledge import Knowledge, evidence_filter, load_knowledge
from kg.views.layout import ROLES, layered_layout, role_of, rows_layout
from kg.views.page import escape_json, graph_html, graph_page, trace_page
from kg.views.payload import AGGREGATE_LIMIT
from tests.synthetic import parallel as parallel_graph

INJECTIONS = (
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    "<!--<script>",
    "a & b \u2028 \u2029 > c",
)
APP_SCRIPTS = 6  # vis-network and kg/resources/viz/{panel,export,labels,legend,viz}.js
# vis-network's core-js polyfill holds the string "<script" (harmless inside a script).
VIS_SCRIPT_TAGS = (
    (resources.files("pyvis") / "lib/vis-9.1.2/vis-network.min.js")
    .read_text(encoding="utf-8")
    .count("<script")
)


@pytest.fixture(scope="module")
def kg() -> Knowledge:
    return load_knowledge()


def payload(html: str) -> dict[str, Any]:
    """The JSON document the page draws."""
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S)
    assert match, "no kg-data script"
    result: dict[str, Any] = json.loads(match.group(1))
    return result


def synthetic(n: int, *, labels: tuple[str, ...] = ()) -> Knowledge:
    """A chain-plus-shortcuts graph of ``n`` nodes; the first nodes get ``labels``."""
    graph = nx.MultiDiGraph()
    evidence: dict[str, Evidence] = {}
    for i in range(n):
        label = labels[i] if i < len(labels) else f"node {i}"
        graph.add_node(f"n{i}", label=label, type="GeneOrProtein", synonyms=(f"syn{i}",))
    for i in range(1, n):
        for j, (u, v) in enumerate([(i - 1, i), (i // 2, i)]):
            eid = f"ev{i}-{j}"
            quote = labels[i % len(labels)] if labels else f"quote {i}"
            evidence[eid] = Evidence(
                eid,
                quote,
                "8.2",
                (1,),
                level=Level.STATED if i % 3 else Level.CURATOR_INFERRED,
                study_types=(StudyType.IN_VITRO,),
                inference_reason=None if i % 3 else "inferred",
            )
            graph.add_edge(
                f"n{u}",
                f"n{v}",
                key=f"a{i}-{j}",
                relation="increases" if j else "decreases",
                sign=1 if j else -1,
                causal=True,
                evidence=(eid,),
                contradicts=(),
            )
    return Knowledge(paths=(), mechanisms=graph, entities=graph, evidence=evidence, references={})


def test_whole_graph_embeds_every_node_and_edge(kg: Knowledge) -> None:
    page = graph_page(kg)
    data = payload(page.html)
    graph = kg.mechanisms
    assert page.nodes == len(data["nodes"]) == graph.number_of_nodes()
    assert page.edges == len(data["edges"]) == graph.number_of_edges()
    assert {e["assertion"] for e in data["edges"]} == {k for _, _, k in graph.edges(keys=True)}
    cited = {eid for e in data["edges"] for eid in e["evidence"]}
    assert cited == set(data["evidence"])
    assert data["aggregate"] is False
    assert sum(g["count"] for g in data["groups"]) == graph.number_of_nodes()


@pytest.mark.parametrize("hops", [1, 2])
def test_focus_embeds_the_neighbourhood(kg: Knowledge, hops: int) -> None:
    data = payload(graph_page(kg, focus="miR-21", hops=hops).html)
    expected = nx.ego_graph(kg.mechanisms.to_undirected(as_view=True), "miR-21", radius=hops)
    assert {n["id"] for n in data["nodes"]} == set(expected)
    assert len(data["edges"]) == kg.mechanisms.subgraph(expected).number_of_edges()
    assert [n["id"] for n in data["nodes"] if n["mark"] == "focus"] == ["miR-21"]


def test_focus_on_unknown_node_is_an_error(kg: Knowledge) -> None:
    with pytest.raises(KGError, match="no-such-node"):
        graph_page(kg, focus="no-such-node")


def test_evidence_record_and_edge_level(kg: Knowledge) -> None:
    data = payload(graph_page(kg, focus="PTEN", hops=1).html)
    edge = next(e for e in data["edges"] if e["assertion"] == "mir21-represses-pten")
    assert (edge["sign"], edge["words"], edge["level"]) == (-1, "targets and represses", "stated")
    record = data["evidence"][edge["evidence"][0]]
    assert record["citation"] == "[20] Cheng et al. 2018, J. Cell. Mol. Med."
    assert record["quote"] in {kg.evidence[e].quote for e in edge["evidence"]}
    assert {"section", "study_type", "species", "cell_type", "level", "flags"} <= set(record)
    for e in data["edges"]:
        levels = {data["evidence"][x]["level"] for x in e["evidence"]}
        assert e["level"] == ("stated" if "stated" in levels else "inferred"), e


def test_node_cards_and_registry_links(kg: Knowledge) -> None:
    data = payload(graph_page(kg, focus="miR-21", hops=1).html)
    node = next(n for n in data["nodes"] if n["id"] == "miR-21")
    assert ["mirbase:MI0000077", "https://www.mirbase.org/hairpin/MI0000077"] in node["xrefs"]
    out = {v for _, v, d in kg.mechanisms.out_edges("miR-21", data=True) if d["causal"]}
    assert node["card"]["regulates"]["total"] == len(out)


def test_evidence_filter_drops_edges_without_matching_evidence(kg: Knowledge) -> None:
    keep = evidence_filter(kg.evidence, study_types=[StudyType.CLINICAL])
    data = payload(graph_page(kg, keep_evidence=keep).html)
    assert 0 < len(data["edges"]) < kg.mechanisms.number_of_edges()
    for edge in data["edges"]:
        assert all("clinical" in data["evidence"][e]["study_type"] for e in edge["evidence"])
    touched = {e["from"] for e in data["edges"]} | {e["to"] for e in data["edges"]}
    assert {n["id"] for n in data["nodes"]} == touched


def test_trace_page_has_one_row_per_path(kg: Knowledge) -> None:
    result = trace(kg.mechanisms, "miR-21", "apoptosis")
    data = payload(trace_page(kg, result, hops=1).html)
    hops = {(h.subject, h.object, h.assertion) for p in result.paths for h in p.hops}
    assert {(e["from"], e["to"], e["assertion"]) for e in data["edges"] if e["path"]} == hops
    marks = {n["id"]: n["mark"] for n in data["nodes"]}
    assert (marks["miR-21"], marks["apoptosis"], marks["PTEN"]) == ("source", "target", "path")
    assert sorted(p for row in data["rows"] for p in row["paths"]) == list(range(len(result.paths)))
    for row in data["rows"]:
        assert (row["nodes"][0], row["nodes"][-1]) == ("miR-21", "apoptosis")
        xs = [x for x, _ in row["xy"]]
        assert xs == sorted(xs)
        assert len({y for _, y in row["xy"]}) == 1
    assert len({row["xy"][0][1] for row in data["rows"]}) == len(data["rows"])


def test_parallel_assertions_are_one_row_with_merged_evidence() -> None:
    knowledge = parallel_graph()
    result = trace(knowledge.mechanisms, "a", "c")
    assert len(result.paths) == 2
    data = payload(trace_page(knowledge, result, hops=0).html)
    assert len(data["rows"]) == 1
    (row,) = data["rows"]
    assert row["paths"] == [0, 1]
    merged = {data["edges"][int(e[1:])]["assertion"] for e in row["hops"][0]["edges"]}
    assert merged == {"ab1", "ab2"}


def _inline_scripts(html: str) -> list[str]:
    return re.findall(r"<script>(.*?)</script>", html, re.S)


def test_policy_allows_exactly_the_inline_scripts_by_hash(kg: Knowledge) -> None:
    html = graph_page(kg, focus="miR-21").html
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html)
    assert policy
    directives = dict(d.strip().split(" ", 1) for d in policy.group(1).split(";"))
    assert directives["default-src"] == "'none'"
    assert "unsafe-inline" not in directives["script-src"]
    assert "unsafe-inline" not in directives["style-src"]
    allowed = set(directives["script-src"].split())
    scripts = _inline_scripts(html)
    assert len(scripts) == APP_SCRIPTS
    for text in scripts:
        digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in allowed
    assert len(allowed) == APP_SCRIPTS


def test_page_is_one_file_without_network_references_or_vis_images(kg: Knowledge) -> None:
    html = graph_page(kg, focus="miR-21").html
    assert html.startswith("<!DOCTYPE html>")
    tags = re.findall(r"<(script|link|iframe|img|object|embed|base)\b[^>]*>", html, re.I)
    assert [t.lower() for t in tags] == ["script"] * (1 + APP_SCRIPTS + VIS_SCRIPT_TAGS)
    assert not re.search(r"<script[^>]*\bsrc\s*=", html, re.I)
    assert not re.search(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//""", html, re.I)
    assert not re.search(r"@import", html, re.I)
    assert "data:image" not in html  # vis-network.css's inlined widget images are gone
    assert "vis-network" not in re.search(r"<style>(.*?)</style>", html, re.S).group(1)  # type: ignore[union-attr]


def test_cli_writes_only_the_requested_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["viz", "--out", "graph.html"])
    assert result.exit_code == 0, result.output
    assertions = stats(rdf.load(shipped.data_files())).totals["assertions"]
    assert f"{assertions} assertions" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.html"]
    out = tmp_path / "sub"
    out.mkdir()
    result = CliRunner().invoke(
        cli, ["viz", "-o", "sub/f.html", "--focus", "hsa-miR-21-5p", "--hops", "1"]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["f.html"]
    data = payload((out / "f.html").read_text(encoding="utf-8"))
    assert [n["id"] for n in data["nodes"] if n["mark"] == "focus"] == ["miR-21"]


def test_cli_unknown_focus_suggests(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["viz", "--out", str(tmp_path / "x.html"), "--focus", "PTNE"])
    assert result.exit_code == 2
    assert "did you mean" in result.output
    assert not (tmp_path / "x.html").exists()


def test_cli_filters(tmp_path: Path) -> None:
    out = tmp_path / "f.html"
    args = ["viz", "-o", str(out), "--study-type", "clinical", "--evidence", "stated"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    data = payload(out.read_text(encoding="utf-8"))
    assert data["edges"]
    assert all(r["level"] == "stated" for r in data["evidence"].values())


def test_missing_directory_is_a_user_error(kg: Knowledge, tmp_path: Path) -> None:
    with pytest.raises(NotFoundError):
        graph_html(kg, tmp_path / "nope" / "x.html", focus="miR-21")


@given(st.text())
def test_escape_json_round_trips_and_hides_markup(text: str) -> None:
    value = {"label": text, "list": [text, "</script>"]}
    escaped = escape_json(value)
    assert not set("<>&\u2028\u2029") & set(escaped)
    assert json.loads(escaped) == value


def test_injection_labels_and_quotes_stay_data() -> None:
    knowledge = synthetic(6, labels=INJECTIONS)
    html = graph_page(knowledge).html
    for text in INJECTIONS:
        assert text not in html
    assert html.lower().count("<script") == 1 + APP_SCRIPTS + VIS_SCRIPT_TAGS
    assert html.lower().count("</script") == 1 + APP_SCRIPTS
    data = payload(html)
    assert {n["label"] for n in data["nodes"]} >= set(INJECTIONS)
    assert {r["quote"] for r in data["evidence"].values()} >= set(INJECTIONS)


def test_large_graph_opens_aggregated() -> None:
    knowledge = synthetic(AGGREGATE_LIMIT + 50)
    page = graph_page(knowledge)
    data = payload(page.html)
    assert data["aggregate"] is True
    assert page.nodes == AGGREGATE_LIMIT + 50 == len({(n["x"], n["y"]) for n in data["nodes"]})
    assert [(g["type"], g["count"]) for g in data["groups"]] == [("GeneOrProtein", page.nodes)]


def _crossings(graph: nx.MultiDiGraph, pos: dict[str, tuple[float, float]]) -> int:
    """Crossings between the straight edges joining neighbouring columns."""
    columns = sorted({x for x, _ in pos.values()})
    nxt = dict(pairwise(columns))
    spans: dict[float, list[tuple[float, float]]] = {}
    for u, v in set(graph.edges()):
        (xa, ya), (xb, yb) = sorted([pos[u], pos[v]])
        if nxt.get(xa) == xb:
            spans.setdefault(xa, []).append((ya, yb))
    return sum(
        1
        for group in spans.values()
        for (a, b), (c, d) in combinations(group, 2)
        if (a - c) * (b - d) < 0
    )


def test_layered_layout_orders_roles_left_to_right_and_is_deterministic(kg: Knowledge) -> None:
    graph = kg.mechanisms
    pos = layered_layout(graph)
    assert pos == layered_layout(graph.copy())
    assert len(set(pos.values())) == graph.number_of_nodes()
    band_x: dict[int, list[float]] = {}
    for node, kind in graph.nodes(data="type"):
        band_x.setdefault(role_of(kind), []).append(pos[node][0])
    bands = sorted(band_x)
    assert len(bands) == len(ROLES)
    for left, right in pairwise(bands):
        assert max(band_x[left]) < min(band_x[right])


def test_layered_layout_ignores_insertion_order(kg: Knowledge) -> None:
    graph = kg.mechanisms
    reordered = nx.MultiDiGraph()
    reordered.add_nodes_from(reversed(list(graph.nodes(data=True))))
    reordered.add_edges_from(reversed(list(graph.edges(keys=True, data=True))))
    assert layered_layout(reordered) == layered_layout(graph)
    large = synthetic(AGGREGATE_LIMIT + 50).mechanisms
    shuffled = nx.MultiDiGraph()
    shuffled.add_nodes_from(sorted(large.nodes(data=True), key=lambda n: hash(n[0]) % 97))
    shuffled.add_edges_from(
        sorted(large.edges(keys=True, data=True), key=lambda e: hash(e[2]) % 89)
    )
    assert layered_layout(shuffled) == layered_layout(large)


def test_sugiyama_order_has_fewer_crossings_than_name_order(kg: Knowledge) -> None:
    graph = kg.mechanisms
    pos = layered_layout(graph)
    by_name: dict[str, tuple[float, float]] = {}
    for x in sorted({x for x, _ in pos.values()}):
        column = sorted(n for n in pos if pos[n][0] == x)
        ys = sorted(pos[n][1] for n in column)
        by_name.update({n: (x, y) for n, y in zip(column, ys, strict=True)})
    assert _crossings(graph, pos) < 0.8 * _crossings(graph, by_name)


def test_rows_layout_puts_targets_in_one_column() -> None:
    pos = rows_layout([["a", "b", "z"], ["a", "c", "d", "z"]])
    assert pos[(0, 2)][0] == pos[(1, 3)][0] > pos[(1, 2)][0]
    assert pos[(0, 0)][1] < pos[(1, 0)][1]
